#!/bin/sh
# linkers.sh - how long `rpi-cross linkers` takes for a target with every
# candidate installed, against the slowest single probe run on its own.
# The candidates are probed in parallel, so the whole scan should stay close
# to its slowest probe (target: at most 1.5x).
#
# Uses Debian's rustc with the armv7 std when present (rustc probes), else
# the C probes. Needs hyperfine and python3.
set -u
T=armv7-unknown-linux-gnueabihf
RUNS=${BENCH_RUNS:-5}
command -v hyperfine >/dev/null 2>&1 || { echo "hyperfine not installed: skipped"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "python3 not installed: skipped"; exit 0; }
if [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/$T/lib ]; then
	export RUSTC=/usr/bin/rustc
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
for c in d["candidates"]:
    p, k = c["path"], c["kind"]
    if c["probe"] == "rustc":
        cmd = [rustc, "--target", t, "-C", "linker=" + p] + c["cargo"]["rustflags"] + \
              ["-C", "strip=debuginfo", "-C", "codegen-units=1", "--crate-name", "probe",
               tmp + "/hello.rs", "-o", tmp + "/out-rs"]
    elif k == "gcc":
        cmd = [p, tmp + "/hello.c", "-o", tmp + "/out-c"]
    elif k == "clang":
        cmd = [p, "--target=armv7-linux-gnueabihf", "-fuse-ld=lld", tmp + "/hello.c", "-o", tmp + "/out-c"]
    else:
        continue    # bare linkers need an object first: not a single command
    print(c["name"] + "\t" + c["probe"] + "\t" + " ".join(shlex.quote(a) for a in cmd))
EOF

n=$(wc -l <"$tmp/cmds")
echo "target $T, $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["candidates"]), "candidates, probe:", d["probe"])' "$tmp/scan.json"), $RUNS runs each"
i=0
while IFS="$(printf '\t')" read -r name kind cmd; do
	i=$((i + 1))
	hyperfine -N -i --warmup 1 --runs "$RUNS" --style none \
		--export-json "$tmp/single-$i.json" "$cmd" >/dev/null 2>&1
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("  single probe %-34s %-5s %.3f s ± %.3f" % (sys.argv[2], sys.argv[3], r["mean"], r["stddev"]))' \
		"$tmp/single-$i.json" "$name" "$kind"
done <"$tmp/cmds"

hyperfine -N -i --warmup 1 --runs "$RUNS" --style none \
	--export-json "$tmp/scan-bench.json" "$RPX_BIN linkers --target $T" >/dev/null 2>&1

# The same single probes started together from a shell: the best any
# parallel scan can do on this machine right now (on a busy machine whose
# scheduler shares CPU per session, no better than one after another).
{
	printf '#!/bin/sh\n'
	cut -f3 "$tmp/cmds" | sed 's/$/ >\/dev\/null 2>\&1 \&/'
	printf 'wait\n'
} >"$tmp/together.sh"
hyperfine -N -i --warmup 1 --runs "$RUNS" --style none \
	--export-json "$tmp/together.json" "sh $tmp/together.sh" >/dev/null 2>&1

python3 - "$tmp" "$i" <<'EOF'
import json, sys
tmp, n = sys.argv[1], int(sys.argv[2])
singles = [json.load(open("%s/single-%d.json" % (tmp, k)))["results"][0]["mean"] for k in range(1, n + 1)]
scan = json.load(open(tmp + "/scan-bench.json"))["results"][0]
slow = max(singles) if singles else float("nan")
print("  rpi-cross linkers (whole scan, toolchain discovery included) %.3f s ± %.3f" % (scan["mean"], scan["stddev"]))
print("  slowest single probe %.3f s, sum of single probes %.3f s" % (slow, sum(singles)))
print("  ratio scan / slowest probe: %.2fx (target <= 1.5x)" % (scan["mean"] / slow))
print("  ratio scan / sum of probes: %.2fx (what running them one by one would cost)" % (scan["mean"] / sum(singles)))
tog = json.load(open(tmp + "/together.json"))["results"][0]
print("  the same probes started together from a shell: %.3f s ± %.3f (%.2fx the slowest alone)" % (tog["mean"], tog["stddev"], tog["mean"] / slow))
print("  scan / probes together: %.2fx (rpi-cross's own cost: finding toolchains and candidates, versions, ELF checks)" % (scan["mean"] / tog["mean"]))
try:
    print("  load average now: %s" % open("/proc/loadavg").read().split()[0])
except OSError:
    pass
EOF
