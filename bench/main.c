/*
 * The benchmark image: runs the workloads against the adapter linked in and
 * prints machine-readable lines for tools/bench-report:
 *
 *   I ...  counter name, its calibrated overhead, the cost of an empty call
 *   R ...  per-op summary of one workload (bench/stats.c)
 *   E ...  heap efficiency of one workload
 *   M off size used   one block of the heap map (between MAP begin/end)
 *   S ...  bookkeeping bytes for a given heap size
 *
 * Built with BENCH_WL="<name>" it runs that one workload (a libc's malloc
 * cannot be reset, so the QEMU runner starts one image per workload);
 * without it, every workload in turn (host). Each workload counts as one
 * test: it passes if all its self-checks held. Results are TAP ("ok N -
 * workload" as each ends, the plan "1..N" after the last, so an image that
 * dies part-way has none); the last line is "N passed, N failed" and the
 * exit status is 0 only if nothing failed. BENCH_FORCE_FAIL (the smoke
 * image under `make test FORCE_FAIL=1`) fails the first workload on purpose.
 */
#include "bench.h"

bool bench_replay_to_peak(const bench_alloc *a, const bench_workload *w);
void bench_platform_init(void);
void *bench_nop_call(void *h, size_t size, size_t align);

static bool same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void print_info(void)
{
    uint32_t t;
    void *volatile sink;
    BENCH_TIMED(t, sink = bench_nop_call(0, 16, 8));
    (void)sink;
    bench_out_s("I counter=" BENCH_COUNTER_NAME " overhead=");
    bench_out_u(bench_overhead);
    bench_out_s(" empty_call=");
    bench_out_u(t);
    /* Counter units per 1000 straight-line instructions: 1000 for an
     * instruction counter; on SysTick the ratio that converts ticks. */
    BENCH_TIMED(t, __asm__ volatile(".rept 1000\n nop\n .endr" ::: "memory"));
    bench_out_s(" per1000=");
    bench_out_u(t);
    bench_out_nl();
}

static void map_block(void *ctx, void *addr, size_t size, bool used)
{
    bench_out_s("M ");
    bench_out_u((uintptr_t)addr - (uintptr_t)ctx);
    bench_out_s(" ");
    bench_out_u(size);
    bench_out_s(used ? " 1" : " 0");
    bench_out_nl();
}

static void heap_map(const bench_alloc *a, const bench_workload *w)
{
    if (!bench_replay_to_peak(a, w))
        return;
    bench_out_s("MAP begin alloc=");
    bench_out_s(a->name);
    bench_out_s(" wl=");
    bench_out_s(w->name);
    bench_out_nl();
    a->walk(map_block, bench_region());
    bench_out_s("MAP end");
    bench_out_nl();
}

/* Bookkeeping bytes for the two heap sizes the issue asks about. */
static void metadata(const bench_alloc *a)
{
    static const uint32_t sizes[] = {16384u, 262144u};
    for (unsigned i = 0; i < 2; i++) {
        if (!a->init(bench_region(), sizes[i]))
            continue;
        bench_out_s("S alloc=");
        bench_out_s(a->name);
        bench_out_s(" heap=");
        bench_out_u(sizes[i]);
        bench_out_s(" meta=");
        bench_out_u(a->metadata());
        bench_out_nl();
    }
}

int main(void)
{
    const bench_alloc *a = &bench_adapter;
    unsigned passed = 0, failed = 0;
    bench_platform_init();
#ifdef BENCH_SMOKE
    bench_steps_div = 20; /* the `make test` smoke run: seconds, not minutes */
#endif
    bench_calibrate();
    print_info();
    for (unsigned i = 0; i < bench_nr_workloads; i++) {
        const bench_workload *w = &bench_workloads[i];
#ifdef BENCH_WL
        if (!same(w->name, BENCH_WL))
            continue;
#endif
        if ((a->flags & BA_LIFO_ONLY) && !(w->flags & WL_LIFO))
            continue;
        if ((a->flags & BA_UNBOUNDED) && w->name[0] == 'e')
            continue; /* no fixed region: efficiency means nothing */
        unsigned before = bench_failures;
        bench_reset();
        w->run(a);
        if (a->check && !a->check())
            bench_fail("allocator self-check after workload", i);
#ifdef BENCH_FORCE_FAIL
        if (passed + failed == 0)
            bench_fail("forced failure (FORCE_FAIL)", i);
#endif
        bench_report(a->name, w->name);
        if ((w->flags & WL_MAP) && a->walk)
            heap_map(a, w);
        bool ok = bench_failures == before;
        if (ok)
            passed++;
        else
            failed++;
        bench_out_s(ok ? "ok " : "not ok ");
        bench_out_u(passed + failed);
        bench_out_s(" - ");
        bench_out_s(w->name);
        bench_out_nl();
    }
    if (a->metadata)
        metadata(a);
    (void)same;
    bench_out_s("1..");
    bench_out_u(passed + failed);
    bench_out_nl();
    bench_out_u(passed);
    bench_out_s(" passed, ");
    bench_out_u(failed);
    bench_out_s(" failed");
    bench_out_nl();
    return failed || !(passed + failed) ? 1 : 0;
}
