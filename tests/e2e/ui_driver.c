/*
 * ui_driver: the real UI (ui_run) over a scripted stand-in for the
 * session, for the end-to-end cases no real server here sends
 * (ui_standin.sh): a refused flag change, which Dovecot answers with OK
 * even on a read-only folder or an expunged message, and a folder name
 * with control characters, which Dovecot will not create. Everything
 * else runs the real quire against the fixture's Dovecot.
 *
 * It defines the session half of include/quire/imap.h itself: commands
 * are answered at once from a small script (folders, a folder of ROWS
 * messages with hostile and wide subjects, STORE that fails for UID 7,
 * EXPUNGE, SEARCH by subject, MOVE) and written, one line each, to the
 * file named by $QUIRE_DRIVER_LOG, which the test reads to check what
 * the UI sent.
 *
 *   ui_driver -c CONFIG [-n ROWS]
 */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quire/imap.h"
#include "quire/ui.h"

struct session {
	int		 pipe[2];
	struct ptrarray	 events;
	size_t		 next;
	FILE		*log;
	uint32_t	 rows;
};

struct imap_cmd *
imap_cmd_new(enum imap_cmd_type type)
{
	struct imap_cmd	*cmd = xcalloc(1, sizeof *cmd);

	cmd->type = type;
	return cmd;
}

void
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

void
imap_event_free(struct imap_event **ev)
{
	size_t	 i;

	if (ev == NULL || *ev == NULL)
		return;
	for (i = 0; (*ev)->folders != NULL && i < (*ev)->nfolders; i++)
		mail_folder_clear(&(*ev)->folders[i]);
	for (i = 0; (*ev)->rows != NULL && i < (*ev)->nrows; i++)
		msg_summary_clear(&(*ev)->rows[i]);
	free((*ev)->folders);
	free((*ev)->rows);
	free((*ev)->folder);
	free((*ev)->text);
	free((*ev)->uids);
	free((*ev)->data);
	free(*ev);
	*ev = NULL;
}

static struct imap_event *
push(struct session *s, enum imap_ev_type type, const struct imap_cmd *c)
{
	struct imap_event *ev = xcalloc(1, sizeof *ev);

	ev->type = type;
	ev->id = c->id;
	ev->generation = c->generation;
	ptrarray_push(&s->events, ev);
	return ev;
}

static void
done(struct session *s, const struct imap_cmd *c, bool ok, const char *why)
{
	struct imap_event *ev = push(s, IE_DONE, c);

	ev->ok = ok;
	ev->text = why != NULL ? xstrdup(why) : NULL;
}

static void
answer_list(struct session *s, const struct imap_cmd *c)
{
	static const struct { const char *name; unsigned attrs; } f[] = {
		{ "INBOX", FA_INBOX }, { "Sent", FA_SENT },
		{ "Archive", FA_NOSELECT }, { "Archive/2024", 0 },
		{ "Evil\033]0;pwned\007", 0 },
	};
	struct imap_event *ev = push(s, IE_FOLDERS, c);
	size_t		 i;

	ev->folders = xcalloc(nitems(f), sizeof *ev->folders);
	ev->nfolders = nitems(f);
	for (i = 0; i < nitems(f); i++) {
		ev->folders[i].name = xstrdup(f[i].name);
		ev->folders[i].delim = '/';
		ev->folders[i].attrs = f[i].attrs;
		ev->folders[i].has_status = true;
		ev->folders[i].messages = i == 0 ? s->rows : 0;
		ev->folders[i].unseen = i == 0 ? s->rows / 10 : 0;
	}
	done(s, c, true, NULL);
}

static char *
subject_of(uint32_t uid)
{
	switch (uid) {
	case 3:
		return xstrdup("\033]0;pwned\007\033[2JEvil\r\nsubject\302\233");
	case 4:
		return xstrdup("日本語の件名とても長いメールの件名です");
	default:
		return xasprintf("Message number %u", (unsigned)uid);
	}
}

static void
answer_select(struct session *s, const struct imap_cmd *c)
{
	uint32_t	 n = strcmp(c->folder, "INBOX") == 0 ? s->rows : 3, u;
	struct imap_event *ev = push(s, IE_SELECTED, c);

	ev->folders = xcalloc(1, sizeof *ev->folders);
	ev->nfolders = 1;
	ev->folders[0].name = xstrdup(c->folder);
	ev->folders[0].uidvalidity = 42;
	ev->folders[0].has_status = true;
	ev->folders[0].messages = n;
	ev->folders[0].unseen = n / 10;
	ev = push(s, IE_SUMMARIES, c);
	ev->rows = xcalloc(n, sizeof *ev->rows);
	ev->nrows = n;
	for (u = 1; u <= n; u++) {
		struct msg_summary *m = &ev->rows[u - 1];

		m->uid = u;
		m->flags = u % 10 == 0 ? 0 : MF_SEEN;
		m->date = 1700000000 + (int64_t)u * 3600;
		m->size = u * 1000;
		m->from = xasprintf("Sender %u <s%u@example.org>", u, u);
		m->to = xstrdup("Recipient <r@example.org>");
		m->subject = subject_of(u);
	}
	ev = push(s, IE_STATE, c);
	ev->state = CS_ONLINE;
	done(s, c, true, NULL);
}

