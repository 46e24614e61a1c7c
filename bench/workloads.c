/*
 * The workloads (issue 5), written once against bench_alloc.
 *
 * Each keeps its live blocks in a slot table: pointer, requested size and a
 * tag byte. A block is filled with its tag when it is handed out and verified
 * byte by byte before it is freed or resized, so two live blocks that overlap
 * or a realloc that loses data fail the run. The fill and the verify happen
 * outside the timed region.
 *
 * Every random choice comes from bench_rand with a fixed seed per workload,
 * so every allocator sees exactly the same sequence of requests (as long as
 * it satisfies them: a failed allocation leaves its slot empty, which can make
 * later steps differ between allocators; failures are counted and reported).
 */
#include "bench.h"

#define HEAP_BYTES BENCH_REGION_MAX
#define MAX_SLOTS 16384u

typedef struct slot {
    uint8_t *ptr;
    uint32_t size;
    uint8_t tag;
} slot;

static slot slots[MAX_SLOTS];
static uint8_t next_tag;
static uint64_t live_bytes;      /* requested bytes of live blocks */
static uint64_t peak_live_bytes;
static uint32_t peak_step;       /* step at which live_bytes peaked */
static uint32_t stop_at;         /* 0, or stop the churn at this step (heap map) */
static uint32_t alloc_failures;
unsigned bench_steps_div = 1;

static uint32_t steps(uint32_t n)
{
    uint32_t s = n / bench_steps_div;
    return s ? s : 1u;
}

/* ---- checked, timed primitives ------------------------------------------ */

static void fill(uint8_t *p, uint32_t n, uint8_t tag)
{
    for (uint32_t i = 0; i < n; i++)
        p[i] = tag;
}

static bool verify(const uint8_t *p, uint32_t n, uint8_t tag)
{
    for (uint32_t i = 0; i < n; i++)
        if (p[i] != tag)
            return false;
    return true;
}

/* Allocates into s; false (slot left empty) if the allocator refused. */
static bool s_alloc(const bench_alloc *a, slot *s, uint32_t size, uint32_t align)
{
    uint32_t t;
    void *p = a->alloc(size, align, &t);
    if (!p) {
        bench_record(OP_ALLOC_FAIL, t);
        alloc_failures++;
        s->ptr = 0;
        return false;
    }
    bench_record(OP_ALLOC, t);
    if ((uintptr_t)p & (align - 1u))
        bench_fail("misaligned block, align", align);
    s->ptr = p;
    s->size = size;
    s->tag = ++next_tag;
    fill(s->ptr, size, s->tag);
    live_bytes += size;
    if (live_bytes > peak_live_bytes)
        peak_live_bytes = live_bytes;
    return true;
}

static void s_free(const bench_alloc *a, slot *s)
{
    uint32_t t;
    if (!verify(s->ptr, s->size, s->tag))
        bench_fail("block contents changed while live, size", s->size);
    a->free(s->ptr, &t);
    bench_record(OP_FREE, t);
    live_bytes -= s->size;
    s->ptr = 0;
}

/* Resizes s; on failure the old block must be intact and stays in s. */
static bool s_realloc(const bench_alloc *a, slot *s, uint32_t size, uint32_t align)
{
    uint32_t t;
    if (!verify(s->ptr, s->size, s->tag))
        bench_fail("block contents changed before realloc, size", s->size);
    void *p = a->realloc(s->ptr, size, align, &t);
    if (!p) {
        bench_record(OP_ALLOC_FAIL, t);
        alloc_failures++;
        if (!verify(s->ptr, s->size, s->tag))
            bench_fail("failed realloc damaged the old block, size", s->size);
        return false;
    }
    bench_record(p == s->ptr ? OP_REALLOC_INPLACE : OP_REALLOC_MOVE, t);
    if ((uintptr_t)p & (align - 1u))
        bench_fail("realloc lost alignment", align);
    uint32_t keep = size < s->size ? size : s->size;
    if (!verify(p, keep, s->tag))
        bench_fail("realloc lost data, old size", s->size);
    live_bytes = live_bytes - s->size + size;
    if (live_bytes > peak_live_bytes)
        peak_live_bytes = live_bytes;
    s->ptr = p;
    s->size = size;
    fill(s->ptr, size, s->tag);
    return true;
}

