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
//!   Every call runs inside the C library's critical section, fh_lock():
//!   on bare-metal Cortex-M and RISC-V the crate supplies one that masks
//!   interrupts (feature `irq-lock`, on by default), so the heap is safe to
//!   use from interrupt handlers too. Single core only.
//!   [`FirmHeap::add_region`] gives it more RAM banks (up to four regions
//!   in all); [`FirmHeap::region_stats`] reports on each.
//! * [`Heap`] — an instance over any other region (a `static mut` buffer, a
//!   second RAM bank), used through `&mut self`: not shared, so no lock.
//! * [`LockedHeap`] — such an instance as a `GlobalAlloc`, serialised by a
//!   lock you supply ([`RawLock`]).
//! * [`Stats`] — byte counts, high-water mark, free blocks per order.
//!
//! Alignment: any power of two is honoured by the buddy structure itself
//! (no padding, no header). Usable size is the request rounded up to
//! [`GRANULE`] bytes, whatever the alignment.
//!
//! Toolchains older than Rust 1.28 need no Rust code at all: the C library
//! also exports the five `__rust_allocate`... hooks their `alloc` called.
//! README.md ("Using firmheap from Rust") has the Cargo and linker steps and the offline recipe for
//! building `core`/`alloc` for a bare-metal target.
#![no_std]

mod ffi;
mod global;
mod heap;
#[cfg(all(
    feature = "irq-lock",
    target_os = "none",
    any(target_arch = "arm", target_arch = "riscv32", target_arch = "riscv64")
))]
mod irq_lock;

pub use ffi::Stats;
pub use global::FirmHeap;
pub use heap::{Heap, LockedHeap, RawLock};

/// Bytes per granule: the smallest block and the unit of usable size.
pub const GRANULE: usize = 16;

/// Bytes an allocation of `layout` may use: its size rounded up to
/// [`GRANULE`]. 0 for a zero-size layout (nothing is allocated for it).
/// A pure function; the same for every heap.
pub fn usable_size_for(layout: core::alloc::Layout) -> usize {
    // SAFETY: pure function of two integers.
    unsafe { ffi::fh_usable_size_for(layout.size(), layout.align()) }
}
