/*
 * Constructed worst cases: each builds a heap state on purpose and then
 * times exactly one call, the most expensive one the state allows. They
 * run on firmheap images only (BA_FIRMHEAP), at every heap size and both
 * region bases, and report "W ... case=<name> op=<kind> cost=<instructions>".
 * Random churn finds typical costs; these find the written bound.
 *
 * Adding one (the allocator's author does, for each expensive path):
 *   1. write `static uint32_t wc_<name>(fh_heap *h, size_t heap)`: build the
 *      state with ordinary fh_* calls (untimed), then time the one call with
 *      BENCH_TIMED and return its cost; the heap must stay sound (fh_check
 *      runs after the case) but need not be emptied;
 *   2. add a row to `cases` below with the op kind it times and a comment
 *      saying why no state makes that call more expensive.
 * A case may allocate from a fresh heap of any size from 16 KiB to 32 MiB;
 * it should scale with the heap (use `heap`), since the bound usually does.
 *
 * The first eight cases were written for the first design (a buddy with
 * trimmed tails, a run search, no per-size front) and are kept: they still
 * drive paths that grow with the number of orders. The rest drive the
 * current core's own bounds (page buddy, slab front, run search): each
 * builds the state its path's comment in src/buddy.c or src/slab.c names as
 * the longest.
 */
#include "bench.h"
#include "firmheap.h"

fh_heap *bench_fh_heap(void);

typedef struct worst_case {
    const char *name;
    enum bench_op op;
    uint32_t (*run)(fh_heap *h, size_t heap);
} worst_case;

/* The largest power of two <= x. */
static size_t pow2_floor(size_t x)
{
    size_t p = 1;
    while (p <= x / 2u)
        p *= 2u;
    return p;
}

/* A fresh heap cut all the way down: the first and smallest request splits
 * the largest block through every order. */
static uint32_t wc_split_all(fh_heap *h, size_t heap)
{
    uint32_t t;
    void *volatile p;
    (void)heap;
    BENCH_TIMED(t, p = fh_alloc(h, 1, 1));
    return p ? t : UINT32_MAX;
}

/* The reverse: freeing the only allocation merges through every order. */
static uint32_t wc_merge_all(fh_heap *h, size_t heap)
{
    uint32_t t;
    (void)heap;
    void *p = fh_alloc(h, 1, 1);
    BENCH_TIMED(t, fh_free(h, p));
    return t;
}

/* One granule short of the largest power of two that fits: the allocation
 * is made of one block per order below it, and freeing it releases and
 * merges each of them. */
static size_t odd_run_bytes(size_t heap) { return pow2_floor(heap / 2u) - FH_GRANULE; }

static uint32_t wc_free_odd_run(fh_heap *h, size_t heap)
{
    uint32_t t;
    void *p = fh_alloc(h, odd_run_bytes(heap), 1);
    BENCH_TIMED(t, fh_free(h, p));
    return p ? t : UINT32_MAX;
}

/* The same through the sized free, which validates the layout first. */
static uint32_t wc_free_sized_odd_run(fh_heap *h, size_t heap)
{
    uint32_t t;
    size_t n = odd_run_bytes(heap);
    void *p = fh_alloc(h, n, 1);
    BENCH_TIMED(t, fh_free_sized(h, p, n, 1));
    return p ? t : UINT32_MAX;
}

/* The allocation of the odd run itself: one block per order carved. */
static uint32_t wc_alloc_odd_run(fh_heap *h, size_t heap)
{
    uint32_t t;
    void *volatile p;
    BENCH_TIMED(t, p = fh_alloc(h, odd_run_bytes(heap), 1));
    return p ? t : UINT32_MAX;
}

/* Growing a small block in place to half the heap: every buddy after it is
 * checked and taken. */
static uint32_t wc_grow_in_place(fh_heap *h, size_t heap)
{
    uint32_t t;
    size_t got;
    void *p = fh_alloc(h, 1, 1);
    BENCH_TIMED(t, got = fh_resize_in_place(h, p, pow2_floor(heap / 2u) - FH_GRANULE, 1));
    (void)got;
    return t;
}

/* Fills the heap with the smallest blocks, chained through their own first
 * word (no table needed however large the heap); returns the newest. */
static void **fill_smallest(fh_heap *h)
{
    void **head = 0, **p;
    while ((p = fh_alloc(h, sizeof(void *), sizeof(void *))) != 0) {
        *p = head;
        head = p;
    }
    return head;
}

