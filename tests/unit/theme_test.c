/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* theme_test.c - theme YAML loading, errors with line:column, lookup. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "rpx.h"
#include "theme.h"

/* A private folder with files, removed at the end of each test. */
struct dir {
	char path[256];
};

static void
dir_make(struct dir *d)
{
	snprintf(d->path, sizeof(d->path), "%s/rpx-theme-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(d->path));
}

static char *
dir_write(struct dir *d, const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", d->path, rel);
	char *slash = strrchr(p, '/');
	FILE *f;

	/* make the parent folders */
	for (char *q = p + strlen(d->path) + 1; q < slash; q++) {
		if (*q == '/') {
			*q = '\0';
			mkdir(p, 0700);
			*q = '/';
		}
	}
	*slash = '\0';
	mkdir(p, 0700);
	*slash = '/';
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static void
dir_remove(struct dir *d)
{
	char *cmd = xasprintf("rm -rf '%s'", d->path);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void
test_shipped_themes_parse(void **state)
{
	static const char *const names[] = {
		"themes/default.yaml", "themes/high-contrast.yaml",
		"themes/monochrome.yaml",
	};
	struct theme t, builtin;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		int r = theme_load_file(&t, names[i], &err);

		if (r != 0)
			rpx_err_print(stderr, &err);
		assert_int_equal(r, 0);
	}
	/* default.yaml says what the built-in default is */
	assert_int_equal(theme_load_file(&t, "themes/default.yaml", &err), 0);
	theme_default(&builtin);
	assert_memory_equal(t.role, builtin.role, sizeof(t.role));
	assert_true(t.color);
	assert_string_equal(t.name, "default");
	/* monochrome.yaml has no colour and the attributes of the built-in */
	assert_int_equal(theme_load_file(&t, "themes/monochrome.yaml", &err), 0);
	theme_monochrome(&builtin);
	assert_false(t.color);
	for (int i = 0; i < TR_COUNT; i++)
		assert_int_equal(t.role[i].attrs, builtin.role[i].attrs);
	assert_int_equal(theme_load_file(&t, "themes/high-contrast.yaml", &err), 0);
	assert_string_equal(t.name, "high-contrast");
	assert_int_equal(t.role[TR_TEXT].fg, 15);	/* bright-white */
	assert_int_equal(t.role[TR_TEXT].bg, 0);	/* black */
	assert_int_equal(t.role[TR_FAIL].attrs, THEME_BOLD | THEME_UNDERLINE);
}

static void
test_partial_theme_keeps_defaults(void **state)
{
	static const char text[] =
		"name: mine\n"
		"roles:\n"
		"  title: { fg: 208, bg: default, attrs: bold }\n"
		"  ok:\n"
		"    fg: bright-green\n";
	struct theme t, def;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	assert_int_equal(theme_parse(&t, text, strlen(text), "mine.yaml", &err), 0);
	theme_default(&def);
	assert_string_equal(t.name, "mine");
	assert_int_equal(t.role[TR_TITLE].fg, 208);
	assert_int_equal(t.role[TR_TITLE].bg, THEME_DEFAULT);
	assert_int_equal(t.role[TR_TITLE].attrs, THEME_BOLD);
	assert_int_equal(t.role[TR_OK].fg, 10);
	/* the bg of a role given without one stays the default's */
	assert_int_equal(t.role[TR_OK].bg, def.role[TR_OK].bg);
	assert_memory_equal(&t.role[TR_TEXT], &def.role[TR_TEXT],
			    sizeof(t.role[TR_TEXT]));
}

/* Each bad file: the message and the 1-based line:column it names. */
static void
expect_error(const char *text, int line, int col, const char *msg_part)
{
	struct theme t, def;
	struct rpx_err err = RPX_ERR_INIT;
	int r = theme_parse(&t, text, strlen(text), "bad.yaml", &err);

	assert_int_equal(r, RPX_EPARSE);
	if (strstr(err.msg, msg_part) == NULL || err.line != line ||
	    err.col != col)
		fail_msg("got %d:%d: %s, expected %d:%d: ...%s...", err.line,
			 err.col, err.msg, line, col, msg_part);
	assert_string_equal(err.path, "bad.yaml");
	/* never half-loaded */
	theme_default(&def);
	assert_memory_equal(t.role, def.role, sizeof(t.role));
}

static void
test_errors_name_line_and_column(void **state)
{
	(void)state;
	expect_error("roles:\n  titel: { fg: red }\n", 2, 3, "unknown role 'titel'");
	expect_error("roles:\n  title: { fg: purplish }\n", 2, 16,
		     "unknown colour 'purplish'");
	expect_error("roles:\n  ok: { fg: red, attrs: [bold, blink] }\n", 2, 32,
		     "unknown attribute 'blink'");
	expect_error("roles:\n  ok: { fg: 256 }\n", 2, 13, "unknown colour '256'");
	expect_error("roles:\n  ok: { colour: red }\n", 2, 9, "unknown key 'colour'");
	expect_error("colours:\n  ok: red\n", 1, 1, "unknown key 'colours'");
	expect_error("roles:\n  ok: red\n", 2, 7, "a role needs a mapping");
	/* syntax errors come from libyaml's problem mark */
	expect_error("roles:\n  ok: { fg: red\n  title: x\n", 3, 8, "");
	expect_error("roles: [\n", 2, 1, "");
	expect_error("- a\n- b\n", 1, 1, "a theme must be a mapping");
	expect_error("color: maybe\n", 1, 8, "'color' takes true or false");
	expect_error("name: a\n---\nname: b\n", 2, 1,
		     "a second YAML document: the file holds one theme");
}

static void
test_utf8_role_name_column_counts_characters(void **state)
{
	/* "é" is 2 bytes but one column: the error column counts characters */
	static const char text[] = "roles:\n  \xc3\xa9t\xc3\xa9: { fg: red }\n  ok: { fg: nope }\n";
	struct theme t;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	assert_int_equal(theme_parse(&t, text, strlen(text), "u.yaml", &err),
			 RPX_EPARSE);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 3);
	assert_non_null(strstr(err.msg, "unknown role '\xc3\xa9t\xc3\xa9'"));
}

static void
test_color_names(void **state)
{
	short c = 99;

	(void)state;
	assert_int_equal(theme_color_parse("default", &c), 0);
	assert_int_equal(c, THEME_DEFAULT);
	assert_int_equal(theme_color_parse("black", &c), 0);
	assert_int_equal(c, 0);
	assert_int_equal(theme_color_parse("white", &c), 0);
	assert_int_equal(c, 7);
	assert_int_equal(theme_color_parse("bright-black", &c), 0);
	assert_int_equal(c, 8);
	assert_int_equal(theme_color_parse("255", &c), 0);
	assert_int_equal(c, 255);
	assert_int_equal(theme_color_parse("-1", &c), RPX_EINVAL);
	assert_int_equal(theme_color_parse("12x", &c), RPX_EINVAL);
	assert_int_equal(theme_color_parse("Red", &c), RPX_EINVAL);
	assert_int_equal(theme_color_parse("", &c), RPX_EINVAL);
	for (int i = 0; i < TR_COUNT; i++)
		assert_int_equal(theme_role_find(theme_role_name(i)), i);
	assert_int_equal(theme_role_find("nope"), -1);
	assert_null(theme_role_name(TR_COUNT));
}

static void
test_lookup_order_and_select(void **state)
{
	struct dir d;
	struct theme t;
	struct rpx_err err = RPX_ERR_INIT;
	char *cfg, *xdg, *data, *bad, *p;
	char *old_xdg = getenv("XDG_CONFIG_HOME") ?
			xstrdup(getenv("XDG_CONFIG_HOME")) : NULL;

	(void)state;
	dir_make(&d);
	cfg = dir_write(&d, "cfg/rpi-cross/themes/sea.yaml",
			"name: sea-user\nroles:\n  title: { fg: blue }\n");
	data = dir_write(&d, "data/themes/sea.yaml", "name: sea-installed\n");
	free(dir_write(&d, "data/themes/only.yaml", "name: only-installed\n"));
	bad = dir_write(&d, "cfg/rpi-cross/themes/bad.yaml",
			"name: bad\nroles:\n  title: { fg: purplish }\n");
	xdg = xasprintf("%s/cfg", d.path);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	p = xasprintf("%s/data", d.path);
	const char *dirs[] = { p, NULL };

	/* the user's folder wins over the installed one */
	char *found = theme_path("sea", p);
	assert_string_equal(found, cfg);
	free(found);
	found = theme_path("only", p);
	assert_non_null(found);
	assert_non_null(strstr(found, "/data/themes/only.yaml"));
	free(found);
	assert_null(theme_path("absent", p));
	assert_null(theme_path("", p));
	/* a name with '/' is a path */
	found = theme_path(data, NULL);
	assert_string_equal(found, data);
	free(found);

	assert_int_equal(theme_select(&t, "sea", false, dirs, &err), 0);
	assert_string_equal(t.name, "sea-user");
	assert_int_equal(theme_select(&t, "only", false, dirs, &err), 0);
	assert_string_equal(t.name, "only-installed");
	/* NO_COLOR wins over any name */
	assert_int_equal(theme_select(&t, "sea", true, dirs, &err), 0);
	assert_false(t.color);
	assert_string_equal(t.name, "monochrome");
	/* no file called default: the built-in one, no error */
	assert_int_equal(theme_select(&t, NULL, false, dirs, &err), 0);
	assert_string_equal(t.name, "default");
	assert_true(t.color);
	/* monochrome works without a file too */
	assert_int_equal(theme_select(&t, "monochrome", false, dirs, &err), 0);
	assert_false(t.color);
	/* a missing theme: an error to warn about, the built-in default */
	rpx_err_clear(&err);
	assert_int_equal(theme_select(&t, "absent", false, dirs, &err), RPX_ENOTFOUND);
	assert_non_null(strstr(err.msg, "theme 'absent' not found"));
	assert_string_equal(t.name, "default");
	/* a bad file: path:line:col, the built-in default */
	rpx_err_clear(&err);
	assert_int_equal(theme_select(&t, "bad", false, dirs, &err), RPX_EPARSE);
	assert_string_equal(err.path, bad);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 16);
	assert_string_equal(t.name, "default");
	assert_true(t.color);

	if (old_xdg != NULL)
		setenv("XDG_CONFIG_HOME", old_xdg, 1);
	else
		unsetenv("XDG_CONFIG_HOME");
	free(old_xdg);
	free(cfg);
	free(data);
	free(bad);
	free(xdg);
	free(p);
	dir_remove(&d);
}

