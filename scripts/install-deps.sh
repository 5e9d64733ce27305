#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# install-deps.sh build|test|shots - install what rpi-cross needs to build or to
# run its tests, using the host's package manager. Installs only what is
# missing; prints the exact packages and stops where it cannot install.
set -u
what=${1:-build}

deb_build="build-essential pkg-config libncurses-dev libyaml-dev libssh-dev
 libssl-dev libarchive-dev"
deb_test="$deb_build libcmocka-dev python3 mandoc tmux valgrind clang lld
 llvm libclang-rt-14-dev hyperfine openssh-server openssh-client
 qemu-user-static binfmt-support gcc-arm-linux-gnueabihf
 libc6-dev-armhf-cross gcc-aarch64-linux-gnu libc6-dev-arm64-cross
 binutils-arm-linux-gnueabihf python3-tomlkit rustc cargo iproute2 file
 busybox-static procps zsh fish dpkg-dev debian-archive-keyring rsync
 debhelper lintian bash-completion man-db ruby"
# Rust crates with C libraries, as source, for tests/suite/crates.sh
deb_test="$deb_test librust-openssl-sys-dev librust-libsqlite3-sys-dev
 librust-libz-sys-dev librust-pkg-config-dev librust-cc-dev"
deb_shots="tmux aha chromium"
brew_build="pkg-config ncurses libyaml libssh openssl@3 libarchive"
brew_test="$brew_build cmocka mandoc tmux hyperfine fish"
brew_shots="tmux aha"

say() { printf 'install-deps: %s\n' "$*"; }

case $what in
build) deb=$deb_build; brew=$brew_build ;;
test)  deb=$deb_test;  brew=$brew_test ;;
shots) deb=$deb_shots; brew=$brew_shots ;;
*) say "usage: install-deps.sh build|test|shots"; exit 2 ;;
esac

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
	missing=
	for p in $deb; do
		# a package is there when dpkg says "install ok installed"
		st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
		case $st in *"ok installed") ;; *) missing="$missing $p" ;; esac
	done
	[ -z "$missing" ] && exit 0
	if [ "$(id -u)" -eq 0 ]; then
		sudo=
	elif command -v sudo >/dev/null 2>&1; then
		sudo=sudo
	else
		say "missing Debian packages:$missing"
		say "install them as root: apt-get install$missing"
		[ "$what" = test ] && { say "continuing; tests that need them will be skipped"; exit 0; }
		exit 1
	fi
	say "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# A mirror in the middle of a sync can fail an update; retry, and go
	# on when the lists are already there.
	n=0
	until $sudo apt-get update -q >/dev/null; do
		n=$((n + 1))
		[ $n -ge 3 ] && { say "apt-get update failed; trying with the lists at hand"; break; }
		sleep 5
	done
	# shellcheck disable=SC2086
	$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null || {
		say "apt-get install failed for:$missing"
		exit 1
	}
	exit 0
fi

if command -v brew >/dev/null 2>&1; then
	for p in $brew; do
		brew list --versions "$p" >/dev/null 2>&1 || brew install "$p" || exit 1
	done
	exit 0
fi

say "unknown package manager. Install these (names as on Debian):"
say "  $deb"
say "then run make again."
exit 1
