#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# remote.sh - detect and run against simulated Raspberry Pis: a real
# OpenSSH server on loopback in front of an ARM userland in a chroot, run
# by qemu-user (tests/sim/pi.sh). Only the physical board is simulated.
# The client side uses a temporary HOME (its own ~/.ssh). Every sshd this
# suite starts is stopped by its pid file at exit, whatever happened.
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"

PTY="/usr/bin/python3 $RPX_TOP/tests/sim/tty-drive.py"
AGENT_PID=
QUIET_PID=
ID=$$

# what this run put on the simulated Pis, and its agents (the servers are
# stopped by simlib.sh)
cleanup() {
	sim_rm_cached "*-$ID"
	rmdir "$ROOT"/*/home/pi/.cache/rpi-cross/* 2>/dev/null
	[ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null
	[ -n "$QUIET_PID" ] && kill "$QUIET_PID" 2>/dev/null
	:
}
t_on_exit cleanup

skip_all() {
	t_begin "remote suite (simulated Pi over SSH)"
	t_skip "$1"
	t_done
	exit 0
}

command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1 ||
	skip_all "no arm-linux-gnueabihf-gcc to build the test programs"
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 ||
	skip_all "no aarch64-linux-gnu-gcc to build the test programs"
out_setup=$(sim_prepare pi4 pi5 pi4-3264 zerow pi4-old pi4-ro pi4-full) ||
	skip_all "$out_setup"

# The client: $HOME_C with a key, TO (wider under valgrind); sshd reads
# authorized_keys as pi, so the folders are made traversable.
sim_client
mkdir -p "$W/bin"

# The test program, cross-built: hello with its arguments, and modes.
cat >"$W/prog.c" <<'EOF'
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
extern char **environ;
int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "env") == 0) {
		for (char **e = environ; *e != NULL; e++)
			printf("env<%s>\n", *e);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "exit") == 0)
		return atoi(argv[2]);
	if (argc > 1 && strcmp(argv[1], "kill") == 0)
		raise(SIGKILL);
	if (argc > 2 && strcmp(argv[1], "big") == 0) {
		static char buf[1 << 16];
		long n = atol(argv[2]);
		memset(buf, 'x', sizeof(buf));
		for (long i = 0; i < n; i += (long)sizeof(buf))
			fwrite(buf, 1, sizeof(buf), stdout);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "sleep") == 0) {
		printf("sleeping\n");
		fflush(stdout);
		sleep((unsigned)atoi(argv[2]));
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "streams") == 0) {
		printf("to stdout\n");
		fflush(stdout);
		fprintf(stderr, "to stderr\n");
		return 0;
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
	if (argc > 1 && strcmp(argv[1], "line") == 0) {
		char line[256];
		printf("ready\n");
		fflush(stdout);
		if (fgets(line, sizeof(line), stdin) == NULL)
			return 5;
		line[strcspn(line, "\n")] = '\0';
		printf("got <%s>\n", line);
		return 0;
	}
	printf("Hello, world! argc=%d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("arg[%d]=<%s>\n", i, argv[i]);
	return 0;
}
EOF
arm-linux-gnueabihf-gcc -O2 -o "$W/bin/hello-$ID" "$W/prog.c" || skip_all "cannot cross-build for armhf"
aarch64-linux-gnu-gcc -O2 -o "$W/bin/hello64-$ID" "$W/prog.c" || skip_all "cannot cross-build for arm64"
cp "$W/bin/hello-$ID" "$W/bin/hello-v2-$ID"
# a different build of the same name, to prove a changed file is re-sent
arm-linux-gnueabihf-gcc -O0 -o "$W/bin/changed-$ID" "$W/prog.c"
# ~10 MB: padded with a non-loaded section, like an unstripped release build
head -c 10000000 /dev/urandom >"$W/pad.bin"
arm-linux-gnueabihf-objcopy --add-section .rpx_pad="$W/pad.bin" \
	--set-section-flags .rpx_pad=noload,readonly "$W/bin/hello-$ID" "$W/bin/big-$ID" ||
	skip_all "cannot pad a test binary (arm-linux-gnueabihf-objcopy)"
head -c 50000000 /dev/urandom >"$W/pad50.bin"
arm-linux-gnueabihf-objcopy --add-section .rpx_pad="$W/pad50.bin" \
	--set-section-flags .rpx_pad=noload,readonly "$W/bin/hello-$ID" "$W/bin/huge-$ID"

c() { rpx_env HOME="$HOME_C" -- "$@"; }

start_pi s4 pi4
P4=$PORT
start_pi s5 pi5
P5=$PORT
start_pi s3264 pi4-3264
P3264=$PORT
start_pi szero zerow
PZERO=$PORT
start_pi sold pi4-old
POLD=$PORT
start_pi sro pi4-ro
PRO=$PORT
start_pi sfull pi4-full
PFULL=$PORT
start_pi spw pi4 yes
PPW=$PORT

# ---- host keys ------------------------------------------------------------

t_begin "unknown host key, no terminal: refused with its fingerprint, nothing recorded"
c detect "pi@127.0.0.1:$P4" --timeout $TO
fp=$(ssh-keygen -lf "$W/s4/host_key.pub" | cut -d' ' -f2)
expect_rc 1 && expect_err "is not known: refusing" && expect_err "$fp" &&
	expect_err "--accept-new-host-key"
[ ! -s "$HOME_C/.ssh/known_hosts" ] || t_fail "known_hosts was written"
t_end

t_begin "unknown host key at a terminal: answering no refuses"
$PTY $((TO * 2)) 'yes/no' 'no' -- env HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" detect "pi@127.0.0.1:$P4" \
	--timeout $TO >"$out" 2>&1
rc=$?
expect_rc 1 && expect_out "$fp" && expect_out "refusing"
[ ! -s "$HOME_C/.ssh/known_hosts" ] || t_fail "known_hosts was written"
t_end

t_begin "unknown host key at a terminal: answering yes records it in OpenSSH's format"
$PTY $((TO * 2)) 'yes/no' 'yes' -- env HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" detect "pi@127.0.0.1:$P4" \
	--timeout $TO >"$out" 2>&1
rc=$?
expect_rc 0 && expect_out "$fp" && expect_out "Raspberry Pi 4 Model B Rev 1.4"
grep -q "^\[127.0.0.1\]:$P4 ssh-ed25519 " "$HOME_C/.ssh/known_hosts" ||
	t_fail "no '[127.0.0.1]:$P4 ssh-ed25519' line in known_hosts"
# OpenSSH itself accepts the line libssh wrote
ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$HOME_C/.ssh/known_hosts" \
	-i "$HOME_C/.ssh/id_ed25519" -p "$P4" pi@127.0.0.1 true >/dev/null 2>&1 ||
	t_fail "OpenSSH's ssh does not accept the recorded key"
t_end

t_begin "--accept-new-host-key records unknown keys non-interactively"
for p in $P5 $P3264 $PZERO $POLD $PRO $PFULL $PPW; do
	c detect "pi@127.0.0.1:$p" --accept-new-host-key --timeout $TO
	[ "$rc" -eq 0 ] || t_fail "detect on port $p: exit $rc"
done
n=$(grep -c '^\[127.0.0.1\]:' "$HOME_C/.ssh/known_hosts")
[ "$n" -eq 8 ] || t_fail "expected 8 known_hosts lines, got $n"
t_end

# ---- detect ----------------------------------------------------------------

t_begin "detect: Pi 4 with 32-bit Raspberry Pi OS"
c detect "pi@127.0.0.1:$P4" --timeout $TO
expect_rc 0 && expect_out "Raspberry Pi 4 Model B Rev 1.4" && expect_out "armv7l" &&
	expect_out "32-bit (getconf LONG_BIT)" && expect_out "Raspbian GNU/Linux 12 (bookworm)" &&
	expect_out "glibc:      2.36" && expect_out "armv7-unknown-linux-gnueabihf" &&
	expect_out "target-cpu=cortex-a72" && expect_out "Free space:"
t_end

t_begin "detect --json: Pi 5 with 64-bit OS"
c detect "pi@127.0.0.1:$P5" --json --timeout $TO
expect_rc 0 && expect_json '(d["board"]["id"] == "pi5" and d["os_bits"] == 64 and
 d["machine"] == "aarch64" and d["advice"]["target"] == "aarch64-unknown-linux-gnu" and
 d["advice"]["cpu"] == "cortex-a76" and d["advice"]["libc"] == "gnu" and d["glibc"] == "2.36" and
 d["os"]["id"] == "debian" and d["port"] == '"$P5"' and d["user"] == "pi" and d["home"] == "/home/pi")'
t_end

t_begin "detect: 32-bit OS on a 64-bit kernel (uname -m says aarch64) gets a 32-bit target"
c detect "pi@127.0.0.1:$P3264" --json --timeout $TO
expect_rc 0 && expect_json '(d["machine"] == "aarch64" and d["os_bits"] == 32 and
 d["bits_source"] == "getconf LONG_BIT" and d["advice"]["target"] == "armv7-unknown-linux-gnueabihf" and
 "kernel" in d["advice"]["note"])'
t_end

t_begin "detect: Pi whose glibc is 2.31 is advised musl"
c detect "pi@127.0.0.1:$POLD" --json --timeout $TO
expect_rc 0 && expect_json '(d["glibc"] == "2.31" and d["advice"]["libc"] == "musl" and
 d["advice"]["target"] == "armv7-unknown-linux-musleabihf" and "2.31" in d["advice"]["libc_why"] and
 d["os"]["codename"] == "bullseye")'
t_end

t_begin "detect: model says Pi Zero W (ARMv6; the ARMv6 userland is not emulated, ARMv7 one is used)"
c detect "pi@127.0.0.1:$PZERO" --json --timeout $TO
expect_rc 0 && expect_json '(d["board"]["isa"] == "ARMv6" and d["advice"]["target"].startswith("arm-unknown-linux-")
 and d["advice"]["cpu"] == "arm1176jzf-s")'
t_end

# ---- ~/.ssh/config, authentication ------------------------------------------

t_begin "detect through a ~/.ssh/config alias (HostName, Port, User, IdentityFile, UserKnownHostsFile)"
H2="$W/home2"
mkdir -p "$H2/.ssh"
ssh-keygen -q -t ed25519 -N '' -f "$H2/.ssh/pi_key"
cat "$H2/.ssh/pi_key.pub" >>"$W/s4/authorized_keys"
cat >"$H2/.ssh/config" <<EOF
Host mypi
	HostName 127.0.0.1
	Port $P4
	User pi
	IdentityFile $H2/.ssh/pi_key
	UserKnownHostsFile $H2/kh
EOF
rpx_env HOME="$H2" -- detect mypi --accept-new-host-key --json --timeout $TO
expect_rc 0 && expect_json '(d["host"] == "127.0.0.1" and d["port"] == '"$P4"' and d["user"] == "pi")'
grep -q "^\[127.0.0.1\]:$P4 " "$H2/kh" 2>/dev/null || t_fail "UserKnownHostsFile not used"
[ ! -e "$H2/.ssh/known_hosts" ] || t_fail "~/.ssh/known_hosts written despite UserKnownHostsFile"
t_end

t_begin "a key only in ssh-agent (SSH_AUTH_SOCK) logs in"
H3="$W/home3"
mkdir -p "$H3/.ssh" "$W/agentkey"
ssh-keygen -q -t ed25519 -N '' -f "$W/agentkey/k"
cat "$W/agentkey/k.pub" >>"$W/s4/authorized_keys"
cp "$HOME_C/.ssh/known_hosts" "$H3/.ssh/known_hosts"
eval "$(ssh-agent -s -a "$W/agent.sock")" >/dev/null
AGENT_PID=$SSH_AGENT_PID
ssh-add -q "$W/agentkey/k" 2>/dev/null
rpx_env HOME="$H3" SSH_AUTH_SOCK="$W/agent.sock" -- detect "pi@127.0.0.1:$P4" --timeout $TO
expect_rc 0 && expect_out "Raspberry Pi 4"
t_end

# agent_conf LINES...: ~/.ssh/config of home3 for alias agentpi
agent_conf() {
	{
		printf 'Host agentpi\n\tHostName 127.0.0.1\n\tPort %s\n\tUser pi\n' "$P4"
		for l in "$@"; do printf '\t%s\n' "$l"; done
	} >"$H3/.ssh/config"
}
t_begin "IdentityAgent in ~/.ssh/config, SSH_AUTH_SOCK unset: that agent's key logs in (with and without IdentitiesOnly)"
agent_conf "IdentityAgent $W/agent.sock"
rpx_env -u SSH_AUTH_SOCK HOME="$H3" -- detect agentpi --timeout $TO
expect_rc 0 && expect_out "Raspberry Pi 4"
cp "$W/agentkey/k.pub" "$H3/.ssh/agent_k.pub"
agent_conf "IdentityAgent $W/agent.sock" "IdentitiesOnly yes" "IdentityFile ~/.ssh/agent_k"
rpx_env -u SSH_AUTH_SOCK HOME="$H3" -- detect agentpi --timeout $TO
expect_rc 0 && expect_out "Raspberry Pi 4"
agent_conf 'IdentityAgent $RPX_TEST_AGENT' "IdentitiesOnly yes" "IdentityFile ~/.ssh/agent_k"
rpx_env -u SSH_AUTH_SOCK RPX_TEST_AGENT="$W/agent.sock" HOME="$H3" -- detect agentpi --timeout $TO
expect_rc 0 && expect_out "Raspberry Pi 4"
t_end

t_begin "IdentityAgent none: the agent in SSH_AUTH_SOCK is not used, and the error says so"
agent_conf "IdentityAgent none"
rpx_env HOME="$H3" SSH_AUTH_SOCK="$W/agent.sock" -- detect agentpi --timeout $TO
expect_rc 1 && expect_err "cannot log in" && expect_err "no ssh-agent (IdentityAgent none)"
agent_conf "IdentityAgent none" "IdentitiesOnly yes" "IdentityFile ~/.ssh/agent_k"
rpx_env HOME="$H3" SSH_AUTH_SOCK="$W/agent.sock" -- detect agentpi --timeout $TO
expect_rc 1 && expect_err "cannot log in"
rm -f "$H3/.ssh/config" "$H3/.ssh/agent_k.pub"
t_end
kill "$AGENT_PID" 2>/dev/null
AGENT_PID=
unset SSH_AUTH_SOCK SSH_AGENT_PID

# An sshd that ends a login after 3 failed keys (sshd's MaxAuthTries), and
# an ssh-agent holding 6 keys it does not know: the case IdentitiesOnly is for.
start_pi smax pi4
PMAX=$PORT
sh "$SIM" stop "$W/smax"
echo "MaxAuthTries 3" >>"$W/smax/sshd_config"
/usr/sbin/sshd -f "$W/smax/sshd_config" -E "$W/smax/sshd.log" || {
	echo "cannot restart sshd with MaxAuthTries 3"; cat "$W/smax/sshd.log"; exit 1; }
i=0
while [ $i -lt 100 ] && [ ! -s "$W/smax/sshd.pid" ]; do sleep 0.05; i=$((i + 1)); done
H4="$W/home4"
mkdir -p "$H4/.ssh" "$W/junk"
ssh-keygen -q -t ed25519 -N '' -f "$H4/.ssh/pi_id"
cat "$H4/.ssh/pi_id.pub" >>"$W/smax/authorized_keys"
eval "$(ssh-agent -s -a "$W/agent2.sock")" >/dev/null
AGENT_PID=$SSH_AGENT_PID
for k in 1 2 3 4 5 6; do
	ssh-keygen -q -t ed25519 -N '' -f "$W/junk/k$k"
	SSH_AUTH_SOCK="$W/agent2.sock" ssh-add -q "$W/junk/k$k" 2>/dev/null
done
# max_conf [IdentitiesOnly-line]: ~/.ssh/config for alias maxpi
max_conf() {
	cat >"$H4/.ssh/config" <<EOF
Host maxpi
	HostName 127.0.0.1
	Port $PMAX
	User pi
	$1
	IdentityFile ~/.ssh/pi_id
EOF
}
# junk_offered: does sshd's log name any of the agent's other keys?
junk_offered() {
	for k in 1 2 3 4 5 6; do
		fpk=$(ssh-keygen -lf "$W/junk/k$k.pub" | cut -d' ' -f2)
		grep -qF "$fpk" "$W/smax/sshd.log" && return 0
	done
	return 1
}
fp_id=$(ssh-keygen -lf "$H4/.ssh/pi_id.pub" | cut -d' ' -f2)

t_begin "6 keys in ssh-agent, sshd's MaxAuthTries 3, no IdentitiesOnly: fails saying what was tried and what to set"
max_conf ""
rpx_env HOME="$H4" SSH_AUTH_SOCK="$W/agent2.sock" -- detect maxpi --accept-new-host-key --timeout $TO
expect_rc 1 && expect_err "too many authentication failures" && expect_err "tried: ssh-agent" &&
	expect_err "ssh-agent holds 6 keys" && expect_err "MaxAuthTries" && expect_err "IdentitiesOnly yes" &&
	expect_err "Host maxpi"
t_end

t_begin "IdentitiesOnly yes: only the IdentityFile's key is offered (the agent's 6 others stay hidden); login works"
max_conf "IdentitiesOnly yes"
: >"$W/smax/sshd.log"
rpx_env HOME="$H4" SSH_AUTH_SOCK="$W/agent2.sock" -- detect maxpi --accept-new-host-key --timeout $TO
expect_rc 0 && expect_out "Raspberry Pi 4"
grep -q "Accepted publickey for pi .*$fp_id" "$W/smax/sshd.log" || t_fail "sshd did not accept pi_id"
! junk_offered || t_fail "sshd's log names a key of the agent that is not the IdentityFile"
t_end

t_begin "IdentitiesOnly yes, the key in ssh-agent and only its .pub on disk: the agent signs, nothing else is offered"
SSH_AUTH_SOCK="$W/agent2.sock" ssh-add -q "$H4/.ssh/pi_id" 2>/dev/null
mv "$H4/.ssh/pi_id" "$W/pi_id.away"
: >"$W/smax/sshd.log"
rpx_env HOME="$H4" SSH_AUTH_SOCK="$W/agent2.sock" -- run --host maxpi "$W/bin/hello-$ID" agent
expect_rc 0 && expect_out "arg[1]=<agent>"
grep -q "Accepted publickey for pi .*$fp_id" "$W/smax/sshd.log" || t_fail "sshd did not accept pi_id"
! junk_offered || t_fail "sshd's log names a key of the agent that is not the IdentityFile"
! grep -q "Failed publickey" "$W/smax/sshd.log" || t_fail "a key failed"
t_end
mv "$W/pi_id.away" "$H4/.ssh/pi_id"
kill "$AGENT_PID" 2>/dev/null
AGENT_PID=
unset SSH_AUTH_SOCK SSH_AGENT_PID

t_begin "no agent and no key: says what was tried"
rpx_env HOME="$H3" -- detect "pi@127.0.0.1:$P4" --timeout $TO
expect_rc 1 && expect_err "cannot log in" && expect_err "no ssh-agent (SSH_AUTH_SOCK is not set)" &&
	expect_err "the server accepts: publickey"
t_end

cp "$HOME_C/.ssh/known_hosts" "$H3/.ssh/known_hosts"
t_begin "wrong password at a terminal: refused after three tries, password never echoed"
$PTY $((TO * 3)) 'password: ' 'wrong-1' 'password: ' 'wrong-2' 'password: ' 'wrong-3' -- \
	env HOME="$H3" $RPX_WRAP "$RPX_BIN" detect "pi@127.0.0.1:$PPW" --timeout $TO >"$out" 2>&1
rc=$?
expect_rc 1 && expect_out "cannot log in" && expect_out "password"
! grep -q "wrong-" "$out" || t_fail "a password was echoed or printed"
t_end

t_begin "right password at a terminal logs in"
$PTY $((TO * 3)) 'password: ' 'raspberry-sim' -- \
	env HOME="$H3" $RPX_WRAP "$RPX_BIN" detect "pi@127.0.0.1:$PPW" --timeout $TO >"$out" 2>&1
rc=$?
expect_rc 0 && expect_out "Raspberry Pi 4"
! grep -q "raspberry-sim" "$out" || t_fail "the password was echoed"
t_end

t_begin "password server without a terminal: not asked, says so"
rpx_env HOME="$H3" -- detect "pi@127.0.0.1:$PPW" --timeout $TO
expect_rc 1 && expect_err "not password (no terminal to ask on)"
t_end

# ---- bad hosts, timeouts ------------------------------------------------------

t_begin "a host starting with '-' is refused (detect and run)"
c detect --timeout $TO -- "-oProxyCommand=touch $W/pwned"
expect_rc 2 && expect_err "starts with '-'"
c run --host "-oProxyCommand=touch $W/pwned" "$W/bin/hello-$ID"
expect_rc 2 && expect_err "starts with '-'"
c detect --timeout $TO -- "pi@-oProxyCommand=x"
expect_rc 1 && expect_err "starts with '-'"
[ ! -e "$W/pwned" ] || t_fail "a command ran"
t_end

t_begin "closed port: fails at once with a clear message"
closed=$(( 20000 + $$ % 10000 ))
while ss -ltnH "sport = :$closed" 2>/dev/null | grep -q .; do closed=$((closed + 1)); done
start=$(date +%s)
c detect "pi@127.0.0.1:$closed" --timeout 5
el=$(( $(date +%s) - start ))
expect_rc 1 && expect_err "cannot connect to 'pi@127.0.0.1:$closed'"
[ "$el" -le $((TO + 5)) ] || t_fail "took ${el}s"
t_end

t_begin "a server that never answers: fails within --timeout"
qport=$((closed + 1))
while ss -ltnH "sport = :$qport" 2>/dev/null | grep -q .; do qport=$((qport + 1)); done
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
conns = []
t = time.time()
while time.time() - t < 120:
    s.settimeout(1)
    try: conns.append(s.accept())
    except socket.timeout: pass
' "$qport" &
QUIET_PID=$!
sleep 0.5
start=$(date +%s)
c detect "pi@127.0.0.1:$qport" --timeout 2
el=$(( $(date +%s) - start ))
expect_rc 1 && expect_err "cannot connect to 'pi@127.0.0.1:$qport'"
[ "$el" -le $(( 2 + TO / 2 + 2 )) ] || t_fail "took ${el}s with --timeout 2"
t_end
kill "$QUIET_PID" 2>/dev/null
QUIET_PID=

# ---- run -----------------------------------------------------------------------

R4="pi@127.0.0.1:$P4"
CACHE4="$ROOT/pi4/home/pi/.cache/rpi-cross"
# rfile DIR NAME: the uploaded copy (in DIR/HASH16/NAME), or nothing
rfile() { for f in "$1"/*/"$2"; do [ -e "$f" ] && echo "$f"; done; }

