/*
 * fakeimap: a scripted IMAP server for what no real server sends.
 *
 * Real servers (the Dovecot fixture) are used for everything they will
 * send. This tool exists for the rows of BAD-INPUTS.md that only a hostile
 * or broken server produces: huge literal sizes, endless lines, deep
 * nesting, a connection that dies in the middle of a literal, PREAUTH on a
 * plaintext link, bytes behind the STARTTLS OK. It plays a script, one
 * line per step, to each connection, and logs what the client sent so a
 * test can assert it (no LOGIN after a bad greeting, for instance).
 *
 *   fakeimap [-p PORT] [-n CONNS] [-t SECONDS] [-l LOG] SCRIPT [SCRIPT...]
 *
 * It listens on 127.0.0.1:PORT (default 0: the kernel picks) and prints
 * "port N" as stdout's first line. Connection k plays the k-th SCRIPT (the
 * last one again when there are fewer), so a test can give the reconnect a
 * sane script. Each connection runs in its own child process, so a stalled
 * one does not hold up the next. After CONNS connections (default 1) it
 * stops accepting and exits when they are done. It always exits by itself
 * after SECONDS (default 60) and on SIGTERM, killing its children first.
 * Exit status: 0 when every script ran, 1 when one failed (an expect that
 * did not match, or the client closed where a line was expected), 2 on a
 * usage or script error, 124 when the time limit ran out.
 *
 * Script language, one step per line; blank lines and lines starting
 * with # are ignored. TEXT runs from after the one space behind the
 * keyword to the end of the line and takes C escapes: \r \n \t \\ \0 \xNN.
 * {{TAG}} in sent text becomes the tag of the client's last command.
 *
 *   send TEXT          TEXT and CRLF
 *   sendraw TEXT       TEXT alone
 *   sendslow MS TEXT   TEXT and CRLF, 1, 2, 3, 1, 2, 3... bytes per write,
 *                      MS milliseconds apart
 *   repeat N TEXT      TEXT N times (N takes K, M, G suffixes, powers of
 *                      1024), no CRLF: a 256 MiB line, 20,000 "("
 *   sendfile PATH      the file's bytes as they are
 *   expect REGEX       read one client command and match it (POSIX ERE,
 *                      whole command); no match fails the script
 *   expect-any         read one client command, whatever it is
 *   expect-eof         read (and log) until the client closes
 *   sleep MS           wait
 *   stall              neither read nor write until the client closes or
 *                      the time limit
 *   close              FIN (no TLS close_notify), then end the script
 *   reset              RST (SO_LINGER 0), then end the script
 *   starttls CERT KEY  TLS server handshake on the socket (PEM files);
 *                      everything after goes over TLS. A failed handshake
 *                      ends the script (the client refused: not a failure)
 *   serve              answer every further command until the client
 *                      closes: IDLE gets "+ idling" and, after DONE, OK;
 *                      LOGOUT gets BYE, OK and a close; anything else OK
 *
 * PATHs are relative to the script's folder. A script that runs to its end
 * closes the connection as `close` does. A client command is a line up to
 * CRLF; when it ends in a literal {N} or {N+}, the N bytes and the rest of
 * the command are read too ("+ go" answers a synchronizing literal) and
 * belong to the same command. The tag is the command's first word; lines
 * without a space (DONE, AUTHENTICATE data) keep the previous tag.
 *
 * Log (-l, appended, one line per event, written whole so the children's
 * lines do not mix), N being the connection number:
 *   N C: <command as escaped text>     what the client sent
 *   N S: <text> (BYTES bytes)          what the script sent, cut at 200
 *   N ! <event>                        accepted, tls, failures, close
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "fake.h"

#define LINE_MAX_BYTES	(1024 * 1024)		/* one client line */
#define LITERAL_MAX	(64 * 1024 * 1024)	/* one client literal */
#define LOG_TEXT_MAX	200
#define CLOSE_DRAIN_MS	2000
#define MAX_CHILDREN	256

enum step_result {
	STEP_NEXT,		/* go on with the next step */
	STEP_END,		/* the connection is over, as planned */
	STEP_FAIL,		/* the client did not do what the script said */
};

