/*
 * Unit tests: the IMAP framing scanner (src/net/frame.c).
 *
 * Every case is fed whole, byte by byte, in random slices of 1-3 bytes
 * (fixed seed) and, when short, split once at every offset: all must give
 * the expected verdict and the same error text, since the socket decides
 * the slicing, not the server's intent.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quire/net.h"
#include "unit.h"

struct frame_case {
	const char		*name;
	const char		*in;
	size_t			 len;
	struct frame_limits	 lim;
	const char		*err;	/* NULL: accepted */
};

#define IN(s)		(s), sizeof(s) - 1
#define DEF		{ 0, 0, 0 }
#define LIT(n)		{ (n), 0, 0 }
#define LINE(n)		{ 0, (n), 0 }
#define DEPTH(n)	{ 0, 0, (n) }

#define E_NUM	"literal size is not a valid number"
#define E_LIT(n, lim) \
	"the server announced a literal of " n " bytes, over the limit of " lim
#define E_LINE(lim)	"the server sent a line longer than " lim
#define E_DEPTH(n)	"the server nested parentheses deeper than " n " levels"

static const struct frame_case frame_cases[] = {
	/* Ordinary responses. */
	{ "greeting", IN("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready.\r\n"),
	    DEF, NULL },
	{ "fetch literal hides parens, braces, quotes",
	    IN("* 1 FETCH (UID 7 BODY[] {12}\r\n((((({3}\r\n\"x )\r\n"),
	    DEPTH(1), NULL },
	{ "bodystructure within depth",
	    IN("* 2 FETCH (UID 8 BODYSTRUCTURE ((\"text\" \"plain\" "
	    "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 12 1 NIL NIL NIL)"
	    "((\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"base64\" "
	    "40 2 NIL NIL NIL)(\"image\" \"png\" NIL NIL NIL \"base64\" 9 "
	    "NIL NIL NIL) \"related\" (\"boundary\" \"b2\") NIL NIL) "
	    "\"alternative\" (\"boundary\" \"b1\") NIL NIL))\r\n"),
	    DEPTH(5), NULL },
	{ "bodystructure one level too deep",
	    IN("* 2 FETCH (BODYSTRUCTURE (((\"text\" \"plain\" (\"a\" \"b\") "
	    "NIL NIL \"7bit\" 1 1) \"mixed\") \"mixed\"))\r\n"),
	    DEPTH(4), E_DEPTH("4") },
	{ "list with parens and braces in a quoted name",
	    IN("* LIST (\\HasNoChildren) \"/\" \"Archive/(2024) {5}\"\r\n"),
	    DEPTH(1), NULL },
	{ "escaped quote keeps the string open",
	    IN("* 3 FETCH (ENVELOPE (\"say \\\"(((\\\" now\" NIL))\r\n"),
	    DEPTH(2), NULL },
	{ "escaped backslash closes the string",
	    IN("* 3 X \"a\\\\\" (((\r\n"), DEPTH(2), E_DEPTH("2") },
	{ "literal8", IN("* 4 FETCH (BINARY[] ~{4}\r\n(((()\r\n"),
	    DEPTH(1), NULL },
	{ "non-synchronizing literal", IN("* 4 X ({4+}\r\n(((()\r\n"),
	    DEPTH(1), NULL },
	{ "spaces libetpan tolerates", IN("* 4 X ({ 4 } \r\n(((()\r\n"),
	    DEPTH(1), NULL },
	{ "tabs libetpan tolerates", IN("* 4 X ({\t4\t}\t\r\n(((()\r\n"),
	    DEPTH(1), NULL },
	{ "bare LF after a marker", IN("* 5 X ({3}\n((()\n"), DEPTH(1), NULL },
	{ "empty literal", IN("* 6 FETCH (BODY[] {0}\r\n)\r\n"), DEPTH(1),
	    NULL },
	{ "two literals, continuation lines",
	    IN("* 7 FETCH (A {2}\r\n(( B {2}\r\n))) C\r\n"), DEPTH(1), NULL },
	{ "literal data looks like a huge marker",
	    IN("* 8 FETCH (BODY[] {16}\r\n{999999999999}\r\n)\r\n"), DEF,
	    NULL },
	{ "leading zeros", IN("{0000000000000000000000005}\r\n((((("),
	    DEPTH(1), NULL },
	{ "NUL bytes are ordinary", IN("* OK a\0b\"c\0d\"\r\n"), DEF, NULL },

	/* Parentheses. */
	{ "unbalanced close clamps at zero", IN(")))(((\r\n"), DEPTH(3),
	    NULL },
	{ "clamped close does not lend depth", IN("))((((\r\n"), DEPTH(3),
	    E_DEPTH("3") },
	{ "brackets do not count", IN("* OK [[[[[[[ ]]] x\r\n"), DEPTH(1),
	    NULL },
	{ "depth resets after a response", IN("((((\r\n((((\r\n"), DEPTH(4),
	    NULL },
	{ "depth counts through a literal", IN("((({1}\r\nx(\r\n"), DEPTH(3),
	    E_DEPTH("3") },
	{ "depth through a literal within limit", IN("(({1}\r\nx(\r\n"),
	    DEPTH(3), NULL },

	/* Quoted strings end at CR or LF. */
	{ "parens in an open quote are hidden", IN("* OK \"a(((\r\n"),
	    DEPTH(1), NULL },
	{ "CRLF ends the quote", IN("* OK \"abc\r\n((\r\n"), DEPTH(1),
	    E_DEPTH("1") },
	{ "a marker after a quote ended by CRLF",
	    IN("* OK \"x\r\n{3}\r\n(((\r\n"), DEPTH(1), NULL },
	{ "bare CR ends the quote", IN("* OK \"ab\r(((\r\n"), DEPTH(2),
	    E_DEPTH("2") },
	{ "CRLF after a backslash ends the quote",
	    IN("* OK \"ab\\\r\n((\r\n"), DEPTH(1), E_DEPTH("1") },

	/* Brace groups in the middle of a line are not literals. */
	{ "mid-line marker is not skipped", IN("* OK {5} ((\r\n"), DEPTH(2),
	    NULL },
	{ "mid-line marker: the bytes after it count",
	    IN("* OK {5} (((\r\n"), DEPTH(2), E_DEPTH("2") },
	{ "mid-line junk in braces", IN("* OK {12a} {} {+} fine\r\n"), DEF,
	    NULL },
	{ "a paren inside braces counts", IN("* OK {1(}\r\n"), DEPTH(1),
	    NULL },
	{ "a paren inside braces over the limit", IN("* OK {1((}\r\n"),
	    DEPTH(1), E_DEPTH("1") },
	{ "mid-line size over the limit", IN("* OK {4294967296} x\r\n"),
	    DEF, E_LIT("4294967296", "64 MiB") },
	{ "mid-line size over a small limit", IN("* OK {11}x\r\n"), LIT(10),
	    E_LIT("11", "10 bytes") },
	{ "mid-line overflow", IN("* OK {99999999999999999999} x\r\n"), DEF,
	    E_NUM },

	/* Lines. */
	{ "line at the limit", IN("0123456789\r\n0123456789\r\n"), LINE(10),
	    NULL },
	{ "line one past the limit", IN("0123456789a\r\n"), LINE(10),
	    E_LINE("10 bytes") },
	{ "line at the limit, bare LF", IN("0123456789\n"), LINE(10), NULL },
	{ "line at the limit, no line end yet", IN("0123456789"), LINE(10),
	    NULL },
	{ "CR not before LF counts", IN("0123456789\rX"), LINE(10),
	    E_LINE("10 bytes") },
	{ "two CRs count", IN("0123456789\r\r\n"), LINE(10),
	    E_LINE("10 bytes") },
	{ "quoted bytes count", IN("\"0123456789\"\r\n"), LINE(11),
	    E_LINE("11 bytes") },
	{ "escape and brace bytes count", IN("\\\"\\\"{1234}5\r\n"), LINE(10),
	    E_LINE("10 bytes") },
	{ "literal data does not count",
	    IN("012345{3}\r\nabc6789\r\n{20}\r\n01234567890123456789\r\n"),
	    LINE(9), NULL },
	{ "marker line over the limit", IN("0123456{3}\r\nabc\r\n"), LINE(9),
	    E_LINE("9 bytes") },

	/* Literal sizes. */
	{ "literal at the limit", IN("{10}\r\n0123456789\r\n"), LIT(10),
	    NULL },
	{ "literal one past the limit", IN("{11}\r\n01234567890\r\n"),
	    LIT(10), E_LIT("11", "10 bytes") },
	{ "limit in KiB", IN("{2049}\r\n"), LIT(2048), E_LIT("2049", "2 KiB") },
	{ "default limit, at", IN("* 1 FETCH (BODY[] {67108864}\r\n"), DEF,
	    NULL },
	{ "default limit, one past", IN("* 1 FETCH (BODY[] {67108865}\r\n"),
	    DEF, E_LIT("67108865", "64 MiB") },
	{ "4294967295", IN("* 1 FETCH (BODY[] {4294967295}\r\nab"), DEF,
	    E_LIT("4294967295", "64 MiB") },
	{ "4294967296 does not wrap", IN("* 1 FETCH (BODY[] {4294967296}\r\n"),
	    DEF, E_LIT("4294967296", "64 MiB") },
	{ "4294967296 under a huge limit is capped",
	    IN("{4294967296}\r\n"), LIT(UINT64_MAX),
	    E_LIT("4294967296", "4294967295 bytes") },
	{ "99999999999", IN("{99999999999}\r\n"), DEF,
	    E_LIT("99999999999", "64 MiB") },
	{ "20 digits that fit", IN("{18446744073709551615}\r\n"), DEF,
	    E_LIT("18446744073709551615", "64 MiB") },
	{ "20 digits, one past 64 bits", IN("{18446744073709551616}\r\n"),
	    DEF, E_NUM },
	{ "20 nines", IN("{99999999999999999999}\r\n"), DEF, E_NUM },
	{ "25 digits", IN("{9999999999999999999999999}\r\n"), DEF, E_NUM },
	{ "23 digits, literal8", IN("~{99999999999999999999999}\r\n"), DEF,
	    E_NUM },
	{ "large literal+", IN("{4294967296+}\r\n"), DEF,
	    E_LIT("4294967296", "64 MiB") },
	{ "empty braces at line end", IN("* X {}\r\n"), DEF, E_NUM },
	{ "letters at line end", IN("* X {12a}\r\n"), DEF, E_NUM },
	{ "sign at line end", IN("* X {-5}\r\n"), DEF, E_NUM },
	{ "plus alone", IN("* X {+}\n"), DEF, E_NUM },
	{ "plus inside the number", IN("* X {1+2}\r\n"), DEF, E_NUM },
	{ "space inside the number", IN("* X {1 2}\r\n"), DEF, E_NUM },
	{ "two pluses", IN("* X {1++}\r\n"), DEF, E_NUM },
};

