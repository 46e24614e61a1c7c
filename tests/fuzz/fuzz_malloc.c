/*
 * Fuzz target (c): the malloc family and the five legacy Rust hooks over
 * the default heap, interleaved on the same blocks' heap, plus bad pointers
 * through each front end that takes one.
 *
 * The malloc family's rules (README "The contract", DESIGN.md): every block
 * aligned to max_align_t (or more, for memalign and friends); the usable
 * size is at least the request (malloc(0) is a unique block of its own);
 * calloc zeroes and checks its multiplication; realloc(NULL, n) is
 * malloc(n), realloc(p, 0) frees p, a failed realloc leaves the block as it
 * was; posix_memalign says EINVAL or ENOMEM. The hooks' rules
 * (include/firmheap_rust.h): true alignment, usable size exactly
 * __rust_usable_size(size, align) (a pure function), deallocate with any
 * old_size from the request to the usable size, reallocate that fails
 * leaves the block, reallocate_inplace that never moves and answers with
 * the usable size of whichever layout the block now has. Around it all, the
 * model's checks (fuzz.h): alignment, no overlap, kept contents, stats,
 * fh_check, the error hook, and the lock left released after every call.
 *
 * The default heap lives in a static array here (this file defines
 * __heap_start/__heap_end, at an odd base and size). Each input starts from
 * a fresh default heap: fh_init over the same region gives back the same
 * handle, which the test checks, so an input alone decides what happens.
 */
#include "fuzz.h"
#include "firmheap_rust.h"
#include "malloc_names.h"

#define M(name) FH_NAME(name)
#define MAX_SIZE (8u * 1024u)
#define MAX_ALIGN 4096u
#define ABI_ALIGN _Alignof(max_align_t)

enum { TAG_MALLOC, TAG_RUST };

/* The default heap's region: 48 KiB and a bit, 5 bytes into the array. */
#define HEAP_OFFSET 5
#define HEAP_BYTES 49163
unsigned char fz_default_heap_mem[HEAP_BYTES + 64] __attribute__((aligned(64)));
#define FZ_STR2(x) #x
#define FZ_STR(x) FZ_STR2(x)
__asm__(".globl __heap_start\n.set __heap_start, fz_default_heap_mem + " FZ_STR(HEAP_OFFSET) "\n"
        ".globl __heap_end\n.set __heap_end, __heap_start + " FZ_STR(HEAP_BYTES) "\n");
extern char __heap_start[], __heap_end[];

typedef struct {
    fz_input in;
    fz_model m;
    fh_heap *h;
    uint32_t rejected;
} state;

/* The malloc family's requests as the heap sees them: at least 1 byte, at
 * least ABI alignment. */
static void check_honest_failure(const state *s, size_t size, size_t align)
{
    fz_check_honest_failure(s->h, fz_request(&s->m, size ? size : 1u),
                            align > ABI_ALIGN ? align : ABI_ALIGN);
}

static void check_stats(state *s)
{
    fh_stats st;
    fh_get_stats(s->h, &st);
    fz_expect_unlocked();
    FZ_CHECK_EQ(st.used_bytes, fz_used(&s->m));
    FZ_CHECK_EQ(st.live_allocs, fz_live(&s->m));
    FZ_CHECK_EQ(st.rejected_frees, s->rejected);
    FZ_CHECK_EQ(st.free_bytes + st.used_bytes, st.total_bytes);
    FZ_CHECK(fh_check(s->h));
}

/* What malloc_usable_size says now must be what the model has. */
static void check_usable(const fz_block *b)
{
    FZ_CHECK_EQ(M(malloc_usable_size)(b->p), b->usable);
    fz_expect_no_error();
}

/* A block from a malloc-family call: ABI alignment at least, usable size at
 * least the request (1 for a request of 0). */
static void add_malloc_block(state *s, fz_block *b, void *p, size_t size, size_t align)
{
    size_t usable = M(malloc_usable_size)(p);
    fz_expect_no_error();
    if (usable < (size ? size : 1u))
        fz_fail(__FILE__, __LINE__, "malloc family: usable size below the request (usable, size)",
                usable, size);
    b->tag = TAG_MALLOC;
    fz_add(&s->m, b, p, size, align > ABI_ALIGN ? align : ABI_ALIGN, usable);
}

/* ---- the malloc family ---- */

