#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""tty-drive.py TIMEOUT [PATTERN ANSWER]... -- COMMAND [ARGS...]

Run COMMAND on a new pseudo-terminal (so it sees a terminal on stdin and
/dev/tty), answer each PATTERN (a regular expression, in order) with ANSWER
plus a newline as soon as it appears in the output, copy everything the
command prints to stdout, and exit with its exit status (124 on timeout,
after killing it). Used by the SSH test suite to play the person at the
keyboard: host-key questions, passwords.
"""
import os
import pty
import re
import select
import signal
import sys
import time


def main():
    args = sys.argv[1:]
    timeout = float(args.pop(0))
    sep = args.index("--")
    pairs, cmd = args[:sep], args[sep + 1:]
    script = [(re.compile(pairs[i]), pairs[i + 1]) for i in range(0, len(pairs), 2)]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen = b""
    deadline = time.monotonic() + timeout
    status = None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            sys.stdout.buffer.write(b"\n[tty-drive.py: timed out]\n")
            return 124
        r, _, _ = select.select([fd], [], [], min(left, 0.2))
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                break
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            seen += data
            while script and script[0][0].search(seen.decode("utf-8", "replace")):
                os.write(fd, script[0][1].encode() + b"\n")
                script.pop(0)
                seen = b""
    _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return 128 + os.WTERMSIG(status)


sys.exit(main())
