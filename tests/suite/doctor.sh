#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# doctor.sh - `rpi-cross doctor` against real files and fake rustc
# scripts (through RUSTC): pass, warn, fail and skip provoked for real; exit
# statuses; JSON; the ASCII fallback of the marks. Then the Cargo config
# checks with Debian's rustc and the cross gcc (broken linkers, files that
# do not parse, bad target-cpu, runners not found), and the host checks
# against simulated Pis (tests/sim/pi.sh; run under the sim lock): unknown
# and changed host keys, a closed port, refused login, glibc 2.31, a full
# home, a board that does not fit the target.
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"

# fake_rustc DIR SYSROOT VERSION: a rustc script answering like rustc.
fake_rustc() {
	mkdir -p "$1"
	cat >"$1/rustc" <<SH
#!/bin/sh
case "\$*" in
"--version") echo "$3";;
"--print sysroot") echo "$2";;
*) exit 1;;
esac
SH
	chmod +x "$1/rustc"
}

# A rustup-like toolchain with the armv7 std, a standalone one without.
ru="$T_TMP/rustup/toolchains/stable-fake"
mkdir -p "$ru/lib/rustlib/armv7-unknown-linux-gnueabihf/lib"
fake_rustc "$T_TMP/rubin" "$ru" "rustc 1.99.0 (fake rustup)"
st="$T_TMP/opt/rust"
mkdir -p "$st"
fake_rustc "$T_TMP/stbin" "$st" "rustc 1.80.0 (fake standalone)"
fake_rustc "$T_TMP/distrobin" "/usr" "rustc 1.63.0 (fake distro)"
empty="$T_TMP/empty"; mkdir -p "$empty"   # no rustc in it
proj="$T_TMP/work/proj"; mkdir -p "$proj"
ch="$T_TMP/cargo-home"; mkdir -p "$ch"

# doc ENV... -- ARGS: doctor with HOME and CARGO_HOME in the test folder;
# RUSTC picks the fake (PATH stays as it is, so RPX_WRAP still works).
doc() {
	_e=
	while [ "$1" != "--" ]; do _e="$_e $1"; shift; done
	shift
	# shellcheck disable=SC2086
	rpx_env HOME="$T_TMP" CARGO_HOME="$ch" $_e -- doctor --project "$proj" "$@"
}
# status ID: the status of check ID in the JSON on stdout.
jstatus() { expect_json "next(c for c in d['checks'] if c['id']=='$1')['status'] == '$2'"; }

t_begin "rustup-managed rustc with the target's std: pass"
doc RUSTC="$T_TMP/rubin/rustc" -- --target armv7-unknown-linux-gnueabihf
expect_out "Rust toolchain: rustc 1.99.0 (fake rustup), rustup toolchain stable-fake"
expect_out "Target std installed: the std for armv7-unknown-linux-gnueabihf is in $ru/lib/rustlib/armv7-unknown-linux-gnueabihf"
t_end

t_begin "missing std under rustup: fail with the rustup fix, exit 1"
doc RUSTC="$T_TMP/rubin/rustc" -- --target aarch64-unknown-linux-musl
expect_rc 1
expect_out "the std for aarch64-unknown-linux-musl is not installed in $ru"
expect_out "fix: rustup target add --toolchain stable-fake aarch64-unknown-linux-musl"
t_end

t_begin "distro and standalone rustc are told apart, with their own std fix"
doc RUSTC="$T_TMP/distrobin/rustc" -- --json
expect_rc 0; jstatus rust pass
expect_json "'distribution package' in d['checks'][0]['message'] and 'rustc 1.63.0 (fake distro)' in d['checks'][0]['message']"
doc RUSTC="$T_TMP/stbin/rustc" -- --target armv7-unknown-linux-gnueabihf --json
expect_rc 1; jstatus std fail
expect_json "'not managed by rustup' in d['checks'][0]['message']"
expect_json "'use rustup' in next(c for c in d['checks'] if c['id']=='std')['fix']"
t_end

