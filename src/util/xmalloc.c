/*
 * xmalloc: allocation that cannot fail. Running out of memory is reported
 * once, here, and ends the process; no caller checks for NULL and no
 * allocation path ever calls into the UI.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quire/util.h"

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_error("fatal: %s", msg);
	fprintf(stderr, "quire: fatal: %s\n", msg);
	abort();
}

void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		fatal("out of memory allocating %zu bytes", size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((p = calloc(nmemb, size)) == NULL)
		fatal("out of memory allocating %zu x %zu bytes", nmemb, size);
	return p;
}

void *
xrealloc(void *ptr, size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = realloc(ptr, size)) == NULL)
		fatal("out of memory reallocating %zu bytes", size);
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		fatal("array of %zu x %zu bytes overflows", nmemb, size);
	return xrealloc(ptr, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	const char	*end = memchr(s, '\0', n);

	return xmemdup(s, end != NULL ? (size_t)(end - s) : n);
}

char *
xmemdup(const void *p, size_t n)
{
	char	*s;

	if (n == SIZE_MAX)
		fatal("string too long");
	s = xmalloc(n + 1);
	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) == -1)
		fatal("out of memory formatting a string");
	return s;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void
xfree_secret(char *s)
{
	if (s == NULL)
		return;
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(s, strlen(s));
#else
	{
		volatile char *v = s;
		while (*v != '\0')
			*v++ = '\0';
	}
#endif
	free(s);
}
