/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* theme.c - colours by role, loaded from YAML (see theme.h). */
#include "theme.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "strbuf.h"
#include "yamlutil.h"

#ifndef RPX_DATADIR
#define RPX_DATADIR "/usr/local/share/rpi-cross"
#endif

static const char *const role_names[TR_COUNT] = {
	[TR_TEXT] = "text",
	[TR_TITLE] = "title",
	[TR_DIM] = "dim",
	[TR_SELECTED] = "selected",
	[TR_OK] = "ok",
	[TR_WARN] = "warn",
	[TR_FAIL] = "fail",
	[TR_DIFF_ADD] = "diff-add",
	[TR_DIFF_DEL] = "diff-del",
	[TR_DIFF_HUNK] = "diff-hunk",
	[TR_BORDER] = "border",
	[TR_KEY] = "key",
	[TR_INPUT] = "input",
	[TR_PROGRESS] = "progress",
	[TR_MARK] = "mark",
	[TR_DISABLED] = "disabled",
	[TR_STEP] = "step",
};

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", THEME_BOLD },
	{ "dim", THEME_DIM },
	{ "underline", THEME_UNDERLINE },
	{ "reverse", THEME_REVERSE },
	{ "standout", THEME_STANDOUT },
};

enum { BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE };
#define D THEME_DEFAULT

void
theme_default(struct theme *t)
{
	static const struct theme_style def[TR_COUNT] = {
		[TR_TEXT] = { D, D, 0 },
		[TR_TITLE] = { WHITE, BLUE, THEME_BOLD },
		[TR_DIM] = { D, D, THEME_DIM },
		[TR_SELECTED] = { BLACK, CYAN, 0 },
		[TR_OK] = { GREEN, D, THEME_BOLD },
		[TR_WARN] = { YELLOW, D, THEME_BOLD },
		[TR_FAIL] = { RED, D, THEME_BOLD },
		[TR_DIFF_ADD] = { GREEN, D, 0 },
		[TR_DIFF_DEL] = { RED, D, 0 },
		[TR_DIFF_HUNK] = { CYAN, D, 0 },
		[TR_BORDER] = { BLUE, D, 0 },
		[TR_KEY] = { YELLOW, D, THEME_BOLD },
		[TR_INPUT] = { WHITE, BLACK, THEME_UNDERLINE },
		[TR_PROGRESS] = { BLACK, GREEN, 0 },
		[TR_MARK] = { MAGENTA, D, THEME_BOLD },
		[TR_DISABLED] = { D, D, THEME_DIM },
		[TR_STEP] = { BLACK, YELLOW, THEME_BOLD },
	};

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", "default");
	t->color = true;
	memcpy(t->role, def, sizeof(def));
}

void
theme_monochrome(struct theme *t)
{
	static const unsigned attrs[TR_COUNT] = {
		[TR_TEXT] = 0,
		[TR_TITLE] = THEME_REVERSE | THEME_BOLD,
		[TR_DIM] = THEME_DIM,
		[TR_SELECTED] = THEME_REVERSE,
		[TR_OK] = THEME_BOLD,
		[TR_WARN] = THEME_BOLD,
		[TR_FAIL] = THEME_BOLD | THEME_UNDERLINE,
		[TR_DIFF_ADD] = THEME_BOLD,
		[TR_DIFF_DEL] = THEME_DIM,
		[TR_DIFF_HUNK] = THEME_UNDERLINE,
		[TR_BORDER] = 0,
		[TR_KEY] = THEME_BOLD,
		[TR_INPUT] = THEME_UNDERLINE,
		[TR_PROGRESS] = THEME_REVERSE,
		[TR_MARK] = THEME_BOLD,
		[TR_DISABLED] = THEME_DIM,
		[TR_STEP] = THEME_REVERSE,
	};

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", "monochrome");
	t->color = false;
	for (int i = 0; i < TR_COUNT; i++) {
		t->role[i].fg = D;
		t->role[i].bg = D;
		t->role[i].attrs = attrs[i];
	}
}

