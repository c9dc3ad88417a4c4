/*
 * conn: open, secure and log in one IMAP connection, and close it without
 * waiting on a dead peer.
 *
 * The order is the point (DESIGN.md 4, BAD-INPUTS.md 8-11). The wire
 * connects and, for implicit TLS, verifies the certificate before libetpan
 * reads a byte. The greeting is judged before anything is sent: a BYE,
 * garbage, or PREAUTH on a link that should be encrypted ends it there.
 * STARTTLS is asked only when offered, the upgrade is refused when the
 * server sent anything behind its OK, and everything learned before TLS is
 * forgotten (capabilities are asked again). Credentials go out last, after
 * the user name is checked for line breaks: AUTHENTICATE PLAIN (one line
 * with SASL-IR) when offered, else LOGIN. We build AUTHENTICATE ourselves
 * rather than through libetpan's Cyrus SASL path, which copies the
 * password into buffers it never wipes.
 *
 * The wire traces the conversation and redacts the credentials; libetpan's
 * logger and mailstream_debug stay off (LIBETPAN.md 14). We never send
 * ESEARCH, THREAD, STATUS SIZE or COMPRESS (LIBETPAN.md 10, 13).
 *
 * Each failure gets a sentence saying what happened and what to do, and a
 * class: CONN_RETRY when the network or the server may recover, CONN_FATAL
 * when only the user can fix it (certificate, password, a server that will
 * not encrypt). Server text in a sentence goes through safe_text first.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap_priv.h"

#define CONN_STREAM_BUF	8192
#define CONN_LOGOUT_MS	2000	/* how long LOGOUT waits for the reply */
#define CONN_TEXT_MAX	300	/* bytes of server text in a sentence */

_Static_assert(sizeof(((struct account *)0)->fingerprint) == WIRE_PIN_LEN,
    "the config's pin and the wire's differ in size");

static const struct {
	const char	*name;
	unsigned	 bit;
} conn_cap_names[] = {
	{ "IDLE",		CAP_IDLE },
	{ "CONDSTORE",		CAP_CONDSTORE },
	{ "QRESYNC",		CAP_QRESYNC },
	{ "UIDPLUS",		CAP_UIDPLUS },
	{ "MOVE",		CAP_MOVE },
	{ "SORT",		CAP_SORT },
	{ "SPECIAL-USE",	CAP_SPECIAL_USE },
	{ "LITERAL+",		CAP_LITERALPLUS },
	{ "ENABLE",		CAP_ENABLE },
	{ "STARTTLS",		CAP_STARTTLS },
	{ "LOGINDISABLED",	CAP_LOGINDISABLED },
	{ "AUTH=PLAIN",		CAP_AUTH_PLAIN },
	{ "SASL-IR",		CAP_SASL_IR },
	{ "NAMESPACE",		CAP_NAMESPACE },
	{ "LIST-STATUS",	CAP_LIST_STATUS },
	{ "ESEARCH",		CAP_ESEARCH },
};
/* The first entries are the ones --check-account answers yes or no for. */
#define CONN_CAPS_SHOWN	8

/* Where conn_open() is, and how it failed. */
struct conn_open {
	const struct conn_params *p;
	struct conn		*c;
	enum conn_fail		 fail;
	char			*err;
};

static int
open_fail(struct conn_open *op, enum conn_fail how, const char *fmt, ...)
    QUIRE_PRINTF(3, 4);

/* Record the first failure; returns -1 for the caller to pass on. */
static int
open_fail(struct conn_open *op, enum conn_fail how, const char *fmt, ...)
{
	va_list	ap;

	if (op->err == NULL) {
		va_start(ap, fmt);
		op->err = xvasprintf(fmt, ap);
		va_end(ap);
		op->fail = how;
	}
	return -1;
}

/* The same for a libetpan error in the middle of what. */
static int
open_fail_r(struct conn_open *op, int r, const char *what)
{
	enum conn_fail	 f;
	char		*e;

	e = conn_error(op->c, r, what, &f);
	open_fail(op, f == CONN_OK ? CONN_RETRY : f, "%s", e);
	free(e);
	return -1;
}

