/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * stream.c - one command on the Pi whose output is a tar stream (gzip'd or
 * not), read here by libarchive as it arrives: the SSH channel writes into
 * a pipe, a thread reads the archive from the pipe and hands each entry
 * to the caller, who writes it under a folder or keeps its data. A
 * progress bar is drawn on a terminal.
 */
#include "sysroot_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rpx.h"

struct reader {
	struct stream_ctx *sc;
	int fd;
	stream_entry_fn *fn;
	void *data;
	int ret;
};

static void
draw(struct stream_ctx *sc, bool force)
{
	long long now = rpx_now_ms();
	int width = 30, fill;
	double frac;
	char line[160];
	int n;

	if (!sc->progress || sc->progress_out == NULL)
		return;
	if (!force && now - sc->last_draw < 100)
		return;
	sc->last_draw = now;
	frac = sc->total > 0 ? (double)sc->done / (double)sc->total : 0;
	if (frac > 1)
		frac = 1;
	fill = (int)(frac * width);
	n = snprintf(line, sizeof(line), "\r%s [%.*s%*s] %3d%% %.1f/%.1f MB",
		     sc->label ? sc->label : "", fill,
		     "##############################", width - fill, "",
		     (int)(frac * 100), sc->done / 1e6, sc->total / 1e6);
	if (n > sc->bar_len)
		sc->bar_len = n;
	fputs(line, sc->progress_out);
	fflush(sc->progress_out);
}

void
stream_progress_end(struct stream_ctx *sc)
{
	if (!sc->progress || sc->progress_out == NULL || sc->bar_len == 0)
		return;
	fprintf(sc->progress_out, "\r%*s\r", sc->bar_len, "");
	fflush(sc->progress_out);
	sc->bar_len = 0;
}

/* No component of rel's folder under root may be a symlink (an entry
 * could otherwise be written through one, outside root). */
static int
check_parents(struct stream_ctx *sc, const char *rel)
{
	const char *root = sc->root;
	const char *slash = strrchr(rel, '/');
	size_t dlen = slash ? (size_t)(slash - rel) : 0;
	struct strbuf p = STRBUF_INIT;
	int r = 0;

	if (dlen == 0)
		return 0;
	if (sc->parent_len == dlen && memcmp(sc->parent, rel, dlen) == 0)
		return 0;
	strbuf_adds(&p, root);
	for (size_t i = 0; i <= dlen && r == 0; i++) {
		struct stat sb;

		if (i < dlen && rel[i] != '/')
			continue;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%.*s", root, (int)i, rel);
		if (lstat(p.buf, &sb) == 0 && S_ISLNK(sb.st_mode))
			r = -1;
	}
	strbuf_release(&p);
	if (r == 0 && dlen < sizeof(sc->parent)) {
		memcpy(sc->parent, rel, dlen);
		sc->parent_len = dlen;
	}
	return r;
}

static bool
rel_ok(const char *rel)
{
	const char *s = rel;

	if (*rel == '\0' || *rel == '/')
		return false;
	while ((s = strstr(s, "..")) != NULL) {
		if ((s == rel || s[-1] == '/') && (s[2] == '\0' || s[2] == '/'))
			return false;
		s += 2;
	}
	return true;
}

int
stream_extract(struct stream_ctx *sc, const char *rel)
{
	struct archive_entry *e = sc->entry;
	const char *hl = archive_entry_hardlink(e);
	char *full, *hfull = NULL;
	int r;

	if (!rel_ok(rel) || (hl != NULL && !rel_ok(hl))) {
		snprintf(sc->err, sizeof(sc->err), "the Pi sent an unsafe "
			 "path '%.200s'", rel);
		return RPX_EINVAL;
	}
	if (check_parents(sc, rel) != 0 ||
	    (hl != NULL && check_parents(sc, hl) != 0)) {
		snprintf(sc->err, sizeof(sc->err), "'%.200s' would be written "
			 "through a symbolic link: refused", rel);
		return RPX_EINVAL;
	}
	/* a link written may stand where a folder checked was */
	if (archive_entry_filetype(e) == AE_IFLNK)
		sc->parent_len = (size_t)-1;
	full = xasprintf("%s/%s", sc->root, rel);
	archive_entry_set_pathname(e, full);
	if (hl != NULL) {
		hfull = xasprintf("%s/%s", sc->root, hl);
		archive_entry_set_hardlink(e, hfull);
	}
	r = archive_read_extract2(sc->archive, e, sc->disk);
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
		int en = archive_errno(sc->disk);

		const char *rs = archive_error_string(sc->archive);
		const char *ws = archive_error_string(sc->disk);

		if (en == 0 && rs != NULL) {
			/* the stream, not the disk */
			snprintf(sc->err, sizeof(sc->err), "the stream broke "
				 "off in '%s': %s", rel, rs);
			free(full);
			free(hfull);
			return RPX_EIO;
		}
		sc->err_no = en ? en : EIO;
		snprintf(sc->err, sizeof(sc->err), "cannot write '%s': %s",
			 full, ws ? ws : strerror(sc->err_no));
		r = RPX_EIO;
	} else {
		r = 0;
	}
	free(full);
	free(hfull);
	return r;
}

