/*
 * Randomized differential test: a shadow model of every live block (address,
 * requested size, alignment, pattern seed) is checked against the heap after
 * a long random mix of alloc, zeroed alloc, free, sized free, realloc and
 * resize-in-place. What it checks:
 *  - alignment, usable size (exact), ownership of every returned block;
 *  - contents: each block holds its own pattern over its whole usable size,
 *    so any overlap or lost copy shows up at its next use;
 *  - failures are honest: an alloc fails only when no aligned stretch of
 *    the needed size is free, an in-place resize only when the granules
 *    behind the block are not free. Both oracles come from the model alone
 *    (the gaps between live blocks), not from the heap's own walker;
 *  - stats agree with the model, and fh_check holds, every few hundred ops.
 * On the host: 4 seeds x 250,000 operations on regions with odd base and size.
 */
#include "testutil.h"
#include "buddy_internal.h" /* only for the area's bounds, g0 and gend */

#define SLOTS 96u

typedef struct {
    unsigned char *p;
    size_t size;
    size_t align;
    uint32_t seed;
} slot;

static slot slots[SLOTS];

static size_t block_bytes_for(size_t size, size_t align)
{
    size_t need = fh_usable_size_for(size, align);
    if (align > need)
        need = align;
    size_t b = FH_GRANULE;
    while (b < need)
        b <<= 1;
    return b;
}

/* The model's view: live blocks sorted by address; the gaps between them
 * (within the area) are exactly the free memory. */
static uintptr_t sorted[SLOTS + 2];

