/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * doctor.c - the check table, the toolchain and config checks, the
 * concurrent runner and the report (doctor.h). The Cargo config checks are
 * in doctor_cargo.c, the Pi's in doctor_host.c; all fill results through
 * result.c.
 */
#include "doctor.h"
#include "doctor_int.h"

#include <langinfo.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "json.h"
#include "rpx.h"
#include "strvec.h"
#include "toolchain.h"

/* ---- the checks ---- */

/* How this rustc is managed: "rustup", "distro" or "standalone". */
static const char *
toolchain_kind(const struct toolchain *tc, char *name, size_t namesz)
{
	const char *s = tc->sysroot;
	const char *slash = strrchr(s, '/');

	name[0] = '\0';
	if (strcmp(s, "/usr") == 0)
		return "distro";
	if (slash != NULL && slash - s >= 11 &&
	    strncmp(slash - 11, "/toolchains", 11) == 0) {
		snprintf(name, namesz, "%s", slash + 1);
		return "rustup";
	}
	return "standalone";
}

static void
check_rust(const struct doctor_input *in, struct doctor_result *r)
{
	struct toolchain tc = TOOLCHAIN_INIT;
	char name[128];
	const char *kind;

	(void)in;
	if (toolchain_find_traced(&tc, in->trace) != 0) {
		doctor_set(r, DOCTOR_FAIL, "install Rust with rustup "
			   "(https://rustup.rs) or your distribution's rustc "
			   "and cargo packages", "no working rustc found "
			   "($RUSTC, PATH, $CARGO_HOME/bin)");
		return;
	}
	kind = toolchain_kind(&tc, name, sizeof(name));
	if (strcmp(kind, "rustup") == 0)
		doctor_set(r, DOCTOR_PASS, NULL, "%s, rustup toolchain %s "
			   "(%s)", tc.version, name, tc.rustc);
	else if (strcmp(kind, "distro") == 0)
		doctor_set(r, DOCTOR_PASS, NULL, "%s, distribution package "
			   "(%s, sysroot /usr): targets come from packages",
			   tc.version, tc.rustc);
	else
		doctor_set(r, DOCTOR_PASS, NULL, "%s, not managed by rustup "
			   "(%s, sysroot %s)", tc.version, tc.rustc,
			   tc.sysroot);
	toolchain_release(&tc);
}

static void
check_std(const struct doctor_input *in, struct doctor_result *r)
{
	struct toolchain tc = TOOLCHAIN_INIT;
	const struct target *t = in->target;
	char name[128], fix[400];
	const char *kind;

	if (t == NULL) {
		doctor_set(r, DOCTOR_SKIP, NULL, "no target given: use "
			   "--target T to check its std");
		return;
	}
	if (toolchain_find_traced(&tc, in->trace) != 0) {
		doctor_set(r, DOCTOR_SKIP, NULL, "no rustc to ask");
		return;
	}
	if (toolchain_has_std(&tc, t->triple)) {
		doctor_set(r, DOCTOR_PASS, NULL, "the std for %s is in "
			   "%s/lib/rustlib/%s", t->triple, tc.sysroot,
			   t->triple);
		goto out;
	}
	kind = toolchain_kind(&tc, name, sizeof(name));
	if (strcmp(kind, "rustup") == 0)
		snprintf(fix, sizeof(fix), "rustup target add --toolchain %s "
			 "%s", name, t->triple);
	else if (strcmp(kind, "distro") == 0 && t->debian_std != NULL)
		snprintf(fix, sizeof(fix), "install the distribution's std for "
			 "it (Debian: %s, unpacked into /usr/lib/rustlib), or "
			 "use rustup", t->debian_std);
	else
		snprintf(fix, sizeof(fix), "this rustc has no std for %s from "
			 "its source: use rustup and 'rustup target add %s'",
			 t->triple, t->triple);
	doctor_set(r, DOCTOR_FAIL, fix, "the std for %s is not installed in "
		   "%s (builds fail with \"can't find crate for std\")",
		   t->triple, tc.sysroot);
out:
	toolchain_release(&tc);
}

