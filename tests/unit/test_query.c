/* Unit tests: the search query language (src/mail/query*.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quire/mail.h"
#include "unit.h"

/* 2024-03-15 12:00:00 UTC; the tests run with TZ=UTC. */
#define NOW	((time_t)1710504000)
#define DAY	86400

/*
 * A query, then either the criteria it gives (as query_imap_text() writes
 * them with synchronizing literals) or the error and its byte offset.
 */
static const struct {
	const char	*in;
	const char	*imap;
	const char	*err;
	size_t		 pos;
} cases[] = {
	/* Empty: the whole folder. */
	{ "", "ALL", NULL, 0 },
	{ "  \t ", "ALL", NULL, 0 },

	/* Free words are TEXT; side by side they are AND. */
	{ "hello", "TEXT \"hello\"", NULL, 0 },
	{ "Hello World", "TEXT \"Hello\" TEXT \"World\"", NULL, 0 },
	{ "a\tb", "TEXT \"a\" TEXT \"b\"", NULL, 0 },
	{ "e-mail", "TEXT \"e-mail\"", NULL, 0 },
	{ "10:30", "TEXT \"10:30\"", NULL, 0 },

	/* AND binds tighter than OR; OR is binary, chains are balanced. */
	{ "a b or c", "OR (TEXT \"a\" TEXT \"b\") TEXT \"c\"", NULL, 0 },
	{ "a or b c", "OR TEXT \"a\" (TEXT \"b\" TEXT \"c\")", NULL, 0 },
	{ "a OR b", "OR TEXT \"a\" TEXT \"b\"", NULL, 0 },
	{ "a or b or c", "OR TEXT \"a\" OR TEXT \"b\" TEXT \"c\"", NULL, 0 },
	{ "a or b or c or d",
	  "OR OR TEXT \"a\" TEXT \"b\" OR TEXT \"c\" TEXT \"d\"", NULL, 0 },
	{ "a or b or c or d or e", "OR OR TEXT \"a\" TEXT \"b\" "
	  "OR TEXT \"c\" OR TEXT \"d\" TEXT \"e\"", NULL, 0 },
	{ "(a or b) or c", "OR TEXT \"a\" OR TEXT \"b\" TEXT \"c\"", NULL, 0 },
	{ "a and b", "TEXT \"a\" TEXT \"b\"", NULL, 0 },
	{ "a AND b or c", "OR (TEXT \"a\" TEXT \"b\") TEXT \"c\"", NULL, 0 },
	{ "a or b and c", "OR TEXT \"a\" (TEXT \"b\" TEXT \"c\")", NULL, 0 },

	/* Parentheses group; nested ones fold away. */
	{ "(a or b) c", "OR TEXT \"a\" TEXT \"b\" TEXT \"c\"", NULL, 0 },
	{ "a (b or c) d", "TEXT \"a\" OR TEXT \"b\" TEXT \"c\" TEXT \"d\"",
	  NULL, 0 },
	{ "((a))", "TEXT \"a\"", NULL, 0 },
	{ "((a b) (c or (d e)))", "TEXT \"a\" TEXT \"b\" "
	  "OR TEXT \"c\" (TEXT \"d\" TEXT \"e\")", NULL, 0 },
	{ "(a b) or (c d)", "OR (TEXT \"a\" TEXT \"b\") (TEXT \"c\" TEXT \"d\")",
	  NULL, 0 },

	/* Negation: "not" and "-", of terms and of groups. */
	{ "-a", "NOT TEXT \"a\"", NULL, 0 },
	{ "not a", "NOT TEXT \"a\"", NULL, 0 },
	{ "NOT a b", "NOT TEXT \"a\" TEXT \"b\"", NULL, 0 },
	{ "-(a b)", "NOT (TEXT \"a\" TEXT \"b\")", NULL, 0 },
	{ "not (a or b)", "NOT OR TEXT \"a\" TEXT \"b\"", NULL, 0 },
	{ "-(a -b)", "NOT (TEXT \"a\" NOT TEXT \"b\")", NULL, 0 },
	{ "--a", "TEXT \"a\"", NULL, 0 },
	{ "not -a", "TEXT \"a\"", NULL, 0 },
	{ "-\"a b\"", "NOT TEXT \"a b\"", NULL, 0 },
	{ "a or -b", "OR TEXT \"a\" NOT TEXT \"b\"", NULL, 0 },

	/* Phrases, with \" and \\ escapes; keywords quoted are words. */
	{ "\"like this\"", "TEXT \"like this\"", NULL, 0 },
	{ "\"say \\\"hi\\\"\"", "TEXT \"say \\\"hi\\\"\"", NULL, 0 },
	{ "\"back\\\\slash\"", "TEXT \"back\\\\slash\"", NULL, 0 },
	{ "\"a\\b\"", "TEXT \"a\\\\b\"", NULL, 0 },
	{ "\"or\" \"NOT\"", "TEXT \"or\" TEXT \"NOT\"", NULL, 0 },
	{ "\"from:bob\"", "TEXT \"from:bob\"", NULL, 0 },

	/* Fields. */
	{ "from:bob", "FROM \"bob\"", NULL, 0 },
	{ "FROM:bob@example.com", "FROM \"bob@example.com\"", NULL, 0 },
	{ "to:alice cc:carol bcc:dave",
	  "TO \"alice\" CC \"carol\" BCC \"dave\"", NULL, 0 },
	{ "subject:\"weekly report\"", "SUBJECT \"weekly report\"", NULL, 0 },
	{ "body:invoice", "BODY \"invoice\"", NULL, 0 },
	{ "-from:spam", "NOT FROM \"spam\"", NULL, 0 },
	{ "from:a:b", "FROM \"a:b\"", NULL, 0 },
	{ "(from:x)", "FROM \"x\"", NULL, 0 },

	/* Dates: absolute, and relative to NOW in local (UTC) days. */
	{ "since:2024-01-05", "SINCE 5-Jan-2024", NULL, 0 },
	{ "before:2023-12-31", "BEFORE 31-Dec-2023", NULL, 0 },
	{ "on:2024-02-29", "ON 29-Feb-2024", NULL, 0 },
	{ "since:3d", "SINCE 12-Mar-2024", NULL, 0 },
	{ "since:15D", "SINCE 29-Feb-2024", NULL, 0 },
	{ "since:2w", "SINCE 1-Mar-2024", NULL, 0 },
	{ "since:6m", "SINCE 15-Sep-2023", NULL, 0 },
	{ "before:1y", "BEFORE 15-Mar-2023", NULL, 0 },
	{ "since:0d", "SINCE 15-Mar-2024", NULL, 0 },
	{ "since:today", "SINCE 15-Mar-2024", NULL, 0 },
	{ "on:yesterday", "ON 14-Mar-2024", NULL, 0 },

	/* Sizes. */
	{ "larger:100", "LARGER 100", NULL, 0 },
	{ "larger:10K", "LARGER 10240", NULL, 0 },
	{ "smaller:2m", "SMALLER 2097152", NULL, 0 },
	{ "larger:4095M", "LARGER 4293918720", NULL, 0 },
	{ "larger:4294967295", "LARGER 4294967295", NULL, 0 },

	/* Flags and attachments. */
	{ "is:unread", "UNSEEN", NULL, 0 },
	{ "is:read is:flagged", "SEEN FLAGGED", NULL, 0 },
	{ "is:unflagged is:deleted is:answered",
	  "UNFLAGGED DELETED ANSWERED", NULL, 0 },
	{ "is:UNREAD", "UNSEEN", NULL, 0 },
	{ "is:draft -is:undeleted", "DRAFT NOT UNDELETED", NULL, 0 },
	{ "has:attachment",
	  "HEADER \"Content-Type\" \"multipart/mixed\"", NULL, 0 },

	/* Non-ASCII text goes as a literal under CHARSET UTF-8. */
	{ "caf\xc3\xa9", "CHARSET UTF-8 TEXT {5}\r\ncaf\xc3\xa9", NULL, 0 },
	{ "from:J\xc3\xbcrgen subject:Gr\xc3\xbc\xc3\x9f" "e",
	  "CHARSET UTF-8 FROM {7}\r\nJ\xc3\xbcrgen "
	  "SUBJECT {7}\r\nGr\xc3\xbc\xc3\x9f" "e", NULL, 0 },
	{ "\"\xe6\x97\xa5\xe6\x9c\xac \xe8\xaa\x9e\"",
	  "CHARSET UTF-8 TEXT {10}\r\n\xe6\x97\xa5\xe6\x9c\xac \xe8\xaa\x9e",
	  NULL, 0 },
	{ "ascii \"na\xc3\xafve\"",
	  "CHARSET UTF-8 TEXT \"ascii\" TEXT {6}\r\nna\xc3\xafve", NULL, 0 },

	/* imap: raw keys, parsed and written out again. */
	{ "imap:SEEN", "SEEN", NULL, 0 },
	{ "imap:or seen flagged", "OR SEEN FLAGGED", NULL, 0 },
	{ "imap: SINCE 1-Feb-2024 NOT (SEEN DELETED)",
	  "SINCE 1-Feb-2024 NOT (SEEN DELETED)", NULL, 0 },
	{ "a or imap:SEEN FLAGGED", "OR TEXT \"a\" (SEEN FLAGGED)", NULL, 0 },
	{ "-imap:KEYWORD $Junk", "NOT KEYWORD $Junk", NULL, 0 },
	{ "imap:HEADER X-Mailer mutt UID 1:5,9,20:*",
	  "HEADER \"X-Mailer\" \"mutt\" UID 1:5,9,20:*", NULL, 0 },
	{ "imap:FROM \"a \\\"b\\\"\" TEXT x",
	  "FROM \"a \\\"b\\\"\" TEXT \"x\"", NULL, 0 },
	{ "imap:MODSEQ 12345", "MODSEQ 12345", NULL, 0 },
	{ "imap:MODSEQ \"/flags/\\\\draft\" ALL 620162338",
	  "MODSEQ \"/flags/\\\\draft\" all 620162338", NULL, 0 },
	{ "imap:NEW", "RECENT UNSEEN", NULL, 0 },
	{ "imap:OLD 1:3", "OLD 1:3", NULL, 0 },
	{ "imap:SENTSINCE \"1-Jan-2020\" LARGER 5 SMALLER 10",
	  "SENTSINCE 1-Jan-2020 LARGER 5 SMALLER 10", NULL, 0 },
	{ "imap:OR OR SEEN FLAGGED DELETED", "OR SEEN OR FLAGGED DELETED",
	  NULL, 0 },
	{ "imap:ALL", "ALL", NULL, 0 },
	{ "imap:SUBJECT \"caf\xc3\xa9\"",
	  "CHARSET UTF-8 SUBJECT {5}\r\ncaf\xc3\xa9", NULL, 0 },
	{ "imap:UNKEYWORD $Seen-By_me BCC \"\"",
	  "UNKEYWORD $Seen-By_me BCC \"\"", NULL, 0 },

	/* Quotes and parentheses that do not close. */
	{ "\"abc", NULL, "query:1: unclosed quote", 0 },
	{ "a \"abc", NULL, "query:3: unclosed quote", 2 },
	{ "from:\"x", NULL, "query:6: unclosed quote", 5 },
	{ "(a", NULL, "query:1: unclosed '('", 0 },
	{ "a (b (c)", NULL, "query:3: unclosed '('", 2 },
	{ "a)", NULL, "query:2: unexpected ')'", 1 },
	{ ")", NULL, "query:1: unexpected ')'", 0 },
	{ "()", NULL, "query:1: empty parentheses", 0 },
	{ "a ( )", NULL, "query:3: empty parentheses", 2 },
	{ "\"\"", NULL, "query:1: empty quotes", 0 },

	/* Operators with a side missing. */
	{ "or", NULL, "query:1: 'or' needs a term before it", 0 },
	{ "a or", NULL, "query:3: 'or' needs a term after it", 2 },
	{ "a or or b", NULL, "query:3: 'or' needs a term after it", 2 },
	{ "(a or) b", NULL, "query:4: 'or' needs a term after it", 3 },
	{ "and a", NULL, "query:1: 'and' needs a term before it", 0 },
	{ "a and", NULL, "query:3: 'and' needs a term after it", 2 },
	{ "not", NULL, "query:1: 'not' needs a term after it", 0 },
	{ "a not", NULL, "query:3: 'not' needs a term after it", 2 },
	{ "-", NULL, "query:1: '-' needs a term right after it", 0 },
	{ "a - b", NULL, "query:3: '-' needs a term right after it", 2 },
	{ "(a -)", NULL, "query:4: '-' needs a term right after it", 3 },

	/* Fields and their values. */
	{ "form:bob", NULL, "query:1: unknown field 'form:' "
	  "\xe2\x80\x94 did you mean 'from:'?", 0 },
	{ "subjet:x", NULL, "query:1: unknown field 'subjet:' "
	  "\xe2\x80\x94 did you mean 'subject:'?", 0 },
	{ "x from:a re:hello", NULL, "query:10: unknown field 're:'; "
	  "put the word in quotes to search for it", 9 },
	{ "from:", NULL, "query:1: 'from:' needs a value right after the "
	  "colon", 0 },
	{ "from: bob", NULL, "query:1: 'from:' needs a value right after the "
	  "colon", 0 },
	{ "subject:\"\"", NULL, "query:1: 'subject:' needs a value right "
	  "after the colon", 0 },
	{ "since:2024-13-01", NULL, "query:7: bad date '2024-13-01': use "
	  "YYYY-MM-DD, or 3d, 2w, 6m, 1y back from today", 6 },
	{ "since:2023-02-29", NULL, "query:7: bad date '2023-02-29': use "
	  "YYYY-MM-DD, or 3d, 2w, 6m, 1y back from today", 6 },
	{ "before:1899-12-31", NULL, "query:8: bad date '1899-12-31': use "
	  "YYYY-MM-DD, or 3d, 2w, 6m, 1y back from today", 7 },
	{ "on:3x", NULL, "query:4: bad date '3x': use YYYY-MM-DD, or 3d, 2w, "
	  "6m, 1y back from today", 3 },
	{ "on:24-01-01", NULL, "query:4: bad date '24-01-01': use YYYY-MM-DD, "
	  "or 3d, 2w, 6m, 1y back from today", 3 },
	{ "larger:10G", NULL, "query:8: bad size '10G': use bytes, or a "
	  "number with K or M (at most 4095M)", 7 },
	{ "larger:4294967296", NULL, "query:8: bad size '4294967296': use "
	  "bytes, or a number with K or M (at most 4095M)", 7 },
	{ "smaller:-5", NULL, "query:9: bad size '-5': use bytes, or a "
	  "number with K or M (at most 4095M)", 8 },
	{ "is:unred", NULL, "query:4: unknown 'is:' value 'unred' "
	  "\xe2\x80\x94 did you mean 'is:unread'?", 3 },
	{ "is:starred", NULL, "query:4: unknown 'is:' value 'starred': use "
	  "read, unread, flagged, unflagged, answered, deleted or draft", 3 },
	{ "has:pdf", NULL, "query:5: unknown 'has:' value 'pdf': only "
	  "has:attachment is known", 4 },

	/* imap: keys that are not IMAP, or not safe to pass on. */
	{ "imap:", NULL, "query:6: imap: needs search keys after it", 5 },
	{ "(imap:SEEN)", NULL, "query:2: imap: takes the rest of the query, "
	  "so it cannot be inside parentheses", 1 },
	{ "imap:FORM x", NULL, "query:6: imap: unknown search key 'FORM' "
	  "\xe2\x80\x94 did you mean 'FROM'?", 5 },
	{ "imap:XYZZY", NULL, "query:6: imap: unknown search key 'XYZZY'", 5 },
	{ "imap:TEXT {3}", NULL, "query:11: imap: literals are not allowed "
	  "(quire sends non-ASCII text as a literal itself)", 10 },
	{ "imap:TEXT \"abc", NULL, "query:11: imap: unclosed quote", 10 },
	{ "imap:(SEEN", NULL, "query:6: imap: unclosed '('", 5 },
	{ "imap:SEEN)", NULL, "query:10: imap: unexpected ')'", 9 },
	{ "imap:()", NULL, "query:6: imap: empty parentheses", 5 },
	{ "imap:NOT", NULL, "query:9: imap: a search key is missing at the "
	  "end", 8 },
	{ "imap:OR SEEN", NULL, "query:13: imap: a search key is missing at "
	  "the end", 12 },
	{ "imap:SINCE 2024-01-01", NULL, "query:12: imap: SINCE needs a date "
	  "such as 1-Feb-2024", 11 },
	{ "imap:LARGER 10K", NULL, "query:13: imap: LARGER needs a number of "
	  "bytes", 12 },
	{ "imap:LARGER \"10\"", NULL, "query:13: imap: LARGER needs a number "
	  "of bytes", 12 },
	{ "imap:UID 1:x", NULL, "query:10: imap: UID needs a set of UIDs such "
	  "as 1:5,9", 9 },
	{ "imap:UID 0", NULL, "query:10: imap: UID needs a set of UIDs such "
	  "as 1:5,9", 9 },
	{ "imap:1:2:3", NULL, "query:6: imap: bad sequence set '1:2:3'", 5 },
	{ "imap:KEYWORD \\Seen", NULL, "query:14: imap: KEYWORD needs a "
	  "keyword", 13 },
	{ "imap:CHARSET UTF-8 TEXT x", NULL, "query:6: imap: leave CHARSET "
	  "out; quire adds it when the text needs it", 5 },
	{ "imap:\"abc\"", NULL, "query:6: imap: a quoted string where a "
	  "search key should be", 5 },
	{ "imap:HEADER", NULL, "query:12: imap: HEADER needs a string", 11 },
	{ "imap:HEADER \"\" x", NULL, "query:13: imap: HEADER needs a field "
	  "name, then a string", 12 },
	{ "imap:TEXT \"a\\b\"", NULL, "query:13: imap: a backslash in a "
	  "quoted string must escape \" or \\", 12 },
	{ "imap:MODSEQ \"/x\" all 5", NULL, "query:13: imap: MODSEQ entry "
	  "names look like \"/flags/\\\\seen\"", 12 },
	{ "imap:MODSEQ \"/flags/x\" mine 5", NULL, "query:24: imap: MODSEQ "
	  "needs priv, shared or all after the entry name", 23 },

	/* What must never be sent: refused wherever it is. */
	{ "a\rb", NULL, "query:2: a line break cannot be sent in a search",
	  1 },
	{ "a\nb", NULL, "query:2: a line break cannot be sent in a search",
	  1 },
	{ "from:\"x\r\nBYE\"", NULL, "query:8: a line break cannot be sent "
	  "in a search", 7 },
	{ "imap:TEXT x\r\nA1 DELETE INBOX", NULL, "query:12: a line break "
	  "cannot be sent in a search", 11 },
	{ "\x1b[2J", NULL, "query:1: control character 0x1b in the search "
	  "text", 0 },
	{ "a\x7f", NULL, "query:2: control character 0x7f in the search "
	  "text", 1 },
	{ "caf\xe9", NULL, "query:4: invalid UTF-8 in the search text", 3 },
	{ "a\xc2\x9b" "b", NULL, "query:2: control character U+009B in the "
	  "search text", 1 },

	/* The column counts display cells, for a caret under the fault. */
	{ "\xe6\x97\xa5\xe6\x9c\xac (", NULL, "query:6: unclosed '('", 7 },
};