/* The data folder beside the binary: its folder's parent, then share/. */
static void
test_datadir_beside(void **state)
{
	static const struct {
		const char *exe, *want;
	} cases[] = {
		{ "/usr/bin/rpi-cross", "/usr/share/rpi-cross" },
		{ "/opt/rpx-test/bin/rpi-cross", "/opt/rpx-test/share/rpi-cross" },
		{ "/tmp/x/usr/local/bin/rpi-cross", "/tmp/x/usr/local/share/rpi-cross" },
		{ "/opt//rpx//bin//rpi-cross", "/opt//rpx/share/rpi-cross" },
		{ "/bin/rpi-cross", "/share/rpi-cross" },
		{ "/rpi-cross", "/share/rpi-cross" },
		/* a folder named . or .. has no parent to cut to */
		{ "/opt/x/bin/../rpi-cross", "/opt/x/bin/../../share/rpi-cross" },
		{ "/opt/x/./rpi-cross", "/opt/x/./../share/rpi-cross" },
		/* relative or no path: nothing reliable */
		{ "bin/rpi-cross", NULL },
		{ "rpi-cross", NULL },
		{ "", NULL },
		{ NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = theme_datadir_beside(cases[i].exe);

		if (cases[i].want == NULL)
			assert_null(got);
		else
			assert_string_equal(got, cases[i].want);
		free(got);
	}
}

/* The folders searched: beside the binary first, the compiled-in one
 * after, never the same folder twice; and theme_select() reads them in
 * that order, naming each when the theme is in none. */
static void
test_datadirs_order(void **state)
{
	struct strvec v = STRVEC_INIT;
	struct dir d;
	struct theme t;
	struct rpx_err err = RPX_ERR_INIT;
	char *exe, *want, *first, *second;
	char *old_xdg = getenv("XDG_CONFIG_HOME") ?
			xstrdup(getenv("XDG_CONFIG_HOME")) : NULL;

	(void)state;
	theme_datadirs(&v, "/opt/rpx-test/bin/rpi-cross");
	assert_int_equal(v.n, 2);
	assert_string_equal(v.v[0], "/opt/rpx-test/share/rpi-cross");
	assert_string_equal(v.v[1], theme_datadir());
	assert_null(v.v[2]);
	strvec_clear(&v);
	/* no binary path: the compiled-in folder alone */
	theme_datadirs(&v, NULL);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.v[0], theme_datadir());
	strvec_clear(&v);
	/* installed where it was built for: one folder, not twice */
	exe = xasprintf("%.*s/bin/rpi-cross",
			(int)(strlen(theme_datadir()) - strlen("/share/rpi-cross")),
			theme_datadir());
	theme_datadirs(&v, exe);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.v[0], theme_datadir());
	strvec_clear(&v);
	free(exe);

	/* a theme in the second folder only is found there; one in both is
	 * taken from the first */
	dir_make(&d);
	setenv("XDG_CONFIG_HOME", d.path, 1);	/* no rpi-cross/themes in it */
	first = xasprintf("%s/first", d.path);
	second = xasprintf("%s/second", d.path);
	free(dir_write(&d, "first/themes/both.yaml", "name: both-first\n"));
	free(dir_write(&d, "second/themes/both.yaml", "name: both-second\n"));
	want = dir_write(&d, "second/themes/later.yaml", "name: later\n");
	const char *dirs[] = { first, second, NULL };
	assert_int_equal(theme_select(&t, "both", false, dirs, &err), 0);
	assert_string_equal(t.name, "both-first");
	assert_int_equal(theme_select(&t, "later", false, dirs, &err), 0);
	assert_string_equal(t.name, "later");
	rpx_err_clear(&err);
	assert_int_equal(theme_select(&t, "absent", false, dirs, &err), RPX_ENOTFOUND);
	char *msg = xasprintf("theme 'absent' not found (looked in "
			      "$XDG_CONFIG_HOME/rpi-cross/themes, %s/themes and %s/themes)",
			      first, second);
	assert_string_equal(err.msg, msg);
	free(msg);
	/* one folder reads as before; none at all too */
	const char *one[] = { second, NULL };
	rpx_err_clear(&err);
	assert_int_equal(theme_select(&t, "absent", false, one, &err), RPX_ENOTFOUND);
	msg = xasprintf("theme 'absent' not found (looked in "
			"$XDG_CONFIG_HOME/rpi-cross/themes and %s/themes)", second);
	assert_string_equal(err.msg, msg);
	free(msg);
	rpx_err_clear(&err);
	assert_int_equal(theme_select(&t, "absent", false, NULL, &err), RPX_ENOTFOUND);
	assert_string_equal(err.msg, "theme 'absent' not found (looked in "
			     "$XDG_CONFIG_HOME/rpi-cross/themes and (none)/themes)");

	if (old_xdg != NULL)
		setenv("XDG_CONFIG_HOME", old_xdg, 1);
	else
		unsetenv("XDG_CONFIG_HOME");
	free(old_xdg);
	free(want);
	free(first);
	free(second);
	dir_remove(&d);
}

