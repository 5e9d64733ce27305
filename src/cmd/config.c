/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * config.c - `rpi-cross config`: show, set, unset and check Cargo config
 * keys, with a diff before every write (cargo_config.h does the work).
 */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cargo_config.h"
#include "fsutil.h"
#include "json.h"
#include "strbuf.h"
#include "strvec.h"
#include "suggest.h"
#include "toml.h"
#include "version.h"

static const struct opt config_opts[] = {
	/* returned by id: whether each applies depends on the action */
	OPT_ID_ENTRY("global", 0, OPT_NOARG, OPT_GLOBAL, NULL,
		     "the global $CARGO_HOME/config.toml"),
	PROJECT_OPT,
	OPT_ID_ENTRY("file", 0, OPT_ARG, OPT_FILE, "FILE", "this config file"),
	OPT_ID_ENTRY("dry-run", 'n', OPT_NOARG, OPT_DRY_RUN, NULL,
		     "show the diff, write nothing"),
	OPT_ID_ENTRY("yes", 'y', OPT_NOARG, OPT_YES, NULL, "write without asking"),
	OPT_JSON_ENTRY,
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info config_info = {
	"config",
	"rpi-cross config show [--project DIR | --file F] [--json]\n"
	"rpi-cross config set [--global | --project DIR | --file F] [--dry-run] [--yes] KEY=VALUE...\n"
	"rpi-cross config unset [--global | --project DIR | --file F] [--dry-run] [--yes] KEY...\n"
	"rpi-cross config check FILE",
	"Show, change or check Cargo's config files without disturbing anything\n"
	"else in them.",
	"KEY is a dotted TOML key (target.armv7-unknown-linux-gnueabihf.linker);\n"
	"a VALUE that parses as a TOML value is taken as one, else as a string.\n"
	"set and unset show a unified diff, keep the old file as FILE.bak and\n"
	"replace the file atomically; without --yes they ask on the terminal,\n"
	"and refuse when there is none. The default file is the global one.",
	config_opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_config_info(void)
{
	return &config_info;
}

enum action { ACT_SHOW, ACT_SET, ACT_UNSET, ACT_CHECK };

struct config_args {
	enum action act;
	const char *name;	/* "config set" */
	bool global, dry_run, yes, json;
	const char *project;
	const char *file;
	char **pos;		/* positional arguments (into argv) */
	int npos;
};

static int
parse_args(int argc, char **argv, struct ctx *ctx, struct config_args *a,
	   struct opt_parser *p)
{
	int id;

	opt_init(p, ctx, a->name, config_opts, argc, argv);
	while ((id = opt_next(p)) != OPT_DONE) {
		const char *bad = NULL;

		switch (id) {
		case OPT_ERROR:
			return RPX_EXIT_USAGE;
		case OPT_HELP:
			cmd_print_help(ctx, &config_info);
			return RPX_EXIT_OK;
		case OPT_GLOBAL:
			a->global = true;
			if (a->act == ACT_SHOW || a->act == ACT_CHECK)
				bad = "--global";
			break;
		case OPT_PROJECT:
			a->project = p->arg;
			if (a->act == ACT_CHECK)
				bad = "--project";
			break;
		case OPT_FILE:
			a->file = p->arg;
			if (a->act == ACT_CHECK)
				bad = "--file";
			break;
		case OPT_DRY_RUN:
			a->dry_run = true;
			if (a->act == ACT_SHOW || a->act == ACT_CHECK)
				bad = "--dry-run";
			break;
		case OPT_YES:
			a->yes = true;
			if (a->act == ACT_SHOW || a->act == ACT_CHECK)
				bad = "--yes";
			break;
		case OPT_JSON:
			a->json = true;
			if (a->act != ACT_SHOW)
				bad = "--json";
			break;
		default:
			break;
		}
		if (bad != NULL)
			return rpx_usage_error(ctx, "config",
					       "option '%s' does not apply to '%s'",
					       bad, a->name);
	}
	if ((a->global ? 1 : 0) + (a->project ? 1 : 0) + (a->file ? 1 : 0) > 1)
		return rpx_usage_error(ctx, "config",
				       "--global, --project and --file exclude "
				       "each other");
	a->pos = p->pos;
	a->npos = p->npos;
	return -1;
}

/* "path:line:col: msg" of a parse error, malloc'd. */
static char *
err_text(const struct rpx_err *e)
{
	struct strbuf sb = STRBUF_INIT;

	if (e->path[0] != '\0')
		strbuf_addf(&sb, "%s:", e->path);
	if (e->line > 0)
		strbuf_addf(&sb, "%d:", e->line);
	if (e->line > 0 && e->col > 0)
		strbuf_addf(&sb, "%d:", e->col);
	if (sb.len > 0)
		strbuf_addch(&sb, ' ');
	strbuf_adds(&sb, e->msg);
	return strbuf_detach(&sb, NULL);
}

/* ---- show ---- */

static void
show_value(struct ctx *ctx, struct json *j, const char *label,
	   const struct cargo_config_value *v)
{
	if (j != NULL) {
		json_obj_begin(j);
		json_kstr(j, "key", v->key);
		json_kstr(j, "value", v->value);
		json_kstr(j, "origin", v->origin);
		json_kstr(j, "note", v->note);
		json_obj_end(j);
		return;
	}
	if (v->value == NULL)
		fprintf(ctx->out, "%s = (not set)\n", label);
	else
		fprintf(ctx->out, "%s = %s    %s# %s%s\n", label, v->value,
			rpx_sgr(ctx->color_out, SGR_DIM), v->origin,
			rpx_sgr(ctx->color_out, SGR_RESET));
	if (v->note != NULL)
		fprintf(ctx->out, "%*snote: %s\n",
			(int)(strspn(label, " ") + 4), "", v->note);
}

static void
show_key(struct ctx *ctx, struct json *j, const struct cargo_config_set *set,
	 const char *key, const char *label)
{
	struct cargo_config_value v;

	if (cargo_config_effective(set, key, &v) < 0)
		return;
	show_value(ctx, j, label, &v);
	cargo_config_value_release(&v);
}

static int
config_show(struct ctx *ctx, const struct config_args *a)
{
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct json jw, *j = NULL;
	char *home = NULL, **targets = NULL;
	int ret = RPX_EXIT_FAIL;

	if (a->npos > 0)
		return rpx_usage_error(ctx, "config",
				       "unexpected argument '%s'", a->pos[0]);
	if (a->project != NULL && !rpx_is_dir(a->project)) {
		rpx_errorf(ctx, "cannot use project '%s': not a folder",
			   a->project);
		goto out;
	}
	if (a->file != NULL) {
		/* that file alone: no environment variable overrides it */
		set.getenv_fn = cargo_config_no_env;
		cargo_config_add_file(&set, a->file, false);
	} else {
		home = cargo_config_home(NULL, NULL);
		if (home == NULL) {
			rpx_errorf(ctx, "cannot find Cargo's home: set "
				   "CARGO_HOME or HOME");
			goto out;
		}
		cargo_config_discover(&set, a->project ? a->project : ".",
				      home);
	}
	if (a->json) {
		json_init(&jw, ctx->out);
		j = &jw;
		json_doc_begin(j);
		json_key(j, "files");
		json_arr_begin(j);
	} else {
		fprintf(ctx->out, "Files Cargo reads, highest precedence "
			"first:\n");
		if (set.nfiles == 0)
			fprintf(ctx->out, "  (none)\n");
	}
	for (size_t i = 0; i < set.nfiles; i++) {
		const struct cargo_config_file *f = &set.files[i];
		char *e = f->doc == NULL ? err_text(&f->err) : NULL;

		if (j != NULL) {
			json_obj_begin(j);
			json_kstr(j, "path", f->path);
			json_kbool(j, "global", f->global);
			json_kbool(j, "legacy", f->legacy);
			json_kstr(j, "error", e);
			json_obj_end(j);
		} else {
			fprintf(ctx->out, "  %s%s%s\n", f->path,
				f->global ? " (global)" : "",
				f->legacy ? " (legacy name)" : "");
			if (e != NULL)
				fprintf(ctx->out, "    error: %s\n", e);
		}
		free(e);
	}
	if (j != NULL) {
		json_arr_end(j);
		json_key(j, "warnings");
		json_arr_begin(j);
	}
	for (size_t i = 0; i < set.warnings.n; i++) {
		if (j != NULL)
			json_str(j, set.warnings.v[i]);
		else
			fprintf(ctx->out, "warning: %s\n", set.warnings.v[i]);
	}
	if (j != NULL) {
		json_arr_end(j);
		json_key(j, "values");
		json_arr_begin(j);
	} else {
		fputc('\n', ctx->out);
	}
	show_key(ctx, j, &set, "build.target", "build.target");
	show_key(ctx, j, &set, "build.rustflags", "build.rustflags");
	targets = cargo_config_targets(&set);
	for (size_t i = 0; targets[i] != NULL; i++) {
		static const char *const what[] = {
			"linker", "runner", "rustflags",
		};
		char *q = NULL;
		char *segs_key = NULL;

		{
			char *segs[2] = { (char *)"target", targets[i] };
			struct strbuf sb = STRBUF_INIT;

			/* The table's name in TOML syntax. */
			strbuf_adds(&sb, segs[0]);
			strbuf_addch(&sb, '.');
			if (strspn(targets[i], "abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
			    == strlen(targets[i]) && targets[i][0] != '\0') {
				strbuf_adds(&sb, targets[i]);
			} else {
				q = toml_quote_string(targets[i],
						      strlen(targets[i]));
				strbuf_adds(&sb, q);
			}
			segs_key = strbuf_detach(&sb, NULL);
		}
		if (j == NULL)
			fprintf(ctx->out, "[%s]\n", segs_key);
		for (size_t w = 0; w < ARRAY_SIZE(what); w++) {
			char *key = xasprintf("%s.%s", segs_key, what[w]);
			char *label = xasprintf("  %s", what[w]);

			show_key(ctx, j, &set, key, label);
			free(key);
			free(label);
		}
		free(q);
		free(segs_key);
	}
	ret = cargo_config_set_has_errors(&set) ? RPX_EXIT_FAIL : RPX_EXIT_OK;
	if (j != NULL) {
		json_arr_end(j);
		json_kbool(j, "ok", ret == RPX_EXIT_OK);
		json_doc_end(j);
		fputc('\n', ctx->out);
	}
	if (ret != RPX_EXIT_OK)
		rpx_errorf(ctx, "a config file cannot be read or parsed");
out:
	strvec_free_array(targets);
	cargo_config_set_release(&set);
	free(home);
	return ret;
}

/* ---- set / unset ---- */

/* Where '=' splits KEY=VALUE: the first one outside quotes. */
static const char *
find_eq(const char *s)
{
	char quote = 0;

	for (const char *p = s; *p; p++) {
		if (quote != 0) {
			if (*p == '\\' && quote == '"' && p[1] != '\0')
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '=') {
			return p;
		}
	}
	return NULL;
}

/* VALUE as TOML text: itself when it is one TOML value, else quoted. */
static char *
value_text(const char *v)
{
	struct toml_doc *d = NULL;
	char *text = xasprintf("v = %s\n", v);
	char *ret;

	if (toml_parse(&d, text, strlen(text), NULL, NULL) == 0 &&
	    toml_node_count(toml_doc_root(d)) == 1 &&
	    toml_get_key(d, "v") != NULL && strchr(v, '\n') == NULL)
		ret = xstrdup(v);
	else
		ret = toml_quote_string(v, strlen(v));
	toml_doc_free(d);
	free(text);
	return ret;
}

/* The file set/unset edit; NULL (message printed) when none. */
static char *
edit_path(struct ctx *ctx, const struct config_args *a)
{
	char *dir = NULL, *path, *legacy, *modern;

	if (a->file != NULL)
		return xstrdup(a->file);
	if (a->project != NULL) {
		if (!rpx_is_dir(a->project)) {
			rpx_errorf(ctx, "cannot use project '%s': not a folder",
				   a->project);
			return NULL;
		}
		dir = xasprintf("%s/.cargo", a->project);
	} else {
		dir = cargo_config_home(NULL, NULL);
		if (dir == NULL) {
			rpx_errorf(ctx, "cannot find Cargo's home: set "
				   "CARGO_HOME or HOME");
			return NULL;
		}
	}
	path = cargo_config_path_in(dir);
	legacy = xasprintf("%s/config", dir);
	modern = xasprintf("%s/config.toml", dir);
	if (access(legacy, F_OK) == 0 && access(modern, F_OK) == 0)
		rpx_warnf(ctx, "both '%s' and '%s' exist: Cargo reads '%s', "
			  "so that is the file edited", legacy, modern, legacy);
	free(legacy);
	free(modern);
	free(dir);
	return path;
}

static int
config_edit(struct ctx *ctx, const struct config_args *a)
{
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct cargo_config_edit *edits = NULL;
	struct rpx_err err = RPX_ERR_INIT;
	char **keys = NULL, **values = NULL, *path = NULL;
	int ret = RPX_EXIT_FAIL, n = a->npos, r;

	if (n == 0)
		return rpx_usage_error(ctx, "config", "missing %s",
				       a->act == ACT_SET ? "KEY=VALUE" : "KEY");
	edits = xcalloc((size_t)n, sizeof(*edits));
	keys = xcalloc((size_t)n, sizeof(*keys));
	values = xcalloc((size_t)n, sizeof(*values));
	for (int i = 0; i < n; i++) {
		const char *arg = a->pos[i], *eq = NULL;
		char **segs = NULL;
		size_t nseg = 0;

		if (a->act == ACT_SET) {
			eq = find_eq(arg);
			if (eq == NULL) {
				ret = rpx_usage_error(ctx, "config",
						      "expected KEY=VALUE, "
						      "got '%s'", arg);
				goto out;
			}
			keys[i] = xstrndup(arg, (size_t)(eq - arg));
			values[i] = value_text(eq + 1);
		} else {
			keys[i] = xstrdup(arg);
		}
		if (toml_key_split(keys[i], &segs, &nseg, &err) < 0 ||
		    nseg == 0) {
			toml_segs_free(segs);
			ret = rpx_usage_error(ctx, "config", "bad key '%s': %s",
					      keys[i], err.msg[0] ? err.msg :
					      "empty key");
			goto out;
		}
		toml_segs_free(segs);
		edits[i].key = keys[i];
		edits[i].value = values[i];
	}
	path = edit_path(ctx, a);
	if (path == NULL)
		goto out;
	r = cargo_config_load(&ch, path, &err);
	if (r == RPX_EPARSE) {
		rpx_err_print(ctx->err, &err);
		rpx_errorf(ctx, "cannot edit '%s': it is not valid TOML; "
			   "nothing written", path);
		goto out;
	}
	if (r < 0) {
		rpx_errorf(ctx, "%s", err.msg);
		goto out;
	}
	if (cargo_config_apply(&ch, edits, (size_t)n, &err) < 0) {
		rpx_errorf(ctx, "%s; nothing written", err.msg);
		goto out;
	}
	if (!cargo_config_changed(&ch)) {
		fprintf(ctx->out, "%s: already as asked, nothing to write\n",
			path);
		ret = RPX_EXIT_OK;
		goto out;
	}
	fputs(ch.diff, ctx->out);
	fflush(ctx->out);
	if (a->dry_run) {
		ret = RPX_EXIT_OK;
		goto out;
	}
	if (!cmd_may_write(ctx, path, a->yes))
		goto out;
	{
		/* Tests widen the window between reading and writing. */
		const char *pause = rpx_getenv("RPX_TEST_PAUSE_BEFORE_WRITE");

		if (pause != NULL)
			sleep((unsigned)strtoul(pause, NULL, 10));
	}
	if (cargo_config_commit(&ch, &err) < 0) {
		rpx_errorf(ctx, "%s", err.msg);
		goto out;
	}
	if (ch.backup != NULL)
		fprintf(ctx->out, "wrote '%s' (previous content in '%s')\n",
			path, ch.backup);
	else
		fprintf(ctx->out, "wrote '%s' (new file)\n", path);
	ret = RPX_EXIT_OK;
out:
	for (int i = 0; i < n; i++) {
		free(keys[i]);
		free(values[i]);
	}
	free(keys);
	free(values);
	free(edits);
	free(path);
	cargo_config_change_release(&ch);
	return ret;
}

/* ---- check ---- */

static int
config_check(struct ctx *ctx, const struct config_args *a)
{
	struct toml_doc *doc = NULL;
	struct rpx_err err = RPX_ERR_INIT;
	char *buf = NULL;
	size_t len = 0;
	int r;

	if (a->npos == 0)
		return rpx_usage_error(ctx, "config", "missing FILE");
	if (a->npos > 1)
		return rpx_usage_error(ctx, "config",
				       "unexpected argument '%s'", a->pos[1]);
	r = fsutil_read_file(a->pos[0], &buf, &len);
	if (r < 0) {
		rpx_errorf(ctx, "cannot read '%s': %s", a->pos[0],
			   r == RPX_EIO ? strerror(errno) :
			   r == RPX_EINVAL ? "it is a folder" :
			   "no such file");
		return RPX_EXIT_FAIL;
	}
	r = toml_parse_take(&doc, buf, len, a->pos[0], &err);
	if (r < 0) {
		rpx_err_print(ctx->err, &err);
		return RPX_EXIT_FAIL;
	}
	toml_doc_free(doc);
	fprintf(ctx->out, "%s: ok\n", a->pos[0]);
	return RPX_EXIT_OK;
}

/* "unknown config action", with the closest actions as a hint. */
static int
unknown_action(const struct ctx *ctx, const char *typed,
	       const char *const *subs, size_t nsubs)
{
	struct suggest s;
	char *hint;
	int r;

	suggest_init(&s, typed);
	for (size_t i = 0; i < nsubs; i++)
		suggest_add(&s, subs[i]);
	hint = suggest_text(&s, NULL);
	r = rpx_usage_error_hint(ctx, "config", hint,
				 "unknown config action '%s' (show, set, unset or check)",
				 typed);
	free(hint);
	suggest_release(&s);
	return r;
}

int
cmd_config(int argc, char **argv, struct ctx *ctx)
{
	static const char *const subs[] = { "show", "set", "unset", "check" };
	struct config_args a;
	struct opt_parser p;
	int ret;

	/* the common -q may come before the action too */
	while (argc >= 2 && (strcmp(argv[1], "-q") == 0 ||
			     strcmp(argv[1], "--quiet") == 0)) {
		ctx->quiet = true;
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		cmd_print_help(ctx, &config_info);
		return RPX_EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		/* like every command's --version (opt.h) */
		fprintf(ctx->out, "rpi-cross %s\n", rpx_version());
		return RPX_EXIT_OK;
	}
	if (argc < 2 || argv[1][0] == '-')
		return rpx_usage_error(ctx, "config",
				       "missing action: show, set, unset or check");
	memset(&a, 0, sizeof(a));
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++)
		if (strcmp(argv[1], subs[i]) == 0)
			a.act = (enum action)i;
	if (strcmp(argv[1], subs[a.act]) != 0)
		return unknown_action(ctx, argv[1], subs, ARRAY_SIZE(subs));
	a.name = a.act == ACT_SHOW ? "config show" :
		 a.act == ACT_SET ? "config set" :
		 a.act == ACT_UNSET ? "config unset" : "config check";
	ret = parse_args(argc - 1, argv + 1, ctx, &a, &p);
	if (ret < 0) {
		switch (a.act) {
		case ACT_SHOW:
			ret = config_show(ctx, &a);
			break;
		case ACT_SET:
		case ACT_UNSET:
			ret = config_edit(ctx, &a);
			break;
		case ACT_CHECK:
			ret = config_check(ctx, &a);
			break;
		}
	}
	opt_release(&p);
	return ret;
}
