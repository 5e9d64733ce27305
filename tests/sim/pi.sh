#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# pi.sh - simulated Raspberry Pis: "a Pi in a folder" (an ARM userland run
# by qemu-user through binfmt) behind a private OpenSSH server on loopback.
#
#   pi.sh check                  can this machine simulate a Pi? (prints why
#                                not, exit 1: needs root, binfmt, qemu, sshd)
#   pi.sh setup                  binfmt on, user 'pi', /run/sshd (idempotent)
#   pi.sh build NAME             build /srv/rpi-sim/NAME (rebuilt only when
#                                this script changed); prints the folder
#   pi.sh start DIR NAME [password]
#                                start sshd for Pi NAME on a free loopback
#                                port in 20000-29999; state in DIR (port,
#                                sshd.pid, sshd.log, host key, config)
#   pi.sh rekey DIR NAME         restart it with a new host key, same port
#   pi.sh stop DIR               stop it (by its pid file)
#
# Pis (NAME):
#   pi4       Raspberry Pi 4, 32-bit Raspberry Pi OS bookworm (armhf)
#   pi5       Raspberry Pi 5, 64-bit Raspberry Pi OS bookworm (arm64)
#   pi4-3264  Raspberry Pi 4, 32-bit userland on a 64-bit kernel
#             (uname -m says aarch64)
#   zerow     model says Pi Zero W (ARMv6); the userland is Debian's
#             ARMv7 armhf: a real ARMv6 userland cannot be emulated here
#   pi4-old   Raspberry Pi 4 whose getconf reports glibc 2.31 (bullseye)
#   pi4-ro    Raspberry Pi 4 whose home folder is not writable by pi
#   pi4-full  Raspberry Pi 4 whose home is a 4 MB tmpfs (mounted by start)
#   pi4-bench a copy of pi4 for tests/bench/remote.sh
#   zerow-v6  model says Pi Zero W and the CPU IS an ARMv6 one: its sshd
#             sets QEMU_CPU=arm1176 for every program, so ARMv7 code dies
#             with a real SIGILL. Its only userland is Debian's armel
#             busybox-static (ARMv5: it runs there) as sh and the applets:
#             no glibc, getconf or dpkg (the probe falls back to /bin/sh's
#             ELF class); for static programs.
#
# Pis with development packages (for `sysroot pull` / `sysroot add` and for
# running programs on a real older or newer glibc), each built only from
# real Debian packages of its own release:
#   pi4-dev       Raspberry Pi 4, Raspbian bookworm 12 (armhf), glibc 2.36
#   pi5-dev       Raspberry Pi 5, Debian bookworm 12 (arm64), glibc 2.36
#   pi3-bullseye  Raspberry Pi 3, Raspbian bullseye 11 (armhf), glibc 2.31
#   pi4-trixie    Raspberry Pi 4, Raspbian trixie 13 (armhf), glibc 2.41,
#                 64-bit time_t (the t64 libraries)
# Each holds libc6, libgcc-s1, busybox-static, dash, libc-bin (getconf),
# libc6-dev, libgcc-N-dev (N = that release's gcc: 10, 12, 14), zlib1g-dev,
# libssl-dev, libsqlite3-dev with their runtime libraries, dpkg and apt, and
# everything those depend on (Depends/Pre-Depends, no Recommends: the
# closure apt computes from an empty dpkg status). /var/lib/dpkg/status
# lists exactly those packages with their versions (made from each .deb's
# control file), so `dpkg-query -W` works on the Pi. Debian's own apt runs
# on the Pi: /etc/apt/sources.list is `deb [trusted=yes] file:/srv/apt ./`,
# a local repository (Packages made by dpkg-scanpackages) holding
# libasound2-dev and libudev-dev and whatever of their dependencies is not
# installed; its lists are made at build time by running the Pi's apt-get
# update in the folder (chroot, qemu), so `apt-get download libudev-dev`
# works as user pi over ssh (the build checks it, and dpkg-query, in the
# folder). apt names a download with an epoch like Debian does
# (libcap-dev_1%3a2.75-..._armhf.deb). Nothing else of apt works there.
# Build time measured here (2 cores): 17-42 s each with an empty package
# cache (lists 3 s per suite, about 25-35 MB of .debs), 13-26 s with it;
# a built Pi is reused (stamp) in 0.01 s. pi.sh writes it to .rpi-sim-build-time.
#
# The ARM packages of pi4..pi4-bench are fetched once with apt-get download
# into /var/cache/rpi-sim/debs. Those of the -dev Pis come through a private
# apt configuration (own sources.list naming the host's Debian mirror,
# lists and .deb cache in /var/cache/rpi-sim/<suite>-<arch>/; the host's
# apt sources and state are not touched); RPI_SIM_MIRROR overrides the
# mirror. The test password of 'pi' is PI_PASSWORD below.
set -u
ROOT=${RPI_SIM_ROOT:-/srv/rpi-sim}
CACHE=${RPI_SIM_CACHE:-/var/cache/rpi-sim/debs}
APTROOT=${RPI_SIM_APT:-/var/cache/rpi-sim}
PI_PASSWORD=raspberry-sim
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

