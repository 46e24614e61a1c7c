//! The C API of include/firmheap.h that this crate calls, and the Rust
//! mirror of `fh_stats`. c/abi_check.c makes the build fail if the header's
//! layout drifts from the struct below.

use core::ffi::c_void;

/// Opaque handle; its bookkeeping lives inside the heap's own region.
#[repr(C)]
pub struct FhHeap {
    _private: [u8; 0],
}

/// Number of buddy orders (FH_NR_ORDERS in the header).
pub const NR_ORDERS: usize = 31;

/// A snapshot of a heap's counters (`fh_stats` in include/firmheap.h).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Bytes that can be handed out (region minus bookkeeping).
    pub total_bytes: usize,
    /// Usable bytes of live allocations (their size classes and pages).
    pub used_bytes: usize,
    /// `total_bytes - used_bytes`.
    pub free_bytes: usize,
    /// High-water mark of `used_bytes`: size your heap from this.
    pub peak_used_bytes: usize,
    /// Largest single free block: the biggest request that can succeed now.
    pub largest_free: usize,
    /// Bookkeeping carved from the region.
    pub metadata_bytes: usize,
    /// Free buddy blocks per order (order k = 256 << k bytes).
    pub free_blocks: [u32; NR_ORDERS],
    /// Largest order this heap has.
    pub order_max: u32,
    /// Allocations currently held.
    pub live_allocs: u32,
    /// Successful allocations, moving reallocs included.
    pub allocs: u32,
    /// Successful frees.
    pub frees: u32,
    /// Allocation or grow requests refused.
    pub failed_allocs: u32,
    /// Bad pointers refused by free, realloc or usable size.
    pub rejected_frees: u32,
}

impl Stats {
    pub(crate) const ZERO: Stats = Stats {
        total_bytes: 0,
        used_bytes: 0,
        free_bytes: 0,
        peak_used_bytes: 0,
        largest_free: 0,
        metadata_bytes: 0,
        free_blocks: [0; NR_ORDERS],
        order_max: 0,
        live_allocs: 0,
        allocs: 0,
        frees: 0,
        failed_allocs: 0,
        rejected_frees: 0,
    };

    /// Free memory that cannot serve the largest request, in percent of all
    /// free memory (0 = one free block, approaching 100 = scattered crumbs).
    pub fn fragmentation_percent(&self) -> u32 {
        if self.free_bytes == 0 {
            return 0;
        }
        let stranded = self.free_bytes - self.largest_free;
        ((stranded as u64 * 100) / self.free_bytes as u64) as u32
    }
}

extern "C" {
    pub fn fh_init(base: *mut c_void, size: usize) -> *mut FhHeap;
    pub fn fh_alloc(h: *mut FhHeap, size: usize, align: usize) -> *mut c_void;
    pub fn fh_alloc_zeroed(h: *mut FhHeap, size: usize, align: usize) -> *mut c_void;
    pub fn fh_free_sized(h: *mut FhHeap, ptr: *mut c_void, size: usize, align: usize);
    pub fn fh_realloc(h: *mut FhHeap, ptr: *mut c_void, new_size: usize, align: usize) -> *mut c_void;
    pub fn fh_resize_in_place(h: *mut FhHeap, ptr: *mut c_void, new_size: usize, align: usize) -> usize;
    pub fn fh_usable_size(h: *const FhHeap, ptr: *const c_void) -> usize;
    pub fn fh_usable_size_for(size: usize, align: usize) -> usize;
    pub fn fh_get_stats(h: *const FhHeap, out: *mut Stats);
    pub fn fh_check(h: *const FhHeap) -> bool;
    pub fn fh_owns(h: *const FhHeap, ptr: *const c_void) -> bool;

    pub fn fh_default() -> *mut FhHeap;
    pub fn fh_add_region(base: *mut c_void, size: usize) -> bool;
    // `unsigned` in C: 32 bits on every target the crate builds for
    // (core::ffi::c_uint needs Rust 1.64; the firmware's rustc is 1.63).
    pub fn fh_default_region(i: u32) -> *mut FhHeap;
    pub fn fh_default_alloc(size: usize, align: usize) -> *mut c_void;
    pub fn fh_default_alloc_zeroed(size: usize, align: usize) -> *mut c_void;
    pub fn fh_default_free_sized(ptr: *mut c_void, size: usize, align: usize);
    pub fn fh_default_realloc(ptr: *mut c_void, new_size: usize, align: usize) -> *mut c_void;
    pub fn fh_default_usable_size(ptr: *const c_void) -> usize;

    pub fn fh_lock();
    pub fn fh_unlock();
}
