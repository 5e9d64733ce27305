/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* cargo_config.c - Cargo's config files: discovery, effective values,
 * diffs and safe writes (cargo_config.h). */
#include "cargo_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "rustflags.h"
#include "strbuf.h"

/* ---- discovery ---- */

static bool
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

char *
cargo_config_path_in(const char *dir)
{
	char *legacy = xasprintf("%s/config", dir);

	if (file_exists(legacy))
		return legacy;
	free(legacy);
	return xasprintf("%s/config.toml", dir);
}

/* The process environment, as a cargo_config_getenv_fn. */
static const char *
cargo_config_env(const char *name, void *data)
{
	(void)data;
	return rpx_getenv(name);
}

const char *
cargo_config_no_env(const char *name, void *data)
{
	(void)name;
	(void)data;
	return NULL;
}

char *
cargo_config_home(cargo_config_getenv_fn fn, void *data)
{
	const char *v;

	if (fn == NULL)
		fn = cargo_config_env;
	v = fn("CARGO_HOME", data);
	if (v != NULL)
		return xstrdup(v);
	v = fn("HOME", data);
	if (v != NULL)
		return xasprintf("%s/.cargo", v);
	return NULL;
}

static void
load_one(struct cargo_config_file *f)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	rpx_err_clear(&f->err);
	r = fsutil_read_file(f->path, &buf, &len);
	if (r < 0) {
		rpx_err_set(&f->err, f->path, 0, 0, "cannot read: %s",
			    r == RPX_EIO ? strerror(errno) : rpx_strerror(r));
		return;
	}
	/* toml_parse_take() adopts buf (len + 1 bytes, NUL included). */
	if (toml_parse_take(&f->doc, buf, len, f->path, &f->err) < 0)
		f->doc = NULL;
}

