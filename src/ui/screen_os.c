/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * screen_os.c - the OS and libc step: the Pi's OS word size and the C
 * library, and the Rust target they lead to, with why and whether its
 * std is installed. A missing std is installed here: rustup runs on a
 * worker through a pseudo-terminal, and its own progress bar is replayed
 * live in the task area below (Ctrl-C stops it); a distro toolchain's
 * package is named instead.
 */
#include "app.h"

#include <stdio.h>
#include <string.h>

static const char *const keys_install[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Move", "Enter", "Choose+Next", "i", "Install std",
	"Esc", "Back", "?", "Help", "q", "Quit", NULL
};
static const char *const keys_installing[] = {
	"Ctrl-C", "Stop", "?", "Help", "q", "Quit", NULL
};

static int
std_task(struct task *t, void *arg)
{
	(void)t;
	return wizard_job_std(arg);
}

/* How the plan's std comes, worked out once per target. */
static const struct std_install *
std_advice(struct app *a)
{
	const struct target *t = a->wiz.plan.target;

	if (t == NULL || a->wiz.tc_state != WIZ_TC_FOUND)
		return NULL;
	if (a->std_si_t != t) {
		std_install_release(&a->std_si);
		wizard_std_advice(&a->wiz, &a->std_si);
		a->std_si_t = t;
	}
	return &a->std_si;
}

/* The std is missing and rustup can add it. */
static bool
std_installable(struct app *a)
{
	const struct std_install *si = std_advice(a);

	return si != NULL && si->automatic && wizard_std_installed(&a->wiz) == 0;
}

static void
std_start(struct app *a)
{
	char msg[160];

	if (a->std_bg.live || !std_installable(a))
		return;
	termtext_release(&a->sj.tt);
	a->sj.tc = &a->wiz.tc;
	snprintf(a->sj.triple, sizeof(a->sj.triple), "%s", a->wiz.plan.target->triple);
	a->sj.cols = a->ui.cols - 4;
	a->sj.cancel = 0;
	a->sj.rc = 0;
	a->sj.why[0] = '\0';
	ui_log_release(&a->std_log);
	ui_log_init(&a->std_log, false);
	a->std_log.busy = true;
	snprintf(msg, sizeof(msg), "Installing the std for %s with rustup...", a->sj.triple);
	if (bg_start(&a->std_bg, std_task, &a->sj) < 0) {
		app_set_status(a, TR_FAIL, "cannot start a worker thread for rustup");
		return;
	}
	app_set_status(a, TR_TEXT, msg);
}

/* rustup's screen so far into the task area; its end on the status line. */
static bool
std_poll(struct app *a)
{
	struct strvec lines = STRVEC_INIT;
	bool done, changed;
	unsigned gen;
	char msg[700];

	if (!a->std_bg.live)
		return false;
	changed = bg_poll(&a->std_bg, NULL, &done);
	gen = wizard_std_job_lines(&a->sj, &lines);
	if (gen != a->std_gen || done) {
		a->std_gen = gen;
		strvec_clear(&a->std_log.lines);
		for (size_t i = 0; i < lines.n; i++)
			ui_log_add(&a->std_log, lines.v[i]);
		changed = true;
	}
	strvec_clear(&lines);
	if (!done)
		return changed;
	a->std_log.busy = false;
	if (a->sj.rc == 0) {
		snprintf(msg, sizeof(msg), "Installed the std for %s.", a->sj.triple);
		app_set_status(a, TR_OK, msg);
	} else if (a->sj.rc == RPX_ECANCELED) {
		snprintf(msg, sizeof(msg), "Stopped: the std for %s is not installed.",
			 a->sj.triple);
		app_set_status(a, TR_WARN, msg);
	} else {
		snprintf(msg, sizeof(msg), "rustup could not install the std for %s: %s",
			 a->sj.triple, a->sj.why[0] ? a->sj.why : "it failed");
		app_set_status(a, TR_FAIL, msg);
	}
	return true;
}

static bool
std_busy(struct app *a)
{
	return a->std_bg.live;
}

static bool
os_interrupt(struct app *a)
{
	if (!a->std_bg.live)
		return false;
	a->sj.cancel = 1;
	app_set_status(a, TR_WARN, "Stopping rustup...");
	return true;
}

