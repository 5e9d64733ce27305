/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * explain.c - what each cause of failure means and how to fix it, for the
 * result's explain and fix: a table of texts (by cause, by case) whose
 * {name}s are the run's facts (the target, the probe, the ELF file),
 * filled in by a short function.
 */
#include "pitest_int.h"

#include <stdio.h>
#include <string.h>

#include "hostos.h"
#include "toolchain.h"

/*
 * The Debian -dev package of a C library, by the name a build names it
 * with: pkg-config's (openssl, sqlite3, zlib), the linker's -l (ssl, z),
 * or a header (openssl/ssl.h). The name itself + "-dev" when unknown
 * (lib<name>-dev is Debian's usual spelling).
 */
static const struct dev_pkg {
	const char *name;
	const char *package;
} dev_pkgs[] = {
	{ "openssl", "libssl-dev" }, { "ssl", "libssl-dev" },
	{ "libssl", "libssl-dev" }, { "crypto", "libssl-dev" },
	{ "libcrypto", "libssl-dev" }, { "openssl/", "libssl-dev" },
	{ "sqlite3", "libsqlite3-dev" }, { "sqlite3.h", "libsqlite3-dev" },
	{ "z", "zlib1g-dev" }, { "zlib", "zlib1g-dev" },
	{ "zlib.h", "zlib1g-dev" },
	{ "asound", "libasound2-dev" }, { "alsa", "libasound2-dev" },
	{ "alsa/", "libasound2-dev" },
	{ "udev", "libudev-dev" }, { "libudev", "libudev-dev" },
	{ "libudev.h", "libudev-dev" },
	{ "dbus-1", "libdbus-1-dev" }, { "dbus", "libdbus-1-dev" },
	{ "dbus/", "libdbus-1-dev" },
	{ "gpiod", "libgpiod-dev" }, { "gpiod.h", "libgpiod-dev" },
};

const char *
pt_dev_package(const char *name, char *buf, size_t bufsz)
{
	size_t n;

	if (name == NULL || name[0] == '\0')
		return "the library's -dev package";
	for (size_t i = 0; i < ARRAY_SIZE(dev_pkgs); i++) {
		n = strlen(dev_pkgs[i].name);
		if (strcmp(name, dev_pkgs[i].name) == 0 ||
		    (dev_pkgs[i].name[n - 1] == '/' &&
		     strncmp(name, dev_pkgs[i].name, n) == 0))
			return dev_pkgs[i].package;
	}
	n = strcspn(name, ".");
	snprintf(buf, bufsz, "%s%.*s-dev",
		 strncmp(name, "lib", 3) == 0 ? "" : "lib", (int)n, name);
	return buf;
}

/* The Debian/Ubuntu cross compiler package for a target. */
static const char *
gcc_package(const struct target *t)
{
	return t->bits == 64 ? "gcc-aarch64-linux-gnu" :
	       "gcc-arm-linux-gnueabihf";
}

static const char *
gcc_driver(const struct target *t)
{
	return t->bits == 64 ? "aarch64-linux-gnu-gcc" :
	       "arm-linux-gnueabihf-gcc";
}

/* The std's install advice for the toolchain Cargo uses. */
static void
std_advice(const struct pt *st, struct strbuf *sb)
{
	struct toolchain tc = TOOLCHAIN_INIT;
	struct std_install si = STD_INSTALL_INIT;
	struct host_os os;
	int rc;

	memset(&os, 0, sizeof(os));
	hostos_detect(&os);
	if (st->o->rustc != NULL)
		rc = toolchain_inspect(st->o->rustc, "--rustc", &tc);
	else
		rc = toolchain_find(&tc);
	if (rc != 0) {
		strbuf_addf(sb, "rustup target add %s", st->t->triple);
		goto out;
	}
	toolchain_std_install(&tc, st->t, &os, &si);
	if (si.command != NULL)
		strbuf_addf(sb, "%s", si.command);
	if (si.packages != NULL && (si.command == NULL ||
				    strstr(si.command, si.packages) == NULL))
		strbuf_addf(sb, "%s(package %s)", sb->len ? " " : "",
			    si.packages);
	if (si.note != NULL)
		strbuf_addf(sb, "%s%s", sb->len ? ". " : "", si.note);
	if (sb->len == 0)
		strbuf_addf(sb, "rustup target add %s", st->t->triple);
	strbuf_addf(sb, " (the rustc Cargo runs: %s, %s)", tc.rustc,
		    tc.version ? tc.version : "version unknown");
out:
	std_install_release(&si);
	toolchain_release(&tc);
}