t_begin "run: arguments with spaces, quotes, ';' and \$() reach the program unchanged"
c run --host "$R4" --timeout $TO "$W/bin/hello-$ID" 'a b' "it's" '; touch /tmp/x' '$(id)' '"q"' ''
expect_rc 0 && expect_out "Hello, world! argc=7" && expect_out "arg[1]=<a b>" &&
	expect_out "arg[2]=<it's>" && expect_out "arg[3]=<; touch /tmp/x>" &&
	expect_out "arg[4]=<\$(id)>" && expect_out 'arg[5]=<"q">' && expect_out "arg[6]=<>"
[ -x "$(rfile "$CACHE4" "hello-$ID")" ] || t_fail "not in ~/.cache/rpi-cross/HASH/ with mode 0755"
[ ! -e "$ROOT/pi4/tmp/x" ] || t_fail "an argument ran as a command"
t_end

t_begin "run: an identical binary is not uploaded again; a changed one is"
path1=$(rfile "$CACHE4" "hello-$ID")
ino1=$(ls -i "$path1" | cut -d' ' -f1)
c run --host "$R4" "$W/bin/hello-$ID"
ino2=$(ls -i "$(rfile "$CACHE4" "hello-$ID")" | cut -d' ' -f1)
expect_rc 0 && expect_out "Hello, world!"
[ "$ino1" = "$ino2" ] || t_fail "the file was replaced (inode $ino1 -> $ino2)"
cp "$W/bin/changed-$ID" "$W/bin/c2"
mkdir -p "$W/bin/x" && cp "$W/bin/changed-$ID" "$W/bin/x/hello-$ID"
c run --host "$R4" "$W/bin/x/hello-$ID" one
path3=$(rfile "$CACHE4" "hello-$ID")
n=$(rfile "$CACHE4" "hello-$ID" | wc -l)
[ "$n" -eq 1 ] || t_fail "$n copies of hello-$ID (the old version was not removed)"
expect_rc 0 && expect_out "arg[1]=<one>"
[ "$path3" != "$path1" ] || t_fail "a changed file was not uploaded (still $path1)"
cmp -s "$(rfile "$CACHE4" "hello-$ID")" "$W/bin/changed-$ID" || t_fail "remote copy differs from the local file"
t_end

