/*
 * toml.c - the document's memory, queries on the node tree, key paths and
 * date/time scanning. Parsing is in toml_parse.c, edits in toml_edit.c.
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

/* ---- documents and queries ---- */

int
toml_parse_take(struct toml_doc **out, char *buf, size_t len,
		const char *path, struct rpx_err *err)
{
	struct toml_doc *doc = NULL;
	int r;

	*out = NULL;
	if (len >= TOML_MAX_LEN) {
		free(buf);
		return rpx_err_set(err, path, 0, 0, "file too large (%zu bytes)",
				   len);
	}
	doc = xcalloc(1, sizeof(*doc));
	doc->text = buf;
	doc->text[len] = '\0';
	doc->len = len;
	doc->path = path ? xstrdup(path) : NULL;
	r = toml_parse_into(doc, err);
	if (r < 0) {
		toml_doc_free(doc);
		return r;
	}
	*out = doc;
	return 0;
}

int
toml_parse(struct toml_doc **out, const char *data, size_t len,
	   const char *path, struct rpx_err *err)
{
	char *buf = NULL;

	*out = NULL;
	if (len >= TOML_MAX_LEN)
		return rpx_err_set(err, path, 0, 0, "file too large (%zu bytes)",
				   len);
	buf = xmalloc(len + 1);
	if (len > 0)
		memcpy(buf, data, len);
	return toml_parse_take(out, buf, len, path, err);
}

void
toml_doc_clear(struct toml_doc *doc)
{
	char *text = doc->text, *path = doc->path;
	size_t len = doc->len;

	toml_arena_release(&doc->arena);
	memset(doc, 0, sizeof(*doc));
	doc->text = text;
	doc->len = len;
	doc->path = path;
}

void
toml_doc_free(struct toml_doc *doc)
{
	if (doc == NULL)
		return;
	toml_arena_release(&doc->arena);
	free(doc->text);
	free(doc->path);
	free(doc);
}

const char *
toml_doc_text(const struct toml_doc *doc, size_t *len)
{
	if (len != NULL)
		*len = doc->len;
	return doc->text;
}

const struct toml_node *
toml_doc_root(const struct toml_doc *doc)
{
	return doc->root;
}

bool
toml_doc_crlf(const struct toml_doc *doc)
{
	return doc->crlf;
}

enum toml_type
toml_node_type(const struct toml_node *node)
{
	return (enum toml_type)node->type;
}

const char *
toml_type_name(enum toml_type type)
{
	static const char *const names[] = {
		"table", "array", "string", "integer", "float", "bool",
		"datetime", "datetime-local", "date-local", "time-local",
	};

	if ((unsigned)type >= ARRAY_SIZE(names))
		return "unknown";
	return names[type];
}

bool
toml_node_is_inline(const struct toml_node *node)
{
	return node->tkind == TK_INLINE;
}

bool
toml_node_is_aot(const struct toml_node *node)
{
	return (node->flags & NF_AOT) != 0;
}

/* Give a key or string that lies in the text its own NUL-terminated copy. */
static void
materialise(const struct toml_node *node)
{
	struct toml_node *n = (struct toml_node *)node;	/* arena memory */
	const struct toml_node *r = node;

	if (!(n->flags & (NF_RAWKEY | NF_RAWSTR)))
		return;
	while (r->parent != NULL)
		r = r->parent;
	if (n->flags & NF_RAWKEY)
		n->key = toml_arena_str(&r->u.c.tab->doc->arena, n->key,
					n->key_len);
	if (n->flags & NF_RAWSTR)
		n->u.str.s = toml_arena_str(&r->u.c.tab->doc->arena, n->u.str.s,
					    n->u.str.len);
	n->flags &= (uint8_t)~(NF_RAWKEY | NF_RAWSTR);
}

const char *
toml_node_key(const struct toml_node *node, size_t *len)
{
	materialise(node);
	if (len != NULL)
		*len = node->key_len;
	return node->key;
}

const struct toml_node *
toml_node_parent(const struct toml_node *node)
{
	return node->parent;
}

void
toml_node_pos(const struct toml_doc *doc, const struct toml_node *node,
	      int *line, int *col)
{
	toml_pos(doc->text, doc->len, doc->bom, node->off, line, col);
}

const char *
toml_node_raw(const struct toml_doc *doc, const struct toml_node *node,
	      size_t *len)
{
	if (node->type == TOML_TABLE && node->tkind != TK_INLINE) {
		*len = 0;
		return doc->text + doc->len;
	}
	*len = node->end - node->off;
	return doc->text + node->off;
}

int
toml_node_string(const struct toml_node *node, const char **s, size_t *len)
{
	if (node->type != TOML_STRING)
		return RPX_EINVAL;
	materialise(node);
	*s = node->u.str.s;
	if (len != NULL)
		*len = node->u.str.len;
	return 0;
}

const char *
toml_node_cstr(const struct toml_node *node)
{
	if (node == NULL || node->type != TOML_STRING)
		return NULL;
	materialise(node);
	return node->u.str.s;
}

int
toml_node_int(const struct toml_node *node, int64_t *v)
{
	if (node->type != TOML_INTEGER)
		return RPX_EINVAL;
	*v = node->u.i;
	return 0;
}

int
toml_node_float(const struct toml_node *node, double *v)
{
	if (node->type != TOML_FLOAT)
		return RPX_EINVAL;
	*v = node->u.f;
	return 0;
}

int
toml_node_bool(const struct toml_node *node, bool *v)
{
	if (node->type != TOML_BOOL)
		return RPX_EINVAL;
	*v = node->u.b != 0;
	return 0;
}

