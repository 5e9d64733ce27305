/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* cargo_config_test.c - discovery, effective values, diffs and safe
 * writes of Cargo's config files, on real files in a temporary folder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testdir.h"

#include "cargo_config.h"
#include "fsutil.h"
#include "rpx.h"
#include "strvec.h"
#include "toml.h"

/* Write text to dir/rel, creating folders. */
static char *
put(const char *dir, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", dir, rel);
	char *slash = strrchr(path, '/');
	FILE *f;

	*slash = '\0';
	assert_int_equal(fsutil_mkdirs(path, 0755), 0);
	*slash = '/';
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void
test_discover_legacy_and_both(void **state)
{
	const char *dir = *state;
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	char *home = xasprintf("%s/home/.cargo", dir);
	char *deep = xasprintf("%s/proj/a", dir);
	char *p1, *p2, *p3, *p4;

	/* the environment of whoever runs the test must not count */
	set.getenv_fn = cargo_config_no_env;
	p1 = put(dir, "home/.cargo/config.toml", "[build]\njobs = 1\n");
	p2 = put(dir, "proj/a/.cargo/config", "[build]\njobs = 2\n");
	p3 = put(dir, "proj/.cargo/config", "[build]\njobs = 3\n");
	p4 = put(dir, "proj/.cargo/config.toml", "[build]\njobs = 4\n");

	assert_int_equal(cargo_config_discover(&set, deep, home), 0);
	assert_int_equal(set.nfiles, 3);
	assert_string_equal(set.files[0].path, p2);
	assert_true(set.files[0].legacy);
	assert_false(set.files[0].global);
	assert_string_equal(set.files[1].path, p3);
	assert_true(set.files[1].legacy);
	assert_string_equal(set.files[2].path, p1);
	assert_true(set.files[2].global);
	assert_false(set.files[2].legacy);
	assert_int_equal(set.warnings.n, 1);
	assert_non_null(strstr(set.warnings.v[0], p3));
	assert_non_null(strstr(set.warnings.v[0], p4));
	assert_non_null(strstr(set.warnings.v[0], "Cargo reads"));
	assert_false(cargo_config_set_has_errors(&set));
	cargo_config_set_release(&set);

	/* The folder's file for edits: `config` while it exists. */
	{
		char *cd = xasprintf("%s/proj/.cargo", dir);
		char *p = cargo_config_path_in(cd);

		assert_string_equal(p, p3);
		free(p);
		unlink(p3);
		p = cargo_config_path_in(cd);
		assert_string_equal(p, p4);
		free(p);
		free(cd);
	}
	free(p1);
	free(p2);
	free(p3);
	free(p4);
	free(home);
	free(deep);
}

static void
test_discover_home_in_walk_once(void **state)
{
	const char *dir = *state;
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	char *home = xasprintf("%s/.cargo", dir);
	char *proj = xasprintf("%s/p", dir);
	char *g = put(dir, ".cargo/config.toml", "a = 1\n");
	char *bad = put(dir, "p/.cargo/config.toml", "a = [\n");

	/* the environment of whoever runs the test must not count */
	set.getenv_fn = cargo_config_no_env;
	assert_int_equal(cargo_config_discover(&set, proj, home), 0);
	assert_int_equal(set.nfiles, 2);
	assert_string_equal(set.files[0].path, bad);
	assert_null(set.files[0].doc);
	assert_int_equal(set.files[0].err.line, 2);
	assert_true(cargo_config_set_has_errors(&set));
	assert_string_equal(set.files[1].path, g);
	assert_true(set.files[1].global);
	cargo_config_set_release(&set);
	free(home);
	free(proj);
	free(g);
	free(bad);
}

static void
test_effective_precedence_and_env(void **state)
{
	const char *dir = *state;
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v;
	char *home = xasprintf("%s/home", dir);
	char *deep = xasprintf("%s/p/q", dir);
	char *g, *mid, *inner, *want;
	const char *env[] = {
		"CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_RUNNER", "qemu-arm",
		"CARGO_BUILD_TARGET", "armv7-unknown-linux-gnueabihf",
		NULL,
	};

	/* the environment of whoever runs the test must not count */
	set.getenv_fn = cargo_config_no_env;
	g = put(dir, "home/config.toml",
		"[build]\ntarget = \"x86_64-unknown-linux-gnu\"\n"
		"[target.aarch64-unknown-linux-gnu]\nlinker = \"global-cc\"\n"
		"runner = [\"g\"]\n");
	mid = put(dir, "p/.cargo/config.toml",
		  "# mid\n[target.aarch64-unknown-linux-gnu]\n"
		  "linker = \"mid-cc\"\nrunner = [\"m1\", \"m2\"]\n");
	inner = put(dir, "p/q/.cargo/config.toml",
		    "target.aarch64-unknown-linux-gnu.runner = ['i']\n");

	assert_int_equal(cargo_config_discover(&set, deep, home), 0);
	assert_int_equal(set.nfiles, 3);

	/* The deepest file wins for a scalar. */
	assert_int_equal(cargo_config_effective(&set,
			 "target.aarch64-unknown-linux-gnu.linker", &v), 0);
	assert_string_equal(v.value, "\"mid-cc\"");
	want = xasprintf("%s:3", mid);
	assert_string_equal(v.origin, want);
	free(want);
	assert_null(v.note);
	cargo_config_value_release(&v);

	/* Arrays join, deepest first, with every origin. */
	assert_int_equal(cargo_config_effective(&set,
			 "target.aarch64-unknown-linux-gnu.runner", &v), 0);
	assert_string_equal(v.value, "['i', \"m1\", \"m2\", \"g\"]");
	want = xasprintf("%s:1, %s:4, %s:5", inner, mid, g);
	assert_string_equal(v.origin, want);
	free(want);
	cargo_config_value_release(&v);

	/* Without an environment, the global build.target holds. */
	assert_int_equal(cargo_config_effective(&set, "build.target", &v), 0);
	assert_string_equal(v.value, "\"x86_64-unknown-linux-gnu\"");
	cargo_config_value_release(&v);

	/* Absent everywhere. */
	assert_int_equal(cargo_config_effective(&set, "build.jobs", &v), 0);
	assert_null(v.value);
	assert_null(v.origin);
	cargo_config_value_release(&v);
	assert_int_equal(cargo_config_effective(&set, "a..b", &v), RPX_EINVAL);

	/* The environment beats every file. */
	set.getenv_fn = testdir_env;
	set.getenv_data = (void *)env;
	assert_int_equal(cargo_config_effective(&set, "build.target", &v), 0);
	assert_string_equal(v.value, "\"armv7-unknown-linux-gnueabihf\"");
	assert_string_equal(v.origin, "env CARGO_BUILD_TARGET");
	assert_non_null(v.note);
	cargo_config_value_release(&v);
	assert_int_equal(cargo_config_effective(&set,
			 "target.armv7-unknown-linux-gnueabihf.runner", &v), 0);
	assert_string_equal(v.value, "\"qemu-arm\"");
	assert_string_equal(v.origin,
			    "env CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_RUNNER");
	assert_null(v.note);	/* no file set it */
	cargo_config_value_release(&v);

	{
		char **t = cargo_config_targets(&set);

		assert_string_equal(t[0], "aarch64-unknown-linux-gnu");
		assert_string_equal(t[1], "armv7-unknown-linux-gnueabihf");
		assert_null(t[2]);
		strvec_free_array(t);
	}
	{
		char *e = cargo_config_target_env("thumbv7.a-b", "linker");

		assert_string_equal(e, "CARGO_TARGET_THUMBV7_A_B_LINKER");
		free(e);
	}
	cargo_config_set_release(&set);
	free(g);
	free(mid);
	free(inner);
	free(home);
	free(deep);
}

static void
test_rustflags_rule(void **state)
{
	const char *dir = *state;
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v;
	char *home = xasprintf("%s/home", dir);
	char *g;
	const char *env_target[] = {
		"CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS", "-g  -Copt-level=1",
		NULL,
	};
	const char *env_rustflags[] = {
		"RUSTFLAGS", "-C  lto",
		"CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS", "-g",
		NULL,
	};
	const char *env_encoded[] = {
		"CARGO_ENCODED_RUSTFLAGS", "-C\x1flink-arg=-s x",
		"RUSTFLAGS", "-C lto",
		NULL,
	};

	/* the environment of whoever runs the test must not count */
	set.getenv_fn = cargo_config_no_env;
	g = put(dir, "home/config.toml",
		"[build]\nrustflags = [\"-Dwarnings\"]\n\n"
		"[target.aarch64-unknown-linux-gnu]\n"
		"rustflags = [\"-C\", \"target-cpu=cortex-a72\"]\n");
	assert_int_equal(cargo_config_discover(&set, NULL, home), 0);

	assert_int_equal(cargo_config_effective(&set, "build.rustflags", &v), 0);
	assert_string_equal(v.value, "[\"-Dwarnings\"]");
	assert_non_null(v.note);
	assert_non_null(strstr(v.note, "ignored"));
	assert_non_null(strstr(v.note, "aarch64-unknown-linux-gnu"));
	cargo_config_value_release(&v);

	assert_int_equal(cargo_config_effective(&set,
			 "target.aarch64-unknown-linux-gnu.rustflags", &v), 0);
	assert_string_equal(v.value, "[\"-C\", \"target-cpu=cortex-a72\"]");
	assert_non_null(v.note);
	assert_non_null(strstr(v.note, "build.rustflags"));
	assert_non_null(strstr(v.note, "is ignored"));
	cargo_config_value_release(&v);

	/* The target's variable adds its words after the files' array. */
	set.getenv_fn = testdir_env;
	set.getenv_data = (void *)env_target;
	assert_int_equal(cargo_config_effective(&set,
			 "target.aarch64-unknown-linux-gnu.rustflags", &v), 0);
	assert_string_equal(v.value, "[\"-C\", \"target-cpu=cortex-a72\", "
			    "\"-g\", \"-Copt-level=1\"]");
	assert_non_null(strstr(v.origin,
			"env CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS"));
	cargo_config_value_release(&v);

	/* RUSTFLAGS beats target and build rustflags. */
	set.getenv_data = (void *)env_rustflags;
	assert_int_equal(cargo_config_effective(&set,
			 "target.aarch64-unknown-linux-gnu.rustflags", &v), 0);
	assert_string_equal(v.value, "[\"-C\", \"lto\"]");
	assert_string_equal(v.origin, "env RUSTFLAGS");
	assert_non_null(strstr(v.note, "RUSTFLAGS overrides"));
	cargo_config_value_release(&v);

	/* CARGO_ENCODED_RUSTFLAGS beats RUSTFLAGS; split at 0x1f only. */
	set.getenv_data = (void *)env_encoded;
	assert_int_equal(cargo_config_effective(&set, "build.rustflags", &v), 0);
	assert_string_equal(v.value, "[\"-C\", \"link-arg=-s x\"]");
	assert_string_equal(v.origin, "env CARGO_ENCODED_RUSTFLAGS");
	cargo_config_value_release(&v);

	cargo_config_set_release(&set);
	free(g);
	free(home);
}

static size_t
count(char **l)
{
	size_t n = 0;

	while (l[n] != NULL)
		n++;
	return n;
}

/* The effective value of key in a set made of one file holding text. */
static void
one_value(const char *dir, const char *text, const char *key,
	  struct cargo_config_value *v)
{
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	char *path = put(dir, "one/config.toml", text);

	/* the environment of whoever runs the test must not count */
	set.getenv_fn = cargo_config_no_env;
	assert_int_equal(cargo_config_add_file(&set, path, false), 0);
	assert_non_null(set.files[0].doc);
	assert_int_equal(cargo_config_effective(&set, key, v), 0);
	cargo_config_set_release(&set);
	free(path);
}

static void
test_typed_values(void **state)
{
	const char *dir = *state;
	struct cargo_config_value v;
	char *path = xasprintf("%s/one/config.toml", dir);

	one_value(dir, "[build]\n\ntarget = 'armv7-unknown-linux-gnueabihf'\n",
		  "build.target", &v);
	assert_int_equal(v.type, CARGO_VALUE_STRING);
	assert_string_equal(v.str, "armv7-unknown-linux-gnueabihf");
	assert_string_equal(v.value, "'armv7-unknown-linux-gnueabihf'");
	assert_int_equal(v.norigins, 1);
	assert_int_equal(v.origins[0].kind, CARGO_ORIGIN_FILE);
	assert_string_equal(v.origins[0].path, path);
	assert_int_equal(v.origins[0].line, 3);
	assert_null(v.origins[0].env);
	cargo_config_value_release(&v);

	one_value(dir, "[build]\njobs = 0x10\n", "build.jobs", &v);
	assert_int_equal(v.type, CARGO_VALUE_INT);
	assert_int_equal(v.i, 16);
	assert_string_equal(v.value, "0x10");
	cargo_config_value_release(&v);

	one_value(dir, "[net]\noffline = true\n", "net.offline", &v);
	assert_int_equal(v.type, CARGO_VALUE_BOOL);
	assert_true(v.b);
	assert_int_equal(v.origins[0].line, 2);
	cargo_config_value_release(&v);

	one_value(dir, "[build]\nrustflags = [\"-C\", \"target-cpu=x\"]\n",
		  "build.rustflags", &v);
	assert_int_equal(v.type, CARGO_VALUE_LIST);
	assert_int_equal(v.list.n, 2);
	assert_string_equal(v.list.v[0], "-C");
	assert_string_equal(v.list.v[1], "target-cpu=x");
	assert_null(v.list.v[2]);
	cargo_config_value_release(&v);

	/* an empty array is an empty list */
	one_value(dir, "[build]\nrustflags = []\n", "build.rustflags", &v);
	assert_int_equal(v.type, CARGO_VALUE_LIST);
	assert_int_equal(v.list.n, 0);
	assert_null(v.list.v);		/* a strvec holds nothing while empty */
	cargo_config_value_release(&v);

	/* anything else: only the text says it */
	one_value(dir, "[build]\nrustflags = [\"a\", 1]\n", "build.rustflags",
		  &v);
	assert_int_equal(v.type, CARGO_VALUE_OTHER);
	assert_int_equal(v.list.n, 0);
	assert_null(v.list.v);
	assert_string_equal(v.value, "[\"a\", 1]");
	cargo_config_value_release(&v);
	one_value(dir, "[x]\ny = 1.5\n", "x.y", &v);
	assert_int_equal(v.type, CARGO_VALUE_OTHER);
	cargo_config_value_release(&v);
	one_value(dir, "[x]\ny = 1\n", "x", &v);
	assert_int_equal(v.type, CARGO_VALUE_OTHER);
	assert_string_equal(v.value, "{ ... }");
	cargo_config_value_release(&v);

	one_value(dir, "[build]\njobs = 1\n", "build.target", &v);
	assert_int_equal(v.type, CARGO_VALUE_UNSET);
	assert_null(v.value);
	assert_int_equal(v.norigins, 0);
	cargo_config_value_release(&v);
	free(path);
}

/* An array set in two files: the elements joined, deepest first, with
 * one origin for each file. */
static void
test_typed_array_two_files(void **state)
{
	const char *dir = *state;
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v;
	char *home = xasprintf("%s/home", dir);
	char *proj = xasprintf("%s/p", dir);
	char *g = put(dir, "home/config.toml",
		      "[build]\nrustflags = [\"-g\"]\n");
	char *p = put(dir, "p/.cargo/config.toml",
		      "# mine\n\n[build]\nrustflags = [\"-C\", \"lto\"]\n");

	/* the environment of whoever runs the test must not count */
	set.getenv_fn = cargo_config_no_env;
	assert_int_equal(cargo_config_discover(&set, proj, home), 0);
	assert_int_equal(cargo_config_effective(&set, "build.rustflags", &v), 0);
	assert_int_equal(v.type, CARGO_VALUE_LIST);
	assert_int_equal(v.list.n, 3);
	assert_string_equal(v.list.v[0], "-C");
	assert_string_equal(v.list.v[1], "lto");
	assert_string_equal(v.list.v[2], "-g");
	assert_int_equal(v.norigins, 2);
	assert_int_equal(v.origins[0].kind, CARGO_ORIGIN_FILE);
	assert_string_equal(v.origins[0].path, p);
	assert_int_equal(v.origins[0].line, 4);
	assert_string_equal(v.origins[1].path, g);
	assert_int_equal(v.origins[1].line, 2);
	cargo_config_value_release(&v);
	cargo_config_set_release(&set);
	free(home);
	free(proj);
	free(g);
	free(p);
}

static void
test_typed_env(void **state)
{
	const char *dir = *state;
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v;
	char *home = xasprintf("%s/home", dir);
	char *g = put(dir, "home/config.toml",
		      "[target.aarch64-unknown-linux-gnu]\n"
		      "linker = \"gcc\"\n"
		      "rustflags = \"-C target-cpu=cortex-a72\"\n");
	const char *env[] = {
		"CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER", "my cc",
		"CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS", " -g\t-O ",
		NULL,
	};
	const char *env_rf[] = { "RUSTFLAGS", "-C\tlto ", NULL };
	const char *env_enc[] = { "CARGO_ENCODED_RUSTFLAGS", "a b\x1f\x1f" "c",
				  NULL };

	/* the environment of whoever runs the test must not count */
	set.getenv_fn = cargo_config_no_env;
	assert_int_equal(cargo_config_discover(&set, NULL, home), 0);
	set.getenv_fn = testdir_env;
	set.getenv_data = (void *)env;
	assert_int_equal(cargo_config_effective(&set,
			 "target.aarch64-unknown-linux-gnu.linker", &v), 0);
	assert_int_equal(v.type, CARGO_VALUE_STRING);
	assert_string_equal(v.str, "my cc");
	assert_int_equal(v.norigins, 1);
	assert_int_equal(v.origins[0].kind, CARGO_ORIGIN_ENV);
	assert_string_equal(v.origins[0].env,
			    "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER");
	assert_null(v.origins[0].path);
	assert_string_equal(v.origin,
			    "env CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER");
	cargo_config_value_release(&v);

	/* the file's string and the variable's words: one list, Cargo's */
	assert_int_equal(cargo_config_effective(&set,
			 "target.aarch64-unknown-linux-gnu.rustflags", &v), 0);
	assert_int_equal(v.type, CARGO_VALUE_LIST);
	assert_int_equal(v.list.n, 4);
	assert_string_equal(v.list.v[0], "-C");
	assert_string_equal(v.list.v[1], "target-cpu=cortex-a72");
	assert_string_equal(v.list.v[2], "-g");
	assert_string_equal(v.list.v[3], "-O");
	assert_int_equal(v.norigins, 2);
	assert_int_equal(v.origins[0].kind, CARGO_ORIGIN_FILE);
	assert_string_equal(v.origins[0].path, g);
	assert_int_equal(v.origins[0].line, 3);
	assert_int_equal(v.origins[1].kind, CARGO_ORIGIN_ENV);
	assert_string_equal(v.origins[1].env,
			    "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS");
	cargo_config_value_release(&v);

	set.getenv_data = (void *)env_rf;
	assert_int_equal(cargo_config_effective(&set,
			 "target.aarch64-unknown-linux-gnu.rustflags", &v), 0);
	assert_int_equal(v.type, CARGO_VALUE_LIST);
	assert_int_equal(v.list.n, 2);
	assert_string_equal(v.list.v[1], "lto");
	assert_int_equal(v.norigins, 1);
	assert_string_equal(v.origins[0].env, "RUSTFLAGS");
	cargo_config_value_release(&v);

	set.getenv_data = (void *)env_enc;
	assert_int_equal(cargo_config_effective(&set, "build.rustflags", &v), 0);
	assert_int_equal(v.type, CARGO_VALUE_LIST);
	assert_int_equal(v.list.n, 2);
	assert_string_equal(v.list.v[0], "a b");
	assert_string_equal(v.list.v[1], "c");
	assert_string_equal(v.origins[0].env, "CARGO_ENCODED_RUSTFLAGS");
	cargo_config_value_release(&v);

	cargo_config_set_release(&set);
	free(g);
	free(home);
}

/* A value's words (these were the doctor's doctor_value_strings()
 * assertions, on the TOML text; now on the typed value). */
static void
test_value_words(void **state)
{
	const char *dir = *state;
	struct cargo_config_value v;
	char **l;

	one_value(dir, "v = [\"-C\", \"target-cpu=cortex-a72\"]\n", "v", &v);
	l = cargo_config_value_words(&v, true);
	assert_non_null(l);
	assert_int_equal(count(l), 2);
	assert_string_equal(l[0], "-C");
	assert_string_equal(l[1], "target-cpu=cortex-a72");
	strvec_free_array(l);
	cargo_config_value_release(&v);

	/* a string: split on whitespace (runner, RUSTFLAGS) or kept whole */
	one_value(dir, "v = \"  rpi-cross run\\t--host pi@x \"\n", "v", &v);
	l = cargo_config_value_words(&v, true);
	assert_non_null(l);
	assert_int_equal(count(l), 4);
	assert_string_equal(l[0], "rpi-cross");
	assert_string_equal(l[3], "pi@x");
	strvec_free_array(l);
	cargo_config_value_release(&v);
	one_value(dir, "v = '/opt/my tools/gcc'\n", "v", &v);
	l = cargo_config_value_words(&v, false);
	assert_non_null(l);
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "/opt/my tools/gcc");
	strvec_free_array(l);
	cargo_config_value_release(&v);

	/* empty string and empty array: an empty list */
	one_value(dir, "v = \"\"\n", "v", &v);
	l = cargo_config_value_words(&v, true);
	assert_non_null(l);
	assert_int_equal(count(l), 0);
	strvec_free_array(l);
	l = cargo_config_value_words(&v, false);
	assert_non_null(l);
	assert_int_equal(count(l), 0);
	strvec_free_array(l);
	cargo_config_value_release(&v);
	one_value(dir, "v = []\n", "v", &v);
	l = cargo_config_value_words(&v, true);
	assert_non_null(l);
	assert_int_equal(count(l), 0);
	strvec_free_array(l);
	cargo_config_value_release(&v);

	/* not strings, nothing */
	one_value(dir, "v = [\"a\", 1]\n", "v", &v);
	assert_null(cargo_config_value_words(&v, true));
	cargo_config_value_release(&v);
	one_value(dir, "v = true\n", "v", &v);
	assert_null(cargo_config_value_words(&v, true));
	cargo_config_value_release(&v);
	one_value(dir, "w = 1\n", "v", &v);
	assert_null(cargo_config_value_words(&v, true));
	cargo_config_value_release(&v);
}

