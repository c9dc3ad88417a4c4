/*
 * Opening a folder and streaming its summaries to the UI.
 *
 * SELECT (with CONDSTORE, after ENABLE QRESYNC once per connection: never
 * mailimap_select_qresync, LIBETPAN.md 6), then the summaries newest first
 * by sequence ranges from the top, in chunks that start at 500 rows (the
 * first screen) and grow to 2000. Every FETCH response goes through the
 * handler (sync.c) as it is parsed, so a chunk costs its own rows and no
 * more (LIBETPAN.md 9); each chunk becomes one IE_SUMMARIES and one
 * IE_PROGRESS, and the session loop serves commands between chunks.
 *
 * A chunk that libetpan cannot parse breaks the connection (LIBETPAN.md
 * 10). After the reconnect the range is bisected: half the size that
 * failed, from the top, until the one bad message is alone; that one is
 * fetched from its header fields instead of the ENVELOPE (BAD-INPUTS 13),
 * and if even that fails it becomes a placeholder row. A cap on failures
 * per folder keeps a hostile server from holding the loop forever.
 *
 * New mail (EXISTS grew) is fetched by UID from the folder's UIDNEXT, and
 * bodies by UID with a partial fetch one byte past the cap, so "longer
 * than the cap" needs no second round trip.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "session_priv.h"

#define CHUNK_FIRST	500
#define CHUNK_MAX	2000
#define BAD_MAX		64	/* parse failures per folder */
#define BODY_MAX_DEFAULT (32u * 1024 * 1024)

void
fetch_progress(size_t done, size_t total, void *ctx)
{
	(void)done;
	(void)total;
	(void)ctx;
}

void
fx_reset(struct fetchctx *fx)
{
	size_t	 i;

	for (i = 0; i < fx->nrows; i++)
		msg_summary_clear(&fx->rows[i]);
	free(fx->rows);
	free(fx->cuids);
	free(fx->cflags);
	free(fx->pend);
	buf_free(&fx->body);
	memset(fx, 0, sizeof *fx);
}

void
sel_clear(struct sel *sel)
{
	free(sel->name);
	free(sel->raw);
	free(sel->holes);
	seqmap_free(&sel->map);
	memset(sel, 0, sizeof *sel);
	seqmap_init(&sel->map);
	sel->bf_floor = UINT32_MAX;
}

/* ---- fetch items ---- */

static void
add_att(struct mailimap_fetch_type *t, struct mailimap_fetch_att *a)
{
	if (a == NULL || mailimap_fetch_type_new_fetch_att_list_add(t, a) !=
	    MAILIMAP_NO_ERROR)
		fatal("out of memory");
}

static struct mailimap_fetch_att *
header_fields(const char *const *names, size_t n)
{
	struct mailimap_header_list	*hl;
	clist				*l;
	size_t				 i;

	if ((l = clist_new()) == NULL)
		fatal("out of memory");
	for (i = 0; i < n; i++)
		if (clist_append(l, xstrdup(names[i])) != 0)
			fatal("out of memory");
	hl = mailimap_header_list_new(l);
	return mailimap_fetch_att_new_body_peek_section(
	    mailimap_section_new_header_fields(hl));
}

struct mailimap_fetch_type *
fetch_type_summary(struct session *s, bool headers_only)
{
	static const char *const extra[] = { "References", "Content-Type" };
	static const char *const all[] = { "From", "To", "Cc", "Subject",
	    "Date", "Message-ID", "References", "Content-Type" };
	struct mailimap_fetch_type	*t;

	t = mailimap_fetch_type_new_fetch_att_list_empty();
	add_att(t, mailimap_fetch_att_new_uid());
	add_att(t, mailimap_fetch_att_new_flags());
	add_att(t, mailimap_fetch_att_new_internaldate());
	add_att(t, mailimap_fetch_att_new_rfc822_size());
	if (headers_only)
		add_att(t, header_fields(all, nitems(all)));
	else {
		add_att(t, mailimap_fetch_att_new_envelope());
		add_att(t, header_fields(extra, nitems(extra)));
	}
	if (s->c->caps & CAP_CONDSTORE)
		add_att(t, mailimap_fetch_att_new_modseq());
	return t;
}

