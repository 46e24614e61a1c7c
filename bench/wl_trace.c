/*
 * Real allocation traces (the .fht files in traces/: mbedTLS handshakes and
 * self-test, cJSON, Lua, zlib, recorded on the host through the libraries'
 * own hooks) replayed through the adapter by the replayer core shared with
 * tools/fh-trace (tools/trace/replay.c). Per trace and region base:
 *
 *   1. a dry run gives the peak live bytes the program asked for, and the
 *      most blocks it held at once (to size the tables);
 *   2. fhr_find_size bisects for the smallest heap (region bytes handed to
 *      the allocator) that completes the trace, on a grid of 1/256 of the
 *      first size found to complete, then replays every grid size above it
 *      up to 1.5x: a larger heap that fails again is a regression;
 *   3. one timed replay at 1.5x the stable size gives instructions per op
 *      kind ("R" lines), and the allocator's self-check runs after it.
 *
 * "T" line: peak_live, smallest, stable, regressions, first_regression,
 * tries, records. The replayer maps the recorded addresses; this file keeps
 * what the adapters need beyond it: each replayed block's size and
 * alignment, by pointer (a realloc without realloc of its own copies the
 * old size; a hand-aligned block finds its original pointer). Zeroed
 * allocations are replayed as plain ones: no allocator here is charged for
 * zero-filling.
 *
 * Memory: the trace file, the replayer's table and the block table share
 * the platform's slot room (bench_slot_room), so only boards with room for
 * the largest trace plan these jobs (BENCH_TRACES, mk/part-bench.mk).
 */
#include "bench.h"
#include "replay.h"

#define MARGIN_PCT 150u
#define GRID_PARTS 256u

/* ---- the list of traces ------------------------------------------------------ */

#ifdef BENCH_TRACES
static const char trace_names[] = BENCH_TRACES; /* space-separated paths */
#else
static const char trace_names[] = "";
#endif

unsigned bench_nr_traces(void);
unsigned bench_nr_traces(void)
{
    unsigned n = 0;
    for (const char *p = trace_names; *p; p++)
        n += (p == trace_names || p[-1] == ' ') && *p != ' ';
    return n;
}

/* Copies the i-th path into buf (NUL-terminated). */
static void trace_path(unsigned i, char *buf, size_t cap)
{
    const char *p = trace_names;
    for (;;) {
        while (*p == ' ')
            p++;
        if (!i--)
            break;
        while (*p && *p != ' ')
            p++;
    }
    size_t n = 0;
    while (p[n] && p[n] != ' ' && n + 1u < cap) {
        buf[n] = p[n];
        n++;
    }
    buf[n] = '\0';
}

/* ---- replayed blocks: pointer -> size, alignment ------------------------------ */

typedef struct block {
    uintptr_t ptr; /* 0: empty */
    size_t size, align;
} block;

typedef struct replay_ctx {
    const bench_alloc *a;
    bool timed;         /* record costs (the final replay only) */
    size_t abi_align;   /* for records that carry no alignment */
    block *blocks;
    size_t mask;        /* blocks has mask + 1 entries, a power of two */
    const void *trace;
    size_t len;
    fhr_slot *slots;
    size_t nslots;
    unsigned base;
    fhr_result res;
} replay_ctx;

static size_t home(const replay_ctx *c, uintptr_t p)
{
    uint32_t h = (uint32_t)(p >> 3) * 0x9e3779b1u;
    return (size_t)(h ^ h >> 15) & c->mask;
}

static size_t find(const replay_ctx *c, uintptr_t p)
{
    size_t i = home(c, p);
    while (c->blocks[i].ptr && c->blocks[i].ptr != p)
        i = (i + 1u) & c->mask;
    return i;
}

static void remember(replay_ctx *c, void *p, size_t size, size_t align)
{
    size_t i = find(c, (uintptr_t)p);
    c->blocks[i] = (block){(uintptr_t)p, size, align};
}

