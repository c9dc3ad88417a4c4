/*
 * Sockets under a deadline: name resolution, connect, and poll().
 *
 * getaddrinfo() cannot be interrupted and may hang on a dead resolver, so it
 * runs in a small detached thread that writes one byte to a pipe when done.
 * The caller polls that pipe, the cancel pipe and the clock. If the caller
 * gives up first it simply drops its reference: the thread finishes on its
 * own and the last of the two frees the request (a mutex guards the count).
 * IP literals skip the thread.
 *
 * Each address is tried in turn with a non-blocking connect, all under the
 * one deadline the wire was given. Every descriptor is close-on-exec.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net_priv.h"

struct resolve {
	pthread_mutex_t	 lock;
	int		 refs;		/* the caller and the thread */
	int		 done_rd;	/* the thread writes a byte when done */
	int		 done_wr;
	char		*host;
	char		 port[8];
	struct addrinfo	*res;
	int		 gai;
};

/* Milliseconds on the monotonic clock. */
int64_t
net_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until deadline, at least 0; -1 stays -1. */
int
net_left(int64_t deadline)
{
	int64_t	left;

	if (deadline < 0)
		return -1;
	left = deadline - net_now();
	if (left < 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

/* Wait for events on fd or the cancel pipe until the deadline. */
enum net_wait
net_poll(int fd, short events, int cancel_fd, int64_t deadline)
{
	struct pollfd	pfd[2];
	nfds_t		n = 1;
	int		r;

	for (;;) {
		pfd[0].fd = fd;
		pfd[0].events = events;
		pfd[1].fd = cancel_fd;
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		if (cancel_fd != -1)
			n = 2;
		r = poll(pfd, n, net_left(deadline));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return NET_READY;	/* let the caller's call fail */
		if (n == 2 && pfd[1].revents != 0)
			return NET_CANCELLED;
		if (pfd[0].revents != 0)
			return NET_READY;
		if (net_left(deadline) == 0)
			return NET_TIMEOUT;
	}
}

static void
resolve_unref(struct resolve *r)
{
	int	left;

	pthread_mutex_lock(&r->lock);
	left = --r->refs;
	pthread_mutex_unlock(&r->lock);
	if (left > 0)
		return;
	if (r->res != NULL)
		freeaddrinfo(r->res);
	close(r->done_rd);
	close(r->done_wr);
	pthread_mutex_destroy(&r->lock);
	free(r->host);
	free(r);
}

static void *
resolve_thread(void *arg)
{
	struct resolve	*r = arg;
	struct addrinfo	 hints, *res = NULL;
	int		 gai;
	ssize_t		 n;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	gai = getaddrinfo(r->host, r->port, &hints, &res);
	pthread_mutex_lock(&r->lock);
	r->res = res;
	r->gai = gai;
	pthread_mutex_unlock(&r->lock);
	do
		n = write(r->done_wr, "", 1);
	while (n == -1 && errno == EINTR);
	resolve_unref(r);
	return NULL;
}

/* Start the resolver thread with every signal blocked, so signals keep
 * going to the threads that wait for them. */
static int
resolve_start(struct resolve *r)
{
	pthread_attr_t	attr;
	pthread_t	tid;
	sigset_t	all, old;
	int		e;

	sigfillset(&all);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&tid, &attr, resolve_thread, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return e;
}

static struct resolve *
resolve_new(const char *host, int port)
{
	struct resolve	*r;
	int		 fds[2];

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == -1)
		return NULL;
	r = xcalloc(1, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	r->refs = 2;
	r->done_rd = fds[0];
	r->done_wr = fds[1];
	r->host = xstrdup(host);
	snprintf(r->port, sizeof r->port, "%d", port);
	return r;
}

static int
resolve_literal(const char *host, int port, struct addrinfo **res)
{
	struct addrinfo	hints;
	char		ps[8];

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(ps, sizeof ps, "%d", port);
	return getaddrinfo(host, ps, &hints, res);
}

/* Resolve host under the deadline: 0 and *res, or -1 and *err (NULL *err:
 * cancelled). */
static int
net_resolve(const char *host, int port, int cancel_fd, int64_t deadline,
    struct addrinfo **res, char **err)
{
	struct resolve	*r;
	enum net_wait	 st;
	int		 gai;

	*res = NULL;
	if (resolve_literal(host, port, res) == 0)
		return 0;
	if ((r = resolve_new(host, port)) == NULL) {
		*err = xasprintf("cannot look up %s: %s", host,
		    strerror(errno));
		return -1;
	}
	if ((gai = resolve_start(r)) != 0) {
		r->refs = 1;		/* no thread holds it */
		resolve_unref(r);
		*err = xasprintf("cannot look up %s: %s", host,
		    strerror(gai));
		return -1;
	}
	st = net_poll(r->done_rd, POLLIN, cancel_fd, deadline);
	pthread_mutex_lock(&r->lock);
	gai = r->gai;
	if (st == NET_READY) {
		*res = r->res;
		r->res = NULL;
	}
	pthread_mutex_unlock(&r->lock);
	resolve_unref(r);
	if (st == NET_CANCELLED)
		*err = NULL;
	else if (st == NET_TIMEOUT)
		*err = xasprintf("cannot look up %s: no answer in time", host);
	else if (*res == NULL)
		*err = xasprintf("cannot look up %s: %s", host,
		    gai_strerror(gai));
	return *res != NULL ? 0 : -1;
}

/* One address: 0 and *fd, NET_TIMEOUT/NET_CANCELLED as -2/-3, or -1 with
 * errno. */
static int
net_connect_one(const struct addrinfo *ai, int cancel_fd, int64_t deadline,
    int *fdp)
{
	socklen_t	len = sizeof(int);
	int		fd, e = 0;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		if (errno != EINPROGRESS) {
			e = errno;
			goto fail;
		}
		switch (net_poll(fd, POLLOUT, cancel_fd, deadline)) {
		case NET_TIMEOUT:
			close(fd);
			return -2;
		case NET_CANCELLED:
			close(fd);
			return -3;
		case NET_READY:
			break;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
			e = errno;
		if (e != 0)
			goto fail;
	}
	*fdp = fd;
	return 0;
fail:
	close(fd);
	errno = e;
	return -1;
}

static void
net_tune(int fd)
{
	int	on = 1;

	/* Commands are written whole; a literal's data must not wait. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
}

/* Resolve and connect under the deadline. */
int
net_connect(const char *host, int port, int cancel_fd, int64_t deadline,
    char **err)
{
	struct addrinfo	*res, *ai;
	int		 fd = -1, r = -1, e = ECONNREFUSED;

	if (net_resolve(host, port, cancel_fd, deadline, &res, err) == -1)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		r = net_connect_one(ai, cancel_fd, deadline, &fd);
		if (r == 0 || r == -2 || r == -3)
			break;
		e = errno;
	}
	freeaddrinfo(res);
	if (r == 0) {
		net_tune(fd);
		return fd;
	}
	if (r == -3)
		*err = NULL;
	else if (r == -2)
		*err = xasprintf("cannot connect to %s port %d: no answer "
		    "in time", host, port);
	else
		*err = xasprintf("cannot connect to %s port %d: %s", host,
		    port, strerror(e));
	return -1;
}