struct frame_result {
	int	 rc;
	char	 err[160];
};

/* A small generator of our own: the sequence must not depend on libc. */
static unsigned
next_rand(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

enum slicing { WHOLE, BYTES, RANDOM, SPLIT };

/* Feed in pieces; a failure must stick through every later call. */
static void
feed(const char *in, size_t len, const struct frame_limits *lim,
    enum slicing how, size_t at, struct frame_result *res)
{
	struct frame_scanner	*fs;
	unsigned		 seed = 0x5eed + (unsigned)len;
	size_t			 off = 0, n;
	int			 rc;

	fs = frame_new(lim);
	assert_null(frame_error(fs));
	res->rc = 0;
	res->err[0] = '\0';
	while (off < len) {
		n = len - off;
		if (how == BYTES)
			n = 1;
		else if (how == RANDOM)
			n = 1 + next_rand(&seed) % 3;
		else if (how == SPLIT && off < at)
			n = at - off;
		if (n > len - off)
			n = len - off;
		rc = frame_feed(fs, in + off, n);
		if (res->rc == -1) {
			assert_int_equal(rc, -1);
			assert_string_equal(frame_error(fs), res->err);
		} else if (rc == -1) {
			assert_non_null(frame_error(fs));
			snprintf(res->err, sizeof res->err, "%s",
			    frame_error(fs));
			res->rc = -1;
		} else
			assert_int_equal(rc, 0);
		off += n;
	}
	if (res->rc == 0)
		assert_null(frame_error(fs));
	frame_free(&fs);
	assert_null(fs);
}

static void
check_one(const char *name, const char *mode, const struct frame_result *res,
    const char *err)
{
	if (err == NULL && res->rc != 0)
		fail_msg("%s (%s): rejected: %s", name, mode, res->err);
	if (err != NULL && res->rc == 0)
		fail_msg("%s (%s): accepted, want \"%s\"", name, mode, err);
	if (err != NULL && strcmp(err, res->err) != 0)
		fail_msg("%s (%s): \"%s\", want \"%s\"", name, mode, res->err,
		    err);
}

/* Every slicing of the input gives the expected verdict. */
static void
check_case(const char *name, const char *in, size_t len,
    const struct frame_limits *lim, const char *err)
{
	struct frame_result	 res;
	size_t			 at;

	feed(in, len, lim, WHOLE, 0, &res);
	check_one(name, "whole", &res, err);
	feed(in, len, lim, BYTES, 0, &res);
	check_one(name, "byte by byte", &res, err);
	feed(in, len, lim, RANDOM, 0, &res);
	check_one(name, "random slices", &res, err);
	if (len > 4096)
		return;
	for (at = 1; at < len; at++) {
		feed(in, len, lim, SPLIT, at, &res);
		check_one(name, "split in two", &res, err);
	}
}

static void
test_frame_table(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(frame_cases); i++)
		check_case(frame_cases[i].name, frame_cases[i].in,
		    frame_cases[i].len, &frame_cases[i].lim, frame_cases[i].err);
}

