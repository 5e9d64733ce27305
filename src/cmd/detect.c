/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * detect.c - `rpi-cross detect`: probe a Pi over SSH (one connection, one
 * remote command) and say which target, CPU and libc fit it, and why.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "fleet.h"
#include "json.h"
#include "remote.h"
#include "ssh_cli.h"

static const struct opt detect_opts[] = {
	OPT_JSON_ENTRY, OPT_SSH_ENTRIES, OPT_HELP_ENTRY, OPT_END_TABLE,
};

static const struct cmd_info detect_info = {
	"detect",
	"rpi-cross detect [USER@]HOST[:PORT] [--json]",
	"Probe a Pi over SSH: model, architecture, OS, glibc, and the advice\n"
	"that follows (target, CPU, gnu or musl).",
	"HOST may be a Host alias of ~/.ssh/config, an address, or [IPv6]:PORT.\n"
	"The userland's bitness comes from getconf LONG_BIT (uname -m names the\n"
	"kernel: a 32-bit Raspberry Pi OS on a Pi 4 or 5 runs a 64-bit kernel).\n"
	"An unknown host key is shown and asked about at a terminal; elsewhere\n"
	"it is refused unless --accept-new-host-key. A changed key is always\n"
	"refused. Several hosts (a,b,c) are probed at once, each line prefixed\n"
	"with its host, a summary at the end; the exit status is the worst.",
	detect_opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_detect_info(void)
{
	return &detect_info;
}

/* The advice: target, CPU, libc, and the reasons. */
struct advice {
	const struct target *target;
	const char *why;
	const char *cpu;
	enum libc libc;
	char libc_why[256];
	char note[256];
};

static void
advise(const struct remote_probe *p, struct advice *a)
{
	const struct board *b = p->ident.board;
	int bits = p->os_bits ? p->os_bits : (b ? board_default_bits(b) : 32);
	bool old_glibc = p->glibc[0] != '\0' &&
			 elf_version_cmp(p->glibc, "2.34") < 0;

	memset(a, 0, sizeof(*a));
	a->libc = LIBC_GNU;
	if (p->glibc[0] == '\0') {
		a->libc = LIBC_MUSL;
		snprintf(a->libc_why, sizeof(a->libc_why),
			 "no glibc found on the Pi: a static musl binary "
			 "needs no C library there");
	} else if (p->isa == ISA_ARMV6) {
		a->libc = LIBC_MUSL;
		snprintf(a->libc_why, sizeof(a->libc_why),
			 "ARMv6: Debian/Ubuntu's cross gcc links ARMv7 start-up "
			 "code; musl with rust-lld (pure Rust) or an ARMv6 "
			 "toolchain avoids \"Illegal instruction\"");
	} else if (old_glibc) {
		a->libc = LIBC_MUSL;
		snprintf(a->libc_why, sizeof(a->libc_why),
			 "the Pi has glibc %s, older than current cross "
			 "toolchains link against (2.34 and newer): a static "
			 "musl binary avoids \"GLIBC_2.34 not found\"; or "
			 "build gnu against a sysroot with glibc <= %s",
			 p->glibc, p->glibc);
	} else {
		snprintf(a->libc_why, sizeof(a->libc_why),
			 "the Pi has glibc %s: gnu gives smaller binaries and "
			 "a faster allocator; link against glibc <= %s",
			 p->glibc, p->glibc);
	}
	if (b != NULL) {
		a->target = board_recommend(b, bits, a->libc, &a->why);
		a->cpu = b->cpu->name;
		if (a->target == NULL && bits == 64)
			a->target = board_recommend(b, 32, a->libc, &a->why);
	} else {
		/* Unknown board: the userland and the kernel's ISA decide;
		 * no CPU is guessed. */
		const char *triple;

		if (bits == 64)
			triple = a->libc == LIBC_MUSL ?
				 "aarch64-unknown-linux-musl" :
				 "aarch64-unknown-linux-gnu";
		else if (p->isa >= ISA_ARMV7)
			triple = a->libc == LIBC_MUSL ?
				 "armv7-unknown-linux-musleabihf" :
				 "armv7-unknown-linux-gnueabihf";
		else
			triple = a->libc == LIBC_MUSL ?
				 "arm-unknown-linux-musleabihf" :
				 "arm-unknown-linux-gnueabihf";
		a->target = target_find(triple);
		a->why = "unknown board: chosen from the userland's bitness "
			 "and the CPU architecture uname reports";
		a->cpu = NULL;
	}
	if (p->os_bits == 32 && strcmp(p->machine, "aarch64") == 0)
		snprintf(a->note, sizeof(a->note),
			 "uname -m says aarch64, but that is the kernel: the "
			 "userland is 32-bit, so 64-bit programs will not run");
}

static void
print_text(const struct ctx *ctx, const struct remote *r,
	   const struct remote_probe *p, const struct advice *a)
{
	FILE *f = ctx->out;
	const struct board *b = p->ident.board;
	const char *bold = rpx_sgr(ctx->color_out, SGR_BOLD);
	const char *reset = rpx_sgr(ctx->color_out, SGR_RESET);

	fprintf(f, "Host:       %s\n", r->display);
	if (b != NULL)
		fprintf(f, "Board:      %s%s%s (%s, %s x%d, %s)\n", bold,
			p->ident.model[0] ? p->ident.model : b->name, reset,
			b->soc, b->cpu->core, b->cores, isa_name(b->cpu->isa));
	else if (p->ident.is_pi)
		fprintf(f, "Board:      unknown Raspberry Pi '%s'\n",
			p->ident.model);
	else
		fprintf(f, "Board:      not identified (%s)\n",
			p->ident.model[0] ? p->ident.model :
			"no device-tree model, compatible or revision code");
	if (strcmp(p->model_source, "model+revision") == 0)
		fprintf(f, "            from /proc/device-tree/model and "
			"/proc/cpuinfo's Revision\n");
	else if (p->model_source[0])
		fprintf(f, "            from /proc/device-tree/%s\n",
			strcmp(p->model_source, "cpuinfo") == 0 ?
			"../cpuinfo Revision" : p->model_source);
	fprintf(f, "Kernel:     %s (uname -m)\n",
		p->machine[0] ? p->machine : "unknown");
	if (p->os_bits)
		fprintf(f, "Userland:   %d-bit (%s)\n", p->os_bits,
			p->bits_source);
	else
		fprintf(f, "Userland:   unknown bitness\n");
	fprintf(f, "OS:         %s\n", p->os_pretty[0] ? p->os_pretty :
		"unknown (no /etc/os-release)");
	fprintf(f, "glibc:      %s\n", p->glibc[0] ? p->glibc : "none found");
	if (p->home_free_kb >= 0)
		fprintf(f, "Free space: %.1f MB in %s\n",
			p->home_free_kb / 1024.0, p->home);
	if (a->note[0])
		fprintf(f, "Note:       %s\n", a->note);
	fprintf(f, "\n%sAdvice%s\n", bold, reset);
	fprintf(f, "  target:   %s\n", a->target ? a->target->triple :
		"none fits");
	fprintf(f, "            %s\n", a->why);
	if (a->cpu != NULL)
		fprintf(f, "  CPU:      -C target-cpu=%s\n", a->cpu);
	else
		fprintf(f, "  CPU:      generic (board unknown)\n");
	fprintf(f, "  libc:     %s\n", libc_name(a->libc));
	fprintf(f, "            %s\n", a->libc_why);
}

static void
print_json(const struct ctx *ctx, const struct remote *r,
	   const struct remote_probe *p, const struct advice *a)
{
	const struct board *b = p->ident.board;
	struct json j;

	json_init(&j, ctx->out);
	json_doc_begin(&j);
	json_kstr(&j, "host", r->host);
	json_kstr(&j, "user", r->user);
	json_kint(&j, "port", r->port);
	json_key(&j, "board");
	json_obj_begin(&j);
	json_kbool(&j, "is_pi", p->ident.is_pi);
	json_key(&j, "id");
	json_str(&j, b ? b->id : NULL);
	json_key(&j, "name");
	json_str(&j, b ? b->name : NULL);
	json_kstr(&j, "model", p->ident.model);
	json_kstr(&j, "source", p->model_source);
	json_key(&j, "soc");
	json_str(&j, b ? b->soc : p->ident.soc);
	json_key(&j, "core");
	json_str(&j, b ? b->cpu->core : NULL);
	json_kstr(&j, "isa", isa_name(p->isa));
	json_obj_end(&j);
	json_kstr(&j, "machine", p->machine);
	json_kint(&j, "os_bits", p->os_bits);
	json_kstr(&j, "bits_source", p->bits_source);
	json_key(&j, "os");
	json_obj_begin(&j);
	json_kstr(&j, "id", p->os_id);
	json_kstr(&j, "pretty_name", p->os_pretty);
	json_kstr(&j, "codename", p->os_codename);
	json_obj_end(&j);
	json_key(&j, "glibc");
	json_str(&j, p->glibc[0] ? p->glibc : NULL);
	json_kstr(&j, "home", p->home);
	json_kint(&j, "home_free_kb", p->home_free_kb);
	json_key(&j, "advice");
	json_obj_begin(&j);
	json_key(&j, "target");
	json_str(&j, a->target ? a->target->triple : NULL);
	json_kstr(&j, "target_why", a->why);
	json_key(&j, "cpu");
	json_str(&j, a->cpu);
	json_kstr(&j, "libc", libc_name(a->libc));
	json_kstr(&j, "libc_why", a->libc_why);
	json_key(&j, "note");
	json_str(&j, a->note[0] ? a->note : NULL);
	json_obj_end(&j);
	json_doc_end(&j);
}

int
cmd_detect(int argc, char **argv, struct ctx *ctx)
{
	struct opt_parser p;
	struct ssh_cli cli;
	struct remote r = REMOTE_INIT;
	struct remote_probe probe;
	struct advice adv;
	bool json = false;
	char *group = NULL;
	int id, rc, ret = RPX_EXIT_USAGE;

	ssh_cli_init(&cli, ctx);
	opt_init(&p, ctx, detect_info.name, detect_info.opts, argc, argv);
	while ((id = opt_next(&p)) != OPT_DONE) {
		if (id == OPT_ERROR)
			goto out;
		if (id == OPT_HELP) {
			cmd_print_help(ctx, &detect_info);
			ret = RPX_EXIT_OK;
			goto out;
		}
		if (id == OPT_JSON) {
			json = true;
			continue;
		}
		if (ssh_cli_option(&cli, &p, id) == OPT_ERROR)
			goto out;
	}
	if (p.npos != 1) {
		if (p.npos == 0)
			rpx_usage_error(ctx, detect_info.name, "missing argument "
					"(usage: %s)", detect_info.usage);
		else
			rpx_usage_error(ctx, detect_info.name,
					"unexpected argument '%s'", p.pos[1]);
		goto out;
	}
	cli.ro.target = fleet_host(p.pos[0]);
	if (cli.ro.target[0] == '@' &&
	    (cli.ro.target = fleet_group(ctx, cli.ro.target, &group)) == NULL)
		goto out;
	if (fleet_several(cli.ro.target)) {
		ret = fleet_run(ctx, argc, argv, cli.ro.target);
		goto out;
	}
	if (cli.ro.target[0] == '-') {
		rpx_usage_error(ctx, detect_info.name, "host '%s' starts with "
				"'-': refusing it", p.pos[0]);
		goto out;
	}
	ret = RPX_EXIT_FAIL;
	rc = remote_connect(&r, &cli.ro);
	if (rc == 0)
		rc = remote_probe(&r, NULL, &probe);
	if (rc != 0) {
		rpx_errorf(ctx, "%s", r.err);
		goto out;
	}
	advise(&probe, &adv);
	if (json)
		print_json(ctx, &r, &probe, &adv);
	else
		print_text(ctx, &r, &probe, &adv);
	ret = RPX_EXIT_OK;
out:
	free(group);
	remote_release(&r);
	opt_release(&p);
	return ret;
}
