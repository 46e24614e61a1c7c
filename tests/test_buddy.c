/*
 * Unit tests of the buddy heap's instance API, one contract line at a time.
 * Every test builds its own heap over the scratch arena at an odd offset, so
 * they run unchanged on a 4 KiB arena and on a 4 MiB one.
 */
#include "testutil.h"

static fh_stats stats_of(const fh_heap *h)
{
    fh_stats s;
    fh_get_stats(h, &s);
    return s;
}

void test_init_rejects_unusable_regions(void)
{
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    CHECK(fh_init(NULL, 4096) == NULL);
    CHECK(fh_init(arena, 0) == NULL);
    CHECK(fh_init(arena, 16) == NULL);
    CHECK(fh_init(arena + 3, 100) == NULL); /* bookkeeping leaves no block */
    /* A region that wraps around the address space. */
    CHECK(fh_init((void *)(UINTPTR_MAX - 255u), 4096) == NULL);
}

void test_init_odd_regions_are_consistent(void)
{
    size_t arena_size;
    th_arena(&arena_size);
    static const size_t offsets[] = {0, 1, 3, 7, 15, 17, 100, 333};
    static const size_t trims[] = {0, 1, 5, 16, 100, 1000, 4097};
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++)
        for (size_t j = 0; j < sizeof trims / sizeof trims[0]; j++) {
            if (offsets[i] + trims[j] + 1024u > arena_size)
                continue;
            size_t size = arena_size - offsets[i] - trims[j];
            fh_heap *h = tu_heap(offsets[i], size, NULL);
            CHECK(h != NULL);
            if (!h)
                continue;
            fh_stats s = stats_of(h);
            CHECK(fh_check(h));
            CHECK_EQ(s.total_bytes + s.metadata_bytes, size);
            CHECK_EQ(s.used_bytes, 0u);
            CHECK_EQ(s.free_bytes, s.total_bytes);
            CHECK_EQ(s.largest_free, tu_largest_free(h));
            /* Bookkeeping stays small: 2 bits per granule plus the lists. */
            CHECK(s.metadata_bytes <= 256u + s.total_bytes / 48u);
            size_t sum = 0;
            for (unsigned k = 0; k <= s.order_max; k++)
                sum += (size_t)s.free_blocks[k] * (FH_GRANULE << k);
            CHECK_EQ(sum, s.free_bytes);
        }
}

void test_alloc_any_power_of_two_alignment(void)
{
    fh_heap *h = tu_heap(5, 0, NULL);
    size_t total = stats_of(h).total_bytes;
    static const size_t sizes[] = {1, 15, 16, 17, 100, 1000};
    for (size_t align = 1; align <= total / 4u && align <= 65536u; align <<= 1)
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            void *p = fh_alloc(h, sizes[i], align);
            CHECK(p != NULL);
            CHECK(tu_aligned(p, align));
            CHECK(tu_aligned(p, FH_GRANULE));
            CHECK_EQ(fh_usable_size(h, p), fh_usable_size_for(sizes[i], align));
            CHECK(fh_owns(h, p));
            fh_free(h, p);
        }
    CHECK(fh_check(h));
    CHECK_EQ(stats_of(h).used_bytes, 0u);
}

void test_alloc_invalid_requests_return_null(void)
{
    fh_heap *h = tu_heap(3, 0, NULL);
    fh_stats before = stats_of(h);
    CHECK(fh_alloc(h, 0, 8) == NULL);
    CHECK(fh_alloc(h, 16, 3) == NULL);
    CHECK(fh_alloc(h, 16, 48) == NULL);
    CHECK(fh_alloc(h, SIZE_MAX, 8) == NULL);
    CHECK(fh_alloc(h, SIZE_MAX - 7u, 1) == NULL);
    CHECK(fh_alloc(h, before.total_bytes + 1u, 8) == NULL);
    CHECK(fh_alloc(h, 16, (size_t)1 << (sizeof(size_t) * 8u - 1u)) == NULL);
    CHECK(fh_alloc_zeroed(h, SIZE_MAX, 16) == NULL);
    fh_stats after = stats_of(h);
    CHECK_EQ(after.failed_allocs, before.failed_allocs + 8u);
    CHECK_EQ(after.used_bytes, 0u);
    CHECK_EQ(after.allocs, 0u);
    CHECK(fh_check(h));
}

