/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* sysroot_test.c - the sysroot's link and ld-script fixing on a temporary
 * tree, the manifest's parsing and diff, the dpkg status reading, and
 * sysroot.yaml written and read back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testdir.h"

#include "fsutil.h"
#include "rpx.h"
#include "sysroot/sysroot_int.h"

static void
expect_link(const char *rel, const char *target, const char *want,
	    bool changed)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(fix_link_target(rel, target, &sb), changed);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void
test_link_targets(void **state)
{
	(void)state;
	/* Debian's absolute .so links */
	expect_link("usr/lib/arm-linux-gnueabihf/libpthread.so",
		    "/lib/arm-linux-gnueabihf/libpthread.so.0",
		    "../../../lib/arm-linux-gnueabihf/libpthread.so.0", true);
	/* the classic loader link in /lib */
	expect_link("lib/ld-linux-armhf.so.3",
		    "/lib/arm-linux-gnueabihf/ld-linux-armhf.so.3",
		    "arm-linux-gnueabihf/ld-linux-armhf.so.3", true);
	/* relative and inside already: left alone */
	expect_link("usr/lib/aarch64-linux-gnu/libz.so", "libz.so.1.2.13",
		    "libz.so.1.2.13", false);
	expect_link("lib", "usr/lib", "usr/lib", false);
	/* a relative link climbing above the root stays inside it */
	expect_link("usr/lib/x/liba.so", "../../../../../../etc/a",
		    "../../../etc/a", true);
	/* "." and "//" tidied */
	expect_link("usr/lib/x/liba.so", ".//liba.so.1", "liba.so.1", true);
	/* to the root itself */
	expect_link("usr/lib/x", "/", "../..", true);
	expect_link("x", "/", ".", true);
}

static void
test_ld_script(void **state)
{
	static const char libc[] =
		"/* GNU ld script\n"
		"   Use the shared library, but some functions are only in\n"
		"   the static library, so try that secondarily.  */\n"
		"OUTPUT_FORMAT(elf32-littlearm)\n"
		"GROUP ( /lib/arm-linux-gnueabihf/libc.so.6 "
		"/usr/lib/arm-linux-gnueabihf/libc_nonshared.a  AS_NEEDED "
		"(/lib/arm-linux-gnueabihf/ld-linux-armhf.so.3 ) )\n";
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT;

	(void)state;
	assert_true(fix_is_ld_script(libc, strlen(libc)));
	assert_false(fix_is_ld_script("\177ELF", 4));
	assert_true(fix_ld_script(libc, strlen(libc), &out));
	assert_non_null(strstr(out.buf, "GROUP ( =/lib/arm-linux-gnueabihf/"
			       "libc.so.6 =/usr/lib/arm-linux-gnueabihf/"
			       "libc_nonshared.a"));
	assert_non_null(strstr(out.buf, "AS_NEEDED (=/lib/arm-linux-gnueabihf/"
			       "ld-linux-armhf.so.3 ) )"));
	/* the comment and OUTPUT_FORMAT are untouched */
	assert_memory_equal(out.buf, libc, 120);
	/* a second fix changes nothing: the carried copy stays as it is */
	assert_false(fix_ld_script(out.buf, out.len, &again));
	/* no absolute name: nothing to do (libgcc_s.so) */
	assert_false(fix_ld_script("/* GNU ld script */\nGROUP ( libgcc_s.so.1 "
				   "-lgcc )\n", 45, &again));
	strbuf_release(&out);
	strbuf_release(&again);
}

static void
write_file(const char *dir, const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", dir, rel);

	assert_int_equal(tree_mkparents(dir, rel), 0);
	assert_int_equal(atomic_write(p, text, strlen(text)), 0);
	free(p);
}

static void
make_link(const char *dir, const char *rel, const char *target)
{
	char *p = xasprintf("%s/%s", dir, rel);

	assert_int_equal(tree_mkparents(dir, rel), 0);
	assert_int_equal(symlink(target, p), 0);
	free(p);
}

static char *
read_link(const char *dir, const char *rel)
{
	static char buf[4096];
	char *p = xasprintf("%s/%s", dir, rel);
	ssize_t n = readlink(p, buf, sizeof(buf) - 1);

	free(p);
	assert_true(n > 0);
	buf[n] = '\0';
	return buf;
}

/* A tree like a merged-/usr Pi's: fix_tree makes every link relative and
 * inside, rewrites libc.so, and a hard link to the old file keeps its old
 * content (the previous sysroot is not changed under it). */
