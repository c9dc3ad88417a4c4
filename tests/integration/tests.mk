# Integration tests against the Dovecot fixture.
TESTS += tests/integration/fixture.sh
EXTRA_DIST += tests/integration/fixture.sh

# Search and sort on the server (src/imap/search.c): the engine's match
# sets and orders against Dovecot's own answers to hand-written criteria.
check_PROGRAMS += tests/integration/test_search
tests_integration_test_search_SOURCES = tests/integration/test_search.c
tests_integration_test_search_LDADD = $(QUIRE_LIBS) $(QUIRE_EXTERNAL_LIBS)
TESTS += tests/integration/search.sh
EXTRA_DIST += tests/integration/search.sh

# CONDSTORE without QRESYNC (src/imap/sync.c): the warm start's reconcile
# against the fixture started with --no-qresync; test_condstore is one run.
check_PROGRAMS += tests/integration/test_condstore
tests_integration_test_condstore_SOURCES = \
	tests/integration/test_condstore.c tests/integration/ctap.c \
	tests/integration/ctap.h
tests_integration_test_condstore_LDADD = $(IMAP_LINK)
TESTS += tests/integration/condstore.sh
EXTRA_DIST += tests/integration/condstore.sh
