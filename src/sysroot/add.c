/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * add.c - `sysroot add PKG...`: a -dev package the Pi lacks, brought into
 * the sysroot without installing anything on the Pi. The Pi's own apt, as
 * the login user, downloads the .deb files (the exact versions of its
 * architecture) into ~/.cache/rpi-cross/debs, sends them in one tar
 * stream and removes them; here libarchive opens each .deb (an ar
 * archive), its data.tar.* (xz, zstd or gzip) and writes what a sysroot
 * holds into a new tree, swapped in like a pull.
 */
#include "sysroot_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rpx.h"

struct deb {
	char *file;
	struct strbuf data;
};

struct add {
	struct pull *pl;
	struct deb *debs;
	size_t ndebs, adebs;
	struct manifest added;	/* the files written */
	bool merged;		/* root/lib is a link to usr/lib */
};

/* A Debian package name (with an optional :arch or =version). */
static bool
pkg_ok(const char *p)
{
	if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
		return false;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      strchr("+-.:=~_", *p) != NULL))
			return false;
	return true;
}

static int
on_deb(void *data, struct stream_ctx *sc, const char *path)
{
	struct add *ad = data;
	size_t n = strlen(path);
	struct deb *d;

	if (n < 5 || strcmp(path + n - 4, ".deb") != 0 ||
	    strchr(path, '/') != NULL)
		return 0;
	ALLOC_GROW(ad->debs, ad->ndebs + 1, ad->adebs);
	d = &ad->debs[ad->ndebs++];
	d->file = xstrdup(path);
	strbuf_init(&d->data);
	return stream_read_data(sc, &d->data, 1u << 30);
}

/* Where a file of the package goes in the sysroot, or NULL: only what a
 * pull would copy. */
static char *
dest_of(const struct add *ad, const char *path)
{
	const char *t = ad->pl->arch->gnu;
	char *p;
	size_t tl = strlen(t);

	while (path[0] == '.' && path[1] == '/')
		path += 2;
	while (path[0] == '/')
		path++;
	if (ad->merged && strncmp(path, "lib/", 4) == 0)
		p = xasprintf("usr/%s", path);
	else
		p = xstrdup(path);
	if (rpx_starts_with(p, "usr/include/") ||
	    rpx_starts_with(p, "usr/share/pkgconfig/"))
		return p;
	if ((rpx_starts_with(p, "usr/lib/") &&
	     strncmp(p + 8, t, tl) == 0 && p[8 + tl] == '/') ||
	    (rpx_starts_with(p, "lib/") && strncmp(p + 4, t, tl) == 0 &&
	     p[4 + tl] == '/') ||
	    (rpx_starts_with(p, "usr/lib/gcc/") &&
	     strncmp(p + 12, t, tl) == 0 && p[12 + tl] == '/'))
		return p;
	free(p);
	return NULL;
}

/* The data.tar.* of one .deb into the new root. */
static int
unpack_data(struct add *ad, const void *buf, size_t len, const char *deb)
{
	struct pull *pl = ad->pl;
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct stream_ctx sc;
	int r, ret = 0;

	memset(&sc, 0, sizeof(sc));
	sc.root = pl->newroot.buf;
	sc.archive = a;
	sc.disk = archive_write_disk_new();
	archive_write_disk_set_options(sc.disk, ARCHIVE_EXTRACT_TIME |
		ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_UNLINK |
		ARCHIVE_EXTRACT_SECURE_NODOTDOT);
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
		snprintf(pl->err, pl->errsz, "cannot read the data of '%s': %s",
			 deb, archive_error_string(a));
		ret = RPX_EPARSE;
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		mode_t type = archive_entry_filetype(e);
		const char *hl = archive_entry_hardlink(e);
		char *dest, *hdest = NULL;

		if (type == AE_IFDIR)
			continue;
		dest = dest_of(ad, archive_entry_pathname(e));
		if (dest == NULL)
			continue;
		if (hl != NULL) {
			hdest = dest_of(ad, hl);
			if (hdest == NULL) {
				free(dest);
				continue;
			}
			archive_entry_set_hardlink(e, hdest);
		}
		sc.entry = e;
		manifest_add(&ad->added, 'a', archive_entry_size(e),
			     archive_entry_mtime(e), dest);
		ret = stream_extract(&sc, dest);
		free(dest);
		free(hdest);
		if (ret != 0) {
			if (sc.err_no == ENOSPC || sc.err_no == EDQUOT)
				sysroot_local_error(sc.err_no, pl->newdir.buf,
						    pl->err, pl->errsz);
			else
				snprintf(pl->err, pl->errsz, "%s: %s", deb,
					 sc.err);
			goto out;
		}
	}
	if (r != ARCHIVE_EOF) {
		snprintf(pl->err, pl->errsz, "'%s' is damaged: %s", deb,
			 archive_error_string(a));
		ret = RPX_EPARSE;
	}
