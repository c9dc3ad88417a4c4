# (filled by its module's work)

# ---- the connection layer (src/imap/conn.c) and quire --check-account ----
# test_conn opens one connection and prints what came of it; conn.sh runs
# it against the Dovecot fixture and scripted fake servers, and drives
# quire --check-account.
check_PROGRAMS += tests/integration/test_conn
tests_integration_test_conn_SOURCES = tests/integration/test_conn.c
tests_integration_test_conn_LDADD = $(IMAP_LINK)
TESTS += tests/integration/conn.sh
EXTRA_DIST += tests/integration/conn.sh

# ---- the session thread and sync engine (src/imap) ----
# test_engine drives a session as the UI would; engine.sh starts the
# fixture, and a faultproxy in front of it for the cut, stall and queued
# cases.
check_PROGRAMS += tests/integration/test_engine
tests_integration_test_engine_SOURCES = tests/integration/test_engine.c \
	tests/integration/ctap.c tests/integration/ctap.h
tests_integration_test_engine_LDADD = $(IMAP_LINK)
TESTS += tests/integration/engine.sh
EXTRA_DIST += tests/integration/engine.sh

# ---- the store under the session: warm start, journal, offline ----
# test_store drives the session over several runs of one process each;
# store.sh kills it with QUIRE_TEST_CRASH_AT at each step of the journal,
# renumbers a folder, overwrites the cache with garbage, stops Dovecot and
# silences it behind a faultproxy.
check_PROGRAMS += tests/integration/test_store
tests_integration_test_store_SOURCES = tests/integration/test_store.c \
	tests/integration/ctap.c tests/integration/ctap.h
tests_integration_test_store_LDADD = $(IMAP_LINK)
TESTS += tests/integration/store.sh
EXTRA_DIST += tests/integration/store.sh