/* Backward-shift deletion keeps every probe run unbroken. */
static block forget(replay_ctx *c, void *p)
{
    size_t hole = find(c, (uintptr_t)p), j = hole;
    block b = c->blocks[hole];
    for (;;) {
        j = (j + 1u) & c->mask;
        if (!c->blocks[j].ptr)
            break;
        size_t h = home(c, c->blocks[j].ptr);
        bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
        if (!stays) {
            c->blocks[hole] = c->blocks[j];
            hole = j;
        }
    }
    c->blocks[hole].ptr = 0;
    return b;
}

/* ---- the allocator under replay ---------------------------------------------- */

static void record(replay_ctx *c, enum bench_op op, uint32_t t)
{
    if (c->timed)
        bench_record(op, t);
}

static size_t align_of(const replay_ctx *c, size_t align) { return align ? align : c->abi_align; }

static void *r_alloc(void *ctx, size_t size, size_t align, bool zeroed)
{
    replay_ctx *c = ctx;
    uint32_t t;
    (void)zeroed;
    align = align_of(c, align);
    void *p = c->a->alloc(size, align, &t);
    record(c, p ? OP_ALLOC : OP_ALLOC_FAIL, t);
    if (p)
        remember(c, p, size, align);
    return p;
}

static void r_free(void *ctx, void *ptr, size_t size, size_t align, bool sized)
{
    replay_ctx *c = ctx;
    uint32_t t;
    block b = forget(c, ptr);
    (void)size, (void)align, (void)sized;
    c->a->free(ptr, b.size, b.align, &t);
    record(c, OP_FREE, t);
}

static void *r_realloc(void *ctx, void *ptr, size_t size, size_t align)
{
    replay_ctx *c = ctx;
    uint32_t t;
    if (!ptr)
        return r_alloc(ctx, size, align, false);
    if (!size) {
        r_free(ctx, ptr, 0, align, false);
        return 0;
    }
    size_t old = c->blocks[find(c, (uintptr_t)ptr)].size;
    align = align_of(c, align);
    void *p = c->a->realloc(ptr, old, size, align, &t);
    record(c, !p ? OP_REALLOC_FAIL : p == ptr ? OP_REALLOC_INPLACE : OP_REALLOC_MOVE, t);
    if (p) {
        forget(c, ptr);
        remember(c, p, size, align);
    }
    return p;
}

static size_t r_resize(void *ctx, void *ptr, size_t size, size_t align)
{
    replay_ctx *c = ctx;
    uint32_t t;
    align = align_of(c, align);
    bool ok = c->a->resize(ptr, size, align, &t);
    record(c, ok ? OP_RESIZE_OK : OP_RESIZE_FAIL, t);
    if (ok)
        c->blocks[find(c, (uintptr_t)ptr)].size = size;
    return ok ? size : 0;
}

/* One replay on a fresh heap of heap bytes; true if it completed. */
static bool replay_on(replay_ctx *c, size_t heap, unsigned flags)
{
    static fhr_alloc_ops ops = {r_alloc, r_free, r_realloc, 0, 0};
    ops.resize = c->a->resize ? r_resize : 0;
    void *region = bench_region(heap, c->base);
    if (!region || (c->a->max_heap && heap > c->a->max_heap) || !c->a->init(region, heap))
        return false;
    for (size_t i = 0; i <= c->mask; i++)
        c->blocks[i].ptr = 0;
    fhr_replay_cfg cfg = {&ops, c, c->slots, c->nslots, (uintptr_t)region, flags, 0, 0};
    int status = fhr_replay(&cfg, c->trace, c->len, &c->res);
    if (status != FHR_OK)
        bench_fail("trace replay stopped: record", c->res.error_record);
    return status == FHR_OK && c->res.failures == 0;
}

static bool try_size(void *ctx, size_t heap) { return replay_on(ctx, heap, FHR_STOP_AT_FAILURE); }

static size_t pow2_at_least(size_t x)
{
    size_t p = 16;
    while (p < x)
        p *= 2u;
    return p;
}

