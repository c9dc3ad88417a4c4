/*
 * Helpers shared by the two hostile-input tools (see fake.h). Errors here
 * are the test author's: a tool that cannot listen or parse its script
 * says why on stderr and exits with FAKE_EXIT_USAGE.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fake.h"

volatile sig_atomic_t fake_signalled;

void
fake_die(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(FAKE_EXIT_USAGE);
}

int
fake_listen(int port, int *bound)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 fd, on = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fake_die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1)
		fake_die("bind 127.0.0.1:%d: %s", port, strerror(errno));
	if (listen(fd, 16) == -1)
		fake_die("listen: %s", strerror(errno));
	if (getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		fake_die("getsockname: %s", strerror(errno));
	*bound = ntohs(sin.sin_port);
	return fd;
}

bool
fake_unescape(const char *s, struct buf *out)
{
	int	 hi, lo;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			buf_addch(out, *s);
			continue;
		}
		switch (*++s) {
		case 'r':
			buf_addch(out, '\r');
			break;
		case 'n':
			buf_addch(out, '\n');
			break;
		case 't':
			buf_addch(out, '\t');
			break;
		case '\\':
			buf_addch(out, '\\');
			break;
		case '0':
			buf_addch(out, '\0');
			break;
		case 'x':
			if ((hi = str_hexval((unsigned char)s[1])) == -1 ||
			    (lo = str_hexval((unsigned char)s[2])) == -1)
				return false;
			buf_addch(out, (char)(hi << 4 | lo));
			s += 2;
			break;
		default:
			return false;
		}
	}
	return true;
}

void
fake_escape(struct buf *out, const char *p, size_t n, size_t max)
{
	size_t		 i;
	unsigned char	 c;

	for (i = 0; i < n && i < max; i++) {
		c = (unsigned char)p[i];
		if (c == '\r')
			buf_addstr(out, "\\r");
		else if (c == '\n')
			buf_addstr(out, "\\n");
		else if (c == '\\')
			buf_addstr(out, "\\\\");
		else if (c < 0x20 || c >= 0x7f)
			buf_printf(out, "\\x%02x", c);
		else
			buf_addch(out, (char)c);
	}
	if (n > max)
		buf_addstr(out, "...");
}

bool
fake_parse_size(const char *s, uint64_t *out)
{
	unsigned long long	 v;
	char			*end;
	unsigned		 shift = 0;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return false;
	switch (*end) {
	case 'K':
		shift = 10;
		end++;
		break;
	case 'M':
		shift = 20;
		end++;
		break;
	case 'G':
		shift = 30;
		end++;
		break;
	}
	if (*end != '\0' || v > (UINT64_MAX >> shift))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

int64_t
fake_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
fake_sleep_ms(int64_t ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR && !fake_signalled)
		;
}

static void
on_signal(int sig)
{
	fake_signalled = sig;
}

void
fake_catch_signals(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}
