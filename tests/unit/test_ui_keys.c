/*
 * The key dispatch, without a terminal: curses keys to key codes, key
 * codes to operations through the bindings of the focused view, the
 * preconditions, and what each handler queues for the session: flag
 * changes, expunge of the user's own deletions behind its question, the
 * quit question, prompts with completion and refusal, search, the help
 * screen built from the binding table, the pager and the status line.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "ui_priv.h"

struct fixture {
	struct config	*cfg;
	struct ui_state	 s;
};

static struct fixture *
start(const char *conf, bool session)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	char		*text = xasprintf("%s[account a]\nhost = h\nuser = u\n"
			    "password_cmd = x\n", conf);

	f->cfg = config_parse_string(text, "test");
	free(text);
	if (f->cfg->nerrors != 0)
		fail_msg("%s", f->cfg->errors[0].msg);
	ui_state_init(&f->s, f->cfg, NULL, session);
	list_set_height(&f->s.m.flist, 10);
	list_set_height(&f->s.m.index, 10);
	f->s.pager_height = 10;
	return f;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	if (f != NULL) {
		ui_state_free(&f->s);
		config_free(&f->cfg);
		free(f);
	}
	return 0;
}

static struct imap_event *
ev_new(struct ui_state *s, enum imap_ev_type type)
{
	struct imap_event *ev = xcalloc(1, sizeof *ev);

	ev->type = type;
	ev->generation = s->m.generation;
	return ev;
}

static void
folders(struct ui_state *s)
{
	static const char *const names[] = {
		"Sent", "Archive/2024", "INBOX", "Archive/2023", "Archive",
	};
	struct imap_event *ev = ev_new(s, IE_FOLDERS);
	size_t		 i;

	ev->folders = xcalloc(nitems(names), sizeof *ev->folders);
	ev->nfolders = nitems(names);
	for (i = 0; i < nitems(names); i++) {
		ev->folders[i].name = xstrdup(names[i]);
		ev->folders[i].delim = '/';
	}
	ev->folders[0].attrs = FA_SENT;
	ev->folders[4].attrs = FA_NOSELECT;
	ui_event(s, ev, 0);
}

/* INBOX open with UIDs 1..n, all read, newest first. */
static void
inbox(struct ui_state *s, uint32_t n)
{
	struct imap_event *ev;
	uint32_t	 i;

	model_select(&s->m, "INBOX");
	ev = ev_new(s, IE_SUMMARIES);
	ev->rows = xcalloc(n, sizeof *ev->rows);
	ev->nrows = n;
	for (i = 0; i < n; i++) {
		ev->rows[i].uid = i + 1;
		ev->rows[i].flags = MF_SEEN;
		ev->rows[i].date = 1700000000 + i;
		ev->rows[i].subject = xasprintf("subject %u", (unsigned)i + 1);
		ev->rows[i].from = xstrdup("\x1b[2Jann@example.org");
	}
	ui_event(s, ev, 0);
}

static void
keys(struct ui_state *s, const char *k)
{
	while (*k != '\0')
		ui_key(s, config_key_canon((unsigned char)*k++));
}

static size_t
ncmds(const struct ui_state *s, enum imap_cmd_type type)
{
	size_t	 i, n = 0;

	for (i = 0; i < s->m.outbox.len; i++)
		n += ((struct imap_cmd *)s->m.outbox.items[i])->type == type;
	return n;
}

static struct imap_cmd *
last_cmd(const struct ui_state *s)
{
	assert_true(s->m.outbox.len > 0);
	return s->m.outbox.items[s->m.outbox.len - 1];
}

static uint32_t
cursor_uid(const struct ui_state *s)
{
	return model_cursor_row(&s->m)->m.uid;
}

