#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# hash.sh - SHA-256 speed over a 64 MB file, the upload's content hash
# (hash.h, done by libcrypto), next to coreutils' sha256sum for scale.
# HASH_BENCH_OTHER=PROGRAM adds another build of tools/hash-bench.c (for
# example one linked with an older hash.c) to compare against.
# Prints figures; asserts nothing but that the digests agree.
set -u
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RPX_BUILD:=$RPX_TOP/build}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpx-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

head -c 67108864 /dev/urandom >"$tmp/blob" || exit 1
want=$(sha256sum <"$tmp/blob" | cut -c1-64)
for prog in "$RPX_BUILD/hash-bench" ${HASH_BENCH_OTHER:-}; do
	out=$("$prog" "$tmp/blob" 5) || { echo "$prog failed"; exit 1; }
	case $out in
	"$want "*) ;;
	*) echo "$prog: wrong digest: $out"; exit 1 ;;
	esac
	printf '%-40s %s\n' "$(basename "$(dirname "$prog")")/$(basename "$prog")" \
		"${out#* }"
done
t0=$(date +%s%N)
sha256sum <"$tmp/blob" >/dev/null
t1=$(date +%s%N)
printf '%-40s %s MB/s\n' "sha256sum (coreutils)" \
	$((67108864000 / (t1 - t0 + 1)))
