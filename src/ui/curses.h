/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ui/curses.h - the one place that includes the curses header (htop's
 * ProvideCurses.h habit). Everything else in src/ui/ includes this file;
 * nothing outside src/ui/ includes either.
 *
 * The wide-character API is needed: the Makefile defines
 * _XOPEN_SOURCE_EXTENDED, and NCURSES_WIDECHAR asks for it explicitly.
 */
#ifndef RPX_UI_CURSES_H
#define RPX_UI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#if defined(__has_include)
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif
#else
#include <curses.h>
#endif

#endif
