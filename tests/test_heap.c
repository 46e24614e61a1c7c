/*
 * Unit tests of the heap's instance API, one contract line at a time. Every
 * test builds its own heap over the scratch arena at an odd offset, so they
 * run unchanged on a 5 KiB arena and on a 4 MiB one. The heap's layout is
 * looked at through the internal header only where a contract is about it
 * (the pages after a block are free; the slab an object sits in).
 */
#include "testutil.h"
#include "slab.h"

static fh_stats stats_of(const fh_heap *h)
{
    fh_stats s;
    fh_get_stats(h, &s);
    return s;
}

/* Free pages that directly follow [p, p + bytes), by the page map. */
static size_t free_pages_after(const fh_heap *h, const void *p, size_t bytes)
{
    uintptr_t q = fh_page_of((const char *)p + bytes - 1u) + 1u, n = 0;
    while (q < h->pend && PG_TYPE(*fh_pw(h, q)) == PG_FREE) {
        uintptr_t len = (uintptr_t)1 << PG_FIELD(*fh_pw(h, q));
        n += len;
        q += len;
    }
    return n;
}

void test_init_rejects_unusable_regions(void)
{
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    CHECK(fh_init(NULL, 4096) == NULL);
    CHECK(fh_init(arena, 0) == NULL);
    CHECK(fh_init(arena, 16) == NULL);
    CHECK(fh_init(arena + 3, FH_PAGE_SIZE - 1u) == NULL);  /* under a page */
    CHECK(fh_init(arena + 3, FH_PAGE_SIZE + 100u) == NULL); /* bookkeeping leaves no page */
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
            if (offsets[i] + trims[j] + 2048u > arena_size)
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
            CHECK_EQ(s.total_bytes % FH_PAGE_SIZE, 0u);
            /* Bookkeeping: a word per page, the lists, and at most a page
             * lost at each end to alignment. */
            CHECK(s.metadata_bytes <= 2u * FH_PAGE_SIZE + 1024u + size / 64u);
            size_t sum = 0, largest = 0;
            for (unsigned k = 0; k <= s.order_max; k++) {
                sum += (size_t)s.free_blocks[k] * (FH_PAGE_SIZE << k);
                if (s.free_blocks[k])
                    largest = FH_PAGE_SIZE << k;
            }
            CHECK_EQ(sum, s.free_bytes);
            CHECK_EQ(s.largest_free, largest);
        }
}

void test_alloc_any_power_of_two_alignment(void)
{
    fh_heap *h = tu_heap(5, 0, NULL);
    size_t total = stats_of(h).total_bytes;
    static const size_t sizes[] = {1, 15, 16, 17, 100, 255, 256, 257, 640, 641, 1000, 5000};
    for (size_t align = 1; align <= total / 4u && align <= 65536u; align <<= 1)
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            if (sizes[i] > total / 4u)
                continue;
            void *p = fh_alloc(h, sizes[i], align);
            CHECK(p != NULL);
            CHECK(tu_aligned(p, align));
            CHECK(tu_aligned(p, FH_GRANULE));
            CHECK_EQ(fh_usable_size(h, p), fh_usable_size_for(sizes[i], align));
            CHECK(fh_usable_size(h, p) >= sizes[i]);
            CHECK(fh_owns(h, p));
            tu_fill(p, fh_usable_size(h, p), (uint32_t)i);
            CHECK(fh_check(h));
            CHECK(tu_verify(p, fh_usable_size(h, p), (uint32_t)i));
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
    CHECK(fh_alloc(h, 1000, 48) == NULL);
    CHECK(fh_alloc(h, SIZE_MAX, 8) == NULL);
    CHECK(fh_alloc(h, SIZE_MAX - 7u, 1) == NULL);
    CHECK(fh_alloc(h, before.total_bytes + 1u, 8) == NULL);
    CHECK(fh_alloc(h, 16, (size_t)1 << (sizeof(size_t) * 8u - 1u)) == NULL);
    CHECK(fh_alloc_zeroed(h, SIZE_MAX, 16) == NULL);
    fh_stats after = stats_of(h);
    CHECK_EQ(after.failed_allocs, before.failed_allocs + 9u);
    CHECK_EQ(after.used_bytes, 0u);
    CHECK_EQ(after.allocs, 0u);
    CHECK(fh_check(h));
}

