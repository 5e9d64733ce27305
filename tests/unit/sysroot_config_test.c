/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* sysroot_config_test.c - a sysroot's Cargo config edits: the names the
 * crates read, the link-args for each linker, merging with the user's
 * rustflags, trixie's time64 variable and the metadata, on real files in a temporary folder. */
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
#include "rpx.h"
#include "strvec.h"
#include "sysroot.h"
#include "sysroot_config.h"

#define ARMV7 "armv7-unknown-linux-gnueabihf"

static void
put(const char *path, const char *text)
{
	char *dir = xstrdup(path);

	*strrchr(dir, '/') = '\0';
	assert_int_equal(fsutil_mkdirs(dir, 0755), 0);
	assert_int_equal(atomic_write(path, text, strlen(text)), 0);
	free(dir);
}

static void
test_names(void **state)
{
	char *n = sysroot_env_name("PKG_CONFIG_SYSROOT_DIR", ARMV7);

	(void)state;
	assert_string_equal(n, "PKG_CONFIG_SYSROOT_DIR_armv7_unknown_linux_"
			    "gnueabihf");
	free(n);
	assert_string_equal(sysroot_gnu_triple(ARMV7), "arm-linux-gnueabihf");
	assert_string_equal(sysroot_gnu_triple("aarch64-unknown-linux-gnu"),
			    "aarch64-linux-gnu");
	assert_string_equal(sysroot_gnu_triple("arm-unknown-linux-gnueabihf"),
			    "arm-linux-gnueabihf");
	assert_null(sysroot_gnu_triple("armv7-unknown-linux-musleabihf"));
	assert_int_equal(sysroot_cc_kind("/x/zig-cc-armv7"), SYSROOT_CC_ZIG);
	assert_int_equal(sysroot_cc_kind("clang"), SYSROOT_CC_CLANG);
	assert_int_equal(sysroot_cc_kind("arm-linux-gnueabihf-gcc"),
			 SYSROOT_CC_GCC);
}

static void
test_time64(void **state)
{
	(void)state;
	assert_true(sysroot_needs_time64(ARMV7, "2.41", "trixie"));
	assert_true(sysroot_needs_time64(ARMV7, NULL, "forky"));
	assert_true(sysroot_needs_time64(ARMV7, "2.41", NULL));
	assert_false(sysroot_needs_time64(ARMV7, "2.36", "bookworm"));
	assert_false(sysroot_needs_time64(ARMV7, "2.36", NULL));
	assert_false(sysroot_needs_time64("aarch64-unknown-linux-gnu", "2.41",
					  "trixie"));
	assert_false(sysroot_needs_time64("armv7-unknown-linux-musleabihf",
					  "2.41", "trixie"));
}

static void
test_link_args(void **state)
{
	struct sysroot_wiring w = { "/s/root", ARMV7, NULL, "2.31", NULL,
				    "arm-linux-gnueabihf-gcc" };
	struct strvec a = STRVEC_INIT;
	char *flags[] = { "-C", "link-arg=-L/s/root/usr/lib/aarch64-linux-gnu",
			  NULL };

	(void)state;
	sysroot_link_args(&w, &a);
	assert_int_equal(a.n, 5);
	assert_string_equal(a.v[0], "--sysroot=/s/root");
	assert_string_equal(a.v[1], "-L/s/root/usr/lib/arm-linux-gnueabihf");
	assert_string_equal(a.v[3], "-Wl,-rpath-link,/s/root/usr/lib/"
			    "arm-linux-gnueabihf");
	strvec_clear(&a);
	/* zig: no --sysroot, only the folders (no -rpath-link: zig 0.11
	 * refuses it) */
	w.linker = "/home/u/.local/bin/zig-armv7";
	sysroot_link_args(&w, &a);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.v[0], "-L/s/root/usr/lib/arm-linux-gnueabihf");
	strvec_clear(&a);
	assert_true(sysroot_is_link_arg("--sysroot=/x", NULL));
	assert_true(sysroot_is_link_arg("-L/x/usr/lib/arm-linux-gnueabihf",
					NULL));
	assert_false(sysroot_is_link_arg("-L/usr/lib/arm-linux-gnueabihf",
					 NULL));
	assert_false(sysroot_is_link_arg("-L/opt/mylibs", NULL));
	assert_false(sysroot_is_link_arg("-fuse-ld=lld", NULL));
	/* zig's config names its root through the -L folder */
	{
		char *r = sysroot_from_rustflags(flags);

		assert_string_equal(r, "/s/root");
		free(r);
	}
}

/* Apply to a config holding the user's own flags and an earlier wiring;
 * the earlier one's link-args go, the user's stay, [env] is scoped. */
