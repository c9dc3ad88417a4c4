/*
 * The list widget: cursor and top through moves, pages, first and last,
 * the wheel, resizes and row changes, at 100,000 rows; the draw step
 * visits the visible rows only; the cursor follows its id.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "ui_priv.h"

#define BIG 100000

/* Rows whose ids are in an array, so tests can insert and remove. */
struct rows {
	uint64_t	*ids;
	size_t		 n;
};

static uint64_t
rows_id_at(const void *ctx, size_t pos)
{
	const struct rows *r = ctx;

	return r->ids[pos];
}

static bool
rows_find(const void *ctx, uint64_t id, size_t *pos)
{
	const struct rows *r = ctx;
	size_t		 i;

	for (i = 0; i < r->n; i++) {
		if (r->ids[i] == id) {
			*pos = i;
			return true;
		}
	}
	return false;
}

static const struct list_keys keys = { rows_id_at, rows_find };

/* Check the invariants every call must keep. */
static void
check(const struct list *l)
{
	if (l->count == 0) {
		assert_int_equal(l->cursor, 0);
		assert_int_equal(l->top, 0);
		return;
	}
	assert_true(l->cursor < l->count);
	if (l->height == 0)
		return;
	assert_true(l->top <= l->cursor);
	assert_true(l->cursor < l->top + l->height);
	if (l->count >= l->height)
		assert_true(l->top + l->height <= l->count);
	else
		assert_int_equal(l->top, 0);
}

static void
big(struct list *l, size_t height)
{
	list_init(l, NULL, NULL);
	list_refresh(l, BIG, 0);
	list_set_height(l, height);
}

static void
test_moves_and_pages(void **state)
{
	struct list	 l;

	(void)state;
	big(&l, 30);
	list_move(&l, 1);
	assert_int_equal(l.cursor, 1);
	assert_int_equal(l.top, 0);
	list_move(&l, 40);
	assert_int_equal(l.cursor, 41);
	assert_int_equal(l.top, 12);		/* just enough to show it */
	check(&l);
	list_move(&l, -1000);
	assert_int_equal(l.cursor, 0);
	assert_int_equal(l.top, 0);
	/* A page moves view and cursor by height - 1, keeping the line. */
	list_move(&l, 5);
	list_page(&l, 1);
	assert_int_equal(l.top, 29);
	assert_int_equal(l.cursor, 34);
	list_page(&l, -1);
	assert_int_equal(l.top, 0);
	assert_int_equal(l.cursor, 5);
	list_page(&l, -1);
	assert_int_equal(l.cursor, 0);
	list_last(&l);
	assert_int_equal(l.cursor, BIG - 1);
	assert_int_equal(l.top, BIG - 30);
	list_page(&l, 1);
	assert_int_equal(l.cursor, BIG - 1);
	check(&l);
	list_first(&l);
	assert_int_equal(l.cursor, 0);
	assert_int_equal(l.top, 0);
	list_move(&l, BIG * 2);
	assert_int_equal(l.cursor, BIG - 1);
	check(&l);
}

static void
test_pages_through_everything(void **state)
{
	struct list	 l;
	size_t		 pages = 0;

	(void)state;
	big(&l, 25);
	while (l.cursor < BIG - 1) {
		list_page(&l, 1);
		check(&l);
		pages++;
	}
	/* 24 rows a page. */
	assert_int_equal(pages, (BIG - 25) / 24 + 1);
	while (l.cursor > 0) {
		list_page(&l, -1);
		check(&l);
	}
	assert_int_equal(l.top, 0);
}

static void
test_wheel_and_resize(void **state)
{
	struct list	 l;
	size_t		 pos;

	(void)state;
	big(&l, 10);
	list_scroll(&l, 3);
	assert_int_equal(l.top, 3);
	assert_int_equal(l.cursor, 3);		/* pulled into view */
	list_scroll(&l, -100);
	assert_int_equal(l.top, 0);
	assert_int_equal(l.cursor, 3);		/* still in view: stays */
	list_scroll(&l, BIG);
	assert_int_equal(l.top, BIG - 10);
	assert_int_equal(l.cursor, BIG - 10);
	check(&l);
	assert_true(list_hit(&l, 9, &pos));
	assert_int_equal(pos, BIG - 1);
	assert_false(list_hit(&l, 10, &pos));
	/* Shrink to 3 rows, then to 0 (a too-small terminal), then back. */
	list_move(&l, 9);
	list_set_height(&l, 3);
	check(&l);
	assert_int_equal(l.cursor, BIG - 1);
	list_set_height(&l, 0);
	list_set_height(&l, 120);
	check(&l);
	assert_int_equal(l.cursor, BIG - 1);
	assert_int_equal(l.top, BIG - 120);
}

