/*
 * Keeping the selected folder in step with the server, both ways.
 *
 * From the server: every FETCH response, asked for or not, reaches
 * sync_handler() while libetpan parses it (LIBETPAN.md 9); the rest of
 * the unsolicited data waits in libetpan's response info until the next
 * command replaces it, so sx_after() calls harvest() after every command
 * (LIBETPAN.md 8): EXPUNGE (sequence numbers) and VANISHED (UIDs) become
 * IE_EXPUNGED, EXISTS growth schedules a fetch of new mail, HIGHESTMODSEQ
 * is kept, a MODIFIED code is kept for the STORE that caused it. A FETCH
 * without UID is resolved through the sequence map only at the end of
 * its response, when the EXPUNGEs before it are known; if both came in
 * one response, or the map contradicts the server anywhere, the map is
 * rebuilt from a FETCH of every message's UID and flags (sync_rebuild).
 *
 * After a re-select (a reconnect, or a warm start from the cache) the map
 * is reconciled by sync_resync, the cheapest way the server allows:
 * nothing at all when the SELECT gives back the map's HIGHESTMODSEQ,
 * UIDNEXT and count; with QRESYNC, the changes and VANISHED since that
 * HIGHESTMODSEQ in one round trip; with CONDSTORE alone, the changes by
 * CHANGEDSINCE, then a UID SEARCH for the expunges only when the counts
 * leave room for one; with neither, the rebuild. New mail comes after,
 * from the map's UIDNEXT.
 *
 * To the server: per-flag deltas, +FLAGS.SILENT and -FLAGS.SILENT, so a
 * change sent twice (a reply lost with the connection) changes nothing
 * the second time, and flags the user did not touch follow whatever other
 * clients did (BAD-INPUTS 32). Under CONDSTORE the STORE carries
 * UNCHANGEDSINCE, written by hand (LIBETPAN.md 5); the messages the server
 * reports MODIFIED are fetched again and the delta re-applied on top, and
 * the UI hears their merged flags. EXPUNGE removes exactly the UIDs given
 * (UID EXPUNGE, BAD-INPUTS 33); MOVE falls back to COPY, STORE \Deleted
 * and UID EXPUNGE.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "session_priv.h"

#define REBUILD_CHUNK	5000
#define SET_TEXT_MAX	4000	/* bytes of UID set per command line */
#define SERVER_FLAGS	(MF_SEEN | MF_ANSWERED | MF_FLAGGED | MF_DELETED | \
			 MF_DRAFT | MF_RECENT)
#define STORE_FLAGS	(MF_SEEN | MF_ANSWERED | MF_FLAGGED | MF_DELETED | \
			 MF_DRAFT)

/* ---- from the server ---- */

static void
ev_flags(struct session *s, uint32_t uid, uint32_t flags)
{
	struct imap_event	*ev;

	/* The UI sees its own unconfirmed changes over the server's. */
	flags &= SERVER_FLAGS;
	(void)jr_overlay(s, uid, &flags);
	ev = imap_event_new(IE_FLAGS);
	ev->folder = xstrdup(s->sel.name);
	ev->generation = s->sel.generation;
	ev->uid = uid;
	ev->flags = flags;
	ev_send(s, ev);
}

void
flags_seen(struct session *s, uint32_t uid, uint32_t flags, uint64_t modseq,
    bool always)
{
	struct seqmap	*m = &s->sel.map;
	size_t		 i;

	flags &= SERVER_FLAGS;
	i = seqmap_find(m, uid);
	if (i != SEQMAP_NONE) {
		if (modseq != 0)
			m->modseq[i] = modseq;
		if (m->flags[i] == flags && !always)
			return;
		if (m->flags[i] != flags)
			cache_flags(s, uid, flags, modseq);
		m->flags[i] = (uint8_t)flags;
	} else if (uid < s->sel.bf_floor || uid >= s->sel.uidnext) {
		return;		/* the UI has no row for it yet */
	}
	ev_flags(s, uid, flags);
}

static void
row_add(struct session *s, const struct msg_item *it)
{
	struct fetchctx		*fx = &s->fx;
	struct msg_summary	*m;

	if (it->uid < fx->min_uid)
		return;
	if (fx->nrows == fx->caprows) {
		fx->caprows = fx->caprows == 0 ? 64 : fx->caprows * 2;
		fx->rows = xreallocarray(fx->rows, fx->caprows,
		    sizeof *fx->rows);
	}
	m = &fx->rows[fx->nrows++];
	if (fx->headers_only)
		summary_from_headers(it, s->fallback_charset, m);
	else
		summary_from_envelope(it, s->fallback_charset, m);
}

/* Note seq = uid in the map; a contradiction asks for a rebuild. */
static size_t
map_note(struct session *s, const struct msg_item *it)
{
	struct seqmap	*m = &s->sel.map;

	if (it->seq == 0 || it->seq > m->n)
		return seqmap_find(m, it->uid);
	if (seqmap_set(m, it->seq, it->uid) == -1) {
		s->sel.need_rebuild = true;
		return seqmap_find(m, it->uid);
	}
	return it->seq - 1;
}

static void
pend_add(struct fetchctx *fx, const struct msg_item *it)
{
	if (fx->npend == fx->cappend) {
		fx->cappend = fx->cappend == 0 ? 16 : fx->cappend * 2;
		fx->pend = xreallocarray(fx->pend, fx->cappend,
		    sizeof *fx->pend);
	}
	fx->pend[fx->npend].seq = it->seq;
	fx->pend[fx->npend].flags = it->flags;
	fx->pend[fx->npend].modseq = it->modseq;
	fx->npend++;
}

