/* SPDX-License-Identifier: MIT OR Apache-2.0 */
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
 * Read the options of a command whose every option is bound (opt.h) into
 * dst; p is initialised here and released by the caller (opt_release)
 * either way. Returns -1 when the command goes on with p's positional
 * arguments, else its exit status: RPX_EXIT_OK after --help printed the
 * help, RPX_EXIT_USAGE after a usage error was printed.
 */
int cmd_parse(struct opt_parser *p, struct ctx *ctx, const struct cmd_info *info,
	      void *dst, int argc, char **argv);
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
	OPT_NO_KEEP = 950, OPT_KEEP_TIME,
};
#define OPT_JSON_HELP "print one JSON document on stdout"
#define OPT_JSON_ENTRY OPT_ID_ENTRY("json", 0, OPT_NOARG, OPT_JSON, NULL, \
	OPT_JSON_HELP)
#define OPT_JSON_F(T, F) OPT_BOOL_F("json", 0, T, F, OPT_JSON_HELP)
/* Handled by ssh_cli_option() (ssh_cli.h), so returned by id. */
#define OPT_SSH_ENTRIES \
	OPT_ID_ENTRY("timeout", 0, OPT_ARG, OPT_TIMEOUT, "SECONDS", \
		     "SSH connect and operation timeout (default 10)"), \
	OPT_ID_ENTRY("accept-new-host-key", 0, OPT_NOARG, \
		     OPT_ACCEPT_NEW_HOST_KEY, NULL, \
		     "trust an unknown host key (never a changed one)"), \
	OPT_KEEP_ENTRIES
/* The kept connection (remote.h), handled by ssh_cli_option() too. */
#define OPT_KEEP_ENTRIES \
	OPT_ID_ENTRY("no-keep", 0, OPT_NOARG, OPT_NO_KEEP, NULL, \
		     "connect afresh, neither using nor keeping a connection " \
		     "(also RPI_CROSS_NO_KEEP=1)"), \
	OPT_ID_ENTRY("keep-time", 0, OPT_ARG, OPT_KEEP_TIME, "SECONDS", \
		     "keep the connection this long unused (default 600; " \
		     "also RPI_CROSS_KEEP_TIME)")

/* Option table entries used by several commands, bound to field F of the
 * command's argument struct T (the board and target ones checked against
 * the known ones by cmd_opt_board/cmd_opt_target). */
#define BOARD_OPT_F(T, F) OPT_CALL_F("board", T, F, "BOARD", cmd_opt_board, \
	"board id (see 'rpi-cross boards') or model name")
#define TARGET_OPT_F(T, F) OPT_CALL_F("target", T, F, "TRIPLE", \
	cmd_opt_target, "Rust target triple (see 'rpi-cross targets')")
#define HOST_HELP "the Pi (also RPI_CROSS_HOST or the profile)"
#define HOST_OPT OPT_ID_ENTRY("host", 0, OPT_ARG, OPT_HOST, \
	"[USER@]HOST[:PORT]", HOST_HELP)
#define HOST_OPT_F(T, F) OPT_STRING_F("host", 0, T, F, "[USER@]HOST[:PORT]", \
	HOST_HELP)
#define PROJECT_OPT OPT_ID_ENTRY("project", 0, OPT_ARG, OPT_PROJECT, "DIR", \
	"the Cargo project folder")
#define PROJECT_OPT_F(T, F) OPT_STRING_F("project", 0, T, F, "DIR", \
	"the Cargo project folder")

/* OPT_CALL callbacks: field is a const struct board ** / const struct
 * target ** / int * (32 or 64). */
int cmd_opt_board(struct opt_parser *p, const struct opt *o, void *field);
int cmd_opt_target(struct opt_parser *p, const struct opt *o, void *field);
int cmd_opt_bits(struct opt_parser *p, const struct opt *o, void *field);

/* Each command's help and option table, for main.c's command table. */
const struct cmd_info *cmd_setup_info(void);
const struct cmd_info *cmd_boards_info(void);
const struct cmd_info *cmd_targets_info(void);
const struct cmd_info *cmd_linkers_info(void);
const struct cmd_info *cmd_cpus_info(void);
const struct cmd_info *cmd_detect_info(void);
const struct cmd_info *cmd_config_info(void);
const struct cmd_info *cmd_run_info(void);
const struct cmd_info *cmd_test_info(void);
const struct cmd_info *cmd_doctor_info(void);
const struct cmd_info *cmd_check_info(void);
const struct cmd_info *cmd_connections_info(void);
const struct cmd_info *cmd_sysroot_info(void);

/* One command of main.c's table. */
struct cmd_entry {
	const char *name;
	int (*fn)(int argc, char **argv, struct ctx *ctx);
	const char *summary;			/* its line in --help */
	const struct cmd_info *(*info)(void);	/* its options */
};

/* The whole command line, as main.c holds it: what the shell
 * completions are generated from (the same tables --help prints). */
struct cmd_cli {
	const struct cmd_entry *cmds;
	size_t ncmds;
	const struct opt *global_opts;	/* before the command */
};

/*
 * `rpi-cross completions bash|zsh|fish`: print the shell's completion
 * script for cli. Values that change (board ids, targets, profiles,
 * hosts) are not in the script: it asks `rpi-cross __complete KIND`,
 * which cmd_complete() answers, one value a line.
 */
int cmd_completions(int argc, char **argv, struct ctx *ctx,
		    const struct cmd_cli *cli);
int cmd_complete(int argc, char **argv, struct ctx *ctx);

int cmd_wizard(int argc, char **argv, struct ctx *ctx);
int cmd_setup(int argc, char **argv, struct ctx *ctx);
int cmd_boards(int argc, char **argv, struct ctx *ctx);
int cmd_connections(int argc, char **argv, struct ctx *ctx);
int cmd_check(int argc, char **argv, struct ctx *ctx);
int cmd_targets(int argc, char **argv, struct ctx *ctx);
int cmd_linkers(int argc, char **argv, struct ctx *ctx);
int cmd_cpus(int argc, char **argv, struct ctx *ctx);
int cmd_detect(int argc, char **argv, struct ctx *ctx);
int cmd_config(int argc, char **argv, struct ctx *ctx);
int cmd_run(int argc, char **argv, struct ctx *ctx);
int cmd_test(int argc, char **argv, struct ctx *ctx);
int cmd_doctor(int argc, char **argv, struct ctx *ctx);
int cmd_sysroot(int argc, char **argv, struct ctx *ctx);

#endif
