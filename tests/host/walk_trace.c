/*
 * One seeded sequence of instance calls, printed: every result as an offset
 * from the region's base, every usable size, and the heap walk every 1000
 * calls and at the end. The speed build (-O2, fast paths inlined), the size
 * build (-Os, one copy of each step) and the build without a hardware
 * bit-scan (table lookups) must make the same decisions, so their listings
 * must be byte for byte the same: `make variant-walk-test` runs each host
 * variant's runner with --walk-trace and compares (issue 8's speed-variant
 * rule: one sequence through every build, the walks compared).
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "firmheap.h"

#define WT_SLOTS 96u
#define WT_STEPS 40000u
#define WT_REGION (1u << 20)

static uint32_t wt_rand(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static uintptr_t wt_base;

static long wt_off(const void *p)
{
    return p ? (long)((uintptr_t)p - wt_base) : -1L;
}

static void wt_block(void *ctx, void *addr, size_t size, bool used)
{
    (void)ctx;
    printf("  %c %ld %zu\n", used ? 'u' : 'f', wt_off(addr), size);
}

static void wt_walk(const fh_heap *h, unsigned step)
{
    fh_stats s;
    fh_get_stats(h, &s);
    printf("walk at %u: used %zu free %zu largest %zu live %u\n", step, s.used_bytes, s.free_bytes,
           s.largest_free, (unsigned)s.live_allocs);
    fh_walk(h, wt_block, NULL);
}

int th_walk_trace(void);
int th_walk_trace(void)
{
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    /* Placement follows absolute addresses: the region sits at the same
     * offset from a WT_REGION boundary in every run, whatever the arena's
     * address. */
    if (arena_size < 2u * WT_REGION)
        return 1;
    uintptr_t at = ((uintptr_t)arena + WT_REGION - 1u) & ~(uintptr_t)(WT_REGION - 1u);
    wt_base = at + 8u;
    fh_heap *h = fh_init((void *)wt_base, WT_REGION - 24u);
    void *slot[WT_SLOTS] = {0};
    uint32_t rng = 0x5eed1234u;
    for (unsigned step = 0; step < WT_STEPS; step++) {
        unsigned i = wt_rand(&rng) % WT_SLOTS, op = wt_rand(&rng) % 8u;
        size_t size = wt_rand(&rng) % 4u ? 1u + wt_rand(&rng) % 700u : 1u + wt_rand(&rng) % 40000u;
        size_t align = (size_t)1 << (wt_rand(&rng) % 13u);
        const char *name;
        long result;
        if (slot[i] == NULL) {
            slot[i] = op < 6u ? fh_alloc(h, size, align) : fh_alloc_zeroed(h, size, align);
            name = "alloc";
            result = wt_off(slot[i]);
        } else if (op < 3u) {
            fh_free(h, slot[i]);
            slot[i] = NULL;
            name = "free";
            result = 0;
        } else if (op < 6u) {
            void *q = fh_realloc(h, slot[i], size, align);
            slot[i] = q ? q : slot[i];
            name = "realloc";
            result = wt_off(q);
        } else {
            name = "resize";
            result = (long)fh_resize_in_place(h, slot[i], size, align);
        }
        printf("%u %s %zu %zu -> %ld usable %zu\n", step, name, size, align, result,
               fh_usable_size(h, slot[i]));
        if (step % 1000u == 999u)
            wt_walk(h, step);
    }
    wt_walk(h, WT_STEPS);
    return fh_check(h) ? 0 : 1;
}
