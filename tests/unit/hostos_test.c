/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * hostos_test.c - the host OS and its package manager. The parser is fed
 * the os-release texts of Debian, Raspberry Pi OS, Ubuntu, Mint, Pop!_OS,
 * Fedora, RHEL, Rocky, Alma, Arch, Manjaro, EndeavourOS, openSUSE,
 * Alpine, Void and made-up derivatives: ID, ID_LIKE (closest first)
 * deciding the manager, quoting, PRETTY_NAME/NAME/ID as the name, keys
 * that only look alike, truncation, empty input and stale fields.
 * hostos_detect() is run on this host and compared with the parse of the
 * os-release file the test reads itself (uname decides macOS, so the
 * macOS branch cannot be reached on Linux). hostos_pm_name() for all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "fsutil.h"
#include "hostos.h"
#include "rpx.h"

struct release {
	const char *text;
	const char *id, *id_like, *name;
	enum pkg_mgr pm;
};

static const struct release releases[] = {
	/* Debian 12, verbatim. */
	{ "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
	  "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
	  "VERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n"
	  "HOME_URL=\"https://www.debian.org/\"\n",
	  "debian", "", "Debian GNU/Linux 12 (bookworm)", PKG_APT },
	/* Raspberry Pi OS 32-bit, bookworm (PI-FACTS.md section 3). */
	{ "PRETTY_NAME=\"Raspbian GNU/Linux 12 (bookworm)\"\n"
	  "NAME=\"Raspbian GNU/Linux\"\nVERSION_ID=\"12\"\n"
	  "VERSION_CODENAME=bookworm\nID=raspbian\nID_LIKE=debian\n",
	  "raspbian", "debian", "Raspbian GNU/Linux 12 (bookworm)", PKG_APT },
	{ "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nNAME=\"Ubuntu\"\n"
	  "VERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n"
	  "UBUNTU_CODENAME=jammy\n",
	  "ubuntu", "debian", "Ubuntu 22.04.4 LTS", PKG_APT },
	{ "NAME=\"Linux Mint\"\nID=linuxmint\nID_LIKE=\"ubuntu debian\"\n"
	  "PRETTY_NAME=\"Linux Mint 21.3\"\n",
	  "linuxmint", "ubuntu debian", "Linux Mint 21.3", PKG_APT },
	{ "NAME=\"Pop!_OS\"\nID=pop\nID_LIKE=\"ubuntu debian\"\n"
	  "PRETTY_NAME=\"Pop!_OS 22.04 LTS\"\n",
	  "pop", "ubuntu debian", "Pop!_OS 22.04 LTS", PKG_APT },
	{ "NAME=\"Fedora Linux\"\nVERSION=\"40 (Workstation Edition)\"\n"
	  "ID=fedora\nVERSION_ID=40\n"
	  "PRETTY_NAME=\"Fedora Linux 40 (Workstation Edition)\"\n"
	  "ANSI_COLOR=\"0;38;2;60;110;180\"\n",
	  "fedora", "", "Fedora Linux 40 (Workstation Edition)", PKG_DNF },
	{ "NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\n"
	  "ID_LIKE=\"fedora\"\nPRETTY_NAME=\"Red Hat Enterprise Linux 9.4 "
	  "(Plow)\"\n",
	  "rhel", "fedora", "Red Hat Enterprise Linux 9.4 (Plow)", PKG_DNF },
	{ "NAME=\"Rocky Linux\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"
	  "PRETTY_NAME=\"Rocky Linux 9.4 (Blue Onyx)\"\n",
	  "rocky", "rhel centos fedora", "Rocky Linux 9.4 (Blue Onyx)",
	  PKG_DNF },
	{ "NAME=\"AlmaLinux\"\nID=\"almalinux\"\n"
	  "ID_LIKE=\"rhel centos fedora\"\nPRETTY_NAME=\"AlmaLinux 9.4\"\n",
	  "almalinux", "rhel centos fedora", "AlmaLinux 9.4", PKG_DNF },
	/* Arch: no ID_LIKE, no VERSION. */
	{ "NAME=\"Arch Linux\"\nPRETTY_NAME=\"Arch Linux\"\nID=arch\n"
	  "BUILD_ID=rolling\nLOGO=archlinux-logo\n",
	  "arch", "", "Arch Linux", PKG_PACMAN },
	{ "NAME=\"Manjaro Linux\"\nPRETTY_NAME=\"Manjaro Linux\"\nID=manjaro\n"
	  "ID_LIKE=arch\n",
	  "manjaro", "arch", "Manjaro Linux", PKG_PACMAN },
	{ "NAME='EndeavourOS'\nPRETTY_NAME='EndeavourOS'\nID='endeavouros'\n"
	  "ID_LIKE='arch'\n",
	  "endeavouros", "arch", "EndeavourOS", PKG_PACMAN },
	{ "NAME=\"openSUSE Tumbleweed\"\nID=\"opensuse-tumbleweed\"\n"
	  "ID_LIKE=\"opensuse suse\"\nPRETTY_NAME=\"openSUSE Tumbleweed\"\n",
	  "opensuse-tumbleweed", "opensuse suse", "openSUSE Tumbleweed",
	  PKG_ZYPPER },
	{ "NAME=\"openSUSE Leap\"\nID=\"opensuse-leap\"\n"
	  "ID_LIKE=\"suse opensuse\"\nPRETTY_NAME=\"openSUSE Leap 15.6\"\n",
	  "opensuse-leap", "suse opensuse", "openSUSE Leap 15.6", PKG_ZYPPER },
	/* Known to nobody here: no package manager. */
	{ "NAME=\"Alpine Linux\"\nID=alpine\n"
	  "PRETTY_NAME=\"Alpine Linux v3.20\"\n",
	  "alpine", "", "Alpine Linux v3.20", PKG_UNKNOWN },
	{ "NAME=\"Void\"\nID=\"void\"\nPRETTY_NAME=\"Void Linux\"\n",
	  "void", "", "Void Linux", PKG_UNKNOWN },
	/* A derivative decided by ID_LIKE: the first known word wins. */
	{ "ID=kali\nID_LIKE=debian\nPRETTY_NAME=\"Kali GNU/Linux Rolling\"\n",
	  "kali", "debian", "Kali GNU/Linux Rolling", PKG_APT },
	{ "ID=myos\nID_LIKE=\"nothing fedora debian\"\n",
	  "myos", "nothing fedora debian", "myos", PKG_DNF },
	{ "ID=myos\nID_LIKE=\"arch  debian\"\n",
	  "myos", "arch  debian", "myos", PKG_PACMAN },
	/* A known ID wins over ID_LIKE. */
	{ "ID=fedora\nID_LIKE=debian\n", "fedora", "debian", "fedora",
	  PKG_DNF },
	/* NAME when there is no PRETTY_NAME, whatever the order. */
	{ "NAME=\"Some Linux\"\nID=debian\n", "debian", "", "Some Linux",
	  PKG_APT },
	{ "PRETTY_NAME=\"Pretty\"\nNAME=\"Plain\"\nID=arch\n",
	  "arch", "", "Pretty", PKG_PACMAN },
	/* Keys that only look like the ones read; comments; blank lines;
	 * a line without '='; no newline at the end. */
	{ "# ID=arch\n\nVERSION_ID=12\nIDX=fedora\nID_LIKEWISE=arch\n"
	  "XID=arch\nNAMES=x\nXPRETTY_NAME=y\njunk line\nID=ubuntu",
	  "ubuntu", "", "ubuntu", PKG_APT },
	/* A later line overrides an earlier one. */
	{ "ID=arch\nID=debian\n", "debian", "", "debian", PKG_APT },
	/* Quotes come off only when they match. */
	{ "ID=\"debian'\nNAME='a b'\n", "\"debian'", "", "a b", PKG_UNKNOWN },
	{ "ID=\"\"\nNAME=\"\n", "", "", "\"", PKG_UNKNOWN },
	/* Case matters: IDs are lowercase by the os-release rules. */
	{ "ID=Debian\n", "Debian", "", "Debian", PKG_UNKNOWN },
	/* Empty input. */
	{ "", "", "", "", PKG_UNKNOWN },
	{ "\n\n", "", "", "", PKG_UNKNOWN },
};

