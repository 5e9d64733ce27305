/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* pitest_test.c - the message classifier (text -> cause) on the tools'
 * real messages, remote's failure codes -> cause, names, and the
 * arguments pitest_run() refuses. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pitest.h"

/*
 * The failure classes of the final test, as data: what a step saw (a
 * tool's text and exit status, or remote's failure code with its message)
 * and the cause and subject it must give. subject NULL: not checked.
 */

struct cls_case {
	enum pitest_step step;
	bool remote;		/* through pitest_classify_remote() */
	enum remote_err code;	/* remote's code (remote) */
	const char *text;
	int status;		/* the exit status (not remote), -1: none */
	enum pitest_cause want;
	const char *subject;
};

static const struct cls_case build_cases[] = {
	/* rustc 1.63 and later */
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "   Compiling hello v0.1.0 (/tmp/x)\n"
	  "error: linker `no-such-gcc` not found\n"
	  "  |\n"
	  "  = note: No such file or directory (os error 2)\n\n"
	  "error: could not compile `hello` due to previous error\n",
	  101, PTC_LINKER_NOT_FOUND, "no-such-gcc" },
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error[E0463]: can't find crate for `std`\n"
	  "  |\n"
	  "  = note: the `arm-unknown-linux-gnueabihf` target may not be installed\n"
	  "  = help: consider downloading the target with `rustup target add "
	  "arm-unknown-linux-gnueabihf`\n"
	  "error: cannot find macro `println` in this scope\n",
	  101, PTC_STD_MISSING, "arm-unknown-linux-gnueabihf" },
	/* newer rustc names core first */
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error[E0463]: can't find crate for `core`\n",
	  101, PTC_STD_MISSING, NULL },
	/* the host's gcc given ARM objects */
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error: linking with `gcc` failed: exit status: 1\n"
	  "  = note: \"gcc\" \"-m64\" ...\n"
	  "  = note: /usr/bin/ld: /tmp/x.o: relocations in generic ELF (EM: 40)\n"
	  "          /usr/bin/ld: /tmp/x.o: error adding symbols: file in wrong format\n"
	  "          collect2: error: ld returned 1 exit status\n",
	  101, PTC_WRONG_LINKER, "gcc" },
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error: linking with `arm-linux-gnueabihf-ld` failed: exit status: 1\n"
	  "  = note: arm-linux-gnueabihf-ld: error: /tmp/a.o has EABI version 5, "
	  "but target x has EABI version 0\n",
	  101, PTC_WRONG_LINKER, NULL },
	/* a bare ld or rust-lld for a gnu target */
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error: linking with `rust-lld` failed: exit status: 1\n"
	  "  = note: rust-lld: error: unable to find library -lgcc_s\n",
	  101, PTC_LINK_FAILED, "rust-lld" },
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error: linking with `arm-linux-gnueabihf-ld` failed: exit status: 1\n"
	  "  = note: arm-linux-gnueabihf-ld: cannot find -lgcc_s\n",
	  101, PTC_LINK_FAILED, NULL },
	/* C libraries: what a crate's build script or the link says */
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "  pkg-config has not been configured to support cross-compilation."
	  "\n  could not find system library 'openssl' required by the "
	  "'openssl-sys' crate\n",
	  101, PTC_PKG_CONFIG_CROSS, "openssl-sys" },
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "`\"pkg-config\" \"--libs\" \"--cflags\" \"sqlite3\"` did not exit "
	  "successfully: exit status: 1\nerror: could not find system library "
	  "'sqlite3' required by the 'libsqlite3-sys' crate\n",
	  101, PTC_LIB_MISSING, "sqlite3" },
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error: linking with `arm-linux-gnueabihf-gcc` failed: exit status: 1\n"
	  "  = note: /usr/bin/arm-linux-gnueabihf-ld: cannot find -lasound: "
	  "No such file or directory\n",
	  101, PTC_LIB_MISSING, "asound" },
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error: linking with `arm-linux-gnueabihf-gcc` failed: exit status: 1\n"
	  "  = note: /usr/bin/arm-linux-gnueabihf-ld: skipping incompatible "
	  "/usr/lib/x86_64-linux-gnu/libssl.so when searching for -lssl\n",
	  101, PTC_HOST_LIB, "ssl" },
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error: linking with `arm-linux-gnueabihf-gcc` failed: exit status: 1\n"
	  "  = note: /usr/bin/arm-linux-gnueabihf-ld: /usr/lib/x86_64-linux-gnu/"
	  "libz.so: error adding symbols: file in wrong format\n",
	  101, PTC_HOST_LIB, "z" },
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "  cargo:warning=src/zlib.c:1:10: fatal error: zlib.h: No such file "
	  "or directory\nerror: failed to run custom build command\n",
	  101, PTC_HEADER_MISSING, "zlib.h" },
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "  expando.c:1:10: fatal error: 'openssl/opensslv.h' file not found\n",
	  101, PTC_HEADER_MISSING, "openssl/opensslv.h" },
	/* a cargo newer than its rustc */
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error: failed to run `rustc` to learn about target-specific "
	  "information\n\nCaused by:\n  error: unknown print request "
	  "`split-debuginfo`\n",
	  101, PTC_NO_TOOLCHAIN, NULL },
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error: could not execute process `rustc -vV` (never executed)\n",
	  101, PTC_NO_TOOLCHAIN, "rustc" },
	/* the program's own compile error */
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "error[E0308]: mismatched types\n --> src/main.rs:2:18\n"
	  "error: could not compile `blinky` due to previous error\n",
	  101, PTC_BUILD_FAILED, NULL },
	{ PT_BUILD, false, REMOTE_ERR_NONE,
	  "",
	  0, PTC_NONE, NULL },
};