static void
conn_wipe(void *p, size_t n)
{
	volatile unsigned char	*v = p;

	while (n-- > 0)
		*v++ = 0;
}

/* The server's last response text, safe to show and cut short. */
static char *
conn_server_text(const struct conn *c)
{
	const char	*t = c->imap != NULL ? c->imap->imap_response : NULL;
	size_t		 n;

	if (t == NULL || *t == '\0')
		return xstrdup("(no text)");
	n = strlen(t);
	return safe_strdup(t, n > CONN_TEXT_MAX ? CONN_TEXT_MAX : n, NULL);
}

/* The text of a BYE libetpan read before the connection ended (it is
 * left in the line buffer, since the response never completed); NULL
 * when there was none. */
static char *
conn_bye_text(const struct conn *c)
{
	const MMAPString	*b = c->imap != NULL ?
				    c->imap->imap_stream_buffer : NULL;
	const char		*p, *end;

	if (b == NULL || b->str == NULL)
		return NULL;
	for (p = b->str; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncasecmp(p, "* BYE ", 6) != 0)
			continue;
		p += 6;
		end = p + strcspn(p, "\r\n");
		if (end - p > CONN_TEXT_MAX)
			end = p + CONN_TEXT_MAX;
		return safe_strdup(p, (size_t)(end - p), NULL);
	}
	return NULL;
}

/* Forget the last response text; see imap_priv.h. */
void
conn_clear_text(struct conn *c)
{
	if (c->imap == NULL)
		return;
	if (c->imap->imap_response_buffer != NULL)
		mmap_string_truncate(c->imap->imap_response_buffer, 0);
	c->imap->imap_response = NULL;
}

/* A libetpan error code as a sentence; see imap_priv.h. */
const char *
conn_strerror(int r)
{
	switch (r) {
	case MAILIMAP_NO_ERROR:
	case MAILIMAP_NO_ERROR_AUTHENTICATED:
	case MAILIMAP_NO_ERROR_NON_AUTHENTICATED:
		return "no error";
	case MAILIMAP_ERROR_BAD_STATE:
		return "the command does not fit the session's state";
	case MAILIMAP_ERROR_STREAM:
		return "the connection broke";
	case MAILIMAP_ERROR_PARSE:
		return "the server's answer could not be parsed";
	case MAILIMAP_ERROR_MEMORY:
		return "out of memory";
	case MAILIMAP_ERROR_FATAL:
		return "the server ended the session";
	case MAILIMAP_ERROR_PROTOCOL:
		return "the server answered BAD or out of turn";
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION:
		return "the server refused the connection";
	case MAILIMAP_ERROR_LOGIN:
		return "the server refused the login";
	case MAILIMAP_ERROR_STARTTLS:
		return "the server refused STARTTLS";
	default:
		return "the server refused the command";
	}
}

/* What a libetpan error means for the connection; see imap_priv.h. */
char *
conn_error(struct conn *c, int r, const char *what, enum conn_fail *fail)
{
	const char	*why;
	char		*text, *msg;

	*fail = CONN_RETRY;
	switch (r) {
	case MAILIMAP_ERROR_STREAM:
		c->broken = true;
		why = c->wire != NULL ? wire_error(c->wire) : NULL;
		if ((text = conn_bye_text(c)) != NULL) {
			msg = xasprintf("%s failed: the server ended the "
			    "session (BYE): %s", what, text);
			free(text);
			return msg;
		}
		return xasprintf("%s failed: %s", what,
		    why != NULL ? why : conn_strerror(r));
	case MAILIMAP_ERROR_PARSE:
	case MAILIMAP_ERROR_MEMORY:
		c->broken = true;
		return xasprintf("%s failed: %s", what, conn_strerror(r));
	case MAILIMAP_ERROR_FATAL:
	case MAILIMAP_ERROR_PROTOCOL:
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION:
		c->broken = true;
		break;
	case MAILIMAP_ERROR_BAD_STATE:
		*fail = CONN_FATAL;
		return xasprintf("%s failed: %s", what, conn_strerror(r));
	default:
		*fail = CONN_OK;	/* a NO: the connection is fine */
		break;
	}
	text = conn_server_text(c);
	msg = xasprintf("%s failed: %s: %s", what, conn_strerror(r), text);
	free(text);
	return msg;
}

