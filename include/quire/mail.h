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
	QP_QUOTED,	/* data: the string, unescaped; 7-bit, no CR LF NUL */
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
 * parses back to the same query. Quoting can make it longer than the text
 * parsed: past QUERY_MAX_LEN it is refused like any text that long. */
void query_describe(const struct query *q, struct buf *out);

/* ---- MIME: parts, rendering, attachments ----
 *
 * A message becomes a tree of struct mail_part, either parsed from its
 * bytes (mail_mime_parse) or built by the engine from BODYSTRUCTURE
 * (mail_part_new and the setters). mail_text_sections() names the sections
 * the text needs, so only those are fetched; mail_render() turns the tree
 * into lines for the pager. Depth and part count are capped while the tree
 * is built, before any deep work; what lies beyond a cap is a notice.
 */
#define MAIL_MIME_DEPTH_MAX	50
#define MAIL_MIME_PARTS_MAX	1000
#define MAIL_RENDER_TEXT_MAX	(16 * 1024 * 1024)

enum mail_encoding {
	MAIL_ENC_7BIT,
	MAIL_ENC_8BIT,
	MAIL_ENC_BINARY,
	MAIL_ENC_QP,
	MAIL_ENC_BASE64,
	MAIL_ENC_UUENCODE,
	MAIL_ENC_UNKNOWN,	/* shown raw */
};

#define MAIL_PART_CUT_DEPTH	0x01	/* children not parsed: too deep */
#define MAIL_PART_CUT_PARTS	0x02	/* children cut: too many parts */

/* One MIME entity. Strings are owned by the part; body and header point
 * into the buffer given to mail_mime_parse() (keep it alive) or are owned
 * when set by mail_part_set_body() or mail_part_set_header(). */
struct mail_part {
	struct mail_part	*parent;
	struct mail_part	*child;		/* first child */
	struct mail_part	*next;		/* next sibling */
	char			*section;	/* IMAP: "1.2", "2.TEXT", "TEXT" */
	char			*type;		/* lower case, never NULL */
	char			*subtype;	/* lower case, never NULL */
	char			*charset;	/* NULL: none given */
	char			*boundary;	/* multipart only */
	char			*filename;	/* decoded UTF-8 (unsafe); NULL */
	bool			 attachment;	/* Content-Disposition: attachment */
	bool			 flowed;	/* format=flowed */
	bool			 delsp;		/* delsp=yes */
	enum mail_encoding	 encoding;
	uint64_t		 size;		/* encoded body bytes */
	unsigned		 depth;		/* 0 for the root */
	unsigned		 flags;		/* MAIL_PART_CUT_* */
	const char		*header;	/* message parts: the header block */
	size_t			 header_len;
	const char		*body;		/* the encoded body, when known */
	size_t			 body_len;
	bool			 has_body;
	/* private */
	struct mail_part	*last;
	size_t			 nparts;	/* root only: parts in the tree */
	unsigned		 owns;
};

/* Parse a whole message (BODY[] bytes) into a tree; never NULL. The tree
 * points into msg: keep msg alive while it is used. Free with
 * mail_part_free(). */
struct mail_part *mail_mime_parse(const char *msg, size_t n,
    const char *fallback_charset);
/* A new part: the root when parent is NULL, else parent's last child.
 * NULL when the depth or part cap is reached (the parent is flagged). The
 * type defaults to text/plain. */
struct mail_part *mail_part_new(struct mail_part *parent);
void mail_part_set_type(struct mail_part *p, const char *type,
    const char *subtype);
/* The n Content-Type parameters (or Content-Disposition ones when
 * disposition is true) as BODYSTRUCTURE gives them: RFC 2231 names
 * ("filename*0*", continuations) and RFC 2047 values are decoded. */
void mail_part_set_params(struct mail_part *p, bool disposition,
    const char *const *names, const char *const *values, size_t n,
    const char *fallback_charset);
/* "attachment" or "inline" (any case). */
void mail_part_set_disposition(struct mail_part *p, const char *disposition);
/* "base64", "quoted-printable"... (any case). */
void mail_part_set_encoding(struct mail_part *p, const char *encoding);
/* Fill type, parameters, encoding and disposition from a MIME header block
 * (BODY[n.MIME] bytes). */
