/*
 * The read-only side of the heap: the invariant checker, statistics and the
 * block walker. Nothing here writes to the heap, so all three are safe on a
 * heap suspected of corruption; they cost time proportional to the area in
 * pages (check, walk) or to the number of free blocks (stats), which is why
 * they stay out of the allocation paths.
 *
 * fh_check_report recomputes everything the operations keep incrementally,
 * and names the first invariant that fails and where:
 *  - the page map tiles the area with blocks: free blocks of 2^k pages on
 *    their boundary, large runs starting on a boundary of their largest
 *    power of two, slabs of their class's size; no word inside a block but
 *    NONE (or SLAB | class inside a slab);
 *  - no free block has a free buddy of its own order;
 *  - every free list holds exactly the free blocks of its order, linked both
 *    ways, and the non-empty mask says which lists have any;
 *  - every slab's bitmap lies within its object count, and the slabs with a
 *    free object are exactly those on their class's list, each node in its
 *    slab's lowest free object;
 *  - used bytes and live allocations equal the counters.
 */
#include "heap_internal.h"
#include "move.h"
#include "null_handle.h"

static bool fail(fh_check_result *r, fh_check_fault why, uintptr_t page_or_addr, bool is_page)
{
    r->fault = why;
    r->where = is_page ? fh_page_addr(page_or_addr) : (void *)page_or_addr;
    return false;
}

/* The length in pages of the block that starts at p, or 0 if p starts none. */
static uintptr_t block_pages(const fh_heap *h, uintptr_t p)
{
    uint32_t w = *fh_pw(h, p);
    switch (PG_TYPE(w)) {
    case PG_FREE:
        return (uintptr_t)1 << PG_FIELD(w);
    case PG_HEAD:
        return PG_DATA(w);
    case PG_SLAB:
        return PG_FIELD(w) < FH_NR_CLASSES ? (uintptr_t)1 << fh_classes[PG_FIELD(w)].order : 0u;
    default:
        return 0;
    }
}

static bool in_area(const fh_heap *h, const void *p)
{
    return fh_page_of(p) - h->page0 < h->pend - h->page0;
}

/* Free list of order k: every node a free block of that order, links that
 * agree both ways. Counts its nodes into *n. */
static bool check_free_list(const fh_heap *h, unsigned k, uintptr_t *n, fh_check_result *r)
{
    const fh_node *head = &h->free_area[k], *prev = head;
    for (const fh_node *node = head->next; node != head; prev = node, node = node->next) {
        if (!in_area(h, node) || ((uintptr_t)node & (FH_PAGE - 1u)) || node->prev != prev ||
            ++*n > h->pend - h->page0)
            return fail(r, FH_CHECK_FREE_LIST, (uintptr_t)node, false);
        if (*fh_pw(h, fh_page_of(node)) != PG_FREE_TAG(k))
            return fail(r, FH_CHECK_FREE_LIST, (uintptr_t)node, false);
    }
    if (head->prev != prev)
        return fail(r, FH_CHECK_FREE_LIST, (uintptr_t)head, false);
    return true;
}

/* Partial list of class c: every node the lowest free object of a slab of
 * class c. Counts its nodes into *n. */
static bool check_partial_list(const fh_heap *h, unsigned c, uintptr_t *n, fh_check_result *r)
{
    const fh_class *cl = &fh_classes[c];
    const fh_node *head = &h->partial[c], *prev = head;
    for (const fh_node *node = head->next; node != head; prev = node, node = node->next) {
        if (!in_area(h, node) || node->prev != prev || ++*n > h->pend - h->page0)
            return fail(r, FH_CHECK_SLAB_LIST, (uintptr_t)node, false);
        uintptr_t base = (uintptr_t)node & ~((FH_PAGE << cl->order) - 1u);
        uint32_t w = *fh_pw(h, fh_page_of((void *)base));
        uint32_t map = PG_DATA(w);
        if (PG_TYPE(w) != PG_SLAB || PG_FIELD(w) != c || map == 0 ||
            (uintptr_t)node != base + fh_ctz(map) * cl->size)
            return fail(r, FH_CHECK_SLAB_LIST, (uintptr_t)node, false);
    }
    if (head->prev != prev)
        return fail(r, FH_CHECK_SLAB_LIST, (uintptr_t)head, false);
    return true;
}

/* The block at p (len pages) against its own rules; counts into the tallies. */
typedef struct tally {
    uintptr_t free_blocks, used_bytes, live;
    uintptr_t partial[FH_NR_CLASSES], empty[FH_NR_CLASSES]; /* slabs with room / all free */
} tally;

static bool check_block(const fh_heap *h, uintptr_t p, uintptr_t len, tally *t, fh_check_result *r)
{
    uint32_t w = *fh_pw(h, p);
    uintptr_t need = len ? fh_floor_pow2(len) : 1u;
    if (PG_TYPE(w) == PG_HEAD)
        need = (need >> FH_RUN_SLACK) ? need >> FH_RUN_SLACK : 1u; /* run_align */
    if (len == 0 || len > h->pend - p || (p & (need - 1u)))
        return fail(r, FH_CHECK_TILING, p, true);
    uint32_t inside = PG_TYPE(w) == PG_SLAB ? (w & ((1u << FH_DATA_SHIFT) - 1u)) : PG_NONE;
    for (uintptr_t i = 1; i < len; i++)
        if (*fh_pw(h, p + i) != inside)
            return fail(r, FH_CHECK_INTERIOR, p + i, true);
    if (PG_TYPE(w) == PG_FREE) {
        unsigned k = PG_FIELD(w);
        uintptr_t b = p ^ len;
        t->free_blocks++;
        if (PG_DATA(w) != 0 || k > h->order_max)
            return fail(r, FH_CHECK_TILING, p, true);
        if (k < h->order_max && b >= h->page0 && b + len <= h->pend && *fh_pw(h, b) == w)
            return fail(r, FH_CHECK_UNMERGED, p, true);
    } else if (PG_TYPE(w) == PG_HEAD) {
        t->used_bytes += len << FH_PAGE_SHIFT;
        t->live++;
    } else {
        const fh_class *cl = &fh_classes[PG_FIELD(w)];
        uint32_t map = PG_DATA(w), full = ((uint32_t)1 << cl->count) - 1u;
        if (map & ~full)
            return fail(r, FH_CHECK_SLAB, p, true);
        for (uint32_t m = full & ~map; m; m &= m - 1u) {
            t->used_bytes += cl->size;
            t->live++;
        }
        t->partial[PG_FIELD(w)] += map != 0;
        t->empty[PG_FIELD(w)] += map == full;
    }
    return true;
}

