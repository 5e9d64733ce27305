/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toml.h - a format-preserving TOML 1.0.0 reader and editor.
 *
 * A struct toml_doc holds the exact bytes it was parsed from plus a tree of
 * nodes that point into them. Nothing is ever normalised: serialising a
 * document that was not edited gives back the input byte for byte (BOM,
 * CRLF, comments, blank lines, key order, quoting and number spelling).
 * An edit changes only the bytes it must (a value span, one inserted line,
 * one appended table), then re-parses the result; the document is replaced
 * only when the new text parses, so a document always holds valid TOML.
 *
 * Invariants
 *  - toml_doc_text() is NUL-terminated and always parses without error;
 *  - every node belongs to its document; node pointers, key and string
 *    pointers stay valid until the next edit of that document or
 *    toml_doc_free(); an edit invalidates them all (look them up again);
 *  - keys and strings are decoded UTF-8, NUL-terminated, and may contain
 *    NUL bytes (their length is given separately where it matters);
 *  - to stay small, plain keys and strings are kept as the bytes in the
 *    text until first asked for: reading one may then copy it into the
 *    document's memory, so one document must not be read by two threads
 *    at once without a lock;
 *  - documents are limited to 1 GiB and to nesting depth TOML_MAX_DEPTH.
 *
 * Ownership
 *  - toml_parse() copies the input; the caller keeps its buffer;
 *    toml_parse_take() adopts a malloc'd buffer instead.
 *  - the document owns every node and string; the caller frees the
 *    document with toml_doc_free() (NULL is allowed).
 *  - no function here keeps a pointer to a caller's argument.
 *
 * Errors
 *  - functions return 0 or a negative RPX_E* code (see rpx.h);
 *  - RPX_EPARSE: the struct rpx_err (may be NULL) is filled with the path
 *    given to toml_parse(), a 1-based line and column (the column counts
 *    characters, not bytes; a leading BOM is not counted) and one message,
 *    lowercase, quoting the subject; nothing is allocated for the caller;
 *  - RPX_EINVAL: a bad argument (empty key path, value of the wrong shape,
 *    setting below a value that is not a table); the rpx_err says why;
 *  - RPX_ENOTFOUND: toml_unset() of a key that does not exist;
 *  - RPX_EPARSE from an edit: its result would not parse (a limit of the
 *    editor, never expected; err gives the position in the edited text);
 *  - on any error the document is left exactly as it was.
 */
#ifndef RPX_TOML_H
#define RPX_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rpx.h"

#define TOML_MAX_DEPTH 100	/* nested arrays and inline tables */

struct toml_doc;
struct toml_node;

enum toml_type {
	TOML_TABLE,		/* [header], dotted-key or inline table */
	TOML_ARRAY,		/* [ ... ] or an array of tables [[...]] */
	TOML_STRING,
	TOML_INTEGER,
	TOML_FLOAT,
	TOML_BOOL,
	TOML_DATETIME,		/* offset date-time: 1979-05-27T07:32:00Z */
	TOML_DATETIME_LOCAL,	/* 1979-05-27T07:32:00 */
	TOML_DATE_LOCAL,	/* 1979-05-27 */
	TOML_TIME_LOCAL,	/* 07:32:00 */
};

/* A decoded date and/or time; fields that the value lacks are zero. */
struct toml_datetime {
	int year, month, day;
	int hour, minute, second;
	int nanosecond;		/* fraction of a second, truncated to 9 digits */
	int frac_digits;	/* digits written (0..9), to print it back */
	int offset_minutes;	/* east of UTC; only when has_offset */
	bool has_date, has_time, has_offset;
};

/*
 * Parse len bytes of data (need not be NUL-terminated; may contain any
 * byte). path is only used in error messages (NULL: none). On success
 * *out holds a new document; on error *out is NULL and err says where.
 */
int toml_parse(struct toml_doc **out, const char *data, size_t len,
	       const char *path, struct rpx_err *err);
/*
 * The same, taking ownership of buf (malloc'd, at least len + 1 bytes:
 * buf[len] is overwritten by a NUL) instead of copying it; buf is freed on
 * error. Saves one copy of a big file.
 */
int toml_parse_take(struct toml_doc **out, char *buf, size_t len,
		    const char *path, struct rpx_err *err);
void toml_doc_free(struct toml_doc *doc);

/* The document's bytes (serialised form). *len may be NULL. */
const char *toml_doc_text(const struct toml_doc *doc, size_t *len);
/* The top-level table; never NULL. */
const struct toml_node *toml_doc_root(const struct toml_doc *doc);
/* True when the document's first newline is CRLF. */
bool toml_doc_crlf(const struct toml_doc *doc);

/*
 * Split a dotted key written in TOML syntax ("target.'cfg(unix)'.linker",
 * "build.target") into decoded segments. On success *segs is a malloc'd
 * NULL-terminated array of malloc'd strings (free with toml_segs_free())
 * and *n its length. RPX_EPARSE with err (column in key) otherwise.
 */
int toml_key_split(const char *key, char ***segs, size_t *n,
		   struct rpx_err *err);