/* ---- SELECT ---- */

static enum sx
enable_qresync(struct session *s)
{
	struct mailimap_capability_data	*want, *got = NULL;
	clist				*l;
	int				 r;

	if ((l = clist_new()) == NULL ||
	    clist_append(l, mailimap_capability_new(MAILIMAP_CAPABILITY_NAME,
	    NULL, xstrdup("QRESYNC"))) != 0 ||
	    (want = mailimap_capability_data_new(l)) == NULL)
		fatal("out of memory");
	s->doing = "ENABLE";
	r = mailimap_enable(s->c->imap, want, &got);
	mailimap_capability_data_free(want);
	if (got != NULL)
		mailimap_capability_data_free(got);
	switch (sx_after(s, r)) {
	case SX_BROKEN:
		return SX_BROKEN;
	case SX_OK:
		s->c->qresync_enabled = true;
		break;
	case SX_NO:
		log_info("ENABLE QRESYNC: %s", s->no_text);
		s->c->caps &= ~CAP_QRESYNC;
		break;
	}
	return SX_OK;
}

enum sx
select_raw(struct session *s, const char *raw, uint64_t *hms)
{
	uint64_t	 m = 0;
	enum sx		 x;
	int		 r;

	if ((s->c->caps & CAP_QRESYNC) && (s->c->caps & CAP_ENABLE) &&
	    !s->c->qresync_enabled && (x = enable_qresync(s)) != SX_OK)
		return x;
	free(s->cur_raw);
	s->cur_raw = NULL;
	s->selecting = true;
	s->doing = "SELECT";
	if (s->c->caps & (CAP_CONDSTORE | CAP_QRESYNC))
		r = mailimap_select_condstore(s->c->imap, raw, &m);
	else
		r = mailimap_select(s->c->imap, raw);
	x = sx_after(s, r);
	s->selecting = false;
	if (x == SX_OK) {
		s->cur_raw = xstrdup(raw);
		*hms = m;
	}
	return x;
}

/* The flags PERMANENTFLAGS says the server keeps; all of them when it
 * says nothing or allows new keywords (\*). */
static uint32_t
sel_permflags(const struct mailimap_selection_info *si)
{
	static const struct { int type; uint32_t bit; } map[] = {
		{ MAILIMAP_FLAG_SEEN, MF_SEEN },
		{ MAILIMAP_FLAG_ANSWERED, MF_ANSWERED },
		{ MAILIMAP_FLAG_FLAGGED, MF_FLAGGED },
		{ MAILIMAP_FLAG_DELETED, MF_DELETED },
		{ MAILIMAP_FLAG_DRAFT, MF_DRAFT },
	};
	struct mailimap_flag_perm	*fp;
	clistiter			*it;
	uint32_t			 bits = 0;
	size_t				 i;

	if (si->sel_perm_flags == NULL)
		return UINT32_MAX;
	for (it = clist_begin(si->sel_perm_flags); it != NULL;
	    it = clist_next(it)) {
		fp = clist_content(it);
		if (fp->fl_type == MAILIMAP_FLAG_PERM_ALL)
			return UINT32_MAX;
		for (i = 0; i < nitems(map); i++)
			if (fp->fl_flag != NULL &&
			    fp->fl_flag->fl_type == map[i].type)
				bits |= map[i].bit;
	}
	return bits;
}

