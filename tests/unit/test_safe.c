/*
 * Unit tests: terminal-safe text and fitting to columns (src/util/safe.c).
 * The tables follow BAD-INPUTS rows 17-22; the property test throws random
 * bytes and code points at safe_text() and checks what reaches the screen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quire/util.h"
#include "unit.h"

/* A literal and its length, NUL bytes included. */
#define S(lit)	lit, sizeof(lit) - 1
#define FFFD	"\xef\xbf\xbd"

struct safe_case {
	const char	*in;
	size_t		 n;
	unsigned	 flags;
	const char	*out;
	size_t		 changed;
};

static const struct safe_case safe_cases[] = {
	/* 17: escape sequences and C1 controls */
	{ S("\x1b]0;pwned\x07"), 0, "^[]0;pwned^G", 2 },
	{ S("\x1b]52;c;ZXZpbA==\x07"), 0, "^[]52;c;ZXZpbA==^G", 2 },
	{ S("\x1b]52;c;ZXZpbA==\x1b\\"), 0, "^[]52;c;ZXZpbA==^[\\", 2 },
	{ S("\x1b[2J\x1b[H"), 0, "^[[2J^[[H", 2 },
	{ S("a\x9b" "31mb"), 0, "a" FFFD "31mb", 1 },
	{ S("a\xc2\x9b" "31mb"), 0, "a<9B>31mb", 1 },
	{ S("\xc2\x80\xc2\x85\xc2\x9f"), 0, "<80><85><9F>", 3 },
	{ S("x\x7f"), 0, "x^?", 1 },
	{ S("\x01\x1f"), 0, "^A^_", 2 },
	/* 18: CR, BS, LF, TAB */
	{ S("a\rb\bc\nd\te"), 0, "a^Mb^Hc d e", 4 },
	{ S("a\rb\bc\nd\te"), SAFE_KEEP_TAB, "a^Mb^Hc d\te", 3 },
	{ S("a\rb\bc\nd\te"), SAFE_KEEP_NL, "a^Mb^Hc\nd e", 3 },
	{ S("a\r\nb"), SAFE_KEEP_TAB | SAFE_KEEP_NL, "a^M\nb", 1 },
	/* 19: bidi, zero-width, BOM, soft hyphen */
	{ S("evil\xe2\x80\xae" "fdp.exe"), 0, "evil<U+202E>fdp.exe", 1 },
	{ S("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"), 0,
	    "<U+202A><U+202B><U+202C><U+202D>", 4 },
	{ S("\xe2\x81\xa6" "x" "\xe2\x81\xa9"), 0, "<U+2066>x<U+2069>", 2 },
	{ S("\xe2\x81\xa7\xe2\x81\xa8"), 0, "<U+2067><U+2068>", 2 },
	{ S("a\xe2\x80\xa8" "b"), 0, "a<U+2028>b", 1 },
	{ S("a\xe2\x80\x8e" "b\xe2\x80\x8f" "c\xd8\x9c" "d"), 0, "abcd", 3 },
	{ S("pay\xe2\x80\x8bpal"), 0, "paypal", 1 },
	{ S("a\xe2\x80\x8c\xe2\x80\x8d" "b"), 0, "ab", 2 },
	{ S("a\xe2\x81\xa0" "b"), 0, "ab", 1 },			/* WJ */
	{ S("\xef\xbb\xbfSubject"), 0, "Subject", 1 },
	{ S("soft\xc2\xadhyphen"), 0, "softhyphen", 1 },
	{ S("a\xe1\xa0\x8e" "b"), 0, "ab", 1 },			/* U+180E */
	{ S("a\xf3\xa0\x81\x81\xf3\xa0\x81\xbf" "b"), 0, "ab", 2 },	/* tags */
	/* 20: NUL */
	{ S("a\0b"), 0, "a" FFFD "b", 1 },
	{ S("\0\0"), SAFE_KEEP_NL, FFFD FFFD, 2 },
	/* 21: invalid UTF-8 */
	{ S("\xc0\xaf"), 0, FFFD FFFD, 2 },
	{ S("\xe0\x80\xaf"), 0, FFFD FFFD FFFD, 3 },
	{ S("\xed\xa0\x80"), 0, FFFD FFFD FFFD, 3 },
	{ S("\xf4\x90\x80\x80"), 0, FFFD FFFD FFFD FFFD, 4 },
	{ S("ab\xe2\x82"), 0, "ab" FFFD FFFD, 2 },
	{ S("\xf0\x9f\x98x"), 0, FFFD FFFD FFFD "x", 3 },
	{ S("\xc3"), 0, FFFD, 1 },
	{ S("\xff\xfe"), 0, FFFD FFFD, 2 },
	/* 22: Latin-1 that was not converted */
	{ S("caf\xe9 cr\xe8me"), 0, "caf" FFFD " cr" FFFD "me", 2 },
	/* kept as they are */
	{ S(""), 0, "", 0 },
	{ S("Hello, world"), 0, "Hello, world", 0 },
	{ S("\xe4\xb8\xad\xe6\x96\x87"), 0, "\xe4\xb8\xad\xe6\x96\x87", 0 },
	{ S("\xf0\x9f\x98\x80\xf0\x9f\x91\x8d"), 0,
	    "\xf0\x9f\x98\x80\xf0\x9f\x91\x8d", 0 },
	{ S("e\xcc\x81t\xc3\xa9"), 0, "e\xcc\x81t\xc3\xa9", 0 },
	{ S(FFFD), 0, FFFD, 0 },
	{ S("\xc2\xa0\xc2\xa9"), 0, "\xc2\xa0\xc2\xa9", 0 },
};

