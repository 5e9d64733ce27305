/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * remote_test.c - the parts of remote (src/ssh/) that need no server:
 * target parsing, shell quoting, the probe parser, known_hosts line
 * finding, and the hashes behind upload skipping and hashed known_hosts
 * names.
 * (Everything that talks SSH is tested against a real sshd in
 * tests/suite/remote.sh.) Also the failure codes (enum remote_err) that
 * can be provoked on loopback alone: a closed port, a silent one, and an
 * in-process libssh server whose host key is unknown, changed, or whose
 * login is refused. Reaches the helpers the files of src/ssh/ share
 * through their private header, ssh_int.h, and links the library.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <libssh/server.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#include "hash.h"
#include "ssh/ssh_int.h"

static void
test_sha256(void **state)
{
	struct sha256 c;
	unsigned char d[32];
	char hex[65], a1000[1000];

	(void)state;
	sha256_init(&c);
	sha256_final(&c, d);
	hash_hex(d, 32, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
			    "27ae41e4649b934ca495991b7852b855");
	sha256_init(&c);
	sha256_update(&c, "abc", 3);
	sha256_final(&c, d);
	hash_hex(d, 32, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
			    "b00361a396177a9cb410ff61f20015ad");
	/* 1000 bytes fed in uneven pieces cross block boundaries */
	memset(a1000, 'a', sizeof(a1000));
	sha256_init(&c);
	sha256_update(&c, a1000, 1);
	sha256_update(&c, a1000, 63);
	sha256_update(&c, a1000, 100);
	sha256_update(&c, a1000, 836);
	sha256_final(&c, d);
	hash_hex(d, 32, hex);
	assert_string_equal(hex, "41edece42d63e8d9bf515a9ba6932e1c"
			    "20cbc9f5a5d134645adb5db1b9737ea3");
}

/* A digest fed in pieces equals the one fed whole, whatever the lengths
 * and the pieces (the upload hashes a file chunk by chunk). */
static void
test_sha256_pieces(void **state)
{
	static unsigned char data[5000];
	uint32_t x = 1;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (unsigned char)(x >> 16);
	}
	for (size_t n = 0; n <= sizeof(data); n += n < 200 ? 1 : 331) {
		for (size_t piece = 1; piece <= 4096; piece *= 8) {
			struct sha256 pieces, whole;
			unsigned char dh[32], ds[32];

			sha256_init(&pieces);
			sha256_init(&whole);
			for (size_t o = 0; o < n; o += piece)
				sha256_update(&pieces, data + o,
					      n - o < piece ? n - o : piece);
			sha256_update(&whole, data, n);
			sha256_final(&pieces, dh);
			sha256_final(&whole, ds);
			assert_memory_equal(dh, ds, 32);
		}
	}
}

