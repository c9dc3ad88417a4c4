/*
 * Message summaries and flags: the plain data the index is made of.
 */
#include "config.h"

#include <stdlib.h>

#include "quire/mail.h"

void
msg_summary_clear(struct msg_summary *m)
{
	if (m == NULL)
		return;
	free(m->from);
	free(m->to);
	free(m->subject);
	free(m->message_id);
	free(m->references);
	m->from = m->to = m->subject = m->message_id = m->references = NULL;
}

void
msg_summary_free(struct msg_summary **m)
{
	if (m == NULL || *m == NULL)
		return;
	msg_summary_clear(*m);
	free(*m);
	*m = NULL;
}

const char *
mail_flag_name(uint32_t flag)
{
	switch (flag) {
	case MF_SEEN:		return "\\Seen";
	case MF_ANSWERED:	return "\\Answered";
	case MF_FLAGGED:	return "\\Flagged";
	case MF_DELETED:	return "\\Deleted";
	case MF_DRAFT:		return "\\Draft";
	case MF_RECENT:		return "\\Recent";
	default:		return NULL;
	}
}
