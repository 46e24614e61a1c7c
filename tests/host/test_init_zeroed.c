/*
 * fh_init_zeroed on a region that is all zero (host only: mmap, mincore).
 * It must give the same heap as fh_init, without clearing the bookkeeping
 * again: its writes must not grow with the region. A fresh anonymous
 * mapping reads as zero and has no page in memory until one is written, so
 * the pages resident afterwards count what the setup wrote: fh_init clears a
 * state map of 1/64 of the region (256 pages of 4 KiB for 64 MiB);
 * fh_init_zeroed writes the instance, the list heads and one free block's
 * links per order (a few dozen pages at most).
 */
#define _DEFAULT_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "testutil.h"

#define BIG_REGION ((size_t)64 << 20)
#define ZEROED_MAX_PAGES 64u

static size_t resident_pages(void *region, size_t size)
{
    static unsigned char vec[BIG_REGION / 4096u];
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = 0;
    if (size / page > sizeof vec || mincore(region, size, vec) != 0)
        return (size_t)-1;
    for (size_t i = 0; i < size / page; i++)
        n += vec[i] & 1u;
    return n;
}

static void *fresh_region(void)
{
    void *r = mmap(NULL, BIG_REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return r == MAP_FAILED ? NULL : r;
}

static bool same_stats(const fh_heap *a, const fh_heap *b)
{
    fh_stats x, y;
    fh_get_stats(a, &x);
    fh_get_stats(b, &y);
    bool same = x.total_bytes == y.total_bytes && x.metadata_bytes == y.metadata_bytes &&
                x.largest_free == y.largest_free && x.order_max == y.order_max;
    for (unsigned k = 0; k < FH_NR_ORDERS; k++)
        same = same && x.free_blocks[k] == y.free_blocks[k];
    return same;
}

void test_init_zeroed_skips_the_clear(void)
{
    unsigned char *plain = fresh_region(), *zeroed = fresh_region();
    CHECK(plain != NULL && zeroed != NULL);
    if (!plain || !zeroed)
        return;
    fh_heap *hp = fh_init(plain + 3, BIG_REGION - 3);
    fh_heap *hz = fh_init_zeroed(zeroed + 3, BIG_REGION - 3);
    CHECK(hp != NULL && hz != NULL);
    size_t rp = resident_pages(plain, BIG_REGION), rz = resident_pages(zeroed, BIG_REGION);
    CHECK(rp >= BIG_REGION / 64u / 4096u);
    CHECK(rz <= ZEROED_MAX_PAGES);
    if (hp && hz) {
        CHECK(fh_check(hz) && same_stats(hp, hz));
        /* And it is a working heap. */
        void *p = fh_alloc(hz, 100000, 4096);
        CHECK(p != NULL && fh_check(hz));
        fh_free(hz, p);
        CHECK(same_stats(hp, hz));
    }
    munmap(plain, BIG_REGION);
    munmap(zeroed, BIG_REGION);
}
