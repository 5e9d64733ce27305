/*
 * remote.c - the Pi over SSH with libssh (see remote.h).
 *
 * Works with libssh 0.10 (Debian 12) and 0.11 (Homebrew): only API both
 * have is used. Uploads speak SFTP themselves on a second channel beside
 * the exec that runs the program, with pipelined writes (0.10 has no
 * asynchronous SFTP writes); when that fails the file is streamed into
 * the exec channel to a `cat`.
 */
#include "remote.h"

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agentrelay.h"
#include "fsutil.h"
#include "hash.h"
#include "sshconf.h"

#define REMOTE_DIR ".cache/rpi-cross"
#define CAPTURE_MAX (16u << 20)
#define CHUNK (64u << 10)

struct remote_conn {
	ssh_session session;
	struct ssh_callbacks_struct cbs;
	struct remote *r;
	char hostkey_fp[128];	/* SHA256:... of the server's key */
	struct sshconf_ids ids;	/* IdentitiesOnly, every IdentityFile */
	char *agent_sock;	/* IdentityAgent or $SSH_AUTH_SOCK; NULL: none */
	char *ssh_dir;
	char *alias;		/* the host as typed */
};

static void
seterr(struct remote *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
seterr(struct remote *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
}

/* Overwrite a secret; the volatile pointer keeps the stores. */
static void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}


/* ---- targets and quoting ---------------------------------------------- */

static bool
bad_chars(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char)*s) || iscntrl((unsigned char)*s) ||
		    *s == '\'' || *s == '"' || *s == '\\' || *s == '`' ||
		    *s == '$' || *s == ';' || *s == '|' || *s == '&')
			return true;
	return false;
}

int
remote_parse_target(const char *target, char **user, char **host, int *port,
		    char *err, size_t errsz)
{
	const char *at, *rest, *colon;
	char *u = NULL, *h = NULL;
	long pv = 0;
	int ret = RPX_EINVAL;

	*user = NULL;
	*host = NULL;
	*port = 0;
	if (target == NULL || target[0] == '\0') {
		snprintf(err, errsz, "no host given");
		goto out;
	}
	if (target[0] == '-') {
		snprintf(err, errsz, "host '%s' starts with '-': refusing it "
			 "(it would be read as an option)", target);
		goto out;
	}
	if (bad_chars(target)) {
		snprintf(err, errsz, "host '%s' contains spaces, quotes or "
			 "shell characters", target);
		goto out;
	}
	at = strrchr(target, '@');
	rest = target;
	if (at != NULL) {
		if (at == target) {
			snprintf(err, errsz, "empty user name in '%s'", target);
			goto out;
		}
		u = xstrndup(target, (size_t)(at - target));
		rest = at + 1;
	}
	if (rest[0] == '[') {
		const char *close = strchr(rest, ']');

		if (close == NULL || close == rest + 1) {
			snprintf(err, errsz, "bad bracketed address in '%s'",
				 target);
			goto out;
		}
		h = xstrndup(rest + 1, (size_t)(close - rest - 1));
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] != '\0' && colon == NULL) {
			snprintf(err, errsz, "unexpected text after ']' in "
				 "'%s'", target);
			goto out;
		}
	} else {
		colon = strchr(rest, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;	/* a bare IPv6 address: no port */
		h = colon ? xstrndup(rest, (size_t)(colon - rest))
			  : xstrdup(rest);
	}
	if (colon != NULL) {
		char *end = NULL;

		errno = 0;
		pv = strtol(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || errno != 0 ||
		    pv < 1 || pv > 65535) {
			snprintf(err, errsz, "bad port '%s' in '%s'",
				 colon + 1, target);
			goto out;
		}
	}
	if (h[0] == '\0') {
		snprintf(err, errsz, "no host name in '%s'", target);
		goto out;
	}
	if (h[0] == '-' || (u != NULL && u[0] == '-')) {
		snprintf(err, errsz, "'%s' starts with '-' after '@': refusing "
			 "it (it would be read as an option)", target);
		goto out;
	}
	*user = u;
	*host = h;
	*port = (int)pv;
	u = NULL;
	h = NULL;
	ret = 0;
out:
	free(u);
	free(h);
	return ret;
}

/* ---- known_hosts ------------------------------------------------------- */

/* "host" for port 22, else "[host]:port": OpenSSH's known_hosts name. */
static char *
known_name(const char *host, int port)
{
	return port == 22 ? xstrdup(host) : xasprintf("[%s]:%d", host, port);
}

static bool
hashed_match(const char *field, const char *name)
{
	unsigned char salt[64], want[64], got[20];
	const char *p = field + 3, *bar = strchr(p, '|');
	long ns, nh;

	if (bar == NULL)
		return false;
	ns = hash_base64_decode(p, (size_t)(bar - p), salt, sizeof(salt));
	nh = hash_base64_decode(bar + 1, strlen(bar + 1), want, sizeof(want));
	if (ns <= 0 || nh != 20)
		return false;
	hmac_sha1(salt, (size_t)ns, name, strlen(name), got);
	return memcmp(got, want, 20) == 0;
}

/* One known_hosts pattern, as OpenSSH reads it: '*' and '?' are the
 * only wildcards ("[host]:port" is literal), case does not matter. */
static bool
pattern_is(const char *pat, const char *name)
{
	for (; *pat != '\0'; pat++, name++) {
		if (*pat == '*') {
			for (const char *n = name;; n++) {
				if (pattern_is(pat + 1, n))
					return true;
				if (*n == '\0')
					return false;
			}
		}
		if (*name == '\0')
			return false;
		if (*pat != '?' && tolower((unsigned char)*pat) !=
		    tolower((unsigned char)*name))
			return false;
	}
	return *name == '\0';
}

static bool
patterns_match(char *field, const char *name)
{
	bool hit = false;
	char *save = NULL;

	if (strncmp(field, "|1|", 3) == 0)
		return hashed_match(field, name);
	for (char *pat = strtok_r(field, ",", &save); pat != NULL;
	     pat = strtok_r(NULL, ",", &save)) {
		bool neg = pat[0] == '!';

		if (pattern_is(neg ? pat + 1 : pat, name)) {
			if (neg)
				return false;
			hit = true;
		}
	}
	return hit;
}

/* Append "file:line" of each entry in path naming name (to sb). */
static void
known_hosts_lines(const char *path, const char *name, struct strbuf *sb)
{
	FILE *f = NULL;
	char line[8192];
	int n = 0;

	f = fopen(path, "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *field;

		n++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		if (*p == '@') {
			if (strncmp(p, "@revoked", 8) == 0)
				continue;
			p += strcspn(p, " \t");
			p += strspn(p, " \t");
		}
		field = p;
		p += strcspn(p, " \t\n");
		if (*p == '\0')
			continue;
		*p = '\0';
		if (patterns_match(field, name))
			strbuf_addf(sb, "%s%s:%d", sb->len ? ", " : "", path, n);
	}
	fclose(f);
}

static int
check_host_key(struct remote *r, bool accept_new)
{
	ssh_session s = r->conn->session;
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp = NULL, *name = NULL;
	const char *type;
	struct strbuf lines = STRBUF_INIT;
	enum ssh_known_hosts_e state;
	int ret = RPX_EIO;

	if (ssh_get_server_publickey(s, &key) != SSH_OK) {
		seterr(r, "cannot read the host key of '%s': %s", r->display,
		       ssh_get_error(s));
		goto out;
	}
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
				   &hlen) != 0) {
		seterr(r, "cannot hash the host key of '%s'", r->display);
		goto out;
	}
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	if (fp != NULL)
		snprintf(r->conn->hostkey_fp, sizeof(r->conn->hostkey_fp), "%s",
			 fp);
	type = ssh_key_type_to_char(ssh_key_type(key));
	if (type == NULL)
		type = "unknown";
	name = known_name(r->host, r->port);
	state = ssh_session_is_known_server(s);
	switch (state) {
	case SSH_KNOWN_HOSTS_OK:
		ret = 0;
		break;
	case SSH_KNOWN_HOSTS_CHANGED:
	case SSH_KNOWN_HOSTS_OTHER:
		known_hosts_lines(r->known_hosts, name, &lines);
		known_hosts_lines("/etc/ssh/ssh_known_hosts", name, &lines);
		seterr(r,
		       "the host key of '%s' has %s: refusing to connect\n"
		       "  someone may be intercepting the connection, or the Pi "
		       "was reinstalled\n"
		       "  the server now offers %s %s\n"
		       "  the old key is at %s\n"
		       "  check the new fingerprint on the Pi itself (ssh-keygen "
		       "-lf /etc/ssh/ssh_host_%s_key.pub), then remove the old "
		       "key with:\n"
		       "    ssh-keygen -R '%s' -f '%s'",
		       name, state == SSH_KNOWN_HOSTS_CHANGED ? "changed" :
		       "changed (a key of another type was known)",
		       type, fp ? fp : "?",
		       lines.len ? lines.buf : r->known_hosts,
		       strncmp(type, "ssh-", 4) == 0 ? type + 4 :
		       strncmp(type, "ecdsa", 5) == 0 ? "ecdsa" : type,
		       name, r->known_hosts);
		ret = RPX_EINVAL;
		break;
	case SSH_KNOWN_HOSTS_NOT_FOUND:
	case SSH_KNOWN_HOSTS_UNKNOWN:
		if (!accept_new && (r->cb.confirm_host_key == NULL ||
		    !r->cb.confirm_host_key(r->cb.data, name, type,
					    fp ? fp : "?"))) {
			seterr(r, "the host key of '%s' is not known: refusing "
			       "to connect\n"
			       "  the server offers %s %s\n"
			       "  check it on the Pi (ssh-keygen -lf "
			       "/etc/ssh/ssh_host_%s_key.pub), then run again "
			       "at a terminal to confirm it, or with "
			       "--accept-new-host-key",
			       name, type, fp ? fp : "?",
			       strncmp(type, "ssh-", 4) == 0 ? type + 4 : type);
			ret = RPX_ECANCELED;
			break;
		}
		if (ssh_session_update_known_hosts(s) != SSH_OK) {
			seterr(r, "cannot add the host key of '%s' to '%s': %s",
			       name, r->known_hosts, ssh_get_error(s));
			break;
		}
		ret = 0;
		break;
	case SSH_KNOWN_HOSTS_ERROR:
	default:
		seterr(r, "cannot check the host key of '%s' against '%s': %s",
		       name, r->known_hosts, ssh_get_error(s));
		break;
	}
out:
	strbuf_release(&lines);
	free(name);
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	return ret;
}

/* ---- authentication ---------------------------------------------------- */

static int
auth_prompt(const char *prompt, char *buf, size_t len, int echo,
	    int verify, void *userdata)
{
	struct remote *r = userdata;

	(void)verify;
	if (r->cb.ask == NULL)
		return -1;
	return r->cb.ask(r->cb.data, prompt, echo != 0, buf, len) == 0 ? 0 : -1;
}

