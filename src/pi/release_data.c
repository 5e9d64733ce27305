/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * release_data.c - data/releases.yaml compiled in, so rpi-cross judges
 * files with no data file installed. The Makefile turns the YAML into
 * string lines (releases_yaml.inc); the YAML stays the one source.
 */
#include "release.h"

static const char text[] =
#include "releases_yaml.inc"
	;

const char *
release_builtin_text(size_t *len)
{
	*len = sizeof(text) - 1;
	return text;
}
