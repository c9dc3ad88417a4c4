/*
 * The account's store, seen from the session thread: the only thread
 * that opens it (DESIGN.md 6).
 *
 * Why here: the session is where the server's word arrives, so it is
 * where that word is written down; and a folder painted from the store
 * needs no round trip, so opening one never waits for the network.
 *
 * Painting (cache_paint): IE_SELECTED from the stored counts, then the
 * first screen of rows in the index's own order (a LIMIT query: SQLite
 * keeps only the top rows while it sorts), then the rest in big chunks.
 * The cached UIDs, with the server's flags and MODSEQs, become the
 * sequence map, so the reconcile after SELECT is the one a reconnect
 * does (sync.c): nothing at all when HIGHESTMODSEQ, UIDNEXT and EXISTS
 * match the cache; with QRESYNC, the changes and VANISHED since the
 * stored HIGHESTMODSEQ in one round trip; with CONDSTORE alone, the
 * changes by CHANGEDSINCE and, only when the counts leave room for an
 * expunge, a UID SEARCH of the cached range; otherwise a rebuild (a full
 * flag fetch). New mail comes from the stored UIDNEXT, and only the UIDs
 * the cache lacks are fetched (sel.holes). Rows go to the UI with the
 * journal's deltas applied (jr_overlay), so a change not yet confirmed
 * shows as the user made it, even after a crash.
 *
 * Writing through: summaries are written as each chunk arrives (one
 * transaction per chunk); flag changes and expunges are buffered and
 * written once per loop pass (cache_flush). The sync state (UIDNEXT,
 * HIGHESTMODSEQ) is stored only when every summary below UIDNEXT is in,
 * and after the flags it covers: a stored state is one the next start can
 * trust (cache_save_sync). A folder with no stored UIDNEXT is a partial
 * cache: painted, then rebuilt.
 *
 * A store that cannot be opened is no reason to stop: the session runs
 * without one (no cache, no journal), as before, and says so once.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "session_priv.h"

#define PAINT_FIRST	500	/* rows of the first screen's load */
#define PAINT_CHUNK	2000	/* rows per IE_SUMMARIES after it */

static void
cache_warn(struct session *s, const char *what, char *err)
{
	log_error("cache: %s: %s", what, err != NULL ? err : "?");
	free(err);
	(void)s;
}

void
cache_open(struct session *s)
{
	struct mail_folder	*v = NULL;
	char			*path, *notice = NULL, *err = NULL;
	size_t			 n = 0;

	if ((path = store_default_path(s->acct.name, &err)) == NULL) {
		ev_notice(s, "Working without a cache: %s", err);
		free(err);
		return;
	}
	s->store = store_open(path, &notice, &err);
	free(path);
	if (notice != NULL) {
		ev_notice(s, "%s", notice);
		free(notice);
	}
	if (s->store == NULL) {
		ev_notice(s, "Working without a cache: %s", err);
		free(err);
		return;
	}
	if (store_folder_list(s->store, &v, &n, &err) == -1)
		cache_warn(s, "folders", err);
	else if (n > 0) {
		s->fl.v = v;
		s->fl.n = n;
		s->fl.dirty = xcalloc(n + 1, sizeof *s->fl.dirty);
		folders_emit(s);
	} else
		free(v);
	err = NULL;
	if (store_pending_list(s->store, NULL, &s->jr, &s->njr, &err) == -1)
		cache_warn(s, "journal", err);
	s->capjr = s->njr;
	log_info("cache %s: %zu folders, %zu pending changes",
	    store_path(s->store), n, s->njr);
}

void
cache_close(struct session *s)
{
	cache_save_sync(s);
	cache_flush(s);
	store_close(&s->store);
	free(s->cb.flags);
	free(s->cb.gone);
	memset(&s->cb, 0, sizeof s->cb);
}

/* ---- folders ---- */

