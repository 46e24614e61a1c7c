/*
 * The default heap and the two front ends built on it: the C malloc family
 * and the five legacy Rust hooks. The default heap is the region between the
 * linker symbols __heap_start and __heap_end (the host glue defines them over
 * a static array with an odd base and size). Each test gives back everything
 * it took, so the heap is empty between tests.
 */
#include "testutil.h"
#include "firmheap_rust.h"

#include "front_names.h"

void test_default_heap_covers_the_linker_region(void)
{
    fh_heap *h = fh_default();
    CHECK(h != NULL);
    if (!h)
        return;
    CHECK(h == fh_default()); /* initialised once */
    fh_stats s;
    fh_get_stats(h, &s);
    CHECK_EQ(s.total_bytes + s.metadata_bytes, (size_t)(__heap_end - __heap_start));
    char *p = fh_default_alloc(16, 16);
    CHECK(p >= __heap_start && p + 16 <= __heap_end);
    CHECK(fh_owns(h, p));
    fh_default_free(p);
    CHECK(fh_check(h));
}

void test_malloc_family_abi_alignment(void)
{
    size_t base = tu_default_used();
    for (size_t n = 0; n < 300; n += 7) {
        void *p = M(malloc)(n);
        CHECK(p != NULL);
        CHECK(tu_aligned(p, _Alignof(max_align_t)));
        CHECK(M(malloc_usable_size)(p) >= n);
        M(free)(p);
    }
    void *a = M(malloc)(0), *b = M(malloc)(0);
    CHECK(a != NULL && b != NULL && a != b); /* malloc(0) is unique */
    M(free)(a);
    M(free)(b);
    M(free)(NULL);
    CHECK_EQ(tu_default_used(), base);
}

void test_calloc_zeroes_and_checks_overflow(void)
{
    size_t base = tu_default_used();
    unsigned char *p = M(malloc)(256);
    for (int i = 0; i < 256; i++)
        p[i] = 0xEE;
    M(free)(p);
    unsigned char *z = M(calloc)(16, 16);
    CHECK(z != NULL);
    bool zero = true;
    for (int i = 0; i < 256 && z; i++)
        zero = zero && z[i] == 0;
    CHECK(zero);
    M(free)(z);
    CHECK(M(calloc)(SIZE_MAX / 2u + 2u, 2) == NULL);
    CHECK(M(calloc)(2, SIZE_MAX) == NULL);
    CHECK(M(calloc)((size_t)1 << (sizeof(size_t) * 4u), (size_t)1 << (sizeof(size_t) * 4u)) == NULL);
    CHECK_EQ(tu_default_used(), base);
}

void test_malloc_realloc_keeps_contents(void)
{
    size_t base = tu_default_used();
    unsigned char *p = M(realloc)(NULL, 40);
    CHECK(p != NULL);
    tu_fill(p, 40, 99);
    unsigned char *q = M(realloc)(p, 400);
    CHECK(q != NULL && tu_verify(q, 40, 99));
    CHECK(tu_aligned(q, _Alignof(max_align_t)));
    q = M(realloc)(q, 10);
    CHECK(q != NULL && tu_verify(q, 10, 99));
    CHECK(M(realloc)(q, SIZE_MAX) == NULL);
    CHECK(tu_verify(q, 10, 99));
    CHECK(M(realloc)(q, 0) == NULL); /* frees */
    CHECK_EQ(tu_default_used(), base);
}

void test_aligned_allocation_entry_points(void)
{
    size_t base = tu_default_used();
    void *p = M(aligned_alloc)(256, 100);
    CHECK(p != NULL && tu_aligned(p, 256));
    M(free)(p);
    /* As aligned as the largest free block allows (a 16 KiB board's heap
     * may have no free 4 KiB block on a 4 KiB boundary). */
    fh_stats s;
    fh_get_stats(fh_default(), &s);
    size_t big = s.largest_free < 4096u ? s.largest_free : 4096u;
    p = M(memalign)(big, 10);
    CHECK(p != NULL && tu_aligned(p, big));
    M(free)(p);
    CHECK(M(aligned_alloc)(24, 100) == NULL);
    void *out = (void *)&out;
    CHECK_EQ(M(posix_memalign)(&out, 64, 33), 0);
    CHECK(tu_aligned(out, 64));
    M(free)(out);
    out = NULL;
    CHECK_EQ(M(posix_memalign)(&out, 3, 8), 22);                  /* EINVAL */
    CHECK_EQ(M(posix_memalign)(&out, sizeof(void *) / 2u, 8), 22); /* EINVAL */
    CHECK_EQ(M(posix_memalign)(&out, 16, SIZE_MAX / 2u), 12);     /* ENOMEM */
    CHECK(out == NULL);
    CHECK_EQ(tu_default_used(), base);
}

