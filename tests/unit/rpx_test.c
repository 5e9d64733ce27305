/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * rpx_test.c - the shared helpers of rpx.h: program lookup on a PATH of
 * our own making, rpx_getenv's empty-is-unset rule, xasprintf, the ASCII
 * case-insensitive comparison, error records and messages (usage errors
 * with and without a hint; notes dropped under quiet, errors not).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testdir.h"

#include "rpx.h"

static void
make_file(const char *dir, const char *name, mode_t mode)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
	free(p);
}

/* The first executable regular file on PATH, in PATH's order. */
static void
test_which(void **state)
{
	const char *dir = *state;
	char *a = xasprintf("%s/a", dir), *b = xasprintf("%s/b", dir);
	char *path, *got, *old = NULL, want[512];

	if (getenv("PATH") != NULL)
		old = xstrdup(getenv("PATH"));
	assert_int_equal(mkdir(a, 0755), 0);
	assert_int_equal(mkdir(b, 0755), 0);
	make_file(a, "tool", 0644);		/* not executable: skipped */
	make_file(b, "tool", 0755);
	make_file(a, "both", 0755);
	make_file(b, "both", 0755);
	snprintf(want, sizeof(want), "%s/dirtool", b);
	assert_int_equal(mkdir(want, 0755), 0);
	path = xasprintf("/nonexistent:%s:%s", a, b);
	setenv("PATH", path, 1);

	got = rpx_which("tool");
	assert_non_null(got);
	snprintf(want, sizeof(want), "%s/tool", b);
	assert_string_equal(got, want);
	free(got);
	got = rpx_which("both");
	snprintf(want, sizeof(want), "%s/both", a);
	assert_string_equal(got, want);		/* the first wins */
	free(got);
	assert_null(rpx_which("dirtool"));	/* a folder is not a program */
	assert_null(rpx_which("missing"));
	assert_null(rpx_which(""));
	assert_null(rpx_which(NULL));
	/* a name with '/' is checked as it is, PATH not used */
	snprintf(want, sizeof(want), "%s/tool", b);
	got = rpx_which(want);
	assert_string_equal(got, want);
	free(got);
	snprintf(want, sizeof(want), "%s/tool", a);
	assert_null(rpx_which(want));
	/* an empty PATH entry is the current folder */
	setenv("PATH", "/nonexistent:", 1);
	assert_int_equal(chdir(b), 0);
	got = rpx_which("tool");
	assert_string_equal(got, "./tool");
	free(got);
	assert_int_equal(chdir("/"), 0);

	if (old != NULL)
		setenv("PATH", old, 1);
	else
		unsetenv("PATH");
	free(old);
	free(path);
	free(a);
	free(b);
}

static void
test_getenv_empty_is_unset(void **state)
{
	(void)state;
	unsetenv("RPX_UNIT_VAR");
	assert_null(rpx_getenv("RPX_UNIT_VAR"));
	setenv("RPX_UNIT_VAR", "", 1);
	assert_non_null(getenv("RPX_UNIT_VAR"));
	assert_null(rpx_getenv("RPX_UNIT_VAR"));
	setenv("RPX_UNIT_VAR", " ", 1);
	assert_string_equal(rpx_getenv("RPX_UNIT_VAR"), " ");
	setenv("RPX_UNIT_VAR", "pi@host", 1);
	assert_string_equal(rpx_getenv("RPX_UNIT_VAR"), "pi@host");
	unsetenv("RPX_UNIT_VAR");
}

static void
test_xasprintf(void **state)
{
	char *s, *big;

	(void)state;
	s = xasprintf("%s-%d-%c", "armv7", 32, 'x');
	assert_string_equal(s, "armv7-32-x");
	free(s);
	s = xasprintf("%s", "");
	assert_string_equal(s, "");
	free(s);
	big = xasprintf("%4096d|", 7);
	assert_int_equal(strlen(big), 4097);
	assert_string_equal(big + 4095, "7|");
	free(big);
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
}

