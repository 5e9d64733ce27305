/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* cpu_test.c - the one table of Raspberry Pi cores: lookups by rustc's
 * name, which targets know each core, and that every board and SoC row
 * points at its core in the table (the same core for a board and its
 * SoC). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "board.h"
#include "cpu.h"
#include "rpx.h"

static void
test_cpu_isa(void **state)
{
	(void)state;
	/* these were the doctor's doctor_cpu_isa() assertions */
	assert_int_equal(pi_cpu_isa("arm1176jzf-s"), ISA_ARMV6);
	assert_int_equal(pi_cpu_isa("cortex-a7"), ISA_ARMV7);
	assert_int_equal(pi_cpu_isa("Cortex-A72"), ISA_ARMV8);
	assert_int_equal(pi_cpu_isa("cortex-a76"), ISA_ARMV8_2);
	assert_int_equal(pi_cpu_isa("cortex-x99"), ISA_UNKNOWN);
	assert_int_equal(pi_cpu_isa(NULL), ISA_UNKNOWN);
	assert_int_equal(pi_cpu_isa("cortex-a53"), ISA_ARMV8);
	assert_int_equal(pi_cpu_isa("generic"), ISA_UNKNOWN);
	assert_int_equal(pi_cpu_isa(""), ISA_UNKNOWN);
}

static void
test_find(void **state)
{
	const struct pi_cpu *c;

	(void)state;
	c = pi_cpu_find("CORTEX-A53");
	assert_non_null(c);
	assert_string_equal(c->name, "cortex-a53");
	assert_string_equal(c->core, "Cortex-A53");
	assert_null(pi_cpu_find("native"));
	assert_null(pi_cpu_find(NULL));
}

static void
test_known_for(void **state)
{
	(void)state;
	/* aarch64's rustc lacks the two 32-bit-only cores */
	assert_true(pi_cpu_known_for(pi_cpu_find("arm1176jzf-s"), 32));
	assert_false(pi_cpu_known_for(pi_cpu_find("arm1176jzf-s"), 64));
	assert_true(pi_cpu_known_for(pi_cpu_find("cortex-a7"), 32));
	assert_false(pi_cpu_known_for(pi_cpu_find("cortex-a7"), 64));
	assert_true(pi_cpu_known_for(pi_cpu_find("cortex-a76"), 32));
	assert_true(pi_cpu_known_for(pi_cpu_find("cortex-a76"), 64));
}

static void
test_table(void **state)
{
	size_t n;
	const struct pi_cpu *all = pi_cpu_all(&n);

	(void)state;
	assert_int_equal(n, 5);
	assert_int_equal(n, PI_NCORES);
	assert_ptr_equal(all, pi_cpus);
	assert_string_equal(pi_cpus[PI_ARM1176].name, "arm1176jzf-s");
	assert_string_equal(pi_cpus[PI_CORTEX_A7].name, "cortex-a7");
	assert_string_equal(pi_cpus[PI_CORTEX_A53].name, "cortex-a53");
	assert_string_equal(pi_cpus[PI_CORTEX_A72].name, "cortex-a72");
	assert_string_equal(pi_cpus[PI_CORTEX_A76].name, "cortex-a76");
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(pi_cpu_find(all[i].name), &all[i]);
		assert_int_not_equal(all[i].isa, ISA_UNKNOWN);
		/* the wizard's line starts with the core's own name */
		assert_non_null(all[i].label);
		assert_memory_equal(all[i].label, all[i].core,
				    strlen(all[i].core));
		/* oldest first */
		if (i > 0)
			assert_true(all[i - 1].isa <= all[i].isa);
	}
}

/* Every board and SoC row points at a core of the table; a board's core
 * is its SoC's. */
static void
test_boards_agree(void **state)
{
	static const struct {
		const char *soc;
		const char *cpu;
		enum isa isa;
		bool can64;
	} socs[] = {
		{ "BCM2835", "arm1176jzf-s", ISA_ARMV6, false },
		{ "BCM2836", "cortex-a7", ISA_ARMV7, false },
		{ "BCM2837", "cortex-a53", ISA_ARMV8, true },
		{ "BCM2711", "cortex-a72", ISA_ARMV8, true },
		{ "BCM2712", "cortex-a76", ISA_ARMV8_2, true },
	};
	int n;
	const struct board *b = board_all(&n);

	(void)state;
	for (int i = 0; i < n; i++) {
		const struct pi_cpu *c = b[i].cpu;
		const struct soc_info *si = soc_by_name(b[i].soc);

		assert_non_null(c);
		assert_true(c >= pi_cpus && c < pi_cpus + PI_NCORES);
		assert_ptr_equal(pi_cpu_find(c->name), c);
		assert_true(pi_cpu_known_for(c, 64) || !b[i].can64);
		assert_non_null(si);
		assert_ptr_equal(si->cpu, c);
	}
	for (size_t i = 0; i < ARRAY_SIZE(socs); i++) {
		const struct soc_info *si = soc_by_name(socs[i].soc);
		const struct pi_cpu *c;

		assert_non_null(si);
		c = pi_cpu_find(socs[i].cpu);
		assert_non_null(c);
		assert_ptr_equal(si->cpu, c);
		assert_int_equal(si->cpu->isa, socs[i].isa);
		assert_int_equal(si->can64, socs[i].can64);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_isa),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_known_for),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_boards_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