void
cache_folders_save(struct session *s)
{
	struct mail_folder	*old = NULL;
	size_t			 n = 0, i, dropped;
	char			*err = NULL;

	if (s->store == NULL)
		return;
	for (i = 0; i < s->fl.n; i++)
		if (store_folder_put(s->store, &s->fl.v[i], &err) == -1) {
			cache_warn(s, "save a folder", err);
			err = NULL;
		}
	if (store_folder_list(s->store, &old, &n, &err) == -1) {
		cache_warn(s, "folders", err);
		return;
	}
	/* A folder the server no longer lists is gone, and so are the
	 * changes waiting for it: say so rather than lose them quietly. */
	for (i = 0; i < n; i++) {
		dropped = 0;
		if (folders_find(s, old[i].name) == NULL &&
		    store_folder_delete(s->store, old[i].name, &dropped,
		    &err) == 1) {
			jr_forget(s, old[i].name, 0);
			if (dropped > 0)
				ev_notice(s, "%s is gone from the server; %zu "
				    "change%s waiting for it %s dropped.",
				    old[i].name, dropped, dropped == 1 ? "" :
				    "s", dropped == 1 ? "was" : "were");
		} else if (err != NULL) {
			cache_warn(s, "forget a folder", err);
			err = NULL;
		}
		mail_folder_clear(&old[i]);
	}
	free(old);
}

void
cache_folder_status(struct session *s, const struct mail_folder *f)
{
	char	*err = NULL;

	if (s->store != NULL && store_folder_put(s->store, f, &err) == -1)
		cache_warn(s, "save a folder's counts", err);
}

long
cache_folder_begin(struct session *s, const char *name, const char *raw,
    uint32_t uidvalidity)
{
	struct mail_folder	 f;
	size_t			 dropped = 0;
	char			*err = NULL;
	int			 r;

	if (s->store == NULL || uidvalidity == 0)
		return -1;
	memset(&f, 0, sizeof f);
	r = store_folder_get(s->store, name, &f, NULL, &err);
	if (r == 1 && f.uidvalidity == uidvalidity) {
		mail_folder_clear(&f);
		return 0;
	}
	if (r == 0) {
		f.name = xstrdup(name);
		f.raw = xstrdup(raw != NULL ? raw : name);
		if (store_folder_put(s->store, &f, &err) == -1) {
			cache_warn(s, "save a folder", err);
			mail_folder_clear(&f);
			return -1;
		}
	} else if (r == -1) {
		cache_warn(s, "read a folder", err);
		return -1;
	}
	err = NULL;
	/* BAD-INPUTS 16: the old UIDs name other messages now. */
	if (store_folder_reset(s->store, name, uidvalidity, &dropped,
	    &err) == -1) {
		cache_warn(s, "reset a folder", err);
		mail_folder_clear(&f);
		return -1;
	}
	jr_forget(s, name, uidvalidity);
	r = f.uidvalidity != 0;
	mail_folder_clear(&f);
	return r ? (long)dropped : -1;
}

/* ---- painting ---- */

struct paint {
	struct session		*s;
	struct msg_summary	*rows;		/* for the UI */
	size_t			 nrows;
	size_t			 caprows;
	struct seqmap		*map;		/* every cached UID */
	size_t			 seen;		/* rows read */
	uint32_t		 min_uid;
	uint32_t		 max_uid;
};

static int
paint_row(void *arg, const struct msg_summary *m)
{
	struct paint	*p = arg;
	struct seqmap	*map = p->map;
	uint32_t	 flags = m->flags;

	p->seen++;
	seqmap_resize(map, map->n + 1);
	map->uid[map->n - 1] = m->uid;
	map->flags[map->n - 1] = (uint8_t)(m->flags & 0xff & ~MF_ATTACHMENT);
	map->modseq[map->n - 1] = m->modseq;
	if (m->uid < p->min_uid)
		p->min_uid = m->uid;
	if (m->uid > p->max_uid)
		p->max_uid = m->uid;
	if (!jr_overlay(p->s, m->uid, &flags))
		return 0;	/* a pending expunge or move hides it */
	if (p->nrows == p->caprows) {
		p->caprows = p->caprows == 0 ? 256 : p->caprows * 2;
		p->rows = xreallocarray(p->rows, p->caprows, sizeof *p->rows);
	}
	msg_summary_copy(&p->rows[p->nrows], m);
	p->rows[p->nrows].flags = (flags & ~MF_ATTACHMENT) |
	    (m->flags & MF_ATTACHMENT);
	p->nrows++;
	return 0;
}

