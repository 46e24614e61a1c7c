/*
 * The checked, timed primitives over the slot table (see slots.h for what
 * a slot holds and what is checked). Nothing here knows an allocator: each
 * call goes through the adapter, which times exactly the library call.
 */
#include "slots.h"

slot_state ss;
static uint32_t slots_hi; /* slots [hi, cap) are known empty */
static uint8_t next_tag;

#define SAMPLED_ABOVE (64u * 1024u) /* verify in full up to this size */
#define SAMPLED_ENDS 4096u          /* bytes verified in full at each end */
#define SAMPLED_STRIDE 256u         /* one word per stride in between */

static uint32_t pattern(uint8_t tag) { return 0x01010101u * tag; }

/* Word stores where the address allows (blocks are at least 8-aligned in
 * every generated workload; a trace may ask for less). */
static void fill(uint8_t *p, uint32_t from, uint32_t to, uint8_t tag)
{
    uint32_t w = pattern(tag);
    while (from < to && (((uintptr_t)p + from) & 3u))
        p[from++] = tag;
    for (; from + 4u <= to; from += 4u)
        *(uint32_t *)(void *)(p + from) = w;
    while (from < to)
        p[from++] = tag;
}

/* True if bytes [from, to) of p all hold tag, read a word per step; from a
 * multiple of 4, p word-aligned (else byte by byte). */
static bool same(const uint8_t *p, uint32_t from, uint32_t to, uint32_t step, uint8_t tag)
{
    uint32_t w = pattern(tag);
    if ((uintptr_t)p & 3u) {
        for (; from < to; from++)
            if (p[from] != tag)
                return false;
        return true;
    }
    for (; from + 4u <= to; from += step)
        if (*(const uint32_t *)(const void *)(p + from) != w)
            return false;
    for (from = to & ~3u; step == 4u && from < to; from++)
        if (p[from] != tag)
            return false;
    return true;
}

static bool verify(const uint8_t *p, uint32_t n, uint8_t tag)
{
    if (n <= SAMPLED_ABOVE)
        return same(p, 0, n, 4u, tag);
    uint32_t tail = (n - SAMPLED_ENDS) & ~3u;
    return same(p, 0, SAMPLED_ENDS, 4u, tag) && same(p, tail, n, 4u, tag) &&
           same(p, SAMPLED_ENDS, tail, SAMPLED_STRIDE, tag);
}

static void note_block(slot *s)
{
    uint64_t end = (uint64_t)(uintptr_t)s->ptr + s->size - (uintptr_t)ss.region;
    if (end > ss.top)
        ss.top = end;
    if (ss.live > ss.peak_live)
        ss.peak_live = ss.live;
    uint32_t i = (uint32_t)(s - ss.slots) + 1u;
    if (i > slots_hi)
        slots_hi = i;
}

bool s_alloc(const bench_alloc *a, slot *s, uint32_t size, uint32_t align)
{
    uint32_t t;
    void *p = a->alloc(size, align, &t);
    if (!p) {
        bench_record(OP_ALLOC_FAIL, t);
        ss.alloc_fails++;
        s->ptr = 0;
        return false;
    }
    bench_record(OP_ALLOC, t);
    if ((uintptr_t)p & (align - 1u))
        bench_fail("misaligned block, align", align);
    s->ptr = p;
    s->size = size;
    s->tag = ++next_tag;
    s->align_log2 = (uint8_t)__builtin_ctz(align);
    fill(s->ptr, 0, size, s->tag);
    ss.live += size;
    note_block(s);
    return true;
}

bool s_alloc_dist(const bench_alloc *a, slot *s, const bench_dist *d, uint32_t *rng)
{
    uint32_t size, align;
    d->draw(rng, &size, &align);
    return s_alloc(a, s, size, align);
}

void s_free(const bench_alloc *a, slot *s)
{
    uint32_t t;
    if (!verify(s->ptr, s->size, s->tag))
        bench_fail("block contents changed while live, size", s->size);
    size_t align = (size_t)1 << s->align_log2;
    if (ss.sized && a->free_sized)
        a->free_sized(s->ptr, s->size, align, &t);
    else
        a->free(s->ptr, s->size, align, &t);
    bench_record(OP_FREE, t);
    ss.live -= s->size;
    s->ptr = 0;
}

/* After a resize to size: the old bytes must have survived, the new ones
 * get the tag. */
