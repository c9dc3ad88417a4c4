/*
 * The query tree written out: as UID SEARCH criteria for the server, and
 * as query text again for the status line.
 *
 * The criteria are pieces, not text, because a string is sent one of two
 * ways: printable ASCII as a quoted string, anything with an 8-bit byte as
 * a literal under CHARSET UTF-8 (LIBETPAN.md 4, BAD-INPUTS 28). The engine
 * sends the pieces itself; query_imap_text() writes them as command text.
 *
 * The mapping follows what Dovecot does with each key, so a search on the
 * server finds what the user meant: a free word is TEXT (headers and body,
 * substring, case-insensitive), from: is FROM (the address and the name),
 * and so on. IMAP's OR takes two keys: a chain of n alternatives becomes
 * a balanced tree of ORs, so its depth grows as log n, not n. An AND needs
 * parentheses only under an OR or a NOT. has:attachment has no IMAP key:
 * it is approximated by HEADER Content-Type "multipart/mixed", the same
 * test the summary's attachment bit (MF_ATTACHMENT) makes, so online and
 * offline agree; an attachment inside multipart/alternative or a message
 * that is itself a single attached file is missed.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_priv.h"

/* IMAP's name for each string key, by kind. */
static const char *
string_key(enum qk kind)
{
	switch (kind) {
	case QK_TEXT:		return "TEXT";
	case QK_BODY:		return "BODY";
	case QK_FROM:		return "FROM";
	case QK_TO:		return "TO";
	case QK_CC:		return "CC";
	case QK_BCC:		return "BCC";
	case QK_SUBJECT:	return "SUBJECT";
	case QK_SINCE:		return "SINCE";
	case QK_BEFORE:		return "BEFORE";
	case QK_ON:		return "ON";
	case QK_SENTSINCE:	return "SENTSINCE";
	case QK_SENTBEFORE:	return "SENTBEFORE";
	case QK_SENTON:		return "SENTON";
	case QK_LARGER:		return "LARGER";
	case QK_SMALLER:	return "SMALLER";
	default:		return NULL;
	}
}

static const char *
flag_key(uint32_t flag, bool un)
{
	switch (flag) {
	case MF_SEEN:		return un ? "UNSEEN" : "SEEN";
	case MF_ANSWERED:	return un ? "UNANSWERED" : "ANSWERED";
	case MF_FLAGGED:	return un ? "UNFLAGGED" : "FLAGGED";
	case MF_DELETED:	return un ? "UNDELETED" : "DELETED";
	case MF_DRAFT:		return un ? "UNDRAFT" : "DRAFT";
	default:		return un ? "OLD" : "RECENT";
	}
}

static void
piece(struct query_imap *o, enum query_piece_type type, const char *s,
    size_t n)
{
	struct query_piece	*p;

	if (o->n == o->cap) {
		o->cap = o->cap == 0 ? 16 : o->cap * 2;
		o->v = xreallocarray(o->v, o->cap, sizeof *o->v);
	}
	p = &o->v[o->n++];
	p->type = type;
	p->data = xmemdup(s, n);
	p->len = n;
}

static void
atom(struct query_imap *o, const char *s)
{
	piece(o, QP_ATOM, s, strlen(s));
}

/* A user string: quoted if ASCII, else a literal under CHARSET UTF-8. */
static void
string(struct query_imap *o, const char *s)
{
	const unsigned char	*c;

	for (c = (const unsigned char *)s; *c != '\0'; c++)
		if (*c >= 0x80)
			break;
	if (*c == '\0')
		piece(o, QP_QUOTED, s, strlen(s));
	else {
		piece(o, QP_LITERAL, s, strlen(s));
		o->utf8 = true;
	}
}

static void emit(struct query_imap *, const struct query *, bool);

/* n alternatives as nested binary ORs, halves each side. */
static void
emit_or(struct query_imap *o, struct query *const *kids, size_t n)
{
	if (n == 1) {
		emit(o, kids[0], true);
		return;
	}
	atom(o, "OR");
	emit_or(o, kids, n / 2);
	emit_or(o, kids + n / 2, n - n / 2);
}