static void free_all(const bench_alloc *a, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (slots[i].ptr)
            s_free(a, &slots[i]);
}

static void clear_slots(void)
{
    for (uint32_t i = 0; i < MAX_SLOTS; i++)
        slots[i].ptr = 0;
    live_bytes = peak_live_bytes = 0;
    peak_step = 0;
    alloc_failures = 0;
}

static bool begin(const bench_alloc *a, uint32_t heap_bytes)
{
    clear_slots();
    if (!a->init(bench_region(), heap_bytes)) {
        bench_fail("heap init failed, bytes", heap_bytes);
        return false;
    }
    return true;
}

/* ---- request distributions ---------------------------------------------- */

typedef void (*dist_fn)(uint32_t *rng, uint32_t *size, uint32_t *align);

/* Alignment 8..64: a power of two picked uniformly. */
static uint32_t align_8_64(uint32_t *rng) { return 1u << bench_range(rng, 3, 6); }

/* mixed: 60% 8..64, 30% 64..512, 10% 512..4096. */
static void dist_mixed(uint32_t *rng, uint32_t *size, uint32_t *align)
{
    uint32_t r = bench_range(rng, 0, 99);
    if (r < 60)
        *size = bench_range(rng, 8, 64);
    else if (r < 90)
        *size = bench_range(rng, 64, 512);
    else
        *size = bench_range(rng, 512, 4096);
    *align = align_8_64(rng);
}

static void dist_small(uint32_t *rng, uint32_t *size, uint32_t *align)
{
    *size = bench_range(rng, 1, 128);
    *align = align_8_64(rng);
}

static void dist_wide(uint32_t *rng, uint32_t *size, uint32_t *align)
{
    *size = bench_range(rng, 1, 2048);
    *align = align_8_64(rng);
}

/* ---- 1. churn-small ------------------------------------------------------ */
/* 256 live blocks; each step frees a random one and allocates a new one. */
static void wl_churn_small(const bench_alloc *a)
{
    uint32_t rng = 0x1234567u;
    const uint32_t live = 256;
    if (!begin(a, HEAP_BYTES))
        return;
    for (uint32_t i = 0; i < live; i++)
        s_alloc(a, &slots[i], bench_range(&rng, 1, 256), 1u << bench_range(&rng, 2, 5));
    for (uint32_t step = 0, n = steps(10000); step < n; step++) {
        slot *s = &slots[bench_range(&rng, 0, live - 1u)];
        if (s->ptr)
            s_free(a, s);
        s_alloc(a, s, bench_range(&rng, 1, 256), 1u << bench_range(&rng, 2, 5));
    }
    free_all(a, live);
}

/* ---- 2-4. random alloc/free over 512 slots -------------------------------- */
/* Each step picks a slot: allocate into it if empty, else free it. */
static void churn_512(const bench_alloc *a, uint32_t *rng, dist_fn dist, uint32_t n)
{
    for (uint32_t step = 0; step < n; step++) {
        if (stop_at && step == stop_at)
            return;
        slot *s = &slots[bench_range(rng, 0, 511)];
        if (s->ptr) {
            s_free(a, s);
        } else {
            uint32_t size, align;
            dist(rng, &size, &align);
            uint64_t before = peak_live_bytes;
            s_alloc(a, s, size, align);
            if (peak_live_bytes > before)
                peak_step = step + 1u;
        }
    }
}

static void run_512(const bench_alloc *a, uint32_t seed, dist_fn dist)
{
    uint32_t rng = seed;
    if (!begin(a, HEAP_BYTES))
        return;
    churn_512(a, &rng, dist, steps(20000));
    if (stop_at)
        return; /* heap map: leave the heap at its fullest */
    free_all(a, 512);
}

static void wl_mixed(const bench_alloc *a) { run_512(a, 0xC0FFEEu, dist_mixed); }
static void wl_small(const bench_alloc *a) { run_512(a, 0xBEEF01u, dist_small); }
static void wl_wide(const bench_alloc *a) { run_512(a, 0xFACE02u, dist_wide); }

