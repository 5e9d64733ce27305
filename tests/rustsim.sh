#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# rustsim.sh - what the suites that build with Debian's Rust and run on
# the simulated Pis (tests/sim/pi.sh) share; sourced at the top of the
# suite, after tests/lib.sh (it brings tests/simlib.sh: SIM, W, SERVERS,
# the servers stopped at exit). The suite sets ARMV7 and A64 and defines
# skip_all REASON. rustsim_setup PI... checks the toolchains,
# builds those Pis and makes the client side: $HOME_C with a key,
# $W/bin (Debian's cargo and rustc, and rpi-cross as Cargo's runner finds
# it, wrapped like the suite's binary; RUNNER: how setup names it), TPATH
# and TO (SSH timeout); then
# c ARGS runs rpi-cross as that user and start_pi DIR PI starts an sshd
# in front of a Pi (its port in PORT; tests/simlib.sh).

. "$RPX_TOP/tests/simlib.sh"

rustsim_setup() {
	for tool in arm-linux-gnueabihf-gcc aarch64-linux-gnu-gcc; do
		command -v $tool >/dev/null 2>&1 || skip_all "no $tool"
	done
	[ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] ||
		skip_all "no Debian rustc/cargo in /usr/bin (apt install rustc cargo)"
	for t in $ARMV7 $A64; do
		[ -d "/usr/lib/rustlib/$t/lib" ] ||
			skip_all "no $t std for /usr/bin/rustc (scripts/setup-rust-arm.sh)"
	done
	out_setup=$(sim_prepare "$@") || skip_all "$out_setup"

	sim_client
	mkdir -p "$W/bin" "$W/cargo" "$W/tmp" "$W/cwd" "$W/xdg"
	# Debian's cargo and rustc (they have the ARM std), and rpi-cross itself
	# on PATH as the runner finds it. The sanitizer or valgrind wrapper, when
	# the suite runs under one, wraps the runner too.
	ln -s /usr/bin/cargo "$W/bin/cargo"
	ln -s /usr/bin/rustc "$W/bin/rustc"
	# RUNNER is how setup names rpi-cross in the runner it writes: the bare
	# name when PATH finds this very binary, else its absolute path (PATH
	# then finds the wrapper, another file).
	if [ -n "$RPX_WRAP" ]; then
		printf '#!/bin/sh\nexec %s %s "$@"\n' "$RPX_WRAP" "$RPX_BIN" >"$W/bin/rpi-cross"
		chmod 755 "$W/bin/rpi-cross"
		RUNNER=$(realpath "$RPX_BIN")
	else
		ln -s "$RPX_BIN" "$W/bin/rpi-cross"
		RUNNER=rpi-cross
	fi
	TPATH="$W/bin:$PATH"

	# c ARGS: rpi-cross in $RPX_CWD (default $W/cwd) with the test's HOME,
	# CARGO_HOME, TMPDIR, PATH and XDG_CONFIG_HOME.
	c() {
		_here=$PWD
		cd "${RPX_CWD:-$W/cwd}" || exit 1
		rpx_env HOME="$HOME_C" CARGO_HOME="$W/cargo" TMPDIR="$W/tmp" PATH="$TPATH" \
			RPI_CROSS_HOST= XDG_CONFIG_HOME="$W/xdg" -- "$@"
		cd "$_here" || exit 1
	}
}