die() { echo "pi.sh: $*" >&2; exit 1; }

check() {
	[ "$(id -u)" -eq 0 ] || { echo "needs root (chroot, user pi, sshd)"; return 1; }
	[ -x /usr/sbin/sshd ] || { echo "no /usr/sbin/sshd (openssh-server)"; return 1; }
	command -v update-binfmts >/dev/null 2>&1 ||
		{ echo "no update-binfmts (binfmt-support)"; return 1; }
	[ -x /usr/bin/qemu-arm-static ] || { echo "no qemu-arm-static (qemu-user-static)"; return 1; }
	command -v apt-get >/dev/null 2>&1 || { echo "no apt-get (Debian needed for the ARM userland)"; return 1; }
	return 0
}

setup() {
	why=$(check) || die "$why"
	if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
			die "cannot mount binfmt_misc"
	fi
	for h in qemu-arm qemu-aarch64; do
		[ -e /proc/sys/fs/binfmt_misc/$h ] && grep -q '^enabled' /proc/sys/fs/binfmt_misc/$h && continue
		update-binfmts --enable $h >/dev/null 2>&1 || die "cannot enable binfmt handler $h"
	done
	grep -q 'flags:.*F' /proc/sys/fs/binfmt_misc/qemu-arm ||
		die "binfmt handler qemu-arm lacks the F flag (needed inside a chroot)"
	if ! id pi >/dev/null 2>&1; then
		useradd -M -d /home/pi -s /bin/sh pi || die "cannot create user pi"
	fi
	echo "pi:$PI_PASSWORD" | chpasswd || die "cannot set pi's password"
	mkdir -p /run/sshd && chmod 755 /run/sshd
}