/* ---- 5. realloc: vectors doubling 8 B .. 16 KiB and back, interleaved ----- */
static void wl_realloc(const bench_alloc *a)
{
    enum { VECS = 8, MIN = 8, MAX = 16384 };
    uint32_t rng = 0x5EED05u;
    int dir[VECS];
    if (!begin(a, HEAP_BYTES))
        return;
    for (uint32_t v = 0; v < VECS; v++) {
        s_alloc(a, &slots[v], MIN, 8);
        dir[v] = 1;
    }
    for (uint32_t step = 0, n = steps(4000); step < n; step++) {
        uint32_t v = bench_range(&rng, 0, VECS - 1u);
        slot *s = &slots[v];
        if (!s->ptr)
            continue;
        uint32_t want = dir[v] > 0 ? s->size * 2u : s->size / 2u;
        if (!s_realloc(a, s, want, 8)) {
            dir[v] = -dir[v]; /* heap full: start shrinking */
            continue;
        }
        if (s->size >= MAX)
            dir[v] = -1;
        else if (s->size <= MIN)
            dir[v] = 1;
    }
    free_all(a, VECS);
}

/* ---- 6. adversarial -------------------------------------------------------- */
/* Fills the heap (up to cap) with blocks of one size; returns how many. */
static uint32_t fill_same(const bench_alloc *a, uint32_t size, uint32_t cap)
{
    uint32_t n = 0;
    while (n < cap && s_alloc(a, &slots[n], size, 8))
        n++;
    return n;
}

/* Heapsort of slots[0..n) by address: no recursion, no libc. */
static void sift_slot(uint32_t root, uint32_t n)
{
    for (;;) {
        uint32_t c = 2u * root + 1u;
        if (c >= n)
            return;
        if (c + 1u < n && slots[c + 1u].ptr > slots[c].ptr)
            c++;
        if (slots[root].ptr >= slots[c].ptr)
            return;
        slot t = slots[root];
        slots[root] = slots[c];
        slots[c] = t;
        root = c;
    }
}

static void sort_by_addr(uint32_t n)
{
    for (uint32_t i = n / 2u; i-- > 0;)
        sift_slot(i, n);
    for (uint32_t end = n; end-- > 1;) {
        slot t = slots[0];
        slots[0] = slots[end];
        slots[end] = t;
        sift_slot(0, end);
    }
}

/* Same-size blocks freed lowest address first. */
static void wl_adv_addr(const bench_alloc *a)
{
    if (!begin(a, HEAP_BYTES))
        return;
    uint32_t n = fill_same(a, 64, steps(4096));
    sort_by_addr(n);
    for (uint32_t i = 0; i < n; i++)
        s_free(a, &slots[i]);
}

/* Same-size blocks freed highest address first (LIFO for a bump heap). */
static void wl_adv_reverse(const bench_alloc *a)
{
    if (!begin(a, HEAP_BYTES))
        return;
    uint32_t n = fill_same(a, 64, steps(4096));
    sort_by_addr(n);
    for (uint32_t i = n; i-- > 0;)
        s_free(a, &slots[i]);
}

/* Free every other block, then ask for blocks that do not fit the holes. */
static void wl_adv_holes(const bench_alloc *a)
{
    if (!begin(a, HEAP_BYTES))
        return;
    uint32_t n = fill_same(a, 64, steps(2048));
    sort_by_addr(n);
    for (uint32_t i = 0; i < n; i += 2)
        s_free(a, &slots[i]);
    uint32_t m = n;
    while (m < n + steps(2048) && m < MAX_SLOTS && s_alloc(a, &slots[m], 128, 8))
        m++;
    free_all(a, m);
}

/* A 4 KiB heap and one vector that doubles until it no longer fits. */
static void wl_adv_4k(const bench_alloc *a)
{
    if (!begin(a, 4096))
        return;
    slot *s = &slots[0];
    for (uint32_t round = 0; round < steps(8); round++) {
        if (!s->ptr && !s_alloc(a, s, 8, 8))
            break;
        /* The cap only matters for an unbounded host malloc. */
        while (s->size < 2u * 4096u && s_realloc(a, s, s->size * 2u, 8))
            ;
        while (s->size > 8)
            s_realloc(a, s, s->size / 2u, 8);
    }
    free_all(a, 1);
}

