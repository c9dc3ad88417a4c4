/*
 * config: the configuration file, parsed through one typed options table.
 *
 * The file is INI-like: global options first, then one [account NAME]
 * section per account. Besides "name = value" lines it takes
 * "bind VIEW KEY OPERATION" and "color ELEMENT ATTRS FG BG" lines anywhere.
 * Every option has one row in the table (name, type, default, range, help);
 * the parser, the --check-config report, the tests and quire.conf(5) all
 * follow that table. Every mistake is collected with its file and line and
 * a sentence that says how to fix it; nothing is fatal half-way.
 *
 * Key bindings live here too: the operation names (with their help text and
 * default keys) are data, so bind lines are checked when the file is read;
 * the UI maps each operation to its handler.
 *
 * Ownership: a struct config owns everything it points to; config_free()
 * releases it. Passwords are fetched on demand (config_password) and never
 * kept in the struct longer than needed, nor logged.
 */
#ifndef QUIRE_CONFIG_H
#define QUIRE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quire/util.h"

struct config;

/* ---- values ---- */

enum security {
	SEC_TLS,		/* implicit TLS, port 993 */
	SEC_STARTTLS,		/* plain connect, then STARTTLS; port 143 */
	SEC_NONE,		/* plaintext: loopback or allow_plaintext only */
};

enum sort_key {
	SORT_DATE,
	SORT_ARRIVAL,
	SORT_FROM,
	SORT_SUBJECT,
	SORT_SIZE,
};

enum layout { LAYOUT_SPLIT, LAYOUT_FULL };
enum prefer { PREFER_PLAIN, PREFER_HTML };
enum delete_mode { DELETE_FLAG, DELETE_TRASH };
enum search_scope { SCOPE_FOLDER, SCOPE_ALL };

/* The user's choices, global section. Durations are in seconds, sizes in
 * bytes. */
struct options {
	enum sort_key	 sort;
	bool		 sort_reverse;
	enum layout	 layout;
	char		*index_format;
	int		 mark_read_delay;	/* -1 never, 0 at once, N seconds */
	enum prefer	 prefer;
	char		*html_filter;		/* NULL: built-in */
	char		*save_dir;		/* NULL: ~/Downloads or ~ */
	int64_t		 body_cache_size;
	enum search_scope search_scope;
	char		*fallback_charset;
	enum delete_mode delete_mode;
	bool		 mouse;
	int		 folder_width;		/* columns of the folder pane */
};

/* One [account NAME] section. */
struct account {
	char		*name;
	char		*host;
	int		 port;			/* 993 (tls) or 143 unless set */
	bool		 port_default;		/* port came from security */
	enum security	 security;
	char		*user;
	char		*password;		/* only from a private file */
	char		*password_cmd;
	int		 password_cmd_line;	/* where it is set; 0 if not */
	int		 password_cmd_timeout;	/* seconds */
	char		*ca_file;
	uint8_t		 fingerprint[32];	/* SHA-256 pin */
	bool		 has_fingerprint;
	bool		 allow_plaintext;
	int		 timeout;		/* read timeout, seconds */
	int		 connect_timeout;	/* connect + DNS, seconds */
	char		*folder;		/* opened first; "INBOX" */
	char		*trash;			/* NULL: the \Trash special use */
	int		 line;			/* where the section starts */
	const char	*file;			/* the config's path (borrowed
						   from it); NULL if none */
};

/* ---- operations and key bindings ---- */

enum view {
	VIEW_GLOBAL,		/* any view, unless the view binds the key */
	VIEW_FOLDERS,
	VIEW_INDEX,
	VIEW_PAGER,
	VIEW_COUNT
};

/* The operations a key can run. Names and help are in the table below; the
 * UI holds the handler and preconditions for each. Keep OP_COUNT last. */
enum op {
	OP_NONE,
	OP_MOVE_DOWN, OP_MOVE_UP, OP_PAGE_DOWN, OP_PAGE_UP,
	OP_FIRST, OP_LAST, OP_OPEN, OP_FOCUS_NEXT, OP_CHANGE_FOLDER,
	OP_TOGGLE_READ, OP_TOGGLE_FLAGGED, OP_DELETE, OP_UNDELETE,
	OP_EXPUNGE, OP_MOVE_TO, OP_COPY_TO, OP_SEARCH, OP_SEARCH_ALL,
	OP_SORT, OP_SYNC, OP_TOGGLE_LAYOUT, OP_HELP, OP_REDRAW, OP_QUIT,
	OP_SCROLL_DOWN, OP_SCROLL_UP, OP_NEXT_MESSAGE, OP_PREV_MESSAGE,
	OP_TOGGLE_HEADERS, OP_ATTACHMENTS, OP_SAVE, OP_OPEN_PART, OP_PIPE,
	OP_SEARCH_NEXT,
	OP_COUNT
};