/* Keys that take no other key. */
static void
emit_leaf(struct query_imap *o, const struct query *q)
{
	char	 tmp[32];

	switch (q->kind) {
	case QK_HEADER:
		atom(o, "HEADER");
		string(o, q->s);
		string(o, q->s2);
		return;
	case QK_KEYWORD:
		atom(o, q->un ? "UNKEYWORD" : "KEYWORD");
		atom(o, q->s);
		return;
	case QK_FLAG:
		atom(o, flag_key(q->flag, q->un));
		return;
	case QK_MODSEQ:
		atom(o, "MODSEQ");
		if (q->s != NULL) {
			string(o, q->s);
			atom(o, q->s2);
		}
		break;
	case QK_UID:
		atom(o, "UID");
		/* FALLTHROUGH */
	case QK_SEQ:
		atom(o, q->s);
		return;
	case QK_ATTACHMENT:
		atom(o, "HEADER");
		string(o, "Content-Type");
		string(o, "multipart/mixed");
		return;
	default:
		atom(o, string_key(q->kind));
		break;
	}
	if (q->kind == QK_LARGER || q->kind == QK_SMALLER ||
	    q->kind == QK_MODSEQ)
		snprintf(tmp, sizeof tmp, "%" PRIu64, q->num);
	else if (q->kind >= QK_SINCE && q->kind <= QK_SENTON)
		snprintf(tmp, sizeof tmp, "%d-%s-%04d", q->date.d,
		    query_months[q->date.m - 1], q->date.y);
	else {
		string(o, q->s);
		return;
	}
	atom(o, tmp);
}

/* One key; group: an AND must be parenthesised to be one key here. */
static void
emit(struct query_imap *o, const struct query *q, bool group)
{
	size_t	 i;

	switch (q->kind) {
	case QK_ALL:
		atom(o, "ALL");
		break;
	case QK_AND:
		if (group)
			piece(o, QP_OPEN, "(", 1);
		for (i = 0; i < q->nkids; i++)
			emit(o, q->kids[i], false);
		if (group)
			piece(o, QP_CLOSE, ")", 1);
		break;
	case QK_OR:
		emit_or(o, q->kids, q->nkids);
		break;
	case QK_NOT:
		atom(o, "NOT");
		emit(o, q->kids[0], true);
		break;
	default:
		emit_leaf(o, q);
		break;
	}
}

int
query_to_imap(const struct query *q, struct query_imap *out, char **err)
{
	size_t	 i;

	*err = NULL;
	emit(out, q, false);
	for (i = 0; i < out->n; i++)
		if (str_has_crlfnul(out->v[i].data, out->v[i].len)) {
			*err = xstrdup("The search text holds a line break "
			    "or a NUL byte; it cannot be sent.");
			query_imap_free(out);
			return -1;
		}
	return 0;
}

void
query_imap_free(struct query_imap *qi)
{
	size_t	 i;

	if (qi == NULL)
		return;
	for (i = 0; i < qi->n; i++)
		free(qi->v[i].data);
	free(qi->v);
	memset(qi, 0, sizeof *qi);
}

static void
add_quoted(struct buf *out, const char *s, size_t n)
{
	size_t	 i;

	buf_addch(out, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_addch(out, '\\');
		buf_addch(out, s[i]);
	}
	buf_addch(out, '"');
}

/* The pieces as text; lit: 0 quotes literals too (for query_describe),
 * 1 synchronizing literals, 2 LITERAL+. */
static void
pieces_text(const struct query_imap *qi, int lit, struct buf *out)
{
	const struct query_piece	*p;
	size_t				 i;

	for (i = 0; i < qi->n; i++) {
		p = &qi->v[i];
		if (i > 0 && qi->v[i - 1].type != QP_OPEN &&
		    p->type != QP_CLOSE)
			buf_addch(out, ' ');
		if (p->type == QP_QUOTED || (p->type == QP_LITERAL && lit == 0))
			add_quoted(out, p->data, p->len);
		else if (p->type == QP_LITERAL) {
			buf_printf(out, "{%zu%s}\r\n", p->len,
			    lit == 2 ? "+" : "");
			buf_add(out, p->data, p->len);
		} else
			buf_add(out, p->data, p->len);
	}
}