static void op_malloc(state *s)
{
    fz_begin_op("malloc");
    fz_block *b = fz_pick_empty(&s->m, &s->in);
    uint8_t how = fz_byte(&s->in);
    size_t size = how < 16u ? 0u : fz_size(&s->in, MAX_SIZE);
    if (how >= 248u)
        size = SIZE_MAX - size; /* fails */
    if (b == NULL)
        return;
    void *p = M(malloc)(size);
    fz_expect_no_error();
    if (p == NULL) {
        check_honest_failure(s, size, ABI_ALIGN);
        return;
    }
    add_malloc_block(s, b, p, size, ABI_ALIGN);
}

static void op_calloc(state *s)
{
    fz_begin_op("calloc");
    fz_block *b = fz_pick_empty(&s->m, &s->in);
    size_t n = fz_size(&s->in, 64) - 1u, each = fz_size(&s->in, MAX_SIZE / 8u);
    if (fz_byte(&s->in) >= 240u)
        each = SIZE_MAX / (n ? n : 1u) + 1u; /* n * each overflows (or n is 0) */
    if (b == NULL)
        return;
    unsigned char *p = M(calloc)(n, each);
    fz_expect_no_error();
    size_t bytes;
    bool overflow = __builtin_mul_overflow(n, each, &bytes);
    if (p == NULL) {
        if (!overflow)
            check_honest_failure(s, bytes, ABI_ALIGN);
        return;
    }
    FZ_CHECK(!overflow);
    for (size_t i = 0; i < bytes; i++)
        if (p[i])
            fz_fail(__FILE__, __LINE__, "calloc: byte not zero (block, offset)", (uintptr_t)p, i);
    add_malloc_block(s, b, p, bytes, ABI_ALIGN);
}

static void op_realloc(state *s)
{
    fz_begin_op("realloc");
    fz_block *b = fz_pick(&s->m, &s->in);
    uint8_t how = fz_byte(&s->in);
    size_t size = how < 24u ? 0u : fz_size(&s->in, MAX_SIZE);
    if (b->p == NULL) {
        void *p = M(realloc)(NULL, size);
        fz_expect_no_error();
        if (p == NULL) { /* malloc(size): fails only when it must, 0 or not */
            check_honest_failure(s, size, ABI_ALIGN);
            return;
        }
        add_malloc_block(s, b, p, size, ABI_ALIGN);
        return;
    }
    fz_verify(b, b->usable);
    void *q = M(realloc)(b->p, size);
    fz_expect_no_error();
    if (size == 0) { /* frees; a C library may hand back a fresh block */
        fz_forget(&s->m, b);
        if (q)
            add_malloc_block(s, b, q, 0, ABI_ALIGN);
        return;
    }
    if (q == NULL) {
        fz_verify(b, b->usable);
        check_usable(b);
        check_honest_failure(s, size, ABI_ALIGN);
        return;
    }
    size_t usable = M(malloc_usable_size)(q);
    FZ_CHECK(usable >= size);
    /* realloc keeps the alignment it is given: the ABI's, whatever the
     * block had (a hook's block may have had more). */
    b->align = ABI_ALIGN;
    b->tag = TAG_MALLOC;
    fz_moved(&s->m, b, q, size, usable, fz_min(b->usable, usable));
}

static void op_free(state *s)
{
    fz_begin_op("free");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    if (b == NULL) {
        M(free)(NULL);
        fz_expect_no_error();
        return;
    }
    fz_verify(b, b->usable);
    M(free)(b->p); /* a hook's block too: one heap */
    fz_expect_no_error();
    fz_forget(&s->m, b);
}

/* aligned_alloc, memalign, posix_memalign; alignments of every kind. */
static void op_aligned(state *s)
{
    fz_begin_op("aligned allocation");
    fz_block *b = fz_pick_empty(&s->m, &s->in);
    uint8_t which = fz_byte(&s->in) % 3u;
    size_t size = fz_size(&s->in, MAX_SIZE), align = fz_align(&s->in, MAX_ALIGN);
    if (fz_byte(&s->in) < 48u)
        align = align * 3u + 4u; /* not a power of two (or 4) */
    /* 0 reads as "no particular alignment" (memalign), or EINVAL. */
    bool pow2 = (align & (align - 1u)) == 0;
    if (b == NULL)
        return;
    void *p = NULL;
    if (which == 2) {
        void *out = &p; /* must stay as it is unless it succeeds */
        int rc = M(posix_memalign)(&out, align, size);
        fz_expect_no_error();
        bool valid = align != 0 && pow2 && align % sizeof(void *) == 0;
        if (!valid) {
            FZ_CHECK_EQ(rc, 22); /* EINVAL */
            FZ_CHECK(out == &p);
            return;
        }
        if (rc != 0) {
            FZ_CHECK_EQ(rc, 12); /* ENOMEM */
            FZ_CHECK(out == &p);
            check_honest_failure(s, size, align);
            return;
        }
        p = out;
    } else {
        p = which ? M(memalign)(align, size) : M(aligned_alloc)(align, size);
        fz_expect_no_error();
        if (!pow2) { /* refused, as by every other entry point */
            FZ_CHECK(p == NULL);
            return;
        }
        if (p == NULL) {
            check_honest_failure(s, size, align);
            return;
        }
    }
    add_malloc_block(s, b, p, size, align);
}

