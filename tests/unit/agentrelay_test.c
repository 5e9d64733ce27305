/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * agentrelay_test.c - the relay that shows libssh only the allowed
 * ssh-agent keys, against a REAL ssh-agent: each test that needs one
 * makes three ed25519 keys with ssh-keygen, starts `ssh-agent -D -a
 * SOCKET` in its own temporary folder, adds two of the keys with ssh-add
 * and kills the agent afterwards (also when the test fails, and through
 * PR_SET_PDEATHSIG when the test process dies). The test speaks the agent
 * protocol itself on the relay's socket: the key list holds only the
 * allowed keys (in the agent's order, comments kept), a sign request for
 * an allowed key gives the very signature the agent gives directly, one
 * for another key or a malformed one is refused without the agent,
 * other messages (removing keys) go through, the stats say what was
 * listed and which allowed keys the agent has, the relay ends cleanly on
 * an idle stop, a dead agent or a bad request, and no descriptor is left
 * behind. Without an agent: agent_filter_answer() on well-formed and
 * malformed answers, the failures of an unreachable agent, and stopping
 * while a silent fake agent owes an answer. When ssh-agent, ssh-add
 * or ssh-keygen cannot be run, the agent tests are skipped with the
 * reason printed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "testdir.h"

#include "agentrelay.h"
#include "fsutil.h"
#include "hash.h"
#include "rpx.h"
#include "strbuf.h"

enum {
	AGENT_FAILURE = 5,
	AGENT_SUCCESS = 6,
	AGENTC_REQUEST_IDENTITIES = 11,
	AGENT_IDENTITIES_ANSWER = 12,
	AGENTC_SIGN_REQUEST = 13,
	AGENT_SIGN_RESPONSE = 14,
	AGENTC_REMOVE_IDENTITY = 18,
	AGENTC_REMOVE_ALL_IDENTITIES = 19,
};

#define NKEYS 3		/* k0 and k1 go into the agent, k2 does not */
#define WAIT_MS 10000	/* for any answer: a hung relay fails, not hangs */

struct fixture {
	char *dir;
	char *sock;
	pid_t agent;		/* -1 when none runs */
	const char *skip_why;	/* set when no agent could be had */
	unsigned char blob[NKEYS][128];
	size_t blen[NKEYS];
};

static const char *const comments[NKEYS] = { "key-zero", "key-one",
					     "key-two" };

/* ---- processes ---- */

/* Run argv (PATH lookup) with SSH_AUTH_SOCK=sock, stdio on /dev/null;
 * its exit status, or -1. */
static int
run(const char *const *argv, const char *sock)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null < 0)
			_exit(126);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (sock != NULL)
			setenv("SSH_AUTH_SOCK", sock, 1);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A Unix socket connected to path, or -1. */
static int
connect_to(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Start `ssh-agent -D -a sock` (it stays our child); wait for its socket. */
static const char *
start_agent(struct fixture *fx)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid < 0)
		return "fork failed";
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

#ifdef __linux__
		/* The agent goes when this test process goes, however. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
#endif
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		execlp("ssh-agent", "ssh-agent", "-D", "-a", fx->sock,
		       (char *)NULL);
		_exit(127);
	}
	(void)parent;
	fx->agent = pid;
	for (int i = 0; i < 500; i++) {
		int fd = connect_to(fx->sock);
		int st;

		if (fd >= 0) {
			close(fd);
			return NULL;
		}
		if (waitpid(pid, &st, WNOHANG) == pid) {
			fx->agent = -1;
			return "ssh-agent -D -a SOCKET exited at once";
		}
		sleep_ms(10);
	}
	return "ssh-agent's socket did not appear within 5 s";
}

static void
stop_agent(struct fixture *fx)
{
	if (fx->agent <= 0)
		return;
	kill(fx->agent, SIGTERM);
	while (waitpid(fx->agent, NULL, 0) < 0 && errno == EINTR)
		;
	fx->agent = -1;
}

/* The public-key blob of key i, from its .pub file. */
static const char *
read_blob(struct fixture *fx, int i)
{
	char *path = xasprintf("%s/k%d.pub", fx->dir, i);
	char *text = NULL, *sp, *end;
	size_t len;
	long n = -1;

	if (fsutil_read_file(path, &text, &len) == 0 &&
	    (sp = strchr(text, ' ')) != NULL) {
		end = strchr(sp + 1, ' ');
		if (end != NULL)
			n = hash_base64_decode(sp + 1, (size_t)(end - sp - 1),
					       fx->blob[i], sizeof(fx->blob[i]));
	}
	free(text);
	free(path);
	if (n <= 0)
		return "cannot read the public key ssh-keygen wrote";
	fx->blen[i] = (size_t)n;
	return NULL;
}

