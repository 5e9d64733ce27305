#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# benchlib.sh - what the benchmarks that talk to a simulated Pi
# (tests/sim/pi.sh) share; sourced by tests/bench/*.sh after RPX_TOP and
# RPX_BIN are set. It sets SIM (the path of pi.sh) and ROOT (the Pis'
# root folders).
#
#   bench_need CMD...    skip the benchmark (exit 0, saying why) when a
#                        command is missing
#   bench_pis PI...      skip when this machine cannot simulate a Pi; else
#                        set the simulation up and build those Pis
#   bench_client DIR     a client in $W/DIR: an ed25519 key, empty
#                        known_hosts and config; sets W_SSH (that .ssh)
#   bench_pi_plus NAME "DEBS" [HOOK]
#                        $ROOT/NAME: a copy of pi4-bench with those armhf
#                        packages unpacked into it (merged /usr), HOOK DIR
#                        run on it before it is put in place; rebuilt when
#                        pi4-bench is; else 1 with the reason in BENCH_WHY
#   bench_start_pi SRV PI [ALIAS]
#                        an sshd for PI with its state in $W/SRV and the
#                        client's key authorised; its port in PORT, its
#                        host key added to known_hosts and, with ALIAS, a
#                        Host ALIAS entry in the client's ssh config

SIM="$RPX_TOP/tests/sim/pi.sh"
ROOT=${RPI_SIM_ROOT:-/srv/rpi-sim}

bench_need() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || { echo "skipped: no $_c"; exit 0; }
	done
}

bench_pis() {
	_why=$(sh "$SIM" check) || { echo "skipped: $_why"; exit 0; }
	sh "$SIM" setup >/dev/null || exit 1
	for _p in "$@"; do
		sh "$SIM" build "$_p" >/dev/null || exit 1
	done
}

bench_client() {
	W_SSH="$W/$1/.ssh"
	mkdir -p "$W_SSH"
	ssh-keygen -q -t ed25519 -N '' -f "$W_SSH/id_ed25519"
	: >"$W_SSH/known_hosts"
	: >"$W_SSH/config"
}

bench_start_pi() {
	mkdir -p "$W/$1"
	cp "$W_SSH/id_ed25519.pub" "$W/$1/authorized_keys"
	PORT=$(sh "$SIM" start "$W/$1" "$2") || exit 1
	printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$W/$1/host_key.pub")" \
		>>"$W_SSH/known_hosts"
	[ -n "${3:-}" ] || return 0
	printf 'Host %s\n\tHostName 127.0.0.1\n\tPort %s\n\tUser pi\n\tIdentityFile %s\n\tUserKnownHostsFile %s\n\tStrictHostKeyChecking yes\n\tBatchMode yes\n' \
		"$3" "$PORT" "$W_SSH/id_ed25519" "$W_SSH/known_hosts" >>"$W_SSH/config"
}

bench_pi_plus() {
	_cache=${RPI_SIM_CACHE:-/var/cache/rpi-sim/debs}
	_src="$ROOT/pi4-bench" _dst="$ROOT/$1"
	if [ -d "$_dst" ] && cmp -s "$_src/.rpi-sim-stamp" "$_dst/.rpi-sim-stamp"; then
		return 0
	fi
	for _p in $2; do
		ls "$_cache"/${_p}_*_armhf.deb >/dev/null 2>&1 && continue
		(cd "$_cache" && apt-get download "$_p:armhf" >/dev/null 2>&1) ||
			{ BENCH_WHY="cannot download $_p:armhf"; return 1; }
	done
	rm -rf "$_dst.tmp"
	cp -a "$_src" "$_dst.tmp" || { BENCH_WHY="cannot copy pi4-bench"; return 1; }
	rm -rf "$_dst.tmp/home/pi/.cache"
	for _p in $2; do
		dpkg -x "$(ls "$_cache"/${_p}_*_armhf.deb | head -n 1)" "$_dst.tmp/.x" ||
			{ BENCH_WHY="dpkg -x $_p failed"; return 1; }
	done
	# the Pi's merged /usr: the packages' /lib and /bin go under usr/
	for _l in bin lib sbin; do
		[ -d "$_dst.tmp/.x/$_l" ] && cp -a "$_dst.tmp/.x/$_l/." "$_dst.tmp/usr/$_l/"
	done
	cp -a "$_dst.tmp/.x/usr/." "$_dst.tmp/usr/"
	rm -rf "$_dst.tmp/.x"
	[ -z "${3:-}" ] || "$3" "$_dst.tmp" || { BENCH_WHY="$3 failed"; return 1; }
	rm -rf "$_dst"
	mv "$_dst.tmp" "$_dst"
}
