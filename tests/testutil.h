/*
 * Helpers shared by the allocator tests: an error hook that records what the
 * heap rejected, pattern fill/verify for detecting overlap and lost data, and
 * a free-extent oracle built on fh_walk.
 */
#ifndef TH_TESTUTIL_H
#define TH_TESTUTIL_H

#include "firmheap.h"
#include "harness.h"

/* Filled in by the tests' fh_error_hook (tests/errhook.c). */
extern unsigned tu_errors;
extern fh_error tu_last_error;
extern const void *tu_last_ptr;
void tu_reset_errors(void);

/* A heap over the scratch arena, offset and trimmed to odd values so nothing
 * lines up by luck. size 0 means as large as the arena allows. */
fh_heap *tu_heap(size_t offset, size_t size, size_t *region_size);

/* Pattern derived from (seed, byte index); fill/verify a whole block. */
void tu_fill(void *p, size_t n, uint32_t seed);
bool tu_verify(const void *p, size_t n, uint32_t seed);

static inline bool tu_aligned(const void *p, size_t align)
{
    return ((uintptr_t)p & (align - 1u)) == 0;
}

/* Free bytes that directly follow [p, p + n): an oracle for in-place growth. */
size_t tu_free_after(const fh_heap *h, const void *p, size_t n);

/* Can the large run at p (usable bytes) grow in place to `need` bytes, by
 * the rule: it starts on its new alignment (its largest power of two in
 * pages, FH_RUN_SLACK orders down) and the free blocks right after it cover
 * the growth within FH_CONFIG_RUN_READS of them. Reads the page map. */
bool tu_run_can_grow(const fh_heap *h, const void *p, size_t usable, size_t need);
/* Bytes used in every region of the default heap. */
size_t tu_default_used(void);

/* Largest free block according to fh_walk (cross-checks the stats). */
size_t tu_largest_free(const fh_heap *h);

/* h's blocks in address order (fh_walk), as TAP comment lines: the heap map
 * a long test prints when it first goes wrong. Capped at a few hundred. */
void tu_print_heap_map(const fh_heap *h);

/* For tests that run many operations: true once per test, at the first call
 * after the test's first failed check (if it came after
 * tu_first_failure_begin); the caller then prints what reproduces it (seed,
 * operation number) and the heap map. */
typedef struct {
    unsigned failures_before;
    bool told;
} tu_first_failure;
void tu_first_failure_begin(tu_first_failure *f);
bool tu_first_failure_now(tu_first_failure *f);

#endif
