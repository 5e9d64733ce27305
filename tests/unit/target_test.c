/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * target_test.c - the table of Raspberry Pi Rust targets, checked against
 * the facts of PI-FACTS.md (sections 2, 3 and 7) rather than against the
 * code: every triple there is known and nothing else; each one's
 * architecture, word size, libc, float ABI, minimum ISA, tier, rustc
 * features, Debian std package and GNU cross prefixes; which one is
 * recommended; target_runs_on() for each board class and OS word size
 * (with the reason it gives when not); lookups of unknown names; the
 * names of ISAs and libcs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "rpx.h"
#include "target.h"

/* One row of PI-FACTS.md section 2 ("Rust targets"). */
struct fact {
	const char *triple;
	const char *arch;
	int bits;
	enum libc libc;
	bool hard_float;	/* "soft-float ABI" = wrong ABI for Pi OS */
	enum isa min_isa;	/* from the Boards column */
	char tier;		/* '1' or '2' */
	bool host_tools;	/* "+host" */
	const char *features;	/* NULL: "soft-float ABI", not listed */
};

static const struct fact facts[] = {
	{ "arm-unknown-linux-gnueabihf", "arm", 32, LIBC_GNU, true,
	  ISA_ARMV6, '2', true, "+strict-align,+v6,+vfp2" },
	{ "arm-unknown-linux-musleabihf", "arm", 32, LIBC_MUSL, true,
	  ISA_ARMV6, '2', false, "+strict-align,+v6,+vfp2" },
	{ "armv7-unknown-linux-gnueabihf", "armv7", 32, LIBC_GNU, true,
	  ISA_ARMV7, '2', true, "+v7,+vfp3d16,+thumb2,-neon" },
	{ "armv7-unknown-linux-musleabihf", "armv7", 32, LIBC_MUSL, true,
	  ISA_ARMV7, '2', false, "+v7,+vfp3d16,+thumb2,-neon" },
	{ "thumbv7neon-unknown-linux-gnueabihf", "thumbv7neon", 32, LIBC_GNU,
	  true, ISA_ARMV7, '2', false, "+v7,+thumb-mode,+thumb2,+vfp3,+neon" },
	{ "aarch64-unknown-linux-gnu", "aarch64", 64, LIBC_GNU, true,
	  ISA_ARMV8, '1', true, "+v8a,+outline-atomics" },
	{ "aarch64-unknown-linux-musl", "aarch64", 64, LIBC_MUSL, true,
	  ISA_ARMV8, '2', true, "+v8a,+outline-atomics" },
	{ "arm-unknown-linux-gnueabi", "arm", 32, LIBC_GNU, false,
	  ISA_ARMV6, '2', false, NULL },
	{ "armv7-unknown-linux-gnueabi", "armv7", 32, LIBC_GNU, false,
	  ISA_ARMV7, '2', false, NULL },
};

static bool
has_prefix(const struct target *t, const char *prefix)
{
	for (int i = 0; i < 4 && t->gnu_prefixes[i] != NULL; i++)
		if (strcmp(t->gnu_prefixes[i], prefix) == 0)
			return true;
	return false;
}

/* The table holds exactly the triples of the facts, each once, and
 * target_find() returns the table's own entry. */
static void
test_all_and_find(void **state)
{
	const struct target *all;
	int n = -1;

	(void)state;
	all = target_all(&n);
	assert_non_null(all);
	assert_int_equal(n, (int)ARRAY_SIZE(facts));
	for (size_t i = 0; i < ARRAY_SIZE(facts); i++) {
		const struct target *t = target_find(facts[i].triple);
		int seen = 0;

		assert_non_null(t);
		assert_string_equal(t->triple, facts[i].triple);
		assert_true(t >= all && t < all + n);
		for (int k = 0; k < n; k++)
			seen += strcmp(all[k].triple, facts[i].triple) == 0;
		assert_int_equal(seen, 1);
	}
}

static void
test_unknown_names(void **state)
{
	static const char *unknown[] = {
		"", "arm", "aarch64", "armv7-unknown-linux-gnueabihf ",
		" aarch64-unknown-linux-gnu", "AARCH64-UNKNOWN-LINUX-GNU",
		"aarch64-unknown-linux-gnu\n", "armv6-unknown-linux-gnueabihf",
		"armv7-unknown-linux-gnu", "aarch64-apple-darwin",
		"x86_64-unknown-linux-gnu", "riscv64gc-unknown-linux-gnu",
		/* the Pico is a microcontroller: not a target here */
		"thumbv6m-none-eabi", "thumbv8m.main-none-eabihf",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(unknown); i++)
		assert_null(target_find(unknown[i]));
	assert_null(target_find(NULL));
}

