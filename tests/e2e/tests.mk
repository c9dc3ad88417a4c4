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
	tests/e2e/ui_foldername.sh \
	tests/e2e/ui_readonly.sh \
	tests/e2e/ui_search.sh \
	tests/e2e/ui_cache.sh \
	tests/e2e/pager_view.sh \
	tests/e2e/pager_big.sh \
	tests/e2e/pager_attach.sh \
	tests/e2e/pager_read.sh \
	tests/e2e/pager_offline.sh

EXTRA_DIST += \
	tests/e2e/lib.sh \
	tests/e2e/ui_lib.sh \
	tests/e2e/ui_folders.sh \
	tests/e2e/ui_flags.sh \
	tests/e2e/ui_remote.sh \
	tests/e2e/ui_hostile.sh \
	tests/e2e/ui_resize.sh \
	tests/e2e/ui_foldername.sh \
	tests/integration/cli.sh \
	tests/e2e/startup.sh \
	tests/e2e/ui_screen.sh \
	tests/e2e/ui_index.sh \
	tests/e2e/ui_readonly.sh \
	tests/e2e/ui_search.sh \
	tests/e2e/ui_cache.sh \
	tests/e2e/pager_lib.sh \
	tests/e2e/pager_view.sh \
	tests/e2e/pager_big.sh \
	tests/e2e/pager_attach.sh \
	tests/e2e/pager_read.sh \
	tests/e2e/pager_offline.sh
