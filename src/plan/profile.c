/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* profile.c - named profiles in profiles.yaml (see profile.h). */
#include "profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "fsutil.h"
#include "strbuf.h"
#include "strvec.h"
#include "yamlutil.h"

enum pkey {
	K_BOARD, K_BITS, K_LIBC, K_TARGET, K_RUSTC, K_LINKER, K_LINK_ARGS,
	K_CPU, K_SCOPE, K_PROJECT_DIR, K_CONFIG_FILE, K_BUILD_TARGET,
	K_RUNNER, K_HOST, K_COUNT
};

/* In the order they are written. */
static const char *const key_names[K_COUNT] = {
	"board", "bits", "libc", "target", "rustc", "linker", "link_args",
	"cpu", "scope", "project_dir", "config_file", "build_target",
	"runner", "host",
};

/* Parts of key names that mean a secret. */
static const char *const secret_words[] = {
	"pass", "secret", "token", "credential", "private",
};

#define NAME_MAX_LEN 64

static const char header[] =
	"# rpi-cross profiles: one mapping per profile name; see rpi-cross(1).\n"
	"# Keys: board, bits, libc, target, rustc, linker, link_args, cpu, scope,\n"
	"# project_dir, config_file, build_target, runner, host.\n"
	"# rpi-cross rewrites this file when it saves a profile (comments are\n"
	"# not kept) and never stores a password here.\n";

char *
profile_default_path(void)
{
	const char *xdg = rpx_getenv("XDG_CONFIG_HOME");
	const char *home;

	if (xdg != NULL)
		return xasprintf("%s/rpi-cross/profiles.yaml", xdg);
	home = rpx_getenv("HOME");
	if (home == NULL)
		return NULL;
	return xasprintf("%s/.config/rpi-cross/profiles.yaml", home);
}

static void
profile_free(struct profile *pr)
{
	free(pr->name);
	plan_release(&pr->plan);
}

void
profiles_release(struct profiles *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		profile_free(&ps->v[i]);
	free(ps->v);
	free(ps->warnings);
	free(ps->path);
	memset(ps, 0, sizeof(*ps));
}

const struct profile *
profiles_find(const struct profiles *ps, const char *name)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].name, name) == 0)
			return &ps->v[i];
	return NULL;
}

/* The reading state: the document and where errors go. */
struct reader {
	const char *path;
	yaml_document_t *doc;
	struct rpx_err *err;
	struct profiles *ps;
};

