/* Unit tests: the journal of local changes and the flags the user sees
 * (src/store/journal.c). */
#include "config.h"

#include "store_test.h"

static struct pending
change(enum pending_kind kind, const char *folder, uint32_t uid,
    uint32_t add, uint32_t remove, const char *target)
{
	struct pending	 p;

	memset(&p, 0, sizeof p);
	p.kind = kind;
	p.folder = (char *)folder;
	p.uidvalidity = strcmp(folder, "INBOX") == 0 ? 10 : 20;
	p.uid = uid;
	p.add = add;
	p.remove = remove;
	p.target = (char *)target;
	return p;
}

static struct store *
setup(struct tdir *t)
{
	struct store		*s = tstore_open(t);
	struct msg_summary	 m[4];
	char			*err = NULL;
	size_t			 i;

	tfolder_add(s, "INBOX", 10);
	tfolder_add(s, "Trash", 20);
	memset(m, 0, sizeof m);
	for (i = 0; i < 4; i++) {
		m[i].uid = (uint32_t)i + 1;
		m[i].flags = MF_SEEN;
	}
	assert_ok(store_messages_put(s, "INBOX", m, 4, &err), &err);
	return s;
}

static void
test_order_and_replay(void **state)
{
	struct tdir	*t = tdir_new();
	struct store	*s = setup(t);
	struct pending	 in[5], *out;
	int64_t		 ids[2];
	size_t		 n, i;
	char		*err = NULL;

	(void)state;
	in[0] = change(PENDING_FLAGS, "INBOX", 1, MF_FLAGGED, MF_SEEN, NULL);
	in[1] = change(PENDING_MOVE, "INBOX", 2, 0, 0, "Trash");
	in[2] = change(PENDING_FLAGS, "Trash", 8, MF_DELETED, 0, NULL);
	in[3] = change(PENDING_EXPUNGE, "INBOX", 3, 0, 0, NULL);
	in[4] = change(PENDING_COPY, "INBOX", 4, 0, 0, "Trash");
	assert_ok(store_pending_add(s, in, 3, &err), &err);
	assert_ok(store_pending_add(s, in + 3, 2, &err), &err);
	for (i = 1; i < 5; i++)
		assert_true(in[i].id > in[i - 1].id);
	assert_int_equal(in[0].state, PENDING_NEW);
	assert_true(in[0].created > 0);
	ids[0] = in[1].id;
	ids[1] = in[4].id;
	assert_ok(store_pending_mark_sent(s, ids, 2, &err), &err);
	store_close(&s);

	s = tstore_open(t);	/* the replay after a restart */
	assert_ok(store_pending_list(s, NULL, &out, &n, &err), &err);
	assert_int_equal(n, 5);
	for (i = 0; i < 5; i++) {
		assert_true(out[i].id == in[i].id);
		assert_int_equal(out[i].kind, in[i].kind);
		assert_string_equal(out[i].folder, in[i].folder);
		assert_int_equal(out[i].uidvalidity, in[i].uidvalidity);
		assert_int_equal(out[i].uid, in[i].uid);
		assert_int_equal(out[i].add, in[i].add);
		assert_int_equal(out[i].remove, in[i].remove);
		if (in[i].target == NULL)
			assert_null(out[i].target);
		else
			assert_string_equal(out[i].target, in[i].target);
		assert_int_equal(out[i].state, i == 1 || i == 4 ?
		    PENDING_SENT : PENDING_NEW);
	}
	store_pending_free(out, n);
	assert_ok(store_pending_list(s, "Trash", &out, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].uid, 8);
	store_pending_free(out, n);

	ids[0] = in[0].id;
	ids[1] = 123456;	/* unknown: skipped */
	assert_ok(store_pending_done(s, ids, 2, &err), &err);
	assert_ok(store_pending_done(s, ids, 1, &err), &err);	/* twice */
	assert_ok(store_pending_list(s, NULL, &out, &n, &err), &err);
	assert_int_equal(n, 4);
	assert_true(out[0].id == in[1].id);
	store_pending_free(out, n);
	store_pending_free(NULL, 0);
	store_close(&s);
	tdir_free(t);
}

static void
test_refused_entries(void **state)
{
	struct {
		const char	*name;
		struct pending	 p;
	} cases[] = {
		{ "uid 0", change(PENDING_FLAGS, "INBOX", 0, MF_SEEN, 0,
		    NULL) },
		{ "add and remove", change(PENDING_FLAGS, "INBOX", 1,
		    MF_SEEN, MF_SEEN | MF_FLAGGED, NULL) },
		{ "derived flag", change(PENDING_FLAGS, "INBOX", 1,
		    MF_ATTACHMENT, 0, NULL) },
		{ "move without target", change(PENDING_MOVE, "INBOX", 1, 0,
		    0, NULL) },
		{ "copy to empty", change(PENDING_COPY, "INBOX", 1, 0, 0,
		    "") },
		{ "unknown kind", change((enum pending_kind)9, "INBOX", 1, 0,
		    0, NULL) },
		{ "unknown folder", change(PENDING_FLAGS, "Nope", 1, MF_SEEN,
		    0, NULL) },
		{ "old uidvalidity", change(PENDING_FLAGS, "INBOX", 1,
		    MF_SEEN, 0, NULL) },
	};
	struct tdir	*t = tdir_new();
	struct store	*s = setup(t);
	struct pending	 batch[2], *out;
	size_t		 i, n;
	char		*err = NULL;

	(void)state;
	cases[0].p.uidvalidity = 10;
	cases[nitems(cases) - 1].p.uidvalidity = 9;
	for (i = 0; i < nitems(cases); i++) {
		if (store_pending_add(s, &cases[i].p, 1, &err) != -1)
			fail_msg("%s: accepted", cases[i].name);
		assert_non_null(err);
		free(err);
		err = NULL;
	}
	/* A batch is all or nothing. */
	batch[0] = change(PENDING_FLAGS, "INBOX", 1, MF_SEEN, 0, NULL);
	batch[1] = cases[nitems(cases) - 1].p;
	assert_int_equal(store_pending_add(s, batch, 2, &err), -1);
	free(err);
	assert_true(batch[0].id == 0);
	assert_ok(store_pending_list(s, NULL, &out, &n, &err), &err);
	assert_int_equal(n, 0);
	free(out);
	store_close(&s);
	tdir_free(t);
}

