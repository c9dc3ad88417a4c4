/*
 * The raw IMAP search keys after "imap:" (RFC 3501 6.4.4, and MODSEQ from
 * RFC 7162), for users who know IMAP.
 *
 * They are parsed into the same tree as the language, never passed on as
 * text: query_imap.c writes them out again, every string quoted or sent as
 * a literal by the one writer. So a key quire does not know, a literal
 * "{N}" (which would let text past our checks), an unclosed quote or an
 * unbalanced parenthesis is an error here, with its position, and nothing
 * the user types can end the command or start another one. CHARSET is
 * refused too: quire adds it when a string needs it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query_priv.h"

enum rtok { R_END, R_ATOM, R_STRING, R_OPEN, R_CLOSE };

struct rparser {
	const char	*text;
	size_t		 n;
	size_t		 off;
	enum rtok	 type;
	size_t		 pos;		/* where the token starts */
	char		*val;		/* an atom, or a string unescaped */
	int		 depth;
	struct qerr	*err;
};

/* What follows a key. */
enum rarg {
	RA_NONE,	/* a flag: kind QK_FLAG */
	RA_ALL,
	RA_NEW,
	RA_STRING,
	RA_HEADER,
	RA_DATE,
	RA_NUMBER,
	RA_KEYWORD,
	RA_SET,
	RA_NOT,
	RA_OR,
	RA_MODSEQ,
};

static const struct raw_key {
	const char	*name;
	enum rarg	 arg;
	enum qk		 kind;
	uint32_t	 flag;
	bool		 un;
} raw_keys[] = {
	{ "ALL",	RA_ALL,		QK_ALL,		0,		false },
	{ "ANSWERED",	RA_NONE,	QK_FLAG,	MF_ANSWERED,	false },
	{ "BCC",	RA_STRING,	QK_BCC,		0,		false },
	{ "BEFORE",	RA_DATE,	QK_BEFORE,	0,		false },
	{ "BODY",	RA_STRING,	QK_BODY,	0,		false },
	{ "CC",		RA_STRING,	QK_CC,		0,		false },
	{ "DELETED",	RA_NONE,	QK_FLAG,	MF_DELETED,	false },
	{ "DRAFT",	RA_NONE,	QK_FLAG,	MF_DRAFT,	false },
	{ "FLAGGED",	RA_NONE,	QK_FLAG,	MF_FLAGGED,	false },
	{ "FROM",	RA_STRING,	QK_FROM,	0,		false },
	{ "HEADER",	RA_HEADER,	QK_HEADER,	0,		false },
	{ "KEYWORD",	RA_KEYWORD,	QK_KEYWORD,	0,		false },
	{ "LARGER",	RA_NUMBER,	QK_LARGER,	0,		false },
	{ "MODSEQ",	RA_MODSEQ,	QK_MODSEQ,	0,		false },
	{ "NEW",	RA_NEW,		QK_AND,		0,		false },
	{ "NOT",	RA_NOT,		QK_NOT,		0,		false },
	{ "OLD",	RA_NONE,	QK_FLAG,	MF_RECENT,	true },
	{ "ON",		RA_DATE,	QK_ON,		0,		false },
	{ "OR",		RA_OR,		QK_OR,		0,		false },
	{ "RECENT",	RA_NONE,	QK_FLAG,	MF_RECENT,	false },
	{ "SEEN",	RA_NONE,	QK_FLAG,	MF_SEEN,	false },
	{ "SENTBEFORE",	RA_DATE,	QK_SENTBEFORE,	0,		false },
	{ "SENTON",	RA_DATE,	QK_SENTON,	0,		false },
	{ "SENTSINCE",	RA_DATE,	QK_SENTSINCE,	0,		false },
	{ "SINCE",	RA_DATE,	QK_SINCE,	0,		false },
	{ "SMALLER",	RA_NUMBER,	QK_SMALLER,	0,		false },
	{ "SUBJECT",	RA_STRING,	QK_SUBJECT,	0,		false },
	{ "TEXT",	RA_STRING,	QK_TEXT,	0,		false },
	{ "TO",		RA_STRING,	QK_TO,		0,		false },
	{ "UID",	RA_SET,		QK_UID,		0,		false },
	{ "UNANSWERED",	RA_NONE,	QK_FLAG,	MF_ANSWERED,	true },
	{ "UNDELETED",	RA_NONE,	QK_FLAG,	MF_DELETED,	true },
	{ "UNDRAFT",	RA_NONE,	QK_FLAG,	MF_DRAFT,	true },
	{ "UNFLAGGED",	RA_NONE,	QK_FLAG,	MF_FLAGGED,	true },
	{ "UNKEYWORD",	RA_KEYWORD,	QK_KEYWORD,	0,		true },
	{ "UNSEEN",	RA_NONE,	QK_FLAG,	MF_SEEN,	true },
};