/* Parse, check against the case, and return the criteria text. */
static char *
criteria(const char *in, size_t n, time_t now, char **err, size_t *pos)
{
	struct query		*q;
	struct query_imap	 qi;
	struct buf		 b = BUF_INIT;

	*pos = (size_t)-1;
	if ((q = query_parse_mem(in, n, now, err, pos)) == NULL) {
		assert_non_null(*err);
		return NULL;
	}
	assert_null(*err);
	assert_int_equal(*pos, (size_t)-1);
	memset(&qi, 0, sizeof qi);
	assert_int_equal(query_to_imap(q, &qi, err), 0);
	query_imap_text(&qi, false, &b);
	buf_addstr(&b, "");
	query_imap_free(&qi);
	query_free(&q);
	assert_null(q);
	return buf_detach(&b);
}

static void
test_parse_table(void **state)
{
	char	*got, *err;
	size_t	 i, pos;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		got = criteria(cases[i].in, strlen(cases[i].in), NOW, &err,
		    &pos);
		if (cases[i].imap != NULL && got == NULL)
			fail_msg("case %zu: '%s' failed: %s", i, cases[i].in,
			    err);
		if (cases[i].imap != NULL && strcmp(got, cases[i].imap) != 0)
			fail_msg("case %zu: '%s' gave '%s', want '%s'", i,
			    cases[i].in, got, cases[i].imap);
		if (cases[i].err != NULL && got != NULL)
			fail_msg("case %zu: '%s' gave '%s', want error '%s'",
			    i, cases[i].in, got, cases[i].err);
		if (cases[i].err != NULL && (strcmp(err, cases[i].err) != 0 ||
		    pos != cases[i].pos))
			fail_msg("case %zu: '%s' gave error '%s' at %zu, want "
			    "'%s' at %zu", i, cases[i].in, err, pos,
			    cases[i].err, cases[i].pos);
		free(got);
		free(err);
	}
}