enum arg_kind {
	ARG_NONE,
	ARG_TEXT,		/* escaped text */
	ARG_NUM,		/* a number */
	ARG_NUM_TEXT,		/* a number, then escaped text */
	ARG_REGEX,
	ARG_PATH,
	ARG_CERT,		/* two paths: certificate and key */
};

struct peer;
struct step;

struct step_kind {
	const char	*name;
	enum arg_kind	 arg;
	enum step_result (*run)(struct peer *, const struct step *);
};

struct step {
	const struct step_kind		*kind;
	int				 line;
	uint64_t			 num;
	struct buf			 text;	/* bytes, regex or path */
	regex_t				 re;
	gnutls_certificate_credentials_t cred;
};

struct script {
	const char	*name;
	struct step	*steps;
	size_t		 nsteps;
};

/* One connection, in its child process. */
struct peer {
	int			 fd;
	int			 id;
	int			 logfd;
	gnutls_session_t	 tls;	/* NULL until starttls */
	struct buf		 in;	/* read, not yet used from inoff */
	size_t			 inoff;
	char			 tag[64];
};

struct options {
	int		 port;
	int		 conns;
	int		 seconds;
	const char	*log;
};

/* ---- the connection: log, write, read ---- */

/* "N head text", the text escaped and cut at max bytes; a sent text ends
 * with its size in bytes (total, when not 0). */
static void
peer_log(struct peer *p, const char *head, const char *data, size_t n,
    size_t max, uint64_t total)
{
	struct buf	 b = BUF_INIT;
	ssize_t		 w;

	if (p->logfd == -1)
		return;
	buf_printf(&b, "%d %s ", p->id, head);
	fake_escape(&b, data, n, max);
	if (total > 0)
		buf_printf(&b, " (%llu bytes)", (unsigned long long)total);
	buf_addch(&b, '\n');
	w = write(p->logfd, b.data, b.len);
	(void)w;
	buf_free(&b);
}

static void QUIRE_PRINTF(2, 3)
peer_note(struct peer *p, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;
	ssize_t		 w;

	if (p->logfd == -1)
		return;
	buf_printf(&b, "%d ! ", p->id);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_addch(&b, '\n');
	w = write(p->logfd, b.data, b.len);
	(void)w;
	buf_free(&b);
}

