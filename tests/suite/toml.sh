#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# toml.sh - the TOML engine against the toml-test conformance cases
# (decode by value, reject with file:line:col, byte-exact round trip),
# edits checked by Python's tomllib, and the fuzzer's regression inputs.
# Under valgrind (RPX_WRAP set) only every 10th toml-test case and 30
# random edit cases (instead of 300) run.
. "$RPX_TOP/tests/lib.sh"
: "${RPX_BUILD:=$RPX_TOP/build}"

corpus=
for d in "${RPX_TOML_TEST:-}" "$RPX_TOP/../shared/toml-test" \
	"$RPX_TOP/../../shared/toml-test"; do
	if [ -n "$d" ] && [ -f "$d/files" ]; then corpus=$d; break; fi
done
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
subset=1
if [ -n "$RPX_WRAP" ]; then
	subset=10
	echo "# valgrind run: toml-test on every ${subset}th case only, 30 random edit cases"
fi

# run_py NAME SCRIPT ARGS...: one test whose checks are a Python script
run_py() {
	t_begin "$1"
	shift
	# shellcheck disable=SC2086
	RPX_TOML_SUBSET=$subset "$py" "$@" $RPX_WRAP >"$out" 2>"$err"
	rc=$?
	grep -E '^(FAIL|[a-z-]+: [0-9]+/[0-9]+ passed)' "$out" | head -n 40
	expect_rc 0
	t_end
}

if [ -z "$corpus" ]; then
	t_begin "toml-test conformance cases"
	t_skip "toml-test folder not found (set RPX_TOML_TEST)"
else
	run_py "toml-test valid cases decode to the expected values" \
		"$RPX_TOP/tests/toml/toml_test.py" valid "$corpus" "$RPX_BUILD"
	run_py "toml-test invalid cases are rejected with file:line:col" \
		"$RPX_TOP/tests/toml/toml_test.py" invalid "$corpus" "$RPX_BUILD"
	run_py "toml-test valid cases round-trip byte for byte" \
		"$RPX_TOP/tests/toml/toml_test.py" roundtrip "$corpus" "$RPX_BUILD"
fi

if "$py" -c 'import tomllib' 2>/dev/null; then
	run_py "edits of Cargo configs read back by tomllib" \
		"$RPX_TOP/tests/toml/edit_scenarios.py" "$RPX_BUILD"
	nrand=300
	[ -n "$RPX_WRAP" ] && nrand=30
	run_py "$nrand random documents with random edits, judged by tomllib" \
		"$RPX_TOP/tests/toml/edit_random.py" "$RPX_BUILD" "$nrand" 1
else
	t_begin "edits of Cargo configs read back by tomllib"
	t_skip "python3 without tomllib"
fi

# decode NAME FILE: run the decoder on FILE, setting rc/out/err
decode() {
	# shellcheck disable=SC2086
	$RPX_WRAP "$RPX_BUILD/toml-decoder" "$1" <"$2" >"$out" 2>"$err"
	rc=$?
}
in="$T_TMP/in.toml"

t_begin "error column counts characters, not bytes"
printf 'a = "\303\251\303\251" x\n' >"$in"
decode cfg.toml "$in"
expect_rc 1 && expect_err 'cfg.toml:1:10: expected end of line after value'
t_end

t_begin "invalid UTF-8 reported at its line and column"
printf 'a = 1\nb = "\300\257"\n' >"$in"
decode cfg.toml "$in"
expect_rc 1 && expect_err 'cfg.toml:2:6: invalid utf-8 byte 0xC0'
t_end

t_begin "nesting depth is bounded (100000 open brackets)"
"$py" -c 'print("a = " + "[" * 100000)' >"$in"
decode deep.toml "$in"
expect_rc 1 && expect_err 'nested deeper than 100'
t_end

t_begin "fuzzer regression inputs: no crash, a clean answer"
n=0
for f in "$RPX_TOP"/tests/toml/regress/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	decode "$(basename "$f")" "$f"
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		t_fail "$(basename "$f"): exit $rc"
	fi
	# shellcheck disable=SC2086
	$RPX_WRAP "$RPX_BUILD/toml-edit" "$f" >"$out" 2>"$err"
	rc=$?
	if [ "$rc" -eq 0 ] && ! cmp -s "$f" "$out"; then
		t_fail "$(basename "$f"): round trip differs"
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		t_fail "$(basename "$f"): toml-edit exit $rc"
	fi
done
echo "# $n regression inputs"
[ "$n" -gt 0 ] || t_fail "no regression inputs in tests/toml/regress"
t_end

t_done
