/*
 * Internals shared by the heap's files: the page map, the instance, the free
 * lists and the rules every path uses. Not a public header.
 *
 * Pages and the page map. The heap's area is cut into pages of FH_PAGE bytes,
 * numbered by absolute address (page = address >> FH_PAGE_SHIFT), so a block
 * of 2^k pages that starts on a 2^k-page boundary is aligned to 2^k * FH_PAGE
 * bytes in memory. Every page has one 32-bit word in the page map:
 *
 *   bits 0-1  type   NONE  inside a block (not its first page)
 *                    FREE  first page of a free buddy block
 *                    HEAD  first page of a large allocation
 *                    SLAB  any page of a slab (small objects of one class)
 *   bits 2-7  field  FREE: the block's order; SLAB: the class
 *   bits 8-31 data   HEAD: the allocation's length in pages;
 *                    SLAB (first page only): the slab's free-object bitmap
 *
 * A free block's word is exactly FREE | order << 2, so "is the buddy free and
 * of order k" is one load and one compare. Its list node sits in the block's
 * own first bytes: free memory holds the free lists, allocated memory holds
 * nothing of ours.
 */
#ifndef FH_HEAP_INTERNAL_H
#define FH_HEAP_INTERNAL_H

#include "config.h"
#include "firmheap.h"
#include "harden.h"

#define FH_PAGE_SHIFT 8u
#define FH_PAGE ((uintptr_t)1 << FH_PAGE_SHIFT)
/* A large allocation's length in pages must fit the word's 24 data bits, so
 * the area is at most 2^24 - 1 pages (4 GiB); orders stop below that. */
#define FH_DATA_SHIFT 8u
#define FH_AREA_PAGES_MAX ((uintptr_t)0xFFFFFFu)
#define FH_ORDER_LIMIT 23u

_Static_assert(FH_PAGE == FH_PAGE_SIZE, "firmheap.h: FH_PAGE_SIZE");
_Static_assert(FH_ORDER_LIMIT < FH_NR_ORDERS, "fh_stats holds every order");

enum { PG_NONE = 0u, PG_FREE = 1u, PG_HEAD = 2u, PG_SLAB = 3u };
#define PG_TYPE(w) ((w) & 3u)
#define PG_FIELD(w) (((w) >> 2) & 63u)
#define PG_DATA(w) ((w) >> FH_DATA_SHIFT)
#define PG_FREE_TAG(k) (PG_FREE | (uint32_t)(k) << 2)

/* Speed builds inline the steps of the hot paths into each entry point;
 * size builds (-Os) keep one copy of each. Both make the same decisions. */
#ifndef FH_INLINE
#if defined(__OPTIMIZE_SIZE__) || !defined(__OPTIMIZE__)
#define FH_INLINE
#else
#define FH_INLINE inline __attribute__((always_inline))
#endif
#endif

#if FH_DEBUG
#define FH_ASSERT(c) ((c) ? (void)0 : __builtin_trap())
#else
#define FH_ASSERT(c) ((void)0)
#endif

typedef struct fh_node {
    struct fh_node *next;
    struct fh_node *prev;
} fh_node;

/* A large run starts on a boundary of its largest power of two, or up to
 * this many orders below it (buddy.c, run_align). */
#define FH_RUN_SLACK 3u

/* ---- slab classes (their table lives in slab.c) ---- */

typedef struct fh_class {
    uint16_t size;   /* object bytes; a multiple of 16 */
    uint8_t order;   /* the slab is 2^order pages */
    uint8_t count;   /* objects per slab, 2..24 */
    uint16_t recip;  /* ceil(2^16 / size): offset -> index without a divide */
    uint16_t spare;  /* pads the entry to 8 bytes: one shift indexes it */
} fh_class;

#define FH_NR_CLASSES 9u
#define FH_SLAB_MAX 640u /* largest object a slab serves */

/* The constant tables, in one object so that a function finds all of them
 * from one address (slab.c). */
typedef struct fh_tables {
    fh_class classes[FH_NR_CLASSES];
    uint8_t class_by_16[FH_SLAB_MAX / 16u]; /* see fh_class_of (slab.h) */
#if !FH_HW_BITSCAN
    uint8_t debruijn[32];                   /* see fh_log2_pow2 */
    uint8_t floor_log2[32];                 /* of 0..31, see fh_floor_log2 */
#endif
} fh_tables;
extern const fh_tables fh_tab;
#define fh_classes (fh_tab.classes)

