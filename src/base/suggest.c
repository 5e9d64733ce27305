/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* suggest.c - edit distance and "did you mean" (see suggest.h). */
#include "suggest.h"

#include <stdlib.h>
#include <string.h>

#include "rpx.h"
#include "strbuf.h"

static unsigned char
fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * The usual dynamic programme over three rows (the swap looks two rows
 * back): d[i][j] is the distance between the first i bytes of a and the
 * first j of b. Names are short, so the O(len a * len b) cost is nothing.
 */
size_t
rpx_edit_distance(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;
	size_t la = strlen(a), lb = strlen(b);
	size_t *prev2 = xcalloc(lb + 1, sizeof(size_t));
	size_t *prev = xcalloc(lb + 1, sizeof(size_t));
	size_t *cur = xcalloc(lb + 1, sizeof(size_t));
	size_t d;

	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *t;

		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = fold(x[i - 1]) == fold(y[j - 1]) ? 0 : 1;

			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1,
				      prev[j - 1] + cost);
			if (i > 1 && j > 1 &&
			    fold(x[i - 1]) == fold(y[j - 2]) &&
			    fold(x[i - 2]) == fold(y[j - 1]) &&
			    prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	d = prev[lb];
	free(prev2);
	free(prev);
	free(cur);
	return d;
}

size_t
suggest_limit(size_t len)
{
	size_t lim = len / 3;

	if (lim < 1)
		lim = 1;
	if (lim > 2)
		lim = 2;
	/* as many edits as letters would turn anything into anything */
	if (lim >= len)
		lim = len > 0 ? len - 1 : 0;
	return lim;
}

void
suggest_init(struct suggest *s, const char *typed)
{
	memset(s, 0, sizeof(*s));
	s->typed = typed;
	s->limit = suggest_limit(strlen(typed));
	s->best = s->limit + 1;
}

void
suggest_add(struct suggest *s, const char *name)
{
	size_t d;

	if (name == NULL || strcmp(name, s->typed) == 0)
		return;
	d = rpx_edit_distance(s->typed, name);
	if (d > s->limit || d > s->best)
		return;
	if (d < s->best) {
		s->best = d;
		s->n = 0;
	}
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return;
	ALLOC_GROW(s->names, s->n + 1, s->alloc);
	s->names[s->n++] = name;
}

char *
suggest_text(const struct suggest *s, const char *prefix)
{
	struct strbuf sb = STRBUF_INIT;

	if (s->n == 0)
		return NULL;
	strbuf_adds(&sb, "Did you mean ");
	for (size_t i = 0; i < s->n; i++) {
		if (i > 0)
			strbuf_adds(&sb, i + 1 == s->n ? " or " : ", ");
		strbuf_addf(&sb, "'%s%s'", prefix ? prefix : "", s->names[i]);
	}
	strbuf_addch(&sb, '?');
	return strbuf_detach(&sb, NULL);
}

void
suggest_release(struct suggest *s)
{
	free(s->names);
	s->names = NULL;
	s->n = s->alloc = 0;
}
