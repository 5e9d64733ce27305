/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * upload.c - running a program on the Pi: remote_run, the cached copy
 * (remote_run_cached), and the one-exec upload-and-run paths, whose upload
 * goes over SFTP (sftp.c) beside the exec, else through the shell to a
 * `cat`, or, when the Pi has an earlier version, as a delta (delta.c)
 * joined there.
 */
#include "ssh_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "delta.h"
#include "fsutil.h"
#include "hash.h"
#include "run_env.h"

/* ---- upload and run ---------------------------------------------------- */

int
remote_sha256_file(const char *path, char hex[65], long long *size)
{
	struct sha256 c;
	unsigned char d[32];
	char *buf = NULL;
	long long total = 0;
	int fd = -1, ret = RPX_EIO;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		ret = errno == ENOENT ? RPX_ENOTFOUND : RPX_EIO;
		goto out;
	}
	buf = xmalloc(CHUNK);
	sha256_init(&c);
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sha256_discard(&c);	/* libcrypto's context */
			goto out;
		}
		if (n == 0)
			break;
		sha256_update(&c, buf, (size_t)n);
		total += n;
	}
	sha256_final(&c, d);
	hash_hex(d, 32, hex);
	if (size != NULL)
		*size = total;
	ret = 0;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return ret;
}

int
remote_run(struct remote *r, const char *path, int argc, char *const *argv,
	   int fd_out, int fd_err, int run_timeout_s, int *status)
{
	struct strbuf cmd = STRBUF_INIT;
	struct chan_state st;
	int ret;

	strbuf_adds(&cmd, "cd && ");
	run_env_shell(&cmd, r->env);
	strbuf_adds(&cmd, "exec ");
	strbuf_add_shquoted(&cmd, path);
	for (int i = 0; i < argc; i++) {
		strbuf_addch(&cmd, ' ');
		strbuf_add_shquoted(&cmd, argv[i]);
	}
	memset(&st, 0, sizeof(st));
	st.out.fd = fd_out;
	st.err.fd = fd_err;
	st.fwd_in = r->forward_stdin;
	st.pty = r->pty_term != NULL;
	ret = remote_channel_run(r, cmd.buf, NULL, &st, run_timeout_s * 1000,
				 false);
	*status = st.status;
	strbuf_release(&cmd);
	return ret;
}

/* ---- one-exec paths for `run` ------------------------------------------- */

/* "$HOME/.cache/rpi-cross/HASH16/NAME": the folder is named by the first
 * 16 hex digits of the file's SHA-256, so an identical copy is found with
 * a shell test and no remote hashing; the program still sees NAME. */
static void
cached_path_sh(struct strbuf *sb, const char *name, const char *hex)
{
	strbuf_addf(sb, "\"$HOME/" REMOTE_DIR "/%.16s/\"", hex);
	strbuf_add_shquoted(sb, name);
}

/* The program's line: the same environment (r->env) whichever path
 * brought the file. */
static void
add_exec(struct strbuf *sb, const struct remote *r, int argc,
	 char *const *argv)
{
	strbuf_adds(sb, "echo rpx-go\n" PTY_COOKED "cd && ");
	/* the working folder: builtins when it is there; home when it
	 * cannot be made */
	if (r->workdir != NULL) {
		strbuf_adds(sb, "{ cd ");
		strbuf_add_shquoted(sb, r->workdir);
		strbuf_adds(sb, " || mkdir -p ");
		strbuf_add_shquoted(sb, r->workdir);
		strbuf_adds(sb, " && cd ");
		strbuf_add_shquoted(sb, r->workdir);
		strbuf_adds(sb, "; } 2>/dev/null\n");
	}
	run_env_shell(sb, r->env);
	strbuf_adds(sb, "exec \"$f\"");
	for (int i = 0; i < argc; i++) {
		strbuf_addch(sb, ' ');
		strbuf_add_shquoted(sb, argv[i]);
	}
	strbuf_addch(sb, '\n');
}