static void
check_release(const struct release *r)
{
	struct host_os os;

	/* Stale content must not survive a parse. */
	memset(&os, 'x', sizeof(os));
	hostos_parse_os_release(r->text, &os);
	if (strcmp(os.id, r->id) != 0 || strcmp(os.id_like, r->id_like) != 0 ||
	    strcmp(os.name, r->name) != 0 || os.pm != r->pm)
		fail_msg("for [%s]: id [%s] like [%s] name [%s] pm %s",
			 r->text, os.id, os.id_like, os.name,
			 hostos_pm_name(os.pm));
	assert_false(os.macos);
}

static void
test_releases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(releases); i++)
		check_release(&releases[i]);
}

/* Over-long values are cut to the fields' sizes, still terminated. */
static void
test_truncation(void **state)
{
	char longv[300];
	char *text;
	struct host_os os;

	(void)state;
	memset(longv, 'a', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	text = xasprintf("ID=%s\nID_LIKE=\"%s debian\"\nPRETTY_NAME=\"%s\"\n",
			 longv, longv, longv);
	hostos_parse_os_release(text, &os);
	assert_int_equal(strlen(os.id), sizeof(os.id) - 1);
	assert_int_equal(strspn(os.id, "a"), sizeof(os.id) - 1);
	assert_int_equal(strlen(os.id_like), sizeof(os.id_like) - 1);
	assert_int_equal(strlen(os.name), sizeof(os.name) - 1);
	/* Quotes come off before the cut, and the "debian" past the cut
	 * decides nothing. */
	assert_int_equal(strspn(os.id_like, "a"), sizeof(os.id_like) - 1);
	assert_int_equal(strspn(os.name, "a"), sizeof(os.name) - 1);
	assert_int_equal(os.pm, PKG_UNKNOWN);
	free(text);

	/* A value just fitting is kept whole. */
	memset(longv, 'b', sizeof(os.id) - 1);
	longv[sizeof(os.id) - 1] = '\0';
	text = xasprintf("ID=\"%s\"\n", longv);
	hostos_parse_os_release(text, &os);
	assert_string_equal(os.id, longv);
	free(text);
}

static void
test_pm_names(void **state)
{
	(void)state;
	assert_string_equal(hostos_pm_name(PKG_APT), "apt");
	assert_string_equal(hostos_pm_name(PKG_DNF), "dnf");
	assert_string_equal(hostos_pm_name(PKG_PACMAN), "pacman");
	assert_string_equal(hostos_pm_name(PKG_ZYPPER), "zypper");
	assert_string_equal(hostos_pm_name(PKG_BREW), "brew");
	assert_string_equal(hostos_pm_name(PKG_UNKNOWN), "unknown");
	assert_string_equal(hostos_pm_name((enum pkg_mgr)42), "unknown");
}

/*
 * This host: detection agrees with parsing the file it names, read here
 * independently. On a Debian host (this project's build machine) it is
 * apt; the macOS fields stay unset on Linux.
 */
static void
test_detect_this_host(void **state)
{
	struct host_os got, want;
	struct utsname u;
	char *text = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(uname(&u), 0);
	if (strcmp(u.sysname, "Linux") != 0) {
		print_message("not Linux (%s): the os-release branch cannot be "
			      "compared here\n", u.sysname);
		skip();
	}
	if (fsutil_read_file("/etc/os-release", &text, &len) != 0 &&
	    fsutil_read_file("/usr/lib/os-release", &text, &len) != 0) {
		assert_int_equal(hostos_detect(&got), RPX_ENOTFOUND);
		assert_int_equal(got.pm, PKG_UNKNOWN);
		assert_string_equal(got.name, "unknown");
		return;
	}
	hostos_parse_os_release(text, &want);
	memset(&got, 'x', sizeof(got));
	assert_int_equal(hostos_detect(&got), 0);
	assert_string_equal(got.id, want.id);
	assert_string_equal(got.id_like, want.id_like);
	assert_string_equal(got.name, want.name);
	assert_int_equal(got.pm, want.pm);
	assert_false(got.macos);
	assert_true(got.id[0] != '\0');
	if (strcmp(got.id, "debian") == 0 || strcmp(got.id, "ubuntu") == 0)
		assert_int_equal(got.pm, PKG_APT);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_releases),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_pm_names),
		cmocka_unit_test(test_detect_this_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
