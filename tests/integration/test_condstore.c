/*
 * test_condstore: one run of the session with its store against the
 * Dovecot fixture started with --no-qresync (CONDSTORE alone), as the UI
 * would drive it; condstore.sh sets the stage between runs with doveadm
 * and compares what each run ends with against the server.
 *
 *   test_condstore open CONFIG FOLDER DUMP [offline [flag UID]]
 *
 * Opens FOLDER (from the cache when it is warm), waits until the session
 * is idle on it (under offline: until the paint is done), and writes the
 * rows the UI would show to DUMP, one per line, "UID FLAG...", ascending,
 * the flags by name in MF_* order. flag UID: under offline, the user then
 * sets \Flagged on UID, which waits in the journal for the next run.
 * CONDSTORE_LOG: the session's log with the protocol trace, where
 * condstore.sh reads what was sent. Output is TAP (condstore.sh
 * renumbers).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quire/config.h"
#include "quire/imap.h"
#include "quire/mail.h"
#include "quire/util.h"
#include "ctap.h"

#define MAXUID	20000

/* What the UI would keep. */
struct model {
	bool		 have[MAXUID];
	uint32_t	 flags[MAXUID];
	size_t		 nrows;
	enum conn_state	 state;
	bool		 done[4];		/* by command id */
	bool		 done_ok[4];
};

static struct model	 M;

static void
on_event(struct model *m, const struct imap_event *ev)
{
	size_t		 i;
	uint32_t	 u;

	switch (ev->type) {
	case IE_STATE:
		m->state = ev->state;
		break;
	case IE_SUMMARIES:
		for (i = 0; i < ev->nrows; i++) {
			if ((u = ev->rows[i].uid) == 0 || u >= MAXUID)
				continue;
			if (!m->have[u])
				m->nrows++;
			m->have[u] = true;
			m->flags[u] = ev->rows[i].flags;
		}
		break;
	case IE_FLAGS:
		if (ev->uid < MAXUID)
			m->flags[ev->uid] = ev->flags;
		break;
	case IE_EXPUNGED:
		for (i = 0; i < ev->nuids; i++)
			if (ev->uids[i] < MAXUID && m->have[ev->uids[i]]) {
				m->have[ev->uids[i]] = false;
				m->nrows--;
			}
		break;
	case IE_NOTICE:
		diag("notice: %s", ev->text != NULL ? ev->text : "");
		break;
	case IE_DONE:
		/* The journal's replay answers old ids too. */
		if (ev->id < nitems(m->done)) {
			m->done[ev->id] = true;
			m->done_ok[ev->id] = ev->ok;
		}
		if (!ev->ok)
			diag("command %llu failed: %s",
			    (unsigned long long)ev->id,
			    ev->text != NULL ? ev->text : "");
		break;
	default:
		break;
	}
}

/* Feed events to the model until done (or ms pass), want_state when not
 * CS_OFFLINE. */
static bool
pump(struct session *s, int ms, uint64_t id, enum conn_state want_state)
{
	struct imap_event	*ev;
	int64_t			 end = now_ms() + ms;

	for (;;) {
		while ((ev = session_next_event(s)) != NULL) {
			on_event(&M, ev);
			imap_event_free(&ev);
		}
		if (id < nitems(M.done) && M.done[id] && (want_state == CS_OFFLINE ||
		    M.state == want_state))
			return true;
		if (now_ms() >= end)
			return false;
		usleep(2000);
	}
}

static struct session *
start(const char *path, bool offline, struct config **cfgp)
{
	struct session_opts	 o;
	struct config		*cfg;
	const struct account	*a;
	struct session		*s;
	char			*err = NULL, *pw = NULL;

	if (getenv("CONDSTORE_LOG") != NULL &&
	    log_open(getenv("CONDSTORE_LOG"), LL_TRACE, &err) == -1)
		bail("%s", err);
	cfg = config_load(path, true);
	if (cfg->nerrors > 0)
		bail("%s: %s", path, cfg->errors[0].msg);
	if ((a = config_account(cfg, NULL, &err)) == NULL ||
	    (!offline && config_password(a, &pw, &err) == -1))
		bail("%s", err);
	memset(&o, 0, sizeof o);
	o.cfg = cfg;
	o.acct = a;
	o.password = pw;
	o.offline = offline;
	if ((s = session_start(&o, &err)) == NULL)
		bail("%s", err);
	*cfgp = cfg;
	return s;
}

static void
dump(const char *path)
{
	FILE		*f;
	uint32_t	 u, bit;

	if ((f = fopen(path, "w")) == NULL)
		bail("cannot write %s", path);
	for (u = 1; u < MAXUID; u++) {
		if (!M.have[u])
			continue;
		fprintf(f, "%u", u);
		for (bit = 1; bit <= MF_DRAFT; bit <<= 1)
			if (M.flags[u] & bit)
				fprintf(f, " %s", mail_flag_name(bit));
		fputc('\n', f);
	}
	if (fclose(f) != 0)
		bail("cannot write %s", path);
}

/* Under --offline: +\Flagged on uid, into the journal. */
static void
flag_offline(struct session *s, const char *folder, uint32_t uid)
{
	struct imap_cmd	*cmd;

	cmd = imap_cmd_new(IC_STORE);
	cmd->id = 2;
	cmd->generation = 1;
	cmd->folder = xstrdup(folder);
	cmd->uids = xmalloc(sizeof *cmd->uids);
	cmd->uids[0] = uid;
	cmd->nuids = 1;
	cmd->add = MF_FLAGGED;
	session_send(s, cmd);
	/* The UI shows its own change; the session only answers. */
	tap(pump(s, 10000, 2, CS_OFFLINE) && M.done_ok[2],
	    "offline, \\Flagged on uid %u is journalled", uid);
}

static void
mode_open(const char *cfgpath, const char *folder, const char *out,
    bool offline, uint32_t flag_uid)
{
	struct config	*cfg;
	struct session	*s;
	struct imap_cmd	*cmd;
	int64_t		 t0 = now_ms();
	bool		 good;

	s = start(cfgpath, offline, &cfg);
	cmd = imap_cmd_new(IC_SELECT);
	cmd->id = 1;
	cmd->generation = 1;
	cmd->folder = xstrdup(folder);
	session_send(s, cmd);
	good = pump(s, 120000, 1, offline ? CS_OFFLINE : CS_ONLINE) &&
	    M.done_ok[1];
	/* Let the last flag changes and the sync state reach the store. */
	usleep(300 * 1000);
	pump(s, 100, nitems(M.done), CS_OFFLINE);
	tap(good, "%s opens%s and settles: %zu rows in %lld ms", folder,
	    offline ? " offline" : "", M.nrows,
	    (long long)(now_ms() - t0));
	if (flag_uid != 0)
		flag_offline(s, folder, flag_uid);
	session_stop(&s);
	config_free(&cfg);
	log_close();
	dump(out);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 5 && argc <= 8 && argc != 7 &&
	    strcmp(argv[1], "open") == 0 &&
	    (argc == 5 || strcmp(argv[5], "offline") == 0) &&
	    (argc < 8 || strcmp(argv[6], "flag") == 0))
		mode_open(argv[2], argv[3], argv[4], argc >= 6,
		    argc == 8 ? (uint32_t)strtoul(argv[7], NULL, 10) : 0);
	else
		bail("usage: see the top of test_condstore.c");
	printf("1..%d\n", tap_n);
	return 0;
}
