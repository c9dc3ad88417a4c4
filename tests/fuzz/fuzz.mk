# libFuzzer targets: built only with ./configure CC=clang --enable-fuzzing
# (the libraries get -fsanitize=fuzzer-no-link through AM_CFLAGS then).
# Run one on its seeds, e.g.
#   ./tests/fuzz/fuzz_mime -max_total_time=120 $(srcdir)/tests/fuzz/corpus/mime
# Each target adds itself to FUZZ_TARGETS and its seeds to EXTRA_DIST.
FUZZ_TARGETS =
FUZZ_LIBS = src/mail/libmail.a src/util/libutil.a
FUZZ_LINK = $(AM_LDFLAGS) -fsanitize=fuzzer

# mime: whole messages through the parser, the renderer and the decoders.
FUZZ_TARGETS += tests/fuzz/fuzz_mime
tests_fuzz_fuzz_mime_SOURCES = tests/fuzz/fuzz_mime.c
tests_fuzz_fuzz_mime_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_mime_LDFLAGS = $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/corpus/mime

# rfc2047: header values and MIME parameters.
FUZZ_TARGETS += tests/fuzz/fuzz_rfc2047
tests_fuzz_fuzz_rfc2047_SOURCES = tests/fuzz/fuzz_rfc2047.c
tests_fuzz_fuzz_rfc2047_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_rfc2047_LDFLAGS = $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/corpus/rfc2047

if FUZZING
noinst_PROGRAMS = $(FUZZ_TARGETS)
endif
