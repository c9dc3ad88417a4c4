/*
 * options: the one table of options, and the parser and printer of each
 * type of value.
 *
 * The parser in config.c finds a row by name and hands the value to
 * opt_set; defaults go through the same opt_set, so a default that does not
 * parse is a bug caught at start-up. --check-config prints every row with
 * config_option_value, and the tests walk the table, so a new option needs
 * a row here and nothing else (plus its line in quire.conf(5)).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config_priv.h"

#define G(f)	offsetof(struct options, f)
#define A(f)	offsetof(struct account, f)
#define KIB	((int64_t)1024)
#define GIB	(KIB * KIB * KIB)

static const char *const sort_keys[] = {
	"date", "arrival", "from", "subject", "size", NULL
};
static const char *const layouts[] = { "split", "full", NULL };
static const char *const prefers[] = { "plain", "html", NULL };
static const char *const scopes[] = { "folder", "all", NULL };
static const char *const deletes[] = { "flag", "trash", NULL };
static const char *const securities[] = { "tls", "starttls", "none", NULL };
static const char *const columns[] = {
	"flags", "date", "from", "to", "size", "subject", NULL
};

static const struct opt_def options[] = {
	{ "sort", OT_SORT, OS_GLOBAL, "date-desc", 0, 0, sort_keys,
	  "order of the index", G(sort) },
	{ "layout", OT_ENUM, OS_GLOBAL, "split", 0, 0, layouts,
	  "pager below the index (split) or in its place (full)", G(layout) },
	{ "index_format", OT_COLUMNS, OS_GLOBAL, "flags date from size subject",
	  1, 200, columns, "columns of the index", G(index_format) },
	{ "mark_read", OT_MARK_READ, OS_GLOBAL, "yes", 1, 3600, NULL,
	  "mark a message read when it is opened", G(mark_read_delay) },
	{ "prefer", OT_ENUM, OS_GLOBAL, "plain", 0, 0, prefers,
	  "which part of a multipart/alternative to show", G(prefer) },
	{ "html_filter", OT_STRING, OS_GLOBAL, NULL, 0, 0, NULL,
	  "command that turns HTML into text (none: built-in)",
	  G(html_filter) },
	{ "save_dir", OT_PATH, OS_GLOBAL, NULL, 0, 0, NULL,
	  "where attachments are saved (none: ~/Downloads or ~)",
	  G(save_dir) },
	{ "body_cache_size", OT_SIZE, OS_GLOBAL, "200M", 0, 64 * GIB, NULL,
	  "disk space for cached message bodies", G(body_cache_size) },
	{ "search_scope", OT_ENUM, OS_GLOBAL, "folder", 0, 0, scopes,
	  "what / searches: the folder or all folders", G(search_scope) },
	{ "fallback_charset", OT_CHARSET, OS_GLOBAL, "windows-1252", 0, 0,
	  NULL, "charset of text that declares none or a wrong one",
	  G(fallback_charset) },
	{ "delete", OT_ENUM, OS_GLOBAL, "flag", 0, 0, deletes,
	  "d marks \\Deleted (flag) or moves to the trash folder (trash)",
	  G(delete_mode) },
	{ "mouse", OT_BOOL, OS_GLOBAL, "yes", 0, 0, NULL,
	  "clicks and the wheel select and scroll", G(mouse) },
	{ "folder_width", OT_INT, OS_GLOBAL, "24", 10, 80, NULL,
	  "columns of the folder list", G(folder_width) },

	{ "host", OT_HOST, OS_ACCOUNT, NULL, 0, 0, NULL,
	  "the IMAP server (required)", A(host) },
	{ "port", OT_INT, OS_ACCOUNT, NULL, 1, 65535, NULL,
	  "the server's port (none: 993 with tls, 143 otherwise)", A(port) },
	{ "security", OT_ENUM, OS_ACCOUNT, "tls", 0, 0, securities,
	  "implicit TLS, STARTTLS, or none (loopback only)", A(security) },
	{ "user", OT_STRING, OS_ACCOUNT, NULL, 0, 0, NULL,
	  "the login name (required)", A(user) },
	{ "password", OT_STRING, OS_ACCOUNT, NULL, 0, 0, NULL,
	  "the password, in a file only its owner can read", A(password) },
	{ "password_cmd", OT_STRING, OS_ACCOUNT, NULL, 0, 0, NULL,
	  "shell command whose first line of output is the password",
	  A(password_cmd) },
	{ "password_cmd_timeout", OT_DURATION, OS_ACCOUNT, "60s", 1, 3600,
	  NULL, "how long password_cmd may run", A(password_cmd_timeout) },
	{ "ca_file", OT_FILE, OS_ACCOUNT, NULL, 0, 0, NULL,
	  "PEM file of extra trusted certificate authorities", A(ca_file) },
	{ "fingerprint", OT_FINGERPRINT, OS_ACCOUNT, NULL, 0, 0, NULL,
	  "SHA-256 pin of the server's certificate", A(fingerprint) },
	{ "allow_plaintext", OT_BOOL, OS_ACCOUNT, "no", 0, 0, NULL,
	  "allow security = none to a host that is not loopback",
	  A(allow_plaintext) },
	{ "timeout", OT_DURATION, OS_ACCOUNT, "30s", 5, 3600, NULL,
	  "how long to wait for the server", A(timeout) },
	{ "connect_timeout", OT_DURATION, OS_ACCOUNT, "15s", 1, 300, NULL,
	  "how long to wait for DNS and the connection",
	  A(connect_timeout) },
	{ "folder", OT_STRING, OS_ACCOUNT, "INBOX", 0, 0, NULL,
	  "the folder opened first", A(folder) },
	{ "trash", OT_STRING, OS_ACCOUNT, NULL, 0, 0, NULL,
	  "the trash folder (none: the \\Trash special-use folder)",
	  A(trash) },
};

#define FIELD(base, d, type) ((type *)(void *)((char *)(base) + (d)->offset))
#define CFIELD(base, d, type) \
	((const type *)(const void *)((const char *)(base) + (d)->offset))

/* The table, in documentation order. */
const struct opt_def *
config_options(size_t *n)
{
	*n = nitems(options);
	return options;
}

