/*
 * The messages table: one summary per folder and UID, with the flags the
 * server last reported.
 *
 * Writes come from the engine in chunks (a FETCH of 500-2000 summaries, a
 * run of flag changes, a VANISHED range) and each chunk is one transaction:
 * SQLite's cost is per commit, not per row. Loads stream rows to a callback
 * straight from SQLite's memory, so the caller copies only what it keeps.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_priv.h"

static void
bind_text(sqlite3_stmt *st, int col, const char *s)
{
	sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
}

static int
msg_put_one(struct store *s, sqlite3_stmt *st, int64_t folder,
    const struct msg_summary *m, char **err)
{
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, folder);
	sqlite3_bind_int64(st, 2, m->uid);
	sqlite3_bind_int64(st, 3, (int64_t)m->modseq);
	sqlite3_bind_int64(st, 4, m->flags);
	sqlite3_bind_int64(st, 5, m->internal_date);
	sqlite3_bind_int64(st, 6, m->date);
	sqlite3_bind_int64(st, 7, m->size);
	bind_text(st, 8, m->from);
	bind_text(st, 9, m->to);
	bind_text(st, 10, m->cc);
	bind_text(st, 11, m->subject);
	bind_text(st, 12, m->message_id);
	bind_text(st, 13, m->references);
	return store_exec(s, st, "save a message summary", err);
}

int
store_messages_put(struct store *s, const char *folder,
    const struct msg_summary *rows, size_t n, char **err)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (rows[i].uid == 0) {
			store_seterr(err, "A summary for \"%s\" has UID 0.",
			    folder);
			return -1;
		}
	}
	if (store_folder_need(s, folder, &id, NULL, err) == -1)
		return -1;
	st = store_stmt(s, ST_MSG_PUT, "INSERT OR REPLACE INTO messages"
	    " (folder, uid, modseq, flags, internal_date, date, size, from_,"
	    " to_, cc, subject, message_id, refs) VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", err);
	if (st == NULL || store_begin(s, false, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (msg_put_one(s, st, id, &rows[i], err) == -1) {
			store_rollback(s, false);
			return -1;
		}
	}
	return store_commit(s, false, err);
}

int
store_messages_set_flags(struct store *s, const char *folder,
    const struct store_flag_update *u, size_t n, char **err)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	size_t		 i;

	if (store_folder_need(s, folder, &id, NULL, err) == -1)
		return -1;
	/* MF_ATTACHMENT is the summary's, not the server's: keep it. */
	st = store_stmt(s, ST_MSG_FLAGS, "UPDATE messages SET"
	    " flags = (?3 & ~?5) | (flags & ?5),"
	    " modseq = CASE WHEN ?4 = 0 THEN modseq ELSE ?4 END"
	    " WHERE folder = ?1 AND uid = ?2", err);
	if (st == NULL || store_begin(s, false, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, u[i].uid);
		sqlite3_bind_int64(st, 3, u[i].flags);
		sqlite3_bind_int64(st, 4, (int64_t)u[i].modseq);
		sqlite3_bind_int64(st, 5, MF_ATTACHMENT);
		if (store_exec(s, st, "save flags", err) == -1) {
			store_rollback(s, false);
			return -1;
		}
	}
	return store_commit(s, false, err);
}

static int
msg_delete_one(struct store *s, sqlite3_stmt *msg, sqlite3_stmt *body,
    int64_t id, uint32_t uid, char **err)
{
	sqlite3_bind_int64(msg, 1, id);
	sqlite3_bind_int64(msg, 2, uid);
	sqlite3_bind_int64(body, 1, id);
	sqlite3_bind_int64(body, 2, uid);
	if (store_exec(s, msg, "forget a message", err) == -1 ||
	    store_exec(s, body, "forget a message's body", err) == -1)
		return -1;
	return 0;
}

