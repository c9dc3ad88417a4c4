/*
 * Private to src/ui: the pieces of the screen, split so that everything but
 * the painting can be tested without a terminal.
 *
 *   list.c    one list widget (folders, index, help, later attachments):
 *             cursor and top as positions, the cursor's stable id, and a
 *             draw step that visits the visible rows only;
 *   model.c   the view model fed by engine events: folders, the index of
 *             the selected folder keyed by UID, connection state, progress,
 *             the optimistic flag changes, the commands to send (outbox);
 *   format.c  pure text: dates, sizes, flag columns, index rows, layout;
 *   prompt.c  the one-line editor of the prompts;
 *   ops.c     the key dispatch: key -> operation -> preconditions ->
 *             handler, over a table indexed by enum op;
 *   draw.c    curses: windows, colours, the repaint of dirty panes;
 *   ui.c      the loop: terminal, signals, engine events, input.
 *
 * Only draw.c and ui.c call curses. The model never sends anything itself:
 * it queues commands that the loop hands to the session (or drops when
 * there is none).
 */
#ifndef QUIRE_UI_PRIV_H
#define QUIRE_UI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "quire/config.h"
#include "quire/imap.h"
#include "quire/mail.h"
#include "quire/util.h"

/* ---- list.c ---- */

/* How a list finds its rows by id; ctx is the list's owner. */
struct list_keys {
	uint64_t	(*id_at)(const void *ctx, size_t pos);
	bool		(*find)(const void *ctx, uint64_t id, size_t *pos);
};

struct list {
	size_t			 count;		/* rows */
	size_t			 cursor;	/* position of the cursor row */
	size_t			 top;		/* first visible position */
	size_t			 height;	/* visible rows, 0 when hidden */
	uint64_t		 id;		/* the cursor row's stable id */
	bool			 has_id;
	const struct list_keys	*keys;		/* NULL: positions only */
	const void		*ctx;
};

typedef void list_draw_fn(void *ctx, size_t pos, size_t y, bool cursor);

void list_init(struct list *l, const struct list_keys *keys,
    const void *ctx);
/* The pane is height rows now; the cursor stays visible. */
void list_set_height(struct list *l, size_t height);
/* Move the cursor by delta rows, clamped; scrolls as little as it can. */
void list_move(struct list *l, long delta);
/* A page down (dir > 0) or up, as mutt does: the view moves a page and the
 * cursor with it. */
void list_page(struct list *l, int dir);
void list_first(struct list *l);
void list_last(struct list *l);
/* Put the cursor on pos, scrolling as little as it can. */
void list_goto(struct list *l, size_t pos);
/* Scroll the view by delta rows (the wheel); the cursor stays in view. */
void list_scroll(struct list *l, long delta);
/* The rows changed: count rows now; the cursor follows its id, keeping its
 * screen line when it can; when the id is gone, it goes to fallback. */
void list_refresh(struct list *l, size_t count, size_t fallback);
/* The position shown on screen line y of the pane, if any. */
bool list_hit(const struct list *l, size_t y, size_t *pos);
/* Call fn for each visible row, top to bottom: O(height). */
void list_draw(const struct list *l, list_draw_fn *fn, void *ctx);

/* ---- strpool.c ---- */

/* Strings in one growable array, addressed by 32-bit offsets; offset 0
 * is no string. Interned strings are stored once. */
struct strpool {
	char		*data;
	size_t		 len, cap;	/* bytes used, allocated */
	uint32_t	*set;		/* offsets of interned strings, by
					 * hash; 0 empty */
	size_t		 nset, setcap;	/* setcap: a power of two, or 0 */
};

void strpool_init(struct strpool *p);
void strpool_free(struct strpool *p);
/* Copy s into the pool, or find it there; returns its offset, 0 for
 * NULL. */
uint32_t strpool_add(struct strpool *p, const char *s);

/* The string at off, NULL for 0; valid until the pool is freed. */
static inline const char *
strpool_get(const struct strpool *p, uint32_t off)
{
	return off == 0 ? NULL : p->data + off;
}

/* ---- model.c ---- */

#define ROW_USER_DELETED 0x01	/* this user set \Deleted in this session */
#define ROW_MATCH	0x02	/* in the search result */
#define ROW_TOUCHED	0x04	/* scratch: in the chunk being merged */

/* The strings of a row, as offsets into the model's pool. No
 * Message-ID or References: the index never shows them, and h shows
 * them from the message's own header (pager.c), so at 100,000 rows
 * they were 5 MB held for nothing (model.c). */
