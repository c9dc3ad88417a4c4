# MIME rendering (src/mail): the message corpus, the tree and its
# sections, transfer decoding, HTML, attachment names.
MIME_TEST_LDADD = src/mail/libmail.a src/util/libutil.a $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test_mime
TESTS += tests/unit/test_mime
tests_unit_test_mime_SOURCES = tests/unit/test_mime.c
tests_unit_test_mime_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mime_LDADD = $(MIME_TEST_LDADD)

check_PROGRAMS += tests/unit/test_mime_tree
TESTS += tests/unit/test_mime_tree
tests_unit_test_mime_tree_SOURCES = tests/unit/test_mime_tree.c
tests_unit_test_mime_tree_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mime_tree_LDADD = $(MIME_TEST_LDADD)

check_PROGRAMS += tests/unit/test_mime_decode
TESTS += tests/unit/test_mime_decode
tests_unit_test_mime_decode_SOURCES = tests/unit/test_mime_decode.c
tests_unit_test_mime_decode_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mime_decode_LDADD = $(MIME_TEST_LDADD)

check_PROGRAMS += tests/unit/test_html
TESTS += tests/unit/test_html
tests_unit_test_html_SOURCES = tests/unit/test_html.c
tests_unit_test_html_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_html_LDADD = $(MIME_TEST_LDADD)

check_PROGRAMS += tests/unit/test_safe_filename
TESTS += tests/unit/test_safe_filename
tests_unit_test_safe_filename_SOURCES = tests/unit/test_safe_filename.c
tests_unit_test_safe_filename_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_safe_filename_LDADD = $(MIME_TEST_LDADD)