int
cargo_config_add_file(struct cargo_config_set *set, const char *path,
		      bool global)
{
	struct cargo_config_file *f;

	ALLOC_GROW(set->files, set->nfiles + 1, set->files_alloc);
	f = &set->files[set->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->global = global;
	{
		const char *slash = strrchr(path, '/');
		const char *base = slash != NULL ? slash + 1 : path;

		f->legacy = strcmp(base, "config") == 0;
	}
	load_one(f);
	return 0;
}

/* Look in one folder (…/.cargo or $CARGO_HOME); add what Cargo reads. */
static void
add_folder(struct cargo_config_set *set, const char *dir, bool global)
{
	char *legacy = xasprintf("%s/config", dir);
	char *modern = xasprintf("%s/config.toml", dir);
	bool has_legacy = file_exists(legacy), has_modern = file_exists(modern);

	if (has_legacy && has_modern)
		strvec_pushf(&set->warnings, "both '%s' and '%s' exist: "
			     "Cargo reads '%s' and ignores '%s'", legacy,
			     modern, legacy, modern);
	if (has_legacy)
		cargo_config_add_file(set, legacy, global);
	else if (has_modern)
		cargo_config_add_file(set, modern, global);
	free(legacy);
	free(modern);
}

static bool
same_dir(const char *a, const struct stat *sb)
{
	struct stat sa;

	return stat(a, &sa) == 0 && sa.st_dev == sb->st_dev &&
	       sa.st_ino == sb->st_ino;
}

int
cargo_config_discover(struct cargo_config_set *set, const char *project_dir,
		      const char *cargo_home)
{
	struct stat home_st;
	bool home_ok, home_seen = false;
	char *dir = NULL;

	if (cargo_home == NULL || cargo_home[0] == '\0')
		return RPX_EINVAL;
	home_ok = stat(cargo_home, &home_st) == 0;
	if (project_dir != NULL) {
		char *abs = realpath(project_dir, NULL);

		dir = abs != NULL ? abs : xstrdup(project_dir);
		for (;;) {
			char *cargo_dir = strcmp(dir, "/") == 0 ?
				xstrdup("/.cargo") :
				xasprintf("%s/.cargo", dir);
			bool is_home = home_ok && same_dir(cargo_dir, &home_st);
			char *slash;

			add_folder(set, cargo_dir, is_home);
			home_seen = home_seen || is_home;
			free(cargo_dir);
			slash = strrchr(dir, '/');
			if (slash == NULL || strcmp(dir, "/") == 0)
				break;
			if (slash == dir)
				slash[1] = '\0';
			else
				*slash = '\0';
		}
	}
	if (!home_seen)
		add_folder(set, cargo_home, true);
	free(dir);
	return 0;
}

void
cargo_config_set_release(struct cargo_config_set *set)
{
	for (size_t i = 0; i < set->nfiles; i++) {
		free(set->files[i].path);
		toml_doc_free(set->files[i].doc);
	}
	free(set->files);
	set->files = NULL;
	set->nfiles = set->files_alloc = 0;
	strvec_clear(&set->warnings);
}

bool
cargo_config_set_has_errors(const struct cargo_config_set *set)
{
	for (size_t i = 0; i < set->nfiles; i++)
		if (set->files[i].doc == NULL)
			return true;
	return false;
}

/* ---- effective values ---- */

/* Forget the typed value and its origins (not the text). */
static void
typed_reset(struct cargo_config_value *v)
{
	free(v->str);
	strvec_clear(&v->list);
	for (size_t i = 0; i < v->norigins; i++) {
		free(v->origins[i].path);
		free(v->origins[i].env);
	}
	free(v->origins);
	v->type = CARGO_VALUE_UNSET;
	v->str = NULL;
	v->b = false;
	v->i = 0;
	v->origins = NULL;
	v->norigins = v->origins_alloc = 0;
}

void
cargo_config_value_release(struct cargo_config_value *v)
{
	typed_reset(v);
	free(v->key);
	free(v->value);
	free(v->origin);
	free(v->note);
	memset(v, 0, sizeof(*v));
}

static struct cargo_origin *
origin_push(struct cargo_config_value *v, enum cargo_origin_kind kind)
{
	struct cargo_origin *o;

	ALLOC_GROW(v->origins, v->norigins + 1, v->origins_alloc);
	o = &v->origins[v->norigins++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	return o;
}

static void
origin_push_env(struct cargo_config_value *v, const char *name)
{
	origin_push(v, CARGO_ORIGIN_ENV)->env = xstrdup(name);
}

/* A scalar (or table) node's type and value into v. */
static void
typed_scalar(struct cargo_config_value *v, const struct toml_node *node)
{
	int64_t i;

	switch (toml_node_type(node)) {
	case TOML_STRING:
		v->type = CARGO_VALUE_STRING;
		v->str = xstrdup(toml_node_cstr(node));
		return;
	case TOML_BOOL:
		v->type = CARGO_VALUE_BOOL;
		(void)toml_node_bool(node, &v->b);
		return;
	case TOML_INTEGER:
		v->type = CARGO_VALUE_INT;
		if (toml_node_int(node, &i) == 0)
			v->i = (long long)i;
		return;
	default:
		v->type = CARGO_VALUE_OTHER;
		return;
	}
}

char **
cargo_config_value_words(const struct cargo_config_value *v, bool split)
{
	struct strvec w = STRVEC_INIT;

	if (v->type == CARGO_VALUE_STRING) {
		if (split)
			rustflags_split(&w, v->str);
		else if (v->str[0] != '\0')
			strvec_push(&w, v->str);
	} else if (v->type == CARGO_VALUE_LIST) {
		strvec_pushv(&w, (const char *const *)v->list.v);
	} else {
		return NULL;
	}
	return strvec_detach(&w);
}

/* name in the environment the set reads (NULL: the process's). */
static const char *
env_get(const struct cargo_config_set *set, const char *name)
{
	return set->getenv_fn != NULL ?
		set->getenv_fn(name, set->getenv_data) : rpx_getenv(name);
}

/* CARGO_<SEGS joined by '_'>, uppercased, '-' and '.' made '_'; NULL
 * when a segment holds anything else (a cfg(...) table). */
static char *
env_name(char *const *segs, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "CARGO");
	for (size_t i = 0; i < n; i++) {
		strbuf_addch(&sb, '_');
		for (const char *p = segs[i]; *p; p++) {
			unsigned char c = (unsigned char)*p;

			if (c == '-' || c == '.')
				strbuf_addch(&sb, '_');
			else if (isalnum(c) || c == '_')
				strbuf_addch(&sb, toupper(c));
			else {
				strbuf_release(&sb);
				return NULL;
			}
		}
	}
	return strbuf_detach(&sb, NULL);
}

char *
cargo_config_target_env(const char *triple, const char *what)
{
	char *segs[3] = { (char *)"target", (char *)triple, (char *)what };
	char *name = env_name(segs, 3);

	return name != NULL ? name : xstrdup("");
}

/* Append "a", "b" (TOML strings) for the words, each preceded by ", "
 * when the buffer has items already. */
static void
add_words(struct strbuf *items, const struct strvec *words)
{
	for (size_t i = 0; i < words->n; i++) {
		char *q = toml_quote_string(words->v[i], strlen(words->v[i]));

		if (items->len > 0)
			strbuf_adds(items, ", ");
		strbuf_adds(items, q);
		free(q);
	}
}

static void
add_origin(struct strbuf *origin, const struct cargo_config_file *f,
	   const struct toml_node *node, struct cargo_config_value *typed)
{
	int line = 0, col = 0;

	toml_node_pos(f->doc, node, &line, &col);
	if (origin->len > 0)
		strbuf_adds(origin, ", ");
	strbuf_addf(origin, "%s:%d", f->path, line);
	if (typed != NULL) {
		struct cargo_origin *o = origin_push(typed, CARGO_ORIGIN_FILE);

		o->path = xstrdup(f->path);
		o->line = line;
	}
}

/*
 * The value of segs in the files: the first file's, or every file's
 * array elements joined. items gets array elements (is_array true) or
 * the raw value; typed (may be NULL) gets the value typed and its
 * origins.
 */
static bool
files_value(const struct cargo_config_set *set, char *const *segs, size_t n,
	    struct strbuf *items, struct strbuf *origin, bool *is_array,
	    struct cargo_config_value *typed)
{
	bool found = false, strings = true;

	*is_array = false;
	for (size_t i = 0; i < set->nfiles; i++) {
		const struct cargo_config_file *f = &set->files[i];
		const struct toml_node *node;
		size_t len;
		const char *raw;

		if (f->doc == NULL)
			continue;
		node = toml_get(f->doc, (const char *const *)segs, n);
		if (node == NULL)
			continue;
		if (toml_node_type(node) == TOML_ARRAY &&
		    !toml_node_is_aot(node)) {
			if (found && !*is_array)
				continue;
			*is_array = true;
			for (const struct toml_node *c = toml_node_first(node);
			     c != NULL; c = toml_node_next(c)) {
				raw = toml_node_raw(f->doc, c, &len);
				if (items->len > 0)
					strbuf_adds(items, ", ");
				strbuf_add(items, raw, len);
				if (toml_node_cstr(c) == NULL)
					strings = false;
				else if (typed != NULL)
					strvec_push(&typed->list, toml_node_cstr(c));
			}
			add_origin(origin, f, node, typed);
			found = true;
			continue;
		}
		if (found)
			continue;
		if (toml_node_type(node) == TOML_TABLE &&
		    !toml_node_is_inline(node)) {
			strbuf_adds(items, "{ ... }");
		} else {
			raw = toml_node_raw(f->doc, node, &len);
			strbuf_add(items, raw, len);
		}
		if (typed != NULL)
			typed_scalar(typed, node);
		add_origin(origin, f, node, typed);
		found = true;
		/* A scalar: the deepest wins; keep looking only for arrays. */
		break;
	}
	if (typed != NULL && *is_array) {
		typed->type = strings ? CARGO_VALUE_LIST : CARGO_VALUE_OTHER;
		if (!strings)
			strvec_clear(&typed->list);
	}
	return found;
}

/*
 * The names of the [target.X] tables in set's files appended to list, in
 * order of first appearance, each once; with_key: only the tables that
 * set that key.
 */
static void
target_tables(const struct cargo_config_set *set, const char *with_key,
	      struct strvec *list)
{
	for (size_t i = 0; i < set->nfiles; i++) {
		const struct toml_node *t;

		if (set->files[i].doc == NULL)
			continue;
		t = toml_get_key(set->files[i].doc, "target");
		if (t == NULL || toml_node_type(t) != TOML_TABLE)
			continue;
		for (const struct toml_node *c = toml_node_first(t);
		     c != NULL; c = toml_node_next(c)) {
			const char *k = toml_node_key(c, NULL);

			if (toml_node_type(c) != TOML_TABLE ||
			    (with_key != NULL &&
			     toml_table_get(c, with_key) == NULL) ||
			    strvec_has(list, k))
				continue;
			strvec_push(list, k);
		}
	}
}

/* Whether any [target.X] table sets rustflags, with the table names
 * ("a, b") in *names. */
static bool
any_target_rustflags(const struct cargo_config_set *set, struct strbuf *names)
{
	struct strvec list = STRVEC_INIT;
	bool any;

	target_tables(set, "rustflags", &list);
	for (size_t i = 0; i < list.n; i++) {
		if (i > 0)
			strbuf_adds(names, ", ");
		strbuf_adds(names, list.v[i]);
	}
	any = list.n > 0;
	strvec_clear(&list);
	return any;
}

/*
 * CARGO_ENCODED_RUSTFLAGS (split at 0x1f), else RUSTFLAGS (split on
 * whitespace): when set, the value of every rustflags key, whole. False
 * when neither is set.
 */
static bool
env_rustflags_override(const struct cargo_config_set *set,
		       struct cargo_config_value *out)
{
	static const char *const over[] = {
		"CARGO_ENCODED_RUSTFLAGS", "RUSTFLAGS",
	};

	for (size_t i = 0; i < ARRAY_SIZE(over); i++) {
		struct strvec words = STRVEC_INIT;
		struct strbuf items = STRBUF_INIT;
		const char *ev = env_get(set, over[i]);

		if (ev == NULL)
			continue;
		if (i == 0)
			rustflags_split_encoded(&words, ev);
		else
			rustflags_split(&words, ev);
		add_words(&items, &words);
		out->value = xasprintf("[%s]", items.buf);
		out->origin = xasprintf("env %s", over[i]);
		out->note = xasprintf("%s overrides target.*.rustflags "
				      "and build.rustflags", over[i]);
		out->type = CARGO_VALUE_LIST;
		strvec_pushv(&out->list, (const char *const *)words.v);
		origin_push_env(out, over[i]);
		strvec_clear(&words);
		strbuf_release(&items);
		return true;
	}
	return false;
}

/*
 * Cargo adds the words of CARGO_TARGET_<T>_RUSTFLAGS (variable ename,
 * value ev) after the files' flags: to the text's items (which keep a
 * file's string as one item, as config show always printed it) and to
 * the typed list (where a file's string is split, as Cargo does).
 */
static void
env_rustflags_add(struct cargo_config_value *out, struct strbuf *items,
		  struct strbuf *origin, const char *ename, const char *ev)
{
	struct strvec words = STRVEC_INIT;

	rustflags_split(&words, ev);
	add_words(items, &words);
	if (origin->len > 0)
		strbuf_adds(origin, ", ");
	strbuf_addf(origin, "env %s", ename);
	if (out->type == CARGO_VALUE_STRING) {
		rustflags_split(&out->list, out->str);
		free(out->str);
		out->str = NULL;
		out->type = CARGO_VALUE_LIST;
	}
	if (out->type == CARGO_VALUE_UNSET || out->type == CARGO_VALUE_LIST) {
		out->type = CARGO_VALUE_LIST;
		strvec_pushv(&out->list, (const char *const *)words.v);
	} else {
		out->type = CARGO_VALUE_OTHER;
	}
	origin_push_env(out, ename);
	strvec_clear(&words);
}

int
cargo_config_effective(const struct cargo_config_set *set, const char *key,
		       struct cargo_config_value *out)
{
	struct strbuf items = STRBUF_INIT, origin = STRBUF_INIT;
	struct strbuf note = STRBUF_INIT;
	char **segs = NULL, *ename = NULL;
	size_t n = 0;
	bool is_array = false, found, rustflags, target_rustflags;
	const char *ev;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (toml_key_split(key, &segs, &n, NULL) < 0 || n == 0) {
		ret = RPX_EINVAL;
		goto out;
	}
	out->key = xstrdup(key);
	target_rustflags = n == 3 && strcmp(segs[0], "target") == 0 &&
			   strcmp(segs[2], "rustflags") == 0;
	rustflags = target_rustflags ||
		    (n == 2 && strcmp(segs[0], "build") == 0 &&
		     strcmp(segs[1], "rustflags") == 0);

	if (rustflags && env_rustflags_override(set, out))
		goto out;

	found = files_value(set, segs, n, &items, &origin, &is_array, out);
	ename = env_name(segs, n);
	ev = ename != NULL ? env_get(set, ename) : NULL;
	if (ev != NULL && rustflags) {
		env_rustflags_add(out, &items, &origin, ename, ev);
		is_array = true;
		found = true;
	} else if (ev != NULL) {
		strbuf_reset(&items);
		strbuf_reset(&origin);
		{
			char *q = toml_quote_string(ev, strlen(ev));

			strbuf_adds(&items, q);
			free(q);
		}
		strbuf_addf(&origin, "env %s", ename);
		if (found)
			strbuf_addf(&note, "%s overrides the config files",
				    ename);
		typed_reset(out);
		out->type = CARGO_VALUE_STRING;
		out->str = xstrdup(ev);
		origin_push_env(out, ename);
		is_array = false;
		found = true;
	}
	if (found) {
		out->value = is_array ? xasprintf("[%s]", items.buf) :
			     xstrdup(items.buf);
		out->origin = xstrdup(origin.buf);
	}

	if (target_rustflags && found) {
		/* Is build.rustflags set anywhere? It then does not apply. */
		struct strbuf bi = STRBUF_INIT, bo = STRBUF_INIT;
		char *bsegs[2] = { (char *)"build", (char *)"rustflags" };
		bool barr;

		if (files_value(set, bsegs, 2, &bi, &bo, &barr, NULL) ||
		    env_get(set, "CARGO_BUILD_RUSTFLAGS") != NULL)
			strbuf_addf(&note, "build.rustflags (%s) is ignored "
				    "for %s", bo.len > 0 ? bo.buf :
				    "env CARGO_BUILD_RUSTFLAGS", segs[1]);
		strbuf_release(&bi);
		strbuf_release(&bo);
	} else if (rustflags && !target_rustflags && found) {
		struct strbuf names = STRBUF_INIT;

		if (any_target_rustflags(set, &names))
			strbuf_addf(&note, "ignored when building for a "
				    "target with its own rustflags (%s)",
				    names.buf);
		strbuf_release(&names);
	}
	if (note.len > 0)
		out->note = xstrdup(note.buf);
out:
	strbuf_release(&items);
	strbuf_release(&origin);
	strbuf_release(&note);
	free(ename);
	toml_segs_free(segs);
	if (ret < 0)
		cargo_config_value_release(out);
	return ret;
}

char **
cargo_config_targets(const struct cargo_config_set *set)
{
	struct strvec list = STRVEC_INIT;
	struct cargo_config_value v;

	target_tables(set, NULL, &list);
	if (cargo_config_effective(set, "build.target", &v) == 0 &&
	    v.type == CARGO_VALUE_STRING && !strvec_has(&list, v.str))
		strvec_push(&list, v.str);
	cargo_config_value_release(&v);
	return strvec_detach(&list);
}

/* ---- diff ---- */

/*
 * A text's lines, each pointing into the text (borrowed, and not
 * NUL-terminated: a strvec does not fit), its newline included.
 */
struct lines {
	struct line {
		const char *p;
		size_t len;
	} *v;
	size_t n, alloc;
};

static void
lines_split(struct lines *l, const char *s, size_t len)
{
	size_t i = 0;

	memset(l, 0, sizeof(*l));
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl != NULL ? (size_t)(nl - s) + 1 : len;

		ALLOC_GROW(l->v, l->n + 1, l->alloc);
		l->v[l->n].p = s + i;
		l->v[l->n].len = end - i;
		l->n++;
		i = end;
	}
}

