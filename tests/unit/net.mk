# net: the framing scanner is pure, so its test builds the one source file
# and needs neither sockets nor GnuTLS.
check_PROGRAMS += tests/unit/test_frame
TESTS += tests/unit/test_frame
tests_unit_test_frame_SOURCES = tests/unit/test_frame.c src/net/frame.c
tests_unit_test_frame_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_frame_LDADD = src/util/libutil.a $(UNIT_LDADD)
