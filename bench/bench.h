/*
 * The benchmark's one interface: every allocator under test (firmheap buddy,
 * firmheap bump, a libc malloc) is driven through a bench_alloc table, so the
 * same workload code runs against each of them and differences in the numbers
 * come from the allocators, not from the drivers.
 *
 * Measuring. BENCH_TIMED reads the platform's instruction counter immediately
 * before and after one allocator call (bench/counter.h). The adapters put the
 * counter reads around the library call itself, so a sample is what a C
 * caller pays: argument setup, the call, the function body and the return.
 * The cost of the two counter reads is calibrated once and subtracted.
 *
 * Samples are kept per operation kind and summarised (mean, p99, max) at the
 * end of each workload; the host-side report (tools/bench-report) turns the
 * printed lines into tables and plots.
 *
 * Self-checks. Every block is filled with a tag byte and verified before it
 * is freed or reallocated, every pointer is checked against the alignment it
 * was asked for, and allocators that can check themselves (fh_check) are asked
 * to. A failed check makes the run fail; timing never does.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counter.h"

/* ---- allocator adapters ------------------------------------------------ */

/* Timed operations fill *cost with instructions spent in the call. */
typedef struct bench_alloc {
    const char *name;
    /* Fresh heap over [base, base + size); false if it cannot be set up. */
    bool (*init)(void *base, size_t size);
    void *(*alloc)(size_t size, size_t align, uint32_t *cost);
    void (*free)(void *ptr, uint32_t *cost);
    /* Resizes keeping align; NULL on failure with ptr untouched. */
    void *(*realloc)(void *ptr, size_t size, size_t align, uint32_t *cost);
    /* Optional: full consistency check, true if the heap is sound. */
    bool (*check)(void);
    /* Optional: calls fn per block in address order (heap map). */
    void (*walk)(void (*fn)(void *ctx, void *addr, size_t size, bool used), void *ctx);
    /* Optional: bookkeeping bytes the heap took from its region. */
    size_t (*metadata)(void);
    unsigned flags;
} bench_alloc;

/* flags */
#define BA_LIFO_ONLY 1u /* frees only the most recent block (bump) */
#define BA_UNBOUNDED 2u /* ignores the region (host malloc): no efficiency */

/* The adapter linked into this image. */
extern const bench_alloc bench_adapter;

/* ---- platform glue (bench/plat_*.c) ------------------------------------- */
void bench_puts(const char *s); /* writes s, no newline added */
/* The region peers and firmheap are handed; at least BENCH_REGION_MAX bytes. */
void *bench_region(void);
#define BENCH_REGION_MAX (256u * 1024u)

/* ---- samples and output (bench/stats.c) -------------------------------- */
enum bench_op {
    OP_ALLOC,
    OP_FREE,
    OP_REALLOC_INPLACE,
    OP_REALLOC_MOVE,
    OP_ALLOC_FAIL,
    OP_COUNT
};

void bench_calibrate(void);
/* Subtracts the counter overhead; call from adapters via BENCH_TIMED. */
extern uint32_t bench_overhead;
void bench_record(enum bench_op op, uint32_t cost);
void bench_reset(void);
/* Prints "R ..." summary lines for every op kind with samples. */
void bench_report(const char *alloc, const char *wl);

void bench_out_s(const char *s);
void bench_out_u(uint64_t v);
void bench_out_nl(void);

/* A failed self-check: prints the reason, marks the workload failed. */
void bench_fail(const char *what, uint64_t detail);
extern unsigned bench_failures;

/* t = instructions spent in stmt, counter overhead removed. */
#define BENCH_TIMED(t, stmt)                                     \
    do {                                                         \
        uint32_t t0_ = bench_now();                              \
        stmt;                                                    \
        uint32_t t1_ = bench_now();                              \
        uint32_t d_ = bench_delta(t0_, t1_);                     \
        (t) = d_ > bench_overhead ? d_ - bench_overhead : 0u;    \
    } while (0)

/* ---- workloads (bench/workloads.c) -------------------------------------- */
typedef struct bench_workload {
    const char *name;
    void (*run)(const bench_alloc *a);
    unsigned flags;
} bench_workload;
#define WL_LIFO 1u  /* frees are LIFO: the bump allocator can run it */
#define WL_MAP  2u  /* dump a heap map at the workload's fullest */

extern const bench_workload bench_workloads[];
extern const unsigned bench_nr_workloads;
/* Scales step counts: 1 for the benchmark, smaller for the smoke run. */
extern unsigned bench_steps_div;

/* The tests' xorshift32: the same sequence on every target. */
#include "xorshift.h"
#define bench_rand xs_rand
#define bench_range xs_range

#endif