static void
gate_init(struct chan_state *st, const struct remote *r, int fd_out,
	  int fd_err)
{
	memset(st, 0, sizeof(*st));
	strbuf_init(&st->gate_out);
	strbuf_init(&st->gate_err);
	st->gated = true;
	st->out.fd = fd_out;
	st->err.fd = fd_err;
	st->on_open = r->on_start;
	st->on_open_data = r->on_start_data;
	st->fwd_in = r->forward_stdin;
}

static void
gate_release(struct chan_state *st)
{
	strbuf_release(&st->gate_out);
	strbuf_release(&st->gate_err);
}

int
remote_run_cached(struct remote *r, const char *name, const char *hex,
		  int argc, char *const *argv, int fd_out, int fd_err,
		  int run_timeout_s, struct remote_probe *probe, bool *ran,
		  int *status)
{
	struct strbuf cmd = STRBUF_INIT;
	struct chan_state st;
	int ret;

	*ran = false;
	strbuf_adds(&cmd, "f=");
	cached_path_sh(&cmd, name, hex);
	strbuf_adds(&cmd, "\nif [ -f \"$f\" ] && [ -x \"$f\" ]; then\n");
	add_exec(&cmd, r, argc, argv);
	strbuf_adds(&cmd, "fi\n");
	remote_probe_script_df(&cmd, NULL, false);
	gate_init(&st, r, fd_out, fd_err);
	ret = remote_channel_run(r, cmd.buf, NULL, &st, run_timeout_s * 1000,
				 false);
	*status = st.status;
	if (st.open) {
		*ran = true;
		goto out;
	}
	if (ret != 0)
		goto out;
	ret = remote_probe_parse(st.gate_out.buf, st.gate_out.len, probe);
	if (ret != 0)
		remote_seterr(r, REMOTE_ERR_PROBE,
			      "cannot probe '%s': its shell answered %s",
			      r->display,
			      st.gate_out.len ? "something else" : "nothing");
out:
	gate_release(&st);
	strbuf_release(&cmd);
	return ret;
}

/* Remove stale temporaries (their shell's pid gone) and older versions
 * of qname other than "$f", under "$d" (builtins decide; rm and rmdir
 * run only when there is something to remove). */
static void
tidy_loops(struct strbuf *sb, const char *qname)
{
	strbuf_addf(sb,
		"for o in \"$d\"/*/.rpx-tmp.*; do\n"
		" [ -e \"$o\" ] || continue\n"
		" p=${o##*.}\n"
		" kill -0 \"$p\" 2>/dev/null || rm -f \"$o\"\n"
		"done\n"
		"for o in \"$d\"/*/%s; do\n"
		" [ -e \"$o\" ] && [ \"$o\" != \"$f\" ] || continue\n"
		" rm -f \"$o\"; rmdir \"${o%%/*}\" 2>/dev/null || :\n"
		"done\n", qname);
}

/* After an SFTP upload: the same tidying as the exec path's. */
static void
tidy_script(struct strbuf *sb, const char *qname)
{
	strbuf_adds(sb, "d=\"$HOME/" REMOTE_DIR "\"\n");
	tidy_loops(sb, qname);
}

/* The shell text that receives the upload on stdin into the cache. */
static void
upload_script(struct strbuf *sb, const char *hex, const char *qname,
	      long long size, bool pty)
{
	/* A temporary name with the shell's pid, removed on any failure;
	 * leftovers of earlier runs (their pid gone) and older versions of
	 * the same name are removed first. The size is checked before the
	 * rename: a cut connection leaves a short file behind cat. On a pty
	 * (raw, so 8-bit clean) no EOF comes: head takes the size. Nothing
	 * is written outside ~/.cache/rpi-cross. */
	strbuf_addf(sb,
		"set -e\n"
		"umask 022\n"
		"d=\"$HOME/" REMOTE_DIR "\"\n"
		"h=\"$d/%.16s\"\n"
		"f=\"$h/\"%s\n"
		"[ -d \"$h\" ] || mkdir -p \"$h\"\n", hex, qname);
	tidy_loops(sb, qname);
	strbuf_addf(sb,
		"t=\"$h/.rpx-tmp.\"%s\".$$\"\n"
		"trap 'rm -f \"$t\"' EXIT\n"
		"trap 'exit 1' HUP INT TERM PIPE\n"
		"n=%lld\n"
		"%s >\"$t\"\n"
		"n=$(stat -c %%s \"$t\" 2>/dev/null || wc -c <\"$t\")\n"
		"if [ \"$n\" -ne %lld ]; then echo \"received $n of %lld "
		"bytes\" >&2; exit 1; fi\n"
		"chmod 755 \"$t\"\n"
		"mv -f \"$t\" \"$f\"\n"
		"trap - EXIT\n"
		"set +e\n",
		qname, size, pty ? "head -c \"$n\"" : "cat", size, size);
}

