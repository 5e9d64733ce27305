/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * version.c - the version of this build (see version.h).
 *
 * The Makefile compiles this file alone with -DRPX_VERSION="..." from
 * scripts/version.sh: `git describe` in a checkout, the file VERSION in a
 * release tarball, else the base version below. Keeping the string out
 * of every other object means a new commit rebuilds this one file.
 */
#include "version.h"

/* The release this tree leads to; scripts/version.sh reads this line. */
#define RPX_BASE_VERSION "0.1.0"

#ifndef RPX_VERSION
/* compiled without the Makefile (by hand, or the fuzz build) */
#define RPX_VERSION RPX_BASE_VERSION
#endif

const char *
rpx_version(void)
{
	return RPX_VERSION;
}
