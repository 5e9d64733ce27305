/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * fix.c - make a tree copied from a Pi work as a sysroot: every symbolic
 * link relative and resolving inside the tree (Debian's `.so` links are
 * often absolute, and ld then silently falls back to static archives or
 * to this computer's files), and every GNU ld script (libc.so, libm.so,
 * libpthread.so) naming its files with ld's sysroot prefix '=' so ld
 * looks for them under --sysroot rather than in this computer's /lib.
 */
#include "sysroot_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "rpx.h"

/* A path's components, "." and ".." resolved as the Pi would resolve
 * them (never above its root). */
struct comps {
	const char *p[256];
	size_t len[256];
	size_t n;
};

static void
comps_push(struct comps *c, const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '.'))
		return;
	if (n == 2 && s[0] == '.' && s[1] == '.') {
		if (c->n > 0)
			c->n--;
		return;
	}
	if (c->n < ARRAY_SIZE(c->p)) {
		c->p[c->n] = s;
		c->len[c->n] = n;
		c->n++;
	}
}

static void
comps_add(struct comps *c, const char *s, size_t len)
{
	const char *end = s + len;

	while (s < end) {
		const char *sl = memchr(s, '/', (size_t)(end - s));
		size_t n = sl ? (size_t)(sl - s) : (size_t)(end - s);

		comps_push(c, s, n);
		s += n + (sl ? 1 : 0);
	}
}

bool
fix_link_target(const char *rel, const char *target, struct strbuf *out)
{
	struct comps dir = { .n = 0 }, abs = { .n = 0 };
	const char *slash = strrchr(rel, '/');
	size_t dlen = slash ? (size_t)(slash - rel) : 0;
	size_t k = 0;

	comps_add(&dir, rel, dlen);
	if (target[0] != '/')
		comps_add(&abs, rel, dlen);
	comps_add(&abs, target, strlen(target));
	while (k < dir.n && k < abs.n && dir.len[k] == abs.len[k] &&
	       memcmp(dir.p[k], abs.p[k], dir.len[k]) == 0)
		k++;
	strbuf_reset(out);
	for (size_t i = k; i < dir.n; i++)
		strbuf_adds(out, out->len ? "/.." : "..");
	for (size_t i = k; i < abs.n; i++) {
		if (out->len)
			strbuf_addch(out, '/');
		strbuf_add(out, abs.p[i], abs.len[i]);
	}
	if (out->len == 0)
		strbuf_addch(out, '.');
	return strcmp(out->buf, target) != 0;
}

#define LD_SCRIPT_MARK "/* GNU ld script"

bool
fix_is_ld_script(const char *text, size_t len)
{
	size_t i = 0, m = strlen(LD_SCRIPT_MARK);

	while (i < len && (text[i] == ' ' || text[i] == '\t' ||
			   text[i] == '\n' || text[i] == '\r'))
		i++;
	return len - i >= m && memcmp(text + i, LD_SCRIPT_MARK, m) == 0;
}

bool
fix_ld_script(const char *text, size_t len, struct strbuf *out)
{
	bool changed = false;
	size_t i = 0;

	strbuf_reset(out);
	while (i < len) {
		char c = text[i];

		if (c == '/' && i + 1 < len && text[i + 1] == '*') {
			const char *e = NULL;

			for (size_t j = i + 2; j + 1 < len; j++)
				if (text[j] == '*' && text[j + 1] == '/') {
					e = text + j + 2;
					break;
				}
			size_t n = e ? (size_t)(e - (text + i)) : len - i;

			strbuf_add(out, text + i, n);
			i += n;
			continue;
		}
		if (c == '/') {
			char prev = i > 0 ? text[i - 1] : ' ';

			if (prev == ' ' || prev == '\t' || prev == '\n' ||
			    prev == '(' || prev == ',' || prev == '\r') {
				strbuf_addch(out, '=');
				changed = true;
			}
		}
		strbuf_addch(out, c);
		i++;
	}
	return changed;
}

