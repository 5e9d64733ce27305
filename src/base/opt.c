/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* opt.c - table-driven option parser (see opt.h). */
#include "opt.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"
#include "version.h"

/*
 * What every command takes besides its own table (a table entry of the
 * same name or letter wins): --quiet sets ctx->quiet, each --verbose
 * adds one to ctx->verbose, --version prints
 * the version and exits. opt_print_help() lists them after the table.
 */
static const struct opt common_opts[] = {
	OPT_QUIET_ENTRY,
	OPT_VERBOSE_ENTRY,
	OPT_ID_ENTRY("version", 0, OPT_NOARG, OPT_VERSION, NULL,
		     "print the version and exit"),
	OPT_END_TABLE,
};

void
opt_init(struct opt_parser *p, struct ctx *ctx, const char *cmd,
	 const struct opt *opts, int argc, char **argv)
{
	memset(p, 0, sizeof(*p));
	p->ctx = ctx;
	p->cmd = cmd;
	p->opts = opts;
	p->argc = argc;
	p->argv = argv;
	p->i = 1;
	p->pos = xcalloc((size_t)(argc > 0 ? argc : 1), sizeof(char *));
}

void
opt_release(struct opt_parser *p)
{
	free(p->pos);
	p->pos = NULL;
	p->npos = 0;
}

