/*
 * libFuzzer target: header values (src/mail/rfc2047.c, charset.c) and
 * MIME parameters (src/mail/params.c, mimehdr.c).
 *
 * The bytes are decoded as a header value, with and without a fallback
 * charset, and read as a Content-Type and a Content-Disposition value. The
 * promises checked: the output is valid UTF-8 with no NUL and within
 * MAIL_HEADER_MAX, and what a part holds is lower case where it must be and
 * valid UTF-8 where it is text. A broken promise aborts.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quire/mail.h"

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
		check_lower(p->type);
		check_lower(p->subtype);
		if (p->filename != NULL)
			check(utf8_valid(p->filename, strlen(p->filename)));
		mail_part_free(&p);
	}
	buf_free(&hdr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;

	fuzz_header(s, size, NULL);
	fuzz_header(s, size, "windows-1252");
	fuzz_params(s, size);
	return 0;
}