static void
methods_text(int m, struct strbuf *sb)
{
	if (m & SSH_AUTH_METHOD_PUBLICKEY)
		strbuf_addf(sb, "%spublickey", sb->len ? ", " : "");
	if (m & SSH_AUTH_METHOD_PASSWORD)
		strbuf_addf(sb, "%spassword", sb->len ? ", " : "");
	if (m & SSH_AUTH_METHOD_INTERACTIVE)
		strbuf_addf(sb, "%skeyboard-interactive", sb->len ? ", " : "");
	if (m & SSH_AUTH_METHOD_GSSAPI_MIC)
		strbuf_addf(sb, "%sgssapi-with-mic", sb->len ? ", " : "");
	if (sb->len == 0)
		strbuf_adds(sb, "none");
}

static int
auth_kbdint(struct remote *r)
{
	ssh_session s = r->conn->session;
	char answer[256];
	int rc;

	rc = ssh_userauth_kbdint(s, NULL, NULL);
	while (rc == SSH_AUTH_INFO) {
		int n = ssh_userauth_kbdint_getnprompts(s);

		for (int i = 0; i < n; i++) {
			char echo = 0;
			const char *prompt =
				ssh_userauth_kbdint_getprompt(s, (unsigned)i,
							      &echo);

			if (r->cb.ask(r->cb.data, prompt, echo != 0, answer,
				      sizeof(answer)) != 0) {
				wipe(answer, sizeof(answer));
				return SSH_AUTH_DENIED;
			}
			rc = ssh_userauth_kbdint_setanswer(s, (unsigned)i,
							   answer);
			wipe(answer, sizeof(answer));
			if (rc < 0)
				return SSH_AUTH_ERROR;
		}
		rc = ssh_userauth_kbdint(s, NULL, NULL);
	}
	return rc;
}

/* The public key of an identity file: FILE.pub, else read from FILE
 * (an OpenSSH private key carries it in clear), else FILE without a
 * passphrase. NULL when none of these works. */
static ssh_key
identity_pubkey(const char *file)
{
	ssh_key k = NULL, priv = NULL;
	char *pub = xasprintf("%s.pub", file);

	if (ssh_pki_import_pubkey_file(pub, &k) != SSH_OK &&
	    ssh_pki_import_pubkey_file(file, &k) != SSH_OK) {
		k = NULL;
		if (ssh_pki_import_privkey_file(file, "", NULL, NULL,
						&priv) == SSH_OK &&
		    ssh_pki_export_privkey_to_pubkey(priv, &k) != SSH_OK)
			k = NULL;
	}
	ssh_key_free(priv);
	free(pub);
	return k;
}

/* Did sshd end the login after MaxAuthTries keys? Then say which were
 * offered and how to offer fewer. */
static bool
too_many_failures(struct remote *r, const struct strbuf *tried)
{
	const char *sock = r->conn->agent_sock;
	int nkeys;
	char agent[64] = "";

	if (strstr(ssh_get_error(r->conn->session),
		   "Too many authentication failures") == NULL)
		return false;
	nkeys = sock != NULL ? agent_count_keys(sock) : -1;
	if (r->conn->ids.identities_only != 1 && nkeys >= 0)
		snprintf(agent, sizeof(agent), "; ssh-agent holds %d keys, "
			 "each offered first", nkeys);
	seterr(r, "cannot log in to '%s' as '%s': the server ended the login "
	       "after too many authentication failures (tried: %s%s)\n"
	       "  sshd counts every key offered against its MaxAuthTries "
	       "(6 by default)\n"
	       "  to offer only this host's key, put in ~/.ssh/config:\n"
	       "    Host %s\n"
	       "      IdentitiesOnly yes\n"
	       "      IdentityFile ~/.ssh/KEY",
	       r->display, r->user, tried->len ? tried->buf : "nothing",
	       agent, r->conn->alias ? r->conn->alias : r->host);
	return true;
}

/*
 * IdentitiesOnly yes: offer only the configured identity files (or, when
 * none is configured, ~/.ssh/id_ed25519, id_ecdsa, id_rsa, as OpenSSH
 * does): first through ssh-agent when it holds them (through a relay
 * that hides its other keys from libssh), then the files themselves,
 * each key once. sshd counts every key offered against MaxAuthTries.
 */
static int
auth_identities_only(struct remote *r, struct strbuf *tried)
{
	static const char *const defaults[] = {
		"id_ed25519", "id_ecdsa", "id_rsa",
	};
	ssh_session s = r->conn->session;
	struct sshconf_ids *ids = &r->conn->ids;
	const char *sock = r->conn->agent_sock;
	size_t n = ids->nfiles > 0 ? ids->nfiles : ARRAY_SIZE(defaults);
	char **files = xcalloc(n, sizeof(*files));
	ssh_key *pubs = xcalloc(n, sizeof(*pubs));
	unsigned char **raw = xcalloc(n, sizeof(*raw));
	struct agent_blob *blobs = xcalloc(n, sizeof(*blobs));
	bool *in_agent = xcalloc(n, sizeof(*in_agent));
	size_t nb = 0;
	int rc = SSH_AUTH_DENIED;

	for (size_t i = 0; i < n; i++) {
		char *b64 = NULL;
		size_t cap;
		long len;

		files[i] = ids->nfiles > 0 ? xstrdup(ids->files[i]) :
			   xasprintf("%s/%s", r->conn->ssh_dir, defaults[i]);
		pubs[i] = identity_pubkey(files[i]);
		if (pubs[i] == NULL ||
		    ssh_pki_export_pubkey_base64(pubs[i], &b64) != SSH_OK)
			continue;
		cap = strlen(b64);
		raw[i] = xmalloc(cap + 1);
		len = hash_base64_decode(b64, cap, raw[i], cap + 1);
		ssh_string_free_char(b64);
		if (len <= 0)
			continue;
		blobs[nb].data = raw[i];
		blobs[nb].len = (size_t)len;
		nb++;
	}
	strbuf_adds(tried, "IdentitiesOnly: ");
	if (sock != NULL && nb > 0) {
		struct agent_relay *ar = NULL;
		struct agent_relay_stats st;
		bool *found = xcalloc(nb, sizeof(*found));
		int fd = -1;

		memset(&st, 0, sizeof(st));
		st.present = found;
		if (agent_relay_start(&ar, sock, blobs, nb, &fd) == 0) {
			if (ssh_set_agent_socket(s, fd) == SSH_OK)
				rc = ssh_userauth_agent(s, NULL);
			else
				close(fd);
			agent_relay_stop(ar, &st);
			strbuf_addf(tried, "ssh-agent (%zu of its %zu keys), ",
				    st.passed, st.listed);
		}
		/* which files the agent offered already */
		for (size_t i = 0, k = 0; i < n && k < nb; i++) {
			if (raw[i] == NULL || blobs[k].data != raw[i])
				continue;
			in_agent[i] = found[k++];
		}
		free(found);
		if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_ERROR)
			goto out;
	}
	strbuf_adds(tried, "IdentityFile");
	for (size_t i = 0; i < n; i++) {
		ssh_key priv = NULL;

		strbuf_addf(tried, " %s", files[i]);
		if (pubs[i] == NULL) {
			strbuf_adds(tried, " (not found)");
			continue;
		}
		if (in_agent[i])
			continue;
		rc = ssh_userauth_try_publickey(s, NULL, pubs[i]);
		if (rc == SSH_AUTH_ERROR)
			goto out;
		if (rc != SSH_AUTH_SUCCESS)
			continue;
		if (ssh_pki_import_privkey_file(files[i], NULL, auth_prompt, r,
						&priv) != SSH_OK) {
			strbuf_adds(tried, " (cannot read it)");
			rc = SSH_AUTH_DENIED;
			continue;
		}
		rc = ssh_userauth_publickey(s, NULL, priv);
		ssh_key_free(priv);
		if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_ERROR)
			goto out;
	}
	rc = SSH_AUTH_DENIED;
out:
	for (size_t i = 0; i < n; i++) {
		free(files[i]);
		ssh_key_free(pubs[i]);
		free(raw[i]);
	}
	free(files);
	free(pubs);
	free(raw);
	free(blobs);
	free(in_agent);
	return rc;
}

static int
authenticate(struct remote *r)
{
	ssh_session s = r->conn->session;
	struct strbuf tried = STRBUF_INIT, offered = STRBUF_INIT;
	char pw[256];
	int methods, rc, ret = RPX_EIO;

	rc = ssh_userauth_none(s, NULL);
	if (rc == SSH_AUTH_SUCCESS) {
		ret = 0;
		goto out;
	}
	if (rc == SSH_AUTH_ERROR)
		goto fail_conn;
	methods = ssh_userauth_list(s, NULL);
	if ((methods & SSH_AUTH_METHOD_PUBLICKEY) &&
	    r->conn->ids.identities_only == 1) {
		rc = auth_identities_only(r, &tried);
		if (rc == SSH_AUTH_SUCCESS) {
			ret = 0;
			goto out;
		}
		if (rc == SSH_AUTH_ERROR)
			goto fail_conn;
	} else if (methods & SSH_AUTH_METHOD_PUBLICKEY) {
		if (r->conn->agent_sock != NULL)
			strbuf_adds(&tried, "ssh-agent, ");
		else if (r->conn->ids.identity_agent != NULL)
			strbuf_addf(&tried, "no ssh-agent (IdentityAgent %s), ",
				    r->conn->ids.identity_agent);
		else
			strbuf_adds(&tried, "no ssh-agent (SSH_AUTH_SOCK is "
				    "not set), ");
		strbuf_adds(&tried, "key files (~/.ssh/id_* and IdentityFile)");
		rc = ssh_userauth_publickey_auto(s, NULL, NULL);
		if (rc == SSH_AUTH_SUCCESS) {
			ret = 0;
			goto out;
		}
		if (rc == SSH_AUTH_ERROR)
			goto fail_conn;
	}
	if ((methods & SSH_AUTH_METHOD_INTERACTIVE) && r->cb.ask != NULL) {
		strbuf_addf(&tried, "%skeyboard-interactive",
			    tried.len ? ", " : "");
		rc = auth_kbdint(r);
		if (rc == SSH_AUTH_SUCCESS) {
			ret = 0;
			goto out;
		}
		if (rc == SSH_AUTH_ERROR)
			goto fail_conn;
	}
	if ((methods & SSH_AUTH_METHOD_PASSWORD) && r->cb.ask != NULL) {
		char *prompt = xasprintf("%s@%s's password: ", r->user,
					 r->host);

		strbuf_addf(&tried, "%spassword", tried.len ? ", " : "");
		for (int i = 0; i < 3; i++) {
			if (r->cb.ask(r->cb.data, prompt, false, pw,
				      sizeof(pw)) != 0)
				break;
			rc = ssh_userauth_password(s, NULL, pw);
			wipe(pw, sizeof(pw));
			if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_ERROR)
				break;
		}
		free(prompt);
		if (rc == SSH_AUTH_SUCCESS) {
			ret = 0;
			goto out;
		}
		if (rc == SSH_AUTH_ERROR)
			goto fail_conn;
	} else if (methods & SSH_AUTH_METHOD_PASSWORD) {
		strbuf_addf(&tried, "%snot password (no terminal to ask on)",
			    tried.len ? ", " : "");
	}
	if (too_many_failures(r, &tried)) {
		ret = RPX_ECANCELED;
		goto out;
	}
	methods_text(methods, &offered);
	seterr(r, "cannot log in to '%s' as '%s' (tried: %s; the server "
	       "accepts: %s)", r->display, r->user, tried.len ? tried.buf :
	       "nothing", offered.buf);
	ret = RPX_ECANCELED;
	goto out;
