/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toml.c - the public face of the TOML engine: parsing a document, queries
 * on the node tree, key paths and quoting. The arena, tables and date/time
 * scanning are in toml_tree.c, parsing in toml_parse.c, edits in toml_edit.c.
 */
#include "toml.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "strvec.h"
#include "toml_int.h"

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
	strvec_free_array(segs);
}

int
toml_key_split(const char *key, char ***segs, size_t *n, struct rpx_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct toml_doc *doc = NULL;
	const struct toml_node *t = NULL;
	struct strvec out = STRVEC_INIT;
	size_t cnt = 0;
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
	for (t = doc->root->u.c.first; t != NULL; t = t->u.c.first) {
		strvec_push_nodup(&out, xstrndup(t->key, t->key_len));
		if (t->type != TOML_TABLE)
			break;
	}
	*n = out.n;
	*segs = strvec_detach(&out);
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