static const char *
make_keys_and_agent(struct fixture *fx)
{
	const char *why;

	for (int i = 0; i < NKEYS; i++) {
		char *key = xasprintf("%s/k%d", fx->dir, i);
		const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519",
				       "-N", "", "-C", comments[i], "-f", key,
				       NULL };
		int rc = run(argv, NULL);

		free(key);
		if (rc != 0)
			return "ssh-keygen -t ed25519 failed or is missing";
		if ((why = read_blob(fx, i)) != NULL)
			return why;
	}
	if ((why = start_agent(fx)) != NULL)
		return why;
	for (int i = 0; i < 2; i++) {
		char *key = xasprintf("%s/k%d", fx->dir, i);
		const char *argv[] = { "ssh-add", "-q", key, NULL };
		int rc = run(argv, fx->sock);

		free(key);
		if (rc != 0)
			return "ssh-add could not add a key to the agent";
	}
	return NULL;
}

static int
setup_plain(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	void *dir;

	testdir_setup(&dir);
	fx->dir = dir;
	fx->sock = xasprintf("%s/agent.sock", fx->dir);
	fx->agent = -1;
	*state = fx;
	return 0;
}

static int
setup_agent(void **state)
{
	struct fixture *fx;

	setup_plain(state);
	fx = *state;
	fx->skip_why = make_keys_and_agent(fx);
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	void *dir = fx->dir;

	stop_agent(fx);
	testdir_teardown(&dir);
	free(fx->sock);
	free(fx);
	return 0;
}

static void
need_agent(const struct fixture *fx)
{
	if (fx->skip_why != NULL) {
		print_message("skipped: %s\n", fx->skip_why);
		skip();
	}
}

/* ---- the agent protocol, spoken by the test ---- */

