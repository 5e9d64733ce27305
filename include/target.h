/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * target.h - the Rust target triples that matter for a Raspberry Pi.
 *
 * A static, read-only table: what each triple is (architecture, word size,
 * float ABI, libc, the minimum instruction set it assumes), whether it fits
 * Raspberry Pi OS at all, and the facts the later steps need (Debian package
 * of its std, GNU cross prefixes that link for it).
 */
#ifndef RPX_TARGET_H
#define RPX_TARGET_H

#include <stdbool.h>

/* Instruction-set levels, ordered: a CPU runs code for its level or lower. */
enum isa {
	ISA_UNKNOWN = 0,
	ISA_ARMV6,	/* ARM1176JZF-S, VFPv2 */
	ISA_ARMV7,	/* Cortex-A7 */
	ISA_ARMV8,	/* Cortex-A53, Cortex-A72 */
	ISA_ARMV8_2,	/* Cortex-A76 */
};

const char *isa_name(enum isa isa);	/* "ARMv6", ... */

enum libc { LIBC_GNU, LIBC_MUSL };
const char *libc_name(enum libc libc);	/* "gnu", "musl" */

struct target {
	const char *triple;
	const char *arch;		/* "arm", "armv7", "thumbv7neon", "aarch64" */
	int bits;			/* userland word size: 32 or 64 */
	enum libc libc;
	bool hard_float;		/* eabihf (or aarch64) */
	enum isa min_isa;		/* lowest ISA that runs its code */
	const char *tier;		/* Rust support tier, e.g. "2 (host tools)" */
	bool pi_os;			/* fits Raspberry Pi OS's ABI at all */
	bool preferred;			/* the one to recommend for its bits/libc/ISA */
	const char *features;		/* target features rustc assumes */
	const char *debian_std;		/* Debian package with its std, or NULL */
	const char *gnu_prefixes[4];	/* GNU cross tool prefixes, NULL-ended */
	const char *summary;		/* one line for listings */
};

/* All known targets, in display order; *n receives the count. */
const struct target *target_all(int *n);
/* Exact triple lookup, NULL when unknown. */
const struct target *target_find(const char *triple);
/*
 * Does the target's code run on a CPU of this ISA with a userland of
 * os_bits (32/64)? On false, *why (when not NULL) gets a static sentence.
 */
bool target_runs_on(const struct target *t, enum isa cpu, bool cpu_can64,
		    int os_bits, const char **why);

#endif
