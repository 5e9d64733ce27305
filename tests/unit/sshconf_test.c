/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sshconf_test.c - IdentitiesOnly and IdentityFile read from ssh_config
 * files (Host blocks, negation, first value wins, Include, Match, the ~
 * and % expansions), the host names a user may type (for completions), and
 * the agent relay's filter of an IDENTITIES_ANSWER.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testdir.h"

#include "agentrelay.h"
#include "sshconf.h"
#include "strbuf.h"

static char *
write_conf(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static const struct sshconf_subst SUB = { "/home/me", "me", "10.0.0.5",
					  "pi" };

static void
test_host_blocks(void **state)
{
	struct sshconf_ids ids = SSHCONF_IDS_INIT;
	char *p = write_conf(*state, "config",
		"# comment\n"
		"IdentityFile ~/.ssh/global\n"
		"Host other\n"
		"  IdentitiesOnly no\n"
		"  IdentityFile ~/.ssh/other\n"
		"Host pi* !pi-old\n"
		"  IdentitiesOnly=yes\n"
		"  IdentityFile \"%d/.ssh/pi key\"\n"
		"Host *\n"
		"  IdentitiesOnly no\n"
		"  IdentityFile %d/.ssh/%u-%r@%h%%\n");

	sshconf_read_ids(&ids, p, *state, "PI4", &SUB);
	assert_int_equal(ids.identities_only, 1);
	assert_int_equal(ids.files.n, 3);
	assert_string_equal(ids.files.v[0], "/home/me/.ssh/global");
	assert_string_equal(ids.files.v[1], "/home/me/.ssh/pi key");
	assert_string_equal(ids.files.v[2], "/home/me/.ssh/me-pi@10.0.0.5%");
	sshconf_ids_release(&ids);

	/* negated: only the block for every host applies */
	sshconf_read_ids(&ids, p, *state, "pi-old", &SUB);
	assert_int_equal(ids.identities_only, 0);
	assert_int_equal(ids.files.n, 2);
	sshconf_ids_release(&ids);
	assert_int_equal(ids.identities_only, -1);
	free(p);
}

static void
test_include_and_match(void **state)
{
	struct sshconf_ids ids = SSHCONF_IDS_INIT;
	char *inc = write_conf(*state, "inc.conf",
		"Host pi\n"
		"  IdentitiesOnly yes\n"
		"  IdentityFile /k/inc\n");
	char *p = write_conf(*state, "config",
		"Match user pi\n"
		"  IdentitiesOnly no\n"
		"  IdentityFile /k/match\n"
		"Host pi\n"
		"  Include inc.*\n"
		"Match all\n"
		"  IdentityFile /k/all\n");

	sshconf_read_ids(&ids, p, *state, "pi", &SUB);
	assert_int_equal(ids.identities_only, 1);
	assert_int_equal(ids.files.n, 2);
	assert_string_equal(ids.files.v[0], "/k/inc");
	assert_string_equal(ids.files.v[1], "/k/all");
	sshconf_ids_release(&ids);

	/* a missing file adds nothing */
	sshconf_read_ids(&ids, "/nonexistent/config", *state, "pi", &SUB);
	assert_int_equal(ids.identities_only, -1);
	assert_int_equal(ids.files.n, 0);
	free(p);
	free(inc);
}

/* The Host names without wildcards or negation, each once, Includes
 * followed; Match blocks and other keys add nothing. */
static void
test_host_names(void **state)
{
	struct strvec names = STRVEC_INIT;
	char *inc = write_conf(*state, "hosts.conf",
		"Host build-pi\n"
		"  HostName 10.0.0.9\n");
	char *p = write_conf(*state, "config",
		"# Host commented\n"
		"Host pi pi4 *.local !bad rasp?\n"
		"  HostName 10.0.0.5\n"
		"Host=zero\n"
		"Include hosts.*\n"
		"Match host other\n"
		"Host *\n"
		"  User me\n"
		"host PI4 pi\n");

	sshconf_host_names(&names, p, *state);
	assert_int_equal(names.n, 4);
	assert_string_equal(names.v[0], "pi");
	assert_string_equal(names.v[1], "pi4");
	assert_string_equal(names.v[2], "zero");
	assert_string_equal(names.v[3], "build-pi");
	strvec_clear(&names);
	sshconf_host_names(&names, "/nonexistent/config", *state);
	assert_int_equal(names.n, 0);
	free(p);
	free(inc);
}

static void
test_identity_agent(void **state)
{
	struct sshconf_ids ids = SSHCONF_IDS_INIT;
	char *p = write_conf(*state, "config",
		"Host pi\n"
		"  IdentityAgent ~/agent-%r.sock\n"
		"Host *\n"
		"  IdentityAgent /second/wins/not\n");
	char *sock;

	assert_int_equal(setenv("SSH_AUTH_SOCK", "/env/sock", 1), 0);
	/* unset: $SSH_AUTH_SOCK */
	sock = sshconf_agent_socket(&ids);
	assert_string_equal(sock, "/env/sock");
	free(sock);
	/* the first value, expanded */
	sshconf_read_ids(&ids, p, *state, "pi", &SUB);
	assert_string_equal(ids.identity_agent, "/home/me/agent-pi.sock");
	sock = sshconf_agent_socket(&ids);
	assert_string_equal(sock, "/home/me/agent-pi.sock");
	free(sock);
	/* none, SSH_AUTH_SOCK, $NAME and ${NAME} */
	free(ids.identity_agent);
	ids.identity_agent = xstrdup("none");
	assert_null(sshconf_agent_socket(&ids));
	free(ids.identity_agent);
	ids.identity_agent = xstrdup("SSH_AUTH_SOCK");
	sock = sshconf_agent_socket(&ids);
	assert_string_equal(sock, "/env/sock");
	free(sock);
	assert_int_equal(setenv("RPX_AGENT_TEST", "/other/sock", 1), 0);
	free(ids.identity_agent);
	ids.identity_agent = xstrdup("$RPX_AGENT_TEST");
	sock = sshconf_agent_socket(&ids);
	assert_string_equal(sock, "/other/sock");
	free(sock);
	free(ids.identity_agent);
	ids.identity_agent = xstrdup("${RPX_AGENT_TEST}");
	sock = sshconf_agent_socket(&ids);
	assert_string_equal(sock, "/other/sock");
	free(sock);
	unsetenv("RPX_AGENT_TEST");
	assert_null(sshconf_agent_socket(&ids));
	unsetenv("SSH_AUTH_SOCK");
	free(ids.identity_agent);
	ids.identity_agent = NULL;
	assert_null(sshconf_agent_socket(&ids));
	sshconf_ids_release(&ids);
	free(p);
}

static void
test_pattern(void **state)
{
	(void)state;
	assert_true(sshconf_pattern_match("*", "x"));
	assert_true(sshconf_pattern_match("rasp?", "RASPI"));
	assert_true(sshconf_pattern_match("*.local", "pi.local"));
	assert_false(sshconf_pattern_match("*.local", "pi.lan"));
	assert_false(sshconf_pattern_match("pi", "pi4"));
}

static void
put_string(struct strbuf *sb, const char *s, size_t n)
{
	unsigned char b[4] = { (unsigned char)(n >> 24),
			       (unsigned char)(n >> 16),
			       (unsigned char)(n >> 8), (unsigned char)n };

	strbuf_add(sb, b, 4);
	strbuf_add(sb, s, n);
}

static void
test_filter_answer(void **state)
{
	struct strbuf msg = STRBUF_INIT, out = STRBUF_INIT;
	const struct agent_blob allowed[2] = {
		{ (const unsigned char *)"KEY-B", 5 },
		{ (const unsigned char *)"KEY-X", 5 },
	};
	bool present[2] = { false, false };
	size_t listed = 9, passed = 9;

	(void)state;
	strbuf_addch(&msg, 12);
	strbuf_add(&msg, "\0\0\0\3", 4);
	put_string(&msg, "KEY-A", 5);
	put_string(&msg, "a comment", 9);
	put_string(&msg, "KEY-B", 5);
	put_string(&msg, "b", 1);
	put_string(&msg, "KEY-C", 5);
	put_string(&msg, "", 0);
	assert_int_equal(agent_filter_answer((unsigned char *)msg.buf, msg.len,
					     allowed, 2, &out, &listed, &passed,
					     present), 0);
	assert_int_equal(listed, 3);
	assert_int_equal(passed, 1);
	assert_true(present[0]);
	assert_false(present[1]);
	assert_int_equal(out.len, 1 + 4 + 4 + 5 + 4 + 1);
	assert_memory_equal(out.buf, "\x0c\0\0\0\1\0\0\0\5KEY-B\0\0\0\1b",
			    out.len);

	/* a count larger than what follows, and another message type */
	msg.buf[4] = 4;
	assert_int_equal(agent_filter_answer((unsigned char *)msg.buf, msg.len,
					     allowed, 2, &out, &listed, &passed,
					     NULL), RPX_EPARSE);
	msg.buf[0] = 5;
	assert_int_equal(agent_filter_answer((unsigned char *)msg.buf, 1,
					     allowed, 2, &out, &listed, &passed,
					     NULL), RPX_EPARSE);
	strbuf_release(&msg);
	strbuf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_host_blocks, testdir_setup,
						testdir_teardown),
		cmocka_unit_test_setup_teardown(test_include_and_match,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_host_names,
						testdir_setup, testdir_teardown),
		cmocka_unit_test_setup_teardown(test_identity_agent,
						testdir_setup, testdir_teardown),
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_filter_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
