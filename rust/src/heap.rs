//! Heaps over regions other than the default one.
//!
//! `Heap` owns a handle to an instance the C library built inside a region
//! you hand it (a `static mut` array, a second RAM bank). Its methods take
//! `&mut self`: the instance API is not thread-safe, and exclusive access is
//! how Rust says "no lock needed". Moving a `Heap` to another thread is fine.
//!
//! `LockedHeap<L>` is the same instance behind a lock you choose, shaped as
//! a `GlobalAlloc` so it can be the `#[global_allocator]` (or be used through
//! `&self` from several contexts). What "exclusive" means is the lock's
//! business: the crate ships `IrqLock` (interrupts masked, single-core
//! bare metal) and `SpinLock` (threads or cores, any target with atomic
//! compare-and-swap); any other `RawLock` works too.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::ptr::{self, NonNull};

use crate::ffi::{self, FhHeap};
use crate::Stats;

/// A firmheap instance over a region of your own. Not thread-safe; share it
/// through [`LockedHeap`] instead.
pub struct Heap {
    raw: NonNull<FhHeap>,
}

// SAFETY: the handle points into a region the Heap owns for 'static; with
// &mut self on every mutation, whoever holds the Heap is its only user.
unsafe impl Send for Heap {}

impl Heap {
    /// Builds a heap in `region`, which it keeps for good. `None` if the
    /// region is too small for the bookkeeping plus one block. Cost:
    /// proportional to the region size / 256 (bitmap clear).
    pub fn new(region: &'static mut [u8]) -> Option<Heap> {
        // SAFETY: the 'static exclusive borrow hands the memory over for ever.
        unsafe { Heap::from_raw_region(region.as_mut_ptr(), region.len()) }
    }

    /// As [`Heap::new`] for memory Rust does not know as a slice (a RAM
    /// bank from the memory map).
    ///
    /// # Safety
    /// `[base, base + size)` must be writable, used by nothing else, and
    /// stay valid for as long as the heap or any block from it is in use.
    pub unsafe fn from_raw_region(base: *mut u8, size: usize) -> Option<Heap> {
        NonNull::new(ffi::fh_init(base as *mut c_void, size)).map(|raw| Heap { raw })
    }

    /// A block for `layout`, or `None` if no block is free (or the layout
    /// has size 0). Uninitialised contents.
    pub fn alloc(&mut self, layout: Layout) -> Option<NonNull<u8>> {
        // SAFETY: self.raw is a live instance; the C side checks the layout.
        NonNull::new(unsafe { ffi::fh_alloc(self.raw.as_ptr(), layout.size(), layout.align()) } as *mut u8)
    }

    /// As [`Heap::alloc`], zero-filled.
    pub fn alloc_zeroed(&mut self, layout: Layout) -> Option<NonNull<u8>> {
        // SAFETY: as in alloc.
        NonNull::new(unsafe { ffi::fh_alloc_zeroed(self.raw.as_ptr(), layout.size(), layout.align()) } as *mut u8)
    }

    /// Returns a block. A pointer this heap did not hand out, or a layout
    /// that does not match it, is rejected (counted in `rejected_frees`).
    ///
    /// # Safety
    /// No reference into the block may be used afterwards.
    pub unsafe fn dealloc(&mut self, ptr: NonNull<u8>, layout: Layout) {
        ffi::fh_free_sized(self.raw.as_ptr(), ptr.as_ptr() as *mut c_void, layout.size(), layout.align());
    }

    /// Resizes to `new_size` keeping `layout.align()`: in place when the
    /// buddies allow, else by moving. `None` on failure, block untouched.
    ///
    /// # Safety
    /// `ptr` must be a live block of this heap allocated with `layout`;
    /// on success the old pointer is dead unless it equals the new one.
    pub unsafe fn realloc(&mut self, ptr: NonNull<u8>, layout: Layout, new_size: usize) -> Option<NonNull<u8>> {
        let p = ffi::fh_realloc(self.raw.as_ptr(), ptr.as_ptr() as *mut c_void, new_size, layout.align());
        NonNull::new(p as *mut u8)
    }

    /// Resizes without moving. Returns the usable size the block has now:
    /// at least `new_size` on success, the old usable size if the blocks
    /// after it are taken (then nothing changed), 0 for a rejected pointer.
    ///
    /// # Safety
    /// `ptr` must be a live block of this heap allocated with `layout`.
    pub unsafe fn resize_in_place(&mut self, ptr: NonNull<u8>, layout: Layout, new_size: usize) -> usize {
        ffi::fh_resize_in_place(self.raw.as_ptr(), ptr.as_ptr() as *mut c_void, new_size, layout.align())
    }

