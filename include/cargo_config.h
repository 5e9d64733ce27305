/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * cargo_config.h - Cargo's config files: where they are, the effective
 * value of a key and where it came from, and safe edits (diff, backup,
 * atomic write).
 *
 * Reading (struct cargo_config_set):
 *	cargo_config_discover(&set, project_dir, cargo_home);
 *	cargo_config_effective(&set, "target.X.linker", &val);
 *	cargo_config_set_release(&set);
 *  Files come in Cargo's precedence order, highest first: the project
 *  folder's .cargo/config[.toml], then each parent's up to "/", then
 *  $CARGO_HOME/config[.toml] (read once, at its place in the walk when the
 *  project lies below it). In a folder holding both `config` and
 *  `config.toml`, Cargo reads `config`: so does this module, and it adds
 *  a warning naming both.
 *
 * Effective values follow Cargo: the deepest file wins; arrays are joined
 * (deepest first); the environment beats every file
 * (CARGO_TARGET_<TRIPLE>_LINKER / _RUNNER replace, _RUSTFLAGS is added
 * after the files' array, CARGO_BUILD_TARGET replaces build.target);
 * rustflags come from the first present of CARGO_ENCODED_RUSTFLAGS,
 * RUSTFLAGS, target.<triple>.rustflags, build.rustflags — so
 * build.rustflags is ignored when a target's rustflags are set, which the
 * value's note says. The environment is read through a callback so tests
 * and callers decide what it holds. A value comes both as the TOML text
 * `config show` prints (with "path:line" origins) and typed (string,
 * list of strings, bool, integer, other) with its origins as data (file
 * and line, or the variable's name): readers use the typed form.
 * Rustflags in the environment are split by the rustflags module.
 *
 * Writing (struct cargo_config_change):
 *	cargo_config_load(&ch, path, &err);        absent file: empty document
 *	cargo_config_apply(&ch, edits, n, &err);   set/unset with the TOML engine
 *	ch.diff                                     unified diff, "" when equal
 *	cargo_config_commit(&ch, &err);            backup, then atomic write
 *	cargo_config_change_release(&ch);
 *  Nothing is written when the original does not parse (RPX_EPARSE with
 *  file:line:col), when it changed on disk since it was loaded (RPX_EINVAL,
 *  "changed on disk"), or when it is read-only. The previous content is
 *  kept as PATH.bak (written atomically first); the file keeps its mode
 *  and a symbolic link is written through to its target.
 *
 * Errors: 0 or a negative RPX_E*; err (never NULL here) holds a message,
 * lowercase, quoting the file, with line and column for parse errors.
 */
#ifndef RPX_CARGO_CONFIG_H
#define RPX_CARGO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "rpx.h"
#include "strvec.h"
#include "toml.h"

/*
 * Returns the value of an environment variable or NULL when unset/empty.
 * Wherever one is taken, NULL means the process environment (rpx_getenv);
 * cargo_config_no_env reads none (a single file shown on its own, tests).
 */
typedef const char *(*cargo_config_getenv_fn)(const char *name, void *data);
const char *cargo_config_no_env(const char *name, void *data);

struct cargo_config_file {
	char *path;		/* the file Cargo reads */
	bool global;		/* the one in $CARGO_HOME */
	bool legacy;		/* named `config`, without extension */
	struct toml_doc *doc;	/* NULL when it cannot be read or parsed */
	struct rpx_err err;	/* why doc is NULL */
};

struct cargo_config_set {
	struct cargo_config_file *files;	/* highest precedence first */
	size_t nfiles, files_alloc;
	struct strvec warnings;			/* messages */
	cargo_config_getenv_fn getenv_fn;	/* NULL: the process's */
	void *getenv_data;
};

#define CARGO_CONFIG_SET_INIT { NULL, 0, 0, STRVEC_INIT, NULL, NULL }

/*
 * Fill set with the files Cargo reads for a build in project_dir (NULL:
 * none, only the global file), and cargo_home's. A file that does not
 * parse is kept with doc NULL and err set. Returns 0 or RPX_EINVAL
 * (cargo_home NULL or empty).
 */
int cargo_config_discover(struct cargo_config_set *set,
			  const char *project_dir, const char *cargo_home);
/* Only this one file (rpi-cross config show --file F). */
int cargo_config_add_file(struct cargo_config_set *set, const char *path,
			  bool global);
void cargo_config_set_release(struct cargo_config_set *set);
/* True when some file failed to parse or read. */
bool cargo_config_set_has_errors(const struct cargo_config_set *set);

/*
 * The file that holds Cargo's config in folder dir (…/.cargo or
 * $CARGO_HOME): `config` when it exists (Cargo prefers it), else
 * `config.toml` (which need not exist). Malloc'd.
 */
char *cargo_config_path_in(const char *dir);
/* $CARGO_HOME, else $HOME/.cargo, in fn's environment (NULL: the
 * process's); malloc'd, NULL when neither is set. */
char *cargo_config_home(cargo_config_getenv_fn fn, void *data);

/* What a value holds, told from its TOML (or the environment's text). */
enum cargo_value_type {
	CARGO_VALUE_UNSET,	/* set nowhere: value is NULL */
	CARGO_VALUE_STRING,	/* str */
	CARGO_VALUE_LIST,	/* an array of strings (arrays of several files
				   joined, the environment's words added):
				   list, nlist */
	CARGO_VALUE_BOOL,	/* b */
	CARGO_VALUE_INT,	/* i */
	CARGO_VALUE_OTHER,	/* anything else (a float, a date, a table, an
				   array holding a non-string): only the TOML
				   text in value says it */
};

/* One place a value comes from. */
struct cargo_origin {
	enum cargo_origin_kind {
		CARGO_ORIGIN_FILE,	/* path and line */
		CARGO_ORIGIN_ENV,	/* env */
	} kind;
	char *path;	/* the config file (FILE), else NULL */
	int line;	/* 1-based line of the value in it (FILE), else 0 */
	char *env;	/* the variable's name (ENV), else NULL */
};

struct cargo_config_value {
	char *key;	/* e.g. "target.aarch64-unknown-linux-gnu.linker" */
	char *value;	/* TOML text; NULL when not set anywhere */
	char *origin;	/* "path:line" (joined by ", " for arrays) or
			   "env NAME" */
	char *note;	/* NULL, or why another source is ignored */
	/* the same value typed: */
	enum cargo_value_type type;
	char *str;		/* STRING */
	struct strvec list;	/* LIST: its strings (v NULL while empty) */
	bool b;			/* BOOL */
	long long i;		/* INT */
	struct cargo_origin *origins;	/* where, as data, in the order of
					   origin's text; norigins == 0 when
					   unset */
	size_t norigins, origins_alloc;
};

#define CARGO_CONFIG_VALUE_INIT { NULL, NULL, NULL, NULL, \
				  CARGO_VALUE_UNSET, NULL, STRVEC_INIT, false, \
				  0, NULL, 0, 0 }

/*
 * The effective value of key ("build.target", "target.T.linker",
 * "target.T.runner", "target.T.rustflags", or any other dotted key) in
 * set, as TOML text and typed. Returns 0 (out->value may be NULL and
 * out->type CARGO_VALUE_UNSET: unset), RPX_EINVAL for a malformed key.
 * Release out with cargo_config_value_release().
 */
int cargo_config_effective(const struct cargo_config_set *set,
			   const char *key, struct cargo_config_value *out);
void cargo_config_value_release(struct cargo_config_value *v);
/*
 * The words of a value that names a command or a list: a string split
 * on whitespace (split true) or whole (false), or a list's strings.
 * NULL-ended, malloc'd (free with strvec_free_array()); NULL when the value
 * is unset or of another type.
 */
char **cargo_config_value_words(const struct cargo_config_value *v,
				bool split);

/*
 * The names of every [target.X] table in the set's files, in order of
 * first appearance, plus build.target's when it is a string (NULL-ended,
 * malloc'd; free with strvec_free_array()).
 */
char **cargo_config_targets(const struct cargo_config_set *set);

/* The environment variable Cargo reads for target.<triple>.<what>:
 * CARGO_TARGET_<TRIPLE>_<WHAT> with '-' and '.' made '_'. Malloc'd. */
char *cargo_config_target_env(const char *triple, const char *what);

struct cargo_config_edit {
	const char *key;	/* dotted key in TOML syntax */
	const char *value;	/* TOML value text; NULL removes the key */
};

struct cargo_config_change {
	char *path;		/* the file as named */
	char *old;		/* content when loaded ("" when absent) */
	size_t old_len;
	bool existed;
	dev_t dev;		/* identity of what was loaded */
	ino_t ino;
	off_t size;
	long long mtime_ns;
	struct toml_doc *doc;	/* the document, edits applied */
	char *diff;		/* after cargo_config_apply(): "" if none */
	char *backup;		/* path of the backup written, or NULL */
};

#define CARGO_CONFIG_CHANGE_INIT { NULL, NULL, 0, false, 0, 0, 0, 0, \
				   NULL, NULL, NULL }