fetch() {
	mkdir -p "$CACHE"
	if ! ls "$CACHE"/*_armhf.deb "$CACHE"/*_arm64.deb >/dev/null 2>&1; then
		# a fresh Debian: let apt see armhf and arm64 packages
		sh "$(dirname "$SELF")/../../scripts/enable-arm-apt.sh" ||
			die "cannot enable the armhf/arm64 package lists"
	fi
	for a in armhf arm64; do
		for p in libc6 libgcc-s1 busybox-static dash libc-bin coreutils; do
			ls "$CACHE"/${p}_*_$a.deb >/dev/null 2>&1 && continue
			(cd "$CACHE" && apt-get download "$p:$a" >/dev/null 2>&1) ||
				die "cannot download $p:$a (apt-get download; armhf/arm64 lists enabled?)"
		done
	done
}

# build_userland DIR ARCH: the ARM userland of a Pi with pi's home.
build_userland() {
	u=$1 a=$2
	for p in libc6 libgcc-s1 busybox-static dash libc-bin; do
		dpkg -x "$(ls "$CACHE"/${p}_*_$a.deb | head -n 1)" "$u" || die "dpkg -x $p:$a failed"
	done
	finish_userland "$u"
}

# finish_userland DIR: merged /usr, sh, busybox applets, /dev, users, home.
finish_userland() {
	u=$1
	# Debian's merged /usr: the loader is looked up in /lib.
	for l in bin lib sbin; do
		if [ -d "$u/$l" ] && [ ! -L "$u/$l" ]; then
			mkdir -p "$u/usr/$l"; cp -a "$u/$l/." "$u/usr/$l/"; rm -rf "${u:?}/$l"
		fi
		mkdir -p "$u/usr/$l"; ln -s usr/$l "$u/$l"
	done
	ln -sf dash "$u/usr/bin/sh"
	# GNU split and tee, as Raspberry Pi OS has them (busybox has no
	# split, and its tee says "I/O error" where GNU's names ENOSPC; they
	# need only libc): delta uploads cut the previous version with split
	# and write the joined file through tee. A Pi of another release has
	# all of its own coreutils (build_dev); the ARMv6 Pi (static programs
	# only) has none.
	if [ ! -e "$u/usr/bin/split" ] && [ -n "${a:-}" ] &&
	    ls "$CACHE"/coreutils_*_"$a".deb >/dev/null 2>&1; then
		mkdir -p "$u/.cu"
		dpkg -x "$(ls "$CACHE"/coreutils_*_"$a".deb | head -n 1)" "$u/.cu" ||
			die "dpkg -x coreutils:$a failed"
		for gnu in split tee; do
			cp "$u/.cu/usr/bin/$gnu" "$u/usr/bin/$gnu" 2>/dev/null ||
				cp "$u/.cu/bin/$gnu" "$u/usr/bin/$gnu" ||
				die "no $gnu in coreutils:$a"
		done
		rm -rf "${u:?}/.cu"
	fi
	for app in cat chmod mkdir mv rm ls uname df head tail od dd sha256sum md5sum \
	    stat sleep printf echo test true false tr wc cut sed grep env id \
	    kill sync find ln touch tee sort uniq awk expr basename dirname \
	    gzip tar stty; do
		[ -e "$u/usr/bin/$app" ] || ln -s busybox "$u/usr/bin/$app"
	done
	mkdir -p "$u/dev" "$u/tmp" "$u/etc" "$u/proc/device-tree" "$u/home/pi"
	chmod 1777 "$u/tmp"
	mknod -m 666 "$u/dev/null" c 1 3
	mknod -m 666 "$u/dev/zero" c 1 5
	mknod -m 666 "$u/dev/urandom" c 1 9
	uid=$(id -u pi) gid=$(id -g pi)
	printf 'root:x:0:0:root:/root:/bin/sh\npi:x:%s:%s:,,,:/home/pi:/bin/sh\n' "$uid" "$gid" >"$u/etc/passwd"
	printf 'root:x:0:\npi:x:%s:\n' "$gid" >"$u/etc/group"
	chown "$uid:$gid" "$u/home/pi"
	chmod 755 "$u/home/pi"
}

# The Debian mirror the host's apt uses (first non-security URI).
mirror() {
	if [ -n "${RPI_SIM_MIRROR:-}" ]; then echo "$RPI_SIM_MIRROR"; return 0; fi
	m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		sed -n 's/^URIs:[[:space:]]*//p' | tr ' \t' '\n\n' | grep '^http' |
		grep -v security | head -n 1)
	[ -n "$m" ] || m=$(cat /etc/apt/sources.list 2>/dev/null | tr '\t' ' ' |
		sed -n 's/^deb \(\[[^]]*\] \)*\(http[^ ]*\).*/\2/p' | grep -v security |
		head -n 1)
	echo "${m:-http://deb.debian.org/debian}"
}

# papt SUITE ARCH STATUS APT-GET-ARGS...: the host's apt-get with a private
# configuration for SUITE/ARCH (sources, lists, cache, dpkg status), so the
# host's own apt sources and state are left as they are.
papt() {
	pd=$APTROOT/$1-$2 pa=$2 ps=$3
	shift 3
	apt-get -q -o Dir::Etc::SourceList="$pd/sources.list" \
	    -o Dir::Etc::SourceParts=/dev/null -o Dir::Etc::Preferences=/dev/null \
	    -o Dir::Etc::PreferencesParts=/dev/null -o Dir::State="$pd/state" \
	    -o Dir::State::Lists="$pd/lists" -o Dir::State::status="$ps" \
	    -o Dir::Cache="$pd/cache" -o APT::Architecture="$pa" \
	    -o APT::Architectures::="$pa" -o Acquire::Languages=none \
	    -o APT::Install-Recommends=false -o APT::Install-Suggests=false \
	    -o Debug::NoLocking=true "$@"
}

