#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# pitest.sh - `rpi-cross test` end to end: Debian's Rust and the cross gcc
# build a real hello-world, a real sshd on loopback serves simulated Pis
# (tests/sim/pi.sh), and each failure class is provoked for real: a linker
# that does not exist, a target whose std is not installed, a linker for
# another machine, the wrong target for the board, ARMv6, a 32-bit OS on
# a 64-bit kernel, an old glibc, a read-only or full home, host keys,
# a closed port. Cargo's config is written with `rpi-cross config set`
# into a private CARGO_HOME; the client has its own HOME (~/.ssh) and
# TMPDIR (checked empty at the end). Every sshd started is stopped at exit.
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"
. "$RPX_TOP/tests/rustsim.sh"

PTY="/usr/bin/python3 $RPX_TOP/tests/sim/tty-drive.py"
ID=$$
ARMV7=armv7-unknown-linux-gnueabihf
A64=aarch64-unknown-linux-gnu

# what this run put on the simulated Pis (the servers are stopped by
# simlib.sh)
cleanup() { sim_rm_cached rpi-cross-hello "ptproj$ID*"; }
t_on_exit cleanup

skip_all() {
	t_begin "pitest suite (rpi-cross test against simulated Pis)"
	t_skip "$1"
	t_done
	exit 0
}

rustsim_setup pi4 pi5 pi4-3264 zerow pi4-old pi4-ro pi4-full

# The Cargo config, written by rpi-cross itself.
c config set --global --yes "target.$ARMV7.linker=arm-linux-gnueabihf-gcc" \
	"target.$A64.linker=aarch64-linux-gnu-gcc"
[ "$rc" -eq 0 ] || skip_all "rpi-cross config set failed: $(cat "$err")"

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
start_pi skey pi4
PKEY=$PORT

SSHO="--timeout $TO --accept-new-host-key"
# leftovers: nothing may stay in the test's TMPDIR
no_leftover() {
	left=$(ls -A "$W/tmp")
	[ -z "$left" ] || t_fail "left in TMPDIR: $left"
}

# ---- host keys first (known_hosts is empty) -----------------------------------

t_begin "unknown host key without a terminal: refused; cause host-key, fix names --accept-new-host-key"
c test --host "pi@127.0.0.1:$P4" --target $ARMV7 --timeout $TO
expect_rc 1 && expect_err "at the connect step (host-key)" &&
	expect_err "is not known" && expect_err "--accept-new-host-key" &&
	expect_out "Build" && expect_no_out "Hello, world!"
no_leftover
t_end

# ---- it works ------------------------------------------------------------------

t_begin "armv7 gnu on a 32-bit Pi 4: Hello, world! from the Pi, exit 0"
c test --host "pi@127.0.0.1:$P4" --target $ARMV7 $SSHO
expect_rc 0 && expect_out "Hello, world!" &&
	expect_out "from $ARMV7 (arm, 32-bit, glibc)" &&
	expect_out "Raspberry Pi 4 Model B Rev 1.4, 32-bit OS" &&
	expect_out "needs GLIBC_2.34 (Pi: 2.36)" && expect_out "It works" &&
	expect_out "Upload" && expect_out "Run" && expect_out "0.4 MB to ~/.cache/rpi-cross/"
for s in Prepare Build Connect Check Upload Run; do
	grep -q "^[^ ]* $s  *[0-9]*\.[0-9][0-9] s" "$out" || t_fail "no timed line for step $s"
done
[ -n "$(ls "$ROOT"/pi4/home/pi/.cache/rpi-cross/*/rpi-cross-hello 2>/dev/null)" ] ||
	t_fail "the program is not in ~/.cache/rpi-cross on the Pi"
no_leftover
t_end

t_begin "aarch64 gnu on a 64-bit Pi 5: Hello, world! from the Pi, exit 0"
c test --host "pi@127.0.0.1:$P5" --target $A64 $SSHO
expect_rc 0 && expect_out "Hello, world!" && expect_out "from $A64 (aarch64, 64-bit, glibc)" &&
	expect_out "Raspberry Pi 5" && expect_out "It works"
no_leftover
t_end

t_begin "--json: one document, every step ok, the Pi's output"
c test --host "pi@127.0.0.1:$P4" --target $ARMV7 $SSHO --json
expect_rc 0 && expect_json '(d["ok"] and d["cause"] == "none" and d["failed_step"] is None and
 [s["status"] for s in d["steps"]] == ["ok"] * 6 and d["output"].startswith("Hello, world!\n") and
 d["exit_status"] == 0 and d["board"] == "pi4" and d["glibc"] == "2.36" and not d["emulated"] and
 d["target"] == "'$ARMV7'")'