/* The option called name, or NULL. */
const struct opt_def *
config_option(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(options); i++) {
		if (strcmp(options[i].name, name) == 0)
			return &options[i];
	}
	return NULL;
}

/* Index of d in the table, for per-option arrays. */
size_t
opt_index(const struct opt_def *d)
{
	return (size_t)(d - options);
}

/* yes/no/true/false/on/off/1/0, in any case. */
bool
opt_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	 i;

	for (i = 0; i < nitems(yes); i++) {
		if (str_eq_nocase(s, yes[i])) {
			*out = true;
			return true;
		}
		if (str_eq_nocase(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* A run of decimal digits, capped well below overflow; *end after it. */
static bool
parse_digits(const char *s, const char **end, int64_t *out)
{
	int64_t	 v = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > INT64_MAX / 100)
			return false;
		v = v * 10 + (*s - '0');
	}
	*end = s;
	*out = v;
	return true;
}

/* N, Ns, Nm or Nh, in seconds. */
static bool
parse_duration(const char *s, int64_t *out)
{
	const char	*end;
	int64_t		 v, unit = 1;

	if (!parse_digits(s, &end, &v))
		return false;
	if (*end == 's')
		end++;
	else if (*end == 'm') {
		unit = 60;
		end++;
	} else if (*end == 'h') {
		unit = 3600;
		end++;
	}
	if (*end != '\0' || v > INT64_MAX / unit)
		return false;
	*out = v * unit;
	return true;
}

static void
format_duration(int64_t v, struct buf *out)
{
	if (v != 0 && v % 3600 == 0)
		buf_printf(out, "%lldh", (long long)(v / 3600));
	else if (v != 0 && v % 60 == 0)
		buf_printf(out, "%lldm", (long long)(v / 60));
	else
		buf_printf(out, "%llds", (long long)v);
}

/* Bytes, or with a K, M or G suffix (powers of 1024). */
static bool
parse_size(const char *s, int64_t *out)
{
	const char	*end;
	int64_t		 v, mult = 1;

	if (!parse_digits(s, &end, &v))
		return false;
	if (*end != '\0') {
		if ((*end | 0x20) == 'k')
			mult = KIB;
		else if ((*end | 0x20) == 'm')
			mult = KIB * KIB;
		else if ((*end | 0x20) == 'g')
			mult = GIB;
		else
			return false;
		if (end[1] != '\0')
			return false;
	}
	if (v > INT64_MAX / mult)
		return false;
	*out = v * mult;
	return true;
}

static void
format_size(int64_t v, struct buf *out)
{
	static const char units[] = "KMG";
	int	 i = -1;

	while (i < 2 && v != 0 && v % KIB == 0) {
		v /= KIB;
		i++;
	}
	buf_printf(out, "%lld", (long long)v);
	if (i >= 0)
		buf_addch(out, units[i]);
}

static int
choice_index(const char *const *choices, const char *s)
{
	int	 i;

	for (i = 0; choices[i] != NULL; i++) {
		if (str_eq_nocase(choices[i], s))
			return i;
	}
	return -1;
}

/* "a, b or c" */
static void
list_choices(const char *const *choices, const char *last, struct buf *out)
{
	size_t	 i;

	for (i = 0; choices[i] != NULL; i++) {
		if (i > 0)
			buf_addstr(out, choices[i + 1] == NULL ? last : ", ");
		buf_addstr(out, choices[i]);
	}
}

static char *
bad_choice(const struct opt_def *d, const char *what)
{
	struct buf	 b = BUF_INIT;

	buf_printf(&b, "%s must be %s", d->name, what);
	list_choices(d->choices, " or ", &b);
	return buf_detach(&b);
}

static char *
bad_range(const struct opt_def *d, const char *kind,
    void (*fmt)(int64_t, struct buf *), const char *example)
{
	struct buf	 b = BUF_INIT;

	buf_printf(&b, "%s must be %s from ", d->name, kind);
	fmt(d->min, &b);
	buf_addstr(&b, " to ");
	fmt(d->max, &b);
	if (example != NULL)
		buf_printf(&b, ", such as %s", example);
	return buf_detach(&b);
}

static void
format_int(int64_t v, struct buf *out)
{
	buf_printf(out, "%lld", (long long)v);
}

/* Each word NAME or NAME:WIDTH, NAME one of the columns. */
static int
set_columns(const struct opt_def *d, char **field, const char *value,
    char **err)
{
	char		*copy, *rest, *w, *colon;
	struct buf	 norm = BUF_INIT;
	long		 width;

	rest = copy = xstrdup(value);
	while ((w = str_next_word(&rest)) != NULL) {
		if ((colon = strchr(w, ':')) != NULL)
			*colon++ = '\0';
		if (choice_index(d->choices, w) == -1) {
			struct buf b = BUF_INIT;

			buf_printf(&b, "%s: unknown column '%s'; the columns "
			    "are ", d->name, w);
			list_choices(d->choices, " and ", &b);
			buf_addstr(&b, ", each optionally with :WIDTH");
			*err = buf_detach(&b);
			goto fail;
		}
		if (colon != NULL && !str_to_long(colon, d->min, d->max,
		    &width)) {
			*err = xasprintf("%s: the width of %s must be a number "
			    "from %lld to %lld", d->name, w,
			    (long long)d->min, (long long)d->max);
			goto fail;
		}
		buf_printf(&norm, "%s%s", norm.len > 0 ? " " : "", w);
		if (colon != NULL)
			buf_printf(&norm, ":%ld", width);
	}
	free(copy);
	free(*field);
	*field = buf_detach(&norm);
	return 0;
fail:
	free(copy);
	buf_free(&norm);
	return -1;
}

/* yes: at once (0); no: never (-1); after N: N seconds. */
static int
set_mark_read(const struct opt_def *d, int *field, const char *value,
    char **err)
{
	bool	 b;
	int64_t	 v;

	if (opt_parse_bool(value, &b)) {
		*field = b ? 0 : -1;
		return 0;
	}
	if (str_has_prefix(value, "after ")) {
		value += strlen("after ");
		while (*value == ' ' || *value == '\t')
			value++;
		if (parse_duration(value, &v) && v >= d->min && v <= d->max) {
			*field = (int)v;
			return 0;
		}
	}
	*err = xasprintf("%s must be yes, no, or after N (seconds from "
	    "%lld to %lld)", d->name, (long long)d->min, (long long)d->max);
	return -1;
}

static int
set_sort(const struct opt_def *d, void *base, const char *value,
    char **err)
{
	struct options	*o = base;
	char		*key = xstrdup(value);
	size_t		 len = strlen(key);
	bool		 reverse = false;
	int		 i;

	if (len > 5 && str_has_suffix(key, "-desc")) {
		key[len - 5] = '\0';
		reverse = true;
	}
	i = choice_index(d->choices, key);
	free(key);
	if (i == -1) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "%s must be ", d->name);
		list_choices(d->choices, " or ", &b);
		buf_addstr(&b, ", each optionally with -desc (date-desc: "
		    "newest first)");
		*err = buf_detach(&b);
		return -1;
	}
	o->sort = (enum sort_key)i;
	o->sort_reverse = reverse;
	return 0;
}

