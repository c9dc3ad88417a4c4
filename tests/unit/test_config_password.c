/*
 * Unit tests: getting the password (src/config/password.c), with real
 * commands run by /bin/sh: output, exit status, stderr, timeouts, and a
 * command that leaves a process holding its stdout.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "quire/config.h"
#include "unit.h"

static struct account *
account_with(const char *password, const char *cmd, int timeout)
{
	static struct account	 a;

	memset(&a, 0, sizeof a);
	a.name = (char *)"work";
	a.password = (char *)password;
	a.password_cmd = (char *)cmd;
	a.password_cmd_timeout = timeout;
	return &a;
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_outputs(void **state)
{
	static const struct {
		const char	*cmd;
		const char	*password;
	} rows[] = {
		{ "echo secret", "secret" },
		{ "printf 'a\\nb'", "a" },
		{ "printf 'no newline'", "no newline" },
		{ "printf 'crlf\\r\\n'", "crlf" },
		{ "printf ' spaced  \\n'", " spaced  " },
		{ "echo noise >&2; echo pw", "pw" },
		{ "cat; echo after-stdin", "after-stdin" },
		{ "head -c 100000 /dev/zero | tr '\\0' x; echo; echo y",
		  NULL },
		{ "printf 'p\\303\\244ss\\n'", "p\xc3\xa4ss" },
	};
	struct account	*a;
	char		*pw, *err;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		a = account_with(NULL, rows[i].cmd, 10);
		pw = err = NULL;
		if (rows[i].password == NULL) {
			/* A first line past 4 KiB is not a password. */
			assert_int_equal(config_password(a, &pw, &err), -1);
			assert_non_null(strstr(err, "longer than 4096"));
			free(err);
			continue;
		}
		if (config_password(a, &pw, &err) != 0)
			fail_msg("%s: %s", rows[i].cmd, err);
		assert_string_equal(pw, rows[i].password);
		xfree_secret(pw);
	}
}

static void
test_password_option(void **state)
{
	char	*pw = NULL, *err = NULL;

	(void)state;
	assert_int_equal(config_password(account_with("from-file",
	    "exit 1", 1), &pw, &err), 0);
	assert_string_equal(pw, "from-file");
	xfree_secret(pw);
	assert_int_equal(config_password(account_with(NULL, NULL, 1), &pw,
	    &err), -1);
	assert_null(pw);
	assert_non_null(strstr(err, "account 'work' has no password"));
	free(err);
}

static void
test_failures(void **state)
{
	static const struct {
		const char	*cmd;
		const char	*err;
	} rows[] = {
		{ "exit 3", "password_cmd for account 'work' exited with "
		  "status 3" },
		{ "echo err >&2; exit 1", "password_cmd for account 'work' "
		  "exited with status 1: err" },
		{ "printf 'bad\\033[31m\\nline\\n' >&2; exit 2",
		  "exited with status 2: bad[31m line" },
		{ "true", "password_cmd for account 'work' printed no password" },
		{ "echo", "printed no password" },
		{ "printf '\\r\\n'", "printed no password" },
		{ "echo 'gpg: decryption failed' >&2", "printed no password: "
		  "gpg: decryption failed" },
		{ "no-such-command-here", "exited with status 127: " },
		{ "kill -9 $$", "was killed by signal 9" },
	};
	char	*pw, *err;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		pw = err = NULL;
		assert_int_equal(config_password(account_with(NULL,
		    rows[i].cmd, 10), &pw, &err), -1);
		assert_null(pw);
		if (strstr(err, rows[i].err) == NULL)
			fail_msg("%s: '%s' lacks '%s'", rows[i].cmd, err,
			    rows[i].err);
		assert_null(strchr(err, '\033'));
		assert_null(strchr(err, '\n'));
		free(err);
	}
}

/* stderr is cut short in the error text. */
static void
test_long_stderr(void **state)
{
	char	*pw = NULL, *err = NULL;

	(void)state;
	assert_int_equal(config_password(account_with(NULL,
	    "head -c 5000 /dev/zero | tr '\\0' e >&2; exit 1", 10), &pw,
	    &err), -1);
	assert_true(strlen(err) < 300);
	assert_non_null(strstr(err, "eeee"));
	free(err);
}

static void
test_timeout(void **state)
{
	char	*pw = NULL, *err = NULL;
	double	 t0 = now();

	(void)state;
	assert_int_equal(config_password(account_with(NULL, "sleep 10", 1),
	    &pw, &err), -1);
	assert_true(now() - t0 < 3.0);
	assert_true(now() - t0 >= 0.9);
	assert_string_equal(err, "password_cmd for account 'work' did not "
	    "finish within 1 s");
	free(err);
	/* Output before the hang does not count: it did not finish. */
	t0 = now();
	assert_int_equal(config_password(account_with(NULL,
	    "echo early; exec sleep 10", 1), &pw, &err), -1);
	assert_true(now() - t0 < 3.0);
	assert_null(pw);
	free(err);
}

/* A background process that holds stdout open must not hang us. */
static void
test_background_holder(void **state)
{
	char	*pw = NULL, *err = NULL;
	double	 t0 = now();

	(void)state;
	assert_int_equal(config_password(account_with(NULL,
	    "sleep 5 & echo held", 3), &pw, &err), 0);
	assert_true(now() - t0 < 2.0);
	assert_string_equal(pw, "held");
	xfree_secret(pw);
}

/* The whole process group dies on timeout, not just the shell. */
static void
test_timeout_kills_group(void **state)
{
	char	*pw = NULL, *err = NULL, *path, *cmd;
	double	 t0 = now();
	FILE	*f;

	(void)state;
	path = xasprintf("/tmp/quire-test-pw-%ld", (long)getpid());
	cmd = xasprintf("(sleep 2; echo alive > %s) & sleep 10", path);
	assert_int_equal(config_password(account_with(NULL, cmd, 1), &pw,
	    &err), -1);
	assert_true(now() - t0 < 3.0);
	free(err);
	/* Had the subshell lived, it would have written by now. */
	while (now() - t0 < 2.5)
		nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	f = fopen(path, "r");
	if (f != NULL) {
		fclose(f);
		unlink(path);
		fail_msg("a process of the group outlived the timeout");
	}
	free(cmd);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_password_option),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_long_stderr),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_background_holder),
		cmocka_unit_test(test_timeout_kills_group),
	};

	return cmocka_run_group_tests_name("config_password", tests, NULL,
	    NULL);
}
