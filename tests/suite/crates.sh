#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# crates.sh - Rust crates with C libraries, built offline against a Pi's
# sysroot and run on simulated Pis: `setup --sysroot` wires a sysroot
# (the bullseye Pi's own, by `sysroot pull`; for bookworm and trixie,
# made from real Debian packages of that release by
# tests/sim/sysroot-fixture.sh) into Cargo's config, then Debian's cargo
# and rustc build a project using the real openssl-sys, libsqlite3-sys and
# libz-sys crates (Debian's librust-*-dev, through a Cargo directory
# source) for armv7 and aarch64; `rpi-cross test --project` runs it on the
# bullseye Pi (glibc 2.31), the bookworm Pi 4 and the 64-bit Pi 5, where it
# prints what OpenSSL, SQLite and zlib answer. Without the sysroot the same build fails and the
# failure is explained with the fix. A hello built against the host's
# glibc fails on the bullseye Pi with GLIBC_2.34 and passes once the
# sysroot is wired. The config for a 32-bit trixie sysroot sets
# RUST_LIBC_UNSTABLE_GNU_TIME_BITS.
#
# Shared between the three CI runs: the pulled sysroot (a later pull
# copies only what changed), the packages of each fixture
# (/var/cache/rpi-cross-tests/sysroot-debs), the unpacked fixtures and the
# project and its cargo target folders (/var/cache/rpi-cross-tests/crates,
# keyed by the inputs: a later run finds everything built and only links
# and checks again; cargo's own fingerprints decide what is rebuilt).
# Every run still runs setup, the builds, the Pi runs and every check.
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RPX_TOP/tests/lib.sh"
. "$RPX_TOP/tests/simlib.sh"
. "$RPX_TOP/tests/rustsim.sh"

ID=$$
ARMV7=armv7-unknown-linux-gnueabihf
A64=aarch64-unknown-linux-gnu
TU=armv7_unknown_linux_gnueabihf
CACHE=${RPX_CRATES_CACHE:-/var/cache/rpi-cross-tests/crates}
FIX="$RPX_TOP/tests/sim/sysroot-fixture.sh"
REG=/usr/share/cargo/registry

skip_all() {
	t_begin "crates suite (C libraries through a sysroot, on simulated Pis)"
	t_skip "$1"
	t_done
	exit 0
}

cleanup() { sim_rm_cached rpi-cross-hello clibs; }
t_on_exit cleanup

[ "$(id -u)" -eq 0 ] || skip_all "needs root (the cache and the simulated Pis)"
for c in openssl-sys-0.9 libsqlite3-sys-0.25 libz-sys-1 pkg-config-0.3 cc-1; do
	ls -d "$REG/$c"* >/dev/null 2>&1 ||
		skip_all "no $c crate in $REG (scripts/install-deps.sh test)"
done
T0=$(date +%s)
rustsim_setup pi3-bullseye pi4-dev pi5-dev
start_pi s3 pi3-bullseye
H3="pi@127.0.0.1:$PORT"
start_pi s4 pi4-dev
H4="pi@127.0.0.1:$PORT"
start_pi s5 pi5-dev
H5="pi@127.0.0.1:$PORT"
SSHO="--timeout $TO --accept-new-host-key"

# ---- the shared, keyed cache -------------------------------------------------

mkdir -p "$CACHE" || skip_all "cannot create $CACHE"
exec 9>"$CACHE/.lock"
flock 9
fixkey=$(sha256sum "$FIX" | cut -c1-16)

# sysroot SUITE ARCH: a sysroot of SUITE for ARCH under $CACHE (unpacked
# once per version of the fixture script); prints its folder.
sysroot() {
	d="$CACHE/sysroots/$1-$2"
	if [ "$(cat "$d/.key" 2>/dev/null)" != "$fixkey" ]; then
		rm -rf "$d"
		sh "$FIX" "$1" "$2" "$d" >/dev/null || return 1
		echo "$fixkey" >"$d/.key"
	fi
	echo "$d"
}
# The bullseye Pi's own sysroot, pulled from it (`sysroot pull`) into a
# data folder kept between runs: the first run copies it (about 60 MB
# through the Pi's gzip under qemu), later ones only what changed.
DATA="$CACHE/data"
rpx_env HOME="$HOME_C" XDG_DATA_HOME="$DATA" PATH="$TPATH" RPI_CROSS_HOST= -- \
	sysroot pull --host "$H3" $SSHO -q
