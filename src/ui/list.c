/*
 * list: the one list widget of the screen.
 *
 * A list is a window of height rows onto count rows: the cursor and the
 * first visible row (top) are positions; the cursor's row also has a stable
 * id (a UID, a folder's name hash), so when rows come and go underneath, the
 * cursor follows its row and stays on the same screen line (unless the view
 * shows the first row: then it stays at the top, so rows arriving above
 * are seen). Nothing here
 * depends on how many rows there are: every call is O(1) except the draw
 * step, which is O(height), so 100,000 rows scroll as fast as 10.
 *
 * Invariants after every call: cursor < count (or both 0), and when
 * height > 0, top <= cursor < top + height and top + height <= count unless
 * the whole list fits.
 */
#include "config.h"

#include "ui_priv.h"

static void
list_note_id(struct list *l)
{
	if (l->keys != NULL && l->count > 0) {
		l->id = l->keys->id_at(l->ctx, l->cursor);
		l->has_id = true;
	} else
		l->has_id = false;
}

/* The largest top that still fills the pane. */
static size_t
list_max_top(const struct list *l)
{
	if (l->height == 0 || l->count <= l->height)
		return 0;
	return l->count - l->height;
}

/* Restore the invariants after cursor or top moved. */
static void
list_clamp(struct list *l)
{
	if (l->count == 0) {
		l->cursor = l->top = 0;
		return;
	}
	if (l->cursor >= l->count)
		l->cursor = l->count - 1;
	if (l->top > list_max_top(l))
		l->top = list_max_top(l);
	if (l->height == 0)
		return;
	if (l->cursor < l->top)
		l->top = l->cursor;
	else if (l->cursor >= l->top + l->height)
		l->top = l->cursor - l->height + 1;
}

void
list_init(struct list *l, const struct list_keys *keys, const void *ctx)
{
	l->count = l->cursor = l->top = l->height = 0;
	l->id = 0;
	l->has_id = false;
	l->keys = keys;
	l->ctx = ctx;
}

void
list_set_height(struct list *l, size_t height)
{
	l->height = height;
	list_clamp(l);
}

void
list_move(struct list *l, long delta)
{
	if (l->count == 0)
		return;
	if (delta < 0 && (size_t)-delta > l->cursor)
		l->cursor = 0;
	else if (delta > 0 && (size_t)delta >= l->count - l->cursor)
		l->cursor = l->count - 1;
	else
		l->cursor = (size_t)((long)l->cursor + delta);
	list_clamp(l);
	list_note_id(l);
}

void
list_page(struct list *l, int dir)
{
	size_t	 page = l->height > 1 ? l->height - 1 : 1;
	size_t	 line = l->cursor - l->top;

	if (l->count == 0)
		return;
	if (dir > 0) {
		if (l->top + page > list_max_top(l)) {
			/* The last page: go to the last row. */
			l->top = list_max_top(l);
			l->cursor = l->count - 1;
		} else {
			l->top += page;
			l->cursor = l->top + line;
		}
	} else {
		if (l->top < page) {
			l->top = 0;
			l->cursor = 0;
		} else {
			l->top -= page;
			l->cursor = l->top + line;
		}
	}
	list_clamp(l);
	list_note_id(l);
}

void
list_first(struct list *l)
{
	l->cursor = l->top = 0;
	list_clamp(l);
	list_note_id(l);
}

void
list_last(struct list *l)
{
	if (l->count == 0)
		return;
	l->cursor = l->count - 1;
	list_clamp(l);
	list_note_id(l);
}

void
list_goto(struct list *l, size_t pos)
{
	l->cursor = pos;
	list_clamp(l);
	list_note_id(l);
}

void
list_scroll(struct list *l, long delta)
{
	if (l->count == 0 || l->height == 0)
		return;
	if (delta < 0 && (size_t)-delta > l->top)
		l->top = 0;
	else if (delta > 0 && l->top + (size_t)delta > list_max_top(l))
		l->top = list_max_top(l);
	else
		l->top = (size_t)((long)l->top + delta);
	/* The view moved: pull the cursor into it, not the view back. */
	if (l->cursor < l->top)
		l->cursor = l->top;
	else if (l->cursor >= l->top + l->height)
		l->cursor = l->top + l->height - 1;
	list_clamp(l);
	list_note_id(l);
}

void
list_refresh(struct list *l, size_t count, size_t fallback)
{
	size_t	 line = l->cursor >= l->top ? l->cursor - l->top : 0;
	size_t	 pos;
	bool	 at_top = l->top == 0;

	l->count = count;
	if (l->keys != NULL && l->has_id &&
	    l->keys->find(l->ctx, l->id, &pos))
		l->cursor = pos;
	else
		l->cursor = fallback;
	if (count == 0) {
		l->cursor = l->top = 0;
		l->has_id = false;
		return;
	}
	if (l->cursor >= count)
		l->cursor = count - 1;
	/* Keep the cursor's row on the line it was on; but a view that
	 * showed the first row keeps showing it, or new mail arriving above
	 * (newest first) would land out of sight. */
	if (at_top)
		l->top = 0;
	else
		l->top = l->cursor >= line ? l->cursor - line : 0;
	list_clamp(l);
	list_note_id(l);
}

bool
list_hit(const struct list *l, size_t y, size_t *pos)
{
	if (y >= l->height || l->top + y >= l->count)
		return false;
	*pos = l->top + y;
	return true;
}

void
list_draw(const struct list *l, list_draw_fn *fn, void *ctx)
{
	size_t	 y;

	for (y = 0; y < l->height && l->top + y < l->count; y++)
		fn(ctx, l->top + y, y, l->top + y == l->cursor);
}
