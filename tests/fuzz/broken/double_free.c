/*
 * A broken build for `make fuzz-selftest` (-Wl,--wrap=fh_free, instance
 * target): a second free of the block freed last is accepted in silence
 * instead of being reported. The fuzzer must notice the missing report.
 */
#include "firmheap.h"

void __real_fh_free(fh_heap *h, void *ptr);
void __wrap_fh_free(fh_heap *h, void *ptr);

void __wrap_fh_free(fh_heap *h, void *ptr)
{
    static void *last;
    if (ptr && ptr == last)
        return;
    last = ptr;
    __real_fh_free(h, ptr);
}
