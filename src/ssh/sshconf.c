/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sshconf.c - IdentitiesOnly and IdentityFile from ssh_config, and the
 * host names it defines (see sshconf.h).
 */
#include "sshconf.h"

#include <ctype.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rpx.h"
#include "strbuf.h"

#define MAX_DEPTH 16
#define MAX_ARGS 64

int
sshconf_pattern_match(const char *pat, const char *name)
{
	for (; *pat != '\0'; pat++, name++) {
		if (*pat == '*') {
			for (const char *n = name;; n++) {
				if (sshconf_pattern_match(pat + 1, n))
					return 1;
				if (*n == '\0')
					return 0;
			}
		}
		if (*name == '\0')
			return 0;
		if (*pat != '?' && tolower((unsigned char)*pat) !=
		    tolower((unsigned char)*name))
			return 0;
	}
	return *name == '\0';
}

/* Split line in place: the keyword (up to blanks or '='), then its
 * arguments (blank-separated, "double quotes" keep blanks). */
static size_t
split_line(char *line, char **argv, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	argv[n++] = p;
	while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '=')
		p++;
	if (*p != '\0') {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '=')
			p++;
	}
	while (n < max) {
		char *w;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (*p == '"') {
			w = ++p;
			while (*p != '\0' && *p != '"')
				p++;
		} else {
			w = p;
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
		}
		argv[n++] = w;
		if (*p != '\0')
			*p++ = '\0';
	}
	return n;
}

static bool
host_applies(char **pats, size_t n, const char *host)
{
	bool hit = false;

	for (size_t i = 0; i < n; i++) {
		bool neg = pats[i][0] == '!';

		if (sshconf_pattern_match(neg ? pats[i] + 1 : pats[i], host)) {
			if (neg)
				return false;
			hit = true;
		}
	}
	return hit;
}

static void
add_subst(struct strbuf *sb, const char *v, char c)
{
	if (v != NULL) {
		strbuf_adds(sb, v);
	} else {
		strbuf_addch(sb, '%');
		strbuf_addch(sb, c);
	}
}

static char *
expand(const char *v, const struct sshconf_subst *sub)
{
	struct strbuf sb = STRBUF_INIT;

	if (v[0] == '~' && v[1] == '/' && sub->home != NULL) {
		strbuf_adds(&sb, sub->home);
		v++;
	}
	for (; *v != '\0'; v++) {
		if (*v != '%' || v[1] == '\0') {
			strbuf_addch(&sb, *v);
			continue;
		}
		v++;
		switch (*v) {
		case '%': strbuf_addch(&sb, '%'); break;
		case 'd': add_subst(&sb, sub->home, 'd'); break;
		case 'u': add_subst(&sb, sub->local_user, 'u'); break;
		case 'h': add_subst(&sb, sub->remote_host, 'h'); break;
		case 'r': add_subst(&sb, sub->remote_user, 'r'); break;
		default:
			strbuf_addch(&sb, '%');
			strbuf_addch(&sb, *v);
			break;
		}
	}
	return strbuf_detach(&sb, NULL);
}

static void
read_file(struct sshconf_ids *ids, const char *path, const char *base,
	  const char *host, const struct sshconf_subst *sub, int depth);

static void
include(struct sshconf_ids *ids, char **args, size_t n, const char *base,
	const char *host, const struct sshconf_subst *sub, int depth)
{
	for (size_t i = 0; i < n; i++) {
		char *pat = expand(args[i], sub);
		char *full = pat[0] == '/' ? xstrdup(pat) :
			     xasprintf("%s/%s", base, pat);
		glob_t g;

		memset(&g, 0, sizeof(g));
		if (glob(full, 0, NULL, &g) == 0) {
			for (size_t j = 0; j < g.gl_pathc; j++)
				read_file(ids, g.gl_pathv[j], base, host, sub,
					  depth + 1);
		}
		globfree(&g);
		free(full);
		free(pat);
	}
}

