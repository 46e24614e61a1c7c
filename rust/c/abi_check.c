/*
 * Compile-time check that rust/src/ffi.rs mirrors include/firmheap.h.
 *
 * build.rs runs this through the target's own C compiler with -fsyntax-only,
 * so size_t and alignment are the target's. If a field is added to fh_stats
 * or FH_NR_ORDERS changes, the build stops here instead of the Rust side
 * reading the wrong bytes. Keep the numbers in step with `Stats` in ffi.rs.
 */
#include <stddef.h>
#include "firmheap.h"

#define SZ sizeof(size_t)

_Static_assert(FH_NR_ORDERS == 31, "ffi.rs: FH_NR_ORDERS changed");
_Static_assert(FH_GRANULE == 16, "ffi.rs: GRANULE changed");
_Static_assert(offsetof(fh_stats, total_bytes) == 0 * SZ, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, used_bytes) == 1 * SZ, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, free_bytes) == 2 * SZ, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, peak_used_bytes) == 3 * SZ, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, largest_free) == 4 * SZ, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, metadata_bytes) == 5 * SZ, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, free_blocks) == 6 * SZ, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, order_max) == 6 * SZ + 31 * 4, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, live_allocs) == 6 * SZ + 32 * 4, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, allocs) == 6 * SZ + 33 * 4, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, frees) == 6 * SZ + 34 * 4, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, failed_allocs) == 6 * SZ + 35 * 4, "fh_stats layout changed");
_Static_assert(offsetof(fh_stats, rejected_frees) == 6 * SZ + 36 * 4, "fh_stats layout changed");
_Static_assert(sizeof(fh_stats) == (6 * SZ + 37 * 4 + SZ - 1) / SZ * SZ, "fh_stats size changed");