static struct query *rkey(struct rparser *);

/* ---- lexer ---- */

static void
rlex_string(struct rparser *r)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	char		 c;

	for (i = r->off + 1; i < r->n && r->text[i] != '"'; i++) {
		c = r->text[i];
		if (c == '\\') {
			if (i + 1 == r->n || (r->text[i + 1] != '"' &&
			    r->text[i + 1] != '\\')) {
				qerr_set(r->err, i, "imap: a backslash in a "
				    "quoted string must escape \" or \\");
				buf_free(&b);
				return;
			}
			c = r->text[++i];
		}
		buf_addch(&b, c);
	}
	if (i == r->n) {
		qerr_set(r->err, r->off, "imap: unclosed quote");
		buf_free(&b);
		return;
	}
	buf_addstr(&b, "");
	r->val = buf_detach(&b);
	r->type = R_STRING;
	r->off = i + 1;
}

/* The next token; R_END at the end and after an error. */
static void
rlex(struct rparser *r)
{
	size_t	 end;
	char	 c;

	free(r->val);
	r->val = NULL;
	r->type = R_END;
	while (r->off < r->n && (r->text[r->off] == ' ' ||
	    r->text[r->off] == '\t'))
		r->off++;
	r->pos = r->off;
	if (r->off == r->n || r->err->msg != NULL)
		return;
	c = r->text[r->off];
	if (c == '(' || c == ')') {
		r->type = c == '(' ? R_OPEN : R_CLOSE;
		r->off++;
	} else if (c == '"')
		rlex_string(r);
	else if (c == '{')
		qerr_set(r->err, r->off, "imap: literals are not allowed "
		    "(quire sends non-ASCII text as a literal itself)");
	else {
		for (end = r->off; end < r->n; end++)
			if (strchr(" \t()\"{", r->text[end]) != NULL)
				break;
		r->val = xstrndup(r->text + r->off, end - r->off);
		r->type = R_ATOM;
		r->off = end;
	}
}

/* ---- arguments ---- */

/* A string argument: an atom or a quoted string (an astring). */
static char *
rarg_string(struct rparser *r, const char *key)
{
	char	*s;

	rlex(r);
	if (r->type != R_ATOM && r->type != R_STRING) {
		qerr_set(r->err, r->pos, "imap: %s needs a string", key);
		return NULL;
	}
	s = r->val;
	r->val = NULL;
	return s;
}

/* d-Mon-yyyy, as RFC 3501 writes dates; quoted or not. */
static bool
rdate(const char *s, struct qdate *d)
{
	int	 i, k;

	for (k = 0, d->d = 0; k < 2 && s[k] >= '0' && s[k] <= '9'; k++)
		d->d = d->d * 10 + (s[k] - '0');
	if (k == 0 || s[k] != '-')
		return false;
	s += k + 1;
	for (i = 0, d->m = 0; i < 12; i++)
		if (strncasecmp(s, query_months[i], 3) == 0)
			d->m = i + 1;
	if (d->m == 0 || s[3] != '-')
		return false;
	s += 4;
	for (k = 0, d->y = 0; k < 4 && s[k] >= '0' && s[k] <= '9'; k++)
		d->y = d->y * 10 + (s[k] - '0');
	return k == 4 && s[k] == '\0' && d->y >= 1 && d->d >= 1 &&
	    d->d <= qdate_mdays(d->y, d->m);
}

/* A number of up to max; RFC 3501 numbers are digits only. */
static bool
rnumber(const char *s, uint64_t max, uint64_t *out)
{
	*out = 0;
	if (*s == '\0')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (*out > (max - (uint64_t)(*s - '0')) / 10)
			return false;
		*out = *out * 10 + (uint64_t)(*s - '0');
	}
	return *s == '\0';
}

/* A sequence set: numbers or "*", ranges with ":", joined by ",". */
static bool
rset(const char *s)
{
	uint64_t	 v;
	size_t		 k;
	char		 num[11];
	bool		 range = false;

	for (;;) {
		if (*s == '*')
			s++;
		else {
			for (k = 0; s[k] >= '0' && s[k] <= '9'; k++)
				if (k == sizeof num - 1)
					return false;
			memcpy(num, s, k);
			num[k] = '\0';
			if (k == 0 || num[0] == '0' ||
			    !rnumber(num, UINT32_MAX, &v))
				return false;
			s += k;
		}
		if (*s == '\0')
			return true;
		if (*s == ':' && !range)
			range = true;
		else if (*s == ',')
			range = false;
		else
			return false;
		s++;
	}
}

/* A keyword is an atom with no wildcard, backslash or bracket. */
static bool
rkeyword(const char *s)
{
	return *s != '\0' && strpbrk(s, "%*\\]") == NULL;
}