/* ---- 7. heap efficiency ------------------------------------------------------ */
/* Churn, free half the live blocks at random, then allocate from the same
 * distribution until the first failure. Reports live requested bytes. */
static void efficiency(const bench_alloc *a, const char *wl, uint32_t seed, dist_fn dist)
{
    uint32_t rng = seed;
    if (!begin(a, HEAP_BYTES))
        return;
    churn_512(a, &rng, dist, steps(5000));
    for (uint32_t i = 0; i < 512; i++)
        if (slots[i].ptr && (bench_rand(&rng) & 1u))
            s_free(a, &slots[i]);
    uint32_t i = 512, failures_before = alloc_failures;
    while (i < MAX_SLOTS) {
        uint32_t size, align;
        dist(&rng, &size, &align);
        if (!s_alloc(a, &slots[i], size, align))
            break;
        i++;
    }
    if (i == MAX_SLOTS)
        bench_fail("efficiency fill never failed, slots", i);
    bench_out_s("E alloc=");
    bench_out_s(a->name);
    bench_out_s(" wl=");
    bench_out_s(wl);
    bench_out_s(" live=");
    bench_out_u(live_bytes);
    bench_out_s(" heap=");
    bench_out_u(HEAP_BYTES);
    bench_out_s(" blocks=");
    bench_out_u(i);
    bench_out_s(" churn_failures=");
    bench_out_u(failures_before);
    bench_out_nl();
    free_all(a, i);
}

static void wl_eff_mixed(const bench_alloc *a) { efficiency(a, "eff-mixed", 0xE1u, dist_mixed); }
static void wl_eff_small(const bench_alloc *a) { efficiency(a, "eff-small", 0xE2u, dist_small); }
static void wl_eff_wide(const bench_alloc *a) { efficiency(a, "eff-wide", 0xE3u, dist_wide); }

/* ---- lifo: scratch buffers pushed and popped like a stack (bump applies) --- */
static void wl_lifo(const bench_alloc *a)
{
    uint32_t rng = 0x11F0u, depth = 0;
    if (!begin(a, HEAP_BYTES))
        return;
    for (uint32_t step = 0, n = steps(10000); step < n; step++) {
        if (depth && (depth == 64 || (bench_rand(&rng) & 1u)))
            s_free(a, &slots[--depth]);
        else if (s_alloc(a, &slots[depth], bench_range(&rng, 8, 512), 8))
            depth++;
    }
    while (depth)
        s_free(a, &slots[--depth]);
}

const bench_workload bench_workloads[] = {
    {"churn-small", wl_churn_small, 0},
    {"mixed", wl_mixed, WL_MAP},
    {"small", wl_small, 0},
    {"wide", wl_wide, 0},
    {"realloc", wl_realloc, 0},
    {"adv-addr", wl_adv_addr, 0},
    {"adv-reverse", wl_adv_reverse, WL_LIFO},
    {"adv-holes", wl_adv_holes, 0},
    {"adv-4k", wl_adv_4k, WL_LIFO},
    {"eff-mixed", wl_eff_mixed, 0},
    {"eff-small", wl_eff_small, 0},
    {"eff-wide", wl_eff_wide, 0},
    {"lifo", wl_lifo, WL_LIFO},
};
const unsigned bench_nr_workloads = sizeof bench_workloads / sizeof bench_workloads[0];

/* For the heap map: replay the workload on a fresh heap and stop it at the
 * step where its live bytes peaked. Returns false if there is no such step. */
bool bench_replay_to_peak(const bench_alloc *a, const bench_workload *w);
bool bench_replay_to_peak(const bench_alloc *a, const bench_workload *w)
{
    uint32_t at = peak_step;
    if (!at)
        return false;
    stop_at = at;
    w->run(a);
    stop_at = 0;
    return true;
}

uint64_t bench_live_bytes(void);
uint64_t bench_live_bytes(void) { return live_bytes; }
