/* Unit tests: header decoding (src/mail/rfc2047.c, src/mail/charset.c). */
#include "config.h"

#include <string.h>

#include "quire/mail.h"
#include "unit.h"

#define FFFD "\xef\xbf\xbd"

/* in (in_len bytes, or strlen when 0), the fallback charset, the output. */
static const struct {
	const char	*in;
	size_t		 in_len;
	const char	*fallback;
	const char	*want;
} cases[] = {
	/* Plain text. */
	{ "", 0, NULL, "" },
	{ "Hello world", 0, NULL, "Hello world" },
	{ "a = b? c?= =? d", 0, NULL, "a = b? c?= =? d" },

	/* Q and B in the charsets mail comes in. */
	{ "=?utf-8?Q?Gr=C3=BC=C3=9Fe?=", 0, NULL, "Gr\xc3\xbc\xc3\x9f" "e" },
	{ "=?UTF-8?B?R3LDvMOfZSDwn5iA?=", 0, NULL,
	  "Gr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x98\x80" },
	{ "=?utf-8?q?=e2=82=ac?=", 0, NULL, "\xe2\x82\xac" },
	{ "=?utf-8?b?SGVsbG8=?=", 0, NULL, "Hello" },
	{ "=?iso-8859-1?q?caf=E9?=", 0, NULL, "caf\xc3\xa9" },
	{ "=?ISO-8859-1?B?Y2Fm6Q==?=", 0, NULL, "caf\xc3\xa9" },
	/* ISO-8859-1 is read as Windows-1252, as mail clients do. */
	{ "=?ISO-8859-1?Q?=80?=", 0, NULL, "\xe2\x82\xac" },
	{ "=?windows-1252?Q?=80_5?=", 0, NULL, "\xe2\x82\xac 5" },
	{ "=?Windows-1252?B?gCA1?=", 0, NULL, "\xe2\x82\xac 5" },
	{ "=?windows-1252?Q?a=81b?=", 0, NULL, "a" FFFD "b" },
	{ "=?koi8-r?B?8NLJ18XU?=", 0, NULL,
	  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
	{ "=?KOI8-R?Q?=F0=D2=C9=D7=C5=D4?=", 0, NULL,
	  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
	{ "=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=", 0, NULL,
	  "\xe3\x81\x93\xe3\x82\x93\xe3\x81\xab\xe3\x81\xa1\xe3\x81\xaf" },
	{ "=?shift_jis?B?k/qWe4zq?=", 0, NULL,
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "=?Shift_JIS?Q?=93=FA=96=7B=8C=EA?=", 0, NULL,
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	/* A byte the charset does not have: U+FFFD, and the rest goes on. */
	{ "=?shift_jis?Q?=93=FA=FF=8C=EA?=", 0, NULL,
	  "\xe6\x97\xa5" FFFD "\xe8\xaa\x9e" },
	{ "=?iso-2022-jp?Q?=1B$B$3$?=", 0, NULL, "\xe3\x81\x93" FFFD },

	/* White space between words goes; elsewhere it stays. */
	{ "=?utf-8?Q?a?= =?utf-8?Q?b?=", 0, NULL, "ab" },
	{ "=?utf-8?Q?a?=\r\n =?utf-8?Q?b?=", 0, NULL, "ab" },
	{ "=?utf-8?Q?a?=\t=?iso-8859-1?Q?=E9?=", 0, NULL, "a\xc3\xa9" },
	{ "=?utf-8?Q?a?==?utf-8?Q?b?=", 0, NULL, "ab" },
	{ "=?utf-8?Q?a?= b", 0, NULL, "a b" },
	{ "a =?utf-8?Q?b?=", 0, NULL, "a b" },
	{ "a  =?utf-8?Q?b?=  c", 0, NULL, "a  b  c" },
	{ "=?utf-8?Q?a?= x =?utf-8?Q?b?=", 0, NULL, "a x b" },
	{ "Re: =?utf-8?Q?caf=C3=A9?= au lait", 0, NULL,
	  "Re: caf\xc3\xa9 au lait" },
	{ "foo=?utf-8?Q?bar?=", 0, NULL, "foobar" },
	{ "=?koi8-r?B?8NLJ18XU?==?utf-8?Q?!?=", 0, NULL,
	  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82!" },

	/* A character split across two words. */
	{ "=?utf-8?B?8J8=?= =?utf-8?B?mIA=?=", 0, NULL, "\xf0\x9f\x98\x80" },
	{ "=?utf-8?Q?=C3?= =?utf-8?Q?=A9?=", 0, NULL, "\xc3\xa9" },
	{ "=?UTF-8?Q?=C3?=\r\n =?utf-8?Q?=A9?=", 0, NULL, "\xc3\xa9" },
	{ "=?shift_jis?Q?=93?= =?shift_jis?Q?=FA?=", 0, NULL, "\xe6\x97\xa5" },
	/* ...but not across charsets. */
	{ "=?utf-8?Q?=C3?= =?iso-8859-1?Q?=A9?=", 0, NULL,
	  FFFD "\xc2\xa9" },

	/* Q details. */
	{ "=?utf-8?Q?a_b_c?=", 0, NULL, "a b c" },
	{ "=?utf-8?Q?=5F?=", 0, NULL, "_" },
	{ "=?utf-8?Q?\?=", 0, NULL, "" },

	/* An RFC 2231 language is ignored. */
	{ "=?US-ASCII*EN?Q?Keith_Moore?=", 0, NULL, "Keith Moore" },
	{ "=?utf-8*de?Q?=C3=BC?=", 0, NULL, "\xc3\xbc" },

	/* Unknown charsets: UTF-8 if valid, else U+FFFD per bad byte. */
	{ "=?x-unknown?Q?caf=C3=A9?=", 0, NULL, "caf\xc3\xa9" },
	{ "=?x-unknown?Q?caf=E9!?=", 0, NULL, "caf" FFFD "!" },
	{ "=?UTF-8%?Q?=FF?=", 0, NULL, FFFD },

	/* Controls stay, for safe_text(); NUL becomes U+FFFD. */
	{ "=?utf-8?Q?a=0D=0Ab?=", 0, NULL, "a\r\nb" },
	{ "=?utf-8?Q?a=1B[2Jb?=", 0, NULL, "a\x1b[2Jb" },
	{ "=?utf-8?Q?a=00b?=", 0, NULL, "a" FFFD "b" },
	{ "=?utf-8?B?YQBi?=", 0, NULL, "a" FFFD "b" },
	{ "=?iso-8859-1?Q?a=00b?=", 0, NULL, "a" FFFD "b" },
	{ "a\0b", 3, NULL, "a" FFFD "b" },
	{ "a\r\n b\x1b", 0, NULL, "a\r\n b\x1b" },

	/* Invalid UTF-8 in a UTF-8 word. */
	{ "=?utf-8?Q?=C0=AF?=", 0, NULL, FFFD FFFD },
	{ "=?utf-8?Q?=ED=A0=80?=", 0, NULL, FFFD FFFD FFFD },
	{ "=?utf-8?Q?=F4=90=80=80?=", 0, NULL, FFFD FFFD FFFD FFFD },
	{ "=?utf-8?Q?=FF_ok?=", 0, NULL, FFFD " ok" },
	{ "=?utf-8?Q?=E2=82?=", 0, NULL, FFFD FFFD },

	/* Raw 8-bit text. */
	{ "Caf\xe9 \x80", 0, "windows-1252", "Caf\xc3\xa9 \xe2\x82\xac" },
	{ "Caf\xe9", 0, "iso-8859-1", "Caf\xc3\xa9" },
	{ "\xf0\xd2\xc9\xd7\xc5\xd4", 0, "koi8-r",
	  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
	{ "Caf\xc3\xa9 \xe2\x82\xac", 0, "windows-1252",
	  "Caf\xc3\xa9 \xe2\x82\xac" },
	{ "Caf\xe9", 0, NULL, "Caf" FFFD },
	{ "Caf\xe9", 0, "x-nonsense", "Caf" FFFD },
	{ "a\x81" "b", 0, "windows-1252", "a" FFFD "b" },
	{ "Caf\xe9 =?utf-8?Q?=C3=A9?= \xe9", 0, "iso-8859-1",
	  "Caf\xc3\xa9 \xc3\xa9 \xc3\xa9" },

	/* Not words: kept as they were, and the rest decoded. */
	{ "=?utf-8?B?@@@@?=", 0, NULL, "=?utf-8?B?@@@@?=" },
	{ "x =?utf-8?B?@@@@?= =?utf-8?Q?y?=", 0, NULL,
	  "x =?utf-8?B?@@@@?= y" },
	{ "=?utf-8?B?a_b?=", 0, NULL, "=?utf-8?B?a_b?=" },
	{ "=?utf-8?B?SGVsb?=", 0, NULL, "=?utf-8?B?SGVsb?=" },
	{ "=?utf-8?B?SG==VsbG8?=", 0, NULL, "=?utf-8?B?SG==VsbG8?=" },
	{ "=?utf-8?B?SGVsbG8===?=", 0, NULL, "=?utf-8?B?SGVsbG8===?=" },
	{ "=?utf-8?B?SGVsbG8?=", 0, NULL, "Hello" },
	{ "=?utf-8?X?abc?=", 0, NULL, "=?utf-8?X?abc?=" },
	{ "=?utf-8?QQ?abc?=", 0, NULL, "=?utf-8?QQ?abc?=" },
	{ "=?utf-8?Q?unterminated", 0, NULL, "=?utf-8?Q?unterminated" },
	{ "=?utf-8?Q?unterminated?", 0, NULL, "=?utf-8?Q?unterminated?" },
	{ "=??Q?x?=", 0, NULL, "=??Q?x?=" },
	{ "=?*en?Q?x?=", 0, NULL, "=?*en?Q?x?=" },
	{ "=?utf-8?Q?a b?=", 0, NULL, "=?utf-8?Q?a b?=" },
	{ "=?utf-8?Q?a=4?=", 0, NULL, "=?utf-8?Q?a=4?=" },
	{ "=?utf-8?Q?a=G0?=", 0, NULL, "=?utf-8?Q?a=G0?=" },
	{ "=?../../etc/x?Q?x?=", 0, NULL, "=?../../etc/x?Q?x?=" },
	{ "=?utf-8//IGNORE?Q?x?=", 0, NULL, "=?utf-8//IGNORE?Q?x?=" },
	{ "=?utf-8?Q?a?= =?utf-8?X?b?= c", 0, NULL,
	  "a =?utf-8?X?b?= c" },
	{ "=?=?utf-8?Q?a?=", 0, NULL, "=?a" },
};

static void
test_decode_table(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, n;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		buf_reset(&b);
		n = cases[i].in_len != 0 ? cases[i].in_len :
		    strlen(cases[i].in);
		mail_decode_header(cases[i].in, n, cases[i].fallback, &b);
		if (b.len != strlen(cases[i].want) ||
		    memcmp(b.data, cases[i].want, b.len) != 0)
			fail_msg("case %zu: \"%s\" gave \"%s\", want \"%s\"",
			    i, cases[i].in, buf_str(&b), cases[i].want);
	}
	buf_free(&b);
}

static void
test_decode_appends(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	buf_addstr(&b, "Subject: ");
	mail_decode_header("=?utf-8?Q?hi?=", 14, NULL, &b);
	assert_string_equal(buf_str(&b), "Subject: hi");
	buf_free(&b);
}

/* Check the cap on a header of n bytes made of unit repeated. */
static void
test_check_cap(const char *unit, const char *first)
{
	struct buf	 in = BUF_INIT, b = BUF_INIT;

	while (in.len < 1024 * 1024)
		buf_addstr(&in, unit);
	buf_addstr(&b, "> ");
	mail_decode_header(in.data, in.len, NULL, &b);
	assert_true(b.len - 2 <= MAIL_HEADER_MAX);
	assert_true(b.len - 2 > MAIL_HEADER_MAX - 8);
	assert_memory_equal(b.data, "> ", 2);
	assert_memory_equal(b.data + 2, first, strlen(first));
	assert_memory_equal(b.data + b.len - 3, "\xe2\x80\xa6", 3);
	assert_true(utf8_valid(b.data, b.len));
	buf_free(&in);
	buf_free(&b);
}

static void
test_decode_cap(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	test_check_cap("a", "aaaa");
	test_check_cap("\xe6\x97\xa5", "\xe6\x97\xa5\xe6\x97\xa5");
	test_check_cap("=?utf-8?Q?=E6=97=A5?= ", "\xe6\x97\xa5\xe6\x97\xa5");
	test_check_cap("=?utf-8?Q?=E6=97=A5?= x ", "\xe6\x97\xa5 x \xe6");
	test_check_cap("\xe9", FFFD FFFD);

	/* Just under the cap: untouched. */
	while (b.len < MAIL_HEADER_MAX)
		buf_addch(&b, 'b');
	{
		struct buf	 out = BUF_INIT;

		mail_decode_header(b.data, b.len, NULL, &out);
		assert_int_equal(out.len, MAIL_HEADER_MAX);
		assert_memory_equal(out.data, b.data, b.len);
		buf_free(&out);
	}
	buf_free(&b);
}

/* A fixed generator, so a failure can be replayed anywhere. */
static uint32_t
test_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Random headers, from pieces of encoded words and random bytes. */
static void
test_random_gives_utf8(void **state)
{
	static const char	*pieces[] = {
		"=?", "?=", "?", "=", "utf-8", "UTF-8", "iso-2022-jp",
		"shift_jis", "koi8-r", "x-bogus", "?Q?", "?B?", "?q?", "?b?",
		"=C3", "=A9", "=1B", "=00", "=FF", "_", " ", "\r\n ", "\t",
		"8J8=", "mIA=", "GyRC", "JDMk", "AAAA", "////", "*en",
	};
	static const char	*fallbacks[] = {
		NULL, "windows-1252", "iso-8859-1", "utf-8", "shift_jis",
		"iso-2022-jp", "x-bogus",
	};
	struct buf		 in = BUF_INIT, out = BUF_INIT;
	uint32_t		 x = 2047;
	size_t			 i, j, len;
	const char		*p;

	(void)state;
	for (i = 0; i < 20000; i++) {
		buf_reset(&in);
		buf_reset(&out);
		len = test_rand(&x) % 24;
		for (j = 0; j < len; j++) {
			if (test_rand(&x) % 3 == 0)
				buf_addch(&in, (char)test_rand(&x));
			else {
				p = pieces[test_rand(&x) % nitems(pieces)];
				buf_addstr(&in, p);
			}
		}
		mail_decode_header(in.data == NULL ? "" : in.data, in.len,
		    fallbacks[test_rand(&x) % nitems(fallbacks)], &out);
		if (!utf8_valid(out.data, out.len) ||
		    memchr(out.data, '\0', out.len) != NULL)
			fail_msg("case %zu: output is not clean UTF-8", i);
	}
	buf_free(&in);
	buf_free(&out);
}

/* Inputs that would take quadratic time in a naive scanner finish. */
static void
test_decode_linear(void **state)
{
	static const char	*units[] = {
		"=?", "=?a", "=?utf-8?Q?", "=?utf-8?Q?a", "=?utf-8?Q?a?",
		"=?utf-8?Q?a?==", "=?utf-8?B?@?=",
	};
	struct buf		 in = BUF_INIT, out = BUF_INIT;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(units); i++) {
		buf_reset(&in);
		buf_reset(&out);
		while (in.len < 512 * 1024)
			buf_addstr(&in, units[i]);
		mail_decode_header(in.data, in.len, NULL, &out);
		assert_true(out.len <= MAIL_HEADER_MAX);
		assert_true(utf8_valid(out.data, out.len));
	}
	buf_free(&in);
	buf_free(&out);
}

static void
test_charset_to_utf8(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	assert_int_equal(charset_to_utf8("koi8-r", "\xf0", 1, &b), 0);
	assert_string_equal(buf_str(&b), "\xd0\x9f");
	buf_reset(&b);
	assert_int_equal(charset_to_utf8("x-bogus", "\xf0", 1, &b), -1);
	assert_string_equal(buf_str(&b), FFFD);
	buf_reset(&b);
	assert_int_equal(charset_to_utf8(NULL, "ok", 2, &b), -1);
	assert_string_equal(buf_str(&b), "ok");
	buf_reset(&b);
	assert_int_equal(charset_to_utf8("UTF-16BE", "\xd8\x3d\xde\x00",
	    4, &b), 0);
	assert_string_equal(buf_str(&b), "\xf0\x9f\x98\x80");
	buf_reset(&b);
	assert_int_equal(charset_to_utf8("UTF-16BE", "\xd8\x3d\x00\x61",
	    4, &b), 0);
	assert_true(utf8_valid(b.data, b.len));
	assert_non_null(strstr(buf_str(&b), FFFD));
	buf_reset(&b);
	/* A multi-byte character cut short at the end. */
	assert_int_equal(charset_to_utf8("shift_jis", "a\x93", 2, &b), 0);
	assert_string_equal(buf_str(&b), "a" FFFD);
	buf_reset(&b);
	charset_add_utf8("a\0\xc3\xa9\xc3", 5, &b);
	assert_int_equal(b.len, 1 + 3 + 2 + 3);
	assert_memory_equal(b.data, "a" FFFD "\xc3\xa9" FFFD, b.len);
	buf_free(&b);
	/* Nothing to add still leaves a string. */
	charset_to_utf8("koi8-r", "", 0, &b);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(b.data[0], '\0');
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_decode_appends),
		cmocka_unit_test(test_decode_cap),
		cmocka_unit_test(test_random_gives_utf8),
		cmocka_unit_test(test_decode_linear),
		cmocka_unit_test(test_charset_to_utf8),
	};

	return cmocka_run_group_tests_name("rfc2047", tests, NULL, NULL);
}
