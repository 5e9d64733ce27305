/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * profile.h - saved answers: named profiles in a YAML file a person can
 * read and edit, by default $XDG_CONFIG_HOME/rpi-cross/profiles.yaml
 * (~/.config/rpi-cross/profiles.yaml when XDG_CONFIG_HOME is unset).
 *
 * The file is one YAML mapping from profile name to a mapping of keys:
 *
 *	pi4-home:
 *	  board: pi4               # an id from 'rpi-cross boards'
 *	  bits: 64                 # 32 or 64
 *	  libc: gnu                # gnu or musl
 *	  target: aarch64-unknown-linux-gnu
 *	  rustc: /usr/bin/rustc
 *	  linker: aarch64-linux-gnu-gcc
 *	  link_args: [-fuse-ld=lld]
 *	  cpu: cortex-a72
 *	  scope: project           # global, project or file
 *	  project_dir: /home/me/blinky   # with scope project
 *	  config_file: /tmp/x.toml       # with scope file
 *	  build_target: false
 *	  runner: true
 *	  host: pi@raspberrypi.local
 *
 * Every key is optional; a profile holds the answers, and what it leaves
 * out is recommended afresh by plan_complete(). A profile never holds a
 * password or any other secret: keys that look like one (password,
 * passphrase, secret, token, ...) are refused with a warning and ignored
 * when loading, and so are dropped by the next save.
 *
 * Errors are struct rpx_err records with 1-based line and column
 * ("profiles.yaml:3:9: unknown board 'pi9' (known: ...)"): malformed
 * YAML, unknown keys, bad values, duplicate keys or names. A file with an
 * error is never overwritten: save and delete refuse to touch it.
 *
 * Saving rewrites the whole file through atomic_write() (fsutil.h),
 * keeping every other profile and the order of profiles; comments and
 * layout of the old file are not kept. A new file is created 0600 in a
 * folder created 0700.
 *
 * Ownership: struct profiles owns everything it holds; release it with
 * profiles_release(). Nothing here prints.
 */
#ifndef RPX_PROFILE_H
#define RPX_PROFILE_H

#include <stddef.h>

#include "plan.h"
#include "rpx.h"

struct profile {
	char *name;
	int line, col;		/* where its name is in the file */
	/* The answers it holds: each field it sets has src PLAN_PROFILE. */
	struct plan plan;
};

struct profiles {
	char *path;			/* the file read */
	struct profile *v;		/* in file order */
	size_t n;
	struct rpx_err *warnings;	/* refused secret keys, in order */
	size_t nwarnings, warnings_alloc;
};

#define PROFILES_INIT { NULL, NULL, 0, NULL, 0, 0 }

/*
 * The default file's path (malloc'd), or NULL when neither
 * XDG_CONFIG_HOME nor HOME is set.
 */
char *profile_default_path(void);

/*
 * Read every profile of the file at path into ps (which must be
 * PROFILES_INIT or released). A missing file is no error: ps is empty.
 * Returns 0, RPX_EPARSE (err says file:line:col and why), or RPX_EIO /
 * RPX_EINVAL when the file cannot be read (err says so, errno set).
 */
int profiles_read(struct profiles *ps, const char *path, struct rpx_err *err);
/* The profile named name, or NULL. */
const struct profile *profiles_find(const struct profiles *ps,
				    const char *name);
void profiles_release(struct profiles *ps);

/*
 * Copy the answers profile name holds into p, replacing what p had for
 * those fields (each noted PLAN_PROFILE, "profile 'NAME'"). ps comes from
 * profiles_read(). RPX_ENOTFOUND when there is no such profile (err->msg
 * names the file and the profiles it has).
 */
int profile_apply(const struct profiles *ps, const char *name,
		  struct plan *p, struct rpx_err *err);

/*
 * Save the answers of p (fields whose source is neither PLAN_UNSET,
 * PLAN_DEFAULT nor PLAN_ENV) as profile name in the file at path,
 * replacing a profile of that name in place or appending a new one.
 * Creates the folder when missing. Returns 0, RPX_EINVAL for a bad name
 * (empty, longer than 64 bytes, or with control characters), RPX_EPARSE
 * when the existing file is malformed (it is left untouched), or an
 * atomic_write() error (err says which file).
 */
int profile_save(const char *path, const char *name, const struct plan *p,
		 struct rpx_err *err);

/* Remove profile name. RPX_ENOTFOUND when absent; else as profile_save. */
int profile_delete(const char *path, const char *name, struct rpx_err *err);

#endif