static bool
peer_write(struct peer *p, const char *data, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if (p->tls != NULL) {
			w = gnutls_record_send(p->tls, data, n);
			if (w == GNUTLS_E_AGAIN || w == GNUTLS_E_INTERRUPTED)
				continue;
			if (w < 0) {
				peer_note(p, "write failed: %s",
				    gnutls_strerror((int)w));
				return false;
			}
		} else if ((w = send(p->fd, data, n, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			peer_note(p, "write failed: %s", strerror(errno));
			return false;
		}
		data += w;
		n -= (size_t)w;
	}
	return true;
}

/* Read more into p->in: > 0 bytes read, 0 at EOF, -1 on error. */
static ssize_t
peer_fill(struct peer *p)
{
	char	 chunk[16384];
	ssize_t	 r;

	if (p->inoff > 0) {
		memmove(p->in.data, p->in.data + p->inoff,
		    p->in.len - p->inoff);
		p->in.len -= p->inoff;
		p->in.data[p->in.len] = '\0';
		p->inoff = 0;
	}
	for (;;) {
		if (p->tls != NULL) {
			r = gnutls_record_recv(p->tls, chunk, sizeof chunk);
			if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
				continue;
			if (r == GNUTLS_E_PREMATURE_TERMINATION)
				r = 0;
			if (r < 0)
				peer_note(p, "read failed: %s",
				    gnutls_strerror((int)r));
		} else if ((r = recv(p->fd, chunk, sizeof chunk, 0)) == -1) {
			if (errno == EINTR)
				continue;
			peer_note(p, "read failed: %s", strerror(errno));
		}
		break;
	}
	if (r > 0)
		buf_add(&p->in, chunk, (size_t)r);
	return r < 0 ? -1 : r;
}

/* One line without its CRLF (or bare LF), appended to line: 1, or 0 at
 * EOF, -1 on error or when the line passes LINE_MAX_BYTES. */
static int
peer_line(struct peer *p, struct buf *line)
{
	char	*start, *lf;
	size_t	 n;
	ssize_t	 r;

	for (;;) {
		n = p->in.len - p->inoff;
		/* Nothing read yet: data is NULL, and NULL + 0 is undefined. */
		start = n > 0 ? p->in.data + p->inoff : NULL;
		if (n > 0 && (lf = memchr(start, '\n', n)) != NULL) {
			n = (size_t)(lf - start);
			p->inoff += n + 1;
			if (n > 0 && start[n - 1] == '\r')
				n--;
			buf_add(line, start, n);
			return 1;
		}
		if (n > LINE_MAX_BYTES) {
			peer_note(p, "client line longer than %d bytes",
			    LINE_MAX_BYTES);
			return -1;
		}
		if ((r = peer_fill(p)) <= 0)
			return (int)r;
	}
}

/* Does the line end in a literal {N} or {N+}? */
static bool
literal_size(const char *s, size_t len, uint64_t *size, bool *sync)
{
	size_t	 end, i;

	if (len < 3 || s[len - 1] != '}')
		return false;
	end = len - 1;
	*sync = s[end - 1] != '+';
	if (!*sync)
		end--;
	for (i = end; i > 0 && isdigit((unsigned char)s[i - 1]); i--)
		;
	if (i == end || i == 0 || s[i - 1] != '{')
		return false;
	/* More than 19 digits cannot be a size anyone means. */
	*size = end - i > 19 ? UINT64_MAX : strtoull(s + i, NULL, 10);
	return true;
}

/* Read exactly n bytes into out: 1, 0 at EOF, -1 on error. */
static int
peer_bytes(struct peer *p, struct buf *out, size_t n)
{
	size_t	 have;
	ssize_t	 r;

	while (n > 0) {
		have = p->in.len - p->inoff;
		if (have == 0) {
			if ((r = peer_fill(p)) <= 0)
				return (int)r;
			continue;
		}
		if (have > n)
			have = n;
		buf_add(out, p->in.data + p->inoff, have);
		p->inoff += have;
		n -= have;
	}
	return 1;
}

/* Remember the first word as the tag when the line is a command. */
static void
peer_take_tag(struct peer *p, const char *line)
{
	const char	*sp;
	size_t		 n;

	if ((sp = strchr(line, ' ')) == NULL)
		return;
	n = (size_t)(sp - line);
	if (n >= sizeof p->tag)
		n = sizeof p->tag - 1;
	memcpy(p->tag, line, n);
	p->tag[n] = '\0';
}

/* One whole client command, literals included, into cmd (reset first):
 * 1, 0 at EOF, -1 on error. */
static int
peer_command(struct peer *p, struct buf *cmd)
{
	uint64_t	 size;
	bool		 sync;
	int		 r;

	buf_reset(cmd);
	for (;;) {
		if ((r = peer_line(p, cmd)) <= 0)
			break;
		if (!literal_size(cmd->data, cmd->len, &size, &sync))
			break;
		if (size > LITERAL_MAX) {
			peer_note(p, "client literal of %llu bytes",
			    (unsigned long long)size);
			return -1;
		}
		if (sync && !peer_write(p, "+ go\r\n", 6))
			return -1;
		buf_addstr(cmd, "\r\n");
		if ((r = peer_bytes(p, cmd, (size_t)size)) <= 0)
			break;
	}
	if (r == 0 && cmd->len > 0)
		peer_note(p, "client closed in a command");
	if (r > 0) {
		peer_log(p, "C:", cmd->data, cmd->len, SIZE_MAX, 0);
		peer_take_tag(p, buf_str(cmd));
	}
	return r;
}

/* ---- sending steps ---- */

/* The step's text with {{TAG}} replaced, appended to out. */
static void
expand(const struct peer *p, const struct buf *text, struct buf *out)
{
	const char	*s = text->data, *end = s + text->len, *m;

	while (s < end) {
		m = memmem(s, (size_t)(end - s), "{{TAG}}", 7);
		if (m == NULL) {
			buf_add(out, s, (size_t)(end - s));
			break;
		}
		buf_add(out, s, (size_t)(m - s));
		buf_addstr(out, p->tag);
		s = m + 7;
	}
}

static enum step_result
send_text(struct peer *p, const struct step *s, bool crlf)
{
	struct buf		 b = BUF_INIT;
	enum step_result	 res = STEP_NEXT;

	buf_addstr(&b, "");
	expand(p, &s->text, &b);
	if (crlf)
		buf_addstr(&b, "\r\n");
	peer_log(p, "S:", b.data, b.len, LOG_TEXT_MAX, b.len);
	if (!peer_write(p, b.data, b.len))
		res = STEP_END;
	buf_free(&b);
	return res;
}

static enum step_result
run_send(struct peer *p, const struct step *s)
{
	return send_text(p, s, true);
}

static enum step_result
run_sendraw(struct peer *p, const struct step *s)
{
	return send_text(p, s, false);
}

static enum step_result
run_sendslow(struct peer *p, const struct step *s)
{
	struct buf		 b = BUF_INIT;
	size_t			 off, n, piece = 0;
	enum step_result	 res = STEP_NEXT;

	expand(p, &s->text, &b);
	buf_addstr(&b, "\r\n");
	peer_log(p, "S:", b.data, b.len, LOG_TEXT_MAX, b.len);
	for (off = 0; off < b.len; off += n) {
		n = piece++ % 3 + 1;
		if (n > b.len - off)
			n = b.len - off;
		if (off > 0)
			fake_sleep_ms((int64_t)s->num);
		if (!peer_write(p, b.data + off, n)) {
			res = STEP_END;
			break;
		}
	}
	buf_free(&b);
	return res;
}

static enum step_result
run_repeat(struct peer *p, const struct step *s)
{
	struct buf	 one = BUF_INIT, chunk = BUF_INIT;
	uint64_t	 left = s->num, per;
	char		*head;
	bool		 ok = true;

	expand(p, &s->text, &one);
	if (one.len == 0)
		return STEP_NEXT;
	per = one.len >= 65536 ? 1 : 65536 / one.len;
	while (chunk.len / one.len < per && chunk.len / one.len < left)
		buf_add(&chunk, one.data, one.len);
	head = xasprintf("S: %llu x", (unsigned long long)s->num);
	peer_log(p, head, one.data, one.len, LOG_TEXT_MAX, s->num * one.len);
	free(head);
	while (ok && left > 0) {
		per = chunk.len / one.len;
		if (per > left)
			per = left;
		ok = peer_write(p, chunk.data, per * one.len);
		left -= per;
	}
	buf_free(&one);
	buf_free(&chunk);
	return ok ? STEP_NEXT : STEP_END;
}

static enum step_result
run_sendfile(struct peer *p, const struct step *s)
{
	char		 chunk[65536];
	ssize_t		 r;
	uint64_t	 total = 0;
	int		 fd;
	bool		 ok = true;

	if ((fd = open(s->text.data, O_RDONLY | O_CLOEXEC)) == -1) {
		peer_note(p, "%s: %s", s->text.data, strerror(errno));
		return STEP_FAIL;
	}
	while (ok && (r = read(fd, chunk, sizeof chunk)) > 0) {
		ok = peer_write(p, chunk, (size_t)r);
		total += (uint64_t)r;
	}
	close(fd);
	peer_note(p, "sent file %s (%llu bytes)", s->text.data,
	    (unsigned long long)total);
	return ok ? STEP_NEXT : STEP_END;
}

/* ---- reading steps ---- */

static enum step_result
run_expect(struct peer *p, const struct step *s)
{
	struct buf		 cmd = BUF_INIT;
	enum step_result	 res = STEP_NEXT;
	int			 r;

	if ((r = peer_command(p, &cmd)) <= 0) {
		peer_note(p, "line %d: expected /%s/, got %s", s->line,
		    s->text.data, r == 0 ? "EOF" : "an error");
		res = STEP_FAIL;
	} else if (regexec(&s->re, buf_str(&cmd), 0, NULL, 0) != 0) {
		peer_note(p, "line %d: expected /%s/, got another command",
		    s->line, s->text.data);
		res = STEP_FAIL;
	}
	buf_free(&cmd);
	return res;
}

static enum step_result
run_expect_any(struct peer *p, const struct step *s)
{
	struct buf	 cmd = BUF_INIT;
	int		 r;

	if ((r = peer_command(p, &cmd)) <= 0)
		peer_note(p, "line %d: expected a command, got %s", s->line,
		    r == 0 ? "EOF" : "an error");
	buf_free(&cmd);
	return r > 0 ? STEP_NEXT : STEP_FAIL;
}

static enum step_result
run_expect_eof(struct peer *p, const struct step *s)
{
	struct buf	 cmd = BUF_INIT;
	int		 r;

	while ((r = peer_command(p, &cmd)) > 0)
		;
	buf_free(&cmd);
	peer_note(p, "client closed");
	return STEP_END;
}

/* ---- connection steps ---- */

static enum step_result
run_sleep(struct peer *p, const struct step *s)
{
	fake_sleep_ms((int64_t)s->num);
	return STEP_NEXT;
}

static enum step_result
run_stall(struct peer *p, const struct step *s)
{
	struct pollfd	 pfd;

	/* POLLRDHUP reports the client's FIN without reading its data. */
	pfd.fd = p->fd;
	pfd.events = POLLRDHUP;
	while (poll(&pfd, 1, -1) == -1 && errno == EINTR)
		;
	peer_note(p, "client closed while stalled");
	return STEP_END;
}

/* FIN, then drain what the client still sends: closing a socket with
 * unread data would send RST instead. */
static void
peer_close(struct peer *p)
{
	struct pollfd	 pfd;
	char		 chunk[16384];
	int64_t		 end = fake_now_ms() + CLOSE_DRAIN_MS;

	shutdown(p->fd, SHUT_WR);
	pfd.fd = p->fd;
	pfd.events = POLLIN;
	while (fake_now_ms() < end) {
		if (poll(&pfd, 1, (int)(end - fake_now_ms())) <= 0)
			break;
		if (recv(p->fd, chunk, sizeof chunk, 0) <= 0)
			break;
	}
	close(p->fd);
	p->fd = -1;
}

static enum step_result
run_close(struct peer *p, const struct step *s)
{
	peer_note(p, "close");
	peer_close(p);
	return STEP_END;
}

static enum step_result
run_reset(struct peer *p, const struct step *s)
{
	struct linger	 l = { 1, 0 };

	peer_note(p, "reset");
	setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	close(p->fd);
	p->fd = -1;
	return STEP_END;
}

static enum step_result
run_starttls(struct peer *p, const struct step *s)
{
	int	 r;

	/* Bytes the client sent before the handshake were not protected:
	 * a server must not take them as TLS or as commands. */
	if (p->in.len > p->inoff)
		peer_note(p, "%zu bytes before the handshake, dropped",
		    p->in.len - p->inoff);
	buf_reset(&p->in);
	p->inoff = 0;
	gnutls_init(&p->tls, GNUTLS_SERVER);
	gnutls_set_default_priority(p->tls);
	gnutls_credentials_set(p->tls, GNUTLS_CRD_CERTIFICATE, s->cred);
	gnutls_certificate_server_set_request(p->tls, GNUTLS_CERT_IGNORE);
	gnutls_transport_set_int(p->tls, p->fd);
	gnutls_handshake_set_timeout(p->tls, GNUTLS_DEFAULT_HANDSHAKE_TIMEOUT);
	do {
		r = gnutls_handshake(p->tls);
	} while (r < 0 && gnutls_error_is_fatal(r) == 0);
	if (r < 0) {
		peer_note(p, "tls handshake failed: %s", gnutls_strerror(r));
		gnutls_deinit(p->tls);
		p->tls = NULL;
		return STEP_END;
	}
	peer_note(p, "tls established");
	return STEP_NEXT;
}

/* The generic answer to one command; false once the connection is over. */
static bool
serve_one(struct peer *p, const char *cmd)
{
	struct buf	 out = BUF_INIT, line = BUF_INIT;
	const char	*verb;
	size_t		 n;
	bool		 more = true;

	verb = strchr(cmd, ' ') != NULL ? strchr(cmd, ' ') + 1 : "";
	n = strcspn(verb, " \r\n");
	if (n == 4 && strncasecmp(verb, "IDLE", 4) == 0) {
		if (!peer_write(p, "+ idling\r\n", 10))
			return false;
		while (more && strcasecmp(buf_str(&line), "DONE") != 0) {
			buf_reset(&line);
			if (peer_line(p, &line) <= 0)
				more = false;
			else
				peer_log(p, "C:", line.data, line.len,
				    SIZE_MAX, 0);
		}
		buf_printf(&out, "%s OK IDLE done\r\n", p->tag);
	} else if (n == 6 && strncasecmp(verb, "LOGOUT", 6) == 0) {
		buf_printf(&out, "* BYE fakeimap logging out\r\n"
		    "%s OK LOGOUT done\r\n", p->tag);
		more = false;
	} else
		buf_printf(&out, "%s OK %.*s done\r\n", p->tag,
		    (int)(n > 20 ? 20 : n), verb);
	if (!peer_write(p, out.data, out.len))
		more = false;
	buf_free(&out);
	buf_free(&line);
	return more;
}

static enum step_result
run_serve(struct peer *p, const struct step *s)
{
	struct buf	 cmd = BUF_INIT;

	while (peer_command(p, &cmd) > 0 && serve_one(p, buf_str(&cmd)))
		;
	buf_free(&cmd);
	if (p->fd != -1)
		peer_close(p);
	return STEP_END;
}

static const struct step_kind step_kinds[] = {
	{ "send",	ARG_TEXT,	run_send },
	{ "sendraw",	ARG_TEXT,	run_sendraw },
	{ "sendslow",	ARG_NUM_TEXT,	run_sendslow },
	{ "repeat",	ARG_NUM_TEXT,	run_repeat },
	{ "sendfile",	ARG_PATH,	run_sendfile },
	{ "expect",	ARG_REGEX,	run_expect },
	{ "expect-any",	ARG_NONE,	run_expect_any },
	{ "expect-eof",	ARG_NONE,	run_expect_eof },
	{ "sleep",	ARG_NUM,	run_sleep },
	{ "stall",	ARG_NONE,	run_stall },
	{ "close",	ARG_NONE,	run_close },
	{ "reset",	ARG_NONE,	run_reset },
	{ "starttls",	ARG_CERT,	run_starttls },
	{ "serve",	ARG_NONE,	run_serve },
};

/* ---- scripts ---- */

static char *
script_path(const char *script, const char *path)
{
	char	*copy, *dir, *full;

	if (path[0] == '/')
		return xstrdup(path);
	copy = xstrdup(script);
	dir = dirname(copy);
	full = xasprintf("%s/%s", dir, path);
	free(copy);
	return full;
}

static void
parse_cert(const char *script, struct step *s, char *arg)
{
	char	*cert, *key;
	int	 r;

	cert = str_next_word(&arg);
	key = str_next_word(&arg);
	if (cert == NULL || key == NULL || *arg != '\0')
		fake_die("%s:%d: starttls CERT KEY", script, s->line);
	cert = script_path(script, cert);
	key = script_path(script, key);
	gnutls_certificate_allocate_credentials(&s->cred);
	r = gnutls_certificate_set_x509_key_file(s->cred, cert, key,
	    GNUTLS_X509_FMT_PEM);
	if (r < 0)
		fake_die("%s:%d: %s, %s: %s", script, s->line, cert, key,
		    gnutls_strerror(r));
	free(cert);
	free(key);
}

/* Fill s from the text behind its keyword (NULL when there is none). */
static void
parse_arg(const char *script, struct step *s, char *arg)
{
	const char	*name = s->kind->name;
	char		*num, *full;
	char		 empty[] = "";

	if (s->kind->arg == ARG_NONE) {
		if (arg != NULL)
			fake_die("%s:%d: %s takes nothing", script, s->line,
			    name);
		return;
	}
	if (arg == NULL)
		arg = empty;
	switch (s->kind->arg) {
	case ARG_NUM:
	case ARG_NUM_TEXT:
		num = arg;
		if ((arg = strchr(arg, ' ')) != NULL)
			*arg++ = '\0';
		if ((s->kind->arg == ARG_NUM) != (arg == NULL) ||
		    !fake_parse_size(num, &s->num))
			fake_die("%s:%d: bad arguments to %s", script,
			    s->line, name);
		if (s->kind->arg == ARG_NUM)
			break;
		/* FALLTHROUGH */
	case ARG_TEXT:
		buf_addstr(&s->text, "");
		if (!fake_unescape(arg, &s->text))
			fake_die("%s:%d: bad escape", script, s->line);
		break;
	case ARG_REGEX:
		buf_addstr(&s->text, arg);
		if (regcomp(&s->re, arg, REG_EXTENDED | REG_NOSUB) != 0)
			fake_die("%s:%d: bad regex", script, s->line);
		break;
	case ARG_PATH:
		full = script_path(script, arg);
		buf_addstr(&s->text, full);
		free(full);
		break;
	case ARG_CERT:
		parse_cert(script, s, arg);
		break;
	case ARG_NONE:
		break;
	}
}

static void
parse_step(struct script *sc, char *line, int lineno)
{
	struct step	*s;
	char		*arg;
	size_t		 i;

	if ((arg = strchr(line, ' ')) != NULL)
		*arg++ = '\0';
	for (i = 0; i < nitems(step_kinds); i++) {
		if (strcmp(step_kinds[i].name, line) == 0)
			break;
	}
	if (i == nitems(step_kinds))
		fake_die("%s:%d: unknown step \"%s\"", sc->name, lineno, line);
	sc->steps = xreallocarray(sc->steps, sc->nsteps + 1,
	    sizeof *sc->steps);
	s = &sc->steps[sc->nsteps++];
	memset(s, 0, sizeof *s);
	s->kind = &step_kinds[i];
	s->line = lineno;
	parse_arg(sc->name, s, arg);
}

static void
script_load(struct script *sc, const char *path)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;
	int	 lineno = 0;

	memset(sc, 0, sizeof *sc);
	sc->name = path;
	if ((f = fopen(path, "r")) == NULL)
		fake_die("%s: %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		parse_step(sc, line, lineno);
	}
	free(line);
	fclose(f);
}

