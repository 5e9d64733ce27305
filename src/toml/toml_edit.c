/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toml_edit.c - edits that touch only the bytes they must.
 *
 * Every edit is a list of splices (replace bytes [off, end) of the text by
 * new bytes). The spliced text is parsed as a new document; only when that
 * succeeds does it replace the old one, so a failed edit changes nothing.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "toml_int.h"

struct splice {
	size_t off, end;
	char *text;	/* malloc'd, may be NULL for a removal */
};

struct edit {
	struct splice *sp;
	size_t n, alloc;
};

static void
edit_add(struct edit *e, size_t off, size_t end, char *text)
{
	ALLOC_GROW(e->sp, e->n + 1, e->alloc);
	e->sp[e->n].off = off;
	e->sp[e->n].end = end;
	e->sp[e->n].text = text;
	e->n++;
}

static void
edit_release(struct edit *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->sp[i].text);
	free(e->sp);
	e->sp = NULL;
	e->n = e->alloc = 0;
}

static int
splice_cmp(const void *a, const void *b)
{
	const struct splice *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* An applied splice: where its bytes went, and the bytes it removed. */
struct undo {
	size_t off, end;	/* removed range of the old text */
	size_t npos, nlen;	/* its replacement in the new text */
	char *old;		/* the removed bytes */
};

/*
 * Apply the splices (overlapping removals merge), re-parse, swap in.
 * Memory: the old tree is freed before the new text is built, and the old
 * text (all but the bytes the edit removes) before the new one is parsed,
 * so a document never holds two trees or, while parsing, two texts. On
 * failure the old text is rebuilt and parsed again (it parsed before).
 */
static int
edit_apply(struct toml_doc *doc, struct edit *e, struct rpx_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct rpx_err perr = RPX_ERR_INIT;
	struct undo *u = NULL;
	size_t cur = 0, i, nu = 0, n;
	int r;

	qsort(e->sp, e->n, sizeof(*e->sp), splice_cmp);
	u = xcalloc(e->n + 1, sizeof(*u));
	for (i = 0; i < e->n; i++) {
		if (nu > 0 && e->sp[i].off < u[nu - 1].end) {
			/* overlaps the previous one: only removals may */
			if (e->sp[i].text != NULL) {
				rpx_err_set(err, doc->path, 0, 0, "conflicting edits");
				r = RPX_EINVAL;
				goto out;
			}
			if (e->sp[i].end > u[nu - 1].end)
				u[nu - 1].end = e->sp[i].end;
			continue;
		}
		u[nu].off = e->sp[i].off;
		u[nu].end = e->sp[i].end;
		u[nu].nlen = e->sp[i].text ? strlen(e->sp[i].text) : 0;
		nu++;
	}
	toml_doc_clear(doc);
	n = doc->len;
	for (i = 0; i < nu; i++)
		n += u[i].nlen - (u[i].end - u[i].off);
	strbuf_grow(&sb, n);
	for (i = 0, nu = 0; i < e->n; i++) {
		if (nu > 0 && e->sp[i].off < u[nu - 1].end)
			continue;
		strbuf_add(&sb, doc->text + cur, u[nu].off - cur);
		u[nu].npos = sb.len;
		if (e->sp[i].text != NULL)
			strbuf_adds(&sb, e->sp[i].text);
		u[nu].old = xmalloc(u[nu].end - u[nu].off + 1);
		memcpy(u[nu].old, doc->text + u[nu].off, u[nu].end - u[nu].off);
		cur = u[nu].end;
		nu++;
	}
	strbuf_add(&sb, doc->text + cur, doc->len - cur);
	free(doc->text);
	doc->text = strbuf_detach(&sb, &doc->len);
	r = toml_parse_into(doc, &perr);
	if (r == 0)
		goto out;
	rpx_err_set(err, doc->path, perr.line, perr.col,
		    "the edit would make the file invalid: %s", perr.msg);
	toml_doc_clear(doc);
	cur = 0;
	for (i = 0; i < nu; i++) {
		strbuf_add(&sb, doc->text + cur, u[i].npos - cur);
		strbuf_add(&sb, u[i].old, u[i].end - u[i].off);
		cur = u[i].npos + u[i].nlen;
	}
	strbuf_add(&sb, doc->text + cur, doc->len - cur);
	free(doc->text);
	doc->text = strbuf_detach(&sb, &doc->len);
	if (toml_parse_into(doc, NULL) < 0)
		abort();	/* the same bytes parsed a moment ago */
	r = RPX_EPARSE;
out:
	for (i = 0; i < e->n + 1; i++)
		free(u[i].old);
	free(u);
	strbuf_release(&sb);
	return r;
}

/* ---- spelling keys and lines in the file's own style ---- */

static const char *
nl_of(const struct toml_doc *doc)
{
	return doc->crlf ? "\r\n" : "\n";
}

static void
add_eq(struct strbuf *sb, const struct toml_doc *doc)
{
	if (doc->has_eq)
		strbuf_add(sb, doc->text + doc->eq_off, doc->eq_len);
	else
		strbuf_adds(sb, " = ");
}

/* A node's key as written in the file, or freshly quoted. */
static void
add_node_key(struct strbuf *sb, const struct toml_doc *doc,
	     const struct toml_node *n)
{
	if (!(n->flags & NF_KV))
		strbuf_add(sb, doc->text + n->koff,
			   toml_raw_key_len(doc->text, doc->len, n->koff));
	else
		toml_key_write(sb, n->key, n->key_len, doc->lit_keys);
}

/* Keys from below top (exclusive) down to t, joined with dots. */
static void
add_path(struct strbuf *sb, const struct toml_doc *doc,
	 const struct toml_node *t, const struct toml_node *top)
{
	const struct toml_node *chain[TOML_MAX_DEPTH * 4];
	const struct toml_node *n = NULL;
	size_t k = 0, i;
	bool first = true;
	struct strbuf rev = STRBUF_INIT;

	for (n = t; n != NULL && n != top; n = n->parent) {
		if (n->key == NULL)
			continue;	/* an element of an array of tables */
		if (k < ARRAY_SIZE(chain)) {
			chain[k++] = n;
		} else {
			/* absurdly deep: spell it freshly, innermost first */
			toml_key_write(&rev, n->key, n->key_len, false);
		}
	}
	for (i = k; i-- > 0;) {
		if (!first)
			strbuf_addch(sb, '.');
		add_node_key(sb, doc, chain[i]);
		first = false;
	}
	strbuf_release(&rev);
}

static void
add_segs(struct strbuf *sb, const struct toml_doc *doc,
	 const char *const *segs, size_t n, bool lead_dot)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0 || lead_dot)
			strbuf_addch(sb, '.');
		toml_key_write(sb, segs[i], strlen(segs[i]), doc->lit_keys);
	}
}

