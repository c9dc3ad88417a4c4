/*
 * keys: operations, key names and key bindings, all as tables.
 *
 * Three tables, as NeoMutt keeps them: the operations (name and help, in
 * enum op order), mutt's names for the same operations, and the default
 * bindings per view. A bind line adds to the user's list in cfg; a lookup
 * takes the user's last binding for the view, then the view's default,
 * then the same two for the generic view. The UI maps each operation to
 * its handler and checks its preconditions; nothing here knows curses.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_priv.h"

static const struct op_def ops[OP_COUNT] = {
	{ OP_NONE, "none", "do nothing (unbinds the key)" },
	{ OP_MOVE_DOWN, "down", "move to the next entry" },
	{ OP_MOVE_UP, "up", "move to the previous entry" },
	{ OP_PAGE_DOWN, "page-down", "move down one page" },
	{ OP_PAGE_UP, "page-up", "move up one page" },
	{ OP_FIRST, "first", "move to the first entry" },
	{ OP_LAST, "last", "move to the last entry" },
	{ OP_OPEN, "open", "open the folder or message under the cursor" },
	{ OP_FOCUS_NEXT, "next-pane", "move the focus to the next pane" },
	{ OP_CHANGE_FOLDER, "change-folder", "open a folder by name" },
	{ OP_TOGGLE_READ, "toggle-read", "mark the message read or unread" },
	{ OP_TOGGLE_FLAGGED, "toggle-flagged", "flag or unflag the message" },
	{ OP_DELETE, "delete", "mark the message deleted (see delete)" },
	{ OP_UNDELETE, "undelete", "clear the deleted mark" },
	{ OP_EXPUNGE, "expunge", "remove the messages marked deleted" },
	{ OP_MOVE_TO, "move", "move the message to another folder" },
	{ OP_COPY_TO, "copy", "copy the message to another folder" },
	{ OP_SEARCH, "search", "search the folder on the server" },
	{ OP_SEARCH_ALL, "search-all", "search all folders on the server" },
	{ OP_SORT, "sort", "change the order of the index" },
	{ OP_SYNC, "sync", "check the server for changes now" },
	{ OP_TOGGLE_LAYOUT, "toggle-layout", "switch the pager between "
	  "split and full" },
	{ OP_HELP, "help", "show the key bindings" },
	{ OP_REDRAW, "redraw", "redraw the screen" },
	{ OP_QUIT, "quit", "leave the pager, or quit" },
	{ OP_SCROLL_DOWN, "scroll-down", "scroll the message down one line" },
	{ OP_SCROLL_UP, "scroll-up", "scroll the message up one line" },
	{ OP_NEXT_MESSAGE, "next-message", "show the next message" },
	{ OP_PREV_MESSAGE, "previous-message", "show the previous message" },
	{ OP_TOGGLE_HEADERS, "toggle-headers", "show all headers or the "
	  "usual few" },
	{ OP_ATTACHMENTS, "attachments", "list the message's parts" },
	{ OP_SAVE, "save", "save the message or part to a file" },
	{ OP_OPEN_PART, "open-attachment", "open the part with its viewer" },
	{ OP_PIPE, "pipe", "pipe the message or part to a command" },
	{ OP_SEARCH_NEXT, "search-next", "find the next match in the "
	  "message" },
};

/* mutt's names, where mutt has the same operation. */
static const struct {
	const char	*name;
	enum op		 op;
} aliases[] = {
	{ "noop", OP_NONE },
	{ "next-entry", OP_MOVE_DOWN },
	{ "previous-entry", OP_MOVE_UP },
	{ "next-page", OP_PAGE_DOWN },
	{ "previous-page", OP_PAGE_UP },
	{ "first-entry", OP_FIRST },
	{ "last-entry", OP_LAST },
	{ "display-message", OP_OPEN },
	{ "toggle-new", OP_TOGGLE_READ },
	{ "flag-message", OP_TOGGLE_FLAGGED },
	{ "delete-message", OP_DELETE },
	{ "undelete-message", OP_UNDELETE },
	{ "sync-mailbox", OP_EXPUNGE },
	{ "save-message", OP_MOVE_TO },
	{ "copy-message", OP_COPY_TO },
	{ "sort-mailbox", OP_SORT },
	{ "redraw-screen", OP_REDRAW },
	{ "next-line", OP_SCROLL_DOWN },
	{ "previous-line", OP_SCROLL_UP },
	{ "next-undeleted", OP_NEXT_MESSAGE },
	{ "previous-undeleted", OP_PREV_MESSAGE },
	{ "display-toggle-weed", OP_TOGGLE_HEADERS },
	{ "view-attachments", OP_ATTACHMENTS },
	{ "pipe-message", OP_PIPE },
};

