#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# toml-fuzz.sh - a short libFuzzer run of the toml module (parse, serialise,
# compare bytes, re-parse, edit). Skipped under valgrind or the sanitizer
# build (the fuzzer carries its own ASan+UBSan) and when clang's libFuzzer
# is missing. RPX_FUZZ_SECONDS sets the time (default 15).
. "$RPX_TOP/tests/lib.sh"
: "${RPX_BUILD:=$RPX_TOP/build}"
secs=${RPX_FUZZ_SECONDS:-15}

t_begin "toml fuzzer runs ${secs}s without a finding"
probe="$T_TMP/probe.c"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe"
if [ -n "$RPX_WRAP" ] || [ "${RPX_SANITIZED:-0}" = 1 ]; then
	t_skip "not under valgrind or the sanitizer build"
elif ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	t_skip "clang not installed"
elif ! "${FUZZ_CC:-clang}" -fsanitize=fuzzer -o "$T_TMP/probe" "$probe" \
	>/dev/null 2>&1; then
	t_skip "clang has no libFuzzer (libclang-rt-dev)"
else
	make --no-print-directory -s -C "$RPX_TOP" BUILD="$RPX_BUILD" \
		fuzz-build >"$out" 2>"$err" || t_fail "cannot build the fuzzer"
	if [ "$T_BAD" -eq 0 ]; then
		sh "$RPX_TOP/fuzz/run.sh" "$RPX_BUILD" "$secs" >"$out" 2>"$err"
		rc=$?
		cat "$out"
		expect_rc 0 && expect_out 'Done '
	fi
	t_end
fi
t_done
