/*
 * cmd.h - the subcommands. Each lives in src/cmd/NAME.c as
 * cmd_NAME(argc, argv, ctx), where argv[0] is the command's name; each
 * returns the process exit status (RPX_EXIT_*). main.c holds the one
 * table that maps names to functions.
 */
#ifndef RPX_CMD_H
#define RPX_CMD_H

#include "board.h"
#include "opt.h"
#include "rpx.h"
#include "target.h"

/* What --help prints for a command, shaped like its man page section. */
struct cmd_info {
	const char *name;
	const char *usage;		/* lines after "Usage: ", '\n'-separated */
	const char *summary;		/* one line */
	const char *description;	/* a paragraph, '\n'-separated lines */
	const struct opt *opts;
};

void cmd_print_help(const struct ctx *ctx, const struct cmd_info *info);
/*
 * May path be written? True with --yes (yes); else ask once on /dev/tty
 * "Write these changes to 'PATH'? [y/N] " when stdin is a terminal, true
 * only for y or yes. When the answer is no, says so on ctx->err: left as
 * it was, or (no terminal) run again with --yes or --dry-run.
 */
bool cmd_may_write(const struct ctx *ctx, const char *path, bool yes);
/* --board / --target values: usage error (listing choices) when unknown. */
int cmd_parse_board(struct opt_parser *p, const char *arg,
		    const struct board **out);
int cmd_parse_target(struct opt_parser *p, const char *arg,
		     const struct target **out);
/* --bits 32|64 and --libc gnu|musl. */
int cmd_parse_bits(struct opt_parser *p, const char *arg, int *out);
int cmd_parse_libc(struct opt_parser *p, const char *arg, enum libc *out);

/* Option ids shared by several commands. */
enum {
	OPT_TIMEOUT = 900, OPT_ACCEPT_NEW_HOST_KEY, OPT_JSON, OPT_BOARD,
	OPT_TARGET, OPT_BITS, OPT_LIBC, OPT_LINKER, OPT_CPU, OPT_GLOBAL,
	OPT_PROJECT, OPT_FILE, OPT_DEFAULT_TARGET, OPT_RUNNER, OPT_HOST,
	OPT_PROFILE, OPT_SAVE_PROFILE, OPT_DRY_RUN, OPT_YES, OPT_EMULATE,
};
#define OPT_JSON_ENTRY { "json", 0, OPT_NOARG, OPT_JSON, NULL, \
	"print one JSON document on stdout" }
#define OPT_SSH_ENTRIES \
	{ "timeout", 0, OPT_ARG, OPT_TIMEOUT, "SECONDS", \
	  "SSH connect and operation timeout (default 10)" }, \
	{ "accept-new-host-key", 0, OPT_NOARG, OPT_ACCEPT_NEW_HOST_KEY, \
	  NULL, "trust an unknown host key (never a changed one)" }

/* Option table entries used by several commands. */
#define BOARD_OPT { "board", 0, OPT_ARG, OPT_BOARD, "BOARD", \
	"board id (see 'rpi-cross boards') or model name" }
#define TARGET_OPT { "target", 0, OPT_ARG, OPT_TARGET, "TRIPLE", \
	"Rust target triple (see 'rpi-cross targets')" }
#define HOST_OPT { "host", 0, OPT_ARG, OPT_HOST, "[USER@]HOST[:PORT]", \
	"the Pi (also RPI_CROSS_HOST or the profile)" }
#define PROJECT_OPT { "project", 0, OPT_ARG, OPT_PROJECT, "DIR", \
	"the Cargo project folder" }

int cmd_wizard(int argc, char **argv, struct ctx *ctx);
int cmd_setup(int argc, char **argv, struct ctx *ctx);
int cmd_boards(int argc, char **argv, struct ctx *ctx);
int cmd_targets(int argc, char **argv, struct ctx *ctx);
int cmd_linkers(int argc, char **argv, struct ctx *ctx);
int cmd_cpus(int argc, char **argv, struct ctx *ctx);
int cmd_detect(int argc, char **argv, struct ctx *ctx);
int cmd_config(int argc, char **argv, struct ctx *ctx);
int cmd_run(int argc, char **argv, struct ctx *ctx);
int cmd_test(int argc, char **argv, struct ctx *ctx);
int cmd_doctor(int argc, char **argv, struct ctx *ctx);

#endif
