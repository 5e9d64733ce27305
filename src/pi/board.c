/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* board.c - Raspberry Pi models and their identification (see board.h). */
#include "board.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rpx.h"

/* A board's core in the CPU table and how many of it the board has: the
 * core's names and ISA live in cpu.c only. */
#define A6 &pi_cpus[PI_ARM1176], 1
#define A7 &pi_cpus[PI_CORTEX_A7], 4
#define A53 &pi_cpus[PI_CORTEX_A53], 4
#define A72 &pi_cpus[PI_CORTEX_A72], 4
#define A76 &pi_cpus[PI_CORTEX_A76], 4

static const struct board boards[] = {
	{ "pi1a", "Raspberry Pi Model A", "BCM2835", A6, "256 MB",
	  false, false, 0x00, "raspberrypi,model-a" },
	{ "pi1b", "Raspberry Pi Model B", "BCM2835", A6, "256 or 512 MB",
	  false, false, 0x01, "raspberrypi,model-b" },
	{ "pi1aplus", "Raspberry Pi Model A+", "BCM2835", A6, "256 or 512 MB",
	  false, false, 0x02, "raspberrypi,model-a-plus" },
	{ "pi1bplus", "Raspberry Pi Model B+", "BCM2835", A6, "512 MB",
	  false, false, 0x03, "raspberrypi,model-b-plus" },
	{ "pi2", "Raspberry Pi 2 Model B", "BCM2836", A7, "1 GB",
	  false, false, 0x04, "raspberrypi,2-model-b" },
	{ "pi2v12", "Raspberry Pi 2 Model B v1.2", "BCM2837", A53, "1 GB",
	  true, false, 0x04, NULL },
	{ "pi3", "Raspberry Pi 3 Model B", "BCM2837", A53, "1 GB",
	  true, true, 0x08, "raspberrypi,3-model-b" },
	{ "pi3bplus", "Raspberry Pi 3 Model B+", "BCM2837B0", A53, "1 GB",
	  true, true, 0x0d, "raspberrypi,3-model-b-plus" },
	{ "pi3aplus", "Raspberry Pi 3 Model A+", "BCM2837B0", A53, "512 MB",
	  true, true, 0x0e, "raspberrypi,3-model-a-plus" },
	{ "pi4", "Raspberry Pi 4 Model B", "BCM2711", A72, "1, 2, 4 or 8 GB",
	  true, true, 0x11, "raspberrypi,4-model-b" },
	{ "pi400", "Raspberry Pi 400", "BCM2711", A72, "4 GB",
	  true, true, 0x13, "raspberrypi,400" },
	{ "pi5", "Raspberry Pi 5 Model B", "BCM2712", A76, "1 to 16 GB",
	  true, true, 0x17, "raspberrypi,5-model-b" },
	{ "pi500", "Raspberry Pi 500", "BCM2712", A76, "8 GB",
	  true, true, 0x19, "raspberrypi,500" },
	/* The 500 with 16 GB and an NVMe SSD, sold as its own product. Its
	 * revision code has the 500's type (0x19: e04190 is 0x19 with 16 GB
	 * where the 500's d04190 has 8 GB) and its device tree the 500's
	 * compatible: the revision code's memory field or the model string
	 * tells them apart (board_from_revision, board_from_model). */
	{ "pi500plus", "Raspberry Pi 500+", "BCM2712", A76, "16 GB",
	  true, true, 0x19, "raspberrypi,500" },
	{ "zero", "Raspberry Pi Zero", "BCM2835", A6, "512 MB",
	  false, false, 0x09, "raspberrypi,model-zero" },
	{ "zerow", "Raspberry Pi Zero W", "BCM2835", A6, "512 MB",
	  false, false, 0x0c, "raspberrypi,model-zero-w" },
	{ "zero2w", "Raspberry Pi Zero 2 W", "RP3A0", A53, "512 MB",
	  true, true, 0x12, "raspberrypi,model-zero-2-w" },
	{ "cm1", "Raspberry Pi Compute Module", "BCM2835", A6, "512 MB",
	  false, false, 0x06, "raspberrypi,compute-module" },
	{ "cm3", "Raspberry Pi Compute Module 3", "BCM2837", A53, "1 GB",
	  true, true, 0x0a, "raspberrypi,3-compute-module" },
	{ "cm3plus", "Raspberry Pi Compute Module 3+", "BCM2837B0", A53,
	  "1 GB", true, true, 0x10, "raspberrypi,3-plus-compute-module" },
	{ "cm4", "Raspberry Pi Compute Module 4", "BCM2711", A72,
	  "1, 2, 4 or 8 GB", true, true, 0x14, "raspberrypi,4-compute-module" },
	{ "cm4s", "Raspberry Pi Compute Module 4S", "BCM2711", A72, "1 GB",
	  true, true, 0x15, "raspberrypi,4s-compute-module" },
	{ "cm5", "Raspberry Pi Compute Module 5", "BCM2712", A76,
	  "2 to 16 GB", true, true, 0x18, "raspberrypi,5-compute-module" },
	{ "cm5lite", "Raspberry Pi Compute Module 5 Lite", "BCM2712", A76,
	  "2 to 16 GB", true, true, 0x1a, NULL },
	{ "cm0", "Raspberry Pi Compute Module 0", "RP3A0", A53, "512 MB",
	  true, true, 0x1b, NULL },
};

