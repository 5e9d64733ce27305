/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toml_parse.c - the TOML 1.0.0 parser: bytes in, a node tree that points
 * into those bytes out, or one "line:col: message" error.
 *
 * The parser never recurses except into nested arrays and inline tables,
 * and that is bounded by TOML_MAX_DEPTH. It checks the whole input as
 * UTF-8 first, so every later step may assume well-formed UTF-8.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "toml_int.h"

struct parser {
	struct toml_doc *doc;
	const char *s;
	size_t len;
	size_t pos;
	struct rpx_err *err;
	struct toml_node *sect;	/* table the current section's keys go to */
	int depth;
	bool root_kvs;
	struct strbuf sb;	/* scratch for decoding strings */
};

static int parse_value(struct parser *p, struct toml_node **out);

static int
perr(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
perr(struct parser *p, size_t off, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	int line, col;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	toml_pos(p->s, p->len, p->doc->bom, off, &line, &col);
	return rpx_err_set(p->err, p->doc->path, line, col, "%s", msg);
}

/* A printable description of the character at off, for messages. */
static const char *
chdesc(const struct parser *p, size_t off, char *buf, size_t size)
{
	unsigned char c;
	size_t n = 1;

	if (off >= p->len)
		return "end of file";
	c = (unsigned char)p->s[off];
	if (c == '\n' || (c == '\r' && off + 1 < p->len && p->s[off + 1] == '\n'))
		return "end of line";
	if (c < 0x20 || c == 0x7F) {
		snprintf(buf, size, "control character U+%04X", c);
		return buf;
	}
	if (c >= 0xF0)
		n = 4;
	else if (c >= 0xE0)
		n = 3;
	else if (c >= 0xC0)
		n = 2;
	snprintf(buf, size, "'%.*s'", (int)n, p->s + off);
	return buf;
}

#define CH(p, off) chdesc((p), (off), chbuf, sizeof(chbuf))

/* Offset of the first malformed UTF-8 sequence, or len. */
static size_t
utf8_check(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	unsigned c, lo, hi;

	while (i < len) {
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0;	/* overlong */
			else if (c == 0xED)
				hi = 0x9F;	/* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90;	/* overlong */
			else if (c == 0xF4)
				hi = 0x8F;	/* above U+10FFFF */
		} else {
			return i;
		}
		if (i + n >= len)
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (k = 2; k <= n; k++) {
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return i;
		}
		i += n + 1;
	}
	return len;
}

static struct toml_node *
new_node(struct parser *p, enum toml_type type)
{
	struct toml_node *n = toml_arena_alloc(&p->doc->arena, sizeof(*n));

	n->type = (uint8_t)type;
	if (p->depth > 0)
		n->flags |= NF_FROZEN;
	return n;
}

static struct toml_node *
new_table(struct parser *p, enum toml_tkind kind, size_t off, size_t end)
{
	struct toml_node *n = new_node(p, TOML_TABLE);

	n->tkind = (uint8_t)kind;
	n->u.c.tab = toml_arena_alloc(&p->doc->arena, sizeof(struct toml_tab));
	n->off = (uint32_t)off;
	n->end = (uint32_t)end;
	return n;
}

static const char *
arena_str(struct parser *p, const char *s, size_t len)
{
	return toml_arena_str(&p->doc->arena, s, len);
}

static void
skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
		p->pos++;
}

static bool
at_newline(const struct parser *p)
{
	return p->pos < p->len && (p->s[p->pos] == '\n' ||
				   (p->s[p->pos] == '\r' && p->pos + 1 < p->len &&
				    p->s[p->pos + 1] == '\n'));
}

static int
skip_comment(struct parser *p)
{
	unsigned char c;

	if (p->pos >= p->len || p->s[p->pos] != '#')
		return 0;
	for (p->pos++; p->pos < p->len; p->pos++) {
		c = (unsigned char)p->s[p->pos];
		if (c >= 0x20 && c != 0x7F)
			continue;
		if (c == '\t')
			continue;
		if (at_newline(p))
			return 0;
		return perr(p, p->pos, "control character U+%04X in comment", c);
	}
	return 0;
}

/* Whitespace, comments and newlines, as allowed inside arrays. */
static int
skip_blank(struct parser *p)
{
	int r;

	for (;;) {
		skip_ws(p);
		r = skip_comment(p);
		if (r < 0)
			return r;
		if (!at_newline(p))
			return 0;
		p->pos += p->s[p->pos] == '\r' ? 2 : 1;
	}
}

