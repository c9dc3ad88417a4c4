/*
 * Unit tests: the options table (src/config/options.c), walked row by row.
 * Every option must have a case below: a valid value that sets the field,
 * an invalid one that gives one error on the option's own line, and the
 * default. A new option without a case fails test_every_option_has_a_case.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quire/config.h"
#include "unit.h"

struct opt_case {
	const char	*name;
	const char	*def;		/* the default, as printed */
	const char	*good;		/* "@CA@" stands for a readable file */
	const char	*shown;		/* good, as printed */
	const char	*bad;
	const char	*why;		/* in the error for bad */
};

static const struct opt_case cases[] = {
	{ "sort", "date-desc", "subject", "subject", "name",
	  "sort must be date, arrival, from, subject or size, each "
	  "optionally with -desc" },
	{ "layout", "split", "full", "full", "half",
	  "layout must be split or full" },
	{ "index_format", "flags date from size subject",
	  "date:12  from:20 subject", "date:12 from:20 subject", "date cc",
	  "unknown column 'cc'; the columns are flags, date, from, to, size "
	  "and subject" },
	{ "mark_read", "yes", "after 5", "after 5", "after 3601",
	  "mark_read must be yes, no, or after N (seconds from 1 to 3600)" },
	{ "prefer", "plain", "HTML", "html", "rtf",
	  "prefer must be plain or html" },
	{ "html_filter", "none", "w3m -dump -T text/html",
	  "w3m -dump -T text/html", "", "html_filter needs a value" },
	{ "save_dir", "none", "~/Downloads/mail", "/home/tester/Downloads/mail",
	  "Downloads", "save_dir must be an absolute path or start with ~/" },
	{ "body_cache_size", "200M", "1g", "1G", "65G",
	  "body_cache_size must be a size from 0 to 64G" },
	{ "search_scope", "folder", "all", "all", "everything",
	  "search_scope must be folder or all" },
	{ "fallback_charset", "windows-1252", "iso-8859-15", "iso-8859-15",
	  "no-such-charset-x", "cannot convert 'no-such-charset-x' to UTF-8" },
	{ "delete", "flag", "trash", "trash", "erase",
	  "delete must be flag or trash" },
	{ "mouse", "yes", "off", "no", "maybe", "mouse must be yes or no" },
	{ "folder_width", "24", "40", "40", "81",
	  "folder_width must be a number from 10 to 80" },
	{ "host", "imap.example.org", "mail.example.net", "mail.example.net",
	  "mail example", "host must be a host name or an IP address" },
	{ "port", "993", "1993", "1993", "65536",
	  "port must be a number from 1 to 65535" },
	{ "security", "tls", "starttls", "starttls", "ssl",
	  "security must be tls, starttls or none" },
	{ "user", "alice", "bob@example.org", "bob@example.org", "",
	  "user needs a value" },
	{ "password", "none", "\"hunter 2 # x\"", "hunter 2 # x", "",
	  "password needs a value" },
	{ "password_cmd", "true", "pass show mail", "pass show mail", "",
	  "password_cmd needs a value" },
	{ "password_cmd_timeout", "1m", "90s", "90s", "2h",
	  "password_cmd_timeout must be a duration from 1s to 1h" },
	{ "ca_file", "none", "@CA@", "@CA@", "/nonexistent/ca.pem",
	  "cannot read ca_file /nonexistent/ca.pem: No such file" },
	{ "fingerprint", "none",
	  "SHA256:000102030405060708090a0b0c0d0e0f"
	  "101112131415161718191A1B1C1D1E1F",
	  "sha256:00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:"
	  "10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F",
	  "sha256:0001", "fingerprint must be sha256: and 64 hex digits" },
	{ "allow_plaintext", "no", "true", "yes", "perhaps",
	  "allow_plaintext must be yes or no" },
	{ "timeout", "30s", "2m", "2m", "4s",
	  "timeout must be a duration from 5s to 1h" },
	{ "connect_timeout", "15s", "300", "5m", "10x",
	  "connect_timeout must be a duration from 1s to 5m" },
	{ "folder", "INBOX", "Archive/2024", "Archive/2024", "",
	  "folder needs a value" },
	{ "trash", "none", "Deleted Items", "Deleted Items", "",
	  "trash needs a value" },
};

