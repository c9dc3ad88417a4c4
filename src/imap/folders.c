/*
 * The folder list: LIST once per connection and on request, then one
 * STATUS per folder (no LIST-STATUS in libetpan 1.9.4: LIBETPAN.md 20),
 * crawled in the background between other work and again every few
 * minutes; a folder quire changed (flags, expunge, move, copy) is asked
 * again soon. Each time the list or a count changes the UI gets the whole
 * list (IE_FOLDERS): it is small, and the UI then needs no merge logic.
 *
 * Names: the server's name (modified UTF-7) is kept as raw for commands;
 * the UI sees it decoded. A name that does not decode stays raw, and the
 * UI shows it escaped like any server string.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "session_priv.h"

#define STATUS_PERIOD_MS	(300 * 1000)

static const struct {
	const char	*name;
	unsigned	 attr;
} list_attrs[] = {
	{ "HasChildren",	FA_HASCHILDREN },
	{ "NonExistent",	FA_NONEXISTENT | FA_NOSELECT },
	{ "Noselect",		FA_NOSELECT },
	{ "Sent",		FA_SENT },
	{ "Trash",		FA_TRASH },
	{ "Drafts",		FA_DRAFTS },
	{ "Archive",		FA_ARCHIVE },
	{ "Junk",		FA_JUNK },
	{ "All",		FA_ALL },
	{ "Flagged",		FA_FLAGGED },
};

static unsigned
folder_attrs(const struct mailimap_mbx_list_flags *fl)
{
	const struct mailimap_mbx_list_oflag *of;
	clistiter	*it;
	const char	*name;
	unsigned	 a = 0;
	size_t		 i;

	if (fl == NULL)
		return 0;
	if (fl->mbf_type == MAILIMAP_MBX_LIST_FLAGS_SFLAG &&
	    fl->mbf_sflag == MAILIMAP_MBX_LIST_SFLAG_NOSELECT)
		a |= FA_NOSELECT;
	for (it = clist_begin(fl->mbf_oflags); it != NULL;
	    it = clist_next(it)) {
		of = clist_content(it);
		if (of->of_type == MAILIMAP_MBX_LIST_OFLAG_NOINFERIORS)
			a |= FA_NOINFERIORS;
		if (of->of_type != MAILIMAP_MBX_LIST_OFLAG_FLAG_EXT ||
		    (name = of->of_flag_ext) == NULL)
			continue;
		if (*name == '\\')
			name++;
		for (i = 0; i < nitems(list_attrs); i++)
			if (strcasecmp(name, list_attrs[i].name) == 0)
				a |= list_attrs[i].attr;
	}
	return a;
}

static int
folder_cmp(const void *a, const void *b)
{
	const struct mail_folder *x = a, *y = b;

	if ((x->attrs & FA_INBOX) != (y->attrs & FA_INBOX))
		return (x->attrs & FA_INBOX) ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* One LIST entry as a folder; false when the name cannot be used. */
static bool
folder_from_list(const struct mailimap_mailbox_list *mb,
    struct mail_folder *f)
{
	struct buf	 b = BUF_INIT;
	const char	*raw = mb->mb_name;

	if (raw == NULL || *raw == '\0' || str_has_crlfnul(raw, strlen(raw)))
		return false;
	memset(f, 0, sizeof *f);
	f->raw = xstrdup(raw);
	f->delim = mb->mb_delimiter;
	f->attrs = folder_attrs(mb->mb_flag);
	if (strcasecmp(raw, "INBOX") == 0) {
		f->name = xstrdup("INBOX");
		f->attrs |= FA_INBOX;
	} else if (mutf7_decode(raw, strlen(raw), &b) == 0) {
		buf_addstr(&b, "");
		f->name = buf_detach(&b);
	} else {
		f->name = xstrdup(raw);
	}
	buf_free(&b);
	return true;
}

void
folders_emit(struct session *s)
{
	struct imap_event	*ev;
	size_t			 i;

	ev = imap_event_new(IE_FOLDERS);
	ev->folders = xreallocarray(NULL, s->fl.n + 1, sizeof *ev->folders);
	for (i = 0; i < s->fl.n; i++)
		mail_folder_copy(&ev->folders[i], &s->fl.v[i]);
	ev->nfolders = s->fl.n;
	ev_send(s, ev);
}

