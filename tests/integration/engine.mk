# (filled by its module's work)

# ---- the connection layer (src/imap/conn.c) and quire --check-account ----
# test_conn opens one connection and prints what came of it; conn.sh runs
# it against the Dovecot fixture and scripted fake servers, and drives
# quire --check-account.
check_PROGRAMS += tests/integration/test_conn
tests_integration_test_conn_SOURCES = tests/integration/test_conn.c
tests_integration_test_conn_LDADD = src/imap/libimap.a src/net/libnet.a \
	src/mail/libmail.a src/config/libconfig.a src/util/libutil.a \
	$(ETPAN_LIBS) $(GNUTLS_LIBS)
TESTS += tests/integration/conn.sh
EXTRA_DIST += tests/integration/conn.sh
