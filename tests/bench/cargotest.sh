#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# cargotest.sh - `cargo test` of a crate with three test binaries, run on a
# simulated Pi 4 (tests/sim/pi.sh: real sshd on loopback, ARM userland
# under qemu-user) through the runner `rpi-cross run`: with the kept
# connection (one handshake for every binary of every run) against each
# test binary doing its own handshake (RPI_CROSS_NO_KEEP=1). The binaries
# are already on the Pi (a warm-up run uploads them), so what differs is
# the connection. Prints medians, the ratio and sshd's login count;
# asserts nothing. Needs root (the simulation), Debian's cargo and rustc
# with the armv7 std, the armhf cross gcc and hyperfine.
#
# Two Pis: pi4-bench is the simulation the suites use, the host's own
# sshd in front of the ARM userland, so a handshake costs what it costs
# this x86 machine (about 50 ms); pi4-bench-sshd is the same userland
# with Debian's armhf openssh-server in it, run under qemu-user as a Pi
# runs its own, so the key exchange and sshd's re-exec cost what ARM code
# costs here (about 0.7 s a login, near a Pi Zero's second). The first
# table is the floor of what a kept connection saves, the second is
# nearer a Pi.
#
# Target: kept <= 0.5 x one handshake a binary.
set -u
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RPX_BIN:=$RPX_TOP/build/rpi-cross}"
. "$RPX_TOP/tests/benchlib.sh"
RUNS=${RPX_BENCH_RUNS:-10}
ARMV7=armv7-unknown-linux-gnueabihf

bench_need hyperfine arm-linux-gnueabihf-gcc
[ -x /usr/bin/cargo ] && [ -d "/usr/lib/rustlib/$ARMV7/lib" ] ||
	{ echo "skipped: no Debian cargo with the $ARMV7 std"; exit 0; }
bench_pis pi4-bench

# arm_sshd_pi: pi4-bench-sshd, a copy of pi4-bench with Debian's armhf
# openssh-server and the libraries sshd links (rebuilt when pi4-bench
# is); its sshd is started in it by chroot (qemu-user runs it).
ARM_SSHD_DEBS="openssh-server openssh-sftp-server libcrypt1 libwrap0 libaudit1 libpam0g
libsystemd0 libselinux1 libgssapi-krb5-2 libkrb5-3 libcom-err2 libssl3 zlib1g libnsl2
libcap-ng0 libcap2 libgcrypt20 liblzma5 libzstd1 liblz4-1 libpcre2-8-0 libk5crypto3
libkrb5support0 libkeyutils1 libtirpc3 libgpg-error0"
arm_sshd_extras() {
	mkdir -p "$1/run/sshd" "$1/etc/rpx-ssh"
	echo 'sshd:x:65534:65534::/run/sshd:/bin/false' >>"$1/etc/passwd"
}
arm_sshd_pi() {
	bench_pi_plus pi4-bench-sshd "$ARM_SSHD_DEBS" arm_sshd_extras ||
		{ ARM_SSHD_WHY=$BENCH_WHY; return 1; }
}

# arm_sshd_start: the ARM sshd of pi4-bench-sshd on a free port (ARM_PORT)
# with the client's key, a Host piarm entry and its host key known
arm_sshd_start() {
	_r="$ROOT/pi4-bench-sshd" _e=/etc/rpx-ssh
	ARM_PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	rm -f "$_r$_e/host_key" "$_r$_e/host_key.pub"
	ssh-keygen -q -t ed25519 -N '' -f "$_r$_e/host_key" || return 1
	cp "$W_SSH/id_ed25519.pub" "$_r$_e/authorized_keys"
	chmod 644 "$_r$_e/authorized_keys"
	printf 'Port %s\nListenAddress 127.0.0.1\nHostKey %s/host_key\nPidFile /run/sshd-rpx.pid\nAuthorizedKeysFile %s/authorized_keys\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nSubsystem sftp /usr/lib/openssh/sftp-server\n' \
		"$ARM_PORT" "$_e" "$_e" >"$_r$_e/sshd_config"
	: >"$_r/run/sshd-rpx.log"
	chroot "$_r" /usr/sbin/sshd -f "$_e/sshd_config" -E /run/sshd-rpx.log || return 1
	printf '[127.0.0.1]:%s %s\n' "$ARM_PORT" "$(cut -d' ' -f1,2 "$_r$_e/host_key.pub")" \
		>>"$W_SSH/known_hosts"
	printf 'Host piarm\n\tHostName 127.0.0.1\n\tPort %s\n\tUser pi\n\tIdentityFile %s\n\tUserKnownHostsFile %s\n\tStrictHostKeyChecking yes\n\tBatchMode yes\n' \
		"$ARM_PORT" "$W_SSH/id_ed25519" "$W_SSH/known_hosts" >>"$W_SSH/config"
}

