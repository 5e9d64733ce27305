#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# keep.sh - the kept connection against a simulated Pi (tests/sim/pi.sh,
# a real OpenSSH server whose LogLevel VERBOSE logs every login as
# "Accepted publickey"): the first command to a host leaves a master
# behind, later ones go through it without a login, their output and exit
# status as on a connection of their own; the socket is 0600 in a 0700
# folder and another user is refused; a killed master is replaced, an idle
# one ends, one whose connection breaks ends; `connections` lists and ends
# them; --no-keep logs in every time; at a terminal (tmux) the program
# gets a pty through the master as on a connection of its own (TERM, the
# window size and its changes, Ctrl-C, the upload through the raw pty),
# and a stop's own signal reaches it. Every master this suite starts is
# ended at exit.
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"
. "$RPX_TOP/tests/tmuxlib.sh"

# the suites run with RPI_CROSS_NO_KEEP=1 (lib.sh): this one keeps
unset RPI_CROSS_NO_KEEP
ID=$$
PY=/usr/bin/python3

skip_all() {
	t_begin "keep suite (kept connections to a simulated Pi)"
	t_skip "$1"
	t_begin "no sanitizer report from any process (the masters' included)"
stop_masters
sleep 0.5
for f in "$W"/asan.*; do
	[ -e "$f" ] || continue
	t_fail "$(head -n 3 "$f")"
done
t_end

t_done
	exit 0
}

command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1 ||
	skip_all "no arm-linux-gnueabihf-gcc to build the test program"
command -v setpriv >/dev/null 2>&1 || skip_all "no setpriv (util-linux)"
command -v ss >/dev/null 2>&1 || skip_all "no ss (iproute2)"
command -v tmux >/dev/null 2>&1 || skip_all "no tmux"
out_setup=$(sim_prepare pi4) || skip_all "$out_setup"

sim_client
# a master's standard error is /dev/null: under ASan every process's
# report goes to a file here instead, and the last test looks
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$W/asan"
XRT="$W/run"		# XDG_RUNTIME_DIR: the sockets go to $XRT/rpi-cross
mkdir -p "$XRT" "$W/bin"
chmod 700 "$XRT"
SOCKS="$XRT/rpi-cross"

c() { rpx_env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" -- "$@"; }

stop_masters() {
	env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" "$RPX_BIN" connections \
		--stop-all >/dev/null 2>&1
	sim_rm_cached "*-$ID"
	:
}
t_on_exit stop_masters

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
	if (argc > 1 && strcmp(argv[1], "tty") == 0) {
		const char *t = getenv("TERM");
		printf("isatty in=%d out=%d err=%d TERM=%s\n", isatty(0),
		       isatty(1), isatty(2), t ? t : "(unset)");
		size("size");
		signal(SIGWINCH, on_winch);
		printf("waiting\n");
		fflush(stdout);
		for (int i = 0; i < 600 && !winch; i++)
			usleep(50000);
		size("resized");
		return 7;
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
	if (argc > 2 && strcmp(argv[1], "exit") == 0) {
		printf("leaving with %s\n", argv[2]);
		fprintf(stderr, "on stderr\n");
		return atoi(argv[2]);
	}
	if (argc > 1 && strcmp(argv[1], "echo") == 0) {
		static char buf[1 << 16];
		size_t n;
		long total = 0;
		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
			fwrite(buf, 1, n, stdout);
			total += (long)n;
		}
		fprintf(stderr, "stdin: EOF after %ld bytes\n", total);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "big") == 0) {
		static char buf[1 << 16];
		long n = atol(argv[2]);
		memset(buf, 'x', sizeof(buf));
		for (long i = 0; i < n; i += (long)sizeof(buf))
			fwrite(buf, 1, sizeof(buf), stdout);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "blocks") == 0) {
		/* 64 KiB blocks, block i its number as 16-byte records:
		 * a byte lost, doubled or moved changes the hash */
		static char buf[1 << 16];
		long n = atol(argv[2]);
		for (long i = 0; i < n; i++) {
			for (size_t r = 0; r < sizeof(buf); r += 16)
				snprintf(buf + r, 17, "%015ld\n", i);
			fwrite(buf, 1, sizeof(buf), stdout);
		}
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "sleep") == 0) {
		printf("sleeping\n");
		fflush(stdout);
		sleep((unsigned)atoi(argv[2]));
		printf("woke\n");
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "kill") == 0) {
		fflush(stdout);
		kill(getpid(), 9);
	}
	if (argc > 1 && strcmp(argv[1], "isatty") == 0)
		printf("isatty in=%d out=%d\n", isatty(0), isatty(1));
	printf("Hello, world! argc=%d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("arg[%d]=<%s>\n", i, argv[i]);
	return 0;
}
EOF
arm-linux-gnueabihf-gcc -O2 -o "$W/bin/hello-$ID" "$W/prog.c" ||
	skip_all "cannot cross-build for armhf"
