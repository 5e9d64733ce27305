/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * json.h - a streaming JSON writer for --json output.
 *
 * Output is one pretty-printed document (2-space indent) ending in a
 * newline. The writer inserts commas itself; a key must precede each value
 * inside an object. Strings are escaped per RFC 8259 (control characters
 * as \u00XX); valid UTF-8 is passed through as it is.
 *
 * The output is always valid UTF-8, whatever the bytes given (a folder's
 * name is any bytes but '/' and NUL): each longest start of a sequence
 * that cannot be completed (a stray continuation byte, 0xC0, 0xC1,
 * 0xF5..0xFF, an overlong form, a UTF-16 surrogate, a code point past
 * U+10FFFF, a sequence cut short) is written as one \ufffd, the Unicode
 * replacement character, as Python's and browsers' decoders replace it.
 * \ufffd rather than \u00XX of the byte: \u00ff would read as a real
 * "ÿ", a different name, while U+FFFD says plainly that a byte was lost.
 *
 * A command's document is written between json_doc_begin() and
 * json_doc_end(): an object whose first field is "schema": JSON_SCHEMA
 * and whose last is "invalid_utf8": true when any string in it had bytes
 * replaced (the field is absent otherwise).
 */
#ifndef RPX_JSON_H
#define RPX_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32
/* The version of the --json documents' layout: raised when a field
 * changes meaning or goes away (new fields do not change it). */
#define JSON_SCHEMA 1

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* no element written yet at depth */
	bool after_key;
	bool invalid_utf8;		/* a string had bytes replaced */
};

void json_init(struct json *j, FILE *f);
/* Open a command's document with "schema"; close it, with "invalid_utf8"
 * when needed. */
void json_doc_begin(struct json *j);
void json_doc_end(struct json *j);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);	/* NULL writes null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Write a JSON string literal for s to f (no structure handling); true
 * when invalid UTF-8 was replaced. */
bool json_write_string(FILE *f, const char *s);

/* Shorthands: key plus value. */
void json_kstr(struct json *j, const char *key, const char *s);
void json_kint(struct json *j, const char *key, long long v);
void json_kbool(struct json *j, const char *key, bool v);

#endif
