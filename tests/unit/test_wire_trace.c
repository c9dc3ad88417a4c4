/*
 * Unit tests: the protocol trace and its redaction (src/net/trace.c).
 *
 * Each case is a short conversation, a list of steps in either direction,
 * fed whole, byte by byte and in random slices of 1-3 bytes (fixed seed):
 * the trace must come out the same every time, and no secret of the
 * conversation may appear in it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_priv.h"
#include "unit.h"

#define MAX_STEPS	10
#define MAX_LINES	16

struct step {
	enum trace_dir	 dir;
	const char	*bytes;
};

struct trace_case {
	const char	*name;
	struct step	 steps[MAX_STEPS];
	const char	*want[MAX_LINES];
	const char	*secret;	/* must not appear; NULL: none */
};

#define C(s)	{ TRACE_OUT, (s) }
#define S(s)	{ TRACE_IN, (s) }

static const struct trace_case trace_cases[] = {
	{ "login with atoms",
	    { C("a1 LOGIN user hunter2\r\n"), S("a1 OK done\r\n") },
	    { "C: a1 LOGIN <redacted>", "S: a1 OK done" }, "hunter2" },
	{ "login lower case, quoted",
	    { C("a1 login \"user\" \"hunter 2\"\r\n") },
	    { "C: a1 login <redacted>" }, "hunter" },
	{ "login with synchronizing literals",
	    { C("a2 LOGIN {4}\r\n"), S("+ go\r\n"), C("user {7}\r\n"),
	    S("+ go\r\n"), C("hunter2\r\n"), S("a2 OK\r\n"),
	    C("a3 NOOP\r\n") },
	    { "C: a2 LOGIN <redacted>", "S: + go", "C: <redacted>",
	    "C: <redacted>", "S: + go", "C: <redacted>", "S: a2 OK",
	    "C: a3 NOOP" }, "hunter2" },
	{ "login with non-synchronizing literals",
	    { C("a2 LOGIN {4+}\r\nuser {7+}\r\nhunter2\r\n"),
	    C("a3 NOOP\r\n") },
	    { "C: a2 LOGIN <redacted>", "C: <redacted>", "C: <redacted>",
	    "C: <redacted>", "C: a3 NOOP" }, "hunter2" },
	{ "authenticate with an initial response",
	    { C("a3 AUTHENTICATE PLAIN AHVzZXIAaHVudGVyMg==\r\n"),
	    S("a3 OK\r\n"), C("a4 NOOP\r\n") },
	    { "C: a3 AUTHENTICATE PLAIN <redacted>", "S: a3 OK",
	    "C: a4 NOOP" }, "AHVzZXIAaHVudGVyMg" },
	{ "authenticate, continuations until the tagged reply",
	    { C("a5 AUTHENTICATE PLAIN\r\n"), S("+ \r\n"),
	    C("AHVzZXIAaHVudGVyMg==\r\n"), S("+ more\r\n"),
	    C("c2VjcmV0Mg==\r\n"), S("* CAPABILITY IMAP4rev1\r\n"),
	    S("a50 OK not ours\r\n"), C("c2VjcmV0Mw==\r\n"),
	    S("a5 NO bad\r\n"), C("a6 NOOP\r\n") },
	    { "C: a5 AUTHENTICATE PLAIN", "S: + ", "C: <redacted>",
	    "S: + more", "C: <redacted>", "S: * CAPABILITY IMAP4rev1",
	    "S: a50 OK not ours", "C: <redacted>", "S: a5 NO bad",
	    "C: a6 NOOP" }, "c2VjcmV0" },
	{ "xoauth2",
	    { C("A1 AUTHENTICATE XOAUTH2 dXNlcj1zb21lQGV4YW1wbGUuY29t\r\n"),
	    S("+ eyJzdGF0dXMiOiI0MDEifQ==\r\n"), C("\r\n"),
	    S("A1 NO denied\r\n") },
	    { "C: A1 AUTHENTICATE XOAUTH2 <redacted>",
	    "S: + eyJzdGF0dXMiOiI0MDEifQ==", "C: ", "S: A1 NO denied" },
	    "dXNlcj1" },
	{ "server literal summarized",
	    { S("* 1 FETCH (UID 3 BODY[] {5}\r\nhello)\r\n"),
	    S("* 2 FETCH (BODY[] {0}\r\n)\r\n") },
	    { "S: * 1 FETCH (UID 3 BODY[] {5}", "S: <literal, 5 bytes>",
	    "S: )", "S: * 2 FETCH (BODY[] {0}", "S: <literal, 0 bytes>",
	    "S: )" }, "hello" },
	{ "client literal summarized",
	    { C("a7 APPEND INBOX {11}\r\n"), S("+ ok\r\n"),
	    C("hello world\r\n"), S("a7 OK\r\n") },
	    { "C: a7 APPEND INBOX {11}", "S: + ok",
	    "C: <literal, 11 bytes>", "S: a7 OK" }, "hello" },
	{ "a brace in the middle is no literal",
	    { S("* OK {5} not at the end\r\n"), S("* OK x\r\n") },
	    { "S: * OK {5} not at the end", "S: * OK x" }, NULL },
};

struct sink {
	char	*lines[64];
	size_t	 n;
};

static void
sink_emit(void *arg, const char *line)
{
	struct sink	*k = arg;

	assert_true(k->n < nitems(k->lines));
	k->lines[k->n++] = xstrdup(line);
}

