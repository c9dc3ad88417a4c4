/*
 * The store's file: where it lives, opening it, and setting aside one that
 * cannot be trusted.
 *
 * The file is a cache: anything in it can be fetched again, except the
 * journal. So a file that is damaged, truncated, from another program or
 * from a schema this code does not know is not repaired: it is renamed
 * NAME.broken-TIMESTAMP (with its -wal and -shm) for a human to look at,
 * and a new one is built. The check at open must be cheap for a file with
 * 100,000 summaries, so it is not PRAGMA quick_check (which reads every
 * page) but: the 100-byte header (magic, page size, and the page count
 * against the file's size when no WAL is pending, which catches
 * truncation), then SQLite's own parse of the schema, then application_id,
 * user_version and the expected tables. Damage deeper in the file shows
 * later as SQLITE_CORRUPT, reported by the call that met it.
 *
 * Durability: WAL with synchronous=NORMAL, so a commit survives the
 * process being killed (it is in the WAL, in the kernel's hands) but not a
 * power cut; summaries can be fetched again. The journal's transactions
 * switch to synchronous=FULL around their commit (store_begin with
 * durable), so a change the engine is about to send survives a power cut
 * as well. SQLite refuses to change synchronous inside a transaction,
 * hence the switch around it. Measured (test_store_perf, ext4): a journal
 * entry at FULL commits in about 150 us, a one-row summary commit at
 * NORMAL in about 15 us; on a laptop's disk an fsync costs milliseconds,
 * so FULL for everything would make each unsolicited FETCH FLAGS pay for
 * durability nobody needs.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_priv.h"

#define STORE_BUSY_MS	5000

static int
store_mkdir_p(const char *dir, char **err)
{
	char	*p, *cut;

	p = xstrdup(dir);
	for (cut = strchr(p + 1, '/'); ; cut = strchr(cut + 1, '/')) {
		if (cut != NULL)
			*cut = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			store_seterr(err, "Cannot create the cache folder %s: "
			    "%s.", p, strerror(errno));
			free(p);
			return -1;
		}
		if (cut == NULL)
			break;
		*cut = '/';
	}
	free(p);
	return 0;
}

char *
store_default_path(const char *account, char **err)
{
	const char	*base, *home, *c;
	char		*dir, *path;
	struct buf	 name = BUF_INIT;

	if (account == NULL || *account == '\0') {
		store_seterr(err, "The account has no name to name its cache.");
		return NULL;
	}
	base = getenv("XDG_CACHE_HOME");
	if (base != NULL && *base == '/')
		dir = xasprintf("%s/quire", base);
	else if ((home = getenv("HOME")) != NULL && *home == '/')
		dir = xasprintf("%s/.cache/quire", home);
	else {
		store_seterr(err, "Neither XDG_CACHE_HOME nor HOME is set to "
		    "an absolute path, so there is no place for the cache.");
		return NULL;
	}
	if (store_mkdir_p(dir, err) == -1) {
		free(dir);
		return NULL;
	}
	for (c = account; *c != '\0'; c++) {
		if ((strchr("._@+-", *c) != NULL && !(c == account &&
		    *c == '.')) || (*c >= 'a' && *c <= 'z') ||
		    (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))
			buf_addch(&name, *c);
		else
			buf_printf(&name, "%%%02X", (unsigned char)*c);
	}
	path = xasprintf("%s/%s.db", dir, buf_str(&name));
	buf_free(&name);
	free(dir);
	return path;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Check the header of an existing file; NULL if it looks sound, else why
 * not. A missing or empty file is sound: SQLite makes a new database. */
static const char *
store_check_header(const char *path, int fd)
{
	unsigned char	 h[100];
	struct stat	 st, wal;
	char		*walpath;
	uint32_t	 pagesize, npages;
	bool		 walpending;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		return "it is not a regular file";
	if (st.st_size == 0)
		return NULL;
	if (st.st_size < 512 || pread(fd, h, sizeof h, 0) != sizeof h)
		return "it is too short to be a database";
	if (memcmp(h, "SQLite format 3", 16) != 0)
		return "it is not an SQLite database";
	pagesize = (uint32_t)h[16] << 8 | h[17];
	if (pagesize == 1)
		pagesize = 65536;
	if (pagesize < 512 || (pagesize & (pagesize - 1)) != 0)
		return "its header is damaged";
	if (st.st_size % pagesize != 0)
		return "it is truncated";
	walpath = xasprintf("%s-wal", path);
	walpending = stat(walpath, &wal) == 0 && wal.st_size > 0;
	free(walpath);
	/* The page count is valid only while the change counter matches;
	 * with a WAL pending, a checkpoint may have been cut short and the
	 * WAL still holds the pages, so SQLite decides. */
	npages = be32(h + 28);
	if (!walpending && npages != 0 && be32(h + 24) == be32(h + 92) &&
	    (uint64_t)npages * pagesize > (uint64_t)st.st_size)
		return "it is truncated";
	return NULL;
}

