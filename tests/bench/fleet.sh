#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# fleet.sh - `rpi-cross run --host a,b,c` (three Pis at once: a child
# process a Pi, lines prefixed, a summary) against `rpi-cross run --host a`
# (one Pi), both with their kept connections, on simulated Pi 4s
# (tests/sim/pi.sh: three real sshd on loopback in front of the pi4-bench
# userland, ARM programs under qemu-user). Two cases: a repeat run of a
# program already on the Pis, and a new 10 MB build each run (uploaded
# to each Pi). The three sshd share one userland, so the three uploads of
# a new build land in one cache folder (each sends its own bytes). Prints
# medians and ratios; asserts nothing. Needs root (the simulation), the
# armhf cross gcc and hyperfine.
#
# Target: three Pis <= 1.3 x one Pi's time. The simulated Pis share this
# machine's CPU (real ones have their own), so a third column runs three
# one-Pi commands at once from the shell: what the fleet costs beyond
# that is its own.
set -u
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RPX_BIN:=$RPX_TOP/build/rpi-cross}"
. "$RPX_TOP/tests/benchlib.sh"
RUNS=${RPX_BENCH_RUNS:-10}

bench_need hyperfine arm-linux-gnueabihf-gcc
bench_pis pi4-bench

W=$(mktemp -d "${TMPDIR:-/tmp}/rpx-fleetb.XXXXXX")
chmod 755 "$W"
unset RPI_CROSS_NO_KEEP RPI_CROSS_HOST
CACHE="$ROOT/pi4-bench/home/pi/.cache/rpi-cross"
cleanup() {
	"$RPX_BIN" connections --stop-all >/dev/null 2>&1
	rm -rf "$CACHE"
	for s in a b c; do sh "$SIM" stop "$W/srv$s" >/dev/null 2>&1; done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$W/run"
chmod 700 "$W/run"
bench_client home
for s in a b c; do
	bench_start_pi "srv$s" pi4-bench "pi$s"
done
export HOME="$W/home" XDG_RUNTIME_DIR="$W/run"

printf '#include <stdio.h>\nint main(void){puts("Hello, world!");return 0;}\n' >"$W/h.c"
arm-linux-gnueabihf-gcc -O2 -s -o "$W/hello" "$W/h.c"
# a new build each run: ~10 MB (a non-loaded section, like debug info)
head -c 10000000 /dev/urandom >"$W/pad"
arm-linux-gnueabihf-objcopy --add-section .rpx_pad="$W/pad" \
	--set-section-flags .rpx_pad=noload,readonly "$W/hello" "$W/hello-big"
# par.sh PROGRAM: three one-Pi runs at once
printf '#!/bin/sh\nfor h in pia pib pic; do "%s" run --host $h "$1" >/dev/null & done\nwait\n' \
	"$RPX_BIN" >"$W/par.sh"
# the kept connections and the program on the Pis
"$RPX_BIN" run --host pia,pib,pic "$W/hello" >"$W/log" 2>&1 ||
	{ echo "failed: $(tail -5 "$W/log")"; exit 1; }

median() { /usr/bin/python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }
bench() { # bench NAME COMMAND [PREPARE]
	hyperfine -N --runs "$RUNS" --warmup 1 ${3:+--prepare "$3"} \
		--export-json "$W/$1.json" "$2" >/dev/null 2>&1 ||
		{ echo "  $1: failed: $2" >&2; echo "nan"; return; }
	median "$W/$1.json"
}
ratio() { /usr/bin/python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print("%.2f" % (a/b))' "$1" "$2" 2>/dev/null || echo "?"; }

echo "simulated Pi 4s (pi4-bench behind three sshd), kept connections, $RUNS runs each, medians in seconds, load average $(cut -d' ' -f1 /proc/loadavg)"
one=$(bench one "$RPX_BIN run --host pia $W/hello")
three=$(bench three "$RPX_BIN run --host pia,pib,pic $W/hello")
par=$(bench par "sh $W/par.sh $W/hello")
echo "repeat run of a program already on the Pis:"
echo "  one Pi      $one"
echo "  three Pis   $three  = $(ratio "$three" "$one") x one Pi (target <= 1.3)"
echo "  three one-Pi runs at once (sh &)  $par  = $(ratio "$par" "$one") x one Pi; three Pis = $(ratio "$three" "$par") x this"
oneb=$(bench oneb "$RPX_BIN run --host pia $W/hello-big" "rm -rf $CACHE")
threeb=$(bench threeb "$RPX_BIN run --host pia,pib,pic $W/hello-big" "rm -rf $CACHE")
parb=$(bench parb "sh $W/par.sh $W/hello-big" "rm -rf $CACHE")
echo "a new 10 MB build each run (sent to each Pi, then run):"
echo "  one Pi      $oneb"
echo "  three Pis   $threeb  = $(ratio "$threeb" "$oneb") x one Pi (target <= 1.3)"
echo "  three one-Pi runs at once (sh &)  $parb  = $(ratio "$parb" "$oneb") x one Pi; three Pis = $(ratio "$threeb" "$parb") x this"
echo "load average now: $(cut -d' ' -f1 /proc/loadavg)"