static void
test_curses_keys(void **state)
{
	(void)state;
	assert_int_equal(ui_key_from_curses(true, KEY_DOWN), QKEY_DOWN);
	assert_int_equal(ui_key_from_curses(true, KEY_NPAGE), QKEY_PGDN);
	assert_int_equal(ui_key_from_curses(true, KEY_F(5)), QKEY_F(5));
	assert_int_equal(ui_key_from_curses(true, KEY_MOUSE), UIKEY_MOUSE);
	assert_int_equal(ui_key_from_curses(true, KEY_RESIZE), UIKEY_RESIZE);
	assert_int_equal(ui_key_from_curses(true, UI_CURSES_PASTE_START),
	    UIKEY_PASTE_START);
	assert_int_equal(ui_key_from_curses(false, '\r'), QKEY_ENTER);
	assert_int_equal(ui_key_from_curses(false, 12), QKEY_CTRL + 'l');
	assert_int_equal(ui_key_from_curses(false, 'j'), 'j');
	assert_int_equal(ui_key_from_curses(false, 0x65e5), 0x65e5);
	assert_int_equal(ui_key_from_curses(true, KEY_SUSPEND), 0);
}

static void
test_lookup_to_handler(void **state)
{
	struct fixture	*f = *state = start("", true);

	inbox(&f->s, 5);
	assert_int_equal(cursor_uid(&f->s), 5);
	keys(&f->s, "jj");
	assert_int_equal(cursor_uid(&f->s), 3);
	ui_key(&f->s, QKEY_UP);
	assert_int_equal(cursor_uid(&f->s), 4);
	keys(&f->s, "G");
	assert_int_equal(cursor_uid(&f->s), 1);
	/* N toggles read: the row changes now, the delta goes out. */
	keys(&f->s, "N");
	assert_false(model_cursor_row(&f->s.m)->m.flags & MF_SEEN);
	assert_int_equal(last_cmd(&f->s)->type, IC_STORE);
	assert_int_equal(last_cmd(&f->s)->remove, MF_SEEN);
	keys(&f->s, "F");
	assert_int_equal(last_cmd(&f->s)->add, MF_FLAGGED);
	/* An unbound key says so, and does nothing else. */
	keys(&f->s, "Z");
	assert_true(f->s.m.message_error);
	assert_non_null(strstr(f->s.m.message, "not bound"));
	assert_int_equal(ncmds(&f->s, IC_STORE), 2);
}

static void
test_focus_changes_the_view(void **state)
{
	struct fixture	*f = *state = start("", true);

	folders(&f->s);
	inbox(&f->s, 3);
	assert_int_equal(ui_focus_view(&f->s), VIEW_INDEX);
	ui_key(&f->s, QKEY_TAB);
	assert_int_equal(ui_focus_view(&f->s), VIEW_PAGER);
	ui_key(&f->s, QKEY_TAB);
	assert_int_equal(ui_focus_view(&f->s), VIEW_FOLDERS);
	/* N is an index key: nothing to toggle among folders. */
	keys(&f->s, "N");
	assert_int_equal(ncmds(&f->s, IC_STORE), 0);
	/* INBOX first, then by name; Enter opens the cursor's folder. */
	assert_string_equal(model_cursor_folder(&f->s.m)->name, "INBOX");
	keys(&f->s, "j");
	assert_string_equal(model_cursor_folder(&f->s.m)->name, "Archive");
	ui_key(&f->s, QKEY_ENTER);		/* \Noselect: refused */
	assert_true(f->s.m.message_error);
	assert_int_equal(ncmds(&f->s, IC_SELECT), 1);
	keys(&f->s, "jj");
	ui_key(&f->s, QKEY_ENTER);
	assert_int_equal(ncmds(&f->s, IC_SELECT), 2);
	assert_string_equal(last_cmd(&f->s)->folder, "Archive/2024");
	assert_int_equal(ui_focus_view(&f->s), VIEW_INDEX);
}

static void
test_preconditions(void **state)
{
	struct fixture	*f = *state = start("", false);

	/* No message under the cursor. */
	assert_false(ui_run_op(&f->s, OP_TOGGLE_READ));
	assert_non_null(strstr(f->s.m.message, "needs a message"));
	/* No session: nothing that needs the server runs. */
	keys(&f->s, "c");
	assert_int_equal(f->s.mode, MODE_NORMAL);
	assert_non_null(strstr(f->s.m.message, "offline"));
	assert_false(ui_run_op(&f->s, OP_SYNC));
	assert_false(ui_run_op(&f->s, OP_EXPUNGE));
	assert_false(ui_run_op(&f->s, OP_SEARCH));
	/* The pager's parts need a message too. */
	assert_false(ui_run_op(&f->s, OP_ATTACHMENTS));
	assert_non_null(strstr(f->s.m.message, "needs a message"));
	assert_int_equal(f->s.m.outbox.len, 0);
	/* Moving needs nothing: fine on an empty list. */
	assert_true(ui_run_op(&f->s, OP_MOVE_DOWN));
}

