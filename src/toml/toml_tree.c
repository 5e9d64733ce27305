/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toml_tree.c - what the parser and the queries share, below both: the
 * document's arena, table children with their hash index, byte offset to
 * line:column, and date/time scanning.
 */
#include "toml.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "toml_int.h"

#define BLK_SIZE ((size_t)64 * 1024)
#define BLK_HDR ((sizeof(struct toml_blk) + 15) & ~(size_t)15)

static char *
arena_raw(struct toml_arena *a, size_t n, size_t align)
{
	struct toml_blk *b = a->head;
	size_t cap, at = 0;

	if (b != NULL)
		at = (b->used + align - 1) & ~(align - 1);
	if (b == NULL || at > b->cap || b->cap - at < n) {
		cap = n > BLK_SIZE / 4 ? n : BLK_SIZE - BLK_HDR;
		b = xmalloc(BLK_HDR + cap);
		b->cap = cap;
		b->used = 0;
		at = 0;
		if (n > BLK_SIZE / 4 && a->head != NULL) {
			/* a big one-off: keep filling the current block */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	b->used = at + n;
	return (char *)b + BLK_HDR + at;
}

void *
toml_arena_alloc(struct toml_arena *a, size_t n)
{
	char *p = arena_raw(a, n, 8);

	memset(p, 0, n);
	return p;
}

const char *
toml_arena_str(struct toml_arena *a, const char *s, size_t n)
{
	char *p = arena_raw(a, n + 1, 1);

	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
toml_arena_release(struct toml_arena *a)
{
	struct toml_blk *b = a->head;
	struct toml_blk *next = NULL;

	while (b != NULL) {
		next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

void
toml_pos(const char *text, size_t len, size_t bom, size_t off, int *line,
	 int *col)
{
	size_t i, ls = 0;
	int l = 1, c = 1;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			l++;
			ls = i + 1;
		}
	}
	i = ls;
	if (l == 1 && i < bom)
		i = bom;
	for (; i < off; i++) {
		if (((unsigned char)text[i] & 0xC0) != 0x80)
			c++;
	}
	*line = l;
	*col = c;
}

static uint32_t
key_hash(const char *key, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 16777619u;
	}
	return h;
}

static bool
key_eq(const struct toml_node *n, const char *key, size_t len)
{
	return n->key_len == len && memcmp(n->key, key, len) == 0;
}

struct toml_node *
toml_tab_find(const struct toml_node *t, const char *key, size_t len)
{
	const struct toml_tab *tab = t->u.c.tab;
	struct toml_node *n = NULL;
	uint32_t i;

	if (tab != NULL && tab->idx != NULL) {
		i = key_hash(key, len) & (tab->idx_cap - 1);
		while ((n = tab->idx[i]) != NULL) {
			if (key_eq(n, key, len))
				return n;
			i = (i + 1) & (tab->idx_cap - 1);
		}
		return NULL;
	}
	for (n = t->u.c.first; n != NULL; n = n->next) {
		if (key_eq(n, key, len))
			return n;
	}
	return NULL;
}

static void
idx_put(struct toml_tab *tab, struct toml_node *n)
{
	uint32_t i = key_hash(n->key, n->key_len) & (tab->idx_cap - 1);

	while (tab->idx[i] != NULL)
		i = (i + 1) & (tab->idx_cap - 1);
	tab->idx[i] = n;
}

void
toml_tab_add(struct toml_arena *a, struct toml_node *t,
	     struct toml_node *child)
{
	struct toml_tab *tab = t->type == TOML_TABLE ? t->u.c.tab : NULL;
	struct toml_node *n = NULL;
	struct toml_node **last = tab != NULL ? &tab->last : &t->u.c.last;

	child->parent = t;
	child->next = NULL;
	if (*last != NULL)
		(*last)->next = child;
	else
		t->u.c.first = child;
	*last = child;
	if (tab == NULL)
		return;
	tab->n++;
	if (tab->n < 8)
		return;
	if (tab->idx == NULL || tab->n * 2 > tab->idx_cap) {
		tab->idx_cap = tab->idx_cap ? tab->idx_cap * 2 : 32;
		tab->idx = toml_arena_alloc(a, tab->idx_cap * sizeof(*tab->idx));
		for (n = t->u.c.first; n != NULL; n = n->next)
			idx_put(tab, n);
		return;
	}
	idx_put(tab, child);
}

size_t
toml_raw_key_len(const char *text, size_t len, size_t off)
{
	size_t i = off;
	char q = i < len ? text[i] : '\0';

	if (q == '"' || q == '\'') {
		for (i++; i < len && text[i] != q; i++) {
			if (q == '"' && text[i] == '\\')
				i++;
		}
		return i + 1 - off;
	}
	while (i < len && ((text[i] >= 'A' && text[i] <= 'Z') ||
			   (text[i] >= 'a' && text[i] <= 'z') ||
			   (text[i] >= '0' && text[i] <= '9') ||
			   text[i] == '_' || text[i] == '-'))
		i++;
	return i - off;
}

/* ---- date and time ---- */

static int
digits(const char *s, size_t len, size_t at, int n, int *v)
{
	int i, x = 0;

	for (i = 0; i < n; i++) {
		if (at + (size_t)i >= len || s[at + i] < '0' || s[at + i] > '9')
			return -1;
		x = x * 10 + (s[at + i] - '0');
	}
	*v = x;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

static const char *
time_scan(const char *s, size_t len, size_t *at, struct toml_datetime *dt)
{
	size_t i = *at;

	if (digits(s, len, i, 2, &dt->hour) < 0 || i + 2 >= len ||
	    s[i + 2] != ':' || digits(s, len, i + 3, 2, &dt->minute) < 0)
		return "malformed time (expected HH:MM:SS)";
	if (i + 5 >= len || s[i + 5] != ':' ||
	    digits(s, len, i + 6, 2, &dt->second) < 0) {
		*at = i + 5;
		return "malformed time (seconds are required)";
	}
	if (dt->hour > 23 || dt->minute > 59 || dt->second > 60)
		return "time out of range";
	i += 8;
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9') {
			*at = i;
			return "malformed fraction of a second";
		}
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (dt->frac_digits < 9) {
				dt->nanosecond = dt->nanosecond * 10 + (s[i] - '0');
				dt->frac_digits++;
			}
			i++;
		}
		for (int k = dt->frac_digits; k < 9; k++)
			dt->nanosecond *= 10;
	}
	dt->has_time = true;
	*at = i;
	return NULL;
}

