/*
 * The selected folder's sequence numbers, mapped to UIDs.
 *
 * Sequence numbers never leave the session thread, but the server speaks
 * them: EXPUNGE names one, EXISTS counts them, and without QRESYNC an
 * unsolicited FETCH has no UID (LIBETPAN.md 8). The map is three parallel
 * arrays indexed by sequence number - 1: the UID (0 while unknown), the
 * flags and the MODSEQ last seen. That is 13 bytes a message, the only
 * per-message state the session keeps; summaries go to the UI and the
 * store.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "session_priv.h"

void
seqmap_init(struct seqmap *m)
{
	memset(m, 0, sizeof *m);
}

void
seqmap_free(struct seqmap *m)
{
	free(m->uid);
	free(m->flags);
	free(m->modseq);
	seqmap_init(m);
}

void
seqmap_resize(struct seqmap *m, size_t n)
{
	size_t	 ncap;

	if (n > m->cap) {
		ncap = m->cap < 64 ? 64 : m->cap;
		while (ncap < n)
			ncap += ncap / 2;
		m->uid = xreallocarray(m->uid, ncap, sizeof *m->uid);
		m->flags = xreallocarray(m->flags, ncap, sizeof *m->flags);
		m->modseq = xreallocarray(m->modseq, ncap, sizeof *m->modseq);
		m->cap = ncap;
	}
	if (n > m->n) {
		memset(m->uid + m->n, 0, (n - m->n) * sizeof *m->uid);
		memset(m->flags + m->n, 0, (n - m->n) * sizeof *m->flags);
		memset(m->modseq + m->n, 0, (n - m->n) * sizeof *m->modseq);
	}
	m->n = n;
}

uint32_t
seqmap_uid(const struct seqmap *m, uint32_t seq)
{
	if (seq == 0 || seq > m->n)
		return 0;
	return m->uid[seq - 1];
}

int
seqmap_set(struct seqmap *m, uint32_t seq, uint32_t uid)
{
	size_t	 i;

	if (seq == 0 || seq > m->n || uid == 0)
		return -1;
	i = seq - 1;
	if (m->uid[i] == uid)
		return 0;
	if (m->uid[i] != 0)
		return -1;
	/* The nearest known neighbours must stay below and above. */
	if (i > 0 && m->uid[i - 1] != 0 && m->uid[i - 1] >= uid)
		return -1;
	if (i + 1 < m->n && m->uid[i + 1] != 0 && m->uid[i + 1] <= uid)
		return -1;
	m->uid[i] = uid;
	return 0;
}

void
seqmap_remove_at(struct seqmap *m, size_t i)
{
	size_t	 rest;

	if (i >= m->n)
		return;
	rest = m->n - i - 1;
	memmove(m->uid + i, m->uid + i + 1, rest * sizeof *m->uid);
	memmove(m->flags + i, m->flags + i + 1, rest * sizeof *m->flags);
	memmove(m->modseq + i, m->modseq + i + 1, rest * sizeof *m->modseq);
	m->n--;
}

uint32_t
seqmap_expunge(struct seqmap *m, uint32_t seq)
{
	uint32_t	 uid;

	if (seq == 0 || seq > m->n)
		return 0;
	uid = m->uid[seq - 1];
	seqmap_remove_at(m, seq - 1);
	return uid;
}

/*
 * Binary search over a sorted array with holes (0 = unknown): at a hole,
 * look for the nearest known entry within the range, on either side.
 * Holes come in runs (the part the backfill has not reached), so this
 * stays close to logarithmic.
 */
static size_t
known_near(const struct seqmap *m, size_t lo, size_t hi, size_t mid)
{
	size_t	 d;

	for (d = 0; mid + d < hi || mid >= lo + d; d++) {
		if (mid + d < hi && m->uid[mid + d] != 0)
			return mid + d;
		if (mid >= lo + d && m->uid[mid - d] != 0)
			return mid - d;
	}
	return SEQMAP_NONE;
}

size_t
seqmap_find(const struct seqmap *m, uint32_t uid)
{
	size_t	 lo = 0, hi = m->n, mid;

	if (uid == 0)
		return SEQMAP_NONE;
	while (lo < hi) {
		mid = known_near(m, lo, hi, lo + (hi - lo) / 2);
		if (mid == SEQMAP_NONE)
			return SEQMAP_NONE;
		if (m->uid[mid] == uid)
			return mid;
		if (m->uid[mid] < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SEQMAP_NONE;
}

size_t
seqmap_count_below(const struct seqmap *m, uint32_t uid)
{
	size_t	 i, n = 0;

	/* Used after a rebuild, where the map is whole: binary search. */
	for (i = 0; i < m->n && m->uid[i] != 0; i++)
		;
	if (i == m->n) {
		size_t	 lo = 0, hi = m->n, mid;

		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (m->uid[mid] < uid)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo;
	}
	for (i = 0; i < m->n; i++)
		if (m->uid[i] != 0 && m->uid[i] < uid)
			n++;
	return n;
}
