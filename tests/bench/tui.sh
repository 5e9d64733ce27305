#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# tui.sh - the wizard's start-up time to its first drawn screen, and the
# peak memory of a whole walk. Figures only (targets: first screen under
# 50 ms, under 10 MB); nothing here fails on a number.
#
# The wizard needs a terminal. RPI_CROSS_UI_EXIT=first-frame makes it end
# right after its first doupdate(), so exec-to-exit time holds start-up,
# the first screen, endwin() and joining the toolchain thread. That join
# waits for `rustc --version` and `rustc --print sysroot` (a rustup proxy
# takes hundreds of ms), so the figure that answers "how soon is the first
# screen up" is the one with RUSTC pointing nowhere; the other shows what
# the toolchain search costs in the background.
#
# With hyperfine and util-linux script(1): script gives each run a pty
# (80x24 from terminfo) and `script -c true` is the baseline to subtract.
# Otherwise: a timing loop in a tmux pane.
set -u
: "${RPX_BIN:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpx-bench.XXXXXX")
sock="rpxbench-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM
runs=${RPX_BENCH_RUNS:-30}
export LANG=C.UTF-8

# wait_file FILE: until it exists (at most 60 s).
wait_file() {
	n=0
	while [ ! -e "$1" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done
}

if command -v hyperfine >/dev/null 2>&1 &&
   script -qec true /dev/null </dev/null >/dev/null 2>&1; then
	echo "first screen: hyperfine, each run in a pty made by script(1)"
	RPI_CROSS_UI_EXIT=first-frame TERM=xterm-256color \
	hyperfine -N --warmup 3 --runs "$runs" --style basic \
		-n "wizard to first screen (RUSTC=/nonexistent)" \
		"env RUSTC=/nonexistent script -qec $RPX_BIN /dev/null" \
		-n "wizard with the real toolchain search" \
		"script -qec $RPX_BIN /dev/null" \
		-n "baseline: script -c true" \
		"script -qec true /dev/null" 2>&1 | grep -E "Time|±|^Benchmark"
elif command -v tmux >/dev/null 2>&1 && case $(date +%N) in *N*|"") false ;; esac; then
	echo "first screen: timing loop in a tmux pane (no hyperfine or script)"
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
	stats() {	# stats FILE LABEL: median and min in ms
		sort -n "$1" | awk -v label="$2" '
			{ v[NR] = $1 }
			END {
				med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
				printf "%-44s median %6.1f ms  min %6.1f ms  (%d runs)\n",
					label, med / 1e6, v[1] / 1e6, NR
			}'
	}
	for v in none real base; do
		case $v in
		none) cmd="env RPI_CROSS_UI_EXIT=first-frame RUSTC=/nonexistent $RPX_BIN" ;;
		real) cmd="env RPI_CROSS_UI_EXIT=first-frame $RPX_BIN" ;;
		base) cmd="true" ;;
		esac
		# shellcheck disable=SC2086
		tm new-session -d -s "b$v" -x 100 -y 30 env TERM=screen \
			sh "$tmp/loop.sh" "$tmp/$v" "$runs" $cmd
		wait_file "$tmp/$v"
	done
	stats "$tmp/none" "wizard to first screen (RUSTC=/nonexistent)"
	stats "$tmp/real" "wizard with the real toolchain search"
	stats "$tmp/base" "baseline: true(1) in the same loop"
else
	echo "first screen: needs hyperfine + script(1), or tmux + GNU date: skipped"
fi

# Peak memory: a walk Welcome -> Pi 2 -> linkers probed -> CPU -> config
# written (in a temporary HOME) -> test skipped -> Summary, under time -v.
if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux not installed: peak memory skipped"
elif /usr/bin/time -v true >/dev/null 2>&1; then
	tm new-session -d -s mem -x 100 -y 30 \
		env LANG=C.UTF-8 TERM=screen HOME="$tmp/home" RUSTC=/usr/bin/rustc sh -c \
		"/usr/bin/time -v -o '$tmp/rss' '$RPX_BIN'; touch '$tmp/done'; exec sleep 60"
	step() {	# step TEXT: wait until the screen shows it
		n=0
		until tm capture-pane -p -t mem 2>/dev/null | grep -qF -- "$1"; do
			sleep 0.05; n=$((n + 1))
			[ $n -gt 400 ] && { echo "walk stuck before '$1'"; return 1; }
		done
		return 0
	}
	step "7/7" && tm send-keys -t mem Enter &&
	step "Step 2 of 8" && tm send-keys -t mem -l "bcm2836" &&
	step "1 of 25 models" && tm send-keys -t mem Enter &&
	step "Step 3 of 8" && tm send-keys -t mem Enter &&
	step "linkers work for" && tm send-keys -t mem Enter &&
	step "Step 5 of 8" && tm send-keys -t mem Enter &&
	step "Step 6 of 8" && tm send-keys -t mem Enter &&
	step "The changes to" && tm send-keys -t mem Enter &&
	step "Skip the test" && tm send-keys -t mem End Enter &&
	step "Step 8 of 8" && tm send-keys -t mem '?' &&
	step "Keys everywhere" && tm send-keys -t mem Escape &&
	step "Enter Finish" && {
		# the wizard's own peak so far (Linux): VmHWM of its process,
		# the child of time(1), the child of the pane's shell
		pane=$(tm display-message -p -t mem '#{pane_pid}')
		timer=$(pgrep -P "$pane" | head -n 1)
		wiz=$(pgrep -P "${timer:-0}" | head -n 1)
		hwm=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/${wiz:-0}/status" 2>/dev/null)
		tm send-keys -t mem Enter
	} && wait_file "$tmp/done"
	kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/rss")
	mb() { awk -v k="${1:-0}" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
	echo "peak memory of a whole walk, the wizard alone  ${hwm:-?} (VmHWM) = $(mb "${hwm%% *}")"
	echo "the same with its rustc children (time -v)     ${kb:-?} kB = $(mb "$kb")"
	echo "  (time -v reports the largest of the process and its waited-for children: rustc)"
else
	echo "GNU /usr/bin/time not available: peak memory skipped"
fi
