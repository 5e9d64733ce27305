/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * delta.h - a changed file as the previous upload's blocks plus new bytes,
 * joined on the Pi by its shell and coreutils alone (delta.c).
 *
 * The Pi unpacks the new bytes from one gzip'd tar stream (`gzip -dc |
 * tar -xf -`: the file "list" and the literal pieces p0, p1, ...) and
 * joins them with the previous version in one of two ways, whichever
 * costs the Pi less (delta_by_runs()):
 * - by blocks: one `split -b B -a A OLD o` cuts the old version into
 *   fixed blocks (files oaa..., in order) and one `cat $(cat list)` joins
 *   the list's names; a file created for every block of the old version;
 * - by runs: the list's lines are "o START COUNT" (COUNT old blocks from
 *   block START, copied by one `dd bs=B`) and literal names, read by the
 *   shell in order; a started program for every run and piece, no files.
 * Either way the joined bytes go through `tee` to `sha256sum`, checked
 * before the result replaces anything. Here, rsync's rolling checksum
 * finds each old block anywhere in the new file (compared byte for byte
 * against the local copy of the old file), and the bytes between matches
 * become the literal pieces.
 */
#ifndef RPX_DELTA_H
#define RPX_DELTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* A block of the new file found in the old: at new offset pos, old
 * block k. */
struct delta_match {
	size_t pos, k;
};

struct delta_plan {
	size_t block;		/* B: split's block size */
	int suffix;		/* A: split's suffix length */
	struct strbuf list;	/* the piece names, one a line, in order */
	struct strbuf runs;	/* the same as runs: "o START COUNT" lines */
	size_t nruns;		/* runs of consecutive old blocks */
	struct delta_match *match;	/* the blocks found, in order */
	size_t nmatch;
	struct strbuf lits;	/* the literal pieces' bytes, in order */
	size_t *lit_len;	/* each literal piece's length */
	size_t nlits;
	size_t ncopy;		/* old blocks used */
	uint64_t lit_bytes;	/* == lits.len */
};

/* The block size for an old file of len bytes: 16 KiB, doubled until the
 * file has at most 1024 blocks (files the Pi's split creates). */
size_t delta_block_size(uint64_t len);

/* split's name of block i with suffix length a ("o" + a letters): out
 * needs a + 2 bytes. */
void delta_block_name(size_t i, int a, char *out);

/*
 * The plan for new[0..nlen) against old[0..olen) with block size block
 * (0: delta_block_size(olen)). Always succeeds (a plan may be all
 * literal); release it with delta_plan_release().
 */
void delta_plan_make(const unsigned char *old, size_t olen,
		     const unsigned char *new, size_t nlen, size_t block,
		     struct delta_plan *p);
void delta_plan_release(struct delta_plan *p);

/*
 * The same plan with runs of fewer than run_min old blocks sent as new
 * bytes (DELTA_RUN_MIN when joining by runs: each run is a program on the
 * Pi; split's blocks cost the same whether used or not).
 */
#define DELTA_RUN_MIN 4
void delta_plan_merge_runs(struct delta_plan *p, const unsigned char *new,
			   size_t nlen, size_t run_min);

/*
 * Started programs cost the Pi more than created files (the simulated
 * Pi: about 20 ms for a dd or cat in its shell, 1 to 1.4 ms for a file
 * of 16 KiB; a Pi Zero's starts cost more): join by runs when its
 * programs (runs + pieces) cost less than split's files (old blocks).
 */
#define DELTA_PROGRAM_FILES 20
bool delta_by_runs(const struct delta_plan *p, uint64_t olen);

/*
 * Join as the Pi does (the list's names read against old's blocks and the
 * literal pieces), into out: the unit test's check of a plan. -1 when a
 * name in the list is not one of the plan's.
 */
int delta_plan_join(const struct delta_plan *p, const unsigned char *old,
		    size_t olen, struct strbuf *out);
/* The same for the run form (p->runs). */
int delta_plan_join_runs(const struct delta_plan *p, const unsigned char *old,
			 size_t olen, struct strbuf *out);

/*
 * Where the stream's files go, relative to the folder the Pi unpacks it
 * in; NULL members (or names NULL) leave them out:
 * work: the folder of "list" and the pieces (else they are at the top);
 * dir: a folder made first ("HASH16/", the new version's);
 * exe: an empty file of mode 0755 made next (the new version's temporary,
 * which the join fills), left out when longer than ustar allows.
 */
struct delta_names {
	const char *work;
	const char *dir;
	const char *exe;
};

/*
 * The plan's stream: a gzip'd ustar archive (libarchive) holding "list"
 * (the run form when by_runs) and the pieces p0..pN, placed as names
 * says. 0, or -1 with libarchive's reason in err.
 */
int delta_pack(const struct delta_plan *p, bool by_runs,
	       const struct delta_names *names, struct strbuf *out, char *err,
	       size_t errsz);

/*
 * The previous uploads, kept on this computer so the next one can be
 * planned against them: $XDG_CACHE_HOME/rpi-cross/sent/NAME/SHA256 (else
 * ~/.cache/...), the newest DELTA_KEEP of each NAME. delta_store_find: the
 * copy whose SHA-256 starts with hex16 (malloc'd path), or NULL.
 * delta_store_put: keep local's content under hex (atomic_write), the
 * older copies beyond DELTA_KEEP removed; 0 or an RPX_E* code.
 */
#define DELTA_KEEP 4
char *delta_store_find(const char *name, const char *hex16);
int delta_store_put(const char *name, const char *local, const char *hex);

#endif
