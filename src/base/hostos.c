/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* hostos.c - this host's OS and package manager (see hostos.h). */
#include "hostos.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "rpx.h"
#include "strbuf.h"

const char *
hostos_pm_name(enum pkg_mgr pm)
{
	switch (pm) {
	case PKG_APT: return "apt";
	case PKG_DNF: return "dnf";
	case PKG_PACMAN: return "pacman";
	case PKG_ZYPPER: return "zypper";
	case PKG_BREW: return "brew";
	case PKG_UNKNOWN: break;
	}
	return "unknown";
}

/* Copy an os-release value (quotes removed) into dst. */
static void
copy_value(char *dst, size_t dstsz, const char *v, size_t n)
{
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v++;
		n -= 2;
	}
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static enum pkg_mgr
pm_for_id(const char *id)
{
	static const struct { const char *id; enum pkg_mgr pm; } map[] = {
		{ "debian", PKG_APT }, { "ubuntu", PKG_APT },
		{ "raspbian", PKG_APT }, { "linuxmint", PKG_APT },
		{ "pop", PKG_APT }, { "elementary", PKG_APT },
		{ "fedora", PKG_DNF }, { "rhel", PKG_DNF },
		{ "centos", PKG_DNF }, { "rocky", PKG_DNF },
		{ "almalinux", PKG_DNF },
		{ "arch", PKG_PACMAN }, { "manjaro", PKG_PACMAN },
		{ "endeavouros", PKG_PACMAN },
		{ "opensuse", PKG_ZYPPER }, { "suse", PKG_ZYPPER },
		{ "opensuse-tumbleweed", PKG_ZYPPER },
		{ "opensuse-leap", PKG_ZYPPER },
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strcmp(map[i].id, id) == 0)
			return map[i].pm;
	return PKG_UNKNOWN;
}

void
hostos_parse_os_release(const char *text, struct host_os *os)
{
	const char *s = text;
	char pretty[96] = "", name[96] = "";

	memset(os, 0, sizeof(*os));
	while (*s != '\0') {
		size_t len = strcspn(s, "\n");
		const char *eq = memchr(s, '=', len);

		if (eq != NULL) {
			size_t klen = (size_t)(eq - s);
			const char *v = eq + 1;
			size_t vlen = len - klen - 1;

			if (klen == 2 && strncmp(s, "ID", 2) == 0)
				copy_value(os->id, sizeof(os->id), v, vlen);
			else if (klen == 7 && strncmp(s, "ID_LIKE", 7) == 0)
				copy_value(os->id_like, sizeof(os->id_like), v,
					   vlen);
			else if (klen == 11 && strncmp(s, "PRETTY_NAME", 11) == 0)
				copy_value(pretty, sizeof(pretty), v, vlen);
			else if (klen == 4 && strncmp(s, "NAME", 4) == 0)
				copy_value(name, sizeof(name), v, vlen);
		}
		s += len;
		if (*s == '\n')
			s++;
	}
	snprintf(os->name, sizeof(os->name), "%s", pretty[0] ? pretty :
		 name[0] ? name : os->id);
	os->pm = pm_for_id(os->id);
	if (os->pm == PKG_UNKNOWN) {
		/* ID_LIKE is a space-separated list, closest first */
		char like[96];
		char *save = NULL;

		snprintf(like, sizeof(like), "%s", os->id_like);
		for (char *w = strtok_r(like, " ", &save);
		     w != NULL && os->pm == PKG_UNKNOWN;
		     w = strtok_r(NULL, " ", &save))
			os->pm = pm_for_id(w);
	}
}

static bool
read_small(const char *path, struct strbuf *sb)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t n;

	if (f == NULL)
		return false;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && sb->len < 65536)
		strbuf_add(sb, buf, n);
	fclose(f);
	return true;
}

int
hostos_detect(struct host_os *os)
{
	struct utsname u;
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;

	memset(os, 0, sizeof(*os));
	if (uname(&u) == 0 && strcmp(u.sysname, "Darwin") == 0) {
		snprintf(os->id, sizeof(os->id), "macos");
		snprintf(os->name, sizeof(os->name), "macOS %s", u.release);
		os->macos = true;
		os->pm = PKG_BREW;
		goto out;
	}
	if (read_small("/etc/os-release", &sb) ||
	    read_small("/usr/lib/os-release", &sb)) {
		hostos_parse_os_release(sb.buf, os);
	} else {
		snprintf(os->name, sizeof(os->name), "unknown");
		ret = RPX_ENOTFOUND;
	}
out:
	strbuf_release(&sb);
	return ret;
}