/* Optional whitespace and comment, then a newline or the end. */
static int
end_line(struct parser *p, const char *what)
{
	char chbuf[48];
	int r;

	skip_ws(p);
	r = skip_comment(p);
	if (r < 0)
		return r;
	if (p->pos >= p->len)
		return 0;
	if (!at_newline(p))
		return perr(p, p->pos, "expected end of line after %s, found %s",
			    what, CH(p, p->pos));
	p->pos += p->s[p->pos] == '\r' ? 2 : 1;
	return 0;
}

static void
put_utf8(struct strbuf *sb, uint32_t cp)
{
	if (cp < 0x80) {
		strbuf_addch(sb, (int)cp);
	} else if (cp < 0x800) {
		strbuf_addch(sb, (int)(0xC0 | (cp >> 6)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		strbuf_addch(sb, (int)(0xE0 | (cp >> 12)));
		strbuf_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3F)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	} else {
		strbuf_addch(sb, (int)(0xF0 | (cp >> 18)));
		strbuf_addch(sb, (int)(0x80 | ((cp >> 12) & 0x3F)));
		strbuf_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3F)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	}
}

/* An escape at p->pos (the backslash) of a basic string. */
static int
parse_escape(struct parser *p, bool ml)
{
	char chbuf[48];
	size_t at = p->pos, i, n;
	uint32_t cp = 0;
	char e;

	if (at + 1 >= p->len)
		return perr(p, at, "unterminated string");
	e = p->s[at + 1];
	switch (e) {
	case 'b': strbuf_addch(&p->sb, '\b'); break;
	case 't': strbuf_addch(&p->sb, '\t'); break;
	case 'n': strbuf_addch(&p->sb, '\n'); break;
	case 'f': strbuf_addch(&p->sb, '\f'); break;
	case 'r': strbuf_addch(&p->sb, '\r'); break;
	case '"': strbuf_addch(&p->sb, '"'); break;
	case '\\': strbuf_addch(&p->sb, '\\'); break;
	case 'u':
	case 'U':
		n = e == 'u' ? 4 : 8;
		for (i = 0; i < n; i++) {
			char h = at + 2 + i < p->len ? p->s[at + 2 + i] : '\0';
			uint32_t d;

			if (h >= '0' && h <= '9')
				d = (uint32_t)(h - '0');
			else if (h >= 'a' && h <= 'f')
				d = (uint32_t)(h - 'a' + 10);
			else if (h >= 'A' && h <= 'F')
				d = (uint32_t)(h - 'A' + 10);
			else
				return perr(p, at, "invalid escape '\\%c': expected %zu hex digits",
					    e, n);
			cp = cp * 16 + d;
		}
		if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return perr(p, at, "escape '\\%c%.*s' is not a unicode scalar value",
				    e, (int)n, p->s + at + 2);
		put_utf8(&p->sb, cp);
		p->pos = at + 2 + n;
		return 0;
	default:
		if (!ml || (e != ' ' && e != '\t' && e != '\n' && e != '\r'))
			return perr(p, at, "invalid escape '\\' followed by %s",
				    CH(p, at + 1));
		/* line-ending backslash: only whitespace up to the newline */
		p->pos = at + 1;
		skip_ws(p);
		if (!at_newline(p))
			return perr(p, at, "invalid escape '\\' followed by whitespace "
				    "that does not end the line");
		for (;;) {
			skip_ws(p);
			if (!at_newline(p))
				return 0;
			p->pos += p->s[p->pos] == '\r' ? 2 : 1;
		}
	}
	p->pos = at + 2;
	return 0;
}

/*
 * A string of any of the four kinds at p->pos, decoded into the arena;
 * or, when *raw is set, a single-line string without escapes whose bytes
 * are used where they lie in the text (not NUL-terminated there).
 * Multi-line forms only when ml_ok (not for keys).
 */
