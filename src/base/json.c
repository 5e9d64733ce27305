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

void json_obj_begin(struct json *j) { begin(j, '{'); }
void json_obj_end(struct json *j) { finish(j, '}'); }
void json_arr_begin(struct json *j) { begin(j, '['); }
void json_arr_end(struct json *j) { finish(j, ']'); }

void
json_write_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void
json_key(struct json *j, const char *key)
{
	pre_value(j);
	json_write_string(j->f, key);
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
	json_write_string(j->f, s);
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
