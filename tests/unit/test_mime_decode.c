/*
 * Unit tests: transfer decoding (src/mail/decode.c) through
 * mail_decode_body(): base64, quoted-printable, uuencode and the raw
 * encodings, on good and broken input, and its bounds.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quire/mail.h"
#include "unit.h"

/* Input (in_len bytes, or strlen), the bytes out, whether it was clean. */
static const struct {
	enum mail_encoding	 enc;
	const char		*in;
	const char		*want;
	size_t			 want_len;	/* 0: strlen */
	int			 ret;
} cases[] = {
	{ MAIL_ENC_BASE64, "", "", 0, 0 },
	{ MAIL_ENC_BASE64, "SGVsbG8=", "Hello", 0, 0 },
	{ MAIL_ENC_BASE64, "SGVsbG8", "Hello", 0, 0 },
	{ MAIL_ENC_BASE64, "SGVsbA==", "Hell", 0, 0 },
	{ MAIL_ENC_BASE64, "SGVs\r\nbG8g\n d29y\tbGQ=\r\n", "Hello world",
	  0, 0 },
	{ MAIL_ENC_BASE64, "AP8A", "\0\xff\0", 3, 0 },
	/* Junk is skipped and said; a lone sextet is cut; padding stops. */
	{ MAIL_ENC_BASE64, "SG!V*sbG8=", "Hello", 0, -1 },
	{ MAIL_ENC_BASE64, "SGVsbG8gS", "Hello ", 0, -1 },
	{ MAIL_ENC_BASE64, "SGk=SGk=", "Hi", 0, 0 },
	{ MAIL_ENC_BASE64, "=SGk=", "", 0, 0 },
	{ MAIL_ENC_BASE64, "\xff\xfe\x80", "", 0, -1 },

	{ MAIL_ENC_QP, "", "", 0, 0 },
	{ MAIL_ENC_QP, "plain", "plain", 0, 0 },
	{ MAIL_ENC_QP, "a=3Db=3db", "a=b=b", 0, 0 },
	{ MAIL_ENC_QP, "caf=C3=A9", "caf\xc3\xa9", 0, 0 },
	{ MAIL_ENC_QP, "soft=\r\nbreak", "softbreak", 0, 0 },
	{ MAIL_ENC_QP, "soft=\nbreak", "softbreak", 0, 0 },
	{ MAIL_ENC_QP, "soft= \t\r\nbreak", "softbreak", 0, 0 },
	{ MAIL_ENC_QP, "end=", "end", 0, 0 },
	{ MAIL_ENC_QP, "trail   \r\nx \t\ny  ", "trail\r\nx\ny", 0, 0 },
	{ MAIL_ENC_QP, "in  side", "in  side", 0, 0 },
	{ MAIL_ENC_QP, "=00", "\0", 1, 0 },
	/* Bad escapes are kept as written. */
	{ MAIL_ENC_QP, "a=ZZb", "a=ZZb", 0, -1 },
	{ MAIL_ENC_QP, "a=4", "a=4", 0, -1 },
	{ MAIL_ENC_QP, "=4x=", "=4x", 0, -1 },
	{ MAIL_ENC_QP, "= x", "= x", 0, -1 },

	{ MAIL_ENC_UUENCODE, "begin 644 a.txt\n&:&5L;&\\*\n`\nend\n",
	  "hello\n", 0, 0 },
	{ MAIL_ENC_UUENCODE, "junk first\nbegin 600 b\r\n#86)C\r\nend\r\n",
	  "abc", 0, 0 },
	/* The length byte claims more than the line holds. */
	{ MAIL_ENC_UUENCODE, "begin 644 c\nM86)C\nend\n", "abc", 0, -1 },
	{ MAIL_ENC_UUENCODE, "begin 644 c\n_\nend\n", "", 0, -1 },
	/* No end line; a line that is not uuencode stops it. */
	{ MAIL_ENC_UUENCODE, "begin 644 d\n#86)C\n", "abc", 0, -1 },
	{ MAIL_ENC_UUENCODE, "begin 644 d\n#86)C\nnot uu\n#86)C\nend\n",
	  "abc", 0, -1 },
	/* Without a begin line, the lines are decoded from the start. */
	{ MAIL_ENC_UUENCODE, "#86)C\nend\n", "abc", 0, 0 },

	{ MAIL_ENC_7BIT, "as =3D is", "as =3D is", 0, 0 },
	{ MAIL_ENC_8BIT, "\xe9t\xe9", "\xe9t\xe9", 0, 0 },
	{ MAIL_ENC_BINARY, "a\0b", "a", 0, 0 },
	{ MAIL_ENC_UNKNOWN, "x-gzip64 data", "x-gzip64 data", 0, 0 },
};

static void
test_table(void **state)
{
	struct buf	 out = BUF_INIT;
	size_t		 i, want_len;
	int		 ret;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		buf_reset(&out);
		ret = mail_decode_body(cases[i].enc, cases[i].in,
		    strlen(cases[i].in), &out);
		want_len = cases[i].want_len != 0 ? cases[i].want_len :
		    strlen(cases[i].want);
		if (out.len != want_len ||
		    memcmp(out.data, cases[i].want, want_len) != 0 ||
		    ret != cases[i].ret)
			print_error("case %zu: \"%s\" gave %d \"%s\"\n", i,
			    cases[i].in, ret, out.data);
		assert_int_equal(out.len, want_len);
		assert_memory_equal(out.data, cases[i].want, want_len);
		assert_int_equal(ret, cases[i].ret);
		assert_int_equal(out.data[out.len], '\0');
	}
	buf_free(&out);
}

/* Output never exceeds the input, whatever the bytes: a cheap property
 * over pseudo-random input. */
static void
test_bounded(void **state)
{
	static const enum mail_encoding encs[] = { MAIL_ENC_BASE64,
	    MAIL_ENC_QP, MAIL_ENC_UUENCODE };
	static const char	 alphabet[] = "=AZaz09+/\r\n \t!M`_#begin 644 x"
				    "\nend\n\xff";
	struct buf		 out = BUF_INIT;
	char			 in[512];
	unsigned		 seed = 1;
	size_t			 i, k, e, n;

	(void)state;
	for (i = 0; i < 3000; i++) {
		n = (seed = seed * 1103515245 + 12345) % sizeof in;
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			in[k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		for (e = 0; e < nitems(encs); e++) {
			buf_reset(&out);
			mail_decode_body(encs[e], in, n, &out);
			assert_true(out.len <= n);
		}
	}
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests_name("mime_decode", tests, NULL, NULL);
}