static int
parse_string(struct parser *p, bool ml_ok, const char **out, uint32_t *olen,
	     bool *raw)
{
	const char *s = p->s;
	size_t start = p->pos, run, q;
	char quote = s[start];
	bool basic = quote == '"';
	bool ml = start + 2 < p->len && s[start + 1] == quote &&
		  s[start + 2] == quote;
	unsigned char c;
	bool simple = !ml;
	int r;

	if (ml && !ml_ok)
		return perr(p, start, "a multi-line string cannot be a key");
	strbuf_reset(&p->sb);
	p->pos += ml ? 3 : 1;
	if (ml && at_newline(p))
		p->pos += s[p->pos] == '\r' ? 2 : 1;
	for (;;) {
		run = p->pos;
		while (run < p->len) {
			c = (unsigned char)s[run];
			if (c == (unsigned char)quote || (basic && c == '\\') ||
			    (c < 0x20 && c != '\t') || c == 0x7F)
				break;
			run++;
		}
		strbuf_add(&p->sb, s + p->pos, run - p->pos);
		p->pos = run;
		if (p->pos >= p->len)
			return perr(p, start, "unterminated string");
		c = (unsigned char)s[p->pos];
		if (c == (unsigned char)quote) {
			if (!ml) {
				p->pos++;
				break;
			}
			for (q = 0; p->pos + q < p->len && s[p->pos + q] == quote; q++)
				;
			if (q >= 3) {
				if (q > 5)
					return perr(p, p->pos + 5,
						    "too many quotes closing a multi-line string");
				strbuf_add(&p->sb, s + p->pos, q - 3);
				p->pos += q;
				break;
			}
			strbuf_add(&p->sb, s + p->pos, q);
			p->pos += q;
			continue;
		}
		if (c == '\\') {
			simple = false;
			r = parse_escape(p, ml);
			if (r < 0)
				return r;
			continue;
		}
		if (at_newline(p)) {
			if (!ml)
				return perr(p, start, "unterminated string (newline before the closing quote)");
			strbuf_addch(&p->sb, '\n');
			p->pos += c == '\r' ? 2 : 1;
			continue;
		}
		return perr(p, p->pos, "control character U+%04X in string", c);
	}
	*raw = simple;
	*olen = (uint32_t)p->sb.len;
	if (simple)
		*out = s + start + 1;
	else
		*out = arena_str(p, p->sb.buf, p->sb.len);
	return 0;
}

static bool
is_bare_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* One key segment: bare, "basic" or 'literal'. */
static int
parse_key_seg(struct parser *p, struct toml_node *n)
{
	char chbuf[48];
	size_t start = p->pos;
	const char *key = NULL;
	uint32_t klen = 0;
	bool raw = true;
	int r;

	if (p->pos < p->len && (p->s[p->pos] == '"' || p->s[p->pos] == '\'')) {
		if (p->s[p->pos] == '\'')
			p->doc->lit_keys = true;
		r = parse_string(p, false, &key, &klen, &raw);
		if (r < 0)
			return r;
	} else {
		while (p->pos < p->len && is_bare_char(p->s[p->pos]))
			p->pos++;
		if (p->pos == start)
			return perr(p, start, "expected a key, found %s",
				    CH(p, start));
		klen = (uint32_t)(p->pos - start);
		key = p->s + start;
	}
	n->key = key;
	if (raw)
		n->flags |= NF_RAWKEY;
	n->key_len = klen;
	n->koff = (uint32_t)start;
	return 0;
}

/* ---- numbers ---- */

static bool
isdig(char c)
{
	return c >= '0' && c <= '9';
}

static int
hexval(char c, int base)
{
	int v = -1;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	return v < base ? v : -1;
}

/* Decimal digits with '_' only between digits; *i moves past them. */
static const char *
dec_run(const char *t, size_t n, size_t *i, bool no_lead_zero)
{
	size_t st = *i;

	if (*i >= n || !isdig(t[*i]))
		return "expected a digit";
	while (*i < n) {
		if (isdig(t[*i]))
			(*i)++;
		else if (t[*i] == '_' && *i + 1 < n && isdig(t[*i + 1]))
			(*i)++;
		else
			break;
	}
	if (*i < n && t[*i] == '_')
		return "'_' must be between digits";
	if (no_lead_zero && t[st] == '0' && *i - st > 1)
		return "leading zeros are not allowed";
	return NULL;
}

