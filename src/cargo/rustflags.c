/*
 * rustflags.c - rustc's flags as Cargo passes them: split, read (the
 * codegen options in all four spellings, target-cpu, link-args) and
 * edited for a setup (see rustflags.h).
 */
#include "rustflags.h"

#include <stdlib.h>
#include <string.h>

#include "rpx.h"
#include "strbuf.h"

/* Cargo splits a rustflags string with Rust's split_whitespace. */
#define BLANKS " \t\n\r\v\f"

void
rustflags_addn(struct rustflags *f, const char *s, size_t len)
{
	f->v = xrealloc(f->v, (f->n + 2) * sizeof(*f->v));
	f->v[f->n++] = xstrndup(s, len);
	f->v[f->n] = NULL;
}

void
rustflags_add(struct rustflags *f, const char *s)
{
	rustflags_addn(f, s, strlen(s));
}

void
rustflags_add_all(struct rustflags *f, char *const *flags)
{
	for (size_t i = 0; flags != NULL && flags[i] != NULL; i++)
		rustflags_add(f, flags[i]);
}

void
rustflags_split(struct rustflags *f, const char *s)
{
	while (s != NULL && *s != '\0') {
		size_t n;

		s += strspn(s, BLANKS);
		n = strcspn(s, BLANKS);
		if (n > 0)
			rustflags_addn(f, s, n);
		s += n;
	}
}

void
rustflags_split_encoded(struct rustflags *f, const char *s)
{
	while (s != NULL && *s != '\0') {
		size_t n = strcspn(s, "\x1f");

		if (n > 0)
			rustflags_addn(f, s, n);
		s += n;
		if (*s != '\0')
			s++;
	}
}

void
rustflags_release(struct rustflags *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

char **
rustflags_detach(struct rustflags *f)
{
	char **v = f->v;

	f->v = NULL;
	f->n = 0;
	return v;
}

bool
rustflags_equal(const struct rustflags *a, const struct rustflags *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

int
rustflags_from_toml(struct rustflags *f, const struct toml_node *node,
		    bool *string_form)
{
	if (string_form != NULL)
		*string_form = false;
	if (node == NULL)
		return 0;
	if (toml_node_type(node) == TOML_STRING) {
		if (string_form != NULL)
			*string_form = true;
		rustflags_split(f, toml_node_cstr(node));
		return 0;
	}
	if (toml_node_type(node) != TOML_ARRAY)
		return RPX_EINVAL;
	for (const struct toml_node *c = toml_node_first(node); c != NULL;
	     c = toml_node_next(c)) {
		const char *s = toml_node_cstr(c);

		if (s != NULL)
			rustflags_add(f, s);
	}
	return 0;
}

int
rustflags_from_value(struct rustflags *f, const struct cargo_config_value *v)
{
	switch (v->type) {
	case CARGO_VALUE_UNSET:
		return 0;
	case CARGO_VALUE_STRING:
		rustflags_split(f, v->str);
		return 0;
	case CARGO_VALUE_LIST:
		rustflags_add_all(f, v->list);
		return 0;
	default:
		return RPX_EINVAL;
	}
}

const char *
rustflags_codegen(char *const *flags, size_t i, size_t *width)
{
	const char *s = flags[i];

	*width = 1;
	if (strcmp(s, "-C") == 0 || strcmp(s, "--codegen") == 0) {
		if (flags[i + 1] == NULL)
			return NULL;	/* a lone -C at the end */
		*width = 2;
		return flags[i + 1];
	}
	if (rpx_starts_with(s, "--codegen="))
		return s + strlen("--codegen=");
	if (rpx_starts_with(s, "-C") && s[2] != '\0')
		return s + 2;
	return NULL;
}

const char *
rustflags_option(char *const *flags, const char *name)
{
	const char *val = NULL;
	size_t width, n = strlen(name);

	for (size_t i = 0; flags != NULL && flags[i] != NULL; i += width) {
		const char *o = rustflags_codegen(flags, i, &width);

		if (o != NULL && strncmp(o, name, n) == 0 && o[n] == '=')
			val = o + n + 1;
	}
	return val;
}

const char *
rustflags_target_cpu(char *const *flags)
{
	return rustflags_option(flags, "target-cpu");
}

bool
rustflags_link_args(char *const *flags, struct rustflags *out)
{
	bool only = true;
	size_t width;

	for (size_t i = 0; flags != NULL && flags[i] != NULL; i += width) {
		const char *o = rustflags_codegen(flags, i, &width);

		if (o != NULL && rpx_starts_with(o, "link-arg="))
			rustflags_add(out, o + strlen("link-arg="));
		else if (o != NULL && rpx_starts_with(o, "link-args="))
			rustflags_split(out, o + strlen("link-args="));
		else
			only = false;
	}
	return only;
}

/* A link-arg that picks the linker or its flavour: the old choice's. */
static bool
managed_link_arg(const char *a)
{
	return rpx_starts_with(a, "--target=") || strcmp(a, "-target") == 0 ||
	       rpx_starts_with(a, "-fuse-ld=") || rpx_starts_with(a, "-B") ||
	       rpx_starts_with(a, "--ld-path=");
}

bool
rustflags_managed(const char *option)
{
	if (rpx_starts_with(option, "target-cpu="))
		return true;
	if (rpx_starts_with(option, "link-arg="))
		return managed_link_arg(option + strlen("link-arg="));
	return false;
}

static void
add_codegen(struct rustflags *out, const char *name, const char *value)
{
	char *f = xasprintf("%s=%s", name, value);

	rustflags_add(out, "-C");
	rustflags_add(out, f);
	free(f);
}

void
rustflags_edit(const struct rustflags *old, const char *cpu,
	       char *const *link_args, struct rustflags *out)
{
	size_t width;

	for (size_t i = 0; i < old->n; i += width) {
		const char *o = rustflags_codegen(old->v, i, &width);

		if (o != NULL && rustflags_managed(o))
			continue;
		for (size_t k = 0; k < width; k++)
			rustflags_add(out, old->v[i + k]);
	}
	if (cpu != NULL)
		add_codegen(out, "target-cpu", cpu);
	for (size_t i = 0; link_args != NULL && link_args[i] != NULL; i++)
		add_codegen(out, "link-arg", link_args[i]);
}

char *
rustflags_toml(const struct rustflags *f, bool string_form)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; string_form && i < f->n; i++)
		if (f->v[i][strcspn(f->v[i], BLANKS)] != '\0')
			string_form = false;
	if (string_form) {
		char *q;

		for (size_t i = 0; i < f->n; i++) {
			if (i > 0)
				strbuf_addch(&sb, ' ');
			strbuf_adds(&sb, f->v[i]);
		}
		q = toml_quote_string(sb.buf, sb.len);
		strbuf_release(&sb);
		return q;
	}
	strbuf_addch(&sb, '[');
	for (size_t i = 0; i < f->n; i++) {
		char *q = toml_quote_string(f->v[i], strlen(f->v[i]));

		if (i > 0)
			strbuf_adds(&sb, ", ");
		strbuf_adds(&sb, q);
		free(q);
	}
	strbuf_addch(&sb, ']');
	return strbuf_detach(&sb, NULL);
}
