/*
 * The benchmark battery's one interface (issue 8). Every allocator under test
 * (firmheap at -O2 and -Os, firmheap's bump heap, a C library's malloc, and
 * any peer a scratch adapter wraps) sits behind a bench_alloc table, so the
 * same workload code drives each of them and differences in the numbers come
 * from the allocators, not from the drivers.
 *
 * Shape of a run. An image (or the host binary) holds one adapter and the
 * whole job plan (bench/plan.c): every (job kind, distribution, seed, heap
 * size, region base, free mode) the battery measures. It is told on its
 * command line which jobs to run (QEMU semihosting arguments, or argv on the
 * host), runs them, and prints one key=value line per result for
 * tools/bench-report. A job passes if every self-check held.
 *
 * Measuring. BENCH_TIMED reads the platform's instruction counter right
 * before and after one allocator call (bench/counter.h); the adapters put it
 * around the library call itself, so a sample is what a C caller pays:
 * argument setup, call, body and return. The cost of the two counter reads
 * is calibrated once and subtracted.
 *
 * Self-checks. Every block is filled with a tag and verified before it is
 * freed or resized, every pointer is checked against the alignment it was
 * asked for, and allocators that can check themselves are asked to after
 * each job, and to show an empty heap once everything is freed. A failed
 * check fails the job; timing never does.
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
    /* size and align are what the block was allocated with. A plain free
     * passes neither to the allocator; a wrapper that aligned a block by
     * hand (an allocator without aligned allocation) may use align to find
     * its original pointer. */
    void (*free)(void *ptr, size_t size, size_t align, uint32_t *cost);
    /* Optional: the allocator's own free with the layout (fh_free_sized). */
    void (*free_sized)(void *ptr, size_t size, size_t align, uint32_t *cost);
    /* Resizes keeping align; NULL on failure with ptr untouched. old_size
     * is what the block holds (for a wrapper that has to copy by hand). */
    void *(*realloc)(void *ptr, size_t old_size, size_t size, size_t align, uint32_t *cost);
    /* Optional: resizes without moving; true if the block now holds size. */
    bool (*resize)(void *ptr, size_t size, size_t align, uint32_t *cost);
    /* Optional: full consistency check, true if the heap is sound. */
    bool (*check)(void);
    /* Optional: live allocations the allocator itself counts (leak check). */
    uint32_t (*live_allocs)(void);
    /* Optional: calls fn per block in address order (heap map). */
    void (*walk)(void (*fn)(void *ctx, void *addr, size_t size, bool used), void *ctx);
    /* Optional: bookkeeping bytes the heap took from its region. */
    size_t (*metadata)(void);
    /* Largest region it can manage (0: any), e.g. 16-bit block numbers. */
    size_t max_heap;
    unsigned flags;
} bench_alloc;

/* flags */
#define BA_LIFO_ONLY 1u /* frees only the most recent block (bump) */
#define BA_NO_RESET  2u /* state cannot be reset (a C library): one job per boot */
#define BA_FIRMHEAP  4u /* the fh_* instance API: constructed worst cases apply */

/* The adapter linked into this image. */
extern const bench_alloc bench_adapter;

/* ---- platform glue (bench/plat_*.c) ------------------------------------- */
void bench_platform_init(void);
void bench_puts(const char *s); /* writes s, no newline added */
/* The command line (semihosting on target, argv joined on the host). */
const char *bench_cmdline(void);
/*
 * The region a job's heap gets: heap_bytes at base variant 0 (one page past
 * a 256 KiB boundary) or 1 (that + 0x1230). NULL if this platform has no
 * room for it. Fixed absolute addresses, whatever the image's code size.
 */
void *bench_region(size_t heap_bytes, unsigned base);
#define BENCH_BASE_SKEW0 4096u
#define BENCH_BASE_SKEW1 (4096u + 0x1230u)
#define BENCH_NR_BASES 2u
/* Room for the slot table: *n entries of slot_bytes each. */
void *bench_slot_room(size_t slot_bytes, uint32_t *n);
/* Reads a file of the host (semihosting on target) into buf; false if it
 * cannot be read or is longer than cap. */