void test_no_header_and_trimmed_tail(void)
{
    fh_heap *h = tu_heap(9, 0, NULL);
    /* A 16-byte block aligned to 1 KiB gives the rest of its 1 KiB block back
     * at once: the heap uses exactly one granule for it, and the 1008 bytes
     * behind it are free. */
    size_t before = stats_of(h).free_bytes;
    unsigned char *a = fh_alloc(h, 16, 1024);
    CHECK(a != NULL && tu_aligned(a, 1024));
    CHECK_EQ(stats_of(h).free_bytes, before - 16u);
    CHECK(tu_free_after(h, a, 16) >= 1008u);
    /* Odd sizes take only the granules they need, and nothing precedes the
     * payload: two blocks cut from one 64-byte block sit back to back. */
    unsigned char *c = fh_alloc(h, 40, 64); /* 3 granules */
    CHECK_EQ(fh_usable_size(h, c), 48u);
    unsigned char *d = fh_alloc(h, 16, 16);
    CHECK_EQ(stats_of(h).used_bytes, 16u + 48u + 16u);
    CHECK(fh_check(h));
    fh_free(h, a);
    fh_free(h, c);
    fh_free(h, d);
    CHECK(fh_check(h));
    CHECK_EQ(stats_of(h).largest_free, tu_largest_free(h));
    CHECK_EQ(stats_of(h).free_bytes, before);
}

void test_fill_with_granules_then_free_all(void)
{
    /* The heap takes 3/5 of the arena (at most 64 KiB); the pointer table
     * lives in the rest, outside the heap. */
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    size_t heap_size = arena_size / 5u * 3u < 65000u ? arena_size / 5u * 3u : 65000u;
    fh_heap *h = tu_heap(11, heap_size, NULL);
    fh_stats s = stats_of(h);
    size_t n = s.total_bytes / FH_GRANULE;
    void **ptrs = (void **)(void *)(arena + ((11u + heap_size + 15u) & ~(size_t)15u));
    CHECK((unsigned char *)(ptrs + n) <= arena + arena_size);
    size_t count = 0;
    void *p;
    while (count < n && (p = fh_alloc(h, 1 + count % 16u, 1)) != NULL)
        ptrs[count++] = p;
    /* Every granule is handed out before the first failure. */
    CHECK(fh_alloc(h, 1, 1) == NULL);
    CHECK_EQ(stats_of(h).free_bytes, 0u);
    CHECK_EQ(count * FH_GRANULE, s.total_bytes);
    CHECK(fh_check(h));
    /* Free every other block, then the rest: everything merges back. */
    for (size_t i = 0; i < count; i += 2)
        fh_free(h, ptrs[i]);
    CHECK(fh_check(h));
    for (size_t i = 1; i < count; i += 2)
        fh_free(h, ptrs[i]);
    CHECK(fh_check(h));
    fh_stats e = stats_of(h);
    CHECK_EQ(e.used_bytes, 0u);
    for (unsigned k = 0; k < FH_NR_ORDERS; k++)
        CHECK_EQ(e.free_blocks[k], s.free_blocks[k]);
}

void test_free_null_is_a_noop(void)
{
    fh_heap *h = tu_heap(2, 0, NULL);
    tu_reset_errors();
    fh_free(h, NULL);
    fh_free_sized(h, NULL, 16, 16);
    CHECK_EQ(tu_errors, 0u);
    CHECK_EQ(stats_of(h).rejected_frees, 0u);
    CHECK_EQ(stats_of(h).frees, 0u);
}

