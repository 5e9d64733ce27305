/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * manifest.c - what a sysroot holds, as the Pi listed it (type, size,
 * mtime, path), and the diff of two such lists that tells a repeated
 * pull which files to ask for and which to keep from the previous tree.
 */
#include "sysroot_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpx.h"

void
manifest_release(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
	m->v = NULL;
	m->n = m->alloc = 0;
}

void
manifest_add(struct manifest *m, char type, long long size, long long mtime,
	     const char *path)
{
	ALLOC_GROW(m->v, m->n + 1, m->alloc);
	m->v[m->n].type = type;
	m->v[m->n].size = size;
	m->v[m->n].mtime = mtime;
	m->v[m->n].path = xstrdup(path);
	m->n++;
}

/* A path the sysroot may hold: relative, no "..", no empty part. */
static bool
path_ok(const char *p)
{
	const char *s = p;

	if (*p == '\0' || *p == '/')
		return false;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 0 || (n == 2 && strncmp(s, "..", 2) == 0) ||
		    (n == 1 && *s == '.'))
			return false;
		if (e == NULL)
			break;
		s = e + 1;
	}
	return true;
}

static bool
parse_num(const char **p, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(*p, &end, 10);
	if (end == *p || *end != '|' || errno != 0 || *out < 0)
		return false;
	*p = end + 1;
	return true;
}

int
manifest_parse(struct manifest *m, const char *text, size_t len, char *err,
	       size_t errsz)
{
	const char *p = text, *end = text + len;
	int line = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *l = xstrndup(p, n);
		const char *q = l;
		long long size, mtime;
		char type = l[0];

		line++;
		p += n + (nl ? 1 : 0);
		if (n == 0) {
			free(l);
			continue;
		}
		if (strchr("flsa", type) == NULL || l[1] != '|' ||
		    (q = l + 2, !parse_num(&q, &size)) ||
		    !parse_num(&q, &mtime) || !path_ok(q)) {
			snprintf(err, errsz, "line %d of the listing is not "
				 "'TYPE|SIZE|MTIME|PATH': '%.80s'", line, l);
			free(l);
			return RPX_EPARSE;
		}
		manifest_add(m, type, size, mtime, q);
		free(l);
	}
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct mentry *)a)->path,
		      ((const struct mentry *)b)->path);
}

void
manifest_sort(struct manifest *m)
{
	if (m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), cmp_entry);
}

const struct mentry *
manifest_find(const struct manifest *m, const char *path)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->v[mid].path, path);

		if (c == 0)
			return &m->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
manifest_format(const struct manifest *m, struct strbuf *out)
{
	for (size_t i = 0; i < m->n; i++)
		strbuf_addf(out, "%c|%lld|%lld|%s\n", m->v[i].type,
			    m->v[i].size, m->v[i].mtime, m->v[i].path);
}

void
manifest_diff(const struct manifest *old, const struct manifest *now,
	      struct mdiff *d)
{
	size_t i = 0, j = 0;

	memset(d, 0, sizeof(*d));
	while (j < now->n) {
		const struct mentry *e = &now->v[j];
		int c = i < old->n ? strcmp(old->v[i].path, e->path) : 1;

		if (c < 0) {
			if (old->v[i].type == 'f' || old->v[i].type == 'l')
				d->removed++;
			i++;
			continue;
		}
		if (c == 0 && old->v[i].type == e->type &&
		    old->v[i].size == e->size && old->v[i].mtime == e->mtime) {
			ALLOC_GROW(d->keep, d->nkeep + 1, d->akeep);
			d->keep[d->nkeep++] = e;
		} else {
			ALLOC_GROW(d->fetch, d->nfetch + 1, d->afetch);
			d->fetch[d->nfetch++] = e;
			d->fetch_bytes += e->size;
		}
		if (c == 0)
			i++;
		j++;
	}
	for (; i < old->n; i++)
		if (old->v[i].type == 'f' || old->v[i].type == 'l')
			d->removed++;
}

void
mdiff_release(struct mdiff *d)
{
	free(d->fetch);
	free(d->keep);
	memset(d, 0, sizeof(*d));
}
