/*
 * The UI's model, fed events by hand: rows keyed by UID, the sort, the
 * cursor that stays on its message through inserts, sorts, flag changes
 * and expunges, stale generations, optimistic flags and their revert, and
 * the expunge set that holds only what this user marked.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "ui_priv.h"

struct fixture {
	struct config	*cfg;
	struct model	 m;
};

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	f->cfg = config_parse_string("", "test");
	model_init(&f->m, f->cfg);
	model_select(&f->m, "INBOX");
	list_set_height(&f->m.index, 10);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	model_free(&f->m);
	config_free(&f->cfg);
	free(f);
	return 0;
}

static struct imap_event *
ev_new(struct model *m, enum imap_ev_type type)
{
	struct imap_event *ev = xcalloc(1, sizeof *ev);

	ev->type = type;
	ev->generation = m->generation;
	return ev;
}

/* Feed one event to the model and free it, as ui_event does. */
static void
feed(struct model *m, struct imap_event *ev)
{
	model_event(m, ev, 1000);
	imap_event_free(&ev);
}

/* A chunk of rows: uid i has date base + uid * 60 (newer UID, newer). */
static void
add_rows(struct model *m, const uint32_t *uids, size_t n)
{
	struct imap_event *ev = ev_new(m, IE_SUMMARIES);
	size_t		 i;

	ev->rows = xcalloc(n, sizeof *ev->rows);
	ev->nrows = n;
	for (i = 0; i < n; i++) {
		ev->rows[i].uid = uids[i];
		ev->rows[i].date = 1700000000 + (int64_t)uids[i] * 60;
		ev->rows[i].flags = MF_SEEN;
		ev->rows[i].subject = xasprintf("message %u",
		    (unsigned)uids[i]);
		ev->rows[i].from = xasprintf("sender%u@example.org",
		    (unsigned)(uids[i] % 7));
		ev->rows[i].size = uids[i] * 100;
	}
	feed(m, ev);
}

static void
add_range(struct model *m, uint32_t lo, uint32_t hi)
{
	uint32_t	*uids = xcalloc(hi - lo + 1, sizeof *uids);
	uint32_t	 u;

	for (u = lo; u <= hi; u++)
		uids[u - lo] = u;
	add_rows(m, uids, hi - lo + 1);
	free(uids);
}

static uint32_t
cursor_uid(const struct model *m)
{
	const struct ui_row *r = model_cursor_row(m);

	return r != NULL ? r->m.uid : 0;
}

static void
put_cursor_on(struct model *m, uint32_t uid)
{
	size_t	 p;

	for (p = 0; p < m->nshown; p++) {
		if (model_row_at(m, p)->m.uid == uid) {
			list_goto(&m->index, p);
			return;
		}
	}
	fail_msg("uid %u not shown", (unsigned)uid);
}

static void
expunge(struct model *m, const uint32_t *uids, size_t n)
{
	struct imap_event *ev = ev_new(m, IE_EXPUNGED);

	ev->uids = xcalloc(n, sizeof *uids);
	memcpy(ev->uids, uids, n * sizeof *uids);
	ev->nuids = n;
	feed(m, ev);
}

/* The last command queued. */
static struct imap_cmd *
last_cmd(const struct model *m)
{
	assert_true(m->outbox.len > 0);
	return m->outbox.items[m->outbox.len - 1];
}

/* The server says OK to every command queued so far. */
static void
ack_all(struct model *m)
{
	struct imap_event *ev;
	size_t		 i;

	for (i = 0; i < m->outbox.len; i++) {
		ev = ev_new(m, IE_DONE);
		ev->id = ((struct imap_cmd *)m->outbox.items[i])->id;
		ev->ok = true;
		feed(m, ev);
	}
	assert_int_equal(m->npending, 0);
}

