check_PROGRAMS += tests/unit/test_mutf7
TESTS += tests/unit/test_mutf7
tests_unit_test_mutf7_SOURCES = tests/unit/test_mutf7.c
tests_unit_test_mutf7_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mutf7_LDADD = src/mail/libmail.a src/util/libutil.a \
	$(UNIT_LDADD)

check_PROGRAMS += tests/unit/test_rfc2047
TESTS += tests/unit/test_rfc2047
tests_unit_test_rfc2047_SOURCES = tests/unit/test_rfc2047.c
tests_unit_test_rfc2047_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rfc2047_LDADD = src/mail/libmail.a src/util/libutil.a \
	$(UNIT_LDADD)
