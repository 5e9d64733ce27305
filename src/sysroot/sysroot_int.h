/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sysroot_int.h - what the files of src/sysroot/ share (and
 * tests/unit/sysroot_test.c checks): the manifest and its diff, the link
 * and ld-script fixing, the tree helpers and the tar stream reader.
 *
 *	sysroot.c	folders, names, sysroot.yaml, status, clean
 *	manifest.c	the Pi's listing and the stored manifest, their diff
 *	fix.c		symlinks made relative, ld scripts given '='
 *	tree.c		remove, copy by hard link, swap by rename
 *	stream.c	a remote tar stream read with libarchive
 *	pull.c		`sysroot pull`
 *	add.c		`sysroot add`
 */
#ifndef RPX_SYSROOT_INT_H
#define RPX_SYSROOT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "remote.h"
#include "strbuf.h"
#include "sysroot.h"

/* ---- manifest.c ---- */

/*
 * One entry: 'f' a regular file, 'l' a symbolic link, 's' the dpkg status
 * (not in root/), 'a' a file brought by `sysroot add` (pkg names it).
 * Lines: "T|SIZE|MTIME|PATH" (the Pi's listing is the same, without 'a').
 */
struct mentry {
	char type;
	long long size, mtime;
	char *path;		/* relative to root/, no leading '/' */
};

struct manifest {
	struct mentry *v;
	size_t n, alloc;
};

void manifest_release(struct manifest *m);
/* Parse text (lines as above); bad lines are an error naming the line. */
int manifest_parse(struct manifest *m, const char *text, size_t len,
		   char *err, size_t errsz);
void manifest_add(struct manifest *m, char type, long long size,
		  long long mtime, const char *path);
/* Sort by path (a listing comes in find's order). */
void manifest_sort(struct manifest *m);
/* The binary search in a sorted manifest, NULL when absent. */
const struct mentry *manifest_find(const struct manifest *m,
				   const char *path);
void manifest_format(const struct manifest *m, struct strbuf *out);

/*
 * The diff of sorted manifests: each entry of now goes to fetch (new or
 * changed: type, size or mtime) or keep (the same as in old); *removed
 * counts old 'f'/'l' entries now lacks. fetch and keep are filled with
 * pointers into now.
 */
struct mdiff {
	const struct mentry **fetch, **keep;
	size_t nfetch, nkeep, afetch, akeep;
	size_t removed;
	long long fetch_bytes;
};
void manifest_diff(const struct manifest *old, const struct manifest *now,
		   struct mdiff *d);
void mdiff_release(struct mdiff *d);

/* ---- fix.c ---- */

/*
 * The target a symlink at rel (a path inside root/) holding target should
 * have inside root/: target resolved as the Pi would (absolute from the
 * Pi's '/', '..' never above it), then written relative to rel's folder.
 * Returns true when it differs from target.
 */
bool fix_link_target(const char *rel, const char *target, struct strbuf *out);
/* Is text a GNU ld script (starts with the comment ld writes)? */
bool fix_is_ld_script(const char *text, size_t len);
/*
 * Rewrite an ld script: each absolute file name (outside comments) gets
 * ld's sysroot prefix '='. Returns true when something changed (out then
 * holds the new text).
 */
bool fix_ld_script(const char *text, size_t len, struct strbuf *out);

struct fix_stats {
	long long links, scripts, files;
	long long bytes;	/* regular files' sizes */
};
/* Walk root and fix every link and ld script (new files, renamed). */
int fix_tree(const char *root, struct fix_stats *st, char *err,
	     size_t errsz);

/* ---- tree.c ---- */

/* rm -rf path (no error when absent). */
int tree_remove(const char *path);
/* A copy of the tree from in to (new) to: folders made, files hard
 * linked (else copied), symlinks re-made. 0 or -1 with errno. */
int tree_clone(const char *from, const char *to);
/* Make the folders of rel under root (mode 0755). */
int tree_mkparents(const char *root, const char *rel);
/* The entry rel of old root into new root: a hard link, else a copy; a
 * symlink re-made. 0 or -1 with errno. */
int tree_carry(const char *oldroot, const char *newroot, const char *rel);
/*
 * Swap dir and dir.new: afterwards dir holds what dir.new held. Where the
 * system can (Linux's renameat2 RENAME_EXCHANGE) in one step, else two
 * renames (dir -> dir.old, dir.new -> dir) that tree_recover() undoes
 * after a crash between them. The old tree is removed.
 */
