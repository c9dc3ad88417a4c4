/*
 * ui: the screen loop.
 *
 * One thread, one poll(): the terminal, the session's event fd and a
 * self-pipe that the SIGWINCH handler writes. Each pass drains all three:
 * keys go through the dispatch of ops.c, events into the model, a resize
 * marks the layout dirty. Handlers only change the state and set dirty
 * bits; then the commands they queued go to the session, and the screen is
 * painted once (draw.c: one doupdate per pass). The UI never touches the
 * network, the cache or libetpan: the session does, behind imap.h.
 *
 * Without a session (--offline with nothing cached, or no engine) the
 * frame still comes up with the account and "offline".
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "quire/ui.h"
#include "pager.h"
#include "ui_priv.h"

struct ui {
	const struct ui_args	*args;
	struct ui_state		 st;
	struct screen		*sc;
	int			 sigpipe[2];
};

/* The one thing a signal handler can reach: the self-pipe's write end. */
static int winch_fd = -1;

static void
on_winch(int sig)
{
	int	 saved = errno;
	char	 c = 'w';

	(void)sig;
	if (winch_fd != -1 && write(winch_fd, &c, 1) == -1) {
		/* The pipe is full: a redraw is already pending. */
	}
	errno = saved;
}

/* Hand the queued commands to the session; without one they go nowhere. */
static void
flush_outbox(struct ui *ui)
{
	struct ptrarray	*out = &ui->st.m.outbox;
	struct imap_cmd	*cmd;
	size_t		 i;

	for (i = 0; i < out->len; i++) {
		cmd = out->items[i];
		if (ui->args->session != NULL)
			session_send(ui->args->session, cmd);
		else
			imap_cmd_free(&cmd);
	}
	out->len = 0;
}

static void
handle_mouse(struct ui *ui)
{
	MEVENT		 me;
	enum pane	 pane;
	size_t		 line;

	if (getmouse(&me) != OK)
		return;
	if (!screen_hit(ui->sc, me.y, me.x, &pane, &line)) {
		if (ui->st.mode == MODE_HELP && (me.bstate & (BUTTON4_PRESSED |
		    BUTTON5_PRESSED)))
			ui_wheel(&ui->st, PANE_INDEX,
			    (me.bstate & BUTTON4_PRESSED) ? -1 : 1);
		return;
	}
	if (me.bstate & BUTTON4_PRESSED)
		ui_wheel(&ui->st, pane, -1);
	else if (me.bstate & BUTTON5_PRESSED)
		ui_wheel(&ui->st, pane, 1);
	else if (me.bstate & BUTTON1_DOUBLE_CLICKED)
		ui_click(&ui->st, pane, line, true);
	else if (me.bstate & BUTTON1_CLICKED)
		ui_click(&ui->st, pane, line, false);
}

static void
read_keys(struct ui *ui)
{
	wint_t		 wc;
	int		 r;
	uint32_t	 key;

	while ((r = get_wch(&wc)) != ERR) {
		key = ui_key_from_curses(r == KEY_CODE_YES, (uint32_t)wc);
		if (key == UIKEY_MOUSE)
			handle_mouse(ui);
		else if (key == UIKEY_RESIZE)
			ui->st.dirty |= DIRTY_ALL;
		else if (key != 0)
			ui_key(&ui->st, key);
		if (ui->st.quit)
			break;
	}
}

static void
read_events(struct ui *ui)
{
	struct imap_event *ev;

	while ((ev = session_next_event(ui->args->session)) != NULL)
		ui_event(&ui->st, ev, time(NULL));
}