/*
 * Check the remote file name (one path component) and open the local file
 * into the feed. RPX_EINVAL for a bad name, RPX_EIO when local cannot be
 * opened; r->err says which.
 */
static int
open_upload(struct remote *r, const char *local, const char *name,
	    struct feed *feed, struct stat *sbuf)
{
	if (strchr(name, '/') != NULL || name[0] == '\0' ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		remote_seterr(r, REMOTE_ERR_INVALID,
			      "bad remote file name '%s'", name);
		return RPX_EINVAL;
	}
	feed->fd = open(local, O_RDONLY | O_CLOEXEC);
	if (feed->fd < 0 || fstat(feed->fd, sbuf) != 0) {
		remote_seterr(r, REMOTE_ERR_LOCAL, "cannot open '%s': %s",
			      local, strerror(errno));
		return RPX_EIO;
	}
	feed->total = (uint64_t)sbuf->st_size;
	return 0;
}

/* remote_run_upload's decision: parse the probe, ask the caller, then
 * upload over SFTP; when that fails, the script receives the file on
 * stdin instead (and then says the Pi's own reason if that fails too). */
struct upload_check {
	struct remote *r;
	struct remote_probe *probe;
	remote_upload_check *check;
	void *data;
	bool parsed;
	int fd;
	uint64_t size;
	const char *name;
	const char *hex;
	const char *cached;	/* the saved probe of this board, or NULL */
	bool canceled;		/* Ctrl-C during the SFTP upload */
	bool sftp_failed;	/* RPI_CROSS_UPLOAD=sftp and it failed */
	char sftp_why[256];
	struct feed *feed;
	bool delta_ok;		/* a delta may be sent */
	bool delta_sent;
	struct strbuf delta;	/* its stream */
	char delta_go[160];	/* the line that announces it */
};

/* ---- delta uploads (delta.c) -------------------------------------------- */

/* Before the probe: the earlier versions of NAME on the Pi ("rpx-old="
 * and their folder's name, the first 16 hex digits of their SHA-256);
 * builtins only. */
static void
delta_list_script(struct strbuf *sb, const char *qname)
{
	strbuf_addf(sb,
		"for o in \"$HOME/" REMOTE_DIR "\"/*/%s; do\n"
		" [ -f \"$o\" ] || continue; o=${o%%/*}; echo \"rpx-old=${o##*/}\"\n"
		"done\n", qname);
}

/*
 * The Pi's side of a delta ("rpx-delta OLD16 LAST BLOCK SUFFIX SIZE WAY
 * MD5", LAST the name of the old version's last full block, SIZE the
 * stream's bytes, read by head -c: on a pty (raw, so 8-bit clean) no EOF
 * comes; WAY "runs" or "blocks", delta.h; MD5 the new file's, hash.h says
 * why not its SHA-256): the new pieces from the gzip'd tar on stdin
 * (unpacked in the cache, it also makes the work folder, the new
 * version's folder and its temporary, empty and executable: delta_names),
 * joined with the old version by runs (a dd for each run of old blocks,
 * read by the shell from the list) or by blocks (the old version cut by
 * split while the stream arrives, then one cat), in a work folder beside
 * the cache; the joined bytes go through tee into the new file and on to
 * md5sum, checked, then the file is renamed into place as a full upload
 * is. A failing tee (no space left) stops the shell with its own message.
 * The old version stays until the new one is in place, so a failure
 * leaves it runnable; then it moves into the work folder, removed in the
 * background while the program starts (a later run removes what a killed
 * shell left). A base that is not the one kept here (changed, truncated)
 * or a Pi without md5sum says "rpx-delta-retry" and the file is sent
 * whole in a second exec.
 */