static void
test_sha1_hmac(void **state)
{
	struct sha1 c;
	unsigned char d[20];
	char hex[41];

	(void)state;
	sha1_init(&c);
	sha1_update(&c, "abc", 3);
	sha1_final(&c, d);
	hash_hex(d, 20, hex);
	assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	/* RFC 2202, test case 2 */
	hmac_sha1("Jefe", 4, "what do ya want for nothing?", 28, d);
	hash_hex(d, 20, hex);
	assert_string_equal(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

static void
test_base64(void **state)
{
	unsigned char out[16];

	(void)state;
	assert_int_equal(hash_base64_decode("aGVsbG8=", 8, out, sizeof(out)), 5);
	assert_memory_equal(out, "hello", 5);
	assert_int_equal(hash_base64_decode("aGVsbG8", 7, out, sizeof(out)), 5);
	assert_int_equal(hash_base64_decode("a*==", 4, out, sizeof(out)), -1);
	assert_int_equal(hash_base64_decode("aGVsbG8=", 8, out, 3), -1);
}

static void
parse_ok(const char *t, const char *user, const char *host, int port)
{
	char *u = NULL, *h = NULL, err[256];
	int p = -1;

	assert_int_equal(remote_parse_target(t, &u, &h, &p, err, sizeof(err)),
			 0);
	if (user == NULL)
		assert_null(u);
	else
		assert_string_equal(u, user);
	assert_string_equal(h, host);
	assert_int_equal(p, port);
	free(u);
	free(h);
}

static void
parse_bad(const char *t, const char *msg_part)
{
	char *u = NULL, *h = NULL, err[256] = "";
	int p = -1;

	assert_int_equal(remote_parse_target(t, &u, &h, &p, err, sizeof(err)),
			 RPX_EINVAL);
	assert_null(u);
	assert_null(h);
	assert_non_null(strstr(err, msg_part));
}

static void
test_parse_target(void **state)
{
	(void)state;
	parse_ok("raspberrypi.local", NULL, "raspberrypi.local", 0);
	parse_ok("pi@10.0.0.5", "pi", "10.0.0.5", 0);
	parse_ok("pi@10.0.0.5:2222", "pi", "10.0.0.5", 2222);
	parse_ok("mypi", NULL, "mypi", 0);
	parse_ok("[::1]:2222", NULL, "::1", 2222);
	parse_ok("pi@[fe80::1]", "pi", "fe80::1", 0);
	parse_ok("::1", NULL, "::1", 0);
	parse_ok("a@b@host:22", "a@b", "host", 22);
	parse_bad("-oProxyCommand=x", "starts with '-'");
	parse_bad("pi@-oProxyCommand=x", "starts with '-'");
	parse_bad("-l@host", "starts with '-'");
	parse_bad("", "no host");
	parse_bad("host:0", "bad port");
	parse_bad("host:65536", "bad port");
	parse_bad("host:22x", "bad port");
	parse_bad("host:", "bad port");
	parse_bad("@host", "empty user");
	parse_bad("pi@", "no host name");
	parse_bad("[::1", "bad bracketed");
	parse_bad("[::1]x", "after ']'");
	parse_bad("pi host", "spaces");
	parse_bad("host;reboot", "shell characters");
}

static const char probe_pi4[] =
	"rpx-probe=1\n"
	"home=/home/pi\n"
	"model=Raspberry Pi 4 Model B Rev 1.4\n"
	"os.PRETTY_NAME=\"Raspbian GNU/Linux 12 (bookworm)\"\n"
	"os.ID=raspbian\n"
	"os.VERSION_CODENAME=bookworm\n"
	"sha256sum=yes\n"
	"glibc=glibc 2.36\n"
	"machine=aarch64\n"
	"long_bit=32\n"
	"df=/dev/root 30000000 1000000 28000000 4% /\n"
	"sh_class= 01\n"
	"file_size=8288\n"
	"file_sha256=41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3  -\n"
	"rpx-end=1\n";

static void
test_probe_parse(void **state)
{
	struct remote_probe p;

	(void)state;
	assert_int_equal(remote_probe_parse(probe_pi4, strlen(probe_pi4), &p),
			 0);
	assert_non_null(p.ident.board);
	assert_string_equal(p.ident.board->id, "pi4");
	assert_string_equal(p.model_source, "model");
	assert_string_equal(p.machine, "aarch64");
	/* the kernel says aarch64; the userland is 32-bit */
	assert_int_equal(p.os_bits, 32);
	assert_string_equal(p.bits_source, "getconf LONG_BIT");
	assert_string_equal(p.glibc, "2.36");
	assert_string_equal(p.os_id, "raspbian");
	assert_string_equal(p.os_pretty, "Raspbian GNU/Linux 12 (bookworm)");
	assert_string_equal(p.os_codename, "bookworm");
	assert_string_equal(p.home, "/home/pi");
	assert_true(p.home_free_kb == 28000000);
	assert_true(p.has_sha256sum);
	assert_true(p.file_size == 8288);
	assert_string_equal(p.file_sha256, "41edece42d63e8d9bf515a9ba6932e1c"
			    "20cbc9f5a5d134645adb5db1b9737ea3");
	assert_int_equal(p.isa, ISA_ARMV8);
}

static void
test_probe_parse_fallbacks(void **state)
{
	static const char compat[] =
		"rpx-probe=1\nhome=/home/pi\n"
		"compatible=raspberrypi,5-model-b,brcm,bcm2712,\n"
		"machine=aarch64\ndpkg=arm64\nrpx-end=1\n";
	static const char cpuinfo[] =
		"rpx-probe=1\nhome=/home/pi\n"
		"cpuinfo=Revision\t: 9000c1\n"
		"machine=armv6l\nsh_class= 01\nrpx-end=1\n";
	static const char pi500plus[] =
		"rpx-probe=1\nhome=/home/pi\n"
		"model=Raspberry Pi 500 Rev 1.0\n"
		"cpuinfo=Revision\t: e04190\n"
		"machine=aarch64\ndpkg=arm64\nrpx-end=1\n";
	static const char pi500[] =
		"rpx-probe=1\nhome=/home/pi\n"
		"model=Raspberry Pi 500 Rev 1.0\n"
		"cpuinfo=Revision\t: d04190\n"
		"machine=aarch64\ndpkg=arm64\nrpx-end=1\n";
	static const char cut[] = "rpx-probe=1\nhome=/home/pi\nmachine=a";
	static const char nothing[] =
		"rpx-probe=1\nmachine=x86_64\nrpx-end=1\n";
	struct remote_probe p;

	(void)state;
	assert_int_equal(remote_probe_parse(compat, strlen(compat), &p), 0);
	assert_non_null(p.ident.board);
	assert_string_equal(p.ident.board->id, "pi5");
	assert_string_equal(p.model_source, "compatible");
	assert_int_equal(p.os_bits, 64);
	assert_string_equal(p.bits_source, "dpkg --print-architecture");
	assert_string_equal(p.glibc, "");
	assert_true(p.file_size == -1);

	assert_int_equal(remote_probe_parse(cpuinfo, strlen(cpuinfo), &p), 0);
	assert_non_null(p.ident.board);
	assert_string_equal(p.ident.board->id, "zerow");
	assert_string_equal(p.model_source, "cpuinfo");
	assert_int_equal(p.os_bits, 32);
	assert_string_equal(p.bits_source, "ELF class of /bin/sh");
	assert_int_equal(p.isa, ISA_ARMV6);

	/* a Pi 500+ whose model string says Pi 500: its revision code's
	 * memory field (16 GB) says which; a Pi 500's agrees with its model */
	assert_int_equal(remote_probe_parse(pi500plus, strlen(pi500plus), &p),
			 0);
	assert_non_null(p.ident.board);
	assert_string_equal(p.ident.board->id, "pi500plus");
	assert_string_equal(p.model_source, "model+revision");
	assert_int_equal(remote_probe_parse(pi500, strlen(pi500), &p), 0);
	assert_non_null(p.ident.board);
	assert_string_equal(p.ident.board->id, "pi500");
	assert_string_equal(p.model_source, "model");

	/* a cut-off answer is not half-believed */
	assert_int_equal(remote_probe_parse(cut, strlen(cut), &p), RPX_EPARSE);

	/* not a Pi: no board, no bitness invented */
	assert_int_equal(remote_probe_parse(nothing, strlen(nothing), &p), 0);
	assert_null(p.ident.board);
	assert_int_equal(p.os_bits, 0);
	assert_true(p.home_free_kb == -1);
}

static void
test_probe_script(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	remote_probe_script(&sb, "it's;x");
	/* the file name is quoted, never spliced in bare */
	assert_non_null(strstr(sb.buf, "'it'\\''s;x'"));
	assert_non_null(strstr(sb.buf, "getconf LONG_BIT"));
	assert_non_null(strstr(sb.buf, "rpx-end"));
	strbuf_release(&sb);
}

static void
test_known_hosts_lines(void **state)
{
	char path[] = "/tmp/rpx-kh-XXXXXX";
	struct strbuf sb = STRBUF_INIT;
	char *want = NULL;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("# comment\n"
	      "\n"
	      "other.example ssh-ed25519 AAAA\n"
	      "[10.0.0.5]:2222 ssh-ed25519 AAAA\n"
	      "10.0.0.5 ssh-rsa AAAA\n"
	      "|1|Uud637aqtekLYA0rHb8PmasbYQk=|DGZeWEYp02cJAC6PttESzxcBtAA= "
	      "ssh-ed25519 AAAA\n"
	      "@revoked [10.0.0.5]:2222 ssh-ed25519 AAAA\n"
	      "[10.0.0.*]:2222,!*.9]:2222 ecdsa-sha2-nistp256 AAAA\n"
	      "@cert-authority [10.0.0.5]:2222 ssh-ed25519 AAAA\n",
	      f);
	fclose(f);
	remote_known_hosts_lines(path, "[10.0.0.5]:2222", &sb);
	want = xasprintf("%s:4, %s:6, %s:8, %s:9", path, path, path, path);
	assert_string_equal(sb.buf, want);
	free(want);
	strbuf_reset(&sb);
	remote_known_hosts_lines(path, "[10.0.0.9]:2222", &sb);
	assert_string_equal(sb.buf, "");
	strbuf_reset(&sb);
	remote_known_hosts_lines(path, "10.0.0.5", &sb);
	want = xasprintf("%s:5", path);
	assert_string_equal(sb.buf, want);
	free(want);
	strbuf_release(&sb);
	unlink(path);
}

static void
test_sha256_file(void **state)
{
	char path[] = "/tmp/rpx-sha-XXXXXX", hex[65];
	long long size = 0;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	assert_int_equal(remote_sha256_file(path, hex, &size), 0);
	assert_true(size == 3);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
			    "b00361a396177a9cb410ff61f20015ad");
	unlink(path);
	assert_int_equal(remote_sha256_file(path, hex, &size), RPX_ENOTFOUND);
}

/* ---- failure codes ------------------------------------------------------ */

/* A folder for ~/.ssh (known_hosts, no keys, no config). */
static char *
make_ssh_dir(void)
{
	char tmpl[] = "/tmp/rpx-ssh-XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	/* no agent may offer keys of the user running the tests */
	unsetenv("SSH_AUTH_SOCK");
	return xstrdup(tmpl);
}

static void
remove_ssh_dir(char *dir)
{
	char *kh = xasprintf("%s/known_hosts", dir);

	unlink(kh);
	rmdir(dir);
	free(kh);
	free(dir);
}

/* A loopback port nothing listens on (bound, then closed). With listen,
 * the socket stays open (*fd) and never answers. */
static int
loopback_port(bool listen_on, int *fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(s >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
	if (listen_on) {
		assert_int_equal(listen(s, 4), 0);
		*fd = s;
	} else {
		close(s);
	}
	return ntohs(a.sin_port);
}

/* Connect to pi@127.0.0.1:port with ssh_dir; the code it failed with. */
static enum remote_err
try_connect(int port, const char *ssh_dir, int timeout_s, int *rc,
	    struct remote *r)
{
	struct remote_opts o = REMOTE_OPTS_INIT;
	char *target = xasprintf("pi@127.0.0.1:%d", port);

	o.target = target;
	o.ssh_dir = ssh_dir;
	o.timeout_s = timeout_s;
	*rc = remote_connect(r, &o);
	free(target);
	return r->err_code;
}

static void
test_err_names(void **state)
{
	(void)state;
	assert_string_equal(remote_err_name(REMOTE_ERR_NONE), "none");
	assert_string_equal(remote_err_name(REMOTE_ERR_HOSTKEY_CHANGED),
			    "hostkey-changed");
	assert_string_equal(remote_err_name(REMOTE_ERR_CANCELED), "canceled");
	assert_string_equal(remote_err_name(REMOTE_ERR_COUNT), "?");
	for (int i = 0; i < REMOTE_ERR_COUNT; i++)
		assert_string_not_equal(remote_err_name((enum remote_err)i),
					"?");
}

static void
test_err_bad_target(void **state)
{
	struct remote r = REMOTE_INIT;
	struct remote_opts o = REMOTE_OPTS_INIT;

	(void)state;
	o.target = "-oProxyCommand=x";
	assert_int_equal(remote_connect(&r, &o), RPX_EINVAL);
	assert_int_equal(r.err_code, REMOTE_ERR_BAD_TARGET);
	assert_non_null(strstr(r.err, "starts with '-'"));
	remote_release(&r);
	assert_int_equal(r.err_code, REMOTE_ERR_NONE);
}

static void
test_err_refused(void **state)
{
	struct remote r = REMOTE_INIT;
	char *dir = make_ssh_dir();
	int rc, port = loopback_port(false, NULL);

	(void)state;
	assert_int_equal(try_connect(port, dir, 5, &rc, &r),
			 REMOTE_ERR_CONNECT);
	assert_int_equal(rc, RPX_EIO);
	assert_true(rpx_starts_with(r.err, "cannot connect to"));
	remote_release(&r);
	remove_ssh_dir(dir);
}

static void
test_err_timeout(void **state)
{
	struct remote r = REMOTE_INIT;
	char *dir = make_ssh_dir();
	int rc, fd = -1, port = loopback_port(true, &fd);

	(void)state;
	/* the TCP connection is made (the backlog); no banner ever comes */
	assert_int_equal(try_connect(port, dir, 1, &rc, &r),
			 REMOTE_ERR_TIMEOUT);
	assert_int_equal(rc, RPX_ETIMEOUT);
	remote_release(&r);
	close(fd);
	remove_ssh_dir(dir);
}

/* An SSH server in a thread: one session, every request refused. */
struct fake_sshd {
	ssh_bind bind;
	int port;
	char *pub;		/* its host key, base64 */
	pthread_t th;
};

static void *
fake_sshd_main(void *arg)
{
	struct fake_sshd *d = arg;
	ssh_session s = ssh_new();
	ssh_message m;

	if (ssh_bind_accept(d->bind, s) == SSH_OK &&
	    ssh_handle_key_exchange(s) == SSH_OK) {
		while ((m = ssh_message_get(s)) != NULL) {
			ssh_message_reply_default(m);
			ssh_message_free(m);
		}
	}
	ssh_disconnect(s);
	ssh_free(s);
	return NULL;
}

static void
fake_sshd_start(struct fake_sshd *d)
{
	ssh_key key = NULL;
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int zero = 0;

	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key), 0);
	assert_int_equal(ssh_pki_export_pubkey_base64(key, &d->pub), 0);
	d->bind = ssh_bind_new();
	assert_non_null(d->bind);
	assert_int_equal(ssh_bind_options_set(d->bind, SSH_BIND_OPTIONS_BINDADDR,
					      "127.0.0.1"), 0);
	assert_int_equal(ssh_bind_options_set(d->bind, SSH_BIND_OPTIONS_BINDPORT,
					      &zero), 0);
	/* the bind owns the key from here */
	assert_int_equal(ssh_bind_options_set(d->bind,
					      SSH_BIND_OPTIONS_IMPORT_KEY,
					      key), 0);
	assert_int_equal(ssh_bind_listen(d->bind), 0);
	assert_int_equal(getsockname(ssh_bind_get_fd(d->bind),
				     (struct sockaddr *)&a, &len), 0);
	d->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&d->th, NULL, fake_sshd_main, d), 0);
}

