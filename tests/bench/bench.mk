# Benchmarks: make bench (not part of make check).

# Programs built only for make bench; each benchmark adds itself here.
EXTRA_PROGRAMS = tests/bench/bench_ui tests/bench/paintwatch
BENCH_RUNS = tests/bench/bench_ui

# ui: the index at 100,000 rows repainted into curses on a pty.
tests_bench_bench_ui_SOURCES = tests/bench/bench_ui.c
tests_bench_bench_ui_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) \
	-I$(top_srcdir)/src/ui
tests_bench_bench_ui_LDADD = $(QUIRE_LIBS) $(QUIRE_EXTERNAL_LIBS)
CLEANFILES += $(EXTRA_PROGRAMS)

# paintwatch: the clock outside the client, between it and tmux (run.sh).
tests_bench_paintwatch_SOURCES = tests/bench/paintwatch.c

# Scripts against the Dovecot fixture (see tests/bench/README).
# run.sh: quire, NeoMutt and aerc side by side on one folder (first paint
# cold and warm, RSS, bytes, cursor CPU, flag latency), then search;
# bench_search.sh: quire's search against Dovecot's own time (run.sh
# runs it on its fixture). BENCH_COUNT and BENCH_RUNS_N set the folder
# size and the runs: make bench BENCH_COUNT=1000000.
BENCH_COUNT = 100000
BENCH_RUNS_N = 5
BENCH_SH = tests/bench/run.sh tests/bench/bench_search.sh
EXTRA_DIST += $(BENCH_SH) tests/bench/README

bench: $(EXTRA_PROGRAMS) quire tests/fixture/genmail \
    tests/integration/test_search tests/fake/faultproxy
	@for b in $(BENCH_RUNS); do echo "== $$b"; ./$$b || exit 1; done
	@echo "== tests/bench/run.sh"; \
	    top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	    QUIRE_BIN='$(abs_top_builddir)/quire' \
	    bash $(srcdir)/tests/bench/run.sh -n $(BENCH_COUNT) \
	    -r $(BENCH_RUNS_N)
.PHONY: bench