struct fh_heap {
    uintptr_t pw_base;   /* address of the (virtual) word of page 0 */
    uintptr_t page0;     /* first page of the area */
    uintptr_t pend;      /* one past its last page */
    uint32_t order_max;  /* largest order a block can reach (inclusive) */
    uintptr_t rover;     /* page after the last large run handed out */
    uint32_t nonempty;   /* bit k set iff free_area[k] is not empty */
    size_t used;         /* usable bytes of live allocations */
    size_t peak;         /* high-water mark of used */
    size_t meta_bytes;   /* region bytes not in the area */
    uint32_t live, frees, failed, rejected; /* allocs = frees + live */
    fh_node partial[FH_NR_CLASSES]; /* slabs with a free object, per class */
    fh_node free_area[];            /* order_max + 1 lists of free blocks */
};

/* ---- page map ---- */

static inline uint32_t *fh_pw(const fh_heap *h, uintptr_t page)
{
    return (uint32_t *)(h->pw_base + page * sizeof(uint32_t));
}

static inline uintptr_t fh_page_of(const void *p)
{
    return (uintptr_t)p >> FH_PAGE_SHIFT;
}

static inline void *fh_page_addr(uintptr_t page)
{
    return (void *)(page << FH_PAGE_SHIFT);
}

/* ---- bits (rv32imac and ARMv6-M have no count-trailing-zeros) ---- */

/* log2 of a power of two below 2^32. */
static inline unsigned fh_log2_pow2(uint32_t x)
{
#if FH_HW_BITSCAN
    return (unsigned)__builtin_ctz(x);
#else
    return fh_tab.debruijn[(uint32_t)(x * 0x077CB531u) >> 27];
#endif
}

static inline unsigned fh_ctz(uint32_t x)
{
    return fh_log2_pow2(x & (0u - x));
}

/* log2 of the largest power of two <= x, for 0 < x < 2^32. Large requests
 * are mostly a few pages: a table answers those. */
static inline unsigned fh_floor_log2(uint32_t x)
{
#if FH_HW_BITSCAN
    return 31u - (unsigned)__builtin_clz(x);
#else
    if (x < 32u)
        return fh_tab.floor_log2[x];
    x |= x >> 1;
    x |= x >> 2;
    x |= x >> 4;
    x |= x >> 8;
    x |= x >> 16;
    return fh_log2_pow2(x - (x >> 1));
#endif
}

/* Largest power of two <= x, for 0 < x < 2^32. */
static inline uintptr_t fh_floor_pow2(uintptr_t x)
{
    x |= x >> 1;
    x |= x >> 2;
    x |= x >> 4;
    x |= x >> 8;
    x |= x >> 16;
    return x - (x >> 1);
}

/* ---- free lists ---- */

static inline void fh_list_add(fh_node *head, fh_node *n)
{
    fh_node *first = head->next;
    n->next = first;
    n->prev = head;
    first->prev = n;
    head->next = n;
}

static inline void fh_list_add_tail(fh_node *head, fh_node *n)
{
    fh_node *last = head->prev;
    n->next = head;
    n->prev = last;
    last->next = n;
    head->prev = n;
}

/* Unlinks n; true if its list is now empty (both neighbours are the head).
 * Its bytes are plain free memory again (FH_HARDEN repaints them). */
static inline bool fh_list_del(fh_node *n)
{
    fh_node *next = n->next, *prev = n->prev;
    prev->next = next;
    next->prev = prev;
    FH_HARDEN_NODE_RELEASED(n, sizeof *n);
    return next == prev;
}

/* ---- shared by buddy.c, slab.c and heap.c ---- */

/* A free block of exactly order k, cut from the smallest free block that
 * holds one; 0 if none. Its word is left for the caller to set. */
uintptr_t fh_take_block(fh_heap *h, unsigned k);
/* Returns [s, e) to the free lists, merging with free buddies. */
void fh_free_range(fh_heap *h, uintptr_t s, uintptr_t e);

/* Large allocations: n pages (already rounded; 2^hi its largest power of
 * two), aligned to 2^align_order pages. 0 if no pages are free for it. */
uintptr_t fh_large_alloc(fh_heap *h, uintptr_t n, unsigned hi, unsigned align_order);
/* Resizes the run of n pages at g to n2 (2^hi2 its largest power of two)
 * without moving it; false, and nothing changed, if that cannot be done. */
bool fh_large_resize(fh_heap *h, uintptr_t g, uintptr_t n, uintptr_t n2, unsigned hi2);

/* Page count of a large request, rounded to FH_CONFIG_LARGE_BITS significant
 * bits; *hi gets the order of its largest power of two. */
uintptr_t fh_large_pages(size_t size, unsigned *hi);

#endif /* FH_HEAP_INTERNAL_H */
