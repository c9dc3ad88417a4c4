/*
 * MIME header blocks: where they end, their fields unfolded, and the three
 * fields that shape a part (Content-Type, Content-Disposition,
 * Content-Transfer-Encoding).
 *
 * Mail in the wild breaks the grammar, so the reader is forgiving and
 * linear (BAD-INPUTS 23):
 *   - LF and CRLF line ends may be mixed; a CR before LF is dropped;
 *   - a message may start with blank lines before its header (they are
 *     skipped when a field follows) or with an mbox "From " line;
 *   - a line without a colon inside the header is skipped when a field
 *     follows it, and otherwise starts the body (the blank line was lost);
 *   - a line of white space alone ends the header, like an empty one;
 *   - parameter values may be unquoted and hold spaces, comments may
 *     appear anywhere (nested, with escapes), quotes may be unterminated.
 * Each byte is looked at a bounded number of times: a line is examined
 * once, and at most once more as the look-ahead of its predecessor.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "mime_priv.h"

#define MIME_TOKEN_MAX 127

/* The end of the line at pos (at the LF or n) and the start of the next. */
static size_t
hdr_line(const char *s, size_t n, size_t pos, size_t *next)
{
	const char	*lf;

	lf = memchr(s + pos, '\n', n - pos);
	if (lf == NULL) {
		*next = n;
		return n;
	}
	*next = (size_t)(lf - s) + 1;
	return (size_t)(lf - s);
}

static bool
hdr_blank(const char *s, size_t pos, size_t end)
{
	for (; pos < end; pos++) {
		if (s[pos] != ' ' && s[pos] != '\t' && s[pos] != '\r')
			return false;
	}
	return true;
}

/* "Name:" (white space allowed before the colon, as RFC 822 did). */
static bool
hdr_field(const char *s, size_t pos, size_t end)
{
	size_t	 start = pos;

	while (pos < end && s[pos] > ' ' && s[pos] < 0x7f && s[pos] != ':')
		pos++;
	if (pos == start)
		return false;
	while (pos < end && (s[pos] == ' ' || s[pos] == '\t'))
		pos++;
	return pos < end && s[pos] == ':';
}

static bool
hdr_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Skip what comes before the fields of a whole message: an mbox "From "
 * line. A blank first line is not skipped: it is an empty header and all
 * that follows is body (RFC 5322), as the server's ENVELOPE and
 * BODYSTRUCTURE read it, so the pager agrees with the index. */
static size_t
hdr_start(const char *s, size_t n)
{
	size_t	 pos = 0, end, next;

	end = hdr_line(s, n, 0, &next);
	if (end >= 5 && memcmp(s, "From ", 5) == 0)
		pos = next;
	if (pos < n && hdr_field(s, pos, hdr_line(s, n, pos, &next)))
		return pos;
	return 0;
}

/* Where the fields start, end, and where the body starts. */
size_t
mime_hdr_bounds(const char *s, size_t n, bool top, size_t *hdr_end,
    size_t *body)
{
	size_t	 start, pos, end, next, end2, next2;

	start = pos = top ? hdr_start(s, n) : 0;
	for (;;) {
		if (pos >= n) {
			*hdr_end = *body = n;
			break;
		}
		end = hdr_line(s, n, pos, &next);
		if (hdr_blank(s, pos, end)) {
			*hdr_end = pos;
			*body = next;
			break;
		}
		if (!hdr_wsp(s[pos]) && !hdr_field(s, pos, end)) {
			end2 = next < n ? hdr_line(s, n, next, &next2) : n;
			if (next >= n || !hdr_field(s, next, end2)) {
				*hdr_end = *body = pos;
				break;
			}
		}
		pos = next;
	}
	return start;
}

void
mime_hdr_iter_init(struct mime_hdr_iter *it, const char *s, size_t n)
{
	it->s = s;
	it->n = n;
	it->pos = 0;
}

/* Append a line's text to value, without its CR, within the cap. */
static void
hdr_add(struct buf *value, const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (value->len >= MAIL_HEADER_MAX)
		return;
	if (n > MAIL_HEADER_MAX - value->len)
		n = MAIL_HEADER_MAX - value->len;
	buf_add(value, s, n);
}

