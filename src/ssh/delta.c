/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * delta.c - the plan of a delta upload (delta.h): which of the previous
 * version's fixed blocks the new file reuses, found with rsync's rolling
 * checksum, the new bytes between them, and the gzip'd tar stream
 * (libarchive) the Pi unpacks and joins with split, tar and cat.
 */
#include "delta.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "rpx.h"

/*
 * Blocks of 16 KiB, at most 1024 of them: each is a file split creates on
 * the Pi, and creating files is what costs there (about 0.5 ms each on the
 * simulated Pi's disk), not the bytes. Measured on a 10.5 MB armv7 debug
 * build with a println! argument changed: 1 KiB blocks sent 1.1% of the
 * file, 16 KiB 2.0%, 64 KiB 2.6%; with a line of code added (everything
 * after it shifts) 17%, 21% and 23%.
 */
#define DELTA_MIN_BLOCK (16u << 10)
#define DELTA_MAX_BLOCKS 1024u
#define CHAIN_MAX 16		/* candidates compared per position */
/*
 * gzip's fastest level: the 10.5 MB build's one-line change packs in 10 ms
 * to 224 KB (level 6: 33 ms, 210 KB), a line added in 100 ms to 2.46 MB
 * (level 6: 350 ms, 2.20 MB); at 20 Mbit/s level 1 is sooner either way.
 */
#define DELTA_GZIP_LEVEL "1"
/*
 * DELTA_RUN_MIN (delta.h): joining by runs, each run and each piece
 * between runs is a program on the Pi (about 20 ms on the simulated Pi,
 * as long as 46 KB take at 20 Mbit/s), and three 16 KiB blocks of code
 * gzip to about 20 KB: the one-line change's 5 runs and 6 pieces become 3
 * and 4. Joining by blocks, split makes every block's file anyway, and a
 * line added (44 runs, 7 MB of new bytes) would only grow by 1 MB.
 */



size_t
delta_block_size(uint64_t len)
{
	uint64_t b = DELTA_MIN_BLOCK;

	while ((len + b - 1) / b > DELTA_MAX_BLOCKS)
		b *= 2;
	return (size_t)b;
}

void
delta_block_name(size_t i, int a, char *out)
{
	out[0] = 'o';
	for (int k = a; k >= 1; k--) {
		out[k] = (char)('a' + i % 26);
		i /= 26;
	}
	out[a + 1] = '\0';
}

/* split's suffix length for n blocks: at least 2, as split's default. */
static int
suffix_len(size_t n)
{
	int a = 2;
	size_t cap = 26 * 26;

	while (cap < n) {
		cap *= 26;
		a++;
	}
	return a;
}

/* rsync's weak checksum of a block: two 16-bit sums. */
static uint32_t
weak_sum(const unsigned char *p, size_t n, uint32_t *pa, uint32_t *pb)
{
	uint32_t a = 0, b = 0;

	for (size_t i = 0; i < n; i++) {
		a += p[i];
		b += (uint32_t)(n - i) * p[i];
	}
	*pa = a & 0xffff;
	*pb = b & 0xffff;
	return *pa | (*pb << 16);
}

struct index {
	size_t mask;
	uint32_t *head;		/* bucket -> block + 1, 0: none */
	uint32_t *next;		/* block -> next block + 1 */
	uint32_t *weak;
};

static uint32_t
bucket(const struct index *ix, uint32_t w)
{
	return (uint32_t)((w * 2654435761u) & ix->mask);
}

static void
index_build(struct index *ix, const unsigned char *old, size_t nb,
	    size_t block)
{
	size_t sz = 1024;

	while (sz < nb * 2)
		sz *= 2;
	ix->mask = sz - 1;
	ix->head = xcalloc(sz, sizeof(*ix->head));
	ix->next = xcalloc(nb + 1, sizeof(*ix->next));
	ix->weak = xcalloc(nb + 1, sizeof(*ix->weak));
	/* in reverse, so a chain starts at the earliest block; an identical
	 * earlier block (zeros, padding) hides a later one */
	for (size_t k = nb; k-- > 0;) {
		uint32_t a, b, w = weak_sum(old + k * block, block, &a, &b);
		uint32_t *h = &ix->head[bucket(ix, w)];

		ix->weak[k] = w;
		ix->next[k] = *h;
		*h = (uint32_t)(k + 1);
	}
}

static void
index_release(struct index *ix)
{
	free(ix->head);
	free(ix->next);
	free(ix->weak);
}

