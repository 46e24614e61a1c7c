/*
 * Target glue over the boards' startup code (arch/common/fw.h): console and
 * command line by semihosting, the regions the heaps get, and on Cortex-M
 * the free-running SysTick.
 *
 * Where a region sits matters: a buddy heap's placement follows absolute
 * addresses. Regions therefore start at fixed offsets (BENCH_BASE_SKEW0/1)
 * past a 256 KiB boundary, so a change in code size, which moves .bss,
 * changes no allocator's layout and the numbers stay comparable across
 * builds. Two kinds of room:
 *
 *   BENCH_POOL_BYTES set (a bench board with QEMU memory to spare past the
 *   linker's RAM, see BENCH_POOL_<board> in mk/part-bench.mk): the regions
 *   start at the first 256 KiB boundary at or past __stack_top, any size up
 *   to 32 MiB, and the slot table takes the rest of the pool. Were QEMU
 *   given less memory than that, the first store would trap and the run
 *   would fail with the trap report.
 *
 *   otherwise: a .bss array holding regions up to 256 KiB, and a slot table
 *   in .bss.
 */
#include "bench.h"
#include "fw.h"
#include "semihost.h"

#define PIN (256u * 1024u)
/* Semihosting operations beyond the two arch/common uses (Arm semihosting
 * specification; QEMU serves them on RISC-V too). */
#define SH_SYS_OPEN 0x01
#define SH_SYS_CLOSE 0x02
#define SH_SYS_READ 0x06
#define SH_SYS_FLEN 0x0C
#define SH_SYS_GET_CMDLINE 0x15
#define SH_OPEN_MODE_RB 1u /* fopen mode "rb" */

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

int bench_main(void);
int main(void) { return bench_main(); }

/* QEMU's -semihosting-config arg=... words, joined by spaces. */
const char *bench_cmdline(void)
{
    static char buf[2048];
    volatile uintptr_t block[2] = {(uintptr_t)buf, sizeof buf};
    if (sh_trap(SH_SYS_GET_CMDLINE, (uintptr_t)block) != 0)
        buf[0] = '\0';
    return buf;
}

bool bench_read_file(const char *path, void *buf, size_t cap, size_t *len)
{
    size_t n = 0;
    while (path[n])
        n++;
    volatile uintptr_t open[3] = {(uintptr_t)path, SH_OPEN_MODE_RB, n};
    intptr_t fd = (intptr_t)sh_trap(SH_SYS_OPEN, (uintptr_t)open);
    if (fd < 0)
        return false;
    volatile uintptr_t one[1] = {(uintptr_t)fd};
    intptr_t flen = (intptr_t)sh_trap(SH_SYS_FLEN, (uintptr_t)one);
    bool ok = flen >= 0 && (size_t)flen <= cap;
    if (ok) {
        volatile uintptr_t read[3] = {(uintptr_t)fd, (uintptr_t)buf, (uintptr_t)flen};
        ok = sh_trap(SH_SYS_READ, (uintptr_t)read) == 0; /* bytes not read */
        *len = (size_t)flen;
    }
    sh_trap(SH_SYS_CLOSE, (uintptr_t)one);
    return ok;
}

static uintptr_t skew(unsigned base) { return base ? BENCH_BASE_SKEW1 : BENCH_BASE_SKEW0; }

#ifdef BENCH_POOL_BYTES
#define REGION_MAX (32u * 1024u * 1024u)
#define REGION_AREA (REGION_MAX + PIN) /* the largest region at either skew */
extern char __stack_top[];

static uintptr_t pool(void) { return ((uintptr_t)__stack_top + PIN - 1u) & ~(uintptr_t)(PIN - 1u); }

void *bench_region(size_t heap_bytes, unsigned base)
{
    return heap_bytes <= REGION_MAX ? (void *)(pool() + skew(base)) : 0;
}

void *bench_slot_room(size_t slot_bytes, uint32_t *n)
{
    *n = (uint32_t)((BENCH_POOL_BYTES - REGION_AREA) / slot_bytes);
    return (void *)(pool() + REGION_AREA);
}
#else
#define REGION_MAX (256u * 1024u)
static _Alignas(PIN) unsigned char regions[BENCH_BASE_SKEW1 + REGION_MAX];

void *bench_region(size_t heap_bytes, unsigned base)
{
    return heap_bytes <= REGION_MAX ? regions + skew(base) : 0;
}

static _Alignas(8) unsigned char slot_room[16384u * 16u];
void *bench_slot_room(size_t slot_bytes, uint32_t *n)
{
    *n = (uint32_t)(sizeof slot_room / slot_bytes);
    return slot_room;
}
#endif
