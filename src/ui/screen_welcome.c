/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * screen_welcome.c - the Welcome step: what the wizard does, the search
 * for the Rust toolchain (a background task from the first frame on),
 * an existing Cargo config's values, and starting from a saved profile.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

static const char *const keys_welcome[] = {
	"Enter", "Next", "\xe2\x86\x91\xe2\x86\x93", "Scroll", "p", "Profiles", "?", "Help",
	"q", "Quit", NULL
};

static int
tc_task(struct task *t, void *arg)
{
	struct wiz_report r = app_task_report(t);

	return wizard_job_toolchain(arg, &r);
}

static void
welcome_setup(struct app *a)
{
	ui_log_init(&a->welcome, false);
	ui_list_init(&a->prof_list, false, false);
}

static void
welcome_start(struct app *a)
{
	if (task_start(&a->task, tc_task, &a->job) < 0) {
		a->job.rc = toolchain_find(&a->job.tc);
		wizard_set_toolchain(&a->wiz, &a->job.tc, a->job.rc);
		a->task_collected = true;
	}
}

/* Take what the toolchain task found; true when something changed. */
static bool
welcome_poll(struct app *a)
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

static bool
welcome_busy(struct app *a)
{
	struct task_snap snap;

	task_snapshot(&a->task, &snap);
	return snap.running;
}

/* The toolchain line: searching, found or missing. */
static int
draw_toolchain(struct app *a, int y, int w, int bottom)
{
	struct ui *ui = &a->ui;

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
	return y;
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
	y = draw_toolchain(a, y, w, bottom);
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
welcome_draw(struct app *a, int top, int bottom)
{
	draw_welcome(a, top, bottom);
	app_help_line(a, keys_welcome);
}

/* The profile chooser. */
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
			app_set_status(a, TR_FAIL, msg);
		} else {
			a->prof_on = false;
			app_go_next(a);
			snprintf(msg, sizeof(msg), "Started from profile '%.100s': Enter keeps each answer.",
				 a->job.ps.v[it->id].name);
			app_set_status(a, TR_OK, msg);
		}
		plan_release(&tmp);
	}
	return r | UI_HANDLED;
}

static int
welcome_key(struct app *a, const struct ui_key *k)
{
	if (a->prof_on)
		return prof_key(a, k);
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
		return UI_HANDLED;
	}
	return ui_log_key(&a->welcome, k);
}

static void
welcome_release(struct app *a)
{
	task_release(&a->task);
	wizard_tc_job_release(&a->job);
	ui_list_release(&a->prof_list);
	ui_log_release(&a->welcome);
}

const struct screen screen_welcome = {
	.setup = welcome_setup,
	.start = welcome_start,
	.key = welcome_key,
	.draw = welcome_draw,
	.poll = welcome_poll,
	.busy = welcome_busy,
	.release = welcome_release,
};
