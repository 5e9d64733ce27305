/*
 * wizard_ui.c - the wizard's screens and its input loop. The step machine
 * (wizard.h) decides; this file only draws it and turns keys into calls.
 */
#include "ui.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ask.h"
#include "board.h"
#include "cargo_config.h"
#include "hostos.h"
#include "linker.h"
#include "planconf.h"
#include "profile.h"
#include "remote.h"
#include "strbuf.h"
#include "task.h"
#include "theme.h"
#include "toolchain.h"
#include "tui.h"
#include "wizard.h"

/* toolchain_find() and the std checks, on the worker thread. */
struct tc_job {
	struct toolchain tc;
	int rc;
	/* saved profiles, and what an existing Cargo config says */
	struct profiles ps;
	const struct target *cur;
	char *cur_file, *cur_linker, *cur_cpu;
	bool cur_runner, cur_build;
};

/* linker_scan() on the worker: first the candidates alone (shown while
 * the probes run), then the probes. */
struct lk_job {
	const struct target *t;
	const struct toolchain *tc;
	struct linker_scan scan;
	int rc;
};

/* rustc's -C target-cpu list. */
struct cpu_job {
	const struct toolchain *tc;
	const struct target *t;
	struct cpu_list l;
	char why[256];
	int rc;
};

/* Connect to the Pi and probe it; questions go through ask. */
struct det_job {
	char host[256];
	struct ask *q;
	struct remote_probe probe;
	char err[2048];
	int rc;
};

/* The final test (pitest.h), its events turned into log lines. */
struct pt_job {
	struct pitest_opts o;
	struct pitest_result res;
	struct task *t;
	char host[256];
	int rc;
};

/* One kind of background work and what the UI took from it. */
struct bg {
	struct task task;
	bool live;		/* started and not collected yet */
	int seen;		/* log lines copied */
};

/* The Board step's ways: the list, or detection over SSH. */
enum board_mode { BM_LIST, BM_HOST, BM_DETECTING, BM_DETECTED, BM_FAILED };

enum { CPU_TYPE_ID = 99, CPU_TYPED_ID = 98, DETECT_ID = -1,
       CPU_RUSTC_BASE = 1000 };
enum { OS_32 = 32, OS_64 = 64, LIBC_GNU_ID = 100, LIBC_MUSL_ID = 101 };

