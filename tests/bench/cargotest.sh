#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# cargotest.sh - `cargo test` of a crate with three test binaries, run on a
# simulated Pi 4 (tests/sim/pi.sh: real sshd on loopback, ARM userland
# under qemu-user) through the runner `rpi-cross run`: with the kept
# connection (one handshake for every binary of every run) against each
# test binary doing its own handshake (RPI_CROSS_NO_KEEP=1). The binaries
# are already on the Pi (a warm-up run uploads them), so what differs is
# the connection. Prints medians, the ratio and sshd's login count;
# asserts nothing. Needs root (the simulation), Debian's cargo and rustc
# with the armv7 std, the armhf cross gcc and hyperfine.
#
# Target: kept <= 0.5 x one handshake a binary.
set -u
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RPX_BIN:=$RPX_TOP/build/rpi-cross}"
. "$RPX_TOP/tests/benchlib.sh"
RUNS=${RPX_BENCH_RUNS:-10}
ARMV7=armv7-unknown-linux-gnueabihf

bench_need hyperfine arm-linux-gnueabihf-gcc
[ -x /usr/bin/cargo ] && [ -d "/usr/lib/rustlib/$ARMV7/lib" ] ||
	{ echo "skipped: no Debian cargo with the $ARMV7 std"; exit 0; }
bench_pis pi4-bench

W=$(mktemp -d "${TMPDIR:-/tmp}/rpx-ctb.XXXXXX")
chmod 755 "$W"
unset RPI_CROSS_NO_KEEP
cleanup() {
	"$RPX_BIN" connections --stop-all >/dev/null 2>&1
	rm -rf "$ROOT/pi4-bench/home/pi/.cache/rpi-cross"
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

# The crate: three test binaries (a, b, c), all passing; built once and
# kept under /var/cache/rpi-cross-tests/cargotest-bench/KEY
P="$W/rpxctb"
mkdir -p "$P/src" "$P/tests"
printf '[package]\nname = "rpxctb"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ntest = false\ndoctest = false\n' \
	>"$P/Cargo.toml"
echo 'pub fn twice(x: u32) -> u32 { x * 2 }' >"$P/src/lib.rs"
for t in a b c; do
	printf '#[test]\nfn %s_one() {\n    assert_eq!(rpxctb::twice(2), 4);\n}\n#[test]\nfn %s_two() {\n    assert!(rpxctb::twice(0) == 0);\n}\n' \
		$t $t >"$P/tests/$t.rs"
done
key=$( (cat "$P/Cargo.toml" "$P/src/lib.rs" "$P/tests/"*.rs; /usr/bin/rustc -vV) | cksum | cut -d' ' -f1)
TD=/var/cache/rpi-cross-tests/cargotest-bench/$key
mkdir -p "$TD" 2>/dev/null || TD="$W/target"
export CARGO_HOME="$W/cargo" CARGO_TARGET_DIR="$TD" CARGO_BUILD_TARGET=$ARMV7 RUSTC=/usr/bin/rustc \
	CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_LINKER=arm-linux-gnueabihf-gcc \
	CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_RUNNER="$RPX_BIN run --host pi"
CT="/usr/bin/cargo test --offline -q --manifest-path $P/Cargo.toml"
# build, upload the binaries, make the kept connection
$CT >"$W/log" 2>&1 || { echo "failed: cargo test: $(head -20 "$W/log")"; exit 1; }
[ "$(grep -c 'test result: ok. 2 passed' "$W/log")" -eq 3 ] ||
	{ echo "failed: not three test binaries passing: $(tail -5 "$W/log")"; exit 1; }

median() { /usr/bin/python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }
bench() { # bench NAME COMMAND
	hyperfine -N --runs "$RUNS" --warmup 1 --export-json "$W/$1.json" "$2" >/dev/null 2>&1 ||
		{ echo "  $1: failed: $2" >&2; echo "nan"; return; }
	median "$W/$1.json"
}
ratio() { /usr/bin/python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print("%.2f" % (a/b))' "$1" "$2" 2>/dev/null || echo "?"; }
logins() { grep -c "Accepted publickey" "$W/srv/sshd.log"; }

echo "cargo test, three test binaries on a simulated Pi 4 (pi4-bench, 127.0.0.1:$PORT), $RUNS runs each, medians in seconds, load average $(cut -d' ' -f1 /proc/loadavg)"
l0=$(logins)
kept=$(bench kept "$CT")
l1=$(logins)
each=$(bench each "env RPI_CROSS_NO_KEEP=1 $CT")
l2=$(logins)
nocargo=$(bench none "/usr/bin/cargo test --offline -q --no-run --manifest-path $P/Cargo.toml")
echo "  cargo test --no-run (cargo's own share)   $nocargo"
echo "  a handshake each binary (NO_KEEP)          $each  ($((l2 - l1)) logins for $((RUNS + 1)) runs)"
echo "  kept connection                            $kept  = $(ratio "$kept" "$each") x a handshake each (target <= 0.5; $((l1 - l0)) logins for $((RUNS + 1)) runs)"
echo "  without cargo's share: kept / each         $(/usr/bin/python3 -c 'import sys; k,e,n=map(float,sys.argv[1:]); print("%.2f" % ((k-n)/(e-n)))' "$kept" "$each" "$nocargo" 2>/dev/null || echo "?")"
