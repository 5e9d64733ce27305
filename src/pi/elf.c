/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* elf.c - read ELF headers, ARM attributes, interpreter, GLIBC needs and
 * (32-bit ARM) the time_t size the program was compiled with. */
#include "elf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHT_STRTAB 3
#define SHT_DYNAMIC 6
#define SHT_ARM_ATTRIBUTES 0x70000003u
#define SHT_GNU_VERNEED 0x6ffffffeu
#define SHT_DYNSYM 11
#define SHT_GNU_VERSYM 0x6fffffffu
#define VER_MAX 64		/* version indices remembered from .gnu.version_r */
#define PT_INTERP 3
#define DT_NEEDED 1
#define DT_NULL 0
#define EF_ARM_ABI_FLOAT_SOFT 0x200u
#define EF_ARM_ABI_FLOAT_HARD 0x400u
#define ELF_MAX_FILE (1024ul * 1024 * 1024)

struct reader {
	const unsigned char *b;
	size_t len;
	bool le;
	bool is64;
	struct rpx_err *err;
};

static bool
in_range(const struct reader *r, uint64_t off, uint64_t n)
{
	return off <= r->len && n <= r->len - off;
}

static uint64_t
rd(const struct reader *r, uint64_t off, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++) {
		int k = r->le ? n - 1 - i : i;

		v = (v << 8) | r->b[off + (uint64_t)k];
	}
	return v;
}

static int
bad(struct reader *r, const char *msg)
{
	return rpx_err_set(r->err, NULL, 0, 0, "%s", msg);
}

/* Section header i: type, offset, size, link (returns false when out of range). */
struct shdr {
	uint32_t name, type, link;
	uint64_t off, size;
};

static bool
get_shdr(const struct reader *r, uint64_t shoff, uint64_t shentsize,
	 uint64_t i, struct shdr *s)
{
	uint64_t o = shoff + i * shentsize;

	if (!in_range(r, o, shentsize))
		return false;
	s->name = (uint32_t)rd(r, o, 4);
	s->type = (uint32_t)rd(r, o + 4, 4);
	if (r->is64) {
		s->off = rd(r, o + 24, 8);
		s->size = rd(r, o + 32, 8);
		s->link = (uint32_t)rd(r, o + 40, 4);
	} else {
		s->off = rd(r, o + 16, 4);
		s->size = rd(r, o + 20, 4);
		s->link = (uint32_t)rd(r, o + 24, 4);
	}
	return in_range(r, s->off, s->size);
}

/* A NUL-terminated string at off within [base, base+size). */
static const char *
str_at(const struct reader *r, uint64_t base, uint64_t size, uint64_t off)
{
	if (off >= size || !in_range(r, base, size))
		return NULL;
	if (memchr(r->b + base + off, '\0', size - off) == NULL)
		return NULL;
	return (const char *)r->b + base + off;
}

static uint64_t
uleb(const unsigned char *p, const unsigned char *end, const unsigned char **next)
{
	uint64_t v = 0;
	int shift = 0;

	while (p < end) {
		unsigned char c = *p++;

		if (shift < 63)
			v |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
		if (!(c & 0x80))
			break;
	}
	*next = p;
	return v;
}

/* Parse the "aeabi" attributes of one Tag_File block. */
static void
arm_attrs_block(const unsigned char *p, const unsigned char *end,
		struct elf_info *info)
{
	while (p < end) {
		const unsigned char *q;
		uint64_t tag = uleb(p, end, &q);
		const unsigned char *nul;

		p = q;
		if (tag == 4 || tag == 5 || tag == 67 ||
		    (tag > 32 && (tag & 1))) {
			nul = memchr(p, '\0', (size_t)(end - p));
			if (nul == NULL)
				return;
			if (tag == 5)
				snprintf(info->arm_cpu_name,
					 sizeof(info->arm_cpu_name), "%s",
					 (const char *)p);
			p = nul + 1;
			continue;
		}
		if (tag == 32) {	/* Tag_compatibility: ULEB, NTBS */
			uleb(p, end, &q);
			p = q;
			nul = memchr(p, '\0', (size_t)(end - p));
			if (nul == NULL)
				return;
			p = nul + 1;
			continue;
		}
		uint64_t val = uleb(p, end, &q);
		p = q;
		if (tag == 6)
			info->arm_cpu_arch = (int)val;
		else if (tag == 9)
			info->arm_thumb2 = val >= 2;
		else if (tag == 28 && val == 1)
			info->arm_hard_float = true;
	}
}

