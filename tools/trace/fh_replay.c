/*
 * fh-replay: the host side of tools/fh-trace. Reads a trace, and replays it
 * through the replayer core (replay.c) against the host build of firmheap:
 * the buddy heap through the instance API (which is what the default heap
 * calls for its one region), or the bump allocator. Prints plain lines that
 * tools/fh-trace turns into reports and plots:
 *
 *   fh-replay dump TRACE                  H header line, R line per record
 *   fh-replay run TRACE [options]         S samples, F failures, X mismatches,
 *                                         RESULT line
 *   fh-replay size TRACE [options]        SIZE line per backend
 *
 * Options: --backend buddy|bump|recorded|both|dry, --base ADDR, --heap-size N,
 * --samples N, --compare, --margin PCT, --step N (size: the grid of heap
 * sizes tried; default 1/2048 of the first size found to complete, in
 * multiples of 16, so a search costs about 1000 replays whatever the trace).
 *
 * Placement. The buddy places blocks by absolute address, so a replay only
 * matches the target when the heap sits where the target's did, or at least
 * at an address with the same low bits. The heap is mapped at the requested
 * base itself when the host's address space allows (MAP_FIXED_NOREPLACE),
 * else at an address congruent to it modulo a power of two above the
 * largest heap tried; the RESULT and SIZE lines say which. Bookkeeping sizes
 * depend on the pointer width: this program is built twice, 64-bit and
 * 32-bit (-m32), and fh-trace picks the one matching the trace.
 *
 * Exit status: 0 done (and, with --compare, every result matched), 1 the
 * replay failed or mismatched, 2 bad usage or a trace that cannot be read
 * (the message names the record and its byte offset).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "firmheap.h"
#include "replay.h"

static const char *prog = "fh-replay";
static const char *trace_path;

static _Noreturn void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(2);
}

static _Noreturn void die_status(int status, uint32_t record, uint32_t offset)
{
    if (status == FHR_E_HEADER || status == FHR_E_MAGIC || status == FHR_E_VERSION ||
        status == FHR_E_WORD)
        fprintf(stderr, "%s: %s: header: %s\n", prog, trace_path, fhr_status_text(status));
    else
        fprintf(stderr, "%s: %s: record %" PRIu32 " (byte offset %" PRIu32 "): %s\n", prog,
                trace_path, record, offset, fhr_status_text(status));
    exit(2);
}

/* ---- the trace file ----------------------------------------------------- */

static unsigned char *trace;
static size_t trace_len;
static fhr_header hdr;

static void load(const char *path)
{
    trace_path = path;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        die("cannot open %s", path);
    size_t cap = 1u << 16;
    trace = malloc(cap);
    size_t n;
    while (trace && (n = fread(trace + trace_len, 1, cap - trace_len, f)) > 0) {
        trace_len += n;
        if (trace_len == cap)
            trace = realloc(trace, cap *= 2u);
    }
    if (trace == NULL || ferror(f))
        die("cannot read %s", path);
    fclose(f);
    fhr_reader rd;
    int s = fhr_open(&rd, trace, trace_len);
    if (s != FHR_OK)
        die_status(s, 0, 0);
    hdr = rd.hdr;
}

static const char *const op_names[FH_TRACE_OP_LAST + 1u] = {
    "?", "alloc", "zalloc", "free", "free_sized", "realloc", "resize", "region", "mark", "end",
};

static int cmd_dump(void)
{
    printf("H version=%u word=%u base=0x%" PRIx64 " size=%" PRIu64 " backend=%s abi_align=%u\n",
           hdr.version, hdr.word_bytes, hdr.heap_base, hdr.heap_size,
           hdr.backend == FH_TRACE_BACKEND_BUMP ? "bump" : "buddy", 1u << hdr.abi_align_log2);
    fhr_reader rd;
    fhr_record r;
    int s = fhr_open(&rd, trace, trace_len);
    while (s == FHR_OK && (s = fhr_next(&rd, &r)) == FHR_OK)
        printf("R %" PRIu32 " %s 0x%" PRIx64 " %" PRIu64 " %" PRIu64 " 0x%" PRIx64 "\n", r.index,
               op_names[r.op], r.ptr, r.size, r.align, r.result);
    if (s != FHR_END) {
        fflush(stdout);
        die_status(s, rd.index, (uint32_t)rd.pos);
    }
    return 0;
}

/* ---- the heap under replay ---------------------------------------------- */

enum backend { BUDDY, BUMP };
static const char *const backend_names[] = {"buddy", "bump"};

static enum backend backend;
static fh_heap *heap;
static fh_bump bump;
static unsigned char *base;     /* where the replayed heap starts */
static char placement[64];      /* "exact" or "congruent mod 0x..." */

