/*
 * test_search: the engine's IC_SEARCH and IC_SORT against the Dovecot
 * fixture, as the UI drives them: commands in, events out. search.sh
 * starts the fixture, runs the same searches over its own plain IMAP
 * connection (criteria written by hand, not by quire) and compares.
 *
 *   test_search queries CONFIG FILE   FILE: lines "FOLDER<TAB>QUERY";
 *                                     prints "UIDS" per line (sorted,
 *                                     space-separated), or "ERROR text"
 *   test_search all CONFIG QUERY      search every folder: one line per
 *                                     IE_SEARCH "FOLDER<TAB>NROWS<TAB>UIDS",
 *                                     then "DONE ok|fail text"
 *   test_search sort CONFIG FOLDER KEY REV
 *                                     open FOLDER, then IC_SORT: prints
 *                                     "ORDER uids..." and "FIRST n rows
 *                                     before the backfill reached them"
 *   test_search time CONFIG FOLDER N QUERY...
 *                                     once the folder is loaded, N
 *                                     searches of each QUERY timed from
 *                                     send to IE_SEARCH: one line "TIME
 *                                     median min max n matches" each
 *
 * No TAP here: the script judges.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quire/config.h"
#include "quire/imap.h"
#include "quire/mail.h"
#include "quire/util.h"

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static struct session *
start(const char *path, struct config **cfgp)
{
	struct session_opts	 o;
	struct config		*cfg;
	const struct account	*a;
	struct session		*s;
	char			*err = NULL, *pw = NULL;

	cfg = config_load(path, true);
	if (cfg->nerrors > 0) {
		fprintf(stderr, "%s: %s\n", path, cfg->errors[0].msg);
		exit(2);
	}
	if ((a = config_account(cfg, NULL, &err)) == NULL ||
	    config_password(a, &pw, &err) == -1) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	memset(&o, 0, sizeof o);
	o.cfg = cfg;
	o.acct = a;
	o.password = pw;
	if ((s = session_start(&o, &err)) == NULL) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	*cfgp = cfg;
	return s;
}

/* The next event, waiting at most ms; NULL on timeout. */
static struct imap_event *
next(struct session *s, int ms)
{
	struct imap_event	*ev;
	struct pollfd		 p;
	double			 end = now_ms() + ms;

	while ((ev = session_next_event(s)) == NULL) {
		if (now_ms() >= end)
			return NULL;
		p.fd = session_event_fd(s);
		p.events = POLLIN;
		(void)poll(&p, 1, (int)(end - now_ms()) + 1);
	}
	return ev;
}

static uint64_t	 next_id = 1;

static uint64_t
send_cmd(struct session *s, enum imap_cmd_type type, const char *folder,
    const char *query)
{
	struct imap_cmd	*c = imap_cmd_new(type);

	c->id = next_id++;
	c->generation = 1;
	c->folder = folder != NULL ? xstrdup(folder) : NULL;
	c->query = query != NULL ? xstrdup(query) : NULL;
	session_send(s, c);
	return c->id;
}

/* Wait for the IE_DONE of id, handing every event before it to fn. */
static bool
until_done(struct session *s, uint64_t id, int ms,
    void (*fn)(struct imap_event *, void *), void *arg, bool *ok,
    char **text)
{
	struct imap_event	*ev;
	bool			 done = false;

	while (!done && (ev = next(s, ms)) != NULL) {
		if (ev->type == IE_DONE && ev->id == id) {
			done = true;
			*ok = ev->ok;
			if (text != NULL)
				*text = ev->text != NULL ? xstrdup(ev->text) :
				    NULL;
		} else if (fn != NULL)
			fn(ev, arg);
		imap_event_free(&ev);
	}
	return done;
}

static void
print_uids(const uint32_t *u, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		printf("%s%u", i > 0 ? " " : "", (unsigned)u[i]);
}

struct found {
	uint64_t	 id;
	uint32_t	*uids;
	size_t		 n;
	bool		 got;
};