/* query_describe() writes text that parses back to the same criteria. */
static void
test_describe_round_trip(void **state)
{
	struct query	*q;
	struct buf	 d = BUF_INIT;
	char		*again, *err;
	size_t		 i, pos;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		if (cases[i].imap == NULL)
			continue;
		q = query_parse(cases[i].in, NOW, &err, NULL);
		assert_non_null(q);
		buf_reset(&d);
		query_describe(q, &d);
		buf_addstr(&d, "");
		query_free(&q);
		again = criteria(d.data, d.len, NOW, &err, &pos);
		if (again == NULL || strcmp(again, cases[i].imap) != 0)
			fail_msg("case %zu: '%s' described as '%s' gave '%s'",
			    i, cases[i].in, d.data, again != NULL ? again :
			    err);
		free(again);
	}
	buf_free(&d);
}

static void
test_describe_text(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
	} t[] = {
		{ "", "" },
		{ "  A   b ", "A b" },
		{ "a and b OR c", "a b or c" },
		{ "(a or b) c", "(a or b) c" },
		{ "not (a or b)", "-(a or b)" },
		{ "-(a b) or c", "-(a b) or c" },
		{ "\"or\" \"-x\" \"a:b\" \"x y\"", "\"or\" \"-x\" \"a:b\" \"x y\"" },
		{ "From:bob SUBJECT:\"a \\\"b\\\"\"",
		  "from:bob subject:\"a \\\"b\\\"\"" },
		{ "larger:2048 smaller:3145728 larger:1000",
		  "larger:2K smaller:3M larger:1000" },
		{ "since:today before:2024-1-5 is:seen",
		  "since:0d before:2024-01-05 is:read" },
		{ "has:attachment -is:unread", "has:attachment -is:unread" },
		{ "x imap:or  seen  (flagged deleted)",
		  "x imap:OR SEEN (FLAGGED DELETED)" },
		{ "-imap:subject caf\xc3\xa9",
		  "-imap:SUBJECT \"caf\xc3\xa9\"" },
	};
	struct query	*q;
	struct buf	 d = BUF_INIT;
	char		*err;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		q = query_parse(t[i].in, NOW, &err, NULL);
		assert_non_null(q);
		buf_reset(&d);
		buf_addstr(&d, "");
		query_describe(q, &d);
		if (strcmp(d.data, t[i].want) != 0)
			fail_msg("'%s' described as '%s', want '%s'", t[i].in,
			    d.data, t[i].want);
		query_free(&q);
	}
	buf_free(&d);
}