static const char armv6_fix[] =
	"build for arm-unknown-linux-gnueabihf with a toolchain whose "
	"start-up files are ARMv6 (Debian/Ubuntu's arm-linux-gnueabihf-gcc "
	"links ARMv7 start-up code even then): an ARMv6 crosstool-ng "
	"toolchain, clang + lld with a Raspberry Pi OS sysroot, zig "
	"('rpi-cross setup --linker zig' when zig is installed: it brings "
	"ARMv6 start-up code), or arm-unknown-linux-musleabihf with "
	"linker = \"rust-lld\" for pure-Rust programs";

/* Which case of a cause a text is for (the first row that holds wins). */
enum when {
	ALWAYS,
	BOARD_ARMV6,	/* the board (probe, else --board) is ARMv6 */
	ELF_64,		/* the program is 64-bit */
	EMULATED,	/* it ran under qemu-user */
	PROJECT,	/* the user's project, not the hello-world */
	KEY_CHANGED,	/* the host key changed (not: is unknown) */
	SIGNALLED,	/* the program died of a signal */
	EXITED,		/* the program ended with an exit status */
	SYSROOT,	/* a sysroot is wired into the target's config */
};

enum part { EXPLAIN, FIX };

/*
 * What each cause means (EXPLAIN: r->explain) and what to do (FIX:
 * r->fix). Templates: {name} is a fact of the run (see add_field()),
 * the rest is literal. A cause without an EXPLAIN row leaves r->explain
 * as it is.
 */