static int
node_err(struct reader *rd, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
node_err(struct reader *rd, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = yamlutil_node_verr(rd->err, rd->path, n, fmt, ap);
	va_end(ap);
	return r;
}

static void
node_warn(struct reader *rd, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
node_warn(struct reader *rd, const yaml_node_t *n, const char *fmt, ...)
{
	struct profiles *ps = rd->ps;
	struct rpx_err *w;
	va_list ap;

	ALLOC_GROW(ps->warnings, ps->nwarnings + 1, ps->warnings_alloc);
	w = &ps->warnings[ps->nwarnings++];
	rpx_err_clear(w);
	snprintf(w->path, sizeof(w->path), "%s", rd->path);
	w->line = (int)n->start_mark.line + 1;
	w->col = (int)n->start_mark.column + 1;
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
}

static yaml_node_t *
node_at(struct reader *rd, int index)
{
	return yaml_document_get_node(rd->doc, index);
}

/* A plain "", "~" or "null": the key is as good as absent. */
static bool
is_null(const yaml_node_t *n)
{
	const char *s = yamlutil_scalar(n);

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	       strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

/* A scalar without NUL bytes, or an error naming what was expected. */
static int
want_scalar(struct reader *rd, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE)
		return node_err(rd, n, "%s must be a single value, not a %s",
				what, n->type == YAML_MAPPING_NODE ?
				"mapping" : "list");
	if (strlen(yamlutil_scalar(n)) != n->data.scalar.length)
		return node_err(rd, n, "%s contains a NUL byte", what);
	return 0;
}

static int
parse_bool(struct reader *rd, const yaml_node_t *n, const char *key,
	   bool *out)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	const char *s = yamlutil_scalar(n);

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (rpx_strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (rpx_strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return node_err(rd, n, "%s must be true or false, not '%s'", key, s);
}

static int
parse_link_args(struct reader *rd, const yaml_node_t *n, struct plan *p)
{
	struct strvec args = STRVEC_INIT;
	int r;

	if (n->type == YAML_SCALAR_NODE) {
		r = want_scalar(rd, n, "link_args");
		if (r != 0)
			return r;
		strvec_push(&args, yamlutil_scalar(n));
		p->link_args = strvec_detach(&args);
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return node_err(rd, n, "link_args must be a list of strings");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *item = node_at(rd, *it);

		r = want_scalar(rd, item, "each of link_args");
		if (r != 0) {
			strvec_clear(&args);
			return r;
		}
		strvec_push(&args, yamlutil_scalar(item));
	}
	p->link_args = strvec_detach(&args);
	return 0;
}

static int
parse_value(struct reader *rd, const char *pname, enum pkey k,
	    const yaml_node_t *v, struct plan *p)
{
	const char *s;
	char why[128];
	int r;

	snprintf(why, sizeof(why), "profile '%s'", pname);
	if (k == K_LINK_ARGS)
		return parse_link_args(rd, v, p);
	r = want_scalar(rd, v, key_names[k]);
	if (r != 0)
		return r;
	s = yamlutil_scalar(v);
	switch (k) {
	case K_BOARD:
		p->board = board_find(s);
		if (p->board == NULL) {
			struct strbuf ids = STRBUF_INIT;
			const struct board *all;
			int n;

			all = board_all(&n);
			for (int i = 0; i < n; i++)
				strbuf_addf(&ids, "%s%s", i ? ", " : "",
					    all[i].id);
			r = node_err(rd, v, "unknown board '%s' (known: %s)",
				     s, ids.buf);
			strbuf_release(&ids);
			return r;
		}
		plan_note(p, PF_BOARD, PLAN_PROFILE, "%s", why);
		break;
	case K_BITS:
		if (strcmp(s, "32") != 0 && strcmp(s, "64") != 0)
			return node_err(rd, v, "bits must be 32 or 64, not "
					"'%s'", s);
		p->os_bits = s[0] == '3' ? 32 : 64;
		plan_note(p, PF_BITS, PLAN_PROFILE, "%s", why);
		break;
	case K_LIBC:
		if (strcmp(s, "gnu") == 0)
			p->libc = LIBC_GNU;
		else if (strcmp(s, "musl") == 0)
			p->libc = LIBC_MUSL;
		else
			return node_err(rd, v, "libc must be gnu or musl, not "
					"'%s'", s);
		plan_note(p, PF_LIBC, PLAN_PROFILE, "%s", why);
		break;
	case K_TARGET:
		p->target = target_find(s);
		if (p->target == NULL)
			return node_err(rd, v, "unknown target '%s' (see "
					"'rpi-cross targets')", s);
		plan_note(p, PF_TARGET, PLAN_PROFILE, "%s", why);
		break;
	case K_RUSTC:
		plan_set_str(&p->rustc, s);
		plan_note(p, PF_TOOLCHAIN, PLAN_PROFILE, "%s", why);
		break;
	case K_LINKER:
		plan_set_str(&p->linker, s);
		plan_note(p, PF_LINKER, PLAN_PROFILE, "%s", why);
		break;
	case K_CPU:
		plan_set_str(&p->cpu, s);
		plan_note(p, PF_CPU, PLAN_PROFILE, "%s", why);
		break;
	case K_SCOPE:
		r = plan_scope_parse(s);
		if (r < 0)
			return node_err(rd, v, "scope must be global, project "
					"or file, not '%s'", s);
		p->scope = (enum plan_scope)r;
		plan_note(p, PF_CONFIG, PLAN_PROFILE, "%s", why);
		break;
	case K_PROJECT_DIR:
		plan_set_str(&p->project_dir, s);
		break;
	case K_CONFIG_FILE:
		plan_set_str(&p->config_file, s);
		break;
	case K_BUILD_TARGET:
		r = parse_bool(rd, v, key_names[k], &p->build_target);
		if (r != 0)
			return r;
		plan_note(p, PF_BUILD_TARGET, PLAN_PROFILE, "%s", why);
		break;
	case K_RUNNER:
		r = parse_bool(rd, v, key_names[k], &p->runner);
		if (r != 0)
			return r;
		plan_note(p, PF_RUNNER, PLAN_PROFILE, "%s", why);
		break;
	case K_HOST:
		plan_set_str(&p->host, s);
		plan_note(p, PF_HOST, PLAN_PROFILE, "%s", why);
		break;
	case K_LINK_ARGS:
	case K_COUNT:
		break;
	}
	return 0;
}

static bool
is_secret(const char *key)
{
	char low[64];
	size_t i;

	for (i = 0; key[i] != '\0' && i + 1 < sizeof(low); i++)
		low[i] = (key[i] >= 'A' && key[i] <= 'Z') ?
			 (char)(key[i] - 'A' + 'a') : key[i];
	low[i] = '\0';
	for (size_t k = 0; k < ARRAY_SIZE(secret_words); k++)
		if (strstr(low, secret_words[k]) != NULL)
			return true;
	return false;
}

static int
parse_profile(struct reader *rd, const yaml_node_t *vn, struct profile *pr)
{
	const yaml_node_t *seen[K_COUNT] = { NULL };
	struct plan *p = &pr->plan;
	int r;

	if (vn->type != YAML_MAPPING_NODE)
		return node_err(rd, vn, "profile '%s' must be a mapping of "
				"keys (board, bits, libc, ...)", pr->name);
	for (yaml_node_pair_t *pair = vn->data.mapping.pairs.start;
	     pair < vn->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = node_at(rd, pair->key);
		yaml_node_t *v = node_at(rd, pair->value);
		const char *ks;
		int idx = -1;

		r = want_scalar(rd, k, "a key");
		if (r != 0)
			return r;
		ks = yamlutil_scalar(k);
		for (int i = 0; i < K_COUNT; i++)
			if (strcmp(ks, key_names[i]) == 0)
				idx = i;
		if (idx < 0 && is_secret(ks)) {
			node_warn(rd, k, "refusing key '%s' in profile '%s': "
				  "profiles never hold secrets (use "
				  "ssh-agent or a key file); ignored",
				  ks, pr->name);
			continue;
		}
		if (idx < 0) {
			struct strbuf known = STRBUF_INIT;

			for (int i = 0; i < K_COUNT; i++)
				strbuf_addf(&known, "%s%s", i ? ", " : "",
					    key_names[i]);
			r = node_err(rd, k, "unknown key '%s' in profile '%s' "
				     "(known: %s)", ks, pr->name, known.buf);
			strbuf_release(&known);
			return r;
		}
		if (seen[idx] != NULL)
			return node_err(rd, k, "duplicate key '%s' in profile "
					"'%s' (first on line %d)", ks,
					pr->name,
					(int)seen[idx]->start_mark.line + 1);
		seen[idx] = k;
		if (is_null(v))
			continue;
		r = parse_value(rd, pr->name, (enum pkey)idx, v, p);
		if (r != 0)
			return r;
	}
	/* A folder or file alone implies its scope. */
	if (seen[K_SCOPE] == NULL && p->project_dir != NULL) {
		p->scope = PLAN_SCOPE_PROJECT;
		plan_note(p, PF_CONFIG, PLAN_PROFILE, "profile '%s'", pr->name);
	} else if (seen[K_SCOPE] == NULL && p->config_file != NULL) {
		p->scope = PLAN_SCOPE_FILE;
		plan_note(p, PF_CONFIG, PLAN_PROFILE, "profile '%s'", pr->name);
	}
	return 0;
}

static int
parse_root(struct reader *rd, const yaml_node_t *root)
{
	struct profiles *ps = rd->ps;
	size_t cap;
	int r;

	if (root == NULL || is_null(root))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return node_err(rd, root, "expected a mapping of profile names "
				"to their settings");
	cap = (size_t)(root->data.mapping.pairs.top -
		       root->data.mapping.pairs.start);
	ps->v = xcalloc(cap ? cap : 1, sizeof(*ps->v));
	for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = node_at(rd, pair->key);
		yaml_node_t *v = node_at(rd, pair->value);
		struct profile *pr;
		const struct profile *dup;

		r = want_scalar(rd, k, "a profile name");
		if (r != 0)
			return r;
		if (yamlutil_scalar(k)[0] == '\0')
			return node_err(rd, k, "a profile name is empty");
		dup = profiles_find(ps, yamlutil_scalar(k));
		if (dup != NULL)
			return node_err(rd, k, "duplicate profile '%s' (first "
					"on line %d)", yamlutil_scalar(k), dup->line);
		pr = &ps->v[ps->n++];
		pr->name = xstrdup(yamlutil_scalar(k));
		pr->line = (int)k->start_mark.line + 1;
		pr->col = (int)k->start_mark.column + 1;
		plan_init(&pr->plan);
		r = parse_profile(rd, v, pr);
		if (r != 0)
			return r;
	}
	return 0;
}

static int
parse_text(struct profiles *ps, const char *path, const char *text,
	   size_t len, struct rpx_err *err)
{
	yaml_document_t doc;
	struct reader rd = { path, &doc, err, ps };
	int r;

	r = yamlutil_load(&doc, text, len, path, "one mapping of profiles",
			  err);
	if (r != 0)
		return r;
	r = parse_root(&rd, yaml_document_get_root_node(&doc));
	yaml_document_delete(&doc);
	return r;
}

int
profiles_read(struct profiles *ps, const char *path, struct rpx_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	memset(ps, 0, sizeof(*ps));
	ps->path = xstrdup(path);
	r = fsutil_read_file(path, &text, &len);
	if (r == RPX_ENOTFOUND)
		return 0;
	if (r != 0) {
		int e = errno;

		rpx_err_set(err, path, 0, 0, "cannot read: %s", strerror(e));
		errno = e;
		return r;
	}
	r = parse_text(ps, path, text, len, err);
	free(text);
	if (r != 0) {
		char *keep = ps->path;

		ps->path = NULL;
		profiles_release(ps);
		ps->path = keep;
	}
	return r;
}

static void
names_list(const struct profiles *ps, struct strbuf *sb)
{
	for (size_t i = 0; i < ps->n; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", ps->v[i].name);
	if (ps->n == 0)
		strbuf_adds(sb, "none");
}

static void
copy_args(char ***dst, char *const *src)
{
	struct strvec v = STRVEC_INIT;

	strvec_free_array(*dst);
	*dst = NULL;
	if (src == NULL)
		return;
	strvec_pushv(&v, (const char *const *)src);
	*dst = strvec_detach(&v);
}

int
profile_apply(const struct profiles *ps, const char *name, struct plan *p,
	      struct rpx_err *err)
{
	const struct profile *pr = profiles_find(ps, name);
	const struct plan *q;
	int r = 0;

	if (pr == NULL) {
		struct strbuf names = STRBUF_INIT;

		names_list(ps, &names);
		rpx_err_set(err, NULL, 0, 0, "no profile '%s' in '%s' "
			    "(profiles: %s)", name, ps->path ? ps->path : "",
			    names.buf);
		strbuf_release(&names);
		r = RPX_ENOTFOUND;
		goto out;
	}
	q = &pr->plan;
	for (int f = 0; f < PF_COUNT; f++) {
		if (q->notes[f].src == PLAN_UNSET)
			continue;
		switch ((enum plan_field)f) {
		case PF_BOARD: p->board = q->board; break;
		case PF_BITS: p->os_bits = q->os_bits; break;
		case PF_LIBC: p->libc = q->libc; break;
		case PF_TARGET: p->target = q->target; break;
		case PF_TOOLCHAIN: plan_set_str(&p->rustc, q->rustc); break;
		case PF_LINKER: plan_set_str(&p->linker, q->linker); break;
		case PF_CPU: plan_set_str(&p->cpu, q->cpu); break;
		case PF_CONFIG:
			p->scope = q->scope;
			plan_set_str(&p->project_dir, q->project_dir);
			plan_set_str(&p->config_file, q->config_file);
			break;
		case PF_BUILD_TARGET: p->build_target = q->build_target; break;
		case PF_RUNNER: p->runner = q->runner; break;
		case PF_HOST: plan_set_str(&p->host, q->host); break;
		case PF_COUNT: break;
		}
		plan_note(p, (enum plan_field)f, PLAN_PROFILE, "profile '%s'",
			  name);
	}
	if (q->link_args != NULL)
		copy_args(&p->link_args, q->link_args);
out:
	return r;
}

/* The writing side: libyaml's emitter into a strbuf. */
static int
emit_to_strbuf(void *data, unsigned char *buffer, size_t size)
{
	strbuf_add(data, buffer, size);
	return 1;
}

static int
emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	return yaml_emitter_emit(em, ev) ? 0 : RPX_EIO;
}

static int
emit_str(yaml_emitter_t *em, const char *s)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
				     (int)strlen(s), 1, 1,
				     YAML_ANY_SCALAR_STYLE);
	return emit(em, &ev);
}

