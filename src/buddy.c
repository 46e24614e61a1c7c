/*
 * The region manager: a binary buddy system over pages.
 *
 * Free memory is a set of blocks of 2^k pages, each starting on a 2^k-page
 * boundary, with no two free buddies left unmerged (the buddy of the block of
 * order k at page p is p ^ 2^k). Each free block is on the list of its order;
 * a bitmask of non-empty orders finds the smallest block that serves a
 * request with one count-trailing-zeros.
 *
 * Everything the heap hands out comes from here: whole slabs for the small
 * sizes (slab.c), and large allocations, which are runs of pages:
 *
 *   n = 13 pages at g, g on an 8-page boundary
 *   [ 8 . . . . . . . ][ 4 . . . ][ 1 ]   a descending run of buddy blocks
 *
 * A large request is rounded up to FH_CONFIG_LARGE_BITS significant bits of
 * pages, and starts on a boundary of its largest power of two, so its run is
 * at most that many blocks: freeing it costs one merge chain per block, not
 * one per page or per order of the request. The rest of the block it was cut
 * from goes straight back to the lists ("the tail"), so a large allocation
 * pins no more than it asked for.
 *
 * Bounds. K is order_max, log2 of the area in pages (10 for 256 KiB, 17
 * for 32 MiB). These are all the loops:
 *  - fh_take_block: one pop and at most K pushes (splitting), and
 *    release_tail after it at most as many more as orders below the block:
 *    together at most K pushes for one block taken;
 *  - fh_free_range of b blocks (a run has at most FH_CONFIG_LARGE_BITS +
 *    FH_RUN_SLACK = 7; a slab one): b pushes and at most b + K merge steps,
 *    each one compare and, if it merges, one unlink;
 *  - find_run: at most FH_CONFIG_RUN_READS page-word reads, less the depth
 *    of the split it would save, over at most FH_CONFIG_RUN_TRIES blocks of
 *    each of two orders; FH_CONFIG_RUN_READS_LAST reads and as many blocks
 *    when nothing can be split (if it finds nothing, the call fails);
 *  - claim_free: one unlink per block the search read, then at most hi + 1
 *    pushes for the rest of the last one (no block it takes is above order
 *    hi + 1);
 *  - slab.c: a new or emptied slab writes its 2^order <= 8 page words.
 * So every call is a constant plus a few instructions per order. On
 * rv32imac at -O2 a split costs 14 instructions, a tail push 17, a merge
 * step 17 to 20 and a page-word read about 20 with its try; bench/worst.c
 * builds the state that makes each path its longest, and `make bench`
 * reports what it costs (README, Numbers).
 * No loop runs over free or live blocks.
 */
#include "heap_internal.h"

/* The hot loops below (splitting, merging, tails) keep the instance's
 * fields in locals and write the non-empty mask back once: list nodes live
 * in the heap's own memory, so without that the compiler must reload every
 * field after every store to a node. */

/* Takes the block of order k at page p off its list; returns the non-empty
 * mask as it is now. */
static inline uint32_t unlink_free(uintptr_t p, unsigned k, uint32_t nonempty)
{
    return fh_list_del(fh_page_addr(p)) ? nonempty & ~(1u << k) : nonempty;
}

uintptr_t fh_take_block(fh_heap *h, unsigned k)
{
    uint32_t nonempty = h->nonempty, fit = nonempty >> k;
    if (k > h->order_max || fit == 0)
        return 0;
    unsigned j = k + fh_ctz(fit);
    fh_node *head = &h->free_area[j];
    uintptr_t p = fh_page_of(head->next);
    nonempty = unlink_free(p, j, nonempty);
    /* [ p . . . . . . . ] => [ p ][ 1 ][ 2 . ][ 4 . . . ]: each upper half
     * goes on the list of its order, which is then not empty. */
    h->nonempty = nonempty | (((uint32_t)1 << j) - ((uint32_t)1 << k));
    uintptr_t bit = (uintptr_t)1 << j, stop = (uintptr_t)1 << k;
    uint32_t tag = PG_FREE_TAG(j), *wp = fh_pw(h, p);
    while (bit > stop) {
        bit >>= 1;
        tag -= 1u << 2;
        head--;
        fh_list_add(head, fh_page_addr(p + bit));
        wp[bit] = tag;
    }
    return p;
}


/*
 * Frees [s, e) block by block from the end. Each block merges with its buddy
 * while that is free and of the same order; a lower buddy that lies inside
 * [s, e) is simply the range's next block, so it joins without ever going on
 * a list. The canonical blocks of a range are the same taken from either end.
 * A buddy's word says FREE | k only if the whole buddy is a free block in the
 * area, so one range check (is the buddy's first page in the area) is enough
 * before reading it; it sits 2^k words from p's in the page map.
 */
