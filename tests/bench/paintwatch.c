/*
 * paintwatch: a clock outside the mail client, between it and the terminal.
 *
 * The benchmarks ask when a client first paints its index, "read from the
 * terminal, not from the client's own clock". paintwatch is the program a
 * tmux pane runs: it makes a pseudo-terminal of the pane's size, starts
 * the client on it, and copies bytes both ways (keys from tmux to the
 * client, the client's output to tmux), so the client runs as it would in
 * the pane. On the way out it scans the output for PATTERNs; the time of
 * each first occurrence, counted from just before the fork that execs the
 * client, goes to OUTFILE. Every client is watched the same way, so the
 * figures of quire, NeoMutt and aerc compare.
 *
 *   paintwatch -o OUTFILE [-p PATTERN]... -- CMD ARGS...
 *
 * Matching ignores escape sequences, control characters and spaces, on
 * both sides: a curses library may move the cursor over blanks instead of
 * writing them, and each client draws its rows with its own attributes.
 * OUTFILE gets, one per line and flushed at once:
 *
 *   pid PID              the client's pid, once it runs
 *   match K MS           PATTERN number K (from 1) first seen MS ms after
 *                        exec, with microseconds
 *   exit STATUS          the client ended (128 + N for signal N)
 *
 * paintwatch ends when the client does, with its status.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_PATTERNS	8
#define PAT_MAX		256

/* One pattern, with spaces taken out, and how much of it is matched. */
struct pattern {
	char	 text[PAT_MAX];
	size_t	 len;
	size_t	 got;		/* a simple restart matcher: see feed_byte */
	int	 seen;
};

/* Where the escape-sequence filter is in the output stream. */
enum esc_state {
	ESC_NONE,
	ESC_START,		/* after ESC */
	ESC_CSI,		/* ESC [ ... final byte */
	ESC_STRING,		/* ESC ] / P / _ ... BEL or ESC \ */
	ESC_STRING_ESC,		/* ESC inside a string */
	ESC_CHARSET,		/* ESC ( X and friends: one more byte */
};

struct watch {
	struct pattern	 pats[MAX_PATTERNS];
	int		 npats;
	enum esc_state	 esc;
	struct timespec	 t0;
	FILE		*out;
};

static volatile sig_atomic_t	 winch;

static void
on_winch(int sig)
{
	(void)sig;
	winch = 1;
}

static void
die(const char *what)
{
	fprintf(stderr, "paintwatch: %s: %s\n", what, strerror(errno));
	exit(125);
}

