/*
 * Private to src/imap: the session thread's state and the parts it is
 * split into.
 *
 *   queue.c	the command queue (UI to session) and the event queue
 *		(session to UI), each a mutex-guarded ring with a pipe that
 *		is readable while something waits
 *   seqmap.c	sequence number to UID map of the selected folder, with the
 *		last known flags and MODSEQ of each message (pure)
 *   uidset.c	UID sets: sorting, "1:5,7" formatting, batching, libetpan
 *		sets; the reconnect backoff schedule (pure)
 *   envelope.c	a FETCH response (msg_att) to a msg_summary (pure)
 *   session.c	the thread: connect, reconnect, the loop, command dispatch
 *   folders.c	LIST and STATUS
 *   fetch.c	SELECT, the summary backfill, new mail, bodies
 *   sync.c	unsolicited data (the harvest), flag resync, STORE, EXPUNGE,
 *		MOVE, COPY
 *   idle.c	IDLE, or NOOP polling without it
 *   search.c	SEARCH in one folder or all of them, SORT
 *   cache.c	the account's store seen from the session: the folder
 *		list, painting a folder from the cache, writing what the
 *		server says through to it, bodies, the sync state
 *   journal.c	the durable journal of the user's changes: written before
 *		a command goes, cleared after the OK, replayed on every
 *		(re)connect; and working offline
 *
 * Everything below the queues is touched by the session thread only.
 */
#ifndef QUIRE_SESSION_PRIV_H
#define QUIRE_SESSION_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap_priv.h"
#include "quire/imap.h"
#include "quire/mail.h"
#include "quire/store.h"
#include "quire/util.h"

/* ---- queue.c ---- */

/* A ring of pointers: push at either end, pop at the front. */
struct ring {
	void	**items;
	size_t	  head;
	size_t	  len;
	size_t	  cap;
};

/* Commands, UI to session. The pipe is readable while commands wait, so
 * IDLE can poll it beside the socket; the condition variable wakes the
 * session while it sleeps between reconnects. */
struct cmdq {
	pthread_mutex_t	 mtx;
	pthread_cond_t	 cond;
	struct ring	 ring;
	int		 wake[2];
	bool		 stopping;
};

int cmdq_init(struct cmdq *q, char **err);
/* Free the queue and every command still in it. */
void cmdq_destroy(struct cmdq *q);
/* Append (taken); wakes the session. */
void cmdq_push(struct cmdq *q, struct imap_cmd *cmd);
/* Put a command back at the head: it runs again first (after reconnect). */
void cmdq_push_front(struct cmdq *q, struct imap_cmd *cmd);
/* The first command, or NULL. */
struct imap_cmd *cmdq_pop(struct cmdq *q);
bool cmdq_empty(struct cmdq *q);
/* Readable while commands wait or once stopping. */
int cmdq_fd(const struct cmdq *q);
/* Ask the session to end; wakes every wait. */
void cmdq_stop(struct cmdq *q);
bool cmdq_stopping(struct cmdq *q);
/* Sleep until stopping, a command of this type is queued, or timeout_ms
 * (-1: no limit) passes; type -1 waits for the stop alone, CMDQ_ANY for
 * any command. True unless the time ran out. */
#define CMDQ_ANY	(-2)
bool cmdq_wait_for(struct cmdq *q, int type, int timeout_ms);

/* Events, session to UI; the pipe's read end is session_event_fd(). */
struct evq {
	pthread_mutex_t	 mtx;
	pthread_cond_t	 taken;		/* the reader popped one */
	struct ring	 ring;
	size_t		 rows;		/* of the IE_SUMMARIES queued */
	int		 pipe[2];
};

int evq_init(struct evq *q, char **err);
void evq_destroy(struct evq *q);
void evq_push(struct evq *q, struct imap_event *ev);
struct imap_event *evq_pop(struct evq *q);
/* Wait until the queued IE_SUMMARIES hold at most max rows, for up to
 * timeout_ms; false when the time ran out. */
bool evq_wait_rows(struct evq *q, size_t max, int timeout_ms);
int evq_fd(const struct evq *q);

/* A zeroed event of that type; imap_event_free() frees it. */
struct imap_event *imap_event_new(enum imap_ev_type type);