int
stream_read_data(struct stream_ctx *sc, struct strbuf *out, size_t max)
{
	char buf[16384];
	la_ssize_t n;

	while ((n = archive_read_data(sc->archive, buf, sizeof(buf))) > 0)
		if (out->len + (size_t)n <= max)
			strbuf_add(out, buf, (size_t)n);
	if (n < 0) {
		snprintf(sc->err, sizeof(sc->err), "the stream broke: %s",
			 archive_error_string(sc->archive));
		return RPX_EIO;
	}
	return 0;
}

static void *
read_thread(void *arg)
{
	struct reader *rd = arg;
	struct stream_ctx *sc = rd->sc;
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int r;

	sc->archive = a;
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_empty(a);
	if (archive_read_open_fd(a, rd->fd, 65536) != ARCHIVE_OK) {
		snprintf(sc->err, sizeof(sc->err), "cannot read the stream: %s",
			 archive_error_string(a));
		rd->ret = RPX_EIO;
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *path = archive_entry_pathname(e);
		char *rel;

		while (path[0] == '.' && path[1] == '/')
			path += 2;
		while (path[0] == '/')
			path++;
		rel = xstrdup(path);
		sc->entry = e;
		rd->ret = rd->fn(rd->data, sc, rel);
		free(rel);
		if (rd->ret != 0)
			goto out;
		sc->entries++;
		sc->bytes += archive_entry_size(e);
		sc->done += archive_entry_size(e);
		draw(sc, false);
	}
	if (r != ARCHIVE_EOF) {
		snprintf(sc->err, sizeof(sc->err), "the stream broke off: %s",
			 archive_error_string(a));
		rd->ret = RPX_EIO;
	}
out:
	sc->wire = archive_filter_bytes(a, -1);
	archive_read_free(a);
	sc->archive = NULL;
	/* closing our end makes the channel's next write fail: the remote
	 * command is then stopped */
	close(rd->fd);
	return NULL;
}

int
stream_run(struct remote *r, const char *cmd, const void *in, size_t inlen,
	   struct stream_ctx *sc, stream_entry_fn *fn, void *data,
	   struct strbuf *rerr, int *status, char *err, size_t errsz)
{
	struct reader rd = { sc, -1, fn, data, 0 };
	pthread_t th;
	int fds[2];
	int ret;

	sc->disk = archive_write_disk_new();
	archive_write_disk_set_options(sc->disk, ARCHIVE_EXTRACT_TIME |
		ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_UNLINK |
		ARCHIVE_EXTRACT_SECURE_NODOTDOT);
	sc->last_draw = 0;
	if (pipe(fds) != 0) {
		snprintf(err, errsz, "cannot make a pipe: %s", strerror(errno));
		archive_write_free(sc->disk);
		sc->disk = NULL;
		return RPX_EIO;
	}
	rd.fd = fds[0];
	if (pthread_create(&th, NULL, read_thread, &rd) != 0) {
		snprintf(err, errsz, "cannot start a thread");
		close(fds[0]);
		close(fds[1]);
		archive_write_free(sc->disk);
		sc->disk = NULL;
		return RPX_EIO;
	}
	draw(sc, true);
	ret = remote_exec_stream(r, cmd, in, inlen, fds[1], rerr, status);
	close(fds[1]);
	pthread_join(th, NULL);
	stream_progress_end(sc);
	archive_write_free(sc->disk);
	sc->disk = NULL;
	/* a local failure first (the remote then lost its reader), then
	 * the connection's, the command's, and what the stream lacked */
	if (rd.ret != 0 && (sc->err_no != 0 || rd.ret == RPX_EINVAL ||
			    (ret != 0 && r->err_code == REMOTE_ERR_LOCAL))) {
		snprintf(err, errsz, "%s", sc->err);
		return rd.ret;
	}
	if (ret != 0) {
		snprintf(err, errsz, "%s", r->err);
		return ret;
	}
	if (*status != 0) {
		snprintf(err, errsz, "the command on '%s' failed (exit %d)%s%s",
			 r->display, *status, rerr->len ? ": " : "",
			 rerr->buf);
		return RPX_ECHILD;
	}
	if (rd.ret != 0) {
		snprintf(err, errsz, "%s", sc->err);
		return rd.ret;
	}
	return 0;
}
