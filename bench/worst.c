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
 * The cases below are written for the first design (a buddy with trimmed
 * tails, a run search, no per-size front): they drive its paths that grow
 * with the number of orders. They use only the public API, so they still
 * run against any core; whether they still reach its worst case is for its
 * author to say.
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

static const worst_case cases[] = {
    {"split-all", OP_ALLOC, wc_split_all},
    {"merge-all", OP_FREE, wc_merge_all},
    {"alloc-odd-run", OP_ALLOC, wc_alloc_odd_run},
    {"free-odd-run", OP_FREE, wc_free_odd_run},
    {"free-sized-odd-run", OP_FREE, wc_free_sized_odd_run},
    {"grow-in-place", OP_RESIZE_OK, wc_grow_in_place},
    {"fail-checkerboard", OP_ALLOC_FAIL, wc_fail_checkerboard},
    {"run-staircase", OP_ALLOC, wc_run_staircase},
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
