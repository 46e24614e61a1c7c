/*
 * Samples per operation kind, the summary lines the report parses, and the
 * line output every result goes through.
 *
 * Every timed call appends its cost to its kind's array; at the end of a job
 * the array is sorted in place (heapsort: no libc, no recursion, bounded
 * stack) and one line per kind gives count, sum, p50, p99, max and min. Sums,
 * maxima and minima are exact; the arrays keep 16-bit samples (a sample
 * above 65535 is kept as 65535, which can only understate a p99 that is
 * already off the scale) and p99 comes from the first `kept` samples if a
 * job makes more calls than the array holds (the line says kept=).
 *
 * Lines are `key=value` fields after a tag, so the parser on the host side
 * (tools/bench-report) needs no knowledge of their order:
 *   R alloc=fh kind=churn dist=mixed seed=1 heap=262144 base=0 free=plain
 *     op=alloc n=... sum=... p50=... p99=... max=... min=... kept=...
 */
#include "bench.h"

/* The churn's alloc and free kinds see ~100k calls per job; the rest fewer. */
#define SAMPLES_BIG 131072u
#define SAMPLES_SMALL 16384u

static const char *const op_names[OP_COUNT] = {
    "alloc", "free", "alloc-fail", "realloc-inplace", "realloc-move",
    "realloc-fail", "resize-ok", "resize-fail",
};

const char *bench_op_name(enum bench_op op) { return op_names[op]; }

static uint16_t big[3][SAMPLES_BIG];
static uint16_t small[OP_COUNT - 3][SAMPLES_SMALL];
static uint32_t kept[OP_COUNT];
static uint32_t count[OP_COUNT];
static uint64_t sum[OP_COUNT];
static uint32_t maxv[OP_COUNT];
static uint32_t minv[OP_COUNT];

static uint16_t *samples(int op) { return op < 3 ? big[op] : small[op - 3]; }
static uint32_t capacity(int op) { return op < 3 ? SAMPLES_BIG : SAMPLES_SMALL; }

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

bool bench_paused;

void bench_record(enum bench_op op, uint32_t cost)
{
    if (bench_paused)
        return;
    if (kept[op] < capacity(op))
        samples(op)[kept[op]++] = (uint16_t)(cost < 65535u ? cost : 65535u);
    count[op]++;
    sum[op] += cost;
    if (cost > maxv[op])
        maxv[op] = cost;
    if (cost < minv[op])
        minv[op] = cost;
}

static void sift_down(uint16_t *a, uint32_t root, uint32_t n)
{
    for (;;) {
        uint32_t child = 2u * root + 1u;
        if (child >= n)
            return;
        if (child + 1u < n && a[child + 1u] > a[child])
            child++;
        if (a[root] >= a[child])
            return;
        uint16_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void heapsort_u16(uint16_t *a, uint32_t n)
{
    for (uint32_t i = n / 2u; i-- > 0;)
        sift_down(a, i, n);
    for (uint32_t end = n; end-- > 1;) {
        uint16_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

void bench_report(void)
{
    for (int k = 0; k < OP_COUNT; k++) {
        if (!count[k])
            continue;
        uint16_t *s = samples(k);
        heapsort_u16(s, kept[k]);
        /* p99 by nearest rank: the smallest value >= 99% of the samples. */
        uint32_t rank = (uint32_t)(((uint64_t)kept[k] * 99u + 99u) / 100u);
        bench_out_begin("R");
        bench_out_s(" op=");
        bench_out_s(op_names[k]);
        bench_out_kv("n", count[k]);
        bench_out_kv("sum", sum[k]);
        bench_out_kv("p50", s[kept[k] / 2u]);
        bench_out_kv("p99", s[rank ? rank - 1u : 0u]);
        bench_out_kv("max", maxv[k]);
        bench_out_kv("min", minv[k]);
        bench_out_kv("kept", kept[k]);
        bench_out_nl();
    }
}

void bench_out_begin(const char *tag)
{
    bench_out_s(tag);
    bench_out_job();
}

void bench_out_job(void)
{
    const bench_job *j = bench_job_now;
    bench_out_s(" alloc=");
    bench_out_s(bench_adapter.name);
    bench_out_s(" kind=");
    bench_out_s(j->kind->name);
    if (j->dist) {
        bench_out_s(" dist=");
        bench_out_s(j->dist->name);
    }
    if (j->dist2) {
        bench_out_s(" dist2=");
        bench_out_s(j->dist2->name);
    }
    bench_out_kv("seed", j->seed);
    bench_out_kv("heap", j->heap);
    bench_out_kv("base", j->base);
    bench_out_s(j->sized ? " free=sized" : " free=plain");
    bench_out_kv("item", j->item);
}

void bench_out_kv(const char *key, uint64_t v)
{
    bench_out_s(" ");
    bench_out_s(key);
    bench_out_s("=");
    bench_out_u(v);
}

/* ---- line-buffered output: one platform write per line ----------------- */
static char line[320];
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

bool bench_quiet;

void bench_out_nl(void)
{
    line[line_len++] = '\n';
    line[line_len] = '\0';
    if (!bench_quiet || line[0] == '#')
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
    bench_out_s("), job");
    if (bench_job_now)
        bench_out_job();
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