static const struct soc_info socs[] = {
	{ "BCM2835", &pi_cpus[PI_ARM1176], false },
	{ "BCM2836", &pi_cpus[PI_CORTEX_A7], false },
	{ "BCM2837", &pi_cpus[PI_CORTEX_A53], true },
	{ "BCM2711", &pi_cpus[PI_CORTEX_A72], true },
	{ "BCM2712", &pi_cpus[PI_CORTEX_A76], true },
};

/* Extra spellings boards report in /proc/device-tree/model. */
static const struct {
	const char *spelling;
	const char *id;
} aliases[] = {
	{ "Raspberry Pi 3 Model B Plus", "pi3bplus" },
	{ "Raspberry Pi 3 Model A Plus", "pi3aplus" },
	{ "Raspberry Pi Model B Plus", "pi1bplus" },
	{ "Raspberry Pi Model A Plus", "pi1aplus" },
	{ "Raspberry Pi Compute Module 3 Plus", "cm3plus" },
	{ "Raspberry Pi 400 Model B", "pi400" },
	{ "Raspberry Pi 5", "pi5" },
	{ "Raspberry Pi 4", "pi4" },
	{ "Raspberry Pi 3", "pi3" },
	{ "Raspberry Pi 2", "pi2" },
};

const struct board *
board_all(int *n)
{
	*n = (int)ARRAY_SIZE(boards);
	return boards;
}

static const struct board *
board_by_id(const char *id)
{
	for (size_t i = 0; i < ARRAY_SIZE(boards); i++)
		if (strcmp(boards[i].id, id) == 0)
			return &boards[i];
	return NULL;
}

/* Case-insensitive, with runs of spaces folded and "+" == " Plus". */
static void
normalize(const char *in, char *out, size_t outsz)
{
	size_t o = 0;
	bool space = false;

	for (const char *p = in; *p && o + 6 < outsz; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == ' ' || c == '\t' || c == '-' || c == '_') {
			space = o > 0;
			continue;
		}
		if (c == '+') {
			memcpy(out + o, " plus", 5);
			o += 5;
			space = false;
			continue;
		}
		if (space) {
			out[o++] = ' ';
			space = false;
		}
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

const struct board *
board_find(const char *s)
{
	char want[160], have[160];

	if (s == NULL || *s == '\0')
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(boards); i++)
		if (rpx_strcasecmp(boards[i].id, s) == 0)
			return &boards[i];
	normalize(s, want, sizeof(want));
	for (size_t i = 0; i < ARRAY_SIZE(boards); i++) {
		normalize(boards[i].name, have, sizeof(have));
		if (strcmp(want, have) == 0)
			return &boards[i];
	}
	for (size_t i = 0; i < ARRAY_SIZE(aliases); i++) {
		normalize(aliases[i].spelling, have, sizeof(have));
		if (strcmp(want, have) == 0)
			return board_by_id(aliases[i].id);
	}
	return NULL;
}

const struct soc_info *
soc_by_name(const char *soc)
{
	if (soc == NULL)
		return NULL;
	if (rpx_strcasecmp(soc, "BCM2837B0") == 0 ||
	    rpx_strcasecmp(soc, "RP3A0") == 0)
		soc = "BCM2837";
	for (size_t i = 0; i < ARRAY_SIZE(socs); i++)
		if (rpx_strcasecmp(socs[i].soc, soc) == 0)
			return &socs[i];
	return NULL;
}

static void
ident_reset(struct board_ident *id)
{
	memset(id, 0, sizeof(*id));
}

static void
ident_set_board(struct board_ident *id, const struct board *b)
{
	id->board = b;
	id->is_pi = true;
	id->soc = b->soc;
	id->isa = b->cpu->isa;
}

