/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * doctor_host.c - the doctor's checks of the Pi over SSH, sharing one
 * connection (struct doctor_host, doctor.h).
 */
#include "doctor_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "rpx.h"

struct doctor_host {
	pthread_mutex_t lock;
	struct remote_opts opts;
	char *target;
	bool tried;
	int rc;
	enum doctor_host_stage stage;
	struct remote r;
	bool key_unknown;
	char key_type[32];
	char key_fp[128];
	bool probed;
	int probe_rc;
	struct remote_probe probe;
	char probe_err[2048];
};

/* The host-key question: recorded, never trusted. */
static bool
refuse_key(void *data, const char *host, const char *key_type,
	   const char *fingerprint)
{
	struct doctor_host *h = data;

	(void)host;
	h->key_unknown = true;
	snprintf(h->key_type, sizeof(h->key_type), "%s", key_type);
	snprintf(h->key_fp, sizeof(h->key_fp), "%s", fingerprint);
	return false;
}

/* The caller's password question, through our callback data. */
static int
pass_ask(void *data, const char *prompt, bool echo, char *buf, size_t bufsz)
{
	struct doctor_host *h = data;

	return h->opts.cb.ask(h->opts.cb.data, prompt, echo, buf, bufsz);
}

struct doctor_host *
doctor_host_new(const struct remote_opts *o)
{
	struct doctor_host *h = xcalloc(1, sizeof(*h));
	struct remote init = REMOTE_INIT;

	pthread_mutex_init(&h->lock, NULL);
	h->opts = *o;
	h->target = xstrdup(o->target ? o->target : "");
	h->opts.target = h->target;
	h->r = init;
	return h;
}

void
doctor_host_free(struct doctor_host *h)
{
	if (h == NULL)
		return;
	remote_release(&h->r);
	pthread_mutex_destroy(&h->lock);
	free(h->target);
	free(h);
}

enum doctor_host_stage
doctor_host_classify(int rc, enum remote_err code, bool key_unknown)
{
	if (rc == 0)
		return DOCTOR_HOST_OK;
	if (key_unknown)
		return DOCTOR_HOST_KEY_UNKNOWN;
	switch (code) {
	case REMOTE_ERR_HOSTKEY_CHANGED:
		return DOCTOR_HOST_KEY_CHANGED;
	case REMOTE_ERR_TIMEOUT:
		return DOCTOR_HOST_TIMEOUT;
	case REMOTE_ERR_AUTH:
		return DOCTOR_HOST_AUTH;
	/* not known, yet not asked about: nothing to show of the key */
	case REMOTE_ERR_HOSTKEY_UNKNOWN:
	case REMOTE_ERR_HOSTKEY:
		return DOCTOR_HOST_KEY_ERROR;
	case REMOTE_ERR_BAD_TARGET:
		return DOCTOR_HOST_BAD_TARGET;
	default:
		/* no connection (refused, no route, the proxy), or this
		 * side could not start one */
		return DOCTOR_HOST_UNREACHABLE;
	}
}

/* Connect once; the caller holds h->lock. */
static void
connect_locked(struct doctor_host *h)
{
	struct remote_opts o = h->opts;

	if (h->tried)
		return;
	h->tried = true;
	o.accept_new_host_key = false;
	o.cb.confirm_host_key = refuse_key;
	o.cb.ask = h->opts.cb.ask != NULL ? pass_ask : NULL;
	o.cb.progress = NULL;
	o.cb.data = h;
	h->rc = remote_connect(&h->r, &o);
	h->stage = doctor_host_classify(h->rc, h->r.err_code,
					h->key_unknown);
}

static enum doctor_host_stage
host_stage(struct doctor_host *h)
{
	enum doctor_host_stage st;

	pthread_mutex_lock(&h->lock);
	connect_locked(h);
	st = h->stage;
	pthread_mutex_unlock(&h->lock);
	return st;
}

/* The board probe, once; NULL when it failed (message in r). */
static const struct remote_probe *
host_probe(struct doctor_host *h, struct doctor_result *r)
{
	const struct remote_probe *p = NULL;

	pthread_mutex_lock(&h->lock);
	connect_locked(h);
	if (h->stage != DOCTOR_HOST_OK) {
		doctor_set(r, DOCTOR_SKIP, NULL, "skipped: not logged in to "
			   "the Pi (see the checks above)");
		goto out;
	}
	if (!h->probed) {
		h->probed = true;
		h->probe_rc = remote_probe(&h->r, NULL, &h->probe);
		if (h->probe_rc != 0)
			snprintf(h->probe_err, sizeof(h->probe_err), "%s",
				 h->r.err);
	}
	if (h->probe_rc != 0) {
		doctor_set(r, DOCTOR_FAIL, "check that the Pi runs a POSIX "
			   "shell for this user (rpi-cross detect shows the "
			   "details)", "cannot probe the Pi: %s",
			   h->probe_err);
		goto out;
	}
	p = &h->probe;
out:
	pthread_mutex_unlock(&h->lock);
	return p;
}