static void
arm_attributes(const struct reader *r, const struct shdr *s,
	       struct elf_info *info)
{
	const unsigned char *p = r->b + s->off;
	const unsigned char *end = p + s->size;

	if (s->size < 1 || *p != 'A')
		return;
	p++;
	while (end - p >= 4) {
		uint64_t sublen = rd(r, (uint64_t)(p - r->b), 4);
		const unsigned char *sub_end, *nul;

		if (sublen < 4 || sublen > (uint64_t)(end - p))
			return;
		sub_end = p + sublen;
		nul = memchr(p + 4, '\0', (size_t)(sub_end - (p + 4)));
		if (nul != NULL && strcmp((const char *)p + 4, "aeabi") == 0) {
			const unsigned char *q = nul + 1;

			while (sub_end - q >= 5) {
				unsigned tag = *q;
				uint64_t blen = rd(r, (uint64_t)(q + 1 - r->b), 4);

				if (blen < 5 || blen > (uint64_t)(sub_end - q))
					break;
				if (tag == 1)	/* Tag_File */
					arm_attrs_block(q + 5, q + blen, info);
				q += blen;
			}
		}
		p = sub_end;
	}
}

static void
note_glibc(struct elf_info *info, const char *name)
{
	if (name == NULL || strncmp(name, "GLIBC_", 6) != 0)
		return;
	name += 6;
	if (*name < '0' || *name > '9' || strlen(name) >= sizeof(info->glibc_max))
		return;
	if (info->glibc_max[0] == '\0' ||
	    elf_version_cmp(name, info->glibc_max) > 0)
		snprintf(info->glibc_max, sizeof(info->glibc_max), "%s", name);
}

static void
verneed(const struct reader *r, const struct shdr *s, const struct shdr *strs,
	struct elf_info *info)
{
	uint64_t off = s->off;
	int guard = 0;

	while (guard++ < 4096 && in_range(r, off, 16) && off < s->off + s->size) {
		uint64_t cnt = rd(r, off + 2, 2);
		uint64_t aux = rd(r, off + 8, 4);
		uint64_t next = rd(r, off + 12, 4);
		uint64_t a = off + aux;

		for (uint64_t i = 0; i < cnt && i < 4096 && in_range(r, a, 16); i++) {
			uint64_t name = rd(r, a + 8, 4);
			uint64_t anext = rd(r, a + 12, 4);

			note_glibc(info, str_at(r, strs->off, strs->size, name));
			if (anext == 0)
				break;
			a += anext;
		}
		if (next == 0)
			break;
		off += next;
	}
}

static void
dynamic(const struct reader *r, const struct shdr *s, const struct shdr *strs,
	struct elf_info *info)
{
	uint64_t esz = r->is64 ? 16 : 8;

	for (uint64_t o = s->off; o + esz <= s->off + s->size; o += esz) {
		uint64_t tag = rd(r, o, r->is64 ? 8 : 4);
		uint64_t val = rd(r, o + esz / 2, r->is64 ? 8 : 4);
		const char *name;

		if (tag == DT_NULL)
			break;
		if (tag != DT_NEEDED || info->n_needed >= ELF_MAX_NEEDED)
			continue;
		name = str_at(r, strs->off, strs->size, val);
		if (name != NULL)
			snprintf(info->needed[info->n_needed++],
				 sizeof(info->needed[0]), "%s", name);
	}
}

