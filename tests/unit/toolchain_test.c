/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toolchain_test.c - the target-cpus parser on real rustc output captured
 * now and on crafted variants; toolchain kinds of the real rustc on this
 * host; std install advice; `rustup target add` failing offline; host OS
 * detection from os-release texts; linker install hints per OS.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostos.h"
#include "linker.h"
#include "proc.h"
#include "rpx.h"
#include "toolchain.h"
#include "testdir.h"

/* rustup's rustc (can list CPUs), or NULL */
static char *
rustup_rustc(void)
{
	const char *home = getenv("HOME");
	char *p;

	if (home == NULL)
		return NULL;
	p = xasprintf("%s/.cargo/bin/rustc", home);
	if (rpx_is_executable(p))
		return p;
	free(p);
	return NULL;
}

static void
test_parse_real_output(void **state)
{
	static const char *triples[] = { "armv7-unknown-linux-gnueabihf",
					 "aarch64-unknown-linux-gnu",
					 "arm-unknown-linux-gnueabihf" };
	char *rustc = rustup_rustc();

	(void)state;
	if (rustc == NULL)
		skip();
	for (size_t k = 0; k < ARRAY_SIZE(triples); k++) {
		const char *argv[] = { rustc, "--target", triples[k], "--print",
				       "target-cpus", NULL };
		struct proc p = PROC_INIT;
		struct cpu_list l = CPU_LIST_INIT;
		struct rpx_err err = RPX_ERR_INIT;
		int ndef = 0, lines = 0;

		p.argv = argv;
		p.capture = true;
		p.timeout_ms = 30000;
		assert_int_equal(proc_run(&p), 0);
		assert_true(proc_ok(&p));
		assert_int_equal(toolchain_parse_cpus(p.out.buf, &l, &err), 0);
		for (const char *s = p.out.buf; *s; s++)
			lines += *s == '\n';
		/* every line but the header is one CPU */
		assert_int_equal(l.n, lines - 1);
		for (int i = 0; i < l.n; i++) {
			ndef += l.v[i].is_default;
			assert_false(l.v[i].is_native);	/* not the host */
			assert_null(strchr(l.v[i].name, ' '));
		}
		assert_int_equal(ndef, 1);
		assert_string_equal(l.v[cpu_list_find(&l, "generic")].name,
				    "generic");
		assert_true(l.v[cpu_list_find(&l, "generic")].is_default);
		assert_true(cpu_list_find(&l, "cortex-a72") >= 0);
		assert_true(cpu_list_find(&l, "cortex-a53") >= 0);
		if (k == 1)	/* aarch64 has no 32-bit-only cores */
			assert_int_equal(cpu_list_find(&l, "cortex-a7"), -1);
		else
			assert_true(cpu_list_find(&l, "arm1176jzf-s") >= 0);
		cpu_list_release(&l);
		proc_release(&p);
	}
	free(rustc);
}

static void
test_parse_crafted(void **state)
{
	struct cpu_list l = CPU_LIST_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	static const char text[] =
		"Available CPUs for this target:\r\n"
		"    native         - Select the CPU of the current host "
		"(currently znver4).\n"
		"\n"
		"    arm1176jzf-s\n"
		"\tcortex-a72\n"
		"    generic - This is the default target CPU for the current "
		"build target (currently arm-unknown-linux-gnueabihf).\n"
		"    x86-64-v3\n"
		"    weird-desc   -   has - dashes - inside\n"
		"To see the list of features, run --print target-features\n"
		"    ignored-after-end\n";

	(void)state;
	assert_int_equal(toolchain_parse_cpus(text, &l, &err), 0);
	assert_int_equal(l.n, 6);
	assert_string_equal(l.v[0].name, "native");
	assert_true(l.v[0].is_native);
	assert_false(l.v[0].is_default);
	assert_string_equal(l.v[1].name, "arm1176jzf-s");
	assert_null(l.v[1].desc);
	assert_string_equal(l.v[2].name, "cortex-a72");
	assert_string_equal(l.v[3].name, "generic");
	assert_true(l.v[3].is_default);
	assert_non_null(strstr(l.v[3].desc, "default target CPU"));
	assert_string_equal(l.v[4].name, "x86-64-v3");
	assert_string_equal(l.v[5].name, "weird-desc");
	assert_string_equal(l.v[5].desc, "has - dashes - inside");
	assert_int_equal(cpu_list_find(&l, "ignored-after-end"), -1);
	cpu_list_release(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.v);

	/* padding of any width before the " - " */
	assert_int_equal(toolchain_parse_cpus(
		"Available CPUs for this target:\n"
		"    generic                                 - This is the "
		"default target CPU for the current build target.\n", &l,
		&err), 0);
	assert_int_equal(l.n, 1);
	assert_true(l.v[0].is_default);
	cpu_list_release(&l);

	/* a header and nothing else: an empty list, not an error */
	assert_int_equal(toolchain_parse_cpus(
		"Available CPUs for this target:\n", &l, &err), 0);
	assert_int_equal(l.n, 0);
}