t_begin "run: host from RPI_CROSS_HOST (Cargo runner style)"
rpx_env HOME="$HOME_C" RPI_CROSS_HOST="$R4" -- run "$W/bin/hello-$ID" x
expect_rc 0 && expect_out "arg[1]=<x>"
t_end

t_begin "run: exit status 3 is passed on"
c run --host "$R4" "$W/bin/hello-$ID" exit 3
expect_rc 3
t_end

t_begin "run: killed by SIGKILL gives 137"
c run --host "$R4" "$W/bin/hello-$ID" kill
expect_rc 137
t_end

t_begin "run: stdout and stderr stay separate"
c run --host "$R4" "$W/bin/hello-$ID" streams
expect_rc 0 && expect_out "to stdout" && expect_err "to stderr" && expect_no_out "to stderr"
t_end

t_begin "run: 100 MB of output arrives whole"
rpx_env HOME="$HOME_C" -- run --host "$R4" "$W/bin/hello-$ID" big 104857600
n=$(wc -c <"$out")
expect_rc 0
[ "$n" -eq 104857600 ] || t_fail "got $n bytes"
t_end

t_begin "run: 64-bit program on the 64-bit Pi 5"
c run --host "pi@127.0.0.1:$P5" "$W/bin/hello64-$ID" five
expect_rc 0 && expect_out "arg[1]=<five>"
t_end

