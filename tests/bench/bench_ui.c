/*
 * bench_ui: how the index behaves at 100,000 rows, on a real curses
 * screen. The model is filled the way the engine backfills (chunks of
 * 1,000, newest first), then cursor moves, pages, jumps, a flag change, an
 * expunge and a re-sort are each timed together with the repaint they
 * cause, drawn into a curses screen on a pseudo-terminal (newterm; a
 * thread drains the other side). Figures only, no pass or fail:
 *
 *   tests/bench/bench_ui [ROWS] [COLS] [LINES]
 */
#include "config.h"

#include <curses.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ui_priv.h"

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Read and discard what curses writes, so the pty never fills up. */
static void *
drain(void *arg)
{
	int	 fd = *(int *)arg;
	char	 b[65536];

	while (read(fd, b, sizeof b) > 0)
		;
	return NULL;
}

static void
fill(struct ui_state *s, uint32_t rows)
{
	struct imap_event *ev;
	uint32_t	 hi, lo, u;

	for (hi = rows; hi > 0; hi = lo - 1) {
		lo = hi > 1000 ? hi - 999 : 1;
		ev = xcalloc(1, sizeof *ev);
		ev->type = IE_SUMMARIES;
		ev->generation = s->m.generation;
		ev->nrows = hi - lo + 1;
		ev->rows = xcalloc(ev->nrows, sizeof *ev->rows);
		for (u = lo; u <= hi; u++) {
			struct msg_summary *m = &ev->rows[u - lo];

			m->uid = u;
			m->flags = u % 5 == 0 ? 0 : MF_SEEN;
			m->date = 1600000000 + (int64_t)u * 300;
			m->size = 1000 + u % 50000;
			m->from = xasprintf("Sender %u <s%u@example.org>",
			    u % 997, u % 997);
			m->subject = xasprintf("Subject number %u, with 日本語 "
			    "and more words to fill the line", u);
		}
		ui_event(s, ev, time(NULL));
		if (lo == 1)
			break;
	}
}

/* Run key n times, repainting after each; milliseconds per run. */
static double
timed_key(struct screen *sc, struct ui_state *s, uint32_t key, int n)
{
	double	 t = now_ms();
	int	 i;

	for (i = 0; i < n; i++) {
		ui_key(s, key);
		screen_paint(sc, s, time(NULL));
	}
	return (now_ms() - t) / n;
}

static void
report(const char *what, double ms)
{
	printf("%-40s %9.3f ms\n", what, ms);
}

/* A search's result, 1 row in 100, applied and painted, then Esc: the
 * UI's share of Enter -> painted result (tests/bench/bench_search.sh
 * times the rest against Dovecot). */
static void
bench_search(struct screen *sc, struct ui_state *s, uint32_t rows)
{
	struct imap_event *ev = xcalloc(1, sizeof *ev);
	uint32_t	 u;
	double		 t;

	ev->type = IE_SEARCH;
	ev->generation = s->m.generation;
	ev->uids = xcalloc(rows / 100 + 1, sizeof *ev->uids);
	for (u = 100; u <= rows; u += 100)
		ev->uids[ev->nuids++] = u;
	t = now_ms();
	ui_event(s, ev, time(NULL));
	screen_paint(sc, s, time(NULL));
	report("search result (1 in 100) + repaint", now_ms() - t);
	report("Esc (whole folder) + repaint", timed_key(sc, s, QKEY_ESC, 1));
}

static void
bench(struct screen *sc, struct ui_state *s, uint32_t rows)
{
	double	 t;

	t = now_ms();
	fill(s, rows);
	report("fill (chunks of 1,000, newest first)", now_ms() - t);
	t = now_ms();
	screen_paint(sc, s, time(NULL));
	report("first paint", now_ms() - t);
	report("cursor down + repaint", timed_key(sc, s, 'j', 2000));
	report("cursor up + repaint", timed_key(sc, s, 'k', 2000));
	report("page down + repaint", timed_key(sc, s, QKEY_PGDN, 500));
	report("last + repaint", timed_key(sc, s, 'G', 50));
	report("first + repaint", timed_key(sc, s, 'g', 50));
	report("toggle read + repaint", timed_key(sc, s, 'N', 500));
	t = now_ms();
	{
		struct imap_event *ev = xcalloc(1, sizeof *ev);

		ev->type = IE_EXPUNGED;
		ev->generation = s->m.generation;
		ev->uids = xcalloc(1, sizeof *ev->uids);
		ev->uids[0] = model_cursor_row(&s->m)->m.uid;
		ev->nuids = 1;
		ui_event(s, ev, time(NULL));
		screen_paint(sc, s, time(NULL));
	}
	report("expunge the cursor's row + repaint", now_ms() - t);
	t = now_ms();
	ui_key(s, 'o');
	ui_key(s, 's');
	screen_paint(sc, s, time(NULL));
	report("re-sort by subject (o s) + repaint", now_ms() - t);
	bench_search(sc, s, rows);
}

int
main(int argc, char **argv)
{
	struct config	*cfg;
	struct ui_state	 s;
	struct screen	*sc;
	SCREEN		*scr;
	FILE		*out, *in;
	pthread_t	 th;
	int		 master, slave;
	uint32_t	 rows = argc > 1 ? (uint32_t)atol(argv[1]) : 100000;
	int		 cols = argc > 2 ? atoi(argv[2]) : 200;
	int		 lines = argc > 3 ? atoi(argv[3]) : 60;
	char		 size[64];

	if ((master = posix_openpt(O_RDWR | O_NOCTTY)) == -1 ||
	    grantpt(master) == -1 || unlockpt(master) == -1 ||
	    (slave = open(ptsname(master), O_RDWR | O_NOCTTY)) == -1) {
		perror("bench_ui: pty");
		return 1;
	}
	pthread_create(&th, NULL, drain, &master);
	snprintf(size, sizeof size, "%d", cols);
	setenv("COLUMNS", size, 1);
	snprintf(size, sizeof size, "%d", lines);
	setenv("LINES", size, 1);
	out = fdopen(slave, "w");
	in = fdopen(dup(slave), "r");
	if ((scr = newterm("xterm-256color", out, in)) == NULL) {
		fprintf(stderr, "bench_ui: newterm failed\n");
		return 1;
	}
	set_term(scr);
	cfg = config_parse_string("[account bench]\nhost = h\nuser = u\n"
	    "password_cmd = x\n", "bench");
	ui_state_init(&s, cfg, cfg->accounts[0], true);
	sc = screen_new(cfg);
	model_select(&s.m, "INBOX");
	printf("%u rows on a %dx%d screen\n", (unsigned)rows, cols, lines);
	bench(sc, &s, rows);
	screen_free(&sc);
	endwin();
	delscreen(scr);
	ui_state_free(&s);
	config_free(&cfg);
	return 0;
}
