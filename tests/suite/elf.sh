#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# elf.sh - the elf module on real binaries from the Debian cross toolchains:
# machine, class, float ABI, ARM architecture level (the ARMv6 trap),
# interpreter, GLIBC version needs.
. "$RPX_TOP/tests/lib.sh"
EI="$RPX_BUILD/elf-info"
info() { $RPX_WRAP "$EI" "$1" >"$out" 2>"$err"; rc=$?; }

printf '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n' >"$T_TMP/h.c"
printf 'void _start(void){for(;;);}\n' >"$T_TMP/bare.c"

if command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1; then
	t_begin "armhf binary from Debian's cross gcc: ARM 32-bit, hard-float, ARMv7, GLIBC_2.34"
	arm-linux-gnueabihf-gcc -O2 "$T_TMP/h.c" -o "$T_TMP/arm7"
	info "$T_TMP/arm7"; expect_rc 0
	expect_json 'd["machine"]=="ARM" and d["bits"]==32 and d["hard_float"] and d["arm_eabi"]==5'
	expect_json 'd["isa"]=="ARMv7" and d["interp"]=="/lib/ld-linux-armhf.so.3" and d["glibc_max"]=="2.34" and d["needed"]==["libc.so.6"]'
	t_end

	t_begin "ARMv6 objects linked by Debian's gcc still carry ARMv7 start-up code"
	arm-linux-gnueabihf-gcc -O2 -march=armv6 -marm -mfpu=vfp "$T_TMP/h.c" -o "$T_TMP/arm6try"
	info "$T_TMP/arm6try"; expect_rc 0; expect_json 'd["isa"]=="ARMv7"'; t_end

	t_begin "pure ARMv6 code without start-up files reads as ARMv6"
	arm-linux-gnueabihf-gcc -march=armv6 -marm -mfpu=vfp -nostdlib -static "$T_TMP/bare.c" -o "$T_TMP/arm6"
	info "$T_TMP/arm6"; expect_rc 0; expect_json 'd["isa"]=="ARMv6" and d["static"]'; t_end

	t_begin "static armhf binary has no interpreter"
	arm-linux-gnueabihf-gcc -static "$T_TMP/h.c" -o "$T_TMP/arm7s"
	info "$T_TMP/arm7s"; expect_rc 0; expect_json 'd["static"] and d["interp"]=="" and d["glibc_max"]==""'; t_end
else
	t_begin "armhf cross gcc"; t_skip "arm-linux-gnueabihf-gcc not installed"
fi

if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
	t_begin "arm64 binary: AArch64 64-bit, ARMv8, its loader"
	aarch64-linux-gnu-gcc "$T_TMP/h.c" -o "$T_TMP/a64"
	info "$T_TMP/a64"; expect_rc 0
	expect_json 'd["machine"]=="AArch64" and d["bits"]==64 and d["isa"]=="ARMv8" and d["interp"]=="/lib/ld-linux-aarch64.so.1"'
	t_end
else
	t_begin "arm64 cross gcc"; t_skip "aarch64-linux-gnu-gcc not installed"
fi

t_begin "host binary reads as x86-64 (or the host's machine)"
cc "$T_TMP/h.c" -o "$T_TMP/host"
info "$T_TMP/host"; expect_rc 0; expect_json 'd["machine"] not in ("ARM","AArch64")'
expect_json 'd["bits"] in (32,64)'; t_end

t_begin "a text file, an empty file, a missing file and a folder are errors"
info "$T_TMP/h.c"; expect_rc 1; expect_err "not an ELF file"
: >"$T_TMP/empty"; info "$T_TMP/empty"; expect_rc 1; expect_err "not an ELF file"
info "$T_TMP/missing"; expect_rc 1; expect_err "cannot open"
info "$T_TMP"; expect_rc 1; expect_err "not a regular file"
t_end

t_begin "every truncation of a real binary is rejected or read without a crash"
bin="$T_TMP/host"; [ -f "$T_TMP/arm7" ] && bin="$T_TMP/arm7"
size=$(wc -c <"$bin"); bad=0
for n in 1 4 16 40 52 63 64 100 200 500 1000 2000 4000 $((size / 2)) $((size - 1)); do
	head -c "$n" "$bin" >"$T_TMP/trunc"
	$RPX_WRAP "$EI" "$T_TMP/trunc" >/dev/null 2>&1; r=$?
	[ $r -le 1 ] || { bad=1; echo "  truncated at $n: exit $r"; }
done
[ $bad -eq 0 ] || t_fail "a truncated file crashed the reader"
t_end

t_done