int
store_messages_delete(struct store *s, const char *folder,
    const uint32_t *uids, size_t n, char **err)
{
	sqlite3_stmt	*msg, *body;
	int64_t		 id;
	size_t		 i;

	if (store_folder_need(s, folder, &id, NULL, err) == -1)
		return -1;
	msg = store_stmt(s, ST_MSG_DELETE,
	    "DELETE FROM messages WHERE folder = ?1 AND uid = ?2", err);
	body = store_stmt(s, ST_MSG_BODY_DELETE,
	    "DELETE FROM bodies WHERE folder = ?1 AND uid = ?2", err);
	if (msg == NULL || body == NULL || store_begin(s, false, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (msg_delete_one(s, msg, body, id, uids[i], err) == -1) {
			store_rollback(s, false);
			return -1;
		}
	}
	return store_commit(s, false, err);
}

static char *
col_str(sqlite3_stmt *st, int col)
{
	return (char *)sqlite3_column_text(st, col);
}

static void
msg_row(sqlite3_stmt *st, struct msg_summary *m)
{
	m->uid = (uint32_t)sqlite3_column_int64(st, 0);
	m->modseq = (uint64_t)sqlite3_column_int64(st, 1);
	m->flags = (uint32_t)sqlite3_column_int64(st, 2);
	m->internal_date = sqlite3_column_int64(st, 3);
	m->date = sqlite3_column_int64(st, 4);
	m->size = (uint32_t)sqlite3_column_int64(st, 5);
	m->from = col_str(st, 6);
	m->to = col_str(st, 7);
	m->cc = col_str(st, 8);
	m->subject = col_str(st, 9);
	m->message_id = col_str(st, 10);
	m->references = col_str(st, 11);
}

static char *
msg_load_sql(enum store_order order, unsigned flags, size_t offset,
    size_t limit)
{
	static const char *const keys[] = {
		[SO_UID] = NULL,
		[SO_DATE] = "date",
		[SO_ARRIVAL] = "internal_date",
		[SO_SIZE] = "size",
		[SO_FROM] = "from_ COLLATE NOCASE",
		[SO_SUBJECT] = "subject COLLATE NOCASE",
	};
	const char	*dir = (flags & SL_REVERSE) ? "DESC" : "ASC";
	struct buf	 sql = BUF_INIT;

	buf_addstr(&sql, "SELECT uid, modseq, flags, internal_date, date,"
	    " size, from_, to_, cc, subject, message_id, refs FROM messages"
	    " WHERE folder = ?1 ORDER BY ");
	/* A part walks the date index; the whole folder sorts faster
	 * without it ("+" keeps SQLite off the index). */
	if ((size_t)order < nitems(keys) && keys[order] != NULL)
		buf_printf(&sql, "%s%s %s, ", limit == 0 && order == SO_DATE ?
		    "+" : "", keys[order], dir);
	buf_printf(&sql, "uid %s", dir);
	/* A LIMIT lets SQLite keep only the top rows while it sorts. */
	if (limit > 0 || offset > 0)
		buf_printf(&sql, " LIMIT %lld OFFSET %llu",
		    limit > 0 ? (long long)limit : -1LL,
		    (unsigned long long)offset);
	return buf_detach(&sql);
}

/* Step through the rows; returns 0, the callback's stop value, or -1. */
static int
msg_load_rows(struct store *s, sqlite3_stmt *st, const struct pending_view *v,
    store_row_cb cb, void *arg, char **err)
{
	struct msg_summary	 m;
	int			 rc, stop = 0;

	while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		msg_row(st, &m);
		if (v != NULL && !store_pending_view_apply(v, m.uid, &m.flags))
			continue;
		stop = cb(arg, &m);
	}
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(s, err, "load the message summaries");
	return stop;
}

int
store_messages_load(struct store *s, const char *folder,
    enum store_order order, unsigned flags, store_row_cb cb, void *arg,
    char **err)
{
	return store_messages_load_part(s, folder, order, flags, 0, 0, cb,
	    arg, err);
}

int
store_messages_load_part(struct store *s, const char *folder,
    enum store_order order, unsigned flags, size_t offset, size_t limit,
    store_row_cb cb, void *arg, char **err)
{
	struct pending_view	 view = { NULL, 0 };
	sqlite3_stmt		*st;
	int64_t			 id;
	uint32_t		 uidvalidity;
	char			*sql;
	int			 rc;

	if (store_folder_need(s, folder, &id, &uidvalidity, err) == -1)
		return -1;
	if (!(flags & SL_SERVER) &&
	    store_pending_view(s, id, uidvalidity, &view, err) == -1)
		return -1;
	sql = msg_load_sql(order, flags, offset, limit);
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		free(view.d);
		return store_fail(s, err, "prepare the summaries' load");
	}
	sqlite3_bind_int64(st, 1, id);
	rc = msg_load_rows(s, st, (flags & SL_SERVER) ? NULL : &view, cb, arg,
	    err);
	sqlite3_finalize(st);
	free(view.d);
	return rc;
}

int
store_messages_uids(struct store *s, const char *folder, uint32_t **uids,
    size_t *n, char **err)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	size_t		 cap = 0;
	int		 rc;

	*uids = NULL;
	*n = 0;
	if (store_folder_need(s, folder, &id, NULL, err) == -1)
		return -1;
	st = store_stmt(s, ST_MSG_UIDS, "SELECT uid FROM messages"
	    " WHERE folder = ?1 ORDER BY uid", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 1024 : cap * 2;
			*uids = xreallocarray(*uids, cap, sizeof **uids);
		}
		(*uids)[(*n)++] = (uint32_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	free(*uids);
	*uids = NULL;
	*n = 0;
	return store_fail(s, err, "list a folder's UIDs");
}

int
store_messages_stats(struct store *s, const char *folder,
    struct store_msg_stats *out, char **err)
{
	sqlite3_stmt	*st;
	int64_t		 id;

	memset(out, 0, sizeof *out);
	if (store_folder_need(s, folder, &id, NULL, err) == -1)
		return -1;
	st = store_stmt(s, ST_MSG_STATS, "SELECT count(*),"
	    " coalesce(max(uid), 0), coalesce(max(modseq), 0)"
	    " FROM messages WHERE folder = ?1", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_fail(s, err, "count a folder's messages");
	}
	out->count = (size_t)sqlite3_column_int64(st, 0);
	out->max_uid = (uint32_t)sqlite3_column_int64(st, 1);
	out->max_modseq = (uint64_t)sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return 0;
}