/* A checkerboard: the heap filled with the smallest blocks, every other one
 * (in allocation order) freed, then a request for two of them together,
 * which nothing can satisfy: the costliest failing allocation a search can
 * make. */
static uint32_t wc_fail_checkerboard(fh_heap *h, size_t heap)
{
    uint32_t t;
    void **head = fill_smallest(h);
    (void)heap;
    for (void **q = head; q && *q;) {
        void **next = *q, **after = *next;
        fh_free(h, next);
        *q = after;
        q = after;
    }
    size_t two = 2u * fh_usable_size(h, head);
    void *volatile r;
    BENCH_TIMED(t, r = fh_alloc(h, two, 1));
    (void)r;
    return t; /* a core that finds room here just makes this an alloc */
}

/* A staircase: the heap full of the smallest blocks except one aligned
 * area of a quarter of the heap, freed but for its last block, so it
 * merges into adjacent free blocks of every order below the area's, each
 * with its buddy pinned (the "orders 12..0" at 256 KiB). A request
 * of that size can then only be met by a search that walks the whole
 * staircase as one run, and nothing else in the heap is free. */
static uint32_t wc_run_staircase(fh_heap *h, size_t heap)
{
    uint32_t t;
    size_t area = pow2_floor(heap / 4u);
    void **head = fill_smallest(h);
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (void **q = head; q; q = *q) {
        lo = (uintptr_t)q < lo ? (uintptr_t)q : lo;
        hi = (uintptr_t)q > hi ? (uintptr_t)q : hi;
    }
    uintptr_t start = (lo + area - 1u) & ~(uintptr_t)(area - 1u);
    uintptr_t last = start + area - FH_GRANULE; /* stays allocated */
    if (start + area > hi)
        return UINT32_MAX;
    /* Unlink and free every block in [start, last); the list head is kept
     * outside the area so the walk starts from a live block. */
    void **anchor = head;
    while (anchor && (uintptr_t)anchor >= start && (uintptr_t)anchor < last)
        anchor = *anchor;
    for (void **q = anchor; q && *q;) {
        void **next = *q;
        if ((uintptr_t)next >= start && (uintptr_t)next < last) {
            *q = *next;
            fh_free(h, next);
        } else {
            q = next;
        }
    }
    void *volatile r;
    BENCH_TIMED(t, r = fh_alloc(h, area - FH_GRANULE, 1));
    (void)r;
    return t;
}

/* ---- the new core's paths (src/buddy.c's bounds) ---- */

#define PAGE FH_PAGE_SIZE

/* Takes every free page outside the largest free block, one page at a
 * time (a page comes from the smallest block that has one), so that the
 * next request that needs a block must split that block; returns its
 * order. (A region's area need not hold a block of order_max: it is the
 * largest free block's order that counts.) */
static unsigned drain_below_top(fh_heap *h)
{
    fh_stats s;
    fh_get_stats(h, &s);
    unsigned top = s.order_max;
    while (top > 0 && s.free_blocks[top] == 0)
        top--;
    size_t below = 0;
    for (unsigned k = 0; k < top; k++)
        below += (size_t)s.free_blocks[k] << k;
    below += (size_t)(s.free_blocks[top] - 1u) << top; /* another block of the top order */
    while (below-- > 0)
        (void)fh_alloc(h, PAGE, 16);
    return top;
}

/* Times one allocation from a heap whose only free block is the largest. */
static uint32_t alloc_from_top(fh_heap *h, size_t size, size_t align)
{
    uint32_t t;
    void *volatile p;
    drain_below_top(h);
    BENCH_TIMED(t, p = fh_alloc(h, size, align));
    return p ? t : UINT32_MAX;
}

/* A slab refill: the page it takes splits the largest block through every
 * order. */
static uint32_t wc_slab_split_all(fh_heap *h, size_t heap)
{
    (void)heap;
    return alloc_from_top(h, 16, 16);
}

/* Its free: the slab empties, goes back, and merges through every order. */
static uint32_t wc_slab_merge_all(fh_heap *h, size_t heap)
{
    uint32_t t;
    (void)heap;
    drain_below_top(h);
    void *p = fh_alloc(h, 16, 16);
    BENCH_TIMED(t, fh_free(h, p));
    return p ? t : UINT32_MAX;
}

