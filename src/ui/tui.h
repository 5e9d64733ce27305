/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * tui.h - the ui layer's own contract (src/ui/ only): the display, the
 * widgets and their result bits. Nothing outside src/ui/ includes it.
 *
 * Drawing is immediate-mode: every frame erases the screen and draws it
 * again from the state (wizard, widgets), so a resize only needs a
 * redraw. Widgets never read keys themselves: the loop in ui.c
 * reads one key and hands it to the widget that has the focus, which
 * answers with a bitset of UI_* results (htop's HandlerResult habit).
 */
#ifndef RPX_UI_TUI_H
#define RPX_UI_TUI_H

#include <stdbool.h>
#include <wchar.h>

#include "curses.h"
#include "lineedit.h"
#include "rpx.h"
#include "strvec.h"
#include "theme.h"

/* Smallest terminal the wizard draws in; below it, a notice. */
enum { UI_MIN_COLS = 60, UI_MIN_ROWS = 18 };

/* What a widget did with a key. */
enum ui_result {
	UI_HANDLED = 1 << 0,	/* the key was used */
	UI_REDRAW = 1 << 1,	/* the screen must be drawn again */
	UI_ACCEPT = 1 << 2,	/* Enter: take this and go on */
	UI_BACK = 1 << 3,	/* Esc: go back / cancel */
	UI_QUIT = 1 << 4,	/* the user wants to leave */
	UI_SELECT = 1 << 5,	/* Space: choose without going on */
};

/* One key: type is OK (ch is a character), KEY_CODE_YES (ch is a KEY_*
 * code) or ERR (no key before the timeout). */
struct ui_key {
	int type;
	wint_t ch;
};

struct ui {
	struct theme theme;
	SCREEN *scr;
	bool started;		/* curses is active */
	bool color;		/* colour pairs in use */
	bool utf8;		/* the locale encodes UTF-8 */
	bool mouse;		/* mouse events were granted */
	int rows, cols;
};

#define UI_INIT { .started = false }

/*
 * Start curses on the terminal (newterm on stdout/stdin), with the
 * signal handlers for SIGINT, SIGTERM and SIGHUP installed first and the
 * theme's colours. 0, or RPX_EIO when the terminal cannot be used
 * (*why gets a static reason).
 */
int ui_start(struct ui *ui, const struct theme *theme, const char **why);
/* End curses and give the terminal back; safe to call twice. */
void ui_end(struct ui *ui);
/* The error path: end curses first, then print and exit(1). */
void ui_die(struct ui *ui, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* The signal that asked us to stop (SIGTERM/SIGHUP), or 0. */
int ui_stop_signal(void);
/* True once per Ctrl-C (SIGINT) since the last call. */
bool ui_take_interrupt(void);

/* Read one key, waiting at most timeout_ms (negative: forever). */
void ui_read_key(struct ui *ui, struct ui_key *k, int timeout_ms);
/* Ctrl-<letter> as a character. */
#define UI_CTRL(c) ((c) & 0x1f)
bool ui_key_is(const struct ui_key *k, wint_t ch);
bool ui_key_code(const struct ui_key *k, int code);

/* Update rows/cols after a resize; true when too small to draw. */
bool ui_too_small(struct ui *ui);

/* The curses attributes of a role. */
attr_t ui_attr(const struct ui *ui, enum theme_role r);
/* A glyph: the UTF-8 one when the locale allows, else the ASCII one. */
const char *ui_glyph(const struct ui *ui, const char *utf8, const char *ascii);
/* Display width of a UTF-8 text. */
int ui_width(const struct ui *ui, const char *s);
/*
 * Draw UTF-8 text at y,x in at most w columns (an ellipsis marks a cut)
 * with a role's attributes. Returns the columns used.
 */
int ui_put(struct ui *ui, int y, int x, int w, enum theme_role r,
	   const char *s);
/* The same with explicit attributes. */
int ui_put_attr(struct ui *ui, int y, int x, int w, attr_t a, const char *s);
/* Fill w columns with spaces in a role's colours. */
void ui_fill(struct ui *ui, int y, int x, int w, enum theme_role r);
/*
 * Word-wrap UTF-8 text ('\n' breaks too) into the box y,x,w and at most
 * maxrows rows; returns the rows used (a last row that cannot hold the
 * rest ends in an ellipsis).
 */
int ui_wrap(struct ui *ui, int y, int x, int w, int maxrows,
	    enum theme_role r, const char *s);
/* How many rows ui_wrap would use for s in width w. */
int ui_wrap_rows(struct ui *ui, int w, const char *s);
/* A box frame with a title. */
void ui_box(struct ui *ui, int y, int x, int h, int w, const char *title);
/*
 * The help line of keys on the last row: pairs of key, meaning,
 * NULL-terminated ({"Enter", "Next", "Esc", "Back", NULL}).
 */
void ui_help_line(struct ui *ui, const char *const *pairs);

/* ---- filterable list ---------------------------------------------- */

enum ui_item_flags {
	UI_ITEM_HEADER = 1 << 0,	/* a section title, never selected */
	UI_ITEM_DISABLED = 1 << 1,	/* shown dim, never selected */
	UI_ITEM_CHOSEN = 1 << 2,	/* the current choice */
};

struct ui_item {
	char *text;	/* the entry */
	char *note;	/* a second column (dim), or NULL */
	char *mark;	/* "recommended", "this board", ... or NULL */
	char *search;	/* what the filter matches, NULL: text and note */
	unsigned flags;
	int id;		/* the caller's value */
	int group;	/* radio group: choosing one unchooses its group */
};

struct ui_list {
	struct ui_item *items;
	int n;
	size_t alloc, vis_alloc;	/* room in items and vis (ALLOC_GROW) */
	bool filterable;	/* typing filters the entries */
	bool radio;		/* draw (•)/( ) for chosen/not */
	char filter[128];	/* UTF-8 */
	int *vis;		/* indexes of entries shown */
	int nvis;
	int cur;		/* index into vis, -1 when none */
	int top;		/* first shown row of vis */
	int y, x, h, w;		/* where it was last drawn (mouse) */
	int textw;		/* text column width, 0: automatic */
};

void ui_list_init(struct ui_list *l, bool filterable, bool radio);
void ui_list_release(struct ui_list *l);
void ui_list_clear(struct ui_list *l);
/* Add an entry (strings are copied; note and mark may be NULL). */
void ui_list_add(struct ui_list *l, unsigned flags, int id, int group,
		 const char *text, const char *note, const char *mark);
/* Set what the filter matches for the entry added last. */
void ui_list_search(struct ui_list *l, const char *s);
/* Recompute the shown entries after the filter changed. */
void ui_list_refilter(struct ui_list *l);
/* Move the cursor to the entry with id (when shown and selectable). */
void ui_list_focus(struct ui_list *l, int id);
/* The entry under the cursor, or NULL. */
const struct ui_item *ui_list_current(const struct ui_list *l);
/* Mark the entry under the cursor chosen in its group. */
void ui_list_choose(struct ui_list *l);
/* Keys: arrows, PgUp/PgDn, Home/End, wheel, typing (when filterable),
 * Backspace/Ctrl-U/Ctrl-W on the filter, Esc clears the filter, Space
 * (UI_SELECT), Enter (UI_ACCEPT). q and ? are never filter text. */
int ui_list_key(struct ui_list *l, const struct ui_key *k);
void ui_list_draw(struct ui *ui, struct ui_list *l, int y, int x, int h,
		  int w);

/* ---- text input --------------------------------------------------- */

struct ui_input {
	struct lineedit le;
	bool masked;		/* a password: draw one bullet per character */
	int scroll;		/* first character shown */
};

void ui_input_init(struct ui_input *in, const char *text, bool masked);
/* Editing keys; Enter gives UI_ACCEPT, Esc UI_BACK. */
int ui_input_key(struct ui_input *in, const struct ui_key *k);
/* Draw in w columns and put the terminal cursor at the edit point. */
void ui_input_draw(struct ui *ui, struct ui_input *in, int y, int x, int w);

/* ---- log pane with progress, also a diff view --------------------- */

struct ui_log {
	struct strvec lines;
	int top;		/* first shown line */
	bool follow;		/* keep the last line in view */
	bool diff;		/* colour lines as a unified diff */
	int num, den;		/* progress; den 0: no bar */
	bool busy;		/* show the spinner */
	int h;			/* rows shown at the last draw */
};

void ui_log_init(struct ui_log *log, bool diff);
void ui_log_release(struct ui_log *log);
void ui_log_add(struct ui_log *log, const char *line);
/* Up/Down/PgUp/PgDn/Home/End and the wheel scroll. */
int ui_log_key(struct ui_log *log, const struct ui_key *k);
/* The pane (h rows: the last one is the progress bar when den > 0). */
void ui_log_draw(struct ui *ui, struct ui_log *log, int y, int x, int h,
		 int w, int spin);

/* ---- confirm dialog ----------------------------------------------- */

struct ui_confirm {
	bool active;
	const char *title;
	const char *text;
	int focus;		/* 0: yes, 1: no */
	int width;		/* columns wanted; 0: 50 */
};

void ui_confirm_open(struct ui_confirm *c, const char *title,
		     const char *text);
/* y/Enter on Yes: UI_ACCEPT; n/Esc/Enter on No: UI_BACK. */
int ui_confirm_key(struct ui_confirm *c, const struct ui_key *k);
void ui_confirm_draw(struct ui *ui, const struct ui_confirm *c);

/* A spinner frame (i counts up). */
const char *ui_spinner(const struct ui *ui, int i);

#endif
