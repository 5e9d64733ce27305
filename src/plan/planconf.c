/*
 * planconf.c - a plan as Cargo config edits; see planconf.h.
 */
#include <stdlib.h>
#include <string.h>

#include "planconf.h"
#include "strbuf.h"

struct tokens {
	char **v;
	size_t n;
};

static void
tok_add(struct tokens *t, const char *s, size_t len)
{
	t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	t->v[t->n++] = xstrndup(s, len);
}

static void
tok_release(struct tokens *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static bool
tok_equal(const struct tokens *a, const struct tokens *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

/* Split a rustflags string the way Cargo does: on whitespace. */
static void
tok_split(struct tokens *t, const char *s)
{
	while (*s != '\0') {
		size_t n;

		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		n = strcspn(s, " \t\n\r");
		if (n > 0)
			tok_add(t, s, n);
		s += n;
	}
}

/* A link-arg that picks the linker or its flavour: the old choice's. */
static bool
managed_link_arg(const char *a)
{
	return rpx_starts_with(a, "--target=") || strcmp(a, "-target") == 0 ||
	       rpx_starts_with(a, "-fuse-ld=") || rpx_starts_with(a, "-B") ||
	       rpx_starts_with(a, "--ld-path=");
}

static bool
managed_codegen(const char *flag)
{
	if (rpx_starts_with(flag, "target-cpu="))
		return true;
	if (rpx_starts_with(flag, "link-arg="))
		return managed_link_arg(flag + strlen("link-arg="));
	return false;
}

/*
 * Copy the user's flags from old into out, dropping the codegen options
 * rpx manages: "-C X", "-CX", "--codegen X" and "--codegen=X" forms.
 */
static void
keep_user_flags(const struct tokens *old, struct tokens *out)
{
	for (size_t i = 0; i < old->n; i++) {
		const char *s = old->v[i];
		const char *flag = NULL;
		size_t width = 1;

		if ((strcmp(s, "-C") == 0 || strcmp(s, "--codegen") == 0) &&
		    i + 1 < old->n) {
			flag = old->v[i + 1];
			width = 2;
		} else if (rpx_starts_with(s, "--codegen=")) {
			flag = s + strlen("--codegen=");
		} else if (rpx_starts_with(s, "-C") && s[2] != '\0') {
			flag = s + 2;
		}
		if (flag != NULL && managed_codegen(flag)) {
			i += width - 1;
			continue;
		}
		for (size_t k = 0; k < width; k++)
			tok_add(out, old->v[i + k], strlen(old->v[i + k]));
		i += width - 1;
	}
}

/* Read the current rustflags: array of strings or one string. */
static void
current_flags(const struct toml_node *node, struct tokens *t, bool *string_form)
{
	*string_form = false;
	if (node == NULL)
		return;
	if (toml_node_type(node) == TOML_STRING) {
		*string_form = true;
		tok_split(t, toml_node_cstr(node));
		return;
	}
	if (toml_node_type(node) != TOML_ARRAY)
		return;
	for (const struct toml_node *c = toml_node_first(node); c != NULL;
	     c = toml_node_next(c)) {
		const char *s = toml_node_cstr(c);

		if (s != NULL)
			tok_add(t, s, strlen(s));
	}
}

static char *
render_flags(const struct tokens *t, bool string_form)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; string_form && i < t->n; i++)
		if (t->v[i][strcspn(t->v[i], " \t\n\r")] != '\0')
			string_form = false;
	if (string_form) {
		for (size_t i = 0; i < t->n; i++) {
			if (i > 0)
				strbuf_addch(&sb, ' ');
			strbuf_adds(&sb, t->v[i]);
		}
		char *s = strbuf_detach(&sb, NULL);
		char *q = toml_quote_string(s, strlen(s));

		free(s);
		return q;
	}
	strbuf_addch(&sb, '[');
	for (size_t i = 0; i < t->n; i++) {
		char *q = toml_quote_string(t->v[i], strlen(t->v[i]));

		if (i > 0)
			strbuf_adds(&sb, ", ");
		strbuf_adds(&sb, q);
		free(q);
	}
	strbuf_addch(&sb, ']');
	return strbuf_detach(&sb, NULL);
}

static void
add_edit(struct planconf *pc, char *key, char *value)
{
	pc->edits = xrealloc(pc->edits, (pc->n + 1) * sizeof(*pc->edits));
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

static void
set_rustflags(const struct plan *p, const struct toml_doc *cur,
	      struct planconf *pc)
{
	char *key = xasprintf("target.%s.rustflags", p->target->triple);
	const struct toml_node *node = cur ? toml_get_key(cur, key) : NULL;
	struct tokens old = { NULL, 0 }, want = { NULL, 0 };
	bool string_form;

	current_flags(node, &old, &string_form);
	keep_user_flags(&old, &want);
	if (p->cpu != NULL) {
		char *f = xasprintf("target-cpu=%s", p->cpu);

		tok_add(&want, "-C", 2);
		tok_add(&want, f, strlen(f));
		free(f);
	}
	for (char **a = p->link_args; a != NULL && *a != NULL; a++) {
		char *f = xasprintf("link-arg=%s", *a);

		tok_add(&want, "-C", 2);
		tok_add(&want, f, strlen(f));
		free(f);
	}
	if (node != NULL && tok_equal(&old, &want) &&
	    (toml_node_type(node) == TOML_ARRAY || string_form)) {
		free(key);
	} else if (want.n == 0) {
		if (node != NULL)
			add_edit(pc, key, NULL);
		else
			free(key);
	} else {
		add_edit(pc, key, render_flags(&want, string_form));
	}
	tok_release(&old);
	tok_release(&want);
}

char *
planconf_runner(const char *host)
{
	return host != NULL ? xasprintf("rpi-cross run --host %s", host)
			    : xstrdup("rpi-cross run");
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
	if (p->runner) {
		char *runner = planconf_runner(p->host);

		set_string(pc, cur, xasprintf("target.%s.runner", triple),
			   runner);
		free(runner);
	}
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
	pc->n = 0;
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