[ "$rc" -eq 0 ] || { cat "$err"; skip_all "sysroot pull from the bullseye Pi failed"; }
SR11="$DATA/rpi-cross/sysroots/127.0.0.1-bullseye-armhf"
[ -d "$SR11/root/usr/include" ] || skip_all "the pull made no $SR11/root"
SR12=$(sysroot bookworm armhf) || skip_all "no bookworm armhf sysroot (see above)"
SR13=$(sysroot trixie armhf) || skip_all "no trixie armhf sysroot (see above)"
SR12A=$(sysroot bookworm arm64) || skip_all "no bookworm arm64 sysroot (see above)"

# The test project: the three -sys crates through Debian's registry, a
# directory source (offline). Its folder and target folder are stable, so
# the next run's cargo finds the crates built.
P="$CACHE/project"
mkdir -p "$P/src" "$P/.cargo"
cat >"$T_TMP/Cargo.toml" <<'EOF'
[package]
name = "clibs"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
openssl-sys = "0.9"
libsqlite3-sys = "0.25"
libz-sys = "1.1"

[workspace]
EOF
cat >"$T_TMP/main.rs" <<'EOF'
// Asks three C libraries of the Pi what they are, through the -sys crates.
use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_int, c_void};

extern "C" fn row(_: *mut c_void, n: c_int, v: *mut *mut c_char, _: *mut *mut c_char) -> c_int {
    for i in 0..n as isize {
        let s = unsafe { *v.offset(i) };
        if !s.is_null() {
            println!("sqlite: {}", unsafe { CStr::from_ptr(s) }.to_string_lossy());
        }
    }
    0
}

fn main() {
    unsafe {
        openssl_sys::init();
        let v = openssl_sys::OpenSSL_version(openssl_sys::OPENSSL_VERSION);
        println!("openssl: {}", CStr::from_ptr(v).to_string_lossy());
        println!("zlib: {}", CStr::from_ptr(libz_sys::zlibVersion()).to_string_lossy());
        let mut db = std::ptr::null_mut();
        let mem = CString::new(":memory:").unwrap();
        assert_eq!(libsqlite3_sys::sqlite3_open(mem.as_ptr(), &mut db), 0);
        let q = CString::new("select (6 * 7) || ' from sqlite ' || sqlite_version()").unwrap();
        let rc = libsqlite3_sys::sqlite3_exec(db, q.as_ptr(), Some(row),
                                              std::ptr::null_mut(), std::ptr::null_mut());
        assert_eq!(rc, 0);
        libsqlite3_sys::sqlite3_close(db);
    }
}
EOF
printf '[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "%s"\n' \
	"$REG" >"$T_TMP/config.toml"
# written only when different: an unchanged file keeps its time, and
# cargo its build
cmp -s "$T_TMP/Cargo.toml" "$P/Cargo.toml" || cp "$T_TMP/Cargo.toml" "$P/Cargo.toml"
cmp -s "$T_TMP/main.rs" "$P/src/main.rs" || cp "$T_TMP/main.rs" "$P/src/main.rs"
cmp -s "$T_TMP/config.toml" "$P/.cargo/config.toml" ||
	cp "$T_TMP/config.toml" "$P/.cargo/config.toml"
# the target folders, keyed by what the build depends on
key=$( { /usr/bin/rustc -vV; /usr/bin/cargo -V; cat "$T_TMP/Cargo.toml" "$T_TMP/main.rs";
	 echo "$fixkey"; ls "$REG"; } | sha256sum | cut -c1-16)