/* Each target's facts: section 2's table. */
static void
test_facts_per_target(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(facts); i++) {
		const struct fact *f = &facts[i];
		const struct target *t = target_find(f->triple);

		assert_non_null(t);
		assert_string_equal(t->arch, f->arch);
		assert_int_equal(t->bits, f->bits);
		assert_int_equal(t->libc, f->libc);
		assert_int_equal(t->hard_float, f->hard_float);
		assert_int_equal(t->min_isa, f->min_isa);
		/* Raspberry Pi OS is hard-float: soft-float never fits. */
		assert_int_equal(t->pi_os, f->hard_float);
		assert_non_null(t->tier);
		assert_int_equal(t->tier[0], f->tier);
		assert_int_equal(strstr(t->tier, "host") != NULL,
				 f->host_tools);
		assert_non_null(t->features);
		if (f->features != NULL)
			assert_string_equal(t->features, f->features);
		else
			/* soft-float: no VFP assumed */
			assert_null(strstr(t->features, "vfp"));
		assert_non_null(t->summary);
		assert_true(t->summary[0] != '\0');
		/* The triple spells the same facts. */
		assert_int_equal(strncmp(t->triple, t->arch, strlen(t->arch)),
				 0);
		assert_int_equal(t->triple[strlen(t->arch)], '-');
		assert_int_equal(strstr(t->triple, "musl") != NULL,
				 t->libc == LIBC_MUSL);
	}
}

/*
 * Debian ships std for its own architectures only: armhf is ARMv7
 * (section 2, "Raspbian vs Debian armhf"), so the ARMv6 targets have none;
 * arm64 is aarch64-unknown-linux-gnu. Debian builds no musl std.
 */
static void
test_debian_std(void **state)
{
	const struct target *t;
	int n;

	(void)state;
	t = target_find("armv7-unknown-linux-gnueabihf");
	assert_non_null(t->debian_std);
	assert_string_equal(t->debian_std, "libstd-rust-dev:armhf");
	t = target_find("aarch64-unknown-linux-gnu");
	assert_non_null(t->debian_std);
	assert_string_equal(t->debian_std, "libstd-rust-dev:arm64");
	assert_null(target_find("arm-unknown-linux-gnueabihf")->debian_std);
	t = target_all(&n);
	for (int i = 0; i < n; i++)
		if (t[i].libc == LIBC_MUSL || !t[i].pi_os)
			assert_null(t[i].debian_std);
}

/*
 * Section 4: Debian's gcc-arm-linux-gnueabihf and gcc-aarch64-linux-gnu
 * give arm-linux-gnueabihf-gcc and aarch64-linux-gnu-gcc; the Homebrew
 * tap installs <triple>-gcc. Every list is NULL-ended within its 4 slots
 * and a gnu target's prefixes never name a musl toolchain (nor back).
 */
static void
test_gnu_prefixes(void **state)
{
	const struct target *all;
	int n;

	(void)state;
	assert_true(has_prefix(target_find("arm-unknown-linux-gnueabihf"),
			       "arm-linux-gnueabihf-"));
	assert_true(has_prefix(target_find("arm-unknown-linux-gnueabihf"),
			       "arm-unknown-linux-gnueabihf-"));
	assert_true(has_prefix(target_find("armv7-unknown-linux-gnueabihf"),
			       "arm-linux-gnueabihf-"));
	assert_true(has_prefix(target_find("armv7-unknown-linux-gnueabihf"),
			       "armv7-unknown-linux-gnueabihf-"));
	assert_true(has_prefix(target_find("aarch64-unknown-linux-gnu"),
			       "aarch64-linux-gnu-"));
	assert_true(has_prefix(target_find("aarch64-unknown-linux-gnu"),
			       "aarch64-unknown-linux-gnu-"));
	assert_true(has_prefix(target_find("aarch64-unknown-linux-musl"),
			       "aarch64-unknown-linux-musl-"));
	assert_true(has_prefix(target_find("arm-unknown-linux-gnueabi"),
			       "arm-linux-gnueabi-"));
	all = target_all(&n);
	for (int i = 0; i < n; i++) {
		int k;
		bool musl = all[i].libc == LIBC_MUSL;

		for (k = 0; k < 4 && all[i].gnu_prefixes[k] != NULL; k++) {
			const char *p = all[i].gnu_prefixes[k];
			size_t len = strlen(p);

			assert_true(len > 1 && p[len - 1] == '-');
			assert_int_equal(strstr(p, "musl") != NULL, musl);
			/* hard-float prefixes for hard-float targets only */
			if (all[i].bits == 32)
				assert_int_equal(strstr(p, "eabihf-") != NULL,
						 all[i].hard_float);
			else
				assert_int_equal(strncmp(p, "aarch64-", 8), 0);
		}
		assert_true(k >= 1 && k < 4);
	}
}

