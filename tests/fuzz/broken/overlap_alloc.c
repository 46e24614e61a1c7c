/*
 * A broken build for `make fuzz-selftest` (linked with -Wl,--wrap=fh_alloc
 * into the instance target, never into the library): every fifth
 * allocation hands out the previous one's block again, overlapping it. The
 * fuzzer passes the self-test only if it reports that.
 */
#include "firmheap.h"

void *__real_fh_alloc(fh_heap *h, size_t size, size_t align);
void *__wrap_fh_alloc(fh_heap *h, size_t size, size_t align);

void *__wrap_fh_alloc(fh_heap *h, size_t size, size_t align)
{
    static void *last;
    static unsigned calls;
    void *p = __real_fh_alloc(h, size, align);
    if (p && last && ++calls % 5u == 0)
        return last;
    if (p)
        last = p;
    return p;
}