static void
test_sorted_newest_first(void **state)
{
	struct fixture	*f = *state;
	uint32_t	 uids[] = { 5, 1, 9, 3, 7 };
	size_t		 i;

	add_rows(&f->m, uids, nitems(uids));
	assert_int_equal(f->m.nshown, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(model_row_at(&f->m, i)->m.uid, 9 - 2 * i);
	assert_int_equal(cursor_uid(&f->m), 9);
	assert_non_null(model_row_by_uid(&f->m, 3));
	assert_null(model_row_by_uid(&f->m, 4));
}

static void
test_replace_by_uid(void **state)
{
	struct fixture	*f = *state;
	uint32_t	 once[] = { 1, 2, 3 }, again[] = { 2, 2 };

	add_rows(&f->m, once, 3);
	add_rows(&f->m, again, 2);
	assert_int_equal(f->m.nrows, 3);
	assert_int_equal(f->m.nshown, 3);
	assert_string_equal(model_row_str(&f->m, model_row_by_uid(&f->m, 2),
	    RS_SUBJECT), "message 2");
}

/* The strings of a row, as the pool keeps them. */
static void
assert_row(const struct model *m, uint32_t uid)
{
	const struct ui_row *r = model_row_by_uid(m, uid);
	char		 want[64];

	assert_non_null(r);
	snprintf(want, sizeof want, "message %u", (unsigned)uid);
	assert_string_equal(model_row_str(m, r, RS_SUBJECT), want);
	snprintf(want, sizeof want, "sender%u@example.org",
	    (unsigned)(uid % 7));
	assert_string_equal(model_row_str(m, r, RS_FROM), want);
	assert_null(model_row_str(m, r, RS_CC));
}

static void
test_pool_shares_and_views(void **state)
{
	struct fixture	*f = *state;
	struct imap_event *ev = ev_new(&f->m, IE_SUMMARIES);
	const struct ui_row *a, *b;
	struct msg_summary v;

	add_range(&f->m, 1, 20);
	/* Senders repeat every 7 UIDs: one copy each. */
	a = model_row_by_uid(&f->m, 3);
	b = model_row_by_uid(&f->m, 10);
	assert_int_equal(a->str[RS_FROM], b->str[RS_FROM]);
	assert_int_not_equal(a->str[RS_SUBJECT], b->str[RS_SUBJECT]);

	/* NULL stays NULL, "" stays "", and the view has all of it but the
	 * Message-ID and References, which rows do not keep. */
	ev->rows = xcalloc(1, sizeof *ev->rows);
	ev->nrows = 1;
	ev->rows[0].uid = 30;
	ev->rows[0].subject = xstrdup("");
	ev->rows[0].message_id = xstrdup("<a@b>");
	ev->rows[0].references = xstrdup("<c@d> <e@f>");
	ev->rows[0].modseq = 77;
	ev->rows[0].size = 5;
	feed(&f->m, ev);
	model_row_view(&f->m, model_row_by_uid(&f->m, 30), &v);
	assert_null(v.from);
	assert_null(v.cc);
	assert_string_equal(v.subject, "");
	assert_null(v.message_id);
	assert_null(v.references);
	assert_int_equal(v.modseq, 77);
	assert_int_equal(v.size, 5);
	assert_int_equal(v.uid, 30);
}

/* Unfiltered, what is shown is the whole order and pos its inverse: a
 * merge rewrites only the tail it changed (index_reshow_from). */
static void
assert_shown_is_order(const struct model *m)
{
	size_t	 i;

	assert_int_equal(m->nshown, m->nrows);
	for (i = 0; i < m->nrows; i++) {
		assert_int_equal(m->shown[i], m->order[i]);
		assert_int_equal(m->pos[m->shown[i]], i);
	}
}

/* Chunks of UIDs in no order, with dates in no order (some equal) and
 * some UIDs sent again: the merged order is the one a full sort gives,
 * newest first, equal dates by UID, and after each chunk shown and pos
 * follow it. */
static void
test_merge_matches_full_sort(void **state)
{
	struct fixture	*f = *state;
	struct imap_event *ev;
	const struct ui_row *a, *b;
	uint32_t	 x = 12345;
	size_t		 chunk, i, n;

	for (chunk = 0; chunk < 40; chunk++) {
		n = 1 + chunk * 7 % 150;
		ev = ev_new(&f->m, IE_SUMMARIES);
		ev->rows = xcalloc(n, sizeof *ev->rows);
		ev->nrows = n;
		for (i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			ev->rows[i].uid = 1 + (x >> 8) % 3000;
			ev->rows[i].date = 1700000000 + (x >> 20) % 500;
			ev->rows[i].subject = xstrdup("s");
		}
		feed(&f->m, ev);
		assert_shown_is_order(&f->m);
	}
	assert_true(f->m.nshown > 1000);
	for (i = 1; i < f->m.nshown; i++) {
		a = model_row_at(&f->m, i - 1);
		b = model_row_at(&f->m, i);
		assert_true(a->m.date > b->m.date || (a->m.date == b->m.date &&
		    a->m.uid > b->m.uid));
	}
}

/* Replacing and expunging rows many times over rebuilds the pool; every
 * row keeps its strings, and the pool stays near the size of the live
 * rows. */
static void
test_pool_rebuilt(void **state)
{
	struct fixture	*f = *state;
	uint32_t	 gone[500], u;
	size_t		 round, i, len0;

	add_range(&f->m, 1, 2000);
	len0 = f->m.pool.len;
	for (round = 0; round < 10; round++)
		add_range(&f->m, 1, 2000);
	assert_true(f->m.pool.len < 3 * len0);
	for (i = 0; i < nitems(gone); i++)
		gone[i] = (uint32_t)(2 * i + 1);
	expunge(&f->m, gone, nitems(gone));
	assert_int_equal(f->m.nrows, 1500);
	for (u = 2; u <= 2000; u++)
		if (u > 1000 || u % 2 == 0)
			assert_row(&f->m, u);
	model_sort(&f->m, SORT_FROM, false);
	for (i = 1; i < f->m.nshown; i++)
		assert_true(strcmp(model_row_str(&f->m, model_row_at(&f->m,
		    i - 1), RS_FROM), model_row_str(&f->m,
		    model_row_at(&f->m, i), RS_FROM)) <= 0);
}

static void
test_cursor_stays_through_inserts(void **state)
{
	struct fixture	*f = *state;
	size_t		 line;

	add_range(&f->m, 100, 200);
	put_cursor_on(&f->m, 150);
	line = f->m.index.cursor - f->m.index.top;
	/* Newer mail lands above the cursor, older below. */
	add_range(&f->m, 201, 260);
	assert_int_equal(cursor_uid(&f->m), 150);
	add_range(&f->m, 1, 99);
	assert_int_equal(cursor_uid(&f->m), 150);
	assert_int_equal(f->m.index.cursor - f->m.index.top, line);
	assert_int_equal(f->m.nshown, 260);
}

static void
test_cursor_stays_through_sort(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	add_range(&f->m, 1, 50);
	put_cursor_on(&f->m, 17);
	model_sort(&f->m, SORT_SUBJECT, false);
	assert_int_equal(cursor_uid(&f->m), 17);
	/* "message 1" < "message 10" < ... by subject. */
	assert_int_equal(model_row_at(&f->m, 0)->m.uid, 1);
	assert_int_equal(model_row_at(&f->m, 1)->m.uid, 10);
	model_sort(&f->m, SORT_SIZE, true);
	assert_int_equal(cursor_uid(&f->m), 17);
	for (i = 1; i < f->m.nshown; i++)
		assert_true(model_row_at(&f->m, i - 1)->m.size >=
		    model_row_at(&f->m, i)->m.size);
}

static void
test_cursor_stays_through_flags(void **state)
{
	struct fixture	*f = *state;
	struct imap_event *ev;

	add_range(&f->m, 1, 20);
	put_cursor_on(&f->m, 12);
	ev = ev_new(&f->m, IE_FLAGS);
	ev->uid = 12;
	ev->flags = MF_FLAGGED;
	feed(&f->m, ev);
	assert_int_equal(cursor_uid(&f->m), 12);
	assert_int_equal(model_cursor_row(&f->m)->m.flags, MF_FLAGGED);
}

static void
test_expunge_moves_cursor_next_then_previous(void **state)
{
	struct fixture	*f = *state;
	uint32_t	 gone1[] = { 15 }, gone2[] = { 14, 13 }, gone3[] = { 1 };

	add_range(&f->m, 1, 20);
	/* Newest first: 15 is followed by 14. */
	put_cursor_on(&f->m, 15);
	expunge(&f->m, gone1, 1);
	assert_int_equal(cursor_uid(&f->m), 14);
	/* The cursor's row and the next both go: the one after them. */
	expunge(&f->m, gone2, 2);
	assert_int_equal(cursor_uid(&f->m), 12);
	assert_int_equal(f->m.nshown, 17);
	/* The last row: nothing follows, so the previous one. */
	put_cursor_on(&f->m, 1);
	expunge(&f->m, gone3, 1);
	assert_int_equal(cursor_uid(&f->m), 2);
	/* A UID we never had changes nothing. */
	expunge(&f->m, gone3, 1);
	assert_int_equal(f->m.nshown, 16);
	assert_null(model_row_by_uid(&f->m, 15));
	assert_non_null(model_row_by_uid(&f->m, 20));
}

static void
test_expunge_elsewhere_keeps_cursor(void **state)
{
	struct fixture	*f = *state;
	uint32_t	 gone[] = { 20, 19, 3 };

	add_range(&f->m, 1, 20);
	put_cursor_on(&f->m, 10);
	expunge(&f->m, gone, 3);
	assert_int_equal(cursor_uid(&f->m), 10);
	assert_int_equal(f->m.nshown, 17);
}

static void
test_stale_generation_dropped(void **state)
{
	struct fixture	*f = *state;
	struct imap_event *ev;
	uint64_t	 old = f->m.generation;

	add_range(&f->m, 1, 5);
	model_select(&f->m, "Archive");
	assert_int_equal(f->m.generation, old + 1);
	assert_int_equal(f->m.nshown, 0);
	/* Rows of the folder we left arrive late: dropped. */
	ev = ev_new(&f->m, IE_SUMMARIES);
	ev->generation = old;
	ev->rows = xcalloc(1, sizeof *ev->rows);
	ev->rows[0].uid = 99;
	ev->nrows = 1;
	assert_int_equal(model_event(&f->m, ev, 0), 0);
	imap_event_free(&ev);
	assert_int_equal(f->m.nshown, 0);
	/* And the select went out with the new generation. */
	assert_int_equal(last_cmd(&f->m)->type, IC_SELECT);
	assert_int_equal(last_cmd(&f->m)->generation, old + 1);
	assert_string_equal(last_cmd(&f->m)->folder, "Archive");
}

static void
selected(struct model *m, uint32_t uidvalidity, uint32_t messages)
{
	struct imap_event *ev = ev_new(m, IE_SELECTED);

	ev->folders = xcalloc(1, sizeof *ev->folders);
	ev->nfolders = 1;
	ev->folders[0].name = xstrdup(m->folder);
	ev->folders[0].uidvalidity = uidvalidity;
	ev->folders[0].has_status = true;
	ev->folders[0].messages = messages;
	feed(m, ev);
}

/* The unread count the model keeps as flags change equals a count of
 * the rows. */
static void
assert_unseen(const struct model *m, size_t want)
{
	size_t	 i, n = 0;

	for (i = 0; i < m->nrows; i++)
		n += !(m->rows[i].m.flags & MF_SEEN);
	assert_int_equal(n, want);
	assert_int_equal(m->nunseen, want);
}

static void
test_unseen_count_follows(void **state)
{
	struct fixture	*f = *state;
	struct imap_event *ev;
	struct imap_cmd	*cmd;
	uint32_t	 gone[] = { 2, 3 };

	add_range(&f->m, 1, 5);
	assert_unseen(&f->m, 0);
	assert_true(model_set_flags(&f->m, model_row_by_uid(&f->m, 2), 0,
	    MF_SEEN));
	cmd = last_cmd(&f->m);
	assert_unseen(&f->m, 1);
	ev = ev_new(&f->m, IE_FLAGS);
	ev->uid = 4;
	ev->flags = 0;
	feed(&f->m, ev);
	assert_unseen(&f->m, 2);
	/* Sent again by the server, seen: the pending change still holds. */
	add_range(&f->m, 2, 2);
	assert_unseen(&f->m, 2);
	ev = ev_new(&f->m, IE_DONE);
	ev->id = cmd->id;
	ev->ok = false;
	feed(&f->m, ev);
	assert_unseen(&f->m, 1);
	assert_true(model_set_flags(&f->m, model_row_by_uid(&f->m, 3), 0,
	    MF_SEEN));
	assert_unseen(&f->m, 2);
	expunge(&f->m, gone, 2);
	assert_unseen(&f->m, 1);
	model_select(&f->m, "Other");
	assert_unseen(&f->m, 0);
}

static void
test_optimistic_flags_and_revert(void **state)
{
	struct fixture	*f = *state;
	struct imap_event *ev;
	struct imap_cmd	*cmd;
	struct ui_row	*r;

	selected(&f->m, 777, 3);
	add_range(&f->m, 1, 3);
	r = model_row_by_uid(&f->m, 2);
	assert_true(model_set_flags(&f->m, r, MF_FLAGGED, MF_SEEN));
	assert_int_equal(r->m.flags, MF_FLAGGED);
	cmd = last_cmd(&f->m);
	assert_int_equal(cmd->type, IC_STORE);
	assert_int_equal(cmd->add, MF_FLAGGED);
	assert_int_equal(cmd->remove, MF_SEEN);
	assert_int_equal(cmd->uidvalidity, 777);
	assert_int_equal(cmd->nuids, 1);
	assert_int_equal(cmd->uids[0], 2);
	/* Nothing to change: nothing sent. */
	assert_false(model_set_flags(&f->m, r, MF_FLAGGED, MF_SEEN));
	/* The server's view comes in before the answer: the change stays. */
	ev = ev_new(&f->m, IE_FLAGS);
	ev->uid = 2;
	ev->flags = MF_SEEN | MF_ANSWERED;
	feed(&f->m, ev);
	assert_int_equal(r->m.flags, MF_FLAGGED | MF_ANSWERED);
	/* It fails: the row goes back, the reason shows as an error. */
	ev = ev_new(&f->m, IE_DONE);
	ev->id = cmd->id;
	ev->ok = false;
	ev->text = xstrdup("mailbox is read-only");
	feed(&f->m, ev);
	r = model_row_by_uid(&f->m, 2);
	assert_int_equal(r->m.flags, MF_SEEN | MF_ANSWERED);
	assert_true(f->m.message_error);
	assert_non_null(strstr(f->m.message, "mailbox is read-only"));
	assert_int_equal(f->m.npending, 0);
}

static void
test_expunge_set_is_users_own(void **state)
{
	struct fixture	*f = *state;
	struct imap_event *ev;
	struct imap_cmd	*cmd;
	uint32_t	*uids;
	size_t		 n;

	selected(&f->m, 5, 10);
	add_range(&f->m, 1, 10);
	model_set_flags(&f->m, model_row_by_uid(&f->m, 3), MF_DELETED, 0);
	model_set_flags(&f->m, model_row_by_uid(&f->m, 7), MF_DELETED, 0);
	model_set_flags(&f->m, model_row_by_uid(&f->m, 8), MF_DELETED, 0);
	model_set_flags(&f->m, model_row_by_uid(&f->m, 8), 0, MF_DELETED);
	/* While 7's change is on its way, the user's flag wins. */
	ev = ev_new(&f->m, IE_FLAGS);
	ev->uid = 7;
	ev->flags = MF_SEEN;
	feed(&f->m, ev);
	assert_true(model_row_by_uid(&f->m, 7)->m.flags & MF_DELETED);
	ack_all(&f->m);
	/* Another client marks 5 deleted. */
	ev = ev_new(&f->m, IE_FLAGS);
	ev->uid = 5;
	ev->flags = MF_SEEN | MF_DELETED;
	feed(&f->m, ev);
	/* Another client undeletes 7. */
	ev = ev_new(&f->m, IE_FLAGS);
	ev->uid = 7;
	ev->flags = MF_SEEN;
	feed(&f->m, ev);
	uids = model_user_deleted(&f->m, &n);
	assert_int_equal(n, 1);
	assert_int_equal(uids[0], 3);
	free(uids);
	assert_true(model_expunge(&f->m) != 0);
	cmd = last_cmd(&f->m);
	assert_int_equal(cmd->type, IC_EXPUNGE);
	assert_int_equal(cmd->nuids, 1);
	assert_int_equal(cmd->uids[0], 3);
	assert_int_equal(cmd->uidvalidity, 5);
}

static void
test_revert_of_delete_leaves_set(void **state)
{
	struct fixture	*f = *state;
	struct imap_event *ev;
	uint32_t	*uids;
	size_t		 n;

	add_range(&f->m, 1, 3);
	model_set_flags(&f->m, model_row_by_uid(&f->m, 2), MF_DELETED, 0);
	ev = ev_new(&f->m, IE_DONE);
	ev->id = last_cmd(&f->m)->id;
	feed(&f->m, ev);	/* ok == false, no text */
	uids = model_user_deleted(&f->m, &n);
	free(uids);
	assert_int_equal(n, 0);
	assert_false(model_row_by_uid(&f->m, 2)->m.flags & MF_DELETED);
}

static void
test_uidvalidity_change_clears(void **state)
{
	struct fixture	*f = *state;

	selected(&f->m, 1, 3);
	add_range(&f->m, 1, 3);
	selected(&f->m, 2, 3);
	assert_int_equal(f->m.nshown, 0);
	assert_int_equal(f->m.index.height, 10);	/* the pane's size */
	assert_null(model_row_by_uid(&f->m, 1));
	assert_int_equal(f->m.uidvalidity, 2);
}

static void
test_search_filters(void **state)
{
	struct fixture	*f = *state;
	struct imap_event *ev;

	add_range(&f->m, 1, 10);
	put_cursor_on(&f->m, 4);
	ev = ev_new(&f->m, IE_SEARCH);
	ev->uids = xcalloc(3, sizeof *ev->uids);
	ev->uids[0] = 2;
	ev->uids[1] = 4;
	ev->uids[2] = 42;	/* gone meanwhile */
	ev->nuids = 3;
	feed(&f->m, ev);
	assert_int_equal(f->m.nshown, 2);
	assert_int_equal(cursor_uid(&f->m), 4);
	model_filter(&f->m, NULL, 0, false);
	assert_int_equal(f->m.nshown, 10);
	assert_int_equal(cursor_uid(&f->m), 4);
}

static void
test_counts_and_state(void **state)
{
	struct fixture	*f = *state;
	struct imap_event *ev;
	size_t		 msgs, unread;

	selected(&f->m, 1, 1000);
	add_range(&f->m, 1, 10);
	model_set_flags(&f->m, model_row_by_uid(&f->m, 4), 0, MF_SEEN);
	model_counts(&f->m, &msgs, &unread);
	assert_int_equal(msgs, 1000);
	assert_int_equal(unread, 1);
	ev = ev_new(&f->m, IE_STATE);
	ev->state = CS_WAITING;
	ev->retry_in = 8;
	feed(&f->m, ev);
	assert_int_equal(f->m.state, CS_WAITING);
	assert_int_equal(f->m.retry_at, 1008);
	ev = ev_new(&f->m, IE_PROGRESS);
	ev->done = 12000;
	ev->total = 100000;
	feed(&f->m, ev);
	assert_int_equal(f->m.progress_total, 100000);
}

/* How many IC_SORT are among the commands queued. */
static size_t
sorts_sent(const struct model *m)
{
	size_t	 i, n = 0;

	for (i = 0; i < m->outbox.len; i++)
		n += ((struct imap_cmd *)m->outbox.items[i])->type == IC_SORT;
	return n;
}

static void
online(struct model *m)
{
	struct imap_event *ev = ev_new(m, IE_STATE);

	ev->state = CS_SYNCING;
	feed(m, ev);
}

/* While a folder loads, the server's order is asked for only up to
 * sort_server_max messages: above it a SORT would hold the backfill up
 * (minutes at a million), and the rows keep arriving in the local order. */
static void
test_no_server_sort_for_a_big_folder(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(f->m.sort_server_max, SORT_SERVER_MAX);
	f->m.sort_server_max = 50;
	online(&f->m);
	selected(&f->m, 1, 51);
	add_range(&f->m, 42, 51);
	assert_true(f->m.sort_asked);
	assert_int_equal(0, sorts_sent(&f->m));
	assert_int_equal(f->m.sort_id, 0);
	add_range(&f->m, 1, 41);
	assert_int_equal(0, sorts_sent(&f->m));
	assert_int_equal(f->m.nshown, 51);
	assert_int_equal(model_row_at(&f->m, 0)->m.uid, 51);
	assert_int_equal(model_row_at(&f->m, 50)->m.uid, 1);

	/* The same folder at the threshold asks, once. */
	model_select(&f->m, "Small");
	online(&f->m);
	selected(&f->m, 2, 50);
	add_range(&f->m, 41, 50);
	assert_int_equal(1, sorts_sent(&f->m));
	assert_int_not_equal(f->m.sort_id, 0);
	assert_int_equal(last_cmd(&f->m)->type, IC_SORT);
	add_range(&f->m, 31, 40);
	assert_int_equal(1, sorts_sent(&f->m));
}

/* Arrival order is the backfill's own: never asked of the server. */
static void
test_no_server_sort_for_arrival(void **state)
{
	struct fixture	*f = *state;

	model_sort(&f->m, SORT_ARRIVAL, true);
	online(&f->m);
	selected(&f->m, 1, 100);
	add_range(&f->m, 91, 100);
	assert_int_equal(0, sorts_sent(&f->m));
	model_sort(&f->m, SORT_SUBJECT, false);
	assert_true(model_sort_server(&f->m));
	assert_int_equal(1, sorts_sent(&f->m));
}

static void
test_hundred_thousand_rows(void **state)
{
	struct fixture	*f = *state;
	uint32_t	 lo, gone[] = { 50000 };
	size_t		 i;

	/* Newest first in chunks of 1,000, as the engine backfills. */
	for (lo = 99001; lo >= 1; lo -= 1000) {
		add_range(&f->m, lo, lo + 999);
		if (lo == 1)
			break;
	}
	assert_int_equal(f->m.nshown, 100000);
	for (i = 1; i < f->m.nshown; i++)
		assert_true(model_row_at(&f->m, i - 1)->m.uid >
		    model_row_at(&f->m, i)->m.uid);
	assert_int_equal(cursor_uid(&f->m), 100000);
	put_cursor_on(&f->m, 50000);
	expunge(&f->m, gone, 1);
	assert_int_equal(cursor_uid(&f->m), 49999);
	assert_non_null(model_row_by_uid(&f->m, 77777));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sorted_newest_first,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_by_uid,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_shares_and_views,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_rebuilt,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_matches_full_sort,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unseen_count_follows,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cursor_stays_through_inserts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cursor_stays_through_sort,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cursor_stays_through_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_expunge_moves_cursor_next_then_previous, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_expunge_elsewhere_keeps_cursor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_generation_dropped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_optimistic_flags_and_revert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expunge_set_is_users_own,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_revert_of_delete_leaves_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uidvalidity_change_clears,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_filters,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts_and_state,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_server_sort_for_a_big_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_server_sort_for_arrival,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_hundred_thousand_rows,
		    setup, teardown),
	};

	return cmocka_run_group_tests_name("ui_model", tests, NULL, NULL);
}
