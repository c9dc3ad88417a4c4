/*
 * config: read the file, line by line, through the options table.
 *
 * Each line is a comment, a section header, a bind or color line, or
 * "name = value". Mistakes are collected with their line and the parser
 * goes on, so one run shows every mistake. Lines under a bad or duplicate
 * section header are still checked, against a scratch account that is then
 * thrown away. The checks that need a whole section (a host, a user, a way
 * to get the password, plaintext only to loopback) run after the last line,
 * using the line each option was set on to point at the right place.
 */
#include "config.h"

#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_priv.h"

/* One section as read: the global part or an [account]. */
struct section {
	struct account	*acct;		/* NULL for the global part */
	bool		 real;		/* in cfg->accounts */
	int		*lines;		/* per option: the line that set it */
};

struct parser {
	struct config	*cfg;
	const char	*file;
	bool		 shared;	/* readable by group or others */
	int		 lineno;
	struct section	 global;
	struct section	*cur;
	struct ptrarray	 sections;	/* struct section * of the accounts */
};

/* Append an error; line 0 means the file as a whole. */
void
config_add_error(struct config *cfg, const char *file, int line,
    const char *fmt, ...)
{
	struct config_error	*e;
	va_list			 ap;

	cfg->errors = xreallocarray(cfg->errors, cfg->nerrors + 1,
	    sizeof *cfg->errors);
	e = &cfg->errors[cfg->nerrors++];
	e->file = xstrdup(file != NULL ? file : "(config)");
	e->line = line;
	va_start(ap, fmt);
	e->msg = xvasprintf(fmt, ap);
	va_end(ap);
}

static void
perror_at(struct parser *p, const char *fmt, ...) QUIRE_PRINTF(2, 3);

static void
perror_at(struct parser *p, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	config_add_error(p->cfg, p->file, p->lineno, "%s", msg);
	free(msg);
}

/* The candidate closest to word, if close enough to be a typo. */
const char *
config_closest(const char *word, const char *(*name)(size_t), size_t n)
{
	size_t		 i, d, nl, best = SIZE_MAX, len = strlen(word);
	size_t		 limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	const char	*found = NULL;

	for (i = 0; i < n; i++) {
		/* Lengths further apart than the limit cannot be near; a
		 * long word costs no distance table then. */
		nl = strlen(name(i));
		if ((nl > len ? nl - len : len - nl) > limit)
			continue;
		d = str_distance(word, name(i));
		if (d < best) {
			best = d;
			found = name(i);
		}
	}
	return best <= limit ? found : NULL;
}

static struct config *
config_new(const char *path)
{
	struct config	*cfg = xcalloc(1, sizeof *cfg);

	cfg->path = path != NULL ? xstrdup(path) : NULL;
	opt_defaults(OS_GLOBAL, &cfg->opt);
	color_defaults(cfg->colors);
	return cfg;
}

static void
account_free(struct account *a)
{
	if (a == NULL)
		return;
	opt_free(OS_ACCOUNT, a);
	free(a->name);
	free(a);
}

/* Free the configuration and set *cfg to NULL. */
void
config_free(struct config **cfgp)
{
	struct config	*cfg = *cfgp;
	size_t		 i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->naccounts; i++)
		account_free(cfg->accounts[i]);
	free(cfg->accounts);
	for (i = 0; i < cfg->nerrors; i++) {
		free(cfg->errors[i].file);
		free(cfg->errors[i].msg);
	}
	free(cfg->errors);
	free(cfg->bindings);
	opt_free(OS_GLOBAL, &cfg->opt);
	free(cfg->path);
	free(cfg);
	*cfgp = NULL;
}

/* Cut the line at a # that starts a comment: at the start or after white
 * space, outside double quotes. */
static void
strip_comment(char *s)
{
	bool	 quoted = false;
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (quoted) {
			if (s[i] == '\\' && s[i + 1] != '\0')
				i++;
			else if (s[i] == '"')
				quoted = false;
		} else if (s[i] == '"')
			quoted = true;
		else if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' ||
		    s[i - 1] == '\t')) {
			s[i] = '\0';
			return;
		}
	}
}

