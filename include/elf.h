/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * elf.h - what an executable is, read from its ELF headers alone.
 *
 * Answers the questions rpi-cross asks before it uploads or blames a
 * linker: which machine and word size, which float ABI, which ARM
 * architecture level the code (and its start-up files) assume, which
 * program interpreter it needs, and the newest GLIBC_x.y symbol version it
 * requires. Never executes or trusts the file: every offset is checked, a
 * truncated or hostile file gives RPX_EPARSE with a message, never a crash.
 *
 * Ownership: struct elf_info holds only fixed-size arrays; nothing to free.
 */
#ifndef RPX_ELF_H
#define RPX_ELF_H

#include <stdbool.h>
#include <stddef.h>

#include "rpx.h"
#include "target.h"

#define ELF_EM_ARM 40
#define ELF_EM_AARCH64 183
#define ELF_EM_X86_64 62
#define ELF_EM_386 3

#define ELF_MAX_NEEDED 16

struct elf_info {
	int bits;			/* 32 or 64 */
	bool little_endian;
	int machine;			/* e_machine */
	int type;			/* e_type: 2 EXEC, 3 DYN */
	/* ARM (32-bit) only; 0/false/-1 elsewhere */
	int arm_eabi;			/* EABI version from e_flags, e.g. 5 */
	bool arm_hard_float;		/* EF_ARM_ABI_FLOAT_HARD or VFP args */
	bool arm_soft_float;		/* EF_ARM_ABI_FLOAT_SOFT */
	int arm_cpu_arch;		/* Tag_CPU_arch, -1 when absent */
	char arm_cpu_name[32];		/* Tag_CPU_name, "" when absent */
	bool arm_thumb2;		/* Tag_THUMB_ISA_use says Thumb-2 */
	enum isa isa;			/* minimum ISA the code assumes */
	/* dynamic linking */
	char interp[128];		/* PT_INTERP, "" when none */
	bool is_static;			/* no interpreter */
	char glibc_max[16];		/* newest GLIBC_ version needed, "" none */
	int n_needed;
	char needed[ELF_MAX_NEEDED][64];	/* DT_NEEDED, first 16 */
	/*
	 * 32-bit ARM, dynamic: the time_t it was compiled with, told from
	 * the glibc calls it makes (.dynsym with .gnu.version): 64 when it
	 * calls glibc's time64 entry points (__clock_gettime64,
	 * __stat64_time64, ...: built with _TIME_BITS=64), 32 when it calls
	 * the 32-bit ones (clock_gettime, stat64, ...) and none of those, 0
	 * when it calls neither (or another machine, or static).
	 */
	int time_bits;
	char time_sym[48];		/* the call that told it, "" */
};

/* Read path. RPX_ENOTFOUND/RPX_EIO for file errors, RPX_EPARSE with
 * err->msg for a file that is not a valid ELF executable. */
int elf_read_file(const char *path, struct elf_info *info,
		  struct rpx_err *err);
/* The same on bytes in memory. */
int elf_read_mem(const unsigned char *buf, size_t len, struct elf_info *info,
		 struct rpx_err *err);

/* "ARM", "AArch64", "x86-64", ... or "machine N" (static or buf). */
const char *elf_machine_name(int machine, char *buf, size_t bufsz);
/* "ARMv6", "ARMv7", ... for a Tag_CPU_arch value ("" when unknown). */
const char *elf_arm_arch_name(int tag_cpu_arch);

/* Compare dotted versions numerically: "2.31" < "2.34" < "2.34.1". */
int elf_version_cmp(const char *a, const char *b);

/*
 * Does the binary suit a target triple's ABI (machine, class, float ABI,
 * libc kind)? false with a static sentence in *why otherwise.
 */
bool elf_matches_target(const struct elf_info *info, const struct target *t,
			const char **why);
/* Whether it runs on a given Pi: release_verdict_pi() (release.h). */

#endif
