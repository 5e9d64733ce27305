#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# golden.sh BIN OUTDIR - record what the read-only commands print for a
# fixed set of inputs, so a redesign can be shown to change no output:
#   sh tests/golden.sh build/rpi-cross /tmp/before   (on the old tree)
#   sh tests/golden.sh build/rpi-cross /tmp/after    (on the new one)
#   diff -r /tmp/before /tmp/after
# The inputs are a fixed HOME, CARGO_HOME and project under /tmp/rpx-golden
# (the same path on both runs, so paths in the output match); the host's
# toolchains and linkers are what they are on this machine.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
mkdir -p "$out"
g=/tmp/rpx-golden
rm -rf "$g"
mkdir -p "$g/home/.cargo" "$g/proj/.cargo" "$g/proj/src" "$g/xdg"
cat >"$g/home/.cargo/config.toml" <<'T'
# the user's own comment
[build]
jobs = 2

[target.armv7-unknown-linux-gnueabihf]
linker = "arm-linux-gnueabihf-gcc"
rustflags = ["-C", "target-cpu=cortex-a72", "--codegen", "opt-level=2"]
T
cat >"$g/proj/Cargo.toml" <<'T'
[package]
name = "golden"
version = "0.1.0"
edition = "2021"
T
echo 'fn main() { println!("Hello, world!"); }' >"$g/proj/src/main.rs"
cat >"$g/proj/.cargo/config.toml" <<'T'
[build]
target = "aarch64-unknown-linux-gnu"
[target.aarch64-unknown-linux-gnu]
rustflags = "-Ctarget-cpu=cortex-a76"
T
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
run() {
	name=$1; shift
	(cd "$g/proj" && env -i PATH="$PATH" HOME="$g/home" \
		CARGO_HOME="$g/home/.cargo" RUSTUP_HOME="$rustup_home" XDG_CONFIG_HOME="$g/xdg" \
		XDG_DATA_HOME="$g/xdg/data" TERM=dumb NO_COLOR=1 \
		"$bin" "$@" >"$out/$name.out" 2>"$out/$name.err"
	 echo "exit $?" >>"$out/$name.err")
	# timings differ from run to run
	sed -i -E 's/"([a-z_]*ms)": [0-9]+/"\1": N/; s/\([0-9]+ ms\)/(N ms)/g' \
		"$out/$name.out" "$out/$name.err"
}
run boards boards
run boards-json boards --json
run targets-json targets --json
run linkers-armv7-json linkers --target armv7-unknown-linux-gnueabihf --json
run linkers-aarch64-json linkers --target aarch64-unknown-linux-gnu --json
run config-show config show
run config-show-json config show --json
run config-show-global config show --global
run setup-pi4 setup --board pi4 --bits 64 --dry-run
run setup-zero setup --board zero --dry-run --runner --default-target
run setup-pi3-project setup --board pi3 --bits 32 --project "$g/proj" --dry-run
run setup-bad setup --board pi4 --target armv7-unknown-linux-musleabihf --bits 64 --dry-run
run doctor-json doctor --json
run doctor-armv7-json doctor --target armv7-unknown-linux-gnueabihf --json
run cpus-json cpus --target armv7-unknown-linux-gnueabihf --board pi4 --json
