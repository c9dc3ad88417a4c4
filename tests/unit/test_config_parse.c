/*
 * Unit tests: reading the file (src/config/config.c). The syntax, every
 * error the parser reports with its exact line, the checks that need a
 * whole section, loading from disk, and picking an account.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quire/config.h"
#include "unit.h"

/* The lines every account needs, after [account a] on line 1. */
#define ACCT	"[account a]\nhost = imap.example.org\nuser = alice\n" \
		"password_cmd = pass mail\n"

struct err_case {
	const char	*text;
	int		 line;		/* of the one error expected */
	const char	*msg;		/* a part of its message */
};

static char dir[] = "/tmp/quire-test-parse-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char	*cmd;
	int	 rc;

	(void)state;
	cmd = xasprintf("rm -rf '%s'", dir);
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static char *
write_file(const char *name, const char *text, mode_t mode)
{
	char	*path = xasprintf("%s/%s", dir, name);
	FILE	*f;

	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void
assert_one_error(const struct err_case *c)
{
	struct config	*cfg = config_parse_string(c->text, "conf");
	size_t		 i;

	if (cfg->nerrors != 1) {
		for (i = 0; i < cfg->nerrors; i++)
			print_message("# %d: %s\n", cfg->errors[i].line,
			    cfg->errors[i].msg);
		fail_msg("%zu errors, want 1, for:\n%s", cfg->nerrors,
		    c->text);
	}
	if (cfg->errors[0].line != c->line)
		fail_msg("error on line %d, want %d: %s", cfg->errors[0].line,
		    c->line, cfg->errors[0].msg);
	if (strstr(cfg->errors[0].msg, c->msg) == NULL)
		fail_msg("'%s' lacks '%s'", cfg->errors[0].msg, c->msg);
	assert_string_equal(cfg->errors[0].file, "conf");
	config_free(&cfg);
}

static void
test_minimal(void **state)
{
	struct config		*cfg;
	const struct account	*a;

	(void)state;
	cfg = config_parse_string(ACCT, "conf");
	assert_int_equal(cfg->nerrors, 0);
	assert_int_equal(cfg->naccounts, 1);
	a = cfg->accounts[0];
	assert_string_equal(a->name, "a");
	assert_string_equal(a->host, "imap.example.org");
	assert_string_equal(a->user, "alice");
	assert_string_equal(a->password_cmd, "pass mail");
	assert_null(a->password);
	assert_int_equal(a->port, 993);
	assert_int_equal(a->line, 1);
	assert_string_equal(cfg->path, "conf");
	config_free(&cfg);
}

/* Comments, quotes, white space and line ends. */
static void
test_syntax(void **state)
{
	static const struct {
		const char	*line;		/* sets password_cmd */
		const char	*value;
	} rows[] = {
		{ "password_cmd = pass mail # the store", "pass mail" },
		{ "password_cmd = pass mail\t# tab first", "pass mail" },
		{ "password_cmd = pass ma#il", "pass ma#il" },
		{ "password_cmd = \"pass # mail\" # c", "pass # mail" },
		{ "password_cmd = \"a \\\"b\\\" \\\\c\"", "a \"b\" \\c" },
		{ "password_cmd = echo \"a # b\"", "echo \"a # b\"" },
		{ "  password_cmd\t=\tx y  ", "x y" },
		{ "password_cmd=x", "x" },
		{ "password_cmd = a = b", "a = b" },
		{ "password_cmd = \"  padded  \"", "  padded  " },
		{ "password_cmd = x\r", "x" },
	};
	struct config	*cfg;
	char		*text;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		text = xasprintf("# comment\n\n   # indented\n[account a] "
		    "# c\nhost = h\nuser = u\n%s\n", rows[i].line);
		cfg = config_parse_string(text, "conf");
		if (cfg->nerrors != 0)
			fail_msg("%s: %s", rows[i].line, cfg->errors[0].msg);
		assert_string_equal(cfg->accounts[0]->password_cmd,
		    rows[i].value);
		config_free(&cfg);
		free(text);
	}
}