static const struct cls_case connect_cases[] = {
	/* remote's failures are codes; the messages they come with are shown */
	{ PT_CONNECT, true, REMOTE_ERR_CONNECT,
	  "cannot connect to 'pi@127.0.0.1:1': Connection refused",
	  -1, PTC_CONNECT, NULL },
	{ PT_CONNECT, true, REMOTE_ERR_TIMEOUT,
	  "cannot connect to 'pi@10.0.0.9': no answer within 2 s "
	  "(Timeout connecting to 10.0.0.9)",
	  -1, PTC_CONNECT, NULL },
	{ PT_CONNECT, true, REMOTE_ERR_HOSTKEY_UNKNOWN,
	  "the host key of '[127.0.0.1]:2222' is not known: refusing to "
	  "connect\n  the server offers ssh-ed25519 SHA256:x",
	  -1, PTC_HOST_KEY, "unknown" },
	{ PT_CONNECT, true, REMOTE_ERR_HOSTKEY_CHANGED,
	  "the host key of '[127.0.0.1]:2222' has changed: refusing to "
	  "connect\n  ssh-keygen -R '[127.0.0.1]:2222'",
	  -1, PTC_HOST_KEY, "changed" },
	{ PT_CONNECT, true, REMOTE_ERR_AUTH,
	  "cannot log in to 'pi@h' as 'pi' (tried: no ssh-agent; the "
	  "server accepts: publickey)",
	  -1, PTC_AUTH, NULL },
	{ PT_CONNECT, true, REMOTE_ERR_NONE,
	  "",
	  -1, PTC_NONE, NULL },
	{ PT_CONNECT, true, REMOTE_ERR_PROTOCOL,
	  "something odd",
	  -1, PTC_OTHER, NULL },
	/* the words are remote's, not a classifier's input */
	{ PT_CONNECT, false, REMOTE_ERR_NONE,
	  "cannot connect to 'pi@h'",
	  -1, PTC_OTHER, NULL },
};

static const struct cls_case pi_cases[] = {
	/* upload */
	{ PT_UPLOAD, false, REMOTE_ERR_NONE,
	  "cannot upload 'h' to 'pi@h:~/.cache/rpi-cross/': mkdir: can't "
	  "create directory '/home/pi/.cache': Permission denied",
	  -1, PTC_PERMISSION, NULL },
	{ PT_UPLOAD, false, REMOTE_ERR_NONE,
	  "cannot upload 'h' to 'pi@h:~/.cache/rpi-cross/': cat: write "
	  "error: No space left on device",
	  -1, PTC_DISK_FULL, NULL },
	{ PT_UPLOAD, false, REMOTE_ERR_NONE,
	  "mkdir: cannot create directory: Read-only file system",
	  -1, PTC_PERMISSION, NULL },
	{ PT_UPLOAD, true, REMOTE_ERR_LOST,
	  "lost the connection to 'pi@h' during the upload",
	  -1, PTC_CONNECT, NULL },
	/* the Pi's reason in remote's upload message */
	{ PT_UPLOAD, true, REMOTE_ERR_UPLOAD,
	  "cannot upload 'h' to 'pi@h:~/.cache/rpi-cross/': mkdir: can't "
	  "create directory '/home/pi/.cache': Permission denied",
	  -1, PTC_PERMISSION, NULL },
	{ PT_UPLOAD, true, REMOTE_ERR_DISK_FULL,
	  "cannot upload 'h' to 'pi@h:~/.cache/rpi-cross/': cat: write "
	  "error: No space left on device",
	  -1, PTC_DISK_FULL, NULL },
	{ PT_UPLOAD, true, REMOTE_ERR_TIMEOUT,
	  "upload to 'pi@h' stalled for 10 s",
	  -1, PTC_OTHER, NULL },
	/* run */
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "sh: 3: exec: /home/pi/.cache/rpi-cross/0123/hello: Exec format "
	  "error\n",
	  126, PTC_EXEC_FORMAT, NULL },
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "Illegal instruction\n",
	  132, PTC_ILLEGAL_INSN, NULL },
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "",
	  132, PTC_ILLEGAL_INSN, NULL },
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "qemu: uncaught target signal 4 (Illegal instruction) - core "
	  "dumped\n",
	  132, PTC_ILLEGAL_INSN, NULL },
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "./hello: /lib/arm-linux-gnueabihf/libc.so.6: version "
	  "`GLIBC_2.34' not found (required by ./hello)\n",
	  1, PTC_GLIBC_TOO_NEW, "2.34" },
	/* the file is there, its loader is not */
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "sh: 3: exec: /home/pi/.cache/rpi-cross/0123/hello: not found\n",
	  127, PTC_NO_LOADER, NULL },
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "qemu-arm: Could not open '/lib/ld-linux-armhf.so.3': No such "
	  "file or directory\n",
	  255, PTC_NO_LOADER, NULL },
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "bash: ./hello: No such file or directory\n",
	  127, PTC_NO_LOADER, NULL },
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "sh: 3: exec: /home/pi/.cache/rpi-cross/0123/hello: Permission "
	  "denied\n",
	  126, PTC_PERMISSION, NULL },
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "boom\n",
	  3, PTC_RUN_FAILED, NULL },
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "",
	  137, PTC_RUN_FAILED, NULL },
	{ PT_RUN, false, REMOTE_ERR_NONE,
	  "a warning only\n",
	  0, PTC_NONE, NULL },
};