static void
test_user_binding(void **state)
{
	struct fixture	*f = *state = start("bind index X sync\n"
	    "bind index j none\n", true);

	inbox(&f->s, 3);
	keys(&f->s, "X");
	assert_int_equal(last_cmd(&f->s)->type, IC_SYNC);
	keys(&f->s, "j");
	assert_int_equal(cursor_uid(&f->s), 3);
}

static void
test_expunge_asks_and_sends_users_own(void **state)
{
	struct fixture	*f = *state = start("", true);
	struct imap_event *ev;
	struct imap_cmd	*cmd;

	inbox(&f->s, 6);
	keys(&f->s, "dd");		/* 6 and 5; the cursor goes on */
	assert_int_equal(cursor_uid(&f->s), 4);
	ev = ev_new(&f->s, IE_FLAGS);	/* another client deletes 1 */
	ev->uid = 1;
	ev->flags = MF_SEEN | MF_DELETED;
	ui_event(&f->s, ev, 0);
	keys(&f->s, "$");
	assert_int_equal(f->s.mode, MODE_CONFIRM);
	assert_int_equal(f->s.cnum, 2);
	keys(&f->s, "n");
	assert_int_equal(ncmds(&f->s, IC_EXPUNGE), 0);
	keys(&f->s, "$y");
	cmd = last_cmd(&f->s);
	assert_int_equal(cmd->type, IC_EXPUNGE);
	assert_int_equal(cmd->nuids, 2);
	assert_true((cmd->uids[0] == 6 && cmd->uids[1] == 5) ||
	    (cmd->uids[0] == 5 && cmd->uids[1] == 6));
}

static void
test_quit_asks_about_deleted(void **state)
{
	struct fixture	*f = *state = start("", true);
	struct imap_event *ev;

	inbox(&f->s, 3);
	keys(&f->s, "d");
	keys(&f->s, "q");
	assert_int_equal(f->s.mode, MODE_CONFIRM);
	assert_int_equal(f->s.ckind, CK_QUIT);
	keys(&f->s, "c");			/* cancel: stay */
	assert_false(f->s.quit);
	assert_int_equal(f->s.mode, MODE_NORMAL);
	keys(&f->s, "qy");			/* expunge, then quit */
	assert_false(f->s.quit);
	assert_int_equal(last_cmd(&f->s)->type, IC_EXPUNGE);
	ev = ev_new(&f->s, IE_DONE);
	ev->id = last_cmd(&f->s)->id;
	ev->ok = true;
	ui_event(&f->s, ev, 0);
	assert_true(f->s.quit);
}

static void
test_quit_plain(void **state)
{
	struct fixture	*f = *state = start("", true);

	inbox(&f->s, 3);
	ui_key(&f->s, QKEY_ENTER);		/* the pager */
	assert_true(f->s.pager_open);
	assert_int_equal(ui_focus_view(&f->s), VIEW_PAGER);
	keys(&f->s, "J");
	assert_int_equal(cursor_uid(&f->s), 2);
	keys(&f->s, "q");			/* back from the pager */
	assert_false(f->s.quit);
	assert_false(f->s.pager_open);
	keys(&f->s, "dqn");			/* quit without expunging */
	assert_true(f->s.quit);
	assert_int_equal(ncmds(&f->s, IC_EXPUNGE), 0);
}

