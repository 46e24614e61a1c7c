/*
 * The shared part of the fuzz targets (see fuzz.h): input decoding, the
 * shadow model's bookkeeping and checks, the error hook and lock witnesses.
 * Host-only code: it may use libc (stderr, abort).
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- the input ---- */

static const fz_input *cur_input;
static const char *cur_op = "setup";
static unsigned long cur_op_number;

void fz_start(fz_input *in, const uint8_t *data, size_t size)
{
    *in = (fz_input){data, size, 0};
    cur_input = in;
    cur_op = "setup";
    cur_op_number = 0;
#ifdef FZ_FORCE_FAIL
    fz_fail(__FILE__, __LINE__, "forced failure (FORCE_FAIL)", 0, 0);
#endif
}

bool fz_more(const fz_input *in)
{
    return in->at < in->size;
}

uint8_t fz_byte(fz_input *in)
{
    return in->at < in->size ? in->data[in->at++] : 0;
}

uint32_t fz_u32(fz_input *in)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < 4; i++)
        v = v << 8 | fz_byte(in);
    return v;
}

size_t fz_size(fz_input *in, size_t max)
{
    unsigned bits = fz_byte(in) % 16u;
    size_t v = 1u + (fz_u32(in) & (((size_t)1 << bits) - 1u));
    return v > max ? 1u + v % max : v;
}

size_t fz_align(fz_input *in, size_t max)
{
    uint8_t b = fz_byte(in);
    if (b >= 240u)
        return 0;
    size_t a = (size_t)1 << (b % 16u);
    while (a > max)
        a >>= 1;
    return a;
}

/* ---- failing ---- */

void fz_begin_op(const char *name)
{
    fz_expect_no_error(); /* the previous operation said what it expected */
    fz_expect_unlocked();
    cur_op = name;
    cur_op_number++;
}

_Noreturn void fz_fail(const char *file, int line, const char *what, uintmax_t a, uintmax_t b)
{
    fprintf(stderr, "fuzz model: %s:%d: %s", file, line, what);
    if (a || b)
        fprintf(stderr, " (left %ju = %#jx, right %ju = %#jx)", a, a, b, b);
    fprintf(stderr, "\nfuzz model: in operation %lu (%s), input byte %zu of %zu\n",
            cur_op_number, cur_op, cur_input ? cur_input->at : 0u,
            cur_input ? cur_input->size : 0u);
    abort();
}

void fz_check_eq(uintmax_t a, uintmax_t b, const char *what, const char *file, int line)
{
    if (a != b)
        fz_fail(file, line, what, a, b);
}

/* ---- the shadow model ---- */

size_t fz_min(size_t a, size_t b)
{
    return a < b ? a : b;
}

bool fz_aligned(const void *p, size_t align)
{
    return align == 0 || ((uintptr_t)p & (align - 1u)) == 0;
}

/* Addresses of blocks freed lately, for double frees and stale pointers. */
#define FZ_FREED 8u
static uintptr_t freed[FZ_FREED];
static unsigned freed_next;

void fz_model_init(fz_model *m, uintptr_t lo, uintptr_t hi, size_t held_extra)
{
    for (unsigned i = 0; i < FZ_FREED; i++)
        freed[i] = 0;
    freed_next = 0;
    for (unsigned i = 0; i < FZ_SLOTS; i++)
        m->slot[i] = (fz_block){0};
    m->lo = lo;
    m->hi = hi;
    m->held_extra = held_extra;
    m->next_seed = 0x9E3779B9u;
}

fz_block *fz_pick(fz_model *m, fz_input *in)
{
    return &m->slot[fz_byte(in) % FZ_SLOTS];
}

/* The first slot at or after the input's choice that is live (or empty). */
static fz_block *pick_where(fz_model *m, fz_input *in, bool live)
{
    unsigned start = fz_byte(in) % FZ_SLOTS;
    for (unsigned i = 0; i < FZ_SLOTS; i++) {
        fz_block *b = &m->slot[(start + i) % FZ_SLOTS];
        if ((b->p != NULL) == live)
            return b;
    }
    return NULL;
}

fz_block *fz_pick_live(fz_model *m, fz_input *in)
{
    return pick_where(m, in, true);
}

fz_block *fz_pick_empty(fz_model *m, fz_input *in)
{
    return pick_where(m, in, false);
}

static uint8_t pattern(uint32_t seed, size_t i)
{
    uint32_t x = seed ^ (uint32_t)(i * 2654435761u);
    return (uint8_t)(x ^ (x >> 13) ^ (x >> 24));
}