t_begin "no rustc at all: the toolchain fails and the std check is skipped because of it"
doc RUSTC="$empty/rustc" -- --target armv7-unknown-linux-gnueabihf --json
expect_rc 1; jstatus rust fail; jstatus std skip
expect_json "next(c for c in d['checks'] if c['id']=='std')['message'] == \"skipped: it needs 'Rust toolchain', which failed\""
expect_json "'rustup.rs' in d['checks'][0]['fix']"
t_end

t_begin "without --target the std check is skipped and says why"
doc RUSTC="$T_TMP/rubin/rustc" -- --json
expect_rc 0; jstatus std skip
expect_json "'--target' in next(c for c in d['checks'] if c['id']=='std')['message']"
t_end

t_begin "--board with --target: agree passes, an armv7 target on a Pi Zero fails"
doc RUSTC="$T_TMP/rubin/rustc" -- --board pi4 --target armv7-unknown-linux-gnueabihf --json
jstatus board-target pass
doc RUSTC="$T_TMP/rubin/rustc" -- --board zero --target armv7-unknown-linux-gnueabihf
expect_rc 1; expect_out "Board and target agree: armv7-unknown-linux-gnueabihf does not run on the Raspberry Pi Zero"
expect_out "Illegal instruction"; expect_out "fix: use --target arm-unknown-linux-gnueabihf"
t_end

t_begin "legacy config beside config.toml in CARGO_HOME: warn, Cargo uses config, exit 0"
: >"$ch/config"; : >"$ch/config.toml"
doc RUSTC="$T_TMP/rubin/rustc" -- --json
expect_rc 0; jstatus cargo-config-files warn
expect_json "'both $ch/config and $ch/config.toml exist: Cargo uses config' in next(c for c in d['checks'] if c['id']=='cargo-config-files')['message']"
expect_json "d['summary']['warn'] == 1 and d['summary']['ok'] is True"
rm -f "$ch/config" "$ch/config.toml"; t_end

t_begin "both files in a parent of the project's .cargo: warn names that folder"
mkdir -p "$T_TMP/work/.cargo"; : >"$T_TMP/work/.cargo/config"; : >"$T_TMP/work/.cargo/config.toml"
doc RUSTC="$T_TMP/rubin/rustc" --
expect_rc 0
real=$(cd "$T_TMP" && pwd -P)   # doctor resolves symlinks (/tmp on macOS)
expect_out "! Cargo config files: both $real/work/.cargo/config and"
expect_out "fix: merge $real/work/.cargo/config into $real/work/.cargo/config.toml"
rm -rf "$T_TMP/work/.cargo"
: >"$ch/config.toml"
doc RUSTC="$T_TMP/rubin/rustc" -- --json
jstatus cargo-config-files pass; t_end

t_begin "a project folder that does not exist fails the config check"
rpx_env HOME="$T_TMP" CARGO_HOME="$ch" RUSTC="$T_TMP/rubin/rustc" -- doctor --project "$T_TMP/nope" --json
expect_rc 1; jstatus cargo-config-files fail; t_end

t_begin "--json is one document with stable fields, in a fixed order"
doc RUSTC="$T_TMP/rubin/rustc" -- --target armv7-unknown-linux-gnueabihf --json
expect_json "all(list(c) == ['id','title','status','message','fix','ms'] for c in d['checks'])"
expect_json "[c['id'] for c in d['checks']][:4] == ['rust','std','board-target','cargo-config-files']"
expect_json "set(d['summary']) == {'pass','warn','fail','skip','ok'} and sum(d['summary'][k] for k in ('pass','warn','fail','skip')) == len(d['checks'])"
expect_json "all(isinstance(c['ms'], int) and c['ms'] >= 0 for c in d['checks'])"
t_end

t_begin "marks: UTF-8 locale gets check marks, the C locale ASCII"
doc RUSTC="$empty/rustc" LC_ALL=C.UTF-8 --
grep -q "^✗ Rust toolchain" "$out" || t_fail "no UTF-8 cross"
doc RUSTC="$empty/rustc" LC_ALL=C --
grep -q "^x Rust toolchain" "$out" || t_fail "no ASCII x"
grep -q "^- Target std installed" "$out" || t_fail "no ASCII skip"
grep -q "^- 7 checks: no host given" "$out" || t_fail "the seven host checks skipped for want of a host do not share one line"
! grep -q "✓\|✗" "$out" || t_fail "UTF-8 marks in the C locale"
! grep -q "$(printf '\033')" "$out" || t_fail "escape codes in a pipe"
t_end

