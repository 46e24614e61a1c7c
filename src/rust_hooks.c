/*
 * The five allocator hooks of pre-1.28 Rust, over the default heap. The
 * contract is in include/firmheap_rust.h; the notes here are about how the
 * buddy heap meets it.
 *
 * Usable size is a function of (size, align) alone (a size class or a page
 * count), so __rust_usable_size is pure; the rounding never goes down, so
 * any old_size between a request and its usable size names the same class
 * or page count, and __rust_deallocate can pass old_size on: a layout that
 * does not match the block is caught and refused instead of freeing the
 * wrong extent. A refused in-place shrink (a slab object keeps its class)
 * answers usable_size(old_size), so the caller keeps the old layout.
 */
#include "firmheap_rust.h"
#include "firmheap.h"

uint8_t *__rust_allocate(size_t size, size_t align)
{
    return fh_default_alloc(size, align);
}

void __rust_deallocate(uint8_t *ptr, size_t old_size, size_t align)
{
    fh_default_free_sized(ptr, old_size, align);
}

/* NULL means "failed, block intact" here, so a layout that no allocation can
 * have (size 0, a non-power-of-two alignment) fails before the default heap,
 * whose realloc frees on size 0, sees it. */
uint8_t *__rust_reallocate(uint8_t *ptr, size_t old_size, size_t size, size_t align)
{
    (void)old_size;
    if (fh_default_usable_size_for(size, align) == 0)
        return NULL;
    return fh_default_realloc(ptr, size, align);
}

size_t __rust_reallocate_inplace(uint8_t *ptr, size_t old_size, size_t size, size_t align)
{
    size_t want = fh_default_usable_size_for(size, align);
    size_t got = fh_default_resize_in_place(ptr, size, align);
    /* Success is "the block now holds size bytes"; anything else leaves the
     * block as it was, whose usable size the caller computes from old_size. */
    return want != 0 && got == want ? want : fh_default_usable_size_for(old_size, align);
}

size_t __rust_usable_size(size_t size, size_t align)
{
    return fh_default_usable_size_for(size, align);
}
