#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# config.sh - `rpi-cross config` end to end on real files: show, set,
# unset, check; comments and CRLF kept byte for byte; read-only file and
# folder; a full disk (tmpfs, root only); binary, empty and 10 MB files;
# a change on disk between reading and writing; kill -9 while writing.
. "$RPX_TOP/tests/lib.sh"

mnts=
unmount_all() { for m in $mnts; do umount "$m" 2>/dev/null; done; }
t_on_exit unmount_all

root=$T_TMP/w
mkdir -p "$root/home" "$root/proj/sub"
root=$(cd "$root" && pwd -P)
H=$root/home
CH=$H/.cargo
G=$CH/config.toml
export HOME="$H" CARGO_HOME="$CH"
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_TARGET
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3

# same FILE1 FILE2: byte-identical
same() { cmp -s "$1" "$2" || t_fail "'$1' and '$2' differ"; }
# toml_ok FILE: Python's tomllib reads it
toml_ok() {
	"$py" -c 'import sys, tomllib; tomllib.load(open(sys.argv[1], "rb"))' "$1" \
		2>>"$err" || t_fail "'$1' is not valid TOML for tomllib"
}

t_begin "set writes a new global config after a diff, 0600, no backup"
rpx config set --yes 'target.aarch64-unknown-linux-gnu.linker=aarch64-linux-gnu-gcc' \
	'build.target="aarch64-unknown-linux-gnu"'
expect_rc 0 && expect_out "+++ b/${G#/}" && expect_out '@@ -0,0 +1,5 @@' &&
	expect_out "wrote '$G' (new file)"
printf '[target.aarch64-unknown-linux-gnu]\nlinker = "aarch64-linux-gnu-gcc"\n\n[build]\ntarget = "aarch64-unknown-linux-gnu"\n' >"$T_TMP/want"
same "$G" "$T_TMP/want"
[ "$(stat -c %a "$G" 2>/dev/null || stat -f %Lp "$G")" = 600 ] || t_fail "mode is not 600"
[ ! -e "$G.bak" ] || t_fail "backup of a file that did not exist"
t_end

t_begin "set takes TOML values as such, anything else as a string"
rpx config set --yes 'target.aarch64-unknown-linux-gnu.rustflags=["-C", "target-cpu=cortex-a72"]' \
	build.jobs=4 build.incremental=true 'target.aarch64-unknown-linux-gnu.runner=rpi-cross run'
expect_rc 0 && expect_out '+rustflags = ["-C", "target-cpu=cortex-a72"]' &&
	expect_out '+jobs = 4' && expect_out '+incremental = true' &&
	expect_out '+runner = "rpi-cross run"'
same "$G.bak" "$T_TMP/want"
toml_ok "$G"
t_end

t_begin "show lists files, values with file:line, env overrides and the rustflags note"
printf '[build]\nrustflags = ["-g"]\n' >"$root/proj/.cargo-tmp"
mkdir -p "$root/proj/.cargo"
mv "$root/proj/.cargo-tmp" "$root/proj/.cargo/config.toml"
printf '[build]\njobs = 1\n' >"$root/proj/.cargo/config"
rpx_env CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=clang -- config show --project "$root/proj/sub"
expect_rc 0 && expect_out "  $root/proj/.cargo/config (legacy name)" &&
	expect_out "  $G (global)" &&
	expect_out "warning: both '$root/proj/.cargo/config' and '$root/proj/.cargo/config.toml' exist: Cargo reads '$root/proj/.cargo/config'" &&
	expect_out "build.target = \"aarch64-unknown-linux-gnu\"    # $G:7" &&
	expect_out 'linker = "clang"    # env CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER' &&
	expect_out "rustflags = [\"-C\", \"target-cpu=cortex-a72\"]    # $G:3" &&
	expect_no_out '"-g"'
t_end