static const struct cause_text {
	enum pitest_cause cause;
	enum part part;
	enum when when;
	const char *text;
} texts[] = {
	{ PTC_NO_TOOLCHAIN, EXPLAIN, ALWAYS,
	  "Cargo, or the rustc it runs, was not found, did not start, or "
	  "does not fit that cargo (a cargo newer than its rustc), so "
	  "nothing can be built." },
	{ PTC_NO_TOOLCHAIN, FIX, ALWAYS,
	  "install Rust: rustup (https://rustup.rs) or the distribution's "
	  "packages (Debian/Ubuntu: sudo apt install rustc cargo), and use a "
	  "cargo and rustc of one toolchain (RUSTC=/path/to/rustc, or PATH "
	  "order); 'rpi-cross doctor' shows which rustc Cargo uses" },

	{ PTC_STD_MISSING, EXPLAIN, ALWAYS,
	  "The Rust standard library for the target is not installed for "
	  "the rustc that Cargo runs: rustc cannot compile anything for that "
	  "target without it." },
	{ PTC_STD_MISSING, FIX, ALWAYS, "{std_advice}" },

	{ PTC_LINKER_NOT_FOUND, EXPLAIN, ALWAYS,
	  "Cargo's config names the linker '{subject}' for {triple} "
	  "(target.{triple}.linker), but there is no program of that name "
	  "on PATH." },
	{ PTC_LINKER_NOT_FOUND, FIX, ALWAYS,
	  "install it (Debian/Ubuntu: sudo apt install {gcc_package}) or "
	  "name one that exists: 'rpi-cross linkers --target {triple}' lists "
	  "the linkers that link, then 'rpi-cross config set "
	  "target.{triple}.linker={linker}'" },

	{ PTC_LINK_FAILED, EXPLAIN, ALWAYS,
	  "The linker ran but could not make the program (its message is "
	  "above): usually it cannot find the target's C library or start-up "
	  "files (a bare 'ld', or rust-lld for a gnu target), or the program "
	  "needs a library the cross toolchain lacks." },
	{ PTC_LINK_FAILED, FIX, ALWAYS,
	  "use a C compiler driver for the target as the linker, which knows "
	  "its C library and start-up files: 'rpi-cross config set "
	  "target.{triple}.linker={linker}' (see 'rpi-cross linkers --target "
	  "{triple}')" },

	{ PTC_WRONG_LINKER, EXPLAIN, ALWAYS,
	  "The linker{subject_quoted} works for another architecture or ABI: "
	  "it rejected the ARM objects (\"file in wrong format\") or made a "
	  "program that is not for {triple}." },
	{ PTC_WRONG_LINKER, FIX, ALWAYS,
	  "set the target's own linker: 'rpi-cross config set "
	  "target.{triple}.linker={linker}' (see 'rpi-cross linkers --target "
	  "{triple}')" },

	{ PTC_BUILD_FAILED, EXPLAIN, ALWAYS,
	  "Cargo could not build the program; its message is above." },
	{ PTC_BUILD_FAILED, FIX, PROJECT,
	  "fix what the compiler reports; 'cargo build --release --target "
	  "{triple}' in the project shows the same" },
	{ PTC_BUILD_FAILED, FIX, ALWAYS,
	  "check the Cargo config that applies ('rpi-cross config show') and "
	  "the toolchain ('rpi-cross doctor --target {triple}')" },

	{ PTC_WRONG_ISA, EXPLAIN, ALWAYS,
	  "The program contains {elf_isa} code, but the board's CPU "
	  "({board_core}) is {board_isa}: it would die with \"Illegal "
	  "instruction\"." },
	{ PTC_WRONG_ISA, FIX, BOARD_ARMV6, "{armv6_fix}" },
	{ PTC_WRONG_ISA, FIX, ALWAYS,
	  "build for the target that fits the board ('rpi-cross detect "
	  "{host}'), and drop a -C target-cpu that names a newer core" },

	{ PTC_WRONG_BITS, EXPLAIN, ELF_64,
	  "The program is 64-bit (AArch64), but the Pi's userland is 32-bit "
	  "({bits_source} says 32{uname_kernel}): it fails there with \"Exec "
	  "format error\" or \"No such file or directory\"." },
	{ PTC_WRONG_BITS, FIX, ELF_64,
	  "build for armv7-unknown-linux-gnueabihf ('rpi-cross setup --bits "
	  "32'), or install a 64-bit Raspberry Pi OS" },
	{ PTC_WRONG_BITS, EXPLAIN, ALWAYS,
	  "The program is 32-bit and dynamically linked, but the Pi's "
	  "userland is 64-bit: its loader {interp} is usually missing there." },
	{ PTC_WRONG_BITS, FIX, ALWAYS,
	  "build for aarch64-unknown-linux-gnu ('rpi-cross setup --bits 64'), "
	  "or a static musl program, or install the armhf C library on the Pi "
	  "(sudo dpkg --add-architecture armhf && sudo apt install "
	  "libc6:armhf)" },

	{ PTC_GLIBC_TOO_NEW, EXPLAIN, SYSROOT,
	  "The program needs GLIBC_{glibc_needed}, newer than the glibc of "
	  "the sysroot it was linked against ({sysroot_glibc}, {sysroot}): "
	  "the linker took another glibc (the cross compiler's own), or the "
	  "sysroot is older than the Pi's OS." },
	{ PTC_GLIBC_TOO_NEW, FIX, SYSROOT,
	  "wire the sysroot again so its library folders are searched first "
	  "('rpi-cross setup --sysroot {sysroot}'), and pull it again if the "
	  "Pi was upgraded ('rpi-cross sysroot pull --host {host_arg}')" },
	{ PTC_GLIBC_TOO_NEW, EXPLAIN, ALWAYS,
	  "The program needs GLIBC_{glibc_needed} (the cross toolchain links "
	  "against its own, newer glibc), but the Pi has glibc "
	  "{pi_glibc_or_older}{pi_codename}: its loader refuses the program "
	  "with \"version `GLIBC_{glibc_needed}' not found\"." },
	{ PTC_GLIBC_TOO_NEW, FIX, ALWAYS,
	  "link against the Pi's own glibc, which removes the problem: "
	  "'rpi-cross sysroot pull --host {host_arg}' then 'rpi-cross setup "
	  "--sysroot NAME' (a program linked against the Pi's glibc never "
	  "needs a newer one); or use the musl target (static, needs no "
	  "glibc on the Pi): 'rpi-cross setup --libc musl'; or pin the "
	  "glibc to <= {pi_glibc} (zig links against glibc 2.17 stubs: "
	  "'rpi-cross setup --linker zig' when zig is installed); or upgrade "
	  "the Pi to Raspberry Pi OS bookworm (glibc 2.36)" },

	{ PTC_NO_LOADER, EXPLAIN, ALWAYS,
	  "The file is there, but the program interpreter it names "
	  "({loader}) is not: \"No such file or directory\" means the missing "
	  "loader (a glibc program where that glibc is absent, or a 32-bit "
	  "program on a 64-bit OS, or the reverse)." },
	{ PTC_NO_LOADER, FIX, EMULATED,
	  "install the target's C library for qemu (Debian/Ubuntu: sudo apt "
	  "install libc6-{debian_arch}-cross) or point QEMU_LD_PREFIX at a "
	  "sysroot" },
	{ PTC_NO_LOADER, FIX, ALWAYS,
	  "build the target that matches the Pi's userland ('rpi-cross "
	  "detect {host}'), or a static musl program" },

	{ PTC_EXEC_FORMAT, EXPLAIN, ALWAYS,
	  "The Pi's kernel cannot run this kind of program (\"Exec format "
	  "error\"): it is for another architecture or word size." },
	{ PTC_EXEC_FORMAT, FIX, ALWAYS,
	  "'rpi-cross detect {host}' names the target that fits; then "
	  "'rpi-cross setup --target TRIPLE'" },

	{ PTC_ILLEGAL_INSN, EXPLAIN, BOARD_ARMV6,
	  "The program started and was killed by SIGILL (\"Illegal "
	  "instruction\", exit status 132) on an ARMv6 board ({board_core}): "
	  "it contains ARMv7 code its ELF attributes did not show (Debian's "
	  "armhf start-up files, or an armv7 target's std)." },
	{ PTC_ILLEGAL_INSN, FIX, BOARD_ARMV6, "{armv6_fix}" },
	{ PTC_ILLEGAL_INSN, EXPLAIN, ALWAYS,
	  "The program started and was killed by SIGILL (\"Illegal "
	  "instruction\", exit status 132): it uses instructions the CPU "
	  "lacks (ARMv7 code on an ARMv6 Pi 1/Zero, or a -C target-cpu for a "
	  "newer core)." },
	{ PTC_ILLEGAL_INSN, FIX, ALWAYS,
	  "for a Pi 1/Zero: {armv6_fix}; otherwise drop a -C target-cpu that "
	  "is not the board's core ('rpi-cross cpus --target {triple}')" },

	{ PTC_PERMISSION, EXPLAIN, ALWAYS,
	  "The Pi refused to write or run the program in "
	  "~/.cache/rpi-cross{under_home}: the home folder is not writable by "
	  "the user, the file system is read-only, or it is mounted noexec." },
	{ PTC_PERMISSION, FIX, ALWAYS,
	  "on the Pi, 'ls -ld ~ ~/.cache' shows the owner and mode: give the "
	  "folder back to the user (sudo chown -R {user}: {home}), or remount "
	  "it read-write without noexec" },

	{ PTC_DISK_FULL, EXPLAIN, ALWAYS,
	  "The file system of the Pi's home folder is full (\"No space left "
	  "on device\"): the program could not be copied there." },
	{ PTC_DISK_FULL, FIX, ALWAYS,
	  "free space on the Pi ('df -h ~', 'sudo apt clean', old files in "
	  "~/.cache/rpi-cross), or make the program smaller: strip = true "
	  "under [profile.release]" },

	{ PTC_CONNECT, EXPLAIN, ALWAYS,
	  "No SSH connection to {host}: it did not answer, refused the "
	  "connection (no SSH server on that port), or its name does not "
	  "resolve." },
	{ PTC_CONNECT, FIX, ALWAYS,
	  "check that the Pi is on and on this network, that SSH is enabled "
	  "(sudo raspi-config, Interface Options, SSH; or an empty file named "
	  "'ssh' on the boot partition) and the address and port; --timeout "
	  "SECONDS waits longer" },

	{ PTC_HOST_KEY, EXPLAIN, KEY_CHANGED,
	  "The Pi's host key differs from the one recorded in known_hosts: "
	  "either the Pi was reinstalled (new keys) or something is in "
	  "between. rpi-cross never connects then." },
	{ PTC_HOST_KEY, FIX, KEY_CHANGED,
	  "if the Pi was reinstalled, remove the old key with the ssh-keygen "
	  "-R command above, then run the test again and compare the new "
	  "fingerprint with the Pi's" },
	{ PTC_HOST_KEY, EXPLAIN, ALWAYS,
	  "The Pi's host key is not in known_hosts, and without a terminal "
	  "there was no one to ask whether to trust it." },
	{ PTC_HOST_KEY, FIX, ALWAYS,
	  "run the test once at a terminal to compare and accept the "
	  "fingerprint, or add --accept-new-host-key on a network you trust" },

	{ PTC_AUTH, EXPLAIN, ALWAYS,
	  "The Pi refused every way of logging in that was tried (agent, "
	  "keys, password)." },
	{ PTC_AUTH, FIX, ALWAYS,
	  "install a public key on the Pi ('ssh-copy-id {host}'), or run at a "
	  "terminal to type the password; check the user name (USER@HOST)" },

	{ PTC_NO_QEMU, EXPLAIN, ALWAYS,
	  "--emulate needs qemu-user to run an ARM program on this machine, "
	  "and none was found (no binfmt handler, no qemu-arm or qemu-aarch64 "
	  "on PATH)." },
	{ PTC_NO_QEMU, FIX, ALWAYS,
	  "Debian/Ubuntu: sudo apt install qemu-user-static binfmt-support; "
	  "Fedora: sudo dnf install qemu-user-static; or test on the Pi with "
	  "--host" },

	{ PTC_RUN_FAILED, EXPLAIN, SIGNALLED,
	  "The program was killed by signal {signal} (exit status "
	  "{exit_status})." },
	{ PTC_RUN_FAILED, EXPLAIN, EXITED,
	  "The program ran and exited with status {exit_status}." },
	{ PTC_RUN_FAILED, EXPLAIN, ALWAYS, "The program did not finish." },
	{ PTC_RUN_FAILED, FIX, PROJECT,
	  "this is the program's own failure: its output is above" },
	{ PTC_RUN_FAILED, FIX, ALWAYS,
	  "the test program only prints; see its output above and 'rpi-cross "
	  "doctor'" },

	{ PTC_CANCELLED, EXPLAIN, ALWAYS,
	  "The test was stopped before it finished." },
	{ PTC_CANCELLED, FIX, ALWAYS, "run it again" },

	{ PTC_PKG_CONFIG_CROSS, EXPLAIN, ALWAYS,
	  "A crate's build script ({subject}) asked pkg-config for a C "
	  "library while cross-compiling, and the pkg-config crate refuses: "
	  "without a sysroot, pkg-config would answer with this machine's "
	  "(x86) libraries." },
	{ PTC_PKG_CONFIG_CROSS, FIX, SYSROOT,
	  "the sysroot {sysroot} is in the config but the build did not see "
	  "its variables: run the build with the config that holds them "
	  "('rpi-cross config show' lists [env]), or wire it again with "
	  "'rpi-cross setup --sysroot {sysroot}'" },
	{ PTC_PKG_CONFIG_CROSS, FIX, ALWAYS,
	  "give the build the Pi's own libraries: 'rpi-cross sysroot pull "
	  "--host {host}' then 'rpi-cross setup --sysroot NAME' (it sets "
	  "PKG_CONFIG_SYSROOT_DIR_{triple_u} and PKG_CONFIG_LIBDIR_{triple_u} "
	  "for this target only)" },

	{ PTC_LIB_MISSING, EXPLAIN, SYSROOT,
	  "The C library '{subject}' is not in the sysroot {sysroot}: its "
	  "-dev package (headers, the .so link and the .pc file) is not "
	  "installed on the Pi it was pulled from." },
	{ PTC_LIB_MISSING, FIX, SYSROOT,
	  "'rpi-cross sysroot add {dev_package}' brings it into the sysroot "
	  "without installing anything on the Pi (or on the Pi: sudo apt "
	  "install {dev_package}, then 'rpi-cross sysroot pull')" },
	{ PTC_LIB_MISSING, EXPLAIN, ALWAYS,
	  "The C library '{subject}' was not found for {triple}: there is no "
	  "sysroot with the Pi's libraries in the config, and this machine's "
	  "own are for x86." },
	{ PTC_LIB_MISSING, FIX, ALWAYS,
	  "'rpi-cross sysroot pull --host {host_arg}' then 'rpi-cross setup "
	  "--sysroot NAME'; if the Pi lacks it, 'rpi-cross sysroot add "
	  "{dev_package}' adds it to the sysroot" },

	{ PTC_HOST_LIB, EXPLAIN, ALWAYS,
	  "The linker was handed this machine's x86 library '{subject}' "
	  "(\"skipping incompatible\" or \"file in wrong format\"): the "
	  "build found the host's libraries (pkg-config or a build script "
	  "looking in /usr/lib) instead of the Pi's." },
	{ PTC_HOST_LIB, FIX, SYSROOT,
	  "the sysroot {sysroot} lacks '{subject}', so the search fell "
	  "through to the host: 'rpi-cross sysroot add {dev_package}'" },
	{ PTC_HOST_LIB, FIX, ALWAYS,
	  "link against the Pi's own libraries: 'rpi-cross sysroot pull "
	  "--host {host}' then 'rpi-cross setup --sysroot NAME' (pkg-config "
	  "then looks only in the sysroot for {triple})" },

	{ PTC_HEADER_MISSING, EXPLAIN, SYSROOT,
	  "The C header '{subject}' is not in the sysroot {sysroot}: the "
	  "-dev package that ships it is not installed on the Pi." },
	{ PTC_HEADER_MISSING, FIX, SYSROOT,
	  "'rpi-cross sysroot add {dev_package}' (or on the Pi: sudo apt "
	  "install {dev_package}, then 'rpi-cross sysroot pull')" },
	{ PTC_HEADER_MISSING, EXPLAIN, ALWAYS,
	  "The C header '{subject}' was not found for {triple}: without a "
	  "sysroot, the cross compiler has only its own C library's "
	  "headers." },
	{ PTC_HEADER_MISSING, FIX, ALWAYS,
	  "'rpi-cross sysroot pull --host {host_arg}' then 'rpi-cross setup "
	  "--sysroot NAME' (it gives the C compiler the Pi's headers); a "
	  "header the Pi lacks: 'rpi-cross sysroot add {dev_package}'" },

	{ PTC_OTHER, EXPLAIN, ALWAYS,
	  "The step failed; the tool's message is above." },
	{ PTC_OTHER, FIX, ALWAYS,
	  "'rpi-cross doctor' checks the whole chain and explains what it "
	  "finds" },
};

