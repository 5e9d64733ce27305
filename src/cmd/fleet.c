/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * fleet.c - a command on several Pis (fleet.h): a thread a host, each
 * running this program again through proc_run() with the host in
 * RPI_CROSS_FLEET_HOST, its lines prefixed as they come, then a summary.
 */
#include "fleet.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "profile.h"
#include "selfpath.h"
#include "strvec.h"

#define FLEET_ENV "RPI_CROSS_FLEET_HOST"
#define BUILDS_ENV "RPI_CROSS_FLEET_BUILDS"

/* Ctrl-C, SIGTERM, SIGHUP: the children's groups are ended (proc.h's
 * cancel); the only mutable global, as STYLE allows. */
static volatile sig_atomic_t fleet_stop;

static void
on_signal(int sig)
{
	fleet_stop = sig;
}

struct fleet;

struct fleet_member {
	char *host;
	struct fleet *f;
	struct proc p;
	char *env[3];
	int status;
	pthread_t th;
	bool started;
};

struct fleet {
	const struct ctx *ctx;
	pthread_mutex_t lock;
	int width;
};

const char *
fleet_group(const struct ctx *ctx, const char *hosts, char **owned)
{
	struct profiles ps = PROFILES_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	const struct profile *pr;
	char *path;

	*owned = NULL;
	if (hosts == NULL || hosts[0] != '@')
		return hosts;
	path = profile_default_path();
	if (path == NULL || profiles_read(&ps, path, &err) != 0) {
		rpx_errorf(ctx, "cannot read the group '%s': %s", hosts + 1,
			   err.msg[0] ? err.msg : "no profiles file (HOME "
			   "is not set)");
		goto out;
	}
	pr = profiles_find(&ps, hosts + 1);
	if (pr == NULL || pr->plan.host == NULL) {
		rpx_errorf(ctx, "no group '%s': %s names no profile with a "
			   "host (save one with 'host: a,b,c')", hosts + 1,
			   path);
		goto out;
	}
	*owned = xstrdup(pr->plan.host);
out:
	profiles_release(&ps);
	free(path);
	return *owned;
}

const char *
fleet_host(const char *hosts)
{
	const char *one = rpx_getenv(FLEET_ENV);

	return one != NULL && one[0] != '\0' ? one : hosts;
}

const char *
fleet_builds(void)
{
	const char *one = rpx_getenv(FLEET_ENV), *b = rpx_getenv(BUILDS_ENV);

	return one != NULL && one[0] != '\0' && b != NULL && b[0] != '\0' ?
	       b : NULL;
}

bool
fleet_several(const char *hosts)
{
	return hosts != NULL && strchr(hosts, ',') != NULL;
}

static void
on_line(void *arg, enum proc_stream s, const char *line, size_t len)
{
	struct fleet_member *m = arg;
	FILE *f = s == PROC_STDOUT ? m->f->ctx->out : m->f->ctx->err;

	pthread_mutex_lock(&m->f->lock);
	fprintf(f, "%-*s | %.*s\n", m->f->width, m->host, (int)len, line);
	fflush(f);
	pthread_mutex_unlock(&m->f->lock);
}

static void *
member_main(void *arg)
{
	struct fleet_member *m = arg;
	int rc = proc_run(&m->p);

	if (rc != 0 && rc != RPX_ECANCELED)
		m->status = 255;
	else if (m->p.exited)
		m->status = m->p.code;
	else
		m->status = 128 + m->p.code;
	return NULL;
}

/* The hosts of "a, b,,c": trimmed, empty ones left out. */
static void
split_hosts(const char *hosts, struct strvec *v)
{
	const char *c = hosts;

	while (*c != '\0') {
		size_t n = strcspn(c, ",");
		const char *b = c, *e = c + n;

		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > b)
			strvec_push_nodup(v, xstrndup(b, (size_t)(e - b)));
		c += n + (c[n] == ',');
	}
}

int
fleet_run(const struct ctx *ctx, int argc, char **argv, const char *hosts)
{
	return fleet_run_builds(ctx, argc, argv, hosts, NULL);
}

int
fleet_run_builds(const struct ctx *ctx, int argc, char **argv,
		 const char *hosts, const char *builds)
{
	struct strvec list = STRVEC_INIT, args = STRVEC_INIT;
	struct fleet f;
	struct fleet_member *m = NULL;
	struct sigaction sa, old_int, old_term, old_hup;
	char *self = selfpath_exe();
	int worst = 0;

	split_hosts(hosts, &list);
	if (self == NULL || list.n == 0) {
		rpx_errorf(ctx, self == NULL ? "cannot find this program's own "
			   "file to run it once a Pi" : "no Pi named in '%s'",
			   hosts);
		free(self);
		strvec_clear(&list);
		return 255;
	}
	strvec_push(&args, self);
	if (ctx->quiet)
		strvec_push(&args, "--quiet");
	if (ctx->profile != NULL) {
		strvec_push(&args, "--profile");
		strvec_push(&args, ctx->profile);
	}
	for (int i = 0; i < argc; i++)
		strvec_push(&args, argv[i]);

	memset(&f, 0, sizeof(f));
	f.ctx = ctx;
	pthread_mutex_init(&f.lock, NULL);
	m = xcalloc(list.n, sizeof(*m));
	for (size_t i = 0; i < list.n; i++)
		if ((int)strlen(list.v[i]) > f.width)
			f.width = (int)strlen(list.v[i]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	fflush(ctx->out);
	fflush(ctx->err);
	for (size_t i = 0; i < list.n; i++) {
		struct fleet_member *x = &m[i];

		x->host = list.v[i];
		x->f = &f;
		x->env[0] = xasprintf(FLEET_ENV "=%s", x->host);
		x->env[1] = builds ? xasprintf(BUILDS_ENV "=%s", builds) :
			    NULL;
		x->env[2] = NULL;
		x->p = (struct proc)PROC_INIT;
		x->p.argv = (const char *const *)args.v;
		x->p.env = (const char *const *)x->env;
		x->p.on_line = on_line;
		x->p.cb_arg = x;
		x->p.cancel = &fleet_stop;
		x->status = 255;
		x->started = pthread_create(&x->th, NULL, member_main, x) == 0;
	}
	for (size_t i = 0; i < list.n; i++)
		if (m[i].started)
			pthread_join(m[i].th, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);

	if (!ctx->quiet) {
		fprintf(ctx->err, "rpi-cross: %s on %zu Pis:\n  %-*s  %6s  %8s\n",
			argv[0], list.n, f.width, "HOST", "STATUS", "TIME");
		for (size_t i = 0; i < list.n; i++)
			fprintf(ctx->err, "  %-*s  %6d  %6.1f s  %s\n", f.width,
				m[i].host, m[i].status,
				(double)m[i].p.elapsed_ms / 1000.0,
				m[i].status == 0 ? "ok" : "failed");
		fflush(ctx->err);
	}
	for (size_t i = 0; i < list.n; i++) {
		if (m[i].status > worst)
			worst = m[i].status;
		proc_release(&m[i].p);
		free(m[i].env[0]);
		free(m[i].env[1]);
	}
	if (fleet_stop != 0 && worst == 0)
		worst = 128 + fleet_stop;
	fleet_stop = 0;
	pthread_mutex_destroy(&f.lock);
	free(m);
	free(self);
	strvec_clear(&list);
	strvec_clear(&args);
	return worst;
}
