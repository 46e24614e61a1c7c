/*
 * The benchmark program: one adapter, the whole plan (bench/plan.c), and a
 * command line saying what to do. Words, separated by spaces:
 *
 *   list         print the plan ("J <index> <job fields>"; with filters,
 *                the jobs they select) and the adapter's bookkeeping per
 *                heap size ("S ..."), run nothing
 *   run=A-B      run jobs A..B-1 (the QEMU runner's unit: one boot)
 *   smoke        the cut-down plan of `make test` (see plan.c), all of it,
 *                printing only failures and the verdict
 *   timing, eff  only that half of the plan (default: both); job indices
 *                count within the chosen plan
 *   forcefail    also fail one deliberate check (FORCE_FAIL=1)
 *   kind=K dist=D heap=N free=plain|sized base=N seed=N
 *                run only the jobs that match; kind= matches a prefix
 *                ("kind=eff": every efficiency pattern). Host use:
 *                `make bench-host BENCH_ARGS="kind=effB heap=262144"`
 * With no run= or list, every job that matches runs.
 *
 * Output lines for tools/bench-report, key=value after a tag:
 *   I  counter name, its calibrated overhead, an empty call's cost
 *   R  per-op summary of one job (bench/stats.c); E, D efficiency results
 *   W  a constructed case; S bookkeeping bytes
 * Each job counts as one test: it passes if all its self-checks held. The
 * results are TAP: the plan "1..N" first (a run that dies part-way shows as
 * a plan mismatch), "ok N - <job>" or "not ok N - <job>" as each job ends,
 * failures as "# FAIL: ..." diagnostics before it; then "N passed, N
 * failed". The exit status is 0 only if nothing failed and something ran.
 */
#include "bench.h"

void *bench_nop_call(void *h, size_t size, size_t align);
int bench_main(void);

const bench_job *bench_job_now;

/* ---- the command line ---------------------------------------------------- */

typedef struct options {
    bool list, smoke, forcefail;
    unsigned what;        /* BENCH_PLAN_* */
    uint32_t first, last; /* jobs [first, last) */
    const char *kind, *dist, *free;
    uint32_t heap, base, seed; /* 0 / ~0 / 0: any */
} options;

static bool word_is(const char *w, const char *lit)
{
    while (*lit && *w == *lit)
        w++, lit++;
    return !*lit && (*w == ' ' || *w == '\0');
}

/* If w starts with key (e.g. "run="), returns what follows, else NULL. */
static const char *value_of(const char *w, const char *key)
{
    while (*key && *w == *key)
        w++, key++;
    return *key ? 0 : w;
}

static uint32_t number(const char **p)
{
    uint32_t v = 0;
    while (**p >= '0' && **p <= '9')
        v = v * 10u + (uint32_t)(*(*p)++ - '0');
    return v;
}

/* Compares a value (up to the next space) with a NUL-terminated name;
 * no value matches anything. */
static bool value_is(const char *v, const char *name)
{
    return v == 0 || word_is(v, name);
}

/* True if the value (up to the next space) starts name. */
static bool value_starts(const char *v, const char *name)
{
    while (v && *v && *v != ' ' && *v == *name)
        v++, name++;
    return v == 0 || *v == '\0' || *v == ' ';
}

static options parse(const char *p)
{
    options o = {.last = UINT32_MAX, .base = UINT32_MAX};
    while (*p) {
        const char *v;
        if (*p == ' ') {
            p++;
            continue;
        }
        if (word_is(p, "list"))
            o.list = true;
        else if (word_is(p, "smoke"))
            o.smoke = true;
        else if (word_is(p, "timing"))
            o.what |= BENCH_PLAN_TIMING;
        else if (word_is(p, "eff"))
            o.what |= BENCH_PLAN_EFF;
        else if (word_is(p, "forcefail"))
            o.forcefail = true;
        else if ((v = value_of(p, "run="))) {
            o.first = number(&v);
            if (*v == '-')
                v++, o.last = number(&v);
        } else if ((v = value_of(p, "kind=")))
            o.kind = v;
        else if ((v = value_of(p, "dist=")))
            o.dist = v;
        else if ((v = value_of(p, "free=")))
            o.free = v;
        else if ((v = value_of(p, "heap=")))
            o.heap = number(&v);
        else if ((v = value_of(p, "base=")))
            o.base = number(&v);
        else if ((v = value_of(p, "seed=")))
            o.seed = number(&v);
        while (*p && *p != ' ')
            p++;
    }
    if (!o.what)
        o.what = BENCH_PLAN_TIMING | BENCH_PLAN_EFF;
    return o;
}

