/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * remote.c - the Pi over SSH with libssh (see remote.h): connect (the
 * options and ~/.ssh/config, then the host key and the login) and release,
 * the lifetime of struct remote. The rest of remote.h is implemented
 * beside it; ssh_int.h names the files.
 *
 * Works with libssh 0.10 (Debian 12) and 0.11 (Homebrew): only API both
 * have is used.
 */
#include "remote.h"
#include "ssh_int.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	keep_link_free(c->keep);
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

/* ssh_connect() failed: say why (the ProxyCommand that ran, no answer
 * in time, or libssh's reason). RPX_ETIMEOUT or RPX_EIO. */
static int
connect_failed(struct remote *r, long timeout)
{
	ssh_session s = r->conn->session;
	const char *e = ssh_get_error(s);
	char *val = NULL;

	if (ssh_options_get(s, SSH_OPTIONS_PROXYCOMMAND, &val) != SSH_OK)
		val = NULL;
	if (val != NULL) {
		/* the command's own words went nowhere: say what ran, so
		 * it can be run by hand */
		remote_seterr(r, REMOTE_ERR_PROXY, "cannot connect to '%s' "
			      "through the ProxyCommand '%s': %s; run the "
			      "command by hand to see why (a ProxyJump runs "
			      "'ssh -W', which reads ~/.ssh of the home in the "
			      "password database, not $HOME)", r->display, val,
			      e);
		ssh_string_free_char(val);
		return RPX_EIO;
	}
	/* libssh says a timeout only in words */
	if (strstr(e, "imeout") != NULL || strstr(e, "timed out") != NULL) {
		remote_seterr(r, REMOTE_ERR_TIMEOUT, "cannot connect to '%s': "
			      "no answer within %ld s (%s)", r->display,
			      timeout, e);
		return RPX_ETIMEOUT;
	}
	remote_seterr(r, REMOTE_ERR_CONNECT, "cannot connect to '%s': %s",
		      r->display, e);
	return RPX_EIO;
}

/* -vv: one line of libssh's log, "rpi-cross: libssh: FUNCTION: TEXT"
 * (userdata is the connection's ctx). */
static void
libssh_log(int priority, const char *function, const char *buffer,
	   void *userdata)
{
	(void)priority;
	rpx_verbosef(userdata, 2, "libssh", "%s: %s", function, buffer);
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
	r->err_code = REMOTE_ERR_NONE;
	r->cb = o->cb;
	r->trace = o->trace;
	timeout = o->timeout_s > 0 ? o->timeout_s : 10;
	r->timeout_ms = (int)timeout * 1000;
	if (remote_parse_target(o->target, &user, &host, &tport, r->err,
				sizeof(r->err)) != 0) {
		r->err_code = REMOTE_ERR_BAD_TARGET;
		goto out;
	}
	ret = RPX_EIO;
	r->conn = xcalloc(1, sizeof(*r->conn));
	r->conn->r = r;
	r->conn->ids.identities_only = -1;
	s = ssh_new();
	if (s == NULL) {
		remote_seterr(r, REMOTE_ERR_SETUP,
			      "cannot create an SSH session");
		goto out;
	}
	r->conn->session = s;
	ssh_dir = o->ssh_dir ? xstrdup(o->ssh_dir) : default_ssh_dir();
	if (ssh_options_set(s, SSH_OPTIONS_SSH_DIR, ssh_dir) < 0 ||
	    ssh_options_set(s, SSH_OPTIONS_HOST, host) < 0) {
		remote_seterr(r, REMOTE_ERR_SETUP, "cannot use host '%s': %s",
			      host, ssh_get_error(s));
		goto out;
	}
	/* ~/.ssh/config, then the system's: Host aliases, HostName, User,
	 * Port, IdentityFile, UserKnownHostsFile, ProxyJump/ProxyCommand. */
	cfg = xasprintf("%s/config", ssh_dir);
	if (access(cfg, R_OK) == 0 && ssh_options_parse_config(s, cfg) < 0) {
		remote_seterr(r, REMOTE_ERR_SETUP, "cannot read '%s': %s", cfg,
			      ssh_get_error(s));
		goto out;
	}
	if (access("/etc/ssh/ssh_config", R_OK) == 0)
		ssh_options_parse_config(s, "/etc/ssh/ssh_config");
	/* What the user typed wins over the config files. */
	if (user != NULL && ssh_options_set(s, SSH_OPTIONS_USER, user) < 0) {
		remote_seterr(r, REMOTE_ERR_SETUP, "bad user name '%s'", user);
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
	r->conn->cbs.auth_function = remote_auth_prompt;
	ssh_callbacks_init(&r->conn->cbs);
	ssh_set_callbacks(s, &r->conn->cbs);

	if (r->trace != NULL && r->trace->verbose >= 2) {
		int level = SSH_LOG_PROTOCOL;

		/* libssh's log callback and level are its own process-wide
		 * settings: pointed at this connection's ctx */
		ssh_set_log_callback(libssh_log);
		ssh_set_log_userdata((void *)r->trace);
		ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &level);
	}
	rpx_verbosef(r->trace, 1, "ssh", "connecting to %s%s%s%s (timeout %ld s)",
		     r->display, strcmp(host, r->host) != 0 ? " (Host " : "",
		     strcmp(host, r->host) != 0 ? host : "",
		     strcmp(host, r->host) != 0 ? " in ssh_config)" : "", (long)timeout);
	/* a kept connection's master serves this host: no handshake */
	if (remote_keep_attach(r, o) == 1) {
		rpx_verbosef(r->trace, 1, "ssh", "through the kept connection to %s "
			     "(no handshake)", r->display);
		ret = 0;
		goto out;
	}
	if (ssh_connect(s) != SSH_OK) {
		ret = connect_failed(r, timeout);
		rpx_verbosef(r->trace, 1, "ssh", "%s", r->err);
		goto out;
	}
	rpx_verbosef(r->trace, 1, "ssh", "connected to %s; checking its host key in %s",
		     r->display, r->known_hosts != NULL ? r->known_hosts : "known_hosts");
	ret = remote_check_host_key(r, o->accept_new_host_key);
	if (ret != 0)
		goto out;
	ret = remote_authenticate(r);
	if (ret == 0) {
		rpx_verbosef(r->trace, 1, "ssh", "logged in to %s", r->display);
		remote_keep_start(r, o);
	} else {
		rpx_verbosef(r->trace, 1, "ssh", "%s", r->err);
	}
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
	r->err_code = REMOTE_ERR_NONE;
	r->on_start = NULL;
	r->on_start_data = NULL;
}
