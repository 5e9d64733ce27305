#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# deb.sh - the Debian package, for real: `make deb` builds it (lintian
# finds no error and no warning), apt-get installs it into this machine,
# the installed rpi-cross, `cargo rpi` (through Debian's cargo), the man
# page, the themes and the completions (where bash-completion, zsh and
# fish look) all work, and apt-get remove --purge leaves none of its files.
#
# Root on Debian only (it installs a package). The package is built once
# per tree: /var/cache/rpi-cross-tests/deb/KEY, KEY the hash of every file
# of the tree, so the ASan and valgrind runs of the same tree reuse it and
# only install and check it again. Skipped when an rpi-cross package that
# this suite did not install is on the machine (it is never touched).
# One run at a time on a machine (a lock), since the package is global.
. "${RPX_TOP:?}/tests/lib.sh"
# The programs checked here are the package's, built by make deb the same
# way in every run: the plain, ASan and valgrind runs check the same
# binary, so it is never wrapped (valgrind adds nothing but time).
RPX_WRAP=
RPX_SANITIZED=

cache=/var/cache/rpi-cross-tests/deb
marker=$cache/installed-by-test

skip_all() {
	t_begin "the Debian package"
	t_skip "$1"
	t_done
	exit 0
}
[ "$(id -u)" -eq 0 ] || skip_all "not root (the test installs a package)"
for p in apt-get dpkg-query dpkg-buildpackage dh lintian flock; do
	command -v $p >/dev/null 2>&1 ||
		skip_all "'$p' is missing (sh scripts/install-deps.sh test)"
done
mkdir -p "$cache"
exec 9>"$cache/lock"
flock -w 900 9 || skip_all "another run holds $cache/lock"
st=$(dpkg-query -W -f='${Status}' rpi-cross 2>/dev/null)
case $st in
*" installed"*)
	[ -f "$marker" ] || skip_all "an rpi-cross package not installed by this suite is on the machine"
	;;
esac

# KEY: every file of the tree (git's list when it is a checkout, with
# uncommitted changes; else the folder of a release tarball)
key=$(cd "$RPX_TOP" && {
	if [ -e .git ] && command -v git >/dev/null 2>&1; then
		git ls-files -co --exclude-standard
	else
		find . -type f ! -path './build*' | sed 's|^\./||'
	fi
} | while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done |
	LC_ALL=C sort | tr '\n' '\0' | xargs -0 sha256sum | sha256sum | cut -c1-16)
here=$cache/$key

t_begin "make deb builds the package and lintian finds no error or warning"
if [ -f "$here/done" ]; then
	echo "# reusing the package built for this tree in $here"
