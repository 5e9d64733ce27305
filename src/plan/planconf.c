/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * planconf.c - a plan as Cargo config edits; see planconf.h.
 */
#include <stdlib.h>
#include <string.h>

#include "planconf.h"
#include "rustflags.h"
#include "strbuf.h"
#include "strvec.h"

static void
add_edit(struct planconf *pc, char *key, char *value)
{
	ALLOC_GROW(pc->edits, pc->n + 1, pc->alloc);
	pc->edits[pc->n].key = key;
	pc->edits[pc->n].value = value;
	pc->n++;
}

/* key = "value", unless the document already says exactly that. */
static void
set_string(struct planconf *pc, const struct toml_doc *cur, char *key,
	   const char *value)
{
	const char *now = cur ? toml_node_cstr(toml_get_key(cur, key)) : NULL;

	if (now != NULL && strcmp(now, value) == 0) {
		free(key);
		return;
	}
	add_edit(pc, key, toml_quote_string(value, strlen(value)));
}

/*
 * The rustflags: the current value's own flags kept, the ones a setup
 * writes replaced (rustflags_edit()); a value that already says it all is
 * left as written.
 */
static void
set_rustflags(const struct plan *p, const struct toml_doc *cur,
	      struct planconf *pc)
{
	char *key = xasprintf("target.%s.rustflags", p->target->triple);
	const struct toml_node *node = cur ? toml_get_key(cur, key) : NULL;
	struct strvec old = STRVEC_INIT, want = STRVEC_INIT;
	bool string_form;

	/* another type is replaced whole: its flags count as none */
	(void)rustflags_from_toml(&old, node, &string_form);
	rustflags_edit(&old, p->cpu, p->link_args, &want);
	if (node != NULL && strvec_equal(&old, &want) &&
	    (toml_node_type(node) == TOML_ARRAY || string_form)) {
		free(key);
	} else if (want.n == 0) {
		if (node != NULL)
			add_edit(pc, key, NULL);
		else
			free(key);
	} else {
		add_edit(pc, key, rustflags_toml(&want, string_form));
	}
	strvec_clear(&old);
	strvec_clear(&want);
}

/* The runner's words: prog (NULL: "rpi-cross"), "run", then the host. */
static void
runner_words(const char *prog, const char *host, struct strvec *w)
{
	strvec_push(w, prog != NULL ? prog : "rpi-cross");
	strvec_push(w, "run");
	if (host != NULL) {
		strvec_push(w, "--host");
		strvec_push(w, host);
	}
}

char *
planconf_runner(const char *prog, const char *host)
{
	struct strvec w = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;

	runner_words(prog, host, &w);
	for (size_t i = 0; i < w.n; i++) {
		if (i > 0)
			strbuf_addch(&sb, ' ');
		strbuf_adds(&sb, w.v[i]);
	}
	strvec_clear(&w);
	return strbuf_detach(&sb, NULL);
}

/* Cargo splits a runner string on whitespace: a word holding any (a
 * path with a space) needs the array form, where each word stays whole. */
static bool
needs_array(const struct strvec *w)
{
	for (size_t i = 0; i < w->n; i++)
		if (strpbrk(w->v[i], " \t\n\r") != NULL)
			return true;
	return false;
}

char *
planconf_runner_toml(const char *prog, const char *host)
{
	struct strvec w = STRVEC_INIT;
	char *value;

	runner_words(prog, host, &w);
	if (needs_array(&w)) {
		value = rustflags_toml(&w, false);
	} else {
		char *s = planconf_runner(prog, host);

		value = toml_quote_string(s, strlen(s));
		free(s);
	}
	strvec_clear(&w);
	return value;
}

/* runner = the words: a string, or an array when a word holds a space;
 * left alone when the document already says exactly that. */
static void
set_runner(const struct plan *p, const struct toml_doc *cur,
	   struct planconf *pc)
{
	char *key = xasprintf("target.%s.runner", p->target->triple);
	const struct toml_node *node = cur ? toml_get_key(cur, key) : NULL;
	struct strvec w = STRVEC_INIT, now = STRVEC_INIT;