/* ---- seqmap.c ---- */

/* Sequence number n is index n - 1. A UID of 0 is not known yet (EXISTS
 * grew the folder, or the backfill has not reached it); known UIDs rise
 * with the index. */
struct seqmap {
	uint32_t	*uid;
	uint8_t		*flags;		/* MF_* as last seen */
	uint64_t	*modseq;	/* 0: not known */
	size_t		 n;
	size_t		 cap;
};
#define SEQMAP_NONE	((size_t)-1)

void seqmap_init(struct seqmap *m);
void seqmap_free(struct seqmap *m);
/* Grow with unknown entries, or cut the end off. */
void seqmap_resize(struct seqmap *m, size_t n);
/* The UID at seq, 0 when unknown or out of range. */
uint32_t seqmap_uid(const struct seqmap *m, uint32_t seq);
/* Record that seq holds uid. Returns 0, or -1 when that contradicts what
 * the map knows (another UID there, or the order broken): the map is out
 * of step and needs a rebuild. */
int seqmap_set(struct seqmap *m, uint32_t seq, uint32_t uid);
/* EXPUNGE seq: remove it and shift; returns its UID (0 unknown). */
uint32_t seqmap_expunge(struct seqmap *m, uint32_t seq);
void seqmap_remove_at(struct seqmap *m, size_t i);
/* The index of uid, or SEQMAP_NONE. */
size_t seqmap_find(const struct seqmap *m, uint32_t uid);
/* How many entries have a known UID below uid (for a fully known map:
 * the index where uid would go). */
size_t seqmap_count_below(const struct seqmap *m, uint32_t uid);

/* ---- uidset.c ---- */

/* Sort and drop duplicates and zeros in place; returns the new count. */
size_t uids_sort_unique(uint32_t *uids, size_t n);
/* Append "1:5,7,9:12" for sorted unique UIDs. */
void uidset_format(const uint32_t *uids, size_t n, struct buf *out);
/* Append the set of the longest prefix of sorted unique uids whose text
 * stays within maxlen bytes (at least one UID); returns how many it took. */
size_t uidset_format_some(const uint32_t *uids, size_t n, size_t maxlen,
    struct buf *out);
/* The same UIDs as a libetpan set (caller frees with mailimap_set_free). */
struct mailimap_set *uidset_to_mailimap(const uint32_t *uids, size_t n);
/* The UIDs of a libetpan set, sorted, at most max of them (a "*" end
 * stands for star); caller frees. */
uint32_t *uidset_from_mailimap(const struct mailimap_set *set, uint32_t star,
    size_t max, size_t *n);

/* Reconnect delay after `attempt` failures in a row: 1, 2, 4 ... 60 s,
 * times a factor in [0.8, 1.2] taken from r in [0, 1). Milliseconds. */
int backoff_ms(unsigned attempt, double r);

/* ---- envelope.c ---- */

/* What one FETCH response says, pointing into libetpan's msg_att. */
struct msg_item {
	uint32_t	 seq;
	uint32_t	 uid;		/* 0: not in the response */
	bool		 has_flags;
	uint32_t	 flags;		/* MF_* */
	uint64_t	 modseq;	/* 0: none */
	const struct mailimap_envelope *env;
	const struct mailimap_date_time *idate;
	bool		 has_size;
	uint32_t	 size;
	const char	*section;	/* a BODY[...] section's bytes */
	size_t		 section_len;
	bool		 has_section;
};

void msg_item_parse(const struct mailimap_msg_att *att, struct msg_item *it);
/* The summary from an item with an ENVELOPE and the HEADER.FIELDS
 * (References Content-Type) section; strings decoded to UTF-8. */
void summary_from_envelope(const struct msg_item *it, const char *fallback,
    struct msg_summary *out);
/* The summary from an item with only a HEADER.FIELDS section (From To Cc
 * Subject Date Message-ID References Content-Type): the fallback for an
 * ENVELOPE libetpan cannot parse. */
void summary_from_headers(const struct msg_item *it, const char *fallback,
    struct msg_summary *out);
/* The unfolded value of header field name in a header block; false when
 * the field is missing. */