void test_usable_size_for_is_exact_and_pure(void)
{
    /* Slab classes: the request rounded up to its alignment, then to its
     * class; a class that is a multiple of the alignment. */
    CHECK_EQ(fh_usable_size_for(1, 1), 16u);
    CHECK_EQ(fh_usable_size_for(16, 0), 16u);
    CHECK_EQ(fh_usable_size_for(17, 8), 32u);
    CHECK_EQ(fh_usable_size_for(40, 64), 64u);
    CHECK_EQ(fh_usable_size_for(100, 8), 128u); /* 96 or 112 would fit two to a page too */
    CHECK_EQ(fh_usable_size_for(100, 32), 128u);
    CHECK_EQ(fh_usable_size_for(130, 16), 160u);
    CHECK_EQ(fh_usable_size_for(130, 64), 256u); /* 192: a page holds one either way */
    CHECK_EQ(fh_usable_size_for(300, 16), 320u);
    CHECK_EQ(fh_usable_size_for(300, 128), 512u);
    CHECK_EQ(fh_usable_size_for(600, 16), 640u);
    /* Whole pages: large allocations, rounded to FH_CONFIG_LARGE_BITS (4)
     * significant bits of pages. */
    CHECK_EQ(fh_usable_size_for(200, 256), 256u);
    CHECK_EQ(fh_usable_size_for(250, 16), 256u);
    CHECK_EQ(fh_usable_size_for(500, 16), 512u);
    CHECK_EQ(fh_usable_size_for(641, 16), 768u);
    CHECK_EQ(fh_usable_size_for(16, 4096), 256u);
    CHECK_EQ(fh_usable_size_for(1000, 0), 1024u);
    CHECK_EQ(fh_usable_size_for(16u * 256u, 8), 16u * 256u);
    CHECK_EQ(fh_usable_size_for(16u * 256u + 1u, 8), 18u * 256u);
    CHECK_EQ(fh_usable_size_for(33u * 256u, 8), 36u * 256u);
    CHECK_EQ(fh_usable_size_for(31u * 256u + 1u, 8), 32u * 256u);
    /* Invalid requests. */
    CHECK_EQ(fh_usable_size_for(0, 8), 0u);
    CHECK_EQ(fh_usable_size_for(5, 3), 0u);
    CHECK_EQ(fh_usable_size_for(SIZE_MAX, 1), 0u);
    CHECK_EQ(fh_usable_size_for(SIZE_MAX - 14u, 1), 0u);
    /* Monotone in size, and any size between a request and its usable size
     * names the same usable size (what sized frees rely on). */
    static const size_t aligns[] = {1, 16, 32, 64, 128, 256, 4096};
    for (size_t a = 0; a < sizeof aligns / sizeof aligns[0]; a++) {
        size_t prev = 0;
        for (size_t n = 1; n <= 20000u; n += 1u + n / 64u) {
            size_t u = fh_usable_size_for(n, aligns[a]);
            CHECK(u >= n && u >= prev && u % 16u == 0);
            CHECK_EQ(fh_usable_size_for(u, aligns[a]), u);
            prev = u;
        }
    }
}