static int
parse_number(struct parser *p, struct toml_node *v)
{
	const char *t = p->s + p->pos;
	size_t n = 0, i = 0, j;
	const char *msg = NULL;
	bool neg = false, is_float = false;
	uint64_t mag = 0, lim;
	int base = 10, d;
	char stackbuf[128];
	char *buf = stackbuf;
	char dp = '.';
	struct lconv *lc = NULL;

	while (p->pos + n < p->len && (is_bare_char(t[n]) || t[n] == '.' ||
				       t[n] == '+'))
		n++;
	if (n > 0 && (t[0] == '+' || t[0] == '-')) {
		neg = t[0] == '-';
		i = 1;
	}
	if (n - i == 3 && (memcmp(t + i, "inf", 3) == 0 ||
			   memcmp(t + i, "nan", 3) == 0)) {
		v->type = TOML_FLOAT;
		if (t[i] == 'i')
			v->u.f = neg ? -HUGE_VAL : HUGE_VAL;
		else
			v->u.f = neg ? -NAN : NAN;
		p->pos += n;
		return 0;
	}
	if (i == 0 && n > 2 && t[0] == '0' &&
	    (t[1] == 'x' || t[1] == 'o' || t[1] == 'b')) {
		base = t[1] == 'x' ? 16 : t[1] == 'o' ? 8 : 2;
		for (j = 2; j < n; j++) {
			if (t[j] == '_' && j > 2 && j + 1 < n &&
			    hexval(t[j + 1], base) >= 0)
				continue;
			d = hexval(t[j], base);
			if (d < 0)
				return perr(p, p->pos + j, "invalid digit in base-%d integer",
					    base);
			if (mag > ((uint64_t)INT64_MAX - (uint64_t)d) / (uint64_t)base)
				return perr(p, p->pos, "integer '%.*s' out of range",
					    (int)n, t);
			mag = mag * (uint64_t)base + (uint64_t)d;
		}
		v->type = TOML_INTEGER;
		v->u.i = (int64_t)mag;
		p->pos += n;
		return 0;
	}
	msg = dec_run(t, n, &i, true);
	if (msg == NULL && i < n && t[i] == '.') {
		i++;
		is_float = true;
		msg = dec_run(t, n, &i, false);
	}
	if (msg == NULL && i < n && (t[i] == 'e' || t[i] == 'E')) {
		i++;
		is_float = true;
		if (i < n && (t[i] == '+' || t[i] == '-'))
			i++;
		msg = dec_run(t, n, &i, false);
	}
	if (msg == NULL && i < n)
		msg = "invalid character in number";
	if (msg != NULL)
		return perr(p, p->pos + (i < n ? i : n), "invalid number '%.*s': %s",
			    (int)(n > 60 ? 60 : n), t, msg);
	if (n + 1 > sizeof(stackbuf))
		buf = xmalloc(n + 1);
	lc = localeconv();
	if (lc != NULL && lc->decimal_point != NULL && lc->decimal_point[0])
		dp = lc->decimal_point[0];
	for (i = 0, j = 0; i < n; i++) {
		if (t[i] != '_')
			buf[j++] = t[i] == '.' ? dp : t[i];
	}
	buf[j] = '\0';
	if (is_float) {
		v->type = TOML_FLOAT;
		v->u.f = strtod(buf, NULL);
	} else {
		v->type = TOML_INTEGER;
		lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		for (i = (buf[0] == '+' || buf[0] == '-'); buf[i]; i++) {
			d = buf[i] - '0';
			if (mag > (lim - (uint64_t)d) / 10) {
				if (buf != stackbuf)
					free(buf);
				return perr(p, p->pos, "integer '%.*s' out of range",
					    (int)(n > 60 ? 60 : n), t);
			}
			mag = mag * 10 + (uint64_t)d;
		}
		if (neg)
			v->u.i = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN
								 : -(int64_t)mag;
		else
			v->u.i = (int64_t)mag;
	}
	if (buf != stackbuf)
		free(buf);
	p->pos += n;
	return 0;
}

static int
parse_datetime(struct parser *p, struct toml_node *v)
{
	struct toml_datetime dt;
	size_t used;
	const char *msg = toml_dt_scan(p->s + p->pos, p->len - p->pos, &used, &dt);

	if (msg != NULL)
		return perr(p, p->pos + used, "%s", msg);
	if (dt.has_date && dt.has_time)
		v->type = dt.has_offset ? TOML_DATETIME : TOML_DATETIME_LOCAL;
	else
		v->type = dt.has_date ? TOML_DATE_LOCAL : TOML_TIME_LOCAL;
	p->pos += used;
	return 0;
}

