//! [`SpinLock`]: a test-and-set [`RawLock`] for a
//! [`LockedHeap`](crate::LockedHeap) shared between threads or cores, on any
//! target with atomic compare-and-swap (not ARMv6-M). Not re-entrant, and it
//! does not mask interrupts: an interrupt handler that takes it while the
//! code it interrupted holds it spins for ever. On a single-core MCU use
//! [`IrqLock`](crate::IrqLock) instead.

use core::sync::atomic::{AtomicBool, Ordering};

use crate::RawLock;

#[derive(Debug, Default)]
pub struct SpinLock(AtomicBool);

impl SpinLock {
    pub const fn new() -> Self {
        SpinLock(AtomicBool::new(false))
    }
}

// SAFETY: compare-and-swap with Acquire, store with Release: one holder at
// a time, and each sees the heap as the previous holder left it.
unsafe impl RawLock for SpinLock {
    fn lock(&self) {
        while self.0.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
            core::hint::spin_loop();
        }
    }
    fn unlock(&self) {
        self.0.store(false, Ordering::Release);
    }
}
