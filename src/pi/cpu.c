/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* cpu.c - the Raspberry Pi cores as rustc names them (see cpu.h). */
#include "cpu.h"

#include "rpx.h"

/*
 * The architectures whose rustc knows each core were checked with rustc
 * 1.95: `--print target-cpus` for arm, armv7 and thumbv7neon lists all
 * five; aarch64 lacks arm1176jzf-s and cortex-a7.
 */
const struct pi_cpu pi_cpus[PI_NCORES] = {
	[PI_ARM1176] = { "arm1176jzf-s", "ARM1176JZF-S", ISA_ARMV6, true,
			 false, "ARM1176JZF-S (Pi 1, Zero)" },
	[PI_CORTEX_A7] = { "cortex-a7", "Cortex-A7", ISA_ARMV7, true, false,
			   "Cortex-A7 (Pi 2)" },
	[PI_CORTEX_A53] = { "cortex-a53", "Cortex-A53", ISA_ARMV8, true, true,
			    "Cortex-A53 (Pi 3, Zero 2)" },
	[PI_CORTEX_A72] = { "cortex-a72", "Cortex-A72", ISA_ARMV8, true, true,
			    "Cortex-A72 (Pi 4, 400)" },
	[PI_CORTEX_A76] = { "cortex-a76", "Cortex-A76", ISA_ARMV8_2, true,
			    true, "Cortex-A76 (Pi 5, 500)" },
};

const struct pi_cpu *
pi_cpu_all(size_t *n)
{
	*n = ARRAY_SIZE(pi_cpus);
	return pi_cpus;
}

const struct pi_cpu *
pi_cpu_find(const char *name)
{
	for (size_t i = 0; name != NULL && i < ARRAY_SIZE(pi_cpus); i++)
		if (rpx_strcasecmp(pi_cpus[i].name, name) == 0)
			return &pi_cpus[i];
	return NULL;
}

enum isa
pi_cpu_isa(const char *name)
{
	const struct pi_cpu *c = pi_cpu_find(name);

	return c != NULL ? c->isa : ISA_UNKNOWN;
}

bool
pi_cpu_known_for(const struct pi_cpu *c, int bits)
{
	return bits == 64 ? c->aarch64 : c->arm32;
}
