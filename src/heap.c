/*
 * The heap's public entry points: what a request becomes, what a pointer is,
 * and the rules every entry point keeps.
 *
 * A request (size, align) is a slab object when its class exists (slab.h:
 * size rounded up to the alignment, at least 16, is at most FH_SLAB_MAX and
 * not a whole number of pages); otherwise it is a large allocation:
 * ceil(size / page) pages rounded to FH_CONFIG_LARGE_BITS significant bits,
 * on a boundary of the alignment asked for and of its largest power of two
 * give or take FH_RUN_SLACK orders (buddy.c, run_align). Either way the
 * usable size depends on (size, align) alone: fh_usable_size_for returns it,
 * and a sized free checks it against the block in O(1).
 *
 * A pointer is found from the page map alone (locate): nothing in front of
 * an allocation is read, and freed memory is never trusted. Whatever does not
 * name a live allocation is reported and changes nothing.
 *
 * The common cases (a slab object in, a slab object out) run inline here;
 * everything else calls out to slab.c and buddy.c.
 */
#include "slab.h"
#include "move.h"
#include "null_handle.h"


__attribute__((weak)) void fh_error_hook(const fh_heap *h, fh_error err, const void *ptr)
{
    (void)h;
    (void)err;
    (void)ptr;
}

static inline bool misaligned(const void *ptr, size_t align)
{
    return align != 0 && ((uintptr_t)ptr & (align - 1u)) != 0;
}

/* ---- requests ---- */

/* What a valid request becomes: a class, or FH_NO_CLASS with the page count
 * and the alignment order in pages. */
typedef struct request {
    unsigned cls;
    unsigned align_order;
    unsigned hi; /* order of the largest power of two in pages */
    uintptr_t pages;
} request;

/* A request that is not a slab object: false if it is invalid (size 0,
 * align not a power of two, more than the largest area a heap can have). */
static FH_INLINE bool large_request(size_t size, size_t align, request *r)
{
    r->cls = FH_NO_CLASS;
    if (size - 1u >= FH_AREA_PAGES_MAX * FH_PAGE || (align & (align - 1u)) != 0 ||
        align > FH_AREA_PAGES_MAX * FH_PAGE)
        return false;
    r->pages = fh_large_pages(size, &r->hi);
    r->align_order = align > FH_PAGE ? fh_log2_pow2((uint32_t)(align >> FH_PAGE_SHIFT)) : 0u;
    return true;
}

static FH_INLINE bool classify(size_t size, size_t align, request *r)
{
    r->cls = fh_class_of(size, align);
    return r->cls != FH_NO_CLASS || large_request(size, align, r);
}

static size_t request_bytes(const request *r)
{
    return r->cls != FH_NO_CLASS ? fh_classes[r->cls].size : (size_t)r->pages << FH_PAGE_SHIFT;
}

/* ---- pointers ---- */

/* A live allocation, as found from its pointer. */
typedef struct block {
    uintptr_t page;  /* large: its first page; slab: the slab's first page */
    unsigned cls;    /* FH_NO_CLASS for a large allocation */
    uint32_t bit;    /* slab: the object's bit in the bitmap */
    uintptr_t pages; /* large: its length */
} block;

static size_t block_bytes(const block *b)
{
    return b->cls != FH_NO_CLASS ? fh_classes[b->cls].size : (size_t)b->pages << FH_PAGE_SHIFT;
}

/* Finds the live allocation that starts at ptr: 0, or why not. Never writes. */
static FH_INLINE fh_error locate(const fh_heap *h, const void *ptr, block *b)
{
    uintptr_t page = fh_page_of(ptr);
    if (page - h->page0 >= h->pend - h->page0)
        return FH_ERR_OUTSIDE;
    uint32_t w = *fh_pw(h, page);
    if (PG_TYPE(w) == PG_SLAB) {
        const fh_class *cl = &fh_classes[PG_FIELD(w)];
        uintptr_t base = fh_slab_base(cl, ptr), off = (uintptr_t)ptr - base;
        uint32_t i = (uint32_t)(off * cl->recip) >> 16;
        if (i >= cl->count || i * cl->size != off)
            return FH_ERR_INTERIOR;
        b->page = fh_page_of((void *)base);
        b->cls = PG_FIELD(w);
        b->bit = 1u << i;
        b->pages = 0;
        return (*fh_pw(h, b->page) >> FH_DATA_SHIFT) & b->bit ? FH_ERR_DOUBLE_FREE : 0;
    }
    if (PG_TYPE(w) == PG_FREE && ((uintptr_t)ptr & (FH_PAGE - 1u)) == 0)
        return FH_ERR_DOUBLE_FREE;
    if (PG_TYPE(w) != PG_HEAD || ((uintptr_t)ptr & (FH_PAGE - 1u)) != 0)
        return FH_ERR_INTERIOR;
    b->page = page;
    b->cls = FH_NO_CLASS;
    b->bit = 0;
    b->pages = PG_DATA(w);
    return 0;
}

