/*
 * The wire: one guarded connection, and libetpan's view of it.
 *
 * libetpan reads and writes through the mailstream_low driver at the end of
 * this file, which lands in wire_read() and wire_write(). Both run under a
 * deadline and watch the cancel pipe; neither ever returns 0, because
 * libetpan takes 0 for "try again" and spins (LIBETPAN.md 2). Every byte
 * handed to libetpan goes through the framing scanner first, so an
 * oversized literal or line, or too deep a nesting, fails the stream before
 * libetpan can allocate for it or recurse into it.
 *
 * Threads: the session thread does everything except wire_cancel(), which
 * sets an atomic flag and writes a byte to the cancel pipe that every
 * poll() watches; wire_cancel_clear() drains it.
 *
 * The scanner also rewrites a NUL inside a quoted string (frame.c); the
 * rewritten slice is longer than what was read, so what does not fit in
 * libetpan's buffer waits in w->clean for its next read, already scanned
 * and counted.
 *
 * wire_wait() reads ahead into a small buffer when the socket turns
 * readable: over TLS, a readable socket may carry only a session ticket,
 * and a session that took that for data would block in a read. So "data"
 * means bytes are really there.
 *
 * Lifetime: a reference count, one for the caller and one for each
 * mailstream_low handed to libetpan, so whichever lets go last frees.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libetpan/mailstream.h>

#include "net_priv.h"

static void wire_unref(struct wire *);

/* Fail the wire for good with a reason (the first reason wins). */
void
wire_fail(struct wire *w, const char *fmt, ...)
{
	va_list	ap;

	if (w->dead)
		return;
	free(w->error);
	va_start(ap, fmt);
	w->error = xvasprintf(fmt, ap);
	va_end(ap);
	w->dead = true;
	if (w->trace != NULL)
		trace_note(w->trace, "failed: %s", w->error);
}

/* Set the reason of a failure that is not for good (cancel). */
void
wire_set_error(struct wire *w, const char *reason)
{
	if (w->dead)
		return;
	free(w->error);
	w->error = xstrdup(reason);
}

static void
wire_fail_errno(struct wire *w, int e)
{
	switch (e) {
	case EPIPE:
		wire_fail(w, "the server closed the connection");
		break;
	case ECONNRESET:
		wire_fail(w, "connection reset by the server");
		break;
	case ETIMEDOUT:
		wire_fail(w, "the connection timed out");
		break;
	case EPROTO:
		wire_fail(w, "TLS error: %s", tls_last_error(w));
		break;
	default:
		wire_fail(w, "connection error: %s", strerror(e));
		break;
	}
}

static void
wire_fail_timeout(struct wire *w, const char *what)
{
	if (w->read_ms % 1000 == 0)
		wire_fail(w, "%s for %d s", what, w->read_ms / 1000);
	else
		wire_fail(w, "%s for %.1f s", what, w->read_ms / 1000.0);
}

/* False (with the reason set) when the wire failed or is cancelled. */
static bool
wire_usable(struct wire *w)
{
	if (w->dead)
		return false;
	if (atomic_load(&w->cancelled)) {
		wire_set_error(w, "cancelled");
		return false;
	}
	return true;
}

static struct wire *
wire_alloc(const struct wire_opts *o)
{
	struct wire	*w;
	int		 fds[2];

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == -1)
		return NULL;
	w = xcalloc(1, sizeof *w);
	w->fd = -1;
	w->cancel_rd = fds[0];
	w->cancel_wr = fds[1];
	atomic_init(&w->cancelled, false);
	atomic_init(&w->refs, 1);
	w->host = xstrdup(o->host);
	w->read_ms = o->read_timeout_ms > 0 ? o->read_timeout_ms :
	    WIRE_DEF_READ_MS;
	w->connect_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms :
	    WIRE_DEF_CONNECT_MS;
	if (o->ca_file != NULL)
		w->ca_file = xstrdup(o->ca_file);
	w->has_pin = o->has_pin;
	memcpy(w->pin, o->pin, sizeof w->pin);
	w->frame = frame_new(&o->limits);
	if (o->trace && log_enabled(LL_TRACE))
		w->trace = trace_new(NULL, NULL);
	return w;
}

/* Close the connection; the wire stays for its counters and reason. */
static void
wire_shut(struct wire *w)
{
	tls_end(w);
	if (w->fd != -1)
		close(w->fd);
	w->fd = -1;
	w->ahead_len = w->ahead_off = 0;
	buf_reset(&w->clean);
	w->clean_off = 0;
}