struct app {
	struct ctx *ctx;
	struct ui ui;
	struct wizard wiz;
	struct task task;
	struct tc_job job;
	bool task_collected;
	struct ui_log welcome;	/* what the toolchain search found */
	int log_seen;		/* task log lines copied so far */
	struct ui_list board, os, cpu;
	struct ui_input input;	/* "type another CPU name" */
	bool typing;
	/* Linker step */
	struct bg lk_bg;
	struct lk_job lk;
	bool lk_have;		/* lk.scan holds a finished scan */
	struct ui_list lk_list;
	struct ui_log lk_log;
	/* CPU step: rustc's list */
	struct bg cpu_bg;
	struct cpu_job cj;
	/* Board step: detection over SSH */
	enum board_mode bmode;
	struct bg det_bg;
	struct det_job dj;
	struct ask ask;
	struct ui_input host;
	struct ui_list aliases;
	struct ui_log det_log;
	char det_msg[2300];
	/* a question from the worker, shown as a dialog */
	unsigned ask_serial;	/* the question shown (0: none) */
	enum ask_kind ask_kind;
	struct ui_confirm key_dlg;
	char key_text[900];
	struct ui_input secret;
	char secret_prompt[256];
	/* Config step */
	int cfg_mode;		/* 0: choices, 1: diff */
	struct ui_list cfg_list;
	struct ui_input cfg_dir;
	bool cfg_typing;
	struct ui_log cfg_diff;
	char *cfg_path;
	struct cargo_config_change cfg_ch;
	bool cfg_loaded;
	bool cfg_written;
	char cfg_msg[700];
	/* Test step: 0 choosing, 1 running, 2 done */
	int pt_mode;
	struct bg pt_bg;
	struct pt_job pt;
	bool pt_have;		/* pt.res holds a result */
	volatile sig_atomic_t pt_stop;
	struct ui_list pt_list;
	struct ui_log pt_log;
	struct ui_input pt_host;
	bool pt_typing;
	/* Summary: the name to save the answers as */
	bool save_typing;
	struct ui_input save_name;
	/* Welcome: choosing a saved profile */
	bool prof_on;
	struct ui_list prof_list;
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

static const char *
env_get(const char *name, void *data)
{
	(void)data;
	return rpx_getenv(name);
}

/* The first Pi target an existing Cargo config (for this folder) sets
 * up, and its linker, CPU, runner and [build] target. */
static void
read_current(struct tc_job *j)
{
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	char *home = cargo_config_home(env_get, NULL);
	char cwd[4096], **ts = NULL;

	if (home == NULL || getcwd(cwd, sizeof(cwd)) == NULL)
		goto out;
	set.getenv_fn = env_get;
	if (cargo_config_discover(&set, cwd, home) != 0)
		goto out;
	ts = cargo_config_targets(&set);
	for (int i = 0; ts != NULL && ts[i] != NULL && j->cur == NULL; i++) {
		const struct target *t = target_find(ts[i]);
		struct cargo_config_value v = { 0 };
		char key[200];

		if (t == NULL || !t->pi_os)
			continue;
		snprintf(key, sizeof(key), "target.%s.linker", t->triple);
		if (cargo_config_effective(&set, key, &v) != 0 || v.value == NULL) {
			cargo_config_value_release(&v);
			continue;
		}
		j->cur = t;
		/* the TOML string's text without its quotes */
		j->cur_linker = xstrdup(v.value + (v.value[0] == '"'));
		j->cur_linker[strcspn(j->cur_linker, "\"")] = '\0';
		j->cur_file = xstrdup(v.origin ? v.origin : "");
		if (strrchr(j->cur_file, ':') != NULL)
			*strrchr(j->cur_file, ':') = '\0';
		cargo_config_value_release(&v);
		snprintf(key, sizeof(key), "target.%s.rustflags", t->triple);
		if (cargo_config_effective(&set, key, &v) == 0 && v.value != NULL) {
			const char *c = strstr(v.value, "target-cpu=");

			if (c != NULL) {
				j->cur_cpu = xstrdup(c + strlen("target-cpu="));
				j->cur_cpu[strcspn(j->cur_cpu, "\" ,]'")] = '\0';
			}
		}
		cargo_config_value_release(&v);
		snprintf(key, sizeof(key), "target.%s.runner", t->triple);
		j->cur_runner = cargo_config_effective(&set, key, &v) == 0 &&
				v.value != NULL;
		cargo_config_value_release(&v);
		j->cur_build = cargo_config_effective(&set, "build.target", &v) == 0 &&
			       v.value != NULL && strstr(v.value, t->triple) != NULL;
		cargo_config_value_release(&v);
	}
out:
	if (ts != NULL)
		toml_segs_free(ts);
	cargo_config_set_release(&set);
	free(home);
}

static int
tc_work(struct task *t, void *arg)
{
	struct tc_job *j = arg;
	const struct target *all;
	int n, k = 0, total = 0;

	{
		char *path = profile_default_path();
		struct rpx_err perr = RPX_ERR_INIT;

		if (path != NULL && profiles_read(&j->ps, path, &perr) != 0)
			profiles_release(&j->ps);
		free(path);
		read_current(j);
	}
	task_log(t, "Looking for rustc: $RUSTC, then PATH, then $CARGO_HOME/bin");
	j->rc = toolchain_find(&j->tc);
	if (j->rc != 0) {
		task_log(t, "No working rustc was found.");
		return j->rc;
	}
	task_log(t, "Found %s", j->tc.rustc);
	task_log(t, "Version: %s", j->tc.version);
	task_log(t, "Sysroot: %s", j->tc.sysroot);
	all = target_all(&n);
	for (int i = 0; i < n; i++)
		total += all[i].pi_os;
	for (int i = 0; i < n; i++) {
		if (!all[i].pi_os)
			continue;
		task_progress(t, k, total);
		task_log(t, "  %-36s std %s", all[i].triple,
			 toolchain_has_std(&j->tc, all[i].triple) ?
			 "installed" : "not installed");
		k++;
	}
	task_progress(t, k, total);
	return 0;
}

static void go_next(struct app *a);
static void err_string(char *out, size_t outsz, const struct rpx_err *e);
static void set_status(struct app *a, enum theme_role r, const char *msg);

static int
lk_work(struct task *t, void *arg)
{
	struct lk_job *j = arg;
	struct linker_opts o = { j->tc, NULL, 0, false };
	struct linker_scan found = LINKER_SCAN_INIT;

	task_log(t, "Looking for cross linkers for %s", j->t->triple);
	if (linker_scan(j->t, &o, &found) == 0) {
		for (int i = 0; i < found.n; i++)
			task_log(t, "  %-26s %-8s %s", found.v[i].name,
				 linker_kind_name(found.v[i].kind),
				 found.v[i].path);
		task_log(t, "Probing %d candidate%s at once: each links a test program",
			 found.n, found.n == 1 ? "" : "s");
	}
	linker_scan_release(&found);
	o.probe = true;
	j->rc = linker_scan(j->t, &o, &j->scan);
	return j->rc;
}

static int
cpu_work(struct task *t, void *arg)
{
	struct cpu_job *j = arg;

	(void)t;
	j->why[0] = '\0';
	j->rc = toolchain_target_cpus(j->tc, j->t->triple, &j->l, j->why,
				      sizeof(j->why));
	return j->rc;
}

static int
det_work(struct task *t, void *arg)
{
	struct det_job *j = arg;
	struct remote r = REMOTE_INIT;
	struct remote_opts o = REMOTE_OPTS_INIT;
	const struct remote_probe *p = &j->probe;

	o.target = j->host;
	o.cb.confirm_host_key = ask_host_key;
	o.cb.ask = ask_secret;
	o.cb.data = j->q;
	j->err[0] = '\0';
	task_log(t, "Connecting to %s", j->host);
	j->rc = remote_connect(&r, &o);
	if (j->rc != 0) {
		snprintf(j->err, sizeof(j->err), "%s", r.err);
		goto out;
	}
	task_log(t, "Logged in as %s; probing the board", r.display);
	j->rc = remote_probe(&r, NULL, &j->probe);
	if (j->rc != 0) {
		snprintf(j->err, sizeof(j->err), "%s", r.err);
		goto out;
	}
	task_log(t, "Model: %s", p->ident.model[0] ? p->ident.model : "unknown");
	task_log(t, "OS: %s, %d-bit userland (%s), kernel %s",
		 p->os_pretty[0] ? p->os_pretty : "unknown", p->os_bits,
		 p->dpkg_arch[0] ? p->dpkg_arch : "?", p->machine);
	task_log(t, "glibc: %s", p->glibc[0] ? p->glibc : "unknown");
out:
	remote_release(&r);
	return j->rc;
}

/* Copy new log lines of b into log; true when something changed. Sets
 * *done once, when the work has ended (then joined). */
static bool
bg_poll(struct bg *b, struct ui_log *log, bool *done)
{
	struct task_snap snap;
	bool changed = false;

	*done = false;
	if (!b->live)
		return false;
	task_snapshot(&b->task, &snap);
	while (b->seen < snap.nlines) {
		char *line = task_line(&b->task, b->seen++);

		if (log != NULL)
			ui_log_add(log, line ? line : "");
		free(line);
		changed = true;
	}
	if (snap.done) {
		task_finish(&b->task);
		b->live = false;
		*done = true;
		changed = true;
	}
	return changed;
}

/* Start fn on a fresh task (the old one joined and freed first). */
static int
bg_start(struct bg *b, task_fn fn, void *arg)
{
	task_release(&b->task);
	b->seen = 0;
	b->live = task_start(&b->task, fn, arg) == 0;
	return b->live ? 0 : RPX_EIO;
}

static void
set_status(struct app *a, enum theme_role r, const char *msg)
{
	a->status_role = r;
	snprintf(a->status, sizeof(a->status), "%.699s", msg ? msg : "");
}

/* ---- building the lists from the wizard's state -------------------- */

static void
build_board_list(struct app *a)
{
	int n;
	const struct board *all = board_all(&n);
	const struct ui_item *cur = ui_list_current(&a->board);
	int keep = cur ? cur->id : -2;

	ui_list_clear(&a->board);
	ui_list_add(&a->board, 0, DETECT_ID, 0,
		    "Detect over SSH", "ask the Pi itself: model, OS, glibc",
		    NULL);
	for (int i = 0; i < n; i++) {
		char note[160];

		snprintf(note, sizeof(note), "%-13s %-8s %s", all[i].core,
			 isa_name(all[i].isa),
			 all[i].official64 ? "32/64-bit" :
			 all[i].can64 ? "32-bit (64 unofficial)" : "32-bit only");
		ui_list_add(&a->board,
			    a->wiz.plan.board == &all[i] ? UI_ITEM_CHOSEN : 0,
			    i, 0, all[i].name, note, NULL);
		/* the filter matches the name, id, core, SoC and ISA, not the
		 * 32/64 column (a "4" would find every 64-bit board) */
		snprintf(note, sizeof(note), "%s %s %s %s %s", all[i].name,
			 all[i].id, all[i].core, all[i].soc, isa_name(all[i].isa));
		ui_list_search(&a->board, note);
	}
	if (keep >= 0)
		ui_list_focus(&a->board, keep);
	else if (a->wiz.plan.board != NULL)
		ui_list_focus(&a->board, (int)(a->wiz.plan.board - all));
}

static void
build_os_list(struct app *a)
{
	const struct wizard *w = &a->wiz;
	const struct board *b = w->plan.board;
	const struct ui_item *cur = ui_list_current(&a->os);
	int keep = cur ? cur->id : (w->plan.os_bits ? w->plan.os_bits : OS_32);
	int def = board_default_bits(b);
	const char *why = "";
	bool ok64 = wizard_bits_allowed(w, 64, &why);
	char note64[160];

	ui_list_clear(&a->os);
	ui_list_add(&a->os, UI_ITEM_HEADER, -10, 0,
		    "Operating system on the Pi", NULL, NULL);
	ui_list_add(&a->os, w->plan.os_bits == 32 ? UI_ITEM_CHOSEN : 0, OS_32,
		    1, "32-bit Raspberry Pi OS (armhf)",
		    b && b->isa == ISA_ARMV6 ? "the only OS this CPU runs" :
		    "runs on every Pi", def == 32 ? "recommended" : NULL);
	if (ok64)
		snprintf(note64, sizeof(note64), "%s",
			 b && b->official64 ? "aarch64: more registers, faster" :
			 "the CPU can, but Raspberry Pi OS does not support it");
	else
		snprintf(note64, sizeof(note64), "not possible: %s", why);
	ui_list_add(&a->os, (ok64 ? 0 : UI_ITEM_DISABLED) |
		    (w->plan.os_bits == 64 ? UI_ITEM_CHOSEN : 0), OS_64, 1,
		    "64-bit Raspberry Pi OS (arm64)", note64,
		    def == 64 ? "recommended" : NULL);
	ui_list_add(&a->os, UI_ITEM_HEADER, -11, 0, "C library", NULL, NULL);
	ui_list_add(&a->os, w->plan.libc == LIBC_GNU ? UI_ITEM_CHOSEN : 0,
		    LIBC_GNU_ID, 2, "gnu (glibc)",
		    "smaller, faster; needs a glibc no newer than the Pi's",
		    "recommended");
	ui_list_add(&a->os, w->plan.libc == LIBC_MUSL ? UI_ITEM_CHOSEN : 0,
		    LIBC_MUSL_ID, 2, "musl (static)",
		    "runs whatever the Pi's glibc; often slower", NULL);
	ui_list_focus(&a->os, keep);
}

static void
build_cpu_list(struct app *a)
{
	struct wiz_cpu c[8];
	int n = wizard_cpu_choices(&a->wiz, c, (int)ARRAY_SIZE(c));
	const char *have = a->wiz.plan.cpu;
	const struct ui_item *cur = ui_list_current(&a->cpu);
	int keep = cur != NULL ? cur->id : -1;
	bool listed = false, rustc = wizard_have_cpus(&a->wiz);
	int focus = -1;

	ui_list_clear(&a->cpu);
	if (rustc)
		ui_list_add(&a->cpu, UI_ITEM_HEADER, -20, 0,
			    "Raspberry Pi cores", NULL, NULL);
	for (int i = 0; i < n; i++) {
		bool chosen = have != NULL && strcmp(have, c[i].name) == 0;
		char text[128];

		snprintf(text, sizeof(text), "%-13s %s", c[i].name, c[i].label);
		ui_list_add(&a->cpu, (c[i].usable ? 0 : UI_ITEM_DISABLED) |
			    (chosen ? UI_ITEM_CHOSEN : 0), i, 1, text, c[i].why,
			    c[i].board_core ? "this board" : NULL);
		if (chosen) {
			listed = true;
			focus = i;
		}
	}
	if (rustc) {
		char head[160];

		snprintf(head, sizeof(head), "Every CPU rustc knows for %s",
			 a->wiz.plan.target->triple);
		ui_list_add(&a->cpu, UI_ITEM_HEADER, -21, 0, head, NULL, NULL);
		for (int i = 0; i < a->wiz.cpus.n; i++) {
			const struct cpu_entry *e = &a->wiz.cpus.v[i];
			bool chosen = have != NULL && strcmp(have, e->name) == 0;
			bool dup = false;

			for (int j = 0; j < n && !dup; j++)
				dup = strcmp(c[j].name, e->name) == 0;
			if (dup)
				continue;
			ui_list_add(&a->cpu, chosen ? UI_ITEM_CHOSEN : 0,
				    CPU_RUSTC_BASE + i, 1, e->name,
				    e->is_default ? "the target's default" :
				    e->is_native ? "this host's CPU: not a Pi's" :
				    e->desc, NULL);
			if (chosen) {
				listed = true;
				focus = CPU_RUSTC_BASE + i;
			}
		}
	}
	if (have != NULL && !listed) {
		char text[128];

		snprintf(text, sizeof(text), "%-13s %s", have, "(typed in)");
		ui_list_add(&a->cpu, UI_ITEM_CHOSEN, CPU_TYPED_ID, 1, text,
			    rustc ? "in rustc's list" : "not checked: rustc gave no list", NULL);
		focus = CPU_TYPED_ID;
	}
	ui_list_add(&a->cpu, 0, CPU_TYPE_ID, 2,
		    ui_glyph(&a->ui, "Type another CPU name\xe2\x80\xa6",
			     "Type another CPU name..."),
		    "any -C target-cpu value rustc knows", NULL);
	a->cpu.textw = 0;
	/* a rebuild keeps the cursor where the user put it */
	ui_list_focus(&a->cpu, keep >= 0 ? keep : focus);
}

/* ---- Linker step --------------------------------------------------- */

static void
lk_start(struct app *a)
{
	if (a->lk_bg.live || a->wiz.plan.target == NULL)
		return;
	linker_scan_release(&a->lk.scan);
	a->lk_have = false;
	a->lk.t = a->wiz.plan.target;
	a->lk.tc = a->wiz.tc_state == WIZ_TC_FOUND ? &a->wiz.tc : NULL;
	a->lk.rc = 0;
	ui_log_release(&a->lk_log);
	ui_log_init(&a->lk_log, false);
	a->lk_log.busy = true;
	ui_list_clear(&a->lk_list);
	if (bg_start(&a->lk_bg, lk_work, &a->lk) < 0) {
		struct task none = TASK_INIT;

		lk_work(&none, &a->lk);
		task_release(&none);
		a->lk_have = true;
	}
}

static void
build_lk_list(struct app *a)
{
	const struct linker_scan *sc = &a->lk.scan;
	const struct ui_item *cur = ui_list_current(&a->lk_list);
	int keep = cur ? cur->id : -1;
	int focus = sc->recommended;

	ui_list_clear(&a->lk_list);
	for (int i = 0; i < sc->n; i++) {
		const struct linker *l = &sc->v[i];
		struct strbuf note = STRBUF_INIT;
		bool chosen = a->wiz.plan.linker != NULL &&
			      strcmp(a->wiz.plan.linker, l->name) == 0;

		if (l->works) {
			strbuf_addf(&note, "%s works  ", ui_glyph(&a->ui, "\xe2\x9c\x93", "+"));
			linker_elf_summary(l, &note);
		} else {
			strbuf_addf(&note, "%s fails  %s", ui_glyph(&a->ui, "\xe2\x9c\x97", "x"),
				    l->why ? l->why : "");
		}
		ui_list_add(&a->lk_list, chosen ? UI_ITEM_CHOSEN : 0, i, 1,
			    l->name, note.buf,
			    i == sc->recommended ? "recommended" : NULL);
		if (chosen)
			focus = i;
		strbuf_release(&note);
	}
	a->lk_list.textw = 0;
	ui_list_focus(&a->lk_list, keep >= 0 ? keep : focus);
}

/*
 * The linker to start from: one chosen before, or from the Cargo config
 * or profile, when it works; else the recommended one.
 */
static void
lk_preselect(struct app *a)
{
	const struct linker_scan *sc = &a->lk.scan;
	const char *have = a->wiz.plan.linker;

	for (int i = 0; have != NULL && i < sc->n; i++) {
		if (!sc->v[i].works || (strcmp(sc->v[i].name, have) != 0 &&
					strcmp(sc->v[i].path, have) != 0))
			continue;
		/* it works: keep it, with the link-args it needs */
		if (a->wiz.plan.link_args == NULL && sc->v[i].rustflags != NULL) {
			char **args = linker_link_args(sc->v[i].rustflags);

			a->wiz.plan.link_args = args;
		}
		return;
	}
	if (have != NULL && a->wiz.plan.notes[PF_LINKER].src != PLAN_DEFAULT) {
		char msg[400];

		snprintf(msg, sizeof(msg), "%s (%s) does not link for %s here: the recommended one is preselected",
			 have, wizard_src_label(a->wiz.plan.notes[PF_LINKER].src),
			 sc->target ? sc->target->triple : "the target");
		set_status(a, TR_WARN, msg);
	}
	if (sc->recommended >= 0)
		wizard_set_linker(&a->wiz, &sc->v[sc->recommended], PLAN_DEFAULT);
}

/* A finished scan: the recommended linker preselected. */
static void
lk_collect(struct app *a)
{
	a->lk_log.busy = false;
	if (a->lk.t != a->wiz.plan.target) {	/* the target changed meanwhile */
		lk_start(a);
		return;
	}
	a->lk_have = true;
	lk_preselect(a);
	build_lk_list(a);
}

static void
lk_choose(struct app *a, bool next)
{
	const struct ui_item *it = ui_list_current(&a->lk_list);
	const struct linker *l;
	char msg[600];

	if (it == NULL || !a->lk_have || it->id < 0 || it->id >= a->lk.scan.n)
		return;
	l = &a->lk.scan.v[it->id];
	if (!l->works) {
		snprintf(msg, sizeof(msg), "%s does not work for %s: %s", l->name,
			 a->lk.t->triple, l->why ? l->why : "its probe failed");
		set_status(a, TR_FAIL, msg);
		return;
	}
	wizard_set_linker(&a->wiz, l, PLAN_USER);
	build_lk_list(a);
	if (next)
		go_next(a);
}

static void
draw_linker(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	const struct plan *p = &a->wiz.plan;
	const struct linker_scan *sc = &a->lk.scan;
	char line[700];
	int y = top, w = ui->cols - 2, listh, works = 0;

	snprintf(line, sizeof(line), "Which linker should Cargo use to link for %s?",
		 p->target ? p->target->triple : "the target");
	y += ui_wrap(ui, y, 1, w, 2, TR_TEXT, line) + 1;
	if (!a->lk_have) {
		snprintf(line, sizeof(line), "%s Probing the cross linkers on this machine: each links a real test program%s",
			 ui_spinner(ui, a->spin), ui_glyph(ui, "\xe2\x80\xa6", "..."));
		y += ui_wrap(ui, y, 1, w, 2, TR_KEY, line) + 1;
		if (bottom - y >= 2)
			ui_log_draw(ui, &a->lk_log, y, 2, bottom - y, w - 2, a->spin);
		return;
	}
	for (int i = 0; i < sc->n; i++)
		works += sc->v[i].works;
	if (sc->n == 0) {
		snprintf(line, sizeof(line), "No cross linker for %s was found on this machine.",
			 a->lk.t->triple);
		y += ui_wrap(ui, y, 1, w, 2, TR_FAIL, line) + 1;
	} else {
		listh = sc->n < 6 ? sc->n : 6;
		if (listh > bottom - y - 6)
			listh = bottom - y - 6 > 1 ? bottom - y - 6 : 1;
		ui_list_draw(ui, &a->lk_list, y, 1, listh, w);
		y += listh + 1;
	}
	if (works == 0) {
		struct strbuf cmd = STRBUF_INIT, note = STRBUF_INIT;
		struct host_os os;

		hostos_detect(&os);
		linker_install_hint(a->lk.t, &os, &cmd, &note);
		snprintf(line, sizeof(line), "None of them links for %s.%s%s",
			 a->lk.t->triple, cmd.len ? " Install one with:  " : "",
			 cmd.buf);
		y += ui_wrap(ui, y, 1, w, bottom - y, TR_WARN, line);
		if (note.len && y < bottom)
			y += ui_wrap(ui, y, 1, w, bottom - y, TR_TEXT, note.buf);
		if (y < bottom)
			ui_wrap(ui, y, 1, w, bottom - y, TR_DIM,
				"Then press r to probe again (or go back and choose another target).");
		strbuf_release(&cmd);
		strbuf_release(&note);
		return;
	}
	{
		const struct ui_item *it = ui_list_current(&a->lk_list);
		const struct linker *l = it && it->id >= 0 && it->id < sc->n ?
					 &sc->v[it->id] : NULL;

		if (l != NULL && y < bottom) {
			struct strbuf d = STRBUF_INIT;

			strbuf_addf(&d, "%s: %s", l->path, l->version ? l->version : linker_kind_name(l->kind));
			y += ui_wrap(ui, y, 1, w, 2, TR_DIM, d.buf);
			strbuf_reset(&d);
			if (l->works)
				strbuf_addf(&d, "Works: linked %s for %s in %.1f s (%s probe)",
					    l->probe == LINKER_PROBE_RUSTC ? "a Rust hello-world" : "a C hello-world",
					    a->lk.t->triple, l->probe_ms / 1000.0,
					    linker_probe_name(l->probe));
			else
				strbuf_addf(&d, "Fails: %s", l->why ? l->why : "its probe failed");
			for (char **f = l->rustflags; f != NULL && *f != NULL; f++)
				strbuf_addf(&d, "%s%s", f == l->rustflags ? "; needs rustflags " : " ", *f);
			if (y < bottom)
				y += ui_wrap(ui, y, 1, w, 3, l->works ? TR_OK : TR_FAIL, d.buf);
			if (l->note != NULL && y < bottom)
				y += ui_wrap(ui, y, 1, w, 2, TR_DIM, l->note);
			strbuf_release(&d);
		}
	}
	if (y < bottom) {
		snprintf(line, sizeof(line), "%d of %d linkers work for %s (probed in %.1f s). r probes again.",
			 works, sc->n, a->lk.t->triple, sc->elapsed_ms / 1000.0);
		ui_wrap(ui, y, 1, w, bottom - y, TR_TEXT, line);
	}
}

/* ---- CPU step: rustc's list ---------------------------------------- */

static void
cpu_start(struct app *a)
{
	if (a->cpu_bg.live || a->wiz.plan.target == NULL ||
	    a->wiz.tc_state != WIZ_TC_FOUND)
		return;
	if (a->wiz.cpus_triple != NULL &&
	    strcmp(a->wiz.cpus_triple, a->wiz.plan.target->triple) == 0)
		return;		/* asked already */
	cpu_list_release(&a->cj.l);
	a->cj.tc = &a->wiz.tc;
	a->cj.t = a->wiz.plan.target;
	if (bg_start(&a->cpu_bg, cpu_work, &a->cj) < 0) {
		struct task none = TASK_INIT;

		cpu_work(&none, &a->cj);
		task_release(&none);
		wizard_set_cpus(&a->wiz, a->cj.t->triple,
				a->cj.rc == 0 ? &a->cj.l : NULL, a->cj.why);
	}
}

static void
cpu_collect(struct app *a)
{
	wizard_set_cpus(&a->wiz, a->cj.t->triple, a->cj.rc == 0 ? &a->cj.l : NULL,
			a->cj.why[0] ? a->cj.why : "rustc could not list them");
	cpu_list_release(&a->cj.l);
	if (a->wiz.step == WIZ_CPU) {
		if (a->cj.t != a->wiz.plan.target)
			cpu_start(a);
		build_cpu_list(a);
	}
}

/* ---- Board step: detection over SSH --------------------------------- */

static void
det_open_host(struct app *a)
{
	char *cfg = NULL;
	const char *home = rpx_getenv("HOME");
	const char *env = rpx_getenv("RPI_CROSS_HOST");
	char **al;
	int n = 0;

	ui_input_init(&a->host, a->wiz.plan.host ? a->wiz.plan.host :
			       env ? env : "", false);
	ui_list_clear(&a->aliases);
	if (home != NULL)
		cfg = xasprintf("%s/.ssh/config", home);
	al = wizard_ssh_aliases(cfg, &n);
	for (int i = 0; i < n; i++) {
		ui_list_add(&a->aliases, 0, i, 0, al[i], NULL, NULL);
		free(al[i]);
	}
	free(al);
	free(cfg);
	a->bmode = BM_HOST;
}

static void
det_start(struct app *a, const char *host)
{
	char why[256];

	if (a->det_bg.live)
		return;
	if (host == NULL || *host == '\0') {
		set_status(a, TR_WARN, "type the Pi's address ([USER@]HOST[:PORT]) or choose an alias");
		return;
	}
	{
		char *u = NULL, *h = NULL;
		int port = 0;

		if (remote_parse_target(host, &u, &h, &port, why, sizeof(why)) != 0) {
			set_status(a, TR_FAIL, why);
			return;
		}
		free(u);
		free(h);
	}
	memset(&a->dj.probe, 0, sizeof(a->dj.probe));
	snprintf(a->dj.host, sizeof(a->dj.host), "%s", host);
	a->dj.q = &a->ask;
	a->dj.rc = 0;
	ask_reset(&a->ask);
	a->ask_serial = 0;
	ui_log_release(&a->det_log);
	ui_log_init(&a->det_log, false);
	a->det_log.busy = true;
	a->bmode = BM_DETECTING;
	if (bg_start(&a->det_bg, det_work, &a->dj) < 0) {
		a->bmode = BM_FAILED;
		snprintf(a->det_msg, sizeof(a->det_msg), "cannot start a thread for the SSH connection");
	}
}

static void
det_collect(struct app *a)
{
	a->det_log.busy = false;
	a->ask_kind = ASK_NONE;
	a->key_dlg.active = false;
	if (a->dj.rc != 0) {
		snprintf(a->det_msg, sizeof(a->det_msg), "%s",
			 a->dj.err[0] ? a->dj.err : "the connection failed");
		a->bmode = BM_FAILED;
		return;
	}
	if (wizard_apply_probe(&a->wiz, a->dj.host, &a->dj.probe, a->det_msg,
			       sizeof(a->det_msg)) != 0) {
		a->bmode = BM_FAILED;
		return;
	}
	a->bmode = BM_DETECTED;
	build_board_list(a);
}

/* A question from the worker: open its dialog once. */
static bool
poll_ask(struct app *a)
{
	struct ask_req req;

	if (!ask_peek(&a->ask, &req) || req.serial == a->ask_serial)
		return false;
	a->ask_serial = req.serial;
	a->ask_kind = req.kind;
	if (req.kind == ASK_HOST_KEY) {
		snprintf(a->key_text, sizeof(a->key_text),
			 "The authenticity of host '%s' can't be established.\n"
			 "Its %s key fingerprint is\n%s\n"
			 "Compare it with the Pi's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the Pi). "
			 "Trust this key and remember it in known_hosts?",
			 req.host, req.key_type, req.fingerprint);
		ui_confirm_open(&a->key_dlg, "Unknown host key", a->key_text);
		a->key_dlg.width = 76;	/* the fingerprint on one line */
	} else {
		snprintf(a->secret_prompt, sizeof(a->secret_prompt), "%s", req.prompt);
		ui_input_init(&a->secret, "", req.kind == ASK_SECRET);
	}
	return true;
}

static void
secret_wipe(struct app *a)
{
	memset(a->secret.le.buf, 0, sizeof(a->secret.le.buf));
	a->secret.le.len = a->secret.le.cur = 0;
}

/* Keys for an open question; true when one was open. */
static bool
ask_key(struct app *a, const struct ui_key *k)
{
	int r;

	if (a->ask_kind == ASK_NONE)
		return false;
	if (a->ask_kind == ASK_HOST_KEY) {
		r = ui_confirm_key(&a->key_dlg, k);
		if (r & (UI_ACCEPT | UI_BACK)) {
			ask_reply_yes(&a->ask, (r & UI_ACCEPT) != 0);
			a->key_dlg.active = false;
			a->ask_kind = ASK_NONE;
		}
		return true;
	}
	r = ui_input_key(&a->secret, k);
	if (r & UI_ACCEPT) {
		char *s = lineedit_utf8(&a->secret.le);

		ask_reply_text(&a->ask, s);
		memset(s, 0, strlen(s));
		free(s);
		secret_wipe(a);
		a->ask_kind = ASK_NONE;
	} else if (r & UI_BACK) {
		ask_reply_text(&a->ask, NULL);
		secret_wipe(a);
		a->ask_kind = ASK_NONE;
	}
	return true;
}

static void
draw_ask(struct app *a)
{
	struct ui *ui = &a->ui;
	int w, h, y, x, tr;

	if (a->ask_kind == ASK_HOST_KEY) {
		ui_confirm_draw(ui, &a->key_dlg);
		return;
	}
	if (a->ask_kind == ASK_NONE)
		return;
	w = ui->cols - 4 < 60 ? ui->cols - 4 : 60;
	tr = ui_wrap_rows(ui, w - 4, a->secret_prompt);
	h = tr + 5;
	y = (ui->rows - h) / 2;
	x = (ui->cols - w) / 2;
	ui_box(ui, y, x, h, w, a->ask_kind == ASK_SECRET ? "Password" : "Question");
	ui_wrap(ui, y + 1, x + 2, w - 4, tr, TR_TEXT, a->secret_prompt);
	ui_put(ui, y + h - 2, x + 2, w - 4, TR_DIM, "Enter: send   Esc: decline");
	ui_input_draw(ui, &a->secret, y + tr + 1, x + 2, w - 4);
	curs_set(1);
}

static void
draw_detect(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	const struct plan *p = &a->wiz.plan;
	char line[700];
	int y = top, w = ui->cols - 2;

	switch (a->bmode) {
	case BM_HOST:
		y += ui_wrap(ui, y, 1, w, 2, TR_TEXT,
			     "Detect over SSH: which Pi? [USER@]HOST[:PORT] or a Host alias of ~/.ssh/config.") + 1;
		ui_put(ui, y, 1, 6, TR_KEY, "Host:");
		ui_input_draw(ui, &a->host, y, 7, w - 7 > 50 ? 50 : w - 7);
		y += 2;
		if (a->aliases.n > 0 && bottom - y > 3) {
			int h = a->aliases.n < bottom - y - 3 ? a->aliases.n : bottom - y - 3;

			ui_put(ui, y++, 1, w, TR_DIM, "Aliases in ~/.ssh/config (Up/Down, Tab copies one):");
			ui_list_draw(ui, &a->aliases, y, 2, h, w - 2);
			y += h + 1;
		}
		if (y < bottom)
			ui_wrap(ui, y, 1, w, bottom - y, TR_DIM,
				"rpi-cross logs in with your SSH agent or keys, else asks for the password here. "
				"A new host key is shown for you to check before it is trusted.");
		break;
	case BM_DETECTING:
		snprintf(line, sizeof(line), "%s Detecting the Pi at %s%s",
			 ui_spinner(ui, a->spin), a->dj.host, ui_glyph(ui, "\xe2\x80\xa6", "..."));
		ui_put(ui, y, 1, w, TR_KEY, line);
		y += 2;
		if (bottom - y >= 2)
			ui_log_draw(ui, &a->det_log, y, 2, bottom - y, w - 2, a->spin);
		break;
	case BM_DETECTED:
		snprintf(line, sizeof(line), "%s Detected over SSH: %.600s",
			 ui_glyph(ui, "\xe2\x9c\x93", "+"), a->det_msg);
		y += ui_wrap(ui, y, 1, w, 3, TR_OK, line) + 1;
		snprintf(line, sizeof(line), "Board:   %s\nOS:      %d-bit (%s)\nlibc:    %s (%s)\nTarget:  %s\nHost:    %s",
			 p->board ? p->board->name : "?", p->os_bits,
			 p->notes[PF_BITS].why, libc_name(p->libc), p->notes[PF_LIBC].why,
			 p->target ? p->target->triple : "none fits", p->host ? p->host : "");
		y += ui_wrap(ui, y, 1, w, bottom - y, TR_TEXT, line) + 1;
		if (y < bottom)
			ui_wrap(ui, y, 1, w, bottom - y, TR_DIM,
				"Enter goes on with these preselected; Esc goes back to the list of models.");
		break;
	case BM_FAILED:
		y += ui_wrap(ui, y, 1, w, 1, TR_FAIL, "Detection over SSH failed:") + 1;
		y += ui_wrap(ui, y, 1, w, bottom - y - 2, TR_TEXT, a->det_msg) + 1;
		if (y < bottom)
			ui_wrap(ui, y, 1, w, bottom - y, TR_DIM,
				"Enter tries again; Esc goes back to the list of models.");
		break;
	default:
		break;
	}
	(void)p;
}

/* Keys of the Board step when not in its list. */
static int
det_key(struct app *a, const struct ui_key *k)
{
	int r;

	switch (a->bmode) {
	case BM_HOST:
		if (ui_key_is(k, 27)) {
			a->bmode = BM_LIST;
			return UI_HANDLED;
		}
		if (ui_key_code(k, KEY_UP) || ui_key_code(k, KEY_DOWN) ||
		    ui_key_code(k, KEY_PPAGE) || ui_key_code(k, KEY_NPAGE))
			return ui_list_key(&a->aliases, k) | UI_HANDLED;
		if (ui_key_is(k, L'\t')) {
			const struct ui_item *it = ui_list_current(&a->aliases);

			if (it != NULL)
				ui_input_init(&a->host, it->text, false);
			return UI_HANDLED;
		}
		r = ui_input_key(&a->host, k);
		if (r & UI_ACCEPT) {
			char *s = lineedit_utf8(&a->host.le);
			const struct ui_item *it = ui_list_current(&a->aliases);

			det_start(a, *s == '\0' && it != NULL ? it->text : s);
			free(s);
		}
		return UI_HANDLED;
	case BM_DETECTING:
		/* q, ?, Ctrl-C still work; nothing else while it runs */
		if (ui_key_is(k, L'q') || ui_key_is(k, L'?'))
			return 0;
		return UI_HANDLED;
	case BM_DETECTED:
		if (ui_key_is(k, 27)) {
			a->bmode = BM_LIST;
			return UI_HANDLED;
		}
		if (ui_key_is(k, L'\r') || ui_key_is(k, L'\n') ||
		    ui_key_code(k, KEY_ENTER)) {
			a->bmode = BM_LIST;
			go_next(a);
			return UI_HANDLED;
		}
		return 0;
	case BM_FAILED:
		if (ui_key_is(k, 27)) {
			a->bmode = BM_LIST;
			return UI_HANDLED;
		}
		if (ui_key_is(k, L'\r') || ui_key_is(k, L'\n') ||
		    ui_key_code(k, KEY_ENTER)) {
			a->bmode = BM_HOST;
			return UI_HANDLED;
		}
		return 0;
	default:
		return 0;
	}
}

/* ---- Config step ----------------------------------------------------- */

enum { CFG_GLOBAL = 1, CFG_PROJECT, CFG_BUILD, CFG_RUNNER, CFG_SHOW };

static const char *
cfg_getenv(const char *name, void *data)
{
	(void)data;
	return rpx_getenv(name);
}

static void
build_cfg_list(struct app *a)
{
	const struct plan *p = &a->wiz.plan;
	const struct ui_item *cur = ui_list_current(&a->cfg_list);
	int keep = cur ? cur->id : CFG_SHOW;
	char *home = cargo_config_home(cfg_getenv, NULL);
	char *runner = planconf_runner(p->host);
	char text[1200];
	const char *on = ui_glyph(&a->ui, "(\xe2\x80\xa2)", "(*)");

	ui_list_clear(&a->cfg_list);
	ui_list_add(&a->cfg_list, UI_ITEM_HEADER, -1, 0, "Which Cargo config?", NULL, NULL);
	snprintf(text, sizeof(text), "%s Global: %s/config.toml",
		 p->scope == PLAN_SCOPE_GLOBAL ? on : "( )", home ? home : "~/.cargo");
	ui_list_add(&a->cfg_list, 0, CFG_GLOBAL, 0, text, "every project of yours", NULL);
	if (p->scope == PLAN_SCOPE_PROJECT && p->project_dir != NULL)
		snprintf(text, sizeof(text), "%s Project: %s/.cargo/config.toml", on,
			 p->project_dir);
	else
		snprintf(text, sizeof(text), "( ) One project: a folder%s",
			 ui_glyph(&a->ui, "\xe2\x80\xa6", "..."));
	ui_list_add(&a->cfg_list, 0, CFG_PROJECT, 0, text, "only builds in that folder", NULL);
	ui_list_add(&a->cfg_list, UI_ITEM_HEADER, -2, 0, "Options", NULL, NULL);
	snprintf(text, sizeof(text), "[%s] [build] target = \"%s\"", p->build_target ? "x" : " ",
		 p->target ? p->target->triple : "?");
	ui_list_add(&a->cfg_list, 0, CFG_BUILD, 0, text,
		    "cargo build needs no --target (but builds for the Pi only)", NULL);
	snprintf(text, sizeof(text), "[%s] runner = \"%s\"", p->runner ? "x" : " ", runner);
	ui_list_add(&a->cfg_list, 0, CFG_RUNNER, 0, text,
		    "cargo run copies the program to the Pi and runs it there", NULL);
	ui_list_add(&a->cfg_list, UI_ITEM_HEADER, -3, 0, "", NULL, NULL);
	snprintf(text, sizeof(text), "Show the changes %s",
		 ui_glyph(&a->ui, "\xe2\x86\x92", "->"));
	ui_list_add(&a->cfg_list, 0, CFG_SHOW, 0, text, "a diff first: nothing is written yet", NULL);
	a->cfg_list.textw = 0;
	ui_list_focus(&a->cfg_list, keep);
	free(home);
	free(runner);
}

static void
cfg_prepare(struct app *a)
{
	struct rpx_err err = RPX_ERR_INIT;
	char msg[700];
	char *copy, *line, *save = NULL;

	cargo_config_change_release(&a->cfg_ch);
	a->cfg_loaded = false;
	if (planconf_prepare(&a->wiz.plan, cfg_getenv, NULL, &a->cfg_ch, &err) < 0) {
		err_string(msg, sizeof(msg), &err);
		set_status(a, TR_FAIL, msg);
		return;
	}
	a->cfg_loaded = true;
	ui_log_release(&a->cfg_diff);
	ui_log_init(&a->cfg_diff, true);
	a->cfg_diff.follow = false;
	copy = xstrdup(a->cfg_ch.diff ? a->cfg_ch.diff : "");
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		ui_log_add(&a->cfg_diff, line);
	free(copy);
	a->cfg_mode = 1;
}

static void
cfg_write(struct app *a)
{
	struct rpx_err err = RPX_ERR_INIT;
	char msg[900];

	if (!a->cfg_loaded)
		return;
	if (!cargo_config_changed(&a->cfg_ch)) {
		snprintf(msg, sizeof(msg), "%s already says all this: nothing to write.",
			 a->cfg_ch.path);
		wizard_config_done(&a->wiz, a->cfg_ch.path, false);
	} else if (cargo_config_commit(&a->cfg_ch, &err) < 0) {
		err_string(msg, sizeof(msg), &err);
		set_status(a, TR_FAIL, msg);
		return;
	} else {
		snprintf(msg, sizeof(msg), "Wrote %s%s%s.", a->cfg_ch.path,
			 a->cfg_ch.backup ? "; the old one is kept as " : "",
			 a->cfg_ch.backup ? a->cfg_ch.backup : "");
		wizard_config_done(&a->wiz, a->cfg_ch.path, true);
	}
	a->cfg_loaded = false;
	a->cfg_mode = 0;
	go_next(a);
	set_status(a, TR_OK, msg);
}

static void
cfg_project_typed(struct app *a)
{
	char *s = lineedit_utf8(&a->cfg_dir.le);
	char *real = NULL;
	char msg[700];

	if (*s == '\0' || (real = realpath(s, NULL)) == NULL ||
	    !rpx_is_dir(real)) {
		snprintf(msg, sizeof(msg), "'%.300s' is not a folder: type the path of your Cargo project", s);
		set_status(a, TR_FAIL, msg);
		free(s);
		free(real);
		return;
	}
	wizard_set_scope(&a->wiz, PLAN_SCOPE_PROJECT, real);
	a->cfg_typing = false;
	build_cfg_list(a);
	free(real);
	free(s);
}

static int
cfg_key(struct app *a, const struct ui_key *k)
{
	int r;

	if (a->cfg_mode == 1) {
		if (ui_key_is(k, L'w') || ui_key_is(k, L'\r') || ui_key_is(k, L'\n') ||
		    ui_key_code(k, KEY_ENTER)) {
			cfg_write(a);
			return UI_HANDLED;
		}
		if (ui_key_is(k, 27)) {
			a->cfg_mode = 0;
			cargo_config_change_release(&a->cfg_ch);
			a->cfg_loaded = false;
			return UI_HANDLED;
		}
		return ui_log_key(&a->cfg_diff, k);
	}
	r = ui_list_key(&a->cfg_list, k);
	if (r & (UI_SELECT | UI_ACCEPT)) {
		const struct ui_item *it = ui_list_current(&a->cfg_list);
		const struct plan *p = &a->wiz.plan;

		switch (it ? it->id : 0) {
		case CFG_GLOBAL:
			wizard_set_scope(&a->wiz, PLAN_SCOPE_GLOBAL, NULL);
			break;
		case CFG_PROJECT: {
			char cwd[4096];

			ui_input_init(&a->cfg_dir, p->project_dir ? p->project_dir :
				      getcwd(cwd, sizeof(cwd)) ? cwd : "", false);
			a->cfg_typing = true;
			break;
		}
		case CFG_BUILD:
			wizard_set_options(&a->wiz, !p->build_target, p->runner);
			break;
		case CFG_RUNNER:
			wizard_set_options(&a->wiz, p->build_target, !p->runner);
			break;
		case CFG_SHOW:
			cfg_prepare(a);
			break;
		default:
			break;
		}
		if (a->wiz.step == WIZ_CONFIG)
			build_cfg_list(a);
		r |= UI_HANDLED;
	}
	return r;
}

static void
draw_config(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	char line[700];
	int y = top, w = ui->cols - 2, listh;

	if (a->cfg_mode == 1) {
		snprintf(line, sizeof(line), "The changes to %s:", a->cfg_ch.path);
		y += ui_wrap(ui, y, 1, w, 2, TR_TEXT, line) + 1;
		if (a->cfg_diff.n == 0) {
			ui_wrap(ui, y, 1, w, 2, TR_OK,
				"None: the file already says all this. Enter goes on.");
			return;
		}
		ui_box(ui, y, 1, bottom - y, w, a->cfg_ch.existed ? "diff" : "diff (a new file)");
		ui_log_draw(ui, &a->cfg_diff, y + 1, 3, bottom - y - 2, w - 4, 0);
		return;
	}
	y += ui_wrap(ui, y, 1, w, 2, TR_TEXT,
		     "Where should the settings go, and which options? Nothing is written before you see the diff.") + 1;
	listh = a->cfg_list.nvis;
	if (listh > bottom - y - 3)
		listh = bottom - y - 3 > 1 ? bottom - y - 3 : 1;
	ui_list_draw(ui, &a->cfg_list, y, 1, listh, w);
	y += listh + 1;
	if (a->cfg_typing && y < bottom) {
		ui_put(ui, y, 1, 8, TR_KEY, "Folder:");
		ui_input_draw(ui, &a->cfg_dir, y, 9, w - 9);
	}
}

static void enter_step(struct app *a);

/* ---- Test step --------------------------------------------------------- */

enum { PT_ON_HOST = 1, PT_BY_ADDRESS, PT_EMULATE, PT_SKIP };

static void
pt_ev_step(void *data, enum pitest_step s, enum pitest_status st, long ms)
{
	struct pt_job *j = data;

	if (st == PT_RUNNING)
		task_log(j->t, "==> %s", pitest_step_title(s));
	else if (st == PT_OK)
		task_log(j->t, "ok  %s (%.1f s)", pitest_step_title(s), ms / 1000.0);
	else if (st == PT_FAILED)
		task_log(j->t, "FAIL %s (%.1f s)", pitest_step_title(s), ms / 1000.0);
	else if (st == PT_SKIPPED)
		task_log(j->t, "--  %s: skipped", pitest_step_title(s));
}

static void
pt_ev_line(void *data, enum pitest_step s, const char *line)
{
	struct pt_job *j = data;

	task_log(j->t, "%s%s", s == PT_RUN ? "  | " : "    ", line);
}

static int
pt_work(struct task *t, void *arg)
{
	struct pt_job *j = arg;

	j->t = t;
	j->rc = pitest_run(&j->o, &j->res);
	return j->rc;
}

static void
build_pt_list(struct app *a)
{
	char text[400];

	ui_list_clear(&a->pt_list);
	if (a->wiz.plan.host != NULL) {
		snprintf(text, sizeof(text), "Run it on the Pi: %s", a->wiz.plan.host);
		ui_list_add(&a->pt_list, 0, PT_ON_HOST, 0, text,
			    "build, copy over SSH, run", NULL);
	}
	ui_list_add(&a->pt_list, 0, PT_BY_ADDRESS, 0,
		    ui_glyph(&a->ui, "Run it on a Pi at an address\xe2\x80\xa6",
			     "Run it on a Pi at an address..."),
		    "[USER@]HOST[:PORT] or a Host alias", NULL);
	ui_list_add(&a->pt_list, 0, PT_EMULATE, 0, "Run it under emulation",
		    "qemu-user on this machine: no Pi needed", NULL);
	ui_list_add(&a->pt_list, 0, PT_SKIP, 0, "Skip the test",
		    "go on to the Summary", NULL);
	ui_list_focus(&a->pt_list, a->wiz.plan.host ? PT_ON_HOST : PT_EMULATE);
}

static void
pt_start(struct app *a, const char *host, bool emulate)
{
	struct pt_job *j = &a->pt;

	if (a->pt_bg.live)
		return;
	if (a->pt_have)
		pitest_result_release(&j->res);
	a->pt_have = false;
	pitest_opts_init(&j->o);
	pitest_result_init(&j->res);
	snprintf(j->host, sizeof(j->host), "%s", host ? host : "");
	j->o.target = a->wiz.plan.target;
	j->o.host = emulate ? NULL : j->host;
	j->o.emulate = emulate;
	j->o.rustc = a->wiz.tc_state == WIZ_TC_FOUND ? a->wiz.tc.rustc : NULL;
	j->o.board = a->wiz.plan.board;
	j->o.remote.cb.confirm_host_key = ask_host_key;
	j->o.remote.cb.ask = ask_secret;
	j->o.remote.cb.data = &a->ask;
	j->o.ev.step = pt_ev_step;
	j->o.ev.line = pt_ev_line;
	j->o.ev.data = j;
	a->pt_stop = 0;
	j->o.stop = &a->pt_stop;
	ask_reset(&a->ask);
	a->ask_serial = 0;
	ui_log_release(&a->pt_log);
	ui_log_init(&a->pt_log, false);
	a->pt_log.busy = true;
	a->pt_mode = 1;
	if (bg_start(&a->pt_bg, pt_work, j) < 0) {
		a->pt_mode = 0;
		set_status(a, TR_FAIL, "cannot start a thread for the test");
	}
}

static void
pt_collect(struct app *a)
{
	const struct pitest_result *r = &a->pt.res;
	char note[256];

	a->pt_log.busy = false;
	a->pt_have = true;
	a->pt_mode = 2;
	a->ask_kind = ASK_NONE;
	a->key_dlg.active = false;
	if (a->pt.rc == 0 && r->cause == PTC_NONE) {
		char first[128] = "";

		sscanf(r->out.buf ? r->out.buf : "", "%127[^\n]", first);
		snprintf(note, sizeof(note), "\"%.100s\" %s %.100s", first,
			 r->emulated ? "under emulation" : "on",
			 r->emulated ? "" : a->pt.host);
		wizard_test_done(&a->wiz, true, note);
	} else {
		snprintf(note, sizeof(note), "%s at %s", pitest_cause_name(r->cause),
			 pitest_step_title(r->failed_step));
		wizard_test_done(&a->wiz, false, note);
	}
}

static void
draw_test(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	const struct pitest_result *r = &a->pt.res;
	char line[1200];
	int y = top, w = ui->cols - 2;

	if (a->pt_mode == 0) {
		snprintf(line, sizeof(line),
			 "The proof: build a hello-world for %s with your Cargo config, copy it to the Pi and run it there.",
			 a->wiz.plan.target ? a->wiz.plan.target->triple : "the target");
		y += ui_wrap(ui, y, 1, w, 3, TR_TEXT, line) + 1;
		ui_list_draw(ui, &a->pt_list, y, 1, a->pt_list.nvis, w);
		y += a->pt_list.nvis + 1;
		if (a->pt_typing && y < bottom) {
			ui_put(ui, y, 1, 6, TR_KEY, "Host:");
			ui_input_draw(ui, &a->pt_host, y, 7, w - 7 > 50 ? 50 : w - 7);
		}
		return;
	}
	if (a->pt_mode == 1) {
		snprintf(line, sizeof(line), "%s Testing %s%s", ui_spinner(ui, a->spin),
			 a->pt.o.emulate ? "under emulation" : a->pt.host,
			 ui_glyph(ui, "\xe2\x80\xa6", "..."));
		ui_put(ui, y, 1, w, TR_KEY, line);
		y += 2;
		ui_log_draw(ui, &a->pt_log, y, 2, bottom - y, w - 2, a->spin);
		return;
	}
	if (a->wiz.test_state > 0) {
		snprintf(line, sizeof(line), "%s It works: %s ran the program and said:",
			 ui_glyph(ui, "\xe2\x9c\x93", "+"),
			 r->emulated ? "qemu-user" : "the Pi");
		y += ui_wrap(ui, y, 1, w, 2, TR_OK, line);
		y += ui_wrap(ui, y, 3, w - 2, 4, TR_TEXT, r->out.buf ? r->out.buf : "") + 1;
	} else {
		snprintf(line, sizeof(line), "%s The test failed at %s: %s",
			 ui_glyph(ui, "\xe2\x9c\x97", "x"), pitest_step_title(r->failed_step),
			 r->message);
		y += ui_wrap(ui, y, 1, w, 4, TR_FAIL, line);
		if (r->explain[0] && y < bottom)
			y += ui_wrap(ui, y, 1, w, 4, TR_TEXT, r->explain);
		if (r->fix[0] && y < bottom) {
			snprintf(line, sizeof(line), "Fix: %s", r->fix);
			y += ui_wrap(ui, y, 1, w, 4, TR_WARN, line);
		}
		if (y < bottom) {
			snprintf(line, sizeof(line), "r retries, b goes back to the %s step, Enter goes on anyway.",
				 wizard_step_name(wizard_step_for_cause(r->cause)));
			y += ui_wrap(ui, y, 1, w, 2, TR_DIM, line);
		}
		y++;
	}
	if (bottom - y >= 3)
		ui_log_draw(ui, &a->pt_log, y, 2, bottom - y, w - 2, 0);
}

static int
pt_key(struct app *a, const struct ui_key *k)
{
	int r;

	if (a->pt_mode == 1)
		return ui_key_is(k, L'q') || ui_key_is(k, L'?') ? 0 :
		       ui_log_key(&a->pt_log, k) | UI_HANDLED;
	if (a->pt_mode == 2) {
		if (ui_key_is(k, L'r')) {
			pt_start(a, a->pt.host, a->pt.o.emulate);
			return UI_HANDLED;
		}
		if (ui_key_is(k, L'b') && a->wiz.test_state < 0) {
			enum wiz_step to = wizard_step_for_cause(a->pt.res.cause);

			if (to == WIZ_TEST)
				return UI_HANDLED;
			while (a->wiz.step > to)
				wizard_back(&a->wiz);
			a->pt_mode = 0;
			enter_step(a);
			return UI_HANDLED;
		}
		if (ui_key_is(k, 27)) {
			a->pt_mode = 0;
			return UI_HANDLED;
		}
		return ui_log_key(&a->pt_log, k);
	}
	r = ui_list_key(&a->pt_list, k);
	if (r & UI_ACCEPT) {
		const struct ui_item *it = ui_list_current(&a->pt_list);

		switch (it ? it->id : 0) {
		case PT_ON_HOST:
			pt_start(a, a->wiz.plan.host, false);
			break;
		case PT_BY_ADDRESS:
			ui_input_init(&a->pt_host, a->wiz.plan.host ? a->wiz.plan.host : "", false);
			a->pt_typing = true;
			break;
		case PT_EMULATE:
			pt_start(a, NULL, true);
			break;
		case PT_SKIP:
			go_next(a);
			break;
		default:
			break;
		}
	}
	return r;
}

static void
enter_step(struct app *a)
{
	set_status(a, TR_TEXT, "");
	switch (a->wiz.step) {
	case WIZ_BOARD:
		a->bmode = BM_LIST;
		build_board_list(a);
		break;
	case WIZ_OS:
		a->os.cur = -1;
		build_os_list(a);
		break;
	case WIZ_LINKER:
		if (a->lk_have && a->lk.t == a->wiz.plan.target) {
			lk_preselect(a);
			build_lk_list(a);
		} else {
			lk_start(a);
		}
		break;
	case WIZ_CPU:
		cpu_start(a);
		ui_list_clear(&a->cpu);
		build_cpu_list(a);
		break;
	case WIZ_TEST:
		a->pt_typing = false;
		if (a->pt_mode == 1)
			break;		/* still running */
		a->pt_mode = 0;
		build_pt_list(a);
		if (a->wiz.plan.host != NULL)
			pt_start(a, a->wiz.plan.host, false);
		break;
	case WIZ_CONFIG:
		wizard_config_reset(&a->wiz);
		a->cfg_mode = 0;
		a->cfg_typing = false;
		a->cfg_list.cur = -1;
		build_cfg_list(a);
		break;
	default:
		break;
	}
}

/* ---- drawing ------------------------------------------------------- */

static void
draw_frame(struct app *a)
{
	struct ui *ui = &a->ui;
	enum wiz_step s = a->wiz.step;
	char title[128];
	int x = 1;

	ui_fill(ui, 0, 0, ui->cols, TR_TITLE);
	snprintf(title, sizeof(title), " rpi-cross %s Step %d of %d: %s",
		 ui_glyph(ui, "\xe2\x80\x94", "-"), (int)s + 1, WIZ_NSTEPS,
		 wizard_step_name(s));
	ui_put(ui, 0, 0, ui->cols, TR_TITLE, title);
	for (int i = 0; i < WIZ_NSTEPS; i++) {
		const char *name = wizard_step_name((enum wiz_step)i);
		int w = ui_width(ui, name);

		if (x + w + 2 >= ui->cols)
			break;
		if (i > 0)
			x += ui_put(ui, 1, x, 3, TR_DIM,
				    ui_glyph(ui, " \xe2\x80\xba ", " > "));
		x += ui_put(ui, 1, x, w, i == (int)s ? TR_STEP :
			    wizard_step_available((enum wiz_step)i, NULL) ?
			    TR_TEXT : TR_DISABLED, name);
	}
	if (a->status[0] != '\0')
		ui_put(ui, ui->rows - 2, 1, ui->cols - 2, a->status_role,
		       a->status);
}

static const char *const keys_welcome[] = {
	"Enter", "Next", "\xe2\x86\x91\xe2\x86\x93", "Scroll", "p", "Profiles", "?", "Help",
	"q", "Quit", NULL
};
static const char *const keys_board[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Move", "type", "Filter", "Enter", "Choose",
	"Esc", "Back", "?", "Help", "q", "Quit", NULL
};
static const char *const keys_radio[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Move", "Space", "Choose", "Enter",
	"Choose+Next", "Esc", "Back", "?", "Help", "q", "Quit", NULL
};
static const char *const keys_plain[] = {
	"Enter", "Next", "Esc", "Back", "?", "Help", "q", "Quit", NULL
};
static const char *const keys_summary[] = {
	"Enter", "Finish", "s", "Save as profile", "Esc", "Back", "?", "Help",
	"q", "Quit", NULL
};
static const char *const keys_input[] = {
	"Enter", "Use", "Esc", "Cancel", "Ctrl-U", "Clear", "Ctrl-W",
	"Delete word", NULL
};
static const char *const keys_help[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Scroll", "Esc", "Close", NULL
};
static const char *const keys_small[] = { "q", "Quit", NULL };
static const char *const keys_host[] = {
	"Enter", "Detect", "\xe2\x86\x91\xe2\x86\x93", "Alias", "Tab", "Use alias",
	"Esc", "Back", NULL
};
static const char *const keys_busy[] = {
	"?", "Help", "q", "Quit", NULL
};
static const char *const keys_retry[] = {
	"Enter", "Try again", "Esc", "Back", "?", "Help", "q", "Quit", NULL
};
static const char *const keys_linker[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Move", "Space", "Choose", "Enter",
	"Choose+Next", "r", "Probe again", "Esc", "Back", "q", "Quit", NULL
};
static const char *const keys_diff[] = {
	"w/Enter", "Write", "\xe2\x86\x91\xe2\x86\x93", "Scroll", "Esc", "Back",
	"q", "Quit", NULL
};
static const char *const keys_failed[] = {
	"r", "Retry", "b", "Back to the fix", "Enter", "Go on", "q", "Quit", NULL
};
static const char *const keys_yesno[] = {
	"y", "Trust", "n/Esc", "Refuse", NULL
};
static const char *const keys_secret[] = {
	"Enter", "Send", "Esc", "Decline", NULL
};

/* The help line with ASCII arrows when the locale is not UTF-8. */
static void
help_line(struct app *a, const char *const *pairs)
{
	const char *copy[20];
	int i;

	for (i = 0; pairs[i] != NULL && i < 19; i++)
		copy[i] = strcmp(pairs[i], "\xe2\x86\x91\xe2\x86\x93") == 0 ?
			  ui_glyph(&a->ui, pairs[i], "Up/Down") : pairs[i];
	copy[i] = NULL;
	ui_help_line(&a->ui, copy);
}

static void
draw_welcome(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	int y = top, w = ui->cols - 4;
	struct task_snap snap;
	static const char intro[] =
		"Set up Rust cross-compilation for a Raspberry Pi, then prove it "
		"works by running a program on the board.\n"
		"1. Board: which Pi you have; the OS word size, C library and Rust "
		"target follow, each with its reason.\n"
		"2. Linker: a cross linker that really links.\n"
		"3. CPU: the core to tune for (-C target-cpu).\n"
		"4. Config: Cargo's config, shown as a diff before writing.\n"
		"5. Test: build a hello-world, copy it to the Pi, run it.";

	y += ui_wrap(ui, y, 2, w, bottom - y - 4, TR_TEXT, intro) + 1;
	task_snapshot(&a->task, &snap);
	if (y >= bottom)
		return;
	switch (a->wiz.tc_state) {
	case WIZ_TC_SEARCHING: {
		char line[128];

		snprintf(line, sizeof(line), "%s Looking for the Rust toolchain%s",
			 ui_spinner(ui, a->spin), ui_glyph(ui, "\xe2\x80\xa6", "..."));
		ui_put(ui, y++, 2, w, TR_KEY, line);
		break;
	}
	case WIZ_TC_FOUND: {
		char line[512];

		snprintf(line, sizeof(line), "%s Rust toolchain: %s (%s)",
			 ui_glyph(ui, "\xe2\x9c\x93", "+"), a->wiz.tc.version,
			 a->wiz.tc.rustc);
		ui_put(ui, y++, 2, w, TR_OK, line);
		break;
	}
	case WIZ_TC_MISSING:
		ui_put(ui, y++, 2, w, TR_FAIL,
		       ui_glyph(ui, "\xe2\x9c\x97 No Rust toolchain found",
				"x No Rust toolchain found"));
		y += ui_wrap(ui, y, 2, w, bottom - y, TR_TEXT,
			     "Install Rust with rustup, then run rpi-cross again:\n"
			     "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh\n"
			     "(a distribution's rustc and cargo work too; set RUSTC to use a "
			     "particular rustc)");
		break;
	}
	if (a->task_collected && a->wiz.cur_target != NULL && y < bottom) {
		char line[700];

		snprintf(line, sizeof(line),
			 "Your Cargo config (%.300s) already sets up %s with %s%s%s: the steps start from its values.",
			 a->wiz.cur_file, a->wiz.cur_target->triple,
			 a->wiz.cur_linker ? a->wiz.cur_linker : "a linker",
			 a->wiz.cur_cpu ? ", CPU " : "", a->wiz.cur_cpu ? a->wiz.cur_cpu : "");
		y += ui_wrap(ui, y, 2, w, 3, TR_KEY, line);
	}
	if (a->task_collected && a->job.ps.n > 0 && y < bottom) {
		char line[300];

		snprintf(line, sizeof(line), "%zu saved profile%s: p starts from one.",
			 a->job.ps.n, a->job.ps.n == 1 ? "" : "s");
		y += ui_wrap(ui, y, 2, w, 2, TR_KEY, line);
	}
	if (a->prof_on && bottom - y >= 3) {
		ui_put(ui, y + 1, 2, w, TR_TEXT, "Start from which profile? (Enter loads it, Esc closes)");
		ui_list_draw(ui, &a->prof_list, y + 2, 2, bottom - y - 2, w);
		return;
	}
	if (bottom - y >= 3) {
		a->welcome.busy = snap.running;
		ui_log_draw(ui, &a->welcome, y, 2, bottom - y, w, a->spin);
	}
}

static void
draw_board(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	const struct ui_item *cur;
	char line[400];
	int listh, y = top, w = ui->cols - 2;

	ui_put(ui, y++, 1, w, TR_TEXT,
	       "Which Raspberry Pi will run your program?");
	snprintf(line, sizeof(line), "Filter: %s", a->board.filter);
	{
		int fx = 1 + ui_put(ui, y, 1, w / 2, TR_INPUT, line);
		char count[64];

		if (a->board.filter[0] == '\0')
			ui_put(ui, y, fx + 1, w / 2, TR_DIM, "(type to filter)");
		snprintf(count, sizeof(count), "%d of %d models",
			 a->board.nvis - (a->board.filter[0] == '\0'), a->board.n - 1);
		ui_put(ui, y, ui->cols - 1 - ui_width(ui, count), ui_width(ui, count),
		       TR_DIM, count);
	}
	y += 2;
	listh = bottom - y - 3;
	if (a->board.nvis == 0) {
		snprintf(line, sizeof(line), "No model matches '%s'. Backspace or Esc clears the filter.",
			 a->board.filter);
		ui_wrap(ui, y, 2, w - 2, 2, TR_WARN, line);
	} else {
		ui_list_draw(ui, &a->board, y, 1, listh, w);
	}
	cur = ui_list_current(&a->board);
	y = bottom - 2;
	if (cur != NULL && cur->id >= 0) {
		int n;
		const struct board *b = &board_all(&n)[cur->id];
		const char *why = "";
		const struct target *t = board_recommend(b, board_default_bits(b),
							 LIBC_GNU, &why);

		snprintf(line, sizeof(line), "%s: %s, %d %s %s (%s), %s RAM; %d-bit OS %s %s",
			 b->name, b->soc, b->cores, ui_glyph(ui, "\xc3\x97", "x"),
			 b->core, isa_name(b->isa), b->ram, board_default_bits(b),
			 ui_glyph(ui, "\xe2\x86\x92", "->"), t ? t->triple : "none");
		ui_wrap(ui, y, 1, w, 2, TR_DIM, line);
	}
}

static void
draw_os(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	const struct plan *p = &a->wiz.plan;
	char line[512];
	int y = top, w = ui->cols - 2, std, listh = 7;

	snprintf(line, sizeof(line), "Which OS does your %s run, and which C library?",
		 p->board ? p->board->name : "board");
	y += ui_wrap(ui, y, 1, w, 2, TR_TEXT, line) + 1;
	if (bottom - y < listh + 3)
		listh = bottom - y - 3;
	ui_list_draw(ui, &a->os, y, 1, listh, w);
	y += listh + 1;
	if (p->target == NULL) {
		ui_wrap(ui, y, 1, w, bottom - y, TR_FAIL, p->notes[PF_TARGET].why);
		return;
	}
	snprintf(line, sizeof(line), "Target: %s (%s)", p->target->triple,
		 wizard_src_label(p->notes[PF_TARGET].src));
	ui_put(ui, y++, 1, w, TR_OK, line);
	if (y < bottom) {
		snprintf(line, sizeof(line), "Why: %s", p->notes[PF_TARGET].why);
		y += ui_wrap(ui, y, 1, w, bottom - y - 1 > 0 ? bottom - y - 1 : 1,
			     TR_TEXT, line);
	}
	std = wizard_std_installed(&a->wiz);
	if (y < bottom) {
		if (std > 0)
			snprintf(line, sizeof(line), "std: installed for %s",
				 p->target->triple);
		else if (std == 0)
			snprintf(line, sizeof(line),
				 "std: not installed. Install it with: rustup target add %s",
				 p->target->triple);
		else
			snprintf(line, sizeof(line), "std: unknown (no Rust toolchain)");
		ui_wrap(ui, y, 1, w, bottom - y, std > 0 ? TR_OK : TR_WARN, line);
	}
}

static void
draw_cpu(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	const struct plan *p = &a->wiz.plan;
	char line[512];
	int y = top, w = ui->cols - 2, listh;

	snprintf(line, sizeof(line),
		 "Which CPU should %s code be tuned for (-C target-cpu)?",
		 p->target ? p->target->triple : "the");
	y += ui_wrap(ui, y, 1, w, 2, TR_TEXT, line) + 1;
	listh = a->cpu.nvis < bottom - y - 4 ? a->cpu.nvis : bottom - y - 4;
	if (listh < 1)
		listh = 1;
	ui_list_draw(ui, &a->cpu, y, 1, listh, w);
	y += listh + 1;
	if (a->typing) {
		ui_put(ui, y, 1, w, TR_KEY, "CPU name:");
		ui_input_draw(ui, &a->input, y, 11, w - 11 > 40 ? 40 : w - 11);
		return;
	}
	if (a->cpu_bg.live) {
		snprintf(line, sizeof(line), "%s Asking rustc for every CPU it knows for %s%s",
			 ui_spinner(ui, a->spin), p->target ? p->target->triple : "the target",
			 ui_glyph(ui, "\xe2\x80\xa6", "..."));
		ui_wrap(ui, y, 1, w, bottom - y, TR_KEY, line);
	} else if (wizard_have_cpus(&a->wiz)) {
		snprintf(line, sizeof(line),
			 "Filter: %s  %s (%d CPUs from %s --print target-cpus)",
			 a->cpu.filter, a->cpu.filter[0] ? "" : "(type to filter)",
			 a->wiz.cpus.n, a->wiz.tc.version ? a->wiz.tc.version : "rustc");
		ui_wrap(ui, y, 1, w, bottom - y, TR_DIM, line);
	} else {
		snprintf(line, sizeof(line),
			 "rustc could not list its CPUs (%s): these are the Raspberry Pi cores that fit %s.",
			 a->wiz.cpus_why[0] ? a->wiz.cpus_why : "no toolchain",
			 p->target ? p->target->arch : "the target");
		ui_wrap(ui, y, 1, w, bottom - y, TR_DIM, line);
	}
}

static void
draw_summary(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	struct strbuf sb = STRBUF_INIT;
	int y = top, w = ui->cols - 2;
	char *line, *save = NULL;

	ui_put(ui, y++, 1, w, TR_TEXT, "The plan so far:");
	y++;
	wizard_summary(&a->wiz, &sb);
	for (line = strtok_r(sb.buf, "\n", &save); line != NULL && y < bottom;
	     line = strtok_r(NULL, "\n", &save)) {
		enum theme_role r = rpx_starts_with(line, "Build:") ? TR_OK : TR_TEXT;
		size_t n = strlen(line);

		/* "Label:   value": the value wraps under itself */
		if (n > 9 && line[8] == ' ') {
			line[8] = '\0';
			ui_put(ui, y, 1, 9, TR_KEY, line);
			y += ui_wrap(ui, y, 10, w - 9, bottom - y, r, line + 9);
		} else {
			y += ui_wrap(ui, y, 1, w, bottom - y, r, line);
		}
	}
	strbuf_release(&sb);
	if (a->save_typing && y + 1 < bottom) {
		ui_put(ui, y + 1, 1, 14, TR_KEY, "Profile name:");
		ui_input_draw(ui, &a->save_name, y + 1, 15, w - 15 > 40 ? 40 : w - 15);
		return;
	}
	if (y + 1 < bottom)
		ui_wrap(ui, y + 1, 1, w, bottom - y - 1, TR_DIM,
			"Enter finishes and prints this plan in the terminal; s saves these answers as a profile.");
}

static void
draw_help(struct app *a)
{
	struct ui *ui = &a->ui;
	int w = ui->cols - 8, h = ui->rows - 6;

	if (w < 20 || h < 5)
		return;
	ui_box(ui, 3, 4, h, w, "Help");
	ui_log_draw(ui, &a->help, 4, 6, h - 2, w - 4, 0);
}

static void
draw_small(struct app *a)
{
	struct ui *ui = &a->ui;
	char msg[200];
	int w = ui->cols - 2 > 0 ? ui->cols - 2 : 1;
	int rows;

	snprintf(msg, sizeof(msg),
		 "The rpi-cross wizard needs more room.\n"
		 "Make the terminal at least %dx%d\n"
		 "(it is %dx%d now). q quits.",
		 UI_MIN_COLS, UI_MIN_ROWS, ui->cols, ui->rows);
	rows = ui_wrap_rows(ui, w, msg);
	ui_wrap(ui, (ui->rows - rows) / 2 > 0 ? (ui->rows - rows) / 2 : 0, 1, w,
		ui->rows - 1, TR_WARN, msg);
	help_line(a, keys_small);
}

static void
draw(struct app *a)
{
	struct ui *ui = &a->ui;
	bool small = ui_too_small(ui);	/* reads the size: first */
	int top = 3, bottom = ui->rows - 2;

	erase();
	curs_set(0);
	if (small) {
		draw_small(a);
		ui_confirm_draw(ui, &a->quit);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	draw_frame(a);
	switch (a->wiz.step) {
	case WIZ_WELCOME:
		draw_welcome(a, top, bottom);
		help_line(a, keys_welcome);
		break;
	case WIZ_BOARD:
		if (a->bmode == BM_LIST) {
			draw_board(a, top - 1, bottom);
			help_line(a, keys_board);
		} else {
			draw_detect(a, top, bottom);
			help_line(a, a->bmode == BM_HOST ? keys_host :
				  a->bmode == BM_DETECTING ? keys_busy :
				  a->bmode == BM_FAILED ? keys_retry : keys_plain);
		}
		break;
	case WIZ_OS:
		draw_os(a, top, bottom);
		help_line(a, keys_radio);
		break;
	case WIZ_LINKER:
		draw_linker(a, top, bottom);
		help_line(a, a->lk_have ? keys_linker : keys_busy);
		break;
	case WIZ_CPU:
		draw_cpu(a, top, bottom);
		help_line(a, a->typing ? keys_input : keys_radio);
		break;
	case WIZ_CONFIG:
		draw_config(a, top, bottom);
		help_line(a, a->cfg_typing ? keys_input : a->cfg_mode == 1 ?
			  keys_diff : keys_radio);
		break;
	case WIZ_TEST:
		draw_test(a, top, bottom);
		help_line(a, a->pt_typing ? keys_input : a->pt_mode == 1 ? keys_busy :
			  a->pt_mode == 2 ? (a->wiz.test_state < 0 ? keys_failed : keys_plain) :
			  keys_plain);
		break;
	case WIZ_SUMMARY:
		draw_summary(a, top, bottom);
		help_line(a, a->save_typing ? keys_input : keys_summary);
		break;
	default:
		break;
	}
	if (a->help_on) {
		curs_set(0);
		draw_help(a);
		help_line(a, keys_help);
	}
	if (a->ask_kind != ASK_NONE && !a->quit.active) {
		draw_ask(a);
		help_line(a, a->ask_kind == ASK_HOST_KEY ? keys_yesno : keys_secret);
	}
	if (a->quit.active) {
		curs_set(0);
		ui_confirm_draw(ui, &a->quit);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---- keys ---------------------------------------------------------- */

static void
open_help(struct app *a)
{
	static const char *const text[] = {
		"Keys everywhere",
		"  Enter        choose and go to the next step",
		"  Esc          back one step (in a list: clear the filter first)",
		"  ?            this help",
		"  q, Ctrl-C    quit (asks first after the Welcome step)",
		"",
		"Lists",
		"  Up/Down, PgUp/PgDn, Home/End, mouse wheel   move",
		"  typing       filter the list (every word must match)",
		"  Backspace, Ctrl-U, Ctrl-W   edit the filter",
		"  Space        choose the highlighted entry and stay",
		"",
		"Text input",
		"  Left/Right, Home/End (Ctrl-A/Ctrl-E)   move",
		"  Backspace, Delete, Ctrl-U (to start), Ctrl-W (word)   delete",
		"",
		"Steps",
		"  Welcome      finds your Rust toolchain and the Pi targets' std",
		"  Board        the model: its CPU and ISA decide the target; or",
		"               Detect over SSH: model, OS and glibc from the Pi",
		"  OS and libc  32/64-bit OS, glibc or musl; shows the target and why",
		"  Linker       each cross linker found, proven by a real test link",
		"  CPU          -C target-cpu, the board's core first, then rustc's list",
		"  Config       global or project, [build] target, runner; a diff,",
		"               then w writes it (atomically, old one kept as .bak)",
		"  Test         build a hello-world, copy it to the Pi, run it there",
		"               (or under qemu-user); on failure: why, the fix, Retry",
		"  Summary      the plan and the cargo command to build with",
		"",
		"Themes: --theme NAME or RPI_CROSS_THEME (default, high-contrast,",
		"monochrome, or ~/.config/rpi-cross/themes/NAME.yaml); NO_COLOR=1",
		"turns colour off.",
	};

	ui_log_release(&a->help);
	ui_log_init(&a->help, false);
	a->help.follow = false;
	for (size_t i = 0; i < ARRAY_SIZE(text); i++)
		ui_log_add(&a->help, text[i]);
	a->help_on = true;
}

static void
ask_quit(struct app *a)
{
	if (a->quit.active || a->wiz.step == WIZ_WELCOME) {
		a->quit.active = false;
		a->exit_code = RPX_EXIT_FAIL;
		a->done = true;
		return;
	}
	a->help_on = false;
	if (a->wiz.config_done && a->wiz.config_changed) {
		snprintf(a->quit_text, sizeof(a->quit_text),
			 "Quit rpi-cross? The Cargo config is written (%s); the rest is skipped.",
			 a->wiz.config_path);
		ui_confirm_open(&a->quit, "Quit?", a->quit_text);
	} else {
		ui_confirm_open(&a->quit, "Quit?",
				"Quit rpi-cross? Nothing has been written; the choices made so far are lost.");
	}
}

static void
go_next(struct app *a)
{
	const char *why = "";

	if (!wizard_check(&a->wiz, &why)) {
		set_status(a, TR_WARN, why);
		return;
	}
	wizard_next(&a->wiz);
	if (a->wiz.finished) {
		a->exit_code = RPX_EXIT_OK;
		a->done = true;
		return;
	}
	enter_step(a);
}

static void
go_back(struct app *a)
{
	if (wizard_back(&a->wiz) == 0)
		enter_step(a);
}

/* Apply the OS list's highlighted entry. */
static void
os_choose(struct app *a)
{
	const struct ui_item *it = ui_list_current(&a->os);

	if (it == NULL)
		return;
	/* already the choice: keep where it came from */
	if (it->id == a->wiz.plan.os_bits ||
	    (it->id == LIBC_GNU_ID && a->wiz.plan.libc == LIBC_GNU) ||
	    (it->id == LIBC_MUSL_ID && a->wiz.plan.libc == LIBC_MUSL)) {
		build_os_list(a);
		return;
	}
	if (it->id == OS_32 || it->id == OS_64) {
		if (wizard_set_bits(&a->wiz, it->id) != 0) {
			const char *why = "";

			wizard_bits_allowed(&a->wiz, it->id, &why);
			set_status(a, TR_FAIL, why);
			return;
		}
	} else if (it->id == LIBC_GNU_ID || it->id == LIBC_MUSL_ID) {
		wizard_set_libc(&a->wiz, it->id == LIBC_MUSL_ID ? LIBC_MUSL : LIBC_GNU);
	}
	build_os_list(a);
}

/* Apply the CPU list's highlighted entry; false when it opened input. */
static bool
cpu_choose(struct app *a)
{
	const struct ui_item *it = ui_list_current(&a->cpu);
	struct wiz_cpu c[8];
	int n = wizard_cpu_choices(&a->wiz, c, (int)ARRAY_SIZE(c));

	if (it == NULL)
		return false;
	if (it->id == CPU_TYPE_ID) {
		ui_input_init(&a->input, "", false);
		a->typing = true;
		return false;
	}
	if (it->id >= 0 && it->id < n &&
	    (a->wiz.plan.cpu == NULL || strcmp(a->wiz.plan.cpu, c[it->id].name) != 0))
		wizard_set_cpu(&a->wiz, c[it->id].name, PLAN_USER);
	if (it->id >= CPU_RUSTC_BASE && it->id - CPU_RUSTC_BASE < a->wiz.cpus.n)
		wizard_set_cpu(&a->wiz, a->wiz.cpus.v[it->id - CPU_RUSTC_BASE].name,
			       PLAN_USER);
	build_cpu_list(a);
	return true;
}

static void
typed_cpu(struct app *a)
{
	char *s = lineedit_utf8(&a->input.le);
	char msg[200];
	int r = wizard_set_cpu(&a->wiz, s, PLAN_USER);

	if (r == 0) {
		a->typing = false;
		snprintf(msg, sizeof(msg), "CPU set to %s.", s);
		set_status(a, TR_OK, msg);
		ui_list_clear(&a->cpu);		/* the cursor goes to it */
		build_cpu_list(a);
	} else if (r == RPX_ENOTFOUND) {
		snprintf(msg, sizeof(msg), "rustc does not know a CPU '%.60s' for %s",
			 s, a->wiz.plan.target->triple);
		set_status(a, TR_FAIL, msg);
	} else {
		snprintf(msg, sizeof(msg),
			 "'%.60s' cannot be used: a CPU name is letters, digits and - . _ +, and a Pi core must fit the board",
			 s);
		set_status(a, TR_FAIL, msg);
	}
	free(s);
}

/* Save the answers as a profile (Summary, s). */
static void
save_profile(struct app *a)
{
	char *name = lineedit_utf8(&a->save_name.le);
	char *path = profile_default_path();
	struct rpx_err err = RPX_ERR_INIT;
	char msg[800];

	if (path == NULL) {
		set_status(a, TR_FAIL, "cannot save: neither XDG_CONFIG_HOME nor HOME is set");
	} else if (profile_save(path, name, &a->wiz.plan, &err) != 0) {
		err_string(msg, sizeof(msg), &err);
		set_status(a, TR_FAIL, msg);
	} else {
		snprintf(msg, sizeof(msg), "Saved profile '%.100s' in %.500s (rpi-cross --profile %.100s).",
			 name, path, name);
		set_status(a, TR_OK, msg);
		a->save_typing = false;
	}
	free(path);
	free(name);
}

/* The profile chooser on the Welcome step. */
static int
prof_key(struct app *a, const struct ui_key *k)
{
	int r = ui_list_key(&a->prof_list, k);

	if (ui_key_is(k, 27) && !(r & UI_HANDLED)) {
		a->prof_on = false;
		return UI_HANDLED;
	}
	if (r & UI_ACCEPT) {
		const struct ui_item *it = ui_list_current(&a->prof_list);
		struct plan tmp = PLAN_INIT;
		struct rpx_err err = RPX_ERR_INIT;
		char msg[700];

		if (it == NULL)
			return r;
		if (profile_apply(&a->job.ps, a->job.ps.v[it->id].name, &tmp, &err) != 0 ||
		    wizard_apply_plan(&a->wiz, &tmp) != 0) {
			snprintf(msg, sizeof(msg), "profile '%.100s' cannot be used: %s",
				 a->job.ps.v[it->id].name, err.msg[0] ? err.msg :
				 "it names no board");
			set_status(a, TR_FAIL, msg);
		} else {
			a->prof_on = false;
			go_next(a);
			snprintf(msg, sizeof(msg), "Started from profile '%.100s': Enter keeps each answer.",
				 a->job.ps.v[it->id].name);
			set_status(a, TR_OK, msg);
		}
		plan_release(&tmp);
	}
	return r | UI_HANDLED;
}

static int
step_key(struct app *a, const struct ui_key *k)
{
	int r = 0;

	switch (a->wiz.step) {
	case WIZ_WELCOME:
		if (a->prof_on) {
			r = prof_key(a, k);
			break;
		}
		if (ui_key_is(k, L'p') && a->task_collected && a->job.ps.n > 0) {
			ui_list_clear(&a->prof_list);
			for (size_t i = 0; i < a->job.ps.n; i++) {
				const struct plan *q = &a->job.ps.v[i].plan;
				char note[300];

				snprintf(note, sizeof(note), "%s%s%s", q->board ? q->board->name : "no board",
					 q->host ? ", " : "", q->host ? q->host : "");
				ui_list_add(&a->prof_list, 0, (int)i, 0, a->job.ps.v[i].name,
					    note, NULL);
			}
			a->prof_on = true;
			r = UI_HANDLED;
			break;
		}
		r = ui_log_key(&a->welcome, k);
		break;
	case WIZ_BOARD:
		if (a->bmode != BM_LIST) {
			r = det_key(a, k);
			break;
		}
		r = ui_list_key(&a->board, k);
		if (r & UI_ACCEPT) {
			const struct ui_item *it = ui_list_current(&a->board);
			int n;

			if (it != NULL && it->id == DETECT_ID) {
				det_open_host(a);
			} else if (it != NULL && it->id >= 0) {
				wizard_set_board(&a->wiz, &board_all(&n)[it->id]);
				go_next(a);
			}
		} else if (r & UI_SELECT) {
			const struct ui_item *it = ui_list_current(&a->board);
			int n;

			if (it != NULL && it->id >= 0)
				wizard_set_board(&a->wiz, &board_all(&n)[it->id]);
		}
		break;
	case WIZ_OS:
		r = ui_list_key(&a->os, k);
		if (r & (UI_SELECT | UI_ACCEPT))
			os_choose(a);
		if ((r & UI_ACCEPT) && a->status_role != TR_FAIL)
			go_next(a);
		break;
	case WIZ_LINKER:
		if (!a->lk_have)
			break;
		if (ui_key_is(k, L'r')) {
			lk_start(a);
			r = UI_HANDLED;
			break;
		}
		r = ui_list_key(&a->lk_list, k);
		if (r & (UI_SELECT | UI_ACCEPT))
			lk_choose(a, (r & UI_ACCEPT) != 0);
		break;
	case WIZ_CONFIG:
		r = cfg_key(a, k);
		break;
	case WIZ_TEST:
		r = pt_key(a, k);
		break;
	case WIZ_SUMMARY:
		if (ui_key_is(k, L's')) {
			ui_input_init(&a->save_name, "", false);
			a->save_typing = true;
			r = UI_HANDLED;
		}
		break;
	case WIZ_CPU:
		r = ui_list_key(&a->cpu, k);
		if (r & (UI_SELECT | UI_ACCEPT)) {
			bool chose = cpu_choose(a);

			if (chose && (r & UI_ACCEPT))
				go_next(a);
		}
		break;
	default:
		break;
	}
	return r;
}

static void
handle_key(struct app *a, const struct ui_key *k)
{
	int r;

	if (ui_key_code(k, KEY_RESIZE))
		return;
	if (a->quit.active) {
		r = ui_confirm_key(&a->quit, k);
		if (r & UI_ACCEPT) {
			a->exit_code = RPX_EXIT_FAIL;
			a->done = true;
		}
		return;
	}
	if (ui_too_small(&a->ui)) {
		if (ui_key_is(k, L'q'))
			ask_quit(a);
		return;
	}
	if (a->help_on) {
		if (ui_key_is(k, 27) || ui_key_is(k, L'q') || ui_key_is(k, L'?') ||
		    ui_key_is(k, L'\r') || ui_key_is(k, L'\n'))
			a->help_on = false;
		else
			ui_log_key(&a->help, k);
		return;
	}
	if (ask_key(a, k))
		return;
	if (a->typing) {
		r = ui_input_key(&a->input, k);
		if (r & UI_ACCEPT)
			typed_cpu(a);
		else if (r & UI_BACK)
			a->typing = false;
		return;
	}
	if (a->pt_typing) {
		r = ui_input_key(&a->pt_host, k);
		if (r & UI_ACCEPT) {
			char *h = lineedit_utf8(&a->pt_host.le);

			a->pt_typing = false;
			pt_start(a, h, false);
			free(h);
		} else if (r & UI_BACK) {
			a->pt_typing = false;
		}
		return;
	}
	if (a->save_typing) {
		r = ui_input_key(&a->save_name, k);
		if (r & UI_ACCEPT)
			save_profile(a);
		else if (r & UI_BACK)
			a->save_typing = false;
		return;
	}
	if (a->cfg_typing) {
		r = ui_input_key(&a->cfg_dir, k);
		if (r & UI_ACCEPT)
			cfg_project_typed(a);
		else if (r & UI_BACK)
			a->cfg_typing = false;
		return;
	}
	if (a->status_role == TR_FAIL || a->status_role == TR_WARN)
		set_status(a, TR_TEXT, "");
	r = step_key(a, k);
	if (r & UI_HANDLED)
		return;
	if (ui_key_is(k, L'?'))
		open_help(a);
	else if (ui_key_is(k, L'q'))
		ask_quit(a);
	else if (ui_key_is(k, 27))
		go_back(a);
	else if (ui_key_is(k, L'\r') || ui_key_is(k, L'\n') ||
		 ui_key_code(k, KEY_ENTER))
		go_next(a);
}

/* Take what the toolchain task found; true when something changed. */
static bool
poll_task(struct app *a)
{
	struct task_snap snap;
	bool changed = false;

	task_snapshot(&a->task, &snap);
	while (a->log_seen < snap.nlines) {
		char *line = task_line(&a->task, a->log_seen++);

		ui_log_add(&a->welcome, line ? line : "");
		free(line);
		changed = true;
	}
	if (a->welcome.num != snap.num || a->welcome.den != snap.den) {
		a->welcome.num = snap.num;
		a->welcome.den = snap.den;
		changed = true;
	}
	if (snap.done && !a->task_collected) {
		task_finish(&a->task);
		wizard_set_toolchain(&a->wiz, &a->job.tc, a->job.rc);
		if (a->job.cur != NULL)
			wizard_set_current(&a->wiz, a->job.cur, a->job.cur_file,
					   a->job.cur_linker, a->job.cur_cpu,
					   a->job.cur_runner, a->job.cur_build);
		a->task_collected = true;
		a->welcome.busy = false;
		changed = true;
	}
	return changed;
}

/* The steps' background work; true when something changed. */
static bool
poll_steps(struct app *a)
{
	bool changed = false, done;

	changed |= bg_poll(&a->lk_bg, &a->lk_log, &done);
	if (done)
		lk_collect(a);
	changed |= bg_poll(&a->cpu_bg, NULL, &done);
	if (done)
		cpu_collect(a);
	changed |= bg_poll(&a->det_bg, &a->det_log, &done);
	if (done)
		det_collect(a);
	changed |= bg_poll(&a->pt_bg, &a->pt_log, &done);
	if (done)
		pt_collect(a);
	changed |= poll_ask(a);
	return changed;
}

static void
err_string(char *out, size_t outsz, const struct rpx_err *e)
{
	if (e->path[0] != '\0' && e->line > 0)
		snprintf(out, outsz, "%.200s:%d:%d: %.300s", e->path, e->line,
			 e->col, e->msg);
	else if (e->path[0] != '\0')
		snprintf(out, outsz, "%.200s: %.300s", e->path, e->msg);
	else
		snprintf(out, outsz, "%s", e->msg);
}

static void
app_release(struct app *a)
{
	/* a worker waiting for an answer gets "no" and ends */
	ask_cancel(&a->ask);
	a->pt_stop = 1;
	task_release(&a->pt_bg.task);
	if (a->pt_have)
		pitest_result_release(&a->pt.res);
	ui_list_release(&a->pt_list);
	ui_log_release(&a->pt_log);
	task_release(&a->lk_bg.task);
	task_release(&a->cpu_bg.task);
	task_release(&a->det_bg.task);
	ask_release(&a->ask);
	linker_scan_release(&a->lk.scan);
	cpu_list_release(&a->cj.l);
	cargo_config_change_release(&a->cfg_ch);
	ui_list_release(&a->lk_list);
	ui_list_release(&a->aliases);
	ui_list_release(&a->cfg_list);
	ui_log_release(&a->lk_log);
	ui_log_release(&a->det_log);
	ui_log_release(&a->cfg_diff);
	secret_wipe(a);
	task_release(&a->task);
	toolchain_release(&a->job.tc);
	profiles_release(&a->job.ps);
	free(a->job.cur_file);
	free(a->job.cur_linker);
	free(a->job.cur_cpu);
	ui_list_release(&a->prof_list);
	ui_log_release(&a->welcome);
	ui_log_release(&a->help);
	ui_list_release(&a->board);
	ui_list_release(&a->os);
	ui_list_release(&a->cpu);
	wizard_release(&a->wiz);
}


static void
loop(struct app *a)
{
	const char *exit_mode = rpx_getenv("RPI_CROSS_UI_EXIT");
	bool redraw = true, first = true;
	int early = 0;		/* reads that failed well before their timeout */
	struct ui_key k;

	while (!a->done) {
		struct task_snap snap;
		int sig = ui_stop_signal();

		if (sig != 0) {
			a->exit_code = 128 + sig;
			break;
		}
		if (ui_take_interrupt()) {
			ask_quit(a);
			redraw = true;
			continue;
		}
		if (poll_task(a) | poll_steps(a))
			redraw = true;
		if (redraw) {
			draw(a);
			redraw = false;
			if (first && exit_mode != NULL &&
			    strcmp(exit_mode, "first-frame") == 0) {
				a->exit_code = RPX_EXIT_OK;
				break;
			}
			if (first && exit_mode != NULL &&
			    strcmp(exit_mode, "fatal") == 0)
				ui_die(&a->ui, "fatal-error path taken on request (RPI_CROSS_UI_EXIT=fatal)");
			first = false;
		}
		task_snapshot(&a->task, &snap);
		snap.running = snap.running || a->lk_bg.live || a->cpu_bg.live ||
			       a->det_bg.live || a->pt_bg.live;
		{
			int wait = snap.running ? 80 : 250;
			long long t0 = rpx_now_ms();

			ui_read_key(&a->ui, &k, wait);
			/* A terminal that went away (its master closed, no
			 * SIGHUP for us) makes every read fail at once: stop
			 * as after a hang-up instead of spinning. */
			early = (k.type == ERR && rpx_now_ms() - t0 < wait / 2) ?
				early + 1 : 0;
			if (early >= 20) {
				a->exit_code = 128 + SIGHUP;
				a->lost = true;
				break;
			}
		}
		if (k.type == ERR) {
			if (snap.running) {
				a->spin++;
				redraw = true;
			}
			continue;
		}
		handle_key(a, &k);
		redraw = true;
	}
}

int
ui_wizard_run(struct ctx *ctx)
{
	struct app *a = NULL;
	struct theme theme;
	struct rpx_err err = RPX_ERR_INIT;
	const char *why = "";
	int rc;

	a = xcalloc(1, sizeof(*a));
	a->ctx = ctx;
	a->exit_code = RPX_EXIT_FAIL;
	wizard_init(&a->wiz);
	ui_log_init(&a->welcome, false);
	ui_log_init(&a->help, false);
	ui_list_init(&a->board, true, false);
	ui_list_init(&a->os, false, true);
	ui_list_init(&a->cpu, true, true);
	ui_list_init(&a->lk_list, false, true);
	ui_list_init(&a->aliases, false, false);
	ui_list_init(&a->cfg_list, false, false);
	ui_list_init(&a->pt_list, false, false);
	ui_list_init(&a->prof_list, false, false);
	ui_log_init(&a->pt_log, false);
	ui_log_init(&a->lk_log, false);
	ui_log_init(&a->det_log, false);
	ui_log_init(&a->cfg_diff, true);
	ask_init(&a->ask);
	if (theme_select(&theme, ctx->theme, rpx_getenv("NO_COLOR") != NULL,
			 theme_datadir(), &err) < 0) {
		char msg[600];

		err_string(msg, sizeof(msg), &err);
		rpx_warnf(ctx, "%s; using the built-in default theme", msg);
		snprintf(a->theme_note, sizeof(a->theme_note),
			 "Theme: %s; using the built-in default", msg);
	}
	rc = ui_start(&a->ui, &theme, &why);
	if (rc < 0) {
		rpx_errorf(ctx, "%s", why);
		goto out;
	}
	if (task_start(&a->task, tc_work, &a->job) < 0) {
		a->job.rc = toolchain_find(&a->job.tc);
		wizard_set_toolchain(&a->wiz, &a->job.tc, a->job.rc);
		a->task_collected = true;
	}
	build_board_list(a);
	if (a->theme_note[0] != '\0')
		set_status(a, TR_WARN, a->theme_note);
	loop(a);
	ui_end(&a->ui);
	if (a->exit_code == RPX_EXIT_OK && a->wiz.finished) {
		struct strbuf sb = STRBUF_INIT;

		wizard_summary(&a->wiz, &sb);
		fprintf(ctx->out, "rpi-cross: the plan so far\n%s", sb.buf);
		strbuf_release(&sb);
	} else if (a->lost) {
		fprintf(ctx->err, "%s: the terminal went away\n", ctx->progname);
	} else if (a->exit_code > 128) {
		fprintf(ctx->err, "%s: stopped by signal %d\n", ctx->progname,
			a->exit_code - 128);
	}
	rc = a->exit_code;
out:
	ui_end(&a->ui);
	app_release(a);
	free(a);
	return rc < 0 ? RPX_EXIT_FAIL : rc;
}
