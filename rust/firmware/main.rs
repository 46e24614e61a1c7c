//! Rust firmware test: the shared allocator cases (tests/cases/alloc_cases.rs)
//! on a bare-metal target, with firmheap as the global allocator.
//!
//! Everything outside Rust comes from the project's own startup code
//! (arch/): crt0 sets up .data/.bss and runs `exit(main())`, exit stops QEMU
//! through semihosting with the status, fw_print writes to the semihosting
//! console. So `main` returns the verdict: 0 if every case passed.
//!
//! Built with a rustc whose core/alloc we compiled ourselves (see
//! README.md, "Using firmheap from Rust"); that rustc is 1.63, which still wants an
//! `#[alloc_error_handler]` in a no_std program that uses `alloc`.
#![no_std]
#![no_main]
#![feature(alloc_error_handler)]

extern crate alloc;

#[path = "../tests/cases/alloc_cases.rs"]
mod cases;

use core::alloc::Layout;
use core::panic::PanicInfo;

#[global_allocator]
static HEAP: firmheap::FirmHeap = firmheap::FirmHeap;

// arch/common/fw.h
extern "C" {
    fn fw_print(s: *const u8);
    fn fw_print_dec(v: u64);
    fn exit(status: i32) -> !;
}

/// fw_print wants a NUL-terminated string; Rust's are not. Copy through a
/// small stack buffer so printing never allocates (it must work when the
/// heap is the thing that broke).
fn print(s: &str) {
    let mut buf = [0u8; 64];
    for chunk in s.as_bytes().chunks(buf.len() - 1) {
        buf[..chunk.len()].copy_from_slice(chunk);
        buf[chunk.len()] = 0;
        // SAFETY: buf is NUL-terminated and outlives the call.
        unsafe { fw_print(buf.as_ptr()) };
    }
}

fn print_dec(v: u32) {
    // SAFETY: plain value.
    unsafe { fw_print_dec(v as u64) };
}

// The interrupt-enable bit, read and set directly (not through the code
// under test): PRIMASK on Cortex-M, mstatus.MIE on RISC-V.
#[cfg(target_arch = "arm")]
fn irqs_on() -> bool {
    let primask: u32;
    unsafe { core::arch::asm!("mrs {}, PRIMASK", out(reg) primask) };
    primask & 1 == 0
}
#[cfg(target_arch = "arm")]
fn set_irqs(on: bool) {
    unsafe {
        if on {
            core::arch::asm!("cpsie i")
        } else {
            core::arch::asm!("cpsid i")
        }
    }
}
#[cfg(target_arch = "riscv32")]
fn irqs_on() -> bool {
    let mstatus: usize;
    unsafe { core::arch::asm!("csrr {}, mstatus", out(reg) mstatus) };
    mstatus & 8 != 0
}
#[cfg(target_arch = "riscv32")]
fn set_irqs(on: bool) {
    unsafe {
        if on {
            core::arch::asm!("csrsi mstatus, 8")
        } else {
            core::arch::asm!("csrci mstatus, 8")
        }
    }
}

extern "C" {
    fn fh_lock();
    fn fh_unlock();
}

/// The default heap's lock (the crate's irq-lock feature) masks interrupts,
/// nests, and gives back exactly the state it found — from either state.
/// Enabling interrupts here is harmless: no interrupt source is running.
fn lock_masks_nests_and_restores() -> Result<(), &'static str> {
    let before = irqs_on();
    let mut result = Ok(());
    for &start in &[true, false] {
        set_irqs(start);
        unsafe { fh_lock() };
        let masked = !irqs_on();
        unsafe { fh_lock() };
        unsafe { fh_unlock() };
        let still_masked = !irqs_on();
        unsafe { fh_unlock() };
        let restored = irqs_on() == start;
        // An allocation must leave the state as it was, too.
        drop(alloc::boxed::Box::new(start));
        let after_alloc = irqs_on() == start;
        if !(masked && still_masked && restored && after_alloc) {
            result = Err("fh_lock/fh_unlock: interrupt state wrong");
        }
    }
    set_irqs(before);
    result
}

const TARGET_CASES: &[(&str, cases::CaseFn)] = &[("lock_masks_nests_and_restores", lock_masks_nests_and_restores)];

/// TAP: the plan first (so a panic or a fault part-way is a plan
/// mismatch), one `ok N - rust::case` / `not ok N - rust::case` per case
/// with the reason as a `# ` line before it.
#[no_mangle]
pub extern "C" fn main() -> i32 {
    let (mut passed, mut failed) = (0u32, 0u32);
    print("1..");
    print_dec((cases::CASES.len() + TARGET_CASES.len()) as u32);
    print("\n");
    for (name, case) in cases::CASES.iter().chain(TARGET_CASES) {
        let verdict = case();
        if let Err(why) = verdict {
            failed += 1;
            print("# FAIL rust::");
            print(name);
            print(": ");
            print(why);
            print("\nnot ok ");
        } else {
            passed += 1;
            print("ok ");
        }
        print_dec(passed + failed);
        print(" - rust::");
        print(name);
        print("\n");
    }
    if let Some(s) = HEAP.stats() {
        print("# heap: ");
        print_dec(s.total_bytes as u32);
        print(" bytes, peak used ");
        print_dec(s.peak_used_bytes as u32);
        print("\n");
    }
    print_dec(passed);
    print(" passed, ");
    print_dec(failed);
    print(" failed\n");
    if failed == 0 {
        0
    } else {
        1
    }
}

/// A panic is a failed test: report where, then exit 1 (never spin).
#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    print("*** rust panic");
    if let Some(loc) = info.location() {
        print(" at ");
        print(loc.file());
        print(":");
        print_dec(loc.line());
    }
    print("\n");
    // SAFETY: exit never returns; it stops QEMU with the status.
    unsafe { exit(1) }
}

/// Rust 1.63 calls this when an infallible allocation (Box::new, Vec::push)
/// gets null back. Out of memory in a test is a failure, reported as such.
#[alloc_error_handler]
fn out_of_memory(layout: Layout) -> ! {
    print("*** rust: out of memory allocating ");
    print_dec(layout.size() as u32);
    print(" bytes\n");
    // SAFETY: as above.
    unsafe { exit(1) }
}
