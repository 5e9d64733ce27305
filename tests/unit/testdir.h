/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * testdir.h - a fresh temporary folder per cmocka test, removed with all
 * it holds afterwards (read-only sub-folders included). Use as the setup
 * and teardown of cmocka_unit_test_setup_teardown(); *state is the
 * folder's real path (symbolic links resolved), malloc'd. Also: reading a
 * file whole, and a fixed environment for getenv-style callbacks.
 */
#ifndef RPX_TESTDIR_H
#define RPX_TESTDIR_H

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "rpx.h"

static inline int
testdir_setup(void **state)
{
	char tmpl[] = "/tmp/rpx-unit.XXXXXX";
	char *d = mkdtemp(tmpl);

	assert_non_null(d);
	*state = realpath(d, NULL);
	assert_non_null(*state);
	return 0;
}

static inline void
testdir_rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	chmod(path, 0700);
	d = opendir(path);
	while (d != NULL && (de = readdir(d)) != NULL) {
		char *sub;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		sub = xasprintf("%s/%s", path, de->d_name);
		testdir_rm_rf(sub);
		free(sub);
	}
	if (d != NULL)
		closedir(d);
	rmdir(path);
}

static inline int
testdir_teardown(void **state)
{
	testdir_rm_rf(*state);
	free(*state);
	return 0;
}

/* A file's whole content, NUL-terminated (it must hold no NUL). */
static inline char *
testdir_slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;

	assert_int_equal(fsutil_read_file(path, &buf, &len), 0);
	assert_int_equal(strlen(buf), len);
	return buf;
}

/* An environment for getenv-style callbacks: data is a NULL-terminated
 * array of name, value pairs. */
static inline const char *
testdir_env(const char *name, void *data)
{
	const char *const *kv = data;

	for (size_t i = 0; kv[i] != NULL; i += 2)
		if (strcmp(kv[i], name) == 0)
			return kv[i + 1];
	return NULL;
}

#endif
