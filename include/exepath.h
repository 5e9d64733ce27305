/*
 * exepath.h - where the running program's own file is, so that it can
 * find what was installed beside it (../share/rpi-cross) under any PREFIX
 * or DESTDIR, without a path fixed when compiling.
 */
#ifndef RPX_EXEPATH_H
#define RPX_EXEPATH_H

/*
 * The absolute path of the running binary with symbolic links resolved
 * (a link in /usr/local/bin to a tree elsewhere finds that tree's share/),
 * malloc'd, or NULL when the system does not say: /proc/self/exe on
 * Linux, _NSGetExecutablePath() on macOS.
 */
char *rpx_exe_path(void);

#endif
