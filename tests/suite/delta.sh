#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# delta.sh - delta uploads of `rpi-cross run` against simulated Pis: a
# rebuilt ~10 MB Rust debug executable (Debian's cargo for armv7, built
# once into /var/cache/rpi-cross-tests/delta by tests/deltabins.sh) sends
# only what changed, counted (RPI_CROSS_STATS=1), and the joined file runs;
# a base on the Pi that is not the one kept here (truncated, or changed in
# place) fails the Pi's size or MD5 check and the whole file follows;
# --no-delta and RPI_CROSS_UPLOAD=full send whole files; a Pi whose home
# fills up during the join (pi4-full, a 4 MB tmpfs) keeps the previous
# program runnable and nothing half-made behind.
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"
. "$RPX_TOP/tests/deltabins.sh"

ID=$$
cleanup() {
	sim_rm_cached "deltademo$ID" "small$ID"
	rm -rf "$ROOT"/*/home/pi/.cache/rpi-cross/.rpx-delta.* 2>/dev/null
	rm -f "$ROOT/pi4-full/home/pi/filler$ID"
	:
}
t_on_exit cleanup

skip_all() {
	t_begin "delta suite (delta uploads against simulated Pis)"
	t_skip "$1"
	t_done
	exit 0
}

why=$(delta_bins) || skip_all "$why"
delta_bins >/dev/null 2>&1
out_setup=$(sim_prepare pi4 pi4-full) || skip_all "$out_setup"
sim_client
start_pi s4 pi4
H4="pi@127.0.0.1:$PORT"
start_pi sfull pi4-full
HF="pi@127.0.0.1:$PORT"
SSHO="--timeout $TO --accept-new-host-key"
N="deltademo$ID"
mkdir -p "$W/v1" "$W/v2" "$W/v3" "$W/xdg"
for v in v1 v2 v3; do cp "$DBINS/$v" "$W/$v/$N"; done
SIZE=$(wc -c <"$W/v1/$N")

# run VERSION [HOST [ENV...]]: rpi-cross run of that build with stats on
run() {
	_v=$1 _h=${2:-$H4}
	shift; [ $# -gt 0 ] && shift
	rpx_env HOME="$HOME_C" XDG_CACHE_HOME="$W/xdg" RPI_CROSS_STATS=1 "$@" -- \
		run --host "$_h" $SSHO "$W/$_v/$N" a b
}
# sent: the bytes the stats line says; kind: its kind of upload
sent() { sed -n 's/^rpi-cross: sent \([0-9]*\) bytes .*/\1/p' "$err" | tail -1; }
kind() { sed -n 's/^rpi-cross: sent [0-9]* bytes (\([a-z+]*\) upload.*/\1/p' "$err" | tail -1; }
# joined: how the Pi joined the delta (runs: a dd a run; blocks: split + cat)
joined() { sed -n 's/^rpi-cross: sent .*, joined by \([a-z]*\))$/\1/p' "$err" | tail -1; }
# settle: the older version's removal goes on in the background after a
# delta; wait for the Pi to keep one copy
settle() {
	_n=0
	while [ "$(pi_copies pi4 "$N" | wc -l)" -gt 1 ] && [ $_n -lt 100 ]; do
		sleep 0.1; _n=$((_n + 1))
	done
}
# same FILE: the Pi's copy of the program is FILE
same() {
	settle [ "$(sha256sum <"$(pi_copies pi4 "$N")" | cut -d' ' -f1)" = "$(sha256sum <"$1" | cut -d' ' -f1)" ]; }
# the Pi's copies of the program
pi_copies() { ls "$ROOT/$1"/home/pi/.cache/rpi-cross/*/"$2" 2>/dev/null; }

t_begin "first run: the whole file is sent and runs"
run v1
expect_rc 0
expect_out "delta line: version 1"
expect_out 'args: ["a=0", "b=1"]'
[ "$(kind)" = full ] || t_fail "upload kind '$(kind)', expected full: $(cat "$err")"
[ "$(sent)" = "$SIZE" ] || t_fail "sent '$(sent)' bytes, expected the file's $SIZE"
[ -f "$W/xdg/rpi-cross/sent/$N/$(sha256sum <"$W/v1/$N" | cut -d' ' -f1)" ] ||
	t_fail "no copy kept on this computer for the next delta"
t_end

t_begin "a one-line change of a ${SIZE}-byte debug build sends under 10% and the new line runs"
run v2
expect_rc 0
expect_out "delta line: version 2, one line changed"
expect_no_out "version 1"
s=$(sent)
[ "$(kind)" = delta ] || t_fail "upload kind '$(kind)', expected delta: $(cat "$err")"
[ -n "$s" ] && [ "$s" -lt $((SIZE / 10)) ] || t_fail "sent '$s' bytes of $SIZE (10% is $((SIZE / 10)))"
# a few runs of unchanged blocks: a dd each costs the Pi less than a file
# for each of its 642 blocks
[ "$(joined)" = runs ] || t_fail "joined by '$(joined)', expected runs: $(cat "$err")"
echo "  ($s of $SIZE bytes sent, $((s * 1000 / SIZE))/1000)"
c=$(pi_copies pi4 "$N")
[ "$(echo "$c" | wc -l)" -eq 1 ] || t_fail "the Pi keeps more than one version: $c"
[ "$(sha256sum <"$c" | cut -d' ' -f1)" = "$(sha256sum <"$W/v2/$N" | cut -d' ' -f1)" ] ||
	t_fail "the joined file on the Pi differs from the build"
# the work folder goes in the background while the program runs
n=0
while [ -n "$(ls -d "$ROOT"/pi4/home/pi/.cache/rpi-cross/.rpx-* 2>/dev/null)" ] && [ $n -lt 100 ]; do
	sleep 0.1; n=$((n + 1))
done
[ $n -lt 100 ] || t_fail "a work folder was left behind"
t_end

t_begin "the same build again runs the Pi's copy without sending anything"
run v2
expect_rc 0
expect_out "version 2"
[ -z "$(kind)" ] || t_fail "sent something: $(cat "$err")"
t_end

t_begin "a line added (the code after it shifts): still a delta, the result runs"
# (a plain run's figure: under valgrind the 5 MB of new bytes cost
# minutes and test nothing the other cases do not)
if [ -n "$RPX_WRAP" ]; then t_skip "under $RPX_WRAP"; else
run v3
expect_rc 0
expect_out "delta line: 2 arguments"
[ "$(kind)" = delta ] || t_fail "upload kind '$(kind)', expected delta: $(cat "$err")"
s=$(sent)
[ -n "$s" ] && [ "$s" -lt $((SIZE / 2)) ] || t_fail "sent '$s' bytes of $SIZE"
echo "  ($s of $SIZE bytes sent, $((s * 1000 / SIZE))/1000)"
echo "  (joined by $(joined))"
same "$W/v3/$N" || t_fail "the joined file on the Pi differs from the build"
t_end
fi

t_begin "joined by blocks (split and cat) rather than runs, the same files"
# v1 then v2 by blocks (and v3 when it ran above), so the Pi ends with
# the version it had: the cases below send one that differs from it
for v in v1 v2; do
	run $v "$H4" RPI_CROSS_DELTA_JOIN=blocks
	expect_rc 0
	[ "$(kind)" = delta ] && [ "$(joined)" = blocks ] ||
		t_fail "$v: expected a delta joined by blocks: $(cat "$err")"
	same "$W/$v/$N" || t_fail "$v: the file joined by blocks differs from the build"
done
expect_out "version 2, one line changed"
if [ -z "$RPX_WRAP" ]; then
	run v3 "$H4" RPI_CROSS_DELTA_JOIN=blocks
	expect_rc 0
	expect_out "delta line: 2 arguments"
	[ "$(kind)" = delta ] && [ "$(joined)" = blocks ] ||
		t_fail "v3: expected a delta joined by blocks: $(cat "$err")"
	same "$W/v3/$N" || t_fail "v3: the file joined by blocks differs from the build"
fi
t_end

t_begin "a truncated base on the Pi fails its check: the whole file follows and runs"
c=$(pi_copies pi4 "$N")
truncate -s 4000000 "$c"
run v1
expect_rc 0
expect_out "delta line: version 1"
[ "$(kind)" = "delta+full" ] || t_fail "upload kind '$(kind)', expected delta+full: $(cat "$err")"
expect_no_out "rpx-delta"
! grep -q "rpx-delta" "$err" || t_fail "the Pi's check message reached stderr"
[ "$(sha256sum <"$(pi_copies pi4 "$N")" | cut -d' ' -f1)" = \
  "$(sha256sum <"$W/v1/$N" | cut -d' ' -f1)" ] || t_fail "the Pi's copy is not v1"
t_end

t_begin "a base changed in place (same size) fails the joined file's MD5: the whole file follows"
c=$(pi_copies pi4 "$N")
printf 'XXXXXXXX' | dd of="$c" bs=1 seek=2000000 conv=notrunc 2>/dev/null
run v2
expect_rc 0
expect_out "version 2, one line changed"
[ "$(kind)" = "delta+full" ] || t_fail "upload kind '$(kind)', expected delta+full: $(cat "$err")"
t_end

t_begin "a name too long for the stream's temporary (ustar's 100 bytes): the Pi makes it and sets its mode"
L="long-program-name-$(printf '%070d' 0)$ID"
mkdir -p "$W/l1" "$W/l2"
cp "$W/v1/$N" "$W/l1/$L"
cp "$W/v2/$N" "$W/l2/$L"
rpx_env HOME="$HOME_C" XDG_CACHE_HOME="$W/xdg" RPI_CROSS_STATS=1 -- run --host "$H4" $SSHO "$W/l1/$L"
expect_rc 0
rpx_env HOME="$HOME_C" XDG_CACHE_HOME="$W/xdg" RPI_CROSS_STATS=1 -- run --host "$H4" $SSHO "$W/l2/$L"
expect_rc 0
expect_out "version 2, one line changed"
[ "$(kind)" = delta ] || t_fail "upload kind '$(kind)', expected delta: $(cat "$err")"
c=$(ls "$ROOT"/pi4/home/pi/.cache/rpi-cross/*/"$L")
[ "$(echo "$c" | wc -l)" -eq 1 ] && [ -x "$c" ] || t_fail "the Pi's copy: $c"
rm -rf "${c%/*}"
t_end

t_begin "--no-delta and RPI_CROSS_UPLOAD=full send the whole file"
run v1 "$H4" RPI_CROSS_UPLOAD=full
expect_rc 0
expect_out "version 1"
[ "$(kind)" = full ] && [ "$(sent)" = "$SIZE" ] || t_fail "RPI_CROSS_UPLOAD=full: $(cat "$err")"
rpx_env HOME="$HOME_C" XDG_CACHE_HOME="$W/xdg" RPI_CROSS_STATS=1 -- \
	run --host "$H4" $SSHO --no-delta "$W/v2/$N"
expect_rc 0
expect_out "version 2"
[ "$(kind)" = full ] && [ "$(sent)" = "$SIZE" ] || t_fail "--no-delta: $(cat "$err")"
t_end

# ---- pi4-full: a 4 MB home ----------------------------------------------------

# A small program, two versions, with 0.9 MB of the same data behind its
# code (an ELF file runs with data appended): the delta is small, the join
# needs room for the blocks and the new file.
cat >"$W/small.c" <<'CEOF'
#include <stdio.h>
int main(void) { puts("small " VERSION); return 0; }
CEOF
head -c 900000 /dev/urandom >"$W/blob"
mkdir -p "$W/s1" "$W/s2"
for v in 1 2; do
	arm-linux-gnueabihf-gcc -O1 -DVERSION="\"version $v\"" -o "$W/s$v/small$ID" "$W/small.c" ||
		t_fail "cannot build the small program"
	cat "$W/blob" >>"$W/s$v/small$ID"
done

rpx_env HOME="$HOME_C" XDG_CACHE_HOME="$W/xdg" RPI_CROSS_STATS=1 -- \
	run --host "$HF" $SSHO "$W/s1/small$ID"
home="$ROOT/pi4-full/home/pi"
for way in blocks runs; do
t_begin "pi4-full: out of space during the join ($way): an error that says so, the previous program still runs"
expect_rc 0
expect_out "small version 1"
avail=$(df -k "$home" | awk 'NR == 2 { print $4 }')
# leave about 1.2 MB: split's blocks fit, the joined file does not; by
# runs (no blocks) about 0.5 MB
room=1200; [ "$way" = runs ] && room=500
fill=$((avail - room))
[ "$fill" -gt 0 ] && head -c "${fill}k" /dev/zero >"$home/filler$ID" 2>/dev/null
rpx_env HOME="$HOME_C" XDG_CACHE_HOME="$W/xdg" RPI_CROSS_STATS=1 RPI_CROSS_DELTA_JOIN=$way -- \
	run --host "$HF" $SSHO "$W/s2/small$ID"
[ "$rc" -ne 0 ] || t_fail "the run succeeded on a full disk"
expect_err "No space left on device"
expect_no_out "small version 2"
[ "$(kind)" = delta ] && [ "$(joined)" = "$way" ] ||
	t_fail "expected a delta joined by $way: $(cat "$err")"
[ -z "$(ls -d "$home"/.cache/rpi-cross/.rpx-* "$home"/.cache/rpi-cross/*/.rpx-* 2>/dev/null)" ] ||
	t_fail "the failed join left files behind: $(ls -a "$home"/.cache/rpi-cross/*)"
rm -f "$home/filler$ID"
rpx_env HOME="$HOME_C" XDG_CACHE_HOME="$W/xdg" RPI_CROSS_STATS=1 -- \
	run --host "$HF" $SSHO "$W/s1/small$ID"
expect_rc 0
expect_out "small version 1"
[ -z "$(kind)" ] || t_fail "the previous program was sent again: $(cat "$err")"
t_end
done

t_begin "pi4-full: with room again the delta goes through"
rpx_env HOME="$HOME_C" XDG_CACHE_HOME="$W/xdg" RPI_CROSS_STATS=1 -- \
	run --host "$HF" $SSHO "$W/s2/small$ID"
expect_rc 0
expect_out "small version 2"
[ "$(kind)" = delta ] || t_fail "upload kind '$(kind)', expected delta: $(cat "$err")"
t_end

t_done
