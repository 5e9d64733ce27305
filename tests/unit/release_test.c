/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * release_test.c - the release data loader (the built-in copy of
 * data/releases.yaml, and malformed data with its path:line:col) and the
 * verdict of a file on a release variant and board family, on hand-made
 * elf_info values for each way a file can fail.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "release.h"

static struct pi_releases *
builtin(void)
{
	struct pi_releases *rs = NULL;
	struct rpx_err err;

	rpx_err_clear(&err);
	assert_int_equal(release_load(NULL, &rs, &err), 0);
	assert_non_null(rs);
	return rs;
}

static void
test_builtin_data(void **state)
{
	struct pi_releases *rs = builtin();
	const struct pi_release *r;
	const struct rel_variant *v;

	(void)state;
	assert_int_equal(rs->n, 3);
	r = release_find(rs, "bullseye");
	assert_non_null(r);
	assert_int_equal(r->debian, 11);
	assert_string_equal(release_variant(r, 32)->glibc, "2.31");
	assert_string_equal(release_variant(r, 64)->arch, "arm64");
	r = release_find(rs, "bookworm");
	assert_string_equal(release_variant(r, 64)->glibc, "2.36");
	assert_false(release_variant(r, 32)->time64);
	r = release_find(rs, "trixie");
	v = release_variant(r, 32);
	assert_string_equal(v->glibc, "2.41");
	assert_true(v->time64);		/* trixie armhf: 64-bit time_t */
	assert_false(release_variant(r, 64)->time64);
	assert_string_equal(v->loaders[0], "/lib/ld-linux-armhf.so.3");
	/* an alias (&trixie_libs) reaches the 64-bit variant too */
	assert_true(release_variant(r, 64)->n_libs >= 13);
	assert_null(release_find(rs, "sid"));
	release_free(rs);
}

static void
expect_error(const char *text, int line, int col, const char *needle)
{
	struct pi_releases *rs = NULL;
	struct rpx_err err;

	rpx_err_clear(&err);
	assert_int_equal(release_parse(text, strlen(text), "r.yaml", &rs,
				       &err), RPX_EPARSE);
	assert_null(rs);
	assert_string_equal(err.path, "r.yaml");
	if (strstr(err.msg, needle) == NULL || err.line != line ||
	    err.col != col)
		fail_msg("%d:%d: %s (wanted %d:%d: ...%s...)", err.line,
			 err.col, err.msg, line, col, needle);
}

#define REL_HEAD "releases:\n  - name: x\n    debian: 12\n    variants:\n"

static void
test_errors(void **state)
{
	(void)state;
	expect_error("", 0, 0, "releases");
	expect_error("other: 1\n", 1, 1, "unknown key 'other'");
	expect_error("releases: 3\n", 1, 11, "expected a list");
	expect_error("releases: []\n", 1, 11, "empty");
	expect_error("releases:\n  - debian: 12\n    variants: []\n", 2, 5,
		     "needs a name");
	expect_error(REL_HEAD "      - {arch: armhf, bits: 16, glibc: '2.36',"
		     " loaders: [/lib/ld]}\n", 5, 9, "bits: 32 or 64");
	expect_error(REL_HEAD "      - {arch: armhf, bits: 32, loaders: "
		     "[/lib/ld]}\n", 5, 9, "needs glibc");
	expect_error(REL_HEAD "      - arch: armhf\n        bits: 32\n"
		     "        glibc: '2.36'\n        color: red\n", 8, 9,
		     "unknown key 'color'");
	expect_error(REL_HEAD "      - {bits: 32, glibc: '2.36', time64: "
		     "maybe, loaders: []}\n", 5, 43, "true or false");
	expect_error(REL_HEAD "      - {bits: 32, glibc: '2.36', loaders: []}"
		     "\n      - {bits: 32, glibc: '2.36', loaders: []}\n", 6, 9,
		     "a second 32-bit variant");
	expect_error(REL_HEAD "      - {bits: 32, glibc: '2.36', loaders: [],"
		     " libraries: {libz: libz.so.1}}\n", 5, 66,
		     "expected a list");
	expect_error("releases:\n  - name: [a\n", 3, 1, "flow sequence");
}

static void
test_load_missing_file(void **state)
{
	struct pi_releases *rs = NULL;
	struct rpx_err err;

	(void)state;
	rpx_err_clear(&err);
	assert_int_equal(release_load("/nonexistent/r.yaml", &rs, &err),
			 RPX_ENOTFOUND);
	assert_null(rs);
	assert_string_equal(err.path, "/nonexistent/r.yaml");
}

