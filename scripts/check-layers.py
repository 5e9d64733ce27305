#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""check-layers.py - the house rules of rpi-cross's source tree, checked.

Every file belongs to a room: a folder of src/ (src/ssh/remote.c is in
"ssh"), or, for a public header include/NAME.h, the room of the source
file that implements it (src/*/NAME.c) or the one HEADER_ROOMS names.
A file may use (include a header of, or name a function defined in) its
own room and the rooms ALLOWED lists for it; anything else is a layering
error. The table is the architecture: a lower room never reaches up.

It also fails on a cycle: two or more source files that call into each
other in a loop (a call cycle), or headers that include each other.

  python3 scripts/check-layers.py [--graph]
prints each violation as "file:line: room -> room (what)" and exits 1
when there is one; --graph prints the room-to-room arrows it found.
"""
import os
import re
import sys

# Who may use whom, from the ground up. A room not named on the right of
# another's list is out of its reach; every room may use itself.
ALLOWED = {
    "base": [],
    "toml": ["base"],
    "pi": ["base"],
    "cargo": ["toml", "pi", "base"],
    "ssh": ["pi", "base"],
    "toolchain": ["cargo", "toml", "pi", "base"],
    "plan": ["toolchain", "cargo", "toml", "pi", "base"],
    # a Pi's headers and libraries copied here (sysroot pull/add)
    "sysroot": ["ssh", "toolchain", "cargo", "toml", "pi", "base"],
    "pitest": ["sysroot", "plan", "ssh", "toolchain", "cargo", "toml", "pi",
               "base"],
    "doctor": ["sysroot", "pitest", "plan", "ssh", "toolchain", "cargo",
               "toml", "pi", "base"],
    "wizard": ["sysroot", "doctor", "pitest", "plan", "ssh", "toolchain",
               "cargo", "toml", "pi", "base"],
    # ui/ alone includes curses; its helpers (filter, lineedit, task, ask,
    # theme) are curses-free and unit-tested on their own.
    "ui": ["sysroot", "wizard", "pitest", "plan", "ssh", "toolchain",
           "cargo", "toml", "pi", "base"],
    # a command reaches the wizard only through ui.h's entry point
    "cmd": ["ui-entry", "sysroot", "doctor", "pitest", "plan", "ssh",
            "toolchain", "cargo", "toml", "pi", "base"],
    "main": ["cmd", "base"],
}

# Public headers with no source file of the same name.
HEADER_ROOMS = {
    "rpx.h": "base",
    "cmd.h": "cmd",
    "ui.h": "ui-entry",
    "doctor.h": "doctor",
    "hash.h": "base",
}

# Headers that only a room of the system may include.
SYSTEM_ONLY = {
    "curses.h": "ui", "ncurses.h": "ui", "ncursesw/curses.h": "ui",
}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
DEF_RE = re.compile(r"^([A-Za-z_]\w*)\(")
IDENT_RE = re.compile(r"\b([A-Za-z_]\w*)\b")
TAG_RE = re.compile(r"\b(?:struct|enum|union)\s+$")


def strip_code(text):
    """Comments and string/char literals blanked, newlines kept."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "/" and text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def files(top):
    for base in ("src", "include"):
        for d, _, names in os.walk(os.path.join(top, base)):
            for name in sorted(names):
                if name.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(d, name), top)


def room_of(path, impl):
    parts = path.split(os.sep)
    if parts[0] == "include":
        name = parts[-1]
        if name in HEADER_ROOMS:
            return HEADER_ROOMS[name]
        if name in impl:
            return impl[name]
        return None
    if len(parts) == 2:  # src/main.c
        return "main"
    return parts[1]


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    show_graph = "--graph" in sys.argv[1:]
    paths = list(files(top))
    # include/NAME.h is implemented by src/ROOM/NAME.c
    impl = {}
    for p in paths:
        parts = p.split(os.sep)
        # src/cmd/NAME.c is the command NAME: it implements cmd.h alone
        if parts[0] == "src" and len(parts) == 3 and p.endswith(".c") \
                and parts[1] != "cmd":
            impl[parts[2][:-2] + ".h"] = parts[1]
    rooms = {p: room_of(p, impl) for p in paths}
    errors = []
    for p, r in rooms.items():
        if r is None:
            errors.append(f"{p}: no room: add it to HEADER_ROOMS or give "
                          "it a source file")
    code = {}
    for p in paths:
        with open(os.path.join(top, p), encoding="utf-8",
                  errors="replace") as f:
            code[p] = f.read()
    by_name = {}  # header file name -> path (quoted includes)
    for p in paths:
        if p.endswith(".h"):
            by_name.setdefault(os.path.basename(p), []).append(p)
    # functions with external linkage: "type\nname(" not after "static"
    defs = {}
    for p in paths:
        if not p.endswith(".c"):
            continue
        lines = code[p].split("\n")
        for i, line in enumerate(lines):
            m = DEF_RE.match(line)
            if not m or line.rstrip().endswith(";"):
                continue
            prev = lines[i - 1] if i else ""
            if prev.startswith("static") or prev.startswith("#"):
                continue
            defs.setdefault(m.group(1), p)
    arrows = {}
    uses = {p: set() for p in paths}  # file -> files it calls into

    # the wizard's entry point: what include/ui.h declares
    entry = set(re.findall(r"\b(\w+)\(", strip_code(
        code.get(os.path.join("include", "ui.h"), ""))))

    def check(p, line, target, what, name=None):
        a, b = rooms[p], rooms[target]
        if b == "ui" and name in entry:
            b = "ui-entry"
        if a is None or b is None or a == b:
            return
        arrows.setdefault((a, b), what)
        ok = b in ALLOWED.get(a, []) or (b == "ui-entry" and a == "ui") \
            or (a == "ui-entry" and b in ALLOWED["ui"])
        if not ok:
            errors.append(f"{p}:{line}: {a} -> {b} ({what}): not an "
                          "allowed direction (scripts/check-layers.py)")

    include_edges = {}
    for p in paths:
        own_dir = os.path.dirname(p)
        for ln, line in enumerate(code[p].split("\n"), 1):
            m = INCLUDE_RE.match(line)
            if not m:
                continue
            kind, name = m.groups()
            if kind == "<":
                need = SYSTEM_ONLY.get(name)
                if need and rooms[p] != need:
                    errors.append(f"{p}:{ln}: <{name}> outside src/{need}/")
                continue
            here = os.path.normpath(os.path.join(own_dir, name))
            if here in rooms:
                target = here
            elif os.path.join("include", name) in rooms:
                target = os.path.join("include", name)
            elif os.path.join("src", name) in rooms:
                target = os.path.normpath(os.path.join("src", name))
            else:
                continue  # a test's own file, or generated
            if target.endswith(".c"):
                errors.append(f"{p}:{ln}: includes a source file ({name})")
            check(p, ln, target, f"includes {name}")
            if p.endswith(".h"):
                include_edges.setdefault(p, set()).add(target)
    for p in paths:
        if not p.endswith(".c"):
            continue
        text = strip_code(code[p])
        seen = set()
        for ln, line in enumerate(text.split("\n"), 1):
            if line.startswith("#"):
                continue
            for m in IDENT_RE.finditer(line):
                name = m.group(1)
                target = defs.get(name)
                if not target or target == p or name in seen:
                    continue
                # a tag (struct linker_scan) is a type, not the function
                # of the same name (linker_scan())
                if TAG_RE.search(line, 0, m.start()):
                    continue
                seen.add(name)
                uses[p].add(target)
                check(p, ln, target, f"uses {name}()", name)

    for graph, kind in ((uses, "call"), (include_edges, "include")):
        for cyc in cycles(graph):
            errors.append(f"{kind} cycle: " + " -> ".join(cyc + [cyc[0]]))

    if show_graph:
        for (a, b), what in sorted(arrows.items()):
            print(f"{a} -> {b}  ({what})")
    for e in errors:
        print(e)
    if errors:
        print(f"check-layers: {len(errors)} problem(s)")
        return 1
    print(f"check-layers: {len(paths)} files in {len(set(rooms.values()))} "
          "rooms, every arrow runs down, no cycle")
    return 0


def cycles(graph):
    """Strongly connected components of two or more nodes (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    sys.exit(main())
