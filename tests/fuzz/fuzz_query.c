/*
 * libFuzzer target: the search query language (src/mail/query*.c).
 *
 * Any bytes go to query_parse_mem(). When they parse, the criteria must be
 * safe to send (no CR, LF or NUL in any piece, quoted strings 7-bit,
 * CHARSET UTF-8 exactly when a literal is there), query_describe() must
 * give text that parses back to the same criteria (or, when quoting made
 * it longer than QUERY_MAX_LEN, is refused for its length and nothing
 * else), and the offline match must run. A broken promise aborts, so the fuzzer reports it.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quire/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW	((time_t)1710504000)

static void
check_pieces(const struct query_imap *qi)
{
	bool	 literal = false;
	size_t	 i, j;

	for (i = 0; i < qi->n; i++) {
		if (memchr(qi->v[i].data, '\r', qi->v[i].len) != NULL ||
		    memchr(qi->v[i].data, '\n', qi->v[i].len) != NULL ||
		    memchr(qi->v[i].data, '\0', qi->v[i].len) != NULL)
			abort();
		if (qi->v[i].type == QP_LITERAL)
			literal = true;
		if (qi->v[i].type != QP_QUOTED)
			continue;
		for (j = 0; j < qi->v[i].len; j++)
			if ((unsigned char)qi->v[i].data[j] >= 0x80)
				abort();
	}
	if (literal != qi->utf8)
		abort();
}

/* The criteria as text, or NULL if q does not convert. */
static char *
criteria(const struct query *q)
{
	struct query_imap	 qi;
	struct buf		 b = BUF_INIT;
	char			*err;

	memset(&qi, 0, sizeof qi);
	if (query_to_imap(q, &qi, &err) != 0)
		abort();		/* the parser let a line break by */
	check_pieces(&qi);
	query_imap_text(&qi, false, &b);
	buf_addstr(&b, "");
	query_imap_free(&qi);
	return buf_detach(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg_summary	 m;
	struct query		*q, *again;
	struct buf		 d = BUF_INIT;
	char			*err = NULL, *first, *second;
	size_t			 pos = 0;

	q = query_parse_mem((const char *)data, size, NOW, &err, &pos);
	if (q == NULL) {
		if (err == NULL || pos > size)
			abort();
		free(err);
		return 0;
	}
	first = criteria(q);
	query_describe(q, &d);
	buf_addstr(&d, "");
	again = query_parse_mem(d.data, d.len, NOW, &err, &pos);
	if (again == NULL) {
		if (d.len <= QUERY_MAX_LEN || pos != QUERY_MAX_LEN)
			abort();
		free(err);
		second = xstrdup(first);
	} else
		second = criteria(again);
	if (strcmp(first, second) != 0)
		abort();
	memset(&m, 0, sizeof m);
	m.uid = 7;
	m.size = 1234;
	m.internal_date = NOW;
	m.subject = (char *)"Caf\xc3\xa9 report";
	m.from = (char *)"\xce\x91lice";
	(void)query_match(q, &m, NOW);
	(void)query_approximate(q);
	free(first);
	free(second);
	buf_free(&d);
	query_free(&again);
	query_free(&q);
	return 0;
}
