/*
 * main: the wiring. Parse the command line, read the configuration, open
 * the log, pick the account, then hand over to the interface. This is the
 * only file that may hold process-wide state.
 *
 * Exit status: 0 success; 1 a failure at run time; 2 a command-line
 * mistake; 3 a configuration mistake (quire.1, EXIT STATUS).
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quire/config.h"
#include "quire/imap.h"
#include "quire/ui.h"
#include "quire/util.h"

#define EXIT_RUNTIME	1
#define EXIT_USAGE	2
#define EXIT_CONFIG	3

enum {
	OPT_CHECK_CONFIG = 0x100,
	OPT_CHECK_ACCOUNT,
	OPT_OFFLINE,
};

struct args {
	const char	*config;
	const char	*account;
	const char	*logfile;
	const char	*folder;
	bool		 offline;
	bool		 check_config;
	bool		 check_account;
};

static const struct option long_options[] = {
	{ "config",		required_argument,	NULL, 'c' },
	{ "account",		required_argument,	NULL, 'a' },
	{ "debug-log",		required_argument,	NULL, 'd' },
	{ "offline",		no_argument,		NULL, OPT_OFFLINE },
	{ "check-config",	no_argument,		NULL, OPT_CHECK_CONFIG },
	{ "check-account",	optional_argument,	NULL, OPT_CHECK_ACCOUNT },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fputs(
"usage: quire [-c FILE] [-a ACCOUNT] [-d LOGFILE] [--offline] [FOLDER]\n"
"       quire --check-config [-c FILE] [-a ACCOUNT]\n"
"       quire --check-account [-c FILE] [-d LOGFILE] [-a ACCOUNT | ACCOUNT]\n"
"       quire --help | --version\n"
"\n"
"An interactive terminal mail reader for IMAP.\n"
"\n"
"  -c, --config FILE       read FILE instead of ~/.config/quire/config\n"
"  -a, --account ACCOUNT   use the [account ACCOUNT] section (default: the first)\n"
"  -d, --debug-log FILE    write a debug log, with the protocol trace, to FILE\n"
"      --offline           do not connect; work from the cache\n"
"      --check-config      read the configuration, report on it, and exit\n"
"      --check-account [ACCOUNT]\n"
"                          connect, log in, list the server's capabilities\n"
"                          and folders, and exit\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"  FOLDER                  the folder to open first (default: INBOX)\n"
"\n"
"Exit status: 0 success, 1 run-time failure, 2 command-line mistake,\n"
"3 configuration mistake. See quire(1) and quire.conf(5).\n", f);
}

/* -a, --check-account=NAME and --check-account NAME all name the account;
 * two different names are a mistake. */
static int
set_account(struct args *a, const char *name)
{
	if (a->account != NULL && strcmp(a->account, name) != 0) {
		fprintf(stderr, "quire: two accounts named: %s and %s\n",
		    a->account, name);
		return -1;
	}
	a->account = name;
	return 0;
}

/* What may follow --check-account: one account name, no other mode. */
static int
parse_check_account(int argc, char **argv, struct args *a)
{
	if (a->check_config || a->offline) {
		fprintf(stderr, "quire: --check-account goes alone, without "
		    "--check-config or --offline\n");
		usage(stderr);
		return -1;
	}
	if (argc - optind > 1) {
		fprintf(stderr, "quire: --check-account checks one account\n");
		usage(stderr);
		return -1;
	}
	if (optind < argc)
		return set_account(a, argv[optind]);
	return 0;
}

