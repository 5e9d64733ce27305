/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sysroot.c - `rpi-cross sysroot pull|status|clean|add`: a Pi's own
 * headers and libraries on this computer (sysroot.h does the work), so C
 * libraries link against the board's glibc.
 */
#include "cmd.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cargo_config.h"
#include "json.h"
#include "remote.h"
#include "ssh_cli.h"
#include "sysroot.h"
#include "sysroot_config.h"

enum { OPT_NAME = 1100, OPT_ALL, OPT_NO_COMPRESS, OPT_WRITE_CONFIG };

static const struct opt sysroot_opts[] = {
	HOST_OPT,
	OPT_ID_ENTRY("target", 0, OPT_ARG, OPT_TARGET, "TRIPLE",
		     "Rust target (default: the one the Pi's userland runs)"),
	OPT_ID_ENTRY("name", 0, OPT_ARG, OPT_NAME, "NAME",
		     "the sysroot's name (default HOST-CODENAME-ARCH)"),
	OPT_ID_ENTRY("no-compress", 0, OPT_NOARG, OPT_NO_COMPRESS, NULL,
		     "pull: no gzip on the Pi (a link faster than its CPU)"),
	OPT_ID_ENTRY("write-config", 0, OPT_NOARG, OPT_WRITE_CONFIG, NULL,
		     "pull: wire the sysroot into $CARGO_HOME/config.toml"),
	OPT_ID_ENTRY("dry-run", 'n', OPT_NOARG, OPT_DRY_RUN, NULL,
		     "with --write-config: show the diff, write nothing"),
	OPT_ID_ENTRY("yes", 'y', OPT_NOARG, OPT_YES, NULL,
		     "with --write-config: write without asking"),
	OPT_ID_ENTRY("all", 0, OPT_NOARG, OPT_ALL, NULL,
		     "clean: every sysroot"),
	OPT_JSON_ENTRY,
	OPT_SSH_ENTRIES,
	OPT_QUIET_ENTRY,
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info sysroot_info = {
	"sysroot",
	"rpi-cross sysroot pull [--host H] [--target T] [--name N] [--no-compress]\n"
	"                       [--write-config [--dry-run] [--yes]]\n"
	"rpi-cross sysroot status [--json] [NAME]\n"
	"rpi-cross sysroot clean NAME|--all\n"
	"rpi-cross sysroot add PKG... [--host H] [--name N]",
	"Copy from the Pi what linking C libraries needs (headers, libraries,\n"
	"GCC's start files, the loader, pkg-config files) into a sysroot here.",
	"pull copies /usr/include, /usr/lib/TRIPLE, /lib/TRIPLE, GCC's start\n"
	"files and libgcc, the loader and the pkg-config folders in one\n"
	"compressed stream into $XDG_DATA_HOME/rpi-cross/sysroots/NAME/root;\n"
	"a second pull copies only what changed. Links are made relative and\n"
	"ld scripts use ld's sysroot prefix. A pull that fails or is\n"
	"interrupted leaves the previous sysroot as it was. Nothing is written\n"
	"on the Pi. add downloads -dev packages with the Pi's own apt-get (as\n"
	"the login user, nothing installed) and unpacks them into the sysroot.\n"
	"--write-config then wires the sysroot into Cargo's global config (a\n"
	"diff first, like setup --sysroot). The host comes from --host, else\n"
	"RPI_CROSS_HOST.",
	sysroot_opts,
};

const struct cmd_info *
cmd_sysroot_info(void)
{
	return &sysroot_info;
}

struct sysroot_args {
	const char *action;
	const char *host, *name;
	const struct target *target;
	bool json, all, no_compress, write_config, dry_run, yes;
	char **pos;
	int npos;
};

static volatile sig_atomic_t sysroot_stop;

static void
on_signal(int sig)
{
	(void)sig;
	sysroot_stop = 1;
}

static void
print_mb(FILE *f, long long bytes)
{
	fprintf(f, "%.1f MB", (double)bytes / 1e6);
}

static int
connect_pi(struct ctx *ctx, struct ssh_cli *cli, struct remote *r,
	   const char *host)
{
	cli->ro.target = host;
	if (remote_connect(r, &cli->ro) != 0) {
		rpx_errorf(ctx, "%s", r->err);
		return -1;
	}
	return 0;
}

static void
print_stats(struct ctx *ctx, const char *verb, const char *name,
	    const struct remote *r, const struct sysroot_stats *st)
{
	FILE *f = ctx->out;
	struct strbuf root = STRBUF_INIT;
	char err[256];

	fprintf(f, "%s sysroot '%s' from %s\n", verb, name, r->display);
	fprintf(f, "  fetched:  %lld files, %lld bytes (%lld bytes "
		"compressed)\n", st->fetched, st->fetched_bytes,
		st->wire_bytes);
	fprintf(f, "  kept:     %lld unchanged, %lld removed\n", st->reused,
		st->removed);
	fprintf(f, "  fixed:    %lld links, %lld ld scripts\n",
		st->links_fixed, st->scripts_fixed);
	fprintf(f, "  size:     ");
	print_mb(f, st->bytes);
	fprintf(f, " in %lld files\n", st->files);
	if (sysroot_resolve(name, &root, NULL, err, sizeof(err)) == 0)
		fprintf(f, "  root:     %s\n", root.buf);
	strbuf_release(&root);
}

/* The diff (and its reasons) before asking, without the dry run's
 * closing "nothing written" line. */
static int
show_diff(struct ctx *ctx, const struct sysroot_wiring *w, struct rpx_err *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	const char *tail = "Dry run: nothing written.\n";
	int r;

	if (mem == NULL)
		return sysroot_config_write(w, NULL, true, ctx->out, e);
	r = sysroot_config_write(w, NULL, true, mem, e);
	fclose(mem);
	if (r != 0)
		rpx_err_print(ctx->err, e);
	else if (len >= strlen(tail) &&
		 strcmp(buf + len - strlen(tail), tail) == 0)
		len -= strlen(tail);
	fwrite(buf, 1, len, ctx->out);
	fflush(ctx->out);
	free(buf);
	return r;
}

/* --write-config: the sysroot name into Cargo's global config, by
 * sysroot_config_write() (a diff first; asked unless --yes). */
static int
write_config(struct ctx *ctx, const struct sysroot_args *a, const char *name)
{
	struct strbuf root = STRBUF_INIT, dir = STRBUF_INIT;
	struct sysroot_info in;
	struct sysroot_wiring w;
	struct rpx_err e = RPX_ERR_INIT;
	char err[1024];
	char *home = NULL, *path = NULL;
	FILE *null = NULL;
	int ret = RPX_EXIT_FAIL;

	if (sysroot_resolve(name, &root, &dir, err, sizeof(err)) != 0 ||
	    sysroot_info_load(dir.buf, &in, err, sizeof(err)) != 0) {
		rpx_errorf(ctx, "%s", err);
		goto out;
	}
	memset(&w, 0, sizeof(w));
	w.root = root.buf;
	w.target = in.target;
	w.gnu_triple = in.gnu_triple;
	w.glibc = in.glibc;
	w.os_codename = in.os_codename;
	fflush(ctx->out);
	if (a->dry_run || a->yes) {
		if (sysroot_config_write(&w, NULL, a->dry_run, ctx->out,
					 &e) != 0)
			rpx_err_print(ctx->err, &e);
		else
			ret = RPX_EXIT_OK;
		goto out_info;
	}
	if (show_diff(ctx, &w, &e) != 0)
		goto out_info;
	home = cargo_config_home(NULL, NULL);
	path = home ? cargo_config_path_in(home) : NULL;
	if (path == NULL || !cmd_may_write(ctx, path, false))
		goto out_info;
	/* the diff is on the screen already */
	null = fopen("/dev/null", "w");
	if (sysroot_config_write(&w, NULL, false, null ? null : ctx->out,
				 &e) != 0) {
		rpx_err_print(ctx->err, &e);
		goto out_info;
	}
	fprintf(ctx->out, "Wrote %s.\n", path);
	ret = RPX_EXIT_OK;
out_info:
	sysroot_info_release(&in);
out:
	if (null != NULL)
		fclose(null);
	free(home);
	free(path);
	strbuf_release(&root);
	strbuf_release(&dir);
	return ret;
}

static int
do_pull_or_add(struct ctx *ctx, struct ssh_cli *cli,
	       const struct sysroot_args *a, bool add)
{
	struct remote r = REMOTE_INIT;
	struct sysroot_pull_opts o = SYSROOT_PULL_OPTS_INIT;
	struct sysroot_stats st;
	struct strbuf name = STRBUF_INIT;
	struct sigaction sa, old_int, old_term, ign, old_pipe;
	const char *host = a->host ? a->host : rpx_getenv("RPI_CROSS_HOST");
	char err[2048];
	int rc, ret = RPX_EXIT_FAIL;

	if (host == NULL) {
		rpx_usage_error(ctx, "sysroot", "no Pi given: use --host "
				"[USER@]HOST[:PORT] or set RPI_CROSS_HOST");
		return RPX_EXIT_USAGE;
	}
	if (host[0] == '-') {
		rpx_usage_error(ctx, "sysroot", "host '%s' starts with '-': "
				"refusing it", host);
		return RPX_EXIT_USAGE;
	}
	if (add && a->npos < 2) {
		rpx_usage_error(ctx, "sysroot", "add: name the packages "
				"(rpi-cross sysroot add PKG...)");
		return RPX_EXIT_USAGE;
	}
	if ((a->dry_run || a->yes) && !a->write_config) {
		rpx_usage_error(ctx, "sysroot", "--dry-run and --yes go with "
				"--write-config");
		return RPX_EXIT_USAGE;
	}
	if (add && a->write_config) {
		rpx_usage_error(ctx, "sysroot", "add: --write-config is for "
				"pull (the config names the sysroot's folder, "
				"which add does not change)");
		return RPX_EXIT_USAGE;
	}
	if (!add && a->npos > 1) {
		rpx_usage_error(ctx, "sysroot", "pull: unexpected argument "
				"'%s'", a->pos[1]);
		return RPX_EXIT_USAGE;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGPIPE, &ign, &old_pipe);
	o.name = a->name;
	o.target = a->target;
	o.no_compress = a->no_compress;
	o.progress = !ctx->quiet && isatty(STDERR_FILENO);
	o.progress_out = ctx->err;
	o.stop = &sysroot_stop;
	if (connect_pi(ctx, cli, &r, host) != 0)
		goto out;
	if (add)
		rc = sysroot_add(&r, a->name, a->pos + 1, (size_t)a->npos - 1,
				 &o, &st, err, sizeof(err));
	else
		rc = sysroot_pull(&r, &o, &name, &st, err, sizeof(err));
	if (rc == RPX_ECANCELED || (rc != 0 && sysroot_stop)) {
		rpx_errorf(ctx, "interrupted: the previous sysroot is "
			   "unchanged");
		ret = 130;
		goto out;
	}
	if (rc != 0) {
		rpx_errorf(ctx, "%s", err);
		goto out;
	}
	if (st.skipped > 0)
		rpx_warnf(ctx, "%lld file%s listed on the Pi could not be read "
			  "there (e.g. '%s'): left out; the next pull asks again",
			  st.skipped, st.skipped == 1 ? "" : "s", st.skipped_path);
	if (add) {
		fprintf(ctx->out, "Added");
		for (int i = 1; i < a->npos; i++)
			fprintf(ctx->out, " %s", a->pos[i]);
		fprintf(ctx->out, " (%lld files) to the sysroot of %s; "
			"nothing was installed on the Pi\n", st.fetched,
			r.display);
		fprintf(ctx->out, "  size:     ");
		print_mb(ctx->out, st.bytes);
		fprintf(ctx->out, " in %lld files\n", st.files);
	} else {
		print_stats(ctx, st.first ? "Pulled" : "Updated", name.buf,
			    &r, &st);
	}
	ret = RPX_EXIT_OK;
	if (!add && a->write_config)
		ret = write_config(ctx, a, name.buf);
out:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	remote_release(&r);
	strbuf_release(&name);
	return ret;
}

static void
status_json_one(struct json *j, const char *name, const char *dir,
		const char *root, const struct sysroot_info *in)
{
	json_obj_begin(j);
	json_kstr(j, "name", name);
	json_kstr(j, "path", dir);
	json_kstr(j, "root", root);
	json_kstr(j, "host", in->host);
	json_kstr(j, "user", in->user);
	json_kint(j, "port", in->port);
	json_kstr(j, "target", in->target);
	json_kstr(j, "gnu_triple", in->gnu_triple);
	json_kstr(j, "dpkg_arch", in->dpkg_arch);
	json_kstr(j, "os_id", in->os_id);
	json_kstr(j, "os_codename", in->os_codename);
	json_kstr(j, "os_pretty", in->os_pretty);
	json_kstr(j, "glibc", in->glibc);
	json_kstr(j, "pulled", in->pulled);
	json_kint(j, "files", in->files);
	json_kint(j, "bytes", in->bytes);
	for (int k = 0; k < 2; k++) {
		const struct sysroot_pkg *v = k ? in->added : in->packages;
		size_t n = k ? in->nadded : in->npackages;

		json_key(j, k ? "added" : "packages");
		json_arr_begin(j);
		for (size_t i = 0; i < n; i++) {
			json_obj_begin(j);
			json_kstr(j, "name", v[i].name);
			json_kstr(j, "version", v[i].version);
			json_obj_end(j);
		}
		json_arr_end(j);
	}
	json_obj_end(j);
}

/* A field sysroot.yaml may lack. */
static const char *
field(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "unknown";
}

static void
status_text_one(struct ctx *ctx, const char *name, const char *root,
		const struct sysroot_info *in)
{
	FILE *f = ctx->out;
	const char *bold = rpx_sgr(ctx->color_out, SGR_BOLD);
	const char *reset = rpx_sgr(ctx->color_out, SGR_RESET);

	fprintf(f, "%s%s%s\n", bold, name, reset);
	fprintf(f, "  host:     %s@%s:%d\n", field(in->user), field(in->host),
		in->port);
	fprintf(f, "  OS:       %s\n", field(in->os_pretty));
	fprintf(f, "  glibc:    %s\n", field(in->glibc));
	fprintf(f, "  target:   %s (%s, %s)\n", field(in->target),
		field(in->gnu_triple), field(in->dpkg_arch));
	fprintf(f, "  pulled:   %s\n", field(in->pulled));
	for (int k = 0; k < 2; k++) {
		const struct sysroot_pkg *v = k ? in->added : in->packages;
		size_t n = k ? in->nadded : in->npackages;

		fprintf(f, "  %s %s", k ? "added:   " : "packages:",
			n ? "" : "none");
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%s%s %s", i ? ", " : "", v[i].name,
				v[i].version);
		fputc('\n', f);
	}
	fprintf(f, "  size:     ");
	print_mb(f, in->bytes);
	fprintf(f, " in %lld files\n", in->files);
	fprintf(f, "  root:     %s\n", root);
}

