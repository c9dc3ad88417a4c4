check_PROGRAMS += tests/unit/test_buf
TESTS += tests/unit/test_buf
tests_unit_test_buf_SOURCES = tests/unit/test_buf.c
tests_unit_test_buf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_buf_LDADD = src/util/libutil.a $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test_str
TESTS += tests/unit/test_str
tests_unit_test_str_SOURCES = tests/unit/test_str.c
tests_unit_test_str_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_str_LDADD = src/util/libutil.a $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test_log
TESTS += tests/unit/test_log
tests_unit_test_log_SOURCES = tests/unit/test_log.c
tests_unit_test_log_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_log_LDADD = src/util/libutil.a $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test_utf8
TESTS += tests/unit/test_utf8
tests_unit_test_utf8_SOURCES = tests/unit/test_utf8.c
tests_unit_test_utf8_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_utf8_LDADD = src/util/libutil.a $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test_safe
TESTS += tests/unit/test_safe
tests_unit_test_safe_SOURCES = tests/unit/test_safe.c
tests_unit_test_safe_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_safe_LDADD = src/util/libutil.a $(UNIT_LDADD)
