/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* widgets.c - list, text input, log pane, confirm dialog (see tui.h). */
#include "tui.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "filter.h"

/* ---- filterable list ---------------------------------------------- */

void
ui_list_init(struct ui_list *l, bool filterable, bool radio)
{
	memset(l, 0, sizeof(*l));
	l->filterable = filterable;
	l->radio = radio;
	l->cur = -1;
}

void
ui_list_clear(struct ui_list *l)
{
	for (int i = 0; i < l->n; i++) {
		free(l->items[i].text);
		free(l->items[i].note);
		free(l->items[i].mark);
		free(l->items[i].search);
	}
	l->n = 0;
	l->nvis = 0;
	l->cur = -1;
	l->top = 0;
}

void
ui_list_release(struct ui_list *l)
{
	ui_list_clear(l);
	free(l->items);
	free(l->vis);
	l->items = NULL;
	l->vis = NULL;
	l->alloc = l->vis_alloc = 0;
}

void
ui_list_add(struct ui_list *l, unsigned flags, int id, int group,
	    const char *text, const char *note, const char *mark)
{
	struct ui_item *it;

	ALLOC_GROW(l->items, (size_t)l->n + 1, l->alloc);
	ALLOC_GROW(l->vis, (size_t)l->n + 1, l->vis_alloc);
	it = &l->items[l->n++];
	it->text = xstrdup(text);
	it->note = note ? xstrdup(note) : NULL;
	it->mark = mark ? xstrdup(mark) : NULL;
	it->search = NULL;
	it->flags = flags;
	it->id = id;
	it->group = group;
	ui_list_refilter(l);
}

void
ui_list_search(struct ui_list *l, const char *s)
{
	if (l->n == 0)
		return;
	free(l->items[l->n - 1].search);
	l->items[l->n - 1].search = s ? xstrdup(s) : NULL;
	ui_list_refilter(l);
}

static bool
selectable(const struct ui_item *it)
{
	return !(it->flags & (UI_ITEM_HEADER | UI_ITEM_DISABLED));
}

/* The nearest selectable shown row from i in direction dir (+1/-1). */
static int
seek(const struct ui_list *l, int i, int dir)
{
	for (; i >= 0 && i < l->nvis; i += dir)
		if (selectable(&l->items[l->vis[i]]))
			return i;
	return -1;
}

void
ui_list_refilter(struct ui_list *l)
{
	int keep = ui_list_current(l) ? ui_list_current(l)->id : -1;
	bool had = l->cur >= 0;

	l->nvis = 0;
	for (int i = 0; i < l->n; i++) {
		struct ui_item *it = &l->items[i];
		char both[512];

		/* headers show only while no filter is typed */
		if (it->flags & UI_ITEM_HEADER) {
			if (l->filter[0] == '\0')
				l->vis[l->nvis++] = i;
			continue;
		}
		if (it->search != NULL)
			snprintf(both, sizeof(both), "%s", it->search);
		else
			snprintf(both, sizeof(both), "%s %s", it->text,
				 it->note ? it->note : "");
		if (filter_match(both, l->filter))
			l->vis[l->nvis++] = i;
	}
	l->cur = -1;
	if (had)
		ui_list_focus(l, keep);
	if (l->cur < 0)
		l->cur = seek(l, 0, 1);
	if (l->top > l->nvis - 1)
		l->top = l->nvis > 0 ? l->nvis - 1 : 0;
	if (l->top < 0)
		l->top = 0;
}

void
ui_list_focus(struct ui_list *l, int id)
{
	for (int i = 0; i < l->nvis; i++) {
		if (l->items[l->vis[i]].id == id &&
		    selectable(&l->items[l->vis[i]])) {
			l->cur = i;
			return;
		}
	}
}

const struct ui_item *
ui_list_current(const struct ui_list *l)
{
	if (l->cur < 0 || l->cur >= l->nvis)
		return NULL;
	return &l->items[l->vis[l->cur]];
}

void
ui_list_choose(struct ui_list *l)
{
	const struct ui_item *cur = ui_list_current(l);

	if (cur == NULL)
		return;
	for (int i = 0; i < l->n; i++)
		if (l->items[i].group == cur->group)
			l->items[i].flags &= ~(unsigned)UI_ITEM_CHOSEN;
	l->items[l->vis[l->cur]].flags |= UI_ITEM_CHOSEN;
}

