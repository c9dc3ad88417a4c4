/* TAP for the C test drivers; see ctap.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ctap.h"

int	 tap_n;
int	 tap_failed;

static void line(const char *, const char *, va_list) QUIRE_PRINTF(2, 0);

static void
line(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stdout);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

void
tap(bool good, const char *fmt, ...)
{
	va_list	 ap;
	char	 prefix[32];

	tap_n++;
	if (!good)
		tap_failed++;
	snprintf(prefix, sizeof prefix, "%s %d - ", good ? "ok" : "not ok",
	    tap_n);
	va_start(ap, fmt);
	line(prefix, fmt, ap);
	va_end(ap);
}

void
diag(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	line("# ", fmt, ap);
	va_end(ap);
}

void
bail(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	line("Bail out! ", fmt, ap);
	va_end(ap);
	exit(1);
}

int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