static void
fake_sshd_stop(struct fake_sshd *d)
{
	pthread_join(d->th, NULL);
	ssh_bind_free(d->bind);
	ssh_string_free_char(d->pub);
}

/* known_hosts in dir naming [127.0.0.1]:port with pub (NULL: empty). */
static void
write_known_hosts(const char *dir, int port, const char *pub)
{
	char *path = xasprintf("%s/known_hosts", dir);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	if (pub != NULL)
		fprintf(f, "[127.0.0.1]:%d ssh-ed25519 %s\n", port, pub);
	fclose(f);
	free(path);
}

static void
test_err_hostkey_unknown(void **state)
{
	struct fake_sshd d;
	struct remote r = REMOTE_INIT;
	char *dir = make_ssh_dir();
	int rc;

	(void)state;
	fake_sshd_start(&d);
	write_known_hosts(dir, d.port, NULL);
	assert_int_equal(try_connect(d.port, dir, 5, &rc, &r),
			 REMOTE_ERR_HOSTKEY_UNKNOWN);
	assert_int_equal(rc, RPX_ECANCELED);
	assert_non_null(strstr(r.err, "is not known"));
	remote_release(&r);
	fake_sshd_stop(&d);
	remove_ssh_dir(dir);
}

static void
test_err_hostkey_changed(void **state)
{
	struct fake_sshd d;
	struct remote r = REMOTE_INIT;
	struct strbuf cmd = STRBUF_INIT;
	ssh_key other = NULL;
	char *dir = make_ssh_dir(), *pub = NULL, *want;
	int rc;

	(void)state;
	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &other), 0);
	assert_int_equal(ssh_pki_export_pubkey_base64(other, &pub), 0);
	fake_sshd_start(&d);
	write_known_hosts(dir, d.port, pub);
	assert_int_equal(try_connect(d.port, dir, 5, &rc, &r),
			 REMOTE_ERR_HOSTKEY_CHANGED);
	assert_int_equal(rc, RPX_EINVAL);
	/* the message ends with the command that forgets the old key */
	remote_forget_host_command(&r, &cmd);
	want = xasprintf("ssh-keygen -R '[127.0.0.1]:%d' -f '%s/known_hosts'",
			 d.port, dir);
	assert_string_equal(cmd.buf, want);
	assert_true(strlen(r.err) > cmd.len);
	assert_string_equal(r.err + strlen(r.err) - cmd.len, want);
	free(want);
	strbuf_release(&cmd);
	remote_release(&r);
	fake_sshd_stop(&d);
	ssh_string_free_char(pub);
	ssh_key_free(other);
	remove_ssh_dir(dir);
}

