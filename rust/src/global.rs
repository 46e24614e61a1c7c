//! `FirmHeap`: the global allocator over the default heap.
//!
//! The default heap is the linker-script region [__heap_start, __heap_end),
//! set up by the C library on first use. Each call goes through the C
//! default-heap layer (fh_default_*), which takes fh_lock() — a nestable
//! interrupt mask on Cortex-M and RISC-V — so no Rust-side lock is needed.

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;

use crate::ffi;
use crate::Stats;

/// `GlobalAlloc` over the default heap. Zero-sized and const-constructible:
///
/// ```ignore
/// #[global_allocator]
/// static HEAP: firmheap::FirmHeap = firmheap::FirmHeap;
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct FirmHeap;

unsafe impl GlobalAlloc for FirmHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ffi::fh_default_alloc(layout.size(), layout.align()) as *mut u8
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ffi::fh_default_alloc_zeroed(layout.size(), layout.align()) as *mut u8
    }

    // The sized free lets the C side check the layout against the block
    // (a mismatch is rejected and reported, never corrupts the heap).
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        ffi::fh_default_free_sized(ptr as *mut c_void, layout.size(), layout.align());
    }

    // Vec and String grow by realloc. fh_default_realloc resizes in place
    // when the buddies after the block are free (no copy, the heap stays
    // compact) and moves only otherwise, all under one lock; trying
    // resize_in_place first would count each miss as a failed allocation.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ffi::fh_default_realloc(ptr as *mut c_void, new_size, layout.align()) as *mut u8
    }
}

impl FirmHeap {
    /// A snapshot of the default heap's counters; `None` if the linker
    /// region is unusable (too small). Cost: a walk of the free lists,
    /// inside the critical section.
    pub fn stats(&self) -> Option<Stats> {
        let mut out = Stats::ZERO;
        // SAFETY: fh_lock nests, so fh_default()'s own locking is fine; the
        // lock keeps an interrupt from changing the heap mid-walk.
        unsafe {
            ffi::fh_lock();
            let h = ffi::fh_default();
            if !h.is_null() {
                ffi::fh_get_stats(h, &mut out);
            }
            ffi::fh_unlock();
            if h.is_null() {
                None
            } else {
                Some(out)
            }
        }
    }

    /// Walks every invariant of the default heap (free lists, bitmaps,
    /// totals); true if all hold. Never writes. Cost: proportional to the
    /// heap size, with interrupts masked — a test or debug aid.
    pub fn check(&self) -> bool {
        // SAFETY: as in `stats`.
        unsafe {
            ffi::fh_lock();
            let h = ffi::fh_default();
            let ok = !h.is_null() && ffi::fh_check(h);
            ffi::fh_unlock();
            ok
        }
    }

    /// Bytes the live allocation at `ptr` may use (0 if the default heap did
    /// not hand it out).
    pub fn usable_size(&self, ptr: *const u8) -> usize {
        // SAFETY: the C side validates the pointer and rejects strangers.
        unsafe { ffi::fh_default_usable_size(ptr as *const c_void) }
    }
}
