/* Unit tests: UID sets and the reconnect backoff (src/imap/uidset.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "../../src/imap/session_priv.h"
#include "unit.h"

static void
check_format(const uint32_t *in, size_t n, const char *want)
{
	struct buf	 b = BUF_INIT;
	uint32_t	*v = xreallocarray(NULL, n + 1, sizeof *v);

	if (n > 0)
		memcpy(v, in, n * sizeof *v);
	n = uids_sort_unique(v, n);
	uidset_format(v, n, &b);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
	free(v);
}

static void
test_format(void **state)
{
	static const uint32_t a[] = { 1, 2, 3, 4, 5, 7, 9, 10, 11, 12 };
	static const uint32_t b[] = { 12, 9, 7, 11, 0, 1, 5, 3, 2, 4, 10, 7 };
	static const uint32_t c[] = { 42 };
	static const uint32_t d[] = { 1, 3, 5 };
	static const uint32_t e[] = { 4294967294u, 4294967295u };

	(void)state;
	check_format(a, nitems(a), "1:5,7,9:12");
	check_format(b, nitems(b), "1:5,7,9:12");	/* any order, dups, 0 */
	check_format(c, 1, "42");
	check_format(d, nitems(d), "1,3,5");
	check_format(e, nitems(e), "4294967294:4294967295");
	check_format(NULL, 0, "");
}

/* Long sets go out in batches, each within the limit, together whole. */
static void
test_format_some(void **state)
{
	struct buf	 b = BUF_INIT, all = BUF_INIT;
	uint32_t	 v[3000];
	size_t		 i, k, total = 0, batches = 0;

	(void)state;
	for (i = 0; i < nitems(v); i++)
		v[i] = (uint32_t)(i * 2 + 100000);	/* no runs */
	for (i = 0; i < nitems(v); i += k) {
		buf_reset(&b);
		k = uidset_format_some(v + i, nitems(v) - i, 200, &b);
		assert_true(k >= 1);
		assert_true(b.len <= 200);
		if (all.len > 0)
			buf_addch(&all, ',');
		buf_addstr(&all, buf_str(&b));
		total += k;
		batches++;
	}
	assert_int_equal(total, nitems(v));
	assert_true(batches > 10);
	buf_reset(&b);
	uidset_format(v, nitems(v), &b);
	assert_string_equal(buf_str(&all), buf_str(&b));
	/* One huge run fits in one batch. */
	for (i = 0; i < nitems(v); i++)
		v[i] = (uint32_t)i + 1;
	buf_reset(&b);
	assert_int_equal(uidset_format_some(v, nitems(v), 20, &b),
	    nitems(v));
	assert_string_equal(buf_str(&b), "1:3000");
	buf_free(&b);
	buf_free(&all);
}

static void
test_mailimap_round_trip(void **state)
{
	static const uint32_t v[] = { 1, 2, 3, 7, 9, 10, 4000000000u };
	struct mailimap_set	*set;
	uint32_t		*back;
	size_t			 n;

	(void)state;
	set = uidset_to_mailimap(v, nitems(v));
	assert_int_equal(clist_count(set->set_list), 4);
	back = uidset_from_mailimap(set, 0, 100, &n);
	assert_int_equal(n, nitems(v));
	assert_memory_equal(back, v, sizeof v);
	free(back);
	mailimap_set_free(set);

	/* "5:*" with * = 8, and a cap on what a hostile range expands to. */
	set = mailimap_set_new_interval(5, 0);
	back = uidset_from_mailimap(set, 8, 100, &n);
	assert_int_equal(n, 4);
	assert_int_equal(back[0], 5);
	assert_int_equal(back[3], 8);
	free(back);
	mailimap_set_free(set);
	set = mailimap_set_new_interval(1, 4294967295u);
	back = uidset_from_mailimap(set, 0, 1000, &n);
	assert_int_equal(n, 1000);
	free(back);
	mailimap_set_free(set);
}

/* 1, 2, 4, 8, 16, 32, 60, 60 ... seconds, each within 20%. */
static void
test_backoff(void **state)
{
	static const int base[] = { 1, 2, 4, 8, 16, 32, 60, 60, 60 };
	unsigned	 a;
	int		 lo, hi, ms;
	double		 r;

	(void)state;
	for (a = 0; a < 40; a++) {
		int b = a < nitems(base) ? base[a] : 60;

		lo = b * 800;
		hi = b * 1200;
		for (r = 0.0; r < 1.0; r += 0.01) {
			ms = backoff_ms(a, r);
			assert_true(ms >= lo && ms <= hi);
		}
		assert_int_equal(backoff_ms(a, 0.0), lo);
		assert_true(backoff_ms(a, 0.999999) >= hi - 1);
		assert_int_equal(backoff_ms(a, 0.5), b * 1000);
	}
	/* Out-of-range randomness is clamped, never outside the bounds. */
	assert_int_equal(backoff_ms(0, -3.0), 800);
	assert_true(backoff_ms(0, 7.0) <= 1200);
	assert_int_equal(backoff_ms(1000000, 0.5), 60000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_some),
		cmocka_unit_test(test_mailimap_round_trip),
		cmocka_unit_test(test_backoff),
	};

	return cmocka_run_group_tests_name("uidset", tests, NULL, NULL);
}