/* MODSEQ [entry-name entry-type] mod-sequence (RFC 7162 3.1.5). */
static bool
rmodseq(struct rparser *r, struct query *q)
{
	char	*c;

	rlex(r);
	if (r->type == R_STRING) {
		if (strncmp(r->val, "/flags/", 7) != 0 || r->val[7] == '\0') {
			qerr_set(r->err, r->pos, "imap: MODSEQ entry names "
			    "look like \"/flags/\\\\seen\"");
			return false;
		}
		q->s = r->val;
		r->val = NULL;
		rlex(r);
		if (r->type != R_ATOM || (!str_eq_nocase(r->val, "priv") &&
		    !str_eq_nocase(r->val, "shared") &&
		    !str_eq_nocase(r->val, "all"))) {
			qerr_set(r->err, r->pos, "imap: MODSEQ needs priv, "
			    "shared or all after the entry name");
			return false;
		}
		q->s2 = r->val;
		r->val = NULL;
		for (c = q->s2; *c != '\0'; c++)
			*c |= 0x20;
		rlex(r);
	}
	if (r->type != R_ATOM || !rnumber(r->val, INT64_MAX, &q->num)) {
		qerr_set(r->err, r->pos, "imap: MODSEQ needs a number");
		return false;
	}
	return true;
}

/* The argument of a key that takes one value, into q. */
static bool
rvalue(struct rparser *r, const struct raw_key *k, struct query *q)
{
	const char	*what;
	size_t		 at;
	char		*v;

	if (k->arg == RA_MODSEQ)
		return rmodseq(r, q);
	if ((v = rarg_string(r, k->name)) == NULL)
		return false;
	at = r->pos;
	switch (k->arg) {
	case RA_STRING:
		q->s = v;
		q->fold = query_fold(v);
		return true;
	case RA_DATE:
		if (rdate(v, &q->date))
			goto ok;
		what = "a date such as 1-Feb-2024";
		break;
	case RA_NUMBER:
		if (r->type == R_ATOM && rnumber(v, UINT32_MAX, &q->num))
			goto ok;
		what = "a number of bytes";
		break;
	case RA_KEYWORD:
		q->s = v;
		if (r->type == R_ATOM && rkeyword(v))
			return true;
		what = "a keyword";
		break;
	default:
		q->s = v;
		if (r->type == R_ATOM && rset(v))
			return true;
		what = "a set of UIDs such as 1:5,9";
		break;
	}
	qerr_set(r->err, at, "imap: %s needs %s", k->name, what);
	if (q->s != v)
		free(v);
	return false;
ok:
	free(v);
	return true;
}

/* A key of the table and what it takes. */
static struct query *
rknown(struct rparser *r, const struct raw_key *k)
{
	struct query	*q, *kid;

	switch (k->arg) {
	case RA_NEW:
		q = qnode(QK_AND);
		q->raw = true;
		qnode_add(q, kid = qnode(QK_FLAG));
		kid->raw = true;
		kid->flag = MF_RECENT;
		qnode_add(q, kid = qnode(QK_FLAG));
		kid->raw = true;
		kid->flag = MF_SEEN;
		kid->un = true;
		return q;
	default:
		break;
	}
	q = qnode(k->kind);
	q->raw = true;
	q->flag = k->flag;
	q->un = k->un;
	if (k->arg == RA_HEADER) {
		if ((q->s2 = rarg_string(r, k->name)) == NULL)
			goto fail;
		if (*q->s2 == '\0' || strpbrk(q->s2, ": \t") != NULL) {
			qerr_set(r->err, r->pos, "imap: HEADER needs a field "
			    "name, then a string");
			goto fail;
		}
		/* The field name goes first on the wire: s holds it. */
		q->s = q->s2;
		q->s2 = NULL;
		if ((q->s2 = rarg_string(r, k->name)) == NULL)
			goto fail;
		q->fold = query_fold(q->s2);
	} else if (k->arg != RA_NONE && k->arg != RA_ALL && !rvalue(r, k, q))
		goto fail;
	return q;
fail:
	query_free(&q);
	return NULL;
}

/* One more level of NOT, OR or parentheses, if the cap allows it. */
static bool
rdeeper(struct rparser *r)
{
	if (++r->depth <= QUERY_MAX_DEPTH)
		return true;
	qerr_set(r->err, r->pos, "imap: nested more than %d deep",
	    QUERY_MAX_DEPTH);
	return false;
}

/* NOT key, OR key key: the keys that hold keys. */
static struct query *
rlogic(struct rparser *r, const struct raw_key *k)
{
	struct query	*q, *kid;
	int		 i;

	if (!rdeeper(r))
		return NULL;
	rlex(r);
	if (k->arg == RA_NOT) {
		kid = rkey(r);
		q = kid == NULL ? NULL : qnode_not(kid, true);
	} else {
		/* Two keys; an OR among them joins this one's children. */
		q = qnode(QK_OR);
		q->raw = true;
		for (i = 0; i < 2 && q != NULL; i++)
			if ((kid = rkey(r)) != NULL)
				qnode_add(q, kid);
			else
				query_free(&q);
	}
	r->depth--;
	return q;
}

