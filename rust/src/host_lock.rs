//! fh_lock/fh_unlock on a host with an OS (feature `lock`, on by default):
//! a real lock, so that [`FirmHeap`](crate::FirmHeap) may be the global
//! allocator of a threaded program, cargo's default test harness included.
//!
//! The C library's lock must nest (the crate takes it around calls that take
//! it again), so this one is re-entrant: the owner is a per-thread token
//! (the address of a thread-local byte), and only the owner's outermost
//! unlock releases it. Waiting threads yield. It never allocates: it runs
//! inside the allocator.

use core::sync::atomic::{AtomicUsize, Ordering};

/// The owning thread's token; 0 when free.
static OWNER: AtomicUsize = AtomicUsize::new(0);
/// Lock depth; read and written only by the owner.
static mut DEPTH: u32 = 0;

std::thread_local! {
    static TOKEN: u8 = const { 0 };
}

fn token() -> usize {
    TOKEN.with(|t| t as *const u8 as usize)
}

#[no_mangle]
pub extern "C" fn fh_lock() {
    let me = token();
    if OWNER.load(Ordering::Relaxed) != me {
        while OWNER.compare_exchange_weak(0, me, Ordering::Acquire, Ordering::Relaxed).is_err() {
            std::thread::yield_now();
        }
    }
    // SAFETY: this thread owns the lock.
    unsafe { DEPTH += 1 };
}

#[no_mangle]
pub extern "C" fn fh_unlock() {
    if OWNER.load(Ordering::Relaxed) != token() {
        return; // not held by this thread: ignore rather than release another's
    }
    // SAFETY: this thread owns the lock.
    unsafe {
        DEPTH -= 1;
        if DEPTH == 0 {
            OWNER.store(0, Ordering::Release);
        }
    }
}