/* ---- capabilities ---- */

static unsigned
conn_caps_parse(const struct mailimap_capability_data *cd)
{
	const struct mailimap_capability	*cap;
	clistiter				*it;
	unsigned				 caps = 0;
	size_t					 i;

	if (cd == NULL || cd->cap_list == NULL)
		return 0;
	for (it = clist_begin(cd->cap_list); it != NULL; it = clist_next(it)) {
		cap = clist_content(it);
		if (cap->cap_type == MAILIMAP_CAPABILITY_AUTH_TYPE) {
			if (cap->cap_data.cap_auth_type != NULL &&
			    strcasecmp(cap->cap_data.cap_auth_type,
			    "PLAIN") == 0)
				caps |= CAP_AUTH_PLAIN;
			continue;
		}
		if (cap->cap_data.cap_name == NULL)
			continue;
		for (i = 0; i < nitems(conn_cap_names); i++)
			if (strcasecmp(cap->cap_data.cap_name,
			    conn_cap_names[i].name) == 0)
				caps |= conn_cap_names[i].bit;
	}
	return caps;
}

/* The capability list libetpan kept from the last response code or
 * CAPABILITY answer; NULL when none came. */
static struct mailimap_capability_data *
conn_caps_stored(const struct conn *c)
{
	if (c->imap->imap_connection_info == NULL)
		return NULL;
	return c->imap->imap_connection_info->imap_capability;
}

/* Forget what the server said about itself: after STARTTLS nothing from
 * before counts (BAD-INPUTS.md 10), and before login so that a CAPABILITY
 * code in the login reply can be told from an old one. */
static void
conn_caps_forget(struct conn *c)
{
	struct mailimap_connection_info	*ci = c->imap->imap_connection_info;

	if (ci != NULL && ci->imap_capability != NULL) {
		mailimap_capability_data_free(ci->imap_capability);
		ci->imap_capability = NULL;
	}
	c->caps = 0;
}

/* Write the capabilities as words, for --check-account; see imap_priv.h. */
void
conn_caps_describe(unsigned caps, struct buf *out)
{
	size_t	i;
	bool	other = false;

	for (i = 0; i < CONN_CAPS_SHOWN; i++)
		buf_printf(out, "  %-13s %s\n", conn_cap_names[i].name,
		    (caps & conn_cap_names[i].bit) != 0 ? "yes" : "no");
	for (; i < nitems(conn_cap_names); i++) {
		if ((caps & conn_cap_names[i].bit) == 0)
			continue;
		buf_printf(out, "%s%s", other ? " " : "  also:        ",
		    conn_cap_names[i].name);
		other = true;
	}
	if (other)
		buf_addch(out, '\n');
}

/* ---- commands of our own ---- */

/* libetpan cannot parse a tagged NO or BAD without text ("7 NO"),
 * which RFC 3501 does not allow but servers send (BAD-INPUTS.md 12). The
 * line is whole in its buffer after the parse error: true when it is our
 * tag's NO or BAD, so the caller can take it as a refusal. */
static bool
conn_bare_no(const struct conn *c)
{
	const MMAPString	*b = c->imap->imap_stream_buffer;
	const char		*line, *p;
	char			 tag[16];
	size_t			 n;

	if (b == NULL || b->str == NULL || b->len < 2)
		return false;
	n = b->len - 2;			/* the last line, without its CRLF */
	if (b->str[n] != '\r' || b->str[n + 1] != '\n')
		return false;
	for (line = b->str + n; line > b->str && line[-1] != '\n'; line--)
		;
	snprintf(tag, sizeof tag, "%d ", c->imap->imap_tag);
	if (strncmp(line, tag, strlen(tag)) != 0)
		return false;
	p = line + strlen(tag);
	if (strncasecmp(p, "NO", 2) != 0 && strncasecmp(p, "BAD", 3) != 0)
		return false;
	p += toupper((unsigned char)*p) == 'N' ? 2 : 3;
	return p == b->str + n || *p == ' ';
}