/* Keys up to ")" or the end: one key, or an AND of them. */
static struct query *
rlist(struct rparser *r)
{
	struct query	*q, *kid;

	q = qnode(QK_AND);
	q->raw = true;
	do {
		if ((kid = rkey(r)) == NULL) {
			query_free(&q);
			return NULL;
		}
		qnode_add(q, kid);
	} while (r->type != R_END && r->type != R_CLOSE);
	if (q->nkids == 1) {
		kid = q->kids[0];
		q->nkids = 0;
		query_free(&q);
		return kid;
	}
	return q;
}

static struct query *
rgroup(struct rparser *r)
{
	struct query	*q;
	size_t		 at = r->pos;

	if (!rdeeper(r))
		return NULL;
	rlex(r);
	if (r->type == R_CLOSE) {
		qerr_set(r->err, at, "imap: empty parentheses");
		return NULL;
	}
	if ((q = rlist(r)) != NULL && r->type != R_CLOSE) {
		qerr_set(r->err, at, "imap: unclosed '('");
		query_free(&q);
	}
	r->depth--;
	rlex(r);
	return q;
}

/* An unknown key: the nearest known one, if any. */
static void
runknown(struct rparser *r)
{
	const char	*names[nitems(raw_keys)], *near;
	char		 up[16];
	size_t		 i;

	for (i = 0; i < nitems(raw_keys); i++)
		names[i] = raw_keys[i].name;
	for (i = 0; i + 1 < sizeof up && r->val[i] != '\0'; i++)
		up[i] = (r->val[i] >= 'a' && r->val[i] <= 'z') ?
		    (char)(r->val[i] - 32) : r->val[i];
	up[i] = '\0';
	near = r->val[i] == '\0' ?
	    query_suggest(up, names, nitems(names)) : NULL;
	if (str_eq_nocase(r->val, "CHARSET"))
		qerr_set(r->err, r->pos, "imap: leave CHARSET out; quire "
		    "adds it when the text needs it");
	else if (near != NULL)
		qerr_set(r->err, r->pos, "imap: unknown search key '%.32s' "
		    "\xe2\x80\x94 did you mean '%s'?", r->val, near);
	else
		qerr_set(r->err, r->pos, "imap: unknown search key '%.32s'",
		    r->val);
}

/* One search key at the current token; leaves the token after it. */
static struct query *
rkey(struct rparser *r)
{
	const struct raw_key	*k = NULL;
	struct query		*q;
	size_t			 i;

	if (r->type != R_ATOM && r->type != R_OPEN) {
		qerr_set(r->err, r->pos, r->type == R_END ?
		    "imap: a search key is missing at the end" :
		    r->type == R_CLOSE ? "imap: unexpected ')'" :
		    "imap: a quoted string where a search key should be");
		return NULL;
	}
	if (r->type == R_OPEN)
		q = rgroup(r);
	else if ((r->val[0] >= '0' && r->val[0] <= '9') || r->val[0] == '*') {
		q = NULL;
		if (!rset(r->val))
			qerr_set(r->err, r->pos, "imap: bad sequence set "
			    "'%.32s'", r->val);
		else {
			q = qnode(QK_SEQ);
			q->raw = true;
			q->s = r->val;
			r->val = NULL;
			rlex(r);
		}
	} else {
		for (i = 0; i < nitems(raw_keys); i++)
			if (str_eq_nocase(r->val, raw_keys[i].name))
				k = &raw_keys[i];
		if (k == NULL) {
			runknown(r);
			return NULL;
		}
		if (k->arg == RA_NOT || k->arg == RA_OR)
			q = rlogic(r, k);
		else if ((q = rknown(r, k)) != NULL)
			rlex(r);
	}
	return q;
}

struct query *
query_raw_parse(const char *text, size_t start, size_t n, int depth,
    struct qerr *e)
{
	struct rparser	 r;
	struct query	*q;

	memset(&r, 0, sizeof r);
	r.text = text;
	r.n = n;
	r.off = start;
	r.depth = depth;
	r.err = e;
	rlex(&r);
	if (r.type == R_END && e->msg == NULL) {
		qerr_set(e, start, "imap: needs search keys after it");
		return NULL;
	}
	if ((q = rlist(&r)) != NULL && r.type == R_CLOSE)
		qerr_set(e, r.pos, "imap: unexpected ')'");
	free(r.val);
	if (e->msg != NULL)
		query_free(&q);
	return q;
}
