/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * run_env.c - the environment passed to a program run on the Pi, as
 * shell assignments (run_env.h).
 */
#include "run_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpx.h"

static const char *const default_names[] = {
	"RUST_LOG", "RUST_BACKTRACE", "RUST_LIB_BACKTRACE",
};

bool
run_env_name_ok(const char *name, size_t len)
{
	if (len == 0 || (name[0] >= '0' && name[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

/* Drop an earlier NAME=... of the same name: the last one given wins. */
static void
drop_name(struct strvec *env, const char *name, size_t len)
{
	size_t i = 0;

	while (i < env->n) {
		if (strncmp(env->v[i], name, len) == 0 &&
		    env->v[i][len] == '=') {
			free(env->v[i]);
			memmove(&env->v[i], &env->v[i + 1],
				(env->n - i) * sizeof(*env->v));
			env->n--;
		} else {
			i++;
		}
	}
}

static void
set_var(struct strvec *env, const char *name, size_t len, const char *value)
{
	drop_name(env, name, len);
	strvec_pushf(env, "%.*s=%s", (int)len, name, value);
}

void
run_env_defaults(struct strvec *env, run_env_getenv_fn *get, void *data)
{
	for (size_t i = 0; i < sizeof(default_names) / sizeof(*default_names);
	     i++) {
		const char *v = get(default_names[i], data);

		if (v != NULL)
			set_var(env, default_names[i],
				strlen(default_names[i]), v);
	}
}

int
run_env_add(struct strvec *env, const char *spec, run_env_getenv_fn *get,
	    void *data, char *err, size_t errsz)
{
	const char *eq = strchr(spec, '=');
	size_t len = eq ? (size_t)(eq - spec) : strlen(spec);
	char *name;

	if (!run_env_name_ok(spec, len)) {
		snprintf(err, errsz, "--env '%s': a variable name is letters, "
			 "digits and '_', not starting with a digit (NAME or "
			 "NAME=VALUE)", spec);
		return RPX_EINVAL;
	}
	if (eq != NULL) {
		set_var(env, spec, len, eq + 1);
		return 0;
	}
	name = xstrndup(spec, len);
	if (get(name, data) != NULL)
		set_var(env, spec, len, get(name, data));
	free(name);
	return 0;
}

void
run_env_shell(struct strbuf *sb, char *const *env)
{
	for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
		const char *eq = strchr(env[i], '=');

		if (eq == NULL)
			continue;
		strbuf_add(sb, env[i], (size_t)(eq - env[i]) + 1);
		strbuf_add_shquoted(sb, eq + 1);
		strbuf_addch(sb, ' ');
	}
}
