/*
 * Heap efficiency patterns (issue 8). Each runs to the first refused
 * allocation and reports the live requested bytes at that moment over the
 * region bytes the allocator was handed (its bookkeeping included): what a
 * firmware author sizing a heap can count on.
 *
 *   A  churn 512 slots for 5000 steps, free half the live blocks at random,
 *      fill from the same distribution (the first design's eff-* workloads;
 *      the mildest pattern: the churn rarely fills the heap)
 *   B  fill to the first failure, free exactly half of the blocks chosen at
 *      random, refill to the first failure
 *   C  fill with one distribution, free all but every 4th block (in
 *      allocation order, which for a fresh heap is roughly address order),
 *      refill from another distribution. Two rotations over the table
 *      small, wide, mixed, bigalign: C1 refills with the next one (small ->
 *      wide -> mixed -> bigalign -> small), C2 with the previous one (small
 *      -> bigalign -> ... ). Each distribution is thus refilled once with
 *      larger and once with smaller requests. When the refill asks for more
 *      than three freed neighbours span (small -> wide, small -> bigalign),
 *      no allocator can do much better than the pinned quarter plus what
 *      fits in the holes: those pairs measure how little is lost, not a
 *      target; the peers' figures on the same pairs show what is possible.
 *   D  one buffer growing by 4 KiB per realloc up to a quarter of the heap,
 *      with 8 churn steps over 16 slots of the job's distribution between
 *      growth steps. Reports the peak footprint (the highest end of any
 *      block ever handed out, from the region start: the same measure for
 *      every allocator, whatever its placement) over the peak live bytes,
 *      and whether the buffer reached its size; and, up to 256 KiB, the
 *      smallest region the same sequence completes in without a single
 *      refusal, over the same peak: a footprint that placement cannot
 *      flatter or penalise.
 */
#include "slots.h"

static void report(uint32_t blocks)
{
    bench_out_begin("E");
    bench_out_kv("live", ss.live);
    bench_out_kv("blocks", blocks);
    bench_out_kv("peak_live", ss.peak_live);
    bench_out_kv("top", ss.top);
    bench_out_nl();
}

/* The common end of A, B and C: refill from d to the first failure, into
 * the slots after the n the pattern left live, and report. */
static void refill_report(const bench_alloc *a, uint32_t n, const bench_dist *d, uint32_t *rng)
{
    report(s_fill(a, s_compact(n), d, rng));
    slots_end(a);
}

static void eff_a(const bench_alloc *a, const bench_job *j)
{
    uint32_t rng = bench_seed(j, 0xA1u);
    if (!slots_begin(a, j))
        return;
    s_churn(a, 512, bench_steps(j, 5000u), j->dist, &rng);
    s_free_half(a, 512, &rng);
    refill_report(a, 512, j->dist, &rng);
}

static void eff_b(const bench_alloc *a, const bench_job *j)
{
    uint32_t rng = bench_seed(j, 0xB2u);
    if (!slots_begin(a, j))
        return;
    uint32_t n = s_fill(a, 0, j->dist, &rng);
    s_free_half(a, n, &rng);
    refill_report(a, n, j->dist, &rng);
}

static void eff_c(const bench_alloc *a, const bench_job *j)
{
    uint32_t rng = bench_seed(j, 0xC3u);
    if (!slots_begin(a, j))
        return;
    uint32_t n = s_fill(a, 0, j->dist, &rng);
    for (uint32_t i = 0; i < n; i++)
        if (i % 4u)
            s_free(a, &ss.slots[i]);
    refill_report(a, n, j->dist2, &rng);
}

#define D_STEP 4096u
#define D_SLOTS 16u
#define D_CHURN 8u
#define D_BISECT_MAX (256u * 1024u) /* above: one run is seconds of copying */
#define D_GRID 256u

/* D's sequence (buffer target a quarter of the job's heap) on a region of
 * region bytes. *reached: the buffer's size at the end. True if nothing at
 * all was refused. */
static bool d_sequence(const bench_alloc *a, const bench_job *j, uint32_t region,
                       uint32_t *reached)
{
    bench_job r = *j;
    uint32_t rng = bench_seed(j, 0xD4u), target = j->heap / 4u;
    r.heap = region;
    if (!slots_begin(a, &r))
        return false;
    slot *buf = &ss.slots[D_SLOTS];
    bool ok = s_alloc(a, buf, D_STEP, 8);
    while (ok && buf->size < target) {
        s_churn(a, D_SLOTS, D_CHURN, j->dist, &rng);
        uint32_t want = buf->size + D_STEP < target ? buf->size + D_STEP : target;
        ok = s_realloc(a, buf, want);
    }
    *reached = buf->ptr ? buf->size : 0;
    return ok && ss.alloc_fails == 0;
}

/* The same sequence on smaller regions (bisection on a grid of 1/256 of
 * the job's heap): the smallest region it completes in, 0 if not even the
 * job's own. A footprint that does not depend on where an allocator puts
 * its blocks. Allocators that cannot be reset have no answer (0). */
static uint32_t d_smallest(const bench_alloc *a, const bench_job *j, uint64_t peak, bool done)
{
    uint32_t step = j->heap / D_GRID, reached;
    if (!done || (a->flags & BA_NO_RESET) || j->heap > D_BISECT_MAX)
        return 0;
    uint32_t pass = j->heap, fail = (uint32_t)(peak / step) * step;
    bench_paused = true;
    while (pass - fail > step) {
        uint32_t mid = fail + (pass - fail) / step / 2u * step;
        bool ok = d_sequence(a, j, mid, &reached);
        slots_end(a);
        if (ok)
            pass = mid;
        else
            fail = mid;
    }
    bench_paused = false;
    return pass;
}

static void eff_d(const bench_alloc *a, const bench_job *j)
{
    uint32_t reached;
    bool done = d_sequence(a, j, j->heap, &reached);
    uint64_t peak = ss.peak_live, top = ss.top;
    slots_end(a);
    bench_out_begin("D");
    bench_out_kv("reached", reached);
    bench_out_kv("target", j->heap / 4u);
    bench_out_kv("done", done);
    bench_out_kv("peak_live", peak);
    bench_out_kv("top", top);
    bench_out_kv("smallest", d_smallest(a, j, peak, done));
    bench_out_nl();
}

const bench_kind bench_kind_eff_a = {"effA", eff_a};
const bench_kind bench_kind_eff_b = {"effB", eff_b};
const bench_kind bench_kind_eff_c1 = {"effC1", eff_c};
const bench_kind bench_kind_eff_c2 = {"effC2", eff_c};
const bench_kind bench_kind_eff_d = {"effD", eff_d};
