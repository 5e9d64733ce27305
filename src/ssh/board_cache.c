/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * board_cache.c - what a probe learns by starting programs on the Pi,
 * kept on this computer and reused while the board reads the same.
 */
#include "ssh_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "hash.h"


/*
 * What `run` learns about a board by starting programs on it (uname -m,
 * getconf LONG_BIT and GNU_LIBC_VERSION: tens of ms each on a Pi Zero or
 * under qemu) is kept on this computer, under the cache folder
 * ($XDG_CACHE_HOME or ~/.cache)/rpi-cross/boards/, one file per host key
 * and user. It is used only while the board's kernel (/proc/version) and
 * OS (/etc/os-release) read the same as when it was probed - both read by
 * the shell itself - so a kernel switch (32/64-bit), an OS upgrade or a
 * reinstall (a new host key) probes again.
 */
#define KNOWN_KEYS_N 5
static const char *const known_keys[KNOWN_KEYS_N] = {
	"machine=", "long_bit=", "glibc=", "dpkg=", "sh_class=",
};

char *
remote_board_cache_path(struct remote *r)
{
	const char *xdg = rpx_getenv("XDG_CACHE_HOME");
	const char *home = rpx_getenv("HOME");
	struct sha256 c;
	unsigned char d[32];
	char hex[65], *id;

	if (r->conn->hostkey_fp[0] == '\0' ||
	    (xdg == NULL && home == NULL))
		return NULL;
	id = xasprintf("%s\n%s", r->conn->hostkey_fp, r->user);
	sha256_init(&c);
	sha256_update(&c, id, strlen(id));
	sha256_final(&c, d);
	free(id);
	hash_hex(d, 16, hex);
	return xdg != NULL && xdg[0] == '/' ?
	       xasprintf("%s/rpi-cross/boards/%s", xdg, hex) :
	       xasprintf("%s/.cache/rpi-cross/boards/%s", home, hex);
}

/* The value of "key=" in a probe text (up to the line's end), or NULL. */
static char *
probe_value(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *l = text; l != NULL && *l != '\0';) {
		const char *e = strchr(l, '\n');
		size_t n = e != NULL ? (size_t)(e - l) : strlen(l);

		if (n >= kl && strncmp(l, key, kl) == 0)
			return xstrndup(l + kl, n - kl);
		l = e != NULL ? e + 1 : NULL;
	}
	return NULL;
}

/* The shell text that sets rpx_known=1 when the board reads as it did
 * for the cached probe; it always prints what it compared. */
void
remote_known_board_script(struct strbuf *sb, const char *cached)
{
	char *kernel = cached ? probe_value(cached, "rpx-kernel=") : NULL;
	char *os = cached ? probe_value(cached, "rpx-os=") : NULL;

	strbuf_adds(sb,
		"rk=; [ -r /proc/version ] && IFS= read -r rk </proc/version\n"
		"ro=; [ -r /etc/os-release ] && while IFS= read -r l; do "
		"ro=\"$ro$l|\"; done </etc/os-release\n"
		"echo \"rpx-kernel=$rk\"; echo \"rpx-os=$ro\"\n");
	/* (a chroot without /proc, like the simulated Pis, reads no
	 * kernel: then the OS alone decides) */
	if (kernel != NULL && os != NULL) {
		strbuf_adds(sb, "[ \"$rk\" = ");
		strbuf_add_shquoted(sb, kernel);
		strbuf_adds(sb, " ] && [ \"$ro\" = ");
		strbuf_add_shquoted(sb, os);
		strbuf_adds(sb, " ] && rpx_known=1 && echo rpx-known=1\n");
	}
	free(kernel);
	free(os);
}

/* After a probe: a full one is saved; a known board's answer gets the
 * saved program-started lines. The text to parse (malloc'd). */
char *
remote_board_cache_merge(struct remote *r, const char *text, size_t len,
			 const char *cached)
{
	struct strbuf sb = STRBUF_INIT;
	char *path;

	strbuf_add(&sb, text, len);
	if (strstr(sb.buf, "\nrpx-known=1\n") != NULL && cached != NULL) {
		for (int i = 0; i < KNOWN_KEYS_N; i++) {
			char *v = probe_value(cached, known_keys[i]);

			if (v != NULL)
				strbuf_addf(&sb, "%s%s\n", known_keys[i], v);
			free(v);
		}
		return strbuf_detach(&sb, NULL);
	}
	path = remote_board_cache_path(r);
	if (path != NULL) {
		char *dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));

		/* best effort: without it the next run probes again */
		if (fsutil_mkdirs(dir, 0700) == 0)
			(void)atomic_write(path, sb.buf, sb.len);
		free(dir);
	}
	free(path);
	return strbuf_detach(&sb, NULL);
}
