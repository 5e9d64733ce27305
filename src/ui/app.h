/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app.h - the wizard's screens and what they share (src/ui/ only).
 *
 * One file per step draws it and takes its keys (screen_welcome.c,
 * screen_board.c, ...); each hands the loop a struct screen. ui.c holds
 * the loop: it fills struct app's table of screens and is the only file
 * that names them. nav.c is below the screens: the status line, moving
 * between steps (through the table only), background work, the help
 * line. ask_dialog.c shows a worker's question (host key, password).
 * The steps' logic and slow work are in src/wizard/ (wizard.h).
 *
 *     ui.c (loop, keys, frame, help)
 *       -> screen_*.c -> nav.c, ask_dialog.c -> widgets, wizard.h
 */
#ifndef RPX_UI_APP_H
#define RPX_UI_APP_H

#include <signal.h>
#include <stdbool.h>

#include "ask.h"
#include "cargo_config.h"
#include "task.h"
#include "tui.h"
#include "wizard.h"

struct app;

/*
 * What the loop asks of a step's screen. Every hook may be NULL.
 */
struct screen {
	/* Before the terminal starts: the screen's widgets. */
	void (*setup)(struct app *a);
	/* The terminal is up: what the first frame needs. */
	void (*start)(struct app *a);
	/* The step became the current one (status line already cleared). */
	void (*enter)(struct app *a);
	/* An open text field of the step takes every key first (before the
	 * status line is cleared): true when one is open. */
	bool (*input)(struct app *a, const struct ui_key *k);
	/* A key for the step: UI_* bits, UI_HANDLED keeps it from the keys
	 * every step has (Enter, Esc, ?, q). */
	int (*key)(struct app *a, const struct ui_key *k);
	/* Draw the step between rows top and bottom, and its help line. */
	void (*draw)(struct app *a, int top, int bottom);
	/* Take what its background work did (whichever step is shown);
	 * true when the screen must be drawn again. */
	bool (*poll)(struct app *a);
	/* Its background work is running (the loop animates a spinner). */
	bool (*busy)(struct app *a);
	/* Leaving: end the work (the ask is cancelled), free the widgets. */
	void (*release)(struct app *a);
	/* Ctrl-C: stop the step's work when it runs one that stops (true:
	 * taken; else Ctrl-C asks to quit). */
	bool (*interrupt)(struct app *a);
};

/* One kind of background work and what the UI took from it. */
struct bg {
	struct task task;
	bool live;		/* started and not collected yet */
	int seen;		/* log lines copied */
};

/* The Board step's ways: the list, or detection over SSH. */
enum board_mode { BM_LIST, BM_HOST, BM_DETECTING, BM_DETECTED, BM_FAILED };

