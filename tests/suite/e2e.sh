#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# e2e.sh - the whole way, as a user goes it without the wizard: `setup
# --host` detects a simulated Pi over a real sshd, writes the Cargo config
# the plan shows, then `rpi-cross test` builds a hello-world with Debian's
# Rust and cross gcc, and it runs on the Pi; `cargo run` with the runner
# setup wrote runs a project there too. A 32-bit Pi 4 (armv7, global
# config) and a 64-bit Pi 5 (aarch64, project config).
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"
. "$RPX_TOP/tests/rustsim.sh"

ID=$$
ARMV7=armv7-unknown-linux-gnueabihf
A64=aarch64-unknown-linux-gnu

# what this run put on the simulated Pis (the servers are stopped by
# simlib.sh)
cleanup() { sim_rm_cached rpi-cross-hello "e2eproj$ID" "norpx$ID"; }
# rfile_any NAME: the copies of NAME in the simulated Pis' caches
rfile_any() { for f in "$ROOT"/*/home/pi/.cache/rpi-cross/*/"$1"; do [ -e "$f" ] && echo "$f"; done; }
t_on_exit cleanup

skip_all() {
	t_begin "e2e suite (setup, test and cargo run against simulated Pis)"
	t_skip "$1"
	t_done
	exit 0
}

rustsim_setup pi4 pi5

start_pi s4 pi4
P4=$PORT
start_pi s5 pi5
P5=$PORT
SSHO="--timeout $TO --accept-new-host-key"

# same FILE EXPECTED-TEXT
same() {
	printf '%s' "$2" >"$T_TMP/want"
	cmp -s "$1" "$T_TMP/want" || {
		t_fail "'$1' is not what was expected"
		diff -u "$T_TMP/want" "$1" | sed 's/^/  | /'
	}
}

# the + lines of the diff on stdout, without the +++ header
added() { sed -n '/^+++ /d; s/^+//p' "$out"; }

# ---- a 32-bit Pi 4, the global config ---------------------------------------

