/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toml-bench - time the toml module on one file and report peak memory.
 *
 *   toml-bench FILE KEY VALUE RUNS
 *
 * With RUNS > 0 it prints, one per line as "name value unit": the file
 * size and the mean time of parse, of "set KEY VALUE" and of writing the
 * text to a temporary file. With RUNS = 0 it does one session the way a
 * tool would (read, parse adopting the buffer, edit, write) and prints
 * the peak RSS before reading and after the session (getrusage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "rpx.h"
#include "strbuf.h"
#include "toml.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
peak_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
#ifdef __APPLE__
	return ru.ru_maxrss / 1024;	/* bytes on macOS */
#else
	return ru.ru_maxrss;		/* KiB on Linux and the BSDs */
#endif
}

static int
write_text(const struct toml_doc *doc, const char *tmpl)
{
	char path[256];
	size_t len;
	const char *text = toml_doc_text(doc, &len);
	int fd, r = 0;
	FILE *f = NULL;

	snprintf(path, sizeof(path), "%s", tmpl);
	fd = mkstemp(path);
	if (fd < 0)
		return RPX_EIO;
	f = fdopen(fd, "wb");
	if (f == NULL || fwrite(text, 1, len, f) != len)
		r = RPX_EIO;
	if (f != NULL && fclose(f) != 0)
		r = RPX_EIO;
	if (f == NULL)
		close(fd);
	unlink(path);
	return r;
}

int
main(int argc, char **argv)
{
	struct strbuf in = STRBUF_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct toml_doc *doc = NULL;
	char **segs = NULL;
	char buf[65536];
	const char *tmpl = "/tmp/toml-bench.XXXXXX";
	double t0, tp = 0, te = 0, tw = 0;
	long base, peak = 0;
	size_t n, nseg = 0;
	int runs, i, rc = 1;
	FILE *f = NULL;

	if (argc != 5 || (runs = atoi(argv[4])) < 0) {
		fprintf(stderr, "usage: toml-bench FILE KEY VALUE RUNS\n");
		return 2;
	}
	base = peak_kib();
	f = fopen(argv[1], "rb");
	if (f == NULL) {
		fprintf(stderr, "toml-bench: cannot open '%s'\n", argv[1]);
		return 1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&in, buf, n);
	fclose(f);
	if (toml_key_split(argv[2], &segs, &nseg, &err) < 0) {
		fprintf(stderr, "toml-bench: invalid key '%s'\n", argv[2]);
		goto out;
	}
	if (runs == 0) {
		char *text = NULL;

		text = strbuf_detach(&in, &n);
		if (toml_parse_take(&doc, text, n, argv[1], &err) < 0 ||
		    toml_set(doc, (const char *const *)segs, nseg, argv[3],
			     &err) < 0) {
			rpx_err_print(stderr, &err);
			goto out;
		}
		if (write_text(doc, tmpl) < 0)
			goto out;
		peak = peak_kib();
		printf("size %zu bytes\n", n);
		printf("rss_before %ld KiB\n", base);
		printf("rss_peak %ld KiB\n", peak);
		rc = 0;
		goto out;
	}
	for (i = 0; i < runs; i++) {
		t0 = now();
		if (toml_parse(&doc, in.buf, in.len, argv[1], &err) < 0) {
			rpx_err_print(stderr, &err);
			goto out;
		}
		tp += now() - t0;
		t0 = now();
		if (toml_set(doc, (const char *const *)segs, nseg, argv[3],
			     &err) < 0) {
			rpx_err_print(stderr, &err);
			goto out;
		}
		te += now() - t0;
		t0 = now();
		if (write_text(doc, tmpl) < 0) {
			fprintf(stderr, "toml-bench: cannot write a temporary file\n");
			goto out;
		}
		tw += now() - t0;
		toml_doc_free(doc);
		doc = NULL;
	}
	printf("size %zu bytes\n", in.len);
	printf("parse %.3f ms\n", tp * 1e3 / runs);
	printf("edit %.3f ms\n", te * 1e3 / runs);
	printf("write %.3f ms\n", tw * 1e3 / runs);
	printf("total %.3f ms\n", (tp + te + tw) * 1e3 / runs);
	rc = 0;
out:
	toml_segs_free(segs);
	toml_doc_free(doc);
	strbuf_release(&in);
	return rc;
}
