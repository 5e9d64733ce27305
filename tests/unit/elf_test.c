/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* elf_test.c - version order, target/board fit rules, hostile input, and
 * the time_t of real armhf files built here with and without _TIME_BITS=64. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "elf.h"
#include "testdir.h"

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

/* Build src with the armhf cross gcc and flags into dir/out; false when
 * the compiler is not installed (the test is then skipped). */
static bool
cross_build(const char *dir, const char *out, const char *flags)
{
	char cmd[1024];

	if (system("command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1") != 0)
		return false;
	snprintf(cmd, sizeof(cmd), "arm-linux-gnueabihf-gcc -O2 %s %s/t.c -o "
		 "%s/%s", flags, dir, dir, out);
	assert_int_equal(system(cmd), 0);
	return true;
}

/* Real files: the time_t they were compiled with, from their glibc calls. */
static void
test_time_bits(void **state)
{
	const char *dir = *state;
	char path[512];
	struct elf_info info;
	struct rpx_err err;
	FILE *f;

	snprintf(path, sizeof(path), "%s/t.c", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("#include <stdio.h>\n#include <time.h>\n#include <sys/stat.h>\n"
	      "int main(int c, char **v) {\n"
	      "#ifndef NOTIME\n"
	      "\tstruct stat st; struct timespec ts;\n"
	      "\tclock_gettime(CLOCK_REALTIME, &ts);\n"
	      "\tif (stat(v[0], &st) == 0) printf(\"%ld\\n\", (long)ts.tv_sec);\n"
	      "#endif\n"
	      "\treturn c > 5; }\n", f);
	fclose(f);
	if (!cross_build(dir, "t32", "") ||
	    !cross_build(dir, "t64", "-D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64") ||
	    !cross_build(dir, "none", "-DNOTIME -D_TIME_BITS=64 "
			 "-D_FILE_OFFSET_BITS=64") ||
	    !cross_build(dir, "static", "-static -D_TIME_BITS=64 "
			 "-D_FILE_OFFSET_BITS=64")) {
		skip();
		return;
	}
	snprintf(path, sizeof(path), "%s/t32", dir);
	assert_int_equal(elf_read_file(path, &info, &err), 0);
	assert_int_equal(info.time_bits, 32);
	assert_true(strcmp(info.time_sym, "clock_gettime") == 0 ||
		    strcmp(info.time_sym, "stat") == 0);
	snprintf(path, sizeof(path), "%s/t64", dir);
	assert_int_equal(elf_read_file(path, &info, &err), 0);
	assert_int_equal(info.time_bits, 64);
	assert_true(strcmp(info.time_sym, "__clock_gettime64") == 0 ||
		    strcmp(info.time_sym, "__stat64_time64") == 0);
	assert_string_equal(info.glibc_max, "2.34");
	/* nothing told: no time call, or static (no .dynsym to read) */
	snprintf(path, sizeof(path), "%s/none", dir);
	assert_int_equal(elf_read_file(path, &info, &err), 0);
	assert_int_equal(info.time_bits, 0);
	assert_string_equal(info.time_sym, "");
	snprintf(path, sizeof(path), "%s/static", dir);
	assert_int_equal(elf_read_file(path, &info, &err), 0);
	assert_true(info.is_static);
	assert_int_equal(info.time_bits, 0);
}

/* The real time64 file with bytes of its symbol tables corrupted. */
static void
test_time_bits_mutated(void **state)
{
	const char *dir = *state;
	char path[512];
	unsigned char *b, *m;
	size_t n;
	struct elf_info info;
	struct rpx_err err;
	FILE *f;

	snprintf(path, sizeof(path), "%s/t.c", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("#include <time.h>\nint main(void) { return time(0) < 0; }\n", f);
	fclose(f);
	if (!cross_build(dir, "t64", "-D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64")) {
		skip();
		return;
	}
	snprintf(path, sizeof(path), "%s/t64", dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	b = malloc(1 << 16);
	m = malloc(1 << 16);
	assert_non_null(b);
	assert_non_null(m);
	n = fread(b, 1, 1 << 16, f);
	fclose(f);
	assert_true(n > 1000 && n < (1 << 16));
	assert_int_equal(elf_read_mem(b, n, &info, &err), 0);
	assert_int_equal(info.time_bits, 64);
	assert_string_equal(info.time_sym, "__time64");
	srand(11);
	for (int round = 0; round < 3000; round++) {
		memcpy(m, b, n);
		/* the tables sit in the first pages, after the headers */
		for (int k = 0; k < 1 + round % 8; k++)
			m[52 + (size_t)rand() % 2048] = (unsigned char)rand();
		(void)elf_read_mem(m, n, &info, &err);
		(void)elf_read_mem(m, (size_t)rand() % n, &info, &err);
	}
	free(b);
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_cmp),
		cmocka_unit_test(test_matches_target),
		cmocka_unit_test(test_handmade_and_mutated),
		cmocka_unit_test_setup_teardown(test_time_bits, testdir_setup,
						testdir_teardown),
		cmocka_unit_test_setup_teardown(test_time_bits_mutated,
						testdir_setup,
						testdir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