/* The next field, unfolded into value. */
bool
mime_hdr_next(struct mime_hdr_iter *it, const char **name, size_t *name_len,
    struct buf *value)
{
	const char	*s = it->s;
	size_t		 end, next, colon, v;

	buf_reset(value);
	buf_add(value, "", 0);
	while (it->pos < it->n) {
		end = hdr_line(s, it->n, it->pos, &next);
		if (hdr_wsp(s[it->pos]) || !hdr_field(s, it->pos, end)) {
			it->pos = next;
			continue;
		}
		colon = (size_t)((const char *)memchr(s + it->pos, ':',
		    end - it->pos) - s);
		*name = s + it->pos;
		for (*name_len = colon - it->pos; hdr_wsp((*name)[*name_len - 1]);)
			(*name_len)--;
		for (v = colon + 1; v < end && hdr_wsp(s[v]); v++)
			;
		hdr_add(value, s + v, end - v);
		it->pos = next;
		while (it->pos < it->n && hdr_wsp(s[it->pos])) {
			end = hdr_line(s, it->n, it->pos, &next);
			hdr_add(value, s + it->pos, end - it->pos);
			it->pos = next;
		}
		return true;
	}
	return false;
}

/* The first field called name, unfolded. */
bool
mime_hdr_get(const char *s, size_t n, const char *name, struct buf *value)
{
	struct mime_hdr_iter	 it;
	const char		*f;
	size_t			 fl, len = strlen(name);

	mime_hdr_iter_init(&it, s, n);
	while (mime_hdr_next(&it, &f, &fl, value)) {
		if (fl == len && strncasecmp(f, name, len) == 0)
			return true;
	}
	return false;
}

/* Skip white space and (nested) comments. */
static size_t
hdr_cfws(const char *v, size_t n, size_t i)
{
	size_t	 depth = 0;

	for (; i < n; i++) {
		if (depth > 0 && v[i] == '\\' && i + 1 < n)
			i++;
		else if (v[i] == '(')
			depth++;
		else if (depth > 0 && v[i] == ')')
			depth--;
		else if (depth == 0 && !hdr_wsp(v[i]) && v[i] != '\r' &&
		    v[i] != '\n')
			break;
	}
	return i;
}