/* Read one tagged response to the command just sent (the first line may
 * already be in libetpan's buffer when have_line). NO is
 * MAILIMAP_ERROR_CUSTOM_COMMAND. */
static int
conn_response(struct conn *c, bool have_line)
{
	struct mailimap_response	*rsp = NULL;
	int				 r, code;

	if (!have_line && mailimap_read_line(c->imap) == NULL)
		return MAILIMAP_ERROR_STREAM;
	r = mailimap_parse_response(c->imap, &rsp);
	if (r == MAILIMAP_ERROR_PARSE && conn_bare_no(c)) {
		conn_clear_text(c);
		return MAILIMAP_ERROR_CUSTOM_COMMAND;
	}
	if (r != MAILIMAP_NO_ERROR)
		return r;
	code = rsp->rsp_resp_done->rsp_data.rsp_tagged->rsp_cond_state->rsp_type;
	mailimap_response_free(rsp);
	return code == MAILIMAP_RESP_COND_STATE_OK ? MAILIMAP_NO_ERROR :
	    MAILIMAP_ERROR_CUSTOM_COMMAND;
}

/* Send n bytes and CRLF, and flush. */
static int
conn_send_line(struct conn *c, const char *line, size_t n)
{
	mailstream	*st = c->imap->imap_stream;

	if (mailstream_write(st, line, n) != (ssize_t)n ||
	    mailstream_write(st, "\r\n", 2) != 2 || mailstream_flush(st) == -1)
		return MAILIMAP_ERROR_STREAM;
	return MAILIMAP_NO_ERROR;
}

/* Send "TAG line" and read the tagged reply. For the commands libetpan
 * gets wrong (a CAPABILITY answer without the list crashes
 * mailimap_capability()) or does not have. */
static int
conn_command(struct conn *c, const char *line)
{
	int	r;

	conn_clear_text(c);
	if ((r = mailimap_send_current_tag(c->imap)) != MAILIMAP_NO_ERROR)
		return r;
	if ((r = conn_send_line(c, line, strlen(line))) != MAILIMAP_NO_ERROR)
		return r;
	return conn_response(c, false);
}

/* Ask CAPABILITY and set c->caps from the answer. */
static int
conn_ask_caps(struct conn *c)
{
	int	r;

	conn_caps_forget(c);
	if ((r = conn_command(c, "CAPABILITY")) != MAILIMAP_NO_ERROR)
		return r;
	if (conn_caps_stored(c) == NULL)
		log_warn("the server answered CAPABILITY without the list");
	c->caps = conn_caps_parse(conn_caps_stored(c));
	return MAILIMAP_NO_ERROR;
}

/* Ask CAPABILITY again and refresh c->caps; see imap_priv.h. */
int
conn_refresh_caps(struct conn *c, char **err)
{
	enum conn_fail	f;
	int		r;

	*err = NULL;
	if ((r = conn_ask_caps(c)) == MAILIMAP_NO_ERROR)
		return 0;
	*err = conn_error(c, r, "CAPABILITY", &f);
	return -1;
}

/* The caps the last response carried, else ask for them. */
static int
conn_caps_current(struct conn *c)
{
	if (conn_caps_stored(c) != NULL) {
		c->caps = conn_caps_parse(conn_caps_stored(c));
		return MAILIMAP_NO_ERROR;
	}
	return conn_ask_caps(c);
}

/* ---- login ---- */

static void
conn_base64(struct buf *out, const unsigned char *p, size_t n)
{
	static const char	 b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t		 v;
	size_t			 i;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		buf_addch(out, b64[v >> 18 & 63]);
		buf_addch(out, b64[v >> 12 & 63]);
		buf_addch(out, b64[v >> 6 & 63]);
		buf_addch(out, b64[v & 63]);
	}
	if (i < n) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		buf_addch(out, b64[v >> 18 & 63]);
		buf_addch(out, b64[v >> 12 & 63]);
		buf_addch(out, i + 1 < n ? b64[v >> 6 & 63] : '=');
		buf_addch(out, '=');
	}
}

