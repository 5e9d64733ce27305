/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* planconf_test.c - a plan written into real Cargo config files: the exact
 * text, the user's settings kept, idempotence, paths and errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testdir.h"

#include "cargo_config.h"
#include "fsutil.h"
#include "plan.h"
#include "planconf.h"
#include "rpx.h"

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* A Pi 4 plan for armv7 gnu with gcc, a CPU, runner and [build] target. */
static void
pi4_plan(struct plan *p, const char *dir)
{
	plan_init(p);
	p->target = target_find("armv7-unknown-linux-gnueabihf");
	assert_non_null(p->target);
	plan_set_str(&p->linker, "arm-linux-gnueabihf-gcc");
	plan_set_str(&p->cpu, "cortex-a72");
	plan_set_str(&p->host, "pi@raspberrypi.local");
	p->runner = true;
	p->build_target = true;
	p->scope = PLAN_SCOPE_FILE;
	p->config_file = xasprintf("%s/config.toml", dir);
}

/* Prepare and commit; returns the file's text. */
static char *
write_plan(const struct plan *p)
{
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	char *text;

	assert_int_equal(planconf_prepare(p, NULL, NULL, &ch, &err), 0);
	assert_int_equal(cargo_config_commit(&ch, &err), 0);
	text = testdir_slurp(ch.path);
	cargo_config_change_release(&ch);
	return text;
}

static void
test_new_file_exact(void **state)
{
	struct plan p;
	char *text;

	pi4_plan(&p, *state);
	text = write_plan(&p);
	assert_string_equal(text,
		"[target.armv7-unknown-linux-gnueabihf]\n"
		"linker = \"arm-linux-gnueabihf-gcc\"\n"
		"rustflags = [\"-C\", \"target-cpu=cortex-a72\"]\n"
		"runner = \"rpi-cross run --host pi@raspberrypi.local\"\n"
		"\n"
		"[build]\n"
		"target = \"armv7-unknown-linux-gnueabihf\"\n");
	free(text);
	plan_release(&p);
}

static void
test_keeps_user_settings(void **state)
{
	struct plan p;
	char *text;

	pi4_plan(&p, *state);
	p.runner = false;
	p.build_target = false;
	p.link_args = xcalloc(2, sizeof(char *));
	p.link_args[0] = xstrdup("-Wl,--as-needed");
	put(p.config_file,
	    "# my settings\n"
	    "[target.armv7-unknown-linux-gnueabihf]\n"
	    "linker = \"clang\" # was clang\n"
	    "rustflags = [\"-C\", \"opt-level=3\", \"-Ctarget-cpu=cortex-a7\",\n"
	    "  \"-C\", \"link-arg=-fuse-ld=lld\", \"--codegen\", \"link-arg=--target=armv7-linux-gnueabihf\"]\n"
	    "runner = \"my-runner\"\n"
	    "\n"
	    "[alias]\n"
	    "b = \"build\"\n");
	text = write_plan(&p);
	assert_string_equal(text,
	    "# my settings\n"
	    "[target.armv7-unknown-linux-gnueabihf]\n"
	    "linker = \"arm-linux-gnueabihf-gcc\" # was clang\n"
	    "rustflags = [\"-C\", \"opt-level=3\", \"-C\", \"target-cpu=cortex-a72\", \"-C\", \"link-arg=-Wl,--as-needed\"]\n"
	    "runner = \"my-runner\"\n"
	    "\n"
	    "[alias]\n"
	    "b = \"build\"\n");
	free(text);
	plan_release(&p);
}