static void
test_parse_errors(void **state)
{
	struct cpu_list l = CPU_LIST_INIT;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	/* Debian's rustc 1.63 built against a system LLVM */
	assert_int_equal(toolchain_parse_cpus(
		"Target CPU help is not supported by this LLVM version.\n\n",
		&l, &err), RPX_EPARSE);
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.msg, "not supported by this LLVM"));
	assert_null(l.v);
	rpx_err_clear(&err);
	assert_int_equal(toolchain_parse_cpus("", &l, &err), RPX_EPARSE);
	assert_non_null(strstr(err.msg, "Available CPUs"));
	rpx_err_clear(&err);
	assert_int_equal(toolchain_parse_cpus(
		"Available CPUs for this target:\n    good\n    bad name!\n",
		&l, &err), RPX_EPARSE);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 5);
	assert_non_null(strstr(err.msg, "bad name!"));
	assert_null(l.v);	/* nothing half-filled on failure */
	rpx_err_clear(&err);
	assert_int_equal(toolchain_parse_cpus(
		"Available CPUs for this target:\n     - no name\n", &l, &err),
		RPX_EPARSE);
}

static void
test_real_toolchains(void **state)
{
	char *rustc = rustup_rustc();
	struct toolchain tc = TOOLCHAIN_INIT;
	struct toolchain_list all = TOOLCHAIN_LIST_INIT;
	bool seen_distro = false;

	(void)state;
	if (rustc != NULL) {
		assert_int_equal(toolchain_inspect(rustc, "test", &tc), 0);
		assert_int_equal(tc.kind, TOOLCHAIN_RUSTUP);
		assert_true(tc.proxy);
		assert_non_null(tc.rustup);
		assert_non_null(strstr(tc.rustup_name, tc.host));
		assert_true(strncmp(tc.version, "rustc ", 6) == 0);
		assert_true(toolchain_has_std(&tc, tc.host));
		assert_non_null(tc.release);
		toolchain_release(&tc);
		assert_null(tc.rustc);
	}
	if (rpx_is_executable("/usr/bin/rustc")) {
		assert_int_equal(toolchain_inspect("/usr/bin/rustc", "test",
						   &tc), 0);
		assert_int_equal(tc.kind, TOOLCHAIN_DISTRO);
		assert_false(tc.proxy);
		assert_string_equal(tc.sysroot, "/usr");
		assert_null(tc.rustup);
		toolchain_release(&tc);
	}
	assert_int_equal(toolchain_inspect("/nonexistent/rustc", "x", &tc),
			 RPX_ENOTFOUND);
	/* a program that is not rustc */
	assert_int_equal(toolchain_inspect("/bin/false", "x", &tc), RPX_ECHILD);
	assert_int_equal(toolchain_scan(&all), 0);
	for (int i = 0; i < all.n; i++) {
		for (int k = 0; k < i; k++)	/* one entry per sysroot */
			assert_true(strcmp(all.v[i].sysroot,
					   all.v[k].sysroot) != 0 ||
				    all.v[i].proxy != all.v[k].proxy);
		seen_distro |= all.v[i].kind == TOOLCHAIN_DISTRO;
	}
	if (rpx_is_executable("/usr/bin/rustc"))
		assert_true(seen_distro);	/* found even when not first */
	toolchain_list_release(&all);
	free(rustc);
}

static struct host_os
os_from(const char *text)
{
	struct host_os os;

	hostos_parse_os_release(text, &os);
	return os;
}

