/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ask_dialog.c - a question from a worker thread (ask.h), shown over
 * whichever step is drawn: "trust this host key?" as a yes/no dialog,
 * a password or other answer as a text field. Detection over SSH and
 * the final test ask through it.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

static const char *const keys_yesno[] = {
	"y", "Trust", "n/Esc", "Refuse", NULL
};
static const char *const keys_secret[] = {
	"Enter", "Send", "Esc", "Decline", NULL
};

bool
ask_dialog_poll(struct app *a)
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

void
ask_dialog_wipe(struct app *a)
{
	memset(a->secret.le.buf, 0, sizeof(a->secret.le.buf));
	a->secret.le.len = a->secret.le.cur = 0;
}

bool
ask_dialog_key(struct app *a, const struct ui_key *k)
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
		ask_dialog_wipe(a);
		a->ask_kind = ASK_NONE;
	} else if (r & UI_BACK) {
		ask_reply_text(&a->ask, NULL);
		ask_dialog_wipe(a);
		a->ask_kind = ASK_NONE;
	}
	return true;
}

static void
draw_question(struct app *a)
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

void
ask_dialog_draw(struct app *a)
{
	draw_question(a);
	app_help_line(a, a->ask_kind == ASK_HOST_KEY ? keys_yesno : keys_secret);
}