t_begin "run: a 64-bit program for a 32-bit Pi 4 is refused before upload"
c run --host "$R4" "$W/bin/hello64-$ID"
expect_rc 255 && expect_err "cannot run on" && expect_err "32-bit OS" && expect_err "not uploaded"
[ -z "$(rfile "$CACHE4" "hello64-$ID")" ] || t_fail "it was uploaded"
t_end

t_begin "run: an x86-64 program is refused before upload"
cp /bin/true "$W/bin/x86-$ID"
c run --host "$R4" "$W/bin/x86-$ID"
expect_rc 255 && expect_err "x86-64" && expect_err "not uploaded"
[ -z "$(rfile "$CACHE4" "x86-$ID")" ] || t_fail "it was uploaded"
t_end

t_begin "run: a 32-bit program on the 32-bit-OS-on-64-bit-kernel Pi runs"
c run --host "pi@127.0.0.1:$P3264" "$W/bin/hello-$ID"
expect_rc 0 && expect_out "Hello, world!"
t_end

t_begin "run: ARMv7 binary refused for a Pi Zero W before upload (ARMv6 userland not emulated: model only)"
c run --host "pi@127.0.0.1:$PZERO" "$W/bin/hello-$ID"
expect_rc 255 && expect_err "ARMv7" && expect_err "ARMv6" && expect_err "Illegal instruction" &&
	expect_err "not uploaded"
