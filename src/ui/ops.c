/*
 * ops: keys to operations to handlers, as tables.
 *
 * A key is looked up in the bindings of the focused pane's view
 * (config_lookup_key: the user's bind lines, the defaults, then the generic
 * view), which names an operation; the table below, indexed by enum op,
 * gives the handler and its preconditions ("needs a message", "needs the
 * server"). The preconditions are checked in one place, ui_run_op, with one
 * sentence each, so no handler repeats them. Handlers change the state and
 * set dirty bits; they never draw.
 *
 * Prompts and questions are modes: while one is up, keys go to the line
 * editor or the question, not to the table.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "pager.h"
#include "ui_priv.h"

#define NEED_MESSAGE	0x01	/* a message under the cursor */
#define NEED_SESSION	0x02	/* an engine to send commands to */
#define NEED_FOLDER	0x04	/* a selected folder */
#define NEED_USER	0x08	/* (help text only) */
#define NEED_SERVER	0x10	/* the server itself, not the cache */

typedef void op_fn(struct ui_state *);

struct op_entry {
	op_fn		*fn;
	unsigned	 needs;
};

static op_fn op_down, op_up, op_page_down, op_page_up, op_first, op_last,
    op_open, op_focus_next, op_change_folder, op_toggle_read,
    op_toggle_flagged, op_delete, op_undelete, op_expunge, op_move,
    op_copy, op_search, op_search_all, op_sort, op_sync, op_toggle_layout, op_help,
    op_redraw, op_quit, op_scroll_down, op_scroll_up, op_next_message,
    op_prev_message, op_toggle_headers;

static const struct op_entry op_table[OP_COUNT] = {
	[OP_MOVE_DOWN] =	{ op_down, 0 },
	[OP_MOVE_UP] =		{ op_up, 0 },
	[OP_PAGE_DOWN] =	{ op_page_down, 0 },
	[OP_PAGE_UP] =		{ op_page_up, 0 },
	[OP_FIRST] =		{ op_first, 0 },
	[OP_LAST] =		{ op_last, 0 },
	[OP_OPEN] =		{ op_open, 0 },
	[OP_FOCUS_NEXT] =	{ op_focus_next, 0 },
	[OP_CHANGE_FOLDER] =	{ op_change_folder, NEED_SESSION },
	[OP_TOGGLE_READ] =	{ op_toggle_read, NEED_MESSAGE },
	[OP_TOGGLE_FLAGGED] =	{ op_toggle_flagged, NEED_MESSAGE },
	[OP_DELETE] =		{ op_delete, NEED_MESSAGE },
	[OP_UNDELETE] =		{ op_undelete, NEED_MESSAGE },
	[OP_EXPUNGE] =		{ op_expunge, NEED_FOLDER | NEED_SESSION },
	[OP_MOVE_TO] =		{ op_move, NEED_MESSAGE | NEED_SESSION },
	[OP_COPY_TO] =		{ op_copy, NEED_MESSAGE | NEED_SESSION },
	[OP_SEARCH] =		{ op_search, NEED_FOLDER },
	[OP_SEARCH_ALL] =	{ op_search_all, NEED_SESSION | NEED_SERVER },
	[OP_SORT] =		{ op_sort, 0 },
	[OP_SYNC] =		{ op_sync, NEED_SESSION | NEED_SERVER },
	[OP_TOGGLE_LAYOUT] =	{ op_toggle_layout, 0 },
	[OP_HELP] =		{ op_help, 0 },
	[OP_REDRAW] =		{ op_redraw, 0 },
	[OP_QUIT] =		{ op_quit, 0 },
	[OP_SCROLL_DOWN] =	{ op_scroll_down, 0 },
	[OP_SCROLL_UP] =	{ op_scroll_up, 0 },
	[OP_NEXT_MESSAGE] =	{ op_next_message, NEED_MESSAGE },
	[OP_PREV_MESSAGE] =	{ op_prev_message, NEED_MESSAGE },
	[OP_TOGGLE_HEADERS] =	{ op_toggle_headers, 0 },
	[OP_ATTACHMENTS] =	{ pager_op_attachments, NEED_MESSAGE },
	[OP_SAVE] =		{ pager_op_save, NEED_MESSAGE | NEED_SESSION },
	[OP_OPEN_PART] =	{ pager_op_open_part, NEED_MESSAGE | NEED_SESSION },
	[OP_PIPE] =		{ pager_op_pipe, NEED_MESSAGE | NEED_SESSION },
	[OP_SEARCH_NEXT] =	{ pager_op_search_next, 0 },
};

static const char *const sort_names[] = {
	"date", "arrival", "sender", "subject", "size"
};

/* The sort chooser's keys (o), as mutt's: one letter per order. */
static const struct {
	uint32_t	 key;
	enum sort_key	 sort;
} sort_keys[] = {
	{ 'd', SORT_DATE }, { 'a', SORT_ARRIVAL }, { 'e', SORT_FROM },
	{ 'f', SORT_FROM }, { 's', SORT_SUBJECT }, { 'z', SORT_SIZE },
};

void
ui_state_init(struct ui_state *s, const struct config *cfg,
    const struct account *acct, bool has_session)
{
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
	s->acct = acct;
	s->has_session = has_session;
	model_init(&s->m, cfg);
	s->pager = pager_new();
	s->layout = cfg->opt.layout;
	s->focus = PANE_INDEX;
	list_init(&s->help, NULL, NULL);
	s->dirty = DIRTY_ALL;
}

