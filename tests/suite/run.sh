#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# run.sh - `rpi-cross run` as a daily tool, against a simulated Pi (a real
# OpenSSH server in front of an ARM userland, tests/sim/pi.sh): the exit
# status that tells rpi-cross's own failures (255) from the program's; a
# terminal on the Pi (a pty) under tmux: isatty, the window size and its
# changes, colours, Ctrl-C, the local terminal restored; signals without
# a pty; the project's working folder and --sync (changed files only).
# Every sshd it starts is stopped at exit (simlib.sh).
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"
. "$RPX_TOP/tests/tmuxlib.sh"

ID=$$

cleanup() {
	rm -rf "$ROOT/pi4/home/pi/.cache/rpi-cross/work/rpxw-$ID"
	sim_rm_cached "*-$ID"
	[ -n "${LOCKED:-}" ] && rm -rf "$LOCKED"
	rmdir "$ROOT"/*/home/pi/.cache/rpi-cross/* 2>/dev/null
	:
}
t_on_exit cleanup

skip_all() {
	t_begin "run suite (simulated Pi over SSH)"
	t_skip "$1"
	t_done
	exit 0
}

command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1 ||
	skip_all "no arm-linux-gnueabihf-gcc to build the test program"
command -v tmux >/dev/null 2>&1 || skip_all "no tmux"
out_setup=$(sim_prepare pi4) || skip_all "$out_setup"
sim_client
mkdir -p "$W/bin"

# The test program: modes for the exit status, the terminal and signals.
cat >"$W/prog.c" <<'EOF'
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
static volatile sig_atomic_t winch, got;
static void on_winch(int s) { (void)s; winch = 1; }
static void on_sig(int s) { got = s; }
static void size(const char *what)
{
	struct winsize ws;
	if (ioctl(1, TIOCGWINSZ, &ws) == 0)
		printf("%s %dx%d\n", what, ws.ws_col, ws.ws_row);
	else
		printf("%s none\n", what);
	fflush(stdout);
}
int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "exit") == 0)
		return atoi(argv[2]);
	if (argc > 1 && strcmp(argv[1], "tty") == 0) {
		const char *t = getenv("TERM");
		printf("isatty in=%d out=%d err=%d TERM=%s\n", isatty(0),
		       isatty(1), isatty(2), t ? t : "(unset)");
		printf("\033[31mred\033[0m plain\n");
		size("size");
		signal(SIGWINCH, on_winch);
		printf("waiting\n");
		fflush(stdout);
		for (int i = 0; i < 600 && !winch; i++)
			usleep(50000);
		size("resized");
		return 7;
	}
	if (argc > 1 && strcmp(argv[1], "sleep") == 0) {
		printf("sleeping tty=%d\n", isatty(1));
		fflush(stdout);
		sleep(60);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "trap") == 0) {
		signal(SIGINT, on_sig);
		signal(SIGTERM, on_sig);
		signal(SIGHUP, on_sig);
		printf("trapping\n");
		fflush(stdout);
		while (!got)
			pause();
		printf("got signal %d\n", (int)got);
		return 40 + got;
	}
	if (argc > 1 && strcmp(argv[1], "files") == 0) {
		char cwd[512], buf[256];
		if (getcwd(cwd, sizeof(cwd)) != NULL)
			printf("cwd=%s\n", cwd);
		for (int i = 2; i < argc; i++) {
			FILE *f = fopen(argv[i], "r");
			size_t n;
			if (f == NULL) {
				printf("%s: missing\n", argv[i]);
				continue;
			}
			n = fread(buf, 1, sizeof(buf) - 1, f);
			buf[n] = '\0';
			printf("%s: %s", argv[i], buf);
			fclose(f);
		}
		return 0;
	}
	printf("hello tty=%d\n", isatty(1));
	return 0;
}
EOF
arm-linux-gnueabihf-gcc -O2 -o "$W/bin/prog-$ID" "$W/prog.c" ||
	skip_all "cannot cross-build for armhf"
printf '#!/bin/sh\necho not elf\n' >"$W/bin/script-$ID"
chmod +x "$W/bin/script-$ID"

c() { rpx_env HOME="$HOME_C" -- "$@"; }

start_pi s4 pi4
P4=$PORT
start_pi snokey pi4 no nokey
PNK=$PORT
R4="pi@127.0.0.1:$P4"
CACHE4="$ROOT/pi4/home/pi/.cache/rpi-cross"

# ---- exit status: 255 for rpi-cross's own failures --------------------------

t_begin "run: an unknown host key (not accepted) exits 255, not the program's status"
c run --host "$R4" --timeout $TO "$W/bin/prog-$ID" exit 3
expect_rc 255 && expect_err "is not known: refusing"
c run --host "$R4" --timeout $TO --accept-new-host-key "$W/bin/prog-$ID" exit 3
expect_rc 3
t_end

t_begin "run: cannot connect (a closed port) exits 255"
closed=$(( 20000 + $$ % 10000 ))
while ss -ltnH "sport = :$closed" 2>/dev/null | grep -q .; do closed=$((closed + 1)); done
c run --host "pi@127.0.0.1:$closed" --timeout 5 "$W/bin/prog-$ID"
expect_rc 255 && expect_err "cannot connect to 'pi@127.0.0.1:$closed'"
t_end

t_begin "run: the login refused exits 255"
c run --host "pi@127.0.0.1:$PNK" --timeout $TO --accept-new-host-key "$W/bin/prog-$ID"
expect_rc 255 && expect_no_out "hello"
grep -qi "auth\|login\|denied" "$err" || t_fail "stderr does not say the login failed: $(cat "$err")"
t_end

t_begin "run: the upload failed exits 255 (the Pi's folder for it is not writable)"
# another build of the program: its own folder, made root's
cp "$W/bin/prog-$ID" "$W/bin/locked-$ID"
printf 'x' >>"$W/bin/locked-$ID"
hex=$(sha256sum "$W/bin/locked-$ID" | cut -c1-16)
LOCKED="$CACHE4/$hex"
mkdir -p "$LOCKED"
chown root:root "$LOCKED"; chmod 755 "$LOCKED"
c run --host "$R4" --timeout $TO "$W/bin/locked-$ID" exit 3
expect_rc 255 && expect_err "cannot upload" && expect_err "Permission denied"
rm -rf "$LOCKED"; LOCKED=
t_end

t_begin "run: not an ELF file exits 255; the program's own 255 is passed on as it is"
c run --host "$R4" "$W/bin/script-$ID"
expect_rc 255 && expect_err "cannot run '$W/bin/script-$ID'"
c run --host "$R4" "$W/bin/prog-$ID" exit 255
expect_rc 255 && expect_empty_err
c run --host "$R4" "$W/bin/prog-$ID" exit 254
expect_rc 254
t_end

t_begin "run --help documents the exit status"
c run --help
expect_rc 0 && expect_out "255 when rpi-cross itself fails"
t_end

	# ---- the working folder and --sync -----------------------------------------

P="$W/proj"
WORK4="$ROOT/pi4/home/pi/.cache/rpi-cross/work/rpxw-$ID"
mkdir -p "$P/src" "$P/assets/img"
printf '[package]\nname = "rpxw-%s"\nversion = "0.1.0"\n' "$ID" >"$P/Cargo.toml"
echo "level = 3" >"$P/config.toml"
echo "sprite one" >"$P/assets/img/a.txt"
echo "font two" >"$P/assets/b.txt"
echo "kept here" >"$P/notes.txt"
# p ARGS...: run from the project's src/ folder, as cargo run does anywhere in it
p() { (cd "$P/src" && HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" "$@" </dev/null >"$out" 2>"$err"); rc=$?; }

t_begin "run --sync: assets/ and config.toml reach the project's working folder on the Pi and are found by a relative path"
p run --host "$R4" --sync assets --sync config.toml "$W/bin/prog-$ID" files config.toml assets/img/a.txt assets/b.txt notes.txt
expect_rc 0 && expect_out "cwd=/home/pi/.cache/rpi-cross/work/rpxw-$ID" &&
	expect_out "config.toml: level = 3" && expect_out "assets/img/a.txt: sprite one" &&
	expect_out "assets/b.txt: font two" && expect_out "notes.txt: missing" &&
	expect_err "3 sent (30 bytes), 0 removed, 0 unchanged"
[ "$(stat -c %Y "$WORK4/assets/b.txt")" = "$(stat -c %Y "$P/assets/b.txt")" ] ||
	t_fail "the Pi's copy has another modification time"
t_end

t_begin "run --sync again: nothing unchanged is sent; one changed file is; a file gone here goes there"
p run --host "$R4" --sync assets --sync config.toml "$W/bin/prog-$ID" files config.toml
expect_rc 0 && expect_out "config.toml: level = 3"
! grep -q "synced" "$err" || t_fail "something was sent again: $(cat "$err")"
old_t=$(stat -c %Y "$P/config.toml")
echo "level = 4" >"$P/config.toml"
# sync compares sizes and whole-second times (as rsync's quick check
# does): an edit of the same size is seen once its time is another second
touch -d "@$((old_t + 2))" "$P/config.toml"
rm "$P/assets/b.txt"
p run --host "$R4" --sync assets --sync config.toml "$W/bin/prog-$ID" files config.toml assets/b.txt
expect_rc 0 && expect_out "config.toml: level = 4" && expect_out "assets/b.txt: missing" &&
	expect_err "1 sent (10 bytes), 1 removed, 1 unchanged"
[ ! -e "$WORK4/assets/b.txt" ] || t_fail "the removed file is still on the Pi"
t_end

t_begin "run: without --sync the program still runs in the project's folder; outside a project in the home folder"
p run --host "$R4" "$W/bin/prog-$ID" files config.toml
expect_rc 0 && expect_out "cwd=/home/pi/.cache/rpi-cross/work/rpxw-$ID" && expect_out "level = 4"
(cd "$W" && HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" "$W/bin/prog-$ID" files </dev/null >"$out" 2>"$err"); rc=$?
expect_rc 0 && expect_out "cwd=/home/pi"
t_end

t_begin "run --sync: a path outside the project is refused; --sync outside a project is a usage error"
p run --host "$R4" --sync ../x "$W/bin/prog-$ID"
expect_rc 2 && expect_err "cannot sync '../x': not a path inside the project"
p run --host "$R4" --sync "$P/assets" "$W/bin/prog-$ID"
expect_rc 2 && expect_err "not a path inside the project"
(cd "$W" && HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" --sync a "$W/bin/prog-$ID" </dev/null >"$out" 2>"$err"); rc=$?
expect_rc 2 && expect_err "--sync needs a project"
t_end

# ---- several Pis: --host a,b,c -----------------------------------------------

start_pi s4b pi4
R4B="pi@127.0.0.1:$PORT"
start_pi s4c pi4
R4C="pi@127.0.0.1:$PORT"
# a closed port: the unreachable Pi
down=$(( 20000 + ($$ + 7) % 10000 ))
while ss -ltnH "sport = :$down" 2>/dev/null | grep -q .; do down=$((down + 1)); done
RDOWN="pi@127.0.0.1:$down"

t_begin "run --host a,b,c: in parallel, each line prefixed with its host, one unreachable Pi does not stop the others, a summary, the worst status"
c run --host "$R4B,$R4C,$RDOWN" --accept-new-host-key --timeout $TO "$W/bin/prog-$ID" exit 0
expect_rc 255 && expect_err "$RDOWN | rpi-cross: error: cannot connect to '$RDOWN'" &&
	expect_err "run on 3 Pis:"
grep -Eq "^  $R4B +0 +[0-9.]+ s  ok$" "$err" || t_fail "no summary line 'ok' for $R4B"
grep -Eq "^  $R4C +0 +[0-9.]+ s  ok$" "$err" || t_fail "no summary line 'ok' for $R4C"
grep -Eq "^  $RDOWN +255 +[0-9.]+ s  failed$" "$err" || t_fail "no summary line 255 for $RDOWN"
c run --host "$R4B, $R4C" "$W/bin/prog-$ID" files a b
expect_rc 0
for h in "$R4B" "$R4C"; do
	grep -q "^$h | cwd=/home/pi\$" "$out" || t_fail "no '$h | cwd=...' line"
	grep -q "^$h | a: missing\$" "$out" || t_fail "no '$h | a: missing' line"
done
[ "$(grep -c '|' "$out")" -eq 6 ] || t_fail "expected 6 prefixed lines on stdout"
c run --host "$R4B,$R4C" "$W/bin/prog-$ID" exit 3
expect_rc 3
t_end

t_begin "detect and doctor take several Pis too; RPI_CROSS_HOST may name them"
c detect "$R4B,$RDOWN" --timeout $TO
expect_rc 1 && expect_out "$R4B | Board:      Raspberry Pi 4 Model B" && expect_err "detect on 2 Pis:"
rpx_env HOME="$HOME_C" RPI_CROSS_HOST="$R4C,$RDOWN" -- doctor
expect_err "doctor on 2 Pis:" && expect_out "$R4C | " && expect_out "SSH login works"
grep -Eq "^  $RDOWN +1 +[0-9.]+ s  failed$" "$err" || t_fail "no failed summary line for $RDOWN"
t_end

t_begin "a group: --host @NAME takes the hosts of saved profile NAME"
mkdir -p "$HOME_C/.config/rpi-cross"
printf 'sensors:\n  host: %s,%s\n' "$R4B" "$R4C" >"$HOME_C/.config/rpi-cross/profiles.yaml"
rpx_env HOME="$HOME_C" XDG_CONFIG_HOME= -- run --host @sensors "$W/bin/prog-$ID" exit 4
expect_rc 4 && expect_err "run on 2 Pis:"
grep -Eq "^  $R4C +4 +[0-9.]+ s  failed$" "$err" || t_fail "no summary line for $R4C"
rpx_env HOME="$HOME_C" XDG_CONFIG_HOME= -- detect @sensors --timeout $TO
expect_rc 0 && expect_out "$R4C | Board:" && expect_out "$R4B | Board:"
rpx_env HOME="$HOME_C" XDG_CONFIG_HOME= -- run --host @nosuch "$W/bin/prog-$ID"
expect_rc 2 && expect_err "no group 'nosuch'"
t_end

# ---- signals without a terminal ---------------------------------------------

# bg_run NAME ARGS...: rpi-cross run in the background, stdin /dev/null;
# its pid in BG once the program said it is ready ($W/NAME.out)
bg_run() {
	_n=$1; shift
	(HOME="$HOME_C" exec $RPX_WRAP "$RPX_BIN" run --host "$R4" "$@" </dev/null \
		>"$W/$_n.out" 2>"$W/$_n.err") &
	BG=$!
	_i=0
	while [ $_i -lt $((TO * 20)) ] && ! grep -q "trapping\|sleeping" "$W/$_n.out" 2>/dev/null; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

t_begin "run without a pty: SIGTERM and SIGHUP reach the program as themselves"
for sig in TERM:15 HUP:1; do
	n=${sig#*:} sig=${sig%:*}
	bg_run "sig$sig" "$W/bin/prog-$ID" trap
	kill -"$sig" "$BG"
	wait "$BG"
	rc=$?
	cp "$W/sig$sig.out" "$out"; cp "$W/sig$sig.err" "$err"
	expect_rc $((40 + n)) && expect_out "got signal $n" && expect_err "was sent SIG$sig"
done
t_end

# ---- a terminal on the Pi (tmux) ---------------------------------------------

tmux_init rpxrun 20 120 60
TM_ENV="HOME=$HOME_C"
pane_size() { tm display-message -p -t "$S" '#{pane_width}x#{pane_height}'; }

t_begin "run at a terminal: a pty on the Pi with TERM, colours and the window size; a resize is passed on"
start 100 30 TERM=xterm-256color -- run --host "$R4" "$W/bin/prog-$ID" tty
wait_for "waiting"
expect_screen "isatty in=1 out=1 err=1 TERM=xterm-256color"
expect_screen "size $(pane_size)"
tm capture-pane -e -p -t "$S" >"$out"
grep -q "$(printf '\033')\[31mred" "$out" || t_fail "the red text lost its colour"
tm resize-window -t "$S" -x 120 -y 40
wait_for "resized $(pane_size)"
expect_screen "resized 120x"
ended 7
t_end

t_begin "run at a terminal: Ctrl-C goes to the program through the pty (exit 130); the terminal is restored"
start 100 30 -- run --host "$R4" "$W/bin/prog-$ID" sleep
wait_for "sleeping tty=1"
keys C-c
ended 130
t_end

t_begin "run at a terminal: a typed line reaches the program, echoed by the Pi's pty"
start 100 30 -- run --host "$R4" "$W/bin/prog-$ID" trap
wait_for "trapping"
text "abc"
wait_for "abc"
keys C-c
ended 42
expect_screen "got signal 2"
t_end

t_begin "run at a terminal, killed (SIGKILL): the terminal is restored all the same"
# the guard restores the terminal as rpi-cross's end closes its pipe, the
# moment the shell learns of that end: the pane's script looks a moment
# later (a shell's own prompt sets its modes anyway)
cp "$T_TMP/run.sh" "$T_TMP/run.sh.orig"
sed -i 's|^echo \$? >"\$d/rc"$|&\nsleep 1|' "$T_TMP/run.sh"
grep -q '^sleep 1$' "$T_TMP/run.sh" || t_fail "cannot add the pause to the pane's script"
start 100 30 -- run --host "$R4" "$W/bin/prog-$ID" sleep
wait_for "sleeping tty=1"
# the oldest process with rpi-cross's line is rpi-cross (its guard, a
# child, has the same line)
pid=$(pgrep -o -f "rpi-cross run --host $R4 $W/bin/prog-$ID sleep")
[ -n "$pid" ] && kill -KILL "$pid"
ended 137
mv "$T_TMP/run.sh.orig" "$T_TMP/run.sh"
t_end

t_begin "run at a terminal, first run of a new build: the upload (SFTP, then the shell's through the raw pty, 1 MB of every byte value) arrives intact"
for mode in sftp exec; do
	cp "$W/bin/prog-$ID" "$W/bin/new$mode-$ID"
	head -c 1000000 /dev/urandom >>"$W/bin/new$mode-$ID"
	start 100 30 RPI_CROSS_UPLOAD=$mode -- run --host "$R4" --timeout $TO "$W/bin/new$mode-$ID" tty
	wait_for "waiting"
	expect_screen "isatty in=1 out=1 err=1"
	keys C-c
	ended 130
	f=$(ls "$CACHE4"/*/"new$mode-$ID" 2>/dev/null | head -n 1)
	cmp -s "$f" "$W/bin/new$mode-$ID" || t_fail "$mode: the Pi's copy differs from the build"
done
t_end

t_begin "run --no-tty at a terminal: plain pipes; --tty without one: a pty all the same"
start 100 30 -- run --no-tty --host "$R4" "$W/bin/prog-$ID"
ended 0
expect_screen "hello tty=0"
c run --tty --host "$R4" "$W/bin/prog-$ID"
expect_rc 0 && expect_out "hello tty=1"
t_end

t_done
