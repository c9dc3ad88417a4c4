/*
 * The schema: creating it, upgrading it, and checking that an existing
 * file holds what this code expects.
 *
 * PRAGMA user_version is the schema version and application_id marks the
 * file as quire's. A version with no way from it to STORE_SCHEMA_VERSION
 * (newer, or older without a migration) makes the file SCHEMA_BROKEN: the
 * caller sets it aside and starts again, since everything in it but the
 * journal can be fetched again, and a journal we cannot read is not one we
 * may replay.
 *
 * messages is WITHOUT ROWID: the primary key (folder, uid) is then the
 * table itself, so one folder's rows sit together in UID order and an
 * insert writes one b-tree, not a table and an index. Measured on 100,000
 * rows it inserts as fast as a rowid table and takes as much room, and a
 * folder's scan stays contiguous when folders are synced interleaved.
 * Loading a whole folder sorted by date is faster with SQLite's sorter
 * than by walking an index (0.16 s against 0.23 s for 100,000 rows), but
 * a warm open paints the first screen first (store_messages_load_part
 * with a LIMIT), and without an index that LIMIT still reads and sorts
 * all 100,000 rows (over 100 ms, most of a warm open); with the index
 * messages_date (version 2) it reads 500. The index costs every insert
 * about a third more (0.21 s against 0.28 s for 100,000). With this
 * schema 100,000 summaries of about 300 bytes take about 30 MB, insert at
 * 280,000-380,000 rows/s in chunks of 1,000, and load sorted and copied
 * in about 0.14 s (test_store_perf).
 *
 * Version 3 does the same for arrival (messages_arrival), the other
 * order the paint's LIMIT asks for by a number. Measured on the bench's
 * folder of 100,000 (genmail -r), the first 500 by arrival took 170-200
 * ms without an index and 2 ms with; at 1,000,000, 240 ms (and seconds
 * with the file not yet in the page cache). INTERNALDATE grows with the
 * UID, so the index is appended to as the table is: 1,000,000 rows
 * inserted in 4.6 s without it, 4.7 s with, and 1.5 MB of the file at
 * 100,000 (15.6 MB vacuumed). A whole-folder load by arrival walks it
 * (no "+" in messages.c): 0.18 s against 0.27 s with SQLite's sorter.
 * The other orders have no index: by size, one took 2.2 s more to insert
 * 1,000,000 rows (sizes come in no order: random writes all over the
 * index), against a LIMIT of 30 ms at 100,000 and 150 ms at 1,000,000
 * without it; by sender or subject (COLLATE NOCASE), 2.4 and 3.7 MB at
 * 100,000 and together more than double the insert time (0.31 s to
 * 0.81 s for 100,000), paid by every backfill whatever the order,
 * against a LIMIT of 30 ms at 100,000 and 180 ms at 1,000,000 without.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_priv.h"

/* Version 2: the first screen of a folder by date, newest first, without
 * reading the rest (the SO_DATE order walks it backwards). */
#define SCHEMA_V2 \
	"CREATE INDEX messages_date ON messages(folder, date, uid);"

/* Version 3: the same for arrival (INTERNALDATE). */
#define SCHEMA_V3 \
	"CREATE INDEX messages_arrival ON messages(folder, internal_date, uid);"

/* A new file gets every version at once. */
static const char *const schema_new =
	"CREATE TABLE folders ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" raw TEXT NOT NULL,"
	" delim INTEGER NOT NULL DEFAULT 0,"
	" attrs INTEGER NOT NULL DEFAULT 0,"
	" uidvalidity INTEGER NOT NULL DEFAULT 0,"
	" uidnext INTEGER NOT NULL DEFAULT 0,"
	" highestmodseq INTEGER NOT NULL DEFAULT 0,"
	" messages INTEGER,"		/* NULL: no STATUS yet */
	" unseen INTEGER,"
	" last_sync INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE messages ("
	" folder INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,"
	" uid INTEGER NOT NULL,"
	" modseq INTEGER NOT NULL DEFAULT 0,"
	" flags INTEGER NOT NULL DEFAULT 0,"
	" internal_date INTEGER NOT NULL DEFAULT 0,"
	" date INTEGER NOT NULL DEFAULT 0,"
	" size INTEGER NOT NULL DEFAULT 0,"
	" from_ TEXT, to_ TEXT, cc TEXT, subject TEXT, message_id TEXT,"
	" refs TEXT,"
	" PRIMARY KEY (folder, uid)) WITHOUT ROWID;"
	"CREATE TABLE pending ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),"
	" folder INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,"
	" uidvalidity INTEGER NOT NULL,"
	" uid INTEGER NOT NULL,"
	" add_flags INTEGER NOT NULL DEFAULT 0,"
	" remove_flags INTEGER NOT NULL DEFAULT 0,"
	" target TEXT,"
	" created INTEGER NOT NULL,"
	" state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1)));"
	"CREATE INDEX pending_folder ON pending(folder, uid);"
	"CREATE TABLE bodies ("
	" folder INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,"
	" uid INTEGER NOT NULL,"
	" uidvalidity INTEGER NOT NULL,"
	" size INTEGER NOT NULL,"
	" last_used INTEGER NOT NULL,"
	" data BLOB NOT NULL,"
	" PRIMARY KEY (folder, uid));"
	/* Covers the LRU walk and the byte total without touching blobs. */
	"CREATE INDEX bodies_lru ON bodies(last_used, size);"
	SCHEMA_V2 SCHEMA_V3;