t_end

t_begin "host from RPI_CROSS_HOST; target from [build] target of the current folder's config"
mkdir -p "$W/proj-bt/.cargo"
printf '[build]\ntarget = "%s"\n' $A64 >"$W/proj-bt/.cargo/config.toml"
cd "$W/proj-bt" || exit 1
rpx_env HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$TPATH" \
	RPI_CROSS_HOST="pi@127.0.0.1:$P5" -- test $SSHO
cd "$RPX_TOP" || exit 1
expect_rc 0 && expect_out "Testing $A64 on pi@127.0.0.1:$P5 (target: [build] target in" &&
	expect_out "Hello, world!"
t_end

t_begin "no target anywhere: detected from the Pi (Pi 4, 32-bit OS -> armv7)"
c test --host "pi@127.0.0.1:$P4" $SSHO
expect_rc 0 && expect_out "Testing $ARMV7" && expect_out "recommended for Raspberry Pi 4" &&
	expect_out "Hello, world!"
t_end

t_begin "--profile: host, target and board from a saved profile"
mkdir -p "$W/xdg/rpi-cross"
printf 'p5:\n  board: pi5\n  target: %s\n  host: pi@127.0.0.1:%s\n' $A64 "$P5" \
	>"$W/xdg/rpi-cross/profiles.yaml"
c test --profile p5 $SSHO
expect_rc 0 && expect_out "Testing $A64 on pi@127.0.0.1:$P5 (target: profile 'p5')" &&
	expect_out "Hello, world!"
c test --profile nosuch $SSHO
expect_rc 1 && expect_err "nosuch"
t_end

# ---- build failures -------------------------------------------------------------

t_begin "linker not found (linker = \"no-such-gcc\" in the current folder's config, which applies)"
mkdir -p "$W/proj-nolinker/.cargo"
printf '[target.%s]\nlinker = "no-such-gcc"\n' $ARMV7 >"$W/proj-nolinker/.cargo/config.toml"
RPX_CWD="$W/proj-nolinker" c test --host "pi@127.0.0.1:$P4" --target $ARMV7 $SSHO
expect_rc 1 && expect_err "at the build step (linker-not-found)" &&
	expect_err "linker \`no-such-gcc\` not found" &&
	expect_err "names the linker 'no-such-gcc'" && expect_err "no program of that name on PATH" &&
	expect_err "gcc-arm-linux-gnueabihf" && expect_no_out "Hello, world!"
no_leftover
t_end

t_begin "std missing: arm-unknown-linux-gnueabihf (no std for Debian's rustc here)"
c test --host "pi@127.0.0.1:$PZERO" --target arm-unknown-linux-gnueabihf $SSHO
expect_rc 1 && expect_err "at the build step (std-missing)" &&
	expect_err "can't find crate for" && expect_err "standard library for the target is not" &&
	expect_err "rustup target add arm-unknown-linux-gnueabihf" &&
	expect_err "has no package with the std" && expect_err "rustc 1.63"
no_leftover
t_end

t_begin "musl (up to the build): armv7-unknown-linux-musleabihf has no std offline: std-missing"
c test --host "pi@127.0.0.1:$P4" --target armv7-unknown-linux-musleabihf $SSHO
expect_rc 1 && expect_err "at the build step (std-missing)" && expect_err "standard library"
t_end

t_begin "musl (up to the build) with --emulate: aarch64-unknown-linux-musl: std-missing"
c test --emulate --target aarch64-unknown-linux-musl
expect_rc 1 && expect_err "at the build step (std-missing)"
t_end

t_begin "no cargo on PATH: no-toolchain, explained"
mkdir -p "$W/nopath"
cd "$W/cwd" || exit 1
rpx_env HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$W/nopath" -- \
	test --emulate --target $ARMV7
cd "$RPX_TOP" || exit 1
expect_rc 1 && expect_err "at the build step (no-toolchain)" && expect_err "'cargo'" &&
	expect_err "rustup"
no_leftover
t_end

