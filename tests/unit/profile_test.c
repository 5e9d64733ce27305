/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* profile_test.c - profiles.yaml: reading, errors with line:col, saving. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "fsutil.h"
#include "profile.h"
#include "rpx.h"

#define assert_has(hay, needle) do { \
	if (strstr((hay), (needle)) == NULL) \
		fail_msg("'%s' lacks '%s'", (hay), (needle)); \
} while (0)

struct fixture {
	char dir[64];
	char *path;
};

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/rpx-profile.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	fx->path = xasprintf("%s/cfg/rpi-cross/profiles.yaml", fx->dir);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char *cfg = xasprintf("%s/cfg/rpi-cross", fx->dir);
	char *cfg1 = xasprintf("%s/cfg", fx->dir);

	unlink(fx->path);
	rmdir(cfg);
	rmdir(cfg1);
	rmdir(fx->dir);
	free(cfg);
	free(cfg1);
	free(fx->path);
	free(fx);
	return 0;
}

static void
put(const struct fixture *fx, const char *text)
{
	char *dir = xasprintf("%s/cfg/rpi-cross", fx->dir);

	assert_int_equal(fsutil_mkdirs(dir, 0700), 0);
	assert_int_equal(atomic_write(fx->path, text, strlen(text)), 0);
	free(dir);
}

static char *
get(const struct fixture *fx)
{
	char *buf = NULL;
	size_t len;

	assert_int_equal(fsutil_read_file(fx->path, &buf, &len), 0);
	return buf;
}

/* Read text and expect an error at line:col whose message has want. */
static void
expect_error(const struct fixture *fx, const char *text, int line, int col,
	     const char *want)
{
	struct profiles ps = PROFILES_INIT;
	struct rpx_err err = RPX_ERR_INIT;

	put(fx, text);
	assert_int_equal(profiles_read(&ps, fx->path, &err), RPX_EPARSE);
	assert_string_equal(err.path, fx->path);
	if (err.line != line || err.col != col)
		fail_msg("error at %d:%d, expected %d:%d (%s)", err.line,
			 err.col, line, col, err.msg);
	assert_has(err.msg, want);
	assert_int_equal(ps.n, 0);
	profiles_release(&ps);
}

static void
test_read_full_profile(void **state)
{
	struct fixture *fx = *state;
	struct profiles ps = PROFILES_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	const struct profile *pr;

	put(fx, "# mine\n"
		"home:\n"
		"  board: pi4\n"
		"  bits: 64\n"
		"  libc: musl\n"
		"  target: aarch64-unknown-linux-musl\n"
		"  linker: rust-lld\n"
		"  link_args: [-fuse-ld=lld, \"-Wl,--as-needed\"]\n"
		"  cpu: cortex-a72\n"
		"  project_dir: /src/blinky\n"
		"  build_target: yes\n"
		"  runner: false\n"
		"  host: pi@raspberrypi.local:2222\n"
		"zero:\n"
		"  board: Raspberry Pi Zero W\n"
		"  host:\n");
	assert_int_equal(profiles_read(&ps, fx->path, &err), 0);
	assert_int_equal(ps.n, 2);
	assert_int_equal(ps.nwarnings, 0);
	pr = profiles_find(&ps, "home");
	assert_non_null(pr);
	assert_int_equal(pr->line, 2);
	assert_string_equal(pr->plan.board->id, "pi4");
	assert_int_equal(pr->plan.os_bits, 64);
	assert_int_equal(pr->plan.libc, LIBC_MUSL);
	assert_string_equal(pr->plan.target->triple, "aarch64-unknown-linux-musl");
	assert_string_equal(pr->plan.link_args[0], "-fuse-ld=lld");
	assert_string_equal(pr->plan.link_args[1], "-Wl,--as-needed");
	assert_null(pr->plan.link_args[2]);
	assert_int_equal(pr->plan.scope, PLAN_SCOPE_PROJECT);
	assert_string_equal(pr->plan.project_dir, "/src/blinky");
	assert_true(pr->plan.build_target);
	assert_false(pr->plan.runner);
	assert_int_equal(pr->plan.notes[PF_RUNNER].src, PLAN_PROFILE);
	assert_string_equal(pr->plan.host, "pi@raspberrypi.local:2222");
	pr = profiles_find(&ps, "zero");
	assert_string_equal(pr->plan.board->id, "zerow");
	assert_null(pr->plan.host);
	assert_int_equal(pr->plan.notes[PF_HOST].src, PLAN_UNSET);
	assert_int_equal(pr->plan.notes[PF_BITS].src, PLAN_UNSET);
	assert_null(profiles_find(&ps, "nope"));
	profiles_release(&ps);
}

static void
test_missing_and_empty_files(void **state)
{
	struct fixture *fx = *state;
	struct profiles ps = PROFILES_INIT;
	struct rpx_err err = RPX_ERR_INIT;

	assert_int_equal(profiles_read(&ps, fx->path, &err), 0);
	assert_int_equal(ps.n, 0);
	profiles_release(&ps);
	put(fx, "# only a comment\n");
	assert_int_equal(profiles_read(&ps, fx->path, &err), 0);
	assert_int_equal(ps.n, 0);
	profiles_release(&ps);
}

