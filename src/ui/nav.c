/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * nav.c - what every screen of the wizard uses (see app.h): the status
 * line, moving between steps, background work, the help line. It sits
 * below the screens and names none of them: a step's screen is reached
 * through the table in struct app, which ui.c fills.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

const char *const app_keys_plain[] = {
	"Enter", "Next", "Esc", "Back", "?", "Help", "q", "Quit", NULL
};
const char *const app_keys_radio[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Move", "Space", "Choose", "Enter",
	"Choose+Next", "Esc", "Back", "?", "Help", "q", "Quit", NULL
};
const char *const app_keys_input[] = {
	"Enter", "Use", "Esc", "Cancel", "Ctrl-U", "Clear", "Ctrl-W",
	"Delete word", NULL
};
const char *const app_keys_busy[] = {
	"?", "Help", "q", "Quit", NULL
};

void
app_set_status(struct app *a, enum theme_role r, const char *msg)
{
	a->status_role = r;
	snprintf(a->status, sizeof(a->status), "%.699s", msg ? msg : "");
}

void
app_err_string(char *out, size_t outsz, const struct rpx_err *e)
{
	if (e->path[0] != '\0' && e->line > 0)
		snprintf(out, outsz, "%.200s:%d:%d: %.300s", e->path, e->line,
			 e->col, e->msg);
	else if (e->path[0] != '\0')
		snprintf(out, outsz, "%.200s: %.300s", e->path, e->msg);
	else
		snprintf(out, outsz, "%s", e->msg);
}

void
app_enter_step(struct app *a)
{
	const struct screen *s = a->screens[a->wiz.step];

	app_set_status(a, TR_TEXT, "");
	if (s != NULL && s->enter != NULL)
		s->enter(a);
}

void
app_go_next(struct app *a)
{
	const char *why = "";

	if (!wizard_check(&a->wiz, &why)) {
		app_set_status(a, TR_WARN, why);
		return;
	}
	wizard_next(&a->wiz);
	if (a->wiz.finished) {
		a->exit_code = RPX_EXIT_OK;
		a->done = true;
		return;
	}
	app_enter_step(a);
}

void
app_go_back(struct app *a)
{
	if (wizard_back(&a->wiz) == 0)
		app_enter_step(a);
}

void
app_help_line(struct app *a, const char *const *pairs)
{
	const char *copy[20];
	int i;

	for (i = 0; pairs[i] != NULL && i < 19; i++)
		copy[i] = strcmp(pairs[i], "\xe2\x86\x91\xe2\x86\x93") == 0 ?
			  ui_glyph(&a->ui, pairs[i], "Up/Down") : pairs[i];
	copy[i] = NULL;
	ui_help_line(&a->ui, copy);
}

void
app_fill_list(struct ui_list *l, const struct wiz_rows *r)
{
	ui_list_clear(l);
	for (int i = 0; i < r->n; i++) {
		const struct wiz_row *w = &r->v[i];
		unsigned flags = (w->flags & WIZ_ROW_HEADER ? UI_ITEM_HEADER : 0) |
				 (w->flags & WIZ_ROW_DISABLED ? UI_ITEM_DISABLED : 0) |
				 (w->flags & WIZ_ROW_CHOSEN ? UI_ITEM_CHOSEN : 0);

		ui_list_add(l, flags, w->id, w->group, w->text, w->note, w->mark);
		if (w->search != NULL)
			ui_list_search(l, w->search);
	}
}

int
bg_start(struct bg *b, task_fn fn, void *arg)
{
	task_release(&b->task);
	b->seen = 0;
	b->live = task_start(&b->task, fn, arg) == 0;
	return b->live ? 0 : RPX_EIO;
}

bool
bg_poll(struct bg *b, struct ui_log *log, bool *done)
{
	struct task_snap snap;
	bool changed = false;

	*done = false;
	if (!b->live)
		return false;
	task_snapshot(&b->task, &snap);
	while (b->seen < snap.nlines) {
		char *line = task_line(&b->task, b->seen++);

		if (log != NULL)
			ui_log_add(log, line ? line : "");
		free(line);
		changed = true;
	}
	if (snap.done) {
		task_finish(&b->task);
		b->live = false;
		*done = true;
		changed = true;
	}
	return changed;
}

static void
report_log(void *data, const char *line)
{
	task_log(data, "%s", line);
}

static void
report_progress(void *data, int num, int den)
{
	task_progress(data, num, den);
}

struct wiz_report
app_task_report(struct task *t)
{
	struct wiz_report r = { report_log, report_progress, t };

	return r;
}
