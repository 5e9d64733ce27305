#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# brew.sh - the Homebrew formula (packaging/homebrew/rpi-cross.rb): Ruby
# accepts it, scripts/brew-formula.sh fills in the version and the real
# sha256 of the tarball `make dist` builds, and the formula's own install
# and test blocks, run by tests/brew/formula_shim.rb (Homebrew's Formula
# methods the formula calls, with the real make), build that tarball
# and pass. On a Mac, `brew install --build-from-source` and `brew audit`
# do the rest (README).
#
# The tarball is HEAD's (git archive, gzip -n), the same bytes on every
# run of a commit: its build is kept in /var/cache/rpi-cross-tests/brew/SHA
# so the ASan and valgrind runs only check it again.
. "${RPX_TOP:?}/tests/lib.sh"

if ! command -v ruby >/dev/null 2>&1; then
	t_begin "the Homebrew formula"
	t_skip "ruby is not installed (sh scripts/install-deps.sh test)"
	t_done; exit 0
fi
formula=$RPX_TOP/packaging/homebrew/rpi-cross.rb

t_begin "ruby -c accepts the formula; it names the project's dependencies"
ruby -c "$formula" >"$out" 2>"$err"; rc=$?
expect_rc 0
for d in '"pkg-config" => :build' '"ncurses"' '"libyaml"' '"libssh"' \
	'"openssl@3"' '"libarchive"'; do
	grep -qF "depends_on $d" "$formula" || t_fail "no depends_on $d"
done
t_end

if ! [ -e "$RPX_TOP/.git" ] || ! command -v git >/dev/null 2>&1; then
	t_begin "the formula filled in for make dist's tarball"
	t_skip "not a git checkout: make dist archives HEAD"
	t_done; exit 0
fi

t_begin "brew-formula.sh writes the version and the tarball's real sha256"
dist=$T_TMP/dist
make -s -C "$RPX_TOP" dist BUILD="$dist" >"$out" 2>"$err"; rc=$?
expect_rc 0
tarball=$(ls "$dist"/rpi-cross-*.tar.gz 2>/dev/null | head -n 1)
[ -n "$tarball" ] || t_fail "make dist made no tarball"
version=$(basename "$tarball" .tar.gz); version=${version#rpi-cross-}
sum=$(sha256sum "$tarball" | cut -d' ' -f1)
sh "$RPX_TOP/scripts/brew-formula.sh" "$tarball" "file://$tarball" \
	>"$T_TMP/rpi-cross.rb" 2>"$err"; rc=$?
expect_rc 0
cp "$T_TMP/rpi-cross.rb" "$out"
expect_out "  sha256 \"$sum\""
expect_out "  url \"file://$tarball\""
expect_no_out "@SHA256@"; expect_no_out "@VERSION@"
ruby -c "$T_TMP/rpi-cross.rb" >/dev/null 2>"$err" || t_fail "ruby -c rejects the filled formula"
# without a url, the release address of that version
sh "$RPX_TOP/scripts/brew-formula.sh" "$tarball" >"$out" 2>"$err"
expect_out "/releases/download/v$version/rpi-cross-$version.tar.gz\""
expect_out "  sha256 \"$sum\""
# a file that is not a release tarball is refused
: >"$T_TMP/other.tgz"
sh "$RPX_TOP/scripts/brew-formula.sh" "$T_TMP/other.tgz" >"$out" 2>"$err"; rc=$?
expect_rc 1; expect_err "is not rpi-cross-VERSION.tar.gz"
t_end

t_begin "the formula's install block builds the tarball; its test block passes"
cache=/var/cache/rpi-cross-tests/brew
here=$cache/$sum
if [ -f "$here/done" ]; then
	echo "# reusing the formula's build of this tarball in $here"
elif mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; then
	for d in "$cache"/*/; do [ -d "$d" ] && rm -rf "$d"; done
	tmp=$cache/tmp.$$
	rm -rf "$tmp"; mkdir -p "$tmp/src"
	tar -xzf "$tarball" -C "$tmp/src"
	start=$(date +%s)
	(cd "$tmp/src/rpi-cross-$version" && SHIM_VERSION=$version \
		ruby "$RPX_TOP/tests/brew/formula_shim.rb" "$T_TMP/rpi-cross.rb" \
		"$here/prefix") >"$out" 2>"$err"; rc=$?
	echo "# the formula's install took $(($(date +%s) - start)) s"
	expect_rc 0
	expect_out "depends_on: "
	[ "$rc" -eq 0 ] && : >"$here/done"
	rm -rf "$tmp"
else
	t_skip "cannot write $cache"
fi
if [ -f "$here/done" ]; then
	p=$here/prefix
	for f in bin/rpi-cross bin/cargo-rpi share/man/man1/rpi-cross.1 \
		share/rpi-cross/themes/default.yaml etc/bash_completion.d/rpi-cross \
		share/zsh/site-functions/_rpi-cross \
		share/fish/vendor_completions.d/rpi-cross.fish; do
		[ -e "$p/$f" ] || t_fail "the formula installed no $f"
	done
	(cd "$T_TMP" && SHIM_VERSION=$version ruby "$RPX_TOP/tests/brew/formula_shim.rb" \
		"$T_TMP/rpi-cross.rb" "$p" test) >"$out" 2>"$err"; rc=$?
	expect_rc 0; expect_out "test block passed"
	# and the shim's test block can fail: a version the binary is not
	(cd "$T_TMP" && SHIM_VERSION=9.9.9 ruby "$RPX_TOP/tests/brew/formula_shim.rb" \
		"$T_TMP/rpi-cross.rb" "$p" test) >"$out" 2>"$err"; rc=$?
	[ "$rc" -ne 0 ] || t_fail "the test block passed with a wrong version"
	t_end
fi

t_done