static bool
line_eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->v[i].len == b->v[j].len &&
	       memcmp(a->v[i].p, b->v[j].p, a->v[i].len) == 0;
}

#define DIFF_MAX_D 2000	/* beyond, the middle is shown replaced whole */

/*
 * Myers' O(ND) diff of a[lo_a..hi_a) and b[lo_b..hi_b): marks deleted
 * lines in del[] and inserted lines in ins[].
 */
static void
myers(const struct lines *a, size_t lo_a, size_t hi_a,
      const struct lines *b, size_t lo_b, size_t hi_b, bool *del, bool *ins)
{
	long N = (long)(hi_a - lo_a), M = (long)(hi_b - lo_b);
	long dmax = N + M < DIFF_MAX_D ? N + M : DIFF_MAX_D;
	long off = dmax + 1, D = -1;
	long *v = xcalloc((size_t)(2 * dmax + 3), sizeof(long));
	long **hist = xcalloc((size_t)dmax + 1, sizeof(long *));

	for (long d = 0; d <= dmax && D < 0; d++) {
		for (long k = -d; k <= d; k += 2) {
			long x, y;

			if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			y = x - k;
			while (x < N && y < M &&
			       line_eq(a, lo_a + (size_t)x, b, lo_b + (size_t)y)) {
				x++;
				y++;
			}
			v[off + k] = x;
			if (x >= N && y >= M) {
				D = d;
				break;
			}
		}
		hist[d] = xmalloc((size_t)(2 * d + 1) * sizeof(long));
		for (long k = -d; k <= d; k++)
			hist[d][k + d] = v[off + k];
	}
	if (D < 0) {
		for (long i = 0; i < N; i++)
			del[lo_a + (size_t)i] = true;
		for (long j = 0; j < M; j++)
			ins[lo_b + (size_t)j] = true;
	} else {
		long x = N, y = M;

		for (long d = D; d > 0; d--) {
			long k = x - y, pk, px, py;
			const long *pv = hist[d - 1];

			if (k == -d || (k != d && pv[k - 1 + d - 1] <
					pv[k + 1 + d - 1]))
				pk = k + 1;
			else
				pk = k - 1;
			px = pv[pk + d - 1];
			py = px - pk;
			if (pk == k + 1)
				ins[lo_b + (size_t)py] = true;
			else
				del[lo_a + (size_t)px] = true;
			x = px;
			y = py;
		}
	}
	for (long d = 0; d <= dmax; d++)
		free(hist[d]);
	free(hist);
	free(v);
}