# papt_update SUITE ARCH: fetch SUITE's package lists once (retried: a
# mirror in sync fails for a while); later builds reuse them.
papt_update() {
	pd=$APTROOT/$1-$2
	n=0
	until papt "$1" "$2" "$pd/empty-status" update >"$pd/update.log" 2>&1; do
		n=$((n + 1))
		[ $n -ge 4 ] && return 1
		sleep $((n * 5))
	done
	touch "$pd/lists/.fetched"
}

# papt_init SUITE ARCH: the private apt folder of SUITE/ARCH, with lists.
papt_init() {
	pd=$APTROOT/$1-$2
	mkdir -p "$pd/lists/partial" "$pd/cache/archives/partial" "$pd/state"
	[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] ||
		die "no /usr/share/keyrings/debian-archive-keyring.gpg (debian-archive-keyring)"
	src="deb [arch=$2 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(mirror) $1 main"
	if [ "$(cat "$pd/sources.list" 2>/dev/null)" != "$src" ]; then
		echo "$src" >"$pd/sources.list"
		rm -f "$pd/lists/.fetched"
	fi
	: >"$pd/empty-status"
	[ -f "$pd/lists/.fetched" ] && return 0
	papt_update "$1" "$2" || die "apt-get update for $1/$2 failed (see $pd/update.log)"
}

# papt_fetch SUITE ARCH STATUS PKG...: download PKG and what it needs that
# STATUS (a dpkg status file) does not have; prints the .deb paths, one a
# line. Serialised per SUITE/ARCH: other builds share the cache.
papt_fetch() {
	s=$1 a=$2 st=$3
	shift 3
	pd=$APTROOT/$s-$a
	(
		flock 9 || exit 1
		papt "$s" "$a" "$st" -s install "$@" >"$pd/plan" 2>&1 ||
			{ cat "$pd/plan" >&2; exit 1; }
		if ! papt "$s" "$a" "$st" -y --download-only install "$@" >"$pd/fetch.log" 2>&1
		then
			# the lists may name versions the mirror no longer has
			papt_update "$s" "$a" || exit 1
			papt "$s" "$a" "$st" -s install "$@" >"$pd/plan" 2>&1 || exit 1
			papt "$s" "$a" "$st" -y --download-only install "$@" >"$pd/fetch.log" 2>&1 ||
				{ cat "$pd/fetch.log" >&2; exit 1; }
		fi
		sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*\[\([a-z0-9]*\)\])[^(]*$/\1 \2 \3/p' \
		    "$pd/plan" | while read -r p v pa; do
			f=$pd/cache/archives/${p}_$(echo "$v" | sed 's/:/%3a/')_$pa.deb
			[ -f "$f" ] || { echo "pi.sh: $f missing after download" >&2; exit 1; }
			echo "$f"
		done
	) 9>"$pd/.lock"
}

# dpkg_status DEB...: a dpkg status file listing those packages installed.
dpkg_status() {
	for f in "$@"; do
		dpkg-deb -f "$f" >"$f.ctl.$$" || return 1
		printf 'Package: %s\nStatus: install ok installed\n' \
			"$(sed -n 's/^Package: //p' "$f.ctl.$$")"
		grep -v '^Package:' "$f.ctl.$$"
		echo
		rm -f "$f.ctl.$$"
	done
}

