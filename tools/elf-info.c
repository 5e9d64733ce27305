/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * elf-info FILE - print what rpi-cross reads from an ELF file, as JSON.
 * A test and debugging aid for the elf module; exit 1 when unreadable.
 */
#include <stdio.h>

#include "elf.h"
#include "json.h"
#include "rpx.h"

int
main(int argc, char **argv)
{
	struct elf_info info;
	struct rpx_err err = RPX_ERR_INIT;
	struct json j;
	char buf[32];

	if (argc != 2) {
		fprintf(stderr, "usage: elf-info FILE\n");
		return 2;
	}
	if (elf_read_file(argv[1], &info, &err) != 0) {
		rpx_err_print(stderr, &err);
		return 1;
	}
	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kint(&j, "bits", info.bits);
	json_kstr(&j, "machine", elf_machine_name(info.machine, buf, sizeof(buf)));
	json_kint(&j, "type", info.type);
	json_kbool(&j, "hard_float", info.arm_hard_float);
	json_kbool(&j, "soft_float", info.arm_soft_float);
	json_kint(&j, "arm_eabi", info.arm_eabi);
	json_kstr(&j, "arm_arch", elf_arm_arch_name(info.arm_cpu_arch));
	json_kstr(&j, "isa", isa_name(info.isa));
	json_kstr(&j, "interp", info.interp);
	json_kbool(&j, "static", info.is_static);
	json_kstr(&j, "glibc_max", info.glibc_max);
	json_kint(&j, "time_bits", info.time_bits);
	json_kstr(&j, "time_sym", info.time_sym);
	json_key(&j, "needed");
	json_arr_begin(&j);
	for (int i = 0; i < info.n_needed; i++)
		json_str(&j, info.needed[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	return 0;
}
