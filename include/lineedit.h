/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * lineedit.h - the editing logic of a one-line text input (no curses).
 *
 * The text is kept as wide characters so that the cursor moves by
 * character, never into the middle of a UTF-8 sequence. Invariants:
 * 0 <= cur <= len < LINEEDIT_MAX and buf[len] == L'\0'. Input beyond the
 * capacity is refused (lineedit_insert returns RPX_EINVAL), never cut.
 */
#ifndef RPX_LINEEDIT_H
#define RPX_LINEEDIT_H

#include <stdbool.h>
#include <wchar.h>

#define LINEEDIT_MAX 256

struct lineedit {
	wchar_t buf[LINEEDIT_MAX];
	int len;
	int cur;
};

/* Start with a UTF-8 text (NULL: empty); the cursor goes to the end. */
void lineedit_init(struct lineedit *le, const char *utf8);
/* Insert a printable character at the cursor: 0 or RPX_EINVAL. */
int lineedit_insert(struct lineedit *le, wchar_t c);
void lineedit_left(struct lineedit *le);
void lineedit_right(struct lineedit *le);
void lineedit_home(struct lineedit *le);
void lineedit_end(struct lineedit *le);
/* Delete before the cursor (Backspace) / under it (Delete). */
void lineedit_backspace(struct lineedit *le);
void lineedit_delete(struct lineedit *le);
/* Ctrl-U: delete from the start to the cursor. */
void lineedit_kill_start(struct lineedit *le);
/* Ctrl-W: delete the word before the cursor, with any spaces between
 * that word and the cursor. */
void lineedit_kill_word(struct lineedit *le);
/* The text as UTF-8, malloc'd (characters the locale cannot encode are
 * written as '?'). */
char *lineedit_utf8(const struct lineedit *le);

#endif
