/* Unit tests: modified UTF-7 mailbox names (src/mail/mutf7.c). */
#include "config.h"

#include <string.h>

#include "quire/mail.h"
#include "unit.h"

/* Names that must map both ways: decode(mutf7) == utf8, encode(utf8) ==
 * mutf7. */
static const struct {
	const char	*mutf7;
	const char	*utf8;
} both_ways[] = {
	{ "", "" },
	{ "INBOX", "INBOX" },
	{ "Entw&APw-rfe", "Entw\xc3\xbcrfe" },
	{ "&ZeVnLIqe-", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "A&-B", "A&B" },
	{ "&-", "&" },
	{ "&-&-", "&&" },
	{ "&--", "&-" },
	{ "a-b", "a-b" },
	{ "&2D3eAA-", "\xf0\x9f\x98\x80" },
	{ "&AOnYPd4A-x", "\xc3\xa9\xf0\x9f\x98\x80x" },
	{ "x&2D3eAA-y&-", "x\xf0\x9f\x98\x80y&" },
	{ "&APwA,A-", "\xc3\xbc\xc3\xbc" },
	{ "&APw--", "\xc3\xbc-" },
	{ "&APw-&-", "\xc3\xbc&" },
	{ "&IKw-", "\xe2\x82\xac" },
	{ "&AAE-", "\x01" },
	{ "&AH8-", "\x7f" },
	{ "~peter/mail/&U,BTFw-/&ZeVnLIqe-",
	  "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/"
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "Sent Items", "Sent Items" },
	{ "[Gmail]/All Mail", "[Gmail]/All Mail" },
};

/* Server names that must not decode, and why. */
static const struct {
	const char	*mutf7;
	const char	*why;
} bad_names[] = {
	{ "Entw\xc3\xbcrfe", "8-bit byte" },
	{ "a\tb", "control character" },
	{ "a\x7f", "DEL" },
	{ "&", "lone &" },
	{ "&ZeVnLIqe", "unterminated run" },
	{ "a&APw", "unterminated run at the end" },
	{ "&Ze*nLIqe-", "character outside base64" },
	{ "&Ze/nLIqe-", "'/' is not modified base64" },
	{ "&Ze=nLIqe-", "padding" },
	{ "&A-", "a run of six bits" },
	{ "&AGE-", "run encodes 'a'" },
	{ "&AGEAYgBj-", "run encodes only ASCII" },
	{ "&AGEA5A-", "run encodes 'a' then a-umlaut" },
	{ "&ACY-", "run encodes '&'" },
	{ "&ACA-", "run encodes a space" },
	{ "&AAA-", "U+0000" },
	{ "&2D0-", "high surrogate alone" },
	{ "&3gA-", "low surrogate alone" },
	{ "&2D3YPQ-", "high surrogate then high surrogate" },
	{ "&2D0AYQ-", "high surrogate then 'a'" },
	{ "&APx-", "leftover bits not zero" },
	{ "&APwA-", "a whole spare character" },
	{ "&APw-&APw-", "two runs back to back" },
	{ "&AOnYPd4AAHg-", "a run ending in 'x'" },
};

static void
test_decode_table(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(both_ways); i++) {
		buf_reset(&b);
		assert_int_equal(mutf7_decode(both_ways[i].mutf7,
		    strlen(both_ways[i].mutf7), &b), 0);
		assert_string_equal(buf_str(&b), both_ways[i].utf8);
		assert_int_equal(b.len, strlen(both_ways[i].utf8));
	}
	buf_free(&b);
}

static void
test_encode_table(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(both_ways); i++) {
		buf_reset(&b);
		assert_int_equal(mutf7_encode(both_ways[i].utf8,
		    strlen(both_ways[i].utf8), &b), 0);
		assert_string_equal(buf_str(&b), both_ways[i].mutf7);
	}
	buf_free(&b);
}

static void
test_decode_rejects(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(bad_names); i++) {
		buf_reset(&b);
		buf_addstr(&b, "kept:");
		if (mutf7_decode(bad_names[i].mutf7,
		    strlen(bad_names[i].mutf7), &b) != -1)
			fail_msg("decoded %s (%s)", bad_names[i].mutf7,
			    bad_names[i].why);
		/* A failure leaves what was in the buffer alone. */
		assert_string_equal(buf_str(&b), "kept:");
		assert_int_equal(b.len, 5);
	}
	buf_free(&b);
}

static void
test_decode_counts_bytes(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	/* Only n bytes are read: what follows does not matter. */
	assert_int_equal(mutf7_decode("INBOX\xff", 5, &b), 0);
	assert_string_equal(buf_str(&b), "INBOX");
	buf_reset(&b);
	/* A NUL byte is not a name character. */
	assert_int_equal(mutf7_decode("IN\0BOX", 6, &b), -1);
	buf_free(&b);
}

