/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * rpx.h - what every module of rpi-cross shares: error codes, the parse
 * error record, the command context and the aborting allocators.
 *
 * Conventions (see ../shared/STYLE.md):
 *  - functions return 0 (RPX_OK) or a negative RPX_E* code;
 *  - parsers fill a struct rpx_err, printed as "path:line:col: message";
 *  - x* allocators never return NULL: they print and abort on exhaustion;
 *  - there are no mutable globals: state travels in a struct ctx *.
 */
#ifndef RPX_H
#define RPX_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Error codes: 0 is success, every failure is negative. */
enum rpx_code {
	RPX_OK = 0,
	RPX_ENOMEM = -1,	/* out of memory */
	RPX_EIO = -2,		/* read/write/system call failed (see errno) */
	RPX_EPARSE = -3,	/* malformed input; struct rpx_err says where */
	RPX_ENOTFOUND = -4,	/* a file, program or key does not exist */
	RPX_EINVAL = -5,	/* an argument is not acceptable */
	RPX_ETIMEOUT = -6,	/* an operation ran out of time */
	RPX_EUNSUPPORTED = -7,	/* not possible on this host or target */
	RPX_ECHILD = -8,	/* a child program failed */
	RPX_ECANCELED = -9,	/* the user or a signal stopped it */
};

/* A short lowercase description of an RPX_E* code. */
const char *rpx_strerror(int code);

/* Exit statuses of the command-line tool. */
enum {
	RPX_EXIT_OK = 0,
	RPX_EXIT_FAIL = 1,	/* failure or failed check */
	RPX_EXIT_USAGE = 2,	/* usage error */
};

/*
 * Where and why parsing failed. Fixed-size buffers so that filling one
 * never allocates and the record can live on the stack. line and col are
 * 1-based (col counts characters, not bytes); 0 means "not known".
 */
struct rpx_err {
	char path[512];
	int line;
	int col;
	char msg[512];
};

#define RPX_ERR_INIT { { 0 }, 0, 0, { 0 } }

void rpx_err_clear(struct rpx_err *e);
/* Fill e (path may be NULL) and return RPX_EPARSE for convenience. */
int rpx_err_set(struct rpx_err *e, const char *path, int line, int col,
		const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Print "path:line:col: msg\n" (parts that are unknown are left out). */
void rpx_err_print(FILE *f, const struct rpx_err *e);

/*
 * The context every command receives: where output goes, whether it may
 * be coloured, and the options that hold for the whole program.
 */
struct ctx {
	const char *progname;	/* "rpi-cross" */
	FILE *out;		/* normally stdout */
	FILE *err;		/* normally stderr */
	bool color_out;		/* colour allowed on out */
	bool color_err;		/* colour allowed on err */
	const char *theme;	/* --theme NAME, or NULL */
	const char *profile;	/* --profile NAME, or NULL */
	bool quiet;		/* -q: no progress or notes on err (errors
				 * and warnings still) */
	int verbose;		/* -v: 1 the programs run and the SSH steps
				 * on err, 2 also libssh's own log */
};

/* Decide colour from isatty(), NO_COLOR and TERM=dumb. */
void ctx_init(struct ctx *ctx, const char *progname);

/* Messages on ctx->err: "rpi-cross: error: ...", lowercase, no full stop. */
void rpx_errorf(const struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void rpx_warnf(const struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A progress or note line on ctx->err as given (a newline added, flushed
 * at once); nothing with ctx->quiet. */
void rpx_notef(const struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * A -v line on ctx->err: "rpi-cross: WHAT: ..." (what such as "run" or
 * "ssh"), written whole (one locked write, safe from several threads),
 * when ctx is not NULL and ctx->verbose >= level; --quiet does not drop it.
 */
void rpx_verbosef(const struct ctx *ctx, int level, const char *what,
		  const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * A usage error: prints "rpi-cross: error: REASON" and "Try 'rpi-cross
 * --help'" (naming the command's own help too when cmd is not NULL) and
 * returns RPX_EXIT_USAGE. The _hint form prints hint (a whole line, such
 * as suggest_text()'s "Did you mean 'setup'?"; NULL for none) between them.
 */
int rpx_usage_error(const struct ctx *ctx, const char *cmd,
		    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int rpx_usage_error_hint(const struct ctx *ctx, const char *cmd,
			 const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ANSI styling, empty strings when colour is off. */
const char *rpx_sgr(bool color, const char *code);
#define SGR_BOLD  "1"
#define SGR_RED   "31"
#define SGR_GREEN "32"
#define SGR_YELLOW "33"
#define SGR_DIM   "2"
#define SGR_RESET "0"

/* Aborting allocators. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Case-insensitive ASCII comparison (locale independent). */
int rpx_strcasecmp(const char *a, const char *b);
bool rpx_streq(const char *a, const char *b);
bool rpx_starts_with(const char *s, const char *prefix);

/* The value of an environment variable, or NULL when unset or empty. */
const char *rpx_getenv(const char *name);

/*
 * Look a program up: a name containing '/' is checked as it is, else each
 * $PATH entry in turn. Returns a malloc'd path of an executable regular
 * file, or NULL.
 */
char *rpx_which(const char *name);
/* The first executable regular file called name in the folders of path
 * (a PATH value; an empty entry is the current folder); malloc'd, NULL
 * when none, for a name with a '/' and for path NULL. */
char *rpx_which_in(const char *name, const char *path);
/* True when path is an existing directory / executable regular file. */
bool rpx_is_dir(const char *path);
bool rpx_is_executable(const char *path);
/* Milliseconds on the monotonic clock (for timing and timeouts). */
long long rpx_now_ms(void);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The one growth rule for arrays: make room for at least n elements of
 * size elsize in p, which has room for *alloc now. Grows by half again
 * (at least 8), so pushing one at a time is amortised O(1); aborts on
 * overflow or exhaustion like the x* allocators. Returns the new p.
 */
void *rpx_grow(void *p, size_t elsize, size_t n, size_t *alloc);
/* ALLOC_GROW(arr, n, alloc): arr has room for n elements afterwards
 * (alloc is a size_t lvalue, 0 with arr NULL at first). */
#define ALLOC_GROW(arr, n, alloc) \
	((arr) = rpx_grow((arr), sizeof(*(arr)), (n), &(alloc)))

#endif