/* Take the folder as the server just described it. */
static void
sel_start(struct session *s, const char *name, const char *raw,
    uint64_t generation, uint64_t hms)
{
	struct mailimap_selection_info	*si = s->c->imap->imap_selection_info;
	struct sel			*sel = &s->sel;

	sel_clear(sel);
	sel->name = xstrdup(name);
	sel->raw = xstrdup(raw);
	sel->generation = generation;
	sel->hms = hms;
	if (si != NULL) {
		sel->uidvalidity = si->sel_uidvalidity;
		sel->uidnext = si->sel_uidnext;
		sel->exists = si->sel_exists;
		sel->readonly = si->sel_perm == MAILIMAP_MAILBOX_READONLY;
		sel->permflags = sel_permflags(si);
		si->sel_has_exists = 0;
	}
	seqmap_resize(&sel->map, sel->exists);
	sel->bf_top = sel->exists;
	sel->bf_chunk = CHUNK_FIRST;
	sel->bf_total = sel->exists;
	s->detour = false;
}

static void
sel_announce(struct session *s, uint64_t id)
{
	const struct mail_folder *known = folders_find(s, s->sel.name);
	struct imap_event	*ev;
	struct mail_folder	*f;

	ev = imap_event_new(IE_SELECTED);
	ev->id = id;
	ev->generation = s->sel.generation;
	ev->folder = xstrdup(s->sel.name);
	f = ev->folders = xcalloc(1, sizeof *ev->folders);
	ev->nfolders = 1;
	if (known != NULL)
		mail_folder_copy(f, known);
	else {
		f->name = xstrdup(s->sel.name);
		f->raw = xstrdup(s->sel.raw);
	}
	f->has_status = true;
	f->messages = s->sel.exists;
	f->uidnext = s->sel.uidnext;
	f->uidvalidity = s->sel.uidvalidity;
	f->highestmodseq = s->sel.hms;
	ev_send(s, ev);
}

/* The store dropped a folder's cache for a new UIDVALIDITY: say so. */
static void
cache_renumbered(struct session *s, long dropped)
{
	if (dropped > 0)
		ev_notice(s, "The server renumbered %s: its cache was dropped, "
		    "and %ld change%s not yet sent, which named the old "
		    "messages.", s->sel.name, dropped, dropped == 1 ? "" : "s");
	else if (dropped == 0)
		ev_notice(s, "The server renumbered %s: its cache was dropped; "
		    "reloading it.", s->sel.name);
}

enum sx
sel_open(struct session *s, struct imap_cmd *cmd)
{
	const char	*why;
	char		*raw;
	uint64_t	 hms = 0;
	enum sx		 x;

	if ((raw = folder_raw(s, cmd->folder, &why)) == NULL) {
		ev_done(s, cmd, false, "Cannot open the folder: %s.", why);
		return SX_OK;
	}
	/* Whatever happens, the old folder's work stops here. */
	cache_flush(s);
	sel_clear(&s->sel);
	/* The cache paints the index before any round trip; the SELECT
	 * then reconciles it, as after a reconnect. */
	if (cache_paint(s, cmd, raw)) {
		free(raw);
		ev_done(s, cmd, true, NULL);
		ev_state(s, CS_SYNCING, NULL, 0);
		return sel_reselect(s);
	}
	x = select_raw(s, raw, &hms);
	if (x == SX_OK) {
		sel_start(s, cmd->folder, raw, cmd->generation, hms);
		cache_renumbered(s, cache_folder_begin(s, s->sel.name, raw,
		    s->sel.uidvalidity));
		sel_announce(s, cmd->id);
		ev_done(s, cmd, true, NULL);
		ev_state(s, CS_SYNCING, NULL, 0);
	} else if (x == SX_NO)
		ev_done(s, cmd, false, "Cannot open %s: %s", cmd->folder,
		    s->no_text);
	free(raw);
	return x == SX_BROKEN ? x : SX_OK;
}

/* After a reconnect or a detour: the same folder again, then a resync of
 * its flags, expunges and new mail (sync_rebuild). */
