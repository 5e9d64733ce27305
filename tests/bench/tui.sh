#!/bin/sh
# tui.sh - the wizard's start-up time to its first drawn screen, and the
# peak memory of a whole walk. Figures only (targets: first screen under
# 50 ms, under 10 MB); nothing here fails on a number.
#
# The wizard needs a terminal, so both run in a tmux pane.
# RPI_CROSS_UI_EXIT=first-frame makes it end right after its first
# doupdate(); the time measured is exec to exit, so it also holds
# endwin() and joining the toolchain thread (shown both with the real
# toolchain search and with RUSTC pointing nowhere, where that is ~0).
set -u
: "${RPX_BIN:?}"
if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux not installed: skipped"
	exit 0
fi
case $(date +%N) in
*N*|"") echo "date +%N unsupported (not GNU date): skipped"; exit 0 ;;
esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpx-bench.XXXXXX")
sock="rpxbench-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM
runs=${RPX_BENCH_RUNS:-30}

# wait_file FILE: until it exists (at most 120 s).
wait_file() {
	n=0
	while [ ! -s "$1" ] && [ $n -lt 2400 ]; do sleep 0.05; n=$((n + 1)); done
}

cat >"$tmp/loop.sh" <<'SH'
#!/bin/sh
# loop.sh OUT RUNS CMD...: time RUNS runs of CMD in ns, one per line.
out=$1 runs=$2; shift 2
i=0
"$@" >/dev/null 2>&1	# warm-up
while [ $i -lt "$runs" ]; do
	t0=$(date +%s%N); "$@"; t1=$(date +%s%N)
	echo $((t1 - t0)) >>"$out.tmp"
	i=$((i + 1))
done
mv "$out.tmp" "$out"
SH

# stats FILE LABEL: median and min in ms.
stats() {
	sort -n "$1" | awk -v label="$2" '
		{ v[NR] = $1 }
		END {
			med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%-44s median %6.1f ms  min %6.1f ms  (%d runs)\n",
				label, med / 1e6, v[1] / 1e6, NR
		}'
}

first() {	# first LABEL FILE ENV...
	label=$1 file=$2; shift 2
	tm new-session -d -s "b$file" -x 100 -y 30 \
		env LANG=C.UTF-8 TERM=screen RPI_CROSS_UI_EXIT=first-frame "$@" \
		sh "$tmp/loop.sh" "$tmp/$file" "$runs" "$RPX_BIN"
	wait_file "$tmp/$file"
	stats "$tmp/$file" "$label"
}

first "first screen (toolchain search running)" real
first "first screen (RUSTC=/nonexistent)" none RUSTC=/nonexistent
# what the loop itself costs: two date(1) runs and a fork
tm new-session -d -s bbase -x 100 -y 30 sh "$tmp/loop.sh" "$tmp/base" "$runs" true
wait_file "$tmp/base"
stats "$tmp/base" "timing overhead (true(1) in the same loop)"

# Peak memory: a walk Welcome -> Zero W -> ... -> Summary under time -v.
if /usr/bin/time -v true >/dev/null 2>&1; then
	tm new-session -d -s mem -x 100 -y 30 \
		env LANG=C.UTF-8 TERM=screen sh -c \
		"/usr/bin/time -v -o '$tmp/rss' '$RPX_BIN' >/dev/null; touch '$tmp/done'; exec sleep 60"
	step() {	# step TEXT: wait until the screen shows it
		n=0
		until tm capture-pane -p -t mem 2>/dev/null | grep -qF -- "$1"; do
			sleep 0.05; n=$((n + 1))
			[ $n -gt 600 ] && { echo "walk stuck before '$1'"; return 1; }
		done
	}
	step "7/7" && tm send-keys -t mem Enter &&
	step "Step 2 of 8" && tm send-keys -t mem -l "zero w" &&
	step "2 of 24 models" && tm send-keys -t mem Enter &&
	step "Step 3 of 8" && tm send-keys -t mem Enter &&
	step "Step 4 of 8" && tm send-keys -t mem Enter &&
	step "Step 5 of 8" && tm send-keys -t mem Enter &&
	step "Step 6 of 8" && tm send-keys -t mem Enter &&
	step "Step 7 of 8" && tm send-keys -t mem Enter &&
	step "Step 8 of 8" && tm send-keys -t mem '?' &&
	step "Keys everywhere" && tm send-keys -t mem Escape Enter
	wait_file "$tmp/done"
	kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/rss")
	echo "peak memory of a whole walk (max RSS)         ${kb:-?} kB ($(awk -v k="${kb:-0}" 'BEGIN { printf "%.1f", k / 1024 }') MB)"
else
	echo "GNU /usr/bin/time not available: peak memory skipped"
fi