struct op_def {
	enum op		 op;
	const char	*name;		/* as written in bind lines */
	const char	*help;		/* one line, for ? and the man page */
};

/* Key codes: printable keys are their Unicode code point; named keys (and
 * Ctrl-keys) have codes above QKEY_BASE. Ctrl-/ is ^_ (what terminals send).
 * The control bytes a terminal sends for Tab, Enter, Esc and Backspace are
 * those keys, not Ctrl-keys: see config_key_canon. */
#define QKEY_BASE	0x110000
enum qkey {
	QKEY_UP = QKEY_BASE, QKEY_DOWN, QKEY_LEFT, QKEY_RIGHT,
	QKEY_PGUP, QKEY_PGDN, QKEY_HOME, QKEY_END, QKEY_ENTER, QKEY_TAB,
	QKEY_BACKTAB, QKEY_BACKSPACE, QKEY_DELETE, QKEY_INSERT, QKEY_ESC,
	QKEY_F1, /* ... QKEY_F1 + 11 for F12 */
	QKEY_CTRL = QKEY_BASE + 0x100,	/* QKEY_CTRL + 'a' .. 'z', '@', '\\',
					   ']', '^', '_' */
};
#define QKEY_F(n)	(QKEY_F1 + (n) - 1)

struct binding {
	enum view	 view;
	uint32_t	 key;
	enum op		 op;
};

/* The whole table of operations, indexed by enum op. */
const struct op_def *config_ops(void);
/* The operation called name (or one of mutt's names for it); NULL if none.
 * "none" is OP_NONE: binding it makes a key do nothing. */
const struct op_def *config_op_by_name(const char *name);
/* "generic", "folders", "index" or "pager", as bind lines write them. */
const char *config_view_name(enum view v);
/* Parse "j", "<Down>", "<PageDown>", "^L", "<C-l>", "<Space>", "<F5>", "ä";
 * false if the name means no key. */
bool config_parse_key(const char *s, uint32_t *key);
/* Map a code point as read from the terminal to its key code: ^A-^Z become
 * QKEY_CTRL + 'a'.., TAB QKEY_TAB, CR and LF QKEY_ENTER, ESC QKEY_ESC, DEL
 * and ^H QKEY_BACKSPACE; other codes are returned as they are. */
uint32_t config_key_canon(uint32_t c);
/* Write the key's name as a bind line would take it. */
void config_key_name(uint32_t key, struct buf *out);
/* The operation bound to key in view (user bindings, then defaults, then
 * the global view); OP_NONE if none. */
enum op config_lookup_key(const struct config *cfg, enum view v, uint32_t key);
/* Every effective binding of view v (its own, then the generic ones it does
 * not override; keys bound to "none" left out), for the help screen. The
 * caller frees the array. */
struct binding *config_bindings(const struct config *cfg, enum view v,
    size_t *n);

/* ---- colours ---- */

enum color_elem {
	CE_NORMAL, CE_STATUS, CE_STATUS_ERROR, CE_FOLDER, CE_FOLDER_UNREAD,
	CE_FOLDER_CURRENT, CE_INDEX, CE_INDEX_UNREAD, CE_INDEX_FLAGGED,
	CE_INDEX_DELETED, CE_INDEX_CURSOR, CE_PAGER, CE_PAGER_HEADER,
	CE_PAGER_QUOTE1, CE_PAGER_QUOTE2, CE_PAGER_QUOTE3, CE_PAGER_URL,
	CE_PAGER_MATCH, CE_PAGER_MARKER, CE_PROMPT, CE_BORDER,
	CE_COUNT
};

/* Attributes as our own bits, so config does not depend on curses. */
#define CA_BOLD		0x01
#define CA_UNDERLINE	0x02
#define CA_REVERSE	0x04
#define CA_DIM		0x08
#define CA_ITALIC	0x10
#define CA_BLINK	0x20
#define CA_STANDOUT	0x40
#define COLOR_DEFAULT	(-1)	/* the terminal's own fg or bg */