/* The pieces the engine sends: kinds, bytes and the CHARSET flag. */
static void
test_pieces(void **state)
{
	struct query		*q;
	struct query_imap	 qi;
	struct buf		 b = BUF_INIT;
	char			*err;

	(void)state;
	q = query_parse("caf\xc3\xa9 \"x\\\"y\" (a or b)", NOW, &err, NULL);
	assert_non_null(q);
	memset(&qi, 0, sizeof qi);
	assert_int_equal(query_to_imap(q, &qi, &err), 0);
	assert_true(qi.utf8);
	assert_int_equal(qi.n, 9);
	assert_int_equal(qi.v[0].type, QP_ATOM);
	assert_string_equal(qi.v[0].data, "TEXT");
	assert_int_equal(qi.v[1].type, QP_LITERAL);
	assert_int_equal(qi.v[1].len, 5);
	assert_memory_equal(qi.v[1].data, "caf\xc3\xa9", 5);
	assert_int_equal(qi.v[3].type, QP_QUOTED);
	assert_string_equal(qi.v[3].data, "x\"y");	/* unescaped */
	assert_int_equal(qi.v[4].type, QP_ATOM);
	assert_string_equal(qi.v[4].data, "OR");
	query_imap_text(&qi, true, &b);
	assert_string_equal(buf_str(&b), "CHARSET UTF-8 TEXT {5+}\r\n"
	    "caf\xc3\xa9 TEXT \"x\\\"y\" OR TEXT \"a\" TEXT \"b\"");
	query_imap_free(&qi);
	assert_int_equal(qi.n, 0);
	assert_null(qi.v);
	query_imap_free(NULL);
	query_free(&q);

	/* ASCII only: no CHARSET, no literal. */
	q = query_parse("from:x (y z)", NOW, &err, NULL);
	assert_int_equal(query_to_imap(q, &qi, &err), 0);
	assert_false(qi.utf8);
	buf_reset(&b);
	query_imap_text(&qi, true, &b);
	assert_string_equal(buf_str(&b), "FROM \"x\" TEXT \"y\" TEXT \"z\"");
	query_imap_free(&qi);
	query_free(&q);
	buf_free(&b);
}