void test_bad_frees_are_rejected_and_change_nothing(void)
{
    fh_heap *h = tu_heap(7, 0, NULL);
    unsigned char *a = fh_alloc(h, 100, 64);
    unsigned char *b = fh_alloc(h, 300, 16);
    unsigned char *c = fh_alloc(h, 20, 16);
    CHECK(a && b && c);
    if (!(a && b && c))
        return;
    tu_fill(a, 100, 1);
    tu_fill(b, 300, 2);
    tu_fill(c, 20, 3);
    fh_stats before = stats_of(h);
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    int on_stack;
    struct {
        void *ptr;
        fh_error err;
    } bad[] = {
        {&on_stack, FH_ERR_OUTSIDE},
        {arena, FH_ERR_OUTSIDE},           /* the bookkeeping, not the area */
        {arena + arena_size + 4096, FH_ERR_OUTSIDE},
        {a + 1, FH_ERR_INTERIOR},
        {a + 16, FH_ERR_INTERIOR},
        {a + 64, FH_ERR_INTERIOR},          /* a's second block (CONT) */
        {b + 256, FH_ERR_INTERIOR},
        {c + 8, FH_ERR_INTERIOR},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tu_reset_errors();
        fh_free(h, bad[i].ptr);
        CHECK_EQ(tu_errors, 1u);
        CHECK_EQ(tu_last_error, bad[i].err);
        CHECK(tu_last_ptr == bad[i].ptr);
        tu_reset_errors();
        fh_free_sized(h, bad[i].ptr, 16, 16);
        CHECK_EQ(tu_errors, 1u);
        CHECK(fh_realloc(h, bad[i].ptr, 64, 16) == NULL);
        CHECK_EQ(fh_resize_in_place(h, bad[i].ptr, 64, 16), 0u);
        CHECK_EQ(fh_usable_size(h, bad[i].ptr), 0u);
    }
    fh_stats after = stats_of(h);
    /* free, sized free, realloc and resize count; usable size (const) does not. */
    CHECK_EQ(after.rejected_frees, before.rejected_frees + 4u * (sizeof bad / sizeof bad[0]));
    CHECK_EQ(after.used_bytes, before.used_bytes);
    CHECK_EQ(after.frees, before.frees);
    CHECK(fh_check(h));
    /* Double free: right away (the block is still a free block of its own). */
    fh_free(h, c);
    tu_reset_errors();
    fh_free(h, c);
    CHECK_EQ(tu_errors, 1u);
    CHECK(tu_last_error == FH_ERR_DOUBLE_FREE || tu_last_error == FH_ERR_INTERIOR);
    CHECK(fh_check(h));
    CHECK(tu_verify(a, 100, 1));
    CHECK(tu_verify(b, 300, 2));
    fh_free(h, a);
    fh_free(h, b);
    /* ... and after it merged into something bigger. */
    tu_reset_errors();
    fh_free(h, b);
    CHECK_EQ(tu_errors, 1u);
    CHECK(fh_check(h));
    CHECK_EQ(stats_of(h).used_bytes, 0u);
}

void test_free_sized_checks_the_layout(void)
{
    fh_heap *h = tu_heap(1, 0, NULL);
    void *p = fh_alloc(h, 20, 32); /* usable 32 */
    tu_reset_errors();
    fh_free_sized(h, p, 33, 32);   /* larger than usable */
    CHECK_EQ(tu_last_error, FH_ERR_SIZE_MISMATCH);
    fh_free_sized(h, p, 16, 32);   /* smaller than requested */
    CHECK_EQ(tu_errors, 2u);
    fh_free_sized(h, p, 20, 4096); /* alignment it never had (almost surely) */
    CHECK_EQ(stats_of(h).live_allocs, tu_aligned(p, 4096) ? 0u : 1u);
    if (!tu_aligned(p, 4096)) {
        fh_free_sized(h, p, 32, 32); /* anywhere in [requested, usable] */
        CHECK_EQ(stats_of(h).live_allocs, 0u);
    }
    CHECK(fh_check(h));
    void *q = fh_alloc(h, 1000, 8);
    fh_free_sized(h, q, 1000, 8);
    CHECK_EQ(stats_of(h).used_bytes, 0u);
}

void test_alloc_zeroed_clears_reused_memory(void)
{
    fh_heap *h = tu_heap(13, 0, NULL);
    size_t total = stats_of(h).total_bytes;
    size_t n = total / 4u;
    unsigned char *p = fh_alloc(h, n, 16);
    CHECK(p != NULL);
    for (size_t i = 0; i < n; i++)
        p[i] = 0xA5;
    fh_free(h, p);
    unsigned char *z = fh_alloc_zeroed(h, n - 3u, 16);
    CHECK(z != NULL);
    size_t usable = fh_usable_size(h, z);
    bool zero = true;
    for (size_t i = 0; i < usable; i++)
        zero = zero && z[i] == 0;
    CHECK(zero);
    fh_free(h, z);
}