TD="$CACHE/target-$key"
for old in "$CACHE"/target-*; do
	[ -d "$old" ] && [ "$old" != "$TD" ] && rm -rf "$old"
done
mkdir -p "$TD"

G="$W/cargo/config.toml"
# ct DIR ARGS: rpi-cross as c runs it, cargo's output into DIR
ct() {
	_td=$1
	shift
	_here=$PWD
	cd "$W/cwd" || exit 1
	rpx_env HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$TPATH" \
		RPI_CROSS_HOST= XDG_CONFIG_HOME="$W/xdg" CARGO_TARGET_DIR="$_td" -- "$@"
	cd "$_here" || exit 1
}
# toml EXPR: the global config parses and the expression on it (d) holds
toml() {
	/usr/bin/python3 -c '
import sys, tomllib
d = tomllib.load(open(sys.argv[1], "rb"))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$G" "$1" 2>>"$err" ||
		t_fail "config check failed: $1"
}
T1=$(date +%s)

# ---- the config --------------------------------------------------------------

t_begin "setup --sysroot DIR --dry-run: --sysroot and the sysroot's folders first, target-scoped [env], nothing written"
c setup --target $ARMV7 --board pi3 --sysroot "$SR11" --dry-run
expect_rc 0 && expect_out "+[env]" &&
	expect_out "link-arg=--sysroot=$SR11/root" &&
	expect_out "link-arg=-L$SR11/root/usr/lib/arm-linux-gnueabihf" &&
	expect_out "link-arg=-Wl,-rpath-link,$SR11/root/usr/lib/arm-linux-gnueabihf" &&
	expect_out "+PKG_CONFIG_SYSROOT_DIR_$TU = \"$SR11/root\"" &&
	expect_out "+PKG_CONFIG_LIBDIR_$TU = \"$SR11/root/usr/lib/arm-linux-gnueabihf/pkgconfig:$SR11/root/usr/share/pkgconfig\"" &&
	expect_out "+CC_$TU = \"arm-linux-gnueabihf-gcc\"" &&
	expect_out "+CFLAGS_$TU = \"--sysroot=$SR11/root -isystem $SR11/root/usr/include/arm-linux-gnueabihf" &&
	expect_out "glibc 2.31" && expect_out "build scripts and proc-macros"
expect_no_out "PKG_CONFIG_ALLOW_CROSS"
expect_no_out "RUST_LIBC_UNSTABLE_GNU_TIME_BITS"
[ ! -e "$G" ] || t_fail "--dry-run wrote $G"
t_end

t_begin "setup --sysroot --yes writes it; the sysroot's link-args come after the user's own flags"
mkdir -p "$W/cargo"
printf '[target.%s]\nrustflags = ["-C", "debuginfo=1"]\n' $ARMV7 >"$G"
c setup --target $ARMV7 --board pi3 --sysroot "$SR11" --yes
expect_rc 0 && expect_out "Wrote $G"
toml "d['target']['$ARMV7']['rustflags'][:2] == ['-C', 'debuginfo=1']"
toml "'link-arg=--sysroot=$SR11/root' in d['target']['$ARMV7']['rustflags']"
toml "d['env']['PKG_CONFIG_PATH_$TU'] == d['env']['PKG_CONFIG_LIBDIR_$TU']"
toml "d['env']['AR_$TU'] == 'arm-linux-gnueabihf-ar'"
toml "not any(k.startswith('PKG_CONFIG_ALLOW_CROSS') for k in d['env'])"
[ -f "$G.bak" ] || t_fail "no backup $G.bak"
t_end

t_begin "setup --sysroot again: up to date, nothing changed"
cp "$G" "$T_TMP/before"
c setup --target $ARMV7 --board pi3 --sysroot "$SR11" --yes
expect_rc 0 && expect_out "up to date"
cmp -s "$G" "$T_TMP/before" || t_fail "the file changed"
t_end