static struct elf_info
arm32(enum isa isa, bool hard)
{
	struct elf_info e;

	memset(&e, 0, sizeof(e));
	e.bits = 32;
	e.machine = ELF_EM_ARM;
	e.isa = isa;
	e.arm_hard_float = hard;
	e.arm_soft_float = !hard;
	snprintf(e.interp, sizeof(e.interp), "%s", hard ?
		 "/lib/ld-linux-armhf.so.3" : "/lib/ld-linux.so.3");
	snprintf(e.glibc_max, sizeof(e.glibc_max), "2.28");
	e.n_needed = 1;
	snprintf(e.needed[0], sizeof(e.needed[0]), "libc.so.6");
	return e;
}

static struct elf_info
arm64(void)
{
	struct elf_info e;

	memset(&e, 0, sizeof(e));
	e.bits = 64;
	e.machine = ELF_EM_AARCH64;
	e.isa = ISA_ARMV8;
	snprintf(e.interp, sizeof(e.interp), "/lib/ld-linux-aarch64.so.1");
	snprintf(e.glibc_max, sizeof(e.glibc_max), "2.34");
	return e;
}

/* The verdict on release name / bits / family, and its cell. */
static void
expect(const struct pi_releases *rs, const struct elf_info *e,
       const char *rel, int bits, enum board_family f, enum verdict v,
       const char *cell)
{
	struct verdict_out o;
	const struct rel_variant *var =
		release_variant(release_find(rs, rel), bits);

	assert_non_null(var);
	assert_int_equal(release_verdict(e, var, f, &o), v);
	assert_int_equal(o.v, v);
	if (strcmp(o.cell, cell) != 0)
		fail_msg("%s-%d %s: cell '%s' (why: %s), wanted '%s'", rel,
			 bits, family_id(f), o.cell, o.why, cell);
	assert_true(o.why[0] != '\0');
	if (v == VERDICT_RUNS)
		assert_true(o.checked[0] != '\0');
}

static void
test_verdicts(void **state)
{
	struct pi_releases *rs = builtin();
	struct elf_info v6 = arm32(ISA_ARMV6, true);
	struct elf_info v7 = arm32(ISA_ARMV7, true);
	struct elf_info soft = arm32(ISA_ARMV6, false);
	struct elf_info a64 = arm64();
	struct elf_info x86 = a64;
	struct elf_info st = arm32(ISA_ARMV7, true);
	struct elf_info ssl = v7;

	(void)state;
	/* runs: ARMv6 code everywhere 32-bit */
	for (int f = 0; f < FAM_COUNT; f++)
		expect(rs, &v6, "bullseye", 32, f, VERDICT_RUNS, "runs");
	/* ARMv7 code on ARMv6 boards */
	expect(rs, &v7, "bookworm", 32, FAM_ARMV6, VERDICT_FAILS,
	       "ARMv7 code");
	expect(rs, &v7, "bookworm", 32, FAM_ARMV7, VERDICT_RUNS, "runs");
	/* no 64-bit OS on ARMv6/ARMv7 boards */
	expect(rs, &a64, "trixie", 64, FAM_ARMV6, VERDICT_NONE, "-");
	expect(rs, &a64, "trixie", 64, FAM_ARMV7, VERDICT_NONE, "-");
	/* word size both ways */
	expect(rs, &a64, "bookworm", 32, FAM_PI4, VERDICT_FAILS, "64-bit");
	expect(rs, &v7, "bookworm", 64, FAM_PI4, VERDICT_FAILS, "no loader");
	/* glibc */
	expect(rs, &a64, "bullseye", 64, FAM_PI5, VERDICT_FAILS,
	       "GLIBC_2.34");
	expect(rs, &a64, "bookworm", 64, FAM_PI5, VERDICT_RUNS, "runs");
	/* the merged /usr loader path exists on bookworm */
	snprintf(a64.interp, sizeof(a64.interp),
		 "/usr/lib/ld-linux-aarch64.so.1");
	expect(rs, &a64, "bookworm", 64, FAM_ARMV8, VERDICT_RUNS, "runs");
	/* soft float, dynamic */
	expect(rs, &soft, "bookworm", 32, FAM_PI4, VERDICT_FAILS,
	       "soft-float");
	/* not ARM */
	x86.machine = ELF_EM_X86_64;
	x86.isa = ISA_UNKNOWN;
	expect(rs, &x86, "trixie", 64, FAM_PI5, VERDICT_FAILS, "not ARM");
	expect(rs, &x86, "trixie", 32, FAM_ARMV6, VERDICT_FAILS, "not ARM");
	/* static: no loader or glibc check, still the ISA check */
	st.is_static = true;
	st.interp[0] = '\0';
	snprintf(st.glibc_max, sizeof(st.glibc_max), "2.99");
	expect(rs, &st, "bullseye", 32, FAM_ARMV7, VERDICT_RUNS, "runs");
	expect(rs, &st, "bullseye", 64, FAM_PI4, VERDICT_RUNS, "runs");
	expect(rs, &st, "bullseye", 32, FAM_ARMV6, VERDICT_FAILS,
	       "ARMv7 code");
	/* sonames: libssl.so.3 absent on bullseye, shipped later; an
	 * unknown library is not judged */
	ssl.n_needed = 3;
	snprintf(ssl.needed[1], sizeof(ssl.needed[1]), "libssl.so.3");
	snprintf(ssl.needed[2], sizeof(ssl.needed[2]), "libfoo.so.7");
	expect(rs, &ssl, "bullseye", 32, FAM_PI4, VERDICT_FAILS,
	       "no libssl.so.3");
	expect(rs, &ssl, "bookworm", 32, FAM_PI4, VERDICT_RUNS, "runs");
	expect(rs, &ssl, "trixie", 32, FAM_PI5, VERDICT_RUNS, "runs");
	snprintf(ssl.needed[1], sizeof(ssl.needed[1]), "libssl.so.1.1");
	expect(rs, &ssl, "bullseye", 32, FAM_PI4, VERDICT_RUNS, "runs");
	expect(rs, &ssl, "trixie", 32, FAM_PI4, VERDICT_FAILS,
	       "no libssl.so.1.1");
	release_free(rs);
}