static void
test_syntax_errors(void **state)
{
	static const struct err_case cases[] = {
		{ ACCT "just some words\n", 5, "expected name = value" },
		{ ACCT "= value\n", 5, "expected name = value" },
		{ ACCT "folder = \"INBOX\n", 5, "no closing \"" },
		{ ACCT "folder = \"a\\nb\"\n", 5, "only \\\" and \\\\ are "
		  "escapes" },
		{ ACCT "folder = \"a\" b\n", 5, "text after the closing \"" },
		{ ACCT "folder = \"\"\n", 5, "folder needs a value" },
		{ ACCT "bind index \"x\n", 5, "no closing \"" },
		{ ACCT "bind index \"x\"y delete\n", 5, "put a space after" },
		{ "[account a\n" ACCT, 1, "ends with ]" },
		{ "[]\n" ACCT, 1, "unknown section []" },
		{ "[server x]\n" ACCT, 1, "unknown section [server]; the only "
		  "section is [account NAME]" },
		{ "[account]\n" ACCT, 1, "[account] needs one name" },
		{ "[account two words]\n" ACCT, 1, "[account] needs one name" },
		{ "[account a/b]\n" ACCT, 1, "[account] needs one name" },
		{ "[account .x]\n" ACCT, 1, "[account] needs one name" },
		{ ACCT "[account a]\n", 5, "a second [account a] (the first is "
		  "at line 1)" },
		{ ACCT "folder = x\nfolder = y\n", 6, "folder is set a second "
		  "time in this section (first at line 5); keep one" },
		{ "mouse = no\nmouse = yes\n" ACCT, 2, "first at line 1" },
		{ ACCT "mouse = no\n", 5, "mouse is a global option; move it "
		  "above the first [account] section" },
		{ "host = h\n" ACCT, 1, "host is an account option; put it in "
		  "an [account NAME] section" },
		{ ACCT "hots = h\n", 5, "unknown option 'hots'; did you mean "
		  "'host'?" },
		{ ACCT "pasword_cmd = h\n", 5, "did you mean 'password_cmd'?" },
		{ ACCT "frobnicate = 1\n", 5, "unknown option 'frobnicate'; "
		  "quire.conf(5) lists the options" },
		{ ACCT "confirm_quit = yes\n", 5, "unknown option" },
		{ ACCT "bind = x\n", 5, "unknown option 'bind'" },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++)
		assert_one_error(&cases[i]);
}

