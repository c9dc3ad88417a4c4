/*
 * strpool: the strings of the index's rows, in one byte array per folder.
 *
 * Why: a row used to own six malloc'd strings (from, to, cc, subject,
 * message-id, references). At 100,000 rows that is 600,000 small blocks,
 * each with its allocator header and rounding, and the same few senders
 * copied thousands of times: most of the process's memory after a sync.
 * Here a row holds 32-bit offsets into one array, and a string that is
 * already in the pool (a sender, a recipient, a subject of a thread) is
 * stored once: an open-addressing set of offsets, keyed by the bytes,
 * finds it. (Message-IDs, all distinct, are no longer kept in the rows:
 * model.c.)
 *
 * Offset 0 is no string (NULL); the array starts with one NUL byte so
 * that no string sits there. Nothing is freed from a pool: strings of
 * rows that went away stay until the owner copies the live ones into a
 * new pool (model.c does, when the dead outgrow the living), or frees it
 * with its folder. Growth doubles the array; large arrays are mapped by
 * the allocator, so capacity not yet written costs no memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui_priv.h"

#define POOL_MIN	4096
#define SET_MIN		1024

void
strpool_init(struct strpool *p)
{
	memset(p, 0, sizeof *p);
}

void
strpool_free(struct strpool *p)
{
	free(p->data);
	free(p->set);
	strpool_init(p);
}

/* FNV-1a over the bytes of s, and its length. */
static uint32_t
pool_hash(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t	 h = 2166136261u;
	size_t		 n = 0;

	while (u[n] != '\0') {
		h ^= u[n++];
		h *= 16777619u;
	}
	*len = n;
	return h;
}

/* Append len bytes of s and a NUL; returns their offset. */
static uint32_t
pool_append(struct strpool *p, const char *s, size_t len)
{
	size_t	 need, cap;
	uint32_t off;

	if (p->len == 0) {
		p->cap = POOL_MIN;
		p->data = xmalloc(p->cap);
		p->data[0] = '\0';
		p->len = 1;
	}
	need = p->len + len + 1;
	if (need > UINT32_MAX)
		fatal("the index's strings outgrew 4 GB");
	if (need > p->cap) {
		for (cap = p->cap; cap < need; cap *= 2)
			;
		p->data = xrealloc(p->data, cap);
		p->cap = cap;
	}
	off = (uint32_t)p->len;
	memcpy(p->data + off, s, len);
	p->data[off + len] = '\0';
	p->len = need;
	return off;
}

static void
set_grow(struct strpool *p)
{
	uint32_t	*old = p->set;
	size_t		 oldcap = p->setcap, i, j, len;

	p->setcap = oldcap == 0 ? SET_MIN : oldcap * 2;
	p->set = xcalloc(p->setcap, sizeof *p->set);
	for (i = 0; i < oldcap; i++) {
		if (old[i] == 0)
			continue;
		j = pool_hash(p->data + old[i], &len) & (p->setcap - 1);
		while (p->set[j] != 0)
			j = (j + 1) & (p->setcap - 1);
		p->set[j] = old[i];
	}
	free(old);
}

uint32_t
strpool_add(struct strpool *p, const char *s)
{
	uint32_t h, off;
	size_t	 len, i;

	if (s == NULL)
		return 0;
	if ((p->nset + 1) * 2 > p->setcap)
		set_grow(p);
	h = pool_hash(s, &len);
	for (i = h & (p->setcap - 1); p->set[i] != 0;
	    i = (i + 1) & (p->setcap - 1)) {
		off = p->set[i];
		if (strcmp(p->data + off, s) == 0)
			return off;
	}
	off = pool_append(p, s, len);
	p->set[i] = off;
	p->nset++;
	return off;
}