/* An old block equal to new[0..block), preferring want; else -1. */
static long
index_find(const struct index *ix, const unsigned char *old, size_t block,
	   uint32_t w, const unsigned char *p, size_t want, size_t nb)
{
	int seen = 0;

	if (want < nb && ix->weak[want] == w &&
	    memcmp(old + want * block, p, block) == 0)
		return (long)want;
	for (uint32_t k = ix->head[bucket(ix, w)]; k != 0 && seen < CHAIN_MAX;
	     k = ix->next[k - 1]) {
		if (ix->weak[k - 1] != w)
			continue;
		seen++;
		if (memcmp(old + (size_t)(k - 1) * block, p, block) == 0)
			return (long)(k - 1);
	}
	return -1;
}

/* One old block in the list form (split's names). */
static void
add_block(struct delta_plan *p, size_t k)
{
	char name[16];

	delta_block_name(k, p->suffix, name);
	strbuf_adds(&p->list, name);
	strbuf_addch(&p->list, '\n');
	p->ncopy++;
}

static void
add_literal(struct delta_plan *p, const unsigned char *s, size_t n)
{
	if (n == 0)
		return;
	strbuf_addf(&p->runs, "p%zu\n", p->nlits);
	p->lit_len = xrealloc(p->lit_len, (p->nlits + 1) * sizeof(*p->lit_len));
	p->lit_len[p->nlits] = n;
	strbuf_addf(&p->list, "p%zu\n", p->nlits);
	strbuf_add(&p->lits, s, n);
	p->nlits++;
	p->lit_bytes += n;
}

/* The plan from the matches found (p->match): runs of consecutive old
 * blocks at consecutive offsets, but those shorter than run_min (unless
 * they are all there is) become new bytes with their neighbours. */
static void
plan_emit(struct delta_plan *p, const unsigned char *new, size_t nlen,
	  size_t run_min)
{
	const struct delta_match *m = p->match;
	size_t lit = 0, i = 0, nm = p->nmatch;

	while (i < nm) {
		size_t j = i;

		while (j + 1 < nm && m[j + 1].k == m[j].k + 1 &&
		       m[j + 1].pos == m[j].pos + p->block)
			j++;
		if (j - i + 1 >= run_min || j - i + 1 == nm) {
			add_literal(p, new + lit, m[i].pos - lit);
			for (size_t q = i; q <= j; q++)
				add_block(p, m[q].k);
			strbuf_addf(&p->runs, "o %zu %zu\n", m[i].k, j - i + 1);
			p->nruns++;
			lit = m[j].pos + p->block;
		}
		i = j + 1;
	}
	add_literal(p, new + lit, nlen - lit);
}

void
delta_plan_make(const unsigned char *old, size_t olen,
		const unsigned char *new, size_t nlen, size_t block,
		struct delta_plan *p)
{
	struct index ix;
	struct delta_match *m;
	size_t nb, pos = 0, want = 0, nm = 0;
	uint32_t a = 0, b = 0, w = 0;
	bool have = false;

	memset(p, 0, sizeof(*p));
	strbuf_init(&p->list);
	strbuf_init(&p->runs);
	strbuf_init(&p->lits);
	p->block = block != 0 ? block : delta_block_size(olen);
	block = p->block;
	nb = olen / block;	/* full blocks: a short last one is not used */
	p->suffix = suffix_len(olen / block + 1);
	if (nb == 0 || nlen < block) {
		add_literal(p, new, nlen);
		return;
	}
	index_build(&ix, old, nb, block);
	m = xcalloc(nlen / block + 1, sizeof(*m));
	while (pos + block <= nlen) {
		long k;

		if (!have) {
			w = weak_sum(new + pos, block, &a, &b);
			have = true;
		}
		k = index_find(&ix, old, block, w, new + pos, want, nb);
		if (k >= 0) {
			m[nm].pos = pos;
			m[nm].k = (size_t)k;
			nm++;
			want = (size_t)k + 1;
			pos += block;
			have = false;
			continue;
		}
		if (pos + block >= nlen)
			break;
		/* roll one byte on */
		a = (a - new[pos] + new[pos + block]) & 0xffff;
		b = (b - (uint32_t)block * new[pos] + a) & 0xffff;
		w = a | (b << 16);
		pos++;
	}
	p->match = m;
	p->nmatch = nm;
	plan_emit(p, new, nlen, 1);
	index_release(&ix);
}

void
delta_plan_merge_runs(struct delta_plan *p, const unsigned char *new,
		      size_t nlen, size_t run_min)
{
	strbuf_reset(&p->list);
	strbuf_reset(&p->runs);
	strbuf_reset(&p->lits);
	free(p->lit_len);
	p->lit_len = NULL;
	p->nlits = p->ncopy = p->nruns = 0;
	p->lit_bytes = 0;
	if (p->nmatch == 0) {
		add_literal(p, new, nlen);
		return;
	}
	plan_emit(p, new, nlen, run_min);
}

