/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sysroots.c - the wizard's C libraries choice (see wizard.h): which
 * sysroots pulled from a Pi fit the plan's target, the one wired into the
 * Cargo config, the Config step's change with it, and pulling one from
 * the Pi as a job. The edits themselves are planconf_prepare_sysroot()'s,
 * the same `setup --sysroot` makes.
 */
#include "wizard.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planconf.h"
#include "sysroot.h"
#include "sysroot_config.h"

static void
sr_free(struct wiz_sysroot *s)
{
	free(s->name);
	free(s->root);
	free(s->about);
	free(s->pulled);
}

static void
sr_clear(struct wizard *w)
{
	for (int i = 0; i < w->nsysroots; i++)
		sr_free(&w->sysroots[i]);
	free(w->sysroots);
	w->sysroots = NULL;
	w->nsysroots = 0;
	w->asysroots = 0;
}

/* "from HOST, OS, glibc X, pulled DATE" (what sysroot.yaml knows). */
static char *
about(const struct sysroot_info *in)
{
	struct strbuf sb = STRBUF_INIT;
	const char *os = in->os_pretty ? in->os_pretty : in->os_codename;

	strbuf_addf(&sb, "from %s", in->host ? in->host : "an unknown host");
	if (os != NULL)
		strbuf_addf(&sb, ", %s", os);
	strbuf_addf(&sb, ", glibc %s", in->glibc ? in->glibc : "unknown");
	if (in->pulled != NULL)
		strbuf_addf(&sb, ", pulled %.10s", in->pulled);
	return strbuf_detach(&sb, NULL);
}

/* Newest pull first (ISO 8601 sorts as text), then by name. */
static int
cmp_pulled(const void *a, const void *b)
{
	const struct wiz_sysroot *x = a, *y = b;
	int c = strcmp(y->pulled, x->pulled);

	return c != 0 ? c : strcmp(x->name, y->name);
}

void
wizard_sysroots_release(struct wizard *w)
{
	sr_clear(w);
	wizard_set_sysroot(w, NULL);
}

bool
wizard_sysroot_possible(const struct wizard *w, const char **why)
{
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	*why = "";
	if (w->plan.target == NULL) {
		*why = "choose the OS and libc first";
		return false;
	}
	if (sysroot_gnu_triple(w->plan.target->triple) == NULL) {
		*why = "a sysroot is for gnu targets: musl links its own C library, statically, not the Pi's";
		return false;
	}
	return true;
}

int
wizard_load_sysroots(struct wizard *w, char *err, size_t errsz)
{
	char **names = NULL;
	size_t n = 0;
	int r;
	bool keep = false;

	sr_clear(w);
	err[0] = '\0';
	if (!wizard_sysroot_possible(w, NULL)) {
		wizard_set_sysroot(w, NULL);
		return 0;
	}
	r = sysroot_list(&names, &n, err, errsz);
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct strbuf root = STRBUF_INIT, dir = STRBUF_INIT;
		struct sysroot_info in;
		struct sysroot_meta m;
		char why[512];
		struct wiz_sysroot *s;

		bool fits = false;

		memset(&in, 0, sizeof(in));
		if (sysroot_resolve(names[i], &root, &dir, why, sizeof(why)) == 0 &&
		    sysroot_info_load(dir.buf, &in, why, sizeof(why)) == 0) {
			sysroot_meta_of(&in, root.buf, &m);
			fits = sysroot_meta_fits(&m, w->plan.target->triple);
		}
		if (!fits) {
			sysroot_info_release(&in);
			strbuf_release(&root);
			strbuf_release(&dir);
			continue;
		}
		ALLOC_GROW(w->sysroots, (size_t)w->nsysroots + 1, w->asysroots);
		s = &w->sysroots[w->nsysroots++];
		s->name = xstrdup(names[i]);
		s->root = strbuf_detach(&root, NULL);
		s->about = about(&in);
		s->pulled = xstrdup(in.pulled ? in.pulled : "");
		sysroot_info_release(&in);
		strbuf_release(&dir);
	}
	if (w->nsysroots > 1)
		qsort(w->sysroots, (size_t)w->nsysroots, sizeof(*w->sysroots),
		      cmp_pulled);
	for (int i = 0; i < w->nsysroots; i++)
		if (w->sysroot != NULL &&
		    strcmp(w->sysroot, w->sysroots[i].name) == 0)
			keep = true;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!keep)
		wizard_set_sysroot(w, NULL);
	else	/* the same name, a new pull: the root stays, says the layout */
		wizard_set_sysroot(w, w->sysroot);
	return r;
}

