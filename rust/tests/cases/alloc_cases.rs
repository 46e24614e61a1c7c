//! The allocator cases shared by the host test (tests/global_alloc.rs) and
//! the firmware (rust/firmware): one source, run on x86-64, Cortex-M3 and
//! RV32. Uses only `core`, `alloc` and the firmheap crate, so it compiles
//! in a `#![no_std]` crate. The including crate must have `extern crate
//! alloc;` and install `firmheap::FirmHeap` as its `#[global_allocator]`.
//!
//! Each case returns Err with the file:line and the failed condition; no
//! formatting, so a failure report needs no allocation.
//!
//! Stats deltas are exact as long as nothing else allocates meanwhile:
//! the runners are single-threaded and print only between cases.

use alloc::alloc::{alloc, alloc_zeroed, dealloc, realloc, GlobalAlloc, Layout};
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::ptr::{addr_of_mut, NonNull};

use firmheap::{FirmHeap, Heap, LockedHeap, SpinLock, Stats};

pub type CaseFn = fn() -> Result<(), &'static str>;

macro_rules! check {
    ($cond:expr) => {
        if !$cond {
            return Err(concat!(file!(), ":", line!(), ": ", stringify!($cond)));
        }
    };
}

pub const CASES: &[(&str, CaseFn)] = &[
    ("vec_grows_and_keeps_contents", vec_grows_and_keeps_contents),
    ("string_building", string_building),
    ("btreemap_insert_remove", btreemap_insert_remove),
    ("boxes_and_trait_objects", boxes_and_trait_objects),
    ("layout_alignment_up_to_4096", layout_alignment_up_to_4096),
    ("alloc_zeroed_is_zero", alloc_zeroed_is_zero),
    ("realloc_in_place", realloc_in_place),
    ("realloc_moves_when_blocked", realloc_moves_when_blocked),
    ("stats_accounting", stats_accounting),
    ("failed_alloc_changes_nothing", failed_alloc_changes_nothing),
    ("zero_sized_types_do_not_allocate", zero_sized_types_do_not_allocate),
    ("churn_keeps_data_and_invariants", churn_keeps_data_and_invariants),
    ("instance_heap_over_static_buffer", instance_heap_over_static_buffer),
    ("instance_rejects_bad_free", instance_rejects_bad_free),
    ("locked_heap_as_global_alloc", locked_heap_as_global_alloc),
    ("added_region_takes_the_overflow", added_region_takes_the_overflow),
    ("not_a_force_fail_build", not_a_force_fail_build),
];

/// Fails in a build made with FIRMHEAP_FORCE_FAIL set (`make rust-test
/// FORCE_FAIL=1`): proof that one failing case turns the whole run red.
fn not_a_force_fail_build() -> Result<(), &'static str> {
    check!(option_env!("FIRMHEAP_FORCE_FAIL").is_none());
    Ok(())
}

fn stats() -> Stats {
    FirmHeap.stats().expect("default heap region unusable")
}

fn vec_grows_and_keeps_contents() -> Result<(), &'static str> {
    let mut v: Vec<u32> = Vec::new();
    for i in 0..5000u32 {
        v.push(i.wrapping_mul(2654435761));
    }
    check!(v.len() == 5000);
    check!(v.iter().enumerate().all(|(i, &x)| x == (i as u32).wrapping_mul(2654435761)));
    check!(v.as_ptr() as usize % core::mem::align_of::<u32>() == 0);
    v.truncate(10);
    v.shrink_to_fit();
    check!(v.capacity() >= 10 && v[9] == 9u32.wrapping_mul(2654435761));
    let w: Vec<u64> = (0..300u64).rev().collect();
    check!(w.iter().sum::<u64>() == 299 * 300 / 2);
    Ok(())
}

fn string_building() -> Result<(), &'static str> {
    let mut s = String::new();
    for i in 0..200u32 {
        s.push_str(&i.to_string());
        s.push(',');
    }
    check!(s.starts_with("0,1,2,3,"));
    check!(s.ends_with("198,199,"));
    check!(s.len() == 10 * 2 + 90 * 3 + 100 * 4);
    let f = alloc::format!("{}-{:04x}-{}", "heap", 0xbeefu32, 42);
    check!(f == "heap-beef-42");
    let upper = f.to_uppercase();
    check!(upper == "HEAP-BEEF-42");
    Ok(())
}

