/*
 * Transfer decoding: base64, quoted-printable and uuencode, bounded.
 *
 * Bodies come from senders, so every decoder reads its input once, writes
 * at most as many bytes as it reads, and never stops on bad input: what
 * decodes is kept, and a flag (MIME_DEC_JUNK, MIME_DEC_CUT) lets the
 * renderer add a notice (BAD-INPUTS 25).
 *   - base64 skips white space and any byte outside its alphabet, and
 *     stops at the first '=' (padding); a lone trailing sextet is cut.
 *   - quoted-printable joins soft line breaks ("=" at the end of a line,
 *     trailing blanks allowed), drops the blanks at the end of a line (a
 *     transport adds them), and keeps a bad escape ("=ZZ") as it came.
 *   - uuencode trusts no length byte: a line yields at most what its
 *     characters hold; a line that cannot be uuencode ends the file.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mime_priv.h"

/* Decode base64, appended to out. */
unsigned
mime_decode_base64(const char *s, size_t n, struct buf *out)
{
	unsigned	 acc = 0, bits = 0, flags = 0;
	size_t		 i;
	char		*p;
	int		 v;

	buf_grow(out, n / 4 * 3 + 3);
	p = out->data + out->len;
	for (i = 0; i < n; i++) {
		if ((v = str_b64val((unsigned char)s[i], '/')) >= 0) {
			acc = (acc << 6 | (unsigned)v) & 0xffffff;
			if ((bits += 6) >= 8) {
				bits -= 8;
				*p++ = (char)(acc >> bits & 0xff);
			}
		} else if (s[i] == '=')
			break;
		else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			flags |= MIME_DEC_JUNK;
	}
	if (bits == 6)
		flags |= MIME_DEC_CUT;
	out->len = (size_t)(p - out->data);
	out->data[out->len] = '\0';
	return flags;
}

/* After blanks from i: a line end (or the end)? Sets *next past it. */
static bool
dec_line_end(const char *s, size_t n, size_t i, size_t *next)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n) {
		*next = n;
		return true;
	}
	if (s[i] == '\n' || (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')) {
		*next = i;
		return true;
	}
	return false;
}

/* Decode quoted-printable, appended to out. */
unsigned
mime_decode_qp(const char *s, size_t n, struct buf *out)
{
	unsigned	 flags = 0;
	size_t		 i = 0, next, j;
	int		 hi, lo;

	buf_grow(out, n);
	while (i < n) {
		if (s[i] == '=') {
			if (i + 2 < n && (hi = str_hexval(s[i + 1])) != -1 &&
			    (lo = str_hexval(s[i + 2])) != -1) {
				buf_addch(out, (char)(hi << 4 | lo));
				i += 3;
			} else if (dec_line_end(s, n, i + 1, &next)) {
				i = next;	/* soft break: skip the line end */
				if (i < n && s[i] == '\r')
					i++;
				if (i < n && s[i] == '\n')
					i++;
			} else {
				flags |= MIME_DEC_JUNK;
				buf_addch(out, s[i++]);
			}
		} else if (s[i] == ' ' || s[i] == '\t') {
			for (j = i; j < n && (s[j] == ' ' || s[j] == '\t'); j++)
				;
			if (!dec_line_end(s, n, j, &next))
				buf_add(out, s + i, j - i);
			i = j;
		} else
			buf_addch(out, s[i++]);
	}
	return flags;
}

/* One uuencoded line (without its line end) into out; false if the line
 * cannot be uuencode. */
