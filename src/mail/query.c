/*
 * The search language: text the user types at "/" becomes a tree.
 *
 *	query	:= [ or ]
 *	or	:= and { "or" and }
 *	and	:= unary { [ "and" ] unary }		juxtaposition is AND
 *	unary	:= ( "not" | "-" ) unary | primary
 *	primary	:= "(" or ")" | word | "phrase" | field:value | imap:keys...
 *
 * "or", "and" and "not" are keywords in any case; quoted, they are words.
 * A word with letters and a colon at its start is a field: an unknown
 * field is an error (with a suggestion) rather than a silent text search,
 * so a typo never widens a search. "imap:" takes the rest of the text as
 * raw IMAP search keys (query_raw.c); outside parentheses only, since it
 * would swallow the closing one.
 *
 * The whole text is checked before lexing: CR, LF, NUL and other controls
 * end a command on the wire (LIBETPAN.md 4), and invalid UTF-8 cannot go
 * with CHARSET UTF-8, so both are refused with their position. Nesting
 * (parentheses and negations together) is capped at QUERY_MAX_DEPTH, and
 * the text at QUERY_MAX_LEN bytes, so the recursion is bounded.
 *
 * Relative dates ("3d") are resolved against the caller's `now` as a local
 * date, so tests are deterministic; the node also keeps the relative form
 * for query_match(), which may be handed a later now.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "query_priv.h"

enum tok_type {
	T_END,
	T_WORD,
	T_PHRASE,
	T_FIELD,	/* name:value */
	T_IMAP,		/* imap: and the rest */
	T_NEG,		/* a leading "-" */
	T_OPEN,
	T_CLOSE,
};

struct tok {
	enum tok_type	 type;
	size_t		 pos;		/* where the token starts */
	char		*text;		/* word or phrase unescaped; a value */
	char		 name[16];	/* a field's name, lower case */
	size_t		 namelen;	/* as written, may exceed the array */
	size_t		 vpos;		/* where a field's value starts */
};

struct parser {
	const char	*text;
	size_t		 n;
	size_t		 off;		/* the lexer's position */
	struct tok	 tok;		/* the current token */
	int		 depth;		/* parentheses and negations */
	int		 parens;
	time_t		 now;
	struct qerr	 err;
};

enum field_type { F_STRING, F_DATE, F_SIZE, F_IS, F_HAS };

static const struct field {
	const char	*name;
	enum field_type	 type;
	enum qk		 kind;
} fields[] = {
	{ "from",	F_STRING,	QK_FROM },
	{ "to",		F_STRING,	QK_TO },
	{ "cc",		F_STRING,	QK_CC },
	{ "bcc",	F_STRING,	QK_BCC },
	{ "subject",	F_STRING,	QK_SUBJECT },
	{ "body",	F_STRING,	QK_BODY },
	{ "since",	F_DATE,		QK_SINCE },
	{ "before",	F_DATE,		QK_BEFORE },
	{ "on",		F_DATE,		QK_ON },
	{ "larger",	F_SIZE,		QK_LARGER },
	{ "smaller",	F_SIZE,		QK_SMALLER },
	{ "is",		F_IS,		QK_FLAG },
	{ "has",	F_HAS,		QK_ATTACHMENT },
	{ "imap",	F_STRING,	QK_ALL },	/* lexed apart */
};

static const struct is_value {
	const char	*name;
	uint32_t	 flag;
	bool		 un;
} is_values[] = {
	{ "read",	MF_SEEN,	false },
	{ "unread",	MF_SEEN,	true },
	{ "seen",	MF_SEEN,	false },
	{ "unseen",	MF_SEEN,	true },
	{ "flagged",	MF_FLAGGED,	false },
	{ "unflagged",	MF_FLAGGED,	true },
	{ "answered",	MF_ANSWERED,	false },
	{ "unanswered",	MF_ANSWERED,	true },
	{ "deleted",	MF_DELETED,	false },
	{ "undeleted",	MF_DELETED,	true },
	{ "draft",	MF_DRAFT,	false },
	{ "undraft",	MF_DRAFT,	true },
};

const char *const query_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static struct query *parse_or(struct parser *);

struct query *
qnode(enum qk kind)
{
	struct query	*q;

	q = xcalloc(1, sizeof *q);
	q->kind = kind;
	return q;
}

