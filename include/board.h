/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * board.h - every Raspberry Pi model that runs Linux, and how to identify
 * one from what the board itself reports.
 *
 * The table is static and read-only. Identification never guesses: an
 * input it does not know yields "unknown Raspberry Pi" (board == NULL,
 * is_pi == true) or "not a Raspberry Pi" (is_pi == false), with whatever
 * the input did say (SoC, RAM) kept.
 */
#ifndef RPX_BOARD_H
#define RPX_BOARD_H

#include <stdbool.h>
#include <stddef.h>

#include "cpu.h"
#include "target.h"

struct board {
	const char *id;		/* short id for --board, e.g. "pi4" */
	const char *name;	/* "Raspberry Pi 4 Model B" */
	const char *soc;	/* "BCM2711" */
	/* its core in the CPU table (cpu.h): cpu->core "Cortex-A72",
	 * cpu->name the -C target-cpu "cortex-a72", cpu->isa */
	const struct pi_cpu *cpu;
	int cores;
	const char *ram;	/* "1, 2, 4 or 8 GB" */
	bool can64;		/* the CPU can run a 64-bit OS */
	bool official64;	/* Raspberry Pi OS 64-bit supports it */
	int type_code;		/* revision-code type field, -1 when none */
	const char *compatible;	/* device-tree "raspberrypi,..." name */
};

/* All models in display order; *n receives the count. */
const struct board *board_all(int *n);
/* By id or full name, case-insensitively (a "+" may be spelled " Plus"). */
const struct board *board_find(const char *id_or_name);

/* Which SoC a revision code's CPU field names, and its core (cpu.h). */
struct soc_info {
	const char *soc;
	const struct pi_cpu *cpu;
	bool can64;
};
const struct soc_info *soc_by_name(const char *soc);

/* What identification found. */
struct board_ident {
	bool is_pi;			/* it says it is a Raspberry Pi */
	const struct board *board;	/* NULL when unknown */
	const char *soc;		/* from the board or revision code, or NULL */
	enum isa isa;			/* from the board or SoC, else ISA_UNKNOWN */
	int ram_mb;			/* from a revision code, else 0 */
	unsigned long revision;		/* the revision code, 0 when none */
	char model[128];		/* the cleaned model string, or "" */
	char revision_suffix[16];	/* "1.4" from "... Rev 1.4", or "" */
};

/*
 * From /proc/device-tree/model contents (len bytes; trailing NULs,
 * newlines and spaces are ignored). Returns 0, or RPX_EINVAL when the text
 * is empty; id is filled either way.
 */
int board_from_model(const char *text, size_t len, struct board_ident *id);
/* From /proc/device-tree/compatible (NUL-separated strings). */
int board_from_compatible(const char *text, size_t len,
			  struct board_ident *id);
/* From a revision code value. */
int board_from_revision(unsigned long code, struct board_ident *id);
/*
 * From /proc/cpuinfo text: finds "Revision : c03111" and decodes it.
 * RPX_ENOTFOUND when there is no usable Revision line.
 */
int board_from_cpuinfo(const char *text, size_t len, struct board_ident *id);
/* ISA from `uname -m` output ("armv6l", "armv7l", "aarch64", ...). */
enum isa isa_from_uname(const char *machine);

/*
 * The recommendation for a board: the target for a 32- or 64-bit OS and
 * libc, or NULL when none fits (e.g. 64-bit on a Pi Zero); *why receives
 * a static sentence explaining the choice or its absence.
 */
const struct target *board_recommend(const struct board *b, int os_bits,
				     enum libc libc, const char **why);
/* The OS bitness to recommend (64 where officially supported). */
int board_default_bits(const struct board *b);

#endif
