# SPDX-License-Identifier: MIT OR Apache-2.0
# lib.sh - helpers for the shell test suites (sourced, POSIX sh).
#
#   . "$RPX_TOP/tests/lib.sh"
#   t_begin "boards lists the Pi 4"
#   rpx boards                # runs $RPX_WRAP $RPX_BIN; sets $rc, $out, $err files
#   expect_rc 0; expect_out 'pi4 '
#   t_end                     # (or: expect_rc 0 && expect_out 'pi4 ' && t_pass)
#   ...
#   t_done                    # prints "N passed, N failed, N skipped"
#
# Each check prints why it failed and returns 1. A failing check (t_fail)
# counts its test as failed at once, once per test, whichever way the test
# is closed (t_end, t_pass, or not at all) and even from a subshell: the
# failure is written down in $T_TMP. t_end and t_pass record a pass only
# when no check of the current test failed.
#
# Cleanup: lib.sh removes $T_TMP at exit (also on INT, TERM, HUP); a suite
# or library adds its own steps with t_on_exit CMD (run before, newest
# first), e.g. simlib.sh stops the simulated Pis' servers.
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RPX_BIN:=$RPX_TOP/build/rpi-cross}"
: "${RPX_WRAP:=}"
# Resolve the wrapper (e.g. valgrind) now, so tests may change PATH.
if [ -n "$RPX_WRAP" ]; then
	_w=${RPX_WRAP%% *}
	_wp=$(command -v "$_w" 2>/dev/null) && RPX_WRAP="$_wp${RPX_WRAP#"$_w"}"
fi
# A kept connection's master outlives the command that made it; the
# suites test the direct connection, tests/suite/keep.sh the kept one
# (it clears this). RPX_TEST_KEEP=1 runs a suite through kept
# connections instead (their masters end after RPI_CROSS_KEEP_TIME).
if [ -z "${RPX_TEST_KEEP:-}" ]; then
	RPI_CROSS_NO_KEEP=1
	export RPI_CROSS_NO_KEEP
fi
T_PASS=0
T_FAIL=0
T_SKIP=0
T_NAME=
T_SEQ=0
T_BAD=0
T_CLEANUP=
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/rpx-test.XXXXXX")
T_FAILED="$T_TMP/.failed-tests"	# one line per failing check: its test's number
out="$T_TMP/out"
err="$T_TMP/err"
rc=0
: >"$T_FAILED"; : >"$out"; : >"$err"

# t_on_exit CMD: run CMD at exit, before $T_TMP goes (newest first).
t_on_exit() { T_CLEANUP="$1${T_CLEANUP:+; $T_CLEANUP}"; }
t_cleanup() {
	trap - EXIT
	eval "$T_CLEANUP"
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT
trap 'exit 1' INT TERM HUP

t_begin() { T_NAME=$1; T_SEQ=$((T_SEQ + 1)); T_BAD=0; }
t_fail() {
	T_BAD=1
	echo "$T_SEQ" >>"$T_FAILED"
	echo "not ok - $T_NAME: $*"
	echo "  --- stdout:"; sed 's/^/  | /' "$out" | head -n 20
	echo "  --- stderr:"; sed 's/^/  | /' "$err" | head -n 20
	return 1
}
# t_failed: did a check of the current test fail (here or in a subshell)?
t_failed() { [ "$T_BAD" -ne 0 ] || grep -qx "$T_SEQ" "$T_FAILED"; }
t_pass() {
	if ! t_failed; then
		T_PASS=$((T_PASS + 1)); echo "ok - $T_NAME"
	fi
}
# t_end: close a test whose checks may have failed (they are counted
# already, by t_fail).
t_end() { t_pass; }
t_skip() { T_SKIP=$((T_SKIP + 1)); echo "skip - $T_NAME: $*"; }
t_done() {
	T_FAIL=$(sort -u "$T_FAILED" | wc -l | tr -d ' ')
	echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	[ "$T_FAIL" -eq 0 ]
}

# rpx ARGS...: run the program under test (stdin from /dev/null).
rpx() {
	# shellcheck disable=SC2086
	$RPX_WRAP "$RPX_BIN" "$@" </dev/null >"$out" 2>"$err"
	rc=$?
}
# rpx_env VAR=VAL... -- ARGS...: the same with extra environment.
rpx_env() {
	_envs=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do _envs="$_envs $1"; shift; done
	shift
	# shellcheck disable=SC2086
	env $_envs $RPX_WRAP "$RPX_BIN" "$@" </dev/null >"$out" 2>"$err"
	rc=$?
}

expect_rc() { [ "$rc" -eq "$1" ] || t_fail "exit status $rc, expected $1"; }
expect_out() { grep -qF -- "$1" "$out" || t_fail "stdout lacks '$1'"; }
expect_err() { grep -qF -- "$1" "$err" || t_fail "stderr lacks '$1'"; }
expect_no_out() { ! grep -qF -- "$1" "$out" || t_fail "stdout has '$1'"; }
expect_empty_out() { [ ! -s "$out" ] || t_fail "stdout not empty"; }
expect_empty_err() { [ ! -s "$err" ] || t_fail "stderr not empty"; }
# expect_json PYTHON_EXPR: stdout parses as JSON and the expression on it
# (bound to d) is true.
expect_json() {
	/usr/bin/env python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$out" "$1" 2>>"$err" ||
		t_fail "JSON check failed: $1"
}