static void
test_std_install_advice(void **state)
{
	struct toolchain tc;
	struct std_install si = STD_INSTALL_INIT;
	struct host_os deb = os_from("ID=debian\nPRETTY_NAME=\"Debian 12\"\n");
	struct host_os fed = os_from("ID=fedora\nNAME=Fedora\n");

	(void)state;
	memset(&tc, 0, sizeof(tc));
	tc.kind = TOOLCHAIN_DISTRO;
	tc.sysroot = "/usr";
	tc.release = "1.63.0";
	toolchain_std_install(&tc, target_find("armv7-unknown-linux-gnueabihf"),
			      &deb, &si);
	assert_false(si.automatic);
	assert_string_equal(si.packages, "libstd-rust-dev:armhf");
	assert_non_null(strstr(si.command, "dpkg --add-architecture armhf"));
	assert_non_null(strstr(si.command, "apt-get install libstd-rust-dev:armhf"));
	assert_non_null(strstr(si.note, "1.63.0"));
	std_install_release(&si);
	toolchain_std_install(&tc, target_find("aarch64-unknown-linux-gnu"),
			      &deb, &si);
	assert_string_equal(si.packages, "libstd-rust-dev:arm64");
	std_install_release(&si);
	/* Debian's armhf std is ARMv7 only: nothing for the ARMv6 target */
	toolchain_std_install(&tc, target_find("arm-unknown-linux-gnueabihf"),
			      &deb, &si);
	assert_null(si.packages);
	assert_non_null(strstr(si.note, "rustup target add "
			       "arm-unknown-linux-gnueabihf"));
	std_install_release(&si);
	toolchain_std_install(&tc, target_find("aarch64-unknown-linux-gnu"),
			      &fed, &si);
	assert_null(si.command);
	assert_non_null(strstr(si.note, "rustup"));
	std_install_release(&si);
	tc.kind = TOOLCHAIN_RUSTUP;
	tc.rustup = "/x/rustup";
	tc.rustup_name = "stable-x86_64-unknown-linux-gnu";
	toolchain_std_install(&tc, target_find("aarch64-unknown-linux-musl"),
			      &deb, &si);
	assert_true(si.automatic);
	assert_string_equal(si.command, "rustup target add --toolchain "
			    "stable-x86_64-unknown-linux-gnu "
			    "aarch64-unknown-linux-musl");
	std_install_release(&si);
	tc.kind = TOOLCHAIN_HOMEBREW;
	toolchain_std_install(&tc, target_find("aarch64-unknown-linux-gnu"),
			      &deb, &si);
	assert_non_null(strstr(si.note, "Homebrew"));
	std_install_release(&si);
}

struct progress {
	int lines;
	bool saw_info;
};

static void
on_progress(void *arg, enum proc_stream s, const char *line, size_t len)
{
	struct progress *pr = arg;

	(void)s;
	(void)len;
	pr->lines++;
	if (strncmp(line, "info:", 5) == 0)
		pr->saw_info = true;
}

/* rustup cannot download here: the failure comes back in its own words,
 * its progress lines streamed. The dist server is pointed at a closed
 * loopback port so nothing leaves this machine. */
static void
test_install_std_offline(void **state)
{
	char *rustc = rustup_rustc();
	struct toolchain tc = TOOLCHAIN_INIT;
	struct progress pr = { 0, false };
	char why[512];

	(void)state;
	if (rustc == NULL)
		skip();
	assert_int_equal(toolchain_inspect(rustc, "test", &tc), 0);
	if (toolchain_has_std(&tc, "armv7-unknown-linux-musleabihf")) {
		toolchain_release(&tc);
		free(rustc);
		skip();
	}
	setenv("RUSTUP_DIST_SERVER", "http://127.0.0.1:9", 1);
	setenv("RUSTUP_UPDATE_ROOT", "http://127.0.0.1:9/rustup", 1);
	assert_int_equal(toolchain_install_std(&tc,
		"armv7-unknown-linux-musleabihf", on_progress, &pr, NULL, why,
		sizeof(why)), RPX_ECHILD);
	assert_true(strncmp(why, "error:", 6) == 0);
	assert_non_null(strstr(why, "rust-std"));
	assert_true(pr.lines >= 1);
	assert_true(pr.saw_info);	/* "info: downloading component ..." */
	assert_false(toolchain_has_std(&tc, "armv7-unknown-linux-musleabihf"));
	toolchain_release(&tc);
	/* a distro toolchain cannot: the reason says so */
	tc.rustc = "/usr/bin/rustc";
	tc.kind = TOOLCHAIN_DISTRO;
	assert_int_equal(toolchain_install_std(&tc, "armv7-unknown-linux-"
		"gnueabihf", NULL, NULL, NULL, why, sizeof(why)),
		RPX_EUNSUPPORTED);
	assert_non_null(strstr(why, "distro toolchain"));
	free(rustc);
}

