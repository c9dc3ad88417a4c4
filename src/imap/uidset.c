/*
 * UID sets and the reconnect schedule: the small pure parts of the engine.
 *
 * Commands name messages by UID set ("1:5,7,9:12"). A selection of
 * thousands of scattered messages makes a long line, and servers cap
 * command lines (Dovecot at 64 KiB), so callers send big sets in batches
 * of bounded text. The backoff spreads reconnects of many clients out:
 * doubling from 1 s to a 60 s cap, each delay jittered by up to 20%.
 */
#include "config.h"

#include <stdlib.h>

#include <libetpan/libetpan.h>

#include "session_priv.h"

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

size_t
uids_sort_unique(uint32_t *uids, size_t n)
{
	size_t	 i, k = 0;

	/* An empty set may come as NULL, which qsort must never see. */
	if (n == 0)
		return 0;
	qsort(uids, n, sizeof *uids, cmp_u32);
	for (i = 0; i < n; i++) {
		if (uids[i] == 0 || (k > 0 && uids[k - 1] == uids[i]))
			continue;
		uids[k++] = uids[i];
	}
	return k;
}

/* The run of consecutive UIDs starting at uids[i]: its length. */
static size_t
run_len(const uint32_t *uids, size_t n, size_t i)
{
	size_t	 j = i + 1;

	while (j < n && uids[j] == uids[j - 1] + 1)
		j++;
	return j - i;
}

void
uidset_format(const uint32_t *uids, size_t n, struct buf *out)
{
	uidset_format_some(uids, n, (size_t)-1, out);
}

size_t
uidset_format_some(const uint32_t *uids, size_t n, size_t maxlen,
    struct buf *out)
{
	size_t	 i = 0, len, start = out->len, before;
	bool	 first = true;

	while (i < n) {
		len = run_len(uids, n, i);
		before = out->len;
		if (!first)
			buf_addch(out, ',');
		if (len == 1)
			buf_printf(out, "%u", uids[i]);
		else
			buf_printf(out, "%u:%u", uids[i], uids[i + len - 1]);
		if (!first && out->len - start > maxlen) {
			out->len = before;
			out->data[before] = '\0';
			break;
		}
		first = false;
		i += len;
	}
	return i;
}

struct mailimap_set *
uidset_to_mailimap(const uint32_t *uids, size_t n)
{
	struct mailimap_set	*set;
	size_t			 i = 0, len;

	set = mailimap_set_new_empty();
	if (set == NULL)
		fatal("out of memory");
	while (i < n) {
		len = run_len(uids, n, i);
		if (mailimap_set_add_interval(set, uids[i],
		    uids[i + len - 1]) != MAILIMAP_NO_ERROR)
			fatal("out of memory");
		i += len;
	}
	return set;
}

uint32_t *
uidset_from_mailimap(const struct mailimap_set *set, uint32_t star,
    size_t max, size_t *n)
{
	clistiter		*it;
	struct mailimap_set_item *item;
	uint32_t		*v = NULL, a, b, u;
	size_t			 len = 0, cap = 0;

	for (it = clist_begin(set->set_list); it != NULL; it = clist_next(it)) {
		item = clist_content(it);
		a = item->set_first == 0 ? star : item->set_first;
		b = item->set_last == 0 ? star : item->set_last;
		if (a > b) {
			u = a;
			a = b;
			b = u;
		}
		for (u = a; len < max; u++) {
			if (len == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				v = xreallocarray(v, cap, sizeof *v);
			}
			v[len++] = u;
			if (u == b)
				break;
		}
	}
	*n = uids_sort_unique(v, len);
	return v;
}

int
backoff_ms(unsigned attempt, double r)
{
	double	 base;

	base = attempt >= 6 ? 60.0 : (double)(1u << attempt);
	if (base > 60.0)
		base = 60.0;
	if (r < 0.0)
		r = 0.0;
	if (r >= 1.0)
		r = 0.999999;
	return (int)(base * 1000.0 * (0.8 + 0.4 * r));
}
