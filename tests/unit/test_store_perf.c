/*
 * Unit tests: the store at 100,000 summaries. The figures (rows per
 * second, load and open times, file size, the cost of a durable journal
 * commit) are printed as TAP comments; nothing asserts a time, since a
 * loaded CI machine would make that flaky, but the rows are checked.
 */
#include "config.h"

#include <sys/stat.h>
#include <time.h>

#include "store_test.h"

#define NROWS	100000
#define CHUNK	1000

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A summary of realistic size: about 300 bytes of text. */
static void
make_row(struct msg_summary *m, uint32_t uid, char buf[5][160])
{
	memset(m, 0, sizeof *m);
	m->uid = uid;
	m->flags = uid % 3 == 0 ? 0 : MF_SEEN;
	m->modseq = uid;
	m->internal_date = 1600000000 + (int64_t)uid * 60;
	m->date = 1600000000 + (int64_t)((uid * 7919u) % NROWS) * 60;
	m->size = 2000 + uid % 50000;
	snprintf(buf[0], 160, "Sender Number %u <sender%u@example.org>",
	    uid % 700, uid % 700);
	snprintf(buf[1], 160, "Subject of message %u, about the quarterly "
	    "report and caf\xc3\xa9", uid);
	snprintf(buf[2], 160, "<%u.%x@mail.example.org>", uid, uid * 2654435761u);
	snprintf(buf[3], 160, "<%u.%x@mail.example.org> <%u.%x@mail.example"
	    ".org>", uid - 1, (uid - 1) * 2654435761u, uid - 2,
	    (uid - 2) * 2654435761u);
	m->from = buf[0];
	m->to = (char *)"Me Myself <me@example.com>";
	m->subject = buf[1];
	m->message_id = buf[2];
	m->references = buf[3];
}

static void
insert_rows(struct store *s)
{
	static struct msg_summary	 m[CHUNK];
	static char			 bufs[CHUNK][5][160];
	char				*err = NULL;
	uint32_t			 uid;
	size_t				 i;
	double				 t0;

	t0 = now();
	for (uid = 1; uid <= NROWS; uid += CHUNK) {
		for (i = 0; i < CHUNK; i++)
			make_row(&m[i], uid + (uint32_t)i, bufs[i]);
		assert_ok(store_messages_put(s, "INBOX", m, CHUNK, &err), &err);
	}
	print_message("# insert %d summaries in chunks of %d: %.0f rows/s\n",
	    NROWS, CHUNK, NROWS / (now() - t0));
}

struct loaded {
	struct msg_summary	*m;
	size_t			 n;
};

static int
keep(void *arg, const struct msg_summary *m)
{
	struct loaded	*l = arg;

	msg_summary_copy(&l->m[l->n++], m);
	return 0;
}

static void
load_rows(struct store *s)
{
	struct loaded	 l;
	char		*err = NULL;
	double		 t0;
	size_t		 i;

	l.m = xcalloc(NROWS, sizeof *l.m);
	l.n = 0;
	t0 = now();
	assert_ok(store_messages_load(s, "INBOX", SO_DATE, SL_REVERSE, keep,
	    &l, &err), &err);
	print_message("# load %d rows by date, newest first, copied: %.0f ms"
	    "\n", NROWS, (now() - t0) * 1000);
	assert_int_equal(l.n, NROWS);
	for (i = 1; i < l.n; i++)
		assert_true(l.m[i].date <= l.m[i - 1].date);
	for (i = 0; i < l.n; i++)
		msg_summary_clear(&l.m[i]);
	free(l.m);
}

/* A durable journal commit against a plain summary commit. */
static void
commit_costs(struct store *s)
{
	struct pending		 p;
	struct msg_summary	 m;
	char			 bufs[5][160], *err = NULL;
	double			 t0, full, normal;
	int			 i;

	t0 = now();
	for (i = 0; i < 200; i++) {
		memset(&p, 0, sizeof p);
		p.folder = (char *)"INBOX";
		p.uidvalidity = 1;
		p.uid = (uint32_t)i + 1;
		p.add = MF_FLAGGED;
		assert_ok(store_pending_add(s, &p, 1, &err), &err);
	}
	full = (now() - t0) / 200;
	t0 = now();
	for (i = 0; i < 200; i++) {
		make_row(&m, (uint32_t)i + 1, bufs);
		assert_ok(store_messages_put(s, "INBOX", &m, 1, &err), &err);
	}
	normal = (now() - t0) / 200;
	print_message("# one journal entry (synchronous=FULL): %.0f us; one "
	    "summary (NORMAL): %.0f us\n", full * 1e6, normal * 1e6);
}

static void
test_hundred_thousand(void **state)
{
	struct tdir		*t = tdir_new();
	struct store		*s = tstore_open(t);
	struct store_msg_stats	 st;
	struct stat		 sb;
	char			*err = NULL;
	double			 t0;

	(void)state;
	tfolder_add(s, "INBOX", 1);
	insert_rows(s);
	store_close(&s);
	assert_int_equal(stat(t->db, &sb), 0);
	print_message("# file size for %d summaries: %.1f MB (%.0f bytes a "
	    "row)\n", NROWS, sb.st_size / 1e6, (double)sb.st_size / NROWS);
	t0 = now();
	s = tstore_open(t);
	print_message("# open a %d-row cache: %.2f ms\n", NROWS,
	    (now() - t0) * 1000);
	t0 = now();
	assert_ok(store_messages_stats(s, "INBOX", &st, &err), &err);
	print_message("# count it (count, max uid, max modseq): %.1f ms\n",
	    (now() - t0) * 1000);
	assert_int_equal(st.count, NROWS);
	assert_int_equal(st.max_uid, NROWS);
	load_rows(s);
	commit_costs(s);
	store_close(&s);
	tdir_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hundred_thousand),
	};

	return cmocka_run_group_tests_name("store_perf", tests, NULL, NULL);
}
