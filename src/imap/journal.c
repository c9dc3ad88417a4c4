/*
 * The user's changes on their way to the server, and working offline.
 *
 * Why: a change the user made must reach the server exactly once, through
 * dropped connections, crashes and restarts (BAD-INPUTS 34, 35). So every
 * IC_STORE, IC_EXPUNGE, IC_MOVE and IC_COPY is first committed to the
 * store's journal (durably: store_pending_add fsyncs), then sent, and its
 * entries are removed only after the server's answer. If the link breaks
 * first, the entries stay and jr_replay sends them after the reconnect
 * (the command's IE_DONE waits for that); at start-up it sends what a
 * killed process left. Under --offline the UI hears OK as soon as the
 * change is in the journal: that is as far as it can go in this run. Entries are per-flag deltas, so a replay of a
 * change the server already has changes nothing; UID EXPUNGE and UID MOVE
 * of UIDs already gone do nothing either. A COPY is not harmless twice,
 * so its entries are marked sent (durably) before it goes, and a replay
 * of a COPY marked sent is dropped with a notice rather than risk a
 * second copy. Entries for an old UIDVALIDITY are dropped by the store
 * when the folder is reset and reported, never applied to the new UIDs.
 *
 * s->jr mirrors the journal in memory, in order: the replay walks it, and
 * jr_overlay applies its deltas to what the server says, so the UI always
 * shows the user's change until the server has it.
 *
 * Offline (--offline, or while the server cannot be reached) commands are
 * served here: folders and summaries from the store, bodies from the body
 * cache, changes into the journal.
 *
 * QUIRE_TEST_CRASH_AT=STEP:N is a test hook, read once at start: the Nth
 * time a change reaches STEP the process kills itself with SIGKILL, so
 * the kill test (tests/integration/store_kill.sh) can stop it at each
 * step of the journal's life. It does nothing else.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "session_priv.h"

#define JR_FLAG_BITS	(MF_SEEN | MF_ANSWERED | MF_FLAGGED | MF_DELETED | \
			 MF_DRAFT)
#define REPLAY_BATCH	500	/* UIDs per replayed command */
#define JR_MAX_TRIES	3	/* sends of one change that broke the link */

/* ---- the test hook ---- */

void
crash_point(struct session *s, const char *step)
{
	if (s->crash_step == NULL || strcmp(s->crash_step, step) != 0)
		return;
	if (++s->crash_count < s->crash_n)
		return;
	log_info("QUIRE_TEST_CRASH_AT: killed at %s:%u", step, s->crash_n);
	log_close();
	kill(getpid(), SIGKILL);
}

/* libetpan tells the logger what it wrote; a change's command counts as
 * sent once its line has gone to the wire. Installed only for the test. */
static void
crash_logger(mailimap *imap, int type, const char *str, size_t n,
    void *arg)
{
	static const char *const verbs[] = { "UID STORE ", "UID EXPUNGE ",
	    "UID MOVE ", "UID COPY " };
	struct session	*s = arg;
	size_t		 i, k, len;

	(void)imap;
	if (type != MAILSTREAM_LOG_TYPE_DATA_SENT || str == NULL)
		return;
	for (i = 0; i < nitems(verbs); i++) {
		len = strlen(verbs[i]);
		for (k = 0; k + len <= n; k++)
			if (memcmp(str + k, verbs[i], len) == 0) {
				crash_point(s, "after-send");
				return;
			}
	}
}

void
crash_logger_install(struct session *s)
{
	if (s->crash_step != NULL && strcmp(s->crash_step, "after-send") == 0)
		mailimap_set_logger(s->c->imap, crash_logger, s);
}

/* ---- the mirror ---- */

bool
jr_kind_of(enum imap_cmd_type type)
{
	return type == IC_STORE || type == IC_EXPUNGE || type == IC_MOVE ||
	    type == IC_COPY;
}

static enum pending_kind
kind_for(enum imap_cmd_type type)
{
	switch (type) {
	case IC_EXPUNGE:	return PENDING_EXPUNGE;
	case IC_MOVE:		return PENDING_MOVE;
	case IC_COPY:		return PENDING_COPY;
	default:		return PENDING_FLAGS;
	}
}

