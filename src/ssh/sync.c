/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sync.c - remote_sync(): named files and folders of the project
 * mirrored into the program's working folder on the Pi, changed files
 * only. One exec lists what the Pi has (size and modification time,
 * with find and stat), each changed file goes over SFTP (sftp.c), and
 * one last exec removes what is gone here and sets the times and modes
 * the next comparison reads.
 */
#include "ssh_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strvec.h"

/* One file of the project (relative to its root). */
struct sync_file {
	char *rel;
	long long size, mtime;
	unsigned mode;
};

struct sync_list {
	struct sync_file *v;
	size_t n, alloc;
};

static void
list_add(struct sync_list *l, const char *rel, long long size,
	 long long mtime, unsigned mode)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 16;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	l->v[l->n].rel = xstrdup(rel);
	l->v[l->n].size = size;
	l->v[l->n].mtime = mtime;
	l->v[l->n].mode = mode;
	l->n++;
}

static void
list_free(struct sync_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].rel);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static const struct sync_file *
list_find(const struct sync_list *l, const char *rel)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].rel, rel) == 0)
			return &l->v[i];
	return NULL;
}

/* A path the sync may name: relative, inside the project, one line. */
static bool
path_ok(const char *p)
{
	const char *c = p;

	if (p[0] == '\0' || p[0] == '/' || strchr(p, '\n') != NULL)
		return false;
	while (*c != '\0') {
		size_t n = strcspn(c, "/");

		if ((n == 2 && strncmp(c, "..", 2) == 0))
			return false;
		c += n;
		while (*c == '/')
			c++;
	}
	return true;
}

/* The files under root/rel (rel itself when a file), symbolic links
 * followed; names with a newline are left out (the listing is lines). */
static int
walk(struct sync_list *l, const char *root, const char *rel, int depth,
     struct remote *r)
{
	char *full = xasprintf("%s/%s", root, rel);
	struct stat sb;
	DIR *d;
	struct dirent *e;
	int ret = 0;

	if (stat(full, &sb) != 0) {
		ret = errno == ENOENT ? 0 : RPX_EIO;
		if (ret != 0)
			remote_seterr(r, REMOTE_ERR_LOCAL, "cannot read '%s': %s",
				      full, strerror(errno));
		goto out;
	}
	if (S_ISREG(sb.st_mode)) {
		list_add(l, rel, (long long)sb.st_size,
			 (long long)sb.st_mtime, (unsigned)sb.st_mode & 0777);
		goto out;
	}
	if (!S_ISDIR(sb.st_mode) || depth > 32)
		goto out;
	d = opendir(full);
	if (d == NULL) {
		remote_seterr(r, REMOTE_ERR_LOCAL, "cannot read '%s': %s",
			      full, strerror(errno));
		ret = RPX_EIO;
		goto out;
	}
	while (ret == 0 && (e = readdir(d)) != NULL) {
		char *sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strchr(e->d_name, '\n') != NULL)
			continue;
		sub = xasprintf("%s/%s", rel, e->d_name);
		ret = walk(l, root, sub, depth + 1, r);
		free(sub);
	}
	closedir(d);
out:
	free(full);
	return ret;
}

/* The Pi's answer: "home=...", then "SIZE MTIME PATH" lines. */
static int
parse_listing(const char *text, char **home, struct sync_list *l)
{
	const char *p = text;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, n);
		long long size, mtime;
		int off = 0;

		if (strncmp(line, "home=", 5) == 0) {
			free(*home);
			*home = xstrdup(line + 5);
		} else if (sscanf(line, "%lld %lld %n", &size, &mtime,
				  &off) == 2 && off > 0) {
			const char *rel = line + off;

			if (strncmp(rel, "./", 2) == 0)
				rel += 2;
			list_add(l, rel, size, mtime, 0);
		}
		free(line);
		p += n + (nl != NULL);
	}
	return *home != NULL && (*home)[0] == '/' ? 0 : RPX_EIO;
}

/* Send one file over SFTP into home/workdir/rel, the folders made. */
static int
send_file(struct remote *r, const char *root, const char *home,
	  const char *workdir, const struct sync_file *f)
{
	struct strvec parts = STRVEC_INIT;
	char *local = xasprintf("%s/%s", root, f->rel);
	char *path = xasprintf("%s/%s/%s", home, workdir, f->rel);
	char *tmp, *slash, why[256];
	const char *c;
	int fd, ret;

	/* every folder from the first below home to the file's own */
	for (c = path + strlen(home) + 1; (c = strchr(c, '/')) != NULL; c++)
		strvec_push_nodup(&parts, xstrndup(path, (size_t)(c - path)));
	slash = strrchr(path, '/');
	tmp = xasprintf("%.*s/.rpx-sync.%s.tmp", (int)(slash - path), path,
			slash + 1);
	fd = open(local, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		remote_seterr(r, REMOTE_ERR_LOCAL, "cannot read '%s': %s", local,
			      strerror(errno));
		ret = RPX_EIO;
		goto out;
	}
	ret = remote_sftp_upload(r, fd, (uint64_t)f->size,
				 (const char *const *)parts.v, parts.n, tmp,
				 path, why, sizeof(why));
	close(fd);
	if (ret == RPX_ECANCELED)
		remote_seterr(r, REMOTE_ERR_CANCELED, "interrupted");
	else if (ret != 0)
		remote_seterr(r, REMOTE_ERR_UPLOAD, "cannot send '%s' to "
			      "'%s:~/%s/': %s", f->rel, r->display, workdir,
			      why[0] ? why : "SFTP failed");
out:
	free(local);
	free(path);
	free(tmp);
	strvec_clear(&parts);
	return ret;
}

