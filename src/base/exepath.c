/* exepath.c - the running program's own path (see exepath.h). */
#include "exepath.h"

#include <stdlib.h>

#ifdef __APPLE__
#include <mach-o/dyld.h>
#include <stdint.h>
#endif

#include "rpx.h"

char *
rpx_exe_path(void)
{
#ifdef __APPLE__
	uint32_t size = 0;
	char *buf, *real;

	/* the first call only says how large a buffer the path needs */
	_NSGetExecutablePath(NULL, &size);
	buf = xmalloc((size_t)size + 1);
	if (_NSGetExecutablePath(buf, &size) != 0) {
		free(buf);
		return NULL;
	}
	/* the path as the program was started: it may hold links and "./" */
	real = realpath(buf, NULL);
	free(buf);
	return real;
#else
	/* a link the kernel keeps to the binary actually running */
	return realpath("/proc/self/exe", NULL);
#endif
}
