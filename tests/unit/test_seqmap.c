/* Unit tests: the sequence number to UID map (src/imap/seqmap.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../../src/imap/session_priv.h"
#include "unit.h"

/* A map of n known UIDs: uid(seq) = seq * 10. */
static void
filled(struct seqmap *m, size_t n)
{
	size_t	 i;

	seqmap_init(m);
	seqmap_resize(m, n);
	for (i = 0; i < n; i++)
		assert_int_equal(seqmap_set(m, (uint32_t)i + 1,
		    (uint32_t)(i + 1) * 10), 0);
}

static void
test_expunge_shifts(void **state)
{
	struct seqmap	 m;

	(void)state;
	filled(&m, 10);
	/* EXPUNGE 3: uid 30 goes, seq 3 is now uid 40. */
	assert_int_equal(seqmap_expunge(&m, 3), 30);
	assert_int_equal(m.n, 9);
	assert_int_equal(seqmap_uid(&m, 3), 40);
	/* The same number again is the next message. */
	assert_int_equal(seqmap_expunge(&m, 3), 40);
	assert_int_equal(seqmap_uid(&m, 3), 50);
	/* The last and the first. */
	assert_int_equal(seqmap_expunge(&m, 8), 100);
	assert_int_equal(seqmap_expunge(&m, 1), 10);
	assert_int_equal(m.n, 6);
	assert_int_equal(seqmap_uid(&m, 1), 20);
	assert_int_equal(seqmap_uid(&m, 6), 90);
	/* Out of range: nothing happens. */
	assert_int_equal(seqmap_expunge(&m, 0), 0);
	assert_int_equal(seqmap_expunge(&m, 7), 0);
	assert_int_equal(m.n, 6);
	seqmap_free(&m);
}

/* EXISTS grows the map with unknown entries; UIDs come as FETCHes say. */
static void
test_exists_grows(void **state)
{
	struct seqmap	 m;

	(void)state;
	filled(&m, 3);
	m.flags[1] = MF_SEEN;
	seqmap_resize(&m, 5);
	assert_int_equal(m.n, 5);
	assert_int_equal(seqmap_uid(&m, 4), 0);
	assert_int_equal(seqmap_uid(&m, 5), 0);
	assert_int_equal(m.flags[1], MF_SEEN);
	assert_int_equal(m.flags[4], 0);
	assert_int_equal(seqmap_set(&m, 5, 77), 0);
	assert_int_equal(seqmap_set(&m, 4, 31), 0);
	assert_int_equal(seqmap_find(&m, 77), 4);
	/* Shrinking cuts the end. */
	seqmap_resize(&m, 2);
	assert_int_equal(seqmap_find(&m, 77), SEQMAP_NONE);
	seqmap_free(&m);
}

/* A FETCH that contradicts the map is refused: the caller rebuilds. */
static void
test_set_contradictions(void **state)
{
	struct seqmap	 m;

	(void)state;
	seqmap_init(&m);
	seqmap_resize(&m, 5);
	assert_int_equal(seqmap_set(&m, 2, 20), 0);
	assert_int_equal(seqmap_set(&m, 4, 40), 0);
	assert_int_equal(seqmap_set(&m, 2, 20), 0);	/* again: fine */
	assert_int_equal(seqmap_set(&m, 2, 21), -1);	/* another UID */
	assert_int_equal(seqmap_set(&m, 3, 20), -1);	/* not above seq 2 */
	assert_int_equal(seqmap_set(&m, 3, 45), -1);	/* not below seq 4 */
	assert_int_equal(seqmap_set(&m, 3, 30), 0);
	assert_int_equal(seqmap_set(&m, 6, 60), -1);	/* out of range */
	assert_int_equal(seqmap_set(&m, 0, 1), -1);
	assert_int_equal(seqmap_set(&m, 1, 0), -1);
	seqmap_free(&m);
}

/* Lookups skip the holes of a map the backfill has not finished. */
static void
test_find_with_holes(void **state)
{
	struct seqmap	 m;
	size_t		 i;

	(void)state;
	seqmap_init(&m);
	seqmap_resize(&m, 1000);
	/* Known: the top 100 (the first chunk) and a few scattered. */
	for (i = 900; i < 1000; i++)
		seqmap_set(&m, (uint32_t)i + 1, (uint32_t)i * 3 + 1);
	seqmap_set(&m, 10, 28);
	seqmap_set(&m, 500, 1498);
	for (i = 900; i < 1000; i++)
		assert_int_equal(seqmap_find(&m, (uint32_t)i * 3 + 1), i);
	assert_int_equal(seqmap_find(&m, 28), 9);
	assert_int_equal(seqmap_find(&m, 1498), 499);
	assert_int_equal(seqmap_find(&m, 2), SEQMAP_NONE);
	assert_int_equal(seqmap_find(&m, 2702), SEQMAP_NONE);
	assert_int_equal(seqmap_find(&m, 5000), SEQMAP_NONE);
	assert_int_equal(seqmap_find(&m, 0), SEQMAP_NONE);
	/* Known below 1498: 28, 1498 itself not counted. */
	assert_int_equal(seqmap_count_below(&m, 1498), 1);
	seqmap_free(&m);
}

/* Against a plain model: random EXPUNGEs and EXISTS keep UIDs sorted and
 * in step. */
static void
test_random_against_model(void **state)
{
	struct seqmap	 m;
	uint32_t	*model, next = 1;
	size_t		 n = 0, i, k;
	unsigned	 seed = 12345;

	(void)state;
	seqmap_init(&m);
	model = xcalloc(20000, sizeof *model);
	for (k = 0; k < 20000; k++) {
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 16) % 3 != 0 || n == 0) {
			/* EXISTS +1, then the FETCH that names it */
			model[n++] = next;
			seqmap_resize(&m, n);
			assert_int_equal(seqmap_set(&m, (uint32_t)n, next), 0);
			next += 1 + (seed >> 8) % 3;
		} else {
			i = (seed >> 4) % n;
			assert_int_equal(seqmap_expunge(&m, (uint32_t)i + 1),
			    model[i]);
			memmove(model + i, model + i + 1,
			    (n - i - 1) * sizeof *model);
			n--;
		}
	}
	assert_int_equal(m.n, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(seqmap_uid(&m, (uint32_t)i + 1), model[i]);
		assert_int_equal(seqmap_find(&m, model[i]), i);
	}
	assert_int_equal(seqmap_count_below(&m, model[n / 2]), n / 2);
	free(model);
	seqmap_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expunge_shifts),
		cmocka_unit_test(test_exists_grows),
		cmocka_unit_test(test_set_contradictions),
		cmocka_unit_test(test_find_with_holes),
		cmocka_unit_test(test_random_against_model),
	};

	return cmocka_run_group_tests_name("seqmap", tests, NULL, NULL);
}