/* The checks that run on a whole section. */
static void
test_section_errors(void **state)
{
	static const struct err_case cases[] = {
		{ "[account a]\nuser = u\npassword_cmd = x\n", 1,
		  "[account a] has no host; add host =" },
		{ "[account a]\nhost = h\npassword_cmd = x\n", 1,
		  "[account a] has no user; add user =" },
		{ "[account a]\nhost = h\nuser = u\n", 1,
		  "[account a] has no password_cmd" },
		{ "[account a]\nhost = h\nuser = u\npassword_cmd = x\n"
		  "password = y\n", 5, "both password and password_cmd are "
		  "set; keep one" },
		{ "[account a]\nhost = h\nuser = u\npassword = y\n"
		  "password_cmd = x\n", 5, "both password and password_cmd" },
		{ "[account a]\nhost = mail.example.org\nsecurity = none\n"
		  "user = u\npassword_cmd = x\n", 3, "security = none would "
		  "send the password in clear text to mail.example.org; use "
		  "tls or starttls, or set allow_plaintext = yes" },
		{ "[account a]\nhost = 128.0.0.1\nsecurity = none\n"
		  "user = u\npassword_cmd = x\n", 3, "clear text" },
		{ "[account a]\nhost = ::2\nsecurity = none\n"
		  "user = u\npassword_cmd = x\n", 3, "clear text" },
		{ "[account a]\nhost = localhost.example.org\n"
		  "security = none\nuser = u\npassword_cmd = x\n", 3,
		  "clear text" },
		{ "", 0, "add an [account NAME] section; see quire.conf(5)" },
		{ "# only a comment\nmouse = no\n", 0, "add an [account NAME]" },
		{ "[acount a]\nhost = h\nuser = u\npassword_cmd = x\n", 1,
		  "unknown section [acount]" },
	};
	static const char *const plain_ok[] = {
		"localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "::1",
	};
	struct config	*cfg;
	char		*text;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(cases) - 1; i++)
		assert_one_error(&cases[i]);
	/* A bad header's lines are still checked, but it is no account. */
	cfg = config_parse_string(cases[i].text, "conf");
	assert_int_equal(cfg->nerrors, 2);
	assert_int_equal(cfg->errors[0].line, 1);
	assert_int_equal(cfg->errors[1].line, 0);
	assert_int_equal(cfg->naccounts, 0);
	config_free(&cfg);
	for (i = 0; i < nitems(plain_ok); i++) {
		text = xasprintf("[account a]\nhost = %s\nsecurity = none\n"
		    "user = u\npassword_cmd = x\n", plain_ok[i]);
		cfg = config_parse_string(text, "conf");
		assert_int_equal(cfg->nerrors, 0);
		assert_int_equal(cfg->accounts[0]->port, 143);
		config_free(&cfg);
		free(text);
	}
	cfg = config_parse_string("[account a]\nhost = mail.example.org\n"
	    "security = none\nallow_plaintext = yes\nuser = u\n"
	    "password_cmd = x\n", "conf");
	assert_int_equal(cfg->nerrors, 0);
	config_free(&cfg);
}

/* Every mistake is reported, in line order, and parsing goes on. */
static void
test_errors_collected(void **state)
{
	static const int lines[] = { 1, 2, 3, 5, 6, 6, 8, 9 };
	struct config	*cfg;
	size_t		 i;

	(void)state;
	cfg = config_parse_string(
	    "sort = sideways\n"			/* 1 */
	    "mouse maybe\n"			/* 2 */
	    "[account]\n"			/* 3 */
	    "host = h\n"			/* 4: in a scratch section */
	    "port = 0\n"			/* 5 */
	    "[account b]\n"			/* 6: no host, no password */
	    "user = u\n"			/* 7 */
	    "folder_width = 30\n"		/* 8 */
	    "bind index x nothing\n",		/* 9 */
	    "conf");
	assert_int_equal(cfg->nerrors, nitems(lines));
	for (i = 0; i < nitems(lines); i++)
		assert_int_equal(cfg->errors[i].line, lines[i]);
	assert_non_null(strstr(cfg->errors[4].msg, "has no host"));
	assert_non_null(strstr(cfg->errors[5].msg, "has no password_cmd"));
	assert_int_equal(cfg->naccounts, 1);
	assert_string_equal(cfg->accounts[0]->name, "b");
	config_free(&cfg);
}

static void
test_accounts(void **state)
{
	struct config		*cfg;
	const struct account	*a;
	char			*err = NULL;

	(void)state;
	cfg = config_parse_string(ACCT "bind index x delete\n"
	    "[account work-2]\nhost = h2\nport = 1143\nsecurity = starttls\n"
	    "user = u\npassword_cmd = x\n[account Home.mail]\nhost = h3\n"
	    "user = u\npassword_cmd = x\nsecurity = none\nallow_plaintext = 1\n",
	    "my.conf");
	assert_int_equal(cfg->nerrors, 0);
	assert_int_equal(cfg->naccounts, 3);
	assert_int_equal(cfg->nbindings, 1);
	assert_string_equal(config_account(cfg, NULL, &err)->name, "a");
	a = config_account(cfg, "work-2", &err);
	assert_non_null(a);
	assert_int_equal(a->port, 1143);
	assert_false(a->port_default);
	assert_int_equal(a->line, 6);
	a = config_account(cfg, "Home.mail", &err);
	assert_int_equal(a->port, 143);
	assert_true(a->port_default);
	assert_null(config_account(cfg, "home", &err));
	assert_string_equal(err, "no account 'home' in my.conf; the accounts "
	    "are: a, work-2, Home.mail");
	free(err);
	config_free(&cfg);
	config_free(&cfg);		/* NULL is fine */
}