static int
emit_kv(yaml_emitter_t *em, const char *k, const char *v)
{
	int r = emit_str(em, k);

	return r != 0 ? r : emit_str(em, v);
}

static bool
is_answer(const struct plan *p, enum plan_field f)
{
	enum plan_src s = p->notes[f].src;

	return s != PLAN_UNSET && s != PLAN_DEFAULT && s != PLAN_ENV;
}

static int
emit_plan(yaml_emitter_t *em, const struct plan *p)
{
	yaml_event_t ev;
	char bits[8];
	int r;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
					    YAML_BLOCK_MAPPING_STYLE);
	if ((r = emit(em, &ev)) != 0)
		return r;
	if (is_answer(p, PF_BOARD) && p->board != NULL &&
	    (r = emit_kv(em, "board", p->board->id)) != 0)
		return r;
	snprintf(bits, sizeof(bits), "%d", p->os_bits);
	if (is_answer(p, PF_BITS) && p->os_bits != 0 &&
	    (r = emit_kv(em, "bits", bits)) != 0)
		return r;
	if (is_answer(p, PF_LIBC) &&
	    (r = emit_kv(em, "libc", libc_name(p->libc))) != 0)
		return r;
	if (is_answer(p, PF_TARGET) && p->target != NULL &&
	    (r = emit_kv(em, "target", p->target->triple)) != 0)
		return r;
	if (is_answer(p, PF_TOOLCHAIN) && p->rustc != NULL &&
	    (r = emit_kv(em, "rustc", p->rustc)) != 0)
		return r;
	if (is_answer(p, PF_LINKER) && p->linker != NULL &&
	    (r = emit_kv(em, "linker", p->linker)) != 0)
		return r;
	if (p->link_args != NULL && p->link_args[0] != NULL) {
		if ((r = emit_str(em, "link_args")) != 0)
			return r;
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
						     YAML_FLOW_SEQUENCE_STYLE);
		if ((r = emit(em, &ev)) != 0)
			return r;
		for (char **a = p->link_args; *a != NULL; a++)
			if ((r = emit_str(em, *a)) != 0)
				return r;
		yaml_sequence_end_event_initialize(&ev);
		if ((r = emit(em, &ev)) != 0)
			return r;
	}
	if (is_answer(p, PF_CPU) && p->cpu != NULL &&
	    (r = emit_kv(em, "cpu", p->cpu)) != 0)
		return r;
	if (is_answer(p, PF_CONFIG)) {
		if ((r = emit_kv(em, "scope", plan_scope_name(p->scope))) != 0)
			return r;
		if (p->scope == PLAN_SCOPE_PROJECT && p->project_dir != NULL &&
		    (r = emit_kv(em, "project_dir", p->project_dir)) != 0)
			return r;
		if (p->scope == PLAN_SCOPE_FILE && p->config_file != NULL &&
		    (r = emit_kv(em, "config_file", p->config_file)) != 0)
			return r;
	}
	if (is_answer(p, PF_BUILD_TARGET) &&
	    (r = emit_kv(em, "build_target",
			 p->build_target ? "true" : "false")) != 0)
		return r;
	if (is_answer(p, PF_RUNNER) &&
	    (r = emit_kv(em, "runner", p->runner ? "true" : "false")) != 0)
		return r;
	if (is_answer(p, PF_HOST) && p->host != NULL &&
	    (r = emit_kv(em, "host", p->host)) != 0)
		return r;
	yaml_mapping_end_event_initialize(&ev);
	return emit(em, &ev);
}

