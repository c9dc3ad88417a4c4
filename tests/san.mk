# The sanitizer build (configure --enable-sanitizers): AddressSanitizer with
# LeakSanitizer, and UndefinedBehaviorSanitizer with every finding fatal.
#
# Each test's sanitized processes (the test program, or every quire and
# test driver a shell test starts) write their reports to files named
# after the test, NAME.san.PID beside NAME.log, rather than to stderr: a
# quire in a tmux pane has the terminal for stderr, and a leak found at
# exit comes after the last TAP line, where the exit status is ignored.
# So the suite ends with tests/san_reports.sh, run after every other
# test, which fails once per test that left a report and prints it.
# The end-to-end harness (tests/e2e/lib.sh) also checks each quire it ran.
if SANITIZERS
SAN_REPORT = $(abs_top_builddir)/$${log%.log}.san
SAN_TESTS_ENVIRONMENT = \
	QUIRE_SANITIZED=1; export QUIRE_SANITIZED; \
	rm -f "$(SAN_REPORT)".*; \
	ASAN_OPTIONS="detect_leaks=1:log_path=$(SAN_REPORT)"; \
	export ASAN_OPTIONS; \
	LSAN_OPTIONS="suppressions=$(abs_top_srcdir)/tests/lsan.supp"; \
	export LSAN_OPTIONS; \
	UBSAN_OPTIONS="print_stacktrace=1:log_path=$(SAN_REPORT)"; \
	export UBSAN_OPTIONS;
TESTS += tests/san_reports.sh
# After every test that runs a sanitized program. tests/integration/rows.sh
# only reads logs, and it too waits for all the others: leave it out, or
# the two wait for each other.
tests/san_reports.log: $(filter-out tests/san_reports.log \
    tests/integration/rows.log,$(TEST_LOGS))
else
SAN_TESTS_ENVIRONMENT =
endif
EXTRA_DIST += tests/san_reports.sh tests/lsan.supp
