/*
 * The protocol trace (-d): every line in and out, as "S: " and "C: ".
 *
 * The wire hands over bytes in whatever slices the socket and libetpan
 * make, so each direction assembles its own lines: the first TRACE_SHOW
 * bytes are kept (the rest is cut and counted), and a few bytes of the end,
 * enough to see a literal marker "{N}" or "{N+}". Literal data is never
 * shown, only summarized by size, and a line that follows a literal is a
 * continuation of the same command or response.
 *
 * Credentials never reach the log. trace_redact() is a pure function over a
 * small state, so the unit tests drive it directly:
 *   TAG LOGIN user pass                  -> TAG LOGIN <redacted>
 *   ... and every literal and continuation of that LOGIN
 *   TAG AUTHENTICATE MECH initial-resp   -> TAG AUTHENTICATE MECH <redacted>
 *   every client line after AUTHENTICATE until the server's tagged reply
 *                                        -> <redacted>
 * The kept bytes of a client line are wiped once the line is written.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net_priv.h"

#define TRACE_TAIL	24	/* enough for "{18446744073709551615+}" */

struct trace_side {
	struct buf	 line;		/* the first TRACE_SHOW bytes */
	uint64_t	 len;		/* bytes of this line so far */
	char		 tail[TRACE_TAIL]; /* its last bytes, oldest first */
	size_t		 tail_len;
	uint64_t	 literal;	/* literal bytes still to skip */
	uint64_t	 literal_size;
	bool		 literal_hidden; /* not even its size is shown */
	bool		 in_literal;
	bool		 cont;		/* the line follows a literal */
};

struct trace {
	trace_emit_fn		*emit;
	void			*arg;
	struct redact		 rs;
	struct trace_side	 side[2];
};

static void
trace_wipe(void *p, size_t n)
{
	volatile unsigned char	*v = p;

	while (n-- > 0)
		*v++ = 0;
}

static void
trace_log(void *arg, const char *line)
{
	(void)arg;
	log_trace("%s", line);
}

/* The next word of line[*off..n): its length, with *off at its start. */
static size_t
trace_word(const char *line, size_t n, size_t *off)
{
	size_t	i, start;

	for (i = *off; i < n && line[i] == ' '; i++)
		;
	start = i;
	while (i < n && line[i] != ' ')
		i++;
	*off = start;
	return i - start;
}

static bool
trace_word_is(const char *w, size_t len, const char *name)
{
	return len == strlen(name) && strncasecmp(w, name, len) == 0;
}

/* A server line that answers the AUTHENTICATE: it starts with its tag. */
static void
trace_redact_in(struct redact *rs, const char *line, size_t n)
{
	size_t	tl = strlen(rs->auth_tag);

	if (tl > 0 && n > tl && memcmp(line, rs->auth_tag, tl) == 0 &&
	    line[tl] == ' ')
		rs->auth_tag[0] = '\0';
}

/* How many bytes of a client line may be shown; see net_priv.h. */
size_t
trace_redact(struct redact *rs, enum trace_dir dir, const char *line,
    size_t n, bool cont, bool literal)
{
	size_t	off = 0, tag, tlen, clen, mlen;

	if (dir == TRACE_IN) {
		trace_redact_in(rs, line, n);
		return n;
	}
	if (cont && rs->in_login) {
		rs->in_login = literal;
		return 0;
	}
	if (rs->auth_tag[0] != '\0')
		return 0;		/* a SASL response, or its "*" */
	if (cont)
		return n;
	tlen = trace_word(line, n, &off);
	tag = off;
	off += tlen;
	clen = trace_word(line, n, &off);
	if (tlen == 0 || clen == 0)
		return n;
	if (trace_word_is(line + off, clen, "LOGIN")) {
		rs->in_login = literal;
		off += clen;
		return off < n ? off + 1 : n;
	}
	rs->in_login = false;
	if (!trace_word_is(line + off, clen, "AUTHENTICATE"))
		return n;
	if (tlen >= sizeof rs->auth_tag)
		tlen = sizeof rs->auth_tag - 1;
	memcpy(rs->auth_tag, line + tag, tlen);
	rs->auth_tag[tlen] = '\0';
	off += clen;
	mlen = trace_word(line, n, &off);
	off += mlen;
	return off < n ? off + 1 : n;
}

/* True if literal data sent now must not even be summarized by size. */
bool
trace_redact_literal(const struct redact *rs, enum trace_dir dir)
{
	return dir == TRACE_OUT && (rs->in_login || rs->auth_tag[0] != '\0');
}

/* A trace: emit may be NULL for log_trace. */
struct trace *
trace_new(trace_emit_fn *emit, void *arg)
{
	struct trace	*t;

	t = xcalloc(1, sizeof *t);
	t->emit = emit != NULL ? emit : trace_log;
	t->arg = arg;
	buf_init(&t->side[TRACE_IN].line);
	buf_init(&t->side[TRACE_OUT].line);
	return t;
}

/* Free and set *t to NULL; accepts NULL. Unfinished lines are dropped. */
void
trace_free(struct trace **tp)
{
	struct trace	*t;
	int		 i;

	if (tp == NULL || (t = *tp) == NULL)
		return;
	for (i = 0; i < 2; i++) {
		if (t->side[i].line.data != NULL)
			trace_wipe(t->side[i].line.data, t->side[i].line.cap);
		buf_free(&t->side[i].line);
	}
	trace_wipe(&t->rs, sizeof t->rs);
	free(t);
	*tp = NULL;
}