static void
test_encode_rejects(void **state)
{
	static const struct {
		const char	*s;
		size_t		 n;
	} bad[] = {
		{ "\xff", 1 },
		{ "a\xc3", 2 },			/* cut short */
		{ "\xc0\xaf", 2 },		/* overlong '/' */
		{ "\xe6\x97", 2 },		/* cut short */
		{ "\xed\xa0\x80", 3 },		/* a surrogate */
		{ "\xf4\x90\x80\x80", 4 },	/* past U+10FFFF */
		{ "a\0b", 3 },			/* U+0000 */
	};
	struct buf	 b = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		buf_reset(&b);
		buf_addstr(&b, "kept:");
		assert_int_equal(mutf7_encode(bad[i].s, bad[i].n, &b), -1);
		assert_string_equal(buf_str(&b), "kept:");
	}
	buf_free(&b);
}

/* A fixed generator, so a failure can be replayed anywhere. */
static uint32_t
test_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* A random code point, from the ranges names are made of. */
static uint32_t
test_rand_cp(uint32_t *x)
{
	static const char	 ascii[] = "&-+,/.~ aZ09";
	uint32_t		 cp;

	switch (test_rand(x) % 6) {
	case 0:
		return (uint8_t)ascii[test_rand(x) % (sizeof ascii - 1)];
	case 1:
		return 0x20 + test_rand(x) % 0x5f;
	case 2:
		return 1 + test_rand(x) % 0x1f;		/* controls */
	case 3:
		return 0x80 + test_rand(x) % 0x780;
	case 4:
		do
			cp = 0x800 + test_rand(x) % 0xf800;
		while (cp >= 0xd800 && cp <= 0xdfff);
		return cp;
	default:
		return 0x10000 + test_rand(x) % 0x100000;
	}
}

static void
test_round_trip_random(void **state)
{
	struct buf	 in = BUF_INIT, enc = BUF_INIT, dec = BUF_INIT;
	uint32_t	 x = 20240601;
	size_t		 i, j, len;
	char		 u[4];

	(void)state;
	for (i = 0; i < 5000; i++) {
		buf_reset(&in);
		buf_reset(&enc);
		buf_reset(&dec);
		len = test_rand(&x) % 16;
		for (j = 0; j < len; j++)
			buf_add(&in, u, utf8_encode(test_rand_cp(&x), u));
		buf_add(&in, "", 0);
		assert_int_equal(mutf7_encode(in.data, in.len, &enc), 0);
		assert_int_equal(mutf7_decode(enc.data, enc.len, &dec), 0);
		assert_int_equal(dec.len, in.len);
		assert_memory_equal(dec.data, in.data, in.len);
	}
	buf_free(&in);
	buf_free(&enc);
	buf_free(&dec);
}

/*
 * The other way round: of random server names, those that decode must
 * encode back to the very same bytes, or we would send the server a name
 * for another mailbox.
 */
static void
test_decoded_names_encode_back(void **state)
{
	static const char	 b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
	struct buf		 name = BUF_INIT, dec = BUF_INIT;
	struct buf		 enc = BUF_INIT;
	uint32_t		 x = 7;
	size_t			 i, j, k, parts, runlen, decoded = 0;

	(void)state;
	for (i = 0; i < 20000; i++) {
		buf_reset(&name);
		parts = 1 + test_rand(&x) % 4;
		for (j = 0; j < parts; j++) {
			switch (test_rand(&x) % 3) {
			case 0:
				buf_addch(&name, "a-"[test_rand(&x) % 2]);
				break;
			case 1:
				buf_addstr(&name, "&-");
				break;
			default:
				buf_addch(&name, '&');
				runlen = 1 + test_rand(&x) % 8;
				for (k = 0; k < runlen; k++)
					buf_addch(&name,
					    b64[test_rand(&x) % 64]);
				buf_addch(&name, '-');
			}
		}
		buf_reset(&dec);
		if (mutf7_decode(name.data, name.len, &dec) == -1)
			continue;
		decoded++;
		buf_reset(&enc);
		assert_int_equal(mutf7_encode(dec.data, dec.len, &enc), 0);
		assert_string_equal(buf_str(&enc), name.data);
	}
	/* The generator must have reached the decoder's success path. */
	assert_true(decoded > 1000);
	buf_free(&name);
	buf_free(&dec);
	buf_free(&enc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_encode_table),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_decode_counts_bytes),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_decoded_names_encode_back),
	};

	return cmocka_run_group_tests_name("mutf7", tests, NULL, NULL);
}