struct block {
	size_t a, na, b, nb;	/* old start and count, new start and count */
};

static void
hunk_range(struct strbuf *sb, size_t start, size_t n)
{
	if (n == 1)
		strbuf_addf(sb, "%zu", start + 1);
	else
		strbuf_addf(sb, "%zu,%zu", n == 0 ? start : start + 1, n);
}

static void
put_line(struct strbuf *sb, char mark, const struct lines *l, size_t i)
{
	strbuf_addch(sb, mark);
	strbuf_add(sb, l->v[i].p, l->v[i].len);
	if (l->v[i].len == 0 || l->v[i].p[l->v[i].len - 1] != '\n')
		strbuf_adds(sb, "\n\\ No newline at end of file\n");
}

char *
cargo_config_diff(const char *label, const char *old, size_t old_len,
		  const char *new_text, size_t new_len)
{
	enum { CTX = 3 };
	struct lines a, b;
	struct strbuf sb = STRBUF_INIT;
	struct block *blocks = NULL;
	size_t nblocks = 0, blocks_alloc = 0, pre = 0, suf = 0, i, j;
	bool *del, *ins;

	lines_split(&a, old, old_len);
	lines_split(&b, new_text, new_len);
	while (pre < a.n && pre < b.n && line_eq(&a, pre, &b, pre))
		pre++;
	while (suf < a.n - pre && suf < b.n - pre &&
	       line_eq(&a, a.n - 1 - suf, &b, b.n - 1 - suf))
		suf++;
	del = xcalloc(a.n + 1, sizeof(bool));
	ins = xcalloc(b.n + 1, sizeof(bool));
	myers(&a, pre, a.n - suf, &b, pre, b.n - suf, del, ins);

	i = j = 0;
	while (i < a.n || j < b.n) {
		struct block bl;

		if (i < a.n && j < b.n && !del[i] && !ins[j]) {
			i++;
			j++;
			continue;
		}
		bl.a = i;
		bl.b = j;
		while ((i < a.n && del[i]) || (j < b.n && ins[j])) {
			if (i < a.n && del[i])
				i++;
			if (j < b.n && ins[j])
				j++;
		}
		bl.na = i - bl.a;
		bl.nb = j - bl.b;
		ALLOC_GROW(blocks, nblocks + 1, blocks_alloc);
		blocks[nblocks++] = bl;
	}

	if (nblocks > 0) {
		const char *lab = label;

		while (*lab == '/')
			lab++;
		strbuf_addf(&sb, "--- a/%s\n+++ b/%s\n", lab, lab);
	}
	for (size_t h = 0; h < nblocks;) {
		size_t last = h, sa, ea, sbn, eb, x, y;

		while (last + 1 < nblocks &&
		       blocks[last + 1].a - (blocks[last].a + blocks[last].na)
		       <= 2 * CTX)
			last++;
		sa = blocks[h].a > CTX ? blocks[h].a - CTX : 0;
		sbn = blocks[h].b - (blocks[h].a - sa);
		ea = blocks[last].a + blocks[last].na + CTX;
		if (ea > a.n)
			ea = a.n;
		eb = blocks[last].b + blocks[last].nb +
		     (ea - (blocks[last].a + blocks[last].na));
		strbuf_adds(&sb, "@@ -");
		hunk_range(&sb, sa, ea - sa);
		strbuf_adds(&sb, " +");
		hunk_range(&sb, sbn, eb - sbn);
		strbuf_adds(&sb, " @@\n");
		x = sa;
		y = sbn;
		for (size_t k = h; k <= last; k++) {
			for (; x < blocks[k].a; x++, y++)
				put_line(&sb, ' ', &a, x);
			for (; x < blocks[k].a + blocks[k].na; x++)
				put_line(&sb, '-', &a, x);
			for (; y < blocks[k].b + blocks[k].nb; y++)
				put_line(&sb, '+', &b, y);
		}
		for (; x < ea; x++)
			put_line(&sb, ' ', &a, x);
		h = last + 1;
	}
	free(blocks);
	free(del);
	free(ins);
	free(a.v);
	free(b.v);
	return strbuf_detach(&sb, NULL);
}

