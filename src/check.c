/*
 * The read-only side of the buddy heap: the invariant checker, statistics and
 * the block walker. Nothing here writes to the heap, so all three are safe to
 * call on a heap suspected of corruption; they cost time proportional to the
 * heap size (check, walk) or to the number of free blocks (stats), which is
 * why they are kept out of the allocation paths.
 *
 * fh_check recomputes everything the operations maintain incrementally:
 *  1. Walking the state map from the first granule, every block is 2^k
 *     granules on a 2^k boundary (k <= order_max) and the blocks tile the
 *     area exactly.
 *  2. Each allocation (HEAD then CONTs) is exactly the canonical run of its
 *     extent; a CONT never follows a free block.
 *  3. No free block's buddy is a free block of the same order.
 *  4. The free lists hold exactly the FREE blocks, each on the list of its
 *     order, with prev/next agreeing; the non-empty mask matches the lists.
 *  5. used granules and live allocations equal the counters.
 */
#include "buddy_internal.h"
#include "move.h"
#include "null_handle.h"

static inline uintptr_t lowest_bit(uintptr_t x)
{
    return x & (0u - x);
}

static unsigned order_of(uintptr_t len)
{
    unsigned k = 0;
    while (((uintptr_t)1 << k) < len)
        k++;
    return k;
}

/* Is [p, e) the next block of the canonical run that ends at e? */
static bool canonical_block(uintptr_t p, uintptr_t len, uintptr_t e)
{
    uintptr_t step = lowest_bit(p);
    if (step == 0 || step > e - p) {
        step = 1;
        while (step * 2u <= e - p)
            step *= 2u;
    }
    return step == len;
}

/* The free list of order k, checked node by node. Returns the number of nodes,
 * or -1 if the list is malformed. */
static long check_list(const fh_heap *h, unsigned k)
{
    const fh_node *head = &h->free_area[k];
    const fh_node *prev = head;
    long count = 0;
    uintptr_t limit = h->gend - h->g0;
    for (const fh_node *n = head->next; n != head; n = n->next) {
        /* Bounds first: a corrupt link must not be followed off the heap. */
        uintptr_t g = fh_granule(n);
        if (((uintptr_t)n & (FH_GRANULE - 1u)) || g < h->g0 || g >= h->gend)
            return -1;
        if ((uintptr_t)count++ > limit || n->prev != prev)
            return -1;
        if (fh_state(h, g) != ST_FREE || fh_block_end(h, g) - g != (uintptr_t)1 << k)
            return -1;
        prev = n;
    }
    return head->prev == prev ? count : -1;
}

bool fh_check(const fh_heap *h)
{
    if (fh_null_handle(h, NULL) || h->g0 >= h->gend || h->order_max > FH_ORDER_MAX)
        return false;
    uintptr_t free_blocks = 0, used = 0, run_start = 0;
    uint32_t live = 0;
    unsigned prev_state = ST_NONE;
    for (uintptr_t p = h->g0; p < h->gend;) {
        unsigned s = fh_state(h, p);
        if (s == ST_NONE)
            return false; /* the tiling lost track of a block start */
        uintptr_t e = fh_block_end(h, p);
        uintptr_t len = e - p;
        unsigned k = order_of(len);
        if (((uintptr_t)1 << k) != len || k > h->order_max || (p & (len - 1u)))
            return false;
        if (s == ST_HEAD) {
            run_start = p;
            live++;
        }
        if (s == ST_CONT && prev_state != ST_HEAD && prev_state != ST_CONT)
            return false;
        if (s == ST_HEAD || s == ST_CONT) {
            /* The run must end here or continue canonically. */
            uintptr_t run_end = e;
            while (run_end < h->gend && fh_state(h, run_end) == ST_CONT)
                run_end = fh_block_end(h, run_end);
            if (!canonical_block(p, len, run_end))
                return false;
            used += len;
            (void)run_start;
        } else {
            free_blocks++;
            uintptr_t b = p ^ len;
            if (k < h->order_max && b >= h->g0 && b + len <= h->gend &&
                fh_state(h, b) == ST_FREE && fh_block_end(h, b) - b == len)
                return false; /* two free buddies left unmerged */
        }
        prev_state = s;
        p = e;
    }
    uintptr_t listed = 0;
    for (unsigned k = 0; k <= h->order_max; k++) {
        long n = check_list(h, k);
        if (n < 0 || (n > 0) != ((h->nonempty >> k) & 1u))
            return false;
        listed += (uintptr_t)n;
    }
    if (h->nonempty >> h->order_max >> 1)
        return false;
    return listed == free_blocks && used == h->used && live == h->live && h->peak >= h->used;
}

void fh_get_stats(const fh_heap *h, fh_stats *out)
{
    if (fh_null_handle(h, NULL)) {
        fh_zero_bytes(out, sizeof *out); /* nothing to report on */
        return;
    }
    /* Field by field: a struct copy could become a memcpy call. */
    out->total_bytes = (h->gend - h->g0) << FH_GRANULE_SHIFT;
    out->used_bytes = h->used << FH_GRANULE_SHIFT;
    out->free_bytes = out->total_bytes - out->used_bytes;
    out->peak_used_bytes = h->peak << FH_GRANULE_SHIFT;
    out->metadata_bytes = h->meta_bytes;
    out->order_max = h->order_max;
    out->largest_free = 0;
    for (unsigned k = 0; k < FH_NR_ORDERS; k++) {
        uint32_t n = 0;
        if (k <= h->order_max) {
            const fh_node *head = &h->free_area[k];
            for (const fh_node *p = head->next; p != head && n <= h->gend - h->g0; p = p->next)
                n++;
        }
        out->free_blocks[k] = n;
        if (n)
            out->largest_free = (size_t)FH_GRANULE << k;
    }
    out->live_allocs = h->live;
    out->allocs = h->allocs;
    out->frees = h->frees;
    out->failed_allocs = h->failed;
    out->rejected_frees = h->rejected;
}

void fh_walk(const fh_heap *h, fh_walk_fn fn, void *ctx)
{
    if (fh_null_handle(h, NULL))
        return;
    for (uintptr_t p = h->g0; p < h->gend;) {
        unsigned s = fh_state(h, p);
        uintptr_t e = fh_block_end(h, p);
        if (s == ST_HEAD)
            while (e < h->gend && fh_state(h, e) == ST_CONT)
                e = fh_block_end(h, e);
        else if (s != ST_FREE)
            return; /* corrupt: fh_check says more */
        fn(ctx, fh_addr(p), (e - p) << FH_GRANULE_SHIFT, s == ST_HEAD);
        p = e;
    }
}
