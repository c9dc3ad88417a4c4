# Integration tests against the Dovecot fixture.
TESTS += tests/integration/fixture.sh
EXTRA_DIST += tests/integration/fixture.sh
