# Unit tests: cmocka, one program per unit, no network, no terminal.
# Each module lists its tests in tests/unit/<module>.mk.
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
UNIT_LDADD = $(CMOCKA_LIBS)
noinst_HEADERS += tests/unit/unit.h

if HAVE_CMOCKA
include $(srcdir)/tests/unit/util.mk
include $(srcdir)/tests/unit/config.mk
include $(srcdir)/tests/unit/mail.mk
include $(srcdir)/tests/unit/net.mk
include $(srcdir)/tests/unit/wire.mk
include $(srcdir)/tests/unit/store.mk
include $(srcdir)/tests/unit/imap.mk
include $(srcdir)/tests/unit/ui.mk
include $(srcdir)/tests/unit/query.mk
include $(srcdir)/tests/unit/mime.mk
else
TESTS += tests/unit/no-cmocka.sh
endif
EXTRA_DIST += tests/unit/no-cmocka.sh