# build_dev DIR SUITE ARCH GCC: a -dev Pi's userland from SUITE's packages,
# with a dpkg status, apt and the local repository /srv/apt.
build_dev() {
	u=$1 s=$2 a=$3 gcc=$4
	command -v dpkg-scanpackages >/dev/null 2>&1 ||
		die "no dpkg-scanpackages (dpkg-dev)"
	command -v flock >/dev/null 2>&1 || die "no flock (util-linux)"
	papt_init "$s" "$a"
	pd=$APTROOT/$s-$a
	debs=$(papt_fetch "$s" "$a" "$pd/empty-status" libc6 libgcc-s1 busybox-static dash \
	    libc-bin libc6-dev "libgcc-$gcc-dev" zlib1g-dev libssl-dev libsqlite3-dev \
	    dpkg apt coreutils) || die "cannot fetch the $s/$a packages (see $pd/fetch.log)"
	for f in $debs; do
		dpkg -x "$f" "$u" || die "dpkg -x $f failed"
	done
	mkdir -p "$u/var/lib/dpkg/info" "$u/var/lib/dpkg/updates" "$u/var/lib/dpkg/triggers"
	# shellcheck disable=SC2086
	dpkg_status $debs >"$u/var/lib/dpkg/status" || die "cannot read the packages' control files"
	echo "$a" >"$u/var/lib/dpkg/arch"
	: >"$u/var/lib/dpkg/available"
	finish_userland "$u"
	# the local repository: what libasound2-dev and libudev-dev need and the
	# Pi does not have
	extra=$(papt_fetch "$s" "$a" "$u/var/lib/dpkg/status" libasound2-dev libudev-dev) ||
		die "cannot fetch the $s/$a repository packages (see $pd/fetch.log)"
	mkdir -p "$u/srv/apt"
	for f in $extra; do
		# named as in Debian's pool (no epoch: apt's file: method would
		# decode apt's own %3a)
		cp "$f" "$u/srv/apt/$(basename "$f" | sed 's/_[0-9]*%3a/_/')" || die "cp $f failed"
	done
	(cd "$u/srv/apt" && dpkg-scanpackages --multiversion . /dev/null >Packages 2>/dev/null &&
	    gzip -9nk Packages) ||
		die "dpkg-scanpackages failed"
	mkdir -p "$u/etc/apt/apt.conf.d" "$u/etc/apt/sources.list.d" "$u/etc/apt/preferences.d" \
	    "$u/var/lib/apt/lists/partial" "$u/var/cache/apt/archives/partial" "$u/var/log/apt"
	echo 'deb [trusted=yes] file:/srv/apt ./' >"$u/etc/apt/sources.list"
	cat >"$u/etc/apt/apt.conf.d/50rpi-sim" <<'APT'
Acquire::Languages "none";
APT::Sandbox::User "root";
APT
	chroot "$u" /usr/bin/apt-get -q update >"$u/.apt-update.log" 2>&1 ||
		die "apt-get update inside the Pi failed: $(tail -n 5 "$u/.apt-update.log")"
	chmod -R a+rX "$u/var/lib/apt/lists" "$u/srv/apt"
	chroot "$u" /usr/bin/dpkg-query -W libc6 >/dev/null 2>&1 ||
		die "dpkg-query does not work inside the Pi"
	chroot --userspec="$(id -u pi):$(id -g pi)" "$u" /bin/sh -c \
	    'cd /tmp && apt-get -q download libudev-dev && rm -f libudev-dev_*.deb' \
	    >"$u/.apt-download.log" 2>&1 ||
		die "apt-get download as pi fails inside the Pi: $(tail -n 3 "$u/.apt-download.log")"
}

os_release() {
	# os_release DIR ID CODENAME VERSION
	cat >"$1/etc/os-release" <<EOF
PRETTY_NAME="$( [ "$2" = raspbian ] && echo Raspbian || echo Debian) GNU/Linux $4 ($3)"
NAME="$( [ "$2" = raspbian ] && echo Raspbian || echo Debian) GNU/Linux"
VERSION_ID="$4"
VERSION="$4 ($3)"
VERSION_CODENAME=$3
ID=$2
ID_LIKE=debian
EOF
}

