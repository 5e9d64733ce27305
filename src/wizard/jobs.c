/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * jobs.c - the wizard's slow work (see wizard.h): finding the toolchain,
 * probing linkers, asking rustc for its CPUs, detecting a Pi over SSH and
 * the final test. The ui runs each on a worker thread; here they are
 * plain functions that report through a struct wiz_report, so each can
 * run (and be tested) without a thread or a terminal.
 */
#include "wizard.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cargo_config.h"
#include "rustflags.h"
#include "strvec.h"

static void report(const struct wiz_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One log line, cut where the ui's task log cuts it. */
static void
report(const struct wiz_report *r, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	if (r == NULL || r->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->log(r->data, buf);
}

static void
progress(const struct wiz_report *r, int num, int den)
{
	if (r != NULL && r->progress != NULL)
		r->progress(r->data, num, den);
}

/* Where a value is set, as the welcome screen names it: the file, or
 * "env NAME" for a variable. */
static char *
origin_label(const struct cargo_config_value *v)
{
	if (v->norigins == 0)
		return xstrdup("");
	if (v->origins[0].kind == CARGO_ORIGIN_ENV)
		return xasprintf("env %s", v->origins[0].env);
	return xstrdup(v->origins[0].path);
}

/* True when build.target's value (a string, or Cargo's list of several
 * targets) names triple. */
static bool
names_target(const struct cargo_config_value *v, const char *triple)
{
	if (v->type == CARGO_VALUE_STRING)
		return strcmp(v->str, triple) == 0;
	for (size_t i = 0; v->type == CARGO_VALUE_LIST && i < v->list.n; i++)
		if (strcmp(v->list.v[i], triple) == 0)
			return true;
	return false;
}

/*
 * The first Pi target an existing Cargo config (for this folder) sets
 * up, and its linker, CPU, runner and [build] target, read as typed values
 * (the rustflags through the rustflags module).
 */
void
wizard_read_current(struct wiz_tc_job *j)
{
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	char *home = cargo_config_home(NULL, NULL);
	char cwd[4096], **ts = NULL;

	if (home == NULL || getcwd(cwd, sizeof(cwd)) == NULL)
		goto out;
	if (cargo_config_discover(&set, cwd, home) != 0)
		goto out;
	ts = cargo_config_targets(&set);
	for (int i = 0; ts != NULL && ts[i] != NULL && j->cur == NULL; i++) {
		const struct target *t = target_find(ts[i]);
		struct cargo_config_value v = CARGO_CONFIG_VALUE_INIT;
		struct strvec flags = STRVEC_INIT;
		const char *cpu;
		char key[200];

		if (t == NULL || !t->pi_os)
			continue;
		snprintf(key, sizeof(key), "target.%s.linker", t->triple);
		if (cargo_config_effective(&set, key, &v) != 0 ||
		    v.type != CARGO_VALUE_STRING) {
			cargo_config_value_release(&v);
			continue;
		}
		j->cur = t;
		j->cur_linker = xstrdup(v.str);
		j->cur_file = origin_label(&v);
		cargo_config_value_release(&v);
		snprintf(key, sizeof(key), "target.%s.rustflags", t->triple);
		if (cargo_config_effective(&set, key, &v) == 0 &&
		    rustflags_from_value(&flags, &v) == 0 &&
		    (cpu = rustflags_target_cpu(flags.v)) != NULL)
			j->cur_cpu = xstrdup(cpu);
		strvec_clear(&flags);
		cargo_config_value_release(&v);
		snprintf(key, sizeof(key), "target.%s.runner", t->triple);
		j->cur_runner = cargo_config_effective(&set, key, &v) == 0 &&
				v.type != CARGO_VALUE_UNSET;
		cargo_config_value_release(&v);
		j->cur_build = cargo_config_effective(&set, "build.target",
						      &v) == 0 &&
			       names_target(&v, t->triple);
		cargo_config_value_release(&v);
	}
out:
	if (ts != NULL)
		strvec_free_array(ts);
	cargo_config_set_release(&set);
	free(home);
}

int
wizard_job_toolchain(struct wiz_tc_job *j, const struct wiz_report *r)
{
	const struct target *all;
	int n, k = 0, total = 0;

	{
		char *path = profile_default_path();
		struct rpx_err perr = RPX_ERR_INIT;

		if (path != NULL && profiles_read(&j->ps, path, &perr) != 0)
			profiles_release(&j->ps);
		free(path);
		wizard_read_current(j);
	}
	report(r, "Looking for rustc: $RUSTC, then PATH, then $CARGO_HOME/bin");
	j->rc = toolchain_find(&j->tc);
	if (j->rc != 0) {
		report(r, "No working rustc was found.");
		return j->rc;
	}
	report(r, "Found %s", j->tc.rustc);
	report(r, "Version: %s", j->tc.version);
	report(r, "Sysroot: %s", j->tc.sysroot);
	all = target_all(&n);
	for (int i = 0; i < n; i++)
		total += all[i].pi_os;
	for (int i = 0; i < n; i++) {
		if (!all[i].pi_os)
			continue;
		progress(r, k, total);
		report(r, "  %-36s std %s", all[i].triple,
		       toolchain_has_std(&j->tc, all[i].triple) ?
		       "installed" : "not installed");
		k++;
	}
	progress(r, k, total);
	return 0;
}

void
wizard_tc_job_release(struct wiz_tc_job *j)
{
	toolchain_release(&j->tc);
	profiles_release(&j->ps);
	free(j->cur_file);
	free(j->cur_linker);
	free(j->cur_cpu);
	j->cur_file = j->cur_linker = j->cur_cpu = NULL;
}

int
wizard_job_linkers(struct wiz_lk_job *j, const struct wiz_report *r)
{
	struct linker_opts o = { j->tc, NULL, 0, false, NULL };
	struct linker_scan found = LINKER_SCAN_INIT;

	report(r, "Looking for cross linkers for %s", j->t->triple);
	if (linker_scan(j->t, &o, &found) == 0) {
		for (int i = 0; i < found.n; i++)
			report(r, "  %-26s %-8s %s", found.v[i].name,
			       linker_kind_name(found.v[i].kind),
			       found.v[i].path);
		report(r, "Probing %d candidate%s at once: each links a test program",
		       found.n, found.n == 1 ? "" : "s");
	}
	linker_scan_release(&found);
	o.probe = true;
	j->rc = linker_scan(j->t, &o, &j->scan);
	return j->rc;
}

int
wizard_job_cpus(struct wiz_cpu_job *j)
{
	j->why[0] = '\0';
	j->rc = toolchain_target_cpus(j->tc, j->t->triple, &j->l, j->why,
				      sizeof(j->why));
	return j->rc;
}

int
wizard_job_detect(struct wiz_det_job *j, const struct wiz_report *r)
{
	struct remote rem = REMOTE_INIT;
	struct remote_opts o = REMOTE_OPTS_INIT;
	const struct remote_probe *p = &j->probe;

	o.target = j->host;
	o.cb = j->cb;
	j->err[0] = '\0';
	report(r, "Connecting to %s", j->host);
	j->rc = remote_connect(&rem, &o);
	if (j->rc != 0) {
		snprintf(j->err, sizeof(j->err), "%s", rem.err);
		goto out;
	}
	report(r, "Logged in as %s; probing the board", rem.display);
	j->rc = remote_probe(&rem, NULL, &j->probe);
	if (j->rc != 0) {
		snprintf(j->err, sizeof(j->err), "%s", rem.err);
		goto out;
	}
	report(r, "Model: %s", p->ident.model[0] ? p->ident.model : "unknown");
	report(r, "OS: %s, %d-bit userland (%s), kernel %s",
	       p->os_pretty[0] ? p->os_pretty : "unknown", p->os_bits,
	       p->dpkg_arch[0] ? p->dpkg_arch : "?", p->machine);
	report(r, "glibc: %s", p->glibc[0] ? p->glibc : "unknown");
out:
	remote_release(&rem);
	return j->rc;
}

static void
pt_ev_step(void *data, enum pitest_step s, enum pitest_status st, long ms)
{
	struct wiz_pt_job *j = data;

	if (st == PT_RUNNING)
		report(&j->rep, "==> %s", pitest_step_title(s));
	else if (st == PT_OK)
		report(&j->rep, "ok  %s (%.1f s)", pitest_step_title(s), ms / 1000.0);
	else if (st == PT_FAILED)
		report(&j->rep, "FAIL %s (%.1f s)", pitest_step_title(s), ms / 1000.0);
	else if (st == PT_SKIPPED)
		report(&j->rep, "--  %s: skipped", pitest_step_title(s));
}

static void
pt_ev_line(void *data, enum pitest_step s, const char *line)
{
	struct wiz_pt_job *j = data;

	report(&j->rep, "%s%s", s == PT_RUN ? "  | " : "    ", line);
}

void
wizard_test_setup(struct wiz_pt_job *j, const struct wizard *w,
		  const char *host, bool emulate,
		  const struct remote_callbacks *cb,
		  volatile sig_atomic_t *stop)
{
	pitest_opts_init(&j->o);
	pitest_result_init(&j->res);
	snprintf(j->host, sizeof(j->host), "%s", host ? host : "");
	j->o.target = w->plan.target;
	j->o.host = emulate ? NULL : j->host;
	j->o.emulate = emulate;
	j->o.rustc = w->tc_state == WIZ_TC_FOUND ? w->tc.rustc : NULL;
	j->o.board = w->plan.board;
	j->o.remote.cb.confirm_host_key = cb->confirm_host_key;
	j->o.remote.cb.ask = cb->ask;
	j->o.remote.cb.data = cb->data;
	j->o.ev.step = pt_ev_step;
	j->o.ev.line = pt_ev_line;
	j->o.ev.data = j;
	j->o.stop = stop;
}

int
wizard_job_test(struct wiz_pt_job *j, const struct wiz_report *r)
{
	j->rep = *r;
	j->rc = pitest_run(&j->o, &j->res);
	return j->rc;
}

void
wizard_test_collect(struct wizard *w, const struct wiz_pt_job *j)
{
	const struct pitest_result *r = &j->res;
	char note[256];

	if (j->rc == 0 && r->cause == PTC_NONE) {
		char first[128] = "";

		sscanf(r->out.buf ? r->out.buf : "", "%127[^\n]", first);
		snprintf(note, sizeof(note), "\"%.100s\" %s %.100s", first,
			 r->emulated ? "under emulation" : "on",
			 r->emulated ? "" : j->host);
		wizard_test_done(w, true, note);
	} else {
		snprintf(note, sizeof(note), "%s at %s", pitest_cause_name(r->cause),
			 pitest_step_title(r->failed_step));
		wizard_test_done(w, false, note);
	}
}

/* OS: the std through rustup in a pty ------------------------------------ */

void
wizard_std_job_init(struct wiz_std_job *j)
{
	memset(j, 0, sizeof(*j));
	pthread_mutex_init(&j->lock, NULL);
	j->tt = (struct termtext)TERMTEXT_INIT;
}

static void
std_bytes(void *arg, const char *buf, size_t len)
{
	struct wiz_std_job *j = arg;

	pthread_mutex_lock(&j->lock);
	termtext_feed(&j->tt, buf, len);
	j->gen++;
	pthread_mutex_unlock(&j->lock);
}

int
wizard_job_std(struct wiz_std_job *j)
{
	j->rc = toolchain_install_std_tty(j->tc, j->triple, std_bytes, j,
					  j->cols, &j->cancel, j->why,
					  sizeof(j->why));
	return j->rc;
}

unsigned
wizard_std_job_lines(struct wiz_std_job *j, struct strvec *lines)
{
	unsigned gen;

	strvec_clear(lines);
	pthread_mutex_lock(&j->lock);
	for (size_t i = 0; i < j->tt.lines.n; i++)
		strvec_push(lines, j->tt.lines.v[i]);
	gen = j->gen;
	pthread_mutex_unlock(&j->lock);
	/* the cursor's empty last line is not worth a row */
	if (lines->n > 0 && lines->v[lines->n - 1][0] == '\0')
		strvec_pop(lines);
	return gen;
}

void
wizard_std_job_release(struct wiz_std_job *j)
{
	termtext_release(&j->tt);
	pthread_mutex_destroy(&j->lock);
}
