/*
 * wizard.h - the wizard's step machine, without a terminal.
 *
 * The steps come in a fixed order; Next is allowed only when the current
 * step has what it needs (wizard_check says why not), Back always except
 * on the first step. Choices fill the wizard's struct plan: the board
 * (PLAN_USER), the OS word size and libc (PLAN_DEFAULT from the board,
 * PLAN_USER once changed), the target (board_recommend, with its
 * why-sentence) and the CPU (the board's core by default). The ui layer
 * draws the steps and turns keys into the calls below; everything it
 * shows comes from here or from the knowledge modules.
 *
 * Ownership: the wizard owns its plan's strings, the toolchain handed
 * to wizard_set_toolchain() and the CPU list handed to wizard_set_cpus();
 * wizard_release() frees them. plan.rustc points into the toolchain.
 */
#ifndef RPX_WIZARD_H
#define RPX_WIZARD_H

#include <stdbool.h>

#include "linker.h"
#include "pitest.h"
#include "plan.h"
#include "remote.h"
#include "strbuf.h"
#include "toolchain.h"

enum wiz_step {
	WIZ_WELCOME,
	WIZ_BOARD,
	WIZ_OS,
	WIZ_LINKER,
	WIZ_CPU,
	WIZ_CONFIG,
	WIZ_TEST,
	WIZ_SUMMARY,
	WIZ_NSTEPS
};

enum wiz_tc {
	WIZ_TC_SEARCHING,	/* toolchain_find has not answered yet */
	WIZ_TC_FOUND,
	WIZ_TC_MISSING,
};

struct wizard {
	enum wiz_step step;
	bool finished;		/* Next on the Summary */
	struct plan plan;
	enum wiz_tc tc_state;
	struct toolchain tc;
	/* rustc's -C target-cpu list for cpus_triple (cpus.n 0: not known,
	 * cpus_why says why) */
	struct cpu_list cpus;
	char *cpus_triple;
	char cpus_why[256];
	/* the Config step: the file written (or already right) */
	bool config_done;
	bool config_changed;	/* it was written, not just checked */
	char *config_path;
	/* an existing Cargo config's values (wizard_set_current) */
	const struct target *cur_target;
	char *cur_file, *cur_linker, *cur_cpu;
	bool cur_runner, cur_build_target;
	/* the Test step: 0 not run, 1 passed, -1 failed */
	int test_state;
	char test_note[256];	/* "Hello, world! on pi@host", the cause */
};

void wizard_init(struct wizard *w);
void wizard_release(struct wizard *w);

/* "Welcome", "Board", "OS and libc", ... */
const char *wizard_step_name(enum wiz_step s);
/* False for a step whose module is not in this version (none now);
 * *cmd (when not NULL) gets the command that will do it. */
bool wizard_step_available(enum wiz_step s, const char **cmd);

/* May the wizard leave the current step forwards? *why gets the reason
 * when not (a static sentence). */
bool wizard_check(const struct wizard *w, const char **why);
/* Next: 0, or RPX_EINVAL (nothing changes). Next on the Summary sets
 * finished. */
int wizard_next(struct wizard *w);
/* Back: 0, or RPX_EINVAL on the Welcome step. */
int wizard_back(struct wizard *w);

/* The result of toolchain_find (rc) and what it filled; takes ownership
 * of tc's strings (tc is left empty). */
void wizard_set_toolchain(struct wizard *w, struct toolchain *tc, int rc);

/*
 * Choose the board. When it changes, the OS word size and libc go back to
 * the board's defaults and the target and CPU are recomputed.
 */
void wizard_set_board(struct wizard *w, const struct board *b);
/* Can the chosen board run a bits-bit OS? *why says why not. */
bool wizard_bits_allowed(const struct wizard *w, int bits, const char **why);
/* Choose 32 or 64: 0, or RPX_EINVAL when the board cannot (no change). */
int wizard_set_bits(struct wizard *w, int bits);
void wizard_set_libc(struct wizard *w, enum libc libc);

/* A CPU the CPU step offers. */
struct wiz_cpu {
	const char *name;	/* rustc's name, "cortex-a72", or "generic" */
	const char *label;	/* "Cortex-A72 (Pi 4, 400, CM4)" */
	bool board_core;	/* the chosen board's own core */
	bool usable;		/* false: newer than the board's CPU */
	const char *why;	/* why not usable, or a remark; may be "" */
};
/*
 * The Raspberry Pi cores that fit the chosen target's architecture, the
 * board's core first, then "generic", then the others (those newer than
 * the board's ISA marked unusable). Returns how many (at most max).
 */
