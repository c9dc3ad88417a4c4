# config: options table, accounts, key bindings, colours, password command.
noinst_LIBRARIES += src/config/libconfig.a
src_config_libconfig_a_SOURCES = \
	src/config/config.c \
	src/config/options.c \
	src/config/keys.c \
	src/config/color.c \
	src/config/password.c \
	src/config/report.c
noinst_HEADERS += src/config/config_priv.h