static void
test_change_folder_prompt(void **state)
{
	struct fixture	*f = *state = start("", true);
	uint64_t	 gen;

	folders(&f->s);
	inbox(&f->s, 2);
	gen = f->s.m.generation;
	keys(&f->s, "cAr");
	assert_int_equal(f->s.mode, MODE_PROMPT);
	ui_key(&f->s, QKEY_TAB);
	assert_string_equal(buf_str(&f->s.prompt.text), "Archive");
	keys(&f->s, "/2");
	ui_key(&f->s, QKEY_TAB);
	assert_string_equal(buf_str(&f->s.prompt.text), "Archive/202");
	keys(&f->s, "3");
	ui_key(&f->s, QKEY_ENTER);
	assert_int_equal(f->s.mode, MODE_NORMAL);
	assert_int_equal(last_cmd(&f->s)->type, IC_SELECT);
	assert_string_equal(last_cmd(&f->s)->folder, "Archive/2023");
	assert_int_equal(last_cmd(&f->s)->generation, gen + 1);
	/* Esc cancels and sends nothing. */
	keys(&f->s, "cSent");
	ui_key(&f->s, QKEY_ESC);
	assert_int_equal(f->s.mode, MODE_NORMAL);
	assert_int_equal(ncmds(&f->s, IC_SELECT), 2);
}

static void
online(struct ui_state *s)
{
	struct imap_event *ev = ev_new(s, IE_STATE);

	ev->state = CS_ONLINE;
	ui_event(s, ev, 0);
}

static struct imap_event *
search_result(struct ui_state *s, uint64_t id, const uint32_t *uids,
    size_t n)
{
	struct imap_event *ev = ev_new(s, IE_SEARCH);

	ev->id = id;
	ev->uids = xcalloc(n + 1, sizeof *ev->uids);
	memcpy(ev->uids, uids, n * sizeof *uids);
	ev->nuids = n;
	return ev;
}

static void
test_search_prompt_and_filter(void **state)
{
	struct fixture	*f = *state = start("", true);
	static const uint32_t hits[] = { 2, 4, 9 };
	struct buf	 st = BUF_INIT;
	uint64_t	 id;

	inbox(&f->s, 5);
	online(&f->s);
	keys(&f->s, "jjj");
	assert_int_equal(cursor_uid(&f->s), 2);
	keys(&f->s, "/from:ann");
	/* A pasted line break is refused, with a message. */
	ui_key(&f->s, UIKEY_PASTE_START);
	keys(&f->s, "\r\n");
	ui_key(&f->s, UIKEY_PASTE_END);
	assert_true(f->s.m.message_error);
	assert_int_equal(f->s.mode, MODE_PROMPT);
	ui_key(&f->s, QKEY_ENTER);
	assert_int_equal(last_cmd(&f->s)->type, IC_SEARCH);
	assert_string_equal(last_cmd(&f->s)->query, "from:ann");
	assert_string_equal(last_cmd(&f->s)->folder, "INBOX");
	id = last_cmd(&f->s)->id;
	/* UID 9 is not loaded yet: it counts, and shows once it comes. */
	ui_event(&f->s, search_result(&f->s, id, hits, 3), 0);
	assert_int_equal(f->s.m.nshown, 2);
	assert_int_equal(cursor_uid(&f->s), 2);
	ui_status_line(&f->s, 0, &st);
	assert_non_null(strstr(buf_str(&st), "| 3 of 5 match"));
	buf_free(&st);
	/* A result for an older search is dropped. */
	ui_event(&f->s, search_result(&f->s, id - 1, hits, 1), 0);
	assert_int_equal(f->s.m.nshown, 2);
	keys(&f->s, "j");
	assert_int_equal(cursor_uid(&f->s), 2);
	keys(&f->s, "k");
	assert_int_equal(cursor_uid(&f->s), 4);
	/* Esc: the whole folder, the cursor still on its message. */
	ui_key(&f->s, QKEY_ESC);
	assert_int_equal(f->s.m.nshown, 5);
	assert_int_equal(cursor_uid(&f->s), 4);
}

static void
test_search_error_column(void **state)
{
	struct fixture	*f = *state = start("", true);
	size_t		 n;

	inbox(&f->s, 5);
	online(&f->s);
	n = f->s.m.outbox.len;
	keys(&f->s, "/from:ann (is:read");
	ui_key(&f->s, QKEY_ENTER);
	/* Nothing sent; the prompt stays with its cursor at the fault. */
	assert_int_equal(f->s.m.outbox.len, n);
	assert_int_equal(f->s.mode, MODE_PROMPT);
	assert_true(f->s.m.message_error);
	assert_true(strncmp(f->s.m.message, "query:10:", 9) == 0);
	assert_int_equal(f->s.err_col, 10);
	assert_int_equal(f->s.prompt.cursor, 9);
	ui_key(&f->s, QKEY_END);
	keys(&f->s, ")");
	assert_int_equal(f->s.err_col, 0);
	ui_key(&f->s, QKEY_ENTER);
	assert_int_equal(f->s.mode, MODE_NORMAL);
	assert_int_equal(last_cmd(&f->s)->type, IC_SEARCH);
}