static bool
dec_uu_line(const char *s, size_t n, struct buf *out, unsigned *flags)
{
	size_t		 want, have, i, k;
	unsigned char	 q[4];
	char		 b[3];

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x60)
			return false;
	}
	if (n == 0)
		return false;
	want = (size_t)((s[0] - 0x20) & 0x3f);
	have = (n - 1) * 3 / 4;
	if (want > have) {
		*flags |= MIME_DEC_JUNK;
		want = have;
	}
	for (i = 1; want > 0; i += 4) {
		for (k = 0; k < 4; k++)
			q[k] = i + k < n ? (unsigned char)((s[i + k] - 0x20) &
			    0x3f) : 0;
		b[0] = (char)(q[0] << 2 | q[1] >> 4);
		b[1] = (char)((q[1] & 0x0f) << 4 | q[2] >> 2);
		b[2] = (char)((q[2] & 0x03) << 6 | q[3]);
		k = want < 3 ? want : 3;
		buf_add(out, b, k);
		want -= k;
	}
	return true;
}

/* Decode uuencoded lines up to "end"; *used gets the bytes read. */
unsigned
mime_decode_uu(const char *s, size_t n, struct buf *out, size_t *used)
{
	const char	*lf;
	size_t		 pos = 0, end, next, len;
	unsigned	 flags = 0;

	buf_add(out, "", 0);
	while (pos < n) {
		lf = memchr(s + pos, '\n', n - pos);
		end = lf != NULL ? (size_t)(lf - s) : n;
		next = lf != NULL ? end + 1 : n;
		len = end - pos;
		if (len > 0 && s[end - 1] == '\r')
			len--;
		if (len == 3 && memcmp(s + pos, "end", 3) == 0) {
			*used = next;
			return flags;
		}
		if (!dec_uu_line(s + pos, len, out, &flags))
			break;
		pos = next;
	}
	*used = pos;
	return flags | MIME_DEC_CUT;
}

/* "begin 644 name": true with the name's bounds. */
static bool
dec_uu_begin(const char *s, size_t n, size_t *name, size_t *name_len)
{
	size_t	 i = 6, d;

	if (n < 8 || memcmp(s, "begin ", 6) != 0)
		return false;
	for (d = 0; i < n && s[i] >= '0' && s[i] <= '7'; i++)
		d++;
	if (d < 3 || d > 4 || i >= n || s[i] != ' ')
		return false;
	*name = i + 1;
	*name_len = n - i - 1;
	return true;
}

/* The next uuencoded file in s at or after *pos (a line start). */
bool
mime_uu_next(const char *s, size_t n, size_t *pos, struct mime_uu *u)
{
	struct buf	 data = BUF_INIT;
	const char	*lf;
	size_t		 p = *pos, end, next, len, name, name_len, used;

	while (p < n) {
		lf = memchr(s + p, '\n', n - p);
		end = lf != NULL ? (size_t)(lf - s) : n;
		next = lf != NULL ? end + 1 : n;
		len = end - p;
		if (len > 0 && s[end - 1] == '\r')
			len--;
		if (dec_uu_begin(s + p, len, &name, &name_len)) {
			u->start = p;
			u->name = xmemdup(s + p + name, name_len);
			u->flags = mime_decode_uu(s + next, n - next, &data,
			    &used);
			u->size = data.len;
			u->end = next + used;
			*pos = u->end;
			buf_free(&data);
			return true;
		}
		p = next;
	}
	*pos = n;
	return false;
}

/* Undo a transfer encoding, appended to out. */
int
mail_decode_body(enum mail_encoding enc, const char *in, size_t n,
    struct buf *out)
{
	struct mime_uu	 u;
	size_t		 pos = 0, used;
	unsigned	 flags;

	buf_add(out, "", 0);
	switch (enc) {
	case MAIL_ENC_BASE64:
		flags = mime_decode_base64(in, n, out);
		break;
	case MAIL_ENC_QP:
		flags = mime_decode_qp(in, n, out);
		break;
	case MAIL_ENC_UUENCODE:
		if (mime_uu_next(in, n, &pos, &u)) {
			free(u.name);
			pos = u.start;
			while (pos < n && in[pos++] != '\n')
				;
		} else
			pos = 0;
		flags = mime_decode_uu(in + pos, n - pos, out, &used);
		break;
	default:
		buf_add(out, in, n);
		flags = 0;
		break;
	}
	return flags != 0 ? -1 : 0;
}