t_begin "setup --sysroot with another sysroot replaces the first one's link-args (none left behind)"
cp "$G" "$T_TMP/g11"
c setup --target $ARMV7 --board pi4 --sysroot "$SR12" --yes
expect_rc 0
toml "not any('$SR11' in f for f in d['target']['$ARMV7']['rustflags'])"
toml "sum(f.startswith('link-arg=--sysroot=') for f in d['target']['$ARMV7']['rustflags']) == 1"
toml "d['env']['PKG_CONFIG_SYSROOT_DIR_$TU'] == '$SR12/root'"
cp "$T_TMP/g11" "$G"
t_end

t_begin "setup --sysroot on a 32-bit trixie sysroot sets RUST_LIBC_UNSTABLE_GNU_TIME_BITS = \"64\" and says why"
cp "$G" "$T_TMP/keep"
c setup --target $ARMV7 --board pi4 --sysroot "$SR13" --dry-run
expect_rc 0 && expect_out "+RUST_LIBC_UNSTABLE_GNU_TIME_BITS = \"64\"" &&
	expect_out "64-bit time_t" && expect_out "rust-lang/libc#5507" && expect_out "trixie"
cmp -s "$G" "$T_TMP/keep" || t_fail "--dry-run changed $G"
t_end

t_begin "setup --sysroot for another target than the sysroot's is refused, nothing written"
c setup --target aarch64-unknown-linux-gnu --board pi5 --sysroot "$SR11" --yes
expect_rc 1 && expect_err "is for" && expect_err "arm-linux-gnueabihf" && expect_err "nothing written"
cmp -s "$G" "$T_TMP/keep" || t_fail "$G changed"
t_end

t_begin "setup --sysroot NAME looks in \$XDG_DATA_HOME/rpi-cross/sysroots; an unknown NAME says what to run"
rpx_env HOME="$HOME_C" CARGO_HOME="$W/cargo" XDG_DATA_HOME="$DATA" PATH="$TPATH" \
	RPI_CROSS_HOST= XDG_CONFIG_HOME="$W/xdg" -- setup --target $ARMV7 --board pi3 \
	--sysroot 127.0.0.1-bullseye-armhf --dry-run
expect_rc 0 && expect_out "up to date"
rpx_env HOME="$HOME_C" CARGO_HOME="$W/cargo" XDG_DATA_HOME="$DATA" PATH="$TPATH" \
	RPI_CROSS_HOST= XDG_CONFIG_HOME="$W/xdg" -- setup --target $ARMV7 --board pi3 \
	--sysroot nosuch --dry-run
expect_rc 1 && expect_err "nosuch" && expect_err "sysroot pull" && expect_err "nothing written"
t_end

# ---- real crates on the bullseye Pi -----------------------------------------

t_begin "bullseye Pi: openssl-sys, libsqlite3-sys and libz-sys build through the sysroot and run there"
T2=$(date +%s)
ct "$TD/bullseye" test --target $ARMV7 --project "$P" --host "$H3" $SSHO
T3=$(date +%s)
expect_rc 0 && expect_out "openssl: OpenSSL 1.1.1" && expect_out "zlib: 1.2.11" &&
	expect_out "sqlite: 42 from sqlite 3.34" && expect_out "linked against the sysroot (glibc 2.31)" &&
	expect_out "It works"
b="$TD/bullseye/$ARMV7/release/clibs"
need=$(objdump -T "$b" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
case $need in 2.[0-9]|2.[12][0-9]|2.3[01]) ;; *) t_fail "needs GLIBC_$need, more than bullseye's 2.31" ;; esac
objdump -p "$b" | grep -q 'NEEDED.*libssl.so.1.1' || t_fail "not linked against bullseye's libssl.so.1.1"
t_end

t_begin "bookworm Pi 4: the same project through the bookworm sysroot prints OpenSSL 3"
cp "$G" "$T_TMP/g11"
c setup --target $ARMV7 --board pi4 --sysroot "$SR12" --yes
ct "$TD/bookworm" test --target $ARMV7 --project "$P" --host "$H4" $SSHO
expect_rc 0 && expect_out "openssl: OpenSSL 3." && expect_out "sqlite: 42 from sqlite 3.40" &&
	expect_out "linked against the sysroot (glibc 2.36)"
