/*
 * ui: the screen loop.
 *
 * The loop poll()s the terminal and a self-pipe written by the SIGWINCH
 * handler; handlers change the model and set dirty flags; the repaint step
 * draws once per pass. The panes (folder list, index, pager) are filled by
 * the UI and engine work that builds on this; until then the frame shows
 * the account it would open.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quire/ui.h"
#include "quire/util.h"

#define MIN_COLS 20
#define MIN_ROWS 5

struct ui {
	const struct ui_args	*args;
	bool			 dirty;
	bool			 quit;
	int			 sigpipe[2];
};

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

/* Draw untrusted text through the terminal-safe function, fitted. */
static void
draw_text(int y, int x, const char *s, int cols)
{
	struct buf	 safe = BUF_INIT, fit = BUF_INIT;

	if (cols <= 0)
		return;
	safe_text(&safe, s, strlen(s), 0);
	utf8_fit(&fit, buf_str(&safe), safe.len, (size_t)cols, true);
	mvaddstr(y, x, buf_str(&fit));
	buf_free(&safe);
	buf_free(&fit);
}

static void
repaint(struct ui *ui)
{
	const struct account *acct = ui->args->acct;
	int	 rows, cols, fw, y;
	char	*line;

	erase();
	getmaxyx(stdscr, rows, cols);
	if (cols < MIN_COLS || rows < MIN_ROWS) {
		draw_text(0, 0, "too small", cols);
		refresh();
		return;
	}
	fw = ui->args->cfg->opt.folder_width;
	if (fw > cols / 2)
		fw = cols / 2;
	for (y = 0; y < rows - 1; y++)
		mvaddch(y, fw, ACS_VLINE);
	draw_text(0, 0, "Folders", fw);
	draw_text(0, fw + 1, "Index", cols - fw - 1);
	line = xasprintf("%s: %s on %s:%d - the mail engine is not built "
	    "yet; q quits", acct->name, acct->user != NULL ? acct->user : "",
	    acct->host, acct->port);
	attron(A_REVERSE);
	draw_text(rows - 1, 0, line, cols);
	attroff(A_REVERSE);
	free(line);
	refresh();
}

static void
handle_key(struct ui *ui, int ch)
{
	switch (ch) {
	case 'q':
		ui->quit = true;
		break;
	case 12:	/* Ctrl-L */
		clearok(stdscr, TRUE);
		ui->dirty = true;
		break;
	case KEY_RESIZE:
		ui->dirty = true;
		break;
	}
}

static int
loop(struct ui *ui)
{
	struct pollfd	 pfd[2];
	char		 drain[64];
	int		 ch;

	while (!ui->quit) {
		if (ui->dirty) {
			repaint(ui);
			ui->dirty = false;
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = ui->sigpipe[0];
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_error("poll: %s", strerror(errno));
			return 1;
		}
		if (pfd[1].revents & POLLIN) {
			while (read(ui->sigpipe[0], drain, sizeof drain) > 0)
				;
			endwin();
			refresh();
			ui->dirty = true;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR))
			return 1;
		while ((ch = getch()) != ERR)
			handle_key(ui, ch);
	}
	return 0;
}

int
ui_run(const struct ui_args *args)
{
	struct ui		 ui;
	struct sigaction	 sa;
	int			 status;

	memset(&ui, 0, sizeof ui);
	ui.args = args;
	ui.dirty = true;
	if (pipe2(ui.sigpipe, O_NONBLOCK | O_CLOEXEC) == -1) {
		log_error("pipe2: %s", strerror(errno));
		return 1;
	}
	winch_fd = ui.sigpipe[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_winch;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);

	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);

	status = loop(&ui);

	endwin();
	winch_fd = -1;
	close(ui.sigpipe[0]);
	close(ui.sigpipe[1]);
	return status;
}