static void reject(fh_heap *h, fh_error err, const void *ptr)
{
    h->rejected++;
    fh_error_hook(h, err, ptr);
}

/* locate() for the entry points that change the heap: a bad pointer is
 * counted and reported, and nothing else happens. */
static FH_INLINE bool live(fh_heap *h, const void *ptr, block *b)
{
    fh_error err = locate(h, ptr, b);
    if (err)
        reject(h, err, ptr);
    return err == 0;
}

/* A NULL handle is bad input like any other: reported, never followed. */
static inline bool no_heap(const fh_heap *h, const void *ptr)
{
    return fh_null_handle(h, ptr);
}

/* ---- accounting ---- */

/* A live block now holds `after` bytes instead of `before` (0: it is new);
 * the peak follows. */
static inline __attribute__((always_inline)) void charge(fh_heap *h, size_t before, size_t after)
{
    h->used = h->used - before + after;
    if (h->used > h->peak)
        h->peak = h->used;
}

static inline void *booked(fh_heap *h, void *p, size_t bytes)
{
    if (p == NULL) {
        h->failed++;
        return NULL;
    }
    charge(h, 0, bytes);
    h->live++;
    return p;
}

/* Frees the live run of n pages at page. */
static __attribute__((noinline)) void free_large(fh_heap *h, uintptr_t page, uintptr_t n)
{
    h->used -= n << FH_PAGE_SHIFT;
    h->live--;
    h->frees++;
    *fh_pw(h, page) = PG_NONE;
    fh_free_range(h, page, page + n);
}

static FH_INLINE void release(fh_heap *h, const block *b, void *ptr)
{
    if (b->cls == FH_NO_CLASS) {
        free_large(h, b->page, b->pages);
        return;
    }
    h->used -= fh_classes[b->cls].size;
    h->live--;
    h->frees++;
    fh_slab_free(h, (uintptr_t)fh_page_addr(b->page), b->cls, b->bit, ptr);
}

/* ---- allocation ---- */

static __attribute__((noinline)) void *alloc_large(fh_heap *h, size_t size, size_t align)
{
    request r;
    if (no_heap(h, NULL))
        return NULL;
    if (!large_request(size, align, &r))
        return booked(h, NULL, 0);
    uintptr_t g = r.pages <= h->pend - h->page0 ? fh_large_alloc(h, r.pages, r.hi, r.align_order) : 0;
    return booked(h, g ? fh_page_addr(g) : NULL, request_bytes(&r));
}

static __attribute__((noinline)) void *alloc_refill(fh_heap *h, unsigned c)
{
    return booked(h, fh_slab_refill(h, c), fh_classes[c].size);
}

void *fh_alloc(fh_heap *h, size_t size, size_t align)
{
    /* The common case inline and with no call: an object from the first
     * slab on its class's list. The rest are tail calls. */
    unsigned c = fh_class_of(size, align);
    if (h == NULL || c == FH_NO_CLASS)
        return alloc_large(h, size, align);
    fh_node *n = h->partial[c].next;
    if (n == &h->partial[c])
        return alloc_refill(h, c);
    return booked(h, fh_slab_pop(h, c, n), fh_classes[c].size);
}

void *fh_alloc_zeroed(fh_heap *h, size_t size, size_t align)
{
    void *p = fh_alloc(h, size, align);
    if (p)
        fh_zero_bytes(p, fh_usable_size_for(size, align));
    return p;
}

/* ---- freeing ---- */

void fh_free(fh_heap *h, void *ptr)
{
    block b;
    if (ptr != NULL && !no_heap(h, ptr) && live(h, ptr, &b))
        release(h, &b, ptr);
}

/* Whether (size, align) is a valid large request of n pages. Out of line:
 * the common sized free, of a slab object, then needs no stack frame. */
static __attribute__((noinline)) bool large_layout_is(uintptr_t n, size_t size, size_t align)
{
    request r;
    return large_request(size, align, &r) && r.pages == n;
}

void fh_free_sized(fh_heap *h, void *ptr, size_t size, size_t align)
{
    /* The layout names the block's class or page count: checking it is the
     * same O(1) look at the page map as a plain free. */
    block b;
    if (ptr == NULL || no_heap(h, ptr) || !live(h, ptr, &b))
        return;
    bool fits = b.cls != FH_NO_CLASS ? fh_class_of(size, align) == b.cls
                                     : large_layout_is(b.pages, size, align);
    if (!fits || misaligned(ptr, align)) {
        reject(h, FH_ERR_SIZE_MISMATCH, ptr);
        return;
    }
    release(h, &b, ptr);
}

