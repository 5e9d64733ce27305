#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""edit_scenarios.py - check build/toml-edit against Python's tomllib.

usage: edit_scenarios.py BUILD_DIR [WRAP...]
Each scenario is a realistic Cargo config plus edits. The edited output
must parse with tomllib (an independent reader) and equal the input's data
with the edits applied in Python; the lines of the input that the edit
removes or changes are counted and must not exceed what the edit needs;
CRLF files must stay CRLF. Prints "ok"/"FAIL" per scenario and a count.
"""
import os
import subprocess
import sys
import tempfile
import tomllib

CARGO = b"""# Cargo configuration for cross builds
# (hand written: keep these comments!)

[build]
target = "armv7-unknown-linux-gnueabihf"   # the Pi 3
jobs = 2

[target.armv7-unknown-linux-gnueabihf]
linker = "arm-linux-gnueabihf-gcc"  # from gcc-arm-linux-gnueabihf
rustflags = [
    "-C", "target-cpu=cortex-a53",  # Pi 3
]

[target.'cfg(target_os = "linux")']
runner = "rpi-cross run"

[alias]
b = "build --release"
"""

DOTTED_TOP = b"""# dotted style at the top level
build.target = "aarch64-unknown-linux-gnu"
target.aarch64-unknown-linux-gnu.linker = "aarch64-linux-gnu-gcc"

[net]
retry = 3
"""

DOTTED_IN_TARGET = b"""[target]
armv7-unknown-linux-musleabihf.linker = "rust-lld"
armv7-unknown-linux-musleabihf.runner = "qemu-arm"
"""

INLINE = b"""[target]
aarch64-unknown-linux-gnu = { linker = "aarch64-linux-gnu-gcc", runner = "x" }
armv7-unknown-linux-gnueabihf = {}
"""

CRLF = CARGO.replace(b"\n", b"\r\n")

INDENTED = b"""[build]
    target = "x"

[target.a]
    linker = "cc"
"""

QUOTED = b"""["target"."armv7-unknown-linux-gnueabihf"]
"linker" = "gcc"
"""

NO_NL = b"[build]\ntarget = \"x\""

BOM = b"\xef\xbb\xbf# bom\n[build]\ntarget = \"x\"\n"

EMPTY = b""

COMMENTS_ONLY = b"# nothing yet\n"

AOT = b"""[[profile.list]]
name = "a"

