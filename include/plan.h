/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * plan.h - the one value every way in fills: the wizard, `rpi-cross setup`
 * with flags, a saved profile, detection over SSH.
 *
 * A plan says which board, OS word size, libc, target, toolchain, linker
 * (and the flags it needs), CPU, Cargo config file and options, and host.
 * Each field carries where its value came from and why (struct plan_note),
 * so every screen and every `setup` run can explain its recommendation.
 *
 * Ownership: every char * in a plan is malloc'd and owned by the plan;
 * set them with plan_set_str() and free everything with plan_release().
 * Board and target pointers refer to the static tables of board.h and
 * target.h and are never freed.
 */
#ifndef RPX_PLAN_H
#define RPX_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "board.h"
#include "rpx.h"
#include "target.h"

/* Where a field's value came from. */
enum plan_src {
	PLAN_UNSET = 0,
	PLAN_DEFAULT,		/* recommended by rpi-cross */
	PLAN_FLAG,		/* a command-line option */
	PLAN_PROFILE,		/* a saved profile */
	PLAN_DETECTED,		/* read from the Pi over SSH */
	PLAN_CONFIG,		/* an existing Cargo config */
	PLAN_USER,		/* chosen in the wizard */
	PLAN_ENV,		/* an environment variable (RPI_CROSS_HOST) */
};

/* The fields, to index notes. */
enum plan_field {
	PF_BOARD, PF_BITS, PF_LIBC, PF_TARGET, PF_TOOLCHAIN, PF_LINKER,
	PF_CPU, PF_CONFIG, PF_BUILD_TARGET, PF_RUNNER, PF_HOST,
	PF_COUNT
};

struct plan_note {
	enum plan_src src;
	char why[256];		/* one sentence, "" when nothing to say */
};

/* Most warnings plan_complete() keeps; later ones are dropped. */
#define PLAN_MAX_WARNINGS 8

/* The glibc of Debian 12's cross toolchains (and Raspberry Pi OS 12). */
#define PLAN_TOOLCHAIN_GLIBC "2.36"

enum plan_scope {
	PLAN_SCOPE_GLOBAL,	/* $CARGO_HOME/config.toml */
	PLAN_SCOPE_PROJECT,	/* <project_dir>/.cargo/config.toml */
	PLAN_SCOPE_FILE,	/* config_file as given */
};

struct plan {
	const struct board *board;	/* NULL: unknown / not chosen */
	int os_bits;			/* 32 or 64; 0 when unset */
	enum libc libc;
	const struct target *target;	/* NULL when unset */
	char *rustc;			/* path of the rustc to use, or NULL */
	char *linker;			/* Cargo's target.<T>.linker, or NULL */
	char **link_args;		/* extra "-C link-arg=..." values,
					 * NULL-terminated, or NULL */
	char *cpu;			/* -C target-cpu, or NULL */
	enum plan_scope scope;
	char *project_dir;		/* for PLAN_SCOPE_PROJECT */
	char *config_file;		/* for PLAN_SCOPE_FILE */
	bool build_target;		/* also write [build] target */
	bool runner;			/* set runner = "rpi-cross run ..." */
	/* how the runner names rpi-cross (selfpath_runner_prog()): NULL
	 * "rpi-cross", else an absolute path */
	char *runner_prog;
	char *host;			/* [USER@]HOST[:PORT] or alias, or NULL */
	/* What the Pi reported, when detected (0 / NULL when not). */
	char *pi_glibc;			/* "2.36" */
	struct plan_note notes[PF_COUNT];
	/*
	 * The glibc version the cross toolchain links against ("2.36"), when
	 * known; NULL means Debian 12's (PLAN_TOOLCHAIN_GLIBC) is assumed.
	 */
	char *toolchain_glibc;
	/*
	 * Advice from plan_complete() that is not a contradiction (a gnu
	 * target for a Pi whose glibc is older than the toolchain's, a CPU
	 * name that could not be checked): one sentence each, oldest first.
	 */
	char warnings[PLAN_MAX_WARNINGS][256];
	int nwarnings;
};

#define PLAN_INIT { 0 }

void plan_init(struct plan *p);
void plan_release(struct plan *p);
/* Replace *dst by a copy of s (NULL clears). */
void plan_set_str(char **dst, const char *s);
/* Record where field f came from and why (printf-style, may be NULL). */
void plan_note(struct plan *p, enum plan_field f, enum plan_src src,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
const char *plan_src_name(enum plan_src src);	/* "default", "flag", ... */
const char *plan_field_name(enum plan_field f);	/* "board", "bits", ... */

/*
 * Is field f set? A field counts as set when its note has a source, or
 * when its value is (board, bits, target, cpu, linker, host not NULL/0).
 */
bool plan_is_set(const struct plan *p, enum plan_field f);

/*
 * Forget every value plan_complete() filled in (fields whose note says
 * PLAN_DEFAULT) and the warnings, so that the plan can be completed again
 * after an answer changed (the wizard going back a step).
 */
void plan_reset_defaults(struct plan *p);

/* "scope" as a word: "global", "project", "file"; and back (-1: unknown). */
const char *plan_scope_name(enum plan_scope s);
int plan_scope_parse(const char *s);

/*
 * Checks plan_complete() cannot make from its own tables, supplied by the
 * caller (from rustc and the linker module). Either function pointer may
 * be NULL; a NULL hooks pointer skips both checks. Each returns 1 (yes),
 * 0 (no: it writes a reason of at most whysz bytes into why) or a
 * negative RPX_E* (could not tell: the check is skipped with a warning).
 */
struct plan_hooks {
	void *opaque;
	/* Is cpu in `rustc --print target-cpus --target t->triple`? */
	int (*cpu_known)(void *opaque, const struct target *t,
			 const char *cpu, char *why, size_t whysz);
	/* Can this linker (plus p->link_args) link for t, with t's libc? */
	int (*linker_links)(void *opaque, const struct target *t,
			    const char *linker, char *why, size_t whysz);
};

/*
 * Fill every unset field with the recommended value and its reason, then
 * check the plan for contradictions (an armv7 target for a Pi Zero, a
 * 64-bit target for a 32-bit OS, musl with a linker that cannot link
 * musl, a CPU the target does not know). Returns 0, or RPX_EINVAL with a
 * sentence in err->msg that explains the contradiction and its fix.
 * Same as plan_complete_with(p, NULL, err).
 *
 * What it recommends when a field is unset:
 *  - bits: the target's, else board_default_bits();
 *  - libc: the target's; else gnu, or musl when pi_glibc is known and
 *    older than toolchain_glibc (default PLAN_TOOLCHAIN_GLIBC);
 *  - target: board_recommend(); cpu: the board's core (none without a
 *    board: rustc's generic CPU);
 *  - linker: the GNU cross gcc for gnu targets, rust-lld for musl;
 *  - scope global, no [build] target, no runner; rustc and host stay
 *    NULL (with a note saying what that means).
 * The plan needs a board or a target to start from (RPX_EINVAL if not).
 * On error the plan is left partly completed; plan_reset_defaults()
 * returns it to the answers alone.
 */
int plan_complete(struct plan *p, struct rpx_err *err);
int plan_complete_with(struct plan *p, const struct plan_hooks *hooks,
		       struct rpx_err *err);

/*
 * Compare two dotted version strings numerically ("2.31" < "2.36").
 * Returns <0, 0 or >0; 0 as well when either does not start with a digit.
 */
int plan_version_cmp(const char *a, const char *b);

#endif
