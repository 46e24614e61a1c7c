/*
 * The buddy heap: a binary buddy system whose allocations are trimmed to the
 * granule.
 *
 * A request of n granules with alignment a (in granules) takes the smallest
 * free block of order k >= ceil(log2(max(n, a))), keeps its first n granules
 * and gives the tail straight back as free blocks:
 *
 *   order-3 block  [ . . . . . . . . ]      n = 5
 *   allocation     [ HEAD . . . CONT ]       blocks of 4 + 1 granules
 *   tail                        [ F ][ F . ]  blocks of 1 + 2, on the free lists
 *
 * So the usable size is the request rounded up to one granule, alignment costs
 * nothing but placement, and no header precedes the payload. Which granules
 * start a block, and whether that block is free, live or a continuation, is
 * all in the 2-bit state map (buddy_internal.h); free blocks also sit on a
 * doubly linked list per order, and a bitmask of non-empty orders picks a list
 * with one count-trailing-zeros.
 *
 * Buddy of the block of order k at granule p: p ^ 2^k. It is free and of
 * order k exactly when its first granule is FREE and, for k > 0, its middle
 * granule p ^ 2^k + 2^(k-1) is NONE (were it split, its right half would start
 * a block there). Merging on free therefore costs two state reads per order.
 *
 * Placement. Which free block a request gets decides how fragmented the heap
 * becomes, so three cheap rules keep whole blocks whole: tails of split blocks
 * go to the back of their lists (a block freed by a caller is reused first),
 * so do blocks freed in the upper half of the heap (allocation drifts low);
 * and a request over 16 granules first tries to fill a run of adjacent free
 * blocks that are not buddies of each other, looking at a bounded number of
 * candidates (find_run), before it cuts a fresh block.
 *
 * Bounds: alloc, free and resize touch at most a few blocks per order: the
 * canonical run of an allocation has at most 2 * (order_max + 1) blocks, a
 * block's end is found in at most order_max + 1 state reads, and merging
 * climbs at most order_max orders. Nothing loops over live or free blocks.
 */
#include "buddy_internal.h"
#include "move.h"
#include "harden.h"
#include "null_handle.h"

/* ---- configuration: define in the header named by FH_CONFIG_HEADER ------- */

#ifdef FH_CONFIG_HEADER
#include FH_CONFIG_HEADER
#endif

/* The run search (find_run): how many blocks it looks at per order ... */
#ifndef FH_CONFIG_RUN_TRIES
#define FH_CONFIG_RUN_TRIES 2u
#endif
/* ... on how many orders below the one a single block would need ... */
#ifndef FH_CONFIG_RUN_DEPTH
#define FH_CONFIG_RUN_DEPTH 2u
#endif
/* ... and from which request size on (2^(this - 1) granules) it runs before
 * a whole block is cut. Smaller requests search only when no block fits.
 * Larger values: faster allocation, more fragmentation. */
#ifndef FH_CONFIG_RUN_FIRST_ORDER
#define FH_CONFIG_RUN_FIRST_ORDER 5u
#endif

_Static_assert(FH_CONFIG_RUN_TRIES >= 1u && FH_CONFIG_RUN_TRIES <= 64u, "FH_CONFIG_RUN_TRIES: 1..64");
_Static_assert(FH_CONFIG_RUN_DEPTH >= 1u && FH_CONFIG_RUN_DEPTH <= FH_ORDER_MAX,
               "FH_CONFIG_RUN_DEPTH: 1..FH_ORDER_MAX");
_Static_assert(FH_CONFIG_RUN_FIRST_ORDER >= 1u && FH_CONFIG_RUN_FIRST_ORDER <= FH_NR_ORDERS,
               "FH_CONFIG_RUN_FIRST_ORDER: 1..FH_NR_ORDERS (the largest disables run-first)");

/* ---- bit helpers: only shifts, masks and multiplies (ARMv6-M, rv32imac) ---- */

#if defined(__x86_64__) || defined(__aarch64__) || defined(__riscv_zbb) || \
    (defined(__ARM_FEATURE_CLZ) && defined(__thumb2__))
#define FH_HW_BITSCAN 1
#else
#define FH_HW_BITSCAN 0
#endif

#if !FH_HW_BITSCAN
/* Index of the bit in a power of two: de Bruijn sequence 0x077CB531. */
static const uint8_t fh_debruijn[32] = {
    0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4, 8,
    31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9};
#endif

/* log2 of a power of two below 2^32. */
static inline unsigned log2_pow2(uint32_t x)
{
#if FH_HW_BITSCAN
    return (unsigned)__builtin_ctz(x);
#else
    return fh_debruijn[(uint32_t)(x * 0x077CB531u) >> 27];
#endif
}

/* log2 of 1, 2, 4 or 8 without a table or a multiply: the speed paths use it
 * for blocks that lie within one state word. */
static inline unsigned log2_upto8(uint32_t x)
{
    return (unsigned)((x >> 1) - (x >> 3));
}

/* Count trailing zeros; x != 0. */
static inline unsigned ctz32(uint32_t x)
{
    return log2_pow2(x & (0u - x));
}