int wizard_cpu_choices(const struct wizard *w, struct wiz_cpu *out, int max);
/*
 * Choose the CPU by name (src PLAN_USER or PLAN_DEFAULT). A name the
 * list does not hold is taken as typed if it looks like a CPU name
 * (letters, digits, '-', '.', '_', '+'); RPX_EINVAL otherwise, or when it
 * is a listed core that the board cannot run.
 */
int wizard_set_cpu(struct wizard *w, const char *name, enum plan_src src);

/*
 * Choose the CPU list rustc gave for triple (taking ownership of l's
 * entries; l is left empty), or, with l NULL, say why there is none (the
 * CPU step then offers the Raspberry Pi cores only). A list for another
 * triple than the plan's target is ignored by the checks.
 */
void wizard_set_cpus(struct wizard *w, const char *triple,
		     struct cpu_list *l, const char *why);
/* True when rustc's list for the plan's target is known. */
bool wizard_have_cpus(const struct wizard *w);

/*
 * Choose a linker the linker module found (l->name, and its rustflags'
 * link-arg values as plan.link_args), noted src (PLAN_DEFAULT when
 * preselected, PLAN_USER when chosen) with why. RPX_EINVAL without a target.
 */
int wizard_set_linker(struct wizard *w, const struct linker *l,
		      enum plan_src src);

/*
 * What detection over SSH found: the board (when identified), the OS
 * word size, the Pi's glibc (all PLAN_DETECTED) and the host (PLAN_USER);
 * the libc is musl when the Pi's glibc is older than the toolchain's.
 * Returns 0, or RPX_ENOTFOUND when the model is not a known Raspberry Pi
 * (the OS and glibc are still taken; msg says what was found).
 */
int wizard_apply_probe(struct wizard *w, const char *host,
		       const struct remote_probe *p, char *msg, size_t msgsz);

/*
 * The Host aliases of an OpenSSH client config file (no patterns, no
 * negations), in file order, without duplicates, NULL-ended and malloc'd
 * (free each and the array). *n gets the count; a missing file gives an
 * empty list.
 */
char **wizard_ssh_aliases(const char *path, int *n);

/* Where the Cargo config goes (dir for PLAN_SCOPE_PROJECT), PLAN_USER. */
void wizard_set_scope(struct wizard *w, enum plan_scope scope,
		      const char *dir);
/* Also write [build] target, and the runner (PLAN_USER). */
void wizard_set_options(struct wizard *w, bool build_target, bool runner);
/* The Config step wrote path (changed) or found it already right. */
void wizard_config_done(struct wizard *w, const char *path, bool changed);
/* Forget that (entering the Config step again). */
void wizard_config_reset(struct wizard *w);

/*
 * The step that fixes a failed final test: the Board step for SSH
 * trouble, OS and libc for a missing std, a too new glibc or the wrong
 * word size, Linker for linker trouble, CPU for an illegal instruction,
 * Config for other build failures; WIZ_TEST (try again) otherwise.
 */
enum wiz_step wizard_step_for_cause(enum pitest_cause c);
/* The final test's outcome (passed; note: one line for the Summary). */
void wizard_test_done(struct wizard *w, bool passed, const char *note);

/*
 * Start from saved answers (a profile read into src by profile_apply()):
 * the board, word size and libc (or those of src's target), then the
 * CPU, linker and its link-args, config scope and options, and host,
 * each keeping src's note (PLAN_PROFILE). RPX_EINVAL when src has no
 * board (the wizard starts from a board).
 */
int wizard_apply_plan(struct wizard *w, const struct plan *src);

/*
 * What an existing Cargo config says for a Pi target (reconfiguring):
 * when the plan comes to that target, its linker, CPU, runner and
 * [build] target are taken (PLAN_CONFIG) as the starting values, and a
 * board that can run it starts with its word size and libc. file names
 * the config for the notes. NULL fields are left to the recommendations.
 */
void wizard_set_current(struct wizard *w, const struct target *t,
			const char *file, const char *linker,
			const char *cpu, bool runner, bool build_target);

/* 1 when the target's std is installed, 0 when not, -1 when unknown. */
int wizard_std_installed(const struct wizard *w);
/* "chosen", "recommended", ... for a note's source. */
const char *wizard_src_label(enum plan_src src);
/*
 * The command that builds for the plan, e.g.
 * RUSTFLAGS="-C target-cpu=cortex-a72" cargo build --release --target T
 * (malloc'd; NULL without a target).
 */
char *wizard_cargo_command(const struct wizard *w);
/*
 * The plan so far as lines "Label: value — why", for the Summary screen
 * and for printing when the wizard ends.
 */
void wizard_summary(const struct wizard *w, struct strbuf *sb);

#endif