static void
script_free(struct script *sc)
{
	struct step	*s;
	size_t		 i;

	for (i = 0; i < sc->nsteps; i++) {
		s = &sc->steps[i];
		buf_free(&s->text);
		if (s->kind->arg == ARG_REGEX)
			regfree(&s->re);
		if (s->cred != NULL)
			gnutls_certificate_free_credentials(s->cred);
	}
	free(sc->steps);
}

/* ---- connections ---- */

/* Play the script to one connection; the child's exit status. */
static int
play(const struct script *sc, int fd, int id, int logfd)
{
	struct peer		 p;
	enum step_result	 res = STEP_NEXT;
	size_t			 i;

	memset(&p, 0, sizeof p);
	p.fd = fd;
	p.id = id;
	p.logfd = logfd;
	peer_note(&p, "connected, pid %ld, script %s", (long)getpid(),
	    sc->name);
	for (i = 0; i < sc->nsteps && res == STEP_NEXT; i++)
		res = sc->steps[i].kind->run(&p, &sc->steps[i]);
	if (res == STEP_NEXT)
		run_close(&p, NULL);
	if (res == STEP_FAIL) {
		peer_note(&p, "script failed");
		if (p.fd != -1)
			peer_close(&p);
	}
	return res == STEP_FAIL ? FAKE_EXIT_FAILED : FAKE_EXIT_OK;
}

