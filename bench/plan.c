/*
 * The job plan: every measurement the battery makes, in one table-driven
 * enumeration shared by the QEMU images and the host build. A job is one
 * (kind, distribution, seed, heap size, region base, free mode); its index
 * is its position in the enumeration, so "run jobs 40..49" means the same
 * thing to every image of the same build and the runner can split the plan
 * into boots without knowing what is in it.
 *
 * What varies, and why:
 *   heap sizes   16 KiB, 256 KiB, 32 MiB, each where the platform has room
 *                and the allocator can manage it (adapter's max_heap)
 *   seeds        five per cell; the report keeps the worst of them
 *                (highest instruction counts, lowest efficiency)
 *   bases        efficiency and constructed cases at two region bases (one
 *                page past a 256 KiB boundary, and that + 0x1230): a buddy's
 *                placement follows absolute addresses; timing at the first
 *   free modes   plain free, and free with the layout where the adapter has
 *                one, as separate jobs reported apart
 * The 32 MiB efficiency jobs cost seconds each under QEMU, so that size runs
 * them at one base and with plain free only (the `heaps` table). Pattern D
 * runs from 256 KiB: at 16 KiB its buffer target (a quarter of the heap) is
 * its first 4 KiB step. The smoke plan (`make test`) is the same enumeration
 * cut down: one seed, heaps up to 256 KiB, steps / 20.
 *
 * The traces (bench/wl_trace.c) run once per trace and base, for every
 * allocator that can be reset (each try of the sizing is a fresh heap); the
 * smoke plan replays the first trace only.
 *
 * Which half runs is the caller's choice (bench_plan's `what`): the timing
 * jobs (churn, realloc, grow, lifo, constructed cases) and the efficiency
 * jobs (patterns A..D) are independent, so a build whose efficiency cannot
 * differ (firmheap at -Os) or a board that repeats another's (firmheap on
 * Cortex-M) runs only the timing half.
 */
#include "bench.h"

#define NR_SEEDS 5u
#define SMOKE_DIV 20u
#define SMOKE_HEAP_MAX (256u * 1024u)

typedef struct heap_plan {
    uint32_t bytes;
    unsigned eff_bases; /* region bases the efficiency jobs run at */
    bool eff_sized;     /* efficiency jobs with the sized free too */
} heap_plan;

static const heap_plan heaps[] = {
    {16u * 1024u, BENCH_NR_BASES, true},
    {256u * 1024u, BENCH_NR_BASES, true},
    {32u * 1024u * 1024u, 1, false},
};

/* Optional kinds, present only in images that link them (the constructed
 * cases need firmheap's instance API; the traces need the replayer). */
extern const bench_kind bench_kind_worst __attribute__((weak));
extern const unsigned bench_nr_worst __attribute__((weak));
extern const bench_kind bench_kind_trace __attribute__((weak));
unsigned bench_nr_traces(void) __attribute__((weak));

typedef struct plan_walk {
    const bench_alloc *a;
    bool smoke;
    bool sized; /* this group of jobs also runs with the sized free */
    /* Called per job with its index; returns false to stop the walk. */
    bool (*fn)(void *ctx, uint32_t index, const bench_job *j);
    void *ctx;
    uint32_t index;
    bool stopped;
} plan_walk;

static void emit(plan_walk *w, const bench_job *j)
{
    if (w->stopped)
        return;
    if (!w->fn(w->ctx, w->index++, j))
        w->stopped = true;
}

/* Every seed (one when smoking) and base count the job asks for, each
 * free mode the adapter has. */
static void seeds_bases_modes(plan_walk *w, bench_job j, unsigned bases)
{
    unsigned seeds = w->smoke ? 1u : NR_SEEDS;
    for (j.seed = 1; j.seed <= seeds; j.seed++)
        for (j.base = 0; j.base < bases; j.base++)
            for (unsigned m = 0; m < (w->a->free_sized && w->sized ? 2u : 1u); m++) {
                j.sized = m == 1u;
                emit(w, &j);
            }
}

