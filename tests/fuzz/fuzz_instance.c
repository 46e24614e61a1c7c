/*
 * Fuzz target (a): the instance API over one region. The input chooses the
 * region (base offset and size in a static arena), then a sequence of
 * operations: alloc, zeroed alloc, free, sized free, realloc (also from NULL
 * and to 0), resize in place, usable size, invalid requests, a walk, and
 * every kind of bad pointer through every entry point that takes one.
 *
 * After every operation: fh_check holds; the stats agree with the model
 * (used bytes, live allocations, rejected pointers, free + used = total);
 * the error hook heard exactly what the operation deserved. Per block:
 * alignment, no overlap, usable size exactly fh_usable_size_for(size,
 * align), contents kept across resizes and moves (min of old and new usable
 * size). An allocation may fail only if no free block could hold it.
 */
#include "fuzz.h"

#define ARENA_SIZE (512u * 1024u)
#define MAX_ALIGN 4096u
#define MAX_SIZE (16u * 1024u)

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(4096)));

typedef struct {
    fz_input in;
    fz_model m;
    fh_heap *h;
    size_t total;
    size_t largest; /* the fresh heap's largest free block */
    uint32_t rejected; /* what the model says fh_stats.rejected_frees is */
} state;

static size_t usable_for(size_t size, size_t align)
{
    return fh_usable_size_for(size, align);
}

static void check_stats(const state *s)
{
    fh_stats st;
    fh_get_stats(s->h, &st);
    FZ_CHECK_EQ(st.total_bytes, s->total);
    FZ_CHECK_EQ(st.used_bytes, fz_used(&s->m));
    FZ_CHECK_EQ(st.live_allocs, fz_live(&s->m));
    FZ_CHECK_EQ(st.free_bytes + st.used_bytes, st.total_bytes);
    FZ_CHECK(st.peak_used_bytes >= st.used_bytes);
    FZ_CHECK(st.largest_free <= st.free_bytes);
    FZ_CHECK_EQ(st.rejected_frees, s->rejected);
    FZ_CHECK(fh_check(s->h));
}

static void check_block(const state *s, const fz_block *b)
{
    FZ_CHECK_EQ(fh_usable_size(s->h, b->p), b->usable);
    fz_expect_no_error();
}

/* ---- operations on live blocks and fresh ones ---- */

static void op_alloc(state *s, bool zeroed)
{
    fz_begin_op(zeroed ? "alloc_zeroed" : "alloc");
    fz_block *b = fz_pick_empty(&s->m, &s->in);
    size_t size = fz_size(&s->in, MAX_SIZE), align = fz_align(&s->in, MAX_ALIGN);
    if (b == NULL)
        return;
    unsigned char *p = zeroed ? fh_alloc_zeroed(s->h, size, align) : fh_alloc(s->h, size, align);
    fz_expect_no_error();
    if (p == NULL) {
        fz_check_honest_failure(s->h, size, align);
        return;
    }
    size_t usable = usable_for(size, align);
    FZ_CHECK(usable >= size);
    if (zeroed)
        for (size_t i = 0; i < usable; i++)
            if (p[i])
                fz_fail(__FILE__, __LINE__, "fh_alloc_zeroed: byte not zero (block, offset)",
                        (uintptr_t)p, i);
    fz_add(&s->m, b, p, size, align, usable);
    check_block(s, b);
}

static void op_free(state *s, bool sized)
{
    fz_begin_op(sized ? "free_sized" : "free");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    uint32_t k = fz_u32(&s->in);
    if (b == NULL)
        return;
    fz_verify(b, b->usable);
    if (sized) /* any size from the request up to the usable size */
        fh_free_sized(s->h, b->p, b->size + k % (b->usable - b->size + 1u), b->align);
    else
        fh_free(s->h, b->p);
    fz_expect_no_error();
    fz_forget(&s->m, b);
}

/* realloc; from an empty slot it is realloc(NULL, ...). */
static void op_realloc(state *s)
{
    fz_begin_op("realloc");
    fz_block *b = fz_pick(&s->m, &s->in);
    size_t size = fz_size(&s->in, MAX_SIZE);
    bool to_zero = fz_byte(&s->in) < 16u, keep_align = fz_byte(&s->in) < 192u;
    size_t align = keep_align && b->p ? b->align : fz_align(&s->in, MAX_ALIGN);
    if (b->p == NULL) {
        unsigned char *p = fh_realloc(s->h, NULL, size, align);
        fz_expect_no_error();
        if (p == NULL) {
            fz_check_honest_failure(s->h, size, align);
            return;
        }
        fz_add(&s->m, b, p, size, align, usable_for(size, align));
        check_block(s, b);
        return;
    }
    fz_verify(b, b->usable);
    if (to_zero) {
        FZ_CHECK(fh_realloc(s->h, b->p, 0, align) == NULL); /* frees */
        fz_expect_no_error();
        fz_forget(&s->m, b);
        return;
    }
    unsigned char *q = fh_realloc(s->h, b->p, size, align);
    fz_expect_no_error();
    if (q == NULL) { /* nothing changed */
        fz_verify(b, b->usable);
        check_block(s, b);
        fz_check_honest_failure(s->h, size, align);
        return;
    }
    size_t usable = usable_for(size, align);
    b->align = align;
    fz_moved(&s->m, b, q, size, usable, fz_min(b->usable, usable));
    check_block(s, b);
}

