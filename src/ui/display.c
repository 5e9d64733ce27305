/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* display.c - curses start and end, signals, colours, text drawing. */
#include "tui.h"

#include <langinfo.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wctype.h>

/* The only mutable file-scope state: what the signal handlers set. */
static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t interrupted;

static void
on_stop(int sig)
{
	stop_signal = sig;
}

static void
on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

int
ui_stop_signal(void)
{
	return (int)stop_signal;
}

bool
ui_take_interrupt(void)
{
	if (!interrupted)
		return false;
	interrupted = 0;
	return true;
}

static void
set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a read ends at once */
	sigaction(sig, &sa, NULL);
}

static short
clamp_color(short c, attr_t *extra)
{
	if (c < 0)
		return -1;
	if (c >= COLORS && c >= 8 && c < 16) {
		*extra |= A_BOLD;	/* bright-X on an 8-colour terminal */
		return (short)(c - 8);
	}
	if (c >= COLORS)
		return (short)(c % 8);
	return c;
}

static void
setup_colors(struct ui *ui)
{
	ui->color = false;
	if (!ui->theme.color)
		return;
	if (!has_colors() || start_color() == ERR) {
		theme_monochrome(&ui->theme);
		return;
	}
	use_default_colors();
	for (int i = 0; i < TR_COUNT; i++) {
		attr_t extra = 0;
		short fg = clamp_color(ui->theme.role[i].fg, &extra);
		short bg = clamp_color(ui->theme.role[i].bg, &extra);

		init_pair((short)(i + 1), fg, bg);
		if (extra & A_BOLD)
			ui->theme.role[i].attrs |= THEME_BOLD;
	}
	ui->color = true;
}

int
ui_start(struct ui *ui, const struct theme *theme, const char **why)
{
	const char *codeset = nl_langinfo(CODESET);

	*why = "";
	ui->theme = *theme;
	ui->utf8 = codeset != NULL && (strcmp(codeset, "UTF-8") == 0 ||
				       strcmp(codeset, "utf8") == 0);
	/* Ours before curses': then ncurses leaves these signals to us. */
	stop_signal = 0;
	interrupted = 0;
	set_handler(SIGINT, on_interrupt);
	set_handler(SIGTERM, on_stop);
	set_handler(SIGHUP, on_stop);
	ui->scr = newterm(NULL, stdout, stdin);
	if (ui->scr == NULL) {
		*why = "cannot use this terminal (is TERM set to a known terminal type?)";
		set_handler(SIGINT, SIG_DFL);
		set_handler(SIGTERM, SIG_DFL);
		set_handler(SIGHUP, SIG_DFL);
		return RPX_EIO;
	}
	set_term(ui->scr);
	ui->started = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	setup_colors(ui);
	ui->mouse = mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			      | BUTTON5_PRESSED
#endif
			      , NULL) != 0;
	mouseinterval(0);
	getmaxyx(stdscr, ui->rows, ui->cols);
	return 0;
}

void
ui_end(struct ui *ui)
{
	if (!ui->started)
		return;
	ui->started = false;
	mousemask(0, NULL);
	curs_set(1);
	endwin();
	delscreen(ui->scr);
	ui->scr = NULL;
	set_handler(SIGINT, SIG_DFL);
	set_handler(SIGTERM, SIG_DFL);
	set_handler(SIGHUP, SIG_DFL);
}