arm-linux-gnueabihf-gcc -O0 -o "$W/bin/other-$ID" "$W/prog.c"

start_pi s4 pi4
P4=$PORT
H="pi@127.0.0.1:$P4"
LOG="$W/s4/sshd.log"

logins() { grep -c "Accepted publickey" "$LOG"; }
# the master's pid, from `connections --json` ("" when none)
master_pid() {
	env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" "$RPX_BIN" connections \
		--json 2>/dev/null | sed -n 's/^ *"pid": \([0-9]*\),$/\1/p' |
		head -n 1
}
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
# wait up to $2 tenths of a second for pid $1 to end
wait_gone() {
	n=0
	while alive "$1" && [ $n -lt "$2" ]; do sleep 0.1; n=$((n + 1)); done
	! alive "$1"
}

# ---- the first command leaves a master behind ------------------------------

t_begin "first run: logs in once, runs, leaves a master on a 0600 socket in a 0700 folder"
l0=$(logins)
c run --host "$H" --accept-new-host-key --timeout $TO "$W/bin/hello-$ID" a 'b c'
expect_rc 0 && expect_out "arg[2]=<b c>"
[ "$(logins)" -eq $((l0 + 1)) ] || t_fail "$(($(logins) - l0)) logins, expected 1"
sock=$(ls "$SOCKS"/*.sock 2>/dev/null | head -n 1)
[ -S "$sock" ] || t_fail "no socket in $SOCKS"
[ "$(stat -c %a "$SOCKS")" = 700 ] || t_fail "folder mode $(stat -c %a "$SOCKS")"
[ "$(stat -c %a "$sock")" = 600 ] || t_fail "socket mode $(stat -c %a "$sock")"
M=$(master_pid)
alive "$M" || t_fail "no master process"
t_end

t_begin "the master is detached: its own session, nothing of the command's kept open"
[ "$(ps -o sid= -p "$M" | tr -d ' ')" = "$M" ] || t_fail "not a session leader"
for fd in /proc/"$M"/fd/*; do
	t=$(readlink "$fd")
	# valgrind keeps its log (a copy of the first stderr) and pipes at
	# the top of the descriptor range, out of the program's reach
	[ -n "$RPX_WRAP" ] && [ "${fd##*/}" -ge 1024 ] && continue
	case ${fd##*/} in
	0|1|2) [ "$t" = /dev/null ] || t_fail "fd ${fd##*/} is $t" ;;
	*) case $t in
	   socket:*) ;;
	   pipe:*|/dev/pts/*|/dev/tty*|"$T_TMP"*) t_fail "fd ${fd##*/} is $t" ;;
	   *) [ -n "$RPX_WRAP" ] || t_fail "fd ${fd##*/} is $t" ;;
	   esac ;;
	esac
done
# (a wrapper such as valgrind keeps files of its own open below 1024 too)
[ -n "$RPX_WRAP" ] || [ "$(ls /proc/"$M"/fd | wc -l)" -eq 5 ] ||
	t_fail "$(ls /proc/"$M"/fd | wc -l) fds, expected 0-2, the listener, the connection"
t_end

t_begin "later runs log in no more: N runs, no handshake"
l0=$(logins)
N=5
[ -n "$RPX_WRAP" ] && N=3	# each run is seconds under valgrind
n=0
while [ $n -lt $N ]; do
	c run --host "$H" --timeout $TO "$W/bin/hello-$ID" "$n"
	[ "$rc" -eq 0 ] || t_fail "run $n: exit $rc"
	grep -qF "arg[1]=<$n>" "$out" || t_fail "run $n: output"
	n=$((n + 1))
done
[ "$(logins)" -eq "$l0" ] || t_fail "$(($(logins) - l0)) logins for $N runs, expected 0"
[ "$(master_pid)" = "$M" ] || t_fail "another master"
t_end

