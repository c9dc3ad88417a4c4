/*
 * Integration test of the wire (src/net), in TAP, run by wire.sh.
 *
 * Against the Dovecot fixture (ports and files from the QF_* variables,
 * fingerprints from WIRE_FP_*): implicit TLS through libetpan, refusals
 * for an unknown CA, a wrong host, an expired certificate and a wrong pin,
 * pins that make a self-signed certificate acceptable, STARTTLS, and a
 * trace without the password. Against small servers of its own, each a
 * thread on a loopback port: a server that never speaks (read timeout,
 * cancel), EOF inside a literal, an oversized literal, bytes injected after
 * the STARTTLS reply, and wire_wait(). Measured figures go out as TAP
 * comments. The plan is printed by wire.sh, which adds its own checks.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "quire/net.h"
#include "quire/util.h"
#include "ctap.h"




static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static int
env_port(const char *name)
{
	const char	*v = env(name);

	return v != NULL ? atoi(v) : 0;
}

static void
opts_init(struct wire_opts *o, int port, enum wire_tls tls, const char *ca)
{
	memset(o, 0, sizeof *o);
	o->host = env("QF_HOST") != NULL ? env("QF_HOST") : "localhost";
	o->port = port;
	o->tls = tls;
	o->ca_file = ca;
	o->connect_timeout_ms = 10000;
	o->read_timeout_ms = 10000;
}

static bool
has(const char *s, const char *part)
{
	return s != NULL && strstr(s, part) != NULL;
}

/* ---- small servers of our own, one connection each ---- */

struct srv;
typedef void srv_fn(struct srv *, int);

struct srv {
	int		 lfd;
	int		 port;
	int		 stop[2];	/* written when the test is done */
	srv_fn		*fn;
	pthread_t	 th;
};

static void *
srv_main(void *arg)
{
	struct srv	*s = arg;
	int		 fd;

	if ((fd = accept(s->lfd, NULL, NULL)) != -1) {
		s->fn(s, fd);
		close(fd);
	}
	return NULL;
}

static void
srv_start(struct srv *s, srv_fn *fn)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;

	memset(s, 0, sizeof *s);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->fn = fn;
	if ((s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(s->lfd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(s->lfd, 1) == -1 ||
	    getsockname(s->lfd, (struct sockaddr *)&sin, &len) == -1 ||
	    pipe2(s->stop, O_CLOEXEC) == -1)
		fatal("test server: %s", strerror(errno));
	s->port = ntohs(sin.sin_port);
	pthread_create(&s->th, NULL, srv_main, s);
}

static void
srv_stop(struct srv *s)
{
	int	fd;

	(void)!write(s->stop[1], "", 1);
	/* Unblock an accept() that never got its client. */
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) != -1) {
		struct sockaddr_in sin = { .sin_family = AF_INET,
		    .sin_port = htons(s->port),
		    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		(void)connect(fd, (struct sockaddr *)&sin, sizeof sin);
		close(fd);
	}
	pthread_join(s->th, NULL);
	close(s->lfd);
	close(s->stop[0]);
	close(s->stop[1]);
}

/* Wait until the test says stop (10 s at most). */
static void
srv_hold(struct srv *s)
{
	struct pollfd	pfd = { s->stop[0], POLLIN, 0 };

	poll(&pfd, 1, 10000);
}

static void
srv_send(int fd, const char *text)
{
	(void)!send(fd, text, strlen(text), MSG_NOSIGNAL);
}

/* Read one line (up to LF) into line; its tag, up to the space, in tag. */
static void
srv_line(int fd, char *line, size_t size, char *tag, size_t tsize)
{
	size_t	n = 0;
	char	c;

	while (n + 1 < size && recv(fd, &c, 1, 0) == 1 && c != '\n')
		line[n++] = c;
	line[n] = '\0';
	n = strcspn(line, " ");
	if (n >= tsize)
		n = tsize - 1;
	memcpy(tag, line, n);
	tag[n] = '\0';
}

static void
srv_silent(struct srv *s, int fd)
{
	srv_hold(s);
}

#define GREETING	"* OK [CAPABILITY IMAP4rev1 STARTTLS] test ready\r\n"

