/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * screen_linker.c - the Linker step: the cross linkers found for the
 * target, each proven by a real test link on a background task (its log
 * shown meanwhile), the recommended one preselected; r probes again.
 */
#include "app.h"

#include "hostos.h"
#include "strbuf.h"

static const char *const keys_linker[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Move", "Space", "Choose", "Enter",
	"Choose+Next", "r", "Probe again", "Esc", "Back", "q", "Quit", NULL
};

static int
lk_task(struct task *t, void *arg)
{
	struct wiz_report r = app_task_report(t);

	return wizard_job_linkers(arg, &r);
}

static void
lk_start(struct app *a)
{
	if (a->lk_bg.live || a->wiz.plan.target == NULL)
		return;
	linker_scan_release(&a->lk.scan);
	a->lk_have = false;
	a->lk.t = a->wiz.plan.target;
	a->lk.tc = a->wiz.tc_state == WIZ_TC_FOUND ? &a->wiz.tc : NULL;
	a->lk.rc = 0;
	ui_log_release(&a->lk_log);
	ui_log_init(&a->lk_log, false);
	a->lk_log.busy = true;
	ui_list_clear(&a->lk_list);
	if (bg_start(&a->lk_bg, lk_task, &a->lk) < 0) {
		/* no thread: probe here, without a log */
		wizard_job_linkers(&a->lk, NULL);
		a->lk_have = true;
	}
}

static void
build_lk_list(struct app *a)
{
	struct wiz_rows rows = WIZ_ROWS_INIT;
	const struct ui_item *cur = ui_list_current(&a->lk_list);
	int keep = cur ? cur->id : -1;

	wizard_linker_rows(&a->wiz, &a->lk.scan, a->ui.utf8, &rows);
	app_fill_list(&a->lk_list, &rows);
	a->lk_list.textw = 0;
	ui_list_focus(&a->lk_list, keep >= 0 ? keep : rows.focus);
	wiz_rows_release(&rows);
}

/* The linker to start from (wizard_preselect_linker), a warning when
 * the config's or profile's one does not link. */
static void
lk_preselect(struct app *a)
{
	char msg[400];

	if (wizard_preselect_linker(&a->wiz, &a->lk.scan, msg, sizeof(msg)) > 0)
		app_set_status(a, TR_WARN, msg);
}

/* A finished scan: the recommended linker preselected. */
static void
lk_collect(struct app *a)
{
	a->lk_log.busy = false;
	if (a->lk.t != a->wiz.plan.target) {	/* the target changed meanwhile */
		lk_start(a);
		return;
	}
	a->lk_have = true;
	lk_preselect(a);
	build_lk_list(a);
}

static void
lk_choose(struct app *a, bool next)
{
	const struct ui_item *it = ui_list_current(&a->lk_list);
	const struct linker *l;
	char msg[600];

	if (it == NULL || !a->lk_have || it->id < 0 || it->id >= a->lk.scan.n)
		return;
	l = &a->lk.scan.v[it->id];
	if (!l->works) {
		snprintf(msg, sizeof(msg), "%s does not work for %s: %s", l->name,
			 a->lk.t->triple, l->why ? l->why : "its probe failed");
		app_set_status(a, TR_FAIL, msg);
		return;
	}
	wizard_set_linker(&a->wiz, l, PLAN_USER);
	build_lk_list(a);
	if (next)
		app_go_next(a);
}

static int
linker_key(struct app *a, const struct ui_key *k)
{
	int r;

	if (!a->lk_have)
		return 0;
	if (ui_key_is(k, L'r')) {
		lk_start(a);
		return UI_HANDLED;
	}
	r = ui_list_key(&a->lk_list, k);
	if (r & (UI_SELECT | UI_ACCEPT))
		lk_choose(a, (r & UI_ACCEPT) != 0);
	return r;
}

/* None links: how to install one. */
static void
draw_none_works(struct app *a, int y, int w, int bottom)
{
	struct ui *ui = &a->ui;
	struct strbuf cmd = STRBUF_INIT, note = STRBUF_INIT;
	struct host_os os;
	char line[700];

	hostos_detect(&os);
	linker_install_hint(a->lk.t, &os, &cmd, &note);
	snprintf(line, sizeof(line), "None of them links for %s.%s%s",
		 a->lk.t->triple, cmd.len ? " Install one with:  " : "",
		 cmd.buf);
	y += ui_wrap(ui, y, 1, w, bottom - y, TR_WARN, line);
	if (note.len && y < bottom)
		y += ui_wrap(ui, y, 1, w, bottom - y, TR_TEXT, note.buf);
	if (y < bottom)
		ui_wrap(ui, y, 1, w, bottom - y, TR_DIM,
			"Then press r to probe again (or go back and choose another target).");
	strbuf_release(&cmd);
	strbuf_release(&note);
}

