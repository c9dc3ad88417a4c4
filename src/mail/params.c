/*
 * MIME parameters: the "; name=value" list of Content-Type and
 * Content-Disposition, as parsed from a header or given by BODYSTRUCTURE.
 *
 * Names come in three RFC 2231 shapes besides the plain one: "name*"
 * (charset'language'%XX), "name*0", "name*1"... (continuations) and
 * "name*0*" (both). Parameters are collected first, because the pieces
 * of one value may arrive in any order, then assembled: an RFC 2231 form
 * wins over a plain one, as RFC 2231 asks. A plain name or filename is
 * read as a header (RFC 2047 encoded words, raw 8-bit text in the
 * fallback charset): that is not the standard, but it is what most
 * clients send.
 *
 * Everything is capped: MIME_PARAMS_MAX parameters per header (the rest
 * are ignored), MIME_PARAM_VALUE_MAX bytes per value.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime_priv.h"

/* Split "base*N*" into its parts; false if the name is not one. */
static bool
params_name(const char *s, size_t n, struct mime_param *p)
{
	const char	*star;
	size_t		 base, i;
	int		 index = 0;

	star = memchr(s, '*', n);
	base = star != NULL ? (size_t)(star - s) : n;
	if (base == 0 || base >= sizeof p->name)
		return false;
	for (i = 0; i < base; i++)
		p->name[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	p->name[base] = '\0';
	p->index = -1;
	p->ext = false;
	if (star == NULL)
		return true;
	i = base + 1;
	if (i == n) {
		p->ext = true;
		return true;
	}
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (index > 999)
			return false;
		index = index * 10 + (s[i] - '0');
	}
	if (i == base + 1)
		return false;
	p->index = index;
	if (i + 1 == n && s[i] == '*')
		p->ext = true;
	else if (i != n)
		return false;
	return true;
}

/* Remember one parameter; beyond MIME_PARAMS_MAX they are dropped. */
void
mime_params_add(struct mime_params *ps, const char *name, size_t name_len,
    const char *value, size_t value_len)
{
	struct mime_param	*p;

	if (ps->n == MIME_PARAMS_MAX)
		return;
	p = &ps->v[ps->n];
	if (!params_name(name, name_len, p))
		return;
	if (value_len > MIME_PARAM_VALUE_MAX)
		value_len = MIME_PARAM_VALUE_MAX;
	p->value = xmemdup(value, value_len);
	ps->n++;
}

/* %XX-decode an extended value; a bad escape is kept as it is. */
static void
params_unpercent(const char *s, size_t n, struct buf *out)
{
	size_t	 i;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (hi = str_hexval(s[i + 1])) != -1 &&
		    (lo = str_hexval(s[i + 2])) != -1) {
			buf_addch(out, (char)(hi << 4 | lo));
			i += 2;
		} else
			buf_addch(out, s[i]);
	}
}

/* Take "charset'language'" off an extended first value. */
static const char *
params_charset(const char *v, char *charset, size_t size)
{
	const char	*q1, *q2;
	size_t		 n;

	charset[0] = '\0';
	if ((q1 = strchr(v, '\'')) == NULL ||
	    (q2 = strchr(q1 + 1, '\'')) == NULL)
		return v;
	n = q1 - v;
	if (n < size) {
		memcpy(charset, v, n);
		charset[n] = '\0';
	}
	return q2 + 1;
}

static const struct mime_param *
params_find(const struct mime_params *ps, const char *base, int index,
    int ext)
{
	size_t	 i;

	for (i = 0; i < ps->n; i++) {
		if (strcmp(ps->v[i].name, base) == 0 &&
		    ps->v[i].index == index && (ext == -1 || ps->v[i].ext == ext))
			return &ps->v[i];
	}
	return NULL;
}

/*
 * The bytes of parameter base into bytes, and the charset when it came in
 * RFC 2231 form (*encoded true). False if there is no such parameter.
 */
static bool
params_bytes(const struct mime_params *ps, const char *base,
    struct buf *bytes, char *charset, size_t size, bool *encoded)
{
	const struct mime_param	*p;
	const char		*v;
	int			 k;