t_begin "output and exit status through the master are those of a connection of its own"
c run --host "$H" --timeout $TO "$W/bin/hello-$ID" exit 7
rk=$rc; cp "$out" "$W/k.out"; cp "$err" "$W/k.err"
c run --host "$H" --timeout $TO --no-keep "$W/bin/hello-$ID" exit 7
[ "$rk" -eq 7 ] && [ "$rc" -eq 7 ] || t_fail "exit status kept $rk, direct $rc"
cmp -s "$out" "$W/k.out" || t_fail "stdout differs"
cmp -s "$err" "$W/k.err" || t_fail "stderr differs"
grep -qx "on stderr" "$W/k.err" || t_fail "stderr lacks the program's line"
c run --host "$H" --timeout $TO "$W/bin/hello-$ID" kill
expect_rc 137
t_end

t_begin "-v through the kept connection: the exec line and the exit status, as on a connection of its own"
# the lines of the channel's steps, without the connection's own
steps() { grep '^rpi-cross: ssh: \(exec\|pty\|window\|signal\|exit\|the channel\)' "$err"; }
c -v run --host "$H" --timeout $TO "$W/bin/hello-$ID" exit 7
expect_rc 7 && expect_err "through the kept connection"
grep -q "^rpi-cross: ssh: exec: .*hello-$ID" "$err" || t_fail "no exec line naming the program"
expect_err "rpi-cross: ssh: exit status: 7"
steps >"$W/vk.steps"
sed 's/^/# /' "$W/vk.steps"
c -v run --host "$H" --timeout $TO --no-keep "$W/bin/hello-$ID" exit 7
expect_rc 7 && expect_no_out "rpi-cross: ssh:"
steps >"$W/vd.steps"
[ -s "$W/vd.steps" ] && cmp -s "$W/vk.steps" "$W/vd.steps" ||
	t_fail "kept: '$(cat "$W/vk.steps")', direct: '$(cat "$W/vd.steps")'"
# a signal's end; -vv: the frames to and from the master too
c -vv run --host "$H" --timeout $TO "$W/bin/hello-$ID" kill
expect_rc 137 && expect_err "rpi-cross: ssh: exit status: 137 (SIGKILL)"
expect_err "rpi-cross: keep: > OPEN" && expect_err "rpi-cross: keep: < OPENED" &&
	expect_err "rpi-cross: keep: < EXIT" && expect_err "rpi-cross: keep: < CLOSED"
# plain: none of it
c run --host "$H" --timeout $TO "$W/bin/hello-$ID" exit 7
[ "$(grep -c 'rpi-cross: \(ssh\|keep\):' "$err")" -eq 0 ] || t_fail "trace lines without -v"
t_end

t_begin "stdin, 5 MB of output and a new build (SFTP beside the exec, stdin passed on) go through the master"
l0=$(logins)
head -c 300000 /dev/urandom >"$W/in.bin"
env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" $RPX_WRAP "$RPX_BIN" run --host "$H" \
	--timeout $TO "$W/bin/hello-$ID" echo <"$W/in.bin" >"$out" 2>"$err"
rc=$?
expect_rc 0 && expect_err "stdin: EOF after 300000 bytes"
cmp -s "$out" "$W/in.bin" || t_fail "stdin came back changed"
c run --host "$H" --timeout $TO "$W/bin/hello-$ID" big 5000000
# 77 writes of 64 KiB
n=$(wc -c <"$out"); : >"$out"
[ "$n" -eq 5046272 ] || t_fail "$n bytes of output, expected 5046272"
# a new build: uploaded over SFTP beside the exec (its bytes through the
# master on a subsystem channel), so the program still gets this stdin
printf 'fresh\n' | env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" $RPX_WRAP "$RPX_BIN" \
	-v run --host "$H" --timeout $TO "$W/bin/other-$ID" echo >"$out" 2>"$err"
rc=$?
expect_rc 0 && expect_out "fresh" && expect_err "stdin: EOF after 6 bytes"
# -v: the SFTP steps through the master as on a connection of its own
expect_err "through the kept connection" &&
	expect_err "rpi-cross: ssh: opening the sftp subsystem" &&
	expect_err "rpi-cross: ssh: sftp: writing " &&
	expect_err "rpi-cross: ssh: sftp: renaming it to " &&
	expect_err "rpi-cross: ssh: exit status: 0"
