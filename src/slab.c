/*
 * The small-size front: slabs carved from buddy blocks, one class per slab,
 * as Linux puts its slab allocator on its buddy allocator. The layout and the
 * fast paths are in slab.h; here are the class table, new slabs, and the
 * frees that change a list.
 *
 * A slab whose last object is freed goes back to the buddy system at once,
 * so pages never stay with a class that no longer needs them; that is what
 * lets a heap that filled with small objects serve large ones later.
 *
 * Bounds: a new slab costs one fh_take_block and 2^order page-word writes; a
 * released one the same writes and one fh_free_range of a single block.
 */
#include "slab.h"

/* The classes and their slabs, for 256-byte pages. Slabs are small (one
 * page for everything up to 128 bytes): they tie up little memory when they
 * are mostly empty, which matters in a heap of a few KiB, and they empty
 * (and their pages go back) often, which lets a heap that once held many
 * small objects serve large ones later; measured, bigger slabs lost more
 * memory than they saved instructions. A class exists only where it packs
 * its slab better than pages would: 96 or 112 bytes would still fit only two
 * to a page, like 128; 192 or 224 only one per page. Sizes between classes
 * that are whole pages are large allocations. recip is ceil(2^16 / size): an
 * offset becomes an index without a divide. Every class holds at least 2
 * objects (a fresh slab hands one out and keeps its list node in another). */
const fh_tables fh_tab = {
    .classes = {
        {16, 0, 16, 4096, 0}, {32, 0, 8, 2048, 0}, {48, 0, 5, 1366, 0}, {64, 0, 4, 1024, 0},
        {80, 0, 3, 820, 0},   {128, 0, 2, 512, 0}, {160, 1, 3, 410, 0}, {320, 2, 3, 205, 0},
        {640, 3, 3, 103, 0},
    },
    /* Class by (size rounded to its alignment - 1) / 16: 0-8, or N, a whole
     * number of pages (a large allocation). */
#define N FH_NO_CLASS
    .class_by_16 = {0, 1, 2, 3, 4, 5, 5, 5, 6, 6, N, N, N, N, N, N, 7, 7, 7, 7,
                    N, N, N, N, N, N, N, N, N, N, N, N, 8, 8, 8, 8, 8, 8, 8, 8},
#undef N
#if !FH_HW_BITSCAN
    /* Index of the bit in a power of two: de Bruijn sequence 0x077CB531. */
    .debruijn = {0,  1,  28, 2,  29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4,  8,
                 31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6,  11, 5,  10, 9},
    .floor_log2 = {0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
                   4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4},
#endif
};

static inline uint32_t full_mask(const fh_class *cl)
{
    return ((uint32_t)1 << cl->count) - 1u;
}

void *fh_slab_refill(fh_heap *h, unsigned c)
{
    const fh_class *cl = &fh_classes[c];
    uintptr_t p = fh_take_block(h, cl->order);
    if (p == 0)
        return NULL;
    uint32_t tag = PG_SLAB | (uint32_t)c << 2;
    for (uintptr_t i = 1; i < ((uintptr_t)1 << cl->order); i++)
        *fh_pw(h, p + i) = tag;
    /* Object 0 is handed out; the node goes in object 1, the lowest free. */
    *fh_pw(h, p) = tag | (full_mask(cl) - 1u) << FH_DATA_SHIFT;
    uintptr_t base = (uintptr_t)fh_page_addr(p);
    fh_list_add(&h->partial[c], (fh_node *)(base + cl->size));
    return (void *)base;
}

void fh_slab_free_slow(fh_heap *h, uintptr_t base, unsigned c)
{
    const fh_class *cl = &fh_classes[c];
    uint32_t *w = fh_pw(h, fh_page_of((void *)base));
    fh_list_del((fh_node *)(base + fh_ctz(*w >> FH_DATA_SHIFT) * cl->size));
    uintptr_t p = fh_page_of((void *)base), pages = (uintptr_t)1 << cl->order;
    for (uintptr_t i = 0; i < pages; i++)
        *fh_pw(h, p + i) = PG_NONE;
    fh_free_range(h, p, p + pages);
}
