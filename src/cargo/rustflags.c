/* SPDX-License-Identifier: MIT OR Apache-2.0 */
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
rustflags_split(struct strvec *f, const char *s)
{
	while (s != NULL && *s != '\0') {
		size_t n;

		s += strspn(s, BLANKS);
		n = strcspn(s, BLANKS);
		if (n > 0)
			strvec_push_nodup(f, xstrndup(s, n));
		s += n;
	}
}

void
rustflags_split_encoded(struct strvec *f, const char *s)
{
	while (s != NULL && *s != '\0') {
		size_t n = strcspn(s, "\x1f");

		if (n > 0)
			strvec_push_nodup(f, xstrndup(s, n));
		s += n;
		if (*s != '\0')
			s++;
	}
}

int
rustflags_from_toml(struct strvec *f, const struct toml_node *node,
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
			strvec_push(f, s);
	}
	return 0;
}

int
rustflags_from_value(struct strvec *f, const struct cargo_config_value *v)
{
	switch (v->type) {
	case CARGO_VALUE_UNSET:
		return 0;
	case CARGO_VALUE_STRING:
		rustflags_split(f, v->str);
		return 0;
	case CARGO_VALUE_LIST:
		strvec_pushv(f, (const char *const *)v->list.v);
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
rustflags_link_args(char *const *flags, struct strvec *out)
{
	bool only = true;
	size_t width;

	for (size_t i = 0; flags != NULL && flags[i] != NULL; i += width) {
		const char *o = rustflags_codegen(flags, i, &width);

		if (o != NULL && rpx_starts_with(o, "link-arg="))
			strvec_push(out, o + strlen("link-arg="));
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
add_codegen(struct strvec *out, const char *name, const char *value)
{
	char *f = xasprintf("%s=%s", name, value);

	strvec_push(out, "-C");
	strvec_push_nodup(out, f);
}

void
rustflags_edit(const struct strvec *old, const char *cpu,
	       char *const *link_args, struct strvec *out)
{
	size_t width;

	for (size_t i = 0; i < old->n; i += width) {
		const char *o = rustflags_codegen(old->v, i, &width);

		if (o != NULL && rustflags_managed(o))
			continue;
		for (size_t k = 0; k < width; k++)
			strvec_push(out, old->v[i + k]);
	}
	if (cpu != NULL)
		add_codegen(out, "target-cpu", cpu);
	for (size_t i = 0; link_args != NULL && link_args[i] != NULL; i++)
		add_codegen(out, "link-arg", link_args[i]);
}

char *
rustflags_toml(const struct strvec *f, bool string_form)
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