/* Copy text without trailing NUL/space/newline, and without control chars. */
static size_t
clean_copy(const char *text, size_t len, char *out, size_t outsz)
{
	size_t o = 0;

	while (len > 0) {
		unsigned char c = (unsigned char)text[len - 1];

		if (c != '\0' && c != '\n' && c != '\r' && c != ' ' && c != '\t')
			break;
		len--;
	}
	for (size_t i = 0; i < len && o + 1 < outsz; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\0')
			break;	/* a model is one string */
		out[o++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	out[o] = '\0';
	return o;
}

int
board_from_model(const char *text, size_t len, struct board_ident *id)
{
	char model[128];
	char *rev;

	ident_reset(id);
	if (text == NULL || clean_copy(text, len, id->model,
				       sizeof(id->model)) == 0)
		return RPX_EINVAL;
	if (!rpx_starts_with(id->model, "Raspberry Pi") ||
	    (id->model[12] != '\0' && id->model[12] != ' '))
		return 0;
	id->is_pi = true;
	snprintf(model, sizeof(model), "%s", id->model);
	rev = strstr(model, " Rev ");
	if (rev != NULL) {
		snprintf(id->revision_suffix, sizeof(id->revision_suffix),
			 "%s", rev + 5);
		*rev = '\0';
	}
	const struct board *b = board_find(model);
	if (b == NULL)
		return 0;
	/* A Pi 2 revision 1.2 carries the BCM2837 (ARMv8). */
	if (strcmp(b->id, "pi2") == 0 &&
	    strcmp(id->revision_suffix, "1.2") == 0)
		b = board_by_id("pi2v12");
	ident_set_board(id, b);
	return 0;
}

int
board_from_compatible(const char *text, size_t len, struct board_ident *id)
{
	size_t i = 0;
	const char *soc = NULL;
	const struct board *found = NULL;

	ident_reset(id);
	if (text == NULL || len == 0)
		return RPX_EINVAL;
	while (i < len) {
		const char *s = text + i;
		size_t n = strnlen(s, len - i);
		char one[96];

		snprintf(one, sizeof(one), "%.*s", (int)n, s);
		if (rpx_starts_with(one, "raspberrypi,")) {
			id->is_pi = true;
			/* the first board with it: "raspberrypi,500" is the
			 * 500's and the 500+'s, and alone it says the 500 */
			for (size_t k = 0; k < ARRAY_SIZE(boards); k++)
				if (boards[k].compatible &&
				    strcmp(boards[k].compatible, one) == 0) {
					found = &boards[k];
					break;
				}
			if (strcmp(one, "raspberrypi,model-b-rev2") == 0)
				found = board_by_id("pi1b");
		} else if (rpx_starts_with(one, "brcm,bcm")) {
			const struct soc_info *si = soc_by_name(one + 5);

			if (si != NULL)
				soc = si->soc;
		}
		i += n + 1;
	}
	if (found != NULL) {
		ident_set_board(id, found);
		/* A Pi 2 with the BCM2837 is the v1.2 board. */
		if (strcmp(found->id, "pi2") == 0 && soc != NULL &&
		    strcmp(soc, "BCM2837") == 0)
			ident_set_board(id, board_by_id("pi2v12"));
	} else if (soc != NULL && id->is_pi) {
		const struct soc_info *si = soc_by_name(soc);

		id->soc = si->soc;
		id->isa = si->cpu->isa;
	}
	return 0;
}

static const struct {
	unsigned code;
	const char *id;
	int ram_mb;
} old_codes[] = {
	{ 0x0002, "pi1b", 256 }, { 0x0003, "pi1b", 256 },
	{ 0x0004, "pi1b", 256 }, { 0x0005, "pi1b", 256 },
	{ 0x0006, "pi1b", 256 }, { 0x0007, "pi1a", 256 },
	{ 0x0008, "pi1a", 256 }, { 0x0009, "pi1a", 256 },
	{ 0x000d, "pi1b", 512 }, { 0x000e, "pi1b", 512 },
	{ 0x000f, "pi1b", 512 }, { 0x0010, "pi1bplus", 512 },
	{ 0x0011, "cm1", 512 }, { 0x0012, "pi1aplus", 256 },
	{ 0x0013, "pi1bplus", 512 }, { 0x0014, "cm1", 512 },
	{ 0x0015, "pi1aplus", 256 },
};

int
board_from_revision(unsigned long code, struct board_ident *id)
{
	static const char *const soc_names[] = {
		"BCM2835", "BCM2836", "BCM2837", "BCM2711", "BCM2712",
	};
	unsigned type, cpu, mem;

	ident_reset(id);
	id->revision = code;
	if (!(code & (1UL << 23))) {
		unsigned low = (unsigned)(code & 0xffffff) & ~(1U << 24);

		for (size_t i = 0; i < ARRAY_SIZE(old_codes); i++) {
			if (old_codes[i].code == (low & 0xffff) &&
			    (low >> 16) == 0) {
				ident_set_board(id, board_by_id(old_codes[i].id));
				id->ram_mb = old_codes[i].ram_mb;
				return 0;
			}
		}
		return RPX_EINVAL;
	}
	mem = (unsigned)(code >> 20) & 7;
	cpu = (unsigned)(code >> 12) & 15;
	type = (unsigned)(code >> 4) & 0xff;
	id->is_pi = true;
	if (mem <= 6)
		id->ram_mb = 256 << mem;
	if (cpu < ARRAY_SIZE(soc_names)) {
		const struct soc_info *si = soc_by_name(soc_names[cpu]);

		id->soc = si->soc;
		id->isa = si->cpu->isa;
	}
	for (size_t i = 0; i < ARRAY_SIZE(boards); i++) {
		if (boards[i].type_code != (int)type)
			continue;
		if (type == 0x04) {	/* Pi 2: v1.1 BCM2836, v1.2 BCM2837 */
			if (cpu == 1)
				ident_set_board(id, board_by_id("pi2"));
			else if (cpu == 2)
				ident_set_board(id, board_by_id("pi2v12"));
			break;
		}
		if (type == 0x19) {	/* 500: 8 GB; 500+: 16 GB (mem 6) */
			ident_set_board(id, board_by_id(mem == 6 ? "pi500plus" :
							"pi500"));
			break;
		}
		ident_set_board(id, &boards[i]);
		break;
	}
	return 0;
}

int
board_from_cpuinfo(const char *text, size_t len, struct board_ident *id)
{
	size_t i = 0;

	ident_reset(id);
	if (text == NULL)
		return RPX_ENOTFOUND;
	while (i < len) {
		const char *line = text + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t n = nl ? (size_t)(nl - line) : len - i;
		char buf[128];

		i += n + 1;
		if (n >= sizeof(buf) || n < 8)
			continue;
		memcpy(buf, line, n);
		buf[n] = '\0';
		if (strncmp(buf, "Revision", 8) != 0)
			continue;
		char *p = buf + 8;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != ':')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		char *end = NULL;
		unsigned long code = strtoul(p, &end, 16);
		if (end == p)
			continue;
		while (*end == ' ' || *end == '\t' || *end == '\r')
			end++;
		if (*end != '\0')
			continue;
		if (board_from_revision(code, id) == 0)
			return 0;
	}
	ident_reset(id);
	return RPX_ENOTFOUND;
}

enum isa
isa_from_uname(const char *m)
{
	if (m == NULL)
		return ISA_UNKNOWN;
	if (rpx_starts_with(m, "armv6"))
		return ISA_ARMV6;
	if (rpx_starts_with(m, "armv7"))
		return ISA_ARMV7;
	if (rpx_starts_with(m, "armv8") || strcmp(m, "aarch64") == 0 ||
	    strcmp(m, "arm64") == 0)
		return ISA_ARMV8;
	return ISA_UNKNOWN;
}

int
board_default_bits(const struct board *b)
{
	return (b != NULL && b->official64) ? 64 : 32;
}

const struct target *
board_recommend(const struct board *b, int os_bits, enum libc libc,
		const char **why)
{
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	if (b == NULL) {
		*why = "unknown board";
		return NULL;
	}
	if (os_bits == 64) {
		if (!b->can64) {
			*why = "this board's CPU is 32-bit only: it runs a "
			       "32-bit OS, so use a 32-bit target";
			return NULL;
		}
		*why = libc == LIBC_MUSL ?
			"64-bit OS: aarch64, static musl runs whatever the Pi's glibc" :
			"64-bit OS: aarch64 with glibc, the Pi OS default";
		return target_find(libc == LIBC_MUSL ?
				   "aarch64-unknown-linux-musl" :
				   "aarch64-unknown-linux-gnu");
	}
	if (b->cpu->isa == ISA_ARMV6) {
		*why = libc == LIBC_MUSL ?
			"ARMv6 CPU: needs the arm- target (an armv7- binary "
			"dies here with \"Illegal instruction\"); static musl "
			"runs whatever the Pi's glibc" :
			"ARMv6 CPU: needs the arm- target (an armv7- binary "
			"dies here with \"Illegal instruction\") and an ARMv6 "
			"linker or sysroot";
		return target_find(libc == LIBC_MUSL ?
				   "arm-unknown-linux-musleabihf" :
				   "arm-unknown-linux-gnueabihf");
	}
	*why = libc == LIBC_MUSL ?
		"32-bit OS on an ARMv7 or newer CPU: armv7 code, static musl "
		"runs whatever the Pi's glibc" :
		"32-bit OS on an ARMv7 or newer CPU: armv7 code is faster "
		"than the ARMv6 baseline and runs on Raspberry Pi OS armhf";
	return target_find(libc == LIBC_MUSL ?
			   "armv7-unknown-linux-musleabihf" :
			   "armv7-unknown-linux-gnueabihf");
}