static void
take_search(struct imap_event *ev, void *arg)
{
	struct found	*f = arg;

	if (ev->type != IE_SEARCH || ev->id != f->id)
		return;
	free(f->uids);
	f->uids = ev->uids;
	f->n = ev->nuids;
	ev->uids = NULL;
	ev->nuids = 0;
	f->got = true;
}

static int
mode_queries(const char *conf, const char *file)
{
	struct config	*cfg;
	struct session	*s = start(conf, &cfg);
	struct found	 f;
	FILE		*in;
	char		 line[8192], *tab, *text;
	bool		 ok;

	if ((in = fopen(file, "r")) == NULL) {
		perror(file);
		return 2;
	}
	while (fgets(line, sizeof line, in) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab++ = '\0';
		memset(&f, 0, sizeof f);
		f.id = send_cmd(s, IC_SEARCH, line, tab);
		text = NULL;
		if (!until_done(s, f.id, 60000, take_search, &f, &ok, &text))
			printf("ERROR timeout\n");
		else if (!ok || !f.got)
			printf("ERROR %s\n", text != NULL ? text : "?");
		else {
			print_uids(f.uids, f.n);
			printf("\n");
		}
		fflush(stdout);
		free(text);
		free(f.uids);
	}
	fclose(in);
	session_stop(&s);
	config_free(&cfg);
	return 0;
}

static void
print_folder(struct imap_event *ev, void *arg)
{
	size_t	 i, k;
	bool	 rows_match = true;

	(void)arg;
	if (ev->type != IE_SEARCH)
		return;
	/* Every row listed is one of the matches. */
	for (i = 0; i < ev->nrows && rows_match; i++) {
		rows_match = false;
		for (k = 0; k < ev->nuids; k++)
			if (ev->uids[k] == ev->rows[i].uid)
				rows_match = true;
	}
	printf("%s\t%zu%s\t", ev->folder, ev->nrows, rows_match ? "" :
	    "!");
	print_uids(ev->uids, ev->nuids);
	printf("\n");
}

static int
mode_all(const char *conf, const char *query)
{
	struct config	*cfg;
	struct session	*s = start(conf, &cfg);
	uint64_t	 id;
	char		*text = NULL;
	bool		 ok = false;

	id = send_cmd(s, IC_SEARCH, NULL, query);
	if (!until_done(s, id, 120000, print_folder, NULL, &ok, &text))
		printf("DONE timeout\n");
	else
		printf("DONE %s %s\n", ok ? "ok" : "fail", text != NULL ?
		    text : "");
	free(text);
	session_stop(&s);
	config_free(&cfg);
	return 0;
}

struct sortctx {
	uint64_t	 sort_id;
	bool		 sorted;
	uint32_t	*order;
	size_t		 n;
	size_t		 first_rows;	/* rows of the sorted first screen */
	uint32_t	 lowest_backfill;	/* UID the backfill reached */
};

static void
watch_sort(struct imap_event *ev, void *arg)
{
	struct sortctx	*c = arg;
	size_t		 i, k, lim;

	if (ev->type == IE_SORTED && ev->id == c->sort_id) {
		c->sorted = true;
		c->order = ev->uids;
		c->n = ev->nuids;
		ev->uids = NULL;
		return;
	}
	if (ev->type != IE_SUMMARIES || !c->sorted || c->first_rows > 0)
		return;
	/* The first rows after IE_SORTED: how many of them are among the
	 * first 200 of the order. */
	lim = c->n < 200 ? c->n : 200;
	for (i = 0; i < ev->nrows; i++)
		for (k = 0; k < lim; k++)
			if (c->order[k] == ev->rows[i].uid) {
				c->first_rows++;
				break;
			}
}

