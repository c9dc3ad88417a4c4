/*
 * What quire --cache-info prints, and clearing the cache.
 *
 * Neither is on a hot path, so the statements here are prepared per call
 * rather than kept.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_priv.h"

static uint64_t
file_bytes(const char *path, const char *suffix)
{
	struct stat	 st;
	char		*p;
	uint64_t	 n = 0;

	p = xasprintf("%s%s", path, suffix);
	if (stat(p, &st) == 0)
		n = (uint64_t)st.st_size;
	free(p);
	return n;
}

#define TEXT_BYTES(c) "coalesce(length(CAST(" c " AS BLOB)), 0)"

static const char *const info_sql =
	"SELECT f.name,"
	" (SELECT count(*) FROM messages m WHERE m.folder = f.id),"
	" (SELECT coalesce(sum(" TEXT_BYTES("from_") " + " TEXT_BYTES("to_")
	" + " TEXT_BYTES("cc") " + " TEXT_BYTES("subject") " + "
	TEXT_BYTES("message_id") " + " TEXT_BYTES("refs") "), 0)"
	"  FROM messages m WHERE m.folder = f.id),"
	" (SELECT count(*) FROM bodies b WHERE b.folder = f.id),"
	" (SELECT coalesce(sum(size), 0) FROM bodies b WHERE b.folder = f.id),"
	" (SELECT count(*) FROM pending p WHERE p.folder = f.id)"
	" FROM folders f ORDER BY f.name";

static void
info_row(sqlite3_stmt *st, struct store_info *out)
{
	struct store_folder_info	*fi;

	out->folders = xreallocarray(out->folders, out->nfolders + 1,
	    sizeof *out->folders);
	fi = &out->folders[out->nfolders++];
	fi->name = xstrdup(store_col_text(st, 0));
	fi->messages = (size_t)sqlite3_column_int64(st, 1);
	fi->summary_bytes = (uint64_t)sqlite3_column_int64(st, 2);
	fi->bodies = (size_t)sqlite3_column_int64(st, 3);
	fi->body_bytes = (uint64_t)sqlite3_column_int64(st, 4);
	fi->pending = (size_t)sqlite3_column_int64(st, 5);
	out->pending += fi->pending;
	out->body_bytes += fi->body_bytes;
}

int
store_info(struct store *s, struct store_info *out, char **err)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof *out);
	out->path = xstrdup(s->path);
	out->file_bytes = file_bytes(s->path, "");
	out->wal_bytes = file_bytes(s->path, "-wal");
	out->schema_version = STORE_SCHEMA_VERSION;
	if (sqlite3_prepare_v2(s->db, info_sql, -1, &st, NULL) != SQLITE_OK) {
		store_info_clear(out);
		return store_fail(s, err, "measure the cache");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		info_row(st, out);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_info_clear(out);
		return store_fail(s, err, "measure the cache");
	}
	return 0;
}

void
store_info_clear(struct store_info *info)
{
	size_t	 i;

	if (info == NULL)
		return;
	for (i = 0; i < info->nfolders; i++)
		free(info->folders[i].name);
	free(info->folders);
	free(info->path);
	memset(info, 0, sizeof *info);
}

int
store_clear(struct store *s, char **err)
{
	static const char *const clear_sql = "BEGIN IMMEDIATE;"
	    "DELETE FROM messages;DELETE FROM bodies;"
	    "UPDATE folders SET uidnext = 0, highestmodseq = 0, last_sync = 0;"
	    "COMMIT;";

	if (sqlite3_exec(s->db, clear_sql, NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(s, err, "clear the cache");
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	/* Give the space back: VACUUM rewrites the file into the WAL, the
	 * checkpoint moves it home and truncates the WAL. */
	if (sqlite3_exec(s->db, "VACUUM;PRAGMA wal_checkpoint(TRUNCATE);",
	    NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, err, "shrink the cache");
	return 0;
}