fn btreemap_insert_remove() -> Result<(), &'static str> {
    let mut m: BTreeMap<u32, String> = BTreeMap::new();
    for k in 0..600u32 {
        m.insert((k * 7919) % 600, k.to_string());
    }
    check!(m.len() == 600);
    m.retain(|k, _| k % 3 != 0);
    check!(m.len() == 400);
    check!(m.keys().zip(m.keys().skip(1)).all(|(a, b)| a < b));
    // Each value was the k that produced its key: check a few by recomputing.
    for k in [1u32, 2, 301, 599] {
        let key = (k * 7919) % 600;
        if key % 3 != 0 {
            check!(m.get(&key).map(|v| v.as_str()) == Some(k.to_string().as_str()));
        }
    }
    Ok(())
}

enum List {
    Node(u32, Box<List>),
    End,
}

fn boxes_and_trait_objects() -> Result<(), &'static str> {
    let b = Box::new(0x1234_5678_9abc_def0u64);
    check!(*b == 0x1234_5678_9abc_def0);
    let big: Box<[u8; 3000]> = Box::new([7u8; 3000]);
    check!(big.iter().all(|&x| x == 7));
    let offset = 5u32;
    let f: Box<dyn Fn(u32) -> u32> = Box::new(move |x| x * 3 + offset);
    check!(f(4) == 17);
    let mut list = List::End;
    for i in 0..100 {
        list = List::Node(i, Box::new(list));
    }
    let (mut sum, mut cur) = (0u32, &list);
    while let List::Node(v, next) = cur {
        sum += v;
        cur = next;
    }
    check!(sum == 4950);
    let slice: Box<[u16]> = (0..50u16).collect();
    check!(slice.len() == 50 && slice[49] == 49);
    Ok(())
}

fn layout_alignment_up_to_4096() -> Result<(), &'static str> {
    for shift in 0..=12 {
        let align = 1usize << shift;
        for &size in &[1usize, 16, 24, align, 3 * align + 1] {
            let layout = Layout::from_size_align(size, align).map_err(|_| "bad layout")?;
            let p = unsafe { alloc(layout) };
            check!(!p.is_null());
            check!(p as usize % align == 0);
            let usable = FirmHeap.usable_size(p);
            check!(usable >= size && usable % firmheap::GRANULE == 0);
            check!(usable == firmheap::usable_size_for(layout));
            // The whole usable extent is ours to write.
            unsafe { core::ptr::write_bytes(p, 0xa5, usable) };
            unsafe { dealloc(p, layout) };
        }
    }
    check!(FirmHeap.check());
    Ok(())
}

fn alloc_zeroed_is_zero() -> Result<(), &'static str> {
    // Dirty some memory first so zeroes are not just fresh pages.
    let dirty = Layout::from_size_align(4096, 64).unwrap();
    let p = unsafe { alloc(dirty) };
    check!(!p.is_null());
    unsafe { core::ptr::write_bytes(p, 0xff, 4096) };
    unsafe { dealloc(p, dirty) };
    let q = unsafe { alloc_zeroed(dirty) };
    check!(!q.is_null() && q as usize % 64 == 0);
    let all_zero = unsafe { core::slice::from_raw_parts(q, 4096) }.iter().all(|&b| b == 0);
    unsafe { dealloc(q, dirty) };
    check!(all_zero);
    Ok(())
}

fn realloc_in_place() -> Result<(), &'static str> {
    // Three pages on a four-page boundary: the fourth page of that block
    // goes back free, right behind it, so the block grows into it without
    // moving, and shrinks in place.
    let layout = Layout::from_size_align(700, 1024).unwrap();
    let p = unsafe { alloc(layout) };
    check!(!p.is_null() && p as usize % 1024 == 0);
    check!(FirmHeap.usable_size(p) == 768);
    unsafe { core::ptr::write_bytes(p, 0x3c, 700) };
    let q = unsafe { realloc(p, layout, 1024) };
    check!(q == p);
    check!(FirmHeap.usable_size(q) == 1024);
    let r = unsafe { realloc(q, Layout::from_size_align(1024, 1024).unwrap(), 40) };
    check!(r == p);
    check!(FirmHeap.usable_size(r) == 256); // a page: 1024-aligned requests are pages
    check!(unsafe { core::slice::from_raw_parts(r, 40) }.iter().all(|&b| b == 0x3c));
    unsafe { dealloc(r, Layout::from_size_align(40, 1024).unwrap()) };
    check!(FirmHeap.check());
    Ok(())
}

