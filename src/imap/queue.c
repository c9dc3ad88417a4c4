/*
 * The two queues between the UI thread and the session thread.
 *
 * Commands flow one way and events the other; each is a tagged struct that
 * owns its payload, handed over whole. A queue is a ring of pointers under
 * a mutex, plus a non-blocking pipe that holds one byte exactly while the
 * ring is not empty (the byte is written and drained under the mutex, so
 * the two never disagree). The reader polls that pipe beside its other
 * file descriptors: the UI beside the terminal, the session beside the
 * server's socket while in IDLE, so a key press interrupts IDLE at once.
 * Between reconnects the session sleeps on the command queue's condition
 * variable instead, which every push signals.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "session_priv.h"

/* ---- the ring ---- */

static void
ring_grow(struct ring *r)
{
	size_t	 ncap, i;
	void	**n;

	ncap = r->cap == 0 ? 16 : r->cap * 2;
	n = xreallocarray(NULL, ncap, sizeof *n);
	for (i = 0; i < r->len; i++)
		n[i] = r->items[(r->head + i) % r->cap];
	free(r->items);
	r->items = n;
	r->head = 0;
	r->cap = ncap;
}

static void
ring_push(struct ring *r, void *p)
{
	if (r->len == r->cap)
		ring_grow(r);
	r->items[(r->head + r->len) % r->cap] = p;
	r->len++;
}

static void
ring_push_front(struct ring *r, void *p)
{
	if (r->len == r->cap)
		ring_grow(r);
	r->head = (r->head + r->cap - 1) % r->cap;
	r->items[r->head] = p;
	r->len++;
}

static void *
ring_pop(struct ring *r)
{
	void	*p;

	if (r->len == 0)
		return NULL;
	p = r->items[r->head];
	r->head = (r->head + 1) % r->cap;
	r->len--;
	return p;
}

static void *
ring_at(const struct ring *r, size_t i)
{
	return r->items[(r->head + i) % r->cap];
}

/* ---- the pipe that mirrors "not empty" ---- */

static int
pipe_open(int fds[2], char **err)
{
	int	 i;

	if (pipe(fds) == -1) {
		*err = xasprintf("cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++) {
		if (fcntl(fds[i], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(fds[i], F_SETFD, FD_CLOEXEC) == -1) {
			*err = xasprintf("cannot set up a pipe: %s",
			    strerror(errno));
			close(fds[0]);
			close(fds[1]);
			return -1;
		}
	}
	return 0;
}

static void
pipe_signal(int fd)
{
	ssize_t	 n;

	do
		n = write(fd, "x", 1);
	while (n == -1 && errno == EINTR);
	/* EAGAIN: the pipe is readable already, which is all we want. */
}

static void
pipe_drain(int fd)
{
	char	 b[64];
	ssize_t	 n;

	do
		n = read(fd, b, sizeof b);
	while (n > 0 || (n == -1 && errno == EINTR));
}

/* ---- commands ---- */

int
cmdq_init(struct cmdq *q, char **err)
{
	pthread_condattr_t	 ca;

	memset(q, 0, sizeof *q);
	if (pipe_open(q->wake, err) == -1)
		return -1;
	pthread_mutex_init(&q->mtx, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->cond, &ca);
	pthread_condattr_destroy(&ca);
	return 0;
}

void
cmdq_destroy(struct cmdq *q)
{
	struct imap_cmd	*c;

	while ((c = ring_pop(&q->ring)) != NULL)
		imap_cmd_free(&c);
	free(q->ring.items);
	close(q->wake[0]);
	close(q->wake[1]);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->mtx);
}

static void
cmdq_add(struct cmdq *q, struct imap_cmd *cmd, bool front)
{
	pthread_mutex_lock(&q->mtx);
	if (q->ring.len == 0 && !q->stopping)
		pipe_signal(q->wake[1]);
	if (front)
		ring_push_front(&q->ring, cmd);
	else
		ring_push(&q->ring, cmd);
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->mtx);
}

void
cmdq_push(struct cmdq *q, struct imap_cmd *cmd)
{
	cmdq_add(q, cmd, false);
}

void
cmdq_push_front(struct cmdq *q, struct imap_cmd *cmd)
{
	cmdq_add(q, cmd, true);
}

struct imap_cmd *
cmdq_pop(struct cmdq *q)
{
	struct imap_cmd	*c;

	pthread_mutex_lock(&q->mtx);
	c = ring_pop(&q->ring);
	if (q->ring.len == 0 && !q->stopping)
		pipe_drain(q->wake[0]);
	pthread_mutex_unlock(&q->mtx);
	return c;
}

bool
cmdq_empty(struct cmdq *q)
{
	bool	 e;

	pthread_mutex_lock(&q->mtx);
	e = q->ring.len == 0;
	pthread_mutex_unlock(&q->mtx);
	return e;
}

int
cmdq_fd(const struct cmdq *q)
{
	return q->wake[0];
}

