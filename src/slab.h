/*
 * The slab front's fast paths, inline for heap.c's entry points; the rest of
 * the front (tables, new and released slabs) is in slab.c. Not a public
 * header.
 *
 * A slab of class c is a buddy block of 2^order pages holding `count` objects
 * of `size` bytes from its first byte. Every page of it says SLAB | c in the
 * page map, so a pointer finds its slab by rounding down to the slab's size
 * (buddy blocks are aligned to their size) and its class from the map. The
 * first page's word also holds the slab's free-object bitmap (bit i: object
 * i is free). Nothing precedes an object, and nothing about a live object is
 * stored in it.
 *
 * Slabs with a free object are on their class's list, whose node lives in
 * the slab's lowest free object:
 *
 *   bitmap 0b0110100   node in object 2 (the lowest free one)
 *   alloc  takes object 4, the second lowest: the node stays put
 *   free   of object 0: the node moves down to object 0 (slab.c)
 *
 * so the fast paths below touch one list at most when a slab fills up.
 */
#ifndef FH_SLAB_H
#define FH_SLAB_H

#include "heap_internal.h"

#define FH_NO_CLASS 0xFFu

/* The class of (size, align), or FH_NO_CLASS if a slab does not serve it:
 * size rounded up to the alignment (at least 16) must be at most
 * FH_SLAB_MAX and not a whole number of pages. Objects of a class whose size
 * is a multiple of the alignment are aligned to it. */
static inline unsigned fh_class_of(size_t size, size_t align)
{
    if (size - 1u >= FH_SLAB_MAX)
        return FH_NO_CLASS;
    if (align > 16u) {
        /* Up to a multiple of the alignment: the class is one too. */
        if (align >= FH_PAGE || (align & (align - 1u)) != 0)
            return FH_NO_CLASS;
        size = (size + align - 1u) & ~(align - 1u);
        if (size > FH_SLAB_MAX)
            return FH_NO_CLASS;
    } else if ((align & (align - 1u)) != 0) {
        return FH_NO_CLASS;
    }
    return fh_tab.class_by_16[(size - 1u) >> 4];
}

static inline uintptr_t fh_slab_base(const fh_class *cl, const void *obj)
{
    return (uintptr_t)obj & ~((FH_PAGE << cl->order) - 1u);
}

/* A fresh slab of class c with its first object taken; NULL if no pages. */
void *fh_slab_refill(fh_heap *h, unsigned c);
/* A free that empties the slab at base: it leaves its list, and its pages
 * go back to the buddy system. */
void fh_slab_free_slow(fh_heap *h, uintptr_t base, unsigned c);

/* Takes an object from the slab whose list node is n (the first slab on
 * class c's list). */
static inline void *fh_slab_pop(fh_heap *h, unsigned c, fh_node *n)
{
    const fh_class *cl = &fh_classes[c];
    uintptr_t base = fh_slab_base(cl, n);
    uint32_t *w = fh_pw(h, fh_page_of((void *)base));
    uint32_t map = *w >> FH_DATA_SHIFT;
    uint32_t low = map & (0u - map), rest = map ^ low, take = low;
    if (rest)
        take = rest & (0u - rest); /* the node stays in the lowest */
    else
        fh_list_del(n); /* the last free object: the slab is full */
    *w ^= take << FH_DATA_SHIFT;
    return (void *)(base + fh_log2_pow2(take) * cl->size);
}

static inline void *fh_slab_alloc(fh_heap *h, unsigned c)
{
    fh_node *n = h->partial[c].next;
    return n == &h->partial[c] ? fh_slab_refill(h, c) : fh_slab_pop(h, c, n);
}

/* Frees obj, whose bit is `bit` in the slab at base (a live object). */
static inline void fh_slab_free(fh_heap *h, uintptr_t base, unsigned c, uint32_t bit, void *ptr)
{
    const fh_class *cl = &fh_classes[c];
    uint32_t *w = fh_pw(h, fh_page_of((void *)base));
    uint32_t map = *w >> FH_DATA_SHIFT, low = map & (0u - map);
    fh_node *obj = ptr;
    if (map == 0) {
        fh_list_add(&h->partial[c], obj); /* was full: back on its list */
    } else if ((map | bit) == ((uint32_t)1 << cl->count) - 1u) {
        fh_slab_free_slow(h, base, c);
        return;
    } else if (bit < low) {
        /* The node moves down to the new lowest free object. */
        fh_node *old = (fh_node *)(base + fh_log2_pow2(low) * cl->size);
        fh_node *next = old->next, *prev = old->prev;
        obj->next = next;
        obj->prev = prev;
        next->prev = obj;
        prev->next = obj;
        FH_HARDEN_NODE_RELEASED((void *)old, sizeof *old);
    }
    *w |= bit << FH_DATA_SHIFT;
}

#endif /* FH_SLAB_H */