static bool
hdr_token_char(char c)
{
	return c > ' ' && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/* A token at i, lower case, into out (at most MIME_TOKEN_MAX bytes). */
static size_t
hdr_token(const char *v, size_t n, size_t i, char *out)
{
	size_t	 k = 0;

	for (; i < n && hdr_token_char(v[i]); i++) {
		if (k < MIME_TOKEN_MAX)
			out[k++] = (char)(v[i] >= 'A' && v[i] <= 'Z' ?
			    v[i] + 32 : v[i]);
	}
	out[k] = '\0';
	return i;
}

/* A quoted string at i (past the opening quote), unescaped, into out. */
static size_t
hdr_quoted(const char *v, size_t n, size_t i, struct buf *out)
{
	for (; i < n && v[i] != '"'; i++) {
		if (v[i] == '\\' && i + 1 < n)
			i++;
		if (v[i] != '\r' && v[i] != '\n')
			buf_addch(out, v[i]);
	}
	return i < n ? i + 1 : n;
}

/* An unquoted value runs to ';'. A trailing " (comment)" is dropped. */
static size_t
hdr_bare(const char *v, size_t n, size_t i, struct buf *out)
{
	const char	*semi;
	size_t		 end, k;

	semi = memchr(v + i, ';', n - i);
	end = semi != NULL ? (size_t)(semi - v) : n;
	while (end > i && (hdr_wsp(v[end - 1]) || v[end - 1] == '\r' ||
	    v[end - 1] == '\n'))
		end--;
	if (end > i && v[end - 1] == ')') {
		/* Only the first " (" is tried, so this stays linear. */
		for (k = i + 1; k < end; k++) {
			if (v[k] == '(' && hdr_wsp(v[k - 1]))
				break;
		}
		if (k < end && hdr_cfws(v, end, k) == end)
			for (end = k; end > i && hdr_wsp(v[end - 1]); end--)
				;
	}
	buf_add(out, v + i, end - i);
	return semi != NULL ? (size_t)(semi - v) : n;
}

/* The "; name=value" list from i into ps. */
static void
hdr_params(const char *v, size_t n, size_t i, struct mime_params *ps)
{
	struct buf	 value = BUF_INIT;
	char		 name[MIME_TOKEN_MAX + 1];
	size_t		 j;

	while ((i = hdr_cfws(v, n, i)) < n) {
		if (v[i] == ';' || !hdr_token_char(v[i])) {
			i++;
			continue;
		}
		j = hdr_token(v, n, i, name);
		i = hdr_cfws(v, n, j);
		if (i >= n || v[i] != '=')
			continue;
		i = hdr_cfws(v, n, i + 1);
		buf_reset(&value);
		buf_add(&value, "", 0);
		if (i < n && v[i] == '"')
			i = hdr_quoted(v, n, i + 1, &value);
		else
			i = hdr_bare(v, n, i, &value);
		mime_params_add(ps, name, strlen(name), value.data, value.len);
	}
	buf_free(&value);
}

/* "type/subtype; params" into p; a malformed type leaves text/plain. */
void
mime_set_content_type(struct mail_part *p, const char *v, size_t n,
    const char *fallback)
{
	struct mime_params	 ps;
	char			 type[MIME_TOKEN_MAX + 1];
	char			 sub[MIME_TOKEN_MAX + 1];
	size_t			 i;

	i = hdr_token(v, n, hdr_cfws(v, n, 0), type);
	i = hdr_cfws(v, n, i);
	if (i < n && v[i] == '/') {
		i = hdr_token(v, n, hdr_cfws(v, n, i + 1), sub);
		if (type[0] != '\0' && sub[0] != '\0')
			mail_part_set_type(p, type, sub);
	}
	ps.n = 0;
	hdr_params(v, n, i, &ps);
	mime_params_apply(p, &ps, false, fallback);
}

/* "attachment; filename=..." into p. */
void
mime_set_disposition(struct mail_part *p, const char *v, size_t n,
    const char *fallback)
{
	struct mime_params	 ps;
	char			 disp[MIME_TOKEN_MAX + 1];
	size_t			 i;

	i = hdr_token(v, n, hdr_cfws(v, n, 0), disp);
	mail_part_set_disposition(p, disp);
	ps.n = 0;
	hdr_params(v, n, i, &ps);
	mime_params_apply(p, &ps, true, fallback);
}

/* Every MIME field of a header block into p; the first of each counts. */
void
mime_set_fields(struct mail_part *p, const char *hdr, size_t n,
    const char *fallback)
{
	struct mime_hdr_iter	 it;
	struct buf		 v = BUF_INIT;
	const char		*f;
	size_t			 fl;
	char			 enc[MIME_TOKEN_MAX + 1];
	unsigned		 seen = 0;

	mime_hdr_iter_init(&it, hdr, n);
	while (mime_hdr_next(&it, &f, &fl, &v)) {
		if (fl == 12 && strncasecmp(f, "Content-Type", fl) == 0 &&
		    !(seen & 1)) {
			mime_set_content_type(p, v.data, v.len, fallback);
			seen |= 1;
		} else if (fl == 19 &&
		    strncasecmp(f, "Content-Disposition", fl) == 0 &&
		    !(seen & 2)) {
			mime_set_disposition(p, v.data, v.len, fallback);
			seen |= 2;
		} else if (fl == 25 &&
		    strncasecmp(f, "Content-Transfer-Encoding", fl) == 0 &&
		    !(seen & 4)) {
			hdr_token(v.data, v.len, hdr_cfws(v.data, v.len, 0),
			    enc);
			mail_part_set_encoding(p, enc);
			seen |= 4;
		}
	}
	buf_free(&v);
}
