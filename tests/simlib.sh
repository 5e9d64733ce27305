#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# simlib.sh - what the suites that talk to the simulated Pis
# (tests/sim/pi.sh) share; sourced at the top of the suite, after
# tests/lib.sh. It sets SIM (the path of pi.sh), ROOT (the Pis' root
# folders), W (the work folder, inside $T_TMP) and SERVERS, and stops
# every sshd start_pi started when the suite exits (t_on_exit).
#
#   sim_prepare PI...  can this machine simulate a Pi? then set up and build
#                      those Pis; on failure prints why and returns 1
#   sim_client         the client side: TO (the SSH timeout, longer under a
#                      wrapper such as valgrind) and $HOME_C with a key
#   start_pi DIR PI [yes [nokey]]  an sshd in front of PI in $W/DIR with
#                      $HOME_C's key authorised (yes: password logins too;
#                      nokey: the key not authorised); its port in PORT
#   sim_stop_all       stop every sshd start_pi started (done at exit)
#   sim_rm_cached GLOB...  remove the files this run left in the Pis'
#                      ~/.cache/rpi-cross/*/ and the working folders in
#                      ~/.cache/rpi-cross/work/ (done by the suite at exit)

# sourced once (rustsim.sh sources it too)
[ -n "${RPX_SIMLIB:-}" ] && return 0
RPX_SIMLIB=1

SIM="$RPX_TOP/tests/sim/pi.sh"
ROOT=${RPI_SIM_ROOT:-/srv/rpi-sim}
W="$T_TMP/w"
SERVERS=

sim_prepare() {
	why=$(sh "$SIM" check) || { echo "$why"; return 1; }
	why=$(sh "$SIM" setup 2>&1) ||
		{ echo "cannot set up the simulation: $why"; return 1; }
	for pi in "$@"; do
		why=$(sh "$SIM" build "$pi" 2>&1) ||
			{ echo "cannot build Pi '$pi': $why"; return 1; }
	done
	return 0
}

sim_client() {
	TO=10
	[ -n "$RPX_WRAP" ] && TO=60
	chmod 755 "$T_TMP"
	HOME_C="$W/home"
	mkdir -p "$HOME_C/.ssh"
	chmod 755 "$W"
	ssh-keygen -q -t ed25519 -N '' -f "$HOME_C/.ssh/id_ed25519"
}

start_pi() {
	mkdir -p "$W/$1"
	if [ "${4:-}" = nokey ]; then
		: >"$W/$1/authorized_keys"
	else
		cp "$HOME_C/.ssh/id_ed25519.pub" "$W/$1/authorized_keys"
	fi
	PORT=$(sh "$SIM" start "$W/$1" "$2" "${3:-no}") || {
		echo "cannot start sshd for $2"; cat "$W/$1/sshd.log"; exit 1; }
	SERVERS="$SERVERS $W/$1"
}

sim_stop_all() {
	for s in $SERVERS; do sh "$SIM" stop "$s" >/dev/null 2>&1; done
	SERVERS=
}
t_on_exit sim_stop_all

sim_rm_cached() {
	for g in "$@"; do
		for f in "$ROOT"/*/home/pi/.cache/rpi-cross/*/$g; do
			[ -f "$f" ] || continue
			rm -f "$f"; rmdir "${f%/*}" 2>/dev/null
		done
		# and a project's working folder of that name (run)
		for f in "$ROOT"/*/home/pi/.cache/rpi-cross/work/$g; do
			[ -d "$f" ] && rm -rf "$f"
		done
	done
	:
}
