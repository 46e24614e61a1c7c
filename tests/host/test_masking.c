/*
 * What the default heap does with the lock held (host only: it needs the
 * witnessing lock of host_lock.c). The interrupt mask must stay as short as
 * the allocator's own worst case, so the two loops whose length grows with
 * the block, calloc's zero fill and a moving realloc's copy, run after the
 * lock is released: the caller owns both blocks by then.
 *
 * How it is seen: the free memory is painted first (every free block but its
 * first granule, where an allocator keeps its links), and a probe copies the
 * whole default heap at the end of the first masked section of the call. If
 * the fill or copy ran inside that section, the copy shows zeros or the old
 * block's bytes where most of the paint should still be.
 */
#include <string.h>

#include "testutil.h"
#include "host_lock.h"
#include "front_names.h"

/* The hardened build's free pattern (src/harden.h), so that painting free
 * memory is not itself a write after free there. */
#define PAINT 0xA5u
#define HEAP_BYTES_MAX (512u * 1024u)

static unsigned char snapshot[HEAP_BYTES_MAX];
static bool snapped;

static size_t heap_bytes(void)
{
    return (size_t)(__heap_end - __heap_start);
}

static void snap_first(void)
{
    if (snapped || heap_bytes() > sizeof snapshot)
        return;
    memcpy(snapshot, __heap_start, heap_bytes());
    snapped = true;
}

static void paint_free_block(void *ctx, void *addr, size_t size, bool used)
{
    (void)ctx;
    if (!used && size > FH_GRANULE)
        memset((unsigned char *)addr + FH_GRANULE, PAINT, size - FH_GRANULE);
}

/* Most of the snapshot's copy of [p, p + n) is still paint. Not all of it:
 * a block may be cut from a run of free blocks, each with its own links. */
static bool paint_at_first_unlock(const void *p, size_t n)
{
    const unsigned char *s = snapshot + ((const char *)p - __heap_start);
    size_t painted = 0;
    for (size_t i = 0; i < n; i++)
        painted += s[i] == PAINT;
    return painted > n / 2u;
}

static void arm(void)
{
    fh_walk(fh_default(), paint_free_block, NULL);
    snapped = false;
    hl_probe = snap_first;
}

void test_calloc_fills_outside_the_lock(void)
{
    CHECK(heap_bytes() <= sizeof snapshot);
    arm();
    unsigned sections = hl_sections;
    unsigned char *p = M(calloc)(1, 6000);
    hl_probe = NULL;
    CHECK(p != NULL && snapped);
    if (!p || !snapped)
        return;
    size_t n = M(malloc_usable_size)(p);
    bool zero = true;
    for (size_t i = 0; i < n; i++)
        zero = zero && p[i] == 0;
    CHECK(zero);
    CHECK(paint_at_first_unlock(p, n));
    CHECK(hl_sections > sections && hl_depth == 0 && hl_unbalanced == 0);
    M(free)(p);
}

void test_realloc_copies_outside_the_lock(void)
{
    /* A block whose alignment is modest (one on a large boundary would
     * ask for more than the heap), then a stricter one: it must move. */
    unsigned char *p = NULL, *spare[8] = {0};
    for (unsigned i = 0; i < 8u && p == NULL; i++) {
        spare[i] = fh_default_alloc(3000, 16);
        if (spare[i] && ((uintptr_t)spare[i] & 4095u) != 0)
            p = spare[i], spare[i] = NULL;
    }
    for (unsigned i = 0; i < 8u; i++)
        fh_default_free(spare[i]);
    CHECK(p != NULL);
    if (!p)
        return;
    size_t align = 2u * ((uintptr_t)p & (0u - (uintptr_t)p));
    tu_fill(p, 3000, 77);
    arm();
    unsigned char *q = fh_default_realloc(p, 3000, align);
    hl_probe = NULL;
    CHECK(q != NULL && q != p && snapped);
    if (!q || !snapped)
        return;
    CHECK(tu_aligned(q, align) && tu_verify(q, 3000, 77));
    CHECK(paint_at_first_unlock(q, 3000));
    CHECK(hl_depth == 0 && hl_unbalanced == 0);
    fh_default_free(q);
}