f=$(ls "$ROOT"/pi4/home/pi/.cache/rpi-cross/*/"other-$ID" 2>/dev/null)
[ -n "$f" ] && cmp -s "$f" "$W/bin/other-$ID" || t_fail "the Pi's copy differs"
[ "$(stat -c %a "$f" 2>/dev/null)" = 755 ] || t_fail "the Pi's copy is not 0755"
[ -z "$(ls -a "${f%/*}" | grep rpx-tmp)" ] || t_fail "a temporary is left"
c detect "$H" --timeout $TO
expect_rc 0 && expect_out "Raspberry Pi 4"
[ "$(logins)" -eq "$l0" ] || t_fail "$(($(logins) - l0)) logins, expected 0"
t_end

t_begin "three runs at once, no master yet: one login, one master, each its own output"
stop_masters
wait_gone "$M" 50 || t_fail "connections --stop-all left the master"
l0=$(logins)
for i in 1 2 3; do
	env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" $RPX_WRAP "$RPX_BIN" run \
		--host "$H" --timeout $TO "$W/bin/hello-$ID" exit "$i" \
		</dev/null >"$W/par$i.out" 2>"$W/par$i.err" &
	eval "pp$i=\$!"
done
for i in 1 2 3; do
	eval "wait \$pp$i"
	r=$?
	[ "$r" -eq "$i" ] || t_fail "run $i: exit $r: $(cat "$W/par$i.err")"
	grep -qx "leaving with $i" "$W/par$i.out" || t_fail "run $i: output"
done
[ "$(logins)" -eq $((l0 + 1)) ] || t_fail "$(($(logins) - l0)) logins, expected 1"
[ "$(ls "$SOCKS"/*.sock | wc -l)" -eq 1 ] || t_fail "sockets: $(ls "$SOCKS")"
M=$(master_pid)
alive "$M" || t_fail "no master"
t_end

t_begin "Ctrl-C reaches the program through the master; the master serves on"
env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" $RPX_WRAP "$RPX_BIN" run --host "$H" \
	--timeout $TO "$W/bin/hello-$ID" sleep 60 </dev/null >"$out" 2>"$err" &
rp=$!
n=0
while ! grep -q sleeping "$out" && [ $n -lt $((TO * 10)) ]; do
	sleep 0.1; n=$((n + 1))
done
kill -INT "$rp"
wait "$rp"
rc=$?
expect_rc 130 && expect_no_out "woke"
sleep 0.5
pgrep -u pi -f "hello-$ID sleep" >/dev/null && t_fail "the program still runs on the Pi"
c run --host "$H" --timeout $TO "$W/bin/hello-$ID" still
expect_rc 0 && expect_out "arg[1]=<still>"
[ "$(master_pid)" = "$M" ] || t_fail "another master"
t_end

t_begin "a command killed mid-run: the master hangs its program up and serves on"
env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" $RPX_WRAP "$RPX_BIN" run --host "$H" \
	--timeout $TO "$W/bin/hello-$ID" sleep 60 </dev/null >"$out" 2>"$err" &
rp=$!
n=0
while ! grep -q sleeping "$out" && [ $n -lt $((TO * 10)) ]; do
	sleep 0.1; n=$((n + 1))
done
pgrep -u pi -f "hello-$ID sleep" >/dev/null || t_fail "the program is not running (test setup)"
kill -9 "$rp"
wait "$rp" 2>/dev/null
n=0
while pgrep -u pi -f "hello-$ID sleep" >/dev/null && [ $n -lt 50 ]; do
	sleep 0.1; n=$((n + 1))
done
pgrep -u pi -f "hello-$ID sleep" >/dev/null && t_fail "the program still runs on the Pi"
c run --host "$H" --timeout $TO "$W/bin/hello-$ID" later
expect_rc 0 && expect_out "arg[1]=<later>"
[ "$(master_pid)" = "$M" ] || t_fail "another master"
t_end

t_begin "a Cargo-like pipe ends with the command, not with the master"
stop_masters
wait_gone "$M" 50 || t_fail "connections --stop-all left the master"
timeout 60 sh -c 'env HOME="$1" XDG_RUNTIME_DIR="$2" $3 "$4" run --host "$5" \
	--timeout "$6" "$7" piped | cat' sh "$HOME_C" "$XRT" "$RPX_WRAP" \
	"$RPX_BIN" "$H" "$TO" "$W/bin/hello-$ID" >"$out" 2>"$err"
rc=$?
expect_rc 0 && expect_out "arg[1]=<piped>"
M=$(master_pid)
alive "$M" || t_fail "no master after the piped run"
t_end

# ---- a client that does not keep up ------------------------------------------

# what the program's "blocks N" writes: its size and its SHA-256
cat >"$W/blocks.py" <<'EOF'
import hashlib, sys
h = hashlib.sha256()
n = int(sys.argv[1])
for i in range(n):
    h.update(("%015d\n" % i).encode() * 4096)
print(n * 65536, h.hexdigest())
EOF
# stdin's size and SHA-256, read only after $1 seconds (a pipe nobody
# drains meanwhile)
cat >"$W/slow.py" <<'EOF'
import hashlib, sys, time
time.sleep(float(sys.argv[1]))
h, n = hashlib.sha256(), 0
while True:
    b = sys.stdin.buffer.read(1 << 16)
    if not b:
        break
    h.update(b)
    n += len(b)
print(n, h.hexdigest())
EOF
# kB of a process's resident memory now (VmRSS) or at its peak (VmHWM)
vm() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status" 2>/dev/null; }

t_begin "a stalled client: the master holds about 1 MiB for it, not the program's 50 MB; all of it arrives; another client runs meanwhile"
stop_masters
wait_gone "$M" 50 || t_fail "connections --stop-all left the master"
# 800 blocks: 50 MiB (under valgrind 160: 10 MiB, each byte is slow there)
NB=800
[ -n "$RPX_WRAP" ] && NB=160
want=$($PY "$W/blocks.py" $NB)
# a fresh master; under ASan a small quarantine, else the freed memory
# it keeps for its checks would count as held output
MASAN="$ASAN_OPTIONS:quarantine_size_mb=4:thread_local_quarantine_size_kb=64"
rpx_env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" ASAN_OPTIONS="$MASAN" -- \
	run --host "$H" --timeout $TO "$W/bin/hello-$ID" first
expect_rc 0
M=$(master_pid)
alive "$M" || t_fail "no master"
base=$(vm "$M" VmRSS)
STALL=6
[ -n "$RPX_WRAP" ] && STALL=15
# its stdout a pipe into a reader that sleeps first
t0=$(date +%s)
sh -c 'env HOME="$1" XDG_RUNTIME_DIR="$2" $3 "$4" run --host "$5" \
	--timeout "$6" "$7" blocks "$8" </dev/null 2>"$9" | "${10}" "${11}" "${12}"' \
	sh "$HOME_C" "$XRT" "$RPX_WRAP" "$RPX_BIN" "$H" "$TO" "$W/bin/hello-$ID" \
	$NB "$W/stall.err" $PY "$W/slow.py" $STALL >"$W/stall.out" &
sp=$!
# while it stalls: the master's memory, and a short run beside it
sleep 2
peak=0
for i in 1 2 3; do
	r=$(vm "$M" VmRSS)
	[ -n "$r" ] && [ "$r" -gt "$peak" ] && peak=$r
	sleep 0.5
done
c run --host "$H" --timeout $TO "$W/bin/hello-$ID" exit 3
expect_rc 3 && expect_out "leaving with 3"
# (not after the stall: it did not wait for the other client's reader)
[ $(($(date +%s) - t0)) -lt $STALL ] || t_fail "the short run ended after the stall"
alive "$sp" || t_fail "the stalled run ended before its reader woke (test setup)"
wait "$sp"
rs=$?
hwm=$(vm "$M" VmHWM)
# (the peak as sampled, should the kernel's count lag)
[ -n "$hwm" ] && [ "$peak" -gt "$hwm" ] && hwm=$peak
echo "# master kB: VmRSS $base before, $peak during the stall, VmHWM $hwm after $NB blocks"
[ "$rs" -eq 0 ] || t_fail "the stalled run: exit $rs: $(cat "$W/stall.err")"
[ "$(cat "$W/stall.out")" = "$want" ] ||
	t_fail "output: '$(cat "$W/stall.out")', expected '$want'"
# held: 1 MiB queued, about as much left in libssh's window, a few
# buffers on the way; without the bound the master grows by the 50 MB
# (ASan's allocator keeps more aside; under valgrind, whose own memory
# counts here, the plain and ASan runs are the measure)
lim=8192
grep -qa __asan_init "$RPX_BIN" && lim=24576
if [ -z "$RPX_WRAP" ]; then
	[ -n "$base" ] && [ -n "$hwm" ] && [ $((hwm - base)) -lt $lim ] ||
		t_fail "the master grew from $base kB to $hwm kB (bound: $lim kB more)"
fi
[ "$(master_pid)" = "$M" ] || t_fail "another master"
t_end

t_begin "a stopped client (^Z): the master holds its output and goes on when it resumes"
: >"$W/stop.out"
env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" $RPX_WRAP "$RPX_BIN" run --host "$H" \
	--timeout $TO "$W/bin/hello-$ID" blocks 320 </dev/null >"$W/stop.out" \
	2>"$err" &
rp=$!
# stopped once its output flows
i=0
while [ ! -s "$W/stop.out" ] && [ $i -lt $((TO * 10)) ]; do
	sleep 0.1; i=$((i + 1))
done
kill -STOP "$rp"
sleep 3
r=$(vm "$M" VmRSS)
got=$(wc -c <"$W/stop.out")
kill -CONT "$rp"
wait "$rp"
rc=$?
expect_rc 0
echo "# stopped: $got bytes out by then, master VmRSS $r kB (fresh: $base kB)"
[ "$got" -lt 20971520 ] || t_fail "$got bytes out before the stop (test setup)"
[ -n "$RPX_WRAP" ] || { [ -n "$r" ] && [ $((r - base)) -lt $lim ]; } ||
	t_fail "the master at $r kB while its client was stopped (fresh: $base kB)"
set -- $($PY "$W/blocks.py" 320)
[ "$(wc -c <"$W/stop.out")" -eq "$1" ] || t_fail "$(wc -c <"$W/stop.out") bytes, expected $1"
[ "$(sha256sum <"$W/stop.out" | cut -d' ' -f1)" = "$2" ] || t_fail "the output differs"
t_end

# ---- a terminal on the Pi through the master (tmux) --------------------------

tmux_init rpxkeep 20 120 60
TM_ENV="HOME=$HOME_C XDG_RUNTIME_DIR=$XRT"
TM_UNSET="RPI_CROSS_NO_KEEP"
pane_size() { tm display-message -p -t "$S" '#{pane_width}x#{pane_height}'; }
stop_masters
wait_gone "$M" 50 || t_fail "connections --stop-all left the master"
lt=$(logins)

t_begin "kept, at a terminal: a pty on the Pi with TERM and the window size; a resize is passed on"
start 100 30 TERM=xterm-256color -- -v run --host "$H" --timeout $TO "$W/bin/hello-$ID" tty
wait_for "waiting"
expect_screen "isatty in=1 out=1 err=1 TERM=xterm-256color"
expect_screen "size $(pane_size)"
size0=$(pane_size)
M=$(master_pid)
alive "$M" || t_fail "no master after the first run at a terminal"
tm resize-window -t "$S" -x 120 -y 40
wait_for "resized $(pane_size)"
expect_screen "resized 120x"
size1=$(pane_size)
ended 7
# -v (its standard error a file here): the pty, its change, the end
expect_err "rpi-cross: ssh: pty: xterm-256color, $size0" &&
	expect_err "rpi-cross: ssh: window change: $size1" &&
	expect_err "rpi-cross: ssh: exit status: 7"
t_end

t_begin "kept, at a terminal: Ctrl-C goes to the program through the pty (exit 130); the terminal is restored"
start 100 30 -- run --host "$H" --timeout $TO "$W/bin/hello-$ID" sleep 60
wait_for "sleeping"
keys C-c
ended 130
expect_no_screen "woke"
t_end

t_begin "kept, at a terminal, first run of a new build: the upload (SFTP, then the shell's through the raw pty, 1 MB of every byte value) arrives intact"
for mode in sftp exec; do
	cp "$W/bin/hello-$ID" "$W/bin/new$mode-$ID"
	head -c 1000000 /dev/urandom >>"$W/bin/new$mode-$ID"
	start 100 30 RPI_CROSS_UPLOAD=$mode -- run --host "$H" --timeout $TO "$W/bin/new$mode-$ID" tty
	wait_for "waiting"
	expect_screen "isatty in=1 out=1 err=1"
	keys C-c
	ended 130
	f=$(ls "$ROOT"/pi4/home/pi/.cache/rpi-cross/*/"new$mode-$ID" 2>/dev/null | head -n 1)
	[ -n "$f" ] && cmp -s "$f" "$W/bin/new$mode-$ID" ||
		t_fail "$mode: the Pi's copy differs from the build"
