/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * strvec.h - a growable, NULL-terminated vector of malloc'd strings: the
 * one way to build an argv, a list of key segments or any list of names.
 *
 * Invariants: v is NULL until the first push, then always holds n strings
 * followed by NULL (so v can be passed where a char ** argv is wanted).
 * The vector owns its strings: push copies, push_nodup takes one over,
 * pop and clear free. Ownership leaves only through strvec_detach().
 * Allocation failure aborts.
 */
#ifndef RPX_STRVEC_H
#define RPX_STRVEC_H

#include <stdbool.h>
#include <stddef.h>

struct strvec {
	char **v;
	size_t n;
	size_t alloc;
};

#define STRVEC_INIT { NULL, 0, 0 }

void strvec_init(struct strvec *sv);
/* Append a copy of s; returns the copy. */
const char *strvec_push(struct strvec *sv, const char *s);
/* Append s itself (malloc'd; the vector frees it). */
const char *strvec_push_nodup(struct strvec *sv, char *s);
const char *strvec_pushf(struct strvec *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append every string of a NULL-terminated array (copies). */
void strvec_pushv(struct strvec *sv, const char *const *v);
/* Drop (and free) the last string; nothing when empty. */
void strvec_pop(struct strvec *sv);
/* Free every string and the array; sv is empty and reusable. */
void strvec_clear(struct strvec *sv);
/*
 * Hand over the NULL-terminated array (never NULL, even when empty); the
 * caller frees each string and the array (strvec_free_array does both).
 * sv is left empty.
 */
char **strvec_detach(struct strvec *sv);
/* Whether sv holds a string equal to s. */
bool strvec_has(const struct strvec *sv, const char *s);
/* Whether a and b hold the same strings in the same order. */
bool strvec_equal(const struct strvec *a, const struct strvec *b);
/* Free a NULL-terminated array of malloc'd strings (NULL is fine). */
void strvec_free_array(char **v);

#endif