/* ---- changes ---- */

static long long
mtime_ns(const struct stat *st)
{
#ifdef __APPLE__
	return (long long)st->st_mtimespec.tv_sec * 1000000000LL +
	       st->st_mtimespec.tv_nsec;
#else
	return (long long)st->st_mtim.tv_sec * 1000000000LL +
	       st->st_mtim.tv_nsec;
#endif
}

int
cargo_config_load(struct cargo_config_change *ch, const char *path,
		  struct rpx_err *err)
{
	struct stat st;
	int r;

	rpx_err_clear(err);
	ch->path = xstrdup(path);
	r = fsutil_read_file(path, &ch->old, &ch->old_len);
	if (r == RPX_ENOTFOUND) {
		ch->old = xstrdup("");
		ch->old_len = 0;
		ch->existed = false;
	} else if (r < 0) {
		rpx_err_set(err, path, 0, 0, "cannot read '%s': %s", path,
			    r == RPX_EIO ? strerror(errno) :
			    r == RPX_EINVAL ? "it is a folder" :
			    rpx_strerror(r));
		return r;
	} else {
		ch->existed = true;
		/* Identity of what was read; stat after reading: a change
		 * between the two is caught by the content check later. */
		if (stat(path, &st) == 0) {
			ch->dev = st.st_dev;
			ch->ino = st.st_ino;
			ch->size = st.st_size;
			ch->mtime_ns = mtime_ns(&st);
		}
	}
	r = toml_parse(&ch->doc, ch->old, ch->old_len, path, err);
	if (r < 0)
		return r;
	ch->diff = xstrdup("");
	return 0;
}