static void
check_board_target(const struct doctor_input *in, struct doctor_result *r)
{
	const struct board *b = in->board;
	const struct target *t = in->target;
	const struct target *alt;
	const char *why = NULL;
	char fix[200];

	if (b == NULL || t == NULL) {
		doctor_set(r, DOCTOR_SKIP, NULL, "needs both --board and "
			   "--target");
		return;
	}
	if (target_runs_on(t, b->cpu->isa, b->can64, t->bits, &why)) {
		doctor_set(r, DOCTOR_PASS, NULL, "%s runs on the %s (%s)",
			   t->triple, b->name, isa_name(b->cpu->isa));
		return;
	}
	alt = board_recommend(b, b->can64 ? t->bits : 32, t->libc, NULL);
	snprintf(fix, sizeof(fix), "use --target %s",
		 alt ? alt->triple : "for a 32-bit OS");
	doctor_set(r, DOCTOR_FAIL, fix, "%s does not run on the %s: %s",
		   t->triple, b->name, why);
}

static bool
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Does dir hold both Cargo's legacy `config` and `config.toml`? */
static bool
both_configs(const char *dir)
{
	char *a = xasprintf("%s/config", dir);
	char *b = xasprintf("%s/config.toml", dir);
	bool both = is_file(a) && is_file(b);

	free(a);
	free(b);
	return both;
}

static void
check_cargo_config(const struct doctor_input *in, struct doctor_result *r)
{
	const char *home = rpx_getenv("CARGO_HOME");
	char *cargo_home = NULL, *start = NULL, *dir = NULL;
	struct strvec found = STRVEC_INIT;	/* folders with both files */
	int nchecked = 0;

	if (home != NULL)
		cargo_home = xstrdup(home);
	else if ((home = rpx_getenv("HOME")) != NULL)
		cargo_home = xasprintf("%s/.cargo", home);
	start = realpath(in->project_dir ? in->project_dir : ".", NULL);
	if (start == NULL && in->project_dir != NULL) {
		doctor_set(r, DOCTOR_FAIL, "give an existing project folder",
			   "cannot open project folder '%s'", in->project_dir);
		goto out;
	}
	/* <dir>/.cargo for the folder and each parent, then CARGO_HOME. */
	dir = start;
	start = NULL;
	while (dir != NULL) {
		char *sub = xasprintf("%s%s.cargo", dir,
				      strcmp(dir, "/") == 0 ? "" : "/");
		char *slash;

		nchecked++;
		if (both_configs(sub))
			strvec_push_nodup(&found, sub);
		else
			free(sub);
		slash = strrchr(dir, '/');
		if (slash == NULL || strcmp(dir, "/") == 0) {
			free(dir);
			dir = NULL;
		} else {
			slash[slash == dir ? 1 : 0] = '\0';
		}
	}
	if (cargo_home != NULL) {
		nchecked++;
		if (!strvec_has(&found, cargo_home) &&
		    both_configs(cargo_home)) {
			strvec_push_nodup(&found, cargo_home);
			cargo_home = NULL;
		}
	}
	if (found.n == 0) {
		doctor_set(r, DOCTOR_PASS, NULL, "no folder has both a legacy "
			   "'config' and a 'config.toml' (%d folders checked)",
			   nchecked);
	} else {
		char fix[512];

		snprintf(fix, sizeof(fix), "merge %s/config into "
			 "%s/config.toml, then delete %s/config", found.v[0],
			 found.v[0], found.v[0]);
		doctor_set(r, DOCTOR_WARN, fix, "both %s/config and "
			   "%s/config.toml exist: Cargo uses config and "
			   "ignores config.toml%s", found.v[0], found.v[0],
			   found.n > 1 ? " (and in more folders)" : "");
	}
out:
	strvec_clear(&found);
	free(cargo_home);
	free(start);
	free(dir);
}

static const struct doctor_check builtin_checks[] = {
	{ "rust", "Rust toolchain", NULL, check_rust },
	{ "std", "Target std installed", "rust", check_std },
	{ "board-target", "Board and target agree", NULL, check_board_target },
	{ "cargo-config-files", "Cargo config files", NULL, check_cargo_config },
	{ "cargo-config-parse", "Cargo config parses", NULL,
	  doctor_check_config_parse },
	{ "linker", "Cross linker links for the target", NULL,
	  doctor_check_linker },
	{ "rustflags", "Rustflags fit the target", NULL,
	  doctor_check_rustflags },
	{ "sysroot", "Sysroot fits the target", NULL, doctor_check_sysroot },
	{ "build-target", "[build] target", NULL, doctor_check_build_target },
	{ "runner", "Runner", NULL, doctor_check_runner },
	{ "host-reachable", "Pi reachable over SSH", NULL,
	  doctor_check_host_reachable },
	{ "host-key", "Pi host key known", NULL,
	  doctor_check_host_key },
	{ "host-auth", "SSH login works", NULL, doctor_check_host_auth },
	{ "host-board", "Pi's board and target agree", NULL,
	  doctor_check_host_board },
	{ "host-glibc", "Pi glibc new enough", NULL,
	  doctor_check_host_glibc },
	{ "host-space", "Free space on the Pi", NULL,
	  doctor_check_host_space },
	{ "host-sysroot", "Sysroot as new as the Pi", NULL,
	  doctor_check_host_sysroot },
};