/* Smallest k with 2^k >= x, for 1 <= x <= 2^31. */
static inline unsigned ceil_log2(uint32_t x)
{
#if FH_HW_BITSCAN
    if (x <= 1u)
        return 0;
    return 32u - (unsigned)__builtin_clz(x - 1u);
#else
    /* The bit length of x - 1: a few halving steps, then a nibble table.
     * Requests are mostly small, so most take no step at all. */
    static const uint8_t bit_len[16] = {0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4};
    unsigned k = 0;
    x -= 1u;
    if (x >> 16) {
        x >>= 16;
        k = 16;
    }
    if (x >> 8) {
        x >>= 8;
        k += 8;
    }
    if (x >> 4) {
        x >>= 4;
        k += 4;
    }
    return k + bit_len[x];
#endif
}

/* ---- state map ---- */

/* Speed builds (-O2) inline the hot loops into their callers and take a few
 * word-at-a-time shortcuts (FH_SPEED); size builds (-Os) keep one copy of
 * each and the plain paths. Both make exactly the same decisions. */
#if defined(__OPTIMIZE_SIZE__) || !defined(__OPTIMIZE__)
#define FH_SPEED 0
#define FH_HOT
#define FH_COLD
#else
#define FH_SPEED 1
#define FH_HOT inline __attribute__((always_inline))
/* Kept out of line so that its callers' fast paths stay leaf functions. */
#define FH_COLD __attribute__((noinline))
#endif

static inline void set_state(fh_heap *h, uintptr_t g, unsigned s)
{
    uint32_t *w = fh_state_word(h, g);
    unsigned shift = (unsigned)(g % FH_GRANULES_PER_WORD) * 2u;
    *w = (*w & ~(3u << shift)) | ((uint32_t)s << shift);
}

/* Speed builds inline the block-end walk into the run search and take_free,
 * which keeps them leaf functions; size builds call the one copy. */
static FH_HOT uintptr_t block_end(const fh_heap *h, uintptr_t p)
{
    /* Blocks of up to the rest of this word: find the next non-NONE granule
     * with one mask. Bit 2i of `starts` says granule i of the word starts a
     * block; the two-step shift keeps p % 16 == 15 defined. */
    uint32_t w = *fh_state_word(h, p);
    uint32_t starts = (w | (w >> 1)) & 0x55555555u;
    starts >>= (unsigned)(p % FH_GRANULES_PER_WORD) * 2u;
    starts >>= 2;
    if (starts)
        return p + 1u + (ctz32(starts) >> 1);
    /* Longer: p is aligned to the distance to the word's end, a power of two,
     * and the block ends at the first p + 2^j that starts something. */
    uintptr_t len = FH_GRANULES_PER_WORD - p % FH_GRANULES_PER_WORD;
#if FH_SPEED
    if (len == FH_GRANULES_PER_WORD) {
        /* p starts a word, and so does every p + len: the granule's state is
         * the low bits of the word len / 16 words on. */
        uintptr_t w0 = (uintptr_t)fh_state_word(h, p);
        uintptr_t room = h->gend - p;
        while (len < room && (*(const uint32_t *)(w0 + (len >> 2)) & 3u) == ST_NONE)
            len <<= 1;
        return len < room ? p + len : h->gend;
    }
#endif
    while (p + len < h->gend && fh_state(h, p + len) == ST_NONE)
        len <<= 1;
    return p + len < h->gend ? p + len : h->gend;
}

uintptr_t fh_block_end(const fh_heap *h, uintptr_t p)
{
    return block_end(h, p);
}

#if FH_SPEED
#define BLOCK_END block_end
#else
#define BLOCK_END fh_block_end
#endif

/* ---- free lists ---- */

static inline fh_node *node_at(uintptr_t g)
{
    return (fh_node *)fh_addr(g);
}

static void push_free(fh_heap *h, uintptr_t g, unsigned order, bool last, bool mark)
{
    fh_node *head = &h->free_area[order];
    fh_node *n = node_at(g);
    /* Insert after `at`: the head (used next) or the last node (used last). */
    fh_node *at = last ? head->prev : head;
    n->next = at->next;
    n->prev = at;
    at->next->prev = n;
    at->next = n;
    h->nonempty |= 1u << order;
    if (mark)
        set_state(h, g, ST_FREE);
}

static void unlink_free(fh_heap *h, uintptr_t g, unsigned order)
{
    fh_node *n = node_at(g);
    fh_node *next = n->next, *prev = n->prev;
    prev->next = next;
    next->prev = prev;
    FH_HARDEN_NODE_RELEASED(n, sizeof *n);
    /* Both neighbours are one node only when that is the head: now empty. */
    if (next == prev)
        h->nonempty &= ~(1u << order);
}

/* Frees the block of order k at g (its state is about to be overwritten),
 * merging with free buddies up to order `limit`. The buddy b of order k is
 * free and exactly of order k when it lies in the heap, its first granule is
 * FREE and, for k > 0, its middle granule b + 2^(k-1) is NONE. Only the
 * granule that stops being a block start is cleared per merge; a block that
 * ends up at a free lower buddy keeps that buddy's FREE. */
