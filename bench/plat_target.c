/*
 * Target glue over the boards' startup code (arch/common/fw.h): console by
 * semihosting, the region in .bss, and on Cortex-M the free-running SysTick.
 *
 * Where the region sits matters: a buddy heap's placement follows absolute
 * addresses. The region is therefore pinned to a fixed offset (one page) past
 * a 256 KiB boundary, so a change in code size, which moves .bss, cannot
 * change any allocator's layout and the numbers stay comparable across
 * builds.
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

#define BENCH_REGION_PIN (256u * 1024u)
#define BENCH_REGION_SKEW 4096u
static _Alignas(BENCH_REGION_PIN) unsigned char region[BENCH_REGION_SKEW + BENCH_REGION_MAX];
void *bench_region(void) { return region + BENCH_REGION_SKEW; }