static void
delta_script(struct strbuf *sb, const char *qname)
{
	strbuf_addf(sb,
		"set -e\n"
		"umask 022\n"
		"set -- $go\n"
		"d=\"$HOME/" REMOTE_DIR "\"\n"
		"o=\"$d/$2/\"%s\n"
		"h=\"${f%%/*}\"\n"
		"w=\"$d/.rpx-delta.$$\"\n"
		"trap 'rm -f \"$t\"; [ ! -d \"$w\" ] || rm -rf \"$w\"' EXIT\n"
		"[ -f \"$o\" ] || { echo \"rpx-delta-retry: no base\" >&2; "
		"exit 1; }\n"
		"command -v md5sum >/dev/null || { echo \"rpx-delta-retry: no "
		"md5sum\" >&2; exit 1; }\n"
		"for q in \"$d\"/.rpx-delta.*; do\n"
		" [ -d \"$q\" ] || continue\n"
		" kill -0 \"${q##*.}\" 2>/dev/null || rm -rf \"$q\" 2>/dev/null "
		"|| :\n"
		"done\n"
		"if [ \"$7\" = runs ]; then\n"
		"head -c \"$6\" | tar -C \"$d\" -xzf -\n"
		"[ -d \"$h\" ] || mkdir -p \"$h\"\n"
		"cd \"$w\"\n"
		"s=$(while read -r k a n; do\n"
		" case $k in\n"
		" o) dd if=\"$o\" bs=\"$4\" skip=\"$a\" count=\"$n\" "
		"2>/dev/null ;;\n"
		" *) cat \"$k\" ;;\n"
		" esac\n"
		"done <list | { tee \"$t\" || kill $$; } | md5sum)\n"
		"else\n"
		"mkdir -p \"$w\"\n"
		"cd \"$w\"\n"
		"split -b \"$4\" -a \"$5\" \"$o\" o &\n"
		"head -c \"$6\" | tar -C \"$d\" -xzf -\n"
		"wait $! || { [ -f \"$o\" ] || echo \"rpx-delta-retry: the base "
		"went\" >&2; exit 1; }\n"
		"[ -f \"$3\" ] || { echo \"rpx-delta-retry: the base is "
		"shorter\" >&2; exit 1; }\n"
		"[ -d \"$h\" ] || mkdir -p \"$h\"\n"
		"s=$(cat $(cat list) | { tee \"$t\" || kill $$; } | md5sum)\n"
		"fi\n"
		"cd\n"
		"[ \"${s%%%% *}\" = \"$8\" ] || { echo \"rpx-delta-retry: the "
		"joined file's MD5 differs\" >&2; exit 1; }\n"
		"[ -x \"$t\" ] || chmod 755 \"$t\"\n"
		"mv -f \"$t\" \"$f\"\n"
		"trap - EXIT\n"
		"mv -f \"$o\" \"$w/\" 2>/dev/null || :\n"
		"{\n", qname);
	/* the old version leaves the cache at once (into the work folder),
	 * so no later run takes it as its base or runs it; the rest of the
	 * tidying goes on in the background while the program starts */
	tidy_loops(sb, qname);
	strbuf_adds(sb, "rmdir \"${o%/*}\" 2>/dev/null || :\nrm -rf \"$w\"\n"
		    "} </dev/null >/dev/null 2>&1 &\nset +e\n");
}

/* The Pi's earlier version named "rpx-old=HEX16" in the probe's text of
 * which a copy is kept here: its path, and its 16 hex digits in old16. */
static char *
delta_base(const struct upload_check *uc, const char *text, char old16[17])
{
	for (const char *l = strstr(text, "rpx-old="); l != NULL;
	     l = strstr(l + 1, "\nrpx-old=")) {
		const char *v = l + (l[0] == '\n' ? 9 : 8);
		char *path;

		if (strspn(v, "0123456789abcdef") != 16 ||
		    strncmp(v, uc->hex, 16) == 0)
			continue;
		memcpy(old16, v, 16);
		old16[16] = '\0';
		path = delta_store_find(uc->name, old16);
		if (path != NULL)
			return path;
	}
	return NULL;
}

