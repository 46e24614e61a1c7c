/*
 * The default heap: the region the linker script leaves between the end of
 * .bss and the stack reserve, [__heap_start, __heap_end). Every front end
 * (malloc family, the Rust hooks, the Rust GlobalAlloc crate) comes through
 * here, so this is the one place that takes the lock and the one place that
 * knows which backend was chosen at build time:
 *
 *   FH_BACKEND_BUMP=0 (default)  buddy heap, initialised on first use
 *   FH_BACKEND_BUMP=1            bump allocator: only the newest block can be
 *                                freed or resized; usable size is exact
 *
 * The library only references the two symbols; the linker script (or, on the
 * host, the test program) defines them. The first use checks the region
 * once and, if there is none or it is too small, says so through the error
 * hook (FH_ERR_NO_HEAP, FH_ERR_HEAP_TOO_SMALL) instead of leaving a silent
 * NULL from every allocation.
 */
#include "firmheap.h"

#ifdef FH_CONFIG_HEADER
#include FH_CONFIG_HEADER
#endif

#ifndef FH_BACKEND_BUMP
#define FH_BACKEND_BUMP 0
#endif

extern char __heap_start[];
extern char __heap_end[];

/* The host build and single-context firmware need no lock. Each arch's
 * strong definitions (interrupt masking) replace these. */
__attribute__((weak)) void fh_lock(void) {}
__attribute__((weak)) void fh_unlock(void) {}

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

#if !FH_BACKEND_BUMP

/* Regions of the default heap, the linker's included (fh_add_region). */
#ifndef FH_CONFIG_MAX_REGIONS
#define FH_CONFIG_MAX_REGIONS 4u
#endif
_Static_assert(FH_CONFIG_MAX_REGIONS >= 1u && FH_CONFIG_MAX_REGIONS <= 16u,
               "FH_CONFIG_MAX_REGIONS: 1..16");

/* Each region is its own buddy instance; requests try them in the order they
 * were added, the linker's first. A pointer belongs to the region whose area
 * holds it: one range check per region, so every call stays bounded. */
static fh_heap *regions[FH_CONFIG_MAX_REGIONS];
static uintptr_t region_end[FH_CONFIG_MAX_REGIONS]; /* for the overlap check */
static unsigned nr_regions;
static bool linker_region_tried;

static fh_heap *heap_locked(void)
{
    if (!linker_region_tried) {
        linker_region_tried = true;
        size_t size;
        char *start = linker_region(&size);
        regions[0] = fh_init(start, size);
        region_end[0] = (uintptr_t)start + size;
        if (regions[0])
            nr_regions = 1;
        else
            report_unusable(start, size);
    }
    return regions[0];
}

/* The region that owns ptr; the first one when none does, so that its
 * checks reject and report the pointer. */
static fh_heap *owner_locked(const void *ptr)
{
    heap_locked();
    for (unsigned i = 1; i < nr_regions; i++)
        if (fh_owns(regions[i], ptr))
            return regions[i];
    return regions[0];
}

bool fh_add_region(void *base, size_t size)
{
    uintptr_t lo = (uintptr_t)base, hi = lo + size;
    bool ok = hi > lo;
    fh_lock();
    heap_locked();
    /* Each region's bookkeeping starts within a word of its base, so
     * [instance, end) covers all of it. */
    for (unsigned i = 0; i < nr_regions && ok; i++)
        ok = hi <= (uintptr_t)regions[i] - sizeof(void *) || lo >= region_end[i];
    if (ok && nr_regions > 0 && nr_regions < FH_CONFIG_MAX_REGIONS) {
        regions[nr_regions] = fh_init(base, size);
        region_end[nr_regions] = hi;
        ok = regions[nr_regions] != NULL;
        nr_regions += ok;
    } else {
        ok = false;
    }
    fh_unlock();
    return ok;
}

fh_heap *fh_default_region(unsigned i)
{
    fh_lock();
    heap_locked();
    fh_heap *h = i < nr_regions ? regions[i] : NULL;
    fh_unlock();
    return h;
}

fh_heap *fh_default(void)
{
    return fh_default_region(0);
}

static void *alloc_locked(size_t size, size_t align, bool zeroed)
{
    heap_locked();
    void *p = NULL;
    for (unsigned i = 0; i < nr_regions && p == NULL; i++)
        p = zeroed ? fh_alloc_zeroed(regions[i], size, align) : fh_alloc(regions[i], size, align);
    return p;
}