static void
build_os_list(struct app *a)
{
	struct wiz_rows rows = WIZ_ROWS_INIT;
	const struct ui_item *cur = ui_list_current(&a->os);
	int keep;

	wizard_os_rows(&a->wiz, &rows);
	keep = cur ? cur->id : rows.focus;
	app_fill_list(&a->os, &rows);
	ui_list_focus(&a->os, keep);
	wiz_rows_release(&rows);
}

/* Apply the OS list's highlighted entry. */
static void
os_choose(struct app *a)
{
	const struct ui_item *it = ui_list_current(&a->os);
	const char *why = "";

	if (it == NULL)
		return;
	if (wizard_choose_os_row(&a->wiz, it->id, &why) != 0) {
		app_set_status(a, TR_FAIL, why);
		return;
	}
	build_os_list(a);
}

static int
os_key(struct app *a, const struct ui_key *k)
{
	int r;

	if (a->std_bg.live) {
		if (ui_key_is(k, L'q') || ui_key_is(k, L'?'))
			return 0;
		app_set_status(a, TR_WARN, "rustup is installing the std: wait, or Ctrl-C to stop it");
		return UI_HANDLED;
	}
	if (ui_key_is(k, L'i')) {
		if (std_installable(a))
			std_start(a);
		return UI_HANDLED;
	}
	r = ui_list_key(&a->os, k);
	/* Enter with the std missing installs it first */
	if ((r & UI_ACCEPT) && std_installable(a)) {
		os_choose(a);
		if (a->status_role != TR_FAIL && std_installable(a))
			std_start(a);
		return r | UI_HANDLED;
	}

	if (r & (UI_SELECT | UI_ACCEPT))
		os_choose(a);
	if ((r & UI_ACCEPT) && a->status_role != TR_FAIL)
		app_go_next(a);
	return r;
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
		const struct std_install *si = std_advice(a);

		if (std > 0)
			snprintf(line, sizeof(line), "std: installed for %s",
				 p->target->triple);
		else if (std == 0 && a->std_bg.live)
			snprintf(line, sizeof(line), "std: installing for %s (rustup, below)",
				 p->target->triple);
		else if (std == 0 && si != NULL && si->automatic)
			snprintf(line, sizeof(line),
				 "std: not installed. Enter or i installs it now (%s).",
				 si->command);
		else if (std == 0 && si != NULL && si->packages != NULL)
			snprintf(line, sizeof(line),
				 "std: not installed. This distribution's rustc gets it "
				 "from the package %s: %s", si->packages, si->command);
		else if (std == 0 && si != NULL && si->command != NULL)
			snprintf(line, sizeof(line), "std: not installed. Install it with: %s%s%s%s",
				 si->command, si->note ? " (" : "", si->note ? si->note : "",
				 si->note ? ")" : "");
		else if (std == 0 && si != NULL)
			snprintf(line, sizeof(line), "std: not installed: %s",
				 si->note ? si->note : "rustup can add it");
		else if (std == 0)
			snprintf(line, sizeof(line), "std: not installed");
		else
			snprintf(line, sizeof(line), "std: unknown (no Rust toolchain)");
		y += ui_wrap(ui, y, 1, w, bottom - y, std > 0 ? TR_OK : TR_WARN, line);
	}
	/* rustup's own screen, its bar updating in place */
	if (a->std_log.lines.n > 0 && bottom - y >= 3)
		ui_log_draw(ui, &a->std_log, y + 1, 1, bottom - y - 1, w, a->spin);
}

static void
os_draw(struct app *a, int top, int bottom)
{
	draw_os(a, top, bottom);
	app_help_line(a, a->std_bg.live ? keys_installing :
		      std_installable(a) ? keys_install : app_keys_radio);
}

static void
os_setup(struct app *a)
{
	ui_list_init(&a->os, false, true);
	wizard_std_job_init(&a->sj);
	ui_log_init(&a->std_log, false);
}

static void
os_enter(struct app *a)
{
	a->os.cur = -1;
	build_os_list(a);
}

static void
os_release(struct app *a)
{
	/* quitting during an install stops rustup and waits for the worker */
	a->sj.cancel = 1;
	task_release(&a->std_bg.task);
	wizard_std_job_release(&a->sj);
	ui_log_release(&a->std_log);
	std_install_release(&a->std_si);
	ui_list_release(&a->os);
}

const struct screen screen_os = {
	.setup = os_setup,
	.enter = os_enter,
	.key = os_key,
	.draw = os_draw,
	.poll = std_poll,
	.busy = std_busy,
	.release = os_release,
	.interrupt = os_interrupt,
};
