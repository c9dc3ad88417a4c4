/*
 * mail: plain data and pure functions about messages.
 *
 * The message summary the index shows, flags as a bit set, the search query
 * language, MIME rendering, RFC 2047/2231 decoding, addresses and modified
 * UTF-7 mailbox names. Nothing here knows about threads, sockets, curses or
 * SQLite, so the tests and fuzzers call it directly on plain buffers.
 *
 * Ownership: all memory belongs to the caller unless stated otherwise.
 */
#ifndef QUIRE_MAIL_H
#define QUIRE_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "quire/util.h"

/* System flags as bits; keywords are kept apart as strings. */
#define MF_SEEN		0x01
#define MF_ANSWERED	0x02
#define MF_FLAGGED	0x04
#define MF_DELETED	0x08
#define MF_DRAFT	0x10
#define MF_RECENT	0x20
#define MF_ATTACHMENT	0x40	/* derived: the summary saw an attachment */

/* One row of the index: what a FETCH of the summary items gives. */
struct msg_summary {
	uint32_t	 uid;
	uint32_t	 flags;		/* MF_* */
	uint64_t	 modseq;
	int64_t		 internal_date;	/* seconds since the epoch, UTC */
	int64_t		 date;		/* the Date: header, UTC; 0 unknown */
	uint32_t	 size;
	char		*from;		/* decoded UTF-8, display form */
	char		*to;
	char		*cc;
	char		*subject;
	char		*message_id;
	char		*references;
};

void msg_summary_free(struct msg_summary **m);
/* A deep copy of src into dst. */
void msg_summary_copy(struct msg_summary *dst, const struct msg_summary *src);
void msg_summary_clear(struct msg_summary *m);

/* Folder attributes: LIST flags and special use (RFC 6154). */
#define FA_NOSELECT	0x0001
#define FA_NOINFERIORS	0x0002
#define FA_HASCHILDREN	0x0004
#define FA_NONEXISTENT	0x0008
#define FA_INBOX	0x0010
#define FA_SENT		0x0020
#define FA_TRASH	0x0040
#define FA_DRAFTS	0x0080
#define FA_ARCHIVE	0x0100
#define FA_JUNK		0x0200
#define FA_ALL		0x0400
#define FA_FLAGGED	0x0800

/* One folder as the list shows it, with the STATUS counts when known. */
struct mail_folder {
	char		*name;		/* UTF-8 display name, full path */
	char		*raw;		/* the server's name (modified UTF-7) */
	char		 delim;		/* hierarchy separator, '\0' none */
	unsigned	 attrs;		/* FA_* */
	bool		 has_status;	/* the counts below are known */
	uint32_t	 messages;
	uint32_t	 unseen;
	uint32_t	 uidnext;
	uint32_t	 uidvalidity;
	uint64_t	 highestmodseq;
};

void mail_folder_clear(struct mail_folder *f);
void mail_folder_copy(struct mail_folder *dst, const struct mail_folder *src);

/* Flag names as IMAP writes them ("\\Seen"); NULL for derived bits. */
const char *mail_flag_name(uint32_t flag);

/*
 * Modified UTF-7 (RFC 3501 5.1.3) mailbox names. Both append to out and
 * return 0, or -1 with out as it was. Decoding takes only the canonical form,
 * so a name that decodes encodes back to the same bytes; on -1 the caller
 * keeps the raw name and shows it escaped. Encoding fails on invalid UTF-8
 * and on U+0000.
 */
int mutf7_decode(const char *in, size_t n, struct buf *out);
int mutf7_encode(const char *utf8, size_t n, struct buf *out);

/* The longest decoded header in bytes; a longer one is cut to end in "…". */
#define MAIL_HEADER_MAX	(64 * 1024)

/* RFC 2047 encoded words in a header value, to UTF-8; invalid pieces are
 * kept raw or replaced by U+FFFD, the rest of the header is kept. Raw 8-bit
 * text is read as fallback_charset. Appends valid UTF-8 with no NUL (NUL
 * becomes U+FFFD); controls such as CR and LF are kept for safe_text(). */
void mail_decode_header(const char *in, size_t n, const char *fallback_charset,
    struct buf *out);