void *fh_default_alloc(size_t size, size_t align)
{
    fh_lock();
    void *p = alloc_locked(size, align, false);
    fh_unlock();
    return p;
}

void *fh_default_alloc_zeroed(size_t size, size_t align)
{
    fh_lock();
    void *p = alloc_locked(size, align, true);
    fh_unlock();
    return p;
}

void fh_default_free(void *ptr)
{
    fh_lock();
    fh_heap *h = owner_locked(ptr);
    if (h)
        fh_free(h, ptr);
    fh_unlock();
}

void fh_default_free_sized(void *ptr, size_t size, size_t align)
{
    fh_lock();
    fh_heap *h = owner_locked(ptr);
    if (h)
        fh_free_sized(h, ptr, size, align);
    fh_unlock();
}

void *fh_default_realloc(void *ptr, size_t new_size, size_t align)
{
    fh_lock();
    void *p = NULL;
    fh_heap *h = owner_locked(ptr);
    if (h == NULL) {
        /* no heap at all */
    } else if (ptr == NULL) {
        p = alloc_locked(new_size, align, false);
    } else if (nr_regions == 1) {
        p = fh_realloc(h, ptr, new_size, align);
    } else {
        size_t old = fh_usable_size(h, ptr); /* 0: rejected, reported */
        p = old ? fh_realloc(h, ptr, new_size, align) : NULL;
        if (p == NULL && old != 0 && new_size != 0) {
            /* Its own region is full: move to another one. */
            unsigned char *q = alloc_locked(new_size, align, false);
            const unsigned char *from = ptr;
            for (size_t i = 0; q && i < old && i < new_size; i++)
                q[i] = from[i];
            if (q)
                fh_free(h, ptr);
            p = q;
        }
    }
    fh_unlock();
    return p;
}

size_t fh_default_resize_in_place(void *ptr, size_t new_size, size_t align)
{
    fh_lock();
    fh_heap *h = owner_locked(ptr);
    size_t n = h ? fh_resize_in_place(h, ptr, new_size, align) : 0;
    fh_unlock();
    return n;
}

size_t fh_default_usable_size(const void *ptr)
{
    fh_lock();
    fh_heap *h = owner_locked(ptr);
    size_t n = h ? fh_usable_size(h, ptr) : 0;
    fh_unlock();
    return n;
}

size_t fh_default_usable_size_for(size_t size, size_t align)
{
    return fh_usable_size_for(size, align);
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

void *fh_default_alloc(size_t size, size_t align)
{
    fh_lock();
    fh_bump *b = bump_locked();
    void *p = b ? fh_bump_alloc(b, size, align) : NULL;
    fh_unlock();
    return p;
}

void *fh_default_alloc_zeroed(size_t size, size_t align)
{
    unsigned char *p = fh_default_alloc(size, align);
    if (p) {
        /* Fresh bump memory may be reused after a release: clear it. */
        volatile unsigned char *v = p;
        for (size_t i = 0; i < size; i++)
            v[i] = 0;
    }
    return p;
}

void fh_default_free(void *ptr)
{
    fh_lock();
    fh_bump *b = bump_locked();
    if (b)
        fh_bump_free(b, ptr);
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
    /* One critical section: an interrupt must not make ptr "not the newest"
     * between the check and the resize. */
    fh_lock();
    fh_bump *b = bump_locked();
    uintptr_t p = (uintptr_t)ptr;
    unsigned char *q = NULL;
    if (b == NULL || p < b->start || p >= b->top) {
        if (b)
            b->rejected_frees++;
        fh_error_hook(NULL, FH_ERR_OUTSIDE, ptr);
    } else if (p == b->last && (align == 0 || (p & (align - 1u)) == 0) &&
               fh_bump_resize(b, ptr, new_size)) {
        q = ptr;
    } else {
        /* Only the newest block's size is known; an older one is copied up
         * to the old top, which stays inside the region. */
        size_t old = b->top - p;
        q = fh_bump_alloc(b, new_size, align);
        const unsigned char *s = ptr;
        for (size_t i = 0; q && i < old && i < new_size; i++)
            q[i] = s[i];
    }
    fh_unlock();
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
    return size && (align & (align - 1u)) == 0 ? size : 0;
}

#endif
