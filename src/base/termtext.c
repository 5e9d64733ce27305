/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* termtext.c - a terminal's output replayed as lines (see termtext.h). */
#include "termtext.h"

#include <stdlib.h>
#include <string.h>

#include "rpx.h"

/* Make sure line tt->row exists. */
static char *
cur_line(struct termtext *tt)
{
	while (tt->lines.n <= tt->row)
		strvec_push(&tt->lines, "");
	return tt->lines.v[tt->row];
}

static void
set_line(struct termtext *tt, char *s)
{
	free(tt->lines.v[tt->row]);
	tt->lines.v[tt->row] = s;
}

/* Keep the last TERMTEXT_MAX_LINES lines. */
static void
trim(struct termtext *tt)
{
	size_t drop;

	if (tt->lines.n <= TERMTEXT_MAX_LINES)
		return;
	drop = tt->lines.n - TERMTEXT_MAX_LINES;
	for (size_t i = 0; i < drop; i++)
		free(tt->lines.v[i]);
	memmove(tt->lines.v, tt->lines.v + drop,
		(tt->lines.n - drop + 1) * sizeof(*tt->lines.v));
	tt->lines.n -= drop;
	tt->row = tt->row >= drop ? tt->row - drop : 0;
}

/* Text from the cursor on: the rest of the line is replaced. */
static void
put_text(struct termtext *tt, const char *s, size_t n)
{
	const char *line = cur_line(tt);
	size_t len = strlen(line), keep = tt->col < len ? tt->col : len;
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, line, keep);
	while (sb.len < tt->col)
		strbuf_addch(&sb, ' ');
	strbuf_add(&sb, s, n);
	tt->col = sb.len;
	set_line(tt, strbuf_detach(&sb, NULL));
}

static int
param(const struct termtext *tt, int dflt)
{
	int v = atoi(tt->seq.buf != NULL ? tt->seq.buf : "");

	return v > 0 ? v : dflt;
}

/* The final byte of ESC [ params: the moves that matter for text. */
static void
csi(struct termtext *tt, char final)
{
	const char *line;
	int n;

	switch (final) {
	case 'K':	/* erase in line: 0 to the end, 1 to the start, 2 all */
		line = cur_line(tt);
		n = param(tt, 0);
		if (n == 0 && tt->col < strlen(line))
			set_line(tt, xasprintf("%.*s", (int)tt->col, line));
		else if (n == 2)
			set_line(tt, xstrdup(""));
		break;
	case 'A':	/* up */
		n = param(tt, 1);
		tt->row = tt->row > (size_t)n ? tt->row - (size_t)n : 0;
		break;
	case 'B':	/* down */
		tt->row += (size_t)param(tt, 1);
		cur_line(tt);
		break;
	case 'G':	/* to column */
		tt->col = (size_t)param(tt, 1) - 1;
		break;
	case 'J':	/* erase below (0) or all (2) */
		n = param(tt, 0);
		if (n == 2) {
			strvec_clear(&tt->lines);
			tt->row = 0;
			tt->col = 0;
			break;
		}
		cur_line(tt);
		while (tt->lines.n > tt->row + 1)
			strvec_pop(&tt->lines);
		line = tt->lines.v[tt->row];
		if (tt->col < strlen(line))
			set_line(tt, xasprintf("%.*s", (int)tt->col, line));
		break;
	default:	/* colours (m), cursor shape, modes: not text */
		break;
	}
}

/* One byte inside an escape sequence. */
static void
escape_byte(struct termtext *tt, char c)
{
	switch (tt->esc) {
	case 1:
		tt->esc = c == '[' ? 2 : c == ']' ? 3 : 0;
		strbuf_reset(&tt->seq);
		break;
	case 2:
		if (c >= 0x40 && c <= 0x7e) {
			csi(tt, c);
			tt->esc = 0;
		} else if (tt->seq.len < 32) {
			strbuf_addch(&tt->seq, c);
		}
		break;
	default:	/* OSC: up to BEL or ESC \ */
		if (c == '\a')
			tt->esc = 0;
		else if (c == 0x1b)
			tt->esc = 1;
		break;
	}
}

void
termtext_feed(struct termtext *tt, const char *buf, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)buf[i];
		size_t run = 0;

		if (tt->esc != 0) {
			escape_byte(tt, (char)c);
			i++;
			continue;
		}
		/* a run of printable bytes (UTF-8 included) goes in at once */
		while (i + run < n && ((unsigned char)buf[i + run] >= 0x20 &&
				       (unsigned char)buf[i + run] != 0x7f))
			run++;
		if (run > 0) {
			put_text(tt, buf + i, run);
			i += run;
			continue;
		}
		i++;
		switch (c) {
		case 0x1b: tt->esc = 1; break;
		case '\r': tt->col = 0; break;
		case '\n':
			cur_line(tt);
			tt->row++;
			tt->col = 0;
			cur_line(tt);
			trim(tt);
			break;
		case '\b': if (tt->col > 0) tt->col--; break;
		case '\t': put_text(tt, " ", 1); break;
		default: break;	/* other control bytes: nothing to show */
		}
	}
}

const char *
termtext_last(const struct termtext *tt)
{
	for (size_t i = tt->lines.n; i-- > 0;)
		if (tt->lines.v[i][strspn(tt->lines.v[i], " ")] != '\0')
			return tt->lines.v[i];
	return "";
}

void
termtext_release(struct termtext *tt)
{
	strvec_clear(&tt->lines);
	strbuf_release(&tt->seq);
	tt->row = 0;
	tt->col = 0;
	tt->esc = 0;
}