static char ca_path[] = "/tmp/quire-test-ca-XXXXXX";

static int
setup(void **state)
{
	int	 fd;

	(void)state;
	setenv("HOME", "/home/tester", 1);
	if ((fd = mkstemp(ca_path)) == -1)
		return -1;
	if (write(fd, "-----BEGIN CERTIFICATE-----\n", 28) != 28)
		return -1;
	close(fd);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(ca_path);
	return 0;
}

static const char *
subst(const char *s)
{
	return strcmp(s, "@CA@") == 0 ? ca_path : s;
}

static const struct opt_case *
find_case(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(cases); i++) {
		if (strcmp(cases[i].name, name) == 0)
			return &cases[i];
	}
	return NULL;
}

/* A file setting one option to value, on line 1 (global) or 2 (account),
 * around the settings every account needs. */
static char *
file_with(const struct opt_def *d, const char *value)
{
	const char	*name = d->name;
	struct buf	 b = BUF_INIT;

	if (d->scope == OS_GLOBAL)
		buf_printf(&b, "%s = %s\n[account a]\n", name, value);
	else
		buf_printf(&b, "[account a]\n%s = %s\n", name, value);
	if (strcmp(name, "host") != 0)
		buf_addstr(&b, "host = imap.example.org\n");
	if (strcmp(name, "user") != 0)
		buf_addstr(&b, "user = alice\n");
	if (strcmp(name, "password") != 0 && strcmp(name, "password_cmd") != 0)
		buf_addstr(&b, "password_cmd = true\n");
	return buf_detach(&b);
}

static const void *
base_of(const struct config *cfg, const struct opt_def *d)
{
	if (d->scope == OS_GLOBAL)
		return &cfg->opt;
	assert_int_equal(cfg->naccounts, 1);
	return cfg->accounts[0];
}

static void
assert_value(const struct config *cfg, const struct opt_def *d,
    const char *want)
{
	struct buf	 b = BUF_INIT;

	config_option_value(d, base_of(cfg, d), &b);
	if (strcmp(buf_str(&b), want) != 0)
		fail_msg("%s: got '%s', want '%s'", d->name, buf_str(&b), want);
	buf_free(&b);
}

static void
test_every_option_has_a_case(void **state)
{
	const struct opt_def	*opts;
	size_t			 i, n;

	(void)state;
	opts = config_options(&n);
	assert_int_equal(n, nitems(cases));
	for (i = 0; i < n; i++) {
		if (find_case(opts[i].name) == NULL)
			fail_msg("option %s has no test case", opts[i].name);
		assert_ptr_equal(config_option(opts[i].name), &opts[i]);
		assert_non_null(opts[i].help);
	}
	assert_null(config_option("confirm_quit"));
	assert_null(config_option("no_such_option"));
}

static void
test_defaults(void **state)
{
	const struct opt_def	*opts;
	struct config		*cfg;
	size_t			 i, n;

	(void)state;
	cfg = config_parse_string("[account a]\nhost = imap.example.org\n"
	    "user = alice\npassword_cmd = true\n", "t");
	assert_int_equal(cfg->nerrors, 0);
	opts = config_options(&n);
	for (i = 0; i < n; i++)
		assert_value(cfg, &opts[i], find_case(opts[i].name)->def);
	config_free(&cfg);
	assert_null(cfg);
}

