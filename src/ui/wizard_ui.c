/*
 * wizard_ui.c - the wizard's screens and its input loop. The step machine
 * (wizard.h) decides; this file only draws it and turns keys into calls.
 */
#include "ui.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "strbuf.h"
#include "task.h"
#include "theme.h"
#include "toolchain.h"
#include "tui.h"
#include "wizard.h"

/* toolchain_find() and the std checks, on the worker thread. */
struct tc_job {
	struct toolchain tc;
	int rc;
};

enum { CPU_TYPE_ID = 99, CPU_TYPED_ID = 98, DETECT_ID = -1 };
enum { OS_32 = 32, OS_64 = 64, LIBC_GNU_ID = 100, LIBC_MUSL_ID = 101 };

struct app {
	struct ctx *ctx;
	struct ui ui;
	struct wizard wiz;
	struct task task;
	struct tc_job job;
	bool task_collected;
	struct ui_log welcome;	/* what the toolchain search found */
	int log_seen;		/* task log lines copied so far */
	struct ui_list board, os, cpu;
	struct ui_input input;	/* "type another CPU name" */
	bool typing;
	struct ui_confirm quit;
	struct ui_log help;
	bool help_on;
	char status[700];
	enum theme_role status_role;
	char theme_note[640];
	int spin;
	int exit_code;
	bool done;
	bool lost;		/* the terminal went away */
};

static int
tc_work(struct task *t, void *arg)
{
	struct tc_job *j = arg;
	const struct target *all;
	int n, k = 0, total = 0;

	task_log(t, "Looking for rustc: $RUSTC, then PATH, then $CARGO_HOME/bin");
	j->rc = toolchain_find(&j->tc);
	if (j->rc != 0) {
		task_log(t, "No working rustc was found.");
		return j->rc;
	}
	task_log(t, "Found %s", j->tc.rustc);
	task_log(t, "Version: %s", j->tc.version);
	task_log(t, "Sysroot: %s", j->tc.sysroot);
	all = target_all(&n);
	for (int i = 0; i < n; i++)
		total += all[i].pi_os;
	for (int i = 0; i < n; i++) {
		if (!all[i].pi_os)
			continue;
		task_progress(t, k, total);
		task_log(t, "  %-36s std %s", all[i].triple,
			 toolchain_has_std(&j->tc, all[i].triple) ?
			 "installed" : "not installed");
		k++;
	}
	task_progress(t, k, total);
	return 0;
}

static void
set_status(struct app *a, enum theme_role r, const char *msg)
{
	a->status_role = r;
	snprintf(a->status, sizeof(a->status), "%s", msg ? msg : "");
}

/* ---- building the lists from the wizard's state -------------------- */

static void
build_board_list(struct app *a)
{
	int n;
	const struct board *all = board_all(&n);
	const struct ui_item *cur = ui_list_current(&a->board);
	int keep = cur ? cur->id : -2;

	ui_list_clear(&a->board);
	ui_list_add(&a->board, UI_ITEM_DISABLED, DETECT_ID, 0,
		    "Detect over SSH", "probe a Pi on the network",
		    "not available in this version");
	for (int i = 0; i < n; i++) {
		char note[160];

		snprintf(note, sizeof(note), "%-13s %-8s %s", all[i].core,
			 isa_name(all[i].isa),
			 all[i].official64 ? "32/64-bit" :
			 all[i].can64 ? "32-bit (64 unofficial)" : "32-bit only");
		ui_list_add(&a->board,
			    a->wiz.plan.board == &all[i] ? UI_ITEM_CHOSEN : 0,
			    i, 0, all[i].name, note, NULL);
		/* the filter matches the name, id, core, SoC and ISA, not the
		 * 32/64 column (a "4" would find every 64-bit board) */
		snprintf(note, sizeof(note), "%s %s %s %s %s", all[i].name,
			 all[i].id, all[i].core, all[i].soc, isa_name(all[i].isa));
		ui_list_search(&a->board, note);
	}
	if (keep >= 0)
		ui_list_focus(&a->board, keep);
	else if (a->wiz.plan.board != NULL)
		ui_list_focus(&a->board, (int)(a->wiz.plan.board - all));
}