static void
test_string_rustflags_stay_string(void **state)
{
	struct plan p;
	char *text;

	pi4_plan(&p, *state);
	p.runner = false;
	p.build_target = false;
	put(p.config_file,
	    "[target.armv7-unknown-linux-gnueabihf]\n"
	    "linker = 'arm-linux-gnueabihf-gcc'\n"
	    "rustflags = \"-C target-cpu=cortex-a53 -C debuginfo=1\"\n");
	text = write_plan(&p);
	/* The linker, already right, keeps its literal quotes; the string form
	 * of rustflags stays a string, the user's debuginfo kept. */
	assert_string_equal(text,
	    "[target.armv7-unknown-linux-gnueabihf]\n"
	    "linker = 'arm-linux-gnueabihf-gcc'\n"
	    "rustflags = \"-C debuginfo=1 -C target-cpu=cortex-a72\"\n");
	free(text);
	plan_release(&p);
}

static void
test_second_run_changes_nothing(void **state)
{
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct plan p;

	pi4_plan(&p, *state);
	free(write_plan(&p));
	assert_int_equal(planconf_prepare(&p, NULL, NULL, &ch, &err), 0);
	assert_string_equal(ch.diff, "");
	assert_false(cargo_config_changed(&ch));
	cargo_config_change_release(&ch);
	plan_release(&p);
}

static void
test_diff_shows_change(void **state)
{
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct plan p;

	pi4_plan(&p, *state);
	free(write_plan(&p));
	plan_set_str(&p.cpu, "cortex-a53");
	assert_int_equal(planconf_prepare(&p, NULL, NULL, &ch, &err), 0);
	assert_non_null(strstr(ch.diff,
		"-rustflags = [\"-C\", \"target-cpu=cortex-a72\"]\n"
		"+rustflags = [\"-C\", \"target-cpu=cortex-a53\"]\n"));
	cargo_config_change_release(&ch);
	plan_release(&p);
}

static void
test_no_cpu_removes_managed_only(void **state)
{
	struct plan p;
	char *text;

	pi4_plan(&p, *state);
	p.runner = false;
	p.build_target = false;
	plan_set_str(&p.cpu, NULL);
	put(p.config_file,
	    "[target.armv7-unknown-linux-gnueabihf]\n"
	    "linker = \"arm-linux-gnueabihf-gcc\"\n"
	    "rustflags = [\"-C\", \"target-cpu=cortex-a7\"]\n");
	text = write_plan(&p);
	assert_string_equal(text,
	    "[target.armv7-unknown-linux-gnueabihf]\n"
	    "linker = \"arm-linux-gnueabihf-gcc\"\n");
	free(text);
	plan_release(&p);
}

static void
test_paths(void **state)
{
	const char *dir = *state;
	char *home = xasprintf("%s/cargo", dir);
	char *legacy = xasprintf("%s/cargo/config", dir);
	const char *env[] = { "CARGO_HOME", home, NULL };
	const char *env_home[] = { "HOME", dir, NULL };
	const char *none[] = { NULL };
	struct rpx_err err = RPX_ERR_INIT;
	struct plan p;
	char *path = NULL, *want;

	plan_init(&p);
	p.scope = PLAN_SCOPE_GLOBAL;
	assert_int_equal(planconf_path(&p, testdir_env, (void *)env, &path, &err), 0);
	want = xasprintf("%s/config.toml", home);
	assert_string_equal(path, want);
	free(want);
	free(path);
	/* Cargo reads the legacy `config` when it is there: so do we. */
	assert_int_equal(fsutil_mkdirs(home, 0755), 0);
	put(legacy, "");
	assert_int_equal(planconf_path(&p, testdir_env, (void *)env, &path, &err), 0);
	assert_string_equal(path, legacy);
	free(path);
	assert_int_equal(planconf_path(&p, testdir_env, (void *)env_home, &path,
				       &err), 0);
	want = xasprintf("%s/.cargo/config.toml", dir);
	assert_string_equal(path, want);
	free(want);
	free(path);
	assert_int_equal(planconf_path(&p, testdir_env, (void *)none, &path, &err),
			 RPX_EINVAL);
	assert_null(path);
	assert_non_null(strstr(err.msg, "CARGO_HOME"));

	p.scope = PLAN_SCOPE_PROJECT;
	plan_set_str(&p.project_dir, "/some/crate");
	assert_int_equal(planconf_path(&p, NULL, NULL, &path, &err), 0);
	assert_string_equal(path, "/some/crate/.cargo/config.toml");
	free(path);
	plan_set_str(&p.project_dir, NULL);
	assert_int_equal(planconf_path(&p, NULL, NULL, &path, &err),
			 RPX_EINVAL);
	plan_release(&p);
	free(home);
	free(legacy);
}