static void
help_close(struct ui_state *s)
{
	size_t	 i;

	for (i = 0; i < s->nhelp; i++)
		buf_free(&s->help_lines[i]);
	free(s->help_lines);
	s->help_lines = NULL;
	s->nhelp = 0;
	s->mode = MODE_NORMAL;
	s->dirty |= DIRTY_ALL;
}

void
ui_state_free(struct ui_state *s)
{
	help_close(s);
	prompt_free(&s->prompt);
	free(s->leave_to);
	free(s->others);
	pager_free(&s->pager);
	model_free(&s->m);
}

enum view
ui_focus_view(const struct ui_state *s)
{
	switch (s->focus) {
	case PANE_FOLDERS:
		return VIEW_FOLDERS;
	case PANE_PAGER:
		return VIEW_PAGER;
	default:
		return VIEW_INDEX;
	}
}

/* The list the focused pane moves. */
static struct list *
focus_list(struct ui_state *s)
{
	if (s->mode == MODE_HELP)
		return &s->help;
	if (pager_list(s) != NULL)
		return pager_list(s);
	if (s->focus != PANE_FOLDERS && s->m.results_on)
		return &s->m.rlist;
	return s->focus == PANE_FOLDERS ? &s->m.flist : &s->m.index;
}

static void
moved(struct ui_state *s)
{
	s->dirty |= s->mode == MODE_HELP ? DIRTY_ALL : s->focus == PANE_FOLDERS ?
	    DIRTY_FOLDERS : DIRTY_INDEX | DIRTY_PAGER;
	s->pager_top = 0;
}

/* Whether the preconditions of an operation hold; says why not. */
static bool
check_needs(struct ui_state *s, enum op op, unsigned needs)
{
	if ((needs & NEED_MESSAGE) && s->m.results_on &&
	    s->focus != PANE_FOLDERS) {
		model_message(&s->m, true, "%s works in a folder: Enter opens "
		    "the result's folder at it", config_ops()[op].name);
		return false;
	}
	if ((needs & NEED_MESSAGE) && (s->focus == PANE_FOLDERS ||
	    model_cursor_row(&s->m) == NULL)) {
		model_message(&s->m, true, "%s needs a message: open a folder "
		    "and put the cursor on one", config_ops()[op].name);
		return false;
	}
	if (((needs & NEED_SESSION) && !s->has_session) ||
	    ((needs & NEED_SERVER) && s->offline)) {
		model_message(&s->m, true, "%s needs the server, and quire is "
		    "offline", config_ops()[op].name);
		return false;
	}
	if ((needs & NEED_FOLDER) && s->m.folder == NULL) {
		model_message(&s->m, true, "%s needs an open folder",
		    config_ops()[op].name);
		return false;
	}
	return true;
}

bool
ui_run_op(struct ui_state *s, enum op op)
{
	const struct op_entry *e;

	if (op <= OP_NONE || op >= OP_COUNT)
		return false;
	e = &op_table[op];
	if (e->fn == NULL) {
		model_message(&s->m, true, "%s is not available yet",
		    config_ops()[op].name);
		s->dirty |= DIRTY_MESSAGE;
		return false;
	}
	if (!check_needs(s, op, e->needs)) {
		s->dirty |= DIRTY_MESSAGE;
		return false;
	}
	e->fn(s);
	return true;
}

/* ---- movement ---- */

static void
op_down(struct ui_state *s)
{
	list_move(focus_list(s), 1);
	moved(s);
}

static void
op_up(struct ui_state *s)
{
	list_move(focus_list(s), -1);
	moved(s);
}

static void
op_page_down(struct ui_state *s)
{
	if (s->focus == PANE_PAGER && s->mode != MODE_HELP) {
		s->pager_top += s->pager_height > 1 ? s->pager_height - 1 : 1;
		s->dirty |= DIRTY_PAGER;
		return;
	}
	list_page(focus_list(s), 1);
	moved(s);
}

static void
op_page_up(struct ui_state *s)
{
	size_t	 page = s->pager_height > 1 ? s->pager_height - 1 : 1;

	if (s->focus == PANE_PAGER && s->mode != MODE_HELP) {
		s->pager_top = s->pager_top > page ? s->pager_top - page : 0;
		s->dirty |= DIRTY_PAGER;
		return;
	}
	list_page(focus_list(s), -1);
	moved(s);
}

static void
op_first(struct ui_state *s)
{
	list_first(focus_list(s));
	moved(s);
}

static void
op_last(struct ui_state *s)
{
	list_last(focus_list(s));
	moved(s);
}

static void
op_scroll_down(struct ui_state *s)
{
	if (pager_list(s) != NULL) {
		op_down(s);
		return;
	}
	s->pager_top++;
	s->dirty |= DIRTY_PAGER;
}

static void
op_scroll_up(struct ui_state *s)
{
	if (pager_list(s) != NULL) {
		op_up(s);
		return;
	}
	if (s->pager_top > 0)
		s->pager_top--;
	s->dirty |= DIRTY_PAGER;
}

static void
op_next_message(struct ui_state *s)
{
	list_move(&s->m.index, 1);
	s->pager_top = 0;
	s->dirty |= DIRTY_INDEX | DIRTY_PAGER;
}

static void
op_prev_message(struct ui_state *s)
{
	list_move(&s->m.index, -1);
	s->pager_top = 0;
	s->dirty |= DIRTY_INDEX | DIRTY_PAGER;
}

