//! The bare-metal critical section: interrupts masked, nestable, for
//! Cortex-M (PRIMASK) and RISC-V (mstatus.MIE), single core. It serves two
//! users:
//!
//! * `fh_lock`/`fh_unlock`, the C library's lock around the default heap
//!   (feature `lock`, on by default), so that [`FirmHeap`](crate::FirmHeap)
//!   is safe from interrupt handlers with no C startup code of ours (the C
//!   library has no lock of its own: without one the link fails, naming
//!   fh_lock);
//! * [`IrqLock`], the ready-made [`RawLock`] for a
//!   [`LockedHeap`](crate::LockedHeap) on a single-core MCU.
//!
//! The outermost `enter` masks interrupts and remembers whether they were
//! on; only the matching outermost `leave` puts them back. An allocation
//! from an interrupt handler, or from code that already masked interrupts,
//! therefore never unmasks them early. DEPTH and WAS_ON are touched only
//! with interrupts masked, so no handler can see them half-updated. Masking
//! does not stop another core.
//!
//! Turn feature `lock` off when something else defines fh_lock/fh_unlock —
//! the project's own arch/ startup does, and so would an RTOS port — or the
//! link fails with a duplicate symbol. IrqLock stays available either way.

use crate::RawLock;

static mut DEPTH: u32 = 0;
static mut WAS_ON: bool = false;

/// Masks interrupts; returns whether they were enabled before.
#[cfg(target_arch = "arm")]
#[inline(always)]
fn mask() -> bool {
    let primask: u32;
    // SAFETY: reads PRIMASK and sets it; no memory is touched, but the
    // clobber (no `nomem`) keeps heap accesses from moving across it.
    unsafe {
        core::arch::asm!("mrs {}, PRIMASK", out(reg) primask, options(nostack, preserves_flags));
        core::arch::asm!("cpsid i", options(nostack, preserves_flags));
    }
    primask & 1 == 0
}

#[cfg(target_arch = "arm")]
#[inline(always)]
fn unmask() {
    // SAFETY: re-enables interrupts; a compiler barrier like `mask`.
    unsafe { core::arch::asm!("cpsie i", options(nostack, preserves_flags)) };
}

/// mstatus.MIE, bit 3: the machine-mode global interrupt enable.
#[cfg(any(target_arch = "riscv32", target_arch = "riscv64"))]
const MSTATUS_MIE: usize = 1 << 3;

#[cfg(any(target_arch = "riscv32", target_arch = "riscv64"))]
#[inline(always)]
fn mask() -> bool {
    let mstatus: usize;
    // SAFETY: csrrci clears MIE and returns the old mstatus in one step, so
    // no interrupt slips in between the read and the mask.
    unsafe { core::arch::asm!("csrrci {}, mstatus, 8", out(reg) mstatus, options(nostack)) };
    mstatus & MSTATUS_MIE != 0
}

#[cfg(any(target_arch = "riscv32", target_arch = "riscv64"))]
#[inline(always)]
fn unmask() {
    // SAFETY: sets MIE back.
    unsafe { core::arch::asm!("csrsi mstatus, 8", options(nostack)) };
}

fn enter() {
    let was_on = mask();
    // SAFETY: interrupts are masked from here on: this context is alone.
    unsafe {
        if DEPTH == 0 {
            WAS_ON = was_on;
        }
        DEPTH += 1;
    }
}

fn leave() {
    // SAFETY: called inside the critical section, interrupts masked.
    unsafe {
        if DEPTH == 0 {
            return; // unbalanced: ignore rather than unmask by surprise
        }
        DEPTH -= 1;
        if DEPTH == 0 && WAS_ON {
            unmask();
        }
    }
}

#[cfg(feature = "lock")]
#[no_mangle]
pub extern "C" fn fh_lock() {
    enter();
}

#[cfg(feature = "lock")]
#[no_mangle]
pub extern "C" fn fh_unlock() {
    leave();
}

/// A [`RawLock`] that masks interrupts: the lock for a
/// [`LockedHeap`](crate::LockedHeap) on a single-core Cortex-M or RISC-V
/// MCU, usable from interrupt handlers. Nests with itself and with the
/// default heap's lock (one critical section serves both).
///
/// ```ignore
/// static HEAP: LockedHeap<IrqLock> = LockedHeap::new(IrqLock::new());
/// ```
#[derive(Debug, Default)]
pub struct IrqLock(());

impl IrqLock {
    pub const fn new() -> Self {
        IrqLock(())
    }
}

// SAFETY: with interrupts masked on a single core nothing else runs until
// `unlock`, which is mutual exclusion between every context there is.
unsafe impl RawLock for IrqLock {
    fn lock(&self) {
        enter();
    }
    fn unlock(&self) {
        leave();
    }
}