bool header_field(const char *h, size_t n, const char *name, struct buf *out);
/* True for a Content-Type value of multipart/mixed. */
bool content_type_mixed(const char *value);
/* An RFC 5322 date, or an IMAP date-time, as seconds since the epoch
 * (UTC); 0 when unreadable. */
int64_t date_parse_rfc5322(const char *s);
int64_t date_from_imap(const struct mailimap_date_time *dt);

/* ---- the session ---- */

enum sx {
	SX_BROKEN = -1,		/* the connection is gone: reconnect */
	SX_OK = 0,
	SX_NO = 1,		/* the server said NO or BAD: s->no_text */
};

enum fetch_mode {
	FM_NONE,		/* unsolicited data only */
	FM_SUMMARY,		/* collect rows */
	FM_BODY,		/* collect one section */
	FM_REBUILD,		/* fill a new map, report flag changes */
	FM_COLLECT,		/* collect UIDs and flags (STORE MODIFIED) */
};

/* A FETCH without UID waits for the end of its response: its sequence
 * number means something only once the EXPUNGEs before it are known. */
struct seqflags {
	uint32_t	 seq;
	uint32_t	 flags;
	uint64_t	 modseq;
};

/* What the FETCH handler fills, by mode. */
struct fetchctx {
	enum fetch_mode	 mode;
	bool		 headers_only;	/* FM_SUMMARY from the fallback */
	uint32_t	 min_uid;	/* FM_SUMMARY: drop rows below */
	struct msg_summary *rows;
	size_t		 nrows;
	size_t		 caprows;
	uint32_t	 uid;		/* FM_BODY: the message */
	struct buf	 body;
	bool		 got_body;
	struct seqmap	*rebuild;	/* FM_REBUILD: the new map */
	size_t		 cursor;	/* ... and a walk of the old one */
	uint32_t	*cuids;		/* FM_COLLECT */
	uint32_t	*cflags;
	size_t		 ncollect;
	size_t		 capcollect;
	struct seqflags	*pend;		/* seq-only FETCHes this response */
	size_t		 npend;
	size_t		 cappend;
};

/* The selected folder. */
struct sel {
	char		*name;		/* UTF-8; NULL when none */
	char		*raw;		/* as the server writes it */
	uint64_t	 generation;	/* of the IC_SELECT that opened it */
	uint32_t	 uidvalidity;
	uint32_t	 uidnext;	/* summaries are known below it */
	uint64_t	 hms;		/* HIGHESTMODSEQ as last told */
	uint32_t	 exists;
	bool		 readonly;	/* [READ-ONLY]: no flag can change */
	uint32_t	 permflags;	/* MF_* the server keeps (PERMANENTFLAGS) */
	struct seqmap	 map;

	/* backfill: summaries of seqs 1..bf_top are still to fetch */
	uint32_t	 bf_top;
	uint32_t	 bf_lo;		/* the chunk in flight starts here */
	uint32_t	 bf_chunk;	/* its size */
	uint32_t	 bf_floor;	/* the lowest UID sent; UINT32_MAX none */
	uint64_t	 bf_done;
	uint64_t	 bf_total;
	uint32_t	 bad_size;	/* bisecting: the size that failed */
	uint32_t	 bad_lo;	/* ... the range's lowest seq */
	unsigned	 bad_count;	/* parse failures in this folder */
	unsigned	 new_fail;	/* parse failures of the new-mail fetch */

	bool		 need_new;	/* EXISTS grew */
	bool		 need_rebuild;	/* the map is out of step */
	bool		 need_reselect;	/* after a reconnect or a detour */
	uint64_t	 hms_pending;	/* from the re-select, once resynced */

	/* painted from the cache (cache.c) */
	bool		 warm;		/* the map was the cache's UIDs */
	uint32_t	*holes;		/* UIDs to fetch by UID, ascending;
					   the newest go first */
	size_t		 nholes;
	uint32_t	 saved_uidnext;	/* the sync state last stored */
	uint64_t	 saved_hms;
};

/* What the server said, waiting to be written to the store in one
 * transaction per kind (cache_flush). */
struct cachebuf {
	struct store_flag_update *flags;
	size_t		 nflags;
	size_t		 capflags;
	uint32_t	*gone;
	size_t		 ngone;
	size_t		 capgone;
};