/* The highlighted linker: its version, its probe, what it needs. */
static int
draw_chosen(struct app *a, int y, int w, int bottom)
{
	struct ui *ui = &a->ui;
	const struct linker_scan *sc = &a->lk.scan;
	const struct ui_item *it = ui_list_current(&a->lk_list);
	const struct linker *l = it && it->id >= 0 && it->id < sc->n ?
				 &sc->v[it->id] : NULL;
	struct strbuf d = STRBUF_INIT;

	if (l == NULL || y >= bottom)
		return y;
	strbuf_addf(&d, "%s: %s", l->path, l->version ? l->version : linker_kind_name(l->kind));
	y += ui_wrap(ui, y, 1, w, 2, TR_DIM, d.buf);
	strbuf_reset(&d);
	if (l->works)
		strbuf_addf(&d, "Works: linked %s for %s in %.1f s (%s probe)",
			    l->probe == LINKER_PROBE_RUSTC ? "a Rust hello-world" : "a C hello-world",
			    a->lk.t->triple, l->probe_ms / 1000.0,
			    linker_probe_name(l->probe));
	else
		strbuf_addf(&d, "Fails: %s", l->why ? l->why : "its probe failed");
	for (char **f = l->rustflags; f != NULL && *f != NULL; f++)
		strbuf_addf(&d, "%s%s", f == l->rustflags ? "; needs rustflags " : " ", *f);
	if (y < bottom)
		y += ui_wrap(ui, y, 1, w, 3, l->works ? TR_OK : TR_FAIL, d.buf);
	if (l->note != NULL && y < bottom)
		y += ui_wrap(ui, y, 1, w, 2, TR_DIM, l->note);
	strbuf_release(&d);
	return y;
}

static void
draw_linker(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	const struct plan *p = &a->wiz.plan;
	const struct linker_scan *sc = &a->lk.scan;
	char line[700];
	int y = top, w = ui->cols - 2, listh, works = 0;

	snprintf(line, sizeof(line), "Which linker should Cargo use to link for %s?",
		 p->target ? p->target->triple : "the target");
	y += ui_wrap(ui, y, 1, w, 2, TR_TEXT, line) + 1;
	if (!a->lk_have) {
		snprintf(line, sizeof(line), "%s Probing the cross linkers on this machine: each links a real test program%s",
			 ui_spinner(ui, a->spin), ui_glyph(ui, "\xe2\x80\xa6", "..."));
		y += ui_wrap(ui, y, 1, w, 2, TR_KEY, line) + 1;
		if (bottom - y >= 2)
			ui_log_draw(ui, &a->lk_log, y, 2, bottom - y, w - 2, a->spin);
		return;
	}
	for (int i = 0; i < sc->n; i++)
		works += sc->v[i].works;
	if (sc->n == 0) {
		snprintf(line, sizeof(line), "No cross linker for %s was found on this machine.",
			 a->lk.t->triple);
		y += ui_wrap(ui, y, 1, w, 2, TR_FAIL, line) + 1;
	} else {
		listh = sc->n < 6 ? sc->n : 6;
		if (listh > bottom - y - 6)
			listh = bottom - y - 6 > 1 ? bottom - y - 6 : 1;
		ui_list_draw(ui, &a->lk_list, y, 1, listh, w);
		y += listh + 1;
	}
	if (works == 0) {
		draw_none_works(a, y, w, bottom);
		return;
	}
	y = draw_chosen(a, y, w, bottom);
	if (y < bottom) {
		snprintf(line, sizeof(line), "%d of %d linkers work for %s (probed in %.1f s). r probes again.",
			 works, sc->n, a->lk.t->triple, sc->elapsed_ms / 1000.0);
		ui_wrap(ui, y, 1, w, bottom - y, TR_TEXT, line);
	}
}

static void
linker_draw(struct app *a, int top, int bottom)
{
	draw_linker(a, top, bottom);
	app_help_line(a, a->lk_have ? keys_linker : app_keys_busy);
}

static void
linker_setup(struct app *a)
{
	ui_list_init(&a->lk_list, false, true);
	ui_log_init(&a->lk_log, false);
}

static void
linker_enter(struct app *a)
{
	if (a->lk_have && a->lk.t == a->wiz.plan.target) {
		lk_preselect(a);
		build_lk_list(a);
	} else {
		lk_start(a);
	}
}

static bool
linker_poll(struct app *a)
{
	bool done, changed = bg_poll(&a->lk_bg, &a->lk_log, &done);

	if (done)
		lk_collect(a);
	return changed;
}

static bool
linker_busy(struct app *a)
{
	return a->lk_bg.live;
}

static void
linker_release(struct app *a)
{
	task_release(&a->lk_bg.task);
	linker_scan_release(&a->lk.scan);
	ui_list_release(&a->lk_list);
	ui_log_release(&a->lk_log);
}

const struct screen screen_linker = {
	.setup = linker_setup,
	.enter = linker_enter,
	.key = linker_key,
	.draw = linker_draw,
	.poll = linker_poll,
	.busy = linker_busy,
	.release = linker_release,
};