const struct doctor_check *
doctor_checks(size_t *n)
{
	*n = ARRAY_SIZE(builtin_checks);
	return builtin_checks;
}

/* ---- the runner ---- */

enum { ST_WAITING, ST_RUNNING, ST_DONE };

struct runner {
	const struct doctor_check *checks;
	size_t n;
	const struct doctor_input *in;
	struct doctor_result *results;
	int *state;
	long *need;		/* index of the needed check, or -1 */
	pthread_mutex_t lock;
	pthread_cond_t changed;
};


static void
run_one(struct runner *rn, size_t i)
{
	const struct doctor_check *c = &rn->checks[i];
	struct doctor_result *r = &rn->results[i];
	long long t0 = rpx_now_ms();

	memset(r, 0, sizeof(*r));
	if (rn->need[i] >= 0) {
		const struct doctor_result *nr = &rn->results[rn->need[i]];

		if (nr->status == DOCTOR_FAIL || nr->status == DOCTOR_SKIP) {
			doctor_set(r, DOCTOR_SKIP, NULL, "skipped: it needs "
				   "'%s', which %s",
				   rn->checks[rn->need[i]].title,
				   nr->status == DOCTOR_FAIL ? "failed" :
				   "was skipped");
			return;
		}
	}
	if (c->run == NULL) {
		doctor_set(r, DOCTOR_SKIP, NULL, "not available in this "
			   "version yet");
		return;
	}
	c->run(rn->in, r);
	r->ms = (long)(rpx_now_ms() - t0);
}

static void *
worker(void *arg)
{
	struct runner *rn = arg;

	pthread_mutex_lock(&rn->lock);
	for (;;) {
		bool waiting = false;
		size_t pick = rn->n;

		for (size_t i = 0; i < rn->n; i++) {
			if (rn->state[i] != ST_WAITING)
				continue;
			waiting = true;
			if (rn->need[i] < 0 || rn->state[rn->need[i]] == ST_DONE) {
				pick = i;
				break;
			}
		}
		if (!waiting)
			break;
		if (pick == rn->n) {
			pthread_cond_wait(&rn->changed, &rn->lock);
			continue;
		}
		rn->state[pick] = ST_RUNNING;
		pthread_mutex_unlock(&rn->lock);
		run_one(rn, pick);
		pthread_mutex_lock(&rn->lock);
		rn->state[pick] = ST_DONE;
		pthread_cond_broadcast(&rn->changed);
	}
	pthread_mutex_unlock(&rn->lock);
	return NULL;
}

int
doctor_run(const struct doctor_check *checks, size_t n,
	   const struct doctor_input *in, int max_threads,
	   struct doctor_result *results)
{
	struct runner rn;
	pthread_t tids[DOCTOR_MAX_THREADS];
	int started = 0, extra, failed = 0;

	if (n == 0)
		return 0;
	memset(&rn, 0, sizeof(rn));
	rn.checks = checks;
	rn.n = n;
	rn.in = in;
	rn.results = results;
	rn.state = xcalloc(n, sizeof(int));
	rn.need = xcalloc(n, sizeof(long));
	for (size_t i = 0; i < n; i++) {
		rn.need[i] = -1;
		for (size_t k = 0; checks[i].needs != NULL && k < i; k++)
			if (strcmp(checks[k].id, checks[i].needs) == 0)
				rn.need[i] = (long)k;
	}
	pthread_mutex_init(&rn.lock, NULL);
	pthread_cond_init(&rn.changed, NULL);
	if (max_threads < 1)
		max_threads = 1;
	if (max_threads > DOCTOR_MAX_THREADS)
		max_threads = DOCTOR_MAX_THREADS;
	extra = max_threads - 1;
	if ((size_t)extra > n - 1)
		extra = (int)(n - 1);
	for (int i = 0; i < extra; i++)
		if (pthread_create(&tids[started], NULL, worker, &rn) == 0)
			started++;
	worker(&rn);
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_cond_destroy(&rn.changed);
	pthread_mutex_destroy(&rn.lock);
	for (size_t i = 0; i < n; i++)
		if (results[i].status == DOCTOR_FAIL)
			failed++;
	free(rn.state);
	free(rn.need);
	return failed;
}