static int
parse_args(int argc, char **argv, struct args *a)
{
	int	 c;

	memset(a, 0, sizeof *a);
	while ((c = getopt_long(argc, argv, "c:a:d:hV", long_options,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			a->config = optarg;
			break;
		case 'a':
			if (set_account(a, optarg) == -1)
				return -1;
			break;
		case 'd':
			a->logfile = optarg;
			break;
		case OPT_OFFLINE:
			a->offline = true;
			break;
		case OPT_CHECK_CONFIG:
			a->check_config = true;
			break;
		case OPT_CHECK_ACCOUNT:
			a->check_account = true;
			if (optarg != NULL && set_account(a, optarg) == -1)
				return -1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("quire %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (a->check_account)
		return parse_check_account(argc, argv, a);
	if (argc - optind > 1) {
		fprintf(stderr, "quire: one folder at most, got %d\n",
		    argc - optind);
		usage(stderr);
		return -1;
	}
	if (optind < argc) {
		a->folder = argv[optind];
		if (*a->folder == '\0' ||
		    str_has_crlfnul(a->folder, strlen(a->folder))) {
			fprintf(stderr, "quire: the folder name is empty or "
			    "holds a line break\n");
			return -1;
		}
	}
	return 0;
}

static void
print_errors(const struct config *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->nerrors; i++) {
		const struct config_error *e = &cfg->errors[i];

		if (e->line > 0)
			fprintf(stderr, "%s:%d: %s\n", e->file, e->line, e->msg);
		else
			fprintf(stderr, "%s: %s\n", e->file, e->msg);
	}
}

static int
check_config(const struct config *cfg, const char *account)
{
	struct buf	 out = BUF_INIT;
	const struct account *acct;
	char		*err = NULL;
	int		 status;

	status = config_report(cfg, &out);
	fputs(buf_str(&out), status == 0 ? stdout : stderr);
	buf_free(&out);
	if (status == 0 && account != NULL &&
	    (acct = config_account(cfg, account, &err)) == NULL) {
		fprintf(stderr, "quire: %s\n", err);
		free(err);
		status = EXIT_CONFIG;
	}
	return status;
}

/* quire --check-account: connect, log in, report. Needs no terminal. */
static int
check_account(const struct config *cfg, const char *account)
{
	const struct account	*acct;
	struct buf		 out = BUF_INIT;
	char			*pw = NULL, *err = NULL;
	int			 rc;

	if (cfg->nerrors > 0) {
		print_errors(cfg);
		return EXIT_CONFIG;
	}
	if ((acct = config_account(cfg, account, &err)) == NULL) {
		fprintf(stderr, "quire: %s\n", err);
		free(err);
		return EXIT_CONFIG;
	}
	if (config_password(acct, &pw, &err) != 0) {
		fprintf(stderr, "quire: %s\n", err);
		free(err);
		return EXIT_RUNTIME;
	}
	rc = imap_check_account(cfg, acct, pw, &out, &err);
	xfree_secret(pw);
	fputs(buf_str(&out), stdout);
	fflush(stdout);
	buf_free(&out);
	if (rc != 0) {
		fprintf(stderr, "quire: account %s: %s\n", acct->name, err);
		free(err);
		return EXIT_RUNTIME;
	}
	return 0;
}

/* Start the account's session (unless offline), then hand the terminal to
 * the interface; the password is fetched first, while the terminal is
 * still the shell's, so a password manager can prompt on it. */
static int
run(const struct config *cfg, const struct args *a)
{
	struct ui_args		 ua;
	struct session_opts	 so;
	struct session		*s = NULL;
	char			*pw = NULL, *err = NULL;
	int			 status;

	memset(&ua, 0, sizeof ua);
	ua.cfg = cfg;
	ua.folder = a->folder;
	ua.offline = a->offline;
	if ((ua.acct = config_account(cfg, a->account, &err)) == NULL) {
		fprintf(stderr, "quire: %s\n", err);
		free(err);
		return EXIT_CONFIG;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "quire: needs a terminal; for a check without "
		    "one, use quire --check-config or --check-account\n");
		return EXIT_RUNTIME;
	}
	if (!a->offline) {
		if (config_password(ua.acct, &pw, &err) != 0) {
			fprintf(stderr, "quire: %s\n", err);
			free(err);
			return EXIT_RUNTIME;
		}
		memset(&so, 0, sizeof so);
		so.cfg = cfg;
		so.acct = ua.acct;
		so.password = pw;
		if ((s = session_start(&so, &err)) == NULL) {
			xfree_secret(so.password);
			fprintf(stderr, "quire: %s\n", err);
			free(err);
			return EXIT_RUNTIME;
		}
	}
	ua.session = s;
	status = ui_run(&ua);
	session_stop(&s);
	return status;
}

int
main(int argc, char **argv)
{
	struct args	 a;
	struct config	*cfg;
	char		*path = NULL, *err = NULL;
	int		 status;

	setlocale(LC_ALL, "");
	if (parse_args(argc, argv, &a) != 0)
		return EXIT_USAGE;

	if (a.logfile != NULL && log_open(a.logfile, LL_TRACE, &err) != 0) {
		fprintf(stderr, "quire: %s\n", err);
		free(err);
		return EXIT_USAGE;
	}
	log_info("quire %s starting", PACKAGE_VERSION);

	if (a.config == NULL)
		path = config_default_path();
	cfg = config_load(a.config != NULL ? a.config : path,
	    a.config != NULL);
	free(path);

	if (a.check_config || a.check_account) {
		status = a.check_config ? check_config(cfg, a.account) :
		    check_account(cfg, a.account);
		config_free(&cfg);
		log_close();
		return status;
	}
	if (cfg->nerrors > 0) {
		print_errors(cfg);
		fprintf(stderr, "quire: fix the configuration (see "
		    "quire.conf(5)), or check it with quire --check-config\n");
		config_free(&cfg);
		log_close();
		return EXIT_CONFIG;
	}

	status = run(cfg, &a);
	log_info("quire exiting with status %d", status);
	config_free(&cfg);
	log_close();
	return status;
}
