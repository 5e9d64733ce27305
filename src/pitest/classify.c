/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * classify.c - which cause a failure names: a tool's own message (cargo's,
 * the Pi's shell, loader or kernel) read for the words that say it, or
 * remote's failure code (see pitest.h). Pure functions.
 */
#include "pitest_int.h"

#include <stdio.h>
#include <string.h>

static bool
has(const char *text, const char *needle)
{
	return strstr(text, needle) != NULL;
}

/* Copy the text after start up to the first byte of stop into subject. */
static void
grab(const char *text, const char *start, const char *stop, char *subject,
     size_t subjectsz)
{
	const char *p = strstr(text, start);
	size_t n;

	if (subject == NULL || subjectsz == 0 || p == NULL)
		return;
	p += strlen(start);
	n = strcspn(p, stop);
	if (n >= subjectsz)
		n = subjectsz - 1;
	memcpy(subject, p, n);
	subject[n] = '\0';
}

/* A linker that runs but links for another machine or ABI says so. */
static bool
wrong_machine_text(const char *t)
{
	return has(t, "file in wrong format") ||
	       has(t, "Relocations in generic ELF") ||
	       has(t, "relocations in generic ELF") ||
	       has(t, "file format not recognized") ||
	       has(t, "is incompatible with") ||
	       has(t, "has EABI version") ||
	       has(t, "uses VFP register arguments") ||
	       has(t, "unknown architecture of input file") ||
	       has(t, "failed to merge target specific data");
}

/*
 * A library of this machine linked into an ARM program: ld skips it
 * ("skipping incompatible /usr/lib/x86_64-linux-gnu/libssl.so when
 * searching for -lssl") or rejects it ("...x86_64-linux-gnu/libz.so: file
 * in wrong format"). subject gets the library's name (ssl, z).
 */
static bool
host_lib_text(const char *t, char *subject, size_t subjectsz)
{
	const char *p = strstr(t, "skipping incompatible ");
	const char *l;

	if (p != NULL && (l = strstr(p, "when searching for -l")) != NULL) {
		grab(l, "when searching for -l", " \n", subject, subjectsz);
		return true;
	}
	if (!has(t, "file in wrong format") && !has(t, "is incompatible with"))
		return false;
	p = strstr(t, "x86_64-linux-gnu/lib");
	if (p == NULL)
		p = strstr(t, "i386-linux-gnu/lib");
	if (p == NULL)
		return false;
	p = strstr(p, "/lib") + strlen("/lib");
	if (subject != NULL && subjectsz > 0) {
		size_t n = strcspn(p, ".:- \n");

		if (n >= subjectsz)
			n = subjectsz - 1;
		memcpy(subject, p, n);
		subject[n] = '\0';
	}
	return true;
}

/* Is the library a missing -l names the C toolchain's own (libgcc_s, libc,
 * libm...)? Then the linker, not a -dev package, is what is wrong. */
static bool
toolchain_lib(const char *t, const char *start, const char *stop)
{
	static const char *const own[] = {
		"gcc_s", "gcc", "c", "m", "dl", "pthread", "rt", "util",
	};
	char name[64] = "";

	grab(t, start, stop, name, sizeof(name));
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strcmp(name, own[i]) == 0)
			return true;
	return false;
}

/* The header of "fatal error: openssl/ssl.h: No such file" (gcc) or
 * "fatal error: 'zlib.h' file not found" (clang) into subject. */
static void
header_name(const char *t, char *subject, size_t subjectsz)
{
	const char *p = strstr(t, "fatal error: ");

	p += strlen("fatal error: ");
	if (*p == '\'')
		grab(p, "'", "'", subject, subjectsz);
	else
		grab(p - 1, " ", ":", subject, subjectsz);
}

static enum pitest_cause
classify_build(const char *t, char *subject, size_t subjectsz)
{
	if (has(t, "can't find crate for `std`") ||
	    has(t, "can't find crate for `core`") ||
	    has(t, "can't find crate for `alloc`")) {
		grab(t, "the `", "`", subject, subjectsz);
		return PTC_STD_MISSING;
	}
	if (has(t, "error: linker `")) {
		grab(t, "error: linker `", "`", subject, subjectsz);
		if (has(t, "` not found"))
			return PTC_LINKER_NOT_FOUND;
	}
	if (has(t, "could not execute process `rustc") ||
	    has(t, "to learn about target-specific information") ||
	    has(t, "could not execute process `cargo") ||
	    has(t, "no such command: `build`")) {
		grab(t, "could not execute process `", " `", subject,
		     subjectsz);
		return PTC_NO_TOOLCHAIN;
	}
	if (has(t, "pkg-config has not been configured to support "
		"cross-compilation")) {
		grab(t, "required by the '", "'", subject, subjectsz);
		return PTC_PKG_CONFIG_CROSS;
	}
	if (host_lib_text(t, subject, subjectsz))
		return PTC_HOST_LIB;
	if (has(t, "could not find system library '")) {
		grab(t, "could not find system library '", "'", subject,
		     subjectsz);
		return PTC_LIB_MISSING;
	}
	if (has(t, "cannot find -l") &&
	    !toolchain_lib(t, "cannot find -l", ": \n")) {
		grab(t, "cannot find -l", ": \n", subject, subjectsz);
		return PTC_LIB_MISSING;
	}
	if (has(t, "unable to find library -l") &&
	    !toolchain_lib(t, "unable to find library -l", " \n")) {
		grab(t, "unable to find library -l", " \n", subject, subjectsz);
		return PTC_LIB_MISSING;
	}
	if (has(t, "fatal error: ") && (has(t, ": No such file or directory")
					 || has(t, "' file not found"))) {
		header_name(t, subject, subjectsz);
		return PTC_HEADER_MISSING;
	}
	if (has(t, "error: linking with `")) {
		grab(t, "error: linking with `", "`", subject, subjectsz);
		return wrong_machine_text(t) ? PTC_WRONG_LINKER :
		       PTC_LINK_FAILED;
	}
	if (wrong_machine_text(t))
		return PTC_WRONG_LINKER;
	if (has(t, "error"))
		return PTC_BUILD_FAILED;
	return PTC_NONE;
}