void test_realloc_shrinks_and_grows_in_place(void)
{
    fh_heap *h = tu_heap(21, 0, NULL);
    size_t total = stats_of(h).total_bytes;
    /* B: a block size that leaves room for everything below on any arena. */
    size_t B = total >= 8192u ? 1024u : 256u;
    unsigned char *p = fh_alloc(h, B, B);
    CHECK(p != NULL);
    if (!p)
        return;
    tu_fill(p, B, 7);
    /* Shrink: same pointer, prefix kept, tail back on the lists. */
    CHECK(fh_realloc(h, p, 100, B) == p);
    CHECK_EQ(fh_usable_size(h, p), 112u);
    CHECK(tu_verify(p, 100, 7));
    CHECK_EQ(stats_of(h).used_bytes, 112u);
    CHECK(fh_check(h));
    /* Grow into the tail it just gave back: same pointer again. */
    CHECK(tu_free_after(h, p, 112) >= B - 112u);
    CHECK(fh_realloc(h, p, B - 24u, B) == p);
    CHECK(tu_verify(p, 100, 7));
    CHECK_EQ(fh_usable_size(h, p), B - 16u);
    CHECK(fh_check(h));
    /* Past what is free behind it: it has to move, keeping data and
     * alignment, whenever some other block can take it. */
    tu_fill(p, B - 24u, 8);
    size_t beyond = (B - 16u) + tu_free_after(h, p, B - 16u) + 16u;
    unsigned char *q = fh_realloc(h, p, beyond, B);
    if (q == NULL) {
        CHECK(stats_of(h).largest_free < 2u * beyond);
        CHECK(tu_verify(p, B - 24u, 8));
        q = p;
    } else {
        CHECK(q != p);
        CHECK(tu_aligned(q, B));
        CHECK(tu_verify(q, B - 24u, 8));
        CHECK_EQ(fh_usable_size(h, q), fh_usable_size_for(beyond, B));
    }
    CHECK(fh_check(h));
    /* Failure leaves the block as it was. */
    size_t usable = fh_usable_size(h, q);
    CHECK(fh_realloc(h, q, total, 16) == NULL);
    CHECK(tu_verify(q, B - 24u, 8));
    CHECK_EQ(fh_usable_size(h, q), usable);
    /* NULL acts as alloc, size 0 frees. */
    void *r = fh_realloc(h, NULL, 50, 64);
    CHECK(r != NULL && tu_aligned(r, 64));
    CHECK(fh_realloc(h, r, 0, 64) == NULL);
    fh_free(h, q);
    CHECK_EQ(stats_of(h).used_bytes, 0u);
    CHECK(fh_check(h));
}

void test_realloc_to_stricter_alignment_moves(void)
{
    fh_heap *h = tu_heap(21, 0, NULL);
    /* Collect granule-sized blocks until one sits on an odd granule. */
    unsigned char *held[64];
    unsigned n = 0;
    unsigned char *p = NULL;
    while (n < 64u && (p = fh_alloc(h, 16, 16)) != NULL && tu_aligned(p, 32))
        held[n++] = p;
    CHECK(p != NULL && !tu_aligned(p, 32));
    tu_fill(p, 16, 5);
    unsigned char *q = fh_realloc(h, p, 16, 512);
    CHECK(q != NULL && q != p && tu_aligned(q, 512));
    CHECK(tu_verify(q, 16, 5));
    fh_free(h, q);
    while (n)
        fh_free(h, held[--n]);
    CHECK(fh_check(h));
    CHECK_EQ(stats_of(h).used_bytes, 0u);
}

