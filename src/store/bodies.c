/*
 * The body cache: fetched messages kept so that opening one again costs no
 * round trip, within a byte budget (body_cache_size, 200 MB by default).
 *
 * Least recently used goes first. "Used" is a counter, not a clock: the
 * store hands out the next number at each put and get, so the order is
 * exact even for many reads in one second. The index on (last_used, size)
 * lets the eviction walk and the byte total read only the index, never the
 * blobs.
 *
 * A body belongs to one UIDVALIDITY: one cached under another is a miss,
 * and store_folder_reset drops the folder's bodies anyway.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_priv.h"

static int
body_tick(struct store *s, int64_t *tick, char **err)
{
	sqlite3_stmt	*st;

	if (s->lru_clock < 0) {
		st = store_stmt(s, ST_BODY_CLOCK,
		    "SELECT coalesce(max(last_used), 0) FROM bodies", err);
		if (st == NULL)
			return -1;
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			return store_fail(s, err, "read the body cache");
		}
		s->lru_clock = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	*tick = ++s->lru_clock;
	return 0;
}

struct victim {
	int64_t		 folder;
	int64_t		 uid;
};

/* Pick the least recently used bodies whose removal brings the total to
 * budget; *freed is their size. */
static int
body_victims(struct store *s, uint64_t budget, struct victim **v, size_t *n,
    uint64_t *freed, char **err)
{
	sqlite3_stmt	*st;
	uint64_t	 total;
	size_t		 cap = 0;
	int		 rc;

	*v = NULL;
	*n = 0;
	*freed = 0;
	st = store_stmt(s, ST_BODY_TOTAL,
	    "SELECT coalesce(sum(size), 0) FROM bodies", err);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	total = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, err, "measure the body cache");
	if (total <= budget)
		return 0;
	st = store_stmt(s, ST_BODY_LRU, "SELECT folder, uid, size FROM bodies"
	    " ORDER BY last_used", err);
	if (st == NULL)
		return -1;
	while (total - *freed > budget && (rc = sqlite3_step(st)) ==
	    SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*v = xreallocarray(*v, cap, sizeof **v);
		}
		(*v)[*n].folder = sqlite3_column_int64(st, 0);
		(*v)[(*n)++].uid = sqlite3_column_int64(st, 1);
		*freed += (uint64_t)sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return 0;
}

/* Evict inside the caller's transaction. */
static int
body_evict_tx(struct store *s, uint64_t budget, uint64_t *freed, char **err)
{
	sqlite3_stmt	*st;
	struct victim	*v;
	size_t		 n, i;

	if (body_victims(s, budget, &v, &n, freed, err) == -1)
		return -1;
	st = n == 0 ? NULL : store_stmt(s, ST_BODY_DELETE,
	    "DELETE FROM bodies WHERE folder = ?1 AND uid = ?2", err);
	for (i = 0; i < n; i++) {
		if (st == NULL)
			break;
		sqlite3_bind_int64(st, 1, v[i].folder);
		sqlite3_bind_int64(st, 2, v[i].uid);
		if (store_exec(s, st, "evict a body", err) == -1)
			break;
	}
	free(v);
	return i == n ? 0 : -1;
}

int
store_body_evict(struct store *s, uint64_t budget, uint64_t *freed,
    char **err)
{
	uint64_t	 f = 0;

	if (freed != NULL)
		*freed = 0;
	if (store_begin(s, false, err) == -1)
		return -1;
	if (body_evict_tx(s, budget, &f, err) == -1) {
		store_rollback(s, false);
		return -1;
	}
	if (store_commit(s, false, err) == -1)
		return -1;
	if (freed != NULL)
		*freed = f;
	return 0;
}

static int
body_insert(struct store *s, int64_t folder, uint32_t uidvalidity,
    uint32_t uid, const void *data, size_t len, char **err)
{
	sqlite3_stmt	*st;
	int64_t		 tick;

	if (body_tick(s, &tick, err) == -1)
		return -1;
	st = store_stmt(s, ST_BODY_PUT, "INSERT OR REPLACE INTO bodies"
	    " (folder, uid, uidvalidity, size, last_used, data)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, folder);
	sqlite3_bind_int64(st, 2, uid);
	sqlite3_bind_int64(st, 3, uidvalidity);
	sqlite3_bind_int64(st, 4, (int64_t)len);
	sqlite3_bind_int64(st, 5, tick);
	sqlite3_bind_blob64(st, 6, len > 0 ? data : "", len, SQLITE_STATIC);
	return store_exec(s, st, "cache a message", err);
}

int
store_body_put(struct store *s, const char *folder, uint32_t uidvalidity,
    uint32_t uid, const void *data, size_t len, uint64_t budget, char **err)
{
	int64_t		 id;
	uint64_t	 freed;
	uint32_t	 current;

	if (store_folder_need(s, folder, &id, &current, err) == -1)
		return -1;
	if (uidvalidity != current) {
		store_seterr(err, "The message in \"%s\" is for UIDVALIDITY "
		    "%u, but the folder now has %u.", folder, uidvalidity,
		    current);
		return -1;
	}
	if (budget != 0 && len > budget)
		return 0;
	if (store_begin(s, false, err) == -1)
		return -1;
	if (body_insert(s, id, uidvalidity, uid, data, len, err) == -1 ||
	    (budget != 0 && body_evict_tx(s, budget, &freed, err) == -1)) {
		store_rollback(s, false);
		return -1;
	}
	return store_commit(s, false, err);
}

/* Mark the body used; a failure only costs LRU precision. */
static void
body_touch(struct store *s, int64_t folder, uint32_t uid)
{
	sqlite3_stmt	*st;
	int64_t		 tick;

	if (body_tick(s, &tick, NULL) == -1)
		return;
	st = store_stmt(s, ST_BODY_TOUCH, "UPDATE bodies SET last_used = ?3"
	    " WHERE folder = ?1 AND uid = ?2", NULL);
	if (st == NULL)
		return;
	sqlite3_bind_int64(st, 1, folder);
	sqlite3_bind_int64(st, 2, uid);
	sqlite3_bind_int64(st, 3, tick);
	store_exec(s, st, "mark a body used", NULL);
}

int
store_body_get(struct store *s, const char *folder, uint32_t uidvalidity,
    uint32_t uid, char **data, size_t *len, char **err)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	int		 rc, found = 0;

	*data = NULL;
	*len = 0;
	if ((rc = store_folder_id(s, folder, &id, NULL, err)) != 1)
		return rc;
	st = store_stmt(s, ST_BODY_GET, "SELECT uidvalidity, data FROM bodies"
	    " WHERE folder = ?1 AND uid = ?2", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, uid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    (uint32_t)sqlite3_column_int64(st, 0) == uidvalidity) {
		*len = (size_t)sqlite3_column_bytes(st, 1);
		*data = *len > 0 ? xmemdup(sqlite3_column_blob(st, 1), *len) :
		    xstrdup("");
		found = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, err, "read a cached message");
	if (found)
		body_touch(s, id, uid);
	return found;
}