/* ---- resizing ---- */

/* Makes the live block b hold the request r without moving. */
static bool resize_block(fh_heap *h, block *b, const request *r, const void *ptr, size_t align)
{
    if (misaligned(ptr, align) || r->cls != b->cls)
        return false;
    if (r->cls != FH_NO_CLASS)
        return true; /* the same class: nothing to change */
    if (r->pages > h->pend - b->page || !fh_large_resize(h, b->page, b->pages, r->pages, r->hi))
        return false;
    charge(h, block_bytes(b), request_bytes(r));
    b->pages = r->pages;
    return true;
}

size_t fh_resize_in_place(fh_heap *h, void *ptr, size_t new_size, size_t align)
{
    block b;
    request r;
    if (ptr == NULL || no_heap(h, ptr) || !live(h, ptr, &b) || !classify(new_size, align, &r))
        return 0;
    if (!resize_block(h, &b, &r, ptr, align))
        h->failed++;
    return block_bytes(&b);
}

void *fh_realloc(fh_heap *h, void *ptr, size_t new_size, size_t align)
{
    block b;
    request r;
    if (no_heap(h, ptr))
        return NULL;
    if (ptr == NULL)
        return fh_alloc(h, new_size, align);
    if (!live(h, ptr, &b))
        return NULL;
    if (new_size == 0) {
        release(h, &b, ptr);
        return NULL;
    }
    if (!classify(new_size, align, &r))
        return booked(h, NULL, 0);
    if (resize_block(h, &b, &r, ptr, align))
        return ptr;
    void *moved = fh_alloc(h, new_size, align);
    if (moved) {
        fh_copy_bytes(moved, ptr, fh_move_bytes(block_bytes(&b), request_bytes(&r)));
        release(h, &b, ptr);
    }
    return moved;
}

/* ---- sizes ---- */

size_t fh_usable_size(const fh_heap *h, const void *ptr)
{
    block b;
    if (ptr == NULL || no_heap(h, ptr))
        return 0;
    fh_error err = locate(h, ptr, &b);
    if (err) {
        fh_error_hook(h, err, ptr); /* reported; a const call counts nothing */
        return 0;
    }
    return block_bytes(&b);
}

size_t fh_usable_size_for(size_t size, size_t align)
{
    request r;
    return classify(size, align, &r) ? request_bytes(&r) : 0u;
}

bool fh_owns(const fh_heap *h, const void *ptr)
{
    return !no_heap(h, ptr) && fh_page_of(ptr) - h->page0 < h->pend - h->page0;
}

/* ---- setting up ---- */

/* fh_init and fh_init_zeroed: the same setup, but a region that already
 * reads as zero needs its page map cleared no more. */
static fh_heap *init_region(void *base, size_t size, bool zeroed)
{
    uintptr_t start = (uintptr_t)base, end = start + size;
    if (base == NULL || end < start || size < FH_PAGE)
        return NULL;
    uintptr_t hs = (start + sizeof(void *) - 1u) & ~(uintptr_t)(sizeof(void *) - 1u);
    /* [heap][lists][page map][pages ...], the map sized for the whole region
     * so it never falls short of the area that remains after it. */
    uintptr_t pages = size >> FH_PAGE_SHIFT;
    if (pages > FH_AREA_PAGES_MAX)
        pages = FH_AREA_PAGES_MAX;
    unsigned orders = fh_floor_log2((uint32_t)pages) + 1u;
    uintptr_t map = hs + sizeof(fh_heap) + orders * sizeof(fh_node);
    uintptr_t map_end = map + pages * sizeof(uint32_t);
    uintptr_t page0 = (map_end + FH_PAGE - 1u) >> FH_PAGE_SHIFT, pend = end >> FH_PAGE_SHIFT;
    if (map_end >= end || page0 >= pend)
        return NULL;
    if (pend - page0 > pages)
        pend = page0 + pages;
    for (uint32_t *w = (uint32_t *)hs; w < (uint32_t *)map_end && !zeroed; w++)
        *w = 0;

    fh_heap *h = (fh_heap *)hs;
    h->page0 = page0;
    h->pend = pend;
    h->pw_base = map - page0 * sizeof(uint32_t);
    h->order_max = fh_floor_log2((uint32_t)(pend - page0));
    h->meta_bytes = size - ((pend - page0) << FH_PAGE_SHIFT);
    /* The class lists and the order lists are one array of empty lists. */
    for (fh_node *n = h->partial; n <= &h->free_area[h->order_max]; n++)
        n->next = n->prev = n;
    fh_free_range(h, page0, pend);
    return h;
}

fh_heap *fh_init(void *base, size_t size)
{
    return init_region(base, size, false);
}

fh_heap *fh_init_zeroed(void *base, size_t size)
{
    return init_region(base, size, true);
}
