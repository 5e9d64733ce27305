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
	char *host;			/* [USER@]HOST[:PORT] or alias, or NULL */
	/* What the Pi reported, when detected (0 / NULL when not). */
	char *pi_glibc;			/* "2.36" */
	struct plan_note notes[PF_COUNT];
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
 * Fill every unset field with the recommended value and its reason, then
 * check the plan for contradictions (an armv7 target for a Pi Zero, a
 * 64-bit target for a 32-bit OS, musl with a linker that cannot link
 * musl, a CPU the target does not know). Returns 0, or RPX_EINVAL with a
 * sentence in err->msg that explains the contradiction and its fix.
 */
int plan_complete(struct plan *p, struct rpx_err *err);

#endif
