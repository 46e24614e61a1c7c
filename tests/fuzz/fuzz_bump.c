/*
 * Fuzz target (b): the bump allocator. The input chooses the region (base
 * offset and size in a static arena), then a sequence of allocations, frees
 * and resizes of the newest block and of older ones, marks and releases,
 * resets, and bad pointers.
 *
 * The model is the bump contract itself: blocks are handed out upwards,
 * aligned, each exactly the size asked for; only the newest block can be
 * freed or resized, and only while it is the newest; a release drops every
 * block at or above its mark. After every operation fh_bump_used equals
 * the model's top, the failure and rejection counters agree, and every
 * block still holds its pattern when it is freed, resized or dropped.
 */
#include "fuzz.h"

#define ARENA_SIZE (64u * 1024u)
#define MAX_ALIGN 1024u
#define MAX_SIZE 4096u
#define MARKS 4u

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(4096)));

typedef struct {
    fz_input in;
    fz_model m;
    fh_bump b;
    uintptr_t start, top, end;
    fz_block *newest;       /* the block fh_bump_free/resize accept, or NULL */
    uintptr_t marks[MARKS]; /* marks taken, 0 for none */
    size_t peak;
    uint32_t failed, rejected;
} state;

static void check_state(const state *s)
{
    FZ_CHECK_EQ(fh_bump_used(&s->b), s->top - s->start);
    FZ_CHECK_EQ(fh_bump_mark(&s->b), s->top);
    FZ_CHECK_EQ(s->b.failed_allocs, s->failed);
    FZ_CHECK_EQ(s->b.rejected_frees, s->rejected);
    FZ_CHECK(s->b.peak >= s->top - s->start);
}

/* A release or reset makes everything at or above `top` free again: blocks
 * there are dropped, and a block that straddles it keeps only what lies
 * below (a stale mark the bump cannot see: the straddling block is no
 * longer the newest; see op_release and firmheap.h). */
static void drop_from(state *s, uintptr_t top)
{
    for (unsigned i = 0; i < FZ_SLOTS; i++) {
        fz_block *b = &s->m.slot[i];
        if (b->p == NULL || (uintptr_t)b->p + b->usable <= top)
            continue;
        fz_verify(b, b->usable);
        if ((uintptr_t)b->p >= top)
            fz_forget(&s->m, b);
        else
            b->size = b->usable = top - (uintptr_t)b->p;
    }
    if (s->newest && s->newest->p == NULL)
        s->newest = NULL;
    s->top = top;
}

static void op_alloc(state *s)
{
    fz_begin_op("bump alloc");
    fz_block *b = fz_pick_empty(&s->m, &s->in);
    size_t size = fz_size(&s->in, MAX_SIZE), align = fz_align(&s->in, MAX_ALIGN);
    if (fz_byte(&s->in) < 8u)
        size = 0; /* refused */
    if (b == NULL)
        return;
    unsigned char *p = fh_bump_alloc(&s->b, size, align);
    fz_expect_no_error();
    size_t a = align ? align : FH_GRANULE;
    uintptr_t at = (s->top + a - 1u) & ~(uintptr_t)(a - 1u);
    bool fits = size != 0 && at >= s->top && at <= s->end && size <= s->end - at;
    if (!fits) {
        FZ_CHECK(p == NULL);
        s->failed++;
        return;
    }
    FZ_CHECK_EQ((uintptr_t)p, at); /* the lowest aligned address above top */
    fz_add(&s->m, b, p, size, a, size);
    s->top = at + size;
    s->newest = b;
}

static void op_free(state *s)
{
    fz_begin_op("bump free");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    if (b == NULL)
        return;
    fz_verify(b, b->usable);
    fh_bump_free(&s->b, b->p);
    if (b == s->newest) {
        fz_expect_no_error();
        s->top = (uintptr_t)b->p;
        fz_forget(&s->m, b);
        s->newest = NULL;
        return;
    }
    /* An older block stays live: there is no record of where it ends. */
    fz_expect_error(FZ_KIND(FH_ERR_INTERIOR) | FZ_KIND(FH_ERR_DOUBLE_FREE), b->p);
    s->rejected++;
}

static void op_resize(state *s)
{
    fz_begin_op("bump resize");
    fz_block *b = fz_pick_live(&s->m, &s->in);
    size_t size = fz_size(&s->in, MAX_SIZE);
    if (fz_byte(&s->in) < 8u)
        size = 0; /* refused */
    if (b == NULL)
        return;
    size_t got = fh_bump_resize(&s->b, b->p, size);
    fz_expect_no_error(); /* an older block is valid; it just cannot change */
    bool ok = b == s->newest && size != 0 && size <= s->end - (uintptr_t)b->p;
    if (!ok) {
        FZ_CHECK_EQ(got, 0u);
        s->failed++;
        fz_verify(b, b->usable);
        return;
    }
    FZ_CHECK_EQ(got, size);
    fz_moved(&s->m, b, b->p, size, size, fz_min(b->usable, size));
    s->top = (uintptr_t)b->p + size;
}

