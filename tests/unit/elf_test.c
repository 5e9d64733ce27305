/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* elf_test.c - version order, target/board fit rules, hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "elf.h"

static void
test_version_cmp(void **state)
{
	(void)state;
	assert_true(elf_version_cmp("2.31", "2.34") < 0);
	assert_true(elf_version_cmp("2.34", "2.31") > 0);
	assert_int_equal(elf_version_cmp("2.34", "2.34"), 0);
	assert_int_equal(elf_version_cmp("2.34", "2.34.0"), 0);
	assert_true(elf_version_cmp("2.34.1", "2.34") > 0);
	assert_true(elf_version_cmp("2.9", "2.17") < 0);
	assert_true(elf_version_cmp("3", "2.99") > 0);
	assert_int_equal(elf_version_cmp("", ""), 0);
	assert_int_equal(elf_version_cmp("2.36 (Debian)", "2.36"), 0);
}

static struct elf_info
arm32(enum isa isa, const char *glibc)
{
	struct elf_info i;

	memset(&i, 0, sizeof(i));
	i.bits = 32;
	i.machine = ELF_EM_ARM;
	i.arm_eabi = 5;
	i.arm_hard_float = true;
	i.isa = isa;
	snprintf(i.interp, sizeof(i.interp), "/lib/ld-linux-armhf.so.3");
	snprintf(i.glibc_max, sizeof(i.glibc_max), "%s", glibc);
	return i;
}

static void
test_matches_target(void **state)
{
	const char *why;
	struct elf_info v7 = arm32(ISA_ARMV7, "2.34");
	struct elf_info a64 = v7;

	(void)state;
	assert_true(elf_matches_target(&v7, target_find("armv7-unknown-linux-gnueabihf"), &why));
	/* ARMv7 start-up code in an arm- (ARMv6) target's binary */
	assert_false(elf_matches_target(&v7, target_find("arm-unknown-linux-gnueabihf"), &why));
	assert_non_null(strstr(why, "Illegal instruction"));
	assert_false(elf_matches_target(&v7, target_find("aarch64-unknown-linux-gnu"), &why));
	/* dynamically linked against glibc is not a musl binary */
	assert_false(elf_matches_target(&v7, target_find("armv7-unknown-linux-musleabihf"), &why));
	assert_non_null(strstr(why, "musl"));
	v7.arm_hard_float = false;
	v7.arm_soft_float = true;
	assert_false(elf_matches_target(&v7, target_find("armv7-unknown-linux-gnueabihf"), &why));
	assert_non_null(strstr(why, "soft-float"));
	a64.bits = 64;
	a64.machine = ELF_EM_AARCH64;
	a64.isa = ISA_ARMV8;
	assert_true(elf_matches_target(&a64, target_find("aarch64-unknown-linux-gnu"), &why));
	assert_false(elf_matches_target(&a64, target_find("armv7-unknown-linux-gnueabihf"), &why));
}

static void
test_runs_on(void **state)
{
	char why[512];
	struct elf_info v7 = arm32(ISA_ARMV7, "2.34");
	struct elf_info x86 = v7;

	(void)state;
	assert_true(elf_runs_on(&v7, ISA_ARMV8, 32, "2.36", why, sizeof(why)));
	assert_false(elf_runs_on(&v7, ISA_ARMV6, 32, "2.36", why, sizeof(why)));
	assert_non_null(strstr(why, "Illegal instruction"));
	assert_false(elf_runs_on(&v7, ISA_ARMV8, 32, "2.31", why, sizeof(why)));
	assert_non_null(strstr(why, "GLIBC_2.34 not found"));
	assert_non_null(strstr(why, "2.31"));
	assert_false(elf_runs_on(&v7, ISA_ARMV8, 64, "2.36", why, sizeof(why)));
	x86.machine = ELF_EM_X86_64;
	x86.bits = 64;
	assert_false(elf_runs_on(&x86, ISA_ARMV8, 64, NULL, why, sizeof(why)));
	assert_non_null(strstr(why, "Exec format error"));
}

/* A minimal 32-bit little-endian ARM ELF header with one PT_INTERP. */
static size_t
make_elf(unsigned char *b, size_t cap)
{
	static const char interp[] = "/lib/ld-linux-armhf.so.3";

	memset(b, 0, cap);
	memcpy(b, "\177ELF", 4);
	b[4] = 1; b[5] = 1; b[6] = 1;
	b[16] = 2;			/* ET_EXEC */
	b[18] = 40;			/* EM_ARM */
	b[28] = 52;			/* e_phoff */
	b[39] = 0x05; b[37] = 0x04;	/* e_flags: EABI5, hard float */
	b[42] = 32;			/* e_phentsize */
	b[44] = 1;			/* e_phnum */
	b[52] = 3;			/* PT_INTERP */
	b[56] = 100;			/* p_offset */
	b[68] = sizeof(interp);		/* p_filesz */
	memcpy(b + 100, interp, sizeof(interp));
	return 100 + sizeof(interp);
}

static void
test_handmade_and_mutated(void **state)
{
	unsigned char b[256], m[256];
	struct elf_info info;
	struct rpx_err err;
	size_t n = make_elf(b, sizeof(b));

	(void)state;
	assert_int_equal(elf_read_mem(b, n, &info, &err), 0);
	assert_int_equal(info.machine, ELF_EM_ARM);
	assert_int_equal(info.arm_eabi, 5);
	assert_true(info.arm_hard_float);
	assert_string_equal(info.interp, "/lib/ld-linux-armhf.so.3");
	/* every single-byte corruption and every truncation: no crash */
	srand(7);
	for (int round = 0; round < 20000; round++) {
		memcpy(m, b, n);
		for (int k = 0; k < 1 + round % 4; k++)
			m[(size_t)rand() % n] = (unsigned char)rand();
		(void)elf_read_mem(m, (size_t)rand() % (n + 1), &info, &err);
		(void)elf_read_mem(m, n, &info, &err);
	}
	/* an interpreter pointing outside the file */
	memcpy(m, b, n);
	m[57] = 0x10;
	assert_int_equal(elf_read_mem(m, n, &info, &err), RPX_EPARSE);
	assert_non_null(strstr(err.msg, "interpreter"));
	assert_int_equal(elf_read_mem(b, 10, &info, &err), RPX_EPARSE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_cmp),
		cmocka_unit_test(test_matches_target),
		cmocka_unit_test(test_runs_on),
		cmocka_unit_test(test_handmade_and_mutated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
