#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# deltabins.sh - the Rust debug builds the delta-upload suite and benchmark
# send (tests/suite/delta.sh, tests/bench/delta.sh); sourced. delta_bins
# builds, with Debian's cargo and rustc for armv7, one small program three
# times: v1; v2, one line changed (a println! argument); v3, one line
# added to v1 (code that shifts what follows it). The builds are cached in
# /var/cache/rpi-cross-tests/delta/KEY (KEY: this file and the compiler's
# version), so the plain, sanitizer and valgrind runs build once; DBINS is
# that folder (files v1 v2 v3, each the ~10 MB debug executable), or
# delta_bins prints why not and returns 1.

DELTA_ARMV7=armv7-unknown-linux-gnueabihf

delta_bins() {
	[ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] ||
		{ echo "no Debian rustc/cargo in /usr/bin"; return 1; }
	[ -d "/usr/lib/rustlib/$DELTA_ARMV7/lib" ] ||
		{ echo "no $DELTA_ARMV7 std for /usr/bin/rustc (scripts/setup-rust-arm.sh)"; return 1; }
	command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1 ||
		{ echo "no arm-linux-gnueabihf-gcc"; return 1; }
	_key=$( { cat "$RPX_TOP/tests/deltabins.sh"; /usr/bin/rustc -vV; } | cksum | cut -d' ' -f1)
	DBINS=/var/cache/rpi-cross-tests/delta/$_key
	[ -f "$DBINS/v3" ] && return 0
	mkdir -p /var/cache/rpi-cross-tests/delta || { echo "cannot write the build cache"; return 1; }
	_b=$(mktemp -d /var/cache/rpi-cross-tests/delta/.build.XXXXXX) || return 1
	mkdir -p "$_b/p/src" "$_b/p/.cargo" "$_b/out" "$_b/home"
	cat >"$_b/p/Cargo.toml" <<'TOML'
[package]
name = "deltademo"
version = "0.1.0"
edition = "2021"

[dependencies]
TOML
	printf '[target.%s]\nlinker = "arm-linux-gnueabihf-gcc"\n' "$DELTA_ARMV7" >"$_b/p/.cargo/config.toml"
	for v in v1 v2 v3; do
		case $v in
		v1) line='    println!("delta line: version 1");' ;;
		v2) line='    println!("delta line: version 2, one line changed");' ;;
		v3) line='    println!("delta line: version 1");
    println!("delta line: {} arguments", m.len());' ;;
		esac
		cat >"$_b/p/src/main.rs" <<RUST
use std::collections::HashMap;

fn main() {
    let mut m: HashMap<String, usize> = HashMap::new();
    for (i, w) in std::env::args().skip(1).enumerate() {
        m.insert(w, i);
    }
    let mut v: Vec<_> = m.iter().map(|(k, v)| format!("{k}={v}")).collect();
    v.sort();
    println!("args: {:?}", v);
$line
}
RUST
		(cd "$_b/p" && env -u RUSTFLAGS -u CARGO_BUILD_TARGET HOME="$_b/home" \
			CARGO_HOME="$_b/home/.cargo" PATH="/usr/bin:/bin" \
			/usr/bin/cargo build --offline -q --target $DELTA_ARMV7) >"$_b/log" 2>&1 ||
			{ echo "cargo build failed: $(tail -5 "$_b/log")"; rm -rf "$_b"; return 1; }
		cp "$_b/p/target/$DELTA_ARMV7/debug/deltademo" "$_b/out/$v"
	done
	mkdir -p "$DBINS"
	for v in v1 v2 v3; do mv "$_b/out/$v" "$DBINS/$v.tmp.$$" && mv "$DBINS/$v.tmp.$$" "$DBINS/$v"; done
	rm -rf "$_b"
	return 0
}
