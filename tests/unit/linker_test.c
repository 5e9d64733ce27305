/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * linker_test.c - the scan's compile-once probe (reached through the
 * module's private header, linker_int.h): the flavor rustc tells from a
 * linker's name, the ld-like command made from the cc-like one, the recorder's
 * output format, and - with Debian's rustc and the armv7 std - that the
 * ld-like command made from a real cc-like recording is exactly the one
 * rustc itself gives a bare ld and rust-lld.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rpx.h"
#include "strbuf.h"
#include "target.h"
#include "testdir.h"
#include "toolchain/linker_int.h"

static void
test_flavor_class(void **state)
{
	(void)state;
	assert_string_equal(linker_flavor_class(
				"/usr/bin/arm-linux-gnueabihf-gcc"), "cc");
	assert_string_equal(linker_flavor_class("clang"), "cc");
	assert_string_equal(linker_flavor_class("/x/aarch64-linux-gnu-clang++"), "cc");
	assert_string_equal(linker_flavor_class(
				"/usr/bin/arm-linux-gnueabihf-ld"), "ld");
	assert_string_equal(linker_flavor_class("ld.lld"), "ld");	/* stem "ld" */
	assert_string_equal(linker_flavor_class("/a/b/rust-lld"), "rust-lld");
	/* the target's default (gcc's) for names rustc does not know */
	assert_string_equal(linker_flavor_class("clang-14"), "cc");
	assert_string_equal(linker_flavor_class("/opt/x/bin/cc"), "cc");
	assert_string_equal(linker_flavor_class("gcc-12.2"), "cc");	/* stem gcc-12 */
}

static void
assert_argv(const char **got, const char *const *want)
{
	int i;

	for (i = 0; want[i] != NULL; i++) {
		assert_non_null(got[i]);
		assert_string_equal(got[i], want[i]);
	}
	assert_null(got[i]);
}

static void
test_ld_args_from_cc(void **state)
{
	const char *cc[] = { "a.o", "-Wl,--as-needed", "-L", "/lib",
			     "-Wl,-zrelro,-znow", "-Xlinker", "--gc-sections",
			     "-nodefaultlibs", "-pie", "-o", "out", NULL };
	const char *ld[] = { "a.o", "--as-needed", "-L", "/lib", "-zrelro",
			     "-znow", "--gc-sections", "-pie", "-o", "out",
			     NULL };
	const char *lld[] = { "-flavor", "gnu", "a.o", "--as-needed", "-L",
			      "/lib", "-zrelro", "-znow", "--gc-sections",
			      "-pie", "-o", "out", NULL };
	char *buf = NULL;
	const char **v;

	(void)state;
	v = linker_ld_args_from_cc(cc, false, &buf);
	assert_argv(v, ld);
	free(v);
	free(buf);
	v = linker_ld_args_from_cc(cc, true, &buf);
	assert_argv(v, lld);
	free(v);
	free(buf);
}

static void
test_parse_recording(void **state)
{
	static const char rec[] = "PATH=/bin\0LC_ALL=C\0\0a\0\0-o\0";
	static const char bad[] = "PATH=/bin\0LC_ALL=C\0";
	struct recording rc;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	assert_true(linker_parse_recording(rec, sizeof(rec) - 1, &rc));
	assert_string_equal(rc.env[0], "PATH=/bin");
	assert_string_equal(rc.env[1], "LC_ALL=C");
	assert_null(rc.env[2]);
	assert_string_equal(rc.args[0], "a");
	assert_string_equal(rc.args[1], "");	/* empty arguments kept */
	assert_string_equal(rc.args[2], "-o");
	assert_null(rc.args[3]);
	strvec_free_array(rc.env);
	strvec_free_array(rc.args);
	memset(&rc, 0, sizeof(rc));
	assert_false(linker_parse_recording(bad, sizeof(bad) - 1, &rc));
	assert_false(linker_parse_recording("x", 1, &rc));	/* not NUL-ended */
}

/* Record rustc's link command for a linker named name, in dir/sub. */
static void
record_as(struct probe_run *run, const char *dir, const char *sub,
	  const char *name, struct recording *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->name = xstrdup(name);
	rc->dir = xasprintf("%s/%s", dir, sub);
	rc->heir = -1;
	linker_record_prepare(rc);
	linker_record(run, rc, 0);
	if (rc->why != NULL)
		fail_msg("rustc failed: %s", rc->why);
	assert_true(rc->ok);
	if (rc->slot)
		run->free_slots++;
}

/* One recording's args with its own folder (and rustc's temporary one
 * inside it) written as "D", so two recordings compare. */
static char *
normalized(const char *const *args, const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	size_t dl = strlen(dir);

	for (int i = 0; args[i] != NULL; i++) {
		const char *a = args[i];

		if (strncmp(a, dir, dl) == 0) {
			const char *rest = a + dl;

			strbuf_adds(&sb, "D");
			if (strncmp(rest, "/rustc", 6) == 0) {
				strbuf_adds(&sb, "/rustcX");
				rest = strchr(rest + 1, '/');
				if (rest == NULL)
					rest = "";
			}
			strbuf_adds(&sb, rest);
		} else {
			strbuf_adds(&sb, a);
		}
		strbuf_adds(&sb, "\n");
	}
	return strbuf_detach(&sb, NULL);
}