/* libetpan keeps what it sent in its write buffer: wipe the credentials. */
static void
conn_wipe_sent(struct conn *c)
{
	mailstream	*st = c->imap->imap_stream;

	if (st != NULL && st->write_buffer != NULL)
		conn_wipe(st->write_buffer, st->buffer_max_size);
}

/* The second step without SASL-IR: wait for "+", then send the response. */
static int
conn_auth_continue(struct conn *c, const char *resp, size_t n)
{
	const char	*line;
	int		 r;

	if ((line = mailimap_read_line(c->imap)) == NULL)
		return MAILIMAP_ERROR_STREAM;
	if (line[0] != '+')
		return conn_response(c, true);	/* NO or BAD at once */
	if ((r = conn_send_line(c, resp, n)) != MAILIMAP_NO_ERROR)
		return r;
	return conn_response(c, false);
}

/* AUTHENTICATE PLAIN (RFC 4616), with the response on the command line
 * when the server has SASL-IR (RFC 4959). Sized up front so that no
 * realloc leaves a copy of the password behind. */
static int
conn_auth_plain(struct conn *c, const char *user, const char *pw)
{
	struct buf	 raw = BUF_INIT, line = BUF_INIT;
	size_t		 n = strlen(user) + strlen(pw) + 2, cmd;
	int		 r;

	buf_grow(&raw, n + 1);
	buf_grow(&line, 32 + (n + 2) / 3 * 4);
	buf_addch(&raw, '\0');
	buf_addstr(&raw, user);
	buf_addch(&raw, '\0');
	buf_addstr(&raw, pw);
	buf_addstr(&line, "AUTHENTICATE PLAIN");
	cmd = line.len;
	if ((c->caps & CAP_SASL_IR) != 0)
		buf_addch(&line, ' ');
	conn_base64(&line, (const unsigned char *)raw.data, raw.len);

	r = mailimap_send_current_tag(c->imap);
	if (r == MAILIMAP_NO_ERROR && (c->caps & CAP_SASL_IR) != 0) {
		if ((r = conn_send_line(c, line.data, line.len)) ==
		    MAILIMAP_NO_ERROR)
			r = conn_response(c, false);
	} else if (r == MAILIMAP_NO_ERROR) {
		if ((r = conn_send_line(c, line.data, cmd)) ==
		    MAILIMAP_NO_ERROR)
			r = conn_auth_continue(c, line.data + cmd,
			    line.len - cmd);
	}
	conn_wipe(raw.data, raw.cap);
	conn_wipe(line.data, line.cap);
	buf_free(&raw);
	buf_free(&line);
	return r;
}

/* The checks before a credential leaves. */
static int
open_login_allowed(struct conn_open *op, const char *user, const char *pw)
{
	struct conn	*c = op->c;

	if (!wire_is_tls(c->wire) && (c->caps & CAP_LOGINDISABLED) != 0)
		return open_fail(op, CONN_FATAL, "the server does not allow "
		    "logging in on an unencrypted connection (LOGINDISABLED); "
		    "set security = starttls or security = tls");
	if (*user == '\0')
		return open_fail(op, CONN_FATAL, "the account has no user "
		    "name; set user in its section");
	if (str_has_crlfnul(user, strlen(user)))
		return open_fail(op, CONN_FATAL, "the user name holds a line "
		    "break, which would end the command; fix user");
	if (str_has_crlfnul(pw, strlen(pw)))
		return open_fail(op, CONN_FATAL, "the password holds a line "
		    "break; check password_cmd (only its first line counts)");
	return 0;
}

