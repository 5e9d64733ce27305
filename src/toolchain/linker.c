/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* linker.c - find cross linkers and prove each one links (see linker.h):
 * the entry points; the work is in the linker_*.c files (linker_int.h). */
#include "linker.h"

#include <stdlib.h>
#include <string.h>

#include "linker_int.h"
#include "rpx.h"
#include "rustflags.h"

const char *
linker_kind_name(enum linker_kind kind)
{
	switch (kind) {
	case LINKER_GCC: return "gcc";
	case LINKER_CLANG: return "clang";
	case LINKER_ZIG: return "zig";
	case LINKER_RUST_LLD: return "rust-lld";
	case LINKER_BARE_LD: break;
	}
	return "ld";
}

const char *
linker_probe_name(enum linker_probe_kind kind)
{
	switch (kind) {
	case LINKER_PROBE_RUSTC: return "rustc";
	case LINKER_PROBE_C: return "c";
	case LINKER_PROBE_NONE: break;
	}
	return "none";
}

int
linker_scan(const struct target *t, const struct linker_opts *o,
	    struct linker_scan *s)
{
	long long start = rpx_now_ms();

	memset(s, 0, sizeof(*s));
	s->target = t;
	s->recommended = -1;
	linker_find_all(o, s);
	linker_choose_probe(t, o, s);
	linker_probe_all(o, s);
	s->elapsed_ms = rpx_now_ms() - start;
	return 0;
}

int
linker_check(const struct target *t, const char *linker,
	     const struct linker_opts *o, struct linker_scan *s)
{
	long long start = rpx_now_ms();
	int ret = 0;

	memset(s, 0, sizeof(*s));
	s->target = t;
	s->recommended = -1;
	linker_find_named(linker, o, s);
	if (s->n == 0) {
		ret = RPX_ENOTFOUND;
		goto out;
	}
	linker_choose_probe(t, o, s);
	linker_probe_all(o, s);
out:
	s->elapsed_ms = rpx_now_ms() - start;
	return ret;
}

void
linker_scan_release(struct linker_scan *s)
{
	for (int i = 0; i < s->n; i++) {
		struct linker *l = &s->v[i];

		free(l->path);
		free(l->name);
		free(l->origin);
		free(l->prefix);
		free(l->version);
		strvec_free_array(l->rustflags);
		free(l->why);
		free(l->note);
		free(l->wrapper);
		free(l->wrapper_why);
	}
	free(s->v);
	free(s->probe_note);
	memset(s, 0, sizeof(*s));
	s->recommended = -1;
}

char **
linker_link_args(char *const *rustflags)
{
	struct strvec args = STRVEC_INIT;

	(void)rustflags_link_args(rustflags, &args);
	if (args.n == 0)
		return NULL;	/* none: NULL, as a plan keeps it */
	return strvec_detach(&args);
}
