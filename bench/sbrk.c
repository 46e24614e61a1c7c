/*
 * sbrk over the bench region, for the libc peers: picolibc's malloc calls
 * sbrk, newlib's calls _sbrk (through _sbrk_r). Defining them here keeps the
 * C library's own versions (which use the linker's whole heap) out of the
 * link, so a peer gets exactly the bytes firmheap gets and fails where it
 * runs out of them.
 */
#include <stddef.h>
#include <stdint.h>

void bench_sbrk_setup(void *base, size_t size);
void *sbrk(ptrdiff_t incr);
void *_sbrk(ptrdiff_t incr);

static uint8_t *brk_start, *brk_cur, *brk_end;

void bench_sbrk_setup(void *base, size_t size)
{
    brk_start = brk_cur = base;
    brk_end = brk_start + size;
}

void *sbrk(ptrdiff_t incr)
{
    uint8_t *old = brk_cur;
    if (incr > brk_end - brk_cur || incr < brk_start - brk_cur)
        return (void *)-1; /* the libraries' failure value */
    brk_cur += incr;
    return old;
}

void *_sbrk(ptrdiff_t incr) { return sbrk(incr); }
