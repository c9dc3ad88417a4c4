/* Unit tests: growable buffers and pointer arrays (src/util/buf.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quire/util.h"
#include "unit.h"

static void
test_buf_add_terminates(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	assert_string_equal(buf_str(&b), "");
	buf_addstr(&b, "abc");
	buf_addch(&b, 'd');
	buf_add(&b, "e\0f", 3);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "abcde\0f", 8);
	assert_int_equal(b.data[b.len], '\0');
	buf_free(&b);
}

static void
test_buf_printf_grows(void **state)
{
	struct buf	 b = BUF_INIT;
	int		 i;

	(void)state;
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%04d,", i);
	assert_int_equal(b.len, 5000);
	assert_memory_equal(b.data + 4995, "0999,", 5);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

static void
test_buf_detach_resets(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*s;

	(void)state;
	s = buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	buf_addstr(&b, "mail");
	s = buf_detach(&b);
	assert_string_equal(s, "mail");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
}

static void
test_ptrarray_push_and_free(void **state)
{
	struct ptrarray	 a = PTRARRAY_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < 100; i++)
		ptrarray_push(&a, xasprintf("%zu", i));
	assert_int_equal(a.len, 100);
	assert_string_equal(a.items[42], "42");
	ptrarray_free(&a, free);
	assert_null(a.items);
	assert_int_equal(a.len, 0);
}

static void
test_xstrndup_stops_at_nul(void **state)
{
	char	*s;

	(void)state;
	s = xstrndup("ab\0cd", 5);
	assert_string_equal(s, "ab");
	free(s);
	s = xmemdup("ab\0cd", 5);
	assert_memory_equal(s, "ab\0cd\0", 6);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_add_terminates),
		cmocka_unit_test(test_buf_printf_grows),
		cmocka_unit_test(test_buf_detach_resets),
		cmocka_unit_test(test_ptrarray_push_and_free),
		cmocka_unit_test(test_xstrndup_stops_at_nul),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