t_begin "show --json has stable fields"
rm "$root/proj/.cargo/config"
rpx_env CARGO_BUILD_TARGET=armv7-unknown-linux-gnueabihf -- config show --project "$root/proj" --json
expect_rc 0 &&
	expect_json 'd["ok"] is True and d["warnings"] == []' &&
	expect_json '[f["global"] for f in d["files"]] == [False, True]' &&
	expect_json 'd["files"][0]["path"].endswith("/proj/.cargo/config.toml") and d["files"][0]["error"] is None' &&
	expect_json '{v["key"]: v["origin"] for v in d["values"]}["build.target"] == "env CARGO_BUILD_TARGET"' &&
	expect_json 'any(v["key"] == "build.rustflags" and v["value"] == "[\"-g\"]" and "ignored" in v["note"] for v in d["values"])' &&
	expect_json 'set(d["values"][0]) == {"key", "value", "origin", "note"}'
t_end

t_begin "show --file reads one file; a broken one is reported with file:line:col, exit 1"
printf 'a = 1\n[x\n' >"$T_TMP/broken.toml"
rpx config show --file "$T_TMP/broken.toml"
expect_rc 1 && expect_out "error: $T_TMP/broken.toml:2:" && expect_err "cannot be read or parsed"
t_end

t_begin "unset removes a key with a diff; an absent key is an error, nothing written"
cp "$G" "$T_TMP/before"
rpx config unset --yes build.incremental
expect_rc 0 && expect_out '-incremental = true'
grep -q incremental "$G" && t_fail "key still there"
cp "$G" "$T_TMP/before"
rpx config unset --yes build.nothing
expect_rc 1 && expect_err "key 'build.nothing' is not set in '$G'"
same "$G" "$T_TMP/before"
t_end

t_begin "--dry-run prints the diff and writes nothing; no terminal and no --yes refuses"
cp "$G" "$T_TMP/before"
rpx config set --dry-run build.jobs=8
expect_rc 0 && expect_out '-jobs = 4' && expect_out '+jobs = 8'
same "$G" "$T_TMP/before"
rpx config set build.jobs=8
expect_rc 1 && expect_err "run again with --yes" && expect_out '+jobs = 8'
same "$G" "$T_TMP/before"
rpx config set --yes build.jobs=4
expect_rc 0 && expect_out "already as asked"
t_end

t_begin "at a terminal without --yes it asks once: y writes, n does not"
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1 </dev/null; then
	f=$T_TMP/ask.toml
	printf 'a = 1\n' >"$f"
	for ans in n y; do
		(sleep 1; printf '%s\n' "$ans") | script -qec \
			"$RPX_WRAP '$RPX_BIN' config set --file '$f' a=2" /dev/null >"$out" 2>&1
		rc=$?
		expect_out "Write these changes to '$f'? [y/N]"
		if [ "$ans" = n ]; then
			expect_rc 1 && expect_out "not confirmed"
			[ "$(cat "$f")" = "a = 1" ] || t_fail "written after 'n'"
		else
			expect_rc 0
			[ "$(cat "$f")" = "a = 2" ] || t_fail "not written after 'y'"
		fi
	done
	t_end
else
	t_skip "no util-linux script(1) to provide a terminal"
fi

t_begin "--project creates .cargo/config.toml; --file edits that file"
rpx config set --project "$root/proj/sub" --yes build.target=x
expect_rc 0
printf '[build]\ntarget = "x"\n' >"$T_TMP/want"
same "$root/proj/sub/.cargo/config.toml" "$T_TMP/want"
rpx config set --file "$T_TMP/f.toml" --yes a.b=1
expect_rc 0
printf '[a]\nb = 1\n' >"$T_TMP/want"
same "$T_TMP/f.toml" "$T_TMP/want"
t_end

t_begin "with both config and config.toml, set edits config (what Cargo reads) and warns"
mkdir -p "$root/both/.cargo"
printf 'a = 1\n' >"$root/both/.cargo/config"; printf 'b = 1\n' >"$root/both/.cargo/config.toml"
rpx config set --project "$root/both" --yes a=2
expect_rc 0 && expect_err "both '$root/both/.cargo/config' and '$root/both/.cargo/config.toml' exist"
[ "$(cat "$root/both/.cargo/config")" = "a = 2" ] || t_fail "config not edited"
[ "$(cat "$root/both/.cargo/config.toml")" = "b = 1" ] || t_fail "config.toml touched"
[ -f "$root/both/.cargo/config.bak" ] || t_fail "no backup config.bak"
rpx config show --project "$root/nope"; expect_rc 1; expect_err "cannot use project '$root/nope'"
t_end

