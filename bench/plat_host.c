/* Host glue: stdout, and a static region. Host runs check the workloads and
 * feed callgrind; they have no exact per-call counter. */
#include <stdio.h>

#include "bench.h"

void bench_platform_init(void);
void bench_platform_init(void) {}

void bench_puts(const char *s) { fputs(s, stdout); }

static _Alignas(4096) unsigned char region[BENCH_REGION_MAX];
void *bench_region(void) { return region; }

/* glibc's malloc keeps its own arenas: the region is not used (BA_UNBOUNDED). */
void bench_sbrk_setup(void *base, size_t size);
void bench_sbrk_setup(void *base, size_t size)
{
    (void)base;
    (void)size;
}