enum row_str { RS_FROM, RS_TO, RS_CC, RS_SUBJECT, RS_COUNT };

/* The numbers of a summary, under the names struct msg_summary gives
 * them; its strings are in struct ui_row's str. */
struct row_msg {
	int64_t		 date;		/* the Date: header, UTC; 0 unknown */
	int64_t		 internal_date;
	uint64_t	 modseq;
	uint32_t	 uid;
	uint32_t	 flags;		/* MF_* */
	uint32_t	 size;
};

/* One index row: 64 bytes, and no allocation of its own. */
struct ui_row {
	struct row_msg		 m;
	uint32_t		 str[RS_COUNT];	/* offsets in model.pool */
	uint32_t		 uidvalidity;	/* of the folder view it came in */
	uint8_t			 mark;		/* ROW_* */
};

/* One row of a search of all folders. */
struct result {
	char			*folder;
	struct msg_summary	 m;
};

/* UID -> arena slot, open addressing; UID 0 is never valid, so 0 is the
 * empty key. */
struct uid_map {
	uint32_t	*keys;
	uint32_t	*vals;
	size_t		 cap;		/* a power of two, or 0 */
	size_t		 n;
};

/* A flag change sent and not yet answered: reverted if it fails. */
struct pending {
	uint64_t	 id;
	uint32_t	 uid;
	uint32_t	 add;
	uint32_t	 remove;
	uint8_t		 mark;		/* the row's ROW_* before */
};

/* A command sent and not yet done, to word its outcome. */
struct sent {
	uint64_t		 id;
	enum imap_cmd_type	 type;
	size_t			 nuids;
	char			*name;		/* the folder or target */
};

/* Dirty bits: what the next repaint has to draw. */
#define DIRTY_FOLDERS	0x01
#define DIRTY_INDEX	0x02
#define DIRTY_PAGER	0x04
#define DIRTY_STATUS	0x08
#define DIRTY_MESSAGE	0x10
#define DIRTY_LAYOUT	0x20	/* sizes changed: rebuild the windows */
#define DIRTY_ALL	0x3f

struct model {
	const struct config	*cfg;

	/* The folder list, sorted INBOX first, then by name. */
	struct mail_folder	*folders;
	size_t			 nfolders;
	struct list		 flist;

	/* The selected folder's view. */
	char			*folder;	/* NULL: none selected */
	unsigned		 folder_attrs;	/* FA_* */
	uint64_t		 generation;
	uint32_t		 uidvalidity;
	uint32_t		 total;		/* the server's count */
	uint32_t		 unseen_hint;	/* the server's unseen count */
	struct ui_row		*rows;		/* arena, in no order */
	size_t			 nrows, caprows;
	struct strpool		 pool;		/* the rows' strings */
	size_t			 pool_dead;	/* rows replaced or gone since
						 * the pool was last rebuilt */
	size_t			 nunseen;	/* rows without \Seen */
	struct uid_map		 map;
	uint32_t		*order;		/* arena slots, sorted */
	uint32_t		*shown;		/* order, filtered by search */
	uint32_t		*pos;		/* arena slot -> shown position */
	size_t			 nshown;
	bool			 filtered;
	char			*filter_query;
	struct list		 index;
	uint32_t		 want_uid;	/* put the cursor here once it
						 * comes (opened from a result) */
	enum sort_key		 sort;
	bool			 sort_reverse;

	/* The search (search.c): the server's matches, sorted, kept so that
	 * rows arriving later join the filtered view. */
	uint32_t		*match;
	size_t			 nmatch;
	uint64_t		 search_id;	/* in flight, 0 none */
	bool			 search_all;	/* ... of every folder */
	bool			 search_local;	/* the view came from the cache */
	bool			 search_approx;	/* ... and may differ from the
						 * server's (query_approximate) */
	bool			 search_union;	/* the one in flight adds to the
						 * matches (after IE_FLAGS) */
	bool			 research;	/* flags changed: again after it */
	bool			 cursor_saved;
	uint32_t		 pre_search_uid; /* the cursor before */

	/* A search of all folders: one list with a folder column. */
	struct result		*results;
	size_t			 nresults, capresults;
	size_t			 results_matches; /* also those not listed */
	size_t			 results_folders;
	bool			 results_on;	/* the index shows them */
	struct list		 rlist;