static void
answer_search(struct session *s, const struct imap_cmd *c)
{
	struct imap_event *ev = push(s, IE_SEARCH, c);
	uint32_t	 u;
	char		*subj;

	ev->uids = xcalloc(s->rows + 1, sizeof *ev->uids);
	for (u = 1; u <= s->rows; u++) {
		subj = subject_of(u);
		if (strstr(subj, c->query) != NULL)
			ev->uids[ev->nuids++] = u;
		free(subj);
	}
	done(s, c, true, NULL);
}

static void
answer_expunge(struct session *s, const struct imap_cmd *c)
{
	struct imap_event *ev = push(s, IE_EXPUNGED, c);

	ev->uids = xcalloc(c->nuids + 1, sizeof *ev->uids);
	memcpy(ev->uids, c->uids, c->nuids * sizeof *c->uids);
	ev->nuids = c->nuids;
	done(s, c, true, NULL);
}

static void
log_cmd(struct session *s, const struct imap_cmd *c)
{
	static const char *const names[] = { "LIST", "SELECT", "STORE",
	    "EXPUNGE", "MOVE", "COPY", "FETCH", "SEARCH", "SYNC" };
	size_t	 i;

	if (s->log == NULL)
		return;
	fprintf(s->log, "%s folder=%s gen=%llu uidvalidity=%u add=%u "
	    "remove=%u target=%s query=%s uids=", names[c->type],
	    c->folder != NULL ? c->folder : "", (unsigned long long)
	    c->generation, (unsigned)c->uidvalidity, (unsigned)c->add,
	    (unsigned)c->remove, c->target != NULL ? c->target : "",
	    c->query != NULL ? c->query : "");
	for (i = 0; i < c->nuids; i++)
		fprintf(s->log, "%s%u", i > 0 ? "," : "", (unsigned)c->uids[i]);
	fputc('\n', s->log);
	fflush(s->log);
}

void
session_send(struct session *s, struct imap_cmd *c)
{
	log_cmd(s, c);
	switch (c->type) {
	case IC_LIST:
		answer_list(s, c);
		break;
	case IC_SELECT:
		answer_select(s, c);
		break;
	case IC_STORE:
		/* Flagging UID 7 is refused, to see the UI revert it. */
		done(s, c, !(c->nuids == 1 && c->uids[0] == 7 &&
		    (c->add & MF_FLAGGED)), "message 7 is read-only here");
		break;
	case IC_EXPUNGE:
	case IC_MOVE:
		answer_expunge(s, c);
		break;
	case IC_SEARCH:
		answer_search(s, c);
		break;
	default:
		done(s, c, true, NULL);
		break;
	}
	if (write(s->pipe[1], "e", 1) == -1) {
		/* Full: the UI has a wake-up pending already. */
	}
	imap_cmd_free(&c);
}

int
session_event_fd(const struct session *s)
{
	return s->pipe[0];
}

struct imap_event *
session_next_event(struct session *s)
{
	char	 b[64];

	if (s->next == s->events.len) {
		while (read(s->pipe[0], b, sizeof b) > 0)
			;
		s->events.len = s->next = 0;
		return NULL;
	}
	return s->events.items[s->next++];
}

int
main(int argc, char **argv)
{
	struct session	 s;
	struct ui_args	 ua;
	struct config	*cfg;
	const char	*log = getenv("QUIRE_DRIVER_LOG");
	char		*err = NULL;
	int		 c, status;

	setlocale(LC_ALL, "");
	memset(&s, 0, sizeof s);
	s.rows = 200;
	cfg = NULL;
	while ((c = getopt(argc, argv, "c:n:")) != -1) {
		if (c == 'c')
			cfg = config_load(optarg, true);
		else if (c == 'n')
			s.rows = (uint32_t)atol(optarg);
	}
	if (cfg == NULL || cfg->nerrors > 0) {
		fprintf(stderr, "usage: ui_driver -c CONFIG [-n ROWS]\n");
		return 2;
	}
	if (pipe2(s.pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		return 1;
	if (log != NULL)
		s.log = fopen(log, "a");
	memset(&ua, 0, sizeof ua);
	ua.cfg = cfg;
	ua.acct = config_account(cfg, NULL, &err);
	ua.session = &s;
	status = ui_run(&ua);
	while (s.next < s.events.len)
		imap_event_free((struct imap_event **)
		    &s.events.items[s.next++]);
	ptrarray_free(&s.events, NULL);
	if (s.log != NULL)
		fclose(s.log);
	config_free(&cfg);
	free(err);
	return status;
}