void test_no_header_and_exact_extent(void)
{
    fh_heap *h = tu_heap(9, 0, NULL);
    fh_stats s0 = stats_of(h);
    /* A small request aligned beyond any class: one page on a 1 KiB
     * boundary, and only that page in use. */
    unsigned char *a = fh_alloc(h, 16, 1024);
    CHECK(a != NULL && tu_aligned(a, 1024));
    CHECK_EQ(stats_of(h).used_bytes, FH_PAGE_SIZE);
    /* A large run uses exactly its pages; nothing precedes the payload:
     * every usable byte is the caller's. */
    unsigned char *b = fh_alloc(h, 5u * FH_PAGE_SIZE - 10u, 16);
    CHECK(b != NULL && tu_aligned(b, FH_PAGE_SIZE));
    CHECK_EQ(fh_usable_size(h, b), 5u * FH_PAGE_SIZE);
    tu_fill(b, 5u * FH_PAGE_SIZE, 2);
    /* Slab objects sit back to back in their slab, from its first byte. */
    unsigned char *c[5];
    for (unsigned i = 0; i < 5; i++)
        c[i] = fh_alloc(h, 40, 16); /* class 48: five to a page */
    uintptr_t base = (uintptr_t)c[0] & ~(uintptr_t)(FH_PAGE_SIZE - 1u);
    for (unsigned i = 0; i < 5; i++) {
        CHECK(c[i] != NULL);
        CHECK_EQ(((uintptr_t)c[i] - base) % 48u, 0u);
        CHECK(((uintptr_t)c[i] & ~(uintptr_t)(FH_PAGE_SIZE - 1u)) == base);
        tu_fill(c[i], 48, 10u + i);
    }
    CHECK_EQ(stats_of(h).used_bytes, FH_PAGE_SIZE + 5u * FH_PAGE_SIZE + 5u * 48u);
    CHECK(fh_check(h));
    CHECK(tu_verify(b, 5u * FH_PAGE_SIZE, 2));
    for (unsigned i = 0; i < 5; i++) {
        CHECK(tu_verify(c[i], 48, 10u + i));
        fh_free(h, c[i]);
    }
    fh_free(h, a);
    fh_free(h, b);
    fh_stats e = stats_of(h);
    CHECK_EQ(e.used_bytes, 0u);
    for (unsigned k = 0; k < FH_NR_ORDERS; k++)
        CHECK_EQ(e.free_blocks[k], s0.free_blocks[k]); /* merged back whole */
    CHECK(fh_check(h));
}

void test_fill_then_free_all(void)
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
    /* 16-byte objects fill whole pages: every byte is handed out before the
     * first failure. */
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
    unsigned char *a = fh_alloc(h, 100, 64);  /* class 128 */
    unsigned char *b = fh_alloc(h, 700, 16);  /* 3 pages */
    unsigned char *c = fh_alloc(h, 20, 16);   /* class 32 */
    unsigned char *d = fh_alloc(h, 70, 16);   /* class 80: three to a page */
    CHECK(a && b && c && d);
    if (!(a && b && c && d))
        return;
    tu_fill(a, 100, 1);
    tu_fill(b, 700, 2);
    tu_fill(c, 20, 3);
    tu_fill(d, 70, 4);
    fh_stats before = stats_of(h);
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    uintptr_t d_slab = (uintptr_t)d & ~(uintptr_t)(FH_PAGE_SIZE - 1u);
    int on_stack;
    struct {
        void *ptr;
        fh_error err;
    } bad[] = {
        {&on_stack, FH_ERR_OUTSIDE},
        {arena, FH_ERR_OUTSIDE}, /* the bookkeeping, not the area */
        {arena + arena_size + 4096, FH_ERR_OUTSIDE},
        {a + 1, FH_ERR_INTERIOR},
        {a + 16, FH_ERR_INTERIOR},
        {a + 64, FH_ERR_INTERIOR},
        {b + 1, FH_ERR_INTERIOR},
        {b + FH_PAGE_SIZE, FH_ERR_INTERIOR},
        {c + 8, FH_ERR_INTERIOR},
        {(void *)(d_slab + 3u * 80u), FH_ERR_INTERIOR}, /* the slab's slack */
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
        CHECK_EQ(fh_usable_size(h, bad[i].ptr), 0u); /* reported, not counted */
        CHECK_EQ(tu_errors, 4u);
    }
    fh_stats after = stats_of(h);
    CHECK_EQ(after.rejected_frees, before.rejected_frees + 4u * (sizeof bad / sizeof bad[0]));
    CHECK_EQ(after.used_bytes, before.used_bytes);
    CHECK_EQ(after.frees, before.frees);
    CHECK(fh_check(h));
    /* Double frees: of a slab object (its bit says free) and of a run, right
     * away and after its pages merged into something bigger. */
    fh_free(h, c);
    tu_reset_errors();
    fh_free(h, c);
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(tu_last_error, FH_ERR_DOUBLE_FREE);
    fh_free(h, b);
    tu_reset_errors();
    fh_free(h, b);
    CHECK_EQ(tu_errors, 1u);
    CHECK(tu_last_error == FH_ERR_DOUBLE_FREE || tu_last_error == FH_ERR_INTERIOR);
    CHECK(fh_check(h));
    CHECK(tu_verify(a, 100, 1));
    CHECK(tu_verify(d, 70, 4));
    fh_free(h, a);
    fh_free(h, d);
    tu_reset_errors();
    fh_free(h, a); /* its slab went back to the buddy system */
    CHECK_EQ(tu_errors, 1u);
    CHECK(fh_check(h));
    CHECK_EQ(stats_of(h).used_bytes, 0u);
}

