/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sysroot.c - where sysroots live and what each is: the base folder
 * ($XDG_DATA_HOME/rpi-cross/sysroots), a sysroot's name, its
 * sysroot.yaml (written and read), the -dev packages of a dpkg status,
 * listing and removing sysroots.
 */
#include "sysroot_int.h"

#include <dirent.h>
#include <libgen.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "fsutil.h"
#include "rpx.h"
#include "yamlutil.h"

int
sysroot_base_dir(struct strbuf *out)
{
	const char *x = rpx_getenv("XDG_DATA_HOME");
	const char *home = rpx_getenv("HOME");

	strbuf_reset(out);
	if (x != NULL && x[0] == '/')
		strbuf_addf(out, "%s/rpi-cross/sysroots", x);
	else if (home != NULL && home[0] != '\0')
		strbuf_addf(out, "%s/.local/share/rpi-cross/sysroots", home);
	else
		return RPX_ENOTFOUND;
	return 0;
}

void
sysroot_default_name(const char *host, const char *codename,
		     const char *dpkg_arch, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s-%s-%s", host, codename[0] ? codename : "unknown",
		    dpkg_arch);
	for (size_t i = 0; i < out->len; i++) {
		char c = out->buf[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			out->buf[i] = '-';
	}
}

int
sysroot_resolve(const char *name_or_dir, struct strbuf *root_out,
		struct strbuf *dir_out, char *err, size_t errsz)
{
	struct strbuf dir = STRBUF_INIT;
	size_t n = strlen(name_or_dir);
	int r = 0;

	if (strchr(name_or_dir, '/') != NULL) {
		strbuf_adds(&dir, name_or_dir);
		while (dir.len > 1 && dir.buf[dir.len - 1] == '/')
			dir.buf[--dir.len] = '\0';
		if (dir.len >= 5 && strcmp(dir.buf + dir.len - 5, "/root") == 0)
			dir.buf[dir.len -= 5] = '\0';
	} else if (n == 0 || strcmp(name_or_dir, ".") == 0 ||
		   strcmp(name_or_dir, "..") == 0) {
		snprintf(err, errsz, "'%s' is not a sysroot name", name_or_dir);
		return RPX_EINVAL;
	} else {
		if (sysroot_base_dir(&dir) != 0) {
			snprintf(err, errsz, "neither XDG_DATA_HOME nor HOME "
				 "is set: no sysroot folder");
			return RPX_ENOTFOUND;
		}
		strbuf_addf(&dir, "/%s", name_or_dir);
	}
	strbuf_reset(root_out);
	strbuf_addf(root_out, "%s/root", dir.buf);
	if (!rpx_is_dir(root_out->buf)) {
		snprintf(err, errsz, "no sysroot '%s' (no folder '%s'): make "
			 "one with 'rpi-cross sysroot pull --host PI'",
			 name_or_dir, root_out->buf);
		r = RPX_ENOTFOUND;
	}
	if (dir_out != NULL) {
		strbuf_reset(dir_out);
		strbuf_add(dir_out, dir.buf, dir.len);
	}
	strbuf_release(&dir);
	return r;
}

void
sysroot_info_release(struct sysroot_info *info)
{
	char **s[] = { &info->name, &info->host, &info->user, &info->target,
		       &info->gnu_triple, &info->dpkg_arch, &info->os_id,
		       &info->os_codename, &info->os_pretty, &info->glibc,
		       &info->pulled };

	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		free(*s[i]);
	for (size_t i = 0; i < info->npackages; i++) {
		free(info->packages[i].name);
		free(info->packages[i].version);
	}
	for (size_t i = 0; i < info->nadded; i++) {
		free(info->added[i].name);
		free(info->added[i].version);
	}
	free(info->packages);
	free(info->added);
	memset(info, 0, sizeof(*info));
}

void
sysroot_info_add_pkg(struct sysroot_pkg **v, size_t *n, size_t *alloc,
		     const char *name, const char *version)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].name, name) == 0) {
			free((*v)[i].version);
			(*v)[i].version = xstrdup(version ? version : "");
			return;
		}
	*v = rpx_grow(*v, sizeof(**v), *n + 1, alloc);
	(*v)[*n].name = xstrdup(name);
	(*v)[*n].version = xstrdup(version ? version : "");
	(*n)++;
}

/* A YAML double-quoted scalar. */
static void
add_q(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; s != NULL && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			strbuf_addf(sb, "\\%c", c);
		else if (c < 0x20)
			strbuf_addf(sb, "\\x%02x", c);
		else
			strbuf_addch(sb, (char)c);
	}
	strbuf_addch(sb, '"');
}

static void
add_kv(struct strbuf *sb, const char *k, const char *v)
{
	strbuf_addf(sb, "%s: ", k);
	add_q(sb, v);
	strbuf_addch(sb, '\n');
}