static const struct opt *
find_long_in(const struct opt *opts, const char *name, size_t len)
{
	for (const struct opt *o = opts; o->name != NULL; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static const struct opt *
find_long(const struct opt *opts, const char *name, size_t len)
{
	const struct opt *o = find_long_in(opts, name, len);

	return o != NULL ? o : find_long_in(common_opts, name, len);
}

static const struct opt *
find_short_in(const struct opt *opts, char c)
{
	for (const struct opt *o = opts; o->name != NULL; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static const struct opt *
find_short(const struct opt *opts, char c)
{
	const struct opt *o = find_short_in(opts, c);

	return o != NULL ? o : find_short_in(common_opts, c);
}

/* Whether o, found by find_long/find_short, is one of common_opts (the
 * table had no entry of that name). */
static bool
is_common(const struct opt *o)
{
	return o >= common_opts && o < common_opts + ARRAY_SIZE(common_opts);
}

static int
take_rest_as_positional(struct opt_parser *p)
{
	while (p->i < p->argc)
		p->pos[p->npos++] = p->argv[p->i++];
	return OPT_DONE;
}

/* Returned by found() when a bound option was stored: look further. */
enum { OPT_BOUND = -3 };

/* An option was found (p->arg set): store it when bound, else its id. */
static int
found(struct opt_parser *p, const struct opt *o)
{
	void *field;
	unsigned long v;

	if (is_common(o)) {
		if (o->id == OPT_VERSION) {
			fprintf(p->ctx->out, "rpi-cross %s\n", rpx_version());
			fflush(p->ctx->out);
			opt_release(p);
			exit(RPX_EXIT_OK);
		}
		if (o->id == OPT_VERBOSE)
			p->ctx->verbose++;
		else
			p->ctx->quiet = true;
		return OPT_BOUND;
	}
	if (o->kind == OPT_ID || p->dst == NULL)
		return o->id;
	field = (char *)p->dst + o->off;
	switch (o->kind) {
	case OPT_BOOL:
		*(bool *)field = true;
		break;
	case OPT_STRING:
		*(const char **)field = p->arg;
		break;
	case OPT_INT:
		if (opt_parse_uint(p, o->name, p->arg,
				   o->max < INT_MAX ? o->max : INT_MAX, &v) != 0)
			return OPT_ERROR;
		*(int *)field = (int)v;
		break;
	case OPT_CALL:
		if (o->cb(p, o, field) != 0)
			return OPT_ERROR;
		break;
	default:
		return o->id;
	}
	return OPT_BOUND;
}

static int
short_option(struct opt_parser *p)
{
	char c = *p->pending_short++;
	const struct opt *o = find_short(p->opts, c);

	if (o == NULL) {
		p->pending_short = NULL;
		rpx_usage_error(p->ctx, p->cmd, "unknown option '-%c'", c);
		return OPT_ERROR;
	}
	p->arg = NULL;
	if (o->arg == OPT_ARG) {
		if (*p->pending_short != '\0') {
			p->arg = p->pending_short;
		} else if (p->i < p->argc) {
			p->arg = p->argv[p->i++];
		} else {
			p->pending_short = NULL;
			rpx_usage_error(p->ctx, p->cmd,
					"option '-%c' needs a value", c);
			return OPT_ERROR;
		}
		p->pending_short = NULL;
	} else if (*p->pending_short == '\0') {
		p->pending_short = NULL;
	}
	return found(p, o);
}

/* The usage error for an unknown --name, with the table's closest names
 * (and --version, which every command takes) as "did you mean". */
static void
unknown_long(struct opt_parser *p, const char *name, size_t len)
{
	char *typed = xstrndup(name, len);
	struct suggest s;
	char *hint;

	suggest_init(&s, typed);
	for (const struct opt *o = p->opts; o->name != NULL; o++)
		suggest_add(&s, o->name);
	for (const struct opt *o = common_opts; o->name != NULL; o++)
		suggest_add(&s, o->name);
	hint = suggest_text(&s, "--");
	rpx_usage_error_hint(p->ctx, p->cmd, hint, "unknown option '--%s'",
			     typed);
	free(hint);
	suggest_release(&s);
	free(typed);
}

/* A long option, a = "--name" or "--name=value". */
static int
long_option(struct opt_parser *p, const char *a)
{
	const char *name = a + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct opt *o = find_long(p->opts, name, len);

	if (o == NULL) {
		unknown_long(p, name, len);
		return OPT_ERROR;
	}
	p->arg = NULL;
	if (o->arg == OPT_NOARG) {
		if (eq != NULL) {
			rpx_usage_error(p->ctx, p->cmd,
					"option '--%s' takes no value",
					o->name);
			return OPT_ERROR;
		}
	} else if (eq != NULL) {
		p->arg = eq + 1;
	} else if (p->i < p->argc) {
		p->arg = p->argv[p->i++];
	} else {
		rpx_usage_error(p->ctx, p->cmd,
				"option '--%s' needs a value", o->name);
		return OPT_ERROR;
	}
	return found(p, o);
}

int
opt_next(struct opt_parser *p)
{
	for (;;) {
		char *a;
		int r;

		if (p->pending_short != NULL) {
			r = short_option(p);
		} else {
			if (p->i >= p->argc)
				return OPT_DONE;
			a = p->argv[p->i];
			if (strcmp(a, "--") == 0) {
				p->i++;
				return take_rest_as_positional(p);
			}
			if (a[0] != '-' || a[1] == '\0') {
				if (p->stop_at_positional)
					return take_rest_as_positional(p);
				p->pos[p->npos++] = a;
				p->i++;
				continue;
			}
			p->i++;
			if (a[1] != '-') {
				p->pending_short = a + 1;	/* -x or -xyz */
				continue;
			}
			r = long_option(p, a);
		}
		if (r != OPT_BOUND)
			return r;
	}
}

static void
print_entry(FILE *f, const struct opt *o)
{
	char left[64];
	int n;

	if (o->short_name)
		n = snprintf(left, sizeof(left), "-%c, --%s",
			     o->short_name, o->name);
	else
		n = snprintf(left, sizeof(left), "    --%s", o->name);
	if (o->arg == OPT_ARG && n > 0 && (size_t)n < sizeof(left))
		snprintf(left + n, sizeof(left) - (size_t)n, " %s",
			 o->argname ? o->argname : "VALUE");
	if (strlen(left) > 26)
		fprintf(f, "  %s\n  %-26s  %s\n", left, "", o->help);
	else
		fprintf(f, "  %-26s  %s\n", left, o->help);
}

/* The first common option from o on that opts does not declare itself
 * (by name or letter), or NULL. */
static const struct opt *
undeclared_common(const struct opt *opts, const struct opt *o)
{
	for (; o->name != NULL; o++)
		if (find_long_in(opts, o->name, strlen(o->name)) == NULL &&
		    (o->short_name == 0 || find_short_in(opts, o->short_name) == NULL))
			return o;
	return NULL;
}

const struct opt *
opt_each(const struct opt *opts, const struct opt *prev)
{
	if (prev == NULL)
		return opts[0].name != NULL ? opts :
		       undeclared_common(opts, common_opts);
	if (!is_common(prev))
		return prev[1].name != NULL ? prev + 1 :
		       undeclared_common(opts, common_opts);
	return undeclared_common(opts, prev + 1);
}

void
opt_print_help(FILE *f, const struct opt *opts)
{
	for (const struct opt *o = opt_each(opts, NULL); o != NULL;
	     o = opt_each(opts, o))
		print_entry(f, o);
}

int
opt_parse_uint(struct opt_parser *p, const char *name, const char *s,
	       unsigned long max, unsigned long *out)
{
	char *end = NULL;
	unsigned long v;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		goto bad;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	rpx_usage_error(p->ctx, p->cmd, "option '--%s' needs a number from 0 to %lu, not '%s'",
			name, max, s);
	return OPT_ERROR;
}
