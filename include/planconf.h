/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * planconf.h - what a plan writes into a Cargo config.
 *
 * The one mapping from a struct plan to Cargo settings, used by
 * `rpi-cross setup` and the wizard's Config step alike, so both write
 * exactly the same file for the same answers:
 *
 *	[target.<triple>]
 *	linker = "<plan.linker>"
 *	rustflags = ["-C", "target-cpu=<plan.cpu>", "-C", "link-arg=<arg>", ...]
 *	runner = "rpi-cross run --host <plan.host>"	(plan.runner)
 *	[build]
 *	target = "<triple>"				(plan.build_target)
 *
 * Settings the plan does not speak about are left alone: no runner or
 * [build] target is removed because the plan does not ask for one, and the
 * user's own rustflags are kept. Only the flags rpi-cross manages are
 * replaced in an existing rustflags value: every target-cpu, and the
 * link-args that pick a linker (--target=, -target, -fuse-ld=, -B,
 * --ld-path=), which belong to the previous linker choice: the edit is
 * rustflags_edit() (rustflags.h). A rustflags written as one string stays
 * a string when it can.
 */
#ifndef RPX_PLANCONF_H
#define RPX_PLANCONF_H

#include <stddef.h>

#include "cargo_config.h"
#include "plan.h"
#include "rpx.h"
#include "strvec.h"
#include "sysroot_config.h"
#include "toml.h"

/* The edits for one plan; keys and values are owned by the struct. */
struct planconf {
	struct cargo_config_edit *edits;
	size_t n, alloc;
};

#define PLANCONF_INIT { NULL, 0, 0 }

/*
 * The file the plan writes: $CARGO_HOME/config.toml (or the legacy
 * `config` when that is the one Cargo reads), DIR/.cargo/config.toml (or
 * `config`) for a project, or config_file as given. fn/data give the
 * environment (cargo_config_home()). Malloc'd into *path; RPX_EINVAL with
 * err when neither CARGO_HOME nor HOME is set or a project/file path is
 * missing.
 */
int planconf_path(const struct plan *p, cargo_config_getenv_fn fn,
		  void *data, char **path, struct rpx_err *err);

/*
 * The edits for plan p (which must have a target) against the current
 * document cur (NULL: an empty file), whose rustflags are merged as said
 * above. RPX_EINVAL with err when the plan has no target.
 */
int planconf_edits(const struct plan *p, const struct toml_doc *cur,
		   struct planconf *pc, struct rpx_err *err);
void planconf_release(struct planconf *pc);

/*
 * All of it: the path, cargo_config_load() and cargo_config_apply() of
 * the plan's edits. On success ch->diff is the change ("" when the file
 * already says it all) and cargo_config_commit(ch) writes it. Errors are
 * those of the steps (RPX_EPARSE with file:line:col for a file that does
 * not parse); ch must be released either way.
 */
int planconf_prepare(const struct plan *p, cargo_config_getenv_fn fn,
		     void *data, struct cargo_config_change *ch,
		     struct rpx_err *err);

/*
 * The same, then a sysroot wired in (sr NULL: none) by
 * sysroot_config_apply(), its sentences for the user appended to why:
 * the one way `setup --sysroot` and the wizard's C libraries choice
 * edit the file.
 */
int planconf_prepare_sysroot(const struct plan *p,
			     const struct sysroot_wiring *sr,
			     cargo_config_getenv_fn fn, void *data,
			     struct cargo_config_change *ch,
			     struct strvec *why, struct rpx_err *err);

/*
 * The runner command for a host (NULL: none) naming rpi-cross as prog
 * (NULL: "rpi-cross", else plan.runner_prog): its words joined by spaces,
 * e.g. "rpi-cross run --host pi"; malloc'd. planconf_runner_toml: the
 * value written, a TOML string, or an array of the words when one holds
 * whitespace (Cargo splits a string there); malloc'd.
 */
char *planconf_runner(const char *prog, const char *host);
char *planconf_runner_toml(const char *prog, const char *host);

#endif
