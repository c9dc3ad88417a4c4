# Hostile-input tools: a scripted fake IMAP server and a fault-injecting
# proxy, for the BAD-INPUTS.md rows no real server produces. Check
# programs only: built by "make check", never installed.
FAKE_SOURCES = tests/fake/fake-common.c tests/fake/fake.h

check_PROGRAMS += tests/fake/fakeimap tests/fake/faultproxy
tests_fake_fakeimap_SOURCES = tests/fake/fakeimap.c $(FAKE_SOURCES)
tests_fake_fakeimap_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
tests_fake_fakeimap_LDADD = src/util/libutil.a $(GNUTLS_LIBS)
tests_fake_faultproxy_SOURCES = tests/fake/faultproxy.c $(FAKE_SOURCES)
tests_fake_faultproxy_LDADD = src/util/libutil.a

TESTS += tests/fake/fake-selftest.sh
EXTRA_DIST += tests/fake/fake-selftest.sh tests/fake/README
