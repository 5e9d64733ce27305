/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * auth.c - logging in: ssh-agent and key files (IdentitiesOnly through an
 * agent relay), keyboard-interactive, password; and the message that says
 * what was tried when all of them fail.
 */
#include "ssh_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agentrelay.h"
#include "hash.h"

int
remote_auth_prompt(const char *prompt, char *buf, size_t len, int echo,
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
				remote_wipe(answer, sizeof(answer));
				return SSH_AUTH_DENIED;
			}
			rc = ssh_userauth_kbdint_setanswer(s, (unsigned)i,
							   answer);
			remote_wipe(answer, sizeof(answer));
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
	remote_seterr(r, REMOTE_ERR_AUTH, "cannot log in to '%s' as '%s': the "
		      "server ended the login after too many authentication "
		      "failures (tried: %s%s)\n"
		      "  sshd counts every key offered against its "
		      "MaxAuthTries (6 by default)\n"
		      "  to offer only this host's key, put in ~/.ssh/config:\n"
		      "    Host %s\n"
		      "      IdentitiesOnly yes\n"
		      "      IdentityFile ~/.ssh/KEY", r->display, r->user,
		      tried->len ? tried->buf : "nothing", agent,
		      r->conn->alias ? r->conn->alias : r->host);
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
	size_t n = ids->files.n > 0 ? ids->files.n : ARRAY_SIZE(defaults);
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

		files[i] = ids->files.n > 0 ? xstrdup(ids->files.v[i]) :
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
		if (ssh_pki_import_privkey_file(files[i], NULL,
						remote_auth_prompt, r,
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

int
remote_authenticate(struct remote *r)
{
	ssh_session s = r->conn->session;
	struct strbuf tried = STRBUF_INIT, offered = STRBUF_INIT;
	char pw[256];
	int methods, rc, ret = RPX_EIO;

	rpx_verbosef(r->trace, 1, "ssh", "login as '%s': trying method none", r->user);
	rc = ssh_userauth_none(s, NULL);
	if (rc == SSH_AUTH_SUCCESS) {
		ret = 0;
		goto out;
	}
	if (rc == SSH_AUTH_ERROR)
		goto fail_conn;
	methods = ssh_userauth_list(s, NULL);
	if (r->trace != NULL && r->trace->verbose >= 1) {
		methods_text(methods, &offered);
		rpx_verbosef(r->trace, 1, "ssh", "the server offers: %s", offered.buf);
		strbuf_reset(&offered);
	}
	if ((methods & SSH_AUTH_METHOD_PUBLICKEY) &&
	    r->conn->ids.identities_only == 1) {
		rpx_verbosef(r->trace, 1, "ssh", "trying publickey (IdentitiesOnly)");
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
		rpx_verbosef(r->trace, 1, "ssh", "trying publickey: %s", tried.buf);
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
		rpx_verbosef(r->trace, 1, "ssh", "trying keyboard-interactive");
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
			rpx_verbosef(r->trace, 1, "ssh", "trying password");
			rc = ssh_userauth_password(s, NULL, pw);
			remote_wipe(pw, sizeof(pw));
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
	remote_seterr(r, REMOTE_ERR_AUTH, "cannot log in to '%s' as '%s' "
		      "(tried: %s; the server accepts: %s)", r->display,
		      r->user, tried.len ? tried.buf : "nothing", offered.buf);
	ret = RPX_ECANCELED;
	goto out;
fail_conn:
	if (too_many_failures(r, &tried)) {
		ret = RPX_ECANCELED;
		goto out;
	}
	remote_seterr(r, REMOTE_ERR_AUTH, "authentication with '%s' failed: %s",
		      r->display, ssh_get_error(s));
out:
	remote_wipe(pw, sizeof(pw));
	strbuf_release(&tried);
	strbuf_release(&offered);
	return ret;
}