static const char *const view_names[VIEW_COUNT] = {
	"generic", "folders", "index", "pager"
};

static const struct {
	const char	*name;
	uint32_t	 key;
} key_names[] = {
	{ "Up", QKEY_UP }, { "Down", QKEY_DOWN },
	{ "Left", QKEY_LEFT }, { "Right", QKEY_RIGHT },
	{ "PageUp", QKEY_PGUP }, { "PageDown", QKEY_PGDN },
	{ "Home", QKEY_HOME }, { "End", QKEY_END },
	{ "Enter", QKEY_ENTER }, { "Return", QKEY_ENTER },
	{ "Tab", QKEY_TAB }, { "BackTab", QKEY_BACKTAB },
	{ "Backspace", QKEY_BACKSPACE }, { "Delete", QKEY_DELETE },
	{ "Insert", QKEY_INSERT }, { "Esc", QKEY_ESC },
	{ "Space", ' ' },
};

#define CTRL(c)	(QKEY_CTRL + (c))

/* The defaults follow mutt. Message operations are bound in the index and
 * the pager, where there is a message to work on. */
static const struct binding defaults[] = {
	{ VIEW_GLOBAL, 'j', OP_MOVE_DOWN },
	{ VIEW_GLOBAL, QKEY_DOWN, OP_MOVE_DOWN },
	{ VIEW_GLOBAL, 'k', OP_MOVE_UP },
	{ VIEW_GLOBAL, QKEY_UP, OP_MOVE_UP },
	{ VIEW_GLOBAL, QKEY_PGDN, OP_PAGE_DOWN },
	{ VIEW_GLOBAL, QKEY_PGUP, OP_PAGE_UP },
	{ VIEW_GLOBAL, 'g', OP_FIRST },
	{ VIEW_GLOBAL, QKEY_HOME, OP_FIRST },
	{ VIEW_GLOBAL, 'G', OP_LAST },
	{ VIEW_GLOBAL, QKEY_END, OP_LAST },
	{ VIEW_GLOBAL, QKEY_ENTER, OP_OPEN },
	{ VIEW_GLOBAL, QKEY_TAB, OP_FOCUS_NEXT },
	{ VIEW_GLOBAL, 'c', OP_CHANGE_FOLDER },
	{ VIEW_GLOBAL, '/', OP_SEARCH },
	{ VIEW_GLOBAL, CTRL('_'), OP_SEARCH_ALL },
	{ VIEW_GLOBAL, 'R', OP_SYNC },
	{ VIEW_GLOBAL, 'v', OP_TOGGLE_LAYOUT },
	{ VIEW_GLOBAL, '?', OP_HELP },
	{ VIEW_GLOBAL, CTRL('l'), OP_REDRAW },
	{ VIEW_GLOBAL, 'q', OP_QUIT },

	{ VIEW_INDEX, 'N', OP_TOGGLE_READ },
	{ VIEW_INDEX, 'F', OP_TOGGLE_FLAGGED },
	{ VIEW_INDEX, 'd', OP_DELETE },
	{ VIEW_INDEX, 'u', OP_UNDELETE },
	{ VIEW_INDEX, '$', OP_EXPUNGE },
	{ VIEW_INDEX, 's', OP_MOVE_TO },
	{ VIEW_INDEX, 'C', OP_COPY_TO },
	{ VIEW_INDEX, 'o', OP_SORT },

	{ VIEW_PAGER, QKEY_DOWN, OP_SCROLL_DOWN },
	{ VIEW_PAGER, QKEY_UP, OP_SCROLL_UP },
	{ VIEW_PAGER, ' ', OP_PAGE_DOWN },
	{ VIEW_PAGER, '-', OP_PAGE_UP },
	{ VIEW_PAGER, 'J', OP_NEXT_MESSAGE },
	{ VIEW_PAGER, 'K', OP_PREV_MESSAGE },
	{ VIEW_PAGER, 'h', OP_TOGGLE_HEADERS },
	{ VIEW_PAGER, 'a', OP_ATTACHMENTS },
	{ VIEW_PAGER, 's', OP_SAVE },
	{ VIEW_PAGER, 'o', OP_OPEN_PART },
	{ VIEW_PAGER, '|', OP_PIPE },
	{ VIEW_PAGER, 'n', OP_SEARCH_NEXT },
	{ VIEW_PAGER, 'N', OP_TOGGLE_READ },
	{ VIEW_PAGER, 'F', OP_TOGGLE_FLAGGED },
	{ VIEW_PAGER, 'd', OP_DELETE },
	{ VIEW_PAGER, 'u', OP_UNDELETE },
	{ VIEW_PAGER, 'C', OP_COPY_TO },
	{ VIEW_PAGER, 'q', OP_QUIT },
};

