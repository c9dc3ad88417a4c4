/*
 * Shared by the unit tests: cmocka's headers in the order it needs them.
 * Each test program is one unit; make check runs it with TAP output.
 */
#ifndef QUIRE_TEST_UNIT_H
#define QUIRE_TEST_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
