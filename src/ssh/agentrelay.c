/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * agentrelay.c - a filtering relay to ssh-agent (see agentrelay.h).
 *
 * The agent protocol: each message is a 32-bit big-endian length, then
 * that many bytes, the first of which is the type. Strings are a 32-bit
 * length and the bytes.
 */
#include "agentrelay.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "rpx.h"

/* How long agent_count_keys() waits for the agent. */
#define AGENT_COUNT_TIMEOUT_S 5

enum {
	AGENT_FAILURE = 5,
	AGENTC_REQUEST_IDENTITIES = 11,
	AGENT_IDENTITIES_ANSWER = 12,
	AGENTC_SIGN_REQUEST = 13,
};

#define MSG_MAX (256u << 10)

#ifdef MSG_NOSIGNAL
#define SEND_FLAGS MSG_NOSIGNAL
#else
#define SEND_FLAGS 0
#endif

struct agent_relay {
	pthread_t thread;
	int client;		/* our end of the socketpair */
	int agent;		/* the real agent */
	int wake[2];		/* a byte on wake[1] stops the thread */
	struct agent_blob *allowed;
	size_t n;
	bool *present;
	size_t listed, passed;
};

/* A string at *p (len bytes left): its bytes and length; advances. */
static int
get_string(const unsigned char **p, size_t *left, const unsigned char **s,
	   size_t *slen)
{
	uint32_t l;

	if (*left < 4)
		return RPX_EPARSE;
	l = strbuf_get_be32(*p);
	if (l > *left - 4)
		return RPX_EPARSE;
	*s = *p + 4;
	*slen = l;
	*p += 4 + l;
	*left -= 4 + (size_t)l;
	return 0;
}

static long
find_allowed(const struct agent_blob *allowed, size_t n,
	     const unsigned char *blob, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (allowed[i].len == len &&
		    memcmp(allowed[i].data, blob, len) == 0)
			return (long)i;
	return -1;
}

int
agent_filter_answer(const unsigned char *msg, size_t len,
		    const struct agent_blob *allowed, size_t n,
		    struct strbuf *out, size_t *listed, size_t *passed,
		    bool *present)
{
	struct strbuf keys = STRBUF_INIT;
	const unsigned char *p = msg + 5;
	size_t left = len >= 5 ? len - 5 : 0;
	uint32_t count;
	int ret = RPX_EPARSE;

	*listed = *passed = 0;
	if (len < 5 || msg[0] != AGENT_IDENTITIES_ANSWER)
		goto out;
	count = strbuf_get_be32(msg + 1);
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *blob, *comment;
		size_t blen, clen;
		long k;

		if (get_string(&p, &left, &blob, &blen) != 0 ||
		    get_string(&p, &left, &comment, &clen) != 0)
			goto out;
		(*listed)++;
		k = find_allowed(allowed, n, blob, blen);
		if (k < 0)
			continue;
		if (present != NULL)
			present[k] = true;
		(*passed)++;
		strbuf_add_sshstr(&keys, blob, blen);
		strbuf_add_sshstr(&keys, comment, clen);
	}
	strbuf_reset(out);
	strbuf_addch(out, AGENT_IDENTITIES_ANSWER);
	strbuf_add_be32(out, (uint32_t)*passed);
	strbuf_add(out, keys.buf, keys.len);
	ret = 0;
out:
	strbuf_release(&keys);
	return ret;
}