/* n copies of c, then tail. */
static char *
repeat(char c, size_t n, const char *tail, size_t *len)
{
	size_t	 tl = strlen(tail);
	char	*s;

	s = xmalloc(n + tl + 1);
	memset(s, c, n);
	memcpy(s + n, tail, tl + 1);
	*len = n + tl;
	return s;
}

static void
test_frame_depth(void **state)
{
	struct frame_limits	 def = { 0, 0, 0 };
	char			*s;
	size_t			 len;

	(void)state;
	s = repeat('(', 20000, "\r\n", &len);
	check_case("20,000 parens", s, len, &def, E_DEPTH("64"));
	free(s);
	s = repeat('(', 64, "\r\n", &len);
	check_case("64 parens, default", s, len, &def, NULL);
	free(s);
	s = repeat('(', 65, "", &len);
	check_case("65 parens, default", s, len, &def, E_DEPTH("64"));
	free(s);
}

static void
test_frame_line(void **state)
{
	struct frame_limits	 lim = { 0, 64, 0 };
	char			*s;
	size_t			 len;

	(void)state;
	s = repeat('a', 64, "\r\n", &len);
	check_case("64 bytes, max 64", s, len, &lim, NULL);
	free(s);
	s = repeat('a', 65, "\r\n", &len);
	check_case("65 bytes, max 64", s, len, &lim, E_LINE("64 bytes"));
	free(s);
	s = repeat('a', 65, "", &len);
	check_case("65 bytes without CRLF", s, len, &lim, E_LINE("64 bytes"));
	free(s);
}