/*
 * The 64-bit time_t. On 32-bit ARM, glibc 2.34 added an entry point for
 * every call that takes a time_t (or a struct holding one): __time64,
 * __clock_gettime64, __stat64_time64, ... (2.35 __epoll_pwait2_time64,
 * 2.37 __ppoll64_chk). A program compiled with _TIME_BITS=64 calls those;
 * one compiled with the 32-bit time_t calls the old names below. Every
 * "__...64" symbol glibc exports at GLIBC_2.34 or later on armhf is such a
 * time64 call (checked against Debian 12's and 13's armhf libc.so.6: the
 * LFS calls of 2.34, aio_read64 and the like, have no leading "__").
 */
static const char *const time32_calls[] = {
	"time", "clock_gettime", "clock_getres", "clock_settime",
	"clock_nanosleep", "gettimeofday", "settimeofday", "localtime",
	"localtime_r", "gmtime", "gmtime_r", "mktime", "timegm", "difftime",
	"ctime", "ctime_r", "nanosleep", "select", "pselect", "ppoll",
	"stat", "fstat", "lstat", "fstatat", "stat64", "fstat64", "lstat64",
	"fstatat64", "__xstat", "__fxstat", "__lxstat", "__fxstatat",
	"__xstat64", "__fxstat64", "__lxstat64", "__fxstatat64", "utime",
	"utimes", "utimensat", "futimens", "futimes", "lutimes", "setitimer",
	"getitimer", "getrusage", "wait3", "wait4", "sem_timedwait",
	"pthread_cond_timedwait", "pthread_mutex_timedlock",
	"pthread_timedjoin_np", "timer_settime", "timer_gettime",
	"timerfd_settime", "timerfd_gettime", "sigtimedwait", "recvmmsg",
	"sched_rr_get_interval", "adjtime", "timespec_get", "mq_timedsend",
	"mq_timedreceive", "aio_suspend",
};

static void
note_time(struct elf_info *info, const char *name, const char *glibc)
{
	bool t64 = false, t32 = false;

	if (strncmp(name, "__", 2) == 0 && strstr(name, "64") != NULL &&
	    elf_version_cmp(glibc, "2.34") >= 0)
		t64 = true;
	for (size_t i = 0; !t64 && i < sizeof(time32_calls) /
	     sizeof(time32_calls[0]); i++)
		if (strcmp(name, time32_calls[i]) == 0)
			t32 = true;
	if (t64 && info->time_bits != 64) {
		info->time_bits = 64;
		snprintf(info->time_sym, sizeof(info->time_sym), "%s", name);
	} else if (t32 && info->time_bits == 0) {
		info->time_bits = 32;
		snprintf(info->time_sym, sizeof(info->time_sym), "%s", name);
	}
}

/* The versions needed, by index (vna_other): only GLIBC_ ones, "" else. */
struct vernames {
	char glibc[VER_MAX][16];
};

static void
vernames_of(const struct reader *r, const struct shdr *s,
	    const struct shdr *strs, struct vernames *vn)
{
	uint64_t off = s->off;
	int guard = 0;

	while (guard++ < 4096 && in_range(r, off, 16) && off < s->off + s->size) {
		uint64_t cnt = rd(r, off + 2, 2);
		uint64_t aux = rd(r, off + 8, 4);
		uint64_t next = rd(r, off + 12, 4);
		uint64_t a = off + aux;

		for (uint64_t i = 0; i < cnt && i < 4096 && in_range(r, a, 16); i++) {
			uint64_t other = rd(r, a + 6, 2) & 0x7fff;
			const char *n = str_at(r, strs->off, strs->size,
					       rd(r, a + 8, 4));
			uint64_t anext = rd(r, a + 12, 4);

			if (other < VER_MAX && n != NULL &&
			    strncmp(n, "GLIBC_", 6) == 0 && strlen(n + 6) < 16)
				snprintf(vn->glibc[other], sizeof(vn->glibc[0]),
					 "%s", n + 6);
			if (anext == 0)
				break;
			a += anext;
		}
		if (next == 0)
			break;
		off += next;
	}
}