/* What the Pi's shell, loader or kernel said when writing or running. */
static enum pitest_cause
classify_pi(const char *t, int status, char *subject, size_t subjectsz)
{
	const char *g;

	if (has(t, "No space left on device") || has(t, "Disk quota exceeded"))
		return PTC_DISK_FULL;
	if (has(t, "Read-only file system"))
		return PTC_PERMISSION;
	if (has(t, "Exec format error"))
		return PTC_EXEC_FORMAT;
	if (status == 128 + 4 || has(t, "Illegal instruction") ||
	    has(t, "uncaught target signal 4"))
		return PTC_ILLEGAL_INSN;
	g = strstr(t, "GLIBC_");
	if (g != NULL && has(g, "not found")) {
		grab(g, "GLIBC_", "' \n", subject, subjectsz);
		return PTC_GLIBC_TOO_NEW;
	}
	if (has(t, "Permission denied") || has(t, "Operation not permitted"))
		return PTC_PERMISSION;
	/* execve() says ENOENT for a file that is there when its loader
	 * is not: dash reports "not found" (status 127), others the
	 * errno text; qemu-user names the loader it could not open. */
	if (has(t, "Could not open '/lib") ||
	    has(t, "No such file or directory") ||
	    (status == 127 && has(t, ": not found")))
		return PTC_NO_LOADER;
	if (status > 0)
		return PTC_RUN_FAILED;
	return PTC_NONE;
}

enum pitest_cause
pitest_classify(enum pitest_step step, const char *text, int status,
		char *subject, size_t subjectsz)
{
	if (subject != NULL && subjectsz > 0)
		subject[0] = '\0';
	if (text == NULL)
		text = "";
	switch (step) {
	case PT_BUILD:
		return classify_build(text, subject, subjectsz);
	case PT_UPLOAD: {
		enum pitest_cause c = classify_pi(text, -1, subject,
						  subjectsz);

		if (c != PTC_NONE)
			return c;
		return text[0] ? PTC_OTHER : PTC_NONE;
	}
	case PT_RUN:
		return classify_pi(text, status, subject, subjectsz);
	default:
		return text[0] ? PTC_OTHER : PTC_NONE;
	}
}

static void
set_subject(char *subject, size_t subjectsz, const char *what)
{
	if (subject != NULL && subjectsz > 0)
		snprintf(subject, subjectsz, "%s", what);
}

enum pitest_cause
pitest_classify_remote(enum pitest_step step, enum remote_err code,
		       const char *text, char *subject, size_t subjectsz)
{
	enum pitest_cause c;

	set_subject(subject, subjectsz, "");
	switch (code) {
	case REMOTE_ERR_NONE:
		return PTC_NONE;
	case REMOTE_ERR_LOST:
		return PTC_CONNECT;
	case REMOTE_ERR_DISK_FULL:
		return PTC_DISK_FULL;
	case REMOTE_ERR_UPLOAD:
		/* the Pi's own words: permission, read-only, ... */
		c = pitest_classify(PT_UPLOAD, text, -1, subject, subjectsz);
		return c != PTC_NONE ? c : PTC_OTHER;
	default:
		break;
	}
	/* an upload stops for the connection alone, else it is the step's
	 * own failure */
	if (step == PT_UPLOAD)
		return PTC_OTHER;
	switch (code) {
	case REMOTE_ERR_HOSTKEY_CHANGED:
		set_subject(subject, subjectsz, "changed");
		return PTC_HOST_KEY;
	case REMOTE_ERR_HOSTKEY_UNKNOWN:
		set_subject(subject, subjectsz, "unknown");
		return PTC_HOST_KEY;
	case REMOTE_ERR_HOSTKEY:
		return PTC_HOST_KEY;
	case REMOTE_ERR_AUTH:
		return PTC_AUTH;
	case REMOTE_ERR_CONNECT:
	case REMOTE_ERR_PROXY:
	case REMOTE_ERR_TIMEOUT:
		return PTC_CONNECT;
	case REMOTE_ERR_CANCELED:
		return PTC_CANCELLED;
	default:
		return PTC_OTHER;
	}
}
