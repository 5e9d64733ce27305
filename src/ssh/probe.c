/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * probe.c - the board probe: one POSIX sh script (dash or busybox) that
 * reports the board, the userland and the home folder, and its parser.
 */
#include "ssh_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * want_df: free space in the home folder (detect shows it; run does not
 * need it, and each program started costs time on a slow Pi).
 */
void
remote_probe_script_df(struct strbuf *sb, const char *file, bool want_df)
{
	/* One round trip, POSIX sh (dash, busybox). Independent probes run
	 * in parallel and fallbacks only when needed: each program start
	 * costs tens of ms on a Pi Zero (and under qemu). Each prints whole
	 * "key=value" lines (short writes, atomic on a pipe). Nothing is
	 * written on the Pi. */
	strbuf_adds(sb,
		"exec 2>/dev/null\n"
		"echo 'rpx-probe=1'\n"
		"echo \"home=$HOME\"\n"
		"if [ -r /proc/device-tree/model ]; then\n"
		" IFS= read -r m </proc/device-tree/model; echo \"model=$m\"\n"
		/* a Pi 500+ may call itself a Pi 500: its revision code's
		 * memory field tells them apart */
		" case $m in *'Pi 500'*) while IFS= read -r l; do case $l in Revision*) echo \"cpuinfo=$l\";; esac; done </proc/cpuinfo;; esac\n"
		"elif [ -r /proc/device-tree/compatible ]; then\n"
		" echo \"compatible=$(tr '\\000' ',' </proc/device-tree/compatible)\"\n"
		"elif [ -r /proc/cpuinfo ]; then\n"
		" while IFS= read -r l; do case $l in Revision*) echo \"cpuinfo=$l\";; esac; done </proc/cpuinfo\n"
		"fi\n"
		"if [ -r /etc/os-release ]; then\n"
		" while IFS= read -r l; do echo \"os.$l\"; done </etc/os-release\n"
		"fi\n"
		"if [ \"${rpx_known:-0}\" != 1 ]; then\n"
		"(echo \"machine=$(uname -m)\") &\n"
		"(lb=$(getconf LONG_BIT); echo \"long_bit=$lb\"\n"
		" if [ -z \"$lb\" ]; then\n"
		"  command -v dpkg >/dev/null && echo \"dpkg=$(dpkg --print-architecture)\"\n"
		"  echo \"sh_class=$(od -An -tx1 -j4 -N1 /bin/sh)\"\n"
		" fi) &\n"
		"(echo \"glibc=$(getconf GNU_LIBC_VERSION)\") &\n"
		"fi\n"
		"command -v sha256sum >/dev/null && echo 'sha256sum=yes'\n");
	if (want_df)
		strbuf_adds(sb, "(echo \"df=$(df -Pk \"$HOME\" | tail -n 1)\") &\n");
	if (file != NULL) {
		strbuf_adds(sb, "f=\"$HOME/" REMOTE_DIR "/\"");
		strbuf_add_shquoted(sb, file);
		strbuf_adds(sb,
			"\nif [ -f \"$f\" ]; then\n"
			" (echo \"file_size=$(wc -c <\"$f\")\") &\n"
			" (echo \"file_sha256=$(sha256sum <\"$f\")\") &\n"
			"fi\n");
	}
	strbuf_adds(sb, "wait\necho 'rpx-end=1'\n");
}

void
remote_probe_script(struct strbuf *sb, const char *file)
{
	remote_probe_script_df(sb, file, true);
}

