/* pitest_test.c - the message classifier (text -> cause) on the tools'
 * real messages, remote's failure codes -> cause, names, and the
 * arguments pitest_run() refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pitest.h"

static enum pitest_cause
cls(enum pitest_step s, const char *text, int status, char *sub)
{
	return pitest_classify(s, text, status, sub, 64);
}

static void
test_build_messages(void **state)
{
	char sub[64];

	(void)state;
	/* rustc 1.63 and later */
	assert_int_equal(cls(PT_BUILD,
		"   Compiling hello v0.1.0 (/tmp/x)\n"
		"error: linker `no-such-gcc` not found\n"
		"  |\n"
		"  = note: No such file or directory (os error 2)\n\n"
		"error: could not compile `hello` due to previous error\n",
		101, sub), PTC_LINKER_NOT_FOUND);
	assert_string_equal(sub, "no-such-gcc");

	assert_int_equal(cls(PT_BUILD,
		"error[E0463]: can't find crate for `std`\n"
		"  |\n"
		"  = note: the `arm-unknown-linux-gnueabihf` target may not be installed\n"
		"  = help: consider downloading the target with `rustup target add "
		"arm-unknown-linux-gnueabihf`\n"
		"error: cannot find macro `println` in this scope\n", 101, sub),
		PTC_STD_MISSING);
	assert_string_equal(sub, "arm-unknown-linux-gnueabihf");
	/* newer rustc names core first */
	assert_int_equal(cls(PT_BUILD,
		"error[E0463]: can't find crate for `core`\n", 101, sub),
		PTC_STD_MISSING);

	/* the host's gcc given ARM objects */
	assert_int_equal(cls(PT_BUILD,
		"error: linking with `gcc` failed: exit status: 1\n"
		"  = note: \"gcc\" \"-m64\" ...\n"
		"  = note: /usr/bin/ld: /tmp/x.o: relocations in generic ELF (EM: 40)\n"
		"          /usr/bin/ld: /tmp/x.o: error adding symbols: file in wrong format\n"
		"          collect2: error: ld returned 1 exit status\n", 101, sub),
		PTC_WRONG_LINKER);
	assert_string_equal(sub, "gcc");
	assert_int_equal(cls(PT_BUILD,
		"error: linking with `arm-linux-gnueabihf-ld` failed: exit status: 1\n"
		"  = note: arm-linux-gnueabihf-ld: error: /tmp/a.o has EABI version 5, "
		"but target x has EABI version 0\n", 101, sub), PTC_WRONG_LINKER);
	/* a bare ld or rust-lld for a gnu target */
	assert_int_equal(cls(PT_BUILD,
		"error: linking with `rust-lld` failed: exit status: 1\n"
		"  = note: rust-lld: error: unable to find library -lgcc_s\n",
		101, sub), PTC_LINK_FAILED);
	assert_string_equal(sub, "rust-lld");
	assert_int_equal(cls(PT_BUILD,
		"error: linking with `arm-linux-gnueabihf-ld` failed: exit status: 1\n"
		"  = note: arm-linux-gnueabihf-ld: cannot find -lgcc_s\n", 101,
		sub), PTC_LINK_FAILED);
	/* a cargo newer than its rustc */
	assert_int_equal(cls(PT_BUILD,
		"error: failed to run `rustc` to learn about target-specific "
		"information\n\nCaused by:\n  error: unknown print request "
		"`split-debuginfo`\n", 101, sub), PTC_NO_TOOLCHAIN);
	assert_int_equal(cls(PT_BUILD,
		"error: could not execute process `rustc -vV` (never executed)\n",
		101, sub), PTC_NO_TOOLCHAIN);
	assert_string_equal(sub, "rustc");
	/* the program's own compile error */
	assert_int_equal(cls(PT_BUILD,
		"error[E0308]: mismatched types\n --> src/main.rs:2:18\n"
		"error: could not compile `blinky` due to previous error\n", 101,
		sub), PTC_BUILD_FAILED);
	assert_int_equal(cls(PT_BUILD, "", 0, sub), PTC_NONE);
	assert_int_equal(cls(PT_BUILD, NULL, 0, NULL), PTC_NONE);
}

/* remote's failures are codes; the messages they come with are shown */
static enum pitest_cause
rcls(enum pitest_step s, enum remote_err code, const char *text, char *sub)
{
	return pitest_classify_remote(s, code, text, sub, 64);
}

