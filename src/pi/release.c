/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * release.c - reading the Raspberry Pi OS release data (release.h) from
 * YAML: data/releases.yaml compiled in, or an edited copy. Every error
 * names path:line:col of the node at fault.
 */
#include "release.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "yamlutil.h"

struct reader {
	const char *path;
	yaml_document_t *doc;
	struct rpx_err *err;
};

static yaml_node_t *
node(const struct reader *rd, int id)
{
	return yaml_document_get_node(rd->doc, id);
}

/* Copy scalar n into buf, or an error naming what it should be. */
static int
scalar_into(const struct reader *rd, const yaml_node_t *n, const char *what,
	    char *buf, size_t bufsz)
{
	const char *s = yamlutil_scalar(n);

	if (s == NULL || s[0] == '\0')
		return yamlutil_node_err(rd->err, rd->path, n,
					 "%s: expected a value", what);
	if (strlen(s) >= bufsz)
		return yamlutil_node_err(rd->err, rd->path, n,
					 "%s: too long (%zu characters at most)",
					 what, bufsz - 1);
	snprintf(buf, bufsz, "%s", s);
	return 0;
}

static int
int_from(const struct reader *rd, const yaml_node_t *n, const char *what,
	 int *out)
{
	const char *s = yamlutil_scalar(n);
	char *end;
	long v;

	if (s == NULL || s[0] == '\0')
		return yamlutil_node_err(rd->err, rd->path, n,
					 "%s: expected a number", what);
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 1000)
		return yamlutil_node_err(rd->err, rd->path, n,
					 "%s: expected a number, not '%s'",
					 what, s);
	*out = (int)v;
	return 0;
}

static int
bool_from(const struct reader *rd, const yaml_node_t *n, const char *what,
	  bool *out)
{
	const char *s = yamlutil_scalar(n);

	if (s != NULL && strcmp(s, "true") == 0)
		*out = true;
	else if (s != NULL && strcmp(s, "false") == 0)
		*out = false;
	else
		return yamlutil_node_err(rd->err, rd->path, n,
					 "%s: expected true or false", what);
	return 0;
}

/* A sequence of scalars into rows of a char array. */
static int
list_into(const struct reader *rd, const yaml_node_t *n, const char *what,
	  char *rows, size_t rowsz, int max, int *count)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return yamlutil_node_err(rd->err, rd->path, n,
					 "%s: expected a list", what);
	*count = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		const yaml_node_t *e = node(rd, *it);

		if (*count == max)
			return yamlutil_node_err(rd->err, rd->path, e,
						 "%s: %d entries at most", what,
						 max);
		if (scalar_into(rd, e, what, rows + (size_t)*count * rowsz,
				rowsz) != 0)
			return RPX_EPARSE;
		(*count)++;
	}
	return 0;
}

static int
parse_libs(const struct reader *rd, const yaml_node_t *n,
	   struct rel_variant *v)
{
	if (n->type != YAML_MAPPING_NODE)
		return yamlutil_node_err(rd->err, rd->path, n,
					 "libraries: expected a mapping of "
					 "soname stems to sonames");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = node(rd, p->key);
		struct rel_lib *l;

		if (v->n_libs == REL_MAX_LIBS)
			return yamlutil_node_err(rd->err, rd->path, k,
						 "libraries: %d at most",
						 REL_MAX_LIBS);
		l = &v->libs[v->n_libs];
		if (scalar_into(rd, k, "libraries", l->stem,
				sizeof(l->stem)) != 0 ||
		    list_into(rd, node(rd, p->value), l->stem, l->sonames[0],
			      sizeof(l->sonames[0]), REL_MAX_SONAMES,
			      &l->n_sonames) != 0)
			return RPX_EPARSE;
		v->n_libs++;
	}
	return 0;
}

static int
parse_variant(const struct reader *rd, const yaml_node_t *n,
	      struct pi_release *r)
{
	struct rel_variant v;
	struct rel_variant *slot;
	bool have_glibc = false, have_loaders = false;

	memset(&v, 0, sizeof(v));
	if (n->type != YAML_MAPPING_NODE)
		return yamlutil_node_err(rd->err, rd->path, n,
					 "a variant: expected a mapping");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = node(rd, p->key);
		const yaml_node_t *val = node(rd, p->value);
		const char *key = yamlutil_scalar(k);
		int r2;

		if (key == NULL)
			key = "";
		if (strcmp(key, "arch") == 0)
			r2 = scalar_into(rd, val, key, v.arch, sizeof(v.arch));
		else if (strcmp(key, "bits") == 0)
			r2 = int_from(rd, val, key, &v.bits);
		else if (strcmp(key, "glibc") == 0) {
			r2 = scalar_into(rd, val, key, v.glibc,
					 sizeof(v.glibc));
			have_glibc = true;
		} else if (strcmp(key, "time64") == 0)
			r2 = bool_from(rd, val, key, &v.time64);
		else if (strcmp(key, "loaders") == 0) {
			r2 = list_into(rd, val, key, v.loaders[0],
				       sizeof(v.loaders[0]), REL_MAX_LOADERS,
				       &v.n_loaders);
			have_loaders = true;
		} else if (strcmp(key, "libraries") == 0)
			r2 = parse_libs(rd, val, &v);
		else if (strcmp(key, "time_t_abi") == 0)
			r2 = list_into(rd, val, key, v.time_libs[0],
				       sizeof(v.time_libs[0]), REL_MAX_LIBS,
				       &v.n_time_libs);
		else
			r2 = yamlutil_node_err(rd->err, rd->path, k,
					       "unknown key '%s' (arch, bits, "
					       "glibc, time64, loaders, "
					       "libraries, time_t_abi)", key);
		if (r2 != 0)
			return r2;
	}
	if (v.bits != 32 && v.bits != 64)
		return yamlutil_node_err(rd->err, rd->path, n,
					 "a variant needs bits: 32 or 64");
	if (!have_glibc || !have_loaders)
		return yamlutil_node_err(rd->err, rd->path, n,
					 "a variant needs glibc and loaders");
	slot = v.bits == 32 ? &r->v32 : &r->v64;
	if (slot->bits != 0)
		return yamlutil_node_err(rd->err, rd->path, n,
					 "a second %d-bit variant of %s",
					 v.bits, r->name);
	*slot = v;
	return 0;
}