static void
list_move(struct ui_list *l, int delta)
{
	int dir = delta > 0 ? 1 : -1;
	int to, i;

	if (l->cur < 0) {
		l->cur = seek(l, 0, 1);
		return;
	}
	to = l->cur + delta;
	if (to < 0)
		to = 0;
	if (to >= l->nvis)
		to = l->nvis - 1;
	i = seek(l, to, dir);
	if (i < 0)
		i = seek(l, to, -dir);
	if (i >= 0)
		l->cur = i;
}

static void
filter_edit(struct ui_list *l, void (*op)(struct lineedit *), wchar_t add)
{
	struct lineedit le;
	char *s;

	lineedit_init(&le, l->filter);
	if (op != NULL)
		op(&le);
	else if (lineedit_insert(&le, add) != 0)
		return;
	s = lineedit_utf8(&le);
	if (strlen(s) < sizeof(l->filter))
		snprintf(l->filter, sizeof(l->filter), "%s", s);
	free(s);
	l->top = 0;
	ui_list_refilter(l);
}

int
ui_list_key(struct ui_list *l, const struct ui_key *k)
{
	int page = l->h > 1 ? l->h - 1 : 1;
	const struct ui_item *cur;

	if (k->type == KEY_CODE_YES) {
		switch (k->ch) {
		case KEY_UP: list_move(l, -1); return UI_HANDLED | UI_REDRAW;
		case KEY_DOWN: list_move(l, 1); return UI_HANDLED | UI_REDRAW;
		case KEY_PPAGE: list_move(l, -page); return UI_HANDLED | UI_REDRAW;
		case KEY_NPAGE: list_move(l, page); return UI_HANDLED | UI_REDRAW;
		case KEY_HOME: l->cur = seek(l, 0, 1); return UI_HANDLED | UI_REDRAW;
		case KEY_END: l->cur = seek(l, l->nvis - 1, -1); return UI_HANDLED | UI_REDRAW;
		case KEY_ENTER:
			return ui_list_current(l) ? UI_HANDLED | UI_ACCEPT : UI_HANDLED;
		case KEY_BACKSPACE:
			if (l->filterable && l->filter[0]) {
				filter_edit(l, lineedit_backspace, 0);
				return UI_HANDLED | UI_REDRAW;
			}
			return 0;
		case KEY_MOUSE: {
			MEVENT ev;

			if (getmouse(&ev) != OK)
				return UI_HANDLED;
			if (ev.bstate & BUTTON4_PRESSED)
				list_move(l, -3);
#ifdef BUTTON5_PRESSED
			else if (ev.bstate & BUTTON5_PRESSED)
				list_move(l, 3);
#endif
			else if ((ev.bstate & BUTTON1_CLICKED) &&
				 ev.y >= l->y && ev.y < l->y + l->h &&
				 ev.x >= l->x && ev.x < l->x + l->w) {
				int row = l->top + ev.y - l->y;

				if (row < l->nvis &&
				    selectable(&l->items[l->vis[row]]))
					l->cur = row;
			}
			return UI_HANDLED | UI_REDRAW;
		}
		default:
			return 0;
		}
	}
	if (k->type != OK)
		return 0;
	switch (k->ch) {
	case L'\r':
	case L'\n':
		cur = ui_list_current(l);
		return cur ? UI_HANDLED | UI_ACCEPT : UI_HANDLED;
	case L' ':
		if (l->filterable && l->filter[0] != '\0') {
			filter_edit(l, NULL, L' ');
			return UI_HANDLED | UI_REDRAW;
		}
		if (ui_list_current(l) == NULL)
			return UI_HANDLED;
		ui_list_choose(l);
		return UI_HANDLED | UI_REDRAW | UI_SELECT;
	case 27:	/* Esc clears the filter first */
		if (l->filterable && l->filter[0] != '\0') {
			l->filter[0] = '\0';
			ui_list_refilter(l);
			return UI_HANDLED | UI_REDRAW;
		}
		return 0;
	case 127:
	case 8:
		if (l->filterable && l->filter[0]) {
			filter_edit(l, lineedit_backspace, 0);
			return UI_HANDLED | UI_REDRAW;
		}
		return 0;
	case UI_CTRL('u'):
		if (l->filterable) {
			filter_edit(l, lineedit_kill_start, 0);
			return UI_HANDLED | UI_REDRAW;
		}
		return 0;
	case UI_CTRL('w'):
		if (l->filterable) {
			filter_edit(l, lineedit_kill_word, 0);
			return UI_HANDLED | UI_REDRAW;
		}
		return 0;
	case L'q':
	case L'?':
		return 0;
	default:
		if (l->filterable && iswprint(k->ch)) {
			filter_edit(l, NULL, (wchar_t)k->ch);
			return UI_HANDLED | UI_REDRAW;
		}
		return 0;
	}
}