static pid_t
spawn(const struct script *sc, int lfd, int fd, int id, int logfd,
    int64_t deadline)
{
	int64_t	 left;
	pid_t	 pid;
	int	 on = 1;

	if ((pid = fork()) != 0)
		return pid;
	close(lfd);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	left = deadline - fake_now_ms();
	alarm(left <= 0 ? 1 : (unsigned)((left + 999) / 1000));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	_exit(play(sc, fd, id, logfd));
}

/* Reap finished children; count the failed ones. */
static void
reap(pid_t *kids, int *nkids, int *failed, bool block)
{
	int	 status, i;
	pid_t	 pid;

	while (*nkids > 0 &&
	    (pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0) {
		/* A child killed at the end is not a failed script. */
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			(*failed)++;
		for (i = 0; i < *nkids; i++) {
			if (kids[i] == pid) {
				kids[i] = kids[--*nkids];
				break;
			}
		}
	}
}

static int
stop_children(pid_t *kids, int nkids)
{
	int	 i, failed = 0;

	for (i = 0; i < nkids; i++)
		kill(kids[i], SIGTERM);
	while (nkids > 0)
		reap(kids, &nkids, &failed, true);
	return failed;
}

static int
serve(const struct options *o, const struct script *scripts, int nscripts,
    int lfd, int logfd)
{
	pid_t		 kids[MAX_CHILDREN];
	struct pollfd	 pfd = { lfd, POLLIN, 0 };
	int64_t		 deadline = fake_now_ms() + o->seconds * 1000LL;
	int		 nkids = 0, accepted = 0, failed = 0, fd;

	while (accepted < o->conns || nkids > 0) {
		reap(kids, &nkids, &failed, false);
		if (fake_signalled || fake_now_ms() >= deadline)
			break;
		if (accepted == o->conns) {
			if (lfd != -1)
				close(lfd);
			lfd = -1;
			fake_sleep_ms(50);
			continue;
		}
		if (poll(&pfd, 1, 100) <= 0 || nkids == MAX_CHILDREN)
			continue;
		if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
			continue;
		accepted++;
		kids[nkids] = spawn(&scripts[accepted > nscripts ?
		    nscripts - 1 : accepted - 1], lfd, fd, accepted, logfd,
		    deadline);
		if (kids[nkids] != -1)
			nkids++;
		close(fd);
	}
	failed += stop_children(kids, nkids);
	if (!fake_signalled && fake_now_ms() >= deadline) {
		fprintf(stderr, "fakeimap: time limit of %d s\n", o->seconds);
		return FAKE_EXIT_TIMEOUT;
	}
	return failed > 0 ? FAKE_EXIT_FAILED : FAKE_EXIT_OK;
}

static void
usage(void)
{
	fake_die("usage: fakeimap [-p port] [-n conns] [-t seconds] "
	    "[-l log] script [script...]");
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	long	 v;
	int	 c;

	o->port = 0;
	o->conns = 1;
	o->seconds = 60;
	o->log = NULL;
	while ((c = getopt(argc, argv, "p:n:t:l:")) != -1) {
		switch (c) {
		case 'p':
			if (!str_to_long(optarg, 0, 65535, &v))
				usage();
			o->port = (int)v;
			break;
		case 'n':
			if (!str_to_long(optarg, 1, 1000000, &v))
				usage();
			o->conns = (int)v;
			break;
		case 't':
			if (!str_to_long(optarg, 1, 86400, &v))
				usage();
			o->seconds = (int)v;
			break;
		case 'l':
			o->log = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind == argc)
		usage();
}

int
main(int argc, char **argv)
{
	struct options	 o;
	struct script	*scripts;
	int		 i, n, lfd, port, status, logfd = -1;

	parse_options(argc, argv, &o);
	n = argc - optind;
	scripts = xcalloc((size_t)n, sizeof *scripts);
	for (i = 0; i < n; i++)
		script_load(&scripts[i], argv[optind + i]);
	if (o.log != NULL && (logfd = open(o.log, O_WRONLY | O_CREAT |
	    O_APPEND | O_CLOEXEC, 0644)) == -1)
		fake_die("%s: %s", o.log, strerror(errno));
	fake_catch_signals();
	lfd = fake_listen(o.port, &port);
	printf("port %d\n", port);
	fflush(stdout);
	status = serve(&o, scripts, n, lfd, logfd);
	for (i = 0; i < n; i++)
		script_free(&scripts[i]);
	free(scripts);
	return status;
}
