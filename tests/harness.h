/*
 * The test harness shared by the host runner and every QEMU image.
 *
 * A test is a void function; CHECK records a failure (file, line, expression)
 * and lets the test go on, so one run reports every broken contract. The runner
 * counts a test as failed if any of its checks failed, prints
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
void th_print_u(uintmax_t v);
void th_print_x(uintptr_t v);
int  th_run_all(void);
void th_memset(void *dst, int c, size_t n);

#define CHECK(c) th_check((c) ? true : false, #c, __FILE__, __LINE__)
#define CHECK_EQ(a, b) CHECK((a) == (b))

/* xorshift32: deterministic, tiny, the same on every target. */
static inline uint32_t th_rand(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* Uniform-ish in [lo, hi] without division (ARMv6-M has none). */
static inline uint32_t th_rand_range(uint32_t *state, uint32_t lo, uint32_t hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1u;
    return lo + (uint32_t)(((uint64_t)th_rand(state) * span) >> 32);
}

#endif
