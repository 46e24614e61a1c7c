/*
 * Unit tests of the bump allocator: alignment, LIFO free and resize of the
 * newest block, reset, mark/release, and the same bad-input rules as the
 * buddy heap.
 */
#include "testutil.h"

static fh_bump bump_over_arena(size_t offset, size_t size)
{
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    fh_bump b;
    bool ok = fh_bump_init(&b, arena + offset, size ? size : arena_size - offset);
    CHECK(ok);
    return b;
}

void test_bump_init_rejects_bad_regions(void)
{
    fh_bump b;
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    CHECK(!fh_bump_init(&b, NULL, 100));
    CHECK(!fh_bump_init(&b, arena, 0));
    CHECK(!fh_bump_init(&b, (void *)(UINTPTR_MAX - 10u), 100));
    CHECK(fh_bump_init(&b, arena + 1, 3));
}

void test_bump_alloc_aligns_and_fails_cleanly(void)
{
    fh_bump b = bump_over_arena(3, 1000);
    char *p = fh_bump_alloc(&b, 1, 1);
    CHECK(p != NULL);
    for (size_t align = 1; align <= 256; align <<= 1) {
        char *q = fh_bump_alloc(&b, 3, align);
        CHECK(q != NULL && tu_aligned(q, align));
    }
    size_t used = fh_bump_used(&b);
    CHECK(fh_bump_alloc(&b, 0, 8) == NULL);
    CHECK(fh_bump_alloc(&b, 8, 24) == NULL);
    CHECK(fh_bump_alloc(&b, SIZE_MAX, 8) == NULL);
    CHECK(fh_bump_alloc(&b, 8, (size_t)1 << (sizeof(size_t) * 8u - 1u)) == NULL);
    CHECK(fh_bump_alloc(&b, 1000, 1) == NULL);
    CHECK_EQ(b.failed_allocs, 5u);
    CHECK_EQ(fh_bump_used(&b), used);
    /* Exactly what is left still fits. */
    size_t left = (size_t)(b.end - b.top);
    CHECK(fh_bump_alloc(&b, left, 1) != NULL);
    CHECK(fh_bump_alloc(&b, 1, 1) == NULL);
}

void test_bump_lifo_free_and_resize(void)
{
    fh_bump b = bump_over_arena(0, 4096);
    char *a = fh_bump_alloc(&b, 100, 8);
    char *c = fh_bump_alloc(&b, 50, 8);
    tu_reset_errors();
    fh_bump_free(&b, a); /* not the newest */
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(b.rejected_frees, 1u);
    CHECK_EQ(fh_bump_resize(&b, a, 10), 0u); /* older: cannot, not an error */
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(fh_bump_resize(&b, a - 1, 10), 0u); /* outside: reported */
    CHECK_EQ(tu_errors, 2u);
    CHECK_EQ(fh_bump_resize(&b, c, 500), 500u);
    CHECK_EQ(fh_bump_used(&b), (size_t)(c - a) + 500u);
    CHECK_EQ(fh_bump_resize(&b, c, 10), 10u);
    CHECK_EQ(fh_bump_resize(&b, c, 10000), 0u);
    fh_bump_free(&b, c);
    CHECK(b.top == (uintptr_t)c);
    fh_bump_free(&b, NULL);
    CHECK_EQ(tu_errors, 2u);
    /* The newest block is gone; the one before cannot be freed by LIFO. */
    fh_bump_free(&b, c);
    CHECK_EQ(tu_errors, 3u);
    CHECK(b.peak >= (size_t)(c - a) + 500u);
}

void test_bump_mark_release_reset(void)
{
    fh_bump b = bump_over_arena(5, 2048);
    fh_bump_alloc(&b, 64, 8);
    uintptr_t mark = fh_bump_mark(&b);
    char *x = fh_bump_alloc(&b, 100, 16);
    fh_bump_alloc(&b, 100, 16);
    CHECK(fh_bump_release(&b, mark));
    CHECK(fh_bump_mark(&b) == mark);
    CHECK(fh_bump_alloc(&b, 100, 16) == x);
    tu_reset_errors();
    CHECK(!fh_bump_release(&b, b.top + 1u));
    CHECK(!fh_bump_release(&b, b.start - 1u));
    CHECK_EQ(tu_errors, 2u);
    fh_bump_reset(&b);
    CHECK_EQ(fh_bump_used(&b), 0u);
    /* A stale mark: the top falls below it on a free, and the next block
     * straddles it. Releasing there would cut that block short. */
    char *y = fh_bump_alloc(&b, 64, 16);
    uintptr_t stale = fh_bump_mark(&b);
    fh_bump_free(&b, y);
    char *z = fh_bump_alloc(&b, 200, 16);
    CHECK(z == y);
    tu_reset_errors();
    CHECK(!fh_bump_release(&b, stale));
    CHECK_EQ(tu_errors, 1u);
    CHECK_EQ(fh_bump_used(&b), (size_t)((uintptr_t)z + 200u - b.start));
}
