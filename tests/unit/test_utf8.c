/* Unit tests: strict UTF-8 decoding and column widths (src/util/utf8.c). */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "quire/util.h"
#include "unit.h"

/* A literal and its length, NUL bytes included. */
#define S(lit)	lit, sizeof(lit) - 1

static void
test_utf8_decode_table(void **state)
{
	static const struct {
		const char	*s;
		size_t		 n;
		uint32_t	 cp;
		size_t		 len;
	} t[] = {
		{ S("A"), 0x41, 1 },
		{ S("\0"), 0, 1 },
		{ S("\x7f"), 0x7f, 1 },
		{ S("\xc2\x80"), 0x80, 2 },
		{ S("\xc2\x9b"), 0x9b, 2 },		/* C1 CSI, valid */
		{ S("\xc3\xa9"), 0xe9, 2 },
		{ S("\xdf\xbf"), 0x7ff, 2 },
		{ S("\xe0\xa0\x80"), 0x800, 3 },
		{ S("\xe2\x82\xac"), 0x20ac, 3 },
		{ S("\xed\x9f\xbf"), 0xd7ff, 3 },
		{ S("\xee\x80\x80"), 0xe000, 3 },
		{ S("\xef\xbf\xbd"), 0xfffd, 3 },
		{ S("\xef\xbf\xbf"), 0xffff, 3 },
		{ S("\xf0\x90\x80\x80"), 0x10000, 4 },
		{ S("\xf0\x9f\x98\x80"), 0x1f600, 4 },
		{ S("\xf4\x8f\xbf\xbf"), 0x10ffff, 4 },
		/* overlong forms */
		{ S("\xc0\xaf"), 0xfffd, 1 },
		{ S("\xc1\xbf"), 0xfffd, 1 },
		{ S("\xc0\x80"), 0xfffd, 1 },
		{ S("\xe0\x80\xaf"), 0xfffd, 1 },
		{ S("\xe0\x9f\xbf"), 0xfffd, 1 },
		{ S("\xf0\x80\x80\xaf"), 0xfffd, 1 },
		{ S("\xf0\x8f\xbf\xbf"), 0xfffd, 1 },
		/* surrogates */
		{ S("\xed\xa0\x80"), 0xfffd, 1 },
		{ S("\xed\xbf\xbf"), 0xfffd, 1 },
		/* past U+10FFFF, and bytes that never lead */
		{ S("\xf4\x90\x80\x80"), 0xfffd, 1 },
		{ S("\xf5\x80\x80\x80"), 0xfffd, 1 },
		{ S("\xf8\x88\x80\x80\x80"), 0xfffd, 1 },
		{ S("\xfe"), 0xfffd, 1 },
		{ S("\xff"), 0xfffd, 1 },
		{ S("\x80"), 0xfffd, 1 },
		{ S("\x9b"), 0xfffd, 1 },
		{ S("\xbf\x80"), 0xfffd, 1 },
		/* truncated, at the end or by a non-continuation byte */
		{ S("\xc3"), 0xfffd, 1 },
		{ S("\xe2\x82"), 0xfffd, 1 },
		{ S("\xf0\x9f\x98"), 0xfffd, 1 },
		{ S("\xe2\x82\x41"), 0xfffd, 1 },
		{ S("\xc3\x41"), 0xfffd, 1 },
		{ S("\xf0\x9f\x98\xc3\xa9"), 0xfffd, 1 },
		{ "\xc3\xa9", 1, 0xfffd, 1 },		/* n cuts it short */
		{ "\xf0\x9f\x98\x80", 3, 0xfffd, 1 },
	};
	uint32_t	 cp;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		cp = 0x12345678;
		assert_int_equal(utf8_decode(t[i].s, t[i].n, &cp), t[i].len);
		assert_int_equal(cp, t[i].cp);
		assert_int_equal(utf8_valid(t[i].s, t[i].n),
		    t[i].cp != 0xfffd || t[i].len == 3);
	}
}