struct folderlist {
	struct mail_folder *v;
	size_t		 n;
	size_t		 status_next;	/* the STATUS crawl's position */
	bool		 crawling;
	bool		*dirty;		/* changed here: STATUS it soon */
	int64_t		 status_due;	/* monotonic ms of the next crawl */
};

struct session {
	pthread_t	 thread;
	struct cmdq	 cmds;
	struct evq	 events;
	pthread_mutex_t	 conn_mtx;	/* guards c, opening, stop_requested */
	struct conn	*c;
	struct wire	*opening;	/* conn_open() in progress */
	bool		 stop_requested;

	/* copied at start */
	struct account	 acct;
	char		*password;
	char		*fallback_charset;
	bool		 offline;
	bool		 trace;

	/* the thread's own */
	enum conn_state	 state;
	unsigned	 attempt;	/* failed connections in a row */
	char		*broken;	/* why the connection was dropped */
	const char	*doing;		/* the command running, for messages */
	char		*no_text;	/* the server's text of the last NO */
	bool		 parse_failed;	/* the drop was a parse error */
	bool		 retry_now;	/* ... in a FETCH we will go around:
					 * reconnect without waiting */
	bool		 detour;	/* another folder is selected for a
					 * command; the harvest ignores it */
	struct sel	 sel;
	struct folderlist fl;
	struct fetchctx	 fx;
	char		*cur_raw;	/* the folder the server has selected */
	bool		 selecting;	/* a SELECT runs: no harvest */
	bool		 uid_only;	/* FETCHes name messages by UID alone:
					 * their sequence numbers may be ahead
					 * of the map (VANISHED comes later) */
	uint32_t	*modified;	/* the last MODIFIED response code */
	size_t		 nmodified;
	struct imap_cmd	*cur;		/* a command that broke the link */
	unsigned	 cur_tries;
	bool		 toggle;	/* backfill and STATUS take turns */
	uint64_t	 rand_state;

	/* the cache and the journal (cache.c, journal.c) */
	struct store	*store;		/* NULL: no cache, no journal */
	uint64_t	 body_budget;	/* body_cache_size */
	enum store_order order;		/* the index's sort, for the paint */
	unsigned	 order_flags;	/* SL_REVERSE */
	struct cachebuf	 cb;
	struct pending	*jr;		/* the journal's entries, in order */
	size_t		 njr;
	size_t		 capjr;
	struct jr_wait {		/* commands cut off by a broken link:
					 * IE_DONE once the replay settles
					 * their entries */
		struct imap_cmd	*cmd;
		int64_t		*ids;
		size_t		 n;
	}		*jw;
	size_t		 njw;
	bool		 replay_due;	/* the journal waits to be sent */
	int64_t		 jr_fail_id;	/* the entry that last broke the link */
	unsigned	 jr_fail_count;	/* ... and how many times in a row */
	bool		 last_ok;	/* the last IE_DONE's verdict */
	char		*last_why;	/* ... and its text */
	struct wire_stats wire_total;	/* of the connections closed */
	size_t		 untrimmed;	/* rows sent since malloc_trim */
	const char	*crash_step;	/* QUIRE_TEST_CRASH_AT: test only */
	char		 crash_buf[32];
	unsigned	 crash_n;
	unsigned	 crash_count;
};

/* session.c */
int64_t mono_ms(void);
void ev_send(struct session *s, struct imap_event *ev);
void ev_state(struct session *s, enum conn_state st, const char *text,
    int retry_in);
void ev_done(struct session *s, const struct imap_cmd *cmd, bool ok,
    const char *fmt, ...) QUIRE_PRINTF(4, 5);
void ev_notice(struct session *s, const char *fmt, ...) QUIRE_PRINTF(2, 3);
/* Classify libetpan's result r of a command, then harvest what came with
 * it. SX_BROKEN records the reason in s->broken. */
enum sx sx_after(struct session *s, int r);
/* A folder name for the server: checked and in modified UTF-7, or NULL
 * with *why set (static text). */
char *folder_raw(struct session *s, const char *name, const char **why);
/* Make cmd->folder the server's selected folder (a detour when it is not
 * the user's); SX_NO with IE_DONE sent when the command cannot run. */
