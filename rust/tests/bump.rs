//! The `bump` feature: the C library built with FH_BACKEND_BUMP=1, so the
//! default heap behind FirmHeap is the bump allocator. Run with
//! `cargo test --features bump --test bump`. FirmHeap is called directly
//! (not installed as the global allocator), so nothing else touches the
//! default heap and every address is predictable.
use core::alloc::{GlobalAlloc, Layout};

use firmheap::FirmHeap;

mod common;

macro_rules! check {
    ($cond:expr) => {
        if !$cond {
            return Err(concat!(file!(), ":", line!(), ": ", stringify!($cond)));
        }
    };
}

fn layout(size: usize, align: usize) -> Layout {
    Layout::from_size_align(size, align).unwrap()
}

fn in_region(p: *const u8) -> bool {
    let (start, end) = common::default_region();
    (p as usize) >= start && (p as usize) < end
}

fn blocks_follow_each_other() -> Result<(), &'static str> {
    let (p, q) = unsafe { (FirmHeap.alloc(layout(16, 8)), FirmHeap.alloc(layout(16, 8))) };
    check!(!p.is_null() && in_region(p));
    check!(q as usize == p as usize + 16); // the next byte: no granule, no gap
    unsafe { FirmHeap.dealloc(q, layout(16, 8)) };
    Ok(())
}

fn the_newest_block_resizes_and_frees() -> Result<(), &'static str> {
    let p = unsafe { FirmHeap.alloc(layout(24, 8)) };
    check!(!p.is_null());
    let grown = unsafe { FirmHeap.realloc(p, layout(24, 8), 4000) };
    check!(grown == p); // the newest block grows where it is
    unsafe { FirmHeap.dealloc(grown, layout(4000, 8)) };
    let again = unsafe { FirmHeap.alloc(layout(24, 8)) };
    check!(again == p); // and its bytes came back
    unsafe { FirmHeap.dealloc(again, layout(24, 8)) };
    Ok(())
}

fn alignment_comes_from_padding() -> Result<(), &'static str> {
    let p = unsafe { FirmHeap.alloc(layout(1, 4096)) };
    check!(!p.is_null() && p as usize % 4096 == 0 && in_region(p));
    unsafe { FirmHeap.dealloc(p, layout(1, 4096)) };
    Ok(())
}

fn no_buddy_stats_and_no_second_region() -> Result<(), &'static str> {
    static mut BANK: [u8; 4096] = [0; 4096];
    check!(FirmHeap.stats().is_none());
    #[allow(unused_unsafe)] // needed by rustc 1.63, redundant for newer ones
    let bank = unsafe { core::ptr::addr_of_mut!(BANK) } as *mut u8;
    check!(!unsafe { FirmHeap.add_region(bank, 4096) });
    Ok(())
}

fn main() {
    common::run(
        "bump",
        &[
            ("blocks_follow_each_other", blocks_follow_each_other),
            ("the_newest_block_resizes_and_frees", the_newest_block_resizes_and_frees),
            ("alignment_comes_from_padding", alignment_comes_from_padding),
            ("no_buddy_stats_and_no_second_region", no_buddy_stats_and_no_second_region),
        ],
    )
}