/* An AND in an AND (an OR in an OR) gives its children to its parent, so
 * "(a b) c" and "a b c" are one tree; a raw group keeps its shape, which
 * query_describe() gives back after "imap:". */
void
qnode_add(struct query *q, struct query *kid)
{
	size_t	 i;

	if (kid->kind == q->kind && q->kind != QK_NOT && kid->raw == q->raw) {
		for (i = 0; i < kid->nkids; i++)
			qnode_add(q, kid->kids[i]);
		kid->nkids = 0;
		query_free(&kid);
		return;
	}
	q->kids = xreallocarray(q->kids, q->nkids + 1, sizeof *q->kids);
	q->kids[q->nkids++] = kid;
}

struct query *
qnode_not(struct query *kid, bool raw)
{
	struct query	*q;

	if (kid->kind == QK_NOT) {
		q = kid->kids[0];
		kid->nkids = 0;
		query_free(&kid);
		return q;
	}
	q = qnode(QK_NOT);
	q->raw = raw;
	qnode_add(q, kid);
	return q;
}

struct query *
qnode_str(enum qk kind, const char *s, size_t n)
{
	struct query	*q;

	q = qnode(kind);
	q->s = xstrndup(s, n);
	q->fold = query_fold(q->s);
	return q;
}

void
qerr_set(struct qerr *e, size_t pos, const char *fmt, ...)
{
	va_list	 ap;

	if (e->msg != NULL)
		return;
	va_start(ap, fmt);
	e->msg = xvasprintf(fmt, ap);
	va_end(ap);
	e->pos = pos;
}

void
query_free(struct query **qp)
{
	struct query	*q;
	size_t		 i;

	if (qp == NULL || *qp == NULL)
		return;
	q = *qp;
	for (i = 0; i < q->nkids; i++)
		query_free(&q->kids[i]);
	free(q->kids);
	free(q->s);
	free(q->s2);
	free(q->fold);
	free(q);
	*qp = NULL;
}

bool
query_is_empty(const struct query *q)
{
	return q == NULL || q->kind == QK_ALL;
}

/* ---- calendar days ---- */

/* Days from 1970-01-01 in the proleptic Gregorian calendar (the civil
 * from/to days algorithm: eras of 400 years, years starting in March). */
long
qdate_days(const struct qdate *d)
{
	long	 y = d->y - (d->m <= 2), era, yoe, doy, doe;

	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (d->m + (d->m > 2 ? -3 : 9)) + 2) / 5 + d->d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
qdate_from_days(long days, struct qdate *d)
{
	long	 z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d->m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d->y = (int)(yoe + era * 400 + (d->m <= 2));
}

int
qdate_mdays(int y, int m)
{
	static const int	 mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return mdays[m - 1];
}

/* Months and years count back on the calendar; a day the target month
 * does not have becomes its last (2024-03-31 minus 1m is 2024-02-29). */
void
qdate_relative(time_t now, int n, char unit, struct qdate *out)
{
	struct tm	 tm;
	long		 months;

	memset(&tm, 0, sizeof tm);
	localtime_r(&now, &tm);
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
	if (unit == 'd' || unit == 'w') {
		qdate_from_days(qdate_days(out) - (long)n * (unit == 'w' ? 7 : 1),
		    out);
		return;
	}
	months = (long)out->y * 12 + (out->m - 1) - (long)n *
	    (unit == 'y' ? 12 : 1);
	if (months < 0)
		months = 0;	/* year 0: out of range for the caller */
	out->y = (int)(months / 12);
	out->m = (int)(months % 12) + 1;
	if (out->d > qdate_mdays(out->y, out->m))
		out->d = qdate_mdays(out->y, out->m);
}

/* ---- lexer ---- */

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_delim(char c)
{
	return is_space(c) || c == '(' || c == ')' || c == '"';
}

/* A quoted phrase at p->off: \" and \\ are escapes, any other backslash
 * stands for itself. Sets tok.text; false if it is not closed. */