static char *
key_display(const char *const *segs, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_addch(&sb, '.');
		toml_key_write(&sb, segs[i], strlen(segs[i]), false);
	}
	return strbuf_detach(&sb, NULL);
}

static bool
is_section(const struct toml_node *t)
{
	return t->tkind == TK_ROOT || t->tkind == TK_HEADER ||
	       t->tkind == TK_AOTELEM;
}

/* The section or inline table whose text holds t's keys. */
static struct toml_node *
container_of(struct toml_node *t)
{
	while (t->tkind == TK_DOTTED && t->parent != NULL)
		t = t->parent;
	return t;
}

/* ---- set ---- */

/* Check that v is exactly one TOML value; *vlen gets its trimmed length. */
static int
check_value(const char *v, const char **start, size_t *vlen,
	    struct rpx_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct rpx_err perr = RPX_ERR_INIT;
	struct toml_doc *vd = NULL;
	const struct toml_node *c = NULL;
	size_t len;
	int r;

	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	len = strlen(v);
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
			   v[len - 1] == '\n' || v[len - 1] == '\r'))
		len--;
	strbuf_adds(&sb, "_ = ");
	strbuf_add(&sb, v, len);
	strbuf_adds(&sb, "\n");
	r = toml_parse(&vd, sb.buf, sb.len, NULL, &perr);
	if (r < 0) {
		r = rpx_err_set(err, NULL, 0, 0, "invalid value '%.*s': %s",
				(int)len, v, perr.msg);
		r = RPX_EINVAL;
		goto out;
	}
	c = vd->root->u.c.first;
	if (c == NULL || c->next != NULL || !(c->flags & NF_KV) ||
	    c->end != 4 + len) {
		rpx_err_set(err, NULL, 0, 0,
			    "invalid value '%.*s': expected exactly one value",
			    (int)len, v);
		r = RPX_EINVAL;
		goto out;
	}
	*start = v;
	*vlen = len;
	r = 0;
