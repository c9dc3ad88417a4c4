/*
 * Charset conversion to UTF-8, over iconv.
 *
 * Mail text arrives in whatever charset the sender declared, and the
 * declaration is often wrong. Whatever comes in, what goes out is valid
 * UTF-8 with no NUL, so no later step can be confused or cut short:
 *
 *   - a byte iconv cannot convert becomes U+FFFD and conversion goes on
 *     from the next byte (never //IGNORE, which drops text unseen, and
 *     never a stop, which loses the rest);
 *   - a charset iconv does not know (or no charset) reads the bytes as
 *     UTF-8, each invalid byte becoming U+FFFD;
 *   - whatever iconv writes passes through the same check, and NUL always
 *     becomes U+FFFD, so a string is never silently truncated.
 *
 * Labels are mapped the way mail clients and browsers read them: text
 * labelled ISO-8859-1 or US-ASCII is nearly always Windows-1252 in fact.
 * A label is checked before it reaches iconv_open(): it comes from the
 * sender.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "quire/mail.h"

#define CHARSET_NAME_MAX 64

static const struct {
	const char	*label;
	const char	*name;
} charset_aliases[] = {
	{ "us-ascii",		"WINDOWS-1252" },
	{ "ascii",		"WINDOWS-1252" },
	{ "iso-8859-1",		"WINDOWS-1252" },
	{ "iso8859-1",		"WINDOWS-1252" },
	{ "latin1",		"WINDOWS-1252" },
	{ "gb2312",		"GB18030" },
	{ "gbk",		"GB18030" },
	{ "ks_c_5601-1987",	"CP949" },
	{ "iso-8859-8-i",	"ISO-8859-8" },
};

/* Append s as UTF-8: invalid bytes and NUL become U+FFFD. */
void
charset_add_utf8(const char *s, size_t n, struct buf *out)
{
	size_t		 i = 0, k;
	uint32_t	 cp;
	char		 u[4];

	buf_add(out, "", 0);	/* terminated even when n is 0 */
	buf_grow(out, n);
	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		if (cp == 0)
			cp = UTF8_REPLACEMENT;
		if (cp == UTF8_REPLACEMENT)
			buf_add(out, u, utf8_encode(cp, u));
		else
			buf_add(out, s + i, k);
		i += k;
	}
}

static int
charset_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("-_.:+", c) != NULL);
}

static int
charset_is_utf8(const char *name)
{
	return strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0;
}

/* The name to give iconv for a label, or NULL if the label is not one. */
static const char *
charset_iconv_name(const char *label)
{
	size_t	 i, n = strlen(label);

	if (n == 0 || n >= CHARSET_NAME_MAX)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!charset_label_char(label[i]))
			return NULL;
	}
	for (i = 0; i < nitems(charset_aliases); i++) {
		if (strcasecmp(label, charset_aliases[i].label) == 0)
			return charset_aliases[i].name;
	}
	return label;
}

/* Convert with cd, piece by piece: each byte iconv refuses is a U+FFFD. */
static void
charset_iconv(iconv_t cd, const char *s, size_t n, struct buf *out)
{
	static const char	 replacement[] = "\xef\xbf\xbd";
	char			 tmp[1024], *ip = (char *)s, *op;
	size_t			 il = n, ol, r;

	while (il > 0) {
		op = tmp;
		ol = sizeof tmp;
		r = iconv(cd, &ip, &il, &op, &ol);
		charset_add_utf8(tmp, op - tmp, out);
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		/* EILSEQ, EINVAL (cut short at the end) or worse: skip one. */
		charset_add_utf8(replacement, sizeof replacement - 1, out);
		ip++;
		il--;
	}
	/* Let a stateful charset write what it still holds. */
	op = tmp;
	ol = sizeof tmp;
	iconv(cd, NULL, NULL, &op, &ol);
	charset_add_utf8(tmp, op - tmp, out);
}

/* Convert n bytes in charset to UTF-8, appended to out. An unknown or NULL
 * charset returns -1 and appends the bytes read as UTF-8. */
int
charset_to_utf8(const char *charset, const char *s, size_t n,
    struct buf *out)
{
	const char	*name;
	iconv_t		 cd;

	if (charset == NULL || (name = charset_iconv_name(charset)) == NULL) {
		charset_add_utf8(s, n, out);
		return -1;
	}
	if (charset_is_utf8(name)) {
		charset_add_utf8(s, n, out);
		return 0;
	}
	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1) {
		charset_add_utf8(s, n, out);
		return -1;
	}
	charset_iconv(cd, s, n, out);
	iconv_close(cd);
	return 0;
}