static void
build_os_list(struct app *a)
{
	const struct wizard *w = &a->wiz;
	const struct board *b = w->plan.board;
	const struct ui_item *cur = ui_list_current(&a->os);
	int keep = cur ? cur->id : (w->plan.os_bits ? w->plan.os_bits : OS_32);
	int def = board_default_bits(b);
	const char *why = "";
	bool ok64 = wizard_bits_allowed(w, 64, &why);
	char note64[160];

	ui_list_clear(&a->os);
	ui_list_add(&a->os, UI_ITEM_HEADER, -10, 0,
		    "Operating system on the Pi", NULL, NULL);
	ui_list_add(&a->os, w->plan.os_bits == 32 ? UI_ITEM_CHOSEN : 0, OS_32,
		    1, "32-bit Raspberry Pi OS (armhf)",
		    b && b->isa == ISA_ARMV6 ? "the only OS this CPU runs" :
		    "runs on every Pi", def == 32 ? "recommended" : NULL);
	if (ok64)
		snprintf(note64, sizeof(note64), "%s",
			 b && b->official64 ? "aarch64: more registers, faster" :
			 "the CPU can, but Raspberry Pi OS does not support it");
	else
		snprintf(note64, sizeof(note64), "not possible: %s", why);
	ui_list_add(&a->os, (ok64 ? 0 : UI_ITEM_DISABLED) |
		    (w->plan.os_bits == 64 ? UI_ITEM_CHOSEN : 0), OS_64, 1,
		    "64-bit Raspberry Pi OS (arm64)", note64,
		    def == 64 ? "recommended" : NULL);
	ui_list_add(&a->os, UI_ITEM_HEADER, -11, 0, "C library", NULL, NULL);
	ui_list_add(&a->os, w->plan.libc == LIBC_GNU ? UI_ITEM_CHOSEN : 0,
		    LIBC_GNU_ID, 2, "gnu (glibc)",
		    "smaller, faster; needs a glibc no newer than the Pi's",
		    "recommended");
	ui_list_add(&a->os, w->plan.libc == LIBC_MUSL ? UI_ITEM_CHOSEN : 0,
		    LIBC_MUSL_ID, 2, "musl (static)",
		    "runs whatever the Pi's glibc; often slower", NULL);
	ui_list_focus(&a->os, keep);
}

static void
build_cpu_list(struct app *a)
{
	struct wiz_cpu c[8];
	int n = wizard_cpu_choices(&a->wiz, c, (int)ARRAY_SIZE(c));
	const char *have = a->wiz.plan.cpu;
	bool listed = false;
	int focus = -1;

	ui_list_clear(&a->cpu);
	for (int i = 0; i < n; i++) {
		bool chosen = have != NULL && strcmp(have, c[i].name) == 0;
		char text[128];

		snprintf(text, sizeof(text), "%-13s %s", c[i].name, c[i].label);
		ui_list_add(&a->cpu, (c[i].usable ? 0 : UI_ITEM_DISABLED) |
			    (chosen ? UI_ITEM_CHOSEN : 0), i, 1, text, c[i].why,
			    c[i].board_core ? "this board" : NULL);
		if (chosen) {
			listed = true;
			focus = i;
		}
	}
	if (have != NULL && !listed) {
		char text[128];

		snprintf(text, sizeof(text), "%-13s %s", have, "(typed in)");
		ui_list_add(&a->cpu, UI_ITEM_CHOSEN, CPU_TYPED_ID, 1, text,
			    "not checked against rustc in this version", NULL);
		focus = CPU_TYPED_ID;
	}
	ui_list_add(&a->cpu, 0, CPU_TYPE_ID, 2,
		    ui_glyph(&a->ui, "Type another CPU name\xe2\x80\xa6",
			     "Type another CPU name..."),
		    "any -C target-cpu value rustc knows", NULL);
	a->cpu.textw = 0;
	ui_list_focus(&a->cpu, focus);
}

