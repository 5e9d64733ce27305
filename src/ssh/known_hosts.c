/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * known_hosts.c - the server's host key against known_hosts (remote.h's
 * trust rules): libssh decides known/unknown/changed; this file finds the
 * lines that name the host (hashed names too) for the messages.
 */
#include "ssh_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

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
void
remote_known_hosts_lines(const char *path, const char *name, struct strbuf *sb)
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

void
remote_forget_host_command(const struct remote *r, struct strbuf *sb)
{
	char *name = known_name(r->host, r->port);

	strbuf_addf(sb, "ssh-keygen -R '%s' -f '%s'", name, r->known_hosts);
	free(name);
}

int
remote_check_host_key(struct remote *r, bool accept_new)
{
	ssh_session s = r->conn->session;
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp = NULL, *name = NULL;
	const char *type;
	struct strbuf lines = STRBUF_INIT, forget = STRBUF_INIT;
	enum ssh_known_hosts_e state;
	int ret = RPX_EIO;

	if (ssh_get_server_publickey(s, &key) != SSH_OK) {
		remote_seterr(r, REMOTE_ERR_HOSTKEY,
			      "cannot read the host key of '%s': %s",
			      r->display, ssh_get_error(s));
		goto out;
	}
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
				   &hlen) != 0) {
		remote_seterr(r, REMOTE_ERR_HOSTKEY,
			      "cannot hash the host key of '%s'", r->display);
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
		remote_known_hosts_lines(r->known_hosts, name, &lines);
		remote_known_hosts_lines("/etc/ssh/ssh_known_hosts", name,
					 &lines);
		remote_forget_host_command(r, &forget);
		remote_seterr(r, REMOTE_ERR_HOSTKEY_CHANGED, "the host key of "
			      "'%s' has %s: refusing to connect\n"
			      "  someone may be intercepting the connection, "
			      "or the Pi was reinstalled\n"
			      "  the server now offers %s %s\n"
			      "  the old key is at %s\n"
			      "  check the new fingerprint on the Pi itself "
			      "(ssh-keygen -lf /etc/ssh/ssh_host_%s_key.pub), "
			      "then remove the old key with:\n"
			      "    %s", name, state == SSH_KNOWN_HOSTS_CHANGED ?
			      "changed" : "changed (a key of another type was "
			      "known)", type, fp ? fp : "?",
			      lines.len ? lines.buf : r->known_hosts,
			      strncmp(type, "ssh-", 4) == 0 ? type + 4 :
			      strncmp(type, "ecdsa", 5) == 0 ? "ecdsa" : type,
			      forget.buf);
		ret = RPX_EINVAL;
		break;
	case SSH_KNOWN_HOSTS_NOT_FOUND:
	case SSH_KNOWN_HOSTS_UNKNOWN:
		if (!accept_new && (r->cb.confirm_host_key == NULL ||
		    !r->cb.confirm_host_key(r->cb.data, name, type,
					    fp ? fp : "?"))) {
			remote_seterr(r, REMOTE_ERR_HOSTKEY_UNKNOWN,
				      "the host key of '%s' is not known: "
				      "refusing to connect\n"
				      "  the server offers %s %s\n"
				      "  check it on the Pi (ssh-keygen -lf "
				      "/etc/ssh/ssh_host_%s_key.pub), then "
				      "run again at a terminal to confirm it, "
				      "or with --accept-new-host-key", name,
				      type, fp ? fp : "?",
				      strncmp(type, "ssh-", 4) == 0 ? type + 4 :
				      type);
			ret = RPX_ECANCELED;
			break;
		}
		if (ssh_session_update_known_hosts(s) != SSH_OK) {
			remote_seterr(r, REMOTE_ERR_HOSTKEY, "cannot add the "
				      "host key of '%s' to '%s': %s", name,
				      r->known_hosts, ssh_get_error(s));
			break;
		}
		ret = 0;
		break;
	case SSH_KNOWN_HOSTS_ERROR:
	default:
		remote_seterr(r, REMOTE_ERR_HOSTKEY, "cannot check the host "
			      "key of '%s' against '%s': %s", name,
			      r->known_hosts, ssh_get_error(s));
		break;
	}
out:
	strbuf_release(&lines);
	strbuf_release(&forget);
	free(name);
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	return ret;
}
