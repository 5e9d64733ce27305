#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# screenshots.sh BUILD_DIR - pictures of every step of the wizard for the
# README: tmux runs the wizard, capture-pane -e keeps the colours, aha turns
# the capture into HTML, headless chromium renders it to PNG. The captures
# (.ans), pages (.html) and pictures (.png) go to BUILD_DIR/screenshots/.
#
# The wizard runs as a user would have it, not on test fixtures:
#  - a clean home, /home/alice (RPX_SHOTS_HOME; created for the run and
#    removed after it, refused when it exists already), with an SSH key,
#    an ~/.ssh/config entry "raspberrypi" and a Cargo project made by
#    `cargo new` in ~/src/weather-station, where the wizard starts;
#  - rpi-cross on PATH from ~/.local/bin (a link to BUILD_DIR/rpi-cross);
#  - the Rust toolchain this machine has for ARM: Debian's rustc and cargo
#    from /usr/bin with their armhf std (scripts/setup-rust-arm.sh), so
#    the Welcome step shows Debian's version, as on such a machine;
#  - the Pi: a simulated Raspberry Pi 4 (tests/sim/pi.sh: a 32-bit
#    Raspberry Pi OS userland under qemu behind a real OpenSSH server on
#    loopback), so the Board step detects it over SSH (its new host key
#    accepted in the dialog) and the Test step runs the program on it.
# Needs root (the simulated Pi), tmux, aha, chromium, the test packages
# (make test-deps). RPI_SIM_ROOT as for the tests. Exit 1 when a step was
# not seen or a picture not made.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/$build/rpi-cross"
dir="$top/$build/screenshots"
sim="$top/tests/sim/pi.sh"
home=${RPX_SHOTS_HOME:-/home/alice}
proj="$home/src/weather-station"
die() { echo "screenshots: $*" >&2; exit 1; }

for tool in tmux aha ssh-keygen; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done
chrome=
for c in chromium chromium-browser google-chrome; do
	command -v "$c" >/dev/null 2>&1 && { chrome=$c; break; }
done
[ -n "$chrome" ] || die "chromium is not installed"
[ -x "$bin" ] || die "build $bin first"
[ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] ||
	die "no Debian rustc and cargo in /usr/bin (make test-deps)"
[ -d /usr/lib/rustlib/armv7-unknown-linux-gnueabihf/lib ] ||
	die "Debian's rustc has no armhf std (scripts/setup-rust-arm.sh)"
why=$(sh "$sim" check) || die "cannot simulate a Pi: $why"
[ -e "$home" ] && die "$home exists: set RPX_SHOTS_HOME to a folder that does not"

mkdir -p "$dir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpx-shots.XXXXXX")
sock="rpxshots-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
	tm kill-server >/dev/null 2>&1
	sh "$sim" stop "$tmp/pi" >/dev/null 2>&1
	rm -rf "$tmp" "$home"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# the user's home
mkdir -p "$home/.ssh" "$home/.local/bin" "$home/src" || die "cannot make $home"
chmod 700 "$home/.ssh"
ln -s "$bin" "$home/.local/bin/rpi-cross"
ssh-keygen -q -t ed25519 -N '' -C alice@laptop -f "$home/.ssh/id_ed25519"
USERENV="HOME=$home USER=alice LOGNAME=alice LANG=C.UTF-8 TERM=screen
 PATH=$home/.local/bin:/usr/local/bin:/usr/bin:/bin"
# shellcheck disable=SC2086
(cd "$home/src" && env -i $USERENV cargo new --vcs none weather-station) \
	>/dev/null 2>&1 || die "cargo new failed"

