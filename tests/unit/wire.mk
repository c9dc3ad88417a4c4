# net, the wire's pure parts: the trace with its credential redaction, and
# certificate fingerprints. Neither opens a socket.
check_PROGRAMS += tests/unit/test_wire_trace
TESTS += tests/unit/test_wire_trace
tests_unit_test_wire_trace_SOURCES = tests/unit/test_wire_trace.c \
	src/net/trace.c
tests_unit_test_wire_trace_CFLAGS = $(UNIT_CFLAGS) $(GNUTLS_CFLAGS) \
	-I$(top_srcdir)/src/net
tests_unit_test_wire_trace_LDADD = src/util/libutil.a $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test_wire_fp
TESTS += tests/unit/test_wire_fp
tests_unit_test_wire_fp_SOURCES = tests/unit/test_wire_fp.c
tests_unit_test_wire_fp_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_wire_fp_LDADD = src/net/libnet.a src/util/libutil.a \
	$(GNUTLS_LIBS) $(UNIT_LDADD)
