/*
 * Build configuration, read once by every library file that needs a setting.
 *
 * A project puts its choices in a header of its own and names it with
 * -DFH_CONFIG_HEADER='"my_firmheap_config.h"'; any macro below may also come
 * straight from the command line. Everything not set gets the default here,
 * and every setting is checked by a static assert, so a bad value stops the
 * build with a sentence instead of misbehaving at run time.
 */
#ifndef FH_CONFIG_H
#define FH_CONFIG_H

#ifdef FH_CONFIG_HEADER
#include FH_CONFIG_HEADER
#endif

/* 1: the default heap (malloc family, Rust hooks and crate) runs on the bump
 * allocator instead of the buddy heap. */
#ifndef FH_BACKEND_BUMP
#define FH_BACKEND_BUMP 0
#endif
_Static_assert(FH_BACKEND_BUMP == 0 || FH_BACKEND_BUMP == 1, "FH_BACKEND_BUMP: 0 or 1");

/* Regions the default heap can hold (fh_add_region), the linker's included. */
#ifndef FH_CONFIG_MAX_REGIONS
#define FH_CONFIG_MAX_REGIONS 4u
#endif
_Static_assert(FH_CONFIG_MAX_REGIONS >= 1u && FH_CONFIG_MAX_REGIONS <= 16u,
               "FH_CONFIG_MAX_REGIONS: 1..16");

/* Significant bits kept when a large request is rounded to pages: 4 rounds
 * 17..32 pages to an even count, 33..64 to a multiple of 4 and so on (at most
 * 1/8 more than asked), and makes every large block a run of at most 4 buddy
 * blocks, which is what bounds freeing it. More bits waste less and cost
 * more per free. */
#ifndef FH_CONFIG_LARGE_BITS
#define FH_CONFIG_LARGE_BITS 4u
#endif
_Static_assert(FH_CONFIG_LARGE_BITS >= 1u && FH_CONFIG_LARGE_BITS <= 8u, "FH_CONFIG_LARGE_BITS: 1..8");

/* The run search of a large request (buddy.c, find_run): how many free
 * blocks of each of the two orders below the request's own it looks at for
 * one that free pages follow, and how many page words it may read in all,
 * the rover included. More finds more runs (less memory) and costs more in
 * the worst case: the defaults keep every call within the bound the README
 * states; 8 and 12 give about 10 points more heap efficiency on the mixed
 * and wide benchmarks at about 120 instructions more in the worst case. */
#ifndef FH_CONFIG_RUN_TRIES
#define FH_CONFIG_RUN_TRIES 3u
#endif
#ifndef FH_CONFIG_RUN_READS
#define FH_CONFIG_RUN_READS 6u
#endif
/* The same search when no free block is large enough, where the other
 * outcome is a failed allocation: it may try as many blocks as it reads
 * words. Measured at 256 KiB (rv32 -O2, worst of 5 seeds): 4, 6 and 10
 * words give the same pattern B and trace figures; 10 raises the churn's
 * highest allocation from 511 to 572 instructions and its highest failing
 * one from 397 to 524, for 3 to 6 points on two pattern C pairs and 3 on
 * A at 16 KiB, and loses 3 on A at 256 KiB; 4 saves 4 and 62 more, and its
 * last chance rarely finds a run. */
#ifndef FH_CONFIG_RUN_READS_LAST
#define FH_CONFIG_RUN_READS_LAST 6u
#endif
_Static_assert(FH_CONFIG_RUN_TRIES >= 1u && FH_CONFIG_RUN_TRIES <= 32u, "FH_CONFIG_RUN_TRIES: 1..32");
_Static_assert(FH_CONFIG_RUN_READS >= 1u && FH_CONFIG_RUN_READS <= 64u, "FH_CONFIG_RUN_READS: 1..64");
_Static_assert(FH_CONFIG_RUN_READS_LAST >= 1u && FH_CONFIG_RUN_READS_LAST <= 64u,
               "FH_CONFIG_RUN_READS_LAST: 1..64");

/* Hardware count-trailing-zeros: on where the target has the instruction.
 * Define it 0 to test the portable path on any machine. */
#ifndef FH_HW_BITSCAN
#if defined(__x86_64__) || defined(__aarch64__) || defined(__riscv_zbb) || \
    (defined(__ARM_FEATURE_CLZ) && defined(__thumb2__))
#define FH_HW_BITSCAN 1
#else
#define FH_HW_BITSCAN 0
#endif
#endif
_Static_assert(FH_HW_BITSCAN == 0 || FH_HW_BITSCAN == 1, "FH_HW_BITSCAN: 0 or 1");

/* Internal assertions (FH_ASSERT): off unless a test build turns them on.
 * They check what the code believes, never what a caller passes in. */
#ifndef FH_DEBUG
#define FH_DEBUG 0
#endif

#endif /* FH_CONFIG_H */
