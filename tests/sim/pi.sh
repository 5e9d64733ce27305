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
#
# The ARM packages are fetched once with apt-get download into
# /var/cache/rpi-sim/debs. The test password of 'pi' is PI_PASSWORD below.
set -u
ROOT=${RPI_SIM_ROOT:-/srv/rpi-sim}
CACHE=${RPI_SIM_CACHE:-/var/cache/rpi-sim/debs}
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
		for p in libc6 libgcc-s1 busybox-static dash libc-bin; do
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
	# Debian's merged /usr: the loader is looked up in /lib.
	for l in bin lib sbin; do
		if [ -d "$u/$l" ] && [ ! -L "$u/$l" ]; then
			mkdir -p "$u/usr/$l"; cp -a "$u/$l/." "$u/usr/$l/"; rm -rf "${u:?}/$l"
		fi
		mkdir -p "$u/usr/$l"; ln -s usr/$l "$u/$l"
	done
	ln -sf dash "$u/usr/bin/sh"
	for app in cat chmod mkdir mv rm ls uname df head tail od dd sha256sum \
	    stat sleep printf echo test true false tr wc cut sed grep env id \
	    kill sync find ln touch tee sort uniq awk expr basename dirname stty; do
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
	case $name in
	pi5) arch=arm64 ;;
	pi4|pi4-bench|pi4-3264|zerow|pi4-old|pi4-ro|pi4-full) arch=armhf ;;
	*) die "unknown simulated Pi '$name'" ;;
	esac
	fetch
	mkdir -p "$ROOT"; chown root:root "$ROOT"; chmod 755 "$ROOT"
	tmp=$ROOT/.$name.new.$$
	rm -rf "$tmp"; mkdir -m 755 "$tmp"
	build_userland "$tmp" $arch
	model="Raspberry Pi 4 Model B Rev 1.4"
	case $name in
	pi5)
		model="Raspberry Pi 5 Model B Rev 1.0"
		os_release "$tmp" debian bookworm 12 ;;
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
