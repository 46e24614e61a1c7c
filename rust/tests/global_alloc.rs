//! The shared allocator cases (cases/alloc_cases.rs) on the host, with
//! FirmHeap as the process's global allocator: everything std allocates in
//! this program, test harness included, comes from the firmheap default heap.
extern crate alloc;

mod common;
#[path = "cases/alloc_cases.rs"]
mod cases;

#[global_allocator]
static HEAP: firmheap::FirmHeap = firmheap::FirmHeap;

fn main() {
    // Prove the global allocator really is the default heap before trusting
    // the cases' stats: a fresh Box must land in [__heap_start, __heap_end).
    let (start, end) = common::default_region();
    let probe = Box::new(1u64);
    let addr = &*probe as *const u64 as usize;
    assert!(addr >= start && addr < end, "Box not from the firmheap region");
    drop(probe);
    common::run("global_alloc", cases::CASES)
}
