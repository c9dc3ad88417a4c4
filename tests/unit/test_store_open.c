/* Unit tests: opening the store, its default path and permissions, and
 * setting aside a file that cannot be trusted (src/store/store.c,
 * schema.c). */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_test.h"

static mode_t
mode_of(const char *path)
{
	struct stat	 st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static void
test_open_creates_private_files(void **state)
{
	struct tdir	*t = tdir_new();
	struct store	*s;
	char		*wal, *shm;

	(void)state;
	umask(022);
	s = tstore_open(t);
	tfolder_add(s, "INBOX", 7);
	wal = xasprintf("%s-wal", t->db);
	shm = xasprintf("%s-shm", t->db);
	assert_int_equal(mode_of(t->db), 0600);
	assert_int_equal(mode_of(wal), 0600);
	assert_int_equal(mode_of(shm), 0600);
	assert_string_equal(store_path(s), t->db);
	store_close(&s);
	assert_null(s);
	store_close(&s);	/* NULL is fine */
	s = tstore_open(t);	/* again: no notice, data kept */
	{
		struct mail_folder	 f;
		char			*err = NULL;

		assert_int_equal(store_folder_get(s, "INBOX", &f, NULL, &err),
		    1);
		assert_int_equal(f.uidvalidity, 7);
		mail_folder_clear(&f);
	}
	store_close(&s);
	free(wal);
	free(shm);
	tdir_free(t);
}

static void
test_default_path(void **state)
{
	static const struct {
		const char	*account;
		const char	*file;
	} cases[] = {
		{ "work", "work.db" },
		{ "me@example.org", "me@example.org.db" },
		{ "a/b", "a%2Fb.db" },
		{ "../x", "%2E.%2Fx.db" },
		{ "sp ace", "sp%20ace.db" },
		{ "caf\xc3\xa9", "caf%C3%A9.db" },
	};
	struct tdir	*t = tdir_new();
	char		*base, *path, *want, *err = NULL;
	size_t		 i;

	(void)state;
	base = xasprintf("%s/deep/cache", t->dir);
	setenv("XDG_CACHE_HOME", base, 1);
	for (i = 0; i < nitems(cases); i++) {
		path = store_default_path(cases[i].account, &err);
		if (path == NULL)
			fail_msg("%s: %s", cases[i].account, err);
		want = xasprintf("%s/quire/%s", base, cases[i].file);
		assert_string_equal(path, want);
		free(want);
		free(path);
	}
	want = xasprintf("%s/quire", base);
	assert_int_equal(mode_of(want), 0700);
	free(want);
	/* Without XDG_CACHE_HOME: HOME/.cache. */
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", t->dir, 1);
	path = store_default_path("x", &err);
	want = xasprintf("%s/.cache/quire/x.db", t->dir);
	assert_string_equal(path, want);
	free(want);
	free(path);
	assert_null(store_default_path("", &err));
	assert_non_null(err);
	free(err);
	free(base);
	tdir_free(t);
}

/* ---- files that must be set aside ---- */

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static void
make_garbage(const char *path)
{
	char	 junk[8192];
	size_t	 i;

	for (i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 131 + 7);
	write_file(path, junk, sizeof junk);
}

static void
make_short(const char *path)
{
	write_file(path, "hello\n", 6);
}

/* A sound store with some rows, closed. */
static void
make_full(const char *path)
{
	struct store		*s;
	struct msg_summary	 m[500];
	char			*err = NULL, *notice = NULL;
	size_t			 i;

	assert_non_null(s = store_open(path, &notice, &err));
	tfolder_add(s, "INBOX", 1);
	memset(m, 0, sizeof m);
	for (i = 0; i < nitems(m); i++) {
		m[i].uid = (uint32_t)i + 1;
		m[i].subject = (char *)"a subject long enough to fill pages "
		    "of the database so that truncation cuts rows";
	}
	assert_ok(store_messages_put(s, "INBOX", m, nitems(m), &err), &err);
	store_close(&s);
}

static void
make_truncated_pages(const char *path)
{
	struct stat	 st;

	make_full(path);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 8 * 4096);
	assert_int_equal(truncate(path, (st.st_size / 2) & ~(off_t)4095), 0);
}

static void
make_truncated_odd(const char *path)
{
	make_full(path);
	assert_int_equal(truncate(path, 4096 + 1000), 0);
}

static void
sql_file(const char *path, const char *sql)
{
	sqlite3	*db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
make_newer(const char *path)
{
	make_full(path);
	sql_file(path, "PRAGMA user_version=99");
}

static void
make_older(const char *path)
{
	make_full(path);
	sql_file(path, "PRAGMA user_version=0");
}

static void
make_foreign(const char *path)
{
	sql_file(path, "CREATE TABLE notes(t TEXT);INSERT INTO notes "
	    "VALUES('mine');");
}

static void
make_missing_table(const char *path)
{
	make_full(path);
	sql_file(path, "DROP TABLE bodies");
}

static void
make_marked(const char *path)
{
	char	*marker;

	make_full(path);
	marker = xasprintf("%s.damaged", path);
	write_file(marker, "", 0);
	free(marker);
}

/* The name of the one file in dir that starts with prefix and has no
 * -wal/-shm suffix, or NULL. */
static char *
find_aside(const char *dir, const char *prefix)
{
	DIR		*d;
	struct dirent	*e;
	char		*found = NULL;

	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
		    !str_has_suffix(e->d_name, "-wal") &&
		    !str_has_suffix(e->d_name, "-shm")) {
			assert_null(found);
			found = xasprintf("%s/%s", dir, e->d_name);
		}
	}
	closedir(d);
	return found;
}

