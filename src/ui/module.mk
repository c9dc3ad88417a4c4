# ui: screen layout, panes, list widget, pager view, prompts, keymap.
noinst_LIBRARIES += src/ui/libui.a
src_ui_libui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
src_ui_libui_a_SOURCES = \
	src/ui/ui.c \
	src/ui/draw.c \
	src/ui/ops.c \
	src/ui/model.c \
	src/ui/strpool.c \
	src/ui/search.c \
	src/ui/list.c \
	src/ui/format.c \
	src/ui/prompt.c \
	src/ui/pager.c \
	src/ui/attach.c \
	src/ui/extern.c
noinst_HEADERS += src/ui/ui_priv.h src/ui/pager.h