static void
test_apply_merges(void **state)
{
	const char *dir = *state;
	char *path = xasprintf("%s/config.toml", dir);
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct strvec why = STRVEC_INIT;
	struct rpx_err e = RPX_ERR_INIT;
	struct sysroot_wiring w = { "/new/root", ARMV7, NULL, "2.41", "trixie",
				    NULL };
	const char *text;
	size_t len;

	(void)len;
	put(path, "# mine\n[target." ARMV7 "]\nlinker = \"arm-linux-gnueabihf-"
	    "gcc\"\nrustflags = [\"-C\", \"link-arg=--sysroot=/old/root\", "
	    "\"-C\", \"debuginfo=1\", \"-C\", \"link-arg=-L/old/root/usr/lib/"
	    "arm-linux-gnueabihf\"]\n");
	assert_int_equal(cargo_config_load(&ch, path, &e), 0);
	assert_int_equal(sysroot_config_apply(&w, &ch, &why, &e), 0);
	text = toml_doc_text(ch.doc, &len);
	assert_non_null(strstr(text, "# mine"));
	assert_null(strstr(text, "/old/root"));
	assert_non_null(strstr(text, "rustflags = [\"-C\", \"debuginfo=1\", "
			       "\"-C\", \"link-arg=--sysroot=/new/root\""));
	assert_non_null(strstr(text, "CC_armv7_unknown_linux_gnueabihf = "
			       "\"arm-linux-gnueabihf-gcc\""));
	assert_non_null(strstr(text, "PKG_CONFIG_LIBDIR_armv7_unknown_linux_"
			       "gnueabihf = \"/new/root/usr/lib/arm-linux-"
			       "gnueabihf/pkgconfig:/new/root/usr/share/"
			       "pkgconfig\""));
	assert_non_null(strstr(text, "RUST_LIBC_UNSTABLE_GNU_TIME_BITS = "
			       "\"64\""));
	assert_null(strstr(text, "PKG_CONFIG_ALLOW_CROSS"));
	assert_non_null(strstr(ch.diff, "-rustflags"));
	assert_true(why.n >= 3);
	strvec_clear(&why);
	cargo_config_change_release(&ch);

	/* a root with a space cannot go into CFLAGS: refused */
	w.root = "/a b/root";
	assert_int_equal(cargo_config_load(&ch, path, &e), 0);
	assert_int_equal(sysroot_config_apply(&w, &ch, &why, &e), RPX_EINVAL);
	assert_non_null(strstr(e.msg, "without spaces"));
	strvec_clear(&why);
	cargo_config_change_release(&ch);
	free(path);
}

/* sysroot_config_write(): diff, why, atomic write with a backup; a
 * second run has nothing to change. */
static void
test_write(void **state)
{
	const char *dir = *state;
	char *path = xasprintf("%s/c/config.toml", dir);
	char *bak = xasprintf("%s.bak", path);
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	struct rpx_err e = RPX_ERR_INIT;
	struct sysroot_wiring w = { "/s/root", ARMV7, NULL, "2.36",
				    "bookworm", NULL };

	(void)state;
	put(path, "[build]\njobs = 2\n");
	assert_int_equal(sysroot_config_write(&w, path, true, f, &e), 0);
	fflush(f);
	assert_non_null(strstr(out, "Dry run"));
	assert_false(access(bak, F_OK) == 0);
	assert_int_equal(sysroot_config_write(&w, path, false, f, &e), 0);
	fflush(f);
	assert_non_null(strstr(out, "+[env]"));
	assert_non_null(strstr(out, "why: "));
	assert_true(access(bak, F_OK) == 0);
	assert_int_equal(sysroot_config_write(&w, path, false, f, &e), 0);
	fclose(f);
	assert_non_null(strstr(out, "nothing to change"));
	free(out);
	free(bak);
	free(path);
}

/* The metadata from sysroot.yaml; without it, glibc from the headers;
 * the fields the contract names. */
static void
test_meta(void **state)
{
	const char *dir = *state;
	char *p, *root = xasprintf("%s/sysroots/pi-bullseye-armhf/root", dir);
	struct sysroot_meta m;
	struct rpx_err e = RPX_ERR_INIT;

	p = xasprintf("%s/usr/include/features.h", root);
	put(p, "#define\t__GLIBC__\t2\n#define\t__GLIBC_MINOR__\t31\n");
	free(p);
	assert_int_equal(sysroot_meta_read(root, &m, &e), 0);
	assert_false(m.has_yaml);
	assert_string_equal(m.glibc, "2.31");
	p = xasprintf("%s/sysroots/pi-bullseye-armhf/sysroot.yaml", dir);
	put(p, "name: pi-bullseye-armhf\ntarget: " ARMV7 "\ngnu_triple: "
	    "arm-linux-gnueabihf\nos_codename: bullseye\nglibc: \"2.31\"\n"
	    "packages:\n  - {name: zlib1g-dev, version: 1:1.2.11}\n");
	free(p);
	assert_int_equal(sysroot_meta_read(root, &m, &e), 0);
	assert_true(m.has_yaml);
	assert_string_equal(m.os_codename, "bullseye");
	assert_string_equal(m.target, ARMV7);

	free(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_time64),
		cmocka_unit_test(test_link_args),
		cmocka_unit_test_setup_teardown(test_apply_merges,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_write, testdir_setup,
						testdir_teardown),
		cmocka_unit_test_setup_teardown(test_meta,
						testdir_setup, testdir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