else
	for d in "$cache"/*/; do
		[ -d "$d" ] && rm -rf "$d"
	done
	tmp=$cache/tmp.$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	start=$(date +%s)
	make -s -C "$RPX_TOP" deb BUILD="$tmp" >"$out" 2>"$err"; rc=$?
	echo "# make deb took $(($(date +%s) - start)) s"
	expect_rc 0
	if [ "$rc" -eq 0 ]; then
		mkdir -p "$here"
		mv "$tmp"/deb/*.deb "$tmp"/deb/lintian.log "$tmp"/deb/build.log "$here"/
		cp "$tmp"/deb/src/rpi-cross/VERSION "$here"/VERSION
		: >"$here/done"
	fi
	rm -rf "$tmp"
fi
deb=$(ls "$here"/rpi-cross_*.deb 2>/dev/null | grep -v dbgsym | head -n 1)
[ -n "$deb" ] || t_fail "no rpi-cross_*.deb built"
if [ -f "$here/lintian.log" ]; then
	cp "$here/lintian.log" "$out"
	! grep -E '^[EW]: ' "$out" || t_fail "lintian reports errors or warnings"
fi
# what the package is made of
dpkg-deb -c "$deb" >"$out" 2>"$err" || t_fail "dpkg-deb -c failed"
for f in ./usr/bin/rpi-cross ./usr/bin/cargo-rpi ./usr/share/man/man1/rpi-cross.1.gz \
	./usr/share/rpi-cross/themes/default.yaml \
	./usr/share/bash-completion/completions/rpi-cross \
	./usr/share/zsh/vendor-completions/_rpi-cross \
	./usr/share/fish/vendor_completions.d/rpi-cross.fish \
	./usr/share/doc/rpi-cross/copyright; do
	grep -q " $f\( ->.*\)\{0,1\}$" "$out" || t_fail "the package lacks $f"
done
t_end
[ -n "$deb" ] || { t_done; exit 1; }
version=$(cat "$here/VERSION")

remove_pkg() {
	DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -q \
		-o DPkg::Lock::Timeout=300 rpi-cross
}
t_on_exit '[ -f "$marker" ] && remove_pkg >/dev/null 2>&1; rm -f "$marker"'

t_begin "apt-get install ./rpi-cross_*.deb installs it"
start=$(date +%s)
: >"$marker"
(cd "$here" && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends -o DPkg::Lock::Timeout=300 "./$(basename "$deb")") \
	>"$out" 2>"$err"; rc=$?
expect_rc 0
st=$(dpkg-query -W -f='${Status} ${Version}' rpi-cross 2>/dev/null)
case $st in
*"ok installed "*) ;;
*) t_fail "dpkg says '$st'" ;;
esac
dpkg -L rpi-cross >"$T_TMP/files" 2>/dev/null || t_fail "dpkg -L failed"
echo "# apt-get install took $(($(date +%s) - start)) s"
t_end

# Run the installed programs from a clean HOME, with PATH's own folders.
home=$T_TMP/home
mkdir -p "$home/cfg"
inst() {
	env HOME="$home" XDG_CONFIG_HOME="$home/cfg" PATH=/usr/bin:/bin \
		"$@" </dev/null >"$out" 2>"$err"
	rc=$?
}

t_begin "the installed rpi-cross and cargo rpi run, with the package's version"
inst /usr/bin/rpi-cross --version; expect_rc 0; expect_out "rpi-cross $version"
inst rpi-cross boards; expect_rc 0; expect_out "pi4"
if command -v cargo >/dev/null 2>&1; then
	inst cargo rpi --version; expect_rc 0; expect_out "rpi-cross $version"
	inst cargo rpi boards; expect_rc 0; expect_out "pi500plus"
	inst cargo --list; expect_rc 0; expect_out "rpi"
else
	echo "# cargo absent: cargo rpi not run"
fi
t_end

t_begin "man -w finds the man page of rpi-cross and of cargo-rpi"
if command -v man >/dev/null 2>&1; then
	inst man -w rpi-cross; expect_rc 0; expect_out "/usr/share/man/man1/rpi-cross.1.gz"
	# a link to rpi-cross.1.gz, which man -w may name instead
	inst man -w cargo-rpi; expect_rc 0; expect_out "/usr/share/man/man1/"
	t_end
else
	t_skip "man is not installed"
fi

t_begin "bash-completion loads the installed completions for rpi-cross on demand"
if [ -f /usr/share/bash-completion/bash_completion ]; then
	# bash-completion's loader finds the file by the command's name, as
	# an interactive shell does at the first Tab
	inst bash --norc --noprofile -c '
		. /usr/share/bash-completion/bash_completion
		complete -p rpi-cross >/dev/null 2>&1 && echo "loaded before Tab"
		_completion_loader rpi-cross
		fn=$(complete -p rpi-cross | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
		COMP_WORDS=(rpi-cross bo); COMP_CWORD=1
		COMP_LINE="rpi-cross bo"; COMP_POINT=${#COMP_LINE}
		"$fn" rpi-cross bo rpi-cross
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(rpi-cross setup --board pi5); COMP_CWORD=3
		COMP_LINE="rpi-cross setup --board pi5"; COMP_POINT=${#COMP_LINE}
		"$fn" rpi-cross pi5 --board
		printf "%s\n" "${COMPREPLY[@]}"'
	expect_rc 0
	grep -qx "boards" "$out" || t_fail "'rpi-cross bo<Tab>' does not offer boards"
	grep -qx "pi5" "$out" || t_fail "'--board pi5<Tab>' does not offer pi5"
	expect_no_out "loaded before Tab"
	t_end
else
	t_skip "bash-completion is not installed"
fi

t_begin "zsh's and fish's own search paths hold the installed completions"
if command -v zsh >/dev/null 2>&1; then
	inst zsh -fc 'for d in $fpath; do [ -f $d/_rpi-cross ] && print $d/_rpi-cross; done; true'
	expect_rc 0; expect_out "/usr/share/zsh/vendor-completions/_rpi-cross"
fi
if command -v fish >/dev/null 2>&1; then
	# the clean HOME has no fish config; fish's own paths are used
	inst fish -c 'complete -C "rpi-cross bo"'
	expect_rc 0; expect_out "boards"
fi
t_end

t_begin "the installed wizard finds the package's themes in /usr/share/rpi-cross"
grep -qx /usr/share/rpi-cross/themes/high-contrast.yaml "$T_TMP/files" ||
	t_fail "dpkg -L lists no high-contrast.yaml"
if command -v tmux >/dev/null 2>&1; then
	. "$RPX_TOP/tests/tmuxlib.sh"
	tmux_init rpxdeb 8 40 20
	TM_ENV="HOME=$home XDG_CONFIG_HOME=$home/cfg"
	bin_was=$RPX_BIN
	RPX_BIN=/usr/bin/rpi-cross
	# high-contrast draws on black (background 40), the default does not
	start 100 30 -- --theme high-contrast
	wait_for "Step 1 of 8: Welcome"
	esc=$(printf '\033')
	for _ in $(seq 1 100); do
		tm capture-pane -p -e -t "$S" >"$out"
		grep -q "$esc\\[[0-9;]*40[;m]" "$out" && break
		sleep 0.2
	done
	grep -q "$esc\\[[0-9;]*40[;m]" "$out" || t_fail "high-contrast's black background not drawn"
	keys q; ended 0
	expect_empty_err
	# an unknown one: the warning names the package's folder
	start 100 30 -- --theme absent
	wait_for "Step 1 of 8: Welcome"
	keys q; ended 0
	expect_err "/usr/share/rpi-cross/themes"
	RPX_BIN=$bin_was
else
	echo "# tmux absent: the wizard not started"
fi
t_end

t_begin "apt-get remove --purge removes every file of the package"
remove_pkg >"$out" 2>"$err"; rc=$?
expect_rc 0
rm -f "$marker"
st=$(dpkg-query -W -f='${Status}' rpi-cross 2>/dev/null)
case $st in
*" installed"* | *config-files*) t_fail "dpkg still says '$st'" ;;
esac
# each file and the package's own folders are gone (shared ones stay)
while IFS= read -r f; do
	[ "$f" = "/." ] && continue
	if [ -d "$f" ] && [ ! -L "$f" ]; then
		case $f in
		/usr/share/rpi-cross* | /usr/share/doc/rpi-cross*)
			t_fail "folder $f left" ;;
		esac
	elif [ -e "$f" ] || [ -L "$f" ]; then
		t_fail "$f left"
	fi
done <"$T_TMP/files"
[ -s "$T_TMP/files" ] || t_fail "no file list from dpkg -L"
t_end

t_done