void test_rust_hooks_true_alignment(void)
{
    size_t base = tu_default_used();
    fh_stats s;
    fh_get_stats(fh_default(), &s);
    for (size_t align = 1; align <= 4096 && align * 4u <= s.total_bytes; align <<= 1) {
        uint8_t *p = __rust_allocate(24, align);
        CHECK(p != NULL && tu_aligned(p, align));
        CHECK_EQ(fh_default_usable_size(p), __rust_usable_size(24, align));
        __rust_deallocate(p, 24, align);
    }
    CHECK_EQ(tu_default_used(), base);
}

void test_rust_usable_size_is_pure_and_exact(void)
{
    /* The core's sizes (a hardened build's hooks give 16 bytes less of a
     * block that holds 16 more, so they are checked against the default
     * heap's own answer). */
    CHECK_EQ(fh_usable_size_for(1, 1), 16u);
    CHECK_EQ(fh_usable_size_for(100, 64), 128u);
    CHECK_EQ(fh_usable_size_for(4096, 4096), 4096u);
    CHECK_EQ(fh_usable_size_for(17, 8), 32u);
    CHECK_EQ(fh_usable_size_for(17, 64), 64u);    /* a class that is a multiple of 64 */
    CHECK_EQ(fh_usable_size_for(17, 4096), 256u); /* a page on a 4 KiB boundary */
    static const size_t layout[][2] = {{1, 1}, {100, 64}, {4096, 4096}, {17, 8}, {17, 64}, {17, 4096}};
    for (unsigned i = 0; i < sizeof layout / sizeof layout[0]; i++)
        CHECK_EQ(__rust_usable_size(layout[i][0], layout[i][1]),
                 fh_default_usable_size_for(layout[i][0], layout[i][1]));
    /* Exact: an allocation may use all of it and not a byte more. */
    uint8_t *p = __rust_allocate(100, 64);
    CHECK_EQ(fh_default_usable_size(p), __rust_usable_size(100, 64));
    __rust_deallocate(p, 100, 64);
}

void test_rust_deallocate_accepts_any_size_up_to_usable(void)
{
    size_t base = tu_default_used();
    for (size_t old = 40; old <= 48; old++) {
        uint8_t *p = __rust_allocate(40, 8);
        __rust_deallocate(p, old, 8);
        CHECK_EQ(tu_default_used(), base);
    }
    /* Past the usable size it is a different block: refused, nothing freed. */
    uint8_t *p = __rust_allocate(40, 8);
    tu_reset_errors();
    __rust_deallocate(p, 49, 8);
    CHECK_EQ(tu_last_error, FH_ERR_SIZE_MISMATCH);
    CHECK(tu_default_used() > base);
    __rust_deallocate(p, 40, 8);
    CHECK_EQ(tu_default_used(), base);
}

void test_rust_reallocate_moves_and_fails_cleanly(void)
{
    size_t base = tu_default_used();
    uint8_t *p = __rust_allocate(64, 128);
    uint8_t *wall = __rust_allocate(16, 16);
    tu_fill(p, 64, 31);
    /* Up to 12 pages, less on a heap whose largest free block is smaller. */
    fh_stats s;
    fh_get_stats(fh_default(), &s);
    size_t big = s.largest_free / 2u < 3000u ? s.largest_free / 2u : 3000u;
    uint8_t *q = __rust_reallocate(p, 64, big, 128);
    CHECK(q != NULL && tu_aligned(q, 128) && tu_verify(q, 64, 31));
    uint8_t *r = __rust_reallocate(q, big, SIZE_MAX / 2u, 128);
    CHECK(r == NULL);
    CHECK(tu_verify(q, 64, 31));
    CHECK_EQ(fh_default_usable_size(q), __rust_usable_size(big, 128));
    __rust_deallocate(q, big, 128);
    __rust_deallocate(wall, 16, 16);
    CHECK_EQ(tu_default_used(), base);
}

