/*
 * The default heap: the region the linker script leaves between the end of
 * .bss and the stack reserve, [__heap_start, __heap_end), plus any RAM banks
 * added with fh_add_region. Every front end (malloc family, the Rust hooks,
 * the Rust GlobalAlloc crate) comes through here, so this is the one place
 * that takes the lock and the one place that knows which backend was chosen
 * at build time:
 *
 *   FH_BACKEND_BUMP=0 (default)  buddy heap, initialised on first use
 *   FH_BACKEND_BUMP=1            bump allocator: only the newest block can be
 *                                freed or resized; usable size is exact
 *
 * The lock. fh_lock/fh_unlock mask interrupts (or take a spinlock), so what
 * runs between them must stay as short as the allocator's own worst case.
 * Each entry point holds the lock for one call into the backend (per region
 * tried, for an allocation) and nothing else: the zero fill of
 * fh_default_alloc_zeroed, the copy of a moving realloc and the setup of an
 * added region run unlocked, on memory that no other context can reach at
 * that point (the caller owns both blocks; a claimed region is in no list).
 * A moving realloc therefore takes the lock twice: resize-or-allocate, then
 * free. The one exception is the lazy setup of the linker's region inside
 * the first call; fh_default_init does it early instead.
 *
 * There is no default lock in the library: a program supplies fh_lock and
 * fh_unlock (src/opt/lock_irq.c, src/opt/lock_none.c, arch/riscv/smp/lock.c,
 * the Rust crate's lock feature, or its own). A weak default here would win over a user's lock kept in a static
 * library, since GNU ld pulls an archive member only for a symbol that is
 * still undefined, and the heap would run unlocked without a word. Without
 * a lock the link fails instead, naming fh_lock.
 *
 * FH_HARDEN=1 puts the layer of src/harden.h between this file and the core
 * (free pattern, canary): sizes are translated on the way in and out, and
 * frees and resizes go through it, still one core call per locked section.
 *
 * FH_TRACE=1 records every operation for src/trace.c: one FH_TRACE_OP per
 * entry point, inside the locked section where the heap decided, so the
 * records come in the order the heap saw the operations. A moving realloc
 * is one REALLOC record (its later free of the old block is not another);
 * realloc(NULL, n) and realloc(p, 0) are recorded as the alloc and free
 * they are.
 *
 * The library only references __heap_start and __heap_end; the linker script
 * (or, on the host, the test program) defines them. The first use checks the
 * region once and, if there is none or it is too small, says so through the
 * error hook (FH_ERR_NO_HEAP, FH_ERR_HEAP_TOO_SMALL) instead of leaving a
 * silent NULL from every allocation.
 */
#include "firmheap.h"
#include "align.h"
#include "harden.h"
#include "move.h"

#ifdef FH_CONFIG_HEADER
#include FH_CONFIG_HEADER
#endif

#ifndef FH_BACKEND_BUMP
#define FH_BACKEND_BUMP 0
#endif

#include "trace.h"
_Static_assert(!(FH_HARDEN && FH_BACKEND_BUMP), "FH_HARDEN works on the buddy backend only");

extern char __heap_start[];
extern char __heap_end[];

/*
 * The linker's region; the one place that names its two symbols. The name
 * is the message: a link without them prints "in function
 * `firmheap_needs___heap_start_...'" above "undefined reference to
 * `__heap_start'" (noinline keeps the name from being folded away).
 */
__attribute__((noinline)) static char *
firmheap_needs___heap_start_and___heap_end__INCLUDE_linker_heap_ld(size_t *size)
{
    uintptr_t s = (uintptr_t)__heap_start, e = (uintptr_t)__heap_end;
    *size = e > s ? e - s : 0;
    return __heap_start;
}
#define linker_region firmheap_needs___heap_start_and___heap_end__INCLUDE_linker_heap_ld

/* First use found no usable region: say why, once (the caller remembers). */
static void report_unusable(const char *start, size_t size)
{
    fh_error_hook(NULL, size == 0 ? FH_ERR_NO_HEAP : FH_ERR_HEAP_TOO_SMALL, start);
}

/* A pointer no region can even be asked about: there is no region. */
static void reject_unowned(const void *ptr)
{
    if (ptr)
        fh_error_hook(NULL, FH_ERR_OUTSIDE, ptr);
}

/* An allocation, recorded as op (FH_TRACE_ALLOC or _ALLOC_ZEROED): each
 * backend's. Not inlined, so that without FH_TRACE the code is what it
 * would be with one entry point called from both. */
__attribute__((noinline)) static void *alloc_recorded(size_t size, size_t align, unsigned op);

void *fh_default_alloc(size_t size, size_t align)
{
    return alloc_recorded(size, align, FH_TRACE_ALLOC);
}