t_begin "usage errors exit 2"
rpx config set; expect_rc 2; expect_err "missing KEY=VALUE"
rpx config set foo; expect_rc 2; expect_err "expected KEY=VALUE, got 'foo'"
rpx config set 'a..b=1'; expect_rc 2; expect_err "bad key 'a..b'"
rpx config unset 'x."y'; expect_rc 2; expect_err "bad key"
rpx config set --global --project "$root/proj" a=1; expect_rc 2; expect_err "exclude each other"
rpx config frob; expect_rc 2; expect_err "unknown config action 'frob'"
rpx config show --yes; expect_rc 2; expect_err "does not apply"
rpx config check; expect_rc 2; expect_err "missing FILE"
t_end

t_begin "check: ok, or file:line:col and exit 1"
rpx config check "$G"; expect_rc 0; expect_out "$G: ok"
printf 'a = 1\nb = "x\n' >"$T_TMP/bad.toml"
rpx config check "$T_TMP/bad.toml"; expect_rc 1; expect_err "$T_TMP/bad.toml:2:5: "
rpx config check "$T_TMP/none.toml"; expect_rc 1; expect_err "cannot read '$T_TMP/none.toml'"
t_end

t_begin "comments and CRLF kept: untouched lines identical byte for byte"
f=$T_TMP/crlf.toml
printf '# top comment\r\n[build] # build\r\ntarget = "x"   # the target\r\njobs = 2\r\n\r\n# tail\r\n' >"$f"
rpx config set --file "$f" --yes build.target=aarch64-unknown-linux-gnu
expect_rc 0
sed 3d "$f" >"$T_TMP/new-rest"; sed 3d "$f.bak" >"$T_TMP/old-rest"
same "$T_TMP/new-rest" "$T_TMP/old-rest"
printf 'target = "aarch64-unknown-linux-gnu"   # the target\r\n' >"$T_TMP/want"
sed -n 3p "$f" >"$T_TMP/line3"
same "$T_TMP/line3" "$T_TMP/want"
rpx config set --file "$f" --yes build.jobs=3 'target.armv7-unknown-linux-gnueabihf.linker=cc'
expect_rc 0
grep -c "$(printf '\r')\$" "$f" >"$T_TMP/n"; [ "$(cat "$T_TMP/n")" = "$(wc -l <"$f" | tr -d ' ')" ] ||
	t_fail "a line lost its CRLF"
toml_ok "$f"
t_end

t_begin "mode kept and a symlink written through"
printf 'a = 1\n' >"$T_TMP/real.toml"; chmod 640 "$T_TMP/real.toml"
ln -s "$T_TMP/real.toml" "$T_TMP/link.toml"
rpx config set --file "$T_TMP/link.toml" --yes a=2
expect_rc 0
[ -L "$T_TMP/link.toml" ] || t_fail "the link was replaced"
[ "$(cat "$T_TMP/real.toml")" = "a = 2" ] || t_fail "target not written"
[ "$(stat -c %a "$T_TMP/real.toml" 2>/dev/null || stat -f %Lp "$T_TMP/real.toml")" = 640 ] ||
	t_fail "mode not kept"
t_end

t_begin "read-only file: clear error, file untouched"
printf 'a = 1\n' >"$T_TMP/ro.toml"; chmod 444 "$T_TMP/ro.toml"; cp "$T_TMP/ro.toml" "$T_TMP/before"
rpx config set --file "$T_TMP/ro.toml" --yes a=2
expect_rc 1 && expect_err "cannot write '$T_TMP/ro.toml': the file is read-only"
same "$T_TMP/ro.toml" "$T_TMP/before"
t_end

t_begin "read-only folder: clear error, file untouched, no temporary file left"
d=$T_TMP/rodir
mkdir -p "$d"
if [ "$(id -u)" = 0 ]; then
	if mount -t tmpfs -o size=64k tmpfs "$d" 2>/dev/null; then
		mnts="$mnts $d"
		printf 'a = 1\n' >"$d/config.toml"
		mount -o remount,ro "$d" || t_fail "cannot remount read-only"
		ok=1
	else
		ok=0
	fi
