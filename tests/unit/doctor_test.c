/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* doctor_test.c - the check runner: order, concurrency, needs, reports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "doctor.h"
#include "rpx.h"

#define assert_has(hay, needle) do { \
	if (strstr((hay), (needle)) == NULL) \
		fail_msg("'%s' lacks '%s'", (hay), (needle)); \
} while (0)

/* Shared by the test checks through doctor_input.opaque. */
struct shared {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int arrived;		/* checks that reached the rendezvous */
	int running;		/* checks running now */
	int max_running;	/* the most seen at once */
	int finished[16];	/* finishing order: ids by index */
	int nfinished;
	int rendezvous_ms;	/* how long to wait for the partner */
};

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void
enter(struct shared *sh)
{
	pthread_mutex_lock(&sh->lock);
	sh->running++;
	if (sh->running > sh->max_running)
		sh->max_running = sh->running;
	pthread_mutex_unlock(&sh->lock);
}

static void
leave(struct shared *sh, int idx)
{
	pthread_mutex_lock(&sh->lock);
	sh->running--;
	sh->finished[sh->nfinished++] = idx;
	pthread_cond_broadcast(&sh->cond);
	pthread_mutex_unlock(&sh->lock);
}

/* Sleep by position so that later checks finish first. */
#define SLEEPER(n, ms) \
static void \
sleeper_##n(const struct doctor_input *in, struct doctor_result *r) \
{ \
	enter(in->opaque); \
	sleep_ms(ms); \
	doctor_set(r, (n) == 2 ? DOCTOR_FAIL : DOCTOR_PASS, \
		   (n) == 2 ? "do this" : NULL, "check %d", n); \
	leave(in->opaque, n); \
}
/*
 * The first check waits (up to rendezvous_ms) until another one has
 * finished: with more than one thread, the report order cannot come from
 * the finishing order, whatever the timing (valgrind runs threads slowly).
 */
static void
sleeper_0(const struct doctor_input *in, struct doctor_result *r)
{
	struct shared *sh = in->opaque;
	struct timespec until;
	int rc = 0;

	enter(sh);
	sleep_ms(60);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += sh->rendezvous_ms / 1000;
	pthread_mutex_lock(&sh->lock);
	while (sh->rendezvous_ms > 0 && sh->nfinished == 0 && rc == 0)
		rc = pthread_cond_timedwait(&sh->cond, &sh->lock, &until);
	pthread_mutex_unlock(&sh->lock);
	doctor_set(r, rc == 0 ? DOCTOR_PASS : DOCTOR_FAIL, NULL, "check 0");
	leave(sh, 0);
}
SLEEPER(1, 45)
SLEEPER(2, 30)
SLEEPER(3, 15)
SLEEPER(4, 5)
SLEEPER(5, 1)

static const struct doctor_check sleepers[] = {
	{ "c0", "Check zero", NULL, sleeper_0 },
	{ "c1", "Check one", NULL, sleeper_1 },
	{ "c2", "Check two", NULL, sleeper_2 },
	{ "c3", "Check three", NULL, sleeper_3 },
	{ "c4", "Check four", NULL, sleeper_4 },
	{ "c5", "Check five", NULL, sleeper_5 },
};

static void
shared_init(struct shared *sh)
{
	memset(sh, 0, sizeof(*sh));
	pthread_mutex_init(&sh->lock, NULL);
	pthread_cond_init(&sh->cond, NULL);
	sh->rendezvous_ms = 3000;
}

static void
shared_release(struct shared *sh)
{
	pthread_cond_destroy(&sh->cond);
	pthread_mutex_destroy(&sh->lock);
}

static void
test_results_in_table_order(void **state)
{
	struct shared sh;
	struct doctor_input in = { NULL, NULL, NULL, NULL, &sh, NULL, NULL };
	struct doctor_result res[6];
	int failed;

	(void)state;
	shared_init(&sh);
	failed = doctor_run(sleepers, 6, &in, 3, res);
	assert_int_equal(failed, 1);
	for (int i = 0; i < 6; i++) {
		char want[32];

		snprintf(want, sizeof(want), "check %d", i);
		assert_string_equal(res[i].message, want);
		assert_int_equal(res[i].status, i == 2 ? DOCTOR_FAIL : DOCTOR_PASS);
	}
	assert_string_equal(res[2].fix, "do this");
	assert_string_equal(res[0].fix, "");
	assert_true(res[0].ms >= 50);
	/* They did not finish in table order, yet the report is. */
	assert_int_equal(sh.nfinished, 6);
	assert_int_not_equal(sh.finished[0], 0);
	/* Bounded: never more than 3 at once, and really concurrent. */
	assert_true(sh.max_running <= 3);
	assert_true(sh.max_running >= 2);
	shared_release(&sh);
}

