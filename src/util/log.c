/*
 * The debug log: one file for the whole process.
 *
 * This is the only mutable global outside main.c, on purpose. Every module
 * and every thread logs, including fatal() deep inside an allocation, and
 * threading a log handle through each call would put it in every signature
 * for no gain. So the state lives here: a mutex serializes the writes (one
 * write() per line, O_APPEND, so lines never interleave), and the enabled
 * level is an atomic that log_msg() reads without the lock, so a disabled
 * log costs one load and a compare.
 *
 * The log never goes to a terminal: quire owns the screen, and a log line
 * written there would tear it. Control bytes in messages are escaped as
 * \xNN, so a hostile subject or server reply cannot start a fake line.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "quire/util.h"

static const char *const log_names[] = {
	"ERROR", "WARN", "INFO", "DEBUG", "TRACE"
};

static struct {
	pthread_mutex_t	 lock;
	int		 fd;		/* under lock */
	atomic_int	 max;		/* most verbose level; -1 when closed */
	atomic_uint	 threads;	/* thread numbers handed out */
} log_state = { PTHREAD_MUTEX_INITIALIZER, -1, -1, 0 };

/* Per thread: its number in the log, and a guard against logging from
 * inside the log (fatal() on a failed allocation while formatting). */
static _Thread_local unsigned	log_thread;
static _Thread_local bool	log_busy;

static int
log_open_fd(const char *path, char **err)
{
	int	 fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC | O_NOCTTY, 0600);
	if (fd == -1) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (isatty(fd)) {
		close(fd);
		*err = xasprintf("%s: the log must be a file, not a terminal",
		    path);
		return -1;
	}
	return fd;
}

int
log_open(const char *path, enum log_level level, char **err)
{
	int	 fd, old;

	if ((fd = log_open_fd(path, err)) == -1)
		return -1;
	pthread_mutex_lock(&log_state.lock);
	old = log_state.fd;
	log_state.fd = fd;
	atomic_store(&log_state.max, (int)level);
	pthread_mutex_unlock(&log_state.lock);
	if (old != -1)
		close(old);
	return 0;
}

void
log_close(void)
{
	int	 fd;

	pthread_mutex_lock(&log_state.lock);
	atomic_store(&log_state.max, -1);
	fd = log_state.fd;
	log_state.fd = -1;
	pthread_mutex_unlock(&log_state.lock);
	if (fd != -1)
		close(fd);
}

bool
log_enabled(enum log_level level)
{
	return (int)level <= atomic_load_explicit(&log_state.max,
	    memory_order_relaxed);
}

/* Start the line: "2026-11-22T10:38:30.123Z [t1] DEBUG func: ". */
static void
log_prefix(struct buf *b, enum log_level level, const char *func)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 stamp[32];

	if (log_thread == 0)
		log_thread = atomic_fetch_add(&log_state.threads, 1) + 1;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(b, "%s.%03ldZ [t%u] %s %s: ", stamp, ts.tv_nsec / 1000000,
	    log_thread, log_names[level], func != NULL ? func : "?");
}

/* Append the message with control bytes and DEL as \xNN. */
static void
log_escape(struct buf *b, const char *msg)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)msg; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			buf_printf(b, "\\x%02x", *p);
		else
			buf_addch(b, (char)*p);
	}
}

/* One write() per line: with O_APPEND the line lands whole. */
static void
log_write(const struct buf *b)
{
	size_t	 off = 0;
	ssize_t	 n;

	pthread_mutex_lock(&log_state.lock);
	while (log_state.fd != -1 && off < b->len) {
		n = write(log_state.fd, b->data + off, b->len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	pthread_mutex_unlock(&log_state.lock);
}

void
log_msg(enum log_level level, const char *func, const char *fmt, ...)
{
	struct buf	 msg = BUF_INIT, line = BUF_INIT;
	va_list		 ap;

	if ((unsigned)level >= nitems(log_names) || !log_enabled(level) ||
	    log_busy)
		return;
	log_busy = true;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	log_prefix(&line, level, func);
	log_escape(&line, buf_str(&msg));
	buf_addch(&line, '\n');
	log_write(&line);
	buf_free(&msg);
	buf_free(&line);
	log_busy = false;
}
