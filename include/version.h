/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * version.h - the version of this build of rpi-cross.
 *
 * The Makefile passes it to src/base/version.c alone (see there), so a new
 * commit recompiles one file; everything else asks rpx_version().
 */
#ifndef RPX_VERSION_H
#define RPX_VERSION_H

/* "0.1.0", "0.1.0-g1234abc-dirty", "1.2.0-3-g1234abc": what --version
 * prints after "rpi-cross ". */
const char *rpx_version(void);

#endif