void
ui_list_draw(struct ui *ui, struct ui_list *l, int y, int x, int h, int w)
{
	int textw = l->textw, markw = 0;

	l->y = y;
	l->x = x;
	l->h = h;
	l->w = w;
	if (l->cur >= 0 && l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + h)
		l->top = l->cur - h + 1;
	if (l->top > 0 && l->top + h > l->nvis)
		l->top = l->nvis > h ? l->nvis - h : 0;
	if (textw == 0) {
		for (int i = 0; i < l->n; i++) {
			int tw = ui_width(ui, l->items[i].text);

			if (!(l->items[i].flags & UI_ITEM_HEADER) && tw > textw)
				textw = tw;
		}
		textw += 2;
	}
	for (int i = 0; i < l->n; i++)
		if (l->items[i].mark != NULL &&
		    ui_width(ui, l->items[i].mark) + 2 > markw)
			markw = ui_width(ui, l->items[i].mark) + 2;
	for (int r = 0; r < h; r++) {
		int row = l->top + r;
		const struct ui_item *it;
		enum theme_role role;
		int cx = x, left = w;
		bool sel;
		const char *lead;

		if (row >= l->nvis)
			break;
		it = &l->items[l->vis[row]];
		if (it->flags & UI_ITEM_HEADER) {
			ui_put(ui, y + r, x, w, TR_KEY,
			       it->text);
			continue;
		}
		sel = row == l->cur;
		role = sel ? TR_SELECTED :
		       (it->flags & UI_ITEM_DISABLED) ? TR_DISABLED : TR_TEXT;
		ui_fill(ui, y + r, x, w, sel ? TR_SELECTED : TR_TEXT);
		if (l->radio)
			lead = (it->flags & UI_ITEM_CHOSEN) ?
			       ui_glyph(ui, " (\xe2\x80\xa2) ", " (*) ") : " ( ) ";
		else
			lead = (it->flags & UI_ITEM_CHOSEN) ?
			       ui_glyph(ui, " \xe2\x9c\x93 ", " * ") : "   ";
		cx += ui_put(ui, y + r, cx, left, role, lead);
		left = w - (cx - x);
		{
			int tw = textw < left ? textw : left;
			int noteroom;

			ui_put(ui, y + r, cx, tw - 1 > 0 ? tw - 1 : tw, role,
			       it->text);
			cx += tw;
			left = w - (cx - x);
			noteroom = left - (it->mark ? markw : 0);
			if (it->note != NULL && noteroom > 3)
				ui_put(ui, y + r, cx, noteroom - 1,
				       sel ? TR_SELECTED : TR_DIM, it->note);
			if (it->mark != NULL && left > 3) {
				int mw = ui_width(ui, it->mark);
				int mx = x + w - mw - 1;

				if (mx < cx)
					mx = cx;
				ui_put(ui, y + r, mx, x + w - mx,
				       sel ? TR_SELECTED : TR_MARK, it->mark);
			}
		}
	}
	/* more above / below */
	if (l->top > 0)
		ui_put(ui, y, x + w - 1, 1, TR_DIM, ui_glyph(ui, "\xe2\x86\x91", "^"));
	if (l->top + h < l->nvis)
		ui_put(ui, y + h - 1, x + w - 1, 1, TR_DIM,
		       ui_glyph(ui, "\xe2\x86\x93", "v"));
}

/* ---- text input --------------------------------------------------- */

void
ui_input_init(struct ui_input *in, const char *text, bool masked)
{
	lineedit_init(&in->le, text);
	in->masked = masked;
	in->scroll = 0;
}

int
ui_input_key(struct ui_input *in, const struct ui_key *k)
{
	struct lineedit *le = &in->le;

	if (k->type == KEY_CODE_YES) {
		switch (k->ch) {
		case KEY_LEFT: lineedit_left(le); break;
		case KEY_RIGHT: lineedit_right(le); break;
		case KEY_HOME: lineedit_home(le); break;
		case KEY_END: lineedit_end(le); break;
		case KEY_BACKSPACE: lineedit_backspace(le); break;
		case KEY_DC: lineedit_delete(le); break;
		case KEY_ENTER: return UI_HANDLED | UI_ACCEPT;
		default: return 0;
		}
		return UI_HANDLED | UI_REDRAW;
	}
	if (k->type != OK)
		return 0;
	switch (k->ch) {
	case L'\r':
	case L'\n':
		return UI_HANDLED | UI_ACCEPT;
	case 27:
		return UI_HANDLED | UI_BACK;
	case 127:
	case 8:
		lineedit_backspace(le);
		break;
	case UI_CTRL('a'): lineedit_home(le); break;
	case UI_CTRL('e'): lineedit_end(le); break;
	case UI_CTRL('b'): lineedit_left(le); break;
	case UI_CTRL('f'): lineedit_right(le); break;
	case UI_CTRL('d'): lineedit_delete(le); break;
	case UI_CTRL('u'): lineedit_kill_start(le); break;
	case UI_CTRL('w'): lineedit_kill_word(le); break;
	default:
		if (lineedit_insert(le, (wchar_t)k->ch) != 0)
			return UI_HANDLED;
		break;
	}
	return UI_HANDLED | UI_REDRAW;
}