void *fh_default_alloc_zeroed(size_t size, size_t align)
{
    void *p = alloc_recorded(size, align, FH_TRACE_ALLOC_ZEROED);
    /* Unlocked: the block is the caller's already. */
    if (p)
        fh_zero_bytes(p, fh_default_usable_size_for(size, align));
    return p;
}

#if !FH_BACKEND_BUMP

/* Regions of the default heap, the linker's included (fh_add_region). */
#ifndef FH_CONFIG_MAX_REGIONS
#define FH_CONFIG_MAX_REGIONS 4u
#endif
_Static_assert(FH_CONFIG_MAX_REGIONS >= 1u && FH_CONFIG_MAX_REGIONS <= 16u,
               "FH_CONFIG_MAX_REGIONS: 1..16");

/* The regions that serve requests, in the order they try them: the linker's
 * first (if it is usable), then the added ones in the order their setup
 * finished. Each is its own buddy instance; a pointer belongs to the region
 * whose area holds it: one range check per region, so every call stays
 * bounded. Only ever appended to. */
static fh_heap *regions[FH_CONFIG_MAX_REGIONS];
static unsigned nr_regions;

/* Address ranges taken by fh_add_region, serving or still being set up,
 * for the overlap check. The linker's range is always taken and keeps its
 * slot in the table even when it is unusable. */
static uintptr_t claimed_lo[FH_CONFIG_MAX_REGIONS], claimed_hi[FH_CONFIG_MAX_REGIONS];
static unsigned nr_claimed;

static fh_heap *linker_heap;
static bool linker_tried;

/* Sets up the linker's region the first time anything needs the heap. Every
 * path calls this before it can publish a region, so the linker's is first. */
static void linker_region_locked(bool zeroed)
{
    if (linker_tried)
        return;
    linker_tried = true;
    size_t size;
    char *start = linker_region(&size);
    /* A hardened region is painted, so no longer zero. */
    fh_hd_prepare_region(start, size);
    linker_heap = zeroed && !FH_HARDEN ? fh_init_zeroed(start, size) : fh_init(start, size);
    if (linker_heap)
        regions[nr_regions++] = linker_heap;
    else
        report_unusable(start, size);
}

/* The region that owns ptr; else the first, whose checks reject and count
 * it; NULL only when there is no region at all. */
static fh_heap *owner_locked(const void *ptr)
{
    linker_region_locked(false);
    for (unsigned i = 1; i < nr_regions; i++)
        if (fh_owns(regions[i], ptr))
            return regions[i];
    return nr_regions ? regions[0] : NULL;
}

static bool overlaps(uintptr_t lo, uintptr_t hi, uintptr_t a, uintptr_t b)
{
    return a < b && lo < b && a < hi;
}

/* Takes [lo, hi) for a new region if the table has room and nothing there
 * overlaps it. */
static bool claim_locked(uintptr_t lo, uintptr_t hi)
{
    size_t size;
    uintptr_t start = (uintptr_t)linker_region(&size);
    if (nr_claimed + 1u >= FH_CONFIG_MAX_REGIONS || overlaps(lo, hi, start, start + size))
        return false;
    for (unsigned i = 0; i < nr_claimed; i++)
        if (overlaps(lo, hi, claimed_lo[i], claimed_hi[i]))
            return false;
    claimed_lo[nr_claimed] = lo;
    claimed_hi[nr_claimed] = hi;
    nr_claimed++;
    return true;
}

static void unclaim_locked(uintptr_t lo)
{
    for (unsigned i = 0; i < nr_claimed; i++)
        if (claimed_lo[i] == lo) {
            nr_claimed--;
            claimed_lo[i] = claimed_lo[nr_claimed];
            claimed_hi[i] = claimed_hi[nr_claimed];
            return;
        }
}

bool fh_add_region(void *base, size_t size)
{
    uintptr_t lo = (uintptr_t)base, hi = lo + size;
    if (hi <= lo)
        return false;
    fh_lock();
    linker_region_locked(false);
    bool ok = claim_locked(lo, hi);
    fh_unlock();
    if (!ok)
        return false;
    /* Set up unlocked: it costs stores in proportion to the size, and no
     * other context can reach a claimed range that is in no region yet. */
    fh_hd_prepare_region(base, size);
    fh_heap *h = fh_init(base, size);
    fh_lock();
    if (h)
        regions[nr_regions++] = h;
    else
        unclaim_locked(lo);
    FH_TRACE_OP(FH_TRACE_REGION, base, size, 0, h != NULL);
    fh_unlock();
    return h != NULL;
}

static bool default_init(bool zeroed)
{
    fh_lock();
    linker_region_locked(zeroed);
    bool ok = linker_heap != NULL;
    fh_unlock();
    return ok;
}

bool fh_default_init(void)
{
    return default_init(false);
}