static void
test_fix_tree(void **state)
{
	const char *dir = *state;
	char *root = xasprintf("%s/root", dir);
	char *libc = xasprintf("%s/usr/lib/arm-linux-gnueabihf/libc.so", root);
	char *keep = xasprintf("%s/old-libc.so", dir);
	struct fix_stats st;
	char err[256];
	char *text;
	size_t len;
	struct stat sb;

	assert_int_equal(fsutil_mkdirs(root, 0755), 0);
	make_link(root, "lib", "usr/lib");
	write_file(root, "usr/lib/arm-linux-gnueabihf/libc.so",
		   "/* GNU ld script */\nGROUP ( /lib/arm-linux-gnueabihf/"
		   "libc.so.6 )\n");
	write_file(root, "usr/lib/arm-linux-gnueabihf/libc.so.6", "ELF");
	write_file(root, "usr/lib/arm-linux-gnueabihf/libz.so.1.2.13", "ELF");
	make_link(root, "usr/lib/arm-linux-gnueabihf/libz.so",
		  "/lib/arm-linux-gnueabihf/libz.so.1.2.13");
	make_link(root, "usr/lib/arm-linux-gnueabihf/libz.so.1",
		  "libz.so.1.2.13");
	make_link(root, "usr/lib/ld-linux-armhf.so.3",
		  "/usr/lib/arm-linux-gnueabihf/ld-linux-armhf.so.3");
	assert_int_equal(link(libc, keep), 0);

	assert_int_equal(fix_tree(root, &st, err, sizeof(err)), 0);
	assert_int_equal(st.links, 2);
	assert_int_equal(st.scripts, 1);
	assert_int_equal(st.files, 3);
	assert_string_equal(read_link(root, "usr/lib/arm-linux-gnueabihf/"
				      "libz.so"),
			    "../../../lib/arm-linux-gnueabihf/libz.so.1.2.13");
	assert_string_equal(read_link(root, "usr/lib/ld-linux-armhf.so.3"),
			    "arm-linux-gnueabihf/ld-linux-armhf.so.3");
	assert_string_equal(read_link(root, "lib"), "usr/lib");
	/* the link resolves inside the tree, through lib -> usr/lib */
	{
		char *z = xasprintf("%s/usr/lib/arm-linux-gnueabihf/libz.so",
				    root);

		assert_int_equal(stat(z, &sb), 0);
		assert_int_equal(sb.st_size, 3);
		free(z);
	}
	assert_int_equal(fsutil_read_file(libc, &text, &len), 0);
	assert_non_null(strstr(text, "GROUP ( =/lib/arm-linux-gnueabihf/"
			       "libc.so.6 )"));
	free(text);
	assert_int_equal(fsutil_read_file(keep, &text, &len), 0);
	assert_null(strstr(text, "=/lib"));
	free(text);

	/* a second walk finds nothing to do */
	assert_int_equal(fix_tree(root, &st, err, sizeof(err)), 0);
	assert_int_equal(st.links, 0);
	assert_int_equal(st.scripts, 0);
	free(root);
	free(libc);
	free(keep);
}

static void
test_manifest_diff(void **state)
{
	static const char old_text[] =
		"f|10|100|usr/include/a.h\n"
		"f|20|100|usr/include/b.h\n"
		"l|7|100|lib\n"
		"f|30|100|usr/lib/x/libgone.so.1\n"
		"a|40|100|usr/include/added.h\n"
		"s|500|100|var/lib/dpkg/status\n";
	static const char now_text[] =
		"f|10|100|usr/include/a.h\n"
		"f|21|100|usr/include/b.h\n"		/* size changed */
		"f|5|200|usr/include/new.h\n"		/* new */
		"l|7|100|lib\n"
		"s|500|150|var/lib/dpkg/status\n";	/* mtime changed */
	struct manifest old = { NULL, 0, 0 }, now = { NULL, 0, 0 };
	struct mdiff d;
	struct strbuf out = STRBUF_INIT;
	char err[256];

	(void)state;
	assert_int_equal(manifest_parse(&old, old_text, strlen(old_text), err,
					sizeof(err)), 0);
	assert_int_equal(manifest_parse(&now, now_text, strlen(now_text), err,
					sizeof(err)), 0);
	manifest_sort(&old);
	manifest_sort(&now);
	manifest_diff(&old, &now, &d);
	assert_int_equal(d.nkeep, 2);		/* a.h, lib */
	assert_int_equal(d.nfetch, 3);		/* b.h, new.h, status */
	assert_int_equal(d.removed, 1);		/* libgone (added.h is not
						 * the Pi's) */
	assert_int_equal(d.fetch_bytes, 21 + 5 + 500);
	assert_string_equal(d.keep[0]->path, "lib");
	assert_string_equal(d.keep[1]->path, "usr/include/a.h");
	assert_non_null(manifest_find(&now, "usr/include/new.h"));
	assert_null(manifest_find(&now, "usr/include/added.h"));
	mdiff_release(&d);

	/* the same listing twice: nothing to fetch */
	manifest_diff(&now, &now, &d);
	assert_int_equal(d.nfetch, 0);
	assert_int_equal(d.removed, 0);
	assert_int_equal(d.nkeep, now.n);
	mdiff_release(&d);

	/* round trip, in path order */
	manifest_format(&now, &out);
	assert_string_equal(out.buf, "l|7|100|lib\n"
			    "f|10|100|usr/include/a.h\n"
			    "f|21|100|usr/include/b.h\n"
			    "f|5|200|usr/include/new.h\n"
			    "s|500|150|var/lib/dpkg/status\n");
	strbuf_release(&out);
	manifest_release(&old);
	manifest_release(&now);
}

