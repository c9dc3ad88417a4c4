/*
 * Private to src/ui: the pager (pager.c), its attachments (attach.c) and
 * the programs it hands the terminal or a part to (extern.c).
 *
 * The pager follows the message under the index cursor. When the pane is
 * on screen it asks the session for the message's parts (IC_FETCH_PARTS:
 * the structure, then only the text), renders the tree with mail_render()
 * once per message and option (the html_filter runs then, not per paint),
 * and wraps the lines at the pane's width when it paints. Marking a message
 * read is the pager's decision too: when it is opened and shown, at once or
 * after mark_read's delay, through the model's optimistic flag change.
 *
 * Nothing here draws: pager_rows() hands draw.c the visible rows as text
 * with colour runs, already made safe. extern.c is the one file besides
 * draw.c and ui.c that calls curses: it hands the terminal to a child
 * (endwin) and takes it back.
 */
#ifndef QUIRE_UI_PAGER_H
#define QUIRE_UI_PAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui_priv.h"

/* ---- pager.c ---- */

struct pager;

struct pager *pager_new(void);
void pager_free(struct pager **pg);

/* Once per loop pass, before the repaint: follow the cursor's message,
 * ask for its parts when the pane shows it, render what came, and mark it
 * read as mark_read says. Returns DIRTY_* bits. */
unsigned pager_sync(struct ui_state *s);
/* Milliseconds until pager_sync() must run again (a mark_read delay
 * running out), or -1. */
int pager_timeout(const struct ui_state *s);
/* Take an engine event meant for the pager: IE_PARTS, IE_BODY of a part
 * asked for, IE_DONE of its commands. The model sees the event too; the
 * caller frees it. */
void pager_event(struct ui_state *s, struct imap_event *ev);

/* One colour run of a row: bytes off..off+len of the row's text. */
struct pager_seg {
	size_t		 off;
	size_t		 len;
	enum color_elem	 ce;
};

/* One screen row: safe UTF-8 that fits the width, and its runs. */
struct pager_row {
	struct buf	 text;
	struct pager_seg *segs;
	size_t		 nsegs;
	size_t		 capsegs;
};

/* The rows the pane shows now, width columns by at most height rows,
 * from s->pager_top (clamped). Caller frees with pager_rows_free(). */
size_t pager_rows(struct ui_state *s, size_t width, size_t height,
    struct pager_row **rows);
void pager_rows_free(struct pager_row *rows, size_t n);

/* "/" in the pager: ask for text to find in the message. */
void pager_find_start(struct ui_state *s);
/* n: the next match. */
void pager_op_search_next(struct ui_state *s);
/* The answer to a pager prompt (PK_FIND, PK_SAVE, PK_PIPE). */
void pager_prompt_done(struct ui_state *s, enum prompt_kind k,
    const char *text);

/* ---- attach.c ---- */

/* a: show or hide the list of the message's parts. */
void pager_op_attachments(struct ui_state *s);
/* s, o, |: save the part, open it with its mailcap viewer, pipe it (or
 * the whole message, with no list shown) to a command. */
void pager_op_save(struct ui_state *s);
void pager_op_open_part(struct ui_state *s);
void pager_op_pipe(struct ui_state *s);
/* The answer to PK_SAVE (the folder) or PK_PIPE (the command). */
void pager_prompt_done_attach(struct ui_state *s, enum prompt_kind k,
    const char *text);
/* The list of parts while it is shown, else NULL. */
struct list *pager_list(struct ui_state *s);
/* q with the list shown: hide it; false when it was not shown. */
bool pager_list_close(struct ui_state *s);
/* The overwrite question's answer: 'y', 'n' or 'c'. */
void pager_confirm(struct ui_state *s, int answer);
/* The question CK_OVERWRITE asks. */
void pager_question(const struct ui_state *s, struct buf *out);

/* What attach.c needs of pager.c. */
const struct mail_render *pager_render(const struct ui_state *s);
/* Which message the pager shows: folder generation and UID (0: none). */
uint32_t pager_uid(const struct ui_state *s);
struct pager_attach;
struct pager_attach *pager_attach_state(struct ui_state *s);
/* attach.c's own state, kept in the pager; freed with it. */
struct pager_attach *attach_new(void);
void attach_free(struct pager_attach **a);
/* The message changed: the list and any part on its way are dropped. */
void attach_reset(struct ui_state *s);
/* The list's rows (the list widget's visible ones) into rows. */
size_t attach_rows(struct ui_state *s, size_t width, size_t height,
    struct pager_row *rows);
/* IE_BODY or IE_DONE of a part asked for: true when it was ours. */
bool attach_event(struct ui_state *s, struct imap_event *ev);

/* Helpers for building rows. */
void pager_row_seg(struct pager_row *r, size_t off, size_t len,
    enum color_elem ce);

/* ---- extern.c ---- */

#define EXTERN_FILTER_MS	5000	/* html_filter's time limit */

/* Run "sh -c cmd" with in on its stdin and its stdout appended to out (at
 * most max bytes), in a process group of its own that is killed after
 * timeout_ms. No terminal: stderr goes to /dev/null. Returns 0 when it
 * exited with status 0, else -1 (out may hold part of its output). */
int extern_filter(const char *cmd, const char *in, size_t n, int timeout_ms,
    size_t max, struct buf *out);
/* Hand the terminal to "sh -c cmd" (with in on its stdin when in is not
 * NULL), wait for it, then, when pause is true, for Enter, and take the
 * terminal back. Returns the wait status, or -1 with *why (static). */
int extern_run(const char *cmd, const char *in, size_t n, bool pause,
    const char **why);
/* The viewer mailcap (~/.mailcap, then /etc/mailcap) gives for type:
 * the command (caller frees) with %s standing for the file, and its
 * needsterminal and copiousoutput flags. NULL when there is none. */
#define MAILCAP_TERMINAL	0x01
#define MAILCAP_COPIOUS		0x02
char *mailcap_find(const char *type, unsigned *flags);
/* The command line with %s as the quoted path, %t as the quoted type;
 * caller frees. *has_file says whether %s was there. */
char *mailcap_expand(const char *cmd, const char *path, const char *type,
    bool *has_file);

#endif
