#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# tui.sh - the wizard in a real terminal: tmux runs it, send-keys types,
# capture-pane reads the screen. Each run records `stty -g` in the pane
# before and after, so every exit path is checked to give the terminal
# back as it found it.
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/tmuxlib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	t_begin "the wizard in tmux"
	t_skip "tmux is not installed (apt-get install tmux)"
	t_done
	exit 0
fi

tmux_init rpxtest 8 40 20

# A fake rustc whose sysroot has the std of arm-unknown-linux-gnueabihf.
fake="$T_TMP/tc"
mkdir -p "$fake/sysroot/lib/rustlib/arm-unknown-linux-gnueabihf/lib"
cat >"$fake/rustc" <<SH
#!/bin/sh
case "\$*" in
"--version") echo "rustc 9.9.9 (fake)";;
"--print sysroot") echo "$fake/sysroot";;
*) exit 1;;
esac
SH
chmod +x "$fake/rustc"

TM_ENV="RUSTC=$fake/rustc HOME=$T_TMP/home XDG_CONFIG_HOME=$T_TMP/cfg"

# skip_test: on the Test step, go on without testing (with no host, the
# final test offers emulation first; Skip is the last entry).
skip_test() {
	wait_for "Skip the test" || return 1
	keys End
}
# to_step N: from a fresh start, walk to step N (2..8) with a Pi 2 Model B
# (32-bit only, ARMv7: Debian's arm-linux-gnueabihf-gcc links for it), the
# recommended linker, and the Cargo config written in the test's HOME.
to_step() {
	wait_for "7/7" || return 1
	keys Enter; wait_for "Step 2 of 8: Board" || return 1
	[ "$1" -le 2 ] && return 0
	text "bcm2836"; wait_for "1 of 25 models" || return 1
	keys Enter; wait_for "Which OS does your Raspberry Pi 2 Model B run" || return 1
	_s=3
	while [ $_s -lt "$1" ]; do
		case $_s in
		4) wait_for "linkers work for armv7-unknown-linux-gnueabihf" || return 1 ;;
		6) keys Enter; wait_for "The changes to" || return 1 ;;
		7) skip_test ;;
		esac
		keys Enter; _s=$((_s + 1))
		wait_for "Step $_s of 8" || return 1
	done
}