    /// Bytes the live block at `ptr` may use; 0 if it is not one.
    pub fn usable_size(&self, ptr: *const u8) -> usize {
        // SAFETY: the C side validates the pointer.
        unsafe { ffi::fh_usable_size(self.raw.as_ptr(), ptr as *const c_void) }
    }

    /// True if `ptr` lies in this heap's handed-out area.
    pub fn owns(&self, ptr: *const u8) -> bool {
        // SAFETY: address comparison only.
        unsafe { ffi::fh_owns(self.raw.as_ptr(), ptr as *const c_void) }
    }

    /// A snapshot of the counters. Cost: a walk of the free lists.
    pub fn stats(&self) -> Stats {
        let mut out = Stats::ZERO;
        // SAFETY: live instance, out is a valid fh_stats (see c/abi_check.c).
        unsafe { ffi::fh_get_stats(self.raw.as_ptr(), &mut out) };
        out
    }

    /// Walks every invariant; true if all hold. Never writes.
    pub fn check(&self) -> bool {
        // SAFETY: read-only walk of a live instance.
        unsafe { ffi::fh_check(self.raw.as_ptr()) }
    }
}

/// A lock for [`LockedHeap`]. `lock` must not return while another context
/// holds it; `unlock` releases it.
///
/// # Safety
/// Implementations must provide real mutual exclusion between every
/// context that uses the heap: the heap trusts it completely.
pub unsafe trait RawLock {
    fn lock(&self);
    fn unlock(&self);
}

/// A [`Heap`] behind a lock, usable as `#[global_allocator]`:
///
/// ```ignore
/// static HEAP: LockedHeap<IrqLock> = LockedHeap::new(IrqLock::new());
/// // early in main, before the first allocation:
/// unsafe { HEAP.init(BANK2_START as *mut u8, BANK2_SIZE) };
/// ```
/// Until `init` succeeds every allocation fails (returns null).
pub struct LockedHeap<L: RawLock> {
    lock: L,
    raw: UnsafeCell<*mut FhHeap>,
}

// SAFETY: every access to `raw` and the instance behind it happens with
// `lock` held (init included), and RawLock promises exclusion.
unsafe impl<L: RawLock + Sync> Sync for LockedHeap<L> {}

impl<L: RawLock> LockedHeap<L> {
    /// An empty heap; call [`LockedHeap::init`] before use.
    pub const fn new(lock: L) -> Self {
        LockedHeap { lock, raw: UnsafeCell::new(ptr::null_mut()) }
    }

    /// Builds the heap in `[base, base + size)`. False if the region is too
    /// small or the heap was already set up (the first region stays).
    ///
    /// # Safety
    /// As [`Heap::from_raw_region`].
    pub unsafe fn init(&self, base: *mut u8, size: usize) -> bool {
        self.with(|raw| {
            if !raw.is_null() {
                return false;
            }
            *raw = ffi::fh_init(base as *mut c_void, size);
            !raw.is_null()
        })
    }

    /// Counters, or `None` before `init`.
    pub fn stats(&self) -> Option<Stats> {
        self.with(|raw| {
            if raw.is_null() {
                return None;
            }
            let mut out = Stats::ZERO;
            // SAFETY: live instance, lock held.
            unsafe { ffi::fh_get_stats(*raw, &mut out) };
            Some(out)
        })
    }

    /// Invariant walk; false before `init`.
    pub fn check(&self) -> bool {
        // SAFETY: live instance, lock held.
        self.with(|raw| !raw.is_null() && unsafe { ffi::fh_check(*raw) })
    }

    fn with<R>(&self, f: impl FnOnce(&mut *mut FhHeap) -> R) -> R {
        self.lock.lock();
        // SAFETY: the lock gives this context sole access to `raw`.
        let r = f(unsafe { &mut *self.raw.get() });
        self.lock.unlock();
        r
    }
}

// With `raw` null (no init yet) every C entry point below returns NULL or
// does nothing... except that fh_* do not accept a NULL heap, so guard here.
unsafe impl<L: RawLock> GlobalAlloc for LockedHeap<L> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.with(|raw| {
            if raw.is_null() {
                return ptr::null_mut();
            }
            ffi::fh_alloc(*raw, layout.size(), layout.align()) as *mut u8
        })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.with(|raw| {
            if raw.is_null() {
                return ptr::null_mut();
            }
            ffi::fh_alloc_zeroed(*raw, layout.size(), layout.align()) as *mut u8
        })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.with(|raw| {
            if !raw.is_null() {
                ffi::fh_free_sized(*raw, ptr as *mut c_void, layout.size(), layout.align());
            }
        })
    }

    // fh_realloc grows or shrinks in place when it can and only then moves.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.with(|raw| {
            if raw.is_null() {
                return ptr::null_mut();
            }
            ffi::fh_realloc(*raw, ptr as *mut c_void, new_size, layout.align()) as *mut u8
        })
    }
}
