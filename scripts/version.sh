#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# version.sh [--archive] - print rpi-cross's version, for the Makefile:
#   1. in a git checkout of this tree, `git describe --tags --always --dirty`
#      (a tag's leading "v" dropped; with no tag reachable, describe's
#      fallback, the abbreviated commit, follows the base version:
#      0.1.0-g1234abc, so that a version always starts with a number, as
#      Debian and Homebrew want);
#   2. else the file VERSION (a release tarball from `make dist` has one);
#   3. else the base version, RPX_BASE_VERSION in src/base/version.c.
# --archive describes HEAD without "-dirty": `make dist` archives HEAD,
# not the working tree.
# A version is made of [A-Za-z0-9.+~_-] only (it becomes a C string and a
# file name); anything else falls through to the next source.
cd "$(dirname "$0")/.." || exit 1
dirty=--dirty
[ "${1:-}" = --archive ] && dirty=
base=$(sed -n 's/^#define RPX_BASE_VERSION "\([^"]*\)".*/\1/p' src/base/version.c)

ok() {
	case $1 in
	'' | *[!A-Za-z0-9.+~_-]*) return 1 ;;
	esac
}

v=
# .git, a folder or (in a worktree) a file, only at this tree's top: a
# tarball unpacked inside another project's checkout must not take that
# project's history for its own
if [ -e .git ] && command -v git >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	v=$(git describe --tags --always $dirty 2>/dev/null)
	case $v in
	v[0-9]*) v=${v#v} ;;
	[0-9]*.*) ;;
	*) [ -n "$v" ] && v=$base-g$v ;;
	esac
	ok "$v" || v=
fi
if [ -z "$v" ] && [ -f VERSION ]; then
	v=$(sed -n '1p' VERSION)
	ok "$v" || v=
fi
[ -n "$v" ] || v=$base
echo "$v"