t_begin "walk Welcome to Summary with a Pi Zero W at 100x30"
start 100 30
wait_for "Step 1 of 8: Welcome"
wait_for "Rust toolchain: rustc 9.9.9 (fake)"
wait_for "7/7"
expect_screen_re "arm-unknown-linux-gnueabihf +std installed"
expect_screen_re "aarch64-unknown-linux-gnu +std not installed"
expect_screen "Enter Next"
keys Enter; wait_for "Step 2 of 8: Board"
expect_screen "Detect over SSH"
expect_screen "Raspberry Pi 4 Model B"
expect_screen "25 of 25 models"
text "zero"; wait_for "3 of 25 models"
expect_screen "Filter: zero"
expect_screen_re "Raspberry Pi Zero W +ARM1176JZF-S +ARMv6 +32-bit only"
expect_screen_re "Raspberry Pi Zero 2 W +Cortex-A53 +ARMv8 +32/64-bit"
expect_no_screen "Raspberry Pi 4 Model B"
expect_no_screen "Detect over SSH"
keys Down; wait_for "Raspberry Pi Zero W: BCM2835"
keys Enter; wait_for "Step 3 of 8: OS and libc"
expect_screen "Which OS does your Raspberry Pi Zero W run"
expect_screen "64-bit Raspberry Pi OS (arm64)  not possible: this board's CPU is 32-bit only"
expect_screen "Target: arm-unknown-linux-gnueabihf (recommended)"
expect_screen "an armv7- binary dies here with \"Illegal instruction\""
expect_screen "std: installed for arm-unknown-linux-gnueabihf"
# the cursor skips the disabled 64-bit entry: Up from 32-bit stays there,
# Down goes to gnu; Space on 32-bit leaves 64-bit unchosen
keys Up Up Space
wait_for "(•) 32-bit Raspberry Pi OS"
expect_screen "( ) 64-bit Raspberry Pi OS"
# musl, then back to gnu, with the target following
keys Down Down Down Space
wait_for "Target: arm-unknown-linux-musleabihf"
expect_screen "std: not installed: put the std for arm-unknown-linux-musleabihf into"
keys Up Space; wait_for "Target: arm-unknown-linux-gnueabihf"
keys Enter; wait_for "Step 4 of 8: Linker"
# Debian's arm-linux-gnueabihf-gcc is ARMv7: nothing links for a Pi Zero W
wait_for "None of them links for arm-unknown-linux-gnueabihf"
expect_screen "arm-linux-gnueabihf-gcc"
expect_screen "fails"
expect_screen "for ARMv6 use"
expect_screen "r to probe again"
keys Enter; wait_for "arm-linux-gnueabihf-gcc does not work for arm-unknown-linux-gnueabihf"
expect_screen "Step 4 of 8: Linker"
# back to the Board step: a Pi 2 Model B (ARMv7) instead
keys Escape; wait_for "Step 3 of 8: OS and libc"
keys Escape; wait_for "Step 2 of 8: Board"
keys Escape; text "bcm2836"; wait_for "1 of 25 models"
keys Enter; wait_for "Which OS does your Raspberry Pi 2 Model B run"
expect_screen "Target: armv7-unknown-linux-gnueabihf (recommended)"
keys Enter; wait_for "Step 4 of 8: Linker"
wait_for "linkers work for armv7-unknown-linux-gnueabihf"
expect_screen_re "\(•\) arm-linux-gnueabihf-gcc +✓ works +ARM 32-bit hard-float ARMv7.*recommended"
expect_screen_re "arm-linux-gnueabihf-ld +✗ fails"
expect_screen "Works: linked a C hello-world for armv7-unknown-linux-gnueabihf"
keys Enter; wait_for "Step 5 of 8: CPU"
expect_screen "(•) cortex-a7     Cortex-A7 (Pi 2)"
expect_screen "this board"
expect_screen "newer than this board: Illegal instruction"
wait_for "rustc could not list its CPUs"
keys Enter; wait_for "Step 6 of 8: Config"
expect_screen "(•) Global: $T_TMP/home/.cargo/config.toml"
expect_screen "[ ] [build] target = \"armv7-unknown-linux-gnueabihf\""
expect_screen "Show the changes"
keys Enter; wait_for "The changes to $T_TMP/home/.cargo/config.toml"
expect_screen "+linker = \"arm-linux-gnueabihf-gcc\""
expect_screen "+rustflags = [\"-C\", \"target-cpu=cortex-a7\"]"
[ -e "$T_TMP/home/.cargo/config.toml" ] && t_fail "written before Write"
keys w; wait_for "Step 7 of 8: Test"
expect_screen "Wrote $T_TMP/home/.cargo/config.toml"
printf '[target.armv7-unknown-linux-gnueabihf]\nlinker = "arm-linux-gnueabihf-gcc"\nrustflags = ["-C", "target-cpu=cortex-a7"]\n' >"$T_TMP/want.toml"
cmp -s "$T_TMP/want.toml" "$T_TMP/home/.cargo/config.toml" ||
	t_fail "config.toml: $(cat "$T_TMP/home/.cargo/config.toml")"
expect_screen "build a hello-world for armv7-unknown-linux-gnueabihf with your Cargo config"
expect_screen "Run it under emulation"
expect_no_screen "Run it on the Pi:"
skip_test
keys Enter; wait_for "Step 8 of 8: Summary"
expect_screen "Board:   Raspberry Pi 2 Model B (chosen)"
expect_screen "Target:  armv7-unknown-linux-gnueabihf (recommended)"
expect_screen "Linker:  arm-linux-gnueabihf-gcc (chosen)"
expect_screen "CPU:     cortex-a7 (recommended)"
expect_screen "Config:  $T_TMP/home/.cargo/config.toml (written"
expect_screen "Build:   cargo build --release --target armv7-unknown-linux-gnueabihf"
# Save as profile, then finish
keys s; wait_for "Profile name:"
text "bench-pi2"; keys Enter
wait_for "Saved profile 'bench-pi2' in $T_TMP/cfg/rpi-cross/profiles.yaml"
grep -q "^bench-pi2:" "$T_TMP/cfg/rpi-cross/profiles.yaml" || t_fail "no profile saved"
grep -q "board: pi2$" "$T_TMP/cfg/rpi-cross/profiles.yaml" || t_fail "the profile lacks the board"
grep -q "linker: arm-linux-gnueabihf-gcc" "$T_TMP/cfg/rpi-cross/profiles.yaml" || t_fail "the profile lacks the linker"
keys Enter
ended 0
expect_screen "rpi-cross: the plan so far"
rm -rf "$T_TMP/home/.cargo" "$T_TMP/cfg/rpi-cross/profiles.yaml"
t_end