/* The default line limit, without feeding 64 MiB byte by byte. */
static void
test_frame_line_default(void **state)
{
	struct frame_scanner	*fs;
	size_t			 n = 64 * 1024 * 1024, chunk = 65536, off;
	char			*s;

	(void)state;
	s = xmalloc(n + 1);
	memset(s, 'x', n + 1);
	fs = frame_new(NULL);
	for (off = 0; off < n; off += chunk)
		assert_int_equal(frame_feed(fs, s + off, chunk), 0);
	assert_int_equal(frame_feed(fs, "\r\n", 2), 0);
	assert_int_equal(frame_feed(fs, s, n), 0);
	assert_int_equal(frame_feed(fs, s, 1), -1);
	assert_string_equal(frame_error(fs), E_LINE("64 MiB"));
	frame_free(&fs);
	free(s);
}

/* A literal full of everything the scanner would otherwise react to. */
static void
test_frame_big_literal(void **state)
{
	static const char	 noise[] = "(){}\"\\\r\n[]~+ {99999999999}\r\n";
	struct frame_limits	 lim = { 0, 64, 1 };
	const char		*head = "* 9 FETCH (BODY[] {100000}\r\n";
	size_t			 hl = strlen(head), i, len;
	unsigned		 seed = 42;
	char			*s;

	(void)state;
	len = hl + 100000 + 3;
	s = xmalloc(len + 1);
	memcpy(s, head, hl);
	for (i = 0; i < 100000; i++)
		s[hl + i] = noise[next_rand(&seed) % (sizeof noise - 1)];
	memcpy(s + hl + 100000, ")\r\n", 4);
	check_case("100,000 bytes of noise in a literal", s, len, &lim, NULL);
	s[len - 3] = '(';
	check_case("depth right after the noise", s, len, &lim, E_DEPTH("1"));
	free(s);
}