fail_conn:
	if (too_many_failures(r, &tried)) {
		ret = RPX_ECANCELED;
		goto out;
	}
	seterr(r, "authentication with '%s' failed: %s", r->display,
	       ssh_get_error(s));
out:
	wipe(pw, sizeof(pw));
	strbuf_release(&tried);
	strbuf_release(&offered);
	return ret;
}

/* ---- connect ----------------------------------------------------------- */

static char *
default_ssh_dir(void)
{
	const char *home = rpx_getenv("HOME");
	struct passwd *pw;

	if (home == NULL) {
		pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : "/";
	}
	return xasprintf("%s/.ssh", home);
}

static void
conn_free(struct remote_conn *c)
{
	if (c->session != NULL) {
		ssh_disconnect(c->session);
		ssh_free(c->session);
	}
	sshconf_ids_release(&c->ids);
	free(c->agent_sock);
	free(c->ssh_dir);
	free(c->alias);
	free(c);
}

/* What libssh's config parser skips: IdentitiesOnly, and every
 * IdentityFile in order (libssh only hands out the first). */
static void
read_identity_config(struct remote *r, const char *cfg)
{
	struct sshconf_subst sub;
	struct passwd *pw = getpwuid(getuid());
	char *home = xstrdup(r->conn->ssh_dir);
	char *slash = strrchr(home, '/');

	if (slash != NULL && strcmp(slash, "/.ssh") == 0)
		*slash = '\0';
	else if (rpx_getenv("HOME") != NULL) {
		free(home);
		home = xstrdup(rpx_getenv("HOME"));
	}
	sub.home = home;
	sub.local_user = pw != NULL ? pw->pw_name : NULL;
	sub.remote_host = r->host;
	sub.remote_user = r->user;
	sshconf_read_ids(&r->conn->ids, cfg, r->conn->ssh_dir, r->conn->alias,
			 &sub);
	sshconf_read_ids(&r->conn->ids, "/etc/ssh/ssh_config", "/etc/ssh",
			 r->conn->alias, &sub);
	free(home);
}

int
remote_connect(struct remote *r, const struct remote_opts *o)
{
	ssh_session s = NULL;
	char *user = NULL, *host = NULL, *ssh_dir = NULL, *val = NULL;
	char *cfg = NULL;
	unsigned int port = 0;
	int tport = 0, nodelay = 1, ret = RPX_EINVAL;
	long timeout;

	r->err[0] = '\0';
	r->cb = o->cb;
	timeout = o->timeout_s > 0 ? o->timeout_s : 10;
	r->timeout_ms = (int)timeout * 1000;
	if (remote_parse_target(o->target, &user, &host, &tport, r->err,
				sizeof(r->err)) != 0)
		goto out;
	ret = RPX_EIO;
	r->conn = xcalloc(1, sizeof(*r->conn));
	r->conn->r = r;
	r->conn->ids.identities_only = -1;
	s = ssh_new();
	if (s == NULL) {
		seterr(r, "cannot create an SSH session");
		goto out;
	}
	r->conn->session = s;
	ssh_dir = o->ssh_dir ? xstrdup(o->ssh_dir) : default_ssh_dir();
	if (ssh_options_set(s, SSH_OPTIONS_SSH_DIR, ssh_dir) < 0 ||
	    ssh_options_set(s, SSH_OPTIONS_HOST, host) < 0) {
		seterr(r, "cannot use host '%s': %s", host, ssh_get_error(s));
		goto out;
	}
	/* ~/.ssh/config, then the system's: Host aliases, HostName, User,
	 * Port, IdentityFile, UserKnownHostsFile, ProxyJump/ProxyCommand. */
	cfg = xasprintf("%s/config", ssh_dir);
	if (access(cfg, R_OK) == 0 && ssh_options_parse_config(s, cfg) < 0) {
		seterr(r, "cannot read '%s': %s", cfg, ssh_get_error(s));
		goto out;
	}
	if (access("/etc/ssh/ssh_config", R_OK) == 0)
		ssh_options_parse_config(s, "/etc/ssh/ssh_config");
	/* What the user typed wins over the config files. */
	if (user != NULL && ssh_options_set(s, SSH_OPTIONS_USER, user) < 0) {
		seterr(r, "bad user name '%s'", user);
		goto out;
	}
	if (tport > 0)
		ssh_options_set(s, SSH_OPTIONS_PORT, &tport);
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
	/* Nagle's algorithm holds a small packet sent right after another
	 * (NEWKEYS then the service request; a window adjust then a channel
	 * open; pipelined SFTP requests) until the first is acknowledged,
	 * and the Pi delays that acknowledgement by up to 40 ms: every such
	 * pair cost a delayed-ACK timeout. */
	ssh_options_set(s, SSH_OPTIONS_NODELAY, &nodelay);
	/* The cipher stays the configured or default one (chacha20-poly1305
	 * first, as OpenSSH's): AES-GCM moved 50 MB only 10-20% faster to
	 * the simulated Pi on an x86 CPU with AES instructions, and a Pi 4's
	 * Cortex-A72 (and every older Pi) has none, where chacha20-poly1305
	 * is the faster one. */
	if (ssh_options_get(s, SSH_OPTIONS_HOST, &val) == SSH_OK) {
		r->host = xstrdup(val);
		ssh_string_free_char(val);
		val = NULL;
	} else {
		r->host = xstrdup(host);
	}
	if (ssh_options_get(s, SSH_OPTIONS_USER, &val) == SSH_OK) {
		r->user = xstrdup(val);
		ssh_string_free_char(val);
		val = NULL;
	} else {
		r->user = xstrdup(user ? user : "?");
	}
	if (ssh_options_get_port(s, &port) != SSH_OK || port == 0)
		port = 22;
	r->port = (int)port;
	if (ssh_options_get(s, SSH_OPTIONS_KNOWNHOSTS, &val) == SSH_OK &&
	    strstr(val, "%d") == NULL) {
		r->known_hosts = xstrdup(val);
	} else {
		r->known_hosts = xasprintf("%s/known_hosts", ssh_dir);
		ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, r->known_hosts);
	}
	ssh_string_free_char(val);
	val = NULL;
	r->conn->ssh_dir = xstrdup(ssh_dir);
	r->conn->alias = xstrdup(host);
	read_identity_config(r, cfg);
	/* IdentityAgent: the relay and libssh's own agent use the same one
	 * ("none" is no agent: libssh then finds no socket of that name) */
	r->conn->agent_sock = sshconf_agent_socket(&r->conn->ids);
	if (r->conn->ids.identity_agent != NULL)
		ssh_options_set(s, SSH_OPTIONS_IDENTITY_AGENT,
				r->conn->agent_sock != NULL ?
				r->conn->agent_sock : "none");
	r->display = r->port == 22 ?
		xasprintf("%s@%s", r->user, r->host) :
		strchr(r->host, ':') ?
		xasprintf("%s@[%s]:%d", r->user, r->host, r->port) :
		xasprintf("%s@%s:%d", r->user, r->host, r->port);

	r->conn->cbs.userdata = r;
	r->conn->cbs.auth_function = auth_prompt;
	ssh_callbacks_init(&r->conn->cbs);
	ssh_set_callbacks(s, &r->conn->cbs);

	if (ssh_connect(s) != SSH_OK) {
		const char *e = ssh_get_error(s);

		if (ssh_options_get(s, SSH_OPTIONS_PROXYCOMMAND, &val) !=
		    SSH_OK) {
			val = NULL;
		}
		if (val != NULL) {
			/* the command's own words went nowhere: say what
			 * ran, so it can be run by hand */
			seterr(r, "cannot connect to '%s' through the "
			       "ProxyCommand '%s': %s; run the command by hand "
			       "to see why (a ProxyJump runs 'ssh -W', which "
			       "reads ~/.ssh of the home in the password "
			       "database, not $HOME)", r->display, val, e);
			ssh_string_free_char(val);
			val = NULL;
		} else if (strstr(e, "imeout") != NULL ||
			   strstr(e, "timed out")) {
			seterr(r, "cannot connect to '%s': no answer within "
			       "%ld s (%s)", r->display, timeout, e);
			ret = RPX_ETIMEOUT;
		} else {
			seterr(r, "cannot connect to '%s': %s", r->display, e);
		}
		goto out;
	}
	ret = check_host_key(r, o->accept_new_host_key);
	if (ret != 0)
		goto out;
	ret = authenticate(r);
out:
	if (ret != 0 && r->conn != NULL) {
		conn_free(r->conn);
		r->conn = NULL;
	}
	free(cfg);
	free(ssh_dir);
	free(user);
	free(host);
	return ret;
}

void
remote_release(struct remote *r)
{
	if (r->conn != NULL)
		conn_free(r->conn);
	free(r->user);
	free(r->host);
	free(r->known_hosts);
	free(r->display);
	r->conn = NULL;
	r->user = r->host = r->known_hosts = r->display = NULL;
	r->port = 0;
	r->err[0] = '\0';
	r->on_start = NULL;
	r->on_start_data = NULL;
}

/* ---- channels ---------------------------------------------------------- */

struct sink {
	int fd;			/* >= 0: write here */
	struct strbuf *sb;	/* else capture here (may be NULL: drop) */
	bool full;
};

/*
 * A gated channel starts closed: stdout and stderr are held in gate_out
 * and gate_err until stdout begins with GATE_MARK (the remote script's
 * "the program starts now"); then the held stderr is written out and both
 * streams pass through. When the marker never comes, the held text is the
 * script's own answer (a probe, or why an upload failed).
 */
#define GATE_MARK "rpx-go\n"

struct chan_state {
	struct sink out, err;
	bool gated, open;
	struct strbuf gate_out, gate_err;
	bool eof, closed, got_status;
	int status;		/* exit status or 128+signal */
	char signame[16];
	int werrno;		/* a local write failed */
	void (*on_open)(void *data);	/* the gate opened (r->on_start) */
	void *on_open_data;
	bool fwd_in;		/* the program may get our stdin */
};

static void
sink_put(struct chan_state *st, struct sink *k, const char *p, size_t n)
{
	if (k->fd >= 0) {
		while (n > 0 && st->werrno == 0) {
			ssize_t w = write(k->fd, p, n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				st->werrno = errno;
				break;
			}
			p += w;
			n -= (size_t)w;
		}
	} else if (k->sb != NULL && !k->full) {
		if (k->sb->len + n > CAPTURE_MAX) {
			n = CAPTURE_MAX - k->sb->len;
			k->full = true;
		}
		strbuf_add(k->sb, p, n);
	}
}