	charset[0] = '\0';
	*encoded = true;
	if ((p = params_find(ps, base, -1, 1)) != NULL) {
		v = params_charset(p->value, charset, size);
		params_unpercent(v, strlen(v), bytes);
		return true;
	}
	for (k = 0; (p = params_find(ps, base, k, -1)) != NULL; k++) {
		v = p->value;
		if (k == 0 && p->ext)
			v = params_charset(v, charset, size);
		if (p->ext)
			params_unpercent(v, strlen(v), bytes);
		else
			buf_addstr(bytes, v);
		if (bytes->len > MIME_PARAM_VALUE_MAX)
			break;
	}
	if (k > 0)
		return true;
	*encoded = false;
	if ((p = params_find(ps, base, -1, 0)) == NULL)
		return false;
	buf_addstr(bytes, p->value);
	return true;
}

/* A text parameter (name, filename) as a new UTF-8 string, or NULL. */
static char *
params_text(const struct mime_params *ps, const char *base,
    const char *fallback)
{
	struct buf	 bytes = BUF_INIT, out = BUF_INIT;
	char		 charset[64];
	bool		 encoded;

	if (!params_bytes(ps, base, &bytes, charset, sizeof charset,
	    &encoded)) {
		buf_free(&bytes);
		return NULL;
	}
	if (encoded)
		mime_text_to_utf8(charset[0] != '\0' ? charset : NULL,
		    bytes.data, bytes.len, fallback, &out);
	else
		mail_decode_header(bytes.data, bytes.len, fallback, &out);
	buf_free(&bytes);
	if (out.len > MIME_PARAM_VALUE_MAX) {
		/* Cut at a character boundary, so the name stays UTF-8;
		 * the saver shortens it further. */
		out.len = MIME_PARAM_VALUE_MAX;
		while (out.len > 0 &&
		    ((unsigned char)out.data[out.len] & 0xC0) == 0x80)
			out.len--;
	}
	buf_add(&out, "", 0);
	return buf_detach(&out);
}

/* A token parameter (charset, boundary...) as a new string, or NULL. */
static char *
params_token(const struct mime_params *ps, const char *base)
{
	struct buf	 bytes = BUF_INIT;
	char		 charset[64];
	bool		 encoded;

	if (!params_bytes(ps, base, &bytes, charset, sizeof charset,
	    &encoded)) {
		buf_free(&bytes);
		return NULL;
	}
	buf_add(&bytes, "", 0);
	return buf_detach(&bytes);
}

static void
params_replace(char **dst, char *s)
{
	if (s == NULL)
		return;
	free(*dst);
	*dst = s;
}

/* Assemble what the part needs from ps, then clear ps. */
void
mime_params_apply(struct mail_part *p, struct mime_params *ps,
    bool disposition, const char *fallback)
{
	char	*s;
	size_t	 i;

	if (disposition)
		params_replace(&p->filename, params_text(ps, "filename",
		    fallback));
	else {
		params_replace(&p->charset, params_token(ps, "charset"));
		params_replace(&p->boundary, params_token(ps, "boundary"));
		if (p->filename == NULL)
			p->filename = params_text(ps, "name", fallback);
		if ((s = params_token(ps, "format")) != NULL)
			p->flowed = strcasecmp(s, "flowed") == 0;
		free(s);
		if ((s = params_token(ps, "delsp")) != NULL)
			p->delsp = strcasecmp(s, "yes") == 0;
		free(s);
	}
	for (i = 0; i < ps->n; i++)
		free(ps->v[i].value);
	ps->n = 0;
}

/* Convert text in charset to UTF-8, appended to out. No charset, or
 * US-ASCII, is read as UTF-8 if valid, else in the fallback charset (by
 * the label's own reading only when there is no fallback); so is an
 * unknown charset, which returns -1. */
int
mime_text_to_utf8(const char *charset, const char *s, size_t n,
    const char *fallback, struct buf *out)
{
	size_t	 start = out->len;
	bool	 ascii;

	ascii = charset == NULL || strcasecmp(charset, "us-ascii") == 0 ||
	    strcasecmp(charset, "ascii") == 0;
	/* 8-bit bytes under an ASCII label prove the label wrong: they are
	 * the fallback charset's (BAD-INPUTS 22), as under no label. */
	if (!ascii || (!utf8_valid(s, n) && fallback == NULL)) {
		if (charset != NULL && charset_to_utf8(charset, s, n, out) == 0)
			return 0;
		out->len = start;
		buf_add(out, "", 0);
	}
	if (utf8_valid(s, n) || fallback == NULL)
		charset_add_utf8(s, n, out);
	else
		charset_to_utf8(fallback, s, n, out);
	return charset == NULL || ascii ? 0 : -1;
}
