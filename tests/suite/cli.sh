#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# cli.sh - the command-line contract: help, version, usage errors, exit
# statuses, JSON output, NO_COLOR, the wizard's terminal check.
. "$RPX_TOP/tests/lib.sh"

# cli_table: read test cases from stdin. A line "== TITLE" starts a test;
# each row under it is "ARGS | STATUS | CHECK ;; CHECK ...": ARGS are the
# words given to rpi-cross (shell quoting; leading VAR=VALUE words before
# "--" set its environment), STATUS the exit status expected, and each
# CHECK one of out=TEXT / err=TEXT (the stream has TEXT), !out=TEXT /
# !err=TEXT (it has not), out-empty / err-empty. "#" lines are comments.
# shellcheck disable=SC2120
cli_table() {
	_open=
	while IFS= read -r _line; do
		case $_line in
		'#'* | '') continue ;;
		'== '*)
			[ -n "$_open" ] && t_end
			t_begin "${_line#== }"; _open=1
			continue ;;
		esac
		_args=${_line%% | *}; _rest=${_line#* | }
		_want=${_rest%% | *}; _checks=
		[ "$_rest" != "$_want" ] && _checks=${_rest#* | }
		eval "set -- $_args"
		case " $_args " in
		*" -- "*) rpx_env "$@" ;;
		*) rpx "$@" ;;
		esac
		expect_rc "$_want"
		while [ -n "$_checks" ]; do
			_c=${_checks%% ;; *}
			[ "$_c" = "$_checks" ] && _checks= || _checks=${_checks#* ;; }
			case $_c in
			out=*) expect_out "${_c#out=}" ;;
			err=*) expect_err "${_c#err=}" ;;
			'!out='*) expect_no_out "${_c#!out=}" ;;
			'!err='*) ! grep -qF -- "${_c#!err=}" "$err" ||
				t_fail "stderr has '${_c#!err=}'" ;;
			out-empty) expect_empty_out ;;
			err-empty) expect_empty_err ;;
			*) t_fail "cli_table: unknown check '$_c'" ;;
			esac
		done
	done
	[ -n "$_open" ] && t_end
	:
}

# The version the build compiled in: $RPX_BUILD/version, which the Makefile
# writes from scripts/version.sh (git describe, the file VERSION, or the
# base version in src/base/version.c).
ver=$(cat "$RPX_BUILD/version" 2>/dev/null)
t_begin "the build recorded a version of the expected form"
case $ver in
[0-9]*) ;;
*) t_fail "version '$ver' does not start with a number" ;;
esac
case $ver in
*[!A-Za-z0-9.+~_-]*) t_fail "version '$ver' has a character outside [A-Za-z0-9.+~_-]" ;;
esac
t_end

cli_table <<TABLE
== --version prints the version
--version | 0 | out=rpi-cross $ver ;; err-empty
TABLE
t_begin "--version prints exactly one line, 'rpi-cross VERSION'"
rpx --version; expect_rc 0
[ "$(cat "$out")" = "rpi-cross $ver" ] || t_fail "--version printed '$(cat "$out")'"
t_end

t_begin "--help lists every command"
rpx --help; expect_rc 0
for c in setup boards targets linkers cpus detect config run test check doctor; do
	grep -q "^  $c " "$out" || t_fail "--help lacks $c"
done
t_end

# (a file, not a pipe: cli_table must count in this shell)
for c in setup boards targets linkers cpus detect config run test check doctor; do
	printf '== %s --help prints its usage and exits 0\n' "$c"
	printf '%s --help | 0 | out=Usage: rpi-cross %s ;; out=See rpi-cross(1) ;; err-empty\n' "$c" "$c"
done >"$T_TMP/help-table"
cli_table <"$T_TMP/help-table"

t_begin "every command takes --version"
for c in setup boards targets linkers cpus detect config run test check doctor; do
	rpx "$c" --version; [ "$rc" -eq 0 ] || t_fail "$c --version exit $rc"
	[ "$(cat "$out")" = "rpi-cross $ver" ] || t_fail "$c --version prints no version"
done
t_end

cli_table <<TABLE
== run passes --version after the binary to the program, not to rpi-cross
run ./hello --version | 2 | !out=rpi-cross $ver ;; err=no Pi given
RPI_CROSS_HOST=pi@127.0.0.1:1 -- run ./no-such-binary --version | 1 | !out=rpi-cross $ver

