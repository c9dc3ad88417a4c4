# query: the search query language, with its seeds. Follows the
# conventions of tests/fuzz/fuzz.mk, which must be included first: built
# only with ./configure CC=clang --enable-fuzzing; run it as
#   ./tests/fuzz/fuzz_query -max_total_time=120 $(srcdir)/tests/fuzz/corpus/query
FUZZ_TARGETS += tests/fuzz/fuzz_query
tests_fuzz_fuzz_query_SOURCES = tests/fuzz/fuzz_query.c
tests_fuzz_fuzz_query_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_query_LDFLAGS = $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/corpus/query