static void
srv_eof_literal(struct srv *s, int fd)
{
	char	line[256], tag[32];

	srv_send(fd, GREETING);
	srv_line(fd, line, sizeof line, tag, sizeof tag);
	srv_send(fd, "* 1 FETCH (BODY[] {100}\r\nabc");
}

static void
srv_huge_literal(struct srv *s, int fd)
{
	char	line[256], tag[32];

	srv_send(fd, GREETING);
	srv_line(fd, line, sizeof line, tag, sizeof tag);
	srv_send(fd, "* 1 FETCH (BODY[] {4294967295}\r\nabc");
	srv_hold(s);
}

static void
srv_inject(struct srv *s, int fd)
{
	char	line[256], tag[32], out[128];

	srv_send(fd, GREETING);
	srv_line(fd, line, sizeof line, tag, sizeof tag);
	snprintf(out, sizeof out, "%s OK begin TLS\r\n* 1 EXISTS\r\n", tag);
	srv_send(fd, out);
	srv_hold(s);
}

static void
srv_late(struct srv *s, int fd)
{
	usleep(150 * 1000);
	srv_send(fd, GREETING);
	srv_hold(s);
}

/* ---- helpers over libetpan ---- */

struct conn {
	struct wire	*w;
	mailimap	*imap;
	int		 r;		/* mailimap_connect()'s result */
};

static bool
conn_open(struct conn *c, const struct wire_opts *o, char **err)
{
	mailstream	*st;

	memset(c, 0, sizeof *c);
	if ((c->w = wire_connect(o, err)) == NULL)
		return false;
	st = mailstream_new(wire_mailstream_low(c->w), 8192);
	c->imap = mailimap_new(0, NULL);
	c->r = mailimap_connect(c->imap, st);
	return true;
}

static void
conn_close(struct conn *c)
{
	if (c->imap != NULL)
		mailimap_free(c->imap);
	c->imap = NULL;
	wire_free(&c->w);
}

static bool
cap_has(mailimap *imap, const char *name)
{
	struct mailimap_capability_data	*cd = NULL;
	clistiter			*it;
	bool				 found = false;

	if (mailimap_capability(imap, &cd) != MAILIMAP_NO_ERROR)
		return false;
	for (it = clist_begin(cd->cap_list); it != NULL; it = it->next) {
		struct mailimap_capability *cap = it->data;

		if (cap->cap_type == MAILIMAP_CAPABILITY_NAME &&
		    strcasecmp(cap->cap_data.cap_name, name) == 0)
			found = true;
		if (cap->cap_type == MAILIMAP_CAPABILITY_AUTH_TYPE &&
		    strncasecmp(name, "AUTH=", 5) == 0 &&
		    strcasecmp(cap->cap_data.cap_auth_type, name + 5) == 0)
			found = true;
	}
	mailimap_capability_data_free(cd);
	return found;
}

/* ---- against the fixture ---- */

static void
test_implicit_tls(void)
{
	struct wire_opts	 o;
	struct wire_stats	 st;
	struct conn		 c;
	char			*err = NULL;
	int64_t			 t0 = now_ms();
	bool			 ok;

	opts_init(&o, env_port("QF_PORT_IMAPS"), WIRE_TLS_IMPLICIT,
	    env("QF_CA"));
	ok = conn_open(&c, &o, &err);
	tap(ok && c.r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED,
	    "implicit TLS with the CA file: greeting through libetpan");
	if (!ok) {
		diag("%s", err);
		free(err);
		return;
	}
	diag("connect + TLS handshake + greeting: %lld ms",
	    (long long)(now_ms() - t0));
	tap(wire_is_tls(c.w) && has(wire_fingerprint(c.w), "sha256:") &&
	    env("WIRE_FP_LOCALHOST") != NULL &&
	    strcmp(wire_fingerprint(c.w), env("WIRE_FP_LOCALHOST")) == 0,
	    "the wire knows the certificate's fingerprint");
	tap(cap_has(c.imap, "IMAP4rev1") && cap_has(c.imap, "AUTH=PLAIN"),
	    "CAPABILITY over the wire");
	tap(mailimap_login(c.imap, env("QF_USER"), env("QF_PASS")) ==
	    MAILIMAP_NO_ERROR, "LOGIN over the wire");
	tap(mailimap_logout(c.imap) == MAILIMAP_NO_ERROR, "LOGOUT");
	wire_stats(c.w, &st);
	diag("bytes in %llu, out %llu, round trips %llu",
	    (unsigned long long)st.bytes_in, (unsigned long long)st.bytes_out,
	    (unsigned long long)st.round_trips);
	tap(st.bytes_in > 100 && st.bytes_out > 20 && st.round_trips >= 3 &&
	    st.round_trips <= 5, "the counters count bytes and round trips");
	mailimap_free(c.imap);
	c.imap = NULL;
	/* libetpan let go; the caller's reference still answers. */
	tap(wire_read(c.w, &ok, 1) == -1 && wire_error(c.w) != NULL,
	    "after libetpan frees its stream the wire fails cleanly (%s)",
	    wire_error(c.w) != NULL ? wire_error(c.w) : "no reason");
	conn_close(&c);
}