void toml_segs_free(char **segs);

/*
 * The node at a path of decoded segments, or NULL when absent. A segment
 * naming an array of tables steps into its last table (as TOML headers
 * do). n == 0 gives the root.
 */
const struct toml_node *toml_get(const struct toml_doc *doc,
				 const char *const *segs, size_t n);
/* The same with a dotted key in TOML syntax; NULL if absent or malformed. */
const struct toml_node *toml_get_key(const struct toml_doc *doc,
				     const char *key);

enum toml_type toml_node_type(const struct toml_node *node);
/* "table", "array", "string", "integer", "float", "bool", "datetime"... */
const char *toml_type_name(enum toml_type type);
/* True for a table written inline ({ ... }) or for an array of tables. */
bool toml_node_is_inline(const struct toml_node *node);
bool toml_node_is_aot(const struct toml_node *node);

/* The key under which the node sits in its table (NULL for array
 * elements and the root); *len (may be NULL) gets its length. */
const char *toml_node_key(const struct toml_node *node, size_t *len);
/* The enclosing table or array (NULL for the root). */
const struct toml_node *toml_node_parent(const struct toml_node *node);

/*
 * Where the node is written: 1-based line and column (characters) of its
 * value (scalars, arrays, inline tables), of its [header] (tables declared
 * by one) or of its first key (tables made by dotted keys or headers of
 * sub-tables). Computed on demand by scanning the text (O(size)).
 */
void toml_node_pos(const struct toml_doc *doc, const struct toml_node *node,
		   int *line, int *col);
/* The value's source text (e.g. "0x1F", "'lit'", "[1, 2]"); empty for
 * tables that are not inline. Not NUL-terminated: use *len. */
const char *toml_node_raw(const struct toml_doc *doc,
			  const struct toml_node *node, size_t *len);

/* Decoded scalars. Each returns 0, or RPX_EINVAL if the type differs. */
int toml_node_string(const struct toml_node *node, const char **s,
		     size_t *len);
int toml_node_int(const struct toml_node *node, int64_t *v);
int toml_node_float(const struct toml_node *node, double *v);
int toml_node_bool(const struct toml_node *node, bool *v);
int toml_node_datetime(const struct toml_doc *doc,
		       const struct toml_node *node, struct toml_datetime *dt);
/* Shorthand: the string, or NULL when the node is NULL or not a string. */
const char *toml_node_cstr(const struct toml_node *node);

/*
 * Children of a table (in the order they were first defined) or of an
 * array (in order); NULL at the end or for scalars.
 */
const struct toml_node *toml_node_first(const struct toml_node *node);
const struct toml_node *toml_node_next(const struct toml_node *node);
size_t toml_node_count(const struct toml_node *node);
/* The child of a table with the given decoded key, or NULL. */
const struct toml_node *toml_table_get(const struct toml_node *table,
				       const char *key);

/*
 * Set the key at segs[0..n) to value_toml, a TOML value in TOML syntax
 * ("\"x\"", "true", "[\"-C\", \"target-cpu=cortex-a72\"]", "{ a = 1 }")
 * which is parsed and validated first.
 *  - an existing key defined by key = value gets its value span replaced;
 *    everything around it (comment, whitespace, quoting) is kept;
 *  - a new key goes into the table where it belongs, reusing what exists:
 *    the [table] section (after its last key), the dotted form
 *    (a.b.c = ...) where the table was made by dotted keys, or the inline
 *    table (rewritten with one more key); otherwise a [table] is appended
 *    at the end of the file, in the file's newline style, key
 *    indentation, '=' spacing and key quoting;
 *  - a key below a value that is not a table, or a key that is a table
 *    defined by a header, is RPX_EINVAL with err explaining it.
 * The result is re-parsed; on any error the document is unchanged.
 */
int toml_set(struct toml_doc *doc, const char *const *segs, size_t n,
	     const char *value_toml, struct rpx_err *err);
/* Typed shorthands that write the value in TOML syntax for the caller. */
int toml_set_string(struct toml_doc *doc, const char *const *segs, size_t n,
		    const char *s, struct rpx_err *err);
int toml_set_bool(struct toml_doc *doc, const char *const *segs, size_t n,
		  bool v, struct rpx_err *err);
int toml_set_int(struct toml_doc *doc, const char *const *segs, size_t n,
		 int64_t v, struct rpx_err *err);
int toml_set_strings(struct toml_doc *doc, const char *const *segs, size_t n,
		     const char *const *items, size_t nitems,
		     struct rpx_err *err);
/*
 * Remove the key at segs[0..n): its key = value line (with its comment),
 * its entry in an inline table, or, for a table, its [header] section and
 * everything defined below it. Tables that existed only to hold what was
 * removed disappear with it. RPX_ENOTFOUND when the key is absent.
 */
int toml_unset(struct toml_doc *doc, const char *const *segs, size_t n,
	       struct rpx_err *err);

/*
 * Write a TOML value for a string into a malloc'd NUL-terminated buffer:
 * a basic string with every needed escape. Never fails.
 */
char *toml_quote_string(const char *s, size_t len);

#endif