int
remote_sync(struct remote *r, const char *root, const char *workdir,
	    char *const *paths, struct remote_sync_stats *stats)
{
	struct sync_list here = { NULL, 0, 0 }, there = { NULL, 0, 0 };
	struct strbuf cmd = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	void (*progress)(void *, uint64_t, uint64_t) = r->cb.progress;
	char *home = NULL;
	bool fix = false;
	int status = 0, ret = RPX_EINVAL;

	memset(stats, 0, sizeof(*stats));
	for (size_t i = 0; paths[i] != NULL; i++) {
		if (!path_ok(paths[i])) {
			remote_seterr(r, REMOTE_ERR_INVALID, "cannot sync '%s': "
				      "not a path inside the project",
				      paths[i]);
			goto out;
		}
		ret = walk(&here, root, paths[i], 0, r);
		if (ret != 0)
			goto out;
	}
	/* what the Pi has of those paths */
	strbuf_adds(&cmd, "echo \"home=$HOME\"\ncd && cd ");
	strbuf_add_shquoted(&cmd, workdir);
	strbuf_adds(&cmd, " 2>/dev/null || exit 0\nfor p in");
	for (size_t i = 0; paths[i] != NULL; i++) {
		strbuf_addch(&cmd, ' ');
		strbuf_add_shquoted(&cmd, paths[i]);
	}
	strbuf_adds(&cmd, "; do\n[ -e \"$p\" ] || continue\n"
		    "find \"$p\" -type f -exec stat -c '%s %Y %n' {} +\n"
		    "done\n");
	ret = remote_exec(r, cmd.buf, NULL, 0, &out, &err, &status);
	if (ret != 0)
		goto out;
	if (parse_listing(out.buf ? out.buf : "", &home, &there) != 0) {
		strbuf_rtrim(&err);
		remote_seterr(r, REMOTE_ERR_PROBE, "cannot list the working "
			      "folder on '%s': %s", r->display,
			      err.len ? err.buf : "no answer");
		ret = RPX_EIO;
		goto out;
	}
	/* the changed files, then what is gone here; the times and modes */
	strbuf_reset(&cmd);
	strbuf_adds(&cmd, "cd && cd ");
	strbuf_add_shquoted(&cmd, workdir);
	strbuf_adds(&cmd, " || exit 1\n");
	r->cb.progress = NULL;
	for (size_t i = 0; i < here.n; i++) {
		const struct sync_file *f = &here.v[i];
		const struct sync_file *o = list_find(&there, f->rel);

		if (o != NULL && o->size == f->size && o->mtime == f->mtime) {
			stats->unchanged++;
			continue;
		}
		ret = send_file(r, root, home, workdir, f);
		if (ret != 0)
			goto out;
		stats->sent++;
		stats->bytes += (uint64_t)f->size;
		strbuf_addf(&cmd, "touch -c -m -d @%lld -- ", f->mtime);
		strbuf_add_shquoted(&cmd, f->rel);
		strbuf_addf(&cmd, "\nchmod %o -- ", f->mode);
		strbuf_add_shquoted(&cmd, f->rel);
		strbuf_addch(&cmd, '\n');
		fix = true;
	}
	for (size_t i = 0; i < there.n; i++) {
		if (list_find(&here, there.v[i].rel) != NULL)
			continue;
		strbuf_adds(&cmd, "rm -f -- ");
		strbuf_add_shquoted(&cmd, there.v[i].rel);
		strbuf_addch(&cmd, '\n');
		stats->removed++;
		fix = true;
	}
	if (fix) {
		strbuf_reset(&out);
		strbuf_reset(&err);
		ret = remote_exec(r, cmd.buf, NULL, 0, &out, &err, &status);
		if (ret == 0 && status != 0) {
			strbuf_rtrim(&err);
			remote_seterr(r, REMOTE_ERR_UPLOAD, "cannot finish the "
				      "sync on '%s': %s", r->display,
				      err.len ? err.buf : "the shell failed");
			ret = RPX_EIO;
		}
	}
out:
	r->cb.progress = progress;
	list_free(&here);
	list_free(&there);
	strbuf_release(&cmd);
	strbuf_release(&out);
	strbuf_release(&err);
	free(home);
	return ret;
}