const char *
toml_dt_scan(const char *s, size_t len, size_t *used, struct toml_datetime *dt)
{
	size_t i = 0;
	const char *msg = NULL;
	int oh = 0, om = 0;

	memset(dt, 0, sizeof(*dt));
	*used = 0;
	if (len > 2 && s[2] == ':') {
		msg = time_scan(s, len, &i, dt);
		*used = i;
		return msg;
	}
	if (digits(s, len, 0, 4, &dt->year) < 0 || len < 10 || s[4] != '-' ||
	    digits(s, len, 5, 2, &dt->month) < 0 || s[7] != '-' ||
	    digits(s, len, 8, 2, &dt->day) < 0)
		return "malformed date (expected YYYY-MM-DD)";
	if (dt->month < 1 || dt->month > 12 || dt->day < 1 ||
	    dt->day > days_in_month(dt->year, dt->month))
		return "date out of range";
	dt->has_date = true;
	i = 10;
	if (i < len && (s[i] == 'T' || s[i] == 't' ||
			(s[i] == ' ' && i + 3 < len && s[i + 1] >= '0' &&
			 s[i + 1] <= '9' && s[i + 2] >= '0' &&
			 s[i + 2] <= '9' && s[i + 3] == ':'))) {
		i++;
		msg = time_scan(s, len, &i, dt);
		if (msg != NULL) {
			*used = i;
			return msg;
		}
		if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
			dt->has_offset = true;
			i++;
		} else if (i < len && (s[i] == '+' || s[i] == '-')) {
			if (digits(s, len, i + 1, 2, &oh) < 0 || i + 3 >= len ||
			    s[i + 3] != ':' || digits(s, len, i + 4, 2, &om) < 0) {
				*used = i;
				return "malformed time offset (expected +HH:MM)";
			}
			if (oh > 23 || om > 59) {
				*used = i;
				return "time offset out of range";
			}
			dt->has_offset = true;
			dt->offset_minutes = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
			i += 6;
		}
	}
	*used = i;
	return NULL;
}
