/*
 * Unit tests: the journal survives SIGKILL at any point (BAD-INPUTS 35).
 *
 * A child writes journal entries, marks some sent, confirms some done and
 * writes summary batches, telling the parent through a pipe after each
 * call returns. The parent kills it after a random delay (one per seed),
 * reopens the file and checks: the file was not set aside, every entry the
 * child saw committed is there exactly once with its fields, every entry
 * it saw confirmed is gone, anything else is the one batch that committed
 * but was not yet reported, summary batches are whole, and SQLite's own
 * integrity check passes.
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store_test.h"

/* OP_DOING goes out before store_pending_done and OP_DONE after it: a kill
 * between the two leaves the entry either there or gone, both right. */
enum { OP_ADDED, OP_DOING, OP_DONE };

struct record {
	int64_t		 id;
	uint32_t	 uid;
	uint32_t	 op;
};

#define BATCH_ROWS	200

static void
child_say(int fd, int64_t id, uint32_t uid, uint32_t op)
{
	struct record	 r = { id, uid, op };

	if (write(fd, &r, sizeof r) != sizeof r)
		_exit(3);
}

static void
child_rows(struct store *s, uint32_t round)
{
	struct msg_summary	 m[BATCH_ROWS];
	size_t			 i;

	memset(m, 0, sizeof m);
	for (i = 0; i < BATCH_ROWS; i++) {
		m[i].uid = round * BATCH_ROWS + (uint32_t)i + 1;
		m[i].subject = (char *)"a summary written while being killed";
	}
	if (store_messages_put(s, "INBOX", m, BATCH_ROWS, NULL) == -1)
		_exit(4);
}

/* Never returns: the parent kills it. */
static void
child_run(const char *path, int fd)
{
	struct store	*s;
	struct pending	 p[3];
	uint32_t	 i, j, k;
	int64_t		 oldest = 0;

	if ((s = store_open(path, NULL, NULL)) == NULL)
		_exit(2);
	tfolder_add(s, "INBOX", 10);
	for (i = 1; ; i++) {
		k = 1 + i % 3;
		memset(p, 0, sizeof p);
		for (j = 0; j < k; j++) {
			p[j].kind = PENDING_FLAGS;
			p[j].folder = (char *)"INBOX";
			p[j].uidvalidity = 10;
			p[j].uid = i * 10 + j;
			p[j].add = MF_SEEN;
		}
		if (store_pending_add(s, p, k, NULL) == -1)
			_exit(5);
		for (j = 0; j < k; j++)
			child_say(fd, p[j].id, p[j].uid, OP_ADDED);
		if (oldest == 0)
			oldest = p[0].id;
		if (i % 4 == 0 && store_pending_mark_sent(s, &p[0].id, 1,
		    NULL) == -1)
			_exit(6);
		if (i % 3 == 0) {
			child_say(fd, oldest, 0, OP_DOING);
			if (store_pending_done(s, &oldest, 1, NULL) == -1)
				_exit(7);
			child_say(fd, oldest, 0, OP_DONE);
			oldest += 2;	/* skip one: gaps are fine */
		}
		if (i % 5 == 0)
			child_rows(s, i / 5);
	}
}

static void
check_sqlite(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*st;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA foreign_key_check",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Read what the child reported: *added and *done hold ids by index. */
static size_t
read_records(int fd, struct record *r, size_t max)
{
	size_t	 n = 0;
	ssize_t	 got;

	while (n < max && (got = read(fd, &r[n], sizeof *r)) == sizeof *r)
		n++;
	assert_true(n < max);
	return n;
}

static const struct record *
find_record(const struct record *r, size_t n, int64_t id, uint32_t op)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (r[i].id == id && r[i].op == op)
			return &r[i];
	return NULL;
}