static double
since_ms(const struct timespec *t0)
{
	struct timespec	 t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/*
 * One visible byte against every pattern not yet seen. The restart on a
 * mismatch (compare the byte with the pattern's first again) is exact for
 * patterns whose first byte does not recur in them, which is what the
 * harness passes; for others it can only find a match late, never early.
 */
static void
feed_visible(struct watch *w, unsigned char c)
{
	struct pattern	*p;
	int		 i;

	for (i = 0; i < w->npats; i++) {
		p = &w->pats[i];
		if (p->seen)
			continue;
		if ((unsigned char)p->text[p->got] == c)
			p->got++;
		else
			p->got = (unsigned char)p->text[0] == c;
		if (p->got == p->len) {
			p->seen = 1;
			fprintf(w->out, "match %d %.3f\n", i + 1,
			    since_ms(&w->t0));
			fflush(w->out);
		}
	}
}

/* One output byte through the escape-sequence filter. */
static void
feed_byte(struct watch *w, unsigned char c)
{
	switch (w->esc) {
	case ESC_START:
		if (c == '[')
			w->esc = ESC_CSI;
		else if (c == ']' || c == 'P' || c == '_' || c == '^')
			w->esc = ESC_STRING;
		else if (c == '(' || c == ')' || c == '*' || c == '+' ||
		    c == '#' || c == '%')
			w->esc = ESC_CHARSET;
		else
			w->esc = ESC_NONE;
		return;
	case ESC_CSI:
		if (c >= 0x40 && c <= 0x7e)
			w->esc = ESC_NONE;
		return;
	case ESC_STRING:
		if (c == 0x07)
			w->esc = ESC_NONE;
		else if (c == 0x1b)
			w->esc = ESC_STRING_ESC;
		return;
	case ESC_STRING_ESC:
		w->esc = c == '\\' ? ESC_NONE : ESC_STRING;
		return;
	case ESC_CHARSET:
		w->esc = ESC_NONE;
		return;
	case ESC_NONE:
		break;
	}
	if (c == 0x1b)
		w->esc = ESC_START;
	else if (c > ' ' && c != 0x7f)
		feed_visible(w, c);
}

static void
add_pattern(struct watch *w, const char *s)
{
	struct pattern	*p;

	if (w->npats == MAX_PATTERNS) {
		fprintf(stderr, "paintwatch: too many patterns\n");
		exit(2);
	}
	p = &w->pats[w->npats];
	for (; *s != '\0' && p->len < PAT_MAX - 1; s++)
		if (*s != ' ')
			p->text[p->len++] = *s;
	if (p->len == 0) {
		fprintf(stderr, "paintwatch: empty pattern\n");
		exit(2);
	}
	w->npats++;
}

/* Write all of buf to fd; 0 on success. */
static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The master side of a new pty of our terminal's size; its slave's name. */
static int
open_pty(char *slave, size_t len)
{
	struct winsize	 ws;
	int		 fd;

	if ((fd = posix_openpt(O_RDWR | O_NOCTTY)) == -1)
		die("posix_openpt");
	if (grantpt(fd) == -1 || unlockpt(fd) == -1)
		die("grantpt");
	if (ptsname_r(fd, slave, len) != 0)
		die("ptsname");
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(fd, TIOCSWINSZ, &ws);
	return fd;
}

/* In the child: the pty's slave as the controlling terminal, then exec. */
static void
run_child(int master, const char *slave, char **argv,
    const struct termios *tio, int have_tio)
{
	int	 fd;

	close(master);
	if (setsid() == -1)
		_exit(126);
	if ((fd = open(slave, O_RDWR)) == -1)
		_exit(126);
	(void)ioctl(fd, TIOCSCTTY, 0);
	if (have_tio)
		(void)tcsetattr(fd, TCSANOW, tio);
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	execvp(argv[0], argv);
	_exit(127);
}

/* Copy both ways until the client's side closes. */
static void
relay(struct watch *w, int master)
{
	struct pollfd	 pfd[2];
	struct winsize	 ws;
	char		 buf[65536];
	ssize_t		 n, i;
	int		 in_open = 1;

	for (;;) {
		if (winch) {
			winch = 0;
			if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
				(void)ioctl(master, TIOCSWINSZ, &ws);
		}
		pfd[0].fd = master;
		pfd[0].events = POLLIN;
		pfd[1].fd = in_open ? STDIN_FILENO : -1;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(master, buf, sizeof buf);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				return;		/* EIO: the client's side closed */
			for (i = 0; i < n; i++)
				feed_byte(w, (unsigned char)buf[i]);
			if (write_all(STDOUT_FILENO, buf, (size_t)n) == -1)
				return;
		}
		if (in_open && (pfd[1].revents & (POLLIN | POLLHUP))) {
			n = read(STDIN_FILENO, buf, sizeof buf);
			if (n <= 0)
				in_open = n == -1 && errno == EINTR;
			else if (write_all(master, buf, (size_t)n) == -1)
				return;
		}
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: paintwatch -o OUTFILE [-p PATTERN]... "
	    "-- CMD ARGS...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct watch	 w;
	struct termios	 tio, raw;
	char		 slave[128];
	const char	*outpath = NULL;
	pid_t		 pid;
	int		 ch, master, have_tio, status, rc;

	memset(&w, 0, sizeof w);
	while ((ch = getopt(argc, argv, "o:p:")) != -1) {
		switch (ch) {
		case 'o':
			outpath = optarg;
			break;
		case 'p':
			add_pattern(&w, optarg);
			break;
		default:
			usage();
		}
	}
	if (outpath == NULL || optind >= argc)
		usage();
	if ((w.out = fopen(outpath, "w")) == NULL)
		die(outpath);
	signal(SIGWINCH, on_winch);
	master = open_pty(slave, sizeof slave);
	/* The client's pty starts with the settings tmux gave ours. */
	have_tio = tcgetattr(STDIN_FILENO, &tio) == 0;

	clock_gettime(CLOCK_MONOTONIC, &w.t0);
	if ((pid = fork()) == -1)
		die("fork");
	if (pid == 0)
		run_child(master, slave, argv + optind, &tio, have_tio);
	fprintf(w.out, "pid %ld\n", (long)pid);
	fflush(w.out);

	/* Ours goes raw, so each key reaches the client as typed. */
	if (have_tio) {
		raw = tio;
		cfmakeraw(&raw);
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	relay(&w, master);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			die("waitpid");
	if (have_tio)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &tio);
	rc = WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
	fprintf(w.out, "exit %d\n", rc);
	fclose(w.out);
	return rc;
}