/* The time_t a 32-bit file was built with, against the release's, for
 * the libraries whose interface holds one (libssl, libcrypto, libasound). */
static void
test_time_t(void **state)
{
	struct pi_releases *rs = builtin();
	struct elf_info t64 = arm32(ISA_ARMV7, true);
	struct elf_info t32;
	struct verdict_out o;
	const struct rel_variant *bw =
		release_variant(release_find(rs, "bookworm"), 32);

	(void)state;
	assert_int_equal(bw->n_time_libs, 3);
	assert_false(bw->time64);
	assert_int_equal(release_variant(release_find(rs, "trixie"), 64)
			 ->n_time_libs, 0);
	snprintf(t64.glibc_max, sizeof(t64.glibc_max), "2.34");
	t64.time_bits = 64;
	snprintf(t64.time_sym, sizeof(t64.time_sym), "__clock_gettime64");
	t32 = t64;
	t32.time_bits = 32;
	snprintf(t32.time_sym, sizeof(t32.time_sym), "clock_gettime");
	/* glibc alone: both sizes run on both (glibc 2.36 and 2.41 have
	 * both entry points) */
	expect(rs, &t64, "bookworm", 32, FAM_PI4, VERDICT_RUNS, "runs");
	assert_int_equal(release_verdict(&t64, bw, FAM_PI4, &o), VERDICT_RUNS);
	assert_non_null(strstr(o.checked, "time_t (64-bit)"));
	expect(rs, &t32, "trixie", 32, FAM_PI4, VERDICT_RUNS, "runs");
	/* a library with a time_t in its interface: the sizes must agree */
	t64.n_needed = t32.n_needed = 2;
	snprintf(t64.needed[1], sizeof(t64.needed[1]), "libcrypto.so.3");
	snprintf(t32.needed[1], sizeof(t32.needed[1]), "libasound.so.2");
	expect(rs, &t64, "bookworm", 32, FAM_PI4, VERDICT_FAILS,
	       "64-bit time_t");
	assert_int_equal(release_verdict(&t64, bw, FAM_ARMV7, &o),
			 VERDICT_FAILS);
	assert_non_null(strstr(o.why, "__clock_gettime64"));
	assert_non_null(strstr(o.why, "libcrypto.so.3"));
	expect(rs, &t64, "trixie", 32, FAM_PI4, VERDICT_RUNS, "runs");
	expect(rs, &t32, "trixie", 32, FAM_ARMV8, VERDICT_FAILS,
	       "32-bit time_t");
	expect(rs, &t32, "bookworm", 32, FAM_ARMV8, VERDICT_RUNS, "runs");
	/* bullseye: the glibc check says it first (time64 needs 2.34) */
	expect(rs, &t64, "bullseye", 32, FAM_PI4, VERDICT_FAILS,
	       "GLIBC_2.34");
	/* a library without a time_t in its interface, or untold time_t */
	snprintf(t32.needed[1], sizeof(t32.needed[1]), "libz.so.1");
	expect(rs, &t32, "trixie", 32, FAM_PI4, VERDICT_RUNS, "runs");
	t64.time_bits = 0;
	expect(rs, &t64, "bookworm", 32, FAM_PI4, VERDICT_RUNS, "runs");
	release_free(rs);
}