static int
open_login(struct conn_open *op)
{
	struct conn	*c = op->c;
	const char	*user = op->p->acct->user != NULL ?
			    op->p->acct->user : "";
	const char	*pw = op->p->password != NULL ? op->p->password : "";
	char		*text;
	unsigned	 caps = c->caps;
	int		 r;

	if (c->preauth) {
		c->auth = "PREAUTH";
		return 0;
	}
	if (open_login_allowed(op, user, pw) == -1)
		return -1;
	conn_caps_forget(c);
	c->caps = caps;
	conn_clear_text(c);
	if ((caps & CAP_AUTH_PLAIN) != 0) {
		c->auth = "AUTHENTICATE PLAIN";
		r = conn_auth_plain(c, user, pw);
		if (r == MAILIMAP_NO_ERROR)
			c->imap->imap_state = MAILIMAP_STATE_AUTHENTICATED;
	} else {
		c->auth = "LOGIN";
		r = mailimap_login(c->imap, user, pw);
		if (r == MAILIMAP_ERROR_PARSE && conn_bare_no(c)) {
			conn_clear_text(c);
			r = MAILIMAP_ERROR_LOGIN;
		}
	}
	conn_wipe_sent(c);
	if (r == MAILIMAP_ERROR_LOGIN || r == MAILIMAP_ERROR_CUSTOM_COMMAND) {
		text = conn_server_text(c);
		open_fail(op, CONN_FATAL, "the server refused the login for "
		    "%s: %s; check user and password_cmd", user, text);
		free(text);
		return -1;
	}
	if (r != MAILIMAP_NO_ERROR)
		return open_fail_r(op, r, c->auth);
	return 0;
}

/* ---- opening ---- */

static int
conn_ms(int seconds)
{
	if (seconds <= 0)
		return 0;		/* the wire's default */
	return seconds > INT_MAX / 1000 ? INT_MAX : seconds * 1000;
}

static void
conn_wire_opts(const struct conn_params *p, struct wire_opts *o)
{
	const struct account	*a = p->acct;

	memset(o, 0, sizeof *o);
	o->host = a->host;
	o->port = a->port;
	switch (a->security) {
	case SEC_TLS:
		o->tls = WIRE_TLS_IMPLICIT;
		break;
	case SEC_STARTTLS:
		o->tls = WIRE_TLS_STARTTLS;
		break;
	case SEC_NONE:
		o->tls = WIRE_TLS_NONE;
		break;
	}
	o->ca_file = a->ca_file;
	o->has_pin = a->has_fingerprint;
	memcpy(o->pin, a->fingerprint, WIRE_PIN_LEN);
	o->connect_timeout_ms = conn_ms(a->connect_timeout);
	o->read_timeout_ms = conn_ms(a->timeout);
	o->trace = p->trace;
}

/* A wire failure is for the user to fix when a certificate, the CA file
 * or the server's STARTTLS framing is at fault; the network may recover
 * from the rest (refused, DNS, timeout, reset). */
static enum conn_fail
conn_wire_class(const char *e)
{
	if (strstr(e, "certificate") != NULL || strstr(e, "CA file") != NULL ||
	    strstr(e, "after its STARTTLS reply") != NULL)
		return CONN_FATAL;
	return CONN_RETRY;
}

/* GnuTLS's words when the other end does not speak TLS at all. */
static bool
conn_not_tls(const char *e)
{
	return strstr(e, "unexpected TLS packet") != NULL ||
	    strstr(e, "TLS packet with unexpected length") != NULL;
}

static int
open_wire_fail(struct conn_open *op, char *e)
{
	const struct account	*a = op->p->acct;

	if (strstr(e, "not the pinned") != NULL)
		open_fail(op, CONN_FATAL, "%s; if the server's certificate was "
		    "renewed on purpose, put its new fingerprint in the "
		    "fingerprint option", e);
	else if (a->security == SEC_TLS && conn_not_tls(e))
		open_fail(op, CONN_FATAL, "%s; port %d does not seem to speak "
		    "TLS from the start: security = tls wants the server's "
		    "TLS port (usually 993), security = starttls port 143",
		    e, a->port);
	else
		open_fail(op, conn_wire_class(e), "%s", e);
	free(e);
	return -1;
}

