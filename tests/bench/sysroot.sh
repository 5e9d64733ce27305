#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# sysroot.sh - `rpi-cross sysroot pull` of the bookworm armhf Pi with -dev
# packages (tests/sim/pi.sh pi4-dev: real sshd on loopback, ARM userland
# under qemu-user) against the obvious alternative, a tar pipe over ssh of
# the same folders (plain, and gzip'd like the pull), and rsync over ssh
# where the Pi has it. Prints times, ratios and the sysroot's size;
# asserts nothing.
#
# Targets: first pull at least as fast as the tar pipe; a repeat pull with
# nothing changed under 0.1 x the first and below one second.
#
# The simulated Pi's gzip runs under qemu-user (a few MB/s), much slower
# than a Pi 4's own CPU, while its loopback "network" is faster than any
# real link: so the gzip'd stream loses here to an uncompressed pipe, and
# --no-compress is measured beside it.
set -u
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RPX_BIN:=$RPX_TOP/build/rpi-cross}"
. "$RPX_TOP/tests/benchlib.sh"
RUNS=${RPX_BENCH_RUNS:-5}
# a first pull moves 60 MB through an emulated gzip: once by default
FIRST=${RPX_BENCH_FIRST_RUNS:-1}

bench_pis pi4-dev

W=$(mktemp -d "${TMPDIR:-/tmp}/rpx-bench.XXXXXX")
chmod 755 "$W"
trap 'sh "$SIM" stop "$W/srv" >/dev/null 2>&1; rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP
bench_client home
bench_start_pi srv pi4-dev pi
export HOME="$W/home"
SSH="ssh -F $W/home/.ssh/config"
T=arm-linux-gnueabihf
DIRS="usr/include usr/lib/$T usr/lib/gcc/$T usr/share/pkgconfig"

now() { date +%s.%N; }
# secs CMD...: run it, print the seconds it took
secs() {
	t0=$(now)
	"$@" >/dev/null 2>"$W/err" || { echo "failed: $* ($(tail -n 1 "$W/err"))" >&2; }
	t1=$(now)
	echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }'
}
ratio() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0) ? $1 / $2 : 0 }'; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

pull() {
	XDG_DATA_HOME="$W/data" "$RPX_BIN" -q sysroot pull --host pi --name bench "$@"
}
tarpipe() {
	rm -rf "$W/tar"; mkdir -p "$W/tar"
	$SSH pi "cd / && tar -c${1}f - $DIRS" | tar -x${1}f - -C "$W/tar"
}

echo "sysroot pull of pi4-dev (bookworm armhf, -dev packages): first pulls $FIRST run(s), repeat pulls $RUNS, medians"
first=
firstnz=
for i in $(seq "$FIRST"); do
	rm -rf "$W/data"
	first="$first $(secs pull)"
	rm -rf "$W/data"
	firstnz="$firstnz $(secs pull --no-compress)"
done
first=$(echo "$first" | median)
firstnz=$(echo "$firstnz" | median)
tz=; tp=
for i in $(seq "$FIRST"); do
	tz="$tz $(secs tarpipe z)"
	tp="$tp $(secs tarpipe '')"
done
tz=$(echo "$tz" | median)
tp=$(echo "$tp" | median)
rm -rf "$W/data"
pull >/dev/null 2>&1
again=
for i in $(seq "$RUNS"); do again="$again $(secs pull)"; done
again=$(echo "$again" | median)

printf '  first pull (gzip stream)        %8.3f s\n' "$first"
printf '  first pull --no-compress        %8.3f s\n' "$firstnz"
printf '  ssh tar -czf | tar -xzf         %8.3f s   pull/pipe %s\n' "$tz" "$(ratio "$first" "$tz")"
printf '  ssh tar -cf | tar -xf           %8.3f s   pull --no-compress/pipe %s\n' \
	"$tp" "$(ratio "$firstnz" "$tp")"
if command -v rsync >/dev/null 2>&1 && $SSH pi 'command -v rsync' >/dev/null 2>&1; then
	rs=$(secs rsync -a -e "$SSH" --relative $(for d in $DIRS; do printf 'pi:/%s ' "$d"; done) "$W/rsync/")
	printf '  rsync -a over ssh               %8.3f s\n' "$rs"
else
	echo "  rsync over ssh                  not measured: the Pi has no rsync"
fi
printf '  repeat pull, nothing changed    %8.3f s   repeat/first %s (target < 0.1, < 1 s)\n' \
	"$again" "$(ratio "$again" "$first")"
R="$W/data/rpi-cross/sysroots/bench/root"
printf '  sysroot size: %s in %s files (%s on disk); tar pipe copy: %s\n' \
	"$(sed -n 's/^bytes: //p' "$W/data/rpi-cross/sysroots/bench/sysroot.yaml") bytes" \
	"$(sed -n 's/^files: //p' "$W/data/rpi-cross/sysroots/bench/sysroot.yaml")" \
	"$(du -sh "$R" | cut -f1)" "$(du -sh "$W/tar" | cut -f1)"