static int
on_data(ssh_session session, ssh_channel channel, void *data, uint32_t len,
	int is_stderr, void *userdata)
{
	struct chan_state *st = userdata;

	(void)session;
	(void)channel;
	if (!st->gated || st->open) {
		sink_put(st, is_stderr ? &st->err : &st->out, data, len);
		return (int)len;
	}
	if (is_stderr) {
		if (st->gate_err.len < CAPTURE_MAX)
			strbuf_add(&st->gate_err, data, len);
		return (int)len;
	}
	if (st->gate_out.len < CAPTURE_MAX)
		strbuf_add(&st->gate_out, data, len);
	if (st->gate_out.len >= strlen(GATE_MARK) &&
	    strncmp(st->gate_out.buf, GATE_MARK, strlen(GATE_MARK)) == 0) {
		size_t m = strlen(GATE_MARK);

		st->open = true;
		if (st->on_open != NULL)
			st->on_open(st->on_open_data);
		sink_put(st, &st->err, st->gate_err.buf, st->gate_err.len);
		sink_put(st, &st->out, st->gate_out.buf + m,
			 st->gate_out.len - m);
		strbuf_release(&st->gate_err);
		strbuf_release(&st->gate_out);
	}
	return (int)len;
}

static void
on_eof(ssh_session session, ssh_channel channel, void *userdata)
{
	(void)session;
	(void)channel;
	((struct chan_state *)userdata)->eof = true;
}

static void
on_close(ssh_session session, ssh_channel channel, void *userdata)
{
	(void)session;
	(void)channel;
	((struct chan_state *)userdata)->closed = true;
}

static void
on_exit_status(ssh_session session, ssh_channel channel, int status,
	       void *userdata)
{
	struct chan_state *st = userdata;

	(void)session;
	(void)channel;
	st->got_status = true;
	st->status = status;
}

/* Linux signal numbers (the Pi's), by the names SSH uses. */
static int
signal_number(const char *name)
{
	static const char *const names[] = {
		"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
		"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
	};

	for (size_t i = 1; i < ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return 0;
}

static void
on_exit_signal(ssh_session session, ssh_channel channel, const char *signal,
	       int core, const char *errmsg, const char *lang, void *userdata)
{
	struct chan_state *st = userdata;
	int n = signal_number(signal);

	(void)session;
	(void)channel;
	(void)core;
	(void)errmsg;
	(void)lang;
	st->got_status = true;
	snprintf(st->signame, sizeof(st->signame), "%s", signal);
	st->status = 128 + (n > 0 ? n : 0);
}

/* libssh's last error, or what an empty one means here: a channel open
 * that had no answer within the operation timeout. */
static const char *
session_error(struct remote *r, char *buf, size_t bufsz)
{
	const char *e = ssh_get_error(r->conn->session);

	if (e != NULL && e[0] != '\0')
		return e;
	snprintf(buf, bufsz, "no answer within %d s", r->timeout_ms / 1000);
	return buf;
}

/*
 * Open a session channel. sshd sets TCP_NODELAY only once a program
 * runs: before that, its channel-open confirmation waits behind the
 * unacknowledged packet it sent just before (the host keys it announces
 * after the login), and the acknowledgement is ours to send, delayed by
 * up to 40 ms. So the open is driven without blocking, asking for
 * immediate acknowledgements while it waits (Linux; elsewhere this is a
 * plain open).
 */
static int
open_session(struct remote *r, ssh_channel ch)
{
	ssh_session s = r->conn->session;
	long long start = rpx_now_ms();
	socket_t fd = ssh_get_fd(s);
	int rc;
#ifdef TCP_QUICKACK
	int one = 1;
#endif

	ssh_set_blocking(s, 0);
	rc = ssh_channel_open_session(ch);
	while (rc == SSH_AGAIN && rpx_now_ms() - start < r->timeout_ms) {
		struct pollfd pfd = { fd, POLLIN, 0 };

#ifdef TCP_QUICKACK
		(void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one,
				 sizeof(one));
#endif
		if (r->stop != NULL && *r->stop)
			break;
		(void)poll(&pfd, 1, 100);
		rc = ssh_channel_open_session(ch);
	}
	ssh_set_blocking(s, 1);
	return rc;
}

/* What feeds the channel's stdin. */
struct feed {
	const void *mem;
	size_t memlen;
	int fd;			/* >= 0: then the whole file */
	uint64_t total;
	/*
	 * When set: nothing is sent until the script's probe has ended
	 * (PROBE_END on stdout; the script then waits for a line on stdin)
	 * or the gate opened (the cached copy runs). decide() gets the
	 * probe's text and returns the line to send (and whether the feed
	 * follows it), or NULL: then only EOF is sent (the script then ends
	 * without writing anything).
	 */
	const char *(*decide)(void *data, const char *text, size_t len,
			      bool *feed);
	void *data;
	bool decided;		/* out: decide() was asked */
	bool refused;		/* out: and said no */
};

#define PROBE_END "rpx-end=1\n"

enum { STOP_NONE, STOP_SIGNALLED, STOP_TIMEOUT };

static bool
probe_ended(const struct strbuf *sb)
{
	size_t m = strlen(PROBE_END);

	return sb->len >= m && strcmp(sb->buf + sb->len - m, PROBE_END) == 0;
}

/*
 * Poll until a gated channel's script has printed its probe (and waits
 * for our answer), opened the gate, or ended; the operation timeout bounds
 * silence.
 */
static int
wait_probe(struct remote *r, struct chan_state *st)
{
	ssh_session s = r->conn->session;
	ssh_event ev = ssh_event_new();
	long long last = rpx_now_ms();
	size_t seen = 0;
	int ret = 0;

	if (ev == NULL || ssh_event_add_session(ev, s) != SSH_OK) {
		seterr(r, "cannot wait for '%s'", r->display);
		ret = RPX_EIO;
		goto out;
	}
	while (!st->open && !st->closed && !st->eof &&
	       !probe_ended(&st->gate_out)) {
		int rc;

		errno = 0;
		rc = ssh_event_dopoll(ev, 100);
		if ((rc == SSH_ERROR && errno != EINTR) ||
		    !ssh_is_connected(s)) {
			seterr(r, "lost the connection to '%s': %s",
			       r->display, ssh_get_error(s));
			ret = RPX_EIO;
			break;
		}
		if (r->stop != NULL && *r->stop) {
			seterr(r, "interrupted");
			ret = RPX_ECANCELED;
			break;
		}
		if (st->gate_out.len + st->gate_err.len != seen) {
			seen = st->gate_out.len + st->gate_err.len;
			last = rpx_now_ms();
		}
		if (rpx_now_ms() - last > r->timeout_ms) {
			seterr(r, "no answer from '%s' within %d s", r->display,
			       r->timeout_ms / 1000);
			ret = RPX_ETIMEOUT;
			break;
		}
	}
out:
	if (ev != NULL) {
		ssh_event_remove_session(ev, s);
		ssh_event_free(ev);
	}
	return ret;
}

/* Our stdin passed on to a running program (remote.h, forward_stdin). */
struct pump {
	bool on;		/* forwarding (not yet at EOF) */
	bool watched;		/* fd 0 is in the event */
	char *buf;
};

static int
pump_wake(socket_t fd, int revents, void *userdata)
{
	(void)fd;
	(void)revents;
	(void)userdata;
	return 0;		/* only ends the poll; pump_move() reads */
}

/* Watch fd 0 in the poll, or not. */
static void
pump_set_watch(struct pump *p, ssh_event ev, bool on)
{
	if (on && !p->watched) {
		if (ssh_event_add_fd(ev, STDIN_FILENO, POLLIN, pump_wake,
				     NULL) == SSH_OK)
			p->watched = true;
	} else if (!on && p->watched) {
		ssh_event_remove_fd(ev, STDIN_FILENO);
		p->watched = false;
	}
}

/* Our input ended: so does the program's. */
static void
pump_eof(struct pump *p, ssh_event ev, ssh_channel ch)
{
	pump_set_watch(p, ev, false);
	ssh_channel_send_eof(ch);
	p->on = false;
}

/* After a poll: pass on what stdin has now, at most the window; never
 * wait for it. End of input (or an error reading it) sends EOF. */
static int
pump_move(struct pump *p, ssh_event ev, ssh_channel ch)
{
	uint32_t room = ssh_channel_window_size(ch);
	struct pollfd pf = { STDIN_FILENO, POLLIN, 0 };
	ssize_t n;

	if (room == 0 || poll(&pf, 1, 0) <= 0 || pf.revents == 0)
		return 0;
	if (p->buf == NULL)
		p->buf = xmalloc(CHUNK);
	n = read(STDIN_FILENO, p->buf, room < CHUNK ? room : CHUNK);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		pump_eof(p, ev, ch);
		return 0;
	}
	if (ssh_channel_write(ch, p->buf, (uint32_t)n) == SSH_ERROR)
		return RPX_EIO;
	return 0;
}

/*
 * Run cmd; feed stdin; deliver output to the sinks; wait for the end.
 * op_timeout_ms bounds silence (no progress) for uploads and probes;
 * run_timeout_ms (> 0) bounds the whole run.
 */
static int
channel_run(struct remote *r, const char *cmd, struct feed *in,
	    struct chan_state *st, int run_timeout_ms, bool idle_timeout)
{
	ssh_session s = r->conn->session;
	ssh_channel ch = NULL;
	ssh_event ev = NULL;
	struct ssh_channel_callbacks_struct cbs;
	struct pump pump = { false, false, NULL };
	const struct feed *feed0 = in;
	char *buf = NULL, ebuf[64];
	long long start = rpx_now_ms(), last = start, sig_at = 0;
	uint64_t done = 0;
	long long last_progress = 0;
	int ret = RPX_EIO, stop = STOP_NONE;

	memset(&cbs, 0, sizeof(cbs));
	cbs.userdata = st;
	cbs.channel_data_function = on_data;
	cbs.channel_eof_function = on_eof;
	cbs.channel_close_function = on_close;
	cbs.channel_exit_status_function = on_exit_status;
	cbs.channel_exit_signal_function = on_exit_signal;
	ssh_callbacks_init(&cbs);