/* Every scalar value survives encode then decode; nothing else encodes. */
static void
test_utf8_encode_roundtrip(void **state)
{
	static const uint32_t bad[] = {
		0xd800, 0xdbff, 0xdc00, 0xdfff, 0x110000, 0x7fffffff, 0xffffffff,
	};
	char		 out[4];
	uint32_t	 cp, back;
	size_t		 len, want, i;

	(void)state;
	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		len = utf8_encode(cp, out);
		assert_int_equal(len, want);
		assert_true(utf8_valid(out, len));
		assert_int_equal(utf8_decode(out, len, &back), len);
		assert_int_equal(back, cp);
	}
	for (i = 0; i < nitems(bad); i++) {
		assert_int_equal(utf8_encode(bad[i], out), 3);
		assert_memory_equal(out, "\xef\xbf\xbd", 3);
	}
}

static void
test_utf8_valid(void **state)
{
	static const struct {
		const char	*s;
		size_t		 n;
		bool		 ok;
	} t[] = {
		{ S(""), true },
		{ S("plain ascii"), true },
		{ S("a\0b"), true },
		{ S("caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80"), true },
		{ S("caf\xc3"), false },
		{ S("\xc0\xaf" "etc"), false },
		{ S("ok\xed\xa0\x80"), false },
		{ S("latin-1 caf\xe9"), false },
		{ S("raw \x9b" "31m"), false },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(t); i++)
		assert_int_equal(utf8_valid(t[i].s, t[i].n), t[i].ok);
}

static void
check_widths(void)
{
	static const struct {
		uint32_t	 cp;
		int		 w;
	} t[] = {
		{ 'A', 1 }, { ' ', 1 }, { '~', 1 },
		{ 0x00, -1 }, { 0x09, -1 }, { 0x1b, -1 }, { 0x1f, -1 },
		{ 0x7f, -1 }, { 0x80, -1 }, { 0x9b, -1 }, { 0x9f, -1 },
		{ 0xa0, 1 }, { 0xe9, 1 }, { 0x2026, 1 }, { 0xfffd, 1 },
		{ 0x0300, 0 }, { 0x0301, 0 }, { 0x20d7, 0 }, { 0x200b, 0 },
		{ 0x4e2d, 2 }, { 0x6587, 2 }, { 0x3042, 2 }, { 0xac00, 2 },
		{ 0xff21, 2 }, { 0x1f600, 2 }, { 0x1f44d, 2 }, { 0x20000, 2 },
	};
	size_t	 i;

	for (i = 0; i < nitems(t); i++) {
		if (utf8_cp_width(t[i].cp) != t[i].w)
			fail_msg("U+%04X: width %d, want %d", (unsigned)t[i].cp,
			    utf8_cp_width(t[i].cp), t[i].w);
	}
}

/* The answer is the same whatever locale the process runs in. */
static void
test_utf8_cp_width_any_locale(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_ALL, "C"));
	check_widths();
	setlocale(LC_ALL, "C.UTF-8");
	check_widths();
	assert_non_null(setlocale(LC_ALL, "C"));
}

static void
test_utf8_width(void **state)
{
	static const struct {
		const char	*s;
		size_t		 n;
		size_t		 w;
	} t[] = {
		{ S(""), 0 },
		{ S("abc"), 3 },
		{ S("\xe4\xb8\xad\xe6\x96\x87"), 4 },		/* 中文 */
		{ S("e\xcc\x81"), 1 },				/* e + acute */
		{ S("\xf0\x9f\x98\x80!"), 3 },
		{ S("a\xffz"), 3 },				/* invalid: 1 */
		{ S("\xe2\x82"), 2 },				/* 2 bad bytes */
		{ S("a\x1b"), 2 },				/* control: 1 */
		{ S("x\xe2\x80\x8by"), 2 },			/* ZWSP: 0 */
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(t); i++)
		assert_int_equal(utf8_width(t[i].s, t[i].n), t[i].w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_decode_table),
		cmocka_unit_test(test_utf8_encode_roundtrip),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_cp_width_any_locale),
		cmocka_unit_test(test_utf8_width),
	};

	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