static void
test_one_thread_is_serial(void **state)
{
	struct shared sh;
	struct doctor_input in = { NULL, NULL, NULL, NULL, &sh, NULL, NULL };
	struct doctor_result res[6];

	(void)state;
	shared_init(&sh);
	sh.rendezvous_ms = 0;
	assert_int_equal(doctor_run(sleepers, 6, &in, 1, res), 1);
	assert_int_equal(sh.max_running, 1);
	for (int i = 0; i < 6; i++)
		assert_int_equal(sh.finished[i], i);
	shared_release(&sh);
	/* Out-of-range bounds are clamped, not trusted. */
	shared_init(&sh);
	sh.rendezvous_ms = 0;
	assert_int_equal(doctor_run(sleepers, 6, &in, 0, res), 1);
	assert_int_equal(sh.max_running, 1);
	shared_release(&sh);
	shared_init(&sh);
	assert_int_equal(doctor_run(sleepers, 6, &in, 1000, res), 1);
	assert_true(sh.max_running <= DOCTOR_MAX_THREADS);
	shared_release(&sh);
}

/* Two checks that each wait for the other: pass only when concurrent. */
static void
meet(const struct doctor_input *in, struct doctor_result *r)
{
	struct shared *sh = in->opaque;
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += sh->rendezvous_ms / 1000;
	until.tv_nsec += (sh->rendezvous_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&sh->lock);
	sh->arrived++;
	pthread_cond_broadcast(&sh->cond);
	while (sh->arrived < 2 && rc == 0)
		rc = pthread_cond_timedwait(&sh->cond, &sh->lock, &until);
	pthread_mutex_unlock(&sh->lock);
	if (rc == 0)
		doctor_set(r, DOCTOR_PASS, NULL, "met");
	else
		doctor_set(r, DOCTOR_FAIL, "run concurrently", "alone");
}

static void
test_independent_checks_run_concurrently(void **state)
{
	static const struct doctor_check pair[] = {
		{ "a", "A", NULL, meet },
		{ "b", "B", NULL, meet },
	};
	struct shared sh;
	struct doctor_input in = { NULL, NULL, NULL, NULL, &sh, NULL, NULL };
	struct doctor_result res[2];

	(void)state;
	shared_init(&sh);
	assert_int_equal(doctor_run(pair, 2, &in, 2, res), 0);
	assert_string_equal(res[0].message, "met");
	assert_string_equal(res[1].message, "met");
	shared_release(&sh);
	/* On one thread the first waits in vain: the bound is real. */
	shared_init(&sh);
	sh.rendezvous_ms = 200;
	assert_int_equal(doctor_run(pair, 2, &in, 1, res), 1);
	assert_string_equal(res[0].message, "alone");
	assert_string_equal(res[1].message, "met");
	shared_release(&sh);
}

static void
fails(const struct doctor_input *in, struct doctor_result *r)
{
	struct shared *sh = in->opaque;

	sleep_ms(20);
	doctor_set(r, DOCTOR_FAIL, "fix the base", "base broken");
	leave(sh, 0);
}

static void
passes(const struct doctor_input *in, struct doctor_result *r)
{
	struct shared *sh = in->opaque;

	sleep_ms(20);
	doctor_set(r, DOCTOR_PASS, NULL, "base fine");
	leave(sh, 0);
}

static void
dependent(const struct doctor_input *in, struct doctor_result *r)
{
	struct shared *sh = in->opaque;
	int done;

	pthread_mutex_lock(&sh->lock);
	done = sh->nfinished;
	pthread_mutex_unlock(&sh->lock);
	doctor_set(r, DOCTOR_PASS, NULL, "ran after %d", done);
	leave(sh, 1);
}

static void
test_needs(void **state)
{
	const struct doctor_check failing[] = {
		{ "base", "Base check", NULL, fails },
		{ "dep", "Dependent check", "base", dependent },
		{ "later", "Needs a later one", "after", dependent },
		{ "after", "After", NULL, NULL },
	};
	const struct doctor_check passing[] = {
		{ "base", "Base check", NULL, passes },
		{ "dep", "Dependent check", "base", dependent },
	};
	struct shared sh;
	struct doctor_input in = { NULL, NULL, NULL, NULL, &sh, NULL, NULL };
	struct doctor_result res[4];

	(void)state;
	shared_init(&sh);
	assert_int_equal(doctor_run(failing, 4, &in, 4, res), 1);
	assert_int_equal(res[1].status, DOCTOR_SKIP);
	assert_string_equal(res[1].message, "skipped: it needs 'Base check', "
			    "which failed");
	/* A needs naming a later check is ignored: it just runs. */
	assert_int_equal(res[2].status, DOCTOR_PASS);
	/* A check without a function is listed as not available yet. */
	assert_int_equal(res[3].status, DOCTOR_SKIP);
	assert_string_equal(res[3].message, "not available in this version yet");
	shared_release(&sh);

	shared_init(&sh);
	assert_int_equal(doctor_run(passing, 2, &in, 4, res), 0);
	/* It waited for the base even with threads to spare. */
	assert_string_equal(res[1].message, "ran after 1");
	assert_int_equal(sh.finished[0], 0);
	shared_release(&sh);
}