H4="pi@127.0.0.1:$P4"
G="$W/cargo/config.toml"
want4="[target.$ARMV7]
linker = \"arm-linux-gnueabihf-gcc\"
rustflags = [\"-C\", \"target-cpu=cortex-a72\"]
runner = \"$RUNNER run --host $H4\"

[build]
target = \"$ARMV7\"
"

t_begin "pi4: setup --host --dry-run detects the Pi and shows the plan and diff, writes nothing"
c setup --host "$H4" $SSHO --runner --default-target --dry-run
expect_rc 0 && expect_out "Raspberry Pi 4" && expect_out "$ARMV7" &&
	expect_out "cortex-a72" && expect_out "+linker = \"arm-linux-gnueabihf-gcc\""
[ ! -e "$G" ] || t_fail "--dry-run wrote $G"
t_end

t_begin "pi4: setup --yes writes exactly the diff the plan showed"
added >"$T_TMP/planned"
c setup --host "$H4" $SSHO --runner --default-target --yes
expect_rc 0 && expect_out "$G"
same "$G" "$want4"
cmp -s "$G" "$T_TMP/planned" || {
	t_fail "the file differs from the + lines of the dry run's diff"
	diff -u "$T_TMP/planned" "$G" | sed 's/^/  | /'
}
t_end

t_begin "pi4: setup again says the config is up to date and changes nothing"
cp "$G" "$T_TMP/before"
c setup --host "$H4" $SSHO --runner --default-target --yes
expect_rc 0 && expect_out "up to date"
cmp -s "$G" "$T_TMP/before" || t_fail "the file changed"
t_end

t_begin "pi4: rpi-cross test builds with that config and the Pi prints Hello, world!"
c test --host "$H4" $SSHO
expect_rc 0 && expect_out "Hello, world!" && expect_out "$ARMV7"
[ -z "$(ls -A "$W/tmp")" ] || t_fail "left in TMPDIR: $(ls -A "$W/tmp")"
t_end

t_begin "pi4: cargo run in a new project runs it on the Pi through the runner setup wrote"
P="$W/e2eproj$ID"
mkdir -p "$P/src"
printf '[package]\nname = "e2eproj%s"\nversion = "0.1.0"\nedition = "2021"\n' "$ID" >"$P/Cargo.toml"
printf 'fn main() {\n    let a: Vec<String> = std::env::args().skip(1).collect();\n    println!("on the Pi: {}", a.join("|"));\n    std::process::exit(3);\n}\n' >"$P/src/main.rs"
(cd "$P" && HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$TPATH" \
	RPI_CROSS_HOST= cargo run --offline --release -q -- 'a b' "c;d" >"$out" 2>"$err")
rc=$?
expect_rc 3 && expect_out "on the Pi: a b|c;d"
file "$P/target/$ARMV7/release/e2eproj$ID" 2>/dev/null | grep -q "ARM," ||
	t_fail "cargo run did not build for $ARMV7"
t_end

t_begin "pi4: doctor with the host finds nothing to fail"
c doctor --host "$H4" --timeout $TO
expect_rc 0 && expect_out "0 failed"
t_end

# ---- rpi-cross not on PATH (run from build/, as the README's quick start) -------

# A PATH with Debian's cargo and rustc but no rpi-cross: the runner setup
# writes names rpi-cross by its absolute path, and Cargo can execute it.
mkdir -p "$W/bin-norpx"
ln -s /usr/bin/cargo "$W/bin-norpx/cargo"
ln -s /usr/bin/rustc "$W/bin-norpx/rustc"
NPATH="$W/bin-norpx:$PATH"
NP="$W/norpx$ID"
# n ARGS: rpi-cross as c runs it, with that PATH, in the project
n() {
	_here=$PWD
	cd "$NP" || exit 1
	rpx_env HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$NPATH" \
		RPI_CROSS_HOST= XDG_CONFIG_HOME="$W/xdg" -- "$@"
	cd "$_here" || exit 1
}

t_begin "no rpi-cross on PATH: setup --runner writes this rpi-cross's absolute path (not the bare name)"
mkdir -p "$NP/src"
printf '[package]\nname = "norpx%s"\nversion = "0.1.0"\nedition = "2021"\n' "$ID" >"$NP/Cargo.toml"
printf 'fn main() {\n    println!("runner found: {}", std::env::args().nth(1).unwrap_or_default());\n}\n' >"$NP/src/main.rs"
if PATH="$NPATH" command -v rpi-cross >/dev/null 2>&1; then
	t_skip "rpi-cross is on this machine's PATH: $(PATH="$NPATH" command -v rpi-cross)"
else
	self=$(readlink -f "$RPX_BIN")
	n setup --host "$H4" $SSHO --project "$NP" --runner --yes
	expect_rc 0
	grep -qF "runner = \"$self run --host $H4\"" "$NP/.cargo/config.toml" ||
		t_fail "the runner is not '$self run --host $H4': $(grep runner "$NP/.cargo/config.toml")"
	! grep -q 'runner = "rpi-cross ' "$NP/.cargo/config.toml" || t_fail "the bare name was written"
fi
t_end

t_begin "no rpi-cross on PATH: cargo run reaches the simulated Pi through that runner"
if [ ! -s "$NP/.cargo/config.toml" ]; then
	t_skip "no config written"
else
	(cd "$NP" && HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$NPATH" \
		RPI_CROSS_HOST= cargo run --offline -q --target $ARMV7 -- yes >"$out" 2>"$err")
	rc=$?
	expect_rc 0 && expect_out "runner found: yes"
	[ -n "$(rfile_any "norpx$ID")" ] || t_fail "not uploaded to the Pi's cache"
fi
t_end

t_begin "no rpi-cross on PATH: doctor passes its runner check on that set-up"
if [ ! -s "$NP/.cargo/config.toml" ]; then
	t_skip "no config written"
else
	n doctor --target $ARMV7 --json
	expect_json '(next(c for c in d["checks"] if c["id"] == "runner")["status"] == "pass")'
	grep -qF "$self" "$out" || t_fail "the runner check does not name $self"
fi
t_end

# ---- a 64-bit Pi 5, a project's config ----------------------------------------

H5="pi@127.0.0.1:$P5"
P5DIR="$W/proj5"
mkdir -p "$P5DIR"
want5="[target.$A64]
linker = \"aarch64-linux-gnu-gcc\"
rustflags = [\"-C\", \"target-cpu=cortex-a76\"]
"

t_begin "pi5: setup --project writes the project's config for aarch64"
c setup --host "$H5" $SSHO --project "$P5DIR" --yes
expect_rc 0 && expect_out "$A64"
same "$P5DIR/.cargo/config.toml" "$want5"
t_end

t_begin "pi5: rpi-cross test in the project folder uses its config (the linker is only there)"
RPX_CWD="$P5DIR" c test --host "$H5" $SSHO --target $A64
expect_rc 0 && expect_out "Hello, world!" && expect_out "$A64"
t_end

t_begin "pi5: outside the project the aarch64 linker is not configured: the build step says so"
c test --host "$H5" $SSHO --target $A64
expect_rc 1
cat "$out" "$err" | grep -q "Build step (wrong-linker)" || t_fail "cause not wrong-linker"
cat "$out" "$err" | grep -q "linker=aarch64-linux-gnu-gcc" || t_fail "fix does not name the linker"
t_end

t_done