/* The undefined .dynsym symbols bound to a GLIBC_ version: time_t's size. */
static void
time_bits_of(const struct reader *r, const struct shdr *sym,
	     const struct shdr *strs, const struct shdr *versym,
	     const struct vernames *vn, struct elf_info *info)
{
	uint64_t esz = r->is64 ? 24 : 16;
	uint64_t n = sym->size / esz;

	if (versym->size / 2 < n)
		n = versym->size / 2;
	for (uint64_t i = 1; i < n && i < 1000000; i++) {
		uint64_t o = sym->off + i * esz;
		uint64_t shndx = rd(r, o + (r->is64 ? 6 : 14), 2);
		uint64_t ver = rd(r, versym->off + i * 2, 2) & 0x7fff;
		/* st_info's binding: a weak reference is a probe made at run
		 * time (Rust's std looks for __clock_gettime64 and falls back
		 * to clock_gettime), not a call the program depends on */
		uint64_t bind = rd(r, o + (r->is64 ? 4 : 12), 1) >> 4;
		const char *name;

		if (shndx != 0 || ver >= VER_MAX || vn->glibc[ver][0] == '\0' ||
		    bind == 2)
			continue;
		name = str_at(r, strs->off, strs->size, rd(r, o, 4));
		if (name != NULL)
			note_time(info, name, vn->glibc[ver]);
	}
}

static enum isa
isa_of(const struct elf_info *info)
{
	if (info->machine == ELF_EM_AARCH64)
		return ISA_ARMV8;
	if (info->machine != ELF_EM_ARM)
		return ISA_UNKNOWN;
	switch (info->arm_cpu_arch) {
	case -1:
		return ISA_UNKNOWN;
	case 0: case 1: case 2: case 3: case 4: case 5:
	case 6: case 7: case 9: case 11: case 12:
		return ISA_ARMV6;	/* v6 and older, v6-M */
	case 8: case 10: case 13:
		return ISA_ARMV7;	/* v6T2 (Thumb-2), v7, v7E-M */
	case 14: case 15: case 16: case 17: case 18:
		return ISA_ARMV8;
	default:
		return ISA_ARMV8_2;
	}
}

int
elf_read_mem(const unsigned char *buf, size_t len, struct elf_info *info,
	     struct rpx_err *err)
{
	struct reader r = { buf, len, true, false, err };
	uint64_t phoff, shoff, phentsize, phnum, shentsize, shnum, shstrndx;
	uint32_t flags;
	struct shdr dynsym = { 0 }, dynstr = { 0 }, versym = { 0 };
	bool have_dynsym = false, have_versym = false;
	struct vernames vn;

