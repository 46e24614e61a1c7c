//! Glue for the host test binaries: the default heap's region and a tiny
//! sequential runner.
//!
//! The region is the crate's `host-region` feature (Cargo.toml turns it on
//! for the tests): on the target the linker script exports
//! __heap_start/__heap_end, here the crate does, 24 bytes past a page
//! boundary so the library must cope with a region aligned to nothing in
//! particular.
//!
//! The runner prints TAP (the plan, `ok N - suite::case` or
//! `not ok N - suite::case` with the reason as a `# ` line), then its own
//! `N passed, N failed`; the exit status is the verdict.
#![allow(dead_code)]

use std::process::exit;

/// Bytes in the host default heap.
pub const DEFAULT_HEAP_BYTES: usize = firmheap::HOST_REGION_BYTES;

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

/// Runs every case in order, prints one TAP line each and the summary,
/// and exits 1 if any failed. A panicking case counts as failed.
pub fn run(suite: &str, cases: &[Case]) -> ! {
    let (mut passed, mut failed) = (0u32, 0u32);
    println!("1..{}", cases.len());
    for (number, (name, case)) in cases.iter().enumerate() {
        let verdict = std::panic::catch_unwind(|| case());
        let why = match verdict {
            Ok(Ok(())) => None,
            Ok(Err(why)) => Some(why),
            Err(_) => Some("panicked"),
        };
        match why {
            None => {
                passed += 1;
                println!("ok {} - {suite}::{name}", number + 1);
            }
            Some(why) => {
                failed += 1;
                println!("# FAIL {suite}::{name}: {why}");
                println!("not ok {} - {suite}::{name}", number + 1);
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    exit(if failed == 0 { 0 } else { 1 })
}
