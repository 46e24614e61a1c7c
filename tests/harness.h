/*
 * The test harness shared by the host runner and every QEMU image.
 *
 * A test is a void function; CHECK records a failure (file, line, expression)
 * and lets the test go on, so one run reports every broken contract;
 * CHECK_EQ also prints both values. The runner counts a test as failed if any
 * of its checks failed, prints TAP (see runner.c) ending with
 * "N passed, N failed" and returns non-zero on any failure. The glue for each
 * platform (tests/host/, tests/target/) supplies output, a scratch arena and a
 * scale factor; tests never assume a heap size and never use libc.
 */
#ifndef TH_HARNESS_H
#define TH_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- supplied by the platform glue ---- */
void th_print(const char *s);
/* A scratch region for tests that build their own heaps (not the default heap). */
void *th_arena(size_t *size);
/* Work multiplier: 1 on small targets, larger on the host. */
unsigned th_scale(void);

/* ---- supplied by tests/runner.c ---- */
void th_check(bool ok, const char *expr, const char *file, int line);
void th_check_eq(uintmax_t a, uintmax_t b, const char *a_expr, const char *b_expr,
                 const char *file, int line);
/* Checks failed so far in the running test: lets a long test say where it
 * first went wrong (seed, operation, heap map) once, not at every check. */
unsigned th_failures(void);
void th_print_u(uintmax_t v);
void th_print_x(uintmax_t v);
int  th_run_all(void);
void th_memset(void *dst, int c, size_t n);

#define CHECK(c) th_check((c) ? true : false, #c, __FILE__, __LINE__)
/* Integers only (cast pointers to uintptr_t): each side is evaluated once and
 * compared as uintmax_t; a failure prints both values. */
#define CHECK_EQ(a, b) th_check_eq((uintmax_t)(a), (uintmax_t)(b), #a, #b, __FILE__, __LINE__)

#include "xorshift.h"
#define th_rand xs_rand
#define th_rand_range xs_range

#endif