void
ui_die(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	ui_end(ui);
	fflush(stdout);
	fputs("rpi-cross: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(RPX_EXIT_FAIL);
}

void
ui_read_key(struct ui *ui, struct ui_key *k, int timeout_ms)
{
	wint_t ch = 0;

	(void)ui;
	wtimeout(stdscr, timeout_ms);
	k->type = wget_wch(stdscr, &ch);
	k->ch = ch;
}

bool
ui_key_is(const struct ui_key *k, wint_t ch)
{
	return k->type == OK && k->ch == ch;
}

bool
ui_key_code(const struct ui_key *k, int code)
{
	return k->type == KEY_CODE_YES && k->ch == (wint_t)code;
}

bool
ui_too_small(struct ui *ui)
{
	getmaxyx(stdscr, ui->rows, ui->cols);
	return ui->rows < UI_MIN_ROWS || ui->cols < UI_MIN_COLS;
}

attr_t
ui_attr(const struct ui *ui, enum theme_role r)
{
	unsigned a = ui->theme.role[r].attrs;
	attr_t out = A_NORMAL;

	if (a & THEME_BOLD)
		out |= A_BOLD;
	if (a & THEME_DIM)
		out |= A_DIM;
	if (a & THEME_UNDERLINE)
		out |= A_UNDERLINE;
	if (a & THEME_REVERSE)
		out |= A_REVERSE;
	if (a & THEME_STANDOUT)
		out |= A_STANDOUT;
	if (ui->color)
		out |= COLOR_PAIR(r + 1);
	return out;
}

const char *
ui_glyph(const struct ui *ui, const char *utf8, const char *ascii)
{
	return ui->utf8 ? utf8 : ascii;
}

/*
 * Text the locale cannot decode (UTF-8 punctuation in a C locale): decode
 * the UTF-8 sequence at s by hand and give an ASCII look-alike, or '?'.
 * *len receives the sequence's length.
 */
static wchar_t
ascii_stand_in(const char *s, int *len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp = 0;
	int n = 1;

	if (u[0] >= 0xc0 && u[0] < 0xe0 && (u[1] & 0xc0) == 0x80) {
		cp = ((u[0] & 0x1fu) << 6) | (u[1] & 0x3fu);
		n = 2;
	} else if (u[0] >= 0xe0 && u[0] < 0xf0 && (u[1] & 0xc0) == 0x80 &&
		   (u[2] & 0xc0) == 0x80) {
		cp = ((u[0] & 0x0fu) << 12) | ((u[1] & 0x3fu) << 6) | (u[2] & 0x3fu);
		n = 3;
	} else {
		while (((unsigned char)s[n] & 0xc0) == 0x80)
			n++;
	}
	*len = n;
	if (cp >= 0x2010 && cp <= 0x2015)
		return L'-';	/* dashes */
	if (cp == 0x2018 || cp == 0x2019)
		return L'\'';
	if (cp == 0x201c || cp == 0x201d)
		return L'"';
	if (cp == 0x00d7)
		return L'x';
	if (cp == 0x2192 || cp == 0x203a)
		return L'>';
	if (cp == 0x2022)
		return L'*';
	return L'?';
}

/*
 * UTF-8 (or the locale's encoding) to wide characters, at most max-1 of
 * them. Sequences that do not decode become one ASCII stand-in each;
 * control characters become spaces.
 */
static int
widen(const char *s, wchar_t *out, int max)
{
	mbstate_t st;
	int n = 0;

	memset(&st, 0, sizeof(st));
	while (*s != '\0' && n < max - 1) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, MB_CUR_MAX, &st);

		if (r == (size_t)-1 || r == (size_t)-2) {
			int len;

			memset(&st, 0, sizeof(st));
			out[n++] = ascii_stand_in(s, &len);
			s += len;
			continue;
		}
		if (r == 0)
			break;
		s += r;
		out[n++] = (wc < 0x20 && wc != L'\n') ? L' ' : wc;
	}
	out[n] = L'\0';
	return n;
}

static int
wcw(wchar_t c)
{
	int w = wcwidth(c);

	return w < 0 ? 1 : w;
}

int
ui_width(const struct ui *ui, const char *s)
{
	wchar_t buf[1024];
	int n = widen(s, buf, (int)ARRAY_SIZE(buf)), w = 0;

	(void)ui;
	for (int i = 0; i < n; i++)
		w += wcw(buf[i]);
	return w;
}

/* Draw wide text clipped to w columns, with an ellipsis when cut. */
static int
put_wide(struct ui *ui, int y, int x, int w, attr_t a, const wchar_t *s,
	 int n)
{
	int used = 0, i;
	const wchar_t *ell = ui->utf8 ? L"\x2026" : L"~";

	if (w <= 0 || y < 0 || y >= ui->rows || x >= ui->cols)
		return 0;
	if (x + w > ui->cols)
		w = ui->cols - x;
	for (i = 0; i < n; i++) {
		int cw = wcw(s[i]);

		if (used + cw > w)
			break;
		used += cw;
	}
	if (i < n) {	/* cut: make room for the ellipsis */
		while (i > 0 && used + 1 > w) {
			i--;
			used -= wcw(s[i]);
		}
	}
	attrset(a);
	mvaddnwstr(y, x, s, i);
	if (i < n && used < w) {
		addnwstr(ell, 1);
		used++;
	}
	attrset(A_NORMAL);
	return used;
}

int
ui_put_attr(struct ui *ui, int y, int x, int w, attr_t a, const char *s)
{
	wchar_t buf[1024];
	int n = widen(s, buf, (int)ARRAY_SIZE(buf));

	return put_wide(ui, y, x, w, a, buf, n);
}

int
ui_put(struct ui *ui, int y, int x, int w, enum theme_role r, const char *s)
{
	return ui_put_attr(ui, y, x, w, ui_attr(ui, r), s);
}