static void
test_valid_values(void **state)
{
	const struct opt_def	*opts;
	const struct opt_case	*c;
	struct config		*cfg;
	char			*text;
	size_t			 i, n;

	(void)state;
	opts = config_options(&n);
	for (i = 0; i < n; i++) {
		c = find_case(opts[i].name);
		text = file_with(&opts[i], subst(c->good));
		cfg = config_parse_string(text, "t");
		if (cfg->nerrors != 0)
			fail_msg("%s = %s: %s", c->name, c->good,
			    cfg->errors[0].msg);
		assert_value(cfg, &opts[i], subst(c->shown));
		config_free(&cfg);
		free(text);
	}
}

static void
test_invalid_values(void **state)
{
	const struct opt_def	*opts;
	const struct opt_case	*c;
	struct config		*cfg;
	char			*text;
	size_t			 i, n;

	(void)state;
	opts = config_options(&n);
	for (i = 0; i < n; i++) {
		c = find_case(opts[i].name);
		text = file_with(&opts[i], c->bad);
		cfg = config_parse_string(text, "t");
		if (cfg->nerrors != 1)
			fail_msg("%s = %s: %zu errors", c->name, c->bad,
			    cfg->nerrors);
		assert_int_equal(cfg->errors[0].line,
		    opts[i].scope == OS_GLOBAL ? 1 : 2);
		assert_string_equal(cfg->errors[0].file, "t");
		if (strstr(cfg->errors[0].msg, c->why) == NULL)
			fail_msg("%s = %s: '%s' lacks '%s'", c->name, c->bad,
			    cfg->errors[0].msg, c->why);
		config_free(&cfg);
		free(text);
	}
}

/* The fields themselves, for the types that set more than one. */
static void
test_fields(void **state)
{
	struct config	*cfg;
	const struct account *a;

	(void)state;
	cfg = config_parse_string("sort = size\nmark_read = no\n"
	    "body_cache_size = 64G\n[account a]\nhost = ::1\nuser = u\n"
	    "password_cmd = true\nsecurity = starttls\nfingerprint = sha256:"
	    "ff:FF:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:"
	    "ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:01\ntimeout = 1h\n", "t");
	assert_int_equal(cfg->nerrors, 0);
	assert_int_equal(cfg->opt.sort, SORT_SIZE);
	assert_false(cfg->opt.sort_reverse);
	assert_int_equal(cfg->opt.mark_read_delay, -1);
	assert_true(cfg->opt.body_cache_size == 64LL * 1024 * 1024 * 1024);
	a = cfg->accounts[0];
	assert_int_equal(a->security, SEC_STARTTLS);
	assert_int_equal(a->port, 143);
	assert_true(a->port_default);
	assert_true(a->has_fingerprint);
	assert_int_equal(a->fingerprint[0], 0xff);
	assert_int_equal(a->fingerprint[31], 0x01);
	assert_int_equal(a->timeout, 3600);
	assert_int_equal(a->password_cmd_timeout, 60);
	assert_null(a->trash);
	config_free(&cfg);

	cfg = config_parse_string("sort = date-desc\nmark_read = yes\n"
	    "body_cache_size = 0\n[account a]\nhost = h\nuser = u\n"
	    "password_cmd = true\nport = 10143\n", "t");
	assert_int_equal(cfg->nerrors, 0);
	assert_int_equal(cfg->opt.sort, SORT_DATE);
	assert_true(cfg->opt.sort_reverse);
	assert_int_equal(cfg->opt.mark_read_delay, 0);
	assert_true(cfg->opt.body_cache_size == 0);
	assert_int_equal(cfg->accounts[0]->port, 10143);
	assert_false(cfg->accounts[0]->port_default);
	assert_int_equal(cfg->accounts[0]->security, SEC_TLS);
	assert_int_equal(cfg->opt.folder_width, 24);
	config_free(&cfg);
}