[[profile.list]]
name = "b"
"""

T = "target.armv7-unknown-linux-gnueabihf"
A64 = "target.aarch64-unknown-linux-gnu"
MUSL = "target.armv7-unknown-linux-musleabihf"

# (name, input, [(op, key segments, value toml)], max changed input lines, prune)
SCENARIOS = [
    ("replace a value, keep its comment", CARGO,
     [("set", ["build", "target"], '"aarch64-unknown-linux-gnu"')], 1, False),
    ("replace a multi-line array", CARGO,
     [("set", T.split(".") + ["rustflags"], '["-C", "target-cpu=cortex-a72"]')], 3, False),
    ("add a key to an existing [target.X]", CARGO,
     [("set", T.split(".") + ["runner"], '"rpi-cross run"')], 0, False),
    ("add a new [target.Y] table", CARGO,
     [("set", A64.split(".") + ["linker"], '"aarch64-linux-gnu-gcc"')], 0, False),
    ("cfg() table gets a key", CARGO,
     [("set", ["target", 'cfg(target_os = "linux")', "rustflags"], '["-C", "target-cpu=cortex-a72"]')], 0, False),
    ("new cfg() table", CARGO,
     [("set", ["target", "cfg(unix)", "runner"], '"ssh-run"')], 0, False),
    ("several edits at once", CARGO,
     [("set", ["build", "target"], '"aarch64-unknown-linux-gnu"'),
      ("set", A64.split(".") + ["linker"], '"aarch64-linux-gnu-gcc"'),
      ("set", A64.split(".") + ["rustflags"], '["-C", "target-cpu=cortex-a72"]'),
      ("unset", ["alias", "b"], None)], 2, False),
    ("unset a key and its comment", CARGO,
     [("unset", T.split(".") + ["linker"], None)], 1, False),
    ("unset a whole [target.X] table", CARGO,
     [("unset", T.split("."), None)], 6, True),
    ("CRLF file stays CRLF", CRLF,
     [("set", A64.split(".") + ["linker"], '"aarch64-linux-gnu-gcc"'),
      ("set", T.split(".") + ["runner"], '"r"'),
      ("set", ["build", "jobs"], "4")], 1, False),
    ("dotted keys at top level reused", DOTTED_TOP,
     [("set", A64.split(".") + ["runner"], '"qemu-aarch64"')], 0, False),
    ("dotted keys: new target in dotted form", DOTTED_TOP,
     [("set", T.split(".") + ["linker"], '"arm-linux-gnueabihf-gcc"')], 0, False),
    ("dotted keys: replace", DOTTED_TOP,
     [("set", A64.split(".") + ["linker"], '"clang"')], 1, False),
    ("dotted keys inside [target]", DOTTED_IN_TARGET,
     [("set", MUSL.split(".") + ["rustflags"], '["-C", "target-feature=+crt-static"]')], 0, False),
    ("dotted keys inside [target]: unset", DOTTED_IN_TARGET,
     [("unset", MUSL.split(".") + ["runner"], None)], 1, False),
    ("inline table gets a key", INLINE,
     [("set", A64.split(".") + ["rustflags"], '["-C", "target-cpu=cortex-a76"]')], 1, False),
    ("empty inline table gets a key", INLINE,
     [("set", T.split(".") + ["linker"], '"arm-linux-gnueabihf-gcc"')], 1, False),
    ("inline table: replace and unset", INLINE,
     [("set", A64.split(".") + ["linker"], '"clang"'),
      ("unset", A64.split(".") + ["runner"], None)], 1, False),
    ("indentation of the file kept", INDENTED,
     [("set", ["target", "a", "runner"], '"r"'),
      ("set", ["target", "b", "linker"], '"cc2"')], 0, False),
    ("quoted keys reused", QUOTED,
     [("set", T.split(".") + ["runner"], '"r"')], 0, False),
    ("no final newline", NO_NL,
     [("set", ["build", "jobs"], "8"),
      ("set", T.split(".") + ["linker"], '"gcc"')], 1, False),
    ("BOM kept", BOM,
     [("set", ["build", "target"], '"y"'),
      ("set", ["term", "verbose"], "true")], 1, False),
    ("empty file", EMPTY,
     [("set", T.split(".") + ["linker"], '"gcc"'),
      ("set", ["build", "target"], '"t"')], 0, False),
    ("comments-only file", COMMENTS_ONLY,
     [("set", ["build", "target"], '"t"')], 0, False),
    ("array of tables: key into the last one", AOT,
     [("set", ["profile", "list", "opt"], "3")], 0, False),
    ("top-level key into a file of tables", CARGO,
     [("set", ["paths"], '["../x"]')], 0, False),
    ("special characters in keys", CARGO,
     [("set", ["env", "KEY WITH SPACE"], '"v"'),
      ("set", ["env", "quote'and\"dq"], '"w"')], 0, False),
]


def apply(data, op, segs, val):
    if op == "set":
        d = data
        for s in segs[:-1]:
            if isinstance(d.get(s), list):
                d = d[s][-1]
            else:
                d = d.setdefault(s, {})
        d[segs[-1]] = tomllib.loads("v = " + val)["v"]
    else:
        d = data
        for s in segs[:-1]:
            d = d[s][-1] if isinstance(d[s], list) else d[s]
        del d[segs[-1]]


def prune(d):
    if isinstance(d, dict):
        out = {}
        for k, v in d.items():
            v = prune(v)
            if v != {}:
                out[k] = v
        return out
    return d


def key_arg(segs):
    out = []
    for s in segs:
        if s and all(c.isalnum() or c in "_-" for c in s) and s.isascii():
            out.append(s)
        else:
            out.append('"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return ".".join(out)


def changed_lines(old, new):
    """Lines of old that do not appear, in order, in new."""
    import difflib
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    kept = sum(m.size for m in sm.get_matching_blocks())
    return len(a) - kept


def main():
    build = sys.argv[1]
    wrap = sys.argv[2:]
    tool = wrap + [os.path.join(build, "toml-edit")]
    passed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, text, ops, max_changed, do_prune in SCENARIOS:
            path = os.path.join(tmp, "config.toml")
            with open(path, "wb") as f:
                f.write(text)
            args = []
            for op, segs, val in ops:
                args += [op, key_arg(segs)] + ([val] if val is not None else [])
            p = subprocess.run(tool + [path] + args, capture_output=True)
            why = None
            if p.returncode != 0:
                why = "toml-edit failed: " + p.stderr.decode(errors="replace")
            else:
                out = p.stdout
                exp = tomllib.loads(text.decode("utf-8-sig"))
                for op, segs, val in ops:
                    apply(exp, op, segs, val)
                try:
                    got = tomllib.loads(out.decode("utf-8-sig"))
                except Exception as e:  # tomllib rejects: our output is bad
                    got, why = None, "tomllib rejects the output: %s" % e
                if why is None:
                    if do_prune:
                        exp, got = prune(exp), prune(got)
                    if exp != got:
                        why = "data differs:\n  expected %r\n  got      %r" % (exp, got)
                if why is None:
                    n = changed_lines(text.decode("utf-8"), out.decode("utf-8"))
                    if n > max_changed:
                        why = "%d input lines changed (at most %d expected)" % (n, max_changed)
                if why is None and b"\r\n" in text:
                    if out.replace(b"\r\n", b"").count(b"\n") != 0:
                        why = "a bare LF in a CRLF file"
                if why is None and text.startswith(b"\xef\xbb\xbf") and not out.startswith(b"\xef\xbb\xbf"):
                    why = "BOM lost"
                if why is not None:
                    why += "\n--- output:\n" + out.decode(errors="replace")
            if why is None:
                passed += 1
                print("ok - %s" % name)
            else:
                print("FAIL - %s: %s" % (name, why))
    print("edits: %d/%d passed" % (passed, len(SCENARIOS)))
    return 0 if passed == len(SCENARIOS) else 1


if __name__ == "__main__":
    sys.exit(main())
