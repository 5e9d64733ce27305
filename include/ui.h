/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ui.h - the interactive wizard (ncurses). The only entry point the rest
 * of rpi-cross sees; all curses code stays in src/ui/.
 */
#ifndef RPX_UI_H
#define RPX_UI_H

#include "rpx.h"

/*
 * Run the wizard on the terminal (stdin and stdout must be terminals; the
 * caller checks). The terminal is always given back as it was: on a
 * normal end, on q or Ctrl-C, on SIGTERM or SIGHUP and on a fatal error.
 * Returns the exit status: 0 when the Summary was accepted (the plan is
 * then printed on ctx->out), 1 when the user quit or on error, 128+N
 * after signal N, and 129 (as after SIGHUP) when the terminal went away
 * without a signal (every read failing at once).
 *
 * Environment: RPI_CROSS_THEME (see --theme), NO_COLOR, and for tests and
 * benchmarks RPI_CROSS_UI_EXIT=first-frame (end right after the first
 * screen is drawn) or RPI_CROSS_UI_EXIT=fatal (take the fatal-error path
 * after the first screen).
 */
int ui_wizard_run(struct ctx *ctx);

#endif
