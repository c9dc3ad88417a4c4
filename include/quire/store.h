/*
 * store: the SQLite cache of one account.
 *
 * Tables: folders (name, delimiter, special use, UIDVALIDITY, UIDNEXT,
 * HIGHESTMODSEQ, counts), messages (summary per folder and UID), pending
 * (the journal of local changes not yet confirmed by the server). WAL mode;
 * opened only by the account's session thread. An unknown or damaged
 * database is moved aside and rebuilt, never trusted.
 *
 * A local change is written to the journal before its command is sent and
 * removed only after the server's OK; on start-up and reconnect the journal
 * is replayed. Entries carry per-flag deltas, so a replay is harmless.
 *
 * Ownership: all memory belongs to the caller unless stated otherwise.
 * Errors return -1 with a sentence in *err (caller frees).
 */
#ifndef QUIRE_STORE_H
#define QUIRE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quire/mail.h"

struct store;

struct store_folder {
	char		*name;		/* UTF-8 */
	char		 delim;
	unsigned	 special;	/* FOLDER_* special use */
	uint32_t	 uidvalidity;
	uint32_t	 uidnext;
	uint64_t	 highestmodseq;
	uint32_t	 messages;
	uint32_t	 unseen;
};

enum pending_kind { PENDING_FLAGS, PENDING_EXPUNGE, PENDING_MOVE, PENDING_COPY };

/* One journal entry: add and remove are MF_* bits (per-flag deltas). */
struct pending {
	int64_t		 id;
	enum pending_kind kind;
	char		*folder;
	uint32_t	 uidvalidity;
	uint32_t	 uid;
	uint32_t	 add;
	uint32_t	 remove;
	char		*target;	/* MOVE/COPY destination */
};

/* Open (creating if needed) the cache at path. */
struct store *store_open(const char *path, char **err);
void store_close(struct store **s);

#endif