static void
test_load_file(void **state)
{
	struct config	*cfg;
	char		*path, *text;

	(void)state;
	path = write_file("ok", ACCT "password = x\n", 0600);
	cfg = config_load(path, true);
	/* Both password and password_cmd: one error, on line 5. */
	assert_int_equal(cfg->nerrors, 1);
	assert_int_equal(cfg->errors[0].line, 5);
	assert_string_equal(cfg->errors[0].file, path);
	config_free(&cfg);
	free(path);

	text = xstrdup("[account a]\r\nhost = h\r\nuser = u\r\n"
	    "password = \"p w\"\r\n");
	path = write_file("crlf", text, 0600);
	cfg = config_load(path, true);
	assert_int_equal(cfg->nerrors, 0);
	assert_string_equal(cfg->accounts[0]->password, "p w");
	assert_string_equal(cfg->path, path);
	config_free(&cfg);
	free(path);
	free(text);
}

static void
test_load_shared_password(void **state)
{
	static const mode_t modes[] = { 0640, 0604, 0644 };
	struct config	*cfg;
	char		*path, *want;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(modes); i++) {
		path = write_file("shared", "[account a]\nhost = h\nuser = u\n"
		    "password = secret\n", modes[i]);
		cfg = config_load(path, true);
		assert_int_equal(cfg->nerrors, 1);
		assert_int_equal(cfg->errors[0].line, 4);
		want = xasprintf("chmod 600 %s, or use password_cmd", path);
		assert_non_null(strstr(cfg->errors[0].msg, want));
		assert_null(strstr(cfg->errors[0].msg, "secret"));
		free(want);
		config_free(&cfg);
		free(path);
	}
	/* Readable by others is fine without a password in it. */
	path = write_file("shared", ACCT, 0644);
	cfg = config_load(path, true);
	assert_int_equal(cfg->nerrors, 0);
	config_free(&cfg);
	free(path);
}

static void
test_load_missing(void **state)
{
	struct config	*cfg;
	char		*path, *err = NULL, *want;

	(void)state;
	path = xasprintf("%s/nonexistent", dir);
	/* An explicit -c FILE: an error naming the file and the reason. */
	cfg = config_load(path, true);
	assert_int_equal(cfg->nerrors, 1);
	assert_int_equal(cfg->errors[0].line, 0);
	assert_string_equal(cfg->errors[0].file, path);
	assert_non_null(strstr(cfg->errors[0].msg, strerror(ENOENT)));
	config_free(&cfg);
	/* The default file: no error until an account is wanted. */
	cfg = config_load(path, false);
	assert_int_equal(cfg->nerrors, 0);
	assert_int_equal(cfg->naccounts, 0);
	assert_null(config_account(cfg, NULL, &err));
	want = xasprintf("%s: add an [account NAME] section; see "
	    "quire.conf(5)", path);
	assert_string_equal(err, want);
	free(want);
	free(err);
	assert_int_equal(cfg->opt.folder_width, 24);
	config_free(&cfg);
	free(path);
	/* A directory is not a file, even as the default. */
	cfg = config_load(dir, false);
	assert_int_equal(cfg->nerrors, 1);
	assert_non_null(strstr(cfg->errors[0].msg, "not a regular file"));
	config_free(&cfg);
}