static void
add_pkgs(struct strbuf *sb, const char *k, const struct sysroot_pkg *v,
	 size_t n)
{
	strbuf_addf(sb, "%s:%s\n", k, n ? "" : " []");
	for (size_t i = 0; i < n; i++) {
		strbuf_adds(sb, "  - { name: ");
		add_q(sb, v[i].name);
		strbuf_adds(sb, ", version: ");
		add_q(sb, v[i].version);
		strbuf_adds(sb, " }\n");
	}
}

int
sysroot_info_save(const char *dir, const struct sysroot_info *info,
		  char *err, size_t errsz)
{
	struct strbuf sb = STRBUF_INIT;
	char *path = xasprintf("%s/sysroot.yaml", dir);
	int r;

	strbuf_adds(&sb, "# what `rpi-cross sysroot pull` copied from a Pi "
		    "into root/ (do not edit)\n");
	add_kv(&sb, "name", info->name);
	add_kv(&sb, "host", info->host);
	add_kv(&sb, "user", info->user);
	strbuf_addf(&sb, "port: %d\n", info->port);
	add_kv(&sb, "target", info->target);
	add_kv(&sb, "gnu_triple", info->gnu_triple);
	add_kv(&sb, "dpkg_arch", info->dpkg_arch);
	add_kv(&sb, "os_id", info->os_id);
	add_kv(&sb, "os_codename", info->os_codename);
	add_kv(&sb, "os_pretty", info->os_pretty);
	add_kv(&sb, "glibc", info->glibc);
	add_kv(&sb, "pulled", info->pulled);
	strbuf_addf(&sb, "files: %lld\nbytes: %lld\n", info->files,
		    info->bytes);
	add_pkgs(&sb, "packages", info->packages, info->npackages);
	add_pkgs(&sb, "added", info->added, info->nadded);
	r = atomic_write(path, sb.buf, sb.len);
	if (r != 0)
		sysroot_local_error(errno, path, err, errsz);
	strbuf_release(&sb);
	free(path);
	return r == 0 ? 0 : RPX_EIO;
}

static int
load_pkgs(yaml_document_t *doc, yaml_node_t *seq, struct sysroot_pkg **v,
	  size_t *n, size_t *alloc)
{
	if (seq->type != YAML_SEQUENCE_NODE)
		return -1;
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = yaml_document_get_node(doc, *it);
		const char *name = NULL, *ver = NULL;

		if (m == NULL || m->type != YAML_MAPPING_NODE)
			return -1;
		for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
		     p < m->data.mapping.pairs.top; p++) {
			const char *k = yamlutil_scalar(
				yaml_document_get_node(doc, p->key));
			const char *val = yamlutil_scalar(
				yaml_document_get_node(doc, p->value));

			if (k != NULL && strcmp(k, "name") == 0)
				name = val;
			else if (k != NULL && strcmp(k, "version") == 0)
				ver = val;
		}
		if (name == NULL)
			return -1;
		sysroot_info_add_pkg(v, n, alloc, name, ver);
	}
	return 0;
}

/* sysroot_dir/sysroot.yaml into info; need_names: a file without name and
 * gnu_triple is an error (one `sysroot pull` wrote), else it may be one
 * written by hand. */
