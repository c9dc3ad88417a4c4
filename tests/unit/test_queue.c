/* Unit tests: the command and event queues (src/imap/queue.c). */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../src/imap/session_priv.h"
#include "unit.h"

static bool
readable(int fd, int ms)
{
	struct pollfd	 p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static struct imap_cmd *
cmd(enum imap_cmd_type t, uint64_t id)
{
	struct imap_cmd	*c = imap_cmd_new(t);

	c->id = id;
	c->folder = xstrdup("INBOX");
	return c;
}

/* First in, first out; a command put back runs first; the pipe is
 * readable exactly while something waits. */
static void
test_cmdq_order(void **state)
{
	struct cmdq	 q;
	struct imap_cmd	*c;
	char		*err = NULL;
	uint64_t	 i;

	(void)state;
	assert_int_equal(cmdq_init(&q, &err), 0);
	assert_false(readable(cmdq_fd(&q), 0));
	for (i = 1; i <= 100; i++)
		cmdq_push(&q, cmd(IC_STORE, i));
	assert_true(readable(cmdq_fd(&q), 0));
	c = cmdq_pop(&q);
	assert_int_equal(c->id, 1);
	cmdq_push_front(&q, c);
	for (i = 1; i <= 100; i++) {
		assert_true(readable(cmdq_fd(&q), 0));
		c = cmdq_pop(&q);
		assert_non_null(c);
		assert_int_equal(c->id, i);
		imap_cmd_free(&c);
		assert_null(c);
	}
	assert_null(cmdq_pop(&q));
	assert_false(readable(cmdq_fd(&q), 0));
	assert_true(cmdq_empty(&q));
	/* Leftovers are freed with the queue (ASan checks). */
	cmdq_push(&q, cmd(IC_SYNC, 7));
	cmdq_destroy(&q);
}

struct pusher {
	struct cmdq	*q;
	int		 delay_ms;
	enum imap_cmd_type type;
	int		 n;
};

static void *
push_later(void *arg)
{
	struct pusher	*p = arg;
	int		 i;

	usleep((useconds_t)p->delay_ms * 1000);
	for (i = 0; i < p->n; i++)
		cmdq_push(p->q, cmd(p->type, (uint64_t)i + 1));
	return NULL;
}

static int64_t
ms_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A push from another thread wakes a poll on the pipe (as IDLE polls it)
 * at once. */
static void
test_cmdq_wakes_poll(void **state)
{
	struct cmdq	 q;
	struct pusher	 p;
	pthread_t	 t;
	char		*err = NULL;
	int64_t		 t0, dt;
	struct imap_cmd	*c;
	int		 got = 0;

	(void)state;
	assert_int_equal(cmdq_init(&q, &err), 0);
	p.q = &q;
	p.delay_ms = 50;
	p.type = IC_STORE;
	p.n = 1000;
	t0 = ms_now();
	assert_int_equal(pthread_create(&t, NULL, push_later, &p), 0);
	assert_true(readable(cmdq_fd(&q), 5000));
	dt = ms_now() - t0;
	assert_true(dt >= 40 && dt < 2000);
	/* Drain while the other thread may still push: all 1000, in order. */
	while (got < 1000) {
		if ((c = cmdq_pop(&q)) == NULL) {
			assert_true(readable(cmdq_fd(&q), 5000));
			continue;
		}
		assert_int_equal(c->id, (uint64_t)got + 1);
		got++;
		imap_cmd_free(&c);
	}
	pthread_join(t, NULL);
	assert_false(readable(cmdq_fd(&q), 0));
	cmdq_destroy(&q);
}

/* The sleep between reconnects ends on an IC_SYNC, not on other
 * commands, and on a stop; else it times out. */
static void
test_cmdq_wait_for(void **state)
{
	struct cmdq	 q;
	struct pusher	 p;
	struct imap_cmd	*c;
	pthread_t	 t;
	char		*err = NULL;
	int64_t		 t0, dt;

	(void)state;
	assert_int_equal(cmdq_init(&q, &err), 0);
	t0 = ms_now();
	assert_false(cmdq_wait_for(&q, IC_SYNC, 100));
	dt = ms_now() - t0;
	assert_true(dt >= 90 && dt < 2000);

	cmdq_push(&q, cmd(IC_STORE, 1));
	assert_false(cmdq_wait_for(&q, IC_SYNC, 50));

	p.q = &q;
	p.delay_ms = 50;
	p.type = IC_SYNC;
	p.n = 1;
	t0 = ms_now();
	assert_int_equal(pthread_create(&t, NULL, push_later, &p), 0);
	assert_true(cmdq_wait_for(&q, IC_SYNC, 10000));
	assert_true(ms_now() - t0 < 5000);
	pthread_join(t, NULL);

	cmdq_stop(&q);
	assert_true(cmdq_stopping(&q));
	assert_true(cmdq_wait_for(&q, -1, -1));
	/* Stopping keeps the pipe readable, so IDLE ends too. */
	while ((c = cmdq_pop(&q)) != NULL)
		imap_cmd_free(&c);
	assert_true(readable(cmdq_fd(&q), 0));
	cmdq_destroy(&q);
}

struct evpusher {
	struct evq	*q;
	int		 n;
};

static void *
push_events(void *arg)
{
	struct evpusher		*p = arg;
	struct imap_event	*ev;
	int			 i;

	for (i = 0; i < p->n; i++) {
		ev = imap_event_new(IE_SUMMARIES);
		ev->id = (uint64_t)i + 1;
		ev->folder = xstrdup("Big");
		ev->rows = xcalloc(2, sizeof *ev->rows);
		ev->rows[0].subject = xstrdup("one");
		ev->rows[1].from = xstrdup("two");
		ev->nrows = 2;
		evq_push(p->q, ev);
		if (i % 100 == 0)
			usleep(1000);
	}
	return NULL;
}

/* Events from the session thread reach a poller in order, payloads and
 * all, and the pipe empties with the queue. */
static void
test_evq_threads(void **state)
{
	struct evq		 q;
	struct evpusher		 p;
	struct imap_event	*ev;
	pthread_t		 t;
	char			*err = NULL;
	uint64_t		 next = 1;

	(void)state;
	assert_int_equal(evq_init(&q, &err), 0);
	assert_false(readable(evq_fd(&q), 0));
	p.q = &q;
	p.n = 2000;
	assert_int_equal(pthread_create(&t, NULL, push_events, &p), 0);
	while (next <= 2000) {
		if ((ev = evq_pop(&q)) == NULL) {
			assert_true(readable(evq_fd(&q), 5000));
			continue;
		}
		assert_int_equal(ev->id, next);
		assert_string_equal(ev->rows[0].subject, "one");
		next++;
		imap_event_free(&ev);
		assert_null(ev);
	}
	pthread_join(t, NULL);
	assert_false(readable(evq_fd(&q), 0));
	/* Events left behind are freed with the queue. */
	p.n = 3;
	push_events(&p);
	evq_destroy(&q);
}

/* The reader takes the events after a pause. */
static void *
pop_later(void *arg)
{
	struct evq		*q = arg;
	struct imap_event	*ev;

	usleep(50 * 1000);
	while ((ev = evq_pop(q)) != NULL)
		imap_event_free(&ev);
	return NULL;
}

/* The session waits for the UI to take the rows queued, within a time
 * limit; other events hold no rows. */
static void
test_evq_wait_rows(void **state)
{
	struct evq		 q;
	struct evpusher		 p;
	struct imap_event	*ev;
	pthread_t		 t;
	char			*err = NULL;

	(void)state;
	assert_int_equal(evq_init(&q, &err), 0);
	assert_true(evq_wait_rows(&q, 0, 0));
	p.q = &q;
	p.n = 3;
	push_events(&p);
	evq_push(&q, imap_event_new(IE_PROGRESS));
	assert_int_equal(q.rows, 6);
	assert_true(evq_wait_rows(&q, 6, 0));
	assert_false(evq_wait_rows(&q, 4, 20));
	ev = evq_pop(&q);
	imap_event_free(&ev);
	assert_true(evq_wait_rows(&q, 4, 0));
	assert_int_equal(pthread_create(&t, NULL, pop_later, &q), 0);
	assert_true(evq_wait_rows(&q, 0, 5000));
	pthread_join(t, NULL);
	assert_int_equal(q.rows, 0);
	evq_destroy(&q);
}

static void
test_free_accepts_null(void **state)
{
	struct imap_cmd		*c = NULL;
	struct imap_event	*ev = NULL;

	(void)state;
	imap_cmd_free(NULL);
	imap_cmd_free(&c);
	imap_event_free(NULL);
	imap_event_free(&ev);
	ev = imap_event_new(IE_FOLDERS);
	ev->folders = xcalloc(2, sizeof *ev->folders);
	ev->folders[0].name = xstrdup("INBOX");
	ev->folders[1].raw = xstrdup("Entw&APw-rfe");
	ev->nfolders = 2;
	ev->uids = xcalloc(3, sizeof *ev->uids);
	ev->data = xstrdup("body");
	imap_event_free(&ev);
	assert_null(ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdq_order),
		cmocka_unit_test(test_cmdq_wakes_poll),
		cmocka_unit_test(test_cmdq_wait_for),
		cmocka_unit_test(test_evq_threads),
		cmocka_unit_test(test_evq_wait_rows),
		cmocka_unit_test(test_free_accepts_null),
	};

	return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}