/* Each spelling of each kind of value. */
static void
test_value_spellings(void **state)
{
	static const struct {
		const char	*line;
		const char	*name;
		const char	*shown;	/* NULL: an error */
	} rows[] = {
		{ "mouse = YES", "mouse", "yes" },
		{ "mouse = on", "mouse", "yes" },
		{ "mouse = 1", "mouse", "yes" },
		{ "mouse = false", "mouse", "no" },
		{ "mouse = 0", "mouse", "no" },
		{ "mouse = 2", "mouse", NULL },
		{ "body_cache_size = 512", "body_cache_size", "512" },
		{ "body_cache_size = 2048", "body_cache_size", "2K" },
		{ "body_cache_size = 10k", "body_cache_size", "10K" },
		{ "body_cache_size = 3M", "body_cache_size", "3M" },
		{ "body_cache_size = 1.5G", "body_cache_size", NULL },
		{ "body_cache_size = -1", "body_cache_size", NULL },
		{ "body_cache_size = 10T", "body_cache_size", NULL },
		{ "body_cache_size = 10 M", "body_cache_size", NULL },
		{ "body_cache_size = 99999999999999999999", "body_cache_size",
		  NULL },
		{ "mark_read = after 2m", "mark_read", "after 120" },
		{ "mark_read = after 0", "mark_read", NULL },
		{ "mark_read = after", "mark_read", NULL },
		{ "mark_read = later", "mark_read", NULL },
		{ "sort = from-desc", "sort", "from-desc" },
		{ "sort = -desc", "sort", NULL },
		{ "sort = date-asc", "sort", NULL },
		{ "index_format = subject:1", "index_format", "subject:1" },
		{ "index_format = subject:0", "index_format", NULL },
		{ "index_format = subject:201", "index_format", NULL },
		{ "index_format = subject:", "index_format", NULL },
		{ "index_format = \"\"", "index_format", NULL },
		{ "folder_width = 10", "folder_width", "10" },
		{ "folder_width = 9", "folder_width", NULL },
		{ "folder_width = 0x20", "folder_width", NULL },
		{ "html_filter = \"a\tb\"", "html_filter", NULL },
	};
	struct config	*cfg;
	char		*text;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		text = xasprintf("%s\n[account a]\nhost = h\nuser = u\n"
		    "password_cmd = true\n", rows[i].line);
		cfg = config_parse_string(text, "t");
		if (rows[i].shown == NULL) {
			if (cfg->nerrors != 1 || cfg->errors[0].line != 1)
				fail_msg("'%s' should give one error on line 1",
				    rows[i].line);
		} else {
			if (cfg->nerrors != 0)
				fail_msg("'%s': %s", rows[i].line,
				    cfg->errors[0].msg);
			assert_value(cfg, config_option(rows[i].name),
			    rows[i].shown);
		}
		config_free(&cfg);
		free(text);
	}
}

static void
test_durations(void **state)
{
	static const struct {
		const char	*value;
		int		 seconds;	/* -1: an error */
	} rows[] = {
		{ "5", 5 }, { "5s", 5 }, { "2m", 120 }, { "1h", 3600 },
		{ "3600s", 3600 }, { "61m", -1 }, { "4", -1 }, { "5 s", -1 },
		{ "s", -1 }, { "1d", -1 }, { "1m30s", -1 },
	};
	struct config	*cfg;
	char		*text;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		text = xasprintf("[account a]\nhost = h\nuser = u\n"
		    "password_cmd = true\ntimeout = %s\n", rows[i].value);
		cfg = config_parse_string(text, "t");
		if (rows[i].seconds == -1) {
			assert_int_equal(cfg->nerrors, 1);
			assert_int_equal(cfg->errors[0].line, 5);
		} else {
			assert_int_equal(cfg->nerrors, 0);
			assert_int_equal(cfg->accounts[0]->timeout,
			    rows[i].seconds);
		}
		config_free(&cfg);
		free(text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_option_has_a_case),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_valid_values),
		cmocka_unit_test(test_invalid_values),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_value_spellings),
		cmocka_unit_test(test_durations),
	};

	return cmocka_run_group_tests_name("config_options", tests, setup,
	    teardown);
}
