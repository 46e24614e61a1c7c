/*
 * A C library's malloc behind the bench interface: picolibc on RISC-V,
 * newlib and newlib-nano on Cortex-M. BENCH_LIBC_NAME names it.
 *
 * malloc gives BENCH_LIBC_ALIGN (8 on these targets); larger alignments go
 * through memalign, which is what portable firmware would have to call.
 * The region comes in through sbrk (bench/sbrk.c), so the library sees the
 * same bytes as every other allocator and fails where they run out. Its
 * state cannot be reset, so each job runs in a fresh boot (BA_NO_RESET).
 * Heaps up to 256 KiB only: picolibc's and newlib-nano's free lists are
 * walked linearly, and a 32 MiB fill would take hours of emulation.
 */
#include <malloc.h>
#include <stdlib.h>

#include "bench.h"

#ifndef BENCH_LIBC_NAME
#define BENCH_LIBC_NAME "libc"
#endif
#ifndef BENCH_LIBC_ALIGN
#define BENCH_LIBC_ALIGN 8u
#endif

void bench_sbrk_setup(void *base, size_t size);

static bool inited;

#if defined(__riscv)
/* picolibc keeps errno in thread-local storage (local-exec: tp + offset) and
 * malloc sets it when sbrk runs dry. The boards' startup sets no tp (the
 * library itself needs none), so give the one thread a zeroed TLS block,
 * larger than the image's whole TLS segment (4 bytes: errno). */
static _Alignas(16) unsigned char tls_block[64];
static void tls_setup(void) { __asm__ volatile("mv tp, %0" ::"r"(tls_block)); }
#else
static void tls_setup(void) {}
#endif

static bool l_init(void *base, size_t size)
{
    if (inited)
        return false; /* malloc state cannot be reset */
    inited = true;
    tls_setup();
    bench_sbrk_setup(base, size);
    return true;
}

static void *l_alloc(size_t size, size_t align, uint32_t *cost)
{
    void *p;
    if (align <= BENCH_LIBC_ALIGN)
        BENCH_TIMED(*cost, p = malloc(size));
    else
        BENCH_TIMED(*cost, p = memalign(align, size));
    return p;
}

static void l_free(void *ptr, size_t size, size_t align, uint32_t *cost)
{
    (void)size;
    (void)align;
    BENCH_TIMED(*cost, free(ptr));
}

static void *l_realloc(void *ptr, size_t old_size, size_t size, size_t align, uint32_t *cost)
{
    (void)old_size;
    void *p;
    (void)align; /* workloads realloc only with align <= BENCH_LIBC_ALIGN */
    BENCH_TIMED(*cost, p = realloc(ptr, size));
    return p;
}

const bench_alloc bench_adapter = {
    .name = BENCH_LIBC_NAME,
    .init = l_init,
    .alloc = l_alloc,
    .free = l_free,
    .realloc = l_realloc,
    .max_heap = 256u * 1024u,
    .flags = BA_NO_RESET,
};