enum sx ensure_folder(struct session *s, struct imap_cmd *cmd);

/* folders.c */
enum sx folders_list(struct session *s);
/* The whole list to the UI (IE_FOLDERS). */
void folders_emit(struct session *s);
/* One STATUS of the crawl; false when there was nothing to do. */
bool folders_crawl_due(struct session *s);
enum sx folders_crawl_step(struct session *s);
/* STATUS of one folder now (after a change), then IE_FOLDERS. */
enum sx folders_refresh(struct session *s, const char *name);
const struct mail_folder *folders_find(const struct session *s,
    const char *name);
/* Ask for a STATUS of name soon (its counts changed). */
void folders_mark_dirty(struct session *s, const char *name);
void folders_free(struct folderlist *fl);

/* fetch.c */
enum sx sel_open(struct session *s, struct imap_cmd *cmd);
enum sx sel_reselect(struct session *s);
enum sx sel_backfill_step(struct session *s);
enum sx sel_fetch_new(struct session *s);
enum sx cmd_fetch_body(struct session *s, struct imap_cmd *cmd);
/* "", "1.2", "1.2.TEXT", "HEADER", "3.MIME"... as a libetpan section;
 * NULL when the text is none of those. */
struct mailimap_section *section_parse(const char *spec);
/* Summaries of set (taken) into s->fx.rows: FETCH, or UID FETCH when
 * uid; from the header fields alone when headers_only. */
enum sx fetch_rows(struct session *s, struct mailimap_set *set, bool uid,
    bool headers_only, uint32_t min_uid);
/* Plain SELECT of raw (CONDSTORE and QRESYNC when offered). */
enum sx select_raw(struct session *s, const char *raw, uint64_t *hms);
void sel_clear(struct sel *sel);
/* libetpan's progress callback; it must be set for the handler to run. */
void fetch_progress(size_t done, size_t total, void *ctx);
void fx_reset(struct fetchctx *fx);
struct mailimap_fetch_type *fetch_type_summary(struct session *s,
    bool headers_only);

/* sync.c */
void sync_handler(struct mailimap_msg_att *att, void *ctx);
void harvest(struct session *s);
enum sx sync_rebuild(struct session *s);
/* After a re-select or on IC_SYNC, when the map is whole: nothing when the
 * SELECT shows nothing changed, else the changes since HIGHESTMODSEQ
 * (QRESYNC, or CONDSTORE and a UID SEARCH for expunges); else a rebuild. */
enum sx sync_resync(struct session *s);
enum sx cmd_sync(struct session *s, struct imap_cmd *cmd);
enum sx cmd_store(struct session *s, struct imap_cmd *cmd);
enum sx cmd_expunge(struct session *s, struct imap_cmd *cmd);
enum sx cmd_move(struct session *s, struct imap_cmd *cmd);
enum sx cmd_copy(struct session *s, struct imap_cmd *cmd);
/* IE_FLAGS for uid when it differs from what the map (or the UI) has. */
void flags_seen(struct session *s, uint32_t uid, uint32_t flags,
    uint64_t modseq, bool always);

/* body.c: BODYSTRUCTURE, then the sections the text needs (IE_PARTS) */
enum sx cmd_fetch_parts(struct session *s, struct imap_cmd *cmd);
/* Serve IC_FETCH_PARTS from the body cache: IE_PARTS with the tree parsed
 * from the cached message, and IE_DONE. False on a miss (nothing sent). */
bool parts_from_cache(struct session *s, struct imap_cmd *cmd);

/* idle.c */
enum sx idle_wait(struct session *s);

/* search.c */
enum sx cmd_search(struct session *s, struct imap_cmd *cmd);
enum sx cmd_sort(struct session *s, struct imap_cmd *cmd);

/* session.c */
/* Log the wire's counters so far, all connections together (at
 * LL_DEBUG): what a warm open costs on the network. */
void wire_log(struct session *s, const char *when);
/* session.c, for the journal */
/* The function that runs a command of this type; NULL unknown. */
enum sx (*cmd_runner(enum imap_cmd_type type))(struct session *,
    struct imap_cmd *);