int
wizard_set_sysroot(struct wizard *w, const char *name)
{
	char *n;

	if (name == NULL) {
		free(w->sysroot);
		free(w->sysroot_root);
		w->sysroot = w->sysroot_root = NULL;
		return 0;
	}
	for (int i = 0; i < w->nsysroots; i++) {
		if (strcmp(w->sysroots[i].name, name) != 0)
			continue;
		n = xstrdup(name);	/* name may be w->sysroot itself */
		free(w->sysroot);
		w->sysroot = n;
		plan_set_str(&w->sysroot_root, w->sysroots[i].root);
		return 0;
	}
	return RPX_ENOTFOUND;
}

bool
wizard_choose_sysroot_row(struct wizard *w, int id)
{
	if (id == WIZ_CFG_SR_NONE) {
		wizard_set_sysroot(w, NULL);
		return true;
	}
	if (id >= WIZ_CFG_SR && id - WIZ_CFG_SR < w->nsysroots) {
		wizard_set_sysroot(w, w->sysroots[id - WIZ_CFG_SR].name);
		return true;
	}
	return false;
}

int
wizard_config_prepare(const struct wizard *w, struct cargo_config_change *ch,
		      struct strvec *why, struct rpx_err *err)
{
	struct sysroot_wiring sw;
	struct sysroot_meta m;
	int r;

	if (w->sysroot_root == NULL || !wizard_sysroot_possible(w, NULL))
		return planconf_prepare_sysroot(&w->plan, NULL, NULL, NULL, ch,
						why, err);
	memset(&m, 0, sizeof(m));
	r = sysroot_meta_read(w->sysroot_root, &m, err);
	if (r != 0)
		return r;
	sysroot_wiring_for(&sw, w->sysroot_root, &m, w->plan.target->triple,
			   w->plan.linker);
	return planconf_prepare_sysroot(&w->plan, &sw, NULL, NULL, ch, why,
					err);
}

static void report(const struct wiz_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

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

int
wizard_job_sysroot(struct wiz_sr_job *j, const struct wiz_report *r)
{
	struct remote rem = REMOTE_INIT;
	struct remote_opts o = REMOTE_OPTS_INIT;
	struct sysroot_pull_opts po = SYSROOT_PULL_OPTS_INIT;
	struct strbuf name = STRBUF_INIT;
	const struct sysroot_stats *st = &j->st;

	memset(&j->st, 0, sizeof(j->st));
	j->err[0] = j->name[0] = '\0';
	o.target = j->host;
	o.cb = j->cb;
	report(r, "Connecting to %s", j->host);
	j->rc = remote_connect(&rem, &o);
	if (j->rc != 0) {
		snprintf(j->err, sizeof(j->err), "%s", rem.err);
		goto out;
	}
	report(r, "Logged in as %s; pulling the headers and libraries linking needs (Ctrl-C stops, the previous sysroot stays)",
	       rem.display);
	po.target = j->t;
	po.stop = &j->stop;
	j->rc = sysroot_pull(&rem, &po, &name, &j->st, j->err, sizeof(j->err));
	snprintf(j->name, sizeof(j->name), "%s", name.buf ? name.buf : "");
	if (j->rc != 0)
		goto out;
	report(r, "Sysroot %s: %lld files, %.1f MB (%lld copied, %lld kept from the last pull)",
	       j->name, st->files, (double)st->bytes / 1e6, st->fetched,
	       st->reused);
out:
	remote_release(&rem);
	strbuf_release(&name);
	return j->rc;
}
