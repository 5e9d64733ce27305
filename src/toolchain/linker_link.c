/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * linker_link.c - the low level every probe shares: string vectors, the
 * probe folders, the process slots, and one probe link run and judged by
 * the ELF file it wrote (see linker_int.h).
 */
#include "linker_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "elf.h"
#include "fsutil.h"
#include "rpx.h"
#include "strbuf.h"

const char linker_hello_rs[] =
	"fn main() {\n    println!(\"Hello from rpi-cross\");\n}\n";
const char linker_hello_c[] =
	"#include <stdio.h>\n"
	"int main(void) { puts(\"Hello from rpi-cross\"); return 0; }\n";


/* Remove a probe folder and everything a killed tool left in it. Thread
 * safe: each call walks its own folder with its own directory streams. */
void
linker_remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		struct stat st;
		char *p;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			linker_remove_tree(p);
		else
			(void)unlink(p);
		free(p);
	}
	if (d != NULL)
		closedir(d);
	(void)rmdir(dir);
}

/*
 * Write a new file with mode. Close-on-exec: a program another thread
 * starts meanwhile must not inherit the open file, or a script written
 * here could not be run while that program lives ("Text file busy").
 */
int
linker_write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	int ret;

	if (fd < 0)
		return RPX_EIO;
	ret = fsutil_write_all(fd, text, strlen(text)) == 0 ? 0 : RPX_EIO;
	if (close(fd) != 0)
		ret = RPX_EIO;
	return ret;
}

static bool
starts(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && strncmp(s, p, n) == 0;
}

static bool
contains(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (strncmp(s + i, needle, n) == 0)
			return true;
	return false;
}

/*
 * The line of a failed link that says why: the linker's own words from
 * rustc's "= note:" lines, else the first line naming an error, else the
 * first non-empty line. NULL when the text is empty.
 */
char *
linker_failure_line(const char *text)
{
	const char *first = NULL, *err = NULL;
	size_t first_len = 0, err_len = 0;

	for (const char *s = text; *s != '\0';) {
		size_t len = strcspn(s, "\n");
		const char *l = s;
		size_t n = len;

		s += len;
		if (*s == '\n')
			s++;
		while (n > 0 && (*l == ' ' || *l == '\t' || *l == '=' ||
				 *l == '|')) {
			l++;
			n--;
		}
		while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		if (starts(l, n, "note: ")) {
			l += 6;
			n -= 6;
			while (n > 0 && *l == ' ') {
				l++;
				n--;
			}
			if (n == 0 || *l == '"' ||
			    starts(l, n, "some arguments") ||
			    starts(l, n, "use `--verbose`"))
				continue;
			return xstrndup(l, n > 300 ? 300 : n);
		}
		if (first == NULL) {
			first = l;
			first_len = n;
		}
		if (err == NULL && !contains(l, n, "aborting due to") &&
		    !starts(l, n, "error: linking with") &&
		    (contains(l, n, "error") || contains(l, n, "cannot find") ||
		     contains(l, n, "undefined reference") ||
		     contains(l, n, "unable to find"))) {
			err = l;
			err_len = n;
		}
	}
	if (err != NULL)
		return xstrndup(err, err_len > 300 ? 300 : err_len);
	if (first != NULL)
		return xstrndup(first, first_len > 300 ? 300 : first_len);
	return NULL;
}

/* The program a probe (and Cargo) runs: zig's wrapper, else the linker. */
const char *
linker_program(const struct linker *l)
{
	return l->wrapper != NULL ? l->wrapper : l->path;
}

void
linker_probe_fail(struct linker *l, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	strbuf_adds(&sb, buf);
	free(l->why);
	l->why = strbuf_detach(&sb, NULL);
	l->works = false;
}

/*
 * Process slots: about one program per CPU runs at a time, the waiting
 * one with the best priority first (the compile all links wait for, then
 * the slow cc-like links). A thread waits at most SLOT_WAIT_MS for a slot,
 * so linkers that hang until their timeout cannot hold the others up.
 */
#define SLOT_WAIT_MS 1000

static bool
better_waiting(const struct probe_run *run, int prio)
{
	for (int i = 0; i < prio; i++)
		if (run->waiting[i] > 0)
			return true;
	return false;
}