/* cache.c */
/* Open the account's store (a notice once if it was rebuilt) and load
 * the folder list and the journal from it; without it quire still runs,
 * with no cache. */
void cache_open(struct session *s);
void cache_close(struct session *s);
/* The folder list as LIST gave it: saved, and folders gone from the
 * server forgotten (with their pending changes, reported). */
void cache_folders_save(struct session *s);
/* One folder's STATUS counts. */
void cache_folder_status(struct session *s, const struct mail_folder *f);
/* Paint cmd->folder from the store before any round trip: IE_SELECTED
 * from the stored counts, IE_SUMMARIES with the first screen first, and
 * the cached UIDs as the sequence map to reconcile. False when the
 * folder is not cached (nothing sent). */
bool cache_paint(struct session *s, const struct imap_cmd *cmd,
    const char *raw);
/* The selected folder as the server just described it: make sure the
 * store knows it under this UIDVALIDITY, dropping its cache and its
 * pending changes for another one. Returns how many were dropped, or
 * -1 when the store had no UIDVALIDITY for it yet (nothing dropped). */
long cache_folder_begin(struct session *s, const char *name,
    const char *raw, uint32_t uidvalidity);
/* Summaries, flags and expunges of the selected folder, to the store. */
void cache_rows(struct session *s, const struct msg_summary *rows, size_t n);
void cache_flags(struct session *s, uint32_t uid, uint32_t flags,
    uint64_t modseq);
void cache_gone(struct session *s, const uint32_t *uids, size_t n);
/* Write what waits in s->cb. */
void cache_flush(struct session *s);
/* Record UIDNEXT and HIGHESTMODSEQ once every summary below UIDNEXT is
 * stored: the next start then reconciles from there. */
void cache_save_sync(struct session *s);
/* Serve a whole-message IC_FETCH_BODY from the body cache: IE_BODY and
 * IE_DONE. False on a miss (nothing sent). */
bool cache_body_get(struct session *s, const struct imap_cmd *cmd);
/* The cached bytes of cmd's one message (cmd names no section) into
 * *data (caller frees) and *len; false on a miss. */
bool cache_body_read(struct session *s, const struct imap_cmd *cmd,
    char **data, size_t *len);
void cache_body_put(struct session *s, const struct imap_cmd *cmd,
    const char *data, size_t len);
/* The UIDVALIDITY cmd's UIDs belong to (its own, the selected folder's
 * or the stored one), 0 when none is known. */
uint32_t cmd_validity(struct session *s, const struct imap_cmd *cmd);

/* journal.c */
/* Run a change (IC_STORE, IC_EXPUNGE, IC_MOVE, IC_COPY) through the
 * journal: committed before it is sent, cleared after the server's
 * answer, left for the replay when the link breaks or while offline (its
 * IE_DONE then waits for the replay; under --offline it comes at once).
 * Takes cmd. */
enum sx jr_command(struct session *s, struct imap_cmd *cmd);
bool jr_kind_of(enum imap_cmd_type type);
/* Free the commands still waiting for a replay (at the end). */
void jr_wait_free(struct session *s);
/* Send what the journal holds, oldest first (start-up, reconnect). */
enum sx jr_replay(struct session *s);
/* The flags the user sees: the server's with the journal's deltas for
 * the selected folder applied; false when a pending expunge or move
 * hides the message. */
bool jr_overlay(struct session *s, uint32_t uid, uint32_t *flags);
/* Forget the journal's entries of folder under other UIDVALIDITYs (the
 * store dropped them), or all of them when uidvalidity is 0. */
void jr_forget(struct session *s, const char *folder, uint32_t uidvalidity);
/* Serve a command without a connection: folders and summaries from the
 * store, bodies from the body cache, changes into the journal. True when
 * served (cmd taken); false leaves cmd to the caller, to run once
 * connected, unless final (--offline), when everything is answered. */
bool offline_command(struct session *s, struct imap_cmd *cmd, bool final);
/* Test only: QUIRE_TEST_CRASH_AT=STEP:N kills the process with SIGKILL
 * the Nth time the journal reaches STEP (before-journal, after-journal,
 * after-send, after-ok), for the kill test. */
void crash_point(struct session *s, const char *step);
void crash_logger_install(struct session *s);

#endif
