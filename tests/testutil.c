/*
 * Implementation of the shared test helpers (see testutil.h). The error hook
 * here replaces the library's weak default in every test build, host and
 * target, so tests can assert on exactly what was rejected. The heap map
 * and first-failure helpers only print: no libc, so no printf.
 */
#include "testutil.h"
#include "heap_internal.h"

unsigned tu_errors;
fh_error tu_last_error;
const void *tu_last_ptr;

void fh_error_hook(const fh_heap *h, fh_error err, const void *ptr)
{
    (void)h;
    tu_errors++;
    tu_last_error = err;
    tu_last_ptr = ptr;
}

void tu_reset_errors(void)
{
    tu_errors = 0;
    tu_last_error = (fh_error)0;
    tu_last_ptr = NULL;
}

fh_heap *tu_heap(size_t offset, size_t size, size_t *region_size)
{
    size_t arena_size;
    unsigned char *arena = th_arena(&arena_size);
    if (offset >= arena_size)
        return NULL;
    if (size == 0 || size > arena_size - offset)
        size = arena_size - offset;
    if (region_size)
        *region_size = size;
    return fh_init(arena + offset, size);
}

static inline uint8_t pattern(uint32_t seed, size_t i)
{
    uint32_t x = seed ^ (uint32_t)(i * 2654435761u);
    return (uint8_t)(x ^ (x >> 13) ^ (x >> 24));
}

void tu_fill(void *p, size_t n, uint32_t seed)
{
    uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        b[i] = pattern(seed, i);
}

bool tu_verify(const void *p, size_t n, uint32_t seed)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != pattern(seed, i))
            return false;
    return true;
}

typedef struct {
    uintptr_t from;   /* count free bytes from here ... */
    size_t free_after;
    bool stopped;     /* ... until the first live block */
    size_t largest;
} walk_ctx;

static void walk_free_after(void *ctx, void *addr, size_t size, bool used)
{
    walk_ctx *w = ctx;
    if (!used && size > w->largest)
        w->largest = size;
    /* Blocks come in address order and from is a block boundary. */
    if ((uintptr_t)addr < w->from || w->stopped)
        return;
    if (used)
        w->stopped = true;
    else
        w->free_after += size;
}

size_t tu_free_after(const fh_heap *h, const void *p, size_t n)
{
    walk_ctx w = {(uintptr_t)p + n, 0, false, 0};
    fh_walk(h, walk_free_after, &w);
    return w.free_after;
}

size_t tu_largest_free(const fh_heap *h)
{
    walk_ctx w = {0, 0, false, 0};
    fh_walk(h, walk_free_after, &w);
    return w.largest;
}

bool tu_run_can_grow(const fh_heap *h, const void *p, size_t usable, size_t need)
{
    size_t align = (size_t)fh_floor_pow2(need / FH_PAGE_SIZE) >> FH_RUN_SLACK;
    if (need <= usable)
        return true;
    if (!tu_aligned(p, (align ? align : 1u) * FH_PAGE_SIZE))
        return false;
    uintptr_t q = fh_page_of((const char *)p + usable), stop = fh_page_of((const char *)p + need);
    for (unsigned reads = 0; q < stop; reads++) {
        if (reads == FH_CONFIG_RUN_READS || q >= h->pend || PG_TYPE(*fh_pw(h, q)) != PG_FREE)
            return false;
        q += (uintptr_t)1 << PG_FIELD(*fh_pw(h, q));
    }
    return true;
}

size_t tu_default_used(void)
{
    size_t used = 0;
    fh_heap *h;
    for (unsigned i = 0; (h = fh_default_region(i)) != NULL; i++) {
        fh_stats s;
        fh_get_stats(h, &s);
        used += s.used_bytes;
    }
    return used;
}

#define TU_MAP_MAX 128u    /* entries printed; the rest are counted */
#define TU_MAP_PER_LINE 4u

/* Live blocks one by one; neighbouring free blocks merged into one extent
 * (a buddy heap splits free space into many aligned pieces). */
typedef struct {
    unsigned entries, blocks;
    uintptr_t free_at;
    size_t free_bytes;
} map_ctx;

static void map_entry(map_ctx *m, uintptr_t addr, size_t size, bool used)
{
    unsigned i = m->entries++;
    if (i >= TU_MAP_MAX)
        return;
    th_print(i % TU_MAP_PER_LINE ? " | " : "\n#   ");
    th_print_x(addr);
    th_print(used ? " used " : " free ");
    th_print_u(size);
}

static void map_flush_free(map_ctx *m)
{
    if (m->free_bytes)
        map_entry(m, m->free_at, m->free_bytes, false);
    m->free_bytes = 0;
}

static void map_block(void *ctx, void *addr, size_t size, bool used)
{
    map_ctx *m = ctx;
    m->blocks++;
    if (!used && m->free_bytes && m->free_at + m->free_bytes == (uintptr_t)addr) {
        m->free_bytes += size;
        return;
    }
    map_flush_free(m);
    if (used) {
        map_entry(m, (uintptr_t)addr, size, true);
    } else {
        m->free_at = (uintptr_t)addr;
        m->free_bytes = size;
    }
}

void tu_print_heap_map(const fh_heap *h)
{
    map_ctx m = {0};
    th_print("# heap map (fh_walk; address, used block or free extent, bytes):");
    fh_walk(h, map_block, &m);
    map_flush_free(&m);
    th_print("\n#   ");
    th_print_u(m.blocks);
    th_print(" blocks in ");
    th_print_u(m.entries);
    th_print(m.entries > TU_MAP_MAX ? " entries, the first ones shown\n" : " entries\n");
}

/* Once per test: a test that already failed has told its story. */
void tu_first_failure_begin(tu_first_failure *f)
{
    f->failures_before = th_failures();
    f->told = f->failures_before > 0;
}

bool tu_first_failure_now(tu_first_failure *f)
{
    if (f->told || th_failures() == f->failures_before)
        return false;
    f->told = true;
    return true;
}