out:
	toml_doc_free(vd);
	strbuf_release(&sb);
	return r;
}

static int
node_err(const struct toml_doc *doc, const struct toml_node *n,
	 struct rpx_err *err, const char *fmt, const char *a, const char *b)
{
	int line = 0, col = 0;

	if (n != NULL && n != doc->root)
		toml_pos(doc->text, doc->len, doc->bom, n->off, &line, &col);
	rpx_err_set(err, doc->path, line, col, fmt, a, b);
	return RPX_EINVAL;
}

static const char *
what_is(const struct toml_node *n)
{
	if (n->flags & NF_AOT)
		return "an array of tables";
	switch (n->type) {
	case TOML_TABLE: return "a table";
	case TOML_ARRAY: return "an array";
	case TOML_STRING: return "a string";
	case TOML_INTEGER: return "an integer";
	case TOML_FLOAT: return "a float";
	case TOML_BOOL: return "a boolean";
	default: return "a date/time";
	}
}

/* key = value as a new line at t's insertion point. */
static void
insert_line(struct edit *e, const struct toml_doc *doc,
	    const struct toml_node *t, const char *key, const char *v,
	    size_t vlen)
{
	const struct toml_tab *tab = t->u.c.tab;
	struct strbuf sb = STRBUF_INIT;
	size_t off = tab->ins_off;
	bool has_kv = tab->ind_off != tab->ins_off;

	if (off > 0 && doc->text[off - 1] != '\n')
		strbuf_adds(&sb, nl_of(doc));
	if (has_kv)
		strbuf_add(&sb, doc->text + tab->ind_off, tab->ind_len);
	else if (t->tkind != TK_ROOT && t->tkind != TK_DOTTED && doc->has_kvind)
		strbuf_add(&sb, doc->text + doc->kvind_off, doc->kvind_len);
	strbuf_adds(&sb, key);
	add_eq(&sb, doc);
	strbuf_add(&sb, v, vlen);
	strbuf_adds(&sb, nl_of(doc));
	edit_add(e, off, off, strbuf_detach(&sb, NULL));
}

/* A new [header] with one key, at the end of the file. */
static void
append_table(struct edit *e, const struct toml_doc *doc,
	     const struct toml_node *t, const char *const *rest, size_t nrest,
	     const char *v, size_t vlen)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = doc->text;
	size_t len = doc->len;
	const char *nl = nl_of(doc);

	if (len > doc->bom) {
		if (s[len - 1] != '\n')
			strbuf_adds(&sb, nl);
		if (s[len - 1] != '\n' ||
		    !((len >= 2 && s[len - 2] == '\n') ||
		      (len >= 3 && s[len - 2] == '\r' && s[len - 3] == '\n')))
			strbuf_adds(&sb, nl);
	}
	strbuf_addch(&sb, '[');
	add_path(&sb, doc, t, NULL);
	add_segs(&sb, doc, rest, nrest - 1, t->tkind != TK_ROOT);
	strbuf_addch(&sb, ']');
	strbuf_adds(&sb, nl);
	if (doc->has_kvind)
		strbuf_add(&sb, doc->text + doc->kvind_off, doc->kvind_len);
	toml_key_write(&sb, rest[nrest - 1], strlen(rest[nrest - 1]),
		       doc->lit_keys);
	add_eq(&sb, doc);
	strbuf_add(&sb, v, vlen);
	strbuf_adds(&sb, nl);
	edit_add(e, len, len, strbuf_detach(&sb, NULL));
}

/* One more key = value at the end of inline table ct. */
static void
insert_inline(struct edit *e, const struct toml_doc *doc,
	      const struct toml_node *ct, const char *key, const char *v,
	      size_t vlen)
{
	const struct toml_tab *tab = ct->u.c.tab;
	struct strbuf sb = STRBUF_INIT;
	size_t open = ct->off, close = ct->end - 1, at;

	if (tab->nkv == 0) {
		strbuf_addch(&sb, ' ');
		strbuf_adds(&sb, key);
		strbuf_adds(&sb, " = ");
		strbuf_add(&sb, v, vlen);
		strbuf_addch(&sb, ' ');
		edit_add(e, open + 1, close, strbuf_detach(&sb, NULL));
		return;
	}
	at = tab->kvs[(tab->nkv - 1) * 2 + 1];
	if (tab->nkv >= 2)
		strbuf_add(&sb, doc->text + tab->kvs[1], tab->kvs[2] - tab->kvs[1]);
	else
		strbuf_adds(&sb, ", ");
	strbuf_adds(&sb, key);
	strbuf_adds(&sb, " = ");
	strbuf_add(&sb, v, vlen);
	edit_add(e, at, at, strbuf_detach(&sb, NULL));
}

