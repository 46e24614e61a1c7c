/*
 * firmheap behind the bench interface: the instance API called directly (no
 * lock, no default heap), which is what firmware pays per call on one core.
 * The counter reads sit right around each library call. BENCH_FH_NAME says
 * which build of the library is linked (fh-O2, fh-Os).
 *
 * Every entry point the battery can time is here: fh_alloc, fh_free,
 * fh_free_sized, fh_realloc, fh_resize_in_place; fh_check and the stats
 * judge the heap after each job, fh_walk draws heap maps. The constructed
 * worst cases (bench/worst.c) reach the heap through bench_fh_heap().
 */
#include "bench.h"
#include "firmheap.h"

#ifndef BENCH_FH_NAME
#define BENCH_FH_NAME "fh"
#endif

static fh_heap *heap;

fh_heap *bench_fh_heap(void);
fh_heap *bench_fh_heap(void) { return heap; }

static bool b_init(void *base, size_t size)
{
    heap = fh_init(base, size);
    return heap != 0;
}

static void *b_alloc(size_t size, size_t align, uint32_t *cost)
{
    void *p;
    BENCH_TIMED(*cost, p = fh_alloc(heap, size, align));
    return p;
}

static void b_free(void *ptr, size_t size, size_t align, uint32_t *cost)
{
    (void)size;
    (void)align;
    BENCH_TIMED(*cost, fh_free(heap, ptr));
}

static void b_free_sized(void *ptr, size_t size, size_t align, uint32_t *cost)
{
    BENCH_TIMED(*cost, fh_free_sized(heap, ptr, size, align));
}

static void *b_realloc(void *ptr, size_t old_size, size_t size, size_t align, uint32_t *cost)
{
    (void)old_size;
    void *p;
    BENCH_TIMED(*cost, p = fh_realloc(heap, ptr, size, align));
    return p;
}

/* fh_resize_in_place returns the new usable size on success and the
 * unchanged one on refusal; a refused shrink (a slab object asked for a
 * smaller class) also returns more than was asked. Success is the usable
 * size an allocation of (size, align) gets: the legacy hooks' rule. */
static bool b_resize(void *ptr, size_t size, size_t align, uint32_t *cost)
{
    size_t got;
    BENCH_TIMED(*cost, got = fh_resize_in_place(heap, ptr, size, align));
    return got != 0 && got == fh_usable_size_for(size, align);
}

/* Sound, and nothing was ever rejected: the workloads free only live blocks
 * (a sized free with a wrong layout would show up here). */
static bool b_check(void)
{
    fh_stats st;
    fh_get_stats(heap, &st);
    return fh_check(heap) && st.rejected_frees == 0;
}

static uint32_t b_live_allocs(void)
{
    fh_stats st;
    fh_get_stats(heap, &st);
    return st.live_allocs;
}

static void b_walk(void (*fn)(void *, void *, size_t, bool), void *ctx)
{
    fh_walk(heap, fn, ctx);
}

static size_t b_metadata(void)
{
    fh_stats st;
    fh_get_stats(heap, &st);
    return st.metadata_bytes;
}

const bench_alloc bench_adapter = {
    .name = BENCH_FH_NAME,
    .init = b_init,
    .alloc = b_alloc,
    .free = b_free,
    .free_sized = b_free_sized,
    .realloc = b_realloc,
    .resize = b_resize,
    .check = b_check,
    .live_allocs = b_live_allocs,
    .walk = b_walk,
    .metadata = b_metadata,
    .flags = BA_FIRMHEAP,
};
