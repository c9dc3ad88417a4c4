/* Unit tests: message summaries, flags, expunges and ordered loads
 * (src/store/messages.c). */
#include "config.h"

#include "store_test.h"

/* Collect loaded rows as deep copies. */
struct rows {
	struct msg_summary	 m[64];
	size_t			 n;
	size_t			 stop_at;	/* 0: never stop */
};

static int
collect(void *arg, const struct msg_summary *m)
{
	struct rows	*r = arg;

	assert_true(r->n < nitems(r->m));
	msg_summary_copy(&r->m[r->n++], m);
	return r->stop_at != 0 && r->n == r->stop_at ? 42 : 0;
}

static void
rows_clear(struct rows *r)
{
	while (r->n > 0)
		msg_summary_clear(&r->m[--r->n]);
}

static void
assert_str_or_null(const char *want, const char *got)
{
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(want, got);
	}
}

static void
assert_same_row(const struct msg_summary *g, const struct msg_summary *w)
{
	assert_int_equal(g->uid, w->uid);
	assert_int_equal(g->flags, w->flags);
	assert_true(g->modseq == w->modseq);
	assert_true(g->internal_date == w->internal_date);
	assert_true(g->date == w->date);
	assert_int_equal(g->size, w->size);
	assert_str_or_null(w->from, g->from);
	assert_str_or_null(w->to, g->to);
	assert_str_or_null(w->cc, g->cc);
	assert_str_or_null(w->subject, g->subject);
	assert_str_or_null(w->message_id, g->message_id);
	assert_str_or_null(w->references, g->references);
}

