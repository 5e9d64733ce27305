#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# docs.sh - the man page is lint-clean and covers every command, the README
# keeps its two-command quick start, and `make install` installs what it says.
. "$RPX_TOP/tests/lib.sh"
man="$RPX_TOP/man/rpi-cross.1"

t_begin "man page is mandoc -Tlint clean"
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tlint -W warning "$man" >"$out" 2>"$err"; rc=$?
	expect_rc 0; t_end
else
	t_skip "mandoc not installed"
fi

t_begin "man page documents every command of --help"
rpx --help
for c in $(sed -n 's/^  \([a-z]*\) .*/\1/p' "$out"); do
	grep -q "^\.It Cm $c" "$man" || t_fail "man page lacks command '$c'"
done
t_end

t_begin "man page documents every option of every command"
for c in setup boards targets linkers cpus detect config run test check doctor sysroot; do
	rpx "$c" --help
	for o in $(sed -n '/^Options:/,$p' "$out" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		name=${o#--}
		[ "$name" = help ] && continue
		grep -q "Fl -$name" "$man" || t_fail "man page lacks $c option --$name"
	done
done
t_end

t_begin "README shows the two quick-start commands"
grep -q '^make run ' "$RPX_TOP/README.md" || t_fail "README lacks 'make run'"
grep -q '^make check ' "$RPX_TOP/README.md" || t_fail "README lacks 'make check'"
t_end

t_begin "README and docs/ARCHITECTURE.md name every folder of src/, and check-layers places each"
for d in "$RPX_TOP"/src/*/; do
	name=$(basename "$d")
	grep -q "^src/$name/ " "$RPX_TOP/README.md" ||
		t_fail "README's Architecture lacks src/$name/"
	grep -q "src/$name/" "$RPX_TOP/docs/ARCHITECTURE.md" ||
		t_fail "docs/ARCHITECTURE.md lacks src/$name/"
	grep -q "^    \"$name\": \[" "$RPX_TOP/scripts/check-layers.py" ||
		t_fail "check-layers.py's table lacks $name"
done
t_end

t_begin "make dist: HEAD plus a VERSION file, whose version a tree outside git reads"
if [ ! -e "$RPX_TOP/.git" ] || ! command -v git >/dev/null 2>&1; then
	t_skip "not a git checkout"
else
	ver=$(sh "$RPX_TOP/scripts/version.sh" --archive)
	make -s -C "$RPX_TOP" BUILD="$T_TMP/distbuild" dist >"$out" 2>"$err"; rc=$?
	expect_rc 0
	tarball="$T_TMP/distbuild/rpi-cross-$ver.tar.gz"
	[ -f "$tarball" ] || t_fail "no $tarball"
	mkdir -p "$T_TMP/unpacked"
	tar -C "$T_TMP/unpacked" -xzf "$tarball" || t_fail "the tarball does not unpack"
	tree="$T_TMP/unpacked/rpi-cross-$ver"
	[ "$(cat "$tree/VERSION" 2>/dev/null)" = "$ver" ] || t_fail "VERSION is not '$ver'"
	[ -e "$tree/.git" ] && t_fail "the tarball has a .git"
	for f in Makefile src/main.c src/base/version.c scripts/version.sh LICENSE-MIT LICENSE-APACHE; do
		[ -f "$tree/$f" ] || t_fail "the tarball lacks $f"
	done
	[ "$(sh "$tree/scripts/version.sh")" = "$ver" ] ||
		t_fail "outside git the version is '$(sh "$tree/scripts/version.sh")', not '$ver'"
	# the build records that version (a whole build is left to `make dist`'s users)
	make -s -C "$tree" BUILD=b b/version >"$out" 2>"$err" || t_fail "make b/version failed"
	[ "$(cat "$tree/b/version" 2>/dev/null)" = "$ver" ] || t_fail "the build's version is not '$ver'"
	t_end
fi

t_begin "make install puts the binary, the man page and the themes under DESTDIR"
if [ "${RPX_SANITIZED:-0}" = 1 ]; then
	# install rebuilds with the default flags; the plain run covers it
	t_skip "not with the sanitizer build (covered by the plain run)"
	t_done; exit
fi
dest="$T_TMP/dest"
make -s -C "$RPX_TOP" BUILD="${RPX_BUILD#$RPX_TOP/}" install DESTDIR="$dest" PREFIX=/usr >"$out" 2>"$err"; rc=$?
expect_rc 0
[ -x "$dest/usr/bin/rpi-cross" ] || t_fail "no binary installed"
[ -f "$dest/usr/share/man/man1/rpi-cross.1" ] || t_fail "no man page installed"
[ -d "$dest/usr/share/rpi-cross/themes" ] || t_fail "no themes folder"
for f in "$RPX_TOP"/themes/*.yaml; do
	[ -f "$f" ] || continue
	[ -f "$dest/usr/share/rpi-cross/themes/$(basename "$f")" ] || t_fail "theme $(basename "$f") not installed"
done
"$dest/usr/bin/rpi-cross" --version >"$out" 2>"$err" || t_fail "installed binary does not run"
t_end

t_begin "make install puts the bash, zsh and fish completions where each shell looks"
bashc="$dest/usr/share/bash-completion/completions/rpi-cross"
# under /usr, zsh reads a distribution's functions from vendor-completions
zshc="$dest/usr/share/zsh/vendor-completions/_rpi-cross"
fishc="$dest/usr/share/fish/vendor_completions.d/rpi-cross.fish"
for f in "$bashc" "$zshc" "$fishc"; do
	[ -f "$f" ] || t_fail "no $f"
done
bash -n "$bashc" 2>"$err" || t_fail "bash -n fails on the installed script"
for sh in bash zsh fish; do
	case $sh in bash) f=$bashc ;; zsh) f=$zshc ;; fish) f=$fishc ;; esac
	"$dest/usr/bin/rpi-cross" completions "$sh" >"$out" 2>"$err" || t_fail "completions $sh failed"
	cmp -s "$out" "$f" || t_fail "the installed $sh script is not 'rpi-cross completions $sh'"
done
t_end

# Cargo runs an external subcommand "cargo rpi ARGS" as "cargo-rpi rpi
# ARGS" when cargo-rpi is on PATH: the installed link, through real cargo.
t_begin "make install adds cargo-rpi, a relative link, and 'cargo rpi' runs rpi-cross"
ver=$(cat "$RPX_BUILD/version" 2>/dev/null)
[ -L "$dest/usr/bin/cargo-rpi" ] || t_fail "no cargo-rpi link installed"
[ "$(readlink "$dest/usr/bin/cargo-rpi")" = rpi-cross ] ||
	t_fail "cargo-rpi points to '$(readlink "$dest/usr/bin/cargo-rpi")', not the relative 'rpi-cross'"
if ! command -v cargo >/dev/null 2>&1; then
	t_skip "cargo is not installed"
else
	cargo_rpi() {
		(PATH="$dest/usr/bin:$PATH" cargo rpi "$@" </dev/null >"$out" 2>"$err"); rc=$?
	}
	cargo_rpi boards; expect_rc 0; expect_out "pi4 "; expect_out "Raspberry Pi 500+"
	cargo_rpi --version; expect_rc 0
	[ "$(cat "$out")" = "rpi-cross $ver" ] || t_fail "cargo rpi --version printed '$(cat "$out")'"
	cargo_rpi boards --version; expect_rc 0
	[ "$(cat "$out")" = "rpi-cross $ver" ] || t_fail "cargo rpi boards --version printed '$(cat "$out")'"
	cargo_rpi setp; expect_rc 2; expect_empty_out
	expect_err "rpi-cross: error: unknown command 'setp'"; expect_err "Did you mean 'setup'?"
	cargo_rpi boards --bogus; expect_rc 2; expect_err "unknown option '--bogus'"
	# the link called directly (no "rpi" first) is rpi-cross too
	"$dest/usr/bin/cargo-rpi" boards >"$out" 2>"$err"; rc=$?
	expect_rc 0; expect_out "pi4 "
	# "rpi" is dropped only for cargo-rpi: rpi-cross itself says unknown command
	"$dest/usr/bin/rpi-cross" rpi boards >"$out" 2>"$err"; rc=$?
	expect_rc 2; expect_err "unknown command 'rpi'"
	t_end
fi

t_begin "make uninstall removes every file make install put there"
make -s -C "$RPX_TOP" BUILD="${RPX_BUILD#"$RPX_TOP"/}" uninstall DESTDIR="$dest" PREFIX=/usr >"$out" 2>"$err"; rc=$?
expect_rc 0
left=$(find "$dest" ! -type d)
[ -z "$left" ] || t_fail "left after uninstall: $left"
t_end

# The data folder comes from where the binary is, not from PREFIX at build
# time: installed under another PREFIX and a DESTDIR, without a rebuild,
# the binary still finds themes that exist only under that DESTDIR.
t_begin "an installed binary finds its themes beside it, for any PREFIX and DESTDIR"
if ! command -v tmux >/dev/null 2>&1; then
	t_skip "tmux is not installed (the wizard reads the theme)"
	t_done; exit
fi
. "$RPX_TOP/tests/tmuxlib.sh"
tmux_init rpxdocs 8 40 20
dest="$T_TMP/dest-opt"
make -s -C "$RPX_TOP" BUILD="${RPX_BUILD#"$RPX_TOP"/}" install DESTDIR="$dest" PREFIX=/opt/rpx-test >"$out" 2>"$err"; rc=$?
expect_rc 0
themes="$dest/opt/rpx-test/share/rpi-cross/themes"
[ -x "$dest/opt/rpx-test/bin/rpi-cross" ] || t_fail "no binary installed"
[ -d /opt/rpx-test ] && t_fail "/opt/rpx-test exists on this machine: the test proves nothing"
# pkg-good: a copy of high-contrast; pkg-bad: an error on line 3
cp "$RPX_TOP/themes/high-contrast.yaml" "$themes/pkg-good.yaml"
printf 'name: pkg-bad\nroles:\n  title: { fg: purplish }\n' >"$themes/pkg-bad.yaml"
mkdir -p "$T_TMP/home" "$T_TMP/cfg"
TM_ENV="HOME=$T_TMP/home XDG_CONFIG_HOME=$T_TMP/cfg"
bin_was=$RPX_BIN
RPX_BIN="$dest/opt/rpx-test/bin/rpi-cross"
# a broken theme: the warning names the file under DESTDIR, proof it was read
start 100 30 -- --theme pkg-bad
wait_for "Step 1 of 8: Welcome"
keys q; ended 0
expect_err "$themes/pkg-bad.yaml:3:16: unknown colour 'purplish'"
# a good one: silently used (high-contrast draws on black, background 40)
start 100 30 -- --theme pkg-good
wait_for "Step 1 of 8: Welcome"
# the title can show before the rest of the frame is drawn (slowly under
# valgrind): look again until the background is there, for a while
esc=$(printf '\033')
for _ in $(seq 1 100); do
	tm capture-pane -p -e -t "$S" >"$out"
	grep -q "$esc\\[[0-9;]*40[;m]" "$out" && break
	sleep 0.2
done
grep -q "$esc\\[[0-9;]*40[;m]" "$out" || t_fail "pkg-good's black background not drawn"
keys q; ended 0
expect_empty_err
# an unknown one: the warning names the folder beside the binary first
start 100 30 -- --theme pkg-absent
wait_for "Step 1 of 8: Welcome"
keys q; ended 0
expect_err "theme 'pkg-absent' not found (looked in \$XDG_CONFIG_HOME/rpi-cross/themes, $dest/opt/rpx-test/share/rpi-cross/themes and "
RPX_BIN=$bin_was
t_end

t_done
