/*
 * A broken build for `make fuzz-selftest` (-Wl,--wrap=fh_bump_alloc, bump
 * target): every fourth allocation leaves the bump pointer in the middle of
 * the block it returns, so the next one overlaps it.
 */
#include "firmheap.h"

void *__real_fh_bump_alloc(fh_bump *b, size_t size, size_t align);
void *__wrap_fh_bump_alloc(fh_bump *b, size_t size, size_t align);

void *__wrap_fh_bump_alloc(fh_bump *b, size_t size, size_t align)
{
    static unsigned calls;
    void *p = __real_fh_bump_alloc(b, size, align);
    if (p && size > 1u && ++calls % 4u == 0)
        b->top -= size / 2u;
    return p;
}