void
query_imap_text(const struct query_imap *qi, bool literal_plus,
    struct buf *out)
{
	if (qi->utf8)
		buf_addstr(out, "CHARSET UTF-8 ");
	pieces_text(qi, literal_plus ? 2 : 1, out);
}

/* ---- the query as text ---- */

static const char *
field_name(enum qk kind)
{
	switch (kind) {
	case QK_BODY:		return "body";
	case QK_FROM:		return "from";
	case QK_TO:		return "to";
	case QK_CC:		return "cc";
	case QK_BCC:		return "bcc";
	case QK_SUBJECT:	return "subject";
	case QK_SINCE:		return "since";
	case QK_BEFORE:		return "before";
	case QK_ON:		return "on";
	case QK_LARGER:		return "larger";
	case QK_SMALLER:	return "smaller";
	default:		return NULL;
	}
}

/* A value as the lexer reads it back: bare when it can be. A free word
 * must also not look like a keyword, a negation or a field. */
static void
describe_value(struct buf *out, const char *s, bool word)
{
	bool	 quote;

	quote = *s == '\0' || strpbrk(s, " \t()\"\\") != NULL;
	if (word && (*s == '-' || strchr(s, ':') != NULL ||
	    str_eq_nocase(s, "or") || str_eq_nocase(s, "and") ||
	    str_eq_nocase(s, "not")))
		quote = true;
	if (quote)
		add_quoted(out, s, strlen(s));
	else
		buf_addstr(out, s);
}

static void
describe_leaf(struct buf *out, const struct query *q)
{
	const char	*name = field_name(q->kind);

	if (q->kind == QK_FLAG) {
		buf_printf(out, "is:%s", query_is_name(q->flag, q->un));
		return;
	}
	if (q->kind == QK_ATTACHMENT) {
		buf_addstr(out, "has:attachment");
		return;
	}
	if (q->kind == QK_TEXT) {
		describe_value(out, q->s, true);
		return;
	}
	buf_printf(out, "%s:", name);
	if (q->kind == QK_LARGER || q->kind == QK_SMALLER) {
		if (q->num != 0 && q->num % (1 << 20) == 0)
			buf_printf(out, "%" PRIu64 "M", q->num >> 20);
		else if (q->num != 0 && q->num % (1 << 10) == 0)
			buf_printf(out, "%" PRIu64 "K", q->num >> 10);
		else
			buf_printf(out, "%" PRIu64, q->num);
	} else if (q->rel_unit != 0)
		buf_printf(out, "%d%c", q->rel_n, q->rel_unit);
	else if (q->kind == QK_SINCE || q->kind == QK_BEFORE ||
	    q->kind == QK_ON)
		buf_printf(out, "%04d-%02d-%02d", q->date.y, q->date.m,
		    q->date.d);
	else
		describe_value(out, q->s, false);
}

/* inner: q is a child of an AND or a NOT, where an OR needs parentheses
 * (and under a NOT an AND too). */
static void
describe(struct buf *out, const struct query *q, int inner)
{
	struct query_imap	 qi;
	size_t			 i;
	bool			 paren;

	if (q->raw) {
		memset(&qi, 0, sizeof qi);
		emit(&qi, q, false);
		buf_addstr(out, "imap:");
		pieces_text(&qi, 0, out);
		query_imap_free(&qi);
		return;
	}
	paren = (q->kind == QK_OR && inner > 0) ||
	    (q->kind == QK_AND && inner > 1);
	if (paren)
		buf_addch(out, '(');
	switch (q->kind) {
	case QK_ALL:
		break;
	case QK_AND:
	case QK_OR:
		for (i = 0; i < q->nkids; i++) {
			if (i > 0)
				buf_addstr(out, q->kind == QK_OR ? " or " : " ");
			describe(out, q->kids[i], q->kind == QK_AND);
		}
		break;
	case QK_NOT:
		buf_addch(out, '-');
		describe(out, q->kids[0], 2);
		break;
	default:
		describe_leaf(out, q);
		break;
	}
	if (paren)
		buf_addch(out, ')');
}

void
query_describe(const struct query *q, struct buf *out)
{
	describe(out, q, 0);
}