/* ---- panes and folders ---- */

static size_t
user_deleted_count(const struct ui_state *s)
{
	uint32_t	*uids;
	size_t		 n;

	uids = model_user_deleted(&s->m, &n);
	free(uids);
	return n;
}

static void
do_open(struct ui_state *s, const char *name)
{
	model_select(&s->m, name);
	s->pager_open = false;
	s->focus = PANE_INDEX;
	s->dirty |= DIRTY_ALL;
}

static void
open_folder(struct ui_state *s, const char *name)
{
	const struct mail_folder *f = model_folder_by_name(&s->m, name);

	s->dirty |= DIRTY_MESSAGE;
	if (f != NULL && (f->attrs & (FA_NOSELECT | FA_NONEXISTENT))) {
		model_message(&s->m, true, "%s holds no messages of its own",
		    name);
		return;
	}
	if (!s->has_session) {
		model_message(&s->m, true, "cannot open %s: quire is offline",
		    name);
		return;
	}
	/* Leaving a folder with the user's deletions: ask first. */
	if (s->m.folder != NULL && strcmp(s->m.folder, name) != 0 &&
	    (s->cnum = user_deleted_count(s)) > 0) {
		free(s->leave_to);
		s->leave_to = xstrdup(name);
		s->ckind = CK_LEAVE;
		s->mode = MODE_CONFIRM;
		return;
	}
	do_open(s, name);
}

/* Enter on a result of all folders: its folder, the cursor on it. */
static void
open_result(struct ui_state *s)
{
	const struct result *r = model_result_at(&s->m, s->m.rlist.cursor);
	char		*folder;
	uint32_t	 uid;

	if (r == NULL)
		return;
	folder = xstrdup(r->folder);
	uid = r->m.uid;
	model_results_free(&s->m);
	if (s->m.folder != NULL && strcmp(s->m.folder, folder) == 0) {
		model_unfilter(&s->m);
		s->m.want_uid = uid;
		model_refilter(&s->m);
	} else {
		open_folder(s, folder);
		if (s->m.folder != NULL && strcmp(s->m.folder, folder) == 0)
			s->m.want_uid = uid;
	}
	free(folder);
	s->dirty |= DIRTY_ALL & ~DIRTY_LAYOUT;
}

static void
op_open(struct ui_state *s)
{
	const struct mail_folder *f;

	if (s->mode == MODE_HELP)
		return;
	if (s->focus == PANE_FOLDERS) {
		if ((f = model_cursor_folder(&s->m)) != NULL)
			open_folder(s, f->name);
		return;
	}
	if (s->m.results_on) {
		open_result(s);
		return;
	}
	if (model_cursor_row(&s->m) == NULL)
		return;
	if (pager_list(s) != NULL) {
		ui_run_op(s, OP_OPEN_PART);
		return;
	}
	s->pager_open = true;
	s->pager_top = 0;
	s->focus = PANE_PAGER;
	s->dirty |= DIRTY_ALL;
}

static void
op_focus_next(struct ui_state *s)
{
	bool	 pager_shown = s->layout == LAYOUT_SPLIT || s->pager_open;

	switch (s->focus) {
	case PANE_FOLDERS:
		s->focus = PANE_INDEX;
		break;
	case PANE_INDEX:
		s->focus = pager_shown && model_cursor_row(&s->m) != NULL ?
		    PANE_PAGER : PANE_FOLDERS;
		if (s->focus == PANE_PAGER && s->layout == LAYOUT_FULL)
			s->pager_open = true;
		break;
	case PANE_PAGER:
		if (s->layout == LAYOUT_FULL)
			s->pager_open = false;
		s->focus = PANE_FOLDERS;
		break;
	}
	s->dirty |= DIRTY_ALL;
}

static void
start_prompt(struct ui_state *s, enum prompt_kind kind)
{
	prompt_free(&s->prompt);
	prompt_init(&s->prompt, "");
	s->pkind = kind;
	s->mode = MODE_PROMPT;
	s->dirty |= DIRTY_MESSAGE;
}

static void
op_change_folder(struct ui_state *s)
{
	start_prompt(s, PK_FOLDER);
}

static void
op_move(struct ui_state *s)
{
	start_prompt(s, PK_MOVE);
}

static void
op_copy(struct ui_state *s)
{
	start_prompt(s, PK_COPY);
}

static void
op_search(struct ui_state *s)
{
	if (s->focus == PANE_PAGER) {
		pager_find_start(s);
		return;
	}
	start_prompt(s, s->cfg->opt.search_scope == SCOPE_ALL ?
	    PK_SEARCH_ALL : PK_SEARCH);
}

static void
op_search_all(struct ui_state *s)
{
	start_prompt(s, PK_SEARCH_ALL);
}

/* ---- flags ---- */

static void
change_flags(struct ui_state *s, uint32_t add, uint32_t remove, bool next)
{
	struct ui_row	*r = model_cursor_row(&s->m);

	model_set_flags(&s->m, r, add, remove);
	/* As mutt does, d and u go on to the next message. */
	if (next && s->focus == PANE_INDEX)
		list_move(&s->m.index, 1);
	s->dirty |= DIRTY_INDEX | DIRTY_PAGER | DIRTY_STATUS | DIRTY_FOLDERS;
}

