/*
 * newlib glue: puts newlib's own allocations on firmheap.
 *
 * newlib's internals (strdup, the stdio buffers printf allocates, asprintf,
 * fopen, the reentrancy structures) do not call malloc: they call the
 * reentrant entry points _malloc_r, _free_r, _realloc_r, ... Linking
 * firmheap's malloc alone leaves them on newlib's allocator, which grows a
 * second heap with sbrk from the symbol `end` (where vendor scripts put
 * __heap_start too: the two heaps then overlap), and free(strdup(s)) is
 * rejected by firmheap and leaks. This object defines every reentrant entry
 * point over firmheap's malloc family, plus the ones newlib's mallinfo,
 * malloc_stats, mallopt and malloc_trim call, so that no object of
 * newlib's allocator is ever linked; and an _sbrk that refuses and reports
 * (FH_ERR_SBRK) instead of growing anything.
 *
 * Same object for newlib and newlib-nano (--specs=nano.specs). Link it as
 * an object, before libfirmheap.a, and the C library after both (the specs
 * files put -lc last):
 *
 *     arm-none-eabi-gcc ... main.o glue_newlib.o -lfirmheap --specs=nano.specs ...
 *
 * From an archive it would come too late: newlib's references to _malloc_r
 * appear only once libc.a is scanned, and are then met by newlib's own.
 */
#include <reent.h>
#include <stdlib.h>

#include "common.h"

void *_malloc_r(struct _reent *r, size_t size)
{
    void *p = malloc(size);
    if (p == NULL)
        __errno_r(r) = ENOMEM;
    return p;
}

void _free_r(struct _reent *r, void *ptr)
{
    (void)r;
    free(ptr);
}

void *_realloc_r(struct _reent *r, void *ptr, size_t size)
{
    void *p = realloc(ptr, size);
    if (p == NULL && size != 0)
        __errno_r(r) = ENOMEM;
    return p;
}

void *_calloc_r(struct _reent *r, size_t nmemb, size_t size)
{
    void *p = calloc(nmemb, size);
    if (p == NULL)
        __errno_r(r) = ENOMEM;
    return p;
}

void *_memalign_r(struct _reent *r, size_t align, size_t size)
{
    void *p = memalign(align, size);
    if (p == NULL)
        __errno_r(r) = ENOMEM;
    return p;
}

size_t _malloc_usable_size_r(struct _reent *r, void *ptr)
{
    (void)r;
    return malloc_usable_size(ptr);
}

struct mallinfo _mallinfo_r(struct _reent *r)
{
    (void)r;
    return fh_glue_mallinfo();
}

void _malloc_stats_r(struct _reent *r)
{
    (void)r;
    fh_glue_malloc_stats();
}

/* No tunables: every mallopt request is refused, as the C standard's
 * "returns 0 on error" allows. */
int _mallopt_r(struct _reent *r, int param, int value)
{
    (void)r;
    (void)param;
    (void)value;
    return 0;
}

/* Nothing to give back to the system: the heap is the linker's region. */
int _malloc_trim_r(struct _reent *r, size_t pad)
{
    (void)r;
    (void)pad;
    return 0;
}

/* Declared by <unistd.h> only outside strict C modes. */
void *_sbrk(ptrdiff_t increment);

void *_sbrk(ptrdiff_t increment)
{
    (void)increment;
    return fh_glue_refuse_sbrk();
}
