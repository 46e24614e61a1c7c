/*
 * The bump allocator: [start, top) is handed out, [top, end) is free, and an
 * allocation only moves top up. There is no per-block record, so the only
 * block that can be given back or resized is the most recent one (`last`);
 * mark/release drop everything allocated after a mark at once, which is how
 * early-boot code and per-frame scratch use it:
 *
 *   start          last      top              end
 *   [ a ][ pad ][ b ][ c ...... ][ free ...... ]
 *
 * All arithmetic is checked: an alignment that is not a power of two, a size
 * that would carry past the end of the address space, or a request larger than
 * what is left returns NULL and changes nothing.
 */
#include "firmheap.h"
#include "align.h"
#include "null_handle.h"

bool fh_bump_init(fh_bump *b, void *base, size_t size)
{
    uintptr_t start = (uintptr_t)base;
    if (fh_null_handle(b, NULL) || base == NULL || size == 0 || start + size < start)
        return false;
    b->start = b->top = start;
    b->end = start + size;
    b->last = 0;
    b->peak = 0;
    b->failed_allocs = b->rejected_frees = 0;
    return true;
}

/* The newest block now ends at top (a resize may lower it); the peak
 * follows. */
static void set_top(fh_bump *b, uintptr_t top)
{
    b->top = top;
    if (top - b->start > b->peak)
        b->peak = top - b->start;
}

void *fh_bump_alloc(fh_bump *b, size_t size, size_t align)
{
    if (fh_null_handle(b, NULL))
        return NULL;
    if (align == 0)
        align = FH_GRANULE;
    if (size == 0 || !fh_align_valid(align)) {
        b->failed_allocs++;
        return NULL;
    }
    uintptr_t p = (b->top + (align - 1u)) & ~(uintptr_t)(align - 1u);
    if (p < b->top || p > b->end || size > b->end - p) {
        b->failed_allocs++;
        return NULL;
    }
    b->last = p;
    set_top(b, p + size);
    return (void *)p;
}

static void bump_reject(fh_bump *b, const void *ptr)
{
    b->rejected_frees++;
    fh_error_hook(NULL, (uintptr_t)ptr >= b->start && (uintptr_t)ptr < b->end
                            ? FH_ERR_INTERIOR : FH_ERR_OUTSIDE, ptr);
}

void fh_bump_free(fh_bump *b, void *ptr)
{
    if (fh_null_handle(b, ptr) || ptr == NULL)
        return;
    if (b->last == 0 || (uintptr_t)ptr != b->last) {
        bump_reject(b, ptr);
        return;
    }
    b->top = b->last;
    b->last = 0;
}

size_t fh_bump_resize(fh_bump *b, void *ptr, size_t new_size)
{
    if (fh_null_handle(b, ptr))
        return 0;
    uintptr_t p = (uintptr_t)ptr;
    if (p < b->start || p >= b->top) {
        bump_reject(b, ptr);
        return 0;
    }
    /* An older block may be perfectly valid; it just cannot change size. */
    if (p != b->last || new_size == 0 || new_size > b->end - b->last) {
        b->failed_allocs++;
        return 0;
    }
    set_top(b, b->last + new_size);
    return new_size;
}

void fh_bump_reset(fh_bump *b)
{
    if (fh_null_handle(b, NULL))
        return;
    b->top = b->start;
    b->last = 0;
}

uintptr_t fh_bump_mark(const fh_bump *b)
{
    return fh_null_handle(b, NULL) ? 0 : b->top;
}

bool fh_bump_release(fh_bump *b, uintptr_t mark)
{
    if (fh_null_handle(b, NULL))
        return false;
    /* A mark above the top was dropped by an earlier release; one inside
     * the newest block (the top fell below it on a free and that block
     * was then allocated or grown across it) no longer separates old
     * blocks from new: releasing to it would cut a live block short. */
    if (mark < b->start || mark > b->top || (b->last != 0 && b->last < mark && mark < b->top)) {
        bump_reject(b, (const void *)mark);
        return false;
    }
    b->top = mark;
    if (b->last >= mark)
        b->last = 0;
    return true;
}

size_t fh_bump_used(const fh_bump *b)
{
    return fh_null_handle(b, NULL) ? 0 : b->top - b->start;
}