static int
info_load(const char *sysroot_dir, struct sysroot_info *info, bool need_names,
	  char *err, size_t errsz)
{
	struct rpx_err e = RPX_ERR_INIT;
	char *path = xasprintf("%s/sysroot.yaml", sysroot_dir);
	char *text = NULL;
	size_t len;
	yaml_document_t doc;
	yaml_node_t *root;
	int r;

	memset(info, 0, sizeof(*info));
	r = fsutil_read_file(path, &text, &len);
	if (r != 0) {
		snprintf(err, errsz, "cannot read '%s': %s", path,
			 r == RPX_ENOTFOUND ? "no such file (pull it again "
			 "with 'rpi-cross sysroot pull')" : strerror(errno));
		free(path);
		return r;
	}
	r = yamlutil_load(&doc, text, len, path, "a sysroot description", &e);
	free(text);
	if (r != 0) {
		snprintf(err, errsz, "%s:%d:%d: %s", e.path, e.line, e.col,
			 e.msg);
		free(path);
		return r;
	}
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		snprintf(err, errsz, "'%s' is not a mapping", path);
		r = RPX_EPARSE;
		goto out;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		const char *k = yamlutil_scalar(yaml_document_get_node(&doc,
								       p->key));
		yaml_node_t *vn = yaml_document_get_node(&doc, p->value);
		const char *v = yamlutil_scalar(vn);
		struct { const char *key; char **dst; } strs[] = {
			{ "name", &info->name }, { "host", &info->host },
			{ "user", &info->user }, { "target", &info->target },
			{ "gnu_triple", &info->gnu_triple },
			{ "dpkg_arch", &info->dpkg_arch },
			{ "os_id", &info->os_id },
			{ "os_codename", &info->os_codename },
			{ "os_pretty", &info->os_pretty },
			{ "glibc", &info->glibc }, { "pulled", &info->pulled },
		};
		bool done = false;

		if (k == NULL)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(strs) && !done; i++)
			if (strcmp(k, strs[i].key) == 0 && v != NULL) {
				free(*strs[i].dst);
				*strs[i].dst = xstrdup(v);
				done = true;
			}
		if (done)
			continue;
		if (strcmp(k, "port") == 0 && v != NULL)
			info->port = atoi(v);
		else if (strcmp(k, "files") == 0 && v != NULL)
			info->files = atoll(v);
		else if (strcmp(k, "bytes") == 0 && v != NULL)
			info->bytes = atoll(v);
		else if ((strcmp(k, "packages") == 0 &&
			  load_pkgs(&doc, vn, &info->packages,
				    &info->npackages, &info->apackages) != 0) ||
			 (strcmp(k, "added") == 0 &&
			  load_pkgs(&doc, vn, &info->added, &info->nadded,
				    &info->aadded) != 0)) {
			snprintf(err, errsz, "%s:%zu: '%s' is not a list of "
				 "{ name, version }", path,
				 vn->start_mark.line + 1, k);
			r = RPX_EPARSE;
			goto out;
		}
	}
	if (need_names && (info->name == NULL || info->gnu_triple == NULL)) {
		snprintf(err, errsz, "'%s' lacks name or gnu_triple", path);
		r = RPX_EPARSE;
	}
out:
	yaml_document_delete(&doc);
	free(path);
	if (r != 0)
		sysroot_info_release(info);
	return r;
}

int
sysroot_info_load(const char *sysroot_dir, struct sysroot_info *info,
		  char *err, size_t errsz)
{
	return info_load(sysroot_dir, info, true, err, errsz);
}

static void
copy_field(char *dst, size_t sz, const char *s)
{
	snprintf(dst, sz, "%s", s != NULL ? s : "");
}

/* The glibc version the tree's headers say (__GLIBC__.__GLIBC_MINOR__). */
static void
glibc_from_headers(const char *root, char *out, size_t sz)
{
	char *path = xasprintf("%s/usr/include/features.h", root);
	char *text = NULL, *p;
	size_t len;
	long major = -1, minor = -1;

	if (fsutil_read_file(path, &text, &len) == 0) {
		if ((p = strstr(text, "#define\t__GLIBC__\t")) != NULL ||
		    (p = strstr(text, "#define __GLIBC__ ")) != NULL)
			major = strtol(p + strlen("#define __GLIBC__ "), NULL,
				       10);
		if ((p = strstr(text, "#define\t__GLIBC_MINOR__\t")) != NULL ||
		    (p = strstr(text, "#define __GLIBC_MINOR__ ")) != NULL)
			minor = strtol(p + strlen("#define __GLIBC_MINOR__ "),
				       NULL, 10);
		if (major > 0 && major < 100 && minor >= 0 && minor < 1000)
			snprintf(out, sz, "%d.%d", (int)major, (int)minor);
	}
	free(text);
	free(path);
}

void
sysroot_meta_of(const struct sysroot_info *in, const char *root,
		struct sysroot_meta *m)
{
	memset(m, 0, sizeof(*m));
	if (in != NULL) {
		m->has_yaml = true;
#define FIELD(f) copy_field(m->f, sizeof(m->f), in->f)
		FIELD(name);
		FIELD(host);
		FIELD(target);
		FIELD(gnu_triple);
		FIELD(dpkg_arch);
		FIELD(os_id);
		FIELD(os_codename);
		FIELD(glibc);
#undef FIELD
	}
	if (m->glibc[0] == '\0')
		glibc_from_headers(root, m->glibc, sizeof(m->glibc));
}

int
sysroot_meta_read(const char *root, struct sysroot_meta *m,
		  struct rpx_err *err)
{
	char *copy = xstrdup(root);
	char *dir = dirname(copy);
	char *path = xasprintf("%s/sysroot.yaml", dir);
	struct sysroot_info in;
	char why[768];
	int r = 0;

	rpx_err_clear(err);
	if (access(path, F_OK) != 0) {
		sysroot_meta_of(NULL, root, m);
	} else if ((r = info_load(dir, &in, false, why, sizeof(why))) != 0) {
		rpx_err_set(err, NULL, 0, 0, "%s", why);
		sysroot_meta_of(NULL, root, m);
	} else {
		sysroot_meta_of(&in, root, m);
		sysroot_info_release(&in);
	}
	free(path);
	free(copy);
	return r;
}