static unsigned live_sorted(const fh_heap *h, const unsigned char *skip)
{
    unsigned n = 0;
    for (unsigned i = 0; i < SLOTS; i++) {
        if (!slots[i].p || slots[i].p == skip)
            continue;
        uintptr_t a = (uintptr_t)slots[i].p;
        unsigned j = n++;
        for (; j > 0 && sorted[j - 1] > a; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = a;
    }
    (void)h;
    return n;
}

static size_t model_usable(uintptr_t a)
{
    for (unsigned i = 0; i < SLOTS; i++)
        if ((uintptr_t)slots[i].p == a)
            return fh_usable_size_for(slots[i].size, slots[i].align);
    return 0;
}

/* Free bytes directly behind [p, p + n) according to the model. */
static size_t model_room(const fh_heap *h, const unsigned char *p, size_t n)
{
    uintptr_t end = (uintptr_t)p + n, next = h->gend * FH_GRANULE;
    for (unsigned i = 0; i < SLOTS; i++) {
        uintptr_t a = (uintptr_t)slots[i].p;
        if (a >= end && a < next)
            next = a;
    }
    return next - end;
}

/* Does some gap between live blocks hold a whole aligned block of `block`
 * bytes? Then a buddy block that large is free (free buddies are always
 * merged) and an allocation needing it must not fail. */
static bool model_has_free_block(const fh_heap *h, size_t block)
{
    unsigned n = live_sorted(h, NULL);
    uintptr_t gap = h->g0 * FH_GRANULE;
    for (unsigned i = 0; i <= n; i++) {
        uintptr_t gap_end = i < n ? sorted[i] : h->gend * FH_GRANULE;
        uintptr_t at = (gap + block - 1u) & ~(uintptr_t)(block - 1u);
        if (at >= gap && at + block <= gap_end)
            return true;
        if (i < n)
            gap = sorted[i] + model_usable(sorted[i]);
    }
    return false;
}

static size_t random_size(uint32_t *rng, size_t max)
{
    /* Log-uniform: as many tiny blocks as big ones. */
    uint32_t bits = th_rand_range(rng, 0, 13);
    size_t s = th_rand_range(rng, 1, 1u << bits);
    return s > max ? max : s;
}

static void check_block(const fh_heap *h, const slot *s)
{
    CHECK(tu_aligned(s->p, s->align));
    CHECK(fh_owns(h, s->p));
    CHECK_EQ(fh_usable_size(h, s->p), fh_usable_size_for(s->size, s->align));
}

/* One run; size 0 means the whole arena. Returns how many requests failed. */
static unsigned random_run(uint32_t seed, size_t offset, size_t size, unsigned ops)
{
    size_t arena_size;
    th_arena(&arena_size);
    if (size == 0 || size > arena_size - offset)
        size = arena_size - offset;
    fh_heap *h = tu_heap(offset, size, NULL);
    unsigned failures = 0;
    CHECK(h != NULL);
    if (!h)
        return 0;
    fh_stats s0;
    fh_get_stats(h, &s0);
    size_t max_size = s0.total_bytes / 8u < 8192u ? s0.total_bytes / 8u : 8192u;
    uint32_t rng = seed;
    size_t used = 0;
    uint32_t live = 0;
    th_memset(slots, 0, sizeof slots);

    for (unsigned op = 0; op < ops; op++) {
        slot *s = &slots[th_rand_range(&rng, 0, SLOTS - 1u)];
        uint32_t r = th_rand_range(&rng, 0, 99);
        if (s->p == NULL) {
            size_t size = random_size(&rng, max_size);
            size_t align = (size_t)1 << th_rand_range(&rng, 0, 12);
            bool zeroed = r < 20;
            unsigned char *p = zeroed ? fh_alloc_zeroed(h, size, align) : fh_alloc(h, size, align);
            if (p == NULL) {
                failures++;
                fh_stats st;
                fh_get_stats(h, &st);
                CHECK(st.largest_free < block_bytes_for(size, align));
                CHECK(!model_has_free_block(h, block_bytes_for(size, align)));
                continue;
            }
            *s = (slot){p, size, align, rng};
            check_block(h, s);
            size_t usable = fh_usable_size_for(size, align);
            if (zeroed) {
                bool zero = true;
                for (size_t i = 0; i < usable; i++)
                    zero = zero && p[i] == 0;
                CHECK(zero);
            }
            tu_fill(p, usable, s->seed);
            used += usable;
            live++;
        } else {
            size_t usable = fh_usable_size_for(s->size, s->align);
            CHECK(tu_verify(s->p, usable, s->seed));
            if (r < 40) {
                if (r & 1)
                    fh_free(h, s->p);
                else
                    fh_free_sized(h, s->p, th_rand_range(&rng, (uint32_t)s->size, (uint32_t)usable),
                                  s->align);
                used -= usable;
                live--;
                s->p = NULL;
            } else {
                size_t size = random_size(&rng, max_size);
                size_t new_usable = fh_usable_size_for(size, s->align);
                size_t kept = usable < new_usable ? usable : new_usable;
                if (r < 70) {
                    unsigned char *q = fh_realloc(h, s->p, size, s->align);
                    if (q == NULL) {
                        failures++;
                        CHECK(tu_verify(s->p, usable, s->seed));
                        CHECK(usable + model_room(h, s->p, usable) < new_usable);
                        fh_stats st;
                        fh_get_stats(h, &st);
                        CHECK(st.largest_free < block_bytes_for(size, s->align));
                        CHECK(!model_has_free_block(h, block_bytes_for(size, s->align)));
                        continue;
                    }
                    s->p = q;
                } else {
                    size_t got = fh_resize_in_place(h, s->p, size, s->align);
                    if (got != new_usable) {
                        CHECK_EQ(got, usable);
                        CHECK(usable + model_room(h, s->p, usable) < new_usable);
                        CHECK(tu_verify(s->p, usable, s->seed));
                        continue;
                    }
                }
                CHECK(tu_verify(s->p, kept, s->seed));
                s->size = size;
                s->seed = rng;
                check_block(h, s);
                tu_fill(s->p, new_usable, s->seed);
                used += new_usable - usable;
            }
        }
        if (op % 512u == 0) {
            fh_stats st;
            fh_get_stats(h, &st);
            CHECK_EQ(st.used_bytes, used);
            CHECK_EQ(st.live_allocs, live);
            CHECK(st.peak_used_bytes >= used);
            CHECK(fh_check(h));
        }
    }
    for (unsigned i = 0; i < SLOTS; i++)
        if (slots[i].p) {
            CHECK(tu_verify(slots[i].p, fh_usable_size_for(slots[i].size, slots[i].align),
                            slots[i].seed));
            fh_free(h, slots[i].p);
        }
    fh_stats st;
    fh_get_stats(h, &st);
    CHECK_EQ(st.used_bytes, 0u);
    CHECK_EQ(st.rejected_frees, 0u);
    for (unsigned k = 0; k < FH_NR_ORDERS; k++)
        CHECK_EQ(st.free_blocks[k], s0.free_blocks[k]); /* all merged back */
    CHECK(fh_check(h));
    return failures;
}

void test_random_differential(void)
{
    /* Two runs with room to spare, two on heaps small enough that requests
     * fail often, so the failure oracles get exercised too. */
    static const struct {
        uint32_t seed;
        size_t offset, size;
    } runs[] = {{0x12345678u, 3, 0}, {0x9E3779B9u, 7, 48 * 1024 + 5},
                {0xDEADBEEFu, 16, 0}, {42u, 1, 96 * 1024 + 333}};
    unsigned failures = 0;
    for (unsigned i = 0; i < sizeof runs / sizeof runs[0]; i++)
        failures += random_run(runs[i].seed, runs[i].offset, runs[i].size, 2500u * th_scale());
    CHECK(failures > 0);
}
