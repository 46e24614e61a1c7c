/*
 * The request distributions (issue 8). Each draws a size and an alignment;
 * the alignment is a power of two picked uniformly from 8..64 unless the
 * distribution says otherwise. Sizes are uniform within their band.
 *
 *   small     1..128 B
 *   wide      1..2048 B
 *   mixed     60% 8..64 B, 30% 64..512 B, 10% 512..4096 B
 *   bigalign  1..8192 B, alignment 8..4096
 */
#include "bench.h"

/* 2^k, k uniform in [lo, hi]. */
static uint32_t pow2_between(uint32_t *rng, uint32_t lo, uint32_t hi)
{
    return 1u << bench_range(rng, lo, hi);
}

static void draw_small(uint32_t *rng, uint32_t *size, uint32_t *align)
{
    *size = bench_range(rng, 1, 128);
    *align = pow2_between(rng, 3, 6);
}

static void draw_wide(uint32_t *rng, uint32_t *size, uint32_t *align)
{
    *size = bench_range(rng, 1, 2048);
    *align = pow2_between(rng, 3, 6);
}

static void draw_mixed(uint32_t *rng, uint32_t *size, uint32_t *align)
{
    uint32_t r = bench_range(rng, 0, 99);
    if (r < 60)
        *size = bench_range(rng, 8, 64);
    else if (r < 90)
        *size = bench_range(rng, 64, 512);
    else
        *size = bench_range(rng, 512, 4096);
    *align = pow2_between(rng, 3, 6);
}

static void draw_bigalign(uint32_t *rng, uint32_t *size, uint32_t *align)
{
    *size = bench_range(rng, 1, 8192);
    *align = pow2_between(rng, 3, 12);
}

const bench_dist bench_dists[] = {
    {"small", draw_small},
    {"wide", draw_wide},
    {"mixed", draw_mixed},
    {"bigalign", draw_bigalign},
};
const unsigned bench_nr_dists = sizeof bench_dists / sizeof bench_dists[0];
