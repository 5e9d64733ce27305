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
 * Ownership: the wizard owns its plan's strings and the toolchain handed
 * to wizard_set_toolchain(); wizard_release() frees them. It uses only the
 * fields of struct plan (not the plan_* functions).
 */
#ifndef RPX_WIZARD_H
#define RPX_WIZARD_H

#include <stdbool.h>

#include "plan.h"
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
};

void wizard_init(struct wizard *w);
void wizard_release(struct wizard *w);

/* "Welcome", "Board", "OS and libc", ... */
const char *wizard_step_name(enum wiz_step s);
/* False for the steps whose modules are not in this version (Linker,
 * Config, Test); *cmd (when not NULL) gets the command that will do it. */
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