const char *
theme_role_name(enum theme_role r)
{
	if ((int)r < 0 || r >= TR_COUNT)
		return NULL;
	return role_names[r];
}

int
theme_role_find(const char *name)
{
	for (int i = 0; i < TR_COUNT; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}

int
theme_color_parse(const char *s, short *out)
{
	char *end = NULL;
	long n;

	if (strcmp(s, "default") == 0) {
		*out = THEME_DEFAULT;
		return 0;
	}
	for (int i = 0; i < 8; i++) {
		if (strcmp(s, color_names[i]) == 0) {
			*out = (short)i;
			return 0;
		}
		if (rpx_starts_with(s, "bright-") &&
		    strcmp(s + 7, color_names[i]) == 0) {
			*out = (short)(i + 8);
			return 0;
		}
	}
	if (*s < '0' || *s > '9')
		return RPX_EINVAL;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 0 || n > 255)
		return RPX_EINVAL;
	*out = (short)n;
	return 0;
}

enum theme_role
theme_diff_role(const char *s)
{
	if (rpx_starts_with(s, "@@"))
		return TR_DIFF_HUNK;
	if (rpx_starts_with(s, "+++ ") || rpx_starts_with(s, "--- "))
		return TR_DIM;
	if (s[0] == '+')
		return TR_DIFF_ADD;
	if (s[0] == '-')
		return TR_DIFF_DEL;
	return TR_TEXT;
}

static int
parse_attr(yaml_node_t *n, const char *path, unsigned *attrs,
	   struct rpx_err *err)
{
	const char *s = yamlutil_scalar(n);
	char msg[256];

	if (s == NULL)
		return yamlutil_node_err(err, path, n, "an attribute must be a word");
	for (size_t i = 0; i < ARRAY_SIZE(attr_names); i++) {
		if (strcmp(s, attr_names[i].name) == 0) {
			*attrs |= attr_names[i].bit;
			return 0;
		}
	}
	snprintf(msg, sizeof(msg),
		 "unknown attribute '%.64s' (use bold, dim, underline, reverse, standout)",
		 s);
	return yamlutil_node_err(err, path, n, "%s", msg);
}

static int
parse_style(yaml_document_t *doc, yaml_node_t *n, const char *path,
	    struct theme_style *st, struct rpx_err *err)
{
	struct theme_style out = *st;
	yaml_node_pair_t *pair;
	char msg[256];
	int r;

	if (n->type != YAML_MAPPING_NODE)
		return yamlutil_node_err(err, path, n,
				  "a role needs a mapping such as { fg: red, bg: default }");
	out.attrs = 0;
	for (pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(doc, pair->value);
		const char *key = yamlutil_scalar(k);

		if (key == NULL)
			return yamlutil_node_err(err, path, k, "a key must be a word");
		if (strcmp(key, "fg") == 0 || strcmp(key, "bg") == 0) {
			short *c = key[0] == 'f' ? &out.fg : &out.bg;
			const char *val = yamlutil_scalar(v);

			if (val == NULL || theme_color_parse(val, c) != 0) {
				snprintf(msg, sizeof(msg),
					 "unknown colour '%.64s' (use default, black, red, green, yellow, blue, magenta, cyan, white, bright-NAME or 0-255)",
					 val ? val : "");
				return yamlutil_node_err(err, path, v, "%s", msg);
			}
		} else if (strcmp(key, "attrs") == 0) {
			if (v->type == YAML_SEQUENCE_NODE) {
				for (yaml_node_item_t *it = v->data.sequence.items.start;
				     it < v->data.sequence.items.top; it++) {
					r = parse_attr(yaml_document_get_node(doc, *it),
						       path, &out.attrs, err);
					if (r < 0)
						return r;
				}
			} else {
				r = parse_attr(v, path, &out.attrs, err);
				if (r < 0)
					return r;
			}
		} else {
			snprintf(msg, sizeof(msg),
				 "unknown key '%.64s' (a role takes fg, bg and attrs)",
				 key);
			return yamlutil_node_err(err, path, k, "%s", msg);
		}
	}
	*st = out;
	return 0;
}

