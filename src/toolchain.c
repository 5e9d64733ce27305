/* toolchain.c - find rustc and its sysroot (see toolchain.h). */
#include "toolchain.h"

#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "rpx.h"

static char *
find_rustc(void)
{
	const char *env = rpx_getenv("RUSTC");
	const char *home;
	char *p;

	if (env != NULL)
		return rpx_which(env);
	p = rpx_which("rustc");
	if (p != NULL)
		return p;
	home = rpx_getenv("CARGO_HOME");
	if (home != NULL)
		p = xasprintf("%s/bin/rustc", home);
	else if ((home = rpx_getenv("HOME")) != NULL)
		p = xasprintf("%s/.cargo/bin/rustc", home);
	else
		return NULL;
	if (rpx_is_executable(p))
		return p;
	free(p);
	return NULL;
}

/* Run rustc with one argument list; the first line of stdout, or NULL. */
static char *
rustc_line(const char *rustc, const char *a1, const char *a2)
{
	const char *argv[] = { rustc, a1, a2, NULL };
	struct proc p = PROC_INIT;
	char *line = NULL;

	p.argv = argv;
	p.capture = true;
	p.timeout_ms = 20000;
	if (proc_run(&p) == 0 && proc_ok(&p)) {
		char *nl = strchr(p.out.buf, '\n');

		if (nl != NULL)
			*nl = '\0';
		if (p.out.buf[0] != '\0')
			line = xstrdup(p.out.buf);
	}
	proc_release(&p);
	return line;
}

int
toolchain_find(struct toolchain *tc)
{
	tc->rustc = find_rustc();
	if (tc->rustc == NULL)
		return RPX_ENOTFOUND;
	tc->version = rustc_line(tc->rustc, "--version", NULL);
	tc->sysroot = rustc_line(tc->rustc, "--print", "sysroot");
	if (tc->version == NULL || tc->sysroot == NULL) {
		toolchain_release(tc);
		return RPX_ENOTFOUND;
	}
	return 0;
}

bool
toolchain_has_std(const struct toolchain *tc, const char *triple)
{
	char *dir;
	bool ok;

	if (tc->sysroot == NULL)
		return false;
	dir = xasprintf("%s/lib/rustlib/%s/lib", tc->sysroot, triple);
	ok = rpx_is_dir(dir);
	free(dir);
	return ok;
}

void
toolchain_release(struct toolchain *tc)
{
	free(tc->rustc);
	free(tc->version);
	free(tc->sysroot);
	tc->rustc = tc->version = tc->sysroot = NULL;
}
