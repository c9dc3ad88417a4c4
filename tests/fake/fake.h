/*
 * The small things fakeimap and faultproxy share: loopback listening
 * sockets, C escapes in script and rule text, printable log text, sizes
 * with binary suffixes and a monotonic clock. Both tools are test
 * programs: they are never installed and never face a real network.
 */
#ifndef QUIRE_TESTS_FAKE_H
#define QUIRE_TESTS_FAKE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quire/util.h"

/* Exit statuses both tools use. */
#define FAKE_EXIT_OK		0
#define FAKE_EXIT_FAILED	1	/* a script step did not match */
#define FAKE_EXIT_USAGE		2
#define FAKE_EXIT_TIMEOUT	124	/* the -t limit ran out */

/* Print "tool: message" on stderr and exit with FAKE_EXIT_USAGE. */
void fake_die(const char *fmt, ...) QUIRE_PRINTF(1, 2) QUIRE_NORETURN;

/* Listen on 127.0.0.1:port (0: the kernel picks); the bound port goes to
 * *bound. Dies on failure. */
int fake_listen(int port, int *bound);

/* Decode C escapes (\r \n \t \\ \0 \xNN) of s, appending to out. Returns
 * false on an unknown or cut escape. */
bool fake_unescape(const char *s, struct buf *out);

/* Append n bytes as printable ASCII (escapes for the rest), at most max
 * of them; a longer input ends in "...". */
void fake_escape(struct buf *out, const char *p, size_t n, size_t max);

/* Parse a count with an optional K, M or G suffix (powers of 1024). */
bool fake_parse_size(const char *s, uint64_t *out);

/* Milliseconds on the monotonic clock. */
int64_t fake_now_ms(void);

/* Sleep ms milliseconds, even across signals. */
void fake_sleep_ms(int64_t ms);

/* The signal that asked the tool to stop, 0 until then. A signal handler
 * has nowhere else to put it. */
extern volatile sig_atomic_t fake_signalled;

/* Catch SIGTERM, SIGINT and SIGHUP into fake_signalled (without
 * SA_RESTART, so a blocked call returns EINTR) and ignore SIGPIPE. */
void fake_catch_signals(void);

#endif
