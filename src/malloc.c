/*
 * The C allocation functions for firmware, over the default heap. Every block
 * is aligned to the ABI's max_align_t (8 on ARM EABI, 16 on RISC-V): every
 * block the heap hands out is aligned to FH_GRANULE (16), which covers both,
 * and the alignment is still passed down so a smaller granule stays correct.
 *
 * errno is not set (there may be no libc to own it); failures are NULL, or
 * the POSIX error number from posix_memalign. The host test build renames the
 * functions with FH_MALLOC_PREFIX so it can test them without replacing the
 * host's own malloc.
 */
#include "firmheap.h"
#include "malloc_names.h"
#include "align.h"

/* POSIX error numbers, the same in newlib, picolibc and Linux. */
#define FH_EINVAL 22
#define FH_ENOMEM 12

#define FH_MALLOC_ALIGN _Alignof(max_align_t)

/* malloc(0) returns a unique, freeable block, as most C libraries do. */
static size_t at_least_one(size_t size)
{
    return size ? size : 1u;
}

void *FH_NAME(malloc)(size_t size)
{
    return fh_default_alloc(at_least_one(size), FH_MALLOC_ALIGN);
}

void FH_NAME(free)(void *ptr)
{
    fh_default_free(ptr);
}

void *FH_NAME(calloc)(size_t nmemb, size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(nmemb, size, &bytes))
        return NULL;
    return fh_default_alloc_zeroed(at_least_one(bytes), FH_MALLOC_ALIGN);
}

/* realloc(NULL, n) is malloc(n) for every n, 0 included (a NULL there reads
 * as "out of memory" to callers such as GNU sed). */
void *FH_NAME(realloc)(void *ptr, size_t size)
{
    if (ptr == NULL)
        return FH_NAME(malloc)(size);
    return fh_default_realloc(ptr, size, FH_MALLOC_ALIGN);
}

/* A power of two below the ABI's alignment is raised to it; anything that is
 * not a power of two is refused, as by every other entry point. */
void *FH_NAME(memalign)(size_t align, size_t size)
{
    if (!fh_align_valid(align))
        return NULL;
    if (align < FH_MALLOC_ALIGN)
        align = FH_MALLOC_ALIGN;
    return fh_default_alloc(at_least_one(size), align);
}

void *FH_NAME(aligned_alloc)(size_t align, size_t size)
{
    return FH_NAME(memalign)(align, size);
}

int FH_NAME(posix_memalign)(void **out, size_t align, size_t size)
{
    if (align == 0 || !fh_align_valid(align) || align % sizeof(void *) != 0)
        return FH_EINVAL;
    void *p = FH_NAME(memalign)(align, size);
    if (p == NULL)
        return FH_ENOMEM;
    *out = p;
    return 0;
}

size_t FH_NAME(malloc_usable_size)(void *ptr)
{
    return fh_default_usable_size(ptr);
}