static void
op_toggle_read(struct ui_state *s)
{
	struct ui_row	*r = model_cursor_row(&s->m);

	if (r->m.flags & MF_SEEN)
		change_flags(s, 0, MF_SEEN, false);
	else
		change_flags(s, MF_SEEN, 0, false);
}

static void
op_toggle_flagged(struct ui_state *s)
{
	struct ui_row	*r = model_cursor_row(&s->m);

	if (r->m.flags & MF_FLAGGED)
		change_flags(s, 0, MF_FLAGGED, false);
	else
		change_flags(s, MF_FLAGGED, 0, false);
}

static void
op_delete(struct ui_state *s)
{
	change_flags(s, MF_DELETED, 0, true);
}

static void
op_undelete(struct ui_state *s)
{
	change_flags(s, 0, MF_DELETED, true);
}

static void
op_expunge(struct ui_state *s)
{
	s->cnum = user_deleted_count(s);
	if (s->cnum == 0) {
		model_message(&s->m, false, "No messages marked deleted "
		    "(by you, in this session)");
		s->dirty |= DIRTY_MESSAGE;
		return;
	}
	s->ckind = CK_EXPUNGE;
	s->mode = MODE_CONFIRM;
	s->dirty |= DIRTY_MESSAGE;
}

static void
op_sort(struct ui_state *s)
{
	s->ckind = CK_SORT;
	s->mode = MODE_CONFIRM;
	s->dirty |= DIRTY_MESSAGE;
}

/* The chooser's answer: an order, r to reverse it, anything else cancels.
 * The server's order is asked for when the folder is not all here. */
static void
sort_input(struct ui_state *s, uint32_t key)
{
	enum sort_key	 k = s->m.sort;
	bool		 rev = s->m.sort_reverse;
	size_t		 i;

	s->mode = MODE_NORMAL;
	s->dirty |= DIRTY_MESSAGE | DIRTY_STATUS;
	if (key == 'r' || key == 'R')
		rev = !rev;
	else {
		for (i = 0; i < nitems(sort_keys); i++)
			if (sort_keys[i].key == key)
				break;
		if (i == nitems(sort_keys)) {
			model_message(&s->m, false, "The order stays");
			return;
		}
		k = sort_keys[i].sort;
	}
	model_sort(&s->m, k, rev);
	model_sort_server(&s->m);
	model_message(&s->m, false, "Sorted by %s%s%s", sort_names[k],
	    rev ? ", reversed" : "", s->m.sort_id != 0 ?
	    " (the server's order until all messages are here)" : "");
	s->dirty |= DIRTY_INDEX | DIRTY_PAGER;
}

/* The chooser's question. */
void
ui_sort_question(const struct ui_state *s, struct buf *out)
{
	buf_printf(out, "Sort by (d)ate, (a)rrival, s(e)nder, (s)ubject, "
	    "si(z)e, or (r)everse? Now: %s%s", sort_names[s->m.sort],
	    s->m.sort_reverse ? ", reversed" : "");
}

static void
op_sync(struct ui_state *s)
{
	struct imap_cmd	*cmd = imap_cmd_new(IC_SYNC);

	if (s->m.folder != NULL)
		cmd->folder = xstrdup(s->m.folder);
	model_send(&s->m, cmd);
	model_message(&s->m, false, "Checking the server for changes");
	s->dirty |= DIRTY_MESSAGE;
}

/* ---- screen ---- */

static void
op_toggle_layout(struct ui_state *s)
{
	s->layout = s->layout == LAYOUT_SPLIT ? LAYOUT_FULL : LAYOUT_SPLIT;
	if (s->layout == LAYOUT_FULL && s->focus == PANE_PAGER)
		s->pager_open = true;
	s->dirty |= DIRTY_ALL;
}

static void
op_help(struct ui_state *s)
{
	if (s->mode == MODE_HELP) {
		help_close(s);
		return;
	}
	s->help_view = ui_focus_view(s);
	s->nhelp = ui_help_lines(s->cfg, s->help_view, &s->help_lines);
	list_init(&s->help, NULL, NULL);
	list_refresh(&s->help, s->nhelp, 0);
	s->mode = MODE_HELP;
	s->dirty |= DIRTY_ALL;
}

static void
op_redraw(struct ui_state *s)
{
	s->clear = true;
	s->dirty |= DIRTY_ALL;
}

static void
op_toggle_headers(struct ui_state *s)
{
	s->pager_all = !s->pager_all;
	s->pager_top = 0;
	s->dirty |= DIRTY_PAGER;
}

static void
op_quit(struct ui_state *s)
{
	if (s->mode == MODE_HELP) {
		help_close(s);
		return;
	}
	if (pager_list_close(s))
		return;
	if (s->pager_open || s->focus == PANE_PAGER) {
		s->pager_open = false;
		s->focus = PANE_INDEX;
		s->dirty |= DIRTY_ALL;
		return;
	}
	s->cnum = s->has_session ? user_deleted_count(s) : 0;
	if (s->cnum > 0) {
		s->ckind = CK_QUIT;
		s->mode = MODE_CONFIRM;
		s->dirty |= DIRTY_MESSAGE;
		return;
	}
	s->quit = true;
}

/* ---- prompts and questions ---- */

static const char *
prompt_what(enum prompt_kind k)
{
	switch (k) {
	case PK_FOLDER:	return "a folder name";
	case PK_MOVE:	return "a folder name";
	case PK_COPY:	return "a folder name";
	case PK_SEARCH:	return "a search";
	case PK_SEARCH_ALL: return "a search";
	case PK_FIND:	return "the text to find";
	case PK_SAVE:	return "a folder";
	case PK_PIPE:	return "a command";
	}
	return "the text";
}

