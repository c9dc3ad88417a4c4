/*
 * extern: the programs the pager runs.
 *
 * Two ways to run one. A filter (html_filter) gets the text on stdin and
 * no terminal: it runs under /bin/sh -c in a process group of its own,
 * its output is read beside the writes with poll() so neither side can
 * block the other, and past the time limit the whole group is killed. Its
 * output is only text: it is made safe like any message text before it
 * is drawn. A viewer or a pipe command gets the terminal: curses lets go
 * of it (endwin), the command runs in the foreground with quire waiting
 * and ignoring SIGINT and SIGQUIT as a shell would, and curses takes the
 * screen back after. This is the one file besides draw.c and ui.c that
 * calls curses, for that handover alone.
 *
 * Mailcap (RFC 1524): ~/.mailcap, then /etc/mailcap; the first entry for
 * type/subtype or type/"*" (or a bare type) that has no test= wins. The
 * file path replaces %s quoted, so a mailcap line cannot be made to run
 * something else by the name of an attachment (which is also reduced to
 * letters, digits, '.', '-' and '_' before it gets that far).
 */
#include "config.h"

#include <sys/wait.h>

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "pager.h"

#define MAILCAP_LINE_MAX	8192

static int64_t
ext_clock(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- filters ---- */

static pid_t
filter_spawn(const char *cmd, int *in, int *out)
{
	int	 pin[2], pout[2], nul;
	pid_t	 pid;

	if (pipe2(pin, O_CLOEXEC) == -1)
		return -1;
	if (pipe2(pout, O_CLOEXEC) == -1) {
		close(pin[0]);
		close(pin[1]);
		return -1;
	}
	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		nul = open("/dev/null", O_WRONLY);
		dup2(pin[0], STDIN_FILENO);
		dup2(pout[1], STDOUT_FILENO);
		if (nul != -1)
			dup2(nul, STDERR_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pin[0]);
	close(pout[1]);
	if (pid == -1) {
		close(pin[1]);
		close(pout[0]);
		return -1;
	}
	setpgid(pid, pid);
	*in = pin[1];
	*out = pout[0];
	fcntl(*in, F_SETFL, O_NONBLOCK);
	fcntl(*out, F_SETFL, O_NONBLOCK);
	return pid;
}

/* Feed and drain until the output ends or the time runs out; closes
 * both pipes. */
static bool
filter_pump(int in, int out, const char *s, size_t n, int64_t deadline,
    size_t max, struct buf *b)
{
	struct pollfd	 p[2];
	char		 chunk[16384];
	size_t		 done = 0;
	ssize_t		 r;
	int64_t		 left;
	bool		 ok = true;

	while (out != -1) {
		if ((left = deadline - ext_clock()) <= 0) {
			ok = false;
			break;
		}
		p[0] = (struct pollfd){ in, POLLOUT, 0 };
		p[1] = (struct pollfd){ out, POLLIN, 0 };
		if (poll(p, 2, (int)left) == -1 && errno != EINTR) {
			ok = false;
			break;
		}
		if (in != -1 && (p[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
			r = write(in, s + done, n - done);
			if (r > 0)
				done += (size_t)r;
			if ((r == -1 && errno != EAGAIN && errno != EINTR) ||
			    done == n) {
				close(in);
				in = -1;
			}
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			r = read(out, chunk, sizeof chunk);
			if (r > 0 && b->len < max)
				buf_add(b, chunk, b->len + (size_t)r > max ?
				    max - b->len : (size_t)r);
			if (r == 0 || (r == -1 && errno != EAGAIN &&
			    errno != EINTR)) {
				close(out);
				out = -1;
			}
		}
	}
	if (in != -1)
		close(in);
	if (out != -1)
		close(out);
	return ok;
}

int
extern_filter(const char *cmd, const char *in, size_t n, int timeout_ms,
    size_t max, struct buf *out)
{
	struct sigaction sa, old;
	int64_t		 deadline = ext_clock() + timeout_ms;
	int		 fin, fout, st = -1;
	pid_t		 pid;
	bool		 ok;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old);
	if ((pid = filter_spawn(cmd, &fin, &fout)) == -1) {
		sigaction(SIGPIPE, &old, NULL);
		return -1;
	}
	ok = filter_pump(fin, fout, in, n, deadline, max, out);
	if (!ok) {
		log_info("html_filter: no answer within %d ms; killed",
		    timeout_ms);
		kill(-pid, SIGKILL);
	}
	/* The output ended; the shell may still be finishing. */
	while (waitpid(pid, &st, ok ? WNOHANG : 0) == 0) {
		if (ext_clock() >= deadline) {
			kill(-pid, SIGKILL);
			ok = false;
			waitpid(pid, &st, 0);
			break;
		}
		usleep(5000);
	}
	sigaction(SIGPIPE, &old, NULL);
	return ok && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* ---- the terminal to a child ---- */

/* Wait for Enter on the terminal, in its normal (cooked) mode. */
static void
wait_enter(void)
{
	char	 c;
	ssize_t	 r;
	int	 fd = open("/dev/tty", O_RDONLY | O_CLOEXEC);

	fputs("\n[press Enter to return to quire]", stdout);
	fflush(stdout);
	if (fd == -1)
		return;
	while ((r = read(fd, &c, 1)) == 1 && c != '\n' && c != '\r')
		;
	close(fd);
}

int
extern_run(const char *cmd, const char *in, size_t n, bool pause,
    const char **why)
{
	struct sigaction sa, oint, oquit, opipe;
	int		 p[2] = { -1, -1 }, st = 0;
	size_t		 done = 0;
	ssize_t		 r;
	pid_t		 pid;

	if (in != NULL && pipe2(p, O_CLOEXEC) == -1) {
		*why = "no pipe";
		return -1;
	}
	def_prog_mode();
	endwin();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGQUIT, &sa, &oquit);
	sigaction(SIGPIPE, &sa, &opipe);
	if ((pid = fork()) == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (p[0] != -1)
			dup2(p[0], STDIN_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (p[0] != -1)
		close(p[0]);
	/* A command that stops reading ends the write (EPIPE). */
	while (pid != -1 && p[1] != -1 && done < n) {
		if ((r = write(p[1], in + done, n - done)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		done += (size_t)r;
	}
	if (p[1] != -1)
		close(p[1]);
	while (pid != -1 && waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (pid != -1 && pause)
		wait_enter();
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	sigaction(SIGPIPE, &opipe, NULL);
	reset_prog_mode();
	refresh();
	if (pid == -1) {
		*why = "fork failed";
		return -1;
	}
	return st;
}

/* ---- mailcap ---- */

/* The next field of a mailcap line (';' ends it, "\;" does not), trimmed,
 * into out; false at the end of the line. */
static bool
mc_field(const char **pp, struct buf *out)
{
	const char	*p = *pp;

	buf_reset(out);
	buf_add(out, "", 0);
	if (*p == '\0')
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p != '\0' && *p != ';'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			if (p[1] != ';')
				buf_addch(out, *p);
			p++;
		}
		buf_addch(out, *p);
	}
	while (out->len > 0 && (out->data[out->len - 1] == ' ' ||
	    out->data[out->len - 1] == '\t'))
		out->data[--out->len] = '\0';
	*pp = *p == ';' ? p + 1 : p;
	return true;
}

static bool
mc_type_match(const char *want, const char *type)
{
	const char	*slash = strchr(type, '/');
	size_t		 n;

	if (strcasecmp(want, type) == 0)
		return true;
	n = slash != NULL ? (size_t)(slash - type) : strlen(type);
	if (strncasecmp(want, type, n) != 0 || want[n] != '/')
		return false;
	return slash == NULL || strcmp(slash, "/*") == 0;
}

/* One logical line (backslash-newline joins) into line; false at EOF. */
static bool
mc_line(FILE *f, struct buf *line)
{
	char	 chunk[MAILCAP_LINE_MAX];
	size_t	 n;

	buf_reset(line);
	while (fgets(chunk, sizeof chunk, f) != NULL) {
		n = strlen(chunk);
		while (n > 0 && (chunk[n - 1] == '\n' || chunk[n - 1] == '\r'))
			n--;
		if (n > 0 && chunk[n - 1] == '\\') {
			buf_add(line, chunk, n - 1);
			continue;
		}
		buf_add(line, chunk, n);
		return true;
	}
	return line->len > 0;
}

static char *
mc_search(const char *path, const char *type, unsigned *flags)
{
	struct buf	 line = BUF_INIT, f = BUF_INIT, view = BUF_INIT;
	const char	*p;
	char		*found = NULL;
	unsigned	 fl;
	bool		 tested;
	FILE		*fp;

	if ((fp = fopen(path, "re")) == NULL)
		return NULL;
	while (found == NULL && mc_line(fp, &line)) {
		buf_add(&line, "", 0);
		p = line.data;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\0' || !mc_field(&p, &f) ||
		    !mc_type_match(type, f.data) || !mc_field(&p, &view) ||
		    view.len == 0)
			continue;
		fl = 0;
		tested = false;
		while (mc_field(&p, &f)) {
			if (strcasecmp(f.data, "needsterminal") == 0)
				fl |= MAILCAP_TERMINAL;
			else if (strcasecmp(f.data, "copiousoutput") == 0)
				fl |= MAILCAP_COPIOUS;
			else if (strncasecmp(f.data, "test", 4) == 0 &&
			    strchr(f.data, '=') != NULL)
				tested = true;
		}
		/* A test= entry is for some other situation (a display);
		 * quire does not run tests. */
		if (tested)
			continue;
		found = xstrdup(view.data);
		*flags = fl;
	}
	fclose(fp);
	buf_free(&line);
	buf_free(&f);
	buf_free(&view);
	return found;
}

char *
mailcap_find(const char *type, unsigned *flags)
{
	const char	*home = getenv("HOME");
	char		*path, *cmd = NULL;

	*flags = 0;
	if (home != NULL && *home != '\0') {
		path = xasprintf("%s/.mailcap", home);
		cmd = mc_search(path, type, flags);
		free(path);
	}
	if (cmd == NULL)
		cmd = mc_search("/etc/mailcap", type, flags);
	return cmd;
}

static void
shell_quote(struct buf *out, const char *s)
{
	buf_addch(out, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_addstr(out, "'\\''");
		else
			buf_addch(out, *s);
	}
	buf_addch(out, '\'');
}

char *
mailcap_expand(const char *cmd, const char *path, const char *type,
    bool *has_file)
{
	struct buf	 out = BUF_INIT;
	const char	*p, *e;

	*has_file = false;
	for (p = cmd; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '\0') {
			buf_addch(&out, *p);
			continue;
		}
		p++;
		if (*p == 's') {
			shell_quote(&out, path);
			*has_file = true;
		} else if (*p == 't')
			shell_quote(&out, type);
		else if (*p == '{' && (e = strchr(p, '}')) != NULL)
			p = e;		/* parameters: left out */
		else
			buf_addch(&out, *p);
	}
	buf_add(&out, "", 0);
	return buf_detach(&out);
}