t_begin "80x24 shows each working step whole"
start 80 24
wait_for "7/7"
expect_screen "q Quit"
keys Enter; wait_for "Step 2 of 8: Board"
expect_screen "Raspberry Pi Model A"
expect_screen "Enter Choose"
text "pi 4"; wait_for "Raspberry Pi 4 Model B: BCM2711, 4"
keys Enter; wait_for "Step 3 of 8: OS and libc"
expect_screen "(•) 64-bit Raspberry Pi OS (arm64)"
expect_screen "Target: aarch64-unknown-linux-gnu (recommended)"
expect_screen "std: not installed: put the std for aarch64-unknown-linux-gnu into"
keys Enter; wait_for "Step 4 of 8: Linker"
wait_for "linkers work for aarch64-unknown-linux-gnu"
expect_screen "(•) aarch64-linux-gnu-gcc"
keys Enter; wait_for "Step 5 of 8: CPU"
expect_screen "(•) cortex-a72"
expect_screen "Type another CPU name"
expect_no_screen "arm1176jzf-s"
keys Enter; wait_for "Step 6 of 8: Config"
expect_screen "Show the changes"
keys Enter; wait_for "+linker = \"aarch64-linux-gnu-gcc\""
keys Enter; wait_for "Step 7 of 8"
skip_test
keys Enter; wait_for "Step 8 of 8: Summary"
expect_screen_re "Build: +cargo build --release --target aarch64-unknown-linux-gnu"
rm -rf "$T_TMP/home/.cargo"
keys q; wait_for "Quit rpi-cross?"
keys y
ended 0
t_end

t_begin "40x10 asks for a bigger terminal, q still quits"
start 40 10
wait_for "Make the terminal at least 60x18"
expect_screen "(it is 40x10 now)."
expect_no_screen "Step 1 of 8"
keys q
ended 0
t_end

t_begin "a resize mid-step lays out again at once"
start 100 30
to_step 2
text "zero"; wait_for "3 of 25 models"
tm resize-window -t "$S" -x 40 -y 10
wait_for "Make the terminal at least 60x18"
expect_screen "(it is 40x10 now)."
tm resize-window -t "$S" -x 72 -y 20
wait_for "Step 2 of 8: Board"
expect_screen "Filter: zero"
expect_screen "Raspberry Pi Zero 2 W"
expect_no_screen "at least 60x18"
tm resize-window -t "$S" -x 120 -y 40
wait_for "Summary"
keys Enter; wait_for "Step 3 of 8: OS and libc"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_begin "Ctrl-C on the Welcome step quits at once, terminal restored"
start 100 30
wait_for "7/7"
keys C-c
ended 0
expect_empty_err
t_end

for step in 2 3 4 5 6 7 8; do
	t_begin "Ctrl-C then y on step $step quits, terminal restored"
	rm -rf "$T_TMP/home/.cargo"
	start 100 30
	to_step $step
	keys C-c
	if [ $step -le 6 ]; then
		wait_for "Quit rpi-cross? Nothing has been written"
	else
		wait_for "Quit rpi-cross? The Cargo config is written"
	fi
	expect_screen "[y] Yes"
	keys y
	ended 0
	expect_no_screen "rpi-cross: the plan so far"
	t_end
done

t_begin "q then n (or Esc) keeps the wizard running"
start 100 30
to_step 2
keys q; wait_for "Quit rpi-cross?"
keys n; wait_gone "Quit rpi-cross?"
expect_screen "Step 2 of 8: Board"
keys q; wait_for "Quit rpi-cross?"
keys Escape; wait_gone "Quit rpi-cross?"
text "pi 5"; wait_for "Filter: pi 5"
expect_screen "Raspberry Pi 5 Model B"
keys C-c; wait_for "Quit rpi-cross?"
keys C-c
ended 0
t_end

