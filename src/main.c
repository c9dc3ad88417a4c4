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
#include "quire/store.h"
#include "quire/ui.h"
#include "quire/util.h"

#define EXIT_RUNTIME	1
#define EXIT_USAGE	2
#define EXIT_CONFIG	3

enum {
	OPT_CHECK_CONFIG = 0x100,
	OPT_CHECK_ACCOUNT,
	OPT_OFFLINE,
	OPT_CACHE_INFO,
	OPT_CACHE_CLEAR,
};

struct args {
	const char	*config;
	const char	*account;
	const char	*logfile;
	const char	*folder;
	bool		 offline;
	bool		 check_config;
	bool		 check_account;
	bool		 cache_info;
	bool		 cache_clear;
};

static const struct option long_options[] = {
	{ "config",		required_argument,	NULL, 'c' },
	{ "account",		required_argument,	NULL, 'a' },
	{ "debug-log",		required_argument,	NULL, 'd' },
	{ "offline",		no_argument,		NULL, OPT_OFFLINE },
	{ "check-config",	no_argument,		NULL, OPT_CHECK_CONFIG },
	{ "check-account",	optional_argument,	NULL, OPT_CHECK_ACCOUNT },
	{ "cache-info",		optional_argument,	NULL, OPT_CACHE_INFO },
	{ "cache-clear",	optional_argument,	NULL, OPT_CACHE_CLEAR },
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
"       quire --cache-info | --cache-clear [-c FILE] [-a ACCOUNT | ACCOUNT]\n"
"       quire --help | --version\n"
"\n"
"An interactive terminal mail reader for IMAP.\n"
"\n"
"  -c, --config FILE       read FILE instead of ~/.config/quire/config\n"
"  -a, --account ACCOUNT   use the [account ACCOUNT] section (default: the first)\n"
"  -d, --debug-log FILE    write a debug log, with the protocol trace, to FILE\n"
"      --offline           do not connect; work from the cache, and keep\n"
"                          changes for the next time online\n"
"      --check-config      read the configuration, report on it, and exit\n"
"      --check-account [ACCOUNT]\n"
"                          connect, log in, list the server's capabilities\n"
"                          and folders, and exit\n"
"      --cache-info [ACCOUNT]\n"
"                          show where the account's cache is, its size per\n"
"                          folder and how many changes wait for the server\n"
"      --cache-clear [ACCOUNT]\n"
"                          drop the cached summaries and bodies (changes not\n"
"                          yet sent are kept), and exit\n"
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

/* What may follow --check-account, --cache-info or --cache-clear: one
 * account name, no other mode. */
static int
parse_check_account(int argc, char **argv, struct args *a)
{
	const char	*mode = a->check_account ? "--check-account" :
			    a->cache_info ? "--cache-info" : "--cache-clear";

	if (a->check_config || a->offline ||
	    a->check_account + a->cache_info + a->cache_clear > 1) {
		fprintf(stderr, "quire: %s goes alone, without another mode "
		    "or --offline\n", mode);
		usage(stderr);
		return -1;
	}
	if (argc - optind > 1) {
		fprintf(stderr, "quire: %s takes one account\n", mode);
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
		case OPT_CACHE_INFO:
		case OPT_CACHE_CLEAR:
			if (c == OPT_CACHE_INFO)
				a->cache_info = true;
			else
				a->cache_clear = true;
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
	if (a->check_account || a->cache_info || a->cache_clear)
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
		/* FILE:LINE: first, as print_errors writes them. */
		fprintf(stderr, "%s\n", err);
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

/* A size for people: 512 B, 12.3 KB, 4.5 MB. */
static void
print_size(uint64_t n)
{
	static const char *const units[] = { "KB", "MB", "GB", "TB" };
	double		 v = (double)n;
	size_t		 u = 0;

	if (n < 1024) {
		printf("%llu B", (unsigned long long)n);
		return;
	}
	for (v /= 1024; v >= 1024 && u + 1 < nitems(units); u++)
		v /= 1024;
	printf("%.1f %s", v, units[u]);
}

/* The account's cache, opened as the session would (a damaged file is
 * moved aside, with a notice on stderr); NULL with a message when there
 * is none yet or it cannot be opened. */
static struct store *
cache_open_for(const struct config *cfg, const char *account, int *status)
{
	const struct account	*acct;
	struct store		*st;
	char			*path, *notice = NULL, *err = NULL;

	*status = 0;
	if (cfg->nerrors > 0) {
		print_errors(cfg);
		*status = EXIT_CONFIG;
		return NULL;
	}
	if ((acct = config_account(cfg, account, &err)) == NULL ||
	    (path = store_default_path(acct->name, &err)) == NULL) {
		fprintf(stderr, "quire: %s\n", err);
		free(err);
		*status = acct == NULL ? EXIT_CONFIG : EXIT_RUNTIME;
		return NULL;
	}
	if (access(path, F_OK) != 0) {
		printf("account %s: no cache yet (it would be %s)\n",
		    acct->name, path);
		free(path);
		return NULL;
	}
	st = store_open(path, &notice, &err);
	free(path);
	if (notice != NULL) {
		fprintf(stderr, "quire: %s\n", notice);
		free(notice);
	}
	if (st == NULL) {
		fprintf(stderr, "quire: %s\n", err);
		free(err);
		*status = EXIT_RUNTIME;
	}
	return st;
}

/* Text padded with spaces to cols display columns: a folder name may hold
 * wide or combining characters, which printf's widths count in bytes. */
static void
print_padded(const char *text, size_t cols)
{
	size_t	 w = utf8_width(text, strlen(text));

	printf("%s%*s", text, w < cols ? (int)(cols - w) : 0, "");
}

static void
print_cache_info(const struct store_info *in, const char *account)
{
	const struct store_folder_info *f;
	char		**names;
	struct buf	 name = BUF_INIT;
	size_t		 i, w, cols = 30;

	printf("account %s\ncache   %s\nsize    ", account, in->path);
	print_size(in->file_bytes + in->wal_bytes);
	printf(" (database ");
	print_size(in->file_bytes);
	printf(", write-ahead log ");
	print_size(in->wal_bytes);
	printf(")\nschema  version %d\njournal %zu change%s waiting for the "
	    "server\nbodies  ", in->schema_version, in->pending,
	    in->pending == 1 ? "" : "s");
	print_size(in->body_bytes);
	/* A folder name comes from the server: made safe to print. The
	 * first column is as wide as the widest name, so none is cut. */
	names = xcalloc(in->nfolders + 1, sizeof *names);
	for (i = 0; i < in->nfolders; i++) {
		buf_reset(&name);
		safe_text(&name, in->folders[i].name,
		    strlen(in->folders[i].name), 0);
		names[i] = xstrdup(buf_str(&name));
		if ((w = utf8_width(names[i], strlen(names[i]))) > cols)
			cols = w;
	}
	printf("\n\n");
	print_padded("folder", cols);
	printf(" %9s %10s %7s %10s %7s\n", "messages", "summaries", "bodies",
	    "body size", "journal");
	for (i = 0; i < in->nfolders; i++) {
		f = &in->folders[i];
		print_padded(names[i], cols);
		printf(" %9zu %10llu %7zu %10llu %7zu\n", f->messages,
		    (unsigned long long)f->summary_bytes, f->bodies,
		    (unsigned long long)f->body_bytes, f->pending);
		free(names[i]);
	}
	free(names);
	buf_free(&name);
}

/* quire --cache-info and --cache-clear. Clearing keeps the journal: the
 * changes in it are the user's and not yet on the server, and the store
 * keeps them with the UIDVALIDITY they are checked against. */
static int
cache_command(const struct config *cfg, const char *account, bool clear)
{
	const struct account	*acct;
	struct store_info	 in;
	struct store		*st;
	char			*err = NULL;
	int			 status;

	if ((st = cache_open_for(cfg, account, &status)) == NULL)
		return status;
	acct = config_account(cfg, account, NULL);
	memset(&in, 0, sizeof in);
	if (store_info(st, &in, &err) == -1 ||
	    (clear && store_clear(st, &err) == -1)) {
		fprintf(stderr, "quire: %s\n", err);
		free(err);
		store_info_clear(&in);
		store_close(&st);
		return EXIT_RUNTIME;
	}
	if (!clear)
		print_cache_info(&in, acct->name);
	else {
		printf("account %s: cleared the cache at %s (", acct->name,
		    in.path);
		print_size(in.file_bytes + in.wal_bytes);
		printf(" before)");
		if (in.pending > 0)
			printf("; kept the %zu change%s waiting for the server",
			    in.pending, in.pending == 1 ? "" : "s");
		printf("\n");
	}
	store_info_clear(&in);
	store_close(&st);
	return 0;
}

/* Start the account's session, then hand the terminal to the interface;
 * the password is fetched first, while the terminal is still the shell's,
 * so a password manager can prompt on it. --offline needs no password:
 * its session works from the cache and never connects. */
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
	if (!a->offline && config_password(ua.acct, &pw, &err) != 0) {
		fprintf(stderr, "%s\n", err);	/* FILE:LINE: first */
		free(err);
		return EXIT_RUNTIME;
	}
	memset(&so, 0, sizeof so);
	so.cfg = cfg;
	so.acct = ua.acct;
	so.password = pw;
	so.offline = a->offline;
	if ((s = session_start(&so, &err)) == NULL) {
		xfree_secret(so.password);
		fprintf(stderr, "quire: %s\n", err);
		free(err);
		return EXIT_RUNTIME;
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

	if (a.check_config || a.check_account || a.cache_info ||
	    a.cache_clear) {
		status = a.check_config ? check_config(cfg, a.account) :
		    a.check_account ? check_account(cfg, a.account) :
		    cache_command(cfg, a.account, a.cache_clear);
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