static FH_HOT void free_block(fh_heap *h, uintptr_t g, unsigned k, unsigned limit)
{
    uintptr_t g_in = g;
    while (k < limit) {
        uintptr_t bit = (uintptr_t)1 << k;
        uintptr_t b = g ^ bit;
        bool up = b > g;
        /* Below g the buddy must not start before the heap; above it, the
         * middle granule (b itself at order 0) must lie in the heap. */
        if (up ? b + (bit >> 1) >= h->gend : b < h->g0)
            break;
        uint32_t *wb = fh_state_word(h, b);
        unsigned sb = (unsigned)(b % FH_GRANULES_PER_WORD) * 2u;
        uint32_t w = *wb;
        if (((w >> sb) & 3u) != ST_FREE)
            break;
        if (k != 0) {
            /* Up to order 4 the middle granule shares the first one's word. */
            if (k <= 4u ? ((w >> (sb + bit)) & 3u) != ST_NONE
                        : fh_state(h, b + (bit >> 1)) != ST_NONE)
                break;
        }
        unlink_free(h, b, k);
        /* [ g ][ b ] => [ -- g -- ]: the right half's first granule becomes
         * interior. */
        if (up) {
            *wb = w & ~(3u << sb);
        } else {
            set_state(h, g, ST_NONE);
            g = b;
        }
        k++;
    }
    push_free(h, g, k, limit == 0u || g > h->gmid, g == g_in);
}

/* Largest power of two <= x, x > 0. */
static inline uintptr_t floor_pow2(uintptr_t x)
{
    x |= x >> 1;
    x |= x >> 2;
    x |= x >> 4;
    x |= x >> 8;
    x |= x >> 16;
#if UINTPTR_MAX > 0xFFFFFFFFu
    x |= x >> 32;
#endif
    return x - (x >> 1);
}

/* Largest aligned block at p that fits before e (p < e): the canonical step.
 * Runs ascend while p's alignment fits, then descend with what is left. */
static inline uintptr_t canonical_step(uintptr_t p, uintptr_t e)
{
    uintptr_t step = p & (0u - p);
    return step != 0 && step <= e - p ? step : floor_pow2(e - p);
}

/* Sets state s at the start of every canonical block of [g, e) but the first:
 * CONT to mark a run, NONE to erase one. Speed builds inline it: a resize
 * calls it twice, mostly with nothing or little to mark. */
static FH_HOT void mark_run(fh_heap *h, uintptr_t g, uintptr_t e, unsigned s)
{
#if FH_SPEED
    /* Ascending by p's alignment, then the set bits of what is left, largest
     * first: the starts of those are e minus the sums of its lowest bits, so
     * no search for the highest bit is needed. */
    uintptr_t p = g, step;
    while ((step = p & (0u - p)) != 0 && step <= e - p) {
        p += step;
        if (p < e)
            set_state(h, p, s);
    }
    uintptr_t r = e - p;
    for (uintptr_t t = r; t & (t - 1u);) {
        t &= t - 1u;
        set_state(h, e - (r - t), s);
    }
#else
    for (uintptr_t p = g + canonical_step(g, e); p < e; p += canonical_step(p, e))
        set_state(h, p, s);
#endif
}

/* Puts [p, e) on the free lists as canonical blocks. merge: whether the blocks
 * may have free buddies outside [p, e) (they cannot when [p, e) is the tail of
 * a block just split). */
static void free_range(fh_heap *h, uintptr_t p, uintptr_t e, bool merge)
{
    while (p < e) {
        uintptr_t step = canonical_step(p, e);
        free_block(h, p, log2_pow2((uint32_t)step), merge ? h->order_max : 0u);
        p += step;
    }
}

/* Frees [p, end) where end is the end of an aligned block that p lies in: the
 * blocks ascend by p's alignment ([ 1 ][ 2 . ][ 4 . . . ]), and none can have
 * a free buddy (each one's buddy is what lies before it in the block). They go
 * to the back of their lists, so that blocks freed by callers are reused
 * first and a split block's tail stays free longest, ready to merge back. */
static void free_tail(fh_heap *h, uintptr_t p, uintptr_t end)
{
    while (p < end) {
        uintptr_t step = p & (0u - p);
        push_free(h, p, log2_pow2((uint32_t)step), true, true);
        p += step;
    }
}

/* Takes the free blocks that tile [p, q) off their lists; their starts become
 * interior granules of whatever claims them. */
static void take_free(fh_heap *h, uintptr_t p, uintptr_t q)
{
    while (p < q) {
        uintptr_t next = BLOCK_END(h, p);
        unlink_free(h, p, log2_pow2((uint32_t)(next - p)));
        set_state(h, p, ST_NONE);
        p = next;
    }
}

/* End of the run of free blocks from p, as far as it is needed to reach
 * `want`. A run of merged free blocks has at most two per order, which bounds
 * the walk. */
static FH_HOT uintptr_t free_run_reach(const fh_heap *h, uintptr_t p, uintptr_t want)
{
    for (unsigned hops = 0; p < want && p < h->gend && hops <= 2u * FH_NR_ORDERS; hops++) {
        if (fh_state(h, p) != ST_FREE)
            break;
        p = BLOCK_END(h, p);
    }
    return p;
}

/* Out of line for resize_run, whose common path stays lighter; the run search
 * inlines free_run_reach in speed builds. */
static FH_COLD uintptr_t free_run_end(const fh_heap *h, uintptr_t p, uintptr_t want)
{
    return free_run_reach(h, p, want);
}