void
sysroot_parse_dpkg_status(const char *text, size_t len,
			  struct sysroot_info *info)
{
	const char *p = text, *end = text + len;
	char *name = NULL, *ver = NULL;
	bool installed = false;

	while (p <= end) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p))
					 : NULL;
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n == 0) {
			/* the end of a stanza */
			size_t nl2 = name ? strlen(name) : 0;

			if (name != NULL && installed && nl2 > 4 &&
			    strcmp(name + nl2 - 4, "-dev") == 0)
				sysroot_info_add_pkg(&info->packages,
						     &info->npackages,
						     &info->apackages, name,
						     ver);
			free(name);
			free(ver);
			name = ver = NULL;
			installed = false;
		} else if (n > 9 && strncmp(p, "Package: ", 9) == 0) {
			free(name);
			name = xstrndup(p + 9, n - 9);
		} else if (n > 9 && strncmp(p, "Version: ", 9) == 0) {
			free(ver);
			ver = xstrndup(p + 9, n - 9);
		} else if (n > 8 && strncmp(p, "Status: ", 8) == 0) {
			/* "install ok installed", "hold ok installed" */
			installed = n >= 8 + 13 &&
				    memcmp(p + n - 13, " ok installed", 13) == 0;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	{
		size_t nl2 = name ? strlen(name) : 0;

		if (name != NULL && installed && nl2 > 4 &&
		    strcmp(name + nl2 - 4, "-dev") == 0)
			sysroot_info_add_pkg(&info->packages, &info->npackages,
					     &info->apackages, name, ver);
	}
	free(name);
	free(ver);
}

void
sysroot_local_error(int e, const char *dir, char *err, size_t errsz)
{
	if (e == ENOSPC || e == EDQUOT)
		snprintf(err, errsz, "the disk is full writing '%s' (%s): free "
			 "some space there (or set XDG_DATA_HOME to a folder "
			 "on a larger disk) and pull again; the previous "
			 "sysroot is unchanged", dir, strerror(e));
	else
		snprintf(err, errsz, "cannot write '%s': %s", dir,
			 strerror(e));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
sysroot_list(char ***names, size_t *n, char *err, size_t errsz)
{
	struct strbuf base = STRBUF_INIT;
	DIR *d;
	struct dirent *de;
	size_t alloc = 0;

	*names = NULL;
	*n = 0;
	if (sysroot_base_dir(&base) != 0) {
		snprintf(err, errsz, "neither XDG_DATA_HOME nor HOME is set");
		return RPX_ENOTFOUND;
	}
	d = opendir(base.buf);
	if (d == NULL) {
		strbuf_release(&base);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		char *yaml;
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || (l > 4 &&
		    (strcmp(de->d_name + l - 4, ".new") == 0 ||
		     strcmp(de->d_name + l - 4, ".old") == 0)))
			continue;
		yaml = xasprintf("%s/%s/sysroot.yaml", base.buf, de->d_name);
		if (access(yaml, R_OK) == 0) {
			ALLOC_GROW(*names, *n + 1, alloc);
			(*names)[(*n)++] = xstrdup(de->d_name);
		}
		free(yaml);
	}
	closedir(d);
	strbuf_release(&base);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), cmp_str);
	return 0;
}

int
sysroot_clean(const char *name, char *err, size_t errsz)
{
	struct strbuf root = STRBUF_INIT, dir = STRBUF_INIT;
	int r = sysroot_resolve(name, &root, &dir, err, errsz);

	if (r == 0 || r == RPX_ENOTFOUND) {
		char *n1 = xasprintf("%s.new", dir.buf);
		char *n2 = xasprintf("%s.old", dir.buf);
		bool any = rpx_is_dir(dir.buf) || rpx_is_dir(n1) ||
			   rpx_is_dir(n2);

		if (!any) {
			r = RPX_ENOTFOUND;
		} else if (tree_remove(dir.buf) != 0 || tree_remove(n1) != 0 ||
			   tree_remove(n2) != 0) {
			snprintf(err, errsz, "cannot remove '%s': %s", dir.buf,
				 strerror(errno));
			r = RPX_EIO;
		} else {
			/* the lock file of its pulls (sysroots/.NAME.lock) */
			const char *slash = strrchr(dir.buf, '/');
			char *lock = slash ? xasprintf("%.*s/.%s.lock",
						       (int)(slash - dir.buf),
						       dir.buf, slash + 1) :
					     NULL;

			if (lock != NULL)
				unlink(lock);
			free(lock);
			r = 0;
		}
		free(n1);
		free(n2);
	}
	strbuf_release(&root);
	strbuf_release(&dir);
	return r;
}
