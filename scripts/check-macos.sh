#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# check-macos.sh BUILD [FILE.c...] - compile (-c, no link) every C file of src/, tools/
# and tests/unit/ for aarch64-macos and x86_64-macos with `zig cc`, so that
# a Linux-only call (pipe2, accept4, SO_PEERCRED, epoll, prctl, /proc...)
# fails `make check` on Linux before it fails a Mac user.
#
# What is checked: the Makefile's own compile rule and flags with its
# Darwin branch (make UNAME_S=Darwin: -D_DARWIN_C_SOURCE, the same
# warnings and -Werror), against the macOS libc headers zig ships
# (lib/libc/include/*-macos.*: the SDK's <unistd.h>, <sys/socket.h>,
# <util.h>...), so every libc call, constant and struct must exist there.
# What is not: the third-party headers are the host's (Debian's ncurses,
# libyaml, libssh, OpenSSL, libarchive, cmocka from /usr/include), linked
# one by one into BUILD/macos/include so that none of the host's libc
# headers can come with them; Homebrew's versions of those libraries may
# differ in details. zig ships the SDK headers it needs, not all of them:
# <util.h> (openpty) is missing, so the sources use POSIX's posix_openpt().
# Nothing is linked and nothing runs: what the SDK
# only declares (or a Mac behaves differently at run time) is not seen.
#
# FILE.c...: those files only (relative to the top folder; the test of this
# check, tests/suite/macos.sh, gives it a Linux-only file).
# zig: $ZIG if set, else scripts/setup-zig.sh's (it installs zig when run
# as root). On a Mac the ordinary build is this check already.
set -u
build=${1:-build}
[ $# -gt 0 ] && shift
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
say() { printf 'check-macos: %s\n' "$*" >&2; }

if [ "$(uname -s)" = Darwin ]; then
	say "this is macOS: the ordinary build compiles for it"
	exit 0
fi
zig=${ZIG:-}
if [ -z "$zig" ]; then
	dir=$(sh scripts/setup-zig.sh) ||
		{ say "error: no zig (set ZIG=/path/to/zig, or run scripts/setup-zig.sh as root)"
		  exit 1; }
	zig="$dir/zig"
fi
"$zig" version >/dev/null 2>&1 || { say "error: $zig does not run"; exit 1; }

# The host's third-party headers, each linked by name: the folder holds no
# libc header, so <stdio.h> and the rest come from zig's macOS libc only.
inc="$build/macos/include"
rm -rf "$inc"
mkdir -p "$inc/openssl" || exit 1
for h in curses.h ncurses.h ncurses_dll.h unctrl.h term.h ncursesw \
	yaml.h libssh archive.h archive_entry.h cmocka.h; do
	[ -e "/usr/include/$h" ] && ln -s "/usr/include/$h" "$inc/$h"
done
# OpenSSL: the generic headers and the build's configuration.h, which
# Debian keeps in the multiarch folder (/usr/include/<triple>/openssl).
for f in /usr/include/openssl/*.h /usr/include/*-linux-gnu*/openssl/*.h; do
	[ -e "$f" ] && [ ! -e "$inc/openssl/${f##*/}" ] && ln -s "$f" "$inc/openssl/"
done
for h in curses.h yaml.h libssh/libssh.h openssl/evp.h; do
	[ -e "$inc/$h" ] || { say "error: /usr/include has no $h (make deps)"; exit 1; }
done
units=check-macos-units
[ -e "$inc/cmocka.h" ] || { units=; say "no cmocka.h: tests/unit/ is not checked"; }

status=0
for arch in aarch64 x86_64; do
	goals="check-macos-objs $units"
	if [ $# -gt 0 ]; then
		goals=
		for f in "$@"; do goals="$goals $build/macos/$arch/obj/${f%.c}.o"; done
	fi
	# shellcheck disable=SC2086
	make --no-print-directory -s -k UNAME_S=Darwin \
		CC="$zig cc -target $arch-macos" BUILD="$build/macos/$arch" \
		PKG_CFLAGS="-isystem $top/$inc" CMOCKA_CFLAGS= CFLAGS=-O0 SAN= \
		$goals || status=1
done
[ $status -eq 0 ] && say "compiled for aarch64-macos and x86_64-macos"
exit $status
