#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# tui-sysroot.sh - the wizard's C libraries choice (Config step), driven
# in tmux against the simulated pi4-dev (tests/sim/pi.sh): a sysroot made
# by a real `rpi-cross sysroot pull` chosen in the wizard writes the very
# file `setup --sysroot` writes (its link-args and [env] lines); "none"
# writes none of them; a pull started from the wizard completes, is
# offered and wired; Ctrl-C stops one and the previous sysroot stays; a
# pull that cannot connect says so and what to do.
# (A musl target's row, which says a sysroot is for gnu targets, is in
# tests/unit/wizard_test.c: no musl linker works on this machine.)
#
# Cost: the pi4-dev sysroot (60 MB, gzip'd by an emulated ARM CPU: ~20 s)
# is pulled once per key and kept in /var/cache/rpi-cross-tests/tui-sysroot/
# KEY (KEY: the Pi's build stamp and the sysroot code); later runs copy it
# and pull again, which then fetches nothing. One final test runs on the
# Pi (zlib called through the sysroot).
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"
. "$RPX_TOP/tests/tmuxlib.sh"

skip_all() {
	t_begin "the wizard's C libraries choice against a simulated Pi"
	t_skip "$1"
	t_done
	exit 0
}

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1 || skip_all "no arm-linux-gnueabihf-gcc"
[ -x /usr/bin/rustc ] || skip_all "no Debian rustc (its armv7 std builds the final test)"
out_setup=$(sim_prepare pi4-dev) || skip_all "$out_setup"

tmux_init rpxsys 30 240 120
sim_client
start_pi sd pi4-dev
PD=$PORT
HOSTD="pi@127.0.0.1:$PD"
DATA="$W/data"
SR="$DATA/rpi-cross/sysroots"
NAME=127.0.0.1-bookworm-armhf
# Debian's toolchain: its rustc has the armv7 std setup and the test need
TM_ENV="HOME=$HOME_C XDG_CONFIG_HOME=$T_TMP/cfg XDG_DATA_HOME=$DATA RUSTC=/usr/bin/rustc"
TM_ENV="$TM_ENV PATH=/usr/bin:/bin:$(dirname "$RPX_BIN")"
TM_UNSET="RPI_CROSS_HOST CARGO_HOME"
CFG="$HOME_C/.cargo/config.toml"
ENVT=armv7_unknown_linux_gnueabihf