	memset(info, 0, sizeof(*info));
	memset(&vn, 0, sizeof(vn));
	info->arm_cpu_arch = -1;
	if (len < 52 || memcmp(buf, "\177ELF", 4) != 0)
		return bad(&r, "not an ELF file");
	if (buf[4] != 1 && buf[4] != 2)
		return bad(&r, "unknown ELF class");
	if (buf[5] != 1 && buf[5] != 2)
		return bad(&r, "unknown ELF byte order");
	r.is64 = buf[4] == 2;
	r.le = buf[5] == 1;
	if (r.is64 && len < 64)
		return bad(&r, "truncated ELF header");
	info->bits = r.is64 ? 64 : 32;
	info->little_endian = r.le;
	info->type = (int)rd(&r, 16, 2);
	info->machine = (int)rd(&r, 18, 2);
	if (r.is64) {
		phoff = rd(&r, 32, 8);
		shoff = rd(&r, 40, 8);
		flags = (uint32_t)rd(&r, 48, 4);
		phentsize = rd(&r, 54, 2);
		phnum = rd(&r, 56, 2);
		shentsize = rd(&r, 58, 2);
		shnum = rd(&r, 60, 2);
		shstrndx = rd(&r, 62, 2);
	} else {
		phoff = rd(&r, 28, 4);
		shoff = rd(&r, 32, 4);
		flags = (uint32_t)rd(&r, 36, 4);
		phentsize = rd(&r, 42, 2);
		phnum = rd(&r, 44, 2);
		shentsize = rd(&r, 46, 2);
		shnum = rd(&r, 48, 2);
		shstrndx = rd(&r, 50, 2);
	}
	(void)shstrndx;
	if (info->machine == ELF_EM_ARM) {
		info->arm_eabi = (int)(flags >> 24);
		info->arm_hard_float = (flags & EF_ARM_ABI_FLOAT_HARD) != 0;
		info->arm_soft_float = (flags & EF_ARM_ABI_FLOAT_SOFT) != 0;
	}
	if (phnum > 0) {
		if (phentsize < (r.is64 ? 56u : 32u) ||
		    !in_range(&r, phoff, phnum * phentsize))
			return bad(&r, "program headers outside the file");
		for (uint64_t i = 0; i < phnum; i++) {
			uint64_t o = phoff + i * phentsize;
			uint64_t poff, psz;

			if (rd(&r, o, 4) != PT_INTERP)
				continue;
			poff = r.is64 ? rd(&r, o + 8, 8) : rd(&r, o + 4, 4);
			psz = r.is64 ? rd(&r, o + 32, 8) : rd(&r, o + 16, 4);
			if (!in_range(&r, poff, psz) || psz == 0)
				return bad(&r, "interpreter outside the file");
			snprintf(info->interp, sizeof(info->interp), "%.*s",
				 (int)strnlen((const char *)buf + poff,
					      psz < sizeof(info->interp) ?
					      psz : sizeof(info->interp) - 1),
				 (const char *)buf + poff);
		}
	}
	info->is_static = info->interp[0] == '\0';
	if (shnum > 0 && shoff != 0) {
		if (shentsize < (r.is64 ? 64u : 40u) ||
		    !in_range(&r, shoff, shnum * shentsize))
			return bad(&r, "section headers outside the file");
		for (uint64_t i = 0; i < shnum; i++) {
			struct shdr s, link;

			if (!get_shdr(&r, shoff, shentsize, i, &s))
				continue;
			if (s.type == SHT_GNU_VERSYM)
				versym = s, have_versym = true;
			if (s.type == SHT_DYNSYM && s.link < shnum &&
			    get_shdr(&r, shoff, shentsize, s.link, &link) &&
			    link.type == SHT_STRTAB)
				dynsym = s, dynstr = link, have_dynsym = true;
			if (s.type == SHT_GNU_VERNEED && s.link < shnum &&
			    get_shdr(&r, shoff, shentsize, s.link, &link) &&
			    link.type == SHT_STRTAB)
				vernames_of(&r, &s, &link, &vn);
			if (s.type == SHT_ARM_ATTRIBUTES &&
			    info->machine == ELF_EM_ARM) {
				arm_attributes(&r, &s, info);
			} else if (s.type == SHT_GNU_VERNEED ||
				   s.type == SHT_DYNAMIC) {
				if (s.link >= shnum ||
				    !get_shdr(&r, shoff, shentsize, s.link, &link) ||
				    link.type != SHT_STRTAB)
					continue;
				if (s.type == SHT_GNU_VERNEED)
					verneed(&r, &s, &link, info);
				else
					dynamic(&r, &s, &link, info);
			}
		}
	}
	if (have_dynsym && have_versym && info->machine == ELF_EM_ARM &&
	    !r.is64)
		time_bits_of(&r, &dynsym, &dynstr, &versym, &vn, info);
	info->isa = isa_of(info);
	return 0;
}

int
elf_read_file(const char *path, struct elf_info *info, struct rpx_err *err)
{
	struct stat st;
	unsigned char *buf = NULL;
	size_t got = 0;
	int fd, ret;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		rpx_err_set(err, path, 0, 0, "cannot open: %s", strerror(errno));
		return errno == ENOENT ? RPX_ENOTFOUND : RPX_EIO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		rpx_err_set(err, path, 0, 0, "not a regular file");
		return RPX_EIO;
	}
	if ((unsigned long long)st.st_size > ELF_MAX_FILE) {
		close(fd);
		rpx_err_set(err, path, 0, 0, "file too large to be a program");
		return RPX_EPARSE;
	}
	/* mapped: only the pages the headers and tables are on are read (a
	 * 50 MB unstripped build costs no 50 MB read) */
	if (st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
			       fd, 0);

		if (m != MAP_FAILED) {
			close(fd);
			ret = elf_read_mem(m, (size_t)st.st_size, info, err);
			if (ret != 0 && err != NULL)
				snprintf(err->path, sizeof(err->path), "%s",
					 path);
			munmap(m, (size_t)st.st_size);
			return ret;
		}
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	ret = elf_read_mem(buf, got, info, err);
	if (ret != 0 && err != NULL)
		snprintf(err->path, sizeof(err->path), "%s", path);
	free(buf);
	return ret;
}

