# BAD-INPUTS rows 17-35 that need their own end-to-end or integration
# cases (issue 9); see tests/bad-inputs.map.
TESTS += tests/e2e/bad_rows.sh
EXTRA_DIST += tests/e2e/bad_rows.sh
TESTS += tests/integration/rows.sh
EXTRA_DIST += tests/integration/rows.sh tests/bad-inputs.map
# rows.sh also reads the results of the tests it names: in a run of the
# whole suite it goes last, so every one of them has finished.
tests/integration/rows.log: $(filter-out tests/integration/rows.log,$(TEST_LOGS))