static void run_trace(const bench_alloc *a, const bench_job *j)
{
    char path[96];
    trace_path(j->item, path, sizeof path);
    uint32_t room_n;
    uint8_t *room = bench_slot_room(1, &room_n);
    size_t len;
    if (!bench_read_file(path, room, room_n / 2u, &len)) {
        bench_fail("cannot read the trace (or it does not fit), item", j->item);
        return;
    }
    replay_ctx c = {.a = a, .trace = room, .len = len, .base = j->base};
    fhr_reader rd;
    if (fhr_open(&rd, room, len) != FHR_OK) {
        bench_fail("not a trace, item", j->item);
        return;
    }
    c.abi_align = (size_t)1 << rd.hdr.abi_align_log2;

    /* Dry run with the largest table the room allows, then tables sized
     * from the most blocks the trace holds at once. */
    uint8_t *free_room = room + ((len + 15u) & ~(size_t)15u);
    size_t left = room_n - (size_t)(free_room - room);
    c.slots = (fhr_slot *)(void *)free_room;
    c.nslots = pow2_at_least(left / sizeof(fhr_slot) / 2u + 1u);
    while (c.nslots * sizeof(fhr_slot) > left)
        c.nslots /= 2u;
    fhr_replay_cfg dry = {0, 0, c.slots, c.nslots, 0, 0, 0, 0};
    fhr_result dres;
    if (fhr_replay(&dry, room, len, &dres) != FHR_OK) {
        bench_fail("trace unreadable at record", dres.error_record);
        return;
    }
    c.nslots = pow2_at_least(2u * dres.peak_live_blocks + 16u);
    c.blocks = (block *)(void *)(free_room + c.nslots * sizeof(fhr_slot));
    c.mask = c.nslots - 1u;
    if ((uint8_t *)(c.blocks + c.nslots) > room + room_n) {
        bench_fail("no room for the replay tables, blocks", dres.peak_live_blocks);
        return;
    }

    /* The grid: 1/256 of the first heap found to complete, doubling from
     * the peak live bytes. */
    size_t peak = (size_t)dres.peak_live_bytes, hi = 2u * peak + 4096u;
    while (!try_size(&c, hi))
        if ((hi *= 2u) > 32u * 1024u * 1024u) {
            bench_out_begin("T");
            bench_out_s(" trace=");
            bench_out_s(path);
            bench_out_kv("peak_live", peak);
            bench_out_s(" fits=0");
            bench_out_nl();
            return; /* the allocator cannot run it in any region we have */
        }
    size_t step = (hi / GRID_PARTS + 15u) & ~(size_t)15u, lo = peak / step * step;
    fhr_size_result sr;
    if (!fhr_find_size(try_size, &c, lo ? lo : step, hi, step, MARGIN_PCT, &sr)) {
        bench_fail("sizing the trace failed, item", j->item);
        return;
    }
    c.timed = true;
    size_t timed_heap = sr.stable / 100u * MARGIN_PCT;
    if (!replay_on(&c, timed_heap, 0))
        bench_fail("timed replay failed at 1.5x the stable size, item", j->item);
    c.timed = false;
    if (a->check && !a->check())
        bench_fail("allocator self-check failed after the trace", j->item);
    bench_out_begin("T");
    bench_out_s(" trace=");
    bench_out_s(path);
    bench_out_kv("peak_live", peak);
    bench_out_s(" fits=1");
    bench_out_kv("smallest", sr.smallest);
    bench_out_kv("stable", sr.stable);
    bench_out_kv("step", step);
    bench_out_kv("regressions", sr.regressions);
    bench_out_kv("first_regression", sr.first_regression);
    bench_out_kv("tries", sr.tries);
    bench_out_kv("records", c.res.records);
    bench_out_kv("timed_heap", timed_heap);
    bench_out_nl();
}

const bench_kind bench_kind_trace = {"trace", run_trace};
