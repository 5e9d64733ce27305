/*
 * config.c - `rpi-cross config`: show, set, unset and check Cargo config keys.
 *
 * Not in this version yet: the options are all parsed and checked, then
 * the command says it is not available (exit 1).
 */
#include "cmd.h"

#include <string.h>

static const struct opt config_opts[] = {
	{ "global", 0, OPT_NOARG, OPT_GLOBAL, NULL, "the global $CARGO_HOME/config.toml" },
	PROJECT_OPT,
	{ "file", 0, OPT_ARG, OPT_FILE, "FILE", "this config file" },
	{ "dry-run", 'n', OPT_NOARG, OPT_DRY_RUN, NULL, "show the diff, write nothing" },
	{ "yes", 'y', OPT_NOARG, OPT_YES, NULL, "write without asking" },
	OPT_JSON_ENTRY,
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info config_info = {
	"config",
	"rpi-cross config show [--project DIR | --file F] [--json]\n"
	"rpi-cross config set [--global | --project DIR | --file F] [--dry-run] [--yes] KEY=VALUE...\n"
	"rpi-cross config unset [--global | --project DIR | --file F] [--dry-run] [--yes] KEY...\n"
	"rpi-cross config check FILE",
	"Show, change or check Cargo's config files without disturbing anything\n"
	"else in them.",
	"KEY is a dotted TOML key (target.armv7-unknown-linux-gnueabihf.linker);\n"
	"a VALUE that parses as a TOML value is taken as one, else as a string.",
	config_opts,
};

int
cmd_config(int argc, char **argv, struct ctx *ctx)
{
	static const char *const subs[] = { "show", "set", "unset", "check" };

	if (argc >= 2 && argv[1][0] != '-') {
		for (size_t i = 0; i < ARRAY_SIZE(subs); i++)
			if (strcmp(argv[1], subs[i]) == 0)
				return cmd_pending(argc - 1, argv + 1, ctx,
						   &config_info, 0, -1, false,
						   "planned: the format-preserving TOML editor");
		return rpx_usage_error(ctx, "config",
				       "unknown config action '%s' (show, set, unset or check)",
				       argv[1]);
	}
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		cmd_print_help(ctx, &config_info);
		return RPX_EXIT_OK;
	}
	return rpx_usage_error(ctx, "config",
			       "missing action: show, set, unset or check");
}