out:
	archive_write_free(sc.disk);
	archive_read_free(a);
	return ret;
}

/* One .deb: an ar archive holding debian-binary, control.tar.*,
 * data.tar.*. */
static int
unpack_deb(struct add *ad, const struct deb *d)
{
	struct pull *pl = ad->pl;
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct strbuf data = STRBUF_INIT;
	bool found = false;
	int r, ret = 0;

	archive_read_support_format_ar(a);
	if (archive_read_open_memory(a, d->data.buf, d->data.len) !=
	    ARCHIVE_OK) {
		snprintf(pl->err, pl->errsz, "'%s' is not a .deb: %s", d->file,
			 archive_error_string(a));
		archive_read_free(a);
		return RPX_EPARSE;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		char buf[65536];
		la_ssize_t n;

		if (!rpx_starts_with(archive_entry_pathname(e), "data.tar"))
			continue;
		while ((n = archive_read_data(a, buf, sizeof(buf))) > 0)
			strbuf_add(&data, buf, (size_t)n);
		found = n == 0;
		break;
	}
	archive_read_free(a);
	if (!found) {
		snprintf(pl->err, pl->errsz, "'%s' has no data.tar member",
			 d->file);
		ret = RPX_EPARSE;
	} else {
		ret = unpack_data(ad, data.buf, data.len, d->file);
	}
	strbuf_release(&data);
	return ret;
}

/* NAME_VERSION_ARCH.deb (':' of an epoch as %3a) */
static void
note_pkg(struct pull *pl, const char *file)
{
	const char *u1 = strchr(file, '_');
	const char *u2 = u1 ? strchr(u1 + 1, '_') : NULL;
	char *name, *ver;
	char *pct;

	if (u1 == NULL || u2 == NULL)
		return;
	name = xstrndup(file, (size_t)(u1 - file));
	ver = xstrndup(u1 + 1, (size_t)(u2 - u1 - 1));
	while ((pct = strstr(ver, "%3a")) != NULL) {
		*pct = ':';
		memmove(pct + 1, pct + 3, strlen(pct + 3) + 1);
	}
	sysroot_info_add_pkg(&pl->addpkgs, &pl->naddpkgs, &pl->aaddpkgs, name,
			     ver);
	free(name);
	free(ver);
}

static void
apt_hint(struct pull *pl, char *const *pkgs, size_t n, const char *why)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, " %s", pkgs[i]);
	snprintf(pl->err, pl->errsz, "%s; install them on the Pi instead: "
		 "sudo apt install%s (then 'rpi-cross sysroot pull')", why,
		 sb.buf);
	strbuf_release(&sb);
}

static int
download(struct add *ad, char *const *pkgs, size_t n)
{
	struct pull *pl = ad->pl;
	struct strbuf cmd = STRBUF_INIT, rerr = STRBUF_INIT;
	struct stream_ctx sc;
	int status = 0, r;

	strbuf_adds(&cmd, "d=\"$HOME/.cache/rpi-cross/debs\"; rm -rf \"$d\"; "
		    "mkdir -p \"$d\" && cd \"$d\" || exit 90\n"
		    "command -v apt-get >/dev/null 2>&1 || { cd; rm -rf "
		    "\"$d\"; echo 'no apt-get on the Pi' >&2; exit 91; }\n"
		    "if apt-get -q download");
	for (size_t i = 0; i < n; i++) {
		strbuf_addch(&cmd, ' ');
		strbuf_add_shquoted(&cmd, pkgs[i]);
	}
	strbuf_adds(&cmd, " >&2; then tar -cf - *.deb; rc=$?; else rc=92; fi\n"
		    "cd; rm -rf \"$d\"; exit $rc\n");
	memset(&sc, 0, sizeof(sc));
	sc.root = pl->newroot.buf;
	sc.progress = pl->o->progress;
	sc.progress_out = pl->o->progress_out;
	sc.label = "downloading";
	r = stream_run(pl->r, cmd.buf, NULL, 0, &sc, on_deb, ad, &rerr,
		       &status, pl->err, pl->errsz);
	if (r == RPX_ECHILD && (status == 91 || status == 92)) {
		char why[768];
		const char *last;

		strbuf_rtrim(&rerr);
		last = strrchr(rerr.buf, '\n');
		snprintf(why, sizeof(why), "apt-get download on '%s' failed: "
			 "%s", pl->r->display, last ? last + 1 : rerr.len ?
			 rerr.buf : "no message");
		apt_hint(pl, pkgs, n, why);
	} else if (r == RPX_ECHILD && status == 90) {
		snprintf(pl->err, pl->errsz, "cannot make ~/.cache/rpi-cross/"
			 "debs on '%s'", pl->r->display);
	}
	pl->st->wire_bytes = sc.wire;
	strbuf_release(&cmd);
	strbuf_release(&rerr);
	return r;
}

