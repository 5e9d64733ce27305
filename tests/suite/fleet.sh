#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# fleet.sh - `rpi-cross test --host a,b,c` on several simulated Pis at
# once, with Debian's Rust and the cross gcc: one build a distinct target
# (two Pi 4s share one, a 64-bit Pi 5 needs its own), the others reuse it
# (BUILD's line says "reused" and whose build it is), every board proven,
# an unreachable Pi does not stop the others, a summary and the worst
# status, nothing left in TMPDIR. Two sshd serve the same Pi 4 userland,
# one the Pi 5 (tests/sim/pi.sh); every sshd started is stopped at exit.
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"
. "$RPX_TOP/tests/rustsim.sh"

ARMV7=armv7-unknown-linux-gnueabihf
A64=aarch64-unknown-linux-gnu

cleanup() { sim_rm_cached rpi-cross-hello; }
t_on_exit cleanup

skip_all() {
	t_begin "fleet suite (rpi-cross test on several simulated Pis)"
	t_skip "$1"
	t_done
	exit 0
}

rustsim_setup pi4 pi5

c config set --global --yes "target.$ARMV7.linker=arm-linux-gnueabihf-gcc" \
	"target.$A64.linker=aarch64-linux-gnu-gcc"
[ "$rc" -eq 0 ] || skip_all "rpi-cross config set failed: $(cat "$err")"

start_pi s4a pi4
RA="pi@127.0.0.1:$PORT"
start_pi s4b pi4
RB="pi@127.0.0.1:$PORT"
start_pi s5 pi5
R5="pi@127.0.0.1:$PORT"
# a closed port: the unreachable Pi
down=$(( 20000 + ($$ + 11) % 10000 ))
while ss -ltnH "sport = :$down" 2>/dev/null | grep -q .; do down=$((down + 1)); done
RDOWN="pi@127.0.0.1:$down"
SSHO="--timeout $TO --accept-new-host-key"

no_leftover() {
	left=$(ls -A "$W/tmp")
	[ -z "$left" ] || t_fail "left in TMPDIR: $left"
}

# builds NAME: how many BUILD lines on stdout built (NAME=made) or reused
# (NAME=reused) a program
builds() {
	if [ "$1" = reused ]; then
		grep -c "| [^ ]* Build .*, reused: built once for this target" "$out"
	else
		grep "| [^ ]* Build " "$out" | grep -vc "reused"
	fi
}

t_begin "test --host pi4,pi4,pi5: two builds (armv7, aarch64), the second Pi 4 reuses the first's, each board proven"
c test --host "$RA,$RB,$R5" $SSHO
expect_rc 0 && expect_err "test on 3 Pis:"
[ "$(builds made)" -eq 2 ] || t_fail "expected 2 builds, saw $(builds made)"
[ "$(builds reused)" -eq 1 ] || t_fail "expected 1 reused build, saw $(builds reused)"
# the reuse is the Pi 4's, of the other Pi 4's build
grep -Eq "^($RA|$RB) \| [^ ]* Build .*\(release, $ARMV7\), reused: built once for this target, in the test of ($RA|$RB)$" "$out" ||
	t_fail "no Pi 4 reusing the other Pi 4's build"
grep -Eq "^$R5 \| [^ ]* Build .*rpi-cross-hello \(release, $A64\)$" "$out" ||
	t_fail "the Pi 5 did not build its own aarch64 program"
for h in "$RA" "$RB"; do
	grep -q "^$h | It works: the $ARMV7 program .* ran on .*(Raspberry Pi 4" "$out" ||
		t_fail "no verdict 'It works' from $h"
	grep -Eq "^  $h +0 +[0-9.]+ s  ok$" "$err" || t_fail "no summary line 'ok' for $h"
done
grep -q "^$R5 | It works: the $A64 program .* ran on .*(Raspberry Pi 5" "$out" ||
	t_fail "no verdict 'It works' from the Pi 5"
grep -Eq "^  $R5 +0 +[0-9.]+ s  ok$" "$err" || t_fail "no summary line 'ok' for $R5"
no_leftover
t_end

t_begin "test --host a,b,down --target: one build for all three, the unreachable Pi fails alone, worst status 1"
c test --host "$RA,$RDOWN,$RB" --target $ARMV7 $SSHO
expect_rc 1 && expect_err "test on 3 Pis:"
[ "$(builds made)" -eq 1 ] || t_fail "expected 1 build, saw $(builds made)"
[ "$(builds reused)" -eq 2 ] || t_fail "expected 2 reused builds, saw $(builds reused)"
grep -q "^$RDOWN | rpi-cross: error: the test failed at the connect step (connect)" "$err" ||
	t_fail "no connect failure from $RDOWN"
for h in "$RA" "$RB"; do
	grep -q "^$h | It works: the $ARMV7 program" "$out" ||
		t_fail "no verdict 'It works' from $h"
	grep -Eq "^  $h +0 +[0-9.]+ s  ok$" "$err" || t_fail "no summary line 'ok' for $h"
done
grep -Eq "^  $RDOWN +1 +[0-9.]+ s  failed$" "$err" || t_fail "no summary line 1 for $RDOWN"
no_leftover
t_end

t_done
