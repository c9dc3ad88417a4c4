/*
 * libFuzzer target: modified UTF-7 mailbox names (src/mail/mutf7.c).
 *
 * The bytes are read three ways: as a name a server sent (decoded), as a
 * UTF-8 name the user typed (encoded), and, cleaned into valid UTF-8 with
 * no NUL, as a name that must encode. The promises checked: a name that
 * decodes is valid UTF-8 with no NUL and encodes back to the very same
 * bytes (decoding takes only the canonical form); a valid UTF-8 name with
 * no NUL always encodes, to printable ASCII, and decodes back to itself;
 * invalid UTF-8 or a NUL fails to encode; a failure leaves the buffer as
 * it was. Both append, so each runs on a buffer that already holds a
 * prefix. A broken promise aborts, so the fuzzer reports it.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quire/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PREFIX	"INBOX/"
#define PLEN	(sizeof PREFIX - 1)

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* The buffer holds the prefix and nothing else. */
static void
check_untouched(const struct buf *b)
{
	check(b->len == PLEN && memcmp(b->data, PREFIX, PLEN) == 0);
	check(b->data[b->len] == '\0');
}

static void
check_printable(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		check(s[i] >= 0x20 && s[i] <= 0x7e);
}

/* A valid UTF-8 name with no NUL encodes and decodes back to itself. */
static void
round_trip_utf8(const char *s, size_t n)
{
	struct buf	 enc = BUF_INIT, dec = BUF_INIT;

	buf_addstr(&enc, PREFIX);
	check(mutf7_encode(s, n, &enc) == 0);
	check(enc.data[enc.len] == '\0');
	check(memcmp(enc.data, PREFIX, PLEN) == 0);
	check_printable(enc.data + PLEN, enc.len - PLEN);
	buf_addstr(&dec, PREFIX);
	check(mutf7_decode(enc.data + PLEN, enc.len - PLEN, &dec) == 0);
	check(dec.len == PLEN + n && memcmp(dec.data + PLEN, s, n) == 0);
	buf_free(&enc);
	buf_free(&dec);
}

/* The bytes as a server's name: if they decode, they are canonical. */
static void
fuzz_decode(const char *s, size_t n)
{
	struct buf	 dec = BUF_INIT, enc = BUF_INIT;

	buf_addstr(&dec, PREFIX);
	if (mutf7_decode(s, n, &dec) == -1) {
		check_untouched(&dec);
		buf_free(&dec);
		return;
	}
	check(dec.data[dec.len] == '\0');
	check(memcmp(dec.data, PREFIX, PLEN) == 0);
	check(utf8_valid(dec.data + PLEN, dec.len - PLEN));
	check(memchr(dec.data + PLEN, '\0', dec.len - PLEN) == NULL);
	/* Only printable ASCII decodes at all. */
	check_printable(s, n);
	check(mutf7_encode(dec.data + PLEN, dec.len - PLEN, &enc) == 0);
	check(enc.len == n && (n == 0 || memcmp(enc.data, s, n) == 0));
	buf_free(&dec);
	buf_free(&enc);
}

/* The bytes as a UTF-8 name: they encode exactly when valid, NUL-free. */
static void
fuzz_encode(const char *s, size_t n)
{
	struct buf	 enc = BUF_INIT;
	bool		 valid;

	valid = utf8_valid(s, n) && memchr(s, '\0', n) == NULL;
	buf_addstr(&enc, PREFIX);
	if (!valid) {
		check(mutf7_encode(s, n, &enc) == -1);
		check_untouched(&enc);
	} else
		round_trip_utf8(s, n);
	buf_free(&enc);
}

/* The bytes made into valid UTF-8 with no NUL: every one must go round. */
static void
fuzz_clean(const char *s, size_t n)
{
	struct buf	 clean = BUF_INIT;
	uint32_t	 cp;
	size_t		 i = 0;
	char		 u[4];

	while (i < n) {
		i += utf8_decode(s + i, n - i, &cp);
		if (cp == 0)
			cp = 0x10000 + (uint32_t)i;	/* some astral plane */
		buf_add(&clean, u, utf8_encode(cp, u));
	}
	round_trip_utf8(clean.data != NULL ? clean.data : "", clean.len);
	buf_free(&clean);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;

	fuzz_decode(s, size);
	fuzz_encode(s, size);
	fuzz_clean(s, size);
	return 0;
}
