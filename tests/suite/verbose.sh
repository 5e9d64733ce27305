#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# verbose.sh - -v/--verbose: -v shows every program rpi-cross runs and
# every SSH step, -vv libssh's own log too, -q none of it; on local
# commands (the rustc runs of targets, the linker probes of linkers) and
# against a simulated Pi (tests/sim/pi.sh: real OpenSSH in front of an
# ARM chroot) for detect and run.
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"

# how many lines of err start with TEXT
count() { grep -c -- "^$1" "$err"; }

t_begin "-v on a local command shows each rustc run, as a shell line"
if command -v rustc >/dev/null 2>&1; then
	rpx -v targets; expect_rc 0
	expect_err "rpi-cross: run: "
	grep -q "^rpi-cross: run: .*rustc -vV$" "$err" || t_fail "no 'rustc -vV' line"
	expect_no_out "rpi-cross: run:"
	# as --verbose after the command
	rpx targets --verbose; expect_rc 0; expect_err "rpi-cross: run: "
	# -q alone: none
	rpx -q targets; expect_rc 0
	[ "$(count 'rpi-cross: run:')" -eq 0 ] || t_fail "run lines with -q"
	t_end
else
	t_skip "no rustc"
fi

t_begin "-v shows the linker probes: the compiler, its arguments, TMPDIR"
if [ -n "$RPX_WRAP" ]; then
	# a whole probe scan under valgrind takes minutes; the plain and
	# ASan runs cover it, and targets above the same trace code
	t_skip "not under a wrapper such as valgrind (the plain and ASan runs cover it)"
elif command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
	rpx linkers -v --target aarch64-unknown-linux-gnu; expect_rc 0
	grep -q "^rpi-cross: run: TMPDIR=[^ ]* [^ ]*aarch64-linux-gnu-gcc .*hello.c -o " "$err" ||
		t_fail "no probe line for aarch64-linux-gnu-gcc"
	# stdout is the report as ever, without a trace line
	expect_no_out "rpi-cross: run:"
	expect_out "Recommended: "
	t_end
else
	t_skip "no aarch64-linux-gnu-gcc"
fi

t_begin "-v and -vv are in every command's --help; -v takes no value"
for c in setup boards targets linkers cpus detect config run test check doctor; do
	rpx "$c" --help
	grep -q -- "-v, --verbose" "$out" || t_fail "$c --help lacks --verbose"
done
rpx --help; expect_out "-v, --verbose"
rpx boards --verbose=2; expect_rc 2; expect_err "option '--verbose' takes no value"
rpx -vvx boards; expect_rc 2; expect_err "unknown option '-vvx'"
t_end

out_setup=$(sim_prepare pi4) || {
	t_begin "-v against a simulated Pi"
	t_skip "$out_setup"
	t_done; exit 0
}
sim_client
start_pi s4 pi4
P4=$PORT
c() { rpx_env HOME="$HOME_C" -- "$@"; }

t_begin "detect -v: connect, the login methods, the exec lines; no libssh log"
c -v detect "pi@127.0.0.1:$P4" --timeout "$TO" --accept-new-host-key
expect_rc 0
expect_out "Raspberry Pi 4"
expect_err "rpi-cross: ssh: connecting to pi@127.0.0.1:$P4 (timeout $TO s)"
expect_err "rpi-cross: ssh: login as 'pi': trying method none"
expect_err "rpi-cross: ssh: the server offers: "
expect_err "rpi-cross: ssh: trying publickey"
expect_err "rpi-cross: ssh: logged in to pi@127.0.0.1:$P4"
expect_err "rpi-cross: ssh: exec: "
[ "$(count 'rpi-cross: libssh:')" -eq 0 ] || t_fail "libssh lines with one -v"
t_end

t_begin "detect -vv: libssh's own log as well"
c -vv detect "pi@127.0.0.1:$P4" --timeout "$TO"
expect_rc 0
expect_err "rpi-cross: ssh: connecting to pi@127.0.0.1:$P4"
[ "$(count 'rpi-cross: libssh: ')" -gt 3 ] || t_fail "few or no libssh lines"
# libssh's lines name its function, then its text
grep -q "^rpi-cross: libssh: [a-z_]*: ." "$err" || t_fail "no 'libssh: FUNCTION: TEXT' line"
# the same as options after the command
c detect "pi@127.0.0.1:$P4" --timeout "$TO" -v -v
expect_rc 0
[ "$(count 'rpi-cross: libssh: ')" -gt 3 ] || t_fail "-v -v after the command: no libssh lines"
t_end

t_begin "detect -q and plain: no ssh or libssh line"
c -q detect "pi@127.0.0.1:$P4" --timeout "$TO"
expect_rc 0; expect_out "Raspberry Pi 4"
[ "$(count 'rpi-cross: ssh:')" -eq 0 ] || t_fail "ssh lines with -q"
[ "$(count 'rpi-cross: libssh:')" -eq 0 ] || t_fail "libssh lines with -q"
c detect "pi@127.0.0.1:$P4" --timeout "$TO"
expect_rc 0
[ "$(count 'rpi-cross: ssh:')" -eq 0 ] || t_fail "ssh lines without -v"
t_end

t_begin "run -v: the upload and the program's command line over SSH"
if command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1; then
	printf '#include <stdio.h>\nint main(int c, char **v) { printf("hi %%s\\n", c > 1 ? v[1] : "-"); return 0; }\n' \
		>"$W/hi.c"
	arm-linux-gnueabihf-gcc -O1 -o "$W/hi-$$" "$W/hi.c" || t_fail "cannot build the test program"
	c -v run --host "pi@127.0.0.1:$P4" --timeout "$TO" "$W/hi-$$" there
	expect_rc 0; expect_out "hi there"
	expect_err "rpi-cross: ssh: connecting to pi@127.0.0.1:$P4"
	grep -q "^rpi-cross: ssh: exec: .*hi-$$" "$err" ||
		t_fail "no exec line naming the program"
	# its upload (SFTP beside the exec) and how it ended
	expect_err "rpi-cross: ssh: opening the sftp subsystem"
	grep -q "^rpi-cross: ssh: sftp: renaming it to .*hi-$$$" "$err" ||
		t_fail "no sftp line naming the program"
	expect_err "rpi-cross: ssh: exit status: 0"
	# the program's output is not mixed into stderr's trace
	expect_no_out "rpi-cross: ssh:"
	sim_rm_cached "hi-$$"
	t_end
else
	t_skip "no arm-linux-gnueabihf-gcc"
fi

t_begin "-v on a failed login says which methods were tried and why it failed"
# a key the Pi does not know: publickey refused
mkdir -p "$W/other/.ssh"
ssh-keygen -q -t ed25519 -N '' -f "$W/other/.ssh/id_ed25519"
cp "$HOME_C/.ssh/known_hosts" "$W/other/.ssh/known_hosts" 2>/dev/null
rpx_env HOME="$W/other" -- -v detect "pi@127.0.0.1:$P4" --timeout "$TO"
expect_rc 1
expect_err "rpi-cross: ssh: trying publickey"
expect_err "rpi-cross: ssh: cannot log in to"
t_end

t_done
