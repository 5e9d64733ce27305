/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* target.c - Raspberry Pi relevant Rust targets (see target.h). */
#include "target.h"

#include <string.h>

#include "rpx.h"

static const struct target targets[] = {
	{
		"arm-unknown-linux-gnueabihf", "arm", 32, LIBC_GNU, true,
		ISA_ARMV6, "2 (host tools)", true, true,
		"+strict-align,+v6,+vfp2", NULL,
		{ "arm-linux-gnueabihf-", "arm-unknown-linux-gnueabihf-",
		  "armv6-unknown-linux-gnueabihf-", NULL },
		"ARMv6 + VFPv2, glibc: runs on every Pi with a 32-bit OS",
	},
	{
		"arm-unknown-linux-musleabihf", "arm", 32, LIBC_MUSL, true,
		ISA_ARMV6, "2", true, true,
		"+strict-align,+v6,+vfp2", NULL,
		{ "arm-linux-musleabihf-", "arm-unknown-linux-musleabihf-",
		  NULL },
		"ARMv6 + VFPv2, static musl: every Pi, any glibc",
	},
	{
		"armv7-unknown-linux-gnueabihf", "armv7", 32, LIBC_GNU, true,
		ISA_ARMV7, "2 (host tools)", true, true,
		"+v7,+vfp3d16,+thumb2,-neon", "libstd-rust-dev:armhf",
		{ "arm-linux-gnueabihf-", "armv7-unknown-linux-gnueabihf-",
		  NULL },
		"ARMv7, glibc: Pi 2 and newer with a 32-bit OS",
	},
	{
		"armv7-unknown-linux-musleabihf", "armv7", 32, LIBC_MUSL, true,
		ISA_ARMV7, "2", true, true,
		"+v7,+vfp3d16,+thumb2,-neon", NULL,
		{ "arm-linux-musleabihf-", "armv7-unknown-linux-musleabihf-",
		  NULL },
		"ARMv7, static musl: Pi 2 and newer with a 32-bit OS",
	},
	{
		"thumbv7neon-unknown-linux-gnueabihf", "thumbv7neon", 32,
		LIBC_GNU, true, ISA_ARMV7, "2", true, false,
		"+v7,+thumb-mode,+thumb2,+vfp3,+neon", NULL,
		{ "arm-linux-gnueabihf-", NULL },
		"ARMv7 Thumb-2 with NEON, glibc: Pi 2 and newer, 32-bit OS",
	},
	{
		"aarch64-unknown-linux-gnu", "aarch64", 64, LIBC_GNU, true,
		ISA_ARMV8, "1 (host tools)", true, true,
		"+v8a,+outline-atomics", "libstd-rust-dev:arm64",
		{ "aarch64-linux-gnu-", "aarch64-unknown-linux-gnu-", NULL },
		"ARMv8 64-bit, glibc: Pi 2 v1.2, 3, 4, 5, Zero 2 W with a 64-bit OS",
	},
	{
		"aarch64-unknown-linux-musl", "aarch64", 64, LIBC_MUSL, true,
		ISA_ARMV8, "2 (host tools)", true, true,
		"+v8a,+outline-atomics", NULL,
		{ "aarch64-linux-musl-", "aarch64-unknown-linux-musl-", NULL },
		"ARMv8 64-bit, static musl: 64-bit OS, any glibc",
	},
	{
		"arm-unknown-linux-gnueabi", "arm", 32, LIBC_GNU, false,
		ISA_ARMV6, "2", false, false, "+strict-align,+v6", NULL,
		{ "arm-linux-gnueabi-", NULL },
		"soft-float ABI: does not match Raspberry Pi OS (hard-float)",
	},
	{
		"armv7-unknown-linux-gnueabi", "armv7", 32, LIBC_GNU, false,
		ISA_ARMV7, "2", false, false, "+v7,+thumb2,+soft-float,-neon",
		NULL, { "arm-linux-gnueabi-", NULL },
		"soft-float ABI: does not match Raspberry Pi OS (hard-float)",
	},
};

const char *
isa_name(enum isa isa)
{
	switch (isa) {
	case ISA_ARMV6: return "ARMv6";
	case ISA_ARMV7: return "ARMv7";
	case ISA_ARMV8: return "ARMv8";
	case ISA_ARMV8_2: return "ARMv8.2";
	case ISA_UNKNOWN: break;
	}
	return "unknown";
}

const char *
libc_name(enum libc libc)
{
	return libc == LIBC_MUSL ? "musl" : "gnu";
}

const struct target *
target_all(int *n)
{
	*n = (int)ARRAY_SIZE(targets);
	return targets;
}

const struct target *
target_find(const char *triple)
{
	if (triple == NULL)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(targets); i++)
		if (strcmp(targets[i].triple, triple) == 0)
			return &targets[i];
	return NULL;
}

bool
target_runs_on(const struct target *t, enum isa cpu, bool cpu_can64,
	       int os_bits, const char **why)
{
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	*why = NULL;
	if (!t->pi_os) {
		*why = "its soft-float ABI does not match Raspberry Pi OS, "
		       "which is hard-float (use an -eabihf target)";
		return false;
	}
	if (t->bits == 64 && !cpu_can64) {
		*why = "this CPU is 32-bit only: a 64-bit binary cannot run "
		       "on it";
		return false;
	}
	if (t->bits == 64 && os_bits == 32) {
		*why = "a 32-bit OS has no 64-bit loader or libraries: the "
		       "binary fails with \"No such file or directory\" "
		       "(pick a 32-bit target, or install the 64-bit OS)";
		return false;
	}
	if (t->bits == 32 && os_bits == 64) {
		*why = "a 64-bit OS usually lacks the 32-bit armhf loader and "
		       "libraries (pick aarch64, or install armhf support)";
		return false;
	}
	if (cpu != ISA_UNKNOWN && t->min_isa > cpu) {
		if (cpu == ISA_ARMV6)
			*why = "ARMv7 code on an ARMv6 CPU (Pi 1, Zero, "
			       "Zero W, CM1) dies with \"Illegal "
			       "instruction\": use arm-unknown-linux-"
			       "gnueabihf or arm-unknown-linux-musleabihf";
		else
			*why = "the target needs a newer instruction set than "
			       "this CPU has";
		return false;
	}
	return true;
}
