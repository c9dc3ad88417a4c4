# imap: the session thread, the sync engine, the command and event queues.
noinst_LIBRARIES += src/imap/libimap.a
src_imap_libimap_a_SOURCES = \
	src/imap/session.c \
	src/imap/session_priv.h \
	src/imap/queue.c \
	src/imap/seqmap.c \
	src/imap/uidset.c \
	src/imap/envelope.c \
	src/imap/folders.c \
	src/imap/fetch.c \
	src/imap/body.c \
	src/imap/sync.c \
	src/imap/idle.c \
	src/imap/cache.c \
	src/imap/journal.c \
	src/imap/search.c \
	src/imap/imap_priv.h \
	src/imap/conn.c \
	src/imap/check.c

# What a program that starts a session links, in order (the session
# writes through to the store).
IMAP_LINK = src/imap/libimap.a src/net/libnet.a src/store/libstore.a \
	src/mail/libmail.a src/config/libconfig.a src/util/libutil.a \
	$(ETPAN_LIBS) $(GNUTLS_LIBS) $(SQLITE_LIBS)