fn realloc_moves_when_blocked() -> Result<(), &'static str> {
    let a_layout = Layout::from_size_align(700, 16).unwrap();
    let page = Layout::from_size_align(256, 256).unwrap();
    let a = unsafe { alloc(a_layout) };
    check!(!a.is_null());
    for i in 0..16u8 {
        unsafe { *a.add(i as usize) = i };
    }
    // Take pages until one lands right behind `a`'s three (the buddy hands
    // out the tail of the block `a` was cut from first).
    let mut blockers: Vec<(*mut u8, Layout)> = Vec::new();
    let mut blocked = false;
    for _ in 0..64 {
        let b = unsafe { alloc(page) };
        check!(!b.is_null());
        blockers.push((b, page));
        if b as usize == a as usize + 768 {
            blocked = true;
            break;
        }
    }
    let moved = unsafe { realloc(a, a_layout, 2000) };
    check!(!moved.is_null());
    check!(!blocked || moved != a);
    check!((0..16u8).all(|i| unsafe { *moved.add(i as usize) } == i));
    unsafe { dealloc(moved, Layout::from_size_align(2000, 16).unwrap()) };
    for (b, l) in blockers {
        unsafe { dealloc(b, l) };
    }
    check!(blocked);
    check!(FirmHeap.check());
    Ok(())
}

fn stats_accounting() -> Result<(), &'static str> {
    let s0 = stats();
    check!(s0.total_bytes > 0 && s0.used_bytes + s0.free_bytes == s0.total_bytes);
    let layout = Layout::from_size_align(100, 8).unwrap();
    let p = unsafe { alloc(layout) };
    check!(!p.is_null());
    let s1 = stats();
    check!(s1.used_bytes == s0.used_bytes + 128); // the 128-byte class
    check!(s1.live_allocs == s0.live_allocs + 1);
    check!(s1.allocs == s0.allocs + 1);
    check!(s1.peak_used_bytes >= s1.used_bytes);
    check!(s1.largest_free <= s1.free_bytes);
    unsafe { dealloc(p, layout) };
    let s2 = stats();
    check!(s2.used_bytes == s0.used_bytes);
    check!(s2.live_allocs == s0.live_allocs);
    check!(s2.frees == s0.frees + 1);
    check!(s2.peak_used_bytes >= s1.used_bytes);
    check!(s2.fragmentation_percent() <= 100);
    check!(FirmHeap.check());
    Ok(())
}

fn failed_alloc_changes_nothing() -> Result<(), &'static str> {
    let s0 = stats();
    let huge = Layout::from_size_align(s0.total_bytes + 4096, 16).unwrap();
    let p = unsafe { alloc(huge) };
    check!(p.is_null());
    let aligned_huge = Layout::from_size_align(16, 1usize << (usize::BITS - 2)).unwrap();
    check!(unsafe { alloc(aligned_huge) }.is_null());
    let s1 = stats();
    // The oversize request is a refusal; the over-aligned one may be
    // counted as one or rejected as invalid before counting.
    check!(s1.failed_allocs >= s0.failed_allocs + 1 && s1.failed_allocs <= s0.failed_allocs + 2);
    check!(s1.used_bytes == s0.used_bytes && s1.live_allocs == s0.live_allocs);
    // A grow that cannot be met leaves the block as it was.
    let l = Layout::from_size_align(32, 16).unwrap();
    let q = unsafe { alloc(l) };
    check!(!q.is_null());
    unsafe { core::ptr::write_bytes(q, 0x5a, 32) };
    let r = unsafe { realloc(q, l, s0.total_bytes + 4096) };
    check!(r.is_null());
    check!(unsafe { core::slice::from_raw_parts(q, 32) }.iter().all(|&b| b == 0x5a));
    check!(FirmHeap.usable_size(q) == 32);
    unsafe { dealloc(q, l) };
    check!(FirmHeap.check());
    Ok(())
}