/* The largest slab (640 bytes: 8 pages) the same way: fewer splits, eight
 * page words written. */
static uint32_t wc_big_slab_split(fh_heap *h, size_t heap)
{
    (void)heap;
    return alloc_from_top(h, 600, 16);
}

/* One page aligned to half the largest block: one split, then the rest of
 * that half goes back as one block per order below it, the longest tail
 * there is. */
static uint32_t wc_align_tail(fh_heap *h, size_t heap)
{
    uint32_t t;
    void *volatile p;
    (void)heap;
    unsigned top = drain_below_top(h);
    if (top == 0)
        return UINT32_MAX;
    BENCH_TIMED(t, p = fh_alloc(h, 1, (size_t)PAGE << (top - 1u)));
    return p ? t : UINT32_MAX;
}

/* A run of 15 pages (8 + 4 + 2 + 1) cut from the largest block, and its
 * free and sized free: four blocks, each merging, the last all the way up. */
static void *fifteen_pages(fh_heap *h)
{
    drain_below_top(h);
    return fh_alloc(h, 15u * PAGE, 16);
}

static uint32_t wc_alloc_run(fh_heap *h, size_t heap)
{
    (void)heap;
    return alloc_from_top(h, 15u * PAGE, 16);
}

static uint32_t wc_free_run(fh_heap *h, size_t heap)
{
    uint32_t t;
    (void)heap;
    void *p = fifteen_pages(h);
    BENCH_TIMED(t, fh_free(h, p));
    return p ? t : UINT32_MAX;
}

static uint32_t wc_free_sized_run(fh_heap *h, size_t heap)
{
    uint32_t t;
    (void)heap;
    void *p = fifteen_pages(h);
    BENCH_TIMED(t, fh_free_sized(h, p, 15u * PAGE, 16));
    return p ? t : UINT32_MAX;
}

/* Shrinking that run to one page: fourteen pages back, as blocks that
 * merge up. */
static uint32_t wc_shrink_run(fh_heap *h, size_t heap)
{
    uint32_t t;
    size_t got;
    (void)heap;
    void *p = fifteen_pages(h);
    BENCH_TIMED(t, got = fh_resize_in_place(h, p, PAGE, 16));
    return p && got == PAGE ? t : UINT32_MAX;
}

/* Growing 8 pages in place to 15 over free blocks of 4, 2 and 1 pages
 * (the eight pages after the run held one-page blocks; the first seven
 * freed merge no further, the eighth is still live): the search reads each,
 * claims each. */
static uint32_t wc_grow_run(fh_heap *h, size_t heap)
{
    uint32_t t;
    size_t got;
    unsigned char *page[8];
    (void)heap;
    drain_below_top(h);
    unsigned char *a = fh_alloc(h, 8u * PAGE, 8u * PAGE);
    for (unsigned i = 0; i < 8u; i++)
        page[i] = fh_alloc(h, PAGE, PAGE);
    for (unsigned i = 0; i < 8u; i++)
        if (a == NULL || page[i] != a + (8u + i) * PAGE)
            return UINT32_MAX;
    for (unsigned i = 0; i < 7u; i++)
        fh_free(h, page[i]);
    BENCH_TIMED(t, got = fh_resize_in_place(h, a, 15u * PAGE, 16));
    return got == 15u * PAGE ? t : UINT32_MAX;
}

/* The heap full of one-page allocations, then in every aligned group of
 * eight pages the first five freed (a block of 4, a block of 1, then
 * three live pages). A request for 7 pages finds no block to split, so
 * the run search is its last chance and reads its whole budget
 * (FH_CONFIG_RUN_READS_LAST, 6), two words per block of 4 it tries. With
 * `winner` set, the group that many tries down frees 7 pages instead: the
 * search then succeeds near the end of its budget and claims three
 * blocks. */