# The sysroot: pulled once per key, else copied and pulled again.
KEY=$(cat "$ROOT/pi4-dev/.rpi-sim-stamp" "$RPX_TOP"/src/sysroot/*.c \
	"$RPX_TOP"/src/sysroot/*.h | cksum | cut -d' ' -f1)
CACHE=/var/cache/rpi-cross-tests/tui-sysroot/$KEY

# to_config: from a fresh start, detect pi4-dev over SSH and go on to the
# Config step with what is recommended.
to_config() {
	wait_for "Rust toolchain:" || return 1
	keys Enter; wait_for "Step 2 of 8: Board" || return 1
	keys Enter; wait_for "Detect over SSH: which Pi?" || return 1
	keys C-u; text "$HOSTD"
	keys Enter; wait_for "Detected over SSH: Raspberry Pi 4 Model B, 32-bit" || return 1
	keys Enter; wait_for "Step 3 of 8: OS and libc" || return 1
	keys Enter; wait_for "linkers work for armv7-unknown-linux-gnueabihf" || return 1
	keys Enter; wait_for "Step 5 of 8: CPU" || return 1
	keys Enter; wait_for "Step 6 of 8: Config"
}

t_begin "a sysroot pulled by 'sysroot pull' is offered; chosen, the config gets what setup --sysroot writes"
if [ -d "$CACHE/$NAME" ]; then
	mkdir -p "$SR" && cp -a "$CACHE/$NAME" "$SR/$NAME"
fi
rpx_env HOME="$HOME_C" XDG_DATA_HOME="$DATA" -- sysroot pull --host "$HOSTD" \
	--timeout "$TO" --accept-new-host-key
expect_rc 0
if [ "$rc" -eq 0 ] && [ ! -d "$CACHE/$NAME" ] && mkdir -p "$CACHE"; then
	rm -rf "$CACHE/.$NAME.$$"
	cp -a "$SR/$NAME" "$CACHE/.$NAME.$$" && mv "$CACHE/.$NAME.$$" "$CACHE/$NAME"
	for k in "${CACHE%/*}"/*; do
		[ "$k" = "$CACHE" ] || rm -rf "$k"
	done
fi
start 160 40
to_config
expect_screen "C libraries (a sysroot from the Pi)"
expect_screen "(•) none (pure Rust)"
expect_screen_re "\\( \\) use sysroot $NAME +from 127\\.0\\.0\\.1, Raspbian GNU/Linux 12 \\(bookworm\\), glibc 2\\.36, pulled 20"
expect_screen "Pull a sysroot from the Pi now ($HOSTD)"
# from "Show the changes": up over the pull to the sysroot
keys Up Up Space; wait_for "(•) use sysroot $NAME"
expect_screen "( ) none (pure Rust)"
keys End Enter; wait_for "The changes to $CFG"
expect_screen "link-arg=--sysroot=$SR/$NAME/root"
expect_screen "+PKG_CONFIG_SYSROOT_DIR_$ENVT = \"$SR/$NAME/root\""
expect_screen "why: "
keys w; wait_for "Step 7 of 8: Test"
# the final test links through the sysroot the config now names
wait_for "It works: the Pi ran the program"
expect_screen "(C library, linked through the sysroot)"
keys Enter; wait_for "Step 8 of 8: Summary"
expect_screen "Sysroot: $NAME ($SR/$NAME/root): C libraries link against the Pi's own"
keys Enter
ended 0
grep -q "^\[env\]" "$CFG" || t_fail "no [env] in the config: $(cat "$CFG")"
grep -qF "\"-C\", \"link-arg=-L$SR/$NAME/root/usr/lib/arm-linux-gnueabihf\"" "$CFG" ||
	t_fail "no -L of the sysroot in the rustflags: $(cat "$CFG")"
grep -qF "CFLAGS_$ENVT = \"--sysroot=$SR/$NAME/root " "$CFG" ||
	t_fail "no CFLAGS for the target: $(cat "$CFG")"
# what setup --sysroot writes for the same answers: the very same file
mkdir -p "$T_TMP/setup-home"
env HOME="$T_TMP/setup-home" XDG_DATA_HOME="$DATA" RUSTC=/usr/bin/rustc \
	PATH="/usr/bin:/bin:$(dirname "$RPX_BIN")" "$RPX_BIN" setup --board pi4 \
	--bits 32 --libc gnu --linker arm-linux-gnueabihf-gcc --cpu cortex-a72 \
	--sysroot "$NAME" --yes >/dev/null 2>"$T_TMP/setup.err" ||
	t_fail "setup --sysroot failed: $(cat "$T_TMP/setup.err")"
cmp -s "$T_TMP/setup-home/.cargo/config.toml" "$CFG" ||
	t_fail "setup --sysroot wrote another file: $(diff "$T_TMP/setup-home/.cargo/config.toml" "$CFG")"
t_end

t_begin "none (pure Rust): no sysroot flags, no [env]; no pull offered without a host"
rm -rf "$HOME_C/.cargo"
start 160 40
wait_for "Rust toolchain:"
keys Enter; wait_for "Step 2 of 8: Board"
text "bcm2711"; wait_for "Raspberry Pi 4 Model B: BCM2711"
keys Enter; wait_for "Step 3 of 8"
keys Up Space; wait_for "(•) 32-bit Raspberry Pi OS"
keys Enter; wait_for "linkers work for armv7-unknown-linux-gnueabihf"
keys Enter; wait_for "Step 5 of 8: CPU"
keys Enter; wait_for "Step 6 of 8: Config"
expect_screen "(•) none (pure Rust)"
expect_screen "( ) use sysroot $NAME"
expect_no_screen "Pull a sysroot from the Pi now"
keys End Enter; wait_for "The changes to $CFG"
expect_screen '+linker = "arm-linux-gnueabihf-gcc"'
expect_no_screen "sysroot"
keys w; wait_for "Step 7 of 8: Test"
keys Down Enter; wait_for "Step 8 of 8: Summary"
expect_screen "Sysroot: none (pure Rust"
keys Enter
ended 0
[ -f "$CFG" ] || t_fail "no config written"
grep -q "sysroot\|\[env\]\|PKG_CONFIG" "$CFG" && t_fail "sysroot lines written: $(cat "$CFG")"
t_end

t_begin "Ctrl-C stops a pull from the wizard: the previous sysroot stays as it was"
rm -rf "$HOME_C/.cargo"
# without its manifest the pull fetches everything: long enough to stop
mv "$SR/$NAME/manifest" "$W/manifest.keep"
d0=$(cd "$SR/$NAME" && find . | LC_ALL=C sort | cksum)
start 160 40
to_config
keys Up Enter
wait_for "Logged in as pi"
keys C-c
wait_for "The pull was stopped: the sysroots pulled before are as they were"
expect_no_screen "Quit rpi-cross?"
expect_screen "( ) use sysroot $NAME"
[ "$(cd "$SR/$NAME" && find . | LC_ALL=C sort | cksum)" = "$d0" ] ||
	t_fail "the sysroot changed"
[ ! -e "$SR/$NAME.new" ] || t_fail "$NAME.new was left behind"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
mv "$W/manifest.keep" "$SR/$NAME/manifest"
t_end

t_begin "a pull from the wizard: it completes, is offered and wired"
rm -rf "$HOME_C/.cargo"
pulled0=$(sed -n 's/^pulled: "*\([^"]*\)"*$/\1/p' "$SR/$NAME/sysroot.yaml")
sleep 1
start 160 40
to_config
keys Up Enter
wait_for "Pulled sysroot $NAME: it is the C libraries choice now."
expect_screen "Logged in as pi"
expect_screen "(•) use sysroot $NAME"
pulled1=$(sed -n 's/^pulled: "*\([^"]*\)"*$/\1/p' "$SR/$NAME/sysroot.yaml")
[ -n "$pulled1" ] && [ "$pulled1" != "$pulled0" ] ||
	t_fail "sysroot.yaml was not written again by the pull ($pulled0, $pulled1)"
keys End Enter; wait_for "The changes to $CFG"
expect_screen "link-arg=--sysroot=$SR/$NAME/root"
keys Escape; wait_for "Show the changes"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_begin "a pull that cannot connect: the error and what to do; the sysroot stays"
rm -rf "$HOME_C/.cargo"
d0=$(ls -la "$SR/$NAME/root" | cksum)
start 160 40
to_config
sh "$SIM" stop "$W/sd" >/dev/null 2>&1
keys Up Enter
wait_for "The pull failed:"
expect_screen "rpi-cross sysroot pull --host $HOSTD"
expect_screen "(•) none (pure Rust)"
expect_screen "( ) use sysroot $NAME"
[ "$(ls -la "$SR/$NAME/root" | cksum)" = "$d0" ] || t_fail "the sysroot changed"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_done