/* Connect the wire and hand it to libetpan as its stream. */
static int
open_wire(struct conn_open *op, mailstream **stp)
{
	struct conn		*c = op->c;
	struct wire_opts	 o;
	mailstream_low		*low;
	char			*e = NULL;

	conn_wire_opts(op->p, &o);
	if ((c->wire = wire_connect(&o, &e)) == NULL)
		return open_wire_fail(op, e);
	if (op->p->on_wire != NULL)
		op->p->on_wire(c->wire, op->p->on_wire_arg);
	if ((low = wire_mailstream_low(c->wire)) == NULL)
		return open_fail(op, CONN_RETRY, "cannot set up the stream");
	if ((*stp = mailstream_new(low, CONN_STREAM_BUF)) == NULL) {
		mailstream_low_free(low);
		return open_fail(op, CONN_RETRY, "out of memory");
	}
	if ((c->imap = mailimap_new(0, NULL)) == NULL) {
		mailstream_close(*stp);
		return open_fail(op, CONN_RETRY, "out of memory");
	}
	return 0;
}

/* Read and judge the greeting: nothing is sent before it passes. */
static int
open_greeting(struct conn_open *op, mailstream *st)
{
	struct conn		*c = op->c;
	const struct account	*a = op->p->acct;
	char			*text;
	int			 r;

	r = mailimap_connect(c->imap, st);
	if (r == MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION) {
		text = conn_server_text(c);
		open_fail(op, CONN_RETRY, "the server refused the connection "
		    "(BYE): %s", text);
		free(text);
		return -1;
	}
	if (r == MAILIMAP_ERROR_PARSE)
		return open_fail(op, CONN_FATAL, "%s port %d did not greet "
		    "as an IMAP server does; check host, port and security",
		    a->host, a->port);
	if (r == MAILIMAP_ERROR_STREAM && a->security != SEC_TLS &&
	    wire_error(c->wire) != NULL &&
	    strstr(wire_error(c->wire), "no data") != NULL)
		return open_fail(op, CONN_RETRY, "no greeting from %s port %d: "
		    "%s; if that port expects TLS from the start (usually "
		    "993), set security = tls", a->host, a->port,
		    wire_error(c->wire));
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
		return open_fail_r(op, r, "waiting for the greeting");
	c->greeting = conn_server_text(c);
	c->preauth = r == MAILIMAP_NO_ERROR_AUTHENTICATED;
	if (c->preauth && !wire_is_tls(c->wire) && a->security != SEC_NONE)
		return open_fail(op, CONN_FATAL, "the server skipped "
		    "authentication on an unencrypted connection (PREAUTH); "
		    "refusing");
	return 0;
}

/* STARTTLS, only when offered; nothing from before TLS is kept. */
static int
open_starttls(struct conn_open *op)
{
	struct conn	*c = op->c;
	char		*e = NULL, *text;
	int		 r;

	if ((r = conn_caps_current(c)) != MAILIMAP_NO_ERROR)
		return open_fail_r(op, r, "CAPABILITY");
	if ((c->caps & CAP_STARTTLS) == 0)
		return open_fail(op, CONN_FATAL, "the server does not offer "
		    "STARTTLS; set security = tls if it supports port 993");
	conn_clear_text(c);
	r = mailimap_starttls(c->imap);
	/* libetpan refuses the upgrade itself when bytes follow the OK in
	 * its buffer (BAD-INPUTS.md 9); the wire checks the rest. */
	if (r == MAILIMAP_ERROR_STARTTLS &&
	    c->imap->imap_stream->read_buffer_len > 0) {
		c->broken = true;
		return open_fail(op, CONN_FATAL, "the server sent data after "
		    "its STARTTLS reply; refusing to continue (someone may "
		    "be tampering with the connection)");
	}
	if (r == MAILIMAP_ERROR_STARTTLS) {
		text = conn_server_text(c);
		open_fail(op, CONN_FATAL, "the server refused STARTTLS: %s; "
		    "set security = tls if it supports port 993", text);
		free(text);
		return -1;
	}
	if (r != MAILIMAP_NO_ERROR)
		return open_fail_r(op, r, "STARTTLS");
	if (wire_starttls(c->wire, c->imap->imap_stream->read_buffer_len,
	    &e) == -1) {
		c->broken = true;
		return open_wire_fail(op, e);
	}
	conn_caps_forget(c);
	return 0;
}