static char *
capture(void (*print)(FILE *, const struct doctor_result *, size_t, bool),
	const struct doctor_result *res, size_t n, bool flag)
{
	FILE *f = tmpfile();
	char *buf;
	long len;

	assert_non_null(f);
	print(f, res, n, flag);
	fflush(f);
	len = ftell(f);
	rewind(f);
	buf = xcalloc(1, (size_t)len + 1);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

static const struct doctor_check report_checks[] = {
	{ "ok", "Good", NULL, NULL },
	{ "meh", "So-so", NULL, NULL },
	{ "bad", "Broken \"thing\"", NULL, NULL },
	{ "later", "Later", NULL, NULL },
};

static void
print_text_utf8(FILE *f, const struct doctor_result *r, size_t n, bool color)
{
	doctor_print_text(f, report_checks, r, n, true, color);
}

static void
print_text_ascii(FILE *f, const struct doctor_result *r, size_t n, bool color)
{
	doctor_print_text(f, report_checks, r, n, false, color);
}

static void
print_json(FILE *f, const struct doctor_result *r, size_t n, bool unused)
{
	(void)unused;
	doctor_print_json(f, report_checks, r, n);
}

static void
fill_report(struct doctor_result *res)
{
	memset(res, 0, 4 * sizeof(*res));
	doctor_set(&res[0], DOCTOR_PASS, NULL, "all good");
	res[0].ms = 12;
	doctor_set(&res[1], DOCTOR_WARN, "tidy up", "two files");
	doctor_set(&res[2], DOCTOR_FAIL, "run 'x'", "missing \"std\"\tnow");
	doctor_set(&res[3], DOCTOR_SKIP, NULL, "not available in this version yet");
}

static void
test_text_report(void **state)
{
	struct doctor_result res[4];
	struct doctor_summary sum;
	char *t;

	(void)state;
	fill_report(res);
	doctor_summarize(res, 4, &sum);
	assert_int_equal(sum.pass, 1);
	assert_int_equal(sum.warn, 1);
	assert_int_equal(sum.fail, 1);
	assert_int_equal(sum.skip, 1);

	t = capture(print_text_utf8, res, 4, false);
	assert_string_equal(t,
		"\u2713 Good: all good\n"
		"! So-so: two files\n"
		"    fix: tidy up\n"
		"\u2717 Broken \"thing\": missing \"std\"\tnow\n"
		"    fix: run 'x'\n"
		"- Later: not available in this version yet\n"
		"\n1 passed, 1 warning, 1 failed, 1 skipped\n");
	free(t);
	t = capture(print_text_ascii, res, 4, false);
	assert_has(t, "+ Good: all good\n");
	assert_has(t, "x Broken");
	assert_null(strstr(t, "\u2713"));
	assert_null(strchr(t, '\033'));
	free(t);
	/* consecutive skips with one message share a line */
	doctor_set(&res[2], DOCTOR_SKIP, NULL, "not available in this version yet");
	t = capture(print_text_utf8, res, 4, false);
	assert_has(t, "- 2 checks: not available in this version yet\n"
		   "    Broken \"thing\"; Later\n\n");
	assert_has(t, "0 failed, 2 skipped\n");
	free(t);
	fill_report(res);
	t = capture(print_text_ascii, res, 4, true);
	assert_has(t, "\033[32m+\033[0m Good");
	assert_has(t, "\033[31mx\033[0m Broken");
	free(t);
}

static void
test_json_report(void **state)
{
	struct doctor_result res[4];
	char *t;

	(void)state;
	fill_report(res);
	t = capture(print_json, res, 4, false);
	assert_has(t, "{\n  \"schema\": 1,\n  \"checks\": [\n    {\n      \"id\": \"ok\",\n"
		   "      \"title\": \"Good\",\n      \"status\": \"pass\",\n"
		   "      \"message\": \"all good\",\n      \"fix\": null,\n"
		   "      \"ms\": 12\n    },");
	assert_has(t, "\"title\": \"Broken \\\"thing\\\"\"");
	assert_has(t, "\"message\": \"missing \\\"std\\\"\\tnow\"");
	assert_has(t, "\"status\": \"warn\"");
	assert_has(t, "\"fix\": \"tidy up\"");
	assert_has(t, "\"summary\": {\n    \"pass\": 1,\n    \"warn\": 1,\n"
		   "    \"fail\": 1,\n    \"skip\": 1,\n    \"ok\": false\n  }\n}\n");
	free(t);
}

static void
test_builtin_table(void **state)
{
	const struct doctor_check *c;
	size_t n;

	(void)state;
	c = doctor_checks(&n);
	assert_true(n >= 8);
	assert_string_equal(c[0].id, "rust");
	for (size_t i = 0; i < n; i++) {
		assert_non_null(c[i].id);
		assert_non_null(c[i].title);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(c[i].id, c[k].id);
		if (c[i].needs != NULL) {
			bool earlier = false;

			for (size_t k = 0; k < i; k++)
				earlier = earlier || strcmp(c[k].id, c[i].needs) == 0;
			assert_true(earlier);
		}
	}
	assert_string_equal(doctor_status_name(DOCTOR_WARN), "warn");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results_in_table_order),
		cmocka_unit_test(test_one_thread_is_serial),
		cmocka_unit_test(test_independent_checks_run_concurrently),
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_text_report),
		cmocka_unit_test(test_json_report),
		cmocka_unit_test(test_builtin_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
