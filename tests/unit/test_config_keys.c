/*
 * Unit tests: operations, key names and bindings (src/config/keys.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quire/config.h"
#include "unit.h"

#define ACCT	"[account a]\nhost = h\nuser = u\npassword_cmd = x\n"

static struct config *
parse_ok(const char *extra)
{
	char		*text = xasprintf(ACCT "%s", extra);
	struct config	*cfg = config_parse_string(text, "conf");

	free(text);
	if (cfg->nerrors != 0)
		fail_msg("%s: line %d: %s", extra, cfg->errors[0].line,
		    cfg->errors[0].msg);
	return cfg;
}

static void
test_ops_table(void **state)
{
	const struct op_def	*ops = config_ops();
	size_t			 i, j;

	(void)state;
	for (i = 0; i < OP_COUNT; i++) {
		assert_int_equal(ops[i].op, i);
		assert_non_null(ops[i].name);
		assert_true(strlen(ops[i].help) > 5);
		assert_ptr_equal(config_op_by_name(ops[i].name), &ops[i]);
		for (j = 0; j < i; j++)
			assert_string_not_equal(ops[i].name, ops[j].name);
	}
}

static void
test_op_names(void **state)
{
	static const struct {
		const char	*name;
		enum op		 op;
	} rows[] = {
		{ "down", OP_MOVE_DOWN }, { "next-entry", OP_MOVE_DOWN },
		{ "up", OP_MOVE_UP }, { "previous-entry", OP_MOVE_UP },
		{ "page-down", OP_PAGE_DOWN }, { "next-page", OP_PAGE_DOWN },
		{ "open", OP_OPEN }, { "display-message", OP_OPEN },
		{ "next-pane", OP_FOCUS_NEXT },
		{ "change-folder", OP_CHANGE_FOLDER },
		{ "toggle-read", OP_TOGGLE_READ }, { "toggle-new", OP_TOGGLE_READ },
		{ "flag-message", OP_TOGGLE_FLAGGED },
		{ "delete-message", OP_DELETE }, { "delete", OP_DELETE },
		{ "undelete-message", OP_UNDELETE },
		{ "sync-mailbox", OP_EXPUNGE }, { "expunge", OP_EXPUNGE },
		{ "save-message", OP_MOVE_TO }, { "move", OP_MOVE_TO },
		{ "copy-message", OP_COPY_TO }, { "search-all", OP_SEARCH_ALL },
		{ "quit", OP_QUIT }, { "save", OP_SAVE },
		{ "open-attachment", OP_OPEN_PART },
		{ "search-next", OP_SEARCH_NEXT }, { "none", OP_NONE },
		{ "noop", OP_NONE }, { "previous-message", OP_PREV_MESSAGE },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		if (config_op_by_name(rows[i].name) == NULL ||
		    config_op_by_name(rows[i].name)->op != rows[i].op)
			fail_msg("%s", rows[i].name);
	}
	assert_null(config_op_by_name("Delete"));
	assert_null(config_op_by_name(""));
	assert_null(config_op_by_name("exit"));
}

static void
test_key_names(void **state)
{
	static const struct {
		const char	*name;
		uint32_t	 key;
		const char	*canonical;	/* NULL: the same as name */
	} rows[] = {
		{ "j", 'j', NULL }, { "G", 'G', NULL }, { "$", '$', NULL },
		{ "<", '<', NULL }, { "^", '^', NULL }, { "#", '#', NULL },
		{ "\xc3\xa4", 0xe4, NULL }, { "\xe5\xad\x97", 0x5b57, NULL },
		{ "<Up>", QKEY_UP, NULL }, { "<down>", QKEY_DOWN, "<Down>" },
		{ "<Left>", QKEY_LEFT, NULL }, { "<Right>", QKEY_RIGHT, NULL },
		{ "<PageUp>", QKEY_PGUP, NULL },
		{ "<PAGEDOWN>", QKEY_PGDN, "<PageDown>" },
		{ "<Home>", QKEY_HOME, NULL }, { "<End>", QKEY_END, NULL },
		{ "<Enter>", QKEY_ENTER, NULL },
		{ "<Return>", QKEY_ENTER, "<Enter>" },
		{ "<Tab>", QKEY_TAB, NULL }, { "<BackTab>", QKEY_BACKTAB, NULL },
		{ "<Backspace>", QKEY_BACKSPACE, NULL },
		{ "<Delete>", QKEY_DELETE, NULL },
		{ "<Insert>", QKEY_INSERT, NULL }, { "<Esc>", QKEY_ESC, NULL },
		{ "<Space>", ' ', NULL }, { " ", ' ', "<Space>" },
		{ "<F1>", QKEY_F(1), NULL }, { "<f12>", QKEY_F(12), "<F12>" },
		{ "^L", QKEY_CTRL + 'l', NULL }, { "^l", QKEY_CTRL + 'l', "^L" },
		{ "<C-x>", QKEY_CTRL + 'x', "^X" },
		{ "<c-X>", QKEY_CTRL + 'x', "^X" },
		{ "^_", QKEY_CTRL + '_', NULL }, { "^/", QKEY_CTRL + '_', "^_" },
		{ "<C-/>", QKEY_CTRL + '_', "^_" },
		{ "^@", QKEY_CTRL + '@', NULL }, { "^\\", QKEY_CTRL + '\\', NULL },
		{ "^]", QKEY_CTRL + ']', NULL }, { "^^", QKEY_CTRL + '^', NULL },
		{ "^I", QKEY_TAB, "<Tab>" }, { "^M", QKEY_ENTER, "<Enter>" },
		{ "^[", QKEY_ESC, "<Esc>" }, { "^?", QKEY_BACKSPACE,
		  "<Backspace>" }, { "^H", QKEY_BACKSPACE, "<Backspace>" },
	};
	struct buf	 b = BUF_INIT;
	uint32_t	 key;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		key = 0;
		if (!config_parse_key(rows[i].name, &key) ||
		    key != rows[i].key)
			fail_msg("'%s' parsed as %#x", rows[i].name, key);
		buf_reset(&b);
		config_key_name(key, &b);
		assert_string_equal(buf_str(&b), rows[i].canonical != NULL ?
		    rows[i].canonical : rows[i].name);
		/* and back again */
		assert_true(config_parse_key(buf_str(&b), &key));
		assert_int_equal(key, rows[i].key);
	}
	buf_free(&b);
}

