/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sysroot_config.h - a Pi's sysroot wired into Cargo: the Cargo config
 * edits that make a cross build link against the Pi's own libraries and
 * glibc, and find its C libraries through the pkg-config and cc crates.
 *
 * For a sysroot ROOT (its root/ folder), target T and GNU triple G, the
 * edits are, in the one config file setup writes:
 *
 *	[target.T]
 *	rustflags = [..., "-C", "link-arg=--sysroot=ROOT",
 *		     "-C", "link-arg=-LROOT/usr/lib/G", "-C", "link-arg=-LROOT/lib/G",
 *		     "-C", "link-arg=-Wl,-rpath-link,ROOT/usr/lib/G", ...]
 *	[env]
 *	PKG_CONFIG_SYSROOT_DIR_<T_> = "ROOT"
 *	PKG_CONFIG_LIBDIR_<T_> = "ROOT/usr/lib/G/pkgconfig:ROOT/usr/share/pkgconfig"
 *	PKG_CONFIG_PATH_<T_> = (the same)
 *	CC_<T_> = "<the linker's C compiler>"
 *	CFLAGS_<T_> = "--sysroot=ROOT -isystem ROOT/usr/include/G -isystem ROOT/usr/include"
 *	AR_<T_> = "G-ar"
 *	RUST_LIBC_UNSTABLE_GNU_TIME_BITS = "64"	(32-bit trixie only)
 *
 * T_ is the target with '-' made '_': the pkg-config crate reads
 * VAR_<target>, then VAR_<target with _>, then TARGET_VAR, then VAR (so
 * does the cc crate), and a name without '-' is one a shell can set too.
 * Being target-scoped, they leave host builds alone: a build script or a
 * proc-macro is built for the host, where TARGET is the host's triple.
 *
 * Why the library folders come first: Debian's cross gcc searches its own
 * cross glibc (/usr/<G>/lib) before the --sysroot's, so --sysroot alone
 * still links the host's glibc (and a program that needs GLIBC_2.34 on a
 * 2.31 Pi). An explicit -L is searched before the driver's folders; the
 * -rpath-link lets ld follow the sysroot's libraries' own needs. For the
 * same reason the C compiler gets the sysroot's headers with -isystem.
 *
 * zig cc takes neither headers nor glibc from a --sysroot (measured with
 * zig 0.11: the option is accepted and has no effect on either): it links
 * its own glibc stubs, whose version its -target suffix pins. So for zig
 * only the library folders are added (-L; not -rpath-link, which zig 0.11
 * refuses as an "unsupported linker arg"), and the glibc pin is what keeps
 * the program within the Pi's glibc. The C code of -sys crates is compiled
 * by the GNU cross gcc against the sysroot's headers (CC_<T_>), because
 * zig 0.11 refuses the cc crate's -march=armv7-a ("unknown CPU").
 *
 * PKG_CONFIG_ALLOW_CROSS is not written: the pkg-config crate takes a
 * set PKG_CONFIG_SYSROOT_DIR_<target> as "configured for cross" (and
 * Debian's build of the crate always allows cross), so it is never needed
 * with these edits.
 *
 * RUST_LIBC_UNSTABLE_GNU_TIME_BITS: Debian 13 "trixie" (and Raspberry Pi
 * OS trixie) build their 32-bit ARM C libraries with a 64-bit time_t,
 * while Rust's libc crate still defaults to 32-bit (rust-lang/libc#5507):
 * a struct timespec handed across would be misread. The libc crate reads
 * this variable unscoped; it changes only 32-bit gnu targets, so the
 * 64-bit host's builds are not affected.
 */
#ifndef RPX_SYSROOT_CONFIG_H
#define RPX_SYSROOT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cargo_config.h"
#include "rpx.h"
#include "strbuf.h"
#include "strvec.h"
#include "toml.h"

/* Which C compiler driver links: what it takes from a sysroot. */
enum sysroot_cc {
	SYSROOT_CC_GCC,		/* a GNU cross gcc (the default) */
	SYSROOT_CC_CLANG,	/* clang + lld */
	SYSROOT_CC_ZIG,		/* zig cc (a wrapper script naming zig) */
};

/* What the edits are made from; every string is borrowed. */
struct sysroot_wiring {
	const char *root;	/* the sysroot's tree (.../<name>/root) */
	const char *target;	/* Rust triple, "armv7-unknown-linux-gnueabihf" */
	const char *gnu_triple;	/* "arm-linux-gnueabihf"; NULL: from target */
	const char *glibc;	/* the sysroot's glibc "2.31"; NULL: unknown */
	const char *os_codename;	/* "trixie"; NULL: unknown */
	/* what Cargo runs as the linker (target.T.linker); NULL: the config's
	 * own, else the GNU cross gcc */
	const char *linker;
};

/* The sysroot's metadata (sysroot.yaml beside root/), what is known. */
struct sysroot_meta {
	char name[128];
	char host[256];
	char target[64];
	char gnu_triple[64];
	char dpkg_arch[16];
	char os_id[32];
	char os_codename[32];
	char glibc[16];		/* from sysroot.yaml, else the headers */
	bool has_yaml;		/* sysroot.yaml was there and read */
};

/* The GNU triple of a Rust target (arm-linux-gnueabihf, aarch64-linux-gnu,
 * arm-linux-gnueabi), NULL for one that is not a Linux gnu ARM target. */
const char *sysroot_gnu_triple(const char *target);
/* The kind of C compiler the linker command names (by its file name). */
enum sysroot_cc sysroot_cc_kind(const char *linker);

/*
 * The name the pkg-config and cc crates read for VAR scoped to target:
 * VAR_<target with '-' made '_'>. Malloc'd.
 */
char *sysroot_env_name(const char *var, const char *target);

/* Does a 32-bit trixie (or later) need RUST_LIBC_UNSTABLE_GNU_TIME_BITS?
 * True for a 32-bit gnu target whose codename is trixie or later, or,
 * without a codename, whose glibc is 2.41 or newer. */
bool sysroot_needs_time64(const char *target, const char *glibc,
			  const char *os_codename);

/* Append the link-arg values for w (without "-C link-arg="). */
void sysroot_link_args(const struct sysroot_wiring *w, struct strvec *out);

/* Is this link-arg value one a sysroot wiring writes (--sysroot=X, or -L
 * or -Wl,-rpath-link, of a folder .../usr/lib/<G> or .../lib/<G> below
 * another folder)? gnu_triple NULL: any ARM triple. */
bool sysroot_is_link_arg(const char *arg, const char *gnu_triple);

/*
 * The sysroot a target's rustflags name: the --sysroot= link-arg, or for
 * zig the folder above a -L .../usr/lib/<G>. Malloc'd, NULL when none.
 */
char *sysroot_from_rustflags(char *const *flags);

/*
 * The sysroot the effective rustflags of target link through, as Cargo
 * sees its config from dir (NULL: the current folder): malloc'd, NULL
 * when none. *origin (may be NULL; malloc'd) gets where the flags are set.
 */
char *sysroot_config_find(const char *dir, const char *target,
			  char **origin);

/*
 * Apply the sysroot edits to a loaded change (ch->doc as it is now,
 * other edits, setup's, already applied): rustflags merged (the sysroot
 * link-args of an earlier wiring replaced, the user's flags kept), the
 * [env] variables set. Sentences for the user (what was done and why)
 * are appended to why. 0, or RPX_EINVAL with err (a root holding
 * whitespace, which CFLAGS cannot carry; a target that is not ARM gnu).
 */
int sysroot_config_apply(const struct sysroot_wiring *w,
			 struct cargo_config_change *ch, struct strvec *why,
			 struct rpx_err *err);

/*
 * The one call for `sysroot pull --write-config` (and any other caller
 * with only a sysroot and a config file): load config_path (NULL:
 * $CARGO_HOME/config.toml, as setup writes), apply the edits, print the
 * diff and the why lines to out, then, unless dry_run, write it (backup,
 * atomic) and say where. The linker is w->linker, else the file's
 * target.T.linker, else the GNU cross gcc. 0, or a negative RPX_E* with
 * err (nothing written).
 */
int sysroot_config_write(const struct sysroot_wiring *w,
			 const char *config_path, bool dry_run, FILE *out,
			 struct rpx_err *err);


/*
 * Does the sysroot m describes fit target (the same GNU triple, by its
 * gnu_triple, else its target; a sysroot that says neither fits)? False
 * for a target that is not ARM gnu.
 */
bool sysroot_meta_fits(const struct sysroot_meta *m, const char *target);

/*
 * The wiring for the sysroot whose tree is root (m read from it) into
 * target, linked by linker (NULL: the config's own): w's strings point
 * into root, m and target. The one way setup --sysroot and the wizard
 * fill it.
 */
void sysroot_wiring_for(struct sysroot_wiring *w, const char *root,
			const struct sysroot_meta *m, const char *target,
			const char *linker);

#endif
