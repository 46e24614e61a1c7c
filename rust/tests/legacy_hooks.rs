//! The five allocator hooks of pre-1.28 Rust, called the way liballoc's
//! `heap.rs` called them: declared in an `extern` block by their exact
//! symbol names, wrapped by `allocate`/`deallocate`/`reallocate`/
//! `reallocate_inplace`/`usable_size` helpers that pass `(size, align)`
//! straight through. An old toolchain linked its `alloc` crate against
//! whatever defined these symbols; here that is the firmheap C library
//! (src/rust_hooks.c), serving the default heap.
//!
//! The global allocator of this program stays the system one, so the
//! default heap's stats count the hooks' work and nothing else.
use firmheap::FirmHeap;

mod common;

extern "C" {
    fn __rust_allocate(size: usize, align: usize) -> *mut u8;
    fn __rust_deallocate(ptr: *mut u8, old_size: usize, align: usize);
    fn __rust_reallocate(ptr: *mut u8, old_size: usize, size: usize, align: usize) -> *mut u8;
    fn __rust_reallocate_inplace(ptr: *mut u8, old_size: usize, size: usize, align: usize) -> usize;
    fn __rust_usable_size(size: usize, align: usize) -> usize;
}

// The old wrappers: liballoc asserted (in debug) a non-zero size and a
// power-of-two alignment before calling out; these do the same.
fn pre(size: usize, align: usize) {
    assert!(size != 0 && align.is_power_of_two(), "caller broke the hook contract");
}
unsafe fn allocate(size: usize, align: usize) -> *mut u8 {
    pre(size, align);
    __rust_allocate(size, align)
}
unsafe fn deallocate(ptr: *mut u8, old_size: usize, align: usize) {
    pre(old_size, align);
    __rust_deallocate(ptr, old_size, align)
}
unsafe fn reallocate(ptr: *mut u8, old_size: usize, size: usize, align: usize) -> *mut u8 {
    pre(size, align);
    __rust_reallocate(ptr, old_size, size, align)
}
unsafe fn reallocate_inplace(ptr: *mut u8, old_size: usize, size: usize, align: usize) -> usize {
    pre(size, align);
    __rust_reallocate_inplace(ptr, old_size, size, align)
}
fn usable_size(size: usize, align: usize) -> usize {
    pre(size, align);
    unsafe { __rust_usable_size(size, align) }
}

macro_rules! check {
    ($cond:expr) => {
        if !$cond {
            return Err(concat!(file!(), ":", line!(), ": ", stringify!($cond)));
        }
    };
}

fn all(p: *const u8, n: usize, byte: u8) -> bool {
    unsafe { std::slice::from_raw_parts(p, n) }.iter().all(|&b| b == byte)
}

fn live() -> u32 {
    FirmHeap.stats().expect("default heap").live_allocs
}

fn allocate_honours_alignment_and_usable_size() -> Result<(), &'static str> {
    for shift in 0..=12 {
        let align = 1usize << shift;
        for &size in &[1usize, 15, 16, 17, 255, 4096, 5000] {
            let p = unsafe { allocate(size, align) };
            check!(!p.is_null());
            check!(p as usize % align == 0);
            let usable = usable_size(size, align);
            check!(usable >= size);
            check!(FirmHeap.usable_size(p) == usable);
            // liballoc let callers use the whole usable size.
            unsafe { std::ptr::write_bytes(p, 0xee, usable) };
            unsafe { deallocate(p, size, align) };
        }
    }
    check!(live() == 0 && FirmHeap.check());
    Ok(())
}

fn usable_size_is_pure() -> Result<(), &'static str> {
    // Size classes up to 640 bytes, whole pages of 256 beyond (page counts
    // past 16 rounded to four significant bits); an alignment above 16
    // rounds the size up to it first, and from 256 on takes pages.
    let expected: &[(usize, usize, usize)] = &[
        (1, 8, 16),
        (17, 8, 32),
        (100, 8, 128),
        (100, 64, 128),
        (161, 8, 256),
        (17, 256, 256),
        (641, 8, 768),
        (5000, 8, 5120),
        (65536, 8, 65536),
        (65537, 8, 73728),
    ];
    for &(size, align, usable) in expected {
        check!(usable_size(size, align) == usable);
    }
    // Same answer with the heap busy as with it idle.
    let p = unsafe { allocate(100_000, 64) };
    check!(!p.is_null());
    for &(size, align, usable) in expected {
        check!(usable_size(size, align) == usable);
    }
    unsafe { deallocate(p, 100_000, 64) };
    Ok(())
}