fn zero_sized_types_do_not_allocate() -> Result<(), &'static str> {
    let s0 = stats();
    let b = Box::new(());
    let mut v: Vec<()> = Vec::new();
    for _ in 0..1000 {
        v.push(());
    }
    let e: Vec<u64> = Vec::new();
    check!(v.len() == 1000 && e.is_empty());
    drop((b, v, e));
    check!(stats().allocs == s0.allocs);
    Ok(())
}

/// xorshift32: a fixed sequence, the same on every machine.
fn next(state: &mut u32) -> u32 {
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    *state
}

fn churn_keeps_data_and_invariants() -> Result<(), &'static str> {
    let s0 = stats();
    let mut slots: Vec<Option<Vec<u8>>> = (0..48).map(|_| None).collect();
    let mut rng = 0x2545_f491u32;
    for step in 0..3000u32 {
        let i = (next(&mut rng) % slots.len() as u32) as usize;
        let tag = (i as u8).wrapping_mul(37).wrapping_add(1);
        match slots[i].take() {
            Some(mut v) => {
                check!(v.iter().all(|&b| b == tag));
                if step % 3 == 0 {
                    // Grow through realloc; contents must survive.
                    let extra = (next(&mut rng) % 700) as usize;
                    v.resize(v.len() + extra, tag);
                    check!(v.iter().all(|&b| b == tag));
                    slots[i] = Some(v);
                }
            }
            None => {
                let len = 1 + (next(&mut rng) % 1500) as usize;
                slots[i] = Some(alloc::vec![tag; len]);
            }
        }
        if step % 500 == 0 {
            check!(FirmHeap.check());
        }
    }
    drop(slots);
    let s1 = stats();
    check!(s1.used_bytes == s0.used_bytes && s1.live_allocs == s0.live_allocs);
    check!(FirmHeap.check());
    Ok(())
}

const REGION_BYTES: usize = 64 * 1024;
static mut REGION_A: [u8; REGION_BYTES] = [0; REGION_BYTES];
static mut REGION_B: [u8; REGION_BYTES] = [0; REGION_BYTES];
static mut REGION_C: [u8; REGION_BYTES] = [0; REGION_BYTES];

fn instance_heap_over_static_buffer() -> Result<(), &'static str> {
    // Three bytes in: the region need not be aligned.
    let base = unsafe { (addr_of_mut!(REGION_A) as *mut u8).add(3) };
    let mut heap = unsafe { Heap::from_raw_region(base, REGION_BYTES - 3) }.ok_or("fh_init refused")?;
    let s0 = heap.stats();
    check!(s0.total_bytes > REGION_BYTES / 2 && s0.total_bytes <= REGION_BYTES);
    check!(s0.used_bytes == 0 && s0.live_allocs == 0);
    let l = Layout::from_size_align(1000, 512).unwrap();
    let p = heap.alloc(l).ok_or("alloc failed")?;
    check!(p.as_ptr() as usize % 512 == 0);
    check!(heap.owns(p.as_ptr()));
    check!(!heap.owns(&l as *const Layout as *const u8));
    check!(heap.usable_size(p.as_ptr()) == 1024); // four pages
    let z = heap.alloc_zeroed(Layout::from_size_align(300, 16).unwrap()).ok_or("zeroed failed")?;
    check!(unsafe { core::slice::from_raw_parts(z.as_ptr(), 300) }.iter().all(|&b| b == 0));
    // Grow in place first; resize_in_place reports what the block has now.
    let got = unsafe { heap.resize_in_place(p, l, 16) };
    check!(got == 256); // a 512-aligned request is a page
    let p2 = unsafe { heap.realloc(p, Layout::from_size_align(16, 512).unwrap(), 2000) }.ok_or("realloc failed")?;
    check!(p2.as_ptr() as usize % 512 == 0);
    unsafe { heap.dealloc(p2, Layout::from_size_align(2000, 512).unwrap()) };
    unsafe { heap.dealloc(z, Layout::from_size_align(300, 16).unwrap()) };
    // Fill it with 1 KiB blocks, then empty it: everything must come back.
    let kb = Layout::from_size_align(1024, 16).unwrap();
    let mut held: [Option<NonNull<u8>>; 64] = [None; 64];
    let mut n = 0;
    while n < held.len() {
        match heap.alloc(kb) {
            Some(b) => {
                held[n] = Some(b);
                n += 1;
            }
            None => break,
        }
    }
    check!(n > 16 && n < 64);
    check!(heap.stats().live_allocs == n as u32);
    check!(heap.check());
    for b in held.iter().take(n) {
        unsafe { heap.dealloc(b.unwrap(), kb) };
    }
    let s1 = heap.stats();
    check!(s1.used_bytes == 0 && s1.live_allocs == 0 && s1.largest_free == s0.largest_free);
    check!(s1.peak_used_bytes >= n * 1024);
    check!(heap.check());
    Ok(())
}

