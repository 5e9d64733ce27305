/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * linker_tools.c - how clang and zig name a Pi target, and zig's linker
 * script: Cargo's linker is one program and `zig cc` is two words, so a
 * small wrapper script runs it (see linker_int.h).
 */
#include "linker_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "hash.h"
#include "rpx.h"
#include "strbuf.h"

/* clang's --target for t: "armv7-linux-gnueabihf", "aarch64-linux-gnu" */
char *
linker_clang_triple(const struct target *t)
{
	const char *arch, *env;

	if (t->bits == 64) {
		arch = "aarch64";
		env = t->libc == LIBC_MUSL ? "musl" : "gnu";
	} else {
		arch = t->min_isa >= ISA_ARMV7 ? "armv7" : "arm";
		if (t->libc == LIBC_MUSL)
			env = t->hard_float ? "musleabihf" : "musleabi";
		else
			env = t->hard_float ? "gnueabihf" : "gnueabi";
	}
	return xasprintf("%s-linux-%s", arch, env);
}

/*
 * zig's -target for t: zig names no ARM sub-architecture in the triple
 * ("arm-linux-gnueabihf", not "armv7-..."; -mcpu says which), and a glibc
 * target carries the glibc version its stubs are made for. 2.17 is the
 * oldest glibc Rust supports on these targets, so the program runs on
 * every Raspberry Pi OS (zig 0.11 can make stubs up to 2.34 only). musl
 * targets get zig's own musl, static.
 */
char *
linker_zig_target(const struct target *t)
{
	const char *env;

	if (t->bits == 64)
		return t->libc == LIBC_MUSL ? xstrdup("aarch64-linux-musl") :
		       xstrdup("aarch64-linux-gnu." ZIG_GLIBC);
	if (t->libc == LIBC_MUSL)
		env = t->hard_float ? "musleabihf" : "musleabi";
	else
		env = t->hard_float ? "gnueabihf." ZIG_GLIBC :
				      "gnueabi." ZIG_GLIBC;
	return xasprintf("arm-linux-%s", env);
}

/* zig's -mcpu for t, or NULL (its default). zig's default 32-bit ARM CPU
 * is an ARMv6 one; ARMv7 Pi targets run on a Cortex-A7 or newer. */
const char *
linker_zig_cpu(const struct target *t)
{
	if (t->bits == 64)
		return NULL;
	return t->min_isa >= ISA_ARMV7 ? "cortex_a7" : "arm1176jzf_s";
}

/* The shell text of the wrapper that makes `zig cc` one program. */
char *
linker_zig_wrapper_text(const struct target *t, const char *zig)
{
	struct strbuf sb = STRBUF_INIT;
	char *zt = linker_zig_target(t);
	const char *cpu = linker_zig_cpu(t);

	strbuf_addf(&sb, "#!/bin/sh\n"
		    "# rpi-cross: the linker for %s, written by "
		    "'rpi-cross linkers'.\n"
		    "# Cargo's linker is one program; this runs 'zig cc' for "
		    "zig's target %s.\nexec ", t->triple, zt);
	strbuf_add_shquoted(&sb, zig);
	strbuf_addf(&sb, " cc -target %s", zt);
	if (cpu != NULL)
		strbuf_addf(&sb, " -mcpu=%s", cpu);
	strbuf_adds(&sb, " \"$@\"\n");
	free(zt);
	return strbuf_detach(&sb, NULL);
}

/*
 * Where the wrapper for zig at path and t lives: ($XDG_DATA_HOME or
 * ~/.local/share)/rpi-cross/zig/<first 8 bytes of sha256(path), hex>/
 * zig-cc-<triple> (a name without dots, so rustc gives it gcc's flavor).
 * Not a cache folder: the user's Cargo config names the script, so
 * clearing caches must not break their builds. NULL without HOME.
 */
char *
linker_zig_wrapper_path(const struct target *t, const char *zig)
{
	const char *xdg = rpx_getenv("XDG_DATA_HOME");
	const char *home = rpx_getenv("HOME");
	struct sha256 c;
	unsigned char d[32];
	char hex[17];

	sha256_init(&c);
	sha256_update(&c, zig, strlen(zig));
	sha256_final(&c, d);
	hash_hex(d, 8, hex);
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/rpi-cross/zig/%s/zig-cc-%s", xdg, hex,
				 t->triple);
	if (home == NULL)
		return NULL;
	return xasprintf("%s/.local/share/rpi-cross/zig/%s/zig-cc-%s", home, hex,
			 t->triple);
}

/* Write the wrapper (when it is missing or differs); 0 or RPX_E*, with
 * why filled. */
int
linker_zig_wrapper_write(const char *path, const char *text, char *why,
		  size_t whysz)
{
	char *dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	char *old = NULL;
	size_t len = 0;
	struct stat st;
	int r = 0;

	if (fsutil_read_file(path, &old, &len) == 0 &&
	    strcmp(old, text) == 0 && stat(path, &st) == 0 &&
	    (st.st_mode & 0100) != 0)
		goto out;
	r = fsutil_mkdirs(dir, 0700);
	if (r == 0)
		r = atomic_write(path, text, strlen(text));
	if (r == 0 && chmod(path, 0700) != 0)
		r = RPX_EIO;
	if (r != 0)
		snprintf(why, whysz, "cannot write '%s': %s", path,
			 strerror(errno));
out:
	free(old);
	free(dir);
	return r;
}
