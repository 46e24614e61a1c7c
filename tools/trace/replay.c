/*
 * The trace replayer core (interface and rules in replay.h).
 *
 * Reading is a cursor over the caller's bytes: every field is assembled
 * from little-endian bytes, so the reader neither needs aligned data nor
 * cares about its own byte order or word size.
 *
 * The block table maps recorded addresses to replayed blocks with linear
 * probing and backward-shift deletion (no tombstones), so a probe sequence
 * stays short however long the trace runs. It is filled to at most 3/4;
 * past that the replay stops with FHR_E_TABLE_FULL instead of slowing
 * down.
 */
#include "replay.h"

static const char *const status_text[FHR_NR_STATUS] = {
    [FHR_OK] = "ok",
    [FHR_END] = "end of trace",
    [FHR_E_HEADER] = "no complete trace header (file empty, cut short, or header length below 32)",
    [FHR_E_MAGIC] = "not a firmheap trace (the first bytes are not \"fhtr\")",
    [FHR_E_VERSION] = "trace format version unknown to this reader",
    [FHR_E_WORD] = "word size in the header is neither 4 nor 8",
    [FHR_E_TRUNCATED] = "the trace ends in the middle of this record (cut short)",
    [FHR_E_OP] = "unknown operation code (corrupt trace)",
    [FHR_E_ALIGN] = "alignment code names no alignment (corrupt trace)",
    [FHR_E_SEQUENCE] = "sequence number out of order: records were lost (full ring?) or the trace is corrupt",
    [FHR_E_AFTER_END] = "data after the END record",
    [FHR_E_END_COUNT] = "END record counts a different number of records (records lost or corrupt)",
    [FHR_E_DUPLICATE] = "the recording hands out an address that is still live (records lost or corrupt)",
    [FHR_E_TABLE_FULL] = "the replayer's block table is full (give it more slots)",
};

const char *fhr_status_text(int status)
{
    if (status < 0 || status >= FHR_NR_STATUS)
        return "unknown status";
    return status_text[status];
}

/* ---- reading ------------------------------------------------------------ */

static uint64_t get_le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = bytes; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

int fhr_open(fhr_reader *r, const void *trace, size_t len)
{
    const uint8_t *p = trace;
    r->data = p;
    r->len = len;
    r->pos = 0;
    r->index = 0;
    r->ended = false;
    r->status = FHR_OK;
    if (p == NULL || len < FH_TRACE_HEADER_BYTES)
        return r->status = FHR_E_HEADER;
    if (p[0] != FH_TRACE_MAGIC0 || p[1] != FH_TRACE_MAGIC1 || p[2] != FH_TRACE_MAGIC2 ||
        p[3] != FH_TRACE_MAGIC3)
        return r->status = FHR_E_MAGIC;
    r->hdr.version = (uint16_t)get_le(p + 4, 2);
    if (r->hdr.version != FH_TRACE_VERSION)
        return r->status = FHR_E_VERSION;
    unsigned hbytes = p[6];
    if (hbytes < FH_TRACE_HEADER_BYTES || hbytes > len)
        return r->status = FHR_E_HEADER;
    r->hdr.word_bytes = p[7];
    if (r->hdr.word_bytes != 4u && r->hdr.word_bytes != 8u)
        return r->status = FHR_E_WORD;
    r->hdr.heap_base = get_le(p + 8, 8);
    r->hdr.heap_size = get_le(p + 16, 8);
    r->hdr.backend = p[24];
    r->hdr.abi_align_log2 = p[25];
    r->pos = hbytes;
    return FHR_OK;
}

static int fail(fhr_reader *r, int status)
{
    r->status = status;
    return status;
}

int fhr_next(fhr_reader *r, fhr_record *rec)
{
    if (r->status != FHR_OK)
        return r->status;
    size_t left = r->len - r->pos;
    if (left == 0)
        return FHR_END;
    if (r->ended)
        return fail(r, FHR_E_AFTER_END);
    if (left < 4u)
        return fail(r, FHR_E_TRUNCATED);
    const uint8_t *p = r->data + r->pos;
    uint32_t head = (uint32_t)get_le(p, 4);
    unsigned op = FH_TRACE_HEAD_OP(head), code = FH_TRACE_HEAD_ALIGN(head);
    unsigned fields = fh_trace_fields(op);
    if (fields == 0)
        return fail(r, FHR_E_OP);
    if (code > 64u && code != FH_TRACE_ALIGN_BAD)
        return fail(r, FHR_E_ALIGN);
    if (FH_TRACE_HEAD_SEQ(head) != (r->index & 0xffffu))
        return fail(r, FHR_E_SEQUENCE);
    unsigned w = r->hdr.word_bytes;
    if (left < 4u + fh_trace_nr_fields(op) * w)
        return fail(r, FHR_E_TRUNCATED);
    rec->index = r->index;
    rec->offset = (uint32_t)r->pos;
    rec->op = op;
    rec->align = fh_trace_align_of(code);
    rec->ptr = rec->size = rec->result = 0;
    p += 4;
    if (fields & FH_TRACE_F_PTR)
        rec->ptr = get_le(p, w), p += w;
    if (fields & FH_TRACE_F_SIZE)
        rec->size = get_le(p, w), p += w;
    if (fields & FH_TRACE_F_RESULT)
        rec->result = get_le(p, w), p += w;
    if (op == FH_TRACE_END) {
        if (rec->size != r->index)
            return fail(r, FHR_E_END_COUNT);
        r->ended = true;
    }
    r->pos = (size_t)(p - r->data);
    r->index++;
    return FHR_OK;
}

