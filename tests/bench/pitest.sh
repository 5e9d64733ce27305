#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# pitest.sh - how long `rpi-cross test` takes on a simulated Pi 4
# (pi4-bench: real sshd on loopback, ARM userland under qemu-user): a
# hello-world built with Debian's Rust and the armhf cross gcc (warm
# caches: the compiler and std are in the page cache after the warm-up
# run; each run builds a fresh crate), uploaded (~10 MB unstripped) and
# run; against `cargo build` of the same crate alone. Prints medians;
# asserts nothing. Says why when it cannot run.
set -u
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RPX_BIN:=$RPX_TOP/build/rpi-cross}"
. "$RPX_TOP/tests/benchlib.sh"
RUNS=${RPX_BENCH_RUNS:-5}
T=armv7-unknown-linux-gnueabihf

bench_need hyperfine arm-linux-gnueabihf-gcc
[ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/$T/lib ] ||
	{ echo "skipped: no Debian cargo with the $T std"; exit 0; }
bench_pis pi4-bench

W=$(mktemp -d "${TMPDIR:-/tmp}/rpx-bench.XXXXXX")
chmod 755 "$W"
trap 'sh "$SIM" stop "$W/srv" >/dev/null 2>&1; rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$W/bin" "$W/cargo" "$W/crate/src"
bench_client home
bench_start_pi srv pi4-bench
ln -s /usr/bin/cargo "$W/bin/cargo"
ln -s /usr/bin/rustc "$W/bin/rustc"
printf '[target.%s]\nlinker = "arm-linux-gnueabihf-gcc"\n' $T >"$W/cargo/config.toml"
printf '[package]\nname = "hello"\nversion = "0.1.0"\nedition = "2018"\n\n[workspace]\n' \
	>"$W/crate/Cargo.toml"
echo 'fn main() { println!("Hello, world!"); }' >"$W/crate/src/main.rs"
export HOME="$W/home" CARGO_HOME="$W/cargo" PATH="$W/bin:$PATH"

median() {
	/usr/bin/python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}
hyperfine -N --runs "$RUNS" --warmup 1 --export-json "$W/test.json" \
	"$RPX_BIN test --host pi@127.0.0.1:$PORT --target $T" >/dev/null 2>&1 ||
	{ echo "rpi-cross test failed"; exit 1; }
# the same build alone (the test builds its crate without debug info too)
hyperfine -N --runs "$RUNS" --warmup 1 --prepare "rm -rf $W/crate/target" \
	--export-json "$W/build.json" \
	"env CARGO_PROFILE_RELEASE_STRIP=debuginfo cargo build --release --offline --target $T --manifest-path $W/crate/Cargo.toml" \
	>/dev/null 2>&1 || { echo "cargo build failed"; exit 1; }
# each step's own time, from --json
i=0
while [ $i -lt "$RUNS" ]; do
	"$RPX_BIN" test --host "pi@127.0.0.1:$PORT" --target $T --json >"$W/steps.$i.json" 2>/dev/null
	i=$((i + 1))
done
t=$(median "$W/test.json")
b=$(median "$W/build.json")
echo "simulated Pi 4 (pi4-bench) on 127.0.0.1:$PORT, $RUNS runs each, medians in seconds"
echo "  rpi-cross test (fresh crate: build, check, upload, run)  $t"
echo "  cargo build --release of the same crate alone            $b"
/usr/bin/python3 - "$W" "$RUNS" <<'EOF'
import json, statistics, sys
w, n = sys.argv[1], int(sys.argv[2])
runs = [json.load(open("%s/steps.%d.json" % (w, i)))["steps"] for i in range(n)]
for k, step in enumerate(runs[0]):
    ms = statistics.median(r[k]["ms"] for r in runs)
    print("  step %-8s %6.3f" % (step["name"], ms / 1000.0))
EOF
rm -rf "$ROOT/pi4-bench/home/pi/.cache/rpi-cross"
