#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# cli.sh - start-up cost of the listing commands (hyperfine when present).
set -u
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 3 --runs 30 --style basic \
		"$RPX_BIN boards --json" "$RPX_BIN --version" 2>&1 |
		grep -E 'Benchmark|Time|±'
else
	echo "hyperfine not installed: timing 100 runs with the shell"
	start=$(date +%s%N 2>/dev/null || date +%s)
	i=0; while [ $i -lt 100 ]; do "$RPX_BIN" boards --json >/dev/null; i=$((i + 1)); done
	end=$(date +%s%N 2>/dev/null || date +%s)
	echo "boards --json: $(( (end - start) / 100000 )) us per run"
fi