/* Move or copy the cursor message to target. */
static void
transfer(struct ui_state *s, enum imap_cmd_type type, const char *target)
{
	struct ui_row	*r = model_cursor_row(&s->m);
	struct imap_cmd	*cmd;

	if (r == NULL)
		return;
	cmd = imap_cmd_new(type);
	cmd->folder = xstrdup(s->m.folder);
	cmd->target = xstrdup(target);
	cmd->uidvalidity = r->uidvalidity;
	cmd->uids = xmalloc(sizeof *cmd->uids);
	cmd->uids[0] = r->m.uid;
	cmd->nuids = 1;
	model_send(&s->m, cmd);
}

/* Run the search; a query that does not parse keeps the prompt open with
 * the cursor and a caret at the fault, and sends nothing. */
static void
search_submit(struct ui_state *s, const char *text)
{
	bool	 online = s->has_session && (s->m.state == CS_ONLINE ||
		    s->m.state == CS_SYNCING);
	char	*err = NULL;
	size_t	 pos = 0;

	if (model_search(&s->m, text, s->pkind == PK_SEARCH_ALL, online,
	    time(NULL), &err, &pos) == -1) {
		s->mode = MODE_PROMPT;
		s->prompt.cursor = pos <= s->prompt.text.len ? pos :
		    s->prompt.text.len;
		s->err_col = strncmp(err, "query:", 6) == 0 ?
		    (size_t)strtoul(err + 6, NULL, 10) : 0;
		model_message(&s->m, true, "%s", err);
		free(err);
		return;
	}
	s->dirty |= DIRTY_ALL & ~DIRTY_LAYOUT;
}

static void
prompt_submit(struct ui_state *s)
{
	const char	*text = buf_str(&s->prompt.text);

	s->mode = MODE_NORMAL;
	s->dirty |= DIRTY_MESSAGE;
	s->err_col = 0;
	if (s->pkind == PK_SEARCH || s->pkind == PK_SEARCH_ALL) {
		search_submit(s, text);
		return;
	}
	if (s->pkind == PK_FIND || s->pkind == PK_SAVE || s->pkind == PK_PIPE) {
		pager_prompt_done(s, s->pkind, text);
		return;
	}
	/* The editor never lets these in; check again before sending. */
	if (*text == '\0' || str_has_crlfnul(text, strlen(text)))
		return;
	switch (s->pkind) {
	case PK_FOLDER:
		open_folder(s, text);
		break;
	case PK_MOVE:
	case PK_COPY:
		transfer(s, s->pkind == PK_MOVE ? IC_MOVE : IC_COPY, text);
		break;
	case PK_SEARCH:
	case PK_SEARCH_ALL:
	case PK_FIND:
	case PK_SAVE:
	case PK_PIPE:
		break;
	}
}

static void
prompt_tab(struct ui_state *s)
{
	const char	**names;
	size_t		 i, n;

	if (s->pkind != PK_FOLDER && s->pkind != PK_MOVE &&
	    s->pkind != PK_COPY)
		return;
	names = xreallocarray(NULL, s->m.nfolders + 1, sizeof *names);
	for (i = 0; i < s->m.nfolders; i++)
		names[i] = s->m.folders[i].name;
	n = prompt_complete(&s->prompt, names, s->m.nfolders);
	free(names);
	if (n == 0)
		model_message(&s->m, true, "No folder starts with that");
	else if (n > 1)
		model_message(&s->m, false, "%zu folders match", n);
}

static void
prompt_input(struct ui_state *s, uint32_t key)
{
	if (key == QKEY_TAB && !s->prompt.pasting) {
		prompt_tab(s);
		s->dirty |= DIRTY_MESSAGE | DIRTY_STATUS;
		return;
	}
	s->err_col = 0;
	switch (prompt_key(&s->prompt, key)) {
	case PR_DONE:
		prompt_submit(s);
		break;
	case PR_CANCEL:
		s->mode = MODE_NORMAL;
		break;
	case PR_REFUSED:
		model_message(&s->m, true, "Line breaks and control characters "
		    "cannot go in %s; left out", prompt_what(s->pkind));
		break;
	case PR_EDITING:
		break;
	}
	s->dirty |= DIRTY_MESSAGE | DIRTY_STATUS;
}

/* y, n or c (cancel) from the key; 0 for any other key. */
static int
confirm_answer(uint32_t key)
{
	switch (key) {
	case 'y': case 'Y':
		return 'y';
	case 'n': case 'N':
		return 'n';
	case 'c': case 'C': case QKEY_ESC: case QKEY_CTRL + 'g':
		return 'c';
	}
	return 0;
}

/* Before a plain EXPUNGE, which a server without UIDPLUS needs: what it
 * takes beyond the user's own (BAD-INPUTS 33). */
void
ui_plain_question(const struct ui_state *s, struct buf *out)
{
	if (s->nothers > 0)
		buf_printf(out, "No UIDPLUS: a plain EXPUNGE also removes %zu "
		    "message%s other clients marked deleted. Expunge all "
		    "%zu? (y/n)", s->nothers, s->nothers == 1 ? "" : "s",
		    s->nothers + s->cnum);
	else
		buf_printf(out, "No UIDPLUS: a plain EXPUNGE removes every "
		    "deleted message (now only your %zu). Expunge? (y/n)",
		    s->cnum);
}

