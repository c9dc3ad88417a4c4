# frame, mutf7, config: the framing scanner, modified UTF-7 mailbox names
# and the configuration file, with their seeds. Follows the conventions of
# tests/fuzz/fuzz.mk, which must be included first: built only with
# ./configure CC=clang --enable-fuzzing; tests/fuzz/run.sh runs them all.

# frame: server bytes in fuzzer-chosen slices, beside a reference model.
FUZZ_TARGETS += tests/fuzz/fuzz_frame
tests_fuzz_fuzz_frame_SOURCES = tests/fuzz/fuzz_frame.c
tests_fuzz_fuzz_frame_LDADD = src/net/libnet.a src/util/libutil.a
tests_fuzz_fuzz_frame_LDFLAGS = $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/corpus/frame

# mutf7: mailbox names both ways, with the round trips.
FUZZ_TARGETS += tests/fuzz/fuzz_mutf7
tests_fuzz_fuzz_mutf7_SOURCES = tests/fuzz/fuzz_mutf7.c
tests_fuzz_fuzz_mutf7_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_mutf7_LDFLAGS = $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/corpus/mutf7

# config: whole files, parsed and reported; it must never run a command
# (see the comment at the top of fuzz_config.c; run.sh checks the binary).
FUZZ_TARGETS += tests/fuzz/fuzz_config
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c
tests_fuzz_fuzz_config_LDADD = src/config/libconfig.a src/util/libutil.a
tests_fuzz_fuzz_config_LDFLAGS = $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/corpus/config

# The runner: every target above, each on a scratch copy of its seeds.
EXTRA_DIST += tests/fuzz/run.sh