static void
send_msg(int fd, const void *body, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t off = 0;

	strbuf_add_sshstr(&sb, body, len);
	while (off < sb.len) {
		ssize_t w = send(fd, sb.buf + off, sb.len - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		assert_true(w > 0);
		off += (size_t)w;
	}
	strbuf_release(&sb);
}

/* n bytes from fd within WAIT_MS; -1 on end of file or error. */
static int
recv_full(int fd, void *buf, size_t n)
{
	unsigned char *b = buf;

	while (n > 0) {
		struct pollfd pf = { fd, POLLIN, 0 };
		ssize_t r;
		int p = poll(&pf, 1, WAIT_MS);

		if (p < 0 && errno == EINTR)
			continue;
		if (p == 0)
			fail_msg("no answer within %d ms", WAIT_MS);
		r = read(fd, b, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One message body into sb; -1 on end of file. */
static int
recv_msg(int fd, struct strbuf *sb)
{
	unsigned char hdr[4];
	uint32_t len;

	strbuf_reset(sb);
	if (recv_full(fd, hdr, 4) != 0)
		return -1;
	len = strbuf_get_be32(hdr);
	assert_true(len > 0 && len < (1u << 20));
	strbuf_grow(sb, len);
	assert_int_equal(recv_full(fd, sb->buf, len), 0);
	sb->len = len;
	sb->buf[len] = '\0';
	return 0;
}

/* The peer closed: a read gives end of file within WAIT_MS. */
static void
expect_eof(int fd)
{
	char c;

	assert_int_equal(recv_full(fd, &c, 1), -1);
}

static void
request(int fd, const struct strbuf *body, struct strbuf *reply)
{
	send_msg(fd, body->buf, body->len);
	assert_int_equal(recv_msg(fd, reply), 0);
}

/* The keys of an IDENTITIES_ANSWER. */
struct idlist {
	size_t n;
	const unsigned char *blob[8];
	size_t blen[8];
	char comment[8][32];
};

static void
list_keys(int fd, struct idlist *ids, struct strbuf *reply)
{
	struct strbuf req = STRBUF_INIT;
	const unsigned char *p;
	size_t left;

	strbuf_addch(&req, AGENTC_REQUEST_IDENTITIES);
	request(fd, &req, reply);
	strbuf_release(&req);
	p = (const unsigned char *)reply->buf;
	assert_true(reply->len >= 5);
	assert_int_equal(p[0], AGENT_IDENTITIES_ANSWER);
	ids->n = strbuf_get_be32(p + 1);
	assert_true(ids->n <= 8);
	p += 5;
	left = reply->len - 5;
	for (size_t i = 0; i < ids->n; i++) {
		uint32_t l;

		assert_true(left >= 4);
		l = strbuf_get_be32(p);
		assert_true(l <= left - 4);
		ids->blob[i] = p + 4;
		ids->blen[i] = l;
		p += 4 + l;
		left -= 4 + l;
		assert_true(left >= 4);
		l = strbuf_get_be32(p);
		assert_true(l <= left - 4 && l < sizeof(ids->comment[i]));
		memcpy(ids->comment[i], p + 4, l);
		ids->comment[i][l] = '\0';
		p += 4 + l;
		left -= 4 + l;
	}
	assert_int_equal(left, 0);
}

/* Is listed key i of ids our key k (blob and comment)? */
static void
assert_key(const struct fixture *fx, const struct idlist *ids, size_t i,
	   int k)
{
	assert_true(i < ids->n);
	assert_int_equal(ids->blen[i], fx->blen[k]);
	assert_memory_equal(ids->blob[i], fx->blob[k], fx->blen[k]);
	assert_string_equal(ids->comment[i], comments[k]);
}

/* A SIGN_REQUEST for key k over data; the reply into reply. */
static void
sign(int fd, const struct fixture *fx, int k, const char *data,
     struct strbuf *reply)
{
	struct strbuf req = STRBUF_INIT;

	strbuf_addch(&req, AGENTC_SIGN_REQUEST);
	strbuf_add_sshstr(&req, fx->blob[k], fx->blen[k]);
	strbuf_add_sshstr(&req, data, strlen(data));
	strbuf_add_be32(&req, 0);
	request(fd, &req, reply);
	strbuf_release(&req);
}

/* The number of open descriptors of this process. */
static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own descriptor */
}

static struct agent_relay *
start_relay(const struct fixture *fx, const int *keys, size_t n, int *fd)
{
	struct agent_blob allowed[NKEYS];
	struct agent_relay *ar = NULL;

	assert_true(n <= NKEYS);
	for (size_t i = 0; i < n; i++) {
		allowed[i].data = fx->blob[keys[i]];
		allowed[i].len = fx->blen[keys[i]];
	}
	assert_int_equal(agent_relay_start(&ar, fx->sock, allowed, n, fd), 0);
	assert_non_null(ar);
	assert_true(*fd >= 0);
	return ar;
}

/* ---- agent_filter_answer() on crafted answers ---- */

static void
add_key(struct strbuf *sb, const char *blob, const char *comment)
{
	strbuf_add_sshstr(sb, blob, strlen(blob));
	strbuf_add_sshstr(sb, comment, strlen(comment));
}

static void
test_filter_answer(void **state)
{
	struct agent_blob allowed[] = {
		{ (const unsigned char *)"CCC", 3 },
		{ (const unsigned char *)"AAA", 3 },
		{ (const unsigned char *)"ZZZ", 3 },
		{ (const unsigned char *)"BB", 2 },	/* prefix of BBB */
	};
	struct strbuf msg = STRBUF_INIT, out = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT;
	bool present[4] = { false, false, false, false };
	size_t listed = 99, passed = 99;

	(void)state;
	strbuf_addch(&msg, AGENT_IDENTITIES_ANSWER);
	strbuf_add_be32(&msg, 3);
	add_key(&msg, "AAA", "a");
	add_key(&msg, "BBB", "b");
	add_key(&msg, "CCC", "");
	strbuf_adds(&out, "stale");
	assert_int_equal(agent_filter_answer((unsigned char *)msg.buf, msg.len,
					     allowed, 4, &out, &listed,
					     &passed, present), 0);
	strbuf_addch(&want, AGENT_IDENTITIES_ANSWER);
	strbuf_add_be32(&want, 2);
	add_key(&want, "AAA", "a");
	add_key(&want, "CCC", "");
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.buf, want.buf, want.len);
	assert_int_equal(listed, 3);
	assert_int_equal(passed, 2);
	assert_true(present[0] && present[1]);
	assert_false(present[2] || present[3]);

	/* Nothing allowed: an empty answer; present may be NULL. */
	assert_int_equal(agent_filter_answer((unsigned char *)msg.buf, msg.len,
					     allowed, 0, &out, &listed,
					     &passed, NULL), 0);
	assert_int_equal(out.len, 5);
	assert_memory_equal(out.buf, "\x0c\0\0\0\0", 5);
	assert_int_equal(listed, 3);
	assert_int_equal(passed, 0);

	/* An agent with no keys. */
	strbuf_reset(&msg);
	strbuf_addch(&msg, AGENT_IDENTITIES_ANSWER);
	strbuf_add_be32(&msg, 0);
	assert_int_equal(agent_filter_answer((unsigned char *)msg.buf, msg.len,
					     allowed, 4, &out, &listed,
					     &passed, NULL), 0);
	assert_int_equal(out.len, 5);
	assert_memory_equal(out.buf, "\x0c\0\0\0\0", 5);
	assert_int_equal(listed, 0);
	strbuf_release(&msg);
	strbuf_release(&out);
	strbuf_release(&want);
}

/* One malformed answer: RPX_EPARSE. */
static void
check_bad_answer(const struct strbuf *msg)
{
	struct agent_blob allowed = { (const unsigned char *)"AAA", 3 };
	struct strbuf out = STRBUF_INIT;
	size_t listed, passed;
	unsigned char *copy = xmalloc(msg->len ? msg->len : 1);

	/* An exact-size copy, so that ASan sees any read past its end. */
	memcpy(copy, msg->buf, msg->len);
	assert_int_equal(agent_filter_answer(copy, msg->len, &allowed, 1,
					     &out, &listed, &passed, NULL),
			 RPX_EPARSE);
	free(copy);
	strbuf_release(&out);
}

static void
test_filter_answer_malformed(void **state)
{
	struct strbuf msg = STRBUF_INIT;

	(void)state;
	check_bad_answer(&msg);				/* empty */
	strbuf_addch(&msg, AGENT_IDENTITIES_ANSWER);
	check_bad_answer(&msg);				/* no count */
	strbuf_add(&msg, "\0\0\0", 3);
	check_bad_answer(&msg);				/* short count */
	strbuf_reset(&msg);
	strbuf_addch(&msg, AGENT_FAILURE);
	strbuf_add_be32(&msg, 0);
	check_bad_answer(&msg);				/* not an answer */
	strbuf_reset(&msg);
	strbuf_addch(&msg, AGENT_IDENTITIES_ANSWER);
	strbuf_add_be32(&msg, 1);
	check_bad_answer(&msg);				/* key missing */
	strbuf_reset(&msg);
	strbuf_addch(&msg, AGENT_IDENTITIES_ANSWER);
	strbuf_add_be32(&msg, 0xffffffffu);
	add_key(&msg, "AAA", "a");
	check_bad_answer(&msg);				/* count too high */
	strbuf_reset(&msg);
	strbuf_addch(&msg, AGENT_IDENTITIES_ANSWER);
	strbuf_add_be32(&msg, 1);
	strbuf_add_sshstr(&msg, "AAA", 3);
	check_bad_answer(&msg);				/* comment missing */
	strbuf_add(&msg, "\0\0", 2);
	check_bad_answer(&msg);				/* comment length cut */
	strbuf_reset(&msg);
	strbuf_addch(&msg, AGENT_IDENTITIES_ANSWER);
	strbuf_add_be32(&msg, 1);
	strbuf_add_be32(&msg, 10);
	strbuf_add(&msg, "AAA", 3);
	check_bad_answer(&msg);				/* blob runs past */
	strbuf_reset(&msg);
	strbuf_addch(&msg, AGENT_IDENTITIES_ANSWER);
	strbuf_add_be32(&msg, 1);
	strbuf_add_be32(&msg, 0xfffffffbu);
	strbuf_add(&msg, "AAAA", 4);
	check_bad_answer(&msg);				/* length wraps */
	strbuf_release(&msg);
}

/* ---- no agent to reach ---- */

static void
test_unreachable(void **state)
{
	struct fixture *fx = *state;
	struct agent_blob allowed = { (const unsigned char *)"AAA", 3 };
	char *file = xasprintf("%s/not-a-socket", fx->dir);
	char longp[200];
	const char *paths[] = { fx->sock, file, "/nonexistent/agent.sock",
				"", longp };
	int before = count_fds();

	assert_int_equal(atomic_write(file, "x", 1), 0);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		struct agent_relay *ar = (struct agent_relay *)&allowed;
		int fd = 12345;

		assert_int_equal(agent_relay_start(&ar, paths[i], &allowed, 1,
						   &fd), RPX_ENOTFOUND);
		assert_null(ar);
		assert_int_equal(fd, -1);
		assert_int_equal(agent_count_keys(paths[i]), -1);
	}
	{
		struct agent_relay *ar = NULL;
		int fd;

		assert_int_equal(agent_relay_start(&ar, NULL, NULL, 0, &fd),
				 RPX_ENOTFOUND);
		assert_int_equal(agent_count_keys(NULL), -1);
	}
	/* Stopping no relay is harmless. */
	agent_relay_stop(NULL, NULL);
	assert_int_equal(count_fds(), before);
	free(file);
}

/* ---- against the real agent ---- */

static void
test_lists_only_allowed(void **state)
{
	struct fixture *fx = *state;
	struct strbuf reply = STRBUF_INIT;
	struct idlist ids;
	struct agent_relay_stats st;
	bool present[1] = { false };
	struct agent_relay *ar;
	int direct, fd, k0[] = { 0 }, k1[] = { 1 };

	need_agent(fx);
	/* The agent itself holds both keys. */
	assert_int_equal(agent_count_keys(fx->sock), 2);
	direct = connect_to(fx->sock);
	assert_true(direct >= 0);
	list_keys(direct, &ids, &reply);
	assert_int_equal(ids.n, 2);
	assert_key(fx, &ids, 0, 0);
	assert_key(fx, &ids, 1, 1);
	close(direct);

	/* Through the relay allowing key 0: only it, asked twice. */
	ar = start_relay(fx, k0, 1, &fd);
	for (int round = 0; round < 2; round++) {
		list_keys(fd, &ids, &reply);
		assert_int_equal(ids.n, 1);
		assert_key(fx, &ids, 0, 0);
	}
	st.present = present;
	agent_relay_stop(ar, &st);
	assert_int_equal(st.listed, 2);
	assert_int_equal(st.passed, 1);
	assert_true(present[0]);
	expect_eof(fd);
	close(fd);

	/* The same with key 1 (the agent's second). */
	ar = start_relay(fx, k1, 1, &fd);
	list_keys(fd, &ids, &reply);
	assert_int_equal(ids.n, 1);
	assert_key(fx, &ids, 0, 1);
	agent_relay_stop(ar, NULL);
	close(fd);
	strbuf_release(&reply);
}

/* Allowed keys the agent lacks, several allowed, none allowed. */
static void
test_allowed_and_present(void **state)
{
	struct fixture *fx = *state;
	struct strbuf reply = STRBUF_INIT;
	struct idlist ids;
	struct agent_relay_stats st;
	bool present[3] = { true, false, false };
	struct agent_relay *ar;
	int fd, order[] = { 2, 1, 0 }, absent[] = { 2 };

	need_agent(fx);
	ar = start_relay(fx, order, 3, &fd);
	list_keys(fd, &ids, &reply);
	/* The agent's order, not the allowed list's. */
	assert_int_equal(ids.n, 2);
	assert_key(fx, &ids, 0, 0);
	assert_key(fx, &ids, 1, 1);
	st.present = present;
	agent_relay_stop(ar, &st);
	close(fd);
	assert_int_equal(st.listed, 2);
	assert_int_equal(st.passed, 2);
	assert_false(present[0]);
	assert_true(present[1] && present[2]);

	ar = start_relay(fx, absent, 1, &fd);
	list_keys(fd, &ids, &reply);
	assert_int_equal(ids.n, 0);
	present[0] = true;
	agent_relay_stop(ar, &st);
	close(fd);
	assert_int_equal(st.listed, 2);
	assert_int_equal(st.passed, 0);
	assert_false(present[0]);

	ar = start_relay(fx, NULL, 0, &fd);
	list_keys(fd, &ids, &reply);
	assert_int_equal(ids.n, 0);
	st.present = NULL;
	agent_relay_stop(ar, &st);
	close(fd);
	assert_int_equal(st.listed, 2);
	assert_int_equal(st.passed, 0);
	strbuf_release(&reply);
}

/* ed25519 signatures are deterministic: the relay must hand back the one
 * the agent gives directly; the other key is refused by the relay (the
 * agent itself would sign with it). */
static void
test_sign(void **state)
{
	struct fixture *fx = *state;
	struct strbuf direct0 = STRBUF_INIT, direct1 = STRBUF_INIT;
	struct strbuf reply = STRBUF_INIT, req = STRBUF_INIT;
	struct idlist ids;
	struct agent_relay *ar;
	const unsigned char *p;
	int direct, fd, allow[] = { 0, 2 };

	need_agent(fx);
	direct = connect_to(fx->sock);
	assert_true(direct >= 0);
	sign(direct, fx, 0, "session data", &direct0);
	sign(direct, fx, 1, "session data", &direct1);
	close(direct);
	assert_int_equal((unsigned char)direct0.buf[0], AGENT_SIGN_RESPONSE);
	assert_int_equal((unsigned char)direct1.buf[0], AGENT_SIGN_RESPONSE);
	/* 14, string(string "ssh-ed25519", string 64-byte signature) */
	p = (const unsigned char *)direct0.buf;
	assert_int_equal(direct0.len, 1 + 4 + 4 + 11 + 4 + 64);
	assert_int_equal(strbuf_get_be32(p + 1), 4 + 11 + 4 + 64);
	assert_memory_equal(p + 9, "ssh-ed25519", 11);

	ar = start_relay(fx, allow, 2, &fd);
	sign(fd, fx, 0, "session data", &reply);
	assert_int_equal(reply.len, direct0.len);
	assert_memory_equal(reply.buf, direct0.buf, direct0.len);
	/* Key 1 is not allowed: refused. */
	sign(fd, fx, 1, "session data", &reply);
	assert_int_equal(reply.len, 1);
	assert_int_equal((unsigned char)reply.buf[0], AGENT_FAILURE);
	/* Key 2 is allowed but not in the agent: the agent refuses. */
	sign(fd, fx, 2, "session data", &reply);
	assert_int_equal(reply.len, 1);
	assert_int_equal((unsigned char)reply.buf[0], AGENT_FAILURE);
	/* A sign request without a key blob, and one whose blob runs past
	 * the message: refused. */
	strbuf_addch(&req, AGENTC_SIGN_REQUEST);
	request(fd, &req, &reply);
	assert_int_equal(reply.len, 1);
	assert_int_equal((unsigned char)reply.buf[0], AGENT_FAILURE);
	strbuf_add_be32(&req, 1000);
	strbuf_add(&req, fx->blob[0], fx->blen[0]);
	request(fd, &req, &reply);
	assert_int_equal(reply.len, 1);
	assert_int_equal((unsigned char)reply.buf[0], AGENT_FAILURE);
	/* After the refusals the relay still serves. */
	sign(fd, fx, 0, "more data", &reply);
	assert_int_equal((unsigned char)reply.buf[0], AGENT_SIGN_RESPONSE);
	assert_false(reply.len == direct0.len &&
		     memcmp(reply.buf, direct0.buf, reply.len) == 0);
	list_keys(fd, &ids, &reply);
	assert_int_equal(ids.n, 1);
	assert_key(fx, &ids, 0, 0);
	agent_relay_stop(ar, NULL);
	close(fd);
	strbuf_release(&direct0);
	strbuf_release(&direct1);
	strbuf_release(&reply);
	strbuf_release(&req);
}

/* Messages other than the list and signing go to the agent unchanged. */
static void
test_other_messages_pass(void **state)
{
	struct fixture *fx = *state;
	struct strbuf req = STRBUF_INIT, reply = STRBUF_INIT;
	struct idlist ids;
	struct agent_relay_stats st = { 0, 0, NULL };
	bool present[1] = { true };
	struct agent_relay *ar;
	int fd, allow[] = { 0 };

	need_agent(fx);
	ar = start_relay(fx, allow, 1, &fd);
	/* Remove key 1 (not even allowed) through the relay. */
	strbuf_addch(&req, AGENTC_REMOVE_IDENTITY);
	strbuf_add_sshstr(&req, fx->blob[1], fx->blen[1]);
	request(fd, &req, &reply);
	assert_int_equal(reply.len, 1);
	assert_int_equal((unsigned char)reply.buf[0], AGENT_SUCCESS);
	assert_int_equal(agent_count_keys(fx->sock), 1);
	list_keys(fd, &ids, &reply);
	assert_int_equal(ids.n, 1);
	assert_key(fx, &ids, 0, 0);
	/* Remove them all: the allowed key is then absent. */
	strbuf_reset(&req);
	strbuf_addch(&req, AGENTC_REMOVE_ALL_IDENTITIES);
	request(fd, &req, &reply);
	assert_int_equal((unsigned char)reply.buf[0], AGENT_SUCCESS);
	assert_int_equal(agent_count_keys(fx->sock), 0);
	list_keys(fd, &ids, &reply);
	assert_int_equal(ids.n, 0);
	st.present = present;
	agent_relay_stop(ar, &st);
	close(fd);
	assert_int_equal(st.listed, 0);
	assert_int_equal(st.passed, 0);
	assert_false(present[0]);
	strbuf_release(&req);
	strbuf_release(&reply);
}

/* Start and stop, idle or after traffic, many times: every descriptor
 * is closed again (the caller closes its own end, as libssh does). */
static void
test_stop_and_descriptors(void **state)
{
	struct fixture *fx = *state;
	struct strbuf reply = STRBUF_INIT;
	struct idlist ids;
	int before, allow[] = { 1 };

	need_agent(fx);
	before = count_fds();
	assert_true(before > 0);
	for (int i = 0; i < 20; i++) {
		int fd;
		struct agent_relay *ar = start_relay(fx, allow, 1, &fd);

		assert_true(count_fds() > before);
		if (i % 2 == 1) {
			list_keys(fd, &ids, &reply);
			assert_int_equal(ids.n, 1);
		}
		agent_relay_stop(ar, NULL);
		/* libssh's end then reads end of file. */
		expect_eof(fd);
		close(fd);
		assert_int_equal(count_fds(), before);
	}
	strbuf_release(&reply);
}

/* The agent goes away: the relay ends its side, and stops cleanly. */
static void
test_agent_dies(void **state)
{
	struct fixture *fx = *state;
	struct strbuf req = STRBUF_INIT, reply = STRBUF_INIT;
	struct agent_relay_stats st = { 9, 9, NULL };
	struct agent_relay *ar;
	int fd, allow[] = { 0 };

	need_agent(fx);
	ar = start_relay(fx, allow, 1, &fd);
	stop_agent(fx);
	strbuf_addch(&req, AGENTC_REQUEST_IDENTITIES);
	send_msg(fd, req.buf, req.len);
	assert_int_equal(recv_msg(fd, &reply), -1);
	agent_relay_stop(ar, &st);
	close(fd);
	assert_int_equal(st.listed, 0);
	assert_int_equal(st.passed, 0);
	/* And a new relay finds no agent. */
	ar = (struct agent_relay *)&st;
	assert_int_equal(agent_relay_start(&ar, fx->sock, NULL, 0, &fd),
			 RPX_ENOTFOUND);
	assert_null(ar);
	strbuf_release(&req);
	strbuf_release(&reply);
}

/* A request the protocol does not allow (empty, or longer than the relay
 * takes) ends the relay rather than confusing it; the agent stays. */
static void
test_bad_requests(void **state)
{
	struct fixture *fx = *state;
	static const unsigned char empty[4] = { 0, 0, 0, 0 };
	static const unsigned char huge[5] = { 0x7f, 0, 0, 0, 11 };
	const unsigned char *bad[] = { empty, huge };
	size_t badlen[] = { sizeof(empty), sizeof(huge) };
	int allow[] = { 0 };

	need_agent(fx);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int fd;
		struct agent_relay *ar = start_relay(fx, allow, 1, &fd);

		assert_int_equal(send(fd, bad[i], badlen[i], MSG_NOSIGNAL),
				 (ssize_t)badlen[i]);
		expect_eof(fd);
		agent_relay_stop(ar, NULL);
		close(fd);
	}
	assert_int_equal(agent_count_keys(fx->sock), 2);
}