static void
test_bad_key_names(void **state)
{
	static const char *const bad[] = {
		"", "jk", "<>", "<Foo>", "<F0>", "<F13>", "<F1x>", "<C->",
		"<C-xy>", "<C-1>", "^1", "^ab", "\t", "\x01", "\x7f",
		"\xc2\x9b", "\xff", "\xc3", "\xcc\x81", "<Up", "Up>",
	};
	uint32_t	 key;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		if (config_parse_key(bad[i], &key))
			fail_msg("'%s' should not be a key", bad[i]);
	}
}

static void
test_key_canon(void **state)
{
	static const uint32_t rows[][2] = {
		{ '\t', QKEY_TAB }, { '\n', QKEY_ENTER }, { '\r', QKEY_ENTER },
		{ 0x1b, QKEY_ESC }, { 0x7f, QKEY_BACKSPACE },
		{ 0x08, QKEY_BACKSPACE }, { 0x01, QKEY_CTRL + 'a' },
		{ 0x0c, QKEY_CTRL + 'l' }, { 0x1a, QKEY_CTRL + 'z' },
		{ 0x1f, QKEY_CTRL + '_' }, { 0x1c, QKEY_CTRL + '\\' },
		{ 0, QKEY_CTRL + '@' }, { 'a', 'a' }, { ' ', ' ' },
		{ QKEY_UP, QKEY_UP }, { 0xe4, 0xe4 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++)
		assert_int_equal(config_key_canon(rows[i][0]), rows[i][1]);
}

static void
test_view_names(void **state)
{
	(void)state;
	assert_string_equal(config_view_name(VIEW_GLOBAL), "generic");
	assert_string_equal(config_view_name(VIEW_FOLDERS), "folders");
	assert_string_equal(config_view_name(VIEW_INDEX), "index");
	assert_string_equal(config_view_name(VIEW_PAGER), "pager");
}

/* The default bindings follow mutt. */
static void
test_defaults(void **state)
{
	static const struct {
		enum view	 view;
		uint32_t	 key;
		enum op		 op;
	} rows[] = {
		{ VIEW_INDEX, 'j', OP_MOVE_DOWN },
		{ VIEW_FOLDERS, 'k', OP_MOVE_UP },
		{ VIEW_INDEX, QKEY_DOWN, OP_MOVE_DOWN },
		{ VIEW_INDEX, QKEY_PGDN, OP_PAGE_DOWN },
		{ VIEW_INDEX, 'g', OP_FIRST }, { VIEW_INDEX, QKEY_END, OP_LAST },
		{ VIEW_INDEX, QKEY_ENTER, OP_OPEN },
		{ VIEW_FOLDERS, QKEY_TAB, OP_FOCUS_NEXT },
		{ VIEW_INDEX, 'c', OP_CHANGE_FOLDER },
		{ VIEW_INDEX, 'N', OP_TOGGLE_READ },
		{ VIEW_INDEX, 'F', OP_TOGGLE_FLAGGED },
		{ VIEW_INDEX, 'd', OP_DELETE }, { VIEW_INDEX, 'u', OP_UNDELETE },
		{ VIEW_INDEX, '$', OP_EXPUNGE }, { VIEW_INDEX, 's', OP_MOVE_TO },
		{ VIEW_INDEX, 'C', OP_COPY_TO }, { VIEW_INDEX, '/', OP_SEARCH },
		{ VIEW_INDEX, QKEY_CTRL + '_', OP_SEARCH_ALL },
		{ VIEW_INDEX, 'o', OP_SORT }, { VIEW_INDEX, 'R', OP_SYNC },
		{ VIEW_INDEX, 'v', OP_TOGGLE_LAYOUT },
		{ VIEW_INDEX, '?', OP_HELP },
		{ VIEW_PAGER, QKEY_CTRL + 'l', OP_REDRAW },
		{ VIEW_INDEX, 'q', OP_QUIT },
		{ VIEW_PAGER, QKEY_DOWN, OP_SCROLL_DOWN },
		{ VIEW_PAGER, QKEY_UP, OP_SCROLL_UP },
		{ VIEW_PAGER, ' ', OP_PAGE_DOWN },
		{ VIEW_PAGER, '-', OP_PAGE_UP },
		{ VIEW_PAGER, 'J', OP_NEXT_MESSAGE },
		{ VIEW_PAGER, 'K', OP_PREV_MESSAGE },
		{ VIEW_PAGER, 'h', OP_TOGGLE_HEADERS },
		{ VIEW_PAGER, 'a', OP_ATTACHMENTS },
		{ VIEW_PAGER, 's', OP_SAVE },
		{ VIEW_PAGER, 'o', OP_OPEN_PART }, { VIEW_PAGER, '|', OP_PIPE },
		{ VIEW_PAGER, 'n', OP_SEARCH_NEXT },
		{ VIEW_PAGER, 'q', OP_QUIT }, { VIEW_PAGER, 'd', OP_DELETE },
		{ VIEW_FOLDERS, 'd', OP_NONE }, { VIEW_INDEX, 'x', OP_NONE },
		{ VIEW_INDEX, 'J', OP_NONE },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		if (config_lookup_key(NULL, rows[i].view, rows[i].key) !=
		    rows[i].op)
			fail_msg("row %zu: key %#x in %s", i, rows[i].key,
			    config_view_name(rows[i].view));
	}
}

static void
test_user_bindings(void **state)
{
	struct config	*cfg;

	(void)state;
	cfg = parse_ok("bind index x delete\nbind index x undelete\n"
	    "bind generic j up\nbind index d none\n"
	    "bind index,pager <F5> sync-mailbox\nbind pager \"#\" pipe\n"
	    "bind folders ^O open\n");
	assert_int_equal(cfg->nbindings, 8);
	/* The last line wins. */
	assert_int_equal(config_lookup_key(cfg, VIEW_INDEX, 'x'), OP_UNDELETE);
	/* A user generic binding does not beat a view's default... */
	assert_int_equal(config_lookup_key(cfg, VIEW_PAGER, QKEY_DOWN),
	    OP_SCROLL_DOWN);
	/* ...but beats the generic default. */
	assert_int_equal(config_lookup_key(cfg, VIEW_INDEX, 'j'), OP_MOVE_UP);
	assert_int_equal(config_lookup_key(cfg, VIEW_GLOBAL, 'j'),
	    OP_MOVE_UP);
	/* none unbinds, without falling through to the generic view. */
	assert_int_equal(config_lookup_key(cfg, VIEW_INDEX, 'd'), OP_NONE);
	assert_int_equal(config_lookup_key(cfg, VIEW_PAGER, 'd'), OP_DELETE);
	assert_int_equal(config_lookup_key(cfg, VIEW_INDEX, QKEY_F(5)),
	    OP_EXPUNGE);
	assert_int_equal(config_lookup_key(cfg, VIEW_PAGER, QKEY_F(5)),
	    OP_EXPUNGE);
	assert_int_equal(config_lookup_key(cfg, VIEW_FOLDERS, QKEY_F(5)),
	    OP_NONE);
	assert_int_equal(config_lookup_key(cfg, VIEW_PAGER, '#'), OP_PIPE);
	assert_int_equal(config_lookup_key(cfg, VIEW_FOLDERS,
	    QKEY_CTRL + 'o'), OP_OPEN);
	config_free(&cfg);
}

static void
test_bind_errors(void **state)
{
	static const struct {
		const char	*line;
		const char	*msg;
	} rows[] = {
		{ "bind index x", "bind takes a view, a key and an operation" },
		{ "bind index x delete now", "bind takes a view" },
		{ "bind inbox x delete", "unknown view 'inbox'; the views are "
		  "generic, folders, index and pager" },
		{ "bind index, x delete", "unknown view ''" },
		{ "bind index <Foo> delete", "'<Foo>' is not a key" },
		{ "bind index xy delete", "'xy' is not a key" },
		{ "bind index x delet", "unknown operation 'delet'; did you "
		  "mean 'delete'?" },
		{ "bind index x toggle-flaged", "did you mean 'toggle-flagged'" },
		{ "bind index x frobnicate", "unknown operation 'frobnicate'; "
		  "quire.conf(5) lists the operations" },
		{ "bind index # delete", "bind takes a view" },
	};
	struct config	*cfg;
	char		*text;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		text = xasprintf(ACCT "%s\nmouse = x\n", rows[i].line);
		cfg = config_parse_string(text, "conf");
		/* Line 5 is wrong, and line 6 is still read. */
		assert_int_equal(cfg->nerrors, 2);
		assert_int_equal(cfg->errors[0].line, 5);
		if (strstr(cfg->errors[0].msg, rows[i].msg) == NULL)
			fail_msg("'%s' lacks '%s'", cfg->errors[0].msg,
			    rows[i].msg);
		assert_int_equal(cfg->errors[1].line, 6);
		assert_int_equal(cfg->nbindings, 0);
		config_free(&cfg);
		free(text);
	}
}

