//! firmheap for Rust: `alloc` collections on bare metal over a bounded-time
//! buddy heap.
//!
//! The allocator itself is C (the crate's build.rs compiles it); this crate
//! is a thin, dependency-free layer that speaks `core::alloc`:
//!
//! * [`FirmHeap`] — a `GlobalAlloc` over the default heap, the region
//!   `[__heap_start, __heap_end)` that the linker script reserves. One line
//!   puts `Vec`, `String`, `Box`, `BTreeMap` on it:
//!   `#[global_allocator] static HEAP: firmheap::FirmHeap = firmheap::FirmHeap;`
//!   Every call runs inside the C library's critical section, fh_lock(),
//!   which the crate supplies (feature `lock`, on by default): interrupts
//!   masked on bare-metal Cortex-M and RISC-V (single core), a re-entrant
//!   lock on hosts, so the heap is safe from interrupt handlers and threads.
//!   [`FirmHeap::add_region`] gives it more RAM banks (up to four regions
//!   in all); [`FirmHeap::region_stats`] reports on each.
//! * [`Heap`] — an instance over any other region (a `static mut` buffer, a
//!   second RAM bank), used through `&mut self`: not shared, so no lock.
//! * [`LockedHeap`] — such an instance as a `GlobalAlloc`, behind a
//!   [`RawLock`]: [`IrqLock`] on a single-core MCU, [`SpinLock`] between
//!   threads or cores, or your own.
//! * [`Stats`] — byte counts, high-water mark, free blocks per order.
//!
//! Alignment: any power of two is honoured by the structure itself (no
//! padding, no header). Usable size is a pure function of the layout
//! ([`usable_size_for`]): a small request's size class, or a large one's
//! pages.
//!
//! Features: `lock` (default; `irq-lock` is its old name), `bump` (the
//! default heap on the bump allocator, as C's `FH_BACKEND_BUMP=1`),
//! `host-region` (a default-heap region for host programs and tests).
//!
//! Toolchains older than Rust 1.28 need no Rust code at all: the C library
//! also exports the five `__rust_allocate`... hooks their `alloc` called.
//! rust/README.md has the Cargo and linker steps; the repository's README.md
//! ("Using firmheap from Rust") the offline recipe for `core`/`alloc`.
#![no_std]

#[cfg(all(feature = "lock", not(target_os = "none")))]
extern crate std;

mod ffi;
mod global;
mod heap;
#[cfg(all(feature = "lock", not(target_os = "none")))]
mod host_lock;
#[cfg(feature = "host-region")]
mod host_region;
#[cfg(all(target_os = "none", any(target_arch = "arm", target_arch = "riscv32", target_arch = "riscv64")))]
mod irq_lock;
#[cfg(target_has_atomic = "8")]
mod spin;

pub use ffi::Stats;
pub use global::FirmHeap;
pub use heap::{Heap, LockedHeap, RawLock};
#[cfg(feature = "host-region")]
pub use host_region::HOST_REGION_BYTES;
#[cfg(all(target_os = "none", any(target_arch = "arm", target_arch = "riscv32", target_arch = "riscv64")))]
pub use irq_lock::IrqLock;
#[cfg(target_has_atomic = "8")]
pub use spin::SpinLock;

/// The smallest object, and the alignment every block has at least
/// (usable sizes are multiples of it).
pub const GRANULE: usize = 16;

/// Bytes an allocation of `layout` may use, exactly: the size class that
/// holds it (16 to 640 bytes, a multiple of the alignment), or else its
/// size in 256-byte pages (rounded to four significant bits). 0 for a
/// zero-size layout (nothing is allocated for it). A pure function; the
/// same for every heap.
pub fn usable_size_for(layout: core::alloc::Layout) -> usize {
    // SAFETY: pure function of two integers.
    unsafe { ffi::fh_usable_size_for(layout.size(), layout.align()) }
}
