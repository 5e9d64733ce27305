/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * screen_cpu.c - the CPU step (-C target-cpu): the Raspberry Pi cores,
 * the board's first, then every CPU rustc knows for the target (asked on
 * a background task), or a name typed in.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

static int
cpu_task(struct task *t, void *arg)
{
	(void)t;
	return wizard_job_cpus(arg);
}

static void
build_cpu_list(struct app *a)
{
	struct wiz_rows rows = WIZ_ROWS_INIT;
	const struct ui_item *cur = ui_list_current(&a->cpu);
	int keep = cur != NULL ? cur->id : -1;

	wizard_cpu_rows(&a->wiz, a->ui.utf8, &rows);
	app_fill_list(&a->cpu, &rows);
	a->cpu.textw = 0;
	/* a rebuild keeps the cursor where the user put it */
	ui_list_focus(&a->cpu, keep >= 0 ? keep : rows.focus);
	wiz_rows_release(&rows);
}

static void
cpu_start(struct app *a)
{
	if (a->cpu_bg.live || a->wiz.plan.target == NULL ||
	    a->wiz.tc_state != WIZ_TC_FOUND)
		return;
	if (a->wiz.cpus_triple != NULL &&
	    strcmp(a->wiz.cpus_triple, a->wiz.plan.target->triple) == 0)
		return;		/* asked already */
	cpu_list_release(&a->cj.l);
	a->cj.tc = &a->wiz.tc;
	a->cj.t = a->wiz.plan.target;
	if (bg_start(&a->cpu_bg, cpu_task, &a->cj) < 0) {
		wizard_job_cpus(&a->cj);
		wizard_set_cpus(&a->wiz, a->cj.t->triple,
				a->cj.rc == 0 ? &a->cj.l : NULL, a->cj.why);
	}
}

static void
cpu_collect(struct app *a)
{
	wizard_set_cpus(&a->wiz, a->cj.t->triple, a->cj.rc == 0 ? &a->cj.l : NULL,
			a->cj.why[0] ? a->cj.why : "rustc could not list them");
	cpu_list_release(&a->cj.l);
	if (a->wiz.step == WIZ_CPU) {
		if (a->cj.t != a->wiz.plan.target)
			cpu_start(a);
		build_cpu_list(a);
	}
}

/* Apply the CPU list's highlighted entry; false when it opened input. */
static bool
cpu_choose(struct app *a)
{
	const struct ui_item *it = ui_list_current(&a->cpu);

	if (it == NULL)
		return false;
	if (it->id == WIZ_CPU_TYPE) {
		ui_input_init(&a->cpu_input, "", false);
		a->cpu_typing = true;
		return false;
	}
	wizard_choose_cpu_row(&a->wiz, it->id);
	build_cpu_list(a);
	return true;
}

static void
typed_cpu(struct app *a)
{
	char *s = lineedit_utf8(&a->cpu_input.le);
	char msg[200];
	int r = wizard_set_cpu(&a->wiz, s, PLAN_USER);

	if (r == 0) {
		a->cpu_typing = false;
		snprintf(msg, sizeof(msg), "CPU set to %s.", s);
		app_set_status(a, TR_OK, msg);
		ui_list_clear(&a->cpu);		/* the cursor goes to it */
		build_cpu_list(a);
	} else if (r == RPX_ENOTFOUND) {
		snprintf(msg, sizeof(msg), "rustc does not know a CPU '%.60s' for %s",
			 s, a->wiz.plan.target->triple);
		app_set_status(a, TR_FAIL, msg);
	} else {
		snprintf(msg, sizeof(msg),
			 "'%.60s' cannot be used: a CPU name is letters, digits and - . _ +, and a Pi core must fit the board",
			 s);
		app_set_status(a, TR_FAIL, msg);
	}
	free(s);
}