void test_free_sized_checks_the_layout(void)
{
    fh_heap *h = tu_heap(1, 0, NULL);
    void *p = fh_alloc(h, 20, 32); /* class 32 */
    tu_reset_errors();
    fh_free_sized(h, p, 33, 32); /* another class */
    CHECK_EQ(tu_last_error, FH_ERR_SIZE_MISMATCH);
    fh_free_sized(h, p, 300, 16); /* another class */
    fh_free_sized(h, p, 2000, 16); /* not even a slab size */
    CHECK_EQ(tu_errors, 3u);
    fh_free_sized(h, p, 20, 4096); /* an alignment it never had */
    CHECK_EQ(stats_of(h).live_allocs, 1u);
    fh_free_sized(h, p, 32, 32); /* anywhere in its class */
    CHECK_EQ(stats_of(h).live_allocs, 0u);
    CHECK(fh_check(h));
    /* Large: any size with the same page count. */
    void *q = fh_alloc(h, 1000, 8);
    tu_reset_errors();
    fh_free_sized(h, q, 700, 8); /* 3 pages, not 4 */
    CHECK_EQ(tu_last_error, FH_ERR_SIZE_MISMATCH);
    fh_free_sized(h, q, 1024, 8);
    CHECK_EQ(stats_of(h).used_bytes, 0u);
    CHECK(fh_check(h));
}

void test_alloc_zeroed_clears_reused_memory(void)
{
    fh_heap *h = tu_heap(13, 0, NULL);
    size_t total = stats_of(h).total_bytes;
    static const size_t sizes[] = {24, 300, 0};
    for (unsigned i = 0; i < 3; i++) {
        size_t n = sizes[i] ? sizes[i] : total / 4u;
        unsigned char *p = fh_alloc(h, n, 16);
        CHECK(p != NULL);
        if (!p)
            return;
        for (size_t j = 0; j < fh_usable_size(h, p); j++)
            p[j] = 0xA5;
        fh_free(h, p);
        unsigned char *z = fh_alloc_zeroed(h, n - 3u, 16);
        CHECK(z != NULL);
        size_t usable = fh_usable_size(h, z);
        bool zero = true;
        for (size_t j = 0; j < usable; j++)
            zero = zero && z[j] == 0;
        CHECK(zero);
        fh_free(h, z);
    }
}