bool fh_default_init_zeroed(void)
{
    return default_init(true);
}

fh_heap *fh_default_region(unsigned i)
{
    fh_lock();
    linker_region_locked(false);
    fh_heap *h = i < nr_regions ? regions[i] : NULL;
    fh_unlock();
    return h;
}

fh_heap *fh_default(void)
{
    fh_lock();
    linker_region_locked(false);
    fh_heap *h = linker_heap;
    fh_unlock();
    return h;
}

/* The first region that has room; *from gets it. */
static void *alloc_locked(size_t size, size_t align, fh_heap **from)
{
    linker_region_locked(false);
    void *p = NULL;
    for (unsigned i = 0; i < nr_regions && p == NULL; i++) {
        *from = regions[i];
        p = fh_alloc(regions[i], size, align);
    }
    return p;
}

static void *alloc_recorded(size_t size, size_t align, unsigned op)
{
    size_t core_size = fh_hd_request(size);
    fh_heap *from = NULL;
    fh_lock();
    void *p = alloc_locked(core_size, align, &from);
    FH_TRACE_OP(op, NULL, size, align, p);
    fh_unlock();
    if (FH_HARDEN && p) /* the usable size is an out-of-line call: only when it is used */
        fh_hd_handed_out(from, p, fh_usable_size_for(core_size, align));
    return p;
}

/* Frees ptr (with its layout if sized) in the region that owns it; records
 * it unless it ends a moving realloc (recorded already). The hardened free
 * locks for itself: its record follows under a lock of its own. */
__attribute__((noinline)) static void release(void *ptr, size_t size, size_t align, bool sized,
                                              bool record)
{
    unsigned op = sized ? FH_TRACE_FREE_SIZED : FH_TRACE_FREE;
    fh_lock();
    fh_heap *h = owner_locked(ptr);
#if FH_HARDEN
    fh_unlock();
    if (h)
        fh_hd_free(h, ptr, size, align, sized);
    else
        reject_unowned(ptr);
    if (record && FH_TRACE) {
        fh_lock();
        FH_TRACE_OP(op, ptr, size, align, 0);
        fh_unlock();
    }
#else
    if (h == NULL)
        reject_unowned(ptr);
    else if (sized)
        fh_free_sized(h, ptr, size, align);
    else
        fh_free(h, ptr);
    if (record)
        FH_TRACE_OP(op, ptr, size, align, 0);
    fh_unlock();
#endif
}

void fh_default_free(void *ptr)
{
    release(ptr, 0, 0, false, true);
}

void fh_default_free_sized(void *ptr, size_t size, size_t align)
{
    release(ptr, size, align, true, true);
}

/* fh_resize_in_place on ptr, a block of region h: called and returning
 * with the lock held; a hardened build lets go of it in between. */
static size_t resize_locked(fh_heap *h, void *ptr, size_t new_size, size_t align)
{
#if FH_HARDEN
    fh_unlock();
    size_t n = fh_hd_resize(h, ptr, new_size, align);
    fh_lock();
    return n;
#else
    return fh_resize_in_place(h, ptr, new_size, align);
#endif
}

/*
 * In place if the region allows, else a new block from any region, then a
 * copy and a free. Only the resize-or-allocate and the free are locked; the
 * copy (src/move.h's rule) runs in between, while the caller still owns the
 * old block and nobody else has the new one.
 */
void *fh_default_realloc(void *ptr, size_t new_size, size_t align)
{
    if (ptr == NULL)
        return fh_default_alloc(new_size, align);
    if (new_size == 0) {
        fh_default_free(ptr);
        return NULL;
    }
    size_t core_size = fh_hd_request(new_size), want = fh_usable_size_for(core_size, align);
    size_t old = 0;
    fh_heap *to = NULL;
    void *q = NULL;
    fh_lock();
    fh_heap *h = owner_locked(ptr);
    if (h == NULL)
        reject_unowned(ptr);
    else
        old = resize_locked(h, ptr, new_size, align); /* 0: refused (reported) or invalid */
    if (old != 0 && old == want && fh_is_aligned(ptr, align))
        q = ptr;
    else if (old != 0 && want != 0)
        q = alloc_locked(core_size, align, &to);
    FH_TRACE_OP(FH_TRACE_REALLOC, ptr, new_size, align, q);
    fh_unlock();
    if (q == NULL || q == ptr)
        return q;
    fh_hd_handed_out(to, q, want);
    fh_copy_bytes(q, ptr, fh_move_bytes(fh_hd_usable(old), fh_hd_usable(want)));
    release(ptr, 0, 0, false, false);
    return q;
}