bool
delta_by_runs(const struct delta_plan *p, uint64_t olen)
{
	uint64_t programs = (uint64_t)p->nruns + p->nlits;

	return programs * DELTA_PROGRAM_FILES < olen / p->block + 1;
}

void
delta_plan_release(struct delta_plan *p)
{
	strbuf_release(&p->list);
	strbuf_release(&p->runs);
	strbuf_release(&p->lits);
	free(p->lit_len);
	free(p->match);
	memset(p, 0, sizeof(*p));
}

/* Join a list of either form (the block names, or the runs) against old
 * and the literal pieces, into out. */
static int
plan_join(const struct delta_plan *p, const struct strbuf *list,
	  const unsigned char *old, size_t olen, struct strbuf *out)
{
	size_t *off = xcalloc(p->nlits + 1, sizeof(*off));
	const char *l = list->buf;
	int ret = 0;

	for (size_t i = 0; i < p->nlits; i++)
		off[i + 1] = off[i] + p->lit_len[i];
	while (*l != '\0' && ret == 0) {
		const char *e = strchr(l, '\n');
		size_t n = e != NULL ? (size_t)(e - l) : strlen(l);
		unsigned long long a, c = 1;
		size_t k = 0;

		if (n > 1 && l[0] == 'p') {
			k = (size_t)strtoul(l + 1, NULL, 10);
			if (k >= p->nlits)
				ret = -1;
			else
				strbuf_add(out, p->lits.buf + off[k],
					   p->lit_len[k]);
			l += n + (e != NULL);
			continue;
		}
		if (n > 2 && l[0] == 'o' && l[1] == ' ') {
			/* a run: COUNT blocks from START */
			if (sscanf(l, "o %llu %llu", &a, &c) != 2 || c == 0)
				ret = -1;
			k = (size_t)a;
		} else if (n == (size_t)p->suffix + 1 && l[0] == 'o') {
			/* split's name of one block */
			for (size_t i = 1; i < n; i++)
				k = k * 26 + (size_t)(l[i] - 'a');
		} else {
			ret = -1;
		}
		if (ret == 0 && k * p->block >= olen)
			ret = -1;
		if (ret == 0) {
			/* split's last block, and dd, stop at the end */
			size_t from = k * p->block, len = (size_t)c * p->block;

			strbuf_add(out, old + from,
				   olen - from < len ? olen - from : len);
		}
		l += n + (e != NULL);
	}
	free(off);
	return ret;
}

int
delta_plan_join(const struct delta_plan *p, const unsigned char *old,
		size_t olen, struct strbuf *out)
{
	return plan_join(p, &p->list, old, olen, out);
}

int
delta_plan_join_runs(const struct delta_plan *p, const unsigned char *old,
		     size_t olen, struct strbuf *out)
{
	return plan_join(p, &p->runs, old, olen, out);
}

/* libarchive's output, into a strbuf */
static la_ssize_t
pack_write(struct archive *a, void *data, const void *buf, size_t n)
{
	(void)a;
	strbuf_add(data, buf, n);
	return (la_ssize_t)n;
}

/* A file (a folder when name ends in '/') of mode perm holding data. */
static int
pack_entry(struct archive *a, struct archive_entry *e, const char *name,
	   unsigned perm, const void *data, size_t n, time_t now)
{
	archive_entry_clear(e);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, name[strlen(name) - 1] == '/' ?
				   AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, perm);
	archive_entry_set_size(e, (la_int64_t)n);
	archive_entry_set_mtime(e, now, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		return -1;
	if (n > 0 && archive_write_data(a, data, n) != (la_ssize_t)n)
		return -1;
	return 0;
}

