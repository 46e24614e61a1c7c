/*
 * The instruction counter each platform reads around one call.
 *
 * RISC-V: minstret, in machine mode. Under QEMU's `-icount shift=0` it counts
 * retired instructions exactly and repeatably (without -icount QEMU returns
 * host time there, so the runner always passes -icount).
 *
 * Cortex-M (mps2-an385): QEMU has no cycle counter (no DWT CYCCNT), so we read
 * SysTick's current value, which counts down at the CPU clock. Under -icount
 * the clock advances by a fixed amount per instruction, so ticks convert to
 * instructions exactly up to the tick resolution; bench_delta gives ticks and
 * the image prints the calibrated ticks-per-instruction ratio.
 *
 * Host: no exact counter; host runs check the workloads and feed callgrind,
 * which counts instructions per function instead.
 */
#ifndef BENCH_COUNTER_H
#define BENCH_COUNTER_H

#include <stdint.h>

#if defined(__riscv)
/* The "memory" clobber keeps the compiler from moving loads or stores of the
 * measured call across the read. */
static inline uint32_t bench_now(void)
{
    uint32_t v;
    __asm__ volatile("csrr %0, minstret" : "=r"(v)::"memory");
    return v;
}
static inline uint32_t bench_delta(uint32_t t0, uint32_t t1) { return t1 - t0; }
#define BENCH_COUNTER_NAME "minstret"

#elif defined(__arm__)
/* SysTick registers (ARMv7-M ARM B3.3). */
#define BENCH_SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define BENCH_SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define BENCH_SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define BENCH_SYST_MASK 0x00FFFFFFu /* 24-bit down-counter */
static inline uint32_t bench_now(void)
{
    uint32_t v;
    __asm__ volatile("" ::: "memory");
    v = BENCH_SYST_CVR;
    __asm__ volatile("" ::: "memory");
    return v;
}
/* Counts down and wraps at 24 bits. */
static inline uint32_t bench_delta(uint32_t t0, uint32_t t1)
{
    return (t0 - t1) & BENCH_SYST_MASK;
}
#define BENCH_COUNTER_NAME "systick"

#else
static inline uint32_t bench_now(void) { return 0; }
static inline uint32_t bench_delta(uint32_t t0, uint32_t t1) { return t1 - t0; }
#define BENCH_COUNTER_NAME "none"
#endif

#endif