enum sx
sel_reselect(struct session *s)
{
	struct mailimap_selection_info *si;
	char		*name, *raw;
	uint64_t	 hms = 0;
	long		 dropped;
	enum sx		 x;

	if (s->sel.name == NULL) {
		s->sel.need_reselect = false;
		return SX_OK;
	}
	if ((x = select_raw(s, s->sel.raw, &hms)) == SX_BROKEN)
		return x;
	s->detour = false;
	s->sel.need_reselect = false;
	if (x == SX_NO) {
		ev_notice(s, "Cannot open %s again: %s", s->sel.name,
		    s->no_text);
		sel_clear(&s->sel);
		return SX_OK;
	}
	si = s->c->imap->imap_selection_info;
	if (si != NULL && si->sel_uidvalidity != s->sel.uidvalidity) {
		/* BAD-INPUTS 16: every UID the UI holds means nothing now. */
		cache_flush(s);
		/* sel_start() clears the old state: copy what it takes. */
		name = xstrdup(s->sel.name);
		raw = xstrdup(s->sel.raw);
		sel_start(s, name, raw, s->sel.generation, hms);
		free(name);
		free(raw);
		if ((dropped = cache_folder_begin(s, s->sel.name,
		    s->sel.raw, s->sel.uidvalidity)) == -1)
			ev_notice(s, "The server renumbered %s; reloading it.",
			    s->sel.name);
		else
			cache_renumbered(s, dropped);
		sel_announce(s, 0);
		return SX_OK;
	}
	if (si != NULL) {
		/* A folder painted from the cache learns these here. */
		s->sel.exists = si->sel_exists;
		s->sel.readonly = si->sel_perm == MAILIMAP_MAILBOX_READONLY;
		s->sel.permflags = sel_permflags(si);
		si->sel_has_exists = 0;
	}
	s->sel.hms_pending = hms;
	/* The cache's counts were a guess: the server's now. */
	if (s->sel.warm)
		sel_announce(s, 0);
	if ((x = sync_resync(s)) == SX_OK && s->sel.warm)
		wire_log(s, "reconciled");
	return x;
}

/* ---- summaries ---- */

static int
row_cmp_desc(const void *a, const void *b)
{
	const struct msg_summary *x = a, *y = b;

	return x->uid < y->uid ? 1 : x->uid > y->uid ? -1 : 0;
}

/* Hand the rows collected by the handler to the store (unless they are
 * placeholders) and to the UI, newest first, as the user sees them. */
static size_t
rows_emit(struct session *s, bool cache)
{
	struct fetchctx		*fx = &s->fx;
	struct imap_event	*ev;
	size_t			 i, k, n = fx->nrows;
	uint32_t		 f;

	if (n == 0)
		return 0;
	qsort(fx->rows, n, sizeof *fx->rows, row_cmp_desc);
	if (cache && !s->detour)
		cache_rows(s, fx->rows, n);
	for (i = k = 0; i < n; i++) {
		f = fx->rows[i].flags & ~MF_ATTACHMENT;
		if (!jr_overlay(s, fx->rows[i].uid, &f)) {
			msg_summary_clear(&fx->rows[i]);
			continue;
		}
		fx->rows[i].flags = f | (fx->rows[i].flags & MF_ATTACHMENT);
		fx->rows[k++] = fx->rows[i];
	}
	for (i = 0; i < n; i++) {
		if (fx->rows[i].uid < s->sel.bf_floor &&
		    fx->rows[i].uid < s->sel.uidnext)
			s->sel.bf_floor = fx->rows[i].uid;
		if (fx->rows[i].uid >= s->sel.uidnext)
			s->sel.uidnext = fx->rows[i].uid + 1;
	}
	ev = imap_event_new(IE_SUMMARIES);
	ev->folder = xstrdup(s->sel.name);
	ev->generation = s->sel.generation;
	ev->rows = fx->rows;
	ev->nrows = k;
	fx->rows = NULL;
	fx->nrows = fx->caprows = 0;
	ev_send(s, ev);
	return n;
}

static void
progress_emit(struct session *s)
{
	struct imap_event	*ev;

	ev = imap_event_new(IE_PROGRESS);
	ev->folder = xstrdup(s->sel.name);
	ev->generation = s->sel.generation;
	ev->done = s->sel.bf_done;
	ev->total = s->sel.bf_total;
	if (s->sel.bf_top == 0)
		ev->done = ev->total;
	/* The UI writes the numbers ("fetching 5,500 of 10,000"). */
	ev->text = xstrdup("fetching");
	ev_send(s, ev);
}

