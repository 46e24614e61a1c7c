/*
 * firmheap — a bounded-time heap for bare-metal firmware.
 *
 * One instance manages one contiguous region of memory. Its bookkeeping (the
 * instance, the free-list heads and a page map of one 32-bit word per 256-byte
 * page) lives at the start of that region; every other byte is handed out.
 * There is no header in front of an allocation: the page map says what every
 * page holds, so the payload starts exactly at the aligned address.
 *
 * Sizes. Requests up to 640 bytes come from slabs: runs of 1 to 8 pages cut
 * into objects of one size class (16, 32, 48, 64, 80, 128, 160, 320, 640).
 * An object is aligned to the largest power of two dividing its class's size,
 * so an alignment up to 64 costs no more than the size; a larger one (or a
 * larger size) takes whole pages: a run cut from a buddy system over absolute
 * addresses, its page count rounded up to 4 significant bits (at most 1/8
 * more pages than asked). A run starts on the alignment asked for, whatever
 * it is, and that costs no bytes: the pages in front of it stay free.
 * fh_usable_size_for says exactly what any request gets.
 *
 * Cost. Every call is bounded by a constant plus a few instructions per
 * buddy order (log2 of the heap in pages), never by the number of live or
 * free blocks: searches stop after a fixed number of reads and report failure
 * rather than scan. The exceptions are fh_init (clears its page map),
 * fh_check, fh_walk and fh_get_stats (they visit every page) and the
 * zero-fill and copy of fh_alloc_zeroed and a moving fh_realloc.
 *
 * Thread safety. The instance API is not thread-safe and not reentrant: callers
 * that share an instance between contexts must serialise. fh_default() and
 * the front ends built on it (malloc family, Rust hooks) take fh_lock().
 */
#ifndef FIRMHEAP_H
#define FIRMHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The smallest object, and the alignment of every block (align 0 means it). */
#define FH_GRANULE 16u

/* Bytes per page: the buddy system's smallest block. A free block of order k
 * is FH_PAGE_SIZE << k bytes. */
#define FH_PAGE_SIZE 256u

/* Buddy orders are 0..FH_ORDER_MAX inclusive at most; FH_NR_ORDERS is their
 * count (the size of fh_stats.free_blocks; a heap uses orders up to its
 * order_max, at most 23: 2 GiB blocks). */
#define FH_ORDER_MAX 30u
#define FH_NR_ORDERS (FH_ORDER_MAX + 1u)

typedef struct fh_heap fh_heap;

typedef struct fh_stats {
    size_t total_bytes;      /* bytes that can be handed out (after bookkeeping) */
    size_t used_bytes;       /* usable bytes of live allocations (slabs' unused objects
                                and a run's rounding are free_bytes: they can be handed out) */
    size_t free_bytes;       /* total_bytes - used_bytes */
    size_t peak_used_bytes;  /* high-water mark of used_bytes */
    size_t largest_free;     /* largest single free buddy block, bytes */
    size_t metadata_bytes;   /* bookkeeping carved from the region */
    uint32_t free_blocks[FH_NR_ORDERS]; /* free buddy blocks per order (order k: 256 << k bytes) */
    uint32_t order_max;      /* largest order this heap has */
    uint32_t live_allocs;    /* allocations currently held */
    uint32_t allocs;         /* successful allocations (incl. moving reallocs) */
    uint32_t frees;          /* successful frees */
    uint32_t failed_allocs;  /* allocation or grow requests refused (a default-heap
                                realloc that moves counts its refused in-place try) */
    uint32_t rejected_frees; /* bad pointers refused by free/realloc/resize (fh_usable_size,
                                being const, reports them without counting) */
} fh_stats;

