# The wire against the Dovecot fixture and the test program's own small
# servers. test_wire is hand-written TAP; wire.sh starts the fixture, runs
# it and checks Dovecot's log.
check_PROGRAMS += tests/integration/test_wire
tests_integration_test_wire_SOURCES = tests/integration/test_wire.c \
	tests/integration/ctap.c tests/integration/ctap.h
tests_integration_test_wire_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
tests_integration_test_wire_LDADD = src/net/libnet.a src/util/libutil.a \
	$(ETPAN_LIBS) $(GNUTLS_LIBS)
TESTS += tests/integration/wire.sh
EXTRA_DIST += tests/integration/wire.sh
