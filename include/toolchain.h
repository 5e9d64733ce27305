/*
 * toolchain.h - the Rust toolchain on this host: which rustc, its version
 * and sysroot, and which targets have their std installed.
 *
 * rustc is found as Cargo finds it: $RUSTC, then PATH, then
 * $CARGO_HOME/bin (default ~/.cargo/bin). The std of a target is installed
 * when <sysroot>/lib/rustlib/<triple>/lib exists, which holds for rustup
 * toolchains and distro packages alike.
 */
#ifndef RPX_TOOLCHAIN_H
#define RPX_TOOLCHAIN_H

#include <stdbool.h>

struct toolchain {
	char *rustc;		/* path of rustc, or NULL when none found */
	char *version;		/* first line of rustc --version */
	char *sysroot;		/* rustc --print sysroot */
};

#define TOOLCHAIN_INIT { NULL, NULL, NULL }

/* 0, or RPX_ENOTFOUND when no working rustc exists. */
int toolchain_find(struct toolchain *tc);
/* True when the target's std is in the sysroot. */
bool toolchain_has_std(const struct toolchain *tc, const char *triple);
void toolchain_release(struct toolchain *tc);

#endif
