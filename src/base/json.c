/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* json.c - streaming JSON writer (see json.h). */
#include "json.h"

#include <stdlib.h>

void
json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
	j->invalid_utf8 = false;
}

static void
indent(struct json *j)
{
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Called before every value and every key. */
static void
pre_value(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth])
			fputc(',', j->f);
		indent(j);
	}
	j->first[j->depth] = false;
}

static void
begin(struct json *j, int c)
{
	pre_value(j);
	fputc(c, j->f);
	if (j->depth + 1 >= JSON_MAX_DEPTH)
		abort();
	j->depth++;
	j->first[j->depth] = true;
}

static void
finish(struct json *j, int c)
{
	bool empty = j->first[j->depth];

	j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

void
json_doc_begin(struct json *j)
{
	j->invalid_utf8 = false;
	begin(j, '{');
	json_kint(j, "schema", JSON_SCHEMA);
}

void
json_doc_end(struct json *j)
{
	/* last, since a bad byte may come in the document's last string */
	if (j->invalid_utf8)
		json_kbool(j, "invalid_utf8", true);
	finish(j, '}');
}

void json_obj_begin(struct json *j) { begin(j, '{'); }
void json_obj_end(struct json *j) { finish(j, '}'); }
void json_arr_begin(struct json *j) { begin(j, '['); }
void json_arr_end(struct json *j) { finish(j, ']'); }

/*
 * The length of the valid UTF-8 sequence at p (1 to 4), or 0 when p starts
 * none; then *bad is how many bytes make the longest start of one (its
 * "maximal subpart", at least 1), which become one U+FFFD, as Unicode
 * recommends and Python's and browsers' decoders do. Overlong forms,
 * surrogates (ED A0..BF) and code points past U+10FFFF are invalid.
 */
static size_t
utf8_valid(const unsigned char *p, size_t *bad)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	*bad = 1;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 1;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 2;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* else overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* else a surrogate */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 3;
		if (p[0] == 0xf0)
			lo = 0x90;	/* else overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* else past U+10FFFF */
	} else {
		return 0;	/* a continuation byte, C0, C1, F5..FF */
	}
	for (i = 1; i <= need; i++) {
		/* the terminating NUL is never a continuation byte */
		if (p[i] < lo || p[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

bool
json_write_string(FILE *f, const char *s)
{
	bool replaced = false;
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		size_t n, bad;

		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(f, "\\u%04x", *p);
				break;
			}
			n = utf8_valid(p, &bad);
			if (n == 0) {
				fputs("\\ufffd", f);
				replaced = true;
				p += bad;
				continue;
			}
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
	fputc('"', f);
	return replaced;
}

void
json_key(struct json *j, const char *key)
{
	pre_value(j);
	if (json_write_string(j->f, key))
		j->invalid_utf8 = true;
	fputs(": ", j->f);
	j->after_key = true;
}

void
json_str(struct json *j, const char *s)
{
	if (s == NULL) {
		json_null(j);
		return;
	}
	pre_value(j);
	if (json_write_string(j->f, s))
		j->invalid_utf8 = true;
}

void
json_int(struct json *j, long long v)
{
	pre_value(j);
	fprintf(j->f, "%lld", v);
}

void
json_bool(struct json *j, bool v)
{
	pre_value(j);
	fputs(v ? "true" : "false", j->f);
}

void
json_null(struct json *j)
{
	pre_value(j);
	fputs("null", j->f);
}

void json_kstr(struct json *j, const char *k, const char *s) { json_key(j, k); json_str(j, s); }
void json_kint(struct json *j, const char *k, long long v) { json_key(j, k); json_int(j, v); }
void json_kbool(struct json *j, const char *k, bool v) { json_key(j, k); json_bool(j, v); }
