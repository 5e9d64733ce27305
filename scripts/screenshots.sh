#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# screenshots.sh BUILD_DIR - pictures of the wizard's screens for the
# README: tmux runs the wizard, capture-pane -e keeps the colours, aha turns
# the capture into HTML, headless chromium renders it to PNG. The captures
# (.ans), pages (.html) and pictures (.png) go to BUILD_DIR/screenshots/.
# Needs tmux, aha and chromium (Debian packages; see install-deps.sh).
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/$build/rpi-cross"
dir="$top/$build/screenshots"
for tool in tmux aha; do
	command -v "$tool" >/dev/null 2>&1 || { echo "screenshots: $tool is not installed"; exit 1; }
done
chrome=
for c in chromium chromium-browser google-chrome; do
	command -v "$c" >/dev/null 2>&1 && { chrome=$c; break; }
done
[ -n "$chrome" ] || { echo "screenshots: chromium is not installed"; exit 1; }
[ -x "$bin" ] || { echo "screenshots: build $bin first"; exit 1; }
mkdir -p "$dir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpx-shots.XXXXXX")
sock="rpxshots-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM

# A fake rustc with one installed std, so that the pictures do not depend
# on this machine's toolchain; what it really compiles (the Linker step's
# probe links) goes to Debian's rustc, which has that std too.
mkdir -p "$tmp/sysroot/lib/rustlib/aarch64-unknown-linux-gnu/lib"
cat >"$tmp/rustc" <<SH
#!/bin/sh
case "\$*" in
"--version") echo "rustc 1.95.0 (59807616e 2026-04-14)";;
"--print sysroot") echo "$tmp/sysroot";;
*) [ -x /usr/bin/rustc ] && exec /usr/bin/rustc "\$@"; exit 1;;
esac
SH
chmod +x "$tmp/rustc"

start() {	# start COLS ROWS
	tm kill-session -t shot >/dev/null 2>&1
	tm new-session -d -s shot -x "$1" -y "$2" env LANG=C.UTF-8 \
		TERM=screen RUSTC="$tmp/rustc" HOME="$tmp" "$bin"
}
wait_for() {
	n=0
	until tm capture-pane -p -t shot 2>/dev/null | grep -qF -- "$1"; do
		sleep 0.05; n=$((n + 1))
		[ $n -gt 200 ] && { echo "screenshots: never saw '$1'"; return 1; }
	done
	return 0
}
keys() { tm send-keys -t shot "$@"; }
# shot NAME COLS ROWS: capture, convert, render.
shot() {
	tm capture-pane -p -e -N -t shot >"$dir/$1.ans"
	aha --black --title "rpi-cross: $1" <"$dir/$1.ans" |
		sed 's|<pre>|<pre style="font: 15px/1.2 DejaVu Sans Mono, monospace; margin: 8px">|' \
		>"$dir/$1.html"
	w=$(( $2 * 9 + 16 )) h=$(( $3 * 18 + 16 ))
	"$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--window-size="$w,$h" --screenshot="$dir/$1.png" \
		"file://$dir/$1.html" >/dev/null 2>&1
	if [ -s "$dir/$1.png" ]; then echo "  $dir/$1.png"; else echo "screenshots: $1.png not made"; fi
}

echo "screenshots in $dir:"
start 100 30
wait_for "7/7" && shot 1-welcome 100 30
keys Enter; wait_for "Step 2 of 8" && tm send-keys -t shot -l "bcm2711" &&
	wait_for "Raspberry Pi 4 Model B: BCM2711" && shot 2-board 100 30
keys Enter; wait_for "Step 3 of 8" && shot 3-os-libc 100 30
keys Enter; wait_for "linkers work for" && shot 4-linker 100 30
keys Enter; wait_for "Step 5 of 8" && shot 5-cpu 100 30
keys Enter; wait_for "Step 6 of 8" && shot 6-config 100 30
keys Enter; wait_for "The changes to" && shot 6-config-diff 100 30
keys w; wait_for "Run it under emulation" && shot 7-test 100 30
keys End Enter; wait_for "Step 8 of 8" && shot 8-summary 100 30
keys '?'; wait_for "Keys everywhere" && shot help 100 30
keys Escape; keys q; wait_for "Quit rpi-cross?" && shot quit 100 30
keys y
start 40 10
wait_for "at least 60x18" && shot too-small 40 10
keys q
exit 0