/* Plan and pack a delta against the kept copy of the Pi's version; true
 * when it pays (under half the file): uc->delta and uc->delta_go are then
 * the stream and its line, and the feed sends the stream. */
static bool
delta_try(struct upload_check *uc, const char *text)
{
	const unsigned char *old = NULL, *cur = NULL;
	struct delta_plan plan;
	char old16[17], err[128], *base;
	/* RPI_CROSS_DELTA_JOIN: the way the Pi joins, when not the cheaper */
	const char *way = rpx_getenv("RPI_CROSS_DELTA_JOIN");
	size_t olen = 0, clen = (size_t)uc->size;
	bool ok = false, by_runs;
	struct stat st;
	int ofd = -1;
	const char *pid = strstr(text, "rpx-pid=");
	long long npid = pid != NULL ? atoll(pid + 8) : 0;
	char work[32], dir[24], *exe = NULL;
	struct delta_names names = { work, dir, NULL };

	/* the stream makes the work folder, the new version's folder and
	 * its temporary, named as the Pi's shell names them ($$) */
	if (npid <= 0)
		return false;
	snprintf(work, sizeof(work), ".rpx-delta.%lld", npid);
	snprintf(dir, sizeof(dir), "%.16s/", uc->hex);
	exe = xasprintf("%.16s/.rpx-tmp.%s.%lld", uc->hex, uc->name, npid);
	names.exe = exe;
	base = delta_base(uc, text, old16);
	if (base == NULL)
		goto out;
	ofd = open(base, O_RDONLY | O_CLOEXEC);
	if (ofd < 0 || fstat(ofd, &st) != 0 || st.st_size <= 0)
		goto out;
	olen = (size_t)st.st_size;
	old = fsutil_map(ofd, olen);
	cur = fsutil_map(uc->fd, clen);
	if (old == NULL || cur == NULL)
		goto out;
	delta_plan_make(old, olen, cur, clen, 0, &plan);
	strbuf_reset(&uc->delta);
	by_runs = delta_by_runs(&plan, olen);
	if (way != NULL && strcmp(way, "runs") == 0)
		by_runs = true;
	else if (way != NULL && strcmp(way, "blocks") == 0)
		by_runs = false;
	if (by_runs)
		delta_plan_merge_runs(&plan, cur, clen, DELTA_RUN_MIN);
	if (olen >= plan.block &&
	    delta_pack(&plan, by_runs, &names, &uc->delta, err,
		       sizeof(err)) == 0 &&
	    uc->delta.len < uc->size / 2) {
		char last[16];
		unsigned char md5[16];
		char md5hex[33];

		md5_buf(cur, clen, md5);
		hash_hex(md5, sizeof(md5), md5hex);
		delta_block_name(olen / plan.block - 1, plan.suffix, last);
		snprintf(uc->delta_go, sizeof(uc->delta_go),
			 "rpx-delta %s %s %zu %d %zu %s %s\n", old16, last,
			 plan.block, plan.suffix, uc->delta.len,
			 by_runs ? "runs" : "blocks", md5hex);
		uc->feed->mem = uc->delta.buf;
		uc->feed->memlen = uc->delta.len;
		uc->feed->fd = -1;
		uc->delta_sent = true;
		uc->r->sent_join = by_runs ? "runs" : "blocks";
		ok = true;
	}
	delta_plan_release(&plan);
out:
	fsutil_unmap(old, olen);
	fsutil_unmap(cur, clen);
	if (ofd >= 0)
		close(ofd);
	free(base);
	free(exe);
	return ok;
}

