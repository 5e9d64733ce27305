#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# cargotest.sh - `cargo test` on a simulated Pi 4 through the runner
# (rpi-cross run), with Debian's cargo and rustc: a crate with three test
# binaries, one failing test. Cargo's arguments reach the test binaries
# unchanged (--nocapture, a filter, --test-threads), the failing binary is
# named and the exit status is Cargo's. The crate's build (its target
# folder) is kept under /var/cache/rpi-cross-tests/cargotest, keyed by the
# crate's files and the compiler, so later runs (ASan, valgrind) reuse it.
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"
. "$RPX_TOP/tests/rustsim.sh"

ID=$$
ARMV7=armv7-unknown-linux-gnueabihf
A64=aarch64-unknown-linux-gnu

H16='????????????????'
cleanup() { sim_rm_cached "a-$H16" "b-$H16" "c-$H16" rpxct; }
t_on_exit cleanup

skip_all() {
	t_begin "cargo test suite (three test binaries on a simulated Pi)"
	t_skip "$1"
	t_done
	exit 0
}

rustsim_setup pi4
start_pi s4 pi4
H4="pi@127.0.0.1:$PORT"

# The crate: no library tests, three test binaries; b has a failing test.
# written here, keyed, then kept in the cache (with its target folder):
# the same files, untouched, build nothing again
P="$W/rpxct"
mkdir -p "$P/src" "$P/tests"
cat >"$P/Cargo.toml" <<'EOF'
[package]
name = "rpxct"
version = "0.1.0"
edition = "2021"

[lib]
test = false
doctest = false
EOF
echo 'pub fn twice(x: u32) -> u32 { x * 2 }' >"$P/src/lib.rs"
cat >"$P/tests/a.rs" <<'EOF'
#[test]
fn a_prints() {
    println!("a-stdout-on-{}", std::env::consts::ARCH);
    assert_eq!(rpxct::twice(2), 4);
}
#[test]
fn a_other() {
    assert!(true);
}
EOF
cat >"$P/tests/b.rs" <<'EOF'
#[test]
fn b_passes() {
    assert_eq!(rpxct::twice(1), 2);
}
#[test]
fn b_fails() {
    assert_eq!(rpxct::twice(3), 7, "b-is-wrong");
}
EOF
cat >"$P/tests/c.rs" <<'EOF'
#[test]
fn c_threads() {
    println!("c-cwd={}", std::env::current_dir().unwrap().display());
}
EOF
key=$( (cat "$P/Cargo.toml" "$P/src/lib.rs" "$P/tests/"*.rs; /usr/bin/rustc -vV) | cksum | cut -d' ' -f1)
TD=/var/cache/rpi-cross-tests/cargotest/$key
if mkdir -p "$TD" 2>/dev/null; then
	[ -f "$TD/rpxct/Cargo.toml" ] || { rm -rf "$TD/rpxct"; cp -a "$P" "$TD/rpxct"; }
	P="$TD/rpxct"
else
	TD="$W/target"
fi
mkdir -p "$P/.cargo"
cat >"$P/.cargo/config.toml" <<EOF
[target.$ARMV7]
linker = "arm-linux-gnueabihf-gcc"
runner = "$RUNNER run --host $H4 --accept-new-host-key --timeout $TO"

[build]
target = "$ARMV7"
EOF

# ct ARGS: cargo ARGS in the crate, as its user would
ct() {
	(cd "$P" && HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$TPATH" \
		CARGO_TARGET_DIR="$TD" RPI_CROSS_HOST= cargo "$@" </dev/null >"$out" 2>"$err")
	rc=$?
}

t_begin "cargo test --no-fail-fast: all three binaries run on the Pi; the failing test and its binary are named; exit 101"
ct test --offline --no-fail-fast -- --nocapture --test-threads=1
expect_rc 101 && expect_out "a-stdout-on-arm" && expect_out "test b_fails ... FAILED" &&
	expect_err "b-is-wrong" && expect_out "test b_passes ... ok" &&
	expect_out "c-cwd=/home/pi/.cache/rpi-cross/work/rpxct" && expect_err "--test b"
grep -q "test result: FAILED. 1 passed; 1 failed" "$out" || t_fail "no FAILED result for b"
[ "$(grep -c 'test result: ok' "$out")" -eq 2 ] || t_fail "a and c did not both pass"
t_end

t_begin "cargo test: it stops at the failing binary (exit 101), as Cargo does here"
ct test --offline
expect_rc 101 && expect_out "test b_fails ... FAILED" && expect_err "--test b"
! grep -q "c_threads" "$out" || t_fail "c ran after b failed"
t_end

t_begin "cargo test with a filter and --test-threads: passed through unchanged"
ct test --offline --test a -- a_prints --test-threads=1 --nocapture
expect_rc 0 && expect_out "a-stdout-on-arm" &&
	expect_out "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 1 filtered out"
ct test --offline --test b -- b_passes --exact
expect_rc 0 && expect_out "1 passed" && expect_out "1 filtered out"
t_end

t_done
