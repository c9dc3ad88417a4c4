/*
 * Unit tests: the --check-config report (src/config/report.c). The whole
 * text for a known file, the error form, and that no secret shows.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quire/config.h"
#include "unit.h"

static const char good_text[] =
    "sort = subject\n"
    "mark_read = after 3\n"
    "bind index x delete\n"
    "bind index,pager y undelete\n"
    "color index.unread bold yellow default\n"
    "color border dim default default\n"
    "color border none default default\n"
    "[account work]\n"
    "host = imap.example.org\n"
    "user = alice@example.org\n"
    "password_cmd = pass show mail/work\n"
    "fingerprint = sha256:000102030405060708090a0b0c0d0e0f"
    "101112131415161718191a1b1c1d1e1f\n"
    "[account home]\n"
    "host = localhost\n"
    "port = 10143\n"
    "security = none\n"
    "user = me\n"
    "password = \"hunter2 secret\"\n";

static const char good_report[] =
    "configuration file: test.conf\n"
    "global options:\n"
    "  sort                  subject\n"
    "  layout                split\n"
    "  index_format          flags date from size subject\n"
    "  mark_read             after 3\n"
    "  prefer                plain\n"
    "  html_filter           none\n"
    "  save_dir              none\n"
    "  body_cache_size       200M\n"
    "  search_scope          folder\n"
    "  fallback_charset      windows-1252\n"
    "  delete                flag\n"
    "  mouse                 yes\n"
    "  folder_width          24\n"
    "account work (line 8):\n"
    "  host                  imap.example.org\n"
    "  port                  993 (from security)\n"
    "  security              tls\n"
    "  user                  alice@example.org\n"
    "  password              (from password_cmd, not run)\n"
    "  password_cmd          pass show mail/work\n"
    "  password_cmd_timeout  1m\n"
    "  ca_file               none\n"
    "  fingerprint           sha256:00:01:02:03:04:05:06:07:08:09:0A:0B:"
    "0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F\n"
    "  allow_plaintext       no\n"
    "  timeout               30s\n"
    "  connect_timeout       15s\n"
    "  folder                INBOX\n"
    "  trash                 none\n"
    "account home (line 13):\n"
    "  host                  localhost\n"
    "  port                  10143 (set in file)\n"
    "  security              none\n"
    "  user                  me\n"
    "  password              (set in file)\n"
    "  password_cmd          none\n"
    "  password_cmd_timeout  1m\n"
    "  ca_file               none\n"
    "  fingerprint           none\n"
    "  allow_plaintext       no\n"
    "  timeout               30s\n"
    "  connect_timeout       15s\n"
    "  folder                INBOX\n"
    "  trash                 none\n"
    "user bindings: 3\n"
    "user colours: 2\n"
    "configuration OK\n";

static void
test_good(void **state)
{
	struct config	*cfg;
	struct buf	 out = BUF_INIT;

	(void)state;
	cfg = config_parse_string(good_text, "test.conf");
	assert_int_equal(config_report(cfg, &out), 0);
	assert_string_equal(buf_str(&out), good_report);
	assert_null(strstr(buf_str(&out), "hunter2"));
	buf_free(&out);
	config_free(&cfg);
}

static void
test_errors(void **state)
{
	struct config	*cfg;
	struct buf	 out = BUF_INIT;
	const char	*s;

	(void)state;
	cfg = config_parse_string("mouse = perhaps\n[account]\n"
	    "folder_width = 5\n", "bad.conf");
	assert_int_equal(config_report(cfg, &out), 3);
	s = strstr(buf_str(&out), "user colours: 0\n");
	assert_non_null(s);
	assert_string_equal(s, "user colours: 0\n"
	    "bad.conf:1: mouse = perhaps: mouse must be yes or no\n"
	    "bad.conf:2: [account] needs one name of letters, digits, . _ "
	    "and -: [account NAME]\n"
	    "bad.conf:3: folder_width is a global option; move it above the "
	    "first [account] section\n"
	    "bad.conf: add an [account NAME] section; see quire.conf(5)\n"
	    "4 errors\n");
	assert_null(strstr(buf_str(&out), "configuration OK"));
	buf_free(&out);
	config_free(&cfg);
}

static void
test_one_error(void **state)
{
	struct config	*cfg;
	struct buf	 out = BUF_INIT;

	(void)state;
	cfg = config_parse_string("[account a]\nhost = h\nuser = u\n", "c");
	assert_int_equal(config_report(cfg, &out), 3);
	assert_non_null(strstr(buf_str(&out), "account a (line 1):\n"));
	assert_true(str_has_suffix(buf_str(&out), "c:1: [account a] has no "
	    "password_cmd; add password_cmd = a command that prints the "
	    "password (or password = ..., in a file only you can read)\n"
	    "1 error\n"));
	buf_free(&out);
	config_free(&cfg);
}

/* A default file that does not exist: the report says what to add. */
static void
test_no_file(void **state)
{
	struct config	*cfg;
	struct buf	 out = BUF_INIT;

	(void)state;
	cfg = config_load("/nonexistent/quire/config", false);
	assert_int_equal(cfg->nerrors, 0);
	assert_int_equal(config_report(cfg, &out), 3);
	assert_true(str_has_prefix(buf_str(&out), "configuration file: "
	    "/nonexistent/quire/config\n"));
	assert_true(str_has_suffix(buf_str(&out), "\n/nonexistent/quire/"
	    "config: add an [account NAME] section; see quire.conf(5)\n"
	    "1 error\n"));
	buf_free(&out);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_one_error),
		cmocka_unit_test(test_no_file),
	};

	return cmocka_run_group_tests_name("config_report", tests, NULL, NULL);
}
