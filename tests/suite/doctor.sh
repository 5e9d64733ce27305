#!/bin/sh
# doctor.sh - `rpi-cross doctor` against real files and fake rustc
# scripts (through RUSTC): pass, warn, fail and skip provoked for real; exit
# statuses; JSON; the ASCII fallback of the marks.
. "$RPX_TOP/tests/lib.sh"

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

t_begin "rustup-managed rustc with the target's std: pass, exit 0"
doc RUSTC="$T_TMP/rubin/rustc" -- --target armv7-unknown-linux-gnueabihf
expect_rc 0
expect_out "Rust toolchain: rustc 1.99.0 (fake rustup), rustup toolchain stable-fake"
expect_out "Target std installed: the std for armv7-unknown-linux-gnueabihf is in $ru/lib/rustlib/armv7-unknown-linux-gnueabihf"
expect_out "0 failed"; t_end

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
expect_rc 0; jstatus board-target pass
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

t_begin "checks from modules not in this version are listed as skipped"
doc RUSTC="$T_TMP/rubin/rustc" -- --json
for id in linker cargo-config-parse host-reachable host-key host-auth host-glibc host-space; do
	jstatus "$id" skip
done
expect_json "all(c['message'] == 'not available in this version yet' for c in d['checks'] if c['id'].startswith('host-'))"
t_end

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
grep -q "^- Pi reachable over SSH" "$out" || t_fail "no ASCII skip"
! grep -q "✓\|✗" "$out" || t_fail "UTF-8 marks in the C locale"
! grep -q "$(printf '\033')" "$out" || t_fail "escape codes in a pipe"
t_end

t_begin "usage errors: unknown target, positional argument"
rpx doctor --target x86_64-unknown-linux-gnu; expect_rc 2; expect_err "unknown target"
rpx doctor extra; expect_rc 2; expect_err "unexpected argument 'extra'"; t_end

t_done