/* A refused connection: no wire, a reason with the wanted words. */
static void
check_refused(const char *what, struct wire_opts *o, const char *reason,
    const char *fp)
{
	struct wire	*w;
	char		*err = NULL;
	int64_t		 t0 = now_ms();

	w = wire_connect(o, &err);
	tap(w == NULL && has(err, reason) && (fp == NULL || has(err, fp)),
	    "%s: refused, \"%s\"%s", what, reason,
	    fp != NULL ? " and the fingerprint" : "");
	diag("%s (%lld ms)", err != NULL ? err : "(connected)",
	    (long long)(now_ms() - t0));
	wire_free(&w);
	free(err);
}

static void
test_refusals(void)
{
	struct wire_opts	o;

	opts_init(&o, env_port("QF_PORT_IMAPS"), WIRE_TLS_IMPLICIT, NULL);
	check_refused("implicit TLS without the CA", &o, "unknown issuer",
	    env("WIRE_FP_LOCALHOST"));
	opts_init(&o, env_port("QF_PORT_IMAPS_WRONGHOST"), WIRE_TLS_IMPLICIT,
	    env("QF_CA"));
	check_refused("certificate for another host", &o,
	    "hostname mismatch", "sha256:");
	if (env_port("QF_PORT_IMAPS_EXPIRED") != 0) {
		opts_init(&o, env_port("QF_PORT_IMAPS_EXPIRED"),
		    WIRE_TLS_IMPLICIT, env("QF_CA"));
		check_refused("expired certificate", &o, "expired",
		    "sha256:");
	}
	if (env_port("QF_PORT_IMAPS_SELFSIGNED") != 0) {
		opts_init(&o, env_port("QF_PORT_IMAPS_SELFSIGNED"),
		    WIRE_TLS_IMPLICIT, env("QF_CA"));
		check_refused("self-signed certificate, not pinned", &o,
		    "unknown issuer", env("WIRE_FP_SELFSIGNED"));
	}
	/* A pin wins over a good chain: the wrong one is refused. */
	opts_init(&o, env_port("QF_PORT_IMAPS"), WIRE_TLS_IMPLICIT,
	    env("QF_CA"));
	o.has_pin = true;
	memset(o.pin, 0xab, sizeof o.pin);
	check_refused("a wrong pin over a valid chain", &o, "not the pinned",
	    env("WIRE_FP_LOCALHOST"));
}

/* Connect with a pin and no CA; the greeting must come. */
static void
check_pinned(const char *what, int port, const char *fp)
{
	struct wire_opts	 o;
	struct wire		*w;
	char			*err = NULL, buf[256];
	ssize_t			 n;

	opts_init(&o, port, WIRE_TLS_IMPLICIT, NULL);
	if (fp == NULL || wire_fingerprint_parse(fp, o.pin) == -1) {
		tap(false, "%s: no fingerprint to pin", what);
		return;
	}
	o.has_pin = true;
	w = wire_connect(&o, &err);
	n = w != NULL ? wire_read(w, buf, sizeof buf - 1) : -1;
	if (n > 0)
		buf[n] = '\0';
	tap(n > 4 && strncmp(buf, "* OK", 4) == 0,
	    "%s: pinned, trusted without the CA", what);
	if (err != NULL)
		diag("%s", err);
	free(err);
	wire_free(&w);
}

