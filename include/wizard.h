/* SPDX-License-Identifier: MIT OR Apache-2.0 */
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

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include "cargo_config.h"
#include "linker.h"
#include "pitest.h"
#include "plan.h"
#include "profile.h"
#include "remote.h"
#include "strbuf.h"
#include "strvec.h"
#include "sysroot.h"
#include "termtext.h"
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

/* A sysroot of the plan's target the Config step offers. */
struct wiz_sysroot {
	char *name;
	char *root;		/* its root/ folder */
	char *about;		/* "from HOST, OS, glibc X, pulled DATE" */
	char *pulled;		/* ISO 8601 UTC, "" when not known */
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
	/* C libraries: the sysroots of the plan's target
	 * (wizard_load_sysroots), the one wired (NULL: none, pure Rust) */
	struct wiz_sysroot *sysroots;
	int nsysroots;
	size_t asysroots;
	char *sysroot, *sysroot_root;
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
 * C libraries (the Config step): the sysroots pulled before
 * (sysroot_list()) that fit the plan's target, into w->sysroots, newest
 * pull first. A chosen sysroot that is no longer there, or no longer fits
 * the target, is forgotten. 0, or RPX_E* with err (the base folder
 * unknown: no sysroots then).
 */
int wizard_load_sysroots(struct wizard *w, char *err, size_t errsz);
/* Forget the loaded sysroots and the choice (wizard_release does). */
void wizard_sysroots_release(struct wizard *w);
/* Can the plan's target link through a sysroot (a gnu target)? *why
 * says why not (a static sentence). */
bool wizard_sysroot_possible(const struct wizard *w, const char **why);
/* Wire the loaded sysroot named name (NULL: none, pure Rust): 0, or
 * RPX_ENOTFOUND when it is not among w->sysroots (nothing changes). */
int wizard_set_sysroot(struct wizard *w, const char *name);
/*
 * The Config step's change: planconf_prepare_sysroot() with the plan
 * and the chosen sysroot's wiring (its sysroot.yaml read now), why
 * getting the sysroot's sentences. Errors as that function's, or
 * RPX_EPARSE for a sysroot.yaml that does not parse.
 */
int wizard_config_prepare(const struct wizard *w,
			  struct cargo_config_change *ch, struct strvec *why,
			  struct rpx_err *err);

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
 * The plan so far, a line a field: a label ("Board:") and its value with
 * where it came from and why ("Raspberry Pi 4 Model B (detected) — ...").
 * The Summary screen draws the lines; wizard_summary() prints them.
 */
struct wiz_summary_line {
	const char *label;	/* static text, "Board:" */
	char *value;		/* malloc'd */
	bool build;		/* the command that builds: what to do next */
};
struct wiz_summary {
	struct wiz_summary_line *v;
	size_t n, alloc;
};
#define WIZ_SUMMARY_INIT { NULL, 0, 0 }
void wizard_summary_lines(const struct wizard *w, struct wiz_summary *out);
void wiz_summary_release(struct wiz_summary *s);
/* The same as text, "Label:   value\n" a line (the label padded to 8). */
void wizard_summary(const struct wizard *w, struct strbuf *sb);

/* ---- the lists the steps show (wizard/rows.c) ------------------------ */

/* The ids of the rows the ui acts on. */
enum { WIZ_BOARD_DETECT = -1 };	/* board rows: else board_all()'s index */
enum { WIZ_OS_32 = 32, WIZ_OS_64 = 64, WIZ_LIBC_GNU = 100,
       WIZ_LIBC_MUSL = 101 };
/* CPU rows: wizard_cpu_choices()'s index, or WIZ_CPU_RUSTC + rustc's */
enum { WIZ_CPU_TYPE = 99, WIZ_CPU_TYPED = 98, WIZ_CPU_RUSTC = 1000 };
enum { WIZ_CFG_GLOBAL = 1, WIZ_CFG_PROJECT, WIZ_CFG_BUILD, WIZ_CFG_RUNNER,
       WIZ_CFG_SHOW, WIZ_CFG_SR_NONE, WIZ_CFG_SR_PULL,
       WIZ_CFG_SR = 100 };	/* + w->sysroots' index */
enum { WIZ_PT_ON_HOST = 1, WIZ_PT_BY_ADDRESS, WIZ_PT_EMULATE, WIZ_PT_SKIP };

enum wiz_row_flags {
	WIZ_ROW_HEADER = 1 << 0,	/* a section title */
	WIZ_ROW_DISABLED = 1 << 1,	/* shown, never chosen */
	WIZ_ROW_CHOSEN = 1 << 2,	/* the current choice */
};

/* One row of a step's list: what the ui's list widget shows. */
struct wiz_row {
	unsigned flags;
	int id;
	int group;		/* radio group */
	char *text;
	char *note;		/* second column, or NULL */
	char *mark;		/* "recommended", "this board", or NULL */
	char *search;		/* what a filter matches, or NULL */
};

struct wiz_rows {
	struct wiz_row *v;
	int n;
	size_t alloc;		/* room in v (ALLOC_GROW) */
	int focus;		/* the row to start on */
	bool has_focus;		/* false: no row in particular */
};

#define WIZ_ROWS_INIT { NULL, 0, 0, -1, false }

/* Free the rows (r is left empty, ready for another list). */
void wiz_rows_release(struct wiz_rows *r);

/*
 * The rows of each step's list from the wizard's state (out is emptied
 * first). utf8: the terminal shows UTF-8 glyphs (else ASCII ones).
 * Board: "Detect over SSH", then every model (focus: the chosen one).
 * OS: the word sizes (64-bit disabled, with why, when the board cannot)
 * and the C libraries (focus: the chosen word size, else 32).
 * CPU: the Raspberry Pi cores (the board's first), then rustc's list
 * without those, a typed-in name, "Type another" (focus: the chosen).
 * Linker: each linker of sc with its probe's verdict (focus: the chosen,
 * else the recommended). Config: where and which options (focus: "Show
 * the changes"); for a gnu target also C libraries: none, each loaded
 * sysroot, "Pull a sysroot from the Pi now" when the plan has a host
 * (for musl one disabled row saying why). Test: the ways to run the test (focus: the Pi when the
 * plan has a host, else emulation).
 */
void wizard_board_rows(const struct wizard *w, struct wiz_rows *out);
void wizard_os_rows(const struct wizard *w, struct wiz_rows *out);
void wizard_cpu_rows(const struct wizard *w, bool utf8, struct wiz_rows *out);
void wizard_linker_rows(const struct wizard *w, const struct linker_scan *sc,
			bool utf8, struct wiz_rows *out);
void wizard_config_rows(const struct wizard *w, bool utf8,
			struct wiz_rows *out);
void wizard_test_rows(const struct wizard *w, bool utf8, struct wiz_rows *out);

/*
 * Choose what an OS row (id) says: 0 (nothing changes when it is the
 * choice already), or RPX_EINVAL for a word size the board cannot run
 * (*why says why).
 */
int wizard_choose_os_row(struct wizard *w, int id, const char **why);
/* Choose the sysroot a Config row (id) names: WIZ_CFG_SR_NONE or
 * WIZ_CFG_SR + index; true when the id was one of those. */
bool wizard_choose_sysroot_row(struct wizard *w, int id);
/* Choose the CPU a CPU row (id) names; other ids change nothing. */
void wizard_choose_cpu_row(struct wizard *w, int id);
/*
 * The linker to start from, once sc's probes are done: the one chosen
 * before, or from the Cargo config or a profile, when it works (with the
 * link-args it needs); else sc's recommended one. Returns 1 when a
 * linker from the config or profile does not work (msg says so), else 0.
 */
int wizard_preselect_linker(struct wizard *w, const struct linker_scan *sc,
			    char *msg, size_t msgsz);

/* ---- the steps' slow work (wizard/jobs.c) ---------------------------- */

/*
 * A job runs on the ui's worker thread and never touches the terminal;
 * it reports through these (the ui's task log; either may be NULL).
 * A line is cut at 511 bytes.
 */
struct wiz_report {
	void (*log)(void *data, const char *line);
	void (*progress)(void *data, int num, int den);
	void *data;
};

/* Welcome: the toolchain and the Pi targets' std, the saved profiles
 * and what an existing Cargo config (for this folder) sets up. */
struct wiz_tc_job {
	struct toolchain tc;
	int rc;
	struct profiles ps;
	const struct target *cur;	/* NULL: no Pi target configured */
	char *cur_file, *cur_linker, *cur_cpu;
	bool cur_runner, cur_build;
};
int wizard_job_toolchain(struct wiz_tc_job *j, const struct wiz_report *r);
/* The first Pi target the Cargo config of the current folder sets up
 * (its linker), with its CPU, runner and [build] target, into j->cur*. */
void wizard_read_current(struct wiz_tc_job *j);
void wizard_tc_job_release(struct wiz_tc_job *j);

/* Linker: the candidates for t (logged), then their probes into scan. */
struct wiz_lk_job {
	const struct target *t;
	const struct toolchain *tc;	/* NULL: no toolchain */
	struct linker_scan scan;
	int rc;
};
int wizard_job_linkers(struct wiz_lk_job *j, const struct wiz_report *r);

/* CPU: rustc's -C target-cpu list for t (why says why not). */
struct wiz_cpu_job {
	const struct toolchain *tc;
	const struct target *t;
	struct cpu_list l;
	char why[256];
	int rc;
};
int wizard_job_cpus(struct wiz_cpu_job *j);

/*
 * OS: the plan's std installed with `rustup target add` through a
 * pseudo-terminal cols wide, so rustup draws its own progress bar; the
 * worker replays it into tt (under lock, gen bumped) for the ui to show
 * live. cancel (Ctrl-C) stops rustup; rc is toolchain_install_std_tty()'s.
 */
struct wiz_std_job {
	const struct toolchain *tc;
	char triple[64];
	int cols;
	volatile sig_atomic_t cancel;
	pthread_mutex_t lock;
	struct termtext tt;
	unsigned gen;
	int rc;
	char why[512];
};
void wizard_std_job_init(struct wiz_std_job *j);
int wizard_job_std(struct wiz_std_job *j);
/* The screen so far into lines (replaced); its generation. */
unsigned wizard_std_job_lines(struct wiz_std_job *j, struct strvec *lines);
void wizard_std_job_release(struct wiz_std_job *j);
/* How the plan's std is installed (toolchain_std_install() for this host):
 * automatic with rustup, else the distro's package or a note. */
void wizard_std_advice(const struct wizard *w, struct std_install *si);

/* Board: connect to host and probe it; cb answers the questions. */
struct wiz_det_job {
	char host[256];
	struct remote_callbacks cb;
	struct remote_probe probe;
	char err[2048];
	int rc;
};
int wizard_job_detect(struct wiz_det_job *j, const struct wiz_report *r);

/*
 * Config: `sysroot pull` from host for target t (its default name): the
 * connection's questions go to cb; stop (Ctrl-C) ends it cleanly,
 * leaving the previous sysroot as it was. name gets the sysroot's name,
 * err what went wrong and what to do.
 */
struct wiz_sr_job {
	char host[256];
	const struct target *t;
	struct remote_callbacks cb;
	volatile sig_atomic_t stop;
	char name[128];
	struct sysroot_stats st;
	char err[2048];
	int rc;
};
int wizard_job_sysroot(struct wiz_sr_job *j, const struct wiz_report *r);

/* Test: the final test (pitest.h), its events as log lines. */
struct wiz_pt_job {
	struct pitest_opts o;
	struct pitest_result res;
	struct wiz_report rep;	/* set by wizard_job_test */
	char host[256];
	int rc;
};
/* Set j up to test the plan on host (or under emulation); cb answers
 * SSH's questions; stop cancels. res must be released or empty. */
void wizard_test_setup(struct wiz_pt_job *j, const struct wizard *w,
		       const char *host, bool emulate,
		       const struct remote_callbacks *cb,
		       volatile sig_atomic_t *stop);
int wizard_job_test(struct wiz_pt_job *j, const struct wiz_report *r);
/* The test's outcome into the wizard (wizard_test_done). */
void wizard_test_collect(struct wizard *w, const struct wiz_pt_job *j);

#endif
