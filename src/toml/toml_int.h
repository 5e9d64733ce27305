/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toml_int.h - the toml module's private structures, shared by toml_tree.c
 * (memory, tables), toml.c (queries), toml_parse.c (parser) and toml_edit.c
 * (edits).
 * Nothing outside src/toml/ includes this file.
 */
#ifndef RPX_TOML_INT_H
#define RPX_TOML_INT_H

#include <stdint.h>

#include "strbuf.h"
#include "toml.h"

#define TOML_MAX_LEN ((size_t)1 << 30)

/* How a table came to exist; it decides where new keys for it go. */
enum toml_tkind {
	TK_NONE,	/* not a table */
	TK_ROOT,	/* the document */
	TK_IMPLICIT,	/* made on the way by a header ([a.b] makes a) */
	TK_HEADER,	/* declared by a [header] */
	TK_AOTELEM,	/* one [[header]] element */
	TK_DOTTED,	/* made by dotted keys (a.b = 1 makes a) */
	TK_INLINE,	/* an inline table value { ... } */
};

/* node flags */
#define NF_KV     0x01	/* the value of a key = value (kv_off is set) */
#define NF_FROZEN 0x02	/* inside an inline table or a static array */
#define NF_AOT    0x04	/* an array made by [[header]] */
#define NF_DOTSEC 0x08	/* a section table whose keys use dotted form */
#define NF_RAWKEY 0x10	/* key points into the text: no NUL, copy on demand */
#define NF_RAWSTR 0x20	/* string points into the text: the same */

/* Extra state of a table node. Offsets are byte offsets into the text. */
struct toml_tab {
	struct toml_node *last;	/* last child */
	struct toml_doc *doc;	/* the root's: its document */
	struct toml_node **idx;	/* open-addressing index once n >= 8 */
	uint32_t idx_cap;
	uint32_t n;		/* children */
	uint32_t hdr_off;	/* start of the [header] line */
	uint32_t ins_off;	/* where a new key = value line goes */
	uint32_t ind_off;	/* indentation of the last key = value line */
	uint32_t ind_len;
	uint32_t *kvs;		/* inline tables: (kv start, value end) pairs */
	uint32_t nkv, kvcap;
};

/* 64 bytes on LP64: a 1 MB config holds tens of thousands of these. */
struct toml_node {
	struct toml_node *parent;
	struct toml_node *next;	/* next child of parent */
	const char *key;	/* decoded key, NULL for array elements */
	uint32_t key_len;
	uint32_t koff;		/* NF_KV: start of the key = value; other
				   keyed nodes: the key segment as written */
	uint32_t off, end;	/* value span; tables: header or key span */
	uint8_t type;		/* enum toml_type */
	uint8_t tkind;		/* enum toml_tkind */
	uint8_t flags;
	union {
		int64_t i;
		double f;
		int b;
		struct {
			const char *s;
			uint32_t len;
		} str;
		struct {
			struct toml_node *first;
			union {
				struct toml_node *last;	/* arrays */
				struct toml_tab *tab;	/* tables */
			};
		} c;
	} u;
};

struct toml_blk {
	struct toml_blk *next;
	size_t used, cap;
	/* data follows, 16-byte aligned */
};

struct toml_arena {
	struct toml_blk *head;
};

struct toml_doc {
	char *text;		/* NUL-terminated, owned */
	size_t len;
	char *path;		/* for messages, may be NULL */
	struct toml_node *root;
	struct toml_arena arena;
	size_t bom;		/* 3 when the text starts with a UTF-8 BOM */
	bool crlf;		/* first newline is CRLF */
	bool lit_keys;		/* some key is written as a 'literal' */
	uint32_t eq_off, eq_len;	/* text around the first '=' */
	bool has_eq;
	uint32_t kvind_off, kvind_len;	/* indent of a key under a header */
	bool has_kvind;
	uint32_t first_hdr;	/* start of the first header line, or len */
	bool has_hdr;
};

/* Zeroed memory aligned to 8 bytes; toml_arena_str: unaligned copy + NUL. */
void *toml_arena_alloc(struct toml_arena *a, size_t n);
const char *toml_arena_str(struct toml_arena *a, const char *s, size_t n);
void toml_arena_release(struct toml_arena *a);

/* Line and column (characters) of byte offset off. */
void toml_pos(const char *text, size_t len, size_t bom, size_t off,
	      int *line, int *col);

/* Table children: lookup by decoded key, and append (keeps the index). */
struct toml_node *toml_tab_find(const struct toml_node *t, const char *key,
				size_t len);
void toml_tab_add(struct toml_arena *a, struct toml_node *t,
		  struct toml_node *child);

/*
 * Scan a date/time at s (len bytes available). Returns NULL and sets *used
 * and *dt on success, else a message; *used is then where it failed.
 */
const char *toml_dt_scan(const char *s, size_t len, size_t *used,
			 struct toml_datetime *dt);

/* Parse doc->text into doc (whose parse state must be zero). */
int toml_parse_into(struct toml_doc *doc, struct rpx_err *err);
/* Free the node tree and zero the parse state; text and path stay. */
void toml_doc_clear(struct toml_doc *doc);
/* Length of the key segment written at text + off. */
size_t toml_raw_key_len(const char *text, size_t len, size_t off);

/* A key segment as TOML would write it (bare when possible). */
void toml_key_write(struct strbuf *sb, const char *key, size_t len,
		    bool prefer_literal);

#endif
