//! fh_lock/fh_unlock for bare-metal Cortex-M and RISC-V, in Rust, so a
//! crate user gets an interrupt-safe default heap without any C startup
//! code of ours (the C library has no lock of its own: without one the link
//! fails, naming fh_lock).
//!
//! A nestable critical section: the outermost lock masks interrupts and
//! remembers whether they were on; only the matching outermost unlock puts
//! them back. An allocation from an interrupt handler, or from code that
//! already masked interrupts, therefore never unmasks them early. DEPTH and
//! WAS_ON are touched only with interrupts masked, so no handler can see
//! them half-updated. Single core only: masking does not stop another hart.
//!
//! Feature `irq-lock` (on by default). Turn it off when something else
//! defines fh_lock/fh_unlock — the project's own arch/ startup does, and so
//! would an RTOS port — or the link fails with a duplicate symbol.

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

#[no_mangle]
pub extern "C" fn fh_lock() {
    let was_on = mask();
    // SAFETY: interrupts are masked from here on: this context is alone.
    unsafe {
        if DEPTH == 0 {
            WAS_ON = was_on;
        }
        DEPTH += 1;
    }
}

#[no_mangle]
pub extern "C" fn fh_unlock() {
    // SAFETY: called with the lock held, interrupts masked.
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
