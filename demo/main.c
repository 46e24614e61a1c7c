/*
 * The demo firmware behind `make run`: a guided tour of firmheap on a real
 * (emulated) board, printed over semihosting.
 *
 *   1. the default heap, as the linker script defined it (__heap_start/end)
 *   2. allocations at several alignments (alignment comes from the buddy
 *      structure, not from padding: the addresses show it)
 *   3. growing and shrinking a block in place
 *   4. the five legacy Rust allocator hooks
 *   5. the statistics and a map of the heap: fh_dump, the library's own
 *      (tools/heapmap turns this part of the output into a picture)
 *
 * Exits 0 if every step behaved and fh_check holds, 1 otherwise.
 */
#include "firmheap.h"
#include "firmheap_diag.h"
#include "firmheap_rust.h"
#include "fw.h"

extern char __heap_start[], __heap_end[];

static int failures;

static void expect(bool ok, const char *what)
{
    if (!ok) {
        fw_print("  !! unexpected: ");
        fw_print(what);
        fw_print("\n");
        failures++;
    }
}

static void kv(const char *key, uintmax_t value, const char *unit)
{
    fw_print("  ");
    fw_print_pad(key, 18);
    fw_print(" ");
    fw_print_dec(value);
    fw_print(unit);
    fw_print("\n");
}

static void show_region(void)
{
    fw_print("1. Default heap from the linker script\n");
    fw_print("  __heap_start      ");
    fw_print_hex((uintptr_t)__heap_start);
    fw_print("\n  __heap_end        ");
    fw_print_hex((uintptr_t)__heap_end);
    fw_print("\n");
    kv("region", (uintmax_t)(__heap_end - __heap_start), " bytes");
    fh_heap *h = fh_default();
    expect(h != NULL, "fh_default() gave no heap");
    fh_stats st;
    if (h) {
        fh_get_stats(h, &st);
        kv("usable", st.total_bytes, " bytes");
        kv("bookkeeping", st.metadata_bytes, " bytes");
        kv("largest order", st.order_max, "");
    }
}

static void show_alignments(void)
{
    static const size_t aligns[] = {8, 64, 256, 1024};
    fw_print("2. Allocations at several alignments (size 24 each)\n");
    void *p[sizeof aligns / sizeof aligns[0]];
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        p[i] = fh_default_alloc(24, aligns[i]);
        fw_print("  align ");
        fw_print_dec(aligns[i]);
        fw_print(aligns[i] < 10 ? "    " : aligns[i] < 100 ? "   " : aligns[i] < 1000 ? "  " : " ");
        fw_print("-> ");
        fw_print_hex((uintptr_t)p[i]);
        fw_print("  usable ");
        fw_print_dec(fh_default_usable_size(p[i]));
        fw_print("\n");
        expect(p[i] != NULL, "aligned allocation failed");
        expect(((uintptr_t)p[i] & (aligns[i] - 1u)) == 0, "allocation misaligned");
    }
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++)
        fh_default_free(p[i]);
}

static void show_resize(void)
{
    fw_print("3. Resizing in place\n");
    uint8_t *p = fh_default_alloc(40, 16);
    expect(p != NULL, "allocation for resize failed");
    if (!p)
        return;
    for (unsigned i = 0; i < 40; i++)
        p[i] = (uint8_t)i;
    kv("allocated 40 ->", fh_default_usable_size(p), " usable");
    size_t grown = fh_default_resize_in_place(p, 200, 16);
    kv("grow to 200 ->", grown, grown >= 200 ? " usable, same address" : " (neighbour busy: unchanged)");
    size_t shrunk = fh_default_resize_in_place(p, 20, 16);
    kv("shrink to 20 ->", shrunk, " usable, same address");
    expect(shrunk >= 20 && shrunk < 40 + FH_GRANULE, "in-place shrink");
    bool kept = true;
    for (unsigned i = 0; i < 20; i++)
        kept = kept && p[i] == (uint8_t)i;
    expect(kept, "contents lost by resize");
    fh_default_free(p);
}

static void show_hooks(void)
{
    fw_print("4. The five Rust allocator hooks\n");
    uint8_t *p = __rust_allocate(48, 32);
    fw_print("  __rust_allocate(48, 32)            -> ");
    fw_print_hex((uintptr_t)p);
    fw_print("\n");
    expect(p != NULL && ((uintptr_t)p & 31u) == 0, "__rust_allocate");
    if (!p)
        return;
    kv("__rust_usable_size(48, 32)         ->", __rust_usable_size(48, 32), "");
    size_t in_place = __rust_reallocate_inplace(p, 48, 64, 32);
    kv("__rust_reallocate_inplace(.., 64)  ->", in_place,
       in_place >= 64 ? " (grew in place)" : " (could not grow: unchanged)");
    size_t have = in_place >= 64 ? 64 : 48;
    uint8_t *q = __rust_reallocate(p, have, 512, 32);
    fw_print("  __rust_reallocate(.., 512, 32)     -> ");
    fw_print_hex((uintptr_t)q);
    fw_print("\n");
    expect(q != NULL && ((uintptr_t)q & 31u) == 0, "__rust_reallocate");
    if (q) {
        __rust_deallocate(q, 512, 32);
        fw_print("  __rust_deallocate(.., 512, 32)     done\n");
    } else {
        __rust_deallocate(p, have, 32);
    }
}

int main(void)
{
    fw_print("firmheap demo on " FW_BOARD_NAME "\n\n");
    show_region();
    fh_heap *h = fh_default();
    if (!h)
        return 1;
    fw_print("\n");
    show_alignments();
    fw_print("\n");
    show_resize();
    fw_print("\n");
    show_hooks();

    /* Leave a few blocks live so the map has something to show. */
    void *keep[6];
    static const size_t sizes[] = {100, 16, 700, 48, 2000, 300};
    for (unsigned i = 0; i < 6; i++)
        keep[i] = fh_default_alloc(sizes[i], 16);
    fh_default_free(keep[1]);
    fh_default_free(keep[3]);

    fw_print("\n5. Statistics and heap map (fh_dump), blocks 0, 2, 4, 5 of six still live\n");
    fh_dump(h, fw_putc);

    bool ok = fh_check(h);
    expect(ok, "fh_check failed");
    for (unsigned i = 0; i < 6; i++)
        if (i != 1 && i != 3)
            fh_default_free(keep[i]);
    fw_print("\nfh_check: ");
    fw_print(ok ? "ok" : "FAILED");
    fw_print(failures ? ", demo found problems\n" : ", demo done\n");
    return failures ? 1 : 0;
}
