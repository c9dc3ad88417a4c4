/*
 * test_conn: a driver for the connection layer (src/imap/conn.c), run by
 * conn.sh against the Dovecot fixture and the scripted fake server.
 *
 *   test_conn [-p PASSWORD] [-u USER] [-d LOGFILE] [-x MS | -X MS] CONFIG
 *
 * It loads CONFIG, takes its first account and opens a connection with
 * conn_open(), then prints what came of it, one "key: value" per line:
 * fail (OK, RETRY or FATAL), err, tls, fingerprint, preauth, auth, a "cap:"
 * line per capability as conn_caps_describe() writes it, and ms (how long
 * conn_open() took). -p and -u stand in for the account's password and
 * user (a wrong password; a user with a line break, which no config file
 * can hold). With -x it then asks CAPABILITY while a second thread calls
 * conn_cancel() after MS milliseconds, and prints cancel_ms and
 * cancel_err. With -X the second thread cancels conn_open() itself after
 * MS milliseconds, through the wire conn_params.on_wire hands out.
 * conn_close() runs last; close_ms says how long it took.
 * conn.sh judges the lines; the exit status is 0 unless the driver itself
 * could not run (2).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../src/imap/imap_priv.h"

struct canceller {
	struct conn	*c;
	int		 ms;
};

/* The wire of a conn_open() in progress, for -X. */
static pthread_mutex_t	 open_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wire	*open_wire;

static void
on_wire(struct wire *w, void *arg)
{
	(void)arg;
	pthread_mutex_lock(&open_lock);
	open_wire = w;
	pthread_mutex_unlock(&open_lock);
}

static void *
cancel_open_later(void *arg)
{
	int	ms = *(int *)arg;

	usleep((useconds_t)ms * 1000);
	pthread_mutex_lock(&open_lock);
	if (open_wire != NULL)
		wire_cancel(open_wire);
	pthread_mutex_unlock(&open_lock);
	return NULL;
}

static long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
fail_name(enum conn_fail f)
{
	switch (f) {
	case CONN_OK:
		return "OK";
	case CONN_RETRY:
		return "RETRY";
	case CONN_FATAL:
		return "FATAL";
	}
	return "?";
}

static void
print_conn(const struct conn *c)
{
	struct buf	 caps = BUF_INIT;
	const char	*fp = wire_fingerprint(c->wire);
	char		*line, *next;

	printf("tls: %s\n", wire_is_tls(c->wire) ? "yes" : "no");
	printf("fingerprint: %s\n", fp != NULL ? fp : "none");
	printf("preauth: %s\n", c->preauth ? "yes" : "no");
	printf("auth: %s\n", c->auth);
	printf("greeting: %s\n", c->greeting);
	conn_caps_describe(c->caps, &caps);
	for (line = caps.data; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		printf("cap: %s\n", line);
	}
	buf_free(&caps);
}

static void *
cancel_later(void *arg)
{
	struct canceller	*k = arg;

	usleep((useconds_t)k->ms * 1000);
	conn_cancel(k->c);
	return NULL;
}

/* Ask CAPABILITY of a server that stalls, and cancel it from a thread. */
static void
run_cancel(struct conn *c, int ms)
{
	struct canceller	 k = { c, ms };
	pthread_t		 t;
	char			*err = NULL;
	long			 t0 = now_ms();
	int			 r;

	if (pthread_create(&t, NULL, cancel_later, &k) != 0) {
		printf("cancel_err: no thread\n");
		return;
	}
	r = conn_refresh_caps(c, &err);
	printf("cancel_ms: %ld\n", now_ms() - t0);
	printf("cancel_err: %s\n", r == 0 ? "none" : err);
	free(err);
	pthread_join(t, NULL);
}

static int
run(const struct account *acct, const char *password, int cancel_ms,
    int cancel_open_ms)
{
	struct conn_params	 p;
	struct conn		*c;
	enum conn_fail		 fail;
	pthread_t		 t;
	char			*err = NULL;
	long			 t0 = now_ms();

	memset(&p, 0, sizeof p);
	p.acct = acct;
	p.password = password;
	p.trace = log_enabled(LL_TRACE);
	p.on_wire = on_wire;
	if (cancel_open_ms >= 0 && pthread_create(&t, NULL, cancel_open_later,
	    &cancel_open_ms) != 0)
		return 2;
	c = conn_open(&p, &fail, &err);
	printf("ms: %ld\n", now_ms() - t0);
	if (cancel_open_ms >= 0)
		pthread_join(t, NULL);
	on_wire(NULL, NULL);	/* conn_cancel() from here on */
	printf("fail: %s\n", fail_name(fail));
	printf("err: %s\n", err != NULL ? err : "none");
	free(err);
	if (c == NULL)
		return 0;
	print_conn(c);
	if (cancel_ms >= 0)
		run_cancel(c, cancel_ms);
	t0 = now_ms();
	conn_close(&c);
	printf("close_ms: %ld\n", now_ms() - t0);
	return 0;
}

static int
usage(void)
{
	fprintf(stderr, "usage: test_conn [-p PASSWORD] [-u USER] "
	    "[-d LOGFILE] [-x MS | -X MS] CONFIG\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct config		*cfg;
	const struct account	*acct;
	struct account		 a;
	const char		*pw_arg = NULL, *user = NULL, *logfile = NULL;
	char			*pw = NULL, *err = NULL;
	int			 ch, cancel_ms = -1, cancel_open_ms = -1, rc;

	while ((ch = getopt(argc, argv, "p:u:d:x:X:")) != -1) {
		switch (ch) {
		case 'p':
			pw_arg = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'd':
			logfile = optarg;
			break;
		case 'x':
			cancel_ms = atoi(optarg);
			break;
		case 'X':
			cancel_open_ms = atoi(optarg);
			break;
		default:
			return usage();
		}
	}
	if (argc - optind != 1)
		return usage();
	if (logfile != NULL && log_open(logfile, LL_TRACE, &err) != 0) {
		fprintf(stderr, "test_conn: %s\n", err);
		return 2;
	}
	cfg = config_load(argv[optind], true);
	if (cfg->nerrors > 0 || (acct = config_account(cfg, NULL, &err)) ==
	    NULL) {
		fprintf(stderr, "test_conn: %s: %s\n", argv[optind],
		    cfg->nerrors > 0 ? cfg->errors[0].msg : err);
		return 2;
	}
	a = *acct;
	if (user != NULL)
		a.user = (char *)user;
	if (pw_arg == NULL && config_password(&a, &pw, &err) != 0) {
		fprintf(stderr, "test_conn: %s\n", err);
		return 2;
	}
	rc = run(&a, pw_arg != NULL ? pw_arg : pw, cancel_ms, cancel_open_ms);
	xfree_secret(pw);
	config_free(&cfg);
	log_close();
	return rc;
}
