/*
 * faultproxy: a TCP proxy that breaks a real server's connection on cue.
 *
 * The Dovecot fixture speaks correct IMAP; the faults BAD-INPUTS.md asks
 * quire to survive on the way (a cut in the middle of a literal, a silent
 * server, a response that trickles in a byte at a time, bytes slipped in
 * behind the STARTTLS OK) come from this proxy between quire and Dovecot.
 *
 *   faultproxy [-l PORT] -c HOST:PORT [-k CTLPORT] [-t SECONDS] [RULE...]
 *
 * It listens on 127.0.0.1:PORT (default 0: the kernel picks) and forwards
 * each connection to HOST:PORT. stdout's first line is "port N", the
 * second "control M": the control port, also on 127.0.0.1. It keeps
 * accepting (a client that reconnects after a cut gets a new connection,
 * numbered from 1 upwards) until SECONDS (default 60) run out (exit 124),
 * SIGTERM or the control command quit (exit 0); then it prints the byte
 * counts on stdout, as the stats command does.
 *
 * Faults act on the server-to-client direction; client bytes go to the
 * server as they come. A fault is a command:
 *
 *   cut                  close both sides now (FIN to the client)
 *   reset                close both sides now, RST to the client
 *   stall                stop reading the server and writing the client
 *   resume               undo stall
 *   delay MS             wait MS milliseconds before each write to the client
 *   slice N              write to the client N bytes at a time (0: off)
 *   cut-after N          cut once N more bytes have gone to the client
 *   reset-after N        the same with reset
 *   stall-after N        the same with stall
 *   inject TEXT          put TEXT toward the client now, behind what was
 *                        already read from the server
 *   inject-line N TEXT   put TEXT behind the N-th server line from now
 *   inject-match PAT TEXT  put TEXT behind the next server line holding PAT
 *   clear                undo all of the above that is still pending
 *
 * TEXT is the rest of the line and takes C escapes (\r \n \t \\ \0 \xNN);
 * no CRLF is added. PAT is one word, or "quoted" to hold spaces (\x22 for
 * a quote). Bytes injected count as bytes to the client. A command with
 * "@N " in front applies to connection N only.
 *
 * RULEs (one argument each) are commands applied to every new connection
 * as it is accepted ("@2 cut-after 100": the second one only). On the
 * control port, one command per line, each answered by a line "ok" or
 * "err REASON":
 *
 *   [@N] COMMAND         apply to the open connections now
 *   rule [@N] COMMAND    add a rule for the connections still to come
 *   clear-rules          forget the rules
 *   stats                "conn N up U down D server S open|closed" per
 *                        connection, then "total conns C up U down D"
 *   quit                 stop
 *
 * up counts client bytes sent to the server, down bytes written to the
 * client, server bytes read from the server.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake.h"

#define QUEUE_HIGH	(256 * 1024)	/* stop reading above this */
#define CHUNK		65536
#define LINE_KEEP	65536		/* of a server line, for inject-match */
#define MAX_CTL		8

enum arg_kind {
	ARG_NONE,
	ARG_NUM,
	ARG_TEXT,
	ARG_NUM_TEXT,
	ARG_PAT_TEXT,
};

enum limit_action {
	LIMIT_NONE,
	LIMIT_CUT,
	LIMIT_RESET,
	LIMIT_STALL,
};

/* Bytes waiting to go one way: data[off..len). */
struct queue {
	struct buf	 b;
	size_t		 off;
};

/* An injection waiting for its line. */
struct trigger {
	uint64_t	 line;		/* fire at this line count, or 0 */
	char		*pat;		/* or at a line holding this */
	size_t		 patlen;
	char		*data;
	size_t		 len;
};

struct conn {
	int		 id;
	int		 cfd;		/* -1 once closed */
	int		 sfd;
	struct queue	 down;		/* toward the client */
	struct queue	 up;		/* toward the server */
	uint64_t	 up_bytes;
	uint64_t	 down_bytes;
	uint64_t	 server_bytes;
	bool		 client_eof;
	bool		 server_eof;
	bool		 up_shut;
	bool		 down_shut;
	bool		 stalled;
	int64_t		 delay_ms;
	size_t		 slice;
	enum limit_action limit_action;
	uint64_t	 limit;		/* in down_bytes */
	int64_t		 next_send;
	uint64_t	 lines;
	struct buf	 line;		/* the current server line */
	struct ptrarray	 triggers;
	int		 pc, ps;	/* pollfd slots */
};

