/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* fsutil.c - atomic file replacement and small file helpers (fsutil.h). */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rpx.h"
#include "strbuf.h"

/* Map errno after a failed call to our code. */
static int
code_of_errno(int e)
{
	if (e == ENOENT)
		return RPX_ENOTFOUND;
	if (e == EISDIR)
		return RPX_EINVAL;
	return RPX_EIO;
}

int
fsutil_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
sync_fd(int fd)
{
#ifdef F_FULLFSYNC
	if (fcntl(fd, F_FULLFSYNC) == 0)
		return 0;
#endif
	return fsync(fd);
}

/* fsync a folder; file systems that cannot are not an error. */
static int
sync_dir(const char *dir)
{
	int fd, r, e;

	fd = open(dir, O_RDONLY);
	if (fd < 0)
		return -1;
	r = fsync(fd);
	e = errno;
	close(fd);
	if (r != 0 && (e == EINVAL || e == ENOTSUP || e == EBADF))
		r = 0;
	errno = e;
	return r;
}

/* Is name ".<base>." followed by six characters, as mkstemp() makes? */
static bool
is_temp_of(const char *name, const char *base)
{
	size_t n = strlen(base);

	return name[0] == '.' && strncmp(name + 1, base, n) == 0 &&
	       name[n + 1] == '.' && strlen(name + n + 2) == 6;
}

/*
 * Remove the temporaries of base in dir that no writer holds (see
 * fsutil.h, step 6). The lock is held while unlinking, so a writer that
 * locks its file afterwards sees it has no link left.
 */
static void
sweep_stale(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		struct stat st, fst;
		char *p;
		int fd;

		if (!is_temp_of(de->d_name, base))
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		fd = open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
		    fstat(fd, &fst) == 0 && S_ISREG(fst.st_mode) &&
		    fst.st_uid == geteuid() && lstat(p, &st) == 0 &&
		    st.st_dev == fst.st_dev && st.st_ino == fst.st_ino)
			unlink(p);
		if (fd >= 0)
			close(fd);
		free(p);
	}
	closedir(d);
}

/* mkstemp() and lock; again when a sweeper removed it before the lock. */
static int
make_temp(char *tmpl, size_t len)
{
	char *keep = xstrdup(tmpl);

	for (int tries = 0; tries < 10; tries++) {
		struct stat st;
		int fd;

		memcpy(tmpl, keep, len + 1);
		fd = mkstemp(tmpl);
		if (fd < 0)
			break;
		/* not inherited by programs other threads start (a script
		 * written here must not be "busy" when it is run) */
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
		/* A file system without flock(): nothing to coordinate. */
		if (flock(fd, LOCK_EX) != 0 ||
		    (fstat(fd, &st) == 0 && st.st_nlink > 0)) {
			free(keep);
			return fd;
		}
		close(fd);
	}
	free(keep);
	return -1;
}

int
atomic_write(const char *path, const void *data, size_t len)
{
	char *real = NULL, *dir = NULL, *tmp = NULL;
	const char *target = path, *base, *slash;
	struct stat st;
	mode_t mode = 0600;
	int fd = -1, lockfd = -1, ret = RPX_EIO, e = 0;

	if (path == NULL || path[0] == '\0' ||
	    path[strlen(path) - 1] == '/') {
		errno = EINVAL;
		return RPX_EINVAL;
	}
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		real = realpath(path, NULL);
		if (real != NULL)
			target = real;
	}
	if (stat(target, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			e = EISDIR;
			ret = RPX_EINVAL;
			goto out;
		}
		mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		e = errno;
		ret = code_of_errno(e);
		goto out;
	}
	slash = strrchr(target, '/');
	if (slash == NULL) {
		dir = xstrdup(".");
		base = target;
	} else {
		dir = slash == target ? xstrdup("/") :
		      xstrndup(target, (size_t)(slash - target));
		base = slash + 1;
	}
	tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	fd = make_temp(tmp, strlen(tmp));
	/* The lock lives as long as one descriptor of the file is open:
	 * this one keeps it from the check of close() until the rename. */
	lockfd = fd >= 0 ? dup(fd) : -1;
	if (fd < 0) {
		e = errno;
		ret = code_of_errno(e);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, mode) != 0 || fsutil_write_all(fd, data, len) != 0 ||
	    sync_fd(fd) != 0) {
		e = errno;
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		e = errno;
		goto out;
	}
	fd = -1;
	if (rename(tmp, target) != 0) {
		e = errno;
		ret = code_of_errno(e);
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if (lockfd >= 0)
		close(lockfd);
	lockfd = -1;
	sweep_stale(dir, base);
	if (sync_dir(dir) != 0) {
		/* The new content is in place; only durability is unsure. */
		e = errno;
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp != NULL)
		unlink(tmp);
	if (lockfd >= 0)
		close(lockfd);
	free(tmp);
	free(dir);
	free(real);
	if (ret != 0)
		errno = e;
	return ret;
}

int
fsutil_mkdirs(const char *dir, mode_t mode)
{
	char *buf = xstrdup(dir);
	struct stat st;
	int ret = 0;

	for (char *p = buf + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) != 0) {
			int e = errno;

			if (stat(buf, &st) != 0) {
				errno = e;
				ret = RPX_EIO;
				goto out;
			}
			if (!S_ISDIR(st.st_mode)) {
				errno = ENOTDIR;
				ret = RPX_EINVAL;
				goto out;
			}
		}
		*p = c;
		if (c == '\0')
			break;
	}
out:
	free(buf);
	return ret;
}

int
fsutil_read_file(const char *path, char **out, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int fd, ret = 0;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return code_of_errno(errno);
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return RPX_EINVAL;
	}
	/* a regular file's size is known: read it into place in a few
	 * large reads (a kept upload is 10 MB) */
	strbuf_grow(&sb, S_ISREG(st.st_mode) && st.st_size > 0 ?
		    (size_t)st.st_size + 1 : 8192);
	for (;;) {
		ssize_t n;

		if (sb.alloc - sb.len <= 1)	/* no room but the NUL's */
			strbuf_grow(&sb, 8192);
		n = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			ret = e == EISDIR ? RPX_EINVAL : RPX_EIO;
			strbuf_release(&sb);
			close(fd);
			errno = e;
			return ret;
		}
		if (n == 0)
			break;
		sb.len += (size_t)n;
		sb.buf[sb.len] = '\0';
	}
	close(fd);
	*out = strbuf_detach(&sb, len);
	return ret;
}

const unsigned char *
fsutil_map(int fd, size_t len)
{
	int flags = MAP_PRIVATE;
	void *p;

#ifdef MAP_POPULATE
	flags |= MAP_POPULATE;	/* the whole file is read: fault it in now */
#endif
	if (len == 0)
		return NULL;
	p = mmap(NULL, len, PROT_READ, flags, fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

void
fsutil_unmap(const unsigned char *p, size_t len)
{
	if (p != NULL)
		munmap((void *)p, len);
}
