/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * strbuf_test.c - the byte buffer: the shared empty string before the
 * first addition, growth across many additions, embedded NULs,
 * formatting, POSIX shell quoting, the SSH wire forms, trimming and
 * handing the buffer over.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "strbuf.h"

static void
test_empty_and_growth(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t last = 0;
	int grows = 0;

	(void)state;
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.alloc, 0);
	strbuf_reset(&sb);		/* no write to the shared "" */
	strbuf_rtrim(&sb);
	for (int i = 0; i < 100000; i++) {
		strbuf_addch(&sb, 'a' + i % 26);
		if (sb.alloc != last) {
			assert_true(sb.alloc > sb.len);	/* room for the NUL */
			last = sb.alloc;
			grows++;
		}
	}
	assert_int_equal(sb.len, 100000);
	assert_int_equal(strlen(sb.buf), 100000);
	assert_int_equal(sb.buf[26], 'a');
	assert_int_equal(sb.buf[99999], 'a' + 99999 % 26);
	assert_true(grows < 40);	/* geometric, not one per byte */
	strbuf_grow(&sb, 5000);
	assert_true(sb.alloc >= sb.len + 5001);
	strbuf_release(&sb);
	assert_int_equal(sb.alloc, 0);
	assert_string_equal(sb.buf, "");
}

static void
test_add_nul_and_format(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_add(&sb, "a\0b", 3);
	assert_int_equal(sb.len, 3);
	assert_memory_equal(sb.buf, "a\0b", 4);	/* and the closing NUL */
	strbuf_add(&sb, "ignored", 0);
	assert_int_equal(sb.len, 3);
	strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	strbuf_addf(&sb, "%s=%d", "jobs", 4);
	strbuf_addf(&sb, "%s", "");	/* nothing to add */
	strbuf_adds(&sb, ";");
	strbuf_addf(&sb, "%05.1f|%-3s|%x", 2.5, "x", 255);
	assert_string_equal(sb.buf, "jobs=4;002.5|x  |ff");
	/* a formatted string longer than any first allocation */
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%2000s", "end");
	assert_int_equal(sb.len, 2000);
	assert_string_equal(sb.buf + 1997, "end");
	strbuf_release(&sb);
}

/* The quoted word, given to sh, comes back as it was. */
static void
roundtrip(const char *word)
{
	struct strbuf cmd = STRBUF_INIT;
	char back[256] = "";
	FILE *f;
	size_t n;
	int st;

	strbuf_adds(&cmd, "printf '%s' ");
	strbuf_add_shquoted(&cmd, word);
	f = popen(cmd.buf, "r");
	assert_non_null(f);
	n = fread(back, 1, sizeof(back) - 1, f);
	back[n] = '\0';
	/* macOS's WEXITSTATUS() takes its argument's address: a variable */
	st = pclose(f);
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_string_equal(back, word);
	strbuf_release(&cmd);
}

static void
test_shquoted(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_add_shquoted(&sb, "plain");
	assert_string_equal(sb.buf, "'plain'");
	strbuf_reset(&sb);
	strbuf_add_shquoted(&sb, "it's");
	assert_string_equal(sb.buf, "'it'\\''s'");
	strbuf_reset(&sb);
	strbuf_add_shquoted(&sb, "");
	assert_string_equal(sb.buf, "''");
	strbuf_reset(&sb);
	strbuf_add_shquoted(&sb, "''");
	assert_string_equal(sb.buf, "''\\'''\\'''");
	strbuf_reset(&sb);
	/* nothing inside the quotes is the shell's */
	strbuf_add_shquoted(&sb, "; rm -rf ~ $(id) `id` \"x\" \\");
	assert_string_equal(sb.buf, "'; rm -rf ~ $(id) `id` \"x\" \\'");
	strbuf_release(&sb);
	roundtrip("$HOME `id` \"x\" \\n *");
	roundtrip("it's a 'test'");
	roundtrip("line\nbreak");
	roundtrip("");
}

static void
test_ssh_wire_forms(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *u;

	(void)state;
	strbuf_add_be32(&sb, 0x01020304u);
	strbuf_add_sshstr(&sb, "ssh-ed25519", 11);
	strbuf_add_sshstr(&sb, "", 0);
	assert_int_equal(sb.len, 4 + 4 + 11 + 4);
	u = (const unsigned char *)sb.buf;
	assert_memory_equal(u, "\x01\x02\x03\x04", 4);
	assert_memory_equal(u + 4, "\x00\x00\x00\x0bssh-ed25519", 15);
	assert_memory_equal(u + 19, "\x00\x00\x00\x00", 4);
	assert_int_equal(strbuf_get_be32(u), 0x01020304u);
	assert_int_equal(strbuf_get_be32(u + 4), 11);
	strbuf_reset(&sb);
	strbuf_add_be32(&sb, 0xfffffffeu);
	assert_int_equal(strbuf_get_be32((const unsigned char *)sb.buf),
			 0xfffffffeu);
	strbuf_release(&sb);
}

static void
test_rtrim_and_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *p;

	(void)state;
	strbuf_add(&sb, "value \t\r\n\0\n", 11);
	strbuf_rtrim(&sb);
	assert_int_equal(sb.len, 5);
	assert_string_equal(sb.buf, "value");
	strbuf_reset(&sb);
	strbuf_adds(&sb, " \n");
	strbuf_rtrim(&sb);
	assert_int_equal(sb.len, 0);
	p = strbuf_detach(&sb, &len);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
	strbuf_adds(&sb, "kept");
	p = strbuf_detach(&sb, NULL);
	assert_string_equal(p, "kept");
	assert_int_equal(sb.alloc, 0);	/* re-initialised */
	assert_string_equal(sb.buf, "");
	free(p);
	/* detach of a never-used buffer gives a string of one's own */
	p = strbuf_detach(&sb, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_growth),
		cmocka_unit_test(test_add_nul_and_format),
		cmocka_unit_test(test_shquoted),
		cmocka_unit_test(test_ssh_wire_forms),
		cmocka_unit_test(test_rtrim_and_detach),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
