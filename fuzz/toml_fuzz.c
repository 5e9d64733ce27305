/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toml_fuzz.c - libFuzzer target for the toml module.
 *
 * For every input that parses: serialising must give back the same bytes,
 * the text must parse again, and a set of edits (replace and unset each of
 * the first keys found, add keys in new and existing tables) must either
 * succeed, leaving a document whose text parses and whose edited key reads
 * back, or fail cleanly with RPX_EINVAL for a reason of the caller's (never
 * RPX_EPARSE: the edit produced invalid TOML). Any violation aborts, which libFuzzer
 * reports as a crash.
 *
 *   make fuzz FUZZ_SECONDS=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpx.h"
#include "toml.h"

#define MAX_PATHS 6
#define MAX_SEGS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct path {
	const char *segs[MAX_SEGS];
	size_t n;
};

static void
die(const char *what, const struct rpx_err *err)
{
	fprintf(stderr, "toml_fuzz: %s: %d:%d: %s\n", what, err ? err->line : 0,
		err ? err->col : 0, err ? err->msg : "");
	abort();
}

/* Collect paths to the first keys (not through arrays), depth first. */
static void
collect(const struct toml_node *t, struct path *cur, struct path *out,
	size_t *nout)
{
	const struct toml_node *c = NULL;

	for (c = toml_node_first(t); c != NULL && *nout < MAX_PATHS;
	     c = toml_node_next(c)) {
		if (cur->n >= MAX_SEGS)
			return;
		cur->segs[cur->n++] = toml_node_key(c, NULL);
		out[(*nout)++] = *cur;
		if (toml_node_type(c) == TOML_TABLE)
			collect(c, cur, out, nout);
		cur->n--;
	}
}

static void
check_doc(const struct toml_doc *doc)
{
	struct toml_doc *again = NULL;
	struct rpx_err err = RPX_ERR_INIT;
	size_t len = 0, len2 = 0;
	const char *text = toml_doc_text(doc, &len);

	if (toml_parse(&again, text, len, NULL, &err) != 0)
		die("document text does not parse", &err);
	if (memcmp(toml_doc_text(again, &len2), text, len) != 0 || len2 != len)
		die("re-parsed text differs", NULL);
	toml_doc_free(again);
}

static void
edit_result(int r, const struct rpx_err *err)
{
	if (r == 0 || r == RPX_ENOTFOUND)
		return;
	if (r != RPX_EINVAL)
		die("edit failed", err);
}

static void
try_edits(const uint8_t *data, size_t size)
{
	static const char *const values[] = { "1", "\"s\"", "[\"-C\", \"x\"]",
					      "{ a = 1 }" };
	struct toml_doc *doc = NULL;
	struct rpx_err err = RPX_ERR_INIT;
	struct path paths[MAX_PATHS], cur;
	const char *newk[] = { "target", "armv7-unknown-linux-gnueabihf",
			       "linker" };
	const struct toml_node *n = NULL;
	size_t np = 0, i;
	int r;

	for (i = 0; i < MAX_PATHS + 2; i++) {
		if (toml_parse(&doc, (const char *)data, size, NULL, &err) != 0)
			die("second parse failed", &err);
		memset(&cur, 0, sizeof(cur));
		np = 0;
		collect(toml_doc_root(doc), &cur, paths, &np);
		if (i < np) {
			/* keys point into doc: copy the path before editing */
			char *segs[MAX_SEGS];
			size_t k;

			for (k = 0; k < paths[i].n; k++)
				segs[k] = xstrdup(paths[i].segs[k]);
			r = toml_set(doc, (const char *const *)segs, paths[i].n,
				     values[i % ARRAY_SIZE(values)], &err);
			edit_result(r, &err);
			check_doc(doc);
			r = toml_unset(doc, (const char *const *)segs, paths[i].n,
				       &err);
			edit_result(r, &err);
			check_doc(doc);
			for (k = 0; k < paths[i].n; k++)
				free(segs[k]);
		} else {
			r = toml_set(doc, newk, 3 - (i % 2), "\"gcc\"", &err);
			edit_result(r, &err);
			if (r == 0) {
				n = toml_get(doc, newk, 3 - (i % 2));
				if (n == NULL || toml_node_cstr(n) == NULL ||
				    strcmp(toml_node_cstr(n), "gcc") != 0)
					die("the key set does not read back", NULL);
			}
			check_doc(doc);
		}
		toml_doc_free(doc);
		doc = NULL;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct toml_doc *doc = NULL;
	struct rpx_err err = RPX_ERR_INIT;
	size_t len = 0;
	const char *text = NULL;

	if (toml_parse(&doc, (const char *)data, size, "fuzz", &err) != 0) {
		if (err.line < 1 || err.col < 1 || err.msg[0] == '\0')
			die("error without a position or message", &err);
		return 0;
	}
	text = toml_doc_text(doc, &len);
	if (len != size || memcmp(text, data, size) != 0)
		die("serialised text differs from the input", NULL);
	check_doc(doc);
	toml_doc_free(doc);
	if (size <= 4096)
		try_edits(data, size);
	return 0;
}