/* Of every \Deleted UID, those the user did not mark: into s->others. */
static void
plain_others(struct ui_state *s, const uint32_t *all, size_t n)
{
	uint32_t	*mine;
	size_t		 nmine, i, k;

	mine = model_user_deleted(&s->m, &nmine);
	free(s->others);
	s->others = xreallocarray(NULL, n > 0 ? n : 1, sizeof *s->others);
	s->nothers = 0;
	for (i = 0; i < n; i++) {
		for (k = 0; k < nmine && mine[k] != all[i]; k++)
			;
		if (k == nmine)
			s->others[s->nothers++] = all[i];
	}
	free(mine);
}

/* The session's question (IE_DONE with ask): asked while the folder is
 * the one open and no other question is; else the failure the model
 * showed stands, and nothing was removed. */
static void
plain_ask(struct ui_state *s, struct imap_event *ev)
{
	if (s->mode != MODE_NORMAL || ev->folder == NULL ||
	    s->m.folder == NULL || strcmp(ev->folder, s->m.folder) != 0 ||
	    (s->cnum = user_deleted_count(s)) == 0)
		return;
	plain_others(s, ev->uids, ev->nuids);
	s->plain_quit = s->quit_after != 0 && s->quit_after == ev->id;
	s->ckind = CK_PLAIN;
	s->mode = MODE_CONFIRM;
	s->dirty |= DIRTY_MESSAGE;
}

/* y: the user's deleted messages and the others' go, by a plain EXPUNGE
 * that the session sends only if no more were marked meanwhile. Any
 * other key: nothing is sent. */
static void
plain_input(struct ui_state *s, uint32_t key)
{
	struct imap_cmd	*cmd;
	uint32_t	*uids;
	size_t		 n;
	uint64_t	 id;

	s->mode = MODE_NORMAL;
	s->dirty |= DIRTY_MESSAGE | DIRTY_STATUS;
	uids = model_user_deleted(&s->m, &n);
	if (confirm_answer(key) != 'y' || n == 0 || s->m.folder == NULL) {
		free(uids);
		model_message(&s->m, false, "Nothing expunged: no EXPUNGE "
		    "was sent");
	} else {
		uids = xreallocarray(uids, n + s->nothers, sizeof *uids);
		if (s->nothers > 0)
			memcpy(uids + n, s->others,
			    s->nothers * sizeof *uids);
		cmd = imap_cmd_new(IC_EXPUNGE);
		cmd->folder = xstrdup(s->m.folder);
		cmd->uidvalidity = s->m.uidvalidity;
		cmd->uids = uids;
		cmd->nuids = n + s->nothers;
		cmd->plain = true;
		id = model_send(&s->m, cmd);
		if (s->plain_quit)
			s->quit_after = id;
		model_message(&s->m, false, "Expunging with a plain EXPUNGE%s",
		    s->plain_quit ? ", then quitting..." : "");
	}
	free(s->others);
	s->others = NULL;
	s->nothers = 0;
	s->plain_quit = false;
}

static void
confirm_input(struct ui_state *s, uint32_t key)
{
	int	 a = confirm_answer(key);

	if (s->ckind == CK_SORT) {
		sort_input(s, key);
		return;
	}
	if (s->ckind == CK_PLAIN) {
		plain_input(s, key);
		return;
	}
	if (a == 0)
		return;
	if (s->ckind == CK_OVERWRITE) {
		pager_confirm(s, a);
		return;
	}
	s->mode = MODE_NORMAL;
	s->dirty |= DIRTY_MESSAGE | DIRTY_STATUS;
	switch (s->ckind) {
	case CK_EXPUNGE:
		if (a == 'y')
			model_expunge(&s->m);
		else
			model_message(&s->m, false, "Nothing expunged");
		break;
	case CK_QUIT:
		if (a == 'c')
			break;
		if (a == 'y' && (s->quit_after = model_expunge(&s->m)) != 0) {
			model_message(&s->m, false, "Expunging, then "
			    "quitting...");
			break;
		}
		s->quit = true;
		break;
	case CK_LEAVE:
		if (a == 'c')
			break;
		if (a == 'y')
			model_expunge(&s->m);
		do_open(s, s->leave_to);
		break;
	case CK_SORT:
	case CK_OVERWRITE:
	case CK_PLAIN:
		break;
	}
	free(s->leave_to);
	s->leave_to = NULL;
}

static void
help_input(struct ui_state *s, uint32_t key)
{
	enum op	 op = config_lookup_key(s->cfg, s->help_view, key);

	if (key == QKEY_ESC || op == OP_QUIT || op == OP_HELP) {
		help_close(s);
		return;
	}
	switch (op) {
	case OP_MOVE_DOWN: case OP_MOVE_UP: case OP_PAGE_DOWN:
	case OP_PAGE_UP: case OP_FIRST: case OP_LAST: case OP_REDRAW:
		ui_run_op(s, op);
		break;
	case OP_SCROLL_DOWN:
		ui_run_op(s, OP_MOVE_DOWN);
		break;
	case OP_SCROLL_UP:
		ui_run_op(s, OP_MOVE_UP);
		break;
	default:
		break;
	}
}