== help COMMAND is COMMAND --help
help cpus | 0 | out=Usage: rpi-cross cpus
help nosuch | 2 | err=unknown command 'nosuch'

== unknown command is a usage error
frobnicate | 2 | err=rpi-cross: error: unknown command 'frobnicate' ;; err=Try 'rpi-cross --help' ;; out-empty

== a mistyped command, option, board or action gets a "did you mean"
setp | 2 | err=rpi-cross: error: unknown command 'setp' ;; err=Did you mean 'setup'? ;; err=Try 'rpi-cross --help' ;; out-empty
dotcor --json | 2 | err=Did you mean 'doctor'?
help boadrs | 2 | err=unknown command 'boadrs' ;; err=Did you mean 'boards'?
setup --dry-rn | 2 | err=rpi-cross: error: unknown option '--dry-rn' ;; err=Did you mean '--dry-run'? ;; err=Try 'rpi-cross --help' or 'rpi-cross setup --help'
boards --jsno | 2 | err=Did you mean '--json'?
cpus --versoin | 2 | err=Did you mean '--version'?
--thme dark | 2 | err=unknown option '--thme' ;; err=Did you mean '--theme'?
setup --board pi44 --dry-run | 2 | err=rpi-cross: error: unknown board 'pi44' ;; err=Did you mean 'pi4'?
setup --board zero2 --dry-run | 2 | err=Did you mean 'zero', 'zerow' or 'zero2w'?
config shwo | 2 | err=unknown config action 'shwo' ;; err=Did you mean 'show'?
linkers --target aarch64-unknown-linux-gn | 2 | err=Did you mean 'aarch64-unknown-linux-gnu'?

== nonsense gets no "did you mean"
xyzzy | 2 | err=unknown command 'xyzzy' ;; !err=Did you mean
setup --frobnicate | 2 | err=unknown option '--frobnicate' ;; !err=Did you mean
setup --board banana --dry-run | 2 | err=unknown board 'banana' ;; !err=Did you mean
config frob | 2 | err=unknown config action ;; !err=Did you mean

== unknown option is a usage error
boards --bogus | 2 | err=unknown option '--bogus' ;; err=Try 'rpi-cross --help'

== missing option value is a usage error
linkers --target | 2 | err=needs a value

== unknown board lists the ids
cpus --target armv7-unknown-linux-gnueabihf --board pi9 | 2 | err=unknown board 'pi9' ;; err=pi4 ;; err=zero2w

== unknown target is a usage error that names the Pi targets
linkers --target x86_64-unknown-linux-gnu | 2 | err=unknown target ;; err=aarch64-unknown-linux-gnu

== wizard without a terminal explains and exits 2
 | 2 | err=needs a terminal ;; err=setup ;; err=doctor
TABLE

t_begin "every command takes -q and --quiet and lists them in --help"
for c in setup boards targets linkers cpus detect config run test check doctor; do
	rpx "$c" --help
	grep -q -- "-q, --quiet" "$out" || t_fail "$c --help lacks --quiet"
	grep -q -- "--version" "$out" || t_fail "$c --help lacks --version"
	rpx "$c" -q --help; [ "$rc" -eq 0 ] || t_fail "$c -q exit $rc"
done
rpx --help; expect_out "-q, --quiet"
t_end

# setup says "Detecting the Pi at ..." on stderr before probing; -q drops
# that line, never the error after it
cli_table <<'TABLE'
== -q/--quiet drops progress lines, not errors
setup --host pi@127.0.0.1:1 --timeout 2 --dry-run | 1 | err=Detecting the Pi at ;; err=rpi-cross: error: cannot detect the Pi
setup -q --host pi@127.0.0.1:1 --timeout 2 --dry-run | 1 | !err=Detecting ;; err=rpi-cross: error: cannot detect the Pi
setup --host pi@127.0.0.1:1 --quiet --timeout 2 --dry-run | 1 | !err=Detecting ;; err=rpi-cross: error: cannot detect the Pi
-q setup --host pi@127.0.0.1:1 --timeout 2 --dry-run | 1 | !err=Detecting ;; err=rpi-cross: error: cannot detect the Pi
boards -q --bogus | 2 | err=rpi-cross: error: unknown option '--bogus'
config show -q --json | 0 | out="schema": 1
setup --quite | 2 | err=Did you mean '--quiet'?
TABLE

