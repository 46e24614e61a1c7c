//! Glue for the host test binaries: the default heap's region and a tiny
//! sequential runner.
//!
//! On the target the linker script exports __heap_start/__heap_end; here
//! the test program must, since the C library only references them. The
//! region starts 24 bytes past a page boundary on purpose: the library must
//! cope with a region that is not aligned to anything in particular.
//!
//! The runner is sequential because the host build's fh_lock() is a no-op:
//! the default harness runs tests on worker threads that would all share
//! the default heap. It prints the `N passed, N failed` line `make test`
//! adds up, and the exit status is the verdict.
#![allow(dead_code)]

use std::process::exit;

/// Bytes in the host default heap.
pub const DEFAULT_HEAP_BYTES: usize = 8 << 20;

std::arch::global_asm!(
    ".pushsection .bss.firmheap_test_region,\"aw\",%nobits", // % works where @ starts a comment (Arm)
    ".balign 4096",
    ".skip 24",
    ".globl __heap_start",
    "__heap_start:",
    ".skip 8388608", // DEFAULT_HEAP_BYTES
    ".globl __heap_end",
    "__heap_end:",
    ".skip 40",
    ".popsection",
);

extern "C" {
    static __heap_start: u8;
    static __heap_end: u8;
}

/// The default heap's region as the C library sees it.
pub fn default_region() -> (usize, usize) {
    // SAFETY: only the addresses are taken.
    unsafe { (&__heap_start as *const u8 as usize, &__heap_end as *const u8 as usize) }
}

pub type Case = (&'static str, fn() -> Result<(), &'static str>);

/// Runs every case in order, prints one line each and the summary, and
/// exits 1 if any failed. A panicking case counts as failed.
pub fn run(suite: &str, cases: &[Case]) -> ! {
    let (mut passed, mut failed) = (0u32, 0u32);
    for (name, case) in cases {
        let verdict = std::panic::catch_unwind(|| case());
        match verdict {
            Ok(Ok(())) => {
                passed += 1;
                println!("ok   {suite}::{name}");
            }
            Ok(Err(why)) => {
                failed += 1;
                println!("FAIL {suite}::{name}: {why}");
            }
            Err(_) => {
                failed += 1;
                println!("FAIL {suite}::{name}: panicked");
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    exit(if failed == 0 { 0 } else { 1 })
}