/* Replace the list, keeping the counts of the folders that stay. */
static void
folders_replace(struct session *s, struct mail_folder *v, size_t n)
{
	const struct mail_folder *old;
	size_t			 i;

	for (i = 0; i < n; i++) {
		old = folders_find(s, v[i].name);
		if (old != NULL && old->has_status &&
		    strcmp(old->raw, v[i].raw) == 0) {
			v[i].has_status = true;
			v[i].messages = old->messages;
			v[i].unseen = old->unseen;
			v[i].uidnext = old->uidnext;
			v[i].uidvalidity = old->uidvalidity;
			v[i].highestmodseq = old->highestmodseq;
		}
	}
	folders_free(&s->fl);
	s->fl.v = v;
	s->fl.n = n;
	s->fl.dirty = xcalloc(n + 1, sizeof *s->fl.dirty);
	s->fl.crawling = true;
	s->fl.status_next = 0;
}

enum sx
folders_list(struct session *s)
{
	clist			*result = NULL;
	clistiter		*it;
	struct mail_folder	*v;
	size_t			 n = 0;
	enum sx			 x;
	int			 r;

	s->doing = "LIST";
	r = mailimap_list(s->c->imap, "", "*", &result);
	if ((x = sx_after(s, r)) != SX_OK) {
		if (result != NULL)
			mailimap_list_result_free(result);
		if (x == SX_NO)
			ev_notice(s, "The server did not list the folders: %s",
			    s->no_text);
		return x;
	}
	v = xreallocarray(NULL, (size_t)clist_count(result) + 1, sizeof *v);
	for (it = clist_begin(result); it != NULL; it = clist_next(it))
		if (folder_from_list(clist_content(it), &v[n]))
			n++;
	mailimap_list_result_free(result);
	qsort(v, n, sizeof *v, folder_cmp);
	folders_replace(s, v, n);
	cache_folders_save(s);
	folders_emit(s);
	return SX_OK;
}

static void
status_store(const struct mailimap_status_info *st, struct mail_folder *f)
{
	const struct mailimap_extension_data *ext = st->st_ext_data;
	const struct mailimap_condstore_status_info *cs;

	switch (st->st_att) {
	case MAILIMAP_STATUS_ATT_MESSAGES:	f->messages = st->st_value; break;
	case MAILIMAP_STATUS_ATT_UNSEEN:	f->unseen = st->st_value; break;
	case MAILIMAP_STATUS_ATT_UIDNEXT:	f->uidnext = st->st_value; break;
	case MAILIMAP_STATUS_ATT_UIDVALIDITY:
		f->uidvalidity = st->st_value;
		break;
	default:
		if (ext != NULL &&
		    ext->ext_extension == &mailimap_extension_condstore &&
		    ext->ext_type == MAILIMAP_CONDSTORE_TYPE_STATUS_INFO &&
		    (cs = ext->ext_data) != NULL)
			f->highestmodseq = cs->cs_highestmodseq_value;
		break;
	}
}

/* The selected folder's counts, from the sequence map: RFC 3501 6.3.10
 * says STATUS SHOULD NOT ask about it (Dovecot answers with [CLIENTBUG]),
 * and the session knows them anyway once every message's flags are in.
 * Until then the last counts stay. */
static void
status_selected(struct session *s, struct mail_folder *f)
{
	const struct seqmap	*m = &s->sel.map;
	uint32_t		 unseen = 0;
	size_t			 i;

	if (s->sel.bf_top > 0 || m->n != s->sel.exists)
		return;
	for (i = 0; i < m->n; i++) {
		if (m->uid[i] == 0)
			return;
		if (!(m->flags[i] & MF_SEEN))
			unseen++;
	}
	f->messages = s->sel.exists;
	f->unseen = unseen;
	f->has_status = true;
	cache_folder_status(s, f);
}

/* STATUS of one folder (MESSAGES UNSEEN UIDNEXT UIDVALIDITY and, with
 * CONDSTORE, HIGHESTMODSEQ); never STATUS SIZE (LIBETPAN.md 10). The
 * selected folder is counted here instead. */
