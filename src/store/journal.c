/*
 * The journal (table pending): the user's changes the server has not yet
 * confirmed, after isync's: written before every state change, so a kill
 * at any step loses nothing.
 *
 * The life of an entry: store_pending_add commits it with an fsync before
 * the engine sends the command; store_pending_mark_sent commits, again
 * durably, that the command is about to go, so a replay knows a COPY may
 * already be done; store_pending_done deletes it after the server's OK.
 * The delete is not fsynced: losing it to a power cut means one replay of a
 * change the server already has, which per-flag deltas, UID EXPUNGE of
 * gone UIDs and UID MOVE of gone UIDs make harmless (and a sent COPY is
 * for the engine to check). A kill of the process loses no commit at all:
 * in WAL mode a commit is in the kernel before the call returns.
 *
 * Each entry names its folder's UIDVALIDITY; the entry is refused if that
 * is not the folder's, and store_folder_reset drops the entries of an old
 * one, so a change is never applied to a UID that now means another
 * message (BAD-INPUTS 16).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_priv.h"

#define PENDING_FLAG_BITS (MF_SEEN | MF_ANSWERED | MF_FLAGGED | MF_DELETED | \
	MF_DRAFT)

uint32_t
store_flags_apply(uint32_t flags, uint32_t add, uint32_t remove)
{
	return (flags & ~remove) | add;
}

static int
pending_check(const struct pending *p, char **err)
{
	if (p->folder == NULL || p->uid == 0 || p->uidvalidity == 0) {
		store_seterr(err, "A change needs a folder, a UID and its "
		    "UIDVALIDITY.");
		return -1;
	}
	if ((unsigned)p->kind > PENDING_COPY) {
		store_seterr(err, "A change has an unknown kind (%d).",
		    (int)p->kind);
		return -1;
	}
	if (p->kind == PENDING_FLAGS && ((p->add & p->remove) != 0 ||
	    ((p->add | p->remove) & ~(uint32_t)PENDING_FLAG_BITS) != 0)) {
		store_seterr(err, "A flag change must add and remove "
		    "different flags, and only flags the server stores.");
		return -1;
	}
	if ((p->kind == PENDING_MOVE || p->kind == PENDING_COPY) &&
	    (p->target == NULL || *p->target == '\0')) {
		store_seterr(err, "A move or copy needs a target folder.");
		return -1;
	}
	return 0;
}

static int
pending_insert(struct store *s, sqlite3_stmt *st, struct pending *p,
    int64_t folder, char **err)
{
	sqlite3_bind_int64(st, 1, p->kind);
	sqlite3_bind_int64(st, 2, folder);
	sqlite3_bind_int64(st, 3, p->uidvalidity);
	sqlite3_bind_int64(st, 4, p->uid);
	sqlite3_bind_int64(st, 5, p->kind == PENDING_FLAGS ? p->add : 0);
	sqlite3_bind_int64(st, 6, p->kind == PENDING_FLAGS ? p->remove : 0);
	sqlite3_bind_text(st, 7, p->kind == PENDING_MOVE ||
	    p->kind == PENDING_COPY ? p->target : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, p->created);
	if (store_exec(s, st, "write a change to the journal", err) == -1)
		return -1;
	p->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* Insert the entries; the caller holds the transaction. */
static int
pending_add_tx(struct store *s, struct pending *p, size_t n, char **err)
{
	sqlite3_stmt	*st;
	const char	*last = NULL;
	int64_t		 folder = 0;
	uint32_t	 uidvalidity = 0;
	size_t		 i;

	st = store_stmt(s, ST_PENDING_ADD, "INSERT INTO pending (kind, folder,"
	    " uidvalidity, uid, add_flags, remove_flags, target, created)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", err);
	if (st == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (last == NULL || strcmp(last, p[i].folder) != 0) {
			if (store_folder_need(s, p[i].folder, &folder,
			    &uidvalidity, err) == -1)
				return -1;
			last = p[i].folder;
		}
		if (p[i].uidvalidity != uidvalidity) {
			store_seterr(err, "The change to \"%s\" is for "
			    "UIDVALIDITY %u, but the folder now has %u.",
			    p[i].folder, p[i].uidvalidity, uidvalidity);
			return -1;
		}
		if (pending_insert(s, st, &p[i], folder, err) == -1)
			return -1;
	}
	return 0;
}

int
store_pending_add(struct store *s, struct pending *p, size_t n, char **err)
{
	int64_t		 now;
	size_t		 i;

	now = (int64_t)time(NULL);
	for (i = 0; i < n; i++) {
		if (pending_check(&p[i], err) == -1)
			return -1;
		p[i].id = 0;
		p[i].state = PENDING_NEW;
		p[i].created = now;
	}
	if (store_begin(s, true, err) == -1)
		return -1;
	if (pending_add_tx(s, p, n, err) == -1) {
		store_rollback(s, true);
		for (i = 0; i < n; i++)
			p[i].id = 0;
		return -1;
	}
	return store_commit(s, true, err);
}

/* Run the slot's statement on each id in one transaction. */
static int
pending_each(struct store *s, enum store_stmt slot, const char *sql,
    const int64_t *ids, size_t n, bool durable, char **err)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if ((st = store_stmt(s, slot, sql, err)) == NULL ||
	    store_begin(s, durable, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		if (store_exec(s, st, "update the journal", err) == -1) {
			store_rollback(s, durable);
			return -1;
		}
	}
	return store_commit(s, durable, err);
}