static void
unsolicited(struct session *s, const struct msg_item *it)
{
	size_t	 i;

	if (s->detour || s->sel.name == NULL || s->selecting)
		return;
	if (it->uid == 0) {
		if (it->has_flags)
			pend_add(&s->fx, it);
		return;
	}
	i = s->uid_only ? seqmap_find(&s->sel.map, it->uid) : map_note(s, it);
	if (it->has_flags)
		flags_seen(s, it->uid, it->flags, it->modseq, false);
	else if (i != SEQMAP_NONE && it->modseq != 0)
		s->sel.map.modseq[i] = it->modseq;
}

/* FM_REBUILD: the new map gets the message; the UI hears of flags that
 * differ from the old map. Responses come in ascending order, so a cursor
 * walks the old map instead of searching it. */
static void
rebuild_note(struct session *s, const struct msg_item *it)
{
	struct seqmap	*nm = s->fx.rebuild, *om = &s->sel.map;
	size_t		 i, k;

	if (it->seq == 0 || it->seq > nm->n)
		return;
	i = it->seq - 1;
	(void)seqmap_set(nm, it->seq, it->uid);
	nm->flags[i] = (uint8_t)(it->flags & SERVER_FLAGS);
	nm->modseq[i] = it->modseq;
	k = s->fx.cursor;
	while (k < om->n && (om->uid[k] == 0 || om->uid[k] < it->uid))
		k++;
	if (k >= om->n || om->uid[k] != it->uid) {
		k = seqmap_find(om, it->uid);
		if (k == SEQMAP_NONE)
			return;
	}
	s->fx.cursor = k;
	if (om->flags[k] != nm->flags[i])
		cache_flags(s, it->uid, nm->flags[i], it->modseq);
	if (om->flags[k] != nm->flags[i] && it->uid >= s->sel.bf_floor &&
	    it->uid < s->sel.uidnext)
		ev_flags(s, it->uid, nm->flags[i]);
}

static void
collect(struct fetchctx *fx, const struct msg_item *it)
{
	if (fx->ncollect == fx->capcollect) {
		fx->capcollect = fx->capcollect == 0 ? 16 : fx->capcollect * 2;
		fx->cuids = xreallocarray(fx->cuids, fx->capcollect,
		    sizeof *fx->cuids);
		fx->cflags = xreallocarray(fx->cflags, fx->capcollect,
		    sizeof *fx->cflags);
	}
	fx->cuids[fx->ncollect] = it->uid;
	fx->cflags[fx->ncollect] = it->flags & SERVER_FLAGS;
	fx->ncollect++;
}

void
sync_handler(struct mailimap_msg_att *att, void *ctx)
{
	struct session	*s = ctx;
	struct fetchctx	*fx = &s->fx;
	struct msg_item	 it;

	msg_item_parse(att, &it);
	switch (fx->mode) {
	case FM_SUMMARY:
		if (it.uid == 0 || !(it.env != NULL ||
		    (fx->headers_only && it.has_section)))
			break;
		if (!s->detour && s->sel.name != NULL) {
			size_t i = map_note(s, &it);

			if (i != SEQMAP_NONE) {
				s->sel.map.flags[i] = it.flags & SERVER_FLAGS;
				s->sel.map.modseq[i] = it.modseq;
			}
		}
		row_add(s, &it);
		return;
	case FM_BODY:
		/* BODY[] NIL: Dovecot's answer for a message expunged
		 * meanwhile ([EXPUNGEISSUED]); not an empty body. */
		if (!it.has_section || it.uid != fx->uid || it.section == NULL)
			break;
		buf_add(&fx->body, it.section, it.section_len);
		fx->got_body = true;
		return;
	case FM_REBUILD:
		if (it.uid == 0)
			break;
		rebuild_note(s, &it);
		return;
	case FM_COLLECT:
		if (it.uid == 0 || !it.has_flags)
			break;
		collect(fx, &it);
		return;
	case FM_NONE:
		break;
	}
	unsolicited(s, &it);
}

/* ---- the harvest ---- */

struct uidlist {
	uint32_t	*v;
	size_t		 n;
	size_t		 cap;
};

static void
uidlist_add(struct uidlist *l, uint32_t uid)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = uid;
}

/* Index i is gone: keep the backfill's sequence numbers right. */
static void
backfill_shift(struct sel *sel, size_t i)
{
	if (i < sel->bf_top)
		sel->bf_top--;
	if (sel->bf_lo > 0 && i + 1 < sel->bf_lo)
		sel->bf_lo--;
}

static void
harvest_expunged(struct session *s, clist *l, struct uidlist *gone)
{
	clistiter	*it;
	uint32_t	 seq, uid;

	for (it = clist_begin(l); it != NULL; it = clist_next(it)) {
		seq = *(uint32_t *)clist_content(it);
		if (seq == 0 || seq > s->sel.map.n) {
			s->sel.need_rebuild = true;
			continue;
		}
		backfill_shift(&s->sel, seq - 1);
		if ((uid = seqmap_expunge(&s->sel.map, seq)) != 0)
			uidlist_add(gone, uid);
		/* Every EXPUNGE lowers the count; libetpan's own EXISTS
		 * stays as it was, and a later FETCH 1:exists would ask
		 * for messages that are gone. */
		if (s->sel.exists > 0)
			s->sel.exists--;
	}
}

/* One pass over the map, from the top: each known UID for which gone_fn
 * is true leaves the map for the gone list. live: the server's count
 * still held them (an EXPUNGE now), so it drops too; not for what was
 * gone before the SELECT, which its EXISTS already left out. */