bool fh_check_report(const fh_heap *h, fh_check_result *r)
{
    fh_check_result ignored;
    if (r == NULL)
        r = &ignored;
    r->fault = FH_CHECK_OK;
    r->where = NULL;
    if (h == NULL || h->page0 >= h->pend || h->order_max > FH_ORDER_LIMIT ||
        ((uintptr_t)1 << h->order_max) > h->pend - h->page0)
        return fail(r, FH_CHECK_HEAP, (uintptr_t)h, false);
    tally t;
    /* Field by field: an initializer could become a memset call. */
    t.free_blocks = t.used_bytes = t.live = 0;
    for (unsigned c = 0; c < FH_NR_CLASSES; c++)
        t.partial[c] = t.empty[c] = 0;
    for (uintptr_t p = h->page0; p < h->pend;) {
        uintptr_t len = block_pages(h, p);
        if (!check_block(h, p, len, &t, r))
            return false;
        p += len;
    }
    uintptr_t listed = 0, partial = 0;
    for (unsigned k = 0; k <= h->order_max; k++) {
        uintptr_t before = listed;
        if (!check_free_list(h, k, &listed, r))
            return false;
        if ((listed != before) != ((h->nonempty >> k) & 1u))
            return fail(r, FH_CHECK_FREE_LIST, (uintptr_t)&h->free_area[k], false);
    }
    if ((h->nonempty >> h->order_max) > 1u || listed != t.free_blocks)
        return fail(r, FH_CHECK_FREE_LIST, (uintptr_t)h, false);
    /* An empty slab goes back at once. */
    for (unsigned c = 0; c < FH_NR_CLASSES; c++) {
        partial = 0;
        if (!check_partial_list(h, c, &partial, r))
            return false;
        if (partial != t.partial[c] || t.empty[c] != 0)
            return fail(r, FH_CHECK_SLAB_LIST, (uintptr_t)&h->partial[c], false);
    }
    if (t.used_bytes != h->used || t.live != h->live || h->peak < h->used)
        return fail(r, FH_CHECK_COUNTERS, (uintptr_t)h, false);
    return true;
}

bool fh_check(const fh_heap *h)
{
    fh_check_result r;
    if (fh_null_handle(h, NULL))
        return false;
    bool ok = fh_check_report(h, &r);
    if (!ok)
        fh_error_hook(h, FH_ERR_CORRUPT, r.where);
    return ok;
}

void fh_get_stats(const fh_heap *h, fh_stats *out)
{
    if (fh_null_handle(h, NULL)) {
        fh_zero_bytes(out, sizeof *out); /* nothing to report on */
        return;
    }
    /* Field by field: a struct copy could become a memcpy call. */
    out->total_bytes = (h->pend - h->page0) << FH_PAGE_SHIFT;
    out->used_bytes = h->used;
    out->free_bytes = out->total_bytes - h->used;
    out->peak_used_bytes = h->peak;
    out->metadata_bytes = h->meta_bytes;
    out->order_max = h->order_max;
    out->largest_free = 0;
    for (unsigned k = 0; k < FH_NR_ORDERS; k++) {
        uint32_t n = 0;
        if (k <= h->order_max) {
            const fh_node *head = &h->free_area[k];
            for (const fh_node *p = head->next; p != head && n <= h->pend - h->page0; p = p->next)
                n++;
        }
        out->free_blocks[k] = n;
        if (n)
            out->largest_free = FH_PAGE << k;
    }
    out->live_allocs = h->live;
    out->allocs = h->frees + h->live;
    out->frees = h->frees;
    out->failed_allocs = h->failed;
    out->rejected_frees = h->rejected;
}

void fh_walk(const fh_heap *h, fh_walk_fn fn, void *ctx)
{
    if (fh_null_handle(h, NULL))
        return;
    for (uintptr_t p = h->page0; p < h->pend;) {
        uintptr_t len = block_pages(h, p);
        uint32_t w = *fh_pw(h, p);
        if (len == 0 || len > h->pend - p)
            return; /* corrupt: fh_check_report says more */
        uintptr_t a = (uintptr_t)fh_page_addr(p), bytes = len << FH_PAGE_SHIFT;
        if (PG_TYPE(w) == PG_SLAB) {
            const fh_class *cl = &fh_classes[PG_FIELD(w)];
            for (unsigned i = 0; i < cl->count; i++)
                fn(ctx, (void *)(a + i * cl->size), cl->size, !((PG_DATA(w) >> i) & 1u));
            uintptr_t objs = (uintptr_t)cl->count * cl->size;
            if (objs < bytes)
                fn(ctx, (void *)(a + objs), bytes - objs, false);
        } else {
            fn(ctx, (void *)a, bytes, PG_TYPE(w) == PG_HEAD);
        }
        p += len;
    }
}