/* ---- reports ---- */

void
doctor_summarize(const struct doctor_result *results, size_t n,
		 struct doctor_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (size_t i = 0; i < n; i++) {
		switch (results[i].status) {
		case DOCTOR_PASS: sum->pass++; break;
		case DOCTOR_WARN: sum->warn++; break;
		case DOCTOR_FAIL: sum->fail++; break;
		case DOCTOR_SKIP: sum->skip++; break;
		}
	}
}

bool
doctor_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (rpx_strcasecmp(cs, "UTF-8") == 0 ||
			      rpx_strcasecmp(cs, "utf8") == 0);
}

/* How many skipped results from i on share results[i]'s message. */
static size_t
skip_run(const struct doctor_result *results, size_t n, size_t i)
{
	size_t j = i + 1;

	if (results[i].status != DOCTOR_SKIP)
		return 1;
	while (j < n && results[j].status == DOCTOR_SKIP &&
	       strcmp(results[j].message, results[i].message) == 0)
		j++;
	return j - i;
}

void
doctor_print_text(FILE *f, const struct doctor_check *checks,
		  const struct doctor_result *results, size_t n, bool utf8,
		  bool color)
{
	static const char *const marks_utf8[] = { "\u2713", "!", "\u2717", "-" };
	static const char *const marks_ascii[] = { "+", "!", "x", "-" };
	static const char *const colors[] = { SGR_GREEN, SGR_YELLOW, SGR_RED,
					      SGR_DIM };
	const char *off = rpx_sgr(color, SGR_RESET);
	struct doctor_summary sum;

	for (size_t i = 0; i < n; i++) {
		const struct doctor_result *r = &results[i];
		int s = (int)r->status;
		size_t run = skip_run(results, n, i);

		if (run > 1) {
			/* "no host given" six times says nothing new */
			fprintf(f, "%s%s%s %zu checks: %s\n    ",
				rpx_sgr(color, colors[s]),
				utf8 ? marks_utf8[s] : marks_ascii[s], off,
				run, r->message);
			for (size_t j = i; j < i + run; j++)
				fprintf(f, "%s%s", j > i ? "; " : "",
					checks[j].title);
			fputc('\n', f);
			i += run - 1;
			continue;
		}
		fprintf(f, "%s%s%s %s: %s\n", rpx_sgr(color, colors[s]),
			utf8 ? marks_utf8[s] : marks_ascii[s], off,
			checks[i].title, r->message);
		if ((r->status == DOCTOR_WARN || r->status == DOCTOR_FAIL) &&
		    r->fix[0] != '\0')
			fprintf(f, "    fix: %s\n", r->fix);
	}
	doctor_summarize(results, n, &sum);
	fprintf(f, "\n%d passed, %d warning%s, %d failed, %d skipped\n",
		sum.pass, sum.warn, sum.warn == 1 ? "" : "s", sum.fail,
		sum.skip);
}

void
doctor_print_json(FILE *f, const struct doctor_check *checks,
		  const struct doctor_result *results, size_t n)
{
	struct doctor_summary sum;
	struct json j;

	json_init(&j, f);
	json_doc_begin(&j);
	json_key(&j, "checks");
	json_arr_begin(&j);
	for (size_t i = 0; i < n; i++) {
		const struct doctor_result *r = &results[i];

		json_obj_begin(&j);
		json_kstr(&j, "id", checks[i].id);
		json_kstr(&j, "title", checks[i].title);
		json_kstr(&j, "status", doctor_status_name(r->status));
		json_kstr(&j, "message", r->message);
		json_key(&j, "fix");
		json_str(&j, r->fix[0] ? r->fix : NULL);
		json_kint(&j, "ms", r->ms);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	doctor_summarize(results, n, &sum);
	json_key(&j, "summary");
	json_obj_begin(&j);
	json_kint(&j, "pass", sum.pass);
	json_kint(&j, "warn", sum.warn);
	json_kint(&j, "fail", sum.fail);
	json_kint(&j, "skip", sum.skip);
	json_kbool(&j, "ok", sum.fail == 0);
	json_obj_end(&j);
	json_doc_end(&j);
}
