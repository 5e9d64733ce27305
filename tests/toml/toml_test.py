#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""toml_test.py - run toml-test cases against build/toml-decoder.

usage: toml_test.py MODE CORPUS_DIR BUILD_DIR [WRAP...]
  MODE valid      every valid/*.toml decodes to its .json (by value)
  MODE invalid    every invalid/*.toml is rejected with NAME:LINE:COL: msg
  MODE roundtrip  every valid/*.toml comes back byte for byte (toml-edit)
Environment: RPX_TOML_SUBSET=N runs every Nth case only (for valgrind).
Prints one line per failure and "MODE: P/T passed"; exit 1 on failure.
Standard library only.
"""
import datetime
import json
import math
import os
import re
import subprocess
import sys


def cases(corpus, kind):
    with open(os.path.join(corpus, "files"), encoding="utf-8") as f:
        names = [l.strip() for l in f if l.strip().endswith(".toml")]
    names = [n for n in names if n.startswith(kind + "/")]
    step = int(os.environ.get("RPX_TOML_SUBSET", "1") or "1")
    return names[::step]


DT_RE = re.compile(
    r"^(?:(\d{4})-(\d{2})-(\d{2}))?[Tt ]?"
    r"(?:(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?"
    r"([Zz]|[+-]\d{2}:\d{2})?$")


def dt_key(s):
    """A comparable value for a date/time string (by value, not spelling)."""
    m = DT_RE.match(s)
    if not m:
        return ("bad", s)
    y, mo, d, h, mi, se, frac, off = m.groups()
    ns = int((frac or "0")[:9].ljust(9, "0"))
    if y and h:
        base = datetime.datetime(int(y), int(mo), int(d), int(h), int(mi),
                                 min(int(se), 59))
        if off:
            mins = 0
            if off not in ("Z", "z"):
                sign = -1 if off[0] == "-" else 1
                mins = sign * (int(off[1:3]) * 60 + int(off[4:6]))
            base -= datetime.timedelta(minutes=mins)
            return ("dt", base, int(se) == 60, ns)
        return ("ldt", base, int(se) == 60, ns)
    if y:
        return ("ld", int(y), int(mo), int(d))
    return ("lt", int(h), int(mi), int(se), ns)


def same(exp, got):
    if isinstance(exp, dict) and set(exp.keys()) == {"type", "value"} \
            and isinstance(exp.get("type"), str) and not isinstance(exp.get("value"), (dict, list)):
        if not (isinstance(got, dict) and got.get("type") == exp["type"]):
            return False
        ev, gv = exp["value"], got.get("value")
        t = exp["type"]
        if t == "float":
            a, b = float(ev), float(gv)
            if math.isnan(a) or math.isnan(b):
                return math.isnan(a) and math.isnan(b)
            return a == b
        if t == "integer":
            return int(ev) == int(gv)
        if t in ("datetime", "datetime-local", "date-local", "time-local"):
            return dt_key(ev) == dt_key(gv)
        return ev == gv
    if isinstance(exp, dict):
        return isinstance(got, dict) and set(exp) == set(got) and \
            all(same(exp[k], got[k]) for k in exp)
    if isinstance(exp, list):
        return isinstance(got, list) and len(exp) == len(got) and \
            all(same(a, b) for a, b in zip(exp, got))
    return exp == got


ERR_RE = re.compile(rb"^[^\n:]+:\d+:\d+: \S")


def main():
    mode, corpus, build = sys.argv[1:4]
    wrap = sys.argv[4:]
    decoder = wrap + [os.path.join(build, "toml-decoder")]
    editor = wrap + [os.path.join(build, "toml-edit")]
    kind = "invalid" if mode == "invalid" else "valid"
    names = cases(corpus, kind)
    passed = 0
    for name in names:
        path = os.path.join(corpus, name)
        with open(path, "rb") as f:
            data = f.read()
        if mode == "roundtrip":
            p = subprocess.run(editor + [path], capture_output=True)
            ok = p.returncode == 0 and p.stdout == data
            why = "output differs" if p.returncode == 0 else p.stderr.decode(errors="replace").strip()
        else:
            p = subprocess.run(decoder + [name], input=data, capture_output=True)
            if mode == "valid":
                why = ""
                if p.returncode != 0:
                    ok, why = False, p.stderr.decode(errors="replace").strip()
                else:
                    with open(path[:-5] + ".json", encoding="utf-8") as f:
                        exp = json.load(f)
                    try:
                        got = json.loads(p.stdout)
                        ok = same(exp, got)
                        why = "value differs: " + p.stdout.decode()[:300]
                    except ValueError as e:
                        ok, why = False, "bad JSON: %s" % e
            else:
                lines = p.stderr.splitlines()
                ok = p.returncode == 1 and len(lines) == 1 and \
                    ERR_RE.match(lines[0]) is not None and \
                    lines[0].startswith(name.encode() + b":")
                why = "exit %d, stderr %r" % (p.returncode, p.stderr[:200])
        if ok:
            passed += 1
        else:
            print("FAIL %s %s: %s" % (mode, name, why))
    print("%s: %d/%d passed" % (mode, passed, len(names)))
    return 0 if passed == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