static void
test_strcasecmp(void **state)
{
	(void)state;
	assert_int_equal(rpx_strcasecmp("GNU", "gnu"), 0);
	assert_int_equal(rpx_strcasecmp("Musl", "mUSL"), 0);
	assert_true(rpx_strcasecmp("a", "B") < 0);
	assert_true(rpx_strcasecmp("b", "A") > 0);
	assert_true(rpx_strcasecmp("gnu", "gnueabihf") < 0);
	assert_true(rpx_strcasecmp("gnueabihf", "GNU") > 0);
	assert_int_equal(rpx_strcasecmp("", ""), 0);
	/* ASCII only: bytes above 127 compare as they are */
	assert_true(rpx_strcasecmp("\xc3\x89", "\xc3\xa9") != 0);
	assert_true(rpx_strcasecmp("[", "{") < 0);	/* not folded */
	assert_true(rpx_streq("x", "x"));
	assert_false(rpx_streq("x", NULL));
	assert_false(rpx_streq(NULL, NULL));
	assert_true(rpx_starts_with("armv7-unknown", "armv7"));
	assert_false(rpx_starts_with("arm", "armv7"));
	assert_true(rpx_starts_with("x", ""));
}

static void
test_err_record_and_messages(void **state)
{
	struct rpx_err e = RPX_ERR_INIT;
	struct ctx ctx;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(rpx_err_set(&e, "a.toml", 3, 7, "bad %s", "key"),
			 RPX_EPARSE);
	rpx_err_print(f, &e);
	rpx_err_set(&e, NULL, 2, 0, "no column");
	rpx_err_print(f, &e);
	rpx_err_set(&e, NULL, 0, 0, "nothing known");
	rpx_err_print(f, &e);
	assert_int_equal(rpx_err_set(NULL, "x", 1, 1, "ignored"), RPX_EPARSE);
	ctx_init(&ctx, "rpi-cross");
	ctx.err = f;
	ctx.color_err = false;
	rpx_errorf(&ctx, "cannot %s", "write");
	rpx_warnf(&ctx, "odd");
	assert_int_equal(rpx_usage_error(&ctx, NULL, "unknown command '%s'",
					 "x"), RPX_EXIT_USAGE);
	assert_int_equal(rpx_usage_error_hint(&ctx, "setup", "Did you mean 'a'?",
					      "bad %d", 7), RPX_EXIT_USAGE);
	assert_int_equal(rpx_usage_error_hint(&ctx, "setup", NULL, "no hint"),
			 RPX_EXIT_USAGE);
	rpx_notef(&ctx, "Detecting %s...", "pi");
	ctx.quiet = true;
	rpx_notef(&ctx, "not shown");
	rpx_warnf(&ctx, "still shown");
	rpx_errorf(&ctx, "shown too");
	fclose(f);
	assert_string_equal(buf,
			    "a.toml:3:7: bad key\n"
			    "2: no column\n"
			    "nothing known\n"
			    "rpi-cross: error: cannot write\n"
			    "rpi-cross: warning: odd\n"
			    "rpi-cross: error: unknown command 'x'\n"
			    "Try 'rpi-cross --help'.\n"
			    "rpi-cross: error: bad 7\n"
			    "Did you mean 'a'?\n"
			    "Try 'rpi-cross --help' or 'rpi-cross setup --help'.\n"
			    "rpi-cross: error: no hint\n"
			    "Try 'rpi-cross --help' or 'rpi-cross setup --help'.\n"
			    "Detecting pi...\n"
			    "rpi-cross: warning: still shown\n"
			    "rpi-cross: error: shown too\n");
	free(buf);
	assert_string_equal(rpx_strerror(RPX_ETIMEOUT), "timed out");
	assert_string_equal(rpx_strerror(-99), "unknown error");
	assert_string_equal(rpx_sgr(false, SGR_RED), "");
	assert_string_equal(rpx_sgr(true, SGR_RED), "\033[31m");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_which, testdir_setup,
						testdir_teardown),
		cmocka_unit_test(test_getenv_empty_is_unset),
		cmocka_unit_test(test_xasprintf),
		cmocka_unit_test(test_strcasecmp),
		cmocka_unit_test(test_err_record_and_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
