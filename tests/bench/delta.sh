#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# delta.sh - the edit -> run loop with a ~10 MB Rust debug build (armv7,
# tests/deltabins.sh) after a one-line change: `rpi-cross run` (a delta
# upload) against `scp` + `ssh` and, when this machine can give the
# simulated Pi an rsync, `rsync` + `ssh`. Bytes on the wire and wall time,
# on loopback and over a simulated Wi-Fi link (20 Mbit/s: tbf on a private
# loopback with MTU 1500). Each mode runs inside its own network namespace
# (unshare -n) with the simulated Pi's sshd started there, so the loopback's
# transmit counter (/proc/net/dev) counts exactly the loop's traffic, both
# directions. Prints medians and ratios; asserts nothing. Needs root.
#
# Targets at 20 Mbit/s: at most 0.15 x scp + ssh's time, at most 10% of
# its bytes. Each round alternates v1 and v2 (a println! argument changed),
# so every rpi-cross run sends a delta against the version before it; a
# second table does the same with v1 and v3 (a line of code added: all
# that follows it moves). rpi-cross runs with its kept connection (the
# first run of a mode makes it; sshd's login count says how many
# handshakes the runs made) and again with --no-keep (a handshake each);
# at 20 Mbit/s one more run, -v with the time of each line, shows where
# the time goes.
set -u
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RPX_BIN:=$RPX_TOP/build/rpi-cross}"
. "$RPX_TOP/tests/benchlib.sh"
RUNS=${RPX_BENCH_RUNS:-5}
. "$RPX_TOP/tests/deltabins.sh"

# rsync_pi: pi4-bench-rsync, a copy of pi4-bench with Debian's armhf rsync
# and its libraries, for the rsync + ssh column only: rpi-cross needs no
# rsync on the Pi.
RSYNC_DEBS="rsync libacl1 libattr1 liblz4-1 libpopt0 libssl3 libxxhash0 libzstd1 zlib1g"
rsync_pi() {
	command -v rsync >/dev/null 2>&1 || { RSYNC_WHY="no rsync here"; return 1; }
	bench_pi_plus pi4-bench-rsync "$RSYNC_DEBS" || { RSYNC_WHY=$BENCH_WHY; return 1; }
}

