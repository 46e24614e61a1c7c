/*
 * FH_HARDEN=1: a debugging layer on the default heap that catches writes
 * after free and writes past the end of a block. Internal header; the
 * layer is src/harden.c, the default heap (src/default_heap.c) calls it.
 *
 * Free pattern. Free memory holds FH_HARDEN_FREE_BYTE everywhere but where
 * the core keeps its own free-list links. A region is painted before fh_init
 * sets it up, a block is painted before the core gets it back, and the core
 * repaints the bytes of a list node it stops using: the one hook below,
 * FH_HARDEN_NODE_RELEASED(node, bytes), called wherever a free block is
 * unlinked (taken for an allocation, merged into its buddy). So a block
 * handed out must read as the pattern from end to end; a byte that does not
 * was written after it was freed: FH_ERR_USE_AFTER_FREE, with the block's
 * address, reported before the block is returned (it is still returned).
 *
 * Canary. Each block is asked of the core FH_HARDEN_CANARY_BYTES larger
 * than requested, and the canary fills that extra room at the block's end:
 *
 *   [ payload .......... | canary ]     core usable size U
 *   ^p                   ^ usable = U - FH_HARDEN_CANARY_BYTES
 *
 * Callers may write up to the usable size, so the canary lies beyond it;
 * fh_default_usable_size_for(size, align) = core usable of (size + canary)
 * minus the canary stays a pure function of (size, align); it is usually
 * less than an unhardened build gives (the core rounds size + canary up to
 * a class or page count). A canary that changed is reported on free, realloc and resize:
 * FH_ERR_OVERFLOW with the block's address; the operation then goes on.
 *
 * Cost: FH_HARDEN_CANARY_BYTES per block, a pass over each block handed out
 * (check) and freed (paint), run outside the lock like calloc's fill.
 */
#ifndef FH_HARDEN_H
#define FH_HARDEN_H

#include "firmheap.h"

#ifdef FH_CONFIG_HEADER
#include FH_CONFIG_HEADER
#endif

#ifndef FH_HARDEN
#define FH_HARDEN 0
#endif
#ifndef FH_HARDEN_CANARY_BYTES
#define FH_HARDEN_CANARY_BYTES FH_GRANULE
#endif
#ifndef FH_HARDEN_FREE_BYTE
#define FH_HARDEN_FREE_BYTE 0xA5u
#endif

_Static_assert(FH_HARDEN == 0 || FH_HARDEN == 1, "FH_HARDEN: 0 or 1");
_Static_assert(FH_HARDEN_CANARY_BYTES >= sizeof(uintptr_t) &&
                   FH_HARDEN_CANARY_BYTES % sizeof(uintptr_t) == 0,
               "FH_HARDEN_CANARY_BYTES: a non-zero number of words");
_Static_assert(FH_HARDEN_FREE_BYTE <= 0xFFu, "FH_HARDEN_FREE_BYTE: a byte");

#if FH_HARDEN

/* The hook the core calls when the bytes of a list node become plain free
 * memory again. */
void fh_hd_node_released(void *node, size_t bytes);
#define FH_HARDEN_NODE_RELEASED(node, bytes) fh_hd_node_released((node), (bytes))

/* What the core is asked for a request of size bytes (SIZE_MAX if adding
 * the canary overflows, which the core refuses; 0 stays 0). */
static inline size_t fh_hd_request(size_t size)
{
    if (size == 0)
        return 0;
    return size <= SIZE_MAX - FH_HARDEN_CANARY_BYTES ? size + FH_HARDEN_CANARY_BYTES : SIZE_MAX;
}

/* The caller's usable size of a block the core says holds core_usable. */
static inline size_t fh_hd_usable(size_t core_usable)
{
    return core_usable ? core_usable - FH_HARDEN_CANARY_BYTES : 0;
}

/* Paints [base, base + size) before fh_init sets a region up there. */
void fh_hd_prepare_region(void *base, size_t size);
/* A block of h just allocated, core_usable bytes: checks the pattern
 * (reports FH_ERR_USE_AFTER_FREE), then sets its canary. Unlocked. */
void fh_hd_handed_out(const fh_heap *h, void *p, size_t core_usable);
/* Frees ptr, a block of h (with its layout if sized): checks the canary,
 * paints it unlocked, then frees it under fh_lock. A bad pointer or layout
 * is refused and reported as by fh_free/fh_free_sized. */
void fh_hd_free(fh_heap *h, void *ptr, size_t size, size_t align, bool sized);
/* fh_resize_in_place for a block of h, taking fh_lock as needed: returns
 * the core usable size afterwards (as fh_resize_in_place does). */
size_t fh_hd_resize(fh_heap *h, void *ptr, size_t new_size, size_t align);

#else

#define FH_HARDEN_NODE_RELEASED(node, bytes) ((void)0)

static inline size_t fh_hd_request(size_t size)
{
    return size;
}

static inline size_t fh_hd_usable(size_t core_usable)
{
    return core_usable;
}

static inline void fh_hd_prepare_region(void *base, size_t size)
{
    (void)base;
    (void)size;
}

static inline void fh_hd_handed_out(const fh_heap *h, void *p, size_t core_usable)
{
    (void)h;
    (void)p;
    (void)core_usable;
}

#endif
#endif
