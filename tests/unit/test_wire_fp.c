/*
 * Unit tests: certificate fingerprints as the wire prints them in its
 * errors and as a pin is written (src/net/tls.c).
 */
#include "config.h"

#include <string.h>

#include "quire/net.h"
#include "unit.h"

static const uint8_t fp_bytes[WIRE_PIN_LEN] = {
	0x00, 0x01, 0x0a, 0x10, 0x7f, 0x80, 0xab, 0xcd,
	0xef, 0xff, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
	0xde, 0xf0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
	0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
};

#define FP_TEXT	"sha256:00:01:0A:10:7F:80:AB:CD:EF:FF:12:34:56:78:9A:BC:" \
		"DE:F0:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE"

static void
test_fp_format(void **state)
{
	char	out[WIRE_FP_STRLEN];

	(void)state;
	memset(out, '#', sizeof out);
	wire_fingerprint_format(fp_bytes, out);
	assert_string_equal(out, FP_TEXT);
	assert_int_equal(strlen(out) + 1, WIRE_FP_STRLEN);
}

static void
test_fp_parse_good(void **state)
{
	static const char *const good[] = {
		FP_TEXT,
		"SHA256:00010a107f80abcdefff123456789abcdef0112233445566778899"
		    "aabbccddee",
		"sha256:00:010A:107F80ABCDEFFF123456789ABCDEF011223344556677"
		    "8899AABBCCDDEE",
	};
	uint8_t	fp[WIRE_PIN_LEN];
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(good); i++) {
		memset(fp, 0x5a, sizeof fp);
		assert_int_equal(wire_fingerprint_parse(good[i], fp), 0);
		assert_memory_equal(fp, fp_bytes, sizeof fp);
	}
}

static void
test_fp_parse_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"sha256:",
		"00:01:0A:10:7F:80:AB:CD:EF:FF:12:34:56:78:9A:BC:DE:F0:11:22:"
		    "33:44:55:66:77:88:99:AA:BB:CC:DD:EE",	/* no prefix */
		"sha1:00:01:0A:10",
		FP_TEXT ":FF",				/* 33 bytes */
		FP_TEXT "F",				/* odd digits */
		"sha256:00:01:0A:10:7F:80:AB:CD:EF:FF:12:34:56:78:9A:BC:DE:"
		    "F0:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD",  /* 31 */
		"sha256:G0:01:0A:10:7F:80:AB:CD:EF:FF:12:34:56:78:9A:BC:DE:"
		    "F0:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE",
		"sha256: 00:01:0A:10:7F:80:AB:CD:EF:FF:12:34:56:78:9A:BC:DE:"
		    "F0:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE",
	};
	uint8_t	fp[WIRE_PIN_LEN];
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		memset(fp, 0x5a, sizeof fp);
		if (wire_fingerprint_parse(bad[i], fp) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(fp[0], 0x5a);
	}
}

static void
test_fp_round_trip(void **state)
{
	uint8_t	in[WIRE_PIN_LEN], out[WIRE_PIN_LEN];
	char	text[WIRE_FP_STRLEN];
	int	i, round;

	(void)state;
	for (round = 0; round < 256; round++) {
		for (i = 0; i < WIRE_PIN_LEN; i++)
			in[i] = (uint8_t)(round * 31 + i * 7);
		wire_fingerprint_format(in, text);
		assert_int_equal(wire_fingerprint_parse(text, out), 0);
		assert_memory_equal(in, out, sizeof in);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fp_format),
		cmocka_unit_test(test_fp_parse_good),
		cmocka_unit_test(test_fp_parse_bad),
		cmocka_unit_test(test_fp_round_trip),
	};

	return cmocka_run_group_tests_name("wire_fp", tests, NULL, NULL);
}