/* NUL inside the text (pasted) is refused, not cut short. */
static void
test_nul_refused(void **state)
{
	char	*err = NULL;
	size_t	 pos = 0;

	(void)state;
	assert_null(query_parse_mem("abc\0DELETE", 10, NOW, &err, &pos));
	assert_string_equal(err, "query:4: a NUL byte cannot be sent in a "
	    "search");
	assert_int_equal(pos, 3);
	free(err);
	/* err_pos may be NULL; a NULL text is the empty query. */
	assert_null(query_parse("(", NOW, &err, NULL));
	free(err);
	{
		struct query	*q = query_parse(NULL, NOW, &err, NULL);

		assert_true(query_is_empty(q));
		query_free(&q);
	}
	query_free(NULL);
}

/* n copies of open, then inner, then n copies of close. */
static char *
nest(const char *open, int n, const char *inner, const char *close)
{
	struct buf	 b = BUF_INIT;
	int		 i;

	for (i = 0; i < n; i++)
		buf_addstr(&b, open);
	buf_addstr(&b, inner);
	for (i = 0; i < n; i++)
		buf_addstr(&b, close);
	return buf_detach(&b);
}

static void
test_depth_cap(void **state)
{
	static const struct {
		const char	*open;
		const char	*inner;
		const char	*close;
		int		 n;	/* the most that parses */
		const char	*want;
	} t[] = {
		{ "(", "a", ")", QUERY_MAX_DEPTH, "TEXT \"a\"" },
		{ "not ", "a", "", QUERY_MAX_DEPTH, "TEXT \"a\"" },
		{ "-", "a", "", QUERY_MAX_DEPTH, "TEXT \"a\"" },
		{ "-(", "a", ")", QUERY_MAX_DEPTH / 2, "TEXT \"a\"" },
		{ "imap:", "SEEN", "", 1, "SEEN" },
		/* Raw keys count from the depth where imap: stands. */
		{ "-", "imap:NOT NOT SEEN", "", QUERY_MAX_DEPTH - 2, "SEEN" },
	};
	static const char *const raw[] = { "(SEEN ", "OR SEEN ", "NOT " };
	char	*in, *got, *err, *tail;
	size_t	 i, pos;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		in = nest(t[i].open, t[i].n, t[i].inner, t[i].close);
		got = criteria(in, strlen(in), NOW, &err, &pos);
		if (got == NULL || strcmp(got, t[i].want) != 0)
			fail_msg("depth %d of '%s': %s", t[i].n, t[i].open,
			    got != NULL ? got : err);
		free(got);
		free(in);
		if (t[i].n == 1)
			continue;
		in = nest(t[i].open, t[i].n + 1, t[i].inner, t[i].close);
		assert_null(criteria(in, strlen(in), NOW, &err, &pos));
		assert_non_null(strstr(err, "nested more than 32 deep"));
		free(err);
		free(in);
	}
	/* Parentheses, OR and NOT inside imap: share the cap. */
	for (i = 0; i < nitems(raw); i++) {
		tail = nest(raw[i], QUERY_MAX_DEPTH, "SEEN", i == 0 ? ")" : "");
		in = nest("", 1, "imap:", tail);
		got = criteria(in, strlen(in), NOW, &err, &pos);
		assert_non_null(got);
		free(got);
		free(in);
		free(tail);
		tail = nest(raw[i], QUERY_MAX_DEPTH + 1, "SEEN",
		    i == 0 ? ")" : "");
		in = nest("", 1, "imap:", tail);
		assert_null(criteria(in, strlen(in), NOW, &err, &pos));
		assert_non_null(strstr(err, "imap: nested more than 32 deep"));
		free(err);
		free(in);
		free(tail);
	}
}

