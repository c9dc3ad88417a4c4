/*
 * Unit tests: attachment names made safe to save under
 * (src/mail/filename.c), with the names of BAD-INPUTS 26 and their kin.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quire/mail.h"
#include "unit.h"

/* The name (len bytes, or strlen when 0), the safe name, flagged. */
static const struct {
	const char	*name;
	size_t		 len;
	const char	*want;
	bool		 flagged;
} cases[] = {
	{ "report.pdf", 0, "report.pdf", false },
	{ "caf\xc3\xa9 menu.txt", 0, "caf\xc3\xa9 menu.txt", false },
	{ "../../.bashrc", 0, "bashrc", false },
	{ "/etc/passwd", 0, "passwd", false },
	{ "..\\..\\windows\\evil.bat", 0, "evil.bat", false },
	{ "a/", 0, "attachment", false },
	{ "a\0.pdf", 6, "a_.pdf", false },
	{ "evil\xe2\x80\xae" "fdp.exe", 0, "evilfdp.exe", true },
	{ "x\xe2\x81\xa6y\xe2\x81\xa9.txt", 0, "xy.txt", true },
	{ "zero\xe2\x80\x8bwidth\xef\xbb\xbf.txt", 0, "zerowidth.txt", true },
	{ "soft\xc2\xad" "hyphen", 0, "softhyphen", true },
	{ "tab\there\r\n.txt", 0, "tab_here__.txt", false },
	{ "esc\x1b[2Jx.txt", 0, "esc_[2Jx.txt", false },
	{ "c1\xc2\x9b" "x", 0, "c1_x", false },
	{ "del\x7f", 0, "del_", false },
	{ "bad\xff\xfeutf8", 0, "bad__utf8", false },
	{ "line\xe2\x80\xa8sep", 0, "line_sep", false },
	{ ".hidden", 0, "hidden", false },
	{ "...", 0, "attachment", false },
	{ "..", 0, "attachment", false },
	{ ".", 0, "attachment", false },
	{ "", 0, "attachment", false },
	{ " - -rf", 0, "rf", false },
	{ "a..b...c.txt", 0, "a.b.c.txt", false },
	{ "trailing. . ", 0, "trailing", false },
	{ "\xe2\x80\xae", 0, "attachment", true },
};

static void
test_table(void **state)
{
	char	*got;
	bool	 flagged;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		flagged = !cases[i].flagged;
		got = mail_safe_filename(cases[i].name, cases[i].len != 0 ?
		    cases[i].len : strlen(cases[i].name), &flagged);
		if (strcmp(got, cases[i].want) != 0)
			print_error("case %zu: got \"%s\"\n", i, got);
		assert_string_equal(got, cases[i].want);
		assert_int_equal(flagged, cases[i].flagged);
		free(got);
	}
	got = mail_safe_filename(NULL, 0, NULL);
	assert_string_equal(got, "attachment");
	free(got);
}

/* A 4 KB name keeps its extension within 200 bytes, cut between
 * characters. */
static void
test_long(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*got;
	size_t		 i;

	(void)state;
	for (i = 0; i < 2000; i++)
		buf_addstr(&b, "\xc3\xa9");
	buf_addstr(&b, ".pdf");
	got = mail_safe_filename(b.data, b.len, NULL);
	assert_true(strlen(got) <= 200);
	assert_true(strlen(got) >= 195);
	assert_true(str_has_suffix(got, "\xc3\xa9.pdf"));
	assert_true(utf8_valid(got, strlen(got)));
	free(got);

	buf_reset(&b);
	for (i = 0; i < 4096; i++)
		buf_addch(&b, 'a');
	buf_addstr(&b, ".this-extension-is-far-too-long-to-keep");
	got = mail_safe_filename(b.data, b.len, NULL);
	assert_int_equal(strlen(got), 200);
	assert_true(strspn(got, "a") == 200);
	free(got);

	/* The cut lands just after a dot: no ".." before the extension. */
	buf_reset(&b);
	for (i = 0; i < 197; i++)
		buf_addch(&b, 'b');
	buf_addstr(&b, ".x 644 long.t");
	got = mail_safe_filename(b.data, b.len, NULL);
	assert_null(strstr(got, ".."));
	assert_int_equal(strlen(got), 199);
	assert_true(str_has_suffix(got, "bbb.t"));
	free(got);
	buf_free(&b);
}

/* Whatever the bytes, the result is a plain basename. */
static void
test_property(void **state)
{
	static const char pool[] = { '.', '/', '\\', '\0', '\x1b', '\xe2',
	    '\x80', '\xae', '\xc3', '\xa9', 'a', '.', ' ', '-' };
	char		 in[300], *got;
	unsigned	 seed = 7;
	size_t		 i, k, n;

	(void)state;
	for (i = 0; i < 20000; i++) {
		n = (seed = seed * 1103515245 + 12345) % sizeof in;
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			in[k] = pool[(seed >> 16) % sizeof pool];
		}
		got = mail_safe_filename(in, n, NULL);
		assert_true(got[0] != '\0');
		assert_true(got[0] != '.' && got[0] != '-' && got[0] != ' ');
		assert_null(strchr(got, '/'));
		assert_null(strstr(got, ".."));
		assert_null(strchr(got, '\x1b'));
		assert_null(strstr(got, "\xe2\x80\xae"));
		assert_true(strlen(got) <= 200);
		assert_true(utf8_valid(got, strlen(got)));
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_property),
	};

	return cmocka_run_group_tests_name("safe_filename", tests, NULL,
	    NULL);
}
