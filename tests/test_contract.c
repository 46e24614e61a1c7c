/*
 * Contract lines of the front ends that an outside audit found broken
 * (issue 9, defects 2-8), one test each, written against the public API only:
 * the malloc family, the Rust hooks, the default heap's regions, const and
 * NULL handles, and the one rule for how many bytes a moving realloc keeps.
 * Each test gives back what it took; the region tests run after
 * second_region_takes_the_overflow (tests/test_default.c), whose region
 * stays added, and add theirs for good too.
 */
#include "testutil.h"
#include "firmheap_rust.h"

#include "front_names.h"

/* Defect 2: GNU sed reads realloc(NULL, 0) == NULL as "memory exhausted". */
void test_realloc_null_zero_is_malloc_zero(void)
{
    size_t base = tu_default_used();
    void *a = M(realloc)(NULL, 0);
    void *b = M(malloc)(0);
    CHECK(a != NULL && b != NULL && a != b);
    M(free)(a);
    M(free)(b);
    CHECK_EQ(tu_default_used(), base);
}

/* Defect 3: every entry point refuses an alignment that is not a power of
 * two, the small ones too (they used to be raised to the ABI's). */
void test_memalign_refuses_non_power_of_two(void)
{
    size_t base = tu_default_used();
    static const size_t bad[] = {3, 5, 6, 7, 12, 24, 48, 100};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(M(memalign)(bad[i], 10) == NULL);
        CHECK(M(aligned_alloc)(bad[i], 10) == NULL);
    }
    void *p = M(memalign)(2, 10); /* a power of two below the ABI's: raised */
    CHECK(p != NULL && tu_aligned(p, _Alignof(max_align_t)));
    M(free)(p);
    CHECK_EQ(tu_default_used(), base);
}

/* Defect 4: NULL from __rust_reallocate means "failed, block intact". */
void test_rust_reallocate_to_zero_keeps_the_block(void)
{
    size_t base = tu_default_used();
    uint8_t *p = __rust_allocate(100, 64);
    CHECK(p != NULL);
    if (!p)
        return;
    tu_fill(p, 100, 4);
    tu_reset_errors();
    CHECK(__rust_reallocate(p, 100, 0, 64) == NULL);
    CHECK_EQ(fh_default_usable_size(p), __rust_usable_size(100, 64));
    CHECK(tu_verify(p, 100, 4));
    __rust_deallocate(p, 100, 64); /* the caller's free after a failure */
    CHECK_EQ(tu_errors, 0u);
    CHECK_EQ(tu_default_used(), base);
}

/* Defect 5: a disjoint region that ends at (or just below) the base of one
 * already added is accepted; an overlapping one still is not. Runs after
 * second_region_takes_the_overflow, so slots 2 and 3 of the table are left. */
void test_add_region_right_below_another(void)
{
    /* Two regions of room for bookkeeping (over 256 bytes on a 64-bit
     * host) and a page. */
    static unsigned char bank[sizeof(void *) > 4u ? 1536u : 1024u] __attribute__((aligned(256)));
    const size_t mid = sizeof bank / 2u;
    CHECK(fh_add_region(bank + mid, mid));
    CHECK(!fh_add_region(bank + mid - 320u, 321)); /* one byte into it */
    CHECK(fh_add_region(bank + 64, mid - 64u));    /* ends at its base */
    CHECK(!fh_add_region(bank, 64));           /* the table is full */
    fh_heap *r2 = fh_default_region(2), *r3 = fh_default_region(3);
    CHECK(r2 != NULL && r3 != NULL && fh_default_region(4) == NULL);
    CHECK(r2 && fh_check(r2) && r3 && fh_check(r3));
}

/* Defect 6: fh_usable_size takes a const handle: a bad pointer is reported
 * but nothing is written, not even the rejection counter. (The host runner
 * also calls it on a heap mapped read-only: tests/host/test_readonly.c.) */