/*
 * The file's new text: every profile of ps in order, with the one named
 * name replaced by (or, when new, followed by) p; p == NULL deletes it.
 */
static int
render(const struct profiles *ps, const char *name, const struct plan *p,
       struct strbuf *out)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	bool done = false;
	int r = RPX_EIO;

	strbuf_adds(out, header);
	if (!yaml_emitter_initialize(&em))
		return RPX_ENOMEM;
	yaml_emitter_set_output(&em, emit_to_strbuf, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	yaml_emitter_set_indent(&em, 2);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if (emit(&em, &ev) != 0)
		goto out;
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	if (emit(&em, &ev) != 0)
		goto out;
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
					    YAML_BLOCK_MAPPING_STYLE);
	if (emit(&em, &ev) != 0)
		goto out;
	for (size_t i = 0; i < ps->n; i++) {
		const struct plan *q = &ps->v[i].plan;

		if (strcmp(ps->v[i].name, name) == 0) {
			done = true;
			if (p == NULL)
				continue;
			q = p;
		}
		if (emit_str(&em, ps->v[i].name) != 0 || emit_plan(&em, q) != 0)
			goto out;
	}
	if (!done && p != NULL &&
	    (emit_str(&em, name) != 0 || emit_plan(&em, p) != 0))
		goto out;
	yaml_mapping_end_event_initialize(&ev);
	if (emit(&em, &ev) != 0)
		goto out;
	yaml_document_end_event_initialize(&ev, 1);
	if (emit(&em, &ev) != 0)
		goto out;
	yaml_stream_end_event_initialize(&ev);
	if (emit(&em, &ev) != 0 || !yaml_emitter_flush(&em))
		goto out;
	r = 0;
