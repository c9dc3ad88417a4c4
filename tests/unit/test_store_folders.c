/* Unit tests: the folders table and UIDVALIDITY resets
 * (src/store/folders.c). */
#include "config.h"

#include "store_test.h"

static void
put_folder(struct store *s, const char *name, const char *raw, unsigned attrs,
    bool status, uint32_t messages, uint32_t unseen)
{
	struct mail_folder	 f;
	char			*err = NULL;

	memset(&f, 0, sizeof f);
	f.name = (char *)name;
	f.raw = (char *)raw;
	f.delim = '.';
	f.attrs = attrs;
	f.has_status = status;
	f.messages = messages;
	f.unseen = unseen;
	f.uidvalidity = 999;	/* must be ignored */
	f.uidnext = 999;
	f.highestmodseq = 999;
	assert_ok(store_folder_put(s, &f, &err), &err);
}

static void
test_folder_crud(void **state)
{
	struct tdir		*t = tdir_new();
	struct store		*s = tstore_open(t);
	struct mail_folder	*list, f;
	size_t			 n;
	int64_t			 last_sync = -1;
	char			*err = NULL;

	(void)state;
	put_folder(s, "INBOX", "INBOX", FA_INBOX, false, 0, 0);
	put_folder(s, "Archiv/Entw\xc3\xbcrfe", "Archiv.Entw&APw-rfe",
	    FA_DRAFTS, true, 12, 3);
	put_folder(s, "Junk", NULL, FA_JUNK, true, 5, 5);
	assert_ok(store_folder_list(s, &list, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].name, "Archiv/Entw\xc3\xbcrfe");
	assert_string_equal(list[0].raw, "Archiv.Entw&APw-rfe");
	assert_int_equal(list[0].delim, '.');
	assert_int_equal(list[0].attrs, FA_DRAFTS);
	assert_true(list[0].has_status);
	assert_int_equal(list[0].messages, 12);
	assert_int_equal(list[0].unseen, 3);
	assert_int_equal(list[0].uidvalidity, 0);	/* not from put */
	assert_int_equal(list[0].uidnext, 0);
	assert_int_equal(list[0].highestmodseq, 0);
	assert_string_equal(list[1].name, "INBOX");
	assert_false(list[1].has_status);
	assert_string_equal(list[2].raw, "Junk");	/* raw defaults */
	for (; n > 0; n--)
		mail_folder_clear(&list[n - 1]);
	free(list);

	/* An update without STATUS keeps the counts, changes the rest. */
	put_folder(s, "Junk", "Junk", FA_JUNK | FA_HASCHILDREN, false, 0, 0);
	assert_int_equal(store_folder_get(s, "Junk", &f, &last_sync, &err), 1);
	assert_int_equal(f.attrs, FA_JUNK | FA_HASCHILDREN);
	assert_true(f.has_status);
	assert_int_equal(f.messages, 5);
	assert_int_equal(last_sync, 0);
	mail_folder_clear(&f);

	assert_ok(store_folder_set_sync(s, "Junk", 77, 100, 12345678901ULL,
	    &err), &err);
	assert_int_equal(store_folder_get(s, "Junk", &f, &last_sync, &err), 1);
	assert_int_equal(f.uidvalidity, 77);
	assert_int_equal(f.uidnext, 100);
	assert_int_equal(f.highestmodseq, 12345678901ULL);
	assert_true(last_sync > 0);
	mail_folder_clear(&f);

	assert_int_equal(store_folder_get(s, "Nope", &f, NULL, &err), 0);
	assert_int_equal(store_folder_delete(s, "Junk", NULL, &err), 1);
	assert_int_equal(store_folder_delete(s, "Junk", NULL, &err), 0);
	assert_int_equal(store_folder_get(s, "Junk", &f, NULL, &err), 0);
	store_close(&s);
	tdir_free(t);
}

static void
test_set_sync_refuses_new_uidvalidity(void **state)
{
	struct tdir	*t = tdir_new();
	struct store	*s = tstore_open(t);
	char		*err = NULL;

	(void)state;
	tfolder_add(s, "INBOX", 10);
	assert_int_equal(store_folder_set_sync(s, "INBOX", 11, 5, 0, &err),
	    -1);
	assert_non_null(strstr(err, "reset"));
	free(err);
	err = NULL;
	assert_int_equal(store_folder_set_sync(s, "Nope", 1, 1, 0, &err), -1);
	assert_non_null(strstr(err, "Nope"));
	free(err);
	store_close(&s);
	tdir_free(t);
}

static void
add_rows(struct store *s, const char *folder, uint32_t first, size_t n)
{
	struct msg_summary	*m;
	char			*err = NULL;
	size_t			 i;

	m = xcalloc(n, sizeof *m);
	for (i = 0; i < n; i++) {
		m[i].uid = first + (uint32_t)i;
		m[i].subject = (char *)"s";
	}
	assert_ok(store_messages_put(s, folder, m, n, &err), &err);
	free(m);
}

