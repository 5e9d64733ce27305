#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# completions.sh - the shell completion scripts: bash's completion function
# driven for real (COMP_WORDS and COMP_CWORD set, COMPREPLY read) for
# commands, options, board ids, targets, profiles and ~/.ssh/config hosts,
# and "cargo rpi"; every command's completed options are exactly what its
# --help lists; zsh -n and fish -n when those shells are installed.
. "$RPX_TOP/tests/lib.sh"

bindir=$(cd "$(dirname "$RPX_BIN")" && pwd)
bash_script="$T_TMP/rpi-cross.bash"
home="$T_TMP/home"
mkdir -p "$home/.ssh" "$home/cfg/rpi-cross"
cat >"$home/.ssh/config" <<'EOF'
Host pi-kitchen pi-garage *.lan
  HostName 10.0.0.5
Host !bad rasp? zero-w
  User pi
Host *
  ServerAliveInterval 30
EOF
cat >"$home/cfg/rpi-cross/profiles.yaml" <<'EOF'
office:
  board: pi4
  host: me@office-pi
garden:
  board: zerow
EOF

# complete WORD...: run the function bash's "complete" registered for
# rpi-cross on the words (the last is the one being completed); COMPREPLY
# in $out, one a line.
complete_bash() {
	PATH="$bindir:$PATH" HOME="$home" XDG_CONFIG_HOME="$home/cfg" \
	bash --norc --noprofile -c '
		. "$1"; shift
		fn=$(complete -p rpi-cross | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		"$fn" rpi-cross "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$bash_script" rpi-cross "$@" </dev/null >"$out" 2>"$err"
	rc=$?
}
# expect_line TEXT: $out has the line TEXT; no_line TEXT: it has not.
expect_line() { grep -qx -- "$1" "$out" || t_fail "no line '$1'"; }
no_line() { ! grep -qx -- "$1" "$out" || t_fail "a line '$1'"; }

t_begin "completions bash prints a script bash -n accepts, registered for rpi-cross"
rpx completions bash; expect_rc 0; expect_empty_err
cp "$out" "$bash_script"
bash -n "$bash_script" 2>"$err" || t_fail "bash -n failed"
expect_out "complete -o bashdefault -o default -F _rpi_cross rpi-cross"
t_end

t_begin "completions: a missing or unknown shell is a usage error"
rpx completions; expect_rc 2; expect_err "which shell? bash, zsh or fish"
rpx completions tcsh; expect_rc 2; expect_err "unknown shell 'tcsh' (known: bash, zsh, fish)"
rpx completions bash zsh; expect_rc 2; expect_err "unexpected argument 'zsh'"
rpx completions --help; expect_rc 0; expect_out "Usage: rpi-cross completions bash|zsh|fish"
rpx help completions; expect_rc 0; expect_out "Usage: rpi-cross completions bash|zsh|fish"
rpx completoins; expect_rc 2; expect_err "Did you mean 'completions'?"
rpx __complete nonsense; expect_rc 2; expect_err "usage: rpi-cross __complete"
rpx --help; expect_out "rpi-cross completions bash|zsh|fish"
t_end

t_begin "zsh -n accepts the zsh script"
rpx completions zsh; expect_rc 0; expect_out "#compdef rpi-cross"
cp "$out" "$T_TMP/_rpi-cross"
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$T_TMP/_rpi-cross" 2>"$err" || t_fail "zsh -n failed"
	t_end
else
	t_skip "zsh is not installed (the script was generated; its syntax is unchecked)"
fi

t_begin "fish -n accepts the fish script"
rpx completions fish; expect_rc 0; expect_out "complete -c rpi-cross -n __fish_use_subcommand -a setup"
expect_out "-l board -x -a '(rpi-cross __complete boards 2>/dev/null)'"
cp "$out" "$T_TMP/rpi-cross.fish"
if command -v fish >/dev/null 2>&1; then
	fish -n "$T_TMP/rpi-cross.fish" 2>"$err" || t_fail "fish -n failed"
	t_end
else
	t_skip "fish is not installed (the script was generated; its syntax is unchecked)"
fi

t_begin "bash: 'rpi-cross ' completes every command of --help"
complete_bash ''; expect_rc 0
for c in setup boards targets linkers cpus detect config run test doctor help completions; do
	expect_line "$c"
done
complete_bash se; expect_line setup; no_line boards
t_end

t_begin "bash: 'rpi-cross setup --' completes setup's options"
complete_bash setup --; expect_rc 0
for o in --board --bits --libc --target --linker --cpu --global --project \
	--default-target --runner --host --profile --save-profile --dry-run --yes \
	--timeout --accept-new-host-key --help --quiet --version; do
	expect_line "$o"
done
no_line --json; no_line --theme
complete_bash setup --dry; expect_line --dry-run; no_line --yes
t_end

t_begin "bash: board ids after --board p (also --board=p), from rpi-cross __complete"
complete_bash setup --board p; expect_rc 0
expect_line pi4; expect_line pi500plus; expect_line pi1a; no_line zero
complete_bash setup --board = p; expect_line pi4; no_line zero2w
complete_bash cpus --target armv7-unknown-linux-gnueabihf --board ze
expect_line zero; expect_line zero2w; no_line pi4
# boards' own argument is a board id too
complete_bash boards zero; expect_line zerow
t_end

t_begin "bash: targets after --target aarch"
complete_bash linkers --target aarch; expect_rc 0
expect_line aarch64-unknown-linux-gnu; expect_line aarch64-unknown-linux-musl
no_line armv7-unknown-linux-gnueabihf
complete_bash --quiet setup --board pi4 --target arm
expect_line arm-unknown-linux-gnueabihf; expect_line armv7-unknown-linux-gnueabihf
no_line aarch64-unknown-linux-gnu
t_end

t_begin "bash: hosts from ~/.ssh/config (no wildcards) and the profiles"
complete_bash test --host ''; expect_rc 0
expect_line pi-kitchen; expect_line pi-garage; expect_line zero-w; expect_line me@office-pi
no_line '*.lan'; no_line 'rasp?'; no_line '!bad'; no_line '*'
complete_bash detect pi-; expect_line pi-kitchen; expect_line pi-garage; no_line zero-w
complete_bash run --host z; expect_line zero-w; no_line pi-kitchen
t_end

t_begin "bash: profile names after --profile, before a command and in setup"
complete_bash --profile ''; expect_line office; expect_line garden
complete_bash setup --profile g; expect_line garden; no_line office
t_end

t_begin "bash: option words (--bits, --libc), config's actions, help's commands"
complete_bash setup --bits ''; expect_line 32; expect_line 64
complete_bash setup --libc m; expect_line musl; no_line gnu
complete_bash config ''; expect_line show; expect_line set; expect_line unset; expect_line check
complete_bash config set --; expect_line --dry-run; expect_line --global
complete_bash help doc; expect_line doctor
complete_bash completions ''; expect_line bash; expect_line zsh; expect_line fish
t_end

# The options come from the tables --help prints: compare, command by
# command, what bash offers after "-" with the options --help lists (so
# an option added to a table is completed with no change to the script
# generator).
help_opts() {
	sed -nE 's/^  (-([A-Za-z]), |    )--([a-z][a-z-]*).*/-\2 --\3/p' "$out" |
		tr ' ' '\n' | sed '/^-\{0,1\}$/d' | sort
}
t_begin "bash completes each command's options exactly as its --help lists them"
rpx --help; help_opts >"$T_TMP/want"
complete_bash -; sort "$out" >"$T_TMP/got"
cmp -s "$T_TMP/want" "$T_TMP/got" || t_fail "before the command: --help has $(tr '\n' ' ' <"$T_TMP/want"), bash offers $(tr '\n' ' ' <"$T_TMP/got")"
rpx --help
cmds=$(sed -n 's/^  \([a-z]*\) .*/\1/p' "$out")
[ -n "$cmds" ] || t_fail "no commands in --help"
for c in $cmds completions; do
	rpx "$c" --help; help_opts >"$T_TMP/want"
	[ -s "$T_TMP/want" ] || t_fail "$c --help lists no options"
	complete_bash "$c" -; sort "$out" >"$T_TMP/got"
	cmp -s "$T_TMP/want" "$T_TMP/got" ||
		t_fail "$c: --help has $(tr '\n' ' ' <"$T_TMP/want"), bash offers $(tr '\n' ' ' <"$T_TMP/got")"
done
t_end

t_begin "__complete boards and targets list what boards and targets know"
rpx boards --json
ids=$(python3 -c 'import json,sys; print("\n".join(b["id"] for b in json.load(open(sys.argv[1]))["boards"]))' "$out" 2>/dev/null)
rpx __complete boards; expect_rc 0
if [ -z "$ids" ] || [ "$(cat "$out")" != "$ids" ]; then
	t_fail "__complete boards differs from boards --json's ids"
fi
rpx __complete targets; expect_rc 0
expect_line armv7-unknown-linux-gnueabihf; expect_line aarch64-unknown-linux-musl
t_end

# cargo rpi: the script wraps cargo's completion; "cargo rpi ..." words are
# ours, anything else goes to the completion cargo had before.
complete_cargo() {
	PATH="$bindir:$PATH" HOME="$home" XDG_CONFIG_HOME="$home/cfg" \
	bash --norc --noprofile -c '
		_cargo_before() { COMPREPLY=(cargo-own-"$2"); }
		complete -F _cargo_before cargo
		. "$1"; shift
		fn=$(complete -p cargo | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		"$fn" cargo "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$bash_script" cargo "$@" </dev/null >"$out" 2>"$err"
	rc=$?
}
t_begin "bash: 'cargo rpi' completes as rpi-cross; other cargo words reach cargo's completion"
complete_cargo rpi ''; expect_rc 0; expect_line setup; expect_line doctor
complete_cargo rpi setup --bo; expect_line --board
complete_cargo rpi cpus --board pi5; expect_line pi5; expect_line pi500plus
complete_cargo bu; expect_line cargo-own-bu; no_line setup
t_end

t_done
