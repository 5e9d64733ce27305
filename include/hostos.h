/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * hostos.h - which operating system this host runs, so that install
 * advice names the right package manager and package.
 *
 * Read from uname (Darwin = macOS, Homebrew) and /etc/os-release (ID and
 * ID_LIKE decide the package manager). Nothing to free.
 */
#ifndef RPX_HOSTOS_H
#define RPX_HOSTOS_H

#include <stdbool.h>

enum pkg_mgr {
	PKG_UNKNOWN = 0,
	PKG_APT,	/* Debian, Ubuntu, Raspberry Pi OS, Mint, ... */
	PKG_DNF,	/* Fedora, RHEL, CentOS Stream, Rocky, Alma */
	PKG_PACMAN,	/* Arch, Manjaro, EndeavourOS */
	PKG_ZYPPER,	/* openSUSE */
	PKG_BREW,	/* macOS with Homebrew */
};

struct host_os {
	char id[32];		/* os-release ID, or "macos" */
	char id_like[96];	/* os-release ID_LIKE, or "" */
	char name[96];		/* PRETTY_NAME (or NAME), or "macOS" */
	bool macos;
	enum pkg_mgr pm;
};

/* "apt", "dnf", "pacman", "zypper", "brew", "unknown". */
const char *hostos_pm_name(enum pkg_mgr pm);
/* Fill os from the text of an os-release file (not macOS). */
void hostos_parse_os_release(const char *text, struct host_os *os);
/*
 * This host: macOS from uname, else /etc/os-release (falling back to
 * /usr/lib/os-release). Returns 0, or RPX_ENOTFOUND with os->pm ==
 * PKG_UNKNOWN when neither file can be read.
 */
int hostos_detect(struct host_os *os);

#endif