void
cmdq_stop(struct cmdq *q)
{
	pthread_mutex_lock(&q->mtx);
	if (!q->stopping && q->ring.len == 0)
		pipe_signal(q->wake[1]);
	q->stopping = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->mtx);
}

bool
cmdq_stopping(struct cmdq *q)
{
	bool	 s;

	pthread_mutex_lock(&q->mtx);
	s = q->stopping;
	pthread_mutex_unlock(&q->mtx);
	return s;
}

static bool
cmdq_has(const struct cmdq *q, int type)
{
	size_t	 i;

	if (type == CMDQ_ANY)
		return q->ring.len > 0;
	for (i = 0; i < q->ring.len; i++) {
		if ((int)((struct imap_cmd *)ring_at(&q->ring, i))->type == type)
			return true;
	}
	return false;
}

bool
cmdq_wait_for(struct cmdq *q, int type, int timeout_ms)
{
	struct timespec	 ts;
	bool		 woken = true;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (timeout_ms >= 0) {
		ts.tv_sec += timeout_ms / 1000;
		ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&q->mtx);
	while (!q->stopping && !cmdq_has(q, type)) {
		if (timeout_ms < 0)
			pthread_cond_wait(&q->cond, &q->mtx);
		else if (pthread_cond_timedwait(&q->cond, &q->mtx, &ts) ==
		    ETIMEDOUT) {
			woken = q->stopping || cmdq_has(q, type);
			break;
		}
	}
	pthread_mutex_unlock(&q->mtx);
	return woken;
}

/* ---- events ---- */

int
evq_init(struct evq *q, char **err)
{
	pthread_condattr_t	 ca;

	memset(q, 0, sizeof *q);
	if (pipe_open(q->pipe, err) == -1)
		return -1;
	pthread_mutex_init(&q->mtx, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->taken, &ca);
	pthread_condattr_destroy(&ca);
	return 0;
}

void
evq_destroy(struct evq *q)
{
	struct imap_event	*ev;

	while ((ev = ring_pop(&q->ring)) != NULL)
		imap_event_free(&ev);
	free(q->ring.items);
	close(q->pipe[0]);
	close(q->pipe[1]);
	pthread_cond_destroy(&q->taken);
	pthread_mutex_destroy(&q->mtx);
}

void
evq_push(struct evq *q, struct imap_event *ev)
{
	pthread_mutex_lock(&q->mtx);
	if (q->ring.len == 0)
		pipe_signal(q->pipe[1]);
	ring_push(&q->ring, ev);
	if (ev->type == IE_SUMMARIES)
		q->rows += ev->nrows;
	pthread_mutex_unlock(&q->mtx);
}

struct imap_event *
evq_pop(struct evq *q)
{
	struct imap_event	*ev;

	pthread_mutex_lock(&q->mtx);
	ev = ring_pop(&q->ring);
	if (ev != NULL && ev->type == IE_SUMMARIES) {
		q->rows -= ev->nrows;
		pthread_cond_broadcast(&q->taken);
	}
	if (q->ring.len == 0)
		pipe_drain(q->pipe[0]);
	pthread_mutex_unlock(&q->mtx);
	return ev;
}

bool
evq_wait_rows(struct evq *q, size_t max, int timeout_ms)
{
	struct timespec	 ts;
	bool		 ok = true;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&q->mtx);
	while (q->rows > max) {
		if (pthread_cond_timedwait(&q->taken, &q->mtx, &ts) ==
		    ETIMEDOUT) {
			ok = q->rows <= max;
			break;
		}
	}
	pthread_mutex_unlock(&q->mtx);
	return ok;
}

int
evq_fd(const struct evq *q)
{
	return q->pipe[0];
}

/* ---- commands and events themselves ---- */

struct imap_cmd *
imap_cmd_new(enum imap_cmd_type type)
{
	struct imap_cmd	*c;

	c = xcalloc(1, sizeof *c);
	c->type = type;
	return c;
}

void
imap_cmd_free(struct imap_cmd **cmd)
{
	struct imap_cmd	*c;

	if (cmd == NULL || (c = *cmd) == NULL)
		return;
	free(c->folder);
	free(c->uids);
	free(c->target);
	free(c->query);
	free(c->section);
	free(c);
	*cmd = NULL;
}

struct imap_event *
imap_event_new(enum imap_ev_type type)
{
	struct imap_event	*ev;

	ev = xcalloc(1, sizeof *ev);
	ev->type = type;
	return ev;
}

void
imap_event_free(struct imap_event **evp)
{
	struct imap_event	*ev;
	size_t			 i;

	if (evp == NULL || (ev = *evp) == NULL)
		return;
	free(ev->folder);
	free(ev->text);
	for (i = 0; i < ev->nfolders; i++)
		mail_folder_clear(&ev->folders[i]);
	free(ev->folders);
	for (i = 0; i < ev->nrows; i++)
		msg_summary_clear(&ev->rows[i]);
	free(ev->rows);
	free(ev->uids);
	free(ev->data);
	mail_part_free(&ev->parts);
	free(ev);
	*evp = NULL;
}
