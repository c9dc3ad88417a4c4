# config: one program per unit of the config module.
CONFIG_TESTS = \
	tests/unit/test_config_parse \
	tests/unit/test_config_options \
	tests/unit/test_config_keys \
	tests/unit/test_config_color \
	tests/unit/test_config_password \
	tests/unit/test_config_report
check_PROGRAMS += $(CONFIG_TESTS)
TESTS += $(CONFIG_TESTS)
CONFIG_TEST_LDADD = src/config/libconfig.a src/util/libutil.a $(UNIT_LDADD)

tests_unit_test_config_parse_SOURCES = tests/unit/test_config_parse.c
tests_unit_test_config_parse_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_parse_LDADD = $(CONFIG_TEST_LDADD)

tests_unit_test_config_options_SOURCES = tests/unit/test_config_options.c
tests_unit_test_config_options_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_options_LDADD = $(CONFIG_TEST_LDADD)

tests_unit_test_config_keys_SOURCES = tests/unit/test_config_keys.c
tests_unit_test_config_keys_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_keys_LDADD = $(CONFIG_TEST_LDADD)

tests_unit_test_config_color_SOURCES = tests/unit/test_config_color.c
tests_unit_test_config_color_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_color_LDADD = $(CONFIG_TEST_LDADD)

tests_unit_test_config_password_SOURCES = tests/unit/test_config_password.c
tests_unit_test_config_password_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_password_LDADD = $(CONFIG_TEST_LDADD)

tests_unit_test_config_report_SOURCES = tests/unit/test_config_report.c
tests_unit_test_config_report_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_report_LDADD = $(CONFIG_TEST_LDADD)