fn deallocate_takes_any_old_size_up_to_usable() -> Result<(), &'static str> {
    let before = live();
    for &old in &[17usize, 20, 31, 32] {
        let p = unsafe { allocate(17, 8) };
        check!(!p.is_null());
        check!(live() == before + 1);
        unsafe { deallocate(p, old, 8) };
        check!(live() == before);
    }
    check!(FirmHeap.check());
    Ok(())
}

fn reallocate_inplace_grows_shrinks_and_refuses() -> Result<(), &'static str> {
    // One page on an empty heap: the pages behind it are free.
    let p = unsafe { allocate(16, 256) };
    check!(!p.is_null() && p as usize % 256 == 0);
    check!(FirmHeap.usable_size(p) == 256);
    unsafe { std::ptr::write_bytes(p, 0x42, 16) };
    check!(unsafe { reallocate_inplace(p, 16, 500, 256) } == usable_size(500, 256));
    check!(FirmHeap.usable_size(p) == 512);
    check!(unsafe { reallocate_inplace(p, 500, 16, 256) } == usable_size(16, 256));
    check!(FirmHeap.usable_size(p) == 256);
    check!(all(p, 16, 0x42));
    // A slab object never changes class in place: a refused shrink answers
    // the old size's usable size and changes nothing.
    let s = unsafe { allocate(600, 8) };
    check!(!s.is_null() && FirmHeap.usable_size(s) == 640);
    check!(unsafe { reallocate_inplace(s, 600, 20, 8) } == usable_size(600, 8));
    check!(FirmHeap.usable_size(s) == 640);
    unsafe { deallocate(s, 600, 8) };
    // Put a live block right behind p: now growing in place must fail,
    // answer usable_size(old_size) and change nothing.
    let mut blockers = Vec::new();
    let mut blocked = false;
    for _ in 0..64 {
        let b = unsafe { allocate(256, 256) };
        check!(!b.is_null());
        blockers.push(b);
        if b as usize == p as usize + 256 {
            blocked = true;
            break;
        }
    }
    check!(blocked);
    // old_size may be anything from the request up to the usable size.
    check!(unsafe { reallocate_inplace(p, 10, 500, 256) } == usable_size(10, 256));
    check!(unsafe { reallocate_inplace(p, 256, 500, 256) } == usable_size(256, 256));
    check!(FirmHeap.usable_size(p) == 256);
    check!(all(p, 16, 0x42));
    for b in blockers {
        unsafe { deallocate(b, 256, 256) };
    }
    unsafe { deallocate(p, 16, 256) };
    check!(live() == 0 && FirmHeap.check());
    Ok(())
}

fn reallocate_moves_keeps_alignment_or_fails_intact() -> Result<(), &'static str> {
    let p = unsafe { allocate(48, 1024) };
    check!(!p.is_null());
    for i in 0..48 {
        unsafe { *p.add(i) = i as u8 };
    }
    let q = unsafe { reallocate(p, 48, 20_000, 1024) };
    check!(!q.is_null() && q as usize % 1024 == 0);
    check!((0..48).all(|i| unsafe { *q.add(i) } == i as u8));
    check!(FirmHeap.usable_size(q) == usable_size(20_000, 1024));
    // A request the heap cannot meet: NULL, and the block is as it was.
    let total = FirmHeap.stats().expect("default heap").total_bytes;
    let r = unsafe { reallocate(q, 20_000, total + 1, 1024) };
    check!(r.is_null());
    check!((0..48).all(|i| unsafe { *q.add(i) } == i as u8));
    check!(FirmHeap.usable_size(q) == usable_size(20_000, 1024));
    let s = unsafe { reallocate(q, 20_000, 100, 1024) };
    check!(!s.is_null() && s as usize % 1024 == 0);
    check!((0..48).all(|i| unsafe { *s.add(i) } == i as u8));
    unsafe { deallocate(s, 100, 1024) };
    check!(live() == 0 && FirmHeap.check());
    Ok(())
}

fn main() {
    common::run(
        "legacy_hooks",
        &[
            ("allocate_honours_alignment_and_usable_size", allocate_honours_alignment_and_usable_size),
            ("usable_size_is_pure", usable_size_is_pure),
            ("deallocate_takes_any_old_size_up_to_usable", deallocate_takes_any_old_size_up_to_usable),
            ("reallocate_inplace_grows_shrinks_and_refuses", reallocate_inplace_grows_shrinks_and_refuses),
            ("reallocate_moves_keeps_alignment_or_fails_intact", reallocate_moves_keeps_alignment_or_fails_intact),
        ],
    )
}