static void
sink_clear(struct sink *k)
{
	while (k->n > 0)
		free(k->lines[--k->n]);
}

/* slicing: 0 whole, 1 byte by byte, 2 random 1-3 bytes. */
static void
run_case(const struct trace_case *tc, int slicing, struct sink *k)
{
	struct trace	*t;
	const char	*p;
	size_t		 i, n, left, len;

	t = trace_new(sink_emit, k);
	for (i = 0; i < MAX_STEPS && tc->steps[i].bytes != NULL; i++) {
		p = tc->steps[i].bytes;
		for (left = strlen(p); left > 0; left -= n, p += n) {
			len = slicing == 0 ? left : slicing == 1 ? 1 :
			    (size_t)(rand() % 3 + 1);
			n = len < left ? len : left;
			trace_feed(t, tc->steps[i].dir, p, n);
		}
	}
	trace_free(&t);
	assert_null(t);
}

static void
check_case(const struct trace_case *tc, const struct sink *k)
{
	size_t	i, want;

	for (want = 0; want < MAX_LINES && tc->want[want] != NULL; want++)
		;
	if (k->n != want) {
		for (i = 0; i < k->n; i++)
			print_message("# got: %s\n", k->lines[i]);
		fail_msg("%s: %zu lines, wanted %zu", tc->name, k->n, want);
	}
	for (i = 0; i < want; i++) {
		if (strcmp(k->lines[i], tc->want[i]) != 0)
			fail_msg("%s: line %zu is \"%s\", wanted \"%s\"",
			    tc->name, i, k->lines[i], tc->want[i]);
		if (tc->secret != NULL && strstr(k->lines[i], tc->secret))
			fail_msg("%s: the secret shows in \"%s\"", tc->name,
			    k->lines[i]);
	}
}

static void
test_trace_table(void **state)
{
	struct sink	k = { .n = 0 };
	size_t		i;
	int		slicing;

	(void)state;
	srand(4242);
	for (i = 0; i < nitems(trace_cases); i++) {
		for (slicing = 0; slicing < 3; slicing++) {
			run_case(&trace_cases[i], slicing, &k);
			check_case(&trace_cases[i], &k);
			sink_clear(&k);
		}
	}
}

static void
test_trace_long_line(void **state)
{
	struct sink	 k = { .n = 0 };
	struct trace	*t;
	char		*line, want[TRACE_SHOW + 64];

	(void)state;
	line = xmalloc(5000);
	memset(line, 'x', 4998);
	memcpy(line + 4998, "\r\n", 2);
	t = trace_new(sink_emit, &k);
	trace_feed(t, TRACE_IN, line, 5000);
	trace_free(&t);
	memcpy(want, "S: ", 3);
	memset(want + 3, 'x', TRACE_SHOW);
	snprintf(want + 3 + TRACE_SHOW, sizeof want - 3 - TRACE_SHOW,
	    "... [4998 bytes]");
	assert_int_equal(k.n, 1);
	assert_string_equal(k.lines[0], want);
	sink_clear(&k);
	free(line);
}

/* The pure function on its own: what may be shown of each line. */
static void
test_trace_redact_direct(void **state)
{
	struct redact	rs;
	const char	*l;

	(void)state;
	memset(&rs, 0, sizeof rs);
	l = "7 LOGIN me secret";
	assert_int_equal(trace_redact(&rs, TRACE_OUT, l, strlen(l), false,
	    false), strlen("7 LOGIN "));
	assert_false(rs.in_login);
	l = "8 LOGIN";			/* nothing to hide */
	assert_int_equal(trace_redact(&rs, TRACE_OUT, l, strlen(l), false,
	    false), strlen(l));
	l = "9 LOGIN {2}";
	assert_int_equal(trace_redact(&rs, TRACE_OUT, l, strlen(l), false,
	    true), strlen("9 LOGIN "));
	assert_true(rs.in_login);
	assert_true(trace_redact_literal(&rs, TRACE_OUT));
	assert_false(trace_redact_literal(&rs, TRACE_IN));
	l = " {6}";
	assert_int_equal(trace_redact(&rs, TRACE_OUT, l, strlen(l), true,
	    true), 0);
	assert_int_equal(trace_redact(&rs, TRACE_OUT, "", 0, true, false), 0);
	assert_false(rs.in_login);
	l = "10 NOOP";
	assert_int_equal(trace_redact(&rs, TRACE_OUT, l, strlen(l), false,
	    false), strlen(l));
	l = "11 AUTHENTICATE LOGIN";
	assert_int_equal(trace_redact(&rs, TRACE_OUT, l, strlen(l), false,
	    false), strlen(l));
	assert_string_equal(rs.auth_tag, "11");
	l = "dXNlcg==";
	assert_int_equal(trace_redact(&rs, TRACE_OUT, l, strlen(l), false,
	    false), 0);
	l = "11 OK";
	assert_int_equal(trace_redact(&rs, TRACE_IN, l, strlen(l), false,
	    false), strlen(l));
	assert_string_equal(rs.auth_tag, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_table),
		cmocka_unit_test(test_trace_long_line),
		cmocka_unit_test(test_trace_redact_direct),
	};

	return cmocka_run_group_tests_name("wire_trace", tests, NULL, NULL);
}
