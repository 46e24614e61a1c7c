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
 *      and whether the buffer reached its size.
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

static void eff_d(const bench_alloc *a, const bench_job *j)
{
    uint32_t rng = bench_seed(j, 0xD4u), target = j->heap / 4u;
    if (!slots_begin(a, j))
        return;
    slot *buf = &ss.slots[D_SLOTS];
    bool ok = s_alloc(a, buf, D_STEP, 8);
    while (ok && buf->size < target) {
        s_churn(a, D_SLOTS, D_CHURN, j->dist, &rng);
        uint32_t want = buf->size + D_STEP < target ? buf->size + D_STEP : target;
        ok = s_realloc(a, buf, want);
    }
    bench_out_begin("D");
    bench_out_kv("reached", buf->ptr ? buf->size : 0);
    bench_out_kv("target", target);
    bench_out_kv("done", ok);
    bench_out_kv("peak_live", ss.peak_live);
    bench_out_kv("top", ss.top);
    bench_out_nl();
    slots_end(a);
}

const bench_kind bench_kind_eff_a = {"effA", eff_a};
const bench_kind bench_kind_eff_b = {"effB", eff_b};
const bench_kind bench_kind_eff_c1 = {"effC1", eff_c};
const bench_kind bench_kind_eff_c2 = {"effC2", eff_c};
const bench_kind bench_kind_eff_d = {"effD", eff_d};