t_begin "SIGTERM and SIGHUP restore the terminal"
for sig in TERM HUP; do
	start 100 30
	to_step 3
	pane=$(tm display-message -p -t "$S" '#{pane_pid}')
	child=$(pgrep -P "$pane" | head -n 1)
	if [ -z "$child" ]; then t_fail "no wizard process under pane $pane"; break; fi
	kill -s "$sig" "$child"
	case $sig in TERM) ended 143 ;; HUP) ended 129 ;; esac
	expect_err "stopped by signal"
done
t_end

t_begin "the fatal-error path ends curses before printing"
start 100 30 RPI_CROSS_UI_EXIT=fatal
ended 1
expect_err "rpi-cross: error: fatal-error path taken on request"
t_end

t_begin "? opens the help, Esc closes it"
start 100 30
to_step 2
keys '?'; wait_for "Keys everywhere"
expect_screen "Ctrl-U, Ctrl-W"
keys Escape; wait_gone "Keys everywhere"
expect_screen "Step 2 of 8: Board"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_begin "UTF-8: a non-ASCII filter is kept whole and finds nothing"
start 100 30
to_step 2
expect_screen "rpi-cross — Step 2 of 8"
text "é"; wait_for "No model matches 'é'"
expect_screen "Filter: é"
keys BSpace; wait_for "25 of 25 models"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_begin "a C locale gets ASCII stand-ins, never broken bytes"
rm -rf "$T_TMP/home/.cargo"
start 100 30 LANG=C LC_ALL=C
wait_for "7/7"
expect_screen "rpi-cross - Step 1 of 8: Welcome"
expect_screen "Welcome > Board > OS and libc"
expect_screen "Up/Down Scroll"
to_step 8
expect_screen "OS:      32-bit Raspberry Pi OS (recommended) - this board's CPU is 32-bit only"
# no '?' stand-in anywhere but the help line's "? Help" key
screen | grep -v "? Help" | grep -qF "?" && t_fail "a '?' stand-in on the screen"
keys q; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_begin "no Rust: Welcome says how to install it and refuses Next"
start 100 30 RUSTC=/nonexistent/rustc
wait_for "No Rust toolchain found"
expect_screen "sh.rustup.rs"
keys Enter; wait_for "install Rust first"
expect_screen "Step 1 of 8: Welcome"
keys q
ended 0
t_end

t_begin "a slow toolchain search does not block the keys"
cat >"$T_TMP/slow-rustc" <<SH
#!/bin/sh
sleep 2
exec "$fake/rustc" "\$@"
SH
chmod +x "$T_TMP/slow-rustc"
start 100 30 RUSTC="$T_TMP/slow-rustc"
wait_for "Looking for the Rust toolchain"
keys Enter; wait_for "still looking for the Rust toolchain"
keys '?'; wait_for "Keys everywhere"
expect_no_screen "7/7"
keys Escape; wait_gone "Keys everywhere"
wait_for "Rust toolchain: rustc 9.9.9 (fake)"
wait_for "7/7"
keys Enter; wait_for "Step 2 of 8: Board"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_begin "Ctrl-C during the toolchain search quits cleanly"
start 100 30 RUSTC="$T_TMP/slow-rustc"
wait_for "Looking for the Rust toolchain"
keys C-c
ended 0
expect_empty_err
t_end

t_begin "CPU: typing another name with the editing keys"
start 100 30
to_step 5
keys End Enter; wait_for "CPU name:"
text "foo bar"; keys C-w; text "baz"
wait_for "CPU name: foo baz"
keys C-u; text "neoverse-11"; keys BSpace Left; text "n"; keys End
wait_for "CPU name: neoverse-n1"
keys Enter; wait_for "CPU set to neoverse-n1."
expect_screen "neoverse-n1   (typed in)"
keys Enter; wait_for "Step 6 of 8"
keys Enter; wait_for "+rustflags = [\"-C\", \"target-cpu=neoverse-n1\"]"
keys Enter; wait_for "Step 7 of 8"
skip_test
keys Enter; wait_for "Step 8 of 8: Summary"
expect_screen "CPU:     neoverse-n1 (chosen)"
rm -rf "$T_TMP/home/.cargo"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_begin "NO_COLOR: no colour escapes on the screen"
start 100 30 NO_COLOR=1
wait_for "7/7"
tm capture-pane -p -e -t "$S" >"$out"
# 39/49 are "default colour" (tmux writes them after a reset): not colour
if grep -qE "$(printf '\033')\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m" "$out"; then
	t_fail "colour escapes with NO_COLOR"