/* migrations[v] takes a version v file to v + 1; NULL: no way up. */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
	NULL,		/* 0 is an empty file, created, never migrated */
	SCHEMA_V2,	/* 1 to 2 */
	SCHEMA_V3,	/* 2 to 3 */
};

static const char *const schema_tables[] = {
	"folders", "messages", "pending", "bodies", "pending_folder",
	"bodies_lru", "messages_date", "messages_arrival",
};

static enum schema_state
schema_fail(sqlite3 *db, int rc, char **why, char **err)
{
	if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
		*why = xstrdup(sqlite3_errstr(rc));
		return SCHEMA_BROKEN;
	}
	store_seterr(err, "Cannot read the cache's schema: %s.",
	    sqlite3_errmsg(db));
	return SCHEMA_ERROR;
}

/* One integer from a query; returns SQLite's code. */
static int
schema_int(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL)) != SQLITE_OK)
		return rc;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE)
		rc = SQLITE_CORRUPT;
	sqlite3_finalize(st);
	return rc;
}

/* Run body and set user_version to version, in one transaction. */
static int
schema_step(sqlite3 *db, const char *body, int version)
{
	char	*sql;
	int	 rc;

	sql = xasprintf("BEGIN IMMEDIATE;%sPRAGMA application_id=%d;"
	    "PRAGMA user_version=%d;COMMIT;", body, STORE_APPLICATION_ID,
	    version);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	free(sql);
	return rc;
}

static enum schema_state
schema_upgrade(sqlite3 *db, int64_t version, char **why, char **err)
{
	int	 rc;

	for (; version < STORE_SCHEMA_VERSION; version++) {
		if (version < 1 || migrations[version] == NULL) {
			*why = xasprintf("its schema version %lld is too old "
			    "to upgrade", (long long)version);
			return SCHEMA_BROKEN;
		}
		rc = schema_step(db, migrations[version], (int)version + 1);
		if (rc != SQLITE_OK)
			return schema_fail(db, rc, why, err);
	}
	return SCHEMA_OK;
}

static enum schema_state
schema_check_tables(sqlite3 *db, char **why, char **err)
{
	struct buf	 sql = BUF_INIT;
	int64_t		 found;
	size_t		 i;
	int		 rc;

	buf_addstr(&sql, "SELECT count(*) FROM sqlite_master WHERE name IN (");
	for (i = 0; i < nitems(schema_tables); i++)
		buf_printf(&sql, "%s'%s'", i > 0 ? "," : "", schema_tables[i]);
	buf_addch(&sql, ')');
	rc = schema_int(db, buf_str(&sql), &found);
	buf_free(&sql);
	if (rc != SQLITE_OK)
		return schema_fail(db, rc, why, err);
	if (found != (int64_t)nitems(schema_tables)) {
		*why = xstrdup("some of its tables are missing");
		return SCHEMA_BROKEN;
	}
	return SCHEMA_OK;
}

enum schema_state
store_schema_prepare(sqlite3 *db, char **why, char **err)
{
	int64_t			 appid, version, objects;
	enum schema_state	 st;
	int			 rc;

	*why = NULL;
	if ((rc = schema_int(db, "PRAGMA application_id", &appid)) !=
	    SQLITE_OK || (rc = schema_int(db, "PRAGMA user_version",
	    &version)) != SQLITE_OK || (rc = schema_int(db,
	    "SELECT count(*) FROM sqlite_master", &objects)) != SQLITE_OK)
		return schema_fail(db, rc, why, err);
	if (appid == 0 && version == 0 && objects == 0) {
		rc = schema_step(db, schema_new, STORE_SCHEMA_VERSION);
		return rc == SQLITE_OK ? SCHEMA_OK :
		    schema_fail(db, rc, why, err);
	}
	if (appid != STORE_APPLICATION_ID) {
		*why = xstrdup("it is not a quire cache");
		return SCHEMA_BROKEN;
	}
	if (version > STORE_SCHEMA_VERSION) {
		*why = xasprintf("it has schema version %lld, from a newer "
		    "quire", (long long)version);
		return SCHEMA_BROKEN;
	}
	if ((st = schema_upgrade(db, version, why, err)) != SCHEMA_OK)
		return st;
	return schema_check_tables(db, why, err);
}