static void
enter_step(struct app *a)
{
	set_status(a, TR_TEXT, "");
	switch (a->wiz.step) {
	case WIZ_BOARD:
		build_board_list(a);
		break;
	case WIZ_OS:
		a->os.cur = -1;
		build_os_list(a);
		break;
	case WIZ_CPU:
		build_cpu_list(a);
		break;
	default:
		break;
	}
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

static const char *const keys_welcome[] = {
	"Enter", "Next", "\xe2\x86\x91\xe2\x86\x93", "Scroll", "?", "Help",
	"q", "Quit", NULL
};
static const char *const keys_board[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Move", "type", "Filter", "Enter", "Choose",
	"Esc", "Back", "?", "Help", "q", "Quit", NULL
};
static const char *const keys_radio[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Move", "Space", "Choose", "Enter",
	"Choose+Next", "Esc", "Back", "?", "Help", "q", "Quit", NULL
};
static const char *const keys_plain[] = {
	"Enter", "Next", "Esc", "Back", "?", "Help", "q", "Quit", NULL
};
static const char *const keys_summary[] = {
	"Enter", "Finish", "Esc", "Back", "?", "Help", "q", "Quit", NULL
};
static const char *const keys_input[] = {
	"Enter", "Use", "Esc", "Cancel", "Ctrl-U", "Clear", "Ctrl-W",
	"Delete word", NULL
};
static const char *const keys_help[] = {
	"\xe2\x86\x91\xe2\x86\x93", "Scroll", "Esc", "Close", NULL
};
static const char *const keys_small[] = { "q", "Quit", NULL };

/* The help line with ASCII arrows when the locale is not UTF-8. */
static void
help_line(struct app *a, const char *const *pairs)
{
	const char *copy[20];
	int i;

	for (i = 0; pairs[i] != NULL && i < 19; i++)
		copy[i] = strcmp(pairs[i], "\xe2\x86\x91\xe2\x86\x93") == 0 ?
			  ui_glyph(&a->ui, pairs[i], "Up/Down") : pairs[i];
	copy[i] = NULL;
	ui_help_line(&a->ui, copy);
}

static void
draw_welcome(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	int y = top, w = ui->cols - 4;
	struct task_snap snap;
	static const char intro[] =
		"Set up Rust cross-compilation for a Raspberry Pi, then prove it "
		"works by running a program on the board.\n"
		"1. Board: which Pi you have; the OS word size, C library and Rust "
		"target follow, each with its reason.\n"
		"2. Linker: a cross linker that really links.\n"
		"3. CPU: the core to tune for (-C target-cpu).\n"
		"4. Config: Cargo's config, shown as a diff before writing.\n"
		"5. Test: build a hello-world, copy it to the Pi, run it.";

	y += ui_wrap(ui, y, 2, w, bottom - y - 4, TR_TEXT, intro) + 1;
	task_snapshot(&a->task, &snap);
	if (y >= bottom)
		return;
	switch (a->wiz.tc_state) {
	case WIZ_TC_SEARCHING: {
		char line[128];

		snprintf(line, sizeof(line), "%s Looking for the Rust toolchain%s",
			 ui_spinner(ui, a->spin), ui_glyph(ui, "\xe2\x80\xa6", "..."));
		ui_put(ui, y++, 2, w, TR_KEY, line);
		break;
	}
	case WIZ_TC_FOUND: {
		char line[512];

		snprintf(line, sizeof(line), "%s Rust toolchain: %s (%s)",
			 ui_glyph(ui, "\xe2\x9c\x93", "+"), a->wiz.tc.version,
			 a->wiz.tc.rustc);
		ui_put(ui, y++, 2, w, TR_OK, line);
		break;
	}
	case WIZ_TC_MISSING:
		ui_put(ui, y++, 2, w, TR_FAIL,
		       ui_glyph(ui, "\xe2\x9c\x97 No Rust toolchain found",
				"x No Rust toolchain found"));
		y += ui_wrap(ui, y, 2, w, bottom - y, TR_TEXT,
			     "Install Rust with rustup, then run rpi-cross again:\n"
			     "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh\n"
			     "(a distribution's rustc and cargo work too; set RUSTC to use a "
			     "particular rustc)");
		break;
	}
	if (bottom - y >= 3) {
		a->welcome.busy = snap.running;
		ui_log_draw(ui, &a->welcome, y, 2, bottom - y, w, a->spin);
	}
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
			 b->core, isa_name(b->isa), b->ram, board_default_bits(b),
			 ui_glyph(ui, "\xe2\x86\x92", "->"), t ? t->triple : "none");
		ui_wrap(ui, y, 1, w, 2, TR_DIM, line);
	}
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
	listh = a->cpu.n < bottom - y - 4 ? a->cpu.n : bottom - y - 4;
	if (listh < 1)
		listh = 1;
	ui_list_draw(ui, &a->cpu, y, 1, listh, w);
	y += listh + 1;
	if (a->typing) {
		ui_put(ui, y, 1, w, TR_KEY, "CPU name:");
		ui_input_draw(ui, &a->input, y, 11, w - 11 > 40 ? 40 : w - 11);
		return;
	}
	snprintf(line, sizeof(line),
		 "This version lists the Raspberry Pi cores that fit %s; the full "
		 "list from rustc --print target-cpus comes with the cpus module "
		 "(rpi-cross cpus --target %s).",
		 p->target ? p->target->arch : "the target",
		 p->target ? p->target->triple : "TARGET");
	ui_wrap(ui, y, 1, w, bottom - y, TR_DIM, line);
}

