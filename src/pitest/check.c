/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * check.c - CHECK: the ELF file built against the target (before
 * connecting) and against the board (the probe's facts, else --board's).
 */
#include "pitest_int.h"
#include "release.h"

#include <stdio.h>
#include <string.h>

/* ---- CHECK ------------------------------------------------------------- */

/*
 * Linked through a sysroot: read back what the link made before calling
 * it good. It must need no newer glibc than the sysroot's (a newer one
 * means the cross compiler's own glibc was taken), and the hello-world
 * must really need the C library it calls.
 */
static int
check_sysroot(struct pt *st)
{
	char m[700];
	bool libz = false;

	if (st->sysroot == NULL)
		return 0;
	if (st->sysroot_glibc[0] != '\0' && st->elf.glibc_max[0] != '\0' &&
	    elf_version_cmp(st->elf.glibc_max, st->sysroot_glibc) > 0) {
		snprintf(st->subject, sizeof(st->subject), "%s",
			 st->elf.glibc_max);
		snprintf(m, sizeof(m), "'%s' needs GLIBC_%s, but the sysroot "
			 "%.300s has glibc %s", pt_base_name(st->binary),
			 st->elf.glibc_max, st->sysroot, st->sysroot_glibc);
		return pt_fail(st, PT_CHECK, PTC_GLIBC_TOO_NEW, m);
	}
	for (int i = 0; i < st->elf.n_needed; i++)
		if (strncmp(st->elf.needed[i], "libz.so", 7) == 0)
			libz = true;
	if (st->tmpdir != NULL && !libz) {
		snprintf(m, sizeof(m), "'%s' calls zlib but does not need "
			 "libz.so: it was not linked against the sysroot's "
			 "shared zlib", pt_base_name(st->binary));
		return pt_fail(st, PT_CHECK, PTC_LINK_FAILED, m);
	}
	return 0;
}

/* What can be known without the Pi: is it a program for the target? */
int
pt_check_target(struct pt *st)
{
	struct rpx_err e = RPX_ERR_INIT;
	const char *why = NULL;
	char m[512], buf[32];

	if (elf_read_file(st->binary, &st->elf, &e) != 0) {
		snprintf(m, sizeof(m), "cannot read '%.200s': %.250s", st->binary,
			 e.msg[0] ? e.msg : "not an ELF executable");
		return pt_fail(st, PT_CHECK, PTC_WRONG_LINKER, m);
	}
	if (!elf_matches_target(&st->elf, st->t, &why)) {
		enum pitest_cause c = PTC_WRONG_LINKER;

		snprintf(m, sizeof(m), "'%s' is not a program for %s: %s "
			 "(it is %s, %d-bit)", pt_base_name(st->binary),
			 st->t->triple, why,
			 elf_machine_name(st->elf.machine, buf, sizeof(buf)),
			 st->elf.bits);
		/* Right machine and ABI, too new an ISA: the toolchain's
		 * start-up code (Debian's gcc for arm-unknown targets). */
		if ((st->elf.machine == ELF_EM_ARM) == (st->t->bits == 32) &&
		    st->elf.isa > st->t->min_isa && st->t->min_isa ==
		    ISA_ARMV6 && strstr(why, "ARMv7") != NULL)
			c = PTC_WRONG_ISA;
		return pt_fail(st, PT_CHECK, c, m);
	}
	return check_sysroot(st);
}

/* Against the board: the probe's facts, else --board's. */
int
pt_check_board(struct pt *st)
{
	const struct remote_probe *p = st->r->probed ? &st->r->probe : NULL;
	enum isa cpu = p ? p->isa : st->board ? st->board->cpu->isa :
		       ISA_UNKNOWN;
	int bits = p ? p->os_bits : 0;
	const char *glibc = p && p->glibc[0] ? p->glibc : NULL;
	char m[700];
	struct strbuf d = STRBUF_INIT;
	struct verdict_out o;

	/* one row: the Pi's release, word size, glibc and board */
	if (release_verdict_pi(&st->elf, p ? p->os_codename : NULL, bits, glibc,
			       p && p->ident.board ? p->ident.board : st->board,
			       cpu, &o) == VERDICT_FAILS) {
		enum pitest_cause c = PTC_OTHER;

		snprintf(m, sizeof(m), "'%s' cannot run on %s: %s",
			 pt_base_name(st->binary), st->board ? st->board->name :
			 "the board", o.why);
		if ((st->elf.machine == ELF_EM_AARCH64 && bits == 32) ||
		    (st->elf.machine == ELF_EM_ARM && bits == 64))
			c = PTC_WRONG_BITS;
		else if (st->elf.machine == ELF_EM_AARCH64 &&
			 cpu != ISA_UNKNOWN && cpu < ISA_ARMV8)
			c = PTC_WRONG_ISA;
		else if (strstr(o.cell, " code") != NULL)
			c = PTC_WRONG_ISA;
		else if (strncmp(o.cell, "GLIBC_", 6) == 0)
			c = PTC_GLIBC_TOO_NEW;
		else if (strcmp(o.cell, "no loader") == 0)
			c = PTC_NO_LOADER;
		else if (strcmp(o.cell, "not ARM") == 0)
			c = PTC_EXEC_FORMAT;
		if (c == PTC_GLIBC_TOO_NEW)
			snprintf(st->subject, sizeof(st->subject), "%s",
				 st->elf.glibc_max);
		strbuf_release(&d);
		return pt_fail(st, PT_CHECK, c, m);
	}
	{
		char buf[32];

		strbuf_addf(&d, "%s %d-bit", elf_machine_name(st->elf.machine,
							     buf, sizeof(buf)),
			    st->elf.bits);
	}
	if (st->elf.machine == ELF_EM_ARM)
		strbuf_addf(&d, " %s", st->elf.arm_hard_float ? "hard-float" :
			    "soft-float");
	if (st->elf.isa != ISA_UNKNOWN)
		strbuf_addf(&d, ", %s", isa_name(st->elf.isa));
	if (st->elf.is_static)
		strbuf_adds(&d, ", static");
	else
		strbuf_addf(&d, ", loader %s", st->elf.interp);
	if (st->elf.glibc_max[0])
		strbuf_addf(&d, ", needs GLIBC_%s%s%s", st->elf.glibc_max,
			    glibc ? " (Pi: " : "", glibc ? glibc : "");
	if (st->elf.glibc_max[0] && glibc)
		strbuf_addch(&d, ')');
	if (st->sysroot != NULL)
		strbuf_addf(&d, ", linked against the sysroot (glibc %s)",
			    st->sysroot_glibc[0] ? st->sysroot_glibc : "?");
	pt_detail(st, PT_CHECK, "%s", d.buf);
	strbuf_release(&d);
	return 0;
}

int
pt_check_c_library(struct pt *st)
{
	const char *out = st->r->out.buf ? st->r->out.buf : "";
	const char *z = strstr(out, "zlib ");
	char d[320];
	size_t n;

	if (st->sysroot == NULL || st->tmpdir == NULL)
		return 0;
	if (z == NULL) {
		st->r->exit_status = 0;
		return pt_fail(st, PT_RUN, PTC_RUN_FAILED, "the program exited "
			       "0 but did not print zlib's version: the C "
			       "library call did not run");
	}
	n = strcspn(z + 5, " \n");
	snprintf(d, sizeof(d), "%.200s; C library: zlib %.*s answered",
		 st->r->detail[PT_RUN], (int)(n < 32 ? n : 32), z + 5);
	pt_detail(st, PT_RUN, "%.250s", d);
	return 0;
}