static void
test_round_trip(void **state)
{
	struct tdir		*t = tdir_new();
	struct store		*s = tstore_open(t);
	struct msg_summary	 in[4];
	struct rows		 r = { .n = 0 };
	char			*err = NULL, *longs;
	size_t			 i;

	(void)state;
	longs = xmalloc(70000);
	for (i = 0; i < 69999; i++)
		longs[i] = (char)('a' + i % 26);
	longs[69999] = '\0';
	memset(in, 0, sizeof in);
	in[0] = (struct msg_summary){ .uid = 1, .flags = MF_SEEN,
	    .modseq = 5, .internal_date = 1700000000, .date = 1699999999,
	    .size = 1234, .from = (char *)"Ann <ann@example.org>",
	    .to = (char *)"me@example.org", .subject = (char *)"Hello",
	    .message_id = (char *)"<1@x>", .references = (char *)"<0@x>" };
	/* All strings NULL, the largest numbers, a date before 1970. */
	in[1] = (struct msg_summary){ .uid = UINT32_MAX,
	    .flags = MF_DELETED | MF_FLAGGED | MF_ANSWERED | MF_DRAFT,
	    .modseq = INT64_MAX, .internal_date = -86400, .date = 0,
	    .size = UINT32_MAX };
	in[2] = (struct msg_summary){ .uid = 7,
	    .from = (char *)"J\xc3\xbcrgen M\xc3\xbcller <j@example.de>",
	    .subject = (char *)"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f"
	    "\x98\x80 caf\xc3\xa9", .cc = (char *)"", .to = NULL };
	in[3] = (struct msg_summary){ .uid = 9, .subject = longs,
	    .references = longs };
	tfolder_add(s, "INBOX", 1);
	assert_ok(store_messages_put(s, "INBOX", in, 4, &err), &err);
	store_close(&s);
	s = tstore_open(t);	/* from the file, not a cache */
	assert_int_equal(store_messages_load(s, "INBOX", SO_UID, SL_SERVER,
	    collect, &r, &err), 0);
	assert_int_equal(r.n, 4);
	assert_same_row(&r.m[0], &in[0]);	/* in UID order */
	assert_same_row(&r.m[1], &in[2]);
	assert_same_row(&r.m[2], &in[3]);
	assert_same_row(&r.m[3], &in[1]);
	rows_clear(&r);
	/* UID 0 is refused, and nothing of the batch is written. */
	in[0].uid = 0;
	in[2].uid = 100;
	assert_int_equal(store_messages_put(s, "INBOX", in, 3, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(store_messages_put(s, "Nope", in + 1, 1, &err), -1);
	assert_non_null(strstr(err, "Nope"));
	free(err);
	free(longs);
	store_close(&s);
	tdir_free(t);
}

static void
put_row(struct store *s, uint32_t uid, int64_t date, int64_t arrival,
    uint32_t size, const char *from, const char *subject)
{
	struct msg_summary	 m;
	char			*err = NULL;

	memset(&m, 0, sizeof m);
	m.uid = uid;
	m.date = date;
	m.internal_date = arrival;
	m.size = size;
	m.from = (char *)from;
	m.subject = (char *)subject;
	assert_ok(store_messages_put(s, "INBOX", &m, 1, &err), &err);
}

static void
test_ordering(void **state)
{
	static const struct {
		enum store_order	 order;
		unsigned		 flags;
		uint32_t		 uids[5];
	} cases[] = {
		{ SO_UID, 0, { 1, 2, 3, 4, 5 } },
		{ SO_UID, SL_REVERSE, { 5, 4, 3, 2, 1 } },
		{ SO_DATE, 0, { 3, 2, 4, 1, 5 } },	/* tie 2/4 by uid */
		{ SO_DATE, SL_REVERSE, { 5, 1, 4, 2, 3 } },
		{ SO_ARRIVAL, 0, { 5, 4, 3, 2, 1 } },
		{ SO_SIZE, 0, { 2, 1, 3, 5, 4 } },
		{ SO_FROM, 0, { 4, 1, 5, 3, 2 } },	/* ignores case */
		{ SO_SUBJECT, SL_REVERSE, { 3, 5, 2, 1, 4 } },	/* NULL last */
	};
	struct tdir	*t = tdir_new();
	struct store	*s = tstore_open(t);
	struct rows	 r = { .n = 0 };
	char		*err = NULL;
	size_t		 i, j;

	(void)state;
	tfolder_add(s, "INBOX", 1);
	put_row(s, 1, 400, 50, 20, "bob", "b");
	put_row(s, 2, 200, 40, 10, "zed", "c");
	put_row(s, 3, 100, 30, 30, "Carl", "z");
	put_row(s, 4, 200, 20, 50, "al", NULL);
	put_row(s, 5, 500, 10, 40, "Bz", "d");
	for (i = 0; i < nitems(cases); i++) {
		assert_int_equal(store_messages_load(s, "INBOX",
		    cases[i].order, cases[i].flags, collect, &r, &err), 0);
		assert_int_equal(r.n, 5);
		for (j = 0; j < 5; j++)
			if (r.m[j].uid != cases[i].uids[j])
				fail_msg("case %zu: row %zu is %u, want %u", i,
				    j, r.m[j].uid, cases[i].uids[j]);
		rows_clear(&r);
	}
	/* The callback can stop the load; its value comes back. */
	r.stop_at = 2;
	assert_int_equal(store_messages_load(s, "INBOX", SO_UID, 0, collect,
	    &r, &err), 42);
	assert_int_equal(r.n, 2);
	rows_clear(&r);
	store_close(&s);
	tdir_free(t);
}

static void
test_flags_delete_stats(void **state)
{
	struct tdir			*t = tdir_new();
	struct store			*s = tstore_open(t);
	struct store_msg_stats		 st;
	struct store_flag_update	 u[3] = {
		{ 2, MF_SEEN | MF_FLAGGED, 77 },
		{ 3, MF_ANSWERED, 0 },		/* keeps modseq */
		{ 99, MF_SEEN, 5 },		/* unknown: skipped */
	};
	struct msg_summary		 m[5];
	struct rows			 r = { .n = 0 };
	uint32_t			*uids, gone[] = { 1, 4, 1000 };
	size_t				 n, i;
	char				*err = NULL, *data;

	(void)state;
	tfolder_add(s, "INBOX", 1);
	assert_ok(store_messages_stats(s, "INBOX", &st, &err), &err);
	assert_int_equal(st.count, 0);
	assert_int_equal(st.max_uid, 0);
	memset(m, 0, sizeof m);
	for (i = 0; i < 5; i++) {
		m[i].uid = (uint32_t[]){ 1, 2, 3, 14, 15 }[i];
		m[i].modseq = 10 + i;
	}
	assert_ok(store_messages_put(s, "INBOX", m, 5, &err), &err);
	assert_ok(store_messages_set_flags(s, "INBOX", u, 3, &err), &err);
	assert_ok(store_body_put(s, "INBOX", 1, 1, "one", 3, 0, &err), &err);
	assert_ok(store_messages_load(s, "INBOX", SO_UID, SL_SERVER, collect,
	    &r, &err), &err);
	assert_int_equal(r.m[1].flags, MF_SEEN | MF_FLAGGED);
	assert_true(r.m[1].modseq == 77);
	assert_int_equal(r.m[2].flags, MF_ANSWERED);
	assert_true(r.m[2].modseq == 12);
	assert_int_equal(r.n, 5);
	rows_clear(&r);
	assert_ok(store_messages_stats(s, "INBOX", &st, &err), &err);
	assert_int_equal(st.count, 5);
	assert_int_equal(st.max_uid, 15);
	assert_true(st.max_modseq == 77);

	gone[1] = 14;
	assert_ok(store_messages_delete(s, "INBOX", gone, 3, &err), &err);
	assert_ok(store_messages_uids(s, "INBOX", &uids, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_int_equal(uids[0], 2);
	assert_int_equal(uids[1], 3);
	assert_int_equal(uids[2], 15);
	free(uids);
	assert_int_equal(store_body_get(s, "INBOX", 1, 1, &data, &n, &err), 0);
	store_close(&s);
	tdir_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_flags_delete_stats),
	};

	return cmocka_run_group_tests_name("store_messages", tests, NULL,
	    NULL);
}
