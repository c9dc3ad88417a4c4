/*
 * Shared by the store's unit tests: a fresh directory per test and a few
 * rows to write. Every test uses a real SQLite file in its own mkdtemp
 * directory, removed afterwards.
 */
#ifndef QUIRE_TEST_STORE_H
#define QUIRE_TEST_STORE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quire/store.h"
#include "quire/util.h"
#include "unit.h"

struct tdir {
	char		 dir[64];
	char		*db;		/* dir/test.db */
};

static inline struct tdir *
tdir_new(void)
{
	struct tdir	*t;
	const char	*tmp;

	t = xcalloc(1, sizeof *t);
	tmp = getenv("TMPDIR");
	snprintf(t->dir, sizeof t->dir, "%s/quire-store.XXXXXX",
	    tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	t->db = xasprintf("%s/test.db", t->dir);
	return t;
}

static inline void
tdir_free(struct tdir *t)
{
	char	*cmd;

	if (t == NULL)
		return;
	cmd = xasprintf("rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", t->dir);
	free(cmd);
	free(t->db);
	free(t);
}

/* Open t->db, failing the test on an error or an unexpected notice. */
static inline struct store *
tstore_open(struct tdir *t)
{
	struct store	*s;
	char		*err = NULL, *notice = NULL;

	s = store_open(t->db, &notice, &err);
	if (s == NULL)
		fail_msg("store_open: %s", err);
	if (notice != NULL)
		fail_msg("unexpected notice: %s", notice);
	return s;
}

/* Add a folder with the given uidvalidity as its synced state. */
static inline void
tfolder_add(struct store *s, const char *name, uint32_t uidvalidity)
{
	struct mail_folder	 f;
	char			*err = NULL;

	memset(&f, 0, sizeof f);
	f.name = (char *)name;
	f.delim = '/';
	if (store_folder_put(s, &f, &err) == -1 ||
	    store_folder_set_sync(s, name, uidvalidity, 1, 0, &err) == -1)
		fail_msg("folder %s: %s", name, err);
}

#define assert_ok(call, errp) do {					\
	if ((call) == -1)						\
		fail_msg("%s: %s", #call, *(errp) ? *(errp) : "?");	\
} while (0)

#endif
