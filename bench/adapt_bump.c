/*
 * firmheap's bump allocator behind the bench interface. It can give memory
 * back only in LIFO order, through fh_bump_mark/fh_bump_release (fh_bump_free
 * takes back just the single most recent block), so the adapter remembers a
 * mark per live block and a free of the newest block is a timed release to
 * its mark: how firmware uses a bump heap for scratch buffers. Only the lifo
 * workload runs here (BA_LIFO_ONLY); anything else would be rejected and
 * fail the self-check. realloc resizes the newest block in place or fails.
 */
#include "bench.h"
#include "firmheap.h"

#define MARKS_MAX 8192u

static fh_bump bump;
static struct { void *ptr; uintptr_t mark; } marks[MARKS_MAX];
static uint32_t nr_marks;

static bool p_init(void *base, size_t size)
{
    nr_marks = 0;
    return fh_bump_init(&bump, base, size);
}

static void *p_alloc(size_t size, size_t align, uint32_t *cost)
{
    void *p;
    uintptr_t m = fh_bump_mark(&bump); /* bookkeeping, outside the timing */
    BENCH_TIMED(*cost, p = fh_bump_alloc(&bump, size, align));
    if (p && nr_marks < MARKS_MAX) {
        marks[nr_marks].ptr = p;
        marks[nr_marks++].mark = m;
    }
    return p;
}

static void p_free(void *ptr, size_t size, size_t align, uint32_t *cost)
{
    (void)size;
    (void)align;
    if (nr_marks && marks[nr_marks - 1u].ptr == ptr) {
        uintptr_t m = marks[--nr_marks].mark;
        bool ok;
        BENCH_TIMED(*cost, ok = fh_bump_release(&bump, m));
        if (!ok)
            bench_fail("fh_bump_release refused its own mark", m);
        return;
    }
    BENCH_TIMED(*cost, fh_bump_free(&bump, ptr)); /* rejected unless newest */
}

/* In place or not at all: a bump heap cannot move a block and free the old. */
static void *p_realloc(void *ptr, size_t old_size, size_t size, size_t align, uint32_t *cost)
{
    (void)old_size;
    size_t got;
    (void)align;
    BENCH_TIMED(*cost, got = fh_bump_resize(&bump, ptr, size));
    return got ? ptr : 0;
}

static bool p_check(void) { return bump.rejected_frees == 0; }

const bench_alloc bench_adapter = {
    .name = "fh-bump",
    .init = p_init,
    .alloc = p_alloc,
    .free = p_free,
    .realloc = p_realloc,
    .check = p_check,
    .flags = BA_LIFO_ONLY,
};
