/*
 * imap: the session thread of one account and the typed queues to it.
 *
 * The UI sends commands (select a folder, store flags, fetch a body, search)
 * and receives events (folder list, summaries, flag changes, expunges,
 * bodies, progress, connection state, errors). Every command and event is a
 * tagged struct that owns its payload; whoever sends it never touches it
 * again. Commands carry a request id and the folder generation, so results
 * for a folder the user has left are dropped. The session wakes the UI
 * through a file descriptor (session_event_fd), and IDLE is interrupted at
 * once by a new command.
 *
 * Sequence numbers never leave the session thread: everything here is keyed
 * by folder name and UID.
 *
 * Ownership: session_send() takes the command; session_next_event() hands
 * the event to the caller, who frees it with imap_event_free().
 *
 * This is the contract the engine and the UI grow into; the engine issue
 * fills in the session thread behind it.
 */
#ifndef QUIRE_IMAP_H
#define QUIRE_IMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quire/config.h"
#include "quire/mail.h"

struct session;

/* ---- commands: UI to session ---- */

enum imap_cmd_type {
	IC_LIST,		/* folder list and STATUS of each */
	IC_SELECT,		/* open a folder: summaries, then IDLE */
	IC_STORE,		/* per-flag deltas on UIDs */
	IC_EXPUNGE,		/* UID EXPUNGE of exactly these UIDs
				 * (without UIDPLUS: see ask, plain) */
	IC_MOVE,
	IC_COPY,
	IC_FETCH_BODY,		/* one message (or part), capped */
	IC_SEARCH,		/* server-side search in one or all folders */
	IC_SYNC,		/* reconcile now, don't wait for IDLE */
	IC_SORT,		/* the open folder's order from the server */
	IC_FETCH_PARTS,		/* a message's structure and its text */
};

struct imap_cmd {
	enum imap_cmd_type	 type;
	uint64_t		 id;		/* echoed in IE_DONE / IE_ERROR */
	uint64_t		 generation;	/* of the folder view */
	char			*folder;	/* UTF-8 name */
	uint32_t		 uidvalidity;	/* the UIDs' validity */
	uint32_t		*uids;
	size_t			 nuids;
	uint32_t		 add;		/* IC_STORE: MF_* to set */
	uint32_t		 remove;	/* IC_STORE: MF_* to clear */
	char			*target;	/* IC_MOVE, IC_COPY */
	char			*query;		/* IC_SEARCH; folder NULL: all */
	char			*section;	/* IC_FETCH_BODY: NULL whole */
	uint64_t		 max_bytes;	/* IC_FETCH_BODY cap */
	enum sort_key		 sort;		/* IC_SORT */
	bool			 reverse;	/* IC_SORT */
	bool			 prefer_html;	/* IC_FETCH_PARTS: which alternative */
	bool			 plain;		/* IC_EXPUNGE: the user agreed to a
						 * plain EXPUNGE (no UIDPLUS) */
};

/* A zeroed command of that type; free with imap_cmd_free(). */
struct imap_cmd *imap_cmd_new(enum imap_cmd_type type);
void imap_cmd_free(struct imap_cmd **cmd);

/* ---- events: session to UI ---- */

enum conn_state {
	CS_OFFLINE,		/* by choice (--offline) or not yet started */
	CS_CONNECTING,
	CS_AUTHENTICATING,
	CS_SYNCING,
	CS_ONLINE,		/* idle on the selected folder */
	CS_WAITING,		/* lost; retrying in retry_in seconds */
	CS_FAILED,		/* will not retry: bad password, bad cert */
};

enum imap_ev_type {
	IE_STATE,		/* state, text, retry_in */
	IE_FOLDERS,		/* folders, nfolders: the whole list */
	IE_SELECTED,		/* folder, generation, the folder's counts */
	IE_SUMMARIES,		/* a chunk of rows for the selected folder */
	IE_FLAGS,		/* uid's flags changed (either side) */
	IE_EXPUNGED,		/* uids are gone */
	IE_PROGRESS,		/* done of total, text */
	IE_BODY,		/* data of uid */
	IE_SEARCH,		/* uids of folder matching query (text); for
				 * a search of all folders, one per folder
				 * with rows: the newest matches */
	IE_DONE,		/* command id finished: ok, or text says why */
	IE_NOTICE,		/* something the user should read, once */
	IE_SORTED,		/* uids of folder in the server's order */
	IE_PARTS,		/* parts: uid's MIME tree from BODYSTRUCTURE,
				 * holding the bodies its text needs (the
				 * chosen alternative, inline text, embedded
				 * headers) and the message header; text: a
				 * part was cut at the cap */
};

struct imap_event {
	enum imap_ev_type	 type;
	uint64_t		 id;
	uint64_t		 generation;
	char			*folder;
	char			*text;		/* human-readable, UTF-8 */
	bool			 ok;		/* IE_DONE */
	bool			 ask;		/* IE_DONE of IC_EXPUNGE without
						 * UIDPLUS: nothing done; a plain
						 * EXPUNGE would remove uids (all
						 * \Deleted, others' too): send it
						 * again naming them, plain set,
						 * if the user agrees */
	enum conn_state		 state;		/* IE_STATE */
	int			 retry_in;	/* IE_STATE, seconds */
	struct mail_folder	*folders;	/* IE_FOLDERS, IE_SELECTED (1) */
	size_t			 nfolders;
	struct msg_summary	*rows;		/* IE_SUMMARIES, IE_SEARCH */
	size_t			 nrows;
	uint32_t		*uids;		/* IE_EXPUNGED, IE_SEARCH, IE_SORTED */
	size_t			 nuids;
	uint32_t		 uid;		/* IE_FLAGS, IE_BODY */
	uint32_t		 flags;		/* IE_FLAGS */
	uint64_t		 done, total;	/* IE_PROGRESS */
	char			*data;		/* IE_BODY */
	size_t			 len;
	struct mail_part	*parts;		/* IE_PARTS: the tree's root; whoever
					 * takes it sets this to NULL */
};

void imap_event_free(struct imap_event **ev);

/* ---- the session ---- */

struct session_opts {
	const struct config	*cfg;
	const struct account	*acct;
	char			*password;	/* taken; wiped when done */
	bool			 offline;
};

/* Start the account's session thread; NULL and *err on failure. */
struct session *session_start(struct session_opts *o, char **err);
/* Queue a command (taken) and interrupt IDLE. */
void session_send(struct session *s, struct imap_cmd *cmd);
/* Readable when events are waiting. */
int session_event_fd(const struct session *s);
/* The next event, or NULL when none is waiting. */
struct imap_event *session_next_event(struct session *s);
/* Cancel whatever is running, log out, join the thread. Accepts NULL. */
void session_stop(struct session **s);

/* ---- quire --check-account ---- */

/* Connect and log in as the session would, then append a report to out:
 * the greeting, TLS and the certificate's fingerprint, the login, the
 * capabilities quire uses, every folder with its message and unseen
 * counts; then log out. Needs no terminal. Returns 0, or -1 with *err
 * (caller frees): what failed and what to do, with the fingerprint and how
 * to pin it when a certificate was refused. */
int imap_check_account(const struct config *cfg, const struct account *acct,
    const char *password, struct buf *out, char **err);

#endif
