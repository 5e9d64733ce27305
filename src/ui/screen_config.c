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

#include "planconf.h"

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
	char msg[700];
	char *copy, *line, *save = NULL;

	cargo_config_change_release(&a->cfg_ch);
	a->cfg_loaded = false;
	if (planconf_prepare(&a->wiz.plan, NULL, NULL, &a->cfg_ch, &err) < 0) {
		app_err_string(msg, sizeof(msg), &err);
		app_set_status(a, TR_FAIL, msg);
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

static void
cfg_choose(struct app *a, int id)
{
	const struct plan *p = &a->wiz.plan;

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
	case WIZ_CFG_SHOW:
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
	}
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
}

static void
config_enter(struct app *a)
{
	wizard_config_reset(&a->wiz);
	a->cfg_mode = 0;
	a->cfg_typing = false;
	a->cfg_list.cur = -1;
	build_cfg_list(a);
}

static void
config_release(struct app *a)
{
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
	.release = config_release,
};