/* A row for a message neither the ENVELOPE nor the header fields of
 * which could be read. */
static void
placeholder(struct session *s, uint32_t seq)
{
	struct fetchctx		*fx = &s->fx;
	struct msg_summary	*m;
	uint32_t		 uid = seqmap_uid(&s->sel.map, seq);

	if (uid == 0)
		return;
	fx->rows = xreallocarray(fx->rows, fx->nrows + 1, sizeof *fx->rows);
	m = &fx->rows[fx->nrows++];
	memset(m, 0, sizeof *m);
	m->uid = uid;
	m->flags = s->sel.map.flags[seq - 1];
	m->subject = xstrdup("(this message could not be read)");
	rows_emit(s, false);
}

/* The next range: normal chunks, or bisecting after a parse failure. */
static uint32_t
backfill_size(const struct sel *sel, bool *headers_only)
{
	*headers_only = false;
	if (sel->bad_size == 0)
		return sel->bf_chunk < sel->bf_top ? sel->bf_chunk :
		    sel->bf_top;
	if (sel->bad_size == 1) {
		*headers_only = true;
		return 1;
	}
	return sel->bad_size / 2;
}

/* A chunk failed to parse: halve it next time; give up past the cap. */
static void
backfill_failed(struct session *s, uint32_t lo, uint32_t n, bool hdrs)
{
	struct sel	*sel = &s->sel;

	if (hdrs) {
		/* Not even the header fields: a placeholder, and on. */
		placeholder(s, sel->bf_top);
		sel->bf_top--;
		sel->bad_size = 0;
		return;
	}
	if (sel->bad_size == 0)
		sel->bad_lo = lo;
	sel->bad_size = n;
	if (++sel->bad_count >= BAD_MAX) {
		ev_notice(s, "Some messages of %s could not be read; "
		    "%llu of %llu were loaded.", sel->name,
		    (unsigned long long)sel->bf_done,
		    (unsigned long long)sel->bf_total);
		sel->bf_top = 0;
		sel->bad_size = 0;
	}
}

/* Fetch summaries of set into rows (FETCH, or UID FETCH when uid). */
enum sx
fetch_rows(struct session *s, struct mailimap_set *set, bool uid,
    bool headers_only, uint32_t min_uid)
{
	struct mailimap_fetch_type	*t;
	clist				*res = NULL;
	int				 r;

	t = fetch_type_summary(s, headers_only);
	s->fx.mode = FM_SUMMARY;
	s->fx.headers_only = headers_only;
	s->fx.min_uid = min_uid;
	s->doing = "FETCH";
	if (uid)
		r = mailimap_uid_fetch(s->c->imap, set, t, &res);
	else
		r = mailimap_fetch(s->c->imap, set, t, &res);
	s->fx.mode = FM_NONE;
	if (res != NULL)
		mailimap_fetch_list_free(res);
	mailimap_fetch_type_free(t);
	mailimap_set_free(set);
	return sx_after(s, r);
}

/* UIDs in the cached range that the cache lacks (sync_rebuild found
 * them): fetched by UID, newest first. A chunk that cannot be parsed is
 * left out rather than bisected: the rows stay missing until the next
 * open. */
static enum sx
backfill_holes(struct session *s)
{
	struct sel	*sel = &s->sel;
	size_t		 n = sel->nholes > CHUNK_FIRST ? CHUNK_FIRST :
			    sel->nholes;
	enum sx		 x;

	x = fetch_rows(s, uidset_to_mailimap(sel->holes + sel->nholes - n,
	    n), true, false, 0);
	if (x == SX_BROKEN) {
		fx_reset(&s->fx);
		if (!s->parse_failed)
			return x;
		sel->bad_count++;
		s->retry_now = true;
	}
	sel->nholes -= n;
	rows_emit(s, true);
	return x;
}