static void fill(fz_model *m, fz_block *b)
{
    b->seed = m->next_seed;
    m->next_seed = m->next_seed * 1664525u + 1013904223u;
    for (size_t i = 0; i < b->usable; i++)
        b->p[i] = pattern(b->seed, i);
}

void fz_verify(const fz_block *b, size_t bytes)
{
    for (size_t i = 0; i < bytes; i++)
        if (b->p[i] != pattern(b->seed, i))
            fz_fail(__FILE__, __LINE__, "block contents changed (block address, byte offset)",
                    (uintptr_t)b->p, i);
}

void fz_verify_all(const fz_model *m)
{
    for (unsigned i = 0; i < FZ_SLOTS; i++)
        if (m->slot[i].p)
            fz_verify(&m->slot[i], m->slot[i].usable);
}

/* [p, p + n) inside the span and clear of every live block but `self`. */
static void check_place(const fz_model *m, const fz_block *self, const unsigned char *p, size_t n)
{
    uintptr_t a = (uintptr_t)p;
    if (a < m->lo || a > m->hi || n > m->hi - a)
        fz_fail(__FILE__, __LINE__, "block outside the heap (address, usable)", a, n);
    for (unsigned i = 0; i < FZ_SLOTS; i++) {
        const fz_block *o = &m->slot[i];
        if (o == self || o->p == NULL)
            continue;
        if (a < (uintptr_t)o->p + o->usable && (uintptr_t)o->p < a + n)
            fz_fail(__FILE__, __LINE__, "blocks overlap (new block, live block)", a,
                    (uintptr_t)o->p);
    }
}

void fz_add(fz_model *m, fz_block *b, void *p, size_t size, size_t align, size_t usable)
{
    if (!fz_aligned(p, align))
        fz_fail(__FILE__, __LINE__, "misaligned block (address, alignment)", (uintptr_t)p, align);
    check_place(m, b, p, usable);
    *b = (fz_block){p, size, align, usable, 0, b->tag};
    fill(m, b);
}

void fz_moved(fz_model *m, fz_block *b, void *p, size_t size, size_t usable, size_t kept)
{
    if (!fz_aligned(p, b->align))
        fz_fail(__FILE__, __LINE__, "misaligned block (address, alignment)", (uintptr_t)p,
                b->align);
    check_place(m, b, p, usable);
    b->p = p;
    b->size = size;
    b->usable = usable;
    fz_verify(b, kept); /* the seed is still the old one */
    fill(m, b);
}

size_t fz_used(const fz_model *m)
{
    size_t n = 0;
    for (unsigned i = 0; i < FZ_SLOTS; i++)
        n += m->slot[i].p ? m->slot[i].usable + m->held_extra : 0u;
    return n;
}

size_t fz_request(const fz_model *m, size_t size)
{
    return size <= SIZE_MAX - m->held_extra ? size + m->held_extra : 0u;
}

uint32_t fz_live(const fz_model *m)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < FZ_SLOTS; i++)
        n += m->slot[i].p != NULL;
    return n;
}

const fz_block *fz_holding(const fz_model *m, uintptr_t a)
{
    for (unsigned i = 0; i < FZ_SLOTS; i++) {
        const fz_block *b = &m->slot[i];
        if (b->p && a >= (uintptr_t)b->p && a - (uintptr_t)b->p < (b->usable ? b->usable : 1u))
            return b;
    }
    return NULL;
}

void fz_forget(fz_model *m, fz_block *b)
{
    (void)m;
    freed[freed_next++ % FZ_FREED] = (uintptr_t)b->p;
    b->p = NULL;
}

static unsigned char unrelated[64];

void *fz_bad_pointer(fz_model *m, fz_input *in)
{
    uint8_t how = fz_byte(in) % 6u;
    uint32_t k = fz_byte(in);
    const fz_block *b = fz_pick_live(m, in);
    switch (how) {
    case 0: /* inside a live block */
        if (b && b->usable > 1u)
            return b->p + 1u + k % (b->usable - 1u);
        break;
    case 1: /* the address of a block freed lately (maybe reused since) */
        if (freed[k % FZ_FREED])
            return (void *)freed[k % FZ_FREED];
        break;
    case 2: /* just past the span */
        return (void *)(m->hi + k);
    case 3: /* before the span */
        return (void *)(m->lo - 1u - k);
    case 4: /* a granule boundary inside the span, live or free */
        if (m->hi > m->lo)
            return (void *)(m->lo + ((k * FH_GRANULE * 7u) % (m->hi - m->lo)));
        break;
    default:
        break;
    }
    return unrelated + k % sizeof unrelated;
}