int
toml_node_datetime(const struct toml_doc *doc, const struct toml_node *node,
		   struct toml_datetime *dt)
{
	size_t used;

	if (node->type < TOML_DATETIME || node->type > TOML_TIME_LOCAL)
		return RPX_EINVAL;
	if (toml_dt_scan(doc->text + node->off, node->end - node->off, &used,
			 dt) != NULL)
		return RPX_EINVAL;
	return 0;
}

const struct toml_node *
toml_node_first(const struct toml_node *node)
{
	if (node->type != TOML_TABLE && node->type != TOML_ARRAY)
		return NULL;
	return node->u.c.first;
}

const struct toml_node *
toml_node_next(const struct toml_node *node)
{
	return node->next;
}

size_t
toml_node_count(const struct toml_node *node)
{
	const struct toml_node *c = NULL;
	size_t n = 0;

	for (c = toml_node_first(node); c != NULL; c = c->next)
		n++;
	return n;
}

const struct toml_node *
toml_table_get(const struct toml_node *table, const char *key)
{
	if (table == NULL || table->type != TOML_TABLE)
		return NULL;
	return toml_tab_find(table, key, strlen(key));
}

const struct toml_node *
toml_get(const struct toml_doc *doc, const char *const *segs, size_t n)
{
	const struct toml_node *t = doc->root;
	size_t i;

	for (i = 0; i < n && t != NULL; i++) {
		if (t->type == TOML_ARRAY && (t->flags & NF_AOT))
			t = t->u.c.last;
		if (t->type != TOML_TABLE)
			return NULL;
		t = toml_tab_find(t, segs[i], strlen(segs[i]));
	}
	return t;
}

const struct toml_node *
toml_get_key(const struct toml_doc *doc, const char *key)
{
	char **segs = NULL;
	size_t n = 0;
	const struct toml_node *node = NULL;

	if (toml_key_split(key, &segs, &n, NULL) < 0)
		return NULL;
	node = toml_get(doc, (const char *const *)segs, n);
	toml_segs_free(segs);
	return node;
}

void
toml_segs_free(char **segs)
{
	size_t i;

	if (segs == NULL)
		return;
	for (i = 0; segs[i] != NULL; i++)
		free(segs[i]);
	free(segs);
}

int
toml_key_split(const char *key, char ***segs, size_t *n, struct rpx_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct toml_doc *doc = NULL;
	const struct toml_node *t = NULL;
	char **out = NULL;
	size_t cnt = 0, i;
	int r;

	*segs = NULL;
	*n = 0;
	/* Let the parser decode it: "KEY = 0" has exactly that key path. */
	strbuf_adds(&sb, key);
	strbuf_adds(&sb, " = 0\n");
	r = toml_parse(&doc, sb.buf, sb.len, NULL, err);
	if (r < 0 || memchr(key, '\n', strlen(key)) != NULL ||
	    memchr(key, '\r', strlen(key)) != NULL || key[0] == '[') {
		if (r >= 0)
			r = rpx_err_set(err, NULL, 1, 1, "invalid key '%s'", key);
		goto out;
	}
	for (t = doc->root; t != NULL && t->type == TOML_TABLE;
	     t = t->u.c.first)
		cnt++;
	/* the whole text must be the key: its value is the "0" we added */
	if (cnt == 0 || t == NULL || t->off != strlen(key) + 3 ||
	    doc->root->u.c.first != doc->root->u.c.tab->last) {
		r = rpx_err_set(err, NULL, 1, 1, "invalid key '%s'", key);
		goto out;
	}
	out = xcalloc(cnt + 1, sizeof(*out));
	i = 0;
	for (t = doc->root->u.c.first; t != NULL; t = t->u.c.first) {
		out[i++] = xstrndup(t->key, t->key_len);
		if (t->type != TOML_TABLE)
			break;
	}
	*segs = out;
	*n = cnt;
	r = 0;
out:
	toml_doc_free(doc);
	strbuf_release(&sb);
	return r;
}

static bool
is_bare(const char *key, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		char c = key[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void
quote_basic(struct strbuf *sb, const char *s, size_t len)
{
	size_t i;

	strbuf_addch(sb, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': strbuf_adds(sb, "\\\""); break;
		case '\\': strbuf_adds(sb, "\\\\"); break;
		case '\n': strbuf_adds(sb, "\\n"); break;
		case '\t': strbuf_adds(sb, "\\t"); break;
		case '\r': strbuf_adds(sb, "\\r"); break;
		case '\b': strbuf_adds(sb, "\\b"); break;
		case '\f': strbuf_adds(sb, "\\f"); break;
		default:
			if (c < 0x20 || c == 0x7F)
				strbuf_addf(sb, "\\u%04X", c);
			else
				strbuf_addch(sb, c);
		}
	}
	strbuf_addch(sb, '"');
}

void
toml_key_write(struct strbuf *sb, const char *key, size_t len,
	       bool prefer_literal)
{
	size_t i;
	bool lit_ok = prefer_literal;

	if (is_bare(key, len)) {
		strbuf_add(sb, key, len);
		return;
	}
	for (i = 0; i < len && lit_ok; i++) {
		unsigned char c = (unsigned char)key[i];

		if (c == '\'' || (c < 0x20 && c != '\t') || c == 0x7F)
			lit_ok = false;
	}
	if (lit_ok) {
		strbuf_addch(sb, '\'');
		strbuf_add(sb, key, len);
		strbuf_addch(sb, '\'');
		return;
	}
	quote_basic(sb, key, len);
}

char *
toml_quote_string(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	quote_basic(&sb, s, len);
	return strbuf_detach(&sb, NULL);
}