t_begin "boards lists every model with target and CPU"
rpx boards; expect_rc 0
for id in pi1a pi1b pi1aplus pi1bplus pi2 pi2v12 pi3 pi3bplus pi3aplus pi4 \
	pi400 pi5 pi500 pi500plus zero zerow zero2w cm1 cm3 cm3plus cm4 cm4s cm5; do
	grep -q "^$id " "$out" || t_fail "boards lacks $id"
done
grep -q '^zero .*arm1176jzf-s.*arm-unknown-linux-gnueabihf$' "$out" ||
	t_fail "Pi Zero row wrong"
grep -q '^pi4 .*cortex-a72.*armv7-unknown-linux-gnueabihf, aarch64-unknown-linux-gnu' "$out" ||
	t_fail "Pi 4 row wrong"
t_end

cli_table <<'TABLE'
== boards BOARD accepts an id case-insensitively and a model name
boards ZEROW | 0 | out=Raspberry Pi Zero W (zerow) ;; out=Illegal instruction
boards "Raspberry Pi 3 Model B+" | 0 | out=(pi3bplus)
TABLE

t_begin "boards --json is one document with stable fields"
rpx boards --json; expect_rc 0
expect_json 'len(d["boards"]) >= 22 and all(set(b) >= {"id","name","soc","core","cpu","cores","isa","ram","can_run_64bit","official_64bit_os","default_os_bits","compatible","targets"} for b in d["boards"])'
expect_json '[t["triple"] for t in next(b for b in d["boards"] if b["id"]=="zero")["targets"]] == ["arm-unknown-linux-gnueabihf","arm-unknown-linux-musleabihf",None,None]'
expect_json 'next(b for b in d["boards"] if b["id"]=="pi5")["cpu"] == "cortex-a76"'
t_end

t_begin "targets --json reports std state and fitting boards"
rpx targets --json; expect_rc 0
expect_json 'all(set(t) >= {"triple","arch","bits","libc","float_abi","min_isa","tier","static","raspberry_pi_os","std_installed","boards","summary"} for t in d["targets"])'
expect_json '"zero" not in next(t for t in d["targets"] if t["triple"]=="armv7-unknown-linux-gnueabihf")["boards"]'
expect_json '"zero" in next(t for t in d["targets"] if t["triple"]=="arm-unknown-linux-gnueabihf")["boards"]'
t_end

t_begin "targets without any rustc says so and still lists"
# no rustc on PATH, but $RPX_WRAP's program (valgrind) must still be found
norust="$T_TMP/norust-bin"; mkdir -p "$norust"
if [ -n "$RPX_WRAP" ]; then
	w=$(command -v "${RPX_WRAP%% *}")
	ln -sf "$w" "$norust/"
	[ ! -e "$w.bin" ] || ln -sf "$w.bin" "$norust/"	# Debian's runs "$0.bin"
fi
rpx_env PATH="$norust" HOME=/nonexistent CARGO_HOME=/nonexistent -- targets
expect_rc 0; expect_out "no rustc found"; expect_out "armv7-unknown-linux-gnueabihf"
rpx_env PATH="$norust" HOME=/nonexistent CARGO_HOME=/nonexistent -- targets --json
expect_json 'd["toolchain"] is None and all(t["std_installed"] is None for t in d["targets"])'
t_end

t_begin "targets with a fake sysroot sees an installed std"
fake="$T_TMP/tc"; mkdir -p "$fake/bin" "$fake/sysroot/lib/rustlib/armv7-unknown-linux-gnueabihf/lib"
cat >"$fake/bin/rustc" <<SH
#!/bin/sh
case "\$*" in
"--version") echo "rustc 9.9.9 (fake)";;
"--print sysroot") echo "$fake/sysroot";;
*) exit 1;;
esac
SH
chmod +x "$fake/bin/rustc"
rpx_env RUSTC="$fake/bin/rustc" -- targets --json
expect_json 'next(t for t in d["targets"] if t["triple"]=="armv7-unknown-linux-gnueabihf")["std_installed"] is True'
expect_json 'next(t for t in d["targets"] if t["triple"]=="aarch64-unknown-linux-gnu")["std_installed"] is False'
expect_json 'd["toolchain"]["version"] == "rustc 9.9.9 (fake)"'
t_end