t_begin "wrong linker: the host's gcc for an ARM target (file in wrong format)"
mkdir -p "$W/proj-hostgcc/.cargo"
printf '[target.%s]\nlinker = "gcc"\n' $ARMV7 >"$W/proj-hostgcc/.cargo/config.toml"
RPX_CWD="$W/proj-hostgcc" c test --host "pi@127.0.0.1:$P4" --target $ARMV7 $SSHO
expect_rc 1 && expect_err "at the build step (wrong-linker)" &&
	expect_err "another architecture" && expect_err "linker=arm-linux-gnueabihf-gcc"
t_end

t_begin "wrong linker: one that 'links' an x86-64 program: caught by the ELF check, not uploaded"
mkdir -p "$W/proj-fakeld/.cargo"
cat >"$W/bin/fake-ld" <<'EOF'
#!/bin/sh
# takes whatever it is given and writes this machine's /bin/true as the output
while [ $# -gt 0 ]; do [ "$1" = -o ] && { cp /bin/true "$2"; exit 0; }; shift; done
exit 1
EOF
chmod 755 "$W/bin/fake-ld"
printf '[target.%s]\nlinker = "%s"\n' $ARMV7 "$W/bin/fake-ld" >"$W/proj-fakeld/.cargo/config.toml"
RPX_CWD="$W/proj-fakeld" c test --host "pi@127.0.0.1:$P4" --target $ARMV7 $SSHO
expect_rc 1 && expect_err "at the check step (wrong-linker)" && expect_err "x86-64" &&
	expect_err "not a 32-bit ARM program" && expect_no_out "Connect"
t_end

# ---- wrong for the board -------------------------------------------------------

t_begin "wrong target for the board: aarch64 on a 32-bit Pi 4 is refused before upload"
before=$(ls "$ROOT"/pi4/home/pi/.cache/rpi-cross/*/ 2>/dev/null | wc -l)
c test --host "pi@127.0.0.1:$P4" --target $A64 $SSHO
expect_rc 1 && expect_err "at the check step (wrong-bits)" && expect_err "64-bit (AArch64)" &&
	expect_err "userland is 32-bit" && expect_err "armv7-unknown-linux-gnueabihf" &&
	expect_no_out "Upload"
t_end

t_begin "Pi Zero W (ARMv6 model; userland not emulated) with an armv7 binary: wrong-isa, Illegal instruction"
c test --host "pi@127.0.0.1:$PZERO" --target $ARMV7 $SSHO
expect_rc 1 && expect_err "at the check step (wrong-isa)" && expect_err "ARMv7 code" &&
	expect_err "ARMv6" && expect_err "Illegal instruction" && expect_err "arm-unknown-linux-gnueabihf" &&
	expect_err "ARMv6 crosstool-ng"
t_end

t_begin "32-bit OS on a 64-bit kernel with an aarch64 binary: wrong-bits, uname -m is the kernel"
c test --host "pi@127.0.0.1:$P3264" --target $A64 $SSHO
expect_rc 1 && expect_err "at the check step (wrong-bits)" &&
	expect_err "uname -m says aarch64, but that is the kernel" && expect_err "getconf LONG_BIT"
t_end

t_begin "Pi with glibc 2.31 (bullseye) and a binary needing GLIBC_2.34: glibc-too-new, fix names musl"
c test --host "pi@127.0.0.1:$POLD" --target $ARMV7 $SSHO
expect_rc 1 && expect_err "at the check step (glibc-too-new)" && expect_err "GLIBC_2.34" &&
	expect_err "glibc 2.31 (bullseye)" && expect_err "--libc musl" && expect_err "<= 2.31" &&
	expect_err "'rpi-cross-hello' cannot run on Raspberry Pi 4 Model B: it needs GLIBC_2.34, the release has glibc 2.31: \"GLIBC_2.34 not found\" (build against glibc <= 2.31"
t_end

# ---- the Pi's side ----------------------------------------------------------------

t_begin "read-only home: the upload fails with permission, explained"
c test --host "pi@127.0.0.1:$PRO" --target $ARMV7 $SSHO
expect_rc 1 && expect_err "at the upload step (permission)" && expect_err "Permission denied" &&
	expect_err "not writable" && expect_err "chown"
no_leftover
t_end

t_begin "full home (4 MB tmpfs, 10 MB program: a project, built with debug info): disk-full"
PF="$W/ptfull"
mkdir -p "$PF/src"
printf '[package]\nname = "ptproj%sf"\nversion = "0.1.0"\nedition = "2018"\n\n[workspace]\n' "$ID" \
	>"$PF/Cargo.toml"
echo 'fn main() { println!("too big"); }' >"$PF/src/main.rs"
c test --host "pi@127.0.0.1:$PFULL" --target $ARMV7 $SSHO --project "$PF"
expect_rc 1 && expect_err "at the upload step (disk-full)" && expect_err "No space left on device" &&
	expect_err "df -h"
t_end

t_begin "closed port: connect, explained"
closed=$(( 20000 + $$ % 10000 ))
while ss -ltnH "sport = :$closed" 2>/dev/null | grep -q .; do closed=$((closed + 1)); done
c test --host "pi@127.0.0.1:$closed" --target $ARMV7 $SSHO
expect_rc 1 && expect_err "at the connect step (connect)" && expect_err "cannot connect" &&
	expect_err "SSH is enabled"
no_leftover
t_end

t_begin "changed host key: refused (even with --accept-new-host-key), host-key explained"
c detect "pi@127.0.0.1:$PKEY" $SSHO
sh "$SIM" rekey "$W/skey" pi4
c test --host "pi@127.0.0.1:$PKEY" --target $ARMV7 $SSHO
expect_rc 1 && expect_err "at the connect step (host-key)" && expect_err "has changed" &&
	expect_err "reinstalled" && expect_err "ssh-keygen -R" && expect_no_out "Hello"
t_end

# ---- emulation -------------------------------------------------------------------

if [ -x /usr/bin/qemu-arm-static ] || command -v qemu-arm >/dev/null 2>&1; then
	t_begin "--emulate armv7: runs under qemu-user and says it is not proof on the board"
	c test --emulate --target $ARMV7
	expect_rc 0 && expect_out "Hello, world!" && expect_out "emulation, not proof on the board" &&
		expect_no_out "Connect" && expect_out "qemu"
	no_leftover
	t_end

	t_begin "--emulate aarch64 --json: emulated, connect and upload skipped"
	c test --emulate --target $A64 --json
	expect_rc 0 && expect_json '(d["ok"] and d["emulated"] and d["host"] is None and
	 [s["status"] for s in d["steps"]] == ["ok", "ok", "ok", "skipped", "skipped", "ok"] and
	 "Hello, world!" in d["output"])'
	t_end

	t_begin "--emulate without the cross C library (QEMU_LD_PREFIX elsewhere): no-loader, names the package"
	mkdir -p "$W/emptyroot"
	cd "$W/cwd" || exit 1
	rpx_env HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$TPATH" \
		QEMU_LD_PREFIX="$W/emptyroot" -- test --emulate --target $ARMV7
	cd "$RPX_TOP" || exit 1
	expect_rc 1 && expect_err "at the run step (no-loader)" && expect_err "libc6-armhf-cross"
	t_end

	t_begin "--emulate --board zerow: an armv7 binary for an ARMv6 board is wrong-isa before running"
	c test --emulate --target $ARMV7 --board zerow
	expect_rc 1 && expect_err "at the check step (wrong-isa)"
	t_end
else
	t_begin "--emulate (qemu-user)"
	t_skip "no qemu-arm-static or qemu-arm"
fi

# ---- a project --------------------------------------------------------------------

P="$W/ptproj"
mkdir -p "$P/src/bin"
cat >"$P/Cargo.toml" <<EOF
[package]
name = "ptproj$ID"
version = "0.1.0"
edition = "2018"

[workspace]
EOF
echo 'fn main() { println!("project says hi"); }' >"$P/src/main.rs"

t_begin "--project DIR: builds and runs the project's only binary"
c test --host "pi@127.0.0.1:$P4" --target $ARMV7 $SSHO --project "$P"
expect_rc 0 && expect_out "project says hi" && expect_out "ptproj$ID" && expect_no_out "Hello, world!"
[ -x "$P/target/$ARMV7/release/ptproj$ID" ] || t_fail "not built in the project's target folder"
t_end

echo 'fn main() { println!("second here"); std::process::exit(3); }' >"$P/src/bin/ptproj${ID}b.rs"
t_begin "--project with two binaries: says so; --bin picks one (its exit status 3 is a run failure)"
c test --host "pi@127.0.0.1:$P4" --target $ARMV7 $SSHO --project "$P"
expect_rc 1 && expect_err "several programs" && expect_err "--bin NAME"
c test --host "pi@127.0.0.1:$P4" --target $ARMV7 $SSHO --project "$P" --bin "ptproj${ID}b"
expect_rc 1 && expect_out "second here" && expect_err "at the run step (run-failed)" &&
	expect_err "exited with status 3"
t_end

P3="$W/ptstdin"
mkdir -p "$P3/src"
printf '[package]\nname = "ptproj%si"\nversion = "0.1.0"\nedition = "2018"\n\n[workspace]\n' "$ID" \
	>"$P3/Cargo.toml"
cat >"$P3/src/main.rs" <<'EOF'
use std::io::Read;
fn main() {
    let mut s = String::new();
    let n = std::io::stdin().read_to_string(&mut s).unwrap_or(0);
    println!("stdin gave {} bytes", n);
}
EOF
t_begin "the final test gives the program no input (an open stdin is neither passed on nor read)"
printf 'not for the Pi\n' | {
	cd "$W/cwd" || exit 1
	HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$TPATH" RPI_CROSS_HOST= \
		XDG_CONFIG_HOME="$W/xdg" $RPX_WRAP "$RPX_BIN" test --host "pi@127.0.0.1:$P4" \
		--target $ARMV7 $SSHO --project "$P3" >"$out" 2>"$err"
	echo $? >"$W/stdin.rc"
	cat >"$W/stdin.rest"
}
rc=$(cat "$W/stdin.rc")
expect_rc 0 && expect_out "stdin gave 0 bytes"
grep -q "not for the Pi" "$W/stdin.rest" || t_fail "the test read its standard input"
t_end

P2="$W/ptsleep"
mkdir -p "$P2/src"
printf '[package]\nname = "ptproj%ss"\nversion = "0.1.0"\nedition = "2018"\n\n[workspace]\n' "$ID" \
	>"$P2/Cargo.toml"
cat >"$P2/src/main.rs" <<'EOF'
fn main() {
    println!("sleeping");
    std::thread::sleep(std::time::Duration::from_secs(60));
}
EOF
t_begin "Ctrl-C while the program runs on the Pi: it is stopped there; exit 130"
(cd "$W/cwd" && HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$TPATH" \
	$RPX_WRAP "$RPX_BIN" test --host "pi@127.0.0.1:$P4" --target $ARMV7 $SSHO --project "$P2" \
	</dev/null >"$W/int2.out" 2>"$W/int2.err"; echo $? >"$W/int2.rc") &
bg=$!
i=0
while [ $i -lt $((TO * 40)) ] && ! grep -q sleeping "$W/int2.out" 2>/dev/null; do
	sleep 0.05; i=$((i + 1))
done
start=$(date +%s)
kill -INT "$(pgrep -P "$bg" | head -n 1)" 2>/dev/null
wait $bg
el=$(( $(date +%s) - start ))
rc=$(cat "$W/int2.rc"); cp "$W/int2.out" "$out"; cp "$W/int2.err" "$err"
expect_rc 130 && expect_out "sleeping"
[ "$el" -le 10 ] || t_fail "took ${el}s to stop"
t_end

# ---- usage, --keep, Ctrl-C -----------------------------------------------------------

t_begin "usage errors exit 2: no host, --host with --emulate, --bin without --project, bad --target"
c test --target $ARMV7
expect_rc 2 && expect_err "no Pi given"
c test --emulate --host pi@x --target $ARMV7
expect_rc 2
c test --emulate --bin x --target $ARMV7
expect_rc 2
c test --emulate --target armv9-nonsense
expect_rc 2 && expect_err "unknown target"
c test --emulate
expect_rc 2 && expect_err "no target"
t_end

t_begin "--keep keeps the temporary crate and says where"
c test --emulate --target $ARMV7 --keep
kept=$(sed -n 's/^Kept: //p' "$out")
expect_rc 0
[ -n "$kept" ] && [ -x "$kept" ] || t_fail "no kept binary ('$kept')"
rm -rf "$W"/tmp/rpi-cross-test.*
t_end

t_begin "Ctrl-C during the build: exit 130, temporary folder removed"
(cd "$W/cwd" && HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$TPATH" \
	$RPX_WRAP "$RPX_BIN" test --emulate --target $A64 </dev/null >"$W/int.out" 2>"$W/int.err";
	echo $? >"$W/int.rc") &
bg=$!
i=0
while [ $i -lt 400 ] && ! grep -q Compiling "$W/int.err" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
pid=$(pgrep -P "$bg" | head -n 1)
# the subshell's child is rpi-cross (or the wrapper); signal it alone
kill -INT "$pid" 2>/dev/null
wait $bg
rc=$(cat "$W/int.rc"); cp "$W/int.out" "$out"; cp "$W/int.err" "$err"
expect_rc 130 && expect_out "Build"
sleep 0.2
no_leftover
t_end

t_done