static void
test_safe_text_table(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, changed;

	(void)state;
	for (i = 0; i < nitems(safe_cases); i++) {
		buf_reset(&b);
		buf_addstr(&b, ">");		/* safe_text appends */
		changed = safe_text(&b, safe_cases[i].in, safe_cases[i].n,
		    safe_cases[i].flags);
		if (strcmp(buf_str(&b) + 1, safe_cases[i].out) != 0 ||
		    b.data[0] != '>')
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			    buf_str(&b), safe_cases[i].out);
		assert_int_equal(changed, safe_cases[i].changed);
		assert_int_equal(b.len, 1 + strlen(safe_cases[i].out));
	}
	buf_free(&b);
}

/* Every C0 control but TAB and LF in caret notation; every C1 in hex. */
static void
test_safe_text_all_controls(void **state)
{
	struct buf	 b = BUF_INIT;
	char		 in[4], want[8];
	uint32_t	 c;

	(void)state;
	for (c = 1; c < 0x20; c++) {
		if (c == '\t' || c == '\n')
			continue;
		in[0] = (char)c;
		buf_reset(&b);
		assert_int_equal(safe_text(&b, in, 1, SAFE_KEEP_TAB |
		    SAFE_KEEP_NL), 1);
		snprintf(want, sizeof want, "^%c", (char)(c + 0x40));
		assert_string_equal(buf_str(&b), want);
	}
	for (c = 0x80; c < 0xa0; c++) {
		utf8_encode(c, in);
		buf_reset(&b);
		assert_int_equal(safe_text(&b, in, 2, 0), 1);
		snprintf(want, sizeof want, "<%02X>", (unsigned)c);
		assert_string_equal(buf_str(&b), want);
	}
	buf_free(&b);
}

static void
test_safe_strdup(void **state)
{
	size_t	 changed = 99;
	char	*s;

	(void)state;
	s = safe_strdup(S("a\0b\x1b"), &changed);
	assert_string_equal(s, "a" FFFD "b^[");
	assert_int_equal(changed, 2);
	free(s);
	s = safe_strdup(S("plain"), NULL);
	assert_string_equal(s, "plain");
	free(s);
	s = safe_strdup(S(""), &changed);
	assert_string_equal(s, "");
	assert_int_equal(changed, 0);
	free(s);
}

static void
test_utf8_fit_table(void **state)
{
	static const struct {
		const char	*in;
		size_t		 n, cols;
		bool		 pad;
		const char	*out;
		size_t		 used;
	} t[] = {
		{ S("abc"), 5, true, "abc  ", 5 },
		{ S("abc"), 5, false, "abc", 3 },
		{ S("abc"), 3, true, "abc", 3 },
		{ S("abcd"), 3, true, "ab\xe2\x80\xa6", 3 },
		{ S("abcd"), 3, false, "ab\xe2\x80\xa6", 3 },
		{ S("abcd"), 1, true, "\xe2\x80\xa6", 1 },
		{ S("abcd"), 0, true, "", 0 },
		{ S(""), 3, true, "   ", 3 },
		{ S(""), 0, true, "", 0 },
		/* 中文字: six columns */
		{ S("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97"), 6, true,
		    "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 6 },
		{ S("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97"), 5, true,
		    "\xe4\xb8\xad\xe6\x96\x87\xe2\x80\xa6", 5 },
		{ S("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97"), 4, true,
		    "\xe4\xb8\xad\xe2\x80\xa6 ", 4 },
		{ S("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97"), 4, false,
		    "\xe4\xb8\xad\xe2\x80\xa6", 3 },
		{ S("\xe4\xb8\xad"), 1, true, "\xe2\x80\xa6", 1 },
		{ S("\xe4\xb8\xad"), 2, false, "\xe4\xb8\xad", 2 },
		{ S("a\xe4\xb8\xad"), 2, true, "a\xe2\x80\xa6", 2 },
		{ S("\xf0\x9f\x98\x80\xf0\x9f\x98\x80"), 3, true,
		    "\xf0\x9f\x98\x80\xe2\x80\xa6", 3 },
		/* combining marks stay with their base character */
		{ S("e\xcc\x81tude"), 3, true, "e\xcc\x81t\xe2\x80\xa6", 3 },
		{ S("e\xcc\x81"), 1, true, "e\xcc\x81", 1 },
		{ S("abc\xcc\x81" "d"), 3, true, "ab\xe2\x80\xa6", 3 },
		/* unsafe input still cannot reach the terminal */
		{ S("a\x1b[2J"), 5, true, "a" FFFD "[2J", 5 },
		{ S("a\xff"), 3, true, "a" FFFD " ", 3 },
	};
	struct buf	 b = BUF_INIT;
	size_t		 i, used;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		buf_reset(&b);
		used = utf8_fit(&b, t[i].in, t[i].n, t[i].cols, t[i].pad);
		if (strcmp(buf_str(&b), t[i].out) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			    buf_str(&b), t[i].out);
		assert_int_equal(used, t[i].used);
		assert_int_equal(utf8_width(b.data, b.len), t[i].used);
	}
	buf_free(&b);
}

