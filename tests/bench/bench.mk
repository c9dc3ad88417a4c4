# Benchmarks: make bench (not part of make check).

# Programs built only for make bench; each benchmark adds itself here.
EXTRA_PROGRAMS = tests/bench/bench_ui
BENCH_RUNS = tests/bench/bench_ui

# ui: the index at 100,000 rows repainted into curses on a pty.
tests_bench_bench_ui_SOURCES = tests/bench/bench_ui.c
tests_bench_bench_ui_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) \
	-I$(top_srcdir)/src/ui
tests_bench_bench_ui_LDADD = $(QUIRE_LIBS) $(QUIRE_EXTERNAL_LIBS)
CLEANFILES += $(EXTRA_PROGRAMS)

# Scripts against the Dovecot fixture; they need quire and genmail built.
# bench_search.sh: a search on 100,000 messages against Dovecot's own time
# (it drives tests/integration/test_search).
# bench_warm.sh: the same folder opened again from the cache.
BENCH_SH = tests/bench/bench_sync.sh tests/bench/bench_search.sh \
	tests/bench/bench_warm.sh
EXTRA_DIST += $(BENCH_SH)

bench: $(EXTRA_PROGRAMS) quire tests/fixture/genmail \
    tests/integration/test_search
	@for b in $(BENCH_RUNS); do echo "== $$b"; ./$$b || exit 1; done
	@for b in $(BENCH_SH); do echo "== $$b"; \
	    top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	    QUIRE_BIN='$(abs_top_builddir)/quire' \
	    bash $(srcdir)/$$b || exit 1; done
.PHONY: bench