static void
test_errors_have_line_and_column(void **state)
{
	struct fixture *fx = *state;

	(void)state;
	/* libyaml's own: a tab and a bad indentation, 1-based here. */
	expect_error(fx, "a:\n  board: pi4\n bits: 64\n", 3, 2,
		     "did not find expected key");
	expect_error(fx, "a:\n  board: [pi4\n", 3, 1, "");
	expect_error(fx, "a:\n  board: pi9\n", 2, 10, "unknown board 'pi9'");
	expect_error(fx, "a:\n  board: pi4\n  bits: 48\n", 3, 9,
		     "bits must be 32 or 64, not '48'");
	expect_error(fx, "a:\n  libc: uclibc\n", 2, 9, "libc must be gnu or musl");
	expect_error(fx, "a:\n  target: x86_64-unknown-linux-gnu\n", 2, 11,
		     "unknown target");
	expect_error(fx, "a:\n  scope: system\n", 2, 10, "scope must be");
	expect_error(fx, "a:\n  runner: maybe\n", 2, 11, "true or false");
	expect_error(fx, "a:\n  colour: red\n", 2, 3,
		     "unknown key 'colour' in profile 'a' (known: board");
	expect_error(fx, "a:\n  board: pi4\n  board: pi5\n", 3, 3,
		     "duplicate key 'board' in profile 'a' (first on line 2)");
	expect_error(fx, "a:\n  board: pi4\na:\n  board: pi5\n", 3, 1,
		     "duplicate profile 'a' (first on line 1)");
	expect_error(fx, "- a\n- b\n", 1, 1, "expected a mapping");
	expect_error(fx, "a: pi4\n", 1, 4, "must be a mapping");
	expect_error(fx, "a:\n  host: {name: x}\n", 2, 9, "single value");
	expect_error(fx, "a:\n  link_args: {x: y}\n", 2, 14, "list of strings");
	expect_error(fx, "a:\n  board: pi4\n---\nb:\n  board: pi4\n", 3, 1,
		     "second YAML document");
}

static void
test_secrets_refused(void **state)
{
	struct fixture *fx = *state;
	struct profiles ps = PROFILES_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct plan p;
	char *text;

	put(fx, "a:\n  board: pi4\n  password: hunter2\n  SSH_Passphrase: x\n"
		"  host: pi@x\n");
	assert_int_equal(profiles_read(&ps, fx->path, &err), 0);
	assert_int_equal(ps.n, 1);
	assert_int_equal(ps.nwarnings, 2);
	assert_int_equal(ps.warnings[0].line, 3);
	assert_int_equal(ps.warnings[0].col, 3);
	assert_has(ps.warnings[0].msg, "refusing key 'password'");
	assert_has(ps.warnings[0].msg, "never hold secrets");
	assert_has(ps.warnings[1].msg, "'SSH_Passphrase'");
	assert_string_equal(ps.v[0].plan.host, "pi@x");
	profiles_release(&ps);

	/* Saving another profile drops the secret from the file. */
	plan_init(&p);
	p.board = board_find("pi5");
	plan_note(&p, PF_BOARD, PLAN_FLAG, NULL);
	assert_int_equal(profile_save(fx->path, "b", &p, &err), 0);
	text = get(fx);
	assert_null(strstr(text, "hunter2"));
	assert_null(strstr(text, "password:"));
	assert_has(text, "host: pi@x");
	free(text);
	plan_release(&p);
}