else
	printf 'a = 1\n' >"$d/config.toml"; chmod 555 "$d"; ok=1
fi
if [ "$ok" = 1 ]; then
	rpx config set --file "$d/config.toml" --yes a=2
	expect_rc 1
	grep -qE "is read-only|is not writable" "$err" || t_fail "no clear reason"
	[ "$(cat "$d/config.toml")" = "a = 1" ] || t_fail "file changed"
	[ "$(ls -A "$d")" = config.toml ] || t_fail "left: $(ls -A "$d")"
	t_end
else
	t_skip "cannot mount a tmpfs (needed as root to get a read-only folder)"
fi

t_begin "full disk: error, original intact, no temporary file left"
d=$T_TMP/full
mkdir -p "$d"
if [ "$(id -u)" != 0 ]; then
	t_skip "needs root to mount a small tmpfs"
elif ! mount -t tmpfs -o size=64k tmpfs "$d" 2>/dev/null; then
	t_skip "cannot mount a tmpfs here"
else
	mnts="$mnts $d"
	"$py" -c 'print("\n".join("k%d = %d" % (i, i) for i in range(2000)))' >"$d/config.toml"
	cp "$d/config.toml" "$T_TMP/before"
	dd if=/dev/zero of="$d/fill" bs=1k count=1000 2>/dev/null
	rpx config set --file "$d/config.toml" --yes k5=55
	expect_rc 1 && expect_err "No space left on device"
	same "$d/config.toml" "$T_TMP/before"
	# room for the backup only: the main write fails instead
	rm -f "$d/fill"
	sz=$(wc -c <"$d/config.toml")
	dd if=/dev/zero of="$d/fill" bs=1k count=1000 2>/dev/null
	rm -f "$d/fill"
	avail=$(df -k "$d" | awk 'NR==2 {print $4}')
	dd if=/dev/zero of="$d/fill" bs=1k count=$((avail - (sz + 1023) / 1024 - 4)) 2>/dev/null
	rpx config set --file "$d/config.toml" --yes k5=55
	expect_rc 1
	same "$d/config.toml" "$T_TMP/before"
	ls -A "$d" | grep -q '^\.config\.toml\.' && t_fail "temporary file left: $(ls -A "$d")"
	t_end
fi

t_begin "a binary file is refused with file:line:col and left alone"
printf 'a = 1\n\000\001\002\377\n' >"$T_TMP/bin.toml"; cp "$T_TMP/bin.toml" "$T_TMP/before"
rpx config set --file "$T_TMP/bin.toml" --yes a=2
expect_rc 1 && expect_err "$T_TMP/bin.toml:2:" && expect_err "not valid TOML; nothing written"
same "$T_TMP/bin.toml" "$T_TMP/before"
[ ! -e "$T_TMP/bin.toml.bak" ] || t_fail "backup written"
t_end

t_begin "an empty file gets the key; its backup is empty"
: >"$T_TMP/empty.toml"
rpx config set --file "$T_TMP/empty.toml" --yes build.target=x
expect_rc 0
printf '[build]\ntarget = "x"\n' >"$T_TMP/want"
same "$T_TMP/empty.toml" "$T_TMP/want"
[ -f "$T_TMP/empty.toml.bak" ] && [ ! -s "$T_TMP/empty.toml.bak" ] || t_fail "no empty backup"
t_end

mb=10
[ -n "$RPX_WRAP" ] && mb=1
t_begin "a ${mb} MB file: one key changed, every other byte kept, small diff"
big=$T_TMP/big.toml
"$py" - "$big" "$mb" <<'EOF'
import sys
path, mb = sys.argv[1], int(sys.argv[2])
out, n, size = [], 0, 0
while size < mb * 1024 * 1024:
    s = '[target.t%d] # table %d\nlinker = "cc-%d"\nrustflags = ["-C", "x=%d"]\n\n' % (n, n, n, n)
    out.append(s); size += len(s); n += 1