static void
paint_emit(struct paint *p)
{
	struct imap_event	*ev;

	if (p->nrows == 0)
		return;
	ev = imap_event_new(IE_SUMMARIES);
	ev->folder = xstrdup(p->s->sel.name);
	ev->generation = p->s->sel.generation;
	ev->rows = p->rows;
	ev->nrows = p->nrows;
	p->rows = NULL;
	p->nrows = p->caprows = 0;
	ev_send(p->s, ev);
}

static int
paint_chunk(void *arg, const struct msg_summary *m)
{
	struct paint	*p = arg;

	paint_row(arg, m);
	if (p->nrows >= PAINT_CHUNK)
		paint_emit(p);
	return 0;
}

static int
u64_cmp(const void *a, const void *b)
{
	const uint64_t	*x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* The rows came in the index's order: sort the map by UID, carrying the
 * flags and MODSEQs along through an order of indices. */
static void
paint_map(struct seqmap *m)
{
	uint64_t	*key, *mod;
	uint8_t		*fl;
	size_t		 i, k;

	if (m->n == 0)
		return;
	key = xreallocarray(NULL, m->n, sizeof *key);
	for (i = 0; i < m->n; i++)
		key[i] = (uint64_t)m->uid[i] << 32 | i;
	qsort(key, m->n, sizeof *key, u64_cmp);
	mod = xreallocarray(NULL, m->n, sizeof *mod);
	fl = xreallocarray(NULL, m->n, 1);
	for (i = 0; i < m->n; i++) {
		k = (size_t)(key[i] & 0xffffffffu);
		mod[i] = m->modseq[k];
		fl[i] = m->flags[k];
		m->uid[i] = (uint32_t)(key[i] >> 32);
	}
	memcpy(m->modseq, mod, m->n * sizeof *mod);
	memcpy(m->flags, fl, m->n);
	free(key);
	free(mod);
	free(fl);
}

static void
announce_cached(struct session *s, const struct mail_folder *f,
    uint32_t messages)
{
	struct imap_event	*ev;

	ev = imap_event_new(IE_SELECTED);
	ev->generation = s->sel.generation;
	ev->folder = xstrdup(s->sel.name);
	ev->folders = xcalloc(1, sizeof *ev->folders);
	ev->nfolders = 1;
	mail_folder_copy(ev->folders, f);
	ev->folders->has_status = true;
	ev->folders->messages = messages;
	ev_send(s, ev);
}

bool
cache_paint(struct session *s, const struct imap_cmd *cmd, const char *raw)
{
	struct mail_folder	 f;
	struct paint		 p;
	struct sel		*sel = &s->sel;
	char			*err = NULL;
	bool			 complete;

	if (s->store == NULL)
		return false;
	memset(&f, 0, sizeof f);
	if (store_folder_get(s->store, cmd->folder, &f, NULL, &err) != 1 ||
	    f.uidvalidity == 0) {
		free(err);
		mail_folder_clear(&f);
		return false;
	}
	sel_clear(sel);
	sel->name = xstrdup(cmd->folder);
	sel->raw = xstrdup(raw != NULL ? raw : f.raw);
	sel->generation = cmd->generation;
	sel->uidvalidity = f.uidvalidity;
	sel->warm = true;
	/* The stored counts, until the rows or the server say better. */
	announce_cached(s, &f, f.has_status ? f.messages : 0);

	memset(&p, 0, sizeof p);
	p.s = s;
	p.map = &sel->map;
	p.min_uid = UINT32_MAX;
	if (store_messages_load_part(s->store, sel->name, s->order,
	    s->order_flags | SL_SERVER, 0, PAINT_FIRST, paint_row, &p,
	    &err) == -1)
		cache_warn(s, "paint a folder", err);
	paint_emit(&p);
	err = NULL;
	if (p.seen == PAINT_FIRST && store_messages_load_part(s->store,
	    sel->name, s->order, s->order_flags | SL_SERVER, PAINT_FIRST, 0,
	    paint_chunk, &p, &err) == -1)
		cache_warn(s, "paint a folder", err);
	paint_emit(&p);
	free(p.rows);
	paint_map(&sel->map);
	sel->exists = (uint32_t)sel->map.n;

	/* A stored UIDNEXT says every message below it is here. */
	complete = f.uidnext != 0;
	sel->uidnext = complete ? f.uidnext : p.max_uid + 1;
	sel->hms = complete ? f.highestmodseq : 0;
	sel->bf_floor = complete ? 1 : p.min_uid;
	sel->saved_uidnext = f.uidnext;
	sel->saved_hms = f.highestmodseq;
	if (!f.has_status || f.messages != sel->exists)
		announce_cached(s, &f, sel->exists);
	log_debug("painted %s from the cache: %zu rows%s", sel->name,
	    sel->map.n, complete ? "" : " (partial)");
	mail_folder_clear(&f);
	return true;
}

/* ---- writing through ---- */

void
cache_rows(struct session *s, const struct msg_summary *rows, size_t n)
{
	char	*err = NULL;

	if (s->store == NULL || s->sel.name == NULL || n == 0)
		return;
	if (store_messages_put(s->store, s->sel.name, rows, n, &err) == -1)
		cache_warn(s, "save summaries", err);
}

void
cache_flags(struct session *s, uint32_t uid, uint32_t flags, uint64_t modseq)
{
	struct cachebuf	*b = &s->cb;

	if (s->store == NULL || s->sel.name == NULL || s->detour)
		return;
	if (b->nflags == b->capflags) {
		b->capflags = b->capflags == 0 ? 64 : b->capflags * 2;
		b->flags = xreallocarray(b->flags, b->capflags,
		    sizeof *b->flags);
	}
	b->flags[b->nflags].uid = uid;
	b->flags[b->nflags].flags = flags;
	b->flags[b->nflags].modseq = modseq;
	b->nflags++;
}

void
cache_gone(struct session *s, const uint32_t *uids, size_t n)
{
	struct cachebuf	*b = &s->cb;

	if (s->store == NULL || s->sel.name == NULL || n == 0)
		return;
	if (b->ngone + n > b->capgone) {
		b->capgone = b->ngone + n + 64;
		b->gone = xreallocarray(b->gone, b->capgone, sizeof *b->gone);
	}
	memcpy(b->gone + b->ngone, uids, n * sizeof *uids);
	b->ngone += n;
}

void
cache_flush(struct session *s)
{
	struct cachebuf	*b = &s->cb;
	char		*err = NULL;

	if (s->store == NULL || s->sel.name == NULL) {
		b->nflags = b->ngone = 0;
		return;
	}
	if (b->nflags > 0 && store_messages_set_flags(s->store, s->sel.name,
	    b->flags, b->nflags, &err) == -1)
		cache_warn(s, "save flags", err);
	err = NULL;
	if (b->ngone > 0 && store_messages_delete(s->store, s->sel.name,
	    b->gone, b->ngone, &err) == -1)
		cache_warn(s, "forget expunged messages", err);
	b->nflags = b->ngone = 0;
}

void
cache_save_sync(struct session *s)
{
	struct sel	*sel = &s->sel;
	char		*err = NULL;
	size_t		 i;

	if (s->store == NULL || sel->name == NULL || s->detour ||
	    sel->bf_top != 0 || sel->nholes != 0 || sel->need_new ||
	    sel->need_rebuild || sel->need_reselect || sel->bad_count != 0 ||
	    sel->uidvalidity == 0 || sel->uidnext == 0 ||
	    (sel->uidnext == sel->saved_uidnext && sel->hms == sel->saved_hms))
		return;
	for (i = 0; i < sel->map.n; i++)
		if (sel->map.uid[i] == 0)
			return;
	cache_flush(s);
	if (store_folder_set_sync(s->store, sel->name, sel->uidvalidity,
	    sel->uidnext, sel->hms, &err) == -1) {
		cache_warn(s, "save the sync state", err);
		return;
	}
	sel->saved_uidnext = sel->uidnext;
	sel->saved_hms = sel->hms;
	log_debug("cache: %s synced to UIDNEXT %u HIGHESTMODSEQ %llu",
	    sel->name, sel->uidnext, (unsigned long long)sel->hms);
}

/* ---- bodies ---- */

static bool
whole_message(const struct imap_cmd *cmd)
{
	return cmd->nuids == 1 && cmd->uids[0] != 0 &&
	    (cmd->section == NULL || *cmd->section == '\0');
}

/* The UIDVALIDITY the command's UIDs belong to: its own, the selected
 * folder's, or the stored one; 0 when none is known. */
uint32_t
cmd_validity(struct session *s, const struct imap_cmd *cmd)
{
	struct mail_folder	 f;
	uint32_t		 v = 0;

	if (cmd->uidvalidity != 0)
		return cmd->uidvalidity;
	if (s->sel.name != NULL && strcmp(s->sel.name, cmd->folder) == 0)
		return s->sel.uidvalidity;
	memset(&f, 0, sizeof f);
	if (store_folder_get(s->store, cmd->folder, &f, NULL, NULL) == 1)
		v = f.uidvalidity;
	mail_folder_clear(&f);
	return v;
}

bool
cache_body_read(struct session *s, const struct imap_cmd *cmd, char **data,
    size_t *len)
{
	uint32_t	 v;
	char		*err = NULL;

	*data = NULL;
	*len = 0;
	if (s->store == NULL || cmd->folder == NULL || !whole_message(cmd) ||
	    (v = cmd_validity(s, cmd)) == 0)
		return false;
	if (store_body_get(s->store, cmd->folder, v, cmd->uids[0], data, len,
	    &err) != 1) {
		if (err != NULL)
			cache_warn(s, "read a cached body", err);
		return false;
	}
	return true;
}

bool
cache_body_get(struct session *s, const struct imap_cmd *cmd)
{
	struct imap_event	*ev;
	uint64_t		 max = cmd->max_bytes;
	char			*data;
	size_t			 len;

	if (!cache_body_read(s, cmd, &data, &len))
		return false;
	ev = imap_event_new(IE_BODY);
	ev->id = cmd->id;
	ev->generation = cmd->generation;
	ev->folder = xstrdup(cmd->folder);
	ev->uid = cmd->uids[0];
	if (max != 0 && len > max) {
		len = (size_t)max;
		data[len] = '\0';
		ev->text = xasprintf("The message is longer than %llu bytes; "
		    "this is its beginning.", (unsigned long long)max);
	}
	ev->data = data;
	ev->len = len;
	ev_send(s, ev);
	ev_done(s, cmd, true, NULL);
	log_debug("body of %s %u from the cache", cmd->folder, cmd->uids[0]);
	return true;
}

void
cache_body_put(struct session *s, const struct imap_cmd *cmd,
    const char *data, size_t len)
{
	uint32_t	 v;
	char		*err = NULL;

	/* body_cache_size = 0 keeps no bodies at all. */
	if (s->store == NULL || s->body_budget == 0 || !whole_message(cmd) ||
	    (v = cmd_validity(s, cmd)) == 0)
		return;
	if (store_body_put(s->store, cmd->folder, v, cmd->uids[0], data, len,
	    s->body_budget, &err) == -1)
		cache_warn(s, "cache a body", err);
}