/* ---- keys, tables and values ---- */

static bool
is_section(const struct toml_node *t)
{
	return t->tkind == TK_ROOT || t->tkind == TK_HEADER ||
	       t->tkind == TK_AOTELEM;
}

/*
 * key = value into table t (a section table, or an inline table while
 * it is being read). *valp gets the value node.
 */
static int
parse_kv(struct parser *p, struct toml_node *t, struct toml_node **valp)
{
	char chbuf[48];
	size_t kv_off = p->pos, seg_off, key_end;
	struct toml_node *seg = NULL, *c = NULL, *v = NULL;
	struct toml_node keyn;
	int nseg = 0, r;

	for (;;) {
		memset(&keyn, 0, sizeof(keyn));
		seg_off = p->pos;
		r = parse_key_seg(p, &keyn);
		if (r < 0)
			return r;
		key_end = p->pos;
		nseg++;
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != '.')
			break;
		c = toml_tab_find(t, keyn.key, keyn.key_len);
		if (c == NULL) {
			c = new_table(p, TK_DOTTED, seg_off, key_end);
			c->key = keyn.key;
			c->flags |= keyn.flags & NF_RAWKEY;
			c->key_len = keyn.key_len;
			c->koff = keyn.koff;
			toml_tab_add(&p->doc->arena, t, c);
		} else if (c->type == TOML_TABLE) {
			if (c->tkind == TK_IMPLICIT) {
				c->tkind = TK_DOTTED;
			} else if (c->tkind == TK_INLINE) {
				return perr(p, seg_off, "cannot add keys to inline table '%.*s'",
					    (int)(key_end - kv_off), p->s + kv_off);
			} else if (c->tkind != TK_DOTTED) {
				return perr(p, seg_off, "table '%.*s' is defined by a [header]: "
					    "dotted keys cannot add to it",
					    (int)(key_end - kv_off), p->s + kv_off);
			}
		} else if (c->flags & NF_AOT) {
			return perr(p, seg_off, "key '%.*s' is an array of tables",
				    (int)(key_end - kv_off), p->s + kv_off);
		} else {
			return perr(p, seg_off, "key '%.*s' already has a value",
				    (int)(key_end - kv_off), p->s + kv_off);
		}
		t = c;
		p->pos++;
		skip_ws(p);
	}
	if (toml_tab_find(t, keyn.key, keyn.key_len) != NULL)
		return perr(p, seg_off, "duplicate key '%.*s'",
			    (int)(key_end - kv_off), p->s + kv_off);
	if (p->pos >= p->len || p->s[p->pos] != '=')
		return perr(p, p->pos, "expected '=' after key '%.*s', found %s",
			    (int)(key_end - kv_off), p->s + kv_off, CH(p, p->pos));
	p->pos++;
	skip_ws(p);
	if (p->depth == 0 && !p->doc->has_eq) {
		p->doc->has_eq = true;
		p->doc->eq_off = (uint32_t)key_end;
		p->doc->eq_len = (uint32_t)(p->pos - key_end);
	}
	r = parse_value(p, &v);
	if (r < 0)
		return r;
	v->key = keyn.key;
	v->flags |= keyn.flags & NF_RAWKEY;
	v->key_len = keyn.key_len;
	v->koff = (uint32_t)kv_off;
	v->flags |= NF_KV;
	toml_tab_add(&p->doc->arena, t, v);
	if (nseg > 1) {
		for (seg = t; seg != NULL && seg->tkind == TK_DOTTED; seg = seg->parent)
			;
		if (seg != NULL && is_section(seg))
			seg->flags |= NF_DOTSEC;
	}
	*valp = v;
	return 0;
}

static int
depth_in(struct parser *p)
{
	if (p->depth >= TOML_MAX_DEPTH)
		return perr(p, p->pos, "arrays and inline tables nested deeper than %d",
			    TOML_MAX_DEPTH);
	p->depth++;
	return 0;
}

static int
parse_array(struct parser *p, struct toml_node *v)
{
	char chbuf[48];
	struct toml_node *e = NULL;
	int r;

	r = depth_in(p);
	if (r < 0)
		return r;
	p->pos++;
	for (;;) {
		r = skip_blank(p);
		if (r < 0)
			return r;
		if (p->pos < p->len && p->s[p->pos] == ']')
			break;
		r = parse_value(p, &e);
		if (r < 0)
			return r;
		toml_tab_add(&p->doc->arena, v, e);
		r = skip_blank(p);
		if (r < 0)
			return r;
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == ']')
			break;
		return perr(p, p->pos, "expected ',' or ']' in array, found %s",
			    CH(p, p->pos));
	}
	p->pos++;
	p->depth--;
	return 0;
}

