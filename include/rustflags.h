/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * rustflags.h - rustc's flags as Cargo passes them: the one reader of
 * rustflags for the Cargo config's values, the environment, a linker's
 * flags, the plan's edits and the doctor's checks.
 *
 * Where the flags come from:
 *  - a TOML value: one string, split on whitespace as Cargo splits it, or
 *    an array of strings taken as they are (rustflags_from_toml());
 *  - a typed Cargo config value (cargo_config.h), the same two forms
 *    (rustflags_from_value());
 *  - the environment: RUSTFLAGS and CARGO_TARGET_<T>_RUSTFLAGS are split
 *    on whitespace (rustflags_split()), CARGO_ENCODED_RUSTFLAGS on the
 *    0x1f separator (rustflags_split_encoded()); cargo_config reads them.
 *
 * What they say: a codegen option is written `-C x`, `-Cx`, `--codegen x`
 * or `--codegen=x`; rustflags_codegen() tells which option a flag holds,
 * rustflags_option() the value of any option (the last one counts, as in
 * rustc), rustflags_target_cpu() the target-cpu, rustflags_link_args()
 * the values of link-arg= and link-args=.
 * A lone `-C` (or `--codegen`) at the end holds no option: it is an
 * ordinary flag, kept as written.
 *
 * The edit a setup makes (rustflags_edit()): every target-cpu and the
 * link-args that pick a linker (--target=, -target, -fuse-ld=, -B,
 * --ld-path=: the previous linker choice) are dropped, the user's other
 * flags kept in order, then the new `-C target-cpu=` and `-C link-arg=`
 * pairs appended.
 *
 * The flags are held in a struct strvec (strvec.h): the one string
 * vector, NULL-ended and owning its strings, so v serves where a
 * NULL-ended char ** is wanted; push, clear and compare with strvec's
 * own functions.
 */
#ifndef RPX_RUSTFLAGS_H
#define RPX_RUSTFLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "cargo_config.h"
#include "strvec.h"
#include "toml.h"

/* Append the words of s split on whitespace (RUSTFLAGS, a TOML string). */
void rustflags_split(struct strvec *f, const char *s);
/* Append the flags of CARGO_ENCODED_RUSTFLAGS (0x1f between flags; an
 * empty one is skipped). */
void rustflags_split_encoded(struct strvec *f, const char *s);

/*
 * Append the flags of a TOML value: a string (split; *string_form true)
 * or an array (its strings, in order; a non-string element is skipped).
 * node NULL or of another type: nothing, 0. RPX_EINVAL for another type.
 * string_form may be NULL.
 */
int rustflags_from_toml(struct strvec *f, const struct toml_node *node,
			bool *string_form);
/*
 * Append the flags of a typed Cargo config value: a string (split) or a
 * list of strings. Returns 0 (unset: nothing appended), or RPX_EINVAL for
 * a value of another type (a number, a mixed array, ...).
 */
int rustflags_from_value(struct strvec *f,
			 const struct cargo_config_value *v);

/*
 * The codegen option that flags[i] starts ("-C" "x", "-Cx", "--codegen"
 * "x", "--codegen=x" all give "x"), or NULL when flags[i] is another flag
 * (a lone "-C" at the end included). *width gets the entries it takes: 2
 * for the two-word forms, else 1. flags is NULL-ended.
 */
const char *rustflags_codegen(char *const *flags, size_t i, size_t *width);
/* The value of the last -C NAME=value in flags (NULL-ended, may be
 * NULL), as rustc takes the last; it points into flags. NULL when there
 * is none. */
const char *rustflags_option(char *const *flags, const char *name);
/* rustflags_option(flags, "target-cpu"). */
const char *rustflags_target_cpu(char *const *flags);
/*
 * Append to out the values of every link-arg=X (X whole) and link-args=X
 * (X split on whitespace) in flags, in order. Returns true when flags hold
 * nothing else (no other flag, no other codegen option).
 */
bool rustflags_link_args(char *const *flags, struct strvec *out);

/* Whether a codegen option is one a setup writes and so replaces: any
 * target-cpu=, and a link-arg= that picks the linker or its flavour. */
bool rustflags_managed(const char *option);
/*
 * The edited list into out: old's flags less the managed options (in
 * any form), then "-C" "target-cpu=CPU" (cpu NULL: none) and "-C"
 * "link-arg=A" for each of link_args (NULL-ended, may be NULL).
 */
void rustflags_edit(const struct strvec *old, const char *cpu,
		    char *const *link_args, struct strvec *out);
/*
 * The flags as a TOML value: one string when string_form and no flag
 * holds whitespace, else an array of strings. Malloc'd.
 */
char *rustflags_toml(const struct strvec *f, bool string_form);

#endif