static uint32_t last_search(fh_heap *h, unsigned winner)
{
    uint32_t t;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    void *p;
    while ((p = fh_alloc(h, PAGE, PAGE)) != NULL) {
        lo = (uintptr_t)p < lo ? (uintptr_t)p : lo;
        hi = (uintptr_t)p > hi ? (uintptr_t)p : hi;
    }
    uintptr_t first = (lo + 8u * PAGE - 1u) & ~(uintptr_t)(8u * PAGE - 1u);
    uintptr_t groups = hi >= first + 8u * PAGE ? (hi + PAGE - first) / (8u * PAGE) : 0;
    if (groups < winner + 1u)
        return UINT32_MAX;
    /* The blocks of 4 go on their list newest first: the highest group is
     * tried first. */
    uintptr_t win = winner ? groups - winner : groups;
    for (uintptr_t g = 0; g < groups; g++)
        for (unsigned k = 0; k < (g == win ? 7u : 5u); k++)
            fh_free(h, (void *)(first + (g * 8u + k) * PAGE));
    void *volatile r;
    BENCH_TIMED(t, r = fh_alloc(h, 7u * PAGE, 16));
    if ((r != NULL) != (winner != 0))
        return UINT32_MAX;
    return t;
}

static uint32_t wc_last_search_fails(fh_heap *h, size_t heap)
{
    (void)heap;
    return last_search(h, 0);
}

static uint32_t wc_last_search_succeeds(fh_heap *h, size_t heap)
{
    (void)heap;
    /* The deepest winner the budget reaches at every heap size and base
     * measured (2 reaches it at some: the search's first read, at the
     * rover, may or may not be one of the tries; with a budget of 10, 3). */
    return last_search(h, 1);
}

static const worst_case cases[] = {
    {"split-all", OP_ALLOC, wc_split_all},
    {"merge-all", OP_FREE, wc_merge_all},
    {"alloc-odd-run", OP_ALLOC, wc_alloc_odd_run},
    {"free-odd-run", OP_FREE, wc_free_odd_run},
    {"free-sized-odd-run", OP_FREE, wc_free_sized_odd_run},
    {"grow-in-place", OP_RESIZE_OK, wc_grow_in_place},
    {"fail-checkerboard", OP_ALLOC_FAIL, wc_fail_checkerboard},
    {"run-staircase", OP_ALLOC, wc_run_staircase},
    /* The current core: each its path's bound from src/buddy.c and slab.c. */
    /* A block split through every order below the largest free one: one
     * list push per order. */
    {"slab-split-all", OP_ALLOC, wc_slab_split_all},
    /* An emptied slab's block merging through every order. */
    {"slab-merge-all", OP_FREE, wc_slab_merge_all},
    /* The largest slab: the same splits plus eight page words. */
    {"big-slab-split", OP_ALLOC, wc_big_slab_split},
    /* The longest alignment tail: one block per order below the split one. */
    {"align-tail", OP_ALLOC, wc_align_tail},
    /* A run on its own boundary is at most FH_CONFIG_LARGE_BITS blocks (4
     * at the default): the most blocks carved, freed and merged, or given
     * back by a shrink. Runs the search puts together off that boundary
     * may have up to FH_RUN_SLACK more (buddy.c's bound: 7); no case here
     * builds one. */
    {"alloc-run", OP_ALLOC, wc_alloc_run},
    {"free-run", OP_FREE, wc_free_run},
    {"free-sized-run", OP_FREE, wc_free_sized_run},
    {"shrink-run", OP_RESIZE_OK, wc_shrink_run},
    /* Growing in place claims at most one block per order below the run. */
    {"grow-run", OP_RESIZE_OK, wc_grow_run},
    /* The last-chance search reads at most FH_CONFIG_RUN_READS_LAST words,
     * whether it finds nothing or wins on its last tries. */
    {"last-search-fails", OP_ALLOC_FAIL, wc_last_search_fails},
    {"last-search-succeeds", OP_ALLOC, wc_last_search_succeeds},
};
const unsigned bench_nr_worst = sizeof cases / sizeof cases[0];

static void run_case(const bench_alloc *a, const bench_job *j)
{
    const worst_case *c = &cases[j->item];
    void *region = bench_region(j->heap, j->base);
    if (!region || !a->init(region, j->heap)) {
        bench_fail("heap init failed, bytes", j->heap);
        return;
    }
    uint32_t cost = c->run(bench_fh_heap(), j->heap);
    if (cost == UINT32_MAX)
        bench_fail("constructed case could not build its state, case", j->item);
    else
        bench_record(c->op, cost);
    if (!fh_check(bench_fh_heap()))
        bench_fail("heap unsound after constructed case", j->item);
    bench_out_begin("W");
    bench_out_s(" case=");
    bench_out_s(c->name);
    bench_out_s(" op=");
    bench_out_s(bench_op_name(c->op));
    bench_out_kv("cost", cost);
    bench_out_nl();
}

const bench_kind bench_kind_worst = {"worst", run_case};