/* A parsed command. */
struct cmd;
struct action {
	const char	*name;
	enum arg_kind	 arg;
	void		(*apply)(struct conn *, const struct cmd *);
};
struct cmd {
	const struct action	*action;
	int			 conn;	/* 0: all */
	uint64_t		 num;
	struct buf		 pat;
	struct buf		 text;
};

struct rule {
	int	 conn;
	char	*text;
};

struct proxy {
	int			 lfd;
	int			 kfd;
	struct sockaddr_storage	 up;
	socklen_t		 uplen;
	struct ptrarray		 conns;	/* every connection, closed too */
	struct ptrarray		 rules;
	int			 ctl[MAX_CTL];
	struct buf		 ctlin[MAX_CTL];
	bool			 quit;
};

/* ---- queues ---- */

static size_t
queue_len(const struct queue *q)
{
	return q->b.len - q->off;
}

static const char *
queue_data(const struct queue *q)
{
	return q->b.data + q->off;
}

static void
queue_add(struct queue *q, const char *p, size_t n)
{
	if (q->off > 0 && q->off == q->b.len) {
		buf_reset(&q->b);
		q->off = 0;
	} else if (q->off > CHUNK && q->off > q->b.len / 2) {
		memmove(q->b.data, q->b.data + q->off, q->b.len - q->off);
		q->b.len -= q->off;
		q->off = 0;
	}
	buf_add(&q->b, p, n);
}

static void
queue_take(struct queue *q, size_t n)
{
	q->off += n;
}

/* ---- connections ---- */

static void
trigger_free(void *p)
{
	struct trigger	*t = p;

	free(t->pat);
	free(t->data);
	free(t);
}

/* Close both sides. Client bytes still unread are drained first: closing
 * over them would turn the FIN into a RST. */
