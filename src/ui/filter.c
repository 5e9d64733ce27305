/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* filter.c - type-to-filter matching (see filter.h). */
#include "filter.h"

#include <string.h>

static unsigned char
fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Does the word (wlen bytes) occur in text, ASCII case-insensitively? */
static bool
contains(const char *text, const char *word, size_t wlen)
{
	size_t tlen = strlen(text);

	if (wlen > tlen)
		return false;
	for (size_t i = 0; i + wlen <= tlen; i++) {
		size_t k = 0;

		/* never start inside a UTF-8 sequence */
		if (((unsigned char)text[i] & 0xc0) == 0x80)
			continue;
		while (k < wlen && fold((unsigned char)text[i + k]) ==
				   fold((unsigned char)word[k]))
			k++;
		if (k == wlen)
			return true;
	}
	return false;
}

bool
filter_match(const char *text, const char *query)
{
	const char *p = query;

	if (query == NULL)
		return true;
	for (;;) {
		size_t n;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			return true;
		n = strcspn(p, " ");
		if (text == NULL || !contains(text, p, n))
			return false;
		p += n;
	}
}

int
filter_apply(const char *const *texts, int n, const char *query, int *out)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		if (filter_match(texts[i], query))
			out[k++] = i;
	return k;
}
