/*
 * Waiting for something to happen, without missing anything.
 *
 * With IDLE and a folder selected, the session sends IDLE and then waits
 * on two things at once through wire_wait(): the server's socket and the
 * command queue's pipe. Whichever wakes it, it sends DONE; libetpan then
 * parses what the server said (into the response info, and FETCHes into
 * the handler) and sx_after() harvests it, so another client's change
 * reaches the UI one round trip after the server sends it. A command ends
 * IDLE at once, runs, and the next pass idles again. IDLE is renewed well
 * before the 30 minutes servers allow (RFC 2177), and sooner when a STATUS
 * crawl is due. Bytes libetpan already holds do not make the socket
 * readable: check its buffer first (LIBETPAN.md 7). And since
 * mailimap_idle() throws away untagged data that arrives before its "+",
 * data already waiting when IDLE would start is taken with a NOOP.
 *
 * Without IDLE, or with no folder selected, a NOOP every 30 s (5 minutes
 * when nothing is selected) does the same job more slowly.
 */
#include "config.h"

#include <stdlib.h>

#include <libetpan/libetpan.h>

#include "session_priv.h"

#define IDLE_RENEW_MS	(20 * 60 * 1000)
#define NOOP_EVERY_MS	(30 * 1000)
#define KEEPALIVE_MS	(5 * 60 * 1000)

/* Milliseconds until the wait must end: limit, or the next STATUS crawl. */
static int
wait_budget(struct session *s, int limit)
{
	int64_t	 now = mono_ms(), left = limit;

	if (s->fl.n > 0 && !s->fl.crawling && s->fl.status_due - now < left)
		left = s->fl.status_due - now;
	return left < 0 ? 0 : (int)left;
}

static enum sx
wire_broken(struct session *s)
{
	const char	*why = wire_error(s->c->wire);

	free(s->broken);
	s->broken = xasprintf("IDLE failed: %s", why != NULL ? why :
	    "the connection failed");
	s->c->broken = true;
	return SX_BROKEN;
}

/* No IDLE: wait for a command or the server, then NOOP. */
static enum sx
poll_wait(struct session *s, int ms)
{
	int	 w;

	if (s->sel.bf_top == 0)
		ev_state(s, CS_ONLINE, NULL, 0);
	w = wire_wait(s->c->wire, cmdq_fd(&s->cmds), ms);
	if (w < 0)
		return wire_broken(s);
	if (w & WIRE_READY_FD)
		return SX_OK;
	s->doing = "NOOP";
	return sx_after(s, mailimap_noop(s->c->imap)) == SX_BROKEN ?
	    SX_BROKEN : SX_OK;
}

enum sx
idle_wait(struct session *s)
{
	mailimap	*imap = s->c->imap;
	int64_t		 deadline;
	enum sx		 x;
	int		 w = 0, left;

	if (!(s->c->caps & CAP_IDLE) || s->sel.name == NULL || s->detour)
		return poll_wait(s, wait_budget(s, s->sel.name != NULL ?
		    NOOP_EVERY_MS : KEEPALIVE_MS));
	if (!cmdq_empty(&s->cmds))
		return SX_OK;
	/* mailimap_idle() drops untagged data that comes before its "+":
	 * take anything already on its way with a NOOP first. */
	if (imap->imap_stream->read_buffer_len > 0 ||
	    (w = wire_wait(s->c->wire, -1, 0)) > 0) {
		s->doing = "NOOP";
		return sx_after(s, mailimap_noop(imap)) == SX_BROKEN ?
		    SX_BROKEN : SX_OK;
	}
	if (w < 0)
		return wire_broken(s);
	deadline = mono_ms() + wait_budget(s, IDLE_RENEW_MS);
	s->doing = "IDLE";
	if ((x = sx_after(s, mailimap_idle(imap))) != SX_OK) {
		if (x == SX_NO) {
			log_info("IDLE refused: %s", s->no_text);
			s->c->caps &= ~CAP_IDLE;
		}
		return x == SX_BROKEN ? x : SX_OK;
	}
	if (s->sel.bf_top == 0 && !s->sel.need_new && !s->sel.need_rebuild)
		ev_state(s, CS_ONLINE, NULL, 0);
	for (;;) {
		if (imap->imap_stream != NULL &&
		    imap->imap_stream->read_buffer_len > 0)
			break;
		left = (int)(deadline - mono_ms());
		if (left <= 0)
			break;
		w = wire_wait(s->c->wire, cmdq_fd(&s->cmds), left);
		if (w < 0)
			return wire_broken(s);
		if (w != 0)
			break;
	}
	return sx_after(s, mailimap_idle_done(imap));
}