cp "$T_TMP/g11" "$G"
t_end

t_begin "bookworm Pi 5 (aarch64): the project through the arm64 sysroot; both targets' [env] side by side"
cp "$G" "$T_TMP/g11"
c setup --target $A64 --board pi5 --sysroot "$SR12A" --yes
expect_rc 0
toml "d['env']['PKG_CONFIG_SYSROOT_DIR_aarch64_unknown_linux_gnu'] == '$SR12A/root'"
toml "d['env']['PKG_CONFIG_SYSROOT_DIR_$TU'] == '$SR11/root'"
toml "d['env']['CC_aarch64_unknown_linux_gnu'] == 'aarch64-linux-gnu-gcc'"
ct "$TD/a64" test --target $A64 --project "$P" --host "$H5" $SSHO
expect_rc 0 && expect_out "openssl: OpenSSL 3." && expect_out "sqlite: 42 from sqlite 3.40" &&
	expect_out "AArch64" && expect_out "linked against the sysroot (glibc 2.36)"
cp "$T_TMP/g11" "$G"
t_end

t_begin "clang + lld as the linker: the project links through the bullseye sysroot (needs <= GLIBC_2.31) and runs there"
cp "$G" "$T_TMP/g11"
c setup --target $ARMV7 --board pi3 --linker clang --sysroot "$SR11" --yes
expect_rc 0
toml "'link-arg=-fuse-ld=lld' in d['target']['$ARMV7']['rustflags'] and 'link-arg=--sysroot=$SR11/root' in d['target']['$ARMV7']['rustflags']"
toml "d['env']['CFLAGS_$TU'] == '--target=armv7-linux-gnueabihf --sysroot=$SR11/root'"
ct "$TD/clang" test --target $ARMV7 --project "$P" --host "$H3" $SSHO
expect_rc 0 && expect_out "openssl: OpenSSL 1.1.1" && expect_out "sqlite: 42 from sqlite 3.34" &&
	expect_out "linked against the sysroot (glibc 2.31)"
cp "$T_TMP/g11" "$G"
t_end

t_begin "zig as the linker: the project links against the bullseye sysroot's libraries (zig's own glibc stubs) and runs there"
if ZDIR=$(sh "$RPX_TOP/scripts/setup-zig.sh" 2>"$T_TMP/zig.err"); then
	cp "$G" "$T_TMP/g11"
	mkdir -p "$W/zigbin"
	ln -sf "$ZDIR/zig" "$W/zigbin/zig"
	_tp=$TPATH
	TPATH="$W/zigbin:$TPATH"
	c setup --target $ARMV7 --board pi3 --linker zig --sysroot "$SR11" --yes
	TPATH=$_tp
	expect_rc 0 && expect_out "zig cc takes neither headers nor glibc from a --sysroot"
	toml "not any('--sysroot' in f or 'rpath-link' in f for f in d['target']['$ARMV7']['rustflags'])"
	toml "d['env']['CC_$TU'] == 'arm-linux-gnueabihf-gcc'"
	ct "$TD/zig" test --target $ARMV7 --project "$P" --host "$H3" $SSHO
	expect_rc 0 && expect_out "openssl: OpenSSL 1.1.1" && expect_out "sqlite: 42 from sqlite 3.34" &&
		expect_out "needs GLIBC_2.17"
	cp "$T_TMP/g11" "$G"
	t_end
else
	t_skip "no zig: $(cat "$T_TMP/zig.err")"
fi

# ---- without the sysroot ----------------------------------------------------