static void
test_err_auth(void **state)
{
	struct fake_sshd d;
	struct remote r = REMOTE_INIT;
	char *dir = make_ssh_dir();
	int rc;

	(void)state;
	fake_sshd_start(&d);
	write_known_hosts(dir, d.port, d.pub);
	/* no agent, no key files, no one to ask for a password */
	assert_int_equal(try_connect(d.port, dir, 5, &rc, &r),
			 REMOTE_ERR_AUTH);
	assert_true(rc != 0);
	remote_release(&r);
	fake_sshd_stop(&d);
	remove_ssh_dir(dir);
}

/* The upload's own checks come before the connection is used. */
static void
test_err_upload_args(void **state)
{
	struct remote r = REMOTE_INIT;
	struct remote_probe probe;
	bool ran = true, uploaded = true;
	int status = -1;

	(void)state;
	assert_int_equal(remote_run_upload(&r, "/nonexistent/rpx-test", "a/b",
					   "0123456789abcdef", 0, NULL, 1, 2,
					   0, NULL, NULL, &probe, &ran,
					   &uploaded, &status), RPX_EINVAL);
	assert_int_equal(r.err_code, REMOTE_ERR_INVALID);
	assert_int_equal(remote_run_upload(&r, "/nonexistent/rpx-test", "b",
					   "0123456789abcdef", 0, NULL, 1, 2,
					   0, NULL, NULL, &probe, &ran,
					   &uploaded, &status), RPX_EIO);
	assert_int_equal(r.err_code, REMOTE_ERR_LOCAL);
	assert_false(ran);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_sha1_hmac),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_parse_target),
		cmocka_unit_test(test_probe_parse),
		cmocka_unit_test(test_probe_parse_fallbacks),
		cmocka_unit_test(test_probe_script),
		cmocka_unit_test(test_known_hosts_lines),
		cmocka_unit_test(test_sha256_file),
		cmocka_unit_test(test_sha256_pieces),
		cmocka_unit_test(test_err_names),
		cmocka_unit_test(test_err_bad_target),
		cmocka_unit_test(test_err_refused),
		cmocka_unit_test(test_err_timeout),
		cmocka_unit_test(test_err_hostkey_unknown),
		cmocka_unit_test(test_err_hostkey_changed),
		cmocka_unit_test(test_err_auth),
		cmocka_unit_test(test_err_upload_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
