/*
 * A broken build for `make fuzz-selftest` (-Wl,--wrap=fh_default_free,
 * malloc target): every third free through the default heap does nothing,
 * a leak the fuzzer must see in the stats.
 */
#include "firmheap.h"

void __real_fh_default_free(void *ptr);
void __wrap_fh_default_free(void *ptr);

void __wrap_fh_default_free(void *ptr)
{
    static unsigned calls;
    if (ptr && ++calls % 3u == 0)
        return;
    __real_fh_default_free(ptr);
}