static void
test_hostos(void **state)
{
	struct host_os os;

	(void)state;
	os = os_from("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
		     "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n");
	assert_int_equal(os.pm, PKG_APT);
	assert_string_equal(os.id, "debian");
	assert_string_equal(os.name, "Debian GNU/Linux 12 (bookworm)");
	os = os_from("NAME=\"Linux Mint\"\nID=linuxmint\nID_LIKE=\"ubuntu debian\"\n");
	assert_int_equal(os.pm, PKG_APT);
	os = os_from("ID=zorin\nID_LIKE='ubuntu debian'\n");
	assert_int_equal(os.pm, PKG_APT);
	os = os_from("NAME=\"Fedora Linux\"\nID=fedora\n");
	assert_int_equal(os.pm, PKG_DNF);
	os = os_from("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n");
	assert_int_equal(os.pm, PKG_DNF);
	os = os_from("NAME=\"Arch Linux\"\nID=arch\n");
	assert_int_equal(os.pm, PKG_PACMAN);
	os = os_from("ID=garuda\nID_LIKE=arch\n");
	assert_int_equal(os.pm, PKG_PACMAN);
	os = os_from("ID=\"opensuse-tumbleweed\"\nID_LIKE=\"opensuse suse\"\n");
	assert_int_equal(os.pm, PKG_ZYPPER);
	os = os_from("ID=nixos\n");
	assert_int_equal(os.pm, PKG_UNKNOWN);
	assert_string_equal(os.name, "nixos");
	os = os_from("");
	assert_int_equal(os.pm, PKG_UNKNOWN);
	assert_string_equal(hostos_pm_name(PKG_BREW), "brew");
	/* this host */
	assert_true(hostos_detect(&os) == 0 || os.pm == PKG_UNKNOWN);
}

static void
hint(const char *triple, const struct host_os *os, struct strbuf *cmd,
     struct strbuf *note)
{
	linker_install_hint(target_find(triple), os, cmd, note);
}

static void
test_linker_install_hints(void **state)
{
	struct strbuf cmd = STRBUF_INIT, note = STRBUF_INIT;
	struct host_os deb = os_from("ID=ubuntu\n");
	struct host_os fed = os_from("ID=fedora\n");
	struct host_os arch = os_from("ID=arch\n");
	struct host_os mac;

	(void)state;
	memset(&mac, 0, sizeof(mac));
	mac.macos = true;
	mac.pm = PKG_BREW;
	hint("armv7-unknown-linux-gnueabihf", &deb, &cmd, &note);
	assert_string_equal(cmd.buf, "sudo apt-get install gcc-arm-linux-gnueabihf");
	hint("aarch64-unknown-linux-gnu", &deb, &cmd, &note);
	assert_string_equal(cmd.buf, "sudo apt-get install gcc-aarch64-linux-gnu");
	/* ARMv6: Debian's package would not help; its trap is explained */
	hint("arm-unknown-linux-gnueabihf", &deb, &cmd, &note);
	assert_int_equal(cmd.len, 0);
	assert_non_null(strstr(note.buf, "Illegal instruction"));
	hint("aarch64-unknown-linux-gnu", &fed, &cmd, &note);
	assert_string_equal(cmd.buf, "sudo dnf install gcc-aarch64-linux-gnu");
	hint("armv7-unknown-linux-gnueabihf", &fed, &cmd, &note);
	assert_string_equal(cmd.buf, "sudo dnf install gcc-arm-linux-gnu");
	hint("aarch64-unknown-linux-gnu", &arch, &cmd, &note);
	assert_string_equal(cmd.buf, "sudo pacman -S aarch64-linux-gnu-gcc");
	hint("armv7-unknown-linux-gnueabihf", &arch, &cmd, &note);
	assert_int_equal(cmd.len, 0);
	assert_non_null(strstr(note.buf, "AUR"));
	hint("armv7-unknown-linux-gnueabihf", &mac, &cmd, &note);
	assert_string_equal(cmd.buf, "brew tap messense/macos-cross-toolchains "
			    "&& brew install armv7-unknown-linux-gnueabihf");
	hint("aarch64-unknown-linux-musl", &mac, &cmd, &note);
	assert_non_null(strstr(cmd.buf, "brew install aarch64-unknown-linux-musl"));
	hint("armv7-unknown-linux-musleabihf", &deb, &cmd, &note);
	assert_string_equal(cmd.buf, "sudo apt-get install clang lld");
	assert_non_null(strstr(note.buf, "rust-lld"));
	strbuf_release(&cmd);
	strbuf_release(&note);
}