int
toml_set(struct toml_doc *doc, const char *const *segs, size_t n,
	 const char *value_toml, struct rpx_err *err)
{
	struct edit e = { NULL, 0, 0 };
	struct strbuf key = STRBUF_INIT;
	struct toml_node *t = doc->root, *c = NULL, *ct = NULL;
	char *disp = NULL, *pre = NULL;
	const char *v = NULL;
	size_t vlen = 0, i;
	int r;

	if (n == 0) {
		r = rpx_err_set(err, doc->path, 0, 0, "empty key");
		r = RPX_EINVAL;
		goto out;
	}
	disp = key_display(segs, n);
	r = check_value(value_toml, &v, &vlen, err);
	if (r < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (t->flags & NF_AOT)
			t = t->u.c.last;
		c = toml_tab_find(t, segs[i], strlen(segs[i]));
		if (c == NULL)
			break;
		if (i == n - 1) {
			if (c->flags & NF_KV) {
				char *txt = xstrndup(v, vlen);

				edit_add(&e, c->off, c->end, txt);
				r = edit_apply(doc, &e, err);
				goto out;
			}
			r = node_err(doc, c, err, "cannot set '%s': it is %s; "
				     "unset it first", disp, what_is(c));
			goto out;
		}
		if (c->type != TOML_TABLE && !(c->flags & NF_AOT)) {
			pre = key_display(segs, i + 1);
			r = node_err(doc, c, err, "cannot set '%s': '%s' is not a table",
				     disp, pre);
			goto out;
		}
		t = c;
	}
	if (t->flags & NF_AOT)
		t = t->u.c.last;
	ct = container_of(t);
	if (ct->tkind == TK_INLINE) {
		add_path(&key, doc, t, ct);
		add_segs(&key, doc, segs + i, n - i, t != ct);
		insert_inline(&e, doc, ct, key.buf, v, vlen);
	} else if (t->tkind == TK_DOTTED ||
		   (is_section(t) && (n - i == 1 || (t->flags & NF_DOTSEC)))) {
		if (t->tkind == TK_DOTTED)
			add_path(&key, doc, t, ct);
		add_segs(&key, doc, segs + i, n - i, t->tkind == TK_DOTTED);
		insert_line(&e, doc, t, key.buf, v, vlen);
	} else {
		append_table(&e, doc, t, segs + i, n - i, v, vlen);
	}
	r = edit_apply(doc, &e, err);
out:
	edit_release(&e);
	strbuf_release(&key);
	free(disp);
	free(pre);
	return r;
}

int
toml_set_string(struct toml_doc *doc, const char *const *segs, size_t n,
		const char *s, struct rpx_err *err)
{
	char *q = toml_quote_string(s, strlen(s));
	int r = toml_set(doc, segs, n, q, err);

	free(q);
	return r;
}

int
toml_set_bool(struct toml_doc *doc, const char *const *segs, size_t n,
	      bool v, struct rpx_err *err)
{
	return toml_set(doc, segs, n, v ? "true" : "false", err);
}

int
toml_set_int(struct toml_doc *doc, const char *const *segs, size_t n,
	     int64_t v, struct rpx_err *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return toml_set(doc, segs, n, buf, err);
}

int
toml_set_strings(struct toml_doc *doc, const char *const *segs, size_t n,
		 const char *const *items, size_t nitems, struct rpx_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	char *q = NULL;
	size_t i;
	int r;

	strbuf_addch(&sb, '[');
	for (i = 0; i < nitems; i++) {
		q = toml_quote_string(items[i], strlen(items[i]));
		if (i > 0)
			strbuf_adds(&sb, ", ");
		strbuf_adds(&sb, q);
		free(q);
	}
	strbuf_addch(&sb, ']');
	r = toml_set(doc, segs, n, sb.buf, err);
	strbuf_release(&sb);
	return r;
}

/* ---- unset ---- */