/* sha256:HEX, 32 bytes, colons anywhere between the digits. */
static int
set_fingerprint(const struct opt_def *d, void *base, const char *value,
    char **err)
{
	struct account	*a = base;
	uint8_t		 fp[32];
	size_t		 n = 0;
	int		 hi = -1, v;

	if (strncasecmp(value, "sha256:", 7) != 0)
		goto bad;
	for (value += 7; *value != '\0'; value++) {
		if (*value == ':')
			continue;
		if ((v = str_hexval((unsigned char)*value)) == -1 || n == 32)
			goto bad;
		if (hi == -1)
			hi = v;
		else {
			fp[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (n != 32 || hi != -1)
		goto bad;
	memcpy(a->fingerprint, fp, sizeof fp);
	a->has_fingerprint = true;
	return 0;
bad:
	*err = xasprintf("%s must be sha256: and 64 hex digits (colons "
	    "allowed), as openssl x509 -noout -fingerprint -sha256 prints",
	    d->name);
	return -1;
}

static int
set_host(const struct opt_def *d, char **field, const char *value,
    char **err)
{
	const char	*p;

	for (p = value; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(".-_:%", *p) != NULL)) {
			*err = xasprintf("%s must be a host name or an IP "
			    "address, such as imap.example.org", d->name);
			return -1;
		}
	}
	free(*field);
	*field = xstrdup(value);
	return 0;
}

/* An absolute path, or ~/ for the home directory; a file must be readable. */
static int
set_path(const struct opt_def *d, char **field, const char *value,
    char **err)
{
	const char	*home = getenv("HOME"), *why = NULL;
	char		*path;
	struct stat	 st;

	if (value[0] == '~' && (value[1] == '/' || value[1] == '\0')) {
		if (home == NULL || *home != '/') {
			*err = xasprintf("%s starts with ~ but HOME is not set; "
			    "write the whole path", d->name);
			return -1;
		}
		path = xasprintf("%s%s", home, value + 1);
	} else if (value[0] == '/')
		path = xstrdup(value);
	else {
		*err = xasprintf("%s must be an absolute path or start with ~/",
		    d->name);
		return -1;
	}
	if (d->type == OT_FILE) {
		if (stat(path, &st) != 0 || access(path, R_OK) != 0)
			why = strerror(errno);
		else if (!S_ISREG(st.st_mode))
			why = "not a regular file";
	}
	if (why != NULL) {
		*err = xasprintf("cannot read %s %s: %s; fix the path or remove "
		    "the line", d->name, path, why);
		free(path);
		return -1;
	}
	free(*field);
	*field = path;
	return 0;
}

static int
set_charset(const struct opt_def *d, char **field, const char *value,
    char **err)
{
	iconv_t	 cd;

	if (strlen(value) > 64 ||
	    (cd = iconv_open("UTF-8", value)) == (iconv_t)-1) {
		*err = xasprintf("%s: this system cannot convert '%s' to "
		    "UTF-8; use a charset such as windows-1252 or iso-8859-1",
		    d->name, value);
		return -1;
	}
	iconv_close(cd);
	free(*field);
	*field = xstrdup(value);
	return 0;
}

static int
set_number(const struct opt_def *d, void *base, const char *value,
    char **err)
{
	int64_t	 v;
	long	 l;

	switch (d->type) {
	case OT_INT:
		if (!str_to_long(value, (long)d->min, (long)d->max, &l)) {
			*err = bad_range(d, "a number", format_int, NULL);
			return -1;
		}
		*FIELD(base, d, int) = (int)l;
		return 0;
	case OT_DURATION:
		if (!parse_duration(value, &v) || v < d->min || v > d->max) {
			*err = bad_range(d, "a duration", format_duration,
			    "30s or 2m");
			return -1;
		}
		*FIELD(base, d, int) = (int)v;
		return 0;
	default:
		if (!parse_size(value, &v) || v < d->min || v > d->max) {
			*err = bad_range(d, "a size", format_size, "200M");
			return -1;
		}
		*FIELD(base, d, int64_t) = v;
		return 0;
	}
}

/* Parse value into the option's field; see config_priv.h. */
int
opt_set(const struct opt_def *d, void *base, const char *value, char **err)
{
	const char	*p;
	bool		 b;
	int		 i;

	if (*value == '\0') {
		*err = xasprintf("%s needs a value; write one, or remove the "
		    "line for the default", d->name);
		return -1;
	}
	for (p = value; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			*err = xasprintf("%s holds a control character; "
			    "remove it", d->name);
			return -1;
		}
	}
	switch (d->type) {
	case OT_BOOL:
		if (!opt_parse_bool(value, &b)) {
			*err = xasprintf("%s must be yes or no", d->name);
			return -1;
		}
		*FIELD(base, d, bool) = b;
		return 0;
	case OT_INT:
	case OT_DURATION:
	case OT_SIZE:
		return set_number(d, base, value, err);
	case OT_ENUM:
		if ((i = choice_index(d->choices, value)) == -1) {
			*err = bad_choice(d, "");
			return -1;
		}
		*FIELD(base, d, int) = i;
		return 0;
	case OT_STRING:
		free(*FIELD(base, d, char *));
		*FIELD(base, d, char *) = xstrdup(value);
		return 0;
	case OT_HOST:
		return set_host(d, FIELD(base, d, char *), value, err);
	case OT_PATH:
	case OT_FILE:
		return set_path(d, FIELD(base, d, char *), value, err);
	case OT_FINGERPRINT:
		return set_fingerprint(d, base, value, err);
	case OT_SORT:
		return set_sort(d, base, value, err);
	case OT_COLUMNS:
		return set_columns(d, FIELD(base, d, char *), value, err);
	case OT_MARK_READ:
		return set_mark_read(d, FIELD(base, d, int), value, err);
	case OT_CHARSET:
		return set_charset(d, FIELD(base, d, char *), value, err);
	}
	fatal("option %s has no type", d->name);
}