static void
draw_unavailable(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	const char *cmd = NULL;
	const char *what = "";
	char line[640], c[160];
	const char *t = a->wiz.plan.target ? a->wiz.plan.target->triple : "TARGET";
	int y = top + 1, w = ui->cols - 4;

	wizard_step_available(a->wiz.step, &cmd);
	switch (a->wiz.step) {
	case WIZ_LINKER:
		what = "It will find the cross linkers on this machine and prove each one by linking a real program for the target.";
		snprintf(c, sizeof(c), "rpi-cross linkers --target %s", t);
		break;
	case WIZ_CONFIG:
		what = "It will show the edits to Cargo's config as a diff, then write them with a backup.";
		snprintf(c, sizeof(c), "rpi-cross config set");
		break;
	default:
		what = "It will build a hello-world, copy it to the Pi over SSH and run it there.";
		snprintf(c, sizeof(c), "rpi-cross test --target %s", t);
		break;
	}
	snprintf(line, sizeof(line), "The %s step is not available in this version yet.",
		 wizard_step_name(a->wiz.step));
	y += ui_wrap(ui, y, 2, w, bottom - y, TR_WARN, line) + 1;
	y += ui_wrap(ui, y, 2, w, bottom - y, TR_TEXT, what) + 1;
	snprintf(line, sizeof(line), "When it lands, use:  %s", c);
	y += ui_wrap(ui, y, 2, w, bottom - y, TR_TEXT, line) + 1;
	ui_wrap(ui, y, 2, w, bottom - y, TR_DIM,
		"Nothing was done in this step. Enter goes on, Esc goes back.");
}

static void
draw_summary(struct app *a, int top, int bottom)
{
	struct ui *ui = &a->ui;
	struct strbuf sb = STRBUF_INIT;
	int y = top, w = ui->cols - 2;
	char *line, *save = NULL;

	ui_put(ui, y++, 1, w, TR_TEXT, "The plan so far:");
	y++;
	wizard_summary(&a->wiz, &sb);
	for (line = strtok_r(sb.buf, "\n", &save); line != NULL && y < bottom;
	     line = strtok_r(NULL, "\n", &save)) {
		enum theme_role r = rpx_starts_with(line, "Build:") ? TR_OK : TR_TEXT;
		size_t n = strlen(line);

		/* "Label:   value": the value wraps under itself */
		if (n > 9 && line[8] == ' ') {
			line[8] = '\0';
			ui_put(ui, y, 1, 9, TR_KEY, line);
			y += ui_wrap(ui, y, 10, w - 9, bottom - y, r, line + 9);
		} else {
			y += ui_wrap(ui, y, 1, w, bottom - y, r, line);
		}
	}
	strbuf_release(&sb);
	if (y + 1 < bottom)
		ui_wrap(ui, y + 1, 1, w, bottom - y - 1, TR_DIM,
			"Enter finishes and prints this plan in the terminal.");
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
	help_line(a, keys_small);
}