static int
read_full(int fd, void *buf, size_t n)
{
	unsigned char *b = buf;

	while (n > 0) {
		ssize_t r = read(fd, b, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
write_full(int fd, const void *buf, size_t n)
{
	const unsigned char *b = buf;

	while (n > 0) {
		ssize_t w = send(fd, b, n, SEND_FLAGS);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One message (length stripped) from fd into sb. */
static int
read_msg(int fd, struct strbuf *sb)
{
	unsigned char hdr[4];
	uint32_t len;

	strbuf_reset(sb);
	if (read_full(fd, hdr, 4) != 0)
		return -1;
	len = strbuf_get_be32(hdr);
	if (len == 0 || len > MSG_MAX)
		return -1;
	strbuf_grow(sb, len);
	if (read_full(fd, sb->buf, len) != 0)
		return -1;
	sb->len = len;
	sb->buf[len] = '\0';
	return 0;
}

static int
write_msg(int fd, const struct strbuf *body)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	strbuf_add_sshstr(&sb, body->buf, body->len);
	rc = write_full(fd, sb.buf, sb.len);
	strbuf_release(&sb);
	return rc;
}

/* Is this sign request for an allowed key? */
static bool
sign_allowed(const struct agent_relay *ar, const struct strbuf *req)
{
	const unsigned char *p = (const unsigned char *)req->buf + 1;
	const unsigned char *blob;
	size_t left = req->len - 1, blen;

	if (get_string(&p, &left, &blob, &blen) != 0)
		return false;
	return find_allowed(ar->allowed, ar->n, blob, blen) >= 0;
}

/*
 * Wait until fd has something to read: 0, or -1 when the relay is being
 * stopped (the wake pipe) or poll fails. Every wait watches the wake pipe,
 * so a stop never waits on libssh or on an agent that does not answer.
 */
static int
wait_readable(const struct agent_relay *ar, int fd)
{
	for (;;) {
		struct pollfd pf[2] = {
			{ fd, POLLIN, 0 }, { ar->wake[0], POLLIN, 0 },
		};

		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		return pf[1].revents != 0 ? -1 : 0;
	}
}

static void *
relay_main(void *data)
{
	struct agent_relay *ar = data;
	struct strbuf req = STRBUF_INIT, rep = STRBUF_INIT;
	struct strbuf cut = STRBUF_INIT;

	for (;;) {
		unsigned char type;

		if (wait_readable(ar, ar->client) != 0 ||
		    read_msg(ar->client, &req) != 0)
			break;
		type = (unsigned char)req.buf[0];
		if (type == AGENTC_SIGN_REQUEST && !sign_allowed(ar, &req)) {
			strbuf_reset(&rep);
			strbuf_addch(&rep, AGENT_FAILURE);
			if (write_msg(ar->client, &rep) != 0)
				break;
			continue;
		}
		if (write_msg(ar->agent, &req) != 0 ||
		    wait_readable(ar, ar->agent) != 0 ||
		    read_msg(ar->agent, &rep) != 0)
			break;
		if (type == AGENTC_REQUEST_IDENTITIES &&
		    (unsigned char)rep.buf[0] == AGENT_IDENTITIES_ANSWER) {
			if (ar->present != NULL)
				memset(ar->present, 0,
				       ar->n * sizeof(*ar->present));
			if (agent_filter_answer((unsigned char *)rep.buf,
						rep.len, ar->allowed, ar->n,
						&cut, &ar->listed, &ar->passed,
						ar->present) != 0)
				break;
			if (write_msg(ar->client, &cut) != 0)
				break;
			continue;
		}
		if (write_msg(ar->client, &rep) != 0)
			break;
	}
	strbuf_release(&req);
	strbuf_release(&rep);
	strbuf_release(&cut);
	/* libssh then reads an end of file: no more agent */
	shutdown(ar->client, SHUT_RDWR);
	return NULL;
}

static int
agent_connect(const char *sock_path)
{
	struct sockaddr_un sa;
	int fd;

	if (sock_path == NULL || sock_path[0] == '\0' ||
	    strlen(sock_path) >= sizeof(sa.sun_path))
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
relay_free(struct agent_relay *ar)
{
	if (ar->client >= 0)
		close(ar->client);
	if (ar->agent >= 0)
		close(ar->agent);
	for (int i = 0; i < 2; i++)
		if (ar->wake[i] >= 0)
			close(ar->wake[i]);
	for (size_t i = 0; i < ar->n; i++)
		free((void *)ar->allowed[i].data);
	free(ar->allowed);
	free(ar->present);
	free(ar);
}

int
agent_relay_start(struct agent_relay **out, const char *sock_path,
		  const struct agent_blob *allowed, size_t n, int *fd)
{
	struct agent_relay *ar = xcalloc(1, sizeof(*ar));
	int sv[2] = { -1, -1 };
	int ret = RPX_EIO;

	*out = NULL;
	*fd = -1;
	ar->client = ar->agent = ar->wake[0] = ar->wake[1] = -1;
	ar->allowed = xcalloc(n > 0 ? n : 1, sizeof(*ar->allowed));
	ar->present = xcalloc(n > 0 ? n : 1, sizeof(*ar->present));
	for (size_t i = 0; i < n; i++) {
		unsigned char *d = xmalloc(allowed[i].len ? allowed[i].len : 1);

		memcpy(d, allowed[i].data, allowed[i].len);
		ar->allowed[i].data = d;
		ar->allowed[i].len = allowed[i].len;
	}
	ar->n = n;
	ar->agent = agent_connect(sock_path);
	if (ar->agent < 0) {
		ret = RPX_ENOTFOUND;
		goto fail;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 ||
	    pipe(ar->wake) != 0)
		goto fail;
	for (int i = 0; i < 2; i++) {
		(void)fcntl(sv[i], F_SETFD, FD_CLOEXEC);
		(void)fcntl(ar->wake[i], F_SETFD, FD_CLOEXEC);
	}
	ar->client = sv[0];
	if (pthread_create(&ar->thread, NULL, relay_main, ar) != 0)
		goto fail;
	*fd = sv[1];
	*out = ar;
	return 0;
fail:
	if (sv[1] >= 0)
		close(sv[1]);
	if (sv[0] >= 0 && ar->client != sv[0])
		close(sv[0]);
	relay_free(ar);
	return ret;
}

void
agent_relay_stop(struct agent_relay *ar, struct agent_relay_stats *st)
{
	ssize_t w;

	if (ar == NULL)
		return;
	do {
		w = write(ar->wake[1], "x", 1);
	} while (w < 0 && errno == EINTR);
	pthread_join(ar->thread, NULL);
	if (st != NULL) {
		st->listed = ar->listed;
		st->passed = ar->passed;
		if (st->present != NULL)
			memcpy(st->present, ar->present,
			       ar->n * sizeof(*ar->present));
	}
	relay_free(ar);
}

int
agent_count_keys(const char *sock_path)
{
	struct strbuf sb = STRBUF_INIT;
	struct timeval tv = { AGENT_COUNT_TIMEOUT_S, 0 };
	int fd = agent_connect(sock_path), ret = -1;

	if (fd < 0)
		return -1;
	/* only a message depends on the count: an agent that takes the
	 * request and never answers must not hang the login's error */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	strbuf_addch(&sb, AGENTC_REQUEST_IDENTITIES);
	if (write_msg(fd, &sb) == 0 && read_msg(fd, &sb) == 0 &&
	    sb.len >= 5 &&
	    (unsigned char)sb.buf[0] == AGENT_IDENTITIES_ANSWER &&
	    strbuf_get_be32((unsigned char *)sb.buf + 1) <= 1024)
		ret = (int)strbuf_get_be32((unsigned char *)sb.buf + 1);
	close(fd);
	strbuf_release(&sb);
	return ret;
}