static bool
is_string(enum opt_type t)
{
	return t == OT_STRING || t == OT_HOST || t == OT_PATH ||
	    t == OT_FILE || t == OT_COLUMNS || t == OT_CHARSET;
}

/* Set every option of the scope to its default. */
void
opt_defaults(enum opt_scope scope, void *base)
{
	size_t	 i;
	char	*err = NULL;

	for (i = 0; i < nitems(options); i++) {
		if (options[i].scope != scope || options[i].def == NULL)
			continue;
		if (opt_set(&options[i], base, options[i].def, &err) != 0)
			fatal("bad default for %s: %s", options[i].name, err);
	}
}

/* Free the strings of the scope's options; overwritten, as one is a
 * password. */
void
opt_free(enum opt_scope scope, void *base)
{
	size_t	 i;

	for (i = 0; i < nitems(options); i++) {
		if (options[i].scope == scope && is_string(options[i].type)) {
			xfree_secret(*FIELD(base, &options[i], char *));
			*FIELD(base, &options[i], char *) = NULL;
		}
	}
}

static void
format_fingerprint(const struct account *a, struct buf *out)
{
	size_t	 i;

	buf_addstr(out, "sha256:");
	for (i = 0; i < sizeof a->fingerprint; i++)
		buf_printf(out, "%s%02X", i > 0 ? ":" : "", a->fingerprint[i]);
}