static enum imap_cmd_type
type_for(enum pending_kind kind)
{
	switch (kind) {
	case PENDING_EXPUNGE:	return IC_EXPUNGE;
	case PENDING_MOVE:	return IC_MOVE;
	case PENDING_COPY:	return IC_COPY;
	default:		return IC_STORE;
	}
}

static void
jr_push(struct session *s, const struct pending *p)
{
	struct pending	*e;

	if (s->njr == s->capjr) {
		s->capjr = s->capjr == 0 ? 16 : s->capjr * 2;
		s->jr = xreallocarray(s->jr, s->capjr, sizeof *s->jr);
	}
	e = &s->jr[s->njr++];
	*e = *p;
	e->folder = xstrdup(p->folder);
	e->target = p->target != NULL ? xstrdup(p->target) : NULL;
}

/* Remove entry i from the mirror, keeping the order. */
static void
jr_remove_at(struct session *s, size_t i)
{
	free(s->jr[i].folder);
	free(s->jr[i].target);
	memmove(&s->jr[i], &s->jr[i + 1], (s->njr - i - 1) * sizeof *s->jr);
	s->njr--;
}

static size_t
jr_find(const struct session *s, int64_t id)
{
	size_t	 i;

	for (i = 0; i < s->njr; i++)
		if (s->jr[i].id == id)
			return i;
	return SIZE_MAX;
}

static void jr_settle(struct session *s, bool ok, const char *why_in);

void
jr_forget(struct session *s, const char *folder, uint32_t uidvalidity)
{
	size_t	 i, n = 0;
	char	*why;

	for (i = s->njr; i-- > 0;)
		if (strcmp(s->jr[i].folder, folder) == 0 &&
		    (uidvalidity == 0 || s->jr[i].uidvalidity != uidvalidity)) {
			jr_remove_at(s, i);
			n++;
		}
	if (n == 0)
		return;
	/* The commands still waiting on them hear why. */
	why = uidvalidity != 0 ? xasprintf("The server renumbered %s; the "
	    "change was dropped, never applied to the new messages.", folder) :
	    xasprintf("%s is gone from the server; the change was dropped.",
	    folder);
	jr_settle(s, false, why);
	free(why);
}

bool
jr_overlay(struct session *s, uint32_t uid, uint32_t *flags)
{
	const struct pending	*p;
	size_t			 i;

	if (s->sel.name == NULL)
		return true;
	for (i = 0; i < s->njr; i++) {
		p = &s->jr[i];
		if (p->uid != uid || p->uidvalidity != s->sel.uidvalidity ||
		    strcmp(p->folder, s->sel.name) != 0)
			continue;
		if (p->kind == PENDING_EXPUNGE || p->kind == PENDING_MOVE)
			return false;
		if (p->kind == PENDING_FLAGS)
			*flags = store_flags_apply(*flags, p->add, p->remove);
	}
	return true;
}

/* A command cut off by the link waits for its entries to settle. */
static void
jr_wait_add(struct session *s, struct imap_cmd *cmd, const int64_t *ids,
    size_t n)
{
	struct jr_wait	*w;

	s->jw = xreallocarray(s->jw, s->njw + 1, sizeof *s->jw);
	w = &s->jw[s->njw++];
	w->cmd = cmd;
	w->ids = xreallocarray(NULL, n, sizeof *w->ids);
	memcpy(w->ids, ids, n * sizeof *ids);
	w->n = n;
}

/* The commands none of whose entries are left hear IE_DONE: ok, or the
 * server's refusal of the replay. */
static void
jr_settle(struct session *s, bool ok, const char *why_in)
{
	struct jr_wait	*w;
	size_t		 i, k;
	/* ev_done() replaces s->last_why, which why_in may be. */
	char		*why = why_in != NULL ? xstrdup(why_in) : NULL;

	/* In the order the commands came, as the UI sent them. */
	for (i = 0; i < s->njw;) {
		w = &s->jw[i];
		for (k = 0; k < w->n && jr_find(s, w->ids[k]) == SIZE_MAX; k++)
			;
		if (k < w->n) {
			i++;
			continue;
		}
		ev_done(s, w->cmd, ok, ok ? NULL : "%s", why != NULL ? why :
		    "the change was not made");
		imap_cmd_free(&w->cmd);
		free(w->ids);
		memmove(w, w + 1, (s->njw - i - 1) * sizeof *w);
		s->njw--;
	}
	free(why);
}