	ch = ssh_channel_new(s);
	if (ch == NULL || open_session(r, ch) != SSH_OK) {
		seterr(r, "cannot open a channel to '%s': %s", r->display,
		       session_error(r, ebuf, sizeof(ebuf)));
		goto out;
	}
	ssh_set_channel_callbacks(ch, &cbs);
	if (ssh_channel_request_exec(ch, cmd) != SSH_OK) {
		seterr(r, "cannot run a command on '%s': %s", r->display,
		       ssh_get_error(s));
		goto out;
	}
	if (in != NULL && in->decide != NULL) {
		ret = wait_probe(r, st);
		if (ret != 0)
			goto out;
		ret = RPX_EIO;
		if (st->open || st->closed) {
			in = NULL;	/* the cached copy runs, or it ended */
		} else {
			bool feed = false;
			const char *go = in->decide(in->data, st->gate_out.buf,
						    st->gate_out.len, &feed);

			in->decided = true;
			in->refused = go == NULL;
			/* the gate now waits for the upload's GATE_MARK */
			strbuf_reset(&st->gate_out);
			if (go != NULL && ssh_channel_write(ch, go,
					(uint32_t)strlen(go)) == SSH_ERROR) {
				seterr(r, "lost the connection to '%s': %s",
				       r->display, ssh_get_error(s));
				goto out;
			}
			if (go == NULL || !feed)
				in = NULL;
		}
	}
	if (in != NULL && in->mem != NULL) {
		const char *p = in->mem;
		size_t left = in->memlen;

		while (left > 0 && !st->closed) {
			int w = ssh_channel_write(ch, p, (uint32_t)(left > CHUNK
								    ? CHUNK : left));

			if (w == SSH_ERROR) {
				seterr(r, "lost the connection to '%s': %s",
				       r->display, ssh_get_error(s));
				goto out;
			}
			p += w;
			left -= (size_t)w;
		}
	}
	if (in != NULL && in->fd >= 0) {
		buf = xmalloc(CHUNK);
		for (;;) {
			ssize_t n = read(in->fd, buf, CHUNK);
			size_t off = 0;

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				seterr(r, "cannot read the file to upload: %s",
				       strerror(errno));
				goto out;
			}
			if (n == 0)
				break;
			while (off < (size_t)n && !st->closed) {
				int w;

				if (r->stop != NULL && *r->stop) {
					seterr(r, "upload to '%s' interrupted",
					       r->display);
					ret = RPX_ECANCELED;
					goto out;
				}
				w = ssh_channel_write(ch, buf + off,
						      (uint32_t)((size_t)n - off));
				if (w == SSH_ERROR) {
					seterr(r, "lost the connection to '%s' "
					       "during the upload (%llu of %llu "
					       "bytes sent): %s", r->display,
					       (unsigned long long)done,
					       (unsigned long long)in->total,
					       ssh_get_error(s));
					goto out;
				}
				if (w == 0) {
					if (rpx_now_ms() - last > r->timeout_ms) {
						seterr(r, "upload to '%s' stalled "
						       "for %d s", r->display,
						       r->timeout_ms / 1000);
						ret = RPX_ETIMEOUT;
						goto out;
					}
					continue;
				}
				last = rpx_now_ms();
				off += (size_t)w;
				done += (uint64_t)w;
			}
			if (st->closed)
				break;
			if (r->cb.progress != NULL &&
			    (rpx_now_ms() - last_progress >= 100 ||
			     done == in->total)) {
				last_progress = rpx_now_ms();
				r->cb.progress(r->cb.data, done, in->total);
			}
		}
	}
	/* the program's stdin: ours while it runs, else empty (also when
	 * the check said no: the waiting script then ends) */
	pump.on = st->fwd_in && in == NULL && !st->closed &&
		  !(feed0 != NULL && feed0->refused);
	if (!st->closed && !pump.on)
		ssh_channel_send_eof(ch);

	ev = ssh_event_new();
	if (ev == NULL || ssh_event_add_session(ev, s) != SSH_OK) {
		seterr(r, "cannot wait for '%s'", r->display);
		goto out;
	}
	last = rpx_now_ms();
	while (!st->closed && !(st->eof && st->got_status)) {
		int rc;
		long long t;
		/* not before the program starts: the script reads stdin */
		bool pumping = pump.on && stop == STOP_NONE &&
			       (!st->gated || st->open);

		/* fd 0 wakes the poll only while the window has room (a
		 * program that does not read must not make us spin or
		 * block), and not once it is being stopped */
		pump_set_watch(&pump, ev, pumping &&
			       ssh_channel_window_size(ch) > 0);
		errno = 0;
		rc = ssh_event_dopoll(ev, 100);
		if (pumping && !st->closed && pump_move(&pump, ev, ch) != 0) {
			seterr(r, "lost the connection to '%s': %s",
			       r->display, ssh_get_error(s));
			goto out;
		}
		t = rpx_now_ms();
		/* A signal (Ctrl-C) interrupts the poll: not an error. */
		if ((rc == SSH_ERROR && errno != EINTR) ||
		    !ssh_is_connected(s)) {
			seterr(r, "lost the connection to '%s': %s",
			       r->display, ssh_get_error(s));
			goto out;
		}
		if (st->werrno != 0) {
			seterr(r, "cannot write the program's output: %s",
			       strerror(st->werrno));
			goto out;
		}
		if (stop == STOP_NONE && r->stop != NULL && *r->stop) {
			stop = STOP_SIGNALLED;
			sig_at = t;
			ssh_channel_request_send_signal(ch, "INT");
		}
		if (stop == STOP_NONE && run_timeout_ms > 0 &&
		    t - start > run_timeout_ms) {
			stop = STOP_TIMEOUT;
			sig_at = t;
			ssh_channel_request_send_signal(ch, "TERM");
		}
		/* Probes, uploads and the start of a gated run must answer
		 * within the operation timeout; a running program need not. */
		if (stop == STOP_NONE && (idle_timeout ||
		    (st->gated && !st->open)) && t - last > r->timeout_ms) {
			seterr(r, "no answer from '%s' within %d s", r->display,
			       r->timeout_ms / 1000);
			ret = RPX_ETIMEOUT;
			goto out;
		}
		/* The program did not end on the signal: close the channel. */
		if (stop != STOP_NONE && t - sig_at > 2000)
			break;
	}
	if (stop == STOP_TIMEOUT) {
		seterr(r, "the program on '%s' ran longer than %d s: stopped",
		       r->display, run_timeout_ms / 1000);
		ret = RPX_ETIMEOUT;
		goto out;
	}
	if (stop == STOP_SIGNALLED) {
		seterr(r, "interrupted");
		if (!st->got_status) {
			st->got_status = true;
			st->status = 130;
		}
		ret = RPX_ECANCELED;
		goto out;
	}
	if (!st->got_status) {
		seterr(r, "'%s' closed the channel without an exit status",
		       r->display);
		goto out;
	}
	ret = 0;
out:
	if (ev != NULL) {
		pump_set_watch(&pump, ev, false);
		ssh_event_remove_session(ev, s);
		ssh_event_free(ev);
	}
	if (ch != NULL) {
		if (ssh_channel_is_open(ch))
			ssh_channel_close(ch);
		ssh_channel_free(ch);
	}
	free(pump.buf);
	free(buf);
	return ret;
}

int
remote_exec(struct remote *r, const char *cmd, const void *in, size_t inlen,
	    struct strbuf *out, struct strbuf *err, int *status)
{
	struct chan_state st;
	struct feed feed = { in, inlen, -1, inlen, NULL, NULL, false, false };
	int ret;

	memset(&st, 0, sizeof(st));
	st.out.fd = -1;
	st.out.sb = out;
	st.err.fd = -1;
	st.err.sb = err;
	ret = channel_run(r, cmd, in ? &feed : NULL, &st, 0, true);
	*status = st.status;
	return ret;
}

/* ---- probe ------------------------------------------------------------- */

/*
 * want_df: free space in the home folder (detect shows it; run does not
 * need it, and each program started costs time on a slow Pi).
 */
static void
probe_script(struct strbuf *sb, const char *file, bool want_df)
{
	/* One round trip, POSIX sh (dash, busybox). Independent probes run
	 * in parallel and fallbacks only when needed: each program start
	 * costs tens of ms on a Pi Zero (and under qemu). Each prints whole
	 * "key=value" lines (short writes, atomic on a pipe). Nothing is
	 * written on the Pi. */
	strbuf_adds(sb,
		"exec 2>/dev/null\n"
		"echo 'rpx-probe=1'\n"
		"echo \"home=$HOME\"\n"
		"if [ -r /proc/device-tree/model ]; then\n"
		" IFS= read -r m </proc/device-tree/model; echo \"model=$m\"\n"
		"elif [ -r /proc/device-tree/compatible ]; then\n"
		" echo \"compatible=$(tr '\\000' ',' </proc/device-tree/compatible)\"\n"
		"elif [ -r /proc/cpuinfo ]; then\n"
		" while IFS= read -r l; do case $l in Revision*) echo \"cpuinfo=$l\";; esac; done </proc/cpuinfo\n"
		"fi\n"
		"if [ -r /etc/os-release ]; then\n"
		" while IFS= read -r l; do echo \"os.$l\"; done </etc/os-release\n"
		"fi\n"
		"if [ \"${rpx_known:-0}\" != 1 ]; then\n"
		"(echo \"machine=$(uname -m)\") &\n"
		"(lb=$(getconf LONG_BIT); echo \"long_bit=$lb\"\n"
		" if [ -z \"$lb\" ]; then\n"
		"  command -v dpkg >/dev/null && echo \"dpkg=$(dpkg --print-architecture)\"\n"
		"  echo \"sh_class=$(od -An -tx1 -j4 -N1 /bin/sh)\"\n"
		" fi) &\n"
		"(echo \"glibc=$(getconf GNU_LIBC_VERSION)\") &\n"
		"fi\n"
		"command -v sha256sum >/dev/null && echo 'sha256sum=yes'\n");
	if (want_df)
		strbuf_adds(sb, "(echo \"df=$(df -Pk \"$HOME\" | tail -n 1)\") &\n");
	if (file != NULL) {
		strbuf_adds(sb, "f=\"$HOME/" REMOTE_DIR "/\"");
		strbuf_add_shquoted(sb, file);
		strbuf_adds(sb,
			"\nif [ -f \"$f\" ]; then\n"
			" (echo \"file_size=$(wc -c <\"$f\")\") &\n"
			" (echo \"file_sha256=$(sha256sum <\"$f\")\") &\n"
			"fi\n");
	}
	strbuf_adds(sb, "wait\necho 'rpx-end=1'\n");
}

void
remote_probe_script(struct strbuf *sb, const char *file)
{
	probe_script(sb, file, true);
}

