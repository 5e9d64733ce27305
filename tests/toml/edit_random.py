#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""edit_random.py - random documents, random edits, tomllib as the judge.

usage: edit_random.py BUILD_DIR COUNT SEED [WRAP...]
Writes COUNT random Cargo-like documents (header tables, dotted keys,
inline tables, arrays of tables, comments, indentation, CRLF), applies up
to four random edits with build/toml-edit, and checks with tomllib that the
output means the input plus the edits (tables left empty by an unset are
ignored, and not edited again: toml_unset() may remove them). Deterministic for a given SEED. Standard library only.
"""
import os
import random
import subprocess
import sys
import tempfile
import tomllib

NAMES = ["linker", "runner", "rustflags", "target", "jobs", "a", "b-c",
         "x_1", "cfg(unix)", "with space", "dot.ted", "q'uote", "ünï"]


def key(rng, k):
    if all(c.isalnum() and c.isascii() or c in "_-" for c in k):
        return k if rng.random() < 0.8 else '"%s"' % k
    if "'" not in k and rng.random() < 0.5:
        return "'%s'" % k
    return '"%s"' % k.replace('"', '\\"')


def scalar(rng):
    return rng.choice(['"s"', "1", "true", "0x1F", "1.5", "'lit'",
                       '["-C", "x"]', "1979-05-27", '"""m\nl"""', "[]"])


def gen_table(rng, depth):
    t = {}
    for _ in range(rng.randint(0, 4)):
        t[rng.choice(NAMES)] = ("v", scalar(rng))
    if depth < 3:
        for _ in range(rng.randint(0, 3)):
            k = rng.choice(NAMES)
            if rng.random() < 0.12:
                t[k] = ("aot", [gen_table(rng, depth + 1) for _ in range(rng.randint(1, 3))])
            else:
                t[k] = ("t", gen_table(rng, depth + 1), rng.choice(["hdr", "hdr", "dot", "inl"]))
    return t


def inline(rng, t):
    parts = []
    for k, v in t.items():
        if v[0] == "v":
            if "\n" in v[1]:
                continue
            parts.append("%s = %s" % (key(rng, k), v[1]))
        elif v[0] == "t":
            parts.append("%s = %s" % (key(rng, k), inline(rng, v[1])))
    return "{ " + ", ".join(parts) + " }" if parts else "{}"


def drop_multiline(t):
    for k in list(t):
        v = t[k]
        if v[0] == "v" and "\n" in v[1]:
            del t[k]
        elif v[0] == "t":
            drop_multiline(v[1])
        elif v[0] == "aot":
            for e in v[1]:
                drop_multiline(e)


def write(rng, t, path, out, ind):
    """Keys of t in the current section, then its sub-sections."""
    later = []

    def kv(prefix, tt):
        for k, v in list(tt.items()):
            full = prefix + [key(rng, k)]
            if v[0] == "v":
                c = "  # c" if rng.random() < 0.3 else ""
                out.append("%s%s = %s%s" % (ind, ".".join(full), v[1], c))
            elif v[0] == "t" and v[2] == "inl":
                drop_multiline(v[1])
                out.append("%s%s = %s" % (ind, ".".join(full), inline(rng, v[1])))
            elif v[0] == "t" and v[2] == "dot" and prefix == []:
                kv(full, v[1])
            elif v[0] == "t" and v[2] == "dot":
                kv(full, v[1])
            elif prefix == []:
                later.append((k, v))
            else:
                # a header below a dotted table: write it as a section later
                later.append((None, (prefix, k, v)))

    kv([], t)
    for k, v in later:
        if k is None:
            prefix, k2, v2 = v
            sub = path + prefix + [key(rng, k2)]
            emit(rng, v2, sub, out, ind)
        else:
            emit(rng, v, path + [key(rng, k)], out, ind)


def emit(rng, v, sub, out, ind):
    if rng.random() < 0.3:
        out.append("")
    if rng.random() < 0.2:
        out.append("# section %s" % ".".join(sub))
    if v[0] == "aot":
        for e in v[1]:
            out.append("[[%s]]" % ".".join(sub))
            write(rng, e, sub, out, ind)
    else:
        out.append("[%s]" % ".".join(sub))
        write(rng, v[1], sub, out, ind)


def paths(d, pre=()):
    for k, v in d.items():
        yield pre + (k,), v
        if isinstance(v, list) and v and isinstance(v[-1], dict):
            yield from paths(v[-1], pre + (k,))
        elif isinstance(v, dict):
            yield from paths(v, pre + (k,))


def get_parent(d, p):
    for s in p[:-1]:
        d = d[s]
        if isinstance(d, list):
            d = d[-1]
    return d


def prune(d):
    if isinstance(d, dict):
        return {k: prune(v) for k, v in d.items() if prune(v) != {}}
    if isinstance(d, list):
        return [prune(x) for x in d]
    return d


def key_arg(p):
    return ".".join('"%s"' % s.replace("\\", "\\\\").replace('"', '\\"') for s in p)


def main():
    build, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    wrap = sys.argv[4:]
    tool = wrap + [os.path.join(build, "toml-edit")]
    rng = random.Random(seed)
    passed = made = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "config.toml")
        while made < count:
            out = []
            write(rng, gen_table(rng, 0), [], out, rng.choice(["", "", "  "]))
            nl = "\r\n" if rng.random() < 0.2 else "\n"
            text = nl.join(out) + (nl if rng.random() < 0.8 else "")
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                continue    # the generator wrote something invalid: skip
            made += 1
            exp = tomllib.loads(text)
            args, unset = [], False
            for _ in range(rng.randint(1, 4)):
                # after an unset, tables it emptied may be gone (by design)
                ps = list(paths(prune(exp) if unset else exp))
                r = rng.random()
                if ps and r < 0.35:
                    p, v = rng.choice(ps)
                    if isinstance(v, (dict, list)):
                        continue
                    val = scalar(rng)
                    get_parent(exp, p)[p[-1]] = tomllib.loads("v = " + val)["v"]
                    args += ["set", key_arg(p), val]
                elif ps and r < 0.6:
                    p, v = rng.choice(ps)
                    del get_parent(exp, p)[p[-1]]
                    args += ["unset", key_arg(p)]
                    unset = True
                else:
                    tabs = [p for p, v in ps if isinstance(v, dict)]
                    base = rng.choice(tabs) if tabs and rng.random() < 0.7 else ()
                    new = ("new%d" % rng.randint(0, 9),) * rng.randint(1, 2) + ("k",)
                    p = base + new
                    parent = exp
                    ok = True
                    for s in p[:-1]:
                        nxt = parent.setdefault(s, {})
                        if isinstance(nxt, list):
                            nxt = nxt[-1]
                        if not isinstance(nxt, dict):
                            ok = False
                            break
                        parent = nxt
                    if not ok or p[-1] in parent:
                        exp = None
                        break
                    val = scalar(rng)
                    parent[p[-1]] = tomllib.loads("v = " + val)["v"]
                    args += ["set", key_arg(p), val]
            if exp is None or not args:
                made -= 1
                continue
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            res = subprocess.run(tool + [path] + args, capture_output=True)
            why = None
            if res.returncode != 0:
                why = "toml-edit failed: %s" % res.stderr.decode(errors="replace")
            else:
                try:
                    got = tomllib.loads(res.stdout.decode())
                    if unset:
                        exp, got = prune(exp), prune(got)
                    if exp != got:
                        why = "data differs\n  expected %r\n  got      %r" % (exp, got)
                except tomllib.TOMLDecodeError as e:
                    why = "tomllib rejects the output: %s" % e
            if why is None:
                passed += 1
            else:
                print("FAIL case %d: %s\n  edits: %r\n--- input:\n%s--- output:\n%s" % (
                    made, why, args, text, res.stdout.decode(errors="replace")))
    print("random-edits: %d/%d passed (seed %d)" % (passed, count, seed))
    return 0 if passed == count else 1


if __name__ == "__main__":
    sys.exit(main())
