#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# stdinstall.sh - a missing std installed by rpi-cross itself: the wizard's
# OS step runs `rustup target add` through a real pseudo-terminal and shows
# rustup's own progress bar live in its task area (Ctrl-C stops it, the
# terminal is given back); `setup` on a terminal lets rustup draw its bar
# there, and prints plain lines when stderr is a file.
#
# rustup cannot download here (no network), so `rustup` below is a
# stand-in for that external program only: a script that, like rustup,
# draws a bar with '\r' and escape sequences when stderr is a terminal
# ([ -t 2 ], its size from stty) and plain lines otherwise, and records
# what it saw. Everything on rpi-cross's side is real: the pty, the
# replay, the TUI, the terminal.
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/tmuxlib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	t_begin "std install"
	t_skip "tmux is not installed (apt-get install tmux)"
	t_done
	exit $?
fi
tmux_init rpxstd 10 60 30

# A rustup toolchain without the ARM std: rustc answers for itself and
# hands the rest to this machine's rustc (rustup's when there is one).
fr="$T_TMP/fr"
sys="$fr/rustup/toolchains/stable-x86_64-unknown-linux-gnu"
mkdir -p "$sys/bin" "$fr/cargo/bin" "$T_TMP/home"
real_rustc=$(rustup which rustc 2>/dev/null || command -v rustc || echo false)
cat >"$sys/bin/rustc" <<SH
#!/bin/sh
case "\$*" in
"--version") echo "rustc 1.95.0 (59807616e 2026-04-14)";;
"-vV") printf 'rustc 1.95.0 (59807616e 2026-04-14)\\nhost: x86_64-unknown-linux-gnu\\nrelease: 1.95.0\\n';;
"--print sysroot") echo "$sys";;
*) exec $real_rustc "\$@";;
esac
SH
log="$T_TMP/rustup.log"
cat >"$fr/cargo/bin/rustup" <<'SH'
#!/bin/sh
# A stand-in for the external program rustup (see the suite's header).
log=$RUSTUP_STANDIN_LOG
echo "rustup $* pid=$$" >>"$log"
[ "$1 $2" = "target add" ] || exit 1
for a; do t=$a; done
sys=$RUSTUP_HOME/toolchains/stable-x86_64-unknown-linux-gnu
if [ -t 2 ]; then
	echo "stderr=tty size=$(stty size <&2)" >>"$log"
	printf '\033[1minfo:\033[0m downloading component \047rust-std\047 for \047%s\047\n' "$t" >&2
	for p in 0 10 25 40 55 70 85 100; do
		m=$((p * 253 / 100)); n=$((p / 5))
		bar=$(printf '%*s' "$n" '' | tr ' ' '#')
		printf '\r\033[2K %2d.%d MiB / 25.3 MiB (%3d %%) [%-20s]' \
			$((m / 10)) $((m % 10)) "$p" "$bar" >&2
		sleep "${RUSTUP_STANDIN_DELAY:-0.2}"
	done
	printf '\n' >&2
else
	echo "stderr=not-a-tty" >>"$log"
	echo "info: downloading component 'rust-std' for '$t'" >&2
fi
echo "info: installing component 'rust-std' for '$t'" >&2
mkdir -p "$sys/lib/rustlib/$t/lib"
SH
chmod +x "$sys/bin/rustc" "$fr/cargo/bin/rustup"
ENVS="HOME=$T_TMP/home XDG_CONFIG_HOME=$T_TMP/cfg CARGO_HOME=$fr/cargo RUSTUP_HOME=$fr/rustup
 RUSTUP_STANDIN_LOG=$log PATH=$fr/cargo/bin:/usr/bin:/bin RUSTC=$sys/bin/rustc"
TM_ENV=$(echo $ENVS)
A64=aarch64-unknown-linux-gnu
A32=armv7-unknown-linux-gnueabihf

# to_os: Welcome, then the Pi 4 on the Board step, to the OS step.
to_os() {
	wait_for "7/7" || return 1
	keys Enter; wait_for "Step 2 of 8: Board" || return 1
	text "bcm2711"; wait_for "Raspberry Pi 4 Model B  " || return 1
	keys Enter; wait_for "Step 3 of 8: OS and libc"
}

