/*
 * store: the SQLite cache of one account, and its journal of changes.
 *
 * One database file per account (store_default_path), in WAL mode, opened
 * only by the account's session thread. Tables: folders (names, attributes,
 * STATUS counts and the sync state UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ),
 * messages (one summary per folder and UID, with the server's flags),
 * pending (the journal of local changes not yet confirmed by the server) and
 * bodies (a cache of fetched messages, least recently used out first).
 *
 * An unknown or damaged database is moved aside (NAME.broken-TIMESTAMP) and
 * rebuilt, never trusted; store_open says so once through *notice.
 *
 * The journal: a local change is committed durably (fsync) by
 * store_pending_add() before its command is sent, marked sent, and removed
 * by store_pending_done() only after the server's OK. On start-up and
 * reconnect store_pending_list() gives the entries in order for replay.
 * Flag entries are per-flag deltas (add, remove), so a replay is harmless.
 * The flags the user sees are the server's flags with the pending deltas
 * applied in order (store_flags_apply), so the screen shows what the user
 * did even after a crash, and another client's change to other flags still
 * shows (BAD-INPUTS 32). Entries are never merged: the engine holds the ids
 * of entries it has queued, and applying them in order already gives the
 * later change the last word.
 *
 * Folders are named by their UTF-8 name, as the engine and the UI name them.
 *
 * Ownership: all memory belongs to the caller unless stated otherwise.
 * Errors: functions return -1 with a sentence in *err (caller frees; err
 * may be NULL). Lookups return 1 found, 0 not found.
 */
#ifndef QUIRE_STORE_H
#define QUIRE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quire/mail.h"

struct store;

/* ---- the file ---- */

/* $XDG_CACHE_HOME/quire/ACCOUNT.db (~/.cache when unset), creating the
 * directory 0700. Bytes of account outside [A-Za-z0-9._@+-] and a leading
 * dot are written %XX. NULL with *err on failure; the caller frees. */
char *store_default_path(const char *account, char **err);

/* Open the cache at path, creating it 0600 if needed. A damaged file, one
 * with an unknown schema version or one from another program is moved
 * aside and a new one made; *notice then says so, once, in a sentence for
 * the user (caller frees; NULL otherwise). */
struct store *store_open(const char *path, char **notice, char **err);
/* Close and set *s to NULL; accepts NULL. */
void store_close(struct store **s);
/* The path given to store_open; owned by the store. */
const char *store_path(const struct store *s);

/* ---- folders ---- */

/* Insert or update a folder from LIST (and STATUS, when f->has_status sets
 * the messages and unseen counts). The sync state in f (uidvalidity,
 * uidnext, highestmodseq) is NOT taken: it changes only through
 * store_folder_set_sync and store_folder_reset, after the messages are in. */
int store_folder_put(struct store *s, const struct mail_folder *f,
    char **err);
/* All folders by name; *out is an array of *n (mail_folder_clear each, then
 * free the array). The sync state is in uidvalidity, uidnext and
 * highestmodseq; has_status tells whether STATUS counts were stored. */
int store_folder_list(struct store *s, struct mail_folder **out, size_t *n,
    char **err);
/* One folder into *out (mail_folder_clear it); last_sync (may be NULL) is
 * the time of the last store_folder_set_sync, 0 never. 1, 0 or -1. */
int store_folder_get(struct store *s, const char *name,
    struct mail_folder *out, int64_t *last_sync, char **err);
/* Forget a folder that vanished from the server, with its messages, bodies
 * and journal entries; *dropped_pending (may be NULL) counts the latter.
 * 1 deleted, 0 there was no such folder, -1. */
int store_folder_delete(struct store *s, const char *name,
    size_t *dropped_pending, char **err);
/* Record the sync state reached, and the time. Refuses a uidvalidity other
 * than the stored one (unless that is 0, never synced): a change must go
 * through store_folder_reset. */
int store_folder_set_sync(struct store *s, const char *name,
    uint32_t uidvalidity, uint32_t uidnext, uint64_t highestmodseq,
    char **err);
/* UIDVALIDITY changed: drop the folder's messages and bodies and the
 * journal entries for any other uidvalidity (never applied to new UIDs:
 * BAD-INPUTS 16), set the new uidvalidity and zero uidnext and
 * highestmodseq, all in one transaction. *dropped_pending (may be NULL)
 * counts the dropped entries, so the user can be told. */
int store_folder_reset(struct store *s, const char *name,
    uint32_t uidvalidity, size_t *dropped_pending, char **err);

/* ---- message summaries ---- */

/* Insert or replace n summaries of the folder in one transaction. */
int store_messages_put(struct store *s, const char *folder,
    const struct msg_summary *rows, size_t n, char **err);

/* A flag change from the server; modseq 0 keeps the stored one. */
struct store_flag_update {
	uint32_t	 uid;
	uint32_t	 flags;		/* MF_*, the server's whole set */
	uint64_t	 modseq;
};
/* Set the server flags of n messages in one transaction; unknown UIDs are
 * skipped. The summary's MF_ATTACHMENT bit is kept. */
int store_messages_set_flags(struct store *s, const char *folder,
    const struct store_flag_update *u, size_t n, char **err);
/* Forget n UIDs (EXPUNGE, VANISHED) and their bodies. */
int store_messages_delete(struct store *s, const char *folder,
    const uint32_t *uids, size_t n, char **err);

enum store_order {
	SO_UID,
	SO_DATE,		/* the Date: header, then UID */
	SO_ARRIVAL,		/* INTERNALDATE, then UID */
	SO_SIZE,
	SO_FROM,
	SO_SUBJECT,
};
#define SL_REVERSE	0x01	/* descending */
#define SL_SERVER	0x02	/* server flags; keep rows moved or expunged
				   by a pending entry */

