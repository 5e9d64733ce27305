/*
 * json.h - a streaming JSON writer for --json output.
 *
 * Output is one pretty-printed document (2-space indent) ending in a
 * newline. The writer inserts commas itself; a key must precede each value
 * inside an object. Strings are escaped per RFC 8259 (control characters
 * as \u00XX; other bytes, including UTF-8, are passed through).
 */
#ifndef RPX_JSON_H
#define RPX_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* no element written yet at depth */
	bool after_key;
};

void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);	/* NULL writes null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Write a JSON string literal for s to f (no structure handling). */
void json_write_string(FILE *f, const char *s);

/* Shorthands: key plus value. */
void json_kstr(struct json *j, const char *key, const char *s);
void json_kint(struct json *j, const char *key, long long v);
void json_kbool(struct json *j, const char *key, bool v);

#endif
