/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * rows.c - what each step's list holds (see wizard.h): the rows, their
 * notes and marks, and which one to start on, from the wizard's state.
 * The ui copies them into its list widget; the choices a row stands for
 * come back through wizard_choose_*_row().
 */
#include "wizard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cargo_config.h"
#include "planconf.h"

static const char *
glyph(bool utf8, const char *u, const char *ascii)
{
	return utf8 ? u : ascii;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
row(struct wiz_rows *r, unsigned flags, int id, int group, const char *text,
    const char *note, const char *mark)
{
	struct wiz_row *w;

	ALLOC_GROW(r->v, (size_t)r->n + 1, r->alloc);
	w = &r->v[r->n++];
	w->flags = flags;
	w->id = id;
	w->group = group;
	w->text = xstrdup(text ? text : "");
	w->note = dup_or_null(note);
	w->mark = dup_or_null(mark);
	w->search = NULL;
}

static void
focus(struct wiz_rows *r, int id)
{
	r->focus = id;
	r->has_focus = true;
}

void
wiz_rows_release(struct wiz_rows *r)
{
	for (int i = 0; i < r->n; i++) {
		free(r->v[i].text);
		free(r->v[i].note);
		free(r->v[i].mark);
		free(r->v[i].search);
	}
	free(r->v);
	r->v = NULL;
	r->n = r->alloc = 0;
	r->focus = -1;
	r->has_focus = false;
}

void
wizard_board_rows(const struct wizard *w, struct wiz_rows *out)
{
	int n;
	const struct board *all = board_all(&n);

	wiz_rows_release(out);
	row(out, 0, WIZ_BOARD_DETECT, 0,
	    "Detect over SSH", "ask the Pi itself: model, OS, glibc", NULL);
	for (int i = 0; i < n; i++) {
		char note[160];

		snprintf(note, sizeof(note), "%-13s %-8s %s", all[i].cpu->core,
			 isa_name(all[i].cpu->isa),
			 all[i].official64 ? "32/64-bit" :
			 all[i].can64 ? "32-bit (64 unofficial)" : "32-bit only");
		row(out, w->plan.board == &all[i] ? WIZ_ROW_CHOSEN : 0,
		    i, 0, all[i].name, note, NULL);
		/* the filter matches the name, id, core, SoC and ISA, not the
		 * 32/64 column (a "4" would find every 64-bit board) */
		snprintf(note, sizeof(note), "%s %s %s %s %s", all[i].name,
			 all[i].id, all[i].cpu->core, all[i].soc, isa_name(all[i].cpu->isa));
		out->v[out->n - 1].search = xstrdup(note);
	}
	if (w->plan.board != NULL)
		focus(out, (int)(w->plan.board - all));
}

void
wizard_os_rows(const struct wizard *w, struct wiz_rows *out)
{
	const struct board *b = w->plan.board;
	int def = board_default_bits(b);
	const char *why = "";
	bool ok64 = wizard_bits_allowed(w, 64, &why);
	char note64[160];

	wiz_rows_release(out);
	row(out, WIZ_ROW_HEADER, -10, 0, "Operating system on the Pi", NULL,
	    NULL);
	row(out, w->plan.os_bits == 32 ? WIZ_ROW_CHOSEN : 0, WIZ_OS_32, 1,
	    "32-bit Raspberry Pi OS (armhf)",
	    b && b->cpu->isa == ISA_ARMV6 ? "the only OS this CPU runs" :
	    "runs on every Pi", def == 32 ? "recommended" : NULL);
	if (ok64)
		snprintf(note64, sizeof(note64), "%s",
			 b && b->official64 ? "aarch64: more registers, faster" :
			 "the CPU can, but Raspberry Pi OS does not support it");
	else
		snprintf(note64, sizeof(note64), "not possible: %s", why);
	row(out, (ok64 ? 0 : WIZ_ROW_DISABLED) |
	    (w->plan.os_bits == 64 ? WIZ_ROW_CHOSEN : 0), WIZ_OS_64, 1,
	    "64-bit Raspberry Pi OS (arm64)", note64,
	    def == 64 ? "recommended" : NULL);
	row(out, WIZ_ROW_HEADER, -11, 0, "C library", NULL, NULL);
	row(out, w->plan.libc == LIBC_GNU ? WIZ_ROW_CHOSEN : 0, WIZ_LIBC_GNU, 2,
	    "gnu (glibc)", "smaller, faster; needs a glibc no newer than the Pi's",
	    "recommended");
	row(out, w->plan.libc == LIBC_MUSL ? WIZ_ROW_CHOSEN : 0, WIZ_LIBC_MUSL,
	    2, "musl (static)", "runs whatever the Pi's glibc; often slower",
	    NULL);
	focus(out, w->plan.os_bits ? w->plan.os_bits : WIZ_OS_32);
}

int
wizard_choose_os_row(struct wizard *w, int id, const char **why)
{
	*why = "";
	/* already the choice: keep where it came from */
	if (id == w->plan.os_bits ||
	    (id == WIZ_LIBC_GNU && w->plan.libc == LIBC_GNU) ||
	    (id == WIZ_LIBC_MUSL && w->plan.libc == LIBC_MUSL))
		return 0;
	if (id == WIZ_OS_32 || id == WIZ_OS_64) {
		if (wizard_set_bits(w, id) != 0) {
			wizard_bits_allowed(w, id, why);
			return RPX_EINVAL;
		}
	} else if (id == WIZ_LIBC_GNU || id == WIZ_LIBC_MUSL) {
		wizard_set_libc(w, id == WIZ_LIBC_MUSL ? LIBC_MUSL : LIBC_GNU);
	}
	return 0;
}

/* rustc's CPUs that the Raspberry Pi cores (c, n) do not list already. */
static void
rustc_cpu_rows(const struct wizard *w, const struct wiz_cpu *c, int n,
	       struct wiz_rows *out)
{
	const char *have = w->plan.cpu;
	char head[160];

	snprintf(head, sizeof(head), "Every CPU rustc knows for %s",
		 w->plan.target->triple);
	row(out, WIZ_ROW_HEADER, -21, 0, head, NULL, NULL);
	for (int i = 0; i < w->cpus.n; i++) {
		const struct cpu_entry *e = &w->cpus.v[i];
		bool chosen = have != NULL && strcmp(have, e->name) == 0;
		bool dup = false;

		for (int j = 0; j < n && !dup; j++)
			dup = strcmp(c[j].name, e->name) == 0;
		if (dup)
			continue;
		row(out, chosen ? WIZ_ROW_CHOSEN : 0, WIZ_CPU_RUSTC + i, 1,
		    e->name, e->is_default ? "the target's default" :
		    e->is_native ? "this host's CPU: not a Pi's" : e->desc, NULL);
		if (chosen)
			focus(out, WIZ_CPU_RUSTC + i);
	}
}

void
wizard_cpu_rows(const struct wizard *w, bool utf8, struct wiz_rows *out)
{
	struct wiz_cpu c[8];
	int n = wizard_cpu_choices(w, c, (int)ARRAY_SIZE(c));
	const char *have = w->plan.cpu;
	bool rustc = wizard_have_cpus(w);

	wiz_rows_release(out);
	focus(out, -1);
	if (rustc)
		row(out, WIZ_ROW_HEADER, -20, 0, "Raspberry Pi cores", NULL, NULL);
	for (int i = 0; i < n; i++) {
		bool chosen = have != NULL && strcmp(have, c[i].name) == 0;
		char text[128];

		snprintf(text, sizeof(text), "%-13s %s", c[i].name, c[i].label);
		row(out, (c[i].usable ? 0 : WIZ_ROW_DISABLED) |
		    (chosen ? WIZ_ROW_CHOSEN : 0), i, 1, text, c[i].why,
		    c[i].board_core ? "this board" : NULL);
		if (chosen)
			focus(out, i);
	}
	if (rustc)
		rustc_cpu_rows(w, c, n, out);
	if (have != NULL && out->focus == -1) {
		char text[128];

		snprintf(text, sizeof(text), "%-13s %s", have, "(typed in)");
		row(out, WIZ_ROW_CHOSEN, WIZ_CPU_TYPED, 1, text,
		    rustc ? "in rustc's list" : "not checked: rustc gave no list",
		    NULL);
		focus(out, WIZ_CPU_TYPED);
	}
	row(out, 0, WIZ_CPU_TYPE, 2,
	    glyph(utf8, "Type another CPU name\xe2\x80\xa6",
		  "Type another CPU name..."),
	    "any -C target-cpu value rustc knows", NULL);
}

void
wizard_choose_cpu_row(struct wizard *w, int id)
{
	struct wiz_cpu c[8];
	int n = wizard_cpu_choices(w, c, (int)ARRAY_SIZE(c));

	if (id >= 0 && id < n &&
	    (w->plan.cpu == NULL || strcmp(w->plan.cpu, c[id].name) != 0))
		wizard_set_cpu(w, c[id].name, PLAN_USER);
	if (id >= WIZ_CPU_RUSTC && id - WIZ_CPU_RUSTC < w->cpus.n)
		wizard_set_cpu(w, w->cpus.v[id - WIZ_CPU_RUSTC].name, PLAN_USER);
}

void
wizard_linker_rows(const struct wizard *w, const struct linker_scan *sc,
		   bool utf8, struct wiz_rows *out)
{
	wiz_rows_release(out);
	focus(out, sc->recommended);
	for (int i = 0; i < sc->n; i++) {
		const struct linker *l = &sc->v[i];
		struct strbuf note = STRBUF_INIT;
		bool chosen = w->plan.linker != NULL &&
			      strcmp(w->plan.linker, l->name) == 0;

		if (l->works) {
			strbuf_addf(&note, "%s works  ", glyph(utf8, "\xe2\x9c\x93", "+"));
			linker_elf_summary(l, &note);
		} else {
			strbuf_addf(&note, "%s fails  %s", glyph(utf8, "\xe2\x9c\x97", "x"),
				    l->why ? l->why : "");
		}
		row(out, chosen ? WIZ_ROW_CHOSEN : 0, i, 1, l->name, note.buf,
		    i == sc->recommended ? "recommended" : NULL);
		if (chosen)
			focus(out, i);
		strbuf_release(&note);
	}
}

int
wizard_preselect_linker(struct wizard *w, const struct linker_scan *sc,
			char *msg, size_t msgsz)
{
	const char *have = w->plan.linker;
	int warned = 0;

	for (int i = 0; have != NULL && i < sc->n; i++) {
		if (!sc->v[i].works || (strcmp(sc->v[i].name, have) != 0 &&
					strcmp(sc->v[i].path, have) != 0))
			continue;
		/* it works: keep it, with the link-args it needs */
		if (w->plan.link_args == NULL && sc->v[i].rustflags != NULL) {
			char **args = linker_link_args(sc->v[i].rustflags);

			w->plan.link_args = args;
		}
		return 0;
	}
	if (have != NULL && w->plan.notes[PF_LINKER].src != PLAN_DEFAULT) {
		snprintf(msg, msgsz, "%s (%s) does not link for %s here: the recommended one is preselected",
			 have, wizard_src_label(w->plan.notes[PF_LINKER].src),
			 sc->target ? sc->target->triple : "the target");
		warned = 1;
	}
	if (sc->recommended >= 0)
		wizard_set_linker(w, &sc->v[sc->recommended], PLAN_DEFAULT);
	return warned;
}

/* C libraries: none, the sysroots of the target, a pull from the Pi. */
static void
sysroot_rows(const struct wizard *w, bool utf8, struct wiz_rows *out)
{
	const char *on = glyph(utf8, "(\xe2\x80\xa2)", "(*)");
	const char *why = "";
	char text[400];

	row(out, WIZ_ROW_HEADER, -4, 0, "C libraries (a sysroot from the Pi)",
	    NULL, NULL);
	if (!wizard_sysroot_possible(w, &why)) {
		row(out, WIZ_ROW_DISABLED, WIZ_CFG_SR_NONE, 0,
		    "( ) not for this target", why, NULL);
		return;
	}
	snprintf(text, sizeof(text), "%s none (pure Rust)",
		 w->sysroot == NULL ? on : "( )");
	row(out, 0, WIZ_CFG_SR_NONE, 0, text,
	    "crates with C libraries (openssl-sys, ...) will not link", NULL);
	for (int i = 0; i < w->nsysroots; i++) {
		const struct wiz_sysroot *s = &w->sysroots[i];
		bool chosen = w->sysroot != NULL && strcmp(w->sysroot, s->name) == 0;

		/* what it is beside it: a long name keeps the notes in view */
		snprintf(text, sizeof(text), "%s use sysroot %s",
			 chosen ? on : "( )", s->name);
		row(out, 0, WIZ_CFG_SR + i, 0, text, s->about, NULL);
	}
	if (w->plan.host != NULL) {
		snprintf(text, sizeof(text), "Pull a sysroot from the Pi now (%s)%s",
			 w->plan.host, glyph(utf8, "\xe2\x80\xa6", "..."));
		row(out, 0, WIZ_CFG_SR_PULL, 0, text,
		    "its headers and libraries, copied here; nothing written on the Pi",
		    NULL);
	}
}

void
wizard_config_rows(const struct wizard *w, bool utf8, struct wiz_rows *out)
{
	const struct plan *p = &w->plan;
	char *home = cargo_config_home(NULL, NULL);
	char *runner = planconf_runner_toml(p->runner_prog, p->host);
	char text[1200];
	const char *on = glyph(utf8, "(\xe2\x80\xa2)", "(*)");

	wiz_rows_release(out);
	row(out, WIZ_ROW_HEADER, -1, 0, "Which Cargo config?", NULL, NULL);
	snprintf(text, sizeof(text), "%s Global: %s/config.toml",
		 p->scope == PLAN_SCOPE_GLOBAL ? on : "( )", home ? home : "~/.cargo");
	row(out, 0, WIZ_CFG_GLOBAL, 0, text, "every project of yours", NULL);
	if (p->scope == PLAN_SCOPE_PROJECT && p->project_dir != NULL)
		snprintf(text, sizeof(text), "%s Project: %s/.cargo/config.toml", on,
			 p->project_dir);
	else
		snprintf(text, sizeof(text), "( ) One project: a folder%s",
			 glyph(utf8, "\xe2\x80\xa6", "..."));
	row(out, 0, WIZ_CFG_PROJECT, 0, text, "only builds in that folder", NULL);
	row(out, WIZ_ROW_HEADER, -2, 0, "Options", NULL, NULL);
	snprintf(text, sizeof(text), "[%s] [build] target = \"%s\"", p->build_target ? "x" : " ",
		 p->target ? p->target->triple : "?");
	row(out, 0, WIZ_CFG_BUILD, 0, text,
	    "cargo build needs no --target (but builds for the Pi only)", NULL);
	snprintf(text, sizeof(text), "[%s] runner = %s", p->runner ? "x" : " ", runner);
	row(out, 0, WIZ_CFG_RUNNER, 0, text,
	    "cargo run copies the program to the Pi and runs it there", NULL);
	sysroot_rows(w, utf8, out);
	row(out, WIZ_ROW_HEADER, -3, 0, "", NULL, NULL);
	snprintf(text, sizeof(text), "Show the changes %s",
		 glyph(utf8, "\xe2\x86\x92", "->"));
	row(out, 0, WIZ_CFG_SHOW, 0, text, "a diff first: nothing is written yet", NULL);
	focus(out, WIZ_CFG_SHOW);
	free(home);
	free(runner);
}

void
wizard_test_rows(const struct wizard *w, bool utf8, struct wiz_rows *out)
{
	char text[400];

	wiz_rows_release(out);
	if (w->plan.host != NULL) {
		snprintf(text, sizeof(text), "Run it on the Pi: %s", w->plan.host);
		row(out, 0, WIZ_PT_ON_HOST, 0, text, "build, copy over SSH, run",
		    NULL);
	}
	row(out, 0, WIZ_PT_BY_ADDRESS, 0,
	    glyph(utf8, "Run it on a Pi at an address\xe2\x80\xa6",
		  "Run it on a Pi at an address..."),
	    "[USER@]HOST[:PORT] or a Host alias", NULL);
	row(out, 0, WIZ_PT_EMULATE, 0, "Run it under emulation",
	    "qemu-user on this machine: no Pi needed", NULL);
	row(out, 0, WIZ_PT_SKIP, 0, "Skip the test", "go on to the Summary",
	    NULL);
	focus(out, w->plan.host ? WIZ_PT_ON_HOST : WIZ_PT_EMULATE);
}
