/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* fsutil_test.c - atomic_write() success and failure paths, mkdirs, read. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "testdir.h"

#include "fsutil.h"
#include "rpx.h"

/* Number of entries in dir other than . and .. */
static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_new_file_is_0600(void **state)
{
	const char *dir = *state;
	char *path = xasprintf("%s/new.yaml", dir);
	char *got;
	struct stat st;

	assert_int_equal(atomic_write(path, "hello\n", 6), 0);
	got = testdir_slurp(path);
	assert_string_equal(got, "hello\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* No temporary file left behind. */
	assert_int_equal(count_entries(dir), 1);
	free(got);
	free(path);
}

static void
test_replace_keeps_mode(void **state)
{
	const char *dir = *state;
	char *path = xasprintf("%s/keep", dir);
	char *got;
	struct stat st;
	ino_t before;

	assert_int_equal(atomic_write(path, "old", 3), 0);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(stat(path, &st), 0);
	before = st.st_ino;
	assert_int_equal(atomic_write(path, "new content", 11), 0);
	got = testdir_slurp(path);
	assert_string_equal(got, "new content");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	/* A new inode: it was renamed into place, not rewritten. */
	assert_true(st.st_ino != before);
	/* An empty write is a valid (empty) file. */
	assert_int_equal(atomic_write(path, "", 0), 0);
	free(got);
	got = testdir_slurp(path);
	assert_string_equal(got, "");
	assert_int_equal(count_entries(dir), 1);
	free(got);
	free(path);
}

static void
test_symlink_is_followed(void **state)
{
	const char *dir = *state;
	char *real = xasprintf("%s/real", dir);
	char *link = xasprintf("%s/link", dir);
	char *got;
	struct stat st;

	assert_int_equal(atomic_write(real, "a", 1), 0);
	assert_int_equal(symlink("real", link), 0);
	assert_int_equal(atomic_write(link, "through the link", 16), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	got = testdir_slurp(real);
	assert_string_equal(got, "through the link");
	assert_int_equal(count_entries(dir), 2);
	free(got);
	free(real);
	free(link);
}

static void
test_target_is_a_directory(void **state)
{
	const char *dir = *state;
	char *path = xasprintf("%s/sub", dir);

	assert_int_equal(mkdir(path, 0700), 0);
	errno = 0;
	assert_int_equal(atomic_write(path, "x", 1), RPX_EINVAL);
	assert_int_equal(errno, EISDIR);
	assert_true(rpx_is_dir(path));
	assert_int_equal(count_entries(dir), 1);
	assert_int_equal(atomic_write("", "x", 1), RPX_EINVAL);
	free(path);
	path = xasprintf("%s/", dir);
	assert_int_equal(atomic_write(path, "x", 1), RPX_EINVAL);
	free(path);
}

static void
test_missing_folder_and_file_in_path(void **state)
{
	const char *dir = *state;
	char *path = xasprintf("%s/no/such/file", dir);
	char *file = xasprintf("%s/plain", dir);
	char *under = xasprintf("%s/plain/x", dir);

	assert_int_equal(atomic_write(path, "x", 1), RPX_ENOTFOUND);
	assert_int_equal(errno, ENOENT);
	/* A regular file used as a folder fails even for root. */
	assert_int_equal(atomic_write(file, "p", 1), 0);
	assert_int_equal(atomic_write(under, "x", 1), RPX_EIO);
	assert_int_equal(errno, ENOTDIR);
	assert_int_equal(count_entries(dir), 1);
	free(path);
	free(file);
	free(under);
}

/*
 * atomic_write() into a folder the caller may not write: 0 when it
 * failed the documented way (RPX_EIO, EACCES) and left no temp file.
 */
static int
write_denied(const char *ro, const char *path)
{
	int r = atomic_write(path, "after", 5);

	if (r != RPX_EIO || errno != EACCES)
		return 1;
	return count_entries(ro) == 1 ? 0 : 2;
}

static void
test_read_only_folder(void **state)
{
	const char *dir = *state;
	char *ro = xasprintf("%s/ro", dir);
	char *path = xasprintf("%s/ro/f", dir);
	char *got;
	int status = -1;

	assert_int_equal(mkdir(ro, 0700), 0);
	assert_int_equal(atomic_write(path, "before", 6), 0);
	if (geteuid() != 0) {
		assert_int_equal(chmod(ro, 0500), 0);
		assert_int_equal(write_denied(ro, path), 0);
	} else {
		/* root writes anywhere: try it as "nobody" in a child. */
		pid_t pid;

		assert_int_equal(chmod(dir, 0711), 0);
		assert_int_equal(chmod(ro, 0755), 0);
		assert_int_equal(chmod(path, 0644), 0);
		fflush(NULL);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			int code = 3;

			if (setgid(65534) == 0 && setuid(65534) == 0)
				code = write_denied(ro, path);
			/* valgrind checks the child's leaks too */
			free(ro);
			free(path);
			_exit(code);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	got = testdir_slurp(path);
	assert_string_equal(got, "before");
	chmod(ro, 0700);
	free(got);
	free(ro);
	free(path);
}

static void
touch(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);

	assert_true(fd >= 0);
	close(fd);
	free(p);
}

static bool
exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	bool r = lstat(p, &st) == 0;

	free(p);
	return r;
}

/* A killed writer's temporary (nobody holds its lock) goes with the next
 * write; one a live writer holds stays, and so does everything else. */
static void
test_stale_temporaries_removed(void **state)
{
	const char *dir = *state;
	char *path = xasprintf("%s/config.toml", dir);
	char *live = xasprintf("%s/.config.toml.LIVE01", dir);
	int fd;

	touch(dir, ".config.toml.a1B2c3");
	touch(dir, ".config.toml.LIVE01");
	touch(dir, ".config.toml.bak.Zz9Yy8");
	touch(dir, ".config.toml.short");
	touch(dir, ".other.toml.a1B2c3");
	fd = open(live, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);

	assert_int_equal(atomic_write(path, "a = 1\n", 6), 0);
	assert_false(exists(dir, ".config.toml.a1B2c3"));
	assert_true(exists(dir, ".config.toml.LIVE01"));
	assert_true(exists(dir, ".config.toml.bak.Zz9Yy8"));
	assert_true(exists(dir, ".config.toml.short"));
	assert_true(exists(dir, ".other.toml.a1B2c3"));
	assert_int_equal(count_entries(dir), 5);

	/* The writer is gone: its file goes with the next write. */
	close(fd);
	assert_int_equal(atomic_write(path, "a = 2\n", 6), 0);
	assert_false(exists(dir, ".config.toml.LIVE01"));
	assert_int_equal(count_entries(dir), 4);
	free(path);
	free(live);
}

static void
test_mkdirs_and_read(void **state)
{
	const char *dir = *state;
	char *deep = xasprintf("%s/a/b/c", dir);
	char *file = xasprintf("%s/a/f", dir);
	char *bad = xasprintf("%s/a/f/g", dir);
	char *buf = NULL;
	size_t len = 7;
	struct stat st;

	assert_int_equal(fsutil_mkdirs(deep, 0700), 0);
	assert_true(rpx_is_dir(deep));
	assert_int_equal(stat(deep, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* Existing folders are fine. */
	assert_int_equal(fsutil_mkdirs(deep, 0700), 0);
	assert_int_equal(atomic_write(file, "x", 1), 0);
	assert_int_equal(fsutil_mkdirs(bad, 0700), RPX_EINVAL);
	assert_int_equal(fsutil_read_file(deep, &buf, &len), RPX_EINVAL);
	assert_null(buf);
	assert_int_equal(fsutil_read_file(bad, &buf, &len), RPX_EIO);
	free(deep);
	deep = xasprintf("%s/none", dir);
	assert_int_equal(fsutil_read_file(deep, &buf, &len), RPX_ENOTFOUND);
	assert_null(buf);
	assert_int_equal(len, 0);
	free(deep);
	free(file);
	free(bad);
}

/* A file read whole (large reads into place) and mapped: the same bytes;
 * an empty file maps to NULL. */
static void
test_read_and_map(void **state)
{
	const char *dir = *state;
	char *path = xasprintf("%s/big", dir), *got = NULL;
	size_t n = 300001, len = 0;
	char *data = xmalloc(n);
	const unsigned char *m;
	int fd;

	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7 + i / 251);
	assert_int_equal(atomic_write(path, data, n), 0);
	assert_int_equal(fsutil_read_file(path, &got, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(got, data, n);
	assert_int_equal(got[n], '\0');
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	m = fsutil_map(fd, n);
	assert_non_null(m);
	assert_memory_equal(m, data, n);
	fsutil_unmap(m, n);
	assert_null(fsutil_map(fd, 0));
	close(fd);
	free(got);
	free(data);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_and_map,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_new_file_is_0600,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_replace_keeps_mode,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_symlink_is_followed,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_target_is_a_directory,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_missing_folder_and_file_in_path,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_read_only_folder,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_stale_temporaries_removed,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_mkdirs_and_read,
						testdir_setup, testdir_teardown),
	};

	umask(022);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