static void resized(slot *s, uint8_t *p, uint32_t size)
{
    uint32_t keep = size < s->size ? size : s->size;
    if ((uintptr_t)p & (((uintptr_t)1 << s->align_log2) - 1u))
        bench_fail("resize lost alignment", (uint64_t)1 << s->align_log2);
    if (!verify(p, keep, s->tag))
        bench_fail("resize lost data, old size", s->size);
    fill(p, keep, size, s->tag);
    ss.live = ss.live - s->size + size;
    s->ptr = p;
    s->size = size;
    note_block(s);
}

bool s_realloc(const bench_alloc *a, slot *s, uint32_t size)
{
    uint32_t t;
    if (!verify(s->ptr, s->size, s->tag))
        bench_fail("block contents changed before realloc, size", s->size);
    void *p = a->realloc(s->ptr, s->size, size, (size_t)1 << s->align_log2, &t);
    if (!p) {
        bench_record(OP_REALLOC_FAIL, t);
        ss.alloc_fails++;
        if (!verify(s->ptr, s->size, s->tag))
            bench_fail("failed realloc damaged the old block, size", s->size);
        return false;
    }
    bench_record(p == s->ptr ? OP_REALLOC_INPLACE : OP_REALLOC_MOVE, t);
    resized(s, p, size);
    return true;
}

bool s_resize(const bench_alloc *a, slot *s, uint32_t size)
{
    uint32_t t;
    bool ok = a->resize(s->ptr, size, (size_t)1 << s->align_log2, &t);
    bench_record(ok ? OP_RESIZE_OK : OP_RESIZE_FAIL, t);
    if (ok)
        resized(s, s->ptr, size);
    else if (!verify(s->ptr, s->size, s->tag))
        bench_fail("failed resize damaged the block, size", s->size);
    return ok;
}

bool slots_begin(const bench_alloc *a, const bench_job *j)
{
    static slot *table;
    static uint32_t cap;
    if (!table) {
        table = bench_slot_room(sizeof(slot), &cap);
        slots_hi = cap;
    }
    for (uint32_t i = 0; i < slots_hi; i++)
        table[i].ptr = 0;
    slots_hi = 0;
    ss = (slot_state){.slots = table, .cap = cap, .heap = j->heap, .sized = j->sized};
    ss.region = bench_region(j->heap, j->base);
    if (!ss.region) {
        bench_fail("no room for a region of bytes", j->heap);
        return false;
    }
    if (!a->init(ss.region, j->heap)) {
        bench_fail("heap init failed, bytes", j->heap);
        return false;
    }
    return true;
}

void slots_end(const bench_alloc *a)
{
    for (uint32_t i = 0; i < slots_hi; i++)
        if (ss.slots[i].ptr)
            s_free(a, &ss.slots[i]);
    if (a->check && !a->check())
        bench_fail("allocator self-check failed after the job", 0);
    if (a->live_allocs && a->live_allocs() != 0)
        bench_fail("allocations still live after freeing everything", a->live_allocs());
}

void s_churn(const bench_alloc *a, uint32_t n, uint32_t steps, const bench_dist *d, uint32_t *rng)
{
    while (steps--) {
        slot *s = &ss.slots[bench_range(rng, 0, n - 1u)];
        if (s->ptr)
            s_free(a, s);
        else
            s_alloc_dist(a, s, d, rng);
    }
}

uint32_t s_fill(const bench_alloc *a, uint32_t from, const bench_dist *d, uint32_t *rng)
{
    while (from < ss.cap && s_alloc_dist(a, &ss.slots[from], d, rng))
        from++;
    if (from == ss.cap)
        bench_fail("slot table full before the heap, slots", ss.cap);
    return from;
}

void s_free_half(const bench_alloc *a, uint32_t n, uint32_t *rng)
{
    uint32_t live = 0;
    for (uint32_t i = 0; i < n; i++)
        live += ss.slots[i].ptr != 0;
    uint32_t want = live / 2u;
    for (uint32_t i = 0; i < n && want; i++) {
        if (!ss.slots[i].ptr)
            continue;
        if (bench_range(rng, 0, live - 1u) < want) {
            s_free(a, &ss.slots[i]);
            want--;
        }
        live--;
    }
}

uint32_t s_compact(uint32_t n)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (ss.slots[i].ptr) {
            ss.slots[k] = ss.slots[i];
            if (k != i)
                ss.slots[i].ptr = 0;
            k++;
        }
    return k;
}
