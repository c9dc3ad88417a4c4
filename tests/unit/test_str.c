/* Unit tests: string helpers (src/util/str.c). */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "quire/util.h"
#include "unit.h"

static void
test_str_prefix_suffix(void **state)
{
	static const struct {
		const char	*s, *x;
		bool		 prefix, suffix;
	} t[] = {
		{ "imaps://host", "imaps://", true, false },
		{ "imaps://host", "host", false, true },
		{ "abc", "", true, true },
		{ "", "", true, true },
		{ "", "a", false, false },
		{ "ab", "abc", false, false },
		{ "abc", "abc", true, true },
		{ "Abc", "abc", false, false },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		assert_int_equal(str_has_prefix(t[i].s, t[i].x), t[i].prefix);
		assert_int_equal(str_has_suffix(t[i].s, t[i].x), t[i].suffix);
	}
}

static void
test_str_eq_nocase(void **state)
{
	static const struct {
		const char	*a, *b;
		bool		 eq;
	} t[] = {
		{ "INBOX", "inbox", true },
		{ "InBoX", "iNbOx", true },
		{ "inbox", "inbox2", false },
		{ "inbox2", "inbox", false },
		{ "", "", true },
		{ "[", "{", false },		/* 0x5b vs 0x7b: not letters */
		{ "\xc3\x89", "\xc3\xa9", false },	/* ASCII only */
		{ "i", "I", true },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(t); i++)
		assert_int_equal(str_eq_nocase(t[i].a, t[i].b), t[i].eq);
}

static void
test_str_trim(void **state)
{
	static const struct {
		const char	*in, *out;
	} t[] = {
		{ "  a b  ", "a b" },
		{ "\t\r\n x\f\v", "x" },
		{ "", "" },
		{ "   ", "" },
		{ "abc", "abc" },
		{ "\xc2\xa0x", "\xc2\xa0x" },	/* NBSP is not ASCII space */
	};
	char	*s, *r;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		s = xstrdup(t[i].in);
		r = str_trim(s);
		assert_ptr_equal(r, s);
		assert_string_equal(r, t[i].out);
		free(s);
	}
}

static void
test_str_has_crlfnul(void **state)
{
	(void)state;
	assert_false(str_has_crlfnul("INBOX", 5));
	assert_true(str_has_crlfnul("a\rb", 3));
	assert_true(str_has_crlfnul("a\nb", 3));
	assert_true(str_has_crlfnul("a\0b", 3));
	assert_false(str_has_crlfnul("a\0b", 1));	/* only n bytes */
	assert_false(str_has_crlfnul("", 0));
	assert_false(str_has_crlfnul("tab\there", 8));
}

static void
test_str_to_long(void **state)
{
	static const struct {
		const char	*s;
		long		 min, max;
		bool		 ok;
		long		 v;
	} t[] = {
		{ "0", 0, 10, true, 0 },
		{ "10", 0, 10, true, 10 },
		{ "11", 0, 10, false, 0 },
		{ "-1", 0, 10, false, 0 },
		{ "-1", -5, 10, true, -1 },
		{ "-6", -5, 10, false, 0 },
		{ "", 0, 10, false, 0 },
		{ "-", -5, 10, false, 0 },
		{ "+1", 0, 10, false, 0 },
		{ " 1", 0, 10, false, 0 },
		{ "1 ", 0, 10, false, 0 },
		{ "1x", 0, 10, false, 0 },
		{ "0x1", 0, 10, false, 0 },
		{ "007", 0, 10, true, 7 },
		{ "9223372036854775807", 0, LONG_MAX, true, LONG_MAX },
		{ "9223372036854775808", 0, LONG_MAX, false, 0 },
		{ "-9223372036854775808", LONG_MIN, 0, true, LONG_MIN },
		{ "-9223372036854775809", LONG_MIN, 0, false, 0 },
		{ "99999999999999999999999", 0, LONG_MAX, false, 0 },
	};
	size_t	 i;
	long	 v;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		v = 12345;
		assert_int_equal(str_to_long(t[i].s, t[i].min, t[i].max, &v),
		    t[i].ok);
		if (t[i].ok)
			assert_int_equal(v, t[i].v);
		else
			assert_int_equal(v, 12345);	/* untouched */
	}
}

static void
test_str_next_word(void **state)
{
	char	 line[] = "  bind  index\tq   quit  ";
	char	 blank[] = " \t ", one[] = "alone";
	char	*rest = line, *w;

	(void)state;
	w = str_next_word(&rest);
	assert_string_equal(w, "bind");
	assert_string_equal(rest, "index\tq   quit  ");
	assert_string_equal(str_next_word(&rest), "index");
	assert_string_equal(str_next_word(&rest), "q");
	assert_string_equal(str_next_word(&rest), "quit");
	assert_string_equal(rest, "");
	assert_null(str_next_word(&rest));
	assert_null(str_next_word(&rest));
	rest = blank;
	assert_null(str_next_word(&rest));
	rest = one;
	assert_string_equal(str_next_word(&rest), "alone");
	assert_string_equal(rest, "");
	assert_null(str_next_word(&rest));
}

static void
test_str_distance(void **state)
{
	static const struct {
		const char	*a, *b;
		size_t		 d;
	} t[] = {
		{ "", "", 0 },
		{ "abc", "", 3 },
		{ "", "abc", 3 },
		{ "sort", "sort", 0 },
		{ "sort", "srot", 2 },
		{ "kitten", "sitting", 3 },
		{ "flaw", "lawn", 2 },
		{ "pager_stop", "pager_top", 1 },
		{ "color", "colour", 1 },
		{ "index_format", "inbox_format", 2 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		assert_int_equal(str_distance(t[i].a, t[i].b), t[i].d);
		assert_int_equal(str_distance(t[i].b, t[i].a), t[i].d);
	}
}

static void
test_digit_values(void **state)
{
	const char	*b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789+";
	int		 i;

	(void)state;
	for (i = 0; i < 16; i++)
		assert_int_equal(str_hexval("0123456789abcdef"[i]), i);
	assert_int_equal(str_hexval('F'), 15);
	assert_int_equal(str_hexval('g'), -1);
	assert_int_equal(str_hexval(-61), -1);
	for (i = 0; i < 63; i++) {
		assert_int_equal(str_b64val(b64[i], '/'), i);
		assert_int_equal(str_b64val(b64[i], ','), i);
	}
	assert_int_equal(str_b64val('/', '/'), 63);
	assert_int_equal(str_b64val(',', ','), 63);
	assert_int_equal(str_b64val('/', ','), -1);
	assert_int_equal(str_b64val(',', '/'), -1);
	assert_int_equal(str_b64val('=', '/'), -1);
	assert_int_equal(str_b64val(-61, '/'), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str_prefix_suffix),
		cmocka_unit_test(test_str_eq_nocase),
		cmocka_unit_test(test_str_trim),
		cmocka_unit_test(test_str_has_crlfnul),
		cmocka_unit_test(test_str_to_long),
		cmocka_unit_test(test_str_next_word),
		cmocka_unit_test(test_str_distance),
		cmocka_unit_test(test_digit_values),
	};

	return cmocka_run_group_tests_name("str", tests, NULL, NULL);
}