static void op_resize(state *s)
{
    fz_begin_op("resize_in_place");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    size_t size = fz_size(&s->in, MAX_SIZE);
    size_t align = fz_byte(&s->in) < 192u && b ? b->align : fz_align(&s->in, MAX_ALIGN);
    if (b == NULL)
        return;
    size_t want = usable_for(size, align);
    size_t got = fh_resize_in_place(s->h, b->p, size, align);
    fz_expect_no_error();
    if (got == want && fz_aligned(b->p, align)) {
        b->align = align;
        fz_moved(&s->m, b, b->p, size, want, fz_min(b->usable, want));
    } else {
        /* Refused: nothing changed, and it was allowed to refuse. */
        FZ_CHECK_EQ(got, b->usable);
        FZ_CHECK(!fz_shrink_must_succeed(b, want, align));
        fz_verify(b, b->usable);
    }
    check_block(s, b);
}

static void op_usable(state *s)
{
    fz_begin_op("usable_size");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    if (b)
        check_block(s, b);
    FZ_CHECK_EQ(fh_usable_size(s->h, NULL), 0u);
    fz_expect_no_error();
    fh_free(s->h, NULL); /* a no-op, reported to nobody */
    fz_expect_no_error();
}

/* Requests the contract refuses: NULL, no report, nothing changes. */
static void op_invalid(state *s)
{
    fz_begin_op("invalid request");
    uint8_t how = fz_byte(&s->in) % 4u;
    size_t size = fz_size(&s->in, MAX_SIZE), align = fz_align(&s->in, MAX_ALIGN);
    if (align == 0)
        align = 16;
    switch (how) {
    case 0: size = 0; break;
    case 1: align = align * 3u; break;                     /* not a power of two */
    case 2: size = SIZE_MAX - (size % 64u); break;          /* rounding overflows */
    default: size = s->total + 1u + size; break;            /* larger than the heap */
    }
    /* The first three are invalid whatever the heap; the last is a valid
     * request that no heap this size can serve. */
    bool invalid = how < 3u;
    if (invalid)
        FZ_CHECK_EQ(usable_for(size, align), 0u);
    FZ_CHECK(fh_alloc(s->h, size, align) == NULL);
    FZ_CHECK(fh_alloc_zeroed(s->h, size, align) == NULL);
    fz_expect_no_error();
    fz_block *b = fz_pick_live(&s->m, &s->in);
    if (b && size != 0) { /* realloc to size 0 is a free, not a bad request */
        FZ_CHECK(fh_realloc(s->h, b->p, size, align) == NULL);
        fz_expect_no_error();
        fz_verify(b, b->usable);
        check_block(s, b);
    }
    if (b) { /* invalid: 0; too large: no room, nothing changed */
        FZ_CHECK_EQ(fh_resize_in_place(s->h, b->p, size, align), invalid ? 0u : b->usable);
        fz_expect_no_error();
        check_block(s, b);
    }
}

/* ---- bad pointers ---- */

static void op_bad_pointer(state *s)
{
    fz_begin_op("bad pointer");
    uint8_t entry = fz_byte(&s->in) % 5u;
    void *p = fz_bad_pointer(&s->m, &s->in);
    unsigned kinds = fz_bad_kinds(&s->m, p, fh_owns(s->h, p));
    if (kinds == 0)
        return; /* it picked a live block's start: not a bad pointer */
    switch (entry) {
    case 0: fh_free(s->h, p); break;
    case 1: fh_free_sized(s->h, p, 16, 16); break;
    case 2: FZ_CHECK(fh_realloc(s->h, p, 64, 16) == NULL); break;
    case 3: FZ_CHECK_EQ(fh_resize_in_place(s->h, p, 64, 16), 0u); break;
    default:
        /* A const entry point: reports, but never writes, not even a
         * counter (the stats check after the operation sees that). */
        FZ_CHECK_EQ(fh_usable_size(s->h, p), 0u);
        fz_expect_error(kinds, p);
        return;
    }
    fz_expect_error(kinds, p);
    s->rejected++;
}

/* fh_free_sized / realloc with a layout the block never had. */
static void op_size_mismatch(state *s)
{
    fz_begin_op("size mismatch");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    uint32_t k = fz_u32(&s->in);
    if (b == NULL)
        return;
    size_t size = b->usable + 1u + k % 4096u, align = b->align;
    if (k & 1u) { /* an alignment the block does not have */
        size = b->size;
        align = (size_t)1 << (unsigned)__builtin_ctzl((unsigned long)(uintptr_t)b->p | (1ul << 30));
        align <<= 1;
    }
    if (usable_for(size, align) == b->usable && fz_aligned(b->p, align))
        return; /* a layout that does match */
    fh_free_sized(s->h, b->p, size, align);
    fz_expect_error(FZ_KIND(FH_ERR_SIZE_MISMATCH), b->p);
    s->rejected++;
    fz_verify(b, b->usable);
    check_block(s, b);
}

