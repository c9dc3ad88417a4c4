/*
 * report: quire --check-config. It prints what quire would use: the file,
 * every option's effective value, each account with where its port came
 * from, how many bind and color lines there were, then "configuration OK"
 * or every error. Secrets are never printed: a password shows only where
 * it would come from, and password_cmd is not run.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config_priv.h"

static void
report_options(enum opt_scope scope, const void *base, struct buf *out)
{
	const struct opt_def	*opts;
	size_t			 i, n;

	opts = config_options(&n);
	for (i = 0; i < n; i++) {
		if (opts[i].scope != scope)
			continue;
		buf_printf(out, "  %-21s ", opts[i].name);
		config_option_value(&opts[i], base, out);
		buf_addch(out, '\n');
	}
}

/* An account's settings; port, password and password_cmd are special. */
static void
report_account(const struct account *a, struct buf *out)
{
	const struct opt_def	*opts;
	size_t			 i, n;

	buf_printf(out, "account %s (line %d):\n", a->name, a->line);
	opts = config_options(&n);
	for (i = 0; i < n; i++) {
		if (opts[i].scope != OS_ACCOUNT)
			continue;
		buf_printf(out, "  %-21s ", opts[i].name);
		if (strcmp(opts[i].name, "password") == 0)
			buf_addstr(out, a->password != NULL ? "(set in file)" :
			    a->password_cmd != NULL ?
			    "(from password_cmd, not run)" : "none");
		else
			config_option_value(&opts[i], a, out);
		if (strcmp(opts[i].name, "port") == 0)
			buf_printf(out, " (%s)", a->port_default ?
			    "from security" : "set in file");
		buf_addch(out, '\n');
	}
}

static size_t
count_colors(const struct config *cfg)
{
	size_t	 i, n = 0;

	for (i = 0; i < CE_COUNT; i++)
		n += cfg->color_set[i];
	return n;
}

static void
report_error(const struct config_error *e, struct buf *out)
{
	if (e->line > 0)
		buf_printf(out, "%s:%d: %s\n", e->file, e->line, e->msg);
	else
		buf_printf(out, "%s: %s\n", e->file, e->msg);
}

/* Write the --check-config report; 0 clean, 3 with errors. */
int
config_report(const struct config *cfg, struct buf *out)
{
	size_t	 i, nerr = cfg->nerrors;
	char	*none = NULL;

	buf_printf(out, "configuration file: %s\n",
	    cfg->path != NULL ? cfg->path : "none");
	buf_addstr(out, "global options:\n");
	report_options(OS_GLOBAL, &cfg->opt, out);
	for (i = 0; i < cfg->naccounts; i++)
		report_account(cfg->accounts[i], out);
	buf_printf(out, "user bindings: %zu\nuser colours: %zu\n", cfg->nbindings,
	    count_colors(cfg));
	if (cfg->naccounts == 0 && nerr == 0) {
		/* A default file that does not exist: no error was added. */
		none = config_no_account_msg(cfg);
		buf_printf(out, "%s\n", none);
		free(none);
		nerr = 1;
	}
	if (nerr == 0) {
		buf_addstr(out, "configuration OK\n");
		return 0;
	}
	for (i = 0; i < cfg->nerrors; i++)
		report_error(&cfg->errors[i], out);
	buf_printf(out, "%zu error%s\n", nerr, nerr == 1 ? "" : "s");
	return 3;
}