static void op_mark(state *s)
{
    fz_begin_op("bump mark");
    uint8_t i = fz_byte(&s->in) % MARKS;
    s->marks[i] = fh_bump_mark(&s->b);
    FZ_CHECK_EQ(s->marks[i], s->top);
}

static void op_release(state *s)
{
    fz_begin_op("bump release");
    uintptr_t mark = s->marks[fz_byte(&s->in) % MARKS];
    if (mark == 0)
        return;
    bool ok = fh_bump_release(&s->b, mark);
    /* The newest block crosses the mark: a stale mark the bump can see. */
    const fz_block *n = s->newest;
    bool straddled = n && (uintptr_t)n->p < mark && (uintptr_t)n->p + n->usable > mark;
    if (mark < s->start || mark > s->top || straddled) { /* dropped earlier, or stale */
        FZ_CHECK(!ok);
        fz_expect_error(FZ_KIND(FH_ERR_INTERIOR) | FZ_KIND(FH_ERR_OUTSIDE), (const void *)mark);
        s->rejected++;
        return;
    }
    FZ_CHECK(ok);
    fz_expect_no_error();
    drop_from(s, mark);
}

static void op_reset(state *s)
{
    fz_begin_op("bump reset");
    fh_bump_reset(&s->b);
    fz_expect_no_error();
    drop_from(s, s->start);
    for (unsigned i = 0; i < MARKS; i++)
        s->marks[i] = 0;
}

/* Pointers that are no block at all: outside the region, or inside it
 * but not the newest block's start. */
static void op_bad_pointer(state *s)
{
    fz_begin_op("bump bad pointer");
    bool resize = fz_byte(&s->in) & 1u;
    void *p = fz_bad_pointer(&s->m, &s->in);
    uintptr_t a = (uintptr_t)p;
    if (fz_holding(&s->m, a) && fz_holding(&s->m, a)->p == p)
        return; /* a block's start: not a bad pointer here */
    bool inside = a >= s->start && a < s->end;
    if (resize) {
        FZ_CHECK_EQ(fh_bump_resize(&s->b, p, 16), 0u);
        if (a >= s->start && a < s->top) { /* inside a block: valid, refused */
            fz_expect_no_error();
            s->failed++;
            return;
        }
    } else {
        fh_bump_free(&s->b, p);
    }
    fz_expect_error(inside ? FZ_KIND(FH_ERR_INTERIOR) : FZ_KIND(FH_ERR_OUTSIDE), p);
    s->rejected++;
}

/* A NULL bump handle: the call fails and is reported, nothing faults. */
static void op_null_handle(state *s)
{
    fz_begin_op("bump NULL handle");
    switch (fz_byte(&s->in) % 3u) {
    case 0:
        FZ_CHECK(fh_bump_alloc(NULL, 16, 16) == NULL);
        fz_expect_error(FZ_KIND(FH_ERR_NULL_HEAP), NULL);
        break;
    case 1:
        fh_bump_free(NULL, arena);
        fz_expect_error(FZ_KIND(FH_ERR_NULL_HEAP), arena);
        break;
    default:
        FZ_CHECK_EQ(fh_bump_resize(NULL, arena, 16), 0u);
        fz_expect_error(FZ_KIND(FH_ERR_NULL_HEAP), arena);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static state s;
    fz_start(&s.in, data, size);
    size_t offset = fz_byte(&s.in) % 64u;
    size_t region = fz_size(&s.in, ARENA_SIZE - 64u);
    FZ_CHECK(!fh_bump_init(&s.b, arena + offset, 0));
    FZ_CHECK(fh_bump_init(&s.b, arena + offset, region));
    fz_expect_no_error();
    s.start = s.top = (uintptr_t)arena + offset;
    s.end = s.start + region;
    s.newest = NULL;
    s.failed = s.rejected = 0;
    for (unsigned i = 0; i < MARKS; i++)
        s.marks[i] = 0;
    fz_model_init(&s.m, s.start, s.end, 0);
    while (fz_more(&s.in)) {
        switch (fz_byte(&s.in) % 9u) {
        case 0: case 1: op_alloc(&s); break;
        case 2: op_free(&s); break;
        case 3: op_resize(&s); break;
        case 4: op_mark(&s); break;
        case 5: op_release(&s); break;
        case 6: op_reset(&s); break;
        case 7: op_bad_pointer(&s); break;
        default: op_null_handle(&s); break;
        }
        check_state(&s);
    }
    fz_begin_op("end");
    drop_from(&s, s.start);
    return 0;
}