static void
test_manifest_rejects(void **state)
{
	struct manifest m = { NULL, 0, 0 };
	char err[256];
	const char *bad[] = {
		"f|1|2|/etc/passwd\n", "f|1|2|usr/../../etc\n", "x|1|2|a\n",
		"f|-1|2|a\n", "f|1|a\n", "f|1|2|usr//a\n",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(manifest_parse(&m, bad[i], strlen(bad[i]), err,
						sizeof(err)), RPX_EPARSE);
		assert_non_null(strstr(err, "line 1"));
		manifest_release(&m);
	}
}

static void
test_dpkg_status(void **state)
{
	static const char status[] =
		"Package: libc6\nStatus: install ok installed\n"
		"Version: 2.36-9\n\n"
		"Package: libc6-dev\nStatus: install ok installed\n"
		"Architecture: armhf\nVersion: 2.36-9+rpt2\n\n"
		"Package: zlib1g-dev\nStatus: deinstall ok config-files\n"
		"Version: 1:1.2.13\n\n"
		"Package: libssl-dev\nStatus: install ok installed\n"
		"Version: 3.0.11-1\n";
	struct sysroot_info info;

	(void)state;
	memset(&info, 0, sizeof(info));
	sysroot_parse_dpkg_status(status, strlen(status), &info);
	assert_int_equal(info.npackages, 2);
	assert_string_equal(info.packages[0].name, "libc6-dev");
	assert_string_equal(info.packages[0].version, "2.36-9+rpt2");
	assert_string_equal(info.packages[1].name, "libssl-dev");
	sysroot_info_release(&info);
}

static void
test_yaml_round_trip(void **state)
{
	const char *dir = *state;
	struct sysroot_info a, b;
	char err[512];

	memset(&a, 0, sizeof(a));
	a.name = xstrdup("127.0.0.1-bookworm-armhf");
	a.host = xstrdup("127.0.0.1");
	a.user = xstrdup("pi");
	a.port = 2222;
	a.target = xstrdup("armv7-unknown-linux-gnueabihf");
	a.gnu_triple = xstrdup("arm-linux-gnueabihf");
	a.dpkg_arch = xstrdup("armhf");
	a.os_id = xstrdup("raspbian");
	a.os_codename = xstrdup("bookworm");
	a.os_pretty = xstrdup("Raspbian \"GNU\"/Linux 12: (bookworm)");
	a.glibc = xstrdup("2.36");
	a.pulled = xstrdup("2026-12-02T09:00:00Z");
	a.files = 1234;
	a.bytes = 5678;
	sysroot_info_add_pkg(&a.packages, &a.npackages, &a.apackages,
			     "libc6-dev", "2.36-9");
	sysroot_info_add_pkg(&a.added, &a.nadded, &a.aadded, "libudev-dev",
			     "252.30-1");
	assert_int_equal(sysroot_info_save(dir, &a, err, sizeof(err)), 0);
	assert_int_equal(sysroot_info_load(dir, &b, err, sizeof(err)), 0);
	assert_string_equal(b.name, a.name);
	assert_string_equal(b.os_pretty, a.os_pretty);
	assert_int_equal(b.port, 2222);
	assert_int_equal(b.files, 1234);
	assert_int_equal(b.bytes, 5678);
	assert_int_equal(b.npackages, 1);
	assert_string_equal(b.packages[0].version, "2.36-9");
	assert_int_equal(b.nadded, 1);
	assert_string_equal(b.added[0].name, "libudev-dev");
	sysroot_info_release(&a);
	sysroot_info_release(&b);
}

static void
test_default_name(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	sysroot_default_name("127.0.0.1", "bookworm", "armhf", &sb);
	assert_string_equal(sb.buf, "127.0.0.1-bookworm-armhf");
	sysroot_default_name("::1", "", "arm64", &sb);
	assert_string_equal(sb.buf, "--1-unknown-arm64");
	strbuf_release(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_targets),
		cmocka_unit_test(test_ld_script),
		cmocka_unit_test_setup_teardown(test_fix_tree, testdir_setup,
						testdir_teardown),
		cmocka_unit_test(test_manifest_diff),
		cmocka_unit_test(test_manifest_rejects),
		cmocka_unit_test(test_dpkg_status),
		cmocka_unit_test_setup_teardown(test_yaml_round_trip,
						testdir_setup,
						testdir_teardown),
		cmocka_unit_test(test_default_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