/* Why fh_error_hook was called. */
typedef enum fh_error {
    FH_ERR_OUTSIDE = 1,   /* pointer not inside the heap */
    FH_ERR_INTERIOR,      /* inside the heap but not the start of a live block */
    FH_ERR_DOUBLE_FREE,   /* start of a block that is already free */
    FH_ERR_SIZE_MISMATCH, /* sized free/realloc with a size the block never had */
    FH_ERR_CORRUPT,       /* fh_check found the bookkeeping inconsistent (ptr: where) */
    /* Added kinds go at the end: the numbers above are ABI. */
    FH_ERR_NULL_HEAP,     /* a NULL heap handle: the call failed; ptr is its pointer argument */
    FH_ERR_OVERFLOW,      /* FH_HARDEN: the canary past the usable size of block ptr changed */
    FH_ERR_USE_AFTER_FREE,/* FH_HARDEN: block ptr, being handed out, was written while free */
    FH_ERR_NO_HEAP,       /* default heap, first use: __heap_end <= __heap_start (h NULL, ptr __heap_start) */
    FH_ERR_HEAP_TOO_SMALL,/* default heap, first use: region too small for bookkeeping + one block */
    FH_ERR_SBRK           /* libc glue: sbrk called, a C library tried to grow a second heap (ptr NULL) */
} fh_error;

/*
 * Called on every rejected pointer, after the heap has refused to change
 * anything, on every call with a NULL heap or bump handle (h NULL,
 * FH_ERR_NULL_HEAP; the call fails: NULL, 0, false, or does nothing), and
 * once if the default heap's first use finds no usable region. The library's
 * default does nothing; define your own (a strong symbol) to log, count or
 * halt. Runs with the default heap's lock held, except for the FH_HARDEN
 * reports, which come from unlocked code.
 */
void fh_error_hook(const fh_heap *h, fh_error err, const void *ptr);

/*
 * Sets up a heap in [base, base + size). The region needs no particular
 * alignment or size. Returns the handle (which points into the region), or
 * NULL if the region is NULL, wraps around, or leaves no room for at least one
 * block after bookkeeping. Cost: proportional to size / 256 (bitmap clear).
 */
fh_heap *fh_init(void *base, size_t size);

/*
 * As fh_init, for a region whose every byte already reads as zero (startup
 * code that clears all RAM, for ECC or otherwise): the bookkeeping is not
 * cleared again, so the cost no longer grows with the size. Same result,
 * same NULL cases. A region that is not all zero gives a corrupt heap.
 */
fh_heap *fh_init_zeroed(void *base, size_t size);

/*
 * Allocates size bytes aligned to align (any power of two; 0 means
 * FH_GRANULE). Returns NULL if size is 0, align is not a power of two, the
 * rounded request overflows or no block is free. Payload is uninitialised.
 */
void *fh_alloc(fh_heap *h, size_t size, size_t align);

/* As fh_alloc, then zero-fills the usable size. */
void *fh_alloc_zeroed(fh_heap *h, size_t size, size_t align);

/*
 * Returns a block to the heap; NULL is a no-op. A pointer that is not the start
 * of a live allocation of h changes nothing and is reported to fh_error_hook.
 */
void fh_free(fh_heap *h, void *ptr);

/*
 * fh_free for callers that know the layout: size must lie between the size the
 * block was last requested with and its usable size, and ptr must be aligned to
 * align. A mismatch is rejected (FH_ERR_SIZE_MISMATCH) and frees nothing.
 */
void fh_free_sized(fh_heap *h, void *ptr, size_t size, size_t align);

/*
 * Resizes ptr to new_size, keeping align, in place when fh_resize_in_place
 * can; otherwise allocates aligned, copies min(old usable size, new usable
 * size) bytes (what a resize in place keeps) and frees. A shrink into a
 * smaller size class moves, so it can fail when the heap is full.
 * ptr NULL acts as fh_alloc; new_size 0 frees ptr and returns NULL. On failure
 * returns NULL and the old block is untouched. A ptr not aligned to align is
 * moved to a block that is.
 */
void *fh_realloc(fh_heap *h, void *ptr, size_t new_size, size_t align);