/* The board's ISA: the probe's, else --board's. */
static enum isa
board_isa(const struct pt *st)
{
	enum isa isa = st->r->probe.isa;

	if (isa != ISA_UNKNOWN)
		return isa;
	return st->board != NULL ? st->board->cpu->isa : ISA_UNKNOWN;
}

static bool
holds(const struct pt *st, enum when w)
{
	const struct pitest_result *r = st->r;

	switch (w) {
	case ALWAYS:
		return true;
	case BOARD_ARMV6:
		return board_isa(st) == ISA_ARMV6;
	case ELF_64:
		return st->elf.bits == 64;
	case EMULATED:
		return r->emulated;
	case PROJECT:
		return st->o->project_dir != NULL;
	case KEY_CHANGED:
		return strcmp(st->subject, "changed") == 0;
	case SIGNALLED:
		return r->exit_status > 128;
	case EXITED:
		return r->exit_status >= 0;
	case SYSROOT:
		return st->sysroot != NULL;
	}
	return false;
}

/* The facts a template may name ({name}), each with its fallback. */
enum field {
	F_HOST,
	F_TRIPLE,
	F_SUBJECT,
	F_SUBJECT_QUOTED,
	F_GCC_PACKAGE,
	F_LINKER,
	F_ELF_ISA,
	F_BOARD_CORE,
	F_BOARD_ISA,
	F_ARMV6_FIX,
	F_BITS_SOURCE,
	F_UNAME_KERNEL,
	F_INTERP,
	F_LOADER,
	F_GLIBC_NEEDED,
	F_PI_GLIBC_OR_OLDER,
	F_PI_CODENAME,
	F_PI_GLIBC,
	F_DEBIAN_ARCH,
	F_UNDER_HOME,
	F_USER,
	F_HOME,
	F_SIGNAL,
	F_EXIT_STATUS,
	F_STD_ADVICE,
	F_DEV_PACKAGE,
	F_SYSROOT,
	F_SYSROOT_GLIBC,
	F_TRIPLE_U,
	F_HOST_ARG,
	F_COUNT
};