static int
parse_roles(yaml_document_t *doc, yaml_node_t *n, const char *path,
	    struct theme *t, struct rpx_err *err)
{
	char msg[320];

	if (n->type != YAML_MAPPING_NODE)
		return yamlutil_node_err(err, path, n, "'roles' must be a mapping");
	for (yaml_node_pair_t *pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(doc, pair->value);
		const char *key = yamlutil_scalar(k);
		int role, r;

		if (key == NULL)
			return yamlutil_node_err(err, path, k, "a role name must be a word");
		role = theme_role_find(key);
		if (role < 0) {
			struct strbuf sb = STRBUF_INIT;

			for (int i = 0; i < TR_COUNT; i++)
				strbuf_addf(&sb, "%s%s", i ? ", " : "",
					    role_names[i]);
			snprintf(msg, sizeof(msg),
				 "unknown role '%.40s' (roles: %s)", key, sb.buf);
			strbuf_release(&sb);
			return yamlutil_node_err(err, path, k, "%s", msg);
		}
		r = parse_style(doc, v, path, &t->role[role], err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The file name without folder and ".yaml", for the theme's name. */
static void
name_from_path(char *out, size_t outsz, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
		n -= 5;
	snprintf(out, outsz, "%.*s", (int)n, base);
}

int
theme_parse(struct theme *t, const char *text, size_t len, const char *path,
	    struct rpx_err *err)
{
	yaml_document_t doc;
	yaml_node_t *root;
	struct theme out;
	int r = 0;

	theme_default(t);
	theme_default(&out);
	name_from_path(out.name, sizeof(out.name), path ? path : "theme");
	r = yamlutil_load(&doc, text, len, path, "one theme", err);
	if (r != 0)
		return r;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL)
		goto done;	/* an empty file: the default theme */
	if (root->type != YAML_MAPPING_NODE) {
		r = yamlutil_node_err(err, path, root,
			       "a theme must be a mapping with 'name' and 'roles'");
		goto out;
	}
	for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(&doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(&doc, pair->value);
		const char *key = yamlutil_scalar(k);
		const char *val = yamlutil_scalar(v);
		char msg[160];

		if (key == NULL) {
			r = yamlutil_node_err(err, path, k, "a key must be a word");
			goto out;
		}
		if (strcmp(key, "name") == 0 && val != NULL) {
			snprintf(out.name, sizeof(out.name), "%s", val);
		} else if (strcmp(key, "description") == 0 && val != NULL) {
			continue;
		} else if (strcmp(key, "color") == 0 && val != NULL) {
			if (strcmp(val, "true") == 0) {
				out.color = true;
			} else if (strcmp(val, "false") == 0) {
				out.color = false;
			} else {
				r = yamlutil_node_err(err, path, v,
					       "'color' takes true or false");
				goto out;
			}
		} else if (strcmp(key, "roles") == 0) {
			r = parse_roles(&doc, v, path, &out, err);
			if (r < 0)
				goto out;
		} else {
			snprintf(msg, sizeof(msg),
				 "unknown key '%.64s' (a theme has name, description, color and roles)",
				 key);
			r = yamlutil_node_err(err, path, k, "%s", msg);
			goto out;
		}
	}
done:
	*t = out;
out:
	yaml_document_delete(&doc);
	return r;
}

int
theme_load_file(struct theme *t, const char *path, struct rpx_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *f = NULL;
	char buf[4096];
	size_t n;
	int r;

	theme_default(t);
	f = fopen(path, "r");
	if (f == NULL) {
		r = errno == ENOENT ? RPX_ENOTFOUND : RPX_EIO;
		rpx_err_set(err, path, 0, 0, "cannot open theme: %s",
			    strerror(errno));
		goto out;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(f)) {
		rpx_err_set(err, path, 0, 0, "cannot read theme");
		r = RPX_EIO;
		goto out;
	}
	r = theme_parse(t, sb.buf, sb.len, path, err);
out:
	if (f != NULL)
		fclose(f);
	strbuf_release(&sb);
	return r;
}

static char *
readable(char *path)
{
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		free(path);
		return NULL;
	}
	fclose(f);
	return path;
}

char *
theme_path(const char *name, const char *datadir)
{
	const char *xdg = rpx_getenv("XDG_CONFIG_HOME");
	const char *home = rpx_getenv("HOME");
	char *p = NULL;

	if (name == NULL || *name == '\0')
		return NULL;
	if (strchr(name, '/') != NULL)
		return readable(xstrdup(name));
	if (xdg != NULL)
		p = readable(xasprintf("%s/rpi-cross/themes/%s.yaml", xdg, name));
	else if (home != NULL)
		p = readable(xasprintf("%s/.config/rpi-cross/themes/%s.yaml",
				       home, name));
	if (p == NULL && datadir != NULL)
		p = readable(xasprintf("%s/themes/%s.yaml", datadir, name));
	return p;
}

const char *
theme_datadir(void)
{
	return RPX_DATADIR;
}

/* Whether the n bytes at s are "." or "..": a folder named so has no
 * parent to find by cutting the path. */
static bool
is_dot_name(const char *s, size_t n)
{
	return (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

char *
theme_datadir_beside(const char *exe)
{
	size_t end, start;

	if (exe == NULL || exe[0] != '/')
		return NULL;
	/* cut the binary's name, then the slashes before it: end is the
	 * end of the binary's folder */
	end = strlen(exe);
	while (end > 0 && exe[end - 1] != '/')
		end--;
	while (end > 0 && exe[end - 1] == '/')
		end--;
	/* the binary's folder is exe[start..end); its parent ends at start */
	start = end;
	while (start > 0 && exe[start - 1] != '/')
		start--;
	if (is_dot_name(exe + start, end - start))
		return xasprintf("%.*s/../share/rpi-cross", (int)end, exe);
	while (start > 0 && exe[start - 1] == '/')
		start--;
	return xasprintf("%.*s/share/rpi-cross", (int)start, exe);
}

void
theme_datadirs(struct strvec *dirs, const char *exe)
{
	char *beside = theme_datadir_beside(exe);

	if (beside != NULL)
		strvec_push_nodup(dirs, beside);
	if (beside == NULL || strcmp(beside, theme_datadir()) != 0)
		strvec_push(dirs, theme_datadir());
}

/* "theme 'x' not found (looked in ...)": every folder theme_path() read. */
static void
not_found(struct rpx_err *err, const char *name, const char *const *datadirs)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	while (datadirs != NULL && datadirs[n] != NULL)
		n++;
	strbuf_addf(&sb, "theme '%s' not found (looked in $XDG_CONFIG_HOME/rpi-cross/themes",
		    name);
	if (n == 0)
		strbuf_addf(&sb, " and (none)/themes");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s/themes", i + 1 == n ? " and " : ", ",
			    datadirs[i]);
	strbuf_addch(&sb, ')');
	rpx_err_set(err, NULL, 0, 0, "%s", sb.buf);
	strbuf_release(&sb);
}

int
theme_select(struct theme *t, const char *name, bool no_color,
	     const char *const *datadirs, struct rpx_err *err)
{
	char *path = NULL;
	int r = 0;

	theme_default(t);
	if (no_color) {
		theme_monochrome(t);
		goto out;
	}
	if (name == NULL)
		name = "default";
	/* theme_path() tries the user's folder, then the data folder given */
	if (datadirs == NULL || datadirs[0] == NULL)
		path = theme_path(name, NULL);
	for (size_t i = 0; path == NULL && datadirs != NULL &&
	     datadirs[i] != NULL; i++)
		path = theme_path(name, datadirs[i]);
	if (path == NULL) {
		if (strcmp(name, "default") == 0)
			goto out;
		if (strcmp(name, "monochrome") == 0) {
			theme_monochrome(t);
			goto out;
		}
		r = RPX_ENOTFOUND;
		not_found(err, name, datadirs);
		goto out;
	}
	r = theme_load_file(t, path, err);
out:
	free(path);
	return r;
}
