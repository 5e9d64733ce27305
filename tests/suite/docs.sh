#!/bin/sh
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
for c in setup boards targets linkers cpus detect config run test doctor; do
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

t_done