out:
	yaml_emitter_delete(&em);
	return r;
}

static int
check_name(const char *name, struct rpx_err *err)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > NAME_MAX_LEN) {
		rpx_err_set(err, NULL, 0, 0, "a profile name has 1 to %d "
			    "bytes", NAME_MAX_LEN);
		return RPX_EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f) {
			rpx_err_set(err, NULL, 0, 0, "profile name '%s' has a "
				    "control character", name);
			return RPX_EINVAL;
		}
	}
	return 0;
}

/* Rewrite the file with profile name replaced by p (NULL: removed). */
static int
rewrite(const char *path, const char *name, const struct plan *p,
	struct rpx_err *err)
{
	struct profiles ps = PROFILES_INIT;
	struct strbuf text = STRBUF_INIT;
	char *dir = NULL;
	const char *slash;
	int r;

	r = check_name(name, err);
	if (r != 0)
		goto out;
	r = profiles_read(&ps, path, err);
	if (r != 0)
		goto out;
	if (p == NULL && profiles_find(&ps, name) == NULL) {
		rpx_err_set(err, NULL, 0, 0, "no profile '%s' in '%s'", name,
			    path);
		r = RPX_ENOTFOUND;
		goto out;
	}
	r = render(&ps, name, p, &text);
	if (r != 0) {
		rpx_err_set(err, path, 0, 0, "cannot write the YAML text");
		goto out;
	}
	slash = strrchr(path, '/');
	if (slash != NULL && slash != path) {
		dir = xstrndup(path, (size_t)(slash - path));
		r = fsutil_mkdirs(dir, 0700);
		if (r != 0) {
			rpx_err_set(err, NULL, 0, 0, "cannot create folder "
				    "'%s': %s", dir, strerror(errno));
			goto out;
		}
	}
	r = atomic_write(path, text.buf, text.len);
	if (r != 0)
		rpx_err_set(err, NULL, 0, 0, "cannot write '%s': %s", path,
			    strerror(errno));
out:
	free(dir);
	strbuf_release(&text);
	profiles_release(&ps);
	return r;
}

int
profile_save(const char *path, const char *name, const struct plan *p,
	     struct rpx_err *err)
{
	return rewrite(path, name, p, err);
}

int
profile_delete(const char *path, const char *name, struct rpx_err *err)
{
	return rewrite(path, name, NULL, err);
}