static void
conn_close(struct conn *c, bool rst)
{
	struct linger	 l = { 1, 0 };
	char		 chunk[CHUNK];

	if (c->cfd == -1)
		return;
	if (rst)
		setsockopt(c->cfd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	else {
		shutdown(c->cfd, SHUT_WR);
		while (recv(c->cfd, chunk, sizeof chunk, MSG_DONTWAIT) > 0)
			;
	}
	close(c->cfd);
	close(c->sfd);
	c->cfd = c->sfd = -1;
	ptrarray_free(&c->triggers, trigger_free);
}

static void
conn_inject(struct conn *c, const char *p, size_t n)
{
	queue_add(&c->down, p, n);
}

/* A server line ended: fire the injections waiting for it. */
static void
conn_line_end(struct conn *c)
{
	struct trigger	*t;
	size_t		 i = 0;

	while (i < c->triggers.len) {
		t = c->triggers.items[i];
		if ((t->pat == NULL && c->lines >= t->line) ||
		    (t->pat != NULL && memmem(c->line.data, c->line.len,
		    t->pat, t->patlen) != NULL)) {
			conn_inject(c, t->data, t->len);
			trigger_free(t);
			c->triggers.items[i] =
			    c->triggers.items[--c->triggers.len];
		} else
			i++;
	}
}

/* Server bytes into the queue toward the client, counting lines. */
static void
conn_feed(struct conn *c, const char *p, size_t n)
{
	const char	*lf;
	size_t		 k, keep;

	while (n > 0) {
		lf = memchr(p, '\n', n);
		k = lf != NULL ? (size_t)(lf - p) + 1 : n;
		queue_add(&c->down, p, k);
		if (c->triggers.len > 0 && c->line.len < LINE_KEEP) {
			keep = LINE_KEEP - c->line.len;
			buf_add(&c->line, p, k < keep ? k : keep);
		}
		if (lf != NULL) {
			c->lines++;
			if (c->triggers.len > 0)
				conn_line_end(c);
			buf_reset(&c->line);
		}
		p += k;
		n -= k;
	}
}

/* How many bytes may go to the client now. */
static size_t
conn_sendable(const struct conn *c, int64_t now)
{
	size_t	 n = queue_len(&c->down);

	if (c->cfd == -1 || c->stalled || now < c->next_send)
		return 0;
	if (c->slice > 0 && n > c->slice)
		n = c->slice;
	if (c->limit_action != LIMIT_NONE && c->limit - c->down_bytes < n)
		n = (size_t)(c->limit - c->down_bytes);
	return n;
}

static void
conn_check_limit(struct conn *c)
{
	enum limit_action	 a = c->limit_action;

	if (a == LIMIT_NONE || c->down_bytes < c->limit)
		return;
	c->limit_action = LIMIT_NONE;
	if (a == LIMIT_STALL)
		c->stalled = true;
	else
		conn_close(c, a == LIMIT_RESET);
}

/* ---- the fault commands ---- */

static void
act_cut(struct conn *c, const struct cmd *m)
{
	conn_close(c, false);
}

static void
act_reset(struct conn *c, const struct cmd *m)
{
	conn_close(c, true);
}

static void
act_stall(struct conn *c, const struct cmd *m)
{
	c->stalled = true;
}

static void
act_resume(struct conn *c, const struct cmd *m)
{
	c->stalled = false;
}

static void
act_delay(struct conn *c, const struct cmd *m)
{
	c->delay_ms = (int64_t)m->num;
}

static void
act_slice(struct conn *c, const struct cmd *m)
{
	c->slice = (size_t)m->num;
}

static void
set_limit(struct conn *c, const struct cmd *m, enum limit_action a)
{
	c->limit = c->down_bytes + m->num;
	c->limit_action = a;
	conn_check_limit(c);
}

static void
act_cut_after(struct conn *c, const struct cmd *m)
{
	set_limit(c, m, LIMIT_CUT);
}

static void
act_reset_after(struct conn *c, const struct cmd *m)
{
	set_limit(c, m, LIMIT_RESET);
}

static void
act_stall_after(struct conn *c, const struct cmd *m)
{
	set_limit(c, m, LIMIT_STALL);
}

static void
act_inject(struct conn *c, const struct cmd *m)
{
	conn_inject(c, m->text.data, m->text.len);
}

static void
add_trigger(struct conn *c, const struct cmd *m, uint64_t line)
{
	struct trigger	*t = xcalloc(1, sizeof *t);

	t->line = line;
	if (m->pat.len > 0) {
		t->pat = xmemdup(m->pat.data, m->pat.len);
		t->patlen = m->pat.len;
	}
	t->data = xmemdup(m->text.data, m->text.len);
	t->len = m->text.len;
	ptrarray_push(&c->triggers, t);
}

static void
act_inject_line(struct conn *c, const struct cmd *m)
{
	add_trigger(c, m, c->lines + m->num);
}

static void
act_inject_match(struct conn *c, const struct cmd *m)
{
	add_trigger(c, m, 0);
}

static void
act_clear(struct conn *c, const struct cmd *m)
{
	c->stalled = false;
	c->delay_ms = 0;
	c->slice = 0;
	c->limit_action = LIMIT_NONE;
	ptrarray_free(&c->triggers, trigger_free);
}

static const struct action actions[] = {
	{ "cut",		ARG_NONE,	act_cut },
	{ "reset",		ARG_NONE,	act_reset },
	{ "stall",		ARG_NONE,	act_stall },
	{ "resume",		ARG_NONE,	act_resume },
	{ "delay",		ARG_NUM,	act_delay },
	{ "slice",		ARG_NUM,	act_slice },
	{ "cut-after",		ARG_NUM,	act_cut_after },
	{ "reset-after",	ARG_NUM,	act_reset_after },
	{ "stall-after",	ARG_NUM,	act_stall_after },
	{ "inject",		ARG_TEXT,	act_inject },
	{ "inject-line",	ARG_NUM_TEXT,	act_inject_line },
	{ "inject-match",	ARG_PAT_TEXT,	act_inject_match },
	{ "clear",		ARG_NONE,	act_clear },
};

/* ---- parsing commands ---- */

static void
cmd_free(struct cmd *m)
{
	buf_free(&m->pat);
	buf_free(&m->text);
}

/* PAT: a word or a "quoted" string, escapes decoded; advances *s. */
static bool
parse_pat(char **s, struct buf *out)
{
	char	*p = *s, *end;

	if (*p == '"') {
		if ((end = strchr(++p, '"')) == NULL)
			return false;
		*end++ = '\0';
	} else {
		end = p + strcspn(p, " ");
		if (*end != '\0')
			*end++ = '\0';
	}
	if (*end == ' ')
		end++;
	*s = end;
	return fake_unescape(p, out) && out->len > 0;
}

static bool
parse_args(struct cmd *m, char *arg)
{
	enum arg_kind	 k = m->action->arg;
	char		*num = arg;

	if (k == ARG_NONE)
		return *arg == '\0';
	if (k == ARG_NUM || k == ARG_NUM_TEXT) {
		if ((arg = strchr(arg, ' ')) != NULL)
			*arg++ = '\0';
		if ((k == ARG_NUM) != (arg == NULL) ||
		    !fake_parse_size(num, &m->num))
			return false;
	}
	if (k == ARG_NUM)
		return true;
	if (k == ARG_PAT_TEXT && !parse_pat(&arg, &m->pat))
		return false;
	buf_addstr(&m->text, "");
	return fake_unescape(arg, &m->text);
}

/* Parse "[@N] name args" (line is changed); false with *err set. */
static bool
cmd_parse(struct cmd *m, char *line, const char **err)
{
	long	 conn;
	char	*name, *sp;
	size_t	 i;

	memset(m, 0, sizeof *m);
	if (line[0] == '@') {
		if ((sp = strchr(line, ' ')) == NULL)
			sp = line + strlen(line);
		else
			*sp++ = '\0';
		if (!str_to_long(line + 1, 1, 1000000, &conn)) {
			*err = "bad connection number";
			return false;
		}
		m->conn = (int)conn;
		line = sp;
	}
	name = line;
	if ((sp = strchr(line, ' ')) == NULL)
		sp = line + strlen(line);
	else
		*sp++ = '\0';
	for (i = 0; i < nitems(actions); i++) {
		if (strcmp(actions[i].name, name) == 0)
			break;
	}
	if (i == nitems(actions)) {
		*err = "unknown command";
		return false;
	}
	m->action = &actions[i];
	if (!parse_args(m, sp)) {
		cmd_free(m);
		*err = "bad arguments";
		return false;
	}
	return true;
}

/* ---- connections: accept, forward ---- */

static void
apply_rules(struct proxy *px, struct conn *c)
{
	struct rule	*r;
	struct cmd	 m;
	const char	*err;
	char		*copy;
	size_t		 i;

	for (i = 0; i < px->rules.len && c->cfd != -1; i++) {
		r = px->rules.items[i];
		if (r->conn != 0 && r->conn != c->id)
			continue;
		copy = xstrdup(r->text);
		if (cmd_parse(&m, copy, &err)) {
			m.action->apply(c, &m);
			cmd_free(&m);
		}
		free(copy);
	}
}

static int
connect_upstream(const struct proxy *px)
{
	int	 fd, on = 1;

	fd = socket(px->up.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)&px->up, px->uplen) == -1) {
		fprintf(stderr, "faultproxy: connect upstream: %s\n",
		    strerror(errno));
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void
proxy_accept(struct proxy *px)
{
	struct conn	*c;
	int		 fd, sfd, on = 1;

	if ((fd = accept4(px->lfd, NULL, NULL,
	    SOCK_CLOEXEC | SOCK_NONBLOCK)) == -1)
		return;
	if ((sfd = connect_upstream(px)) == -1) {
		close(fd);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	c = xcalloc(1, sizeof *c);
	c->id = (int)px->conns.len + 1;
	c->cfd = fd;
	c->sfd = sfd;
	ptrarray_push(&px->conns, c);
	apply_rules(px, c);
}

static void
conn_from_server(struct conn *c)
{
	char	 chunk[CHUNK];
	ssize_t	 r;

	r = recv(c->sfd, chunk, sizeof chunk, 0);
	if (r > 0) {
		c->server_bytes += (uint64_t)r;
		conn_feed(c, chunk, (size_t)r);
	} else if (r == 0)
		c->server_eof = true;
	else if (errno != EAGAIN && errno != EINTR)
		conn_close(c, true);
}

static void
conn_from_client(struct conn *c)
{
	char	 chunk[CHUNK];
	ssize_t	 r;

	r = recv(c->cfd, chunk, sizeof chunk, 0);
	if (r > 0)
		queue_add(&c->up, chunk, (size_t)r);
	else if (r == 0)
		c->client_eof = true;
	else if (errno != EAGAIN && errno != EINTR)
		conn_close(c, true);
}

static void
conn_to_server(struct conn *c)
{
	ssize_t	 w;

	w = send(c->sfd, queue_data(&c->up), queue_len(&c->up),
	    MSG_NOSIGNAL);
	if (w > 0) {
		queue_take(&c->up, (size_t)w);
		c->up_bytes += (uint64_t)w;
	} else if (w == -1 && errno != EAGAIN && errno != EINTR)
		conn_close(c, false);
}

static void
conn_to_client(struct conn *c, int64_t now)
{
	size_t	 n;
	ssize_t	 w;

	if ((n = conn_sendable(c, now)) == 0)
		return;
	w = send(c->cfd, queue_data(&c->down), n, MSG_NOSIGNAL);
	if (w > 0) {
		queue_take(&c->down, (size_t)w);
		c->down_bytes += (uint64_t)w;
		if (c->delay_ms > 0)
			c->next_send = now + c->delay_ms;
		conn_check_limit(c);
	} else if (w == -1 && errno != EAGAIN && errno != EINTR)
		conn_close(c, false);
}

/* Pass on an end of stream once its queue is empty; close when both
 * directions are done. */
static void
conn_settle(struct conn *c)
{
	if (c->cfd == -1)
		return;
	if (c->client_eof && !c->up_shut && queue_len(&c->up) == 0) {
		shutdown(c->sfd, SHUT_WR);
		c->up_shut = true;
	}
	if (c->server_eof && !c->down_shut && queue_len(&c->down) == 0) {
		shutdown(c->cfd, SHUT_WR);
		c->down_shut = true;
	}
	if (c->up_shut && c->down_shut)
		conn_close(c, false);
}

/* The poll events a connection wants now, per side. */
static void
conn_events(const struct conn *c, int64_t now, short *cev, short *sev)
{
	*cev = *sev = 0;
	if (c->cfd == -1)
		return;
	if (!c->client_eof && queue_len(&c->up) < QUEUE_HIGH)
		*cev |= POLLIN;
	if (conn_sendable(c, now) > 0)
		*cev |= POLLOUT;
	if (!c->server_eof && !c->stalled && queue_len(&c->down) < QUEUE_HIGH)
		*sev |= POLLIN;
	if (queue_len(&c->up) > 0)
		*sev |= POLLOUT;
}

static void
conn_io(struct conn *c, short crev, short srev, int64_t now)
{
	if (srev & (POLLIN | POLLHUP | POLLERR))
		conn_from_server(c);
	if (c->cfd != -1 && (crev & (POLLIN | POLLHUP | POLLERR)))
		conn_from_client(c);
	if (c->cfd != -1 && (srev & POLLOUT))
		conn_to_server(c);
	if (c->cfd != -1 && (crev & POLLOUT))
		conn_to_client(c, now);
	conn_settle(c);
}

/* ---- control ---- */

static void
stats(const struct proxy *px, struct buf *out)
{
	const struct conn	*c;
	uint64_t		 up = 0, down = 0;
	size_t			 i;

	for (i = 0; i < px->conns.len; i++) {
		c = px->conns.items[i];
		buf_printf(out, "conn %d up %llu down %llu server %llu %s\n",
		    c->id, (unsigned long long)c->up_bytes,
		    (unsigned long long)c->down_bytes,
		    (unsigned long long)c->server_bytes,
		    c->cfd == -1 ? "closed" : "open");
		up += c->up_bytes;
		down += c->down_bytes;
	}
	buf_printf(out, "total conns %zu up %llu down %llu\n", px->conns.len,
	    (unsigned long long)up, (unsigned long long)down);
}

/* Apply a command to the open connections it names. */
static const char *
apply_now(struct proxy *px, char *line)
{
	struct conn	*c;
	struct cmd	 m;
	const char	*err = NULL;
	size_t		 i, n = 0;

	if (!cmd_parse(&m, line, &err))
		return err;
	for (i = 0; i < px->conns.len; i++) {
		c = px->conns.items[i];
		if (c->cfd == -1 || (m.conn != 0 && m.conn != c->id))
			continue;
		m.action->apply(c, &m);
		n++;
	}
	cmd_free(&m);
	return n == 0 ? "no such open connection" : NULL;
}

static const char *
add_rule(struct proxy *px, const char *text)
{
	struct rule	*r;
	struct cmd	 m;
	const char	*err;
	char		*copy = xstrdup(text);
	bool		 ok;

	ok = cmd_parse(&m, copy, &err);
	free(copy);
	if (!ok)
		return err;
	r = xcalloc(1, sizeof *r);
	r->conn = m.conn;
	r->text = xstrdup(text);
	ptrarray_push(&px->rules, r);
	cmd_free(&m);
	return NULL;
}

static void
rule_free(void *p)
{
	struct rule	*r = p;

	free(r->text);
	free(r);
}

/* One control line; the reply goes to out. */
static void
control_line(struct proxy *px, char *line, struct buf *out)
{
	const char	*err = NULL;

	if (strcmp(line, "stats") == 0)
		stats(px, out);
	else if (strcmp(line, "quit") == 0)
		px->quit = true;
	else if (strcmp(line, "clear-rules") == 0)
		ptrarray_free(&px->rules, rule_free);
	else if (strncmp(line, "rule ", 5) == 0)
		err = add_rule(px, line + 5);
	else
		err = apply_now(px, line);
	if (err != NULL)
		buf_printf(out, "err %s\n", err);
	else
		buf_addstr(out, "ok\n");
}

static void
control_read(struct proxy *px, int i)
{
	struct buf	*in = &px->ctlin[i], out = BUF_INIT;
	char		 chunk[4096], *lf, *line;
	size_t		 used;
	ssize_t		 r, w;

	if ((r = recv(px->ctl[i], chunk, sizeof chunk, 0)) <= 0 ||
	    in->len > CHUNK) {
		close(px->ctl[i]);
		px->ctl[i] = -1;
		buf_free(in);
		return;
	}
	buf_add(in, chunk, (size_t)r);
	while ((lf = memchr(in->data, '\n', in->len)) != NULL) {
		used = (size_t)(lf + 1 - in->data);
		line = xstrndup(in->data, used - 1);
		line[strcspn(line, "\r")] = '\0';
		memmove(in->data, lf + 1, in->len - used);
		in->len -= used;
		control_line(px, line, &out);
		free(line);
	}
	if (out.len > 0) {
		w = write(px->ctl[i], out.data, out.len);
		(void)w;
	}
	buf_free(&out);
}

static void
control_accept(struct proxy *px)
{
	int	 fd, i;

	if ((fd = accept4(px->kfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return;
	for (i = 0; i < MAX_CTL; i++) {
		if (px->ctl[i] == -1) {
			px->ctl[i] = fd;
			return;
		}
	}
	close(fd);
}

/* ---- the loop ---- */

/* Fill the poll set; returns its size and the wait in milliseconds. */
static nfds_t
poll_set(struct proxy *px, struct pollfd *pfd, int64_t now, int *wait)
{
	struct conn	*c;
	nfds_t		 n = 0;
	size_t		 i;
	short		 cev, sev;

	pfd[n++] = (struct pollfd){ px->lfd, POLLIN, 0 };
	pfd[n++] = (struct pollfd){ px->kfd, POLLIN, 0 };
	for (i = 0; i < MAX_CTL; i++)
		pfd[n++] = (struct pollfd){ px->ctl[i], POLLIN, 0 };
	for (i = 0; i < px->conns.len; i++) {
		c = px->conns.items[i];
		conn_events(c, now, &cev, &sev);
		/* A negative fd is skipped: no POLLHUP spin on a side that
		 * is not being read. */
		c->pc = (int)n;
		pfd[n++] = (struct pollfd){ cev ? c->cfd : -1, cev, 0 };
		c->ps = (int)n;
		pfd[n++] = (struct pollfd){ sev ? c->sfd : -1, sev, 0 };
		if (c->cfd != -1 && !c->stalled && queue_len(&c->down) > 0 &&
		    c->next_send > now && c->next_send - now < *wait)
			*wait = (int)(c->next_send - now);
	}
	return n;
}

static void
proxy_loop(struct proxy *px, int64_t deadline)
{
	struct pollfd	*pfd = NULL;
	struct conn	*c;
	size_t		 i, nconns;
	int64_t		 now;
	int		 wait;
	nfds_t		 n;

	while (!px->quit && !fake_signalled &&
	    (now = fake_now_ms()) < deadline) {
		pfd = xreallocarray(pfd, 2 + MAX_CTL + 2 * px->conns.len,
		    sizeof *pfd);
		wait = deadline - now < 1000 ? (int)(deadline - now) : 1000;
		n = poll_set(px, pfd, now, &wait);
		nconns = px->conns.len;
		if (poll(pfd, n, wait) <= 0)
			continue;
		now = fake_now_ms();
		for (i = 0; i < nconns; i++) {
			c = px->conns.items[i];
			conn_io(c, pfd[c->pc].revents, pfd[c->ps].revents, now);
		}
		for (i = 0; i < MAX_CTL; i++) {
			if (pfd[2 + i].revents != 0)
				control_read(px, (int)i);
		}
		if (pfd[1].revents & POLLIN)
			control_accept(px);
		if (pfd[0].revents & POLLIN)
			proxy_accept(px);
	}
	free(pfd);
}

static void
conn_free(void *p)
{
	struct conn	*c = p;

	conn_close(c, false);
	buf_free(&c->down.b);
	buf_free(&c->up.b);
	buf_free(&c->line);
	free(c);
}

static void
proxy_free(struct proxy *px)
{
	int	 i;

	for (i = 0; i < MAX_CTL; i++) {
		if (px->ctl[i] != -1)
			close(px->ctl[i]);
		buf_free(&px->ctlin[i]);
	}
	ptrarray_free(&px->conns, conn_free);
	ptrarray_free(&px->rules, rule_free);
	close(px->lfd);
	close(px->kfd);
}

static void
resolve(struct proxy *px, const char *hostport)
{
	struct addrinfo	 hints, *res;
	char		*host = xstrdup(hostport), *port;
	int		 r;

	if ((port = strrchr(host, ':')) == NULL)
		fake_die("-c wants HOST:PORT");
	*port++ = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0)
		fake_die("%s: %s", hostport, gai_strerror(r));
	memcpy(&px->up, res->ai_addr, res->ai_addrlen);
	px->uplen = res->ai_addrlen;
	freeaddrinfo(res);
	free(host);
}

static void
usage(void)
{
	fake_die("usage: faultproxy [-l port] -c host:port [-k ctlport] "
	    "[-t seconds] [rule...]");
}

int
main(int argc, char **argv)
{
	struct proxy	 px;
	struct buf	 out = BUF_INIT;
	const char	*err, *upstream = NULL;
	long		 port = 0, kport = 0, seconds = 60;
	int		 c, i, bound, status = FAKE_EXIT_OK;

	memset(&px, 0, sizeof px);
	while ((c = getopt(argc, argv, "l:c:k:t:")) != -1) {
		if ((c == 'l' && !str_to_long(optarg, 0, 65535, &port)) ||
		    (c == 'k' && !str_to_long(optarg, 0, 65535, &kport)) ||
		    (c == 't' && !str_to_long(optarg, 1, 86400, &seconds)) ||
		    c == '?')
			usage();
		if (c == 'c')
			upstream = optarg;
	}
	if (upstream == NULL)
		usage();
	resolve(&px, upstream);
	for (i = optind; i < argc; i++) {
		if ((err = add_rule(&px, argv[i])) != NULL)
			fake_die("rule \"%s\": %s", argv[i], err);
	}
	for (i = 0; i < MAX_CTL; i++)
		px.ctl[i] = -1;
	fake_catch_signals();
	px.lfd = fake_listen((int)port, &bound);
	printf("port %d\n", bound);
	px.kfd = fake_listen((int)kport, &bound);
	printf("control %d\n", bound);
	fflush(stdout);
	proxy_loop(&px, fake_now_ms() + seconds * 1000);
	stats(&px, &out);
	fputs(buf_str(&out), stdout);
	buf_free(&out);
	if (!px.quit && !fake_signalled) {
		fprintf(stderr, "faultproxy: time limit of %ld s\n", seconds);
		status = FAKE_EXIT_TIMEOUT;
	}
	proxy_free(&px);
	return status;
}