/* Long or-chains stay shallow: n alternatives give n-1 ORs, each split
 * in halves. */
static void
test_or_chain(void **state)
{
	struct buf	 in = BUF_INIT;
	char		*got, *err, *p;
	size_t		 pos, ors = 0;
	int		 i;

	(void)state;
	for (i = 0; i < 100; i++)
		buf_printf(&in, "%sw%d", i > 0 ? " or " : "", i);
	got = criteria(in.data, in.len, NOW, &err, &pos);
	assert_non_null(got);
	for (p = got; (p = strstr(p, "OR ")) != NULL; p += 3)
		ors++;
	assert_int_equal(ors, 99);
	/* Balanced: halving 100 reaches the first word after six ORs. */
	assert_true(strncmp(got, "OR OR OR OR OR OR TEXT \"w0\"", 27) == 0);
	free(got);
	buf_free(&in);
}

static void
test_length_cap(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*got, *err;
	size_t		 pos;

	(void)state;
	while (b.len < QUERY_MAX_LEN)
		buf_addstr(&b, "ab ");
	b.len = QUERY_MAX_LEN;
	got = criteria(b.data, b.len, NOW, &err, &pos);
	assert_non_null(got);
	free(got);
	buf_addch(&b, 'c');
	assert_null(criteria(b.data, b.len, NOW, &err, &pos));
	assert_string_equal(err, "query:4097: the search text is longer "
	    "than 4096 bytes");
	assert_int_equal(pos, QUERY_MAX_LEN);
	free(err);
	buf_free(&b);
}