/* The whole table of operations, indexed by enum op. */
const struct op_def *
config_ops(void)
{
	return ops;
}

/* The operation called name or one of mutt's names for it; NULL if none. */
const struct op_def *
config_op_by_name(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(ops); i++) {
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	}
	for (i = 0; i < nitems(aliases); i++) {
		if (strcmp(aliases[i].name, name) == 0)
			return &ops[aliases[i].op];
	}
	return NULL;
}

/* The view's name as bind lines write it. */
const char *
config_view_name(enum view v)
{
	return v < VIEW_COUNT ? view_names[v] : "?";
}

/* Map a code point as read from the terminal to its key code. */
uint32_t
config_key_canon(uint32_t c)
{
	switch (c) {
	case '\t':
		return QKEY_TAB;
	case '\n':
	case '\r':
		return QKEY_ENTER;
	case 0x1b:
		return QKEY_ESC;
	case '\b':
	case 0x7f:
		return QKEY_BACKSPACE;
	case 0:
		return CTRL('@');
	}
	if (c < 0x1b)
		return CTRL('a' + c - 1);
	if (c < 0x20)
		return CTRL("\\]^_"[c - 0x1c]);
	return c;
}

/* Ctrl and c, as the terminal sends it; false if there is no such key. */
static bool
ctrl_key(uint32_t c, uint32_t *key)
{
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if (c >= 'a' && c <= 'z')
		c = c - 'a' + 1;
	else if (c == '/')
		c = 0x1f;
	else if (c == '?')
		c = 0x7f;
	else if (c == '@' || (c >= '[' && c <= '_'))
		c = c - '@';
	else
		return false;
	*key = config_key_canon(c);
	return true;
}

/* "<Name>", "<C-x>", "<F5>", without the angle brackets. */
static bool
named_key(const char *s, size_t len, uint32_t *key)
{
	size_t	 i;
	long	 n;
	char	 num[3];

	for (i = 0; i < nitems(key_names); i++) {
		if (strlen(key_names[i].name) == len &&
		    strncasecmp(key_names[i].name, s, len) == 0) {
			*key = key_names[i].key;
			return true;
		}
	}
	if (len == 3 && (s[0] == 'C' || s[0] == 'c') && s[1] == '-')
		return ctrl_key((unsigned char)s[2], key);
	if ((len == 2 || len == 3) && (s[0] == 'F' || s[0] == 'f')) {
		memcpy(num, s + 1, len - 1);
		num[len - 1] = '\0';
		if (str_to_long(num, 1, 12, &n)) {
			*key = QKEY_F((uint32_t)n);
			return true;
		}
	}
	return false;
}

/* Parse a key name as bind lines write it. */
bool
config_parse_key(const char *s, uint32_t *key)
{
	size_t		 len = strlen(s);
	uint32_t	 cp;

	if (len > 2 && s[0] == '<' && s[len - 1] == '>')
		return named_key(s + 1, len - 2, key);
	if (len == 2 && s[0] == '^')
		return ctrl_key((unsigned char)s[1], key);
	if (len == 0 || utf8_decode(s, len, &cp) != len ||
	    cp == UTF8_REPLACEMENT || (cp != ' ' && utf8_cp_width(cp) < 1))
		return false;
	*key = cp;
	return true;
}

/* Write the key's name as a bind line would take it. */
void
config_key_name(uint32_t key, struct buf *out)
{
	char	 enc[4];
	size_t	 i;

	for (i = 0; i < nitems(key_names); i++) {
		if (key_names[i].key == key) {
			buf_printf(out, "<%s>", key_names[i].name);
			return;
		}
	}
	if (key >= QKEY_F1 && key < QKEY_F1 + 12)
		buf_printf(out, "<F%u>", (unsigned)(key - QKEY_F1 + 1));
	else if (key >= CTRL('a') && key <= CTRL('z'))
		buf_printf(out, "^%c", (char)(key - CTRL('a') + 'A'));
	else if (key >= QKEY_CTRL && key < QKEY_CTRL + 0x80)
		buf_printf(out, "^%c", (char)(key - QKEY_CTRL));
	else if (key < QKEY_BASE && utf8_cp_width(key) >= 1)
		buf_add(out, enc, utf8_encode(key, enc));
	else
		buf_printf(out, "<U+%04X>", (unsigned)key);
}

/* The binding for key among the user's lines for v (last wins), or the
 * defaults for v; false if neither has one. */
static bool
find_binding(const struct config *cfg, enum view v, uint32_t key,
    enum op *op)
{
	size_t	 i;