enum sx
sel_backfill_step(struct session *s)
{
	struct sel	*sel = &s->sel;
	uint32_t	 n, lo;
	bool		 hdrs;
	enum sx		 x;

	if (sel->nholes > 0)
		return backfill_holes(s);
	if (sel->bf_top == 0)
		return SX_OK;
	n = backfill_size(sel, &hdrs);
	lo = sel->bf_top - n + 1;
	sel->bf_lo = lo;
	x = fetch_rows(s, mailimap_set_new_interval(lo, sel->bf_top), false,
	    hdrs, 0);
	if (x == SX_BROKEN) {
		if (s->parse_failed) {
			backfill_failed(s, lo, n, hdrs);
			s->retry_now = true;
		}
		fx_reset(&s->fx);
		return x;
	}
	if (x == SX_NO) {
		ev_notice(s, "The server did not send the messages of %s: %s",
		    sel->name, s->no_text);
		sel->bf_top = 0;
	} else {
		/* The harvest moved bf_lo down for any EXPUNGE below it. */
		sel->bf_top = sel->bf_lo - 1;
		/* Past the bad one (or past the range that failed): back to
		 * whole chunks; another bad message starts a new bisection. */
		if (sel->bad_size > 0 && (hdrs || sel->bf_lo <= sel->bad_lo))
			sel->bad_size = 0;
		else if (sel->bad_size == 0 && sel->bf_chunk < CHUNK_MAX)
			sel->bf_chunk = sel->bf_chunk * 2 > CHUNK_MAX ?
			    CHUNK_MAX : sel->bf_chunk * 2;
	}
	sel->bf_done += rows_emit(s, true);
	progress_emit(s);
	if (sel->bf_top == 0)
		ev_state(s, CS_ONLINE, NULL, 0);
	return SX_OK;
}

/* New mail: UID FETCH uidnext:* (a range past the last UID still returns
 * the last message, hence min_uid). */
enum sx
sel_fetch_new(struct session *s)
{
	struct sel	*sel = &s->sel;
	uint32_t	 from;
	size_t		 i;
	enum sx		 x;

	sel->need_new = false;
	from = sel->uidnext;
	if (from == 0) {
		/* No UIDNEXT from the server: start above what we know. */
		for (i = sel->map.n; i > 0 && sel->map.uid[i - 1] == 0; i--)
			;
		from = i > 0 ? sel->map.uid[i - 1] + 1 : 1;
	}
	x = fetch_rows(s, mailimap_set_new_interval(from, 0), true,
	    sel->new_fail >= 2, from);
	if (x == SX_BROKEN) {
		if (s->parse_failed && ++sel->new_fail > 3)
			sel->uidnext++;		/* skip the bad one */
		sel->need_new = true;
		fx_reset(&s->fx);
		return x;
	}
	if (x == SX_OK)
		sel->new_fail = 0;
	rows_emit(s, true);
	return SX_OK;
}

/* ---- bodies ---- */

/* "", "1.2", "1.2.TEXT", "HEADER", "3.MIME"... as a libetpan section;
 * NULL when the text is none of those. */
