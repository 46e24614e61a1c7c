/*
 * Samples per operation kind, and the summary lines the report tool parses.
 *
 * Every timed call appends its cost to its kind's array; at the end of a
 * workload the array is sorted in place (heapsort: no libc, no recursion,
 * bounded stack) and we print count, mean, p99 and max. Sums and the maximum
 * are exact even past the array's capacity; only p99 would then come from the
 * first BENCH_SAMPLES_MAX samples, and the line says so (kept=).
 *
 * Output is one line per record, `key=value` fields, so that the parser on
 * the host side (tools/bench-report) needs no knowledge of the order:
 *   R alloc=fh-buddy wl=mixed op=alloc n=10012 sum=... p99=... max=... min=...
 */
#include "bench.h"

#ifndef BENCH_SAMPLES_MAX
#define BENCH_SAMPLES_MAX 32768u
#endif

static const char *const op_names[OP_COUNT] = {
    "alloc", "free", "realloc-inplace", "realloc-move", "alloc-fail",
};

static uint32_t samples[OP_COUNT][BENCH_SAMPLES_MAX];
static uint32_t kept[OP_COUNT];
static uint32_t count[OP_COUNT];
static uint64_t sum[OP_COUNT];
static uint32_t maxv[OP_COUNT];
static uint32_t minv[OP_COUNT];

uint32_t bench_overhead;
unsigned bench_failures;

/* The cheapest empty region is the cost of the counter reads themselves. */
void bench_calibrate(void)
{
    uint32_t best = UINT32_MAX;
    bench_overhead = 0;
    for (int i = 0; i < 16; i++) {
        uint32_t t;
        BENCH_TIMED(t, (void)0);
        if (t < best)
            best = t;
    }
    bench_overhead = best;
}

void bench_reset(void)
{
    for (int k = 0; k < OP_COUNT; k++) {
        kept[k] = count[k] = maxv[k] = 0;
        minv[k] = UINT32_MAX;
        sum[k] = 0;
    }
}

void bench_record(enum bench_op op, uint32_t cost)
{
    if (kept[op] < BENCH_SAMPLES_MAX)
        samples[op][kept[op]++] = cost;
    count[op]++;
    sum[op] += cost;
    if (cost > maxv[op])
        maxv[op] = cost;
    if (cost < minv[op])
        minv[op] = cost;
}

static void sift_down(uint32_t *a, uint32_t root, uint32_t n)
{
    for (;;) {
        uint32_t child = 2u * root + 1u;
        if (child >= n)
            return;
        if (child + 1u < n && a[child + 1u] > a[child])
            child++;
        if (a[root] >= a[child])
            return;
        uint32_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void heapsort_u32(uint32_t *a, uint32_t n)
{
    for (uint32_t i = n / 2u; i-- > 0;)
        sift_down(a, i, n);
    for (uint32_t end = n; end-- > 1;) {
        uint32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

void bench_report(const char *alloc, const char *wl)
{
    for (int k = 0; k < OP_COUNT; k++) {
        if (!count[k])
            continue;
        heapsort_u32(samples[k], kept[k]);
        /* p99 by nearest rank: the smallest value >= 99% of the samples. */
        uint32_t rank = (uint32_t)(((uint64_t)kept[k] * 99u + 99u) / 100u);
        uint32_t p99 = samples[k][rank ? rank - 1u : 0u];
        uint32_t p50 = samples[k][kept[k] / 2u];
        bench_out_s("R alloc=");
        bench_out_s(alloc);
        bench_out_s(" wl=");
        bench_out_s(wl);
        bench_out_s(" op=");
        bench_out_s(op_names[k]);
        bench_out_s(" n=");
        bench_out_u(count[k]);
        bench_out_s(" sum=");
        bench_out_u(sum[k]);
        bench_out_s(" p50=");
        bench_out_u(p50);
        bench_out_s(" p99=");
        bench_out_u(p99);
        bench_out_s(" max=");
        bench_out_u(maxv[k]);
        bench_out_s(" min=");
        bench_out_u(minv[k]);
        bench_out_s(" kept=");
        bench_out_u(kept[k]);
        bench_out_nl();
    }
}

/* ---- line-buffered output: one platform write per line ----------------- */
static char line[160];
static unsigned line_len;

void bench_out_s(const char *s)
{
    while (*s) {
        if (line_len + 2u >= sizeof line)
            bench_out_nl();
        line[line_len++] = *s++;
    }
}

void bench_out_u(uint64_t v)
{
    char buf[24];
    char *p = buf + sizeof buf - 1;
    *p = '\0';
    do {
        *--p = (char)('0' + (unsigned)(v % 10u));
        v /= 10u;
    } while (v);
    bench_out_s(p);
}

void bench_out_nl(void)
{
    line[line_len++] = '\n';
    line[line_len] = '\0';
    bench_puts(line);
    line_len = 0;
}

void bench_fail(const char *what, uint64_t detail)
{
    bench_failures++;
    bench_out_s("# FAIL: "); /* a TAP diagnostic */
    bench_out_s(what);
    bench_out_s(" (");
    bench_out_u(detail);
    bench_out_s(")");
    bench_out_nl();
}

/* An empty call with the shape of fh_alloc's: the harness prints its cost so
 * readers can see how much of a sample is calling convention. noinline and
 * the empty asm keep GCC from folding it away. */
__attribute__((noinline)) void *bench_nop_call(void *h, size_t size, size_t align);
__attribute__((noinline)) void *bench_nop_call(void *h, size_t size, size_t align)
{
    __asm__ volatile("" ::: "memory");
    (void)size;
    (void)align;
    return h;
}