void fh_free_range(fh_heap *h, uintptr_t s, uintptr_t e)
{
    const uintptr_t page0 = h->page0, pend = h->pend;
    const uintptr_t top = (uintptr_t)1 << h->order_max;
    uint32_t nonempty = h->nonempty;
    while (e > s) {
        /* The canonical block that ends at e: as aligned as e is, unless
         * that overshoots s (the range's ascending start). */
        uintptr_t bit = e & (0u - e);
        unsigned k;
        if (bit <= e - s) {
            k = fh_log2_pow2((uint32_t)bit);
        } else {
            k = fh_floor_log2((uint32_t)(e - s));
            bit = (uintptr_t)1 << k;
        }
        uintptr_t p = e - bit;
        uint32_t tag = PG_FREE_TAG(k);
        uint32_t *wp = fh_pw(h, p);
        e = p;
        for (; bit < top; bit <<= 1, tag += 1u << 2) {
            uintptr_t b = p ^ bit;
            fh_node *n;
            if (b < p) {
                /* [ b ][ p ] => [ b -- ]: p's word becomes interior. */
                if (b >= s) {
                    *wp = PG_NONE; /* b is the range's next block */
                    e = p = b;
                    wp -= bit;
                    continue;
                }
                if (b < page0 || *(wp - bit) != tag)
                    break;
                *wp = PG_NONE;
                wp -= bit;
                p = b;
            } else {
                /* [ p ][ b ] => [ p -- ]: b's word becomes interior. */
                if (b >= pend || wp[bit] != tag)
                    break;
                wp[bit] = PG_NONE;
            }
            n = fh_page_addr(b);
            if (fh_list_del(n))
                nonempty &= ~(uint32_t)bit; /* 2^k: also bit k of the mask */
        }
        k = PG_FIELD(tag);
        fh_list_add(&h->free_area[k], fh_page_addr(p));
        *wp = tag;
        nonempty |= 1u << k;
    }
    h->nonempty = nonempty;
}

/* [s, e) is the unused end of an aligned block just taken: blocks that
 * ascend by the alignment of s, none with a free buddy (each one's buddy is
 * what lies before it in the block). */
static void release_tail(fh_heap *h, uintptr_t s, uintptr_t e)
{
    if (s >= e)
        return;
    uintptr_t bit = s & (0u - s);
    unsigned k = fh_log2_pow2((uint32_t)bit);
    fh_node *head = &h->free_area[k];
    uint32_t tag = PG_FREE_TAG(k), nonempty = h->nonempty;
    const uintptr_t pw_base = h->pw_base;
    for (; s < e; bit <<= 1, tag += 1u << 2, head++) {
        if (s & bit) {
            /* At the back: the next small request takes another block of
             * this order first, so the run just cut can still grow. */
            fh_list_add_tail(head, fh_page_addr(s));
            *(uint32_t *)(pw_base + s * sizeof(uint32_t)) = tag;
            nonempty |= (uint32_t)bit; /* 2^k: also bit k of the mask */
            s += bit;
        }
    }
    h->nonempty = nonempty;
}

/* Takes the free blocks tiling [q, end) off their lists and gives [e, end)
 * back: the pages from q to e join an allocation. */
static void claim_free(fh_heap *h, uintptr_t q, uintptr_t e, uintptr_t end)
{
    while (q < end) {
        uint32_t *w = fh_pw(h, q);
        unsigned k = PG_FIELD(*w);
        h->nonempty = unlink_free(q, k, h->nonempty);
        *w = PG_NONE;
        q += (uintptr_t)1 << k;
    }
    release_tail(h, e, end);
}

/* The alignment (in pages, as an order) a run of n pages may start on:
 * FH_RUN_SLACK orders below its largest power of two 2^hi, or the request's
 * own if that is larger. Fewer constraints place more runs; the run stays at
 * most FH_RUN_SLACK + FH_CONFIG_LARGE_BITS blocks, which bounds its free. */
static inline unsigned run_align(unsigned hi, unsigned align_order)
{
    unsigned lo = hi > FH_RUN_SLACK ? hi - FH_RUN_SLACK : 0u;
    return lo > align_order ? lo : align_order;
}

/* Do the free blocks from page q on cover [q, e)? Reads at most *budget
 * page words (one per block) and takes no block of order above the one
 * `maxtag` names (so what is left of the last goes back in that many
 * pushes at most). *end gets the end of the last block covered. A free
 * block's word is FREE | order << 2 with nothing else, so "free, and of
 * order at most k" is one compare with FREE | k << 2. */