/*
 * Section 7: the recommended targets are arm-unknown-linux-gnueabihf
 * (ARMv6), armv7-unknown-linux-gnueabihf (32-bit OS) and
 * aarch64-unknown-linux-gnu (64-bit OS), plus their musl twins; exactly
 * one per word size, libc and ISA, never a soft-float one.
 */
static void
test_preferred(void **state)
{
	static const char *want[] = {
		"arm-unknown-linux-gnueabihf", "arm-unknown-linux-musleabihf",
		"armv7-unknown-linux-gnueabihf",
		"armv7-unknown-linux-musleabihf",
		"aarch64-unknown-linux-gnu", "aarch64-unknown-linux-musl",
	};
	const struct target *all;
	int n, count = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_true(target_find(want[i])->preferred);
	assert_false(target_find("thumbv7neon-unknown-linux-gnueabihf")
		     ->preferred);
	all = target_all(&n);
	for (int i = 0; i < n; i++) {
		int same = 0;

		if (!all[i].preferred)
			continue;
		count++;
		assert_true(all[i].pi_os);
		for (int k = 0; k < n; k++)
			same += all[k].preferred && all[k].bits == all[i].bits &&
				all[k].libc == all[i].libc &&
				all[k].min_isa == all[i].min_isa;
		assert_int_equal(same, 1);
	}
	assert_int_equal(count, (int)ARRAY_SIZE(want));
}

/* A board class of section 1. */
struct board {
	const char *name;
	enum isa isa;
	bool can64;
};

static const struct board boards[] = {
	{ "Pi 1 / Zero / Zero W / CM1", ISA_ARMV6, false },
	{ "Pi 2 v1.1", ISA_ARMV7, false },
	{ "Pi 3 / Zero 2 W / Pi 2 v1.2", ISA_ARMV8, true },
	{ "Pi 4 / 400 / CM4", ISA_ARMV8, true },
	{ "Pi 5 / 500 / CM5", ISA_ARMV8_2, true },
};

/*
 * Which target runs where: 32-bit hard-float code on every board whose
 * ISA is at least its minimum with a 32-bit OS; 64-bit code only on
 * 64-bit capable boards with a 64-bit OS; soft-float code nowhere.
 */
static void
test_runs_on_matrix(void **state)
{
	const struct target *all;
	int n;

	(void)state;
	all = target_all(&n);
	for (size_t b = 0; b < ARRAY_SIZE(boards); b++) {
		for (int os = 32; os <= 64; os += 32) {
			if (os == 64 && !boards[b].can64)
				continue;
			for (int i = 0; i < n; i++) {
				const struct target *t = &all[i];
				const char *why = "unset";
				bool want = t->hard_float && t->bits == os &&
					    t->min_isa <= boards[b].isa;
				bool got = target_runs_on(t, boards[b].isa,
							  boards[b].can64, os,
							  &why);

				if (got != want)
					fail_msg("%s on %s, %d-bit OS: %d",
						 t->triple, boards[b].name, os,
						 got);
				if (got)
					assert_null(why);
				else
					assert_true(why != NULL &&
						    why[0] != '\0');
			}
		}
	}
}