static void
copy_field(char *dst, size_t dsz, const char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	if (n >= dsz)
		n = dsz - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

int
remote_probe_parse(const char *text, size_t len, struct remote_probe *p)
{
	char *copy = xstrndup(text, len), *save = NULL;
	char model[256] = "", compat[512] = "", cpuinfo[128] = "";
	char df[256] = "", sh_class[16] = "";
	char long_bit[16] = "";
	bool seen_begin = false, seen_end = false;
	int ret = RPX_EPARSE;

	memset(p, 0, sizeof(*p));
	p->home_free_kb = -1;
	p->file_size = -1;
	for (char *line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		const char *k = line, *v;

		if (eq == NULL)
			continue;
		*eq = '\0';
		v = eq + 1;
		if (strcmp(k, "rpx-probe") == 0)
			seen_begin = true;
		else if (strcmp(k, "rpx-end") == 0)
			seen_end = true;
		else if (strcmp(k, "home") == 0)
			copy_field(p->home, sizeof(p->home), v);
		else if (strcmp(k, "model") == 0)
			copy_field(model, sizeof(model), v);
		else if (strcmp(k, "compatible") == 0)
			copy_field(compat, sizeof(compat), v);
		else if (strcmp(k, "cpuinfo") == 0)
			copy_field(cpuinfo, sizeof(cpuinfo), v);
		else if (strcmp(k, "machine") == 0)
			copy_field(p->machine, sizeof(p->machine), v);
		else if (strcmp(k, "long_bit") == 0)
			copy_field(long_bit, sizeof(long_bit), v);
		else if (strcmp(k, "glibc") == 0) {
			/* "glibc 2.36" */
			if (strncmp(v, "glibc ", 6) == 0)
				copy_field(p->glibc, sizeof(p->glibc), v + 6);
		} else if (strcmp(k, "df") == 0)
			copy_field(df, sizeof(df), v);
		else if (strcmp(k, "dpkg") == 0)
			copy_field(p->dpkg_arch, sizeof(p->dpkg_arch), v);
		else if (strcmp(k, "sh_class") == 0)
			copy_field(sh_class, sizeof(sh_class), v);
		else if (strcmp(k, "sha256sum") == 0)
			p->has_sha256sum = true;
		else if (strcmp(k, "file_size") == 0)
			p->file_size = strtoll(v, NULL, 10);
		else if (strcmp(k, "file_sha256") == 0) {
			size_t n = strspn(v, "0123456789abcdef");

			if (n == 64) {
				memcpy(p->file_sha256, v, 64);
				p->file_sha256[64] = '\0';
			}
		} else if (strcmp(k, "os.ID") == 0)
			copy_field(p->os_id, sizeof(p->os_id), v);
		else if (strcmp(k, "os.PRETTY_NAME") == 0)
			copy_field(p->os_pretty, sizeof(p->os_pretty), v);
		else if (strcmp(k, "os.VERSION_CODENAME") == 0)
			copy_field(p->os_codename, sizeof(p->os_codename), v);
	}
	if (!seen_begin || !seen_end)
		goto out;

	/* The board: model, else compatible, else the revision code. */
	if (model[0] != '\0') {
		board_from_model(model, strlen(model), &p->ident);
		snprintf(p->model_source, sizeof(p->model_source), "model");
	} else if (compat[0] != '\0') {
		size_t n = strlen(compat);

		/* "raspberrypi,4-model-b,brcm,bcm2711," came from NUL-
		 * separated strings; each string itself has one comma. */
		for (size_t i = 0, commas = 0; i < n; i++)
			if (compat[i] == ',' && ++commas % 2 == 0)
				compat[i] = '\0';
		board_from_compatible(compat, n, &p->ident);
		snprintf(p->model_source, sizeof(p->model_source),
			 "compatible");
	} else if (cpuinfo[0] != '\0') {
		if (board_from_cpuinfo(cpuinfo, strlen(cpuinfo),
				       &p->ident) == 0)
			snprintf(p->model_source, sizeof(p->model_source),
				 "cpuinfo");
	}
	p->isa = p->ident.isa != ISA_UNKNOWN ? p->ident.isa :
		 isa_from_uname(p->machine);

	/* The userland's bitness, never uname -m (a 32-bit OS on a 64-bit
	 * kernel says aarch64). */
	if (strcmp(long_bit, "32") == 0 || strcmp(long_bit, "64") == 0) {
		p->os_bits = long_bit[0] == '3' ? 32 : 64;
		snprintf(p->bits_source, sizeof(p->bits_source),
			 "getconf LONG_BIT");
	} else if (p->dpkg_arch[0] != '\0') {
		p->os_bits = strcmp(p->dpkg_arch, "arm64") == 0 ? 64 : 32;
		snprintf(p->bits_source, sizeof(p->bits_source),
			 "dpkg --print-architecture");
	} else if (strstr(sh_class, "01") != NULL ||
		   strstr(sh_class, "02") != NULL) {
		p->os_bits = strstr(sh_class, "02") != NULL ? 64 : 32;
		snprintf(p->bits_source, sizeof(p->bits_source),
			 "ELF class of /bin/sh");
	}

	/* df -Pk: "fs 1024-blocks used available capacity mount" */
	if (df[0] != '\0') {
		long long f[4];

		if (sscanf(df, "%*s %lld %lld %lld", &f[0], &f[1], &f[2]) == 3)
			p->home_free_kb = f[2];
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

int
remote_probe(struct remote *r, const char *file, struct remote_probe *p)
{
	struct strbuf script = STRBUF_INIT, out = STRBUF_INIT,
		      err = STRBUF_INIT;
	int status = 0, ret;

	remote_probe_script(&script, file);
	ret = remote_exec(r, script.buf, NULL, 0, &out, &err, &status);
	if (ret != 0)
		goto out;
	ret = remote_probe_parse(out.buf, out.len, p);
	if (ret != 0) {
		strbuf_rtrim(&err);
		seterr(r, "cannot probe '%s': its shell answered %s%s%s",
		       r->display, out.len ? "something else" : "nothing",
		       err.len ? ": " : "", err.buf);
	}
out:
	strbuf_release(&script);
	strbuf_release(&out);
	strbuf_release(&err);
	return ret;
}

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
		if (n < 0)
			goto out;
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

	strbuf_adds(&cmd, "cd && exec ");
	strbuf_add_shquoted(&cmd, path);
	for (int i = 0; i < argc; i++) {
		strbuf_addch(&cmd, ' ');
		strbuf_add_shquoted(&cmd, argv[i]);
	}
	memset(&st, 0, sizeof(st));
	st.out.fd = fd_out;
	st.err.fd = fd_err;
	st.fwd_in = r->forward_stdin;
	ret = channel_run(r, cmd.buf, NULL, &st, run_timeout_s * 1000, false);
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

static void
add_exec(struct strbuf *sb, int argc, char *const *argv)
{
	strbuf_adds(sb, "echo rpx-go\ncd && exec \"$f\"");
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
	add_exec(&cmd, argc, argv);
	strbuf_adds(&cmd, "fi\n");
	probe_script(&cmd, NULL, false);
	gate_init(&st, r, fd_out, fd_err);
	ret = channel_run(r, cmd.buf, NULL, &st, run_timeout_s * 1000, false);
	*status = st.status;
	if (st.open) {
		*ran = true;
		goto out;
	}
	if (ret != 0)
		goto out;
	ret = remote_probe_parse(st.gate_out.buf, st.gate_out.len, probe);
	if (ret != 0)
		seterr(r, "cannot probe '%s': its shell answered %s",
		       r->display, st.gate_out.len ? "something else" :
		       "nothing");
out:
	gate_release(&st);
	strbuf_release(&cmd);
	return ret;
}

/* After an SFTP upload: remove stale temporaries and older versions of
 * qname, as the exec path does (builtins decide; rm and rmdir run only
 * when there is something to remove). */
static void
tidy_script(struct strbuf *sb, const char *qname)
{
	strbuf_addf(sb,
		"d=\"$HOME/" REMOTE_DIR "\"\n"
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

/* The shell text that receives the upload on stdin into the cache. */
static void
upload_script(struct strbuf *sb, const char *hex, const char *qname,
	      long long size)
{
	/* A temporary name with the shell's pid, removed on any failure;
	 * leftovers of earlier runs (their pid gone) and older versions of
	 * the same name are removed first. The size is checked before the
	 * rename: a cut connection leaves a short file behind cat. Nothing
	 * is written outside ~/.cache/rpi-cross. */
	strbuf_addf(sb,
		"set -e\n"
		"umask 022\n"
		"d=\"$HOME/" REMOTE_DIR "\"\n"
		"h=\"$d/%.16s\"\n"
		"f=\"$h/\"%s\n"
		"[ -d \"$h\" ] || mkdir -p \"$h\"\n"
		"for o in \"$d\"/*/.rpx-tmp.*; do\n"
		" [ -e \"$o\" ] || continue\n"
		" p=${o##*.}\n"
		" kill -0 \"$p\" 2>/dev/null || rm -f \"$o\"\n"
		"done\n"
		"for o in \"$d\"/*/%s; do\n"
		" [ -e \"$o\" ] && [ \"$o\" != \"$f\" ] || continue\n"
		" rm -f \"$o\"; rmdir \"${o%%/*}\" 2>/dev/null || :\n"
		"done\n"
		"t=\"$h/.rpx-tmp.\"%s\".$$\"\n"
		"trap 'rm -f \"$t\"' EXIT\n"
		"trap 'exit 1' HUP INT TERM PIPE\n"
		"cat >\"$t\"\n"
		"n=$(stat -c %%s \"$t\" 2>/dev/null || wc -c <\"$t\")\n"
		"if [ \"$n\" -ne %lld ]; then echo \"received $n of %lld "
		"bytes\" >&2; exit 1; fi\n"
		"chmod 755 \"$t\"\n"
		"mv -f \"$t\" \"$f\"\n"
		"trap - EXIT\n"
		"set +e\n",
		hex, qname, qname, qname, size, size);
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
		seterr(r, "bad remote file name '%s'", name);
		return RPX_EINVAL;
	}
	feed->fd = open(local, O_RDONLY | O_CLOEXEC);
	if (feed->fd < 0 || fstat(feed->fd, sbuf) != 0) {
		seterr(r, "cannot open '%s': %s", local, strerror(errno));
		return RPX_EIO;
	}
	feed->total = (uint64_t)sbuf->st_size;
	return 0;
}

/* ---- upload over SFTP, writes pipelined ---------------------------------- */

/*
 * libssh 0.10 has only a synchronous sftp_write (one round trip per
 * chunk), so the upload speaks SFTP version 3 itself on a "sftp"
 * subsystem channel: up to SFTP_WINDOW write requests are in flight (as
 * OpenSSH's sftp and scp keep several). On the Pi that is sshd's sftp-server, a
 * native program, where the exec path needs a cat (and mkdir, stat, chmod,
 * mv) started by the shell. Only what run needs: mkdir, open with mode
 * 0755, write, fstat (size check), close, rename over the old name.
 */
#define SFTP_CHUNK (32u << 10)
/* 512 KiB in flight. More does not help: the Pi's side (sshd and its
 * sftp-server) sets the pace, and a write that finds the channel's window
 * (OpenSSH gives 2 MiB) used up waits in libssh for the window adjust.
 * Measured with libssh 0.10 against the simulated Pi 4 (50 MB, mean of
 * 8): 8 requests 0.50 s, 16 0.54 s, 32 0.64 s, 64 0.87 s. */
#define SFTP_WINDOW 16
enum {
	FXP_INIT = 1, FXP_VERSION = 2, FXP_OPEN = 3, FXP_CLOSE = 4,
	FXP_WRITE = 6, FXP_FSTAT = 8, FXP_FSETSTAT = 10, FXP_REMOVE = 13,
	FXP_MKDIR = 14, FXP_RENAME = 18, FXP_STATUS = 101, FXP_HANDLE = 102,
	FXP_ATTRS = 105, FXP_EXTENDED = 200,
};
#define FXF_WRITE 0x02
#define FXF_CREAT 0x08
#define FXF_TRUNC 0x10
#define FILEXFER_ATTR_SIZE 0x01
#define FILEXFER_ATTR_PERMISSIONS 0x04

struct sftp_up {
	struct remote *r;
	ssh_channel ch;
	struct strbuf in;	/* received, not yet taken */
	struct strbuf pkt;	/* the packet being built or the one taken */
	uint32_t id;
	bool posix_rename;
	char why[256];		/* the server's words when it refused */
};

static void
put64(struct strbuf *sb, uint64_t v)
{
	strbuf_add_be32(sb, (uint32_t)(v >> 32));
	strbuf_add_be32(sb, (uint32_t)v);
}

/* Start a packet of type t (its length is filled in by sftp_send). */
static void
sftp_begin(struct sftp_up *u, int t)
{
	strbuf_reset(&u->pkt);
	strbuf_add_be32(&u->pkt, 0);
	strbuf_addch(&u->pkt, (char)t);
}

/* Start a request: type, then a fresh id. */
static void
sftp_request(struct sftp_up *u, int t)
{
	sftp_begin(u, t);
	strbuf_add_be32(&u->pkt, ++u->id);
}

static int
sftp_send(struct sftp_up *u)
{
	uint32_t n = (uint32_t)u->pkt.len - 4;
	unsigned char *b = (unsigned char *)u->pkt.buf;
	size_t off = 0;

	b[0] = (unsigned char)(n >> 24);
	b[1] = (unsigned char)(n >> 16);
	b[2] = (unsigned char)(n >> 8);
	b[3] = (unsigned char)n;
	while (off < u->pkt.len) {
		int w = ssh_channel_write(u->ch, u->pkt.buf + off,
					  (uint32_t)(u->pkt.len - off));

		if (w == SSH_ERROR)
			return RPX_EIO;
		off += (size_t)w;
	}
	return 0;
}

/*
 * Take the next packet into u->pkt (type first, then its body); its
 * length in *len. The operation timeout bounds the wait.
 */
static int
sftp_recv(struct sftp_up *u, int *type, size_t *len)
{
	char buf[16384];
	uint32_t n;

	while (u->in.len < 4 || u->in.len < 4 + (size_t)strbuf_get_be32(
		       (const unsigned char *)u->in.buf)) {
		int got;

		if (u->r->stop != NULL && *u->r->stop)
			return RPX_ECANCELED;
		got = ssh_channel_read_timeout(u->ch, buf, sizeof(buf), 0,
					       u->r->timeout_ms);
		if (got == SSH_ERROR || (got == 0 && ssh_channel_is_eof(u->ch)))
			return RPX_EIO;
		if (got == 0)
			return RPX_ETIMEOUT;
		strbuf_add(&u->in, buf, (size_t)got);
		if (u->in.len >= 4 &&
		    strbuf_get_be32((const unsigned char *)u->in.buf) > (1u << 20))
			return RPX_EIO;	/* not SFTP */
	}
	n = strbuf_get_be32((const unsigned char *)u->in.buf);
	if (n < 1)
		return RPX_EIO;
	strbuf_reset(&u->pkt);
	strbuf_add(&u->pkt, u->in.buf + 4, n);
	memmove(u->in.buf, u->in.buf + 4 + n, u->in.len - 4 - n);
	u->in.len -= 4 + (size_t)n;
	u->in.buf[u->in.len] = '\0';
	*type = (unsigned char)u->pkt.buf[0];
	*len = n;
	return 0;
}

/* Wait for the answer to a request: 0 for STATUS OK (or, with want_type,
 * that packet type); RPX_EIO with u->why on a refusal. */
static int
sftp_answer(struct sftp_up *u, int want_type)
{
	const unsigned char *b;
	size_t len;
	int type, ret = sftp_recv(u, &type, &len);

	if (ret != 0)
		return ret;
	b = (const unsigned char *)u->pkt.buf;
	if (type == want_type)
		return 0;
	if (type == FXP_STATUS && len >= 9) {
		uint32_t code = strbuf_get_be32(b + 5), ml = 0;

		if (code == 0)
			return want_type == FXP_STATUS ? 0 : RPX_EIO;
		if (len >= 13)
			ml = strbuf_get_be32(b + 9);
		if (ml > len - 13)
			ml = 0;
		snprintf(u->why, sizeof(u->why), "%.*s (SFTP status %u)",
			 (int)ml, (const char *)b + 13, (unsigned)code);
		return RPX_EIO;
	}
	snprintf(u->why, sizeof(u->why), "unexpected SFTP answer %d", type);
	return RPX_EIO;
}

static int
sftp_open_session(struct sftp_up *u)
{
	const unsigned char *b;
	size_t len, off;
	int type, ret;

	u->ch = ssh_channel_new(u->r->conn->session);
	if (u->ch == NULL || open_session(u->r, u->ch) != SSH_OK ||
	    ssh_channel_request_subsystem(u->ch, "sftp") != SSH_OK) {
		char ebuf[64];

		snprintf(u->why, sizeof(u->why), "no SFTP: %s",
			 session_error(u->r, ebuf, sizeof(ebuf)));
		return RPX_EIO;
	}
	sftp_begin(u, FXP_INIT);
	strbuf_add_be32(&u->pkt, 3);
	if ((ret = sftp_send(u)) != 0 || (ret = sftp_recv(u, &type, &len)) != 0)
		return ret;
	if (type != FXP_VERSION || len < 5)
		return RPX_EIO;
	b = (const unsigned char *)u->pkt.buf;
	for (off = 5; off + 4 <= len;) {
		uint32_t nl = strbuf_get_be32(b + off), dl;

		if (nl > len - off - 4)
			break;
		if (nl == 24 && memcmp(b + off + 4, "posix-rename@openssh.com",
				       24) == 0)
			u->posix_rename = true;
		off += 4 + nl;
		if (off + 4 > len)
			break;
		dl = strbuf_get_be32(b + off);
		if (dl > len - off - 4)
			break;
		off += 4 + dl;
	}
	return 0;
}

/*
 * Upload fd (size bytes) to dir/name over SFTP: dir made when missing,
 * the data written to tmp (mode 0755) with pipelined requests, its size
 * checked, then renamed over dir/name. 0, or an error with u->why.
 */
static int
sftp_upload(struct sftp_up *u, int fd, uint64_t size, const char *const *parts,
	    size_t nparts, const char *tmp, const char *path)
{
	struct remote *r = u->r;
	char *handle = NULL;
	size_t hlen = 0, len;
	uint64_t off = 0;
	long long last_progress = 0;
	unsigned char *buf = xmalloc(SFTP_CHUNK);
	int ret, inflight = 0;

	if ((ret = sftp_open_session(u)) != 0)
		goto out;
	/* mkdir -p, answers taken together: an existing folder fails */
	for (size_t i = 0; i < nparts; i++) {
		sftp_request(u, FXP_MKDIR);
		strbuf_add_sshstr(&u->pkt, parts[i], strlen(parts[i]));
		strbuf_add_be32(&u->pkt, FILEXFER_ATTR_PERMISSIONS);
		strbuf_add_be32(&u->pkt, 0755);
		if ((ret = sftp_send(u)) != 0)
			goto out;
	}
	sftp_request(u, FXP_OPEN);
	strbuf_add_sshstr(&u->pkt, tmp, strlen(tmp));
	strbuf_add_be32(&u->pkt, FXF_WRITE | FXF_CREAT | FXF_TRUNC);
	strbuf_add_be32(&u->pkt, FILEXFER_ATTR_PERMISSIONS);
	strbuf_add_be32(&u->pkt, 0755);
	if ((ret = sftp_send(u)) != 0)
		goto out;
	for (size_t i = 0; i < nparts; i++)
		if ((ret = sftp_answer(u, FXP_STATUS)) != 0 &&
		    ret != RPX_EIO)
			goto out;
	if ((ret = sftp_answer(u, FXP_HANDLE)) != 0)
		goto out;
	len = u->pkt.len;
	hlen = len >= 9 ? strbuf_get_be32((const unsigned char *)u->pkt.buf + 5) : 0;
	if (hlen == 0 || hlen > len - 9 || hlen > 256) {
		ret = RPX_EIO;
		goto out;
	}
	/* a handle is bytes, not a string: OpenSSH's start with NULs */
	handle = xmalloc(hlen);
	memcpy(handle, u->pkt.buf + 9, hlen);
	u->why[0] = '\0';
	while (off < size || inflight > 0) {
		while (off < size && inflight < SFTP_WINDOW) {
			size_t want = size - off < SFTP_CHUNK ?
				      (size_t)(size - off) : SFTP_CHUNK;
			ssize_t n = pread(fd, buf, want, (off_t)off);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				snprintf(u->why, sizeof(u->why), "cannot read "
					 "the file to upload: %s", n < 0 ?
					 strerror(errno) : "it shrank");
				ret = RPX_EIO;
				goto out;
			}
			sftp_request(u, FXP_WRITE);
			strbuf_add_sshstr(&u->pkt, handle, hlen);
			put64(&u->pkt, off);
			strbuf_add_sshstr(&u->pkt, buf, (size_t)n);
			if ((ret = sftp_send(u)) != 0)
				goto out;
			off += (uint64_t)n;
			inflight++;
			if (r->cb.progress != NULL &&
			    (rpx_now_ms() - last_progress >= 100 || off == size)) {
				last_progress = rpx_now_ms();
				r->cb.progress(r->cb.data, off, size);
			}
		}
		if ((ret = sftp_answer(u, FXP_STATUS)) != 0)
			goto out;
		inflight--;
	}
	/* size check, the mode (against an odd umask) and close, sent
	 * together: one round trip, then the rename */
	sftp_request(u, FXP_FSTAT);
	strbuf_add_sshstr(&u->pkt, handle, hlen);
	if ((ret = sftp_send(u)) != 0)
		goto out;
	sftp_request(u, FXP_FSETSTAT);
	strbuf_add_sshstr(&u->pkt, handle, hlen);
	strbuf_add_be32(&u->pkt, FILEXFER_ATTR_PERMISSIONS);
	strbuf_add_be32(&u->pkt, 0755);
	if ((ret = sftp_send(u)) != 0)
		goto out;
	sftp_request(u, FXP_CLOSE);
	strbuf_add_sshstr(&u->pkt, handle, hlen);
	if ((ret = sftp_send(u)) != 0 || (ret = sftp_answer(u, FXP_ATTRS)) != 0)
		goto out;
	len = u->pkt.len;
	if (len < 17 || !(strbuf_get_be32((const unsigned char *)u->pkt.buf + 5) &
			  FILEXFER_ATTR_SIZE) ||
	    ((uint64_t)strbuf_get_be32((const unsigned char *)u->pkt.buf + 9) << 32 |
	     strbuf_get_be32((const unsigned char *)u->pkt.buf + 13)) != size) {
		snprintf(u->why, sizeof(u->why), "the Pi received another "
			 "size than %llu bytes", (unsigned long long)size);
		ret = RPX_EIO;
		goto out;
	}
	if ((ret = sftp_answer(u, FXP_STATUS)) != 0 ||
	    (ret = sftp_answer(u, FXP_STATUS)) != 0)
		goto out;
	if (u->posix_rename) {
		sftp_request(u, FXP_EXTENDED);
		strbuf_add_sshstr(&u->pkt, "posix-rename@openssh.com", 24);
	} else {
		/* plain SFTP rename refuses an existing target: there is
		 * none unless an identical copy raced us in */
		sftp_request(u, FXP_RENAME);
	}
	strbuf_add_sshstr(&u->pkt, tmp, strlen(tmp));
	strbuf_add_sshstr(&u->pkt, path, strlen(path));
	if ((ret = sftp_send(u)) != 0 || (ret = sftp_answer(u, FXP_STATUS)) != 0)
		goto out;
out:
	if (ret != 0 && u->ch != NULL && handle != NULL) {
		/* leave no temporary behind when we still can */
		sftp_request(u, FXP_REMOVE);
		strbuf_add_sshstr(&u->pkt, tmp, strlen(tmp));
		(void)sftp_send(u);
	}
	if (u->ch != NULL) {
		if (ssh_channel_is_open(u->ch))
			ssh_channel_close(u->ch);
		ssh_channel_free(u->ch);
		u->ch = NULL;
	}
	free(handle);
	free(buf);
	return ret;
}

/*
 * What `run` learns about a board by starting programs on it (uname -m,
 * getconf LONG_BIT and GNU_LIBC_VERSION: tens of ms each on a Pi Zero or
 * under qemu) is kept on this computer, under the cache folder
 * ($XDG_CACHE_HOME or ~/.cache)/rpi-cross/boards/, one file per host key
 * and user. It is used only while the board's kernel (/proc/version) and
 * OS (/etc/os-release) read the same as when it was probed - both read by
 * the shell itself - so a kernel switch (32/64-bit), an OS upgrade or a
 * reinstall (a new host key) probes again.
 */
#define KNOWN_KEYS_N 5
static const char *const known_keys[KNOWN_KEYS_N] = {
	"machine=", "long_bit=", "glibc=", "dpkg=", "sh_class=",
};

static char *
board_cache_path(struct remote *r)
{
	const char *xdg = rpx_getenv("XDG_CACHE_HOME");
	const char *home = rpx_getenv("HOME");
	struct sha256 c;
	unsigned char d[32];
	char hex[65], *id;

	if (r->conn->hostkey_fp[0] == '\0' ||
	    (xdg == NULL && home == NULL))
		return NULL;
	id = xasprintf("%s\n%s", r->conn->hostkey_fp, r->user);
	sha256_init(&c);
	sha256_update(&c, id, strlen(id));
	sha256_final(&c, d);
	free(id);
	hash_hex(d, 16, hex);
	return xdg != NULL && xdg[0] == '/' ?
	       xasprintf("%s/rpi-cross/boards/%s", xdg, hex) :
	       xasprintf("%s/.cache/rpi-cross/boards/%s", home, hex);
}

/* The value of "key=" in a probe text (up to the line's end), or NULL. */
static char *
probe_value(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *l = text; l != NULL && *l != '\0';) {
		const char *e = strchr(l, '\n');
		size_t n = e != NULL ? (size_t)(e - l) : strlen(l);

		if (n >= kl && strncmp(l, key, kl) == 0)
			return xstrndup(l + kl, n - kl);
		l = e != NULL ? e + 1 : NULL;
	}
	return NULL;
}

/* The shell text that sets rpx_known=1 when the board reads as it did
 * for the cached probe; it always prints what it compared. */
static void
known_board_script(struct strbuf *sb, const char *cached)
{
	char *kernel = cached ? probe_value(cached, "rpx-kernel=") : NULL;
	char *os = cached ? probe_value(cached, "rpx-os=") : NULL;

	strbuf_adds(sb,
		"rk=; [ -r /proc/version ] && IFS= read -r rk </proc/version\n"
		"ro=; [ -r /etc/os-release ] && while IFS= read -r l; do "
		"ro=\"$ro$l|\"; done </etc/os-release\n"
		"echo \"rpx-kernel=$rk\"; echo \"rpx-os=$ro\"\n");
	/* (a chroot without /proc, like the simulated Pis, reads no
	 * kernel: then the OS alone decides) */
	if (kernel != NULL && os != NULL) {
		strbuf_adds(sb, "[ \"$rk\" = ");
		strbuf_add_shquoted(sb, kernel);
		strbuf_adds(sb, " ] && [ \"$ro\" = ");
		strbuf_add_shquoted(sb, os);
		strbuf_adds(sb, " ] && rpx_known=1 && echo rpx-known=1\n");
	}
	free(kernel);
	free(os);
}

/* After a probe: a full one is saved; a known board's answer gets the
 * saved program-started lines. The text to parse (malloc'd). */
static char *
board_cache_merge(struct remote *r, const char *text, size_t len,
		  const char *cached)
{
	struct strbuf sb = STRBUF_INIT;
	char *path;

	strbuf_add(&sb, text, len);
	if (strstr(sb.buf, "\nrpx-known=1\n") != NULL && cached != NULL) {
		for (int i = 0; i < KNOWN_KEYS_N; i++) {
			char *v = probe_value(cached, known_keys[i]);

			if (v != NULL)
				strbuf_addf(&sb, "%s%s\n", known_keys[i], v);
			free(v);
		}
		return strbuf_detach(&sb, NULL);
	}
	path = board_cache_path(r);
	if (path != NULL) {
		char *dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));

		/* best effort: without it the next run probes again */
		if (fsutil_mkdirs(dir, 0700) == 0)
			(void)atomic_write(path, sb.buf, sb.len);
		free(dir);
	}
	free(path);
	return strbuf_detach(&sb, NULL);
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
};