size_t fh_default_resize_in_place(void *ptr, size_t new_size, size_t align)
{
    fh_lock();
    fh_heap *h = owner_locked(ptr);
    size_t n = h ? fh_hd_usable(resize_locked(h, ptr, new_size, align)) : 0;
    if (h == NULL)
        reject_unowned(ptr);
    FH_TRACE_OP(FH_TRACE_RESIZE, ptr, new_size, align, n);
    fh_unlock();
    return n;
}

size_t fh_default_usable_size(const void *ptr)
{
    fh_lock();
    fh_heap *h = owner_locked(ptr);
    size_t n = h ? fh_usable_size(h, ptr) : 0;
    if (h == NULL)
        reject_unowned(ptr);
    fh_unlock();
    return fh_hd_usable(n);
}

size_t fh_default_usable_size_for(size_t size, size_t align)
{
    return fh_hd_usable(fh_usable_size_for(fh_hd_request(size), align));
}

#else /* FH_BACKEND_BUMP */

static fh_bump default_bump;
static bool bump_ready, bump_tried;

static fh_bump *bump_locked(void)
{
    if (!bump_tried) {
        bump_tried = true;
        size_t size;
        char *start = linker_region(&size);
        bump_ready = fh_bump_init(&default_bump, start, size);
        if (!bump_ready)
            report_unusable(start, size);
    }
    return bump_ready ? &default_bump : NULL;
}

bool fh_default_init(void)
{
    fh_lock();
    bool ok = bump_locked() != NULL;
    fh_unlock();
    return ok;
}

/* Nothing to clear on the bump backend. */
bool fh_default_init_zeroed(void)
{
    return fh_default_init();
}

fh_heap *fh_default(void)
{
    return NULL;
}

fh_heap *fh_default_region(unsigned i)
{
    (void)i;
    return NULL;
}

bool fh_add_region(void *base, size_t size)
{
    (void)base;
    (void)size;
    return false; /* one region: the bump pointer cannot jump banks */
}

static void *alloc_recorded(size_t size, size_t align, unsigned op)
{
    fh_lock();
    fh_bump *b = bump_locked();
    void *p = b ? fh_bump_alloc(b, size, align) : NULL;
    FH_TRACE_OP(op, NULL, size, align, p);
    fh_unlock();
    return p;
}

void fh_default_free(void *ptr)
{
    fh_lock();
    fh_bump *b = bump_locked();
    if (b)
        fh_bump_free(b, ptr);
    else
        reject_unowned(ptr);
    FH_TRACE_OP(FH_TRACE_FREE, ptr, 0, 0, 0);
    fh_unlock();
}

void fh_default_free_sized(void *ptr, size_t size, size_t align)
{
    (void)size;
    (void)align;
    fh_default_free(ptr);
}

size_t fh_default_resize_in_place(void *ptr, size_t new_size, size_t align)
{
    (void)align;
    fh_lock();
    fh_bump *b = bump_locked();
    size_t n = b ? fh_bump_resize(b, ptr, new_size) : 0;
    if (b == NULL)
        reject_unowned(ptr);
    FH_TRACE_OP(FH_TRACE_RESIZE, ptr, new_size, align, n);
    fh_unlock();
    return n;
}

void *fh_default_realloc(void *ptr, size_t new_size, size_t align)
{
    if (ptr == NULL)
        return fh_default_alloc(new_size, align);
    if (new_size == 0) {
        fh_default_free(ptr);
        return NULL;
    }
    /* One critical section decides: an interrupt must not make ptr "not the
     * newest" between the check and the resize. The copy runs after it. */
    fh_lock();
    fh_bump *b = bump_locked();
    uintptr_t p = (uintptr_t)ptr;
    unsigned char *q = NULL;
    size_t keep = 0;
    if (b == NULL || p < b->start || p >= b->top) {
        if (b)
            b->rejected_frees++;
        reject_unowned(ptr);
    } else if (p == b->last && fh_is_aligned(ptr, align) && fh_bump_resize(b, ptr, new_size)) {
        q = ptr;
    } else {
        /* Only the newest block's size is known; an older one is taken to
         * reach the old top, which stays inside the region. */
        size_t old = b->top - p;
        q = fh_bump_alloc(b, new_size, align);
        keep = q ? fh_move_bytes(old, new_size) : 0;
    }
    FH_TRACE_OP(FH_TRACE_REALLOC, ptr, new_size, align, q);
    fh_unlock();
    fh_copy_bytes(q, ptr, keep);
    return q;
}

size_t fh_default_usable_size(const void *ptr)
{
    fh_lock();
    fh_bump *b = bump_locked();
    size_t n = b && b->last && (uintptr_t)ptr == b->last ? b->top - b->last : 0;
    fh_unlock();
    return n;
}

size_t fh_default_usable_size_for(size_t size, size_t align)
{
    return size && fh_align_valid(align) ? size : 0;
}

#endif