void
jr_wait_free(struct session *s)
{
	size_t	 i;

	for (i = 0; i < s->njw; i++) {
		imap_cmd_free(&s->jw[i].cmd);
		free(s->jw[i].ids);
	}
	free(s->jw);
	s->jw = NULL;
	s->njw = 0;
}

static void
jr_done(struct session *s, const int64_t *ids, size_t n)
{
	char	*err = NULL;
	size_t	 i, k;

	if (n == 0)
		return;
	if (store_pending_done(s->store, ids, n, &err) == -1) {
		log_error("journal: %s", err);
		free(err);
	}
	for (i = 0; i < n; i++)
		if ((k = jr_find(s, ids[i])) != SIZE_MAX)
			jr_remove_at(s, k);
}

static void
jr_mark_sent(struct session *s, const int64_t *ids, size_t n)
{
	char	*err = NULL;
	size_t	 i, k;

	if (store_pending_mark_sent(s->store, ids, n, &err) == -1) {
		log_error("journal: %s", err);
		free(err);
	}
	for (i = 0; i < n; i++)
		if ((k = jr_find(s, ids[i])) != SIZE_MAX)
			s->jr[k].state = PENDING_SENT;
}

/* Commit cmd's entries, one per UID; their ids in *ids (caller frees).
 * -1 with *why (caller frees) when the journal refuses them. */
static int
jr_add(struct session *s, const struct imap_cmd *cmd, int64_t **ids,
    size_t *n, char **why)
{
	struct pending	*p;
	uint32_t	 add = 0, remove = 0, v;
	size_t		 i, k = 0;

	*ids = NULL;
	*n = 0;
	if (cmd->type == IC_STORE) {
		add = cmd->add & JR_FLAG_BITS;
		remove = cmd->remove & JR_FLAG_BITS;
		/* Nothing to journal; cmd_store answers these. */
		if ((add & remove) != 0 || (add | remove) == 0)
			return 0;
	}
	if (cmd->folder == NULL || cmd->nuids == 0 || cmd->uids == NULL)
		return 0;
	if ((v = cmd_validity(s, cmd)) == 0) {
		*why = xasprintf("%s is not known yet", cmd->folder);
		return -1;
	}
	p = xcalloc(cmd->nuids, sizeof *p);
	for (i = 0; i < cmd->nuids; i++) {
		if (cmd->uids[i] == 0)
			continue;
		p[k].kind = kind_for(cmd->type);
		p[k].folder = cmd->folder;
		p[k].uidvalidity = v;
		p[k].uid = cmd->uids[i];
		p[k].add = add;
		p[k].remove = remove;
		p[k].target = cmd->target;
		k++;
	}
	if (k > 0 && store_pending_add(s->store, p, k, why) == -1) {
		free(p);
		return -1;
	}
	*ids = xreallocarray(NULL, k > 0 ? k : 1, sizeof **ids);
	for (i = 0; i < k; i++) {
		(*ids)[i] = p[i].id;
		jr_push(s, &p[i]);
	}
	*n = k;
	free(p);
	return 0;
}

/* Send a journalled command: selected, run, and its entries cleared once
 * the server has answered (OK or NO: either way it is settled). */
static enum sx
jr_run(struct session *s, struct imap_cmd *cmd, const int64_t *ids, size_t n)
{
	enum sx	(*run)(struct session *, struct imap_cmd *);
	enum sx	 x;

	run = cmd_runner(cmd->type);
	if (n > 0 && (cmd->type == IC_MOVE || cmd->type == IC_COPY))
		jr_mark_sent(s, ids, n);
	s->last_ok = true;
	if ((x = ensure_folder(s, cmd)) == SX_OK)
		x = run(s, cmd);
	if (x == SX_BROKEN && n > 0) {
		/* A change that breaks the link every time it is sent would
		 * hold the journal forever: give it up after a few tries. */
		if (s->jr_fail_id != ids[0]) {
			s->jr_fail_id = ids[0];
			s->jr_fail_count = 0;
		}
		if (++s->jr_fail_count < JR_MAX_TRIES)
			return x;
		ev_notice(s, "A change to %s was given up after %u tries, each "
		    "of which lost the connection: %s", cmd->folder,
		    s->jr_fail_count, s->broken != NULL ? s->broken : "");
		jr_done(s, ids, n);
		jr_settle(s, false, s->broken);
		return x;
	}
	if (x == SX_BROKEN)
		return x;
	crash_point(s, "after-ok");
	jr_done(s, ids, n);
	jr_settle(s, s->last_ok, s->last_why);
	return SX_OK;
}