void test_realloc_shrinks_and_grows_in_place(void)
{
    fh_heap *h = tu_heap(21, 0, NULL);
    size_t total = stats_of(h).total_bytes;
    /* A run on a boundary of 8 pages, with free pages behind it. */
    size_t P = FH_PAGE_SIZE;
    unsigned char *p = fh_alloc(h, 8u * P, 8u * P);
    CHECK(p != NULL);
    if (!p)
        return;
    tu_fill(p, 8u * P, 7);
    /* Shrink: same pointer, prefix kept, the rest back on the lists. */
    CHECK(fh_realloc(h, p, 2u * P + 200u, 16) == p);
    CHECK_EQ(fh_usable_size(h, p), 3u * P);
    CHECK(tu_verify(p, 2u * P + 200u, 7));
    CHECK_EQ(stats_of(h).used_bytes, 3u * P);
    CHECK(free_pages_after(h, p, 3u * P) >= 5u);
    CHECK(fh_check(h));
    /* Grow into what it gave back: same pointer again. */
    CHECK(fh_realloc(h, p, 7u * P, 16) == p);
    CHECK(tu_verify(p, 2u * P + 200u, 7));
    CHECK_EQ(fh_usable_size(h, p), 7u * P);
    CHECK(fh_check(h));
    /* A slab object stays put within its class and moves to another. */
    unsigned char *s = fh_alloc(h, 40, 16);
    tu_fill(s, 40, 9);
    CHECK(fh_realloc(h, s, 48, 16) == s);
    CHECK(fh_realloc(h, s, 33, 16) == s);
    unsigned char *s2 = fh_realloc(h, s, 100, 16);
    CHECK(s2 != NULL && s2 != s);
    CHECK(tu_verify(s2, 33, 9));
    CHECK_EQ(fh_usable_size(h, s2), 128u);
    /* Blocked behind: it has to move, keeping data and alignment. */
    unsigned char *wall = fh_alloc(h, 100, 16);
    unsigned char *r = fh_alloc(h, 3u * P, 4u * P);
    CHECK(r != NULL);
    if (r) {
        tu_fill(r, 3u * P, 4);
        size_t room = free_pages_after(h, r, 3u * P);
        unsigned char *r2 = fh_realloc(h, r, (4u + room) * P, 4u * P);
        if (r2 == NULL) {
            CHECK(tu_verify(r, 3u * P, 4));
        } else {
            CHECK(r2 != r && tu_aligned(r2, 4u * P));
            CHECK(tu_verify(r2, 3u * P, 4));
            r = r2;
        }
        fh_free(h, r);
    }
    fh_free(h, wall);
    /* Failure leaves the block as it was. (More than the heap holds: a
     * request of the whole heap could grow in place, wherever p lies.) */
    size_t usable = fh_usable_size(h, p);
    CHECK(fh_realloc(h, p, total + FH_GRANULE, 16) == NULL);
    CHECK(tu_verify(p, 2u * P + 200u, 7));
    CHECK_EQ(fh_usable_size(h, p), usable);
    /* NULL acts as alloc, size 0 frees. */
    void *z = fh_realloc(h, NULL, 50, 64);
    CHECK(z != NULL && tu_aligned(z, 64));
    CHECK(fh_realloc(h, z, 0, 64) == NULL);
    fh_free(h, s2);
    fh_free(h, p);
    CHECK_EQ(stats_of(h).used_bytes, 0u);
    CHECK(fh_check(h));
}

