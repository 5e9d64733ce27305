/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * screen_summary.c - the Summary step: the plan so far, each value with
 * why; Enter finishes (the plan is printed), s saves the answers as a
 * profile.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static const char *const keys_summary[] = {
	"Enter", "Finish", "s", "Save as profile", "Esc", "Back", "?", "Help",
	"q", "Quit", NULL
};

/* Save the answers as a profile (s). */
static void
save_profile(struct app *a)
{
	char *name = lineedit_utf8(&a->save_name.le);
	char *path = profile_default_path();
	struct rpx_err err = RPX_ERR_INIT;
	char msg[800];

	if (path == NULL) {
		app_set_status(a, TR_FAIL, "cannot save: neither XDG_CONFIG_HOME nor HOME is set");
	} else if (profile_save(path, name, &a->wiz.plan, &err) != 0) {
		app_err_string(msg, sizeof(msg), &err);
		app_set_status(a, TR_FAIL, msg);
	} else {
		snprintf(msg, sizeof(msg), "Saved profile '%.100s' in %.500s (rpi-cross --profile %.100s).",
			 name, path, name);
		app_set_status(a, TR_OK, msg);
		a->save_typing = false;
	}
	free(path);
	free(name);
}

static bool
summary_input(struct app *a, const struct ui_key *k)
{
	int r;

	if (!a->save_typing)
		return false;
	r = ui_input_key(&a->save_name, k);
	if (r & UI_ACCEPT)
		save_profile(a);
	else if (r & UI_BACK)
		a->save_typing = false;
	return true;
}

static int
summary_key(struct app *a, const struct ui_key *k)
{
	if (ui_key_is(k, L's')) {
		ui_input_init(&a->save_name, "", false);
		a->save_typing = true;
		return UI_HANDLED;
	}
	return 0;
}

static void
draw_summary(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	struct wiz_summary lines = WIZ_SUMMARY_INIT;
	int y = top, w = ui->cols - 2;

	ui_put(ui, y++, 1, w, TR_TEXT, "The plan so far:");
	y++;
	wizard_summary_lines(&a->wiz, &lines);
	for (size_t i = 0; i < lines.n && y < bottom; i++) {
		const struct wiz_summary_line *l = &lines.v[i];

		/* "Label:   value": the value wraps under itself */
		ui_put(ui, y, 1, 9, TR_KEY, l->label);
		y += ui_wrap(ui, y, 10, w - 9, bottom - y,
			     l->build ? TR_OK : TR_TEXT, l->value);
	}
	wiz_summary_release(&lines);
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
summary_draw(struct app *a, int top, int bottom)
{
	draw_summary(a, top, bottom);
	app_help_line(a, a->save_typing ? app_keys_input : keys_summary);
}

const struct screen screen_summary = {
	.input = summary_input,
	.key = summary_key,
	.draw = summary_draw,
};
