/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ui.c - the wizard (ui.h): its input loop. The step machine (wizard.h)
 * decides; each step's screen (screen_*.c) draws it and turns its keys into
 * calls. This file holds what surrounds them: the table of screens (the
 * only place that names them), the loop that polls the background work
 * and reads keys, the keys every step has, the frame, help and quitting.
 */
#include "ui.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "selfpath.h"
#include "strbuf.h"
#include "theme.h"

static const char *const keys_help[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Scroll", "Esc", "Close", NULL
};
static const char *const keys_small[] = { "q", "Quit", NULL };

/* Each step's screen, in the wizard's order. */
static void
fill_screens(struct app *a)
{
	a->screens[WIZ_WELCOME] = &screen_welcome;
	a->screens[WIZ_BOARD] = &screen_board;
	a->screens[WIZ_OS] = &screen_os;
	a->screens[WIZ_LINKER] = &screen_linker;
	a->screens[WIZ_CPU] = &screen_cpu;
	a->screens[WIZ_CONFIG] = &screen_config;
	a->screens[WIZ_TEST] = &screen_test;
	a->screens[WIZ_SUMMARY] = &screen_summary;
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
	app_help_line(a, keys_small);
}

static void
draw(struct app *a)
{
	struct ui *ui = &a->ui;
	bool small = ui_too_small(ui);	/* reads the size: first */
	int top = 3, bottom = ui->rows - 2;
	const struct screen *s = a->screens[a->wiz.step];

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
	if (s != NULL && s->draw != NULL)
		s->draw(a, top, bottom);
	if (a->help_on) {
		curs_set(0);
		draw_help(a);
		app_help_line(a, keys_help);
	}
	if (a->ask_kind != ASK_NONE && !a->quit.active)
		ask_dialog_draw(a);
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
		"  OS and libc  32/64-bit OS, glibc or musl; shows the target and why;",
		"               i installs a missing std with rustup (Ctrl-C stops it)",
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
	/* quitting is the user's choice, not a failure: status 0 (make run
	 * and shells see no error) */
	if (a->quit.active || a->wiz.step == WIZ_WELCOME) {
		a->quit.active = false;
		a->exit_code = RPX_EXIT_OK;
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

/* A key that no dialog, help or text field took first. */
static void
step_key(struct app *a, const struct ui_key *k)
{
	const struct screen *s = a->screens[a->wiz.step];
	int r = 0;

	if (a->status_role == TR_FAIL || a->status_role == TR_WARN)
		app_set_status(a, TR_TEXT, "");
	if (s->key != NULL)
		r = s->key(a, k);
	if (r & UI_HANDLED)
		return;
	if (ui_key_is(k, L'?'))
		open_help(a);
	else if (ui_key_is(k, L'q'))
		ask_quit(a);
	else if (ui_key_is(k, 27))
		app_go_back(a);
	else if (ui_key_is(k, L'\r') || ui_key_is(k, L'\n') ||
		 ui_key_code(k, KEY_ENTER))
		app_go_next(a);
}

static void
handle_key(struct app *a, const struct ui_key *k)
{
	const struct screen *s = a->screens[a->wiz.step];
	int r;

	if (ui_key_code(k, KEY_RESIZE))
		return;
	if (a->quit.active) {
		r = ui_confirm_key(&a->quit, k);
		if (r & UI_ACCEPT) {
			a->exit_code = RPX_EXIT_OK;
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
	if (ask_dialog_key(a, k))
		return;
	/* a text field takes every key, before the status line is cleared */
	if (s->input != NULL && s->input(a, k))
		return;
	step_key(a, k);
}

/* ---- the loop ------------------------------------------------------ */

/* Every screen's background work, and a worker's question; true when
 * something changed. */
static bool
poll_all(struct app *a)
{
	bool changed = false;

	for (int i = 0; i < WIZ_NSTEPS; i++)
		if (a->screens[i]->poll != NULL)
			changed |= a->screens[i]->poll(a);
	changed |= ask_dialog_poll(a);
	return changed;
}

static bool
busy(struct app *a)
{
	bool any = false;

	for (int i = 0; i < WIZ_NSTEPS; i++)
		if (a->screens[i]->busy != NULL)
			any = a->screens[i]->busy(a) || any;
	return any;
}

static void
app_release(struct app *a)
{
	/* a worker waiting for an answer gets "no" and ends */
	ask_cancel(&a->ask);
	for (int i = WIZ_NSTEPS - 1; i >= 0; i--)
		if (a->screens[i]->release != NULL)
			a->screens[i]->release(a);
	ask_release(&a->ask);
	ask_dialog_wipe(a);
	ui_log_release(&a->help);
	wizard_release(&a->wiz);
}

/* Wait for a key; false when the terminal went away (every read fails
 * at once, with no SIGHUP for us). */
static bool
read_key(struct app *a, struct ui_key *k, bool running, int *early)
{
	int wait = running ? 80 : 250;
	long long t0 = rpx_now_ms();

	ui_read_key(&a->ui, k, wait);
	*early = (k->type == ERR && rpx_now_ms() - t0 < wait / 2) ?
		 *early + 1 : 0;
	return *early < 20;
}

static void
loop(struct app *a)
{
	const char *exit_mode = rpx_getenv("RPI_CROSS_UI_EXIT");
	bool redraw = true, first = true, running;
	int early = 0;		/* reads that failed well before their timeout */
	struct ui_key k;

	while (!a->done) {
		int sig = ui_stop_signal();

		if (sig != 0) {
			a->exit_code = 128 + sig;
			break;
		}
		if (ui_take_interrupt()) {
			const struct screen *sc = a->screens[a->wiz.step];

			if (sc->interrupt == NULL || !sc->interrupt(a))
				ask_quit(a);
			redraw = true;
			continue;
		}
		if (poll_all(a))
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
		running = busy(a);
		if (!read_key(a, &k, running, &early)) {
			/* stop as after a hang-up instead of spinning */
			a->exit_code = 128 + SIGHUP;
			a->lost = true;
			break;
		}
		if (k.type == ERR) {
			if (running) {
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
	struct strvec datadirs = STRVEC_INIT;
	const char *why = "";
	char *exe;
	int rc;

	a = xcalloc(1, sizeof(*a));
	a->ctx = ctx;
	a->exit_code = RPX_EXIT_FAIL;
	wizard_init(&a->wiz);
	/* a runner Cargo can execute (said before the screen is taken) */
	a->wiz.plan.runner_prog = selfpath_runner_for(ctx, "rpi-cross");
	fill_screens(a);
	ui_log_init(&a->help, false);
	for (int i = 0; i < WIZ_NSTEPS; i++)
		if (a->screens[i]->setup != NULL)
			a->screens[i]->setup(a);
	ask_init(&a->ask);
	/* installed themes: beside the binary, then the folder compiled in */
	exe = selfpath_exe();
	theme_datadirs(&datadirs, exe);
	free(exe);
	if (theme_select(&theme, ctx->theme, rpx_getenv("NO_COLOR") != NULL,
			 (const char *const *)datadirs.v, &err) < 0) {
		char msg[600];

		app_err_string(msg, sizeof(msg), &err);
		rpx_warnf(ctx, "%s; using the built-in default theme", msg);
		snprintf(a->theme_note, sizeof(a->theme_note),
			 "Theme: %s; using the built-in default", msg);
	}
	strvec_clear(&datadirs);
	rc = ui_start(&a->ui, &theme, &why);
	if (rc < 0) {
		rpx_errorf(ctx, "%s", why);
		goto out;
	}
	for (int i = 0; i < WIZ_NSTEPS; i++)
		if (a->screens[i]->start != NULL)
			a->screens[i]->start(a);
	if (a->theme_note[0] != '\0')
		app_set_status(a, TR_WARN, a->theme_note);
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
