/*
 * password: the password option, or the first line password_cmd prints.
 *
 * The command runs under /bin/sh -c in a process group of its own, stdin
 * from /dev/null, stdout and stderr into pipes. We wait for the shell to
 * exit, not for the pipes to close: a command that leaves a background
 * process holding stdout must not hang us. Past password_cmd_timeout the
 * whole group gets SIGKILL. The password exists only in a buffer that is
 * wiped and in the string handed to the caller; it never reaches the log
 * or an error message. What the command printed on stderr goes into the
 * error text, shortened and with control characters removed.
 *
 * Errors point where a config mistake would: an account read from a file
 * gets "FILE:LINE: " of its password_cmd line first and what to do there
 * last, as every other error in the file does. An account made in code
 * has no line to point at, and gets neither.
 */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config_priv.h"

#define PW_MAX		4096	/* longest password line */
#define STDERR_MAX	200	/* bytes of stderr kept for the error */
#define POLL_MS		20	/* how often to look for the shell's exit */

struct run {
	const struct account	*acct;
	pid_t			 pid;
	int			 out;		/* stdout pipe, -1 once closed */
	int			 err;		/* stderr pipe, -1 once closed */
	char			 line[PW_MAX];
	size_t			 linelen;
	bool			 line_done;	/* a newline, or too long */
	bool			 too_long;
	char			 errtext[STDERR_MAX];
	size_t			 errlen;
	int			 status;
};

/* What to do, after each kind of failure. */
#define TODO_RUN	"run the command in a shell to see why it fails, " \
			"and fix it there"
#define TODO_EMPTY	"fix the command so that its first line is the " \
			"password"
#define TODO_SLOW	"run the command in a shell to see where it waits, " \
			"or raise password_cmd_timeout"
#define TODO_SYSTEM	"try again once the system has more processes or " \
			"files to spare"

static void fail(const struct account *acct, int line, const char *todo,
    char **errp, const char *fmt, ...) QUIRE_PRINTF(5, 6);

/* Set *errp to the text, after "FILE:LINE: " and followed by "; todo" (if
 * any) when the account came from a file; line 0 is the password_cmd line.
 * Texts that say what to do themselves have no todo. */
static void
fail(const struct account *acct, int line, const char *todo, char **errp,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*what;

	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	if (line == 0)
		line = acct->password_cmd_line;
	if (acct->file == NULL || line <= 0)
		*errp = what;
	else {
		*errp = xasprintf("%s:%d: %s%s%s", acct->file, line, what,
		    todo != NULL ? "; " : "", todo != NULL ? todo : "");
		free(what);
	}
}

