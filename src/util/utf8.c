/*
 * UTF-8 decoding and column widths.
 *
 * The decoder is strict (RFC 3629): overlong forms, surrogates and code
 * points past U+10FFFF are errors, because a lenient decoder lets "\xc0\xaf"
 * through as '/' or hides a control inside an overlong form. Every error
 * consumes one byte, so the caller always makes progress and resynchronizes
 * at the next lead byte.
 *
 * Widths must not depend on the locale the user happens to run quire in
 * (under LANG=C, wcwidth() calls every CJK character unprintable and the
 * columns fall apart). So widths are asked of a private C.UTF-8 locale,
 * made once and switched to per call with uselocale(), which only touches
 * the calling thread. If the system has no C.UTF-8, a small built-in table
 * covers combining marks and the wide blocks.
 */
#include "config.h"

#include <locale.h>
#include <pthread.h>
#include <wchar.h>

#include "quire/util.h"

struct utf8_range {
	uint32_t	 lo;
	uint32_t	 hi;
};

static pthread_once_t	 utf8_once = PTHREAD_ONCE_INIT;
static locale_t		 utf8_locale = (locale_t)0;

static int
utf8_is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * Decode one sequence; 0 when it is invalid. The lead byte fixes the length
 * and the allowed range of the second byte (which rules out overlongs,
 * surrogates and values past U+10FFFF); later bytes are plain continuations.
 */
static size_t
utf8_decode_strict(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char	 c = s[0], lo = 0x80, hi = 0xbf;
	size_t		 len, i;
	uint32_t	 v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 1; i < len; i++) {
		if (!utf8_is_cont(s[i]))
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	*cp = v;
	return len;
}

size_t
utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	size_t	 len;

	if (n == 0) {
		*cp = UTF8_REPLACEMENT;
		return 0;
	}
	if ((len = utf8_decode_strict((const unsigned char *)s, n, cp)) == 0) {
		*cp = UTF8_REPLACEMENT;
		return 1;
	}
	return len;
}

size_t
utf8_encode(uint32_t cp, char out[4])
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 i = 0, len;

	while (i < n) {
		if ((len = utf8_decode_strict(p + i, n - i, &cp)) == 0)
			return false;
		i += len;
	}
	return true;
}

static bool
utf8_in(uint32_t cp, const struct utf8_range *r, size_t nr)
{
	size_t	 i;

	for (i = 0; i < nr; i++) {
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	}
	return false;
}

/* The fallback: the common combining and zero-width blocks, and the East
 * Asian wide blocks and emoji. Coarse, but right for most mail. */
static int
utf8_width_builtin(uint32_t cp)
{
	static const struct utf8_range zero[] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
		{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x1ab0, 0x1aff },
		{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x202a, 0x202e },
		{ 0x2060, 0x206f }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
		{ 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff }, { 0xe0000, 0xe01ef },
	};
	static const struct utf8_range wide[] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
		{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
		{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
		{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x3fffd },
	};

	if (utf8_in(cp, zero, nitems(zero)))
		return 0;
	if (utf8_in(cp, wide, nitems(wide)))
		return 2;
	return 1;
}

static void
utf8_locale_init(void)
{
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (utf8_locale == (locale_t)0)
		utf8_locale = newlocale(LC_CTYPE_MASK, "C.utf8", (locale_t)0);
}

int
utf8_cp_width(uint32_t cp)
{
	locale_t	 old;
	int		 w;

	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return -1;
	if (cp < 0x7f)
		return 1;
	pthread_once(&utf8_once, utf8_locale_init);
	if (utf8_locale == (locale_t)0)
		return utf8_width_builtin(cp);
	old = uselocale(utf8_locale);
	w = wcwidth((wchar_t)cp);
	uselocale(old);
	/* Unassigned and other "unprintable" code points still take a cell
	 * on the terminal, which draws them as a box or a question mark. */
	return w < 0 ? 1 : w;
}

size_t
utf8_width(const char *s, size_t n)
{
	size_t		 i = 0, cols = 0;
	uint32_t	 cp;
	int		 w;

	/* Controls count one column, like invalid bytes: utf8_fit() draws
	 * both as U+FFFD. */
	while (i < n) {
		i += utf8_decode(s + i, n - i, &cp);
		w = utf8_cp_width(cp);
		cols += w < 0 ? 1 : (size_t)w;
	}
	return cols;
}
