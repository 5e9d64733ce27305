#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# bench.sh BUILD_DIR - run every benchmark in tests/bench/*.sh. Each prints
# its figures (and ratios against the obvious alternative); nothing here
# is a pass/fail assertion.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
export RPX_BUILD="$top/$build" RPX_BIN="$top/$build/rpi-cross" RPX_TOP="$top"
for b in "$top"/tests/bench/*.sh; do
	[ -f "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || echo "(benchmark $(basename "$b") failed: exit $?)"
	echo
done