static void
map_drop_if(struct session *s, bool (*gone_fn)(uint32_t, const void *),
    const void *arg, bool live, struct uidlist *gone)
{
	struct seqmap	*m = &s->sel.map;
	size_t		 i;
	uint32_t	 uid;

	for (i = m->n; i-- > 0;) {
		if ((uid = m->uid[i]) == 0 || !gone_fn(uid, arg))
			continue;
		backfill_shift(&s->sel, i);
		seqmap_remove_at(m, i);
		uidlist_add(gone, uid);
		if (live && s->sel.exists > 0)
			s->sel.exists--;
	}
}

static bool
in_set(uint32_t uid, const void *arg)
{
	const struct mailimap_set	*set = arg;
	const struct mailimap_set_item	*r;
	clistiter			*it;

	for (it = clist_begin(set->set_list); it != NULL;
	    it = clist_next(it)) {
		r = clist_content(it);
		if (uid >= r->set_first &&
		    (r->set_last == 0 || uid <= r->set_last))
			return true;
	}
	return false;
}

/* VANISHED: the UIDs in the ranges. A VANISHED (EARLIER) names messages
 * gone before the SELECT. */
static void
harvest_vanished(struct session *s, const struct mailimap_set *set,
    bool earlier, struct uidlist *gone)
{
	map_drop_if(s, in_set, set, !earlier, gone);
}

/* The map's UIDs are gone from the store and the UI: say so. Takes the
 * list. */
static void
gone_report(struct session *s, struct uidlist *gone)
{
	struct imap_event	*ev;

	if (gone->n == 0)
		return;
	cache_gone(s, gone->v, gone->n);
	ev = imap_event_new(IE_EXPUNGED);
	ev->folder = xstrdup(s->sel.name);
	ev->generation = s->sel.generation;
	ev->uids = gone->v;
	ev->nuids = gone->n;
	ev_send(s, ev);
	gone->v = NULL;
	gone->n = gone->cap = 0;
}

static void
keep_modified(struct session *s, const struct mailimap_set *set)
{
	free(s->modified);
	s->modified = uidset_from_mailimap(set, UINT32_MAX, 100000,
	    &s->nmodified);
}

static void
harvest_extensions(struct session *s, clist *l, struct uidlist *gone)
{
	clistiter			*it;
	struct mailimap_extension_data	*e;
	const struct mailimap_qresync_vanished *v;
	const struct mailimap_condstore_resptextcode *rc;

	for (it = clist_begin(l); it != NULL; it = clist_next(it)) {
		e = clist_content(it);
		if (e == NULL || e->ext_data == NULL)
			continue;	/* taken by libetpan's own call */
		if (e->ext_extension == &mailimap_extension_qresync &&
		    e->ext_type == MAILIMAP_QRESYNC_TYPE_VANISHED) {
			v = e->ext_data;
			if (v->qr_known_uids != NULL)
				harvest_vanished(s, v->qr_known_uids,
				    v->qr_earlier != 0, gone);
		} else if (e->ext_extension == &mailimap_extension_condstore &&
		    e->ext_type == MAILIMAP_CONDSTORE_TYPE_RESP_TEXT_CODE) {
			rc = e->ext_data;
			if (rc->cs_type ==
			    MAILIMAP_CONDSTORE_RESPTEXTCODE_HIGHESTMODSEQ &&
			    !s->sel.need_reselect)
				s->sel.hms = rc->cs_data.cs_modseq_value;
			else if (rc->cs_type ==
			    MAILIMAP_CONDSTORE_RESPTEXTCODE_MODIFIED &&
			    rc->cs_data.cs_modified_set != NULL)
				keep_modified(s, rc->cs_data.cs_modified_set);
		}
	}
}

static void
harvest_exists(struct session *s)
{
	struct mailimap_selection_info	*si = s->c->imap->imap_selection_info;

	/* An OK [UIDVALIDITY] that differs: re-select, which reloads. */
	if (si != NULL && si->sel_uidvalidity != 0 &&
	    si->sel_uidvalidity != s->sel.uidvalidity)
		s->sel.need_reselect = true;
	if (si == NULL || !si->sel_has_exists)
		return;
	si->sel_has_exists = 0;
	s->sel.exists = si->sel_exists;
	if (s->sel.exists > s->sel.map.n) {
		seqmap_resize(&s->sel.map, s->sel.exists);
		s->sel.need_new = true;
	} else if (s->sel.exists < s->sel.map.n)
		s->sel.need_rebuild = true;
}

void
harvest(struct session *s)
{
	struct mailimap_response_info	*ri = s->c->imap->imap_response_info;
	struct fetchctx			*fx = &s->fx;
	struct uidlist			 gone = { NULL, 0, 0 };
	size_t				 i;
	uint32_t			 uid;

	if (s->selecting || s->detour || s->sel.name == NULL) {
		fx->npend = 0;
		return;
	}
	/* An EXPUNGE names a sequence number, which means nothing while the
	 * map may still hold what vanished before the SELECT (a resync by
	 * UID): start over from a rebuild. */
	if (ri != NULL && ri->rsp_expunged != NULL && s->uid_only &&
	    clist_count(ri->rsp_expunged) > 0)
		s->sel.need_rebuild = true;
	else if (ri != NULL && ri->rsp_expunged != NULL)
		harvest_expunged(s, ri->rsp_expunged, &gone);
	if (ri != NULL && ri->rsp_extension_list != NULL)
		harvest_extensions(s, ri->rsp_extension_list, &gone);
	/* FETCHes without UID: only safe when nothing moved under them. */
	if (fx->npend > 0 && (gone.n > 0 || s->uid_only))
		s->sel.need_rebuild = true;
	for (i = 0; i < fx->npend && gone.n == 0 && !s->uid_only; i++) {
		uid = seqmap_uid(&s->sel.map, fx->pend[i].seq);
		if (uid != 0)
			flags_seen(s, uid, fx->pend[i].flags,
			    fx->pend[i].modseq, false);
	}
	fx->npend = 0;
	harvest_exists(s);
	if (gone.n == 0)
		return;
	gone_report(s, &gone);
	folders_mark_dirty(s, s->sel.name);
}

