/*
 * Modified UTF-7 mailbox names (RFC 3501 5.1.3).
 *
 * Servers name mailboxes in modified UTF-7: printable ASCII stands for
 * itself, "&-" is a literal "&", and anything else travels in a run
 * "&...-" of base64 (with "," for "/" and no padding) over UTF-16BE.
 *
 * The name a server gives is also the name we must send back to select,
 * rename or delete that mailbox. So decoding accepts only the canonical
 * form, the one mutf7_encode() produces: then decoding and encoding are
 * inverses, and a name that decodes is sure to reach the same mailbox
 * when we send it back. Anything else (8-bit bytes, printable ASCII or
 * U+0000 inside a run, two runs back to back, stray bits, bad surrogates)
 * fails, and the caller keeps the raw name and shows it escaped.
 */
#include "config.h"

#include <string.h>

#include "quire/mail.h"

static const char mutf7_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/* The state of one run being decoded: bits not yet used, a pending high
 * surrogate. */
struct mutf7_run {
	uint32_t	bits;
	unsigned	nbits;
	uint32_t	high;
};

static int
mutf7_printable(uint32_t c)
{
	return c >= 0x20 && c <= 0x7e;
}

static void
mutf7_add_cp(struct buf *out, uint32_t cp)
{
	char	u[4];

	buf_add(out, u, utf8_encode(cp, u));
}

/* Take one UTF-16 code unit of a run; -1 if it may not appear there. */
static int
mutf7_unit(struct mutf7_run *r, uint32_t unit, struct buf *out)
{
	if (r->high != 0) {
		if (unit < 0xdc00 || unit > 0xdfff)
			return -1;
		mutf7_add_cp(out,
		    0x10000 + ((r->high - 0xd800) << 10) + (unit - 0xdc00));
		r->high = 0;
		return 0;
	}
	if (unit >= 0xd800 && unit <= 0xdbff) {
		r->high = unit;
		return 0;
	}
	/* A lone low surrogate, U+0000 or what should have been plain. */
	if ((unit >= 0xdc00 && unit <= 0xdfff) || unit == 0 ||
	    mutf7_printable(unit))
		return -1;
	mutf7_add_cp(out, unit);
	return 0;
}

/* Decode the n base64 characters between "&" and "-" (n > 0). */
static int
mutf7_decode_run(const char *s, size_t n, struct buf *out)
{
	struct mutf7_run	 r = { 0, 0, 0 };
	size_t			 i;
	int			 v;

	for (i = 0; i < n; i++) {
		if ((v = str_b64val(s[i], ',')) == -1)
			return -1;
		r.bits = (r.bits << 6) | (uint32_t)v;
		r.nbits += 6;
		if (r.nbits >= 16) {
			r.nbits -= 16;
			if (mutf7_unit(&r, (r.bits >> r.nbits) & 0xffff,
			    out) == -1)
				return -1;
		}
	}
	/* Padding must be short of a whole character and all zero. */
	if (r.high != 0 || r.nbits >= 6 ||
	    (r.bits & ((1U << r.nbits) - 1)) != 0)
		return -1;
	return 0;
}

/* Decode a modified UTF-7 name to UTF-8; -1 (out unchanged) if invalid. */
int
mutf7_decode(const char *in, size_t n, struct buf *out)
{
	size_t		 start = out->len, i = 0;
	const char	*end;
	int		 after_run = 0;

	while (i < n) {
		if (!mutf7_printable((unsigned char)in[i]))
			goto fail;
		if (in[i] != '&') {
			buf_addch(out, in[i++]);
			after_run = 0;
			continue;
		}
		if ((end = memchr(in + i + 1, '-', n - i - 1)) == NULL)
			goto fail;
		if (end == in + i + 1) {
			buf_addch(out, '&');
			after_run = 0;
		} else {
			/* Two runs in a row would have been written as one. */
			if (after_run ||
			    mutf7_decode_run(in + i + 1, end - in - i - 1,
			    out) == -1)
				goto fail;
			after_run = 1;
		}
		i = end - in + 1;
	}
	return 0;

fail:
	if (out->data != NULL) {
		out->len = start;
		out->data[start] = '\0';
	}
	return -1;
}

/* Add one UTF-16 unit to a run, writing each whole base64 character. */
static void
mutf7_encode_unit(struct mutf7_run *r, uint32_t unit, struct buf *out)
{
	r->bits = (r->bits << 16) | unit;
	r->nbits += 16;
	while (r->nbits >= 6) {
		r->nbits -= 6;
		buf_addch(out, mutf7_b64[(r->bits >> r->nbits) & 0x3f]);
	}
}

/* Close a run: the last bits padded with zeros, then "-". */
static void
mutf7_encode_close(struct mutf7_run *r, struct buf *out)
{
	if (r->nbits > 0)
		buf_addch(out, mutf7_b64[(r->bits << (6 - r->nbits)) & 0x3f]);
	buf_addch(out, '-');
	r->bits = r->nbits = 0;
}

/* Encode a UTF-8 name as modified UTF-7; -1 (out unchanged) if it is not
 * valid UTF-8 or holds U+0000. */
int
mutf7_encode(const char *utf8, size_t n, struct buf *out)
{
	struct mutf7_run	 r = { 0, 0, 0 };
	size_t			 i = 0;
	int			 in_run = 0;
	uint32_t		 cp;

	if (!utf8_valid(utf8, n) || memchr(utf8, '\0', n) != NULL)
		return -1;
	while (i < n) {
		i += utf8_decode(utf8 + i, n - i, &cp);
		if (mutf7_printable(cp)) {
			if (in_run)
				mutf7_encode_close(&r, out);
			in_run = 0;
			if (cp == '&')
				buf_addstr(out, "&-");
			else
				buf_addch(out, (char)cp);
			continue;
		}
		if (!in_run)
			buf_addch(out, '&');
		in_run = 1;
		if (cp >= 0x10000) {
			mutf7_encode_unit(&r, 0xd800 + ((cp - 0x10000) >> 10),
			    out);
			cp = 0xdc00 + ((cp - 0x10000) & 0x3ff);
		}
		mutf7_encode_unit(&r, cp, out);
	}
	if (in_run)
		mutf7_encode_close(&r, out);
	return 0;
}
