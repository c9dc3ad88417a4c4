# libFuzzer target for the search query language, with its seed corpus.
# Built by make check when configured with --enable-fuzzing (clang); run
# it as tests/fuzz/fuzz_query tests/fuzz/corpus/query.
if FUZZING
check_PROGRAMS += tests/fuzz/fuzz_query
tests_fuzz_fuzz_query_SOURCES = tests/fuzz/fuzz_query.c
tests_fuzz_fuzz_query_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_query_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_query_LDADD = src/mail/libmail.a src/util/libutil.a
endif
EXTRA_DIST += tests/fuzz/fuzz_query.c tests/fuzz/corpus/query