static void
draw(struct app *a)
{
	struct ui *ui = &a->ui;
	bool small = ui_too_small(ui);	/* reads the size: first */
	int top = 3, bottom = ui->rows - 2;

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
	switch (a->wiz.step) {
	case WIZ_WELCOME:
		draw_welcome(a, top, bottom);
		help_line(a, keys_welcome);
		break;
	case WIZ_BOARD:
		draw_board(a, top - 1, bottom);
		help_line(a, keys_board);
		break;
	case WIZ_OS:
		draw_os(a, top, bottom);
		help_line(a, keys_radio);
		break;
	case WIZ_CPU:
		draw_cpu(a, top, bottom);
		help_line(a, a->typing ? keys_input : keys_radio);
		break;
	case WIZ_SUMMARY:
		draw_summary(a, top, bottom);
		help_line(a, keys_summary);
		break;
	default:
		draw_unavailable(a, top, bottom);
		help_line(a, keys_plain);
		break;
	}
	if (a->help_on) {
		curs_set(0);
		draw_help(a);
		help_line(a, keys_help);
	}
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
		"  Board        the model: its CPU and ISA decide the target",
		"  OS and libc  32/64-bit OS, glibc or musl; shows the target and why",
		"  Linker       not in this version: rpi-cross linkers --target T",
		"  CPU          -C target-cpu, the board's core first",
		"  Config       not in this version: rpi-cross config set",
		"  Test         not in this version: rpi-cross test",
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
	if (a->quit.active || a->wiz.step == WIZ_WELCOME) {
		a->quit.active = false;
		a->exit_code = RPX_EXIT_FAIL;
		a->done = true;
		return;
	}
	a->help_on = false;
	ui_confirm_open(&a->quit, "Quit?",
			"Quit rpi-cross? Nothing has been written; the choices made so far are lost.");
}

static void
go_next(struct app *a)
{
	const char *why = "";

	if (!wizard_check(&a->wiz, &why)) {
		set_status(a, TR_WARN, why);
		return;
	}
	wizard_next(&a->wiz);
	if (a->wiz.finished) {
		a->exit_code = RPX_EXIT_OK;
		a->done = true;
		return;
	}
	enter_step(a);
}

static void
go_back(struct app *a)
{
	if (wizard_back(&a->wiz) == 0)
		enter_step(a);
}

/* Apply the OS list's highlighted entry. */
static void
os_choose(struct app *a)
{
	const struct ui_item *it = ui_list_current(&a->os);

	if (it == NULL)
		return;
	/* already the choice: keep where it came from */
	if (it->id == a->wiz.plan.os_bits ||
	    (it->id == LIBC_GNU_ID && a->wiz.plan.libc == LIBC_GNU) ||
	    (it->id == LIBC_MUSL_ID && a->wiz.plan.libc == LIBC_MUSL)) {
		build_os_list(a);
		return;
	}
	if (it->id == OS_32 || it->id == OS_64) {
		if (wizard_set_bits(&a->wiz, it->id) != 0) {
			const char *why = "";

			wizard_bits_allowed(&a->wiz, it->id, &why);
			set_status(a, TR_FAIL, why);
			return;
		}
	} else if (it->id == LIBC_GNU_ID || it->id == LIBC_MUSL_ID) {
		wizard_set_libc(&a->wiz, it->id == LIBC_MUSL_ID ? LIBC_MUSL : LIBC_GNU);
	}
	build_os_list(a);
}