# the Pi
sh "$sim" setup >/dev/null 2>&1 || die "pi.sh setup failed"
sh "$sim" build pi4 >/dev/null 2>&1 || die "cannot build the simulated Pi 4"
# sshd reads the key file as the Pi's user 'pi'
chmod 755 "$tmp"
mkdir -p "$tmp/pi"
cp "$home/.ssh/id_ed25519.pub" "$tmp/pi/authorized_keys"
port=$(sh "$sim" start "$tmp/pi" pi4 no) || die "cannot start the Pi's sshd"
cat >"$home/.ssh/config" <<EOF
Host raspberrypi
	HostName 127.0.0.1
	Port $port
	User pi
EOF
chmod 600 "$home/.ssh/config"

start() {	# start COLS ROWS
	tm kill-session -t shot >/dev/null 2>&1
	# shellcheck disable=SC2086
	tm new-session -d -s shot -x "$1" -y "$2" -c "$proj" env -i $USERENV rpi-cross
}
wait_for() {	# wait_for TEXT [SECONDS]
	n=0
	until tm capture-pane -p -t shot 2>/dev/null | grep -qF -- "$1"; do
		sleep 0.1; n=$((n + 1))
		[ $n -gt $(( ${2:-15} * 10 )) ] &&
			{ echo "screenshots: never saw '$1'"; fail=1; return 1; }
	done
	return 0
}
keys() { tm send-keys -t shot "$@"; }
# shot NAME COLS ROWS: capture, convert, render.
shot() {
	sleep 0.3	# the spinner and the status line settle
	tm capture-pane -p -e -N -t shot >"$dir/$1.ans"
	aha --black --title "rpi-cross: $1" <"$dir/$1.ans" |
		sed 's|<pre>|<pre style="font: 15px/1.2 DejaVu Sans Mono, monospace; margin: 8px">|' \
		>"$dir/$1.html"
	w=$(( $2 * 9 + 16 )) h=$(( $3 * 18 + 16 ))
	"$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--window-size="$w,$h" --screenshot="$dir/$1.png" \
		"file://$dir/$1.html" >/dev/null 2>&1
	if [ -s "$dir/$1.png" ]; then echo "  $dir/$1.png"
	else echo "screenshots: $1.png not made"; fail=1; fi
}

echo "screenshots in $dir:"
fail=0
start 100 30
wait_for "Rust toolchain:" && wait_for "7/7" && shot 1-welcome 100 30
keys Enter; wait_for "Step 2 of 8: Board" && shot 2-board 100 30
keys Enter; wait_for "Detect over SSH: which Pi?" && wait_for "raspberrypi" &&
	shot 2-board-host 100 30
keys Tab; wait_for "Host: raspberrypi"
keys Enter; wait_for "Unknown host key" 30 && shot 2-board-host-key 100 30
keys y; wait_for "Detected over SSH: Raspberry Pi 4 Model B" 60 && shot 2-board-detected 100 30
keys Enter; wait_for "Step 3 of 8" && shot 3-os-libc 100 30
keys Enter; wait_for "linkers work for" 60 && shot 4-linker 100 30
# (Debian's rustc cannot list CPUs: the step offers the Pi cores)
keys Enter; wait_for "Step 5 of 8" && wait_for "cortex-a72" 30 && shot 5-cpu 100 30
keys Home Enter; wait_for "Step 6 of 8"
# the runner and [build] target too, so that cargo run runs on the Pi
keys Up Space; wait_for '[x] runner = "rpi-cross run --host raspberrypi"'
keys Up Space; wait_for '[x] [build] target = "armv7-unknown-linux-gnueabihf"' && shot 6-config 100 30
keys End Enter; wait_for "The changes to" && shot 6-config-diff 100 30
keys w; wait_for "Step 7 of 8" && wait_for "Hello, world!" 180 && shot 7-test 100 30
keys Enter; wait_for "Step 8 of 8" && shot 8-summary 100 30
keys '?'; wait_for "Keys everywhere" && shot help 100 30
keys Escape; keys q; wait_for "Quit rpi-cross?" && shot quit 100 30
keys y
start 40 10
wait_for "at least 60x18" && shot too-small 40 10
keys q
exit $fail
