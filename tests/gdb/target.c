/*
 * The firmware half of the gdb-test suite (tools/gdb/test-gdb): it leaves
 * the default heap in a known, varied state, prints what the heap itself
 * says about that state, and stops where gdb can read the same state from
 * outside and compare.
 *
 * The state, on each of the two regions of the default heap:
 *   region 0  the linker's: filled with ballast (whole free blocks taken
 *             while one over 16 KiB is left), then slab objects of most
 *             classes, large runs (one of them 1 KiB-aligned) and the holes
 *             left by freeing some of each;
 *   region 1  a bank added with fh_add_region at an odd address: the same
 *             kind of mix, through the instance API on its handle;
 *   counters  one refused allocation and one rejected free on region 0.
 *
 * What it prints over semihosting, per region: fh_dump's output, then its
 * own fh_walk listing ("walk used addr=... size=...", one line per call of
 * the walker). Then it calls gdb_stop(), where the runner's breakpoint
 * sits. After that it breaks one page word of region 1 on purpose (a large
 * run's first page gets a word no block has), says which ("corrupt
 * page=... word=..."), and calls gdb_stop() again: the script must name
 * that page and word and go on.
 *
 * TH_FORCE_FAIL: the walk listing misstates one size, so the runner's
 * comparison must fail.
 */
#include "firmheap.h"
#include "firmheap_diag.h"
#include "fw.h"
#include "heap_internal.h"

#define BALLAST_LEFT 16384u
#define BANK_BYTES 20000u

static unsigned char bank[BANK_BYTES + 3u];

/* Where the runner's breakpoint sits: a real call that is never folded. */
__attribute__((noinline)) void gdb_stop(void);
__attribute__((noinline)) void gdb_stop(void)
{
    __asm__ volatile("" ::: "memory");
}

static int failures;

static void expect(bool ok, const char *what)
{
    if (!ok) {
        fw_print("gdb-target: unexpected: ");
        fw_print(what);
        fw_print("\n");
        failures++;
    }
}

static void ballast(fh_heap *h)
{
    fh_stats s;
    for (fh_get_stats(h, &s); s.largest_free > BALLAST_LEFT; fh_get_stats(h, &s))
        expect(fh_alloc(h, s.largest_free, 0) != NULL, "ballast");
}

/* Sizes chosen to hit most slab classes and runs of several lengths. */
static const size_t sizes[] = {16, 24, 48, 16, 100, 300, 600, 700, 16, 64,
                               150, 3000, 40, 80, 1000, 640, 33, 5000, 16, 128};

/* Allocates sizes[] in turn (one 1 KiB-aligned), then frees every third,
 * leaving free slab objects, free pages and live blocks of each kind. */
static void mix(fh_heap *h)
{
    void *p[sizeof sizes / sizeof sizes[0]];
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        p[i] = fh_alloc(h, sizes[i], i == 14 ? 1024u : 0u);
        expect(p[i] != NULL, "mix allocation");
    }
    for (size_t i = 1; i < sizeof sizes / sizeof sizes[0]; i += 3)
        fh_free(h, p[i]);
}

static uint32_t walk_lines;

static void print_walk(void *ctx, void *addr, size_t size, bool used)
{
    (void)ctx;
#ifdef TH_FORCE_FAIL
    if (++walk_lines == 3)
        size++;
#else
    walk_lines++;
#endif
    fw_print(used ? "walk used addr=" : "walk free addr=");
    fw_print_hex((uintptr_t)addr);
    fw_print(" size=");
    fw_print_dec(size);
    fw_print("\n");
}

static void report(fh_heap *h)
{
    fh_dump(h, fw_putc);
    fw_print("walk heap=");
    fw_print_hex((uintptr_t)h);
    fw_print("\n");
    fh_walk(h, print_walk, NULL);
    expect(fh_check(h), "fh_check");
}

/* The first page of a live large run in h: the page whose word is broken. */
static void *first_run(fh_heap *h)
{
    for (uintptr_t p = h->page0; p < h->pend; p++)
        if (PG_TYPE(*fh_pw(h, p)) == PG_HEAD)
            return fh_page_addr(p);
    return NULL;
}

int main(void)
{
    fh_heap *r0 = fh_default();
    expect(r0 != NULL, "default heap");
    if (r0 == NULL)
        return 1;
    ballast(r0);
    mix(r0);
    expect(fh_alloc(r0, (size_t)1 << 30, 0) == NULL, "a refused allocation");
    fh_free(r0, (char *)first_run(r0) + 16); /* rejected: inside a block */

    expect(fh_add_region(bank + 3, BANK_BYTES), "fh_add_region");
    fh_heap *r1 = fh_default_region(1);
    expect(r1 != NULL, "region 1");
    if (r1 == NULL)
        return 1;
    mix(r1);

    report(r0);
    report(r1);
    gdb_stop();

    void *victim = first_run(r1);
    expect(victim != NULL, "a large run in region 1");
    if (victim == NULL)
        return 1;
    uint32_t *w = fh_pw(r1, fh_page_of(victim));
    *w = 0xdeadbeefu; /* SLAB of class 59: there is no such class */
    fw_print("corrupt page=");
    fw_print_hex(fh_page_of(victim));
    fw_print(" addr=");
    fw_print_hex((uintptr_t)victim);
    fw_print(" word=");
    fw_print_hex(*w);
    fw_print("\n");
    gdb_stop();
    return failures != 0;
}