/*
 * Resizes ptr without moving it. Returns the new usable size on success, or the
 * unchanged usable size on refusal (then nothing changed). Blocks of whole
 * pages (usable size a multiple of FH_PAGE_SIZE) always shrink, and grow when
 * the pages after them are free and the block starts on the alignment the
 * larger run needs; a slab object stays in its size class, so only a request
 * of that same class succeeds. Returns 0, changing nothing, for a rejected
 * pointer or an invalid request (new_size 0, align not a power of two). A ptr
 * not aligned to align is refused: a block never moves here.
 */
size_t fh_resize_in_place(fh_heap *h, void *ptr, size_t new_size, size_t align);

/* Bytes the live allocation at ptr may use; 0 for NULL or a rejected pointer,
 * which is reported but, h being const, not counted: this never writes. */
size_t fh_usable_size(const fh_heap *h, const void *ptr);

/*
 * Exactly the usable size fh_alloc(h, size, align) gives on success (see the
 * top of this file). 0 if the request itself is invalid (see fh_alloc).
 */
size_t fh_usable_size_for(size_t size, size_t align);

/* Fills *out. Cost: proportional to the heap size in pages. */
void fh_get_stats(const fh_heap *h, fh_stats *out);

/*
 * Walks every invariant: the page map tiles the area, free lists agree with
 * it, free buddies are merged, slabs' bitmaps and lists agree, byte and
 * allocation totals add up. Returns true if all hold. Never writes. Cost:
 * proportional to the heap size in pages plus the number of free blocks.
 */
bool fh_check(const fh_heap *h);

/* Which invariant fh_check_report found broken. */
typedef enum fh_check_fault {
    FH_CHECK_OK = 0,
    FH_CHECK_HEAP,      /* the instance's own fields (where: the handle) */
    FH_CHECK_TILING,    /* a page that should start a block does not, or a
                           block is misaligned or runs past the area */
    FH_CHECK_INTERIOR,  /* a page inside a block is marked as something */
    FH_CHECK_UNMERGED,  /* a free block whose buddy is free and of its order */
    FH_CHECK_FREE_LIST, /* a free list disagrees with the page map or itself */
    FH_CHECK_SLAB,      /* a slab's bitmap is out of range, or the slab is empty */
    FH_CHECK_SLAB_LIST, /* a class's slab list disagrees with the slabs */
    FH_CHECK_COUNTERS   /* used bytes or live allocations disagree */
} fh_check_fault;

typedef struct fh_check_result {
    fh_check_fault fault;
    const void *where;  /* the page, node or object where it was found */
} fh_check_result;

/*
 * fh_check, saying which invariant failed first and where (r may be NULL).
 * fh_check itself also reports that address to fh_error_hook as
 * FH_ERR_CORRUPT. Never writes to the heap.
 */
bool fh_check_report(const fh_heap *h, fh_check_result *r);

/*
 * Calls fn once per block in address order: every live allocation (its
 * usable extent) and every free block. For heap maps and leak dumps; never
 * writes. Cost: proportional to the heap size in pages plus live objects.
 */
typedef void (*fh_walk_fn)(void *ctx, void *addr, size_t size, bool used);
void fh_walk(const fh_heap *h, fh_walk_fn fn, void *ctx);

/* True if ptr lies in h's handed-out area (says nothing about liveness). */
bool fh_owns(const fh_heap *h, const void *ptr);

/*
 * The default heap over [__heap_start, __heap_end) (symbols the linker script
 * defines), initialised on first call. NULL if that region is unusable. Only
 * meaningful when built with FH_BACKEND=buddy (the default).
 */
fh_heap *fh_default(void);

/*
 * Sets up the default heap now instead of inside the first call that needs
 * it. That first call would otherwise do fh_init on the linker's region with
 * the lock held: interrupts masked for a time that grows with the region
 * (size / 256 stores). Call it early in main, before interrupts are on.
 * Returns whether the linker's region is usable (what fh_default() != NULL
 * says); calling it again changes nothing.
 */
bool fh_default_init(void);

/*
 * fh_default_init for a program whose startup code has already zeroed
 * [__heap_start, __heap_end): uses fh_init_zeroed, so nothing is cleared
 * twice. Only before anything else has used the default heap; afterwards
 * it is fh_default_init.
 */
