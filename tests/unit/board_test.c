/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* board_test.c - identification of every model string and revision code. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "board.h"
#include "rpx.h"

static const char *
id_of_model(const char *s, size_t len)
{
	struct board_ident id;

	assert_int_equal(board_from_model(s, len, &id), 0);
	return id.board ? id.board->id : NULL;
}

#define MODEL(s) id_of_model(s, sizeof(s) - 1)

static void
test_model_strings(void **state)
{
	(void)state;
	/* As reported by boards (PI-FACTS.md), with the firmware's NUL. */
	assert_string_equal(MODEL("Raspberry Pi 3 Model B Plus Rev 1.3\0"), "pi3bplus");
	assert_string_equal(MODEL("Raspberry Pi Model B Plus Rev 1.2"), "pi1bplus");
	assert_string_equal(MODEL("Raspberry Pi 2 Model B Rev 1.1"), "pi2");
	assert_string_equal(MODEL("Raspberry Pi 2 Model B Rev 1.2"), "pi2v12");
	assert_string_equal(MODEL("Raspberry Pi 4 Model B Rev 1.4"), "pi4");
	assert_string_equal(MODEL("Raspberry Pi 400 Rev 1.0"), "pi400");
	assert_string_equal(MODEL("Raspberry Pi Compute Module 4 Rev 1.0"), "cm4");
	assert_string_equal(MODEL("Raspberry Pi Zero W Rev 1.1"), "zerow");
	assert_string_equal(MODEL("Raspberry Pi Zero 2 W Rev 1.0"), "zero2w");
	assert_string_equal(MODEL("Raspberry Pi 5 Model B Rev 1.0"), "pi5");
	assert_string_equal(MODEL("Raspberry Pi Zero Rev 1.3"), "zero");
	assert_string_equal(MODEL("Raspberry Pi 3 Model B Rev 1.2"), "pi3");
	assert_string_equal(MODEL("Raspberry Pi 3 Model A Plus Rev 1.0"), "pi3aplus");
	assert_string_equal(MODEL("Raspberry Pi Model B Rev 2"), "pi1b");
	assert_string_equal(MODEL("Raspberry Pi Model A Plus Rev 1.1"), "pi1aplus");
	assert_string_equal(MODEL("Raspberry Pi Compute Module Rev 1.0"), "cm1");
	assert_string_equal(MODEL("Raspberry Pi Compute Module 3 Plus Rev 1.0"), "cm3plus");
	assert_string_equal(MODEL("Raspberry Pi Compute Module 5 Rev 1.0"), "cm5");
	assert_string_equal(MODEL("Raspberry Pi 500 Rev 1.0"), "pi500");
	assert_string_equal(MODEL("Raspberry Pi 500+ Rev 1.0"), "pi500plus");
	assert_string_equal(MODEL("Raspberry Pi 500 Plus Rev 1.0\0"), "pi500plus");
	/* trailing newline, several NULs, CRLF */
	assert_string_equal(MODEL("Raspberry Pi 4 Model B Rev 1.4\n"), "pi4");
	assert_string_equal(MODEL("Raspberry Pi 4 Model B Rev 1.4\0\0\0"), "pi4");
	assert_string_equal(MODEL("Raspberry Pi 5 Model B Rev 1.0\r\n"), "pi5");
}

