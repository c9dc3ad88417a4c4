# The store's unit tests: each opens real SQLite files in a temporary
# directory. test_store_perf prints its measurements as TAP comments.
STORE_TEST_LDADD = src/store/libstore.a src/mail/libmail.a src/util/libutil.a \
	$(SQLITE_LIBS) $(UNIT_LDADD)
STORE_TEST_CFLAGS = $(UNIT_CFLAGS) $(SQLITE_CFLAGS)
noinst_HEADERS += tests/unit/store_test.h

check_PROGRAMS += tests/unit/test_store_open
TESTS += tests/unit/test_store_open
tests_unit_test_store_open_SOURCES = tests/unit/test_store_open.c
tests_unit_test_store_open_CFLAGS = $(STORE_TEST_CFLAGS)
tests_unit_test_store_open_LDADD = $(STORE_TEST_LDADD)

check_PROGRAMS += tests/unit/test_store_folders
TESTS += tests/unit/test_store_folders
tests_unit_test_store_folders_SOURCES = tests/unit/test_store_folders.c
tests_unit_test_store_folders_CFLAGS = $(STORE_TEST_CFLAGS)
tests_unit_test_store_folders_LDADD = $(STORE_TEST_LDADD)

check_PROGRAMS += tests/unit/test_store_messages
TESTS += tests/unit/test_store_messages
tests_unit_test_store_messages_SOURCES = tests/unit/test_store_messages.c
tests_unit_test_store_messages_CFLAGS = $(STORE_TEST_CFLAGS)
tests_unit_test_store_messages_LDADD = $(STORE_TEST_LDADD)

check_PROGRAMS += tests/unit/test_store_journal
TESTS += tests/unit/test_store_journal
tests_unit_test_store_journal_SOURCES = tests/unit/test_store_journal.c
tests_unit_test_store_journal_CFLAGS = $(STORE_TEST_CFLAGS)
tests_unit_test_store_journal_LDADD = $(STORE_TEST_LDADD)

check_PROGRAMS += tests/unit/test_store_bodies
TESTS += tests/unit/test_store_bodies
tests_unit_test_store_bodies_SOURCES = tests/unit/test_store_bodies.c
tests_unit_test_store_bodies_CFLAGS = $(STORE_TEST_CFLAGS)
tests_unit_test_store_bodies_LDADD = $(STORE_TEST_LDADD)

check_PROGRAMS += tests/unit/test_store_crash
TESTS += tests/unit/test_store_crash
tests_unit_test_store_crash_SOURCES = tests/unit/test_store_crash.c
tests_unit_test_store_crash_CFLAGS = $(STORE_TEST_CFLAGS)
tests_unit_test_store_crash_LDADD = $(STORE_TEST_LDADD)

check_PROGRAMS += tests/unit/test_store_perf
TESTS += tests/unit/test_store_perf
tests_unit_test_store_perf_SOURCES = tests/unit/test_store_perf.c
tests_unit_test_store_perf_CFLAGS = $(STORE_TEST_CFLAGS)
tests_unit_test_store_perf_LDADD = $(STORE_TEST_LDADD)
