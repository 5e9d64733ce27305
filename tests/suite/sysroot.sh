#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# sysroot.sh - `rpi-cross sysroot` against simulated Pis (tests/sim/pi.sh):
# pulls from an armhf and an arm64 Pi (busybox's tar on pi4/pi5, GNU tar
# on the -dev Pis), a real link against the sysroot's own libraries run on
# the Pi, the repeat pull, status, clean, add (the Pi's apt-get, nothing
# installed there), and the faults: SIGINT and SIGKILL mid-pull, the
# connection dropped mid-stream, the disk full here.
#
# Cost: the -dev Pis' sysroots (60 and 110 MB, gzip'd by an emulated ARM
# CPU: 30-40 s each) are pulled once and kept in
# /var/cache/rpi-cross-tests/sysroot/KEY (KEY: the Pis' build stamp and the
# sysroot code); later runs start from that copy and pull again, which
# then fetches nothing. pi4 and pi5 (8 and 23 MB) are pulled every run.
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"

skip_all() {
	t_begin "sysroot suite (simulated Pis over SSH)"
	t_skip "$1"
	t_done
	exit 0
}

command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1 ||
	skip_all "no arm-linux-gnueabihf-gcc for the link test"
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 ||
	skip_all "no aarch64-linux-gnu-gcc for the link test"
command -v readelf >/dev/null 2>&1 || skip_all "no readelf"
out_setup=$(sim_prepare pi4 pi5 pi4-dev pi5-dev) || skip_all "$out_setup"

SMALL=
cleanup() {
	[ -n "$SMALL" ] && umount "$SMALL" 2>/dev/null
	:
}
t_on_exit cleanup

sim_client
start_pi p4 pi4; P4=$PORT
start_pi p5 pi5; P5=$PORT
start_pi p4d pi4-dev; P4D=$PORT
start_pi p5d pi5-dev; P5D=$PORT
DATA="$W/data"
SR="$DATA/rpi-cross/sysroots"
c() { rpx_env HOME="$HOME_C" XDG_DATA_HOME="$DATA" -- "$@"; }
pull() { c sysroot pull --timeout "$TO" --accept-new-host-key "$@"; }