static const char *const field_names[F_COUNT] = {
	[F_HOST] = "host",
	[F_TRIPLE] = "triple",
	[F_SUBJECT] = "subject",
	[F_SUBJECT_QUOTED] = "subject_quoted",
	[F_GCC_PACKAGE] = "gcc_package",
	[F_LINKER] = "linker",
	[F_ELF_ISA] = "elf_isa",
	[F_BOARD_CORE] = "board_core",
	[F_BOARD_ISA] = "board_isa",
	[F_ARMV6_FIX] = "armv6_fix",
	[F_BITS_SOURCE] = "bits_source",
	[F_UNAME_KERNEL] = "uname_kernel",
	[F_INTERP] = "interp",
	[F_LOADER] = "loader",
	[F_GLIBC_NEEDED] = "glibc_needed",
	[F_PI_GLIBC_OR_OLDER] = "pi_glibc_or_older",
	[F_PI_CODENAME] = "pi_codename",
	[F_PI_GLIBC] = "pi_glibc",
	[F_DEBIAN_ARCH] = "debian_arch",
	[F_UNDER_HOME] = "under_home",
	[F_USER] = "user",
	[F_HOME] = "home",
	[F_SIGNAL] = "signal",
	[F_EXIT_STATUS] = "exit_status",
	[F_STD_ADVICE] = "std_advice",
	[F_DEV_PACKAGE] = "dev_package",
	[F_SYSROOT] = "sysroot",
	[F_SYSROOT_GLIBC] = "sysroot_glibc",
	[F_TRIPLE_U] = "triple_u",
	[F_HOST_ARG] = "host_arg",
};