/* ---- validation ---- */

__attribute__((weak)) void fh_error_hook(const fh_heap *h, fh_error err, const void *ptr)
{
    (void)h;
    (void)err;
    (void)ptr;
}

static void reject(fh_heap *h, fh_error err, const void *ptr)
{
    h->rejected++;
    fh_error_hook(h, err, ptr);
}

/* The first granule of the live allocation at ptr, or 0 with *why saying
 * why not (ptr NULL: 0 and nothing to say). Never writes. */
static FH_HOT uintptr_t find_live(const fh_heap *h, const void *ptr, fh_error *why)
{
    uintptr_t a = (uintptr_t)ptr;
    if (ptr == NULL)
        return 0;
    if (a < (h->g0 << FH_GRANULE_SHIFT) || a >= (h->gend << FH_GRANULE_SHIFT)) {
        *why = FH_ERR_OUTSIDE;
        return 0;
    }
    uintptr_t g = fh_granule(ptr);
    unsigned s = fh_state(h, g);
    if (a & (FH_GRANULE - 1u))
        s = ST_NONE;
    if (s != ST_HEAD) {
        *why = s == ST_FREE ? FH_ERR_DOUBLE_FREE : FH_ERR_INTERIOR;
        return 0;
    }
    return g;
}

/* find_live for the operations: a rejected pointer is also counted. Speed
 * builds inline it, which saves a call on the resize path. */
static FH_HOT uintptr_t live_granule(fh_heap *h, const void *ptr)
{
    fh_error why = FH_ERR_OUTSIDE;
    uintptr_t g = find_live(h, ptr, &why);
    if (g == 0 && ptr != NULL)
        reject(h, why, ptr);
    return g;
}

/* One past the allocation that starts at g: its run goes on while blocks are
 * CONT. Speed builds inline it and its block-end walks into resize_live. */
static FH_HOT uintptr_t run_end(const fh_heap *h, uintptr_t g)
{
    uintptr_t e = BLOCK_END(h, g);
    while (e < h->gend && fh_state(h, e) == ST_CONT)
        e = BLOCK_END(h, e);
    return e;
}

static inline bool misaligned(const void *ptr, size_t align)
{
    return align != 0 && ((uintptr_t)ptr & (align - 1u)) != 0;
}

/* Granules for (size, align), or 0 if the request is invalid. */
static size_t request_granules(size_t size, size_t align)
{
    if (size == 0 || (align & (align - 1u)) != 0)
        return 0;
    /* Written so that no step can overflow, even for SIZE_MAX. */
    size_t n = ((size - 1u) >> FH_GRANULE_SHIFT) + 1u;
    if (n > ((size_t)1 << FH_ORDER_MAX) || n > (SIZE_MAX >> FH_GRANULE_SHIFT) ||
        (align >> FH_GRANULE_SHIFT) > ((size_t)1 << FH_ORDER_MAX))
        return 0;
    return n;
}

/* ---- public API ---- */

/* Order of the largest power of two <= x (x > 0), capped at FH_ORDER_MAX. */
static unsigned order_floor(uintptr_t x)
{
    unsigned k = 0;
    while (k < FH_ORDER_MAX && (x >> k) > 1u)
        k++;
    return k;
}

/* fh_init and fh_init_zeroed: the same setup, but a region that already
 * reads as zero needs its bookkeeping cleared no more. */
static fh_heap *init_region(void *base, size_t size, bool zeroed)
{
    uintptr_t start = (uintptr_t)base;
    if (base == NULL || size < FH_GRANULE * 4u || start + size < start)
        return NULL;
    uintptr_t hs = (start + sizeof(void *) - 1u) & ~(uintptr_t)(sizeof(void *) - 1u);

    /* Bookkeeping is sized for the whole region, so it never falls short of
     * the area that remains after it: [heap][lists][state map][area ...]. */
    uintptr_t granules = size >> FH_GRANULE_SHIFT;
    unsigned orders = order_floor(granules) + 1u;
    uintptr_t lists_end = hs + sizeof(fh_heap) + orders * sizeof(fh_node);
    uintptr_t meta_end = lists_end + (granules / FH_GRANULES_PER_WORD + 2u) * 4u;
    uintptr_t g0 = (meta_end + FH_GRANULE - 1u) >> FH_GRANULE_SHIFT;
    uintptr_t gend = (start + size) >> FH_GRANULE_SHIFT;
    if (meta_end >= start + size || g0 >= gend)
        return NULL;
    /* Past 2^(FH_ORDER_MAX + 1) granules a block could outgrow the lists; only
     * a 64-bit region of 32 GiB or more gets here, and keeps the first part. */
    if (gend - g0 >= (uintptr_t)2 << FH_ORDER_MAX)
        gend = g0 + ((uintptr_t)2 << FH_ORDER_MAX) - 1u;
    for (uint32_t *w = (uint32_t *)hs; w < (uint32_t *)meta_end && !zeroed; w++)
        *w = 0;

    fh_heap *h = (fh_heap *)hs;
    h->g0 = g0;
    h->gend = gend;
    h->gmid = (g0 + gend) >> 1;
    h->state = (uint32_t *)lists_end;
    h->state_base = lists_end - (g0 / FH_GRANULES_PER_WORD) * sizeof(uint32_t);
    h->order_max = order_floor(gend - g0);
    h->meta_bytes = size - ((gend - g0) << FH_GRANULE_SHIFT);
    for (unsigned k = 0; k <= h->order_max; k++)
        h->free_area[k].next = h->free_area[k].prev = &h->free_area[k];
    /* Carve the area into maximal aligned blocks; none exceeds order_max,
     * the largest power of two that fits the area. */
    free_range(h, g0, gend, false);
    return h;
}

