/*
 * model: what the screen shows, fed by the engine's events. No curses.
 *
 * The index of the selected folder is an arena of rows in arrival order
 * (struct ui_row: 64 bytes of numbers and string offsets), the rows'
 * strings in one pool (strpool.c: each sender, recipient and subject
 * stored once), a UID -> slot hash map, the slots in sort order
 * (order), the same filtered by a search result (shown) and the inverse
 * (pos: slot -> shown position). A chunk of k summaries is sorted alone and
 * merged into the order of n in place, each row placed by binary search:
 * O(k log n) comparisons and O(n) moves, so a backfill never re-sorts
 * everything and never walks the whole order comparing. The unread count
 * is kept as flags change. Expunges compact the arena and rebuild the map
 * in O(n); the pool is rebuilt once more rows have gone than are left.
 * At 100,000 rows the index costs rows 6.4 MB, the UID map 2, order,
 * shown and pos 1.2, and the strings what their distinct values take.
 * Rows keep no Message-ID or References: on the bench's folder those
 * were 5.2 MB of the pool (2.9 and 2.3), shown only by h before the
 * message's header arrived (ui_priv.h).
 *
 * The cursor is a UID (the index list's id): after every change the list
 * finds it again and keeps its screen line. When the cursor's message goes,
 * the cursor moves to the next surviving row, else the previous one.
 *
 * Events of an older folder generation are dropped: they belong to a folder
 * the user has left. Flag changes are optimistic: the row changes now, the
 * deltas go out as IC_STORE, and a failed IE_DONE reverts the row. Rows the
 * user marked deleted in this session carry ROW_USER_DELETED: expunge sends
 * exactly those, never a message another client marked.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui_priv.h"

#define NO_POS	UINT32_MAX

/* ---- UID map ---- */

static size_t
map_hash(uint32_t uid, size_t cap)
{
	return (size_t)((uid * 2654435761u) & (cap - 1));
}

static void map_put(struct uid_map *mp, uint32_t uid, uint32_t slot);

static void
map_grow(struct uid_map *mp)
{
	struct uid_map	 old = *mp;
	size_t		 i;

	mp->cap = old.cap == 0 ? 1024 : old.cap * 2;
	mp->keys = xcalloc(mp->cap, sizeof *mp->keys);
	mp->vals = xcalloc(mp->cap, sizeof *mp->vals);
	mp->n = 0;
	for (i = 0; i < old.cap; i++) {
		if (old.keys[i] != 0)
			map_put(mp, old.keys[i], old.vals[i]);
	}
	free(old.keys);
	free(old.vals);
}

static void
map_put(struct uid_map *mp, uint32_t uid, uint32_t slot)
{
	size_t	 i;

	if ((mp->n + 1) * 2 > mp->cap)
		map_grow(mp);
	for (i = map_hash(uid, mp->cap); mp->keys[i] != 0;
	    i = (i + 1) & (mp->cap - 1)) {
		if (mp->keys[i] == uid) {
			mp->vals[i] = slot;
			return;
		}
	}
	mp->keys[i] = uid;
	mp->vals[i] = slot;
	mp->n++;
}

static bool
map_get(const struct uid_map *mp, uint32_t uid, uint32_t *slot)
{
	size_t	 i;

	if (mp->cap == 0 || uid == 0)
		return false;
	for (i = map_hash(uid, mp->cap); mp->keys[i] != 0;
	    i = (i + 1) & (mp->cap - 1)) {
		if (mp->keys[i] == uid) {
			*slot = mp->vals[i];
			return true;
		}
	}
	return false;
}

static void
map_clear(struct uid_map *mp)
{
	if (mp->cap > 0) {
		memset(mp->keys, 0, mp->cap * sizeof *mp->keys);
		mp->n = 0;
	}
}

/* ---- list keys ---- */

static uint64_t
index_id_at(const void *ctx, size_t pos)
{
	const struct model *m = ctx;

	return m->rows[m->shown[pos]].m.uid;
}

static bool
index_find(const void *ctx, uint64_t id, size_t *pos)
{
	const struct model *m = ctx;
	uint32_t	 slot;

	if (id > UINT32_MAX || !map_get(&m->map, (uint32_t)id, &slot) ||
	    m->pos[slot] == NO_POS)
		return false;
	*pos = m->pos[slot];
	return true;
}

static const struct list_keys index_keys = { index_id_at, index_find };