	/* The server's order (IE_SORTED): UID -> rank. */
	struct uid_map		 rank;
	bool			 ranked;
	uint64_t		 sort_id;	/* IC_SORT in flight */
	bool			 sort_asked;	/* for this generation */
	uint32_t		 sort_server_max; /* larger folders sort here
						 * (SORT_SERVER_MAX) */

	/* Flag changes on their way, for revert. */
	struct pending		*pending;
	size_t			 npending, cappending;
	struct sent		*sent;
	size_t			 nsent, capsent;
	uint64_t		 last_done;	/* id of the last IE_DONE */
	bool			 last_ok;

	/* Connection, progress, last message. */
	enum conn_state		 state;
	char			*state_text;
	time_t			 retry_at;	/* CS_WAITING: when */
	uint64_t		 progress_done, progress_total;
	char			*progress_text;
	char			*message;
	bool			 message_error;

	/* Commands to send, in order; the loop drains it. */
	struct ptrarray		 outbox;
	uint64_t		 next_id;
};

void model_init(struct model *m, const struct config *cfg);
void model_free(struct model *m);
/* Apply one engine event; its rows and folders are taken (the event is
 * left for the caller to free). Returns DIRTY_* bits. */
unsigned model_event(struct model *m, struct imap_event *ev, time_t now);

/* Queue a command; returns its id. */
uint64_t model_send(struct model *m, struct imap_cmd *cmd);
/* Open folder: a new generation, an empty index, IC_SELECT queued. */
void model_select(struct model *m, const char *folder);

/* The row under the index cursor, or NULL. */
struct ui_row *model_cursor_row(const struct model *m);
/* The row at a shown position. */
struct ui_row *model_row_at(const struct model *m, size_t pos);
struct ui_row *model_row_by_uid(const struct model *m, uint32_t uid);
/* One of r's strings, NULL when it has none; valid until the next event. */
const char *model_row_str(const struct model *m, const struct ui_row *r,
    enum row_str which);
/* r as a summary, for the functions that take one (format_row,
 * query_match): its strings are the pool's, valid until the next event;
 * never free or change them. */
void model_row_view(const struct model *m, const struct ui_row *r,
    struct msg_summary *out);
/* The folder under the folder cursor, or NULL. */
const struct mail_folder *model_cursor_folder(const struct model *m);
const struct mail_folder *model_folder_by_name(const struct model *m,
    const char *name);

/* Optimistic flag change on the cursor row: change it now, queue IC_STORE
 * with the deltas; false if nothing changed. */
bool model_set_flags(struct model *m, struct ui_row *r, uint32_t add,
    uint32_t remove);
/* UIDs this user marked deleted that are still marked; caller frees. */
uint32_t *model_user_deleted(const struct model *m, size_t *n);
/* Queue IC_EXPUNGE of exactly those UIDs; returns its id, 0 if none. */
uint64_t model_expunge(struct model *m);
/* Counts for the status line. */
void model_counts(const struct model *m, size_t *msgs, size_t *unread);
/* Show only these UIDs (a search result); NULL, 0 and false clears. */
void model_filter(struct model *m, const uint32_t *uids, size_t n,
    bool on);
/* Change the sort order; the cursor stays on its message. A server
 * order (IE_SORTED) is dropped. */
void model_sort(struct model *m, enum sort_key key, bool reverse);
/* The filtered view again from m->match (rows that came since join);
 * the cursor stays on its message if it is shown. */
void model_refilter(struct model *m);
/* The arena slot of uid; false when there is no such row. */
bool model_slot(const struct model *m, uint32_t uid, uint32_t *slot);
/* Put the server's order in force: uids[i] has rank i. */
void model_set_rank(struct model *m, const uint32_t *uids, size_t n);

/* ---- search.c ---- */

/* Run the query text: parse it (an error returns -1 with *err, caller
 * frees, and *err_pos, its byte offset); an empty text shows the whole
 * folder again. online: send it to the server (all: every folder), else
 * match the cached rows. Returns 0. */
int model_search(struct model *m, const char *text, bool all, bool online,
    time_t now, char **err, size_t *err_pos);
/* Esc: the whole folder again, the cursor on the same message if it was
 * among the matches, else where it was before the search. */
void model_unfilter(struct model *m);
/* IE_SEARCH, IE_SORTED and the IE_DONE of a search or sort. */
unsigned model_search_event(struct model *m, struct imap_event *ev);
/* A flag changed on the server while the view is filtered: search again
 * (rows that start to match join; none leaves, as with mutt's limit). */