static void
test_ld_command_matches_rustc(void **state)
{
	const char *dir = *state;
	const char *triple = "armv7-unknown-linux-gnueabihf";
	struct toolchain tc = TOOLCHAIN_INIT;
	struct linker_opts o = { &tc, NULL, 60000, true, NULL };
	struct probe_run run;
	struct recording cc, ld, lld;
	char *buf = NULL, *want = NULL, *got = NULL;
	const char **v;

	if (access("/usr/bin/rustc", X_OK) != 0 ||
	    !rpx_is_dir("/usr/lib/rustlib/armv7-unknown-linux-gnueabihf/lib"))
		skip();	/* Debian's rustc with the armv7 std is needed */
	tc.rustc = "/usr/bin/rustc";
	memset(&run, 0, sizeof(run));
	pthread_mutex_init(&run.mu, NULL);
	pthread_cond_init(&run.cv, NULL);
	run.free_slots = 1;
	run.timeout_ms = 60000;
	run.t = target_find(triple);
	run.o = &o;
	assert_non_null(run.t);
	record_as(&run, dir, "cc", "arm-linux-gnueabihf-gcc", &cc);
	record_as(&run, dir, "ld", "arm-linux-gnueabihf-ld", &ld);
	record_as(&run, dir, "lld", "rust-lld", &lld);

	v = linker_ld_args_from_cc((const char *const *)cc.args, false, &buf);
	got = normalized(v, cc.dir);
	want = normalized((const char *const *)ld.args, ld.dir);
	assert_string_equal(got, want);
	free(v);
	free(buf);
	free(got);
	free(want);

	v = linker_ld_args_from_cc((const char *const *)cc.args, true, &buf);
	got = normalized(v, cc.dir);
	want = normalized((const char *const *)lld.args, lld.dir);
	assert_string_equal(got, want);
	free(v);
	free(buf);
	free(got);
	free(want);
	/* the marker for the candidate's own link arguments is there */
	want = normalized((const char *const *)cc.args, cc.dir);
	assert_non_null(strstr(want, "\n" LINK_ARGS_MARK "\n"));
	free(want);
	/* and rustc's PATH for the linker was recorded */
	assert_true(strncmp(cc.env[0], "PATH=", 5) == 0);
	for (struct recording *r = &cc; r != NULL;
	     r = r == &cc ? &ld : r == &ld ? &lld : NULL) {
		free(r->name);
		free(r->dir);
		free(r->why);
		strvec_free_array(r->env);
		strvec_free_array(r->args);
	}
	pthread_mutex_destroy(&run.mu);
	pthread_cond_destroy(&run.cv);
}

static void
test_zig_target(void **state)
{
	static const char *const want[][3] = {
		{ "armv7-unknown-linux-gnueabihf",
		  "arm-linux-gnueabihf." ZIG_GLIBC, "cortex_a7" },
		{ "arm-unknown-linux-gnueabihf",
		  "arm-linux-gnueabihf." ZIG_GLIBC, "arm1176jzf_s" },
		{ "aarch64-unknown-linux-gnu", "aarch64-linux-gnu." ZIG_GLIBC,
		  NULL },
		{ "armv7-unknown-linux-musleabihf", "arm-linux-musleabihf",
		  "cortex_a7" },
		{ "aarch64-unknown-linux-musl", "aarch64-linux-musl", NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const struct target *t = target_find(want[i][0]);
		char *zt;

		assert_non_null(t);
		zt = linker_zig_target(t);
		assert_string_equal(zt, want[i][1]);
		free(zt);
		if (want[i][2] == NULL)
			assert_null(linker_zig_cpu(t));
		else
			assert_string_equal(linker_zig_cpu(t), want[i][2]);
	}
}

/* The wrapper runs zig cc with the target, and quotes zig's path for sh. */
static void
test_zig_wrapper(void **state)
{
	const struct target *t = target_find("armv7-unknown-linux-gnueabihf");
	char *text = linker_zig_wrapper_text(t, "/opt/it's/zig");
	char *p;

	(void)state;
	assert_non_null(strstr(text, "#!/bin/sh\n"));
	assert_non_null(strstr(text, "\nexec '/opt/it'\\''s/zig' cc -target "
			       "arm-linux-gnueabihf." ZIG_GLIBC
			       " -mcpu=cortex_a7 \"$@\"\n"));
	free(text);
	assert_int_equal(setenv("XDG_DATA_HOME", "/c", 1), 0);
	p = linker_zig_wrapper_path(t, "/opt/zig/zig");
	assert_non_null(p);
	assert_int_equal(strncmp(p, "/c/rpi-cross/zig/", 17), 0);
	assert_string_equal(p + 17 + 16,
			    "/zig-cc-armv7-unknown-linux-gnueabihf");
	/* no dot in the name: rustc tells the flavor from the stem */
	assert_string_equal(linker_flavor_class(p), "cc");
	free(p);
	unsetenv("XDG_DATA_HOME");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flavor_class),
		cmocka_unit_test(test_ld_args_from_cc),
		cmocka_unit_test(test_parse_recording),
		cmocka_unit_test(test_zig_target),
		cmocka_unit_test(test_zig_wrapper),
		cmocka_unit_test_setup_teardown(test_ld_command_matches_rustc,
						testdir_setup,
						testdir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