void test_realloc_to_stricter_alignment_moves(void)
{
    fh_heap *h = tu_heap(21, 0, NULL);
    /* Collect 16-byte objects until one sits on an odd granule. */
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

/* In-place resizing against its rule: a slab object stays within its class;
 * a run always shrinks, and grows as tu_run_can_grow says. */
void test_resize_in_place_matches_the_page_map(void)
{
    fh_heap *h = tu_heap(33, 0, NULL);
    uint32_t rng = 12345;
    void *blocks[24] = {0};
    size_t sizes[24] = {0};
    size_t total = stats_of(h).total_bytes;
    uint32_t max = (uint32_t)(total / 32u);
    for (unsigned round = 0; round < 400u * th_scale(); round++) {
        unsigned i = th_rand_range(&rng, 0, 23);
        size_t want = th_rand_range(&rng, 1, max);
        if (!blocks[i]) {
            blocks[i] = fh_alloc(h, want, 16);
            sizes[i] = want;
            if (blocks[i])
                tu_fill(blocks[i], want, i);
            continue;
        }
        size_t usable = fh_usable_size(h, blocks[i]);
        size_t need = fh_usable_size_for(want, 16);
        bool was_slab = fh_class_of(sizes[i], 16) != FH_NO_CLASS;
        bool to_slab = fh_class_of(want, 16) != FH_NO_CLASS;
        bool can;
        if (was_slab || to_slab) {
            can = was_slab && to_slab && need == usable;
        } else {
            can = tu_run_can_grow(h, blocks[i], usable, need);
        }
        size_t got = fh_resize_in_place(h, blocks[i], want, 16);
        CHECK_EQ(got, can ? need : usable);
        if (got == need) {
            size_t kept = sizes[i] < want ? sizes[i] : want;
            CHECK(tu_verify(blocks[i], kept, i));
            sizes[i] = want;
            tu_fill(blocks[i], want, i);
        } else {
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

void test_stats_track_every_operation(void)
{
    fh_heap *h = tu_heap(17, 0, NULL);
    fh_stats s0 = stats_of(h);
    void *a = fh_alloc(h, 100, 8);  /* 128 */
    void *b = fh_alloc(h, 1000, 8); /* 4 pages */
    fh_stats s1 = stats_of(h);
    CHECK_EQ(s1.allocs, 2u);
    CHECK_EQ(s1.live_allocs, 2u);
    CHECK_EQ(s1.used_bytes, 128u + 1024u);
    CHECK_EQ(s1.peak_used_bytes, 128u + 1024u);
    CHECK_EQ(s1.free_bytes + s1.used_bytes, s0.total_bytes);
    fh_free(h, a);
    CHECK(fh_alloc(h, s0.total_bytes, 8) == NULL);
    fh_free(h, a); /* rejected */
    fh_stats s2 = stats_of(h);
    CHECK_EQ(s2.frees, 1u);
    CHECK_EQ(s2.failed_allocs, 1u);
    CHECK_EQ(s2.rejected_frees, 1u);
    CHECK_EQ(s2.used_bytes, 1024u);
    CHECK_EQ(s2.peak_used_bytes, 1152u);
    fh_free(h, b);
    CHECK_EQ(stats_of(h).free_bytes, s0.total_bytes);
}

typedef struct {
    uintptr_t next;
    size_t bytes, used;
    bool ordered;
} walk_sum;

static void sum_blocks(void *ctx, void *addr, size_t size, bool used)
{
    walk_sum *w = ctx;
    if (w->next && (uintptr_t)addr != w->next)
        w->ordered = false;
    w->next = (uintptr_t)addr + size;
    w->bytes += size;
    w->used += used ? size : 0u;
}

void test_walk_tiles_the_heap(void)
{
    fh_heap *h = tu_heap(19, 0, NULL);
    void *a = fh_alloc(h, 70, 16);
    void *b = fh_alloc(h, 5, 256);
    void *c = fh_alloc(h, 3000, 16);
    walk_sum w = {0, 0, 0, true};
    fh_walk(h, sum_blocks, &w);
    CHECK(w.ordered);
    CHECK_EQ(w.bytes, stats_of(h).total_bytes);
    CHECK_EQ(w.used, stats_of(h).used_bytes);
    fh_free(h, a);
    fh_free(h, b);
    fh_free(h, c);
}

/* The class table keeps the rules the fast paths rely on. */
void test_slab_classes_are_consistent(void)
{
    for (unsigned c = 0; c < FH_NR_CLASSES; c++) {
        const fh_class *cl = &fh_classes[c];
        uintptr_t bytes = FH_PAGE << cl->order;
        CHECK(cl->size % 16u == 0 && cl->size <= FH_SLAB_MAX);
        CHECK(cl->count >= 2u && cl->count <= 24u);
        CHECK(cl->count * (uintptr_t)cl->size <= bytes);
        CHECK((cl->count + 1u) * (uintptr_t)cl->size > bytes || cl->count == 24u);
        CHECK(cl->size % FH_PAGE != 0u);
        CHECK(c == 0 || cl->size > fh_classes[c - 1u].size);
        /* The reciprocal turns every offset of an object into its index,
         * and no other offset into an object's. */
        for (uint32_t off = 0; off < bytes; off += 16u) {
            uint32_t i = (uint32_t)(off * cl->recip) >> 16;
            CHECK_EQ(i == off / cl->size, true);
        }
    }
    /* Every size up to FH_SLAB_MAX maps to the smallest class that holds it,
     * or to pages when that size is a whole number of pages. */
    for (size_t s = 1; s <= FH_SLAB_MAX; s++) {
        unsigned c = fh_class_of(s, 16);
        size_t pages = (s + FH_PAGE - 1u) / FH_PAGE * FH_PAGE;
        if (c == FH_NO_CLASS) {
            CHECK_EQ(fh_usable_size_for(s, 16), pages);
            continue;
        }
        CHECK(fh_classes[c].size >= s && fh_classes[c].size < pages);
        CHECK(c == 0 || fh_classes[c - 1u].size < s);
    }
}
