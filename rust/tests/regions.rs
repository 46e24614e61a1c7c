//! FirmHeap::add_region and region_stats in a program of their own. The
//! global allocator here is the system one, so the default heap serves only
//! this test: every byte in it is accounted for (exact zeroes after the
//! frees), and filling the region table cannot starve anything else. The
//! shared case `added_region_takes_the_overflow` (cases/alloc_cases.rs)
//! covers the spill with FirmHeap as the global allocator, on the host and
//! in the firmware.
use std::alloc::{GlobalAlloc, Layout};
use std::ptr::addr_of_mut;

use firmheap::FirmHeap;

mod common;

macro_rules! check {
    ($cond:expr) => {
        if !$cond {
            return Err(concat!(file!(), ":", line!(), ": ", stringify!($cond)));
        }
    };
}

const BANK: usize = 64 * 1024;
static mut BANKS: [[u8; BANK]; 4] = [[0; BANK]; 4];

fn bank(i: usize) -> *mut u8 {
    // SAFETY: only the address is taken.
    unsafe { addr_of_mut!(BANKS[i]) as *mut u8 }
}

fn in_bank(p: *mut u8, i: usize) -> bool {
    p as usize >= bank(i) as usize && (p as usize) < bank(i) as usize + BANK
}

fn used(i: usize) -> usize {
    FirmHeap.region_stats(i).map_or(usize::MAX, |s| s.used_bytes)
}

/// Three banks fill the table (four regions with the linker's); the
/// default heap then serves blocks from each in turn as the earlier ones
/// fill, and every free returns to the owner.
fn regions_fill_in_order_and_empty_completely() -> Result<(), &'static str> {
    let s0 = FirmHeap.region_stats(0).ok_or("default heap unusable")?;
    check!(s0.used_bytes == 0 && s0.live_allocs == 0);
    check!(FirmHeap.region_stats(1).is_none());
    for i in 0..3 {
        // Odd offsets and lengths: nothing needs to be aligned.
        check!(unsafe { FirmHeap.add_region(bank(i).add(i + 1), BANK - 2 * i - 1) });
    }
    check!(!unsafe { FirmHeap.add_region(bank(3), BANK) }); // table full
    check!(FirmHeap.region_stats(3).is_some() && FirmHeap.region_stats(4).is_none());
    check!(FirmHeap.region_stats(usize::MAX).is_none());
    check!((0..4).all(|i| used(i) == 0));

    // 16 KiB blocks until two have landed in the last bank.
    let l = Layout::from_size_align(16 * 1024, 64).unwrap();
    let mut held: Vec<*mut u8> = Vec::new();
    let mut in_last = 0;
    while in_last < 2 && held.len() < 10_000 {
        let p = unsafe { FirmHeap.alloc(l) };
        if p.is_null() {
            break;
        }
        check!(p as usize % 64 == 0);
        in_last += in_bank(p, 2) as usize;
        held.push(p);
    }
    check!(in_last == 2);
    // In order: the linker region's blocks first, then bank 0's, bank 1's.
    let region_of = |p: *mut u8| (0..3).find(|&i| in_bank(p, i)).map_or(0, |i| i + 1);
    let order: Vec<usize> = held.iter().map(|&p| region_of(p)).collect();
    check!(order.windows(2).all(|w| w[0] <= w[1]));
    check!((1..4).all(|r| order.contains(&r)));
    check!(used(3) == 2 * 16 * 1024);
    check!(FirmHeap.check());
    // Free out of order (even places, then odd ones backwards): each block
    // finds its own region.
    let evens = held.iter().step_by(2);
    let odds = held.iter().skip(1).step_by(2).rev();
    for &p in evens.chain(odds) {
        unsafe { FirmHeap.dealloc(p, l) };
    }
    check!((0..4).all(|i| used(i) == 0));
    check!((0..4).all(|i| FirmHeap.region_stats(i).map_or(false, |s| s.live_allocs == 0 && s.rejected_frees == 0)));
    check!(FirmHeap.check());
    Ok(())
}

fn main() {
    common::run(
        "regions",
        &[("regions_fill_in_order_and_empty_completely", regions_fill_in_order_and_empty_completely)],
    )
}
