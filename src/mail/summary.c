/*
 * Message summaries, folders and flags: the plain data the folder list
 * and the index are made of.
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
	free(m->cc);
	free(m->subject);
	free(m->message_id);
	free(m->references);
	m->from = m->to = m->cc = m->subject = NULL;
	m->message_id = m->references = NULL;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
msg_summary_copy(struct msg_summary *dst, const struct msg_summary *src)
{
	*dst = *src;
	dst->from = dup_or_null(src->from);
	dst->to = dup_or_null(src->to);
	dst->cc = dup_or_null(src->cc);
	dst->subject = dup_or_null(src->subject);
	dst->message_id = dup_or_null(src->message_id);
	dst->references = dup_or_null(src->references);
}

void
mail_folder_clear(struct mail_folder *f)
{
	if (f == NULL)
		return;
	free(f->name);
	free(f->raw);
	f->name = f->raw = NULL;
}

void
mail_folder_copy(struct mail_folder *dst, const struct mail_folder *src)
{
	*dst = *src;
	dst->name = dup_or_null(src->name);
	dst->raw = dup_or_null(src->raw);
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
