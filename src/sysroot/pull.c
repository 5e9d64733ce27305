/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * pull.c - `sysroot pull`: list on the Pi what linking needs (headers,
 * the multiarch library folders, GCC's start files and libgcc, the
 * loader, the pkg-config folders) with size and mtime, compare with the
 * previous pull's manifest, ask for the new and changed files in one
 * `tar -czf - -T -` stream, carry the unchanged ones over from the old
 * tree by hard link, fix links and ld scripts, and swap the new tree in.
 * Nothing is written on the Pi.
 */
#include "sysroot_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "rpx.h"

static const struct arch arches[] = {
	{ "armhf", "arm-linux-gnueabihf", "ld-linux-armhf.so.3", 32 },
	{ "arm64", "aarch64-linux-gnu", "ld-linux-aarch64.so.1", 64 },
	{ "armel", "arm-linux-gnueabi", "ld-linux.so.3", 32 },
};

/* The listing: "T|SIZE|MTIME|PATH" of each file and link, relative to /.
 * POSIX sh, find and stat (busybox's do). */
static void
list_script(struct strbuf *sb, const struct arch *a)
{
	static const char libs[] =
		"\\( -name '*.so' -o -name '*.so.*' -o -name '*.a' "
		"-o -name '*.o' -o -name '*.pc' -o -name '*.h' \\)";

	/* a folder the login user cannot read is left out, not an error */
	/* one find a folder (each program started costs on a slow Pi);
	 * stat's %F is "regular file", "regular empty file" or "symbolic
	 * link" in coreutils and busybox alike: typed() makes it f or l */
	strbuf_adds(sb, "cd / || exit 1\n"
		    "e() { d=$1; shift; [ -e \"$d\" ] || return 0\n"
		    " find \"$d\" \"$@\" \\( -type f -o -type l \\) "
		    "-exec stat -c '%F|%s|%Y|%n' {} + 2>/dev/null; }\n");
	strbuf_addf(sb, "t=%s; ld=%s\n", a->gnu, a->loader);
	strbuf_adds(sb, "e usr/include\n");
	strbuf_addf(sb, "e usr/lib/$t %s\n", libs);
	strbuf_addf(sb, "if [ -L lib ]; then stat -c 'l|%%s|%%Y|%%n' lib\n"
		    " e usr/lib -maxdepth 1 -name \"$ld\"\n"
		    "else e lib/$t %s\n"
		    " e lib -maxdepth 1 -name \"$ld\"; fi\n", libs);
	strbuf_adds(sb, "e usr/lib/gcc/$t \\( -name 'crt*.o' -o -name "
		    "'libgcc*' -o -name 'libstdc++*' -o -name 'libsupc++*' "
		    "-o -name 'libatomic*' \\)\n"
		    "e usr/share/pkgconfig\n"
		    "[ -f var/lib/dpkg/status ] && stat -c 's|%s|%Y|%n' "
		    "var/lib/dpkg/status\n"
		    "exit 0\n");
}

#define DPKG_STATUS "var/lib/dpkg/status"

/* The files named on stdin, one stream. GNU tar (a Pi's) reads the names
 * with -T -; a busybox tar built without -T gets them as arguments. */
#define TAR_SCRIPT(z) \
	"cd / || exit 1\n" \
	"case $(tar --version 2>/dev/null) in *GNU*) " \
	"exec tar -c" z "f - --no-recursion -T - ;; esac\n" \
	"set --; while IFS= read -r f; do set -- \"$@\" \"$f\"; done\n" \
	"exec tar -c" z "f - \"$@\"\n"


static const struct arch *
arch_of(const struct remote_probe *p)
{
	const char *d = p->dpkg_arch;

	if (d[0] == '\0')
		d = p->os_bits == 64 ? "arm64" : p->os_bits == 32 ? "armhf" :
		    "";
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++)
		if (strcmp(arches[i].dpkg, d) == 0)
			return &arches[i];
	return NULL;
}