/* Append the value of {name} (n bytes) to sb; false for no such field. */
static bool
add_field(const struct pt *st, const char *name, size_t n,
	  struct strbuf *sb)
{
	const struct pitest_result *r = st->r;
	const struct remote_probe *p = &r->probe;
	const struct target *t = st->t;
	const char *sub = st->subject;
	struct strbuf adv = STRBUF_INIT;
	char pkg[96];
	int f;

	for (f = 0; f < F_COUNT; f++)
		if (strlen(field_names[f]) == n &&
		    strncmp(field_names[f], name, n) == 0)
			break;
	switch ((enum field)f) {
	case F_HOST:
		strbuf_adds(sb, st->rem.display ? st->rem.display :
			    st->o->host ? st->o->host : "the Pi");
		break;
	case F_TRIPLE:
		strbuf_adds(sb, t->triple);
		break;
	case F_SUBJECT:
		strbuf_adds(sb, sub[0] ? sub : "?");
		break;
	case F_SUBJECT_QUOTED:
		if (sub[0])
			strbuf_addf(sb, " '%s'", sub);
		break;
	case F_GCC_PACKAGE:
		strbuf_adds(sb, gcc_package(t));
		break;
	case F_LINKER:
		strbuf_adds(sb, t->libc == LIBC_MUSL ? "rust-lld" :
			    gcc_driver(t));
		break;
	case F_ELF_ISA:
		strbuf_adds(sb, isa_name(st->elf.isa));
		break;
	case F_BOARD_CORE:
		strbuf_adds(sb, st->board ? st->board->cpu->core : "?");
		break;
	case F_BOARD_ISA:
		strbuf_adds(sb, isa_name(board_isa(st)));
		break;
	case F_ARMV6_FIX:
		strbuf_adds(sb, armv6_fix);
		break;
	case F_BITS_SOURCE:
		strbuf_adds(sb, p->bits_source[0] ? p->bits_source :
			    "the probe");
		break;
	case F_UNAME_KERNEL:
		if (p->machine[0])
			strbuf_addf(sb, "; uname -m says %s, but that is the "
				    "kernel", p->machine);
		break;
	case F_INTERP:
		strbuf_adds(sb, st->elf.interp);
		break;
	case F_LOADER:
		strbuf_adds(sb, st->elf.interp[0] ? st->elf.interp :
			    "the loader");
		break;
	case F_GLIBC_NEEDED:
		strbuf_adds(sb, sub[0] ? sub : st->elf.glibc_max);
		break;
	case F_PI_GLIBC_OR_OLDER:
		strbuf_adds(sb, p->glibc[0] ? p->glibc : "older");
		break;
	case F_PI_CODENAME:
		if (p->os_codename[0])
			strbuf_addf(sb, " (%s)", p->os_codename);
		break;
	case F_PI_GLIBC:
		strbuf_adds(sb, p->glibc[0] ? p->glibc : "the Pi's");
		break;
	case F_DEBIAN_ARCH:
		strbuf_adds(sb, t->bits == 64 ? "arm64" : "armhf");
		break;
	case F_UNDER_HOME:
		if (p->home[0])
			strbuf_addf(sb, " under %s", p->home);
		break;
	case F_USER:
		strbuf_adds(sb, st->rem.user ? st->rem.user : "USER");
		break;
	case F_HOME:
		strbuf_adds(sb, p->home[0] ? p->home : "~");
		break;
	case F_SIGNAL:
		strbuf_addf(sb, "%d", r->exit_status - 128);
		break;
	case F_EXIT_STATUS:
		strbuf_addf(sb, "%d", r->exit_status);
		break;
	case F_STD_ADVICE:	/* asks the toolchain, only when needed */
		std_advice(st, &adv);
		strbuf_add(sb, adv.buf, adv.len);
		strbuf_release(&adv);
		break;
	case F_DEV_PACKAGE:
		strbuf_adds(sb, pt_dev_package(sub, pkg, sizeof(pkg)));
		break;
	case F_SYSROOT:
		strbuf_adds(sb, st->sysroot ? st->sysroot : "-");
		break;
	case F_SYSROOT_GLIBC:
		strbuf_adds(sb, st->sysroot_glibc[0] ? st->sysroot_glibc :
			    "unknown");
		break;
	case F_TRIPLE_U:
		for (const char *c = t->triple; *c != '\0'; c++)
			strbuf_addch(sb, *c == '-' ? '_' : *c);
		break;
	case F_HOST_ARG:
		strbuf_adds(sb, st->rem.display ? st->rem.display :
			    st->o->host ? st->o->host : "PI");
		break;
	case F_COUNT:
		return false;
	}
	return true;
}

