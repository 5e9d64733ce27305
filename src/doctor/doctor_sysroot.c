/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * doctor_sysroot.c - the doctor's checks of a sysroot wired into Cargo's
 * config (setup --sysroot): that it is there and for the target the
 * config links it for, and, with a host, that it is as new as the Pi's
 * OS (a Pi upgraded since the pull links against the old libraries; a
 * sysroot newer than the Pi makes programs the Pi cannot run).
 */
#include <stdlib.h>
#include <string.h>

#include "doctor_int.h"
#include "elf.h"
#include "remote.h"
#include "sysroot.h"
#include "sysroot_config.h"

/* The sysroot and its metadata, or false with r set (skip or fail). */
static bool
load(const struct doctor_input *in, struct doctor_result *r, char **root,
     struct sysroot_meta *m)
{
	struct rpx_err e = RPX_ERR_INIT;
	char *origin = NULL, *usr;
	bool ok;

	*root = NULL;
	if (in->target == NULL) {
		doctor_set(r, DOCTOR_SKIP, NULL, "no target given: use "
			   "--target T to check its sysroot");
		return false;
	}
	*root = sysroot_config_find(in->project_dir, in->target->triple,
				    &origin);
	if (*root == NULL) {
		doctor_set(r, DOCTOR_SKIP, NULL, "no sysroot in %s's rustflags "
			   "(C libraries come from the cross toolchain; "
			   "'rpi-cross setup --sysroot NAME' wires one)",
			   in->target->triple);
		free(origin);
		return false;
	}
	usr = xasprintf("%s/usr/include", *root);
	ok = rpx_is_dir(usr);
	free(usr);
	if (!ok) {
		doctor_set(r, DOCTOR_FAIL, "pull it again ('rpi-cross sysroot "
			   "pull --host PI') or wire another ('rpi-cross setup "
			   "--sysroot NAME')", "the sysroot %s that %s names "
			   "is missing or empty", *root, origin ? origin :
			   "the config");
		free(origin);
		return false;
	}
	free(origin);
	if (sysroot_meta_read(*root, m, &e) != 0) {
		doctor_set(r, DOCTOR_WARN, "pull it again ('rpi-cross sysroot "
			   "pull')", "the sysroot's metadata does not parse: "
			   "%s", e.msg);
		return false;
	}
	return true;
}

void
doctor_check_sysroot(const struct doctor_input *in, struct doctor_result *r)
{
	struct sysroot_meta m;
	const char *want;
	char *root = NULL, fix[300];

	if (!load(in, r, &root, &m))
		goto out;
	want = sysroot_gnu_triple(in->target->triple);
	if ((m.gnu_triple[0] != '\0' && (want == NULL ||
					 strcmp(m.gnu_triple, want) != 0)) ||
	    (m.target[0] != '\0' && sysroot_gnu_triple(m.target) != NULL &&
	     (want == NULL || strcmp(sysroot_gnu_triple(m.target), want) != 0))) {
		snprintf(fix, sizeof(fix), "wire a sysroot of this target's "
			 "Pi: 'rpi-cross setup --target %s --sysroot NAME' "
			 "(a Pi with the matching OS: 'rpi-cross sysroot "
			 "pull')", in->target->triple);
		doctor_set(r, DOCTOR_FAIL, fix, "the sysroot %s is "
			   "for %s (%s), but the config links %s against it",
			   root, m.target[0] ? m.target : "?",
			   m.gnu_triple[0] ? m.gnu_triple : "?",
			   in->target->triple);
		goto out;
	}
	doctor_set(r, DOCTOR_PASS, NULL, "%s links against %s (%s%sglibc "
		   "%s)", in->target->triple, root, m.os_codename,
		   m.os_codename[0] ? ", " : "", m.glibc[0] ? m.glibc :
		   "unknown");
out:
	free(root);
}

void
doctor_check_host_sysroot(const struct doctor_input *in,
			  struct doctor_result *r)
{
	const struct remote_probe *p;
	struct sysroot_meta m;
	char *root = NULL, fix[300];
	const char *host = in->host ? in->host : "PI";
	int c;

	p = doctor_probed(in, r);
	if (p == NULL || !load(in, r, &root, &m))
		goto out;
	if (p->glibc[0] == '\0' || m.glibc[0] == '\0') {
		doctor_set(r, DOCTOR_SKIP, NULL, "the %s's glibc is not known",
			   p->glibc[0] ? "sysroot" : "Pi");
		goto out;
	}
	c = elf_version_cmp(m.glibc, p->glibc);
	if (c > 0) {
		snprintf(fix, sizeof(fix), "pull the sysroot from this Pi: "
			 "'rpi-cross sysroot pull --host %s', then 'rpi-cross "
			 "setup --sysroot NAME'", host);
		doctor_set(r, DOCTOR_FAIL, fix, "the sysroot %s has glibc %s%s%s%s, "
			   "newer than the Pi's %s%s%s%s: programs linked "
			   "against it fail there with 'GLIBC_%s not found'",
			   root, m.glibc, m.os_codename[0] ? " (" : "",
			   m.os_codename, m.os_codename[0] ? ")" : "",
			   p->glibc, p->os_codename[0] ? " (" : "",
			   p->os_codename, p->os_codename[0] ? ")" : "",
			   m.glibc);
	} else if (c < 0 || (m.os_codename[0] && p->os_codename[0] &&
			     strcmp(m.os_codename, p->os_codename) != 0)) {
		snprintf(fix, sizeof(fix), "pull it again: 'rpi-cross sysroot "
			 "pull --host %s' (the sysroot's path stays, the "
			 "config stays valid)", host);
		doctor_set(r, DOCTOR_WARN, fix, "the sysroot is older than the Pi's OS: glibc %s%s%s%s "
			   "against the Pi's %s%s%s%s (the Pi was upgraded since "
			   "the pull); programs run, but link against the old "
			   "libraries", m.glibc, m.os_codename[0] ? " (" : "",
			   m.os_codename, m.os_codename[0] ? ")" : "",
			   p->glibc, p->os_codename[0] ? " (" : "",
			   p->os_codename, p->os_codename[0] ? ")" : "");
	} else {
		doctor_set(r, DOCTOR_PASS, NULL, "the sysroot's glibc %s is the "
			   "Pi's%s%s%s", m.glibc, p->os_codename[0] ? " (" : "",
			   p->os_codename, p->os_codename[0] ? ")" : "");
	}
out:
	free(root);
}