bool bench_read_file(const char *path, void *buf, size_t cap, size_t *len);

/* ---- samples and output (bench/stats.c) -------------------------------- */
enum bench_op {
    OP_ALLOC,
    OP_FREE,
    OP_ALLOC_FAIL,
    OP_REALLOC_INPLACE,
    OP_REALLOC_MOVE,
    OP_REALLOC_FAIL,
    OP_RESIZE_OK,
    OP_RESIZE_FAIL,
    OP_COUNT
};

const char *bench_op_name(enum bench_op op);
void bench_calibrate(void);
/* Subtracts the counter overhead; call from adapters via BENCH_TIMED. */
extern uint32_t bench_overhead;
void bench_record(enum bench_op op, uint32_t cost);
/* While set, bench_record keeps nothing (a job's untimed side runs). */
extern bool bench_paused;
void bench_reset(void);
/* Prints "R <prefix> op=... n= sum= p50= p99= max= min=" per op kind. */
void bench_report(void);

/* Line output: fields are appended, bench_out_nl ends the line. */
void bench_out_s(const char *s);
void bench_out_u(uint64_t v);
void bench_out_kv(const char *key, uint64_t v); /* " key=v" */
void bench_out_nl(void);
/* Only "# " diagnostic lines (failures) get out: the smoke run. */
extern bool bench_quiet;
/* Starts a result line: "<tag> alloc=... <the current job's fields>". */
void bench_out_begin(const char *tag);
/* The current job's fields alone. */
void bench_out_job(void);

/* A failed self-check: prints the reason, marks the job failed. */
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

/* ---- request distributions (bench/dist.c) ------------------------------- */
typedef struct bench_dist {
    const char *name;
    void (*draw)(uint32_t *rng, uint32_t *size, uint32_t *align);
} bench_dist;
extern const bench_dist bench_dists[];
extern const unsigned bench_nr_dists;

/* ---- jobs (bench/plan.c) ------------------------------------------------ */
typedef struct bench_job {
    const struct bench_kind *kind;
    const bench_dist *dist;   /* the distribution (NULL where unused) */
    const bench_dist *dist2;  /* pattern C: the refill distribution */
    unsigned seed;            /* 1..BENCH_NR_SEEDS */
    uint32_t heap;            /* region bytes handed to the allocator */
    unsigned base;            /* region base variant (bench_region) */
    bool sized;               /* frees go through free_sized */
    unsigned item;            /* constructed case / trace index */
    unsigned div;             /* step counts divided by this (smoke: 20) */
} bench_job;

typedef struct bench_kind {
    const char *name;
    void (*run)(const bench_alloc *a, const bench_job *j);
} bench_kind;

/* Walks the plan (bench/plan.c): fn gets every job of the chosen halves
 * with its index, and stops the walk by returning false. */
#define BENCH_PLAN_TIMING 1u
#define BENCH_PLAN_EFF 2u /* efficiency patterns and traces */
void bench_plan(const bench_alloc *a, bool smoke, unsigned what,
                bool (*fn)(void *ctx, uint32_t index, const bench_job *j), void *ctx);

/* The job being run, for output lines and the workloads. */
extern const bench_job *bench_job_now;
/* The seed value for seed index i: fixed, the same on every platform. */
uint32_t bench_seed(const bench_job *j, uint32_t salt);
/* n scaled down by the job's divisor (never below 1). */
uint32_t bench_steps(const bench_job *j, uint32_t n);

/* The job kinds, each in its own file. */
extern const bench_kind bench_kind_churn, bench_kind_realloc, bench_kind_grow,
    bench_kind_lifo, bench_kind_eff_a, bench_kind_eff_b, bench_kind_eff_c1,
    bench_kind_eff_c2, bench_kind_eff_d;

/* The tests' xorshift32: the same sequence on every target. */
#include "xorshift.h"
#define bench_rand xs_rand
#define bench_range xs_range

#endif
