/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* ssh_cli.c - terminal side of the SSH commands (see ssh_cli.h). */
#include "ssh_cli.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Read one line from /dev/tty after printing prompt; echo off if asked. */
static int
tty_ask(const char *prompt, bool echo, char *buf, size_t bufsz)
{
	struct termios old, quiet;
	bool restore = false;
	size_t n = 0;
	int fd = -1, ret = -1;

	fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	if (fd < 0 || bufsz == 0)
		goto out;
	/* Echo off before the prompt appears, so that nothing typed after
	 * it is ever shown; type-ahead is kept. */
	if (!echo && tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		restore = tcsetattr(fd, TCSANOW, &quiet) == 0;
	}
	if (write(fd, prompt, strlen(prompt)) < 0)
		goto out;
	for (;;) {
		char ch;
		ssize_t r = read(fd, &ch, 1);

		if (r <= 0)
			goto out;
		if (ch == '\n' || ch == '\r')
			break;
		if (n + 1 < bufsz)
			buf[n++] = ch;
	}
	buf[n] = '\0';
	ret = 0;
out:
	if (restore)
		tcsetattr(fd, TCSANOW, &old);
	if (fd >= 0)
		close(fd);
	if (ret != 0 && bufsz > 0)
		memset(buf, 0, bufsz);
	return ret;
}

static int
cli_ask(void *data, const char *prompt, bool echo, char *buf, size_t bufsz)
{
	(void)data;
	return tty_ask(prompt, echo, buf, bufsz);
}

static bool
cli_confirm(void *data, const char *host, const char *key_type,
	    const char *fingerprint)
{
	char answer[16], *prompt = NULL;
	bool yes = false;

	(void)data;
	prompt = xasprintf(
		"The authenticity of host '%s' can't be established.\n"
		"Its %s key fingerprint is %s.\n"
		"Compare it with the Pi's own (ssh-keygen -lf /etc/ssh/"
		"ssh_host_*_key.pub on the Pi).\n"
		"Trust this key and remember it in known_hosts (yes/no)? ",
		host, key_type, fingerprint);
	for (int i = 0; i < 3; i++) {
		if (tty_ask(prompt, true, answer, sizeof(answer)) != 0)
			break;
		if (rpx_strcasecmp(answer, "yes") == 0) {
			yes = true;
			break;
		}
		if (rpx_strcasecmp(answer, "no") == 0 || answer[0] == '\0')
			break;
		free(prompt);
		prompt = xstrdup("Please type 'yes' or 'no': ");
	}
	free(prompt);
	return yes;
}

/* Upload progress on one line of the terminal (stderr is one: see
 * ssh_cli_init), overwritten in place and blanked once the upload is done,
 * before the program's first output. */
static void
cli_progress(void *data, uint64_t done, uint64_t total)
{
	struct ssh_cli *c = data;
	int n;

	/* ctx->quiet is read here, not in ssh_cli_init: options are
	 * parsed after it */
	if (total < (1u << 20) || c->ctx->quiet)
		return;
	if (done >= total) {
		ssh_cli_end_progress(c);
		return;
	}
	n = fprintf(c->ctx->err, "\ruploading %s: %3d%% (%.1f of %.1f MB)",
		    c->label ? c->label : "", (int)(done * 100 / total),
		    done / 1e6, total / 1e6);
	/* a shorter line than the last one would leave its tail */
	if (n > 0 && n - 1 < c->progress_len)
		fprintf(c->ctx->err, "%*s", c->progress_len - (n - 1), "");
	if (n > 0 && n - 1 > c->progress_len)
		c->progress_len = n - 1;
	fflush(c->ctx->err);
	c->progress_shown = true;
}

void
ssh_cli_end_progress(struct ssh_cli *c)
{
	if (!c->progress_shown)
		return;
	fprintf(c->ctx->err, "\r%*s\r", c->progress_len, "");
	fflush(c->ctx->err);
	c->progress_shown = false;
	c->progress_len = 0;
}

/* A kept connection unless RPI_CROSS_NO_KEEP says no; its idle time
 * from RPI_CROSS_KEEP_TIME (an option given later wins). */
static void
keep_defaults(struct ssh_cli *c)
{
	const char *no = rpx_getenv("RPI_CROSS_NO_KEEP");
	const char *t = rpx_getenv("RPI_CROSS_KEEP_TIME");
	char *end = NULL;
	long v;

	c->ro.keep = no == NULL || no[0] == '\0' || strcmp(no, "0") == 0;
	if (t != NULL && t[0] != '\0') {
		v = strtol(t, &end, 10);
		if (*end == '\0' && v > 0 && v <= 86400)
			c->ro.keep_time_s = (int)v;
	}
}

void
ssh_cli_init(struct ssh_cli *c, const struct ctx *ctx)
{
	struct remote_opts init = REMOTE_OPTS_INIT;

	memset(c, 0, sizeof(*c));
	c->ro = init;
	c->ctx = ctx;
	c->ro.trace = ctx;	/* -v read when connecting */
	c->interactive = isatty(STDIN_FILENO);
	c->ro.cb.data = c;
	if (c->interactive) {
		c->ro.cb.confirm_host_key = cli_confirm;
		c->ro.cb.ask = cli_ask;
	}
	if (isatty(fileno(ctx->err)))
		c->ro.cb.progress = cli_progress;
	keep_defaults(c);
}

int
ssh_cli_option(struct ssh_cli *c, struct opt_parser *p, int id)
{
	unsigned long ul;

	switch (id) {
	case OPT_TIMEOUT:
		if (opt_parse_uint(p, "timeout", p->arg, 3600, &ul) != 0)
			return OPT_ERROR;
		if (ul == 0) {
			rpx_usage_error(p->ctx, p->cmd,
					"--timeout takes 1 to 3600 seconds");
			return OPT_ERROR;
		}
		c->ro.timeout_s = (int)ul;
		return 1;
	case OPT_ACCEPT_NEW_HOST_KEY:
		c->ro.accept_new_host_key = true;
		return 1;
	case OPT_NO_KEEP:
		c->ro.keep = false;
		return 1;
	case OPT_KEEP_TIME:
		if (opt_parse_uint(p, "keep-time", p->arg, 86400, &ul) != 0)
			return OPT_ERROR;
		if (ul == 0) {
			rpx_usage_error(p->ctx, p->cmd, "--keep-time takes 1 "
					"to 86400 seconds (--no-keep keeps "
					"nothing)");
			return OPT_ERROR;
		}
		c->ro.keep_time_s = (int)ul;
		return 1;
	default:
		return 0;
	}
}
