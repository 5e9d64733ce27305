/*
 * explain.c - what each cause of failure means and how to fix it, for the
 * result's explain and fix.
 */
#include "pitest_int.h"

#include <stdio.h>
#include <string.h>

#include "hostos.h"
#include "toolchain.h"

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

/* Fill r->explain and r->fix for cause c. */
void
pt_explain(struct pt *st, enum pitest_cause c)
{
	struct pitest_result *r = st->r;
	const struct target *t = st->t;
	const char *sub = st->subject;
	const char *host = st->rem.display ? st->rem.display :
			   (st->o->host ? st->o->host : "the Pi");
	const struct remote_probe *p = &r->probe;
	struct strbuf fix = STRBUF_INIT;
	const char *e = "";

	switch (c) {
	case PTC_NONE:
	case PTC_COUNT:
		break;
	case PTC_NO_TOOLCHAIN:
		e = "Cargo, or the rustc it runs, was not found, did not "
		    "start, or does not fit that cargo (a cargo newer than "
		    "its rustc), so nothing can be built.";
		strbuf_adds(&fix, "install Rust: rustup (https://rustup.rs) or "
			    "the distribution's packages (Debian/Ubuntu: sudo "
			    "apt install rustc cargo), and use a cargo and rustc "
			    "of one toolchain (RUSTC=/path/to/rustc, or PATH "
			    "order); 'rpi-cross doctor' shows which rustc "
			    "Cargo uses");
		break;
	case PTC_STD_MISSING:
		e = "The Rust standard library for the target is not "
		    "installed for the rustc that Cargo runs: rustc cannot "
		    "compile anything for that target without it.";
		std_advice(st, &fix);
		break;
	case PTC_LINKER_NOT_FOUND:
		snprintf(r->explain, sizeof(r->explain),
			 "Cargo's config names the linker '%s' for %s "
			 "(target.%s.linker), but there is no program of that "
			 "name on PATH.", sub[0] ? sub : "?", t->triple,
			 t->triple);
		strbuf_addf(&fix, "install it (Debian/Ubuntu: sudo apt install "
			    "%s) or name one that exists: 'rpi-cross linkers "
			    "--target %s' lists the linkers that link, then "
			    "'rpi-cross config set target.%s.linker=%s'",
			    gcc_package(t), t->triple, t->triple,
			    t->libc == LIBC_MUSL ? "rust-lld" : gcc_driver(t));
		break;
	case PTC_LINK_FAILED:
		e = "The linker ran but could not make the program (its "
		    "message is above): usually it cannot find the target's "
		    "C library or start-up files (a bare 'ld', or rust-lld "
		    "for a gnu target), or the program needs a library the "
		    "cross toolchain lacks.";
		strbuf_addf(&fix, "use a C compiler driver for the target as "
			    "the linker, which knows its C library and start-up "
			    "files: 'rpi-cross config set target.%s.linker=%s' "
			    "(see 'rpi-cross linkers --target %s')", t->triple,
			    t->libc == LIBC_MUSL ? "rust-lld" : gcc_driver(t),
			    t->triple);
		break;
	case PTC_WRONG_LINKER:
		snprintf(r->explain, sizeof(r->explain),
			 "The linker%s%s%s works for another architecture or "
			 "ABI: it rejected the ARM objects (\"file in wrong "
			 "format\") or made a program that is not for %s.",
			 sub[0] ? " '" : "", sub, sub[0] ? "'" : "",
			 t->triple);
		strbuf_addf(&fix, "set the target's own linker: 'rpi-cross "
			    "config set target.%s.linker=%s' (see 'rpi-cross "
			    "linkers --target %s')", t->triple,
			    t->libc == LIBC_MUSL ? "rust-lld" : gcc_driver(t),
			    t->triple);
		break;
	case PTC_BUILD_FAILED:
		e = "Cargo could not build the program; its message is above.";
		if (st->o->project_dir != NULL)
			strbuf_addf(&fix, "fix what the compiler reports; "
				    "'cargo build --release --target %s' in the "
				    "project shows the same", t->triple);
		else
			strbuf_addf(&fix, "check the Cargo config that applies "
				    "('rpi-cross config show') and the toolchain "
				    "('rpi-cross doctor --target %s')", t->triple);
		break;
	case PTC_WRONG_ISA:
		snprintf(r->explain, sizeof(r->explain),
			 "The program contains %s code, but the board's CPU "
			 "(%s) is %s: it would die with \"Illegal "
			 "instruction\".", isa_name(st->elf.isa),
			 st->board ? st->board->core : "?",
			 isa_name(p->isa != ISA_UNKNOWN ? p->isa :
				  st->board ? st->board->isa : ISA_UNKNOWN));
		if ((p->isa != ISA_UNKNOWN ? p->isa : st->board ?
		     st->board->isa : ISA_UNKNOWN) == ISA_ARMV6)
			strbuf_adds(&fix, armv6_fix);
		else
			strbuf_addf(&fix, "build for the target that fits the "
				    "board ('rpi-cross detect %s'), and drop a -C "
				    "target-cpu that names a newer core",
				    host);
		break;
	case PTC_WRONG_BITS:
		if (st->elf.bits == 64) {
			snprintf(r->explain, sizeof(r->explain),
				 "The program is 64-bit (AArch64), but the "
				 "Pi's userland is 32-bit (%s says 32%s%s%s): "
				 "it fails there with \"Exec format error\" or "
				 "\"No such file or directory\".",
				 p->bits_source[0] ? p->bits_source :
				 "the probe", p->machine[0] ?
				 "; uname -m says " : "", p->machine,
				 p->machine[0] ? ", but that is the kernel" :
				 "");
			strbuf_adds(&fix, "build for armv7-unknown-linux-"
				    "gnueabihf ('rpi-cross setup --bits 32'), "
				    "or install a 64-bit Raspberry Pi OS");
		} else {
			snprintf(r->explain, sizeof(r->explain),
				 "The program is 32-bit and dynamically "
				 "linked, but the Pi's userland is 64-bit: its "
				 "loader %s is usually missing there.",
				 st->elf.interp);
			strbuf_adds(&fix, "build for aarch64-unknown-linux-gnu "
				    "('rpi-cross setup --bits 64'), or a static "
				    "musl program, or install the armhf C "
				    "library on the Pi (sudo dpkg "
				    "--add-architecture armhf && sudo apt "
				    "install libc6:armhf)");
		}
		break;
	case PTC_GLIBC_TOO_NEW:
		snprintf(r->explain, sizeof(r->explain),
			 "The program needs GLIBC_%s (the cross toolchain links "
			 "against its own, newer glibc), but the Pi has glibc "
			 "%s%s%s%s: its loader refuses the program with "
			 "\"version `GLIBC_%s' not found\".",
			 sub[0] ? sub : st->elf.glibc_max,
			 p->glibc[0] ? p->glibc : "older",
			 p->os_codename[0] ? " (" : "", p->os_codename,
			 p->os_codename[0] ? ")" : "",
			 sub[0] ? sub : st->elf.glibc_max);
		strbuf_addf(&fix, "use the musl target (static, needs no glibc "
			    "on the Pi): 'rpi-cross setup --libc musl'; or "
			    "link against a sysroot with glibc <= %s (zig "
			    "links against glibc 2.17 stubs: 'rpi-cross setup "
			    "--linker zig' when zig is installed); or upgrade "
			    "the Pi to Raspberry Pi OS bookworm (glibc 2.36)",
			    p->glibc[0] ? p->glibc : "the Pi's");
		break;
	case PTC_NO_LOADER:
		snprintf(r->explain, sizeof(r->explain),
			 "The file is there, but the program interpreter it "
			 "names (%s) is not: \"No such file or directory\" "
			 "means the missing loader (a glibc program where that "
			 "glibc is absent, or a 32-bit program on a 64-bit OS, "
			 "or the reverse).", st->elf.interp[0] ?
			 st->elf.interp : "the loader");
		if (r->emulated)
			strbuf_addf(&fix, "install the target's C library for "
				    "qemu (Debian/Ubuntu: sudo apt install "
				    "libc6-%s-cross) or point QEMU_LD_PREFIX "
				    "at a sysroot", t->bits == 64 ? "arm64" :
				    "armhf");
		else
			strbuf_addf(&fix, "build the target that matches the "
				    "Pi's userland ('rpi-cross detect %s'), or a "
				    "static musl program", host);
		break;
	case PTC_EXEC_FORMAT:
		e = "The Pi's kernel cannot run this kind of program (\"Exec "
		    "format error\"): it is for another architecture or word "
		    "size.";
		strbuf_addf(&fix, "'rpi-cross detect %s' names the target that "
			    "fits; then 'rpi-cross setup --target TRIPLE'",
			    host);
		break;
	case PTC_ILLEGAL_INSN:
		e = "The program started and was killed by SIGILL (\"Illegal "
		    "instruction\", exit status 132): it uses instructions the "
		    "CPU lacks (ARMv7 code on an ARMv6 Pi 1/Zero, or a -C "
		    "target-cpu for a newer core).";
		strbuf_addf(&fix, "for a Pi 1/Zero: %s; otherwise drop a -C "
			    "target-cpu that is not the board's core "
			    "('rpi-cross cpus --target %s')", armv6_fix,
			    t->triple);
		break;
	case PTC_PERMISSION:
		snprintf(r->explain, sizeof(r->explain),
			 "The Pi refused to write or run the program in "
			 "~/.cache/rpi-cross%s%s: the home folder is not "
			 "writable by the user, the file system is read-only, "
			 "or it is mounted noexec.", p->home[0] ? " under " :
			 "", p->home);
		strbuf_addf(&fix, "on the Pi, 'ls -ld ~ ~/.cache' shows the "
			    "owner and mode: give the folder back to the user "
			    "(sudo chown -R %s: %s), or remount it read-write "
			    "without noexec", st->rem.user ? st->rem.user :
			    "USER", p->home[0] ? p->home : "~");
		break;
	case PTC_DISK_FULL:
		e = "The file system of the Pi's home folder is full (\"No "
		    "space left on device\"): the program could not be "
		    "copied there.";
		strbuf_adds(&fix, "free space on the Pi ('df -h ~', 'sudo apt "
			    "clean', old files in ~/.cache/rpi-cross), or make "
			    "the program smaller: strip = true under "
			    "[profile.release]");
		break;
	case PTC_CONNECT:
		snprintf(r->explain, sizeof(r->explain),
			 "No SSH connection to %s: it did not answer, refused "
			 "the connection (no SSH server on that port), or its "
			 "name does not resolve.", host);
		strbuf_adds(&fix, "check that the Pi is on and on this network, "
			    "that SSH is enabled (sudo raspi-config, Interface "
			    "Options, SSH; or an empty file named 'ssh' on the "
			    "boot partition) and the address and port; "
			    "--timeout SECONDS waits longer");
		break;
	case PTC_HOST_KEY:
		if (strcmp(sub, "changed") == 0) {
			e = "The Pi's host key differs from the one recorded "
			    "in known_hosts: either the Pi was reinstalled "
			    "(new keys) or something is in between. "
			    "rpi-cross never connects then.";
			strbuf_adds(&fix, "if the Pi was reinstalled, remove "
				    "the old key with the ssh-keygen -R command "
				    "above, then run the test again and compare "
				    "the new fingerprint with the Pi's");
		} else {
			e = "The Pi's host key is not in known_hosts, and "
			    "without a terminal there was no one to ask "
			    "whether to trust it.";
			strbuf_adds(&fix, "run the test once at a terminal to "
				    "compare and accept the fingerprint, or add "
				    "--accept-new-host-key on a network you "
				    "trust");
		}
		break;
	case PTC_AUTH:
		e = "The Pi refused every way of logging in that was tried "
		    "(agent, keys, password).";
		snprintf(r->explain, sizeof(r->explain), "%s", e);
		strbuf_addf(&fix, "install a public key on the Pi "
			    "('ssh-copy-id %s'), or run at a terminal to type "
			    "the password; check the user name (USER@HOST)",
			    host);
		break;
	case PTC_NO_QEMU:
		e = "--emulate needs qemu-user to run an ARM program on this "
		    "machine, and none was found (no binfmt handler, no "
		    "qemu-arm or qemu-aarch64 on PATH).";
		strbuf_adds(&fix, "Debian/Ubuntu: sudo apt install "
			    "qemu-user-static binfmt-support; Fedora: sudo dnf "
			    "install qemu-user-static; or test on the Pi with "
			    "--host");
		break;
	case PTC_RUN_FAILED:
		if (r->exit_status > 128)
			snprintf(r->explain, sizeof(r->explain),
				 "The program was killed by signal %d (exit "
				 "status %d).", r->exit_status - 128,
				 r->exit_status);
		else if (r->exit_status >= 0)
			snprintf(r->explain, sizeof(r->explain),
				 "The program ran and exited with status %d.",
				 r->exit_status);
		else
			snprintf(r->explain, sizeof(r->explain),
				 "The program did not finish.");
		if (st->o->project_dir != NULL)
			strbuf_adds(&fix, "this is the program's own failure: "
				    "its output is above");
		else
			strbuf_adds(&fix, "the test program only prints; see "
				    "its output above and 'rpi-cross doctor'");
		break;
	case PTC_CANCELLED:
		e = "The test was stopped before it finished.";
		strbuf_adds(&fix, "run it again");
		break;
	case PTC_OTHER:
		e = "The step failed; the tool's message is above.";
		strbuf_adds(&fix, "'rpi-cross doctor' checks the whole chain "
			    "and explains what it finds");
		break;
	}
	if (e[0] != '\0')
		snprintf(r->explain, sizeof(r->explain), "%s", e);
	snprintf(r->fix, sizeof(r->fix), "%s", fix.buf);
	strbuf_release(&fix);
}
