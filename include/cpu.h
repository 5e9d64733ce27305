/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * cpu.h - the Raspberry Pi cores as rustc names them (-C target-cpu), with
 * the ISA their code needs and the targets whose rustc knows them.
 *
 * The one table of Pi cores: a core's names, ISA and label live here
 * only. The plan's CPU checks and the doctor's rustflags checks look a
 * target-cpu up here; every board and SoC row (board.h) points at its
 * core's entry; the wizard lists the cores from it.
 */
#ifndef RPX_CPU_H
#define RPX_CPU_H

#include <stdbool.h>
#include <stddef.h>

#include "target.h"

struct pi_cpu {
	const char *name;	/* rustc's -C target-cpu name, "cortex-a72" */
	const char *core;	/* the core's own name, "Cortex-A72" */
	enum isa isa;		/* the ISA code tuned for it may use */
	bool arm32;		/* rustc knows it for the 32-bit ARM targets */
	bool aarch64;		/* rustc knows it for the aarch64 targets */
	const char *label;	/* the wizard's line: "Cortex-A72 (Pi 4, 400)" */
};

/* The cores by index into pi_cpus, oldest first. */
enum pi_core {
	PI_ARM1176,
	PI_CORTEX_A7,
	PI_CORTEX_A53,
	PI_CORTEX_A72,
	PI_CORTEX_A76,
	PI_NCORES
};

/* The table itself (read-only), so static rows can point into it. */
extern const struct pi_cpu pi_cpus[PI_NCORES];

/* Every Pi core, oldest first; *n receives the count. */
const struct pi_cpu *pi_cpu_all(size_t *n);
/* By rustc's name, case-insensitively; NULL for NULL or another CPU. */
const struct pi_cpu *pi_cpu_find(const char *name);
/* The ISA of a Pi core named as rustc does; ISA_UNKNOWN for any other. */
enum isa pi_cpu_isa(const char *name);
/* Whether rustc knows the core for targets of that word size. */
bool pi_cpu_known_for(const struct pi_cpu *c, int bits);

#endif
