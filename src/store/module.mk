# store: the SQLite cache and the change journal.
noinst_LIBRARIES += src/store/libstore.a
src_store_libstore_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
src_store_libstore_a_SOURCES = \
	src/store/store.c
