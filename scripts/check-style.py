#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""check-style.py - the house style of rpi-cross's C sources, checked.

For every .c and .h file under src/, include/, tests/unit/, tools/ and
fuzz/:
  - the file's first line is its licence, as an SPDX identifier
    (/* SPDX-License-Identifier: MIT OR Apache-2.0 */), then a comment
    saying what the file is for;
  - indentation is tabs: spaces may follow tabs, or stand alone when
    fewer than a tab's 8, to align a continuation under its parenthesis,
    but never 8 spaces in a row nor a space before a tab;
  - no trailing whitespace;
  - no line over 100 columns (tabs counted as 8), unless the line holds
    a string literal or a URL that cannot be broken;
  - a function definition puts its return type on a line of its own, so
    the function's name starts its line ("grep ^name(" finds it).

  python3 scripts/check-style.py [FILE...]
prints each problem as "file:line: what" and exits 1 when there is one.
"""
import os
import re
import sys

DIRS = ["src", "include", "tests/unit", "tools", "fuzz"]
SPDX = "/* SPDX-License-Identifier: MIT OR Apache-2.0 */"
MAX_COLS = 100

# "static int foo(" or "char *foo(" at the start of a line, ending the
# line with "{" or continuing the parameters: a definition whose name
# does not start its line. Declarations (ending in ";") are left alone.
TYPE_AND_NAME = re.compile(
    r"^(?:static\s+|inline\s+|const\s+|unsigned\s+|struct\s+\w+\s*|enum\s+\w+\s*)*"
    r"(?:void|int|long|char|bool|size_t|ssize_t|double|float|short|"
    r"uint\d+_t|int\d+_t|[a-z_]+_t|struct\s+\w+|enum\s+\w+|const\s+\w+|"
    r"unsigned|\w+)(?:\s+\**|\s*\*+\s*)\w+\s*\(")
KEYWORDS = ("return", "if", "while", "for", "switch", "else", "case", "do",
            "sizeof", "goto", "typedef", "#")


def files(args):
    if args:
        return args
    out = []
    for d in DIRS:
        for root, _, names in os.walk(d):
            for n in names:
                if n.endswith((".c", ".h")):
                    out.append(os.path.join(root, n))
    return sorted(out)


def columns(line):
    col = 0
    for ch in line:
        col = (col // 8 + 1) * 8 if ch == "\t" else col + 1
    return col


def definition_line(lines, i):
    """Is lines[i] the start of a function definition with its return
    type on the same line?"""
    line = lines[i]
    if not line or line[0] in " \t#/*}" or line.startswith(KEYWORDS):
        return False
    if not TYPE_AND_NAME.match(line) or "=" in line.split("(")[0]:
        return False
    # the definition's body follows: find the end of the parameter list
    depth = 0
    for j in range(i, min(i + 12, len(lines))):
        for ch in lines[j]:
            depth += ch == "("
            depth -= ch == ")"
        if depth <= 0:
            rest = lines[j].rstrip()
            nxt = lines[j + 1].strip() if j + 1 < len(lines) else ""
            return rest.endswith("{") or (not rest.endswith(";") and nxt == "{")
    return False


def check(path):
    problems = []
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    lines = text.split("\n")
    if lines[0] != SPDX:
        problems.append((1, "the first line is not " + SPDX))
    elif not (lines[1].startswith("/*") or lines[1].startswith("//")):
        problems.append((2, "no opening comment saying what the file is for"))
    in_comment = False
    for n, line in enumerate(lines, 1):
        stripped = line.lstrip(" \t")
        lead = line[: len(line) - len(stripped)]
        if line != line.rstrip():
            problems.append((n, "trailing whitespace"))
        if ("        " in lead or " \t" in lead) and stripped and \
                not in_comment:
            problems.append((n, "indented with spaces, not tabs"))
        if columns(line) > MAX_COLS and '"' not in line and \
                "://" not in line:
            problems.append((n, "longer than %d columns" % MAX_COLS))
        if "/*" in line and "*/" not in line[line.index("/*"):]:
            in_comment = True
        elif in_comment and "*/" in line:
            in_comment = False
        if not in_comment and definition_line(lines, n - 1):
            problems.append((n, "function name not at the start of its "
                                "line (return type on a line of its own)"))
    return problems


def main():
    bad = 0
    for path in files(sys.argv[1:]):
        for n, what in check(path):
            print("%s:%d: %s" % (path, n, what))
            bad += 1
    if bad:
        print("check-style: %d problem(s)" % bad)
        return 1
    print("check-style: %d files, house style kept" % len(files(sys.argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
