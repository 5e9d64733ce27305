/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sshconf.h - the OpenSSH client settings libssh's own config parser
 * leaves out: IdentitiesOnly, and every IdentityFile of a host in order
 * (libssh reads them, but only lets the first be asked for); and
 * IdentityAgent, which the agent relay (IdentitiesOnly) must follow too.
 *
 * Read the way OpenSSH's ssh(1) reads ssh_config(5): a "Host" line
 * starts a block that applies when one of its patterns ('*' and '?'
 * wildcards, case ignored) matches the host as typed and no negated
 * ("!pattern") one does; the first value of IdentitiesOnly wins;
 * IdentityFile lines add up, in the order read. "Include" (a glob,
 * relative to ~/.ssh in the user's file, to /etc/ssh in the system's) is
 * followed inside a block that applies, 16 levels deep at most. "Match
 * all" applies; any other "Match" block is skipped, as if it did not
 * match.
 *
 * In IdentityFile and IdentityAgent, a leading "~/" and %d are the local
 * home, %u the local user, %h the remote host name, %r the remote user
 * and %% a '%'. The first IdentityAgent wins.
 *
 * Ownership: ids owns its strings; sshconf_ids_release() frees them.
 */
#ifndef RPX_SSHCONF_H
#define RPX_SSHCONF_H

#include <stddef.h>

#include "strvec.h"

struct sshconf_ids {
	int identities_only;	/* -1 not set, 0 no, 1 yes */
	struct strvec files;	/* IdentityFile values, expanded */
	char *identity_agent;	/* IdentityAgent, expanded, or NULL */
};

#define SSHCONF_IDS_INIT { -1, STRVEC_INIT, NULL }

/* What the % and ~ expansions stand for (NULL: left as written). */
struct sshconf_subst {
	const char *home;
	const char *local_user;
	const char *remote_host;
	const char *remote_user;
};

/*
 * Add what path says for host to ids (call it for ~/.ssh/config, then
 * for /etc/ssh/ssh_config). base is the folder relative Include paths
 * start from. A missing or unreadable file adds nothing; returns 0.
 */
int sshconf_read_ids(struct sshconf_ids *ids, const char *path,
		     const char *base, const char *host,
		     const struct sshconf_subst *sub);

/* One ssh_config host pattern against a name ('*', '?', case ignored). */
int sshconf_pattern_match(const char *pat, const char *name);

/*
 * The ssh-agent socket to use, malloc'd: IdentityAgent when set ("none":
 * no agent, NULL; "SSH_AUTH_SOCK" or "$NAME" / "${NAME}": that
 * environment variable), else $SSH_AUTH_SOCK. NULL when there is none.
 */
char *sshconf_agent_socket(const struct sshconf_ids *ids);

void sshconf_ids_release(struct sshconf_ids *ids);

/*
 * Add to out the host names path's Host lines give that a user may type
 * (no '*' or '?' wildcard, no "!" negation), each once (case ignored),
 * in file order; Include lines are followed (relative to base, as
 * above). For the shell completions of --host. A missing file adds
 * nothing.
 */
void sshconf_host_names(struct strvec *out, const char *path,
			const char *base);

#endif
