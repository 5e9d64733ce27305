/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * doctor_int.h - the check functions of doctor.c's table that live in
 * their own files: doctor_cargo.c (Cargo config, linker, rustflags,
 * [build] target, runner) and doctor_host.c (the Pi over SSH). A Pi
 * core's ISA is pi_cpu_isa() (cpu.h) for both.
 */
#ifndef RPX_DOCTOR_INT_H
#define RPX_DOCTOR_INT_H

#include "cpu.h"
#include "doctor.h"

void doctor_check_config_parse(const struct doctor_input *in,
			       struct doctor_result *r);
void doctor_check_linker(const struct doctor_input *in,
			 struct doctor_result *r);
void doctor_check_rustflags(const struct doctor_input *in,
			    struct doctor_result *r);
void doctor_check_build_target(const struct doctor_input *in,
			       struct doctor_result *r);
void doctor_check_runner(const struct doctor_input *in,
			 struct doctor_result *r);

void doctor_check_host_reachable(const struct doctor_input *in,
				 struct doctor_result *r);
void doctor_check_host_key(const struct doctor_input *in,
			   struct doctor_result *r);
void doctor_check_host_auth(const struct doctor_input *in,
			    struct doctor_result *r);
void doctor_check_host_glibc(const struct doctor_input *in,
			     struct doctor_result *r);
void doctor_check_host_space(const struct doctor_input *in,
			     struct doctor_result *r);
void doctor_check_host_board(const struct doctor_input *in,
			     struct doctor_result *r);

/* doctor_sysroot.c: the sysroot the config links through */
void doctor_check_sysroot(const struct doctor_input *in,
			  struct doctor_result *r);
void doctor_check_host_sysroot(const struct doctor_input *in,
			       struct doctor_result *r);
/* What the Pi answered to the probe, or NULL with r set (no host, not
 * logged in, the probe failed). */
const struct remote_probe *doctor_probed(const struct doctor_input *in,
					 struct doctor_result *r);

/*
 * The -C target-cpu of the effective rustflags for t in the Cargo config
 * the input names (malloc'd, NULL when none); *origin (malloc'd, may be
 * NULL) says where they are set.
 */
char *doctor_config_cpu(const struct doctor_input *in, const struct target *t,
			char **origin);

#endif