/* ---- the Rust hooks ---- */

static void op_rust_allocate(state *s)
{
    fz_begin_op("__rust_allocate");
    fz_block *b = fz_pick_empty(&s->m, &s->in);
    size_t size = fz_size(&s->in, MAX_SIZE), align = fz_align(&s->in, MAX_ALIGN);
    if (align == 0)
        align = 1;
    if (b == NULL)
        return;
    uint8_t *p = __rust_allocate(size, align);
    fz_expect_no_error();
    if (p == NULL) {
        check_honest_failure(s, size, align);
        return;
    }
    b->tag = TAG_RUST;
    fz_add(&s->m, b, p, size, align, __rust_usable_size(size, align));
    check_usable(b);
}

/* An old_size liballoc may pass back: from the request to the usable size. */
static size_t old_size_of(const fz_block *b, fz_input *in)
{
    return b->size + fz_u32(in) % (b->usable - b->size + 1u);
}

static fz_block *pick_rust(state *s)
{
    fz_block *b = fz_pick_live(&s->m, &s->in);
    return b && b->tag == TAG_RUST ? b : NULL;
}

static void op_rust_deallocate(state *s)
{
    fz_begin_op("__rust_deallocate");
    fz_block *b = pick_rust(s);
    if (b == NULL)
        return;
    fz_verify(b, b->usable);
    __rust_deallocate(b->p, old_size_of(b, &s->in), b->align);
    fz_expect_no_error();
    fz_forget(&s->m, b);
}

static void op_rust_reallocate(state *s)
{
    fz_begin_op("__rust_reallocate");
    fz_block *b = pick_rust(s);
    size_t size = fz_size(&s->in, MAX_SIZE);
    bool to_zero = fz_byte(&s->in) < 8u;
    if (b == NULL)
        return;
    fz_verify(b, b->usable);
    size_t old = old_size_of(b, &s->in);
    if (to_zero) { /* not a layout: fails, the block stays */
        FZ_CHECK(__rust_reallocate(b->p, old, 0, b->align) == NULL);
        fz_expect_no_error();
        fz_verify(b, b->usable);
        check_usable(b);
        return;
    }
    uint8_t *q = __rust_reallocate(b->p, old, size, b->align);
    fz_expect_no_error();
    if (q == NULL) {
        fz_verify(b, b->usable);
        check_usable(b);
        check_honest_failure(s, size, b->align);
        return;
    }
    size_t usable = __rust_usable_size(size, b->align);
    fz_moved(&s->m, b, q, size, usable, fz_min(b->usable, usable));
    check_usable(b);
}

static void op_rust_inplace(state *s)
{
    fz_begin_op("__rust_reallocate_inplace");
    fz_block *b = pick_rust(s);
    size_t size = fz_size(&s->in, MAX_SIZE);
    if (b == NULL)
        return;
    size_t old = old_size_of(b, &s->in);
    size_t want = __rust_usable_size(size, b->align), was = __rust_usable_size(old, b->align);
    size_t got = __rust_reallocate_inplace(b->p, old, size, b->align);
    fz_expect_no_error();
    if (got == want) {
        fz_moved(&s->m, b, b->p, size, want, fz_min(b->usable, want));
    } else {
        FZ_CHECK_EQ(got, was); /* nothing changed */
        FZ_CHECK(!fz_shrink_must_succeed(b, want, b->align));
        fz_verify(b, b->usable);
    }
    check_usable(b);
}

