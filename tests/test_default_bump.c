/*
 * The default heap built with FH_BACKEND=bump: the same front ends (malloc
 * family, Rust hooks, fh_default_*) over the bump allocator. Only the newest
 * block can be freed or resized; usable size is exactly the request. Built
 * into its own host runner (mk/host-tests.mk), since the backend is chosen
 * at compile time.
 */
#include "testutil.h"
#include "firmheap_rust.h"

#include "front_names.h"

void test_bump_backend_serves_the_front_ends(void)
{
    CHECK(fh_default() == NULL); /* no buddy instance in this build */
    char *a = M(malloc)(10);
    char *b = M(calloc)(4, 4);
    CHECK(a != NULL && b != NULL);
    CHECK(a >= __heap_start && b + 16 <= __heap_end);
    CHECK(tu_aligned(a, _Alignof(max_align_t)) && tu_aligned(b, _Alignof(max_align_t)));
    CHECK(b > a);
    bool zero = true;
    for (int i = 0; i < 16; i++)
        zero = zero && b[i] == 0;
    CHECK(zero);
    CHECK_EQ(M(malloc_usable_size)(b), 16u); /* exact, the newest block */
    CHECK_EQ(M(malloc_usable_size)(a), 0u);  /* older blocks: unknown */
    CHECK(M(malloc)(SIZE_MAX) == NULL);
    tu_reset_errors();
    M(free)(b);
    CHECK_EQ(tu_errors, 0u);
    M(free)(a); /* not the newest block: refused, reported */
    CHECK_EQ(tu_errors, 1u);
}

void test_bump_backend_lifo_free_and_resize(void)
{
    unsigned char *p = fh_default_alloc(100, 64);
    CHECK(p != NULL && tu_aligned(p, 64));
    tu_fill(p, 100, 3);
    /* The newest block resizes in place both ways. */
    CHECK_EQ(fh_default_resize_in_place(p, 400, 64), 400u);
    CHECK_EQ(fh_default_resize_in_place(p, 50, 64), 50u);
    CHECK(tu_verify(p, 50, 3));
    /* realloc of the newest block stays put; of an older one it copies. */
    CHECK(fh_default_realloc(p, 300, 64) == p);
    unsigned char *q = fh_default_alloc(16, 16);
    unsigned char *r = fh_default_realloc(p, 600, 64);
    CHECK(r != NULL && r != p && tu_verify(r, 50, 3));
    tu_reset_errors();
    fh_default_free(q); /* not the newest any more: refused */
    CHECK_EQ(tu_errors, 1u);
    fh_default_free(r); /* the newest: given back */
    CHECK_EQ(tu_errors, 1u);
    unsigned char *s = fh_default_alloc(16, 64);
    CHECK(s == r); /* the space came back */
    fh_default_free(s);
}

void test_bump_backend_rust_hooks(void)
{
    CHECK_EQ(__rust_usable_size(10, 8), 10u); /* exact: no rounding */
    CHECK_EQ(__rust_usable_size(10, 3), 0u);
    uint8_t *p = __rust_allocate(24, 256);
    CHECK(p != NULL && tu_aligned(p, 256));
    CHECK_EQ(__rust_reallocate_inplace(p, 24, 200, 256), 200u);
    uint8_t *q = __rust_allocate(8, 8);
    /* p is no longer the newest: in-place growth must refuse. */
    CHECK_EQ(__rust_reallocate_inplace(p, 200, 300, 256), 200u);
    tu_reset_errors();
    __rust_deallocate(q, 8, 8); /* the newest: given back */
    CHECK_EQ(tu_errors, 0u);
    /* One LIFO step only: with no per-block record, p's extent is unknown. */
    __rust_deallocate(p, 200, 256);
    CHECK_EQ(tu_errors, 1u);
    CHECK(__rust_allocate(8, 8) == q); /* q's space was reused */
}

void test_bump_backend_realloc_edges(void)
{
    CHECK(fh_default_region(0) == NULL);
    static unsigned char bank[256];
    CHECK(!fh_add_region(bank, sizeof bank)); /* one region only */
    unsigned char *p = fh_default_realloc(NULL, 40, 16); /* = alloc */
    CHECK(p != NULL && tu_aligned(p, 16));
    tu_reset_errors();
    CHECK(fh_default_realloc(p, 0, 16) == NULL); /* = free */
    CHECK_EQ(tu_errors, 0u);
    unsigned char *q = fh_default_alloc(40, 16);
    CHECK(q == p); /* the space came back */
    CHECK(fh_default_realloc(bank, 16, 16) == NULL); /* not from this heap */
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(tu_last_error, FH_ERR_OUTSIDE);
    fh_default_free(q);
}

/* Sizes that are not whole words: the zero fill and the copy of a move work
 * byte by byte there. fh_default_init has nothing to set up twice. */
void test_bump_backend_odd_sizes(void)
{
    CHECK(fh_default_init() && fh_default_init_zeroed());
    unsigned char *p = fh_default_alloc(13, 1);
    CHECK(p != NULL);
    if (!p)
        return;
    tu_fill(p, 13, 4);
    fh_default_free(p);
    unsigned char *z = fh_default_alloc_zeroed(13, 1); /* over the old bytes */
    CHECK(z == p);
    bool zero = true;
    for (unsigned i = 0; z && i < 13; i++)
        zero = zero && z[i] == 0;
    CHECK(zero);
    tu_fill(z, 13, 6);
    unsigned char *q = fh_default_alloc(3, 1); /* z is no longer the newest */
    unsigned char *r = fh_default_realloc(z, 21, 1); /* so it moves */
    CHECK(r != NULL && r != z && tu_verify(r, 13, 6));
    fh_default_free(r);
    fh_default_free(q); /* refused: not the newest; harmless */
}