static int
do_status(struct ctx *ctx, const struct sysroot_args *a)
{
	char **names = NULL;
	size_t n = 0;
	char err[1024];
	struct json j;
	int ret = RPX_EXIT_OK;

	if (a->npos > 2) {
		rpx_usage_error(ctx, "sysroot", "status: unexpected argument "
				"'%s'", a->pos[2]);
		return RPX_EXIT_USAGE;
	}
	if (a->npos == 2) {
		names = xmalloc(sizeof(*names));
		names[0] = xstrdup(a->pos[1]);
		n = 1;
	} else if (sysroot_list(&names, &n, err, sizeof(err)) != 0) {
		rpx_errorf(ctx, "%s", err);
		return RPX_EXIT_FAIL;
	}
	if (a->json) {
		json_init(&j, ctx->out);
		json_doc_begin(&j);
		json_key(&j, "sysroots");
		json_arr_begin(&j);
	} else if (n == 0) {
		fprintf(ctx->out, "No sysroots yet: make one with 'rpi-cross "
			"sysroot pull --host PI'\n");
	}
	for (size_t i = 0; i < n; i++) {
		struct strbuf root = STRBUF_INIT, dir = STRBUF_INIT;
		struct sysroot_info in;

		if (sysroot_resolve(names[i], &root, &dir, err,
				    sizeof(err)) != 0 ||
		    sysroot_info_load(dir.buf, &in, err, sizeof(err)) != 0) {
			rpx_errorf(ctx, "%s", err);
			ret = RPX_EXIT_FAIL;
		} else {
			if (a->json)
				status_json_one(&j, in.name, dir.buf,
						root.buf, &in);
			else
				status_text_one(ctx, names[i], root.buf, &in);
			sysroot_info_release(&in);
		}
		strbuf_release(&root);
		strbuf_release(&dir);
		free(names[i]);
	}
	free(names);
	if (a->json) {
		json_arr_end(&j);
		json_doc_end(&j);
	}
	return ret;
}