t_begin "wizard: a missing std is offered, i runs rustup in a pty, its bar updates live in the task area"
rm -rf "$sys/lib/rustlib" "$log"
start 100 30 RUSTUP_STANDIN_DELAY=0.4
to_os
expect_screen "std: not installed. Enter or i installs it now (rustup target add --toolchain"
expect_screen "stable-x86_64-unknown-linux-gnu $A64)."
expect_screen "i Install std"
keys i
wait_for "Installing the std for $A64 with rustup..."
expect_screen "Ctrl-C Stop"
# a frame in the middle: the bar drawn in place, on one row
wait_for_re "MiB / 25.3 MiB \( *(25|40|55|70) %\)"
[ "$(grep -c 'MiB / 25.3 MiB' "$out")" -eq 1 ] || t_fail "the bar is not one row: $(cat "$out")"
wait_for "Installed the std for $A64."
expect_screen "25.3 MiB / 25.3 MiB (100 %) [####################]"
expect_screen "info: installing component 'rust-std' for '$A64'"
expect_screen "std: installed for $A64"
grep -q "^stderr=tty size=[0-9]* 96$" "$log" || t_fail "rustup did not see a 96-column terminal: $(cat "$log")"
[ -d "$sys/lib/rustlib/$A64/lib" ] || t_fail "the std is not there"
keys Enter; wait_for "Step 4 of 8: Linker"
keys q; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_begin "wizard: Ctrl-C stops rustup (its process gone, no std), then the wizard quits with the terminal restored"
rm -rf "$sys/lib/rustlib" "$log"
start 100 30 RUSTUP_STANDIN_DELAY=5
to_os
keys Enter
wait_for "MiB / 25.3 MiB ("
keys C-c
wait_for "Stopped: the std for $A64 is not installed."
expect_no_screen "Quit rpi-cross?"
expect_screen "std: not installed. Enter or i"
pid=$(sed -n 's/^rustup .* pid=\([0-9]*\)$/\1/p' "$log" | head -n 1)
[ -n "$pid" ] || t_fail "rustup never ran"
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && t_fail "rustup ($pid) still runs"
[ -d "$sys/lib/rustlib/$A64" ] && t_fail "a std appeared"
keys C-c; wait_for "Quit rpi-cross?"; keys y
ended 0
t_end

t_begin "wizard: quitting while rustup runs stops it and restores the terminal"
rm -rf "$sys/lib/rustlib" "$log"
start 100 30 RUSTUP_STANDIN_DELAY=5
to_os
keys i; wait_for "MiB / 25.3 MiB ("
keys q; wait_for "Quit rpi-cross?"; keys y
ended 0
pid=$(sed -n 's/^rustup .* pid=\([0-9]*\)$/\1/p' "$log" | head -n 1)
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && t_fail "rustup ($pid) outlived the wizard"
t_end

# setup on a terminal: its own pane, stderr the terminal
t_begin "setup on a terminal: rustup draws its bar there (a pty as wide as the terminal)"
rm -rf "$sys/lib/rustlib" "$log"
N=$((N + 1)); RUN="$T_TMP/run$N"; mkdir -p "$RUN"
# shellcheck disable=SC2086
tm new-session -d -s "w$N" -x 90 -y 30 \
	"env LANG=C.UTF-8 TERM=screen $TM_ENV $RPX_WRAP $RPX_BIN setup --board pi4 --bits 32 --yes \
	 --project $T_TMP/proj; echo SETUP-ENDED rc=\$?; exec sleep 300"
tm kill-session -t "w$((N - 1))" >/dev/null 2>&1
S="w$N"
wait_for "SETUP-ENDED rc=0"
expect_screen "25.3 MiB / 25.3 MiB (100 %) [####################]"
expect_no_screen "( 40 %)"
expect_screen "Installed the std for $A32."
grep -q "^stderr=tty size=[0-9]* 90$" "$log" || t_fail "rustup did not see the 90-column terminal: $(cat "$log")"
t_end

t_begin "setup without a terminal: rustup sees none, its lines come indented"
rm -rf "$sys/lib/rustlib" "$log"
# shellcheck disable=SC2086
rpx_env $ENVS -- setup --board pi4 --bits 32 --yes --project "$T_TMP/proj2"
expect_rc 0
expect_err "Installing the std for $A32 with rustup"
expect_err "  info: downloading component 'rust-std' for '$A32'"
grep -q "^stderr=not-a-tty$" "$log" || t_fail "rustup saw a terminal: $(cat "$log")"
t_end

t_done
