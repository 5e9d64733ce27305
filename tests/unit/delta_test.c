/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * delta_test.c - the delta upload's plan (src/ssh/delta.c): a changed
 * file joins back from the old file's blocks and the literal pieces
 * exactly, whatever the change (none, edits in place, an insertion that
 * shifts the rest, a shorter or an empty file); an unchanged stretch is
 * found wherever it moved to; split's block names; and the packed stream
 * reads back (libarchive) as the list and the pieces.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>

#include "rpx.h"
#include "ssh/delta.h"
#include "strbuf.h"

/* A deterministic pseudo-random fill (xorshift). */
static void
fill(unsigned char *p, size_t n, uint32_t seed)
{
	uint32_t x = seed ? seed : 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (unsigned char)x;
	}
}

/* Plan new against old, join it as the Pi would, compare; the plan's
 * literal bytes returned. */
static uint64_t
roundtrip(const unsigned char *old, size_t olen, const unsigned char *nw,
	  size_t nlen, size_t block)
{
	struct delta_plan p;
	struct strbuf out = STRBUF_INIT;
	uint64_t lit;

	delta_plan_make(old, olen, nw, nlen, block, &p);
	assert_int_equal(delta_plan_join(&p, old, olen, &out), 0);
	assert_int_equal(out.len, nlen);
	if (nlen > 0)
		assert_memory_equal(out.buf, nw, nlen);
	/* the run form joins to the same bytes */
	strbuf_reset(&out);
	assert_int_equal(delta_plan_join_runs(&p, old, olen, &out), 0);
	assert_int_equal(out.len, nlen);
	if (nlen > 0)
		assert_memory_equal(out.buf, nw, nlen);
	assert_int_equal(p.lits.len, p.lit_bytes);
	lit = p.lit_bytes;
	strbuf_release(&out);
	delta_plan_release(&p);
	return lit;
}

static void
test_unchanged_sends_only_the_tail(void **state)
{
	size_t n = 200000;
	unsigned char *a = xmalloc(n);

	(void)state;
	fill(a, n, 7);
	/* every full block reused; only the short last one is literal */
	assert_int_equal(roundtrip(a, n, a, n, 1024), n % 1024);
	free(a);
}

static void
test_edits_in_place(void **state)
{
	size_t n = 300000;
	unsigned char *a = xmalloc(n), *b = xmalloc(n);
	uint64_t lit;

	(void)state;
	fill(a, n, 11);
	memcpy(b, a, n);
	for (size_t i = 5000; i < n; i += 50000)
		b[i] ^= 0x5a;		/* six edits: six blocks change */
	lit = roundtrip(a, n, b, n, 1024);
	assert_true(lit <= 6 * 1024 + n % 1024);
	assert_true(lit >= 6 * 1024);
	free(a);
	free(b);
}

static void
test_insertion_shifts_the_rest(void **state)
{
	size_t n = 300000, ins = 37;
	unsigned char *a = xmalloc(n), *b = xmalloc(n + ins);
	uint64_t lit;

	(void)state;
	fill(a, n, 3);
	memcpy(b, a, 100000);
	fill(b + 100000, ins, 99);
	memcpy(b + 100000 + ins, a + 100000, n - 100000);
	lit = roundtrip(a, n, b, n + ins, 1024);
	/* the block around the insertion, and the tail: everything after
	 * it is found at its new offset */
	assert_true(lit < 3 * 1024 + ins);
	/* a deletion, too */
	lit = roundtrip(b, n + ins, a, n, 1024);
	assert_true(lit < 3 * 1024);
	free(a);
	free(b);
}

