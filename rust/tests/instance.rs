//! LockedHeap under real contention: four host threads share one instance
//! through the crate's SpinLock. (The global allocator here is the system
//! one; only the LockedHeap is firmheap.) Host only: the firmware is
//! single-threaded.
use std::alloc::{GlobalAlloc, Layout};
use std::thread;

use firmheap::{LockedHeap, SpinLock};

mod common;

const BYTES: usize = 1 << 20;
static mut REGION: [u8; BYTES] = [0; BYTES];
static SHARED: LockedHeap<SpinLock> = LockedHeap::new(SpinLock::new());

/// Each thread allocates blocks tagged with its id, checks every tag
/// before freeing: a race in the heap would hand one block to two threads.
fn worker(id: u8) -> Result<(), &'static str> {
    let mut held: Vec<(usize, Layout)> = Vec::new();
    let mut rng = 0x9e37_79b9u32 ^ id as u32;
    for step in 0..20_000u32 {
        rng ^= rng << 13;
        rng ^= rng >> 17;
        rng ^= rng << 5;
        if held.len() < 32 && (rng & 1 == 0 || held.is_empty()) {
            let size = 1 + (rng >> 8) as usize % 600;
            let layout = Layout::from_size_align(size, 1 << ((rng >> 20) % 8)).unwrap();
            let p = unsafe { SHARED.alloc(layout) };
            if p.is_null() {
                continue; // full for the moment: others will free
            }
            unsafe { std::ptr::write_bytes(p, id, size) };
            held.push((p as usize, layout));
        } else {
            let (p, layout) = held.swap_remove((rng >> 4) as usize % held.len());
            let ok = unsafe { std::slice::from_raw_parts(p as *const u8, layout.size()) }.iter().all(|&b| b == id);
            if !ok {
                return Err("block overwritten by another thread");
            }
            unsafe { SHARED.dealloc(p as *mut u8, layout) };
        }
        if step % 5000 == 0 && !SHARED.check() {
            return Err("invariants broken mid-run");
        }
    }
    for (p, layout) in held {
        unsafe { SHARED.dealloc(p as *mut u8, layout) };
    }
    Ok(())
}

fn four_threads_share_one_locked_heap() -> Result<(), &'static str> {
    if !unsafe { SHARED.init(std::ptr::addr_of_mut!(REGION) as *mut u8, BYTES) } {
        return Err("init failed");
    }
    let handles: Vec<_> = (1..=4u8).map(|id| thread::spawn(move || worker(id))).collect();
    for h in handles {
        h.join().map_err(|_| "worker panicked")??;
    }
    let s = SHARED.stats().ok_or("no stats")?;
    if s.used_bytes != 0 || s.live_allocs != 0 || !SHARED.check() {
        return Err("heap not empty and consistent after all threads freed");
    }
    Ok(())
}

fn main() {
    common::run("instance", &[("four_threads_share_one_locked_heap", four_threads_share_one_locked_heap)])
}