/*
 * Read path (absent: empty) and parse it. RPX_EPARSE with err at
 * file:line:col when it does not parse; RPX_EINVAL for a folder; RPX_EIO
 * when it cannot be read (err says why).
 */
int cargo_config_load(struct cargo_config_change *ch, const char *path,
		      struct rpx_err *err);
/*
 * Apply the edits in order, then set ch->diff. On error (RPX_EINVAL for a
 * bad key or value, RPX_ENOTFOUND for unsetting an absent key) nothing is
 * applied and err names the key.
 */
int cargo_config_apply(struct cargo_config_change *ch,
		       const struct cargo_config_edit *edits, size_t n,
		       struct rpx_err *err);
/* True when the edits changed the text. */
bool cargo_config_changed(const struct cargo_config_change *ch);
/*
 * Write the document: refuse when the file changed since it was loaded
 * (device, inode, size and mtime, then the bytes themselves), when it is
 * read-only or its folder is not writable; create the missing folder
 * (mode 0755 before umask); back the old content up to PATH.bak; then
 * atomic_write() the new text. RPX_EINVAL (changed, read-only), RPX_EIO
 * (errno set; err says what). The check and the rename are not one step:
 * a writer that slips into that window (microseconds) loses its change,
 * as with any editor that saves by rename (Cargo takes no lock either).
 */
int cargo_config_commit(struct cargo_config_change *ch, struct rpx_err *err);
void cargo_config_change_release(struct cargo_config_change *ch);

/*
 * A unified diff of old against new labelled a/label and b/label, with
 * three lines of context; "" when they are equal. Lines keep their
 * endings (a change of CRLF to LF shows); a last line without a newline
 * is followed by "\ No newline at end of file". Malloc'd.
 */
char *cargo_config_diff(const char *label, const char *old, size_t old_len,
			const char *new_text, size_t new_len);

#endif