static void
test_moved_and_shorter_and_empty(void **state)
{
	size_t n = 64 * 1024;
	unsigned char *a = xmalloc(n), *b = xmalloc(n);

	(void)state;
	fill(a, n, 5);
	/* halves swapped: all blocks reused */
	memcpy(b, a + n / 2, n / 2);
	memcpy(b + n / 2, a, n / 2);
	assert_int_equal(roundtrip(a, n, b, n, 1024), 0);
	/* a prefix */
	assert_int_equal(roundtrip(a, n, a, n / 3, 1024), (n / 3) % 1024);
	/* empty new or old, new shorter than a block, unrelated data */
	assert_int_equal(roundtrip(a, n, a, 0, 1024), 0);
	assert_int_equal(roundtrip(a, 0, a, n, 1024), n);
	assert_int_equal(roundtrip(a, n, a + 10, 500, 1024), 500);
	fill(b, n, 77);
	assert_int_equal(roundtrip(a, n, b, n, 1024), n);
	/* repeated blocks (zeros) in both */
	memset(a, 0, n);
	memset(b, 0, n);
	b[n / 2] = 1;
	assert_true(roundtrip(a, n, b, n, 1024) <= 2048);
	free(a);
	free(b);
}

static void
test_block_names_and_sizes(void **state)
{
	char name[16];
	struct delta_plan p;
	unsigned char z[4] = { 0 };

	(void)state;
	delta_block_name(0, 2, name);
	assert_string_equal(name, "oaa");
	delta_block_name(27, 2, name);
	assert_string_equal(name, "obb");
	delta_block_name(26 * 26, 3, name);
	assert_string_equal(name, "obaa");
	assert_int_equal(delta_block_size(10u << 20), 16384);
	assert_int_equal(delta_block_size(16384u * 1024), 16384);
	assert_int_equal(delta_block_size(16384u * 1024 + 1), 32768);
	assert_int_equal(delta_block_size(100u << 20), 131072);
	/* the suffix fits the block count, as split needs */
	delta_plan_make(z, sizeof(z), z, sizeof(z), 1, &p);
	assert_int_equal(p.suffix, 2);
	delta_plan_release(&p);
}