build() {
	name=$1
	stamp=$(cksum <"$SELF" | cut -d' ' -f1)
	d=$ROOT/$name
	if [ -f "$d/.rpi-sim-stamp" ] && [ "$(cat "$d/.rpi-sim-stamp")" = "$stamp" ]; then
		echo "$d"; return 0
	fi
	suite=
	case $name in
	pi5) arch=arm64 ;;
	pi4|pi4-bench|pi4-3264|zerow|pi4-old|pi4-ro|pi4-full) arch=armhf ;;
	pi4-dev) arch=armhf suite=bookworm gcc=12 ;;
	pi5-dev) arch=arm64 suite=bookworm gcc=12 ;;
	pi3-bullseye) arch=armhf suite=bullseye gcc=10 ;;
	pi4-trixie) arch=armhf suite=trixie gcc=14 ;;
	zerow-v6) arch=armel ;;
	*) die "unknown simulated Pi '$name'" ;;
	esac
	t0=$(date +%s)
	mkdir -p "$ROOT"; chown root:root "$ROOT"; chmod 755 "$ROOT"
	tmp=$ROOT/.$name.new.$$
	rm -rf "$tmp"; mkdir -m 755 "$tmp"
	if [ -n "$suite" ]; then
		build_dev "$tmp" $suite $arch $gcc
	elif [ $arch = armel ]; then
		papt_init bookworm armel
		bb=$(papt_fetch bookworm armel "$APTROOT/bookworm-armel/empty-status" \
		    busybox-static) || die "cannot fetch busybox-static:armel"
		for f in $bb; do dpkg -x "$f" "$tmp" || die "dpkg -x $f failed"; done
		finish_userland "$tmp"
		ln -sf busybox "$tmp/usr/bin/sh"
	else
		fetch
		build_userland "$tmp" $arch
	fi
	model="Raspberry Pi 4 Model B Rev 1.4"
	case $name in
	pi4-dev)
		os_release "$tmp" raspbian bookworm 12 ;;
	pi5-dev)
		model="Raspberry Pi 5 Model B Rev 1.0"
		os_release "$tmp" debian bookworm 12 ;;
	pi3-bullseye)
		model="Raspberry Pi 3 Model B Rev 1.2"
		os_release "$tmp" raspbian bullseye 11 ;;
	pi4-trixie)
		os_release "$tmp" raspbian trixie 13 ;;
	pi5)
		model="Raspberry Pi 5 Model B Rev 1.0"
		os_release "$tmp" debian bookworm 12 ;;
	zerow-v6)
		model="Raspberry Pi Zero W Rev 1.1"
		os_release "$tmp" raspbian bookworm 12 ;;
	zerow)
		model="Raspberry Pi Zero W Rev 1.1"
		os_release "$tmp" raspbian bookworm 12
		uname_m=armv6l ;;
	pi4-3264)
		os_release "$tmp" raspbian bookworm 12
		uname_m=aarch64 ;;
	pi4-old)
		os_release "$tmp" raspbian bullseye 11
		mv "$tmp/usr/bin/getconf" "$tmp/usr/bin/getconf.real"
		cat >"$tmp/usr/bin/getconf" <<'EOF'
#!/bin/sh
[ "$1" = GNU_LIBC_VERSION ] && { echo "glibc 2.31"; exit 0; }
exec /usr/bin/getconf.real "$@"
EOF
		chmod 755 "$tmp/usr/bin/getconf" ;;
	*)
		os_release "$tmp" raspbian bookworm 12 ;;
	esac
	if [ -n "${uname_m:-}" ]; then
		rm -f "$tmp/usr/bin/uname"
		cat >"$tmp/usr/bin/uname" <<EOF
#!/bin/sh
[ "\$1" = -m ] && { echo $uname_m; exit 0; }
exec /bin/busybox uname "\$@"
EOF
		chmod 755 "$tmp/usr/bin/uname"
	fi
	# for df: no proc is mounted in the folder
	echo '/dev/root / ext4 rw 0 0' >"$tmp/proc/mounts"
	[ "$name" = pi4-full ] && echo 'tmpfs /home/pi tmpfs rw 0 0' >>"$tmp/proc/mounts"
	# the firmware's string ends in a NUL
	printf '%s\0' "$model" >"$tmp/proc/device-tree/model"
	[ "$name" = pi4-ro ] && chown root:root "$tmp/home/pi"
	echo "$stamp" >"$tmp/.rpi-sim-stamp"
	echo "$(($(date +%s) - t0)) s" >"$tmp/.rpi-sim-build-time"
	if [ -d "$d" ]; then
		umount "$d/home/pi" 2>/dev/null
		rm -rf "$d.old"; mv "$d" "$d.old"
	fi
	mv "$tmp" "$d" || die "cannot move the new Pi folder into place"
	rm -rf "$d.old"
	echo "$d"
}