/* xorshift64: a fixed sequence on every platform, unlike rand(). */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random input: raw bytes, code points from the dangerous ranges, and
 * arbitrary code points, mixed. */
static size_t
random_text(uint64_t *seed, char *out, size_t cap)
{
	static const uint32_t risky[] = {
		0x00, 0x07, 0x08, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0x9b,
		0xad, 0x61c, 0x180e, 0x200b, 0x200d, 0x200e, 0x2028, 0x202e,
		0x2060, 0x2066, 0x2069, 0xfeff, 0xfffd, 0x4e2d, 0x1f600,
		0x0301, 0xe0041,
	};
	size_t	 n = 0, len = rnd(seed) % 48;
	uint64_t r;

	while (n + 4 <= cap && len-- > 0) {
		r = rnd(seed);
		switch (r % 4) {
		case 0:
		case 1:
			out[n++] = (char)(r >> 8);
			break;
		case 2:
			n += utf8_encode(risky[(r >> 8) % nitems(risky)],
			    out + n);
			break;
		default:
			n += utf8_encode((uint32_t)((r >> 8) % 0x110000),
			    out + n);
			break;
		}
	}
	return n;
}

static bool
is_hidden(uint32_t cp)
{
	return cp == 0 || (cp >= 0x80 && cp <= 0x9f) || cp == 0xad ||
	    cp == 0x61c || cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
	    cp == 0xfeff || (cp >= 0xfff0 && cp <= 0xfffb) ||
	    (cp >= 0xe0000 && cp <= 0xe00ff);
}

/* What reaches the screen: valid UTF-8, no control byte but the kept TAB
 * and LF, no C1, bidi or invisible code point. */
static void
check_screen_safe(const struct buf *b, unsigned flags)
{
	const unsigned char	*p = (const unsigned char *)buf_str(b);
	uint32_t		 cp;
	size_t			 i, len;

	assert_true(utf8_valid(buf_str(b), b->len));
	for (i = 0; i < b->len; i++) {
		if (p[i] == '\t' && (flags & SAFE_KEEP_TAB))
			continue;
		if (p[i] == '\n' && (flags & SAFE_KEEP_NL))
			continue;
		assert_true(p[i] >= 0x20 && p[i] != 0x7f);
	}
	for (i = 0; i < b->len; i += len) {
		len = utf8_decode(b->data + i, b->len - i, &cp);
		if (is_hidden(cp))
			fail_msg("U+%04X reached the screen", (unsigned)cp);
	}
}

static void
test_safe_text_random(void **state)
{
	static const unsigned flagset[] = {
		0, SAFE_KEEP_TAB, SAFE_KEEP_NL, SAFE_KEEP_TAB | SAFE_KEEP_NL,
	};
	struct buf	 out = BUF_INIT, again = BUF_INIT, fit = BUF_INIT;
	uint64_t	 seed = 0x9e3779b97f4a7c15ULL;
	char		 in[256];
	size_t		 i, n, changed, cols, used;
	unsigned	 flags;

	(void)state;
	for (i = 0; i < 5000; i++) {
		n = random_text(&seed, in, sizeof in);
		flags = flagset[i % nitems(flagset)];
		buf_reset(&out);
		changed = safe_text(&out, in, n, flags);
		check_screen_safe(&out, flags);
		if (changed == 0)
			assert_true(out.len == n && memcmp(out.data, in, n) == 0);
		/* Safe text is a fixed point. */
		buf_reset(&again);
		assert_int_equal(safe_text(&again, out.data, out.len, flags), 0);
		assert_int_equal(again.len, out.len);
		assert_memory_equal(again.data, out.data, out.len);
		/* Fitting it never exceeds, and with pad fills, the columns. */
		if (flags != 0)
			continue;
		cols = rnd(&seed) % 40;
		buf_reset(&fit);
		used = utf8_fit(&fit, out.data, out.len, cols, i % 8 == 0);
		assert_true(used <= cols);
		if (i % 8 == 0)
			assert_int_equal(used, cols);
		assert_int_equal(utf8_width(fit.data, fit.len), used);
		check_screen_safe(&fit, 0);
	}
	buf_free(&out);
	buf_free(&again);
	buf_free(&fit);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_text_table),
		cmocka_unit_test(test_safe_text_all_controls),
		cmocka_unit_test(test_safe_strdup),
		cmocka_unit_test(test_utf8_fit_table),
		cmocka_unit_test(test_safe_text_random),
	};

	return cmocka_run_group_tests_name("safe", tests, NULL, NULL);
}
