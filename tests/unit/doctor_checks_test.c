/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* doctor_checks_test.c - the pure helpers of the doctor's checks: the SSH
 * outcome classes, the glibc and free-space verdicts. (Cargo values as
 * lists are tested in cargo_config_test.c, target-cpu in rustflags in
 * rustflags_test.c, a core's ISA in cpu_test.c.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doctor.h"
#include "doctor/doctor_int.h"
#include "rpx.h"
#include "toml.h"

#define assert_has(hay, needle) do { \
	if (strstr((hay), (needle)) == NULL) \
		fail_msg("'%s' lacks '%s'", (hay), (needle)); \
} while (0)

static void
test_classify(void **state)
{
	(void)state;
	assert_int_equal(doctor_host_classify(0, REMOTE_ERR_NONE, false),
			 DOCTOR_HOST_OK);
	/* the host-key question was asked: unknown, whatever the code */
	assert_int_equal(doctor_host_classify(RPX_ECANCELED,
					      REMOTE_ERR_HOSTKEY_UNKNOWN, true),
			 DOCTOR_HOST_KEY_UNKNOWN);
	/* "has changed", and "has changed (a key of another type was
	 * known)": one code */
	assert_int_equal(doctor_host_classify(RPX_EINVAL,
					      REMOTE_ERR_HOSTKEY_CHANGED,
					      false), DOCTOR_HOST_KEY_CHANGED);
	/* "cannot connect to 'pi@h': no answer within 10 s" */
	assert_int_equal(doctor_host_classify(RPX_ETIMEOUT, REMOTE_ERR_TIMEOUT,
					      false), DOCTOR_HOST_TIMEOUT);
	/* "cannot connect to 'pi@h:1': Connection refused" */
	assert_int_equal(doctor_host_classify(RPX_EIO, REMOTE_ERR_CONNECT,
					      false), DOCTOR_HOST_UNREACHABLE);
	assert_int_equal(doctor_host_classify(RPX_EIO, REMOTE_ERR_PROXY,
					      false), DOCTOR_HOST_UNREACHABLE);
	/* "cannot log in to 'pi@h' as 'pi' (tried: ...)" and
	 * "authentication with 'pi@h' failed: x" */
	assert_int_equal(doctor_host_classify(RPX_ECANCELED, REMOTE_ERR_AUTH,
					      false), DOCTOR_HOST_AUTH);
	assert_int_equal(doctor_host_classify(RPX_EIO, REMOTE_ERR_AUTH, false),
			 DOCTOR_HOST_AUTH);
	/* "cannot check the host key of 'h' against 'f': x" */
	assert_int_equal(doctor_host_classify(RPX_EIO, REMOTE_ERR_HOSTKEY,
					      false), DOCTOR_HOST_KEY_ERROR);
	/* "bad port in 'h:x'" */
	assert_int_equal(doctor_host_classify(RPX_EINVAL,
					      REMOTE_ERR_BAD_TARGET, false),
			 DOCTOR_HOST_BAD_TARGET);
	assert_int_equal(doctor_host_classify(RPX_EIO, REMOTE_ERR_NONE, false),
			 DOCTOR_HOST_UNREACHABLE);
}

static void
test_glibc_verdict(void **state)
{
	const struct target *gnu = target_find("armv7-unknown-linux-gnueabihf");
	const struct target *musl = target_find("aarch64-unknown-linux-musl");
	const struct target *a64 = target_find("aarch64-unknown-linux-gnu");
	char msg[400], fix[400];

	(void)state;
	assert_int_equal(doctor_glibc_verdict("2.36", NULL, gnu, msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_PASS);
	assert_string_equal(fix, "");
	assert_int_equal(doctor_glibc_verdict("2.41", "2.36", gnu, msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_PASS);
	/* bullseye's 2.31: the toolchain's binaries need GLIBC_2.34 */
	assert_int_equal(doctor_glibc_verdict("2.31", NULL, gnu, msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_FAIL);
	assert_has(msg, "GLIBC_2.34 not found");
	assert_has(fix, "--target armv7-unknown-linux-musleabihf");
	assert_has(fix, "glibc <= 2.31");
	assert_int_equal(doctor_glibc_verdict("2.31", NULL, a64, msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_FAIL);
	assert_has(fix, "--target aarch64-unknown-linux-musl");
	/* no target given: a warning, not a failure */
	assert_int_equal(doctor_glibc_verdict("2.31", NULL, NULL, msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_WARN);
	assert_has(msg, "if you build gnu");
	/* between 2.34 and the toolchain's: a warning */
	assert_int_equal(doctor_glibc_verdict("2.35", "2.36", gnu, msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_WARN);
	assert_has(msg, "GLIBC_2.36");
	/* 2.4 < 2.34 numerically, not as text */
	assert_int_equal(doctor_glibc_verdict("2.4", NULL, gnu, msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_FAIL);
	/* musl does not care; no glibc at all fails a gnu target */
	assert_int_equal(doctor_glibc_verdict("2.31", NULL, musl, msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_PASS);
	assert_has(msg, "static musl");
	assert_int_equal(doctor_glibc_verdict("", NULL, gnu, msg, sizeof(msg),
					      fix, sizeof(fix)), DOCTOR_FAIL);
	assert_has(msg, "no glibc found");
	assert_int_equal(doctor_glibc_verdict(NULL, NULL, musl, msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_PASS);
}

static void
test_space_verdict(void **state)
{
	char msg[400], fix[400];

	(void)state;
	assert_int_equal(doctor_space_verdict(4 * 1024, "/home/pi", msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_FAIL);
	assert_has(msg, "4.0 MB free in /home/pi");
	assert_has(fix, "free space");
	assert_int_equal(doctor_space_verdict(10 * 1024, "/home/pi", msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_WARN);
	assert_int_equal(doctor_space_verdict(100 * 1024, "/home/pi", msg,
					      sizeof(msg), fix, sizeof(fix)),
			 DOCTOR_PASS);
	assert_string_equal(fix, "");
	assert_int_equal(doctor_space_verdict(3 * 1024 * 1024 / 2, "/home/pi",
					      msg, sizeof(msg), fix,
					      sizeof(fix)), DOCTOR_PASS);
	assert_has(msg, "1.5 GB free in /home/pi");
	assert_int_equal(doctor_space_verdict(-1, "", msg, sizeof(msg), fix,
					      sizeof(fix)), DOCTOR_WARN);
	assert_has(msg, "the home folder");
}

static void
test_no_host_no_network(void **state)
{
	struct doctor_input in;
	struct doctor_result r;

	(void)state;
	memset(&in, 0, sizeof(in));
	memset(&r, 0, sizeof(r));
	doctor_check_host_reachable(&in, &r);
	assert_int_equal(r.status, DOCTOR_SKIP);
	assert_has(r.message, "no host given");
	doctor_check_host_glibc(&in, &r);
	assert_int_equal(r.status, DOCTOR_SKIP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_glibc_verdict),
		cmocka_unit_test(test_space_verdict),
		cmocka_unit_test(test_no_host_no_network),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