struct walk {
	struct strbuf path;	/* root/rel being visited */
	size_t rootlen;		/* root's length in path (and the '/') */
	struct fix_stats *st;
	struct strbuf tmp, text;
	char *err;
	size_t errsz;
};

static int
fix_link(struct walk *w)
{
	char buf[4096];
	ssize_t n = readlink(w->path.buf, buf, sizeof(buf) - 1);
	const char *rel = w->path.buf + w->rootlen;

	if (n < 0) {
		snprintf(w->err, w->errsz, "cannot read the link '%s': %s",
			 w->path.buf, strerror(errno));
		return RPX_EIO;
	}
	buf[n] = '\0';
	if (!fix_link_target(rel, buf, &w->tmp))
		return 0;
	if (unlink(w->path.buf) != 0 || symlink(w->tmp.buf, w->path.buf) != 0) {
		sysroot_local_error(errno, w->path.buf, w->err, w->errsz);
		return RPX_EIO;
	}
	w->st->links++;
	return 0;
}

static int
fix_file(struct walk *w, const struct stat *sb)
{
	const char *name = strrchr(w->path.buf, '/') + 1;
	char *text = NULL;
	size_t len = 0;
	int r;

	/* ld scripts are small files named like a library: libc.so */
	if (sb->st_size > 64 * 1024 || strstr(name, ".so") == NULL)
		return 0;
	r = fsutil_read_file(w->path.buf, &text, &len);
	if (r != 0) {
		snprintf(w->err, w->errsz, "cannot read '%s': %s", w->path.buf,
			 strerror(errno));
		return RPX_EIO;
	}
	r = 0;
	if (fix_is_ld_script(text, len) && fix_ld_script(text, len, &w->tmp)) {
		/* a new file renamed over the old: a hard link to the
		 * previous tree keeps its own copy */
		if (atomic_write(w->path.buf, w->tmp.buf, w->tmp.len) != 0) {
			sysroot_local_error(errno, w->path.buf, w->err,
					    w->errsz);
			r = RPX_EIO;
		} else {
			chmod(w->path.buf, sb->st_mode & 07777);
			w->st->scripts++;
		}
	}
	free(text);
	return r;
}

static int
walk_dir(struct walk *w)
{
	DIR *d = opendir(w->path.buf);
	struct dirent *de;
	size_t len = w->path.len;
	int r = 0;

	if (d == NULL) {
		snprintf(w->err, w->errsz, "cannot read the folder '%s': %s",
			 w->path.buf, strerror(errno));
		return RPX_EIO;
	}
	while (r == 0 && (de = readdir(d)) != NULL) {
		struct stat sb;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		strbuf_addch(&w->path, '/');
		strbuf_adds(&w->path, de->d_name);
		if (lstat(w->path.buf, &sb) != 0) {
			snprintf(w->err, w->errsz, "cannot read '%s': %s",
				 w->path.buf, strerror(errno));
			r = RPX_EIO;
		} else if (S_ISLNK(sb.st_mode)) {
			r = fix_link(w);
		} else if (S_ISDIR(sb.st_mode)) {
			r = walk_dir(w);
		} else if (S_ISREG(sb.st_mode)) {
			w->st->files++;
			w->st->bytes += sb.st_size;
			r = fix_file(w, &sb);
		}
		w->path.len = len;
		w->path.buf[len] = '\0';
	}
	closedir(d);
	return r;
}

int
fix_tree(const char *root, struct fix_stats *st, char *err, size_t errsz)
{
	struct walk w = { STRBUF_INIT, 0, st, STRBUF_INIT, STRBUF_INIT, err,
			  errsz };
	int r;

	memset(st, 0, sizeof(*st));
	strbuf_adds(&w.path, root);
	w.rootlen = w.path.len + 1;
	r = walk_dir(&w);
	strbuf_release(&w.path);
	strbuf_release(&w.tmp);
	strbuf_release(&w.text);
	return r;
}