/* The edits go to a copy of the document, adopted only when all apply. */
int
cargo_config_apply(struct cargo_config_change *ch,
		   const struct cargo_config_edit *edits, size_t n,
		   struct rpx_err *err)
{
	struct toml_doc *work = NULL;
	const char *text;
	size_t len;
	int r = 0;

	rpx_err_clear(err);
	text = toml_doc_text(ch->doc, &len);
	r = toml_parse(&work, text, len, ch->path, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		char **segs = NULL;
		size_t nseg = 0;
		struct rpx_err e = RPX_ERR_INIT;

		r = toml_key_split(edits[i].key, &segs, &nseg, &e);
		if (r < 0 || nseg == 0) {
			rpx_err_set(err, NULL, 0, 0, "bad key '%s': %s",
				    edits[i].key, e.msg);
			toml_segs_free(segs);
			r = RPX_EINVAL;
			goto out;
		}
		if (edits[i].value != NULL)
			r = toml_set(work, (const char *const *)segs, nseg,
				     edits[i].value, &e);
		else
			r = toml_unset(work, (const char *const *)segs, nseg,
				       &e);
		toml_segs_free(segs);
		if (r == RPX_ENOTFOUND) {
			rpx_err_set(err, NULL, 0, 0,
				    "key '%s' is not set in '%s'",
				    edits[i].key, ch->path);
			goto out;
		}
		if (r < 0) {
			rpx_err_set(err, NULL, 0, 0, "cannot %s '%s': %s",
				    edits[i].value != NULL ? "set" : "unset",
				    edits[i].key, e.msg);
			if (r != RPX_ENOTFOUND)
				r = RPX_EINVAL;
			goto out;
		}
	}
	toml_doc_free(ch->doc);
	ch->doc = work;
	work = NULL;
	text = toml_doc_text(ch->doc, &len);
	free(ch->diff);
	ch->diff = cargo_config_diff(ch->path, ch->old, ch->old_len, text, len);
out:
	toml_doc_free(work);
	return r;
}