/* Make sure the file exists 0600 before SQLite opens it: SQLite gives its
 * -wal and -shm the mode of the database. */
static int
store_precheck(const char *path, const char **why, char **err)
{
	int	 fd;

	*why = NULL;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
	    O_NOCTTY, 0600);
	if (fd == -1) {
		store_seterr(err, "Cannot open the cache %s: %s.", path,
		    strerror(errno));
		return -1;
	}
	*why = store_check_header(path, fd);
	close(fd);
	return 0;
}

/* A file SQLite called corrupt while in use gets a NAME.damaged marker, so
 * the next open sets it aside: the cheap check at open cannot see deep
 * damage, and a damaged file must not be trusted again. */
static bool
store_marked_broken(const char *path)
{
	char	*marker;
	bool	 found;

	marker = xasprintf("%s.damaged", path);
	found = access(marker, F_OK) == 0;
	free(marker);
	return found;
}

static void
store_mark_broken(struct store *s)
{
	char	*marker;
	int	 fd;

	marker = xasprintf("%s.damaged", s->path);
	fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd != -1)
		close(fd);
	free(marker);
}

static bool
store_rc_broken(int rc)
{
	return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

/* Open path and ready its schema. SCHEMA_BROKEN: the file must be set
 * aside, *why says why. */
static enum schema_state
store_try_open(const char *path, sqlite3 **dbp, char **why, char **err)
{
	static const char	*const setup = "PRAGMA foreign_keys=ON;"
	    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;";
	sqlite3			*db = NULL;
	const char		*hwhy;
	enum schema_state	 st;
	int			 rc, oflags;

	*dbp = NULL;
	*why = NULL;
	if (store_precheck(path, &hwhy, err) == -1)
		return SCHEMA_ERROR;
	if (hwhy != NULL) {
		*why = xstrdup(hwhy);
		return SCHEMA_BROKEN;
	}
	oflags = SQLITE_OPEN_READWRITE;
#ifdef SQLITE_OPEN_NOFOLLOW
	oflags |= SQLITE_OPEN_NOFOLLOW;
#endif
	rc = sqlite3_open_v2(path, &db, oflags, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(db, 1);
		sqlite3_busy_timeout(db, STORE_BUSY_MS);
		rc = sqlite3_exec(db, setup, NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		if (store_rc_broken(rc)) {
			*why = xstrdup(sqlite3_errstr(rc));
			st = SCHEMA_BROKEN;
		} else {
			store_seterr(err, "Cannot open the cache %s: %s.",
			    path, db != NULL ? sqlite3_errmsg(db) :
			    sqlite3_errstr(rc));
			st = SCHEMA_ERROR;
		}
		sqlite3_close(db);
		return st;
	}
	if (store_marked_broken(path)) {
		*why = xstrdup("SQLite found it damaged while in use");
		sqlite3_close(db);
		return SCHEMA_BROKEN;
	}
	if ((st = store_schema_prepare(db, why, err)) != SCHEMA_OK) {
		sqlite3_close(db);
		return st;
	}
	*dbp = db;
	return SCHEMA_OK;
}

static void
store_rename_side(const char *from, const char *to, const char *suffix)
{
	char	*f, *t;

	f = xasprintf("%s%s", from, suffix);
	t = xasprintf("%s%s", to, suffix);
	(void)rename(f, t);	/* ENOENT: no such side file to keep */
	free(f);
	free(t);
}

/* Rename path (and its -wal and -shm) to path.broken-TIMESTAMP. */
static char *
store_move_aside(const char *path, char **err)
{
	char		 stamp[32];
	char		*to = NULL, *marker;
	struct tm	 tm;
	time_t		 now;
	int		 i;

	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	for (i = 0; i < 1000; i++) {
		to = i == 0 ? xasprintf("%s.broken-%s", path, stamp) :
		    xasprintf("%s.broken-%s.%d", path, stamp, i);
		if (access(to, F_OK) == -1 && errno == ENOENT)
			break;
		free(to);
		to = NULL;
	}
	if (to == NULL || rename(path, to) == -1) {
		store_seterr(err, "Cannot move the damaged cache %s aside: "
		    "%s.", path, to == NULL ? "too many copies" :
		    strerror(errno));
		free(to);
		return NULL;
	}
	store_rename_side(path, to, "-wal");
	store_rename_side(path, to, "-shm");
	marker = xasprintf("%s.damaged", path);
	(void)unlink(marker);	/* it has done its work */
	free(marker);
	return to;
}

struct store *
store_open(const char *path, char **notice, char **err)
{
	struct store		*s;
	sqlite3			*db;
	char			*why, *aside;
	enum schema_state	 st;

	if (notice != NULL)
		*notice = NULL;
	st = store_try_open(path, &db, &why, err);
	if (st == SCHEMA_BROKEN) {
		if ((aside = store_move_aside(path, err)) == NULL) {
			free(why);
			return NULL;
		}
		if (notice != NULL)
			*notice = xasprintf("The cache %s could not be used "
			    "(%s), so it was moved to %s and a new one is "
			    "being built from the server.", path, why, aside);
		free(aside);
		free(why);
		if ((st = store_try_open(path, &db, &why, err)) ==
		    SCHEMA_BROKEN) {
			store_seterr(err, "The new cache %s cannot be used "
			    "either: %s.", path, why);
			free(why);
		}
	}
	if (st != SCHEMA_OK) {
		if (notice != NULL) {
			free(*notice);
			*notice = NULL;
		}
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->db = db;
	s->path = xstrdup(path);
	s->lru_clock = -1;
	return s;
}

void
store_close(struct store **sp)
{
	struct store	*s;
	size_t		 i;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	for (i = 0; i < nitems(s->stmts); i++)
		sqlite3_finalize(s->stmts[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
	*sp = NULL;
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

/* ---- helpers for the table files ---- */

void
store_seterr(char **err, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	*err = xvasprintf(fmt, ap);
	va_end(ap);
}

int
store_fail(struct store *s, char **err, const char *what)
{
	int	 rc;

	rc = sqlite3_extended_errcode(s->db);
	store_seterr(err, "Cannot %s in the cache %s: %s%s.", what, s->path,
	    sqlite3_errmsg(s->db), store_rc_broken(rc) ? " (it will be "
	    "rebuilt when quire starts again)" : "");
	if (store_rc_broken(rc))
		store_mark_broken(s);
	return -1;
}

sqlite3_stmt *
store_stmt(struct store *s, enum store_stmt id, const char *sql, char **err)
{
	sqlite3_stmt	*st;

	if ((st = s->stmts[id]) != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL) != SQLITE_OK) {
		store_fail(s, err, "prepare a query");
		return NULL;
	}
	s->stmts[id] = st;
	return st;
}

int
store_exec(struct store *s, sqlite3_stmt *st, const char *what, char **err)
{
	int	 rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_fail(s, err, what);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

const char *
store_col_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

int
store_begin(struct store *s, bool durable, char **err)
{
	sqlite3_stmt	*st;

	if (durable) {
		st = store_stmt(s, ST_SYNC_FULL, "PRAGMA synchronous=FULL",
		    err);
		if (st == NULL || store_exec(s, st, "make the journal "
		    "durable", err) == -1)
			return -1;
	}
	st = store_stmt(s, ST_BEGIN, "BEGIN IMMEDIATE", err);
	if (st == NULL || store_exec(s, st, "start a transaction", err) == -1) {
		if (durable)
			store_rollback(s, true);
		return -1;
	}
	return 0;
}

static void
store_sync_normal(struct store *s)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, ST_SYNC_NORMAL, "PRAGMA synchronous=NORMAL", NULL);
	if (st != NULL)
		store_exec(s, st, "relax the sync", NULL);
}

int
store_commit(struct store *s, bool durable, char **err)
{
	sqlite3_stmt	*st;

	st = store_stmt(s, ST_COMMIT, "COMMIT", err);
	if (st == NULL || store_exec(s, st, "commit", err) == -1) {
		store_rollback(s, durable);
		return -1;
	}
	if (durable)
		store_sync_normal(s);
	return 0;
}

void
store_rollback(struct store *s, bool durable)
{
	sqlite3_stmt	*st;

	if (!sqlite3_get_autocommit(s->db)) {
		st = store_stmt(s, ST_ROLLBACK, "ROLLBACK", NULL);
		if (st != NULL)
			store_exec(s, st, "roll back", NULL);
	}
	if (durable)
		store_sync_normal(s);
}