W=$(mktemp -d "${TMPDIR:-/tmp}/rpx-ctb.XXXXXX")
chmod 755 "$W"
unset RPI_CROSS_NO_KEEP
cleanup() {
	"$RPX_BIN" connections --stop-all >/dev/null 2>&1
	rm -rf "$ROOT/pi4-bench/home/pi/.cache/rpi-cross"
	sh "$SIM" stop "$W/srv" >/dev/null 2>&1
	[ ! -s "$ROOT/pi4-bench-sshd/run/sshd-rpx.pid" ] ||
		kill "$(cat "$ROOT/pi4-bench-sshd/run/sshd-rpx.pid")" 2>/dev/null
	rm -rf "$ROOT/pi4-bench-sshd/home/pi/.cache/rpi-cross"
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$W/run"
chmod 700 "$W/run"
bench_client home
bench_start_pi srv pi4-bench pi
export HOME="$W/home" XDG_RUNTIME_DIR="$W/run"

# The crate: three test binaries (a, b, c), all passing; built once and
# kept under /var/cache/rpi-cross-tests/cargotest-bench/KEY
P="$W/rpxctb"
mkdir -p "$P/src" "$P/tests"
printf '[package]\nname = "rpxctb"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ntest = false\ndoctest = false\n' \
	>"$P/Cargo.toml"
echo 'pub fn twice(x: u32) -> u32 { x * 2 }' >"$P/src/lib.rs"
for t in a b c; do
	printf '#[test]\nfn %s_one() {\n    assert_eq!(rpxctb::twice(2), 4);\n}\n#[test]\nfn %s_two() {\n    assert!(rpxctb::twice(0) == 0);\n}\n' \
		$t $t >"$P/tests/$t.rs"
done
key=$( (cat "$P/Cargo.toml" "$P/src/lib.rs" "$P/tests/"*.rs; /usr/bin/rustc -vV) | cksum | cut -d' ' -f1)
TD=/var/cache/rpi-cross-tests/cargotest-bench/$key
mkdir -p "$TD" 2>/dev/null || TD="$W/target"
export CARGO_HOME="$W/cargo" CARGO_TARGET_DIR="$TD" CARGO_BUILD_TARGET=$ARMV7 RUSTC=/usr/bin/rustc \
	CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_LINKER=arm-linux-gnueabihf-gcc \
	CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_RUNNER="$RPX_BIN run --host pi"
CT="/usr/bin/cargo test --offline -q --manifest-path $P/Cargo.toml"
# build, upload the binaries, make the kept connection
$CT >"$W/log" 2>&1 || { echo "failed: cargo test: $(head -20 "$W/log")"; exit 1; }
[ "$(grep -c 'test result: ok. 2 passed' "$W/log")" -eq 3 ] ||
	{ echo "failed: not three test binaries passing: $(tail -5 "$W/log")"; exit 1; }

median() { /usr/bin/python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }
bench() { # bench NAME COMMAND
	hyperfine -N --runs "$RUNS" --warmup 1 --export-json "$W/$1.json" "$2" >/dev/null 2>&1 ||
		{ echo "  $1: failed: $2" >&2; echo "nan"; return; }
	median "$W/$1.json"
}
ratio() { /usr/bin/python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print("%.2f" % (a/b))' "$1" "$2" 2>/dev/null || echo "?"; }
logins() { grep -c "Accepted publickey" "$1"; }

# table HOST SSHDLOG LABEL: cargo test through the runner on HOST, kept
# connection against a handshake each
table() {
	echo "cargo test, three test binaries, $3, $RUNS runs each, medians in seconds, load average $(cut -d' ' -f1 /proc/loadavg)"
	CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_RUNNER="$RPX_BIN run --host $1"
	export CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_RUNNER
	$CT >"$W/log" 2>&1 || { echo "  failed: cargo test: $(tail -5 "$W/log")"; return; }
	l0=$(logins "$2")
	kept=$(bench kept "$CT")
	l1=$(logins "$2")
	each=$(bench each "env RPI_CROSS_NO_KEEP=1 $CT")
	l2=$(logins "$2")
	echo "  cargo test --no-run (cargo's own share)   $nocargo"
	echo "  a handshake each binary (NO_KEEP)          $each  ($((l2 - l1)) logins for $((RUNS + 1)) runs)"
	echo "  kept connection                            $kept  = $(ratio "$kept" "$each") x a handshake each (target <= 0.5; $((l1 - l0)) logins for $((RUNS + 1)) runs)"
	echo "  without cargo's share: kept / each         $(/usr/bin/python3 -c 'import sys; k,e,n=map(float,sys.argv[1:]); print("%.2f" % ((k-n)/(e-n)))' "$kept" "$each" "$nocargo" 2>/dev/null || echo "?")"
}

nocargo=$(bench none "/usr/bin/cargo test --offline -q --no-run --manifest-path $P/Cargo.toml")
table pi "$W/srv/sshd.log" "simulated Pi 4 with this machine's sshd (pi4-bench, 127.0.0.1:$PORT)"
if arm_sshd_pi && arm_sshd_start; then
	table piarm "$ROOT/pi4-bench-sshd/run/sshd-rpx.log" "simulated Pi 4 with its own armhf sshd under qemu (pi4-bench-sshd, 127.0.0.1:$ARM_PORT)"
else
	echo "(no Pi with an armhf sshd: ${ARM_SSHD_WHY:-its sshd did not start})"
fi
