# store: the SQLite cache and the change journal.
noinst_LIBRARIES += src/store/libstore.a
src_store_libstore_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
src_store_libstore_a_SOURCES = \
	src/store/store_priv.h \
	src/store/store.c \
	src/store/schema.c \
	src/store/folders.c \
	src/store/messages.c \
	src/store/journal.c \
	src/store/bodies.c \
	src/store/info.c
