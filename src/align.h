/*
 * The alignment rule every entry point keeps, stated once: an alignment is
 * any power of two, and 0 means "no more than the allocator's own". A
 * non-power-of-two alignment is an invalid request (NULL, 0 or EINVAL), never
 * rounded to something else. Internal header.
 */
#ifndef FH_ALIGN_H
#define FH_ALIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool fh_align_valid(size_t align)
{
    return (align & (align - 1u)) == 0;
}

/* Is p aligned to align (0: any address is)? */
static inline bool fh_is_aligned(const void *p, size_t align)
{
    return align == 0 || ((uintptr_t)p & (align - 1u)) == 0;
}

#endif
