/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * linker_advice.c - what is said about the candidates: their ranking, the
 * command that installs a cross linker, why a bare ld is fragile, and
 * what a probe linked in words (see linker.h, linker_int.h).
 */
#include "linker_int.h"

#include <stdlib.h>
#include <string.h>

#include "rpx.h"
#include "strbuf.h"

const char *
linker_bare_ld_advice(void)
{
	return "a bare ld is fragile: rustc passes it the arguments of its "
	       "linker flavor (cc-style -Wl, options for names it does not "
	       "know), and ld on its own lacks what a compiler driver adds: "
	       "the crt start-up objects, the libc and libgcc search paths "
	       "and -dynamic-linker; use the matching gcc or clang instead";
}

static int
kind_order(enum linker_kind k)
{
	switch (k) {
	case LINKER_GCC: return 0;
	case LINKER_CLANG: return 1;
	case LINKER_ZIG: return 2;
	case LINKER_RUST_LLD: return 3;
	case LINKER_BARE_LD: break;
	}
	return 4;
}

static int
score(const struct target *t, const struct linker *l, int index)
{
	int sc = (l->works ? 0 : 100000) + kind_order(l->kind) * 10000;
	bool own = false;

	for (int i = 0; l->prefix != NULL && t->gnu_prefixes[i] != NULL; i++)
		own = own || strcmp(l->prefix, t->gnu_prefixes[i]) == 0;
	if (l->prefix != NULL && !own)
		sc += 1000;
	if (strchr(l->name, '/') != NULL)
		sc += 500;	/* not on PATH: Cargo needs the full path */
	return sc + index;
}

void
linker_rank(struct linker_scan *s)
{
	int *sc = xcalloc((size_t)s->n + 1, sizeof(*sc));

	for (int i = 0; i < s->n; i++)
		sc[i] = score(s->target, &s->v[i], i);
	/* insertion sort: few candidates, and it keeps equal ones in order */
	for (int i = 1; i < s->n; i++) {
		struct linker tmp = s->v[i];
		int key = sc[i], k = i - 1;

		while (k >= 0 && sc[k] > key) {
			s->v[k + 1] = s->v[k];
			sc[k + 1] = sc[k];
			k--;
		}
		s->v[k + 1] = tmp;
		sc[k + 1] = key;
	}
	for (int i = 0; i < s->n; i++)
		s->v[i].rank = i;
	s->recommended = s->n > 0 && s->v[0].works ? 0 : -1;
	free(sc);
}

void
linker_install_hint(const struct target *t, const struct host_os *os,
		    struct strbuf *cmd, struct strbuf *note)
{
	bool musl = t->libc == LIBC_MUSL, v6 = t->bits == 32 &&
		    t->min_isa == ISA_ARMV6 && t->hard_float;
	const char *deb = t->bits == 64 ? "gcc-aarch64-linux-gnu" :
			  t->hard_float ? "gcc-arm-linux-gnueabihf" :
					  "gcc-arm-linux-gnueabi";

	strbuf_reset(cmd);
	strbuf_reset(note);
	if (os->pm == PKG_BREW) {
		strbuf_addf(cmd, "brew tap messense/macos-cross-toolchains && "
			    "brew install %s", t->triple);
		strbuf_addf(note, "installs %s-gcc (and an alias without "
			    "'-unknown') with its own glibc or musl",
			    t->triple);
		return;
	}
	if (musl) {
		switch (os->pm) {
		case PKG_APT:
			strbuf_adds(cmd, "sudo apt-get install clang lld");
			break;
		case PKG_DNF:
			strbuf_adds(cmd, "sudo dnf install clang lld");
			break;
		case PKG_PACMAN:
			strbuf_adds(cmd, "sudo pacman -S clang lld");
			break;
		default:
			break;
		}
		strbuf_addf(note, "no distribution packages a musl cross gcc "
			    "for %s; for pure-Rust programs use "
			    "linker = \"rust-lld\" once the target's std is "
			    "installed (rustup target add %s), or a musl "
			    "cross toolchain (musl.cc, crosstool-ng)",
			    t->triple, t->triple);
		return;
	}
	switch (os->pm) {
	case PKG_APT:
		/* the package exists, but what it links cannot run on ARMv6 */
		if (!v6)
			strbuf_addf(cmd, "sudo apt-get install %s", deb);
		if (v6)
			strbuf_adds(note, "Debian and Ubuntu's arm-linux-"
				    "gnueabihf-gcc is built for ARMv7: what it "
				    "links dies with \"Illegal instruction\" "
				    "on a Pi 1 or Zero; for ARMv6 use a "
				    "crosstool-ng ARMv6 toolchain, zig, or "
				    "musl");
		else
			strbuf_adds(note, "it brings the target's glibc and "
				    "start-up files");
		return;
	case PKG_DNF:
		strbuf_addf(cmd, "sudo dnf install %s", t->bits == 64 ?
			    "gcc-aarch64-linux-gnu" : "gcc-arm-linux-gnu");
		strbuf_adds(note, "Fedora's cross gcc comes without the "
			    "target's glibc (reportedly): add a sysroot, or "
			    "use clang + lld with one");
		return;
	case PKG_PACMAN:
		if (t->bits == 64) {
			strbuf_adds(cmd, "sudo pacman -S aarch64-linux-gnu-gcc");
			strbuf_adds(note, "it comes with aarch64-linux-gnu-"
				    "glibc");
		} else {
			strbuf_adds(note, "Arch has no 32-bit ARM cross gcc "
				    "in its official repositories: use the "
				    "AUR's arm-linux-gnueabihf-gcc or a "
				    "crosstool-ng toolchain");
		}
		return;
	case PKG_ZYPPER:
		strbuf_addf(note, "install a cross gcc for %s (openSUSE's "
			    "cross-*-gcc packages come without a glibc) or a "
			    "crosstool-ng toolchain", t->triple);
		return;
	case PKG_BREW:
	case PKG_UNKNOWN:
		break;
	}
	strbuf_addf(note, "install a GCC cross toolchain for %s with its "
		    "glibc (your distribution's, or crosstool-ng), or clang "
		    "+ lld with a target sysroot", t->triple);
}

void
linker_elf_summary(const struct linker *l, struct strbuf *sb)
{
	char mbuf[32];
	const struct elf_info *e = &l->elf;

	if (!l->have_elf)
		return;
	strbuf_addf(sb, "%s %d-bit", elf_machine_name(e->machine, mbuf,
						       sizeof(mbuf)), e->bits);
	if (e->machine == ELF_EM_ARM)
		strbuf_addf(sb, " %s-float", e->arm_hard_float ? "hard" :
			    "soft");
	if (e->isa != ISA_UNKNOWN)
		strbuf_addf(sb, " %s", isa_name(e->isa));
	if (e->is_static)
		strbuf_adds(sb, ", static");
	else if (e->glibc_max[0] != '\0')
		strbuf_addf(sb, ", needs GLIBC_%s", e->glibc_max);
}