static bool selected(const options *o, uint32_t index, const bench_job *j)
{
    return index >= o->first && index < o->last && value_starts(o->kind, j->kind->name) &&
           (!o->dist || (j->dist && value_is(o->dist, j->dist->name))) &&
           value_is(o->free, j->sized ? "sized" : "plain") &&
           (!o->heap || o->heap == j->heap) && (o->base == UINT32_MAX || o->base == j->base) && (!o->seed || o->seed == j->seed);
}

/* ---- running ------------------------------------------------------------- */

typedef struct run_state {
    const options *o;
    unsigned passed, failed;
} run_state;

static bool count_job(void *ctx, uint32_t index, const bench_job *j)
{
    run_state *r = ctx;
    if (index >= r->o->last)
        return false;
    r->passed += selected(r->o, index, j);
    return true;
}

/* One TAP test point; printed even when quiet. */
static void test_point(bool ok, unsigned n, const char *what)
{
    bool quiet = bench_quiet;
    bench_quiet = false;
    bench_out_s(ok ? "ok " : "not ok ");
    bench_out_u(n);
    bench_out_s(" - ");
    bench_out_s(what);
    if (bench_job_now)
        bench_out_job();
    bench_out_nl();
    bench_quiet = quiet;
}

static bool list_job(void *ctx, uint32_t index, const bench_job *j)
{
    const options *o = ctx;
    if (!selected(o, index, j))
        return true;
    bench_job_now = j;
    bench_out_begin("J");
    bench_out_kv("index", index);
    bench_out_nl();
    bench_job_now = 0;
    return true;
}

static bool run_job(void *ctx, uint32_t index, const bench_job *j)
{
    run_state *r = ctx;
    if (index >= r->o->last)
        return false;
    if (!selected(r->o, index, j))
        return true;
    unsigned before = bench_failures;
    bench_job_now = j;
    bench_reset();
    j->kind->run(&bench_adapter, j);
    bench_report();
    bool ok = bench_failures == before;
    r->passed += ok;
    r->failed += !ok;
    test_point(ok, r->passed + r->failed, "job");
    bench_job_now = 0; /* j lives in the plan walk's frame */
    return true;
}

static void print_info(void)
{
    uint32_t t;
    void *volatile sink;
    BENCH_TIMED(t, sink = bench_nop_call(0, 16, 8));
    (void)sink;
    bench_out_s("I counter=" BENCH_COUNTER_NAME);
    bench_out_s(" alloc=");
    bench_out_s(bench_adapter.name);
    bench_out_kv("overhead", bench_overhead);
    bench_out_kv("empty_call", t);
    /* Counter units per 1000 straight-line instructions: 1000 for an
     * instruction counter; on SysTick the ratio that converts ticks. */
    BENCH_TIMED(t, __asm__ volatile(".rept 1000\n nop\n .endr" ::: "memory"));
    bench_out_kv("per1000", t);
    bench_out_kv("reset", !(bench_adapter.flags & BA_NO_RESET));
    bench_out_nl();
}

/* Bookkeeping bytes per heap size, where the adapter can say. */
static void metadata(void)
{
    static const uint32_t sizes[] = {16u * 1024u, 256u * 1024u, 32u * 1024u * 1024u};
    if (!bench_adapter.metadata || (bench_adapter.flags & BA_NO_RESET))
        return;
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        void *r = bench_region(sizes[i], 0);
        if (!r || !bench_adapter.init(r, sizes[i]))
            continue;
        bench_out_s("S alloc=");
        bench_out_s(bench_adapter.name);
        bench_out_kv("heap", sizes[i]);
        bench_out_kv("meta", bench_adapter.metadata());
        bench_out_nl();
    }
}

int bench_main(void)
{
    bench_platform_init();
    options o = parse(bench_cmdline());
    run_state r = {.o = &o};
    bench_calibrate();
    print_info();
    if (o.list) {
        bench_plan(&bench_adapter, o.smoke, o.what, list_job, &o);
        metadata();
        return 0;
    }
    bench_plan(&bench_adapter, o.smoke, o.what, count_job, &r);
    bench_out_s("1..");
    bench_out_u(r.passed + o.forcefail);
    bench_out_nl();
    r.passed = 0;
    bench_quiet = o.smoke;
    bench_plan(&bench_adapter, o.smoke, o.what, run_job, &r);
    bench_quiet = false;
    if (o.forcefail) {
        bench_fail("FORCE_FAIL: a deliberate failure", 0);
        r.failed++;
        test_point(false, r.passed + r.failed, "FORCE_FAIL");
    }
    bench_out_u(r.passed);
    bench_out_s(" passed, ");
    bench_out_u(r.failed);
    bench_out_s(" failed");
    bench_out_nl();
    return r.failed || !r.passed ? 1 : 0;
}