static void
read_file(struct sshconf_ids *ids, const char *path, const char *base,
	  const char *host, const struct sshconf_subst *sub, int depth)
{
	FILE *f = NULL;
	char line[4096];
	char *argv[MAX_ARGS];
	bool applies = true;	/* before any Host line: every host */

	if (depth > MAX_DEPTH)
		return;
	f = fopen(path, "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t n;

		line[strcspn(line, "\r\n")] = '\0';
		n = split_line(line, argv, MAX_ARGS);
		if (n == 0)
			continue;
		if (strcasecmp(argv[0], "Host") == 0) {
			applies = host_applies(argv + 1, n - 1, host);
		} else if (strcasecmp(argv[0], "Match") == 0) {
			applies = n == 2 && strcasecmp(argv[1], "all") == 0;
		} else if (!applies || n < 2) {
			continue;
		} else if (strcasecmp(argv[0], "Include") == 0) {
			include(ids, argv + 1, n - 1, base, host, sub, depth);
		} else if (strcasecmp(argv[0], "IdentitiesOnly") == 0) {
			if (ids->identities_only < 0)
				ids->identities_only =
					strcasecmp(argv[1], "yes") == 0;
		} else if (strcasecmp(argv[0], "IdentityAgent") == 0) {
			if (ids->identity_agent == NULL)
				ids->identity_agent = expand(argv[1], sub);
		} else if (strcasecmp(argv[0], "IdentityFile") == 0) {
			strvec_push_nodup(&ids->files, expand(argv[1], sub));
		}
	}
	fclose(f);
}

int
sshconf_read_ids(struct sshconf_ids *ids, const char *path, const char *base,
		 const char *host, const struct sshconf_subst *sub)
{
	read_file(ids, path, base, host, sub, 0);
	return 0;
}

char *
sshconf_agent_socket(const struct sshconf_ids *ids)
{
	const char *a = ids->identity_agent;
	const char *v;

	if (a == NULL || strcmp(a, "SSH_AUTH_SOCK") == 0) {
		v = rpx_getenv("SSH_AUTH_SOCK");
	} else if (strcasecmp(a, "none") == 0) {
		v = NULL;
	} else if (a[0] == '$') {
		char *name = a[1] == '{' ? xstrndup(a + 2, strcspn(a + 2, "}")) :
			     xstrdup(a + 1);

		v = rpx_getenv(name);
		free(name);
	} else {
		v = a;
	}
	return v != NULL && v[0] != '\0' ? xstrdup(v) : NULL;
}

void
sshconf_ids_release(struct sshconf_ids *ids)
{
	free(ids->identity_agent);
	ids->identity_agent = NULL;
	strvec_clear(&ids->files);
	ids->identities_only = -1;
}

/* Whether name is in v, case ignored as Host patterns ignore it. */
static bool
has_name(const struct strvec *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcasecmp(v->v[i], name) == 0)
			return true;
	return false;
}

/* Add the names of the Host lines of path (and of the files it
 * includes) that hold no wildcard and no negation, each once. */
static void
read_host_names(struct strvec *out, const char *path, const char *base,
		int depth)
{
	FILE *f;
	char line[4096];
	char *argv[MAX_ARGS];

	if (depth > MAX_DEPTH || (f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t n;

		line[strcspn(line, "\r\n")] = '\0';
		n = split_line(line, argv, MAX_ARGS);
		if (n >= 2 && strcasecmp(argv[0], "Include") == 0) {
			for (size_t i = 1; i < n; i++) {
				char *full = argv[i][0] == '/' ? xstrdup(argv[i]) :
					     xasprintf("%s/%s", base, argv[i]);
				glob_t g;

				memset(&g, 0, sizeof(g));
				if (glob(full, 0, NULL, &g) == 0)
					for (size_t j = 0; j < g.gl_pathc; j++)
						read_host_names(out, g.gl_pathv[j],
								base, depth + 1);
				globfree(&g);
				free(full);
			}
			continue;
		}
		if (n < 2 || strcasecmp(argv[0], "Host") != 0)
			continue;
		for (size_t i = 1; i < n; i++)
			if (strpbrk(argv[i], "*?!") == NULL &&
			    !has_name(out, argv[i]))
				strvec_push(out, argv[i]);
	}
	fclose(f);
}

void
sshconf_host_names(struct strvec *out, const char *path, const char *base)
{
	read_host_names(out, path, base, 0);
}
