/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * agentrelay.h - a filtering relay to ssh-agent, for IdentitiesOnly.
 *
 * libssh 0.10 and 0.11 offer every key the agent holds, and sshd counts
 * each against MaxAuthTries. The relay stands between libssh and the
 * agent: libssh talks to one end of a socketpair (ssh_set_agent_socket),
 * a thread reads each request there and passes it to the real agent,
 * except that the agent's list of keys (IDENTITIES_ANSWER) is cut down to
 * the allowed keys and a sign request for any other key is refused
 * without asking the agent. Every other message goes through unchanged.
 *
 * Calling sequence:
 *	struct agent_relay *ar = NULL;
 *	int fd;
 *	if (agent_relay_start(&ar, getenv("SSH_AUTH_SOCK"), keys, n, &fd) == 0)
 *		ssh_set_agent_socket(session, fd);	(libssh closes fd)
 *	... ssh_userauth_agent() ...
 *	agent_relay_stop(ar, &st);	(joins the thread, frees everything)
 *
 * Keys are public-key blobs (the SSH wire form). The relay copies them.
 */
#ifndef RPX_AGENTRELAY_H
#define RPX_AGENTRELAY_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

struct agent_blob {
	const unsigned char *data;
	size_t len;
};

struct agent_relay;

/* What the relay saw, after it stopped. */
struct agent_relay_stats {
	size_t listed;		/* keys the agent listed (last answer) */
	size_t passed;		/* of those, given to libssh */
	bool *present;		/* per allowed key: the agent has it; owned
				 * by the caller (n flags, or NULL) */
};

/*
 * Connect to the agent at sock_path and start the thread; *fd is libssh's
 * end. RPX_ENOTFOUND when the agent cannot be reached, RPX_EIO otherwise.
 */
int agent_relay_start(struct agent_relay **out, const char *sock_path,
		      const struct agent_blob *allowed, size_t n, int *fd);

/* Stop the thread (it may be waiting for a request), close the relay's
 * sockets, free ar; st (may be NULL) gets what it saw. */
void agent_relay_stop(struct agent_relay *ar, struct agent_relay_stats *st);

/*
 * Filter one IDENTITIES_ANSWER message body (type byte first) into out:
 * only the allowed keys stay. *listed and *passed count keys; present[i]
 * (when not NULL) is set for each allowed key found. RPX_EPARSE when msg
 * is not a well-formed answer.
 */
int agent_filter_answer(const unsigned char *msg, size_t len,
			const struct agent_blob *allowed, size_t n,
			struct strbuf *out, size_t *listed, size_t *passed,
			bool *present);

/* How many keys the agent at sock_path holds; -1 when it cannot be asked. */
int agent_count_keys(const char *sock_path);

#endif