# check_tree ROOT: every link relative and resolving inside ROOT
check_tree() {
	bad=$(find "$1" -type l -lname '/*' | head -n 3)
	[ -z "$bad" ] || t_fail "absolute links remain: $bad"
	find "$1" -type l | while read -r l; do
		t=$(readlink -m "$l")
		case $t in "$1"/*) ;; *) echo "$l -> $t" ;; esac
	done >"$W/escaped"
	[ ! -s "$W/escaped" ] || t_fail "links leave the tree: $(head -n 3 "$W/escaped")"
}
# yaml KEY FILE: a scalar of sysroot.yaml
yaml() { sed -n "s/^$1: \"*\([^\"]*\)\"*\$/\1/p" "$2"; }
# digest DIR: every file's content and every link's target
digest() {
	(cd "$1" && find . \( -type f -o -type l \) | LC_ALL=C sort | while read -r f; do
		if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else cksum "$f"; fi
	done) | cksum
}

t_begin "pull from an armhf Pi (busybox tar): loader, libc, relative links, nothing written on the Pi"
touch "$W/before"
sleep 1
pull --host "pi@127.0.0.1:$P4"
expect_rc 0
expect_out "Pulled sysroot '127.0.0.1-bookworm-armhf'"
R4="$SR/127.0.0.1-bookworm-armhf/root"
[ "$(readlink "$R4/lib")" = usr/lib ] || t_fail "root/lib is not a relative link to usr/lib"
[ -e "$R4/lib/ld-linux-armhf.so.3" ] || t_fail "no loader lib/ld-linux-armhf.so.3"
[ -f "$R4/usr/lib/arm-linux-gnueabihf/libc.so.6" ] || t_fail "no libc.so.6"
[ ! -e "$R4/usr/bin" ] || t_fail "usr/bin was copied"
check_tree "$R4"
Y="$SR/127.0.0.1-bookworm-armhf/sysroot.yaml"
[ "$(yaml glibc "$Y")" = 2.36 ] || t_fail "glibc in sysroot.yaml: $(yaml glibc "$Y")"
[ "$(yaml target "$Y")" = armv7-unknown-linux-gnueabihf ] || t_fail "target: $(yaml target "$Y")"
[ "$(yaml gnu_triple "$Y")" = arm-linux-gnueabihf ] || t_fail "gnu_triple wrong"
written=$(find "$ROOT/pi4" -newer "$W/before" ! -path "$ROOT/pi4/proc*" | head -n 3)
[ -z "$written" ] || t_fail "the pull wrote on the Pi: $written"
t_end

t_begin "pull from an arm64 Pi: its loader and triple"
pull --host "pi@127.0.0.1:$P5"
expect_rc 0
R5="$SR/127.0.0.1-bookworm-arm64/root"
[ -e "$R5/lib/ld-linux-aarch64.so.1" ] || t_fail "no loader lib/ld-linux-aarch64.so.1"
[ -f "$R5/usr/lib/aarch64-linux-gnu/libc.so.6" ] || t_fail "no libc.so.6"
check_tree "$R5"
[ "$(yaml target "$SR/127.0.0.1-bookworm-arm64/sysroot.yaml")" = aarch64-unknown-linux-gnu ] ||
	t_fail "target of the arm64 sysroot"
t_end

t_begin "a repeat pull with nothing changed fetches nothing and keeps the tree"
d0=$(digest "$R4")
pull --host "pi@127.0.0.1:$P4"
expect_rc 0
expect_out "Updated sysroot '127.0.0.1-bookworm-armhf'"
expect_out "fetched:  0 files, 0 bytes"
grep -q "kept:     [1-9][0-9]* unchanged, 0 removed" "$out" || t_fail "no files kept"
[ "$(digest "$R4")" = "$d0" ] || t_fail "the tree changed"
t_end

t_begin "a progress bar on a terminal; none with -q, none when stderr is a file"
grep -q "pulling \[" "$err" && t_fail "a bar was drawn into a file"
cp -a "$SR/127.0.0.1-bookworm-armhf" "$SR/tty"
rm "$SR/tty/manifest"
/usr/bin/python3 "$RPX_TOP/tests/sim/tty-drive.py" $((TO * 6)) -- env HOME="$HOME_C" \
	XDG_DATA_HOME="$DATA" $RPX_WRAP "$RPX_BIN" sysroot pull --host "pi@127.0.0.1:$P4" \
	--name tty --timeout "$TO" >"$out" 2>&1; rc=$?
expect_rc 0
expect_out "pulling ["
expect_out "%"
rm "$SR/tty/manifest"
/usr/bin/python3 "$RPX_TOP/tests/sim/tty-drive.py" $((TO * 6)) -- env HOME="$HOME_C" \
	XDG_DATA_HOME="$DATA" $RPX_WRAP "$RPX_BIN" -q sysroot pull --host "pi@127.0.0.1:$P4" \
	--name tty --timeout "$TO" >"$out" 2>&1; rc=$?
expect_rc 0
expect_no_out "pulling ["
rm -rf "$SR/tty"
t_end

t_begin "a 64-bit target for a 32-bit Pi is refused (wrong architecture), nothing made"
pull --host "pi@127.0.0.1:$P4" --target aarch64-unknown-linux-gnu --name wrong
expect_rc 1
expect_err "wrong architecture"
expect_err "armhf"
[ ! -e "$SR/wrong" ] && [ ! -e "$SR/wrong.new" ] || t_fail "a sysroot 'wrong' was made"
t_end

# The -dev Pis: pulled once per key, else copied from the cache and pulled
# again (which then fetches nothing: the copy is the whole pull).
KEY=$(cat "$ROOT/pi4-dev/.rpi-sim-stamp" "$ROOT/pi5-dev/.rpi-sim-stamp" \
	"$RPX_TOP"/src/sysroot/*.c "$RPX_TOP"/src/sysroot/*.h | cksum | cut -d' ' -f1)
CACHE=/var/cache/rpi-cross-tests/sysroot/$KEY
dev_pull() {
	# dev_pull NAME PORT
	if [ -d "$CACHE/$1" ]; then
		mkdir -p "$SR" && cp -a "$CACHE/$1" "$SR/$1"
	fi
	pull --host "pi@127.0.0.1:$2" --name "$1"
	if [ "$rc" -eq 0 ] && [ ! -d "$CACHE/$1" ] && mkdir -p "$CACHE"; then
		rm -rf "$CACHE/.$1.$$"
		cp -a "$SR/$1" "$CACHE/.$1.$$" && mv "$CACHE/.$1.$$" "$CACHE/$1"
		# a new key: the copies of older sysroot code go
		for k in "${CACHE%/*}"/*; do
			[ "$k" = "$CACHE" ] || rm -rf "$k"
		done
	fi
}

# link_check GCC TRIPLE ROOT PORT GLIBC: hello + zlib linked against ROOT's
# libraries first, the libraries ld took are ROOT's, GLIBC needs at most
# the Pi's, and it runs on the Pi
link_check() {
	gcc=$1 g=$2 r=$3 port=$4 glibc=$5
	cat >"$W/hz.c" <<'EOF'
#include <stdio.h>
#include <zlib.h>
int main(void) { printf("zlib %s\n", zlibVersion()); return 0; }
EOF
	$gcc --sysroot="$r" -L"$r/usr/lib/$g" -Wl,-rpath-link,"$r/usr/lib/$g" \
		-isystem "$r/usr/include/$g" -isystem "$r/usr/include" \
		"$W/hz.c" -lz -o "$W/hz-$g" -Wl,-t >"$W/trace" 2>&1 ||
		{ t_fail "the link failed: $(tail -n 3 "$W/trace")"; return; }
	for lib in libc.so.6 libz.so; do
		got=$(grep "/$lib\$" "$W/trace" | head -n 1)
		case $got in "$r"/*) ;; *) t_fail "ld took $lib from '$got', not the sysroot" ;; esac
	done
	need=$(readelf -V "$W/hz-$g" | grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2 -n -u | tail -n 1)
	[ -n "$need" ] || t_fail "no GLIBC version needed?"
	[ "${need#GLIBC_2.}" -le "${glibc#2.}" ] || t_fail "needs $need, the Pi has $glibc"
	c run --host "pi@127.0.0.1:$port" --timeout "$TO" "$W/hz-$g"
	expect_rc 0
	expect_out "zlib 1."
}

t_begin "pi4-dev (armhf, GNU tar): hello + zlib links against the sysroot and runs on the Pi"
dev_pull pi4-dev "$P4D"
expect_rc 0
RD4="$SR/pi4-dev/root"
check_tree "$RD4"
[ -f "$RD4/usr/include/zlib.h" ] || t_fail "no zlib.h"
grep -q '=/' "$RD4/usr/lib/arm-linux-gnueabihf/libc.so" || t_fail "libc.so's ld script not fixed"
ls "$RD4"/usr/lib/gcc/arm-linux-gnueabihf/*/crtbegin.o >/dev/null 2>&1 || t_fail "no crtbegin.o"
link_check arm-linux-gnueabihf-gcc arm-linux-gnueabihf "$RD4" "$P4D" 2.36
t_end

t_begin "pi5-dev (arm64): hello + zlib links against the sysroot and runs on the Pi"
dev_pull pi5-dev "$P5D"
expect_rc 0
check_tree "$SR/pi5-dev/root"
link_check aarch64-linux-gnu-gcc aarch64-linux-gnu "$SR/pi5-dev/root" "$P5D" 2.36
t_end

t_begin "status lists every sysroot; --json has host, OS, glibc, -dev packages, size"
c sysroot status
expect_rc 0
expect_out "127.0.0.1-bookworm-armhf"
expect_out "127.0.0.1-bookworm-arm64"
expect_out "pi4-dev"
expect_out "glibc:    2.36"
expect_out "zlib1g-dev"
c sysroot status --json
expect_rc 0
expect_json "len(d['sysroots']) == 4"
expect_json "[s for s in d['sysroots'] if s['name'] == 'pi4-dev' and s['glibc'] == '2.36' and s['dpkg_arch'] == 'armhf' and s['files'] > 1000 and s['bytes'] > 10**7 and 'zlib1g-dev' in [p['name'] for p in s['packages']] and s['os_codename'] == 'bookworm']"
c sysroot status --json pi5-dev
expect_json "[s['name'] for s in d['sysroots']] == ['pi5-dev'] and d['sysroots'][0]['target'] == 'aarch64-unknown-linux-gnu'"
c sysroot status nothing-here
expect_rc 1
expect_err "sysroot pull"
t_end

t_begin "pull --write-config wires the sysroot into Cargo's config (--dry-run writes nothing)"
rpx_env HOME="$HOME_C" XDG_DATA_HOME="$DATA" CARGO_HOME="$W/cargo" -- sysroot pull \
	--host "pi@127.0.0.1:$P4D" --name pi4-dev --timeout "$TO" --write-config --dry-run
expect_rc 0
expect_out "PKG_CONFIG_SYSROOT_DIR"
[ ! -e "$W/cargo/config.toml" ] || t_fail "--dry-run wrote the config"
mkdir -p "$W/cargo"
rpx_env HOME="$HOME_C" XDG_DATA_HOME="$DATA" CARGO_HOME="$W/cargo" -- sysroot pull \
	--host "pi@127.0.0.1:$P4D" --name pi4-dev --timeout "$TO" --write-config --yes
expect_rc 0
grep -q -- "--sysroot=$RD4" "$W/cargo/config.toml" || t_fail "no --sysroot in config.toml"
grep -q "PKG_CONFIG_SYSROOT_DIR" "$W/cargo/config.toml" || t_fail "no pkg-config variables"
c sysroot pull --host "pi@127.0.0.1:$P4D" --name pi4-dev --yes
expect_rc 2
expect_err "go with --write-config"
t_end

t_begin "add libudev-dev: the Pi's apt-get downloads it, it lands in the sysroot, nothing installed on the Pi"
st0=$(cksum <"$ROOT/pi4-dev/var/lib/dpkg/status")
c sysroot add libudev-dev --host "pi@127.0.0.1:$P4D" --name pi4-dev --timeout "$TO"
expect_rc 0
expect_out "Added libudev-dev"
[ -f "$RD4/usr/include/libudev.h" ] || t_fail "no libudev.h"
[ -e "$RD4/usr/lib/arm-linux-gnueabihf/libudev.so" ] || t_fail "libudev.so does not resolve"
check_tree "$RD4"
grep -q 'name: "libudev-dev"' "$SR/pi4-dev/sysroot.yaml" || t_fail "added: lacks libudev-dev"
[ "$(cksum <"$ROOT/pi4-dev/var/lib/dpkg/status")" = "$st0" ] || t_fail "the Pi's dpkg status changed"
[ ! -e "$ROOT/pi4-dev/home/pi/.cache/rpi-cross/debs" ] || t_fail "the .debs stayed on the Pi"
printf '#include <libudev.h>\nint main(void){struct udev *u=udev_new();return u?0:1;}\n' >"$W/u.c"
arm-linux-gnueabihf-gcc --sysroot="$RD4" -L"$RD4/usr/lib/arm-linux-gnueabihf" \
	-Wl,-rpath-link,"$RD4/usr/lib/arm-linux-gnueabihf" -isystem "$RD4/usr/include" \
	"$W/u.c" -ludev -o "$W/u" 2>"$W/uerr" || t_fail "linking -ludev failed: $(tail -n 2 "$W/uerr")"
t_end

t_begin "a repeat pull keeps what add brought"
pull --host "pi@127.0.0.1:$P4D" --name pi4-dev
expect_rc 0
expect_out "fetched:  0 files"
[ -f "$RD4/usr/include/libudev.h" ] || t_fail "libudev.h gone after the pull"
grep -q 'name: "libudev-dev"' "$SR/pi4-dev/sysroot.yaml" || t_fail "added: forgotten"
t_end

t_begin "add of a package apt-get cannot download names the sudo apt install line; sysroot unchanged"
d0=$(digest "$RD4")
c sysroot add no-such-pkg-rpx --host "pi@127.0.0.1:$P4D" --name pi4-dev --timeout "$TO"
expect_rc 1
expect_err "apt-get download"
expect_err "sudo apt install no-such-pkg-rpx"
[ "$(digest "$RD4")" = "$d0" ] || t_fail "the sysroot changed"
[ ! -e "$SR/pi4-dev.new" ] || t_fail "pi4-dev.new left"
c sysroot add libudev-dev --host "pi@127.0.0.1:$P4" --timeout "$TO"
expect_rc 1
expect_err "no apt-get"
expect_err "sudo apt install libudev-dev"
t_end

# The faults: a sysroot 'fault' pulled from pi4, its manifest removed so
# the next pull streams everything again over the intact old tree.
# (a copy of the pi4 sysroot: the same as a pull, without its time)
cp -a "$SR/127.0.0.1-bookworm-armhf" "$SR/fault"
FD="$SR/fault"
cp "$FD/manifest" "$W/fault.manifest"
fd0=$(digest "$FD/root")
# mid_pull: start a pull of 'fault' in the background and wait until its
# new tree is being filled; PID then
mid_pull() {
	rm -f "$FD/manifest"
	env HOME="$HOME_C" XDG_DATA_HOME="$DATA" $RPX_WRAP "$RPX_BIN" sysroot pull \
		--host "pi@127.0.0.1:$P4" --name fault --timeout "$TO" \
		</dev/null >"$out" 2>"$err" &
	PID=$!
	i=0
	while [ $i -lt 600 ] && [ ! -e "$FD.new/root/usr" ]; do sleep 0.05; i=$((i + 1)); done
	[ -e "$FD.new/root/usr" ] || t_fail "the pull never started writing"
}

t_begin "SIGINT mid-pull: exit 130, the previous sysroot intact, no leftover"
mid_pull
kill -INT "$PID"
wait "$PID"; rc=$?
expect_rc 130
expect_err "interrupted"
[ "$(digest "$FD/root")" = "$fd0" ] || t_fail "the old tree changed"
[ ! -e "$FD.new" ] || t_fail "fault.new left"
t_end

t_begin "SIGKILL mid-pull: the previous sysroot intact; the next pull cleans up and completes"
mid_pull
kill -KILL "$PID"
wait "$PID" 2>/dev/null
[ "$(digest "$FD/root")" = "$fd0" ] || t_fail "the old tree changed"
[ -e "$FD.new" ] || t_fail "no fault.new to clean (killed too late?)"
# with the manifest back, the next pull has nothing to fetch: it cleans up
cp "$W/fault.manifest" "$FD/manifest"
pull --host "pi@127.0.0.1:$P4" --name fault
expect_rc 0
expect_out "fetched:  0 files"
[ ! -e "$FD.new" ] || t_fail "fault.new not cleaned"
[ "$(digest "$FD/root")" = "$fd0" ] || t_fail "the new tree differs"
t_end

t_begin "connection dropped mid-stream: a clear error, the previous sysroot intact, the next pull completes"
mid_pull
# the server's per-connection processes (the monitor, a child of the
# listener we started, and its network child): the connection drops, the
# listener stays
for m in $(pgrep -P "$(cat "$W/p4/sshd.pid")"); do
	pkill -KILL -P "$m"
	kill -KILL "$m"
done
wait "$PID"; rc=$?
expect_rc 1
grep -q "lost the connection\|closed the channel\|broke off" "$err" ||
	t_fail "no connection error: $(cat "$err")"
[ "$(digest "$FD/root")" = "$fd0" ] || t_fail "the old tree changed"
[ ! -e "$FD.new" ] || t_fail "fault.new left"
pull --host "pi@127.0.0.1:$P4" --name fault
expect_rc 0
[ "$(digest "$FD/root")" = "$fd0" ] || t_fail "the new tree differs"
t_end

t_begin "the disk full here: a clear error, the previous sysroot intact, nothing left"
SMALL="$W/small"
mkdir -p "$SMALL"
if mount -t tmpfs -o size=12m tmpfs "$SMALL" 2>"$W/merr"; then
	mkdir -p "$SMALL/rpi-cross/sysroots"
	cp -a "$SR/127.0.0.1-bookworm-armhf" "$SMALL/rpi-cross/sysroots/small" ||
		t_fail "the tmpfs cannot hold one sysroot"
	s0=$(digest "$SMALL/rpi-cross/sysroots/small/root")
	rm -f "$SMALL/rpi-cross/sysroots/small/manifest"
	rpx_env HOME="$HOME_C" XDG_DATA_HOME="$SMALL" -- sysroot pull --host "pi@127.0.0.1:$P4" \
		--name small --timeout "$TO"
	expect_rc 1
	expect_err "disk is full"
	expect_err "previous sysroot is unchanged"
	[ "$(digest "$SMALL/rpi-cross/sysroots/small/root")" = "$s0" ] || t_fail "the old tree changed"
	[ ! -e "$SMALL/rpi-cross/sysroots/small.new" ] || t_fail "small.new left"
	umount "$SMALL"
	SMALL=
	t_end
else
	t_skip "cannot mount a tmpfs: $(cat "$W/merr")"
fi

t_begin "clean NAME and clean --all"
c sysroot clean fault
expect_rc 0
[ ! -e "$FD" ] || t_fail "fault still there"
c sysroot clean fault
expect_rc 1
c sysroot clean
expect_rc 2
c sysroot clean --all
expect_rc 0
c sysroot status
expect_out "No sysroots"
t_end

t_done
