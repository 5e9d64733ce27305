#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# deb.sh BUILD_DIR - build rpi-cross's Debian package (for `make deb`) and
# check it with lintian.
#
# The tree (the files git knows, with their uncommitted changes, or the
# whole folder of a release tarball) is copied to BUILD_DIR/deb/src/rpi-cross
# with a VERSION file, and dpkg-buildpackage -us -uc -b runs there, so
# Debian's outputs (.deb, .buildinfo, .changes), which it writes to the
# parent folder, land in BUILD_DIR/deb/ and never beside the checkout.
# A build between tags gets a snapshot entry on top of debian/changelog
# (in the copy): 0.1.0-g1234abc is 0.1.0~g1234abc (before 0.1.0),
# 0.1.0-3-g1234abc is 0.1.0+3.g1234abc (after it).
# Prints the .deb's path last. lintian's errors fail the build; its
# warnings are shown.
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
case $build in /*) ;; *) build=$top/$build ;; esac
out=$build/deb
src=$out/src/rpi-cross

for p in dpkg-buildpackage dh lintian; do
	command -v $p >/dev/null 2>&1 || {
		echo "make deb: '$p' is missing; install dpkg-dev, debhelper and lintian" \
			"(sh scripts/install-deps.sh test)" >&2
		exit 1
	}
done

rm -rf "$out"
mkdir -p "$src"
if [ -e .git ] && command -v git >/dev/null 2>&1; then
	git ls-files -co --exclude-standard | while IFS= read -r f; do
		[ -e "$f" ] && printf '%s\n' "$f"
	done | tar -cf - -T - | tar -xf - -C "$src"
else
	tar -cf - --exclude=./build --exclude='./build-*' . | tar -xf - -C "$src"
fi
version=$(sh scripts/version.sh)
echo "$version" >"$src/VERSION"

# the Debian version of this build
deb_version=$(dpkg-parsechangelog -l debian/changelog -S Version)
case $version in
"$deb_version") ;;
*-[0-9]*-g*) deb_version=$(echo "$version" | sed -e 's/-/+/' -e 's/-/./g') ;;
*-*) deb_version=$(echo "$version" | sed -e 's/-/~/' -e 's/-/./g') ;;
*) deb_version=$version ;;
esac
if [ "$deb_version" != "$(dpkg-parsechangelog -l debian/changelog -S Version)" ]; then
	{
		printf 'rpi-cross (%s) UNRELEASED; urgency=medium\n\n' "$deb_version"
		printf '  * Snapshot %s.\n\n' "$version"
		printf ' -- %s  %s\n\n' \
			"$(dpkg-parsechangelog -l debian/changelog -S Maintainer)" \
			"$(date -R)"
		cat debian/changelog
	} >"$src/debian/changelog"
fi

start=$(date +%s)
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	echo "make deb: dpkg-buildpackage failed; the whole log is $out/build.log" >&2
	exit 1
}
mid=$(date +%s)
mv "$out"/src/*.deb "$out"/src/*.buildinfo "$out"/src/*.changes "$out"/
changes=$(ls "$out"/*.changes)
# lintian exits non-zero on errors only (its default --fail-on error)
lintian --info --display-info "$changes" >"$out/lintian.log" 2>&1 || {
	cat "$out/lintian.log" >&2
	echo "make deb: lintian found errors" >&2
	exit 1
}
end=$(date +%s)
cat "$out/lintian.log" >&2
echo "make deb: built in $((mid - start)) s, lintian $((end - mid)) s" >&2
ls "$out"/rpi-cross_*.deb | grep -v dbgsym