static void
check_journal(struct store *s, const struct record *r, size_t nr)
{
	struct pending		*p;
	struct store_msg_stats	 stats;
	struct mail_folder	 f;
	const struct record	*a;
	int64_t			 max_reported = 0;
	size_t			 n, i, unreported = 0;
	char			*err = NULL;

	assert_ok(store_pending_list(s, NULL, &p, &n, &err), &err);
	for (i = 0; i < nr; i++) {
		if (r[i].op == OP_ADDED && r[i].id > max_reported)
			max_reported = r[i].id;
	}
	for (i = 0; i < n; i++) {
		assert_true(i == 0 || p[i].id > p[i - 1].id);	/* once */
		assert_int_equal(p[i].kind, PENDING_FLAGS);
		assert_string_equal(p[i].folder, "INBOX");
		assert_int_equal(p[i].uidvalidity, 10);
		assert_int_equal(p[i].add, MF_SEEN);
		assert_int_equal(p[i].remove, 0);
		assert_null(find_record(r, nr, p[i].id, OP_DONE));
		if ((a = find_record(r, nr, p[i].id, OP_ADDED)) != NULL)
			assert_int_equal(p[i].uid, a->uid);
		else {
			assert_true(p[i].id > max_reported);
			unreported++;
		}
	}
	assert_true(unreported <= 3);
	/* Every reported entry not confirmed is there. */
	for (i = 0; i < nr; i++) {
		size_t	 j;

		if (r[i].op != OP_ADDED || find_record(r, nr, r[i].id,
		    OP_DOING) != NULL)
			continue;
		for (j = 0; j < n && p[j].id != r[i].id; j++)
			;
		if (j == n)
			fail_msg("entry %lld was committed but is lost",
			    (long long)r[i].id);
	}
	store_pending_free(p, n);
	if (store_folder_get(s, "INBOX", &f, NULL, &err) == 1) {
		mail_folder_clear(&f);
		assert_ok(store_messages_stats(s, "INBOX", &stats, &err), &err);
		assert_int_equal(stats.count % BATCH_ROWS, 0);
	}
}

static void
crash_once(unsigned seed, bool prepared)
{
	struct tdir	*t = tdir_new();
	struct store	*s;
	struct record	*r;
	size_t		 nr;
	pid_t		 pid;
	int		 fds[2], status;
	char		*notice = NULL, *err = NULL;
	useconds_t	 delay;

	if (prepared) {
		s = tstore_open(t);
		tfolder_add(s, "INBOX", 10);
		store_close(&s);
	}
	srand(seed);
	delay = prepared ? (useconds_t)(rand() % 80000) : (useconds_t)(seed *
	    seed * 25);
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		child_run(t->db, fds[1]);
	}
	assert_true(pid > 0);
	close(fds[1]);
	usleep(delay);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status))
		fail_msg("seed %u: the child exited %d before the kill", seed,
		    WEXITSTATUS(status));
	r = xcalloc(65536, sizeof *r);
	nr = read_records(fds[0], r, 65536);
	close(fds[0]);

	check_sqlite(t->db);
	s = store_open(t->db, &notice, &err);
	if (s == NULL)
		fail_msg("seed %u: %s", seed, err);
	if (notice != NULL)
		fail_msg("seed %u: a kill damaged the file: %s", seed, notice);
	check_journal(s, r, nr);
	print_message("# seed %u: killed after %u us, %zu reports\n", seed,
	    (unsigned)delay, nr);
	store_close(&s);
	free(r);
	tdir_free(t);
}

static void
test_kill_while_journaling(void **state)
{
	unsigned	 seed;

	(void)state;
	for (seed = 1; seed <= 8; seed++)
		crash_once(seed, true);
}

static void
test_kill_while_creating(void **state)
{
	unsigned	 seed;

	(void)state;
	for (seed = 0; seed < 8; seed++)
		crash_once(seed, false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_while_journaling),
		cmocka_unit_test(test_kill_while_creating),
	};

	return cmocka_run_group_tests_name("store_crash", tests, NULL, NULL);
}