fn instance_rejects_bad_free() -> Result<(), &'static str> {
    // unsafe for rustc 1.63, redundant (hence the allow) for newer ones.
    #[allow(unused_unsafe)]
    let base = unsafe { addr_of_mut!(REGION_B) } as *mut u8;
    let mut heap = unsafe { Heap::from_raw_region(base, REGION_BYTES) }.ok_or("fh_init refused")?;
    let l = Layout::from_size_align(64, 16).unwrap();
    let p = heap.alloc(l).ok_or("alloc failed")?;
    unsafe { core::ptr::write_bytes(p.as_ptr(), 0x77, 64) };
    let s0 = heap.stats();
    // Interior pointer, wrong size, then a double free: each is refused.
    unsafe { heap.dealloc(NonNull::new_unchecked(p.as_ptr().add(16)), l) };
    unsafe { heap.dealloc(p, Layout::from_size_align(4096, 16).unwrap()) };
    let s1 = heap.stats();
    check!(s1.rejected_frees == s0.rejected_frees + 2);
    check!(s1.live_allocs == 1 && s1.used_bytes == s0.used_bytes);
    check!(unsafe { core::slice::from_raw_parts(p.as_ptr(), 64) }.iter().all(|&b| b == 0x77));
    unsafe { heap.dealloc(p, l) };
    unsafe { heap.dealloc(p, l) };
    let s2 = heap.stats();
    check!(s2.rejected_frees == s0.rejected_frees + 3);
    check!(s2.live_allocs == 0 && s2.used_bytes == 0);
    check!(heap.check());
    Ok(())
}

static LOCKED: LockedHeap<SpinLock> = LockedHeap::new(SpinLock::new());

fn locked_heap_as_global_alloc() -> Result<(), &'static str> {
    let l = Layout::from_size_align(200, 32).unwrap();
    // Before init nothing can be allocated.
    check!(unsafe { LOCKED.alloc(l) }.is_null());
    check!(LOCKED.stats().is_none());
    // unsafe for rustc 1.63, redundant (hence the allow) for newer ones.
    #[allow(unused_unsafe)]
    let base = unsafe { addr_of_mut!(REGION_C) } as *mut u8;
    check!(unsafe { LOCKED.init(base, REGION_BYTES) });
    check!(!unsafe { LOCKED.init(base, REGION_BYTES) });
    let p = unsafe { LOCKED.alloc(l) };
    check!(!p.is_null() && p as usize % 32 == 0);
    check!(p as usize >= base as usize && (p as usize) < base as usize + REGION_BYTES);
    let q = unsafe { LOCKED.realloc(p, l, 900) };
    check!(!q.is_null() && q as usize % 32 == 0);
    let z = unsafe { LOCKED.alloc_zeroed(l) };
    check!(!z.is_null());
    check!(LOCKED.stats().map(|s| s.live_allocs) == Some(2));
    unsafe { LOCKED.dealloc(q, Layout::from_size_align(900, 32).unwrap()) };
    unsafe { LOCKED.dealloc(z, l) };
    check!(LOCKED.stats().map(|s| s.used_bytes) == Some(0));
    check!(LOCKED.check());
    Ok(())
}

const BANK_BYTES: usize = 32 * 1024;
static mut BANK: [u8; BANK_BYTES] = [0; BANK_BYTES];
static mut TOO_SMALL: [u8; 16] = [0; 16];

