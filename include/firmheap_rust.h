/*
 * The five allocator hooks of pre-1.28 Rust (liballoc's heap.rs), with their
 * exact names and C ABI, served from the default heap (fh_default()).
 *
 * Contract, as liballoc stated it:
 *  - align is a power of two; size is non-zero. Any power of two is honoured,
 *    up to the size of the heap.
 *  - old_size passed back may be anything between the size last requested and
 *    __rust_usable_size(that size, align).
 *  - __rust_reallocate returns NULL on failure and leaves the block intact.
 *  - __rust_reallocate_inplace never moves: it returns
 *    __rust_usable_size(size, align) if the block now holds size bytes, else
 *    __rust_usable_size(old_size, align) and nothing changed.
 *  - __rust_usable_size is a pure function of (size, align): exactly the bytes
 *    an allocation of that layout may use.
 * A pointer this heap never handed out is rejected through fh_error_hook and
 * changes nothing.
 */
#ifndef FIRMHEAP_RUST_H
#define FIRMHEAP_RUST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

uint8_t *__rust_allocate(size_t size, size_t align);
void     __rust_deallocate(uint8_t *ptr, size_t old_size, size_t align);
uint8_t *__rust_reallocate(uint8_t *ptr, size_t old_size, size_t size, size_t align);
size_t   __rust_reallocate_inplace(uint8_t *ptr, size_t old_size, size_t size, size_t align);
size_t   __rust_usable_size(size_t size, size_t align);

#ifdef __cplusplus
}
#endif

#endif /* FIRMHEAP_RUST_H */