/* The Rust target for the Pi, or the one asked for when it fits. */
static const struct target *
choose_target(struct pull *pl)
{
	const struct target *t = pl->o->target;
	const struct arch *a = pl->arch;

	if (t == NULL) {
		const char *triple = a->bits == 64 ?
			"aarch64-unknown-linux-gnu" :
			strcmp(a->dpkg, "armel") == 0 ?
			"arm-unknown-linux-gnueabi" :
			pl->probe.isa >= ISA_ARMV7 ?
			"armv7-unknown-linux-gnueabihf" :
			"arm-unknown-linux-gnueabihf";

		return target_find(triple);
	}
	if (t->libc != LIBC_GNU) {
		snprintf(pl->err, pl->errsz, "%s links musl statically and "
			 "needs no sysroot: a sysroot is for a -gnu target "
			 "(the Pi's glibc)", t->triple);
		return NULL;
	}
	if (t->bits != a->bits ||
	    (strcmp(a->dpkg, "armel") == 0) == t->hard_float) {
		snprintf(pl->err, pl->errsz, "wrong architecture: the Pi's "
			 "userland is %s (%d-bit, %s), %s is not: leave out "
			 "--target, or see 'rpi-cross detect %s'", a->dpkg,
			 a->bits, a->gnu, t->triple, pl->r->display);
		return NULL;
	}
	return t;
}

static bool
name_ok(const char *n)
{
	size_t l = strlen(n);

	if (l == 0 || l > 200 || n[0] == '.' || strchr(n, '/') != NULL)
		return false;
	return !(l > 4 && (strcmp(n + l - 4, ".new") == 0 ||
			   strcmp(n + l - 4, ".old") == 0));
}

/* The folders, the lock (one pull of a name at a time) and what a killed
 * pull left behind. */