static void
test_frame_sticky(void **state)
{
	struct frame_limits	 lim = { 0, 0, 1 };
	struct frame_scanner	*fs;
	const char		*e;

	(void)state;
	fs = frame_new(&lim);
	assert_int_equal(frame_feed(fs, "(x)\r\n", 5), 0);
	assert_int_equal(frame_feed(fs, "", 0), 0);
	assert_null(frame_error(fs));
	assert_int_equal(frame_feed(fs, "((", 2), -1);
	e = frame_error(fs);
	assert_string_equal(e, E_DEPTH("1"));
	assert_int_equal(frame_feed(fs, "ok\r\n", 4), -1);
	assert_int_equal(frame_feed(fs, "", 0), -1);
	assert_int_equal(frame_feed(fs, "{99999999999}\r\n", 15), -1);
	assert_string_equal(frame_error(fs), E_DEPTH("1"));
	frame_free(&fs);
	assert_null(fs);
	frame_free(&fs);
	frame_free(NULL);
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* BAD-INPUTS 20: a NUL in a quoted string comes out as U+FFFD, the rest
 * of the string kept; a NUL in literal data or outside quotes stays, and
 * a slice without one leaves out alone. Any slicing gives the same. */
static void
test_frame_nul_quoted(void **state)
{
	static const char	 in[] = "* 1 FETCH (ENVELOPE (NIL \"a\0b\\\0c\" "
	    "{3}\r\nx\0y NIL))\r\n";
	static const char	 want[] = "* 1 FETCH (ENVELOPE (NIL "
	    "\"a\xef\xbf\xbd" "b\\\xef\xbf\xbd" "c\" {3}\r\nx\0y NIL))\r\n";
	struct frame_scanner	*fs;
	struct buf		 out = BUF_INIT, all = BUF_INIT;
	size_t			 n = sizeof in - 1, off, k;
	size_t			 slice;
	int			 r;

	(void)state;
	for (slice = 1; slice <= n; slice++) {
		fs = frame_new(NULL);
		buf_reset(&all);
		for (off = 0; off < n; off += k) {
			k = n - off < slice ? n - off : slice;
			r = frame_feed_clean(fs, in + off, k, &out);
			assert_true(r >= 0);
			if (r > 0)
				buf_add(&all, out.data, out.len);
			else
				buf_add(&all, in + off, k);
		}
		assert_int_equal(all.len, sizeof want - 1);
		assert_memory_equal(all.data, want, sizeof want - 1);
		frame_free(&fs);
	}
	fs = frame_new(NULL);
	buf_reset(&out);
	assert_int_equal(frame_feed_clean(fs, "* OK \"ab\"\r\n", 11, &out), 0);
	assert_int_equal(out.len, 0);
	frame_free(&fs);
	buf_free(&out);
	buf_free(&all);
}

static double
throughput(const char *s, size_t len, int rounds)
{
	struct frame_scanner	*fs;
	struct timespec		 t0;
	int			 i;

	fs = frame_new(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < rounds; i++)
		assert_int_equal(frame_feed(fs, s, len), 0);
	frame_free(&fs);
	return (double)len * rounds / elapsed(&t0) / 1e6;
}

/* Not an assertion: a figure to notice when it drops. */
static void
test_frame_throughput(void **state)
{
	static const char	 text[] = "Received: from mail.example.org by "
	    "mx.example.net with ESMTPS id 4f2a; Mon, 3 Jun 2024\r\n";
	static const char	 env[] = "* 12 FETCH (UID 4021 FLAGS (\\Seen) "
	    "ENVELOPE (\"Mon, 3 Jun 2024 10:00:00 +0000\" \"Re: the (old) "
	    "plan\" ((\"Ann\" NIL \"ann\" \"example.org\")) NIL NIL NIL NIL "
	    "NIL NIL \"<1@example.org>\"))\r\n";
	size_t			 len = 8 * 1024 * 1024, i;
	char			*s;
	double			 a, b;

	(void)state;
	s = xmalloc(len);
	for (i = 0; i + sizeof text - 1 <= len; i += sizeof text - 1)
		memcpy(s + i, text, sizeof text - 1);
	memset(s + i, 'x', len - i);
	a = throughput(s, len, 4);
	for (i = 0; i + sizeof env - 1 <= len; i += sizeof env - 1)
		memcpy(s + i, env, sizeof env - 1);
	memset(s + i, 'x', len - i);
	b = throughput(s, len, 4);
	printf("# frame: %.0f MB/s on plain text, %.0f MB/s on envelopes\n",
	    a, b);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_table),
		cmocka_unit_test(test_frame_depth),
		cmocka_unit_test(test_frame_line),
		cmocka_unit_test(test_frame_line_default),
		cmocka_unit_test(test_frame_big_literal),
		cmocka_unit_test(test_frame_sticky),
		cmocka_unit_test(test_frame_nul_quoted),
		cmocka_unit_test(test_frame_throughput),
	};

	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
