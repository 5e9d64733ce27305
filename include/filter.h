/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * filter.h - type-to-filter matching for the wizard's lists (no curses).
 *
 * A query matches a text when every space-separated word of the query
 * occurs in the text. ASCII letters match regardless of case; other bytes
 * (UTF-8 sequences) must match exactly, so "é" finds "é" and never a
 * part of another character.
 */
#ifndef RPX_FILTER_H
#define RPX_FILTER_H

#include <stdbool.h>

/* True when every word of query occurs in text (an empty query matches). */
bool filter_match(const char *text, const char *query);

/*
 * Fill out[] with the indexes of texts[0..n) that match query, in order;
 * returns how many. out must have room for n entries. A NULL text never
 * matches a non-empty query (headers and separators).
 */
int filter_apply(const char *const *texts, int n, const char *query, int *out);

#endif