static void
test_load_bad_bytes(void **state)
{
	static const char nul[] = ACCT "folder = a\0b\n";
	struct config	*cfg;
	struct buf	 b = BUF_INIT;
	char		*path;
	FILE		*f;
	int		 i;

	(void)state;
	path = xasprintf("%s/nul", dir);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(nul, 1, sizeof nul - 1, f), sizeof nul - 1);
	fclose(f);
	cfg = config_load(path, true);
	assert_int_equal(cfg->nerrors, 1);
	assert_int_equal(cfg->errors[0].line, 5);
	assert_non_null(strstr(cfg->errors[0].msg, "NUL byte"));
	config_free(&cfg);
	free(path);

	buf_addstr(&b, ACCT "folder = ");
	for (i = 0; i < 5000; i++)
		buf_addch(&b, 'x');
	buf_addstr(&b, "\nfolder_width = 3\n");
	cfg = config_parse_string(buf_str(&b), "conf");
	assert_int_equal(cfg->nerrors, 2);
	assert_int_equal(cfg->errors[0].line, 5);
	assert_non_null(strstr(cfg->errors[0].msg, "longer than 4096"));
	assert_int_equal(cfg->errors[1].line, 6);
	config_free(&cfg);
	buf_free(&b);
}

static void
test_ca_file(void **state)
{
	struct config	*cfg;
	char		*path, *text;

	(void)state;
	path = write_file("ca.pem", "pem\n", 0600);
	text = xasprintf(ACCT "ca_file = %s\n", path);
	cfg = config_parse_string(text, "conf");
	assert_int_equal(cfg->nerrors, 0);
	assert_string_equal(cfg->accounts[0]->ca_file, path);
	config_free(&cfg);
	free(text);
	if (geteuid() != 0) {
		/* root reads anything; the mode test needs a user. */
		assert_int_equal(chmod(path, 0), 0);
		text = xasprintf(ACCT "ca_file = %s\n", path);
		cfg = config_parse_string(text, "conf");
		assert_int_equal(cfg->nerrors, 1);
		assert_int_equal(cfg->errors[0].line, 5);
		config_free(&cfg);
		free(text);
	}
	text = xasprintf(ACCT "ca_file = %s\n", dir);
	cfg = config_parse_string(text, "conf");
	assert_int_equal(cfg->nerrors, 1);
	assert_int_equal(cfg->errors[0].line, 5);
	assert_non_null(strstr(cfg->errors[0].msg, "not a regular file"));
	config_free(&cfg);
	free(text);
	free(path);
}

static void
test_loopback(void **state)
{
	static const struct {
		const char	*host;
		bool		 loopback;
	} rows[] = {
		{ "localhost", true }, { "LocalHost", true },
		{ "localhost.", true }, { "127.0.0.1", true },
		{ "127.1.2.3", true }, { "::1", true },
		{ "0:0:0:0:0:0:0:1", true }, { "128.0.0.1", false },
		{ "126.255.255.255", false }, { "::2", false },
		{ "localhost.evil.org", false }, { "127.0.0.1.nip.io", false },
		{ "127.1", false }, { "", false }, { "0.0.0.0", false },
		{ "::", false }, { "imap.example.org", false },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		if (config_host_is_loopback(rows[i].host) != rows[i].loopback)
			fail_msg("%s", rows[i].host);
	}
}

static void
test_default_path(void **state)
{
	char	*p;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	setenv("HOME", "/home/t", 1);
	assert_string_equal(p = config_default_path(), "/x/conf/quire/config");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	assert_string_equal(p = config_default_path(),
	    "/home/t/.config/quire/config");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	assert_string_equal(p = config_default_path(),
	    "/home/t/.config/quire/config");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_section_errors),
		cmocka_unit_test(test_errors_collected),
		cmocka_unit_test(test_accounts),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_load_shared_password),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_load_bad_bytes),
		cmocka_unit_test(test_ca_file),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests_name("config_parse", tests, setup,
	    teardown);
}