static const char *
decide_upload(void *data, const char *text, size_t len, bool *feed)
{
	struct upload_check *uc = data;
	const char *pid = strstr(text, "rpx-pid=");
	char *parts[3], *tmp, *path;
	long long npid = pid != NULL ? atoll(pid + 8) : 0;
	const char *mode = rpx_getenv("RPI_CROSS_UPLOAD");
	bool sftp_only = mode != NULL && strcmp(mode, "sftp") == 0;
	char *merged;
	int ret;

	*feed = false;
	/* without a check the script says only where home is: nothing to
	 * keep about the board */
	merged = uc->check != NULL ?
		 remote_board_cache_merge(uc->r, text, len, uc->cached) :
		 xstrndup(text, len);
	ret = remote_probe_parse(merged, strlen(merged), uc->probe);
	free(merged);
	if (ret != 0)
		return NULL;
	uc->parsed = true;
	if (uc->check != NULL && !uc->check(uc->data, uc->probe))
		return NULL;
	*feed = true;
	if (uc->delta_ok && delta_try(uc, text))
		return uc->delta_go;
	/* RPI_CROSS_UPLOAD=exec: through the shell only (a Pi without an
	 * SFTP server); =sftp: over SFTP only, its failure is the error */
	if (mode != NULL && strcmp(mode, "exec") == 0)
		return "rpx-upload\n";
	if (uc->probe->home[0] != '/' || npid <= 0) {
		if (sftp_only) {
			snprintf(uc->sftp_why, sizeof(uc->sftp_why), "the "
				 "probe named no home folder");
			uc->sftp_failed = true;
			return NULL;
		}
		return "rpx-upload\n";
	}
	parts[0] = xasprintf("%s/.cache", uc->probe->home);
	parts[1] = xasprintf("%s/" REMOTE_DIR, uc->probe->home);
	parts[2] = xasprintf("%s/%.16s", parts[1], uc->hex);
	/* the temporary carries the waiting shell's pid, as the exec
	 * path's does: a later run removes it once that shell is gone */
	tmp = xasprintf("%s/.rpx-tmp.%s.%lld", parts[2], uc->name, npid);
	path = xasprintf("%s/%s", parts[2], uc->name);
	ret = remote_sftp_upload(uc->r, uc->fd, uc->size,
				 (const char *const *)parts, 3, tmp, path,
				 uc->sftp_why, sizeof(uc->sftp_why));
	for (int i = 0; i < 3; i++)
		free(parts[i]);
	free(tmp);
	free(path);
	if (ret == RPX_ECANCELED) {
		uc->canceled = true;
		return NULL;
	}
	if (ret != 0 && sftp_only) {
		uc->sftp_failed = true;
		return NULL;
	}
	if (ret != 0) {
		/* start the exec path's upload from the beginning */
		if (lseek(uc->fd, 0, SEEK_SET) != 0)
			return NULL;
		return "rpx-upload\n";
	}
	*feed = false;
	return "rpx-sftp\n";
}

/*
 * Both one-exec uploads (remote.h). With check: the cached copy runs at
 * once, else the board is probed and check decides. Without
 * (remote_upload_run): the script says only its home and pid, and the
 * file is always sent. Either way the file goes over SFTP, else through
 * the shell, and one place turns what happened into r->err.
 */
