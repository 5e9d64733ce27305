#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# tui-walk.sh - the whole wizard walked by keystrokes in tmux against the
# simulated Raspberry Pis (tests/sim/pi.sh): Detect over SSH with a new
# host key accepted in the dialog, a wrong password, a changed host key,
# then the real linkers, rustc's CPU list and the Cargo config written.
# Every run records `stty -g` before and after (the terminal given back).
# Uses the simulated Pis: run it under the lock
#   flock /work/wt/sim.lock sh tests/suite/tui-walk.sh
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"
. "$RPX_TOP/tests/tmuxlib.sh"

skip_all() {
	t_begin "the wizard against simulated Pis"
	t_skip "$1"
	t_done
	exit 0
}

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1 || skip_all "no arm-linux-gnueabihf-gcc"
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || skip_all "no aarch64-linux-gnu-gcc"
out_setup=$(sim_prepare pi4 pi5) || skip_all "$out_setup"

# The real compiler (not rustup's proxy, which needs the real HOME): its
# rustc --print target-cpus is the CPU step's list.
REAL_RUSTC=
_sr=$(rustc --print sysroot 2>/dev/null) && [ -x "$_sr/bin/rustc" ] && REAL_RUSTC="$_sr/bin/rustc"
[ -n "$REAL_RUSTC" ] || REAL_RUSTC=$(command -v rustc)
[ -n "$REAL_RUSTC" ] || skip_all "no rustc"

tmux_init rpxwalk 20 90 45
sim_client
start_pi s4 pi4
P4=$PORT
start_pi s5 pi5
P5=$PORT
# the password server: the client key is not authorised there
start_pi spw pi4 yes nokey
PPW=$PORT
cat >"$HOME_C/.ssh/config" <<EOF2
Host mypi4
	HostName 127.0.0.1
	Port $P4
	User pi
Host *.lan
	User pi
EOF2

TM_ENV="RUSTC=$REAL_RUSTC HOME=$HOME_C XDG_CONFIG_HOME=$T_TMP/cfg"
TM_ENV="$TM_ENV PATH=$(dirname "$RPX_BIN"):$PATH"
TM_UNSET="RPI_CROSS_HOST CARGO_HOME"

# detect_host TEXT: from a fresh start, open Detect over SSH and type TEXT.
detect_host() {
	wait_for "Rust toolchain:" || return 1
	keys Enter; wait_for "Step 2 of 8: Board" || return 1
	expect_screen "Detect over SSH"
	keys Enter; wait_for "Detect over SSH: which Pi?" || return 1
	keys C-u
	[ -n "$1" ] && text "$1"
	return 0
}
fp4=$(ssh-keygen -lf "$W/s4/host_key.pub" | cut -d' ' -f2)
fp5=$(ssh-keygen -lf "$W/s5/host_key.pub" | cut -d' ' -f2)

t_begin "Pi 4 (32-bit) over SSH: alias offered, new host key accepted, whole walk, config written"
start 100 30
detect_host ""
expect_screen "mypi4"
expect_no_screen "*.lan"
keys Tab; wait_for "Host: mypi4"
keys Enter; wait_for "Unknown host key"
expect_screen "$fp4"
expect_screen "[y] Yes"
[ ! -s "$HOME_C/.ssh/known_hosts" ] || t_fail "known_hosts written before the answer"
keys y; wait_for "Detected over SSH: Raspberry Pi 4 Model B, 32-bit"
expect_screen "glibc 2.36"
expect_screen "Target:  armv7-unknown-linux-gnueabihf"
expect_screen "Host:    mypi4"
grep -q "^\[127.0.0.1\]:$P4 ssh-ed25519 " "$HOME_C/.ssh/known_hosts" ||
	t_fail "the accepted key is not in known_hosts"
