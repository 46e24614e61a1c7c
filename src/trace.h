/*
 * The default heap's one hook into the trace encoder (src/trace.c). With
 * FH_TRACE=0 (the default) every FH_TRACE_OP compiles to nothing and the
 * trace sources to empty objects; with FH_TRACE=1 each default-heap entry
 * point makes one call, inside its lock, after the operation has happened.
 * Not a public header: firmware sees include/firmheap_trace.h.
 */
#ifndef FH_TRACE_INTERNAL_H
#define FH_TRACE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "firmheap_trace.h"

#ifndef FH_TRACE
#define FH_TRACE 0
#endif

#if FH_TRACE
/* One record: op, the caller's pointer, size and align, and the result
 * (pointer returned, usable size, or 1/0). Fields op does not carry are
 * ignored. Returns at once when no sink is attached. */
void fh_trace_op(unsigned op, const void *ptr, size_t size, size_t align, uintptr_t result);
#define FH_TRACE_OP(op, ptr, size, align, result) \
    fh_trace_op((op), (ptr), (size), (align), (uintptr_t)(result))
#else
/* Nothing; its arguments still count as used. */
static inline void fh_trace_none(unsigned op, const void *ptr, size_t size, size_t align,
                                 uintptr_t result)
{
    (void)op;
    (void)ptr;
    (void)size;
    (void)align;
    (void)result;
}
#define FH_TRACE_OP(op, ptr, size, align, result) \
    fh_trace_none((op), (ptr), (size), (align), (uintptr_t)(result))
#endif

#endif