static int
copy_old(struct add *ad)
{
	struct pull *pl = ad->pl;
	struct stat sb;
	char *lib;

	tree_remove(pl->newroot.buf);
	if (tree_clone(pl->oldroot.buf, pl->newroot.buf) != 0) {
		sysroot_local_error(errno, pl->newdir.buf, pl->err, pl->errsz);
		return RPX_EIO;
	}
	lib = xasprintf("%s/lib", pl->newroot.buf);
	ad->merged = lstat(lib, &sb) == 0 && S_ISLNK(sb.st_mode);
	free(lib);
	return 0;
}

/* pl->now: the Pi's entries of the old manifest; added: its 'a' ones
 * and the new files. */
static void
split_manifest(struct add *ad, struct manifest *added)
{
	struct pull *pl = ad->pl;

	for (size_t i = 0; i < pl->old.n; i++) {
		const struct mentry *e = &pl->old.v[i];

		if (e->type != 'a')
			manifest_add(&pl->now, e->type, e->size, e->mtime,
				     e->path);
		else if (manifest_find(&ad->added, e->path) == NULL)
			manifest_add(added, 'a', e->size, e->mtime, e->path);
	}
	for (size_t i = 0; i < ad->added.n; i++) {
		const struct mentry *e = &ad->added.v[i];

		if (manifest_find(&pl->now, e->path) == NULL)
			manifest_add(added, 'a', e->size, e->mtime, e->path);
	}
}

int
sysroot_add(struct remote *r, const char *name, char *const *pkgs,
	    size_t npkgs, const struct sysroot_pull_opts *o,
	    struct sysroot_stats *st, char *err, size_t errsz)
{
	struct sysroot_pull_opts oo = *o;
	struct pull pl;
	struct add ad;
	struct manifest added = { NULL, 0, 0 };
	struct fix_stats fs;
	int ret = 0;

	for (size_t i = 0; i < npkgs; i++)
		if (!pkg_ok(pkgs[i])) {
			snprintf(err, errsz, "'%s' is not a Debian package "
				 "name", pkgs[i]);
			return RPX_EINVAL;
		}
	oo.name = name;
	pull_init(&pl, r, &oo, st, err, errsz);
	memset(&ad, 0, sizeof(ad));
	ad.pl = &pl;
	ret = pull_probe(&pl);
	if (ret == 0)
		ret = pull_prepare(&pl, true);
	if (ret == 0) {
		pull_read_manifest(&pl);
		ret = copy_old(&ad);
	}
	if (ret == 0)
		ret = download(&ad, pkgs, npkgs);
	for (size_t i = 0; ret == 0 && i < ad.ndebs; i++) {
		note_pkg(&pl, ad.debs[i].file);
		ret = unpack_deb(&ad, &ad.debs[i]);
	}
	if (ret == 0 && ad.ndebs == 0) {
		apt_hint(&pl, pkgs, npkgs, "apt-get download sent no .deb");
		ret = RPX_ENOTFOUND;
	}
	if (ret == 0 && o->stop != NULL && *o->stop) {
		snprintf(err, errsz, "interrupted");
		ret = RPX_ECANCELED;
	}
	if (ret == 0)
		ret = fix_tree(pl.newroot.buf, &fs, err, errsz);
	if (ret == 0) {
		manifest_sort(&ad.added);
		split_manifest(&ad, &added);
		ret = pull_record(&pl, &added, &fs, pl.newdir.buf);
	}
	if (ret == 0)
		ret = tree_swap(pl.dir.buf, pl.newdir.buf, err, errsz);
	if (ret == 0) {
		st->files = fs.files;
		st->bytes = fs.bytes;
		st->fetched = (long long)ad.added.n;
		st->links_fixed = fs.links;
		st->scripts_fixed = fs.scripts;
	}
	if (ret != 0 && pl.lockfd >= 0 && pl.newdir.len > 0 &&
	    rpx_is_dir(pl.newdir.buf))
		tree_remove(pl.newdir.buf);
	for (size_t i = 0; i < ad.ndebs; i++) {
		free(ad.debs[i].file);
		strbuf_release(&ad.debs[i].data);
	}
	free(ad.debs);
	manifest_release(&ad.added);
	manifest_release(&added);
	pull_release(&pl);
	return ret;
}
