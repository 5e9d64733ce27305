#!/bin/sh
# tmuxlib.sh - driving the wizard in tmux, for the tmux suites (sourced
# after tests/lib.sh). The suite defines tm (tmux on its own socket), S
# (the session), RUN (the run folder with rc, stderr and stty.before/
# after), WAIT (seconds to wait for a screen) and uses $out and $err.
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