/* Decode the quoted string at s (s[0] is '"') in place; *end is left just
 * past the closing quote. NULL and *err on a bad escape or no end. */
static char *
unquote(char *s, char **end, char **err)
{
	char	*r = s + 1, *w = s;

	for (; *r != '"'; r++) {
		if (*r == '\0') {
			*err = xstrdup("a quoted value has no closing \"; add "
			    "one");
			return NULL;
		}
		if (*r == '\\') {
			r++;
			if (*r != '"' && *r != '\\') {
				*err = xstrdup("in quotes only \\\" and \\\\ are "
				    "escapes; write \\\\ for a backslash");
				return NULL;
			}
		}
		*w++ = *r;
	}
	*w = '\0';
	*end = r + 1;
	return s;
}

/* Split s into at most max words, in place; a word may be quoted. */
static int
split_words(char *s, char **words, size_t max, size_t *n, char **err)
{
	char	*end;

	*n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			return 0;
		if (*n == max) {
			*err = xstrdup("too many words on the line");
			return -1;
		}
		if (*s == '"') {
			if ((words[*n] = unquote(s, &end, err)) == NULL)
				return -1;
			if (*end != '\0' && *end != ' ' && *end != '\t') {
				*err = xstrdup("text right after a closing \"; "
				    "put a space after it");
				return -1;
			}
		} else {
			words[*n] = s;
			end = s + strcspn(s, " \t");
		}
		(*n)++;
		if (*end == '\0')
			return 0;
		*end = '\0';
		s = end + 1;
	}
}

static struct section *
section_new(struct parser *p, struct account *a, bool real)
{
	struct section	*s = xcalloc(1, sizeof *s);
	size_t		 n;

	config_options(&n);
	s->acct = a;
	s->real = real;
	s->lines = xcalloc(n, sizeof *s->lines);
	ptrarray_push(&p->sections, s);
	return s;
}

static void
section_free(void *v)
{
	struct section	*s = v;

	if (!s->real)
		account_free(s->acct);
	free(s->lines);
	free(s);
}

static bool
valid_account_name(const char *s)
{
	const char	*c;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= '0' && *s <= '9')))
		return false;
	for (c = s; *c != '\0'; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("._-", *c) != NULL))
			return false;
	}
	return true;
}

static struct account *
find_account(const struct config *cfg, const char *name)
{
	size_t	 i;

	for (i = 0; i < cfg->naccounts; i++) {
		if (strcmp(cfg->accounts[i]->name, name) == 0)
			return cfg->accounts[i];
	}
	return NULL;
}

/* Check "[account NAME]"; NULL and an error if it is not one we take. */
static const char *
section_name(struct parser *p, char *line)
{
	char		*words[CONFIG_MAX_WORDS], *err = NULL;
	size_t		 len = strlen(line), n = 0;
	struct account	*dup;

	if (line[len - 1] != ']') {
		perror_at(p, "a section header ends with ]: [account NAME]");
		return NULL;
	}
	line[len - 1] = '\0';
	if (split_words(line + 1, words, nitems(words), &n, &err) != 0 ||
	    n == 0 || strcmp(words[0], "account") != 0) {
		perror_at(p, "unknown section [%s]; the only section is "
		    "[account NAME]", n > 0 ? words[0] : "");
		free(err);
		return NULL;
	}
	if (n != 2 || !valid_account_name(words[1])) {
		perror_at(p, "[account] needs one name of letters, digits, "
		    ". _ and -: [account NAME]");
		return NULL;
	}
	if ((dup = find_account(p->cfg, words[1])) != NULL) {
		perror_at(p, "a second [account %s] (the first is at line %d); "
		    "give each account its own name", words[1], dup->line);
		return NULL;
	}
	return words[1];
}

/* A section header: a new account, or a scratch one if the header is bad. */
static void
parse_section(struct parser *p, char *line)
{
	struct config	*cfg = p->cfg;
	struct account	*a = xcalloc(1, sizeof *a);
	const char	*name;

	opt_defaults(OS_ACCOUNT, a);
	a->line = p->lineno;
	if ((name = section_name(p, line)) == NULL) {
		a->name = xstrdup("");
		p->cur = section_new(p, a, false);
		return;
	}
	a->name = xstrdup(name);
	cfg->accounts = xreallocarray(cfg->accounts, cfg->naccounts + 1,
	    sizeof *cfg->accounts);
	cfg->accounts[cfg->naccounts++] = a;
	p->cur = section_new(p, a, true);
}

