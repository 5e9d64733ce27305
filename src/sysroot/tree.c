/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * tree.c - the folder operations a sysroot update is made of: remove a
 * tree, carry an unchanged file from the previous tree into the new one
 * (a hard link, else a copy), and swap the new tree in by rename so a
 * reader sees the old sysroot or the new one, never a mix.
 */
#include "sysroot_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "fsutil.h"
#include "rpx.h"

static int
remove_in(struct strbuf *p)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	size_t len = p->len;
	int r = 0;

	if (lstat(p->buf, &sb) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(sb.st_mode))
		return unlink(p->buf);
	d = opendir(p->buf);
	if (d == NULL) {
		/* a folder without read permission: give it back */
		if (chmod(p->buf, 0700) != 0 || (d = opendir(p->buf)) == NULL)
			return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		strbuf_addch(p, '/');
		strbuf_adds(p, de->d_name);
		if (remove_in(p) != 0)
			r = -1;
		p->len = len;
		p->buf[len] = '\0';
	}
	closedir(d);
	if (rmdir(p->buf) != 0)
		r = -1;
	return r;
}

int
tree_remove(const char *path)
{
	struct strbuf p = STRBUF_INIT;
	int r;

	strbuf_adds(&p, path);
	r = remove_in(&p);
	strbuf_release(&p);
	return r;
}

static int
copy_file(const char *from, const char *to, const struct stat *sb)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;
	int e;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, sb->st_mode & 07777);
	if (out < 0) {
		e = errno;
		close(in);
		errno = e;
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (fsutil_write_all(out, buf, (size_t)n) != 0)
			break;
	e = errno;
	close(in);
	if (n != 0) {
		close(out);
		unlink(to);
		errno = e;
		return -1;
	}
	if (close(out) != 0) {
		e = errno;
		unlink(to);
		errno = e;
		return -1;
	}
	return 0;
}

static int
clone_in(struct strbuf *from, struct strbuf *to)
{
	DIR *d = opendir(from->buf);
	struct dirent *de;
	size_t fl = from->len, tl = to->len;
	int r = 0;

	if (d == NULL)
		return -1;
	if (mkdir(to->buf, 0755) != 0 && errno != EEXIST) {
		closedir(d);
		return -1;
	}
	while (r == 0 && (de = readdir(d)) != NULL) {
		struct stat sb;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		strbuf_addf(from, "/%s", de->d_name);
		strbuf_addf(to, "/%s", de->d_name);
		if (lstat(from->buf, &sb) != 0) {
			r = -1;
		} else if (S_ISDIR(sb.st_mode)) {
			r = clone_in(from, to);
		} else if (S_ISLNK(sb.st_mode)) {
			char buf[4096];
			ssize_t n = readlink(from->buf, buf, sizeof(buf) - 1);

			if (n < 0)
				r = -1;
			else {
				buf[n] = '\0';
				r = symlink(buf, to->buf);
			}
		} else if (S_ISREG(sb.st_mode)) {
			r = link(from->buf, to->buf);
			if (r != 0 && errno != ENOSPC && errno != EDQUOT)
				r = copy_file(from->buf, to->buf, &sb);
		}
		from->len = fl;
		from->buf[fl] = '\0';
		to->len = tl;
		to->buf[tl] = '\0';
	}
	closedir(d);
	return r;
}

int
tree_clone(const char *from, const char *to)
{
	struct strbuf f = STRBUF_INIT, t = STRBUF_INIT;
	int r;

	strbuf_adds(&f, from);
	strbuf_adds(&t, to);
	r = clone_in(&f, &t);
	strbuf_release(&f);
	strbuf_release(&t);
	return r;
}

int
tree_mkparents(const char *root, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	char *dir;
	int r;

	if (slash == NULL)
		return 0;
	dir = xasprintf("%s/%.*s", root, (int)(slash - rel), rel);
	r = rpx_is_dir(dir) ? 0 : fsutil_mkdirs(dir, 0755);
	free(dir);
	return r == 0 ? 0 : -1;
}

int
tree_carry(const char *oldroot, const char *newroot, const char *rel)
{
	char *from = xasprintf("%s/%s", oldroot, rel);
	char *to = xasprintf("%s/%s", newroot, rel);
	struct stat sb;
	int r = -1;

	if (lstat(from, &sb) != 0)
		goto out;
	if (tree_mkparents(newroot, rel) != 0)
		goto out;
	unlink(to);
	if (S_ISLNK(sb.st_mode)) {
		char buf[4096];
		ssize_t n = readlink(from, buf, sizeof(buf) - 1);

		if (n < 0)
			goto out;
		buf[n] = '\0';
		r = symlink(buf, to);
	} else if (S_ISREG(sb.st_mode)) {
		r = link(from, to);
		if (r != 0 && errno != ENOSPC && errno != EDQUOT)
			r = copy_file(from, to, &sb);
	} else {
		errno = EINVAL;
	}
out:
	free(from);
	free(to);
	return r;
}

void
tree_recover(const char *dir)
{
	char *old = xasprintf("%s.old", dir);
	struct stat sb;

	if (lstat(dir, &sb) != 0 && errno == ENOENT && rpx_is_dir(old))
		rename(old, dir);
	else if (rpx_is_dir(old))
		tree_remove(old);
	free(old);
}

int
tree_swap(const char *dir, const char *newdir, char *err, size_t errsz)
{
	char *old = xasprintf("%s.old", dir);
	int r = 0;

	if (!rpx_is_dir(dir)) {
		if (rename(newdir, dir) != 0)
			r = -1;
		goto out;
	}
#if defined(__linux__) && defined(SYS_renameat2)
	/* RENAME_EXCHANGE (1 << 1): both names swap in one step */
	if (syscall(SYS_renameat2, AT_FDCWD, newdir, AT_FDCWD, dir,
		    1 << 1) == 0) {
		tree_remove(newdir);
		goto out;
	}
#endif
	tree_remove(old);
	if (rename(dir, old) != 0) {
		r = -1;
		goto out;
	}
	if (rename(newdir, dir) != 0) {
		int e = errno;

		rename(old, dir);
		errno = e;
		r = -1;
		goto out;
	}
	tree_remove(old);
out:
	if (r != 0)
		snprintf(err, errsz, "cannot move '%s' into place: %s", newdir,
			 strerror(errno));
	free(old);
	return r == 0 ? 0 : RPX_EIO;
}
