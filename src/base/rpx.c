/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* rpx.c - errors, messages, colour and allocation helpers shared by all. */
#include "rpx.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *
rpx_strerror(int code)
{
	switch (code) {
	case RPX_OK: return "success";
	case RPX_ENOMEM: return "out of memory";
	case RPX_EIO: return "input/output error";
	case RPX_EPARSE: return "cannot parse";
	case RPX_ENOTFOUND: return "not found";
	case RPX_EINVAL: return "invalid argument";
	case RPX_ETIMEOUT: return "timed out";
	case RPX_EUNSUPPORTED: return "not supported";
	case RPX_ECHILD: return "child program failed";
	case RPX_ECANCELED: return "canceled";
	}
	return "unknown error";
}

void
rpx_err_clear(struct rpx_err *e)
{
	memset(e, 0, sizeof(*e));
}

int
rpx_err_set(struct rpx_err *e, const char *path, int line, int col,
	    const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return RPX_EPARSE;
	snprintf(e->path, sizeof(e->path), "%s", path ? path : "");
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return RPX_EPARSE;
}

void
rpx_err_print(FILE *f, const struct rpx_err *e)
{
	if (e->path[0] != '\0')
		fprintf(f, "%s:", e->path);
	if (e->line > 0) {
		fprintf(f, "%d:", e->line);
		if (e->col > 0)
			fprintf(f, "%d:", e->col);
	}
	fprintf(f, "%s%s\n", (e->path[0] || e->line > 0) ? " " : "", e->msg);
}

static bool
color_allowed(int fd)
{
	const char *term;

	if (rpx_getenv("NO_COLOR") != NULL)
		return false;
	term = getenv("TERM");
	if (term != NULL && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fd) == 1;
}

void
ctx_init(struct ctx *ctx, const char *progname)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->progname = progname;
	ctx->out = stdout;
	ctx->err = stderr;
	ctx->color_out = color_allowed(STDOUT_FILENO);
	ctx->color_err = color_allowed(STDERR_FILENO);
}

const char *
rpx_sgr(bool color, const char *code)
{
	if (!color)
		return "";
	if (strcmp(code, SGR_RESET) == 0)
		return "\033[0m";
	if (strcmp(code, SGR_BOLD) == 0)
		return "\033[1m";
	if (strcmp(code, SGR_RED) == 0)
		return "\033[31m";
	if (strcmp(code, SGR_GREEN) == 0)
		return "\033[32m";
	if (strcmp(code, SGR_YELLOW) == 0)
		return "\033[33m";
	if (strcmp(code, SGR_DIM) == 0)
		return "\033[2m";
	return "";
}

static void
vmessage(const struct ctx *ctx, const char *kind, const char *color,
	 const char *fmt, va_list ap)
{
	fprintf(ctx->err, "%s: %s%s:%s ", ctx->progname,
		rpx_sgr(ctx->color_err, color), kind,
		rpx_sgr(ctx->color_err, SGR_RESET));
	vfprintf(ctx->err, fmt, ap);
	fputc('\n', ctx->err);
}

void
rpx_errorf(const struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(ctx, "error", SGR_RED, fmt, ap);
	va_end(ap);
}

void
rpx_warnf(const struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(ctx, "warning", SGR_YELLOW, fmt, ap);
	va_end(ap);
}

void
rpx_notef(const struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	fflush(ctx->err);
}

void
rpx_verbosef(const struct ctx *ctx, int level, const char *what,
	     const char *fmt, ...)
{
	va_list ap;

	if (ctx == NULL || ctx->verbose < level)
		return;
	/* the stream's lock keeps the line whole among threads */
	flockfile(ctx->err);
	fprintf(ctx->err, "%s: %s: ", ctx->progname, what);
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	fflush(ctx->err);
	funlockfile(ctx->err);
}

/* "rpi-cross: error: WHY", the hint line when there is one, then where
 * to look: the command's own help too when cmd is not NULL. */
static int
vusage(const struct ctx *ctx, const char *cmd, const char *hint,
       const char *fmt, va_list ap)
{
	vmessage(ctx, "error", SGR_RED, fmt, ap);
	if (hint != NULL)
		fprintf(ctx->err, "%s\n", hint);
	if (cmd != NULL)
		fprintf(ctx->err, "Try '%s --help' or '%s %s --help'.\n",
			ctx->progname, ctx->progname, cmd);
	else
		fprintf(ctx->err, "Try '%s --help'.\n", ctx->progname);
	return RPX_EXIT_USAGE;
}

int
rpx_usage_error(const struct ctx *ctx, const char *cmd, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vusage(ctx, cmd, NULL, fmt, ap);
	va_end(ap);
	return r;
}

int
rpx_usage_error_hint(const struct ctx *ctx, const char *cmd, const char *hint,
		     const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vusage(ctx, cmd, hint, fmt, ap);
	va_end(ap);
	return r;
}

static void
out_of_memory(size_t n)
{
	fprintf(stderr, "rpi-cross: fatal: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		out_of_memory(n);
	return q;
}

void *
rpx_grow(void *p, size_t elsize, size_t n, size_t *alloc)
{
	size_t want;

	if (n <= *alloc)
		return p;
	want = *alloc + *alloc / 2;
	if (want < 8)
		want = 8;
	if (want < n || want < *alloc)
		want = n;
	if (elsize != 0 && want > SIZE_MAX / elsize)
		out_of_memory(SIZE_MAX);
	p = xrealloc(p, want * elsize);
	*alloc = want;
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory(0);
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int
rpx_strcasecmp(const char *a, const char *b)
{
	unsigned char ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'A' && ca <= 'Z')
			ca = (unsigned char)(ca - 'A' + 'a');
		if (cb >= 'A' && cb <= 'Z')
			cb = (unsigned char)(cb - 'A' + 'a');
	} while (ca != '\0' && ca == cb);
	return (int)ca - (int)cb;
}

bool
rpx_streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

bool
rpx_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *
rpx_getenv(const char *name)
{
	const char *v = getenv(name);

	return (v != NULL && v[0] != '\0') ? v : NULL;
}

bool
rpx_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool
rpx_is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

char *
rpx_which(const char *name)
{
	const char *path;

	if (name == NULL || *name == '\0')
		return NULL;
	if (strchr(name, '/') != NULL)
		return rpx_is_executable(name) ? xstrdup(name) : NULL;
	path = getenv("PATH");
	return rpx_which_in(name, path != NULL ? path :
			    "/usr/local/bin:/usr/bin:/bin");
}

char *
rpx_which_in(const char *name, const char *path)
{
	const char *p = path;

	if (name == NULL || *name == '\0' || strchr(name, '/') != NULL ||
	    path == NULL)
		return NULL;
	for (;;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		char *cand = n ? xasprintf("%.*s/%s", (int)n, p, name)
			       : xasprintf("./%s", name);

		if (rpx_is_executable(cand))
			return cand;
		free(cand);
		if (colon == NULL)
			return NULL;
		p = colon + 1;
	}
}

long long
rpx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