static void
test_diff_roles(void **state)
{
	(void)state;
	assert_int_equal(theme_diff_role("@@ -1,2 +1,3 @@"), TR_DIFF_HUNK);
	assert_int_equal(theme_diff_role("--- a/config.toml"), TR_DIM);
	assert_int_equal(theme_diff_role("+++ b/config.toml"), TR_DIM);
	assert_int_equal(theme_diff_role("+linker = \"x\""), TR_DIFF_ADD);
	assert_int_equal(theme_diff_role("-linker = \"y\""), TR_DIFF_DEL);
	assert_int_equal(theme_diff_role("---"), TR_DIFF_DEL);
	assert_int_equal(theme_diff_role(" [build]"), TR_TEXT);
	assert_int_equal(theme_diff_role(""), TR_TEXT);
}

static void
test_missing_file(void **state)
{
	struct theme t;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	assert_int_equal(theme_load_file(&t, "/nonexistent/x.yaml", &err),
			 RPX_ENOTFOUND);
	assert_string_equal(err.path, "/nonexistent/x.yaml");
	assert_string_equal(t.name, "default");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_themes_parse),
		cmocka_unit_test(test_partial_theme_keeps_defaults),
		cmocka_unit_test(test_errors_name_line_and_column),
		cmocka_unit_test(test_utf8_role_name_column_counts_characters),
		cmocka_unit_test(test_color_names),
		cmocka_unit_test(test_lookup_order_and_select),
		cmocka_unit_test(test_datadir_beside),
		cmocka_unit_test(test_datadirs_order),
		cmocka_unit_test(test_diff_roles),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