struct app {
	struct ctx *ctx;
	struct ui ui;
	struct wizard wiz;
	const struct screen *screens[WIZ_NSTEPS];
	/* Welcome: the toolchain search, then choosing a saved profile */
	struct task task;
	struct wiz_tc_job job;
	bool task_collected;
	struct ui_log welcome;	/* what the toolchain search found */
	int log_seen;		/* task log lines copied so far */
	bool prof_on;
	struct ui_list prof_list;
	/* Board step: the list, and detection over SSH */
	struct ui_list board;
	enum board_mode bmode;
	struct bg det_bg;
	struct wiz_det_job dj;
	struct ui_input host;
	struct ui_list aliases;
	struct ui_log det_log;
	char det_msg[2300];
	/* OS step; the std installed by rustup through a pty */
	struct ui_list os;
	struct bg std_bg;
	struct wiz_std_job sj;
	struct ui_log std_log;
	unsigned std_gen;	/* sj's screen last copied into std_log */
	struct std_install std_si;	/* how the std of std_si_t comes */
	const struct target *std_si_t;
	/* Linker step */
	struct bg lk_bg;
	struct wiz_lk_job lk;
	bool lk_have;		/* lk.scan holds a finished scan */
	struct ui_list lk_list;
	struct ui_log lk_log;
	/* CPU step: the list, rustc's list, "type another CPU name" */
	struct ui_list cpu;
	struct bg cpu_bg;
	struct wiz_cpu_job cj;
	struct ui_input cpu_input;
	bool cpu_typing;
	/* Config step */
	int cfg_mode;		/* 0: choices, 1: diff */
	struct ui_list cfg_list;
	struct ui_input cfg_dir;
	bool cfg_typing;
	struct ui_log cfg_diff;
	struct cargo_config_change cfg_ch;
	bool cfg_loaded;
	/* C libraries: a sysroot pulled from the Pi (Ctrl-C stops it) */
	struct bg sr_bg;
	struct wiz_sr_job srj;
	struct ui_log sr_log;
	/* Test step: 0 choosing, 1 running, 2 done */
	int pt_mode;
	struct bg pt_bg;
	struct wiz_pt_job pt;
	bool pt_have;		/* pt.res holds a result */
	volatile sig_atomic_t pt_stop;
	struct ui_list pt_list;
	struct ui_log pt_log;
	struct ui_input pt_host;
	bool pt_typing;
	/* Summary: the name to save the answers as */
	bool save_typing;
	struct ui_input save_name;
	/* a question from a worker (detection, test), shown as a dialog */
	struct ask ask;
	unsigned ask_serial;	/* the question shown (0: none) */
	enum ask_kind ask_kind;
	struct ui_confirm key_dlg;
	char key_text[900];
	struct ui_input secret;
	char secret_prompt[256];
	/* the frame, help and quitting */
	struct ui_confirm quit;
	char quit_text[600];
	struct ui_log help;
	bool help_on;
	char status[700];
	enum theme_role status_role;
	char theme_note[640];
	int spin;
	int exit_code;
	bool done;
	bool lost;		/* the terminal went away */
};

/* ---- nav.c: what every screen uses ------------------------------------ */

void app_set_status(struct app *a, enum theme_role r, const char *msg);
/* An error as "path:line:col: msg" (what is known of it). */
void app_err_string(char *out, size_t outsz, const struct rpx_err *e);
/* The step became current: status cleared, its screen's enter. */
void app_enter_step(struct app *a);
/* Next when the wizard allows it (else why on the status line); Next on
 * the Summary ends the wizard. */
void app_go_next(struct app *a);
void app_go_back(struct app *a);
/* The help line with ASCII arrows when the locale is not UTF-8. */
void app_help_line(struct app *a, const char *const *pairs);
/* Replace a list's entries with a step's rows (the cursor is the
 * caller's). */
void app_fill_list(struct ui_list *l, const struct wiz_rows *r);

/* Start a job on a fresh task (the old one joined and freed first). */
int bg_start(struct bg *b, task_fn fn, void *arg);
/* Copy new log lines of b into log; true when something changed. Sets
 * *done once, when the work has ended (then joined). */
bool bg_poll(struct bg *b, struct ui_log *log, bool *done);
/* A job's reports into task t's log and progress. */
struct wiz_report app_task_report(struct task *t);

/* Help lines several steps show. */
extern const char *const app_keys_plain[];
extern const char *const app_keys_radio[];
extern const char *const app_keys_input[];
extern const char *const app_keys_busy[];

/* ---- ask_dialog.c: a worker's question --------------------------------- */

/* A new question from the worker: open its dialog; true when one came. */
bool ask_dialog_poll(struct app *a);
/* Keys for an open question; true when one was open. */
bool ask_dialog_key(struct app *a, const struct ui_key *k);
/* The open question's dialog and its help line. */
void ask_dialog_draw(struct app *a);
/* Wipe the typed secret. */
void ask_dialog_wipe(struct app *a);

/* ---- the screens (only ui.c names them) ------------------------------ */

extern const struct screen screen_welcome;
extern const struct screen screen_board;
extern const struct screen screen_os;
extern const struct screen screen_linker;
extern const struct screen screen_cpu;
extern const struct screen screen_config;
extern const struct screen screen_test;
extern const struct screen screen_summary;

#endif
