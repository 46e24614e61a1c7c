/*
 * A NULL heap (or bump) handle is bad input like any other: the call fails
 * (NULL, 0, false, or does nothing), the error hook hears FH_ERR_NULL_HEAP
 * with the call's pointer argument, and nothing faults. Every entry point
 * that takes a handle starts with this one check. Internal header.
 */
#ifndef FH_NULL_HANDLE_H
#define FH_NULL_HANDLE_H

#include "firmheap.h"

/* True (after reporting) if handle is NULL. */
static inline bool fh_null_handle(const void *handle, const void *ptr)
{
    if (handle != NULL)
        return false;
    fh_error_hook(NULL, FH_ERR_NULL_HEAP, ptr);
    return true;
}

#endif