static uint64_t
name_hash(const char *s)
{
	uint64_t	 h = 14695981039346656037ull;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t
folder_id_at(const void *ctx, size_t pos)
{
	const struct model *m = ctx;

	return name_hash(m->folders[pos].name);
}

static bool
folder_find(const void *ctx, uint64_t id, size_t *pos)
{
	const struct model *m = ctx;
	size_t		 i;

	for (i = 0; i < m->nfolders; i++) {
		if (name_hash(m->folders[i].name) == id) {
			*pos = i;
			return true;
		}
	}
	return false;
}

static const struct list_keys folder_keys = { folder_id_at, folder_find };

/* ---- sorting ---- */

/* A subject without its "Re:" and "Fwd:" prefixes, for sorting. */
static const char *
subject_base(const char *s)
{
	static const char *const prefixes[] = { "re:", "fwd:", "fw:", "aw:" };
	size_t		 i;
	bool		 again = true;

	if (s == NULL)
		return "";
	while (again) {
		again = false;
		while (*s == ' ' || *s == '\t')
			s++;
		for (i = 0; i < nitems(prefixes); i++) {
			if (strncasecmp(s, prefixes[i],
			    strlen(prefixes[i])) == 0) {
				s += strlen(prefixes[i]);
				again = true;
			}
		}
	}
	return s;
}

static int
cmp_num(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* Two rows' strings, NULL as "", without case; equal offsets are the
 * same interned string. */
static int
row_strcasecmp(const struct model *m, const struct ui_row *ra,
    const struct ui_row *rb, enum row_str which, bool base)
{
	const char	*a, *b;

	if (ra->str[which] == rb->str[which])
		return 0;
	a = strpool_get(&m->pool, ra->str[which]);
	b = strpool_get(&m->pool, rb->str[which]);
	if (base)
		return strcasecmp(subject_base(a), subject_base(b));
	return strcasecmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int
row_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct model	*m = ctx;
	const struct ui_row	*rowa = &m->rows[*(const uint32_t *)pa];
	const struct ui_row	*rowb = &m->rows[*(const uint32_t *)pb];
	const struct row_msg	*a = &rowa->m, *b = &rowb->m;
	uint32_t		 ra, rb;
	bool			 ha, hb;
	int			 c = 0;

	/* The server's order first; rows it did not know (new mail since)
	 * go to the newest end, among themselves in the local order. */
	if (m->ranked) {
		ha = map_get(&m->rank, a->uid, &ra);
		hb = map_get(&m->rank, b->uid, &rb);
		if (ha && hb)
			return cmp_num(ra, rb);
		if (ha != hb)
			return (ha ? 1 : -1) * (m->sort_reverse ? 1 : -1);
	}
	switch (m->sort) {
	case SORT_DATE:
		c = cmp_num(a->date != 0 ? a->date : a->internal_date,
		    b->date != 0 ? b->date : b->internal_date);
		break;
	case SORT_ARRIVAL:
		break;
	case SORT_FROM:
		c = row_strcasecmp(m, rowa, rowb, RS_FROM, false);
		break;
	case SORT_SUBJECT:
		c = row_strcasecmp(m, rowa, rowb, RS_SUBJECT, true);
		break;
	case SORT_SIZE:
		c = cmp_num(a->size, b->size);
		break;
	}
	if (c == 0)
		c = cmp_num(a->uid, b->uid);
	return m->sort_reverse ? -c : c;
}

/* Let the list find its cursor, and the cursor a row it was asked to
 * go to. */
static void
index_relist(struct model *m, size_t fallback)
{
	uint32_t slot0;

	list_refresh(&m->index, m->nshown, fallback);
	if (m->want_uid != 0 && map_get(&m->map, m->want_uid, &slot0) &&
	    m->pos[slot0] != NO_POS) {
		list_goto(&m->index, m->pos[slot0]);
		m->want_uid = 0;
	}
}

/* Rebuild shown and pos from order, then let the list find its cursor. */
static void
index_reshow(struct model *m, size_t fallback)
{
	size_t	 i;

	m->nshown = 0;
	for (i = 0; i < m->nrows; i++)
		m->pos[i] = NO_POS;
	for (i = 0; i < m->nrows; i++) {
		uint32_t slot = m->order[i];

		if (m->filtered && !(m->rows[slot].mark & ROW_MATCH))
			continue;
		m->pos[slot] = (uint32_t)m->nshown;
		m->shown[m->nshown++] = slot;
	}
	index_relist(m, fallback);
}

/* The same after a merge that left order[0..first) as it was. Unfiltered,
 * shown is order and pos its inverse, so only the tail is written: a
 * backfill in the index's order appends, and a chunk then costs its own
 * rows, not the folder's (a full reshow per chunk was 16% of a
 * 1,000,000-row fill). A filtered view is rebuilt whole. */
static void
index_reshow_from(struct model *m, size_t first)
{
	size_t	 i;

	if (m->filtered || first > m->nshown) {
		index_reshow(m, 0);
		return;
	}
	for (i = first; i < m->nrows; i++) {
		m->shown[i] = m->order[i];
		m->pos[m->order[i]] = (uint32_t)i;
	}
	m->nshown = m->nrows;
	index_relist(m, 0);
}

/* The first position in order[0..hi) whose row sorts after slot: the
 * last row first, since a backfill in the index's order appends. */
static size_t
order_bound(const struct model *m, size_t hi, uint32_t slot)
{
	size_t	 lo = 0, mid;

	if (hi == 0 || row_cmp(&m->order[hi - 1], &slot, (void *)m) <= 0)
		return hi;
	hi--;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (row_cmp(&m->order[mid], &slot, (void *)m) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Merge the touched slots (sorted alone) into the order of the rest, in
 * place, from the back: each new row finds its place by binary search
 * and the old rows after it move once, so a chunk of k rows into n costs
 * O(k log n) comparisons and at most n moves, with no new array. (A
 * merge that compares its way through all n rows made a 1,000,000-row
 * backfill quadratic.) nreplaced of the touched slots were in the old
 * order and leave it first. Returns the first position that changed.
 */
static size_t
index_merge(struct model *m, uint32_t *add, size_t nadd, size_t old_n,
    size_t nreplaced)
{
	size_t	 n = old_n, first = old_n, i, j, p;

	qsort_r(add, nadd, sizeof *add, row_cmp, m);
	if (nreplaced > 0) {
		for (i = n = 0; i < old_n; i++) {
			if (!(m->rows[m->order[i]].mark & ROW_TOUCHED))
				m->order[n++] = m->order[i];
			else if (first == old_n)
				first = i;
		}
	}
	for (j = nadd; j > 0; j--) {
		p = order_bound(m, n, add[j - 1]);
		memmove(&m->order[p + j], &m->order[p],
		    (n - p) * sizeof *m->order);
		m->order[p + j - 1] = add[j - 1];
		n = p;
	}
	for (j = 0; j < nadd; j++)
		m->rows[add[j]].mark &= ~ROW_TOUCHED;
	return nadd > 0 && n < first ? n : first;
}

static void
index_reserve(struct model *m, size_t need)
{
	size_t	 cap = m->caprows;

	if (need <= cap)
		return;
	while (cap < need)
		cap = cap == 0 ? 256 : cap * 2;
	m->rows = xreallocarray(m->rows, cap, sizeof *m->rows);
	m->order = xreallocarray(m->order, cap, sizeof *m->order);
	m->shown = xreallocarray(m->shown, cap, sizeof *m->shown);
	m->pos = xreallocarray(m->pos, cap, sizeof *m->pos);
	m->caprows = cap;
}

/* Every change of a row's flags goes through here, so the unread count
 * needs no pass over the rows. */
static void
row_set_flags(struct model *m, struct ui_row *r, uint32_t flags)
{
	if (!(r->m.flags & MF_SEEN))
		m->nunseen--;
	if (!(flags & MF_SEEN))
		m->nunseen++;
	r->m.flags = flags;
}

/* Re-apply the changes on their way to flags the server sent. */
static uint32_t
pending_overlay(const struct model *m, uint32_t uid, uint32_t flags)
{
	size_t	 i;

	for (i = 0; i < m->npending; i++) {
		if (m->pending[i].uid == uid) {
			flags |= m->pending[i].add;
			flags &= ~m->pending[i].remove;
		}
	}
	return flags;
}

/* Whether uid is among the search's matches (sorted): O(log n). */
static bool
match_has(const struct model *m, uint32_t uid)
{
	size_t	 lo = 0, hi = m->nmatch, mid;

	if (!m->filtered)
		return false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->match[mid] == uid)
			return true;
		if (m->match[mid] < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Copy the live rows' strings into a new pool: the old one holds the
 * strings of every row replaced or expunged since it was made. */
static void
pool_rebuild(struct model *m)
{
	struct strpool	 old = m->pool;
	size_t		 i;
	int		 k;

	strpool_init(&m->pool);
	for (i = 0; i < m->nrows; i++) {
		for (k = 0; k < RS_COUNT; k++)
			m->rows[i].str[k] = strpool_add(&m->pool,
			    strpool_get(&old, m->rows[i].str[k]));
	}
	strpool_free(&old);
	m->pool_dead = 0;
}

/* Rebuild the pool once the dead rows outnumber the living. */
static void
pool_maybe_rebuild(struct model *m)
{
	if (m->pool_dead > 1024 && m->pool_dead > m->nrows)
		pool_rebuild(m);
}

/* Fill r from the summary in, all but its flags, whose strings go to
 * the pool; in is cleared. Its Message-ID and References are dropped
 * (ui_priv.h enum row_str). */
static void
row_take(struct model *m, struct ui_row *r, struct msg_summary *in)
{
	const char	*str[RS_COUNT];
	int		 k;

	r->m.date = in->date;
	r->m.internal_date = in->internal_date;
	r->m.modseq = in->modseq;
	r->m.uid = in->uid;
	r->m.size = in->size;
	str[RS_FROM] = in->from;
	str[RS_TO] = in->to;
	str[RS_CC] = in->cc;
	str[RS_SUBJECT] = in->subject;
	for (k = 0; k < RS_COUNT; k++)
		r->str[k] = strpool_add(&m->pool, str[k]);
	msg_summary_clear(in);
}

/* Insert or replace each summary by UID; the event's rows are cleared. */
static void
index_add(struct model *m, struct msg_summary *in, size_t n)
{
	uint32_t	*add, slot;
	size_t		 nadd = 0, nreplaced = 0, old_n = m->nrows, first, i;
	struct ui_row	*r;

	index_reserve(m, m->nrows + n);
	add = xreallocarray(NULL, n > 0 ? n : 1, sizeof *add);
	for (i = 0; i < n; i++) {
		if (in[i].uid == 0)
			continue;
		if (map_get(&m->map, in[i].uid, &slot)) {
			r = &m->rows[slot];
			m->pool_dead++;
		} else {
			slot = (uint32_t)m->nrows++;
			r = &m->rows[slot];
			r->mark = match_has(m, in[i].uid) ? ROW_MATCH : 0;
			r->m.flags = MF_SEEN;	/* not counted yet */
			map_put(&m->map, in[i].uid, slot);
		}
		row_set_flags(m, r, pending_overlay(m, in[i].uid,
		    in[i].flags));
		row_take(m, r, &in[i]);
		r->uidvalidity = m->uidvalidity;
		/* Each slot once: a UID may come twice in a chunk. */
		if (!(r->mark & ROW_TOUCHED)) {
			add[nadd++] = slot;
			nreplaced += slot < old_n;
		}
		r->mark |= ROW_TOUCHED;
	}
	first = index_merge(m, add, nadd, old_n, nreplaced);
	free(add);
	pool_maybe_rebuild(m);
	if (m->nrows > m->total)
		m->total = (uint32_t)m->nrows;
	index_reshow_from(m, first);
}

/* Where the cursor goes when its row is among the gone (ROW_TOUCHED):
 * the next surviving row, else the previous one. */
static void
index_cursor_escape(struct model *m)
{
	struct list	*l = &m->index;
	size_t		 p;

	if (l->count == 0 || !l->has_id ||
	    !(m->rows[m->shown[l->cursor]].mark & ROW_TOUCHED))
		return;
	for (p = l->cursor + 1; p < m->nshown; p++) {
		if (!(m->rows[m->shown[p]].mark & ROW_TOUCHED)) {
			l->id = m->rows[m->shown[p]].m.uid;
			return;
		}
	}
	for (p = l->cursor; p > 0; p--) {
		if (!(m->rows[m->shown[p - 1]].mark & ROW_TOUCHED)) {
			l->id = m->rows[m->shown[p - 1]].m.uid;
			return;
		}
	}
	l->has_id = false;
}

/* Remove the rows marked ROW_TOUCHED: compact the arena, remap the order
 * and rebuild the map. */
static void
index_compact(struct model *m)
{
	uint32_t	*newslot = m->pos;	/* reused as scratch */
	size_t		 i, k = 0, removed;

	for (i = 0; i < m->nrows; i++) {
		if (m->rows[i].mark & ROW_TOUCHED) {
			row_set_flags(m, &m->rows[i], MF_SEEN);
			newslot[i] = NO_POS;
			continue;
		}
		newslot[i] = (uint32_t)k;
		if (k != i)
			m->rows[k] = m->rows[i];
		k++;
	}
	removed = m->nrows - k;
	m->pool_dead += removed;
	for (i = 0, k = 0; i < m->nrows; i++) {
		if (newslot[m->order[i]] != NO_POS)
			m->order[k++] = newslot[m->order[i]];
	}
	m->nrows = k;
	map_clear(&m->map);
	for (i = 0; i < m->nrows; i++)
		map_put(&m->map, m->rows[i].m.uid, (uint32_t)i);
	m->total = m->total > removed ? m->total - (uint32_t)removed : 0;
	if (m->total < m->nrows)
		m->total = (uint32_t)m->nrows;
	pool_maybe_rebuild(m);
}

static void
index_expunge(struct model *m, const uint32_t *uids, size_t n)
{
	uint32_t	 slot;
	size_t		 i, hit = 0, fallback;

	for (i = 0; i < n; i++) {
		if (map_get(&m->map, uids[i], &slot) &&
		    !(m->rows[slot].mark & ROW_TOUCHED)) {
			m->rows[slot].mark |= ROW_TOUCHED;
			hit++;
		}
	}
	if (hit == 0)
		return;
	index_cursor_escape(m);
	/* If nothing survives after the cursor, fall back to the end. */
	fallback = m->index.cursor;
	index_compact(m);
	index_reshow(m, fallback);
}

/* Drop every row of the view (a new folder, a new UIDVALIDITY). */
static void
index_clear(struct model *m)
{
	size_t	 height;

	m->nrows = m->nshown = 0;
	m->nunseen = 0;
	strpool_free(&m->pool);
	m->pool_dead = 0;
	map_clear(&m->map);
	m->filtered = false;
	free(m->filter_query);
	m->filter_query = NULL;
	free(m->match);
	m->match = NULL;
	m->nmatch = 0;
	m->search_local = m->research = m->cursor_saved = false;
	if (!m->search_all)
		m->search_id = 0;
	map_clear(&m->rank);
	m->ranked = m->sort_asked = false;
	m->sort_id = 0;
	m->want_uid = 0;
	m->npending = 0;
	/* A fresh list, but the pane keeps its size. */
	height = m->index.height;
	list_init(&m->index, &index_keys, m);
	list_set_height(&m->index, height);
}

/* ---- public ---- */

void
model_init(struct model *m, const struct config *cfg)
{
	memset(m, 0, sizeof *m);
	m->cfg = cfg;
	m->sort = cfg->opt.sort;
	m->sort_reverse = cfg->opt.sort_reverse;
	m->sort_server_max = SORT_SERVER_MAX;
	m->state = CS_OFFLINE;
	m->next_id = 1;
	list_init(&m->index, &index_keys, m);
	list_init(&m->flist, &folder_keys, m);
}

static void
folders_free(struct model *m)
{
	size_t	 i;

	for (i = 0; i < m->nfolders; i++)
		mail_folder_clear(&m->folders[i]);
	free(m->folders);
	m->folders = NULL;
	m->nfolders = 0;
}

void
model_free(struct model *m)
{
	size_t	 i;

	index_clear(m);
	free(m->rows);
	free(m->order);
	free(m->shown);
	free(m->pos);
	free(m->map.keys);
	free(m->map.vals);
	free(m->rank.keys);
	free(m->rank.vals);
	model_results_free(m);
	folders_free(m);
	free(m->folder);
	free(m->pending);
	for (i = 0; i < m->nsent; i++)
		free(m->sent[i].name);
	free(m->sent);
	free(m->state_text);
	free(m->progress_text);
	free(m->message);
	for (i = 0; i < m->outbox.len; i++)
		imap_cmd_free((struct imap_cmd **)&m->outbox.items[i]);
	ptrarray_free(&m->outbox, NULL);
	memset(m, 0, sizeof *m);
}

void
model_message(struct model *m, bool error, const char *fmt, ...)
{
	va_list	 ap;

	free(m->message);
	va_start(ap, fmt);
	m->message = xvasprintf(fmt, ap);
	va_end(ap);
	m->message_error = error;
}

uint64_t
model_send(struct model *m, struct imap_cmd *cmd)
{
	struct sent	*s;

	cmd->id = m->next_id++;
	if (cmd->generation == 0)
		cmd->generation = m->generation;
	if (m->nsent == m->capsent) {
		m->capsent = m->capsent == 0 ? 16 : m->capsent * 2;
		m->sent = xreallocarray(m->sent, m->capsent, sizeof *m->sent);
	}
	s = &m->sent[m->nsent++];
	s->id = cmd->id;
	s->type = cmd->type;
	s->nuids = cmd->nuids;
	s->name = xstrdup(cmd->target != NULL ? cmd->target :
	    cmd->folder != NULL ? cmd->folder : "");
	ptrarray_push(&m->outbox, cmd);
	return cmd->id;
}

void
model_select(struct model *m, const char *folder)
{
	const struct mail_folder *f;
	struct imap_cmd	*cmd;

	index_clear(m);
	free(m->folder);
	m->folder = xstrdup(folder);
	m->generation++;
	m->uidvalidity = 0;
	f = model_folder_by_name(m, folder);
	m->folder_attrs = f != NULL ? f->attrs : 0;
	m->total = f != NULL && f->has_status ? f->messages : 0;
	m->unseen_hint = f != NULL && f->has_status ? f->unseen : 0;
	cmd = imap_cmd_new(IC_SELECT);
	cmd->folder = xstrdup(folder);
	model_send(m, cmd);
}

struct ui_row *
model_row_at(const struct model *m, size_t pos)
{
	return pos < m->nshown ? &m->rows[m->shown[pos]] : NULL;
}

struct ui_row *
model_cursor_row(const struct model *m)
{
	return model_row_at(m, m->index.cursor);
}

struct ui_row *
model_row_by_uid(const struct model *m, uint32_t uid)
{
	uint32_t	 slot;

	return map_get(&m->map, uid, &slot) ? &m->rows[slot] : NULL;
}

const char *
model_row_str(const struct model *m, const struct ui_row *r,
    enum row_str which)
{
	return strpool_get(&m->pool, r->str[which]);
}

/* The pool's strings are const; struct msg_summary's are not, because
 * its owner frees them. A view owns nothing, hence the casts; its
 * message_id and references are NULL (row_take). */
void
model_row_view(const struct model *m, const struct ui_row *r,
    struct msg_summary *out)
{
	memset(out, 0, sizeof *out);
	out->uid = r->m.uid;
	out->flags = r->m.flags;
	out->modseq = r->m.modseq;
	out->internal_date = r->m.internal_date;
	out->date = r->m.date;
	out->size = r->m.size;
	out->from = (char *)model_row_str(m, r, RS_FROM);
	out->to = (char *)model_row_str(m, r, RS_TO);
	out->cc = (char *)model_row_str(m, r, RS_CC);
	out->subject = (char *)model_row_str(m, r, RS_SUBJECT);
}

const struct mail_folder *
model_cursor_folder(const struct model *m)
{
	return m->flist.cursor < m->nfolders ?
	    &m->folders[m->flist.cursor] : NULL;
}

const struct mail_folder *
model_folder_by_name(const struct model *m, const char *name)
{
	size_t	 i;

	for (i = 0; i < m->nfolders; i++) {
		if (strcmp(m->folders[i].name, name) == 0)
			return &m->folders[i];
	}
	return NULL;
}

bool
model_set_flags(struct model *m, struct ui_row *r, uint32_t add,
    uint32_t remove)
{
	struct imap_cmd	*cmd;
	struct pending	*p;

	add &= ~r->m.flags;
	remove &= r->m.flags;
	if (add == 0 && remove == 0)
		return false;
	if (m->npending == m->cappending) {
		m->cappending = m->cappending == 0 ? 16 : m->cappending * 2;
		m->pending = xreallocarray(m->pending, m->cappending,
		    sizeof *m->pending);
	}
	p = &m->pending[m->npending++];
	p->uid = r->m.uid;
	p->add = add;
	p->remove = remove;
	p->mark = r->mark;
	row_set_flags(m, r, (r->m.flags | add) & ~remove);
	if (add & MF_DELETED)
		r->mark |= ROW_USER_DELETED;
	if (remove & MF_DELETED)
		r->mark &= ~ROW_USER_DELETED;

	cmd = imap_cmd_new(IC_STORE);
	cmd->folder = xstrdup(m->folder != NULL ? m->folder : "");
	cmd->uidvalidity = r->uidvalidity;
	cmd->uids = xmalloc(sizeof *cmd->uids);
	cmd->uids[0] = r->m.uid;
	cmd->nuids = 1;
	cmd->add = add;
	cmd->remove = remove;
	p->id = model_send(m, cmd);
	return true;
}

uint32_t *
model_user_deleted(const struct model *m, size_t *n)
{
	uint32_t	*uids;
	size_t		 i;

	uids = xreallocarray(NULL, m->nrows > 0 ? m->nrows : 1,
	    sizeof *uids);
	*n = 0;
	for (i = 0; i < m->nrows; i++) {
		if ((m->rows[i].mark & ROW_USER_DELETED) &&
		    (m->rows[i].m.flags & MF_DELETED))
			uids[(*n)++] = m->rows[i].m.uid;
	}
	return uids;
}

uint64_t
model_expunge(struct model *m)
{
	struct imap_cmd	*cmd;
	uint32_t	*uids;
	size_t		 n;

	uids = model_user_deleted(m, &n);
	if (n == 0 || m->folder == NULL) {
		free(uids);
		return 0;
	}
	cmd = imap_cmd_new(IC_EXPUNGE);
	cmd->folder = xstrdup(m->folder);
	cmd->uidvalidity = m->uidvalidity;
	cmd->uids = uids;
	cmd->nuids = n;
	return model_send(m, cmd);
}

void
model_counts(const struct model *m, size_t *msgs, size_t *unread)
{
	size_t	 u = m->nunseen;

	*msgs = m->nrows > m->total ? m->nrows : m->total;
	/* Until every row is here, the server knows better. */
	*unread = m->nrows < m->total && m->unseen_hint > u ?
	    m->unseen_hint : u;
}

static int
uid_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void
model_filter(struct model *m, const uint32_t *uids, size_t n, bool on)
{
	size_t	 i, k = 0;

	free(m->match);
	m->match = NULL;
	m->nmatch = 0;
	if (on && n > 0) {
		m->match = xreallocarray(NULL, n, sizeof *m->match);
		memcpy(m->match, uids, n * sizeof *m->match);
		qsort(m->match, n, sizeof *m->match, uid_cmp);
		for (i = 0; i < n; i++)
			if (m->match[i] != 0 &&
			    (k == 0 || m->match[k - 1] != m->match[i]))
				m->match[k++] = m->match[i];
		m->nmatch = k;
	}
	m->filtered = on;
	model_refilter(m);
}

void
model_refilter(struct model *m)
{
	size_t	 i;

	for (i = 0; i < m->nrows; i++) {
		m->rows[i].mark &= ~ROW_MATCH;
		if (match_has(m, m->rows[i].m.uid))
			m->rows[i].mark |= ROW_MATCH;
	}
	index_reshow(m, 0);
}

bool
model_slot(const struct model *m, uint32_t uid, uint32_t *slot)
{
	return map_get(&m->map, uid, slot);
}

/* Sort every row again by row_cmp. */
static void
index_resort(struct model *m)
{
	size_t	 i;

	for (i = 0; i < m->nrows; i++)
		m->order[i] = (uint32_t)i;
	if (m->nrows > 0)
		qsort_r(m->order, m->nrows, sizeof *m->order, row_cmp, m);
	index_reshow(m, 0);
}

void
model_set_rank(struct model *m, const uint32_t *uids, size_t n)
{
	size_t	 i;

	map_clear(&m->rank);
	for (i = 0; i < n; i++)
		if (uids[i] != 0)
			map_put(&m->rank, uids[i], (uint32_t)i);
	m->ranked = true;
	index_resort(m);
}

void
model_sort(struct model *m, enum sort_key key, bool reverse)
{
	m->sort = key;
	m->sort_reverse = reverse;
	m->ranked = false;
	map_clear(&m->rank);
	index_resort(m);
}

/* ---- events ---- */

static int
folder_cmp(const void *pa, const void *pb)
{
	const struct mail_folder *a = pa, *b = pb;
	bool		 ia = (a->attrs & FA_INBOX) || strcmp(a->name, "INBOX") == 0;
	bool		 ib = (b->attrs & FA_INBOX) || strcmp(b->name, "INBOX") == 0;

	if (ia != ib)
		return ia ? -1 : 1;
	return strcmp(a->name, b->name);
}

static unsigned
ev_folders(struct model *m, struct imap_event *ev)
{
	size_t	 i;

	folders_free(m);
	m->folders = xreallocarray(NULL, ev->nfolders > 0 ? ev->nfolders : 1,
	    sizeof *m->folders);
	for (i = 0; i < ev->nfolders; i++) {
		if (ev->folders[i].name == NULL)
			continue;
		m->folders[m->nfolders++] = ev->folders[i];
		memset(&ev->folders[i], 0, sizeof ev->folders[i]);
	}
	qsort(m->folders, m->nfolders, sizeof *m->folders, folder_cmp);
	list_refresh(&m->flist, m->nfolders, 0);
	if (m->folder != NULL && model_folder_by_name(m, m->folder) != NULL)
		m->folder_attrs = model_folder_by_name(m, m->folder)->attrs;
	return DIRTY_FOLDERS | DIRTY_INDEX | DIRTY_STATUS;
}

static unsigned
ev_selected(struct model *m, const struct imap_event *ev)
{
	const struct mail_folder *f = ev->nfolders > 0 ? &ev->folders[0] : NULL;
	size_t		 i;

	if (f == NULL)
		return 0;
	if (m->uidvalidity != 0 && f->uidvalidity != m->uidvalidity) {
		/* The UIDs we hold mean other messages now. */
		index_clear(m);
		model_message(m, false, "%s was reset on the server; "
		    "reloading", m->folder);
	}
	m->uidvalidity = f->uidvalidity;
	if (f->has_status) {
		m->total = f->messages;
		m->unseen_hint = f->unseen;
	}
	m->folder_attrs |= f->attrs;
	for (i = 0; i < m->nfolders; i++) {
		if (strcmp(m->folders[i].name, m->folder) != 0)
			continue;
		m->folders[i].attrs |= f->attrs;
		if (f->has_status) {
			m->folders[i].has_status = true;
			m->folders[i].messages = f->messages;
			m->folders[i].unseen = f->unseen;
		}
	}
	return DIRTY_ALL & ~DIRTY_LAYOUT;
}

static unsigned
ev_flags(struct model *m, const struct imap_event *ev)
{
	struct ui_row	*r = model_row_by_uid(m, ev->uid);
	uint32_t	 flags;

	if (r == NULL)
		return 0;
	flags = (ev->flags & ~MF_ATTACHMENT) | (r->m.flags & MF_ATTACHMENT);
	row_set_flags(m, r, pending_overlay(m, r->m.uid, flags));
	if (!(r->m.flags & MF_DELETED))
		r->mark &= ~ROW_USER_DELETED;
	return DIRTY_INDEX | DIRTY_PAGER | DIRTY_STATUS | DIRTY_FOLDERS;
}

/* The sent command with this id, taken off the list; NULL if unknown. */
static bool
sent_take(struct model *m, uint64_t id, struct sent *out)
{
	size_t	 i;

	for (i = 0; i < m->nsent; i++) {
		if (m->sent[i].id == id) {
			*out = m->sent[i];
			m->sent[i] = m->sent[--m->nsent];
			return true;
		}
	}
	return false;
}

/* A flag change finished: forget it, and undo it on failure. */
static void
pending_done(struct model *m, uint64_t id, bool ok)
{
	struct ui_row	*r;
	size_t		 i;

	for (i = 0; i < m->npending; i++) {
		if (m->pending[i].id == id)
			break;
	}
	if (i == m->npending)
		return;
	if (!ok && (r = model_row_by_uid(m, m->pending[i].uid)) != NULL) {
		row_set_flags(m, r, (r->m.flags & ~m->pending[i].add) |
		    m->pending[i].remove);
		r->mark = (r->mark & ~ROW_USER_DELETED) |
		    (m->pending[i].mark & ROW_USER_DELETED);
	}
	memmove(&m->pending[i], &m->pending[i + 1],
	    (m->npending - i - 1) * sizeof *m->pending);
	m->npending--;
}

static const char *
cmd_verb(enum imap_cmd_type t)
{
	switch (t) {
	case IC_LIST:		return "listing the folders";
	case IC_SELECT:		return "opening";
	case IC_STORE:		return "changing flags in";
	case IC_EXPUNGE:	return "expunging";
	case IC_MOVE:		return "moving to";
	case IC_COPY:		return "copying to";
	case IC_FETCH_BODY:	return "fetching from";
	case IC_SEARCH:		return "searching";
	case IC_SYNC:		return "syncing";
	case IC_SORT:		return "sorting";
	case IC_FETCH_PARTS:	return "opening a message in";
	}
	return "running a command on";
}

static unsigned
ev_done(struct model *m, const struct imap_event *ev)
{
	struct sent	 s;
	const char	*why = ev->text != NULL ? ev->text : "no reason given";

	m->last_done = ev->id;
	m->last_ok = ev->ok;
	pending_done(m, ev->id, ev->ok);
	if (!sent_take(m, ev->id, &s)) {
		if (!ev->ok)
			model_message(m, true, "%s", why);
		return DIRTY_MESSAGE;
	}
	if (!ev->ok && s.type == IC_SORT)
		;	/* sorted here instead (search.c) */
	else if (!ev->ok)
		model_message(m, true, "Failed %s %s: %s", cmd_verb(s.type),
		    s.name, why);
	else if (s.type == IC_EXPUNGE)
		model_message(m, false, "Expunged %zu message%s", s.nuids,
		    s.nuids == 1 ? "" : "s");
	else if (s.type == IC_MOVE || s.type == IC_COPY)
		model_message(m, false, "%s %zu message%s to %s",
		    s.type == IC_MOVE ? "Moved" : "Copied", s.nuids,
		    s.nuids == 1 ? "" : "s", s.name);
	free(s.name);
	return DIRTY_ALL & ~DIRTY_LAYOUT;
}

static unsigned
ev_state(struct model *m, const struct imap_event *ev, time_t now)
{
	m->state = ev->state;
	free(m->state_text);
	m->state_text = ev->text != NULL ? xstrdup(ev->text) : NULL;
	m->retry_at = ev->state == CS_WAITING ? now + ev->retry_in : 0;
	if (ev->state == CS_FAILED && ev->text != NULL)
		model_message(m, true, "%s", ev->text);
	return DIRTY_STATUS | DIRTY_MESSAGE;
}

static unsigned
ev_progress(struct model *m, const struct imap_event *ev)
{
	free(m->progress_text);
	m->progress_text = NULL;
	if (ev->total == 0 || ev->done >= ev->total) {
		m->progress_done = m->progress_total = 0;
	} else {
		m->progress_done = ev->done;
		m->progress_total = ev->total;
		if (ev->text != NULL)
			m->progress_text = xstrdup(ev->text);
	}
	return DIRTY_STATUS;
}

/* Events about the selected folder's view carry its generation. */
static bool
ev_is_stale(const struct model *m, const struct imap_event *ev)
{
	switch (ev->type) {
	case IE_SEARCH:
		/* A newer search replaces it; one of all folders outlives
		 * the folder it was started from. */
		if (ev->id != 0 && ev->id != m->search_id)
			return true;
		if (m->search_all && ev->id != 0)
			return false;
		return m->folder == NULL || ev->generation != m->generation;
	case IE_SELECTED:
	case IE_SUMMARIES:
	case IE_FLAGS:
	case IE_EXPUNGED:
	case IE_SORTED:
	case IE_BODY:
	case IE_PARTS:
		return m->folder == NULL || ev->generation != m->generation;
	default:
		return false;
	}
}

unsigned
model_event(struct model *m, struct imap_event *ev, time_t now)
{
	if (ev_is_stale(m, ev))
		return 0;
	switch (ev->type) {
	case IE_STATE:
		return ev_state(m, ev, now);
	case IE_FOLDERS:
		return ev_folders(m, ev);
	case IE_SELECTED:
		return ev_selected(m, ev);
	case IE_SUMMARIES:
		index_add(m, ev->rows, ev->nrows);
		/* The first rows are on screen: now the server's order. */
		if (!m->sort_asked)
			model_sort_server(m);
		return DIRTY_INDEX | DIRTY_PAGER | DIRTY_STATUS;
	case IE_FLAGS:
		if (m->filtered && model_row_by_uid(m, ev->uid) != NULL)
			model_search_flags(m);
		return ev_flags(m, ev);
	case IE_EXPUNGED:
		index_expunge(m, ev->uids, ev->nuids);
		return DIRTY_INDEX | DIRTY_PAGER | DIRTY_STATUS;
	case IE_PROGRESS:
		return ev_progress(m, ev);
	case IE_SEARCH:
	case IE_SORTED:
		return model_search_event(m, ev);
	case IE_DONE:
		if (ev->id != 0 && (ev->id == m->search_id ||
		    ev->id == m->sort_id))
			return model_search_event(m, ev) | ev_done(m, ev);
		return ev_done(m, ev);
	case IE_NOTICE:
		if (ev->text != NULL)
			model_message(m, false, "%s", ev->text);
		return DIRTY_MESSAGE;
	case IE_BODY:
	case IE_PARTS:
		return DIRTY_PAGER;
	}
	return 0;
}