static void
test_short_and_empty(void **state)
{
	struct list	 l;

	(void)state;
	list_init(&l, NULL, NULL);
	list_set_height(&l, 10);
	list_move(&l, 1);
	list_page(&l, 1);
	list_last(&l);
	list_scroll(&l, 5);
	check(&l);
	list_refresh(&l, 3, 0);
	list_last(&l);
	assert_int_equal(l.cursor, 2);
	assert_int_equal(l.top, 0);
	list_page(&l, 1);
	assert_int_equal(l.cursor, 2);
	list_scroll(&l, 2);
	assert_int_equal(l.top, 0);
	check(&l);
}

struct seen {
	size_t	 calls;
	size_t	 first, last;
	size_t	 cursors;
};

static void
count_row(void *ctx, size_t pos, size_t y, bool cursor)
{
	struct seen	*s = ctx;

	if (s->calls == 0)
		s->first = pos;
	assert_int_equal(pos, s->first + y);
	s->last = pos;
	s->calls++;
	s->cursors += cursor;
}

static void
test_draw_visits_visible_rows_only(void **state)
{
	struct list	 l;
	struct seen	 s;

	(void)state;
	big(&l, 40);
	list_goto(&l, 70000);
	memset(&s, 0, sizeof s);
	list_draw(&l, count_row, &s);
	assert_int_equal(s.calls, 40);
	assert_int_equal(s.cursors, 1);
	assert_int_equal(s.last, 70000);
	assert_int_equal(s.first, 70000 - 39);
}

static void
test_cursor_follows_id(void **state)
{
	struct rows	 r;
	struct list	 l;
	size_t		 i;

	(void)state;
	r.n = 1000;
	r.ids = xcalloc(r.n + 10, sizeof *r.ids);
	for (i = 0; i < r.n; i++)
		r.ids[i] = 5000 + i;
	list_init(&l, &keys, &r);
	list_set_height(&l, 20);
	list_refresh(&l, r.n, 0);
	list_goto(&l, 500);
	list_move(&l, -5);			/* 495, on line 14 */
	assert_int_equal(l.id, 5495);
	i = l.cursor - l.top;
	/* Ten rows arrive at the top. */
	memmove(r.ids + 10, r.ids, r.n * sizeof *r.ids);
	for (i = 0; i < 10; i++)
		r.ids[i] = 9000 + i;
	r.n += 10;
	list_refresh(&l, r.n, 0);
	assert_int_equal(l.cursor, 505);
	assert_int_equal(l.id, 5495);
	assert_int_equal(l.cursor - l.top, 14);	/* same screen line */
	/* Its row goes: the fallback position, and a new id. */
	memmove(r.ids + 505, r.ids + 506, (r.n - 506) * sizeof *r.ids);
	r.n--;
	list_refresh(&l, r.n, 505);
	assert_int_equal(l.cursor, 505);
	assert_int_equal(l.id, 5496);
	check(&l);
	free(r.ids);
}

/* A view at the top stays there when rows arrive above the cursor, so
 * new mail in a newest-first index is seen; the cursor keeps its row. */
static void
test_top_view_shows_new_rows(void **state)
{
	struct rows	 r;
	struct list	 l;
	size_t		 i;

	(void)state;
	r.n = 100;
	r.ids = xcalloc(r.n + 30, sizeof *r.ids);
	for (i = 0; i < r.n; i++)
		r.ids[i] = 5000 + i;
	list_init(&l, &keys, &r);
	list_set_height(&l, 20);
	list_refresh(&l, r.n, 0);
	list_goto(&l, 2);
	memmove(r.ids + 1, r.ids, r.n * sizeof *r.ids);
	r.ids[0] = 9000;
	r.n++;
	list_refresh(&l, r.n, 0);
	assert_int_equal(l.top, 0);
	assert_int_equal(l.cursor, 3);
	assert_int_equal(l.id, 5002);
	/* More than a screen arrives: the cursor's row stays in view. */
	memmove(r.ids + 25, r.ids, r.n * sizeof *r.ids);
	for (i = 0; i < 25; i++)
		r.ids[i] = 9100 + i;
	r.n += 25;
	list_refresh(&l, r.n, 0);
	assert_int_equal(l.cursor, 28);
	assert_int_equal(l.id, 5002);
	check(&l);
	free(r.ids);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_moves_and_pages),
		cmocka_unit_test(test_pages_through_everything),
		cmocka_unit_test(test_wheel_and_resize),
		cmocka_unit_test(test_short_and_empty),
		cmocka_unit_test(test_draw_visits_visible_rows_only),
		cmocka_unit_test(test_cursor_follows_id),
		cmocka_unit_test(test_top_view_shows_new_rows),
	};

	return cmocka_run_group_tests_name("ui_list", tests, NULL, NULL);
}
