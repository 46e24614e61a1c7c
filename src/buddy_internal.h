/*
 * Internals of the buddy heap shared by buddy.c (the operations) and check.c
 * (the read-only validator, statistics and walker). Not a public header.
 *
 * State map. Each granule has a 2-bit state in h->state, 16 granules per
 * 32-bit word:
 *
 *   NONE  inside a block (not its first granule)
 *   FREE  first granule of a free block; the block's list node lives there
 *   HEAD  first granule of a live allocation
 *   CONT  first granule of a further block of the same allocation
 *
 * Every block is 2^k granules on a 2^k boundary, so a block that starts at p
 * ends at the first p + 2^j that is not NONE: the state map alone gives every
 * block's order, live or free, with no size stored anywhere. An allocation is
 * the canonical run of blocks covering [start, end): at each point the largest
 * aligned block that still fits. Free blocks are always merged with a free
 * buddy of the same order.
 */
#ifndef FH_BUDDY_INTERNAL_H
#define FH_BUDDY_INTERNAL_H

#include "firmheap.h"

#define FH_GRANULE_SHIFT 4u
#define FH_GRANULES_PER_WORD 16u

_Static_assert(FH_GRANULE == 1u << FH_GRANULE_SHIFT, "granule shift");
_Static_assert(FH_ORDER_MAX < 32u, "orders must fit the 32-bit non-empty mask");

enum { ST_NONE = 0u, ST_FREE = 1u, ST_HEAD = 2u, ST_CONT = 3u };

typedef struct fh_node {
    struct fh_node *next;
    struct fh_node *prev;
} fh_node;

_Static_assert(sizeof(fh_node) <= FH_GRANULE, "a free-list node must fit one granule");

struct fh_heap {
    uintptr_t g0;         /* first granule (absolute index = address / FH_GRANULE) */
    uintptr_t gend;       /* one past the last granule */
    uintptr_t gmid;       /* (g0 + gend) / 2: free blocks past it go to the back of their list */
    uint32_t *state;      /* the state map */
    uintptr_t state_base; /* address of the (virtual) state word of granule 0 */
    uint32_t order_max;   /* inclusive */
    uint32_t nonempty;    /* bit k set iff free_area[k] is not empty */
    size_t used;          /* granules held by live allocations */
    size_t peak;          /* high-water mark of used */
    size_t meta_bytes;    /* region bytes not handed out */
    uint32_t live, allocs, frees, failed, rejected;
    fh_node free_area[];  /* order_max + 1 circular lists with sentinel heads */
};

/* The state word that holds granule g. Indexing from a precomputed base in
 * integer arithmetic saves a subtraction on every access of the hot paths. */
static inline uint32_t *fh_state_word(const fh_heap *h, uintptr_t g)
{
    return (uint32_t *)(h->state_base + (g / FH_GRANULES_PER_WORD) * sizeof(uint32_t));
}

static inline unsigned fh_state(const fh_heap *h, uintptr_t g)
{
    uint32_t w = *fh_state_word(h, g);
    return (unsigned)(w >> ((g % FH_GRANULES_PER_WORD) * 2u)) & 3u;
}

static inline uintptr_t fh_granule(const void *p)
{
    return (uintptr_t)p >> FH_GRANULE_SHIFT;
}

static inline void *fh_addr(uintptr_t g)
{
    return (void *)(g << FH_GRANULE_SHIFT);
}

/* Granule just past the block that starts at p (any state but NONE). */
uintptr_t fh_block_end(const fh_heap *h, uintptr_t p);

#endif
