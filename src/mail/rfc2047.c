/*
 * Header values to UTF-8: RFC 2047 encoded words and raw 8-bit text.
 *
 * A header is read left to right as raw text and encoded words
 * ("=?charset?Q?text?=" or "?B?"; a "*language" after the charset, from
 * RFC 2231, is ignored). The rules, and why:
 *
 *   - The decoded bytes of adjacent words in the same charset are joined
 *     before conversion, because senders split a multi-byte character
 *     across two words. White space between two encoded words is dropped;
 *     everywhere else it is kept.
 *   - A word that does not parse or decode (a bad encoding letter, broken
 *     base64, a stray "=" in Q) is not a word: its raw text is kept, so
 *     the reader sees what was sent and the rest of the header survives.
 *   - Raw text that is valid UTF-8 is kept; otherwise it is read in the
 *     fallback charset (raw Latin-1 headers are still common).
 *   - Conversion (charset.c) turns every bad byte and every NUL into U+FFFD,
 *     so the output is valid UTF-8 and never cut short by a NUL. Controls
 *     such as CR and LF are kept: safe_text() deals with them at display,
 *     and only there.
 *
 * Each input byte is looked at a bounded number of times (a word's
 * charset and text end at the next '?', which a later word cannot start
 * before), so the work is linear; the output is capped at MAIL_HEADER_MAX.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "quire/mail.h"

#define RFC2047_CHARSET_MAX 64

/* An encoded word, pointing into the input. */
struct rfc2047_word {
	const char	*charset;	/* without the *language */
	size_t		 charset_len;
	char		 encoding;	/* 'Q' or 'B' */
	const char	*text;
	size_t		 text_len;
	size_t		 len;		/* all of it, "=?" to "?=" */
};

/* Words decoded but not yet converted, and where the output goes. */
struct rfc2047_state {
	const char	*fallback;
	struct buf	*out;
	struct buf	 pending;	/* bytes of adjacent words */
	struct buf	 word;		/* the word at hand */
	char		 charset[RFC2047_CHARSET_MAX]; /* of pending */
	int		 in_word;	/* the last thing was a word */
};

static int
rfc2047_token_char(char c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\"/[]?=\\", c) == NULL;
}

static int
rfc2047_text_char(char c)
{
	return c > 0x20 && c < 0x7f && c != '?';
}

static int
rfc2047_lws(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strchr(" \t\r\n", s[i]) == NULL || s[i] == '\0')
			return 0;
	}
	return 1;
}

/* Parse an encoded word at the start of s; -1 if there is none. */
static int
rfc2047_parse(const char *s, size_t n, struct rfc2047_word *w)
{
	const char	*star;
	size_t		 i = 2;

	if (n < 2 || s[0] != '=' || s[1] != '?')
		return -1;
	while (i < n && rfc2047_token_char(s[i]))
		i++;
	if (i + 2 >= n || s[i] != '?' || s[i + 2] != '?')
		return -1;
	w->charset = s + 2;
	w->charset_len = i - 2;
	if ((star = memchr(w->charset, '*', w->charset_len)) != NULL)
		w->charset_len = star - w->charset;
	if (w->charset_len == 0 || w->charset_len >= RFC2047_CHARSET_MAX)
		return -1;
	switch (s[i + 1]) {
	case 'Q':
	case 'q':
		w->encoding = 'Q';
		break;
	case 'B':
	case 'b':
		w->encoding = 'B';
		break;
	default:
		return -1;
	}
	i += 3;
	w->text = s + i;
	while (i < n && rfc2047_text_char(s[i]))
		i++;
	if (i + 1 >= n || s[i] != '?' || s[i + 1] != '=')
		return -1;
	w->text_len = s + i - w->text;
	w->len = i + 2;
	return 0;
}

/* Q: '_' is a space, "=XX" a byte (either case), the rest itself. */
static int
rfc2047_decode_q(const char *s, size_t n, struct buf *out)
{
	size_t	 i;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '_')
			buf_addch(out, ' ');
		else if (s[i] != '=')
			buf_addch(out, s[i]);
		else {
			if (i + 2 >= n || (hi = str_hexval(s[i + 1])) == -1 ||
			    (lo = str_hexval(s[i + 2])) == -1)
				return -1;
			buf_addch(out, (char)(hi << 4 | lo));
			i += 2;
		}
	}
	return 0;
}

