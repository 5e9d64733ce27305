/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * hash-bench.c - how fast hash.h's SHA-256 goes over a file, the digest
 * the upload compares with the Pi's sha256sum: hash-bench FILE [ROUNDS]
 * reads FILE into memory once, hashes it ROUNDS times (default 5) in the
 * upload's 1 MB pieces and prints the digest and the best MB/s.
 * Used by tests/bench/hash.sh.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fsutil.h"
#include "hash.h"
#include "rpx.h"

int
main(int argc, char **argv)
{
	const size_t piece = 1 << 20;
	char *data = NULL, hex[65];
	size_t n = 0;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	double best = 0;

	if (argc < 2 || rounds < 1) {
		fprintf(stderr, "usage: hash-bench FILE [ROUNDS]\n");
		return 2;
	}
	if (fsutil_read_file(argv[1], &data, &n) != 0) {
		fprintf(stderr, "hash-bench: cannot read %s\n", argv[1]);
		return 1;
	}
	for (int r = 0; r < rounds; r++) {
		long long t0 = rpx_now_ms(), ms;
		struct sha256 c;
		unsigned char d[32];

		sha256_init(&c);
		for (size_t o = 0; o < n; o += piece)
			sha256_update(&c, data + o, n - o < piece ? n - o : piece);
		sha256_final(&c, d);
		hash_hex(d, 32, hex);
		ms = rpx_now_ms() - t0;
		if (ms < 1)
			ms = 1;
		if ((double)n / 1e6 / ((double)ms / 1e3) > best)
			best = (double)n / 1e6 / ((double)ms / 1e3);
	}
	printf("%s  %.0f MB/s\n", hex, best);
	free(data);
	return 0;
}