static void
tab_kv_push(struct parser *p, struct toml_tab *tab, uint32_t a, uint32_t b)
{
	uint32_t *nk = NULL;

	if (tab->nkv == tab->kvcap) {
		tab->kvcap = tab->kvcap ? tab->kvcap * 2 : 4;
		nk = toml_arena_alloc(&p->doc->arena,
				      tab->kvcap * 2 * sizeof(*nk));
		if (tab->nkv > 0)
			memcpy(nk, tab->kvs, tab->nkv * 2 * sizeof(*nk));
		tab->kvs = nk;
	}
	tab->kvs[tab->nkv * 2] = a;
	tab->kvs[tab->nkv * 2 + 1] = b;
	tab->nkv++;
}

static int
parse_inline(struct parser *p, struct toml_node *v)
{
	char chbuf[48];
	struct toml_node *e = NULL;
	size_t kv_off;
	int r;

	r = depth_in(p);
	if (r < 0)
		return r;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}')
		goto done;
	for (;;) {
		kv_off = p->pos;
		if (at_newline(p))
			return perr(p, p->pos, "newline in inline table");
		r = parse_kv(p, v, &e);
		if (r < 0)
			return r;
		tab_kv_push(p, v->u.c.tab, (uint32_t)kv_off, e->end);
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			skip_ws(p);
			if (p->pos < p->len && p->s[p->pos] == '}')
				return perr(p, p->pos, "trailing comma in inline table");
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == '}')
			break;
		if (at_newline(p))
			return perr(p, p->pos, "newline in inline table");
		return perr(p, p->pos, "expected ',' or '}' in inline table, found %s",
			    CH(p, p->pos));
	}
done:
	p->pos++;
	p->depth--;
	return 0;
}

static bool
looks_like_datetime(const struct parser *p)
{
	const char *s = p->s + p->pos;
	size_t left = p->len - p->pos;

	if (left >= 5 && isdig(s[0]) && isdig(s[1]) && isdig(s[2]) &&
	    isdig(s[3]) && s[4] == '-')
		return true;
	return left >= 3 && isdig(s[0]) && isdig(s[1]) && s[2] == ':';
}

static int
parse_value(struct parser *p, struct toml_node **out)
{
	char chbuf[48];
	size_t off = p->pos;
	struct toml_node *v = NULL;
	char c;
	int r;

	if (p->pos >= p->len || at_newline(p))
		return perr(p, p->pos, "expected a value, found %s", CH(p, p->pos));
	c = p->s[p->pos];
	if (c == '"' || c == '\'') {
		bool raw = false;

		v = new_node(p, TOML_STRING);
		r = parse_string(p, true, &v->u.str.s, &v->u.str.len, &raw);
		if (raw)
			v->flags |= NF_RAWSTR;
	} else if (c == '[') {
		v = new_node(p, TOML_ARRAY);
		r = parse_array(p, v);
	} else if (c == '{') {
		v = new_table(p, TK_INLINE, off, off);
		r = parse_inline(p, v);
	} else if (p->len - p->pos >= 4 && memcmp(p->s + p->pos, "true", 4) == 0) {
		v = new_node(p, TOML_BOOL);
		v->u.b = 1;
		p->pos += 4;
		r = 0;
	} else if (p->len - p->pos >= 5 && memcmp(p->s + p->pos, "false", 5) == 0) {
		v = new_node(p, TOML_BOOL);
		p->pos += 5;
		r = 0;
	} else if (isdig(c) && looks_like_datetime(p)) {
		v = new_node(p, TOML_DATETIME);
		r = parse_datetime(p, v);
	} else if (isdig(c) || c == '+' || c == '-' || c == 'i' || c == 'n') {
		v = new_node(p, TOML_INTEGER);
		r = parse_number(p, v);
	} else {
		return perr(p, p->pos, "expected a value, found %s", CH(p, p->pos));
	}
	if (r < 0)
		return r;
	v->off = (uint32_t)off;
	v->end = (uint32_t)p->pos;
	*out = v;
	return 0;
}

