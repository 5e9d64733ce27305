#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# tmuxlib.sh - driving the wizard in tmux, for the tmux suites (sourced at
# the top of the suite, after tests/lib.sh).
#
#   tmux_init NAME WAIT WAIT_VALGRIND WAIT_SANITIZED
#                  tmux on its own socket (tm), killed at exit; WAIT, the
#                  seconds a screen may take (longer under valgrind or a
#                  sanitizer); the pane's script $T_TMP/run.sh
#   start WIDTH HEIGHT [VAR=VALUE...] [-- ARGS...]
#                  a new session S running the wizard with ARGS in the run
#                  folder RUN (rc, stderr, stty.before/after), with the
#                  suite's TM_ENV (VAR=VALUE words) and without the
#                  variables named in TM_UNSET (plus NO_COLOR and
#                  RPI_CROSS_THEME); the previous session goes
#   screen, keys, text, wait_for, ... (below), on $out and $err.

tmux_init() {
	SOCK="$1-$$"
	case "${RPX_WRAP:-}${RPX_SANITIZED:-}" in
	"") WAIT=$2 ;;
	*valgrind*) WAIT=$3 ;;
	*) WAIT=$4 ;;
	esac
	t_on_exit 'tm kill-server >/dev/null 2>&1'
	N=0
	RUN=
	S=
	: >"$out"; : >"$err"
	# tmux emulates "screen" (default-terminal with no config file): the
	# wizard gets the same TERM so that its keys decode.
	# The pane runs this: stty before, the wizard, its status, stty after.
	cat >"$T_TMP/run.sh" <<'SH'
#!/bin/sh
d=$1; shift
# Ctrl-C reaches the whole foreground group: this script must outlive it
# (a handler, not an ignore, so the wizard starts with the default)
trap : INT
# and the status must be written even when the terminal goes away
trap : HUP
stty -g >"$d/stty.before"
# shellcheck disable=SC2086
$RPX_WRAP "$RPX_BIN" "$@" 2>"$d/stderr"
echo $? >"$d/rc"
# a terminal that went away: nothing left to show, end here
stty -g >"$d/stty.after" 2>/dev/null || exit 0
echo "WIZARD-ENDED rc=$(cat "$d/rc")"
exec sleep 300
SH
}
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }

start() {
	_w=$1 _h=$2; shift 2
	N=$((N + 1))
	RUN="$T_TMP/run$N"
	mkdir -p "$RUN"
	_env="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen RPX_BIN=$RPX_BIN ${TM_ENV:-}"
	_unset="-u NO_COLOR -u RPI_CROSS_THEME"
	for _v in ${TM_UNSET:-}; do _unset="$_unset -u $_v"; done
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do _env="$_env $1"; shift; done
	[ "${1:-}" = "--" ] && shift
	# the new session first, then the old one goes: the server never
	# empties, so it never exits under a client that is connecting
	# shellcheck disable=SC2086
	tm new-session -d -s "w$N" -x "$_w" -y "$_h" \
		env $_unset $_env RPX_WRAP="${RPX_WRAP:-}" \
		sh "$T_TMP/run.sh" "$RUN" "$@"
	[ $N -gt 1 ] && tm kill-session -t "w$((N - 1))" >/dev/null 2>&1
	S="w$N"
}

screen() { tm capture-pane -p -t "$S"; }
keys() { tm send-keys -t "$S" "$@"; }
text() { tm send-keys -t "$S" -l "$1"; }

# wait_for TEXT: poll the screen until it shows TEXT.
wait_for() {
	_end=$(( $(date +%s) + WAIT ))
	while :; do
		screen >"$out" 2>/dev/null
		grep -qF -- "$1" "$out" && return 0
		[ "$(date +%s)" -ge "$_end" ] && break
		sleep 0.05
	done
	t_fail "the screen never showed '$1'"
}
# wait_gone TEXT: poll until TEXT is no longer shown.
wait_gone() {
	_end=$(( $(date +%s) + WAIT ))
	while :; do
		screen >"$out" 2>/dev/null
		grep -qF -- "$1" "$out" || return 0
		[ "$(date +%s)" -ge "$_end" ] && break
		sleep 0.05
	done
	t_fail "the screen still shows '$1'"
}
# wait_for_re RE: poll the screen until a line matches RE.
wait_for_re() {
	_end=$(( $(date +%s) + WAIT ))
	while :; do
		screen >"$out" 2>/dev/null
		grep -qE -- "$1" "$out" && return 0
		[ "$(date +%s)" -ge "$_end" ] && break
		sleep 0.05
	done
	t_fail "the screen never showed /$1/"
}
# expect_screen TEXT / expect_screen_re RE: the screen shows it, polled
# like wait_for: a slow run (valgrind) draws one screen in several writes.
expect_screen() { wait_for "$1"; }
expect_screen_re() { wait_for_re "$1"; }
expect_no_screen() { screen >"$out"; ! grep -qF -- "$1" "$out" || t_fail "screen shows '$1'"; }
# ended RC: the wizard exited with RC and the terminal is as it was.
ended() {
	wait_for "WIZARD-ENDED" || return 1
	rc=$(cat "$RUN/rc")
	cp "$RUN/stderr" "$err"
	[ "$rc" -eq "$1" ] || t_fail "exit status $rc, expected $1"
	cmp -s "$RUN/stty.before" "$RUN/stty.after" ||
		t_fail "terminal modes changed: $(cat "$RUN/stty.before") -> $(cat "$RUN/stty.after")"
}
