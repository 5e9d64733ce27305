/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * termtext.h - what a program wrote to a terminal, as lines of text.
 *
 * A program that sees a terminal (through a pseudo-terminal: proc.h's
 * pty mode) draws its progress bar in place: '\r' goes back to the start
 * of the line, ESC [ K clears it, ESC [ N A moves up to redraw a block.
 * termtext replays those moves on a list of lines, so that a caller that
 * is not a terminal (the wizard's task area, a log) shows the screen as
 * the program meant it, the bar updating in place, with colours and other
 * escape sequences dropped.
 *
 *	struct termtext tt = TERMTEXT_INIT;
 *	termtext_feed(&tt, buf, n);          // as the bytes come
 *	for (size_t i = 0; i < tt.lines.n; i++) puts(tt.lines.v[i]);
 *	termtext_release(&tt);
 *
 * Only the last TERMTEXT_MAX_LINES lines are kept. Columns count bytes
 * (a redraw after '\r' rewrites the whole line, which is what progress
 * bars do): text written at a column replaces the rest of the line.
 */
#ifndef RPX_TERMTEXT_H
#define RPX_TERMTEXT_H

#include <stddef.h>

#include "strbuf.h"
#include "strvec.h"

#define TERMTEXT_MAX_LINES 500

struct termtext {
	struct strvec lines;	/* the screen so far; the last may be partial */
	size_t row;		/* the cursor's line (index into lines) */
	size_t col;		/* the cursor's byte column */
	int esc;		/* 0 text, 1 after ESC, 2 in CSI, 3 in OSC */
	struct strbuf seq;	/* the CSI parameters read so far */
};

#define TERMTEXT_INIT { STRVEC_INIT, 0, 0, 0, STRBUF_INIT }

void termtext_feed(struct termtext *tt, const char *buf, size_t n);
/* The last line that is not blank, or "" (a one-line summary). */
const char *termtext_last(const struct termtext *tt);
void termtext_release(struct termtext *tt);

#endif