free_port() {
	# a port in 20000-29999 nobody listens on (sshd re-checks by binding)
	while :; do
		p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 10000 ))
		if command -v ss >/dev/null 2>&1; then
			ss -ltnH "sport = :$p" 2>/dev/null | grep -q . && continue
		fi
		echo $p; return 0
	done
}

write_config() {
	dir=$1 name=$2 port=$3 pw=$4
	cat >"$dir/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
UsePAM no
StrictModes no
PasswordAuthentication $pw
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowUsers pi
LogLevel VERBOSE
Subsystem sftp internal-sftp
EOF
	# an ARMv6 CPU for every program of that Pi (qemu-user reads it)
	[ "$name" = zerow-v6 ] && echo 'SetEnv QEMU_CPU=arm1176' >>"$dir/sshd_config"
	cat >>"$dir/sshd_config" <<EOF
Match User pi
	ChrootDirectory $ROOT/$name
EOF
}

start() {
	dir=$1 name=$2 pw=${3:-no}
	[ -d "$ROOT/$name" ] || die "Pi '$name' not built (pi.sh build $name)"
	chmod 755 "$dir"
	[ -f "$dir/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key" || die "ssh-keygen failed"
	touch "$dir/authorized_keys"; chmod 644 "$dir/authorized_keys"
	if [ "$name" = pi4-full ] && ! mountpoint -q "$ROOT/$name/home/pi"; then
		mount -t tmpfs -o size=4m,mode=755,uid=$(id -u pi),gid=$(id -g pi) tmpfs "$ROOT/$name/home/pi" ||
			die "cannot mount a tmpfs on $ROOT/$name/home/pi"
	fi
	n=0
	while [ $n -lt 20 ]; do
		port=${RPI_SIM_PORT:-$(free_port)}
		write_config "$dir" "$name" "$port" "$pw"
		if /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"; then
			echo "$port" >"$dir/port"; echo "$name" >"$dir/name"
			# wait until it accepts connections
			i=0
			while [ $i -lt 50 ] && [ ! -s "$dir/sshd.pid" ]; do sleep 0.05; i=$((i + 1)); done
			echo "$port"; return 0
		fi
		[ -n "${RPI_SIM_PORT:-}" ] && break
		n=$((n + 1))
	done
	die "cannot start sshd (see $dir/sshd.log)"
}

stop() {
	dir=$1
	if [ -f "$dir/sshd.pid" ]; then
		pid=$(cat "$dir/sshd.pid")
		[ -n "$pid" ] && kill "$pid" 2>/dev/null
		i=0
		while [ $i -lt 50 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
		rm -f "$dir/sshd.pid"
	fi
	if [ -f "$dir/name" ] && [ "$(cat "$dir/name")" = pi4-full ]; then
		umount "$ROOT/pi4-full/home/pi" 2>/dev/null
	fi
	return 0
}

rekey() {
	dir=$1 name=$2
	port=$(cat "$dir/port")
	stop "$dir"
	rm -f "$dir/host_key" "$dir/host_key.pub"
	RPI_SIM_PORT=$port start "$dir" "$name" "$(sed -n 's/^PasswordAuthentication //p' "$dir/sshd_config")" >/dev/null
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
check) check ;;
setup) setup ;;
build) [ $# -eq 1 ] || die "usage: pi.sh build NAME"; build "$1" ;;
start) [ $# -ge 2 ] || die "usage: pi.sh start DIR NAME [yes|no]"; start "$@" ;;
rekey) [ $# -eq 2 ] || die "usage: pi.sh rekey DIR NAME"; rekey "$@" ;;
stop) [ $# -eq 1 ] || die "usage: pi.sh stop DIR"; stop "$1" ;;
*) die "usage: pi.sh check|setup|build|start|rekey|stop ..." ;;
esac