/* ---- the block table ---------------------------------------------------- */

typedef struct replay {
    const fhr_replay_cfg *cfg;
    const fhr_alloc_ops *ops; /* NULL: dry run */
    size_t mask;
    fhr_result *res;
} replay;

/* Recorded addresses are granule multiples: drop the low bits, spread the
 * rest with a Fibonacci multiply (32-bit, cheap on every target). */
static size_t slot_hash(const replay *st, uint64_t key)
{
    uint32_t k = (uint32_t)key ^ (uint32_t)(key >> 32);
    uint32_t h = (k >> 4 | k << 28) * 0x9e3779b1u;
    return (size_t)(h ^ h >> 15) & st->mask;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t slot_find(const replay *st, uint64_t key)
{
    fhr_slot *s = st->cfg->slots;
    size_t i = slot_hash(st, key);
    while (s[i].key != 0 && s[i].key != key)
        i = (i + 1u) & st->mask;
    return i;
}

static int slot_insert(replay *st, uint64_t key, void *ptr, size_t size, bool exact)
{
    fhr_slot *s = st->cfg->slots;
    size_t i = slot_find(st, key);
    if (s[i].key == key)
        return FHR_E_DUPLICATE;
    if (st->res->live_blocks + 1u > st->cfg->nslots / 4u * 3u)
        return FHR_E_TABLE_FULL;
    s[i].key = key;
    s[i].ptr = ptr;
    s[i].size = size;
    s[i].exact = exact;
    return FHR_OK;
}

/* Backward-shift deletion: pull later members of the probe run into the
 * hole, unless their home lies cyclically in (hole, j]. */
static void slot_remove(replay *st, size_t hole)
{
    fhr_slot *s = st->cfg->slots;
    size_t j = hole;
    for (;;) {
        j = (j + 1u) & st->mask;
        if (s[j].key == 0)
            break;
        size_t home = slot_hash(st, s[j].key);
        bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (!stays) {
            s[hole] = s[j];
            hole = j;
        }
    }
    s[hole].key = 0;
}

/* ---- replaying one record ----------------------------------------------- */

static size_t to_size(uint64_t v)
{
    return v > SIZE_MAX ? SIZE_MAX : (size_t)v;
}

/* An align this replayer cannot even express is refused like any non power
 * of two. */
static size_t to_align(uint64_t v)
{
    return v > SIZE_MAX ? 3u : (size_t)v;
}

static char dry_block; /* what a dry run's "allocations" return */

static void note_block(replay *st, void *q, size_t size)
{
    uintptr_t a = (uintptr_t)q, base = st->cfg->base;
    if (st->ops == NULL || a < base)
        return;
    size_t n = st->ops->usable ? st->ops->usable(st->cfg->ctx, q) : size;
    uint64_t end = (uint64_t)(a - base) + n;
    if (end > st->res->peak_footprint)
        st->res->peak_footprint = end;
}

static void live_add(replay *st, const fhr_record *rec, uint64_t add, uint64_t sub)
{
    fhr_result *r = st->res;
    r->live_bytes = r->live_bytes + add - sub;
    if (r->live_bytes > r->peak_live_bytes) {
        r->peak_live_bytes = r->live_bytes;
        r->peak_live_record = rec->index;
    }
    if (r->live_blocks > r->peak_live_blocks)
        r->peak_live_blocks = r->live_blocks;
}

/* The program received block `key` of size bytes: map it to q. q is NULL
 * when the replay could not give it (a phantom: later frees of it are
 * skipped); exact says the replayed block is what the program thinks it is,
 * so its sized frees may pass the program's size. */
static int take(replay *st, const fhr_record *rec, uint64_t key, void *q, size_t size, bool exact)
{
    int s = slot_insert(st, key, q, size, exact);
    if (s != FHR_OK)
        return s;
    st->res->live_blocks++;
    live_add(st, rec, size, 0);
    if (q && exact)
        note_block(st, q, size);
    return FHR_OK;
}

/* The program let go of the block in slot i. */
static fhr_slot drop(replay *st, const fhr_record *rec, size_t i)
{
    fhr_slot b = st->cfg->slots[i];
    slot_remove(st, i);
    st->res->live_blocks--;
    live_add(st, rec, 0, b.size);
    return b;
}

/* A block the replay got although the recording failed: the program never
 * had it. */
static void give_back(replay *st, fhr_event *ev, void *q, size_t size, size_t align)
{
    ev->diverged = true;
    st->ops->free(st->cfg->ctx, q, size, align, false);
}

static int do_alloc(replay *st, const fhr_record *rec, fhr_event *ev)
{
    size_t size = to_size(rec->size), align = to_align(rec->align);
    bool zeroed = rec->op == FH_TRACE_ALLOC_ZEROED, want = rec->result != 0;
    void *q = st->ops ? st->ops->alloc(st->cfg->ctx, size, align, zeroed)
                      : want ? &dry_block : NULL;
    ev->result = (uintptr_t)q;
    if (want) {
        ev->failed = q == NULL;
        return take(st, rec, rec->result, q, size, q != NULL);
    }
    if (q)
        give_back(st, ev, q, size, align);
    return FHR_OK;
}

static void do_free(replay *st, const fhr_record *rec)
{
    if (rec->ptr == 0)
        return;
    size_t i = slot_find(st, rec->ptr);
    if (st->cfg->slots[i].key == 0) {
        st->res->unknown_frees++;
        return;
    }
    fhr_slot b = drop(st, rec, i);
    if (st->ops && b.ptr) {
        bool sized = rec->op == FH_TRACE_FREE_SIZED && b.exact;
        st->ops->free(st->cfg->ctx, b.ptr, sized ? to_size(rec->size) : b.size,
                      to_align(rec->align), sized);
    }
}

static int do_realloc(replay *st, const fhr_record *rec, fhr_event *ev)
{
    size_t size = to_size(rec->size), align = to_align(rec->align);
    bool want = rec->result != 0;
    fhr_slot *s = st->cfg->slots;
    size_t i = rec->ptr ? slot_find(st, rec->ptr) : 0;
    bool known = rec->ptr != 0 && s[i].key != 0;
    if (rec->ptr != 0 && !known)
        st->res->unknown_frees++;
    void *old = known ? s[i].ptr : NULL;
    if (known && size == 0) { /* realloc(p, 0) frees p */
        drop(st, rec, i);
        if (st->ops && old)
            st->ops->realloc(st->cfg->ctx, old, 0, align);
        return FHR_OK;
    }
    /* realloc(NULL, n), of a phantom, or of a block from before the
     * recording: the replayed allocator allocates. */
    void *q = st->ops ? st->ops->realloc(st->cfg->ctx, old, size, align)
                      : want ? &dry_block : NULL;
    ev->result = (uintptr_t)q;
    if (!want) {
        if (q == NULL)
            return FHR_OK;
        if (old == NULL) {
            give_back(st, ev, q, size, align);
            return FHR_OK;
        }
        /* The recording kept the old block: put ours back to its size. */
        ev->diverged = true;
        void *back = st->ops->realloc(st->cfg->ctx, q, s[i].size, align);
        s[i].ptr = back ? back : q;
        s[i].exact = back != NULL;
        return FHR_OK;
    }
    ev->failed = q == NULL;
    if (known)
        drop(st, rec, i);
    /* On failure the old block (or nothing) stands in for the new one. */
    return take(st, rec, rec->result, q ? q : old, size, q != NULL);
}

static void do_resize(replay *st, const fhr_record *rec, fhr_event *ev)
{
    size_t size = to_size(rec->size), align = to_align(rec->align);
    fhr_slot *s = st->cfg->slots;
    size_t i = slot_find(st, rec->ptr);
    if (rec->ptr == 0 || s[i].key == 0) {
        st->res->unknown_frees += rec->ptr != 0;
        return;
    }
    bool want = rec->result != 0 && rec->result >= rec->size;
    const fhr_alloc_ops *ops = st->ops;
    size_t got = 0;
    if (s[i].ptr == NULL) /* a phantom cannot grow */
        got = 0;
    else if (ops == NULL)
        got = want ? size : 0;
    else if (ops->resize)
        got = ops->resize(st->cfg->ctx, s[i].ptr, size, align);
    bool ok = got != 0 && got >= size;
    ev->result = got;
    if (ok && !want) {
        /* Grew where the recording did not: shrink back, as it was. */
        ev->diverged = true;
        ops->resize(st->cfg->ctx, s[i].ptr, s[i].size, align);
        return;
    }
    if (!want)
        return;
    if (!ok && s[i].ptr) {
        /* The program counted on the bigger block: it would have moved. */
        void *q = ops->realloc(st->cfg->ctx, s[i].ptr, size, align);
        ev->diverged = q != NULL;
        ok = q != NULL;
        if (q)
            s[i].ptr = q;
    }
    ev->failed = !ok;
    s[i].exact = s[i].exact && ok;
    live_add(st, rec, size, s[i].size);
    s[i].size = size;
    if (ok)
        note_block(st, s[i].ptr, size);
}

int fhr_replay(const fhr_replay_cfg *cfg, const void *trace, size_t len, fhr_result *out)
{
    fhr_result zero = {0};
    *out = zero;
    out->first_failure = UINT32_MAX;
    replay st = {cfg, cfg->ops, cfg->nslots - 1u, out};
    for (size_t i = 0; i < cfg->nslots; i++)
        cfg->slots[i].key = 0;

    fhr_reader rd;
    int status = fhr_open(&rd, trace, len);
    fhr_record rec;
    while (status == FHR_OK && (status = fhr_next(&rd, &rec)) == FHR_OK) {
        fhr_event ev = {&rec, 0, false, false, 0};
        switch (rec.op) {
        case FH_TRACE_ALLOC:
        case FH_TRACE_ALLOC_ZEROED:
            status = do_alloc(&st, &rec, &ev);
            break;
        case FH_TRACE_FREE:
        case FH_TRACE_FREE_SIZED:
            do_free(&st, &rec);
            break;
        case FH_TRACE_REALLOC:
            status = do_realloc(&st, &rec, &ev);
            break;
        case FH_TRACE_RESIZE:
            do_resize(&st, &rec, &ev);
            break;
        case FH_TRACE_REGION:
            out->regions++;
            break;
        default: /* MARK, END: nothing to replay */
            break;
        }
        if (status != FHR_OK) {
            out->error_record = rec.index;
            out->error_offset = rec.offset;
            return status;
        }
        out->records++;
        out->divergences += ev.diverged;
        ev.live_bytes = out->live_bytes;
        if (cfg->observe)
            cfg->observe(cfg->octx, &ev);
        if (ev.failed) {
            if (out->failures++ == 0)
                out->first_failure = rec.index;
            if (cfg->flags & FHR_STOP_AT_FAILURE)
                return FHR_OK;
        }
    }
    if (status == FHR_END)
        return FHR_OK;
    out->error_record = rd.index;
    out->error_offset = (uint32_t)rd.pos;
    return status;
}

/* ---- sizing ------------------------------------------------------------- */

/* size * pct / 100 without overflowing for any size that fits. */
static size_t scale_pct(size_t size, unsigned pct)
{
    return size / 100u * pct + size % 100u * pct / 100u;
}

static bool attempt(fhr_try_fn try_fn, void *ctx, size_t size, fhr_size_result *out)
{
    out->tries++;
    return try_fn(ctx, size);
}

bool fhr_find_size(fhr_try_fn try_fn, void *ctx, size_t lo, size_t hi, size_t step,
                   unsigned margin_pct, fhr_size_result *out)
{
    fhr_size_result zero = {0};
    *out = zero;
    if (step == 0)
        step = 1;
    if (hi < lo)
        hi = lo;
    hi = lo + (hi - lo + step - 1u) / step * step;
    if (!attempt(try_fn, ctx, hi, out))
        return false;

    /* Bisection on the grid: pass completes, fail does not (or is lo - step). */
    size_t pass = hi;
    if (attempt(try_fn, ctx, lo, out)) {
        pass = lo;
    } else {
        size_t failed = lo;
        while (pass - failed > step) {
            size_t mid = failed + (pass - failed) / step / 2u * step;
            if (attempt(try_fn, ctx, mid, out))
                pass = mid;
            else
                failed = mid;
        }
    }
    out->smallest = pass;

    /* Every size from the answer up to its margin must complete too; a
     * failure moves the answer past it. */
    size_t stable = pass, cap = hi <= SIZE_MAX / 4u ? 4u * hi : SIZE_MAX;
    for (size_t x = pass + step; x <= scale_pct(stable, margin_pct); x += step) {
        if (x > cap)
            return false;
        if (!attempt(try_fn, ctx, x, out)) {
            if (out->regressions++ == 0)
                out->first_regression = x;
            stable = x + step;
        }
    }
    out->stable = stable;
    size_t want = scale_pct(stable, margin_pct);
    out->recommended = (want + step - 1u) / step * step;
    return true;
}