static int
run_upload_once(struct remote *r, const char *local, const char *name,
		const char *hex, int argc, char *const *argv, int fd_out,
		int fd_err, int run_timeout_s, remote_upload_check *check,
		void *data, struct remote_probe *probe, bool *ran,
		bool *uploaded, int *status, bool delta_ok, bool *retry)
{
	struct strbuf cmd = STRBUF_INIT, qname = STRBUF_INIT;
	struct chan_state st;
	struct upload_check uc;
	struct feed feed = { NULL, 0, -1, 0, decide_upload, &uc, false,
			     false };
	char *cache_path = NULL, *cached = NULL;
	size_t cached_len = 0;
	struct stat sbuf;
	int local_fd = -1, ret = RPX_EIO;

	*status = 0;
	*ran = *uploaded = *retry = false;
	memset(&uc, 0, sizeof(uc));
	strbuf_init(&uc.delta);
	gate_init(&st, r, fd_out, fd_err);
	ret = open_upload(r, local, name, &feed, &sbuf);
	local_fd = feed.fd;
	if (ret < 0)
		goto out;
	ret = RPX_EIO;
	uc.feed = &feed;
	uc.delta_ok = delta_ok;
	uc.r = r;
	uc.probe = probe;
	uc.check = check;
	uc.data = data;
	uc.fd = feed.fd;
	uc.size = feed.total;
	uc.name = name;
	uc.hex = hex;
	if (check != NULL)
		cache_path = remote_board_cache_path(r);
	if (cache_path != NULL &&
	    fsutil_read_file(cache_path, &cached, &cached_len) == 0)
		uc.cached = cached;
	strbuf_add_shquoted(&qname, name);
	/* the cached copy runs at once; else the probe (its stderr
	 * silenced, ours kept on fd 3), then a line from us decides: the
	 * file came by SFTP (tidy up in the background, run it), or it
	 * comes on stdin, or nothing happens */
	strbuf_adds(&cmd, "f=");
	cached_path_sh(&cmd, name, hex);
	strbuf_addch(&cmd, '\n');
	if (check != NULL) {
		strbuf_adds(&cmd, "if [ -f \"$f\" ] && [ -x \"$f\" ]; then\n");
		add_exec(&cmd, r, argc, argv);
		strbuf_adds(&cmd, "fi\n");
	}
	if (r->pty_term != NULL) {
		st.pty = true;
		strbuf_adds(&cmd, PTY_RAW);
	}
	strbuf_adds(&cmd, "exec 3>&2\necho \"rpx-pid=$$\"\n");
	if (delta_ok)
		delta_list_script(&cmd, qname.buf);
	if (check != NULL) {
		remote_known_board_script(&cmd, uc.cached);
		remote_probe_script_df(&cmd, NULL, false);
	} else {
		strbuf_adds(&cmd, "echo rpx-probe=1; echo \"home=$HOME\"; "
			    "echo rpx-end=1\n");
	}
	/* the SFTP temporary is named after this shell, which removes it
	 * when it ends without the file in place (a cut connection) */
	strbuf_adds(&cmd, "exec 2>&3 3>&-\nt=\"${f%/*}/.rpx-tmp.\"");
	strbuf_adds(&cmd, qname.buf);
	strbuf_adds(&cmd,
		"\".$$\"\n"
		"trap '[ ! -e \"$t\" ] || rm -f \"$t\"' EXIT\n"
		"trap 'exit 1' HUP INT TERM PIPE\n"
		"IFS= read -r go || exit 0\n"
		"case $go in\n"
		"rpx-sftp)\n"
		"trap - EXIT\n"
		"[ -f \"$f\" ] && [ -x \"$f\" ] || { echo \"the upload is "
		"missing on the Pi\" >&2; exit 1; }\n");
	tidy_script(&cmd, qname.buf);
	strbuf_adds(&cmd, ";;\nrpx-upload)\n");
	upload_script(&cmd, hex, qname.buf, (long long)sbuf.st_size,
		      st.pty);
	if (delta_ok) {
		strbuf_adds(&cmd, ";;\nrpx-delta\\ *)\n");
		delta_script(&cmd, qname.buf);
	}
	strbuf_adds(&cmd, ";;\n*) exit 0 ;;\nesac\n");
	add_exec(&cmd, r, argc, argv);
	ret = remote_channel_run(r, cmd.buf, &feed, &st, run_timeout_s * 1000,
				 false);
	*status = st.status;
	if (feed.decided && !feed.refused) {
		uint64_t n = uc.delta_sent ? uc.delta.len : uc.size;

		r->sent_bytes += n;
		r->sent_kind = r->sent_kind == NULL ?
			       (uc.delta_sent ? "delta" : "full") :
			       "delta+full";
	}
	if (st.open) {
		*ran = true;
		*uploaded = feed.decided;
		goto out;
	}
	if (ret != 0)
		goto out;
	if (uc.delta_sent && strstr(st.gate_err.buf, "rpx-delta-retry") !=
	    NULL) {
		*retry = true;
		goto out;
	}
	if (uc.sftp_failed) {
		remote_seterr(r, REMOTE_ERR_UPLOAD, "cannot upload '%s' to "
			      "'%s:~/" REMOTE_DIR "/' over SFTP: %s", local,
			      r->display, uc.sftp_why[0] ? uc.sftp_why :
			      "the connection failed");
		ret = RPX_EIO;
		goto out;
	}
	if (uc.canceled) {
		remote_seterr(r, REMOTE_ERR_CANCELED,
			      "upload to '%s' interrupted", r->display);
		ret = RPX_ECANCELED;
		goto out;
	}
	if (feed.decided && !uc.parsed) {
		remote_seterr(r, REMOTE_ERR_PROBE, "cannot probe '%s': its "
			      "shell answered something else", r->display);
		ret = RPX_EIO;
		goto out;
	}
	if (feed.refused && check != NULL)
		goto out;	/* the caller's check said no: 0, !*ran */
	strbuf_rtrim(&st.gate_err);
	if (!feed.decided) {
		remote_seterr(r, REMOTE_ERR_PROBE,
			      "cannot probe '%s': its shell answered %s",
			      r->display,
			      st.gate_err.len ? st.gate_err.buf : "nothing");
		ret = RPX_EIO;
		goto out;
	}
	/* on a pty the shell's errors come on its one stream */
	if (st.pty && st.gate_err.len == 0) {
		strbuf_add(&st.gate_err, st.gate_out.buf, st.gate_out.len);
	}
	/* the Pi's words (cat's, mkdir's) are its errno's text */
	remote_seterr(r, strstr(st.gate_err.buf, "No space left on device") ||
		      strstr(st.gate_err.buf, "Disk quota exceeded") ?
		      REMOTE_ERR_DISK_FULL : REMOTE_ERR_UPLOAD,
		      "cannot upload '%s' to '%s:~/" REMOTE_DIR "/': %s",
		      local, r->display, st.gate_err.len ? st.gate_err.buf :
		      "the remote shell failed");
	ret = RPX_EIO;
out:
	if (local_fd >= 0)
		close(local_fd);
	gate_release(&st);
	strbuf_release(&cmd);
	strbuf_release(&qname);
	strbuf_release(&uc.delta);
	free(cache_path);
	free(cached);
	return ret;
}