static void
check_cases(const struct cls_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct cls_case *c = &cases[i];
		char sub[64] = "";
		enum pitest_cause got;

		got = c->remote ?
			pitest_classify_remote(c->step, c->code, c->text, sub,
					       sizeof(sub)) :
			pitest_classify(c->step, c->text, c->status, sub,
					sizeof(sub));
		if (got != c->want)
			fail_msg("case %zu (%s): %s, expected %s", i,
				 pitest_step_name(c->step),
				 pitest_cause_name(got),
				 pitest_cause_name(c->want));
		if (c->subject != NULL && strcmp(sub, c->subject) != 0)
			fail_msg("case %zu (%s): subject '%s', expected '%s'",
				 i, pitest_step_name(c->step), sub, c->subject);
	}
}

static void
test_build_messages(void **state)
{
	(void)state;
	check_cases(build_cases, sizeof(build_cases) / sizeof(build_cases[0]));
	/* no text and nowhere to put a subject */
	assert_int_equal(pitest_classify(PT_BUILD, NULL, 0, NULL, 64),
			 PTC_NONE);
}

/* remote's failures are codes; the messages they come with are shown,
 * and the words alone are no classifier's input */
static void
test_connect_messages(void **state)
{
	(void)state;
	check_cases(connect_cases,
		    sizeof(connect_cases) / sizeof(connect_cases[0]));
}

static void
test_pi_messages(void **state)
{
	(void)state;
	check_cases(pi_cases, sizeof(pi_cases) / sizeof(pi_cases[0]));
}

static void
test_names(void **state)
{
	(void)state;
	for (int c = 0; c < PTC_COUNT; c++) {
		const char *n = pitest_cause_name((enum pitest_cause)c);

		assert_non_null(n);
		assert_string_not_equal(n, "?");
		for (int d = 0; d < c; d++)
			assert_string_not_equal(n, pitest_cause_name(
				(enum pitest_cause)d));
	}
	assert_string_equal(pitest_cause_name(PTC_GLIBC_TOO_NEW),
			    "glibc-too-new");
	assert_string_equal(pitest_cause_name(PTC_COUNT), "?");
	assert_string_equal(pitest_step_name(PT_BUILD), "build");
	assert_string_equal(pitest_step_title(PT_UPLOAD), "Upload");
	assert_string_equal(pitest_step_name(PT_STEP_COUNT), "?");
}

static void
test_refuses_incomplete_opts(void **state)
{
	struct pitest_opts o;
	struct pitest_result r;

	(void)state;
	pitest_opts_init(&o);
	pitest_result_init(&r);
	assert_int_equal(r.exit_status, -1);
	assert_int_equal(pitest_run(&o, &r), RPX_EINVAL);
	assert_int_equal(r.cause, PTC_OTHER);
	assert_non_null(strstr(r.message, "no target"));
	pitest_result_release(&r);
	/* a target but neither a host nor emulate */
	o.target = target_find("armv7-unknown-linux-gnueabihf");
	assert_int_equal(pitest_run(&o, &r), RPX_EINVAL);
	assert_non_null(strstr(r.message, "no host"));
	for (int s = 0; s < PT_STEP_COUNT; s++)
		assert_int_equal(r.status[s], PT_PENDING);
	pitest_result_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_messages),
		cmocka_unit_test(test_connect_messages),
		cmocka_unit_test(test_pi_messages),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_refuses_incomplete_opts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