const char *
elf_machine_name(int machine, char *buf, size_t bufsz)
{
	switch (machine) {
	case ELF_EM_ARM: return "ARM";
	case ELF_EM_AARCH64: return "AArch64";
	case ELF_EM_X86_64: return "x86-64";
	case ELF_EM_386: return "i386";
	}
	snprintf(buf, bufsz, "machine %d", machine);
	return buf;
}

const char *
elf_arm_arch_name(int a)
{
	static const char *const names[] = {
		"pre-ARMv4", "ARMv4", "ARMv4T", "ARMv5T", "ARMv5TE", "ARMv5TEJ",
		"ARMv6", "ARMv6KZ", "ARMv6T2", "ARMv6K", "ARMv7", "ARMv6-M",
		"ARMv6S-M", "ARMv7E-M", "ARMv8-A", "ARMv8-R", "ARMv8-M.baseline",
		"ARMv8-M.mainline", "ARMv8.1-A", "ARMv8.2-A", "ARMv8.3-A",
		"ARMv8.1-M.mainline", "ARMv9",
	};

	if (a < 0 || (size_t)a >= ARRAY_SIZE(names))
		return "";
	return names[a];
}

int
elf_version_cmp(const char *a, const char *b)
{
	/* Numeric components separated by dots; a missing one counts as 0;
	 * anything that is not a digit or a dot ends the version. */
	for (;;) {
		unsigned long x = 0, y = 0;

		for (; *a >= '0' && *a <= '9'; a++)
			x = x < 100000000ul ? x * 10 + (unsigned long)(*a - '0') : x;
		for (; *b >= '0' && *b <= '9'; b++)
			y = y < 100000000ul ? y * 10 + (unsigned long)(*b - '0') : y;
		if (x != y)
			return x < y ? -1 : 1;
		if (*a != '.' && *b != '.')
			return 0;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
}

bool
elf_matches_target(const struct elf_info *info, const struct target *t,
		   const char **why)
{
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	*why = NULL;
	if (t->bits == 64) {
		if (info->machine != ELF_EM_AARCH64 || info->bits != 64) {
			*why = "it is not a 64-bit ARM (AArch64) program";
			return false;
		}
	} else {
		if (info->machine != ELF_EM_ARM || info->bits != 32) {
			*why = "it is not a 32-bit ARM program";
			return false;
		}
		if (t->hard_float && info->arm_soft_float) {
			*why = "it uses the soft-float ABI; Raspberry Pi OS "
			       "and eabihf targets are hard-float";
			return false;
		}
		if (t->hard_float && !info->arm_hard_float) {
			*why = "it does not use the hard-float ABI that "
			       "eabihf targets need";
			return false;
		}
		if (info->arm_eabi != 0 && info->arm_eabi != 5) {
			*why = "its ARM EABI version is not 5 (an old or "
			       "bare-metal toolchain made it)";
			return false;
		}
		if (info->isa != ISA_UNKNOWN && info->isa > t->min_isa &&
		    t->min_isa == ISA_ARMV6) {
			*why = "it contains ARMv7 code (often the start-up "
			       "files of an ARMv7 toolchain such as Debian's "
			       "arm-linux-gnueabihf-gcc): it dies with "
			       "\"Illegal instruction\" on ARMv6 boards";
			return false;
		}
	}
	if (t->libc == LIBC_MUSL && !info->is_static &&
	    strstr(info->interp, "musl") == NULL) {
		*why = "it is dynamically linked against glibc, not musl";
		return false;
	}
	if (t->libc == LIBC_GNU && strstr(info->interp, "musl") != NULL) {
		*why = "it needs the musl loader, not glibc's";
		return false;
	}
	return true;
}