out.insert(len(out) // 2, '[build]\ntarget = "old"\n\n')
open(path, "w").write("".join(out))
EOF
cp "$big" "$T_TMP/before"
rpx config set --file "$big" --yes build.target=new 'target.t0.linker=cc-zero'
expect_rc 0
[ "$(grep -c '^[-+][^-+]' "$out")" = 4 ] || t_fail "diff is not 2 lines out, 2 in"
grep -v -e '^target = ' -e '^linker = "cc-0"' -e '^linker = "cc-zero"' "$big" >"$T_TMP/a"
grep -v -e '^target = ' -e '^linker = "cc-0"' -e '^linker = "cc-zero"' "$T_TMP/before" >"$T_TMP/b"
same "$T_TMP/a" "$T_TMP/b"
grep -q '^target = "new"$' "$big" || t_fail "new value missing"
t_end

t_begin "a change on disk between reading and writing is refused"
f=$T_TMP/race.toml
printf 'a = 1\n' >"$f"
# shellcheck disable=SC2086
env RPX_TEST_PAUSE_BEFORE_WRITE=3 $RPX_WRAP "$RPX_BIN" config set --file "$f" --yes a=2 \
	</dev/null >"$out" 2>"$err" &
pid=$!
i=0
while ! grep -q '^+a = 2' "$out" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
printf 'a = 9\n' >"$f"
wait $pid; rc=$?
expect_rc 1 && expect_err "'$f' changed on disk since it was read; nothing written"
[ "$(cat "$f")" = "a = 9" ] || t_fail "the other change was lost"
t_end

t_begin "kill -9 at random points while writing: old or new content, never a mix"
f=$T_TMP/kill.toml
"$py" -c 'print("\n".join("[target.t%d]\nlinker = \"cc-%d\"" % (i, i) for i in range(3000)))' >"$f"
printf '[build]\njobs = 0\n' >>"$f"
rounds=40
[ -n "$RPX_WRAP" ] && rounds=10
prev=0 killed=0 wrote=0 stale=0
# Kill within 0..1.2 times one whole run, so sanitizer and valgrind
# builds (slower to start) are also caught in the middle of writing.
span=$("$py" - "$f" $RPX_WRAP "$RPX_BIN" <<'PROBE'
import shutil, subprocess, sys, time
f, cmd = sys.argv[1], sys.argv[2:]
shutil.copy(f, f + ".probe")
t = time.time()
subprocess.run(cmd + ["config", "set", "--file", f + ".probe", "--yes", "build.jobs=1"],
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.4f" % ((time.time() - t) * 1.2))
PROBE
)
rm -f "$f.probe" "$f.probe.bak"
for n in $(seq 1 $rounds); do
	d=$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')
	# shellcheck disable=SC2086
	$RPX_WRAP "$RPX_BIN" config set --file "$f" --yes "build.jobs=$n" \
		</dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v d="$d" -v s="$span" 'BEGIN { printf "%.4f", d * s / 255 }')"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	[ $? = 137 ] && killed=$((killed + 1))
	v=$(sed -n 's/^jobs = //p' "$f")
	if [ "$v" != "$prev" ] && [ "$v" != "$n" ]; then
		t_fail "round $n: jobs = '$v', expected $prev or $n"; break
	fi
	[ "$(grep -c '^linker = ' "$f")" = 3000 ] || { t_fail "round $n: lines lost"; break; }
	rpx config check "$f"; [ "$rc" = 0 ] || { t_fail "round $n: does not parse"; break; }
	[ "$v" = "$n" ] && wrote=$((wrote + 1))
	prev=$v
	stale=$((stale + $(cd "$T_TMP" && ls -A | grep -cE '^\.kill\.toml\.(bak\.)?.{6}$')))
done
echo "# $rounds rounds within ${span}s: $killed died of SIGKILL, $wrote left the new content, $stale temporaries seen after a round"
t_end

t_begin "the next write removes what killed writes left behind"
# As a writer killed by SIGKILL leaves them: unlocked, with mkstemp names.
: >"$T_TMP/.kill.toml.k1LLd0" && : >"$T_TMP/.kill.toml.bak.k1LLd1"
rpx config set --file "$f" --yes build.jobs=99
expect_rc 0
left=$(cd "$T_TMP" && ls -A | grep -E '^\.kill\.toml\.(bak\.)?.{6}$')
[ -z "$left" ] || t_fail "temporary files remain: $left"
t_end

t_done
