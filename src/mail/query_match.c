/*
 * The query tree evaluated against cached summaries, for a search while
 * the server is out of reach, or to place a new message in a filtered
 * index without asking the server again.
 *
 * The cache holds what the index shows: flags, sizes, dates, and the
 * decoded subject and names (a name, not the address, when the sender
 * gave one). So flags, sizes, dates and the subject are judged as the
 * server would; words and body: are looked for in the subject, from and
 * to only; from:, to: and cc: miss an address hidden behind a name; Bcc,
 * keywords, other headers and message numbers are not known and count as
 * not matching. query_approximate() says when any of that is in play, so
 * the interface can say the result is approximate.
 *
 * Dates compare as IMAP does: the calendar day of the internal date, read
 * in local time, with the time of day ignored.
 *
 * Strings compare as substrings after a simple case fold: ASCII, Latin-1,
 * Latin Extended-A, Greek and Cyrillic. Servers use the full Unicode
 * casemap (RFC 5051); for the scripts above the two agree.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query_priv.h"

/* Latin Extended-A pairs an upper case letter at an even code point with
 * its lower case after it, except in two runs where upper is odd. */
static uint32_t
fold_latin_a(uint32_t c)
{
	switch (c) {
	case 0x130:
		return 'i';
	case 0x131:
	case 0x138:
	case 0x149:
		return c;
	case 0x178:
		return 0xff;
	case 0x17f:
		return 's';
	}
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return (c & 1) ? c + 1 : c;
	return (c & 1) ? c : c + 1;
}

static uint32_t
fold_cp(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c < 0xc0)
		return c;
	if (c <= 0xde)
		return c == 0xd7 ? c : c + 32;
	if (c >= 0x100 && c <= 0x17f)
		return fold_latin_a(c);
	if ((c >= 0x391 && c <= 0x3a9 && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f))
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	switch (c) {
	case 0x386:	return 0x3ac;
	case 0x388:
	case 0x389:
	case 0x38a:	return c + 37;
	case 0x38c:	return 0x3cc;
	case 0x38e:
	case 0x38f:	return c + 63;
	case 0x3c2:	return 0x3c3;	/* final sigma */
	default:	return c;
	}
}

char *
query_fold(const char *s)
{
	struct buf	 b = BUF_INIT;
	size_t		 n = strlen(s), k;
	uint32_t	 cp;
	char		 enc[4];

	buf_addstr(&b, "");
	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (cp == UTF8_REPLACEMENT && k == 1)
			buf_addch(&b, *s);	/* keep a stray byte as is */
		else
			buf_add(&b, enc, utf8_encode(fold_cp(cp), enc));
		s += k;
		n -= k;
	}
	return buf_detach(&b);
}

/* needle (folded) in hay, ignoring case. */
static bool
contains(const char *hay, const char *needle)
{
	char	*f;
	bool	 found;

	if (hay == NULL)
		return false;
	f = query_fold(hay);
	found = strstr(f, needle) != NULL;
	free(f);
	return found;
}

/* The local calendar day of t, as days since the epoch. */
static long
local_days(int64_t t)
{
	struct qdate	 d;
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	memset(&tm, 0, sizeof tm);
	localtime_r(&tt, &tm);
	d.y = tm.tm_year + 1900;
	d.m = tm.tm_mon + 1;
	d.d = tm.tm_mday;
	return qdate_days(&d);
}

static bool
match_date(const struct query *q, const struct msg_summary *m, time_t now)
{
	struct qdate	 target = q->date;
	long		 day, want;
	int64_t		 t;

	if (q->rel_unit != 0)
		qdate_relative(now, q->rel_n, q->rel_unit, &target);
	want = qdate_days(&target);
	t = q->kind >= QK_SENTSINCE ? m->date : m->internal_date;
	if (q->kind >= QK_SENTSINCE && t == 0)
		return false;
	day = local_days(t);
	switch (q->kind) {
	case QK_SINCE:
	case QK_SENTSINCE:
		return day >= want;
	case QK_BEFORE:
	case QK_SENTBEFORE:
		return day < want;
	default:
		return day == want;
	}
}