int
pull_prepare(struct pull *pl, bool need_old)
{
	char *lock;

	if (sysroot_base_dir(&pl->base) != 0) {
		snprintf(pl->err, pl->errsz, "neither XDG_DATA_HOME nor HOME "
			 "is set: no place for the sysroot");
		return RPX_ENOTFOUND;
	}
	if (fsutil_mkdirs(pl->base.buf, 0755) != 0) {
		sysroot_local_error(errno, pl->base.buf, pl->err, pl->errsz);
		return RPX_EIO;
	}
	strbuf_addf(&pl->dir, "%s/%s", pl->base.buf, pl->name.buf);
	strbuf_addf(&pl->newdir, "%s.new", pl->dir.buf);
	strbuf_addf(&pl->oldroot, "%s/root", pl->dir.buf);
	strbuf_addf(&pl->newroot, "%s/root", pl->newdir.buf);
	lock = xasprintf("%s/.%s.lock", pl->base.buf, pl->name.buf);
	pl->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (pl->lockfd < 0) {
		sysroot_local_error(errno, lock, pl->err, pl->errsz);
		free(lock);
		return RPX_EIO;
	}
	free(lock);
	if (flock(pl->lockfd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(pl->err, pl->errsz, "another rpi-cross is updating "
			 "the sysroot '%s': wait for it to end",
			 pl->name.buf);
		return RPX_EIO;
	}
	tree_recover(pl->dir.buf);
	if (tree_remove(pl->newdir.buf) != 0) {
		snprintf(pl->err, pl->errsz, "cannot remove the leftover '%s' "
			 "of an interrupted pull: %s", pl->newdir.buf,
			 strerror(errno));
		return RPX_EIO;
	}
	if (need_old && !rpx_is_dir(pl->oldroot.buf)) {
		snprintf(pl->err, pl->errsz, "no sysroot '%s' yet: make it "
			 "first with 'rpi-cross sysroot pull --host %s'",
			 pl->name.buf, pl->r->display);
		return RPX_ENOTFOUND;
	}
	if (fsutil_mkdirs(pl->newroot.buf, 0755) != 0) {
		sysroot_local_error(errno, pl->newroot.buf, pl->err,
				    pl->errsz);
		return RPX_EIO;
	}
	return 0;
}

void
pull_read_manifest(struct pull *pl)
{
	char *path = xasprintf("%s/manifest", pl->dir.buf);
	char *text = NULL;
	size_t len;
	char e[256];

	if (rpx_is_dir(pl->oldroot.buf) &&
	    fsutil_read_file(path, &text, &len) == 0 &&
	    manifest_parse(&pl->old, text, len, e, sizeof(e)) != 0)
		manifest_release(&pl->old);	/* unreadable: fetch all */
	manifest_sort(&pl->old);
	free(text);
	free(path);
}

static int
on_entry(void *data, struct stream_ctx *sc, const char *path)
{
	struct pull *pl = data;
	const struct mentry *e;

	if (strcmp(path, DPKG_STATUS) == 0) {
		pl->got_status = true;
		return stream_read_data(sc, &pl->status, 64u << 20);
	}
	e = manifest_find(&pl->now, path);
	if (e == NULL || e->type == 's')
		return 0;	/* not asked for: skipped */
	return stream_extract(sc, path);
}

/* Carry the unchanged entries (and what `sysroot add` brought) over. */
static int
carry(struct pull *pl, struct manifest *keep_added)
{
	struct mdiff *d = &pl->diff;
	size_t i, nkeep = 0;

	for (i = 0; i < d->nkeep; i++) {
		const struct mentry *e = d->keep[i];

		if (e->type == 's')
			continue;
		if (tree_carry(pl->oldroot.buf, pl->newroot.buf, e->path) == 0) {
			d->keep[nkeep++] = e;
			continue;
		}
		if (errno == ENOSPC || errno == EDQUOT) {
			sysroot_local_error(errno, pl->newroot.buf, pl->err,
					    pl->errsz);
			return RPX_EIO;
		}
		/* gone from the old tree: ask for it again */
		ALLOC_GROW(d->fetch, d->nfetch + 1, d->afetch);
		d->fetch[d->nfetch++] = e;
		d->fetch_bytes += e->size;
	}
	d->nkeep = nkeep;
	for (i = 0; i < pl->old.n; i++) {
		const struct mentry *e = &pl->old.v[i];

		if (e->type != 'a' || manifest_find(&pl->now, e->path) != NULL)
			continue;
		if (tree_carry(pl->oldroot.buf, pl->newroot.buf, e->path) != 0) {
			if (errno == ENOSPC || errno == EDQUOT) {
				sysroot_local_error(errno, pl->newroot.buf,
						    pl->err, pl->errsz);
				return RPX_EIO;
			}
			continue;
		}
		manifest_add(keep_added, 'a', e->size, e->mtime, e->path);
	}
	return 0;
}

static int
fetch(struct pull *pl)
{
	struct strbuf list = STRBUF_INIT, rerr = STRBUF_INIT;
	struct stream_ctx sc;
	int status = 0, r;
	const struct mentry *st = manifest_find(&pl->now, DPKG_STATUS);
	bool want_status = st != NULL;

	for (size_t i = 0; i < pl->diff.nfetch; i++) {
		if (pl->diff.fetch[i]->type == 's')
			continue;
		strbuf_adds(&list, pl->diff.fetch[i]->path);
		strbuf_addch(&list, '\n');
	}
	/* the dpkg status comes along when it changed, or when nothing
	 * else tells the packages (no earlier sysroot.yaml) */
	if (want_status) {
		const struct mentry *o = manifest_find(&pl->old, DPKG_STATUS);

		want_status = o == NULL || o->size != st->size ||
			      o->mtime != st->mtime;
	}
	if (want_status)
		strbuf_adds(&list, DPKG_STATUS "\n");
	if (list.len == 0) {
		strbuf_release(&list);
		return 0;
	}
	memset(&sc, 0, sizeof(sc));
	sc.root = pl->newroot.buf;
	sc.total = pl->diff.fetch_bytes;
	sc.progress = pl->o->progress;
	sc.progress_out = pl->o->progress_out;
	sc.label = "pulling";
	r = stream_run(pl->r, pl->o->no_compress ? TAR_SCRIPT("") :
		       TAR_SCRIPT("z"), list.buf, list.len, &sc, on_entry, pl,
		       &rerr, &status, pl->err, pl->errsz);
	/* tar's 1 (a file changed) or 2 (one could not be read) after a
	 * whole stream: check_fetched() sees what is missing */
	if (r == RPX_ECHILD && (status == 1 || status == 2) && sc.entries > 0)
		r = 0;
	if (r != 0 && (sc.err_no == ENOSPC || sc.err_no == EDQUOT))
		sysroot_local_error(sc.err_no, pl->newdir.buf, pl->err,
				    pl->errsz);
	pl->st->wire_bytes = sc.wire;
	pl->st->fetched_bytes = sc.bytes;
	strbuf_release(&list);
	strbuf_release(&rerr);
	return r;
}

/* What tar did not send (unreadable for the login user, or gone since
 * the listing) is left out of the tree and of the manifest, so the next
 * pull asks again; the caller is told how many and one of them. */
static int
check_fetched(struct pull *pl)
{
	long long n = 0;
	struct manifest keep = { NULL, 0, 0 };
	bool missing = false;

	for (size_t i = 0; i < pl->diff.nfetch; i++) {
		const struct mentry *e = pl->diff.fetch[i];
		char *p;
		struct stat sb;

		if (e->type == 's')
			continue;
		p = xasprintf("%s/%s", pl->newroot.buf, e->path);
		if (lstat(p, &sb) != 0) {
			if (pl->st->skipped++ == 0)
				snprintf(pl->st->skipped_path,
					 sizeof(pl->st->skipped_path), "/%s",
					 e->path);
			missing = true;
		} else {
			n++;
		}
		free(p);
	}
	pl->st->fetched = n;
	if (!missing)
		return 0;
	for (size_t i = 0; i < pl->now.n; i++) {
		const struct mentry *e = &pl->now.v[i];
		char *p = xasprintf("%s/%s", pl->newroot.buf, e->path);
		struct stat sb;

		if (e->type == 's' || lstat(p, &sb) == 0)
			manifest_add(&keep, e->type, e->size, e->mtime,
				     e->path);
		free(p);
	}
	/* the diff points into now: it is not used after this */
	mdiff_release(&pl->diff);
	manifest_release(&pl->now);
	pl->now = keep;
	return 0;
}

static void
now_utc(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

/* sysroot.yaml and the manifest into folder (the new one, or the
 * current one when nothing changed). */
int
pull_record(struct pull *pl, const struct manifest *added,
	    const struct fix_stats *fs, const char *folder)
{
	struct sysroot_info info, old;
	struct manifest m = { NULL, 0, 0 };
	struct strbuf text = STRBUF_INIT;
	char when[32], e[256];
	char *path;
	bool have_old;
	int r;

	memset(&info, 0, sizeof(info));
	have_old = sysroot_info_load(pl->dir.buf, &old, e, sizeof(e)) == 0;
	info.name = xstrdup(pl->name.buf);
	info.host = dup_or_empty(pl->r->host);
	info.user = dup_or_empty(pl->r->user);
	info.port = pl->r->port;
	info.target = xstrdup(pl->target->triple);
	info.gnu_triple = xstrdup(pl->arch->gnu);
	info.dpkg_arch = xstrdup(pl->arch->dpkg);
	info.os_id = xstrdup(pl->probe.os_id);
	info.os_codename = xstrdup(pl->probe.os_codename);
	info.os_pretty = xstrdup(pl->probe.os_pretty);
	info.glibc = xstrdup(pl->probe.glibc);
	now_utc(when, sizeof(when));
	info.pulled = xstrdup(when);
	info.files = fs->files;
	info.bytes = fs->bytes;
	if (pl->got_status)
		sysroot_parse_dpkg_status(pl->status.buf, pl->status.len,
					  &info);
	for (size_t i = 0; have_old && i < old.npackages && !pl->got_status;
	     i++)
		sysroot_info_add_pkg(&info.packages, &info.npackages,
				     &info.apackages, old.packages[i].name,
				     old.packages[i].version);
	for (size_t i = 0; have_old && i < old.nadded && added->n; i++)
		sysroot_info_add_pkg(&info.added, &info.nadded, &info.aadded,
				     old.added[i].name, old.added[i].version);
	if (have_old)
		sysroot_info_release(&old);
	for (size_t i = 0; i < pl->naddpkgs; i++)
		sysroot_info_add_pkg(&info.added, &info.nadded, &info.aadded,
				     pl->addpkgs[i].name,
				     pl->addpkgs[i].version);
	for (size_t i = 0; i < pl->now.n; i++)
		manifest_add(&m, pl->now.v[i].type, pl->now.v[i].size,
			     pl->now.v[i].mtime, pl->now.v[i].path);
	for (size_t i = 0; i < added->n; i++)
		manifest_add(&m, 'a', added->v[i].size, added->v[i].mtime,
			     added->v[i].path);
	manifest_sort(&m);
	manifest_format(&m, &text);
	path = xasprintf("%s/manifest", folder);
	r = atomic_write(path, text.buf, text.len);
	if (r != 0) {
		sysroot_local_error(errno, path, pl->err, pl->errsz);
		r = RPX_EIO;
	}
	if (r == 0)
		r = sysroot_info_save(folder, &info, pl->err, pl->errsz);
	free(path);
	strbuf_release(&text);
	manifest_release(&m);
	sysroot_info_release(&info);
	return r;
}

void
pull_release(struct pull *pl)
{
	strbuf_release(&pl->name);
	strbuf_release(&pl->base);
	strbuf_release(&pl->dir);
	strbuf_release(&pl->newdir);
	strbuf_release(&pl->oldroot);
	strbuf_release(&pl->newroot);
	strbuf_release(&pl->status);
	manifest_release(&pl->old);
	manifest_release(&pl->now);
	mdiff_release(&pl->diff);
	for (size_t i = 0; i < pl->naddpkgs; i++) {
		free(pl->addpkgs[i].name);
		free(pl->addpkgs[i].version);
	}
	free(pl->addpkgs);
	if (pl->lockfd >= 0)
		close(pl->lockfd);
}

int
pull_probe(struct pull *pl)
{
	struct remote *r = pl->r;

	if (remote_probe(r, NULL, &pl->probe) != 0) {
		snprintf(pl->err, pl->errsz, "%s", r->err);
		return RPX_EIO;
	}
	pl->arch = arch_of(&pl->probe);
	if (pl->arch == NULL) {
		snprintf(pl->err, pl->errsz, "'%s' is not an ARM Linux with "
			 "Debian's multiarch layout (dpkg architecture '%s', "
			 "uname -m '%s'): no sysroot to pull", r->display,
			 pl->probe.dpkg_arch, pl->probe.machine);
		return RPX_EUNSUPPORTED;
	}
	if (pl->probe.glibc[0] == '\0') {
		snprintf(pl->err, pl->errsz, "no glibc found on '%s': a "
			 "sysroot holds the Pi's glibc (a musl target needs "
			 "none)", r->display);
		return RPX_EUNSUPPORTED;
	}
	pl->target = choose_target(pl);
	if (pl->target == NULL)
		return RPX_EINVAL;
	if (pl->o->name != NULL) {
		if (!name_ok(pl->o->name)) {
			snprintf(pl->err, pl->errsz, "'%s' cannot name a "
				 "sysroot (a folder name: no '/', not "
				 "starting with '.')", pl->o->name);
			return RPX_EINVAL;
		}
		strbuf_adds(&pl->name, pl->o->name);
	} else {
		sysroot_default_name(r->host, pl->probe.os_codename,
				     pl->arch->dpkg, &pl->name);
	}
	return 0;
}

void
pull_init(struct pull *pl, struct remote *r,
	  const struct sysroot_pull_opts *o, struct sysroot_stats *st, char *err,
	  size_t errsz)
{
	memset(pl, 0, sizeof(*pl));
	pl->r = r;
	pl->o = o;
	pl->lockfd = -1;
	strbuf_init(&pl->name);
	strbuf_init(&pl->base);
	strbuf_init(&pl->dir);
	strbuf_init(&pl->newdir);
	strbuf_init(&pl->oldroot);
	strbuf_init(&pl->newroot);
	strbuf_init(&pl->status);
	pl->st = st;
	pl->err = err;
	pl->errsz = errsz;
	memset(st, 0, sizeof(*st));
	if (o->stop != NULL)
		r->stop = o->stop;
}

/* The listing's "regular file|..." and "symbolic link|..." lines as the
 * manifest's "f|..." and "l|..."; other lines as they are. */
static void
typed(const struct strbuf *in, struct strbuf *out)
{
	static const struct { const char *word; const char *t; } kinds[] = {
		{ "regular file|", "f|" }, { "regular empty file|", "f|" },
		{ "symbolic link|", "l|" },
	};
	const char *p = in->buf, *end = in->buf + in->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		size_t skip = 0;

		for (size_t i = 0; i < ARRAY_SIZE(kinds) && !skip; i++) {
			size_t k = strlen(kinds[i].word);

			if (n > k && strncmp(p, kinds[i].word, k) == 0) {
				strbuf_adds(out, kinds[i].t);
				skip = k;
			}
		}
		strbuf_add(out, p + skip, n - skip);
		p += n;
	}
}

static int
list_remote(struct pull *pl)
{
	struct strbuf script = STRBUF_INIT, out = STRBUF_INIT;
	struct strbuf rerr = STRBUF_INIT;
	int status = 0, r;

	list_script(&script, pl->arch);
	r = remote_exec(pl->r, script.buf, NULL, 0, &out, &rerr, &status);
	if (r != 0)
		snprintf(pl->err, pl->errsz, "%s", pl->r->err);
	else if (status != 0) {
		strbuf_rtrim(&rerr);
		snprintf(pl->err, pl->errsz, "listing the files on '%s' "
			 "failed (exit %d): %s", pl->r->display, status,
			 rerr.len ? rerr.buf : "no message");
		r = RPX_ECHILD;
	} else {
		struct strbuf t = STRBUF_INIT;

		typed(&out, &t);
		r = manifest_parse(&pl->now, t.buf, t.len, pl->err,
				   pl->errsz);
		strbuf_release(&t);
	}
	manifest_sort(&pl->now);
	if (r == 0 && pl->now.n == 0) {
		snprintf(pl->err, pl->errsz, "'%s' has none of the files a "
			 "sysroot holds (/usr/include, /usr/lib/%s)",
			 pl->r->display, pl->arch->gnu);
		r = RPX_ENOTFOUND;
	}
	strbuf_release(&script);
	strbuf_release(&out);
	strbuf_release(&rerr);
	return r;
}

/* Nothing changed on the Pi: the tree stays, sysroot.yaml says when it
 * was checked (and what the Pi's OS calls itself now). */
static int
unchanged(struct pull *pl, struct sysroot_stats *st)
{
	struct sysroot_info old;
	struct manifest added = { NULL, 0, 0 };
	struct fix_stats fs;
	char e[256];
	int r;

	memset(&fs, 0, sizeof(fs));
	if (sysroot_info_load(pl->dir.buf, &old, e, sizeof(e)) == 0) {
		fs.files = old.files;
		fs.bytes = old.bytes;
		sysroot_info_release(&old);
	}
	for (size_t i = 0; i < pl->old.n; i++)
		if (pl->old.v[i].type == 'a')
			manifest_add(&added, 'a', pl->old.v[i].size,
				     pl->old.v[i].mtime, pl->old.v[i].path);
	tree_remove(pl->newdir.buf);
	r = pull_record(pl, &added, &fs, pl->dir.buf);
	manifest_release(&added);
	st->files = fs.files;
	st->bytes = fs.bytes;
	st->reused = (long long)pl->diff.nkeep;
	return r;
}

int
sysroot_pull(struct remote *r, const struct sysroot_pull_opts *o,
	     struct strbuf *name_out, struct sysroot_stats *st, char *err,
	     size_t errsz)
{
	struct pull pl;
	struct manifest added = { NULL, 0, 0 };
	struct fix_stats fs;
	int ret;

	pull_init(&pl, r, o, st, err, errsz);
	ret = pull_probe(&pl);
	if (ret == 0)
		ret = list_remote(&pl);
	if (ret == 0)
		ret = pull_prepare(&pl, false);
	if (ret != 0)
		goto out;
	strbuf_reset(name_out);
	strbuf_add(name_out, pl.name.buf, pl.name.len);
	pull_read_manifest(&pl);
	st->first = pl.old.n == 0;
	manifest_diff(&pl.old, &pl.now, &pl.diff);
	if (!st->first && pl.diff.nfetch == 0 && pl.diff.removed == 0) {
		ret = unchanged(&pl, st);
		goto out;
	}
	ret = carry(&pl, &added);
	st->reused = (long long)pl.diff.nkeep;
	st->removed = (long long)pl.diff.removed;
	if (ret == 0)
		ret = fetch(&pl);
	if (ret == 0)
		ret = check_fetched(&pl);
	if (ret == 0 && o->stop != NULL && *o->stop) {
		snprintf(err, errsz, "interrupted");
		ret = RPX_ECANCELED;
	}
	if (ret == 0)
		ret = fix_tree(pl.newroot.buf, &fs, err, errsz);
	if (ret == 0)
		ret = pull_record(&pl, &added, &fs, pl.newdir.buf);
	if (ret == 0)
		ret = tree_swap(pl.dir.buf, pl.newdir.buf, err, errsz);
	if (ret == 0) {
		st->files = fs.files;
		st->bytes = fs.bytes;
		st->links_fixed = fs.links;
		st->scripts_fixed = fs.scripts;
	}
out:
	if (ret != 0 && pl.newdir.len > 0 && pl.lockfd >= 0 &&
	    rpx_is_dir(pl.newdir.buf))
		tree_remove(pl.newdir.buf);
	manifest_release(&added);
	pull_release(&pl);
	return ret;
}
