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

#endif
