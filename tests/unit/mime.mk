# MIME rendering (src/mail): the message corpus, the tree and its
# sections, transfer decoding, HTML, attachment names.
MIME_TEST_LDADD = src/mail/libmail.a src/util/libutil.a $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test_mime
TESTS += tests/unit/test_mime
tests_unit_test_mime_SOURCES = tests/unit/test_mime.c
tests_unit_test_mime_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mime_LDADD = $(MIME_TEST_LDADD)