static int
open_steps(struct conn_open *op)
{
	struct conn	*c = op->c;
	mailstream	*st = NULL;
	int		 r;

	if (open_wire(op, &st) == -1 || open_greeting(op, st) == -1)
		return -1;
	if (op->p->acct->security == SEC_STARTTLS && open_starttls(op) == -1)
		return -1;
	if ((r = conn_caps_current(c)) != MAILIMAP_NO_ERROR)
		return open_fail_r(op, r, "CAPABILITY");
	if (op->p->on_login != NULL)
		op->p->on_login(op->p->on_wire_arg);
	if (open_login(op) == -1)
		return -1;
	/* A CAPABILITY code in the login reply is the one to keep; the
	 * list can grow once logged in, so ask when there was none. */
	if (!c->preauth && (r = conn_caps_current(c)) != MAILIMAP_NO_ERROR)
		return open_fail_r(op, r, "CAPABILITY");
	return 0;
}

/* Connect, secure, log in; see imap_priv.h. */
struct conn *
conn_open(const struct conn_params *p, enum conn_fail *fail, char **err)
{
	struct conn_open	 op;
	const struct account	*a = p->acct;

	memset(&op, 0, sizeof op);
	op.p = p;
	op.c = xcalloc(1, sizeof *op.c);
	*err = NULL;
	if (open_steps(&op) == -1) {
		if (op.c->wire != NULL && p->on_wire != NULL)
			p->on_wire(NULL, p->on_wire_arg);
		op.c->broken = true;	/* no LOGOUT on the way out */
		conn_close(&op.c);
		log_info("%s port %d: %s", a->host, a->port, op.err);
		*fail = op.fail;
		*err = op.err;
		return NULL;
	}
	*fail = CONN_OK;
	log_info("%s port %d: logged in as %s by %s, %s", a->host, a->port,
	    a->user != NULL ? a->user : "", op.c->auth,
	    wire_is_tls(op.c->wire) ? "TLS" : "no TLS");
	return op.c;
}

/* ---- closing ---- */

/* LOGOUT, waiting a short time for the reply rather than the full read
 * timeout: a server that does not answer is left to the close. */
static void
conn_logout(struct conn *c)
{
	mailimap	*imap = c->imap;

	if (mailimap_send_current_tag(imap) != MAILIMAP_NO_ERROR ||
	    conn_send_line(c, "LOGOUT", 6) != MAILIMAP_NO_ERROR)
		return;
	if (imap->imap_stream->read_buffer_len == 0 &&
	    wire_wait(c->wire, -1, CONN_LOGOUT_MS) <= 0)
		return;
	(void)conn_response(c, false);
}

static bool
conn_healthy(const struct conn *c)
{
	const char	*e;

	if (c->broken || c->imap == NULL || c->imap->imap_stream == NULL ||
	    c->imap->imap_state == MAILIMAP_STATE_DISCONNECTED)
		return false;
	/* A cancel that did not break a command leaves it usable. */
	e = wire_error(c->wire);
	return e == NULL || strcmp(e, "cancelled") == 0;
}

/* LOGOUT when healthy, then tear down; see imap_priv.h. */
void
conn_close(struct conn **cp)
{
	struct conn	*c;

	if (cp == NULL || (c = *cp) == NULL)
		return;
	if (c->imap != NULL) {
		if (conn_healthy(c))
			conn_logout(c);
		/* mailimap_free() would send LOGOUT and wait on a dead
		 * peer (LIBETPAN.md 12). */
		if (c->imap->imap_stream != NULL) {
			mailstream_close(c->imap->imap_stream);
			c->imap->imap_stream = NULL;
		}
		mailimap_free(c->imap);
	}
	wire_free(&c->wire);
	free(c->greeting);
	free(c);
	*cp = NULL;
}

/* Interrupt whatever the connection is blocked in; see imap_priv.h. */
void
conn_cancel(struct conn *c)
{
	if (c != NULL && c->wire != NULL)
		wire_cancel(c->wire);
}