static void
wire_destroy(struct wire *w)
{
	wire_shut(w);
	buf_free(&w->clean);
	close(w->cancel_rd);
	close(w->cancel_wr);
	frame_free(&w->frame);
	trace_free(&w->trace);
	free(w->host);
	free(w->ca_file);
	free(w->error);
	free(w);
}

static void
wire_unref(struct wire *w)
{
	if (atomic_fetch_sub(&w->refs, 1) == 1)
		wire_destroy(w);
}

/* Connect under the connect deadline; see net.h. */
struct wire *
wire_connect(const struct wire_opts *o, char **err)
{
	struct wire	*w;
	int64_t		 t0 = net_now(), deadline;
	char		*e = NULL;

	*err = NULL;
	if (o->host == NULL || *o->host == '\0' || o->port < 1 ||
	    o->port > 65535) {
		*err = xstrdup("no server to connect to (host and port)");
		return NULL;
	}
	if ((w = wire_alloc(o)) == NULL) {
		*err = xasprintf("cannot connect: %s", strerror(errno));
		return NULL;
	}
	deadline = t0 + w->connect_ms;
	if ((w->fd = net_connect(o->host, o->port, w->cancel_rd, deadline,
	    &e)) == -1)
		goto fail;
	if (w->trace != NULL)
		trace_note(w->trace, "connected to %s port %d in %lld ms",
		    o->host, o->port, (long long)(net_now() - t0));
	if (o->tls == WIRE_TLS_IMPLICIT) {
		if (tls_start(w, deadline, &e) == -1)
			goto fail;
		if (w->trace != NULL)
			trace_note(w->trace, "TLS up, certificate %s", w->fp);
	}
	return w;
fail:
	*err = e != NULL ? e : xstrdup("cancelled");
	wire_unref(w);
	return NULL;
}

