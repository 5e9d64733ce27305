#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# setup-rust-arm.sh - give Debian's own rustc (/usr/bin/rustc, sysroot /usr)
# the ARM standard libraries, offline-friendly (TESTING.md section 1).
#
# apt cannot install libstd-rust-dev:armhf/:arm64 beside the amd64 rustc
# (version skew between architectures), so the packages are downloaded,
# unpacked with dpkg -x, and their rustlib folders copied into
# /usr/lib/rustlib. Idempotent; root only; never fails when what is needed
# is already there. Exit 0 when both std folders are in place.
set -u
say() { printf 'setup-rust-arm: %s\n' "$*"; }
RUSTLIB=/usr/lib/rustlib
want="armhf:armv7-unknown-linux-gnueabihf arm64:aarch64-unknown-linux-gnu"

have() { [ -d "$RUSTLIB/$1/lib" ] && ls "$RUSTLIB/$1/lib"/libstd-*.rlib >/dev/null 2>&1; }
all_there() {
	for w in $want; do have "${w#*:}" || return 1; done
	return 0
}

all_there && exit 0
[ "$(id -u)" -eq 0 ] || { say "needs root to write $RUSTLIB"; exit 1; }
command -v apt-get >/dev/null 2>&1 || { say "not a Debian host: no apt-get"; exit 1; }
top=$(cd "$(dirname "$0")/.." && pwd)

if ! dpkg-query -W -f='${Status}' rustc 2>/dev/null | grep -q 'ok installed'; then
	n=0
	until DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends rustc cargo >/dev/null; do
		n=$((n + 1))
		[ $n -ge 3 ] && { say "cannot install rustc and cargo"; exit 1; }
		sleep $((n * 5))
	done
fi
sh "$top/scripts/enable-arm-apt.sh" || say "ARM apt lists not refreshed; trying with the lists at hand"

work=$(mktemp -d "${TMPDIR:-/tmp}/rust-arm.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
status=0
for w in $want; do
	arch=${w%%:*} triple=${w#*:}
	have "$triple" && continue
	n=0
	until (cd "$work" && apt-get download -q "libstd-rust-dev:$arch" >/dev/null 2>&1); do
		n=$((n + 1))
		if [ $n -ge 4 ]; then
			say "cannot download libstd-rust-dev:$arch"
			status=1
			continue 2
		fi
		sleep $((n * 5))
	done
	deb=$(ls "$work"/libstd-rust-dev_*_"$arch".deb | head -n 1)
	mkdir -p "$work/$arch"
	dpkg -x "$deb" "$work/$arch" || { say "cannot unpack $deb"; status=1; continue; }
	src="$work/$arch/usr/lib/rustlib/$triple"
	[ -d "$src" ] || { say "$deb has no rustlib/$triple"; status=1; continue; }
	mkdir -p "$RUSTLIB"
	rm -rf "$RUSTLIB/$triple.new"
	cp -a "$src" "$RUSTLIB/$triple.new" &&
		rm -rf "$RUSTLIB/$triple" &&
		mv "$RUSTLIB/$triple.new" "$RUSTLIB/$triple" ||
		{ say "cannot install $RUSTLIB/$triple"; status=1; continue; }
	say "installed $RUSTLIB/$triple (from $(basename "$deb"))"
done
all_there || status=1
exit $status