/* Apply the CPU list's highlighted entry; false when it opened input. */
static bool
cpu_choose(struct app *a)
{
	const struct ui_item *it = ui_list_current(&a->cpu);
	struct wiz_cpu c[8];
	int n = wizard_cpu_choices(&a->wiz, c, (int)ARRAY_SIZE(c));

	if (it == NULL)
		return false;
	if (it->id == CPU_TYPE_ID) {
		ui_input_init(&a->input, "", false);
		a->typing = true;
		return false;
	}
	if (it->id >= 0 && it->id < n &&
	    (a->wiz.plan.cpu == NULL || strcmp(a->wiz.plan.cpu, c[it->id].name) != 0))
		wizard_set_cpu(&a->wiz, c[it->id].name, PLAN_USER);
	build_cpu_list(a);
	return true;
}

static void
typed_cpu(struct app *a)
{
	char *s = lineedit_utf8(&a->input.le);
	char msg[200];

	if (wizard_set_cpu(&a->wiz, s, PLAN_USER) == 0) {
		a->typing = false;
		snprintf(msg, sizeof(msg), "CPU set to %s.", s);
		set_status(a, TR_OK, msg);
		build_cpu_list(a);
	} else {
		snprintf(msg, sizeof(msg),
			 "'%.60s' cannot be used: a CPU name is letters, digits and - . _ +, and a Pi core must fit the board",
			 s);
		set_status(a, TR_FAIL, msg);
	}
	free(s);
}

static int
step_key(struct app *a, const struct ui_key *k)
{
	int r = 0;

	switch (a->wiz.step) {
	case WIZ_WELCOME:
		r = ui_log_key(&a->welcome, k);
		break;
	case WIZ_BOARD:
		r = ui_list_key(&a->board, k);
		if (r & UI_ACCEPT) {
			const struct ui_item *it = ui_list_current(&a->board);
			int n;

			if (it != NULL && it->id >= 0) {
				wizard_set_board(&a->wiz, &board_all(&n)[it->id]);
				go_next(a);
			}
		} else if (r & UI_SELECT) {
			const struct ui_item *it = ui_list_current(&a->board);
			int n;

			if (it != NULL && it->id >= 0)
				wizard_set_board(&a->wiz, &board_all(&n)[it->id]);
		}
		break;
	case WIZ_OS:
		r = ui_list_key(&a->os, k);
		if (r & (UI_SELECT | UI_ACCEPT))
			os_choose(a);
		if ((r & UI_ACCEPT) && a->status_role != TR_FAIL)
			go_next(a);
		break;
	case WIZ_CPU:
		r = ui_list_key(&a->cpu, k);
		if (r & (UI_SELECT | UI_ACCEPT)) {
			bool chose = cpu_choose(a);

			if (chose && (r & UI_ACCEPT))
				go_next(a);
		}
		break;
	default:
		break;
	}
	return r;
}

