#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# run.sh BUILD_DIR SECONDS - run the toml fuzzer for SECONDS with a seed
# corpus made of the toml-test valid cases (when found) and the regression
# inputs. A crash is copied into tests/toml/regress/ so that the test
# suites replay it from then on; the exit status is then 1.
set -u
build=$1
secs=$2
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/fuzz/toml_fuzz"
seed="$build/fuzz/seed"
corpus="$build/fuzz/corpus"
art="$build/fuzz/artifacts"
mkdir -p "$seed" "$corpus" "$art"
for d in "${RPX_TOML_TEST:-}" "$top/../shared/toml-test" "$top/../../shared/toml-test"; do
	if [ -n "$d" ] && [ -f "$d/files" ]; then
		grep '^valid/.*\.toml$' "$d/files" | while read -r f; do
			cp "$d/$f" "$seed/$(echo "$f" | tr / _)"
		done
		break
	fi
done
cp "$top"/tests/toml/regress/* "$seed/" 2>/dev/null
echo "fuzzing for $secs s, seeds: $(ls "$seed" | wc -l)"
"$bin" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=1024 \
	-print_final_stats=1 -artifact_prefix="$art/" "$corpus" "$seed" \
	>"$build/fuzz/log" 2>&1
rc=$?
grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|toml_fuzz:' "$build/fuzz/log"
if [ $rc -ne 0 ]; then
	for a in "$art"/*; do
		[ -f "$a" ] || continue
		cp "$a" "$top/tests/toml/regress/fuzz-$(basename "$a")"
		echo "kept $(basename "$a") in tests/toml/regress/"
	done
	tail -n 40 "$build/fuzz/log"
	exit 1
fi
exit 0
