/*
 * Unit tests: the process-wide log (src/util/log.c). Each test opens its
 * own file in a private temporary folder, reads it back and closes the log.
 */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quire/util.h"
#include "unit.h"

#define LINE_RE "^[0-9]{4}-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:" \
	"[0-6][0-9]\\.[0-9]{3}Z \\[t[1-9][0-9]*\\] " \
	"(ERROR|WARN|INFO|DEBUG|TRACE) [a-z_]+: "

#define THREADS		4
#define PER_THREAD	250

/* Every file a test creates, so teardown can remove them by name. */
static const char *const files[] = {
	"levels.log", "enabled.log", "escape.log", "mode.log", "append.log",
	"target", "link.log", "close.log", "threads.log",
};

static char	*dir;

/* A fresh path in the test folder; caller frees. */
static char *
log_path(const char *name)
{
	char	*p = xasprintf("%s/%s", dir, name);

	unlink(p);
	return p;
}

/* The whole file split into lines; the array and its strings are freed
 * with ptrarray_free(a, free). */
static void
read_lines(const char *path, struct ptrarray *lines)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;

	f = fopen(path, "r");
	assert_non_null(f);
	while ((n = getline(&line, &cap, f)) != -1) {
		assert_true(n > 0 && line[n - 1] == '\n');
		line[n - 1] = '\0';
		ptrarray_push(lines, xstrdup(line));
	}
	free(line);
	fclose(f);
}

static bool
line_ok(const char *line)
{
	regex_t	 re;
	int	 rc;

	assert_int_equal(regcomp(&re, LINE_RE, REG_EXTENDED | REG_NOSUB), 0);
	rc = regexec(&re, line, 0, NULL, 0);
	regfree(&re);
	return rc == 0;
}

static void
test_log_format_and_levels(void **state)
{
	struct ptrarray	 a = PTRARRAY_INIT;
	char		*path = log_path("levels.log"), *err = NULL;
	size_t		 i;
	static const char *const want[] = {
		"ERROR test_log_format_and_levels: e 1",
		"WARN test_log_format_and_levels: w two",
		"INFO test_log_format_and_levels: i 3.50",
	};

	(void)state;
	assert_int_equal(log_open(path, LL_INFO, &err), 0);
	assert_null(err);
	log_error("e %d", 1);
	log_warn("w %s", "two");
	log_info("i %.2f", 3.5);
	log_debug("not written");
	log_trace("not written either");
	log_close();
	read_lines(path, &a);
	assert_int_equal(a.len, nitems(want));
	for (i = 0; i < a.len; i++) {
		assert_true(line_ok(a.items[i]));
		assert_non_null(strstr(a.items[i], "] "));
		assert_string_equal(strstr(a.items[i], "] ") + 2, want[i]);
	}
	ptrarray_free(&a, free);
	free(path);
}

static void
test_log_enabled(void **state)
{
	char	*path = log_path("enabled.log"), *err = NULL;

	(void)state;
	assert_false(log_enabled(LL_ERROR));
	assert_int_equal(log_open(path, LL_WARN, &err), 0);
	assert_true(log_enabled(LL_ERROR));
	assert_true(log_enabled(LL_WARN));
	assert_false(log_enabled(LL_INFO));
	assert_false(log_enabled(LL_TRACE));
	log_close();
	assert_int_equal(log_open(path, LL_TRACE, &err), 0);
	assert_true(log_enabled(LL_TRACE));
	log_close();
	assert_false(log_enabled(LL_ERROR));
	free(path);
}

static void
test_log_escapes_controls(void **state)
{
	struct ptrarray	 a = PTRARRAY_INIT;
	char		*path = log_path("escape.log"), *err = NULL;
	const char	*msg;

	(void)state;
	assert_int_equal(log_open(path, LL_DEBUG, &err), 0);
	log_debug("subj %s", "a\nb\r\n2026-01-01T00:00:00.000Z [t9] ERROR "
	    "forged\x1b]0;pwned\x07\t\x7f\x01\\x \xc3\xa9");
	log_close();
	read_lines(path, &a);
	assert_int_equal(a.len, 1);
	msg = strstr(a.items[0], "test_log_escapes_controls: ");
	assert_non_null(msg);
	assert_string_equal(msg + strlen("test_log_escapes_controls: "),
	    "subj a\\x0ab\\x0d\\x0a2026-01-01T00:00:00.000Z [t9] ERROR "
	    "forged\\x1b]0;pwned\\x07\\x09\\x7f\\x01\\x \xc3\xa9");
	ptrarray_free(&a, free);
	free(path);
}