t_begin "usage errors: unknown target, positional argument"
rpx doctor --target x86_64-unknown-linux-gnu; expect_rc 2; expect_err "unknown target"
rpx doctor extra; expect_rc 2; expect_err "unexpected argument 'extra'"; t_end

# ---- the Cargo config checks, with the real rustc and cross gcc -----------

T7=armv7-unknown-linux-gnueabihf
RUSTC_D=/usr/bin/rustc
pc="$proj/.cargo"
# dr ARGS: doctor with Debian's rustc (it has the armv7 std).
dr() { doc RUSTC="$RUSTC_D" -- "$@"; }
# jhas ID FIELD TEXT: that check's field contains TEXT.
jhas() {
	JHAS=$3; export JHAS
	expect_json "__import__('os').environ['JHAS'] in (next(c for c in d['checks'] if c['id']=='$1')['$2'] or '')"
}
# pconf TEXT: the project's .cargo/config.toml.
pconf() { mkdir -p "$pc"; printf '%s\n' "$1" >"$pc/config.toml"; }
rm -f "$ch/config" "$ch/config.toml"

t_begin "a good project config: parse, linker (real probe), rustflags, build target and runner pass"
mkdir -p "$T_TMP/pbin"; ln -sf "$RPX_BIN" "$T_TMP/pbin/rpi-cross"
pconf "[target.$T7]
linker = \"arm-linux-gnueabihf-gcc\"
rustflags = [\"-C\", \"target-cpu=cortex-a72\"]
runner = \"rpi-cross run --host pi@somewhere\"
[build]
target = \"$T7\""
doc RUSTC="$RUSTC_D" PATH="$T_TMP/pbin:$PATH" -- --target $T7 --board pi4 --json
expect_rc 0
for id in cargo-config-parse linker rustflags build-target runner; do jstatus $id pass; done
jhas linker message "(set at $(cd "$pc" && pwd -P)/config.toml:2) links for $T7 (rustc probe)"
jhas rustflags message "target-cpu cortex-a72"
jhas runner message "$T_TMP/pbin/rpi-cross"
t_end

t_begin "a config that does not parse: fail with file:line:col and the fix"
pconf "[target.$T7]
linker = \"arm-linux-gnueabihf-gcc\"
rustflags = = 1"
dr --target $T7 --json
expect_rc 1; jstatus cargo-config-parse fail
expect_json "__import__('re').search(r'/\\.cargo/config\\.toml:3:\\d+: ', next(c for c in d['checks'] if c['id']=='cargo-config-parse')['message'])"
jhas cargo-config-parse fix "rpi-cross config check"
t_end

t_begin "both config and config.toml in the project: warn, and Cargo's choice (config) is the one read"
pconf "[target.$T7]
linker = \"arm-linux-gnueabihf-gcc\""
printf '[target.%s]\nlinker = "/nowhere/gcc"\n' "$T7" >"$pc/config"
dr --target $T7 --json
jstatus cargo-config-files warn; jstatus linker fail
jhas linker message "'/nowhere/gcc' (set at"
rm -f "$pc/config"; t_end

t_begin "linker: unset, not found, does not link, from the environment"
pconf "[net]
offline = true"
dr --target $T7 --json
expect_rc 1; jstatus linker fail; jhas linker message "no linker set for $T7"
jhas linker fix "rpi-cross setup --target $T7"
pconf "[target.$T7]
linker = \"no-such-linker-gcc\""
dr --target $T7 --json
expect_rc 1; jstatus linker fail; jhas linker message "is not found"
mkdir -p "$T_TMP/bin"
printf '#!/bin/sh\necho "broken-gcc: cannot find crt1.o" >&2\nexit 1\n' >"$T_TMP/bin/broken-gcc"
chmod +x "$T_TMP/bin/broken-gcc"
pconf "[target.$T7]
linker = \"$T_TMP/bin/broken-gcc\""
dr --target $T7 --json
expect_rc 1; jstatus linker fail; jhas linker message "cannot link for $T7"
doc RUSTC="$RUSTC_D" CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_LINKER=aarch64-linux-gnu-gcc -- --target $T7 --json
expect_rc 1; jstatus linker fail
jhas linker message "set at env CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_LINKER"
t_end

t_begin "rustflags: native, a core newer than the board, one rustc does not know"
pconf "[target.$T7]
linker = \"arm-linux-gnueabihf-gcc\"
rustflags = \"-C target-cpu=native\""
dr --target $T7 --board pi3 --json
jstatus rustflags fail; jhas rustflags message "machine that builds"; jhas rustflags fix "target-cpu=cortex-a53"
pconf "[target.$T7]
rustflags = [\"-C\", \"target-cpu=cortex-a76\"]"
dr --target $T7 --board pi3 --json
jstatus rustflags fail; jhas rustflags message "Illegal instruction"
doc RUSTC="$RUSTC_D" RUSTFLAGS="-Ctarget-cpu=cortex-a53" -- --target $T7 --board pi3 --json
jstatus rustflags pass; jhas rustflags message "(env RUSTFLAGS)"
# Debian's rustc 1.63 cannot list CPUs: rustup's compiler, else one that lists a few.
cpu_rustc=$(rustup which rustc 2>/dev/null)
if [ -z "$cpu_rustc" ] ||
   ! "$cpu_rustc" --print target-cpus --target $T7 >/dev/null 2>&1; then
	cpu_rustc="$T_TMP/cpubin/rustc"; mkdir -p "$T_TMP/cpubin"
	cat >"$cpu_rustc" <<SH
#!/bin/sh
case "\$*" in
*"--print target-cpus"*) printf 'Available CPUs for this target:\\n    cortex-a7\\n    cortex-a53\\n    cortex-a72\\n';;
*) exec $RUSTC_D "\$@";;
esac
SH
	chmod +x "$cpu_rustc"