fi
grep -q "$(printf '\033')\\[" "$out" || t_fail "no attributes at all (bold/reverse expected)"
keys q; ended 0
t_end

t_begin "a terminal without colours gets the monochrome theme"
start 100 30 TERM=vt100
wait_for "7/7"
tm capture-pane -p -e -t "$S" >"$out"
if grep -qE "$(printf '\033')\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m" "$out"; then
	t_fail "colour escapes on a vt100"
fi
keys q; ended 0
t_end

t_begin "colours are on without NO_COLOR"
start 100 30
wait_for "7/7"
tm capture-pane -p -e -t "$S" >"$out"
grep -qE "$(printf '\033')\\[([0-9;]*;)?(3[0-7]|4[0-7])(;[0-9;]*)?m" "$out" ||
	t_fail "no colour escapes in the default theme"
keys q; ended 0
t_end

t_begin "stdin not a terminal: exit 2 with the reason"
N=$((N + 1)); RUN="$T_TMP/run$N"; mkdir -p "$RUN"
tm new-session -d -s "w$N" -x 100 -y 30 \
	"$RPX_WRAP $RPX_BIN </dev/null 2>$RUN/stderr; echo \$? >$RUN/rc; echo WIZARD-ENDED; exec sleep 300"
tm kill-session -t "w$((N - 1))" >/dev/null 2>&1
S="w$N"
wait_for "WIZARD-ENDED"
rc=$(cat "$RUN/rc"); cp "$RUN/stderr" "$err"
expect_rc 2
expect_err "the wizard needs a terminal"
t_end

t_begin "a bad theme file: file:line:column warning, wizard still starts"
mkdir -p "$T_TMP/cfg/rpi-cross/themes"
printf 'name: bad\nroles:\n  title: { fg: purplish }\n' >"$T_TMP/cfg/rpi-cross/themes/bad.yaml"
start 100 30 -- --theme bad
wait_for "Step 1 of 8: Welcome"
wait_for "bad.yaml:3:16: unknown colour 'purplish'"
keys q
ended 0
expect_err "warning:"
expect_err "$T_TMP/cfg/rpi-cross/themes/bad.yaml:3:16: unknown colour 'purplish'"
expect_err "using the built-in default theme"
t_end

t_begin "RPI_CROSS_THEME picks a theme from the config folder, silently"
cp "$RPX_TOP/themes/high-contrast.yaml" "$T_TMP/cfg/rpi-cross/themes/"
start 100 30 RPI_CROSS_THEME=high-contrast
wait_for "7/7"
tm capture-pane -p -e -t "$S" >"$out"
# high-contrast draws the text on black (background 40)
grep -q "$(printf '\033')\\[[0-9;]*40[;m]" "$out" || t_fail "no black background"
keys q
ended 0
expect_empty_err
t_end

t_begin "Welcome: a saved profile is offered and the steps start from it"
mkdir -p "$T_TMP/cfg/rpi-cross"
printf 'mypi:\n  board: pi4\n  bits: 32\n  cpu: cortex-a53\n  host: pi@example\n' \
	>"$T_TMP/cfg/rpi-cross/profiles.yaml"
start 100 30
wait_for "1 saved profile: p starts from one."
keys p; wait_for "Start from which profile?"
expect_screen "mypi"
expect_screen "Raspberry Pi 4 Model B, pi@example"
keys Enter; wait_for "Started from profile 'mypi'"
expect_screen "Step 2 of 8: Board"
keys Enter; wait_for "Step 3 of 8: OS and libc"
expect_screen "(•) 32-bit Raspberry Pi OS"
expect_screen "Target: armv7-unknown-linux-gnueabihf"
keys Enter; wait_for "linkers work for armv7-unknown-linux-gnueabihf"
keys Enter; wait_for "Step 5 of 8: CPU"
expect_screen "(•) cortex-a53"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
rm -f "$T_TMP/cfg/rpi-cross/profiles.yaml"
t_end

t_begin "Welcome: an existing Cargo config's Pi target is where the steps start"
mkdir -p "$T_TMP/home/.cargo"
printf '[target.aarch64-unknown-linux-gnu]\nlinker = "aarch64-linux-gnu-gcc"\nrustflags = ["-C", "target-cpu=cortex-a53"]\n' \
	>"$T_TMP/home/.cargo/config.toml"
