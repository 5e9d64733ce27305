/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sysroot.h - a Pi's own headers and libraries on this computer, so C
 * libraries link against the board's glibc (`rpi-cross sysroot`).
 *
 * Layout (the contract other modules read):
 *	$XDG_DATA_HOME/rpi-cross/sysroots/NAME/	(default ~/.local/share)
 *		root/		usr/include, usr/lib/TRIPLE, lib/TRIPLE (or
 *				lib -> usr/lib on a merged-/usr Pi), GCC's
 *				start files and libgcc under
 *				usr/lib/gcc/TRIPLE/VER/, the loader, the
 *				pkg-config folders. Every symlink relative and
 *				inside root/; GNU ld scripts name their files
 *				with ld's sysroot prefix '='.
 *		sysroot.yaml	what it is (struct sysroot_info)
 *		manifest	path, size and mtime on the Pi of each entry
 *				(what the next pull compares with)
 * NAME is HOST-CODENAME-DPKGARCH with anything outside [A-Za-z0-9._-]
 * as '-', or what --name said. A pull builds NAME.new/ beside it and
 * swaps the two by rename, so root/ of a NAME is always a whole tree and
 * its path never changes.
 *
 * Calling sequence (a pull):
 *	struct sysroot_pull_opts o = SYSROOT_PULL_OPTS_INIT;
 *	struct sysroot_stats st;
 *	remote_connect(&r, ...);
 *	if (sysroot_pull(&r, &o, &st, err, sizeof(err)) != 0)
 *		fprintf(stderr, "rpi-cross: error: %s\n", err);
 *
 * Errors: every function returns 0 or a negative RPX_E* code with a
 * lowercase message without a full stop in err, saying what to do.
 */
#ifndef RPX_SYSROOT_H
#define RPX_SYSROOT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "remote.h"
#include "strbuf.h"
#include "sysroot_config.h"
#include "target.h"

struct sysroot_pkg {
	char *name;
	char *version;
};

struct sysroot_info {
	char *name, *host, *user;
	int port;
	char *target;		/* Rust triple */
	char *gnu_triple;	/* arm-linux-gnueabihf, aarch64-linux-gnu */
	char *dpkg_arch;	/* armhf, arm64 */
	char *os_id, *os_codename, *os_pretty;
	char *glibc;		/* "2.36" */
	char *pulled;		/* ISO 8601 UTC */
	long long files, bytes;
	struct sysroot_pkg *packages;	/* installed -dev packages */
	size_t npackages, apackages;
	struct sysroot_pkg *added;	/* brought by `sysroot add` */
	size_t nadded, aadded;
};

void sysroot_info_release(struct sysroot_info *info);

/* $XDG_DATA_HOME/rpi-cross/sysroots (or ~/.local/share/...), into out. */
int sysroot_base_dir(struct strbuf *out);
/*
 * NAME (a folder under sysroot_base_dir()) or DIR (a sysroot folder, or
 * its root/): the sysroot's root/ into root_out and, when dir_out is not
 * NULL, its folder. RPX_ENOTFOUND with a message naming `sysroot pull`.
 */
int sysroot_resolve(const char *name_or_dir, struct strbuf *root_out,
		    struct strbuf *dir_out, char *err, size_t errsz);
/* Read DIR/sysroot.yaml. */
int sysroot_info_load(const char *sysroot_dir, struct sysroot_info *info,
		      char *err, size_t errsz);
/*
 * The view of a sysroot the Cargo wiring and the checks need, from the
 * same sysroot.yaml as sysroot_info_load() (in the folder above root, when
 * root is .../root); a sysroot made by hand may lack the file or its name
 * and triple, and the glibc then comes from the tree's <features.h>.
 * 0 (fields not known stay ""), or RPX_EPARSE with err for a sysroot.yaml
 * that does not parse.
 */
int sysroot_meta_read(const char *root, struct sysroot_meta *m,
		      struct rpx_err *err);
/* The same view of a sysroot already loaded (in; NULL: none, the
 * headers of root alone). */
void sysroot_meta_of(const struct sysroot_info *in, const char *root,
		     struct sysroot_meta *m);
/* The sysroots under the base folder, by name (caller frees each). */
int sysroot_list(char ***names, size_t *n, char *err, size_t errsz);
/* Remove a sysroot (and its leftovers: NAME.new, NAME.old). */
int sysroot_clean(const char *name, char *err, size_t errsz);

/* The default name for a Pi: HOST-CODENAME-ARCH, sanitised, into out. */
void sysroot_default_name(const char *host, const char *codename,
			  const char *dpkg_arch, struct strbuf *out);

struct sysroot_stats {
	long long files;	/* in the sysroot afterwards */
	long long bytes;	/* their size on the Pi */
	long long fetched;	/* files that came over the wire */
	long long fetched_bytes;	/* their size (uncompressed) */
	long long wire_bytes;	/* the compressed stream */
	long long reused;	/* files kept from the previous pull */
	long long removed;	/* gone on the Pi since */
	long long links_fixed, scripts_fixed;
	long long skipped;	/* listed, but tar could not send them */
	char skipped_path[256];	/* the first of those */
	bool first;		/* there was no previous pull */
};

struct sysroot_pull_opts {
	const char *name;		/* NULL: the default name */
	const struct target *target;	/* NULL: from the probe */
	bool progress;			/* draw a bar on progress_out */
	FILE *progress_out;
	volatile sig_atomic_t *stop;	/* set by SIGINT: stop cleanly */
	bool no_compress;		/* tar without gzip: for links faster
					 * than the Pi's gzip */
};

#define SYSROOT_PULL_OPTS_INIT { NULL, NULL, false, NULL, NULL, false }

/*
 * Probe the Pi behind r (connected), list what linking needs there, copy
 * what changed since the last pull in one tar -z stream, fix the links
 * and ld scripts, record sysroot.yaml and swap the new tree in. name_out
 * gets the sysroot's name. Nothing is written on the Pi.
 */
int sysroot_pull(struct remote *r, const struct sysroot_pull_opts *o,
		 struct strbuf *name_out, struct sysroot_stats *st,
		 char *err, size_t errsz);

/*
 * `sysroot add`: the Pi's apt-get downloads pkgs (as the login user, in
 * ~/.cache/rpi-cross/debs, removed after); their data is unpacked into
 * the sysroot name (pulled before from this Pi) as a new tree swapped in.
 * When apt-get cannot download them, err holds its reason and the
 * `sudo apt install` line to run on the Pi instead.
 */
int sysroot_add(struct remote *r, const char *name, char *const *pkgs,
		size_t npkgs, const struct sysroot_pull_opts *o,
		struct sysroot_stats *st, char *err, size_t errsz);

#endif
