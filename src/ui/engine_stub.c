/*
 * engine_stub: weak stand-ins for the engine's half of include/quire/imap.h,
 * so the UI links while src/imap is being built. Every one is a weak
 * definition: the engine's own (strong) definitions replace them as soon as
 * its objects are linked in. Remove this file once src/imap defines them.
 *
 * They behave as a session that is never there: commands are freed unsent,
 * no event ever arrives.
 */
#include "config.h"

#include <stdlib.h>

#include "quire/imap.h"
#include "quire/util.h"

#define WEAK __attribute__((weak))

WEAK struct imap_cmd *
imap_cmd_new(enum imap_cmd_type type)
{
	struct imap_cmd	*cmd = xcalloc(1, sizeof *cmd);

	cmd->type = type;
	return cmd;
}

WEAK void
imap_cmd_free(struct imap_cmd **cmd)
{
	if (cmd == NULL || *cmd == NULL)
		return;
	free((*cmd)->folder);
	free((*cmd)->uids);
	free((*cmd)->target);
	free((*cmd)->query);
	free((*cmd)->section);
	free(*cmd);
	*cmd = NULL;
}

WEAK void
imap_event_free(struct imap_event **ev)
{
	size_t	 i;

	if (ev == NULL || *ev == NULL)
		return;
	free((*ev)->folder);
	free((*ev)->text);
	for (i = 0; (*ev)->folders != NULL && i < (*ev)->nfolders; i++)
		mail_folder_clear(&(*ev)->folders[i]);
	free((*ev)->folders);
	for (i = 0; (*ev)->rows != NULL && i < (*ev)->nrows; i++)
		msg_summary_clear(&(*ev)->rows[i]);
	free((*ev)->rows);
	free((*ev)->uids);
	free((*ev)->data);
	free(*ev);
	*ev = NULL;
}

WEAK void
session_send(struct session *s, struct imap_cmd *cmd)
{
	(void)s;
	imap_cmd_free(&cmd);
}

WEAK int
session_event_fd(const struct session *s)
{
	(void)s;
	return -1;
}

WEAK struct imap_event *
session_next_event(struct session *s)
{
	(void)s;
	return NULL;
}
