# ui: the model, the list widget, formatting, prompts and the key dispatch,
# all without a terminal (ui_priv.h is their contract).
UI_TESTS = \
	tests/unit/test_ui_model \
	tests/unit/test_ui_list \
	tests/unit/test_ui_format \
	tests/unit/test_ui_prompt \
	tests/unit/test_ui_keys
check_PROGRAMS += $(UI_TESTS)
TESTS += $(UI_TESTS)
UI_TEST_CFLAGS = $(UNIT_CFLAGS) $(NCURSES_CFLAGS) -I$(top_srcdir)/src/ui
UI_TEST_LDADD = $(QUIRE_LIBS) $(QUIRE_EXTERNAL_LIBS) $(UNIT_LDADD)

tests_unit_test_ui_model_SOURCES = tests/unit/test_ui_model.c
tests_unit_test_ui_model_CFLAGS = $(UI_TEST_CFLAGS)
tests_unit_test_ui_model_LDADD = $(UI_TEST_LDADD)

tests_unit_test_ui_list_SOURCES = tests/unit/test_ui_list.c
tests_unit_test_ui_list_CFLAGS = $(UI_TEST_CFLAGS)
tests_unit_test_ui_list_LDADD = $(UI_TEST_LDADD)

tests_unit_test_ui_format_SOURCES = tests/unit/test_ui_format.c
tests_unit_test_ui_format_CFLAGS = $(UI_TEST_CFLAGS)
tests_unit_test_ui_format_LDADD = $(UI_TEST_LDADD)

tests_unit_test_ui_prompt_SOURCES = tests/unit/test_ui_prompt.c
tests_unit_test_ui_prompt_CFLAGS = $(UI_TEST_CFLAGS)
tests_unit_test_ui_prompt_LDADD = $(UI_TEST_LDADD)

tests_unit_test_ui_keys_SOURCES = tests/unit/test_ui_keys.c
tests_unit_test_ui_keys_CFLAGS = $(UI_TEST_CFLAGS)
tests_unit_test_ui_keys_LDADD = $(UI_TEST_LDADD)