/* Reserves [want, want + span) or a congruent range; sets base. */
static void map_heap(uint64_t want, size_t span)
{
    const uintptr_t page = 4096u;
    uintptr_t w = (uintptr_t)want;
    if ((uint64_t)w == want && w != 0 && w + span > w) {
        uintptr_t lo = w & ~(page - 1u);
        size_t len = (w - lo + span + page - 1u) & ~(page - 1u);
        void *m = mmap((void *)lo, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        if (m == (void *)lo) {
            base = (unsigned char *)w;
            snprintf(placement, sizeof placement, "exact");
            return;
        }
        if (m != MAP_FAILED)
            munmap(m, len);
    }
    size_t mod = 1u << 20;
    while (mod < span && mod <= SIZE_MAX / 4u)
        mod *= 2u;
    size_t len = 2u * mod + span;
    void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (m == MAP_FAILED)
        die("cannot reserve address space for the heap (%s)", strerror(errno));
    uintptr_t a = ((uintptr_t)m + mod - 1u) & ~(uintptr_t)(mod - 1u);
    base = (unsigned char *)(a + (uintptr_t)(want & (mod - 1u)));
    snprintf(placement, sizeof placement, "congruent mod 0x%zx", mod);
}

static bool heap_init(size_t size)
{
    if (backend == BUMP)
        return fh_bump_init(&bump, base, size);
    heap = fh_init(base, size);
    return heap != NULL;
}

static void *a_alloc(void *ctx, size_t size, size_t align, bool zeroed)
{
    (void)ctx;
    if (backend == BUDDY)
        return zeroed ? fh_alloc_zeroed(heap, size, align) : fh_alloc(heap, size, align);
    void *p = fh_bump_alloc(&bump, size, align);
    if (p && zeroed)
        memset(p, 0, size);
    return p;
}

static void a_free(void *ctx, void *ptr, size_t size, size_t align, bool sized)
{
    (void)ctx;
    if (backend == BUMP)
        fh_bump_free(&bump, ptr);
    else if (sized)
        fh_free_sized(heap, ptr, size, align);
    else
        fh_free(heap, ptr);
}

/* The bump realloc is the default heap's (src/default_heap.c): the newest
 * block resizes in place, any other moves up. The replay needs no copy. */
static void *a_realloc(void *ctx, void *ptr, size_t size, size_t align)
{
    (void)ctx;
    if (backend == BUDDY)
        return fh_realloc(heap, ptr, size, align);
    if (ptr == NULL)
        return fh_bump_alloc(&bump, size, align);
    if (size == 0) {
        fh_bump_free(&bump, ptr);
        return NULL;
    }
    bool aligned = align == 0 || ((uintptr_t)ptr & (align - 1u)) == 0;
    if ((uintptr_t)ptr == bump.last && aligned && fh_bump_resize(&bump, ptr, size))
        return ptr;
    return fh_bump_alloc(&bump, size, align);
}

static size_t a_resize(void *ctx, void *ptr, size_t size, size_t align)
{
    (void)ctx;
    if (backend == BUMP)
        return fh_bump_resize(&bump, ptr, size);
    return fh_resize_in_place(heap, ptr, size, align);
}

static size_t a_usable(void *ctx, const void *ptr)
{
    (void)ctx;
    return fh_usable_size(heap, ptr);
}

static const fhr_alloc_ops buddy_ops = {a_alloc, a_free, a_realloc, a_resize, a_usable};
/* The bump keeps no per-block sizes: footprint from the requested sizes. */
static const fhr_alloc_ops bump_ops = {a_alloc, a_free, a_realloc, a_resize, NULL};

/* ---- replays ------------------------------------------------------------ */

static fhr_slot *slots;
static size_t nslots;
static fhr_result dry; /* the trace as recorded: peak live bytes and blocks */

static void dry_run(void)
{
    for (nslots = 1024;; nslots *= 2u) {
        slots = realloc(slots, nslots * sizeof *slots);
        if (slots == NULL)
            die("out of memory for %s", "the block table");
        fhr_replay_cfg cfg = {.slots = slots, .nslots = nslots};
        int s = fhr_replay(&cfg, trace, trace_len, &dry);
        if (s == FHR_OK)
            return;
        if (s != FHR_E_TABLE_FULL)
            die_status(s, dry.error_record, dry.error_offset);
    }
}

static int replay(size_t heap_size, unsigned flags, void (*observe)(void *, const fhr_event *),
                  fhr_result *res)
{
    if (!heap_init(heap_size)) {
        memset(res, 0, sizeof *res);
        res->failures = 1;
        res->first_failure = 0;
        return FHR_OK;
    }
    fhr_replay_cfg cfg = {
        .ops = backend == BUMP ? &bump_ops : &buddy_ops,
        .slots = slots,
        .nslots = nslots,
        .base = (uintptr_t)base,
        .flags = flags,
        .observe = observe,
    };
    return fhr_replay(&cfg, trace, trace_len, res);
}

/* ---- options -------------------------------------------------------------- */

static struct {
    const char *backend;
    bool have_base;
    uint64_t base;
    size_t heap_size;
    unsigned samples;
    bool compare;
    unsigned margin;
    size_t step;
} opt = {"recorded", false, 0, 0, 0, false, 150, 0};

static uint64_t number(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end != '\0')
        die("bad number for %s", what);
    return v;
}

