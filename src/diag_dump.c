/*
 * fh_dump: a heap's statistics, a bar map and its blocks, as text through a
 * putc function (format in include/firmheap_diag.h).
 *
 * Built only on the public walkers, fh_get_stats and fh_walk, so it holds
 * whatever the allocator's internals become. fh_walk reports blocks in
 * address order, which gives three passes over the heap:
 *
 *   1. span   the first block's start and the last block's end;
 *   2. map    each block marks the bar cells it covers;
 *   3. blocks one line per live allocation, one per run of adjacent free
 *             blocks (a buddy heap splits free space into many aligned
 *             blocks; the run is what a reader wants to see).
 *
 * The bar's cells are a power of two bytes wide, chosen so that at most
 * FH_DUMP_COLS cover the span: no division anywhere (ARMv6-M has no divide
 * instruction, and the library must not need libgcc).
 */
#include "firmheap_diag.h"

#define FH_DUMP_COLS 64u

typedef struct {
    fh_putc_fn out;
    uintptr_t lo, hi;             /* span of all blocks */
    unsigned cell_shift;          /* a bar cell is 1 << cell_shift bytes */
    char bar[FH_DUMP_COLS + 1];
    uintptr_t run_addr;           /* pending run of free blocks, 0 if none */
    size_t run_size;
    uint32_t used_lines, free_lines;
} dump;

static void put(const dump *d, const char *s)
{
    while (*s)
        d->out(*s++);
}

static void put_dec(const dump *d, const char *key, uintmax_t v)
{
    char buf[FH_FMT_BUF];
    put(d, key);
    put(d, fh_fmt_dec(buf, v));
}

static void put_hex(const dump *d, const char *key, uintptr_t v)
{
    char buf[FH_FMT_BUF];
    put(d, key);
    put(d, fh_fmt_hex(buf, v));
}

static void span_block(void *ctx, void *addr, size_t size, bool used)
{
    dump *d = ctx;
    (void)used;
    if (d->lo == 0)
        d->lo = (uintptr_t)addr;
    d->hi = (uintptr_t)addr + size;
}

/* '#' used, '.' free, '+' both in one cell. */
static void map_block(void *ctx, void *addr, size_t size, bool used)
{
    dump *d = ctx;
    char mark = used ? '#' : '.';
    uintptr_t first = ((uintptr_t)addr - d->lo) >> d->cell_shift;
    uintptr_t last = ((uintptr_t)addr + size - 1u - d->lo) >> d->cell_shift;
    for (uintptr_t c = first; c <= last && c < FH_DUMP_COLS; c++)
        d->bar[c] = d->bar[c] == ' ' || d->bar[c] == mark ? mark : '+';
}

static void flush_free_run(dump *d)
{
    if (d->run_addr == 0)
        return;
    put_hex(d, "free addr=", d->run_addr);
    put_dec(d, " size=", d->run_size);
    put(d, "\n");
    d->free_lines++;
    d->run_addr = 0;
}

static void list_block(void *ctx, void *addr, size_t size, bool used)
{
    dump *d = ctx;
    if (!used && d->run_addr != 0 && d->run_addr + d->run_size == (uintptr_t)addr) {
        d->run_size += size;
        return;
    }
    flush_free_run(d);
    if (used) {
        put_hex(d, "used addr=", (uintptr_t)addr);
        put_dec(d, " size=", size);
        put(d, "\n");
        d->used_lines++;
    } else {
        d->run_addr = (uintptr_t)addr;
        d->run_size = size;
    }
}

/* Bar cells of 1 << shift bytes that span bytes need: ceil(span / cell). */
static uintptr_t cells_for(uintptr_t span, unsigned shift)
{
    return (span >> shift) + ((span & (((uintptr_t)1 << shift) - 1u)) != 0);
}

static void put_stats(const dump *d, const fh_stats *s)
{
    put_dec(d, "stats total=", s->total_bytes);
    put_dec(d, " used=", s->used_bytes);
    put_dec(d, " free=", s->free_bytes);
    put_dec(d, " peak=", s->peak_used_bytes);
    put_dec(d, " largest_free=", s->largest_free);
    put_dec(d, " bookkeeping=", s->metadata_bytes);
    put_dec(d, " live=", s->live_allocs);
    put_dec(d, " allocs=", s->allocs);
    put_dec(d, " frees=", s->frees);
    put_dec(d, " failed=", s->failed_allocs);
    put_dec(d, " rejected=", s->rejected_frees);
    put(d, "\nfree_blocks");
    for (unsigned k = 0; k < FH_NR_ORDERS; k++) {
        if (s->free_blocks[k] == 0)
            continue;
        put_dec(d, " ", k);
        put_dec(d, ":", s->free_blocks[k]);
    }
    put(d, "\n");
}

void fh_dump(const fh_heap *h, fh_putc_fn putc_fn)
{
    if (putc_fn == NULL)
        return;
    /* Field by field: a whole-struct initialiser may become a memset call. */
    dump d;
    d.out = putc_fn;
    d.lo = d.hi = d.run_addr = 0;
    d.run_size = 0;
    d.cell_shift = 0;
    d.used_lines = d.free_lines = 0;
    if (h == NULL) {
        put(&d, "fh_dump heap=none\n");
        return;
    }
    put_hex(&d, "fh_dump heap=", (uintptr_t)h);
    put(&d, "\n");
    fh_stats s;
    fh_get_stats(h, &s);
    put_stats(&d, &s);

    fh_walk(h, span_block, &d);
    while (cells_for(d.hi - d.lo, d.cell_shift) > FH_DUMP_COLS)
        d.cell_shift++;
    for (unsigned c = 0; c < FH_DUMP_COLS; c++)
        d.bar[c] = ' ';
    fh_walk(h, map_block, &d);
    d.bar[cells_for(d.hi - d.lo, d.cell_shift)] = '\0';
    put_hex(&d, "map start=", d.lo);
    put_hex(&d, " end=", d.hi);
    put_dec(&d, " cell=", (uintptr_t)1 << d.cell_shift);
    put(&d, " [");
    put(&d, d.bar);
    put(&d, "]\n");

    fh_walk(h, list_block, &d);
    flush_free_run(&d);
    put_dec(&d, "end used=", d.used_lines);
    put_dec(&d, " free=", d.free_lines);
    put(&d, "\n");
}