fh_heap *fh_init(void *base, size_t size)
{
    return init_region(base, size, false);
}

fh_heap *fh_init_zeroed(void *base, size_t size)
{
    return init_region(base, size, true);
}

/*
 * When no single block is large enough: n granules at alignment a may still
 * fit in a run of adjacent free blocks that are not buddies of each other
 * ([ 2 ][ 1 ] after an odd split). Looks at the first FH_CONFIG_RUN_TRIES blocks of
 * each smaller order: bounded, and only ever on the path that would otherwise
 * fail. Returns the run's start (its end in *end) or 0.
 */
static uintptr_t find_run(const fh_heap *h, size_t n, size_t a, unsigned k, uintptr_t *end)
{
    unsigned top = k <= h->order_max ? k : h->order_max + 1u;
    for (unsigned j = top; j-- > 0 && j + FH_CONFIG_RUN_DEPTH >= top;) {
        const fh_node *head = &h->free_area[j];
        const fh_node *node = head->next;
        for (unsigned t = 0; t < FH_CONFIG_RUN_TRIES && node != head; t++, node = node->next) {
            uintptr_t g = fh_granule(node);
            if (g & (a - 1u))
                continue;
            /* The candidate is a free block of order j: the run goes on
             * from its end. Most candidates end at a block that is not free:
             * that first read is made here, before the call. */
            uintptr_t p = g + ((uintptr_t)1 << j);
            if (p < g + n && (p >= h->gend || fh_state(h, p) != ST_FREE))
                continue;
#if FH_SPEED
            *end = free_run_reach(h, p, g + n);
#else
            *end = free_run_end(h, p, g + n);
#endif
            if (*end >= g + n)
                return g;
        }
    }
    return 0;
}

/* Books n granules at g as allocated. */
static FH_HOT void *account(fh_heap *h, uintptr_t g, size_t n)
{
    h->used += n;
    if (h->used > h->peak)
        h->peak = h->used;
    h->live++;
    h->allocs++;
    return fh_addr(g);
}

/* Makes [g, g + n) one allocation and gives [g + n, end) back (free_tail).
 * The granules after g are NONE or, in speed builds when `whole` (g starts
 * the aligned block that ends at end), they may be marked faster. */
static FH_HOT void *claim(fh_heap *h, uintptr_t g, size_t n, uintptr_t end, bool whole)
{
    set_state(h, g, ST_HEAD);
    if (FH_SPEED && whole) {
        /* From an aligned block the run's blocks are the set bits of n,
         * largest first: n = 13 = 8 + 4 + 1 gives [H . . . . . . .][C . . .][C]. */
        for (uintptr_t r = n & (n - 1u); r; r &= r - 1u)
            set_state(h, g + r, ST_CONT);
    } else {
        mark_run(h, g, g + n, ST_CONT);
    }
    free_tail(h, g + n, end);
    return account(h, g, n);
}

/* The common case: cuts the run of n granules from the start of the first
 * free block of order `order`, which holds it. */
static FH_HOT void *alloc_whole(fh_heap *h, size_t n, unsigned order)
{
    uintptr_t g = fh_granule(h->free_area[order].next);
    uintptr_t size = (uintptr_t)1 << order;
    unlink_free(h, g, order);
#if FH_SPEED
    if (order <= 4u) {
        /* The block lies in one state word, FREE at g and NONE after it:
         * every change is a flip of bits that are clear, but for FREE to
         * HEAD at g, so all of them go in with one XOR. The tail goes to the
         * back of its lists in free_tail's order. */
        uint32_t flip = 3u;
        for (uintptr_t r = n & (n - 1u); r; r &= r - 1u)
            flip |= 3u << (2u * r);
        for (uintptr_t p = n; p < size;) {
            uintptr_t step = p & (0u - p);
            push_free(h, g + p, log2_upto8((uint32_t)step), true, false);
            flip |= 1u << (2u * p);
            p += step;
        }
        *fh_state_word(h, g) ^= flip << ((unsigned)(g % FH_GRANULES_PER_WORD) * 2u);
        return account(h, g, n);
    }
#endif
    return claim(h, g, n, g + size, true);
}

/* Requests that search for a run first (see find_run), or that no single
 * block fits. */
static FH_COLD void *alloc_run(fh_heap *h, size_t n, size_t a, unsigned k, uint32_t fit)
{
    uintptr_t end;
    uintptr_t g = find_run(h, n, a, k, &end);
    if (g) {
        take_free(h, g, end);
        return claim(h, g, n, end, false);
    }
    if (fit)
        return alloc_whole(h, n, k + ctz32(fit));
    h->failed++;
    return NULL;
}

