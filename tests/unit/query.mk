# The search query language: parser, IMAP criteria, offline match.
check_PROGRAMS += tests/unit/test_query
TESTS += tests/unit/test_query
tests_unit_test_query_SOURCES = tests/unit/test_query.c
tests_unit_test_query_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_query_LDADD = src/mail/libmail.a src/util/libutil.a \
	$(UNIT_LDADD)
