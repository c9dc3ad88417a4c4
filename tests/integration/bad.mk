# ---- BAD-INPUTS.md rows 1-16 against the session engine (src/imap) ----
# test_bad drives a session as the UI would; bad_inputs.sh plays the
# hostile servers (tests/fake/fakeimap with the scripts in
# tests/integration/bad/, a faultproxy in front of the Dovecot fixture)
# and names each case after its row.
check_PROGRAMS += tests/integration/test_bad
tests_integration_test_bad_SOURCES = tests/integration/test_bad.c \
	tests/integration/ctap.c tests/integration/ctap.h
tests_integration_test_bad_LDADD = $(IMAP_LINK)
TESTS += tests/integration/bad_inputs.sh
EXTRA_DIST += tests/integration/bad_inputs.sh \
	tests/integration/bad/either.imap \
	tests/integration/bad/head.imap \
	tests/integration/bad/resync.imap \
	tests/integration/bad/row1.imap \
	tests/integration/bad/row10.imap \
	tests/integration/bad/row11-expired.imap \
	tests/integration/bad/row11-selfsigned.imap \
	tests/integration/bad/row11-wronghost.imap \
	tests/integration/bad/row12-bare1.imap \
	tests/integration/bad/row12-bare2.imap \
	tests/integration/bad/row12-bare3.imap \
	tests/integration/bad/row12-bare4.imap \
	tests/integration/bad/row12-rows.imap \
	tests/integration/bad/row12-select.imap \
	tests/integration/bad/row12-store.imap \
	tests/integration/bad/row13-1.imap \
	tests/integration/bad/row13-2.imap \
	tests/integration/bad/row13-3.imap \
	tests/integration/bad/row14-body.imap \
	tests/integration/bad/row14-new.imap \
	tests/integration/bad/row16-1.imap \
	tests/integration/bad/row16-2.imap \
	tests/integration/bad/row20-1.imap \
	tests/integration/bad/row20-2.imap \
	tests/integration/bad/row20-3.imap \
	tests/integration/bad/row20-env.imap \
	tests/integration/bad/row2a.imap \
	tests/integration/bad/row2b.imap \
	tests/integration/bad/row3-bye.imap \
	tests/integration/bad/row3-eof.imap \
	tests/integration/bad/row3-rst.imap \
	tests/integration/bad/row4.imap \
	tests/integration/bad/row5.imap \
	tests/integration/bad/row7.imap \
	tests/integration/bad/row8-garbage.imap \
	tests/integration/bad/row8-logindisabled.imap \
	tests/integration/bad/row8-preauth.imap \
	tests/integration/bad/row9.imap \
	tests/integration/bad/rows.imap \
	tests/integration/bad/select.imap \
	tests/integration/bad/summary.imap \
	tests/integration/bad/ui-row33.imap \
	tests/integration/bad/ui-rows.imap
