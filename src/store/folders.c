/*
 * The folders table: what LIST and STATUS said, and how far each folder
 * has been synced.
 *
 * The two are kept apart on purpose. STATUS tells what the server has now;
 * uidvalidity, uidnext and highestmodseq here say what the cache holds, and
 * the engine compares the one with the other to decide what to fetch. So
 * store_folder_put never writes the sync state: only store_folder_set_sync
 * (after the messages are in) and store_folder_reset (UIDVALIDITY changed)
 * do, and set_sync refuses to slip a new UIDVALIDITY past reset.
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "store_priv.h"

int
store_folder_id(struct store *s, const char *name, int64_t *id,
    uint32_t *uidvalidity, char **err)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = store_stmt(s, ST_FOLDER_ID,
	    "SELECT id, uidvalidity FROM folders WHERE name = ?1", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (uidvalidity != NULL)
			*uidvalidity = (uint32_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(s, err, "look up a folder");
}

int
store_folder_need(struct store *s, const char *name, int64_t *id,
    uint32_t *uidvalidity, char **err)
{
	int	 rc;

	if ((rc = store_folder_id(s, name, id, uidvalidity, err)) == 0) {
		store_seterr(err, "The folder \"%s\" is not in the cache.",
		    name);
		return -1;
	}
	return rc == 1 ? 0 : -1;
}

int
store_folder_put(struct store *s, const struct mail_folder *f, char **err)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, ST_FOLDER_PUT,
	    "INSERT INTO folders (name, raw, delim, attrs, messages, unseen)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	    " ON CONFLICT (name) DO UPDATE SET raw = excluded.raw,"
	    " delim = excluded.delim, attrs = excluded.attrs,"
	    " messages = coalesce(excluded.messages, messages),"
	    " unseen = coalesce(excluded.unseen, unseen)", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, f->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->raw != NULL ? f->raw : f->name, -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(st, 3, (unsigned char)f->delim);
	sqlite3_bind_int64(st, 4, f->attrs);
	if (f->has_status) {
		sqlite3_bind_int64(st, 5, f->messages);
		sqlite3_bind_int64(st, 6, f->unseen);
	}
	return store_exec(s, st, "save a folder", err);
}

static void
folder_row(sqlite3_stmt *st, struct mail_folder *f, int64_t *last_sync)
{
	f->name = xstrdup(store_col_text(st, 0));
	f->raw = xstrdup(store_col_text(st, 1));
	f->delim = (char)sqlite3_column_int(st, 2);
	f->attrs = (unsigned)sqlite3_column_int64(st, 3);
	f->uidvalidity = (uint32_t)sqlite3_column_int64(st, 4);
	f->uidnext = (uint32_t)sqlite3_column_int64(st, 5);
	f->highestmodseq = (uint64_t)sqlite3_column_int64(st, 6);
	f->has_status = sqlite3_column_type(st, 7) != SQLITE_NULL;
	f->messages = (uint32_t)sqlite3_column_int64(st, 7);
	f->unseen = (uint32_t)sqlite3_column_int64(st, 8);
	if (last_sync != NULL)
		*last_sync = sqlite3_column_int64(st, 9);
}

#define FOLDER_COLUMNS "name, raw, delim, attrs, uidvalidity, uidnext," \
	" highestmodseq, messages, unseen, last_sync"

int
store_folder_list(struct store *s, struct mail_folder **out, size_t *n,
    char **err)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	st = store_stmt(s, ST_FOLDER_LIST, "SELECT " FOLDER_COLUMNS
	    " FROM folders ORDER BY name", err);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		folder_row(st, &(*out)[(*n)++], NULL);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	while (*n > 0)
		mail_folder_clear(&(*out)[--*n]);
	free(*out);
	*out = NULL;
	return store_fail(s, err, "list the folders");
}

int
store_folder_get(struct store *s, const char *name, struct mail_folder *out,
    int64_t *last_sync, char **err)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = store_stmt(s, ST_FOLDER_GET, "SELECT " FOLDER_COLUMNS
	    " FROM folders WHERE name = ?1", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		folder_row(st, out, last_sync);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(s, err, "read a folder");
}

/* Count the folder's journal entries, then delete the folder; its
 * messages, bodies and entries go with it (ON DELETE CASCADE). */