static void
test_pins(void)
{
	if (env_port("QF_PORT_IMAPS_SELFSIGNED") != 0)
		check_pinned("self-signed certificate",
		    env_port("QF_PORT_IMAPS_SELFSIGNED"),
		    env("WIRE_FP_SELFSIGNED"));
	check_pinned("CA-signed certificate", env_port("QF_PORT_IMAPS"),
	    env("WIRE_FP_LOCALHOST"));
}

static void
test_starttls(void)
{
	struct wire_opts	 o;
	struct conn		 c;
	char			*err = NULL;
	int64_t			 t0;
	bool			 ok;

	opts_init(&o, env_port("QF_PORT_IMAP"), WIRE_TLS_STARTTLS,
	    env("QF_CA"));
	o.trace = true;
	ok = conn_open(&c, &o, &err);
	tap(ok && c.r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED &&
	    !wire_is_tls(c.w) && cap_has(c.imap, "STARTTLS"),
	    "plaintext greeting offers STARTTLS");
	if (!ok) {
		diag("%s", err);
		free(err);
		return;
	}
	t0 = now_ms();
	ok = mailimap_starttls(c.imap) == MAILIMAP_NO_ERROR &&
	    wire_starttls(c.w, c.imap->imap_stream->read_buffer_len,
	    &err) == 0;
	tap(ok && wire_is_tls(c.w), "STARTTLS upgrades the same socket");
	diag("STARTTLS + handshake: %lld ms%s%s", (long long)(now_ms() - t0),
	    err != NULL ? ": " : "", err != NULL ? err : "");
	free(err);
	tap(ok && cap_has(c.imap, "AUTH=PLAIN") &&
	    !cap_has(c.imap, "STARTTLS"),
	    "capabilities asked again after TLS");
	tap(ok && mailimap_login(c.imap, env("QF_USER"), env("QF_PASS")) ==
	    MAILIMAP_NO_ERROR && mailimap_logout(c.imap) == MAILIMAP_NO_ERROR,
	    "LOGIN and LOGOUT after STARTTLS");
	conn_close(&c);
}

/* ---- against servers of our own ---- */

/* STARTTLS by hand against srv_inject. bytewise: read the reply one byte
 * at a time, so the injected line stays in the kernel; else read it all
 * and pass what follows the reply as buffered, as libetpan would. */
static int
raw_starttls(bool bytewise, char **err)
{
	struct wire_opts	 o;
	struct wire		*w;
	struct srv		 s;
	char			 b[512];
	size_t			 len = 0, buffered = 0;
	ssize_t			 n;
	int			 r = 0, lines = 0;

	srv_start(&s, srv_inject);
	opts_init(&o, s.port, WIRE_TLS_STARTTLS, NULL);
	o.host = "127.0.0.1";
	if ((w = wire_connect(&o, err)) == NULL)
		goto out;
	while (lines < 1 && wire_read(w, b, 1) == 1)
		lines += b[0] == '\n';
	wire_write(w, "s1 STARTTLS\r\n", 13);
	usleep(50 * 1000);	/* let the whole reply arrive */
	while (lines < 2 && len < sizeof b &&
	    (n = wire_read(w, b + len, bytewise ? 1 : sizeof b - len)) > 0) {
		len += (size_t)n;
		lines += memchr(b + len - (size_t)n, '\n', (size_t)n) != NULL;
	}
	if (!bytewise)
		buffered = len - (size_t)((char *)memchr(b, '\n', len) - b) -
		    1;
	r = wire_starttls(w, buffered, err);
	if (wire_is_tls(w))
		r = 1;
out:
	srv_stop(&s);
	wire_free(&w);
	return r;
}