void mail_part_set_mime(struct mail_part *p, const char *hdr, size_t n,
    const char *fallback_charset);
/* Copy the fetched body (BODY[section]) or, for a message part, its header
 * block (BODY[section.HEADER]) into the part. */
void mail_part_set_body(struct mail_part *p, const char *body, size_t n);
void mail_part_set_header(struct mail_part *p, const char *hdr, size_t n);
/* The part with that section ("1.2", "2.HEADER" finds part 2), or NULL. */
struct mail_part *mail_part_find(struct mail_part *root, const char *section);
/* Free a whole tree (from its root) and set *root to NULL. */
void mail_part_free(struct mail_part **root);

/* What a rendering shows and how. */
struct mail_render_opts {
	const char	*fallback_charset;	/* raw 8-bit text; NULL: none */
	bool		 prefer_html;		/* in multipart/alternative */
	bool		 headers;		/* From To Cc Date Subject */
	size_t		 text_max;		/* 0: MAIL_RENDER_TEXT_MAX */
	/* The user's html_filter, run by the caller: returns 0 with text
	 * (UTF-8) appended to out, or -1 to use mail_html_to_text(). */
	int		(*html_filter)(void *arg, const char *html, size_t n,
			    struct buf *out);
	void		*html_arg;
};

enum mail_line_kind {
	ML_HEADER,
	ML_BODY,
	ML_QUOTE,
	ML_NOTICE,
	ML_ATTACHMENT,
};

/* One line, not wrapped. Text is UTF-8 with no LF; other controls are
 * kept for safe_text(). */
struct mail_line {
	const char	*text;		/* NUL-terminated */
	size_t		 len;
	uint8_t		 kind;		/* enum mail_line_kind */
	uint8_t		 quote;		/* ML_QUOTE: the level, 1 and up */
	uint8_t		 level;		/* embedded message depth, 0 the top */
};

/* A part the pager lists; fetch it with BODY.PEEK[section]. */
struct mail_attachment {
	char			*section;
	char			*type;		/* "application/pdf" */
	char			*filename;	/* decoded, NOT safe: see below */
	uint64_t		 size;		/* decoded, estimated */
	enum mail_encoding	 encoding;
};

struct mail_render {
	struct mail_line	*lines;
	size_t			 nlines;
	struct mail_attachment	*attachments;
	size_t			 nattachments;
	bool			 truncated;	/* a cap cut something */
	/* private */
	struct buf		 text;
	size_t			 lines_cap;
	size_t			 attachments_cap;
};

/* Sections the text of the tree needs that it does not hold yet: each
 * text part shown ("1.1") and each embedded message's header
 * ("2.HEADER"). Appends new strings to out (the caller frees them). */
void mail_text_sections(struct mail_part *root,
    const struct mail_render_opts *o, struct ptrarray *out);
/* Render the tree into r (zeroed or freed before); parts without their
 * body become a notice. */
void mail_render(struct mail_part *root, const struct mail_render_opts *o,
    struct mail_render *r);
/* Parse and render a whole message. */
void mail_render_message(const char *msg, size_t n,
    const struct mail_render_opts *o, struct mail_render *r);
void mail_render_free(struct mail_render *r);

/* The built-in HTML to text converter (UTF-8 in, UTF-8 lines out). */
void mail_html_to_text(const char *html, size_t n, struct buf *out);
/* Undo a transfer encoding, appended to out; returns 0, or -1 when some
 * input did not decode (what did is still appended). */
int mail_decode_body(enum mail_encoding enc, const char *in, size_t n,
    struct buf *out);
/* A safe basename for saving an attachment: no '/', NUL or control, no
 * leading '.', no "..", at most 200 bytes (the extension kept), never
 * empty. *flagged (may be NULL) is set when bidi or invisible marks were
 * removed: the name may disguise itself. Returns a new string. */
char *mail_safe_filename(const char *name, size_t n, bool *flagged);

#endif