struct unset {
	struct edit e;
	struct toml_node *inl;	/* inline table losing keys, or NULL */
	uint32_t *gone;		/* kv starts removed from it */
	size_t ngone, allocgone;
};

/* The whole line(s) of a key = value in a section, with its comment. */
static void
kv_line_range(const struct toml_doc *doc, const struct toml_node *v,
	      size_t *off, size_t *end)
{
	const char *s = doc->text;
	size_t a = v->koff, b = v->end;

	while (a > doc->bom && s[a - 1] != '\n')
		a--;
	while (b < doc->len && s[b] != '\n')
		b++;
	if (b < doc->len)
		b++;
	*off = a;
	*end = b;
}

static void
collect(struct unset *u, const struct toml_doc *doc, struct toml_node *n)
{
	struct toml_node *c = NULL, *ct = NULL;
	size_t a, b;

	if (n->flags & NF_KV) {
		ct = container_of(n->parent);
		if (ct->tkind == TK_INLINE) {
			u->inl = ct;
			ALLOC_GROW(u->gone, u->ngone + 1, u->allocgone);
			u->gone[u->ngone++] = n->koff;
		} else {
			kv_line_range(doc, n, &a, &b);
			edit_add(&u->e, a, b, NULL);
		}
		return;
	}
	if (n->type == TOML_TABLE &&
	    (n->tkind == TK_HEADER || n->tkind == TK_AOTELEM))
		edit_add(&u->e, n->u.c.tab->hdr_off, n->u.c.tab->ins_off, NULL);
	if (n->type == TOML_TABLE || (n->flags & NF_AOT)) {
		for (c = n->u.c.first; c != NULL; c = c->next)
			collect(u, doc, c);
	}
}

static bool
is_gone(const struct unset *u, uint32_t kv_off)
{
	size_t i;

	for (i = 0; i < u->ngone; i++) {
		if (u->gone[i] == kv_off)
			return true;
	}
	return false;
}

/* Rewrite the inside of an inline table without the removed keys. */
static void
rebuild_inline(struct unset *u, const struct toml_doc *doc)
{
	const struct toml_node *ct = u->inl;
	const struct toml_tab *tab = ct->u.c.tab;
	struct strbuf sb = STRBUF_INIT;
	size_t open = ct->off, close = ct->end - 1, i, kept = 0;
	const char *s = doc->text;

	for (i = 0; i < tab->nkv; i++) {
		uint32_t a = tab->kvs[i * 2], b = tab->kvs[i * 2 + 1];

		if (is_gone(u, a))
			continue;
		if (kept == 0)
			strbuf_add(&sb, s + open + 1, tab->kvs[0] - (open + 1));
		else if (tab->nkv >= 2)
			strbuf_add(&sb, s + tab->kvs[1], tab->kvs[2] - tab->kvs[1]);
		strbuf_add(&sb, s + a, b - a);
		kept++;
	}
	if (kept > 0) {
		i = tab->kvs[(tab->nkv - 1) * 2 + 1];
		strbuf_add(&sb, s + i, close - i);
	}
	edit_add(&u->e, open + 1, close, strbuf_detach(&sb, NULL));
}

int
toml_unset(struct toml_doc *doc, const char *const *segs, size_t n,
	   struct rpx_err *err)
{
	struct unset u;
	struct toml_node *t = doc->root, *c = NULL;
	char *disp = NULL;
	size_t i;
	int r;

	memset(&u, 0, sizeof(u));
	if (n == 0) {
		r = rpx_err_set(err, doc->path, 0, 0, "empty key");
		r = RPX_EINVAL;
		goto out;
	}
	disp = key_display(segs, n);
	for (i = 0; i < n; i++) {
		if (t->flags & NF_AOT)
			t = t->u.c.last;
		c = t->type == TOML_TABLE ?
			toml_tab_find(t, segs[i], strlen(segs[i])) : NULL;
		if (c == NULL) {
			rpx_err_set(err, doc->path, 0, 0, "key '%s' not found", disp);
			r = RPX_ENOTFOUND;
			goto out;
		}
		t = c;
	}
	collect(&u, doc, t);
	if (u.inl != NULL)
		rebuild_inline(&u, doc);
	r = edit_apply(doc, &u.e, err);
out:
	edit_release(&u.e);
	free(u.gone);
	free(disp);
	return r;
}
