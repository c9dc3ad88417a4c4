# End-to-end tests: the real binary in a private tmux (tests/e2e/lib.sh).
# The command-line tests live in tests/integration but are listed here.
TESTS += \
	tests/integration/cli.sh \
	tests/e2e/startup.sh \
	tests/e2e/ui_screen.sh \
	tests/e2e/ui_index.sh \
	tests/e2e/ui_folders.sh \
	tests/e2e/ui_flags.sh \
	tests/e2e/ui_remote.sh \
	tests/e2e/ui_hostile.sh \
	tests/e2e/ui_resize.sh \
	tests/e2e/ui_standin.sh \
	tests/e2e/ui_readonly.sh

EXTRA_DIST += \
	tests/e2e/lib.sh \
	tests/e2e/ui_lib.sh \
	tests/e2e/ui_folders.sh \
	tests/e2e/ui_flags.sh \
	tests/e2e/ui_remote.sh \
	tests/e2e/ui_hostile.sh \
	tests/e2e/ui_resize.sh \
	tests/e2e/ui_standin.sh \
	tests/integration/cli.sh \
	tests/e2e/startup.sh \
	tests/e2e/ui_screen.sh \
	tests/e2e/ui_index.sh \
	tests/e2e/ui_readonly.sh

# The UI over a scripted session, for ui_standin.sh: only the cases a
# real Dovecot cannot produce (see tests/e2e/ui_driver.c).
check_PROGRAMS += tests/e2e/ui_driver
tests_e2e_ui_driver_SOURCES = tests/e2e/ui_driver.c
tests_e2e_ui_driver_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
tests_e2e_ui_driver_LDADD = src/ui/libui.a src/config/libconfig.a \
	src/mail/libmail.a src/util/libutil.a $(NCURSES_LIBS)
