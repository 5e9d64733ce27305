/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * release.h - the Raspberry Pi OS releases a file is judged against, and
 * the verdict of one file on one release, word size and board family.
 *
 * The facts (glibc version, program loaders, the sonames shipped for the
 * common libraries, 64-bit time_t on 32-bit) live in data/releases.yaml,
 * compiled into the binary and readable from an edited copy; no code
 * knows them. The verdict (release_verdict) is the one place that decides
 * whether a file runs on a variant, and why not.
 *
 * Ownership: struct pi_releases is one heap block (release_free).
 */
#ifndef RPX_RELEASE_H
#define RPX_RELEASE_H

#include <stdbool.h>
#include <stddef.h>

#include "board.h"
#include "elf.h"
#include "rpx.h"

#define REL_MAX 8		/* releases */
#define REL_MAX_LOADERS 4
#define REL_MAX_LIBS 32		/* soname stems per variant */
#define REL_MAX_SONAMES 4	/* sonames per stem */

struct rel_lib {
	char stem[32];			/* "libssl": the soname before ".so" */
	int n_sonames;
	char sonames[REL_MAX_SONAMES][48];
};

struct rel_variant {
	char arch[16];			/* "armhf", "arm64" */
	int bits;			/* 32 or 64 */
	char glibc[16];			/* "2.36" */
	bool time64;			/* 32-bit with a 64-bit time_t */
	int n_loaders;
	char loaders[REL_MAX_LOADERS][64];
	int n_libs;
	struct rel_lib libs[REL_MAX_LIBS];
	/* stems of libraries whose interface holds a time_t (32-bit) */
	int n_time_libs;
	char time_libs[REL_MAX_LIBS][32];
};

struct pi_release {
	char name[24];			/* "bookworm" */
	int debian;			/* 12 */
	struct rel_variant v32, v64;	/* bits 0 when absent */
};

struct pi_releases {
	int n;
	struct pi_release r[REL_MAX];
};

/* The YAML text compiled in from data/releases.yaml, and its length. */
const char *release_builtin_text(size_t *len);

/*
 * Parse release data from text (path names it in errors). 0 with *out
 * to release_free(), or RPX_EPARSE with err at path:line:col.
 */
int release_parse(const char *text, size_t len, const char *path,
		  struct pi_releases **out, struct rpx_err *err);
/* The same from a file (RPX_ENOTFOUND/RPX_EIO with err when unreadable);
 * path NULL loads the compiled-in copy. */
int release_load(const char *path, struct pi_releases **out,
		 struct rpx_err *err);
void release_free(struct pi_releases *rs);

const struct pi_release *release_find(const struct pi_releases *rs,
				      const char *name);
/* The variant of a word size, NULL when the release has none. */
const struct rel_variant *release_variant(const struct pi_release *r,
					  int bits);

/* The board families the table has columns for, oldest first. */
enum board_family {
	FAM_ARMV6,	/* Pi 1, Zero, Zero W, CM1 */
	FAM_ARMV7,	/* Pi 2 */
	FAM_ARMV8,	/* Pi 2 v1.2, 3, Zero 2 W, CM3 */
	FAM_PI4,	/* Pi 4, 400, CM4 */
	FAM_PI5,	/* Pi 5, 500, CM5 */
	FAM_COUNT,
};
/* "armv6", ... (JSON and --require) and "ARMv6", "Pi 4" (tables). */
const char *family_id(enum board_family f);
const char *family_title(enum board_family f);
/* "Pi 1/Zero/Zero W/CM1", ... */
const char *family_boards(enum board_family f);
enum isa family_isa(enum board_family f);
/* A Raspberry Pi OS of this word size exists for the family. */
bool family_runs_bits(enum board_family f, int bits);
enum board_family board_family_of(const struct board *b);

enum verdict {
	VERDICT_RUNS,
	VERDICT_FAILS,
	VERDICT_NONE,		/* no such OS for that board */
};

struct verdict_out {
	enum verdict v;
	char cell[24];		/* "runs", "ARMv7 code", "GLIBC_2.34" */
	char why[384];		/* the sentence */
	/* what was checked, for "runs" ("machine, ISA, glibc, loader") */
	char checked[128];
};

/*
 * Does the file run on this release variant on a board of family f?
 * Checks, in order: the machine, the word size, the ISA against the
 * family's CPU, the float ABI, the loader, the newest GLIBC_x.y, every
 * DT_NEEDED soname whose stem the data knows, and (32-bit ARM) the time_t
 * the file was built with against the variant's for the libraries it
 * needs whose interface holds a time_t. Static files skip the loader,
 * glibc, library and time_t checks. Returns out->v.
 */
enum verdict release_verdict(const struct elf_info *info,
			     const struct rel_variant *v,
			     enum board_family f, struct verdict_out *out);

/*
 * The verdict for one connected Pi, as one row (what `run` and `test` ask
 * before an upload): the variant of the release its os-release names
 * (codename) for its word size, with the glibc the Pi reported, on its
 * board's family (else its CPU's). A release or word size the data lacks
 * gives a row of what the Pi told alone: its loader and libraries are
 * then not judged. os_bits 0 (unknown) takes the file's word size;
 * glibc NULL or "" skips the glibc check. When it fails, out->why ends
 * with what to build instead.
 */
enum verdict release_verdict_pi(const struct elf_info *info,
				const char *codename, int os_bits,
				const char *glibc, const struct board *board,
				enum isa cpu, struct verdict_out *out);

#endif