static const char *
decide_upload(void *data, const char *text, size_t len, bool *feed)
{
	struct upload_check *uc = data;
	struct sftp_up u;
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
		 board_cache_merge(uc->r, text, len, uc->cached) :
		 xstrndup(text, len);
	ret = remote_probe_parse(merged, strlen(merged), uc->probe);
	free(merged);
	if (ret != 0)
		return NULL;
	uc->parsed = true;
	if (uc->check != NULL && !uc->check(uc->data, uc->probe))
		return NULL;
	*feed = true;
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
	memset(&u, 0, sizeof(u));
	u.r = uc->r;
	strbuf_init(&u.in);
	strbuf_init(&u.pkt);
	parts[0] = xasprintf("%s/.cache", uc->probe->home);
	parts[1] = xasprintf("%s/" REMOTE_DIR, uc->probe->home);
	parts[2] = xasprintf("%s/%.16s", parts[1], uc->hex);
	/* the temporary carries the waiting shell's pid, as the exec
	 * path's does: a later run removes it once that shell is gone */
	tmp = xasprintf("%s/.rpx-tmp.%s.%lld", parts[2], uc->name, npid);
	path = xasprintf("%s/%s", parts[2], uc->name);
	ret = sftp_upload(&u, uc->fd, uc->size, (const char *const *)parts,
			  3, tmp, path);
	snprintf(uc->sftp_why, sizeof(uc->sftp_why), "%s", u.why);
	for (int i = 0; i < 3; i++)
		free(parts[i]);
	free(tmp);
	free(path);
	strbuf_release(&u.in);
	strbuf_release(&u.pkt);
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
int
remote_run_upload(struct remote *r, const char *local, const char *name,
		  const char *hex, int argc, char *const *argv, int fd_out,
		  int fd_err, int run_timeout_s, remote_upload_check *check,
		  void *data, struct remote_probe *probe, bool *ran,
		  bool *uploaded, int *status)
{
	struct strbuf cmd = STRBUF_INIT, qname = STRBUF_INIT;
	struct chan_state st;
	struct upload_check uc;
	struct feed feed = { NULL, 0, -1, 0, decide_upload, &uc, false,
			     false };
	char *cache_path = NULL, *cached = NULL;
	size_t cached_len = 0;
	struct stat sbuf;
	int ret = RPX_EIO;

	*status = 0;
	*ran = *uploaded = false;
	gate_init(&st, r, fd_out, fd_err);
	ret = open_upload(r, local, name, &feed, &sbuf);
	if (ret < 0)
		goto out;
	ret = RPX_EIO;
	memset(&uc, 0, sizeof(uc));
	uc.r = r;
	uc.probe = probe;
	uc.check = check;
	uc.data = data;
	uc.fd = feed.fd;
	uc.size = feed.total;
	uc.name = name;
	uc.hex = hex;
	if (check != NULL)
		cache_path = board_cache_path(r);
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
		add_exec(&cmd, argc, argv);
		strbuf_adds(&cmd, "fi\n");
	}
	strbuf_adds(&cmd, "exec 3>&2\necho \"rpx-pid=$$\"\n");
	if (check != NULL) {
		known_board_script(&cmd, uc.cached);
		probe_script(&cmd, NULL, false);
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
	upload_script(&cmd, hex, qname.buf, (long long)sbuf.st_size);
	strbuf_adds(&cmd, ";;\n*) exit 0 ;;\nesac\n");
	add_exec(&cmd, argc, argv);
	ret = channel_run(r, cmd.buf, &feed, &st, run_timeout_s * 1000, false);
	*status = st.status;
	if (st.open) {
		*ran = true;
		*uploaded = feed.decided;
		goto out;
	}
	if (ret != 0)
		goto out;
	if (uc.sftp_failed) {
		seterr(r, "cannot upload '%s' to '%s:~/" REMOTE_DIR "/' over "
		       "SFTP: %s", local, r->display, uc.sftp_why[0] ?
		       uc.sftp_why : "the connection failed");
		ret = RPX_EIO;
		goto out;
	}
	if (uc.canceled) {
		seterr(r, "upload to '%s' interrupted", r->display);
		ret = RPX_ECANCELED;
		goto out;
	}
	if (feed.decided && !uc.parsed) {
		seterr(r, "cannot probe '%s': its shell answered something "
		       "else", r->display);
		ret = RPX_EIO;
		goto out;
	}
	if (feed.refused && check != NULL)
		goto out;	/* the caller's check said no: 0, !*ran */
	strbuf_rtrim(&st.gate_err);
	if (!feed.decided) {
		seterr(r, "cannot probe '%s': its shell answered %s",
		       r->display, st.gate_err.len ? st.gate_err.buf :
		       "nothing");
		ret = RPX_EIO;
		goto out;
	}
	seterr(r, "cannot upload '%s' to '%s:~/" REMOTE_DIR "/': %s", local,
	       r->display, st.gate_err.len ? st.gate_err.buf :
	       "the remote shell failed");
	ret = RPX_EIO;
out:
	if (feed.fd >= 0)
		close(feed.fd);
	gate_release(&st);
	strbuf_release(&cmd);
	strbuf_release(&qname);
	free(cache_path);
	free(cached);
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
		seterr(r, "cannot upload '%s' to '%s': the remote shell "
		       "ended first", local, r->display);
		ret = RPX_EIO;
	}
	return ret;
}
