/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toml-edit - apply edits to a TOML file and print the result on stdout
 * (the file itself is not touched). With no edit it prints the file as
 * parsed, which must be the same bytes (round trip).
 *
 *   toml-edit FILE [set KEY VALUE | set-string KEY STRING | unset KEY]...
 *
 * KEY is a dotted key in TOML syntax (target.'cfg(unix)'.linker); VALUE is
 * a TOML value. Errors go to stderr as FILE:LINE:COL: message, exit 1;
 * a usage error exits 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpx.h"
#include "strbuf.h"
#include "toml.h"

static int
read_file(const char *path, struct strbuf *sb)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;
	int r = 0;

	if (f == NULL)
		return RPX_EIO;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(sb, buf, n);
	if (ferror(f))
		r = RPX_EIO;
	fclose(f);
	return r;
}

static int
usage(void)
{
	fprintf(stderr, "usage: toml-edit FILE [set KEY VALUE | set-string KEY STRING | unset KEY]...\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct strbuf in = STRBUF_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct toml_doc *doc = NULL;
	char **segs = NULL;
	const char *text = NULL;
	size_t nseg = 0, len = 0;
	int i, r, rc = 1;

	if (argc < 2)
		return usage();
	if (read_file(argv[1], &in) < 0) {
		fprintf(stderr, "toml-edit: cannot read '%s'\n", argv[1]);
		goto out;
	}
	if (toml_parse(&doc, in.buf, in.len, argv[1], &err) < 0) {
		rpx_err_print(stderr, &err);
		goto out;
	}
	for (i = 2; i < argc; i++) {
		bool unset = strcmp(argv[i], "unset") == 0;

		if ((!unset && i + 2 >= argc) || (unset && i + 1 >= argc) ||
		    (!unset && strcmp(argv[i], "set") != 0 &&
		     strcmp(argv[i], "set-string") != 0)) {
			rc = usage();
			goto out;
		}
		if (toml_key_split(argv[i + 1], &segs, &nseg, &err) < 0) {
			fprintf(stderr, "toml-edit: invalid key '%s': %s\n",
				argv[i + 1], err.msg);
			goto out;
		}
		if (unset)
			r = toml_unset(doc, (const char *const *)segs, nseg, &err);
		else if (strcmp(argv[i], "set") == 0)
			r = toml_set(doc, (const char *const *)segs, nseg,
				     argv[i + 2], &err);
		else
			r = toml_set_string(doc, (const char *const *)segs, nseg,
					    argv[i + 2], &err);
		toml_segs_free(segs);
		segs = NULL;
		if (r < 0) {
			rpx_err_print(stderr, &err);
			goto out;
		}
		i += unset ? 1 : 2;
	}
	text = toml_doc_text(doc, &len);
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		goto out;
	rc = 0;
out:
	toml_segs_free(segs);
	toml_doc_free(doc);
	strbuf_release(&in);
	return rc;
}
