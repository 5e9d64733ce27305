/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * completions.c - `rpi-cross completions bash|zsh|fish`: the shell
 * completion scripts, made from the tables --help prints (main.c's
 * command table and global options, each command's cmd_info and its
 * option table walked by opt_each()), so a new option is completed the
 * day it is added; and `rpi-cross __complete KIND`, which the scripts run
 * for the values that change (board ids, targets, profile names, hosts).
 *
 * What an option's value is, the scripts learn from its argument name in
 * the table (the word --help shows): "BOARD" board ids, "TRIPLE" target
 * triples, a name holding "HOST" hosts, "DIR" folders, "FILE" files,
 * "A|B" those words; --profile's NAME is a profile name. The positional
 * arguments are not in the option tables: arg_specs below names them.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "sshconf.h"
#include "strbuf.h"
#include "strvec.h"

static const struct opt completions_opts[] = {
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info completions_info = {
	"completions",
	"rpi-cross completions bash|zsh|fish",
	"Print the shell completion script for bash, zsh or fish.",
	"The script completes the commands, each command's options, and the\n"
	"values of --board, --target, --profile and --host (asking\n"
	"'rpi-cross __complete' at completion time, so new boards and\n"
	"~/.ssh/config hosts are offered without a new script). make install\n"
	"installs all three; by hand, for bash:\n"
	"  rpi-cross completions bash >~/.local/share/bash-completion/completions/rpi-cross\n"
	"For 'cargo rpi' in bash, source the script from ~/.bashrc.",
	completions_opts,
};

/* The positional arguments: what each command's words after its options
 * are (a value spec, as value_spec() returns). config's first word is
 * its action, read from its usage lines. */
static const struct {
	const char *cmd;
	const char *spec;
} arg_specs[] = {
	{ "boards", "boards" },
	{ "detect", "hosts" },
	{ "run", "file" },
	{ "check", "file" },
	{ "help", "commands" },
	{ "completions", "words:bash zsh fish" },
};

/* One level of the command line: before the command (name ""), or one
 * command. */
struct level {
	const char *name;
	const char *summary;
	const struct opt *opts;		/* NULL: none at all */
	char actions[128];		/* first positional words, or "" */
	const char *args;		/* spec of the (other) positionals */
};

struct model {
	struct level *v;
	size_t n;
};

/*
 * What the shells offer for o's value: "" when it takes none, else
 * "any" (nothing to offer), "file", "dir", "boards", "targets", "hosts",
 * "profiles", or "words:A B" for an argument name "A|B".
 */
static void
value_spec(const struct opt *o, char *buf, size_t size)
{
	const char *a = o->argname;

	if (o->arg == OPT_NOARG) {
		snprintf(buf, size, "%s", "");
	} else if (strcmp(o->name, "profile") == 0) {
		snprintf(buf, size, "profiles");
	} else if (a == NULL) {
		snprintf(buf, size, "any");
	} else if (strchr(a, '|') != NULL) {
		snprintf(buf, size, "words:%s", a);
		for (char *p = buf; *p != '\0'; p++)
			if (*p == '|')
				*p = ' ';
	} else if (strcmp(a, "BOARD") == 0) {
		snprintf(buf, size, "boards");
	} else if (strcmp(a, "TRIPLE") == 0) {
		snprintf(buf, size, "targets");
	} else if (strstr(a, "HOST") != NULL) {
		snprintf(buf, size, "hosts");
	} else if (strcmp(a, "DIR") == 0) {
		snprintf(buf, size, "dir");
	} else if (strcmp(a, "FILE") == 0) {
		snprintf(buf, size, "file");
	} else {
		snprintf(buf, size, "any");
	}
}

/* A command's actions: the lowercase word after "rpi-cross NAME" on each
 * line of its usage ("config show", "config set", ...), space-separated. */
static void
usage_actions(const struct cmd_info *info, char *buf, size_t size)
{
	const char *u = info->usage;
	size_t pre = strlen("rpi-cross ") + strlen(info->name);
	struct strbuf sb = STRBUF_INIT;

	for (; *u != '\0'; u += strcspn(u, "\n"), u += *u == '\n') {
		const char *w = u + pre;
		size_t n;

		if (strncmp(u, "rpi-cross ", 10) != 0 ||
		    strncmp(u + 10, info->name, strlen(info->name)) != 0 ||
		    *w != ' ')
			continue;
		w++;
		n = strspn(w, "abcdefghijklmnopqrstuvwxyz");
		if (n > 0 && (w[n] == ' ' || w[n] == '\n' || w[n] == '\0'))
			strbuf_addf(&sb, "%s%.*s", sb.len ? " " : "", (int)n, w);
	}
	snprintf(buf, size, "%s", sb.len ? sb.buf : "");
	strbuf_release(&sb);
}

static void
level_set(struct level *l, const char *name, const char *summary,
	  const struct cmd_info *info)
{
	memset(l, 0, sizeof(*l));
	l->name = name;
	l->summary = summary;
	l->opts = info != NULL ? info->opts : NULL;
	if (info != NULL)
		usage_actions(info, l->actions, sizeof(l->actions));
	for (size_t i = 0; i < ARRAY_SIZE(arg_specs); i++)
		if (strcmp(arg_specs[i].cmd, name) == 0)
			l->args = arg_specs[i].spec;
}

static void
model_build(struct model *m, const struct cmd_cli *cli)
{
	size_t k = 0;

	m->n = cli->ncmds + 3;
	m->v = xcalloc(m->n, sizeof(*m->v));
	level_set(&m->v[k], "", NULL, NULL);
	m->v[k++].opts = cli->global_opts;
	for (size_t i = 0; i < cli->ncmds; i++)
		level_set(&m->v[k++], cli->cmds[i].name, cli->cmds[i].summary,
			  cli->cmds[i].info());
	level_set(&m->v[k++], "help", "show a command's help", NULL);
	level_set(&m->v[k++], "completions",
		  "print a shell completion script", &completions_info);
}

/* s single-quoted for sh (bash, zsh): ' becomes '\''. */
static void
put_sq(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* s single-quoted for fish: \ and ' escaped. */
static void
put_fish_sq(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

/* The case label of a level: '' before the command. */
static void
put_label(FILE *f, const struct level *l)
{
	put_sq(f, l->name);
}

/*
 * The tables as sh functions, valid bash and zsh alike:
 *   _rpi_cross_cmds            the commands
 *   _rpi_cross_opts CMD        REPLY = CMD's options ('' before it)
 *   _rpi_cross_value CMD OPT   REPLY = the spec of OPT's value, '' if none
 *   _rpi_cross_args CMD N      REPLY = the spec of positional number N
 */
static void
put_sh_tables(FILE *f, const struct model *m)
{
	char spec[160];

	fputs("_rpi_cross_cmds='", f);
	for (size_t i = 1; i < m->n; i++)
		fprintf(f, "%s%s", i > 1 ? " " : "", m->v[i].name);
	fputs("'\n\n_rpi_cross_opts() {\n\tcase $1 in\n", f);
	for (size_t i = 0; i < m->n; i++) {
		const struct level *l = &m->v[i];
		const char *sep = "";

		if (l->opts == NULL)
			continue;
		fputs("\t", f);
		put_label(f, l);
		fputs(") REPLY='", f);
		for (const struct opt *o = opt_each(l->opts, NULL); o != NULL;
		     o = opt_each(l->opts, o)) {
			fprintf(f, "%s--%s", sep, o->name);
			if (o->short_name)
				fprintf(f, " -%c", o->short_name);
			sep = " ";
		}
		fputs("' ;;\n", f);
	}
	fputs("\t*) REPLY='' ;;\n\tesac\n}\n\n", f);

	fputs("_rpi_cross_value() {\n\tcase \"$1 $2\" in\n", f);
	for (size_t i = 0; i < m->n; i++) {
		const struct level *l = &m->v[i];

		if (l->opts == NULL)
			continue;
		for (const struct opt *o = opt_each(l->opts, NULL); o != NULL;
		     o = opt_each(l->opts, o)) {
			if (o->arg == OPT_NOARG)
				continue;
			value_spec(o, spec, sizeof(spec));
			fprintf(f, "\t'%s --%s'", l->name, o->name);
			if (o->short_name)
				fprintf(f, "|'%s -%c'", l->name, o->short_name);
			fputs(") REPLY=", f);
			put_sq(f, spec);
			fputs(" ;;\n", f);
		}
	}
	fputs("\t*) REPLY='' ;;\n\tesac\n}\n\n", f);

	fputs("_rpi_cross_args() {\n\tREPLY=''\n\tcase $1 in\n", f);
	for (size_t i = 1; i < m->n; i++) {
		const struct level *l = &m->v[i];

		if (l->actions[0] == '\0' && l->args == NULL)
			continue;
		fprintf(f, "\t%s) ", l->name);
		if (l->actions[0] != '\0') {
			snprintf(spec, sizeof(spec), "words:%s", l->actions);
			fputs("if [ \"$2\" -eq 0 ]; then REPLY=", f);
			put_sq(f, spec);
			fputs("; else REPLY=", f);
			put_sq(f, l->args != NULL ? l->args : "");
			fputs("; fi ;;\n", f);
		} else {
			fputs("REPLY=", f);
			put_sq(f, l->args);
			fputs(" ;;\n", f);
		}
	}
	fputs("\tesac\n}\n\n", f);
}

/* The bash driver: walks COMP_WORDS with the tables above. */
static const char bash_driver[] =
	"# _rpi_cross_fill SPEC CUR: COMPREPLY = the values SPEC offers.\n"
	"_rpi_cross_fill() {\n"
	"\tlocal IFS=$' \\t\\n'\n"
	"\tcase $1 in\n"
	"\tfile) IFS=$'\\n'; COMPREPLY=($(compgen -f -- \"$2\")) ;;\n"
	"\tdir) IFS=$'\\n'; COMPREPLY=($(compgen -d -- \"$2\")) ;;\n"
	"\tcommands) COMPREPLY=($(compgen -W \"$_rpi_cross_cmds\" -- \"$2\")) ;;\n"
	"\twords:*) COMPREPLY=($(compgen -W \"${1#words:}\" -- \"$2\")) ;;\n"
	"\t'') ;;\n"
	"\t# a free value (a number, a name): no file names either\n"
	"\tany) compopt +o default +o bashdefault 2>/dev/null ;;\n"
	"\t*) COMPREPLY=($(compgen -W \"$(command rpi-cross __complete \"$1\" 2>/dev/null)\" \\\n"
	"\t\t-- \"$2\")) ;;\n"
	"\tesac\n"
	"}\n"
	"\n"
	"# _rpi_cross_at N: complete COMP_WORDS, whose program word is word N\n"
	"# (0 for rpi-cross, 1 for \"cargo rpi\").\n"
	"_rpi_cross_at() {\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev='' opt level='' w REPLY\n"
	"\tlocal i=$(($1 + 1)) npos=-1\n"
	"\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	"\tCOMPREPLY=()\n"
	"\t# bash splits --name=value into --name, = and value\n"
	"\topt=$prev\n"
	"\tif [ \"$cur\" = = ]; then\n"
	"\t\tcur=''\n"
	"\telif [ \"$prev\" = = ] && [ \"$COMP_CWORD\" -gt 1 ]; then\n"
	"\t\topt=${COMP_WORDS[COMP_CWORD-2]}\n"
	"\tfi\n"
	"\t# the command is the first word that is no option nor value\n"
	"\twhile [ \"$i\" -lt \"$COMP_CWORD\" ]; do\n"
	"\t\tw=${COMP_WORDS[i]}\n"
	"\t\tcase $w in\n"
	"\t\t--) ;;\n"
	"\t\t-*)\n"
	"\t\t\t_rpi_cross_value \"$level\" \"$w\"\n"
	"\t\t\tif [ -n \"$REPLY\" ]; then\n"
	"\t\t\t\ti=$((i + 1))\n"
	"\t\t\t\t[ \"${COMP_WORDS[i]}\" = = ] && i=$((i + 1))\n"
	"\t\t\tfi ;;\n"
	"\t\t=) ;;\n"
	"\t\t*)\n"
	"\t\t\tif [ -z \"$level\" ]; then level=$w; npos=0\n"
	"\t\t\telse npos=$((npos + 1)); fi ;;\n"
	"\t\tesac\n"
	"\t\ti=$((i + 1))\n"
	"\tdone\n"
	"\tif [ \"$opt\" != \"$cur\" ] && [ \"$COMP_CWORD\" -gt $(($1 + 1)) ]; then\n"
	"\t\t_rpi_cross_value \"$level\" \"$opt\"\n"
	"\t\tif [ -n \"$REPLY\" ]; then\n"
	"\t\t\t_rpi_cross_fill \"$REPLY\" \"$cur\"\n"
	"\t\t\treturn 0\n"
	"\t\tfi\n"
	"\tfi\n"
	"\tcase $cur in\n"
	"\t-*)\n"
	"\t\t_rpi_cross_opts \"$level\"\n"
	"\t\tCOMPREPLY=($(compgen -W \"$REPLY\" -- \"$cur\")) ;;\n"
	"\t*)\n"
	"\t\tif [ -z \"$level\" ]; then\n"
	"\t\t\t_rpi_cross_fill commands \"$cur\"\n"
	"\t\telse\n"
	"\t\t\t_rpi_cross_args \"$level\" \"$npos\"\n"
	"\t\t\t_rpi_cross_fill \"$REPLY\" \"$cur\"\n"
	"\t\tfi ;;\n"
	"\tesac\n"
	"\treturn 0\n"
	"}\n"
	"\n"
	"_rpi_cross() {\n"
	"\t_rpi_cross_at 0\n"
	"}\n"
	"complete -o bashdefault -o default -F _rpi_cross rpi-cross\n"
	"\n"
	"# cargo rpi: words after \"cargo rpi\" are ours; the rest goes to cargo's\n"
	"# own completion (loaded first when bash-completion can).\n"
	"_rpi_cross_cargo() {\n"
	"\tCOMPREPLY=()\n"
	"\tif [ \"$COMP_CWORD\" -ge 2 ] && [ \"${COMP_WORDS[1]}\" = rpi ]; then\n"
	"\t\t_rpi_cross_at 1\n"
	"\telif [ -n \"$_rpi_cross_cargo_next\" ]; then\n"
	"\t\t\"$_rpi_cross_cargo_next\" \"$@\"\n"
	"\tfi\n"
	"}\n"
	"if ! complete -p cargo >/dev/null 2>&1 &&\n"
	"   declare -F _completion_loader >/dev/null 2>&1; then\n"
	"\t_completion_loader cargo >/dev/null 2>&1\n"
	"fi\n"
	"_rpi_cross_cargo_next=$(complete -p cargo 2>/dev/null |\n"
	"\tsed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')\n"
	"[ \"$_rpi_cross_cargo_next\" = _rpi_cross_cargo ] && _rpi_cross_cargo_next=''\n"
	"complete -o bashdefault -o default -F _rpi_cross_cargo cargo\n";

/* The zsh driver: the same walk over $words. */
static const char zsh_driver[] =
	"_rpi_cross_fill() {\n"
	"\tcase $1 in\n"
	"\tfile) _files ;;\n"
	"\tdir) _files -/ ;;\n"
	"\tcommands) compadd -- ${=_rpi_cross_cmds} ;;\n"
	"\twords:*) compadd -- ${=${1#words:}} ;;\n"
	"\t''|any) ;;\n"
	"\t*) compadd -- ${(f)\"$(rpi-cross __complete $1 2>/dev/null)\"} ;;\n"
	"\tesac\n"
	"}\n"
	"\n"
	"_rpi-cross() {\n"
	"\tlocal cur=${words[CURRENT]} opt=${words[CURRENT-1]} level='' w REPLY\n"
	"\tinteger i=2 npos=-1\n"
	"\tif [[ $cur == -*=* ]]; then\n"
	"\t\topt=${cur%%=*}\n"
	"\t\tcompset -P '*='\n"
	"\t\tcur=${cur#*=}\n"
	"\tfi\n"
	"\twhile (( i < CURRENT )); do\n"
	"\t\tw=${words[i]}\n"
	"\t\tcase $w in\n"
	"\t\t--|-*=*) ;;\n"
	"\t\t-*) _rpi_cross_value \"$level\" \"$w\"; [[ -n $REPLY ]] && (( i++ )) ;;\n"
	"\t\t*) if [[ -z $level ]]; then level=$w; npos=0; else (( npos++ )); fi ;;\n"
	"\t\tesac\n"
	"\t\t(( i++ ))\n"
	"\tdone\n"
	"\t_rpi_cross_value \"$level\" \"$opt\"\n"
	"\tif [[ -n $REPLY ]]; then\n"
	"\t\t_rpi_cross_fill \"$REPLY\"\n"
	"\t\treturn\n"
	"\tfi\n"
	"\tif [[ $cur == -* ]]; then\n"
	"\t\t_rpi_cross_opts \"$level\"\n"
	"\t\tcompadd -- ${=REPLY}\n"
	"\telif [[ -z $level ]]; then\n"
	"\t\t_rpi_cross_fill commands\n"
	"\telse\n"
	"\t\t_rpi_cross_args \"$level\" $npos\n"
	"\t\t_rpi_cross_fill \"$REPLY\"\n"
	"\tfi\n"
	"}\n"
	"\n"
	"_rpi-cross \"$@\"\n";

/* fish's -a/-F/-x part for a value spec; cmds: the command names. */
static void
put_fish_values(FILE *f, const char *spec, const char *cmds)
{
	if (strcmp(spec, "file") == 0)
		fputs(" -r -F", f);
	else if (strcmp(spec, "dir") == 0)
		fputs(" -x -a '(__fish_complete_directories)'", f);
	else if (strcmp(spec, "any") == 0)
		fputs(" -x", f);
	else if (strncmp(spec, "words:", 6) == 0)
		fprintf(f, " -x -a '%s'", spec + 6);
	else if (strcmp(spec, "commands") == 0)
		fprintf(f, " -x -a '%s'", cmds);
	else if (spec[0] != '\0')
		fprintf(f, " -x -a '(rpi-cross __complete %s 2>/dev/null)'", spec);
}

/* fish: one "complete" line for each command, option and value. */
static void
put_fish(FILE *f, const struct model *m)
{
	struct strbuf cmds = STRBUF_INIT;
	char spec[160];

	fputs("# fish completion for rpi-cross (generated by "
	      "'rpi-cross completions fish')\n", f);
	for (size_t i = 1; i < m->n; i++)
		strbuf_addf(&cmds, "%s%s", i > 1 ? " " : "", m->v[i].name);
	fputs("complete -c rpi-cross -f\n", f);
	for (size_t i = 1; i < m->n; i++) {
		fprintf(f, "complete -c rpi-cross -n __fish_use_subcommand -a %s -d ",
			m->v[i].name);
		put_fish_sq(f, m->v[i].summary);
		fputc('\n', f);
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct level *l = &m->v[i];
		char cond[200];

		if (i == 0)
			snprintf(cond, sizeof(cond), "__fish_use_subcommand");
		else
			snprintf(cond, sizeof(cond), "__fish_seen_subcommand_from %s",
				 l->name);
		if (l->actions[0] != '\0')
			fprintf(f, "complete -c rpi-cross -n '%s; and not "
				"__fish_seen_subcommand_from %s' -x -a '%s'\n",
				cond, l->actions, l->actions);
		if (l->args != NULL) {
			fprintf(f, "complete -c rpi-cross -n '%s'", cond);
			put_fish_values(f, l->args, cmds.buf);
			fputc('\n', f);
		}
		if (l->opts == NULL)
			continue;
		for (const struct opt *o = opt_each(l->opts, NULL); o != NULL;
		     o = opt_each(l->opts, o)) {
			fprintf(f, "complete -c rpi-cross -n '%s' -l %s", cond,
				o->name);
			if (o->short_name)
				fprintf(f, " -s %c", o->short_name);
			value_spec(o, spec, sizeof(spec));
			put_fish_values(f, spec, cmds.buf);
			fputs(" -d ", f);
			put_fish_sq(f, o->help);
			fputc('\n', f);
		}
	}
	strbuf_release(&cmds);
}

int
cmd_completions(int argc, char **argv, struct ctx *ctx,
		const struct cmd_cli *cli)
{
	struct opt_parser p;
	struct model m;
	const char *shell;
	int id, ret = RPX_EXIT_USAGE;

	opt_init(&p, ctx, completions_info.name, completions_opts, argc, argv);
	while ((id = opt_next(&p)) != OPT_DONE) {
		if (id == OPT_HELP) {
			cmd_print_help(ctx, &completions_info);
			ret = RPX_EXIT_OK;
		}
		goto out;
	}
	if (p.npos == 0) {
		rpx_usage_error(ctx, completions_info.name,
				"which shell? bash, zsh or fish");
		goto out;
	}
	if (p.npos > 1) {
		rpx_usage_error(ctx, completions_info.name,
				"unexpected argument '%s'", p.pos[1]);
		goto out;
	}
	shell = p.pos[0];
	if (strcmp(shell, "bash") != 0 && strcmp(shell, "zsh") != 0 &&
	    strcmp(shell, "fish") != 0) {
		rpx_usage_error(ctx, completions_info.name,
				"unknown shell '%s' (known: bash, zsh, fish)", shell);
		goto out;
	}
	model_build(&m, cli);
	if (strcmp(shell, "fish") == 0) {
		put_fish(ctx->out, &m);
	} else {
		fprintf(ctx->out, "%s# %s completion for rpi-cross and cargo rpi "
			"(generated by 'rpi-cross completions %s')\n\n",
			shell[0] == 'z' ? "#compdef rpi-cross\n" : "", shell, shell);
		put_sh_tables(ctx->out, &m);
		fputs(shell[0] == 'z' ? zsh_driver : bash_driver, ctx->out);
	}
	free(m.v);
	ret = fflush(ctx->out) == 0 ? RPX_EXIT_OK : RPX_EXIT_FAIL;
out:
	opt_release(&p);
	return ret;
}

/* The host names of ~/.ssh/config (and what it includes), then the
 * profiles' hosts. */
static void
list_hosts(struct strvec *out)
{
	const char *home = rpx_getenv("HOME");
	char *path, *base;
	struct profiles ps = PROFILES_INIT;
	struct rpx_err err;

	if (home != NULL) {
		base = xasprintf("%s/.ssh", home);
		path = xasprintf("%s/config", base);
		sshconf_host_names(out, path, base);
		free(path);
		free(base);
	}
	path = profile_default_path();
	memset(&err, 0, sizeof(err));
	if (path != NULL && profiles_read(&ps, path, &err) == 0)
		for (size_t i = 0; i < ps.n; i++)
			if (ps.v[i].plan.host != NULL &&
			    !strvec_has(out, ps.v[i].plan.host))
				strvec_push(out, ps.v[i].plan.host);
	profiles_release(&ps);
	free(path);
}

static void
list_profiles(struct strvec *out)
{
	char *path = profile_default_path();
	struct profiles ps = PROFILES_INIT;
	struct rpx_err err;

	memset(&err, 0, sizeof(err));
	if (path != NULL && profiles_read(&ps, path, &err) == 0)
		for (size_t i = 0; i < ps.n; i++)
			strvec_push(out, ps.v[i].name);
	profiles_release(&ps);
	free(path);
}

/* `rpi-cross __complete KIND`: the values the scripts offer, one a line;
 * hidden (the scripts' helper), silent on what it cannot read. */
int
cmd_complete(int argc, char **argv, struct ctx *ctx)
{
	struct strvec v = STRVEC_INIT;
	const char *kind = argc == 2 ? argv[1] : "";
	int n;

	if (strcmp(kind, "boards") == 0) {
		const struct board *b = board_all(&n);

		for (int i = 0; i < n; i++)
			strvec_push(&v, b[i].id);
	} else if (strcmp(kind, "targets") == 0) {
		const struct target *t = target_all(&n);

		for (int i = 0; i < n; i++)
			strvec_push(&v, t[i].triple);
	} else if (strcmp(kind, "profiles") == 0) {
		list_profiles(&v);
	} else if (strcmp(kind, "hosts") == 0) {
		list_hosts(&v);
	} else {
		return rpx_usage_error(ctx, NULL, "usage: rpi-cross "
				       "__complete boards|targets|profiles|hosts");
	}
	for (size_t i = 0; i < v.n; i++)
		fprintf(ctx->out, "%s\n", v.v[i]);
	strvec_clear(&v);
	return fflush(ctx->out) == 0 ? RPX_EXIT_OK : RPX_EXIT_FAIL;
}
