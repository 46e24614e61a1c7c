/*
 * Checks of contract lines that today's main still breaks: issue 9's defect
 * list (items 1-9), being fixed on another branch. Each is 0 (the check is
 * off) until its fix lands; then set it to 1 here, or try it first with
 * `make fuzz FUZZ_CFLAGS=-DFZ_CHECK_...=1`. Every other check of the fuzz
 * targets is always on.
 */
#ifndef FZ_KNOWN_DEFECTS_H
#define FZ_KNOWN_DEFECTS_H

/* 2: realloc(NULL, 0) is malloc(0): a unique block, not NULL. */
#ifndef FZ_CHECK_D2_REALLOC_NULL_ZERO
#define FZ_CHECK_D2_REALLOC_NULL_ZERO 0
#endif

/* 3: memalign/aligned_alloc refuse an alignment that is not a power of two. */
#ifndef FZ_CHECK_D3_MEMALIGN_POW2
#define FZ_CHECK_D3_MEMALIGN_POW2 0
#endif

/* 4: __rust_reallocate to size 0 fails and leaves the block intact. */
#ifndef FZ_CHECK_D4_RUST_REALLOC_ZERO
#define FZ_CHECK_D4_RUST_REALLOC_ZERO 0
#endif

/* 5: fh_add_region accepts a region that ends at another one's base. */
#ifndef FZ_CHECK_D5_ADJACENT_REGIONS
#define FZ_CHECK_D5_ADJACENT_REGIONS 0
#endif

/* 6: fh_usable_size (const) on a bad pointer counts nothing. */
#ifndef FZ_CHECK_D6_CONST_USABLE_SIZE
#define FZ_CHECK_D6_CONST_USABLE_SIZE 0
#endif

/* 7: a NULL heap handle fails the call and is reported; nothing faults. */
#ifndef FZ_CHECK_D7_NULL_HANDLE
#define FZ_CHECK_D7_NULL_HANDLE 0
#endif

/* 8: a realloc that moves between regions keeps min(old usable, new usable)
 * bytes, as every other move does. */
#ifndef FZ_CHECK_D8_MOVE_RULE
#define FZ_CHECK_D8_MOVE_RULE 0
#endif

#endif
