/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * theme.h - the wizard's colours, by role, loaded from YAML (no curses).
 *
 * A theme maps each role (title, text, selected, ok, diff-add, ...) to a
 * foreground, a background and attributes. The ui layer turns a struct
 * theme into curses colour pairs; nothing here draws.
 *
 * File format (libyaml), every key optional:
 *
 *     name: high-contrast
 *     roles:
 *       title:    { fg: bright-white, bg: blue, attrs: [bold] }
 *       selected: { fg: black, bg: bright-cyan }
 *
 * "color: false" makes a theme use attributes only.
 * Colours: default, black, red, green, yellow, blue, magenta, cyan, white,
 * bright-black ... bright-white, or a number 0-255. Attributes: bold, dim,
 * underline, reverse, standout (a list or one word). Roles a file leaves
 * out keep the built-in default's values.
 *
 * Errors: parsers fill a struct rpx_err whose line and col are 1-based
 * (libyaml's 0-based marks are converted) and return RPX_EPARSE; the
 * theme is then left as the built-in default, never half-loaded.
 */
#ifndef RPX_THEME_H
#define RPX_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "rpx.h"
#include "strvec.h"

enum theme_role {
	TR_TEXT,	/* body text */
	TR_TITLE,	/* the title bar */
	TR_DIM,		/* secondary text, explanations */
	TR_SELECTED,	/* the highlighted list row */
	TR_OK,		/* success, "installed" */
	TR_WARN,	/* warnings, "not available yet" */
	TR_FAIL,	/* errors, refusals */
	TR_DIFF_ADD,	/* "+" lines of a diff */
	TR_DIFF_DEL,	/* "-" lines of a diff */
	TR_DIFF_HUNK,	/* "@@" lines of a diff */
	TR_BORDER,	/* frames and rules */
	TR_KEY,		/* key names in the help line */
	TR_INPUT,	/* text being typed */
	TR_PROGRESS,	/* the filled part of a progress bar */
	TR_MARK,	/* marks such as "recommended" */
	TR_DISABLED,	/* entries that cannot be chosen */
	TR_STEP,	/* the current step in the step bar */
	TR_COUNT
};

/* Colour numbers: THEME_DEFAULT is the terminal's own colour. */
enum { THEME_DEFAULT = -1 };

/* Attribute bits. */
enum {
	THEME_BOLD = 1u << 0,
	THEME_DIM = 1u << 1,
	THEME_UNDERLINE = 1u << 2,
	THEME_REVERSE = 1u << 3,
	THEME_STANDOUT = 1u << 4,
};

struct theme_style {
	short fg;		/* THEME_DEFAULT or 0-255 */
	short bg;
	unsigned attrs;		/* THEME_* bits */
};

struct theme {
	char name[64];
	bool color;		/* false: attributes only (monochrome) */
	struct theme_style role[TR_COUNT];
};

/* The built-in default theme (colour), and the monochrome one. */
void theme_default(struct theme *t);
void theme_monochrome(struct theme *t);

/* "title", "diff-add", ...; NULL for an out-of-range role. */
const char *theme_role_name(enum theme_role r);
/* The role for a name, or -1. */
int theme_role_find(const char *name);
/* Parse a colour name or number into *out; RPX_EINVAL when unknown. */
int theme_color_parse(const char *s, short *out);

/*
 * The role a line of a unified diff is drawn in: TR_DIFF_HUNK for "@@",
 * TR_DIM for the "---"/"+++" file lines, TR_DIFF_ADD / TR_DIFF_DEL for
 * "+" / "-" lines, TR_TEXT otherwise.
 */
enum theme_role theme_diff_role(const char *line);

/*
 * Parse YAML text (len bytes); path is used in error messages only. On
 * success *t holds the built-in default overlaid with the file's roles
 * (name from the file, else from path).
 */
int theme_parse(struct theme *t, const char *text, size_t len,
		const char *path, struct rpx_err *err);
/* Read and parse a file: RPX_ENOTFOUND / RPX_EIO (err says which file). */
int theme_load_file(struct theme *t, const char *path, struct rpx_err *err);

/*
 * Where a theme NAME lives: $XDG_CONFIG_HOME/rpi-cross/themes/NAME.yaml
 * (XDG_CONFIG_HOME defaults to ~/.config), then datadir/themes/NAME.yaml.
 * A NAME containing '/' is a path. Returns a malloc'd path of a readable
 * file, or NULL.
 */
char *theme_path(const char *name, const char *datadir);

/* The data folder fixed at build time (RPX_DATADIR, $(PREFIX)/share/rpi-cross). */
const char *theme_datadir(void);

/*
 * The data folder beside a binary at path exe: "/opt/x/bin/rpi-cross"
 * gives "/opt/x/share/rpi-cross" (the binary's folder's parent, then
 * share/rpi-cross), malloc'd. NULL when exe is NULL or not absolute (a
 * relative path says nothing reliable once the working folder changed).
 */
char *theme_datadir_beside(const char *exe);

/*
 * The data folders to look for installed themes in, in order, appended
 * to dirs: the one beside the binary at exe (rpx_exe_path(); NULL skips
 * it), so that `make install PREFIX=... DESTDIR=...` works without a
 * rebuild; then the one compiled in, unless it is the same folder.
 */
void theme_datadirs(struct strvec *dirs, const char *exe);

/*
 * Choose the theme as the wizard does: NO_COLOR set (no_color) gives
 * monochrome; otherwise NAME (NULL means "default") is looked up with
 * theme_path() in each of datadirs (a NULL-terminated list; NULL means
 * none) in turn. A missing "default" file is no error: the built-in
 * default is used. Any other failure leaves *t as the built-in default
 * and returns a negative code with err filled (path:line:col: message, or
 * "theme 'x' not found (looked in ...)", every folder named), for the
 * caller to warn about.
 */
int theme_select(struct theme *t, const char *name, bool no_color,
		 const char *const *datadirs, struct rpx_err *err);

#endif