static enum sx
status_one(struct session *s, struct mail_folder *f)
{
	struct mailimap_status_att_list	*atts;
	struct mailimap_mailbox_data_status *res = NULL;
	clistiter			*it;
	enum sx				 x;
	int				 r;

	if (f->attrs & FA_NOSELECT)
		return SX_OK;
	if (s->sel.name != NULL && strcmp(s->sel.name, f->name) == 0) {
		status_selected(s, f);
		return SX_OK;
	}
	atts = mailimap_status_att_list_new_empty();
	mailimap_status_att_list_add(atts, MAILIMAP_STATUS_ATT_MESSAGES);
	mailimap_status_att_list_add(atts, MAILIMAP_STATUS_ATT_UNSEEN);
	mailimap_status_att_list_add(atts, MAILIMAP_STATUS_ATT_UIDNEXT);
	mailimap_status_att_list_add(atts, MAILIMAP_STATUS_ATT_UIDVALIDITY);
	if (s->c->caps & CAP_CONDSTORE)
		mailimap_status_att_list_add(atts,
		    MAILIMAP_STATUS_ATT_HIGHESTMODSEQ);
	s->doing = "STATUS";
	r = mailimap_status(s->c->imap, f->raw, atts, &res);
	mailimap_status_att_list_free(atts);
	x = sx_after(s, r);
	if (x == SX_OK && res != NULL) {
		for (it = clist_begin(res->st_info_list); it != NULL;
		    it = clist_next(it))
			status_store(clist_content(it), f);
		f->has_status = true;
		cache_folder_status(s, f);
	} else if (x == SX_NO)
		log_info("STATUS %s: %s", f->name, s->no_text);
	if (res != NULL)
		mailimap_mailbox_data_status_free(res);
	return x == SX_BROKEN ? x : SX_OK;
}

bool
folders_crawl_due(struct session *s)
{
	size_t	 i;

	for (i = 0; i < s->fl.n; i++)
		if (s->fl.dirty[i])
			return true;
	if (!s->fl.crawling && s->fl.n > 0 && mono_ms() >= s->fl.status_due) {
		s->fl.crawling = true;
		s->fl.status_next = 0;
	}
	return s->fl.crawling;
}

enum sx
folders_crawl_step(struct session *s)
{
	struct folderlist	*fl = &s->fl;
	size_t			 i;
	enum sx			 x;

	for (i = 0; i < fl->n; i++) {
		if (!fl->dirty[i])
			continue;
		fl->dirty[i] = false;
		if ((x = status_one(s, &fl->v[i])) == SX_OK)
			folders_emit(s);
		return x;
	}
	if (!fl->crawling)
		return SX_OK;
	if (fl->status_next >= fl->n) {
		fl->crawling = false;
		fl->status_due = mono_ms() + STATUS_PERIOD_MS;
		folders_emit(s);
		return SX_OK;
	}
	return status_one(s, &fl->v[fl->status_next++]);
}

void
folders_mark_dirty(struct session *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->fl.n; i++)
		if (name != NULL && strcmp(s->fl.v[i].name, name) == 0)
			s->fl.dirty[i] = true;
}

enum sx
folders_refresh(struct session *s, const char *name)
{
	size_t	 i;
	enum sx	 x;

	for (i = 0; i < s->fl.n; i++) {
		if (strcmp(s->fl.v[i].name, name) != 0)
			continue;
		if ((x = status_one(s, &s->fl.v[i])) == SX_OK)
			folders_emit(s);
		return x;
	}
	return SX_OK;
}

const struct mail_folder *
folders_find(const struct session *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->fl.n; i++)
		if (strcmp(s->fl.v[i].name, name) == 0)
			return &s->fl.v[i];
	return NULL;
}

void
folders_free(struct folderlist *fl)
{
	size_t	 i;

	for (i = 0; i < fl->n; i++)
		mail_folder_clear(&fl->v[i]);
	free(fl->v);
	free(fl->dirty);
	fl->v = NULL;
	fl->dirty = NULL;
	fl->n = 0;
}