/* Relative dates on the calendar, from a few nows (TZ=UTC). */
static void
test_relative_dates(void **state)
{
	static const struct {
		const char	*now;	/* YYYY-MM-DD */
		const char	*in;
		const char	*want;
	} t[] = {
		{ "2024-03-31", "since:1m", "SINCE 29-Feb-2024" },
		{ "2023-03-31", "since:1m", "SINCE 28-Feb-2023" },
		{ "2024-02-29", "since:1y", "SINCE 28-Feb-2023" },
		{ "2024-02-29", "since:4y", "SINCE 29-Feb-2020" },
		{ "2024-01-15", "since:2m", "SINCE 15-Nov-2023" },
		{ "2024-01-01", "since:1d", "SINCE 31-Dec-2023" },
		{ "2024-03-01", "before:1w", "BEFORE 23-Feb-2024" },
		{ "2000-03-01", "on:1d", "ON 29-Feb-2000" },
		{ "1900-03-01", "on:1d", "ON 28-Feb-1900" },
		{ "2024-12-31", "since:12m", "SINCE 31-Dec-2023" },
		{ "2024-05-10", "since:100w", "SINCE 10-Jun-2022" },
	};
	struct tm	 tm;
	time_t		 now;
	char		*got, *err;
	size_t		 i, pos;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		memset(&tm, 0, sizeof tm);
		assert_non_null(strptime(t[i].now, "%Y-%m-%d", &tm));
		tm.tm_hour = 23;
		tm.tm_min = 59;
		now = timegm(&tm);
		got = criteria(t[i].in, strlen(t[i].in), now, &err, &pos);
		if (got == NULL || strcmp(got, t[i].want) != 0)
			fail_msg("%s at %s gave '%s', want '%s'", t[i].in,
			    t[i].now, got != NULL ? got : err, t[i].want);
		free(got);
	}
	/* Too far back for a date. */
	assert_null(criteria("since:99999y", 12, NOW, &err, &pos));
	assert_int_equal(pos, 6);
	free(err);
}

/* The cached summaries offline search looks at. */
static const struct msg_summary msgs[] = {
	{ .uid = 1, .flags = MF_SEEN, .modseq = 10,
	  .internal_date = 1710410400,		/* 2024-03-14 10:00 */
	  .date = 1710410000, .size = 500,
	  .from = (char *)"Alice Example", .to = (char *)"bob@example.com",
	  .subject = (char *)"Weekly report" },
	{ .uid = 2, .flags = MF_FLAGGED | MF_ATTACHMENT, .modseq = 20,
	  .internal_date = 1709251200,		/* 2024-03-01 00:00 */
	  .size = 20000,
	  .from = (char *)"J\xc3\xbcrgen Gro\xc3\x9f", .to = (char *)"Team",
	  .cc = (char *)"carol@example.org",
	  .subject = (char *)"Gr\xc3\xbc\xc3\x9f" "e aus Berlin" },
	{ .uid = 3, .flags = MF_SEEN | MF_ANSWERED, .modseq = 30,
	  .internal_date = 1704067199,		/* 2023-12-31 23:59:59 */
	  .size = 2000000,
	  .from = (char *)"bob@example.com", .subject = (char *)"Re: invoice 42" },
	{ .uid = 4, .flags = MF_DELETED | MF_RECENT, .modseq = 40,
	  .internal_date = 1710460800,		/* 2024-03-15 00:00 */
	  .size = 10240,
	  .from = (char *)"\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91",
	  .subject = (char *)"\xd0\x9f\xd0\xa0\xd0\x98\xd0\x92\xd0\x95\xd0\xa2 "
	  "\xd0\xbc\xd0\xb8\xd1\x80" },
	{ .uid = 5, .flags = MF_DRAFT, .modseq = 50 },
};