/* The section 7 recommendations themselves, with the reasons given. */
static void
test_runs_on_recommendations(void **state)
{
	const struct target *arm = target_find("arm-unknown-linux-gnueabihf");
	const struct target *v7 = target_find("armv7-unknown-linux-gnueabihf");
	const struct target *a64 = target_find("aarch64-unknown-linux-gnu");
	const struct target *soft = target_find("armv7-unknown-linux-gnueabi");
	const char *why = NULL;

	(void)state;
	/* Pi 1 / Zero: ARMv6 only; ARMv7 code dies with SIGILL. */
	assert_true(target_runs_on(arm, ISA_ARMV6, false, 32, &why));
	assert_false(target_runs_on(v7, ISA_ARMV6, false, 32, &why));
	assert_non_null(strstr(why, "Illegal instruction"));
	assert_non_null(strstr(why, "arm-unknown-linux-gnueabihf"));
	assert_false(target_runs_on(a64, ISA_ARMV6, false, 32, &why));
	assert_non_null(strstr(why, "32-bit only"));
	/* Pi 2 v1.1: armv7 yes, aarch64 no (its CPU is 32-bit). */
	assert_true(target_runs_on(v7, ISA_ARMV7, false, 32, NULL));
	assert_false(target_runs_on(a64, ISA_ARMV7, false, 32, &why));
	assert_non_null(strstr(why, "32-bit only"));
	/* Pi 4 / 5 with a 32-bit OS (64-bit kernel): aarch64 code has no
	 * loader; with a 64-bit OS it runs. */
	assert_false(target_runs_on(a64, ISA_ARMV8, true, 32, &why));
	assert_non_null(strstr(why, "No such file or directory"));
	assert_true(target_runs_on(a64, ISA_ARMV8, true, 64, &why));
	assert_null(why);
	assert_true(target_runs_on(a64, ISA_ARMV8_2, true, 64, NULL));
	assert_true(target_runs_on(v7, ISA_ARMV8_2, true, 32, NULL));
	/* 32-bit code on a 64-bit OS: no armhf loader by default. */
	assert_false(target_runs_on(v7, ISA_ARMV8, true, 64, &why));
	assert_non_null(strstr(why, "armhf"));
	/* Soft-float: the wrong ABI whatever the board. */
	assert_false(target_runs_on(soft, ISA_ARMV8_2, true, 32, &why));
	assert_non_null(strstr(why, "hard-float"));
}

/* What is not known is not held against a target: an unknown ISA skips
 * the ISA check, an unknown OS word size the OS check. */
static void
test_runs_on_unknowns(void **state)
{
	const struct target *v7 = target_find("armv7-unknown-linux-gnueabihf");
	const struct target *a64 = target_find("aarch64-unknown-linux-gnu");
	const struct target *soft = target_find("arm-unknown-linux-gnueabi");
	const char *why = NULL;

	(void)state;
	assert_true(target_runs_on(v7, ISA_UNKNOWN, false, 32, &why));
	assert_null(why);
	assert_true(target_runs_on(a64, ISA_UNKNOWN, true, 64, NULL));
	assert_true(target_runs_on(v7, ISA_ARMV7, false, 0, NULL));
	assert_true(target_runs_on(a64, ISA_ARMV8, true, 0, NULL));
	/* A CPU known to be 32-bit still rules out 64-bit code. */
	assert_false(target_runs_on(a64, ISA_UNKNOWN, false, 0, &why));
	assert_non_null(why);
	/* The ABI is known whatever the rest. */
	assert_false(target_runs_on(soft, ISA_UNKNOWN, true, 0, &why));
	assert_non_null(why);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(isa_name(ISA_ARMV6), "ARMv6");
	assert_string_equal(isa_name(ISA_ARMV7), "ARMv7");
	assert_string_equal(isa_name(ISA_ARMV8), "ARMv8");
	assert_string_equal(isa_name(ISA_ARMV8_2), "ARMv8.2");
	assert_string_equal(isa_name(ISA_UNKNOWN), "unknown");
	assert_string_equal(isa_name((enum isa)99), "unknown");
	assert_string_equal(libc_name(LIBC_GNU), "gnu");
	assert_string_equal(libc_name(LIBC_MUSL), "musl");
	/* The ISAs are ordered: a CPU runs code of its level or lower. */
	assert_true(ISA_UNKNOWN < ISA_ARMV6 && ISA_ARMV6 < ISA_ARMV7 &&
		    ISA_ARMV7 < ISA_ARMV8 && ISA_ARMV8 < ISA_ARMV8_2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_and_find),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_facts_per_target),
		cmocka_unit_test(test_debian_std),
		cmocka_unit_test(test_gnu_prefixes),
		cmocka_unit_test(test_preferred),
		cmocka_unit_test(test_runs_on_matrix),
		cmocka_unit_test(test_runs_on_recommendations),
		cmocka_unit_test(test_runs_on_unknowns),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