void model_search_flags(struct model *m);
/* Drop the results of a search of all folders. */
void model_results_free(struct model *m);
/* The result under the results cursor, or NULL. */
const struct result *model_result_at(const struct model *m, size_t pos);
/* The largest folder whose order is asked of the server while it loads
 * (search.c says why). */
#define SORT_SERVER_MAX	100000
/* Ask the server for the folder's order when its rows are not all here,
 * it is not arrival order and the folder is no larger than
 * m->sort_server_max; false when nothing was sent. */
bool model_sort_server(struct model *m);
/* The status line's search part ("47 of 100,000 match"). */
void model_search_status(const struct model *m, struct buf *out);
/* Set the last message (printf-style); errors show in their colour. */
void model_message(struct model *m, bool error, const char *fmt, ...)
    QUIRE_PRINTF(3, 4);

/* ---- format.c ---- */

enum col_kind { COL_FLAGS, COL_DATE, COL_FROM, COL_TO, COL_SIZE,
    COL_SUBJECT };

struct column {
	enum col_kind	 kind;
	size_t		 width;		/* 0: takes what is left */
};

#define MAX_COLUMNS 16

/* Parse index_format ("flags date from:20 size subject") into cols;
 * returns how many. Unknown words are skipped (config checked them). */
size_t format_columns(const char *spec, struct column *cols, size_t max);
/* "14:05" today, "Mar 03" this year, "2024-03-03" before, in local time;
 * "" for 0. */
void format_date(struct buf *out, int64_t t, time_t now);
/* The long form for the pager: "Sun, 03 Mar 2024 14:05 +0000". */
void format_date_long(struct buf *out, int64_t t);
/* "999", "4.2K", "42K", "1.1M", "3.0G". */
void format_size(struct buf *out, uint64_t bytes);
/* Four columns: N or D, !, r, @. */
void format_flags(struct buf *out, uint32_t flags);
/* 1,234,567 */
void format_count(struct buf *out, uint64_t n);
/* One index row fitted to exactly width columns. sent: show the
 * recipient instead of the sender. */
void format_row(struct buf *out, const struct msg_summary *m,
    const struct column *cols, size_t ncols, size_t width, time_t now,
    bool sent);
/* Untrusted text, made safe and fitted to exactly cols columns. */
void format_fit(struct buf *out, const char *s, size_t cols);

/* Where the panes go, from the terminal size and the view state. */
struct rect {
	int	 y, x, h, w;		/* h == 0: not shown */
};

struct layout_in {
	int		 rows, cols;
	int		 folder_width;
	enum layout	 layout;
	bool		 pager_open;	/* a message is open in the pager */
};

struct layout_out {
	bool		 too_small;
	struct rect	 folders, vline, index, hline, pager, status, message;
};

#define MIN_COLS 20
#define MIN_ROWS 5

void layout_compute(const struct layout_in *in, struct layout_out *out);

/* ---- prompt.c ---- */

struct prompt {
	struct buf	 text;		/* UTF-8, no control characters */
	size_t		 cursor;	/* byte offset */
	bool		 pasting;	/* inside a bracketed paste */
};

enum prompt_result { PR_EDITING, PR_DONE, PR_CANCEL, PR_REFUSED };

void prompt_init(struct prompt *p, const char *initial);
void prompt_free(struct prompt *p);
/* Feed one key (a QKEY code or a code point); PR_REFUSED for CR, LF, NUL
 * and other controls typed or pasted: the caller says why. */
enum prompt_result prompt_key(struct prompt *p, uint32_t key);
/* Complete the text from names: the longest common prefix of the names
 * that start with it; returns how many names matched. */
size_t prompt_complete(struct prompt *p, const char *const *names,
    size_t n);

/* Keys of a bracketed paste, as ui.c defines them for curses. */
#define UIKEY_PASTE_START	(QKEY_BASE + 0x200)
#define UIKEY_PASTE_END		(QKEY_BASE + 0x201)
#define UIKEY_MOUSE		(QKEY_BASE + 0x202)
#define UIKEY_RESIZE		(QKEY_BASE + 0x203)
/* The codes ui.c gives those sequences in curses (define_key). */
#define UI_CURSES_PASTE_START	(KEY_MAX + 1)
#define UI_CURSES_PASTE_END	(KEY_MAX + 2)

/* ---- ops.c ---- */