void test_resize_in_place_matches_the_free_map(void)
{
    fh_heap *h = tu_heap(33, 0, NULL);
    uint32_t rng = 12345;
    void *blocks[24] = {0};
    size_t sizes[24] = {0};
    size_t total = stats_of(h).total_bytes;
    size_t max = total / 64u;
    for (unsigned round = 0; round < 400u * th_scale(); round++) {
        unsigned i = th_rand_range(&rng, 0, 23);
        size_t want = th_rand_range(&rng, 1, (uint32_t)max);
        if (!blocks[i]) {
            blocks[i] = fh_alloc(h, want, 16);
            sizes[i] = want;
            if (blocks[i])
                tu_fill(blocks[i], want, i);
            continue;
        }
        size_t usable = fh_usable_size(h, blocks[i]);
        size_t need = fh_usable_size_for(want, 16);
        size_t room = tu_free_after(h, blocks[i], usable);
        size_t got = fh_resize_in_place(h, blocks[i], want, 16);
        if (need <= usable + room) {
            CHECK_EQ(got, need);
            size_t kept = sizes[i] < want ? sizes[i] : want;
            CHECK(tu_verify(blocks[i], kept, i));
            sizes[i] = want;
            tu_fill(blocks[i], want, i);
        } else {
            CHECK_EQ(got, usable);
            CHECK(tu_verify(blocks[i], sizes[i], i));
        }
        if (round % 7u == 0) {
            fh_free(h, blocks[i]);
            blocks[i] = NULL;
        }
        CHECK(fh_check(h));
    }
    for (unsigned i = 0; i < 24; i++)
        fh_free(h, blocks[i]);
    CHECK_EQ(stats_of(h).used_bytes, 0u);
    CHECK(fh_check(h));
}

void test_usable_size_for_is_exact_and_pure(void)
{
    CHECK_EQ(fh_usable_size_for(1, 1), 16u);
    CHECK_EQ(fh_usable_size_for(16, 4096), 16u);
    CHECK_EQ(fh_usable_size_for(17, 8), 32u);
    CHECK_EQ(fh_usable_size_for(1000, 0), 1008u);
    CHECK_EQ(fh_usable_size_for(0, 8), 0u);
    CHECK_EQ(fh_usable_size_for(5, 3), 0u);
    CHECK_EQ(fh_usable_size_for(SIZE_MAX, 1), 0u);
    CHECK_EQ(fh_usable_size_for(SIZE_MAX - 14u, 1), 0u); /* rounding overflows */
}

void test_stats_track_every_operation(void)
{
    fh_heap *h = tu_heap(17, 0, NULL);
    fh_stats s0 = stats_of(h);
    void *a = fh_alloc(h, 100, 8);
    void *b = fh_alloc(h, 200, 8);
    fh_stats s1 = stats_of(h);
    CHECK_EQ(s1.allocs, 2u);
    CHECK_EQ(s1.live_allocs, 2u);
    CHECK_EQ(s1.used_bytes, 112u + 208u);
    CHECK_EQ(s1.peak_used_bytes, 112u + 208u);
    CHECK_EQ(s1.free_bytes + s1.used_bytes, s0.total_bytes);
    CHECK_EQ(s1.largest_free, tu_largest_free(h));
    fh_free(h, a);
    CHECK(fh_alloc(h, s0.total_bytes, 8) == NULL);
    fh_free(h, a); /* rejected */
    fh_stats s2 = stats_of(h);
    CHECK_EQ(s2.frees, 1u);
    CHECK_EQ(s2.failed_allocs, 1u);
    CHECK_EQ(s2.rejected_frees, 1u);
    CHECK_EQ(s2.used_bytes, 208u);
    CHECK_EQ(s2.peak_used_bytes, 320u);
    fh_free(h, b);
    CHECK_EQ(stats_of(h).free_bytes, s0.total_bytes);
}

typedef struct {
    uintptr_t next;
    size_t bytes;
    bool ordered;
} walk_sum;

static void sum_blocks(void *ctx, void *addr, size_t size, bool used)
{
    walk_sum *w = ctx;
    (void)used;
    if (w->next && (uintptr_t)addr != w->next)
        w->ordered = false;
    w->next = (uintptr_t)addr + size;
    w->bytes += size;
}

void test_walk_tiles_the_heap(void)
{
    fh_heap *h = tu_heap(19, 0, NULL);
    void *a = fh_alloc(h, 70, 16);
    void *b = fh_alloc(h, 5, 256);
    walk_sum w = {0, 0, true};
    fh_walk(h, sum_blocks, &w);
    CHECK(w.ordered);
    CHECK_EQ(w.bytes, stats_of(h).total_bytes);
    fh_free(h, a);
    fh_free(h, b);
}