void test_usable_size_of_a_bad_pointer_writes_nothing(void)
{
    fh_heap *h = tu_heap(3, 8192, NULL);
    CHECK(h != NULL);
    if (!h)
        return;
    unsigned char *p = fh_alloc(h, 100, 16);
    fh_stats before, after;
    fh_get_stats(h, &before);
    tu_reset_errors();
    CHECK_EQ(fh_usable_size(h, p + 16), 0u);
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(tu_last_error, FH_ERR_INTERIOR);
    CHECK(tu_last_ptr == p + 16);
    fh_get_stats(h, &after);
    CHECK_EQ(after.rejected_frees, before.rejected_frees);
    CHECK_EQ(fh_usable_size(h, p), fh_usable_size_for(100, 16));
}

static size_t walked;
static void count_walk(void *ctx, void *addr, size_t size, bool used)
{
    (void)ctx;
    (void)addr;
    (void)size;
    (void)used;
    walked++;
}

/* One call with a NULL handle: it must report FH_ERR_NULL_HEAP with ptr. */
static bool null_reported(const void *ptr)
{
    bool ok = tu_errors == 1u && tu_last_error == FH_ERR_NULL_HEAP && tu_last_ptr == ptr;
    tu_reset_errors();
    return ok;
}

/* Defect 7: a NULL heap handle is bad input like any other: every entry
 * point fails (NULL, 0, false, nothing), the error hook hears of it, and
 * nothing faults. */
void test_null_heap_handle_fails_and_is_reported(void)
{
    int x;
    fh_stats s;
    th_memset(&s, 0xA5, sizeof s);
    tu_reset_errors();
    CHECK(fh_alloc(NULL, 16, 16) == NULL && null_reported(NULL));
    CHECK(fh_alloc_zeroed(NULL, 16, 16) == NULL && null_reported(NULL));
    fh_free(NULL, &x);
    CHECK(null_reported(&x));
    fh_free_sized(NULL, &x, 16, 16);
    CHECK(null_reported(&x));
    CHECK(fh_realloc(NULL, &x, 32, 16) == NULL && null_reported(&x));
    CHECK(fh_resize_in_place(NULL, &x, 32, 16) == 0u && null_reported(&x));
    CHECK(fh_usable_size(NULL, &x) == 0u && null_reported(&x));
    CHECK(!fh_owns(NULL, &x) && null_reported(&x));
    CHECK(!fh_check(NULL) && null_reported(NULL));
    fh_get_stats(NULL, &s);
    CHECK(null_reported(NULL) && s.total_bytes == 0u && s.live_allocs == 0u && s.order_max == 0u);
    walked = 0;
    fh_walk(NULL, count_walk, NULL);
    CHECK(null_reported(NULL) && walked == 0u);
    /* The bump allocator's handle too. */
    CHECK(!fh_bump_init(NULL, &x, sizeof x) && null_reported(NULL));
    CHECK(fh_bump_alloc(NULL, 16, 16) == NULL && null_reported(NULL));
    fh_bump_free(NULL, &x);
    CHECK(null_reported(&x));
    CHECK(fh_bump_resize(NULL, &x, 16) == 0u && null_reported(&x));
    fh_bump_reset(NULL);
    CHECK(null_reported(NULL));
    CHECK(fh_bump_mark(NULL) == 0u && null_reported(NULL));
    CHECK(!fh_bump_release(NULL, 0) && null_reported(NULL));
    CHECK(fh_bump_used(NULL) == 0u && null_reported(NULL));
}

/* Defect 9: the default heap can be set up before the first allocation
 * (which would otherwise do it with the lock held); by now it is, and
 * asking again, zeroed or not, changes nothing. */
void test_default_init_is_early_and_idempotent(void)
{
    fh_heap *h = fh_default();
    fh_stats before, after;
    fh_get_stats(h, &before);
    CHECK(fh_default_init());
    CHECK(fh_default_init_zeroed());
    CHECK(fh_default() == h && h != NULL);
    fh_get_stats(h, &after);
    CHECK_EQ(after.used_bytes, before.used_bytes);
    CHECK_EQ(after.free_bytes, before.free_bytes);
    CHECK(fh_check(h));
}