/* uid in a sequence set; "*" stands for the largest UID there can be. */
static bool
in_set(uint32_t uid, const char *s)
{
	unsigned long	 a, b;
	char		*end;

	while (*s != '\0') {
		a = *s == '*' ? UINT32_MAX : strtoul(s, &end, 10);
		s = *s == '*' ? s + 1 : end;
		b = a;
		if (*s == ':') {
			s++;
			b = *s == '*' ? UINT32_MAX : strtoul(s, &end, 10);
			s = *s == '*' ? s + 1 : end;
		}
		if ((uid >= a && uid <= b) || (uid >= b && uid <= a))
			return true;
		if (*s == ',')
			s++;
	}
	return false;
}

/* A header search on the headers the cache keeps; others are unknown. */
static bool
match_header(const struct query *q, const struct msg_summary *m)
{
	if (strcasecmp(q->s, "From") == 0)
		return contains(m->from, q->fold);
	if (strcasecmp(q->s, "To") == 0)
		return contains(m->to, q->fold);
	if (strcasecmp(q->s, "Cc") == 0)
		return contains(m->cc, q->fold);
	if (strcasecmp(q->s, "Subject") == 0)
		return contains(m->subject, q->fold);
	return false;
}

static bool
match_leaf(const struct query *q, const struct msg_summary *m, time_t now)
{
	switch (q->kind) {
	case QK_TEXT:
	case QK_BODY:
		return contains(m->subject, q->fold) ||
		    contains(m->from, q->fold) || contains(m->to, q->fold);
	case QK_FROM:
		return contains(m->from, q->fold);
	case QK_TO:
		return contains(m->to, q->fold);
	case QK_CC:
		return contains(m->cc, q->fold);
	case QK_SUBJECT:
		return contains(m->subject, q->fold);
	case QK_HEADER:
		return match_header(q, m);
	case QK_KEYWORD:
		return q->un;
	case QK_FLAG:
		return ((m->flags & q->flag) != 0) != q->un;
	case QK_LARGER:
		return m->size > q->num;
	case QK_SMALLER:
		return m->size < q->num;
	case QK_MODSEQ:
		return m->modseq >= q->num;
	case QK_UID:
		return in_set(m->uid, q->s);
	case QK_ATTACHMENT:
		return (m->flags & MF_ATTACHMENT) != 0;
	case QK_SINCE:
	case QK_BEFORE:
	case QK_ON:
	case QK_SENTSINCE:
	case QK_SENTBEFORE:
	case QK_SENTON:
		return match_date(q, m, now);
	default:
		return false;	/* Bcc, message numbers */
	}
}

bool
query_match(const struct query *q, const struct msg_summary *m, time_t now)
{
	size_t	 i;

	switch (q->kind) {
	case QK_ALL:
		return true;
	case QK_AND:
		for (i = 0; i < q->nkids; i++)
			if (!query_match(q->kids[i], m, now))
				return false;
		return true;
	case QK_OR:
		for (i = 0; i < q->nkids; i++)
			if (query_match(q->kids[i], m, now))
				return true;
		return false;
	case QK_NOT:
		return !query_match(q->kids[0], m, now);
	default:
		return match_leaf(q, m, now);
	}
}

bool
query_approximate(const struct query *q)
{
	size_t	 i;

	switch (q->kind) {
	case QK_AND:
	case QK_OR:
	case QK_NOT:
		for (i = 0; i < q->nkids; i++)
			if (query_approximate(q->kids[i]))
				return true;
		return false;
	case QK_TEXT:
	case QK_BODY:
	case QK_FROM:
	case QK_TO:
	case QK_CC:
	case QK_BCC:
	case QK_HEADER:
	case QK_KEYWORD:
	case QK_SENTSINCE:
	case QK_SENTBEFORE:
	case QK_SENTON:
	case QK_SEQ:
		return true;
	default:
		return false;
	}
}
