/*
 * Target glue over the boards' startup code (arch/common/fw.h): console by
 * semihosting, the region in .bss (page-aligned so every allocator sees the
 * same layout on every run), and on Cortex-M the free-running SysTick.
 */
#include "bench.h"
#include "fw.h"

void bench_platform_init(void);
void bench_platform_init(void)
{
#if defined(__arm__)
    /* Free-running at the core clock, no interrupt: the widest 24-bit span. */
    BENCH_SYST_CSR = 0;
    BENCH_SYST_RVR = BENCH_SYST_MASK;
    BENCH_SYST_CVR = 0;
    BENCH_SYST_CSR = 5u; /* ENABLE | CLKSOURCE (core clock) */
#endif
}

void bench_puts(const char *s) { fw_print(s); }

static _Alignas(4096) unsigned char region[BENCH_REGION_MAX];
void *bench_region(void) { return region; }