static const char *
option_name_at(size_t i)
{
	size_t	 n;

	return config_options(&n)[i].name;
}

static void
unknown_option(struct parser *p, const char *key)
{
	const char	*near;
	size_t		 n;

	config_options(&n);
	if ((near = config_closest(key, option_name_at, n)) != NULL)
		perror_at(p, "unknown option '%s'; did you mean '%s'?", key,
		    near);
	else
		perror_at(p, "unknown option '%s'; quire.conf(5) lists the "
		    "options", key);
}

/* May the option be set here, and for the first time in the section? */
static bool
option_allowed(struct parser *p, const struct opt_def *d)
{
	int	*line = &p->cur->lines[opt_index(d)];

	if (d->scope == OS_GLOBAL && p->cur != &p->global) {
		perror_at(p, "%s is a global option; move it above the first "
		    "[account] section", d->name);
		return false;
	}
	if (d->scope == OS_ACCOUNT && p->cur == &p->global) {
		perror_at(p, "%s is an account option; put it in an "
		    "[account NAME] section", d->name);
		return false;
	}
	if (*line != 0) {
		perror_at(p, "%s is set a second time in this section (first "
		    "at line %d); keep one", d->name, *line);
		return false;
	}
	*line = p->lineno;
	return true;
}

/* "name = value" */
static void
parse_assign(struct parser *p, char *line)
{
	const struct opt_def	*d;
	char			*eq, *key, *value, *end, *err = NULL;
	void			*base;

	if ((eq = strchr(line, '=')) == NULL || eq == line) {
		perror_at(p, "expected name = value, [account NAME], a bind "
		    "line or a color line");
		return;
	}
	*eq = '\0';
	key = str_trim(line);
	value = str_trim(eq + 1);
	if ((d = config_option(key)) == NULL) {
		unknown_option(p, key);
		return;
	}
	if (!option_allowed(p, d))
		return;
	if (*value == '"') {
		if (unquote(value, &end, &err) == NULL)
			goto fail;
		if (*end != '\0') {
			err = xstrdup("text after the closing \"; put all of "
			    "the value inside the quotes");
			goto fail;
		}
	}
	base = d->scope == OS_GLOBAL ? (void *)&p->cfg->opt :
	    (void *)p->cur->acct;
	if (opt_set(d, base, value, &err) == 0)
		return;
	/* Say what was written, so the line is easy to find; never a
	 * password. */
	if (strcmp(d->name, "password") != 0) {
		perror_at(p, "%s = %.60s%s: %s", d->name, value,
		    strlen(value) > 60 ? "..." : "", err);
		free(err);
		return;
	}
fail:
	perror_at(p, "%s", err);
	free(err);
}

/* "bind ..." or "color ...": words after the first. */
static void
parse_directive(struct parser *p, char *line, bool bind)
{
	char	*words[CONFIG_MAX_WORDS], *err = NULL;
	size_t	 n;
	int	 rc;

	if (split_words(line, words, nitems(words), &n, &err) == 0) {
		if (bind)
			rc = keys_parse_bind(p->cfg, words + 1, n - 1, &err);
		else
			rc = color_parse(p->cfg, words + 1, n - 1, &err);
		if (rc == 0)
			return;
	}
	perror_at(p, "%s", err);
	free(err);
}

static bool
starts_word(const char *line, const char *word)
{
	size_t	 len = strlen(word);
	const char *rest = line + len;

	if (strncmp(line, word, len) != 0 || (*rest != ' ' && *rest != '\t'))
		return false;
	rest += strspn(rest, " \t");
	return *rest != '=';
}

static void
parse_line(struct parser *p, char *line)
{
	strip_comment(line);
	line = str_trim(line);
	if (*line == '\0')
		return;
	if (*line == '[')
		parse_section(p, line);
	else if (starts_word(line, "bind"))
		parse_directive(p, line, true);
	else if (starts_word(line, "color"))
		parse_directive(p, line, false);
	else
		parse_assign(p, line);
}