static int
parse_release(const struct reader *rd, const yaml_node_t *n,
	      struct pi_release *r)
{
	const yaml_node_t *variants = NULL;

	if (n->type != YAML_MAPPING_NODE)
		return yamlutil_node_err(rd->err, rd->path, n,
					 "a release: expected a mapping");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = node(rd, p->key);
		const yaml_node_t *val = node(rd, p->value);
		const char *key = yamlutil_scalar(k);
		int r2 = 0;

		if (key == NULL)
			key = "";
		if (strcmp(key, "name") == 0)
			r2 = scalar_into(rd, val, key, r->name, sizeof(r->name));
		else if (strcmp(key, "debian") == 0)
			r2 = int_from(rd, val, key, &r->debian);
		else if (strcmp(key, "variants") == 0)
			variants = val;
		else
			r2 = yamlutil_node_err(rd->err, rd->path, k,
					       "unknown key '%s' (name, debian, "
					       "variants)", key);
		if (r2 != 0)
			return r2;
	}
	if (r->name[0] == '\0')
		return yamlutil_node_err(rd->err, rd->path, n,
					 "a release needs a name");
	if (variants == NULL || variants->type != YAML_SEQUENCE_NODE)
		return yamlutil_node_err(rd->err, rd->path,
					 variants ? variants : n,
					 "release %s needs a list of variants",
					 r->name);
	for (yaml_node_item_t *it = variants->data.sequence.items.start;
	     it < variants->data.sequence.items.top; it++)
		if (parse_variant(rd, node(rd, *it), r) != 0)
			return RPX_EPARSE;
	return 0;
}

static int
parse_root(const struct reader *rd, const yaml_node_t *root,
	   struct pi_releases *rs)
{
	const yaml_node_t *list = NULL;

	if (root == NULL || root->type != YAML_MAPPING_NODE)
		return rpx_err_set(rd->err, rd->path, root ?
				   (int)root->start_mark.line + 1 : 0,
				   root ? (int)root->start_mark.column + 1 : 0,
				   "expected a mapping with 'releases'");
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = node(rd, p->key);
		const char *key = yamlutil_scalar(k);

		if (key != NULL && strcmp(key, "releases") == 0)
			list = node(rd, p->value);
		else
			return yamlutil_node_err(rd->err, rd->path, k,
						 "unknown key '%s' (releases)",
						 key ? key : "");
	}
	if (list == NULL || list->type != YAML_SEQUENCE_NODE)
		return yamlutil_node_err(rd->err, rd->path, list ? list : root,
					 "releases: expected a list");
	for (yaml_node_item_t *it = list->data.sequence.items.start;
	     it < list->data.sequence.items.top; it++) {
		const yaml_node_t *e = node(rd, *it);

		if (rs->n == REL_MAX)
			return yamlutil_node_err(rd->err, rd->path, e,
						 "%d releases at most",
						 REL_MAX);
		if (parse_release(rd, e, &rs->r[rs->n]) != 0)
			return RPX_EPARSE;
		for (int i = 0; i < rs->n; i++)
			if (strcmp(rs->r[i].name, rs->r[rs->n].name) == 0)
				return yamlutil_node_err(
					rd->err, rd->path, e,
					"release %s listed twice",
					rs->r[i].name);
		rs->n++;
	}
	if (rs->n == 0)
		return yamlutil_node_err(rd->err, rd->path, list,
					 "releases: the list is empty");
	return 0;
}

int
release_parse(const char *text, size_t len, const char *path,
	      struct pi_releases **out, struct rpx_err *err)
{
	yaml_document_t doc;
	struct reader rd = { path, &doc, err };
	struct pi_releases *rs;
	int r;

	*out = NULL;
	r = yamlutil_load(&doc, text, len, path, "one mapping of releases",
			  err);
	if (r != 0)
		return r;
	rs = xcalloc(1, sizeof(*rs));
	r = parse_root(&rd, yaml_document_get_root_node(&doc), rs);
	yaml_document_delete(&doc);
	if (r != 0) {
		free(rs);
		return r;
	}
	*out = rs;
	return 0;
}

int
release_load(const char *path, struct pi_releases **out,
	     struct rpx_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	if (path == NULL) {
		const char *t = release_builtin_text(&len);

		return release_parse(t, len, "(built-in releases.yaml)", out,
				     err);
	}
	*out = NULL;
	r = fsutil_read_file(path, &text, &len);
	if (r != 0) {
		rpx_err_set(err, path, 0, 0, "cannot read: %s",
			    strerror(errno));
		return r;
	}
	r = release_parse(text, len, path, out, err);
	free(text);
	return r;
}

void
release_free(struct pi_releases *rs)
{
	free(rs);
}

const struct pi_release *
release_find(const struct pi_releases *rs, const char *name)
{
	for (int i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].name, name) == 0)
			return &rs->r[i];
	return NULL;
}

const struct rel_variant *
release_variant(const struct pi_release *r, int bits)
{
	const struct rel_variant *v = bits == 64 ? &r->v64 : &r->v32;

	return v->bits == bits ? v : NULL;
}