static void
test_model_unknown_and_malformed(void **state)
{
	struct board_ident id;

	(void)state;
	/* A future model: a Pi, but not guessed as another one. */
	assert_int_equal(board_from_model("Raspberry Pi 6 Model B Rev 1.0", 30, &id), 0);
	assert_true(id.is_pi);
	assert_null(id.board);
	assert_string_equal(id.model, "Raspberry Pi 6 Model B Rev 1.0");
	/* Not a Pi at all. */
	assert_int_equal(board_from_model("Hardkernel ODROID-C4", 20, &id), 0);
	assert_false(id.is_pi);
	assert_int_equal(board_from_model("Raspberry Pie", 13, &id), 0);
	assert_false(id.is_pi);
	/* Empty, only NULs, NULL. */
	assert_int_equal(board_from_model("", 0, &id), RPX_EINVAL);
	assert_int_equal(board_from_model("\0\0\n", 3, &id), RPX_EINVAL);
	assert_int_equal(board_from_model(NULL, 0, &id), RPX_EINVAL);
	/* Control bytes and a huge string do not overflow. */
	char big[4096];
	memset(big, 'x', sizeof(big));
	memcpy(big, "Raspberry Pi ", 13);
	assert_int_equal(board_from_model(big, sizeof(big), &id), 0);
	assert_true(id.is_pi);
	assert_null(id.board);
	assert_true(strlen(id.model) < sizeof(id.model));
	/* a control byte reads as a space */
	assert_int_equal(board_from_model("Raspberry Pi 4\tModel B", 22, &id), 0);
	assert_string_equal(id.board->id, "pi4");
	assert_int_equal(board_from_model("Raspberry Pi 4\x01X", 16, &id), 0);
	assert_true(id.is_pi);
	assert_null(id.board);
}

struct rev_case {
	unsigned long code;
	const char *id;		/* NULL: unknown Pi */
	int ram_mb;
	const char *soc;
};