	for (i = cfg != NULL ? cfg->nbindings : 0; i > 0; i--) {
		if (cfg->bindings[i - 1].view == v &&
		    cfg->bindings[i - 1].key == key) {
			*op = cfg->bindings[i - 1].op;
			return true;
		}
	}
	for (i = 0; i < nitems(defaults); i++) {
		if (defaults[i].view == v && defaults[i].key == key) {
			*op = defaults[i].op;
			return true;
		}
	}
	return false;
}

/* The operation bound to key in view v; OP_NONE if none. */
enum op
config_lookup_key(const struct config *cfg, enum view v, uint32_t key)
{
	enum op	 op;

	if (find_binding(cfg, v, key, &op))
		return op;
	if (v != VIEW_GLOBAL && find_binding(cfg, VIEW_GLOBAL, key, &op))
		return op;
	return OP_NONE;
}

/* Add key to out unless it is there; with its effective operation. */
static void
add_effective(const struct config *cfg, enum view v, uint32_t key,
    struct binding *out, size_t *n)
{
	enum op	 op = OP_NONE;
	size_t	 i;

	for (i = 0; i < *n; i++) {
		if (out[i].key == key)
			return;
	}
	if (find_binding(cfg, v, key, &op))
		out[*n].view = v;
	else if (find_binding(cfg, VIEW_GLOBAL, key, &op))
		out[*n].view = VIEW_GLOBAL;
	if ((out[*n].op = op) == OP_NONE)
		return;
	out[*n].key = key;
	(*n)++;
}

/* Every effective binding of v, its own first, then the generic ones. */
struct binding *
config_bindings(const struct config *cfg, enum view v, size_t *n)
{
	struct binding	*out;
	size_t		 i, max, nuser = cfg != NULL ? cfg->nbindings : 0;
	enum view	 views[2] = { v, VIEW_GLOBAL };
	int		 pass;

	max = nuser + nitems(defaults);
	out = xcalloc(max, sizeof *out);
	*n = 0;
	for (pass = 0; pass < (v == VIEW_GLOBAL ? 1 : 2); pass++) {
		for (i = 0; i < nitems(defaults); i++) {
			if (defaults[i].view == views[pass])
				add_effective(cfg, v, defaults[i].key, out, n);
		}
		for (i = 0; i < nuser; i++) {
			if (cfg->bindings[i].view == views[pass])
				add_effective(cfg, v, cfg->bindings[i].key,
				    out, n);
		}
	}
	return out;
}

static const char *
op_name_at(size_t i)
{
	return i < nitems(ops) ? ops[i].name : aliases[i - nitems(ops)].name;
}

static char *
bad_op(const char *name)
{
	const char	*near;

	near = config_closest(name, op_name_at, nitems(ops) + nitems(aliases));
	if (near != NULL)
		return xasprintf("unknown operation '%s'; did you mean '%s'?",
		    name, near);
	return xasprintf("unknown operation '%s'; quire.conf(5) lists the "
	    "operations", name);
}

/* "VIEW[,VIEW]" into a bit set of views. */
static int
parse_views(char *s, unsigned *set, char **err)
{
	char	*v;
	size_t	 i;

	*set = 0;
	while ((v = strsep(&s, ",")) != NULL) {
		for (i = 0; i < VIEW_COUNT; i++) {
			if (strcmp(v, view_names[i]) == 0)
				break;
		}
		if (i == VIEW_COUNT) {
			*err = xasprintf("unknown view '%s'; the views are "
			    "generic, folders, index and pager", v);
			return -1;
		}
		*set |= 1U << i;
	}
	return 0;
}

/* The words after "bind": VIEW[,VIEW] KEY OPERATION. */
int
keys_parse_bind(struct config *cfg, char **words, size_t n, char **err)
{
	const struct op_def	*op;
	uint32_t		 key;
	unsigned		 views;
	size_t			 i;

	if (n != 3) {
		*err = xstrdup("bind takes a view, a key and an operation, "
		    "such as: bind index x delete");
		return -1;
	}
	if (parse_views(words[0], &views, err) != 0)
		return -1;
	if (!config_parse_key(words[1], &key)) {
		*err = xasprintf("'%s' is not a key; write one character, ^X, "
		    "<C-x>, or a name such as <Up>, <PageDown>, <Space> or "
		    "<F5>", words[1]);
		return -1;
	}
	if ((op = config_op_by_name(words[2])) == NULL) {
		*err = bad_op(words[2]);
		return -1;
	}
	for (i = 0; i < VIEW_COUNT; i++) {
		if ((views & (1U << i)) == 0)
			continue;
		cfg->bindings = xreallocarray(cfg->bindings, cfg->nbindings + 1,
		    sizeof *cfg->bindings);
		cfg->bindings[cfg->nbindings++] = (struct binding){
			(enum view)i, key, op->op
		};
	}
	return 0;
}