static void
test_log_creates_0600(void **state)
{
	char		*path = log_path("mode.log"), *err = NULL;
	struct stat	 st;
	mode_t		 old;

	(void)state;
	old = umask(0);		/* the mode must not come from the umask */
	assert_int_equal(log_open(path, LL_INFO, &err), 0);
	umask(old);
	log_close();
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	free(path);
}

static void
test_log_appends(void **state)
{
	struct ptrarray	 a = PTRARRAY_INIT;
	char		*path = log_path("append.log"), *err = NULL;
	FILE		*f;

	(void)state;
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("earlier line\n", f);
	fclose(f);
	assert_int_equal(log_open(path, LL_INFO, &err), 0);
	log_info("later");
	log_close();
	read_lines(path, &a);
	assert_int_equal(a.len, 2);
	assert_string_equal(a.items[0], "earlier line");
	assert_true(line_ok(a.items[1]));
	ptrarray_free(&a, free);
	free(path);
}

static void
test_log_open_failures(void **state)
{
	char	*path = log_path("no/such/dir.log"), *err = NULL;
	char	*target = log_path("target"), *link = log_path("link.log");
	struct stat	 st;

	(void)state;
	assert_int_equal(log_open(path, LL_INFO, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, path));
	assert_false(log_enabled(LL_ERROR));
	free(err);
	err = NULL;

	/* A symlink planted at the log path is refused, not followed. */
	assert_int_equal(close(open(target, O_WRONLY | O_CREAT, 0600)), 0);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(log_open(link, LL_INFO, &err), -1);
	assert_non_null(err);
	free(err);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_size, 0);
	free(path);
	free(target);
	free(link);
}

static void
test_log_refuses_terminal(void **state)
{
	char	*err = NULL, *name;
	int	 master;

	(void)state;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master == -1 || grantpt(master) == -1 || unlockpt(master) == -1 ||
	    (name = ptsname(master)) == NULL) {
		if (master != -1)
			close(master);
		skip();
	}
	assert_int_equal(log_open(name, LL_INFO, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "not a terminal"));
	assert_false(log_enabled(LL_ERROR));
	free(err);
	close(master);
}

static void
test_log_close_idempotent(void **state)
{
	char		*path = log_path("close.log"), *err = NULL;
	struct stat	 st;

	(void)state;
	log_close();
	assert_int_equal(log_open(path, LL_INFO, &err), 0);
	log_close();
	log_close();
	log_error("after close");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	free(path);
}

static void *
log_worker(void *arg)
{
	int	 i;

	(void)arg;
	for (i = 0; i < PER_THREAD; i++)
		log_info("line %d of a thread, long enough to be split if "
		    "writes were not whole: %0200d", i, i);
	return NULL;
}

/* Threads get distinct numbers, a thread keeps its number, and lines from
 * concurrent threads never interleave. */
static void
test_log_threads(void **state)
{
	struct ptrarray	 a = PTRARRAY_INIT;
	char		*path = log_path("threads.log"), *err = NULL;
	char		 tags[THREADS + 1][16], tag[16];
	pthread_t	 t[THREADS];
	size_t		 i, j, ntags = 0;

	(void)state;
	assert_int_equal(log_open(path, LL_INFO, &err), 0);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, log_worker, NULL), 0);
	log_worker(NULL);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	log_close();
	read_lines(path, &a);
	assert_int_equal(a.len, (THREADS + 1) * PER_THREAD);
	for (i = 0; i < a.len; i++) {
		assert_true(line_ok(a.items[i]));
		assert_int_equal(sscanf(strchr(a.items[i], '['), "[%15[^]]]",
		    tag), 1);
		for (j = 0; j < ntags && strcmp(tags[j], tag) != 0; j++)
			;
		if (j == ntags) {
			assert_true(ntags < THREADS + 1);
			strcpy(tags[ntags++], tag);
		}
	}
	assert_int_equal(ntags, THREADS + 1);
	ptrarray_free(&a, free);
	free(path);
}

static int
setup(void **state)
{
	const char	*tmp = getenv("TMPDIR");

	(void)state;
	dir = xasprintf("%s/quire-test-log.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	size_t	 i;
	int	 rc;

	(void)state;
	log_close();
	for (i = 0; i < nitems(files); i++)
		free(log_path(files[i]));
	rc = rmdir(dir);
	free(dir);
	return rc;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_format_and_levels),
		cmocka_unit_test(test_log_enabled),
		cmocka_unit_test(test_log_escapes_controls),
		cmocka_unit_test(test_log_creates_0600),
		cmocka_unit_test(test_log_appends),
		cmocka_unit_test(test_log_open_failures),
		cmocka_unit_test(test_log_refuses_terminal),
		cmocka_unit_test(test_log_close_idempotent),
		cmocka_unit_test(test_log_threads),
	};

	return cmocka_run_group_tests_name("log", tests, setup, teardown);
}