/* Called per row; the row and its strings are valid only during the call
 * (msg_summary_copy to keep it). A non-zero return stops the load. */
typedef int (*store_row_cb)(void *arg, const struct msg_summary *m);
/* Stream the folder's rows in order. By default flags are the local view
 * (pending deltas applied) and rows with a pending EXPUNGE or MOVE are
 * left out, as the user expects to see them. Returns 0, or the callback's
 * non-zero return, or -1. */
int store_messages_load(struct store *s, const char *folder,
    enum store_order order, unsigned flags, store_row_cb cb, void *arg,
    char **err);
/* The same for rows [offset, offset + limit) of that order (limit 0: to
 * the end), so the first screen can be painted before the rest is read:
 * SQLite keeps only the top rows while it sorts. With the local view the
 * rows a pending entry hides are skipped after the cut, so a part may
 * hold fewer than limit. */
int store_messages_load_part(struct store *s, const char *folder,
    enum store_order order, unsigned flags, size_t offset, size_t limit,
    store_row_cb cb, void *arg, char **err);
/* All the folder's UIDs, ascending: *uids is an array of *n (caller frees;
 * NULL when empty). */
int store_messages_uids(struct store *s, const char *folder, uint32_t **uids,
    size_t *n, char **err);

struct store_msg_stats {
	size_t		 count;
	uint32_t	 max_uid;	/* 0 when empty */
	uint64_t	 max_modseq;	/* 0 when empty */
};
int store_messages_stats(struct store *s, const char *folder,
    struct store_msg_stats *out, char **err);

/* ---- the journal ---- */

enum pending_kind { PENDING_FLAGS, PENDING_EXPUNGE, PENDING_MOVE, PENDING_COPY };
enum pending_state { PENDING_NEW, PENDING_SENT };

/* One journal entry: add and remove are MF_* bits (per-flag deltas). */
struct pending {
	int64_t			 id;
	enum pending_kind	 kind;
	enum pending_state	 state;
	char			*folder;	/* UTF-8 name */
	uint32_t		 uidvalidity;
	uint32_t		 uid;
	uint32_t		 add;
	uint32_t		 remove;
	char			*target;	/* MOVE/COPY destination */
	int64_t			 created;	/* seconds since the epoch */
};

/* Commit n entries durably, in one transaction, before their command is
 * sent; sets each entry's id, state and created. Refuses an entry whose
 * uidvalidity is not the folder's, flags that are both added and removed,
 * and MOVE/COPY without a target. */
int store_pending_add(struct store *s, struct pending *p, size_t n,
    char **err);
/* The commands of these entries are about to be written: commit that
 * durably first, so a replay after a crash knows a COPY or MOVE may have
 * been done already. Flag entries need not be marked (their replay is
 * harmless). Unknown ids are skipped. */
int store_pending_mark_sent(struct store *s, const int64_t *ids, size_t n,
    char **err);
/* The server said OK: forget these entries. Unknown ids are skipped. */
int store_pending_done(struct store *s, const int64_t *ids, size_t n,
    char **err);
/* The entries of one folder (NULL: all), oldest first: *out is an array of
 * *n; free with store_pending_free. */
int store_pending_list(struct store *s, const char *folder,
    struct pending **out, size_t *n, char **err);
/* Free an array from store_pending_list; accepts NULL. */
void store_pending_free(struct pending *p, size_t n);
/* One delta applied to flags: the later entry has the last word. */
uint32_t store_flags_apply(uint32_t flags, uint32_t add, uint32_t remove);
/* The flags the user sees for uid: the server's with the pending deltas
 * for the folder's uidvalidity applied in order. 1, 0 or -1. */
int store_flags_local(struct store *s, const char *folder, uint32_t uid,
    uint32_t *flags, char **err);

/* ---- body cache ---- */

/* Cache a fetched message, then evict the least recently used bodies until
 * the total is at most budget bytes (0: no limit). A body larger than the
 * budget is not stored. */
int store_body_put(struct store *s, const char *folder, uint32_t uidvalidity,
    uint32_t uid, const void *data, size_t len, uint64_t budget, char **err);
/* A cached body into *data (NUL-terminated, caller frees) and *len, marking
 * it used. A body cached under another uidvalidity is a miss. 1, 0 or -1. */
int store_body_get(struct store *s, const char *folder, uint32_t uidvalidity,
    uint32_t uid, char **data, size_t *len, char **err);
/* Evict least recently used bodies down to budget bytes; *freed (may be
 * NULL) is the bytes removed. */
int store_body_evict(struct store *s, uint64_t budget, uint64_t *freed,
    char **err);

/* ---- quire --cache-info, and clearing ---- */

struct store_folder_info {
	char		*name;
	size_t		 messages;
	uint64_t	 summary_bytes;	/* text of the summaries */
	size_t		 bodies;
	uint64_t	 body_bytes;
	size_t		 pending;
};

struct store_info {
	char			*path;
	uint64_t		 file_bytes;	/* the database file */
	uint64_t		 wal_bytes;	/* its -wal file */
	int			 schema_version;
	size_t			 pending;	/* the journal's length */
	uint64_t		 body_bytes;
	struct store_folder_info *folders;
	size_t			 nfolders;
};

int store_info(struct store *s, struct store_info *out, char **err);
void store_info_clear(struct store_info *info);
/* Drop every summary and body and zero the folders' uidnext and
 * highestmodseq, so the next sync fetches all; the journal and the
 * uidvalidity it is checked against are kept (they hold the user's unsent
 * changes). Then shrink the file. */
int store_clear(struct store *s, char **err);

#endif