static void
format_mark_read(int v, struct buf *out)
{
	if (v < 0)
		buf_addstr(out, "no");
	else if (v == 0)
		buf_addstr(out, "yes");
	else
		buf_printf(out, "after %d", v);
}

/* Write the value as the file would take it. */
void
config_option_value(const struct opt_def *d, const void *base,
    struct buf *out)
{
	const struct options	*o = base;
	const char		*s;

	switch (d->type) {
	case OT_BOOL:
		buf_addstr(out, *CFIELD(base, d, bool) ? "yes" : "no");
		break;
	case OT_INT:
		buf_printf(out, "%d", *CFIELD(base, d, int));
		break;
	case OT_DURATION:
		format_duration(*CFIELD(base, d, int), out);
		break;
	case OT_SIZE:
		format_size(*CFIELD(base, d, int64_t), out);
		break;
	case OT_ENUM:
		buf_addstr(out, d->choices[*CFIELD(base, d, int)]);
		break;
	case OT_SORT:
		buf_printf(out, "%s%s", d->choices[o->sort],
		    o->sort_reverse ? "-desc" : "");
		break;
	case OT_MARK_READ:
		format_mark_read(*CFIELD(base, d, int), out);
		break;
	case OT_FINGERPRINT:
		if (((const struct account *)base)->has_fingerprint)
			format_fingerprint(base, out);
		else
			buf_addstr(out, "none");
		break;
	default:
		s = *CFIELD(base, d, char *);
		buf_addstr(out, s != NULL ? s : "none");
		break;
	}
}