/// A second region for the default heap (FirmHeap::add_region): once the
/// linker region is full, the global allocator spills into it, and every
/// block goes back to the region it came from. Runs once per program: the
/// region stays added (the later cases see a default heap with two
/// regions, which changes nothing for them while the first has room).
///
/// The default heap is this program's global allocator, so the case
/// allocates nothing on the side while the first region is full: the
/// blocks it holds are chained through their own first word.
fn added_region_takes_the_overflow() -> Result<(), &'static str> {
    // unsafe for rustc 1.63, redundant (hence the allow) for newer ones.
    #[allow(unused_unsafe)]
    let bank = unsafe { addr_of_mut!(BANK) } as *mut u8;
    #[allow(unused_unsafe)]
    let tiny = unsafe { addr_of_mut!(TOO_SMALL) } as *mut u8;
    // Five bytes in: a bank need not be aligned.
    let (lo, hi) = (bank as usize + 5, bank as usize + BANK_BYTES);
    check!(FirmHeap.region_stats(1).is_none());
    check!(!unsafe { FirmHeap.add_region(tiny, 16) }); // no room for a block
    check!(unsafe { FirmHeap.add_region(bank.add(5), BANK_BYTES - 5) });
    check!(!unsafe { FirmHeap.add_region(bank.add(100), 200) }); // overlaps
    check!(FirmHeap.region_stats(2).is_none());
    let r0 = FirmHeap.region_stats(0).ok_or("no region 0")?;
    let r1 = FirmHeap.region_stats(1).ok_or("no region 1")?;
    check!(stats() == r0);
    check!(r1.used_bytes == 0 && r1.live_allocs == 0);
    check!(r1.total_bytes > BANK_BYTES / 2 && r1.total_bytes < BANK_BYTES);

    // Fill the first region with 4 KiB blocks until one lands in the bank.
    let l = Layout::from_size_align(4096, 16).unwrap();
    let mut chain: *mut u8 = core::ptr::null_mut();
    let mut spilled: *mut u8 = core::ptr::null_mut();
    let mut held = 0usize;
    while held < 1 << 20 {
        let p = unsafe { alloc(l) };
        if p.is_null() || (p as usize >= lo && (p as usize) < hi) {
            spilled = p;
            break;
        }
        unsafe { (p as *mut *mut u8).write(chain) };
        chain = p;
        held += 1;
    }
    let full0 = FirmHeap.region_stats(0).ok_or("no region 0")?;
    let with1 = FirmHeap.region_stats(1).ok_or("no region 1")?;
    // A block in the bank works like any other: write it, grow it (in
    // place or not, it stays in the bank: the first region is full), read
    // it back.
    let mut grown = core::ptr::null_mut();
    if !spilled.is_null() {
        unsafe { core::ptr::write_bytes(spilled, 0x6b, 4096) };
        grown = unsafe { realloc(spilled, l, 8192) };
    }
    let kept = !grown.is_null()
        && unsafe { core::slice::from_raw_parts(grown, 4096) }.iter().all(|&b| b == 0x6b);
    let in_bank = grown as usize >= lo && (grown as usize) < hi;
    let usable = FirmHeap.usable_size(grown);
    // Give everything back before judging, so a failure leaves the heap
    // usable for the cases after this one.
    if !grown.is_null() {
        unsafe { dealloc(grown, Layout::from_size_align(8192, 16).unwrap()) };
    } else if !spilled.is_null() {
        unsafe { dealloc(spilled, l) };
    }
    while !chain.is_null() {
        let next = unsafe { (chain as *const *mut u8).read() };
        unsafe { dealloc(chain, l) };
        chain = next;
    }
    check!(!spilled.is_null() && held > 0);
    check!(full0.largest_free < 4096 && full0.live_allocs == r0.live_allocs + held as u32);
    check!(with1.used_bytes == 4096 && with1.live_allocs == 1);
    check!(kept && in_bank && usable == 8192);
    let e0 = FirmHeap.region_stats(0).ok_or("no region 0")?;
    let e1 = FirmHeap.region_stats(1).ok_or("no region 1")?;
    check!(e0.used_bytes == r0.used_bytes && e0.live_allocs == r0.live_allocs);
    check!(e1.used_bytes == 0 && e1.live_allocs == 0 && e1.free_bytes == r1.free_bytes);
    check!(e1.peak_used_bytes >= 8192);
    check!(FirmHeap.check());
    Ok(())
}