static void
test_revision_codes(void **state)
{
	static const struct rev_case cases[] = {
		{ 0xa02082, "pi3", 1024, "BCM2837" },
		{ 0xa22082, "pi3", 1024, "BCM2837" },
		{ 0xa020d3, "pi3bplus", 1024, "BCM2837" },
		{ 0x9020e0, "pi3aplus", 512, "BCM2837" },
		{ 0xa01041, "pi2", 1024, "BCM2836" },
		{ 0xa21041, "pi2", 1024, "BCM2836" },
		{ 0xa22042, "pi2v12", 1024, "BCM2837" },
		{ 0xa03111, "pi4", 1024, "BCM2711" },
		{ 0xb03114, "pi4", 2048, "BCM2711" },
		{ 0xc03111, "pi4", 4096, "BCM2711" },
		{ 0xd03114, "pi4", 8192, "BCM2711" },
		{ 0xc03130, "pi400", 4096, "BCM2711" },
		{ 0xa03140, "cm4", 1024, "BCM2711" },
		{ 0xb03150, "cm4s", 2048, "BCM2711" },
		{ 0xc04170, "pi5", 4096, "BCM2712" },
		{ 0xd04170, "pi5", 8192, "BCM2712" },
		{ 0xe04171, "pi5", 16384, "BCM2712" },
		{ 0xb04180, "cm5", 2048, "BCM2712" },
		{ 0xd04190, "pi500", 8192, "BCM2712" },
		{ 0xe04190, "pi500plus", 16384, "BCM2712" },
		{ 0x9000c1, "zerow", 512, "BCM2835" },
		{ 0x900093, "zero", 512, "BCM2835" },
		{ 0x902120, "zero2w", 512, "BCM2837" },
		{ 0x900021, "pi1aplus", 512, "BCM2835" },
		{ 0x900032, "pi1bplus", 512, "BCM2835" },
		{ 0xa020a0, "cm3", 1024, "BCM2837" },
		{ 0xa02100, "cm3plus", 1024, "BCM2837" },
		{ 0x900061, "cm1", 512, "BCM2835" },
		/* old style */
		{ 0x0002, "pi1b", 256, "BCM2835" },
		{ 0x000e, "pi1b", 512, "BCM2835" },
		{ 0x0010, "pi1bplus", 512, "BCM2835" },
		{ 0x0011, "cm1", 512, "BCM2835" },
		{ 0x0012, "pi1aplus", 256, "BCM2835" },
		{ 0x1000002, "pi1b", 256, "BCM2835" },	/* warranty bit */
		/* new style, unknown type: a Pi with a known SoC, no model */
		{ 0xc041f0, NULL, 4096, "BCM2712" },
		/* unknown SoC too */
		{ 0xc0a1f0, NULL, 4096, NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct board_ident id;

		assert_int_equal(board_from_revision(cases[i].code, &id), 0);
		assert_true(id.is_pi);
		if (cases[i].id)
			assert_string_equal(id.board->id, cases[i].id);
		else
			assert_null(id.board);
		if (cases[i].code & (1UL << 23))
			assert_int_equal(id.ram_mb, cases[i].ram_mb);
		if (cases[i].soc) {
			const struct soc_info *a = soc_by_name(id.soc);
			const struct soc_info *b = soc_by_name(cases[i].soc);
			assert_ptr_equal(a, b);
		} else {
			assert_null(id.soc);
		}
	}
}

static void
test_revision_invalid(void **state)
{
	struct board_ident id;

	(void)state;
	assert_int_equal(board_from_revision(0x0001, &id), RPX_EINVAL);
	assert_int_equal(board_from_revision(0x0016, &id), RPX_EINVAL);
	assert_int_equal(board_from_revision(0, &id), RPX_EINVAL);
	assert_false(id.is_pi);
}

static void
test_cpuinfo(void **state)
{
	static const char pi4[] =
		"processor\t: 0\nmodel name\t: ARMv7 Processor rev 3 (v7l)\n"
		"Hardware\t: BCM2835\nRevision\t: c03111\n"
		"Serial\t\t: 10000000abcdef\nModel\t\t: Raspberry Pi 4 Model B Rev 1.1\n";
	static const char none[] = "processor : 0\nHardware : BCM2835\n";
	static const char bad[] = "Revision : zz\nRevision: \n";
	struct board_ident id;

	(void)state;
	assert_int_equal(board_from_cpuinfo(pi4, sizeof(pi4) - 1, &id), 0);
	assert_string_equal(id.board->id, "pi4");
	assert_int_equal(id.ram_mb, 4096);
	assert_int_equal(board_from_cpuinfo("Revision\t: 9000c1\r\n", 19, &id), 0);
	assert_string_equal(id.board->id, "zerow");
	assert_int_equal(board_from_cpuinfo(none, sizeof(none) - 1, &id), RPX_ENOTFOUND);
	assert_int_equal(board_from_cpuinfo(bad, sizeof(bad) - 1, &id), RPX_ENOTFOUND);
	assert_int_equal(board_from_cpuinfo(NULL, 0, &id), RPX_ENOTFOUND);
	assert_int_equal(board_from_cpuinfo("Revision", 8, &id), RPX_ENOTFOUND);
}

static void
test_compatible(void **state)
{
	static const char pi4[] = "raspberrypi,4-model-b\0brcm,bcm2711";
	static const char pi2v12[] = "raspberrypi,2-model-b\0brcm,bcm2837";
	static const char future[] = "raspberrypi,6-model-b\0brcm,bcm2712";
	static const char other[] = "hardkernel,odroid-c4\0amlogic,sm1";
	struct board_ident id;

	(void)state;
	assert_int_equal(board_from_compatible(pi4, sizeof(pi4), &id), 0);
	assert_string_equal(id.board->id, "pi4");
	assert_int_equal(board_from_compatible(pi2v12, sizeof(pi2v12), &id), 0);
	assert_string_equal(id.board->id, "pi2v12");
	assert_int_equal(board_from_compatible(future, sizeof(future), &id), 0);
	assert_true(id.is_pi);
	assert_null(id.board);
	assert_int_equal(id.isa, ISA_ARMV8_2);
	assert_int_equal(board_from_compatible(other, sizeof(other), &id), 0);
	assert_false(id.is_pi);
	assert_int_equal(board_from_compatible("", 0, &id), RPX_EINVAL);
}

/*
 * The Pi 500+ (the documentation's revision-codes table: e04190, "500+",
 * 16 GB) against the Pi 500 (d04190, 8 GB): the same type field 0x19, the
 * same SoC and compatible; the memory field or the model string differs.
 */
static void
test_pi500plus(void **state)
{
	static const char compat[] = "raspberrypi,500\0brcm,bcm2712";
	static const char cpuinfo[] = "Hardware\t: BCM2835\nRevision\t: e04190\n";
	const struct board *plus = board_find("pi500plus");
	const struct board *p500 = board_find("pi500");
	struct board_ident id;

	(void)state;
	assert_non_null(plus);
	assert_non_null(p500);
	assert_string_equal(plus->name, "Raspberry Pi 500+");
	assert_ptr_equal(board_find("Raspberry Pi 500+"), plus);
	assert_ptr_equal(board_find("raspberry pi 500 plus"), plus);
	assert_ptr_equal(board_find("Raspberry Pi 500"), p500);
	assert_string_equal(plus->ram, "16 GB");
	assert_string_equal(p500->ram, "8 GB");
	assert_null(strstr(p500->ram, "500+"));
	assert_string_equal(plus->soc, "BCM2712");
	assert_ptr_equal(plus->cpu, p500->cpu);
	assert_true(plus->can64 && plus->official64);
	assert_int_equal(board_default_bits(plus), 64);
	/* e04190's type field is the 500's: only the memory field differs */
	assert_int_equal((0xe04190 >> 4) & 0xff, 0x19);
	assert_int_equal((0xd04190 >> 4) & 0xff, 0x19);
	assert_int_equal(plus->type_code, 0x19);
	assert_int_equal(p500->type_code, 0x19);
	assert_int_equal(board_from_revision(0xe04190, &id), 0);
	assert_ptr_equal(id.board, plus);
	assert_int_equal(id.ram_mb, 16384);
	assert_int_equal(id.isa, ISA_ARMV8_2);
	assert_int_equal(board_from_revision(0xd04190, &id), 0);
	assert_ptr_equal(id.board, p500);
	/* a later board revision of either keeps its model */
	assert_int_equal(board_from_revision(0xe04191, &id), 0);
	assert_ptr_equal(id.board, plus);
	assert_int_equal(board_from_revision(0xd04191, &id), 0);
	assert_ptr_equal(id.board, p500);
	assert_int_equal(board_from_cpuinfo(cpuinfo, sizeof(cpuinfo) - 1, &id), 0);
	assert_ptr_equal(id.board, plus);
	/* the model string, with and without the firmware's " Rev" */
	assert_int_equal(board_from_model("Raspberry Pi 500+", 17, &id), 0);
	assert_ptr_equal(id.board, plus);
	assert_int_equal(board_from_model("Raspberry Pi 500+ Rev 1.0\0", 26, &id), 0);
	assert_ptr_equal(id.board, plus);
	assert_string_equal(id.revision_suffix, "1.0");
	assert_string_equal(id.model, "Raspberry Pi 500+ Rev 1.0");
	/* the compatible both share says no more than "a 500" */
	assert_string_equal(plus->compatible, "raspberrypi,500");
	assert_int_equal(board_from_compatible(compat, sizeof(compat), &id), 0);
	assert_ptr_equal(id.board, p500);
	/* it recommends what the 500 does */
	for (int bits = 32; bits <= 64; bits += 32)
		assert_ptr_equal(board_recommend(plus, bits, LIBC_GNU, NULL),
				 board_recommend(p500, bits, LIBC_GNU, NULL));
}

static void
test_find(void **state)
{
	(void)state;
	assert_string_equal(board_find("PI4")->id, "pi4");
	assert_string_equal(board_find("ZeroW")->id, "zerow");
	assert_string_equal(board_find("raspberry pi 3 model b+")->id, "pi3bplus");
	assert_string_equal(board_find("Raspberry Pi 3 Model B Plus")->id, "pi3bplus");
	assert_string_equal(board_find("Raspberry Pi Zero 2 W")->id, "zero2w");
	assert_null(board_find("pi6"));
	assert_null(board_find(""));
	assert_null(board_find(NULL));
	/* every id and every name finds its own board */
	int n;
	const struct board *all = board_all(&n);
	for (int i = 0; i < n; i++) {
		assert_ptr_equal(board_find(all[i].id), &all[i]);
		assert_ptr_equal(board_find(all[i].name), &all[i]);
	}
}

static void
test_recommend(void **state)
{
	const char *why = NULL;
	int n;
	const struct board *all = board_all(&n);

	(void)state;
	assert_string_equal(board_recommend(board_find("zero"), 32, LIBC_GNU, &why)->triple,
			    "arm-unknown-linux-gnueabihf");
	assert_non_null(strstr(why, "Illegal instruction"));
	assert_null(board_recommend(board_find("zerow"), 64, LIBC_GNU, &why));
	assert_string_equal(board_recommend(board_find("pi4"), 32, LIBC_GNU, NULL)->triple,
			    "armv7-unknown-linux-gnueabihf");
	assert_string_equal(board_recommend(board_find("pi5"), 64, LIBC_MUSL, NULL)->triple,
			    "aarch64-unknown-linux-musl");
	assert_string_equal(board_recommend(board_find("pi2"), 32, LIBC_MUSL, NULL)->triple,
			    "armv7-unknown-linux-musleabihf");
	assert_null(board_recommend(board_find("pi2"), 64, LIBC_GNU, NULL));
	assert_int_equal(board_default_bits(board_find("pi4")), 64);
	assert_int_equal(board_default_bits(board_find("zero")), 32);
	assert_int_equal(board_default_bits(board_find("pi2v12")), 32);
	/* whatever is recommended must really run on the board */
	for (int i = 0; i < n; i++) {
		for (int bits = 32; bits <= 64; bits += 32) {
			const struct target *t = board_recommend(&all[i], bits, LIBC_GNU, NULL);
			if (t == NULL)
				continue;
			assert_true(target_runs_on(t, all[i].cpu->isa, all[i].can64, bits, NULL));
		}
	}
}

static void
test_target_fit(void **state)
{
	const char *why = NULL;
	const struct target *v7 = target_find("armv7-unknown-linux-gnueabihf");
	const struct target *a64 = target_find("aarch64-unknown-linux-gnu");
	const struct target *soft = target_find("arm-unknown-linux-gnueabi");

	(void)state;
	assert_false(target_runs_on(v7, ISA_ARMV6, false, 32, &why));
	assert_non_null(strstr(why, "Illegal instruction"));
	assert_true(target_runs_on(v7, ISA_ARMV8, true, 32, NULL));
	assert_false(target_runs_on(a64, ISA_ARMV8, true, 32, &why));
	assert_non_null(strstr(why, "No such file or directory"));
	assert_false(target_runs_on(a64, ISA_ARMV7, false, 64, NULL));
	assert_false(target_runs_on(soft, ISA_ARMV8, true, 32, &why));
	assert_non_null(strstr(why, "soft-float"));
	assert_null(target_find("x86_64-unknown-linux-gnu"));
	assert_null(target_find(NULL));
	assert_int_equal(isa_from_uname("armv6l"), ISA_ARMV6);
	assert_int_equal(isa_from_uname("armv7l"), ISA_ARMV7);
	assert_int_equal(isa_from_uname("aarch64"), ISA_ARMV8);
	assert_int_equal(isa_from_uname("x86_64"), ISA_UNKNOWN);
	assert_int_equal(isa_from_uname(NULL), ISA_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_strings),
		cmocka_unit_test(test_model_unknown_and_malformed),
		cmocka_unit_test(test_revision_codes),
		cmocka_unit_test(test_revision_invalid),
		cmocka_unit_test(test_cpuinfo),
		cmocka_unit_test(test_compatible),
		cmocka_unit_test(test_pi500plus),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_recommend),
		cmocka_unit_test(test_target_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
