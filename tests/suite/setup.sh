#!/bin/sh
# setup.sh - `rpi-cross setup`: the plan table, profiles in a temporary
# XDG_CONFIG_HOME (malformed YAML, secrets, round trip, flags over the
# profile), contradictions as usage errors, RPI_CROSS_HOST.
. "$RPX_TOP/tests/lib.sh"

xdg="$T_TMP/xdg"
pf="$xdg/rpi-cross/profiles.yaml"
mkdir -p "$xdg/rpi-cross"
# setup_x ARGS...: rpi-cross setup with the temporary config home.
setup_x() { rpx_env XDG_CONFIG_HOME="$xdg" HOME="$T_TMP" -- setup "$@"; }
# row FIELD: the plan table's line for FIELD.
row() { grep "^$1 " "$out"; }

t_begin "setup --dry-run prints the plan with defaults and reasons, exit 0"
setup_x --board pi4 --dry-run; expect_rc 0
row board | grep -q 'pi4 (Raspberry Pi 4 Model B) *flag *--board pi4' || t_fail "board row"
row target | grep -q 'aarch64-unknown-linux-gnu *default' || t_fail "target row"
row cpu | grep -q 'cortex-a72 .*Cortex-A72' || t_fail "cpu row"
row libc | grep -q 'gnu .*musl: static, runs whatever the Pi' || t_fail "libc reason"
row config | grep -q "$T_TMP/.cargo/config.toml *default *global" || t_fail "config row"
expect_out "FIELD"; expect_out "config diff will come with the config writer"
expect_empty_err; t_end

t_begin "setup without --dry-run shows the plan, says writing is not available, exit 1"
setup_x --board zero; expect_rc 1
row target | grep -q 'arm-unknown-linux-gnueabihf' || t_fail "zero target"
expect_err "writing the Cargo config is not available in this version yet"
expect_err "nothing was written"; t_end

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

t_done