/* A file that does not parse gives no value ("[\"a\"" was the doctor's
 * malformed-text case; a config file holding it is set aside whole). */
static void
test_value_unparsable(void **state)
{
	const char *dir = *state;
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v;
	char *path = put(dir, "bad/config.toml", "v = [\"a\"\n");

	/* the environment of whoever runs the test must not count */
	set.getenv_fn = cargo_config_no_env;
	assert_int_equal(cargo_config_add_file(&set, path, false), 0);
	assert_true(cargo_config_set_has_errors(&set));
	assert_int_equal(cargo_config_effective(&set, "v", &v), 0);
	assert_int_equal(v.type, CARGO_VALUE_UNSET);
	assert_null(cargo_config_value_words(&v, true));
	cargo_config_value_release(&v);
	cargo_config_set_release(&set);
	free(path);
}

static void
check_diff(const char *old, const char *new_text, const char *want)
{
	char *d = cargo_config_diff("/x/config.toml", old, strlen(old),
				    new_text, strlen(new_text));

	assert_string_equal(d, want);
	free(d);
}

static void
test_diff_exact(void **state)
{
	(void)state;
	check_diff("a\nb\n", "a\nb\n", "");
	check_diff("", "[build]\ntarget = \"x\"\n",
		   "--- a/x/config.toml\n+++ b/x/config.toml\n"
		   "@@ -0,0 +1,2 @@\n+[build]\n+target = \"x\"\n");
	check_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n",
		   "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
		   "--- a/x/config.toml\n+++ b/x/config.toml\n"
		   "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
	/* Two changes far apart: two hunks. */
	check_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
		   "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n",
		   "--- a/x/config.toml\n+++ b/x/config.toml\n"
		   "@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n"
		   "@@ -10,3 +10,4 @@\n 10\n 11\n 12\n+13\n");
	/* Close changes share one hunk. */
	check_diff("1\n2\n3\n4\n5\n6\n7\n8\n",
		   "1\nB\n3\n4\n5\n6\nG\n8\n",
		   "--- a/x/config.toml\n+++ b/x/config.toml\n"
		   "@@ -1,8 +1,8 @@\n 1\n-2\n+B\n 3\n 4\n 5\n 6\n-7\n+G\n 8\n");
	/* A last line without a newline, and CRLF kept visible. */
	check_diff("a\r\nb", "a\r\nb\r\nc\r\n",
		   "--- a/x/config.toml\n+++ b/x/config.toml\n"
		   "@@ -1,2 +1,3 @@\n a\r\n-b\n\\ No newline at end of file\n"
		   "+b\r\n+c\r\n");
	/* Removing everything. */
	check_diff("x = 1\n", "",
		   "--- a/x/config.toml\n+++ b/x/config.toml\n"
		   "@@ -1 +0,0 @@\n-x = 1\n");
}

