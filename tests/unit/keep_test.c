/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * keep_test.c - the kept connection's framed protocol (src/ssh/keep.h):
 * frame headers read back whole, a frame cut anywhere waits for more, an
 * oversized length is refused, and K_OPEN (a command or a subsystem, with
 * or without a pty) and K_INFO payloads survive the round trip and are
 * refused when cut short, padded, holding a NUL or an unknown flag.
 * (The master and its relay are tested against a real sshd in
 * tests/suite/keep.sh.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rpx.h"
#include "ssh/keep.h"

static void
test_frames(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p;
	size_t off = 0, plen;
	int type;

	(void)state;
	keep_frame_put(&sb, K_STDIN, "abc", 3);
	keep_frame_put(&sb, K_EOF, NULL, 0);
	assert_int_equal(sb.len, 2 * KEEP_HDR + 3);
	/* type, then the length big-endian */
	assert_int_equal((unsigned char)sb.buf[0], K_STDIN);
	assert_memory_equal(sb.buf + 1, "\0\0\0\3", 4);
	assert_int_equal(keep_frame_next(sb.buf, sb.len, &off, &type, &p,
					 &plen), 1);
	assert_int_equal(type, K_STDIN);
	assert_int_equal(plen, 3);
	assert_memory_equal(p, "abc", 3);
	assert_int_equal(keep_frame_next(sb.buf, sb.len, &off, &type, &p,
					 &plen), 1);
	assert_int_equal(type, K_EOF);
	assert_int_equal(plen, 0);
	assert_int_equal(off, sb.len);
	assert_int_equal(keep_frame_next(sb.buf, sb.len, &off, &type, &p,
					 &plen), 0);
	/* cut anywhere inside the first frame: wait for more */
	for (size_t cut = 0; cut < KEEP_HDR + 3; cut++) {
		off = 0;
		assert_int_equal(keep_frame_next(sb.buf, cut, &off, &type, &p,
						 &plen), 0);
		assert_int_equal(off, 0);
	}
	strbuf_release(&sb);
}

static void
test_frame_too_long(void **state)
{
	unsigned char hdr[KEEP_HDR] = { K_STDOUT, 0x00, 0x10, 0x00, 0x01 };
	const unsigned char *p;
	size_t off = 0, plen;
	int type;

	(void)state;
	/* KEEP_FRAME_MAX + 1: not one of ours */
	assert_int_equal(keep_frame_next((const char *)hdr, sizeof(hdr), &off,
					 &type, &p, &plen), -1);
	hdr[4] = 0x00;	/* exactly the limit: waits for its payload */
	assert_int_equal(keep_frame_next((const char *)hdr, sizeof(hdr), &off,
					 &type, &p, &plen), 0);
}

static void
test_open_round_trip(void **state)
{
	char *env[] = { "RUST_LOG=debug", "A=", NULL };
	struct keep_open o = { "cd && exec ./p 'a b'", false, env, 2,
			       "xterm-256color", 132, 43 };
	struct keep_open back;
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p;
	size_t off = 0, plen;
	int type;

	(void)state;
	keep_open_encode(&sb, &o);
	assert_int_equal(keep_frame_next(sb.buf, sb.len, &off, &type, &p,
					 &plen), 1);
	assert_int_equal(type, K_OPEN);
	assert_int_equal(keep_open_decode(p, plen, &back), 0);
	assert_string_equal(back.cmd, o.cmd);
	assert_int_equal(back.nenv, 2);
	assert_string_equal(back.env[0], "RUST_LOG=debug");
	assert_string_equal(back.env[1], "A=");
	assert_null(back.env[2]);
	assert_string_equal(back.term, "xterm-256color");
	assert_int_equal(back.cols, 132);
	assert_int_equal(back.rows, 43);
	keep_open_release(&back);
	/* every shorter payload is refused, and so is one byte more */
	for (size_t cut = 0; cut < plen; cut++)
		assert_int_equal(keep_open_decode(p, cut, &back), RPX_EINVAL);
	strbuf_addch(&sb, 'x');
	assert_int_equal(keep_open_decode(p, plen + 1, &back), RPX_EINVAL);
	strbuf_release(&sb);

	/* no pty, no environment */
	memset(&o, 0, sizeof(o));
	o.cmd = "true";
	keep_open_encode(&sb, &o);
	off = 0;
	assert_int_equal(keep_frame_next(sb.buf, sb.len, &off, &type, &p,
					 &plen), 1);
	assert_int_equal(keep_open_decode(p, plen, &back), 0);
	assert_string_equal(back.cmd, "true");
	assert_false(back.subsystem);
	assert_int_equal(back.nenv, 0);
	assert_null(back.term);
	keep_open_release(&back);
	strbuf_release(&sb);

	/* a subsystem: its flag survives; an unknown flag is refused */
	o.cmd = "sftp";
	o.subsystem = true;
	keep_open_encode(&sb, &o);
	off = 0;
	assert_int_equal(keep_frame_next(sb.buf, sb.len, &off, &type, &p,
					 &plen), 1);
	assert_int_equal(keep_open_decode(p, plen, &back), 0);
	assert_true(back.subsystem);
	assert_string_equal(back.cmd, "sftp");
	assert_null(back.term);
	keep_open_release(&back);
	sb.buf[sb.len - 1] = 4;
	assert_int_equal(keep_open_decode(p, plen, &back), RPX_EINVAL);
	strbuf_release(&sb);
}

static void
test_open_hostile(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct keep_open back;

	(void)state;
	/* a NUL inside the command would cut it short unseen */
	keep_put_u32(&sb, 3);
	strbuf_add(&sb, "a\0b", 3);
	keep_put_u32(&sb, 0);
	strbuf_addch(&sb, 0);
	assert_int_equal(keep_open_decode((const unsigned char *)sb.buf,
					  sb.len, &back), RPX_EINVAL);
	/* four billion environment strings in a few bytes */
	strbuf_reset(&sb);
	keep_put_str(&sb, "x");
	keep_put_u32(&sb, 0xffffffffu);
	strbuf_addch(&sb, 0);
	assert_int_equal(keep_open_decode((const unsigned char *)sb.buf,
					  sb.len, &back), RPX_EINVAL);
	strbuf_release(&sb);
}

static void
test_info_round_trip(void **state)
{
	struct keep_info i = { 4242, 600, 17, 2, 0x1234567890ull,
			       "pi@pi4:2222", "pi4", "SHA256:abc" };
	struct keep_info back;
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p;
	size_t off = 0, plen;
	int type;

	(void)state;
	keep_info_encode(&sb, &i);
	assert_int_equal(keep_frame_next(sb.buf, sb.len, &off, &type, &p,
					 &plen), 1);
	assert_int_equal(type, K_INFO);
	assert_int_equal(keep_info_decode(p, plen, &back), 0);
	assert_int_equal(back.pid, 4242);
	assert_int_equal(back.keep_time, 600);
	assert_int_equal(back.idle, 17);
	assert_int_equal(back.clients, 2);
	assert_true(back.started == 0x1234567890ull);
	assert_string_equal(back.display, "pi@pi4:2222");
	assert_string_equal(back.alias, "pi4");
	assert_string_equal(back.fingerprint, "SHA256:abc");
	keep_info_release(&back);
	for (size_t cut = 0; cut < plen; cut++)
		assert_int_equal(keep_info_decode(p, cut, &back), RPX_EINVAL);
	strbuf_release(&sb);
}

/* -vv's names: each frame type its own, anything else "?" */
static void
test_type_names(void **state)
{
	static const int types[] = {
		K_OPEN, K_STDIN, K_EOF, K_WINCH, K_SIGNAL, K_CLOSE, K_STOP,
		K_INFO, K_OPENED, K_FAIL, K_STDOUT, K_STDERR, K_REOF, K_EXIT,
		K_CLOSED, K_LOST,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		assert_string_not_equal(keep_type_name(types[i]), "?");
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(keep_type_name(types[i]),
						keep_type_name(types[j]));
	}
	assert_string_equal(keep_type_name(K_OPEN), "OPEN");
	assert_string_equal(keep_type_name(K_EXIT), "EXIT");
	assert_string_equal(keep_type_name(0), "?");
	assert_string_equal(keep_type_name(99), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_frame_too_long),
		cmocka_unit_test(test_open_round_trip),
		cmocka_unit_test(test_open_hostile),
		cmocka_unit_test(test_info_round_trip),
		cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