/*
 * An agent that takes a request and never answers: agent_relay_stop()
 * must still return. Run in a child that is killed after 3 s, so that a
 * hang fails in seconds instead of hanging the suite (SIGKILL: no exit
 * handler or leak report runs in the stuck child). The relay waits for
 * the agent's answer watching its wake pipe, so the stop is seen.
 */
static void
test_stop_while_agent_silent(void **state)
{
	struct fixture *fx = *state;
	int lfd, conn = -1, go[2];
	struct sockaddr_un sa;
	struct pollfd pf;
	unsigned char got[5];
	pid_t pid;
	int st = 0;
	bool hung = true;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	assert_true(strlen(fx->sock) < sizeof(sa.sun_path));
	strcpy(sa.sun_path, fx->sock);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	assert_int_equal(pipe(go), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static const unsigned char req[5] = {
			0, 0, 0, 1, AGENTC_REQUEST_IDENTITIES };
		struct agent_relay *ar = NULL;
		int fd;
		char c;

		close(lfd);
		if (agent_relay_start(&ar, fx->sock, NULL, 0, &fd) != 0 ||
		    send(fd, req, sizeof(req), MSG_NOSIGNAL) != 5 ||
		    read(go[0], &c, 1) != 1)
			_exit(2);
		agent_relay_stop(ar, NULL);
		_exit(0);
	}
	/* The request reaches the silent agent: the relay now waits for
	 * its answer. Then the child stops the relay. */
	pf.fd = lfd;
	pf.events = POLLIN;
	if (poll(&pf, 1, WAIT_MS) == 1)
		conn = accept(lfd, NULL, NULL);
	if (conn >= 0 && recv_full(conn, got, sizeof(got)) == 0 &&
	    memcmp(got, "\0\0\0\1\x0b", 5) == 0)
		assert_int_equal(write(go[1], "x", 1), 1);
	else
		kill(pid, SIGKILL);
	for (int ms = 0; ms < 3000 && hung; ms += 10) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			hung = false;
		else
			sleep_ms(10);
	}
	if (hung) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0)
			assert_int_equal(errno, EINTR);
	}
	if (conn >= 0)
		close(conn);
	close(lfd);
	close(go[0]);
	close(go[1]);
	if (hung)
		fail_msg("agent_relay_stop() hung while the agent owed an "
			 "answer");
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * An agent that takes the identities request and never answers:
 * agent_count_keys() gives up (-1) after its timeout instead of hanging.
 * Run in a child killed after 20 s, so that a hang fails the test rather
 * than hanging the suite.
 */