static void
test_search_offline_and_empty(void **state)
{
	struct fixture	*f = *state = start("", true);
	struct buf	 st = BUF_INIT;
	size_t		 n;

	inbox(&f->s, 5);
	keys(&f->s, "jj");
	assert_int_equal(cursor_uid(&f->s), 3);
	n = f->s.m.outbox.len;
	/* Not connected: the cache answers at once and says so. */
	keys(&f->s, "/subject:\"subject 4\"");
	ui_key(&f->s, QKEY_ENTER);
	assert_int_equal(f->s.m.outbox.len, n);
	assert_int_equal(f->s.m.nshown, 1);
	assert_int_equal(cursor_uid(&f->s), 4);
	ui_status_line(&f->s, 0, &st);
	assert_non_null(strstr(buf_str(&st), "1 of 5 match (offline)"));
	buf_reset(&st);
	keys(&f->s, "/from:ann");
	ui_key(&f->s, QKEY_ENTER);
	ui_status_line(&f->s, 0, &st);
	assert_non_null(strstr(buf_str(&st),
	    "5 of 5 match (offline: cached fields only)"));
	buf_free(&st);
	/* Nothing matches; an empty query shows all, the cursor back on
	 * the message it was on before the first search. */
	keys(&f->s, "/is:flagged");
	ui_key(&f->s, QKEY_ENTER);
	assert_int_equal(f->s.m.nshown, 0);
	keys(&f->s, "/");
	ui_key(&f->s, QKEY_ENTER);
	assert_false(f->s.m.filtered);
	assert_int_equal(f->s.m.nshown, 5);
	assert_int_equal(cursor_uid(&f->s), 3);
}

static void
test_search_all_results(void **state)
{
	struct fixture	*f = *state = start("search_scope = all\n", true);
	struct imap_event *ev;
	static const uint32_t hits[] = { 7, 8 };
	uint64_t	 id;

	folders(&f->s);
	inbox(&f->s, 5);
	online(&f->s);
	keys(&f->s, "/budget");
	assert_int_equal(f->s.pkind, PK_SEARCH_ALL);
	ui_key(&f->s, QKEY_ENTER);
	assert_int_equal(last_cmd(&f->s)->type, IC_SEARCH);
	assert_null(last_cmd(&f->s)->folder);
	id = last_cmd(&f->s)->id;
	assert_true(f->s.m.results_on);
	ev = search_result(&f->s, id, hits, 2);
	ev->folder = xstrdup("Archive/2023");
	ev->generation = 99;	/* results outlive the folder view */
	ev->rows = xcalloc(2, sizeof *ev->rows);
	ev->nrows = 2;
	ev->rows[0].uid = 7;
	ev->rows[0].date = 1600000000;
	ev->rows[0].subject = xstrdup("older");
	ev->rows[1].uid = 8;
	ev->rows[1].date = 1600000100;
	ev->rows[1].subject = xstrdup("newer");
	ui_event(&f->s, ev, 0);
	assert_int_equal(f->s.m.nresults, 2);
	assert_string_equal(model_result_at(&f->s.m, 0)->m.subject, "newer");
	/* Flag keys need the message's folder open. */
	assert_false(ui_run_op(&f->s, OP_TOGGLE_READ));
	keys(&f->s, "j");
	ui_key(&f->s, QKEY_ENTER);
	assert_false(f->s.m.results_on);
	assert_int_equal(last_cmd(&f->s)->type, IC_SELECT);
	assert_string_equal(last_cmd(&f->s)->folder, "Archive/2023");
	assert_int_equal(f->s.m.want_uid, 7);
}