static void
add_change(struct store *s, const char *folder, uint32_t uidvalidity,
    uint32_t uid)
{
	struct pending	 p;
	char		*err = NULL;

	memset(&p, 0, sizeof p);
	p.kind = PENDING_FLAGS;
	p.folder = (char *)folder;
	p.uidvalidity = uidvalidity;
	p.uid = uid;
	p.add = MF_SEEN;
	assert_ok(store_pending_add(s, &p, 1, &err), &err);
}

static size_t
count_pending(struct store *s, const char *folder)
{
	struct pending	*p;
	size_t		 n;
	char		*err = NULL;

	assert_ok(store_pending_list(s, folder, &p, &n, &err), &err);
	store_pending_free(p, n);
	return n;
}

static size_t
count_rows(struct store *s, const char *folder)
{
	struct store_msg_stats	 st;
	char			*err = NULL;

	assert_ok(store_messages_stats(s, folder, &st, &err), &err);
	return st.count;
}

static void
test_reset_drops_that_folder_only(void **state)
{
	struct tdir		*t = tdir_new();
	struct store		*s = tstore_open(t);
	struct mail_folder	 f;
	size_t			 dropped = 99;
	char			*err = NULL, *data;
	size_t			 len;

	(void)state;
	tfolder_add(s, "INBOX", 100);
	tfolder_add(s, "Other", 100);
	add_rows(s, "INBOX", 1, 50);
	add_rows(s, "Other", 1, 20);
	add_change(s, "INBOX", 100, 3);
	add_change(s, "INBOX", 100, 4);
	add_change(s, "INBOX", 100, 5);
	add_change(s, "Other", 100, 3);
	assert_ok(store_body_put(s, "INBOX", 100, 3, "body", 4, 0, &err), &err);
	assert_ok(store_body_put(s, "Other", 100, 3, "other", 5, 0, &err),
	    &err);
	assert_ok(store_folder_set_sync(s, "INBOX", 100, 51, 900, &err), &err);

	assert_ok(store_folder_reset(s, "INBOX", 200, &dropped, &err), &err);
	assert_int_equal(dropped, 3);
	assert_int_equal(count_rows(s, "INBOX"), 0);
	assert_int_equal(count_pending(s, "INBOX"), 0);
	assert_int_equal(store_body_get(s, "INBOX", 100, 3, &data, &len, &err),
	    0);
	assert_int_equal(store_folder_get(s, "INBOX", &f, NULL, &err), 1);
	assert_int_equal(f.uidvalidity, 200);
	assert_int_equal(f.uidnext, 0);
	assert_int_equal(f.highestmodseq, 0);
	mail_folder_clear(&f);
	/* The other folder is untouched. */
	assert_int_equal(count_rows(s, "Other"), 20);
	assert_int_equal(count_pending(s, "Other"), 1);
	assert_int_equal(store_body_get(s, "Other", 100, 3, &data, &len, &err),
	    1);
	assert_memory_equal(data, "other", 5);
	free(data);
	/* An entry for the old uidvalidity is refused from now on. */
	{
		struct pending	 p;

		memset(&p, 0, sizeof p);
		p.folder = (char *)"INBOX";
		p.uidvalidity = 100;
		p.uid = 3;
		p.add = MF_SEEN;
		assert_int_equal(store_pending_add(s, &p, 1, &err), -1);
		assert_non_null(strstr(err, "UIDVALIDITY"));
		free(err);
		err = NULL;
	}
	/* A second reset to the same value drops nothing new. */
	add_change(s, "INBOX", 200, 9);
	assert_ok(store_folder_reset(s, "INBOX", 200, &dropped, &err), &err);
	assert_int_equal(dropped, 0);
	assert_int_equal(count_pending(s, "INBOX"), 1);
	store_close(&s);
	tdir_free(t);
}

static void
test_delete_folder_cascades(void **state)
{
	struct tdir	*t = tdir_new();
	struct store	*s = tstore_open(t);
	struct store_info info;
	size_t		 dropped = 0;
	char		*err = NULL;

	(void)state;
	tfolder_add(s, "Gone", 5);
	tfolder_add(s, "Kept", 5);
	add_rows(s, "Gone", 1, 30);
	add_rows(s, "Kept", 1, 10);
	add_change(s, "Gone", 5, 1);
	add_change(s, "Gone", 5, 2);
	add_change(s, "Kept", 5, 2);
	assert_ok(store_body_put(s, "Gone", 5, 1, "x", 1, 0, &err), &err);
	assert_int_equal(store_folder_delete(s, "Gone", &dropped, &err), 1);
	assert_int_equal(dropped, 2);
	assert_ok(store_info(s, &info, &err), &err);
	assert_int_equal(info.nfolders, 1);
	assert_string_equal(info.folders[0].name, "Kept");
	assert_int_equal(info.folders[0].messages, 10);
	assert_int_equal(info.pending, 1);
	assert_int_equal(info.body_bytes, 0);
	store_info_clear(&info);
	store_close(&s);
	tdir_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folder_crud),
		cmocka_unit_test(test_set_sync_refuses_new_uidvalidity),
		cmocka_unit_test(test_reset_drops_that_folder_only),
		cmocka_unit_test(test_delete_folder_cascades),
	};

	return cmocka_run_group_tests_name("store_folders", tests, NULL, NULL);
}