bool fh_default_init_zeroed(void);

/*
 * Adds [base, base + size) to the default heap as one more region (a second
 * RAM bank; FreeRTOS heap_5 style). Any alignment and size. Allocations try
 * the regions in the order they were added, the linker's first; frees,
 * resizes and usable sizes go to the region that owns the pointer. Up to
 * FH_CONFIG_MAX_REGIONS (default 4) regions in all, the linker's counted
 * even when it is empty. false if the table is full, the region is unusable
 * (see fh_init) or overlaps the linker's or one already added, or the
 * backend is bump. Takes fh_lock() twice, briefly: the region's setup (its
 * fh_init) runs between, with interrupts on.
 */
bool fh_add_region(void *base, size_t size);

/* Region i of the default heap, in the order they serve requests: the
 * linker's first (when it is usable), then the added ones; NULL past the last. */
fh_heap *fh_default_region(unsigned i);

/* Default-heap entry points used by every front end; each takes fh_lock(). */
void  *fh_default_alloc(size_t size, size_t align);
void  *fh_default_alloc_zeroed(size_t size, size_t align);
void   fh_default_free(void *ptr);
void   fh_default_free_sized(void *ptr, size_t size, size_t align);
void  *fh_default_realloc(void *ptr, size_t new_size, size_t align);
size_t fh_default_resize_in_place(void *ptr, size_t new_size, size_t align);
size_t fh_default_usable_size(const void *ptr);
size_t fh_default_usable_size_for(size_t size, size_t align);

/*
 * Nestable critical section around the default heap. The library has none:
 * the program supplies both (src/opt/lock_irq.c masks interrupts on one
 * Cortex-M or RISC-V core, arch/riscv/smp/lock.c adds a spinlock for several
 * harts, src/opt/lock_none.c does nothing for single-context programs), from an
 * object or from a static library linked after libfirmheap.a. Without one
 * the link fails with an undefined fh_lock, never a silently unlocked heap.
 */
void fh_lock(void);
void fh_unlock(void);

/* ---- bump allocator ------------------------------------------------------
 * A pointer that only moves up: O(1) everything, no free except of the most
 * recent block (LIFO), which may also be resized in place. For early boot and
 * firmware that never frees. Same bad-input rules as the buddy heap. Not
 * thread-safe.
 */
typedef struct fh_bump {
    uintptr_t start; /* first usable byte */
    uintptr_t top;   /* next free byte */
    uintptr_t end;   /* one past the last usable byte */
    uintptr_t last;  /* start of the most recent live block, 0 if none */
    size_t peak;     /* high-water mark of bytes in use */
    uint32_t failed_allocs;
    uint32_t rejected_frees;
} fh_bump;

/* false if the region is NULL, wraps or is empty. */
bool   fh_bump_init(fh_bump *b, void *base, size_t size);
void  *fh_bump_alloc(fh_bump *b, size_t size, size_t align);
/* Frees ptr if it is the most recent block, else rejects it (error hook, h NULL). */
void   fh_bump_free(fh_bump *b, void *ptr);
/* Resizes the most recent block in place; returns its new size, or 0 if ptr is
 * an older block or the size does not fit (a ptr outside is also reported). */
size_t fh_bump_resize(fh_bump *b, void *ptr, size_t new_size);
void   fh_bump_reset(fh_bump *b);
/* mark/release: remember top, later drop everything allocated since. A mark
 * is stale once a free has taken the top below it: a block allocated or
 * grown after that may straddle it. Release rejects (error hook, false,
 * nothing changed) a mark above the top (dropped by an earlier release) or
 * inside the newest block; a stale mark inside an older block it cannot
 * see, and releasing to it cuts that block short: do not release to a
 * mark across a free below it. */
uintptr_t fh_bump_mark(const fh_bump *b);
bool   fh_bump_release(fh_bump *b, uintptr_t mark);
size_t fh_bump_used(const fh_bump *b);

#ifdef __cplusplus
}
#endif

#endif /* FIRMHEAP_H */
