/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* lineedit.c - one-line text editing on wide characters (see lineedit.h). */
#include "lineedit.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "rpx.h"
#include "strbuf.h"

void
lineedit_init(struct lineedit *le, const char *utf8)
{
	mbstate_t st;
	const char *p = utf8;
	size_t n;

	memset(le, 0, sizeof(*le));
	if (utf8 == NULL)
		return;
	memset(&st, 0, sizeof(st));
	n = mbsrtowcs(le->buf, &p, LINEEDIT_MAX - 1, &st);
	if (n == (size_t)-1)
		n = 0;
	le->buf[n] = L'\0';
	le->len = (int)n;
	le->cur = le->len;
}

int
lineedit_insert(struct lineedit *le, wchar_t c)
{
	if (le->len + 1 >= LINEEDIT_MAX || c == L'\0' || !iswprint((wint_t)c))
		return RPX_EINVAL;
	memmove(le->buf + le->cur + 1, le->buf + le->cur,
		sizeof(wchar_t) * (size_t)(le->len - le->cur + 1));
	le->buf[le->cur] = c;
	le->len++;
	le->cur++;
	return 0;
}

void
lineedit_left(struct lineedit *le)
{
	if (le->cur > 0)
		le->cur--;
}

void
lineedit_right(struct lineedit *le)
{
	if (le->cur < le->len)
		le->cur++;
}

void
lineedit_home(struct lineedit *le)
{
	le->cur = 0;
}

void
lineedit_end(struct lineedit *le)
{
	le->cur = le->len;
}

/* Remove buf[from..to). */
static void
cut(struct lineedit *le, int from, int to)
{
	memmove(le->buf + from, le->buf + to,
		sizeof(wchar_t) * (size_t)(le->len - to + 1));
	le->len -= to - from;
	le->cur = from;
}

void
lineedit_backspace(struct lineedit *le)
{
	if (le->cur > 0)
		cut(le, le->cur - 1, le->cur);
}

void
lineedit_delete(struct lineedit *le)
{
	int at = le->cur;

	if (at < le->len) {
		cut(le, at, at + 1);
		le->cur = at;
	}
}

void
lineedit_kill_start(struct lineedit *le)
{
	cut(le, 0, le->cur);
}

void
lineedit_kill_word(struct lineedit *le)
{
	int from = le->cur;

	while (from > 0 && iswspace((wint_t)le->buf[from - 1]))
		from--;
	while (from > 0 && !iswspace((wint_t)le->buf[from - 1]))
		from--;
	cut(le, from, le->cur);
}

char *
lineedit_utf8(const struct lineedit *le)
{
	struct strbuf sb = STRBUF_INIT;
	mbstate_t st;
	char mb[MB_LEN_MAX];

	memset(&st, 0, sizeof(st));
	for (int i = 0; i < le->len; i++) {
		size_t n = wcrtomb(mb, le->buf[i], &st);

		if (n == (size_t)-1) {
			memset(&st, 0, sizeof(st));
			strbuf_addch(&sb, '?');
		} else {
			strbuf_add(&sb, mb, n);
		}
	}
	return strbuf_detach(&sb, NULL);
}