static int
parse_header(struct parser *p, size_t line_off)
{
	char chbuf[48];
	size_t hoff = p->pos, key_off, key_end = 0;
	bool aot = p->pos + 1 < p->len && p->s[p->pos + 1] == '[';
	struct toml_node *t = p->doc->root, *c = NULL, *arr = NULL;
	struct toml_node keyn;
	int r;

	p->pos += aot ? 2 : 1;
	skip_ws(p);
	key_off = p->pos;
	for (;;) {
		memset(&keyn, 0, sizeof(keyn));
		r = parse_key_seg(p, &keyn);
		if (r < 0)
			return r;
		key_end = p->pos;
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != '.')
			break;
		c = toml_tab_find(t, keyn.key, keyn.key_len);
		if (c == NULL) {
			c = new_table(p, TK_IMPLICIT, keyn.koff, key_end);
			c->key = keyn.key;
			c->flags |= keyn.flags & NF_RAWKEY;
			c->key_len = keyn.key_len;
			c->koff = keyn.koff;
			toml_tab_add(&p->doc->arena, t, c);
		} else if (c->type == TOML_TABLE) {
			if (c->tkind == TK_INLINE || (c->flags & NF_FROZEN))
				return perr(p, keyn.koff, "cannot extend inline table '%.*s'",
					    (int)(key_end - key_off), p->s + key_off);
		} else if (c->flags & NF_AOT) {
			c = c->u.c.last;
		} else if (c->type == TOML_ARRAY) {
			return perr(p, keyn.koff, "cannot extend array '%.*s'",
				    (int)(key_end - key_off), p->s + key_off);
		} else {
			return perr(p, keyn.koff, "key '%.*s' already has a value",
				    (int)(key_end - key_off), p->s + key_off);
		}
		t = c;
		p->pos++;
		skip_ws(p);
	}
	if (p->pos >= p->len || p->s[p->pos] != ']' ||
	    (aot && (p->pos + 1 >= p->len || p->s[p->pos + 1] != ']')))
		return perr(p, p->pos, "expected '%s' to close the table header, found %s",
			    aot ? "]]" : "]", CH(p, p->pos));
	p->pos += aot ? 2 : 1;
	c = toml_tab_find(t, keyn.key, keyn.key_len);
	if (!aot) {
		if (c == NULL) {
			c = new_table(p, TK_HEADER, hoff, p->pos);
			c->key = keyn.key;
			c->flags |= keyn.flags & NF_RAWKEY;
			c->key_len = keyn.key_len;
			c->koff = keyn.koff;
			toml_tab_add(&p->doc->arena, t, c);
		} else if (c->type == TOML_TABLE && c->tkind == TK_IMPLICIT) {
			c->tkind = TK_HEADER;
			c->off = (uint32_t)hoff;
			c->end = (uint32_t)p->pos;
		} else if (c->type == TOML_TABLE && c->tkind == TK_INLINE) {
			return perr(p, hoff, "cannot redefine inline table '%.*s'",
				    (int)(key_end - key_off), p->s + key_off);
		} else if (c->type == TOML_TABLE) {
			return perr(p, hoff, "table '%.*s' is defined more than once",
				    (int)(key_end - key_off), p->s + key_off);
		} else if (c->flags & NF_AOT) {
			return perr(p, hoff, "'%.*s' is already an array of tables",
				    (int)(key_end - key_off), p->s + key_off);
		} else {
			return perr(p, hoff, "key '%.*s' already has a value",
				    (int)(key_end - key_off), p->s + key_off);
		}
	} else {
		if (c == NULL) {
			arr = new_node(p, TOML_ARRAY);
			arr->flags |= NF_AOT;
			arr->key = keyn.key;
			arr->flags |= keyn.flags & NF_RAWKEY;
			arr->key_len = keyn.key_len;
			arr->koff = keyn.koff;
			arr->off = (uint32_t)hoff;
			arr->end = (uint32_t)p->pos;
			toml_tab_add(&p->doc->arena, t, arr);
		} else if (c->flags & NF_AOT) {
			arr = c;
		} else if (c->type == TOML_ARRAY) {
			return perr(p, hoff, "cannot append to static array '%.*s'",
				    (int)(key_end - key_off), p->s + key_off);
		} else {
			return perr(p, hoff, "'%.*s' is already defined as a %s",
				    (int)(key_end - key_off), p->s + key_off,
				    c->type == TOML_TABLE ? "table" : "value");
		}
		c = new_table(p, TK_AOTELEM, hoff, p->pos);
		c->koff = keyn.koff;
		toml_tab_add(&p->doc->arena, arr, c);
	}
	c->u.c.tab->hdr_off = (uint32_t)line_off;
	if (!p->doc->has_hdr) {
		p->doc->has_hdr = true;
		p->doc->first_hdr = (uint32_t)line_off;
	}
	p->sect = c;
	return 0;
}