static int
mode_sort(const char *conf, const char *folder, const char *key,
    const char *rev)
{
	static const char *const keys[] = { "date", "arrival", "from",
	    "subject", "size" };
	struct config	*cfg;
	struct session	*s = start(conf, &cfg);
	struct imap_event *ev;
	struct imap_cmd	*c;
	struct sortctx	 ctx;
	size_t		 i;
	bool		 ok = false, first = false;
	char		*text = NULL;

	memset(&ctx, 0, sizeof ctx);
	(void)send_cmd(s, IC_SELECT, folder, NULL);
	/* As the UI does: the first chunk, then the server's order. */
	while (!first && (ev = next(s, 30000)) != NULL) {
		first = ev->type == IE_SUMMARIES;
		imap_event_free(&ev);
	}
	c = imap_cmd_new(IC_SORT);
	c->id = ctx.sort_id = next_id++;
	c->generation = 1;
	c->folder = xstrdup(folder);
	for (i = 0; i < nitems(keys); i++)
		if (strcmp(key, keys[i]) == 0)
			c->sort = (enum sort_key)i;
	c->reverse = strcmp(rev, "1") == 0;
	session_send(s, c);
	if (!until_done(s, ctx.sort_id, 60000, watch_sort, &ctx, &ok, &text))
		printf("DONE timeout\n");
	printf("ORDER ");
	print_uids(ctx.order, ctx.n);
	printf("\nFIRST %zu\nDONE %s %s\n", ctx.first_rows, ok ? "ok" : "fail",
	    text != NULL ? text : "");
	free(text);
	free(ctx.order);
	session_stop(&s);
	config_free(&cfg);
	return 0;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void time_query(struct session *s, const char *folder,
    const char *query, int n);

static int
mode_time(const char *conf, const char *folder, int n, char **queries,
    int nq)
{
	struct config	*cfg;
	struct session	*s = start(conf, &cfg);
	struct imap_event *ev;
	bool		 ok;
	int		 i;

	/* Open the folder and let the backfill finish, as a user would
	 * have before searching. */
	(void)send_cmd(s, IC_SELECT, folder, NULL);
	while ((ev = next(s, 600000)) != NULL) {
		ok = ev->type == IE_PROGRESS && ev->total > 0 &&
		    ev->done >= ev->total;
		imap_event_free(&ev);
		if (ok)
			break;
	}
	for (i = 0; i < nq; i++)
		time_query(s, folder, queries[i], n);
	session_stop(&s);
	config_free(&cfg);
	return 0;
}

static void
time_query(struct session *s, const char *folder, const char *query, int n)
{
	struct imap_event *ev;
	struct found	 f;
	double		*t, t0;
	bool		 ok;
	int		 i, got = 0;
	size_t		 hits = 0;

	t = xcalloc((size_t)n, sizeof *t);
	for (i = 0; i < n; i++) {
		memset(&f, 0, sizeof f);
		t0 = now_ms();
		f.id = send_cmd(s, IC_SEARCH, folder, query);
		while (!f.got && (ev = next(s, 60000)) != NULL) {
			take_search(ev, &f);
			imap_event_free(&ev);
		}
		if (f.got)
			t[got++] = now_ms() - t0;
		hits = f.n;
		free(f.uids);
		(void)until_done(s, f.id, 60000, NULL, NULL, &ok, NULL);
	}
	qsort(t, (size_t)got, sizeof *t, dbl_cmp);
	if (got > 0)
		printf("TIME %.2f %.2f %.2f %d %zu\n", t[got / 2], t[0],
		    t[got - 1], got, hits);
	else
		printf("TIME - - - 0 0\n");
	fflush(stdout);
	free(t);
}

int
main(int argc, char **argv)
{
	const char	*trace = getenv("SEARCH_TRACE");
	char		*err = NULL;

	/* The conversation, for the no-ESEARCH and literal checks. */
	if (trace != NULL && *trace != '\0' &&
	    log_open(trace, LL_TRACE, &err) == -1) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (argc == 4 && strcmp(argv[1], "queries") == 0)
		return mode_queries(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "all") == 0)
		return mode_all(argv[2], argv[3]);
	if (argc == 6 && strcmp(argv[1], "sort") == 0)
		return mode_sort(argv[2], argv[3], argv[4], argv[5]);
	if (argc >= 6 && strcmp(argv[1], "time") == 0)
		return mode_time(argv[2], argv[3], atoi(argv[4]), argv + 5,
		    argc - 5);
	fprintf(stderr, "usage: test_search queries|all|sort|time ...\n");
	return 2;
}