static bool
cpu_input(struct app *a, const struct ui_key *k)
{
	int r;

	if (!a->cpu_typing)
		return false;
	r = ui_input_key(&a->cpu_input, k);
	if (r & UI_ACCEPT)
		typed_cpu(a);
	else if (r & UI_BACK)
		a->cpu_typing = false;
	return true;
}

static int
cpu_key(struct app *a, const struct ui_key *k)
{
	int r = ui_list_key(&a->cpu, k);

	if (r & (UI_SELECT | UI_ACCEPT)) {
		bool chose = cpu_choose(a);

		if (chose && (r & UI_ACCEPT))
			app_go_next(a);
	}
	return r;
}

static void
draw_cpu(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	const struct plan *p = &a->wiz.plan;
	char line[512];
	int y = top, w = ui->cols - 2, listh;

	snprintf(line, sizeof(line),
		 "Which CPU should %s code be tuned for (-C target-cpu)?",
		 p->target ? p->target->triple : "the");
	y += ui_wrap(ui, y, 1, w, 2, TR_TEXT, line) + 1;
	listh = a->cpu.nvis < bottom - y - 4 ? a->cpu.nvis : bottom - y - 4;
	if (listh < 1)
		listh = 1;
	ui_list_draw(ui, &a->cpu, y, 1, listh, w);
	y += listh + 1;
	if (a->cpu_typing) {
		ui_put(ui, y, 1, w, TR_KEY, "CPU name:");
		ui_input_draw(ui, &a->cpu_input, y, 11, w - 11 > 40 ? 40 : w - 11);
		return;
	}
	if (a->cpu_bg.live) {
		snprintf(line, sizeof(line), "%s Asking rustc for every CPU it knows for %s%s",
			 ui_spinner(ui, a->spin), p->target ? p->target->triple : "the target",
			 ui_glyph(ui, "\xe2\x80\xa6", "..."));
		ui_wrap(ui, y, 1, w, bottom - y, TR_KEY, line);
	} else if (wizard_have_cpus(&a->wiz)) {
		snprintf(line, sizeof(line),
			 "Filter: %s  %s (%d CPUs from %s --print target-cpus)",
			 a->cpu.filter, a->cpu.filter[0] ? "" : "(type to filter)",
			 a->wiz.cpus.n, a->wiz.tc.version ? a->wiz.tc.version : "rustc");
		ui_wrap(ui, y, 1, w, bottom - y, TR_DIM, line);
	} else {
		snprintf(line, sizeof(line),
			 "rustc could not list its CPUs (%s): these are the Raspberry Pi cores that fit %s.",
			 a->wiz.cpus_why[0] ? a->wiz.cpus_why : "no toolchain",
			 p->target ? p->target->arch : "the target");
		ui_wrap(ui, y, 1, w, bottom - y, TR_DIM, line);
	}
}

static void
cpu_draw(struct app *a, int top, int bottom)
{
	draw_cpu(a, top, bottom);
	app_help_line(a, a->cpu_typing ? app_keys_input : app_keys_radio);
}

static void
cpu_setup(struct app *a)
{
	ui_list_init(&a->cpu, true, true);
}

static void
cpu_enter(struct app *a)
{
	cpu_start(a);
	ui_list_clear(&a->cpu);
	build_cpu_list(a);
}

static bool
cpu_poll(struct app *a)
{
	bool done, changed = bg_poll(&a->cpu_bg, NULL, &done);

	if (done)
		cpu_collect(a);
	return changed;
}

static bool
cpu_busy(struct app *a)
{
	return a->cpu_bg.live;
}

static void
cpu_release(struct app *a)
{
	task_release(&a->cpu_bg.task);
	cpu_list_release(&a->cj.l);
	ui_list_release(&a->cpu);
}

const struct screen screen_cpu = {
	.setup = cpu_setup,
	.enter = cpu_enter,
	.input = cpu_input,
	.key = cpu_key,
	.draw = cpu_draw,
	.poll = cpu_poll,
	.busy = cpu_busy,
	.release = cpu_release,
};