/* A NULL heap handle is bad input like any other: the call fails, the
 * error hook hears of it, nothing faults, the real heap is untouched. */
static void op_null_handle(state *s)
{
    fz_begin_op("NULL heap handle");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    static unsigned char elsewhere[32];
    void *p = b ? (void *)b->p : (void *)elsewhere;
    fh_stats st;
    const void *named = p; /* what the report names: the pointer argument */
    switch (fz_byte(&s->in) % 7u) {
    case 0: FZ_CHECK(fh_alloc(NULL, 16, 16) == NULL); named = NULL; break;
    case 1: FZ_CHECK(fh_alloc_zeroed(NULL, 16, 16) == NULL); named = NULL; break;
    case 2: fh_free(NULL, p); break;
    case 3: FZ_CHECK(fh_realloc(NULL, p, 32, 16) == NULL); break;
    case 4: FZ_CHECK_EQ(fh_resize_in_place(NULL, p, 32, 16), 0u); break;
    case 5: fh_get_stats(NULL, &st); named = NULL; break;
    default: FZ_CHECK(!fh_check(NULL)); named = NULL; break;
    }
    fz_expect_error(FZ_KIND(FH_ERR_NULL_HEAP), named);
    if (b)
        fz_verify(b, b->usable);
}

/* ---- the walk ---- */

typedef struct {
    const state *s;
    uintptr_t next;     /* blocks come in address order */
    size_t used, free;
    uint32_t used_blocks;
} walk_ctx;

static void walk_block(void *ctx, void *addr, size_t size, bool used)
{
    walk_ctx *w = ctx;
    uintptr_t a = (uintptr_t)addr;
    if (a < w->next || size == 0)
        fz_fail(__FILE__, __LINE__, "fh_walk: blocks out of order or empty (address, size)", a, size);
    w->next = a + size;
    if (!used) {
        w->free += size;
        return;
    }
    const fz_block *b = fz_holding(&w->s->m, a);
    if (b == NULL || b->p != addr || b->usable != size)
        fz_fail(__FILE__, __LINE__, "fh_walk: a used block the model does not have (address, size)", a,
                size);
    w->used += size;
    w->used_blocks++;
}

static void op_walk(state *s)
{
    fz_begin_op("walk");
    walk_ctx w = {s, 0, 0, 0, 0};
    fh_walk(s->h, walk_block, &w);
    FZ_CHECK_EQ(w.used_blocks, fz_live(&s->m));
    FZ_CHECK_EQ(w.used, fz_used(&s->m));
    FZ_CHECK(w.used + w.free <= s->total); /* a slab's free objects are no blocks */
    fz_verify_all(&s->m);
}

/* ---- the driver ---- */

static void cleanup(state *s)
{
    fz_begin_op("free everything");
    fz_verify_all(&s->m);
    for (unsigned i = 0; i < FZ_SLOTS; i++)
        if (s->m.slot[i].p) {
            fh_free(s->h, s->m.slot[i].p);
            fz_forget(&s->m, &s->m.slot[i]);
        }
    fz_expect_no_error();
    check_stats(s);
    fh_stats st;
    fh_get_stats(s->h, &st);
    FZ_CHECK_EQ(st.used_bytes, 0u);
    FZ_CHECK_EQ(st.largest_free, s->largest); /* everything merged back */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static state s;
    fz_start(&s.in, data, size);
    size_t offset = fz_byte(&s.in) % 64u;
    size_t region = fz_byte(&s.in) < 32u ? fz_size(&s.in, 2048) : fz_size(&s.in, ARENA_SIZE - 64u);
    s.h = fh_init(arena + offset, region);
    fz_expect_no_error();
    if (s.h == NULL) {
        /* Refused: only a region too small for its bookkeeping may be. */
        FZ_CHECK(region < 8192u);
        return 0;
    }
    fh_stats st;
    fh_get_stats(s.h, &st);
    FZ_CHECK(st.total_bytes > 0u && st.total_bytes + st.metadata_bytes <= region);
    FZ_CHECK_EQ(st.used_bytes, 0u);
    s.total = st.total_bytes;
    s.largest = st.largest_free;
    s.rejected = 0;
    fz_model_init(&s.m, (uintptr_t)arena + offset, (uintptr_t)arena + offset + region, 0);
    check_stats(&s);
    while (fz_more(&s.in)) {
        switch (fz_byte(&s.in) % 12u) {
        case 0: op_alloc(&s, false); break;
        case 1: op_alloc(&s, true); break;
        case 2: op_free(&s, false); break;
        case 3: op_free(&s, true); break;
        case 4: op_realloc(&s); break;
        case 5: op_resize(&s); break;
        case 6: op_bad_pointer(&s); break;
        case 7: op_size_mismatch(&s); break;
        case 8: op_usable(&s); break;
        case 9: op_invalid(&s); break;
        case 10: op_walk(&s); break;
        default: op_null_handle(&s); break;
        }
        check_stats(&s);
    }
    cleanup(&s);
    return 0;
}
