# End-to-end tests: the real binary in a private tmux (tests/e2e/lib.sh).
# The command-line tests live in tests/integration but are listed here.
TESTS += \
	tests/integration/cli.sh \
	tests/e2e/startup.sh \
	tests/e2e/ui_screen.sh

EXTRA_DIST += \
	tests/e2e/lib.sh \
	tests/integration/cli.sh \
	tests/e2e/startup.sh \
	tests/e2e/ui_screen.sh
