/*
 * Private to the query language: the tree the parsers build and the back
 * ends walk.
 *
 * query.c parses the user's language, query_raw.c the IMAP search keys
 * after "imap:"; both build the same nodes, so query_imap.c writes one
 * IMAP form and query_match.c evaluates one tree, whichever syntax the
 * user wrote. A node from the imap: part carries `raw`, so describing the
 * query gives it back in IMAP syntax.
 *
 * Ownership: a node owns its strings and its children.
 */
#ifndef QUIRE_QUERY_PRIV_H
#define QUIRE_QUERY_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "quire/mail.h"

enum qk {
	QK_ALL,		/* the empty query */
	QK_AND,
	QK_OR,
	QK_NOT,		/* one child */
	QK_TEXT,	/* s: headers and body */
	QK_BODY,
	QK_FROM,
	QK_TO,
	QK_CC,
	QK_BCC,
	QK_SUBJECT,
	QK_HEADER,	/* s: the field name, s2: the value */
	QK_KEYWORD,	/* s: a keyword atom; un: UNKEYWORD */
	QK_FLAG,	/* flag: one MF_* bit; un: the UN- form */
	QK_SINCE,	/* date: the internal date... */
	QK_BEFORE,
	QK_ON,
	QK_SENTSINCE,	/* ...or the Date: header */
	QK_SENTBEFORE,
	QK_SENTON,
	QK_LARGER,	/* num: bytes */
	QK_SMALLER,
	QK_MODSEQ,	/* num; s, s2: entry name and type, or NULL */
	QK_UID,		/* s: a sequence set */
	QK_SEQ,		/* s: a sequence set of message numbers */
	QK_ATTACHMENT,	/* has:attachment */
};

/* A calendar day. */
struct qdate {
	int	y;
	int	m;	/* 1-12 */
	int	d;	/* 1-31 */
};

struct query {
	enum qk		  kind;
	bool		  raw;		/* written after imap: */
	struct query	**kids;		/* QK_AND, QK_OR, QK_NOT */
	size_t		  nkids;
	char		 *s;
	char		 *s2;
	char		 *fold;		/* s case-folded, for query_match() */
	uint64_t	  num;
	uint32_t	  flag;
	bool		  un;
	struct qdate	  date;		/* resolved when parsed */
	int		  rel_n;	/* relative date: rel_n units back, */
	char		  rel_unit;	/* 'd', 'w', 'm' or 'y'; 0 absolute */
};

/* Where a parse stopped: the first error wins. */
struct qerr {
	char	*msg;
	size_t	 pos;		/* byte offset in the whole query text */
};

/* A new node of that kind, all else zero. */
struct query *qnode(enum qk kind);
/* Add kid to an AND, OR or NOT node. */
void qnode_add(struct query *q, struct query *kid);
/* NOT kid, or kid's child when kid is itself a NOT. */
struct query *qnode_not(struct query *kid, bool raw);
/* A string node; s is copied and folded. */
struct query *qnode_str(enum qk kind, const char *s, size_t n);
/* Record an error at pos unless one is already there. */
void qerr_set(struct qerr *e, size_t pos, const char *fmt, ...)
    QUIRE_PRINTF(3, 4);

/* The closest of n names to word, if close enough to be a typo; or NULL. */
const char *query_suggest(const char *word, const char *const *names,
    size_t n);

/* The is: word for a flag node, e.g. "unread"; NULL if there is none. */
const char *query_is_name(uint32_t flag, bool un);

/* The raw IMAP search keys in text[start, n), at nesting depth `depth`:
 * a QK_AND node marked raw, or NULL with e set. */
struct query *query_raw_parse(const char *text, size_t start, size_t n,
    int depth, struct qerr *e);

/* Case-fold UTF-8 for offline matching: ASCII, Latin-1, Latin Extended-A,
 * Greek and Cyrillic. Returns a new string. */
char *query_fold(const char *s);

/* The days since 1970-01-01 of a calendar day, and back. */
long qdate_days(const struct qdate *d);
void qdate_from_days(long days, struct qdate *d);
/* Days in that month of that year. */
int qdate_mdays(int y, int m);
/* Resolve a relative date (n units back from now's local date). */
void qdate_relative(time_t now, int n, char unit, struct qdate *out);

/* The three-letter English month names IMAP dates use, [0] = "Jan". */
extern const char *const query_months[12];

#endif