static void
test_bad_files_set_aside(void **state)
{
	static const struct {
		const char	*name;
		void		(*make)(const char *);
		const char	*why;	/* in the notice */
	} cases[] = {
		{ "garbage", make_garbage, "not an SQLite database" },
		{ "short", make_short, "too short" },
		{ "truncated at a page", make_truncated_pages, "truncated" },
		{ "truncated mid-page", make_truncated_odd, "truncated" },
		{ "newer schema", make_newer, "newer quire" },
		{ "older schema", make_older, "too old" },
		{ "another program's", make_foreign, "not a quire cache" },
		{ "missing table", make_missing_table, "missing" },
		{ "marked damaged", make_marked, "damaged while in use" },
	};
	struct tdir		*t;
	struct store		*s;
	struct store_msg_stats	 stats;
	struct stat		 before, after;
	char			*err = NULL, *notice = NULL, *aside, *marker;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		t = tdir_new();
		cases[i].make(t->db);
		assert_int_equal(stat(t->db, &before), 0);
		s = store_open(t->db, &notice, &err);
		if (s == NULL)
			fail_msg("%s: %s", cases[i].name, err);
		if (notice == NULL || strstr(notice, cases[i].why) == NULL)
			fail_msg("%s: notice %s", cases[i].name,
			    notice ? notice : "(none)");
		aside = find_aside(t->dir, "test.db.broken-");
		if (aside == NULL)
			fail_msg("%s: nothing moved aside", cases[i].name);
		assert_non_null(strstr(notice, aside));
		assert_int_equal(stat(aside, &after), 0);
		assert_int_equal(before.st_size, after.st_size);
		assert_int_equal(before.st_ino, after.st_ino);
		/* The new store is empty and works. */
		tfolder_add(s, "INBOX", 3);
		assert_ok(store_messages_stats(s, "INBOX", &stats, &err), &err);
		assert_int_equal(stats.count, 0);
		store_close(&s);
		marker = xasprintf("%s.damaged", t->db);
		assert_int_equal(access(marker, F_OK), -1);
		free(marker);
		/* Told once: the next open is quiet. */
		store_close((s = tstore_open(t), &s));
		free(aside);
		free(notice);
		notice = NULL;
		tdir_free(t);
	}
}

static void
test_stale_wal_moves_with_file(void **state)
{
	struct tdir	*t = tdir_new();
	char		*wal, *aside, *aside_wal, *err = NULL, *notice = NULL;
	struct store	*s;

	(void)state;
	make_garbage(t->db);
	wal = xasprintf("%s-wal", t->db);
	write_file(wal, "old wal", 7);
	assert_non_null(s = store_open(t->db, &notice, &err));
	assert_non_null(notice);
	aside = find_aside(t->dir, "test.db.broken-");
	assert_non_null(aside);
	aside_wal = xasprintf("%s-wal", aside);
	assert_int_equal(access(aside_wal, F_OK), 0);
	store_close(&s);
	free(notice);
	free(aside);
	free(aside_wal);
	free(wal);
	tdir_free(t);
}

/* One integer from a query on the file at path. */
static int
file_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*q;
	int		 v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

/* A file of an older version, made by undoing what came after it, is
 * upgraded in place: no notice, the rows kept, the indexes there, the
 * version the current one. */
static void
upgrade_from(const char *undo)
{
	struct tdir		*t = tdir_new();
	struct store_msg_stats	 st;
	char			*err = NULL, *notice = NULL;
	struct store		*s;

	make_full(t->db);
	sql_file(t->db, undo);
	assert_non_null(s = store_open(t->db, &notice, &err));
	assert_null(notice);
	assert_ok(store_messages_stats(s, "INBOX", &st, &err), &err);
	assert_int_equal(st.count, 500);
	store_close(&s);
	assert_int_equal(file_int(t->db, "SELECT count(*) FROM sqlite_master "
	    "WHERE name IN ('messages_date', 'messages_arrival')"), 2);
	assert_int_equal(file_int(t->db, "PRAGMA user_version"), 3);
	tdir_free(t);
}

/* Version 1: before the date index. */
static void
test_upgrade_from_v1(void **state)
{
	(void)state;
	upgrade_from("DROP INDEX messages_date;DROP INDEX messages_arrival;"
	    "PRAGMA user_version=1");
}

/* Version 2: before the arrival index. */
static void
test_upgrade_from_v2(void **state)
{
	(void)state;
	upgrade_from("DROP INDEX messages_arrival;PRAGMA user_version=2");
}

static void
test_unopenable_is_an_error(void **state)
{
	struct tdir	*t = tdir_new();
	char		*path, *err = NULL, *notice = NULL;

	(void)state;
	path = xasprintf("%s/no/such/dir/x.db", t->dir);
	assert_null(store_open(path, &notice, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, path));
	assert_null(notice);
	free(err);
	free(path);
	tdir_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_creates_private_files),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_bad_files_set_aside),
		cmocka_unit_test(test_stale_wal_moves_with_file),
		cmocka_unit_test(test_upgrade_from_v1),
		cmocka_unit_test(test_upgrade_from_v2),
		cmocka_unit_test(test_unopenable_is_an_error),
	};

	return cmocka_run_group_tests_name("store_open", tests, NULL, NULL);
}