void *fh_alloc(fh_heap *h, size_t size, size_t align)
{
    if (fh_null_handle(h, NULL))
        return NULL;
    size_t n = request_granules(size, align);
    size_t a = align > FH_GRANULE ? align >> FH_GRANULE_SHIFT : 1u;
    unsigned k = ceil_log2((uint32_t)(n > a ? n : a));
    uint32_t fit = k <= h->order_max ? h->nonempty >> k : 0;
    /* Larger requests first try to fill a gap between blocks already cut,
     * which keeps whole blocks whole (see find_run). */
    if (n - 1u < ((size_t)1 << (FH_CONFIG_RUN_FIRST_ORDER - 1u)) && fit != 0)
        return alloc_whole(h, n, k + ctz32(fit));
    if (n == 0) {
        h->failed++;
        return NULL;
    }
    return alloc_run(h, n, a, k, fit);
}

void *fh_alloc_zeroed(fh_heap *h, size_t size, size_t align)
{
    void *p = fh_alloc(h, size, align);
    if (p)
        fh_zero_bytes(p, fh_usable_size_for(size, align));
    return p;
}

/* free_block for a block of a live run (limit order_max). Speed builds merge
 * a block below order 4 within its state word first, with the word in a
 * register: the buddy and its middle granule lie in that word, whose granules
 * outside the heap are NONE, so no range check is needed once the whole word
 * lies below gend; and a merge below order_max needs none either, as both
 * halves of the merged block lie in the heap. Each merge clears the buddy's
 * FREE (g's state is cleared first) and the result's FREE goes in at the end. */
#if FH_SPEED
/* A small block in the heap's last state word: rare, out of line. */
static FH_COLD void free_block_edge(fh_heap *h, uintptr_t g, unsigned k)
{
    free_block(h, g, k, h->order_max);
}

/* Puts the pending blocks (see release_block) on their lists: they lie just
 * below `end`, one per set bit of pend, largest lowest. Each goes to a
 * different list, so the order of these pushes does not matter. */
static FH_COLD void push_pending(fh_heap *h, uintptr_t end, uintptr_t pend)
{
    while (pend) {
        uintptr_t low = pend & (0u - pend);
        end -= low;
        push_free(h, end, log2_pow2((uint32_t)low), end > h->gmid, false);
        pend ^= low;
    }
}
#endif

/* Speed builds defer list pushes within a run: a merged block that is the
 * lower buddy of the run's next block (so `more` follows) stays off its list
 * as a set bit of *pend, since the next block mostly merges into it at once,
 * which saves a push and an unlink. The pending blocks are contiguous below
 * the block being freed, strictly shrinking, so a merge finds its lower buddy
 * pending exactly when *pend has the buddy's order; the state map is kept as
 * if they were on the lists. What is left is pushed before the next block
 * that goes on a list: pushes to other lists and unlinks of other nodes do
 * not change a list's order, so the lists come out as without deferring. */
static FH_HOT void release_block(fh_heap *h, uintptr_t g, unsigned k, bool more, uintptr_t *pend)
{
#if FH_SPEED
    if (k < 4u && (g | (FH_GRANULES_PER_WORD - 1u)) < h->gend) {
        uint32_t *wp = fh_state_word(h, g);
        uint32_t w = *wp & ~(3u << (unsigned)(g % FH_GRANULES_PER_WORD) * 2u);
        uint32_t bit = 1u << k;
        /* The buddy's first granule FREE and, above order 0, its middle one
         * (bit / 2 granules on: a shift of bit) NONE. */
        uint32_t mask = k ? 3u | (3u << bit) : 3u;
        for (;;) {
            uintptr_t b = g ^ bit;
            unsigned sb = (unsigned)(b % FH_GRANULES_PER_WORD) * 2u;
            if (((w >> sb) & mask) != ST_FREE)
                break;
            if (*pend & bit) {
                *pend ^= bit;
            } else {
                fh_node *n = node_at(b), *next = n->next, *prev = n->prev;
                prev->next = next;
                next->prev = prev;
                FH_HARDEN_NODE_RELEASED(n, sizeof *n);
                if (next == prev)
                    h->nonempty &= ~bit;
            }
            w ^= 1u << sb;
            g &= ~(uintptr_t)bit;
            bit <<= 1;
            if (bit == FH_GRANULES_PER_WORD)
                break;
            mask = 3u | (3u << bit);
        }
        if (bit < FH_GRANULES_PER_WORD) {
            *wp = w | (1u << (unsigned)(g % FH_GRANULES_PER_WORD) * 2u);
            if (more && !(g & bit)) {
                *pend |= bit;
                return;
            }
            if (*pend) {
                push_pending(h, g, *pend);
                *pend = 0;
            }
            push_free(h, g, log2_upto8(bit), g > h->gmid, false);
            return;
        }
        /* Order 4 reached: g is NONE, and the merging goes on below. */
        *wp = w;
        k = 4u;
    } else if (k < 4u) {
        /* free_block works on the lists: put the pending blocks there. */
        if (*pend) {
            push_pending(h, g, *pend);
            *pend = 0;
        }
        free_block_edge(h, g, k);
        return;
    } else {
        *(uint32_t *)(h->state_base + (g >> 2)) &= ~3u;
    }
    /* From order 4 on, g and its buddy start state words: a block's state is
     * the low bits of the word at state_base + granule / 4, and the middle
     * granule of an order > 4 buddy starts the word bit / 8 bytes on. g is
     * NONE here; each merge clears the buddy's FREE, and the result is marked
     * FREE at the end. */
    uintptr_t base = h->state_base;
    for (; k < h->order_max; k++) {
        uintptr_t bit = (uintptr_t)1 << k, b = g ^ bit;
        if (b > g ? b + (bit >> 1) >= h->gend : b < h->g0)
            break;
        uint32_t *wb = (uint32_t *)(base + (b >> 2));
        uint32_t w = *wb;
        if ((w & 3u) != ST_FREE)
            break;
        if ((k == 4u ? w >> 16 : *(const uint32_t *)((uintptr_t)wb + (bit >> 3))) & 3u)
            break;
        if (*pend & bit)
            *pend ^= bit;
        else
            unlink_free(h, b, k);
        *wb = w ^ ST_FREE;
        g &= ~bit;
    }
    *(uint32_t *)(base + (g >> 2)) |= ST_FREE;
    if (more && !(g & ((uintptr_t)1 << k))) {
        *pend |= (uintptr_t)1 << k;
        return;
    }
    if (*pend) {
        push_pending(h, g, *pend);
        *pend = 0;
    }
    push_free(h, g, k, g > h->gmid, false);
#else
    (void)more;
    (void)pend;
    free_block(h, g, k, h->order_max);
#endif
}