/* Offline, a move or an expunge takes the rows off the screen now. */
static void
offline_gone(struct session *s, const struct imap_cmd *cmd)
{
	struct imap_event	*ev;

	if ((cmd->type != IC_MOVE && cmd->type != IC_EXPUNGE) ||
	    s->sel.name == NULL || strcmp(cmd->folder, s->sel.name) != 0 ||
	    cmd->nuids == 0)
		return;
	ev = imap_event_new(IE_EXPUNGED);
	ev->folder = xstrdup(s->sel.name);
	ev->generation = s->sel.generation;
	ev->uids = xreallocarray(NULL, cmd->nuids, sizeof *ev->uids);
	memcpy(ev->uids, cmd->uids, cmd->nuids * sizeof *ev->uids);
	ev->nuids = cmd->nuids;
	ev_send(s, ev);
}

enum sx
jr_command(struct session *s, struct imap_cmd *cmd)
{
	int64_t	*ids = NULL;
	char	*why = NULL;
	size_t	 n = 0;
	enum sx	 x;

	crash_point(s, "before-journal");
	if (jr_add(s, cmd, &ids, &n, &why) == -1) {
		ev_done(s, cmd, false, "The change could not be saved, so it "
		    "was not made: %s", why);
		free(why);
		imap_cmd_free(&cmd);
		return SX_OK;
	}
	if (n > 0)
		crash_point(s, "after-journal");
	if (s->c == NULL) {
		/* Safe in the journal: it goes when the server is back, and
		 * the UI hears of it then. Under --offline that is not in
		 * this run, and an expunge is what a quit waits for: both
		 * hear OK now. */
		if (n > 0)
			offline_gone(s, cmd);
		if (n > 0 && !s->offline && cmd->type != IC_EXPUNGE)
			jr_wait_add(s, cmd, ids, n);
		else
			ev_done(s, cmd, true, NULL);
		free(ids);
		if (n == 0 || s->offline || cmd->type == IC_EXPUNGE)
			imap_cmd_free(&cmd);
		return SX_OK;
	}
	/* Older entries go first: a replay sends them and this one, in
	 * order, and the UI hears of this one when it is settled. */
	if (n > 0 && s->njr > n) {
		jr_wait_add(s, cmd, ids, n);
		free(ids);
		return jr_replay(s);
	}
	x = jr_run(s, cmd, ids, n);
	if (x == SX_BROKEN && n > 0) {
		/* Safe in the journal: the replay after the reconnect sends
		 * it, and then the UI hears how it went. */
		jr_wait_add(s, cmd, ids, n);
		cmd = NULL;
	} else if (x == SX_BROKEN)
		ev_done(s, cmd, false, "The connection was lost: %s",
		    s->broken);
	free(ids);
	imap_cmd_free(&cmd);
	return x;
}

/* ---- the replay ---- */

static bool
jr_same(const struct pending *a, const struct pending *b)
{
	return a->kind == b->kind && a->uidvalidity == b->uidvalidity &&
	    a->add == b->add && a->remove == b->remove &&
	    strcmp(a->folder, b->folder) == 0 &&
	    ((a->target == NULL && b->target == NULL) ||
	    (a->target != NULL && b->target != NULL &&
	    strcmp(a->target, b->target) == 0));
}

/* A COPY that may already be done: dropped and reported, not repeated. */
static void
jr_drop_copies(struct session *s)
{
	int64_t	 id;
	size_t	 i, n = 0;
	char	*target = NULL;

	for (i = s->njr; i-- > 0;) {
		if (s->jr[i].kind != PENDING_COPY ||
		    s->jr[i].state != PENDING_SENT)
			continue;
		free(target);
		target = xstrdup(s->jr[i].target);
		id = s->jr[i].id;
		jr_done(s, &id, 1);
		n++;
	}
	if (n > 0)
		ev_notice(s, "A copy of %zu message%s to %s was cut short; it "
		    "was not repeated: look in %s whether it arrived.", n,
		    n == 1 ? "" : "s", target, target);
	free(target);
}