void
ui_input_draw(struct ui *ui, struct ui_input *in, int y, int x, int w)
{
	const struct lineedit *le = &in->le;
	wchar_t shown[LINEEDIT_MAX];
	int cx = x, i;

	if (w < 2)
		return;
	/* keep the cursor in view: scroll by characters */
	if (le->cur < in->scroll)
		in->scroll = le->cur;
	for (;;) {
		int width = 0;

		for (i = in->scroll; i < le->cur; i++)
			width += in->masked ? 1 : (wcwidth(le->buf[i]) > 0 ?
						   wcwidth(le->buf[i]) : 1);
		if (width < w - 1 || in->scroll >= le->cur)
			break;
		in->scroll++;
	}
	ui_fill(ui, y, x, w, TR_INPUT);
	attrset(ui_attr(ui, TR_INPUT));
	for (i = in->scroll; i < le->len; i++) {
		wchar_t c = in->masked ? (ui->utf8 ? L'\x2022' : L'*') : le->buf[i];
		int cw = wcwidth(c) > 0 ? wcwidth(c) : 1;

		if (cx + cw > x + w - 1)
			break;
		shown[0] = c;
		mvaddnwstr(y, cx, shown, 1);
		cx += cw;
	}
	attrset(A_NORMAL);
	cx = x;
	for (i = in->scroll; i < le->cur; i++)
		cx += in->masked ? 1 : (wcwidth(le->buf[i]) > 0 ?
					wcwidth(le->buf[i]) : 1);
	move(y, cx);
	curs_set(1);
}

/* ---- log pane ----------------------------------------------------- */

void
ui_log_init(struct ui_log *log, bool diff)
{
	memset(log, 0, sizeof(*log));
	log->diff = diff;
	log->follow = true;
}

void
ui_log_release(struct ui_log *log)
{
	strvec_clear(&log->lines);
	memset(log, 0, sizeof(*log));
}

void
ui_log_add(struct ui_log *log, const char *line)
{
	strvec_push(&log->lines, line);
}

int
ui_log_key(struct ui_log *log, const struct ui_key *k)
{
	int page = log->h > 1 ? log->h - 1 : 1;
	int top = log->top, n = (int)log->lines.n;

	if (k->type != KEY_CODE_YES)
		return 0;
	switch (k->ch) {
	case KEY_UP: top--; break;
	case KEY_DOWN: top++; break;
	case KEY_PPAGE: top -= page; break;
	case KEY_NPAGE: top += page; break;
	case KEY_HOME: top = 0; break;
	case KEY_END: top = n; break;
	case KEY_MOUSE: {
		MEVENT ev;

		if (getmouse(&ev) != OK)
			return UI_HANDLED;
		if (ev.bstate & BUTTON4_PRESSED)
			top -= 3;
#ifdef BUTTON5_PRESSED
		else if (ev.bstate & BUTTON5_PRESSED)
			top += 3;
#endif
		break;
	}
	default:
		return 0;
	}
	if (top > n - log->h)
		top = n - log->h;
	if (top < 0)
		top = 0;
	log->top = top;
	log->follow = top + log->h >= n;
	return UI_HANDLED | UI_REDRAW;
}