/* After a top-level key = value line: where the next key of each table
 * it went through should go. */
static void
note_kv_line(struct parser *p, struct toml_node *v, size_t line_off)
{
	struct toml_node *t = NULL;

	for (t = v->parent; t != NULL; t = t->parent) {
		t->u.c.tab->ins_off = (uint32_t)p->pos;
		t->u.c.tab->ind_off = (uint32_t)line_off;
		t->u.c.tab->ind_len = v->koff - (uint32_t)line_off;
		if (t->tkind != TK_DOTTED)
			break;
	}
	if (p->sect == p->doc->root)
		p->root_kvs = true;
	else if (!p->doc->has_kvind) {
		p->doc->has_kvind = true;
		p->doc->kvind_off = (uint32_t)line_off;
		p->doc->kvind_len = v->koff - (uint32_t)line_off;
	}
}

/* Where a new top-level key goes when the root has none. */
static uint32_t
root_ins_off(const struct toml_doc *doc)
{
	size_t off, ls, i;

	if (!doc->has_hdr)
		return (uint32_t)doc->len;
	off = doc->first_hdr;
	/* stay above comment lines that sit right on top of the header */
	while (off > doc->bom) {
		ls = off - 1;
		while (ls > doc->bom && doc->text[ls - 1] != '\n')
			ls--;
		i = ls;
		while (i < off && (doc->text[i] == ' ' || doc->text[i] == '\t'))
			i++;
		if (i >= off || doc->text[i] != '#')
			break;
		off = ls;
	}
	return (uint32_t)off;
}

int
toml_parse_into(struct toml_doc *doc, struct rpx_err *err)
{
	struct parser p;
	struct toml_node *v = NULL;
	const char *nl = NULL;
	size_t line_off, bad;
	int r = 0;

	memset(&p, 0, sizeof(p));
	strbuf_init(&p.sb);
	p.doc = doc;
	p.s = doc->text;
	p.len = doc->len;
	p.err = err;
	doc->root = new_table(&p, TK_ROOT, 0, 0);
	doc->root->u.c.tab->doc = doc;
	p.sect = doc->root;
	if (p.len >= 3 && memcmp(p.s, "\xEF\xBB\xBF", 3) == 0)
		doc->bom = 3;
	p.pos = doc->bom;
	bad = utf8_check((const unsigned char *)p.s, p.len);
	if (bad < p.len) {
		r = perr(&p, bad, "invalid utf-8 byte 0x%02X",
			 (unsigned char)p.s[bad]);
		goto out;
	}
	nl = memchr(p.s, '\n', p.len);
	doc->crlf = nl != NULL && nl > p.s && nl[-1] == '\r';
	while (p.pos < p.len) {
		line_off = p.pos;
		skip_ws(&p);
		if (p.pos >= p.len)
			break;
		if (p.s[p.pos] == '[') {
			r = parse_header(&p, line_off);
			if (r < 0)
				goto out;
			r = end_line(&p, "table header");
			if (r < 0)
				goto out;
			p.sect->u.c.tab->ins_off = (uint32_t)p.pos;
			p.sect->u.c.tab->ind_off = (uint32_t)p.pos;
			p.sect->u.c.tab->ind_len = 0;
		} else if (p.s[p.pos] == '#' || at_newline(&p)) {
			r = end_line(&p, "comment");
			if (r < 0)
				goto out;
		} else {
			r = parse_kv(&p, p.sect, &v);
			if (r < 0)
				goto out;
			r = end_line(&p, "value");
			if (r < 0)
				goto out;
			note_kv_line(&p, v, line_off);
		}
	}
	if (!p.root_kvs)
		doc->root->u.c.tab->ins_off = root_ins_off(doc);
out:
	strbuf_release(&p.sb);
	return r;
}