/* Frees the allocation that starts at g block by block, as its run goes;
 * each block may merge onwards. The blocks are those of a live run, so each
 * is a power of two on its own boundary: the end of one within its state word
 * is the first of p + 1, p + 2, p + 4, p + 8 that starts something, and the
 * word already read also tells whether that start is a CONT. */
static void release_run(fh_heap *h, uintptr_t g)
{
    uintptr_t p = g, len, pend = 0;
    unsigned k, s;
    for (;;) {
        uint32_t w = *fh_state_word(h, p);
        unsigned sh = (unsigned)(p % FH_GRANULES_PER_WORD) * 2u;
        uint32_t starts = (((w | (w >> 1)) & 0x55555555u) >> sh) >> 2;
        if (starts) {
            k = (starts & 1u) ? 0u : (starts & 4u) ? 1u : (starts & 0x40u) ? 2u : 3u;
            len = (uintptr_t)1 << k;
            s = (unsigned)(w >> (sh + 2u * len)) & 3u;
        } else {
            /* Past the word: p is aligned to the distance to its end. */
            len = FH_GRANULES_PER_WORD - p % FH_GRANULES_PER_WORD;
            s = ST_NONE;
#if FH_SPEED
            /* The order is counted along, which saves a bit scan. */
            k = (unsigned)((len >> 1) - (len >> 3) - (len >> 3 & 2u)); /* log2 of 1 .. 16 */
            if (len == FH_GRANULES_PER_WORD) {
                /* As in fh_block_end: each p + len starts a word. */
                uintptr_t w0 = (uintptr_t)fh_state_word(h, p);
                k = 4u; /* as above; restating it measured faster with gcc */
                while (p + len < h->gend &&
                       (s = *(const uint32_t *)(w0 + (len >> 2)) & 3u) == ST_NONE) {
                    len <<= 1;
                    k++;
                }
            } else {
                while (p + len < h->gend && (s = fh_state(h, p + len)) == ST_NONE) {
                    len <<= 1;
                    k++;
                }
            }
            if (p + len > h->gend) {
                /* The last block of a heap that ends mid-word: rare. */
                len = h->gend - p;
                for (k = 0; ((uintptr_t)2 << k) <= len; k++)
                    ;
            }
#else
            while (p + len < h->gend && (s = fh_state(h, p + len)) == ST_NONE)
                len <<= 1;
            if (p + len > h->gend)
                len = h->gend - p; /* the last block of a heap that ends mid-word */
            k = log2_pow2((uint32_t)len);
#endif
        }
        release_block(h, p, k, s == ST_CONT, &pend);
        p += len;
        if (s != ST_CONT)
            break;
    }
    h->used -= p - g;
    h->live--;
    h->frees++;
}

#if FH_SPEED
/* free_range with merging, through release_block's fast paths: [p, e) is all
 * NONE (cut off a live run, or left over from taken free blocks), and each
 * block mostly merges into the one before it, which stays pending. */
static void free_range_merge(fh_heap *h, uintptr_t p, uintptr_t e)
{
    uintptr_t pend = 0;
    while (p < e) {
        uintptr_t step = canonical_step(p, e);
        release_block(h, p, log2_pow2((uint32_t)step), p + step < e, &pend);
        p += step;
    }
}
#else
#define free_range_merge(h, p, e) free_range(h, p, e, true)
#endif

void fh_free(fh_heap *h, void *ptr)
{
    if (fh_null_handle(h, ptr))
        return;
    /* The common case inline: a granule-aligned pointer to a HEAD in the
     * heap. Anything else goes the long way, which reports it. */
    uintptr_t a = (uintptr_t)ptr, g = fh_granule(ptr);
    if ((a & (FH_GRANULE - 1u)) == 0 && g - h->g0 < h->gend - h->g0 && fh_state(h, g) == ST_HEAD)
        release_run(h, g);
    else
        live_granule(h, ptr);
}