static void parse_options(int argc, char **argv)
{
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (strcmp(a, "--backend") == 0 && v)
            opt.backend = v;
        else if (strcmp(a, "--base") == 0 && v)
            opt.have_base = true, opt.base = number(v, a);
        else if (strcmp(a, "--heap-size") == 0 && v)
            opt.heap_size = (size_t)number(v, a);
        else if (strcmp(a, "--samples") == 0 && v)
            opt.samples = (unsigned)number(v, a);
        else if (strcmp(a, "--margin") == 0 && v)
            opt.margin = (unsigned)number(v, a);
        else if (strcmp(a, "--step") == 0 && v)
            opt.step = (size_t)number(v, a);
        else if (strcmp(a, "--compare") == 0)
            opt.compare = true, takes = false;
        else
            die("unknown option or missing value: %s", a);
        i += takes;
    }
    if (opt.margin < 100)
        die("--margin is in percent (150 for 1.5x) and at least 100%s", "");
    if (!opt.have_base)
        opt.base = hdr.heap_base;
    if (opt.heap_size == 0)
        opt.heap_size = (size_t)hdr.heap_size;
}

static enum backend backend_named(const char *name)
{
    if (strcmp(name, "recorded") == 0)
        return hdr.backend == FH_TRACE_BACKEND_BUMP ? BUMP : BUDDY;
    if (strcmp(name, "buddy") == 0)
        return BUDDY;
    if (strcmp(name, "bump") == 0)
        return BUMP;
    die("unknown backend %s (buddy, bump, recorded, dry)", name);
}

/* ---- run: one replay, with samples or a comparison ---------------------- */

static uint32_t sample_every;
static uint32_t mismatches;

struct walk_top {
    uintptr_t top;
};

static void walk_top(void *ctx, void *addr, size_t size, bool used)
{
    struct walk_top *w = ctx;
    if (used && (uintptr_t)addr + size > w->top)
        w->top = (uintptr_t)addr + size;
}

static void sample(const fhr_event *ev)
{
    const fhr_record *r = ev->rec;
    size_t footprint, used, largest, free_bytes;
    if (backend == BUMP) {
        used = footprint = (size_t)(bump.top - bump.start);
        free_bytes = largest = (size_t)(bump.end - bump.top);
    } else {
        fh_stats st;
        fh_get_stats(heap, &st);
        struct walk_top w = {(uintptr_t)base};
        fh_walk(heap, walk_top, &w);
        footprint = (size_t)(w.top - (uintptr_t)base);
        used = st.used_bytes;
        largest = st.largest_free;
        free_bytes = st.free_bytes;
    }
    printf("S %" PRIu32 " %" PRIu64 " %zu %zu %zu %zu\n", r->index, ev->live_bytes, footprint,
           used, largest, free_bytes);
}

static void observe_run(void *ctx, const fhr_event *ev)
{
    (void)ctx;
    const fhr_record *r = ev->rec;
    if (r->op == FH_TRACE_MARK)
        printf("M %" PRIu32 " %" PRIu64 "\n", r->index, r->size);
    if (ev->failed)
        printf("F %" PRIu32 " %s %" PRIu64 " %" PRIu64 "\n", r->index, op_names[r->op], r->size,
               r->align);
    if (sample_every && (r->index % sample_every == 0 || r->op == FH_TRACE_END))
        sample(ev);
    if (!opt.compare)
        return;
    /* Same results: pointers as offsets from each heap's base, sizes as is. */
    bool ptr_result = r->op == FH_TRACE_ALLOC || r->op == FH_TRACE_ALLOC_ZEROED ||
                      r->op == FH_TRACE_REALLOC;
    uint64_t want = r->result, got = ev->result;
    if (ptr_result) {
        want = want ? want - hdr.heap_base : UINT64_MAX;
        got = got ? (uint64_t)(ev->result - (uintptr_t)base) : UINT64_MAX;
    } else if (r->op != FH_TRACE_RESIZE) {
        return;
    }
    if (want != got && mismatches++ < 10)
        printf("X %" PRIu32 " %s recorded=0x%" PRIx64 " replayed=0x%" PRIx64 "\n", r->index,
               op_names[r->op], want, got);
}