static void
test_edit_commit_backup_mode(void **state)
{
	const char *dir = *state;
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	const char *orig = "# mine\n[build]\ntarget = \"x\" # keep\n";
	char *path = put(dir, "c/config.toml", orig);
	char *bak = xasprintf("%s.bak", path);
	char *text;
	struct stat st;
	struct cargo_config_edit edits[] = {
		{ "build.target", "\"aarch64-unknown-linux-gnu\"" },
		{ "build.jobs", "2" },
	};

	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(cargo_config_load(&ch, path, &err), 0);
	assert_true(ch.existed);
	assert_false(cargo_config_changed(&ch));
	assert_int_equal(cargo_config_apply(&ch, edits, 2, &err), 0);
	assert_true(cargo_config_changed(&ch));
	assert_non_null(strstr(ch.diff, "-target = \"x\" # keep\n"
			       "+target = \"aarch64-unknown-linux-gnu\" # keep\n"
			       "+jobs = 2\n"));
	assert_int_equal(cargo_config_commit(&ch, &err), 0);
	assert_string_equal(ch.backup, bak);

	text = testdir_slurp(path);
	assert_string_equal(text, "# mine\n[build]\n"
			    "target = \"aarch64-unknown-linux-gnu\" # keep\n"
			    "jobs = 2\n");
	free(text);
	text = testdir_slurp(bak);
	assert_string_equal(text, orig);
	free(text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	cargo_config_change_release(&ch);

	/* Unsetting an absent key: RPX_ENOTFOUND, nothing applied. */
	{
		struct cargo_config_edit un[] = {
			{ "build.jobs", NULL }, { "build.nope", NULL },
		};

		assert_int_equal(cargo_config_load(&ch, path, &err), 0);
		assert_int_equal(cargo_config_apply(&ch, un, 2, &err),
				 RPX_ENOTFOUND);
		assert_non_null(strstr(err.msg, "'build.nope'"));
		assert_false(cargo_config_changed(&ch));
		cargo_config_change_release(&ch);
	}
	free(path);
	free(bak);
}

static void
test_new_project_file_and_folder(void **state)
{
	const char *dir = *state;
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	char *path = xasprintf("%s/proj/.cargo/config.toml", dir);
	char *bak = xasprintf("%s.bak", path);
	struct cargo_config_edit e = { "build.target", "\"x\"" };
	char *text;

	assert_int_equal(cargo_config_load(&ch, path, &err), 0);
	assert_false(ch.existed);
	assert_int_equal(cargo_config_apply(&ch, &e, 1, &err), 0);
	assert_int_equal(cargo_config_commit(&ch, &err), 0);
	assert_null(ch.backup);
	assert_int_equal(access(bak, F_OK), -1);
	text = testdir_slurp(path);
	assert_string_equal(text, "[build]\ntarget = \"x\"\n");
	free(text);
	cargo_config_change_release(&ch);
	free(path);
	free(bak);
}

static void
test_changed_on_disk_refused(void **state)
{
	const char *dir = *state;
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	char *path = put(dir, "config.toml", "a = 1\n");
	char *bak = xasprintf("%s.bak", path);
	struct cargo_config_edit e = { "b", "2" };
	char *text;

	assert_int_equal(cargo_config_load(&ch, path, &err), 0);
	assert_int_equal(cargo_config_apply(&ch, &e, 1, &err), 0);
	/* Same size, other bytes, maybe the same time stamp. */
	free(put(dir, "config.toml", "a = 3\n"));
	assert_int_equal(cargo_config_commit(&ch, &err), RPX_EINVAL);
	assert_non_null(strstr(err.msg, "changed on disk"));
	text = testdir_slurp(path);
	assert_string_equal(text, "a = 3\n");
	free(text);
	assert_int_equal(access(bak, F_OK), -1);
	cargo_config_change_release(&ch);

	/* A file created meanwhile where there was none. */
	unlink(path);
	assert_int_equal(cargo_config_load(&ch, path, &err), 0);
	assert_int_equal(cargo_config_apply(&ch, &e, 1, &err), 0);
	free(put(dir, "config.toml", "z = 1\n"));
	assert_int_equal(cargo_config_commit(&ch, &err), RPX_EINVAL);
	text = testdir_slurp(path);
	assert_string_equal(text, "z = 1\n");
	free(text);
	cargo_config_change_release(&ch);

	/* Removed meanwhile. */
	assert_int_equal(cargo_config_load(&ch, path, &err), 0);
	assert_int_equal(cargo_config_apply(&ch, &e, 1, &err), 0);
	unlink(path);
	assert_int_equal(cargo_config_commit(&ch, &err), RPX_EINVAL);
	assert_int_equal(access(path, F_OK), -1);
	cargo_config_change_release(&ch);
	free(path);
	free(bak);
}

static void
test_symlink_followed(void **state)
{
	const char *dir = *state;
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	char *real = put(dir, "dotfiles/cargo.toml", "a = 1\n");
	char *link = xasprintf("%s/config.toml", dir);
	struct cargo_config_edit e = { "a", "2" };
	struct stat st;
	char *text;

	assert_int_equal(symlink(real, link), 0);
	assert_int_equal(cargo_config_load(&ch, link, &err), 0);
	assert_int_equal(cargo_config_apply(&ch, &e, 1, &err), 0);
	assert_int_equal(cargo_config_commit(&ch, &err), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	text = testdir_slurp(real);
	assert_string_equal(text, "a = 2\n");
	free(text);
	cargo_config_change_release(&ch);
	free(real);
	free(link);
}

static void
test_unparsable_and_read_only_untouched(void **state)
{
	const char *dir = *state;
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	const char *bad = "a = 1\n[build\n";
	char *path = put(dir, "bad.toml", bad);
	char *ro = put(dir, "ro.toml", "a = 1\n");
	struct cargo_config_edit e = { "a", "2" };
	char *text;

	assert_int_equal(cargo_config_load(&ch, path, &err), RPX_EPARSE);
	assert_string_equal(err.path, path);
	assert_int_equal(err.line, 2);
	assert_true(err.col > 0);
	cargo_config_change_release(&ch);
	text = testdir_slurp(path);
	assert_string_equal(text, bad);
	free(text);

	assert_int_equal(chmod(ro, 0444), 0);
	assert_int_equal(cargo_config_load(&ch, ro, &err), 0);
	assert_int_equal(cargo_config_apply(&ch, &e, 1, &err), 0);
	assert_int_equal(cargo_config_commit(&ch, &err), RPX_EINVAL);
	assert_non_null(strstr(err.msg, "read-only"));
	text = testdir_slurp(ro);
	assert_string_equal(text, "a = 1\n");
	free(text);
	cargo_config_change_release(&ch);
	free(path);
	free(ro);
}

/* A set's NULL getenv is the process environment; cargo_config_no_env
 * reads none. */
static void
test_null_getenv_is_process_env(void **state)
{
	const char *dir = *state;
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v = CARGO_CONFIG_VALUE_INIT;
	const char *name = "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER";
	char *home = xasprintf("%s/envhome", dir), *got;

	assert_int_equal(setenv(name, "from-the-env-gcc", 1), 0);
	assert_int_equal(setenv("CARGO_HOME", home, 1), 0);
	assert_int_equal(cargo_config_effective(&set,
		"target.aarch64-unknown-linux-gnu.linker", &v), 0);
	assert_int_equal(v.type, CARGO_VALUE_STRING);
	assert_string_equal(v.str, "from-the-env-gcc");
	assert_int_equal(v.origins[0].kind, CARGO_ORIGIN_ENV);
	assert_string_equal(v.origins[0].env, name);
	cargo_config_value_release(&v);
	got = cargo_config_home(NULL, NULL);
	assert_string_equal(got, home);
	free(got);

	set.getenv_fn = cargo_config_no_env;
	assert_int_equal(cargo_config_effective(&set,
		"target.aarch64-unknown-linux-gnu.linker", &v), 0);
	assert_int_equal(v.type, CARGO_VALUE_UNSET);
	assert_null(v.value);
	cargo_config_value_release(&v);
	assert_null(cargo_config_home(cargo_config_no_env, NULL));
	unsetenv(name);
	unsetenv("CARGO_HOME");
	cargo_config_set_release(&set);
	free(home);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_discover_legacy_and_both,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_discover_home_in_walk_once,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_effective_precedence_and_env,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_rustflags_rule,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_typed_values,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_typed_array_two_files,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_typed_env,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_value_words,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_value_unparsable,
						testdir_setup, testdir_teardown),
		cmocka_unit_test(test_diff_exact),
		cmocka_unit_test_setup_teardown(test_edit_commit_backup_mode,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_new_project_file_and_folder,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_changed_on_disk_refused,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_symlink_followed,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_unparsable_and_read_only_untouched,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_null_getenv_is_process_env,
						testdir_setup, testdir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