done
t_end

t_begin "kept, at a terminal: these runs logged in once, all through one master"
[ "$(logins)" -eq $((lt + 1)) ] || t_fail "$(($(logins) - lt)) logins, expected 1"
[ "$(master_pid)" = "$M" ] || t_fail "another master"
t_end

t_begin "kept, without a pty: SIGTERM and SIGHUP reach the program as themselves"
for sig in TERM:15 HUP:1; do
	n=${sig#*:} sig=${sig%:*}
	# files of its own: the last one's "trapping" must not start the kill
	so="$W/sig$sig.out" se="$W/sig$sig.err"
	: >"$so"
	env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" $RPX_WRAP "$RPX_BIN" -v run \
		--host "$H" --timeout $TO "$W/bin/hello-$ID" trap </dev/null \
		>"$so" 2>"$se" &
	rp=$!
	i=0
	while ! grep -q trapping "$so" && [ $i -lt $((TO * 10)) ]; do
		sleep 0.1; i=$((i + 1))
	done
	kill -"$sig" "$rp"
	wait "$rp"
	rc=$?
	cp "$so" "$out"; cp "$se" "$err"
	expect_rc $((40 + n)) && expect_out "got signal $n" &&
		expect_err "was sent SIG$sig" &&
		expect_err "rpi-cross: ssh: signal: sending SIG$sig" &&
		expect_err "rpi-cross: ssh: exit status: $((40 + n))"
done
[ "$(master_pid)" = "$M" ] || t_fail "another master"
t_end

t_begin "kept, --tty to a Pi that gives no terminal: the program runs on pipes, as on a connection of its own"
start_pi s4n pi4
HN="pi@127.0.0.1:$PORT"
# sshd re-reads its configuration on SIGHUP; this line is under its Match
echo "PermitTTY no" >>"$W/s4n/sshd_config"
kill -HUP "$(cat "$W/s4n/sshd.pid")"
sleep 0.5
c -v run --tty --no-keep --host "$HN" --accept-new-host-key --timeout $TO \
	"$W/bin/hello-$ID" isatty
rd=$rc; cp "$out" "$W/n.out"
grep "^rpi-cross: ssh: pty: " "$err" >"$W/n.pty"
c -v run --tty --host "$HN" --timeout $TO "$W/bin/hello-$ID" isatty
expect_rc 0 && expect_out "isatty in=0 out=0"
# -v says so, either way
expect_err "rpi-cross: ssh: pty: " && expect_err ": refused, the program runs on pipes"
grep "^rpi-cross: ssh: pty: " "$err" | cmp -s - "$W/n.pty" ||
	t_fail "the pty lines differ: direct '$(cat "$W/n.pty")'"
[ "$rd" -eq 0 ] && cmp -s "$out" "$W/n.out" || t_fail "direct: exit $rd, $(cat "$W/n.out")"
c connections
expect_out "$HN"
c -v run --tty --host "$HN" --timeout $TO "$W/bin/hello-$ID" isatty
expect_rc 0 && expect_out "isatty in=0 out=0"
expect_err "through the kept connection"
grep "^rpi-cross: ssh: pty: " "$err" | cmp -s - "$W/n.pty" ||
	t_fail "kept: the pty lines differ: direct '$(cat "$W/n.pty")'"
c connections --stop "$HN"
expect_rc 0 && expect_out "Stopped the kept connection to $HN"
t_end

# ---- another user -------------------------------------------------------------

t_begin "another user is refused: by the folder, and by the master itself (its uid)"
sock=$(ls "$SOCKS"/*.sock | head -n 1)
cat >"$W/peer.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print("connect:", e.strerror)
    sys.exit(0)
s.settimeout(5)
try:
    s.sendall(b"\x01")
    d = s.recv(64)
except OSError:
    d = b""
# the master answers its version byte and what it is; a refusal closes
print("answered" if d[:1] == b"\x01" and len(d) > 1 else "refused")
EOF
chmod 644 "$W/peer.py"
setpriv --reuid=nobody --regid=nogroup --clear-groups $PY "$W/peer.py" "$sock" >"$out" 2>&1
expect_out "connect: Permission denied"
# open the folder and the socket to everyone: the master still refuses
chmod 711 "$XRT" "$SOCKS"; chmod 666 "$sock"
setpriv --reuid=nobody --regid=nogroup --clear-groups $PY "$W/peer.py" "$sock" >"$out" 2>&1
expect_out "refused"
# the same script as this user is answered (the check can pass)
$PY "$W/peer.py" "$sock" >"$W/own.out" 2>&1
grep -qx answered "$W/own.out" || t_fail "this user: $(cat "$W/own.out")"
chmod 700 "$XRT" "$SOCKS"; chmod 600 "$sock"
# a client of another user does not use this user's folder
setpriv --reuid=pi --regid=pi --clear-groups env HOME=/nonexistent \
	XDG_RUNTIME_DIR="$XRT" "$RPX_BIN" connections >"$out" 2>"$err"
rc=$?
expect_rc 1 && expect_err "rpi-cross: error:"
t_end

# ---- connections --------------------------------------------------------------

t_begin "connections lists the master: host, pid, host key"
c connections
fp=$(ssh-keygen -lf "$W/s4/host_key.pub" | cut -d' ' -f2)
expect_rc 0 && expect_out "$H" && expect_out "$M" && expect_out "$fp"
c connections --json
expect_rc 0 && expect_json "d['connections'][0]['host'] == '$H'" &&
	expect_json "d['connections'][0]['pid'] == $M"
t_end

# ---- a master that died --------------------------------------------------------

t_begin "killed master: the next run logs in afresh and replaces the stale socket"
kill -9 "$M"
wait_gone "$M" 50 || t_fail "the master did not die"
[ -S "$sock" ] || t_fail "no stale socket left to clean (test setup)"
l0=$(logins)
c run --host "$H" --timeout $TO "$W/bin/hello-$ID" again
expect_rc 0 && expect_out "arg[1]=<again>"
[ "$(logins)" -eq $((l0 + 1)) ] || t_fail "$(($(logins) - l0)) logins, expected 1"
M2=$(master_pid)
alive "$M2" && [ "$M2" != "$M" ] || t_fail "no new master ($M2)"
[ "$(ls "$SOCKS"/*.sock | wc -l)" -eq 1 ] || t_fail "sockets: $(ls "$SOCKS")"
M=$M2
t_end

t_begin "a master whose connection breaks ends and removes its socket"
# the sshd process serving the master's connection: the peer of its port
mport=$(ss -tnpH state established | grep "pid=$M," |
	sed -n "s/.*127.0.0.1:\([0-9]*\) *127.0.0.1:$P4 .*/\1/p" | head -n 1)
spid=$(ss -tnpH state established | grep "127.0.0.1:$P4 *127.0.0.1:$mport " |
	sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -n 1)
if [ -z "$mport" ] || [ -z "$spid" ]; then
	t_fail "cannot find the master's connection (port '$mport', sshd '$spid')"
else
	kill "$spid"
	wait_gone "$M" 100 || t_fail "the master outlived its connection"
	[ ! -e "$sock" ] || t_fail "its socket is still there"
fi
c run --host "$H" --timeout $TO "$W/bin/hello-$ID" after
expect_rc 0 && expect_out "arg[1]=<after>"
M=$(master_pid)
t_end

t_begin "connections --stop HOST ends it; the next run starts another"
c connections --stop "127.0.0.1"
expect_rc 0 && expect_out "Stopped the kept connection to $H"
wait_gone "$M" 50 || t_fail "the master is still there"
[ -z "$(ls "$SOCKS"/*.sock 2>/dev/null)" ] || t_fail "a socket is left"
c connections --stop "127.0.0.1"
expect_rc 1 && expect_err "no kept connection to '127.0.0.1'"
t_end

# ---- idle time, --no-keep, the host key ----------------------------------------

t_begin "--keep-time: an unused master ends after it"
c run --host "$H" --timeout $TO --keep-time 2 "$W/bin/hello-$ID" short
expect_rc 0
M=$(master_pid)
alive "$M" || t_fail "no master"
c connections --json
expect_json "d['connections'][0]['keep_time'] == 2"
wait_gone "$M" 80 || t_fail "still there after 8 s"
[ -z "$(ls "$SOCKS"/*.sock 2>/dev/null)" ] || t_fail "a socket is left"
t_end

t_begin "--no-keep and RPI_CROSS_NO_KEEP: a login every time, no master"
l0=$(logins)
c run --host "$H" --timeout $TO --no-keep "$W/bin/hello-$ID" one
expect_rc 0
rpx_env HOME="$HOME_C" XDG_RUNTIME_DIR="$XRT" RPI_CROSS_NO_KEEP=1 -- \
	run --host "$H" --timeout $TO "$W/bin/hello-$ID" two
expect_rc 0
[ "$(logins)" -eq $((l0 + 2)) ] || t_fail "$(($(logins) - l0)) logins, expected 2"
[ -z "$(master_pid)" ] || t_fail "a master was left"
t_end

t_begin "the host key is checked as now: forgotten in known_hosts, the master is not used"
c run --host "$H" --timeout $TO "$W/bin/hello-$ID" x
M=$(master_pid)
ssh-keygen -q -R "[127.0.0.1]:$P4" -f "$HOME_C/.ssh/known_hosts" >/dev/null 2>&1
c run --host "$H" --timeout $TO "$W/bin/hello-$ID" y
[ "$rc" -ne 0 ] || t_fail "ran through the master"
expect_err "is not known: refusing"
wait_gone "$M" 50 || t_fail "the master stayed"
t_end

t_begin "no sanitizer report from any process (the masters' included)"
stop_masters
sleep 0.5
for f in "$W"/asan.*; do
	[ -e "$f" ] || continue
	t_fail "$(head -n 3 "$f")"
done
t_end

t_done