/* Bind lines before, between and inside sections are all global. */
static void
test_bind_anywhere(void **state)
{
	struct config	*cfg;

	(void)state;
	cfg = config_parse_string("bind index a delete\n" ACCT
	    "bind index b delete\n[account b]\nbind index c delete\n"
	    "host = h\nuser = u\npassword_cmd = x\n", "conf");
	assert_int_equal(cfg->nerrors, 0);
	assert_int_equal(cfg->nbindings, 3);
	assert_int_equal(config_lookup_key(cfg, VIEW_INDEX, 'c'), OP_DELETE);
	config_free(&cfg);
}

static bool
has_binding(const struct binding *b, size_t n, enum view v, uint32_t key,
    enum op op)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (b[i].key == key)
			return b[i].view == v && b[i].op == op;
	}
	return false;
}

static void
test_bindings_list(void **state)
{
	struct config	*cfg;
	struct binding	*b;
	size_t		 n, i, j;

	(void)state;
	cfg = parse_ok("bind index d none\nbind index x delete\n"
	    "bind generic j up\n");
	b = config_bindings(cfg, VIEW_INDEX, &n);
	assert_true(n > 20);
	for (i = 0; i < n; i++) {
		assert_int_not_equal(b[i].op, OP_NONE);
		for (j = 0; j < i; j++)
			assert_int_not_equal(b[i].key, b[j].key);
	}
	assert_true(has_binding(b, n, VIEW_INDEX, 'x', OP_DELETE));
	assert_true(has_binding(b, n, VIEW_GLOBAL, 'j', OP_MOVE_UP));
	assert_true(has_binding(b, n, VIEW_INDEX, 'N', OP_TOGGLE_READ));
	assert_true(has_binding(b, n, VIEW_GLOBAL, 'q', OP_QUIT));
	assert_false(has_binding(b, n, VIEW_INDEX, 'd', OP_DELETE));
	free(b);

	b = config_bindings(cfg, VIEW_PAGER, &n);
	assert_true(has_binding(b, n, VIEW_PAGER, QKEY_DOWN, OP_SCROLL_DOWN));
	assert_true(has_binding(b, n, VIEW_PAGER, 'd', OP_DELETE));
	assert_false(has_binding(b, n, VIEW_PAGER, 'x', OP_DELETE));
	free(b);

	b = config_bindings(NULL, VIEW_GLOBAL, &n);
	for (i = 0; i < n; i++)
		assert_int_equal(b[i].view, VIEW_GLOBAL);
	assert_true(has_binding(b, n, VIEW_GLOBAL, '?', OP_HELP));
	free(b);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ops_table),
		cmocka_unit_test(test_op_names),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_bad_key_names),
		cmocka_unit_test(test_key_canon),
		cmocka_unit_test(test_view_names),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_user_bindings),
		cmocka_unit_test(test_bind_errors),
		cmocka_unit_test(test_bind_anywhere),
		cmocka_unit_test(test_bindings_list),
	};

	return cmocka_run_group_tests_name("config_keys", tests, NULL, NULL);
}
