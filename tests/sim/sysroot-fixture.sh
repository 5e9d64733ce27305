#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# sysroot-fixture.sh SUITE ARCH DEST - a test sysroot unpacked from real
# Debian packages of SUITE (bullseye, bookworm, trixie) for ARCH (armhf,
# arm64), in the layout `rpi-cross sysroot pull` writes (root/ and
# sysroot.yaml), without a Pi: only for the suites that test what is done
# with a sysroot (the Cargo wiring, the C-library step), not the pull.
#
# The packages come through a private apt configuration (the host's own
# sources are not touched; TESTING.md section 7) into
# /var/cache/rpi-cross-tests/sysroot-debs/SUITE-ARCH, kept between runs,
# then unpacked with dpkg -x. Absolute symbolic links are made relative
# (ld follows a link like libz.so -> /lib/... out of the sysroot to the
# host's library, or to none). Prints the root's path; exit 1 with the
# reason on stderr when the packages cannot be had.
set -u
suite=$1 arch=$2 dest=$3
say() { printf 'sysroot-fixture: %s\n' "$*" >&2; }
case $arch in
armhf) triple=arm-linux-gnueabihf target=armv7-unknown-linux-gnueabihf ;;
arm64) triple=aarch64-linux-gnu target=aarch64-unknown-linux-gnu ;;
*) say "unknown architecture $arch"; exit 1 ;;
esac
case $suite in
bullseye) gccv=10 glibc=2.31 ssl=libssl1.1 ;;
bookworm) gccv=12 glibc=2.36 ssl=libssl3 ;;
trixie) gccv=14 glibc=2.41 ssl=libssl3t64 ;;
*) say "unknown suite $suite"; exit 1 ;;
esac
pkgs="libc6 libc6-dev libgcc-$gccv-dev libgcc-s1 zlib1g zlib1g-dev
 linux-libc-dev libssl-dev $ssl libsqlite3-0 libsqlite3-dev libcrypt1
 libcrypt-dev"
[ "$suite" = trixie ] && pkgs="$pkgs libsqlite3-0"

cache=${RPX_SYSROOT_DEBS:-/var/cache/rpi-cross-tests/sysroot-debs}/$suite-$arch
stamp="$cache/stamp"
want=$(printf '%s\n' "$pkgs" | tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' ')
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	mkdir -p "$cache/lists/partial" "$cache/cache/archives/partial" "$cache/debs" ||
		exit 1
	uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -v security | head -n 1)
	[ -n "$uri" ] || uri=http://deb.debian.org/debian
	printf 'deb [arch=%s signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
		"$arch" "$uri" "$suite" >"$cache/sources.list"
	set -- -o Dir::Etc::SourceList="$cache/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$cache/lists" \
		-o Dir::Cache="$cache/cache" -o APT::Architecture="$arch" \
		-o APT::Architectures::="$arch" -o Debug::NoLocking=1
	n=0
	until apt-get "$@" update -q >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -ge 3 ] && { say "apt-get update for $suite $arch failed"; exit 1; }
		sleep $((n * 5))
	done
	rm -f "$cache/debs"/*.deb
	for p in $want; do
		(cd "$cache/debs" && apt-get "$@" download -q "$p:$arch" >/dev/null 2>&1) ||
			{ say "cannot download $p:$arch from $suite"; exit 1; }
	done
	printf '%s' "$want" >"$stamp"
fi

rm -rf "$dest"
mkdir -p "$dest/root" || exit 1
root=$dest/root
for d in "$cache/debs"/*.deb; do
	dpkg -x "$d" "$root" || { say "cannot unpack $d"; exit 1; }
done
# Absolute links made relative to where they are (a fixture's share of
# what the pull does).
find "$root" -type l | while read -r l; do
	t=$(readlink "$l")
	case $t in
	/*) rel=$(realpath -m --relative-to="$(dirname "$l")" "$root$t")
	    ln -sfn "$rel" "$l" ;;
	esac
done
# GNU ld scripts name absolute paths: the '=' prefix makes ld look in
# the sysroot.
for f in "$root/usr/lib/$triple"/libc.so "$root/usr/lib/$triple"/libm.so \
	 "$root/usr/lib/$triple"/libpthread.so; do
	[ -f "$f" ] && ! [ -L "$f" ] && grep -q GROUP "$f" 2>/dev/null &&
		sed -i 's| /| =/|g' "$f"
done
gver=$(ls "$root/usr/lib/gcc/$triple" 2>/dev/null | head -n 1)
cat >"$dest/sysroot.yaml" <<YAML
name: fixture-$suite-$arch
host: 127.0.0.1
target: $target
gnu_triple: $triple
dpkg_arch: $arch
os_id: debian
os_codename: $suite
os_pretty: Debian ($suite, fixture)
glibc: "$glibc"
gcc: "$gver"
YAML
printf '%s\n' "$root"