static void per_dist(plan_walk *w, bench_job j, unsigned bases)
{
    for (unsigned d = 0; d < bench_nr_dists; d++) {
        j.dist = &bench_dists[d];
        if (j.kind == &bench_kind_eff_c1)
            j.dist2 = &bench_dists[(d + 1u) % bench_nr_dists];
        if (j.kind == &bench_kind_eff_c2)
            j.dist2 = &bench_dists[(d + bench_nr_dists - 1u) % bench_nr_dists];
        seeds_bases_modes(w, j, bases);
    }
}

static bool heap_fits(const bench_alloc *a, uint32_t heap, bool smoke)
{
    if (smoke && heap > SMOKE_HEAP_MAX)
        return false;
    if (a->max_heap && heap > a->max_heap)
        return false;
    return bench_region(heap, BENCH_NR_BASES - 1u) != 0;
}

static void walk_timing(plan_walk *w, uint32_t heap)
{
    const bench_alloc *a = w->a;
    bench_job j = {.heap = heap, .div = w->smoke ? SMOKE_DIV : 1u};
    w->sized = true;
    if (heap == 256u * 1024u) {
        j.kind = &bench_kind_lifo;
        seeds_bases_modes(w, j, 1);
    }
    if (a->flags & BA_LIFO_ONLY)
        return;
    j.kind = &bench_kind_churn;
    per_dist(w, j, 1);
    j.kind = &bench_kind_realloc;
    seeds_bases_modes(w, j, 1);
    if (a->resize) {
        j.kind = &bench_kind_grow;
        seeds_bases_modes(w, j, 1);
    }
    if (&bench_kind_worst && (a->flags & BA_FIRMHEAP)) {
        bench_job c = {.kind = &bench_kind_worst, .heap = heap, .seed = 1, .div = j.div};
        for (c.item = 0; c.item < bench_nr_worst; c.item++)
            for (c.base = 0; c.base < BENCH_NR_BASES; c.base++)
                emit(w, &c);
    }
}

static void walk_eff(plan_walk *w, const heap_plan *hp)
{
    bench_job j = {.heap = hp->bytes, .div = w->smoke ? SMOKE_DIV : 1u};
    if (w->a->flags & BA_LIFO_ONLY)
        return;
    w->sized = hp->eff_sized;
    static const bench_kind *const effs[] = {&bench_kind_eff_a, &bench_kind_eff_b,
                                             &bench_kind_eff_c1, &bench_kind_eff_c2};
    for (unsigned k = 0; k < sizeof effs / sizeof effs[0]; k++) {
        j.kind = effs[k];
        per_dist(w, j, hp->eff_bases);
    }
    j.dist2 = 0;
    if (hp->bytes > 16u * 1024u) {
        j.kind = &bench_kind_eff_d;
        per_dist(w, j, hp->eff_bases);
    }
}

void bench_plan(const bench_alloc *a, bool smoke, unsigned what,
                bool (*fn)(void *ctx, uint32_t index, const bench_job *j), void *ctx)
{
    plan_walk w = {.a = a, .smoke = smoke, .fn = fn, .ctx = ctx};
    for (unsigned h = 0; h < sizeof heaps / sizeof heaps[0]; h++) {
        if (!heap_fits(a, heaps[h].bytes, smoke))
            continue;
        if (what & BENCH_PLAN_TIMING)
            walk_timing(&w, heaps[h].bytes);
        if (what & BENCH_PLAN_EFF)
            walk_eff(&w, &heaps[h]);
    }
    if (&bench_kind_trace && (what & BENCH_PLAN_EFF) && !(a->flags & (BA_LIFO_ONLY | BA_NO_RESET))) {
        bench_job t = {.kind = &bench_kind_trace, .seed = 1, .div = 1};
        for (t.item = 0; t.item < (smoke ? 1u : bench_nr_traces()); t.item++)
            for (t.base = 0; t.base < BENCH_NR_BASES; t.base++)
                emit(&w, &t);
    }
}

uint32_t bench_seed(const bench_job *j, uint32_t salt)
{
    /* Distinct, non-zero xorshift states per seed index and workload. */
    uint32_t s = 0x9E3779B9u * (j->seed + 1u) ^ (salt << 24) ^ salt;
    return s ? s : 1u;
}

uint32_t bench_steps(const bench_job *j, uint32_t n)
{
    uint32_t s = n / (j->div ? j->div : 1u);
    return s ? s : 1u;
}
