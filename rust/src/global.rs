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
    /// A snapshot of the counters of the default heap's first region, the
    /// linker's (`region_stats(0)`); `None` if that region is unusable (too
    /// small). Cost: a walk of the free lists, inside the critical section.
    pub fn stats(&self) -> Option<Stats> {
        self.region_stats(0)
    }

    /// Adds `[base, base + size)` to the default heap as one more region: a
    /// second RAM bank, say (FreeRTOS heap_5 style). Any alignment and size.
    /// Allocations try the regions in the order they were added, the
    /// linker's first; a free, realloc or usable-size query goes to the
    /// region that owns the pointer. Up to 4 regions in all (the C
    /// library's `FH_CONFIG_MAX_REGIONS`), the linker's included.
    ///
    /// Returns false, changing nothing, if the table is full, the region is
    /// too small for the bookkeeping plus one block, wraps around, or
    /// overlaps a region already added, or if the C library was built with
    /// the bump backend. A region stays for the rest of the program: there
    /// is no way to remove one. Cost: proportional to `size / 256` (bitmap
    /// clear), outside the critical section (only the bookkeeping of the
    /// region table is locked).
    ///
    /// # Safety
    /// The memory must be writable and used by nothing else, from now on
    /// for the rest of the program (`'static`): the heap keeps its
    /// bookkeeping there and hands it out to every user of the global
    /// allocator. In particular no Rust reference to it may be used
    /// afterwards, and it must not be a stack buffer or a block from
    /// another heap that will be freed.
    pub unsafe fn add_region(&self, base: *mut u8, size: usize) -> bool {
        ffi::fh_add_region(base as *mut c_void, size)
    }

    /// Counters of region `i` of the default heap (0: the linker's, then
    /// the regions added by [`FirmHeap::add_region`] in order); `None` past
    /// the last region. Cost: a walk of that region's free lists, inside the
    /// critical section.
    pub fn region_stats(&self, i: usize) -> Option<Stats> {
        let i = u32::try_from(i).ok()?;
        let mut out = Stats::ZERO;
        // SAFETY: fh_lock nests, so fh_default_region()'s own locking is
        // fine; holding it across both calls keeps an interrupt from
        // changing the heap mid-walk. A region, once added, is never
        // removed, so the handle stays valid.
        unsafe {
            ffi::fh_lock();
            let h = ffi::fh_default_region(i);
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

    /// Walks every invariant of every region of the default heap (free
    /// lists, bitmaps, totals); true if all hold. Never writes. Cost:
    /// proportional to the heap size, with interrupts masked — a test or
    /// debug aid.
    pub fn check(&self) -> bool {
        // SAFETY: as in `region_stats`.
        unsafe {
            ffi::fh_lock();
            let mut ok = !ffi::fh_default().is_null();
            let mut i = 0;
            loop {
                let h = ffi::fh_default_region(i);
                if h.is_null() || !ok {
                    break;
                }
                ok = ffi::fh_check(h);
                i += 1;
            }
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
