#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# toml.sh - the toml engine on a typical 2 KB Cargo config, a generated
# 32 KB one and a generated 1 MB one: parse, edit and write times and peak
# memory, and the same edit done by Python's tomlkit (the format-preserving
# reference).
# Prints figures and ratios; asserts nothing.
set -u
: "${RPX_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RPX_BUILD:=$RPX_TOP/build}"
bench="$RPX_BUILD/toml-bench"
py=/usr/bin/python3
[ -x "$py" ] || py=python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpx-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$py" - "$tmp" <<'PY'
import sys
tmp = sys.argv[1]
head = """# Cargo configuration (generated for the benchmark)
[build]
target = "armv7-unknown-linux-gnueabihf"   # default target
jobs = 4

[target.armv7-unknown-linux-gnueabihf]
linker = "arm-linux-gnueabihf-gcc"
rustflags = ["-C", "target-cpu=cortex-a72"]

[target.aarch64-unknown-linux-gnu]
linker = "aarch64-linux-gnu-gcc"   # from gcc-aarch64-linux-gnu
runner = "rpi-cross run"

[target.'cfg(all(target_arch = "arm", target_os = "linux"))']
runner = "rpi-cross run --host pi.local"

[alias]
b = "build --release"
t = "test --target armv7-unknown-linux-gnueabihf"

[env]
RUST_LOG = { value = "info", force = false }
PKG_CONFIG_ALLOW_CROSS = "1"

[net]
retry = 3
git-fetch-with-cli = true

[term]
verbose = false
color = 'auto'

[profile.release]
lto = "thin"
codegen-units = 1
strip = true
opt-level = 3

# Raspberry Pi Zero / 1: ARMv6, hard float
[target.arm-unknown-linux-gnueabihf]
linker = "arm-linux-gnueabihf-gcc"
rustflags = ["-C", "target-cpu=arm1176jzf-s"]

# Pi 2 and later, static musl builds linked by rust-lld
[target.armv7-unknown-linux-musleabihf]
linker = "rust-lld"
rustflags = [
    "-C", "target-cpu=cortex-a7",
    "-C", "target-feature=+crt-static",
]

[registries.company]
index = "sparse+https://crates.example.com/index/"

[source.crates-io]
replace-with = "vendored-sources"

[source.vendored-sources]
directory = "vendor"

[http]
timeout = 30
multiplexing = true
# proxy = "http://proxy.example.com:3128"   # only in the office

# Pi 5: Cortex-A76; the 64-bit OS wants aarch64
[target.aarch64-unknown-linux-musl]
linker = "rust-lld"
runner = "rpi-cross run --host pi5.local"
rustflags = ["-C", "target-cpu=cortex-a76", "-C", "target-feature=+crt-static"]

[cargo-new]
vcs = "git"

[future-incompat-report]
frequency = 'always'

[install]
root = "/home/pi/.local"   # `cargo install` puts binaries here

[patch.crates-io]
# local fork while upstream reviews the fix
rppal = { path = "../rppal" }
"""
with open(tmp + "/small.toml", "w") as f:
    f.write(head)
parts = [head]
size, i = len(head), 0
while size < 1 << 20:
    block = """
# board {i}: Raspberry Pi 4 Model B Rev 1.{r}, 64-bit OS
[target.armv7-unknown-linux-gnueabihf-board{i}]
linker = "arm-linux-gnueabihf-gcc"   # cross gcc
runner = "rpi-cross run --host pi{i}.local"
rustflags = ["-C", "target-cpu=cortex-a72", "-C", "link-arg=-Wl,--gc-sections"]
env.BOARD_ID = {i}
""".format(i=i, r=i % 5)
    parts.append(block)
    size += len(block)
    i += 1
with open(tmp + "/big.toml", "w") as f:
    f.write("".join(parts))
medium = "".join(parts)[:32 * 1024]
with open(tmp + "/medium.toml", "w") as f:
    f.write(medium[:medium.rfind("\n# board")] + "\n")
PY