static void
test_count_keys_silent_agent(void **state)
{
	struct fixture *fx = *state;
	struct sockaddr_un sa;
	int lfd, st = 0;
	bool hung = true;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	assert_true(strlen(fx->sock) < sizeof(sa.sun_path));
	strcpy(sa.sun_path, fx->sock);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	/* the kernel accepts the connection; nobody ever reads or answers */
	assert_int_equal(listen(lfd, 4), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(agent_count_keys(fx->sock) == -1 ? 0 : 1);
	for (int ms = 0; ms < 20000 && hung; ms += 10) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			hung = false;
		else
			sleep_ms(10);
	}
	if (hung) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0)
			assert_int_equal(errno, EINTR);
	}
	close(lfd);
	if (hung)
		fail_msg("agent_count_keys() hung on an agent that does not "
			 "answer");
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_answer),
		cmocka_unit_test(test_filter_answer_malformed),
		cmocka_unit_test_setup_teardown(test_unreachable, setup_plain,
						teardown),
		cmocka_unit_test_setup_teardown(test_lists_only_allowed,
						setup_agent, teardown),
		cmocka_unit_test_setup_teardown(test_allowed_and_present,
						setup_agent, teardown),
		cmocka_unit_test_setup_teardown(test_sign, setup_agent,
						teardown),
		cmocka_unit_test_setup_teardown(test_other_messages_pass,
						setup_agent, teardown),
		cmocka_unit_test_setup_teardown(test_stop_and_descriptors,
						setup_agent, teardown),
		cmocka_unit_test_setup_teardown(test_agent_dies, setup_agent,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup_agent,
						teardown),
		cmocka_unit_test_setup_teardown(test_stop_while_agent_silent,
						setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_count_keys_silent_agent,
						setup_plain, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
