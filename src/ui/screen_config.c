/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * screen_config.c - the Config step: which Cargo config (global or one
 * project's) and which options, then the changes as a diff; w writes
 * them.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strvec.h"

static const char *const keys_diff[] = {
	"w/Enter", "Write", "\xe2\x86\x91\xe2\x86\x93", "Scroll", "Esc", "Back",
	"q", "Quit", NULL
};

static void
build_cfg_list(struct app *a)
{
	struct wiz_rows rows = WIZ_ROWS_INIT;
	const struct ui_item *cur = ui_list_current(&a->cfg_list);
	int keep;

	wizard_config_rows(&a->wiz, a->ui.utf8, &rows);
	keep = cur ? cur->id : rows.focus;
	app_fill_list(&a->cfg_list, &rows);
	a->cfg_list.textw = 0;
	ui_list_focus(&a->cfg_list, keep);
	wiz_rows_release(&rows);
}

static void
cfg_prepare(struct app *a)
{
	struct rpx_err err = RPX_ERR_INIT;
	struct strvec why = STRVEC_INIT;
	char msg[700];
	char *copy, *line, *save = NULL;

	cargo_config_change_release(&a->cfg_ch);
	a->cfg_loaded = false;
	if (wizard_config_prepare(&a->wiz, &a->cfg_ch, &why, &err) < 0) {
		app_err_string(msg, sizeof(msg), &err);
		app_set_status(a, TR_FAIL, msg);
		strvec_clear(&why);
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
	/* the sysroot's edits explained, as setup prints them */
	for (size_t i = 0; cargo_config_changed(&a->cfg_ch) && i < why.n; i++) {
		snprintf(msg, sizeof(msg), "why: %s.", why.v[i]);
		ui_log_add(&a->cfg_diff, msg);
	}
	strvec_clear(&why);
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
		app_err_string(msg, sizeof(msg), &err);
		app_set_status(a, TR_FAIL, msg);
		return;
	} else {
		snprintf(msg, sizeof(msg), "Wrote %s%s%s.", a->cfg_ch.path,
			 a->cfg_ch.backup ? "; the old one is kept as " : "",
			 a->cfg_ch.backup ? a->cfg_ch.backup : "");
		wizard_config_done(&a->wiz, a->cfg_ch.path, true);
	}
	a->cfg_loaded = false;
	a->cfg_mode = 0;
	app_go_next(a);
	app_set_status(a, TR_OK, msg);
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
		app_set_status(a, TR_FAIL, msg);
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

static bool
config_input(struct app *a, const struct ui_key *k)
{
	int r;

	if (!a->cfg_typing)
		return false;
	r = ui_input_key(&a->cfg_dir, k);
	if (r & UI_ACCEPT)
		cfg_project_typed(a);
	else if (r & UI_BACK)
		a->cfg_typing = false;
	return true;
}

/* Keys while the diff is shown. */
static int
diff_key(struct app *a, const struct ui_key *k)
{
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

static int
sr_task(struct task *t, void *arg)
{
	struct wiz_report r = app_task_report(t);

	return wizard_job_sysroot(arg, &r);
}

/* The sysroots of the target, again (after a pull, entering the step). */
static void
sr_load(struct app *a)
{
	char err[512];

	if (wizard_load_sysroots(&a->wiz, err, sizeof(err)) != 0) {
		char msg[700];

		snprintf(msg, sizeof(msg), "cannot list the sysroots: %s", err);
		app_set_status(a, TR_WARN, msg);
	}
}

static void
sr_start(struct app *a)
{
	if (a->sr_bg.live || a->wiz.plan.host == NULL)
		return;
	memset(&a->srj, 0, sizeof(a->srj));
	snprintf(a->srj.host, sizeof(a->srj.host), "%s", a->wiz.plan.host);
	a->srj.t = a->wiz.plan.target;
	a->srj.cb.confirm_host_key = ask_host_key;
	a->srj.cb.ask = ask_secret;
	a->srj.cb.data = &a->ask;
	ask_reset(&a->ask);
	a->ask_serial = 0;
	ui_log_release(&a->sr_log);
	ui_log_init(&a->sr_log, false);
	a->sr_log.busy = true;
	if (bg_start(&a->sr_bg, sr_task, &a->srj) < 0) {
		a->sr_log.busy = false;
		app_set_status(a, TR_FAIL, "cannot start a thread for the pull");
		return;
	}
	app_set_status(a, TR_TEXT, "Pulling a sysroot from the Pi (Ctrl-C stops)...");
}

static void
sr_collect(struct app *a)
{
	char msg[1400];

	a->sr_log.busy = false;
	a->ask_kind = ASK_NONE;
	a->key_dlg.active = false;
	sr_load(a);
	if (a->srj.rc != 0) {
		if (a->srj.stop)
			snprintf(msg, sizeof(msg), "The pull was stopped: %s%s",
				 a->wiz.nsysroots > 0 ?
				 "the sysroots pulled before are as they were" :
				 "no sysroot was made", "; choose again.");
		else
			snprintf(msg, sizeof(msg), "The pull failed: %.900s (or run 'rpi-cross sysroot pull --host %s' to see more; the previous sysroot is as it was)",
				 a->srj.err[0] ? a->srj.err : "no reason given",
				 a->srj.host);
		app_set_status(a, a->srj.stop ? TR_WARN : TR_FAIL, msg);
	} else if (wizard_set_sysroot(&a->wiz, a->srj.name) == 0) {
		snprintf(msg, sizeof(msg), "Pulled sysroot %s: it is the C libraries choice now.",
			 a->srj.name);
		app_set_status(a, TR_OK, msg);
	} else {
		snprintf(msg, sizeof(msg), "Pulled sysroot %s, but it is not for %s: the Pi runs another OS than the one chosen (see the OS step).",
			 a->srj.name, a->wiz.plan.target->triple);
		app_set_status(a, TR_WARN, msg);
	}
	if (a->wiz.step == WIZ_CONFIG)
		build_cfg_list(a);
}

static void
cfg_choose(struct app *a, int id)
{
	const struct plan *p = &a->wiz.plan;

	if (wizard_choose_sysroot_row(&a->wiz, id))
		return;
	switch (id) {
	case WIZ_CFG_GLOBAL:
		wizard_set_scope(&a->wiz, PLAN_SCOPE_GLOBAL, NULL);
		break;
	case WIZ_CFG_PROJECT: {
		char cwd[4096];

		ui_input_init(&a->cfg_dir, p->project_dir ? p->project_dir :
			      getcwd(cwd, sizeof(cwd)) ? cwd : "", false);
		a->cfg_typing = true;
		break;
	}
	case WIZ_CFG_BUILD:
		wizard_set_options(&a->wiz, !p->build_target, p->runner);
		break;
	case WIZ_CFG_RUNNER:
		wizard_set_options(&a->wiz, p->build_target, !p->runner);
		break;
	case WIZ_CFG_SR_PULL:
		sr_start(a);
		break;
	case WIZ_CFG_SHOW:
		if (a->sr_bg.live) {
			app_set_status(a, TR_WARN, "the sysroot is still being pulled: wait, or Ctrl-C stops it");
			break;
		}
		cfg_prepare(a);
		break;
	default:
		break;
	}
}

static int
config_key(struct app *a, const struct ui_key *k)
{
	int r;

	if (a->cfg_mode == 1)
		return diff_key(a, k);
	r = ui_list_key(&a->cfg_list, k);
	if (r & (UI_SELECT | UI_ACCEPT)) {
		const struct ui_item *it = ui_list_current(&a->cfg_list);

		cfg_choose(a, it ? it->id : 0);
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
		if (a->cfg_diff.lines.n == 0) {
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
		y++;
	}
	/* the pull's task area */
	if (a->sr_log.lines.n > 0 && y < bottom)
		ui_log_draw(ui, &a->sr_log, y, 2, bottom - y, w - 2,
			    a->sr_bg.live ? a->spin : 0);
}

static void
config_draw(struct app *a, int top, int bottom)
{
	draw_config(a, top, bottom);
	app_help_line(a, a->cfg_typing ? app_keys_input : a->cfg_mode == 1 ?
		      keys_diff : app_keys_radio);
}

static void
config_setup(struct app *a)
{
	ui_list_init(&a->cfg_list, false, false);
	ui_log_init(&a->cfg_diff, true);
	ui_log_init(&a->sr_log, false);
}

static void
config_enter(struct app *a)
{
	wizard_config_reset(&a->wiz);
	a->cfg_mode = 0;
	a->cfg_typing = false;
	a->cfg_list.cur = -1;
	if (!a->sr_bg.live)
		sr_load(a);
	build_cfg_list(a);
}

static bool
config_poll(struct app *a)
{
	bool done, changed = bg_poll(&a->sr_bg, &a->sr_log, &done);

	if (done)
		sr_collect(a);
	return changed;
}

static bool
config_busy(struct app *a)
{
	return a->sr_bg.live;
}

/* Ctrl-C while pulling: stop it cleanly (the previous sysroot stays). */
static bool
config_interrupt(struct app *a)
{
	if (!a->sr_bg.live)
		return false;
	a->srj.stop = 1;
	app_set_status(a, TR_WARN, "Stopping the pull...");
	return true;
}

static void
config_release(struct app *a)
{
	a->srj.stop = 1;
	task_release(&a->sr_bg.task);
	ui_log_release(&a->sr_log);
	cargo_config_change_release(&a->cfg_ch);
	ui_list_release(&a->cfg_list);
	ui_log_release(&a->cfg_diff);
}

const struct screen screen_config = {
	.setup = config_setup,
	.enter = config_enter,
	.input = config_input,
	.key = config_key,
	.draw = config_draw,
	.poll = config_poll,
	.busy = config_busy,
	.interrupt = config_interrupt,
	.release = config_release,
};
