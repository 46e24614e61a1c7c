/*
 * The slot table every workload keeps its live blocks in, and the checked,
 * timed primitives over it.
 *
 * A slot holds a pointer, the size and alignment it was requested with, and
 * a tag. A block is filled with its tag (the tag byte in every byte) when it
 * is handed out and verified before it is freed or resized, so two live
 * blocks that overlap, or a realloc that loses data, fail the job. Filling
 * and verifying happen outside the timed call, a word at a time (every block
 * is at least 8-aligned). Blocks over 64 KiB are verified in full at both
 * ends and one word per 256 bytes in between: a small block written over
 * their middle is still caught when that small block is itself verified.
 *
 * Accounting, in requested bytes: live bytes now and at peak, and the top,
 * the highest end (pointer + size) of any block ever handed out, as an
 * offset from the region start: the footprint a caller can observe without
 * knowing the allocator.
 */
#ifndef BENCH_SLOTS_H
#define BENCH_SLOTS_H

#include "bench.h"

typedef struct slot {
    uint8_t *ptr;
    uint32_t size;
    uint8_t tag;
    uint8_t align_log2;
} slot;

typedef struct slot_state {
    slot *slots;
    uint32_t cap;         /* entries the table has */
    uint8_t *region;      /* the heap's region, for the top */
    uint32_t heap;        /* its bytes */
    bool sized;           /* frees go through free_sized */
    uint64_t live;        /* requested bytes of live blocks */
    uint64_t peak_live;
    uint64_t top;         /* highest block end seen, from the region start */
    uint32_t alloc_fails; /* refused allocations and reallocs */
} slot_state;

extern slot_state ss;

/* Sets up a fresh heap for the job's region; false (job failed) if none. */
bool slots_begin(const bench_alloc *a, const bench_job *j);
/* Frees what is still live, then runs the allocator's own checks. */
void slots_end(const bench_alloc *a);

/* Allocates into s; false (s left empty) if the allocator refused. */
bool s_alloc(const bench_alloc *a, slot *s, uint32_t size, uint32_t align);
/* Allocates from a distribution. */
bool s_alloc_dist(const bench_alloc *a, slot *s, const bench_dist *d, uint32_t *rng);
void s_free(const bench_alloc *a, slot *s);
/* Resizes s keeping its alignment; on failure the old block stays intact. */
bool s_realloc(const bench_alloc *a, slot *s, uint32_t size);
/* Resizes s in place (adapter's resize); false if the block could not. */
bool s_resize(const bench_alloc *a, slot *s, uint32_t size);

/* steps churn steps on slots [0, n): each picks a slot at random and
 * allocates into it if it is empty, else frees it. */
void s_churn(const bench_alloc *a, uint32_t n, uint32_t steps, const bench_dist *d, uint32_t *rng);
/* Allocates into slots [from, cap) until the first refusal; returns the
 * index of the first slot left empty. Fails the job if the table runs out. */
uint32_t s_fill(const bench_alloc *a, uint32_t from, const bench_dist *d, uint32_t *rng);
/* Frees exactly half (rounded down) of the live slots in [0, n), chosen
 * uniformly at random (selection sampling). */
void s_free_half(const bench_alloc *a, uint32_t n, uint32_t *rng);
/* Moves the live slots of [0, n) to the front; returns how many. */
uint32_t s_compact(uint32_t n);

#endif