void fh_free_sized(fh_heap *h, void *ptr, size_t size, size_t align)
{
    if (fh_null_handle(h, ptr))
        return;
    uintptr_t g = live_granule(h, ptr);
    if (g == 0)
        return;
    if (request_granules(size, align) != run_end(h, g) - g || misaligned(ptr, align))
        reject(h, FH_ERR_SIZE_MISMATCH, ptr);
    else
        release_run(h, g);
}

/* Resizes the allocation [g, e) to [g, e2) without moving it. false (nothing
 * changed) if the granules after it are not all free. */
static bool resize_run(fh_heap *h, uintptr_t g, uintptr_t e, uintptr_t e2)
{
#if FH_SPEED
    uintptr_t q = e;
    if (e2 == e)
        return true;
    if (e2 > e) {
        /* Mostly one free block at e holds the growth: take it as found. */
        if (e >= h->gend || fh_state(h, e) != ST_FREE)
            return false;
        q = BLOCK_END(h, e);
        if (q >= e2) {
            unlink_free(h, e, log2_pow2((uint32_t)(q - e)));
            set_state(h, e, ST_NONE);
        } else {
            q = free_run_end(h, e, e2);
            if (q < e2)
                return false;
            take_free(h, e, q);
        }
    }
    /* Both runs start the same way, ascending by alignment while a block fits
     * before the nearer end; only the starts after that change. */
    uintptr_t lim = e2 < e ? e2 : e, p = g, step;
    while ((step = p & (0u - p)) != 0 && step < lim - p)
        p += step;
    mark_run(h, p, e, ST_NONE);
    mark_run(h, p, e2, ST_CONT);
#else
    /* Growing needs free blocks from e up to e2. */
    uintptr_t q = free_run_end(h, e, e2);
    if (q < e2)
        return false;
    mark_run(h, g, e, ST_NONE);
    take_free(h, e, q);
    mark_run(h, g, e2, ST_CONT);
#endif
    h->used += e2 - e; /* modular: shrinking subtracts */
    if (h->used > h->peak)
        h->peak = h->used;
    /* Shrink: [e2, e) goes back. Grow: what the last free block had beyond
     * e2 goes back. */
    free_range_merge(h, e2, q > e ? q : e);
    return true;
}

/* Validates ptr, then tries to make it hold n granules in place. Returns its
 * granule (0 if rejected); *end gets where it ends afterwards. *ok tells
 * whether it now holds n granules at an address aligned to align. */
static uintptr_t resize_live(fh_heap *h, void *ptr, size_t n, size_t align, uintptr_t *end,
                             bool *ok)
{
    uintptr_t g = live_granule(h, ptr);
    if (g == 0)
        return 0;
    uintptr_t e = run_end(h, g);
    *ok = n != 0 && !misaligned(ptr, align) && n <= h->gend - g && resize_run(h, g, e, g + n);
    *end = *ok ? g + n : e;
    return g;
}

size_t fh_resize_in_place(fh_heap *h, void *ptr, size_t new_size, size_t align)
{
    if (fh_null_handle(h, ptr))
        return 0;
    uintptr_t e;
    bool ok;
    size_t n = request_granules(new_size, align);
    uintptr_t g = resize_live(h, ptr, n, align, &e, &ok);
    if (g == 0 || n == 0)
        return 0; /* rejected pointer, or no valid request to honour */
    h->failed += !ok;
    return (e - g) << FH_GRANULE_SHIFT;
}

void *fh_realloc(fh_heap *h, void *ptr, size_t new_size, size_t align)
{
    if (fh_null_handle(h, ptr))
        return NULL;
    if (ptr == NULL)
        return fh_alloc(h, new_size, align);
    size_t n = request_granules(new_size, align);
    uintptr_t e;
    bool ok;
    uintptr_t g = resize_live(h, ptr, n, align, &e, &ok);
    if (g == 0 || ok)
        return g ? ptr : NULL;
    if (new_size == 0) {
        release_run(h, g);
        return NULL;
    }
    void *moved = fh_alloc(h, new_size, align);
    if (moved) {
        fh_copy_bytes(moved, ptr, fh_move_bytes((e - g) << FH_GRANULE_SHIFT, n << FH_GRANULE_SHIFT));
        release_run(h, g);
    }
    return moved;
}

/* Const: a rejected pointer is reported, but not counted. */
size_t fh_usable_size(const fh_heap *h, const void *ptr)
{
    fh_error why = FH_ERR_OUTSIDE;
    if (fh_null_handle(h, ptr))
        return 0;
    uintptr_t g = find_live(h, ptr, &why);
    if (g == 0 && ptr != NULL)
        fh_error_hook(h, why, ptr);
    return g ? (run_end(h, g) - g) << FH_GRANULE_SHIFT : 0;
}

size_t fh_usable_size_for(size_t size, size_t align)
{
    return request_granules(size, align) << FH_GRANULE_SHIFT;
}

bool fh_owns(const fh_heap *h, const void *ptr)
{
    uintptr_t g = fh_granule(ptr);
    return !fh_null_handle(h, ptr) && g >= h->g0 && g < h->gend;
}