t_begin "every --json document opens with \"schema\": 1"
for args in "boards --json" "targets --json" "cpus --target armv7-unknown-linux-gnueabihf --json" \
	"linkers --target aarch64-unknown-linux-gnu --json" "config show --json" "doctor --json"; do
	# shellcheck disable=SC2086
	rpx $args
	expect_json 'list(d)[0] == "schema" and d["schema"] == 1 and "invalid_utf8" not in d' ||
		t_fail "$args"
done
t_end

# strict: the bytes must decode as UTF-8 before JSON parses them; the
# replaced name must be what Python's own decoder makes of the bytes (one
# U+FFFD per longest bad start), and the document must say it replaced
t_begin "--json stays valid UTF-8 in a folder named with a 0xff byte"
bad="$T_TMP/proj-$(printf '\377')-$(printf '\342\234')-x"
mkdir -p "$bad/.cargo" "$bad/src" "$T_TMP/u8home/.cargo"
printf '[package]\nname = "u"\nversion = "0.1.0"\nedition = "2021"\n' >"$bad/Cargo.toml"
printf '[build]\ntarget = "aarch64-unknown-linux-gnu"\n' >"$bad/.cargo/config.toml"
echo 'fn main() {}' >"$bad/src/main.rs"
u8check() {
	python3 -c '
import json, os, sys
raw = open(sys.argv[1], "rb").read()
d = json.loads(raw.decode("utf-8"))
want = os.fsencode(sys.argv[2]).decode("utf-8", "replace")
assert "\ufffd-\ufffd-x" in want, want
assert list(d)[0] == "schema" and d["schema"] == 1, list(d)[:2]
assert d.get("invalid_utf8") is True, "no invalid_utf8 field"
assert list(d)[-1] == "invalid_utf8", list(d)[-1]
assert want in json.dumps(d, ensure_ascii=False), "replaced path not found"
' "$out" "$bad" 2>>"$err" || t_fail "$1: not valid UTF-8 JSON as expected"
}
(cd "$bad" && rpx_env HOME="$T_TMP/u8home" CARGO_HOME="$T_TMP/u8home/.cargo" -- config show --json)
expect_rc 0; u8check "config show --json"
rpx_env HOME="$T_TMP/u8home" CARGO_HOME="$T_TMP/u8home/.cargo" -- doctor --json --project "$bad"
u8check "doctor --json --project"
t_end

t_begin "no colour when stdout is not a terminal, and with NO_COLOR"
rpx boards; ! grep -q "$(printf '\033')" "$out" || t_fail "escape codes in a pipe"
rpx_env NO_COLOR=1 -- boards; ! grep -q "$(printf '\033')" "$out" || t_fail "escape codes with NO_COLOR"
t_end

cli_table <<'TABLE'
== test checks its options (usage errors exit 2)
test --emulate --bin x | 2 | err=--bin names a binary of
test --emulate --host pi | 2 | err=exclude each other
test --emulate --target nope | 2 | err=unknown target 'nope'
test --emulate --run-timeout 0 | 2

== pending commands still check their options
setup --bits 48 | 2 | err=--bits takes 32 or 64
setup --libc uclibc | 2 | err=--libc takes gnu or musl
detect | 2 | err=missing argument
detect a b | 2 | err=unexpected argument 'b'
detect --timeout x host | 2 | err=needs a number
config | 2 | err=missing action
config frob | 2 | err=unknown config action

== sysroot checks its actions and options (no Pi reached)
sysroot | 2 | err=missing action
sysroot frob | 2 | err=unknown action 'frob'
RPI_CROSS_HOST= -- sysroot pull | 2 | err=no Pi given
sysroot pull --host -x | 2 | err=starts with '-'
sysroot pull --host pi extra | 2 | err=unexpected argument 'extra'
sysroot pull --host pi --target nope | 2 | err=unknown target 'nope'
sysroot add --host pi | 2 | err=name the packages
sysroot clean | 2 | err=give one NAME or --all
XDG_DATA_HOME=/nonexistent-rpx -- sysroot status | 0 | out=No sysroots yet
XDG_DATA_HOME=/nonexistent-rpx -- sysroot status --json | 0 | out={
XDG_DATA_HOME=/nonexistent-rpx -- sysroot clean nope | 1 | err=no sysroot 'nope'
TABLE

t_done
