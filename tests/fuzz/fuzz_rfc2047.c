/*
 * libFuzzer target: header values (src/mail/rfc2047.c, charset.c) and
 * MIME parameters (src/mail/params.c, mimehdr.c).
 *
 * The bytes are decoded as a header value, with and without a fallback
 * charset, and read as a Content-Type and a Content-Disposition value.
 * They are also split at ";" into name=value pairs and given to
 * mail_part_set_params() as BODYSTRUCTURE would give them: separate
 * strings, so the RFC 2231 names ("filename*0*", "name*") and values reach
 * params.c without the header tokenizer in between. The promises checked:
 * the output is valid UTF-8 with no NUL and within MAIL_HEADER_MAX, and
 * what a part holds is lower case where it must be and valid UTF-8 within
 * MIME_PARAM_VALUE_MAX where it is text. A broken promise aborts.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quire/mail.h"
#include "../../src/mail/mime_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok)
{
	if (!ok)
		abort();
}

static void
check_lower(const char *s)
{
	for (; *s != '\0'; s++)
		check(!(*s >= 'A' && *s <= 'Z'));
}

static void
check_part(const struct mail_part *p)
{
	check_lower(p->type);
	check_lower(p->subtype);
	if (p->filename != NULL) {
		check(utf8_valid(p->filename, strlen(p->filename)));
		check(strlen(p->filename) <= MIME_PARAM_VALUE_MAX);
	}
}

static void
fuzz_header(const char *s, size_t n, const char *fallback)
{
	struct buf	 out = BUF_INIT;

	mail_decode_header(s, n, fallback, &out);
	check(utf8_valid(out.data, out.len));
	check(memchr(out.data, '\0', out.len) == NULL);
	check(out.len <= MAIL_HEADER_MAX);
	buf_free(&out);
}

static void
fuzz_params(const char *s, size_t n)
{
	static const char	*fields[] = { "Content-Type: ",
				    "Content-Disposition: " };
	struct mail_part	*p;
	struct buf		 hdr = BUF_INIT;
	size_t			 i;

	for (i = 0; i < 2; i++) {
		buf_reset(&hdr);
		buf_addstr(&hdr, fields[i]);
		buf_add(&hdr, s, n);
		p = mail_part_new(NULL);
		mail_part_set_mime(p, hdr.data, hdr.len, "windows-1252");
		check_part(p);
		mail_part_free(&p);
	}
	buf_free(&hdr);
}

/* The string from s to end (NUL cut, as C strings are), without leading
 * blanks; NULL if empty. */
static char *
param_piece(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s < end ? xstrndup(s, (size_t)(end - s)) : NULL;
}

/* "name=value; name=value..." as BODYSTRUCTURE's separate strings; a
 * piece without "=" is a name with no value (NIL). */
static void
fuzz_bodystructure(const char *s, size_t n)
{
	char		*names[MIME_PARAMS_MAX + 2], *values[MIME_PARAMS_MAX + 2];
	const char	*end = s + n, *semi, *eq;
	struct mail_part *p;
	size_t		 k = 0, i;
	int		 disposition;

	while (s < end && k < nitems(names)) {
		if ((semi = memchr(s, ';', (size_t)(end - s))) == NULL)
			semi = end;
		eq = memchr(s, '=', (size_t)(semi - s));
		names[k] = param_piece(s, eq != NULL ? eq : semi);
		values[k] = eq != NULL ? param_piece(eq + 1, semi) : NULL;
		if (eq != NULL && values[k] == NULL)
			values[k] = xstrdup("");
		k++;
		s = semi + 1;
	}
	for (disposition = 0; disposition < 2; disposition++) {
		p = mail_part_new(NULL);
		mail_part_set_params(p, disposition, (const char *const *)names,
		    (const char *const *)values, k, "windows-1252");
		check_part(p);
		mail_part_free(&p);
	}
	for (i = 0; i < k; i++) {
		free(names[i]);
		free(values[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;

	fuzz_header(s, size, NULL);
	fuzz_header(s, size, "windows-1252");
	fuzz_params(s, size);
	fuzz_bodystructure(s, size);
	return 0;
}
