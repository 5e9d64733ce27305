/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * screen_board.c - the Board step: the list of models (filterable), or
 * detection over SSH: the Pi's address, the connection and probe on a
 * background task (its questions go through ask_dialog.c), then what it
 * found or why it failed.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "strvec.h"

static const char *const keys_board[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Move", "type", "Filter", "Enter", "Choose",
	"Esc", "Back", "?", "Help", "q", "Quit", NULL
};
static const char *const keys_host[] = {
	"Enter", "Detect", "\xe2\x86\x91\xe2\x86\x93", "Alias", "Tab", "Use alias",
	"Esc", "Back", NULL
};
static const char *const keys_retry[] = {
	"Enter", "Try again", "Esc", "Back", "?", "Help", "q", "Quit", NULL
};

static void
build_board_list(struct app *a)
{
	struct wiz_rows rows = WIZ_ROWS_INIT;
	const struct ui_item *cur = ui_list_current(&a->board);
	int keep = cur ? cur->id : -2;

	wizard_board_rows(&a->wiz, &rows);
	app_fill_list(&a->board, &rows);
	if (keep >= 0)
		ui_list_focus(&a->board, keep);
	else if (rows.has_focus)
		ui_list_focus(&a->board, rows.focus);
	wiz_rows_release(&rows);
}

static int
det_task(struct task *t, void *arg)
{
	struct wiz_report r = app_task_report(t);

	return wizard_job_detect(arg, &r);
}

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
	for (int i = 0; i < n; i++)
		ui_list_add(&a->aliases, 0, i, 0, al[i], NULL, NULL);
	strvec_free_array(al);
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
		app_set_status(a, TR_WARN, "type the Pi's address ([USER@]HOST[:PORT]) or choose an alias");
		return;
	}
	{
		char *u = NULL, *h = NULL;
		int port = 0;

		if (remote_parse_target(host, &u, &h, &port, why, sizeof(why)) != 0) {
			app_set_status(a, TR_FAIL, why);
			return;
		}
		free(u);
		free(h);
	}
	memset(&a->dj.probe, 0, sizeof(a->dj.probe));
	snprintf(a->dj.host, sizeof(a->dj.host), "%s", host);
	memset(&a->dj.cb, 0, sizeof(a->dj.cb));
	a->dj.cb.confirm_host_key = ask_host_key;
	a->dj.cb.ask = ask_secret;
	a->dj.cb.data = &a->ask;
	a->dj.rc = 0;
	ask_reset(&a->ask);
	a->ask_serial = 0;
	ui_log_release(&a->det_log);
	ui_log_init(&a->det_log, false);
	a->det_log.busy = true;
	a->bmode = BM_DETECTING;
	if (bg_start(&a->det_bg, det_task, &a->dj) < 0) {
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

static void
draw_host(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	int y = top, w = ui->cols - 2;

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
		draw_host(a, top, bottom);
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
}

static bool
is_enter(const struct ui_key *k)
{
	return ui_key_is(k, L'\r') || ui_key_is(k, L'\n') ||
	       ui_key_code(k, KEY_ENTER);
}

/* Keys while typing the Pi's address. */
static int
host_key(struct app *a, const struct ui_key *k)
{
	int r;

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
}

/* Keys of the Board step when not in its list. */
static int
det_key(struct app *a, const struct ui_key *k)
{
	switch (a->bmode) {
	case BM_HOST:
		return host_key(a, k);
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
		if (is_enter(k)) {
			a->bmode = BM_LIST;
			app_go_next(a);
			return UI_HANDLED;
		}
		return 0;
	case BM_FAILED:
		if (ui_key_is(k, 27)) {
			a->bmode = BM_LIST;
			return UI_HANDLED;
		}
		if (is_enter(k)) {
			a->bmode = BM_HOST;
			return UI_HANDLED;
		}
		return 0;
	default:
		return 0;
	}
}

static int
board_key(struct app *a, const struct ui_key *k)
{
	int r;

	if (a->bmode != BM_LIST)
		return det_key(a, k);
	r = ui_list_key(&a->board, k);
	if (r & UI_ACCEPT) {
		const struct ui_item *it = ui_list_current(&a->board);
		int n;

		if (it != NULL && it->id == WIZ_BOARD_DETECT) {
			det_open_host(a);
		} else if (it != NULL && it->id >= 0) {
			wizard_set_board(&a->wiz, &board_all(&n)[it->id]);
			app_go_next(a);
		}
	} else if (r & UI_SELECT) {
		const struct ui_item *it = ui_list_current(&a->board);
		int n;

		if (it != NULL && it->id >= 0)
			wizard_set_board(&a->wiz, &board_all(&n)[it->id]);
	}
	return r;
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
			 b->cpu->core, isa_name(b->cpu->isa), b->ram, board_default_bits(b),
			 ui_glyph(ui, "\xe2\x86\x92", "->"), t ? t->triple : "none");
		ui_wrap(ui, y, 1, w, 2, TR_DIM, line);
	}
}

static void
board_draw(struct app *a, int top, int bottom)
{
	if (a->bmode == BM_LIST) {
		draw_board(a, top - 1, bottom);
		app_help_line(a, keys_board);
		return;
	}
	draw_detect(a, top, bottom);
	app_help_line(a, a->bmode == BM_HOST ? keys_host :
		      a->bmode == BM_DETECTING ? app_keys_busy :
		      a->bmode == BM_FAILED ? keys_retry : app_keys_plain);
}

static void
board_setup(struct app *a)
{
	ui_list_init(&a->board, true, false);
	ui_list_init(&a->aliases, false, false);
	ui_log_init(&a->det_log, false);
}

static void
board_enter(struct app *a)
{
	a->bmode = BM_LIST;
	build_board_list(a);
}

static bool
board_poll(struct app *a)
{
	bool done, changed = bg_poll(&a->det_bg, &a->det_log, &done);

	if (done)
		det_collect(a);
	return changed;
}

static bool
board_busy(struct app *a)
{
	return a->det_bg.live;
}

static void
board_release(struct app *a)
{
	task_release(&a->det_bg.task);
	ui_list_release(&a->aliases);
	ui_log_release(&a->det_log);
	ui_list_release(&a->board);
}

const struct screen screen_board = {
	.setup = board_setup,
	.start = build_board_list,
	.enter = board_enter,
	.key = board_key,
	.draw = board_draw,
	.poll = board_poll,
	.busy = board_busy,
	.release = board_release,
};