int tree_swap(const char *dir, const char *newdir, char *err, size_t errsz);
/* A sysroot folder whose swap was cut short: put dir.old back. */
void tree_recover(const char *dir);

/* ---- stream.c ---- */

/* Called for each entry of the stream; return 0 to go on. */
struct stream_ctx;
typedef int stream_entry_fn(void *data, struct stream_ctx *sc,
			    const char *path);

struct stream_ctx {
	void *archive;		/* struct archive * (read side) */
	void *entry;		/* struct archive_entry * */
	const char *root;	/* where extract_here() writes */
	void *disk;		/* struct archive * (write side) */
	char parent[1024];	/* the last folder checked for symlinks */
	size_t parent_len;
	/* progress */
	long long total, done;
	long long last_draw;
	bool progress;
	FILE *progress_out;
	const char *label;
	int bar_len;
	/* results */
	long long entries, bytes;
	long long wire;		/* compressed bytes read */
	int err_no;		/* a local write failed with this errno */
	char err[512];
};

/*
 * Run cmd on the Pi with in[0..inlen) on its stdin, read its stdout as a
 * tar stream (gzip or not) in a thread with libarchive, calling fn for
 * each entry. The remote's stderr goes to rerr. 0, or an error in err:
 * RPX_EIO (sc->err_no set when it was a local write, e.g. ENOSPC), the
 * remote's (connection lost, canceled), or RPX_ECHILD when the command
 * failed (*status).
 */
int stream_run(struct remote *r, const char *cmd, const void *in,
	       size_t inlen, struct stream_ctx *sc, stream_entry_fn *fn,
	       void *data, struct strbuf *rerr, int *status, char *err,
	       size_t errsz);
/* Write the current entry under sc->root at rel (safe: no '..', no
 * absolute path, no symlink followed). */
int stream_extract(struct stream_ctx *sc, const char *rel);
/* Read the current entry's data into out (at most max bytes). */
int stream_read_data(struct stream_ctx *sc, struct strbuf *out, size_t max);
/* Blank the progress line. */
void stream_progress_end(struct stream_ctx *sc);

/* ---- pull.c (and add.c) ---- */

struct arch {
	const char *dpkg, *gnu, *loader;
	int bits;
};

struct pull {
	struct remote *r;
	const struct sysroot_pull_opts *o;
	const struct arch *arch;
	struct remote_probe probe;
	const struct target *target;
	struct strbuf name, base, dir, newdir, oldroot, newroot;
	int lockfd;
	struct manifest old, now;
	struct mdiff diff;
	struct strbuf status;	/* the dpkg status, when fetched */
	bool got_status;
	struct sysroot_pkg *addpkgs;	/* `sysroot add`: what it brought */
	size_t naddpkgs, aaddpkgs;
	struct sysroot_stats *st;
	char *err;
	size_t errsz;
};

void pull_init(struct pull *pl, struct remote *r,
	       const struct sysroot_pull_opts *o, struct sysroot_stats *st,
	       char *err, size_t errsz);
void pull_release(struct pull *pl);
/* Probe the Pi: its architecture, target and the sysroot's name. */
int pull_probe(struct pull *pl);
/* Folders and lock; need_old: the sysroot must exist already. */
int pull_prepare(struct pull *pl, bool need_old);
/* The previous pull's manifest into pl->old (sorted). */
void pull_read_manifest(struct pull *pl);
/* The manifest (pl->now + added) and sysroot.yaml into folder. */
int pull_record(struct pull *pl, const struct manifest *added,
		const struct fix_stats *fs, const char *folder);

/* ---- sysroot.c ---- */

int sysroot_info_save(const char *dir, const struct sysroot_info *info,
		      char *err, size_t errsz);
void sysroot_info_add_pkg(struct sysroot_pkg **v, size_t *n, size_t *alloc,
			  const char *name, const char *version);
/* The -dev packages "install ok installed" in a dpkg status text. */
void sysroot_parse_dpkg_status(const char *text, size_t len,
			       struct sysroot_info *info);
/* The message for errno e on the host while writing under dir. */
void sysroot_local_error(int e, const char *dir, char *err, size_t errsz);

#endif
