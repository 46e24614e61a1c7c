/*
 * A broken build for `make fuzz-selftest`
 * (-Wl,--wrap=fh_default_usable_size, regions target): the usable size of
 * a block in any region but the first is reported one granule too large.
 */
#include "firmheap.h"

size_t __real_fh_default_usable_size(const void *ptr);
size_t __wrap_fh_default_usable_size(const void *ptr);

size_t __wrap_fh_default_usable_size(const void *ptr)
{
    size_t n = __real_fh_default_usable_size(ptr);
    return n && !fh_owns(fh_default_region(0), ptr) ? n + FH_GRANULE : n;
}
