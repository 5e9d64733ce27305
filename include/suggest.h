/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * suggest.h - "did you mean": the known names closest to a mistyped one.
 *
 * The distance is the optimal string alignment distance (Levenshtein plus
 * the swap of two neighbouring characters, each edit costing one), with
 * ASCII letters compared without case, since board ids are matched that
 * way. A name is suggested only when it is close for the length of what
 * was typed: at most a third of it, at least 1 and at most 2 edits, and
 * fewer edits than the typed length (so "x" never suggests "a"). Of those,
 * all at the smallest distance are kept, in the order they were offered,
 * so a caller offering names in its listing order prints them in that
 * order. Names are not copied: they must outlive the struct suggest.
 */
#ifndef RPX_SUGGEST_H
#define RPX_SUGGEST_H

#include <stddef.h>

/* The edit distance between a and b (see above). */
size_t rpx_edit_distance(const char *a, const char *b);
/* The largest distance suggested for a typed word of length len. */
size_t suggest_limit(size_t len);

struct suggest {
	const char *typed;
	size_t limit;		/* suggest_limit(strlen(typed)) */
	size_t best;		/* distance of names[], or limit + 1 */
	const char **names;	/* the closest offered so far */
	size_t n, alloc;
};

void suggest_init(struct suggest *s, const char *typed);
/* Offer one known name (NULL is ignored, as is the typed word itself). */
void suggest_add(struct suggest *s, const char *name);
/*
 * "Did you mean 'A'?", "Did you mean 'A' or 'B'?", "'A', 'B' or 'C'?"
 * with prefix before each name (e.g. "--"), malloc'd; NULL when nothing
 * was close enough.
 */
char *suggest_text(const struct suggest *s, const char *prefix);
void suggest_release(struct suggest *s);

#endif
