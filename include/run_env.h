/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * run_env.h - the environment `rpi-cross run` gives the program on the
 * Pi: RUST_LOG, RUST_BACKTRACE and RUST_LIB_BACKTRACE when set here, plus
 * what --env names, and nothing else (no PATH, HOME or secrets). sshd's
 * AcceptEnv usually refuses SSH's env requests, so the values travel in
 * the command line the Pi's shell runs: NAME='value' assignments before
 * the program, each value single-quoted.
 */
#ifndef RPX_RUN_ENV_H
#define RPX_RUN_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"
#include "strvec.h"

/* Reads a local variable (NULL: unset); data is the caller's. */
typedef const char *run_env_getenv_fn(const char *name, void *data);

/* A variable name a shell takes: [A-Za-z_][A-Za-z0-9_]*, len bytes. */
bool run_env_name_ok(const char *name, size_t len);

/* Add the variables passed by default (RUST_LOG, RUST_BACKTRACE,
 * RUST_LIB_BACKTRACE) that get finds set, as "NAME=VALUE". */
void run_env_defaults(struct strvec *env, run_env_getenv_fn *get, void *data);

/*
 * One --env: "NAME=VALUE", or "NAME" for the local value (get; nothing
 * added when unset). A later NAME replaces an earlier one. RPX_EINVAL
 * with a message in err for a name a shell would not take.
 */
int run_env_add(struct strvec *env, const char *spec, run_env_getenv_fn *get,
		void *data, char *err, size_t errsz);

/* The assignments for env ("NAME=VALUE" strings, NULL-ended; NULL:
 * none), each "NAME='VALUE' " with strbuf_add_shquoted(): what goes
 * before the program in the Pi's command line. */
void run_env_shell(struct strbuf *sb, char *const *env);

#endif
