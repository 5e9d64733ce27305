/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* strvec.c - a NULL-terminated vector of owned strings (see strvec.h). */
#include "strvec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpx.h"

void
strvec_init(struct strvec *sv)
{
	sv->v = NULL;
	sv->n = 0;
	sv->alloc = 0;
}

const char *
strvec_push_nodup(struct strvec *sv, char *s)
{
	ALLOC_GROW(sv->v, sv->n + 2, sv->alloc);
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
	return s;
}

const char *
strvec_push(struct strvec *sv, const char *s)
{
	return strvec_push_nodup(sv, xstrdup(s));
}

const char *
strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return strvec_push_nodup(sv, s);
}

void
strvec_pushv(struct strvec *sv, const char *const *v)
{
	for (; v != NULL && *v != NULL; v++)
		strvec_push(sv, *v);
}

void
strvec_pop(struct strvec *sv)
{
	if (sv->n == 0)
		return;
	free(sv->v[--sv->n]);
	sv->v[sv->n] = NULL;
}

void
strvec_clear(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	strvec_init(sv);
}

char **
strvec_detach(struct strvec *sv)
{
	char **v = sv->v;

	if (v == NULL)
		v = xcalloc(1, sizeof(*v));
	strvec_init(sv);
	return v;
}

bool
strvec_has(const struct strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

bool
strvec_equal(const struct strvec *a, const struct strvec *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

void
strvec_free_array(char **v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}