static void
test_starttls_injection(void)
{
	struct wire_opts	 o;
	struct srv		 s;
	struct conn		 c;
	char			*err = NULL;
	int			 r = -1, st = -1;

	srv_start(&s, srv_inject);
	opts_init(&o, s.port, WIRE_TLS_STARTTLS, NULL);
	o.host = "127.0.0.1";
	if (conn_open(&c, &o, &err) && (st = mailimap_starttls(c.imap)) ==
	    MAILIMAP_NO_ERROR)
		r = wire_starttls(c.w, c.imap->imap_stream->read_buffer_len,
		    &err);
	tap(c.w != NULL && !wire_is_tls(c.w) && (st != MAILIMAP_NO_ERROR ||
	    (r == -1 && has(err, "after its STARTTLS reply"))),
	    "bytes after the STARTTLS reply, through libetpan: no TLS");
	diag("mailimap_starttls: %d%s%s", st, err != NULL ? "; wire: " : "",
	    err != NULL ? err : "");
	free(err);
	err = NULL;
	srv_stop(&s);
	conn_close(&c);

	r = raw_starttls(false, &err);
	tap(r == -1 && has(err, "after its STARTTLS reply"),
	    "bytes libetpan holds after the STARTTLS reply: refused");
	free(err);
	err = NULL;
	r = raw_starttls(true, &err);
	tap(r == -1 && has(err, "after its STARTTLS reply"),
	    "bytes the kernel holds after the STARTTLS reply: refused");
	diag("%s", err != NULL ? err : "no error");
	free(err);
}

static void
test_read_timeout(void)
{
	struct wire_opts	 o;
	struct wire		*w;
	struct srv		 s;
	char			*err = NULL, b[64];
	int64_t			 t0, dt;
	ssize_t			 n = 0;

	srv_start(&s, srv_silent);
	opts_init(&o, s.port, WIRE_TLS_NONE, NULL);
	o.host = "127.0.0.1";
	o.read_timeout_ms = 1000;
	w = wire_connect(&o, &err);
	t0 = now_ms();
	if (w != NULL)
		n = wire_read(w, b, sizeof b);
	dt = now_ms() - t0;
	tap(w != NULL && n == -1 && dt >= 1000 && dt < 2000 &&
	    has(wire_error(w), "no data from the server for 1 s"),
	    "a silent server: read timeout after 1 s (%lld ms)",
	    (long long)dt);
	diag("timeout accuracy: %+lld ms", (long long)(dt - 1000));
	tap(w != NULL && wire_read(w, b, sizeof b) == -1 &&
	    has(wire_error(w), "no data"), "the failure is sticky");
	srv_stop(&s);
	wire_free(&w);
	free(err);
}

struct canceller {
	struct wire	*w;
	int		 ms;
};

static void *
cancel_main(void *arg)
{
	struct canceller	*k = arg;

	usleep((useconds_t)k->ms * 1000);
	wire_cancel(k->w);
	return NULL;
}

static void
test_cancel(void)
{
	struct wire_opts	 o;
	struct canceller	 k;
	struct wire		*w;
	struct srv		 s;
	pthread_t		 th;
	char			*err = NULL, b[64];
	int64_t			 t0, dt;
	ssize_t			 n;

	srv_start(&s, srv_silent);
	opts_init(&o, s.port, WIRE_TLS_NONE, NULL);
	o.host = "127.0.0.1";
	o.read_timeout_ms = 30000;
	if ((w = wire_connect(&o, &err)) == NULL) {
		tap(false, "cancel: connect: %s", err);
		free(err);
		srv_stop(&s);
		return;
	}
	k.w = w;
	k.ms = 200;
	t0 = now_ms();
	pthread_create(&th, NULL, cancel_main, &k);
	n = wire_read(w, b, sizeof b);
	dt = now_ms() - t0;
	pthread_join(th, NULL);
	tap(n == -1 && has(wire_error(w), "cancelled") && dt < 300,
	    "wire_cancel from another thread ends a blocked read in %lld ms "
	    "after the cancel", (long long)(dt - 200));
	tap(wire_write(w, "x", 1) == -1 && wire_wait(w, -1, 10) == -1 &&
	    has(wire_error(w), "cancelled"),
	    "after a cancel, writes and waits fail too");
	wire_cancel_clear(w);
	tap(wire_error(w) == NULL && wire_wait(w, -1, 50) == 0,
	    "wire_cancel_clear makes the wire usable again");
	srv_stop(&s);
	wire_free(&w);
}

