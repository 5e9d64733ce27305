#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# enable-arm-apt.sh - let apt fetch armhf and arm64 packages (for the ARM
# Rust std and the simulated Pi's userland). Idempotent; root only. An
# `apt-get update` can fail while a mirror syncs: retry, and go on when the
# ARM package lists are already there.
set -u
[ "$(id -u)" -eq 0 ] || { echo "enable-arm-apt: needs root" >&2; exit 1; }
have_lists() {
	apt-cache policy libc6:armhf 2>/dev/null | grep -q 'Candidate: [0-9]' &&
	apt-cache policy libc6:arm64 2>/dev/null | grep -q 'Candidate: [0-9]'
}
archs=$(dpkg --print-foreign-architectures)
added=0
for a in armhf arm64; do
	case " $(echo $archs) " in *" $a "*) ;; *) dpkg --add-architecture "$a"; added=1 ;; esac
done
if [ $added -eq 0 ] && have_lists; then
	exit 0
fi
n=0
until apt-get update -q >/dev/null 2>&1; do
	n=$((n + 1))
	if [ $n -ge 4 ]; then
		have_lists && exit 0
		echo "enable-arm-apt: apt-get update keeps failing" >&2
		exit 1
	fi
	sleep $((n * 5))
done
have_lists