void
ui_log_draw(struct ui *ui, struct ui_log *log, int y, int x, int h, int w,
	    int spin)
{
	int rows = log->den > 0 || log->busy ? h - 1 : h;
	int n = (int)log->lines.n;

	if (rows < 0)
		rows = 0;
	log->h = rows;
	if (log->follow)
		log->top = n > rows ? n - rows : 0;
	for (int r = 0; r < rows && log->top + r < n; r++) {
		const char *s = log->lines.v[log->top + r];

		ui_put(ui, y + r, x, w, log->diff ? theme_diff_role(s) : TR_TEXT, s);
	}
	if (log->top > 0 && rows > 0)
		ui_put(ui, y, x + w - 1, 1, TR_DIM, ui_glyph(ui, "\xe2\x86\x91", "^"));
	if (log->top + rows < n && rows > 0)
		ui_put(ui, y + rows - 1, x + w - 1, 1, TR_DIM,
		       ui_glyph(ui, "\xe2\x86\x93", "v"));
	if (rows == h)
		return;
	/* the status row: spinner, bar, count */
	{
		int cx = x, barw;
		char count[32];

		if (log->busy)
			cx += ui_put(ui, y + rows, cx, 2, TR_KEY, ui_spinner(ui, spin)) + 1;
		else
			cx += ui_put(ui, y + rows, cx, 2, TR_OK,
				     ui_glyph(ui, "\xe2\x9c\x93", "+")) + 1;
		if (log->den <= 0)
			return;
		snprintf(count, sizeof(count), " %d/%d", log->num, log->den);
		barw = w - (cx - x) - (int)strlen(count) - 2;
		if (barw < 4)
			return;
		{
			int fill = log->num >= log->den ? barw :
				   (int)((long)barw * log->num / log->den);
			const wchar_t *full = ui->utf8 ? L"\x2588" : L"#";
			const wchar_t *empty = ui->utf8 ? L"\x2591" : L".";

			ui_put(ui, y + rows, cx, 1, TR_BORDER, "[");
			attrset(ui_attr(ui, TR_PROGRESS));
			for (int i = 0; i < fill; i++)
				mvaddnwstr(y + rows, cx + 1 + i, full, 1);
			attrset(ui_attr(ui, TR_DIM));
			for (int i = fill; i < barw; i++)
				mvaddnwstr(y + rows, cx + 1 + i, empty, 1);
			attrset(A_NORMAL);
			ui_put(ui, y + rows, cx + 1 + barw, 1, TR_BORDER, "]");
			ui_put(ui, y + rows, cx + 2 + barw, (int)strlen(count),
			       TR_DIM, count);
		}
	}
}

/* ---- confirm dialog ----------------------------------------------- */

void
ui_confirm_open(struct ui_confirm *c, const char *title, const char *text)
{
	c->active = true;
	c->title = title;
	c->text = text;
	c->focus = 1;
	c->width = 0;
}

int
ui_confirm_key(struct ui_confirm *c, const struct ui_key *k)
{
	if (k->type == KEY_CODE_YES) {
		switch (k->ch) {
		case KEY_LEFT:
		case KEY_RIGHT:
		case KEY_BTAB:
			c->focus = !c->focus;
			return UI_HANDLED | UI_REDRAW;
		case KEY_ENTER:
			c->active = false;
			return UI_HANDLED | (c->focus == 0 ? UI_ACCEPT : UI_BACK);
		default:
			return UI_HANDLED;
		}
	}
	if (k->type != OK)
		return 0;
	switch (k->ch) {
	case L'y':
	case L'Y':
		c->active = false;
		return UI_HANDLED | UI_ACCEPT;
	case L'n':
	case L'N':
	case 27:
		c->active = false;
		return UI_HANDLED | UI_BACK;
	case L'\t':
		c->focus = !c->focus;
		return UI_HANDLED | UI_REDRAW;
	case L'\r':
	case L'\n':
		c->active = false;
		return UI_HANDLED | (c->focus == 0 ? UI_ACCEPT : UI_BACK);
	default:
		return UI_HANDLED;	/* a dialog swallows other keys */
	}
}

void
ui_confirm_draw(struct ui *ui, const struct ui_confirm *c)
{
	int want = c->width > 0 ? c->width : 50;
	int w = ui->cols - 4 < want ? ui->cols - 4 : want;
	int tr, h, y, x;

	if (!c->active || w < 10)
		return;
	tr = ui_wrap_rows(ui, w - 4, c->text);
	h = tr + 4;
	if (h > ui->rows)
		h = ui->rows;
	y = (ui->rows - h) / 2;
	x = (ui->cols - w) / 2;
	ui_box(ui, y, x, h, w, c->title);
	ui_wrap(ui, y + 1, x + 2, w - 4, h - 3 > 0 ? h - 3 : 1, TR_TEXT, c->text);
	{
		int by = y + h - 2, bx = x + w / 2 - 12;

		ui_put(ui, by, bx, 10, c->focus == 0 ? TR_SELECTED : TR_TEXT,
		       " [y] Yes ");
		ui_put(ui, by, bx + 14, 10, c->focus == 1 ? TR_SELECTED : TR_TEXT,
		       " [n] No ");
	}
}