static void
test_sort_chooser(void **state)
{
	struct fixture	*f = *state = start("", true);

	inbox(&f->s, 5);
	assert_int_equal(f->s.m.sort, SORT_DATE);
	assert_true(f->s.m.sort_reverse);
	keys(&f->s, "o");
	assert_int_equal(f->s.mode, MODE_CONFIRM);
	keys(&f->s, "z");
	assert_int_equal(f->s.mode, MODE_NORMAL);
	assert_int_equal(f->s.m.sort, SORT_SIZE);
	assert_true(f->s.m.sort_reverse);
	keys(&f->s, "or");
	assert_false(f->s.m.sort_reverse);
	keys(&f->s, "oq");
	assert_int_equal(f->s.m.sort, SORT_SIZE);
	assert_int_equal(f->s.mode, MODE_NORMAL);
}

static void
test_move_copy_prompts(void **state)
{
	struct fixture	*f = *state = start("", true);
	struct imap_cmd	*cmd;

	folders(&f->s);
	inbox(&f->s, 3);
	keys(&f->s, "sSent\r");
	cmd = last_cmd(&f->s);
	assert_int_equal(cmd->type, IC_MOVE);
	assert_string_equal(cmd->target, "Sent");
	assert_string_equal(cmd->folder, "INBOX");
	assert_int_equal(cmd->uids[0], 3);
	keys(&f->s, "CArchive\r");
	assert_int_equal(last_cmd(&f->s)->type, IC_COPY);
}

static void
test_leaving_asks_about_deleted(void **state)
{
	struct fixture	*f = *state = start("", true);
	struct imap_cmd	*cmd;
	uint64_t	 gen;

	folders(&f->s);
	inbox(&f->s, 4);
	gen = f->s.m.generation;
	keys(&f->s, "dd");
	keys(&f->s, "cSent\r");
	assert_int_equal(f->s.mode, MODE_CONFIRM);
	assert_int_equal(f->s.ckind, CK_LEAVE);
	assert_int_equal(f->s.cnum, 2);
	keys(&f->s, "c");			/* stay */
	assert_int_equal(f->s.m.generation, gen);
	assert_string_equal(f->s.m.folder, "INBOX");
	keys(&f->s, "cSent\ry");		/* expunge, then go */
	assert_int_equal(ncmds(&f->s, IC_EXPUNGE), 1);
	cmd = last_cmd(&f->s);
	assert_int_equal(cmd->type, IC_SELECT);
	assert_string_equal(cmd->folder, "Sent");
	assert_int_equal(f->s.m.generation, gen + 1);
	/* The Sent folder shows recipients: its attributes came along. */
	assert_true(f->s.m.folder_attrs & FA_SENT);
}

static void
test_mouse(void **state)
{
	struct fixture	*f = *state = start("", true);

	folders(&f->s);
	inbox(&f->s, 50);
	/* A click selects the row on that line; two open it. */
	ui_click(&f->s, PANE_INDEX, 3, false);
	assert_int_equal(cursor_uid(&f->s), 47);
	assert_false(f->s.pager_open);
	ui_click(&f->s, PANE_INDEX, 4, true);
	assert_int_equal(cursor_uid(&f->s), 46);
	assert_true(f->s.pager_open);
	keys(&f->s, "q");
	/* A click past the last row does nothing. */
	ui_click(&f->s, PANE_FOLDERS, 9, false);
	assert_int_equal(ncmds(&f->s, IC_SELECT), 1);
	/* The wheel scrolls the view; the cursor stays inside it. */
	ui_wheel(&f->s, PANE_INDEX, 1);
	assert_int_equal(f->s.m.index.top, 3);
	assert_int_equal(cursor_uid(&f->s), 46);
	ui_wheel(&f->s, PANE_INDEX, 1);
	ui_wheel(&f->s, PANE_INDEX, 1);
	assert_int_equal(f->s.m.index.top, 9);
	assert_int_equal(cursor_uid(&f->s), 50 - 9);
	/* One click on a folder opens it. */
	ui_click(&f->s, PANE_FOLDERS, 4, false);
	assert_int_equal(last_cmd(&f->s)->type, IC_SELECT);
	assert_string_equal(last_cmd(&f->s)->folder, "Sent");
}