/* The template for cause c's part, {name}s filled in, into sb; false
 * when the cause has no such text. */
static bool
expand(const struct pt *st, enum pitest_cause c, enum part part,
       struct strbuf *sb)
{
	const char *s = NULL, *open, *close;

	for (size_t i = 0; i < ARRAY_SIZE(texts) && s == NULL; i++)
		if (texts[i].cause == c && texts[i].part == part &&
		    holds(st, texts[i].when))
			s = texts[i].text;
	if (s == NULL)
		return false;
	while ((open = strchr(s, '{')) != NULL &&
	       (close = strchr(open, '}')) != NULL) {
		strbuf_add(sb, s, (size_t)(open - s));
		if (!add_field(st, open + 1, (size_t)(close - open - 1), sb))
			strbuf_add(sb, open, (size_t)(close - open + 1));
		s = close + 1;
	}
	strbuf_adds(sb, s);
	return true;
}

void
pt_explain(struct pt *st, enum pitest_cause c)
{
	struct pitest_result *r = st->r;
	struct strbuf sb = STRBUF_INIT;

	if (expand(st, c, EXPLAIN, &sb))
		snprintf(r->explain, sizeof(r->explain), "%s", sb.buf);
	strbuf_reset(&sb);
	expand(st, c, FIX, &sb);
	snprintf(r->fix, sizeof(r->fix), "%s", sb.buf);
	strbuf_release(&sb);
}