[ -z "$(rfile "$ROOT/zerow/home/pi/.cache/rpi-cross" "hello-$ID")" ] || t_fail "it was uploaded"
t_end

t_begin "run: a binary needing GLIBC_2.34 is refused on a Pi with glibc 2.31"
c run --host "pi@127.0.0.1:$POLD" "$W/bin/hello-$ID"
expect_rc 255 && expect_err "GLIBC_2.34" && expect_err "2.31" && expect_err "not uploaded"
t_end

t_begin "run: not an ELF file is refused before connecting"
echo "#!/bin/sh" >"$W/bin/script-$ID"
c run --host "pi@127.0.0.1:1" "$W/bin/script-$ID"
expect_rc 255 && expect_err "cannot run '$W/bin/script-$ID'"
t_end

t_begin "run: home not writable: clear error"
c run --host "pi@127.0.0.1:$PRO" "$W/bin/hello-$ID"
expect_rc 255 && expect_err "cannot upload" && expect_err "Permission denied"
t_end

t_begin "run: remote disk full (4 MB tmpfs home): clear error, no temp file left"
c run --host "pi@127.0.0.1:$PFULL" "$W/bin/big-$ID"
expect_rc 255 && expect_err "cannot upload" && expect_err "No space left on device"
left=$(ls -A "$ROOT"/pi4-full/home/pi/.cache/rpi-cross/* 2>/dev/null | grep -c rpx-tmp)
[ "$left" -eq 0 ] || t_fail "$left temporary files left"
c run --host "pi@127.0.0.1:$PFULL" "$W/bin/hello-$ID" small
expect_rc 0 && expect_out "arg[1]=<small>"
t_end

t_begin "run: 50 MB upload arrives intact"
c run --host "$R4" --timeout $TO "$W/bin/huge-$ID" ok
expect_rc 0 && expect_out "arg[1]=<ok>"
cmp -s "$(rfile "$CACHE4" "huge-$ID")" "$W/bin/huge-$ID" || t_fail "remote copy differs"
t_end

# rm_cached NAME: forget the copy of NAME on the Pi 4
rm_cached() { for f in "$CACHE4"/*/"$1"; do [ -e "$f" ] && rm -f "$f" && rmdir "${f%/*}"; done; :; }

