/*
 * firmheap's buddy heap behind the bench interface: the instance API called
 * directly (no lock, no default heap), which is the cost firmware pays per
 * call on one core. The counter reads sit right around the library call.
 */
#include "bench.h"
#include "firmheap.h"

static fh_heap *heap;

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

static void b_free(void *ptr, uint32_t *cost)
{
    BENCH_TIMED(*cost, fh_free(heap, ptr));
}

static void *b_realloc(void *ptr, size_t size, size_t align, uint32_t *cost)
{
    void *p;
    BENCH_TIMED(*cost, p = fh_realloc(heap, ptr, size, align));
    return p;
}

/* Sound, and nothing was ever rejected: the workloads free only live blocks. */
static bool b_check(void)
{
    fh_stats st;
    fh_get_stats(heap, &st);
    return fh_check(heap) && st.rejected_frees == 0;
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
    .name = "fh-buddy",
    .init = b_init,
    .alloc = b_alloc,
    .free = b_free,
    .realloc = b_realloc,
    .check = b_check,
    .walk = b_walk,
    .metadata = b_metadata,
    .flags = 0,
};