static void
copy_field(char *dst, size_t dsz, const char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	if (n >= dsz)
		n = dsz - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

int
remote_probe_parse(const char *text, size_t len, struct remote_probe *p)
{
	char *copy = xstrndup(text, len), *save = NULL;
	char model[256] = "", compat[512] = "", cpuinfo[128] = "";
	char df[256] = "", sh_class[16] = "";
	char long_bit[16] = "";
	bool seen_begin = false, seen_end = false;
	int ret = RPX_EPARSE;

	memset(p, 0, sizeof(*p));
	p->home_free_kb = -1;
	p->file_size = -1;
	for (char *line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		const char *k = line, *v;

		if (eq == NULL)
			continue;
		*eq = '\0';
		v = eq + 1;
		if (strcmp(k, "rpx-probe") == 0)
			seen_begin = true;
		else if (strcmp(k, "rpx-end") == 0)
			seen_end = true;
		else if (strcmp(k, "home") == 0)
			copy_field(p->home, sizeof(p->home), v);
		else if (strcmp(k, "model") == 0)
			copy_field(model, sizeof(model), v);
		else if (strcmp(k, "compatible") == 0)
			copy_field(compat, sizeof(compat), v);
		else if (strcmp(k, "cpuinfo") == 0)
			copy_field(cpuinfo, sizeof(cpuinfo), v);
		else if (strcmp(k, "machine") == 0)
			copy_field(p->machine, sizeof(p->machine), v);
		else if (strcmp(k, "long_bit") == 0)
			copy_field(long_bit, sizeof(long_bit), v);
		else if (strcmp(k, "glibc") == 0) {
			/* "glibc 2.36" */
			if (strncmp(v, "glibc ", 6) == 0)
				copy_field(p->glibc, sizeof(p->glibc), v + 6);
		} else if (strcmp(k, "df") == 0)
			copy_field(df, sizeof(df), v);
		else if (strcmp(k, "dpkg") == 0)
			copy_field(p->dpkg_arch, sizeof(p->dpkg_arch), v);
		else if (strcmp(k, "sh_class") == 0)
			copy_field(sh_class, sizeof(sh_class), v);
		else if (strcmp(k, "sha256sum") == 0)
			p->has_sha256sum = true;
		else if (strcmp(k, "file_size") == 0)
			p->file_size = strtoll(v, NULL, 10);
		else if (strcmp(k, "file_sha256") == 0) {
			size_t n = strspn(v, "0123456789abcdef");

			if (n == 64) {
				memcpy(p->file_sha256, v, 64);
				p->file_sha256[64] = '\0';
			}
		} else if (strcmp(k, "os.ID") == 0)
			copy_field(p->os_id, sizeof(p->os_id), v);
		else if (strcmp(k, "os.PRETTY_NAME") == 0)
			copy_field(p->os_pretty, sizeof(p->os_pretty), v);
		else if (strcmp(k, "os.VERSION_CODENAME") == 0)
			copy_field(p->os_codename, sizeof(p->os_codename), v);
	}
	if (!seen_begin || !seen_end)
		goto out;

	/* The board: model, else compatible, else the revision code. */
	if (model[0] != '\0') {
		struct board_ident rev;

		board_from_model(model, strlen(model), &p->ident);
		snprintf(p->model_source, sizeof(p->model_source), "model");
		/* where the model string names a board that shares its
		 * revision type with a variant (the 500 and the 500+), the
		 * revision code, when given, says which */
		if (cpuinfo[0] != '\0' && p->ident.board != NULL &&
		    board_from_cpuinfo(cpuinfo, strlen(cpuinfo), &rev) == 0 &&
		    rev.board != NULL && rev.board != p->ident.board &&
		    rev.board->type_code == p->ident.board->type_code) {
			p->ident.board = rev.board;
			snprintf(p->model_source, sizeof(p->model_source),
				 "model+revision");
		}
	} else if (compat[0] != '\0') {
		size_t n = strlen(compat);

		/* "raspberrypi,4-model-b,brcm,bcm2711," came from NUL-
		 * separated strings; each string itself has one comma. */
		for (size_t i = 0, commas = 0; i < n; i++)
			if (compat[i] == ',' && ++commas % 2 == 0)
				compat[i] = '\0';
		board_from_compatible(compat, n, &p->ident);
		snprintf(p->model_source, sizeof(p->model_source),
			 "compatible");
	} else if (cpuinfo[0] != '\0') {
		if (board_from_cpuinfo(cpuinfo, strlen(cpuinfo),
				       &p->ident) == 0)
			snprintf(p->model_source, sizeof(p->model_source),
				 "cpuinfo");
	}
	p->isa = p->ident.isa != ISA_UNKNOWN ? p->ident.isa :
		 isa_from_uname(p->machine);

	/* The userland's bitness, never uname -m (a 32-bit OS on a 64-bit
	 * kernel says aarch64). */
	if (strcmp(long_bit, "32") == 0 || strcmp(long_bit, "64") == 0) {
		p->os_bits = long_bit[0] == '3' ? 32 : 64;
		snprintf(p->bits_source, sizeof(p->bits_source),
			 "getconf LONG_BIT");
	} else if (p->dpkg_arch[0] != '\0') {
		p->os_bits = strcmp(p->dpkg_arch, "arm64") == 0 ? 64 : 32;
		snprintf(p->bits_source, sizeof(p->bits_source),
			 "dpkg --print-architecture");
	} else if (strstr(sh_class, "01") != NULL ||
		   strstr(sh_class, "02") != NULL) {
		p->os_bits = strstr(sh_class, "02") != NULL ? 64 : 32;
		snprintf(p->bits_source, sizeof(p->bits_source),
			 "ELF class of /bin/sh");
	}

	/* df -Pk: "fs 1024-blocks used available capacity mount" */
	if (df[0] != '\0') {
		long long f[4];

		if (sscanf(df, "%*s %lld %lld %lld", &f[0], &f[1], &f[2]) == 3)
			p->home_free_kb = f[2];
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

int
remote_probe(struct remote *r, const char *file, struct remote_probe *p)
{
	struct strbuf script = STRBUF_INIT, out = STRBUF_INIT,
		      err = STRBUF_INIT;
	int status = 0, ret;

	remote_probe_script(&script, file);
	ret = remote_exec(r, script.buf, NULL, 0, &out, &err, &status);
	if (ret != 0)
		goto out;
	ret = remote_probe_parse(out.buf, out.len, p);
	if (ret != 0) {
		strbuf_rtrim(&err);
		remote_seterr(r, REMOTE_ERR_PROBE,
			      "cannot probe '%s': its shell answered %s%s%s",
			      r->display,
			      out.len ? "something else" : "nothing",
			      err.len ? ": " : "", err.buf);
	}
out:
	strbuf_release(&script);
	strbuf_release(&out);
	strbuf_release(&err);
	return ret;
}
