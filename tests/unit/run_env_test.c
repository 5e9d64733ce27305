/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * run_env_test.c - the environment `rpi-cross run` passes to the Pi: the
 * default names taken only when set, --env NAME and NAME=VALUE (the last
 * wins, bad names refused), and the assignments text, which a real
 * /bin/sh must turn back into exactly the values given (quotes, spaces,
 * $, backquotes, newlines).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proc.h"
#include "rpx.h"
#include "run_env.h"
#include "strbuf.h"
#include "strvec.h"
#include "testdir.h"

static void
test_defaults_only_when_set(void **state)
{
	const char *kv[] = { "RUST_LOG", "debug", "PATH", "/usr/bin",
			     "HOME", "/home/me", "MY_SECRET_TOKEN", "s3cret",
			     "RUST_LIB_BACKTRACE", "0", NULL };
	struct strvec env = STRVEC_INIT;

	(void)state;
	run_env_defaults(&env, testdir_env, kv);
	assert_int_equal(env.n, 2);
	assert_string_equal(env.v[0], "RUST_LOG=debug");
	assert_string_equal(env.v[1], "RUST_LIB_BACKTRACE=0");
	assert_null(env.v[2]);
	strvec_clear(&env);
}

static void
test_add_forms(void **state)
{
	const char *kv[] = { "FOO", "local", "EMPTY", "", "RUST_LOG", "info",
			     NULL };
	struct strvec env = STRVEC_INIT;
	char err[256];

	(void)state;
	run_env_defaults(&env, testdir_env, kv);
	assert_int_equal(run_env_add(&env, "FOO", testdir_env, kv, err,
				     sizeof(err)), 0);
	/* unset here: nothing goes */
	assert_int_equal(run_env_add(&env, "HOME_X", testdir_env, kv, err,
				     sizeof(err)), 0);
	assert_int_equal(run_env_add(&env, "EMPTY", testdir_env, kv, err,
				     sizeof(err)), 0);
	assert_int_equal(run_env_add(&env, "BAR=a=b", testdir_env, kv, err,
				     sizeof(err)), 0);
	assert_int_equal(run_env_add(&env, "_x1=", testdir_env, kv, err,
				     sizeof(err)), 0);
	/* the last one given wins, over a default too */
	assert_int_equal(run_env_add(&env, "RUST_LOG=trace", testdir_env, kv,
				     err, sizeof(err)), 0);
	assert_int_equal(run_env_add(&env, "FOO=again", testdir_env, kv, err,
				     sizeof(err)), 0);
	assert_int_equal(env.n, 5);
	assert_string_equal(env.v[0], "EMPTY=");
	assert_string_equal(env.v[1], "BAR=a=b");
	assert_string_equal(env.v[2], "_x1=");
	assert_string_equal(env.v[3], "RUST_LOG=trace");
	assert_string_equal(env.v[4], "FOO=again");
	assert_null(env.v[5]);
	strvec_clear(&env);
}

static void
test_bad_names_refused(void **state)
{
	const char *bad[] = { "", "=x", "1ABC", "1ABC=x", "A-B=x", "A B",
			      "A.B", "$X=1", "A;rm=x", "A\nB=x", "é=x",
			      "A'=x", NULL };
	const char *kv[] = { NULL };
	struct strvec env = STRVEC_INIT;
	char err[256];

	(void)state;
	for (size_t i = 0; bad[i] != NULL; i++) {
		err[0] = '\0';
		assert_int_equal(run_env_add(&env, bad[i], testdir_env, kv,
					     err, sizeof(err)), RPX_EINVAL);
		assert_non_null(strstr(err, "--env"));
	}
	assert_int_equal(env.n, 0);
	assert_true(run_env_name_ok("RUST_LOG", 8));
	assert_true(run_env_name_ok("_", 1));
	assert_true(run_env_name_ok("a9_Z", 4));
	assert_false(run_env_name_ok("9a", 2));
	assert_false(run_env_name_ok("a", 0));
}

static void
test_shell_text(void **state)
{
	char *env[] = { "A=plain", "B=it's", "C=", NULL };
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	run_env_shell(&sb, NULL);
	assert_string_equal(sb.buf, "");
	run_env_shell(&sb, env);
	assert_string_equal(sb.buf, "A='plain' B='it'\\''s' C='' ");
	strbuf_release(&sb);
}

/* The values a real shell sees after the assignments: each printed by
 * printf between markers, through `exec`, as the Pi's command does. */
static void
test_shell_round_trip(void **state)
{
	static const char *const values[] = {
		"debug,my_crate=trace", "two words", "it's", "\"double\"",
		"$HOME and ${PATH}", "`id` $(id)", "line1\nline2\n", "back\\slash",
		"*?[a]", "'", "", "  lead and trail  ", "tab\there", "~",
		"a;b|c&d>e<f", NULL,
	};
	struct strvec env = STRVEC_INIT;
	struct strbuf cmd = STRBUF_INIT, want = STRBUF_INIT;
	struct proc p = PROC_INIT;
	const char *argv[] = { "/bin/sh", "-c", NULL, NULL };

	(void)state;
	strbuf_adds(&cmd, "cd && ");
	for (size_t i = 0; values[i] != NULL; i++)
		strvec_pushf(&env, "V%zu=%s", i, values[i]);
	run_env_shell(&cmd, env.v);
	strbuf_adds(&cmd, "exec /bin/sh -c 'for i in ");
	for (size_t i = 0; values[i] != NULL; i++) {
		strbuf_addf(&cmd, " V%zu", i);
		strbuf_addf(&want, "<%s>", values[i]);
	}
	strbuf_adds(&cmd, "; do eval \"printf \\\"<%s>\\\" \\\"\\$$i\\\"\"; "
		    "done'");
	argv[2] = cmd.buf;
	p.argv = argv;
	p.capture = true;
	p.timeout_ms = 10000;
	assert_int_equal(proc_run(&p), 0);
	assert_true(proc_ok(&p));
	assert_string_equal(p.out.buf, want.buf);
	proc_release(&p);
	strvec_clear(&env);
	strbuf_release(&cmd);
	strbuf_release(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_only_when_set),
		cmocka_unit_test(test_add_forms),
		cmocka_unit_test(test_bad_names_refused),
		cmocka_unit_test(test_shell_text),
		cmocka_unit_test(test_shell_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