static void
put(const char *path, const char *text, mode_t mode)
{
	assert_int_equal(atomic_write(path, text, strlen(text)), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* Cargo's order: $RUSTC, build.rustc (relative: from the folder above
 * .cargo; a bare name: PATH; CARGO_BUILD_RUSTC), then PATH; and the
 * wrapper: RUSTC_WRAPPER (empty: off), then build.rustc-wrapper. */
static void
test_cargo_rustc(void **state)
{
	const char *dir = *state;
	char *proj = xasprintf("%s/proj", dir), *sub = NULL, *p = NULL;
	char *tools = xasprintf("%s/proj/tools", dir);
	char *cfgdir = xasprintf("%s/proj/.cargo", dir);
	char *cfg = xasprintf("%s/config.toml", cfgdir);
	char *fake = xasprintf("%s/rustc-x", tools);
	char *home = xasprintf("%s/cargo-home", dir);
	char *oldpath = xstrdup(getenv("PATH") ? getenv("PATH") : "/bin");
	char *path = xasprintf("%s:%s", tools, oldpath);
	struct cargo_rustc cr = CARGO_RUSTC_INIT;

	sub = xasprintf("%s/src", proj);
	assert_int_equal(fsutil_mkdirs(sub, 0700), 0);
	assert_int_equal(fsutil_mkdirs(tools, 0700), 0);
	assert_int_equal(fsutil_mkdirs(cfgdir, 0700), 0);
	assert_int_equal(fsutil_mkdirs(home, 0700), 0);
	put(fake, "#!/bin/sh\nexit 0\n", 0700);
	assert_int_equal(setenv("CARGO_HOME", home, 1), 0);
	unsetenv("RUSTC");
	unsetenv("RUSTC_WRAPPER");
	unsetenv("CARGO_BUILD_RUSTC");
	unsetenv("CARGO_BUILD_RUSTC_WRAPPER");

	put(cfg, "[build]\nrustc = \"tools/rustc-x\"\n"
	    "rustc-wrapper = \"sccache\"\n", 0600);
	assert_int_equal(toolchain_cargo_rustc(sub, &cr), 0);
	assert_string_equal(cr.rustc, fake);
	assert_string_equal(cr.given, "tools/rustc-x");
	assert_string_equal(cr.origin, "build.rustc");
	p = xasprintf("%s:2", cfg);
	assert_string_equal(cr.origin_where, p);
	assert_string_equal(cr.wrapper, "sccache");
	free(p);
	p = xasprintf("%s:3", cfg);
	assert_string_equal(cr.wrapper_origin, p);
	free(p);
	cargo_rustc_release(&cr);

	/* an empty RUSTC_WRAPPER turns the configured wrapper off */
	assert_int_equal(setenv("RUSTC_WRAPPER", "", 1), 0);
	assert_int_equal(toolchain_cargo_rustc(sub, &cr), 0);
	assert_null(cr.wrapper);
	cargo_rustc_release(&cr);
	assert_int_equal(setenv("RUSTC_WRAPPER", "/usr/bin/env", 1), 0);
	assert_int_equal(toolchain_cargo_rustc(sub, &cr), 0);
	assert_string_equal(cr.wrapper, "/usr/bin/env");
	assert_string_equal(cr.wrapper_origin, "env RUSTC_WRAPPER");
	cargo_rustc_release(&cr);
	unsetenv("RUSTC_WRAPPER");

	/* a name without '/' is looked up on PATH */
	put(cfg, "[build]\nrustc = \"rustc-x\"\n", 0600);
	assert_int_equal(setenv("PATH", path, 1), 0);
	assert_int_equal(toolchain_cargo_rustc(sub, &cr), 0);
	assert_string_equal(cr.rustc, fake);
	assert_null(cr.wrapper);
	cargo_rustc_release(&cr);
	assert_int_equal(setenv("PATH", oldpath, 1), 0);

	/* a build.rustc that is not there: not found, still says what */
	put(cfg, "[build]\nrustc = \"tools/none\"\n", 0600);
	assert_int_equal(toolchain_cargo_rustc(sub, &cr), RPX_ENOTFOUND);
	assert_string_equal(cr.origin, "build.rustc");
	assert_string_equal(cr.given, "tools/none");
	cargo_rustc_release(&cr);

	/* CARGO_BUILD_RUSTC beats the files; $RUSTC beats both */
	assert_int_equal(setenv("CARGO_BUILD_RUSTC", fake, 1), 0);
	assert_int_equal(toolchain_cargo_rustc(sub, &cr), 0);
	assert_string_equal(cr.rustc, fake);
	assert_string_equal(cr.origin_where, "env CARGO_BUILD_RUSTC");
	cargo_rustc_release(&cr);
	unsetenv("CARGO_BUILD_RUSTC");
	assert_int_equal(setenv("RUSTC", fake, 1), 0);
	assert_int_equal(toolchain_cargo_rustc(sub, &cr), 0);
	assert_string_equal(cr.origin, "$RUSTC");
	assert_null(cr.origin_where);
	cargo_rustc_release(&cr);
	unsetenv("RUSTC");

	/* no config: PATH */
	assert_int_equal(unlink(cfg), 0);
	if (toolchain_cargo_rustc(sub, &cr) == 0)
		assert_true(strcmp(cr.origin, "PATH") == 0 ||
			    strcmp(cr.origin, "$CARGO_HOME/bin") == 0);
	assert_null(cr.given);
	cargo_rustc_release(&cr);

	unsetenv("CARGO_HOME");
	free(proj);
	free(sub);
	free(tools);
	free(cfgdir);
	free(cfg);
	free(fake);
	free(home);
	free(oldpath);
	free(path);
}

/* A rustc whose sysroot is plain from where it lives runs once (-vV);
 * one whose folder does not confirm it is asked --print sysroot too. */
static void
test_inspect_runs(void **state)
{
	const char *dir = *state;
	char *bin = xasprintf("%s/tc/bin", dir);
	char *hostlib = xasprintf("%s/tc/lib/rustlib/x86_64-unknown-linux-gnu/lib",
				  dir);
	char *rustc = xasprintf("%s/rustc", bin);
	char *log = xasprintf("%s/calls", dir);
	char *script = xasprintf(
		"#!/bin/sh\necho \"$*\" >>'%s'\n"
		"case $1 in -vV) printf 'rustc 9.9.9\\nbinary: rustc\\n"
		"host: x86_64-unknown-linux-gnu\\nrelease: 9.9.9\\n' ;;\n"
		"--print) echo /elsewhere ;;\nesac\n", log);
	struct toolchain tc = TOOLCHAIN_INIT;
	char *calls = NULL, *want = NULL;
	size_t len = 0;

	assert_int_equal(fsutil_mkdirs(bin, 0700), 0);
	assert_int_equal(fsutil_mkdirs(hostlib, 0700), 0);
	put(rustc, script, 0700);
	assert_int_equal(toolchain_inspect(rustc, "test", &tc), 0);
	want = xasprintf("%s/tc", dir);
	assert_string_equal(tc.sysroot, want);
	assert_string_equal(tc.release, "9.9.9");
	assert_int_equal(fsutil_read_file(log, &calls, &len), 0);
	assert_string_equal(calls, "-vV\n");
	free(calls);
	toolchain_release(&tc);
	assert_int_equal(unlink(log), 0);

	/* no std for the host in that folder: rustc is asked */
	assert_int_equal(rmdir(hostlib), 0);
	assert_int_equal(toolchain_inspect(rustc, "test", &tc), 0);
	assert_string_equal(tc.sysroot, "/elsewhere");
	assert_int_equal(fsutil_read_file(log, &calls, &len), 0);
	assert_non_null(strstr(calls, "--print sysroot\n"));
	assert_non_null(strstr(calls, "-vV\n"));
	free(calls);
	toolchain_release(&tc);
	free(bin);
	free(hostlib);
	free(rustc);
	free(log);
	free(script);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_real_output),
		cmocka_unit_test(test_parse_crafted),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_real_toolchains),
		cmocka_unit_test(test_std_install_advice),
		cmocka_unit_test(test_install_std_offline),
		cmocka_unit_test(test_hostos),
		cmocka_unit_test(test_linker_install_hints),
		cmocka_unit_test_setup_teardown(test_cargo_rustc, testdir_setup,
						testdir_teardown),
		cmocka_unit_test_setup_teardown(test_inspect_runs, testdir_setup,
						testdir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