/* Feed each line of text to parse_line. */
static void
parse_text(struct parser *p, const char *text, size_t len)
{
	const char	*s = text, *nl, *end = text + len;
	size_t		 n;
	char		*line;

	for (p->lineno = 1; s < end; p->lineno++, s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		n = (size_t)(nl - s);
		if (memchr(s, '\0', n) != NULL)
			perror_at(p, "the line holds a NUL byte; is this a text "
			    "file?");
		else if (n > CONFIG_MAX_LINE)
			perror_at(p, "the line is longer than %d bytes; shorten "
			    "it", CONFIG_MAX_LINE);
		else {
			line = xmemdup(s, n);
			parse_line(p, line);
			free(line);
		}
	}
}

/* The line the section set the option on, 0 if it did not. */
static int
line_of(const struct section *s, const char *name)
{
	return s->lines[opt_index(config_option(name))];
}

static void
check_password(struct parser *p, const struct section *s)
{
	const struct account	*a = s->acct;
	int			 pw = line_of(s, "password");
	int			 cmd = line_of(s, "password_cmd");

	if (pw == 0 && cmd == 0)
		config_add_error(p->cfg, p->file, a->line, "[account %s] has "
		    "no password_cmd; add password_cmd = a command that prints "
		    "the password (or password = ..., in a file only you can "
		    "read)", a->name);
	else if (pw != 0 && cmd != 0)
		config_add_error(p->cfg, p->file, pw > cmd ? pw : cmd,
		    "both password and password_cmd are set; keep one");
	if (pw != 0 && p->shared)
		config_add_error(p->cfg, p->file, pw, "this file holds a "
		    "password and others can read it; chmod 600 %s, or use "
		    "password_cmd", p->file);
}

/* The checks that need the whole section. */
static void
check_account(struct parser *p, const struct section *s)
{
	struct account	*a = s->acct;

	if (line_of(s, "host") == 0)
		config_add_error(p->cfg, p->file, a->line, "[account %s] has "
		    "no host; add host = the IMAP server's name", a->name);
	if (line_of(s, "user") == 0)
		config_add_error(p->cfg, p->file, a->line, "[account %s] has "
		    "no user; add user = your login name", a->name);
	check_password(p, s);
	/* For the password_cmd errors, which come after the file is read. */
	a->file = p->file;
	a->password_cmd_line = line_of(s, "password_cmd");
	if (a->security == SEC_NONE && a->host != NULL &&
	    !config_host_is_loopback(a->host) && !a->allow_plaintext)
		config_add_error(p->cfg, p->file, line_of(s, "security"),
		    "security = none would send the password in clear text to "
		    "%s; use tls or starttls, or set allow_plaintext = yes if "
		    "the network is private", a->host);
	if (a->port == 0) {
		a->port = a->security == SEC_TLS ? 993 : 143;
		a->port_default = true;
	}
}

/* Put the errors in line order (stable; the whole-file ones last), as the
 * section checks run after the last line. */
static int
error_rank(const struct config_error *e)
{
	return e->line == 0 ? INT_MAX : e->line;
}

static void
sort_errors(struct config *cfg)
{
	struct config_error	 e;
	size_t			 i, j;

	for (i = 1; i < cfg->nerrors; i++) {
		e = cfg->errors[i];
		for (j = i; j > 0 &&
		    error_rank(&cfg->errors[j - 1]) > error_rank(&e); j--)
			cfg->errors[j] = cfg->errors[j - 1];
		cfg->errors[j] = e;
	}
}

/* Parse the text, run the whole-file checks, and free the parser. */
static void
parse_all(struct config *cfg, const char *text, size_t len, bool shared)
{
	struct parser	 p;
	size_t		 i, n;

	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	p.file = cfg->path;
	p.shared = shared;
	config_options(&n);
	p.global.lines = xcalloc(n, sizeof *p.global.lines);
	p.cur = &p.global;
	parse_text(&p, text, len);
	for (i = 0; i < p.sections.len; i++) {
		if (((struct section *)p.sections.items[i])->real)
			check_account(&p, p.sections.items[i]);
	}
	if (cfg->naccounts == 0)
		config_add_error(cfg, p.file, 0, "add an [account NAME] "
		    "section; see quire.conf(5)");
	sort_errors(cfg);
	ptrarray_free(&p.sections, section_free);
	free(p.global.lines);
}