bool
linker_slot_take(struct probe_run *run, int prio)
{
	struct timespec dl;
	bool got = false;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += SLOT_WAIT_MS / 1000;
	pthread_mutex_lock(&run->mu);
	run->waiting[prio]++;
	for (;;) {
		int r;

		if (run->free_slots > 0 && !better_waiting(run, prio)) {
			run->free_slots--;
			got = true;
			break;
		}
		r = pthread_cond_timedwait(&run->cv, &run->mu, &dl);
		if (r != 0 && r != EINTR)
			break;		/* waited long enough: run anyway */
	}
	run->waiting[prio]--;
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
	return got;
}

void
linker_slot_give(struct probe_run *run, bool taken)
{
	if (!taken)
		return;
	pthread_mutex_lock(&run->mu);
	run->free_slots++;
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
}

/* proc_run() inside a process slot: the one j was handed, else one it
 * waits for. */
int
linker_run_slotted(struct job *j, struct proc *p)
{
	bool taken = j->own_slot || linker_slot_take(j->run, j->prio);
	int r;

	j->own_slot = false;
	if (j->o != NULL)
		p->trace = j->o->trace;
	r = proc_run(p);
	linker_slot_give(j->run, taken);
	return r;
}

static bool
links_glibc(const struct elf_info *e)
{
	if (e->glibc_max[0] != '\0')
		return true;
	for (int i = 0; i < e->n_needed; i++)
		if (strcmp(e->needed[i], "libc.so.6") == 0)
			return true;
	return false;
}

/*
 * Run the link command argv (environment changes env) that should write
 * the program out, and judge what it wrote for j's target.
 */
void
linker_link_and_check(struct job *j, const char *const *argv,
	       const char *const *env, const char *out)
{
	struct linker *l = j->l;
	const struct target *t = j->t;
	struct proc p = PROC_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	const char *why = NULL;
	char *reason = NULL;
	int r, timeout = j->run->timeout_ms;

	p.argv = argv;
	p.env = env;
	p.capture = true;
	p.timeout_ms = timeout;
	r = linker_run_slotted(j, &p);
	if (r == RPX_ETIMEOUT) {
		l->timed_out = true;
		linker_probe_fail(l, "the probe link did not finish within "
				  "%d s and was killed", timeout / 1000);
		goto out;
	}
	if (r != 0) {
		linker_probe_fail(l, "%s", p.why);
		goto out;
	}
	if (!proc_ok(&p)) {
		reason = linker_failure_line(p.err.buf);
		if (reason == NULL)
			reason = linker_failure_line(p.out.buf);
		linker_probe_fail(l, "the probe link failed: %s",
				  reason ? reason : p.why);
		goto out;
	}
	r = elf_read_file(out, &l->elf, &err);
	if (r == RPX_ENOTFOUND) {
		linker_probe_fail(l, "it reported success but wrote no "
				  "program");
		goto out;
	}
	if (r != 0) {
		linker_probe_fail(l, "it wrote something that is not a "
				  "program: %s", err.msg);
		goto out;
	}
	l->have_elf = true;
	if (!elf_matches_target(&l->elf, t, &why)) {
		linker_probe_fail(l, "it links, but not for %s: %s", t->triple,
				  why);
		goto out;
	}
	if (strstr(p.err.buf, "cannot find entry symbol") != NULL) {
		linker_probe_fail(l, "it links, but without start-up code (no "
				  "_start): the crt objects a compiler driver "
				  "adds are missing");
		goto out;
	}
	if (t->libc == LIBC_MUSL && links_glibc(&l->elf)) {
		linker_probe_fail(l, "it links against glibc (%s%s), not musl: "
				  "there is no musl libc for %s here",
				  l->elf.glibc_max[0] ? "GLIBC_" : "libc.so.6",
				  l->elf.glibc_max, t->triple);
		goto out;
	}
	if (t->libc == LIBC_GNU && !l->elf.is_static &&
	    strstr(l->elf.interp, "ld-linux") == NULL) {
		linker_probe_fail(l, "it links, but the program names no "
				  "usable loader ('%s' instead of glibc's "
				  "ld-linux): -dynamic-linker is missing",
				  l->elf.interp);
		goto out;
	}
	l->works = true;
out:
	proc_release(&p);
	free(reason);
}
