/*
 * Growable buffers and pointer arrays. A buffer is NUL-terminated after
 * every write, so its data can be used as a C string without a copy.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quire/util.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t	 want;

	if (extra > SIZE_MAX - b->len - 1)
		fatal("buffer of %zu bytes cannot grow by %zu", b->len, extra);
	want = b->len + extra + 1;
	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < want)
		b->cap = b->cap > SIZE_MAX / 2 ? want : b->cap * 2;
	b->data = xrealloc(b->data, b->cap);
	b->data[b->len] = '\0';	/* a fresh buffer reads as "" too */
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addch(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 aq;
	int	 n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		fatal("bad format string \"%s\"", fmt);
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
buf_detach(struct buf *b)
{
	char	*s;

	if (b->data == NULL)
		return xstrdup("");
	s = b->data;
	buf_init(b);
	return s;
}

const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

void
ptrarray_push(struct ptrarray *a, void *p)
{
	if (a->len == a->cap) {
		a->cap = a->cap == 0 ? 16 : a->cap * 2;
		a->items = xreallocarray(a->items, a->cap, sizeof *a->items);
	}
	a->items[a->len++] = p;
}

void
ptrarray_free(struct ptrarray *a, void (*destroy)(void *))
{
	size_t	 i;

	if (a == NULL)
		return;
	if (destroy != NULL) {
		for (i = 0; i < a->len; i++)
			destroy(a->items[i]);
	}
	free(a->items);
	a->items = NULL;
	a->len = a->cap = 0;
}