void
ui_fill(struct ui *ui, int y, int x, int w, enum theme_role r)
{
	if (y < 0 || y >= ui->rows || w <= 0)
		return;
	if (x + w > ui->cols)
		w = ui->cols - x;
	attrset(ui_attr(ui, r));
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

/*
 * Lay text out in width w: calls emit(line start, length) per row and
 * returns the number of rows (limit rows at most; -1: no limit).
 */
static int
wrap_layout(const wchar_t *s, int n, int w, int limit,
	    void (*emit)(void *arg, int row, const wchar_t *p, int len,
			 bool cut),
	    void *arg)
{
	int row = 0, i = 0;

	if (w <= 0)
		return 0;
	while (i < n && (limit < 0 || row < limit)) {
		int start = i, used = 0, brk = -1, end;

		while (i < n && s[i] != L'\n') {
			int cw = wcw(s[i]);

			if (used + cw > w)
				break;
			if (s[i] == L' ')
				brk = i;
			used += cw;
			i++;
		}
		if (i < n && s[i] != L'\n' && brk > start) {
			end = brk;	/* break at the last space */
			i = brk + 1;
		} else {
			end = i;
			if (i < n && s[i] == L'\n')
				i++;
		}
		while (i < n && s[i] == L' ' && end != i)
			i++;	/* no space at the start of the next row */
		if (emit != NULL)
			emit(arg, row, s + start, end - start,
			     limit >= 0 && row == limit - 1 && i < n);
		row++;
	}
	return row;
}

struct wrap_draw {
	struct ui *ui;
	int y, x, w;
	attr_t a;
};

static void
wrap_emit(void *arg, int row, const wchar_t *p, int len, bool cut)
{
	struct wrap_draw *d = arg;
	int used = put_wide(d->ui, d->y + row, d->x, d->w, d->a, p, len);

	if (cut && d->w > 0) {
		/* the last row cannot hold the rest: end it with an ellipsis */
		int ex = used < d->w ? used : d->w - 1;

		put_wide(d->ui, d->y + row, d->x + ex, 1, d->a,
			 d->ui->utf8 ? L"\x2026" : L"~", 1);
	}
}

int
ui_wrap(struct ui *ui, int y, int x, int w, int maxrows, enum theme_role r,
	const char *s)
{
	wchar_t buf[2048];
	int n = widen(s, buf, (int)ARRAY_SIZE(buf));
	struct wrap_draw d = { ui, y, x, w, ui_attr(ui, r) };

	if (maxrows <= 0)
		return 0;
	return wrap_layout(buf, n, w, maxrows, wrap_emit, &d);
}

int
ui_wrap_rows(struct ui *ui, int w, const char *s)
{
	wchar_t buf[2048];
	int n = widen(s, buf, (int)ARRAY_SIZE(buf));

	(void)ui;
	return wrap_layout(buf, n, w, -1, NULL, NULL);
}

void
ui_box(struct ui *ui, int y, int x, int h, int w, const char *title)
{
	attr_t a = ui_attr(ui, TR_BORDER);

	if (h < 2 || w < 2)
		return;
	for (int r = y; r < y + h; r++)
		ui_fill(ui, r, x, w, TR_TEXT);
	attrset(a);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
	if (title != NULL && w > 6) {
		ui_put(ui, y, x + 2, 1, TR_BORDER, " ");
		int tw = ui_put(ui, y, x + 3, w - 6, TR_TITLE, title);
		ui_put(ui, y, x + 3 + tw, 1, TR_BORDER, " ");
	}
}

void
ui_help_line(struct ui *ui, const char *const *pairs)
{
	int y = ui->rows - 1, x = 1;

	ui_fill(ui, y, 0, ui->cols, TR_TEXT);
	for (int i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2) {
		int need = ui_width(ui, pairs[i]) + 1 + ui_width(ui, pairs[i + 1]);

		if (x + need >= ui->cols)
			break;
		x += ui_put(ui, y, x, ui->cols - x, TR_KEY, pairs[i]);
		x += 1;
		x += ui_put(ui, y, x, ui->cols - x, TR_DIM, pairs[i + 1]);
		x += 2;
	}
}

const char *
ui_spinner(const struct ui *ui, int i)
{
	static const char *const braille[] = {
		"\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9", "\xe2\xa0\xb8",
		"\xe2\xa0\xbc", "\xe2\xa0\xb4", "\xe2\xa0\xa6", "\xe2\xa0\xa7",
		"\xe2\xa0\x87", "\xe2\xa0\x8f",
	};
	static const char *const ascii[] = { "|", "/", "-", "\\" };

	if (i < 0)
		i = -i;
	if (ui->utf8)
		return braille[i % (int)ARRAY_SIZE(braille)];
	return ascii[i % (int)ARRAY_SIZE(ascii)];
}