struct mailimap_section *
section_parse(const char *spec)
{
	struct mailimap_section_part	*part;
	clist				*nums;
	const char			*p = spec, *word;
	uint32_t			*num;
	unsigned long			 v;
	char				*end;

	if (spec == NULL || *spec == '\0')
		return mailimap_section_new(NULL);
	if (strcmp(spec, "HEADER") == 0)
		return mailimap_section_new_header();
	if (strcmp(spec, "TEXT") == 0)
		return mailimap_section_new_text();
	if ((nums = clist_new()) == NULL)
		fatal("out of memory");
	word = NULL;
	while (*p != '\0') {
		if (*p < '0' || *p > '9') {
			word = p;
			break;
		}
		v = strtoul(p, &end, 10);
		if (v == 0 || v > 100000 || (*end != '.' && *end != '\0'))
			goto bad;
		num = xmalloc(sizeof *num);
		*num = (uint32_t)v;
		if (clist_append(nums, num) != 0)
			fatal("out of memory");
		p = *end == '.' ? end + 1 : end;
	}
	if (clist_count(nums) == 0 || (word == NULL && p[-1] == '.'))
		goto bad;
	part = mailimap_section_part_new(nums);
	if (word == NULL)
		return mailimap_section_new_part(part);
	if (strcmp(word, "TEXT") == 0)
		return mailimap_section_new_part_text(part);
	if (strcmp(word, "HEADER") == 0)
		return mailimap_section_new_part_header(part);
	if (strcmp(word, "MIME") == 0)
		return mailimap_section_new_part_mime(part);
	mailimap_section_part_free(part);
	return NULL;
bad:
	while ((num = clist_begin(nums) != NULL ?
	    clist_content(clist_begin(nums)) : NULL) != NULL) {
		clist_delete(nums, clist_begin(nums));
		free(num);
	}
	clist_free(nums);
	return NULL;
}

static void
body_emit(struct session *s, const struct imap_cmd *cmd, uint64_t max)
{
	struct imap_event	*ev;

	ev = imap_event_new(IE_BODY);
	ev->id = cmd->id;
	ev->generation = cmd->generation;
	ev->folder = xstrdup(cmd->folder);
	ev->uid = s->fx.uid;
	if (s->fx.body.len > max) {
		s->fx.body.len = max;
		ev->text = xasprintf("The message is longer than %llu bytes; "
		    "this is its beginning.", (unsigned long long)max);
	}
	buf_addstr(&s->fx.body, "");
	ev->len = s->fx.body.len;
	ev->data = buf_detach(&s->fx.body);
	ev_send(s, ev);
}

enum sx
cmd_fetch_body(struct session *s, struct imap_cmd *cmd)
{
	struct mailimap_fetch_type	*t;
	struct mailimap_section		*sec;
	struct mailimap_set		*set;
	clist				*res = NULL;
	uint64_t			 max = cmd->max_bytes;
	enum sx				 x;
	int				 r;

	if (cmd->nuids != 1 || cmd->uids[0] == 0) {
		ev_done(s, cmd, false, "Fetch one message at a time.");
		return SX_OK;
	}
	if ((sec = section_parse(cmd->section)) == NULL) {
		ev_done(s, cmd, false, "\"%s\" is not a message part.",
		    cmd->section);
		return SX_OK;
	}
	if (max == 0 || max > BODY_MAX_DEFAULT)
		max = BODY_MAX_DEFAULT;
	t = mailimap_fetch_type_new_fetch_att_list_empty();
	add_att(t, mailimap_fetch_att_new_uid());
	add_att(t, mailimap_fetch_att_new_body_peek_section_partial(sec, 0,
	    (uint32_t)max + 1));
	fx_reset(&s->fx);
	s->fx.mode = FM_BODY;
	s->fx.uid = cmd->uids[0];
	set = mailimap_set_new_single(cmd->uids[0]);
	s->doing = "FETCH";
	r = mailimap_uid_fetch(s->c->imap, set, t, &res);
	s->fx.mode = FM_NONE;
	mailimap_set_free(set);
	if (res != NULL)
		mailimap_fetch_list_free(res);
	mailimap_fetch_type_free(t);
	if ((x = sx_after(s, r)) == SX_BROKEN) {
		fx_reset(&s->fx);
		return x;
	}
	if (x == SX_NO)
		ev_done(s, cmd, false, "The server did not send the message: "
		    "%s", s->no_text);
	else if (!s->fx.got_body)
		ev_done(s, cmd, false, "The message is no longer on the "
		    "server.");
	else {
		if (s->fx.body.len <= max)
			cache_body_put(s, cmd, s->fx.body.data,
			    s->fx.body.len);
		body_emit(s, cmd, max);
		ev_done(s, cmd, true, NULL);
	}
	fx_reset(&s->fx);
	return SX_OK;
}