/* Delta uploads, unless r->no_delta or RPI_CROSS_UPLOAD names a way. */
static bool
delta_wanted(const struct remote *r)
{
	const char *mode = rpx_getenv("RPI_CROSS_UPLOAD");

	return !r->no_delta && (mode == NULL || mode[0] == '\0' ||
				strcmp(mode, "delta") == 0 ||
				strcmp(mode, "exec") == 0);
}

/*
 * One exec (run_upload_once); a delta the Pi could not join against its
 * base is followed by a second with the whole file. Whatever was sent is
 * kept here (delta_store_put) as the base of the next delta.
 */
int
remote_run_upload(struct remote *r, const char *local, const char *name,
		  const char *hex, int argc, char *const *argv, int fd_out,
		  int fd_err, int run_timeout_s, remote_upload_check *check,
		  void *data, struct remote_probe *probe, bool *ran,
		  bool *uploaded, int *status)
{
	bool delta_ok = delta_wanted(r), retry = false;
	int ret;

	r->sent_kind = NULL;
	r->sent_join = NULL;
	r->sent_bytes = 0;
	ret = run_upload_once(r, local, name, hex, argc, argv, fd_out, fd_err,
			      run_timeout_s, check, data, probe, ran, uploaded,
			      status, delta_ok, &retry);
	if (ret == 0 && retry)
		ret = run_upload_once(r, local, name, hex, argc, argv, fd_out,
				      fd_err, run_timeout_s, check, data,
				      probe, ran, uploaded, status, false,
				      &retry);
	if (ret == 0 && *uploaded && delta_ok)
		(void)delta_store_put(name, local, hex);	/* best effort */
	return ret;
}

int
remote_upload_run(struct remote *r, const char *local, const char *name,
		  const char *hex, int argc, char *const *argv, int fd_out,
		  int fd_err, int run_timeout_s, int *status)
{
	struct remote_probe probe;
	bool ran = false, uploaded = false;
	int ret;

	ret = remote_run_upload(r, local, name, hex, argc, argv, fd_out,
				fd_err, run_timeout_s, NULL, NULL, &probe, &ran,
				&uploaded, status);
	if (ret == 0 && !ran) {
		remote_seterr(r, REMOTE_ERR_UPLOAD, "cannot upload '%s' to "
			      "'%s': the remote shell ended first", local,
			      r->display);
		ret = RPX_EIO;
	}
	return ret;
}