int
store_pending_mark_sent(struct store *s, const int64_t *ids, size_t n,
    char **err)
{
	return pending_each(s, ST_PENDING_SENT,
	    "UPDATE pending SET state = 1 WHERE id = ?1", ids, n, true, err);
}

int
store_pending_done(struct store *s, const int64_t *ids, size_t n,
    char **err)
{
	return pending_each(s, ST_PENDING_DONE,
	    "DELETE FROM pending WHERE id = ?1", ids, n, false, err);
}

static void
pending_row(sqlite3_stmt *st, struct pending *p)
{
	const char	*target;

	p->id = sqlite3_column_int64(st, 0);
	p->kind = (enum pending_kind)sqlite3_column_int(st, 1);
	p->state = sqlite3_column_int(st, 2) ? PENDING_SENT : PENDING_NEW;
	p->folder = xstrdup(store_col_text(st, 3));
	p->uidvalidity = (uint32_t)sqlite3_column_int64(st, 4);
	p->uid = (uint32_t)sqlite3_column_int64(st, 5);
	p->add = (uint32_t)sqlite3_column_int64(st, 6);
	p->remove = (uint32_t)sqlite3_column_int64(st, 7);
	target = store_col_text(st, 8);
	p->target = target != NULL ? xstrdup(target) : NULL;
	p->created = sqlite3_column_int64(st, 9);
}

#define PENDING_SELECT "SELECT p.id, p.kind, p.state, f.name, p.uidvalidity," \
	" p.uid, p.add_flags, p.remove_flags, p.target, p.created" \
	" FROM pending p JOIN folders f ON f.id = p.folder"

static sqlite3_stmt *
pending_list_stmt(struct store *s, const char *folder, char **err)
{
	sqlite3_stmt	*st;
	int64_t		 id;

	if (folder == NULL)
		return store_stmt(s, ST_PENDING_LIST_ALL, PENDING_SELECT
		    " ORDER BY p.id", err);
	if (store_folder_need(s, folder, &id, NULL, err) == -1)
		return NULL;
	st = store_stmt(s, ST_PENDING_LIST, PENDING_SELECT
	    " WHERE p.folder = ?1 ORDER BY p.id", err);
	if (st != NULL)
		sqlite3_bind_int64(st, 1, id);
	return st;
}

int
store_pending_list(struct store *s, const char *folder, struct pending **out,
    size_t *n, char **err)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((st = pending_list_stmt(s, folder, err)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		pending_row(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	store_pending_free(*out, *n);
	*out = NULL;
	*n = 0;
	return store_fail(s, err, "read the journal");
}

void
store_pending_free(struct pending *p, size_t n)
{
	size_t	 i;

	if (p == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(p[i].folder);
		free(p[i].target);
	}
	free(p);
}

int
store_pending_view(struct store *s, int64_t folder, uint32_t uidvalidity,
    struct pending_view *v, char **err)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0;
	int		 rc;

	v->d = NULL;
	v->n = 0;
	st = store_stmt(s, ST_PENDING_FOLDER, "SELECT uid, kind, add_flags,"
	    " remove_flags FROM pending WHERE folder = ?1 AND uidvalidity = ?2"
	    " ORDER BY uid, id", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, folder);
	sqlite3_bind_int64(st, 2, uidvalidity);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (v->n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			v->d = xreallocarray(v->d, cap, sizeof *v->d);
		}
		v->d[v->n].uid = (uint32_t)sqlite3_column_int64(st, 0);
		v->d[v->n].kind = (uint8_t)sqlite3_column_int(st, 1);
		v->d[v->n].add = (uint32_t)sqlite3_column_int64(st, 2);
		v->d[v->n++].remove = (uint32_t)sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	free(v->d);
	v->d = NULL;
	v->n = 0;
	return store_fail(s, err, "read the journal");
}

bool
store_pending_view_apply(const struct pending_view *v, uint32_t uid,
    uint32_t *flags)
{
	size_t	 lo = 0, hi = v->n, mid;
	bool	 shown = true;

	while (lo < hi) {		/* the first entry with this uid */
		mid = lo + (hi - lo) / 2;
		if (v->d[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < v->n && v->d[lo].uid == uid; lo++) {
		if (v->d[lo].kind == PENDING_FLAGS)
			*flags = store_flags_apply(*flags, v->d[lo].add,
			    v->d[lo].remove);
		else if (v->d[lo].kind == PENDING_EXPUNGE ||
		    v->d[lo].kind == PENDING_MOVE)
			shown = false;
	}
	return shown;
}

int
store_flags_local(struct store *s, const char *folder, uint32_t uid,
    uint32_t *flags, char **err)
{
	struct pending_view	 view;
	sqlite3_stmt		*st;
	int64_t			 id;
	uint32_t		 uidvalidity;
	int			 rc;

	if (store_folder_need(s, folder, &id, &uidvalidity, err) == -1)
		return -1;
	st = store_stmt(s, ST_MSG_FLAGS_GET, "SELECT flags FROM messages"
	    " WHERE folder = ?1 AND uid = ?2", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, uid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*flags = (uint32_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 :
		    store_fail(s, err, "read a message's flags");
	/* Small: one folder's journal. A per-uid query would be one more
	 * statement for the same answer. */
	if (store_pending_view(s, id, uidvalidity, &view, err) == -1)
		return -1;
	(void)store_pending_view_apply(&view, uid, flags);
	free(view.d);
	return 1;
}