t_begin "run: the upload over SFTP alone (RPI_CROSS_UPLOAD=sftp): 10 MB intact, mode 0755, no temporary left"
rm_cached "big-$ID"
rpx_env HOME="$HOME_C" RPI_CROSS_UPLOAD=sftp -- run --host "$R4" --timeout $TO "$W/bin/big-$ID" sftp
expect_rc 0 && expect_out "arg[1]=<sftp>"
f=$(rfile "$CACHE4" "big-$ID")
cmp -s "$f" "$W/bin/big-$ID" || t_fail "remote copy differs"
[ "$(stat -c %a "$f")" = 755 ] || t_fail "mode $(stat -c %a "$f"), not 755"
left=$(ls -A "$CACHE4"/* | grep -c rpx-tmp)
[ "$left" -eq 0 ] || t_fail "$left temporary files left"
t_end

t_begin "run: the upload through the shell alone (RPI_CROSS_UPLOAD=exec): 10 MB intact, mode 0755"
rm_cached "big-$ID"
rpx_env HOME="$HOME_C" RPI_CROSS_UPLOAD=exec -- run --host "$R4" --timeout $TO "$W/bin/big-$ID" exec
expect_rc 0 && expect_out "arg[1]=<exec>"
f=$(rfile "$CACHE4" "big-$ID")
cmp -s "$f" "$W/bin/big-$ID" || t_fail "remote copy differs"
[ "$(stat -c %a "$f")" = 755 ] || t_fail "mode $(stat -c %a "$f"), not 755"
t_end

t_begin "run: disk full with SFTP alone: a clear error naming SFTP; no temporary left"
rpx_env HOME="$HOME_C" RPI_CROSS_UPLOAD=sftp -- run --host "pi@127.0.0.1:$PFULL" "$W/bin/big-$ID"
expect_rc 255 && expect_err "cannot upload" && expect_err "over SFTP"
left=$(ls -A "$ROOT"/pi4-full/home/pi/.cache/rpi-cross/* 2>/dev/null | grep -c rpx-tmp)
[ "$left" -eq 0 ] || t_fail "$left temporary files left"
t_end

t_begin "run: upload progress on a terminal, blanked before the program's output; none when stderr is a file"
rm_cached "big-$ID"
$PTY $((TO * 3)) -- env HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" --timeout $TO \
	"$W/bin/big-$ID" tty >"$out" 2>"$err"
rc=$?
expect_rc 0 && expect_out "uploading big-$ID: " && expect_out "arg[1]=<tty>"
# after the last progress line: blanks and a carriage return, then the
# program's output at the start of a line
/usr/bin/python3 - "$out" <<'PY' || t_fail "progress not blanked before the output: $(od -c "$out" | tail -n 8)"
import re, sys
d = open(sys.argv[1], "rb").read()
last = d.rfind(b"uploading ")
hello = d.find(b"Hello, world!")
tail = d[last:hello]
sys.exit(0 if 0 <= last < hello and re.search(rb"\r +\r$", tail) else 1)
PY
rm_cached "big-$ID"
c run --host "$R4" --timeout $TO "$W/bin/big-$ID" file
expect_rc 0 && expect_out "arg[1]=<file>"
! grep -q uploading "$err" || t_fail "progress shown with stderr in a file"
t_end

t_begin "run: what a board answered is kept here and used while its kernel and OS read the same"
bd="$HOME_C/.cache/rpi-cross/boards"
rm -rf "$bd"
rm_cached "hello-$ID"
c run --host "$R4" "$W/bin/hello-$ID" probed
expect_rc 0 && expect_out "arg[1]=<probed>"
n=$(ls "$bd" 2>/dev/null | wc -l)
[ "$n" -eq 1 ] || t_fail "$n board files in $bd, expected 1"
bf=$(ls -d "$bd"/* | head -n 1)
grep -q '^glibc=glibc 2.36$' "$bf" || t_fail "the saved probe lacks glibc 2.36"
# a saved answer saying glibc 2.31 is believed while the board reads the same
sed -i 's/^glibc=glibc 2.36$/glibc=glibc 2.31/' "$bf"
rm_cached "hello-$ID"
c run --host "$R4" "$W/bin/hello-$ID"
expect_rc 255 && expect_err "GLIBC_2.34" && expect_err "2.31"
# ... and not once the OS reads otherwise: probed again, and it runs
sed -i 's/^rpx-os=/rpx-os=X/' "$bf"
c run --host "$R4" "$W/bin/hello-$ID" again
expect_rc 0 && expect_out "arg[1]=<again>"
grep -q '^glibc=glibc 2.36$' "$bf" || t_fail "the saved probe was not renewed"
t_end

t_begin "run: sshd killed mid-upload: clear error; the retry works and leaves no temp file"
f=$(rfile "$CACHE4" "huge-$ID")
rm -f "$f"; rmdir "${f%/*}"
(HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" --timeout $TO "$W/bin/huge-$ID" again \
	</dev/null >"$W/mid.out" 2>"$W/mid.err"; echo $? >"$W/mid.rc") &
bg=$!
i=0
while [ $i -lt $((TO * 20)) ]; do
	ls -A "$CACHE4"/* 2>/dev/null | grep -q "rpx-tmp.huge-$ID" && break
	sleep 0.05
	i=$((i + 1))
done
# the session processes are the listener's children: end them by pid
kids=$(pgrep -P "$(cat "$W/s4/sshd.pid")")
for k in $kids; do kids="$kids $(pgrep -P "$k")"; done
for k in $kids; do kill -9 "$k" 2>/dev/null; done
wait $bg
cp "$W/mid.err" "$err"
rc=$(cat "$W/mid.rc")
expect_rc 255 && expect_err "lost the connection"
c run --host "$R4" --timeout $TO "$W/bin/huge-$ID" again
expect_rc 0 && expect_out "arg[1]=<again>"
left=$(ls -A "$CACHE4"/* | grep -c rpx-tmp)
[ "$left" -eq 0 ] || t_fail "$left temporary files left: $(ls -A "$CACHE4"/*)"
cmp -s "$(rfile "$CACHE4" "huge-$ID")" "$W/bin/huge-$ID" || t_fail "remote copy differs"
t_end

t_begin "run: Ctrl-C (SIGINT) stops the remote program; exit 130"
(HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" "$W/bin/hello-$ID" sleep 60 \
	</dev/null >"$W/int.out" 2>"$W/int.err"; echo $? >"$W/int.rc") &
bg=$!
i=0
while [ $i -lt $((TO * 20)) ] && ! grep -q sleeping "$W/int.out" 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
done
start=$(date +%s)
pid=$(pgrep -P "$bg" | head -n 1)
kill -INT "$pid" 2>/dev/null
wait $bg
el=$(( $(date +%s) - start ))
rc=$(cat "$W/int.rc")
cp "$W/int.err" "$err"; cp "$W/int.out" "$out"
expect_rc 130 && expect_out "sleeping" && expect_err "interrupted"
[ "$el" -le 10 ] || t_fail "took ${el}s to stop"
t_end

t_begin "run: piped stdin reaches the program (5 MB, more than a channel window, arrives whole)"
head -c 5000000 /dev/urandom >"$W/in5m"
HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" "$W/bin/hello-$ID" echo <"$W/in5m" >"$out" 2>"$err"
rc=$?
expect_rc 0 && expect_err "stdin: EOF after 5000000 bytes"
[ "$(cksum <"$out")" = "$(cksum <"$W/in5m")" ] || t_fail "the program's copy of stdin differs ($(wc -c <"$out") bytes)"
printf 'one line\n' | HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" "$W/bin/hello-$ID" echo >"$out" 2>"$err"
rc=$?
expect_rc 0 && expect_out "one line" && expect_err "stdin: EOF after 9 bytes"
t_end

t_begin "run: stdin from /dev/null or closed: the program gets EOF at once"
c run --host "$R4" "$W/bin/hello-$ID" echo
expect_rc 0 && expect_err "stdin: EOF after 0 bytes"
HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" "$W/bin/hello-$ID" echo <&- >"$out" 2>"$err"
rc=$?
expect_rc 0 && expect_err "stdin: EOF after 0 bytes"
t_end

t_begin "run: a program that never reads stdin ends with its status while stdin stays open (a pipe that never ends, an endless one)"
mkfifo "$W/never"
sleep 600 >"$W/never" &
holder=$!
HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" "$W/bin/hello-$ID" exit 3 <"$W/never" >"$out" 2>"$err"
rc=$?
kill "$holder" 2>/dev/null
expect_rc 3
yes | HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" "$W/bin/hello-$ID" exit 4 >"$out" 2>"$err"
rc=$?
expect_rc 4
t_end

t_begin "run: first run of a new build (upload, then run) passes stdin on too"
rm_cached "hello-v2-$ID"
printf 'fresh\n' | HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" "$W/bin/hello-v2-$ID" echo >"$out" 2>"$err"
rc=$?
expect_rc 0 && expect_out "fresh" && expect_err "stdin: EOF after 6 bytes"
t_end

t_begin "run: at a terminal a typed line reaches the program; the terminal's settings are left as they were"
$PTY $((TO * 2)) 'ready' 'typed on the terminal' -- sh -c 'stty -g >"$1/stty.before"; HOME="$2" $3 "$4" run --host "$5" "$6" line; rc=$?; stty -g >"$1/stty.after"; exit $rc' \
	sh "$W" "$HOME_C" "$RPX_WRAP" "$RPX_BIN" "$R4" "$W/bin/hello-$ID" >"$out" 2>&1
rc=$?
expect_rc 0 && expect_out "got <typed on the terminal>"
cmp -s "$W/stty.before" "$W/stty.after" || t_fail "stty -g changed: $(cat "$W/stty.before") -> $(cat "$W/stty.after")"
$PTY $((TO * 2)) -- env HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" "$W/bin/hello-$ID" exit 5 >"$out" 2>&1
rc=$?
expect_rc 5
t_end

t_begin "run: Ctrl-C while stdin is an open pipe: the program is stopped, exit 130"
sleep 600 >"$W/never" &
holder=$!
(HOME="$HOME_C" $RPX_WRAP "$RPX_BIN" run --host "$R4" "$W/bin/hello-$ID" sleep 60 \
	<"$W/never" >"$W/int2.out" 2>"$W/int2.err"; echo $? >"$W/int2.rc") &
bg=$!
i=0
while [ $i -lt $((TO * 20)) ] && ! grep -q sleeping "$W/int2.out" 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
done
pid=$(pgrep -P "$bg" | head -n 1)
kill -INT "$pid" 2>/dev/null
wait $bg
kill "$holder" 2>/dev/null
rc=$(cat "$W/int2.rc")
cp "$W/int2.err" "$err"; cp "$W/int2.out" "$out"
expect_rc 130 && expect_out "sleeping" && expect_err "interrupted"
t_end

t_begin "run: --run-timeout stops a program that runs too long"
start=$(date +%s)
c run --host "$R4" --run-timeout 1 "$W/bin/hello-$ID" sleep 60
el=$(( $(date +%s) - start ))
expect_rc 124 && expect_err "ran longer than 1 s"
[ "$el" -le $((TO + 5)) ] || t_fail "took ${el}s"
t_end

# env_checks WHAT: the environment the program printed (mode "env"): the
# defaults and --env arrive, nothing else of this machine does.
env_checks() {
	expect_rc 0 && expect_out "env<RUST_LOG=debug,my_crate=trace>" &&
		expect_out "env<RUST_BACKTRACE=1>" && expect_out "env<FOO=bar>" &&
		expect_out "env<Q=it's \$HOME \"x\" \`id\`>" && expect_out "env<HOME=/home/pi>" &&
		expect_out "env<LOCAL_ONE=here>"
	expect_no_out "HOME_X" && expect_no_out "s3cret-$ID" && expect_no_out "MY_SECRET_TOKEN" &&
		expect_no_out "rpx-local-marker" && expect_no_out "$HOME_C" &&
		expect_no_out "RUST_LIB_BACKTRACE" && expect_no_out "NOT_ASKED"
	grep -q '^env<PATH=' "$out" || t_fail "$1: the Pi's own PATH is missing"
}
t_begin "run: RUST_LOG and RUST_BACKTRACE set here and --env reach the program; PATH, HOME, secrets do not (first upload over SFTP, then the cached copy)"
cp "$W/bin/hello-$ID" "$W/bin/envp-$ID"
for pass in upload cached; do
	rpx_env -u HOME_X -u RUST_LIB_BACKTRACE HOME="$HOME_C" PATH="$PATH:/rpx-local-marker" \
		RUST_LOG=debug,my_crate=trace RUST_BACKTRACE=1 MY_SECRET_TOKEN="s3cret-$ID" \
		LOCAL_ONE=here NOT_ASKED=1 -- run --host "$R4" --timeout $TO --env FOO=bar \
		--env HOME_X --env LOCAL_ONE --env "Q=it's \$HOME \"x\" \`id\`" "$W/bin/envp-$ID" env
	env_checks "$pass"
done
t_end

t_begin "run: the same environment when the upload goes through the shell (RPI_CROSS_UPLOAD=exec); --env HOME=... replaces the Pi's"
cp "$W/bin/changed-$ID" "$W/bin/envx-$ID"
rpx_env -u HOME_X -u RUST_LIB_BACKTRACE HOME="$HOME_C" PATH="$PATH:/rpx-local-marker" \
	RUST_LOG=debug,my_crate=trace RUST_BACKTRACE=1 MY_SECRET_TOKEN="s3cret-$ID" \
	LOCAL_ONE=here NOT_ASKED=1 RPI_CROSS_UPLOAD=exec -- run --host "$R4" --timeout $TO \
	--env FOO=bar --env HOME_X --env LOCAL_ONE --env "Q=it's \$HOME \"x\" \`id\`" \
	"$W/bin/envx-$ID" env
env_checks exec
c run --host "$R4" --timeout $TO --env HOME=/tmp/elsewhere "$W/bin/envx-$ID" env
expect_rc 0 && expect_out "env<HOME=/tmp/elsewhere>" && expect_no_out "env<HOME=/home/pi>"
t_end

t_begin "run: --env with a bad name is a usage error; nothing runs"
c run --host "$R4" --timeout $TO --env "A-B=1" "$W/bin/envx-$ID" env
expect_rc 2 && expect_err "--env 'A-B=1'" && expect_empty_out
c run --host "$R4" --timeout $TO --env "1X" "$W/bin/envx-$ID" env
expect_rc 2 && expect_err "--env '1X'"
t_end

# ---- through a jump host ----------------------------------------------------------

# A plain sshd on loopback (no chroot) as the jump host; the user is the one
# running the suite, its key the client's.
JD="$W/jump"
mkdir -p "$JD"
chmod 755 "$JD"
ssh-keygen -q -t ed25519 -N '' -f "$JD/host_key"
cp "$HOME_C/.ssh/id_ed25519.pub" "$JD/authorized_keys"
chmod 644 "$JD/authorized_keys"
JPORT=$((P4 + 1))
while ss -ltnH "sport = :$JPORT" 2>/dev/null | grep -q . || [ "$JPORT" -gt 29999 ]; do
	JPORT=$(( JPORT > 29999 ? 20000 : JPORT + 1 ))
done
cat >"$JD/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $JPORT
HostKey $JD/host_key
PidFile $JD/sshd.pid
AuthorizedKeysFile $JD/authorized_keys
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowUsers $(id -un)
AllowTcpForwarding yes
LogLevel VERBOSE
EOF
/usr/sbin/sshd -f "$JD/sshd_config" -E "$JD/sshd.log" || {
	echo "cannot start the jump host's sshd"; cat "$JD/sshd.log"; exit 1; }
SERVERS="$SERVERS $JD"
i=0
while [ $i -lt 100 ] && [ ! -s "$JD/sshd.pid" ]; do sleep 0.05; i=$((i + 1)); done
echo "[127.0.0.1]:$JPORT $(cut -d' ' -f1,2 "$JD/host_key.pub")" >"$JD/known_hosts"
# the external ssh's own config (libssh runs ProxyCommand with /bin/sh)
cat >"$JD/ssh_config" <<EOF
Host jump
	HostName 127.0.0.1
	Port $JPORT
	User $(id -un)
	IdentityFile $HOME_C/.ssh/id_ed25519
	IdentitiesOnly yes
	UserKnownHostsFile $JD/known_hosts
	StrictHostKeyChecking yes
	BatchMode yes
EOF
H5="$W/home5"
mkdir -p "$H5/.ssh"
cp "$HOME_C/.ssh/known_hosts" "$H5/.ssh/known_hosts"
cat >"$H5/.ssh/config" <<EOF
Host viajump
	HostName 127.0.0.1
	Port $P4
	User pi
	IdentityFile $HOME_C/.ssh/id_ed25519
	ProxyCommand ssh -F $JD/ssh_config -W %h:%p jump
EOF

t_begin "ProxyCommand (ssh -W through a jump host): detect and run work through it"
: >"$JD/sshd.log"
rpx_env HOME="$H5" -- detect viajump --timeout $TO
expect_rc 0 && expect_out "Raspberry Pi 4 Model B" && expect_out "glibc:      2.36"
grep -q "Accepted publickey for $(id -un)" "$JD/sshd.log" || t_fail "the jump host saw no login"
printf 'via the jump host\n' | HOME="$H5" $RPX_WRAP "$RPX_BIN" run --host viajump "$W/bin/hello-$ID" echo >"$out" 2>"$err"
rc=$?
expect_rc 0 && expect_out "via the jump host" && expect_err "stdin: EOF after 18 bytes"
HOME="$H5" $RPX_WRAP "$RPX_BIN" run --host viajump "$W/bin/hello-$ID" exit 7 </dev/null >"$out" 2>"$err"
rc=$?
expect_rc 7
t_end

t_begin "ProxyCommand: a jump host that refuses the login fails with a clear message"
sed 's/^\tUser .*/\tUser nobody-here/' "$JD/ssh_config" >"$JD/ssh_config.bad"
sed "s|$JD/ssh_config |$JD/ssh_config.bad |" "$H5/.ssh/config" >"$H5/.ssh/config.bad"
mv "$H5/.ssh/config.bad" "$H5/.ssh/config"
rpx_env HOME="$H5" -- detect viajump --timeout $TO
expect_rc 1 && expect_err "cannot connect to 'pi@127.0.0.1:$P4' through the ProxyCommand" &&
	expect_err "ssh -F $JD/ssh_config.bad -W 127.0.0.1:$P4 jump" &&
	expect_err "run the command by hand"
t_end

t_begin "ProxyJump through a jump host (the external ssh it runs reads a home of the test's, in a private mount namespace)"
# libssh 0.10 turns ProxyJump into the ProxyCommand "ssh -W '[%h]:%p' HOST"
# without our -F file, and OpenSSH's ssh reads ~/.ssh/config and
# known_hosts from the password database's home, not $HOME. So the test
# runs rpi-cross in a mount namespace of its own where that home is a
# folder of the test's: nothing of the real user's is read or written.
pwhome=$(getent passwd "$(id -un)" | cut -d: -f6)
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null 2>&1 ||
	! unshare -m true 2>/dev/null || [ -z "$pwhome" ] || [ ! -d "$pwhome" ]; then
	t_skip "needs root and unshare -m (a private mount namespace) to give the ssh that ProxyJump runs a home of the test's"
else
	H6="$W/home6"
	mkdir -p "$H6/.ssh"
	cp "$HOME_C/.ssh/known_hosts" "$H6/.ssh/known_hosts"
	{
		printf 'Host viajumpj\n\tHostName 127.0.0.1\n\tPort %s\n\tUser pi\n' "$P4"
		printf '\tIdentityFile %s\n\tProxyJump jump\n' "$HOME_C/.ssh/id_ed25519"
		cat "$JD/ssh_config"
	} >"$H6/.ssh/config"
	# in-ns.sh HOME_DIR PW_HOME CMD...: CMD with PW_HOME showing HOME_DIR
	printf '%s\n' 'mount --make-rprivate / 2>/dev/null' \
		'mount --bind "$1" "$2" || exit 99' 'shift 2' 'exec "$@"' >"$W/in-ns.sh"
	: >"$JD/sshd.log"
	# shellcheck disable=SC2086
	unshare -m sh "$W/in-ns.sh" "$H6" "$pwhome" env HOME="$H6" $RPX_WRAP "$RPX_BIN" \
		detect viajumpj --timeout $TO </dev/null >"$out" 2>"$err"
	rc=$?
	expect_rc 0 && expect_out "Raspberry Pi 4 Model B"
	grep -q "Accepted publickey for $(id -un)" "$JD/sshd.log" || t_fail "the jump host saw no login"
	# shellcheck disable=SC2086
	printf 'jumped\n' | unshare -m sh "$W/in-ns.sh" "$H6" "$pwhome" env HOME="$H6" $RPX_WRAP \
		"$RPX_BIN" run --host viajumpj "$W/bin/hello-$ID" echo >"$out" 2>"$err"
	rc=$?
	expect_rc 0 && expect_out "jumped"
	! grep -qs viajumpj "$pwhome/.ssh/config" || t_fail "the real home's ssh config was written"
fi
t_end

# ---- changed host key (last: it restarts the Pi 4's sshd) ----------------------

t_begin "changed host key: refused even with --accept-new-host-key; names the file:line"
sh "$SIM" rekey "$W/s4" pi4
c detect "pi@127.0.0.1:$P4" --accept-new-host-key --timeout $TO
line=$(grep -n "^\[127.0.0.1\]:$P4 " "$HOME_C/.ssh/known_hosts" | cut -d: -f1)
expect_rc 1 && expect_err "has changed: refusing" &&
	expect_err "$HOME_C/.ssh/known_hosts:$line" &&
	expect_err "ssh-keygen -R '[127.0.0.1]:$P4'" &&
	expect_err "$(ssh-keygen -lf "$W/s4/host_key.pub" | cut -d' ' -f2)"
c run --host "pi@127.0.0.1:$P4" --accept-new-host-key "$W/bin/hello-$ID"
expect_rc 255 && expect_err "has changed" && expect_no_out "Hello"
t_end

t_begin "changed host key with a hashed known_hosts (HashKnownHosts): the line is still named"
cp "$HOME_C/.ssh/known_hosts" "$W/kh.hashed"
ssh-keygen -q -H -f "$W/kh.hashed" >/dev/null 2>&1
rm -f "$W/kh.hashed.old"
line=$(ssh-keygen -F "[127.0.0.1]:$P4" -f "$W/kh.hashed" | sed -n 's/.* found: line \([0-9]*\).*/\1/p')
cat >"$HOME_C/.ssh/config" <<EOF
Host *
	UserKnownHostsFile $W/kh.hashed
EOF
c detect "pi@127.0.0.1:$P4" --timeout $TO
rm -f "$HOME_C/.ssh/config"
expect_rc 1 && expect_err "has changed" && expect_err "$W/kh.hashed:$line"
t_end

t_done