static void
trace_emit(struct trace *t, enum trace_dir dir, const char *fmt, ...)
    QUIRE_PRINTF(3, 4);

static void
trace_emit(struct trace *t, enum trace_dir dir, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	buf_addstr(&b, dir == TRACE_IN ? "S: " : "C: ");
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	t->emit(t->arg, buf_str(&b));
	trace_wipe(b.data, b.cap);
	buf_free(&b);
}

/* The size of a literal marker ending the line, or -1. */
static int64_t
trace_marker(const struct trace_side *s)
{
	size_t		i = s->tail_len;
	uint64_t	v = 0, mul = 1;
	int		digits = 0;

	if (i == 0 || s->tail[--i] != '}')
		return -1;
	if (i > 0 && s->tail[i - 1] == '+')
		i--;
	while (i > 0 && s->tail[i - 1] >= '0' && s->tail[i - 1] <= '9') {
		if (++digits > 18)
			return -1;
		v += (uint64_t)(s->tail[--i] - '0') * mul;
		mul *= 10;
	}
	if (digits == 0 || i == 0 || s->tail[i - 1] != '{')
		return -1;
	return (int64_t)v;
}

static void
trace_tail_add(struct trace_side *s, const char *p, size_t m)
{
	size_t	keep;

	if (m >= TRACE_TAIL) {
		memcpy(s->tail, p + m - TRACE_TAIL, TRACE_TAIL);
		s->tail_len = TRACE_TAIL;
		return;
	}
	keep = TRACE_TAIL - m;
	if (s->tail_len > keep) {
		memmove(s->tail, s->tail + s->tail_len - keep, keep);
		s->tail_len = keep;
	}
	memcpy(s->tail + s->tail_len, p, m);
	s->tail_len += m;
}

static void
trace_literal_end(struct trace *t, enum trace_dir dir)
{
	struct trace_side	*s = &t->side[dir];

	if (s->literal_hidden)
		trace_emit(t, dir, "<redacted>");
	else
		trace_emit(t, dir, "<literal, %llu bytes>",
		    (unsigned long long)s->literal_size);
	s->in_literal = false;
	s->literal_hidden = false;
	s->cont = true;
}

/* The line is complete (its LF seen): redact, write, reset. */
static void
trace_line_end(struct trace *t, enum trace_dir dir)
{
	struct trace_side	*s = &t->side[dir];
	int64_t			 lit;
	size_t			 shown, keep;

	if (s->tail_len > 0 && s->tail[s->tail_len - 1] == '\r') {
		s->tail_len--;
		s->len--;
		if (s->line.len > s->len) {
			s->line.len = (size_t)s->len;
			s->line.data[s->line.len] = '\0';
		}
	}
	lit = trace_marker(s);
	shown = s->line.len;
	keep = trace_redact(&t->rs, dir, s->line.data != NULL ?
	    s->line.data : "", shown, s->cont, lit >= 0);
	if (s->len == 0 && s->cont)
		;			/* the CRLF that ends a literal command */
	else if (keep < shown)
		trace_emit(t, dir, "%.*s<redacted>", (int)keep, s->line.data);
	else if (s->len > shown)
		trace_emit(t, dir, "%.*s... [%llu bytes]", (int)shown,
		    s->line.data, (unsigned long long)s->len);
	else
		trace_emit(t, dir, "%s", buf_str(&s->line));
	if (s->line.data != NULL)
		trace_wipe(s->line.data, s->line.cap);
	buf_reset(&s->line);
	s->len = 0;
	s->tail_len = 0;
	s->cont = false;
	if (lit < 0)
		return;
	s->in_literal = true;
	s->literal = s->literal_size = (uint64_t)lit;
	s->literal_hidden = trace_redact_literal(&t->rs, dir);
	if (lit == 0)
		trace_literal_end(t, dir);
}

/* Bytes that went in direction dir, in any slicing. */
void
trace_feed(struct trace *t, enum trace_dir dir, const char *p, size_t n)
{
	struct trace_side	*s = &t->side[dir];
	const char		*lf;
	size_t			 k, room;

	while (n > 0) {
		if (s->in_literal) {
			k = n < s->literal ? n : (size_t)s->literal;
			s->literal -= k;
			p += k;
			n -= k;
			if (s->literal == 0)
				trace_literal_end(t, dir);
			continue;
		}
		lf = memchr(p, '\n', n);
		k = lf != NULL ? (size_t)(lf - p) : n;
		room = TRACE_SHOW - s->line.len;
		buf_add(&s->line, p, k < room ? k : room);
		s->len += k;
		trace_tail_add(s, p, k);
		p += k;
		n -= k;
		if (lf != NULL) {
			trace_line_end(t, dir);
			p++;
			n--;
		}
	}
}

/* A note of the wire's own (connected, TLS up, failed), as "-- text". */
void
trace_note(struct trace *t, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	buf_addstr(&b, "-- ");
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	t->emit(t->arg, buf_str(&b));
	buf_free(&b);
}