/* ---- the rebuild ---- */

static enum sx
rebuild_fetch(struct session *s, struct seqmap *nm)
{
	struct mailimap_fetch_type	*t;
	struct mailimap_set		*set;
	clist				*res;
	uint32_t			 lo, hi;
	enum sx				 x = SX_OK;
	int				 r;

	t = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(t,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(t,
	    mailimap_fetch_att_new_flags());
	if (s->c->caps & CAP_CONDSTORE)
		mailimap_fetch_type_new_fetch_att_list_add(t,
		    mailimap_fetch_att_new_modseq());
	for (lo = 1; lo <= nm->n && x == SX_OK; lo = hi + 1) {
		hi = nm->n - lo + 1 > REBUILD_CHUNK ? lo + REBUILD_CHUNK - 1 :
		    (uint32_t)nm->n;
		set = mailimap_set_new_interval(lo, hi);
		res = NULL;
		s->fx.mode = FM_REBUILD;
		s->doing = "FETCH";
		s->fx.rebuild = nm;
		r = mailimap_fetch(s->c->imap, set, t, &res);
		s->fx.mode = FM_NONE;
		if (res != NULL)
			mailimap_fetch_list_free(res);
		mailimap_set_free(set);
		x = sx_after(s, r);
	}
	mailimap_fetch_type_free(t);
	return x;
}

/* UIDs the old map knew that the new one lacks: expunged meanwhile. */
static void
rebuild_gone(const struct seqmap *om, const struct seqmap *nm,
    struct uidlist *gone)
{
	size_t	 i, k = 0;

	for (i = 0; i < om->n; i++) {
		if (om->uid[i] == 0)
			continue;
		while (k < nm->n && nm->uid[k] < om->uid[i])
			k++;
		if (k >= nm->n || nm->uid[k] != om->uid[i])
			uidlist_add(gone, om->uid[i]);
	}
}

/* A folder painted from the cache: the UIDs of the new map in the range
 * the UI holds (bf_floor to uidnext) that the cache did not have. */
static void
rebuild_holes(struct sel *sel, const struct seqmap *om,
    const struct seqmap *nm)
{
	size_t	 i, k = 0;
	uint32_t uid;

	free(sel->holes);
	sel->holes = NULL;
	sel->nholes = 0;
	for (i = 0; i < nm->n; i++) {
		uid = nm->uid[i];
		if (uid == 0 || uid < sel->bf_floor || uid >= sel->uidnext)
			continue;
		while (k < om->n && (om->uid[k] == 0 || om->uid[k] < uid))
			k++;
		if (k < om->n && om->uid[k] == uid)
			continue;
		sel->holes = xreallocarray(sel->holes, sel->nholes + 1,
		    sizeof *sel->holes);
		sel->holes[sel->nholes++] = uid;
	}
	sel->warm = false;
}

enum sx
sync_rebuild(struct session *s)
{
	struct sel		*sel = &s->sel;
	struct seqmap		 nm;
	struct uidlist		 gone = { NULL, 0, 0 };
	uint32_t		 bound;
	enum sx			 x;

	seqmap_init(&nm);
	seqmap_resize(&nm, sel->exists);
	fx_reset(&s->fx);
	x = rebuild_fetch(s, &nm);
	fx_reset(&s->fx);
	if (x != SX_OK) {
		seqmap_free(&nm);
		if (x == SX_NO)
			sel->need_rebuild = false;
		return x == SX_BROKEN ? x : SX_OK;
	}
	rebuild_gone(&sel->map, &nm, &gone);
	if (sel->warm)
		rebuild_holes(sel, &sel->map, &nm);
	seqmap_free(&sel->map);
	sel->map = nm;
	if (sel->exists > sel->map.n)
		seqmap_resize(&sel->map, sel->exists);
	if (sel->map.n > 0 && (sel->map.uid[sel->map.n - 1] >= sel->uidnext ||
	    sel->map.uid[sel->map.n - 1] == 0))
		sel->need_new = true;
	bound = sel->bf_floor < sel->uidnext ? sel->bf_floor : sel->uidnext;
	sel->bf_top = (uint32_t)seqmap_count_below(&sel->map, bound);
	sel->need_rebuild = false;
	if (sel->hms_pending != 0)
		sel->hms = sel->hms_pending;
	sel->hms_pending = 0;
	gone_report(s, &gone);
	return SX_OK;
}

/* The map knows every UID: nothing is left for the backfill or EXISTS. */
static bool
map_whole(const struct sel *sel)
{
	size_t	 i;

	if (sel->bf_top != 0 || sel->need_new || sel->need_rebuild)
		return false;
	for (i = 0; i < sel->map.n; i++)
		if (sel->map.uid[i] == 0)
			return false;
	return true;
}

/* A resync by UID is over: what is left must add up with the server's
 * count, and the HIGHESTMODSEQ of the SELECT is now the folder's. */
static void
resync_settle(struct session *s)
{
	if (s->sel.exists > s->sel.map.n) {
		seqmap_resize(&s->sel.map, s->sel.exists);
		s->sel.need_new = true;
	} else if (s->sel.exists < s->sel.map.n)
		s->sel.need_rebuild = true;
	if (s->sel.hms_pending != 0)
		s->sel.hms = s->sel.hms_pending;
	s->sel.hms_pending = 0;
}

/* Right after a SELECT that gave the HIGHESTMODSEQ, UIDNEXT and count the
 * map was taken at: no flag changed (each change raises the MODSEQ),
 * nothing came (UIDNEXT) and so nothing went (EXISTS). Nothing to ask. */
static bool
sync_unchanged(struct session *s)
{
	const struct mailimap_selection_info *si =
	    s->c->imap->imap_selection_info;

	return s->sel.hms_pending != 0 && s->sel.hms_pending == s->sel.hms &&
	    si != NULL && si->sel_uidnext != 0 &&
	    si->sel_uidnext == s->sel.uidnext &&
	    s->sel.exists == s->sel.map.n;
}

/* QRESYNC: UID FETCH 1:* (FLAGS) (CHANGEDSINCE m VANISHED), one round
 * trip. The FETCHes are taken by UID alone: VANISHED (EARLIER), which
 * shifts the sequence numbers, is applied only after the response. */
static enum sx
sync_changedsince(struct session *s)
{
	struct mailimap_fetch_type	*t;
	struct mailimap_set		*set;
	struct mailimap_qresync_vanished *van = NULL;
	struct uidlist			 gone = { NULL, 0, 0 };
	clist				*res = NULL;
	enum sx				 x;
	int				 r;

	t = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(t,
	    mailimap_fetch_att_new_flags());
	set = mailimap_set_new_interval(1, 0);
	s->uid_only = true;
	s->doing = "FETCH";
	r = mailimap_uid_fetch_qresync(s->c->imap, set, t, s->sel.hms, &res,
	    &van);
	mailimap_set_free(set);
	mailimap_fetch_type_free(t);
	if (res != NULL)
		mailimap_fetch_list_free(res);
	x = sx_after(s, r);
	s->uid_only = false;
	if (x != SX_BROKEN && van != NULL && van->qr_known_uids != NULL)
		harvest_vanished(s, van->qr_known_uids,
		    van->qr_earlier != 0, &gone);
	if (van != NULL)
		mailimap_qresync_vanished_free(van);
	gone_report(s, &gone);
	if (x != SX_OK)
		return x;
	resync_settle(s);
	return SX_OK;
}

/* CONDSTORE's half of the above: UID FETCH 1:top (UID FLAGS)
 * (CHANGEDSINCE m), top the highest UID the map may hold; new mail comes
 * after, from UIDNEXT, with its summaries. The FETCHes are taken by UID
 * alone, as the map still holds what vanished. */
static enum sx
fetch_changedsince(struct session *s, uint32_t top)
{
	struct mailimap_fetch_type	*t;
	struct mailimap_set		*set;
	clist				*res = NULL;
	int				 r;

	t = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(t,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(t,
	    mailimap_fetch_att_new_flags());
	set = mailimap_set_new_interval(1, top);
	s->doing = "FETCH";
	r = mailimap_uid_fetch_changedsince(s->c->imap, set, t, s->sel.hms,
	    &res);
	mailimap_set_free(set);
	mailimap_fetch_type_free(t);
	if (res != NULL)
		mailimap_fetch_list_free(res);
	return sx_after(s, r);
}

struct found_uids {
	const uint32_t	*v;		/* sorted */
	size_t		 n;
	uint32_t	 top;
};

/* Known to the map, in the range searched, and not in the answer. */
static bool
not_found(uint32_t uid, const void *arg)
{
	const struct found_uids *found = arg;
	size_t			 lo = 0, hi = found->n, mid;

	if (uid > found->top)
		return false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (found->v[mid] == uid)
			return false;
		if (found->v[mid] < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return true;
}

/* Without VANISHED: UID SEARCH UID 1:top lists what is still there; the
 * map's UIDs in that range that it lacks are gone. */
static enum sx
search_gone(struct session *s, uint32_t top)
{
	struct mailimap_search_key	*key;
	struct uidlist			 gone = { NULL, 0, 0 }, all;
	struct found_uids		 found;
	clist				*res = NULL;
	clistiter			*it;
	enum sx				 x;
	int				 r;

	key = mailimap_search_key_new_uid(mailimap_set_new_interval(1, top));
	s->doing = "SEARCH";
	r = mailimap_uid_search(s->c->imap, NULL, key, &res);
	mailimap_search_key_free(key);
	if ((x = sx_after(s, r)) != SX_OK || s->sel.need_rebuild) {
		if (res != NULL)
			mailimap_search_result_free(res);
		return x;
	}
	memset(&all, 0, sizeof all);
	for (it = res != NULL ? clist_begin(res) : NULL; it != NULL;
	    it = clist_next(it))
		uidlist_add(&all, *(uint32_t *)clist_content(it));
	if (res != NULL)
		mailimap_search_result_free(res);
	found.v = all.v;
	found.n = uids_sort_unique(all.v, all.n);
	found.top = top;
	map_drop_if(s, not_found, &found, false, &gone);
	free(all.v);
	log_debug("resync: %zu of %zu known messages still there, %zu gone",
	    found.n, s->sel.map.n + gone.n, gone.n);
	gone_report(s, &gone);
	return SX_OK;
}

/* No expunge since the map was taken when the server's count, less the
 * most messages that can have come since (UIDs from the map's UIDNEXT to
 * the SELECT's), is the map's: an expunge would make it less, and new
 * UIDs left unused would too. Only right after the SELECT, whose UIDNEXT
 * is still current, and while the count stands as it gave it. */
static bool
none_vanished(struct session *s, uint32_t exists)
{
	const struct mailimap_selection_info *si =
	    s->c->imap->imap_selection_info;
	uint32_t	 most_new;

	if (s->sel.hms_pending == 0 || si == NULL || si->sel_uidnext == 0 ||
	    si->sel_uidnext < s->sel.uidnext || s->sel.need_new ||
	    s->sel.exists != exists)
		return false;
	most_new = si->sel_uidnext - s->sel.uidnext;
	return exists >= most_new && exists - most_new == s->sel.map.n;
}

/* CONDSTORE without QRESYNC (DESIGN.md 5): the flags changed since the
 * map's HIGHESTMODSEQ, then the expunges, which nothing reports: none
 * when the counts say so, else a UID SEARCH of the known range. */
static enum sx
sync_condstore(struct session *s)
{
	uint32_t	 top = s->sel.uidnext > 0 ? s->sel.uidnext - 1 : 0;
	uint32_t	 exists = s->sel.exists;
	enum sx		 x = SX_OK;

	if (top == 0) {
		resync_settle(s);
		return SX_OK;
	}
	s->uid_only = true;
	x = fetch_changedsince(s, top);
	if (x == SX_OK && !s->sel.need_rebuild && !none_vanished(s, exists))
		x = search_gone(s, top);
	s->uid_only = false;
	if (x == SX_BROKEN)
		return x;
	/* Refused, or an EXPUNGE came by sequence number meanwhile. */
	if (x == SX_NO || s->sel.need_rebuild)
		return sync_rebuild(s);
	resync_settle(s);
	return SX_OK;
}

/* The map is whole and its HIGHESTMODSEQ known: nothing when nothing
 * changed; else the changes since, in one round trip with QRESYNC, in
 * two at most with CONDSTORE alone. Else every message's flags. */
enum sx
sync_resync(struct session *s)
{
	if (s->sel.hms != 0 && map_whole(&s->sel)) {
		if (sync_unchanged(s)) {
			log_debug("resync: %s unchanged since HIGHESTMODSEQ "
			    "%llu", s->sel.name,
			    (unsigned long long)s->sel.hms);
			resync_settle(s);
			return SX_OK;
		}
		if (s->c->qresync_enabled)
			return sync_changedsince(s);
		if (s->c->caps & CAP_CONDSTORE)
			return sync_condstore(s);
	}
	return sync_rebuild(s);
}

enum sx
cmd_sync(struct session *s, struct imap_cmd *cmd)
{
	enum sx	 x = SX_OK;

	if (s->sel.name != NULL && (s->detour || s->sel.need_reselect))
		x = sel_reselect(s);
	else if (s->sel.name != NULL)
		x = sync_resync(s);
	if (x == SX_BROKEN)
		return x;
	s->doing = "NOOP";
	if (x == SX_OK && (x = sx_after(s, mailimap_noop(s->c->imap))) ==
	    SX_BROKEN)
		return x;
	ev_done(s, cmd, x == SX_OK, x == SX_OK ? NULL :
	    "The server did not synchronize: %s", s->no_text);
	return SX_OK;
}

/* ---- to the server ---- */

static void
flag_names(uint32_t flags, struct buf *out)
{
	uint32_t	 bit;

	for (bit = 1; bit <= MF_DRAFT; bit <<= 1) {
		if (!(flags & bit))
			continue;
		if (out->len > 0 && out->data[out->len - 1] != '(')
			buf_addch(out, ' ');
		buf_addstr(out, mail_flag_name(bit));
	}
}

/* The UNCHANGEDSINCE value for a batch: the newest MODSEQ known among
 * its messages, else the folder's. */
static uint64_t
batch_modseq(struct session *s, const uint32_t *uids, size_t n)
{
	uint64_t	 m = 0;
	size_t		 i, k;

	for (i = 0; i < n; i++) {
		k = seqmap_find(&s->sel.map, uids[i]);
		if (k != SEQMAP_NONE && s->sel.map.modseq[k] > m)
			m = s->sel.map.modseq[k];
	}
	return m != 0 ? m : s->sel.hms;
}

static enum sx
store_send(struct session *s, const uint32_t *uids, size_t n, char sign,
    uint32_t flags, uint64_t unchangedsince)
{
	struct buf	 line = BUF_INIT;
	enum sx		 x;

	buf_addstr(&line, "UID STORE ");
	uidset_format(uids, n, &line);
	if (unchangedsince != 0)
		buf_printf(&line, " (UNCHANGEDSINCE %llu)",
		    (unsigned long long)unchangedsince);
	buf_printf(&line, " %cFLAGS.SILENT (", sign);
	flag_names(flags, &line);
	buf_addch(&line, ')');
	free(s->modified);
	s->modified = NULL;
	s->nmodified = 0;
	s->doing = "STORE";
	x = sx_after(s, mailimap_custom_command(s->c->imap, buf_str(&line)));
	buf_free(&line);
	return x;
}

static void
map_apply(struct session *s, const uint32_t *uids, size_t n, char sign,
    uint32_t flags)
{
	size_t	 i, k;

	if (s->detour)
		return;
	for (i = 0; i < n; i++) {
		if ((k = seqmap_find(&s->sel.map, uids[i])) == SEQMAP_NONE)
			continue;
		if (sign == '+')
			s->sel.map.flags[k] |= flags;
		else
			s->sel.map.flags[k] &= ~flags;
		cache_flags(s, uids[i], s->sel.map.flags[k], 0);
	}
}

/* MODIFIED: someone else changed these since we last looked. Fetch their
 * flags, merge the user's delta over them, tell the UI, send it again. */
static enum sx
store_merge(struct session *s, char sign, uint32_t flags)
{
	struct mailimap_fetch_type	*t;
	struct mailimap_set		*set;
	uint32_t			*uids = s->modified;
	size_t				 n = s->nmodified, i;
	clist				*res = NULL;
	uint32_t			 f;
	enum sx				 x;
	int				 r;

	s->modified = NULL;
	s->nmodified = 0;
	t = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(t,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(t,
	    mailimap_fetch_att_new_flags());
	set = uidset_to_mailimap(uids, n);
	fx_reset(&s->fx);
	s->fx.mode = FM_COLLECT;
	s->doing = "FETCH";
	r = mailimap_uid_fetch(s->c->imap, set, t, &res);
	s->fx.mode = FM_NONE;
	if (res != NULL)
		mailimap_fetch_list_free(res);
	mailimap_set_free(set);
	mailimap_fetch_type_free(t);
	if ((x = sx_after(s, r)) == SX_OK)
		x = store_send(s, uids, n, sign, flags, 0);
	for (i = 0; x == SX_OK && i < s->fx.ncollect; i++) {
		f = sign == '+' ? s->fx.cflags[i] | flags :
		    s->fx.cflags[i] & ~flags;
		if (!s->detour)
			flags_seen(s, s->fx.cuids[i], f, 0, true);
	}
	fx_reset(&s->fx);
	free(uids);
	return x;
}

static enum sx
store_delta(struct session *s, const uint32_t *uids, size_t n, char sign,
    uint32_t flags)
{
	uint64_t	 since = 0;
	enum sx		 x;

	if ((s->c->caps & CAP_CONDSTORE) && !s->detour)
		since = batch_modseq(s, uids, n);
	if ((x = store_send(s, uids, n, sign, flags, since)) != SX_OK)
		return x;
	map_apply(s, uids, n, sign, flags);
	if (s->nmodified > 0)
		return store_merge(s, sign, flags);
	return SX_OK;
}

/* Copy, sort and batch cmd's UIDs; run fn on each batch. */
static enum sx
for_batches(struct session *s, const struct imap_cmd *cmd,
    enum sx (*fn)(struct session *, const uint32_t *, size_t, void *),
    void *arg)
{
	struct buf	 probe = BUF_INIT;
	uint32_t	*uids;
	size_t		 n, i, k;
	enum sx		 x = SX_OK;

	if (cmd->nuids == 0 || cmd->uids == NULL)
		return SX_OK;
	uids = xreallocarray(NULL, cmd->nuids, sizeof *uids);
	memcpy(uids, cmd->uids, cmd->nuids * sizeof *uids);
	n = uids_sort_unique(uids, cmd->nuids);
	for (i = 0; i < n && x == SX_OK; i += k) {
		buf_reset(&probe);
		k = uidset_format_some(uids + i, n - i, SET_TEXT_MAX, &probe);
		x = fn(s, uids + i, k, arg);
	}
	buf_free(&probe);
	free(uids);
	return x;
}

static enum sx
store_batch(struct session *s, const uint32_t *uids, size_t n, void *arg)
{
	const struct imap_cmd	*cmd = arg;
	enum sx			 x = SX_OK;

	if (cmd->add & STORE_FLAGS)
		x = store_delta(s, uids, n, '+', cmd->add & STORE_FLAGS);
	if (x == SX_OK && (cmd->remove & STORE_FLAGS))
		x = store_delta(s, uids, n, '-', cmd->remove & STORE_FLAGS);
	return x;
}

enum sx
cmd_store(struct session *s, struct imap_cmd *cmd)
{
	enum sx	 x;

	if (cmd->add & cmd->remove & STORE_FLAGS) {
		ev_done(s, cmd, false, "A flag cannot be set and cleared at "
		    "once.");
		return SX_OK;
	}
	if (cmd->nuids == 0 || !((cmd->add | cmd->remove) & STORE_FLAGS)) {
		ev_done(s, cmd, true, NULL);
		return SX_OK;
	}
	/* The server would answer OK and keep nothing: say so instead. */
	if (s->sel.readonly) {
		ev_done(s, cmd, false, "%s is read-only on the server; the "
		    "flags were not changed.", cmd->folder);
		return SX_OK;
	}
	if ((cmd->add | cmd->remove) & STORE_FLAGS & ~s->sel.permflags) {
		ev_done(s, cmd, false, "The server does not keep that flag in "
		    "%s; the change was not made.", cmd->folder);
		return SX_OK;
	}
	if ((x = for_batches(s, cmd, store_batch, cmd)) == SX_BROKEN)
		return x;
	if (x == SX_NO)
		ev_done(s, cmd, false, "The server did not change the flags: "
		    "%s", s->no_text);
	else
		ev_done(s, cmd, true, NULL);
	folders_mark_dirty(s, cmd->folder);
	return SX_OK;
}

static enum sx
expunge_batch(struct session *s, const uint32_t *uids, size_t n, void *arg)
{
	struct mailimap_set	*set = uidset_to_mailimap(uids, n);
	int			 r;

	(void)arg;
	s->doing = "EXPUNGE";
	r = mailimap_uid_expunge(s->c->imap, set);
	mailimap_set_free(set);
	return sx_after(s, r);
}

/* Every UID marked \Deleted on the server into all; *unnamed: how many
 * of them cmd does not name. */
static enum sx
deleted_search(struct session *s, const struct imap_cmd *cmd,
    struct uidlist *all, size_t *unnamed)
{
	struct mailimap_response_info	*ri;
	clistiter			*it;
	uint32_t			*named, uid;
	size_t				 n, lo, hi, mid;
	int				 r;

	named = xreallocarray(NULL, cmd->nuids, sizeof *named);
	memcpy(named, cmd->uids, cmd->nuids * sizeof *named);
	n = uids_sort_unique(named, cmd->nuids);
	*unnamed = 0;
	s->doing = "SEARCH";
	r = mailimap_custom_command(s->c->imap, "UID SEARCH DELETED");
	/* The result before the harvest: the next command replaces it. */
	ri = r == MAILIMAP_NO_ERROR && s->c->imap->imap_stream != NULL ?
	    s->c->imap->imap_response_info : NULL;
	for (it = ri != NULL && ri->rsp_search_result != NULL ?
	    clist_begin(ri->rsp_search_result) : NULL; it != NULL;
	    it = clist_next(it)) {
		uid = *(uint32_t *)clist_content(it);
		uidlist_add(all, uid);
		for (lo = 0, hi = n; lo < hi; ) {
			mid = lo + (hi - lo) / 2;
			if (named[mid] < uid)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == n || named[lo] != uid)
			(*unnamed)++;
	}
	free(named);
	return sx_after(s, r);
}

/*
 * Without UIDPLUS only a plain EXPUNGE can remove anything, and it takes
 * every message marked \Deleted, other clients' too (BAD-INPUTS 33). So
 * the first answer is a question: IE_DONE, not ok, with ask set and uids
 * every \Deleted message (UID SEARCH DELETED). The UI sends the command
 * again, naming those too, with plain set, and the EXPUNGE goes only if
 * the search still finds nothing it does not name; if more were marked
 * meanwhile, it asks again.
 */
static enum sx
expunge_plain(struct session *s, struct imap_cmd *cmd)
{
	struct uidlist		 all = { NULL, 0, 0 };
	struct imap_event	*ev;
	size_t			 unnamed;
	enum sx			 x;

	if ((x = deleted_search(s, cmd, &all, &unnamed)) == SX_NO)
		ev_done(s, cmd, false, "The server did not say which messages "
		    "are marked deleted, so nothing was removed: %s",
		    s->no_text);
	if (x != SX_OK)
		goto out;
	if (cmd->plain && unnamed == 0) {
		s->doing = "EXPUNGE";
		if ((x = sx_after(s, mailimap_expunge(s->c->imap))) == SX_NO)
			ev_done(s, cmd, false, "The server did not remove the "
			    "messages: %s", s->no_text);
		else if (x == SX_OK)
			ev_done(s, cmd, true, NULL);
		folders_mark_dirty(s, cmd->folder);
		goto out;
	}
	ev = imap_event_new(IE_DONE);
	ev->id = cmd->id;
	ev->generation = cmd->generation;
	ev->folder = xstrdup(cmd->folder);
	ev->ask = true;
	ev->nuids = all.n;
	ev->uids = all.v;
	all.v = NULL;
	ev->text = xasprintf("The server lacks UIDPLUS: only a plain EXPUNGE "
	    "can remove messages, and it would remove all %zu marked deleted; "
	    "nothing was removed.", ev->nuids);
	/* What the journal tells the commands a replay settles. */
	s->last_ok = false;
	free(s->last_why);
	s->last_why = xstrdup(ev->text);
	ev_send(s, ev);
out:
	free(all.v);
	return x;
}

enum sx
cmd_expunge(struct session *s, struct imap_cmd *cmd)
{
	enum sx	 x;

	if (cmd->nuids == 0) {
		ev_done(s, cmd, true, NULL);
		return SX_OK;
	}
	if (!(s->c->caps & CAP_UIDPLUS)) {
		x = expunge_plain(s, cmd);
		return x == SX_BROKEN ? x : SX_OK;
	}
	if ((x = for_batches(s, cmd, expunge_batch, NULL)) == SX_BROKEN)
		return x;
	if (x == SX_NO)
		ev_done(s, cmd, false, "The server did not remove the "
		    "messages: %s", s->no_text);
	else
		ev_done(s, cmd, true, NULL);
	folders_mark_dirty(s, cmd->folder);
	return SX_OK;
}

struct transfer {
	const char	*raw;		/* the target */
	bool		 move;
};

static enum sx
transfer_batch(struct session *s, const uint32_t *uids, size_t n, void *arg)
{
	const struct transfer	*tr = arg;
	struct mailimap_set	*set = uidset_to_mailimap(uids, n);
	enum sx			 x;
	int			 r;

	s->doing = tr->move ? "MOVE" : "COPY";
	if (tr->move && (s->c->caps & CAP_MOVE))
		r = mailimap_uid_move(s->c->imap, set, tr->raw);
	else
		r = mailimap_uid_copy(s->c->imap, set, tr->raw);
	x = sx_after(s, r);
	if (x == SX_OK && tr->move && !(s->c->caps & CAP_MOVE)) {
		x = store_send(s, uids, n, '+', MF_DELETED, 0);
		if (x == SX_OK) {
			r = mailimap_uid_expunge(s->c->imap, set);
			x = sx_after(s, r);
		}
	}
	mailimap_set_free(set);
	return x;
}

static enum sx
transfer(struct session *s, struct imap_cmd *cmd, bool move)
{
	struct transfer	 tr;
	const char	*why, *verb = move ? "move" : "copy";
	char		*raw;
	enum sx		 x;

	if ((raw = folder_raw(s, cmd->target, &why)) == NULL) {
		ev_done(s, cmd, false, "Cannot %s there: %s.", verb, why);
		return SX_OK;
	}
	if (move && !(s->c->caps & (CAP_MOVE | CAP_UIDPLUS))) {
		ev_done(s, cmd, false, "The server can neither move messages "
		    "nor remove only the chosen ones; nothing was moved.");
		free(raw);
		return SX_OK;
	}
	tr.raw = raw;
	tr.move = move;
	x = cmd->nuids == 0 ? SX_OK : for_batches(s, cmd, transfer_batch, &tr);
	free(raw);
	if (x == SX_BROKEN)
		return x;
	if (x == SX_NO)
		ev_done(s, cmd, false, "Could not %s the messages to %s: %s",
		    verb, cmd->target, s->no_text);
	else
		ev_done(s, cmd, true, NULL);
	folders_mark_dirty(s, cmd->target);
	if (move)
		folders_mark_dirty(s, cmd->folder);
	return SX_OK;
}

enum sx
cmd_move(struct session *s, struct imap_cmd *cmd)
{
	return transfer(s, cmd, true);
}

enum sx
cmd_copy(struct session *s, struct imap_cmd *cmd)
{
	return transfer(s, cmd, false);
}