/* The first line of a message, into buf. */
static const char *
first_line(const char *s, char *buf, size_t bufsz)
{
	size_t n = strcspn(s, "\n");

	if (n >= bufsz)
		n = bufsz - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* The host as known_hosts and ssh-keyscan name it. */
static void
scan_args(const struct remote *rm, char *buf, size_t bufsz)
{
	if (rm->port != 22 && rm->port != 0)
		snprintf(buf, bufsz, "-p %d %s", rm->port, rm->host);
	else
		snprintf(buf, bufsz, "%s", rm->host ? rm->host : "HOST");
}

static bool
no_host(const struct doctor_input *in, struct doctor_result *r)
{
	if (in->conn != NULL)
		return false;
	doctor_set(r, DOCTOR_SKIP, NULL, "no host given: use --host "
		   "[USER@]HOST[:PORT] or set RPI_CROSS_HOST to check the Pi");
	return true;
}

/* What the Pi answered, for a check that needs it; NULL (r filled:
 * skipped without a host or a login, failed when the probe did) when
 * there is nothing to check. */
static const struct remote_probe *
probed(const struct doctor_input *in, struct doctor_result *r)
{
	return no_host(in, r) ? NULL : host_probe(in->conn, r);
}

const struct remote_probe *
doctor_probed(const struct doctor_input *in, struct doctor_result *r)
{
	return probed(in, r);
}

void
doctor_check_host_reachable(const struct doctor_input *in,
			    struct doctor_result *r)
{
	struct doctor_host *h = in->conn;
	char line[400];

	if (no_host(in, r))
		return;
	switch (host_stage(h)) {
	case DOCTOR_HOST_BAD_TARGET:
		doctor_set(r, DOCTOR_FAIL, "give the Pi as [USER@]HOST[:PORT] "
			   "or an alias from ~/.ssh/config", "%s",
			   first_line(h->r.err, line, sizeof(line)));
		return;
	case DOCTOR_HOST_TIMEOUT:
	case DOCTOR_HOST_UNREACHABLE:
		doctor_set(r, DOCTOR_FAIL, "check that the Pi is on and on the "
			   "network, the address and port are right, and SSH "
			   "is enabled on it (sudo raspi-config: Interface "
			   "Options, SSH)", "%s",
			   first_line(h->r.err, line, sizeof(line)));
		return;
	default:
		break;
	}
	doctor_set(r, DOCTOR_PASS, NULL, "%s answers: an SSH server is "
		   "listening", h->r.display);
}

void
doctor_check_host_key(const struct doctor_input *in, struct doctor_result *r)
{
	struct doctor_host *h = in->conn;
	char line[400], fix[512], scan[300];
	struct strbuf cmd = STRBUF_INIT;

	if (no_host(in, r))
		return;
	switch (host_stage(h)) {
	case DOCTOR_HOST_BAD_TARGET:
	case DOCTOR_HOST_UNREACHABLE:
	case DOCTOR_HOST_TIMEOUT:
		doctor_set(r, DOCTOR_SKIP, NULL, "skipped: the Pi did not "
			   "answer");
		return;
	case DOCTOR_HOST_KEY_UNKNOWN:
		scan_args(&h->r, scan, sizeof(scan));
		snprintf(fix, sizeof(fix), "compare it with the Pi's own "
			 "(ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the "
			 "Pi), then run 'rpi-cross detect %s "
			 "--accept-new-host-key' (or ssh-keyscan %s >> %s)",
			 h->target, scan, h->r.known_hosts);
		doctor_set(r, DOCTOR_FAIL, fix, "the host key of %s is not "
			   "known (%s %s): doctor never trusts a new key",
			   h->r.display, h->key_type, h->key_fp);
		return;
	case DOCTOR_HOST_KEY_CHANGED:
		remote_forget_host_command(&h->r, &cmd);
		snprintf(fix, sizeof(fix), "if the Pi was reinstalled, check "
			 "the new key on the Pi itself, then remove the old "
			 "one: %s", first_line(cmd.buf, scan, sizeof(scan)));
		strbuf_release(&cmd);
		doctor_set(r, DOCTOR_FAIL, fix, "%s (someone may be "
			   "intercepting the connection, or the Pi was "
			   "reinstalled)",
			   first_line(h->r.err, line, sizeof(line)));
		return;
	case DOCTOR_HOST_KEY_ERROR:
		doctor_set(r, DOCTOR_FAIL, "check that known_hosts is "
			   "readable and well-formed", "%s",
			   first_line(h->r.err, line, sizeof(line)));
		return;
	default:
		break;
	}
	doctor_set(r, DOCTOR_PASS, NULL, "the key %s offers matches %s",
		   h->r.display, h->r.known_hosts);
}

void
doctor_check_host_auth(const struct doctor_input *in, struct doctor_result *r)
{
	struct doctor_host *h = in->conn;
	char line[480], fix[400];

	enum doctor_host_stage st;

	if (no_host(in, r))
		return;
	st = host_stage(h);
	if (st != DOCTOR_HOST_OK && st != DOCTOR_HOST_AUTH) {
		doctor_set(r, DOCTOR_SKIP, NULL, "skipped: %s",
			   st == DOCTOR_HOST_KEY_UNKNOWN ||
			   st == DOCTOR_HOST_KEY_CHANGED ||
			   st == DOCTOR_HOST_KEY_ERROR ?
			   "the host key is not trusted" :
			   "the Pi did not answer");
		return;
	}
	if (st == DOCTOR_HOST_AUTH) {
		if (h->r.port != 22 && h->r.port != 0)
			snprintf(fix, sizeof(fix), "install your public key on "
				 "the Pi: ssh-copy-id -p %d %s@%s (and load it "
				 "with ssh-add if it has a passphrase)",
				 h->r.port, h->r.user, h->r.host);
		else
			snprintf(fix, sizeof(fix), "install your public key on "
				 "the Pi: ssh-copy-id %s@%s (and load it with "
				 "ssh-add if it has a passphrase)", h->r.user,
				 h->r.host);
		doctor_set(r, DOCTOR_FAIL, fix, "%s",
			   first_line(h->r.err, line, sizeof(line)));
		return;
	}
	doctor_set(r, DOCTOR_PASS, NULL, "logged in to %s as %s",
		   h->r.display, h->r.user);
}

/* The musl target for the same architecture as t (NULL: armv7's). */
static const struct target *
musl_twin(const struct target *t)
{
	int n;
	const struct target *all = target_all(&n);

	for (int i = 0; t != NULL && i < n; i++)
		if (all[i].libc == LIBC_MUSL && all[i].bits == t->bits &&
		    strcmp(all[i].arch, t->arch) == 0)
			return &all[i];
	return target_find("armv7-unknown-linux-musleabihf");
}

enum doctor_status
doctor_glibc_verdict(const char *pi, const char *tc, const struct target *t,
		     char *msg, size_t msgsz, char *fix, size_t fixsz)
{
	const struct target *m = musl_twin(t);
	bool gnu = t == NULL || t->libc == LIBC_GNU;
	enum doctor_status bad = t != NULL ? DOCTOR_FAIL : DOCTOR_WARN;

	fix[0] = '\0';
	if (tc == NULL)
		tc = PLAN_TOOLCHAIN_GLIBC;
	if (!gnu) {
		snprintf(msg, msgsz, "%s%s; %s is static musl, so the Pi's "
			 "glibc does not matter", pi && *pi ? "glibc " : "no "
			 "glibc found", pi && *pi ? pi : "", t->triple);
		return DOCTOR_PASS;
	}
	if (pi == NULL || *pi == '\0') {
		snprintf(msg, msgsz, "no glibc found on the Pi (a musl-based "
			 "OS?): a gnu binary fails there with \"No such file "
			 "or directory\" (no loader)");
		snprintf(fix, fixsz, "build a static musl binary: --target %s",
			 m->triple);
		return bad;
	}
	if (plan_version_cmp(pi, "2.34") < 0) {
		snprintf(msg, msgsz, "glibc %s is older than 2.34, which "
			 "programs linked by a glibc %s toolchain need: they "
			 "fail with \"GLIBC_2.34 not found\"%s", pi, tc,
			 t == NULL ? " (if you build gnu)" : "");
		snprintf(fix, fixsz, "build static musl (--target %s), or "
			 "link against a sysroot with glibc <= %s (the Pi's "
			 "OS release), or upgrade the Pi's OS", m->triple, pi);
		return bad;
	}
	if (plan_version_cmp(pi, tc) < 0) {
		snprintf(msg, msgsz, "glibc %s is older than the toolchain's "
			 "%s: programs that use newer functions fail with "
			 "\"GLIBC_%s not found\"", pi, tc, tc);
		snprintf(fix, fixsz, "link against a sysroot with glibc <= "
			 "%s, or build static musl (--target %s)", pi,
			 m->triple);
		return DOCTOR_WARN;
	}
	snprintf(msg, msgsz, "glibc %s, not older than the toolchain's %s",
		 pi, tc);
	return DOCTOR_PASS;
}

enum doctor_status
doctor_space_verdict(long long kb, const char *home, char *msg, size_t msgsz,
		     char *fix, size_t fixsz)
{
	fix[0] = '\0';
	if (kb < 0) {
		snprintf(msg, msgsz, "the free space in %s could not be read "
			 "(no df?)", home && *home ? home : "the home folder");
		snprintf(fix, fixsz, "check it on the Pi with df -h ~");
		return DOCTOR_WARN;
	}
	if (kb >= 1024 * 1024)
		snprintf(msg, msgsz, "%.1f GB free in %s",
			 kb / (1024.0 * 1024.0), home && *home ? home :
			 "the home folder");
	else
		snprintf(msg, msgsz, "%.1f MB free in %s", kb / 1024.0,
			 home && *home ? home : "the home folder");
	if (kb < 10 * 1024) {
		snprintf(fix, fixsz, "free space on the Pi (a release binary "
			 "needs a few MB; rm -rf ~/.cache/rpi-cross clears "
			 "old uploads)");
		return DOCTOR_FAIL;
	}
	if (kb < 100 * 1024) {
		snprintf(fix, fixsz, "free some space on the Pi: big debug "
			 "builds may not fit");
		return DOCTOR_WARN;
	}
	return DOCTOR_PASS;
}

void
doctor_check_host_glibc(const struct doctor_input *in,
			struct doctor_result *r)
{
	const struct remote_probe *p;
	char msg[400], fix[400];
	enum doctor_status st;

	p = probed(in, r);
	if (p == NULL)
		return;
	st = doctor_glibc_verdict(p->glibc, NULL, in->target, msg,
				  sizeof(msg), fix, sizeof(fix));
	doctor_set(r, st, fix[0] ? fix : NULL, "%s", msg);
}

void
doctor_check_host_space(const struct doctor_input *in,
			struct doctor_result *r)
{
	const struct remote_probe *p;
	char msg[400], fix[400];
	enum doctor_status st;

	p = probed(in, r);
	if (p == NULL)
		return;
	st = doctor_space_verdict(p->home_free_kb, p->home, msg, sizeof(msg),
				  fix, sizeof(fix));
	doctor_set(r, st, fix[0] ? fix : NULL, "%s", msg);
}

void
doctor_check_host_board(const struct doctor_input *in,
			struct doctor_result *r)
{
	const struct remote_probe *p;
	const struct board *b;
	const struct target *t = in->target, *alt;
	const char *why = NULL, *bname;
	enum isa isa;
	char fix[300], *cpu = NULL;
	int bits;

	p = probed(in, r);
	if (p == NULL)
		return;
	b = p->ident.board;
	bname = b ? b->name : p->ident.model[0] ? p->ident.model :
		"the Pi";
	isa = b ? b->cpu->isa : p->isa;
	bits = p->os_bits ? p->os_bits : (b ? board_default_bits(b) : 32);
	if (in->board != NULL && b != NULL && in->board != b) {
		snprintf(fix, sizeof(fix), "use --board %s", b->id);
		doctor_set(r, DOCTOR_FAIL, fix, "--board %s, but the Pi says "
			   "it is a %s", in->board->id, b->name);
		return;
	}
	if (t == NULL) {
		alt = b ? board_recommend(b, bits, LIBC_GNU, NULL) : NULL;
		doctor_set(r, DOCTOR_PASS, NULL, "the Pi is a %s with a "
			   "%d-bit OS%s%s (give --target to check a target)",
			   bname, bits, alt ? ": use " : "",
			   alt ? alt->triple : "");
		return;
	}
	if (!target_runs_on(t, isa, b ? b->can64 : isa >= ISA_ARMV8, bits,
			    &why)) {
		alt = b ? board_recommend(b, bits, t->libc, NULL) : NULL;
		snprintf(fix, sizeof(fix), "use --target %s",
			 alt ? alt->triple : bits == 64 ?
			 "aarch64-unknown-linux-gnu" :
			 "armv7-unknown-linux-gnueabihf");
		doctor_set(r, DOCTOR_FAIL, fix, "%s does not run on this %s "
			   "with a %d-bit OS: %s", t->triple, bname, bits,
			   why ? why : "");
		return;
	}
	cpu = doctor_config_cpu(in, t, NULL);
	if (cpu != NULL && pi_cpu_isa(cpu) > isa && isa != ISA_UNKNOWN) {
		snprintf(fix, sizeof(fix), "set -C target-cpu=%s in the "
			 "rustflags (or remove it)", b ? b->cpu->name : "generic");
		doctor_set(r, DOCTOR_FAIL, fix, "the rustflags tune for %s, "
			   "newer than this %s: its code dies with \"Illegal "
			   "instruction\"", cpu, bname);
		free(cpu);
		return;
	}
	doctor_set(r, DOCTOR_PASS, NULL, "%s runs on this %s with a %d-bit "
		   "OS%s%s", t->triple, bname, bits, cpu ? ", tuned for " : "",
		   cpu ? cpu : "");
	free(cpu);
}
