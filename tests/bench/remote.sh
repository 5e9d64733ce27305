#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# remote.sh - `rpi-cross run` against the seed article's way (scp, then
# ssh) and against one plain `ssh host ./hello`, on a simulated Pi 4
# (tests/sim/pi.sh: real sshd on loopback, ARM userland under qemu-user).
# Prints medians and ratios; asserts nothing. Needs root (the simulation),
# the armhf cross gcc and hyperfine; says why when it cannot run.
#
# Targets: first run <= 0.5 x (scp + ssh); repeat run (unchanged binary)
# <= 1.1 x one plain ssh; 50 MB upload at least as fast as scp.
#
# "First run" empties ~/.cache/rpi-cross on the Pi before each run, so
# every run uploads and runs (one exec, the upload over SFTP beside it);
# the board itself is known from the warm-up run (what uname and getconf
# answered is saved here and reused while the Pi's kernel and OS read the
# same), as in a build-and-run loop. "Board never seen" also empties that
# local record, so each run probes the board with uname and getconf too. The simulated Pi's programs run under qemu-user: every
# program a shell starts there costs tens of ms, for ssh's and scp's
# remote side as much as for rpi-cross's.
set -u
# a new connection each run, as these figures always meant (the kept
# connection is measured in keep.sh)
RPI_CROSS_NO_KEEP=1
export RPI_CROSS_NO_KEEP
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RPX_BIN:=$RPX_TOP/build/rpi-cross}"
. "$RPX_TOP/tests/benchlib.sh"
RUNS=${RPX_BENCH_RUNS:-8}

bench_need hyperfine arm-linux-gnueabihf-gcc
bench_pis pi4-bench

W=$(mktemp -d "${TMPDIR:-/tmp}/rpx-bench.XXXXXX")
chmod 755 "$W"
trap 'sh "$SIM" stop "$W/srv" >/dev/null 2>&1; rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP
bench_client home
bench_start_pi srv pi4-bench pi
export HOME="$W/home"
# OpenSSH reads ~/.ssh from the password database, not $HOME: say -F
SSH="ssh -F $W/home/.ssh/config"
SCP="scp -F $W/home/.ssh/config"

# hello, stripped and padded to ~300 KB; and an "unstripped" ~10 MB one
# (a non-loaded section, like debug info); and 50 MB.
printf '#include <stdio.h>\nint main(void){puts("Hello, world!");return 0;}\n' >"$W/h.c"
arm-linux-gnueabihf-gcc -O2 -s -o "$W/h" "$W/h.c"
pad() { # pad SRC DST BYTES
	head -c "$3" /dev/urandom >"$W/pad"
	arm-linux-gnueabihf-objcopy --add-section .rpx_pad="$W/pad" \
		--set-section-flags .rpx_pad=noload,readonly "$1" "$2"
}
pad "$W/h" "$W/hello-small" 290000
pad "$W/h" "$W/hello-big" 10000000
pad "$W/h" "$W/blob50" 50000000
CACHE="$ROOT/pi4-bench/home/pi/.cache/rpi-cross"
# what rpi-cross saved here about the board (see src/ssh/board_cache.c)
BOARDS="$W/home/.cache/rpi-cross/boards"

median() { # median JSONFILE -> seconds
	/usr/bin/python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}
bench() { # bench NAME PREPARE COMMAND
	if [ -n "$2" ]; then
		hyperfine -N --runs "$RUNS" --warmup 1 --prepare "$2" --export-json "$W/$1.json" "$3" >/dev/null 2>&1
	else
		hyperfine -N --runs "$RUNS" --warmup 1 --export-json "$W/$1.json" "$3" >/dev/null 2>&1
	fi || { echo "  $1: failed: $3" >&2; echo "nan"; return; }
	median "$W/$1.json"
}
ratio() { /usr/bin/python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print("%.2f" % (a/b))' "$1" "$2" 2>/dev/null || echo "?"; }

load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"; }
echo "simulated Pi 4 (pi4-bench) on 127.0.0.1:$PORT, $RUNS runs each, medians in seconds, load average $(load)"
for size in small big; do
	f="$W/hello-$size"
	bytes=$(wc -c <"$f")
	scp_ssh=$(bench "scp-$size" "" "sh -c '$SCP -q $f pi:hello-$size && $SSH pi ./hello-$size'")
	plain=$(bench "ssh-$size" "" "$SSH pi ./hello-$size")
	first=$(bench "first-$size" "rm -rf $CACHE" "$RPX_BIN run --host pi $f")
	unseen=$(bench "unseen-$size" "rm -rf $CACHE $BOARDS" "$RPX_BIN run --host pi $f")
	repeat=$(bench "repeat-$size" "" "$RPX_BIN run --host pi $f")
	echo "hello-$size ($bytes bytes):"
	echo "  scp then ssh             $scp_ssh"
	echo "  plain ssh pi ./hello     $plain"
	echo "  rpi-cross run, first     $first  = $(ratio "$first" "$scp_ssh") x scp+ssh (target <= 0.5)"
	echo "    same, board never seen $unseen  = $(ratio "$unseen" "$scp_ssh") x scp+ssh (its probe not saved here yet)"
	echo "  rpi-cross run, repeat    $repeat  = $(ratio "$repeat" "$plain") x plain ssh (target <= 1.1)"
	rm -f "$ROOT/pi4-bench/home/pi/hello-$size"
done
scp50=$(bench scp50 "" "$SCP -q $W/blob50 pi:blob50")
up50=$(bench up50 "rm -rf $CACHE" "$RPX_BIN run --host pi $W/blob50")
echo "50 MB ($(wc -c <"$W/blob50") bytes), new connection each:"
echo "  scp                      $scp50"
echo "  rpi-cross run (upload+run) $up50  = $(ratio "$up50" "$scp50") x scp (target <= 1.0)"
rm -rf "$ROOT/pi4-bench/home/pi/blob50" "$CACHE"
echo "load average now: $(load)"