static void
test_save_roundtrip_keeps_order(void **state)
{
	struct fixture *fx = *state;
	struct profiles ps = PROFILES_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct plan p, q;
	char *text;
	struct stat st;

	put(fx, "zeta:\n  board: zero\nalpha:\n  board: pi3\n  bits: 32\n");
	plan_init(&p);
	p.board = board_find("pi4");
	plan_note(&p, PF_BOARD, PLAN_FLAG, NULL);
	p.libc = LIBC_MUSL;
	plan_note(&p, PF_LIBC, PLAN_USER, NULL);
	plan_set_str(&p.cpu, "cortex-a72");
	plan_note(&p, PF_CPU, PLAN_FLAG, NULL);
	p.scope = PLAN_SCOPE_FILE;
	plan_set_str(&p.config_file, "/tmp/c: \"x\".toml");
	plan_note(&p, PF_CONFIG, PLAN_FLAG, NULL);
	p.runner = true;
	plan_note(&p, PF_RUNNER, PLAN_FLAG, NULL);
	plan_set_str(&p.host, "pi@from-env");
	plan_note(&p, PF_HOST, PLAN_ENV, NULL);
	p.link_args = xcalloc(3, sizeof(char *));
	p.link_args[0] = xstrdup("--target=armv7-linux-gnueabihf");
	p.link_args[1] = xstrdup("-fuse-ld=lld");
	assert_int_equal(plan_complete(&p, &err), 0);
	assert_int_equal(profile_save(fx->path, "mid", &p, &err), 0);

	text = get(fx);
	/* Order kept, new one last; defaults and the environment not saved. */
	assert_true(strstr(text, "zeta:") < strstr(text, "alpha:"));
	assert_true(strstr(text, "alpha:") < strstr(text, "mid:"));
	assert_null(strstr(text, "from-env"));
	assert_null(strstr(text, "aarch64"));
	assert_has(text, "# rpi-cross profiles");
	free(text);

	assert_int_equal(profiles_read(&ps, fx->path, &err), 0);
	assert_int_equal(ps.n, 3);
	assert_string_equal(ps.v[0].name, "zeta");
	assert_string_equal(ps.v[2].name, "mid");
	plan_init(&q);
	assert_int_equal(profile_apply(&ps, "mid", &q, &err), 0);
	assert_string_equal(q.board->id, "pi4");
	assert_int_equal(q.libc, LIBC_MUSL);
	assert_int_equal(q.notes[PF_LIBC].src, PLAN_PROFILE);
	assert_string_equal(q.notes[PF_LIBC].why, "profile 'mid'");
	assert_string_equal(q.cpu, "cortex-a72");
	assert_int_equal(q.scope, PLAN_SCOPE_FILE);
	assert_string_equal(q.config_file, "/tmp/c: \"x\".toml");
	assert_true(q.runner);
	assert_null(q.host);
	assert_null(q.target);
	assert_int_equal(q.os_bits, 0);
	assert_string_equal(q.link_args[1], "-fuse-ld=lld");
	assert_int_equal(ps.v[1].plan.os_bits, 32);
	plan_release(&q);
	profiles_release(&ps);

	/* Replacing in place keeps its position. */
	p.board = board_find("pi5");
	plan_set_str(&p.cpu, "cortex-a76");
	assert_int_equal(profile_save(fx->path, "zeta", &p, &err), 0);
	assert_int_equal(profiles_read(&ps, fx->path, &err), 0);
	assert_int_equal(ps.n, 3);
	assert_string_equal(ps.v[0].name, "zeta");
	assert_string_equal(ps.v[0].plan.board->id, "pi5");
	profiles_release(&ps);
	assert_int_equal(stat(fx->path, &st), 0);

	/* Delete. */
	assert_int_equal(profile_delete(fx->path, "alpha", &err), 0);
	assert_int_equal(profile_delete(fx->path, "alpha", &err), RPX_ENOTFOUND);
	assert_has(err.msg, "no profile 'alpha'");
	assert_int_equal(profiles_read(&ps, fx->path, &err), 0);
	assert_int_equal(ps.n, 2);
	assert_null(profiles_find(&ps, "alpha"));
	assert_int_equal(profile_apply(&ps, "alpha", &q, &err), RPX_ENOTFOUND);
	assert_has(err.msg, "(profiles: zeta, mid)");
	profiles_release(&ps);
	plan_release(&p);
}

static void
test_new_file_and_bad_file_untouched(void **state)
{
	struct fixture *fx = *state;
	struct rpx_err err = RPX_ERR_INIT;
	struct plan p;
	struct stat st;
	char *dir = xasprintf("%s/cfg/rpi-cross", fx->dir);
	const char *bad = "a:\n  board: pi4\n bits: 64\n";
	char *text;

	plan_init(&p);
	p.board = board_find("pi3");
	plan_note(&p, PF_BOARD, PLAN_FLAG, NULL);
	/* Folder and file created, private. */
	assert_int_equal(profile_save(fx->path, "x", &p, &err), 0);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* Malformed: save and delete refuse, the file stays as it was. */
	put(fx, bad);
	assert_int_equal(profile_save(fx->path, "x", &p, &err), RPX_EPARSE);
	assert_int_equal(err.line, 3);
	assert_int_equal(profile_delete(fx->path, "a", &err), RPX_EPARSE);
	text = get(fx);
	assert_string_equal(text, bad);
	free(text);
	/* Bad names. */
	assert_int_equal(profile_save(fx->path, "", &p, &err), RPX_EINVAL);
	assert_int_equal(profile_save(fx->path, "a\tb", &p, &err), RPX_EINVAL);
	plan_release(&p);
	free(dir);
}

static void
test_default_path(void **state)
{
	char *p;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	p = profile_default_path();
	assert_string_equal(p, "/x/cfg/rpi-cross/profiles.yaml");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/me", 1);
	p = profile_default_path();
	assert_string_equal(p, "/home/me/.config/rpi-cross/profiles.yaml");
	free(p);
	unsetenv("HOME");
	assert_null(profile_default_path());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_full_profile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_empty_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_have_line_and_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secrets_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_roundtrip_keeps_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_file_and_bad_file_untouched,
						setup, teardown),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