enum pane { PANE_FOLDERS, PANE_INDEX, PANE_PAGER };
enum mode { MODE_NORMAL, MODE_PROMPT, MODE_CONFIRM, MODE_HELP };

enum prompt_kind { PK_FOLDER, PK_MOVE, PK_COPY, PK_SEARCH, PK_SEARCH_ALL,
    PK_FIND, PK_SAVE, PK_PIPE };
enum confirm_kind { CK_EXPUNGE, CK_QUIT, CK_LEAVE, CK_SORT, CK_OVERWRITE,
    CK_PLAIN };

/* Everything the screen shows, with no curses in it. */
struct ui_state {
	const struct config	*cfg;
	const struct account	*acct;
	bool			 has_session;
	bool			 offline;	/* --offline: the cache only */
	struct model		 m;
	struct pager		*pager;		/* pager.h */
	enum pane		 focus;
	enum layout		 layout;
	bool			 pager_open;
	bool			 pager_all;	/* every header */
	size_t			 pager_top;
	size_t			 pager_height;
	enum mode		 mode;
	enum prompt_kind	 pkind;
	struct prompt		 prompt;
	size_t			 err_col;	/* the query's error column,
						 * 1-based; 0 none */
	enum confirm_kind	 ckind;
	size_t			 cnum;		/* the N in the question */
	char			*leave_to;	/* CK_LEAVE: the folder next */
	uint32_t		*others;	/* CK_PLAIN: the \Deleted UIDs a
						 * plain EXPUNGE also removes */
	size_t			 nothers;
	bool			 plain_quit;	/* CK_PLAIN: then quit */
	struct list		 help;
	struct buf		*help_lines;
	size_t			 nhelp;
	enum view		 help_view;
	uint64_t		 quit_after;	/* quit when this id is done */
	unsigned		 dirty;		/* DIRTY_* */
	bool			 clear;		/* Ctrl-L: redraw every cell */
	bool			 quit;
};

void ui_state_init(struct ui_state *s, const struct config *cfg,
    const struct account *acct, bool has_session);
void ui_state_free(struct ui_state *s);
/* The view whose bindings apply to the focused pane. */
enum view ui_focus_view(const struct ui_state *s);
/* Handle one key (a QKEY code or code point). */
void ui_key(struct ui_state *s, uint32_t key);
/* Run op as if its key was pressed: preconditions, then the handler.
 * Returns false (with a message) when a precondition failed. */
bool ui_run_op(struct ui_state *s, enum op op);
/* Apply an engine event (taken); it may finish a pending quit. */
void ui_event(struct ui_state *s, struct imap_event *ev, time_t now);
/* A mouse click, double click or wheel on pane at line y of it. */
void ui_click(struct ui_state *s, enum pane pane, size_t y, bool dbl);
void ui_wheel(struct ui_state *s, enum pane pane, int dir);
/* The header block of the cursor message from its summary, one safe
 * line per field; the pager (pager.c) puts the body under it. */
size_t ui_pager_lines(const struct ui_state *s, struct buf **lines);
/* The help screen's lines for view v; caller frees each and the array. */
size_t ui_help_lines(const struct config *cfg, enum view v,
    struct buf **lines);
/* The sort chooser's question (o). */
void ui_sort_question(const struct ui_state *s, struct buf *out);
/* The question before a plain EXPUNGE (CK_PLAIN). */
void ui_plain_question(const struct ui_state *s, struct buf *out);
/* The connection state as the status line says it. */
void ui_conn_text(const struct model *m, time_t now, struct buf *out);
/* The whole status line: account, folder and counts, connection,
 * progress. */
void ui_status_line(const struct ui_state *s, time_t now, struct buf *out);
/* A curses key as get_wch gives it (is_key: KEY_CODE_YES) to a QKEY code
 * or code point; 0 when it means nothing to us. */
uint32_t ui_key_from_curses(bool is_key, uint32_t c);

/* ---- draw.c ---- */

struct screen;
struct screen *screen_new(const struct config *cfg);
void screen_free(struct screen **sc);
/* Repaint what s->dirty names, then one doupdate(). */
void screen_paint(struct screen *sc, struct ui_state *s, time_t now);
/* Which pane is at screen cell (y, x), and the line in it. */
bool screen_hit(const struct screen *sc, int y, int x, enum pane *pane,
    size_t *line);
/* Colour pair and attributes for a CE_* element as curses wants them. */
int color_map_down(int c, int ncolors);

#endif
