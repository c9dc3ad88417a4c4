# imap: the engine's pure parts, each built from its own source file: the
# queues (with threads), the sequence map, UID sets and the backoff, and
# FETCH responses to summaries. None opens a socket.
IMAP_TEST_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/src/imap
IMAP_TEST_LDADD = src/mail/libmail.a src/util/libutil.a $(ETPAN_LIBS) \
	$(UNIT_LDADD)

check_PROGRAMS += tests/unit/test_queue
TESTS += tests/unit/test_queue
tests_unit_test_queue_SOURCES = tests/unit/test_queue.c src/imap/queue.c
tests_unit_test_queue_CFLAGS = $(IMAP_TEST_CFLAGS)
tests_unit_test_queue_LDADD = $(IMAP_TEST_LDADD)

check_PROGRAMS += tests/unit/test_seqmap
TESTS += tests/unit/test_seqmap
tests_unit_test_seqmap_SOURCES = tests/unit/test_seqmap.c src/imap/seqmap.c
tests_unit_test_seqmap_CFLAGS = $(IMAP_TEST_CFLAGS)
tests_unit_test_seqmap_LDADD = $(IMAP_TEST_LDADD)

check_PROGRAMS += tests/unit/test_uidset
TESTS += tests/unit/test_uidset
tests_unit_test_uidset_SOURCES = tests/unit/test_uidset.c src/imap/uidset.c
tests_unit_test_uidset_CFLAGS = $(IMAP_TEST_CFLAGS)
tests_unit_test_uidset_LDADD = $(IMAP_TEST_LDADD)

check_PROGRAMS += tests/unit/test_envelope
TESTS += tests/unit/test_envelope
tests_unit_test_envelope_SOURCES = tests/unit/test_envelope.c \
	src/imap/envelope.c
tests_unit_test_envelope_CFLAGS = $(IMAP_TEST_CFLAGS)
tests_unit_test_envelope_LDADD = $(IMAP_TEST_LDADD)