struct color {
	unsigned	 attrs;
	int		 fg;		/* COLOR_DEFAULT or 0-255 */
	int		 bg;
};

/* "index.unread" and the like, as color lines write them. */
const char *config_color_elem_name(enum color_elem e);

/* ---- the configuration ---- */

struct config_error {
	char	*file;
	int	 line;		/* 0: the file as a whole */
	char	*msg;		/* what is wrong and what to do */
};

struct config {
	char		*path;			/* the file read, or NULL */
	struct options	 opt;
	struct account	**accounts;
	size_t		 naccounts;
	struct binding	*bindings;		/* user bind lines, in order */
	size_t		 nbindings;
	struct color	 colors[CE_COUNT];	/* default theme + color lines */
	bool		 color_set[CE_COUNT];	/* set by a color line */
	struct config_error *errors;
	size_t		 nerrors;
};

/* The option table, for --check-config, the tests and the docs. */
enum opt_type {
	OT_BOOL,		/* yes/no/true/false/on/off/1/0 */
	OT_INT,			/* a whole number in [min, max] */
	OT_STRING,		/* any text */
	OT_HOST,		/* a host name or address: no spaces */
	OT_ENUM,		/* one of choices; stored as its index */
	OT_SIZE,		/* bytes, or with a K, M or G suffix */
	OT_DURATION,		/* N, Ns, Nm or Nh; stored in seconds */
	OT_FINGERPRINT,		/* sha256:HEX; sets has_fingerprint too */
	OT_PATH,		/* absolute or ~/ path; ~ expanded */
	OT_FILE,		/* an OT_PATH that must be readable now */
	OT_SORT,		/* KEY or KEY-desc; sets sort_reverse too */
	OT_COLUMNS,		/* index columns, each NAME or NAME:WIDTH */
	OT_MARK_READ,		/* yes, no or after N: mark_read_delay */
	OT_CHARSET,		/* a charset iconv converts to UTF-8 */
};
enum opt_scope { OS_GLOBAL, OS_ACCOUNT };
struct opt_def {
	const char	*name;
	enum opt_type	 type;
	enum opt_scope	 scope;
	const char	*def;		/* default, as written in the file; NULL none */
	int64_t		 min, max;	/* INT, DURATION (s), SIZE (bytes), the
					   COLUMNS width, the MARK_READ delay */
	const char *const *choices;	/* ENUM, SORT: NULL-terminated */
	const char	*help;
	size_t		 offset;	/* into struct options or struct account */
};
/* The whole table, in the order the documentation follows. */
const struct opt_def *config_options(size_t *n);
/* The option called name, or NULL. */
const struct opt_def *config_option(const char *name);
/* Write an option's value, read from base (the struct options or struct
 * account the option's scope names), as the file would take it; "none" if
 * unset. */
void config_option_value(const struct opt_def *d, const void *base,
    struct buf *out);

/* The default file: $XDG_CONFIG_HOME/quire/config, else
 * ~/.config/quire/config. Caller frees. */
char *config_default_path(void);

/* Read and check a file. Always returns a config (defaults where the file
 * is silent); the caller checks cfg->nerrors. A missing default file is not
 * an error when must_exist is false. */
struct config *config_load(const char *path, bool must_exist);
/* The same from a string, for tests; name stands for the file in errors. */
struct config *config_parse_string(const char *text, const char *name);
void config_free(struct config **cfg);

/* The account called name, or the first one when name is NULL; NULL if
 * none (with *err set, caller frees). */
const struct account *config_account(const struct config *cfg,
    const char *name, char **err);
/* True for "localhost", 127.0.0.0/8 and ::1 (no DNS is asked). */
bool config_host_is_loopback(const char *host);

/* The password for acct: the password option, else the first line of
 * password_cmd's output (run by /bin/sh, killed after its timeout). Never
 * logged. Returns 0 and *out (free with xfree_secret), or -1 and *err: what
 * went wrong (status, signal or timeout, and the start of the command's
 * stderr, never its stdout). For an account read from a file, *err starts
 * with "FILE:LINE: " of the password_cmd line and ends with what to do. */
int config_password(const struct account *acct, char **out, char **err);

/* Write the --check-config report: the file, each account with its
 * effective settings (no secrets), bindings and errors. Returns the exit
 * status: 0 clean, 3 with errors. */
int config_report(const struct config *cfg, struct buf *out);

#endif