static FH_INLINE bool free_to(const fh_heap *h, uintptr_t q, uintptr_t e, uint32_t maxtag,
                              unsigned *budget, uintptr_t *end)
{
    const uintptr_t pend = e < h->pend ? e : h->pend;
    unsigned left = *budget;
    while (q < pend && left > 0) {
        uint32_t w = *fh_pw(h, q);
        left--;
        if (PG_TYPE(w) != PG_FREE || w > maxtag)
            break;
        q += (uintptr_t)1 << PG_FIELD(w);
    }
    *budget = left;
    *end = q;
    return q >= e;
}

/*
 * Where a run of n pages (2^hi its largest power of two) can go without
 * cutting a whole block of the next order, which would split a larger block
 * than the run needs. Two places are tried, within one budget of page-word
 * reads:
 *  - the rover: right after the last run handed out. Programs allocate their
 *    big buffers in bursts; packing them end to end keeps the space between
 *    them from turning into slivers;
 *  - the first `tries` free blocks of orders hi and hi - 1, each with the
 *    free pages that follow it; one the alignment does not allow costs a
 *    try but no read.
 * Returns the start (0: none) and the end of the free blocks it takes.
 */
static uintptr_t find_run(fh_heap *h, uintptr_t n, unsigned hi, unsigned align_order,
                          unsigned budget, unsigned tries, uintptr_t *end)
{
    const uint32_t maxtag = PG_FREE_TAG(hi + 1u);
    const uintptr_t amask = ((uintptr_t)1 << run_align(hi, align_order)) - 1u;
    uintptr_t q = h->rover;
    if (q - h->page0 < h->pend - h->page0 && !(q & amask) &&
        free_to(h, q, q + n, maxtag, &budget, end))
        return q;
    for (unsigned j = hi + 1u; j-- > 0 && j + 1u >= hi;) {
        const fh_node *head = &h->free_area[j], *node = head->next;
        for (unsigned t = 0; t < tries && node != head && budget > 0; t++, node = node->next) {
            uintptr_t g = fh_page_of(node);
            if (!(g & amask) && free_to(h, g + ((uintptr_t)1 << j), g + n, maxtag, &budget, end))
                return g;
        }
    }
    return 0;
}

uintptr_t fh_large_alloc(fh_heap *h, uintptr_t n, unsigned hi, unsigned align_order)
{
    unsigned k = hi + ((n & (n - 1u)) != 0);
    uintptr_t g = 0, end;
    if (k < align_order)
        k = align_order;
    if (hi <= h->order_max) {
        /* The search costs page-word reads, the fallback one push per order
         * it splits: the search gets what the split leaves of the budget.
         * A deep split means big free blocks, where a run matters least. */
        uint32_t fit = h->nonempty >> k;
        unsigned depth = fit ? fh_ctz(fit) : 0u;
        if (fit == 0) /* nothing to split: the search is the last chance */
            g = find_run(h, n, hi, align_order, FH_CONFIG_RUN_READS_LAST, FH_CONFIG_RUN_READS_LAST, &end);
        else if (depth < FH_CONFIG_RUN_READS)
            g = find_run(h, n, hi, align_order, FH_CONFIG_RUN_READS - depth, FH_CONFIG_RUN_TRIES, &end);
    }
    if (g) {
        claim_free(h, g, g + n, end);
    } else {
        g = fh_take_block(h, k);
        if (g == 0)
            return 0;
        release_tail(h, g + n, g + ((uintptr_t)1 << k));
    }
    *fh_pw(h, g) = PG_HEAD | (uint32_t)n << FH_DATA_SHIFT;
    h->rover = g + n;
    return g;
}

bool fh_large_resize(fh_heap *h, uintptr_t g, uintptr_t n, uintptr_t n2, unsigned hi2)
{
    if (n2 < n) {
        fh_free_range(h, g + n2, g + n);
    } else if (n2 > n) {
        /* The grown run must still start on its alignment (run_align), and
         * the pages it reaches into must be free. */
        unsigned budget = FH_CONFIG_RUN_READS;
        uintptr_t end;
        if (g & (((uintptr_t)1 << run_align(hi2, 0)) - 1u) ||
            !free_to(h, g + n, g + n2, PG_FREE_TAG(FH_ORDER_LIMIT), &budget, &end))
            return false;
        claim_free(h, g + n, g + n2, end);
    }
    *fh_pw(h, g) = PG_HEAD | (uint32_t)n2 << FH_DATA_SHIFT;
    return true;
}

uintptr_t fh_large_pages(size_t size, unsigned *hi)
{
    uintptr_t p = ((size - 1u) >> FH_PAGE_SHIFT) + 1u;
    unsigned k = fh_floor_log2((uint32_t)p);
    if (k >= FH_CONFIG_LARGE_BITS) {
        uintptr_t mask = ((uintptr_t)1 << (k + 1u - FH_CONFIG_LARGE_BITS)) - 1u;
        p = (p + mask) & ~mask;
        k += (p >> (k + 1u)) != 0; /* rounded up to the next power of two */
    }
    *hi = k;
    return p;
}