	runner_words(p->runner_prog, p->host, &w);
	if (!needs_array(&w)) {
		char *s = planconf_runner(p->runner_prog, p->host);

		set_string(pc, cur, key, s);
		free(s);
	} else if (node != NULL && toml_node_type(node) == TOML_ARRAY &&
		   rustflags_from_toml(&now, node, NULL) == 0 &&
		   strvec_equal(&now, &w)) {
		free(key);
	} else {
		add_edit(pc, key, rustflags_toml(&w, false));
	}
	strvec_clear(&w);
	strvec_clear(&now);
}

int
planconf_edits(const struct plan *p, const struct toml_doc *cur,
	       struct planconf *pc, struct rpx_err *err)
{
	const char *triple;

	rpx_err_clear(err);
	pc->edits = NULL;
	pc->n = 0;
	if (p->target == NULL)
		return rpx_err_set(err, NULL, 0, 0,
				   "the plan has no target yet"), RPX_EINVAL;
	triple = p->target->triple;
	if (p->linker != NULL)
		set_string(pc, cur, xasprintf("target.%s.linker", triple),
			   p->linker);
	set_rustflags(p, cur, pc);
	if (p->runner)
		set_runner(p, cur, pc);
	if (p->build_target)
		set_string(pc, cur, xstrdup("build.target"), triple);
	return 0;
}

void
planconf_release(struct planconf *pc)
{
	for (size_t i = 0; i < pc->n; i++) {
		free((char *)pc->edits[i].key);
		free((char *)pc->edits[i].value);
	}
	free(pc->edits);
	pc->edits = NULL;
	pc->n = pc->alloc = 0;
}

int
planconf_path(const struct plan *p, cargo_config_getenv_fn fn, void *data,
	      char **path, struct rpx_err *err)
{
	char *dir;

	rpx_err_clear(err);
	*path = NULL;
	switch (p->scope) {
	case PLAN_SCOPE_FILE:
		if (p->config_file == NULL || p->config_file[0] == '\0')
			break;
		*path = xstrdup(p->config_file);
		return 0;
	case PLAN_SCOPE_PROJECT:
		if (p->project_dir == NULL || p->project_dir[0] == '\0')
			break;
		dir = xasprintf("%s/.cargo", p->project_dir);
		*path = cargo_config_path_in(dir);
		free(dir);
		return 0;
	case PLAN_SCOPE_GLOBAL:
		dir = cargo_config_home(fn, data);
		if (dir == NULL)
			return rpx_err_set(err, NULL, 0, 0,
					   "neither CARGO_HOME nor HOME is set: "
					   "cannot tell where Cargo's global "
					   "config is"), RPX_EINVAL;
		*path = cargo_config_path_in(dir);
		free(dir);
		return 0;
	}
	return rpx_err_set(err, NULL, 0, 0, "the plan names no %s",
			   p->scope == PLAN_SCOPE_FILE ? "config file"
						       : "project folder"),
	       RPX_EINVAL;
}

int
planconf_prepare(const struct plan *p, cargo_config_getenv_fn fn, void *data,
		 struct cargo_config_change *ch, struct rpx_err *err)
{
	struct planconf pc = PLANCONF_INIT;
	char *path = NULL;
	int r;

	r = planconf_path(p, fn, data, &path, err);
	if (r < 0)
		return r;
	r = cargo_config_load(ch, path, err);
	free(path);
	if (r < 0)
		return r;
	r = planconf_edits(p, ch->doc, &pc, err);
	if (r == 0)
		r = cargo_config_apply(ch, pc.edits, pc.n, err);
	planconf_release(&pc);
	return r;
}

int
planconf_prepare_sysroot(const struct plan *p,
			 const struct sysroot_wiring *sr,
			 cargo_config_getenv_fn fn, void *data,
			 struct cargo_config_change *ch, struct strvec *why,
			 struct rpx_err *err)
{
	int r = planconf_prepare(p, fn, data, ch, err);

	if (r == 0 && sr != NULL)
		r = sysroot_config_apply(sr, ch, why, err);
	return r;
}
