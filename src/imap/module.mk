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
	src/imap/search.c \
	src/imap/imap_priv.h \
	src/imap/conn.c \
	src/imap/check.c