static void
test_flags_apply(void **state)
{
	static const struct {
		uint32_t	 flags, add, remove, want;
	} cases[] = {
		{ 0, MF_SEEN, 0, MF_SEEN },
		{ MF_SEEN, 0, MF_SEEN, 0 },
		{ MF_SEEN | MF_FLAGGED, MF_DELETED, MF_SEEN,
		    MF_FLAGGED | MF_DELETED },
		{ MF_SEEN, MF_SEEN, 0, MF_SEEN },	/* idempotent */
		{ 0, 0, MF_SEEN, 0 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++)
		assert_int_equal(store_flags_apply(cases[i].flags,
		    cases[i].add, cases[i].remove), cases[i].want);
}

struct seen {
	uint32_t	 uid[8];
	uint32_t	 flags[8];
	size_t		 n;
};

static int
note(void *arg, const struct msg_summary *m)
{
	struct seen	*v = arg;

	v->uid[v->n] = m->uid;
	v->flags[v->n++] = m->flags;
	return 0;
}

static uint32_t
local(struct store *s, uint32_t uid)
{
	uint32_t	 flags = 0xdead;
	char		*err = NULL;

	assert_int_equal(store_flags_local(s, "INBOX", uid, &flags, &err), 1);
	return flags;
}

static void
test_local_view(void **state)
{
	struct tdir			*t = tdir_new();
	struct store			*s = setup(t);
	struct pending			 p[5];
	struct store_flag_update	 u = { 1, MF_ANSWERED, 0 };
	struct seen			 v = { .n = 0 };
	uint32_t			 flags;
	char				*err = NULL;

	(void)state;
	/* uid 1: +F, then -S, then +S: the later word on S wins. */
	p[0] = change(PENDING_FLAGS, "INBOX", 1, MF_FLAGGED, 0, NULL);
	p[1] = change(PENDING_FLAGS, "INBOX", 1, 0, MF_SEEN, NULL);
	p[2] = change(PENDING_FLAGS, "INBOX", 1, MF_SEEN, 0, NULL);
	p[3] = change(PENDING_EXPUNGE, "INBOX", 2, 0, 0, NULL);
	p[4] = change(PENDING_COPY, "INBOX", 3, 0, 0, "Trash");
	assert_ok(store_pending_add(s, p, 2, &err), &err);
	assert_int_equal(local(s, 1), MF_FLAGGED);
	assert_ok(store_pending_add(s, p + 2, 3, &err), &err);
	assert_int_equal(local(s, 1), MF_SEEN | MF_FLAGGED);
	/* Another client sets \Answered and clears \Seen: the user's
	 * pending \Seen wins, \Answered follows the server. */
	assert_ok(store_messages_set_flags(s, "INBOX", &u, 1, &err), &err);
	assert_int_equal(local(s, 1), MF_SEEN | MF_FLAGGED | MF_ANSWERED);
	assert_int_equal(local(s, 4), MF_SEEN);
	assert_int_equal(store_flags_local(s, "INBOX", 99, &flags, &err), 0);

	/* The load paints the local view and hides the expunged row. */
	store_close(&s);
	s = tstore_open(t);
	assert_ok(store_messages_load(s, "INBOX", SO_UID, 0, note, &v, &err),
	    &err);
	assert_int_equal(v.n, 3);
	assert_int_equal(v.uid[0], 1);
	assert_int_equal(v.flags[0], MF_SEEN | MF_FLAGGED | MF_ANSWERED);
	assert_int_equal(v.uid[1], 3);	/* a copy stays */
	assert_int_equal(v.uid[2], 4);
	v.n = 0;
	assert_ok(store_messages_load(s, "INBOX", SO_UID, SL_SERVER, note, &v,
	    &err), &err);
	assert_int_equal(v.n, 4);
	assert_int_equal(v.flags[0], MF_ANSWERED);

	/* Once the server confirmed, the server's flags are the view. */
	{
		int64_t	 ids[3] = { p[0].id, p[1].id, p[2].id };

		assert_ok(store_pending_done(s, ids, 3, &err), &err);
	}
	assert_int_equal(local(s, 1), MF_ANSWERED);
	store_close(&s);
	tdir_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_replay),
		cmocka_unit_test(test_refused_entries),
		cmocka_unit_test(test_flags_apply),
		cmocka_unit_test(test_local_view),
	};

	return cmocka_run_group_tests_name("store_journal", tests, NULL,
	    NULL);
}