static void
test_connect_messages(void **state)
{
	char sub[64];

	(void)state;
	assert_int_equal(rcls(PT_CONNECT, REMOTE_ERR_CONNECT,
		"cannot connect to 'pi@127.0.0.1:1': Connection refused", sub),
		PTC_CONNECT);
	assert_int_equal(rcls(PT_CONNECT, REMOTE_ERR_TIMEOUT,
		"cannot connect to 'pi@10.0.0.9': no answer within 2 s "
		"(Timeout connecting to 10.0.0.9)", sub), PTC_CONNECT);
	assert_int_equal(rcls(PT_CONNECT, REMOTE_ERR_HOSTKEY_UNKNOWN,
		"the host key of '[127.0.0.1]:2222' is not known: refusing to "
		"connect\n  the server offers ssh-ed25519 SHA256:x", sub),
		PTC_HOST_KEY);
	assert_string_equal(sub, "unknown");
	assert_int_equal(rcls(PT_CONNECT, REMOTE_ERR_HOSTKEY_CHANGED,
		"the host key of '[127.0.0.1]:2222' has changed: refusing to "
		"connect\n  ssh-keygen -R '[127.0.0.1]:2222'", sub),
		PTC_HOST_KEY);
	assert_string_equal(sub, "changed");
	assert_int_equal(rcls(PT_CONNECT, REMOTE_ERR_AUTH,
		"cannot log in to 'pi@h' as 'pi' (tried: no ssh-agent; the "
		"server accepts: publickey)", sub), PTC_AUTH);
	assert_int_equal(rcls(PT_CONNECT, REMOTE_ERR_NONE, "", sub), PTC_NONE);
	assert_int_equal(rcls(PT_CONNECT, REMOTE_ERR_PROTOCOL,
		"something odd", sub), PTC_OTHER);
	/* the words are remote's, not a classifier's input */
	assert_int_equal(cls(PT_CONNECT, "cannot connect to 'pi@h'", -1, sub),
		PTC_OTHER);
}

static void
test_pi_messages(void **state)
{
	char sub[64];

	(void)state;
	/* upload */
	assert_int_equal(cls(PT_UPLOAD,
		"cannot upload 'h' to 'pi@h:~/.cache/rpi-cross/': mkdir: can't "
		"create directory '/home/pi/.cache': Permission denied", -1,
		sub), PTC_PERMISSION);
	assert_int_equal(cls(PT_UPLOAD,
		"cannot upload 'h' to 'pi@h:~/.cache/rpi-cross/': cat: write "
		"error: No space left on device", -1, sub), PTC_DISK_FULL);
	assert_int_equal(cls(PT_UPLOAD,
		"mkdir: cannot create directory: Read-only file system", -1,
		sub), PTC_PERMISSION);
	assert_int_equal(rcls(PT_UPLOAD, REMOTE_ERR_LOST,
		"lost the connection to 'pi@h' during the upload", sub),
		PTC_CONNECT);
	/* the Pi's reason in remote's upload message */
	assert_int_equal(rcls(PT_UPLOAD, REMOTE_ERR_UPLOAD,
		"cannot upload 'h' to 'pi@h:~/.cache/rpi-cross/': mkdir: can't "
		"create directory '/home/pi/.cache': Permission denied", sub),
		PTC_PERMISSION);
	assert_int_equal(rcls(PT_UPLOAD, REMOTE_ERR_DISK_FULL,
		"cannot upload 'h' to 'pi@h:~/.cache/rpi-cross/': cat: write "
		"error: No space left on device", sub), PTC_DISK_FULL);
	assert_int_equal(rcls(PT_UPLOAD, REMOTE_ERR_TIMEOUT,
		"upload to 'pi@h' stalled for 10 s", sub), PTC_OTHER);
	/* run */
	assert_int_equal(cls(PT_RUN,
		"sh: 3: exec: /home/pi/.cache/rpi-cross/0123/hello: Exec format "
		"error\n", 126, sub), PTC_EXEC_FORMAT);
	assert_int_equal(cls(PT_RUN, "Illegal instruction\n", 132, sub),
		PTC_ILLEGAL_INSN);
	assert_int_equal(cls(PT_RUN, "", 132, sub), PTC_ILLEGAL_INSN);
	assert_int_equal(cls(PT_RUN,
		"qemu: uncaught target signal 4 (Illegal instruction) - core "
		"dumped\n", 132, sub), PTC_ILLEGAL_INSN);
	assert_int_equal(cls(PT_RUN,
		"./hello: /lib/arm-linux-gnueabihf/libc.so.6: version "
		"`GLIBC_2.34' not found (required by ./hello)\n", 1, sub),
		PTC_GLIBC_TOO_NEW);
	assert_string_equal(sub, "2.34");
	/* the file is there, its loader is not */
	assert_int_equal(cls(PT_RUN,
		"sh: 3: exec: /home/pi/.cache/rpi-cross/0123/hello: not found\n",
		127, sub), PTC_NO_LOADER);
	assert_int_equal(cls(PT_RUN,
		"qemu-arm: Could not open '/lib/ld-linux-armhf.so.3': No such "
		"file or directory\n", 255, sub), PTC_NO_LOADER);
	assert_int_equal(cls(PT_RUN,
		"bash: ./hello: No such file or directory\n", 127, sub),
		PTC_NO_LOADER);
	assert_int_equal(cls(PT_RUN,
		"sh: 3: exec: /home/pi/.cache/rpi-cross/0123/hello: Permission "
		"denied\n", 126, sub), PTC_PERMISSION);
	assert_int_equal(cls(PT_RUN, "boom\n", 3, sub), PTC_RUN_FAILED);
	assert_int_equal(cls(PT_RUN, "", 137, sub), PTC_RUN_FAILED);
	assert_int_equal(cls(PT_RUN, "a warning only\n", 0, sub), PTC_NONE);
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
