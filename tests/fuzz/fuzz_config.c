/*
 * libFuzzer target: the configuration file (src/config).
 *
 * The bytes are a whole file, read twice: through config_load() from a
 * memfd (so NUL bytes and the size cap are seen as a real file shows them;
 * the memfd is group-readable, so the "password in a shared file" check
 * runs) and through config_parse_string() up to the first NUL, as a
 * private file. The result then goes through the --check-config report
 * and the key binding lookups.
 *
 * Nothing here may run a command. Parsing never does: password_cmd is run
 * only by config_password(), which this target never calls, so
 * src/config/password.o is not even linked in (tests/fuzz/more.mk checks
 * that the binary holds no config_password). As a second guard, fork(),
 * vfork(), execve(), execv(), execl(), execvp(), posix_spawn(), system()
 * and popen() are defined here to abort: the binary's own definitions
 * come first, so any call from the config code would be a finding. The
 * price: libFuzzer's own -merge, -fork and -minimize_crash, which run
 * commands, abort here too; replay a crash with the file as argument.
 *
 * The promises checked: a config always comes back; the errors are in
 * line order with the whole-file ones last, each with a message; the
 * report's status is 0 exactly when there is no error; an account has a
 * name and a port in range; the first account is found exactly when there
 * is one; every effective binding is what a lookup of its key gives, once
 * per key, and its key name parses back to the same key; colours are in
 * range. A broken promise aborts, so the fuzzer reports it.
 */
#include "config.h"

#include <limits.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quire/config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int	 cfg_fd = -1;
static char	 cfg_path[64];

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* ---- the guard: no process may start from here ---- */

pid_t
fork(void)
{
	abort();
}

pid_t
vfork(void)
{
	abort();
}

int
execve(const char *path, char *const argv[], char *const envp[])
{
	abort();
}

int
execv(const char *path, char *const argv[])
{
	abort();
}

int
execvp(const char *file, char *const argv[])
{
	abort();
}

int
execl(const char *path, const char *arg, ...)
{
	abort();
}

int
posix_spawn(pid_t *pid, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char *const envp[])
{
	abort();
}

int
system(const char *command)
{
	abort();
}

FILE *
popen(const char *command, const char *type)
{
	abort();
}

/* ---- the checks ---- */

/* In line order, the whole-file errors (line 0) last. */
static void
check_errors(const struct config *cfg)
{
	size_t	 i;
	long	 prev = 0, rank;

	for (i = 0; i < cfg->nerrors; i++) {
		check(cfg->errors[i].msg != NULL && cfg->errors[i].msg[0] != '\0');
		check(cfg->errors[i].line >= 0);
		rank = cfg->errors[i].line == 0 ? LONG_MAX : cfg->errors[i].line;
		check(rank >= prev);
		prev = rank;
	}
}

static void
check_accounts(const struct config *cfg)
{
	const struct account	*a;
	char			*err = NULL;
	size_t			 i;

	for (i = 0; i < cfg->naccounts; i++) {
		a = cfg->accounts[i];
		check(a->name != NULL && a->name[0] != '\0');
		check(a->port >= 1 && a->port <= 65535);
		check(config_account(cfg, a->name, &err) != NULL);
	}
	a = config_account(cfg, NULL, &err);
	check((a != NULL) == (cfg->naccounts > 0));
	if (a == NULL) {
		check(err != NULL);
		free(err);
	}
}

/* A key's name parses back to the key. */
static void
check_key_name(uint32_t key)
{
	struct buf	 name = BUF_INIT;
	uint32_t	 again = 0;

	config_key_name(key, &name);
	buf_addstr(&name, "");
	check(config_parse_key(name.data, &again) && again == key);
	buf_free(&name);
}

static void
check_bindings(const struct config *cfg)
{
	struct binding	*b;
	size_t		 i, j, n;
	int		 v;

	for (v = 0; v < VIEW_COUNT; v++) {
		b = config_bindings(cfg, (enum view)v, &n);
		for (i = 0; i < n; i++) {
			check(b[i].op > OP_NONE && b[i].op < OP_COUNT);
			check(config_lookup_key(cfg, (enum view)v,
			    b[i].key) == b[i].op);
			for (j = 0; j < i; j++)
				check(b[j].key != b[i].key);
		}
		free(b);
	}
	for (i = 0; i < cfg->nbindings; i++) {
		check(cfg->bindings[i].view < VIEW_COUNT);
		check(cfg->bindings[i].op < OP_COUNT);
		check_key_name(cfg->bindings[i].key);
	}
}

static void
check_colors(const struct config *cfg)
{
	size_t	 i;

	for (i = 0; i < CE_COUNT; i++) {
		check(cfg->colors[i].fg >= COLOR_DEFAULT &&
		    cfg->colors[i].fg <= 255);
		check(cfg->colors[i].bg >= COLOR_DEFAULT &&
		    cfg->colors[i].bg <= 255);
	}
}

static void
check_config(struct config *cfg)
{
	struct buf	 report = BUF_INIT;
	int		 rc;

	check(cfg != NULL);
	check_errors(cfg);
	check_accounts(cfg);
	check_bindings(cfg);
	check_colors(cfg);
	rc = config_report(cfg, &report);
	check(rc == (cfg->nerrors == 0 ? 0 : 3));
	buf_free(&report);
	config_free(&cfg);
	check(cfg == NULL);
}

/* One memfd for the whole run, rewritten for every input. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* Paths in the file expand ~ against this, never the real home. */
	setenv("HOME", "/nonexistent/quire-fuzz", 1);
	if ((cfg_fd = memfd_create("quire-fuzz-config", MFD_CLOEXEC)) == -1 ||
	    fchmod(cfg_fd, 0640) == -1)
		abort();
	snprintf(cfg_path, sizeof cfg_path, "/proc/self/fd/%d", cfg_fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text;

	check(ftruncate(cfg_fd, 0) == 0);
	check(size == 0 || pwrite(cfg_fd, data, size, 0) == (ssize_t)size);
	check_config(config_load(cfg_path, true));

	text = malloc(size + 1);
	check(text != NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	check_config(config_parse_string(text, "fuzz.conf"));
	free(text);
	return 0;
}
