/*
 * xorshift32, shared by the tests and the benchmarks: tiny, deterministic,
 * the same sequence on every target. xs_range maps into [lo, hi] with a
 * multiply, because ARMv6-M has no divide instruction.
 */
#ifndef XORSHIFT_H
#define XORSHIFT_H

#include <stdint.h>

static inline uint32_t xs_rand(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static inline uint32_t xs_range(uint32_t *state, uint32_t lo, uint32_t hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1u;
    return lo + (uint32_t)(((uint64_t)xs_rand(state) * span) >> 32);
}

#endif