/* True if the kernel holds bytes from the server not yet read. */
static bool
wire_peek(struct wire *w)
{
	char	c;

	return recv(w->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

/* Upgrade to TLS after the server's OK to STARTTLS; see net.h. */
int
wire_starttls(struct wire *w, size_t buffered, char **err)
{
	char	*e = NULL;

	*err = NULL;
	if (!wire_usable(w)) {
		*err = xstrdup(w->error);
		return -1;
	}
	if (w->tls != NULL) {
		*err = xstrdup("TLS is already up");
		return -1;
	}
	if (buffered > 0 || w->ahead_len > w->ahead_off ||
	    w->clean.len > w->clean_off || wire_peek(w)) {
		wire_fail(w, "the server sent data after its STARTTLS reply; "
		    "refusing to continue");
		*err = xstrdup(w->error);
		return -1;
	}
	if (tls_start(w, net_now() + w->connect_ms, &e) == -1) {
		if (e == NULL)
			wire_set_error(w, "cancelled");
		else
			wire_fail(w, "%s", e);
		*err = e != NULL ? e : xstrdup("cancelled");
		return -1;
	}
	if (w->trace != NULL)
		trace_note(w->trace, "TLS up, certificate %s", w->fp);
	return 0;
}

/* One non-blocking attempt: > 0, 0 on EOF, -1 with errno. */
static ssize_t
wire_recv_once(struct wire *w, void *p, size_t n)
{
	if (w->tls != NULL)
		return tls_recv(w, p, n);
	return recv(w->fd, p, n, MSG_DONTWAIT);
}

static short
wire_events(const struct wire *w, short want)
{
	if (w->tls != NULL)
		return tls_wants_write(w) ? POLLOUT : POLLIN;
	return want;
}

/* Read from the connection under the deadline: > 0, or -1 with the
 * reason set. */
static ssize_t
wire_fill(struct wire *w, void *p, size_t n, int64_t deadline)
{
	ssize_t	r;

	for (;;) {
		if ((r = wire_recv_once(w, p, n)) > 0)
			return r;
		if (r == 0) {
			wire_fail(w, "the server closed the connection");
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			wire_fail_errno(w, errno);
			return -1;
		}
		switch (net_poll(w->fd, wire_events(w, POLLIN), w->cancel_rd,
		    deadline)) {
		case NET_TIMEOUT:
			wire_fail_timeout(w, "no data from the server");
			return -1;
		case NET_CANCELLED:
			wire_set_error(w, "cancelled");
			return -1;
		case NET_READY:
			break;
		}
	}
}

/* Hand over at most n bytes of the rewritten slice. */
static ssize_t
wire_clean_out(struct wire *w, char *p, size_t n)
{
	size_t	k = w->clean.len - w->clean_off;

	if (k > n)
		k = n;
	memcpy(p, w->clean.data + w->clean_off, k);
	w->clean_off += k;
	if (w->clean_off == w->clean.len) {
		buf_reset(&w->clean);
		w->clean_off = 0;
	}
	return (ssize_t)k;
}

/* Bytes on their way to libetpan, read into p (room for room bytes):
 * scan, trace, count, and hand over the rewritten slice if NULs were. */
static ssize_t
wire_got(struct wire *w, char *p, size_t n, size_t room)
{
	int	nuls;

	if ((nuls = frame_feed_clean(w->frame, p, n, &w->clean)) == -1) {
		wire_fail(w, "%s", frame_error(w->frame));
		return -1;
	}
	if (w->trace != NULL)
		trace_feed(w->trace, TRACE_IN, p, n);
	w->stats.bytes_in += n;
	if (w->wrote) {
		w->stats.round_trips++;
		w->wrote = false;
	}
	if (nuls > 0) {
		w->clean_off = 0;
		return wire_clean_out(w, p, room);
	}
	return (ssize_t)n;
}

/* Read at most n bytes (at least one) within the read timeout. */
ssize_t
wire_read(struct wire *w, void *p, size_t n)
{
	size_t	k;
	ssize_t	r;

	if (!wire_usable(w))
		return -1;
	if (n == 0) {
		wire_set_error(w, "a read of no bytes");
		return -1;
	}
	if (w->clean.len > w->clean_off)
		return wire_clean_out(w, p, n);
	if (w->ahead_len > w->ahead_off) {
		k = w->ahead_len - w->ahead_off;
		if (k > n)
			k = n;
		memcpy(p, w->ahead + w->ahead_off, k);
		w->ahead_off += k;
		if (w->ahead_off == w->ahead_len)
			w->ahead_len = w->ahead_off = 0;
		return wire_got(w, p, k, n);
	}
	if ((r = wire_fill(w, p, n, net_now() + w->read_ms)) == -1)
		return -1;
	return wire_got(w, p, (size_t)r, n);
}

/* One non-blocking attempt to send: > 0, or -1 with errno. */
static ssize_t
wire_send_once(struct wire *w, const void *p, size_t n)
{
	ssize_t	r;

	if (w->tls != NULL) {
		r = tls_send(w, p, n);
		if (r == 0) {
			errno = EPIPE;
			return -1;
		}
		return r;
	}
	return send(w->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* Write all n bytes within the read timeout. */
ssize_t
wire_write(struct wire *w, const void *p, size_t n)
{
	const char	*c = p;
	size_t		 off = 0;
	int64_t		 deadline;
	ssize_t		 r;

	if (!wire_usable(w))
		return -1;
	deadline = net_now() + w->read_ms;
	while (off < n) {
		if ((r = wire_send_once(w, c + off, n - off)) > 0) {
			if (w->trace != NULL)
				trace_feed(w->trace, TRACE_OUT, c + off,
				    (size_t)r);
			off += (size_t)r;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			wire_fail_errno(w, errno);
			return -1;
		}
		switch (net_poll(w->fd, wire_events(w, POLLOUT), w->cancel_rd,
		    deadline)) {
		case NET_TIMEOUT:
			wire_fail_timeout(w, "the server took no data");
			return -1;
		case NET_CANCELLED:
			wire_set_error(w, "cancelled");
			return -1;
		case NET_READY:
			break;
		}
	}
	w->stats.bytes_out += n;
	w->wrote = n > 0;
	return (ssize_t)n;
}

/* The socket is readable: read ahead. 1 data, 0 none yet (a TLS record
 * with nothing for us), -1 failed. */
static int
wire_ahead(struct wire *w)
{
	ssize_t	r;

	r = wire_recv_once(w, w->ahead, sizeof w->ahead);
	if (r > 0) {
		w->ahead_len = (size_t)r;
		w->ahead_off = 0;
		return 1;
	}
	if (r == 0) {
		wire_fail(w, "the server closed the connection");
		return -1;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	wire_fail_errno(w, errno);
	return -1;
}

/* Wait for the server and extra_fd at once; see net.h. */
int
wire_wait(struct wire *w, int extra_fd, int timeout_ms)
{
	struct pollfd	pfd[3];
	int64_t		deadline;
	int		mask, r;

	if (!wire_usable(w))
		return -1;
	if (w->ahead_len > w->ahead_off || w->clean.len > w->clean_off ||
	    tls_pending(w) > 0)
		return WIRE_READY_DATA;
	deadline = timeout_ms < 0 ? -1 : net_now() + timeout_ms;
	for (;;) {
		pfd[0].fd = w->cancel_rd;
		pfd[1].fd = w->fd;
		pfd[2].fd = extra_fd;
		pfd[0].events = pfd[2].events = POLLIN;
		pfd[1].events = wire_events(w, POLLIN) | POLLIN;
		pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
		r = poll(pfd, extra_fd >= 0 ? 3 : 2, net_left(deadline));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			wire_fail(w, "poll: %s", strerror(errno));
			return -1;
		}
		if (pfd[0].revents != 0) {
			wire_set_error(w, "cancelled");
			return -1;
		}
		mask = pfd[2].revents != 0 ? WIRE_READY_FD : 0;
		if (pfd[1].revents != 0) {
			if ((r = wire_ahead(w)) == -1)
				return -1;
			if (r == 1)
				mask |= WIRE_READY_DATA;
		}
		if (mask != 0)
			return mask;
		if (net_left(deadline) == 0)
			return 0;
	}
}

/* Fail every read, write and wait with "cancelled"; any thread. */
void
wire_cancel(struct wire *w)
{
	ssize_t	r;

	atomic_store(&w->cancelled, true);
	do
		r = write(w->cancel_wr, "", 1);
	while (r == -1 && errno == EINTR);
}

/* Accept reads and writes again after wire_cancel(). */
void
wire_cancel_clear(struct wire *w)
{
	char	b[64];

	while (read(w->cancel_rd, b, sizeof b) > 0)
		;
	atomic_store(&w->cancelled, false);
	if (!w->dead) {
		free(w->error);
		w->error = NULL;
	}
}

/* Why the last call failed; NULL if none did. */
const char *
wire_error(const struct wire *w)
{
	return w->error;
}

/* The counters so far. */
void
wire_stats(const struct wire *w, struct wire_stats *st)
{
	*st = w->stats;
}

/* The server certificate's fingerprint; NULL on plaintext. */
const char *
wire_fingerprint(const struct wire *w)
{
	return w->fp[0] != '\0' ? w->fp : NULL;
}

/* True once TLS is up. */
bool
wire_is_tls(const struct wire *w)
{
	return w->tls != NULL;
}

/* Drop the caller's reference and set *w to NULL. */
void
wire_free(struct wire **wp)
{
	if (wp == NULL || *wp == NULL)
		return;
	wire_unref(*wp);
	*wp = NULL;
}

/* ---- libetpan's mailstream_low driver ---- */

static ssize_t
low_read(mailstream_low *s, void *p, size_t n)
{
	return wire_read(s->data, p, n);
}

static ssize_t
low_write(mailstream_low *s, const void *p, size_t n)
{
	return wire_write(s->data, p, n);
}

/* libetpan closes before it frees: shut the connection, keep the wire for
 * the caller's reference. */
static int
low_close(mailstream_low *s)
{
	struct wire	*w = s->data;

	if (w->fd != -1) {
		wire_shut(w);
		wire_fail(w, "the connection is closed");
	}
	return 0;
}

static int
low_get_fd(mailstream_low *s)
{
	struct wire	*w = s->data;

	return w->fd;
}

static void
low_free(mailstream_low *s)
{
	wire_unref(s->data);
	s->data = NULL;
	free(s);
}

static void
low_cancel(mailstream_low *s)
{
	wire_cancel(s->data);
}

static struct mailstream_cancel *
low_get_cancel(mailstream_low *s)
{
	return NULL;
}

/* The chain was verified by the wire; libetpan has no use for it. */
static carray *
low_certificate_chain(mailstream_low *s)
{
	return NULL;
}

/* -1: libetpan falls back to its own cancel; the session uses wire_wait. */
static int
low_idle(mailstream_low *s)
{
	return -1;
}

static mailstream_low_driver wire_driver = {
	.mailstream_read = low_read,
	.mailstream_write = low_write,
	.mailstream_close = low_close,
	.mailstream_get_fd = low_get_fd,
	.mailstream_free = low_free,
	.mailstream_cancel = low_cancel,
	.mailstream_get_cancel = low_get_cancel,
	.mailstream_get_certificate_chain = low_certificate_chain,
	.mailstream_setup_idle = low_idle,
	.mailstream_unsetup_idle = low_idle,
	.mailstream_interrupt_idle = low_idle,
};

/* The wire as libetpan's mailstream_low, holding its own reference. */
struct _mailstream_low *
wire_mailstream_low(struct wire *w)
{
	mailstream_low	*s;

	if ((s = mailstream_low_new(w, &wire_driver)) == NULL)
		fatal("out of memory for a mailstream_low");
	atomic_fetch_add(&w->refs, 1);
	return s;
}
