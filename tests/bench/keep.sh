#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# keep.sh - a repeated `rpi-cross run` through its kept connection against
# `ssh` reusing an OpenSSH ControlMaster connection (ControlMaster=auto,
# ControlPersist=60: the best a user can do by hand), both running the
# same program already on a simulated Pi 4 (tests/sim/pi.sh: real sshd on
# loopback, ARM userland under qemu-user); with each one's new-connection
# figure beside it (--no-keep, plain ssh). Prints medians and ratios;
# asserts nothing. Needs root (the simulation), the armhf cross gcc and
# hyperfine; says why when it cannot run.
#
# Target: kept-connection repeat run <= 1.0 x ssh over a ControlMaster.
set -u
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RPX_BIN:=$RPX_TOP/build/rpi-cross}"
. "$RPX_TOP/tests/benchlib.sh"
RUNS=${RPX_BENCH_RUNS:-15}

bench_need hyperfine arm-linux-gnueabihf-gcc
bench_pis pi4-bench

W=$(mktemp -d "${TMPDIR:-/tmp}/rpx-keep.XXXXXX")
chmod 755 "$W"
unset RPI_CROSS_NO_KEEP
# OpenSSH reads ~/.ssh from the password database, not $HOME: say -F
SSH="ssh -F $W/home/.ssh/config"
CM="-o ControlMaster=auto -o ControlPath=$W/cm-%C -o ControlPersist=60"
cleanup() {
	# the kept connection and the ControlMaster this run made
	"$RPX_BIN" connections --stop-all >/dev/null 2>&1
	$SSH $CM -O exit pi >/dev/null 2>&1
	rm -rf "$ROOT/pi4-bench/home/pi/.cache/rpi-cross" \
		"$ROOT/pi4-bench/home/pi/keep-hello"
	sh "$SIM" stop "$W/srv" >/dev/null 2>&1
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$W/run"
chmod 700 "$W/run"
bench_client home
bench_start_pi srv pi4-bench pi
export HOME="$W/home" XDG_RUNTIME_DIR="$W/run"

printf '#include <stdio.h>\nint main(void){puts("Hello, world!");return 0;}\n' >"$W/h.c"
arm-linux-gnueabihf-gcc -O2 -s -o "$W/hello" "$W/h.c"
# a new build each run: ~10 MB (a non-loaded section, like debug info)
head -c 10000000 /dev/urandom >"$W/pad"
arm-linux-gnueabihf-objcopy --add-section .rpx_pad="$W/pad" \
	--set-section-flags .rpx_pad=noload,readonly "$W/hello" "$W/hello-big"
CACHE="$ROOT/pi4-bench/home/pi/.cache/rpi-cross"
# the same program in both places: rpi-cross's cache and ~/keep-hello
"$RPX_BIN" run --host pi --no-keep "$W/hello" >/dev/null || exit 1
$SSH pi 'cat >keep-hello && chmod 755 keep-hello' <"$W/hello" || exit 1

median() { # median JSONFILE -> seconds
	/usr/bin/python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}
bench() { # bench NAME COMMAND [PREPARE] (one warm-up run: it makes the master)
	hyperfine -N --runs "$RUNS" --warmup 1 ${3:+--prepare "$3"} \
		--export-json "$W/$1.json" "$2" >/dev/null 2>&1 ||
		{ echo "  $1: failed: $2" >&2; echo "nan"; return; }
	median "$W/$1.json"
}
ratio() { /usr/bin/python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print("%.2f" % (a/b))' "$1" "$2" 2>/dev/null || echo "?"; }
logins() { grep -c "Accepted publickey" "$W/srv/sshd.log"; }

load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"; }
echo "simulated Pi 4 (pi4-bench) on 127.0.0.1:$PORT, $RUNS runs each, medians in seconds, load average $(load)"
l0=$(logins)
kept=$(bench kept "$RPX_BIN run --host pi $W/hello")
l1=$(logins)
cm=$(bench cm "$SSH $CM pi ./keep-hello")
l2=$(logins)
fresh=$(bench fresh "$RPX_BIN run --host pi --no-keep $W/hello")
plain=$(bench plain "$SSH pi ./keep-hello")
echo "repeat run of a program already on the Pi:"
echo "  ssh over a ControlMaster       $cm  ($((l2 - l1)) logins for $((RUNS + 1)) runs)"
echo "  rpi-cross run, kept connection $kept  = $(ratio "$kept" "$cm") x ControlMaster ssh (target <= 1.0; $((l1 - l0)) logins for $((RUNS + 1)) runs)"
echo "  plain ssh, a login each        $plain"
echo "  rpi-cross run --no-keep        $fresh  = $(ratio "$fresh" "$plain") x plain ssh"
echo "  the kept connection saves      $(ratio "$fresh" "$kept") x (--no-keep / kept)"
newk=$(bench newk "$RPX_BIN run --host pi $W/hello-big" "rm -rf $CACHE")
newf=$(bench newf "$RPX_BIN run --host pi --no-keep $W/hello-big" "rm -rf $CACHE")
echo "a new 10 MB build each run (uploaded over SFTP, then run):"
echo "  rpi-cross run --no-keep        $newf"
echo "  rpi-cross run, kept connection $newk  = $(ratio "$newk" "$newf") x --no-keep"
echo "load average now: $(load)"
