/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * selfpath.c - this program's own file and how to name it in a command
 * line another program runs (selfpath.h).
 */
#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif
#include "selfpath.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rpx.h"

char *
selfpath_exe(void)
{
#if defined(__linux__)
	/* the kernel's link to the binary running, links resolved; one
	 * replaced while running reads "/path (deleted)", which resolves to
	 * nothing: NULL */
	return realpath("/proc/self/exe", NULL);
#elif defined(__APPLE__)
	uint32_t size = 0;
	char *buf, *real;

	(void)_NSGetExecutablePath(NULL, &size);
	buf = xmalloc(size + 1);
	if (_NSGetExecutablePath(buf, &size) != 0) {
		free(buf);
		return NULL;
	}
	/* the path the program was started by: may be relative, or go
	 * through symbolic links */
	real = realpath(buf, NULL);
	free(buf);
	return real;
#else
	return NULL;
#endif
}

enum selfpath_how
selfpath_runner_prog(const char *name, const char *path_env, const char *self,
		     char **prog)
{
	char *found;
	struct stat a, b;
	bool same = false;

	if (self == NULL || self[0] != '/') {
		*prog = xstrdup(name);
		return SELFPATH_UNKNOWN;
	}
	found = rpx_which_in(name, path_env);
	if (found != NULL && stat(found, &a) == 0 && stat(self, &b) == 0)
		same = a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	free(found);
	*prog = xstrdup(same ? name : self);
	return same ? SELFPATH_ON_PATH : SELFPATH_ABSOLUTE;
}

char *
selfpath_runner_for(const struct ctx *ctx, const char *name)
{
	char *self = selfpath_exe(), *prog = NULL;

	switch (selfpath_runner_prog(name, rpx_getenv("PATH"), self, &prog)) {
	case SELFPATH_ABSOLUTE:
		break;
	case SELFPATH_UNKNOWN:
		rpx_warnf(ctx, "cannot tell where this %s is installed: the "
			  "runner names '%s', which Cargo finds only on PATH: "
			  "install %s (make install) or put its folder on PATH",
			  name, name, name);
		/* fall through */
	case SELFPATH_ON_PATH:
		free(prog);
		prog = NULL;
		break;
	}
	free(self);
	return prog;
}