static void
wipe(void *p, size_t n)
{
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(p, n);
#else
	volatile char	*v = p;

	while (n-- > 0)
		*v++ = '\0';
#endif
}

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the child: only async-signal-safe calls until exec. */
static void
child(const char *cmd, int out, int err)
{
	struct sigaction	 sa;
	sigset_t		 none;
	int			 null;

	setpgid(0, 0);
	if ((null = open("/dev/null", O_RDONLY)) == -1 ||
	    dup2(null, STDIN_FILENO) == -1 || dup2(out, STDOUT_FILENO) == -1 ||
	    dup2(err, STDERR_FILENO) == -1)
		_exit(126);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Start the command with its output into non-blocking pipes. */
static int
spawn(struct run *r, char **errp)
{
	int	 out[2], err[2];

	if (pipe2(out, O_CLOEXEC) == -1)
		goto fail;
	if (pipe2(err, O_CLOEXEC) == -1) {
		close(out[0]);
		close(out[1]);
		goto fail;
	}
	/* Only our ends: a command whose stdout is non-blocking fails its
	 * writes with EAGAIN whenever the pipe is full. */
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	if ((r->pid = fork()) == -1) {
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		goto fail;
	}
	if (r->pid == 0)
		child(r->acct->password_cmd, out[1], err[1]);
	setpgid(r->pid, r->pid);	/* also here: no race with kill() */
	close(out[1]);
	close(err[1]);
	r->out = out[0];
	r->err = err[0];
	return 0;
fail:
	fail(r->acct, 0, TODO_SYSTEM, errp, "cannot run password_cmd for "
	    "account '%s': %s", r->acct->name, strerror(errno));
	return -1;
}

/* Keep the first line of stdout; read and drop the rest. */
static void
take_out(struct run *r, const char *p, size_t n)
{
	for (; n > 0 && !r->line_done; p++, n--) {
		if (*p == '\n')
			r->line_done = true;
		else if (r->linelen == sizeof r->line)
			r->line_done = r->too_long = true;
		else
			r->line[r->linelen++] = *p;
	}
}

static void
take_err(struct run *r, const char *p, size_t n)
{
	if (n > sizeof r->errtext - r->errlen)
		n = sizeof r->errtext - r->errlen;
	memcpy(r->errtext + r->errlen, p, n);
	r->errlen += n;
}

/* Read what one pipe has now; close it at EOF. */
static void
drain(struct run *r, int *fd)
{
	char	 tmp[1024];
	ssize_t	 n;

	while (*fd != -1) {
		n = read(*fd, tmp, sizeof tmp);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;		/* EAGAIN: nothing more for now */
		if (n == 0) {
			close(*fd);
			*fd = -1;
			break;
		}
		if (fd == &r->out)
			take_out(r, tmp, (size_t)n);
		else
			take_err(r, tmp, (size_t)n);
	}
	wipe(tmp, sizeof tmp);
}

/* Wait for the shell to exit, reading as we go; -1 on timeout. */
static int
wait_exit(struct run *r)
{
	int64_t		 deadline, left;
	struct pollfd	 pfd[2];
	pid_t		 pid;

	deadline = now_ms() + (int64_t)r->acct->password_cmd_timeout * 1000;
	for (;;) {
		if ((pid = waitpid(r->pid, &r->status, WNOHANG)) == r->pid ||
		    (pid == -1 && errno == ECHILD)) {
			/* ECHILD: SIGCHLD is ignored and the child reaped. */
			drain(r, &r->out);
			drain(r, &r->err);
			return 0;
		}
		if ((left = deadline - now_ms()) <= 0)
			break;
		pfd[0] = (struct pollfd){ r->out, POLLIN, 0 };
		pfd[1] = (struct pollfd){ r->err, POLLIN, 0 };
		if (poll(pfd, 2, left < POLL_MS ? (int)left : POLL_MS) > 0) {
			drain(r, &r->out);
			drain(r, &r->err);
		}
	}
	kill(-r->pid, SIGKILL);
	while (waitpid(r->pid, &r->status, 0) == -1 && errno == EINTR)
		continue;
	return -1;
}

/* What the command said on stderr, safe to show: ": text" or "". */
static char *
stderr_text(const struct run *r)
{
	char	 clean[STDERR_MAX + 1], *safe, *s;
	size_t	 i, n = 0;

	for (i = 0; i < r->errlen; i++) {
		unsigned char c = (unsigned char)r->errtext[i];

		if (c == '\n' || c == '\r' || c == '\t')
			clean[n++] = ' ';
		else if (c >= 0x20 && c != 0x7f)
			clean[n++] = (char)c;
	}
	clean[n] = '\0';
	safe = safe_strdup(clean, n, NULL);
	str_trim(safe);
	s = *safe != '\0' ? xasprintf(": %s", safe) : xstrdup("");
	free(safe);
	return s;
}

/* Turn a finished run into the password or an error. */
static int
result(struct run *r, char **out, char **errp)
{
	const char	*name = r->acct->name;
	char		*why = stderr_text(r);
	int		 rc = -1;

	while (r->linelen > 0 && r->line[r->linelen - 1] == '\r')
		r->linelen--;
	if (WIFSIGNALED(r->status))
		fail(r->acct, 0, TODO_RUN, errp, "password_cmd for account "
		    "'%s' was killed by signal %d%s", name,
		    WTERMSIG(r->status), why);
	else if (WEXITSTATUS(r->status) != 0)
		fail(r->acct, 0, TODO_RUN, errp, "password_cmd for account "
		    "'%s' exited with status %d%s", name,
		    WEXITSTATUS(r->status), why);
	else if (r->too_long)
		fail(r->acct, 0, NULL, errp, "password_cmd for account '%s' "
		    "printed a line longer than %d bytes; print only the "
		    "password", name, PW_MAX);
	else if (r->linelen == 0 || memchr(r->line, '\0', r->linelen) != NULL)
		fail(r->acct, 0, TODO_EMPTY, errp, "password_cmd for account "
		    "'%s' printed no password%s", name, why);
	else {
		*out = xmemdup(r->line, r->linelen);
		rc = 0;
	}
	free(why);
	return rc;
}

/* The password for acct; see config.h. */
int
config_password(const struct account *acct, char **out, char **err)
{
	struct run	*r;
	int		 rc = -1;

	*out = NULL;
	if (acct->password != NULL) {
		*out = xstrdup(acct->password);
		return 0;
	}
	if (acct->password_cmd == NULL) {
		fail(acct, acct->line, NULL, err, "account '%s' has no "
		    "password and no password_cmd; add password_cmd to its "
		    "section", acct->name);
		return -1;
	}
	r = xcalloc(1, sizeof *r);
	r->acct = acct;
	r->out = r->err = -1;
	if (spawn(r, err) == 0) {
		if (wait_exit(r) == 0)
			rc = result(r, out, err);
		else
			fail(acct, 0, TODO_SLOW, err, "password_cmd for account "
			    "'%s' did not finish within %d s", acct->name,
			    acct->password_cmd_timeout);
	}
	if (r->out != -1)
		close(r->out);
	if (r->err != -1)
		close(r->err);
	wipe(r, sizeof *r);
	free(r);
	return rc;
}