if [ "${1:-}" != --inside ]; then
	[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root (the simulation, unshare)"; exit 0; }
	why=$(sh "$SIM" check) || { echo "skipped: $why"; exit 0; }
	command -v unshare >/dev/null 2>&1 && command -v tc >/dev/null 2>&1 ||
		{ echo "skipped: no unshare or tc (util-linux, iproute2)"; exit 0; }
	why=$(delta_bins) || { echo "skipped: $why"; exit 0; }
	bench_pis pi4-bench
	rsync_pi || echo "(no rsync on the Pi: $RSYNC_WHY)"
	for mode in loopback wifi; do
		unshare -n sh "$0" --inside "$mode" || echo "($mode: failed)"
	done
	exit 0
fi

# ---- inside a private network namespace ------------------------------------
MODE=$2
ip link set lo up
ip link set lo mtu 1500
[ "$MODE" = wifi ] &&
	tc qdisc add dev lo root tbf rate 20mbit burst 32kb latency 50ms
delta_bins >/dev/null || exit 1
W=$(mktemp -d "${TMPDIR:-/tmp}/rpx-bench.XXXXXX")
PI=pi4-bench
[ -x "$ROOT/pi4-bench-rsync/usr/bin/rsync" ] && command -v rsync >/dev/null 2>&1 &&
	PI=pi4-bench-rsync
chmod 755 "$W"
trap '"$RPX_BIN" connections --stop-all >/dev/null 2>&1; sh "$SIM" stop "$W/srv" >/dev/null 2>&1; rm -rf "$W"; rm -rf "$ROOT/$PI/home/pi/dd" "$ROOT/$PI/home/pi/dr" "$ROOT/$PI/home/pi/.cache/rpi-cross"' EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$W/v1" "$W/v2" "$W/v3" "$W/run"
chmod 700 "$W/run"
for v in v1 v2 v3; do cp "$DBINS/$v" "$W/$v/dd"; done
bench_client home
bench_start_pi srv "$PI" pi
export HOME="$W/home" XDG_CACHE_HOME="$W/xdg" XDG_RUNTIME_DIR="$W/run"
unset RPI_CROSS_NO_KEEP
SSH="ssh -F $W/home/.ssh/config"
SCP="scp -q -F $W/home/.ssh/config"
RSYNC=
[ "$PI" = pi4-bench-rsync ] && RSYNC=1

txb() { awk '$1 == "lo:" { print $10 }' /proc/net/dev; }
now() { date +%s%N; }
# one NAME COMMAND...: run it, add its wall time (ns) and lo bytes to the
# lists T_NAME and B_NAME
one() {
	_n=$1; shift
	_b0=$(txb); _t0=$(now)
	"$@" >/dev/null 2>"$W/err" || { echo "  $_n failed: $(tail -2 "$W/err")" >&2; }
	_t1=$(now); _b1=$(txb)
	eval "T_$_n=\"\${T_$_n:-} $((_t1 - _t0))\"; B_$_n=\"\${B_$_n:-} $((_b1 - _b0))\""
}
med() { printf '%s\n' $1 | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "?" }'; }
secs() { awk -v a="$1" 'BEGIN { printf "%.3f", a / 1e9 }'; }

scp_ssh() { $SCP "$1" pi:dd && $SSH pi ./dd; }
rsync_ssh() { rsync -e "$SSH" "$1" pi:dr && $SSH pi ./dr; }
rpx() { "$RPX_BIN" run --host pi "$1"; }
rpxn() { "$RPX_BIN" run --no-keep --host pi "$1"; }
logins() { grep -c "Accepted publickey" "$W/srv/sshd.log"; }

table() { # table OTHER: v1 <-> OTHER
	other=$1
	unset T_scp B_scp T_rsync B_rsync T_rpx B_rpx T_rpxn B_rpxn
	# warm-up: both versions on the Pi and kept here
	scp_ssh "$W/v1/dd" >/dev/null 2>&1
	rpx "$W/v1/dd" >/dev/null 2>&1
	[ -n "$RSYNC" ] && rsync_ssh "$W/v1/dd" >/dev/null 2>&1
	i=0
	while [ $i -lt "$RUNS" ]; do
		if [ $((i % 2)) -eq 0 ]; then f="$W/$other/dd"; else f="$W/v1/dd"; fi
		one scp scp_ssh "$f"
		[ -n "$RSYNC" ] && one rsync rsync_ssh "$f"
		_l0=$(logins)
		one rpx rpx "$f"
		_l1=$(logins)
		LOGINS=$((LOGINS + _l1 - _l0))
		i=$((i + 1))
	done
	# --no-keep: the same loop, a handshake each run
	i=0
	while [ $i -lt "$RUNS" ]; do
		if [ $((i % 2)) -eq 0 ]; then f="$W/v1/dd"; else f="$W/$other/dd"; fi
		one rpxn rpxn "$f"
		i=$((i + 1))
	done
	size=$(wc -c <"$W/v1/dd")
	ts=$(med "$T_scp"); bs=$(med "$B_scp")
	tr=$(med "$T_rpx"); br=$(med "$B_rpx")
	echo "  v1 <-> $other ($size bytes), $RUNS runs, medians:"
	echo "    scp + ssh          $(secs "$ts") s  $bs bytes on the wire"
	if [ -n "$RSYNC" ]; then
		tq=$(med "$T_rsync"); bq=$(med "$B_rsync")
		echo "    rsync + ssh        $(secs "$tq") s  $bq bytes  = $(ratio "$tq" "$ts") x time, $(ratio "$bq" "$bs") x bytes of scp + ssh"
	else
		echo "    rsync + ssh        not measured: no rsync here or on the Pi"
	fi
	tn=$(med "$T_rpxn"); bn=$(med "$B_rpxn")
	echo "    rpi-cross run      $(secs "$tr") s  $br bytes  = $(ratio "$tr" "$ts") x time, $(ratio "$br" "$bs") x bytes of scp + ssh (kept connection: $LOGINS logins for $RUNS runs)"
	echo "    run --no-keep      $(secs "$tn") s  $bn bytes  = $(ratio "$tn" "$ts") x time, $(ratio "$bn" "$bs") x bytes of scp + ssh (a handshake each)"
	[ -z "$RSYNC" ] ||
		echo "                       = $(ratio "$tr" "$tq") x time, $(ratio "$br" "$bq") x bytes of rsync + ssh"
}

case $MODE in
wifi) echo "simulated Wi-Fi: loopback MTU 1500, tbf 20 Mbit/s (targets: <= 0.15 x time, <= 0.10 x bytes of scp + ssh)" ;;
*) echo "loopback, MTU 1500, no rate limit" ;;
esac
echo "  load average $(cut -d' ' -f1 /proc/loadavg)"
LOGINS=0
table v2
LOGINS=0
table v3
if [ "$MODE" = wifi ]; then
	# where the time goes: v1 -> v2 once more, each -v line with the
	# milliseconds since the start
	echo "  where the time goes (run -v, v1 -> v2, kept connection; ms since start):"
	rpx "$W/v1/dd" >/dev/null 2>&1
	_t0=$(now)
	"$RPX_BIN" -v run --host pi "$W/v2/dd" 2>&1 >/dev/null | while IFS= read -r l; do
		printf '    %6d  %.110s\n' $((($(now) - _t0) / 1000000)) "$l"
	done
	echo "    $((($(now) - _t0) / 1000000))  (end)"
fi
exit 0