static void
handle_key(struct app *a, const struct ui_key *k)
{
	int r;

	if (ui_key_code(k, KEY_RESIZE))
		return;
	if (a->quit.active) {
		r = ui_confirm_key(&a->quit, k);
		if (r & UI_ACCEPT) {
			a->exit_code = RPX_EXIT_FAIL;
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
	if (a->typing) {
		r = ui_input_key(&a->input, k);
		if (r & UI_ACCEPT)
			typed_cpu(a);
		else if (r & UI_BACK)
			a->typing = false;
		return;
	}
	if (a->status_role == TR_FAIL || a->status_role == TR_WARN)
		set_status(a, TR_TEXT, "");
	r = step_key(a, k);
	if (r & UI_HANDLED)
		return;
	if (ui_key_is(k, L'?'))
		open_help(a);
	else if (ui_key_is(k, L'q'))
		ask_quit(a);
	else if (ui_key_is(k, 27))
		go_back(a);
	else if (ui_key_is(k, L'\r') || ui_key_is(k, L'\n') ||
		 ui_key_code(k, KEY_ENTER))
		go_next(a);
}

/* Take what the toolchain task found; true when something changed. */
static bool
poll_task(struct app *a)
{
	struct task_snap snap;
	bool changed = false;

	task_snapshot(&a->task, &snap);
	while (a->log_seen < snap.nlines) {
		char *line = task_line(&a->task, a->log_seen++);

		ui_log_add(&a->welcome, line ? line : "");
		free(line);
		changed = true;
	}
	if (a->welcome.num != snap.num || a->welcome.den != snap.den) {
		a->welcome.num = snap.num;
		a->welcome.den = snap.den;
		changed = true;
	}
	if (snap.done && !a->task_collected) {
		task_finish(&a->task);
		wizard_set_toolchain(&a->wiz, &a->job.tc, a->job.rc);
		a->task_collected = true;
		a->welcome.busy = false;
		changed = true;
	}
	return changed;
}

static void
err_string(char *out, size_t outsz, const struct rpx_err *e)
{
	if (e->path[0] != '\0' && e->line > 0)
		snprintf(out, outsz, "%.200s:%d:%d: %.300s", e->path, e->line,
			 e->col, e->msg);
	else if (e->path[0] != '\0')
		snprintf(out, outsz, "%.200s: %.300s", e->path, e->msg);
	else
		snprintf(out, outsz, "%s", e->msg);
}

static void
app_release(struct app *a)
{
	task_release(&a->task);
	toolchain_release(&a->job.tc);
	ui_log_release(&a->welcome);
	ui_log_release(&a->help);
	ui_list_release(&a->board);
	ui_list_release(&a->os);
	ui_list_release(&a->cpu);
	wizard_release(&a->wiz);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
loop(struct app *a)
{
	const char *exit_mode = rpx_getenv("RPI_CROSS_UI_EXIT");
	bool redraw = true, first = true;
	int early = 0;		/* reads that failed well before their timeout */
	struct ui_key k;

	while (!a->done) {
		struct task_snap snap;
		int sig = ui_stop_signal();

		if (sig != 0) {
			a->exit_code = 128 + sig;
			break;
		}
		if (ui_take_interrupt()) {
			ask_quit(a);
			redraw = true;
			continue;
		}
		if (poll_task(a))
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
		task_snapshot(&a->task, &snap);
		{
			int wait = snap.running ? 80 : 250;
			long long t0 = now_ms();

			ui_read_key(&a->ui, &k, wait);
			/* A terminal that went away (its master closed, no
			 * SIGHUP for us) makes every read fail at once: stop
			 * as after a hang-up instead of spinning. */
			early = (k.type == ERR && now_ms() - t0 < wait / 2) ?
				early + 1 : 0;
			if (early >= 20) {
				a->exit_code = 128 + SIGHUP;
				a->lost = true;
				break;
			}
		}
		if (k.type == ERR) {
			if (snap.running) {
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
	const char *why = "";
	int rc;

	a = xcalloc(1, sizeof(*a));
	a->ctx = ctx;
	a->exit_code = RPX_EXIT_FAIL;
	wizard_init(&a->wiz);
	ui_log_init(&a->welcome, false);
	ui_log_init(&a->help, false);
	ui_list_init(&a->board, true, false);
	ui_list_init(&a->os, false, true);
	ui_list_init(&a->cpu, false, true);
	if (theme_select(&theme, ctx->theme, rpx_getenv("NO_COLOR") != NULL,
			 theme_datadir(), &err) < 0) {
		char msg[600];

		err_string(msg, sizeof(msg), &err);
		rpx_warnf(ctx, "%s; using the built-in default theme", msg);
		snprintf(a->theme_note, sizeof(a->theme_note),
			 "Theme: %s; using the built-in default", msg);
	}
	rc = ui_start(&a->ui, &theme, &why);
	if (rc < 0) {
		rpx_errorf(ctx, "%s", why);
		goto out;
	}
	if (task_start(&a->task, tc_work, &a->job) < 0) {
		a->job.rc = toolchain_find(&a->job.tc);
		wizard_set_toolchain(&a->wiz, &a->job.tc, a->job.rc);
		a->task_collected = true;
	}
	build_board_list(a);
	if (a->theme_note[0] != '\0')
		set_status(a, TR_WARN, a->theme_note);
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