static void
test_match(void **state)
{
	static const struct {
		const char	*in;
		const char	*uids;
		bool		 approx;
	} t[] = {
		{ "", "1 2 3 4 5", false },
		{ "report", "1", true },
		{ "REPORT", "1", true },
		{ "invoice or berlin", "2 3", true },
		{ "body:weekly", "1", true },
		{ "from:alice", "1", true },
		{ "from:j\xc3\xbcrgen", "2", true },
		{ "from:J\xc3\x9cRGEN", "2", true },
		{ "from:\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1", "4", true },
		{ "subject:\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
		  "4", false },
		{ "subject:\xd0\x9c\xd0\x98\xd0\xa0", "4", false },
		{ "to:example", "1", true },
		{ "cc:CAROL", "2", true },
		{ "bcc:x", "", true },
		{ "subject:re subject:invoice", "3", false },
		{ "is:unread", "2 4 5", false },
		{ "is:flagged", "2", false },
		{ "-is:read is:flagged", "2", false },
		{ "is:deleted or is:draft", "4 5", false },
		{ "is:answered", "3", false },
		{ "since:2024-03-14", "1 4", false },
		{ "before:2024-01-01", "3 5", false },
		{ "on:2023-12-31", "3", false },
		{ "on:2024-03-15", "4", false },
		{ "since:1d", "1 4", false },
		{ "since:2w -since:1d", "2", false },
		{ "larger:10K", "2 3", false },
		{ "smaller:10K", "1 5", false },
		{ "larger:10239 smaller:10241", "4", false },
		{ "has:attachment", "2", false },
		{ "-(from:alice or from:bob)", "2 4 5", true },
		{ "(is:read or is:flagged) -is:answered", "1 2", false },
		{ "imap:UID 2:3", "2 3", false },
		{ "imap:UID 4:*", "4 5", false },
		{ "imap:UID 3,1", "1 3", false },
		{ "imap:OR ANSWERED DELETED", "3 4", false },
		{ "imap:NOT SEEN LARGER 100", "2 4", false },
		{ "imap:MODSEQ 30", "3 4 5", false },
		{ "imap:NEW", "4", false },
		{ "imap:OLD", "1 2 3 5", false },
		{ "imap:ALL", "1 2 3 4 5", false },
		{ "imap:HEADER Subject report", "1", true },
		{ "imap:HEADER X-Spam yes", "", true },
		{ "imap:KEYWORD $Junk", "", true },
		{ "imap:UNKEYWORD $Junk", "1 2 3 4 5", true },
		{ "imap:SENTON 14-Mar-2024", "1", true },
		{ "imap:1:2", "", true },
	};
	struct query	*q;
	struct buf	 got = BUF_INIT;
	char		*err;
	size_t		 i, j;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		q = query_parse(t[i].in, NOW, &err, NULL);
		if (q == NULL)
			fail_msg("'%s': %s", t[i].in, err);
		buf_reset(&got);
		buf_addstr(&got, "");
		for (j = 0; j < nitems(msgs); j++)
			if (query_match(q, &msgs[j], NOW))
				buf_printf(&got, "%s%u", got.len > 0 ? " " : "",
				    msgs[j].uid);
		if (strcmp(got.data, t[i].uids) != 0)
			fail_msg("'%s' matched '%s', want '%s'", t[i].in,
			    got.data, t[i].uids);
		if (query_approximate(q) != t[i].approx)
			fail_msg("'%s': approximate should be %d", t[i].in,
			    t[i].approx);
		query_free(&q);
	}
	buf_free(&got);
}

/* Relative dates move with the now given to query_match(). */
static void
test_match_moving_now(void **state)
{
	struct query	*q;
	char		*err;

	(void)state;
	q = query_parse("since:0d", NOW, &err, NULL);
	assert_true(query_match(q, &msgs[3], NOW));
	assert_false(query_match(q, &msgs[3], NOW + DAY));
	assert_false(query_match(q, &msgs[0], NOW));
	assert_true(query_match(q, &msgs[0], NOW - DAY));
	query_free(&q);
	q = query_parse("on:2024-03-14", NOW, &err, NULL);
	assert_true(query_match(q, &msgs[0], NOW + 400 * DAY));
	query_free(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_describe_round_trip),
		cmocka_unit_test(test_describe_text),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_nul_refused),
		cmocka_unit_test(test_depth_cap),
		cmocka_unit_test(test_or_chain),
		cmocka_unit_test(test_length_cap),
		cmocka_unit_test(test_relative_dates),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_match_moving_now),
	};

	/* Relative dates and IMAP's days are local: fix the zone. */
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests_name("query", tests, NULL, NULL);
}
