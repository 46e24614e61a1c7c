/*
 * Randomized differential test: a shadow model of every live block (address,
 * requested size, alignment, pattern seed) is checked against the heap after
 * a long random mix of alloc, zeroed alloc, free, sized free, realloc and
 * resize-in-place. What it checks:
 *  - alignment, usable size (exact), ownership of every returned block;
 *  - contents: each block holds its own pattern over its whole usable size,
 *    so any overlap or lost copy shows up at its next use;
 *  - failures are honest: an alloc fails only when no free block of the
 *    needed order exists, an in-place resize only when the granules behind
 *    the block are not free (oracle: fh_walk);
 *  - stats agree with the model, and fh_check holds, every few hundred ops.
 * On the host: 4 seeds x 250,000 operations on regions with odd base and size.
 */
#include "testutil.h"

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

static void random_run(uint32_t seed, size_t offset, size_t trim, unsigned ops)
{
    size_t arena_size;
    th_arena(&arena_size);
    fh_heap *h = tu_heap(offset, arena_size - offset - trim, NULL);
    CHECK(h != NULL);
    if (!h)
        return;
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
                fh_stats st;
                fh_get_stats(h, &st);
                CHECK(st.largest_free < block_bytes_for(size, align));
                CHECK_EQ(st.largest_free, tu_largest_free(h));
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
                        CHECK(tu_verify(s->p, usable, s->seed));
                        CHECK(usable + tu_free_after(h, s->p, usable) < new_usable);
                        fh_stats st;
                        fh_get_stats(h, &st);
                        CHECK(st.largest_free < block_bytes_for(size, s->align));
                        continue;
                    }
                    s->p = q;
                } else {
                    size_t got = fh_resize_in_place(h, s->p, size, s->align);
                    if (got != new_usable) {
                        CHECK_EQ(got, usable);
                        CHECK(usable + tu_free_after(h, s->p, usable) < new_usable);
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
}

void test_random_differential(void)
{
    static const struct {
        uint32_t seed;
        size_t offset, trim;
    } runs[] = {{0x12345678u, 3, 5}, {0x9E3779B9u, 7, 1001}, {0xDEADBEEFu, 16, 0}, {42u, 1, 333}};
    for (unsigned i = 0; i < sizeof runs / sizeof runs[0]; i++)
        random_run(runs[i].seed, runs[i].offset, runs[i].trim, 2500u * th_scale());
}
