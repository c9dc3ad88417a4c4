/*
 * Private to src/store: the store handle, its cache of prepared statements
 * and the helpers every table's file uses.
 *
 * Each statement has a slot in enum store_stmt; the SQL is written at its
 * one call site (store_stmt) and prepared there the first time, so the SQL
 * stays next to the code that binds it.
 */
#ifndef QUIRE_STORE_PRIV_H
#define QUIRE_STORE_PRIV_H

#include <sqlite3.h>

#include "quire/store.h"

/* The schema this code writes; see schema.c for the migrations. */
#define STORE_SCHEMA_VERSION	3
/* PRAGMA application_id: "quir", so another program's file is not ours. */
#define STORE_APPLICATION_ID	0x71756972

enum store_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SYNC_FULL,
	ST_SYNC_NORMAL,
	ST_FOLDER_ID,
	ST_FOLDER_PUT,
	ST_FOLDER_LIST,
	ST_FOLDER_GET,
	ST_FOLDER_DELETE,
	ST_FOLDER_SET_SYNC,
	ST_FOLDER_RESET,
	ST_FOLDER_PENDING_COUNT,
	ST_RESET_PENDING,
	ST_RESET_MESSAGES,
	ST_RESET_BODIES,
	ST_MSG_PUT,
	ST_MSG_FLAGS,
	ST_MSG_DELETE,
	ST_MSG_BODY_DELETE,
	ST_MSG_UIDS,
	ST_MSG_STATS,
	ST_MSG_FLAGS_GET,
	ST_PENDING_ADD,
	ST_PENDING_SENT,
	ST_PENDING_DONE,
	ST_PENDING_LIST,
	ST_PENDING_LIST_ALL,
	ST_PENDING_UID,
	ST_PENDING_FOLDER,
	ST_BODY_PUT,
	ST_BODY_GET,
	ST_BODY_TOUCH,
	ST_BODY_TOTAL,
	ST_BODY_LRU,
	ST_BODY_DELETE,
	ST_BODY_CLOCK,
	ST__COUNT
};

struct store {
	sqlite3		*db;
	char		*path;
	int64_t		 lru_clock;	/* last bodies.last_used handed out */
	sqlite3_stmt	*stmts[ST__COUNT];
};

/* The statement in slot id, prepared from sql on first use, reset and
 * cleared for binding. NULL with *err on failure. */
sqlite3_stmt *store_stmt(struct store *s, enum store_stmt id, const char *sql,
    char **err);
/* Set *err to "Cannot <what> in the cache PATH: <SQLite's reason>." */
int store_fail(struct store *s, char **err, const char *what);
/* Step a statement that returns no rows; -1 with *err naming what. */
int store_exec(struct store *s, sqlite3_stmt *st, const char *what,
    char **err);
/* Transactions. A durable one is committed with synchronous=FULL. */
int store_begin(struct store *s, bool durable, char **err);
int store_commit(struct store *s, bool durable, char **err);
void store_rollback(struct store *s, bool durable);
/* The folder's row id and uidvalidity (may be NULL); 1, 0 or -1. */
int store_folder_id(struct store *s, const char *name, int64_t *id,
    uint32_t *uidvalidity, char **err);
/* Like store_folder_id, but a missing folder is an error. */
int store_folder_need(struct store *s, const char *name, int64_t *id,
    uint32_t *uidvalidity, char **err);
/* Text of a column, or NULL for SQL NULL. */
const char *store_col_text(sqlite3_stmt *st, int col);
/* Set *err to a sentence; accepts err == NULL. */
void store_seterr(char **err, const char *fmt, ...) QUIRE_PRINTF(2, 3);

/* schema.c */
enum schema_state { SCHEMA_OK, SCHEMA_BROKEN, SCHEMA_ERROR };
/* Create, migrate or check the schema of an open database. On
 * SCHEMA_BROKEN, *why says what is wrong (caller frees). */
enum schema_state store_schema_prepare(sqlite3 *db, char **why, char **err);

/* journal.c */
/* Local flags for the rows of one folder: the pending entries that touch
 * its rows, sorted by uid then id, so the load can apply them. */
struct pending_view {
	struct pending_delta {
		uint32_t	 uid;
		uint8_t		 kind;
		uint32_t	 add;
		uint32_t	 remove;
	}		*d;
	size_t		 n;
};
int store_pending_view(struct store *s, int64_t folder, uint32_t uidvalidity,
    struct pending_view *v, char **err);
/* Apply the view's entries for uid to *flags; false if the row is moved
 * or expunged by one. */
bool store_pending_view_apply(const struct pending_view *v, uint32_t uid,
    uint32_t *flags);

#endif