static void print_result(const char *name, const fhr_result *res)
{
    printf("RESULT backend=%s heap_size=%zu base=%p placement=%s records=%" PRIu32
           " failures=%" PRIu32 " first_failure=%" PRId64 " divergences=%" PRIu32
           " unknown_frees=%" PRIu32 " regions=%" PRIu32 " live_bytes=%" PRIu64
           " peak_live_bytes=%" PRIu64 " peak_live_record=%" PRIu32 " peak_live_blocks=%" PRIu32
           " peak_footprint=%" PRIu64 " mismatches=%" PRIu32 "\n",
           name, opt.heap_size, (void *)base, placement, res->records, res->failures,
           res->failures ? (int64_t)res->first_failure : -1, res->divergences,
           res->unknown_frees, res->regions, res->live_bytes, res->peak_live_bytes,
           res->peak_live_record, res->peak_live_blocks, res->peak_footprint, mismatches);
}

static int cmd_run(void)
{
    dry_run();
    if (strcmp(opt.backend, "dry") == 0) {
        /* The trace as recorded, no heap: what the program asked for. */
        snprintf(placement, sizeof placement, "none");
        print_result("dry", &dry);
        return 0;
    }
    backend = backend_named(opt.backend);
    map_heap(opt.base, opt.heap_size);
    if (opt.samples)
        sample_every = dry.records / opt.samples + 1u;
    fhr_result res;
    int s = replay(opt.heap_size, 0, observe_run, &res);
    if (s != FHR_OK)
        die_status(s, res.error_record, res.error_offset);
    print_result(backend_names[backend], &res);
    return res.failures || mismatches ? 1 : 0;
}

/* ---- size: bisection and margin scan per backend ------------------------ */

static bool try_size(void *ctx, size_t heap_size)
{
    (void)ctx;
    fhr_result res;
    int s = replay(heap_size, FHR_STOP_AT_FAILURE, NULL, &res);
    if (s != FHR_OK)
        die_status(s, res.error_record, res.error_offset);
    return res.failures == 0;
}

static void size_one(enum backend b, size_t span)
{
    backend = b;
    const size_t granule = 16;
    size_t lo = (size_t)dry.peak_live_bytes / granule * granule;
    lo = lo < granule ? granule : lo;
    /* Grow the upper bound until the trace completes, within the mapping. */
    size_t hi = 2u * lo;
    while (!try_size(NULL, hi) && hi <= span / 8u)
        hi *= 2u;
    size_t step = opt.step ? opt.step : (hi / 2048u + granule - 1u) / granule * granule;
    step = step < granule && !opt.step ? granule : step;
    lo = lo / step * step;
    lo = lo < step ? step : lo;
    fhr_size_result r;
    bool ok = hi <= span / 4u && fhr_find_size(try_size, NULL, lo, hi, step, opt.margin, &r);
    if (!ok) {
        printf("SIZE backend=%s none limit=%zu peak_live_bytes=%" PRIu64 "\n", backend_names[b],
               span / 4u, dry.peak_live_bytes);
        return;
    }
    printf("SIZE backend=%s smallest=%zu stable=%zu recommended=%zu margin=%u step=%zu"
           " regressions=%" PRIu32 " first_regression=%zu tries=%" PRIu32
           " peak_live_bytes=%" PRIu64 " base=%p placement=%s\n",
           backend_names[b], r.smallest, r.stable, r.recommended, opt.margin, step,
           r.regressions, r.first_regression, r.tries, dry.peak_live_bytes, (void *)base,
           placement);
}

static int cmd_size(void)
{
    dry_run();
    /* Room for a heap up to 4x the upper bound fhr_find_size may try. */
    size_t span = 64u << 20;
    while (span / 64u < dry.peak_live_bytes && span <= SIZE_MAX / 4u)
        span *= 2u;
    map_heap(opt.base, span);
    bool both = strcmp(opt.backend, "both") == 0;
    if (both || strcmp(opt.backend, "buddy") == 0 ||
        (strcmp(opt.backend, "recorded") == 0 && hdr.backend == FH_TRACE_BACKEND_BUDDY))
        size_one(BUDDY, span);
    if (both || strcmp(opt.backend, "bump") == 0 ||
        (strcmp(opt.backend, "recorded") == 0 && hdr.backend == FH_TRACE_BACKEND_BUMP))
        size_one(BUMP, span);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        die("usage: fh-replay dump|run|size TRACE [options]%s", "");
    load(argv[2]);
    parse_options(argc, argv);
    if (strcmp(argv[1], "dump") == 0)
        return cmd_dump();
    if (strcmp(argv[1], "run") == 0)
        return cmd_run();
    if (strcmp(argv[1], "size") == 0)
        return cmd_size();
    die("unknown command %s (dump, run, size)", argv[1]);
}
