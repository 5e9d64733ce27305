/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * selfpath.h - where this very program lives, and how a command line
 * written for another program (Cargo's runner) should name it: the bare
 * name when the name found on PATH is this same file, else its absolute
 * path.
 */
#ifndef RPX_SELFPATH_H
#define RPX_SELFPATH_H

/* The running program's own file, absolute (/proc/self/exe on Linux,
 * _NSGetExecutablePath on macOS); malloc'd, NULL when the system cannot
 * say. */
char *selfpath_exe(void);

enum selfpath_how {
	SELFPATH_ON_PATH,	/* *prog is name: PATH finds this program */
	SELFPATH_ABSOLUTE,	/* *prog is self: PATH finds none or another */
	SELFPATH_UNKNOWN,	/* *prog is name, but self is not known */
};

/*
 * How to name this program (self: its absolute path, NULL when unknown)
 * in a command another program runs with path_env as its PATH: name when
 * the file PATH finds for it is self (same device and inode), else self.
 * *prog is malloc'd. Touches nothing but stat(2) of the two files.
 */
enum selfpath_how selfpath_runner_prog(const char *name, const char *path_env,
				       const char *self, char **prog);

struct ctx;

/*
 * How a runner line should name this program, decided against this
 * process's PATH and its own file: NULL for the bare name (PATH finds
 * this very file), else its absolute path (malloc'd). When its own file
 * cannot be found, NULL too, and a warning on ctx says what to install
 * or put on PATH.
 */
char *selfpath_runner_for(const struct ctx *ctx, const char *name);

#endif