/* The UI hears the settled flags of a replayed change. */
static void
jr_replayed_flags(struct session *s, const struct imap_cmd *cmd)
{
	size_t	 i, k;

	if (cmd->type != IC_STORE || s->sel.name == NULL || s->detour ||
	    strcmp(cmd->folder, s->sel.name) != 0)
		return;
	for (i = 0; i < cmd->nuids; i++)
		if ((k = seqmap_find(&s->sel.map, cmd->uids[i])) != SEQMAP_NONE)
			flags_seen(s, cmd->uids[i], s->sel.map.flags[k], 0,
			    true);
}

enum sx
jr_replay(struct session *s)
{
	struct imap_cmd	*cmd;
	const struct pending *p;
	int64_t		*ids;
	size_t		 i, n;
	enum sx		 x;

	s->replay_due = false;
	if (s->store == NULL || s->njr == 0)
		return SX_OK;
	jr_drop_copies(s);
	log_info("journal: replaying %zu change%s", s->njr,
	    s->njr == 1 ? "" : "s");
	while (s->njr > 0) {
		p = &s->jr[0];
		for (n = 1; n < s->njr && n < REPLAY_BATCH &&
		    jr_same(p, &s->jr[n]); n++)
			;
		cmd = imap_cmd_new(type_for(p->kind));
		cmd->folder = xstrdup(p->folder);
		cmd->target = p->target != NULL ? xstrdup(p->target) : NULL;
		cmd->uidvalidity = p->uidvalidity;
		cmd->add = p->add;
		cmd->remove = p->remove;
		cmd->uids = xreallocarray(NULL, n, sizeof *cmd->uids);
		ids = xreallocarray(NULL, n, sizeof *ids);
		for (i = 0; i < n; i++) {
			cmd->uids[i] = s->jr[i].uid;
			ids[i] = s->jr[i].id;
		}
		cmd->nuids = n;
		x = jr_run(s, cmd, ids, n);
		if (x == SX_OK)
			jr_replayed_flags(s, cmd);
		free(ids);
		imap_cmd_free(&cmd);
		if (x == SX_BROKEN)
			return x;
	}
	return SX_OK;
}

/* ---- offline ---- */

/* Why a message does not open without the server, and what to do. */
static const char *
not_cached(bool final)
{
	return final ? "This message is not in the cache, and quire is "
	    "offline (--offline): start quire without --offline to read it." :
	    "This message is not in the cache, and the server cannot be "
	    "reached: open it again once quire is back online.";
}

bool
offline_command(struct session *s, struct imap_cmd *cmd, bool final)
{
	const char	*why;
	char		*raw;

	switch (cmd->type) {
	case IC_LIST:
		folders_emit(s);
		if (!final)
			return false;	/* and LIST again once connected */
		ev_done(s, cmd, true, NULL);
		break;
	case IC_SELECT:
		raw = folder_raw(s, cmd->folder, &why);
		cache_flush(s);
		if (raw != NULL && cache_paint(s, cmd, raw)) {
			/* SELECT and reconcile once connected. */
			s->sel.need_reselect = true;
			ev_done(s, cmd, true, NULL);
		} else if (!final) {
			free(raw);
			return false;
		} else
			ev_done(s, cmd, false, "%s is not in the cache, and "
			    "quire is offline.", cmd->folder);
		free(raw);
		break;
	case IC_FETCH_PARTS:
		/* From the body cache, or refused at once, even while
		 * retrying: the pager shows why and stays free to open the
		 * next message, which may be cached. */
		if (parts_from_cache(s, cmd))
			break;
		ev_done(s, cmd, false, "%s", not_cached(final));
		break;
	case IC_FETCH_BODY:
		if (cache_body_get(s, cmd))
			break;
		if (!final)
			return false;
		ev_done(s, cmd, false, "%s", not_cached(final));
		break;
	case IC_STORE:
	case IC_EXPUNGE:
	case IC_MOVE:
	case IC_COPY:
		if (s->store != NULL) {
			jr_command(s, cmd);
			return true;
		}
		if (!final)
			return false;
		ev_done(s, cmd, false, "quire is offline, and without a cache "
		    "the change cannot wait for the server.");
		break;
	default:
		if (!final)
			return false;
		ev_done(s, cmd, false, "quire is offline.");
		break;
	}
	imap_cmd_free(&cmd);
	return true;
}