unsigned fz_bad_kinds(const fz_model *m, const void *ptr, bool owned)
{
    uintptr_t q = (uintptr_t)ptr;
    const fz_block *b = fz_holding(m, q);
    if (b && b->p == ptr)
        return 0;
    if (b) {
        if (!owned)
            fz_fail(__FILE__, __LINE__, "fh_owns denies a pointer inside a live block", q, 0);
        return FZ_KIND(FH_ERR_INTERIOR);
    }
    if (q < m->lo || q >= m->hi) {
        if (owned)
            fz_fail(__FILE__, __LINE__, "fh_owns claims a pointer outside the regions", q, 0);
        return FZ_KIND(FH_ERR_OUTSIDE);
    }
    if (!owned)
        return FZ_KIND(FH_ERR_OUTSIDE);
    /* In the area, in no live block: a free block's start (double free)
     * or inside one; which depends on merges the model does not see. */
    return FZ_KIND(FH_ERR_INTERIOR) | FZ_KIND(FH_ERR_DOUBLE_FREE);
}

static size_t pow2_ceil(size_t x)
{
    size_t p = 1;
    while (p < x)
        p <<= 1;
    return p;
}

bool fz_could_serve(const fh_heap *h, size_t size, size_t align)
{
    if (align == 0)
        align = FH_GRANULE;
    size_t usable = fh_usable_size_for(size, align);
    if (usable == 0)
        return false; /* an invalid request: nothing serves it */
    size_t need = pow2_ceil(usable > align ? usable : align);
    if (need < FZ_SLAB_RUN_MAX)
        need = FZ_SLAB_RUN_MAX; /* room for a new slab of any class */
    fh_stats st;
    fh_get_stats(h, &st);
    return need <= st.largest_free;
}

bool fz_shrink_must_succeed(const fz_block *b, size_t want, size_t align)
{
    return fz_aligned(b->p, align) && want <= b->usable && b->usable % FH_PAGE_SIZE == 0 &&
           want % FH_PAGE_SIZE == 0;
}

void fz_check_honest_failure(const fh_heap *h, size_t size, size_t align)
{
    if (fz_could_serve(h, size, align))
        fz_fail(__FILE__, __LINE__, "allocation failed with a large enough free block (size, align)",
                size, align);
}

/* ---- the error hook witness ---- */

static unsigned err_calls;
static fh_error err_kind;
static const void *err_ptr;

void fh_error_hook(const fh_heap *h, fh_error err, const void *ptr)
{
    (void)h;
    err_calls++;
    err_kind = err;
    err_ptr = ptr;
}

void fz_expect_no_error(void)
{
    if (err_calls)
        fz_fail(__FILE__, __LINE__, "error hook called for a valid operation (kind, pointer)",
                err_kind, (uintptr_t)err_ptr);
}

unsigned fz_allow_error(unsigned kinds, const void *ptr)
{
    unsigned n = err_calls;
    if (n > 1u)
        fz_fail(__FILE__, __LINE__, "error hook called more than once (calls, pointer)", n,
                (uintptr_t)ptr);
    if (n == 1u && !(kinds & FZ_KIND(err_kind)))
        fz_fail(__FILE__, __LINE__, "error hook: wrong kind (kind, expected kinds mask)",
                err_kind, kinds);
    if (n == 1u && err_ptr != ptr)
        fz_fail(__FILE__, __LINE__, "error hook: wrong pointer (reported, expected)",
                (uintptr_t)err_ptr, (uintptr_t)ptr);
    err_calls = 0;
    return n;
}

void fz_expect_error(unsigned kinds, const void *ptr)
{
    if (err_calls == 0)
        fz_fail(__FILE__, __LINE__, "bad pointer not reported to the error hook (pointer, kinds)",
                (uintptr_t)ptr, kinds);
    fz_allow_error(kinds, ptr);
}

void fz_expect_some_error(void)
{
    if (err_calls != 1u)
        fz_fail(__FILE__, __LINE__, "error hook: expected one report (calls)", err_calls, 1u);
    err_calls = 0;
}

/* ---- the lock witness ---- */

static int lock_depth;

void fh_lock(void)
{
    lock_depth++;
}

void fh_unlock(void)
{
    if (--lock_depth < 0)
        fz_fail(__FILE__, __LINE__, "fh_unlock without fh_lock", 0, 0);
}

void fz_expect_unlocked(void)
{
    if (lock_depth != 0)
        fz_fail(__FILE__, __LINE__, "fh_lock still held after a call (depth)", (uintmax_t)lock_depth,
                0);
}
