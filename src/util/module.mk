# util: memory, buffers, strings, log, UTF-8, terminal-safe text.
noinst_LIBRARIES += src/util/libutil.a
src_util_libutil_a_SOURCES = \
	src/util/xmalloc.c \
	src/util/buf.c \
	src/util/str.c \
	src/util/log.c \
	src/util/utf8.c \
	src/util/safe.c
