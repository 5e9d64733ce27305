/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* cmd.c - helpers shared by the subcommands (see cmd.h). */
#include "cmd.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "suggest.h"

void
cmd_print_help(const struct ctx *ctx, const struct cmd_info *info)
{
	FILE *f = ctx->out;
	const char *u = info->usage;

	fputs("Usage: ", f);
	while (*u) {
		const char *nl = strchr(u, '\n');
		size_t n = nl ? (size_t)(nl - u) : strlen(u);

		fprintf(f, "%s%.*s\n", u == info->usage ? "" : "       ",
			(int)n, u);
		u += n + (nl ? 1 : 0);
	}
	fprintf(f, "\n%s\n", info->summary);
	if (info->description)
		fprintf(f, "\n%s\n", info->description);
	if (info->opts && info->opts[0].name) {
		fputs("\nOptions:\n", f);
		opt_print_help(f, info->opts);
	}
	fprintf(f, "\nSee rpi-cross(1) for details.\n");
}

int
cmd_parse_board(struct opt_parser *p, const char *arg,
		const struct board **out)
{
	const struct board *all;
	struct strbuf ids = STRBUF_INIT;
	struct suggest s;
	char *hint;
	int n;

	*out = board_find(arg);
	if (*out != NULL)
		return 0;
	all = board_all(&n);
	suggest_init(&s, arg);
	for (int i = 0; i < n; i++) {
		strbuf_addf(&ids, "%s%s", i ? ", " : "", all[i].id);
		suggest_add(&s, all[i].id);
	}
	hint = suggest_text(&s, NULL);
	rpx_usage_error_hint(p->ctx, p->cmd, hint,
			     "unknown board '%s' (known: %s)", arg, ids.buf);
	free(hint);
	suggest_release(&s);
	strbuf_release(&ids);
	return OPT_ERROR;
}

int
cmd_parse_target(struct opt_parser *p, const char *arg,
		 const struct target **out)
{
	const struct target *all;
	struct strbuf names = STRBUF_INIT;
	struct suggest s;
	char *hint;
	int n;

	*out = target_find(arg);
	if (*out != NULL)
		return 0;
	all = target_all(&n);
	suggest_init(&s, arg);
	for (int i = 0; i < n; i++) {
		if (all[i].pi_os)
			strbuf_addf(&names, "%s%s", names.len ? ", " : "",
				    all[i].triple);
		suggest_add(&s, all[i].triple);
	}
	hint = suggest_text(&s, NULL);
	rpx_usage_error_hint(p->ctx, p->cmd, hint,
			     "unknown target '%s' (Raspberry Pi targets: %s)",
			     arg, names.buf);
	free(hint);
	suggest_release(&s);
	strbuf_release(&names);
	return OPT_ERROR;
}

int
cmd_parse_bits(struct opt_parser *p, const char *arg, int *out)
{
	if (strcmp(arg, "32") == 0 || strcmp(arg, "64") == 0) {
		*out = arg[0] == '3' ? 32 : 64;
		return 0;
	}
	rpx_usage_error(p->ctx, p->cmd, "--bits takes 32 or 64, not '%s'", arg);
	return OPT_ERROR;
}

int
cmd_parse_libc(struct opt_parser *p, const char *arg, enum libc *out)
{
	if (rpx_strcasecmp(arg, "gnu") == 0 || rpx_strcasecmp(arg, "glibc") == 0) {
		*out = LIBC_GNU;
		return 0;
	}
	if (rpx_strcasecmp(arg, "musl") == 0) {
		*out = LIBC_MUSL;
		return 0;
	}
	rpx_usage_error(p->ctx, p->cmd, "--libc takes gnu or musl, not '%s'",
			arg);
	return OPT_ERROR;
}

int
cmd_opt_board(struct opt_parser *p, const struct opt *o, void *field)
{
	(void)o;
	return cmd_parse_board(p, p->arg, field);
}

int
cmd_opt_target(struct opt_parser *p, const struct opt *o, void *field)
{
	(void)o;
	return cmd_parse_target(p, p->arg, field);
}

int
cmd_opt_bits(struct opt_parser *p, const struct opt *o, void *field)
{
	(void)o;
	return cmd_parse_bits(p, p->arg, field);
}

static bool
confirm_write(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd;
	char *q;
	bool yes = false;

	if (!isatty(STDIN_FILENO))
		return false;
	fd = open("/dev/tty", O_RDWR);
	if (fd < 0)
		return false;
	q = xasprintf("Write these changes to '%s'? [y/N] ", path);
	if (write(fd, q, strlen(q)) < 0) {
		free(q);
		close(fd);
		return false;
	}
	free(q);
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
		yes = rpx_strcasecmp(buf, "y") == 0 ||
		      rpx_strcasecmp(buf, "yes") == 0;
	}
	close(fd);
	return yes;
}

bool
cmd_may_write(const struct ctx *ctx, const char *path, bool yes)
{
	if (yes || confirm_write(path))
		return true;
	if (isatty(STDIN_FILENO))
		rpx_errorf(ctx, "not confirmed; '%s' left as it was", path);
	else
		rpx_errorf(ctx, "not writing '%s' without a terminal to "
			   "confirm: run again with --yes (or --dry-run to "
			   "only see the diff)", path);
	return false;
}

int
cmd_parse(struct opt_parser *p, struct ctx *ctx, const struct cmd_info *info,
	  void *dst, int argc, char **argv)
{
	int id;

	opt_init(p, ctx, info->name, info->opts, argc, argv);
	p->dst = dst;
	id = opt_next(p);
	if (id == OPT_DONE)
		return -1;
	if (id == OPT_HELP) {
		cmd_print_help(ctx, info);
		return RPX_EXIT_OK;
	}
	/* a usage error, already printed (every option is bound) */
	return RPX_EXIT_USAGE;
}