/* True if some help line has all of the words. */
static bool
help_has(const struct ui_state *s, const char *a, const char *b)
{
	size_t	 i;

	for (i = 0; i < s->nhelp; i++) {
		if (strstr(buf_str(&s->help_lines[i]), a) != NULL &&
		    strstr(buf_str(&s->help_lines[i]), b) != NULL)
			return true;
	}
	return false;
}

static void
test_help_from_the_table(void **state)
{
	struct fixture	*f = *state = start("bind index <F5> sync\n", true);

	keys(&f->s, "?");
	assert_int_equal(f->s.mode, MODE_HELP);
	assert_true(help_has(&f->s, "N ", "toggle-read"));
	assert_true(help_has(&f->s, "<F5>", "check the server for changes"));
	assert_true(help_has(&f->s, "q ", "quit"));
	keys(&f->s, "j");			/* scrolls the help */
	assert_int_equal(f->s.help.cursor, 1);
	keys(&f->s, "q");
	assert_int_equal(f->s.mode, MODE_NORMAL);
	assert_false(f->s.quit);
}

static void
test_pager_and_status(void **state)
{
	struct fixture	*f = *state = start("", true);
	struct imap_event *ev;
	struct buf	*lines, line = BUF_INIT;
	size_t		 n, i;

	inbox(&f->s, 3);
	n = ui_pager_lines(&f->s, &lines);
	assert_true(n >= 4);
	assert_string_equal(buf_str(&lines[0]), "From: ^[[2Jann@example.org");
	for (i = 0; i < n; i++)
		buf_free(&lines[i]);
	free(lines);

	ev = ev_new(&f->s, IE_SELECTED);
	ev->folders = xcalloc(1, sizeof *ev->folders);
	ev->nfolders = 1;
	ev->folders[0].name = xstrdup("INBOX");
	ev->folders[0].has_status = true;
	ev->folders[0].messages = 1234;
	ev->folders[0].unseen = 12;
	ui_event(&f->s, ev, 0);
	ev = ev_new(&f->s, IE_STATE);
	ev->state = CS_WAITING;
	ev->retry_in = 8;
	ui_event(&f->s, ev, 100);
	ev = ev_new(&f->s, IE_PROGRESS);
	ev->done = 12000;
	ev->total = 100000;
	ui_event(&f->s, ev, 100);
	ui_status_line(&f->s, 100, &line);
	assert_non_null(strstr(buf_str(&line), "INBOX 1,234 msgs, 12 unread"));
	assert_non_null(strstr(buf_str(&line), "offline, retrying in 8 s"));
	assert_non_null(strstr(buf_str(&line), "fetching 12,000 of 100,000"));
	buf_reset(&line);
	ui_status_line(&f->s, 105, &line);
	assert_non_null(strstr(buf_str(&line), "retrying in 3 s"));
	buf_free(&line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_curses_keys),
		cmocka_unit_test_teardown(test_lookup_to_handler, teardown),
		cmocka_unit_test_teardown(test_focus_changes_the_view,
		    teardown),
		cmocka_unit_test_teardown(test_preconditions, teardown),
		cmocka_unit_test_teardown(test_user_binding, teardown),
		cmocka_unit_test_teardown(
		    test_expunge_asks_and_sends_users_own, teardown),
		cmocka_unit_test_teardown(test_quit_asks_about_deleted,
		    teardown),
		cmocka_unit_test_teardown(test_quit_plain, teardown),
		cmocka_unit_test_teardown(test_change_folder_prompt,
		    teardown),
		cmocka_unit_test_teardown(test_search_error_column, teardown),
		cmocka_unit_test_teardown(test_search_offline_and_empty,
		    teardown),
		cmocka_unit_test_teardown(test_search_all_results, teardown),
		cmocka_unit_test_teardown(test_sort_chooser, teardown),
		cmocka_unit_test_teardown(test_search_prompt_and_filter,
		    teardown),
		cmocka_unit_test_teardown(test_move_copy_prompts, teardown),
		cmocka_unit_test_teardown(test_leaving_asks_about_deleted,
		    teardown),
		cmocka_unit_test_teardown(test_mouse, teardown),
		cmocka_unit_test_teardown(test_help_from_the_table, teardown),
		cmocka_unit_test_teardown(test_pager_and_status, teardown),
	};

	return cmocka_run_group_tests_name("ui_keys", tests, NULL, NULL);
}