static void
test_pack_reads_back(void **state)
{
	size_t n = 100000;
	unsigned char *a = xmalloc(n), *b = xmalloc(n);
	struct delta_plan p;
	struct strbuf s = STRBUF_INIT;
	struct archive *ar;
	struct archive_entry *e;
	size_t seen = 0, lits = 0;
	char err[128];

	(void)state;
	fill(a, n, 9);
	memcpy(b, a, n);
	b[100] ^= 1;
	b[70000] ^= 1;
	delta_plan_make(a, n, b, n, 1024, &p);
	assert_int_equal(p.nlits, 3);	/* two edits and the short tail */
	assert_int_equal(delta_pack(&p, false, NULL, &s, err, sizeof(err)), 0);
	assert_true(s.len > 18);
	assert_int_equal((unsigned char)s.buf[0], 0x1f);	/* gzip */
	assert_int_equal((unsigned char)s.buf[1], 0x8b);
	ar = archive_read_new();
	archive_read_support_filter_gzip(ar);
	archive_read_support_format_tar(ar);
	assert_int_equal(archive_read_open_memory(ar, s.buf, s.len),
			 ARCHIVE_OK);
	while (archive_read_next_header(ar, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		size_t sz = (size_t)archive_entry_size(e);
		char *buf = xmalloc(sz + 1);

		assert_int_equal(archive_read_data(ar, buf, sz), (ssize_t)sz);
		if (seen == 0) {
			assert_string_equal(name, "list");
			assert_int_equal(sz, p.list.len);
			assert_memory_equal(buf, p.list.buf, sz);
		} else {
			char want[32];

			snprintf(want, sizeof(want), "p%zu", seen - 1);
			assert_string_equal(name, want);
			assert_int_equal(sz, p.lit_len[seen - 1]);
			assert_memory_equal(buf, p.lits.buf + lits, sz);
			lits += sz;
		}
		seen++;
		free(buf);
	}
	assert_int_equal(seen, 1 + p.nlits);
	archive_read_free(ar);
	strbuf_release(&s);
	delta_plan_release(&p);
	free(a);
	free(b);
}

/* Two edits in place: the blocks around them are three runs, and the run
 * form packs as the list; a Pi joins that with six programs rather than
 * split's 195 files. */
static void
test_runs_of_blocks(void **state)
{
	size_t n = 200000;
	unsigned char *a = xmalloc(n), *b = xmalloc(n);
	struct delta_plan p;
	struct strbuf s = STRBUF_INIT, out = STRBUF_INIT;
	struct archive *ar;
	struct archive_entry *e;
	char err[128], *buf;
	size_t sz;

	(void)state;
	fill(a, n, 11);
	memcpy(b, a, n);
	b[5000] ^= 1;	/* in block 4 */
	b[70000] ^= 1;	/* in block 68 */
	delta_plan_make(a, n, b, n, 1024, &p);
	assert_int_equal(p.nruns, 3);
	assert_int_equal(p.nlits, 3);	/* two edits and the short tail */
	assert_string_equal(p.runs.buf,
			    "o 0 4\np0\no 5 63\np1\no 69 126\np2\n");
	assert_int_equal(delta_plan_join_runs(&p, a, n, &out), 0);
	assert_int_equal(out.len, n);
	assert_memory_equal(out.buf, b, n);
	/* 6 programs cost less than 195 files; with a file of 20 blocks
	 * they do not */
	assert_true(delta_by_runs(&p, n));
	assert_false(delta_by_runs(&p, 20 * 1024));
	assert_int_equal(delta_pack(&p, true, NULL, &s, err, sizeof(err)), 0);
	ar = archive_read_new();
	archive_read_support_filter_gzip(ar);
	archive_read_support_format_tar(ar);
	assert_int_equal(archive_read_open_memory(ar, s.buf, s.len),
			 ARCHIVE_OK);
	assert_int_equal(archive_read_next_header(ar, &e), ARCHIVE_OK);
	assert_string_equal(archive_entry_pathname(e), "list");
	sz = (size_t)archive_entry_size(e);
	buf = xmalloc(sz + 1);
	assert_int_equal(archive_read_data(ar, buf, sz), (ssize_t)sz);
	assert_int_equal(sz, p.runs.len);
	assert_memory_equal(buf, p.runs.buf, sz);
	free(buf);
	archive_read_free(ar);
	strbuf_release(&s);
	strbuf_release(&out);
	delta_plan_release(&p);
	free(a);
	free(b);
}

/* A run of fewer than DELTA_RUN_MIN blocks between two edits is sent as
 * new bytes with them: one program fewer on the Pi for each. */
static void
test_short_run_goes_as_bytes(void **state)
{
	size_t n = 100 * 1024 + 500;
	unsigned char *a = xmalloc(n), *b = xmalloc(n);
	struct delta_plan p;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	fill(a, n, 13);
	memcpy(b, a, n);
	b[10 * 1024 + 5] ^= 1;	/* blocks 10 and 12 change, 11 not */
	b[12 * 1024 + 5] ^= 1;
	delta_plan_make(a, n, b, n, 1024, &p);
	/* as found: three runs, three pieces */
	assert_string_equal(p.runs.buf,
			    "o 0 10\np0\no 11 1\np1\no 13 87\np2\n");
	assert_int_equal(p.ncopy, 98);
	delta_plan_merge_runs(&p, b, n, DELTA_RUN_MIN);
	assert_string_equal(p.runs.buf, "o 0 10\np0\no 13 87\np1\n");
	assert_int_equal(p.nlits, 2);
	assert_int_equal(p.lit_len[0], 3 * 1024);
	assert_int_equal(p.lit_len[1], 500);
	assert_int_equal(p.ncopy, 97);
	assert_int_equal(delta_plan_join_runs(&p, a, n, &out), 0);
	assert_int_equal(out.len, n);
	assert_memory_equal(out.buf, b, n);
	strbuf_reset(&out);
	assert_int_equal(delta_plan_join(&p, a, n, &out), 0);
	assert_memory_equal(out.buf, b, n);
	strbuf_release(&out);
	delta_plan_release(&p);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_of_blocks),
		cmocka_unit_test(test_short_run_goes_as_bytes),
		cmocka_unit_test(test_unchanged_sends_only_the_tail),
		cmocka_unit_test(test_edits_in_place),
		cmocka_unit_test(test_insertion_shifts_the_rest),
		cmocka_unit_test(test_moved_and_shorter_and_empty),
		cmocka_unit_test(test_block_names_and_sizes),
		cmocka_unit_test(test_pack_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