bool
cargo_config_changed(const struct cargo_config_change *ch)
{
	size_t len;
	const char *text = toml_doc_text(ch->doc, &len);

	return len != ch->old_len || memcmp(text, ch->old, len) != 0;
}

/* Has the file changed since cargo_config_load()? */
static bool
changed_on_disk(const struct cargo_config_change *ch)
{
	struct stat st;
	char *now = NULL;
	size_t len = 0;
	bool changed;

	if (stat(ch->path, &st) != 0)
		return ch->existed || errno != ENOENT;
	if (!ch->existed)
		return true;
	if (st.st_dev != ch->dev || st.st_ino != ch->ino ||
	    st.st_size != ch->size || mtime_ns(&st) != ch->mtime_ns)
		return true;
	/* Same identity and time stamp: compare the bytes too, as a
	 * coarse clock can hide a quick rewrite of the same size. */
	if (fsutil_read_file(ch->path, &now, &len) < 0)
		return true;
	changed = len != ch->old_len || memcmp(now, ch->old, len) != 0;
	free(now);
	return changed;
}

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int
cargo_config_commit(struct cargo_config_change *ch, struct rpx_err *err)
{
	const char *text;
	size_t len;
	struct stat st;
	char *dir = NULL, *bak = NULL;
	int r = 0;

	rpx_err_clear(err);
	if (changed_on_disk(ch)) {
		rpx_err_set(err, NULL, 0, 0, "'%s' changed on disk since it "
			    "was read; nothing written (run again to apply "
			    "the edits to the new content)", ch->path);
		return RPX_EINVAL;
	}
	if (ch->existed && stat(ch->path, &st) == 0 &&
	    ((st.st_mode & 0222) == 0 || access(ch->path, W_OK) != 0)) {
		rpx_err_set(err, NULL, 0, 0, "cannot write '%s': the file is "
			    "read-only; nothing written", ch->path);
		return RPX_EINVAL;
	}
	dir = dir_of(ch->path);
	if (ch->existed && access(dir, W_OK | X_OK) != 0) {
		rpx_err_set(err, NULL, 0, 0, "cannot write '%s': its folder "
			    "'%s' is not writable (%s); nothing written",
			    ch->path, dir, strerror(errno));
		r = RPX_EINVAL;
		goto out;
	}
	if (!ch->existed) {
		r = fsutil_mkdirs(dir, 0755);
		if (r < 0) {
			rpx_err_set(err, NULL, 0, 0,
				    "cannot create folder '%s': %s", dir,
				    strerror(errno));
			goto out;
		}
	}
	if (ch->existed) {
		bak = xasprintf("%s.bak", ch->path);
		r = atomic_write(bak, ch->old, ch->old_len);
		if (r < 0) {
			rpx_err_set(err, NULL, 0, 0, "cannot write backup "
				    "'%s': %s; '%s' left as it was", bak,
				    strerror(errno), ch->path);
			goto out;
		}
		free(ch->backup);
		ch->backup = bak;
		bak = NULL;
	}
	text = toml_doc_text(ch->doc, &len);
	r = atomic_write(ch->path, text, len);
	if (r < 0) {
		rpx_err_set(err, NULL, 0, 0, "cannot write '%s': %s%s",
			    ch->path, strerror(errno),
			    ch->existed ? "; the file is left as it was" : "");
		goto out;
	}
out:
	free(bak);
	free(dir);
	return r;
}

void
cargo_config_change_release(struct cargo_config_change *ch)
{
	free(ch->path);
	free(ch->old);
	toml_doc_free(ch->doc);
	free(ch->diff);
	free(ch->backup);
	memset(ch, 0, sizeof(*ch));
}
