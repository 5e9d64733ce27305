#!/bin/sh
# cli.sh - the command-line contract: help, version, usage errors, exit
# statuses, JSON output, NO_COLOR, the wizard's terminal check.
. "$RPX_TOP/tests/lib.sh"

t_begin "--version prints the version"
rpx --version; expect_rc 0; expect_out "rpi-cross 0.1.0"; expect_empty_err; t_end

t_begin "--help lists every command"
rpx --help; expect_rc 0
for c in setup boards targets linkers cpus detect config run test doctor; do
	grep -q "^  $c " "$out" || t_fail "--help lacks $c"
done
t_end

for c in setup boards targets linkers cpus detect config run test doctor; do
	t_begin "$c --help prints its usage and exits 0"
	rpx "$c" --help; expect_rc 0; expect_out "Usage: rpi-cross $c"
	expect_out "See rpi-cross(1)"; expect_empty_err; t_end
done

t_begin "every command takes --version"
for c in setup boards targets linkers cpus detect run test doctor; do
	rpx "$c" --version; [ "$rc" -eq 0 ] || t_fail "$c --version exit $rc"
	grep -q "^rpi-cross 0.1.0$" "$out" || t_fail "$c --version prints no version"
done
t_end

t_begin "run passes --version after the binary to the program, not to rpi-cross"
rpx run ./hello --version; expect_rc 2; expect_no_out "rpi-cross 0.1.0"
expect_err "no Pi given"
rpx_env RPI_CROSS_HOST=pi@127.0.0.1:1 -- run ./no-such-binary --version
expect_rc 1; expect_no_out "rpi-cross 0.1.0"; t_end

t_begin "help COMMAND is COMMAND --help"
rpx help cpus; expect_rc 0; expect_out "Usage: rpi-cross cpus"
rpx help nosuch; expect_rc 2; expect_err "unknown command 'nosuch'"; t_end

t_begin "unknown command is a usage error"
rpx frobnicate; expect_rc 2; expect_err "unknown command 'frobnicate'"
expect_err "Try 'rpi-cross --help'"; expect_empty_out; t_end

t_begin "unknown option is a usage error"
rpx boards --bogus; expect_rc 2; expect_err "unknown option '--bogus'"
expect_err "Try 'rpi-cross --help'"; t_end

t_begin "missing option value is a usage error"
rpx linkers --target; expect_rc 2; expect_err "needs a value"; t_end

t_begin "unknown board lists the ids"
rpx cpus --target armv7-unknown-linux-gnueabihf --board pi9; expect_rc 2
expect_err "unknown board 'pi9'"; expect_err "pi4"; expect_err "zero2w"; t_end

t_begin "unknown target is a usage error that names the Pi targets"
rpx linkers --target x86_64-unknown-linux-gnu; expect_rc 2
expect_err "unknown target"; expect_err "aarch64-unknown-linux-gnu"; t_end

t_begin "wizard without a terminal explains and exits 2"
rpx; expect_rc 2; expect_err "needs a terminal"; expect_err "setup"
expect_err "doctor"; t_end

t_begin "boards lists every model with target and CPU"
rpx boards; expect_rc 0
for id in pi1a pi1b pi1aplus pi1bplus pi2 pi2v12 pi3 pi3bplus pi3aplus pi4 \
	pi400 pi5 pi500 zero zerow zero2w cm1 cm3 cm3plus cm4 cm4s cm5; do
	grep -q "^$id " "$out" || t_fail "boards lacks $id"
done
grep -q '^zero .*arm1176jzf-s.*arm-unknown-linux-gnueabihf$' "$out" ||
	t_fail "Pi Zero row wrong"
grep -q '^pi4 .*cortex-a72.*armv7-unknown-linux-gnueabihf, aarch64-unknown-linux-gnu' "$out" ||
	t_fail "Pi 4 row wrong"
t_end

t_begin "boards BOARD accepts an id case-insensitively and a model name"
rpx boards ZEROW; expect_rc 0; expect_out "Raspberry Pi Zero W (zerow)"
expect_out "Illegal instruction"
rpx boards "Raspberry Pi 3 Model B+"; expect_rc 0; expect_out "(pi3bplus)"; t_end

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

t_begin "no colour when stdout is not a terminal, and with NO_COLOR"
rpx boards; ! grep -q "$(printf '\033')" "$out" || t_fail "escape codes in a pipe"
rpx_env NO_COLOR=1 -- boards; ! grep -q "$(printf '\033')" "$out" || t_fail "escape codes with NO_COLOR"
t_end

t_begin "test checks its options (usage errors exit 2)"
rpx test --emulate --bin x; expect_rc 2; expect_err "--bin names a binary of"
rpx test --emulate --host pi; expect_rc 2; expect_err "exclude each other"
rpx test --emulate --target nope; expect_rc 2; expect_err "unknown target 'nope'"
rpx test --emulate --run-timeout 0; expect_rc 2
t_end

t_begin "pending commands still check their options"
rpx setup --bits 48; expect_rc 2; expect_err "--bits takes 32 or 64"
rpx setup --libc uclibc; expect_rc 2; expect_err "--libc takes gnu or musl"
rpx detect; expect_rc 2; expect_err "missing argument"
rpx detect a b; expect_rc 2; expect_err "unexpected argument 'b'"
rpx detect --timeout x host; expect_rc 2; expect_err "needs a number"
rpx config; expect_rc 2; expect_err "missing action"
rpx config frob; expect_rc 2; expect_err "unknown config action"
t_end

t_done