static void op_rust_usable(state *s)
{
    fz_begin_op("__rust_usable_size");
    size_t size = fz_size(&s->in, MAX_SIZE), align = fz_align(&s->in, MAX_ALIGN);
    if (align == 0)
        align = 1;
    size_t u = __rust_usable_size(size, align);
    FZ_CHECK_EQ(u, __rust_usable_size(size, align)); /* pure */
    FZ_CHECK_EQ(u, fh_default_usable_size_for(size, align)); /* the default heap's own rule */
    FZ_CHECK(u >= size);
    fz_expect_no_error();
}

/* ---- bad pointers ---- */

static bool owned(const void *p)
{
    return fh_owns(fh_default(), p);
}

static void op_bad_pointer(state *s)
{
    fz_begin_op("bad pointer");
    uint8_t entry = fz_byte(&s->in) % 6u;
    void *p = fz_bad_pointer(&s->m, &s->in);
    unsigned kinds = fz_bad_kinds(&s->m, p, owned(p));
    fz_expect_unlocked();
    if (kinds == 0)
        return;
    switch (entry) {
    case 0: M(free)(p); break;
    case 1: FZ_CHECK(M(realloc)(p, 64) == NULL); break;
    case 2: __rust_deallocate(p, 16, 16); break;
    case 3: FZ_CHECK(__rust_reallocate(p, 16, 64, 16) == NULL); break;
    case 4: /* fails like a block with no room: answers with the old layout */
        FZ_CHECK_EQ(__rust_reallocate_inplace(p, 16, 64, 16), __rust_usable_size(16, 16));
        break;
    default:
        FZ_CHECK_EQ(M(malloc_usable_size)(p), 0u); /* reported, not counted */
        fz_expect_error(kinds, p);
        return;
    }
    fz_expect_error(kinds, p);
    s->rejected += FZ_DEFAULT_HEAP_COUNTS_BAD_POINTERS;
}

/* __rust_deallocate with a layout the block never had. */
static void op_rust_mismatch(state *s)
{
    fz_begin_op("__rust_deallocate size mismatch");
    fz_block *b = pick_rust(s);
    uint32_t k = fz_u32(&s->in);
    if (b == NULL)
        return;
    size_t size = b->usable + 1u + k % 4096u;
    __rust_deallocate(b->p, size, b->align);
    fz_expect_error(FZ_KIND(FH_ERR_SIZE_MISMATCH), b->p);
    s->rejected++;
    fz_verify(b, b->usable);
    check_usable(b);
}

static void op_usable(state *s)
{
    fz_begin_op("malloc_usable_size");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    if (b)
        check_usable(b);
    FZ_CHECK_EQ(M(malloc_usable_size)(NULL), 0u);
    fz_expect_no_error();
}

/* ---- the driver ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static state s;
    fz_start(&s.in, data, size);
    /* A fresh default heap: the same handle, all state cleared. */
    s.h = fh_default();
    FZ_CHECK(s.h != NULL);
    if (fh_init(__heap_start, (size_t)(__heap_end - __heap_start)) != s.h)
        fz_fail(__FILE__, __LINE__, "fh_init over the default heap's region moved its handle", 0, 0);
    fz_model_init(&s.m, (uintptr_t)__heap_start, (uintptr_t)__heap_end, FZ_DEFAULT_HEAP_EXTRA);
    s.rejected = 0;
    while (fz_more(&s.in)) {
        switch (fz_byte(&s.in) % 14u) {
        case 0: op_malloc(&s); break;
        case 1: op_calloc(&s); break;
        case 2: op_realloc(&s); break;
        case 3: op_free(&s); break;
        case 4: op_aligned(&s); break;
        case 5: op_rust_allocate(&s); break;
        case 6: op_rust_deallocate(&s); break;
        case 7: op_rust_reallocate(&s); break;
        case 8: op_rust_inplace(&s); break;
        case 9: op_rust_usable(&s); break;
        case 10: op_bad_pointer(&s); break;
        case 11: op_rust_mismatch(&s); break;
        case 12: op_usable(&s); break;
        default: op_malloc(&s); break;
        }
        check_stats(&s);
    }
    fz_begin_op("free everything");
    fz_verify_all(&s.m);
    for (unsigned i = 0; i < FZ_SLOTS; i++)
        if (s.m.slot[i].p) {
            M(free)(s.m.slot[i].p);
            fz_forget(&s.m, &s.m.slot[i]);
        }
    fz_expect_no_error();
    check_stats(&s);
    return 0;
}
