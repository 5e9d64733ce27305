/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * connections.c - `rpi-cross connections`: the kept connections (remote.h)
 * of this user, and ending them (--stop HOST, --stop-all).
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "remote.h"

struct conn_args {
	const char *stop;
	bool stop_all;
	bool json;
};

static const struct opt conn_opts[] = {
	OPT_STRING_F("stop", 0, struct conn_args, stop, "HOST",
		     "end the kept connection to HOST ([USER@]HOST[:PORT] "
		     "or the name it was reached by)"),
	OPT_BOOL_F("stop-all", 0, struct conn_args, stop_all,
		   "end every kept connection"),
	OPT_JSON_F(struct conn_args, json),
	OPT_HELP_ENTRY, OPT_END_TABLE,
};

static const struct cmd_info conn_info = {
	"connections",
	"rpi-cross connections [--stop HOST | --stop-all] [--json]",
	"List the kept connections to Pis, or end them.",
	"The first command to a Pi (run, test, detect, doctor) keeps its SSH\n"
	"connection open in a background process, so the next ones skip the\n"
	"handshake; it ends after --keep-time seconds unused (default 600),\n"
	"when its connection breaks, or here. Their sockets live in\n"
	"$XDG_RUNTIME_DIR/rpi-cross, else ~/.cache/rpi-cross/sockets, reachable\n"
	"by this user only; a socket left by a process that died is removed.\n"
	"--no-keep (or RPI_CROSS_NO_KEEP=1) on a command neither uses nor\n"
	"keeps one.\n"
	"Exit status: 0 success, 1 no such connection or the folder is not\n"
	"usable, 2 usage error.",
	conn_opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_connections_info(void)
{
	return &conn_info;
}

/* Does HOST name this connection: its user@host[:port], its host, or
 * the name it was first reached by (with or without the user)? */
static bool
names(const struct remote_keep_entry *e, const char *host)
{
	const char *at = strchr(e->display, '@');
	const char *h = at != NULL ? at + 1 : e->display;
	size_t hl = strcspn(h, ":");
	const char *hat = strchr(host, '@');

	if (strcmp(host, e->display) == 0 || strcmp(host, h) == 0 ||
	    (strlen(host) == hl && strncmp(host, h, hl) == 0) ||
	    (e->alias != NULL && strcmp(host, e->alias) == 0))
		return true;
	/* user@alias */
	return hat != NULL && e->alias != NULL && at != NULL &&
	       (size_t)(at - e->display) == (size_t)(hat - host) &&
	       strncmp(host, e->display, (size_t)(hat - host)) == 0 &&
	       strcmp(hat + 1, e->alias) == 0;
}

static void
print_json(const struct ctx *ctx, const struct remote_keep_entry *v,
	   size_t n, const bool *stopped, bool stopping)
{
	struct json j;

	json_init(&j, ctx->out);
	json_doc_begin(&j);
	json_key(&j, "connections");
	json_arr_begin(&j);
	for (size_t i = 0; i < n; i++) {
		json_obj_begin(&j);
		json_kstr(&j, "host", v[i].display);
		json_kstr(&j, "alias", v[i].alias);
		json_kint(&j, "pid", v[i].pid);
		json_kint(&j, "clients", v[i].clients);
		json_kint(&j, "idle", v[i].idle);
		json_kint(&j, "keep_time", v[i].keep_time);
		json_kint(&j, "started", v[i].started);
		json_kstr(&j, "fingerprint", v[i].fingerprint);
		json_kstr(&j, "socket", v[i].socket);
		if (stopping)
			json_kbool(&j, "stopped", stopped[i]);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_doc_end(&j);
}

static void
print_text(const struct ctx *ctx, const struct remote_keep_entry *v,
	   size_t n)
{
	if (n == 0) {
		fprintf(ctx->out, "No kept connections.\n");
		return;
	}
	fprintf(ctx->out, "%-28s %-8s %-7s %-6s %-6s %s\n", "HOST", "PID",
		"IN USE", "IDLE", "KEEP", "HOST KEY");
	for (size_t i = 0; i < n; i++) {
		char idle[16], keep[16];

		/* in use: not idle */
		snprintf(idle, sizeof(idle), v[i].clients > 0 ? "-" : "%ds",
			 v[i].idle);
		snprintf(keep, sizeof(keep), "%ds", v[i].keep_time);
		fprintf(ctx->out, "%-28s %-8ld %-7d %-6s %-6s %s\n",
			v[i].display, v[i].pid, v[i].clients, idle, keep,
			v[i].fingerprint);
	}
}

int
cmd_connections(int argc, char **argv, struct ctx *ctx)
{
	struct opt_parser p;
	struct conn_args a;
	struct remote_keep_entry *v = NULL;
	bool *stopped = NULL;
	size_t n = 0, nstopped = 0;
	char err[512];
	int id, ret = RPX_EXIT_USAGE;

	memset(&a, 0, sizeof(a));
	if ((id = cmd_parse(&p, ctx, &conn_info, &a, argc, argv)) >= 0) {
		ret = id;
		goto out;
	}
	if (p.npos > 0) {
		rpx_usage_error(ctx, conn_info.name, "unexpected argument "
				"'%s'", p.pos[0]);
		goto out;
	}
	if (a.stop != NULL && a.stop_all) {
		rpx_usage_error(ctx, conn_info.name, "--stop and --stop-all "
				"exclude each other");
		goto out;
	}
	ret = RPX_EXIT_FAIL;
	if (remote_keep_list(&v, &n, err, sizeof(err)) != 0) {
		rpx_errorf(ctx, "%s", err);
		goto out;
	}
	stopped = xcalloc(n + 1, sizeof(*stopped));
	for (size_t i = 0; i < n; i++) {
		if (!a.stop_all && (a.stop == NULL || !names(&v[i], a.stop)))
			continue;
		stopped[i] = remote_keep_stop(v[i].socket) == 0;
		if (stopped[i])
			nstopped++;
		else
			rpx_errorf(ctx, "the kept connection to '%s' (pid %ld) "
				   "did not end; kill %ld ends it",
				   v[i].display, v[i].pid, v[i].pid);
		if (stopped[i] && !a.json)
			fprintf(ctx->out, "Stopped the kept connection to "
				"%s.\n", v[i].display);
	}
	if (a.json)
		print_json(ctx, v, n, stopped, a.stop != NULL || a.stop_all);
	else if (a.stop == NULL && !a.stop_all)
		print_text(ctx, v, n);
	else if (a.stop_all && n == 0)
		fprintf(ctx->out, "No kept connections.\n");
	if (a.stop != NULL && nstopped == 0) {
		rpx_errorf(ctx, "no kept connection to '%s' (see 'rpi-cross "
			   "connections')", a.stop);
		goto out;
	}
	ret = RPX_EXIT_OK;
out:
	free(stopped);
	remote_keep_list_free(v, n);
	opt_release(&p);
	return ret;
}