static int
folder_delete_tx(struct store *s, int64_t id, size_t *dropped, char **err)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, ST_FOLDER_PENDING_COUNT,
	    "SELECT count(*) FROM pending WHERE folder = ?1", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_fail(s, err, "count a folder's changes");
	}
	*dropped = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = store_stmt(s, ST_FOLDER_DELETE,
	    "DELETE FROM folders WHERE id = ?1", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return store_exec(s, st, "delete a folder", err);
}

int
store_folder_delete(struct store *s, const char *name,
    size_t *dropped_pending, char **err)
{
	int64_t		 id;
	size_t		 dropped = 0;
	int		 rc;

	if (dropped_pending != NULL)
		*dropped_pending = 0;
	if ((rc = store_folder_id(s, name, &id, NULL, err)) != 1)
		return rc;
	if (store_begin(s, true, err) == -1)
		return -1;
	if (folder_delete_tx(s, id, &dropped, err) == -1) {
		store_rollback(s, true);
		return -1;
	}
	if (store_commit(s, true, err) == -1)
		return -1;
	if (dropped_pending != NULL)
		*dropped_pending = dropped;
	return 1;
}

int
store_folder_set_sync(struct store *s, const char *name,
    uint32_t uidvalidity, uint32_t uidnext, uint64_t highestmodseq,
    char **err)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	uint32_t	 old;

	if (store_folder_need(s, name, &id, &old, err) == -1)
		return -1;
	if (old != 0 && old != uidvalidity) {
		store_seterr(err, "The folder \"%s\" has UIDVALIDITY %u in the "
		    "cache, not %u: it must be reset first.", name, old,
		    uidvalidity);
		return -1;
	}
	st = store_stmt(s, ST_FOLDER_SET_SYNC,
	    "UPDATE folders SET uidvalidity = ?2, uidnext = ?3,"
	    " highestmodseq = ?4, last_sync = ?5 WHERE id = ?1", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, uidvalidity);
	sqlite3_bind_int64(st, 3, uidnext);
	sqlite3_bind_int64(st, 4, (int64_t)highestmodseq);
	sqlite3_bind_int64(st, 5, (int64_t)time(NULL));
	return store_exec(s, st, "save a folder's sync state", err);
}

/* Run one of the reset's statements, bound to the folder (and the new
 * uidvalidity where it takes one). */
static int
folder_reset_run(struct store *s, enum store_stmt slot, const char *sql,
    int64_t id, uint32_t uidvalidity, char **err)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, slot, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_bind_parameter_count(st) > 1)
		sqlite3_bind_int64(st, 2, uidvalidity);
	return store_exec(s, st, "reset a folder", err);
}

static int
folder_reset_tx(struct store *s, int64_t id, uint32_t uidvalidity,
    size_t *dropped, char **err)
{
	if (folder_reset_run(s, ST_RESET_PENDING, "DELETE FROM pending"
	    " WHERE folder = ?1 AND uidvalidity <> ?2", id, uidvalidity,
	    err) == -1)
		return -1;
	*dropped = (size_t)sqlite3_changes(s->db);
	if (folder_reset_run(s, ST_RESET_MESSAGES,
	    "DELETE FROM messages WHERE folder = ?1", id, 0, err) == -1 ||
	    folder_reset_run(s, ST_RESET_BODIES,
	    "DELETE FROM bodies WHERE folder = ?1", id, 0, err) == -1)
		return -1;
	return folder_reset_run(s, ST_FOLDER_RESET, "UPDATE folders"
	    " SET uidvalidity = ?2, uidnext = 0, highestmodseq = 0"
	    " WHERE id = ?1", id, uidvalidity, err);
}

int
store_folder_reset(struct store *s, const char *name, uint32_t uidvalidity,
    size_t *dropped_pending, char **err)
{
	int64_t		 id;
	size_t		 dropped = 0;

	if (dropped_pending != NULL)
		*dropped_pending = 0;
	if (store_folder_need(s, name, &id, NULL, err) == -1)
		return -1;
	if (store_begin(s, true, err) == -1)
		return -1;
	if (folder_reset_tx(s, id, uidvalidity, &dropped, err) == -1) {
		store_rollback(s, true);
		return -1;
	}
	if (store_commit(s, true, err) == -1)
		return -1;
	if (dropped_pending != NULL)
		*dropped_pending = dropped;
	return 0;
}