int
delta_pack(const struct delta_plan *p, bool by_runs,
	   const struct delta_names *names, struct strbuf *out, char *err,
	   size_t errsz)
{
	const struct strbuf *list = by_runs ? &p->runs : &p->list;
	const char *work = names != NULL && names->work != NULL ?
			   names->work : NULL;

	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	time_t now = time(NULL);
	size_t off = 0;
	char name[64];
	int ret = -1;

	if (a == NULL || e == NULL ||
	    (work != NULL && strlen(work) > sizeof(name) - 24))
		goto out;
	if (archive_write_set_format_ustar(a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "gzip", "compression-level",
					    DELTA_GZIP_LEVEL) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK ||
	    archive_write_open2(a, out, NULL, pack_write, NULL, NULL) !=
	    ARCHIVE_OK)
		goto out;
	/* the new version's folder and its empty, executable temporary:
	 * made by tar, so the Pi starts no mkdir and no chmod (a name too
	 * long for ustar's 100 bytes is left to them) */
	if (names != NULL && names->dir != NULL &&
	    pack_entry(a, e, names->dir, 0755, NULL, 0, now) != 0)
		goto out;
	if (names != NULL && names->exe != NULL && strlen(names->exe) < 100 &&
	    pack_entry(a, e, names->exe, 0755, NULL, 0, now) != 0)
		goto out;
	snprintf(name, sizeof(name), "%s%slist", work ? work : "",
		 work ? "/" : "");
	if (pack_entry(a, e, name, 0644, list->buf, list->len, now) != 0)
		goto out;
	for (size_t i = 0; i < p->nlits; i++) {
		snprintf(name, sizeof(name), "%s%sp%zu", work ? work : "",
			 work ? "/" : "", i);
		if (pack_entry(a, e, name, 0644, p->lits.buf + off,
			       p->lit_len[i], now) != 0)
			goto out;
		off += p->lit_len[i];
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		goto out;
	ret = 0;
out:
	if (ret != 0)
		snprintf(err, errsz, "%s", a != NULL && archive_error_string(a)
			 ? archive_error_string(a) : "out of memory");
	if (e != NULL)
		archive_entry_free(e);
	if (a != NULL)
		archive_write_free(a);
	return ret;
}

/* ---- the copies of earlier uploads, on this computer ------------------ */

static char *
store_dir(const char *name)
{
	const char *xdg = rpx_getenv("XDG_CACHE_HOME");
	const char *home = rpx_getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/rpi-cross/sent/%s", xdg, name);
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.cache/rpi-cross/sent/%s", home, name);
	return NULL;
}

static bool
is_hex64(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == 64 && s[n] == '\0';
}

char *
delta_store_find(const char *name, const char *hex16)
{
	char *dir = store_dir(name), *found = NULL;
	DIR *d = dir != NULL ? opendir(dir) : NULL;
	struct dirent *e;

	while (d != NULL && found == NULL && (e = readdir(d)) != NULL)
		if (is_hex64(e->d_name) && strncmp(e->d_name, hex16, 16) == 0)
			found = xasprintf("%s/%s", dir, e->d_name);
	if (d != NULL)
		closedir(d);
	free(dir);
	return found;
}

struct aged {
	char *path;
	struct timespec mtime;
};

static int
newest_first(const void *a, const void *b)
{
	const struct aged *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? 1 : -1;
	return 0;
}

/* Keep the newest DELTA_KEEP copies in dir (best effort). */
static void
store_prune(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct aged *v = NULL;
	size_t n = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		struct stat st;
		char *path;

		if (!is_hex64(e->d_name))
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0) {
			free(path);
			continue;
		}
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].path = path;
#ifdef __APPLE__
		v[n].mtime = st.st_mtimespec;
#else
		v[n].mtime = st.st_mtim;
#endif
		n++;
	}
	if (d != NULL)
		closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), newest_first);
	for (size_t i = 0; i < n; i++) {
		if (i >= DELTA_KEEP)
			(void)unlink(v[i].path);
		free(v[i].path);
	}
	free(v);
}

/* Copy local to path through a temporary beside it (no fsync: a copy
 * cut short only makes the Pi's check fail, and the whole file follows). */
static int
store_copy(const char *local, const char *path)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	char *buf = NULL;
	int in = open(local, O_RDONLY | O_CLOEXEC);
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int ret = RPX_EIO;

	if (in < 0 || out < 0)
		goto out;
	buf = xmalloc(1u << 16);
	for (;;) {
		ssize_t n = read(in, buf, 1u << 16);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (n > 0 && fsutil_write_all(out, buf, (size_t)n) != 0))
			goto out;
		if (n == 0)
			break;
	}
	if (close(out) == 0 && rename(tmp, path) == 0)
		ret = 0;
	out = -1;
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (ret != 0)
		(void)unlink(tmp);
	free(buf);
	free(tmp);
	return ret;
}

int
delta_store_put(const char *name, const char *local, const char *hex)
{
	char *dir = store_dir(name), *path = NULL;
	int ret = RPX_EIO;

	if (dir == NULL || !is_hex64(hex))
		goto out;
	path = xasprintf("%s/%s", dir, hex);
	if (access(path, F_OK) == 0) {
		/* already kept: now the newest */
		ret = utimensat(AT_FDCWD, path, NULL, 0) == 0 ? 0 : RPX_EIO;
		goto out;
	}
	ret = fsutil_mkdirs(dir, 0700);
	/* a hard link when it can (the linker writes each build as a new
	 * file; one changed in place only fails the Pi's check), else a
	 * copy */
	if (ret == 0 && link(local, path) != 0)
		ret = store_copy(local, path);
	if (ret == 0)
		store_prune(dir);
out:
	free(dir);
	free(path);
	return ret;
}
