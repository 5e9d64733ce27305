/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * selfpath_test.c - how a runner line names rpi-cross: the bare name
 * when PATH finds this very file (also through a symbolic link), the
 * absolute path when PATH finds none or another rpi-cross (also one
 * whose folder holds a space), the bare name when our own file is not
 * known; the PATH lookup itself; and this test's own file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rpx.h"
#include "selfpath.h"
#include "testdir.h"

/* An executable file at dir/sub/name; returns its path, malloc'd. */
static char *
make_exe(const char *dir, const char *sub, const char *name)
{
	char *d = xasprintf("%s/%s", dir, sub);
	char *p = xasprintf("%s/%s", d, name);
	FILE *f;

	(void)mkdir(d, 0755);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	assert_int_equal(chmod(p, 0755), 0);
	free(d);
	return p;
}

static void
test_on_path_is_bare_name(void **state)
{
	const char *dir = *state;
	char *self = make_exe(dir, "bin", "rpi-cross");
	char *path = xasprintf("/nonexistent:%s/empty:%s/bin:/usr/bin", dir,
			       dir);
	char *prog = NULL;

	assert_int_equal(selfpath_runner_prog("rpi-cross", path, self, &prog),
			 SELFPATH_ON_PATH);
	assert_string_equal(prog, "rpi-cross");
	free(prog);
	free(path);
	free(self);
}

static void
test_link_on_path_is_bare_name(void **state)
{
	const char *dir = *state;
	char *self = make_exe(dir, "build", "rpi-cross");
	char *link = xasprintf("%s/bin/rpi-cross", dir);
	char *path = xasprintf("%s/bin", dir);
	char *prog = NULL;

	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(symlink(self, link), 0);
	assert_int_equal(selfpath_runner_prog("rpi-cross", path, self, &prog),
			 SELFPATH_ON_PATH);
	assert_string_equal(prog, "rpi-cross");
	free(prog);
	free(path);
	free(link);
	free(self);
}

static void
test_not_on_path_is_absolute(void **state)
{
	const char *dir = *state;
	char *self = make_exe(dir, "build", "rpi-cross");
	char *prog = NULL;

	assert_int_equal(selfpath_runner_prog("rpi-cross", "/nonexistent",
					      self, &prog),
			 SELFPATH_ABSOLUTE);
	assert_string_equal(prog, self);
	free(prog);
	/* no PATH at all, an empty one */
	assert_int_equal(selfpath_runner_prog("rpi-cross", NULL, self, &prog),
			 SELFPATH_ABSOLUTE);
	assert_string_equal(prog, self);
	free(prog);
	free(self);
}

static void
test_another_on_path_is_absolute(void **state)
{
	const char *dir = *state;
	char *self = make_exe(dir, "build", "rpi-cross");
	char *other = make_exe(dir, "bin", "rpi-cross");
	char *path = xasprintf("%s/bin:%s/build", dir, dir);
	char *prog = NULL;

	/* the first on PATH is another copy (an older install): Cargo would
	 * run that one */
	assert_int_equal(selfpath_runner_prog("rpi-cross", path, self, &prog),
			 SELFPATH_ABSOLUTE);
	assert_string_equal(prog, self);
	free(prog);
	free(path);
	free(other);
	free(self);
}

static void
test_path_with_space(void **state)
{
	const char *dir = *state;
	char *self = make_exe(dir, "my tools", "rpi-cross");
	char *prog = NULL;

	assert_int_equal(selfpath_runner_prog("rpi-cross", "/usr/bin", self,
					      &prog),
			 SELFPATH_ABSOLUTE);
	assert_string_equal(prog, self);
	assert_non_null(strchr(prog, ' '));
	free(prog);
	free(self);
}

static void
test_self_unknown_is_bare_name(void **state)
{
	char *prog = NULL;

	(void)state;
	assert_int_equal(selfpath_runner_prog("rpi-cross", "/usr/bin", NULL,
					      &prog),
			 SELFPATH_UNKNOWN);
	assert_string_equal(prog, "rpi-cross");
	free(prog);
	assert_int_equal(selfpath_runner_prog("rpi-cross", "/usr/bin",
					      "build/rpi-cross", &prog),
			 SELFPATH_UNKNOWN);
	assert_string_equal(prog, "rpi-cross");
	free(prog);
}

static void
test_which(void **state)
{
	const char *dir = *state;
	char *exe = make_exe(dir, "b", "tool");
	char *a = xasprintf("%s/a", dir);
	char *plain = xasprintf("%s/a/tool", dir);
	char *path = xasprintf("%s/a:%s/b", dir, dir);
	char *found;
	FILE *f;

	/* a non-executable file first on PATH is skipped */
	assert_int_equal(mkdir(a, 0755), 0);
	f = fopen(plain, "w");
	assert_non_null(f);
	fclose(f);
	found = rpx_which_in("tool", path);
	assert_string_equal(found, exe);
	free(found);
	assert_null(rpx_which_in("none", path));
	assert_null(rpx_which_in("b/tool", dir));
	assert_null(rpx_which_in("tool", NULL));
	free(path);
	free(plain);
	free(a);
	free(exe);
}

static void
test_own_file(void **state)
{
	char *self = selfpath_exe();

	(void)state;
#if defined(__linux__) || defined(__APPLE__)
	assert_non_null(self);
	assert_int_equal(self[0], '/');
	assert_non_null(strstr(self, "selfpath_test"));
#endif
	free(self);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_on_path_is_bare_name,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_link_on_path_is_bare_name,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_not_on_path_is_absolute,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_another_on_path_is_absolute,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_path_with_space,
						testdir_setup, testdir_teardown),
		cmocka_unit_test(test_self_unknown_is_bare_name),
		cmocka_unit_test_setup_teardown(test_which, testdir_setup,
						testdir_teardown),
		cmocka_unit_test(test_own_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