keys Enter; wait_for "Step 3 of 8: OS and libc"
expect_screen "(•) 32-bit Raspberry Pi OS"
expect_screen "Target: armv7-unknown-linux-gnueabihf"
keys Enter; wait_for "Step 4 of 8: Linker"
wait_for "linkers work for armv7-unknown-linux-gnueabihf"
expect_screen_re "\\(•\\) arm-linux-gnueabihf-gcc +✓ works +ARM 32-bit hard-float ARMv7"
expect_screen "recommended"
expect_screen_re "arm-linux-gnueabihf-ld +✗ fails"
keys Enter; wait_for "Step 5 of 8: CPU"
wait_for "Every CPU rustc knows for armv7-unknown-linux-gnueabihf"
expect_screen "(•) cortex-a72    Cortex-A72 (Pi 4, 400)"
expect_screen "this board"
expect_screen "CPUs from rustc"
# filter rustc's list, then back to the board's core
text "a15"; wait_for "cortex-a15"
expect_no_screen "arm1020e"
keys Escape; wait_for "(type to filter)"
keys Home Enter; wait_for "Step 6 of 8: Config"
# up from "Show the changes": past the C libraries rows (pull, none)
keys Up Up Up Space; wait_for '[x] runner = "rpi-cross run --host mypi4"'
keys Up Space; wait_for '[x] [build] target = "armv7-unknown-linux-gnueabihf"'
keys End Enter; wait_for "The changes to $HOME_C/.cargo/config.toml"
expect_screen '+runner = "rpi-cross run --host mypi4"'
keys w; wait_for "Step 7 of 8: Test"
# the final test starts by itself (the host is known); its outcome
# depends on this rustc's std (the next test proves it on the Pi)
wait_for_re "It works|The test failed"
keys Enter; wait_for "Step 8 of 8: Summary"
expect_screen "Board:   Raspberry Pi 4 Model B (detected)"
expect_screen "Host:    mypi4 (chosen)"
expect_screen "Build:   cargo build --release"
expect_screen "Run:     cargo run --release"
keys Enter
ended 0
cat >"$T_TMP/want4.toml" <<'EOF2'
[target.armv7-unknown-linux-gnueabihf]
linker = "arm-linux-gnueabihf-gcc"
rustflags = ["-C", "target-cpu=cortex-a72"]
runner = "rpi-cross run --host mypi4"

[build]
target = "armv7-unknown-linux-gnueabihf"
EOF2
cmp -s "$T_TMP/want4.toml" "$HOME_C/.cargo/config.toml" ||
	t_fail "config.toml differs: $(cat "$HOME_C/.cargo/config.toml")"
# what setup writes for the same answers: the very same file (setup
# checks the std, so Debian's rustc, which has the armv7 one; PATH finds
# rpi-cross as it did for the wizard, so both name it the same way)
mkdir -p "$T_TMP/setup-home"
env HOME="$T_TMP/setup-home" RUSTC=/usr/bin/rustc PATH="/usr/bin:/bin:$(dirname "$RPX_BIN")" \
	"$RPX_BIN" setup \
	--board pi4 --bits 32 --libc gnu --linker arm-linux-gnueabihf-gcc --cpu cortex-a72 \
	--default-target --runner --host mypi4 --yes >/dev/null 2>"$T_TMP/setup.err" ||
	t_fail "setup --yes failed: $(cat "$T_TMP/setup.err")"
cmp -s "$T_TMP/setup-home/.cargo/config.toml" "$HOME_C/.cargo/config.toml" ||
	t_fail "setup --yes wrote another file: $(cat "$T_TMP/setup-home/.cargo/config.toml" 2>&1)"
t_end

t_begin "the final test on the simulated Pi 4: Hello, world! from the board"
# Debian's toolchain: its rustc has the armv7 std the build needs
rm -rf "$HOME_C/.cargo"
sed -i "/\]:$P4 /d" "$HOME_C/.ssh/known_hosts"
start 100 30 RUSTC=/usr/bin/rustc "PATH=/usr/bin:/bin:$(dirname "$RPX_BIN")"
detect_host "mypi4"
keys Enter; wait_for "Unknown host key"
keys y; wait_for "Detected over SSH: Raspberry Pi 4 Model B, 32-bit"
keys Enter; wait_for "Step 3 of 8"
keys Enter; wait_for "linkers work for armv7-unknown-linux-gnueabihf"
keys Enter; wait_for "Step 5 of 8: CPU"
keys Enter; wait_for "Step 6 of 8: Config"
keys Enter; wait_for "The changes to"
keys w; wait_for "Step 7 of 8: Test"
wait_for "It works: the Pi ran the program"
expect_screen "Hello, world!"
expect_screen "ok  Upload"
expect_screen "==> Run"
keys Enter; wait_for "Step 8 of 8: Summary"
expect_screen "Test:    passed: \"Hello, world!\" on mypi4"
keys Enter
ended 0
t_end