void
ui_key(struct ui_state *s, uint32_t key)
{
	enum op		 op;
	struct buf	 name = BUF_INIT;

	/* A message lasts until the next key: not a key of a paste, whose
	 * refusal must stay readable, nor an answer to a question. */
	if (s->m.message != NULL && s->mode != MODE_CONFIRM &&
	    !s->prompt.pasting && key != UIKEY_PASTE_END) {
		free(s->m.message);
		s->m.message = NULL;
		s->dirty |= DIRTY_MESSAGE | DIRTY_STATUS;
	}
	switch (s->mode) {
	case MODE_PROMPT:
		prompt_input(s, key);
		return;
	case MODE_CONFIRM:
		confirm_input(s, key);
		return;
	case MODE_HELP:
		help_input(s, key);
		return;
	case MODE_NORMAL:
		break;
	}
	if (key == QKEY_ESC && s->m.results_on) {
		model_results_free(&s->m);
		s->dirty |= DIRTY_ALL & ~DIRTY_LAYOUT;
		return;
	}
	if (key == QKEY_ESC && s->m.filtered) {
		model_unfilter(&s->m);
		s->dirty |= DIRTY_INDEX | DIRTY_PAGER | DIRTY_STATUS;
		return;
	}
	if (key == UIKEY_PASTE_START || key == UIKEY_PASTE_END)
		return;
	if ((op = config_lookup_key(s->cfg, ui_focus_view(s), key)) ==
	    OP_NONE) {
		config_key_name(key, &name);
		model_message(&s->m, true, "%s is not bound here; ? shows "
		    "the keys", buf_str(&name));
		buf_free(&name);
		s->dirty |= DIRTY_MESSAGE;
		return;
	}
	ui_run_op(s, op);
}

void
ui_event(struct ui_state *s, struct imap_event *ev, time_t now)
{
	pager_event(s, ev);
	s->dirty |= model_event(&s->m, ev, now);
	if (ev->type == IE_DONE && ev->ask)
		plain_ask(s, ev);
	if (ev->type == IE_DONE && s->quit_after != 0 &&
	    ev->id == s->quit_after) {
		/* On failure stay, so the user reads why. */
		if (ev->ok)
			s->quit = true;
		s->quit_after = 0;
	}
	imap_event_free(&ev);
}

/* ---- mouse ---- */

void
ui_click(struct ui_state *s, enum pane pane, size_t y, bool dbl)
{
	struct list	*l;
	size_t		 pos;

	if (s->mode != MODE_NORMAL)
		return;
	if (pane == PANE_PAGER) {
		s->focus = PANE_PAGER;
		s->dirty |= DIRTY_ALL;
		return;
	}
	l = pane == PANE_FOLDERS ? &s->m.flist : &s->m.index;
	if (!list_hit(l, y, &pos))
		return;
	s->focus = pane;
	list_goto(l, pos);
	moved(s);
	s->dirty |= DIRTY_FOLDERS | DIRTY_INDEX;
	/* A folder opens on one click; a message on two. */
	if (pane == PANE_FOLDERS || dbl)
		ui_run_op(s, OP_OPEN);
}

void
ui_wheel(struct ui_state *s, enum pane pane, int dir)
{
	if (s->mode == MODE_HELP) {
		list_scroll(&s->help, dir * 3);
	} else if (pane == PANE_PAGER) {
		if (dir > 0)
			s->pager_top += 3;
		else
			s->pager_top = s->pager_top > 3 ? s->pager_top - 3 : 0;
	} else {
		list_scroll(pane == PANE_FOLDERS ? &s->m.flist : &s->m.index,
		    dir * 3);
	}
	s->dirty |= DIRTY_ALL & ~DIRTY_LAYOUT;
}

/* ---- text of the pager and help screens ---- */

static struct buf *
add_line(struct buf **lines, size_t *n)
{
	*lines = xreallocarray(*lines, *n + 1, sizeof **lines);
	buf_init(&(*lines)[*n]);
	return &(*lines)[(*n)++];
}

/* "Name: value", the value made safe (a message wrote it). */
static void
add_header(struct buf **lines, size_t *n, const char *name, const char *v)
{
	struct buf	*b;

	if (v == NULL)
		return;
	b = add_line(lines, n);
	buf_printf(b, "%s: ", name);
	safe_text(b, v, strlen(v), 0);
}

size_t
ui_pager_lines(const struct ui_state *s, struct buf **lines)
{
	const struct ui_row *row = model_cursor_row(&s->m);
	const struct result *res;
	const struct msg_summary *r;
	struct msg_summary view;
	struct buf	*b;
	size_t		 n = 0;

	*lines = NULL;
	if (s->m.results_on) {
		if ((res = model_result_at(&s->m, s->m.rlist.cursor)) == NULL)
			return 0;
		add_header(lines, &n, "Folder", res->folder);
		r = &res->m;
	} else if (row != NULL) {
		model_row_view(&s->m, row, &view);
		r = &view;
	} else
		return 0;
	add_header(lines, &n, "From", r->from != NULL ? r->from : "");
	add_header(lines, &n, "To", r->to != NULL ? r->to : "");
	if (r->cc != NULL && *r->cc != '\0')
		add_header(lines, &n, "Cc", r->cc);
	b = add_line(lines, &n);
	buf_addstr(b, "Date: ");
	format_date_long(b, r->date != 0 ? r->date : r->internal_date);
	add_header(lines, &n, "Subject", r->subject != NULL ?
	    r->subject : "");
	/* A row has no Message-ID or References (model.c row_take): h
	 * shows them from the message's header once it is here; a result
	 * of a search of all folders still carries them. */
	if (s->pager_all) {
		add_header(lines, &n, "Message-ID", r->message_id);
		add_header(lines, &n, "References", r->references);
		b = add_line(lines, &n);
		buf_printf(b, "UID: %u  Size: ", (unsigned)r->uid);
		format_size(b, r->size);
		buf_addstr(b, "  Flags: ");
		format_flags(b, r->flags);
	}
	return n;
}