void test_rust_reallocate_inplace_contract(void)
{
    size_t base = tu_default_used();
    size_t small = __rust_usable_size(100, 1024), big = __rust_usable_size(900, 1024);
    uint8_t *p = __rust_allocate(1000, 1024);
    CHECK(p != NULL);
    if (!p)
        return;
    tu_fill(p, 100, 17);
    /* Shrink in place: the pages behind go back to the heap ... */
    CHECK_EQ(__rust_reallocate_inplace(p, 1000, 100, 1024), small);
    CHECK_EQ(fh_default_usable_size(p), small);
    CHECK(small < big);
    /* ... so growing into them again works in place. */
    CHECK_EQ(__rust_reallocate_inplace(p, 100, 900, 1024), big);
    CHECK_EQ(fh_default_usable_size(p), big);
    CHECK(tu_verify(p, 100, 17));
    CHECK_EQ(__rust_reallocate_inplace(p, 900, 50, 1024), __rust_usable_size(50, 1024));
    CHECK_EQ(fh_default_usable_size(p), small);
    /* Past the free pages behind it: returns the old usable size, changes
     * nothing. */
    size_t block = fh_usable_size(fh_default(), p); /* the core's view */
    size_t too_big = small + tu_free_after(fh_default(), p, block) + 1u;
    CHECK_EQ(__rust_reallocate_inplace(p, 50, too_big, 1024), small);
    CHECK_EQ(fh_default_usable_size(p), small);
    CHECK(tu_verify(p, 50, 17));
    __rust_deallocate(p, small, 1024);
    CHECK_EQ(tu_default_used(), base);
}

/* Runs last among the default-heap tests: the region stays added. */
void test_second_region_takes_the_overflow(void)
{
    static unsigned char bank2[1024]; /* a page or two after bookkeeping */
    fh_heap *h0 = fh_default();
    CHECK(fh_add_region(bank2 + 5, sizeof bank2 - 5));
    CHECK(!fh_add_region(bank2 + 100, 200)); /* overlaps */
    fh_heap *h1 = fh_default_region(1);
    CHECK(h1 != NULL && h1 != h0 && fh_default_region(2) == NULL);
    if (!h1)
        return;
    fh_stats s1;
    fh_get_stats(h1, &s1);
    /* Fill the linker region with one-page blocks (kept in a list threaded
     * through the blocks themselves) until one spills into the bank. */
    void *chain = NULL;
    unsigned char *p = NULL;
    for (;;) {
        p = fh_default_alloc(200, 16);
        if (p == NULL || fh_owns(h1, p))
            break;
        *(void **)(void *)p = chain;
        chain = p;
    }
    CHECK(p != NULL && fh_owns(h1, p));
    if (p) {
        /* Everything works on the second region's blocks too. */
        CHECK_EQ(fh_default_usable_size(p), fh_default_usable_size_for(200, 16));
        tu_fill(p, 200, 9);
        unsigned char *q = fh_default_realloc(p, 190, 16); /* still one page */
        CHECK(q == p && tu_verify(q, 190, 9));
        tu_reset_errors();
        fh_default_free(q + 16); /* interior: rejected by its own region */
        CHECK_EQ(tu_errors, 1u);
        CHECK_EQ(tu_last_error, FH_ERR_INTERIOR);
        fh_default_free(q);
    }
    while (chain) {
        void *next = *(void **)chain;
        fh_default_free(chain);
        chain = next;
    }
    fh_stats after;
    fh_get_stats(h1, &after);
    CHECK_EQ(after.used_bytes, 0u);
    CHECK_EQ(after.free_bytes, s1.free_bytes);
    CHECK(fh_check(h0) && fh_check(h1));
    CHECK_EQ(tu_default_used(), 0u);
}

/* While the region table has room: a region too small for bookkeeping and
 * one block is refused and takes no slot (add_region_right_below_another,
 * later, needs both that are left). */
void test_add_region_refuses_a_region_too_small(void)
{
    unsigned char tiny[24]; /* refused: the heap never keeps it */
    unsigned n = 0;
    while (fh_default_region(n) != NULL)
        n++;
    CHECK(!fh_add_region(tiny, sizeof tiny));
    CHECK(fh_default_region(n) == NULL);
}

/* After the tests that add regions: a realloc that no region can serve
 * (larger than the linker's region, let alone the banks) fails, having
 * tried them all, and keeps the block as it was. */
void test_realloc_no_region_can_serve_keeps_the_block(void)
{
    size_t base = tu_default_used();
    CHECK(fh_default_region(1) != NULL); /* added by the tests before */
    unsigned char *p = fh_default_alloc(100, 16);
    CHECK(p != NULL);
    if (!p)
        return;
    tu_fill(p, 100, 5);
    CHECK(fh_default_realloc(p, (size_t)(__heap_end - __heap_start), 16) == NULL);
    CHECK(tu_verify(p, 100, 5));
    CHECK_EQ(fh_default_usable_size(p), fh_default_usable_size_for(100, 16));
    fh_default_free(p);
    fh_heap *h;
    for (unsigned i = 0; (h = fh_default_region(i)) != NULL; i++)
        CHECK(fh_check(h));
    CHECK_EQ(tu_default_used(), base);
}
