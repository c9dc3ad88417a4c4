/*
 * TAP for the C test drivers of tests/integration: one "ok N - ..." line
 * per case, "# ..." comments for figures, and the counts for the plan the
 * driver prints at its end.
 */
#ifndef QUIRE_TEST_CTAP_H
#define QUIRE_TEST_CTAP_H

#include <stdbool.h>
#include <stdint.h>

#include "quire/util.h"

extern int	 tap_n;		/* cases so far */
extern int	 tap_failed;	/* of which failed */

/* One case: "ok N - ..." or "not ok N - ...". */
void tap(bool good, const char *fmt, ...) QUIRE_PRINTF(2, 3);
/* A comment line: "# ...". */
void diag(const char *fmt, ...) QUIRE_PRINTF(1, 2);
/* "Bail out! ..." and exit 1: the driver cannot go on. */
void bail(const char *fmt, ...) QUIRE_PRINTF(1, 2) QUIRE_NORETURN;
/* Milliseconds on the monotonic clock. */
int64_t now_ms(void);

#endif