t_begin "Pi 5 (64-bit) over SSH by address: new host key accepted, 64-bit preselected, Hello, world! from the board"
rm -rf "$HOME_C/.cargo"
start 100 30 RUSTC=/usr/bin/rustc "PATH=/usr/bin:/bin:$(dirname "$RPX_BIN")"
detect_host "pi@127.0.0.1:$P5"
keys Enter; wait_for "Unknown host key"
expect_screen "$fp5"
keys y; wait_for "Detected over SSH: Raspberry Pi 5 Model B, 64-bit"
keys Enter; wait_for "Step 3 of 8: OS and libc"
expect_screen "(•) 64-bit Raspberry Pi OS (arm64)"
expect_screen "Target: aarch64-unknown-linux-gnu"
keys Enter; wait_for "linkers work for aarch64-unknown-linux-gnu"
expect_screen "(•) aarch64-linux-gnu-gcc"
keys Enter; wait_for "Step 5 of 8: CPU"
expect_screen "(•) cortex-a76    Cortex-A76 (Pi 5, 500)"
keys Enter; wait_for "Step 6 of 8: Config"
keys Enter; wait_for '+linker = "aarch64-linux-gnu-gcc"'
keys w; wait_for "Step 7 of 8: Test"
wait_for "It works: the Pi ran the program"
expect_screen "Hello, world!"
expect_screen "aarch64-unknown-linux-gnu"
keys Enter; wait_for "Step 8 of 8: Summary"
expect_screen "Test:    passed: \"Hello, world!\" on pi@127.0.0.1:$P5"
keys Enter
ended 0
t_end

t_begin "refusing the host key at 80x24: the whole fingerprint shown, nothing recorded"
fppw=$(ssh-keygen -lf "$W/spw/host_key.pub" | cut -d' ' -f2)
start 80 24
detect_host "pi@127.0.0.1:$PPW"
keys Enter; wait_for "Unknown host key"
expect_screen "$fppw"
expect_screen "[n] No"
keys n; wait_for "Detection over SSH failed"
expect_screen "Enter tries again"
grep -q "\]:$PPW " "$HOME_C/.ssh/known_hosts" && t_fail "a refused key was recorded"
keys Escape; wait_for "Which Raspberry Pi will run your program?"
keys q; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_begin "a wrong password: masked, asked again, refused; then the right one logs in"
start 100 30
detect_host "pi@127.0.0.1:$PPW"
keys Enter; wait_for "Unknown host key"
keys y; wait_for "s password:"
expect_screen "Enter: send"
for i in 1 2 3; do
	text "wrong-$i"; wait_for "•••••••"
	expect_no_screen "wrong-$i"
	keys Enter
	[ $i -lt 3 ] && { sleep 0.5; wait_for "s password:"; }
done
wait_for "Detection over SSH failed"
expect_screen "cannot log in"
keys Enter; wait_for "Detect over SSH: which Pi?"
keys Enter; wait_for "s password:"
text "raspberry-sim"; keys Enter
wait_for "Detected over SSH: Raspberry Pi 4 Model B, 32-bit"
expect_no_screen "raspberry-sim"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
grep -q "raspberry-sim\|wrong-" "$err" && t_fail "a password on stderr"
t_end

t_begin "a changed host key: refused with the error screen, never a dialog"
sh "$SIM" rekey "$W/s4" pi4
cp "$HOME_C/.ssh/known_hosts" "$T_TMP/kh.before"
start 100 30
detect_host "mypi4"
keys Enter; wait_for "Detection over SSH failed"
expect_no_screen "Unknown host key"
expect_screen_re "(changed|CHANGED)"
expect_screen "ssh-keygen -R"
cmp -s "$T_TMP/kh.before" "$HOME_C/.ssh/known_hosts" || t_fail "known_hosts changed"
keys q; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_begin "Ctrl-C in the host key dialog: terminal restored, nothing recorded"
start 100 30
detect_host "pi@127.0.0.1:$P5"
sed -i "/\]:$P5 /d" "$HOME_C/.ssh/known_hosts"
keys Enter; wait_for "Unknown host key"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
grep -q "\]:$P5 " "$HOME_C/.ssh/known_hosts" && t_fail "the key was recorded"
t_end

t_begin "Ctrl-C while the linkers are probed: terminal restored at once"
start 80 24
wait_for "Rust toolchain:"
keys Enter; wait_for "Step 2 of 8: Board"
text "bcm2711"; wait_for "Raspberry Pi 4 Model B: BCM2711"
keys Enter; wait_for "Step 3 of 8"
keys Enter; wait_for "Step 4 of 8: Linker"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_done
