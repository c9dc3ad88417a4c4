/*
 * imap: the session thread of one account and the typed queues to it.
 *
 * The UI sends commands (select a folder, store flags, fetch a body, search)
 * and receives events (folder list, summaries, flag changes, expunges,
 * bodies, progress, connection state, errors). Every command and event is a
 * tagged struct that owns its payload; whoever sends it never touches it
 * again. Commands carry a request id and the folder generation, so results
 * for a folder the user has left are dropped. The session wakes the UI
 * through a pipe (imap_event_fd), and IDLE is interrupted at once by a new
 * command.
 *
 * Ownership: imap_send() takes the command; imap_next_event() hands the
 * event to the caller, who frees it with imap_event_free().
 */
#ifndef QUIRE_IMAP_H
#define QUIRE_IMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quire/config.h"
#include "quire/mail.h"

struct session;

#endif