/* Convert n bytes in charset to UTF-8, appended to out: bytes that do not
 * convert and NUL become U+FFFD. An unknown or NULL charset returns -1 and
 * appends the bytes read as UTF-8 the same way; otherwise returns 0. */
int charset_to_utf8(const char *charset, const char *s, size_t n,
    struct buf *out);
/* Append s to out as UTF-8: invalid bytes and NUL become U+FFFD. */
void charset_add_utf8(const char *s, size_t n, struct buf *out);

/* ---- search queries (query.c, query_raw.c, query_imap.c, query_match.c) */

/*
 * The search language the user types at "/" (quire.1, SEARCHING): free
 * words and "quoted phrases" (anywhere in the message), field:value terms
 * (from: to: cc: bcc: subject: body: since: before: on: larger: smaller:
 * is: has:), "not" or a leading "-", "or", parentheses, and "imap:" with raw
 * IMAP search keys to the end. Juxtaposition is AND and binds tighter than
 * "or". Parsing gives a tree; one back end writes the UID SEARCH criteria
 * for the server, the other evaluates the tree on cached summaries when the
 * server is out of reach. Parsing needs no set-up: a plain buffer and the
 * time that relative dates ("3d") count back from, read as a local date.
 */
#define QUERY_MAX_LEN	4096	/* bytes of query text */
#define QUERY_MAX_DEPTH	32	/* parentheses and negations, nested */

struct query;

/* Parse a query. An empty or blank text gives a query that matches every
 * message (query_is_empty()). On error returns NULL, sets *err (caller
 * frees) to "query:COL: what" where COL is the 1-based display column of
 * the fault, and *err_pos (may be NULL) to its byte offset. CR, LF, NUL,
 * other controls and invalid UTF-8 are refused: such text is never sent. */
struct query *query_parse(const char *text, time_t now, char **err,
    size_t *err_pos);
/* The same over n bytes, which may hold NUL (refused with an error). */
struct query *query_parse_mem(const char *text, size_t n, time_t now,
    char **err, size_t *err_pos);
void query_free(struct query **q);
/* True for the query of an empty text: the caller shows the whole folder. */
bool query_is_empty(const struct query *q);

/* One piece of the criteria: an atom or parenthesis to send as is, or a
 * user string to send quoted (ASCII; escape " and \) or as a literal. */
enum query_piece_type {
	QP_ATOM,
	QP_OPEN,	/* "(" */
	QP_CLOSE,	/* ")" */
	QP_QUOTED,	/* data: the string, unescaped, printable ASCII */
	QP_LITERAL,	/* data: UTF-8 bytes with some 8-bit byte */
};

struct query_piece {
	enum query_piece_type	 type;
	char			*data;
	size_t			 len;
};

/* UID SEARCH criteria as pieces; with utf8 set the command must say
 * CHARSET UTF-8 before them. query_imap_free() frees the pieces. */
struct query_imap {
	struct query_piece	*v;
	size_t			 n;
	size_t			 cap;
	bool			 utf8;
};

/* Write the criteria of q into out (zeroed by the caller). Returns 0, or
 * -1 with *err set (caller frees) if a string would hold CR, LF or NUL,
 * which query_parse() already refuses. Free words become TEXT, fields
 * their IMAP keys; "or" chains become nested binary ORs. */
int query_to_imap(const struct query *q, struct query_imap *out, char **err);
void query_imap_free(struct query_imap *qi);
/* Append the criteria as command text: "CHARSET UTF-8 " first when
 * needed, then the pieces, literals as "{N}\r\n" and their bytes, or
 * "{N+}\r\n" with literal_plus (LITERAL+, RFC 7888). */
void query_imap_text(const struct query_imap *qi, bool literal_plus,
    struct buf *out);

/* Evaluate q against one cached summary, as the server would; relative
 * dates count back from now (pass the time given to query_parse() to agree
 * with query_to_imap()). */
bool query_match(const struct query *q, const struct msg_summary *m,
    time_t now);
/* True if query_match() can only approximate the server: the cache has no
 * bodies, no keywords, no Bcc, and names rather than addresses, so body:,
 * free words (matched on subject, from and to), from:, to:, cc: and most
 * imap: keys may disagree with a search on the server. */
bool query_approximate(const struct query *q);
/* Append q in its normal form for the status line, as query text that
 * parses back to the same query. */
void query_describe(const struct query *q, struct buf *out);

#endif
