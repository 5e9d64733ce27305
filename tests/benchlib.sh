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