cp "$T_TMP/home/.cargo/config.toml" "$T_TMP/before.toml"
start 100 30
wait_for "already sets up"
expect_screen "aarch64-unknown-linux-gnu with aarch64-linux-gnu-gcc, CPU cortex-a53"
keys Enter; wait_for "Step 2 of 8: Board"
text "bcm2711"; wait_for "4 of 25 models"
keys Enter; wait_for "Step 3 of 8: OS and libc"
expect_screen "(•) 64-bit Raspberry Pi OS"
keys Enter; wait_for "linkers work for aarch64-unknown-linux-gnu"
expect_screen "(•) aarch64-linux-gnu-gcc"
keys Enter; wait_for "Step 5 of 8: CPU"
expect_screen "(•) cortex-a53"
keys Enter; wait_for "Step 6 of 8: Config"
keys Enter; wait_for "None: the file already says all this."
keys Enter; wait_for "Step 7 of 8"
cmp -s "$T_TMP/before.toml" "$T_TMP/home/.cargo/config.toml" || t_fail "the config was rewritten"
[ -e "$T_TMP/home/.cargo/config.toml.bak" ] && t_fail "a backup of an unchanged file"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
rm -rf "$T_TMP/home/.cargo"
t_end

t_begin "Test step: a failed final test explains, retries, and goes back to the step that fixes it"
rm -rf "$T_TMP/home/.cargo"
start 100 30
to_step 7
wait_for "Run it under emulation"
keys Enter; wait_for "The test failed at"
expect_screen "r retries, b goes back to the"
expect_screen "FAIL"
keys r; wait_for "Testing under emulation"
wait_for "The test failed at"
screen >"$out"
back=$(sed -n 's/.*b goes back to the \(.*\) step, Enter goes on anyway.*/\1/p' "$out" | head -n 1)
[ -n "$back" ] || t_fail "no step to go back to"
keys b; wait_for "of 8: $back"
expect_no_screen "Step 7 of 8"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
rm -rf "$T_TMP/home/.cargo"
t_end

t_begin "closing the terminal ends the wizard with 129, no spinning"
start 100 30
to_step 2
pane=$(tm display-message -p -t "$S" '#{pane_pid}')
child=$(pgrep -P "$pane" | head -n 1)
tm kill-session -t "$S"
_end=$(( $(date +%s) + WAIT ))
while kill -0 "$child" 2>/dev/null && [ "$(date +%s)" -lt "$_end" ]; do sleep 0.05; done
kill -0 "$child" 2>/dev/null && t_fail "the wizard still runs after its terminal closed"
_end=$(( $(date +%s) + WAIT ))
while [ ! -s "$RUN/rc" ] && [ "$(date +%s)" -lt "$_end" ]; do sleep 0.05; done
rc=$(cat "$RUN/rc" 2>/dev/null || echo none)
[ "$rc" = 129 ] || t_fail "exit status $rc, expected 129 (SIGHUP)"
grep -q "the terminal went away" "$RUN/stderr" || t_fail "stderr lacks 'the terminal went away'"
t_end

# make run starts the plain build's binary: not under valgrind or a sanitizer
t_begin "make run: quitting the wizard is no error for make (status 0, no 'Error')"
rel=${RPX_BUILD#"$RPX_TOP"/}
if [ -n "${RPX_WRAP:-}${RPX_SANITIZED:-}" ] || [ "$rel" = "$RPX_BUILD" ] ||
	! command -v make >/dev/null 2>&1; then
	t_skip "only for the plain build under the source tree"
else
	N=$((N + 1)); RUN="$T_TMP/run$N"; mkdir -p "$RUN"
	# shellcheck disable=SC2086
	tm new-session -d -s "w$N" -x 100 -y 30 \
		"env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS LANG=C.UTF-8 TERM=screen $TM_ENV \
		 make --no-print-directory -C '$RPX_TOP' BUILD='$rel' run; \
		 echo MAKE-ENDED rc=\$?; exec sleep 300"
	tm kill-session -t "w$((N - 1))" >/dev/null 2>&1
	S="w$N"
	wait_for "Step 1 of 8: Welcome"
	wait_for "7/7"
	keys q
	wait_for "MAKE-ENDED rc=0"
	expect_no_screen "Error"
	expect_no_screen "make: ***"
fi
t_end

t_done
