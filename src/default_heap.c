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
 * host, the test program) defines them.
 */
#include "firmheap.h"

#ifndef FH_BACKEND_BUMP
#define FH_BACKEND_BUMP 0
#endif

extern char __heap_start[];
extern char __heap_end[];

/* The host build and single-context firmware need no lock. Each arch's
 * strong definitions (interrupt masking) replace these. */
__attribute__((weak)) void fh_lock(void) {}
__attribute__((weak)) void fh_unlock(void) {}

static size_t region_size(void)
{
    uintptr_t s = (uintptr_t)__heap_start, e = (uintptr_t)__heap_end;
    return e > s ? e - s : 0;
}

#if !FH_BACKEND_BUMP

static fh_heap *default_heap;

static fh_heap *heap_locked(void)
{
    if (default_heap == NULL)
        default_heap = fh_init(__heap_start, region_size());
    return default_heap;
}

fh_heap *fh_default(void)
{
    fh_lock();
    fh_heap *h = heap_locked();
    fh_unlock();
    return h;
}

void *fh_default_alloc(size_t size, size_t align)
{
    fh_lock();
    fh_heap *h = heap_locked();
    void *p = h ? fh_alloc(h, size, align) : NULL;
    fh_unlock();
    return p;
}

void *fh_default_alloc_zeroed(size_t size, size_t align)
{
    fh_lock();
    fh_heap *h = heap_locked();
    void *p = h ? fh_alloc_zeroed(h, size, align) : NULL;
    fh_unlock();
    return p;
}

void fh_default_free(void *ptr)
{
    fh_lock();
    fh_heap *h = heap_locked();
    if (h)
        fh_free(h, ptr);
    fh_unlock();
}

void fh_default_free_sized(void *ptr, size_t size, size_t align)
{
    fh_lock();
    fh_heap *h = heap_locked();
    if (h)
        fh_free_sized(h, ptr, size, align);
    fh_unlock();
}

void *fh_default_realloc(void *ptr, size_t new_size, size_t align)
{
    fh_lock();
    fh_heap *h = heap_locked();
    void *p = h ? fh_realloc(h, ptr, new_size, align) : NULL;
    fh_unlock();
    return p;
}

size_t fh_default_resize_in_place(void *ptr, size_t new_size, size_t align)
{
    fh_lock();
    fh_heap *h = heap_locked();
    size_t n = h ? fh_resize_in_place(h, ptr, new_size, align) : 0;
    fh_unlock();
    return n;
}

size_t fh_default_usable_size(const void *ptr)
{
    fh_lock();
    fh_heap *h = heap_locked();
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
static bool bump_ready;

static fh_bump *bump_locked(void)
{
    if (!bump_ready)
        bump_ready = fh_bump_init(&default_bump, __heap_start, region_size());
    return bump_ready ? &default_bump : NULL;
}

fh_heap *fh_default(void)
{
    return NULL;
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
