/* Unit tests: the body cache and its LRU budget, --cache-info numbers and
 * clearing (src/store/bodies.c, info.c). */
#include "config.h"

#include "store_test.h"

static bool
cached(struct store *s, uint32_t uid)
{
	char	*data, *err = NULL;
	size_t	 len;
	int	 rc;

	rc = store_body_get(s, "INBOX", 1, uid, &data, &len, &err);
	assert_int_not_equal(rc, -1);
	free(data);
	return rc == 1;
}

static void
put(struct store *s, uint32_t uid, size_t len, uint64_t budget)
{
	char	*data, *err = NULL;

	data = xmalloc(len);
	memset(data, 'a' + (int)uid, len);
	assert_ok(store_body_put(s, "INBOX", 1, uid, data, len, budget, &err),
	    &err);
	free(data);
}

static void
test_lru_budget(void **state)
{
	struct tdir	*t = tdir_new();
	struct store	*s = tstore_open(t);
	uint64_t	 freed = 0;
	char		*err = NULL;

	(void)state;
	tfolder_add(s, "INBOX", 1);
	put(s, 1, 300, 1000);
	put(s, 2, 300, 1000);
	put(s, 3, 300, 1000);
	assert_true(cached(s, 1));	/* 2 is now the oldest use */
	put(s, 4, 300, 1000);		/* 1200 > 1000: 2 goes */
	assert_false(cached(s, 2));
	assert_true(cached(s, 3));
	assert_true(cached(s, 1));
	assert_true(cached(s, 4));
	/* Uses survive a reopen: the counter resumes from the file. */
	store_close(&s);
	s = tstore_open(t);
	assert_true(cached(s, 3));	/* order of use: 1 4 3 */
	put(s, 5, 600, 1000);		/* 1500: 1 and 4 go */
	assert_false(cached(s, 1));
	assert_false(cached(s, 4));
	assert_true(cached(s, 3));
	assert_true(cached(s, 5));
	/* Larger than the whole budget: not cached, nothing evicted. */
	put(s, 6, 2000, 1000);
	assert_false(cached(s, 6));
	assert_true(cached(s, 3));
	assert_ok(store_body_evict(s, 700, &freed, &err), &err);
	assert_int_equal(freed, 600);	/* 5 was used before 3 */
	assert_false(cached(s, 5));
	assert_true(cached(s, 3));
	assert_ok(store_body_evict(s, 0, &freed, &err), &err);
	assert_int_equal(freed, 300);
	assert_false(cached(s, 3));
	store_close(&s);
	tdir_free(t);
}

static void
test_body_bytes_and_uidvalidity(void **state)
{
	static const char	 bin[] = "a\0b\r\n\xff\x00z";
	struct tdir		*t = tdir_new();
	struct store		*s = tstore_open(t);
	char			*data, *err = NULL;
	size_t			 len;

	(void)state;
	tfolder_add(s, "INBOX", 1);
	assert_ok(store_body_put(s, "INBOX", 1, 5, bin, sizeof bin, 0, &err),
	    &err);
	assert_int_equal(store_body_get(s, "INBOX", 1, 5, &data, &len, &err),
	    1);
	assert_int_equal(len, sizeof bin);
	assert_memory_equal(data, bin, sizeof bin);
	assert_int_equal(data[len], '\0');
	free(data);
	assert_ok(store_body_put(s, "INBOX", 1, 6, "", 0, 0, &err), &err);
	assert_int_equal(store_body_get(s, "INBOX", 1, 6, &data, &len, &err),
	    1);
	assert_int_equal(len, 0);
	free(data);
	/* Another uidvalidity: a miss, and a put is refused. */
	assert_int_equal(store_body_get(s, "INBOX", 2, 5, &data, &len, &err),
	    0);
	assert_null(data);
	assert_int_equal(store_body_put(s, "INBOX", 2, 5, "x", 1, 0, &err),
	    -1);
	free(err);
	err = NULL;
	assert_int_equal(store_body_get(s, "Nope", 1, 5, &data, &len, &err),
	    0);
	store_close(&s);
	tdir_free(t);
}

static void
fill(struct store *s, const char *folder, size_t n)
{
	struct msg_summary	*m;
	char			*err = NULL;
	size_t			 i;

	m = xcalloc(n, sizeof *m);
	for (i = 0; i < n; i++) {
		m[i].uid = (uint32_t)i + 1;
		m[i].from = (char *)"caf\xc3\xa9";	/* 5 bytes */
		m[i].subject = (char *)"0123456789";	/* 10 */
		m[i].message_id = (char *)"<x>";	/* 3 */
	}
	assert_ok(store_messages_put(s, folder, m, n, &err), &err);
	free(m);
}

static void
test_info_and_clear(void **state)
{
	struct tdir		*t = tdir_new();
	struct store		*s = tstore_open(t);
	struct store_info	 info;
	struct pending		 p;
	struct mail_folder	 f;
	char			*err = NULL;
	uint64_t		 before;

	(void)state;
	tfolder_add(s, "INBOX", 1);
	tfolder_add(s, "Sent", 1);
	fill(s, "INBOX", 2000);
	fill(s, "Sent", 3);
	put(s, 1, 1000, 0);
	put(s, 2, 24, 0);
	memset(&p, 0, sizeof p);
	p.folder = (char *)"Sent";
	p.uidvalidity = 1;
	p.uid = 2;
	p.add = MF_FLAGGED;
	assert_ok(store_pending_add(s, &p, 1, &err), &err);
	assert_ok(store_folder_set_sync(s, "INBOX", 1, 2001, 55, &err), &err);

	assert_ok(store_info(s, &info, &err), &err);
	assert_string_equal(info.path, t->db);
	assert_true(info.file_bytes + info.wal_bytes > 2000 * 18);
	assert_int_equal(info.schema_version, 3);
	assert_int_equal(info.pending, 1);
	assert_int_equal(info.body_bytes, 1024);
	assert_int_equal(info.nfolders, 2);
	assert_string_equal(info.folders[0].name, "INBOX");
	assert_int_equal(info.folders[0].messages, 2000);
	assert_int_equal(info.folders[0].summary_bytes, 2000 * 18);
	assert_int_equal(info.folders[0].bodies, 2);
	assert_int_equal(info.folders[0].body_bytes, 1024);
	assert_int_equal(info.folders[0].pending, 0);
	assert_int_equal(info.folders[1].messages, 3);
	assert_int_equal(info.folders[1].pending, 1);
	before = info.file_bytes + info.wal_bytes;
	store_info_clear(&info);
	store_info_clear(NULL);

	assert_ok(store_clear(s, &err), &err);
	assert_ok(store_info(s, &info, &err), &err);
	assert_int_equal(info.folders[0].messages, 0);
	assert_int_equal(info.body_bytes, 0);
	assert_int_equal(info.pending, 1);	/* the journal is kept */
	assert_true(info.file_bytes + info.wal_bytes < before);
	store_info_clear(&info);
	assert_int_equal(store_folder_get(s, "INBOX", &f, NULL, &err), 1);
	assert_int_equal(f.uidvalidity, 1);	/* kept, to check against */
	assert_int_equal(f.uidnext, 0);
	assert_int_equal(f.highestmodseq, 0);
	mail_folder_clear(&f);
	store_close(&s);
	tdir_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lru_budget),
		cmocka_unit_test(test_body_bytes_and_uidvalidity),
		cmocka_unit_test(test_info_and_clear),
	};

	return cmocka_run_group_tests_name("store_bodies", tests, NULL, NULL);
}