static int
loop(struct ui *ui)
{
	struct pollfd	 pfd[3];
	char		 drain[64];
	int		 wait, pw;
	int		 efd = ui->args->session != NULL ?
			    session_event_fd(ui->args->session) : -1;

	while (!ui->st.quit) {
		ui->st.dirty |= pager_sync(&ui->st);
		flush_outbox(ui);
		screen_paint(ui->sc, &ui->st, time(NULL));
		pfd[0] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
		pfd[1] = (struct pollfd){ ui->sigpipe[0], POLLIN, 0 };
		pfd[2] = (struct pollfd){ efd, POLLIN, 0 };
		/* A retry countdown on the status line ticks once a second;
		 * mark_read's delay wakes the pager. */
		wait = ui->st.m.state == CS_WAITING ? 1000 : -1;
		if ((pw = pager_timeout(&ui->st)) >= 0 && (wait < 0 || pw < wait))
			wait = pw;
		if (poll(pfd, 3, wait) == -1) {
			if (errno == EINTR)
				continue;
			log_error("poll: %s", strerror(errno));
			return 1;
		}
		if (ui->st.m.state == CS_WAITING)
			ui->st.dirty |= DIRTY_STATUS;
		if (pfd[1].revents & POLLIN) {
			while (read(ui->sigpipe[0], drain, sizeof drain) > 0)
				;
			/* Let curses learn the new size. */
			endwin();
			refresh();
			ui->st.dirty |= DIRTY_ALL;
		}
		if (pfd[2].revents & POLLIN)
			read_events(ui);
		if (pfd[0].revents & (POLLHUP | POLLERR))
			return 1;
		read_keys(ui);
	}
	flush_outbox(ui);
	return 0;
}

static void
term_start(const struct config *cfg)
{
	const char	*term = getenv("TERM");

	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	/* Keys are read through stdscr, and get_wch() refreshes it first
	 * when it changed: mark it refreshed now, or the first read would
	 * blank the panes already painted. Nothing else draws on it. */
	wnoutrefresh(stdscr);
	/* Pastes arrive wrapped, so a pasted line break is never Enter. */
	define_key("\033[200~", UI_CURSES_PASTE_START);
	define_key("\033[201~", UI_CURSES_PASTE_END);
	if (term != NULL && strcmp(term, "dumb") != 0) {
		fputs("\033[?2004h", stdout);
		fflush(stdout);
	}
	if (cfg->opt.mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED |
		    BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
}

static void
term_stop(void)
{
	const char	*term = getenv("TERM");

	mousemask(0, NULL);
	endwin();
	if (term != NULL && strcmp(term, "dumb") != 0) {
		fputs("\033[?2004l", stdout);
		fflush(stdout);
	}
}

/* What the screen shows first: the folder list and the first folder. */
static void
first_commands(struct ui *ui)
{
	const struct ui_args *a = ui->args;
	const char	*folder = a->folder;

	if (a->session == NULL) {
		ui->st.m.state = CS_OFFLINE;
		model_message(&ui->st.m, false, "%s", a->offline ?
		    "Working offline; nothing is cached yet" :
		    "Not connected: the mail engine is not running");
		return;
	}
	if (folder == NULL && a->acct != NULL)
		folder = a->acct->folder;
	model_send(&ui->st.m, imap_cmd_new(IC_LIST));
	model_select(&ui->st.m, folder != NULL ? folder : "INBOX");
}

int
ui_run(const struct ui_args *args)
{
	struct ui		 ui;
	struct sigaction	 sa;
	int			 status;

	memset(&ui, 0, sizeof ui);
	ui.args = args;
	if (pipe2(ui.sigpipe, O_NONBLOCK | O_CLOEXEC) == -1) {
		log_error("pipe2: %s", strerror(errno));
		return 1;
	}
	ui_state_init(&ui.st, args->cfg, args->acct, args->session != NULL);
	ui.st.offline = args->offline;
	first_commands(&ui);
	winch_fd = ui.sigpipe[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_winch;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);

	term_start(args->cfg);
	ui.sc = screen_new(args->cfg);
	status = loop(&ui);
	screen_free(&ui.sc);
	term_stop();

	winch_fd = -1;
	close(ui.sigpipe[0]);
	close(ui.sigpipe[1]);
	ui_state_free(&ui.st);
	return status;
}
