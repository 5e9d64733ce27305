/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * screen_test.c - the Test step: build a hello-world with the new Cargo
 * config and run it on the Pi (or under emulation) on a background task,
 * its log shown meanwhile; on failure why, the fix, retry or back to the
 * step that fixes it.
 */
#include "app.h"

#include <stdlib.h>

static const char *const keys_failed[] = {
	"r", "Retry", "b", "Back to the fix", "Enter", "Go on", "q", "Quit", NULL
};

static int
pt_task(struct task *t, void *arg)
{
	struct wiz_report r = app_task_report(t);

	return wizard_job_test(arg, &r);
}

static void
build_pt_list(struct app *a)
{
	struct wiz_rows rows = WIZ_ROWS_INIT;

	wizard_test_rows(&a->wiz, a->ui.utf8, &rows);
	app_fill_list(&a->pt_list, &rows);
	ui_list_focus(&a->pt_list, rows.focus);
	wiz_rows_release(&rows);
}

static void
pt_start(struct app *a, const char *host, bool emulate)
{
	struct remote_callbacks cb = { 0 };

	if (a->pt_bg.live)
		return;
	if (a->pt_have)
		pitest_result_release(&a->pt.res);
	a->pt_have = false;
	cb.confirm_host_key = ask_host_key;
	cb.ask = ask_secret;
	cb.data = &a->ask;
	a->pt_stop = 0;
	wizard_test_setup(&a->pt, &a->wiz, host, emulate, &cb, &a->pt_stop);
	ask_reset(&a->ask);
	a->ask_serial = 0;
	ui_log_release(&a->pt_log);
	ui_log_init(&a->pt_log, false);
	a->pt_log.busy = true;
	a->pt_mode = 1;
	if (bg_start(&a->pt_bg, pt_task, &a->pt) < 0) {
		a->pt_mode = 0;
		app_set_status(a, TR_FAIL, "cannot start a thread for the test");
	}
}

static void
pt_collect(struct app *a)
{
	a->pt_log.busy = false;
	a->pt_have = true;
	a->pt_mode = 2;
	a->ask_kind = ASK_NONE;
	a->key_dlg.active = false;
	wizard_test_collect(&a->wiz, &a->pt);
}

/* The outcome: what the program said, or why it failed and the fix. */
static int
draw_outcome(struct app *a, int y, int w, int bottom)
{
	struct ui *ui = &a->ui;
	const struct pitest_result *r = &a->pt.res;
	char line[1200];

	if (a->wiz.test_state > 0) {
		snprintf(line, sizeof(line), "%s It works: %s ran the program and said:",
			 ui_glyph(ui, "\xe2\x9c\x93", "+"),
			 r->emulated ? "qemu-user" : "the Pi");
		y += ui_wrap(ui, y, 1, w, 2, TR_OK, line);
		y += ui_wrap(ui, y, 3, w - 2, 4, TR_TEXT, r->out.buf ? r->out.buf : "") + 1;
		return y;
	}
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
	return y + 1;
}

static void
draw_test(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
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
	y = draw_outcome(a, y, w, bottom);
	if (bottom - y >= 3)
		ui_log_draw(ui, &a->pt_log, y, 2, bottom - y, w - 2, 0);
}

static void
test_draw(struct app *a, int top, int bottom)
{
	draw_test(a, top, bottom);
	app_help_line(a, a->pt_typing ? app_keys_input :
		      a->pt_mode == 1 ? app_keys_busy :
		      a->pt_mode == 2 ? (a->wiz.test_state < 0 ? keys_failed :
					 app_keys_plain) :
		      app_keys_plain);
}

static bool
test_input(struct app *a, const struct ui_key *k)
{
	int r;

	if (!a->pt_typing)
		return false;
	r = ui_input_key(&a->pt_host, k);
	if (r & UI_ACCEPT) {
		char *h = lineedit_utf8(&a->pt_host.le);

		a->pt_typing = false;
		pt_start(a, h, false);
		free(h);
	} else if (r & UI_BACK) {
		a->pt_typing = false;
	}
	return true;
}

/* Keys once the test has ended. */
static int
done_key(struct app *a, const struct ui_key *k)
{
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
		app_enter_step(a);
		return UI_HANDLED;
	}
	if (ui_key_is(k, 27)) {
		a->pt_mode = 0;
		return UI_HANDLED;
	}
	return ui_log_key(&a->pt_log, k);
}

static int
test_key(struct app *a, const struct ui_key *k)
{
	int r;

	if (a->pt_mode == 1)
		return ui_key_is(k, L'q') || ui_key_is(k, L'?') ? 0 :
		       ui_log_key(&a->pt_log, k) | UI_HANDLED;
	if (a->pt_mode == 2)
		return done_key(a, k);
	r = ui_list_key(&a->pt_list, k);
	if (r & UI_ACCEPT) {
		const struct ui_item *it = ui_list_current(&a->pt_list);

		switch (it ? it->id : 0) {
		case WIZ_PT_ON_HOST:
			pt_start(a, a->wiz.plan.host, false);
			break;
		case WIZ_PT_BY_ADDRESS:
			ui_input_init(&a->pt_host, a->wiz.plan.host ? a->wiz.plan.host : "", false);
			a->pt_typing = true;
			break;
		case WIZ_PT_EMULATE:
			pt_start(a, NULL, true);
			break;
		case WIZ_PT_SKIP:
			app_go_next(a);
			break;
		default:
			break;
		}
	}
	return r;
}

static void
test_setup(struct app *a)
{
	ui_list_init(&a->pt_list, false, false);
	ui_log_init(&a->pt_log, false);
}

static void
test_enter(struct app *a)
{
	a->pt_typing = false;
	if (a->pt_mode == 1)
		return;		/* still running */
	a->pt_mode = 0;
	build_pt_list(a);
	if (a->wiz.plan.host != NULL)
		pt_start(a, a->wiz.plan.host, false);
}

static bool
test_poll(struct app *a)
{
	bool done, changed = bg_poll(&a->pt_bg, &a->pt_log, &done);

	if (done)
		pt_collect(a);
	return changed;
}

static bool
test_busy(struct app *a)
{
	return a->pt_bg.live;
}

static void
test_release(struct app *a)
{
	a->pt_stop = 1;
	task_release(&a->pt_bg.task);
	if (a->pt_have)
		pitest_result_release(&a->pt.res);
	ui_list_release(&a->pt_list);
	ui_log_release(&a->pt_log);
}

const struct screen screen_test = {
	.setup = test_setup,
	.enter = test_enter,
	.input = test_input,
	.key = test_key,
	.draw = test_draw,
	.poll = test_poll,
	.busy = test_busy,
	.release = test_release,
};