/* The same as config_load, from a string. */
struct config *
config_parse_string(const char *text, const char *name)
{
	struct config	*cfg = config_new(name);

	parse_all(cfg, text, strlen(text), false);
	return cfg;
}

/* Read all of fd, at most CONFIG_MAX_FILE bytes; NULL and errno on error. */
static char *
read_all(int fd, size_t *len)
{
	char	*data = xmalloc(CONFIG_MAX_FILE + 2);
	ssize_t	 r;

	*len = 0;
	while (*len <= CONFIG_MAX_FILE) {
		r = read(fd, data + *len, CONFIG_MAX_FILE + 1 - *len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			free(data);
			return NULL;
		}
		if (r == 0)
			break;
		*len += (size_t)r;
	}
	data[*len] = '\0';
	return data;
}

/* Read and check a file; always returns a config. */
struct config *
config_load(const char *path, bool must_exist)
{
	struct config	*cfg = config_new(path);
	struct stat	 st;
	char		*text = NULL;
	size_t		 len;
	int		 fd;

	if (path == NULL)
		return cfg;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT || must_exist)
			config_add_error(cfg, path, 0, "cannot read the file: "
			    "%s; check the path", strerror(errno));
		return cfg;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		config_add_error(cfg, path, 0, "not a regular file; give the "
		    "path of the configuration file");
	else if ((text = read_all(fd, &len)) == NULL)
		config_add_error(cfg, path, 0, "cannot read the file: %s",
		    strerror(errno));
	else if (len > CONFIG_MAX_FILE)
		config_add_error(cfg, path, 0, "the file is larger than %d "
		    "bytes; is it the right file?", CONFIG_MAX_FILE);
	else
		parse_all(cfg, text, len,
		    (st.st_mode & (S_IRGRP | S_IROTH)) != 0);
	free(text);
	close(fd);
	return cfg;
}

/* The default path: $XDG_CONFIG_HOME/quire/config, else under ~/.config. */
char *
config_default_path(void)
{
	const char	*xdg = getenv("XDG_CONFIG_HOME");
	const char	*home = getenv("HOME");
	struct passwd	*pw;

	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/quire/config", xdg);
	if ((home == NULL || *home != '/') &&
	    (pw = getpwuid(getuid())) != NULL)
		home = pw->pw_dir;
	if (home == NULL || *home != '/')
		return NULL;
	return xasprintf("%s/.config/quire/config", home);
}

/* The "no account" sentence shared by config_account and the report. */
char *
config_no_account_msg(const struct config *cfg)
{
	if (cfg->path == NULL)
		return xstrdup("no configuration file (HOME is not set); use "
		    "-c FILE");
	return xasprintf("%s: add an [account NAME] section; see "
	    "quire.conf(5)", cfg->path);
}

/* The account called name, or the first; NULL and *err if none. */
const struct account *
config_account(const struct config *cfg, const char *name, char **err)
{
	const struct account	*a;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	if (cfg->naccounts == 0) {
		*err = config_no_account_msg(cfg);
		return NULL;
	}
	if (name == NULL)
		return cfg->accounts[0];
	if ((a = find_account(cfg, name)) != NULL)
		return a;
	buf_printf(&b, "no account '%s' in %s; the accounts are: ", name,
	    cfg->path != NULL ? cfg->path : "the configuration");
	for (i = 0; i < cfg->naccounts; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "",
		    cfg->accounts[i]->name);
	*err = buf_detach(&b);
	return NULL;
}

/* localhost, 127.0.0.0/8 or ::1, by their spelling only. */
bool
config_host_is_loopback(const char *host)
{
	struct in_addr	 v4;
	struct in6_addr	 v6;

	if (str_eq_nocase(host, "localhost") ||
	    str_eq_nocase(host, "localhost."))
		return true;
	if (inet_pton(AF_INET, host, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &v6) == 1)
		return memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
	return false;
}