cat >"$tmp/tk.py" <<'PY'
import resource, sys, time
import tomlkit
path, runs = sys.argv[1], int(sys.argv[2])
def once():
    with open(path, encoding="utf-8") as f:
        text = f.read()
    t0 = time.perf_counter()
    doc = tomlkit.parse(text)
    t1 = time.perf_counter()
    doc["target"]["armv7-unknown-linux-gnueabihf"]["linker"] = "clang"
    t2 = time.perf_counter()
    out = tomlkit.dumps(doc)
    with open(path + ".out", "w", encoding="utf-8") as f:
        f.write(out)
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2
if runs == 0:
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    once()
    print("rss_before %d KiB" % base)
    print("rss_peak %d KiB" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
else:
    tot = [0.0, 0.0, 0.0]
    for _ in range(runs):
        for k, v in enumerate(once()):
            tot[k] += v
    for k, name in enumerate(("parse", "edit", "write")):
        print("%s %.3f ms" % (name, tot[k] * 1e3 / runs))
    print("total %.3f ms" % (sum(tot) * 1e3 / runs))
PY

val() { sed -n "s/^$1 \([0-9.]*\).*/\1/p" "$2"; }
key='target.armv7-unknown-linux-gnueabihf.linker'
have_tk=0
"$py" -c 'import tomlkit' 2>/dev/null && have_tk=1

# tomlkit slows down much faster than the file grows (here: 5.6 s for
# 32 KB, 37 s for 64 KB), so on the 1 MB file it gets a time limit and the
# ratio printed is a lower bound.
tk_limit=${RPX_TOMLKIT_LIMIT:-60}
for f in small medium big; do
	file="$tmp/$f.toml"
	case $f in
	small) runs=2000; tkruns=50 ;;
	medium) runs=200; tkruns=1 ;;
	big) runs=20; tkruns=1 ;;
	esac
	"$bench" "$file" "$key" '"clang"' "$runs" >"$tmp/c.txt" || exit 1
	"$bench" "$file" "$key" '"clang"' 0 >"$tmp/cm.txt" || exit 1
	size=$(val size "$tmp/c.txt")
	echo "-- $f config: $size bytes (rpi-cross toml, mean of $runs runs)"
	sed 's/^/   /' "$tmp/c.txt" | grep -v size
	b=$(val rss_before "$tmp/cm.txt"); p=$(val rss_peak "$tmp/cm.txt")
	awk -v b="$b" -v p="$p" -v s="$size" 'BEGIN {
		printf "   peak RSS %d KiB (%d KiB before reading): growth %d KiB = %.2fx the file\n",
			p, b, p - b, (p - b) * 1024 / s }'
	if [ $have_tk = 0 ]; then
		echo "   tomlkit not installed for $py: no comparison"
		continue
	fi
	if [ $f = big ]; then
		if ! command -v timeout >/dev/null 2>&1; then
			echo "   tomlkit: no timeout(1) here, not run on the 1 MB file"
			continue
		fi
		if timeout "$tk_limit" "$py" "$tmp/tk.py" "$file" 1 >"$tmp/t.txt"; then
			echo "   tomlkit (1 run):"
			sed 's/^/     /' "$tmp/t.txt"
			awk -v c="$(val total "$tmp/c.txt")" -v t="$(val total "$tmp/t.txt")" 'BEGIN {
				printf "   speed-up over tomlkit (parse+edit+write): %.0fx\n", t / c }'
		else
			awk -v c="$(val total "$tmp/c.txt")" -v l="$tk_limit" 'BEGIN {
				printf "   tomlkit did not finish in %d s: speed-up over tomlkit > %.0fx\n", l, l * 1000 / c }'
		fi
		continue
	fi
	"$py" "$tmp/tk.py" "$file" "$tkruns" >"$tmp/t.txt" || exit 1
	"$py" "$tmp/tk.py" "$file" 0 >"$tmp/tm.txt" || exit 1
	echo "   tomlkit (mean of $tkruns runs):"
	sed 's/^/     /' "$tmp/t.txt"
	tb=$(val rss_before "$tmp/tm.txt"); tp=$(val rss_peak "$tmp/tm.txt")
	awk -v b="$tb" -v p="$tp" -v s="$size" 'BEGIN {
		printf "     peak RSS growth %d KiB = %.2fx the file\n", p - b, (p - b) * 1024 / s }'
	awk -v c="$(val total "$tmp/c.txt")" -v t="$(val total "$tmp/t.txt")" 'BEGIN {
		printf "   speed-up over tomlkit (parse+edit+write): %.0fx\n", t / c }'
done