fi
pconf "[target.$T7]
rustflags = [\"-C\", \"target-cpu=cortex-x99\"]"
doc RUSTC="$cpu_rustc" -- --target $T7 --json
jstatus rustflags fail; jhas rustflags message "rustc does not know target-cpu cortex-x99"
dr --target $T7 --json
jstatus rustflags warn; jhas rustflags message "could not be checked"
t_end

t_begin "[build] target: wrong for the board, not a Pi target, std missing"
pconf "[build]
target = \"$T7\""
dr --board zero --json
jstatus build-target fail; jhas build-target message "does not run on the Raspberry Pi Zero"
jhas build-target fix "build.target=arm-unknown-linux-gnueabihf"
pconf "[build]
target = \"x86_64-unknown-linux-gnu\""
dr --json; jstatus build-target warn; jhas build-target message "not a Raspberry Pi target"
pconf "[build]
target = \"aarch64-unknown-linux-musl\""
dr --json; expect_rc 1; jstatus build-target fail; jhas build-target message "its std is not installed"
t_end

t_begin "without --target, a Pi target in build.target is the one checked"
pconf "[build]
target = \"$T7\"
[target.$T7]
linker = \"$T_TMP/bin/broken-gcc\""
dr
expect_rc 1
expect_out "Target $T7 (build.target, $(cd "$pc" && pwd -P)/config.toml:2)"
expect_out "Target std installed: the std for $T7 is in /usr/lib/rustlib/$T7"
expect_out "Cross linker links for the target: linker '$T_TMP/bin/broken-gcc'"
dr --json; expect_rc 1; jstatus linker fail; expect_no_out "Target $T7"
t_end

t_begin "runner: its program not found, rpi-cross without a host"
pconf "[target.$T7]
runner = [\"no-such-runner\", \"--flag\"]"
dr --target $T7 --json
expect_rc 1; jstatus runner fail; jhas runner message "no-such-runner is not found on PATH"
pconf "[target.$T7]
runner = \"/opt/none/rpi-cross run\""
dr --target $T7 --json
jstatus runner fail; jhas runner fix "put rpi-cross on PATH"
pconf "[target.$T7]
runner = \"$RPX_BIN run\""
dr --target $T7 --json
jstatus runner warn; jhas runner message "names no Pi"
pconf "[target.$T7]
runner = \"$RPX_BIN run --host pi@x\""
dr --target $T7 --json
jstatus runner pass
t_end

t_begin "runner: a path with a space passes in the array form setup writes, and fails as a string (Cargo splits it)"
mkdir -p "$T_TMP/my tools"; ln -sf "$RPX_BIN" "$T_TMP/my tools/rpi-cross"
pconf "[target.$T7]
runner = [\"$T_TMP/my tools/rpi-cross\", \"run\", \"--host\", \"pi@x\"]"
dr --target $T7 --json
jstatus runner pass; jhas runner message "$T_TMP/my tools/rpi-cross"
pconf "[target.$T7]
runner = \"$T_TMP/my tools/rpi-cross run --host pi@x\""
dr --target $T7 --json
jstatus runner fail; jhas runner message "$T_TMP/my is not found"
t_end
rm -rf "$pc"

t_begin "without a host no network check runs: each host check says why"
dr --target $T7 --json
for id in host-reachable host-key host-auth host-board host-glibc host-space; do jstatus $id skip; done
expect_json "all('no host given' in c['message'] for c in d['checks'] if c['id'].startswith('host-'))"
t_end

# ---- the Pi over SSH: simulated Pis (tests/sim/pi.sh) ----------------------

if ! why=$(sim_prepare pi4 pi5 zerow pi4-old pi4-full); then
	t_begin "doctor against simulated Pis"
	t_skip "$why"
	t_done
	exit $?
fi
sim_client
# known PORT: record the server's key in known_hosts the way a user would.
known() { ssh-keyscan -p "$1" -t ed25519 127.0.0.1 2>/dev/null >>"$HOME_C/.ssh/known_hosts"; }
# hd ARGS: doctor as that user, with Debian's rustc and an empty Cargo config.
hd() {
	rpx_env HOME="$HOME_C" CARGO_HOME="$ch" RUSTC="$RUSTC_D" -- doctor --project "$proj" \
		--timeout $TO --json "$@"
}

start_pi s4 pi4; P4=$PORT
start_pi s5 pi5; P5=$PORT
start_pi sold pi4-old; POLD=$PORT
start_pi szero zerow; PZERO=$PORT
start_pi sfull pi4-full; PFULL=$PORT

t_begin "an unknown host key, no terminal: host-key fails with the fingerprint and the fix, nothing trusted"
hd --host "pi@127.0.0.1:$P4" --target $T7
fp=$(ssh-keygen -lf "$W/s4/host_key.pub" | cut -d' ' -f2)
expect_rc 1; jstatus host-reachable pass; jstatus host-key fail
jhas host-key message "$fp"; jhas host-key message "doctor never trusts a new key"
jhas host-key fix "rpi-cross detect pi@127.0.0.1:$P4 --accept-new-host-key"
jhas host-key fix "ssh-keyscan -p $P4 127.0.0.1"
for id in host-auth host-board host-glibc host-space; do jstatus $id skip; done
[ ! -s "$HOME_C/.ssh/known_hosts" ] || t_fail "known_hosts was written"
t_end

known "$P4"; known "$P5"; known "$POLD"; known "$PZERO"; known "$PFULL"

t_begin "a 32-bit Pi 4 with the right setup: every host check passes"
printf '[target.%s]\nlinker = "arm-linux-gnueabihf-gcc"\nrustflags = ["-C", "target-cpu=cortex-a72"]\n' "$T7" >"$ch/config.toml"
hd --host "pi@127.0.0.1:$P4" --target $T7
expect_rc 0
for id in host-reachable host-key host-auth host-board host-glibc host-space linker; do jstatus $id pass; done
jhas host-board message "runs on this Raspberry Pi 4 Model B"; jhas host-board message "32-bit OS"
jhas host-glibc message "glibc 2.36"; jhas host-auth message "logged in to pi@127.0.0.1:$P4 as pi"
jstatus runner warn; jhas runner fix "rpi-cross setup --target $T7 --runner --host pi@127.0.0.1:$P4"
jhas host-space message "free in /home/pi"
t_end

t_begin "RPI_CROSS_HOST is used when --host is not given; a 64-bit Pi 5 with the aarch64 target"
rpx_env HOME="$HOME_C" CARGO_HOME="$ch" RUSTC="$RUSTC_D" RPI_CROSS_HOST="pi@127.0.0.1:$P5" -- \
	doctor --project "$proj" --timeout $TO --json --target aarch64-unknown-linux-gnu
jstatus host-auth pass; jstatus host-board pass; jhas host-board message "Raspberry Pi 5"
jhas host-board message "64-bit OS"
t_end

t_begin "the config's target-cpu newer than the Pi, a target the Pi cannot run, a wrong --board"
printf '[target.arm-unknown-linux-gnueabihf]\nrustflags = ["-C", "target-cpu=cortex-a72"]\n' >"$ch/config.toml"
hd --host "pi@127.0.0.1:$PZERO" --target arm-unknown-linux-gnueabihf
jstatus host-board fail; jhas host-board message "cortex-a72, newer than this Raspberry Pi Zero W"
hd --host "pi@127.0.0.1:$PZERO" --target $T7
expect_rc 1; jstatus host-board fail; jhas host-board message "does not run on this Raspberry Pi Zero W"
jhas host-board fix "--target arm-unknown-linux-"
hd --host "pi@127.0.0.1:$P4" --board pi5 --target $T7
jstatus host-board fail; jhas host-board message "--board pi5, but the Pi says it is a Raspberry Pi 4 Model B"
t_end
rm -f "$ch/config.toml"

t_begin "a Pi with glibc 2.31: fail for a gnu target with the musl fix, pass for musl"
hd --host "pi@127.0.0.1:$POLD" --target $T7
expect_rc 1; jstatus host-glibc fail
jhas host-glibc message "glibc 2.31 is older than 2.34"; jhas host-glibc message "GLIBC_2.34 not found"
jhas host-glibc fix "--target armv7-unknown-linux-musleabihf"
hd --host "pi@127.0.0.1:$POLD"
jstatus host-glibc warn
hd --host "pi@127.0.0.1:$POLD" --target armv7-unknown-linux-musleabihf
jstatus host-glibc pass; jhas host-glibc message "static musl"
t_end

t_begin "a Pi whose home is nearly full: host-space fails with the fix"
hd --host "pi@127.0.0.1:$PFULL"
jstatus host-space fail; jhas host-space message "MB free in /home/pi"; jhas host-space fix "free space"
t_end

t_begin "a changed host key: host-key fails, never trusted, known_hosts left as it was"
sh "$SIM" rekey "$W/s4" pi4 || t_fail "cannot rekey"
cp "$HOME_C/.ssh/known_hosts" "$T_TMP/kh.before"
hd --host "pi@127.0.0.1:$P4" --target $T7
expect_rc 1; jstatus host-reachable pass; jstatus host-key fail
jhas host-key message "has changed: refusing to connect"; jhas host-key fix "ssh-keygen -R"
jstatus host-auth skip; jstatus host-glibc skip
cmp -s "$HOME_C/.ssh/known_hosts" "$T_TMP/kh.before" || t_fail "known_hosts changed"
t_end

t_begin "a closed port: host-reachable fails, the other host checks are skipped"
sh "$SIM" stop "$W/sfull" >/dev/null 2>&1
hd --host "pi@127.0.0.1:$PFULL"
expect_rc 1; jstatus host-reachable fail; jhas host-reachable message "cannot connect to 'pi@127.0.0.1:$PFULL'"
jhas host-reachable fix "SSH is enabled"
for id in host-key host-auth host-board host-glibc host-space; do jstatus $id skip; done
t_end

t_begin "login refused: host-auth fails with the ssh-copy-id fix"
mv "$HOME_C/.ssh/id_ed25519" "$HOME_C/.ssh/moved_key"
hd --host "pi@127.0.0.1:$P5"
mv "$HOME_C/.ssh/moved_key" "$HOME_C/.ssh/id_ed25519"
expect_rc 1; jstatus host-key pass; jstatus host-auth fail
jhas host-auth message "cannot log in"; jhas host-auth fix "ssh-copy-id -p $P5 pi@127.0.0.1"
t_end

t_begin "--accept-new-host-key is not a doctor option"
hd --host "pi@127.0.0.1:$P5" --accept-new-host-key; expect_rc 2
t_end

t_done