static int
do_clean(struct ctx *ctx, const struct sysroot_args *a)
{
	char **names = NULL;
	size_t n = 0;
	char err[1024];
	int ret = RPX_EXIT_OK;

	if ((a->all && a->npos > 1) || (!a->all && a->npos != 2)) {
		rpx_usage_error(ctx, "sysroot", "clean: give one NAME or --all "
				"(see 'rpi-cross sysroot status')");
		return RPX_EXIT_USAGE;
	}
	if (a->all) {
		if (sysroot_list(&names, &n, err, sizeof(err)) != 0) {
			rpx_errorf(ctx, "%s", err);
			return RPX_EXIT_FAIL;
		}
	} else {
		names = xmalloc(sizeof(*names));
		names[0] = xstrdup(a->pos[1]);
		n = 1;
	}
	for (size_t i = 0; i < n; i++) {
		int r = sysroot_clean(names[i], err, sizeof(err));

		if (r == RPX_ENOTFOUND) {
			rpx_errorf(ctx, "no sysroot '%s' (see 'rpi-cross "
				   "sysroot status')", names[i]);
			ret = RPX_EXIT_FAIL;
		} else if (r != 0) {
			rpx_errorf(ctx, "%s", err);
			ret = RPX_EXIT_FAIL;
		} else {
			fprintf(ctx->out, "Removed sysroot '%s'\n", names[i]);
		}
		free(names[i]);
	}
	if (a->all && n == 0)
		fprintf(ctx->out, "No sysroots to remove\n");
	free(names);
	return ret;
}

