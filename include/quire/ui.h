/*
 * ui: the screen. Folder list, message index and pager panes in ncurses,
 * one list widget keyed by stable ids, the keymap dispatch and prompts.
 *
 * The UI thread owns curses and the view model and nothing else: it never
 * touches the network, the cache or libetpan. It poll()s the terminal, the
 * session's event pipe and a signal self-pipe; handlers change the model and
 * set dirty flags; the loop repaints once per pass.
 */
#ifndef QUIRE_UI_H
#define QUIRE_UI_H

#include <stdbool.h>

#include "quire/config.h"

struct session;

struct ui_args {
	const struct config	*cfg;
	const struct account	*acct;		/* NULL: no account configured */
	struct session		*session;	/* the account's engine; NULL offline */
	const char		*folder;	/* to open first */
	bool			 offline;
};

/* Run the interface until the user quits; returns the exit status. */
int ui_run(const struct ui_args *args);

#endif
