/*
 * Small string helpers. They look at bytes, never at the process locale:
 * isspace() and tolower() answer differently under a Turkish or a Latin-1
 * locale, and config keys, IMAP atoms and numbers are plain ASCII.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "quire/util.h"

static int
str_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static int
str_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
str_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

bool
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_has_suffix(const char *s, const char *suffix)
{
	size_t	 slen = strlen(s), xlen = strlen(suffix);

	return xlen <= slen && memcmp(s + slen - xlen, suffix, xlen) == 0;
}

bool
str_eq_nocase(const char *a, const char *b)
{
	const unsigned char	*x = (const unsigned char *)a;
	const unsigned char	*y = (const unsigned char *)b;

	for (; *x != '\0' && *y != '\0'; x++, y++) {
		if (str_lower(*x) != str_lower(*y))
			return false;
	}
	return *x == *y;
}

char *
str_trim(char *s)
{
	size_t	 start = 0, end = strlen(s);

	while (start < end && str_is_space((unsigned char)s[start]))
		start++;
	while (end > start && str_is_space((unsigned char)s[end - 1]))
		end--;
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
	return s;
}

bool
str_has_crlfnul(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0')
			return true;
	}
	return false;
}

/*
 * strtol() alone is too forgiving: it skips leading space, takes a '+',
 * and returns 0 for "". Check the shape first, then let it do the
 * arithmetic and the overflow test.
 */
bool
str_to_long(const char *s, long min, long max, long *out)
{
	const char	*p = s;
	char		*end;
	long		 v;

	if (*p == '-' && min < 0)
		p++;
	if (!str_is_digit((unsigned char)*p))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

char *
str_next_word(char **rest)
{
	char	*s = *rest, *word;

	if (s == NULL)
		return NULL;
	while (str_is_space((unsigned char)*s))
		s++;
	if (*s == '\0') {
		*rest = s;
		return NULL;
	}
	word = s;
	while (*s != '\0' && !str_is_space((unsigned char)*s))
		s++;
	if (*s != '\0') {
		*s++ = '\0';
		while (str_is_space((unsigned char)*s))
			s++;
	}
	*rest = s;
	return word;
}

/* Levenshtein over bytes with one row of costs: names are short ASCII. */
size_t
str_distance(const char *a, const char *b)
{
	size_t	 alen = strlen(a), blen = strlen(b);
	size_t	*row, i, j, diag, up, best;

	row = xreallocarray(NULL, blen + 1, sizeof *row);
	for (j = 0; j <= blen; j++)
		row[j] = j;
	for (i = 1; i <= alen; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= blen; j++) {
			up = row[j];
			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	best = row[blen];
	free(row);
	return best;
}

int
str_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
str_b64val(int c, int c63)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == c63)
		return 63;
	return -1;
}