t_begin "without the sysroot the same project fails to build, and the failure names the fix"
mv "$G" "$T_TMP/g-sysroot"
c setup --target $ARMV7 --board pi3 --yes
ct "$TD/nosysroot" test --target $ARMV7 --project "$P" --host "$H3" $SSHO
expect_rc 1 && expect_err "at the build step" && expect_err "Fix: 'rpi-cross sysroot pull --host $H3' then 'rpi-cross setup --sysroot NAME'"
grep -Eq "header-missing|host-library|library-missing|pkg-config-cross" "$err" ||
	t_fail "not explained as a C library failure: $(grep -i 'failed at' "$err")"
t_end

# ---- glibc: the hello-world on the bullseye Pi -------------------------------

t_begin "bullseye Pi: a hello linked against the host's glibc fails with GLIBC_2.34 not found, the sysroot offered"
c test --target $ARMV7 --host "$H3" $SSHO
expect_rc 1 && expect_err "glibc-too-new" && expect_out "GLIBC_2.34" &&
	expect_err "Fix: link against the Pi's own glibc, which removes the problem: 'rpi-cross sysroot pull --host $H3' then 'rpi-cross setup --sysroot NAME'"
t_end

t_begin "bullseye Pi: after setup --sysroot the hello links against 2.31, calls zlib through the sysroot and passes (the detected target stays gnu)"
mv "$T_TMP/g-sysroot" "$G"
c test --host "$H3" $SSHO
expect_rc 0 && expect_out "Testing $ARMV7 on" && expect_out "Hello, world!" && expect_out "zlib 1.2.11" &&
	expect_out "C library: zlib 1.2.11 answered" && expect_out "linked against the sysroot (glibc 2.31)"
[ -z "$(ls -A "$W/tmp")" ] || t_fail "left in TMPDIR: $(ls -A "$W/tmp")"
t_end

# ---- doctor -------------------------------------------------------------------

# dj ID KEY TEXT: the doctor's JSON check ID has TEXT in KEY
dj() {
	/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = next(c for c in d["checks"] if c["id"] == sys.argv[2])
sys.exit(0 if sys.argv[4] in (c[sys.argv[3]] or "") else 1)' "$out" "$1" "$2" "$3" 2>>"$err" ||
		t_fail "doctor's $1 $2 lacks '$3'"
}

t_begin "doctor: the sysroot fits the target and is the bullseye Pi's own"
c doctor --target $ARMV7 --host "$H3" --timeout $TO --json
dj sysroot status pass; dj sysroot message "glibc 2.31"
dj host-sysroot status pass; dj host-sysroot message "2.31"
t_end

t_begin "doctor: a Pi upgraded since the pull (bullseye sysroot, bookworm Pi) warns: pull again"
c doctor --target $ARMV7 --host "$H4" --timeout $TO --json
dj host-sysroot status warn; dj host-sysroot message "older than the Pi's OS"
dj host-sysroot fix "sysroot pull --host $H4"
t_end

t_begin "doctor: a sysroot newer than the Pi (bookworm sysroot, bullseye Pi) fails: GLIBC_2.36 not found there"
cp "$G" "$T_TMP/g11"
c setup --target $ARMV7 --board pi3 --sysroot "$SR12" --yes
c doctor --target $ARMV7 --host "$H3" --timeout $TO --json
dj host-sysroot status fail; dj host-sysroot message "GLIBC_2.36 not found"
cp "$T_TMP/g11" "$G"
t_end

t_begin "doctor: a sysroot for another target than the config links it for fails, names the fix"
printf '\n[target.aarch64-unknown-linux-gnu]\nrustflags = ["-C", "link-arg=--sysroot=%s/root"]\n' \
	"$SR11" >>"$G"
c doctor --target aarch64-unknown-linux-gnu --json
dj sysroot status fail; dj sysroot message "is for $ARMV7 (arm-linux-gnueabihf)"
dj sysroot fix "setup --target aarch64-unknown-linux-gnu --sysroot"
cp "$T_TMP/g11" "$G"
t_end

T4=$(date +%s)
echo "# crates: setup (Pis, fixtures) $((T1 - T0)) s, bullseye crates build+run $((T3 - T2)) s, all tests $((T4 - T1)) s, whole suite $((T4 - T0)) s"
t_done
