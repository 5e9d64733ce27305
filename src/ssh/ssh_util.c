/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ssh_util.c - the lowest layer of remote (ssh_int.h): the error setter
 * and the codes' names, wiping secrets, and parsing a [USER@]HOST[:PORT]
 * target.
 */
#include "ssh_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
remote_seterr(struct remote *r, enum remote_err code, const char *fmt, ...)
{
	va_list ap;

	r->err_code = code;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
}

const char *
remote_err_name(enum remote_err code)
{
	static const char *const names[REMOTE_ERR_COUNT] = {
		"none", "bad-target", "setup", "connect", "proxy", "timeout",
		"hostkey-unknown", "hostkey-changed", "hostkey", "auth",
		"lost", "channel", "exec", "protocol", "probe", "upload",
		"disk-full", "local", "invalid", "run-timeout", "canceled",
	};

	return (unsigned)code < REMOTE_ERR_COUNT ? names[code] : "?";
}

void
remote_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

/* ---- targets ------------------------------------------------------------ */

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

/* ---- -v: a channel's steps, one format whichever way it is carried ---- */

void
remote_trace_exec(const struct remote *r, const char *cmd)
{
	/* a script (the probe) shows its first line and its size */
	size_t first = strcspn(cmd, "\n");

	if (r->trace == NULL || r->trace->verbose < 1)
		return;
	if (cmd[first] == '\0')
		rpx_verbosef(r->trace, 1, "ssh", "exec: %s", cmd);
	else
		rpx_verbosef(r->trace, 1, "ssh", "exec: %.*s ... (a %zu-byte script)",
			     (int)first, cmd, strlen(cmd));
}

void
remote_trace_pty(const struct remote *r, int cols, int rows, bool granted)
{
	rpx_verbosef(r->trace, 1, "ssh", "pty: %s, %dx%d%s", r->pty_term, cols,
		     rows, granted ? "" : ": refused, the program runs on pipes");
}

void
remote_trace_winch(const struct remote *r, int cols, int rows)
{
	rpx_verbosef(r->trace, 1, "ssh", "window change: %dx%d", cols, rows);
}

void
remote_trace_signal(const struct remote *r, const char *name)
{
	rpx_verbosef(r->trace, 1, "ssh", "signal: sending SIG%s", name);
}

void
remote_trace_end(const struct remote *r, const struct chan_state *st)
{
	if (!st->got_status)
		rpx_verbosef(r->trace, 1, "ssh", "the channel closed without an "
			     "exit status");
	else if (st->signame[0] != '\0')
		rpx_verbosef(r->trace, 1, "ssh", "exit status: %d (SIG%s)",
			     st->status, st->signame);
	else
		rpx_verbosef(r->trace, 1, "ssh", "exit status: %d", st->status);
}
