/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * screen_os.c - the OS and libc step: the Pi's OS word size and the C
 * library, and the Rust target they lead to, with why and whether its
 * std is installed.
 */
#include "app.h"

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
	int r = ui_list_key(&a->os, k);

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
os_draw(struct app *a, int top, int bottom)
{
	draw_os(a, top, bottom);
	app_help_line(a, app_keys_radio);
}

static void
os_setup(struct app *a)
{
	ui_list_init(&a->os, false, true);
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
	ui_list_release(&a->os);
}

const struct screen screen_os = {
	.setup = os_setup,
	.enter = os_enter,
	.key = os_key,
	.draw = os_draw,
	.release = os_release,
};
