/*
 * The default heap when the linker leaves it nothing (__heap_start ==
 * __heap_end, as an instance-only program may): its own host runner
 * (mk/host-tests.mk, empty-heap-test), since the linker symbols are fixed
 * per program. Every front end fails cleanly until a region is added; added
 * regions then serve it. The regions here are chosen so that a moving
 * realloc has to cross from one region to the other, which checks that every
 * move keeps the same bytes (the rule in src/move.h).
 */
#include "testutil.h"
#include "firmheap_rust.h"

#include "front_names.h"

/* Two banks: `low` (the middle half of a 4096-aligned page, so no block
 * in it is 4096-aligned) and `high`, which is 4096-aligned. */
static unsigned char low_page[4096] __attribute__((aligned(4096)));
static unsigned char high[16384] __attribute__((aligned(4096)));
#define LOW (low_page + 1024)
#define LOW_SIZE 2048u

void test_empty_linker_region_fails_cleanly(void)
{
    CHECK((uintptr_t)__heap_start == (uintptr_t)__heap_end);
    CHECK(fh_default() == NULL);
    CHECK(!fh_default_init() && !fh_default_init_zeroed());
    CHECK(fh_default_region(0) == NULL);
    CHECK(M(malloc)(10) == NULL);
    CHECK(M(calloc)(1, 10) == NULL);
    CHECK(__rust_allocate(8, 8) == NULL);
    M(free)(NULL);
    tu_reset_errors();
    int on_stack;
    M(free)(&on_stack); /* nothing to free it from: still reported */
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(tu_last_error, FH_ERR_OUTSIDE);
    CHECK_EQ(M(malloc_usable_size)(&on_stack), 0u);
}

void test_added_regions_serve_an_empty_linker_region(void)
{
    CHECK(fh_add_region(LOW, LOW_SIZE));
    CHECK(fh_add_region(high, sizeof high));
    CHECK(fh_default() == NULL); /* still the linker's: unusable */
    fh_heap *r0 = fh_default_region(0), *r1 = fh_default_region(1);
    CHECK(r0 != NULL && r1 != NULL && fh_default_region(2) == NULL);
    unsigned char *p = M(malloc)(40);
    CHECK(p != NULL && r0 && fh_owns(r0, p));
    M(free)(p);
    CHECK(r0 && fh_check(r0) && r1 && fh_check(r1));
}

/* Defect 8: a move keeps min(old usable, new usable) bytes, whichever
 * region it lands in: exactly what an in-place resize keeps. */
void test_moving_realloc_keeps_the_usable_bytes(void)
{
    fh_heap *r0 = fh_default_region(0), *r1 = fh_default_region(1);
    CHECK(r0 != NULL && r1 != NULL);
    if (!r0 || !r1)
        return;
    unsigned char *p = fh_default_alloc(700, 16); /* three pages */
    CHECK(p != NULL && fh_owns(r0, p));
    if (!p)
        return;
    size_t old = fh_default_usable_size(p);
    tu_fill(p, old, 8);
    /* Shrink to 20 bytes at 4096 (a page): only `high` has such a block. */
    unsigned char *q = fh_default_realloc(p, 20, 4096);
    CHECK(q != NULL && fh_owns(r1, q) && tu_aligned(q, 4096));
    if (!q)
        return;
    size_t kept = fh_default_usable_size_for(20, 4096);
    CHECK(kept < old && fh_default_usable_size(q) == kept);
    CHECK(tu_verify(q, kept, 8));
    /* The same move within one region, for comparison. */
    tu_fill(q, kept, 9);
    unsigned char *r = fh_default_realloc(q, 20, 8192);
    CHECK(r != NULL && fh_owns(r1, r) && tu_verify(r, kept, 9));
    fh_default_free(r);
    CHECK(fh_check(r0) && fh_check(r1));
}
