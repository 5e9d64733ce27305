#!/bin/sh
# simlib.sh - what the suites that talk to the simulated Pis
# (tests/sim/pi.sh) share; sourced after tests/lib.sh. The suite sets SIM
# (the path of pi.sh), W (its work folder, inside $T_TMP) and SERVERS
# (empty), and stops $SERVERS in its cleanup (sim_stop_all).
#
#   sim_prepare PI...  can this machine simulate a Pi? then set up and build
#                      those Pis; on failure prints why and returns 1
#   sim_client         the client side: TO (the SSH timeout, longer under a
#                      wrapper such as valgrind) and $HOME_C with a key
#   start_pi DIR PI [yes]  an sshd in front of PI in $W/DIR with $HOME_C's
#                      key authorised (yes: password logins too); its port
#                      in PORT
#   sim_stop_all       stop every sshd start_pi started

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
	cp "$HOME_C/.ssh/id_ed25519.pub" "$W/$1/authorized_keys"
	PORT=$(sh "$SIM" start "$W/$1" "$2" "${3:-no}") || {
		echo "cannot start sshd for $2"; cat "$W/$1/sshd.log"; exit 1; }
	SERVERS="$SERVERS $W/$1"
}

sim_stop_all() {
	for s in $SERVERS; do sh "$SIM" stop "$s" >/dev/null 2>&1; done
	SERVERS=
}
