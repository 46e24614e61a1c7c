/*
 * The FH_HARDEN layer (see harden.h for what it catches and how). It sits
 * between the default heap and the core and uses only the core's public
 * API, plus the one hook by which the core repaints a list node it lets go.
 * Pattern and canary work runs outside fh_lock: the blocks involved belong
 * to the caller at that point (a block being freed is still the caller's
 * until the core takes it back).
 */
#include "harden.h"
#include "align.h"

#if FH_HARDEN

/* FH_HARDEN_FREE_BYTE in every byte of a word, and the canary's base word. */
#define FREE_WORD (UINTPTR_MAX / 0xFFu * FH_HARDEN_FREE_BYTE)
#define CANARY_WORD (UINTPTR_MAX / 0xFFu * 0xC3u)

/* A canary word depends on where it is: one copied from another block, or
 * left by a block that used to end here, does not pass. */
static inline uintptr_t canary_at(const uintptr_t *w)
{
    return CANARY_WORD ^ (uintptr_t)w;
}

/* Blocks and regions are painted and checked a word at a time; region ends
 * need not be aligned, so their edges go byte by byte. */
static void paint(void *p, size_t n)
{
    unsigned char *b = p, *end = b + n;
    while (b < end && ((uintptr_t)b & (sizeof(uintptr_t) - 1u)))
        *b++ = FH_HARDEN_FREE_BYTE;
    uintptr_t *w = (uintptr_t *)(void *)b;
    uintptr_t *wend = w + (size_t)(end - b) / sizeof(uintptr_t);
    while (w < wend)
        *w++ = FREE_WORD;
    for (b = (unsigned char *)wend; b < end;)
        *b++ = FH_HARDEN_FREE_BYTE;
}

/* Blocks are word-aligned and their sizes whole words. */
static bool painted(const void *p, size_t n)
{
    const uintptr_t *w = p, *wend = w + n / sizeof(uintptr_t);
    while (w < wend)
        if (*w++ != FREE_WORD)
            return false;
    return true;
}

static uintptr_t *canary_of(void *p, size_t core_usable)
{
    return (uintptr_t *)(void *)((unsigned char *)p + fh_hd_usable(core_usable));
}

static void set_canary(void *p, size_t core_usable)
{
    uintptr_t *c = canary_of(p, core_usable);
    for (size_t i = 0; i < FH_HARDEN_CANARY_BYTES / sizeof(uintptr_t); i++)
        c[i] = canary_at(&c[i]);
}

/* Reports a changed canary once, then mends it: a realloc that checks it
 * and then moves the block does not report it again when it frees it. */
static void check_canary(const fh_heap *h, void *p, size_t core_usable)
{
    const uintptr_t *c = canary_of(p, core_usable);
    uintptr_t diff = 0;
    for (size_t i = 0; i < FH_HARDEN_CANARY_BYTES / sizeof(uintptr_t); i++)
        diff |= c[i] ^ canary_at(&c[i]);
    if (diff) {
        fh_error_hook(h, FH_ERR_OVERFLOW, p);
        set_canary(p, core_usable);
    }
}

void fh_hd_node_released(void *node, size_t bytes)
{
    paint(node, bytes);
}

void fh_hd_prepare_region(void *base, size_t size)
{
    paint(base, size);
}

void fh_hd_handed_out(const fh_heap *h, void *p, size_t core_usable)
{
    if (!painted(p, core_usable))
        fh_error_hook(h, FH_ERR_USE_AFTER_FREE, p);
    set_canary(p, core_usable);
}

void fh_hd_free(fh_heap *h, void *ptr, size_t size, size_t align, bool sized)
{
    if (ptr == NULL)
        return;
    fh_lock();
    size_t u = fh_usable_size(h, ptr); /* 0: refused and reported */
    /* A layout the block never had: the core refuses, reports and counts. */
    if (u && sized && (fh_usable_size_for(fh_hd_request(size), align) != u ||
                       !fh_is_aligned(ptr, align))) {
        fh_free_sized(h, ptr, fh_hd_request(size), align);
        u = 0;
    }
    fh_unlock();
    if (u == 0)
        return;
    check_canary(h, ptr, u);
    paint(ptr, u);
    fh_lock();
    fh_free(h, ptr);
    fh_unlock();
}

size_t fh_hd_resize(fh_heap *h, void *ptr, size_t new_size, size_t align)
{
    size_t core_size = fh_hd_request(new_size), want = fh_usable_size_for(core_size, align);
    fh_lock();
    /* An invalid request changes nothing: the core says so (and reports a
     * bad pointer). Else first find out what the block holds. */
    size_t old = want ? fh_usable_size(h, ptr) : fh_resize_in_place(h, ptr, core_size, align);
    fh_unlock();
    if (old == 0 || want == 0)
        return 0;
    check_canary(h, ptr, old);
    /* The core shrinks a run of whole pages in place and never changes a
     * block's size class (firmheap.h): such a shrink gives the tail back,
     * so it is painted first, while it is still the caller's. */
    if (fh_is_aligned(ptr, align) && want < old && want % FH_PAGE_SIZE == 0 && old % FH_PAGE_SIZE == 0)
        paint((unsigned char *)ptr + want, old - want);
    fh_lock();
    size_t got = fh_resize_in_place(h, ptr, core_size, align);
    fh_unlock();
    if (got == old)
        return got; /* refused: unchanged, canary and all */
    if (got > old && !painted((unsigned char *)ptr + old, got - old))
        fh_error_hook(h, FH_ERR_USE_AFTER_FREE, ptr);
    set_canary(ptr, got);
    return got;
}

#else

/* ISO C wants a declaration in every translation unit. */
typedef int fh_harden_off;

#endif