static bool
lex_phrase(struct parser *p)
{
	struct buf	 b = BUF_INIT;
	size_t		 start = p->off, i;
	char		 c;

	for (i = p->off + 1; i < p->n; i++) {
		c = p->text[i];
		if (c == '"')
			break;
		if (c == '\\' && i + 1 < p->n &&
		    (p->text[i + 1] == '"' || p->text[i + 1] == '\\'))
			c = p->text[++i];
		buf_addch(&b, c);
	}
	if (i == p->n) {
		buf_free(&b);
		qerr_set(&p->err, start, "unclosed quote");
		return false;
	}
	buf_addstr(&b, "");
	p->tok.text = buf_detach(&b);
	p->off = i + 1;
	return true;
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A word, or a field when letters and a colon start it. */
static void
lex_word(struct parser *p)
{
	size_t	 start = p->off, end, i;

	for (end = start; end < p->n && !is_delim(p->text[end]); end++)
		continue;
	for (i = start; i < end && is_alpha(p->text[i]); i++)
		continue;
	p->off = end;
	if (i == start || i == end || p->text[i] != ':') {
		p->tok.type = T_WORD;
		p->tok.text = xstrndup(p->text + start, end - start);
		return;
	}
	p->tok.type = T_FIELD;
	p->tok.namelen = i - start;
	p->tok.vpos = i + 1;
	if (p->tok.namelen < sizeof p->tok.name) {
		memcpy(p->tok.name, p->text + start, p->tok.namelen);
		for (i = 0; i < p->tok.namelen; i++)
			p->tok.name[i] |= 0x20;
	}
	if (strcmp(p->tok.name, "imap") == 0) {
		p->tok.type = T_IMAP;
		p->off = p->n;
	} else if (p->tok.vpos == end && end < p->n && p->text[end] == '"')
		(void)lex_phrase(p);
	else
		p->tok.text = xstrndup(p->text + p->tok.vpos,
		    end - p->tok.vpos);
}

/* The next token into p->tok; T_END at the end and after an error. */
static void
lex_next(struct parser *p)
{
	char	 c, next;

	free(p->tok.text);
	memset(&p->tok, 0, sizeof p->tok);
	while (p->off < p->n && is_space(p->text[p->off]))
		p->off++;
	p->tok.pos = p->off;
	if (p->off == p->n || p->err.msg != NULL)
		return;
	c = p->text[p->off];
	next = p->off + 1 < p->n ? p->text[p->off + 1] : '\0';
	if (c == '(' || c == ')') {
		p->tok.type = c == '(' ? T_OPEN : T_CLOSE;
		p->off++;
	} else if (c == '"') {
		if (lex_phrase(p))
			p->tok.type = T_PHRASE;
	} else if (c == '-') {
		if (next == '\0' || is_space(next) || next == ')')
			qerr_set(&p->err, p->off,
			    "'-' needs a term right after it");
		p->tok.type = T_NEG;
		p->off++;
	} else
		lex_word(p);
	if (p->err.msg != NULL) {
		free(p->tok.text);
		p->tok.text = NULL;
		p->tok.type = T_END;
	}
}

/* ---- checks on the whole text ---- */

/* Refuse what must never reach the server, with its position. */
static bool
check_text(struct parser *p)
{
	const unsigned char	*s = (const unsigned char *)p->text;
	uint32_t		 cp;
	size_t			 i, k;

	if (p->n > QUERY_MAX_LEN) {
		qerr_set(&p->err, QUERY_MAX_LEN,
		    "the search text is longer than %d bytes", QUERY_MAX_LEN);
		return false;
	}
	for (i = 0; i < p->n; i += k) {
		k = 1;
		if (s[i] == '\r' || s[i] == '\n')
			qerr_set(&p->err, i, "a line break cannot be sent "
			    "in a search");
		else if (s[i] == '\0')
			qerr_set(&p->err, i, "a NUL byte cannot be sent in a "
			    "search");
		else if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			qerr_set(&p->err, i, "control character 0x%02x in the "
			    "search text", s[i]);
		else if (s[i] >= 0x80) {
			k = utf8_decode(p->text + i, p->n - i, &cp);
			if (cp == UTF8_REPLACEMENT && k == 1)
				qerr_set(&p->err, i, "invalid UTF-8 in the "
				    "search text");
			else if (cp >= 0x80 && cp <= 0x9f)
				qerr_set(&p->err, i, "control character "
				    "U+%04X in the search text", cp);
		}
		if (p->err.msg != NULL)
			return false;
	}
	return true;
}

/* ---- values ---- */

const char *
query_suggest(const char *word, const char *const *names, size_t n)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = (size_t)-1;

	for (i = 0; i < n; i++) {
		d = str_distance(word, names[i]);
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	if (bestd <= 2 && bestd < strlen(word))
		return best;
	return NULL;
}

/* Up to `max` digits at s; false if there are none or more. */
static bool
scan_number(const char **s, int max, long *out)
{
	int	 k;

	*out = 0;
	for (k = 0; **s >= '0' && **s <= '9'; k++, (*s)++) {
		if (k == max)
			return false;
		*out = *out * 10 + (**s - '0');
	}
	return k > 0;
}

/* YYYY-MM-DD, or n days, weeks, months or years back; "today" and
 * "yesterday" too. */
static bool
parse_date(struct parser *p, const char *v, struct query *q)
{
	const char	*s = v;
	long		 y, m, d;

	if (str_eq_nocase(v, "today") || str_eq_nocase(v, "yesterday")) {
		q->rel_n = v[0] == 't' || v[0] == 'T' ? 0 : 1;
		q->rel_unit = 'd';
	} else if (scan_number(&s, 5, &y) && s[0] != '\0' && s[1] == '\0' &&
	    strchr("dwmyDWMY", s[0]) != NULL) {
		q->rel_n = (int)y;
		q->rel_unit = (char)(s[0] | 0x20);
	} else {
		s = v;
		if (!scan_number(&s, 4, &y) || s - v != 4 || *s++ != '-' ||
		    !scan_number(&s, 2, &m) || *s++ != '-' ||
		    !scan_number(&s, 2, &d) || *s != '\0')
			return false;
		q->date.y = (int)y;
		q->date.m = (int)m;
		q->date.d = (int)d;
		return y >= 1900 && m >= 1 && m <= 12 && d >= 1 &&
		    d <= qdate_mdays((int)y, (int)m);
	}
	qdate_relative(p->now, q->rel_n, q->rel_unit, &q->date);
	return q->date.y >= 1900 && q->date.y <= 9999;
}

/* Bytes, or with a K or M suffix (powers of 1024); at most 2^32-1, the
 * largest number IMAP has. */
static bool
parse_size(const char *v, uint64_t *out)
{
	const char	*s = v;
	long		 n;

	if (!scan_number(&s, 10, &n))
		return false;
	*out = (uint64_t)n;
	if (*s == 'k' || *s == 'K') {
		*out <<= 10;
		s++;
	} else if (*s == 'm' || *s == 'M') {
		*out <<= 20;
		s++;
	}
	return *s == '\0' && *out <= UINT32_MAX;
}

const char *
query_is_name(uint32_t flag, bool un)
{
	size_t	 i;

	for (i = 0; i < nitems(is_values); i++)
		if (is_values[i].flag == flag && is_values[i].un == un)
			return is_values[i].name;
	return NULL;
}

static struct query *
parse_is(struct parser *p, const char *v)
{
	const char	*names[nitems(is_values)], *near;
	struct query	*q;
	size_t		 i;

	for (i = 0; i < nitems(is_values); i++) {
		names[i] = is_values[i].name;
		if (str_eq_nocase(v, names[i])) {
			q = qnode(QK_FLAG);
			q->flag = is_values[i].flag;
			q->un = is_values[i].un;
			return q;
		}
	}
	near = query_suggest(v, names, nitems(names));
	if (near != NULL)
		qerr_set(&p->err, p->tok.vpos, "unknown 'is:' value '%.32s' "
		    "\xe2\x80\x94 did you mean 'is:%s'?", v, near);
	else
		qerr_set(&p->err, p->tok.vpos, "unknown 'is:' value '%.32s': "
		    "use read, unread, flagged, unflagged, answered, deleted "
		    "or draft", v);
	return NULL;
}

/* An unknown field: say which one was meant, or how to search the text. */
static void
unknown_field(struct parser *p)
{
	const char	*names[nitems(fields)], *near = NULL;
	size_t		 i;
	int		 len = (int)(p->tok.namelen > 32 ? 32 : p->tok.namelen);

	for (i = 0; i < nitems(fields); i++)
		names[i] = fields[i].name;
	if (p->tok.namelen < sizeof p->tok.name)
		near = query_suggest(p->tok.name, names, nitems(names));
	if (near != NULL)
		qerr_set(&p->err, p->tok.pos, "unknown field '%.*s:' "
		    "\xe2\x80\x94 did you mean '%s:'?", len,
		    p->text + p->tok.pos, near);
	else
		qerr_set(&p->err, p->tok.pos, "unknown field '%.*s:'; "
		    "put the word in quotes to search for it", len,
		    p->text + p->tok.pos);
}

/* The value of a field term, checked and made a node. */
static struct query *
field_value(struct parser *p, const struct field *f, const char *v)
{
	struct query	*q;

	switch (f->type) {
	case F_STRING:
		return qnode_str(f->kind, v, strlen(v));
	case F_DATE:
		q = qnode(f->kind);
		if (!parse_date(p, v, q)) {
			qerr_set(&p->err, p->tok.vpos, "bad date '%.32s': use "
			    "YYYY-MM-DD, or 3d, 2w, 6m, 1y back from today",
			    v);
			query_free(&q);
		}
		return q;
	case F_SIZE:
		q = qnode(f->kind);
		if (!parse_size(v, &q->num)) {
			qerr_set(&p->err, p->tok.vpos, "bad size '%.32s': use "
			    "bytes, or a number with K or M (at most 4095M)",
			    v);
			query_free(&q);
		}
		return q;
	case F_IS:
		return parse_is(p, v);
	case F_HAS:
		if (str_eq_nocase(v, "attachment"))
			return qnode(QK_ATTACHMENT);
		qerr_set(&p->err, p->tok.vpos, "unknown 'has:' value "
		    "'%.32s': only has:attachment is known", v);
		return NULL;
	}
	return NULL;
}

static struct query *
parse_field(struct parser *p)
{
	const struct field	*f = NULL;
	struct query		*q;
	size_t			 i;

	for (i = 0; i < nitems(fields); i++)
		if (strcmp(p->tok.name, fields[i].name) == 0)
			f = &fields[i];
	if (f == NULL) {
		unknown_field(p);
		return NULL;
	}
	if (p->tok.text == NULL || p->tok.text[0] == '\0') {
		qerr_set(&p->err, p->tok.pos, "'%s:' needs a value right "
		    "after the colon", f->name);
		return NULL;
	}
	q = field_value(p, f, p->tok.text);
	lex_next(p);
	return q;
}

/* "imap:" and the raw search keys after it, to the end of the text. */
static struct query *
parse_imap(struct parser *p)
{
	struct query	*q;

	if (p->parens > 0) {
		qerr_set(&p->err, p->tok.pos, "imap: takes the rest of the "
		    "query, so it cannot be inside parentheses");
		return NULL;
	}
	q = query_raw_parse(p->text, p->tok.vpos, p->n, p->depth, &p->err);
	lex_next(p);
	return q;
}

/* True if the current token can start a term. */
static bool
starts_term(const struct parser *p)
{
	switch (p->tok.type) {
	case T_END:
	case T_CLOSE:
		return false;
	case T_WORD:
		return !str_eq_nocase(p->tok.text, "or") &&
		    !str_eq_nocase(p->tok.text, "and");
	default:
		return true;
	}
}

static bool
is_keyword(const struct parser *p, const char *kw)
{
	return p->tok.type == T_WORD && str_eq_nocase(p->tok.text, kw);
}

static struct query *
parse_group(struct parser *p)
{
	struct query	*q;
	size_t		 at = p->tok.pos;

	if (++p->depth > QUERY_MAX_DEPTH) {
		qerr_set(&p->err, at, "nested more than %d deep",
		    QUERY_MAX_DEPTH);
		return NULL;
	}
	p->parens++;
	lex_next(p);
	if (p->tok.type == T_CLOSE) {
		qerr_set(&p->err, at, "empty parentheses");
		return NULL;
	}
	if (p->tok.type == T_END) {
		qerr_set(&p->err, at, "unclosed '('");
		return NULL;
	}
	q = parse_or(p);
	if (q != NULL && p->tok.type != T_CLOSE) {
		qerr_set(&p->err, at, "unclosed '('");
		query_free(&q);
	}
	p->parens--;
	p->depth--;
	lex_next(p);
	return q;
}

static struct query *
parse_primary(struct parser *p)
{
	struct query	*q;

	switch (p->tok.type) {
	case T_OPEN:
		return parse_group(p);
	case T_FIELD:
		return parse_field(p);
	case T_IMAP:
		return parse_imap(p);
	case T_PHRASE:
		if (p->tok.text[0] == '\0') {
			qerr_set(&p->err, p->tok.pos, "empty quotes");
			return NULL;
		}
		/* FALLTHROUGH */
	case T_WORD:
		q = qnode_str(QK_TEXT, p->tok.text, strlen(p->tok.text));
		lex_next(p);
		return q;
	default:
		qerr_set(&p->err, p->tok.pos, "unexpected ')'");
		return NULL;
	}
}

/* "not x" and "-x"; two negations cancel. */
static struct query *
parse_unary(struct parser *p)
{
	struct query	*kid;
	size_t		 at = p->tok.pos;
	bool		 minus = p->tok.type == T_NEG;

	if (!minus && !is_keyword(p, "not"))
		return parse_primary(p);
	if (++p->depth > QUERY_MAX_DEPTH) {
		qerr_set(&p->err, at, "nested more than %d deep",
		    QUERY_MAX_DEPTH);
		return NULL;
	}
	lex_next(p);
	if (!starts_term(p)) {
		qerr_set(&p->err, at, "'%s' needs a term after it",
		    minus ? "-" : "not");
		return NULL;
	}
	kid = parse_unary(p);
	p->depth--;
	return kid == NULL ? NULL : qnode_not(kid, false);
}

/* Terms side by side, or joined by "and"; the caller saw a term start. */
static struct query *
parse_and(struct parser *p)
{
	struct query	*q = NULL, *kid, *first;
	size_t		 at;

	while ((kid = parse_unary(p)) != NULL) {
		if (q == NULL)
			q = kid;
		else {
			if (q->kind != QK_AND || q->raw) {
				first = q;
				q = qnode(QK_AND);
				qnode_add(q, first);
			}
			qnode_add(q, kid);
		}
		if (is_keyword(p, "and")) {
			at = p->tok.pos;
			lex_next(p);
			if (!starts_term(p)) {
				qerr_set(&p->err, at, "'and' needs a term "
				    "after it");
				break;
			}
		} else if (!starts_term(p))
			return q;
	}
	query_free(&q);
	return NULL;
}

/* Something that cannot start a term where one must: say what it is. */
static void
no_term(struct parser *p)
{
	if (p->tok.type == T_CLOSE)
		qerr_set(&p->err, p->tok.pos, "unexpected ')'");
	else if (p->tok.type == T_WORD)
		qerr_set(&p->err, p->tok.pos, "'%s' needs a term before it",
		    p->tok.text);
	else
		qerr_set(&p->err, p->tok.pos, "a term is missing");
}

/* Alternatives joined by "or", the loosest binding. */
static struct query *
parse_or(struct parser *p)
{
	struct query	*q = NULL, *kid, *first;
	size_t		 at;

	if (!starts_term(p)) {
		no_term(p);
		return NULL;
	}
	while ((kid = parse_and(p)) != NULL) {
		if (q == NULL)
			q = kid;
		else {
			if (q->kind != QK_OR) {
				first = q;
				q = qnode(QK_OR);
				qnode_add(q, first);
			}
			qnode_add(q, kid);
		}
		if (!is_keyword(p, "or"))
			return q;
		at = p->tok.pos;
		lex_next(p);
		if (!starts_term(p)) {
			qerr_set(&p->err, at, "'or' needs a term after it");
			break;
		}
	}
	query_free(&q);
	return NULL;
}

struct query *
query_parse_mem(const char *text, size_t n, time_t now, char **err,
    size_t *err_pos)
{
	struct parser	 p;
	struct query	*q = NULL;

	memset(&p, 0, sizeof p);
	p.text = text;
	p.n = n;
	p.now = now;
	*err = NULL;
	if (check_text(&p)) {
		lex_next(&p);
		if (p.tok.type == T_END && p.err.msg == NULL)
			q = qnode(QK_ALL);
		else if ((q = parse_or(&p)) != NULL && p.tok.type != T_END)
			no_term(&p);
	}
	free(p.tok.text);
	if (p.err.msg == NULL)
		return q;
	query_free(&q);
	*err = xasprintf("query:%zu: %s", utf8_width(text, p.err.pos) + 1,
	    p.err.msg);
	if (err_pos != NULL)
		*err_pos = p.err.pos;
	free(p.err.msg);
	return NULL;
}

struct query *
query_parse(const char *text, time_t now, char **err, size_t *err_pos)
{
	if (text == NULL)
		text = "";
	return query_parse_mem(text, strlen(text), now, err, err_pos);
}