static void
test_eof_in_literal(void)
{
	struct wire_opts	 o;
	struct srv		 s;
	struct conn		 c;
	char			*err = NULL;
	int64_t			 t0, dt;
	int			 r = -1;

	srv_start(&s, srv_eof_literal);
	opts_init(&o, s.port, WIRE_TLS_NONE, NULL);
	o.host = "127.0.0.1";
	t0 = now_ms();
	if (conn_open(&c, &o, &err))
		r = mailimap_noop(c.imap);
	dt = now_ms() - t0;
	tap(r != MAILIMAP_NO_ERROR && c.w != NULL &&
	    has(wire_error(c.w), "the server closed the connection") &&
	    dt < 2000, "EOF inside a literal: an error in %lld ms (%d), not "
	    "a spin", (long long)dt, r);
	free(err);
	srv_stop(&s);
	conn_close(&c);
}

static void
test_huge_literal(void)
{
	struct wire_opts	 o;
	struct srv		 s;
	struct conn		 c;
	char			*err = NULL;
	int			 r = -1;

	srv_start(&s, srv_huge_literal);
	opts_init(&o, s.port, WIRE_TLS_NONE, NULL);
	o.host = "127.0.0.1";
	if (conn_open(&c, &o, &err))
		r = mailimap_noop(c.imap);
	tap(r != MAILIMAP_NO_ERROR && c.w != NULL &&
	    has(wire_error(c.w), "literal of 4294967295 bytes"),
	    "a 4 GiB literal fails the stream through the scanner");
	diag("%s", c.w != NULL && wire_error(c.w) ? wire_error(c.w) : err);
	free(err);
	srv_stop(&s);
	conn_close(&c);
}

static void
test_wait(void)
{
	struct wire_opts	 o;
	struct wire		*w;
	struct srv		 s;
	char			*err = NULL, b[128];
	int			 p[2], r1, r2, r3;
	int64_t			 t0, dt;

	srv_start(&s, srv_late);
	opts_init(&o, s.port, WIRE_TLS_NONE, NULL);
	o.host = "127.0.0.1";
	if (pipe(p) == -1 || (w = wire_connect(&o, &err)) == NULL) {
		tap(false, "wait: connect: %s", err);
		free(err);
		srv_stop(&s);
		return;
	}
	t0 = now_ms();
	r1 = wire_wait(w, p[0], 30);
	(void)!write(p[1], "", 1);
	r2 = wire_wait(w, p[0], 1000);
	(void)!read(p[0], b, 1);
	r3 = wire_wait(w, p[0], 2000);
	dt = now_ms() - t0;
	tap(r1 == 0 && r2 == WIRE_READY_FD && r3 == WIRE_READY_DATA &&
	    dt >= 140 && wire_read(w, b, sizeof b) > 4 &&
	    strncmp(b, "* OK", 4) == 0,
	    "wire_wait: timeout, then the extra fd, then server data");
	srv_stop(&s);
	close(p[0]);
	close(p[1]);
	wire_free(&w);
}

/* The trace went to the log file: LOGIN redacted, no password. */
static void
test_trace_log(const char *path)
{
	FILE	*f;
	char	 line[2048];
	bool	 login = false, leak = false, lines = false;

	if ((f = fopen(path, "r")) == NULL) {
		tap(false, "trace: no log at %s", path);
		return;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		if (strstr(line, "S: * OK") != NULL)
			lines = true;
		if (strstr(line, "LOGIN <redacted>") != NULL)
			login = true;
		if (strstr(line, env("QF_PASS")) != NULL)
			leak = true;
	}
	fclose(f);
	tap(lines && login && !leak,
	    "the trace shows the dialogue, LOGIN redacted, no password");
}

int
main(int argc, char **argv)
{
	const char	*log = argc > 1 ? argv[1] : NULL;
	char		*err = NULL;

	if (env("QF_PORT_IMAPS") == NULL || env("QF_CA") == NULL ||
	    env("QF_PASS") == NULL) {
		printf("Bail out! run me from wire.sh (no QF_* variables)\n");
		return 1;
	}
	if (log != NULL && log_open(log, LL_TRACE, &err) == -1) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	test_implicit_tls();
	test_refusals();
	test_pins();
	test_starttls();
	test_starttls_injection();
	test_read_timeout();
	test_cancel();
	test_eof_in_literal();
	test_huge_literal();
	test_wait();
	if (log != NULL) {
		log_close();
		test_trace_log(log);
	}
	return tap_failed > 0;
}
