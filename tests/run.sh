#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# run.sh BUILD_DIR - run every test against the binaries in BUILD_DIR:
#   1. each cmocka unit test binary BUILD_DIR/tests/*_test
#   2. each suite script tests/suite/*.sh (command line, toolchains, SSH...)
# RPX_WRAP (e.g. "valgrind ...") prefixes every run of a project binary.
# Prints a closing line "N passed, N failed, N skipped"; exit 1 on failure.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export RPX_BUILD="$top/$build"
export RPX_BIN="$RPX_BUILD/rpi-cross"
export RPX_TOP="$top"
: "${RPX_WRAP:=}"
export RPX_WRAP

passed=0 failed=0 skipped=0
failures=

echo "== unit tests ($build)"
for t in "$RPX_BUILD"/tests/*_test; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	log="$RPX_BUILD/tests/$name.log"
	# shellcheck disable=SC2086
	if $RPX_WRAP "$t" >"$log" 2>&1; then
		n=$(grep -c '^\[       OK \]' "$log")
		passed=$((passed + n))
		echo "ok   $name ($n tests)"
	else
		n=$(grep -c '^\[  FAILED  \]' "$log")
		[ "$n" -gt 0 ] || n=1
		failed=$((failed + n))
		failures="$failures $name"
		echo "FAIL $name"
		sed 's/^/    /' "$log" | tail -n 40
	fi
done

for s in tests/suite/*.sh; do
	[ -f "$s" ] || continue
	name=$(basename "$s" .sh)
	echo "== suite $name ($build)"
	log="$RPX_BUILD/tests/suite-$name.log"
	mkdir -p "$RPX_BUILD/tests"
	sh "$s" >"$log" 2>&1
	rc=$?
	cat "$log"
	# the suite's own closing line: "N passed, N failed, N skipped"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
		f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
		k=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + ${k:-0}))
	fi
	if [ $rc -ne 0 ]; then
		[ -n "$line" ] && [ "${f:-0}" -gt 0 ] || failed=$((failed + 1))
		failures="$failures $name"
	fi
done

echo
[ -n "$failures" ] && echo "failing:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
