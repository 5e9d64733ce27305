/* cpu_test.c - the one table of Raspberry Pi cores: lookups by rustc's
 * name, which targets know each core, and that the boards and SoCs name
 * the same cores with the same ISA. */
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
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(pi_cpu_find(all[i].name), &all[i]);
		assert_int_not_equal(all[i].isa, ISA_UNKNOWN);
		/* oldest first */
		if (i > 0)
			assert_true(all[i - 1].isa <= all[i].isa);
	}
}

/* Every board and SoC names a core of the table, with its ISA. */
static void
test_boards_agree(void **state)
{
	static const char *const socs[] = {
		"BCM2835", "BCM2836", "BCM2837", "BCM2711", "BCM2712",
	};
	int n;
	const struct board *b = board_all(&n);

	(void)state;
	for (int i = 0; i < n; i++) {
		const struct pi_cpu *c = pi_cpu_find(b[i].cpu);

		assert_non_null(c);
		assert_string_equal(c->core, b[i].core);
		assert_int_equal(c->isa, b[i].isa);
		assert_true(pi_cpu_known_for(c, 64) || !b[i].can64);
	}
	for (size_t i = 0; i < ARRAY_SIZE(socs); i++) {
		const struct soc_info *si = soc_by_name(socs[i]);
		const struct pi_cpu *c;

		assert_non_null(si);
		c = pi_cpu_find(si->cpu);
		assert_non_null(c);
		assert_string_equal(c->core, si->core);
		assert_int_equal(c->isa, si->isa);
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