size_t
ui_help_lines(const struct config *cfg, enum view v, struct buf **lines)
{
	const struct op_def *ops = config_ops();
	struct binding	*bs;
	struct buf	 key = BUF_INIT, *b;
	size_t		 nb, i, n = 0;

	*lines = NULL;
	b = add_line(lines, &n);
	buf_printf(b, "Keys in the %s view (q or Esc closes this help)",
	    config_view_name(v));
	add_line(lines, &n);
	bs = config_bindings(cfg, v, &nb);
	for (i = 0; i < nb; i++) {
		buf_reset(&key);
		config_key_name(bs[i].key, &key);
		b = add_line(lines, &n);
		buf_printf(b, "  %-12s %-18s %s", buf_str(&key),
		    ops[bs[i].op].name, ops[bs[i].op].help);
	}
	free(bs);
	buf_free(&key);
	return n;
}

/* ---- keys and the status line ---- */

uint32_t
ui_key_from_curses(bool is_key, uint32_t c)
{
	static const struct {
		int		 curses;
		uint32_t	 key;
	} keys[] = {
		{ KEY_UP, QKEY_UP }, { KEY_DOWN, QKEY_DOWN },
		{ KEY_LEFT, QKEY_LEFT }, { KEY_RIGHT, QKEY_RIGHT },
		{ KEY_PPAGE, QKEY_PGUP }, { KEY_NPAGE, QKEY_PGDN },
		{ KEY_HOME, QKEY_HOME }, { KEY_END, QKEY_END },
		{ KEY_ENTER, QKEY_ENTER }, { KEY_BTAB, QKEY_BACKTAB },
		{ KEY_BACKSPACE, QKEY_BACKSPACE }, { KEY_DC, QKEY_DELETE },
		{ KEY_IC, QKEY_INSERT }, { KEY_MOUSE, UIKEY_MOUSE },
		{ KEY_RESIZE, UIKEY_RESIZE },
		{ UI_CURSES_PASTE_START, UIKEY_PASTE_START },
		{ UI_CURSES_PASTE_END, UIKEY_PASTE_END },
	};
	size_t	 i;

	if (!is_key)
		return config_key_canon(c);
	for (i = 0; i < nitems(keys); i++) {
		if ((uint32_t)keys[i].curses == c)
			return keys[i].key;
	}
	if (c >= (uint32_t)KEY_F(1) && c <= (uint32_t)KEY_F(12))
		return QKEY_F(c - (uint32_t)KEY_F(1) + 1);
	return 0;
}

void
ui_conn_text(const struct model *m, time_t now, struct buf *out)
{
	static const char *const names[] = {
		[CS_OFFLINE] = "offline", [CS_CONNECTING] = "connecting",
		[CS_AUTHENTICATING] = "authenticating",
		[CS_SYNCING] = "syncing", [CS_ONLINE] = "online",
		[CS_WAITING] = "offline", [CS_FAILED] = "failed",
	};
	long	 left;

	/* Offline by choice, the engine says what it works from. */
	if (m->state == CS_OFFLINE && m->state_text != NULL)
		safe_text(out, m->state_text, strlen(m->state_text), 0);
	else
		buf_addstr(out, (size_t)m->state < nitems(names) &&
		    names[m->state] != NULL ? names[m->state] : "?");
	if (m->state == CS_WAITING) {
		left = m->retry_at > now ? (long)(m->retry_at - now) : 0;
		buf_printf(out, ", retrying in %ld s", left);
	}
}

void
ui_status_line(const struct ui_state *s, time_t now, struct buf *out)
{
	const struct account *a = s->acct;
	size_t		 msgs, unread;

	if (a != NULL) {
		buf_printf(out, " %s: ", a->name);
		safe_text(out, a->user != NULL ? a->user : "",
		    a->user != NULL ? strlen(a->user) : 0, 0);
		buf_printf(out, "@%s", a->host != NULL ? a->host : "");
	}
	if (s->m.folder != NULL) {
		model_counts(&s->m, &msgs, &unread);
		buf_addstr(out, " | ");
		safe_text(out, s->m.folder, strlen(s->m.folder), 0);
		buf_addch(out, ' ');
		format_count(out, msgs);
		buf_addstr(out, msgs == 1 ? " msg, " : " msgs, ");
		format_count(out, unread);
		buf_addstr(out, " unread");
		if (s->m.filtered || s->m.results_on) {
			buf_addstr(out, " | ");
			model_search_status(&s->m, out);
		}
	}
	buf_addstr(out, " | ");
	ui_conn_text(&s->m, now, out);
	if (s->m.progress_total > 0) {
		buf_addstr(out, " | ");
		if (s->m.progress_text != NULL)
			safe_text(out, s->m.progress_text,
			    strlen(s->m.progress_text), 0);
		else
			buf_addstr(out, "fetching");
		buf_addch(out, ' ');
		format_count(out, s->m.progress_done);
		buf_addstr(out, " of ");
		format_count(out, s->m.progress_total);
	}
}