/* One connected Pi as one row: its release, word size, glibc and board. */
static void
test_verdict_pi(void **state)
{
	struct elf_info v7 = arm32(ISA_ARMV7, true);
	struct elf_info a64 = arm64();
	struct elf_info t32;
	struct verdict_out o;
	const struct board *pi4 = board_find("pi4");
	const struct board *zero = board_find("zerow");

	(void)state;
	assert_non_null(pi4);
	assert_non_null(zero);
	snprintf(v7.glibc_max, sizeof(v7.glibc_max), "2.34");
	assert_int_equal(release_verdict_pi(&v7, "bookworm", 32, "2.36", pi4,
					    ISA_ARMV8, &o), VERDICT_RUNS);
	/* the Pi's own glibc counts, in the release's row */
	assert_int_equal(release_verdict_pi(&v7, "bookworm", 32, "2.31", pi4,
					    ISA_ARMV8, &o), VERDICT_FAILS);
	assert_string_equal(o.cell, "GLIBC_2.34");
	assert_non_null(strstr(o.why, "build against glibc <= 2.31"));
	/* ARMv7 code on a Pi Zero W: the fix names the ARMv6 target */
	assert_int_equal(release_verdict_pi(&v7, "bookworm", 32, "2.36", zero,
					    ISA_ARMV6, &o), VERDICT_FAILS);
	assert_string_equal(o.cell, "ARMv7 code");
	assert_non_null(strstr(o.why, "Illegal instruction"));
	assert_non_null(strstr(o.why, "arm-unknown-linux-gnueabihf"));
	/* no board: its CPU's family */
	assert_int_equal(release_verdict_pi(&v7, "bookworm", 32, "2.36", NULL,
					    ISA_ARMV6, &o), VERDICT_FAILS);
	assert_int_equal(release_verdict_pi(&v7, "bookworm", 32, "2.36", NULL,
					    ISA_UNKNOWN, &o), VERDICT_RUNS);
	/* word sizes, with the fix */
	assert_int_equal(release_verdict_pi(&a64, "bookworm", 32, "2.36", pi4,
					    ISA_ARMV8, &o), VERDICT_FAILS);
	assert_non_null(strstr(o.why, "armv7-unknown-linux-gnueabihf"));
	assert_int_equal(release_verdict_pi(&v7, "bookworm", 64, "2.36", pi4,
					    ISA_ARMV8, &o), VERDICT_FAILS);
	assert_string_equal(o.cell, "no loader");
	assert_non_null(strstr(o.why, "aarch64-unknown-linux-gnu"));
	/* a release the data does not know: the Pi's glibc and word size
	 * only; unknown word size: the file's */
	assert_int_equal(release_verdict_pi(&v7, "forky", 32, "2.42", pi4,
					    ISA_ARMV8, &o), VERDICT_RUNS);
	assert_int_equal(release_verdict_pi(&v7, NULL, 0, NULL, NULL,
					    ISA_UNKNOWN, &o), VERDICT_RUNS);
	assert_int_equal(release_verdict_pi(&v7, "", 32, "2.28", NULL,
					    ISA_ARMV8, &o), VERDICT_FAILS);
	/* time_t: trixie's 32-bit libcrypto */
	t32 = v7;
	t32.time_bits = 32;
	snprintf(t32.time_sym, sizeof(t32.time_sym), "time");
	t32.n_needed = 2;
	snprintf(t32.needed[1], sizeof(t32.needed[1]), "libcrypto.so.3");
	assert_int_equal(release_verdict_pi(&t32, "trixie", 32, "2.41", pi4,
					    ISA_ARMV8, &o), VERDICT_FAILS);
	assert_string_equal(o.cell, "32-bit time_t");
	assert_non_null(strstr(o.why, "build with a 64-bit time_t"));
}

static void
test_families(void **state)
{
	static const struct {
		const char *id;
		enum board_family f;
	} cases[] = {
		{ "zero", FAM_ARMV6 }, { "pi1bplus", FAM_ARMV6 },
		{ "cm1", FAM_ARMV6 }, { "pi2", FAM_ARMV7 },
		{ "pi2v12", FAM_ARMV8 }, { "pi3", FAM_ARMV8 },
		{ "zero2w", FAM_ARMV8 }, { "cm3plus", FAM_ARMV8 },
		{ "pi4", FAM_PI4 }, { "pi400", FAM_PI4 }, { "cm4", FAM_PI4 },
		{ "pi5", FAM_PI5 }, { "pi500plus", FAM_PI5 },
		{ "cm5lite", FAM_PI5 },
	};
	int n;
	const struct board *all = board_all(&n);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(board_family_of(board_find(cases[i].id)),
				 cases[i].f);
	/* a 64-bit OS exactly where board.h says the CPU can run one */
	for (int i = 0; i < n; i++)
		assert_int_equal(family_runs_bits(board_family_of(&all[i]), 64),
				 all[i].can64);
	assert_string_equal(family_id(FAM_PI4), "pi4");
	assert_string_equal(family_title(FAM_ARMV6), "ARMv6");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_data),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_load_missing_file),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_time_t),
		cmocka_unit_test(test_verdict_pi),
		cmocka_unit_test(test_families),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