/* B: base64. Missing padding is forgiven; a character outside the
 * alphabet, data after padding or a lone trailing character is not. */
static int
rfc2047_decode_b(const char *s, size_t n, struct buf *out)
{
	size_t		 i, pad = 0;
	uint32_t	 bits = 0;
	unsigned	 nbits = 0;
	int		 v;

	while (pad < 2 && pad < n && s[n - 1 - pad] == '=')
		pad++;
	n -= pad;
	if (n % 4 == 1 || (pad > 0 && (n + pad) % 4 != 0))
		return -1;
	for (i = 0; i < n; i++) {
		if ((v = str_b64val(s[i], '/')) == -1)
			return -1;
		bits = (bits << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			buf_addch(out, (char)((bits >> nbits) & 0xff));
		}
	}
	return 0;
}

/* Raw text: UTF-8 if it is valid UTF-8, else the fallback charset. */
static void
rfc2047_raw(struct rfc2047_state *st, const char *s, size_t n)
{
	if (utf8_valid(s, n))
		charset_add_utf8(s, n, st->out);
	else
		charset_to_utf8(st->fallback, s, n, st->out);
}

/* Convert the words waiting in pending. */
static void
rfc2047_flush(struct rfc2047_state *st)
{
	if (!st->in_word)
		return;
	charset_to_utf8(st->charset, st->pending.data, st->pending.len,
	    st->out);
	buf_reset(&st->pending);
	st->in_word = 0;
}

/*
 * Take the word w, preceded by the raw text s (n bytes) not yet written.
 * Returns -1, with nothing written, if w does not decode: then it is raw
 * text too.
 */
static int
rfc2047_take_word(struct rfc2047_state *st, const struct rfc2047_word *w,
    const char *s, size_t n)
{
	char	 charset[RFC2047_CHARSET_MAX];
	int	 r;

	buf_reset(&st->word);
	if (w->encoding == 'Q')
		r = rfc2047_decode_q(w->text, w->text_len, &st->word);
	else
		r = rfc2047_decode_b(w->text, w->text_len, &st->word);
	if (r == -1)
		return -1;

	if (n > 0 && !(st->in_word && rfc2047_lws(s, n))) {
		rfc2047_flush(st);
		rfc2047_raw(st, s, n);
	}
	memcpy(charset, w->charset, w->charset_len);
	charset[w->charset_len] = '\0';
	if (st->in_word && strcasecmp(charset, st->charset) != 0)
		rfc2047_flush(st);
	memcpy(st->charset, charset, sizeof st->charset);
	buf_add(&st->pending, st->word.data, st->word.len);
	st->in_word = 1;
	return 0;
}

/* Cut out (past start) to MAIL_HEADER_MAX bytes, ending in an ellipsis,
 * at a character boundary. */
static void
rfc2047_cap(struct buf *out, size_t start)
{
	size_t	 end;

	if (out->len - start <= MAIL_HEADER_MAX)
		return;
	end = start + MAIL_HEADER_MAX - 3;
	while (end > start && ((unsigned char)out->data[end] & 0xc0) == 0x80)
		end--;
	out->len = end;
	buf_addstr(out, "\xe2\x80\xa6");
}

/* Decode a header value to UTF-8, appended to out. */
void
mail_decode_header(const char *in, size_t n, const char *fallback_charset,
    struct buf *out)
{
	struct rfc2047_state	 st;
	struct rfc2047_word	 w;
	size_t			 start = out->len, i = 0, raw = 0;

	memset(&st, 0, sizeof st);
	st.fallback = fallback_charset;
	st.out = out;
	buf_add(out, "", 0);
	while (i < n && out->len - start <= MAIL_HEADER_MAX) {
		if (in[i] != '=' || rfc2047_parse(in + i, n - i, &w) == -1 ||
		    rfc2047_take_word(&st, &w, in + raw, i - raw) == -1) {
			i++;
			continue;
		}
		i += w.len;
		raw = i;
	}
	rfc2047_flush(&st);
	if (i == n && raw < n)
		rfc2047_raw(&st, in + raw, n - raw);
	rfc2047_cap(out, start);
	buf_free(&st.pending);
	buf_free(&st.word);
}