int
cmd_sysroot(int argc, char **argv, struct ctx *ctx)
{
	struct opt_parser p;
	struct ssh_cli cli;
	struct sysroot_args a;
	int id, ret = RPX_EXIT_USAGE;

	memset(&a, 0, sizeof(a));
	ssh_cli_init(&cli, ctx);
	opt_init(&p, ctx, sysroot_info.name, sysroot_info.opts, argc, argv);
	while ((id = opt_next(&p)) != OPT_DONE) {
		switch (id) {
		case OPT_ERROR:
			goto out;
		case OPT_HELP:
			cmd_print_help(ctx, &sysroot_info);
			ret = RPX_EXIT_OK;
			goto out;
		case OPT_HOST:
			a.host = p.arg;
			break;
		case OPT_NAME:
			a.name = p.arg;
			break;
		case OPT_TARGET:
			if (cmd_parse_target(&p, p.arg, &a.target) != 0)
				goto out;
			break;
		case OPT_ALL:
			a.all = true;
			break;
		case OPT_NO_COMPRESS:
			a.no_compress = true;
			break;
		case OPT_WRITE_CONFIG:
			a.write_config = true;
			break;
		case OPT_DRY_RUN:
			a.dry_run = true;
			break;
		case OPT_YES:
			a.yes = true;
			break;
		case OPT_JSON:
			a.json = true;
			break;
		default:
			if (ssh_cli_option(&cli, &p, id) == OPT_ERROR)
				goto out;
			break;
		}
	}
	a.pos = p.pos;
	a.npos = p.npos;
	a.action = p.npos > 0 ? p.pos[0] : NULL;
	if (a.action == NULL) {
		rpx_usage_error(ctx, "sysroot", "missing action: pull, status, "
				"clean or add");
	} else if (strcmp(a.action, "pull") == 0) {
		ret = do_pull_or_add(ctx, &cli, &a, false);
	} else if (strcmp(a.action, "add") == 0) {
		ret = do_pull_or_add(ctx, &cli, &a, true);
	} else if (strcmp(a.action, "status") == 0) {
		ret = do_status(ctx, &a);
	} else if (strcmp(a.action, "clean") == 0) {
		ret = do_clean(ctx, &a);
	} else {
		rpx_usage_error(ctx, "sysroot", "unknown action '%s': pull, "
				"status, clean or add", a.action);
	}
out:
	opt_release(&p);
	return ret;
}
