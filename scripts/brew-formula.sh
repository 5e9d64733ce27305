#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# brew-formula.sh TARBALL [URL] - print packaging/homebrew/rpi-cross.rb
# with the version, url and sha256 of TARBALL (a `make dist` tarball,
# rpi-cross-VERSION.tar.gz) filled in. URL defaults to the release
# download address of that version; give file:///path/to/the.tar.gz to
# try the formula on a Mac before a release:
#   make dist && sh scripts/brew-formula.sh build/rpi-cross-*.tar.gz \
#       "file://$PWD/build/rpi-cross-VERSION.tar.gz" >rpi-cross.rb
#   brew install --build-from-source ./rpi-cross.rb
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tarball=${1:?usage: brew-formula.sh TARBALL [URL]}
[ -f "$tarball" ] || { echo "brew-formula.sh: no file '$tarball'" >&2; exit 1; }
name=$(basename "$tarball")
case $name in
rpi-cross-*.tar.gz) version=${name#rpi-cross-}; version=${version%.tar.gz} ;;
*) echo "brew-formula.sh: '$name' is not rpi-cross-VERSION.tar.gz" >&2; exit 1 ;;
esac
if command -v sha256sum >/dev/null 2>&1; then
	sum=$(sha256sum "$tarball" | cut -d' ' -f1)
else
	sum=$(shasum -a 256 "$tarball" | cut -d' ' -f1)
fi
url=${2:-}
if [ -n "$url" ]; then
	sed -e "s|^  url \".*\"|  url \"$url\"|" "$top/packaging/homebrew/rpi-cross.rb"
else
	cat "$top/packaging/homebrew/rpi-cross.rb"
fi | sed -e "s|@VERSION@|$version|g" -e "s|@SHA256@|$sum|g"
