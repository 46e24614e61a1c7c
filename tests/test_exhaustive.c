/*
 * Exhaustive test on tiny heaps: every sequence of operations up to a small
 * depth, from an alphabet of allocations (sizes of 1, 3 and 4 granules at
 * alignment 16 or 64), frees and in-place resizes (to 1, 2 or 5 granules) of
 * each live block. Depth-first, restoring the heap by copying the region
 * back: the heap keeps all its state inside the region, with absolute
 * pointers, so a byte copy at the same address is an exact snapshot.
 * After every step: fh_check, every live block's pattern, and the oracles
 * (an alloc fails only if no large enough free block exists; a resize
 * succeeds exactly when the granules behind the block are free).
 */
#include "testutil.h"

#define EX_SLOTS 4u
#define EX_REGION 512u

typedef struct {
    unsigned char *p;
    size_t bytes;
} ex_slot;

typedef struct {
    fh_heap *h;
    unsigned char *region;
    size_t region_size;
    ex_slot slot[EX_SLOTS];
    unsigned long sequences;
} ex_state;

static const size_t alloc_granules[] = {1, 3, 4};
static const size_t alloc_aligns[] = {16, 64};
static const size_t resize_granules[] = {1, 2, 5};

static void ex_copy(unsigned char *dst, const unsigned char *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i];
}

static bool ex_verify_all(ex_state *st)
{
    for (unsigned i = 0; i < EX_SLOTS; i++)
        if (st->slot[i].p && !tu_verify(st->slot[i].p, st->slot[i].bytes, i + 1u))
            return false;
    return fh_check(st->h);
}

static void ex_explore(ex_state *st, unsigned depth)
{
    st->sequences++;
    if (depth == 0)
        return;
    unsigned char saved[EX_REGION];
    ex_slot saved_slots[EX_SLOTS];
    ex_copy(saved, st->region, st->region_size);
    for (unsigned i = 0; i < EX_SLOTS; i++)
        saved_slots[i] = st->slot[i];
    unsigned moves = 3u * 2u + EX_SLOTS * 4u;
    for (unsigned m = 0; m < moves; m++) {
        fh_heap *h = st->h;
        if (m < 6u) {
            unsigned i = 0;
            while (i < EX_SLOTS && st->slot[i].p)
                i++;
            if (i == EX_SLOTS)
                continue;
            size_t bytes = alloc_granules[m / 2u] * FH_GRANULE, align = alloc_aligns[m % 2u];
            unsigned char *p = fh_alloc(h, bytes, align);
            if (p == NULL) {
                size_t need = bytes > align ? bytes : align, block = FH_GRANULE;
                while (block < need)
                    block <<= 1;
                CHECK(tu_largest_free(h) < block);
                continue;
            }
            CHECK(tu_aligned(p, align));
            st->slot[i] = (ex_slot){p, bytes};
            tu_fill(p, bytes, i + 1u);
        } else {
            unsigned i = (m - 6u) / 4u, what = (m - 6u) % 4u;
            ex_slot *s = &st->slot[i];
            if (s->p == NULL)
                continue;
            if (what == 3u) {
                fh_free(h, s->p);
                s->p = NULL;
            } else {
                size_t want = resize_granules[what] * FH_GRANULE;
                size_t room = tu_free_after(h, s->p, s->bytes);
                size_t got = fh_resize_in_place(h, s->p, want, 16);
                if (want <= s->bytes + room) {
                    CHECK_EQ(got, want);
                    CHECK(tu_verify(s->p, want < s->bytes ? want : s->bytes, i + 1u));
                    s->bytes = want;
                    tu_fill(s->p, want, i + 1u);
                } else {
                    CHECK_EQ(got, s->bytes);
                }
            }
        }
        CHECK(ex_verify_all(st));
        ex_explore(st, depth - 1u);
        ex_copy(st->region, saved, st->region_size);
        for (unsigned j = 0; j < EX_SLOTS; j++)
            st->slot[j] = saved_slots[j];
    }
}

void test_exhaustive_tiny_heaps(void)
{
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    /* Two shapes: a region at an aligned base and a shorter one at an odd
     * base; what is left after bookkeeping is 8 to 24 granules. */
    static const size_t shapes[][2] = {{0, 0}, {7, 16 * 3 + 5}};
    unsigned depth = th_scale() >= 10u ? 4u : 3u;
    for (unsigned s = 0; s < 2; s++) {
        ex_state st = {0};
        st.region = arena + shapes[s][0];
        /* Find the region size that leaves the wanted area after bookkeeping. */
        st.region_size = EX_REGION - shapes[s][1];
        st.h = fh_init(st.region, st.region_size);
        CHECK(st.h != NULL);
        if (!st.h)
            return;
        /* Tiny on purpose: a few granules, so every sequence hits the edges. */
        fh_stats s0;
        fh_get_stats(st.h, &s0);
        CHECK(s0.total_bytes >= 8u * FH_GRANULE && s0.total_bytes <= 24u * FH_GRANULE);
        ex_explore(&st, depth);
        CHECK(st.sequences > 100u); /* the search really branched */
    }
}