static void
test_errors(void **state)
{
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct planconf pc = PLANCONF_INIT;
	struct plan p;
	char *before;

	pi4_plan(&p, *state);
	put(p.config_file, "[build]\ntarget = \"x\"\njobs = = 2\n");
	assert_int_equal(planconf_prepare(&p, NULL, NULL, &ch, &err),
			 RPX_EPARSE);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 8);
	cargo_config_change_release(&ch);
	before = testdir_slurp(p.config_file);
	assert_string_equal(before, "[build]\ntarget = \"x\"\njobs = = 2\n");
	free(before);

	p.target = NULL;
	assert_int_equal(planconf_edits(&p, NULL, &pc, &err), RPX_EINVAL);
	assert_int_equal(pc.n, 0);
	plan_release(&p);
}

static void
test_runner_without_host(void **state)
{
	char *r = planconf_runner(NULL, NULL);

	(void)state;
	assert_string_equal(r, "rpi-cross run");
	free(r);
	r = planconf_runner(NULL, "pi5");
	assert_string_equal(r, "rpi-cross run --host pi5");
	free(r);
}

/* The runner names rpi-cross by its absolute path when setup says so
 * (plan.runner_prog); a path with a space needs the array form, since
 * Cargo splits a string on whitespace; a second run changes nothing. */
static void
test_runner_program_path(void **state)
{
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct plan p;
	char *text, *r;

	pi4_plan(&p, *state);
	p.build_target = false;
	plan_set_str(&p.runner_prog, "/opt/rpx/build/rpi-cross");
	text = write_plan(&p);
	assert_non_null(strstr(text, "runner = \"/opt/rpx/build/rpi-cross run "
			       "--host pi@raspberrypi.local\"\n"));
	free(text);

	plan_set_str(&p.runner_prog, "/home/me/my tools/rpi-cross");
	text = write_plan(&p);
	assert_non_null(strstr(text, "runner = [\"/home/me/my tools/rpi-cross\", "
			       "\"run\", \"--host\", \"pi@raspberrypi.local\"]\n"));
	assert_null(strstr(text, "/opt/rpx"));
	free(text);
	assert_int_equal(planconf_prepare(&p, NULL, NULL, &ch, &err), 0);
	assert_false(cargo_config_changed(&ch));
	cargo_config_change_release(&ch);

	r = planconf_runner_toml("/home/me/my tools/rpi-cross", NULL);
	assert_string_equal(r, "[\"/home/me/my tools/rpi-cross\", \"run\"]");
	free(r);
	r = planconf_runner_toml(NULL, "pi5");
	assert_string_equal(r, "\"rpi-cross run --host pi5\"");
	free(r);
	r = planconf_runner("/a b/rpi-cross", "pi5");
	assert_string_equal(r, "/a b/rpi-cross run --host pi5");
	free(r);

	/* back on PATH: the string form again */
	plan_set_str(&p.runner_prog, NULL);
	text = write_plan(&p);
	assert_non_null(strstr(text, "runner = \"rpi-cross run --host "
			       "pi@raspberrypi.local\"\n"));
	free(text);
	plan_release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, testdir_setup, testdir_teardown)
		T(test_new_file_exact),
		T(test_keeps_user_settings),
		T(test_string_rustflags_stay_string),
		T(test_second_run_changes_nothing),
		T(test_diff_shows_change),
		T(test_no_cpu_removes_managed_only),
		T(test_paths),
		T(test_errors),
		T(test_runner_without_host),
		T(test_runner_program_path),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
